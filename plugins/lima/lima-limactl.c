/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Running limactl asynchronously: with LIMA_HOME set to the instance's, its output captured, a
 * deadline after which it is killed, and a cancellable that kills it too.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "lima-plugin.h"

/* the most of limactl's error output a condition message carries (the end is what matters) */
#define LIMA_LIMACTL_STDERR_MAX 4096

typedef struct {
	GSubprocess *proc;
	gchar *command; /* e.g. `limactl start`, for messages */
	guint timeout_ms;
	guint timeout_id;
	gboolean timed_out;
	GCancellable *inner; /* cancels the communication */
	GCancellable *outer; /* the caller's */
	gulong outer_handler;
} LimaLimactlCall;

static void
lima_limactl_call_free(LimaLimactlCall *call)
{
	g_clear_handle_id(&call->timeout_id, g_source_remove);
	if (call->outer != NULL && call->outer_handler != 0)
		g_cancellable_disconnect(call->outer, call->outer_handler);
	g_clear_object(&call->outer);
	g_clear_object(&call->inner);
	g_clear_object(&call->proc);
	g_free(call->command);
	g_free(call);
}

/**
 * lima_limactl_find:
 * @error: return location for an error
 *
 * Returns: (transfer full): the limactl to run: `RDD_LIMACTL`, else `limactl` on PATH
 */
gchar *
lima_limactl_find(GError **error)
{
	const gchar *env = g_getenv("RDD_LIMACTL");
	gchar *found;

	if (env != NULL && env[0] != '\0') {
		if (!g_file_test(env, G_FILE_TEST_IS_EXECUTABLE)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
				    "RDD_LIMACTL names %s, which is not an executable file", env);
			return NULL;
		}
		return g_strdup(env);
	}
	found = g_find_program_in_path("limactl");
	if (found == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
				    "limactl is not on PATH: install Lima or set RDD_LIMACTL to its limactl");
		return NULL;
	}
	return found;
}

static gchar *
lima_limactl_format_ms(guint ms)
{
	if (ms % 60000 == 0)
		return g_strdup_printf("%um", ms / 60000);
	if (ms % 1000 == 0)
		return g_strdup_printf("%us", ms / 1000);
	return g_strdup_printf("%ums", ms);
}

/* limactl's error output, valid UTF-8, trimmed, and only its end when long */
static gchar *
lima_limactl_tidy_output(GBytes *bytes)
{
	gsize len = 0;
	const gchar *data = bytes != NULL ? g_bytes_get_data(bytes, &len) : NULL;
	g_autofree gchar *valid = NULL;
	gsize valid_len;
	const gchar *start;

	if (data == NULL || len == 0)
		return g_strdup("");
	valid = g_utf8_make_valid(data, (gssize)len);
	g_strstrip(valid);
	valid_len = strlen(valid);
	if (valid_len <= LIMA_LIMACTL_STDERR_MAX)
		return g_steal_pointer(&valid);
	start = g_utf8_find_next_char(valid + valid_len - LIMA_LIMACTL_STDERR_MAX - 1, NULL);
	return g_strdup_printf("…%s", start != NULL ? start : "");
}

static gboolean
lima_limactl_timeout_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	LimaLimactlCall *call = g_task_get_task_data(task);

	call->timeout_id = 0;
	call->timed_out = TRUE;
	g_debug("%s did not finish within %u ms: killing it", call->command, call->timeout_ms);
	g_subprocess_force_exit(call->proc);
	g_cancellable_cancel(call->inner);
	return G_SOURCE_REMOVE;
}

static void
lima_limactl_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	LimaLimactlCall *call = user_data;

	g_debug("%s was cancelled: killing it", call->command);
	g_subprocess_force_exit(call->proc);
	/* cancelling from inside a handler of another cancellable is fine */
	g_cancellable_cancel(call->inner);
}

static void
lima_limactl_communicate_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	LimaLimactlCall *call = g_task_get_task_data(task);
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) err = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *err_text = NULL;

	g_clear_handle_id(&call->timeout_id, g_source_remove);
	if (!g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &out, &err, &error_local)) {
		if (call->timed_out) {
			g_autofree gchar *limit = lima_limactl_format_ms(call->timeout_ms);
			g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_TIMED_OUT,
						"%s timed out: it did not finish within its deadline of "
						"%s and was killed",
						call->command, limit);
			return;
		}
		if (call->outer != NULL && g_cancellable_is_cancelled(call->outer)) {
			g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_BUSY,
						"%s was interrupted: the reconcile was cancelled",
						call->command);
			return;
		}
		rdd_error_convert(&error_local);
		g_prefix_error(&error_local, "%s: ", call->command);
		g_task_return_error(task, g_steal_pointer(&error_local));
		return;
	}
	err_text = lima_limactl_tidy_output(err);
	if (!g_subprocess_get_successful(call->proc)) {
		g_autofree gchar *how = NULL;
		if (g_subprocess_get_if_signaled(call->proc))
			how = g_strdup_printf("was killed by signal %d", g_subprocess_get_term_sig(call->proc));
		else
			how = g_strdup_printf("exited with status %d", g_subprocess_get_exit_status(call->proc));
		if (err_text[0] != '\0')
			g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_INTERNAL,
						"%s failed: %s", call->command, err_text);
		else
			g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_INTERNAL,
						"%s failed: it %s without saying why", call->command, how);
		return;
	}
	if (err_text[0] != '\0')
		g_debug("%s: %s", call->command, err_text);
	{
		gsize len = 0;
		const gchar *data = out != NULL ? g_bytes_get_data(out, &len) : NULL;
		g_task_return_pointer(
			task, data != NULL ? g_utf8_make_valid(data, (gssize)len) : g_strdup(""), g_free);
	}
}

