/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Watch streams. A watcher is only a cursor into the store's shared event history plus the
 * bytes the client has not read yet: when the store commits, each watcher reads the new
 * events after its cursor, filters them, and writes them as one chunk. A client that does not
 * keep up cannot grow the daemon's memory: once its unread bytes pass the limit, its watch
 * ends with an ERROR event (410 Expired) that tells it to list again.
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

/* how often a watch that asked for bookmarks gets one */
#define RDD_API_WATCH_BOOKMARK_S 10
/* how long a watch runs when the client gives no timeoutSeconds */
#define RDD_API_WATCH_DEFAULT_TIMEOUT_S 1800
/* how long an ended watch may take to drain before its connection is closed */
#define RDD_API_WATCH_DRAIN_S 5

typedef struct {
	RddApiServer *server;
	RddStore *store;
	SoupServerMessage *msg;
	RddKind *kind;
	gchar *namespace;
	RddSelector *labels;
	RddSelector *fields;
	guint64 cursor; /* every event up to here was looked at */
	gboolean bookmarks;
	gboolean table;	      /* kubectl get -w: each event's object is a one-row Table */
	guint table_include;
	gboolean table_columns_sent;
	gsize unread;	/* bytes appended and not yet written to the client */
	gsize limit;
	gboolean ended;
	gulong committed_id;
	gulong finished_id;
	gulong disconnected_id;
	gulong wrote_id;
	guint timeout_id;
	guint bookmark_id;
	guint drain_id;
} RddApiWatcher;

static void
rdd_api_watch_free(RddApiWatcher *self)
{
	g_clear_signal_handler(&self->committed_id, self->store);
	g_clear_signal_handler(&self->finished_id, self->msg);
	g_clear_signal_handler(&self->disconnected_id, self->msg);
	g_clear_signal_handler(&self->wrote_id, self->msg);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->bookmark_id, g_source_remove);
	g_clear_handle_id(&self->drain_id, g_source_remove);
	rdd_api_server_count_watcher(self->server, -1);
	g_clear_object(&self->server);
	g_clear_object(&self->store);
	g_clear_object(&self->msg);
	g_clear_object(&self->kind);
	g_free(self->namespace);
	g_clear_pointer(&self->labels, rdd_selector_unref);
	g_clear_pointer(&self->fields, rdd_selector_unref);
	g_free(self);
}

static void
rdd_api_watch_write(RddApiWatcher *self, GString *chunk)
{
	SoupMessageBody *body = soup_server_message_get_response_body(self->msg);
	gsize len = chunk->len;
	self->unread += len;
	soup_message_body_append(body, SOUP_MEMORY_TAKE, g_string_free(chunk, FALSE), len);
	soup_server_message_unpause(self->msg);
}

static gboolean
rdd_api_watch_drain_cb(gpointer user_data)
{
	RddApiWatcher *self = user_data;
	g_autoptr(GIOStream) stream = NULL;

	self->drain_id = 0;
	/* the client stopped reading: drop the connection and everything queued for it */
	g_info("closing a watch of %s whose client stopped reading", rdd_kind_get_qualified_plural(self->kind));
	stream = soup_server_message_steal_connection(self->msg);
	if (stream != NULL)
		g_io_stream_close(stream, NULL, NULL);
	return G_SOURCE_REMOVE;
}

/* ends the stream; the watcher is freed when the message finishes */
static void
rdd_api_watch_end(RddApiWatcher *self, GString *last)
{
	if (self->ended) {
		if (last != NULL)
			g_string_free(last, TRUE);
		return;
	}
	self->ended = TRUE;
	g_clear_signal_handler(&self->committed_id, self->store);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->bookmark_id, g_source_remove);
	if (last != NULL) {
		/* write even past the limit: it is small, and it tells the client what to do */
		SoupMessageBody *body = soup_server_message_get_response_body(self->msg);
		gsize len = last->len;
		self->unread += len;
		soup_message_body_append(body, SOUP_MEMORY_TAKE, g_string_free(last, FALSE), len);
	}
	soup_message_body_complete(soup_server_message_get_response_body(self->msg));
	soup_server_message_unpause(self->msg);
	if (self->unread > 0)
		self->drain_id = g_timeout_add_seconds(RDD_API_WATCH_DRAIN_S, rdd_api_watch_drain_cb, self);
}

static GString *
rdd_api_watch_error_event(RddError code, const gchar *message)
{
	g_autoptr(GError) error = g_error_new_literal(RDD_ERROR, code, message);
	g_autoptr(GString) status = rdd_api_status_new(error, NULL, NULL);
	GString *out = g_string_new("{\"object\":");
	g_string_append_len(out, status->str, status->len);
	g_string_append(out, ",\"type\":\"ERROR\"}\n");
	return out;
}

