/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd plugins: every plugin the daemon found, with its state, version, API group,
 * controllers and load error.
 */

#include "config.h"

#include <stdio.h>

#include "rdd-cli.h"

static gboolean
rdd_cmd_plugins(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autoptr(JsonNode) list = NULL;
	JsonNode *items;
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	gsize widths[6] = {0};

	if (!rdd_cli_parse_options(cli, "", NULL, &argc, &argv, error))
		return FALSE;
	if (argc > 1) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("\"rdd %s\" takes no arguments"), cli->command);
		return FALSE;
	}
	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	list = rdd_client_request(cli->client, "GET", "/rdd/v1/plugins", NULL, NULL, NULL, error);
	if (list == NULL)
		return FALSE;
	if (cli->json) {
		g_autofree gchar *text = rdd_json_to_string(list, TRUE);
		g_print("%s\n", text);
		return TRUE;
	}
	{
		gchar **header = g_new0(gchar *, 7);
		header[0] = g_strdup(_("NAME"));
		header[1] = g_strdup(_("STATE"));
		header[2] = g_strdup(_("VERSION"));
		header[3] = g_strdup(_("GROUP"));
		header[4] = g_strdup(_("CONTROLLERS"));
		header[5] = g_strdup(_("ERROR"));
		g_ptr_array_add(rows, header);
	}
	items = rdd_json_lookup(list, "items");
	for (guint i = 0; items != NULL && JSON_NODE_HOLDS_ARRAY(items) &&
			  i < json_array_get_length(json_node_get_array(items));
	     i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(items), i);
		JsonNode *ctrls = rdd_json_lookup(item, "controllers");
		g_autoptr(GString) names = g_string_new(NULL);
		gchar **row = g_new0(gchar *, 7);
		for (guint j = 0; ctrls != NULL && JSON_NODE_HOLDS_ARRAY(ctrls) &&
				  j < json_array_get_length(json_node_get_array(ctrls));
		     j++) {
			JsonNode *ctrl = json_array_get_element(json_node_get_array(ctrls), j);
			gboolean running = json_object_get_boolean_member_with_default(
				json_node_get_object(ctrl), "running", FALSE);
			if (names->len > 0)
				g_string_append_c(names, ',');
			g_string_append(names, rdd_json_lookup_string(ctrl, "name"));
			if (!running)
				g_string_append(names, _("(off)"));
		}
		row[0] = g_strdup(rdd_json_lookup_string(item, "name"));
		row[1] = g_strdup(rdd_json_lookup_string(item, "state"));
		row[2] = g_strdup(rdd_json_lookup_string(item, "version"));
		row[3] = g_strdup(rdd_json_lookup_string(item, "apiGroup"));
		row[4] = g_strdup(names->len > 0 ? names->str : "-");
		row[5] = g_strdup(rdd_json_lookup_string(item, "error"));
		for (guint c = 0; c < 6; c++) {
			if (row[c] == NULL || row[c][0] == '\0') {
				g_free(row[c]);
				row[c] = g_strdup("-");
			}
		}
		g_ptr_array_add(rows, row);
	}
	for (guint r = 0; r < rows->len; r++) {
		gchar **row = g_ptr_array_index(rows, r);
		for (guint c = 0; c < 5; c++)
			widths[c] = MAX(widths[c], (gsize)g_utf8_strlen(row[c], -1));
	}
	for (guint r = 0; r < rows->len; r++) {
		gchar **row = g_ptr_array_index(rows, r);
		g_autoptr(GString) out = g_string_new(NULL);
		for (guint c = 0; c < 6; c++) {
			g_string_append(out, row[c]);
			if (c < 5) {
				gsize pad = widths[c] - g_utf8_strlen(row[c], -1) + 3;
				for (gsize p = 0; p < pad; p++)
					g_string_append_c(out, ' ');
			}
		}
		g_print("%s\n", out->str);
	}
	return TRUE;
}

const RddCliCommand rdd_cmd_plugins_commands[] = {
	{"plugins", "", N_("List the plugins the daemon found, with their state and errors"), rdd_cmd_plugins, FALSE},
	{NULL}};
