/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: registers Widget.fixtures.rancherdesktop.io, which the `ok` fixture already
 * registered. Its registration succeeds but the commit fails, so nothing it added may stay:
 * its admission hook denies every write and its controller fails every run, which the tests
 * would notice.
 */

#include "config.h"

#include "rdd-core.h"

static const gchar fixture_kind_clash_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
					      "kind: CustomResourceDefinition\n"
					      "metadata:\n"
					      "  name: widgets.fixtures.rancherdesktop.io\n"
					      "spec:\n"
					      "  group: fixtures.rancherdesktop.io\n"
					      "  names:\n"
					      "    kind: Widget\n"
					      "    plural: widgets\n"
					      "  scope: Namespaced\n"
					      "  versions:\n"
					      "    - name: v1alpha1\n"
					      "      served: true\n"
					      "      storage: true\n"
					      "      schema:\n"
					      "        openAPIV3Schema:\n"
					      "          type: object\n"
					      "          x-kubernetes-preserve-unknown-fields: true\n";

static gboolean
fixture_kind_clash_admit(RddAdmission *admission, gpointer user_data, GError **error)
{
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN, "the kind-clash fixture's hook must never run");
	return FALSE;
}

static gboolean
fixture_kind_clash_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "the kind-clash fixture's controller must never run");
	return FALSE;
}

static void
fixture_kind_clash_route(RddPluginContext *context, SoupServerMessage *msg, const gchar *path, GHashTable *query, gpointer user_data)
{
	soup_server_message_set_status(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
}

static gboolean
fixture_kind_clash_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
		.struct_size = sizeof(RddControllerVTable),
		.reconcile = fixture_kind_clash_reconcile,
	};
	g_autoptr(RddController) controller = NULL;
	RddKind *kind;

	if (!rdd_plugin_context_add_kinds_from_data(context, fixture_kind_clash_crd, -1, error))
		return FALSE;
	kind = rdd_plugin_context_lookup_kind(context, NULL, "Widget");
	rdd_plugin_context_add_admission(context, kind, RDD_ADMISSION_VALIDATING, RDD_OPERATION_ALL,
					 "kind-clash-validator", fixture_kind_clash_admit, NULL, NULL);
	controller = rdd_controller_new("kind-clash", "fixtures", kind, &vtable, NULL, NULL);
	rdd_plugin_context_add_controller(context, controller);
	rdd_plugin_context_add_route(context, "clash", fixture_kind_clash_route, NULL, NULL);
	return TRUE;
}

RDD_PLUGIN_DEFINE("kind-clash",
		  "fixtures.rancherdesktop.io",
		  "1.0.0",
		  "Fixture: registers a kind another plugin already owns",
		  fixture_kind_clash_register,
		  NULL)
