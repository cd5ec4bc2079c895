/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Fuzzes the JSONPath parser and evaluator. The input is a mode byte, an expression up to the
 * first newline, and a JSON document after it (a built-in document when it is missing or not
 * valid). Mode byte % 3 == 0 (e.g. '0'): a template, executed leniently and strictly; 1 ('1'):
 * a template, evaluated to values; 2 ('2'): an expression as rdd_jsonpath_parse() takes it.
 * Errors are expected; what must hold for every input:
 *  - NULL is returned exactly when an RDD_ERROR error with a UTF-8 message is set;
 *  - a compiled expression keeps its text;
 *  - the output of a template is UTF-8;
 *  - what succeeds strictly succeeds leniently with the same output (strict only adds errors);
 *  - rdd_jsonpath_eval() never fails, and agrees with rdd_jsonpath_eval_full() when that works.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-jsonpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const gchar *rdd_jsonpath_fuzzer_doc =
	"{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"a\",\"labels\":{\"x.y/z\":\"1\"}},"
	"\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"n\":1},"
	"{\"type\":\"Synced\",\"n\":2.5}]}},{\"metadata\":{\"name\":\"b\"},\"spec\":{\"n\":null,"
	"\"arr\":[1,[2,[3]],{\"k\":\"v\"}],\"b\":true,\"f\":1e-7,\"s\":\"\"}}]}";

static void
rdd_jsonpath_fuzzer_check(gboolean cond, const gchar *what, const gchar *expr)
{
	if (cond)
		return;
	g_printerr("jsonpath fuzzer: %s, expression: %s\n", what, expr);
	abort();
}

static void
rdd_jsonpath_fuzzer_check_error(gpointer result, GError *error, const gchar *expr)
{
	if (result != NULL) {
		rdd_jsonpath_fuzzer_check(error == NULL, "result returned with an error", expr);
		return;
	}
	rdd_jsonpath_fuzzer_check(error != NULL, "NULL returned without an error", expr);
	rdd_jsonpath_fuzzer_check(error->domain == RDD_ERROR, "unexpected error domain", expr);
	rdd_jsonpath_fuzzer_check(g_utf8_validate(error->message, -1, NULL), "error message is not UTF-8", expr);
}

static void
rdd_jsonpath_fuzzer_values(RddJsonPath *path, JsonNode *doc, const gchar *expr)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) full = rdd_jsonpath_eval_full(path, doc, RDD_JSONPATH_FLAG_NONE, &error);
	g_autoptr(GPtrArray) values = rdd_jsonpath_eval(path, doc);

	rdd_jsonpath_fuzzer_check_error(full, error, expr);
	rdd_jsonpath_fuzzer_check(values != NULL, "eval() returned NULL", expr);
	if (full == NULL) {
		rdd_jsonpath_fuzzer_check(values->len == 0, "eval() has values where eval_full() fails", expr);
		return;
	}
	rdd_jsonpath_fuzzer_check(values->len == full->len, "eval() and eval_full() disagree", expr);
	for (guint i = 0; i < values->len; i++) {
		g_autofree gchar *a = rdd_jsonpath_format_value(g_ptr_array_index(values, i));
		g_autofree gchar *b = rdd_jsonpath_format_value(g_ptr_array_index(full, i));
		rdd_jsonpath_fuzzer_check(g_strcmp0(a, b) == 0, "eval() and eval_full() values differ", expr);
		rdd_jsonpath_fuzzer_check(g_utf8_validate(a, -1, NULL), "a value is not UTF-8", expr);
	}
}

static void
rdd_jsonpath_fuzzer_template(const gchar *expr, JsonNode *doc, gboolean values)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddJsonPath) path = rdd_jsonpath_parse_template(expr, &error);
	g_autofree gchar *lenient = NULL;
	g_autofree gchar *strict = NULL;
	g_autoptr(GError) error_lenient = NULL;
	g_autoptr(GError) error_strict = NULL;

	rdd_jsonpath_fuzzer_check_error(path, error, expr);
	if (path == NULL)
		return;
	rdd_jsonpath_fuzzer_check(g_strcmp0(rdd_jsonpath_get_text(path), expr) == 0, "text changed", expr);
	if (values) {
		rdd_jsonpath_fuzzer_values(path, doc, expr);
		return;
	}
	lenient = rdd_jsonpath_execute(path, doc, RDD_JSONPATH_FLAG_NONE, &error_lenient);
	rdd_jsonpath_fuzzer_check_error(lenient, error_lenient, expr);
	strict = rdd_jsonpath_execute(path, doc, RDD_JSONPATH_FLAG_STRICT, &error_strict);
	rdd_jsonpath_fuzzer_check_error(strict, error_strict, expr);
	if (lenient != NULL)
		rdd_jsonpath_fuzzer_check(g_utf8_validate(lenient, -1, NULL), "output is not UTF-8", expr);
	if (strict != NULL) {
		rdd_jsonpath_fuzzer_check(lenient != NULL, "strict succeeds where lenient fails", expr);
		rdd_jsonpath_fuzzer_check(g_strcmp0(strict, lenient) == 0, "strict and lenient differ", expr);
	}
}

static void
rdd_jsonpath_fuzzer_expression(const gchar *expr, JsonNode *doc)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddJsonPath) path = rdd_jsonpath_parse(expr, &error);

	rdd_jsonpath_fuzzer_check_error(path, error, expr);
	if (path == NULL)
		return;
	rdd_jsonpath_fuzzer_check(g_strcmp0(rdd_jsonpath_get_text(path), expr) == 0, "text changed", expr);
	rdd_jsonpath_fuzzer_values(path, doc, expr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *text = (const gchar *)data + 1;
	const gchar *nl;
	g_autofree gchar *expr = NULL;
	g_autoptr(JsonNode) doc = NULL;
	gsize len;

	if (size == 0)
		return 0;
	len = size - 1;
	nl = memchr(text, '\n', len);
	/* the expression stops at a NUL byte, as a C string does */
	expr = g_strndup(text, nl != NULL ? (gsize)(nl - text) : len);
	if (nl != NULL)
		doc = rdd_json_parse(nl + 1, (gssize)(len - (gsize)(nl + 1 - text)), NULL);
	if (doc == NULL)
		doc = rdd_json_parse(rdd_jsonpath_fuzzer_doc, -1, NULL);
	if (doc == NULL)
		abort();
	switch (data[0] % 3) {
	case 0:
		rdd_jsonpath_fuzzer_template(expr, doc, FALSE);
		break;
	case 1:
		rdd_jsonpath_fuzzer_template(expr, doc, TRUE);
		break;
	default:
		rdd_jsonpath_fuzzer_expression(expr, doc);
		break;
	}
	return 0;
}
