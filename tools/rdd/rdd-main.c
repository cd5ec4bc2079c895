/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd: the command-line tool. A registry of commands, each a {name, arguments, description,
 * handler} entry in the file of its group.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "rdd-cli.h"
#include "rdd-service.h"

G_DEFINE_QUARK(rdd-cli-usage-error-quark, rdd_cli_usage_error)

/* rdd_main_version: the version as `rdd version` prints it */
static void
rdd_main_print_version(const gchar *value)
{
	if (value == NULL || g_strcmp0(value, "true") == 0) {
		g_print("v%s\n", PACKAGE_VERSION);
	} else if (g_strcmp0(value, "raw") == 0) {
		g_print("Version:    v%s\n", PACKAGE_VERSION);
		g_print("GitCommit:  %s\n", "unknown");
		g_print("BuildDate:  %s\n", __DATE__);
		g_print("Compiler:   gcc %d.%d\n", __GNUC__, __GNUC_MINOR__);
		g_print("GLib:       %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
		g_print("Platform:   linux/%s\n",
#if defined(__x86_64__)
			"amd64"
#elif defined(__aarch64__)
			"arm64"
#else
			"unknown"
#endif
		);
	} else {
		g_print("%s\n", value);
	}
}

static void
rdd_main_log(RddCli *cli, RddLogLevel level, const gchar *format, va_list args)
{
	g_autofree gchar *msg = g_strdup_vprintf(format, args);
	g_autofree gchar *line = NULL;
	if (level < cli->log_level && !(level == RDD_LOG_LEVEL_INFO && cli->log_level_forced))
		return;
	line = rdd_log_format_line(g_get_real_time(), rdd_log_level_to_string(level), NULL, msg);
	fputs(line, stderr);
	fflush(stderr);
}

/**
 * rdd_cli_info:
 * @cli: the context
 * @format: printf-style format
 * @...: arguments
 *
 * Logs an informational line (logfmt on stderr) when the log level allows it.
 */
void
rdd_cli_info(RddCli *cli, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	rdd_main_log(cli, RDD_LOG_LEVEL_INFO, format, args);
	va_end(args);
}

/**
 * rdd_cli_warn:
 * @cli: the context
 * @format: printf-style format
 * @...: arguments
 */
void
rdd_cli_warn(RddCli *cli, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	rdd_main_log(cli, RDD_LOG_LEVEL_WARN, format, args);
	va_end(args);
}

/**
 * rdd_cli_exit_code:
 * @error: the error a command failed with
 *
 * Returns: the exit code for @error
 */
RddExit
rdd_cli_exit_code(const GError *error)
{
	if (error->domain == RDD_CLI_USAGE_ERROR)
		return RDD_EXIT_USAGE;
	if (error->domain == G_OPTION_ERROR)
		return RDD_EXIT_USAGE;
	if (error->domain != RDD_ERROR)
		return RDD_EXIT_ERROR;
	switch (error->code) {
	case RDD_ERROR_TIMED_OUT:
		return RDD_EXIT_TIMEOUT;
	case RDD_ERROR_INVALID:
	case RDD_ERROR_FORBIDDEN:
		return RDD_EXIT_REJECTED;
	default:
		return RDD_EXIT_ERROR;
	}
}

/**
 * rdd_cli_is_tty:
 *
 * Returns: %TRUE when stderr is a terminal (progress lines are drawn there)
 */
gboolean
rdd_cli_is_tty(void)
{
	return isatty(STDERR_FILENO) && g_strcmp0(g_getenv("TERM"), "dumb") != 0;
}

/**
 * rdd_cli_parse_duration:
 * @flag: the flag name, for messages
 * @text: a Go-style duration such as `90s` or `5m`
 * @usec: (out): the duration
 * @error: return location for a usage error
 *
 * Returns: %TRUE when @text is a valid, non-negative duration
 */
gboolean
rdd_cli_parse_duration(const gchar *flag, const gchar *text, gint64 *usec, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (!rdd_time_parse_duration(text, usec, &error_local)) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("invalid argument \"%s\" for \"%s\" flag: %s"), text, flag, error_local->message);
		return FALSE;
	}
	if (*usec < 0) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("invalid argument \"%s\" for \"%s\" flag: a duration must not be negative"), text, flag);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_cli_parse_bool:
 * @flag: the flag name, for messages
 * @text: `1 t T TRUE true True 0 f F FALSE false False`, as Go's ParseBool accepts
 * @value: (out): the value
 * @error: return location for a usage error
 *
 * Returns: %TRUE when @text is a boolean
 */
