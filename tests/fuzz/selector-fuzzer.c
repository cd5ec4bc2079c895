/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Fuzzes the selector parsers. The first byte of the input picks the parser, the rest is its
 * text: byte % 3 == 0 (e.g. '0') label selector, 1 (e.g. '1') field selector, 2 (e.g. '2') a
 * JSON metav1.LabelSelector. Errors are expected; what must hold for every input:
 *  - NULL is returned exactly when an RDD_ERROR_BAD_REQUEST (RDD_ERROR_INVALID for JSON) error
 *    with a UTF-8 message is set;
 *  - to_string() of a parsed selector parses again to an equal selector, and prints the same;
 *  - label keys and values pass the exported validators;
 *  - rdd_selector_matches_pairs() and rdd_selector_matches() agree;
 *  - find_requirement() finds the first requirement on every key.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RDD_SELECTOR_FUZZER_MAX_JSON_DEPTH 32

static void
rdd_selector_fuzzer_check(gboolean cond, const gchar *what, const gchar *text)
{
	if (cond)
		return;
	g_printerr("selector fuzzer: %s, input: %s\n", what, text);
	abort();
}

static void
rdd_selector_fuzzer_check_error(RddSelector *sel, GError *error, gint code, const gchar *text)
{
	if (sel != NULL) {
		rdd_selector_fuzzer_check(error == NULL, "selector returned with an error", text);
		return;
	}
	rdd_selector_fuzzer_check(error != NULL, "NULL returned without an error", text);
	rdd_selector_fuzzer_check(error->domain == RDD_ERROR && error->code == code,
				  "unexpected error domain or code", text);
	rdd_selector_fuzzer_check(g_utf8_validate(error->message, -1, NULL), "error message is not UTF-8", text);
}

/* a lookup over the flat {k, v, ..., NULL} array, linear on purpose */
static const gchar *
rdd_selector_fuzzer_lookup(const gchar *key, gpointer user_data)
{
	const gchar *const *pairs = user_data;
	for (guint i = 0; pairs[i] != NULL; i += 2) {
		if (strcmp(pairs[i], key) == 0)
			return pairs[i + 1];
	}
	return NULL;
}

/* checks the invariants of a selector that parsed */
static void
rdd_selector_fuzzer_check_selector(RddSelector *sel, const gchar *text)
{
	gboolean fields = rdd_selector_is_fields(sel);
	guint n = rdd_selector_get_n_requirements(sel);
	g_autofree gchar *str = rdd_selector_to_string(sel);
	g_autofree gchar *str2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RddSelector) again = NULL;
	g_autoptr(GPtrArray) pairs = g_ptr_array_new();

	again = fields ? rdd_selector_parse_fields(str, &error) : rdd_selector_parse_labels(str, &error);
	if (again == NULL)
		g_printerr("re-parsing \"%s\": %s\n", str, error->message);
	rdd_selector_fuzzer_check(again != NULL, "to_string() does not parse again", text);
	rdd_selector_fuzzer_check(rdd_selector_equal(sel, again),
				  "to_string() parses to a different selector", text);
	str2 = rdd_selector_to_string(again);
	rdd_selector_fuzzer_check(g_strcmp0(str, str2) == 0, "to_string() is not stable", text);
	rdd_selector_fuzzer_check(rdd_selector_is_empty(sel) == (n == 0), "is_empty() wrong", text);

	for (guint i = 0; i < n; i++) {
		const RddRequirement *req = rdd_selector_get_requirement(sel, i);
		const RddRequirement *first = rdd_selector_find_requirement(sel, req->key);
		rdd_selector_fuzzer_check(first != NULL && strcmp(first->key, req->key) == 0 && first <= req,
					  "find_requirement() missed the first requirement", text);
		rdd_selector_fuzzer_check(req->values != NULL, "values is NULL", text);
		if (i > 0) {
			const RddRequirement *prev = rdd_selector_get_requirement(sel, i - 1);
			rdd_selector_fuzzer_check(strcmp(prev->key, req->key) <= 0,
						  "requirements not sorted by key", text);
		}
		if (!fields) {
			rdd_selector_fuzzer_check(rdd_label_key_validate(req->key, NULL),
						  "invalid key accepted", text);
			for (guint j = 0; req->values[j] != NULL; j++) {
				rdd_selector_fuzzer_check(rdd_label_value_validate(req->values[j], NULL),
							  "invalid value accepted", text);
				rdd_selector_fuzzer_check(
					j == 0 || strcmp(req->values[j - 1], req->values[j]) < 0,
					"values not sorted and unique", text);
			}
		}
		/* an object that has each key once, with the requirement's first value */
		if (pairs->len == 0 || strcmp(g_ptr_array_index(pairs, pairs->len - 2), req->key) != 0) {
			g_ptr_array_add(pairs, req->key);
			g_ptr_array_add(pairs, req->values[0] != NULL ? req->values[0] : (gchar *)"x");
		}
	}
	g_ptr_array_add(pairs, NULL);

	rdd_selector_fuzzer_check(rdd_selector_matches_pairs(sel, (const gchar *const *)pairs->pdata) ==
					  rdd_selector_matches(sel, rdd_selector_fuzzer_lookup, pairs->pdata),
				  "matches_pairs() and matches() disagree", text);
	rdd_selector_fuzzer_check(rdd_selector_matches_pairs(sel, NULL) ==
					  rdd_selector_matches(sel, rdd_selector_fuzzer_lookup,
							       (gpointer)(const gchar *const[]){NULL}),
				  "matches_pairs(NULL) and matches() disagree", text);
}

/* json-glib 1.6 parses recursively: keep deeply nested input away from it */
static gboolean
rdd_selector_fuzzer_json_too_deep(const gchar *text)
{
	gint depth = 0;
	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '[' || *p == '{')
			depth++;
		else if (*p == ']' || *p == '}')
			depth--;
		if (depth > RDD_SELECTOR_FUZZER_MAX_JSON_DEPTH)
			return TRUE;
	}
	return FALSE;
}

static void
rdd_selector_fuzzer_json(const gchar *text)
{
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddSelector) sel = NULL;
	g_autoptr(GError) error = NULL;

	if (rdd_selector_fuzzer_json_too_deep(text))
		return;
	node = json_from_string(text, NULL);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return;
	sel = rdd_selector_new_from_label_selector_json(json_node_get_object(node), &error);
	rdd_selector_fuzzer_check_error(sel, error, RDD_ERROR_INVALID, text);
	if (sel != NULL) {
		rdd_selector_fuzzer_check(!rdd_selector_is_fields(sel), "JSON gave fields", text);
		rdd_selector_fuzzer_check_selector(sel, text);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;
	g_autoptr(RddSelector) sel = NULL;
	g_autoptr(GError) error = NULL;

	if (size == 0)
		return 0;
	text = g_strndup((const gchar *)data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		sel = rdd_selector_parse_labels(text, &error);
		break;
	case 1:
		sel = rdd_selector_parse_fields(text, &error);
		break;
	default:
		rdd_selector_fuzzer_json(text);
		return 0;
	}
	rdd_selector_fuzzer_check_error(sel, error, RDD_ERROR_BAD_REQUEST, text);
	if (sel != NULL)
		rdd_selector_fuzzer_check_selector(sel, text);
	return 0;
}
