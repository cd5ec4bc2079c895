/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd set, rdd start, rdd stop: change the App and wait until it has Settled.
 */

#include "config.h"

#include <stdio.h>

#include "rdd-cli.h"
#include "rdd-resources.h"
#include "rdd-watch.h"

#define RDD_CMD_SET_APP_PATH "/apis/app.rancherdesktop.io/v1alpha1/apps/app"
#define RDD_CMD_SET_APPS_PATH "/apis/app.rancherdesktop.io/v1alpha1/apps"
#define RDD_CMD_SET_SCHEMA_PATH "/rdd/v1/schemas/app.rancherdesktop.io/App"

static gboolean rdd_cmd_set_wait_value = TRUE;

static gboolean
rdd_cmd_set_wait_option_cb(const gchar *name, const gchar *value, gpointer data, GError **error)
{
	return rdd_cli_parse_bool("wait", value != NULL ? value : "true", &rdd_cmd_set_wait_value, error);
}

/* the spec schema of the App, without namespace (not settable) */
static JsonNode *
rdd_cmd_set_spec_schema(RddCli *cli, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) schema = rdd_client_request(cli->client, "GET", RDD_CMD_SET_SCHEMA_PATH,
							NULL, NULL, NULL, &error_local);
	JsonNode *spec;
	JsonObject *props;

	if (schema == NULL) {
		if (g_error_matches(error_local, RDD_ERROR, RDD_ERROR_NOT_FOUND)) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
					    "app CRD is not installed; make sure the control plane is running with the app controller enabled");
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	spec = rdd_json_lookup(schema, "properties.spec");
	if (spec == NULL || !JSON_NODE_HOLDS_OBJECT(spec)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "the App schema has no spec");
		return NULL;
	}
	spec = rdd_json_deep_copy(spec);
	props = rdd_json_lookup_object(spec, "properties");
	if (props != NULL)
		json_object_remove_member(props, "namespace");
	return spec;
}

/* how deep property paths go: the schema comes from the daemon, recursion is bounded */
#define RDD_CMD_SET_MAX_DEPTH 16

/* the settable paths, sorted; with @objects, objects are listed too, before their fields */
static void
rdd_cmd_set_collect(JsonNode *schema, const gchar *prefix, gboolean objects, guint depth, GPtrArray *out)
{
	JsonObject *props = rdd_json_lookup_object(schema, "properties");
	g_autoptr(GList) names = NULL;

	if (props == NULL || depth >= RDD_CMD_SET_MAX_DEPTH)
		return;
	names = json_object_get_members(props);
	names = g_list_sort(names, (GCompareFunc)g_strcmp0);
	for (GList *l = names; l != NULL; l = l->next) {
		JsonNode *child = json_object_get_member(props, l->data);
		g_autofree gchar *path = prefix[0] != '\0' ?
						 g_strdup_printf("%s.%s", prefix, (const gchar *)l->data) :
						 g_strdup(l->data);
		if (g_strcmp0(rdd_json_lookup_string(child, "type"), "object") == 0 &&
		    rdd_json_lookup_object(child, "properties") != NULL) {
			if (objects)
				g_ptr_array_add(out, g_strdup(path));
			rdd_cmd_set_collect(child, path, objects, depth + 1, out);
		} else {
			g_ptr_array_add(out, g_steal_pointer(&path));
		}
	}
}

static gchar *
rdd_cmd_set_valid_properties(JsonNode *spec)
{
	g_autoptr(GPtrArray) leaves = g_ptr_array_new_null_terminated(8, g_free, TRUE);
	rdd_cmd_set_collect(spec, "", FALSE, 0, leaves);
	return g_strjoinv(", ", (gchar **)leaves->pdata);
}

