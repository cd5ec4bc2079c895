/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The input is a JSON document and a patch, separated by the first NUL byte or, if there is none,
 * the first newline. Both are parsed; the patch is then applied as an RFC 6902 JSON patch and as
 * an RFC 7386 merge patch, and, if it is a string, resolved as a JSON pointer. Results must be
 * writable and parse back, and the document must never change.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
rdd_json_patch_fuzzer_check_result(JsonNode *result)
{
	g_autofree gchar *text = rdd_json_to_string(result, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) back = rdd_json_parse(text, -1, &error);

	/* results stay within what the parser accepts, so the store can read them back */
	g_assert_no_error(error);
	g_assert_true(rdd_json_equal(result, back));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const gchar *text = (const gchar *)data;
	const gchar *sep;
	gsize doc_len;
	g_autoptr(JsonNode) doc = NULL;
	g_autoptr(JsonNode) patch = NULL;
	g_autofree gchar *doc_before = NULL;
	g_autofree gchar *doc_after = NULL;

	if (size > 64 * 1024)
		return 0;
	sep = memchr(text, '\0', size);
	if (sep == NULL)
		sep = memchr(text, '\n', size);
	if (sep == NULL)
		return 0;
	doc_len = sep - text;

	doc = rdd_json_parse(text, (gssize)doc_len, NULL);
	patch = rdd_json_parse(sep + 1, (gssize)(size - doc_len - 1), NULL);
	if (patch == NULL)
		return 0;
	doc_before = rdd_json_to_string(doc, FALSE);

	/* RFC 6902; a NULL document is allowed */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) result = rdd_json_patch_apply(doc, patch, &error);
		if (result != NULL) {
			g_assert_no_error(error);
			rdd_json_patch_fuzzer_check_result(result);
		} else {
			g_assert_nonnull(error);
			g_assert_true(error->domain == RDD_ERROR);
			g_assert_true(error->code == RDD_ERROR_BAD_REQUEST || error->code == RDD_ERROR_INVALID);
			g_assert_true(g_utf8_validate(error->message, -1, NULL));
		}
	}

	/* RFC 7386 */
	{
		g_autoptr(JsonNode) result = rdd_json_merge_patch(doc, patch);
		g_assert_nonnull(result);
		rdd_json_patch_fuzzer_check_result(result);
		/* merging the same patch again changes nothing */
		{
			g_autoptr(JsonNode) again = rdd_json_merge_patch(result, patch);
			g_assert_true(rdd_json_equal(result, again));
		}
	}

	/* a string patch doubles as a JSON pointer */
	if (JSON_NODE_HOLDS_VALUE(patch) && json_node_get_value_type(patch) == G_TYPE_STRING) {
		g_autoptr(GError) error = NULL;
		JsonNode *found = rdd_json_pointer_get(doc, json_node_get_string(patch), &error);
		g_assert_true((found == NULL) == (error != NULL));
		if (found != NULL)
			rdd_json_patch_fuzzer_check_result(found);
	}

	doc_after = rdd_json_to_string(doc, FALSE);
	g_assert_cmpstr(doc_before, ==, doc_after);
	return 0;
}
