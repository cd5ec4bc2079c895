/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: loads fine, but its controller's reconcile returns FALSE without an error.
 */

#include "config.h"

#include "rdd-core.h"

static const gchar fixture_reconcile_false_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
						   "kind: CustomResourceDefinition\n"
						   "metadata:\n"
						   "  name: gadgets.reconcile.fixtures.rancherdesktop.io\n"
						   "spec:\n"
						   "  group: reconcile.fixtures.rancherdesktop.io\n"
						   "  names:\n"
						   "    kind: Gadget\n"
						   "    plural: gadgets\n"
						   "  scope: Cluster\n"
						   "  versions:\n"
						   "    - name: v1\n"
						   "      served: true\n"
						   "      storage: true\n"
						   "      schema:\n"
						   "        openAPIV3Schema:\n"
						   "          type: object\n"
						   "          properties:\n"
						   "            spec:\n"
						   "              type: object\n"
						   "              properties:\n"
						   "                value: {type: string}\n";

static gboolean
fixture_reconcile_false_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	/* the bug under test: failing without saying why */
	return rdd_reconcile_get_object(reconcile) == NULL;
}

static gboolean
fixture_reconcile_false_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
		.struct_size = sizeof(RddControllerVTable),
		.reconcile = fixture_reconcile_false_reconcile,
	};
	g_autoptr(RddController) controller = NULL;
	RddKind *kind;

	if (!rdd_plugin_context_add_kinds_from_data(context, fixture_reconcile_false_crd, -1, error))
		return FALSE;
	kind = rdd_plugin_context_lookup_kind(context, NULL, "Gadget");
	controller = rdd_controller_new("gadget", "fixtures", kind, &vtable, NULL, NULL);
	rdd_plugin_context_add_controller(context, controller);
	return TRUE;
}

RDD_PLUGIN_DEFINE("reconcile-false",
		  "reconcile.fixtures.rancherdesktop.io",
		  "1.0.0",
		  "Fixture: a controller whose reconcile fails without an error",
		  fixture_reconcile_false_register,
		  NULL)
