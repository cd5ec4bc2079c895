/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The rdd-daemon process: pid file and instance lock, signals and shutdown, the smoke mode
 * with the demo plugin, and option errors. Every daemon runs with HOME and the XDG
 * directories in a temporary directory.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdd-core.h"

typedef struct {
	gchar *root;	  /* everything of the test lives here */
	gchar *data_dir;  /* XDG_DATA_HOME */
	gchar **envp;	  /* the daemons' environment */
	GPtrArray *procs; /* GSubprocess still to reap */
	guint spawned;
} RddDaemonTest;

static const gchar *
rdd_daemon_test_daemon_path(void)
{
	const gchar *path = g_getenv("RDD_DAEMON");
	return path != NULL ? path : RDD_BUILD_ROOT "/daemon/rdd-daemon";
}

static void
rdd_daemon_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			rdd_daemon_test_rm_rf(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
rdd_daemon_test_setup(RddDaemonTest *self, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *home = NULL;

	self->root = g_dir_make_tmp("rdd-daemon-test-XXXXXX", &error);
	g_assert_no_error(error);
	home = g_build_filename(self->root, "home", NULL);
	self->data_dir = g_build_filename(home, ".local", "share", NULL);
	g_assert_cmpint(g_mkdir_with_parents(home, 0700), ==, 0);
	self->envp = g_get_environ();
	self->envp = g_environ_setenv(self->envp, "HOME", home, TRUE);
	self->envp = g_environ_setenv(self->envp, "XDG_DATA_HOME", self->data_dir, TRUE);
	{
		g_autofree gchar *state = g_build_filename(home, ".local", "state", NULL);
		g_autofree gchar *config = g_build_filename(home, ".config", NULL);
		g_autofree gchar *cache = g_build_filename(home, ".cache", NULL);
		self->envp = g_environ_setenv(self->envp, "XDG_STATE_HOME", state, TRUE);
		self->envp = g_environ_setenv(self->envp, "XDG_CONFIG_HOME", config, TRUE);
		self->envp = g_environ_setenv(self->envp, "XDG_CACHE_HOME", cache, TRUE);
	}
	self->envp = g_environ_unsetenv(self->envp, "RDD_INSTANCE");
	self->envp = g_environ_unsetenv(self->envp, "RDD_PLUGIN_PATH");
	self->envp = g_environ_unsetenv(self->envp, "RDD_LOG_DIR");
	self->envp = g_environ_unsetenv(self->envp, "RDD_LOG_LEVEL");
	self->envp = g_environ_unsetenv(self->envp, "RDD_DEMO_INTERVAL");
	self->procs = g_ptr_array_new_with_free_func(g_object_unref);
}

static void
rdd_daemon_test_teardown(RddDaemonTest *self, gconstpointer data)
{
	/* a failed test leaves no daemon behind */
	for (guint i = 0; i < self->procs->len; i++) {
		GSubprocess *proc = g_ptr_array_index(self->procs, i);
		if (g_subprocess_get_identifier(proc) != NULL) {
			g_subprocess_force_exit(proc);
			g_subprocess_wait(proc, NULL, NULL);
		}
	}
	g_ptr_array_unref(self->procs);
	rdd_daemon_test_rm_rf(self->root);
	g_free(self->root);
	g_free(self->data_dir);
	g_strfreev(self->envp);
}

/* an empty plugin directory, so that no installed plugin is loaded */
static gchar *
rdd_daemon_test_no_plugins(RddDaemonTest *self)
{
	gchar *dir = g_build_filename(self->root, "no-plugins", NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	return dir;
}

/* starts rdd-daemon with @args (NULL-terminated); stderr goes to *log_path */
static GSubprocess *
rdd_daemon_test_spawn(RddDaemonTest *self, const gchar *const *args, gchar **log_path)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_null_terminated(8, NULL, TRUE);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *name = g_strdup_printf("daemon-%u.log", self->spawned++);
	gchar *path = g_build_filename(self->root, name, NULL);
	GSubprocess *proc;

	g_ptr_array_add(argv, (gpointer)rdd_daemon_test_daemon_path());
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_subprocess_launcher_set_environ(launcher, self->envp);
	g_subprocess_launcher_set_stderr_file_path(launcher, path);
	proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	g_assert_no_error(error);
	g_assert_nonnull(proc);
	g_ptr_array_add(self->procs, g_object_ref(proc));
	if (log_path != NULL)
		*log_path = path;
	else
		g_free(path);
	return proc;
}

/* waits for @proc to end; FALSE when it still runs after @timeout_ms */
static gboolean
rdd_daemon_test_wait_exit(GSubprocess *proc, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	/* GSubprocess reaps its child in GLib's worker thread */
	while (g_subprocess_get_identifier(proc) != NULL) {
		if (g_get_monotonic_time() > deadline)
			return FALSE;
		g_usleep(5000);
	}
	g_assert_true(g_subprocess_wait(proc, NULL, NULL));
	return TRUE;
}

static gchar *
rdd_daemon_test_read(const gchar *path)
{
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	return g_steal_pointer(&text);
}

static gchar *
rdd_daemon_test_pid_file(RddDaemonTest *self, const gchar *suffix)
{
	g_autofree gchar *instance = g_strdup_printf("rancher-desktop-%s", suffix);
	return g_build_filename(self->data_dir, instance, "rdd.pid", NULL);
}

/* waits until @path holds the pid of @proc: the daemon is up and owns the instance */
static void
rdd_daemon_test_wait_pid_file(GSubprocess *proc, const gchar *path, const gchar *log_path)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	const gchar *pid = g_subprocess_get_identifier(proc);

	g_assert_nonnull(pid);
	while (g_get_monotonic_time() < deadline) {
		g_autofree gchar *text = rdd_daemon_test_read(path);
		if (g_strcmp0(text, pid) == 0)
			return;
		if (g_subprocess_get_identifier(proc) == NULL)
			break;
		g_usleep(10000);
	}
	{
		g_autofree gchar *log = rdd_daemon_test_read(log_path);
		g_error("rdd-daemon (pid %s) did not write %s; its log:\n%s", pid, path, log);
	}
}

