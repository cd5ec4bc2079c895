/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The input is a YAML schema document, a line `---`, and an object in JSON or YAML. The schema
 * is compiled; the object is defaulted, pruned and validated, and a second default + prune
 * pass must change nothing.
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
	g_autoptr(GError) error = NULL;
	gboolean valid;

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
	rdd_schema_prune(schema, value, unknown);
	valid = rdd_schema_validate(schema, value, causes);
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
