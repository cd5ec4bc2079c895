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
#include <sys/ioctl.h>
#include <unistd.h>

#include "rdd-cli.h"
#include "rdd-service.h"

/* clang-format off */
G_DEFINE_QUARK(rdd-cli-usage-error-quark, rdd_cli_usage_error)
/* clang-format on */

static const gchar *
rdd_main_platform(void)
{
#if defined(__x86_64__)
	return "linux/amd64";
#elif defined(__aarch64__)
	return "linux/arm64";
#else
	return "linux/unknown";
#endif
}

/* the version as `rdd version` and `rdd --version[=VALUE]` print it */
static void
rdd_main_print_version(const gchar *value, gboolean json)
{
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		g_autofree gchar *version = g_strdup_printf("v%s", PACKAGE_VERSION);
		g_autofree gchar *glib_version = g_strdup_printf("%u.%u.%u", glib_major_version,
								 glib_minor_version, glib_micro_version);
		g_autofree gchar *text = NULL;
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "version");
		json_builder_add_string_value(b, version);
		json_builder_set_member_name(b, "glibVersion");
		json_builder_add_string_value(b, glib_version);
		json_builder_set_member_name(b, "platform");
		json_builder_add_string_value(b, rdd_main_platform());
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		text = rdd_json_to_string(root, TRUE);
		g_print("%s\n", text);
		return;
	}
	if (value == NULL || g_strcmp0(value, "true") == 0) {
		g_print("v%s\n", PACKAGE_VERSION);
	} else if (g_strcmp0(value, "raw") == 0) {
		g_print("Version:    v%s\n", PACKAGE_VERSION);
		g_print("GitCommit:  %s\n", "unknown");
		g_print("BuildDate:  %s\n", __DATE__);
		g_print("Compiler:   gcc %d.%d\n", __GNUC__, __GNUC_MINOR__);
		g_print("GLib:       %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
		g_print("Platform:   %s\n", rdd_main_platform());
	} else {
		g_print("%s\n", value);
	}
}

/* one log line, logfmt (`time=… level=… msg="…"`) or, with --log-format json, a JSON object
 * with the keys logrus writes: level, msg, time */
static gchar *
rdd_main_format_line(RddCli *cli, const gchar *level, const gchar *msg)
{
	g_autoptr(JsonBuilder) b = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autofree gchar *when = NULL;
	g_autofree gchar *text = NULL;

	if (cli == NULL || !cli->log_json)
		return rdd_log_format_line(g_get_real_time(), level, NULL, msg);
	now = g_date_time_new_now_utc();
	when = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "level");
	json_builder_add_string_value(b, level);
	json_builder_set_member_name(b, "msg");
	json_builder_add_string_value(b, msg);
	json_builder_set_member_name(b, "time");
	json_builder_add_string_value(b, when);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	text = rdd_json_to_string(root, FALSE);
	return g_strdup_printf("%s\n", text);
}

