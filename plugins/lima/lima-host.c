/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Host mode (`spec.vmType: host`, an rdd addition): no VM. "Running" means the instance's
 * Docker socket is a symbolic link to the host's engine socket and the engine answers
 * `GET /_ping`; while it should run, the engine is pinged every two seconds and the Running
 * condition follows it as it comes and goes.
 */

#include "config.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lima-plugin.h"

typedef struct {
	LimaPlugin *plugin;
	RddReconcile *rec; /* deferred */
	gchar *namespace;
	gchar *name;
	gchar *template_rv;
	gchar *engine_socket; /* spec.hostDockerSocket */
	SoupSession *session;
	SoupMessage *msg;
	GCancellable *cancellable; /* ours: the deadline and the reconcile's */
	gulong outer_handler;
	guint timeout_id;
	gboolean timed_out;
} LimaHostPing;

static void
lima_host_ping_free(LimaHostPing *ping)
{
	g_clear_handle_id(&ping->timeout_id, g_source_remove);
	if (ping->outer_handler != 0)
		g_cancellable_disconnect(rdd_reconcile_get_cancellable(ping->rec), ping->outer_handler);
	rdd_reconcile_unref(ping->rec);
	lima_plugin_unref(ping->plugin);
	g_clear_object(&ping->msg);
	g_clear_object(&ping->session);
	g_clear_object(&ping->cancellable);
	g_free(ping->namespace);
	g_free(ping->name);
	g_free(ping->template_rv);
	g_free(ping->engine_socket);
	g_free(ping);
}

/**
 * lima_host_unlink:
 * @self: the plugin
 * @error: return location for an error
 *
 * Removes the instance's Docker socket link; anything else at that path stays.
 *
 * Returns: %TRUE when no link is left
 */
gboolean
lima_host_unlink(LimaPlugin *self, GError **error)
{
	const gchar *link = rdd_instance_get_docker_socket(self->instance);
	GStatBuf st;

	if (g_lstat(link, &st) != 0 || !S_ISLNK(st.st_mode))
		return TRUE;
	if (g_unlink(link) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot remove %s: %s", link,
			    g_strerror(errno));
		return FALSE;
	}
	g_info("removed the Docker socket link %s", link);
	return TRUE;
}

/* makes the instance's Docker socket a link to @target, replacing a stale link or socket */
static gboolean
lima_host_link(LimaPlugin *self, const gchar *target, GError **error)
{
	const gchar *link = rdd_instance_get_docker_socket(self->instance);
	g_autofree gchar *dir = g_path_get_dirname(link);
	GStatBuf st;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot create %s: %s", dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (g_lstat(link, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			g_autofree gchar *current = g_file_read_link(link, NULL);
			if (g_strcmp0(current, target) == 0)
				return TRUE;
		} else if (!S_ISSOCK(st.st_mode)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS,
				    "cannot link %s to %s: %s exists and is neither a link nor a socket",
				    link, target, link);
			return FALSE;
		}
		if (g_unlink(link) != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "cannot remove the stale %s: %s", link, g_strerror(errno));
			return FALSE;
		}
	}
	if (symlink(target, link) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot link %s to %s: %s", link,
			    target, g_strerror(errno));
		return FALSE;
	}
	g_info("linked %s to the host's Docker socket %s", link, target);
	return TRUE;
}

static void
lima_host_write(LimaHostPing *ping, const gchar *status, const gchar *reason, const gchar *message)
{
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(GError) error = NULL;

	change.created_status = RDD_CONDITION_TRUE;
	change.created_reason = RDD_REASON_CREATED;
	change.created_message = LIMA_HOST_CREATED_MESSAGE;
	change.observed_rv = ping->template_rv;
	change.restart_needed = 0;
	change.running_status = status;
	change.running_reason = reason;
	change.running_message = message;
	if (!lima_reconcile_write_status(ping->plugin, ping->namespace, ping->name, &change, &error)) {
		rdd_reconcile_complete(ping->rec, error);
		return;
	}
	rdd_reconcile_requeue_after(ping->rec, ping->plugin->host_ping_ms);
	rdd_reconcile_complete(ping->rec, NULL);
}

static void
lima_host_ping_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaHostPing *ping = user_data;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *message = NULL;
	LimaVm *vm;
	guint code;

	body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
	if (g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(ping->rec)) || ping->plugin->store == NULL) {
		lima_host_ping_free(ping);
		return;
	}
	vm = lima_plugin_ensure_vm(ping->plugin, ping->namespace, ping->name);
	code = soup_message_get_status(ping->msg);
	if (body != NULL && code == SOUP_STATUS_OK) {
		if (!vm->engine_up)
			g_info("LimaVM %s/%s: the Docker engine at %s answers", ping->namespace,
			       ping->name, ping->engine_socket);
		vm->engine_up = TRUE;
		message = g_strdup_printf("the Docker engine at %s answers; %s links to it", ping->engine_socket,
					  rdd_instance_get_docker_socket(ping->plugin->instance));
		lima_host_write(ping, RDD_CONDITION_TRUE, RDD_REASON_STARTED, message);
		lima_host_ping_free(ping);
		return;
	}
	if (ping->timed_out) {
		g_autofree gchar *limit = g_strdup_printf("%u ms", ping->plugin->host_timeout_ms);
		message = g_strdup_printf("the Docker engine at %s does not answer: no answer to GET /_ping within %s",
					  ping->engine_socket, limit);
	} else if (body == NULL) {
		rdd_error_convert(&error);
		message = g_strdup_printf("the Docker engine at %s does not answer: %s",
					  ping->engine_socket, error->message);
	} else {
		message = g_strdup_printf("the Docker engine at %s does not answer: GET /_ping returned HTTP %u %s",
					  ping->engine_socket, code,
					  soup_message_get_reason_phrase(ping->msg) != NULL ?
						  soup_message_get_reason_phrase(ping->msg) :
						  "");
	}
	if (vm->engine_up)
		g_info("LimaVM %s/%s: %s", ping->namespace, ping->name, message);
	vm->engine_up = FALSE;
	lima_host_write(ping, RDD_CONDITION_FALSE, RDD_REASON_ENGINE_UNREACHABLE, message);
	lima_host_ping_free(ping);
}