/* the schema of a dotted path, or a usage error worded as the reference does */
static JsonNode *
rdd_cmd_set_resolve(JsonNode *spec, const gchar *path, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	g_autoptr(GString) prefix = g_string_new(NULL);
	JsonNode *node = spec;

	for (guint i = 0; parts[i] != NULL; i++) {
		JsonObject *props = rdd_json_lookup_object(node, "properties");
		JsonNode *child;
		if (parts[i][0] == '\0') {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0, "%s: property name must not be empty", path);
			return NULL;
		}
		if (i > 0 && g_strcmp0(rdd_json_lookup_string(node, "type"), "object") != 0) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    "%s: \"%s\" is not an object and has no sub-properties", path,
				    prefix->str);
			return NULL;
		}
		child = props != NULL ? json_object_get_member(props, parts[i]) : NULL;
		if (child == NULL) {
			g_autofree gchar *valid = rdd_cmd_set_valid_properties(spec);
			if (prefix->len > 0)
				g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
					    "%s: unknown property \"%s\" under \"%s\"; valid properties: %s",
					    path, parts[i], prefix->str, valid);
			else
				g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
					    "%s: unknown property \"%s\"; valid properties: %s",
					    path, parts[i], valid);
			return NULL;
		}
		if (prefix->len > 0)
			g_string_append_c(prefix, '.');
		g_string_append(prefix, parts[i]);
		node = child;
	}
	if (g_strcmp0(rdd_json_lookup_string(node, "type"), "object") == 0) {
		JsonObject *props = rdd_json_lookup_object(node, "properties");
		g_autoptr(GList) names = props != NULL ? json_object_get_members(props) : NULL;
		names = g_list_sort(names, (GCompareFunc)g_strcmp0);
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, "%s: \"%s\" is an object; set its fields, e.g. \"%s.%s\"",
			    path, path, path, names != NULL ? (const gchar *)names->data : "…");
		return NULL;
	}
	return node;
}

static JsonNode *
rdd_cmd_set_coerce(JsonNode *schema, const gchar *path, const gchar *value, GError **error)
{
	const gchar *type = rdd_json_lookup_string(schema, "type");
	JsonNode *enums = rdd_json_lookup(schema, "enum");

	if (enums != NULL && JSON_NODE_HOLDS_ARRAY(enums)) {
		JsonArray *arr = json_node_get_array(enums);
		g_autoptr(GString) valid = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			const gchar *candidate = json_array_get_string_element(arr, i);
			if (g_strcmp0(candidate, value) == 0)
				return json_node_init_string(json_node_alloc(), value);
			if (i > 0)
				g_string_append(valid, ", ");
			g_string_append(valid, candidate != NULL ? candidate : "?");
		}
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, "%s: invalid value \"%s\" for \"%s\": valid values: %s",
			    path, value, path, valid->str);
		return NULL;
	}
	if (g_strcmp0(type, "boolean") == 0) {
		gboolean b;
		g_autoptr(GError) error_local = NULL;
		if (!rdd_cli_parse_bool(path, value, &b, &error_local)) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    "%s: expected boolean; use \"true\" or \"false\"", path);
			return NULL;
		}
		return json_node_init_boolean(json_node_alloc(), b);
	}
	if (g_strcmp0(type, "integer") == 0) {
		gint64 n;
		if (!g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &n, NULL)) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0, "%s: expected integer", path);
			return NULL;
		}
		return json_node_init_int(json_node_alloc(), n);
	}
	return json_node_init_string(json_node_alloc(), value);
}

/* parses PROPERTY=VALUE arguments into a nested spec object (later keys win) */
static JsonNode *
rdd_cmd_set_build(RddCli *cli, JsonNode *spec, gint argc, gchar **argv, GError **error)
{
	g_autoptr(JsonNode) result = rdd_json_node_new_object(NULL);

	for (gint i = 0; i < argc; i++) {
		const gchar *eq = strchr(argv[i], '=');
		g_autofree gchar *path = NULL;
		g_auto(GStrv) parts = NULL;
		JsonNode *schema;
		JsonNode *value;
		JsonObject *obj = json_node_get_object(result);

		if (eq == NULL) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    "invalid argument \"%s\": expected PROPERTY=VALUE format", argv[i]);
			return NULL;
		}
		if (eq == argv[i]) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    "invalid argument \"%s\": property name must not be empty", argv[i]);
			return NULL;
		}
		path = g_strndup(argv[i], eq - argv[i]);
		if (g_strcmp0(path, "namespace") == 0) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0, "namespace: the App's namespace cannot be set");
			return NULL;
		}
		schema = rdd_cmd_set_resolve(spec, path, error);
		if (schema == NULL)
			return NULL;
		value = rdd_cmd_set_coerce(schema, path, eq + 1, error);
		if (value == NULL)
			return NULL;
		parts = g_strsplit(path, ".", -1);
		for (guint p = 0; parts[p + 1] != NULL; p++)
			obj = rdd_json_object_ensure_object(obj, parts[p]);
		json_object_set_member(obj, parts[g_strv_length(parts) - 1], value);
	}
	return g_steal_pointer(&result);
}