static void
rdd_main_log(RddCli *cli, RddLogLevel level, const gchar *format, va_list args)
{
	g_autofree gchar *msg = g_strdup_vprintf(format, args);
	g_autofree gchar *line = NULL;
	if (level < cli->log_level && !(level == RDD_LOG_LEVEL_INFO && cli->log_level_forced))
		return;
	rdd_cli_progress_done(cli);
	line = rdd_main_format_line(cli, rdd_log_level_to_string(level), msg);
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
 *
 * Logs a warning (logfmt on stderr) unless the log level is error or fatal.
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
 * Usage errors are 2, timeouts 4, anything else 1; the admission rejection (3) is set by the
 * commands that write, in #RddCli.exit_code.
 *
 * Returns: the exit code for @error
 */
RddExit
rdd_cli_exit_code(const GError *error)
{
	g_return_val_if_fail(error != NULL, RDD_EXIT_ERROR);
	if (error->domain == RDD_CLI_USAGE_ERROR)
		return RDD_EXIT_USAGE;
	if (error->domain == G_OPTION_ERROR)
		return RDD_EXIT_USAGE;
	if (error->domain != RDD_ERROR)
		return RDD_EXIT_ERROR;
	/* 3 is for a write the daemon refused; rdd set says so itself (cli->exit_code), as an
	 * invalid file or value elsewhere is no admission rejection */
	if (error->code == RDD_ERROR_TIMED_OUT)
		return RDD_EXIT_TIMEOUT;
	return RDD_EXIT_ERROR;
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
 * rdd_cli_terminal_width:
 *
 * Returns: the width of the terminal on stdout, else `COLUMNS`, else 80
 */
guint
rdd_cli_terminal_width(void)
{
	struct winsize ws = {0};
	const gchar *columns = g_getenv("COLUMNS");
	guint64 value = 0;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (columns != NULL && g_ascii_string_to_unsigned(columns, 10, 20, 1000, &value, NULL))
		return (guint)value;
	return 80;
}

/**
 * rdd_cli_progress:
 * @cli: the context
 * @phase: what is being waited for, e.g. `waiting for API server`
 * @elapsed_usec: how long the wait has lasted
 *
 * Shows progress: on a terminal, a spinner line on stderr redrawn in place; otherwise each
 * new phase once, as an info line, so logs and pipes get plain lines.
 */
void
rdd_cli_progress(RddCli *cli, const gchar *phase, gint64 elapsed_usec)
{
	static const gchar *spinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

	g_return_if_fail(cli != NULL);
	g_return_if_fail(phase != NULL);
	if (rdd_cli_is_tty()) {
		g_printerr("\r\033[K%s %s (%" G_GINT64_FORMAT "s)",
			   spinner[(elapsed_usec / 100000) % G_N_ELEMENTS(spinner)], phase,
			   elapsed_usec / G_USEC_PER_SEC);
		cli->progress_drawn = TRUE;
		return;
	}
	if (g_strcmp0(cli->progress_phase, phase) == 0)
		return;
	g_free(cli->progress_phase);
	cli->progress_phase = g_strdup(phase);
	rdd_cli_info(cli, "%s", phase);
}

/**
 * rdd_cli_progress_done:
 * @cli: the context
 *
 * Clears the progress line from the terminal, if one is drawn.
 */
void
rdd_cli_progress_done(RddCli *cli)
{
	g_return_if_fail(cli != NULL);
	if (!cli->progress_drawn)
		return;
	g_printerr("\r\033[K");
	cli->progress_drawn = FALSE;
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
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("invalid argument \"%s\" for \"%s\" flag: %s"),
			    text, flag, error_local->message);
		return FALSE;
	}
	/* `1ns` is a deadline, however short, not the 0 that means none */
	if (*usec == 0 && strpbrk(text, "123456789") != NULL)
		*usec = 1;
	if (*usec < 0) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    _("invalid argument \"%s\" for \"%s\" flag: a duration must not be negative"),
			    text, flag);
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
	g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
		    _("invalid argument \"%s\" for \"%s\" flag: expected true or false"), text, flag);
	return FALSE;
}

/* --log-format text|json */
static gboolean
rdd_main_parse_log_format(RddCli *cli, const gchar *value, GError **error)
{
	if (g_strcmp0(value, "text") == 0) {
		cli->log_json = FALSE;
		return TRUE;
	}
	if (g_strcmp0(value, "json") == 0) {
		cli->log_json = TRUE;
		return TRUE;
	}
	g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
		    _("invalid argument \"%s\" for \"log-format\" flag: valid formats: text, json"), value);
	return FALSE;
}

static gboolean
rdd_main_parse_log_level(RddCli *cli, const gchar *value, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (!rdd_log_level_from_string(value, &cli->log_level, &error_local)) {
		g_set_error_literal(error, RDD_CLI_USAGE_ERROR, 0, error_local->message);
		return FALSE;
	}
	rdd_log_set_level(cli->log_level);
	return TRUE;
}

static const RddCliCommand rdd_main_commands[];
static const RddCliCommand *const rdd_main_groups[] = {
	rdd_cmd_svc_commands,	  rdd_cmd_get_commands, rdd_cmd_ctl_commands,
	rdd_cmd_plugins_commands, rdd_cmd_set_commands, rdd_main_commands,
};

/* the registered command named exactly @name */
static const RddCliCommand *
rdd_main_find(const gchar *name)
{
	for (guint g = 0; name != NULL && g < G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = rdd_main_groups[g];
		for (guint i = 0; cmds[i].name != NULL; i++) {
			if (g_strcmp0(cmds[i].name, name) == 0)
				return &cmds[i];
		}
	}
	return NULL;
}

