/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Benchmark plugin: one namespaced kind, BenchItem, with a status subresource and nothing
 * else (no controller, no admission hook), so that the API benchmark measures the HTTP API
 * and the store, not a plugin's reconciler writing back.
 */

#include "config.h"

#include "rdd-core.h"

static const gchar bench_plugin_crd[] = "apiVersion: apiextensions.k8s.io/v1\n"
					"kind: CustomResourceDefinition\n"
					"metadata:\n"
					"  name: benchitems.bench.rancherdesktop.io\n"
					"spec:\n"
					"  group: bench.rancherdesktop.io\n"
					"  names:\n"
					"    kind: BenchItem\n"
					"    listKind: BenchItemList\n"
					"    plural: benchitems\n"
					"    singular: benchitem\n"
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
					"                payload: {type: string}\n"
					"            status:\n"
					"              type: object\n"
					"              properties:\n"
					"                observed: {type: integer}\n"
					"                phase: {type: string}\n"
					"                message: {type: string}\n";

static gboolean
bench_plugin_register(RddPluginContext *context, GError **error)
{
	return rdd_plugin_context_add_kinds_from_data(context, bench_plugin_crd, -1, error);
}

RDD_PLUGIN_DEFINE("bench",
		  "bench.rancherdesktop.io",
		  "0.1.0",
		  "Benchmark: a namespaced kind with a status subresource",
		  bench_plugin_register,
		  NULL)
