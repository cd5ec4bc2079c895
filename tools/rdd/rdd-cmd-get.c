/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd get: list or show objects without kubectl, as a table (columns from the kind's printer
 * columns, computed by the daemon), JSON, YAML or names.
 */

#include "config.h"

#include <stdio.h>

#include "rdd-cli.h"
#include "rdd-resources.h"

#define RDD_CMD_GET_TABLE_ACCEPT "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

static gchar *
rdd_cmd_get_cell(JsonNode *cell)
{
	if (cell == NULL || JSON_NODE_HOLDS_NULL(cell))
		return g_strdup("<none>");
	if (json_node_get_value_type(cell) == G_TYPE_STRING)
		return g_strdup(json_node_get_string(cell)[0] != '\0' ? json_node_get_string(cell) : "<none>");
	return rdd_json_to_string(cell, FALSE);
}

static void
rdd_cmd_get_print_table(JsonNode *table, gboolean wide, gboolean with_namespace)
{
	JsonNode *cols_node = rdd_json_lookup(table, "columnDefinitions");
	JsonNode *rows_node = rdd_json_lookup(table, "rows");
	JsonArray *cols, *rows;
	g_autoptr(GPtrArray) grid = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GArray) widths = g_array_new(FALSE, TRUE, sizeof(gsize));
	g_autoptr(GArray) shown = g_array_new(FALSE, FALSE, sizeof(guint));

	if (cols_node == NULL || rows_node == NULL || !JSON_NODE_HOLDS_ARRAY(cols_node) ||
	    !JSON_NODE_HOLDS_ARRAY(rows_node))
		return;
	cols = json_node_get_array(cols_node);
	rows = json_node_get_array(rows_node);
	for (guint c = 0; c < json_array_get_length(cols); c++) {
		JsonNode *col = json_array_get_element(cols, c);
		gint64 priority =
			json_object_get_int_member_with_default(json_node_get_object(col), "priority", 0);
		if (priority > 0 && !wide)
			continue;
		g_array_append_val(shown, c);
	}
	/* header row */
	{
		GPtrArray *header = g_ptr_array_new_with_free_func(g_free);
		if (with_namespace)
			g_ptr_array_add(header, g_strdup("NAMESPACE"));
		for (guint i = 0; i < shown->len; i++) {
			JsonNode *col = json_array_get_element(cols, g_array_index(shown, guint, i));
			g_ptr_array_add(header, g_ascii_strup(rdd_json_lookup_string(col, "name"), -1));
		}
		g_ptr_array_add(grid, header);
	}
	for (guint r = 0; r < json_array_get_length(rows); r++) {
		JsonNode *row = json_array_get_element(rows, r);
		JsonNode *cells = rdd_json_lookup(row, "cells");
		GPtrArray *line = g_ptr_array_new_with_free_func(g_free);
		if (with_namespace) {
			const gchar *ns = rdd_json_lookup_string(row, "object.metadata.namespace");
			g_ptr_array_add(line, g_strdup(ns != NULL ? ns : ""));
		}
		for (guint i = 0; i < shown->len; i++) {
			guint c = g_array_index(shown, guint, i);
			JsonNode *cell =
				cells != NULL && JSON_NODE_HOLDS_ARRAY(cells) &&
						c < json_array_get_length(json_node_get_array(cells)) ?
					json_array_get_element(json_node_get_array(cells), c) :
					NULL;
			g_ptr_array_add(line, rdd_cmd_get_cell(cell));
		}
		g_ptr_array_add(grid, line);
	}
	for (guint r = 0; r < grid->len; r++) {
		GPtrArray *line = g_ptr_array_index(grid, r);
		if (widths->len < line->len)
			g_array_set_size(widths, line->len);
		for (guint c = 0; c < line->len; c++) {
			gsize w = g_utf8_strlen(g_ptr_array_index(line, c), -1);
			g_array_index(widths, gsize, c) = MAX(g_array_index(widths, gsize, c), w);
		}
	}
	for (guint r = 0; r < grid->len; r++) {
		GPtrArray *line = g_ptr_array_index(grid, r);
		g_autoptr(GString) out = g_string_new(NULL);
		for (guint c = 0; c < line->len; c++) {
			const gchar *text = g_ptr_array_index(line, c);
			g_string_append(out, text);
			if (c + 1 < line->len) {
				gsize pad = g_array_index(widths, gsize, c) - g_utf8_strlen(text, -1) + 3;
				for (gsize p = 0; p < pad; p++)
					g_string_append_c(out, ' ');
			}
		}
		g_print("%s\n", out->str);
	}
}