/* zero values for required fields the user did not set, inside the objects the user set */
static void
rdd_cmd_set_fill_required(JsonNode *schema, JsonObject *obj)
{
	JsonNode *required = rdd_json_lookup(schema, "required");
	JsonObject *props = rdd_json_lookup_object(schema, "properties");
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *value;

	for (guint i = 0; required != NULL && JSON_NODE_HOLDS_ARRAY(required) &&
			  i < json_array_get_length(json_node_get_array(required));
	     i++) {
		const gchar *field = json_array_get_string_element(json_node_get_array(required), i);
		JsonNode *field_schema = props != NULL ? json_object_get_member(props, field) : NULL;
		const gchar *type = rdd_json_lookup_string(field_schema, "type");
		JsonNode *enums = rdd_json_lookup(field_schema, "enum");
		if (field == NULL || json_object_has_member(obj, field))
			continue;
		if (enums != NULL && JSON_NODE_HOLDS_ARRAY(enums) &&
		    json_array_get_length(json_node_get_array(enums)) > 0)
			json_object_set_member(
				obj, field,
				json_node_copy(json_array_get_element(json_node_get_array(enums), 0)));
		else if (g_strcmp0(type, "boolean") == 0)
			json_object_set_boolean_member(obj, field, FALSE);
		else if (g_strcmp0(type, "integer") == 0)
			json_object_set_int_member(obj, field, 0);
		else if (g_strcmp0(type, "string") == 0)
			json_object_set_string_member(obj, field, "");
	}
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &name, &value)) {
		JsonNode *child = props != NULL ? json_object_get_member(props, name) : NULL;
		if (child != NULL && JSON_NODE_HOLDS_OBJECT(value))
			rdd_cmd_set_fill_required(child, json_node_get_object(value));
	}
}

typedef struct {
	RddCli *cli;
	gint64 generation;
	GHashTable *printed; /* type -> "status\nreason\nmessage" */
	const gchar *phase;
} RddCmdSetWait;

static RddWatchResult
rdd_cmd_set_wait_cb(JsonNode *object, const gchar *event, gpointer user_data, GError **error)
{
	RddCmdSetWait *wait = user_data;
	JsonNode *conds = rdd_json_lookup(object, "status.conditions");
	gboolean settled = FALSE;

	if (object == NULL)
		return RDD_WATCH_CONTINUE;
	for (guint i = 0; conds != NULL && JSON_NODE_HOLDS_ARRAY(conds) &&
			  i < json_array_get_length(json_node_get_array(conds));
	     i++) {
		JsonNode *cond = json_array_get_element(json_node_get_array(conds), i);
		JsonObject *c = json_node_get_object(cond);
		const gchar *type = json_object_get_string_member_with_default(c, "type", "");
		const gchar *status = json_object_get_string_member_with_default(c, "status", "");
		const gchar *reason = json_object_get_string_member_with_default(c, "reason", "");
		const gchar *message = json_object_get_string_member_with_default(c, "message", "");
		g_autofree gchar *key = g_strdup_printf("%s\n%s\n%s", status, reason, message);
		if (json_object_get_int_member_with_default(c, "observedGeneration", -1) < wait->generation)
			continue;
		if (g_strcmp0(g_hash_table_lookup(wait->printed, type), key) != 0) {
			rdd_cli_progress_done(wait->cli);
			g_print("%s=%s: %s (%s)\n", type, status, message, reason);
			g_hash_table_replace(wait->printed, g_strdup(type), g_steal_pointer(&key));
		}
		if (g_strcmp0(type, RDD_COND_SETTLED) == 0 && g_strcmp0(status, RDD_CONDITION_TRUE) == 0)
			settled = TRUE;
	}
	return settled ? RDD_WATCH_DONE : RDD_WATCH_CONTINUE;
}

static void
rdd_cmd_set_progress_cb(gint64 elapsed, gpointer user_data)
{
	RddCmdSetWait *wait = user_data;
	rdd_cli_progress(wait->cli, _("waiting for the App to settle (condition Settled=True)"), elapsed);
}

