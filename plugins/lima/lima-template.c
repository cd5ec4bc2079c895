/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Checking a Lima template before limactl sees it: it parses as YAML, is a mapping, and the
 * fields rdd relies on have sane values.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "lima-plugin.h"

/* the architectures Lima knows */
static const gchar *const lima_template_arches[] = {"x86_64",  "aarch64", "armv7l", "riscv64",
						    "ppc64le", "s390x",	  NULL};

/**
 * lima_template_parse_size:
 * @text: a size as Lima accepts it: `6442450944`, `6GiB`, `6G`, `6 GB`, `1.5GiB`
 * @bytes: (out): the size in bytes
 * @error: return location for an error
 *
 * Units are binary whatever their spelling, as Lima's (`KiB`, `K`, `KB` are all 1024).
 *
 * Returns: %TRUE when @text is a positive size
 */
gboolean
lima_template_parse_size(const gchar *text, guint64 *bytes, GError **error)
{
	static const struct {
		const gchar *unit;
		guint shift;
	} units[] = {
		{"", 0},    {"b", 0},	 {"k", 10}, {"kb", 10}, {"kib", 10}, {"m", 20},
		{"mb", 20}, {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}, {"t", 40},
		{"tb", 40}, {"tib", 40}, {"p", 50}, {"pb", 50}, {"pib", 50},
	};
	g_autofree gchar *unit = NULL;
	const gchar *p = text;
	gchar *end = NULL;
	gdouble value;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(bytes != NULL, FALSE);

	/* only plain decimal numbers: no sign, hex, exponent, inf or nan */
	if (!g_ascii_isdigit(*p)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "\"%s\" is not a size such as 6GiB", text);
		return FALSE;
	}
	while (g_ascii_isdigit(*p) || *p == '.')
		p++;
	{
		g_autofree gchar *number = g_strndup(text, p - text);
		value = g_ascii_strtod(number, &end);
		if (end == NULL || *end != '\0' || !isfinite(value)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "\"%s\" is not a size such as 6GiB", text);
			return FALSE;
		}
	}
	while (*p == ' ')
		p++;
	unit = g_ascii_strdown(p, -1);
	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		gdouble total;
		if (g_strcmp0(unit, units[i].unit) != 0)
			continue;
		total = value * (gdouble)(1ULL << units[i].shift);
		if (total < 1) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "the size \"%s\" must be positive", text);
			return FALSE;
		}
		if (total >= 9.2e18) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "the size \"%s\" is too large", text);
			return FALSE;
		}
		*bytes = (guint64)total;
		return TRUE;
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
		    "\"%s\" has an unknown unit \"%s\" (use B, KiB, MiB, GiB or TiB)", text, p);
	return FALSE;
}

static const gchar *
lima_template_type_name(JsonNode *node)
{
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return "null";
	if (JSON_NODE_HOLDS_OBJECT(node))
		return "a mapping";
	if (JSON_NODE_HOLDS_ARRAY(node))
		return "a list";
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return "a string";
	case G_TYPE_BOOLEAN:
		return "a boolean";
	case G_TYPE_INT64:
		return "an integer";
	case G_TYPE_DOUBLE:
		return "a number";
	default:
		return "a scalar";
	}
}