/**
 * lima_limactl_run_async:
 * @self: the plugin
 * @args: (array zero-terminated=1): the arguments after `limactl`, the subcommand first
 * @timeout_ms: the deadline; past it limactl is killed and the call fails with
 *   %RDD_ERROR_TIMED_OUT
 * @cancellable: (nullable): cancelling it kills limactl
 * @callback: called when limactl exited
 * @user_data: data for @callback
 *
 * Runs limactl with `LIMA_HOME` set to the instance's Lima home, capturing its output.
 */
void
lima_limactl_run_async(LimaPlugin *self,
		       const gchar *const *args,
		       guint timeout_ms,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *limactl = NULL;
	g_autofree gchar *joined = NULL;
	LimaLimactlCall *call;

	g_return_if_fail(self != NULL);
	g_return_if_fail(args != NULL && args[0] != NULL);

	g_task_set_source_tag(task, lima_limactl_run_async);
	/* the plugin reports cancellation itself, with the command's name */
	g_task_set_check_cancellable(task, FALSE);
	call = g_new0(LimaLimactlCall, 1);
	call->command = g_strdup_printf("limactl %s", args[0]);
	call->timeout_ms = timeout_ms;
	call->inner = g_cancellable_new();
	g_task_set_task_data(task, call, (GDestroyNotify)lima_limactl_call_free);

	limactl = lima_limactl_find(&error_local);
	if (limactl == NULL) {
		g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_NOT_FOUND, "cannot run %s: %s",
					call->command, error_local->message);
		return;
	}
	if (g_mkdir_with_parents(rdd_instance_get_lima_home(self->instance), 0700) != 0) {
		g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot create the Lima home %s: %s",
					rdd_instance_get_lima_home(self->instance), g_strerror(errno));
		return;
	}
	g_ptr_array_add(argv, limactl);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	joined = g_strjoinv(" ", (gchar **)argv->pdata);
	g_debug("running %s (deadline %u ms)", joined, timeout_ms);

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	/* never the daemon's terminal: limactl must not wait for an answer */
	g_subprocess_launcher_set_stdin_file_path(launcher, "/dev/null");
	g_subprocess_launcher_setenv(launcher, "LIMA_HOME", rdd_instance_get_lima_home(self->instance), TRUE);
	call->proc = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error_local);
	if (call->proc == NULL) {
		rdd_error_convert(&error_local);
		g_task_return_new_error(task, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot run %s (%s): %s",
					call->command, limactl, error_local->message);
		return;
	}
	call->timeout_id = g_timeout_add_full(G_PRIORITY_DEFAULT, MAX(timeout_ms, 1),
					      lima_limactl_timeout_cb, task, NULL);
	if (cancellable != NULL) {
		call->outer = g_object_ref(cancellable);
		call->outer_handler =
			g_cancellable_connect(cancellable, G_CALLBACK(lima_limactl_cancelled_cb), call, NULL);
	}
	g_subprocess_communicate_async(call->proc, NULL, call->inner, lima_limactl_communicate_cb,
				       g_steal_pointer(&task));
}

/**
 * lima_limactl_run_finish:
 * @result: the result
 * @stdout_text: (out) (optional) (transfer full): what limactl printed on standard output
 * @error: return location for an error: `limactl <command> failed: <its error output>`, or
 *   that it timed out
 *
 * Returns: %TRUE when limactl exited with status 0
 */
gboolean
lima_limactl_run_finish(GAsyncResult *result, gchar **stdout_text, GError **error)
{
	g_autofree gchar *text = NULL;

	g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
	text = g_task_propagate_pointer(G_TASK(result), error);
	if (text == NULL)
		return FALSE;
	if (stdout_text != NULL)
		*stdout_text = g_steal_pointer(&text);
	return TRUE;
}

/**
 * lima_limactl_parse_list:
 * @output: what `limactl list --json` printed: one JSON object per line
 * @name: an instance name
 *
 * Returns: the instance's phase, %LIMA_PHASE_ABSENT when it is not listed
 */
LimaPhase
lima_limactl_parse_list(const gchar *output, const gchar *name)
{
	g_auto(GStrv) lines = NULL;

	if (output == NULL)
		return LIMA_PHASE_ABSENT;
	lines = g_strsplit(output, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autoptr(JsonNode) node = NULL;
		const gchar *status;
		g_strstrip(lines[i]);
		if (lines[i][0] != '{')
			continue;
		node = rdd_json_parse(lines[i], -1, NULL);
		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
			continue;
		if (g_strcmp0(rdd_json_lookup_string(node, "name"), name) != 0)
			continue;
		status = rdd_json_lookup_string(node, "status");
		if (g_strcmp0(status, "Running") == 0)
			return LIMA_PHASE_RUNNING;
		if (g_strcmp0(status, "Stopped") == 0)
			return LIMA_PHASE_STOPPED;
		/* Broken, Unknown, or anything newer: not usable as it is */
		return LIMA_PHASE_BROKEN;
	}
	return LIMA_PHASE_ABSENT;
}

/**
 * lima_limactl_phase_to_string:
 * @phase: a phase
 *
 * Returns: its name, for logs
 */
const gchar *
lima_limactl_phase_to_string(LimaPhase phase)
{
	switch (phase) {
	case LIMA_PHASE_ABSENT:
		return "absent";
	case LIMA_PHASE_STOPPED:
		return "Stopped";
	case LIMA_PHASE_RUNNING:
		return "Running";
	case LIMA_PHASE_BROKEN:
		return "Broken";
	case LIMA_PHASE_UNKNOWN:
	default:
		return "unknown";
	}
}