static void
rdd_api_watch_append_event(RddApiWatcher *self, GString *out, const gchar *type, RddObject *object)
{
	gsize len = 0;
	const gchar *json = rdd_object_get_json(object, &len);
	g_string_append(out, "{\"object\":");
	if (self->table) {
		/* as kube-apiserver does: column definitions in the first event only */
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		g_autoptr(GError) error_local = NULL;
		GString *table;
		g_ptr_array_add(one, object);
		table = rdd_api_table_render_full(self->kind,
						  one,
						  rdd_object_get_resource_version(object),
						  NULL,
						  self->table_include,
						  !self->table_columns_sent,
						  &error_local);
		if (table != NULL) {
			self->table_columns_sent = TRUE;
			g_string_append_len(out, table->str, table->len);
			g_string_free(table, TRUE);
		} else {
			g_warning("cannot render a watch event as a table: %s", error_local->message);
			g_string_append_len(out, json, len);
		}
	} else {
		g_string_append_len(out, json, len);
	}
	g_string_append(out, ",\"type\":\"");
	g_string_append(out, type);
	g_string_append(out, "\"}\n");
}

static const gchar *
rdd_api_watch_field_lookup(const gchar *key, gpointer user_data)
{
	return rdd_object_get_field(user_data, key);
}

static gboolean
rdd_api_watch_matches(RddApiWatcher *self, RddObject *object)
{
	if (object == NULL || rdd_object_get_kind(object) != self->kind)
		return FALSE;
	if (self->namespace != NULL && g_strcmp0(rdd_object_get_namespace(object), self->namespace) != 0)
		return FALSE;
	if (self->labels != NULL && !rdd_selector_matches_pairs(self->labels, rdd_object_get_labels(object)))
		return FALSE;
	if (self->fields != NULL && !rdd_selector_matches(self->fields, rdd_api_watch_field_lookup, object))
		return FALSE;
	return TRUE;
}

typedef struct {
	RddApiWatcher *watcher;
	GString *out;
	guint64 upto;
} RddApiWatchBatch;

static gboolean
rdd_api_watch_event_cb(const RddEvent *event, gpointer user_data)
{
	RddApiWatchBatch *batch = user_data;
	RddApiWatcher *self = batch->watcher;
	guint64 rv = rdd_object_get_resource_version(event->object);
	gboolean now, before;

	if (rv > batch->upto)
		return FALSE; /* not committed yet: the next commit brings it */
	self->cursor = rv;
	if (rdd_object_get_kind(event->object) != self->kind)
		return TRUE;
	now = rdd_api_watch_matches(self, event->object);
	switch (event->type) {
	case RDD_EVENT_ADDED:
		if (now)
			rdd_api_watch_append_event(self, batch->out, "ADDED", event->object);
		break;
	case RDD_EVENT_DELETED:
		if (now)
			rdd_api_watch_append_event(self, batch->out, "DELETED", event->object);
		break;
	case RDD_EVENT_MODIFIED:
	default:
		/* an object moving in or out of the selection is ADDED or DELETED for this watch */
		before = rdd_api_watch_matches(self, event->old_object);
		if (now && before)
			rdd_api_watch_append_event(self, batch->out, "MODIFIED", event->object);
		else if (now)
			rdd_api_watch_append_event(self, batch->out, "ADDED", event->object);
		else if (before)
			rdd_api_watch_append_event(self, batch->out, "DELETED", event->object);
		break;
	}
	return TRUE;
}

static void
rdd_api_watch_deliver(RddApiWatcher *self, guint64 upto)
{
	RddApiWatchBatch batch = {self, g_string_new(NULL), upto};
	g_autoptr(GError) error_local = NULL;

	if (self->ended || self->cursor >= upto) {
		g_string_free(batch.out, TRUE);
		return;
	}
	if (!rdd_store_foreach_event_since(self->store, self->cursor, rdd_api_watch_event_cb, &batch, &error_local)) {
		g_string_free(batch.out, TRUE);
		rdd_api_watch_end(self, rdd_api_watch_error_event(RDD_ERROR_GONE, error_local->message));
		return;
	}
	if (batch.out->len == 0) {
		g_string_free(batch.out, TRUE);
		return;
	}
	if (self->unread + batch.out->len > self->limit) {
		g_autofree gchar *msg = g_strdup_printf(
		    "the watch fell %" G_GSIZE_FORMAT " bytes behind (limit %" G_GSIZE_FORMAT
		    "): the client reads too slowly; list again and start a new watch",
		    self->unread + batch.out->len,
		    self->limit);
		g_string_free(batch.out, TRUE);
		rdd_api_watch_end(self, rdd_api_watch_error_event(RDD_ERROR_GONE, msg));
		return;
	}
	rdd_api_watch_write(self, batch.out);
}

