/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RDD_YAML_MAX_NODES:
 *
 * The default cap on the number of nodes one YAML stream may produce, counting every expansion
 * of an alias, so that "billion laughs" input fails instead of exhausting memory.
 *
 * Since: 0.1
 */
#define RDD_YAML_MAX_NODES 1000000

/**
 * RDD_YAML_MAX_DEPTH:
 *
 * The default cap on nesting depth of a YAML document.
 *
 * Since: 0.1
 */
#define RDD_YAML_MAX_DEPTH 128

GPtrArray *
rdd_yaml_parse_all(const gchar *data, gssize length, GError **error);
GPtrArray *
rdd_yaml_parse_all_full(const gchar *data,
			gssize length,
			guint max_nodes,
			guint max_depth,
			GError **error);
JsonNode *
rdd_yaml_parse(const gchar *data, gssize length, GError **error);

gchar *
rdd_yaml_emit(JsonNode *node);

G_END_DECLS