/* GOption's own messages are worded for GLib programs; the reference's are cobra's */
static void
rdd_main_option_error(GError *error_local, GError **error)
{
	if (g_error_matches(error_local, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION)) {
		const gchar *flag = strrchr(error_local->message, ' ');
		if (flag != NULL && flag[1] == '-') {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("unknown flag: %s"), flag + 1);
			return;
		}
	}
	g_set_error_literal(error, RDD_CLI_USAGE_ERROR, 0, error_local->message);
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
 * Parses a command's options plus the ones every command takes (`--json`, `--log-level`,
 * `--log-format`). `--help` prints the help, the command's description as its summary and
 * @cli's help epilogue, and exits 0.
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
	g_autofree gchar *log_format = NULL;
	const RddCliCommand *cmd = rdd_main_find(cli->command);
	/* _("") would be the catalogue's header */
	const gchar *params =
		parameter_string != NULL && parameter_string[0] != '\0' ? _(parameter_string) : NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(params);
	g_autoptr(GError) error_local = NULL;
	const GOptionEntry common[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print machine-readable JSON"), NULL},
		{"log-level", 0, 0, G_OPTION_ARG_STRING, &log_level,
		 N_("Log level: trace, debug, info, warn, error or fatal"), N_("LEVEL")},
		{"log-format", 0, 0, G_OPTION_ARG_STRING, &log_format,
		 N_("Log format: text or json (default text)"), N_("FORMAT")},
		{NULL}};

	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	if (cmd != NULL)
		g_option_context_set_summary(context, _(cmd->description));
	if (cli->help_epilogue != NULL)
		g_option_context_set_description(context, cli->help_epilogue);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	g_option_context_add_main_entries(context, common, GETTEXT_PACKAGE);
	g_option_context_set_strict_posix(context, FALSE);
	/* `Usage: rdd svc start [OPTION…]`: GOption names the program after argv[0] */
	if (*argv != NULL && (*argv)[0] != NULL)
		g_set_prgname((*argv)[0]);
	/* the strv variant frees what it removes: @argv is the command's own copy */
	if (!g_option_context_parse_strv(context, argv, &error_local)) {
		rdd_main_option_error(error_local, error);
		return FALSE;
	}
	*argc = (gint)g_strv_length(*argv);
	if (log_level != NULL && !rdd_main_parse_log_level(cli, log_level, error))
		return FALSE;
	if (log_format != NULL && !rdd_main_parse_log_format(cli, log_format, error))
		return FALSE;
	return TRUE;
}

static void
rdd_main_start_progress(const gchar *phase, gint64 elapsed, gpointer user_data)
{
	rdd_cli_progress(user_data, phase, elapsed);
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
	gboolean ok;

	if (cli->client == NULL)
		cli->client = rdd_client_new(sock);
	if (rdd_service_is_running(cli->instance, &cli->daemon_pid)) {
		/* the common case, without a round trip: the daemon listens on its socket only
		 * once it is ready (it flags itself ready as it starts listening) */
		if (g_file_test(sock, G_FILE_TEST_EXISTS))
			return TRUE;
		ok = rdd_service_wait_ready(cli->instance, 0, 90 * G_USEC_PER_SEC,
					    rdd_main_start_progress, cli, error);
		rdd_cli_progress_done(cli);
		return ok;
	}
	if (!autostart) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY,
			    _("\"%s\" control plane is not running; start it with: rdd svc start"),
			    rdd_instance_get_name(cli->instance));
		return FALSE;
	}
	if (!rdd_service_is_created(cli->instance)) {
		if (!rdd_service_create(cli->instance, NULL, 0, error))
			return FALSE;
		rdd_cli_info(cli, "successfully created \"%s\" control plane",
			     rdd_instance_get_name(cli->instance));
	}
	rdd_cli_info(cli, "starting \"%s\" control plane", rdd_instance_get_name(cli->instance));
	if (!rdd_service_spawn(cli->instance, NULL, cli->log_level, &pid, error))
		return FALSE;
	cli->daemon_pid = pid;
	ok = rdd_service_wait_ready(cli->instance, pid, 90 * G_USEC_PER_SEC, rdd_main_start_progress, cli, error);
	rdd_cli_progress_done(cli);
	if (!ok)
		return FALSE;
	rdd_cli_info(cli, "\"%s\" control plane is ready", rdd_instance_get_name(cli->instance));
	return TRUE;
}

