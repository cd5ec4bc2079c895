/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The service lifecycle: create (args.json), start (spawn rdd-daemon detached with rotated
 * logs), readiness, stop (SIGTERM, then SIGKILL at the deadline), delete. Whether a daemon runs
 * is decided by the lock it holds on its pid file, so a pid file left by a crashed daemon is
 * recognised as stale, cleaned, and never trusted.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rdd-client.h"
#include "rdd-service.h"

/* how many numbered log backups are kept besides the active log */
#define RDD_SERVICE_LOG_BACKUPS 5

/**
 * rdd_service_is_created:
 * @instance: the instance
 *
 * Returns: %TRUE when `args.json` exists
 */
gboolean
rdd_service_is_created(RddInstance *instance)
{
	return g_file_test(rdd_instance_get_args_file(instance), G_FILE_TEST_EXISTS);
}

/* a pid file this young and still empty belongs to a daemon that is starting */
#define RDD_SERVICE_STARTING_USEC (10 * G_USEC_PER_SEC)

static void
rdd_service_remove_stale(RddInstance *instance, const gchar *path)
{
	g_autofree gchar *sock = rdd_instance_dup_api_socket_path(instance);
	g_debug("removing stale pid file %s", path);
	g_unlink(path);
	g_unlink(sock);
}

/**
 * rdd_service_is_running:
 * @instance: the instance
 * @pid: (out) (optional): the daemon's pid, 0 when not running (or not known yet)
 *
 * A daemon runs while it holds the lock on its pid file. A pid file nobody holds is stale: it
 * and the socket beside it are removed. A young, still empty pid file belongs to a daemon that
 * is starting: its lock is not probed, as probing takes the lock for a moment, which that
 * daemon would take for a rival.
 *
 * Returns: %TRUE when a daemon serves the instance
 */
gboolean
rdd_service_is_running(RddInstance *instance, gint *pid)
{
	const gchar *path = rdd_instance_get_pid_file(instance);
	gchar text[32] = {0};
	gssize n;
	gint fd;
	gint64 value = 0;
	gboolean alive;
	GStatBuf st;

	if (pid != NULL)
		*pid = 0;
	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return FALSE;
	n = read(fd, text, sizeof(text) - 1);
	if (n > 0) {
		text[n] = '\0';
		g_strstrip(text);
		if (!g_ascii_string_to_signed(text, 10, 2, G_MAXINT, &value, NULL))
			value = 0;
	}
	/* a daemon between creating the file and writing its pid */
	if (n == 0 && fstat(fd, &st) == 0 &&
	    g_get_real_time() - (gint64)st.st_mtime * G_USEC_PER_SEC < RDD_SERVICE_STARTING_USEC) {
		close(fd);
		return TRUE;
	}
	alive = value > 0 && (kill((pid_t)value, 0) == 0 || errno == EPERM);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		/* nobody holds it: left over from a daemon that died (its pid may be reused) */
		rdd_service_remove_stale(instance, path);
		flock(fd, LOCK_UN);
		close(fd);
		return FALSE;
	}
	close(fd);
	if (pid != NULL && alive)
		*pid = (gint)value;
	return TRUE;
}

/**
 * rdd_service_create:
 * @instance: the instance
 * @controllers: (nullable): the `--controllers` value to save, `*` when %NULL
 * @secure_port: the HTTPS port to save, 0 for 6443 plus the instance index
 * @error: return location for an error
 *
 * Writes `args.json` (a JSON array of daemon arguments, mode 0600).
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_service_create(RddInstance *instance, const gchar *controllers, guint secure_port, GError **error)
{
	g_autoptr(JsonArray) args = json_array_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_ARRAY);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree gchar *port = g_strdup_printf(
		"%u", secure_port != 0 ? secure_port : rdd_instance_get_secure_port(instance));

	if (!rdd_instance_ensure_dirs(instance, error))
		return FALSE;
	json_array_add_string_element(args, "--secure-port");
	json_array_add_string_element(args, port);
	json_array_add_string_element(args, "--controllers");
	json_array_add_string_element(args, controllers != NULL ? controllers : "*");
	json_node_set_array(root, args);
	rdd_json_write_pretty(text, root, 2);
	g_string_append_c(text, '\n');
	if (!g_file_set_contents_full(rdd_instance_get_args_file(instance), text->str, text->len,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_service_load_args:
 * @instance: the instance
 * @error: return location for an error
 *
 * Returns: (transfer full): the saved daemon arguments
 */
