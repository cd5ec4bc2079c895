/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd svc (alias service): create, start, stop, delete, status, logs, config, paths.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>

#include "rdd-cli.h"
#include "rdd-service.h"

/* `--wait` and `--wait=false` */
static gboolean rdd_cmd_svc_wait_value = TRUE;

static gboolean
rdd_cmd_svc_wait_cb(const gchar *name, const gchar *value, gpointer data, GError **error)
{
	return rdd_cli_parse_bool("wait", value != NULL ? value : "true", &rdd_cmd_svc_wait_value, error);
}

#define RDD_CMD_SVC_WAIT_ENTRY                                                                                 \
	{                                                                                                      \
		"wait", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer)rdd_cmd_svc_wait_cb,   \
			N_("Wait until the operation completes (default true; --wait=false returns at once)"), \
			N_("BOOL")                                                                             \
	}

static const gchar *
rdd_cmd_svc_name(RddCli *cli)
{
	return rdd_instance_get_name(cli->instance);
}

static gboolean
rdd_cmd_svc_no_args(RddCli *cli, gint argc, GError **error)
{
	if (argc > 1) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("\"rdd %s\" takes no arguments"), cli->command);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_cmd_svc_progress(const gchar *phase, gint64 elapsed, gpointer user_data)
{
	rdd_cli_progress(user_data, phase, elapsed);
}

static gboolean
rdd_cmd_svc_create(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *controllers = NULL;
	gint port = 0;
	const GOptionEntry entries[] = {
		{"controllers", 0, 0, G_OPTION_ARG_STRING, &controllers,
		 N_("Controllers to run: '*', group or controller names, '-name' excludes (default '*')"),
		 N_("SPEC")},
		{"secure-port", 0, 0, G_OPTION_ARG_INT, &port,
		 N_("HTTPS port of the API (default 6443 + instance index)"), N_("PORT")},
		{NULL}};

	if (!rdd_cli_parse_options(cli, "", entries, &argc, &argv, error) ||
	    !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	if (port < 0 || port > 65535) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("--secure-port must be from 1 to 65535"));
		return FALSE;
	}
	if (rdd_service_is_created(cli->instance)) {
		rdd_cli_info(cli, "\"%s\" control plane already exists", rdd_cmd_svc_name(cli));
		return TRUE;
	}
	if (!rdd_service_create(cli->instance, controllers, (guint)port, error))
		return FALSE;
	rdd_cli_info(cli, "successfully created \"%s\" control plane", rdd_cmd_svc_name(cli));
	return TRUE;
}

static gboolean
rdd_cmd_svc_start(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *controllers = NULL;
	g_autofree gchar *timeout_text = NULL;
	g_autoptr(GPtrArray) overrides = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	gint port = 0;
	gint64 timeout = 90 * G_USEC_PER_SEC;
	GPid pid = 0;
	const GOptionEntry entries[] = {
		RDD_CMD_SVC_WAIT_ENTRY,
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text,
		 N_("How long to wait for readiness (default 90s; 0 waits forever)"), N_("DURATION")},
		{"controllers", 0, 0, G_OPTION_ARG_STRING, &controllers,
		 N_("Controllers to run this time (overrides the saved value)"), N_("SPEC")},
		{"secure-port", 0, 0, G_OPTION_ARG_INT, &port, N_("HTTPS port to use this time"), N_("PORT")},
		{NULL}};

	rdd_cmd_svc_wait_value = TRUE;
	if (!rdd_cli_parse_options(cli, N_("[-- DAEMON-ARGS...]"), entries, &argc, &argv, error))
		return FALSE;
	if (timeout_text != NULL && !rdd_cli_parse_duration("timeout", timeout_text, &timeout, error))
		return FALSE;
	if (port < 0 || port > 65535) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("--secure-port must be from 1 to 65535"));
		return FALSE;
	}
	if (!rdd_service_is_created(cli->instance)) {
		if (!rdd_service_create(cli->instance, NULL, 0, error))
			return FALSE;
		rdd_cli_info(cli, "successfully created \"%s\" control plane", rdd_cmd_svc_name(cli));
	}
	if (rdd_service_is_running(cli->instance, NULL)) {
		rdd_cli_info(cli, "\"%s\" control plane is already running", rdd_cmd_svc_name(cli));
		if (!rdd_cmd_svc_wait_value)
			return TRUE;
		rdd_cli_info(cli, "waiting for \"%s\" control plane to be ready", rdd_cmd_svc_name(cli));
	} else {
		if (controllers != NULL) {
			g_ptr_array_add(overrides, g_strdup("--controllers"));
			g_ptr_array_add(overrides, g_strdup(controllers));
		}
		if (port != 0) {
			g_ptr_array_add(overrides, g_strdup("--secure-port"));
			g_ptr_array_add(overrides, g_strdup_printf("%d", port));
		}
		/* what follows `--` goes to the daemon; GOption leaves the `--` itself */
		for (gint i = 1, dashes = 0; i < argc; i++) {
			if (g_strcmp0(argv[i], "--") == 0 && dashes++ == 0)
				continue;
			g_ptr_array_add(overrides, g_strdup(argv[i]));
		}
		if (!rdd_service_spawn(cli->instance, (const gchar *const *)overrides->pdata,
				       cli->log_level, &pid, error))
			return FALSE;
		if (!rdd_cmd_svc_wait_value) {
			rdd_cli_info(cli, "\"%s\" control plane is starting", rdd_cmd_svc_name(cli));
			return TRUE;
		}
		rdd_cli_info(cli, "starting \"%s\" control plane", rdd_cmd_svc_name(cli));
	}
	if (!rdd_service_wait_ready(cli->instance, pid, timeout, rdd_cmd_svc_progress, cli, error)) {
		rdd_cli_progress_done(cli);
		return FALSE;
	}
	rdd_cli_progress_done(cli);
	rdd_cli_info(cli, "\"%s\" control plane is ready", rdd_cmd_svc_name(cli));
	return TRUE;
}