static GSubprocess *
rdd_daemon_test_start(RddDaemonTest *self, const gchar *suffix, gchar **log_path)
{
	g_autofree gchar *plugins = rdd_daemon_test_no_plugins(self);
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, suffix);
	const gchar *args[] = {"--instance", suffix, "--plugin-dir", plugins, NULL};
	g_autofree gchar *log = NULL;
	GSubprocess *proc = rdd_daemon_test_spawn(self, args, &log);

	rdd_daemon_test_wait_pid_file(proc, pid_file, log);
	if (log_path != NULL)
		*log_path = g_steal_pointer(&log);
	return proc;
}

static void
rdd_daemon_test_assert_exit(GSubprocess *proc, gint status, const gchar *log_path)
{
	if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != status) {
		g_autofree gchar *log = rdd_daemon_test_read(log_path);
		if (g_subprocess_get_if_signaled(proc))
			g_error("rdd-daemon was killed by signal %d, expected exit status %d; log:\n%s",
				g_subprocess_get_term_sig(proc), status, log);
		g_error("rdd-daemon exited with status %d, expected %d; log:\n%s",
			g_subprocess_get_exit_status(proc), status, log);
	}
}

static void
rdd_daemon_test_pid_file_case(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, "31");
	g_autoptr(GSubprocess) proc = rdd_daemon_test_start(self, "31", &log);
	g_autofree gchar *text = rdd_daemon_test_read(pid_file);
	GStatBuf st;

	/* the pid, alone: no newline */
	g_assert_cmpstr(text, ==, g_subprocess_get_identifier(proc));
	g_assert_null(strchr(text, '\n'));
	g_assert_cmpint(g_stat(pid_file, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);

	/* SIGTERM: a clean exit, the pid file gone */
	g_subprocess_send_signal(proc, SIGTERM);
	g_assert_true(rdd_daemon_test_wait_exit(proc, 10000));
	rdd_daemon_test_assert_exit(proc, 0, log);
	g_assert_false(g_file_test(pid_file, G_FILE_TEST_EXISTS));
}

