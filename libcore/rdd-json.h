/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RDD_JSON_MAX_DEPTH:
 *
 * The deepest nesting rdd_json_parse() accepts; deeper input is rejected, not recursed into.
 *
 * Since: 0.1
 */
#define RDD_JSON_MAX_DEPTH 128

JsonNode *rdd_json_parse(const gchar *data, gssize length, GError **error);

void rdd_json_write(GString *out, JsonNode *node);
void rdd_json_write_pretty(GString *out, JsonNode *node, guint indent);
gchar *rdd_json_to_string(JsonNode *node, gboolean pretty);
void rdd_json_write_string(GString *out, const gchar *str);
void rdd_json_write_int(GString *out, gint64 v);

JsonNode *rdd_json_deep_copy(JsonNode *node);
JsonNode *rdd_json_node_new_object(JsonObject *object);
gboolean rdd_json_equal(JsonNode *a, JsonNode *b);

JsonNode *rdd_json_lookup(JsonNode *root, const gchar *dotted_path);
const gchar *rdd_json_lookup_string(JsonNode *root, const gchar *dotted_path);
JsonObject *rdd_json_lookup_object(JsonNode *root, const gchar *dotted_path);
JsonObject *rdd_json_object_ensure_object(JsonObject *obj, const gchar *member);
JsonArray *rdd_json_object_ensure_array(JsonObject *obj, const gchar *member);

G_END_DECLS
