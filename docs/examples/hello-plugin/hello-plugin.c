/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The hello plugin: an example of the rdd plugin SDK, built outside the rdd tree. It adds the
 * kind Greeting (group hello.example.com) and a controller that answers every Greeting with
 * status.greeting = "Hello, " + spec.name.
 */

#include "config.h"

#include <rdd-core.h>

/* the CRD, embedded so the plugin is a single file */
static const gchar hello_plugin_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
					"kind: CustomResourceDefinition\n"
					"metadata:\n"
					"  name: greetings.hello.example.com\n"
					"spec:\n"
					"  group: hello.example.com\n"
					"  names:\n"
					"    kind: Greeting\n"
					"    listKind: GreetingList\n"
					"    plural: greetings\n"
					"    singular: greeting\n"
					"    shortNames: [gr]\n"
					"  scope: Namespaced\n"
					"  versions:\n"
					"    - name: v1\n"
					"      served: true\n"
					"      storage: true\n"
					"      subresources:\n"
					"        status: {}\n"
					"      additionalPrinterColumns:\n"
					"        - name: Greeting\n"
					"          type: string\n"
					"          jsonPath: .status.greeting\n"
					"      schema:\n"
					"        openAPIV3Schema:\n"
					"          type: object\n"
					"          properties:\n"
					"            spec:\n"
					"              type: object\n"
					"              required: [name]\n"
					"              properties:\n"
					"                name:\n"
					"                  type: string\n"
					"                  minLength: 1\n"
					"                  description: Whom to greet.\n"
					"            status:\n"
					"              type: object\n"
					"              properties:\n"
					"                greeting:\n"
					"                  type: string\n"
					"                conditions:\n"
					"                  type: array\n"
					"                  items:\n"
					"                    type: object\n"
					"                    properties:\n"
					"                      type: {type: string}\n"
					"                      status: {type: string}\n"
					"                      observedGeneration: {type: integer}\n"
					"                      lastTransitionTime: {type: string}\n"
					"                      reason: {type: string}\n"
					"                      message: {type: string}\n";

/* called for every queued Greeting; also when one is gone (the object is then NULL) */
static gboolean
hello_plugin_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	RddObject *obj = rdd_reconcile_get_object(reconcile);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) written = NULL;
	g_autofree gchar *greeting = NULL;
	JsonObject *status;
	const gchar *name;
	gboolean changed = FALSE;

	/* deleted: nothing to clean up */
	if (obj == NULL)
		return TRUE;

	/* work on a private copy; the store validates and stores it */
	node = rdd_object_dup_node(obj);
	name = rdd_json_lookup_string(node, "spec.name");
	if (name == NULL) {
		/* the schema requires it; say so rather than greet nobody */
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "Greeting %s/%s has no spec.name",
			    rdd_object_get_namespace(obj), rdd_object_get_name(obj));
		return FALSE;
	}
	greeting = g_strdup_printf("Hello, %s", name);
	status = rdd_json_object_ensure_object(json_node_get_object(node), "status");
	if (g_strcmp0(json_object_get_string_member_with_default(status, "greeting", NULL), greeting) != 0) {
		json_object_set_string_member(status, "greeting", greeting);
		changed = TRUE;
	}
	changed |= rdd_conditions_set(status, "Ready", "True", "Greeted", greeting,
				      rdd_object_get_generation(obj));

	/* write only when something changed: the write queues this key once more */
	if (!changed)
		return TRUE;
	written = rdd_store_update_status(rdd_reconcile_get_store(reconcile), node, NULL, error);
	return written != NULL;
}

static gboolean
hello_plugin_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
		.struct_size = sizeof(RddControllerVTable),
		.reconcile = hello_plugin_reconcile,
	};
	g_autoptr(RddController) controller = NULL;
	RddKind *kind;

	/* nothing is kept unless register returns TRUE */
	if (!rdd_plugin_context_add_kinds_from_data(context, hello_plugin_crd, -1, error))
		return FALSE;
	kind = rdd_plugin_context_lookup_kind(context, NULL, "Greeting");

	/* `rdd-daemon --controllers=hello` (the group) or `greeting` (the name) selects it */
	controller = rdd_controller_new("greeting", "hello", kind, &vtable, NULL, NULL);
	rdd_plugin_context_add_controller(context, controller);
	return TRUE;
}

RDD_PLUGIN_DEFINE("hello", "hello.example.com", PACKAGE_VERSION, "Example plugin: answers every Greeting", hello_plugin_register, NULL)