/* the write failed: an admission or validation refusal exits with 3 */
static gboolean
rdd_cmd_set_write_failed(RddCli *cli, GError *error)
{
	if (error->domain == RDD_ERROR && (error->code == RDD_ERROR_INVALID || error->code == RDD_ERROR_BAD_REQUEST ||
					   error->code == RDD_ERROR_FORBIDDEN))
		cli->exit_code = RDD_EXIT_REJECTED;
	return FALSE;
}

static gboolean
rdd_cmd_set_apply(RddCli *cli, gint argc, gchar **argv, gboolean dry_run, gint64 timeout, gboolean only_existing, GError **error)
{
	g_autoptr(JsonNode) spec_schema = NULL;
	g_autoptr(JsonNode) values = NULL;
	g_autoptr(JsonNode) app = NULL;
	g_autoptr(JsonNode) result = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error_local = NULL;
	gint64 generation;

	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	spec_schema = rdd_cmd_set_spec_schema(cli, error);
	if (spec_schema == NULL)
		return FALSE;
	values = rdd_cmd_set_build(cli, spec_schema, argc, argv, error);
	if (values == NULL)
		return FALSE;
	app = rdd_client_request(cli->client, "GET", RDD_CMD_SET_APP_PATH, NULL, NULL, NULL, &error_local);
	if (app == NULL && !g_error_matches(error_local, RDD_ERROR, RDD_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_clear_error(&error_local);
	if (app == NULL && only_existing) {
		rdd_cli_info(cli, "App does not exist; nothing to stop");
		return TRUE;
	}
	if (app == NULL) {
		/* create with the required fields' zero values plus, unless a dry run, the user's */
		g_autoptr(JsonNode) body = rdd_json_node_new_object(NULL);
		JsonObject *root = json_node_get_object(body);
		JsonObject *meta = rdd_json_object_ensure_object(root, "metadata");
		JsonObject *spec = dry_run ? json_object_new() :
					     json_object_ref(json_node_get_object(values));
		g_autofree gchar *text = NULL;
		json_object_set_string_member(root, "apiVersion", RDD_APP_API_VERSION);
		json_object_set_string_member(root, "kind", "App");
		json_object_set_string_member(meta, "name", RDD_APP_NAME);
		rdd_cmd_set_fill_required(spec_schema, spec);
		json_object_set_object_member(root, "spec", spec);
		text = rdd_json_to_string(body, FALSE);
		result = rdd_client_request(cli->client, "POST", RDD_CMD_SET_APPS_PATH,
					    "application/json", text, warnings, &error_local);
		if (result == NULL && !g_error_matches(error_local, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return rdd_cmd_set_write_failed(cli, *error);
		}
		if (result != NULL)
			rdd_cli_info(cli, dry_run ? "App created with defaults" : "App created");
		g_clear_error(&error_local);
	}
	if (result == NULL || dry_run) {
		/* present (or just created with defaults for a dry run): merge-patch the spec */
		g_autoptr(JsonNode) patch = rdd_json_node_new_object(NULL);
		g_autofree gchar *text = NULL;
		json_object_set_member(json_node_get_object(patch), "spec", json_node_copy(values));
		text = rdd_json_to_string(patch, FALSE);
		g_clear_pointer(&result, json_node_unref);
		result = rdd_client_request(cli->client, "PATCH",
					    dry_run ? RDD_CMD_SET_APP_PATH "?dryRun=All" : RDD_CMD_SET_APP_PATH,
					    "application/merge-patch+json", text, warnings, error);
		if (result == NULL)
			return rdd_cmd_set_write_failed(cli, *error);
		rdd_cli_info(cli, dry_run ? "App validated (dry run)" : "App updated");
	}
	for (guint i = 0; i < warnings->len; i++)
		rdd_cli_warn(cli, "%s", (const gchar *)g_ptr_array_index(warnings, i));
	if (dry_run) {
		g_autofree gchar *text = cli->json ? rdd_json_to_string(result, TRUE) : rdd_yaml_emit(result);
		g_print("%s%s", text, cli->json ? "\n" : "");
		return TRUE;
	}
	generation = json_object_get_int_member_with_default(rdd_json_lookup_object(result, "metadata"),
							     "generation", 0);
	if (!rdd_cmd_set_wait_value)
		return TRUE;
	rdd_cli_info(cli, "Waiting for App to settle");
	{
		RddCmdSetWait wait = {cli, generation,
				      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free), NULL};
		gboolean ok = rdd_watch_object(cli, RDD_CMD_SET_APPS_PATH, RDD_CMD_SET_APP_PATH,
					       RDD_APP_NAME, timeout, rdd_cmd_set_wait_cb,
					       rdd_cmd_set_progress_cb, &wait, &error_local);
		g_hash_table_unref(wait.printed);
		rdd_cli_progress_done(cli);
		if (ok)
			return TRUE;
		if (g_error_matches(error_local, RDD_ERROR, RDD_ERROR_TIMED_OUT)) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_TIMED_OUT,
					    "timed out waiting for App state: context deadline exceeded");
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
}

/* appends @text to @out wrapped at @width columns, starting at column @indent, continuation
 * lines indented as much */
static void
rdd_cmd_set_wrap(GString *out, const gchar *text, guint indent, guint width)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	guint col = indent;
	gboolean line_start = TRUE;

	for (guint i = 0; words[i] != NULL; i++) {
		guint len = (guint)g_utf8_strlen(words[i], -1);
		if (words[i][0] == '\0')
			continue;
		if (!line_start && col + 1 + len > width) {
			g_string_append_c(out, '\n');
			for (guint p = 0; p < indent; p++)
				g_string_append_c(out, ' ');
			col = indent;
			line_start = TRUE;
		}
		if (!line_start) {
			g_string_append_c(out, ' ');
			col++;
		}
		g_string_append(out, words[i]);
		col += len;
		line_start = FALSE;
	}
	g_string_append_c(out, '\n');
}

/* `Available properties:` and one row per property: path (type or enum values) and the first
 * sentence of its description, aligned and wrapped to the terminal */
static gchar *
rdd_cmd_set_properties_text(JsonNode *spec)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) out = g_string_new(NULL);
	guint width = rdd_cli_terminal_width();
	gsize left = 0;

	rdd_cmd_set_collect(spec, "", TRUE, 0, paths);
	g_string_append_printf(out, "%s\n", _("Available properties:"));
	for (guint i = 0; i < paths->len; i++)
		left = MAX(left, strlen(g_ptr_array_index(paths, i)));
	for (guint i = 0; i < paths->len; i++) {
		const gchar *path = g_ptr_array_index(paths, i);
		g_auto(GStrv) parts = g_strsplit(path, ".", -1);
		JsonNode *schema = spec;
		JsonNode *enums;
		const gchar *desc;
		g_autofree gchar *type = NULL;
		g_autofree gchar *first = NULL;
		g_autofree gchar *text = NULL;

		for (guint p = 0; schema != NULL && parts[p] != NULL; p++) {
			JsonObject *props = rdd_json_lookup_object(schema, "properties");
			schema = props != NULL ? json_object_get_member(props, parts[p]) : NULL;
		}
		enums = rdd_json_lookup(schema, "enum");
		desc = rdd_json_lookup_string(schema, "description");
		if (enums != NULL && JSON_NODE_HOLDS_ARRAY(enums)) {
			g_autoptr(GString) e = g_string_new(NULL);
			JsonArray *arr = json_node_get_array(enums);
			for (guint j = 0; j < json_array_get_length(arr); j++) {
				const gchar *value = json_array_get_string_element(arr, j);
				if (e->len > 0)
					g_string_append_c(e, '|');
				g_string_append(e, value != NULL ? value : "?");
			}
			type = g_string_free(g_steal_pointer(&e), FALSE);
		} else {
			const gchar *t = rdd_json_lookup_string(schema, "type");
			type = g_strdup(t != NULL ? t : "any");
		}
		if (desc != NULL) {
			const gchar *dot = strstr(desc, ". ");
			first = dot != NULL ? g_strndup(desc, dot - desc + 1) : g_strdup(desc);
			g_strdelimit(first, "\n\t", ' ');
			g_strstrip(first);
		}
		g_string_append_printf(out, "  %-*s  ", (gint)left, path);
		text = g_strdup_printf("(%s) %s", type, first != NULL ? first : "");
		rdd_cmd_set_wrap(out, text, (guint)left + 4, MAX(width, (guint)left + 24));
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* the properties, or why they could not be read; starts the daemon when needed */
static gchar *
rdd_cmd_set_describe_properties(RddCli *cli)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) spec = NULL;

	if (!rdd_cli_ensure_client(cli, TRUE, &error_local) ||
	    (spec = rdd_cmd_set_spec_schema(cli, &error_local)) == NULL)
		return g_strdup_printf(_("Available properties could not be read: %s"), error_local->message);
	return rdd_cmd_set_properties_text(spec);
}

