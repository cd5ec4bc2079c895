/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Parses the input as a YAML stream; every document must emit as YAML that parses back to an
 * equal tree, and emitting that again must give the same text.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "rdd-json.h"
#include "rdd-yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = NULL;

	/* a smaller node cap than the default keeps alias bombs cheap to fuzz */
	docs = rdd_yaml_parse_all_full((const gchar *)data, (gssize)size, 100000, RDD_YAML_MAX_DEPTH, &error);
	if (docs == NULL) {
		if (error == NULL || error->message == NULL)
			abort();
		return 0;
	}
	for (guint i = 0; i < docs->len; i++) {
		JsonNode *node = g_ptr_array_index(docs, i);
		g_autofree gchar *yaml = rdd_yaml_emit(node);
		g_autofree gchar *again = NULL;
		g_autoptr(JsonNode) back = NULL;
		g_autoptr(GError) error_local = NULL;

		if (yaml == NULL)
			abort();
		back = rdd_yaml_parse(yaml, -1, &error_local);
		if (back == NULL) {
			g_printerr("emitted YAML does not parse: %s\n%s", error_local->message, yaml);
			abort();
		}
		if (!rdd_json_equal(node, back)) {
			g_autofree gchar *json1 = rdd_json_to_string(node, FALSE);
			g_autofree gchar *json2 = rdd_json_to_string(back, FALSE);
			g_printerr("round trip changed the document:\n%s\n%s\n%s", json1, json2, yaml);
			abort();
		}
		again = rdd_yaml_emit(back);
		if (g_strcmp0(yaml, again) != 0)
			abort();
	}
	return 0;
}