static gboolean
lima_host_ping_timeout_cb(gpointer user_data)
{
	LimaHostPing *ping = user_data;
	ping->timeout_id = 0;
	ping->timed_out = TRUE;
	g_cancellable_cancel(ping->cancellable);
	return G_SOURCE_REMOVE;
}

static void
lima_host_ping_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	LimaHostPing *ping = user_data;
	g_cancellable_cancel(ping->cancellable);
}

/* GET /_ping through the link, asynchronously; the callback writes the status */
static void
lima_host_ping(LimaPlugin *self, RddReconcile *reconcile, RddObject *obj, const gchar *template_rv, const gchar *engine_socket)
{
	LimaHostPing *ping = g_new0(LimaHostPing, 1);
	g_autoptr(GSocketAddress) address =
		g_unix_socket_address_new(rdd_instance_get_docker_socket(self->instance));

	ping->plugin = lima_plugin_ref(self);
	ping->rec = rdd_reconcile_defer(reconcile);
	ping->namespace = g_strdup(rdd_object_get_namespace(obj));
	ping->name = g_strdup(rdd_object_get_name(obj));
	ping->template_rv = g_strdup(template_rv);
	ping->engine_socket = g_strdup(engine_socket);
	ping->cancellable = g_cancellable_new();
	ping->session = soup_session_new_with_options("remote-connectable", address, "timeout",
						      (self->host_timeout_ms + 999) / 1000,
						      "idle-timeout", 1, NULL);
	ping->msg = soup_message_new("GET", "http://localhost/_ping");
	ping->timeout_id = g_timeout_add(self->host_timeout_ms, lima_host_ping_timeout_cb, ping);
	ping->outer_handler = g_cancellable_connect(rdd_reconcile_get_cancellable(reconcile),
						    G_CALLBACK(lima_host_ping_cancelled_cb), ping, NULL);
	soup_session_send_and_read_async(ping->session, ping->msg, G_PRIORITY_DEFAULT,
					 ping->cancellable, lima_host_ping_cb, ping);
}

/**
 * lima_host_reconcile:
 * @self: the plugin
 * @reconcile: the run
 * @obj: the LimaVM, in host mode
 * @template_rv: the template copy's resourceVersion, applied at once (there is no VM)
 * @error: return location for an error
 *
 * Created is True at once; to run, the Docker socket link is made and the engine pinged
 * (asynchronously: the run is deferred and completed by the ping); to stop, the link goes.
 *
 * Returns: %TRUE on success
 */
gboolean
lima_host_reconcile(LimaPlugin *self, RddReconcile *reconcile, RddObject *obj, const gchar *template_rv, GError **error)
{
	g_autoptr(JsonNode) spec = rdd_object_dup_member(obj, "spec");
	g_autofree gchar *restart = rdd_object_dup_annotation(obj, RDD_ANNOTATION_RESTART_REQUESTED);
	const gchar *engine_socket = rdd_json_lookup_string(spec, "hostDockerSocket");
	gboolean desired =
		json_object_get_boolean_member_with_default(json_node_get_object(spec), "running", FALSE);
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(GError) error_local = NULL;

	if (engine_socket == NULL || engine_socket[0] == '\0')
		engine_socket = RDD_DEFAULT_HOST_DOCKER_SOCKET;
	/* nothing to restart: the request is done by answering it */
	if (restart != NULL)
		return lima_reconcile_remove_restart_annotation(self, obj, error);

	change.created_status = RDD_CONDITION_TRUE;
	change.created_reason = RDD_REASON_CREATED;
	change.created_message = LIMA_HOST_CREATED_MESSAGE;
	change.observed_rv = template_rv;
	change.restart_needed = 0;
	if (!desired) {
		if (!lima_host_unlink(self, error))
			return FALSE;
		lima_plugin_ensure_vm(self, rdd_object_get_namespace(obj), rdd_object_get_name(obj))->engine_up =
			FALSE;
		change.running_status = RDD_CONDITION_FALSE;
		change.running_reason = RDD_REASON_STOPPED;
		change.running_message = "Stopped: the host's Docker engine is not linked";
		return lima_reconcile_write_status(self, rdd_object_get_namespace(obj),
						   rdd_object_get_name(obj), &change, error);
	}
	if (!lima_host_link(self, engine_socket, &error_local)) {
		change.running_status = RDD_CONDITION_FALSE;
		change.running_reason = RDD_REASON_ENGINE_UNREACHABLE;
		change.running_message = error_local->message;
		rdd_reconcile_requeue_after(reconcile, self->host_ping_ms);
		return lima_reconcile_write_status(self, rdd_object_get_namespace(obj),
						   rdd_object_get_name(obj), &change, error);
	}
	lima_host_ping(self, reconcile, obj, template_rv, engine_socket);
	return TRUE;
}
