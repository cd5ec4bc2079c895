/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd-daemon: the per-user daemon. One process, one GMainLoop.
 */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdd-daemon.h"

typedef struct {
	GMainLoop *loop;
	RddDaemon *daemon;
	guint signals_seen;
	guint signal_ids[2];
	gint exit_status;
} RddMain;

/* how long a graceful shutdown may take before the process exits anyway */
#define RDD_MAIN_SHUTDOWN_DEADLINE_S 10

/* async-signal-safe: write(2) and _exit(2) only */
static void
rdd_daemon_main_exit_now(int signum)
{
	static const char second[] = "rdd-daemon: second signal received; exiting immediately\n";
	static const char deadline[] = "rdd-daemon: shutdown did not finish within " G_STRINGIFY(
	    RDD_MAIN_SHUTDOWN_DEADLINE_S) " s; exiting\n";
	const char *msg = signum == SIGALRM ? deadline : second;
	size_t len = signum == SIGALRM ? sizeof(deadline) - 1 : sizeof(second) - 1;
	ssize_t written = write(STDERR_FILENO, msg, len);

	(void)written; /* nothing to do about a failed write on the way out */
	_exit(1);
}

/*
 * Once the main loop has returned, nothing dispatches GLib sources any more, and a shutdown
 * step may block: a second SIGINT/SIGTERM and the shutdown deadline are then handled by plain
 * signal handlers, which end the process even while rdd_daemon_stop() is stuck.
 */
static void
rdd_daemon_main_arm_shutdown(RddMain *main)
{
	struct sigaction action = {0};

	/* removing the GLib sources restores the default handlers, replaced right below */
	for (guint i = 0; i < G_N_ELEMENTS(main->signal_ids); i++)
		g_clear_handle_id(&main->signal_ids[i], g_source_remove);
	action.sa_handler = rdd_daemon_main_exit_now;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGALRM, &action, NULL);
	alarm(RDD_MAIN_SHUTDOWN_DEADLINE_S);
}