static void
rdd_cmd_get_add_row(JsonArray *rows, JsonNode *item)
{
	JsonObject *row = json_object_new();
	JsonArray *cells = json_array_new();
	JsonObject *object = json_object_new();
	JsonObject *meta = rdd_json_lookup_object(item, "metadata");
	const gchar *created = rdd_json_lookup_string(item, "metadata.creationTimestamp");
	gint64 usec = 0;
	g_autofree gchar *age = NULL;

	json_array_add_string_element(cells, rdd_json_lookup_string(item, "metadata.name"));
	if (created != NULL && rdd_time_parse(created, &usec, NULL))
		age = rdd_time_format_age(g_get_real_time() - usec);
	json_array_add_string_element(cells, age != NULL ? age : "");
	json_object_set_array_member(row, "cells", cells);
	if (meta != NULL)
		json_object_set_object_member(object, "metadata", json_object_ref(meta));
	json_object_set_object_member(row, "object", object);
	json_array_add_object_element(rows, row);
}

static JsonNode *
rdd_cmd_get_synthesize_table(JsonNode *node)
{
	JsonObject *table = json_object_new();
	JsonArray *cols = json_array_new();
	JsonArray *rows = json_array_new();
	JsonNode *items = rdd_json_lookup(node, "items");
	const gchar *names[] = {"Name", "Age"};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		JsonObject *col = json_object_new();
		json_object_set_string_member(col, "name", names[i]);
		json_array_add_object_element(cols, col);
	}
	if (items != NULL && JSON_NODE_HOLDS_ARRAY(items)) {
		for (guint i = 0; i < json_array_get_length(json_node_get_array(items)); i++)
			rdd_cmd_get_add_row(rows, json_array_get_element(json_node_get_array(items), i));
	} else if (rdd_json_lookup(node, "metadata.name") != NULL) {
		rdd_cmd_get_add_row(rows, node);
	}
	json_object_set_string_member(table, "kind", "Table");
	json_object_set_array_member(table, "columnDefinitions", cols);
	json_object_set_array_member(table, "rows", rows);
	return rdd_json_node_new_object(table);
}