gboolean
rdd_cli_parse_bool(const gchar *flag, const gchar *text, gboolean *value, GError **error)
{
	const gchar *yes[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
	const gchar *no[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
	if (g_strv_contains(yes, text)) {
		*value = TRUE;
		return TRUE;
	}
	if (g_strv_contains(no, text)) {
		*value = FALSE;
		return TRUE;
	}
	g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("invalid argument \"%s\" for \"%s\" flag: expected true or false"), text, flag);
	return FALSE;
}

/**
 * rdd_cli_parse_options:
 * @cli: the context
 * @parameter_string: the arguments summary for `--help`
 * @entries: the command's own options
 * @argc: (inout): argument count
 * @argv: (inout): arguments; options are removed
 * @error: return location for a usage error
 *
 * Parses a command's options plus the ones every command takes (`--json`, `--log-level`).
 * `--help` prints the help and exits 0.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_cli_parse_options(RddCli *cli,
		      const gchar *parameter_string,
		      const GOptionEntry *entries,
		      gint *argc,
		      gchar ***argv,
		      GError **error)
{
	g_autofree gchar *log_level = NULL;
	g_autofree gchar *summary = g_strdup_printf("%s %s", cli->command, parameter_string != NULL ? parameter_string : "");
	g_autoptr(GOptionContext) context = g_option_context_new(summary);
	const GOptionEntry common[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print machine-readable JSON"), NULL},
	    {"log-level", 0, 0, G_OPTION_ARG_STRING, &log_level, N_("Log level: trace, debug, info, warn, error or fatal"), N_("LEVEL")},
	    {NULL}};

	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	g_option_context_add_main_entries(context, common, GETTEXT_PACKAGE);
	g_option_context_set_strict_posix(context, FALSE);
	/* the strv variant frees what it removes: @argv is the command's own copy */
	if (!g_option_context_parse_strv(context, argv, error))
		return FALSE; /* GOption's domain: a usage error */
	*argc = (gint)g_strv_length(*argv);
	if (log_level != NULL) {
		g_autoptr(GError) error_local = NULL;
		if (!rdd_log_level_from_string(log_level, &cli->log_level, &error_local)) {
			g_set_error_literal(error, RDD_CLI_USAGE_ERROR, 0, error_local->message);
			return FALSE;
		}
	}
	return TRUE;
}

static void
rdd_main_start_progress(const gchar *phase, gint64 elapsed, gpointer user_data)
{
	static const gchar *spinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
	RddCli *cli = user_data;
	if (!rdd_cli_is_tty())
		return;
	g_printerr("\r\033[K%s %s: %s (%" G_GINT64_FORMAT "s)",
		   spinner[(elapsed / 100000) % G_N_ELEMENTS(spinner)],
		   rdd_instance_get_name(cli->instance),
		   phase,
		   elapsed / G_USEC_PER_SEC);
}

/**
 * rdd_cli_ensure_client:
 * @cli: the context
 * @autostart: create and start the instance's daemon when it is not running
 * @error: return location for an error
 *
 * Connects the context's client to the daemon, starting it first when @autostart (bounded
 * by 90 seconds, %RDD_ERROR_TIMED_OUT past that).
 *
 * Returns: %TRUE when the daemon answers
 */
gboolean
rdd_cli_ensure_client(RddCli *cli, gboolean autostart, GError **error)
{
	g_autofree gchar *sock = rdd_instance_dup_api_socket_path(cli->instance);
	GPid pid = 0;

	if (cli->client == NULL)
		cli->client = rdd_client_new(sock);
	if (rdd_service_is_running(cli->instance, NULL)) {
		gboolean ok = rdd_service_wait_ready(cli->instance, 0, 90 * G_USEC_PER_SEC, rdd_main_start_progress, cli, error);
		if (rdd_cli_is_tty())
			g_printerr("\r\033[K");
		return ok;
	}
	if (!autostart) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BUSY,
			    _("\"%s\" control plane is not running; start it with: rdd svc start"),
			    rdd_instance_get_name(cli->instance));
		return FALSE;
	}
	if (!rdd_service_is_created(cli->instance) && !rdd_service_create(cli->instance, NULL, 0, error))
		return FALSE;
	rdd_cli_info(cli, "starting \"%s\" control plane", rdd_instance_get_name(cli->instance));
	if (!rdd_service_spawn(cli->instance, NULL, cli->log_level, &pid, error))
		return FALSE;
	if (!rdd_service_wait_ready(cli->instance, pid, 90 * G_USEC_PER_SEC, rdd_main_start_progress, cli, error)) {
		if (rdd_cli_is_tty())
			g_printerr("\r\033[K");
		return FALSE;
	}
	if (rdd_cli_is_tty())
		g_printerr("\r\033[K");
	rdd_cli_info(cli, "\"%s\" control plane is ready", rdd_instance_get_name(cli->instance));
	return TRUE;
}

