/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * What the rdd command-line tool's parts share: the command registry, exit codes, and the
 * context every command gets.
 */

#pragma once

#include <glib/gi18n.h>

#include "rdd-client.h"
#include "rdd-core.h"

G_BEGIN_DECLS

/**
 * RddExit:
 * @RDD_EXIT_OK: success
 * @RDD_EXIT_ERROR: any other failure
 * @RDD_EXIT_USAGE: the command line was wrong (unknown command or flag, bad value)
 * @RDD_EXIT_REJECTED: the daemon's admission refused the write (Invalid, BadRequest, Forbidden)
 * @RDD_EXIT_TIMEOUT: a wait ran past its deadline
 *
 * The process exit codes, derived from the error codes (see rdd_cli_exit_code()).
 */
typedef enum {
	RDD_EXIT_OK = 0,
	RDD_EXIT_ERROR = 1,
	RDD_EXIT_USAGE = 2,
	RDD_EXIT_REJECTED = 3,
	RDD_EXIT_TIMEOUT = 4,
} RddExit;

typedef struct _RddCli RddCli;

/**
 * RddCliFunc:
 * @cli: the context
 * @argc: arguments after the command name
 * @argv: (array length=argc): the arguments
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*RddCliFunc)(RddCli *cli, gint argc, gchar **argv, GError **error);

/**
 * RddCliCommand:
 * @name: the command, e.g. `svc start`
 * @args: a short summary of its arguments
 * @description: one line, translatable (marked with N_())
 * @func: the handler
 * @hidden: not listed in `rdd --help`
 *
 * One entry of the command registry.
 */
typedef struct {
	const gchar *name;
	const gchar *args;
	const gchar *description;
	RddCliFunc func;
	gboolean hidden;
} RddCliCommand;

struct _RddCli {
	RddInstance *instance;
	RddLogLevel log_level;
	gboolean log_level_forced;
	gboolean log_json; /* --log-format json: log lines are JSON objects, as logrus writes them */
	gboolean json;
	RddClient *client;
	gint daemon_pid; /* the daemon rdd_cli_ensure_client() found or started; 0: not known */
	const gchar *argv0;
	const gchar *command; /* the full command name being run, for messages */
	RddExit exit_code;    /* set by commands that need a code other than the error's */
	gchar *help_epilogue; /* printed after the options by --help, e.g. the properties of set */
	gchar *progress_phase; /* the phase last reported by rdd_cli_progress() */
	gboolean progress_drawn; /* a progress line is on the terminal */
};

/* errors of the command line itself, as opposed to the daemon's */
#define RDD_CLI_USAGE_ERROR rdd_cli_usage_error_quark()
GQuark
rdd_cli_usage_error_quark(void);

void
rdd_cli_info(RddCli *cli, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
void
rdd_cli_warn(RddCli *cli, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
RddExit
rdd_cli_exit_code(const GError *error);
gboolean
rdd_cli_parse_options(RddCli *cli,
		      const gchar *parameter_string,
		      const GOptionEntry *entries,
		      gint *argc,
		      gchar ***argv,
		      GError **error);
gboolean
rdd_cli_parse_duration(const gchar *flag, const gchar *text, gint64 *usec, GError **error);
gboolean
rdd_cli_parse_bool(const gchar *flag, const gchar *text, gboolean *value, GError **error);
gboolean
rdd_cli_ensure_client(RddCli *cli, gboolean autostart, GError **error);
gboolean
rdd_cli_is_tty(void);
void
rdd_cli_progress(RddCli *cli, const gchar *phase, gint64 elapsed_usec);
void
rdd_cli_progress_done(RddCli *cli);
guint
rdd_cli_terminal_width(void);

/* the command groups, each in its own file */
extern const RddCliCommand rdd_cmd_svc_commands[];
extern const RddCliCommand rdd_cmd_get_commands[];
extern const RddCliCommand rdd_cmd_ctl_commands[];
extern const RddCliCommand rdd_cmd_plugins_commands[];
extern const RddCliCommand rdd_cmd_set_commands[];

G_END_DECLS