static void
rdd_daemon_test_sigint(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, "32");
	g_autoptr(GSubprocess) proc = rdd_daemon_test_start(self, "32", &log);

	g_subprocess_send_signal(proc, SIGINT);
	g_assert_true(rdd_daemon_test_wait_exit(proc, 10000));
	rdd_daemon_test_assert_exit(proc, 0, log);
	g_assert_false(g_file_test(pid_file, G_FILE_TEST_EXISTS));
}

static void
rdd_daemon_test_second_daemon(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *log2 = NULL;
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, "33");
	g_autoptr(GSubprocess) first = rdd_daemon_test_start(self, "33", &log);
	g_autofree gchar *plugins = rdd_daemon_test_no_plugins(self);
	const gchar *args[] = {"--instance", "33", "--plugin-dir", plugins, NULL};
	g_autoptr(GSubprocess) second = rdd_daemon_test_spawn(self, args, &log2);
	g_autofree gchar *text = NULL;
	g_autofree gchar *message = NULL;

	/* the second one refuses, naming the instance and the running daemon */
	g_assert_true(rdd_daemon_test_wait_exit(second, 20000));
	rdd_daemon_test_assert_exit(second, 1, log2);
	text = rdd_daemon_test_read(log2);
	message = g_strdup_printf("control plane \"rancher-desktop-33\" is already running (pid %s)",
				  g_subprocess_get_identifier(first));
	if (strstr(text, message) == NULL)
		g_error("the second daemon's log lacks '%s':\n%s", message, text);

	/* and leaves the first one and its pid file alone */
	g_assert_nonnull(g_subprocess_get_identifier(first));
	g_clear_pointer(&text, g_free);
	text = rdd_daemon_test_read(pid_file);
	g_assert_cmpstr(text, ==, g_subprocess_get_identifier(first));
	g_subprocess_send_signal(first, SIGTERM);
	g_assert_true(rdd_daemon_test_wait_exit(first, 10000));
	rdd_daemon_test_assert_exit(first, 0, log);
}

static void
rdd_daemon_test_side_by_side(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log_a = NULL;
	g_autofree gchar *log_b = NULL;
	g_autofree gchar *pid_a = rdd_daemon_test_pid_file(self, "34");
	g_autofree gchar *pid_b = rdd_daemon_test_pid_file(self, "35");
	g_autoptr(GSubprocess) a = rdd_daemon_test_start(self, "34", &log_a);
	g_autoptr(GSubprocess) b = rdd_daemon_test_start(self, "35", &log_b);

	/* two instances run at once, each with its own pid file */
	g_assert_nonnull(g_subprocess_get_identifier(a));
	g_assert_nonnull(g_subprocess_get_identifier(b));
	g_assert_cmpstr(g_subprocess_get_identifier(a), !=, g_subprocess_get_identifier(b));
	g_subprocess_send_signal(a, SIGTERM);
	g_subprocess_send_signal(b, SIGTERM);
	g_assert_true(rdd_daemon_test_wait_exit(a, 10000));
	g_assert_true(rdd_daemon_test_wait_exit(b, 10000));
	rdd_daemon_test_assert_exit(a, 0, log_a);
	rdd_daemon_test_assert_exit(b, 0, log_b);
	g_assert_false(g_file_test(pid_a, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(pid_b, G_FILE_TEST_EXISTS));
}

static void
rdd_daemon_test_stale_pid_file(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *log2 = NULL;
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, "36");
	g_autoptr(GSubprocess) killed = rdd_daemon_test_start(self, "36", &log);
	g_autoptr(GSubprocess) next = NULL;
	g_autofree gchar *stale = NULL;

	/* a daemon that dies without cleaning up leaves its pid file */
	g_subprocess_force_exit(killed);
	g_assert_true(rdd_daemon_test_wait_exit(killed, 10000));
	g_assert_true(g_subprocess_get_if_signaled(killed));
	stale = rdd_daemon_test_read(pid_file);
	g_assert_cmpstr(stale, !=, "");

	/* which does not keep the next one from starting */
	next = rdd_daemon_test_start(self, "36", &log2);
	g_assert_cmpstr(g_subprocess_get_identifier(next), !=, stale);
	g_subprocess_send_signal(next, SIGTERM);
	g_assert_true(rdd_daemon_test_wait_exit(next, 10000));
	rdd_daemon_test_assert_exit(next, 0, log2);
	g_assert_false(g_file_test(pid_file, G_FILE_TEST_EXISTS));
}