static gboolean
lima_template_check_images(JsonObject *root, GError **error)
{
	JsonNode *images = json_object_get_member(root, "images");
	JsonArray *arr;

	if (images == NULL || JSON_NODE_HOLDS_NULL(images)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "field `images` must be set to a list of images with a `location`");
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_ARRAY(images)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "field `images` must be a list, not %s", lima_template_type_name(images));
		return FALSE;
	}
	arr = json_node_get_array(images);
	if (json_array_get_length(arr) == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "field `images` must list at least one image");
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *image = json_array_get_element(arr, i);
		JsonNode *location, *arch;
		if (!JSON_NODE_HOLDS_OBJECT(image)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "field `images[%u]` must be a mapping, not %s",
				    i, lima_template_type_name(image));
			return FALSE;
		}
		location = json_object_get_member(json_node_get_object(image), "location");
		if (location == NULL || !JSON_NODE_HOLDS_VALUE(location) ||
		    json_node_get_value_type(location) != G_TYPE_STRING ||
		    json_node_get_string(location)[0] == '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "field `images[%u].location` must be a non-empty string", i);
			return FALSE;
		}
		arch = json_object_get_member(json_node_get_object(image), "arch");
		if (arch != NULL && !JSON_NODE_HOLDS_NULL(arch)) {
			const gchar *value = JSON_NODE_HOLDS_VALUE(arch) &&
							     json_node_get_value_type(arch) == G_TYPE_STRING ?
						     json_node_get_string(arch) :
						     NULL;
			if (value == NULL || !g_strv_contains(lima_template_arches, value)) {
				g_autofree gchar *known = g_strjoinv(", ", (gchar **)lima_template_arches);
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
					    "field `images[%u].arch` must be one of %s", i, known);
				return FALSE;
			}
		}
	}
	return TRUE;
}

static gboolean
lima_template_check_cpus(JsonObject *root, GError **error)
{
	JsonNode *cpus = json_object_get_member(root, "cpus");

	if (cpus == NULL || JSON_NODE_HOLDS_NULL(cpus))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(cpus) || json_node_get_value_type(cpus) != G_TYPE_INT64) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "field `cpus` must be a positive integer, not %s",
			    lima_template_type_name(cpus));
		return FALSE;
	}
	if (json_node_get_int(cpus) <= 0 || json_node_get_int(cpus) > 1024) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "field `cpus` must be between 1 and 1024, not %" G_GINT64_FORMAT,
			    json_node_get_int(cpus));
		return FALSE;
	}
	return TRUE;
}

static gboolean
lima_template_check_size(JsonObject *root, const gchar *field, GError **error)
{
	JsonNode *node = json_object_get_member(root, field);
	g_autoptr(GError) error_local = NULL;
	guint64 bytes = 0;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64) {
		if (json_node_get_int(node) > 0)
			return TRUE;
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "field `%s` must be a positive size, not %" G_GINT64_FORMAT, field,
			    json_node_get_int(node));
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "field `%s` must be a size such as 6GiB, not %s",
			    field, lima_template_type_name(node));
		return FALSE;
	}
	if (!lima_template_parse_size(json_node_get_string(node), &bytes, &error_local)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "field `%s`: %s", field,
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}

/**
 * lima_template_validate:
 * @text: the template text
 * @vm_type: (nullable): `lima` (the default) or `host`; a host-mode VM needs no images
 * @error: return location for an error
 *
 * Parses @text and checks what Lima would refuse or what rdd relies on: a mapping; for a Lima
 * VM a non-empty `images` list whose entries have a `location` (and a known `arch`); `cpus` a
 * positive integer; `memory` and `disk` sizes.
 *
 * The error is `failed to parse template: ...` or `failed to validate template: ...`.
 *
 * Returns: %TRUE when the template is usable
 */
gboolean
lima_template_validate(const gchar *text, const gchar *vm_type, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) doc = NULL;
	JsonObject *root;

	g_return_val_if_fail(text != NULL, FALSE);

	doc = rdd_yaml_parse(text, -1, &error_local);
	if (doc == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "failed to parse template: %s",
			    error_local->message);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(doc)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "failed to validate template: the template must be a mapping, not %s",
			    lima_template_type_name(doc));
		return FALSE;
	}
	root = json_node_get_object(doc);
	if ((g_strcmp0(vm_type, RDD_VM_TYPE_HOST) != 0 && !lima_template_check_images(root, &error_local)) ||
	    !lima_template_check_cpus(root, &error_local) ||
	    !lima_template_check_size(root, "memory", &error_local) ||
	    !lima_template_check_size(root, "disk", &error_local)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "failed to validate template: %s",
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}