gchar **
rdd_service_load_args(RddInstance *instance, GError **error)
{
	const gchar *path = rdd_instance_get_args_file(instance);
	g_autofree gchar *data = NULL;
	gsize len = 0;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JsonArray *arr;

	if (!g_file_get_contents(path, &data, &len, error)) {
		rdd_error_convert(error);
		return NULL;
	}
	node = rdd_json_parse(data, len, error);
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_clear_error(error);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s is not a JSON list of arguments", path);
		return NULL;
	}
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		const gchar *arg = json_array_get_string_element(arr, i);
		if (arg == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "%s: argument %u is not a string", path, i + 1);
			return NULL;
		}
		g_strv_builder_add(builder, arg);
	}
	return g_strv_builder_end(builder);
}

/**
 * rdd_service_rotate_log:
 * @dir: the log directory
 * @name: the log's base name, e.g. `rdd.stderr`
 * @error: return location for an error
 *
 * Renames `<name>.log` to `<name>.<N+1>.log` (N the highest backup) and deletes backups older
 * than the newest five, unless `RDD_KEEP_LOGS` is set.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_service_rotate_log(const gchar *dir, const gchar *name, GError **error)
{
	g_autofree gchar *active = g_strdup_printf("%s/%s.log", dir, name);
	g_autofree gchar *prefix = g_strdup_printf("%s.", name);
	g_autoptr(GDir) d = NULL;
	const gchar *entry;
	guint64 newest = 0;
	const gchar *keep = g_getenv("RDD_KEEP_LOGS");

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot create %s: %s", dir,
			    g_strerror(errno));
		return FALSE;
	}
	d = g_dir_open(dir, 0, NULL);
	while (d != NULL && (entry = g_dir_read_name(d)) != NULL) {
		guint64 n;
		g_autofree gchar *num = NULL;
		if (!g_str_has_prefix(entry, prefix) || !g_str_has_suffix(entry, ".log") ||
		    strlen(entry) <= strlen(prefix) + 4)
			continue;
		num = g_strndup(entry + strlen(prefix), strlen(entry) - strlen(prefix) - 4);
		if (g_ascii_string_to_unsigned(num, 10, 1, G_MAXUINT32, &n, NULL))
			newest = MAX(newest, n);
	}
	if (g_file_test(active, G_FILE_TEST_EXISTS)) {
		g_autofree gchar *backup =
			g_strdup_printf("%s/%s.%" G_GUINT64_FORMAT ".log", dir, name, newest + 1);
		if (g_rename(active, backup) != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot rotate %s: %s",
				    active, g_strerror(errno));
			return FALSE;
		}
		newest++;
	}
	if (keep != NULL && keep[0] != '\0')
		return TRUE;
	for (guint64 n = 1; n + RDD_SERVICE_LOG_BACKUPS <= newest; n++) {
		g_autofree gchar *old = g_strdup_printf("%s/%s.%" G_GUINT64_FORMAT ".log", dir, name, n);
		g_unlink(old);
	}
	return TRUE;
}

/**
 * rdd_service_find_daemon:
 * @error: return location for an error
 *
 * Looks for rdd-daemon: `RDD_DAEMON`, then beside the running rdd, then the build tree, then
 * the installed bindir, then `PATH`.
 *
 * Returns: (transfer full): its path
 */
