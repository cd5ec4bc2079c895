/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Following one object until a condition holds: get it, then watch it from that
 * resourceVersion; whenever a watch ends (the daemon closed it, a timeout, 410 Gone), get it
 * again and watch again. A daemon that cannot be reached (stopped, restarting) is tried again
 * with a growing pause, up to two seconds. Only the caller's deadline ends the wait.
 */

#include "config.h"

#include "rdd-watch.h"

/* pauses between attempts to reach a daemon that is away */
#define RDD_WATCH_BACKOFF_MIN_USEC (50 * 1000)
#define RDD_WATCH_BACKOFF_MAX_USEC (2 * G_USEC_PER_SEC)

typedef struct {
	RddCli *cli;
	gint64 started;
	gint64 deadline;
	RddWatchFunc func;
	RddWatchProgress progress;
	gpointer user_data;
	gint64 backoff; /* the next pause, grown while the daemon is away */
} RddWatch;

static void
rdd_watch_tick(RddWatch *self)
{
	if (self->progress != NULL)
		self->progress(g_get_monotonic_time() - self->started, self->user_data);
}

/* the daemon went away or is not back yet: worth trying again until the deadline */
static gboolean
rdd_watch_is_transient(const GError *error)
{
	return g_error_matches(error, RDD_ERROR, RDD_ERROR_BUSY) ||
	       g_error_matches(error, RDD_ERROR, RDD_ERROR_GONE);
}

/* sleeps the current backoff (never past the deadline), drawing progress, and grows it */
static void
rdd_watch_pause(RddWatch *self)
{
	gint64 until = MIN(g_get_monotonic_time() + self->backoff, self->deadline);
	while (g_get_monotonic_time() < until) {
		rdd_watch_tick(self);
		g_usleep(MIN(until - g_get_monotonic_time(), 100 * 1000) + 1);
	}
	self->backoff = MIN(self->backoff * 2, RDD_WATCH_BACKOFF_MAX_USEC);
}

/* one stream; TRUE with *done when the caller is satisfied, TRUE alone when the stream ended;
 * a daemon that cannot be reached is %RDD_ERROR_BUSY */
static gboolean
rdd_watch_stream(RddWatch *self, const gchar *collection, const gchar *name, const gchar *rv, gboolean *done, GError **error)
{
	gint64 remaining = self->deadline == G_MAXINT64 ?
				   600 :
				   (self->deadline - g_get_monotonic_time()) / G_USEC_PER_SEC + 1;
	g_autofree gchar *esc = g_uri_escape_string(name, NULL, FALSE);
	g_autofree gchar *esc_rv = g_uri_escape_string(rv, NULL, FALSE);
	g_autofree gchar *path = NULL;
	g_autoptr(RddClientResponse) resp = NULL;

	path = g_strdup_printf("%s?watch=true&fieldSelector=metadata.name%%3D%s&resourceVersion=%s"
			       "&timeoutSeconds=%" G_GINT64_FORMAT,
			       collection, esc, esc_rv, MAX(remaining, 1));
	/* the one-second I/O timeout wakes us to draw progress and check the deadline */
	resp = rdd_client_open(self->cli->client, path, 1, error);
	if (resp == NULL)
		return FALSE; /* %RDD_ERROR_BUSY: the daemon is away */
	/* connected: the daemon is back */
	self->backoff = RDD_WATCH_BACKOFF_MIN_USEC;
	if (rdd_client_response_get_status(resp) != 200) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GBytes) body = rdd_client_response_read_all(resp, &error_local);
		return rdd_client_error_from_status(rdd_client_response_get_status(resp), body, error);
	}
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *line = NULL;
		g_autoptr(JsonNode) event = NULL;
		gboolean timed_out = FALSE;
		const gchar *type;
		RddWatchResult result;

		if (g_get_monotonic_time() >= self->deadline)
			return TRUE;
		line = rdd_client_response_read_line(resp, &timed_out, &error_local);
		rdd_watch_tick(self);
		if (line == NULL) {
			if (timed_out)
				continue;
			if (error_local != NULL)
				g_debug("the watch ended: %s", error_local->message);
			return TRUE; /* the stream ended */
		}
		if (line[0] == '\0')
			continue;
		event = rdd_json_parse(line, -1, NULL);
		type = rdd_json_lookup_string(event, "type");
		if (type == NULL || g_strcmp0(type, "ERROR") == 0 || g_strcmp0(type, "BOOKMARK") == 0) {
			if (g_strcmp0(type, "ERROR") == 0)
				return TRUE; /* e.g. 410 Gone: get and watch again */
			continue;
		}
		result = self->func(g_strcmp0(type, "DELETED") == 0 ? NULL : rdd_json_lookup(event, "object"),
				    type, self->user_data, error);
		if (result == RDD_WATCH_FAILED)
			return FALSE;
		if (result == RDD_WATCH_DONE) {
			*done = TRUE;
			return TRUE;
		}
	}
}

