/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Feeds arbitrary bytes to rdd_json_parse(). Whatever parses must survive the round trip through
 * the canonical and the pretty writer unchanged, and deep copies must compare equal.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
rdd_json_fuzzer_check_roundtrip(JsonNode *node)
{
	g_autofree gchar *text = rdd_json_to_string(node, FALSE);
	g_autofree gchar *pretty = rdd_json_to_string(node, TRUE);
	g_autofree gchar *text2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) back = NULL;
	g_autoptr(JsonNode) back_pretty = NULL;
	g_autoptr(JsonNode) copy = NULL;

	/* the canonical form parses back to an equal value with the same canonical form */
	g_assert_true(g_utf8_validate(text, -1, NULL));
	back = rdd_json_parse(text, -1, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_json_equal(node, back));
	text2 = rdd_json_to_string(back, FALSE);
	g_assert_cmpstr(text, ==, text2);

	/* so does the pretty form */
	back_pretty = rdd_json_parse(pretty, -1, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_json_equal(node, back_pretty));

	/* a deep copy is equal, and writes the same */
	copy = rdd_json_deep_copy(node);
	g_assert_true(rdd_json_equal(node, copy));
	g_assert_true(rdd_json_equal(copy, back));
	{
		g_autofree gchar *text3 = rdd_json_to_string(copy, FALSE);
		g_assert_cmpstr(text, ==, text3);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	/* keep each run fast; size is not what this fuzzer is about */
	if (size > 256 * 1024)
		return 0;

	node = rdd_json_parse((const gchar *)data, (gssize)size, &error);
	if (node == NULL) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == RDD_ERROR);
		g_assert_cmpint(error->code, ==, RDD_ERROR_BAD_REQUEST);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_true(g_str_has_prefix(error->message, "invalid JSON at line "));
	} else {
		g_assert_null(error);
		rdd_json_fuzzer_check_roundtrip(node);
		/* lookups never fail on arbitrary documents */
		(void)rdd_json_lookup_string(node, "metadata.name");
		(void)rdd_json_lookup_object(node, "spec");
	}

	/* the NUL-terminated entry point agrees when there is no NUL byte in the input */
	if (memchr(data, '\0', size) == NULL) {
		g_autofree gchar *str = g_strndup((const gchar *)data, size);
		g_autoptr(GError) error2 = NULL;
		g_autoptr(JsonNode) node2 = rdd_json_parse(str, -1, &error2);
		g_assert_true((node == NULL) == (node2 == NULL));
		if (node != NULL)
			g_assert_true(rdd_json_equal(node, node2));
		else
			g_assert_cmpstr(error->message, ==, error2->message);
	}
	return 0;
}