gchar *
rdd_service_find_daemon(GError **error)
{
	const gchar *env = g_getenv("RDD_DAEMON");
	g_autofree gchar *self_path = g_file_read_link("/proc/self/exe", NULL);
	g_autofree gchar *self_dir = self_path != NULL ? g_path_get_dirname(self_path) : NULL;
	gchar *found;

	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	if (self_dir != NULL) {
		g_autofree gchar *beside = g_build_filename(self_dir, "rdd-daemon", NULL);
		g_autofree gchar *in_build =
			g_build_filename(self_dir, "..", "..", "daemon", "rdd-daemon", NULL);
		if (g_file_test(beside, G_FILE_TEST_IS_EXECUTABLE))
			return g_steal_pointer(&beside);
		if (g_file_test(in_build, G_FILE_TEST_IS_EXECUTABLE))
			return g_canonicalize_filename(in_build, NULL);
	}
	{
		g_autofree gchar *installed = g_build_filename(RDD_BINDIR, "rdd-daemon", NULL);
		if (g_file_test(installed, G_FILE_TEST_IS_EXECUTABLE))
			return g_steal_pointer(&installed);
	}
	found = g_find_program_in_path("rdd-daemon");
	if (found == NULL)
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
				    "cannot find rdd-daemon: install rdd or set RDD_DAEMON to its path");
	return found;
}

static void
rdd_service_child_setup(gpointer user_data)
{
	/* its own session: the daemon outlives the terminal and rdd */
	setsid();
}

/**
 * rdd_service_spawn:
 * @instance: the instance
 * @overrides: (nullable) (array zero-terminated=1): arguments after the saved ones (later
 *   flags win)
 * @level: the daemon's log level
 * @pid: (out) (optional): the daemon's pid
 * @error: return location for an error
 *
 * Starts rdd-daemon detached, in its own session, with its output in the rotated
 * `rdd.stdout.log` and `rdd.stderr.log` of the instance's log directory.
 *
 * Returns: %TRUE when the process started
 */
gboolean
rdd_service_spawn(RddInstance *instance, const gchar *const *overrides, RddLogLevel level, GPid *pid, GError **error)
{
	g_autofree gchar *daemon = rdd_service_find_daemon(error);
	g_auto(GStrv) saved = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	const gchar *log_dir = rdd_instance_get_log_dir(instance);
	g_autofree gchar *out_path = g_build_filename(log_dir, "rdd.stdout.log", NULL);
	g_autofree gchar *err_path = g_build_filename(log_dir, "rdd.stderr.log", NULL);
	const gchar *title = g_getenv("RDD_LOG_TITLE");
	gint out_fd, err_fd;
	GPid child = 0;
	gint devnull;

	if (daemon == NULL)
		return FALSE;
	saved = rdd_service_load_args(instance, error);
	if (saved == NULL)
		return FALSE;
	if (!rdd_service_rotate_log(log_dir, "rdd.stdout", error) ||
	    !rdd_service_rotate_log(log_dir, "rdd.stderr", error))
		return FALSE;
	out_fd = g_open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	err_fd = g_open(err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	devnull = g_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
	if (out_fd < 0 || err_fd < 0 || devnull < 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "cannot open the daemon logs in %s: %s", log_dir, g_strerror(errno));
		if (out_fd >= 0)
			close(out_fd);
		if (err_fd >= 0)
			close(err_fd);
		if (devnull >= 0)
			close(devnull);
		return FALSE;
	}
	if (title != NULL && title[0] != '\0') {
		g_autofree gchar *header = g_strdup_printf("=== %s ===\n", title);
		if (write(err_fd, header, strlen(header)) < 0 || write(out_fd, header, strlen(header)) < 0)
			g_debug("cannot write the log title: %s", g_strerror(errno));
	}
	g_ptr_array_add(argv, g_strdup(daemon));
	g_ptr_array_add(argv, g_strdup("--instance"));
	g_ptr_array_add(argv, g_strdup(rdd_instance_get_suffix(instance)));
	for (guint i = 0; saved[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(saved[i]));
	for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
		g_ptr_array_add(argv, g_strdup(overrides[i]));
	g_ptr_array_add(argv, g_strdup("--log-level"));
	g_ptr_array_add(argv, g_strdup(rdd_log_level_to_string(level)));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_async_with_pipes_and_fds(NULL, (const gchar *const *)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
					      rdd_service_child_setup, NULL, devnull, out_fd, err_fd,
					      NULL, NULL, 0, &child, NULL, NULL, NULL, error)) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot start %s: ", daemon);
		close(out_fd);
		close(err_fd);
		close(devnull);
		return FALSE;
	}
	close(out_fd);
	close(err_fd);
	close(devnull);
	if (pid != NULL)
		*pid = child;
	return TRUE;
}

