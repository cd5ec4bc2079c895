/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The input is a YAML schema document, a line `---`, and an object in JSON or YAML. The schema
 * is compiled; the object is defaulted, pruned and validated, and a second default + prune
 * pass must change nothing. The one-walk paths the store uses must agree with the separate
 * passes: rdd_schema_process() gives the same object, unknown fields and causes as prune then
 * validate, and rdd_schema_write() writes only when there is nothing to prune or report, and
 * then what rdd_json_write() writes (without a root object's apiVersion, kind, metadata).
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-schema.h"
#include "rdd-yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static JsonNode *
rdd_schema_fuzzer_parse_object(const gchar *text, gsize len)
{
	JsonNode *node = rdd_json_parse(text, (gssize)len, NULL);
	if (node != NULL)
		return node;
	return rdd_yaml_parse(text, (gssize)len, NULL);
}

static void
rdd_schema_fuzzer_walk(RddSchema *schema, guint depth)
{
	g_autoptr(GPtrArray) names = rdd_schema_get_property_names(schema);

	(void)rdd_schema_get_value_type_name(schema);
	(void)rdd_schema_get_description(schema);
	(void)rdd_schema_get_default(schema);
	(void)rdd_schema_get_enum(schema);
	if (depth > 8)
		return;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		if (rdd_schema_get_property(schema, name) == NULL)
			abort();
		/* a dotted path cannot name a property with a dot in it, or "" */
		if (name[0] != '\0' && strchr(name, '.') == NULL &&
		    rdd_schema_lookup(schema, name) != rdd_schema_get_property(schema, name))
			abort();
		(void)rdd_schema_is_required(schema, name);
		rdd_schema_fuzzer_walk(rdd_schema_get_property(schema, name), depth + 1);
	}
	if (rdd_schema_get_items(schema) != NULL)
		rdd_schema_fuzzer_walk(rdd_schema_get_items(schema), depth + 1);
	if (rdd_schema_get_additional_properties(schema) != NULL)
		rdd_schema_fuzzer_walk(rdd_schema_get_additional_properties(schema), depth + 1);
}

static void
rdd_schema_fuzzer_fail(const gchar *what, JsonNode *value)
{
	g_autofree gchar *json = rdd_json_to_string(value, FALSE);
	g_printerr("%s, for %s\n", what, json);
	abort();
}

