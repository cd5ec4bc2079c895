/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *
rdd_json_merge_patch(JsonNode *target, JsonNode *patch);

JsonNode *
rdd_json_patch_apply(JsonNode *target, JsonNode *operations, GError **error);

JsonNode *
rdd_json_pointer_get(JsonNode *root, const gchar *pointer, GError **error);

G_END_DECLS
