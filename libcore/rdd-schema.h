/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RddSchemaType:
 * @RDD_SCHEMA_TYPE_ANY: no `type` given (only valid with preserve-unknown-fields or int-or-string)
 * @RDD_SCHEMA_TYPE_OBJECT: `object`
 * @RDD_SCHEMA_TYPE_ARRAY: `array`
 * @RDD_SCHEMA_TYPE_STRING: `string`
 * @RDD_SCHEMA_TYPE_INTEGER: `integer`
 * @RDD_SCHEMA_TYPE_NUMBER: `number`
 * @RDD_SCHEMA_TYPE_BOOLEAN: `boolean`
 *
 * The `type` of an OpenAPI v3 structural schema node.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_SCHEMA_TYPE_ANY,
	RDD_SCHEMA_TYPE_OBJECT,
	RDD_SCHEMA_TYPE_ARRAY,
	RDD_SCHEMA_TYPE_STRING,
	RDD_SCHEMA_TYPE_INTEGER,
	RDD_SCHEMA_TYPE_NUMBER,
	RDD_SCHEMA_TYPE_BOOLEAN,
} RddSchemaType;

/**
 * RddSchema:
 *
 * A compiled, immutable, reference-counted OpenAPI v3 structural schema node (the
 * `openAPIV3Schema` of a CRD version, or any node below it).
 *
 * At the root of an object schema the members `apiVersion`, `kind` and `metadata` are
 * always known: they are never pruned, defaulted or validated here (the store validates
 * metadata itself).
 *
 * Since: 0.1
 */
typedef struct _RddSchema RddSchema;

GType rdd_schema_get_type(void);
#define RDD_TYPE_SCHEMA (rdd_schema_get_type())

RddSchema *rdd_schema_new(JsonNode *openapi_v3_schema, GError **error);
RddSchema *rdd_schema_ref(RddSchema *self);
void rdd_schema_unref(RddSchema *self);

RddSchemaType rdd_schema_get_value_type(RddSchema *self);
const gchar *rdd_schema_get_value_type_name(RddSchema *self);
const gchar *rdd_schema_get_description(RddSchema *self);
const gchar *rdd_schema_get_format(RddSchema *self);
JsonArray *rdd_schema_get_enum(RddSchema *self);
JsonNode *rdd_schema_get_default(RddSchema *self);
gboolean rdd_schema_get_nullable(RddSchema *self);
gboolean rdd_schema_get_preserve_unknown_fields(RddSchema *self);
gboolean rdd_schema_get_int_or_string(RddSchema *self);
GPtrArray *rdd_schema_get_property_names(RddSchema *self);
RddSchema *rdd_schema_get_property(RddSchema *self, const gchar *name);
gboolean rdd_schema_is_required(RddSchema *self, const gchar *name);
RddSchema *rdd_schema_get_items(RddSchema *self);
RddSchema *rdd_schema_get_additional_properties(RddSchema *self);
RddSchema *rdd_schema_lookup(RddSchema *self, const gchar *dotted_path);
JsonNode *rdd_schema_get_node(RddSchema *self);

void rdd_schema_apply_defaults(RddSchema *self, JsonNode *value);
void rdd_schema_prune(RddSchema *self, JsonNode *value, GPtrArray *unknown_fields);
gboolean rdd_schema_validate(RddSchema *self, JsonNode *value, GPtrArray *causes);
gboolean rdd_schema_process(RddSchema *self, JsonNode *value, GPtrArray *unknown_fields, GPtrArray *causes);
gboolean rdd_schema_write(RddSchema *self, JsonNode *value, GString *out, GArray *members);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddSchema, rdd_schema_unref)

G_END_DECLS