/* a daemon whose shutdown blocks: the ok fixture's unregister sleeps */
static GSubprocess *
rdd_daemon_test_start_slow_shutdown(RddDaemonTest *self, const gchar *suffix, const gchar *marker, gchar **log_path)
{
	const gchar *fixtures = g_getenv("RDD_FIXTURE_DIR");
	g_autofree gchar *src = NULL;
	g_autofree gchar *dir = g_build_filename(self->root, "slow-plugins", NULL);
	g_autofree gchar *dest = g_build_filename(dir, "libok.so", NULL);
	g_autofree gchar *bytes = NULL;
	g_autofree gchar *pid_file = rdd_daemon_test_pid_file(self, suffix);
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"--instance", suffix, "--plugin-dir", dir, "--log-level",
			       "info",	     NULL};
	GSubprocess *proc;
	gsize len = 0;

	src = g_build_filename(fixtures != NULL ? fixtures : RDD_BUILD_ROOT "/tests/plugins", "libok.so", NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_get_contents(src, &bytes, &len, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(dest, bytes, len, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(dest, 0644), ==, 0);
	self->envp = g_environ_setenv(self->envp, "RDD_FIXTURE_UNREGISTER_MARKER", marker, TRUE);
	self->envp = g_environ_setenv(self->envp, "RDD_FIXTURE_UNREGISTER_DELAY_MS", "60000", TRUE);
	proc = rdd_daemon_test_spawn(self, args, log_path);
	rdd_daemon_test_wait_pid_file(proc, pid_file, *log_path);
	return proc;
}

static gboolean
rdd_daemon_test_wait_file(const gchar *path, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		if (g_get_monotonic_time() > deadline)
			return FALSE;
		g_usleep(5000);
	}
	return TRUE;
}

static void
rdd_daemon_test_second_signal(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *marker = g_build_filename(self->root, "unregistering", NULL);
	g_autoptr(GSubprocess) proc = rdd_daemon_test_start_slow_shutdown(self, "37", marker, &log);
	g_autofree gchar *text = NULL;
	gint64 sent;

	/* the first SIGINT starts a shutdown that blocks in the plugin's unregister */
	g_subprocess_send_signal(proc, SIGINT);
	g_assert_true(rdd_daemon_test_wait_file(marker, 10000));
	g_usleep(100000);
	g_assert_nonnull(g_subprocess_get_identifier(proc));

	/* the second one ends the process at once */
	sent = g_get_monotonic_time();
	g_subprocess_send_signal(proc, SIGINT);
	g_assert_true(rdd_daemon_test_wait_exit(proc, 5000));
	g_assert_cmpint(g_get_monotonic_time() - sent, <, 5 * G_USEC_PER_SEC);
	rdd_daemon_test_assert_exit(proc, 1, log);
	text = rdd_daemon_test_read(log);
	g_assert_nonnull(strstr(text, "second signal received; exiting immediately"));
}

static void
rdd_daemon_test_shutdown_deadline(RddDaemonTest *self, gconstpointer data)
{
	g_autofree gchar *log = NULL;
	g_autofree gchar *marker = g_build_filename(self->root, "unregistering", NULL);
	g_autoptr(GSubprocess) proc = rdd_daemon_test_start_slow_shutdown(self, "38", marker, &log);
	g_autofree gchar *text = NULL;
	gint64 sent, took;

	/* a shutdown that blocks is cut off after 10 s */
	sent = g_get_monotonic_time();
	g_subprocess_send_signal(proc, SIGTERM);
	g_assert_true(rdd_daemon_test_wait_file(marker, 10000));
	g_assert_true(rdd_daemon_test_wait_exit(proc, 30000));
	took = g_get_monotonic_time() - sent;
	g_test_message("the blocked shutdown ended after %" G_GINT64_FORMAT " ms", took / 1000);
	g_assert_cmpint(took, >=, 9 * G_USEC_PER_SEC);
	g_assert_cmpint(took, <, 25 * G_USEC_PER_SEC);
	rdd_daemon_test_assert_exit(proc, 1, log);
	text = rdd_daemon_test_read(log);
	g_assert_nonnull(strstr(text, "shutdown did not finish within 10 s"));
}