/**
 * rdd_service_tail:
 * @path: a file
 * @lines: how many lines
 *
 * Returns: (transfer full): the last @lines lines of @path, or an empty string
 */
gchar *
rdd_service_tail(const gchar *path, guint lines)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;
	const gchar *p;
	guint seen = 0;

	if (!g_file_get_contents(path, &data, &len, NULL) || len == 0)
		return g_strdup("");
	p = data + len;
	if (p > data && p[-1] == '\n')
		p--;
	while (p > data) {
		if (p[-1] == '\n' && ++seen == lines)
			break;
		p--;
	}
	return g_strdup(p);
}

static gboolean
rdd_service_child_exited(GPid child, gint *status)
{
	if (child <= 0)
		return FALSE;
	return waitpid(child, status, WNOHANG) == child;
}

/**
 * rdd_service_wait_ready:
 * @instance: the instance
 * @spawned: the daemon just spawned, to notice it dying, or 0
 * @timeout_usec: the deadline, 0 for none
 * @progress: (nullable): called about ten times a second with the current phase
 * @user_data: user data
 * @error: return location for an error
 *
 * Waits until the daemon answers `/readyz` on its socket.
 *
 * Returns: %TRUE when ready; %RDD_ERROR_TIMED_OUT at the deadline
 */
gboolean
rdd_service_wait_ready(RddInstance *instance,
		       GPid spawned,
		       gint64 timeout_usec,
		       RddServiceProgressFunc progress,
		       gpointer user_data,
		       GError **error)
{
	g_autofree gchar *sock = rdd_instance_dup_api_socket_path(instance);
	g_autoptr(RddClient) client = rdd_client_new(sock);
	gint64 start = g_get_monotonic_time();
	const gchar *phase = "waiting for API server";

	for (guint attempt = 0;; attempt++) {
		gint status = 0;
		gint64 now = g_get_monotonic_time();
		/* past the deadline is past it, even when the daemon would answer now */
		if (attempt > 0 && timeout_usec > 0 && now - start >= timeout_usec) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_TIMED_OUT,
				    "timed out waiting for \"%s\" control plane to be ready: context deadline exceeded",
				    rdd_instance_get_name(instance));
			return FALSE;
		}
		if (g_file_test(sock, G_FILE_TEST_EXISTS) && rdd_client_ping(client, NULL))
			return TRUE;
		if (rdd_service_child_exited(spawned, &status)) {
			g_autofree gchar *log = g_build_filename(rdd_instance_get_log_dir(instance),
								 "rdd.stderr.log", NULL);
			g_autofree gchar *tail = rdd_service_tail(log, 5);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "rdd-daemon exited during start-up (status %d); the end of %s:\n%s",
				    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
				    log, tail);
			return FALSE;
		}
		if (progress != NULL)
			progress(phase, now - start, user_data);
		g_usleep(50 * 1000);
	}
}

/* how long a daemon that released its instance may take to exit */
#define RDD_SERVICE_EXIT_GRACE_USEC (5 * G_USEC_PER_SEC)

/* the process has exited: it does not exist, or is a zombie nobody reaped yet */
static gboolean
rdd_service_process_gone(gint pid)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *stat = NULL;
	const gchar *paren;

	if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
		return TRUE;
	path = g_strdup_printf("/proc/%d/stat", pid);
	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return TRUE;
	/* `pid (comm) S …`: the state follows the last parenthesis */
	paren = strrchr(stat, ')');
	return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

/**
 * rdd_service_stop:
 * @instance: the instance
 * @wait: wait until the daemon exited
 * @timeout_usec: how long to wait before SIGKILL, 0 for no limit
 * @progress: (nullable): progress callback
 * @user_data: user data
 * @error: return location for an error
 *
 * Sends SIGTERM; with @wait, polls until the daemon released its pid file (and, for a few
 * seconds at most, until its process is gone), then removes the kubeconfig. At the deadline
 * the daemon gets SIGKILL and the call fails with %RDD_ERROR_TIMED_OUT.
 *
 * Returns: %TRUE when stopped (or asked to stop, without @wait)
 */