static gboolean
rdd_cmd_get(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *ns_opt = NULL;
	g_autofree gchar *selector = NULL;
	g_autofree gchar *output = NULL;
	gboolean all = FALSE;
	g_autoptr(RddResourceType) type = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GString) query = g_string_new(NULL);
	const gchar *name;
	const gchar *ns;
	const GOptionEntry entries[] = {
		{"namespace", 'n', 0, G_OPTION_ARG_STRING, &ns_opt,
		 N_("The namespace (default: default)"), N_("NS")},
		{"all-namespaces", 'A', 0, G_OPTION_ARG_NONE, &all, N_("List across all namespaces"), NULL},
		{"selector", 'l', 0, G_OPTION_ARG_STRING, &selector,
		 N_("Label selector, e.g. app=web,tier!=db"), N_("SELECTOR")},
		{"output", 'o', 0, G_OPTION_ARG_STRING, &output,
		 N_("Output format: table, wide, json, yaml or name"), N_("FORMAT")},
		{NULL}};

	if (!rdd_cli_parse_options(cli, N_("KIND [NAME]"), entries, &argc, &argv, error))
		return FALSE;
	if (argc < 2 || argc > 3) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    _("expected KIND and an optional NAME, got %d arguments"), argc - 1);
		return FALSE;
	}
	if (output == NULL)
		output = g_strdup(cli->json ? "json" : "table");
	if (g_strcmp0(output, "table") != 0 && g_strcmp0(output, "wide") != 0 &&
	    g_strcmp0(output, "json") != 0 && g_strcmp0(output, "yaml") != 0 &&
	    g_strcmp0(output, "name") != 0) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    _("unknown output format \"%s\"; valid formats: table, wide, json, yaml, name"),
			    output);
		return FALSE;
	}
	name = argc == 3 ? argv[2] : NULL;
	if (all && name != NULL) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("a name cannot be given with --all-namespaces"));
		return FALSE;
	}
	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	type = rdd_resources_resolve(cli, argv[1], error);
	if (type == NULL)
		return FALSE;
	ns = all ? NULL : (ns_opt != NULL ? ns_opt : "default");
	path = rdd_resources_path(type, ns, name);
	if (selector != NULL) {
		g_autofree gchar *esc = g_uri_escape_string(selector, NULL, FALSE);
		g_string_append_printf(query, "?labelSelector=%s", esc);
	}
	{
		g_autofree gchar *full = g_strconcat(path, query->str, NULL);
		gboolean table = g_strcmp0(output, "table") == 0 || g_strcmp0(output, "wide") == 0;
		guint status = 0;
		g_autoptr(GBytes) body = rdd_client_request_raw(
			cli->client, "GET", full,
			table ? RDD_CMD_GET_TABLE_ACCEPT : "application/json", &status, error);
		JsonNode *node = NULL;
		g_autoptr(JsonNode) owned = NULL;
		if (body == NULL || !rdd_client_error_from_status(status, body, error))
			return FALSE;
		owned = rdd_json_parse(g_bytes_get_data(body, NULL), g_bytes_get_size(body), error);
		if (owned == NULL)
			return FALSE;
		node = owned;
		if (table && g_strcmp0(rdd_json_lookup_string(node, "kind"), "Table") != 0) {
			/* a daemon without Table output: NAME and AGE from the objects themselves */
			JsonNode *synth = rdd_cmd_get_synthesize_table(node);
			json_node_unref(owned);
			owned = synth;
			node = owned;
		}
		if (table) {
			JsonNode *rows = rdd_json_lookup(node, "rows");
			if (rows == NULL || !JSON_NODE_HOLDS_ARRAY(rows) ||
			    json_array_get_length(json_node_get_array(rows)) == 0) {
				if (type->namespaced && ns != NULL)
					g_printerr(_("No resources found in %s namespace.\n"), ns);
				else
					g_printerr(_("No resources found\n"));
				return TRUE;
			}
			rdd_cmd_get_print_table(node, g_strcmp0(output, "wide") == 0, all && type->namespaced);
		} else if (g_strcmp0(output, "json") == 0) {
			g_autofree gchar *text = rdd_json_to_string(node, TRUE);
			g_print("%s\n", text);
		} else if (g_strcmp0(output, "yaml") == 0) {
			g_autofree gchar *text = rdd_yaml_emit(node);
			g_print("%s", text);
		} else {
			JsonNode *items = rdd_json_lookup(node, "items");
			if (name != NULL) {
				g_autofree gchar *display = rdd_resources_display_name(
					type, rdd_json_lookup_string(node, "metadata.name"));
				g_print("%s\n", display);
			}
			for (guint i = 0; name == NULL && items != NULL && JSON_NODE_HOLDS_ARRAY(items) &&
					  i < json_array_get_length(json_node_get_array(items));
			     i++) {
				JsonNode *item = json_array_get_element(json_node_get_array(items), i);
				g_autofree gchar *display = rdd_resources_display_name(
					type, rdd_json_lookup_string(item, "metadata.name"));
				g_print("%s\n", display);
			}
		}
	}
	return TRUE;
}

const RddCliCommand rdd_cmd_get_commands[] = {{"get", "KIND [NAME] [-n NS] [-A] [-l SELECTOR] [-o FORMAT]",
					       N_("Show objects of a kind"), rdd_cmd_get, FALSE},
					      {NULL}};