static RddStore *
rdd_daemon_test_demo_store(const gchar *db, RddKind **demo_kind)
{
	g_autofree gchar *crd_path =
		g_build_filename(RDD_SOURCE_ROOT, "schemas", "app.rancherdesktop.io", "demo.yaml", NULL);
	g_autofree gchar *crd = NULL;
	g_autoptr(GPtrArray) kinds = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RddStore) store = rdd_store_new();

	g_assert_true(g_file_get_contents(crd_path, &crd, NULL, &error));
	g_assert_no_error(error);
	kinds = rdd_kind_new_from_yaml(crd, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(kinds->len, ==, 1);
	g_assert_true(rdd_store_register_builtin_kinds(store, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_store_open(store, db, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_store_register_kind(store, g_ptr_array_index(kinds, 0), &error));
	g_assert_no_error(error);
	*demo_kind = g_ptr_array_index(kinds, 0);
	return g_steal_pointer(&store);
}

static void
rdd_daemon_test_immediate_exit_demo(RddDaemonTest *self, gconstpointer data)
{
	g_autoptr(RddInstance) instance = rdd_instance_new("39");
	g_autofree gchar *state = g_build_filename(self->root, "state", NULL);
	g_autofree gchar *db = NULL;
	g_autofree gchar *db_dir = NULL;
	g_autofree gchar *log = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	const gchar *demo_dir = g_getenv("RDD_DEMO_PLUGIN_DIR");
	const gchar *args[] = {"--instance",
			       "39",
			       "--immediate-exit",
			       "--state-dir",
			       state,
			       "--plugin-dir",
			       demo_dir != NULL ? demo_dir : RDD_BUILD_ROOT "/plugins/demo",
			       "--log-level",
			       "info",
			       NULL};

	/* a Demo written into the instance database before the daemon starts */
	rdd_instance_set_dir(instance, state);
	db = rdd_instance_dup_database_path(instance);
	db_dir = g_path_get_dirname(db);
	g_assert_cmpint(g_mkdir_with_parents(db_dir, 0700), ==, 0);
	{
		RddKind *kind = NULL;
		g_autoptr(RddStore) store = rdd_daemon_test_demo_store(db, &kind);
		g_autoptr(JsonNode) node = rdd_json_parse(
			"{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"Demo\","
			"\"metadata\":{\"name\":\"demo\"},\"spec\":{\"message\":\"hi\",\"count\":3}}",
			-1, &error);
		g_autoptr(RddObject) obj = NULL;
		g_assert_no_error(error);
		obj = rdd_store_create(store, node, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(obj);
		g_assert_true(rdd_store_flush(store, &error));
		g_assert_no_error(error);
		rdd_store_close(store);
	}

	/* the daemon loads it, reconciles until idle and exits */
	self->envp = g_environ_setenv(self->envp, "RDD_DEMO_INTERVAL", "10ms", TRUE);
	proc = rdd_daemon_test_spawn(self, args, &log);
	g_assert_true(rdd_daemon_test_wait_exit(proc, 60000));
	rdd_daemon_test_assert_exit(proc, 0, log);

	/* the database holds the finished Demo */
	{
		RddKind *kind = NULL;
		g_autoptr(RddStore) store = rdd_daemon_test_demo_store(db, &kind);
		g_autoptr(RddObject) obj = rdd_store_lookup(store, kind, NULL, "demo");
		g_autoptr(JsonNode) status = NULL;
		JsonObject *status_obj;

		g_assert_nonnull(obj);
		status = rdd_object_dup_member(obj, "status");
		g_assert_nonnull(status);
		status_obj = json_node_get_object(status);
		g_assert_cmpint(json_object_get_int_member(status_obj, "processedCount"), ==, 3);
		g_assert_true(rdd_conditions_is_true(status_obj, "Completed"));
		g_assert_cmpstr(rdd_conditions_get_reason(status_obj, "Completed"), ==, "Completed");
		g_assert_true(rdd_conditions_is_true(status_obj, "Ready"));
		g_assert_cmpstr(rdd_conditions_get_status(status_obj, "Processing"), ==, "False");
		g_assert_cmpint(rdd_conditions_get_observed_generation(status_obj, "Completed"), ==,
				rdd_object_get_generation(obj));
		rdd_store_close(store);
	}
	/* and left no pid file behind */
	{
		g_autofree gchar *pid_file = g_build_filename(state, "rdd.pid", NULL);
		g_assert_false(g_file_test(pid_file, G_FILE_TEST_EXISTS));
	}
}

static void
rdd_daemon_test_bad_options(RddDaemonTest *self, gconstpointer data)
{
	struct {
		const gchar *args[4];
		const gchar *message;
	} cases[] = {
		{{"--no-such-option", NULL}, "rdd-daemon: Unknown option --no-such-option"},
		{{"--log-level", "loud", NULL}, "rdd-daemon: not a valid log level: \"loud\""},
		{{"--timed-exit", "soon", NULL}, "rdd-daemon: Cannot parse integer value"},
		{{"--secure-port", "70000", NULL}, "rdd-daemon: --secure-port must be from 0 to 65535, not 70000"},
		{{"stray", NULL}, "rdd-daemon: unexpected argument \"stray\""},
		{{"--instance", NULL}, "rdd-daemon: Missing argument for --instance"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *log = NULL;
		g_autofree gchar *text = NULL;
		g_autoptr(GSubprocess) proc = rdd_daemon_test_spawn(self, cases[i].args, &log);

		g_assert_true(rdd_daemon_test_wait_exit(proc, 10000));
		rdd_daemon_test_assert_exit(proc, 2, log);
		text = rdd_daemon_test_read(log);
		if (strstr(text, cases[i].message) == NULL)
			g_error("'%s': the message lacks '%s':\n%s", cases[i].args[0], cases[i].message, text);
		/* refused before touching the instance */
		g_assert_false(g_file_test(self->data_dir, G_FILE_TEST_EXISTS));
	}
}

static void
rdd_daemon_test_version(RddDaemonTest *self, gconstpointer data)
{
	const gchar *args[] = {"--version", NULL};
	g_autofree gchar *log = NULL;
	g_autoptr(GSubprocess) proc = rdd_daemon_test_spawn(self, args, &log);

	g_assert_true(rdd_daemon_test_wait_exit(proc, 10000));
	rdd_daemon_test_assert_exit(proc, 0, log);
}

static void
rdd_daemon_test_add(const gchar *path, void (*func)(RddDaemonTest *self, gconstpointer data))
{
	g_test_add(path, RddDaemonTest, NULL, rdd_daemon_test_setup, func, rdd_daemon_test_teardown);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	rdd_daemon_test_add("/rdd/daemon/pid-file", rdd_daemon_test_pid_file_case);
	rdd_daemon_test_add("/rdd/daemon/sigint", rdd_daemon_test_sigint);
	rdd_daemon_test_add("/rdd/daemon/second-daemon", rdd_daemon_test_second_daemon);
	rdd_daemon_test_add("/rdd/daemon/side-by-side", rdd_daemon_test_side_by_side);
	rdd_daemon_test_add("/rdd/daemon/stale-pid-file", rdd_daemon_test_stale_pid_file);
	rdd_daemon_test_add("/rdd/daemon/second-signal", rdd_daemon_test_second_signal);
	rdd_daemon_test_add("/rdd/daemon/shutdown-deadline", rdd_daemon_test_shutdown_deadline);
	rdd_daemon_test_add("/rdd/daemon/immediate-exit-demo", rdd_daemon_test_immediate_exit_demo);
	rdd_daemon_test_add("/rdd/daemon/bad-options", rdd_daemon_test_bad_options);
	rdd_daemon_test_add("/rdd/daemon/version", rdd_daemon_test_version);
	return g_test_run();
}
