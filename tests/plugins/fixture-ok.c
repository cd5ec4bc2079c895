/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: a well-behaved plugin. Kind Widget (namespaced, status subresource), a
 * controller that copies spec.value into status.observed and reports Ready, an admission hook
 * and a passthrough route.
 */

#include "config.h"

#include "rdd-core.h"

#define FIXTURE_OK_LONG_VALUE 10

static const gchar fixture_ok_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
				      "kind: CustomResourceDefinition\n"
				      "metadata:\n"
				      "  name: widgets.fixtures.rancherdesktop.io\n"
				      "spec:\n"
				      "  group: fixtures.rancherdesktop.io\n"
				      "  names:\n"
				      "    kind: Widget\n"
				      "    listKind: WidgetList\n"
				      "    plural: widgets\n"
				      "    singular: widget\n"
				      "  scope: Namespaced\n"
				      "  versions:\n"
				      "    - name: v1alpha1\n"
				      "      served: true\n"
				      "      storage: true\n"
				      "      subresources:\n"
				      "        status: {}\n"
				      "      schema:\n"
				      "        openAPIV3Schema:\n"
				      "          type: object\n"
				      "          properties:\n"
				      "            spec:\n"
				      "              type: object\n"
				      "              properties:\n"
				      "                value: {type: string}\n"
				      "            status:\n"
				      "              type: object\n"
				      "              properties:\n"
				      "                observed: {type: string}\n"
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

static gboolean
fixture_ok_admit(RddAdmission *admission, gpointer user_data, GError **error)
{
	JsonNode *obj = rdd_admission_get_object(admission);
	const gchar *value = rdd_json_lookup_string(obj, "spec.value");

	if (g_strcmp0(value, "forbidden") == 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN, "spec.value \"%s\" is not allowed", value);
		return FALSE;
	}
	if (value != NULL && g_utf8_strlen(value, -1) > FIXTURE_OK_LONG_VALUE)
		rdd_admission_warn(admission, "spec.value is longer than %d characters", FIXTURE_OK_LONG_VALUE);
	return TRUE;
}

static gboolean
fixture_ok_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	RddObject *obj = rdd_reconcile_get_object(reconcile);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) written = NULL;
	JsonObject *status;
	const gchar *value;
	gboolean changed = FALSE;

	if (obj == NULL)
		return TRUE;
	node = rdd_object_dup_node(obj);
	value = rdd_json_lookup_string(node, "spec.value");
	status = rdd_json_object_ensure_object(json_node_get_object(node), "status");
	if (g_strcmp0(json_object_get_string_member_with_default(status, "observed", NULL),
		      value != NULL ? value : "") != 0) {
		json_object_set_string_member(status, "observed", value != NULL ? value : "");
		changed = TRUE;
	}
	changed |= rdd_conditions_set(status, "Ready", "True", "Observed", "spec.value copied to status.observed",
				      rdd_object_get_generation(obj));
	if (!changed)
		return TRUE;
	written = rdd_store_update_status(rdd_reconcile_get_store(reconcile), node, NULL, error);
	return written != NULL;
}

static void
fixture_ok_ping(RddPluginContext *context, SoupServerMessage *msg, const gchar *path, GHashTable *query, gpointer user_data)
{
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg, "text/plain", SOUP_MEMORY_STATIC, "pong\n", 5);
}

static gboolean
fixture_ok_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
		.struct_size = sizeof(RddControllerVTable),
		.reconcile = fixture_ok_reconcile,
	};
	g_autoptr(RddController) controller = NULL;
	RddKind *kind;

	if (!rdd_plugin_context_add_kinds_from_data(context, fixture_ok_crd, -1, error))
		return FALSE;
	kind = rdd_plugin_context_lookup_kind(context, NULL, "Widget");
	rdd_plugin_context_add_admission(context, kind, RDD_ADMISSION_VALIDATING,
					 RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE,
					 "ok-validator", fixture_ok_admit, NULL, NULL);
	controller = rdd_controller_new("widget", "fixtures", kind, &vtable, NULL, NULL);
	rdd_plugin_context_add_controller(context, controller);
	rdd_plugin_context_add_route(context, "ping", fixture_ok_ping, NULL, NULL);
	return TRUE;
}

/*
 * For the daemon's shutdown tests: RDD_FIXTURE_UNREGISTER_MARKER names a file created when
 * unregistering starts, RDD_FIXTURE_UNREGISTER_DELAY_MS makes unregistering block that long.
 */
static void
fixture_ok_unregister(RddPluginContext *context)
{
	const gchar *marker = g_getenv("RDD_FIXTURE_UNREGISTER_MARKER");
	const gchar *delay = g_getenv("RDD_FIXTURE_UNREGISTER_DELAY_MS");

	if (marker != NULL && !g_file_set_contents(marker, "unregistering", -1, NULL))
		g_debug("cannot create %s", marker);
	if (delay != NULL)
		g_usleep(g_ascii_strtoull(delay, NULL, 10) * 1000);
	g_debug("fixture ok unregistered");
}

RDD_PLUGIN_DEFINE("ok", "fixtures.rancherdesktop.io", "1.2.3", "Fixture: a plugin that loads and works", fixture_ok_register, fixture_ok_unregister)
