/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: adds a CRD of a group the plugin does not own.
 */

#include "config.h"

#include "rdd-core.h"

static const gchar fixture_wrong_group_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
					       "kind: CustomResourceDefinition\n"
					       "metadata:\n"
					       "  name: sprockets.elsewhere.example.com\n"
					       "spec:\n"
					       "  group: elsewhere.example.com\n"
					       "  names:\n"
					       "    kind: Sprocket\n"
					       "    plural: sprockets\n"
					       "  scope: Cluster\n"
					       "  versions:\n"
					       "    - name: v1\n"
					       "      served: true\n"
					       "      storage: true\n"
					       "      schema:\n"
					       "        openAPIV3Schema:\n"
					       "          type: object\n";

static gboolean
fixture_wrong_group_register(RddPluginContext *context, GError **error)
{
	return rdd_plugin_context_add_kinds_from_data(context, fixture_wrong_group_crd, -1, error);
}

RDD_PLUGIN_DEFINE("wrong-group",
		  "wrong-group.fixtures.rancherdesktop.io",
		  "1.0.0",
		  "Fixture: adds a kind of another API group",
		  fixture_wrong_group_register,
		  NULL)