static gboolean
rdd_daemon_main_signal_cb(gpointer user_data)
{
	RddMain *main = user_data;

	main->signals_seen++;
	if (main->signals_seen > 1) {
		/* a second signal before the loop returned: the user wants out now */
		g_warning("second signal received; exiting immediately");
		_exit(1);
	}
	g_info("signal received; shutting down");
	g_main_loop_quit(main->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
rdd_daemon_main_timed_exit_cb(gpointer user_data)
{
	RddMain *main = user_data;
	g_info("--timed-exit reached");
	g_main_loop_quit(main->loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	g_autofree gchar *instance_name = NULL;
	g_autofree gchar *controllers = NULL;
	g_auto(GStrv) plugin_dirs = NULL;
	g_autofree gchar *state_dir = NULL;
	g_autofree gchar *log_level = NULL;
	gboolean immediate_exit = FALSE;
	gboolean no_persist = FALSE;
	gboolean version = FALSE;
	gint timed_exit = 0;
	gint secure_port = 0;
	gint history_size = -1;
	gint64 watch_queue_limit = 0;
	gboolean no_api = FALSE;
	gboolean no_dbus = FALSE;
	const GOptionEntry entries[] = {
	    {"instance", 0, 0, G_OPTION_ARG_STRING, &instance_name, "Instance to serve (default: RDD_INSTANCE or 2)", "NAME"},
	    {"controllers", 0, 0, G_OPTION_ARG_STRING, &controllers, "Controllers to run: '*', group or controller names, '-name' excludes", "SPEC"},
	    {"plugin-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &plugin_dirs, "Load plugins only from this directory (repeatable)", "DIR"},
	    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Use this instance directory instead of the default", "DIR"},
	    {"immediate-exit", 0, 0, G_OPTION_ARG_NONE, &immediate_exit, "Load, reconcile until idle, then exit (smoke mode)", NULL},
	    {"timed-exit", 0, 0, G_OPTION_ARG_INT, &timed_exit, "Exit after this many seconds", "SECONDS"},
	    {"no-persist", 0, 0, G_OPTION_ARG_NONE, &no_persist, "Keep every object in memory only", NULL},
	    {"secure-port", 0, 0, G_OPTION_ARG_INT, &secure_port, "HTTPS port on 127.0.0.1 (default 6443 + instance index; a free port when taken)", "PORT"},
	    {"no-api", 0, 0, G_OPTION_ARG_NONE, &no_api, "Do not serve the HTTP API", NULL},
	    {"no-dbus", 0, 0, G_OPTION_ARG_NONE, &no_dbus, "Do not serve io.rancherdesktop.Rdd1 on the session bus", NULL},
	    {"history-size", 0, 0, G_OPTION_ARG_INT, &history_size, "How many events watchers can resume from (default 10000)", "N"},
	    {"watch-queue-limit", 0, 0, G_OPTION_ARG_INT64, &watch_queue_limit, "Bytes one watch client may fall behind before its watch ends (default 4 MiB)", "BYTES"},
	    {"log-level", 0, 0, G_OPTION_ARG_STRING, &log_level, "trace, debug, info, warn, error or fatal (default: RDD_LOG_LEVEL or warn)", "LEVEL"},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL},
	    {NULL}};
	g_autoptr(GOptionContext) context = g_option_context_new("- the rdd per-user daemon");
	g_autoptr(GError) error = NULL;
	g_autoptr(RddInstance) instance = NULL;
	g_autoptr(RddDaemon) daemon = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	RddLogLevel level = RDD_LOG_LEVEL_WARN;
	RddMain main_data = {0};

	setlocale(LC_ALL, "");
	umask(077); /* the database and keys hold secrets */
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("rdd-daemon: %s\n", error->message);
		return 2;
	}
	if (argc > 1) {
		g_printerr("rdd-daemon: unexpected argument \"%s\" (see --help)\n", argv[1]);
		return 2;
	}
	if (version) {
		g_print("rdd-daemon %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (log_level == NULL && g_getenv("RDD_LOG_LEVEL") != NULL)
		log_level = g_strdup(g_getenv("RDD_LOG_LEVEL"));
	if (log_level != NULL && !rdd_log_level_from_string(log_level, &level, &error)) {
		g_printerr("rdd-daemon: %s\n", error->message);
		return 2;
	}
	rdd_log_install(level, 2);

	instance = instance_name != NULL ? rdd_instance_new(instance_name) : rdd_instance_new_from_env();
	if (state_dir != NULL)
		rdd_instance_set_dir(instance, state_dir);
	daemon = rdd_daemon_new(instance);
	if (controllers != NULL)
		rdd_daemon_set_controllers(daemon, controllers);
	for (guint i = 0; plugin_dirs != NULL && plugin_dirs[i] != NULL; i++)
		rdd_daemon_add_plugin_dir(daemon, plugin_dirs[i]);
	rdd_daemon_set_persistent(daemon, !no_persist);
	if (secure_port < 0 || secure_port > 65535) {
		g_printerr("rdd-daemon: --secure-port must be from 0 to 65535, not %d\n", secure_port);
		return 2;
	}
	rdd_daemon_set_secure_port(daemon, (guint)secure_port);
	rdd_daemon_set_serve_api(daemon, !no_api);
	rdd_daemon_set_serve_dbus(daemon, !no_dbus);
	if (history_size >= 0)
		rdd_store_set_history_size(rdd_daemon_get_store(daemon), (guint)history_size);
	if (watch_queue_limit < 0) {
		g_printerr("rdd-daemon: --watch-queue-limit must not be negative\n");
		return 2;
	}
	if (!immediate_exit) {
		/* handle SIGINT and SIGTERM before the pid file says the daemon is up; a signal
		 * that arrives while starting ends the daemon cleanly once the loop runs */
		loop = g_main_loop_new(NULL, FALSE);
		main_data.loop = loop;
		main_data.daemon = daemon;
		main_data.signal_ids[0] =
		    g_unix_signal_add(SIGINT, rdd_daemon_main_signal_cb, &main_data);
		main_data.signal_ids[1] =
		    g_unix_signal_add(SIGTERM, rdd_daemon_main_signal_cb, &main_data);
	}
	if (!rdd_daemon_start(daemon, &error)) {
		/* not a critical: a busy instance or an unwritable directory is no programming error */
		g_printerr("rdd-daemon: cannot start: %s\n", error->message);
		rdd_daemon_stop(daemon);
		return 1;
	}
	if (watch_queue_limit > 0 && rdd_daemon_get_api_server(daemon) != NULL)
		rdd_api_server_set_watch_queue_limit(rdd_daemon_get_api_server(daemon), (gsize)watch_queue_limit);
	g_info("serving instance %s from %s", rdd_instance_get_name(instance), rdd_instance_get_dir(instance));

	if (immediate_exit) {
		gboolean idle = rdd_daemon_settle(daemon, 30000);
		rdd_daemon_stop(daemon);
		if (!idle) {
			g_warning("controllers did not settle within 30 s");
			return 1;
		}
		return 0;
	}

	if (timed_exit > 0)
		g_timeout_add_seconds(timed_exit, rdd_daemon_main_timed_exit_cb, &main_data);
	g_main_loop_run(loop);
	rdd_daemon_main_arm_shutdown(&main_data);
	rdd_daemon_stop(daemon);
	return main_data.exit_status;
}