static gboolean
rdd_main_version_cmd(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	if (!rdd_cli_parse_options(cli, "", NULL, &argc, &argv, error))
		return FALSE;
	if (argc > 1) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("\"rdd %s\" takes no arguments"), cli->command);
		return FALSE;
	}
	rdd_main_print_version(NULL, cli->json);
	return TRUE;
}

static const RddCliCommand rdd_main_commands[] = {
	{"version", "", N_("Print the version of rdd"), rdd_main_version_cmd, FALSE},
	{NULL}};

/* `svc` for `svc start`, NULL for a command of one word */
static gchar *
rdd_main_group_of(const gchar *name)
{
	const gchar *space = strchr(name, ' ');
	return space != NULL ? g_strndup(name, space - name) : NULL;
}

/* TRUE when @word is the first word of multi-word commands, e.g. `svc` */
static gboolean
rdd_main_is_group(const gchar *word)
{
	for (guint g = 0; g < G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = rdd_main_groups[g];
		for (guint i = 0; cmds[i].name != NULL; i++) {
			g_autofree gchar *group = rdd_main_group_of(cmds[i].name);
			if (g_strcmp0(group, word) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

static void
rdd_main_print_row(FILE *out, const gchar *left, const gchar *right)
{
	const gint width = 36;
	if (g_utf8_strlen(left, -1) <= width - 2)
		fprintf(out, "  %-*s%s\n", width, left, right);
	else
		fprintf(out, "  %s\n  %-*s%s\n", left, width, "", right);
}

/* the commands (of @group only, when given) and the global options */
static void
rdd_main_usage(FILE *out, const gchar *group)
{
	if (group == NULL) {
		fprintf(out, "%s\n\n", _("rdd manages the Rancher Desktop background services."));
		fprintf(out, "%s\n  rdd [--instance NAME] [--log-level LEVEL] COMMAND [ARGS...]\n\n",
			_("Usage:"));
	} else {
		fprintf(out, "%s\n  rdd [--instance NAME] %s COMMAND [ARGS...]\n\n", _("Usage:"), group);
	}
	fprintf(out, "%s\n", _("Commands:"));
	for (guint g = 0; g < G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = rdd_main_groups[g];
		for (guint i = 0; cmds[i].name != NULL; i++) {
			g_autofree gchar *left = NULL;
			g_autofree gchar *cmd_group = rdd_main_group_of(cmds[i].name);
			if (cmds[i].hidden)
				continue;
			if (group != NULL && g_strcmp0(cmd_group, group) != 0)
				continue;
			left = cmds[i].args[0] != '\0' ?
				       g_strdup_printf("%s %s", cmds[i].name, cmds[i].args) :
				       g_strdup(cmds[i].name);
			rdd_main_print_row(out, left, _(cmds[i].description));
		}
	}
	if (group == NULL)
		fprintf(out, "  %-36s%s\n", "help [COMMAND]", _("Show the help of rdd or of a command"));
	fprintf(out, "\n%s\n", _("Global options:"));
	rdd_main_print_row(out, "--instance NAME",
			   _("Instance to use, first argument only (default: RDD_INSTANCE or 2)"));
	rdd_main_print_row(out, "--log-level LEVEL",
			   _("trace, debug, info, warn, error or fatal (default: RDD_LOG_LEVEL or warn)"));
	rdd_main_print_row(out, "--log-format FORMAT", _("text or json (default text)"));
	rdd_main_print_row(out, "--json", _("Print machine-readable JSON (read commands)"));
	rdd_main_print_row(out, "--version[=raw]", _("Print the version"));
	fprintf(out, "\n%s\n", _("Run \"rdd COMMAND --help\" for the options of a command."));
	fprintf(out, "%s\n", _("Exit codes: 0 success, 1 error, 2 usage, 3 admission rejection, 4 timeout."));
}

/* the longest registered command name made of the leading words of @argv */
static const RddCliCommand *
rdd_main_lookup(gint argc, gchar **argv, gint *consumed)
{
	const RddCliCommand *best = NULL;
	gint best_words = 0;

	for (guint g = 0; g < G_N_ELEMENTS(rdd_main_groups); g++) {
		const RddCliCommand *cmds = rdd_main_groups[g];
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

/* a failed command: a fatal log line, as the reference logs it; usage errors add a hint */
static void
rdd_main_print_error(RddCli *cli, const GError *error, const gchar *command, gboolean usage)
{
	g_autofree gchar *line = NULL;
	rdd_cli_progress_done(cli);
	line = rdd_main_format_line(cli, "fatal", error->message);
	fputs(line, stderr);
	if (usage) {
		g_autofree gchar *help = command != NULL ? g_strdup_printf("rdd %s --help", command) :
							   g_strdup("rdd --help");
		/* TRANSLATORS: the argument is a command such as "rdd svc start --help" */
		g_printerr(_("Run \"%s\" for usage.\n"), help);
	}
}

/* prints @error as a usage error of @command and returns the usage exit code */
static int rdd_main_usage_failed(RddCli *cli, const gchar *command, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);
static int
rdd_main_usage_failed(RddCli *cli, const gchar *command, const gchar *format, ...)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *msg = NULL;
	va_list args;

	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	error = g_error_new_literal(RDD_CLI_USAGE_ERROR, 0, msg);
	rdd_main_print_error(cli, error, command, TRUE);
	return RDD_EXIT_USAGE;
}

/* the instance suffix becomes part of directory names: no separators, no control characters */
static gboolean
rdd_main_check_instance(const gchar *name, GError **error)
{
	for (const gchar *p = name; *p != '\0'; p++) {
		if (*p == '/' || (guchar)*p < 0x20 || *p == 0x7f) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    _("invalid instance name \"%s\": it must not contain \"/\" or control characters"),
				    name);
			return FALSE;
		}
	}
	if (g_strcmp0(name, ".") == 0 || g_strcmp0(name, "..") == 0) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("invalid instance name \"%s\""), name);
		return FALSE;
	}
	return TRUE;
}

static int
rdd_main_run(RddCli *cli, int argc, char **argv)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *instance_name = NULL;
	const gchar *env_level = g_getenv("RDD_LOG_LEVEL");
	const gchar *env_instance;
	const RddCliCommand *cmd;
	gint consumed = 0, i = 1;
	gboolean ok;

	cli->argv0 = argv[0];
	cli->log_level = RDD_LOG_LEVEL_WARN;
	rdd_log_install(cli->log_level, STDERR_FILENO);
	if (env_level != NULL && env_level[0] != '\0' && !rdd_main_parse_log_level(cli, env_level, &error)) {
		g_prefix_error(&error, "RDD_LOG_LEVEL: ");
		rdd_main_print_error(cli, error, NULL, FALSE);
		return RDD_EXIT_USAGE;
	}

	/* --instance is only understood as the very first argument; an empty value is ignored and
	 * `--instance -flag` drops the --instance */
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
	env_instance = g_getenv("RDD_INSTANCE");
	if (env_instance != NULL && !rdd_main_check_instance(env_instance, &error)) {
		rdd_main_print_error(cli, error, NULL, FALSE);
		return RDD_EXIT_USAGE;
	}
	/* global flags before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const gchar *arg = argv[i];
		if (g_strcmp0(arg, "--help") == 0 || g_strcmp0(arg, "-h") == 0) {
			rdd_main_usage(stdout, NULL);
			return RDD_EXIT_OK;
		} else if (g_strcmp0(arg, "--version") == 0 || g_str_has_prefix(arg, "--version=")) {
			rdd_main_print_version(arg[9] == '=' ? arg + 10 : NULL, cli->json);
			return RDD_EXIT_OK;
		} else if (g_strcmp0(arg, "--json") == 0) {
			cli->json = TRUE;
		} else if (g_strcmp0(arg, "--log-level") == 0 || g_str_has_prefix(arg, "--log-level=")) {
			const gchar *value = arg[11] == '=' ? arg + 12 : (i + 1 < argc ? argv[++i] : "");
			if (!rdd_main_parse_log_level(cli, value, &error)) {
				rdd_main_print_error(cli, error, NULL, TRUE);
				return RDD_EXIT_USAGE;
			}
		} else if (g_strcmp0(arg, "--log-format") == 0 || g_str_has_prefix(arg, "--log-format=")) {
			const gchar *value = arg[12] == '=' ? arg + 13 : (i + 1 < argc ? argv[++i] : "");
			if (!rdd_main_parse_log_format(cli, value, &error)) {
				rdd_main_print_error(cli, error, NULL, TRUE);
				return RDD_EXIT_USAGE;
			}
		} else if (g_strcmp0(arg, "--instance") == 0 || g_str_has_prefix(arg, "--instance=")) {
			return rdd_main_usage_failed(cli, NULL, "%s", _("--instance must be the first argument"));
		} else {
			return rdd_main_usage_failed(cli, NULL, _("unknown flag: %s"), arg);
		}
	}
	if (i >= argc) {
		rdd_main_usage(stderr, NULL);
		return RDD_EXIT_USAGE;
	}
	for (gint j = i; j < argc; j++)
		g_ptr_array_add(args, g_strdup(argv[j]));
	/* `service` is an alias of `svc` */
	if (g_strcmp0(g_ptr_array_index(args, 0), "service") == 0) {
		g_free(g_ptr_array_index(args, 0));
		args->pdata[0] = g_strdup("svc");
	}
	/* `rdd help`, `rdd help svc`, `rdd help svc start` */
	if (g_strcmp0(g_ptr_array_index(args, 0), "help") == 0) {
		if (args->len == 1) {
			rdd_main_usage(stdout, NULL);
			return RDD_EXIT_OK;
		}
		g_ptr_array_remove_index(args, 0);
		g_ptr_array_add(args, g_strdup("--help"));
	}
	cmd = rdd_main_lookup((gint)args->len, (gchar **)args->pdata, &consumed);
	if (cmd == NULL) {
		const gchar *first = g_ptr_array_index(args, 0);
		if (rdd_main_is_group(first)) {
			const gchar *next = args->len > 1 ? g_ptr_array_index(args, 1) : NULL;
			if (g_strcmp0(next, "--help") == 0 || g_strcmp0(next, "-h") == 0) {
				rdd_main_usage(stdout, first);
				return RDD_EXIT_OK;
			}
			if (next == NULL) {
				rdd_main_usage(stderr, first);
				return RDD_EXIT_USAGE;
			}
			return rdd_main_usage_failed(
				cli, first, _("unknown command \"%s\" for \"rdd %s\""), next, first);
		}
		return rdd_main_usage_failed(cli, NULL, _("unknown command \"%s\" for \"rdd\""), first);
	}
	cli->instance = rdd_instance_new_from_env();
	cli->command = cmd->name;
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
		ok = cmd->func(cli, handler_argc, handler_argv, &error);
		g_strfreev(handler_argv);
	}
	rdd_cli_progress_done(cli);
	if (!ok) {
		RddExit code = cli->exit_code != RDD_EXIT_OK ? cli->exit_code : RDD_EXIT_ERROR;
		if (error != NULL) {
			if (cli->exit_code == RDD_EXIT_OK)
				code = rdd_cli_exit_code(error);
			/* cli->command: a command may narrow it, e.g. `ctl wait-condition` */
			rdd_main_print_error(cli, error, cli->command, code == RDD_EXIT_USAGE);
		}
		return code;
	}
	return cli->exit_code;
}

