/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RDD_JSONPATH_MAX_LENGTH:
 *
 * The longest expression or template rdd_jsonpath_parse() and rdd_jsonpath_parse_template()
 * accept, in bytes.
 *
 * Since: 0.1
 */
#define RDD_JSONPATH_MAX_LENGTH (64 * 1024)

/**
 * RDD_JSONPATH_MAX_VALUES:
 *
 * How many values one evaluation may visit and produce in total (a bound on the time and
 * memory of expressions such as `..*..*` on large documents); more is an error.
 *
 * Since: 0.1
 */
#define RDD_JSONPATH_MAX_VALUES 1000000

/**
 * RDD_JSONPATH_MAX_OUTPUT:
 *
 * The largest text a template may produce, in bytes; more is an error.
 *
 * Since: 0.1
 */
#define RDD_JSONPATH_MAX_OUTPUT (64 * 1024 * 1024)

/**
 * RddJsonPathFlags:
 * @RDD_JSONPATH_FLAG_NONE: missing keys give no value, as kubectl's default
 *   `--allow-missing-template-keys=true` does
 * @RDD_JSONPATH_FLAG_STRICT: a field that none of its inputs has is an error
 *   `<name> is not found`, as `kubectl --allow-missing-template-keys=false`
 *
 * How an evaluation treats missing keys.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_JSONPATH_FLAG_NONE = 0,
	RDD_JSONPATH_FLAG_STRICT = 1 << 0,
} RddJsonPathFlags;

/**
 * RddJsonPath:
 *
 * A compiled, immutable, reference-counted JSONPath expression or template in the dialect of
 * Kubernetes' `k8s.io/client-go/util/jsonpath`, as used by CRD `additionalPrinterColumns`,
 * `kubectl -o jsonpath=` and `-o custom-columns=`.
 *
 * Since: 0.1
 */
typedef struct _RddJsonPath RddJsonPath;

GType rdd_jsonpath_get_type(void);
#define RDD_TYPE_JSONPATH (rdd_jsonpath_get_type())

RddJsonPath *rdd_jsonpath_parse(const gchar *expr, GError **error);
RddJsonPath *rdd_jsonpath_parse_template(const gchar *tmpl, GError **error);
RddJsonPath *rdd_jsonpath_ref(RddJsonPath *self);
void rdd_jsonpath_unref(RddJsonPath *self);
const gchar *rdd_jsonpath_get_text(RddJsonPath *self);

GPtrArray *rdd_jsonpath_eval(RddJsonPath *self, JsonNode *root);
GPtrArray *rdd_jsonpath_eval_full(RddJsonPath *self, JsonNode *root, RddJsonPathFlags flags, GError **error);
gchar *rdd_jsonpath_execute(RddJsonPath *self, JsonNode *root, RddJsonPathFlags flags, GError **error);
gchar *rdd_jsonpath_execute_template(const gchar *tmpl, JsonNode *root, GError **error);

void rdd_jsonpath_append_value(GString *out, JsonNode *value);
gchar *rdd_jsonpath_format_value(JsonNode *value);
void rdd_jsonpath_append_double(GString *out, gdouble value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddJsonPath, rdd_jsonpath_unref)

G_END_DECLS