static const RddCliCommand *const rdd_main_groups[] = {
    rdd_cmd_svc_commands,
    rdd_cmd_get_commands,
    rdd_cmd_ctl_commands,
    rdd_cmd_plugins_commands,
    rdd_cmd_set_commands,
};

static gboolean
rdd_main_version_cmd(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	if (!rdd_cli_parse_options(cli, "", NULL, &argc, &argv, error))
		return FALSE;
	rdd_main_print_version(NULL);
	return TRUE;
}

static const RddCliCommand rdd_main_commands[] = {
    {"version", "", N_("Print the version of rdd"), rdd_main_version_cmd, FALSE},
    {NULL}};

static void
rdd_main_usage(FILE *out)
{
	fprintf(out, "%s\n\n", _("rdd manages the Rancher Desktop background services."));
	fprintf(out, "%s\n  rdd [--instance NAME] [--log-level LEVEL] COMMAND [ARGS...]\n\n", _("Usage:"));
	fprintf(out, "%s\n", _("Commands:"));
	for (guint g = 0; g <= G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = g < G_N_ELEMENTS(rdd_main_groups) ? rdd_main_groups[g] : rdd_main_commands;
		for (guint i = 0; cmds[i].name != NULL; i++) {
			g_autofree gchar *left = NULL;
			if (cmds[i].hidden)
				continue;
			left = g_strdup_printf("%s %s", cmds[i].name, cmds[i].args);
			fprintf(out, "  %-44s %s\n", left, _(cmds[i].description));
		}
	}
	fprintf(out, "\n%s\n", _("Global options:"));
	fprintf(out, "  %-44s %s\n", "--instance NAME", _("Instance to use, first argument only (default: RDD_INSTANCE or 2)"));
	fprintf(out, "  %-44s %s\n", "--log-level LEVEL", _("trace, debug, info, warn, error or fatal (default: RDD_LOG_LEVEL or warn)"));
	fprintf(out, "  %-44s %s\n", "--json", _("Print machine-readable JSON (read commands)"));
	fprintf(out, "  %-44s %s\n", "--version", _("Print the version"));
	fprintf(out, "\n%s\n", _("Run \"rdd COMMAND --help\" for the options of a command."));
	fprintf(out, "%s\n", _("Exit codes: 0 success, 1 error, 2 usage, 3 admission rejection, 4 timeout."));
}

/* the longest registered command name made of the leading words of @argv */
static const RddCliCommand *
rdd_main_lookup(gint argc, gchar **argv, gint *consumed)
{
	const RddCliCommand *best = NULL;
	gint best_words = 0;

	for (guint g = 0; g <= G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = g < G_N_ELEMENTS(rdd_main_groups) ? rdd_main_groups[g] : rdd_main_commands;
		for (guint i = 0; cmds[i].name != NULL; i++) {
			g_auto(GStrv) words = g_strsplit(cmds[i].name, " ", -1);
			gint n = (gint)g_strv_length(words);
			gboolean match = n <= argc;
			for (gint w = 0; match && w < n; w++)
				match = g_strcmp0(words[w], argv[w]) == 0;
			if (match && n > best_words) {
				best = &cmds[i];
				best_words = n;
			}
		}
	}
	*consumed = best_words;
	return best;
}

static void
rdd_main_print_error(RddCli *cli, const GError *error)
{
	g_autofree gchar *line = rdd_log_format_line(g_get_real_time(), "fatal", NULL, error->message);
	fputs(line, stderr);
}