static gboolean
rdd_cmd_svc_stop(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *timeout_text = NULL;
	gint64 timeout = 5 * 60 * G_USEC_PER_SEC;
	const GOptionEntry entries[] = {
		RDD_CMD_SVC_WAIT_ENTRY,
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text,
		 N_("How long to wait before killing it (default 5m; 0 waits forever)"), N_("DURATION")},
		{NULL}};

	rdd_cmd_svc_wait_value = TRUE;
	if (!rdd_cli_parse_options(cli, "", entries, &argc, &argv, error) ||
	    !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	if (timeout_text != NULL && !rdd_cli_parse_duration("timeout", timeout_text, &timeout, error))
		return FALSE;
	if (!rdd_service_is_created(cli->instance)) {
		rdd_cli_info(cli, "\"%s\" control plane does not exist", rdd_cmd_svc_name(cli));
		return TRUE;
	}
	if (!rdd_service_is_running(cli->instance, NULL)) {
		rdd_cli_info(cli, "\"%s\" control plane is already stopped", rdd_cmd_svc_name(cli));
		return TRUE;
	}
	if (!rdd_service_stop(cli->instance, rdd_cmd_svc_wait_value, timeout, rdd_cmd_svc_progress, cli, error)) {
		rdd_cli_progress_done(cli);
		return FALSE;
	}
	rdd_cli_progress_done(cli);
	if (rdd_cmd_svc_wait_value)
		rdd_cli_info(cli, "\"%s\" control plane has stopped", rdd_cmd_svc_name(cli));
	else
		rdd_cli_info(cli, "\"%s\" control plane is stopping", rdd_cmd_svc_name(cli));
	return TRUE;
}

static gboolean
rdd_cmd_svc_delete(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *timeout_text = NULL;
	gint64 timeout = 5 * 60 * G_USEC_PER_SEC;
	const GOptionEntry entries[] = {
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text,
		 N_("How long to wait for a running daemon to stop (default 5m)"), N_("DURATION")},
		{NULL}};

	if (!rdd_cli_parse_options(cli, "", entries, &argc, &argv, error) ||
	    !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	if (timeout_text != NULL && !rdd_cli_parse_duration("timeout", timeout_text, &timeout, error))
		return FALSE;
	if (!rdd_service_is_created(cli->instance) &&
	    !g_file_test(rdd_instance_get_dir(cli->instance), G_FILE_TEST_EXISTS)) {
		rdd_cli_info(cli, "\"%s\" control plane does not exist", rdd_cmd_svc_name(cli));
		return TRUE;
	}
	/* a daemon that does not stop in time keeps its instance: nothing is deleted */
	if (!rdd_service_stop(cli->instance, TRUE, timeout, rdd_cmd_svc_progress, cli, error)) {
		rdd_cli_progress_done(cli);
		return FALSE;
	}
	rdd_cli_progress_done(cli);
	if (!rdd_service_delete_files(cli->instance, error))
		return FALSE;
	rdd_cli_info(cli, "\"%s\" control plane has been deleted", rdd_cmd_svc_name(cli));
	return TRUE;
}