static void
rdd_api_watch_committed_cb(RddStore *store, guint64 rv, gpointer user_data)
{
	rdd_api_watch_deliver(user_data, rv);
}

static void
rdd_api_watch_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data)
{
	RddApiWatcher *self = user_data;
	self->unread = size > self->unread ? 0 : self->unread - size;
}

static void
rdd_api_watch_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	rdd_api_watch_free(user_data);
}

static gboolean
rdd_api_watch_timeout_cb(gpointer user_data)
{
	RddApiWatcher *self = user_data;
	self->timeout_id = 0;
	rdd_api_watch_end(self, NULL);
	return G_SOURCE_REMOVE;
}

/* a BOOKMARK at the cursor; @initial_end marks the end of the initial events of a streaming
 * list (sendInitialEvents) as Kubernetes does, with an annotation */
static void
rdd_api_watch_write_bookmark(RddApiWatcher *self, gboolean initial_end)
{
	GString *out = g_string_new("{\"object\":{\"apiVersion\":");
	rdd_json_write_string(out, rdd_kind_get_api_version(self->kind));
	g_string_append(out, ",\"kind\":");
	rdd_json_write_string(out, rdd_kind_get_name(self->kind));
	g_string_append(out, ",\"metadata\":{");
	if (initial_end)
		g_string_append(out, "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"},");
	g_string_append_printf(out,
			       "\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"}},\"type\":\"BOOKMARK\"}\n",
			       self->cursor);
	rdd_api_watch_write(self, out);
}

static gboolean
rdd_api_watch_bookmark_cb(gpointer user_data)
{
	RddApiWatcher *self = user_data;
	if (self->unread > 0)
		return G_SOURCE_CONTINUE; /* the client is behind: a bookmark would not help */
	rdd_api_watch_write_bookmark(self, FALSE);
	return G_SOURCE_CONTINUE;
}

/**
 * rdd_api_watch_start:
 * @req: a GET of a collection with `watch=true`
 *
 * Starts a chunked stream of `{"type":…,"object":…}` lines. Without a resourceVersion (or with
 * `0`), the stream begins with ADDED events for every matching object; with one, it replays the
 * history after it, or ends at once with an ERROR event 410 when the history no longer reaches
 * that far. Honours labelSelector, fieldSelector, timeoutSeconds and allowWatchBookmarks.
 */