int
main(int argc, char **argv)
{
	RddCli cli = {0};
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *instance_name = NULL;
	const gchar *env_level = g_getenv("RDD_LOG_LEVEL");
	const RddCliCommand *cmd;
	gint consumed = 0, i = 1;
	gboolean ok;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	cli.argv0 = argv[0];
	cli.log_level = RDD_LOG_LEVEL_WARN;
	if (env_level != NULL && env_level[0] != '\0') {
		g_autoptr(GError) error_local = NULL;
		if (!rdd_log_level_from_string(env_level, &cli.log_level, &error_local)) {
			g_printerr("rdd: RDD_LOG_LEVEL: %s\n", error_local->message);
			return RDD_EXIT_USAGE;
		}
	}

	/* --instance is only understood as the very first argument */
	if (argc > 1 && (g_strcmp0(argv[1], "--instance") == 0 || g_str_has_prefix(argv[1], "--instance="))) {
		if (argv[1][10] == '=') {
			instance_name = g_strdup(argv[1] + 11);
			i = 2;
		} else if (argc > 2 && argv[2][0] != '-') {
			instance_name = g_strdup(argv[2]);
			i = 3;
		} else {
			i = 2;
		}
		if (instance_name != NULL && instance_name[0] != '\0')
			g_setenv("RDD_INSTANCE", instance_name, TRUE);
	}
	/* global flags before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const gchar *arg = argv[i];
		if (g_strcmp0(arg, "--help") == 0 || g_strcmp0(arg, "-h") == 0) {
			rdd_main_usage(stdout);
			return RDD_EXIT_OK;
		} else if (g_strcmp0(arg, "--version") == 0 || g_str_has_prefix(arg, "--version=")) {
			rdd_main_print_version(arg[9] == '=' ? arg + 10 : NULL);
			return RDD_EXIT_OK;
		} else if (g_strcmp0(arg, "--json") == 0) {
			cli.json = TRUE;
		} else if (g_strcmp0(arg, "--log-level") == 0 || g_str_has_prefix(arg, "--log-level=")) {
			const gchar *value = arg[11] == '=' ? arg + 12 : (i + 1 < argc ? argv[++i] : "");
			g_autoptr(GError) error_local = NULL;
			if (!rdd_log_level_from_string(value, &cli.log_level, &error_local)) {
				g_printerr("rdd: %s\n", error_local->message);
				return RDD_EXIT_USAGE;
			}
		} else if (g_strcmp0(arg, "--instance") == 0 || g_str_has_prefix(arg, "--instance=")) {
			g_printerr("rdd: %s\n", _("--instance must be the first argument"));
			return RDD_EXIT_USAGE;
		} else {
			g_printerr(_("rdd: unknown flag: %s\nRun \"rdd --help\" for usage.\n"), arg);
			return RDD_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		rdd_main_usage(stderr);
		return RDD_EXIT_USAGE;
	}
	/* aliases */
	for (gint j = i; j < argc; j++)
		g_ptr_array_add(args, g_strdup(argv[j]));
	if (g_strcmp0(g_ptr_array_index(args, 0), "service") == 0) {
		g_free(g_ptr_array_index(args, 0));
		args->pdata[0] = g_strdup("svc");
	}
	if (g_strcmp0(g_ptr_array_index(args, 0), "help") == 0) {
		rdd_main_usage(stdout);
		return RDD_EXIT_OK;
	}
	cmd = rdd_main_lookup((gint)args->len, (gchar **)args->pdata, &consumed);
	if (cmd == NULL) {
		g_printerr(_("rdd: unknown command \"%s\"\nRun \"rdd --help\" for usage.\n"), (const gchar *)g_ptr_array_index(args, 0));
		return RDD_EXIT_USAGE;
	}
	cli.instance = rdd_instance_new_from_env();
	cli.command = cmd->name;
	{
		/* argv for the handler: its name first, as GOption expects */
		g_autoptr(GPtrArray) cmd_argv = g_ptr_array_new_null_terminated(args->len, g_free, TRUE);
		gchar **handler_argv;
		gint handler_argc;
		g_ptr_array_add(cmd_argv, g_strdup_printf("rdd %s", cmd->name));
		for (guint j = consumed; j < args->len; j++)
			g_ptr_array_add(cmd_argv, g_strdup(g_ptr_array_index(args, j)));
		handler_argc = (gint)cmd_argv->len;
		handler_argv = (gchar **)g_ptr_array_steal(cmd_argv, NULL);
		ok = cmd->func(&cli, handler_argc, handler_argv, &error);
		g_strfreev(handler_argv);
	}
	g_clear_object(&cli.client);
	g_clear_object(&cli.instance);
	if (!ok) {
		RddExit code = cli.exit_code != RDD_EXIT_OK ? cli.exit_code : rdd_cli_exit_code(error);
		if (error != NULL) {
			if (code == RDD_EXIT_USAGE)
				g_printerr("rdd %s: %s\n%s\n", cmd->name, error->message, _("Run with --help for usage."));
			else
				rdd_main_print_error(&cli, error);
		}
		return code;
	}
	return cli.exit_code;
}