static gboolean
rdd_cmd_svc_status(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	gint pid = 0;
	gboolean created, running;

	if (!rdd_cli_parse_options(cli, "", NULL, &argc, &argv, error) || !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	created = rdd_service_is_created(cli->instance);
	running = rdd_service_is_running(cli->instance, &pid);
	if (cli->json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		g_autofree gchar *text = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, rdd_cmd_svc_name(cli));
		json_builder_set_member_name(b, "created");
		json_builder_add_boolean_value(b, created);
		json_builder_set_member_name(b, "running");
		json_builder_add_boolean_value(b, running);
		json_builder_set_member_name(b, "pid");
		json_builder_add_int_value(b, pid);
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		text = rdd_json_to_string(root, TRUE);
		g_print("%s\n", text);
		return TRUE;
	}
	/* status always reports, whatever the log level */
	cli->log_level_forced = TRUE;
	rdd_cli_info(cli, "\"%s\" control plane has been created: %s", rdd_cmd_svc_name(cli),
		     created ? "true" : "false");
	rdd_cli_info(cli, "\"%s\" control plane has been started: %s", rdd_cmd_svc_name(cli),
		     running ? "true" : "false");
	rdd_cli_info(cli, "\"%s\" control plane PID is: %d", rdd_cmd_svc_name(cli), pid);
	return TRUE;
}

/* copies what @stream has left to stdout */
static gboolean
rdd_cmd_svc_copy(GInputStream *stream, GError **error)
{
	gchar buf[8192];
	gssize n;

	while ((n = g_input_stream_read(stream, buf, sizeof(buf), NULL, error)) > 0) {
		if (fwrite(buf, 1, n, stdout) != (gsize)n)
			break;
	}
	fflush(stdout);
	if (n < 0) {
		rdd_error_convert(error);
		return FALSE;
	}
	return TRUE;
}

static GInputStream *
rdd_cmd_svc_open(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) stream = g_file_read(file, NULL, error);
	if (stream == NULL) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot read the log: ");
		return NULL;
	}
	return G_INPUT_STREAM(g_steal_pointer(&stream));
}

/* tail -F: follows the log by name, across rotation (a new file under the name: the rest of
 * the old one is printed first, then the new one from its start) and truncation */
static gboolean
rdd_cmd_svc_follow(const gchar *path, GError **error)
{
	g_autoptr(GInputStream) current = NULL;
	ino_t inode = 0;

	for (;;) {
		GStatBuf st;
		gboolean exists = g_stat(path, &st) == 0;
		if (current != NULL) {
			if (!rdd_cmd_svc_copy(current, error))
				return FALSE;
			if (!exists || st.st_ino != inode) {
				g_clear_object(&current); /* rotated away: its end is printed */
			} else if (st.st_size < g_seekable_tell(G_SEEKABLE(current))) {
				/* truncated in place: start over */
				if (!g_seekable_seek(G_SEEKABLE(current), 0, G_SEEK_SET, NULL, error)) {
					rdd_error_convert(error);
					return FALSE;
				}
			}
		}
		if (current == NULL && exists) {
			g_autoptr(GError) error_local = NULL;
			current = rdd_cmd_svc_open(path, &error_local);
			if (current == NULL)
				g_debug("%s", error_local->message);
			inode = st.st_ino;
			if (current != NULL && !rdd_cmd_svc_copy(current, error))
				return FALSE;
		}
		g_usleep(200 * 1000);
	}
	return TRUE;
}

