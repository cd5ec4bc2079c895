/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Feeds arbitrary bytes to rdd_api_protobuf_decode() as a body for each of the four built-in
 * kinds. A failure must be a BAD_REQUEST in the project domain; a success must be a JSON object
 * of the URL's kind (or a DeleteOptions) that survives the canonical writer and parser unchanged.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rdd-api-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static RddStore *rdd_protobuf_fuzzer_store = NULL;

static void
rdd_protobuf_fuzzer_check(RddKind *kind, JsonNode *node, GError *error)
{
	if (node == NULL) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == RDD_ERROR);
		g_assert_cmpint(error->code, ==, RDD_ERROR_BAD_REQUEST);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_true(g_str_has_prefix(error->message, "cannot decode the protobuf request body: "));
		return;
	}
	g_assert_null(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	{
		const gchar *body_kind = rdd_json_lookup_string(node, "kind");
		g_autofree gchar *text = rdd_json_to_string(node, FALSE);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(JsonNode) back = NULL;

		g_assert_nonnull(body_kind);
		g_assert_nonnull(rdd_json_lookup_string(node, "apiVersion"));
		g_assert_true(g_strcmp0(body_kind, rdd_kind_get_name(kind)) == 0 ||
			      g_strcmp0(body_kind, "DeleteOptions") == 0);
		if (g_strcmp0(body_kind, "DeleteOptions") != 0)
			g_assert_nonnull(rdd_json_lookup_object(node, "metadata"));

		/* only valid JSON text: the canonical form parses back to an equal value */
		g_assert_true(g_utf8_validate(text, -1, NULL));
		back = rdd_json_parse(text, -1, &error_local);
		g_assert_no_error(error_local);
		g_assert_true(rdd_json_equal(node, back));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *kinds[] = {"Namespace", "ConfigMap", "Secret", "Event"};

	/* the API reads no larger body */
	if (size > RDD_API_MAX_BODY)
		return 0;
	if (rdd_protobuf_fuzzer_store == NULL) {
		g_autoptr(GError) error = NULL;
		rdd_protobuf_fuzzer_store = rdd_store_new();
		g_assert_true(rdd_store_register_builtin_kinds(rdd_protobuf_fuzzer_store, &error));
		g_assert_no_error(error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		RddKind *kind = rdd_store_find_kind(rdd_protobuf_fuzzer_store, "v1", kinds[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = NULL;

		g_assert_nonnull(kind);
		node = rdd_api_protobuf_decode(kind, data, size, &error);
		rdd_protobuf_fuzzer_check(kind, node, error);
	}
	return 0;
}