void
rdd_api_watch_start(RddApiRequest *req)
{
	RddApiWatcher *self;
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(req->msg);
	const gchar *rv_text = rdd_api_query(req, "resourceVersion");
	const gchar *timeout_text = rdd_api_query(req, "timeoutSeconds");
	const gchar *match = rdd_api_query(req, "resourceVersionMatch");
	gboolean bookmarks = FALSE, initial_events = FALSE;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RddSelector) labels = NULL;
	g_autoptr(RddSelector) fields = NULL;
	guint64 rv = 0, timeout = RDD_API_WATCH_DEFAULT_TIMEOUT_S;
	RddStore *store = rdd_api_server_get_store(req->server);
	const gchar *text;

	text = rdd_api_query(req, "labelSelector");
	if (text != NULL && text[0] != '\0' && (labels = rdd_selector_parse_labels(text, &error_local)) == NULL) {
		rdd_api_respond_error(req->msg, error_local, req->kind, NULL);
		return;
	}
	text = rdd_api_query(req, "fieldSelector");
	if (text != NULL && text[0] != '\0' && (fields = rdd_selector_parse_fields(text, &error_local)) == NULL) {
		rdd_api_respond_error(req->msg, error_local, req->kind, NULL);
		return;
	}
	if (fields != NULL) {
		/* reuse the store's check of which fields a kind supports */
		RddListOptions probe = {.field_selector = fields, .limit = 1};
		g_autoptr(RddListResult) result = rdd_store_list(store, req->kind, &probe, &error_local);
		if (result == NULL) {
			rdd_api_respond_error(req->msg, error_local, req->kind, NULL);
			return;
		}
	}
	if (rv_text != NULL && rv_text[0] != '\0' &&
	    !g_ascii_string_to_unsigned(rv_text, 10, 0, G_MAXUINT64, &rv, NULL)) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, NULL,
				       "resourceVersion: Invalid value: \"%s\": must be a number", rv_text);
		return;
	}
	if (!rdd_api_query_bool(req, "allowWatchBookmarks", &bookmarks, &error_local) ||
	    !rdd_api_query_bool(req, "sendInitialEvents", &initial_events, &error_local)) {
		rdd_api_respond_error(req->msg, error_local, req->kind, NULL);
		return;
	}
	/* the rules of kube-apiserver for streaming lists */
	if (rdd_api_query(req, "sendInitialEvents") != NULL && g_strcmp0(match, "NotOlderThan") != 0) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, NULL,
				       "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
				       "resourceVersionMatch to NotOlderThan");
		return;
	}
	if (match != NULL && match[0] != '\0' && rdd_api_query(req, "sendInitialEvents") == NULL) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, NULL,
				       "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch "
				       "unless sendInitialEvents is provided");
		return;
	}
	if (initial_events && !bookmarks) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, NULL,
				       "allowWatchBookmarks: Forbidden: allowWatchBookmarks must be true when "
				       "sendInitialEvents is true");
		return;
	}
	if (initial_events && rv > rdd_store_get_resource_version(store)) {
		rdd_api_respond_status(req->msg, RDD_ERROR_TIMED_OUT, req->kind, NULL,
				       "Too large resource version: %" G_GUINT64_FORMAT ", current: %" G_GUINT64_FORMAT,
				       rv, rdd_store_get_resource_version(store));
		return;
	}
	if (timeout_text != NULL && timeout_text[0] != '\0' &&
	    !g_ascii_string_to_unsigned(timeout_text, 10, 0, G_MAXUINT32, &timeout, NULL)) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, NULL,
				       "timeoutSeconds: Invalid value: \"%s\": must be a whole number", timeout_text);
		return;
	}

	self = g_new0(RddApiWatcher, 1);
	self->server = g_object_ref(req->server);
	self->store = g_object_ref(store);
	self->msg = g_object_ref(req->msg);
	self->kind = g_object_ref(req->kind);
	self->namespace = g_strdup(req->namespace);
	self->labels = g_steal_pointer(&labels);
	self->fields = g_steal_pointer(&fields);
	self->limit = rdd_api_server_get_watch_queue_limit(req->server);
	self->bookmarks = bookmarks;
	rdd_api_server_count_watcher(req->server, 1);

	soup_server_message_set_status(req->msg, SOUP_STATUS_OK, NULL);
	/* drop each chunk once it is written: by default libsoup keeps the whole response */
	soup_message_body_set_accumulate(soup_server_message_get_response_body(req->msg), FALSE);
	soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
	soup_message_headers_replace(headers, "Content-Type", "application/json");
	self->finished_id = g_signal_connect(req->msg, "finished", G_CALLBACK(rdd_api_watch_finished_cb), self);
	self->wrote_id = g_signal_connect(req->msg, "wrote-body-data", G_CALLBACK(rdd_api_watch_wrote_cb), self);

	if (rv == 0 || initial_events) {
		/* no starting point, or a streaming list: the current state as ADDED events (at
		 * least as new as any resourceVersion given), then changes */
		RddListOptions options = {.namespace = self->namespace, .label_selector = self->labels, .field_selector = self->fields};
		g_autoptr(RddListResult) result = rdd_store_list(store, self->kind, &options, NULL);
		GString *out = g_string_new(NULL);
		for (guint i = 0; result != NULL && i < result->items->len; i++)
			rdd_api_watch_append_event(self, out, "ADDED", g_ptr_array_index(result->items, i));
		self->cursor = result != NULL ? result->resource_version : rdd_store_get_resource_version(store);
		if (out->len > 0)
			rdd_api_watch_write(self, out);
		else
			g_string_free(out, TRUE);
		if (initial_events)
			rdd_api_watch_write_bookmark(self, TRUE);
	} else if (rv < rdd_store_get_oldest_resource_version(store)) {
		g_autofree gchar *msg = g_strdup_printf("too old resource version: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT ")",
							rv,
							rdd_store_get_oldest_resource_version(store));
		rdd_api_watch_end(self, rdd_api_watch_error_event(RDD_ERROR_GONE, msg));
		return;
	} else {
		self->cursor = rv;
	}
	self->committed_id = g_signal_connect(store, "committed", G_CALLBACK(rdd_api_watch_committed_cb), self);
	if (timeout > 0)
		self->timeout_id = g_timeout_add_seconds(timeout, rdd_api_watch_timeout_cb, self);
	if (self->bookmarks)
		self->bookmark_id = g_timeout_add_seconds(RDD_API_WATCH_BOOKMARK_S, rdd_api_watch_bookmark_cb, self);
	/* what is already committed after the starting point goes out now */
	rdd_api_watch_deliver(self, rdd_store_get_committed_resource_version(store));
}