static gboolean
rdd_cmd_svc_logs(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	gboolean use_stdout = FALSE, follow = FALSE;
	g_autofree gchar *path = NULL;
	g_autoptr(GInputStream) stream = NULL;
	const GOptionEntry entries[] = {
		{"stdout", 'o', 0, G_OPTION_ARG_NONE, &use_stdout,
		 N_("Show the daemon's standard output log instead of its error log"), NULL},
		{"follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
		 N_("Keep printing as the log grows, across restarts"), NULL},
		{NULL}};

	if (!rdd_cli_parse_options(cli, "", entries, &argc, &argv, error) ||
	    !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	path = g_build_filename(rdd_instance_get_log_dir(cli->instance),
				use_stdout ? "rdd.stdout.log" : "rdd.stderr.log", NULL);
	if (follow)
		return rdd_cmd_svc_follow(path, error);
	stream = rdd_cmd_svc_open(path, error);
	return stream != NULL && rdd_cmd_svc_copy(stream, error);
}

static gboolean
rdd_cmd_svc_config(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	const gchar *path = rdd_instance_get_config_path(cli->instance);
	g_autofree gchar *data = NULL;
	gsize len = 0;

	if (!rdd_cli_parse_options(cli, "", NULL, &argc, &argv, error) || !rdd_cmd_svc_no_args(cli, argc, error))
		return FALSE;
	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	if (!g_file_get_contents(path, &data, &len, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	if (cli->json) {
		g_autoptr(JsonNode) node = rdd_yaml_parse(data, (gssize)len, error);
		g_autofree gchar *text = NULL;
		if (node == NULL) {
			g_prefix_error(error, "%s: ", path);
			return FALSE;
		}
		text = rdd_json_to_string(node, TRUE);
		g_print("%s\n", text);
		return TRUE;
	}
	fwrite(data, 1, len, stdout);
	return TRUE;
}

/* Go's %q for the shell format: double quotes, backslash escapes; unlike %q, also `$` and
 * backquotes, which a shell would expand inside double quotes */
static gchar *
rdd_cmd_svc_quote(const gchar *value)
{
	GString *out = g_string_new("\"");
	for (const gchar *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '$':
			g_string_append(out, "\\$");
			break;
		case '`':
			g_string_append(out, "\\`");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if ((guchar)*p < 0x20)
				g_string_append_printf(out, "\\x%02x", (guchar)*p);
			else
				g_string_append_c(out, *p);
		}
	}
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}

static gboolean
rdd_cmd_svc_paths(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *format = NULL;
	const gchar *const *keys = rdd_instance_get_path_keys();
	const gchar *only = NULL;
	const GOptionEntry entries[] = {{"output", 'o', 0, G_OPTION_ARG_STRING, &format,
					 N_("Output format: table, json or shell (default table)"), N_("FORMAT")},
					{NULL}};

	if (!rdd_cli_parse_options(cli, N_("[KEY]"), entries, &argc, &argv, error))
		return FALSE;
	if (argc > 2) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("accepts at most 1 arg(s), received %d"), argc - 1);
		return FALSE;
	}
	if (format == NULL)
		format = g_strdup(cli->json ? "json" : "table");
	if (g_strcmp0(format, "table") != 0 && g_strcmp0(format, "json") != 0 &&
	    g_strcmp0(format, "shell") != 0) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    "unknown output format \"%s\"; valid formats: table, json, or shell", format);
		return FALSE;
	}
	if (argc == 2) {
		only = argv[1];
		if (!g_strv_contains(keys, only)) {
			g_autofree gchar *valid = g_strjoinv(", ", (gchar **)keys);
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    "unknown key \"%s\"; valid keys: %s", only, valid);
			return FALSE;
		}
	}
	if (g_strcmp0(format, "json") == 0) {
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
		g_autofree gchar *text = NULL;
		for (guint i = 0; keys[i] != NULL; i++) {
			if (only == NULL || g_strcmp0(only, keys[i]) == 0)
				json_object_set_string_member(
					obj, keys[i], rdd_instance_get_path(cli->instance, keys[i]));
		}
		json_node_set_object(node, obj);
		text = rdd_json_to_string(node, FALSE);
		g_print("%s\n", text);
	} else if (g_strcmp0(format, "shell") == 0) {
		for (guint i = 0; keys[i] != NULL; i++) {
			g_autofree gchar *upper = NULL;
			g_autofree gchar *quoted = NULL;
			if (only != NULL && g_strcmp0(only, keys[i]) != 0)
				continue;
			upper = g_ascii_strup(keys[i], -1);
			quoted = rdd_cmd_svc_quote(rdd_instance_get_path(cli->instance, keys[i]));
			g_print("export RDD_%s=%s\n", upper, quoted);
		}
	} else if (only != NULL) {
		g_print("%s\n", rdd_instance_get_path(cli->instance, only));
	} else {
		gsize width = 0;
		for (guint i = 0; keys[i] != NULL; i++)
			width = MAX(width, strlen(keys[i]));
		for (guint i = 0; keys[i] != NULL; i++)
			g_print("%-*s  %s\n", (gint)width, keys[i],
				rdd_instance_get_path(cli->instance, keys[i]));
	}
	return TRUE;
}

const RddCliCommand rdd_cmd_svc_commands[] = {
	{"svc create", "[--controllers=SPEC] [--secure-port=N]",
	 N_("Create the control plane of the instance"), rdd_cmd_svc_create, FALSE},
	{"svc start", "[--wait] [--timeout=D] [--controllers=SPEC] [--secure-port=N]",
	 N_("Start the control plane (creating it when needed)"), rdd_cmd_svc_start, FALSE},
	{"svc stop", "[--wait] [--timeout=D]", N_("Stop the control plane"), rdd_cmd_svc_stop, FALSE},
	{"svc delete", "[--timeout=D]", N_("Stop the control plane and delete the instance"),
	 rdd_cmd_svc_delete, FALSE},
	{"svc status", "", N_("Show whether the control plane is created and running"), rdd_cmd_svc_status, FALSE},
	{"svc logs", "[--stdout] [-f]", N_("Print the control plane's log"), rdd_cmd_svc_logs, FALSE},
	{"svc log", "[--stdout] [-f]", N_("Print the control plane's log"), rdd_cmd_svc_logs, TRUE},
	{"svc config", "", N_("Print the kubeconfig of the control plane"), rdd_cmd_svc_config, FALSE},
	{"svc paths", "[KEY] [-o table|json|shell]", N_("Print the instance's paths"), rdd_cmd_svc_paths, FALSE},
	{NULL}};