gboolean
rdd_service_stop(RddInstance *instance,
		 gboolean wait,
		 gint64 timeout_usec,
		 RddServiceProgressFunc progress,
		 gpointer user_data,
		 GError **error)
{
	gint pid = 0;
	gint64 start = g_get_monotonic_time();
	gint64 grace;

	if (!rdd_service_is_running(instance, &pid))
		return TRUE;
	if (pid <= 1 || kill(pid, SIGTERM) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot signal \"%s\" control plane with pid %d: %s",
			    rdd_instance_get_name(instance), pid,
			    pid <= 1 ? "invalid pid" : g_strerror(errno));
		return FALSE;
	}
	if (!wait)
		return TRUE;
	while (rdd_service_is_running(instance, NULL)) {
		gint64 now = g_get_monotonic_time();
		if (timeout_usec > 0 && now - start >= timeout_usec) {
			kill(pid, SIGKILL);
			g_set_error(error, RDD_ERROR, RDD_ERROR_TIMED_OUT,
				    "timed out waiting for \"%s\" control plane with pid %d to stop: context "
				    "deadline exceeded",
				    rdd_instance_get_name(instance), pid);
			return FALSE;
		}
		if (progress != NULL)
			progress("waiting for the daemon to exit", now - start, user_data);
		g_usleep(50 * 1000);
	}
	/* the instance is free once the lock is released; the process may still be finishing
	 * (exit handlers): give it until the deadline, at most a few seconds, to be gone */
	grace = timeout_usec > 0 ? MIN(timeout_usec, RDD_SERVICE_EXIT_GRACE_USEC) : RDD_SERVICE_EXIT_GRACE_USEC;
	while (!rdd_service_process_gone(pid) && g_get_monotonic_time() - start < grace)
		g_usleep(10 * 1000);
	g_unlink(rdd_instance_get_config_path(instance));
	return TRUE;
}

/* how deep rdd_service_remove_tree() descends: an instance tree is shallow */
#define RDD_SERVICE_MAX_TREE_DEPTH 32

static gboolean
rdd_service_remove_tree(const gchar *path, guint depth, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileEnumerator) children = NULL;
	g_autoptr(GError) error_local = NULL;
	GFileInfo *info;

	if (!g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
		return TRUE;
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		if (depth >= RDD_SERVICE_MAX_TREE_DEPTH) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "cannot delete %s: directories nested more than %u deep", path,
				    (guint)RDD_SERVICE_MAX_TREE_DEPTH);
			return FALSE;
		}
		children = g_file_enumerate_children(file, G_FILE_ATTRIBUTE_STANDARD_NAME,
						     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
		if (children == NULL) {
			rdd_error_convert(error);
			return FALSE;
		}
		while ((info = g_file_enumerator_next_file(children, NULL, &error_local)) != NULL) {
			g_autoptr(GFileInfo) owned = info;
			g_autofree gchar *child = g_build_filename(path, g_file_info_get_name(owned), NULL);
			if (!rdd_service_remove_tree(child, depth + 1, error))
				return FALSE;
		}
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			rdd_error_convert(error);
			return FALSE;
		}
	}
	if (!g_file_delete(file, NULL, error)) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot delete %s: ", path);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_service_delete_files:
 * @instance: a stopped instance
 * @error: return location for an error
 *
 * Removes the instance directory, the short directory and, unless `RDD_KEEP_LOGS` is set, the
 * log directory.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_service_delete_files(RddInstance *instance, GError **error)
{
	const gchar *keep = g_getenv("RDD_KEEP_LOGS");
	if ((keep == NULL || keep[0] == '\0') &&
	    !rdd_service_remove_tree(rdd_instance_get_log_dir(instance), 0, error))
		return FALSE;
	return rdd_service_remove_tree(rdd_instance_get_short_dir(instance), 0, error) &&
	       rdd_service_remove_tree(rdd_instance_get_dir(instance), 0, error);
}