static gboolean
rdd_schema_fuzzer_same_strings(GPtrArray *a, GPtrArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		if (g_strcmp0(g_ptr_array_index(a, i), g_ptr_array_index(b, i)) != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_schema_fuzzer_same_causes(GPtrArray *a, GPtrArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		RddCause *ca = g_ptr_array_index(a, i);
		RddCause *cb = g_ptr_array_index(b, i);
		if (g_strcmp0(ca->type, cb->type) != 0 || g_strcmp0(ca->field, cb->field) != 0 ||
		    g_strcmp0(ca->message, cb->message) != 0)
			return FALSE;
	}
	return TRUE;
}

/* what rdd_schema_write() must have written for @value: at the root, an object's resource
 * members are the store's */
static gchar *
rdd_schema_fuzzer_expected_write(RddSchema *schema, JsonNode *value)
{
	g_autoptr(JsonNode) copy = rdd_json_deep_copy(value);
	GString *out = g_string_new(NULL);
	if (JSON_NODE_HOLDS_OBJECT(copy)) {
		JsonObject *obj = json_node_get_object(copy);
		json_object_remove_member(obj, "apiVersion");
		json_object_remove_member(obj, "kind");
		json_object_remove_member(obj, "metadata");
	}
	rdd_json_write(out, copy);
	return g_string_free(out, FALSE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = g_strndup((const gchar *)data, size);
	const gchar *sep;
	const gchar *object_text;
	g_autoptr(JsonNode) schema_node = NULL;
	g_autoptr(RddSchema) schema = NULL;
	g_autoptr(JsonNode) value = NULL;
	g_autoptr(JsonNode) again = NULL;
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) unknown2 = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autoptr(GPtrArray) unknown_proc = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) causes_proc = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autoptr(JsonNode) processed = NULL;
	g_autoptr(JsonNode) written_value = NULL;
	g_autoptr(GString) out = g_string_new("prefix");
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GError) error = NULL;
	gboolean valid;
	gboolean written;

	/* text stops at a NUL byte; the rest of the input is ignored */
	sep = strstr(text, "\n---\n");
	if (sep == NULL)
		return 0;
	object_text = sep + 5;

	schema_node = rdd_yaml_parse(text, sep - text + 1, &error);
	if (schema_node == NULL)
		return 0;
	schema = rdd_schema_new(schema_node, &error);
	if (schema == NULL) {
		if (error == NULL || error->domain != RDD_ERROR)
			abort();
		return 0;
	}
	rdd_schema_fuzzer_walk(schema, 0);

	value = rdd_schema_fuzzer_parse_object(object_text, strlen(object_text));
	if (value == NULL)
		return 0;
	rdd_schema_apply_defaults(schema, value);
	processed = rdd_json_deep_copy(value);
	written_value = rdd_json_deep_copy(value);
	rdd_schema_prune(schema, value, unknown);
	valid = rdd_schema_validate(schema, value, causes);

	/* the one-walk paths agree with the separate passes */
	if (rdd_schema_process(schema, processed, unknown_proc, causes_proc) != valid)
		rdd_schema_fuzzer_fail("rdd_schema_process() and rdd_schema_validate() disagree", value);
	if (!rdd_json_equal(processed, value))
		rdd_schema_fuzzer_fail("rdd_schema_process() pruned differently", value);
	if (!rdd_schema_fuzzer_same_strings(unknown_proc, unknown))
		rdd_schema_fuzzer_fail("rdd_schema_process() reported other unknown fields", value);
	if (!rdd_schema_fuzzer_same_causes(causes_proc, causes))
		rdd_schema_fuzzer_fail("rdd_schema_process() reported other causes", value);
	written = rdd_schema_write(schema, written_value, out, spans);
	/* it may refuse a clean value (embedded resources take the long way), never the reverse */
	if (written && (!valid || unknown->len > 0))
		rdd_schema_fuzzer_fail("rdd_schema_write() wrote what needs pruning or is invalid", value);
	if (written) {
		g_autofree gchar *expected = rdd_schema_fuzzer_expected_write(schema, value);
		if (g_strcmp0(out->str + strlen("prefix"), expected) != 0) {
			g_printerr("rdd_schema_write(): %s\nrdd_json_write(): %s\n",
				   out->str + strlen("prefix"), expected);
			abort();
		}
		for (guint i = 0; i + 2 < spans->len; i += 3) {
			guint32 key = g_array_index(spans, guint32, i);
			guint32 val = g_array_index(spans, guint32, i + 1);
			guint32 end = g_array_index(spans, guint32, i + 2);
			if (key < strlen("prefix") || !(key < val && val < end && end <= out->len) ||
			    out->str[key] != '"')
				rdd_schema_fuzzer_fail("rdd_schema_write() gave a bad member span", value);
		}
	} else if (g_strcmp0(out->str, "prefix") != 0 || spans->len != 0) {
		rdd_schema_fuzzer_fail("rdd_schema_write() left output behind after refusing", value);
	}
	if (valid != (causes->len == 0))
		abort();
	if (valid != rdd_schema_validate(schema, value, NULL))
		abort();
	for (guint i = 0; i < causes->len; i++) {
		RddCause *cause = g_ptr_array_index(causes, i);
		if (cause->type == NULL || cause->field == NULL || cause->message == NULL ||
		    !g_utf8_validate(cause->message, -1, NULL))
			abort();
	}

	/* a second pass changes nothing */
	again = rdd_json_deep_copy(value);
	rdd_schema_apply_defaults(schema, again);
	rdd_schema_prune(schema, again, unknown2);
	if (unknown2->len != 0 || !rdd_json_equal(value, again)) {
		g_autofree gchar *json1 = rdd_json_to_string(value, FALSE);
		g_autofree gchar *json2 = rdd_json_to_string(again, FALSE);
		g_printerr("second default + prune pass changed the object:\n%s\n%s\n", json1, json2);
		abort();
	}
	return 0;
}