/* --help or -h among the options (before a `--`) */
static gboolean
rdd_cmd_set_wants_help(gint argc, gchar **argv)
{
	for (gint i = 1; i < argc; i++) {
		if (g_strcmp0(argv[i], "--") == 0)
			return FALSE;
		if (g_strcmp0(argv[i], "--help") == 0 || g_strcmp0(argv[i], "-h") == 0 ||
		    g_strcmp0(argv[i], "-?") == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
rdd_cmd_set_common(RddCli *cli, gint argc, gchar **argv, const gchar *fixed, gint64 default_timeout, gboolean allow_dry_run, GError **error)
{
	g_autofree gchar *timeout_text = NULL;
	gboolean dry_run = FALSE, help = FALSE;
	gint64 timeout = default_timeout;
	const GOptionEntry entries[] = {
		{"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
		 N_("Validate and show the result without writing"), NULL},
		{"wait", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer)rdd_cmd_set_wait_option_cb,
		 N_("Wait until the App has Settled (default true)"), N_("BOOL")},
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text,
		 N_("How long to wait (0 waits forever)"), N_("DURATION")},
		{"properties", 0, 0, G_OPTION_ARG_NONE, &help, N_("List the properties that can be set"), NULL},
		{NULL}};
	const GOptionEntry *use = entries;

	rdd_cmd_set_wait_value = TRUE;
	if (!allow_dry_run)
		use = entries + 1;
	/* like the reference, `rdd set --help` lists the properties after the options */
	if (fixed == NULL && rdd_cmd_set_wants_help(argc, argv)) {
		g_free(cli->help_epilogue);
		cli->help_epilogue = rdd_cmd_set_describe_properties(cli);
	}
	if (!rdd_cli_parse_options(cli, fixed != NULL ? "" : N_("PROPERTY=VALUE..."), use, &argc, &argv, error))
		return FALSE;
	if (help) {
		g_autofree gchar *text = rdd_cmd_set_describe_properties(cli);
		g_print("%s", text);
		return TRUE;
	}
	if (timeout_text != NULL && !rdd_cli_parse_duration("timeout", timeout_text, &timeout, error))
		return FALSE;
	if (fixed != NULL) {
		gchar *args[] = {(gchar *)fixed, NULL};
		if (argc > 1) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    _("\"rdd %s\" takes no arguments"), cli->command);
			return FALSE;
		}
		return rdd_cmd_set_apply(cli, 1, args, FALSE, timeout,
					 g_strcmp0(fixed, "running=false") == 0, error);
	}
	if (argc < 2) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    _("requires at least 1 PROPERTY=VALUE argument (see rdd set --properties)"));
		return FALSE;
	}
	return rdd_cmd_set_apply(cli, argc - 1, argv + 1, dry_run, timeout, FALSE, error);
}

static gboolean
rdd_cmd_set(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	return rdd_cmd_set_common(cli, argc, argv, NULL, 5 * 60 * G_USEC_PER_SEC, TRUE, error);
}

static gboolean
rdd_cmd_set_start(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	return rdd_cmd_set_common(cli, argc, argv, "running=true", 300 * G_USEC_PER_SEC, FALSE, error);
}

static gboolean
rdd_cmd_set_stop(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	return rdd_cmd_set_common(cli, argc, argv, "running=false", 300 * G_USEC_PER_SEC, FALSE, error);
}

const RddCliCommand rdd_cmd_set_commands[] = {
	{"set", "PROPERTY=VALUE... [--dry-run] [--wait] [--timeout=D] [--properties]",
	 N_("Change the App and wait until it has settled"), rdd_cmd_set, FALSE},
	{"start", "[--wait] [--timeout=D]", N_("Start the container engine (rdd set running=true)"),
	 rdd_cmd_set_start, FALSE},
	{"stop", "[--wait] [--timeout=D]", N_("Stop the container engine (rdd set running=false)"),
	 rdd_cmd_set_stop, FALSE},
	{NULL}};