int
main(int argc, char **argv)
{
	RddCli cli = {0};
	const gchar *localedir = g_getenv("RDD_LOCALEDIR");
	int code;

	if (setlocale(LC_ALL, "") == NULL) {
		/* the locale the environment names is not generated (a Debian system without
		 * `locales` set up): run in C.UTF-8 and still pick the catalogue of its language */
		const gchar *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
		const gchar *lang = NULL;
		const gchar *language = g_getenv("LANGUAGE");
		for (guint i = 0; lang == NULL && i < G_N_ELEMENTS(names); i++) {
			const gchar *value = g_getenv(names[i]);
			if (value != NULL && value[0] != '\0')
				lang = value;
		}
		setlocale(LC_ALL, "C.UTF-8");
		if ((language == NULL || language[0] == '\0') && lang != NULL && g_strcmp0(lang, "C") != 0 &&
		    g_strcmp0(lang, "POSIX") != 0 && !g_str_has_prefix(lang, "C.")) {
			g_autofree gchar *lang_code = g_strndup(lang, strcspn(lang, ".@"));
			g_setenv("LANGUAGE", lang_code, TRUE);
		}
	}
	/* RDD_LOCALEDIR: a catalogue that is not installed yet, e.g. the build tree's po/ */
	bindtextdomain(GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	code = rdd_main_run(&cli, argc, argv);
	g_clear_object(&cli.client);
	g_clear_object(&cli.instance);
	g_free(cli.help_epilogue);
	g_free(cli.progress_phase);
	return code;
}