/**
 * rdd_watch_object:
 * @cli: the context, connected to the daemon
 * @collection: the collection path of the object's kind (and namespace)
 * @object_path: the object's path
 * @name: the object's name
 * @timeout_usec: how long to wait, 0 for ever
 * @func: decides, for each state seen, whether the wait is over
 * @progress: (nullable): called about once a second
 * @user_data: user data
 * @error: return location for an error
 *
 * Returns: %TRUE when @func said done; %FALSE with its error, or %RDD_ERROR_TIMED_OUT at the
 *   deadline
 */
gboolean
rdd_watch_object(RddCli *cli,
		 const gchar *collection,
		 const gchar *object_path,
		 const gchar *name,
		 gint64 timeout_usec,
		 RddWatchFunc func,
		 RddWatchProgress progress,
		 gpointer user_data,
		 GError **error)
{
	RddWatch self = {cli,	    g_get_monotonic_time(),    G_MAXINT64, func, progress,
			 user_data, RDD_WATCH_BACKOFF_MIN_USEC};
	g_autoptr(GError) error_last = NULL;

	g_return_val_if_fail(cli != NULL && cli->client != NULL, FALSE);
	g_return_val_if_fail(collection != NULL && object_path != NULL && name != NULL, FALSE);
	g_return_val_if_fail(func != NULL, FALSE);

	if (timeout_usec > 0)
		self.deadline = self.started + timeout_usec;
	while (g_get_monotonic_time() < self.deadline) {
		g_autoptr(GError) error_local = NULL;
		guint status = 0;
		g_autoptr(GBytes) body = NULL;
		g_autoptr(JsonNode) object = NULL;
		g_autofree gchar *rv = NULL;
		gboolean done = FALSE;
		RddWatchResult result;

		body = rdd_client_request_raw(cli->client, "GET", object_path, NULL, &status, &error_local);
		if (body != NULL && status != 200 && status != 404 &&
		    !rdd_client_error_from_status(status, body, &error_local))
			g_clear_pointer(&body, g_bytes_unref);
		if (body == NULL) {
			if (!rdd_watch_is_transient(error_local)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			g_debug("%s; trying again", error_local->message);
			g_clear_error(&error_last);
			error_last = g_steal_pointer(&error_local);
			rdd_watch_pause(&self);
			continue;
		}
		self.backoff = RDD_WATCH_BACKOFF_MIN_USEC;
		if (status == 200) {
			object = rdd_json_parse(g_bytes_get_data(body, NULL), g_bytes_get_size(body), error);
			if (object == NULL)
				return FALSE;
			rv = g_strdup(rdd_json_lookup_string(object, "metadata.resourceVersion"));
		}
		result = func(object, "LIST", user_data, error);
		if (result == RDD_WATCH_FAILED)
			return FALSE;
		if (result == RDD_WATCH_DONE)
			return TRUE;
		if (rv == NULL) {
			/* absent: watch from the store's current version for it to appear */
			g_autoptr(JsonNode) st = rdd_client_request(cli->client, "GET", "/rdd/v1/status",
								    NULL, NULL, NULL, &error_local);
			if (st == NULL) {
				if (!rdd_watch_is_transient(error_local)) {
					g_propagate_error(error, g_steal_pointer(&error_local));
					return FALSE;
				}
				g_clear_error(&error_last);
				error_last = g_steal_pointer(&error_local);
				rdd_watch_pause(&self);
				continue;
			}
			rv = g_strdup(rdd_json_lookup_string(st, "resourceVersion"));
		}
		if (!rdd_watch_stream(&self, collection, name, rv != NULL ? rv : "0", &done, &error_local)) {
			if (!rdd_watch_is_transient(error_local)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			g_debug("%s; trying again", error_local->message);
			g_clear_error(&error_last);
			error_last = g_steal_pointer(&error_local);
			rdd_watch_pause(&self);
			continue;
		}
		if (done)
			return TRUE;
		if (g_get_monotonic_time() < self.deadline)
			g_usleep(100 * 1000);
	}
	if (error_last != NULL)
		g_set_error(error, RDD_ERROR, RDD_ERROR_TIMED_OUT,
			    "context deadline exceeded (last error: %s)", error_last->message);
	else
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_TIMED_OUT, "context deadline exceeded");
	return FALSE;
}
