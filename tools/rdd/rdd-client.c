/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The CLI's HTTP client: libsoup 3 over the instance's unix socket (a SoupSession whose
 * remote-connectable is the socket), synchronous, one keep-alive connection for a command's
 * requests and one connection per watch, with Kubernetes Status errors turned back into
 * GErrors. The session is trimmed to what a unix socket needs: no proxy resolver, no TLS
 * database, no content decoding, no authentication manager, so that nothing loads a GIO module
 * or asks GSettings/D-Bus at start-up.
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>

#include "rdd-client.h"

/* limits on what the daemon may send: it is trusted, but a bug must not exhaust memory */
#define RDD_CLIENT_MAX_BODY_BYTES (256 * 1024 * 1024)
#define RDD_CLIENT_IO_TIMEOUT_SEC 60
/* requests of one command are sequential and a watch holds one more connection at most; the
 * pool is larger all the same, as a synchronous send that finds every connection busy waits */
#define RDD_CLIENT_MAX_CONNS 16

struct _RddClientResponse {
	SoupMessage *msg;
	GCancellable *cancellable; /* of the exchange: cancelled to drop an unfinished body */
	GDataInputStream *body;	   /* over libsoup's body stream */
	gboolean eof;
};

struct _RddClient {
	GObject parent_instance;
	gchar *socket_path;
	SoupSession *session; /* made on the first request */
};

G_DEFINE_FINAL_TYPE(RddClient, rdd_client, G_TYPE_OBJECT)

static void
rdd_client_finalize(GObject *object)
{
	RddClient *self = RDD_CLIENT(object);
	if (self->session != NULL)
		soup_session_abort(self->session);
	g_clear_object(&self->session);
	g_free(self->socket_path);
	G_OBJECT_CLASS(rdd_client_parent_class)->finalize(object);
}

static void
rdd_client_class_init(RddClientClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rdd_client_finalize;
}

static void
rdd_client_init(RddClient *self)
{
}

/**
 * rdd_client_new:
 * @socket_path: the daemon's unix socket
 *
 * Returns: (transfer full): a client; it connects on its first request
 *
 * Since: 0.1
 */
RddClient *
rdd_client_new(const gchar *socket_path)
{
	RddClient *self;
	g_return_val_if_fail(socket_path != NULL, NULL);
	self = g_object_new(RDD_TYPE_CLIENT, NULL);
	self->socket_path = g_strdup(socket_path);
	return self;
}

/* the session, made on first use: a command that sends nothing pays nothing for it */
static SoupSession *
rdd_client_get_session(RddClient *self)
{
	g_autoptr(GSocketAddress) addr = NULL;

	if (self->session != NULL)
		return self->session;
	addr = g_unix_socket_address_new(self->socket_path);
	/* proxy-resolver and tls-database NULL: never resolve their defaults (GProxyResolver
	 * from GSettings/libproxy, the GTlsBackend of glib-networking) for a unix socket */
	/* clang-format off */
	self->session = soup_session_new_with_options("remote-connectable", addr,
						      "proxy-resolver", NULL,
						      "tls-database", NULL,
						      "user-agent", "rdd/" PACKAGE_VERSION,
						      "timeout", RDD_CLIENT_IO_TIMEOUT_SEC,
						      "max-conns", RDD_CLIENT_MAX_CONNS,
						      "max-conns-per-host", RDD_CLIENT_MAX_CONNS,
						      NULL);
	/* clang-format on */
	/* the daemon neither compresses nor authenticates */
	soup_session_remove_feature_by_type(self->session, SOUP_TYPE_CONTENT_DECODER);
	soup_session_remove_feature_by_type(self->session, SOUP_TYPE_AUTH_MANAGER);
	return self->session;
}

/* any failure to talk to the daemon: %RDD_ERROR_BUSY, so callers can tell it from a refusal;
 * a response libsoup could not parse is a defect of the daemon */
static void
rdd_client_transport_error(GError **error, const GError *error_io)
{
	if (error_io != NULL && error_io->domain == SOUP_SESSION_ERROR) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "the daemon sent a malformed response: %s", error_io->message);
		return;
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "cannot reach the daemon: %s",
		    error_io != NULL ? error_io->message : "the connection was closed");
}

/* a request target must be an absolute path without spaces or control characters */
static gboolean
rdd_client_check_path(const gchar *path, GError **error)
{
	if (path == NULL || path[0] != '/') {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "invalid request path %s", path);
		return FALSE;
	}
	for (const gchar *p = path; *p != '\0'; p++) {
		if ((guchar)*p <= 0x20 || *p == 0x7f) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "invalid request path %s", path);
			return FALSE;
		}
	}
	return TRUE;
}

/* a message to the daemon; the host of the URL is only the Host header */
static SoupMessage *
rdd_client_message_new(const gchar *method, const gchar *path, const gchar *accept, GError **error)
{
	g_autofree gchar *uri = NULL;
	SoupMessage *msg;

	if (!rdd_client_check_path(path, error))
		return NULL;
	uri = g_strconcat("http://localhost", path, NULL);
	msg = soup_message_new(method, uri);
	if (msg == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "invalid request path %s", path);
		return NULL;
	}
	soup_message_headers_replace(soup_message_get_request_headers(msg), "Accept",
				     accept != NULL ? accept : "application/json");
	return msg;
}

/* the body's declared length, when the daemon declared one, must be within the limit;
 * @length: (out) (optional): that length, 0 when none was declared */
static gboolean
rdd_client_check_length(SoupMessage *msg, gsize *length, GError **error)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	goffset len;

	if (length != NULL)
		*length = 0;
	if (soup_message_headers_get_encoding(headers) != SOUP_ENCODING_CONTENT_LENGTH)
		return TRUE;
	len = soup_message_headers_get_content_length(headers);
	if (len < 0 || len > RDD_CLIENT_MAX_BODY_BYTES) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "the daemon sent an invalid or too large Content-Length: %" G_GOFFSET_FORMAT, len);
		return FALSE;
	}
	if (length != NULL)
		*length = (gsize)len;
	return TRUE;
}

/* reads @stream to its end, at most %RDD_CLIENT_MAX_BODY_BYTES */
static GBytes *
rdd_client_read_stream(GInputStream *stream, gsize size_hint, GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(MIN(size_hint, 1024 * 1024) + 1);
	gchar chunk[16384];

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(stream, chunk, sizeof(chunk), NULL, &error_local);
		if (n < 0) {
			rdd_client_transport_error(error, error_local);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > RDD_CLIENT_MAX_BODY_BYTES) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "the daemon sent a body larger than %u bytes",
				    (guint)RDD_CLIENT_MAX_BODY_BYTES);
			return NULL;
		}
		g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* the warning text of a `Warning: 299 - "text"` header */
static gchar *
rdd_client_warning_text(const gchar *value)
{
	const gchar *quote = strchr(value, '"');
	if (quote != NULL && g_str_has_suffix(quote + 1, "\""))
		return g_strndup(quote + 1, strlen(quote + 1) - 1);
	return g_strdup(value);
}

static void
rdd_client_collect_warnings(SoupMessage *msg, GPtrArray *warnings)
{
	SoupMessageHeadersIter iter;
	const gchar *name, *value;

	if (warnings == NULL)
		return;
	soup_message_headers_iter_init(&iter, soup_message_get_response_headers(msg));
	while (soup_message_headers_iter_next(&iter, &name, &value)) {
		if (g_ascii_strcasecmp(name, "Warning") == 0)
			g_ptr_array_add(warnings, rdd_client_warning_text(value));
	}
}

/*
 * One request and its whole response on the session's keep-alive connection.
 *
 * A connection the daemon closed while it was idle: libsoup sends an idempotent request (GET,
 * HEAD, PUT, DELETE) again by itself on a new connection; a non-idempotent one (POST, PATCH)
 * never goes out on an idle connection at all (libsoup opens a new one for it), so it cannot
 * meet a stale connection and is never sent twice.
 */
static SoupMessage *
rdd_client_exchange(RddClient *self,
		    const gchar *method,
		    const gchar *path,
		    const gchar *accept,
		    const gchar *content_type,
		    const gchar *body,
		    GBytes **bytes,
		    GError **error)
{
	g_autoptr(SoupMessage) msg = rdd_client_message_new(method, path, accept, error);
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error_local = NULL;
	gsize length = 0;

	if (msg == NULL)
		return NULL;
	if (body != NULL) {
		g_autoptr(GBytes) req = g_bytes_new(body, strlen(body));
		soup_message_set_request_body_from_bytes(
			msg, content_type != NULL ? content_type : "application/json", req);
	}
	stream = soup_session_send(rdd_client_get_session(self), msg, NULL, &error_local);
	if (stream == NULL) {
		rdd_client_transport_error(error, error_local);
		return NULL;
	}
	if (!rdd_client_check_length(msg, &length, error))
		return NULL;
	*bytes = rdd_client_read_stream(stream, length, error);
	if (*bytes == NULL)
		return NULL;
	/* read to its end and closed: the connection goes back to the session for the next
	 * request; the response is complete, a failure here only means it is not reused */
	g_input_stream_close(stream, NULL, NULL);
	return g_steal_pointer(&msg);
}

/**
 * rdd_client_request_raw:
 * @self: a client
 * @method: the HTTP method
 * @path: the path and query
 * @accept: (nullable): the Accept header
 * @status: (out) (optional): the HTTP status
 * @error: return location for an error
 *
 * Returns: (transfer full): the response body whatever the status, or %NULL with
 *   %RDD_ERROR_BUSY when the daemon could not be reached
 *
 * Since: 0.1
 */
GBytes *
rdd_client_request_raw(RddClient *self, const gchar *method, const gchar *path, const gchar *accept, guint *status, GError **error)
{
	g_autoptr(SoupMessage) msg = NULL;
	GBytes *bytes = NULL;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(method != NULL, NULL);
	msg = rdd_client_exchange(self, method, path, accept, NULL, NULL, &bytes, error);
	if (msg == NULL)
		return NULL;
	if (status != NULL)
		*status = soup_message_get_status(msg);
	return bytes;
}

/**
 * rdd_client_error_from_status:
 * @status: the HTTP status
 * @body: (nullable): the response body, a Kubernetes Status when the daemon sent it
 * @error: return location for an error
 *
 * Returns: %TRUE for a success status, else %FALSE with @error set from the Status
 */
gboolean
rdd_client_error_from_status(guint status, GBytes *body, GError **error)
{
	g_autoptr(JsonNode) node = NULL;
	const gchar *reason, *message;
	JsonNode *causes;
	GError *error_new;
	RddError code;

	if (status >= 200 && status < 300)
		return TRUE;
	if (body != NULL && g_bytes_get_size(body) > 0)
		node = rdd_json_parse(g_bytes_get_data(body, NULL), (gssize)g_bytes_get_size(body), NULL);
	reason = rdd_json_lookup_string(node, "reason");
	message = rdd_json_lookup_string(node, "message");
	code = reason != NULL ? rdd_error_code_from_reason(reason) : RDD_ERROR_INTERNAL;
	if (reason == NULL) {
		switch (status) {
		case 400:
			code = RDD_ERROR_BAD_REQUEST;
			break;
		case 401:
			code = RDD_ERROR_UNAUTHORIZED;
			break;
		case 403:
			code = RDD_ERROR_FORBIDDEN;
			break;
		case 404:
			code = RDD_ERROR_NOT_FOUND;
			break;
		case 409:
			code = RDD_ERROR_CONFLICT;
			break;
		case 410:
			code = RDD_ERROR_GONE;
			break;
		case 422:
			code = RDD_ERROR_INVALID;
			break;
		case 503:
			code = RDD_ERROR_BUSY;
			break;
		case 504:
			code = RDD_ERROR_TIMED_OUT;
			break;
		default:
			code = RDD_ERROR_INTERNAL;
			break;
		}
	}
	if (message != NULL)
		error_new = g_error_new_literal(RDD_ERROR, code, message);
	else
		error_new = g_error_new(RDD_ERROR, code, "%s (HTTP %u)",
					soup_status_get_phrase(status), status);
	causes = rdd_json_lookup(node, "details.causes");
	if (causes != NULL && JSON_NODE_HOLDS_ARRAY(causes)) {
		JsonArray *arr = json_node_get_array(causes);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *cause = json_array_get_element(arr, i);
			rdd_error_add_cause(error_new, rdd_json_lookup_string(cause, "reason"),
					    rdd_json_lookup_string(cause, "field"),
					    rdd_json_lookup_string(cause, "message"));
		}
	}
	g_propagate_error(error, error_new);
	return FALSE;
}

/**
 * rdd_client_request:
 * @self: a client
 * @method: the HTTP method
 * @path: the path and query
 * @content_type: (nullable): the body's content type
 * @body: (nullable): the body
 * @warnings: (nullable) (element-type utf8): receives the response's warnings
 * @error: return location for an error
 *
 * Returns: (transfer full): the parsed JSON response, or %NULL with an error from the daemon's
 *   Status (code from its reason) or %RDD_ERROR_BUSY when the daemon cannot be reached
 *
 * Since: 0.1
 */
JsonNode *
rdd_client_request(RddClient *self,
		   const gchar *method,
		   const gchar *path,
		   const gchar *content_type,
		   const gchar *body,
		   GPtrArray *warnings,
		   GError **error)
{
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GBytes) bytes = NULL;
	JsonNode *node;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(method != NULL, NULL);
	msg = rdd_client_exchange(self, method, path, NULL, content_type, body, &bytes, error);
	if (msg == NULL)
		return NULL;
	rdd_client_collect_warnings(msg, warnings);
	if (!rdd_client_error_from_status(soup_message_get_status(msg), bytes, error))
		return NULL;
	node = rdd_json_parse(g_bytes_get_data(bytes, NULL), (gssize)g_bytes_get_size(bytes), error);
	if (node == NULL)
		g_prefix_error(error, "the daemon sent a response that is not JSON: ");
	return node;
}

/**
 * rdd_client_ping:
 * @self: a client
 * @error: return location for an error
 *
 * Returns: %TRUE when the daemon answers `/readyz` with ok
 *
 * Since: 0.1
 */
gboolean
rdd_client_ping(RddClient *self, GError **error)
{
	guint status = 0;
	g_autoptr(GBytes) bytes = rdd_client_request_raw(self, "GET", "/readyz", "text/plain", &status, error);
	if (bytes == NULL)
		return FALSE;
	if (status != 200) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "the daemon is not ready yet (HTTP %u)", status);
		return FALSE;
	}
	return TRUE;
}

/* a watch's own connection reads with the watch's I/O timeout: set once libsoup is done
 * setting up the socket (it applies the session's timeout just before COMPLETE) */
static void
rdd_client_network_event_cb(SoupMessage *msg, GSocketClientEvent event, GIOStream *connection, gpointer user_data)
{
	guint timeout_sec = GPOINTER_TO_UINT(user_data);
	if (event == G_SOCKET_CLIENT_COMPLETE && G_IS_SOCKET_CONNECTION(connection))
		g_socket_set_timeout(g_socket_connection_get_socket(G_SOCKET_CONNECTION(connection)), timeout_sec);
}

/**
 * rdd_client_open:
 * @self: a client
 * @path: the path and query of a GET, e.g. a watch
 * @io_timeout_sec: how long a read may wait before it reports a timeout
 * @error: return location for an error
 *
 * Sends a GET on a connection of its own and reads the response's head; the body is read as
 * it arrives with rdd_client_response_read_line().
 *
 * Returns: (transfer full): the response, or %NULL with %RDD_ERROR_BUSY when the daemon
 *   could not be reached
 *
 * Since: 0.1
 */
RddClientResponse *
rdd_client_open(RddClient *self, const gchar *path, guint io_timeout_sec, GError **error)
{
	g_autoptr(RddClientResponse) resp = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	resp = g_new0(RddClientResponse, 1);
	resp->msg = rdd_client_message_new("GET", path, "application/json", error);
	if (resp->msg == NULL)
		return NULL;
	resp->cancellable = g_cancellable_new();
	/* its own connection, with its own timeout, never given back to the session */
	soup_message_add_flags(resp->msg, SOUP_MESSAGE_NEW_CONNECTION);
	soup_message_headers_replace(soup_message_get_request_headers(resp->msg), "Connection", "close");
	g_signal_connect(resp->msg, "network-event", G_CALLBACK(rdd_client_network_event_cb),
			 GUINT_TO_POINTER(io_timeout_sec));
	stream = soup_session_send(rdd_client_get_session(self), resp->msg, resp->cancellable, &error_local);
	if (stream == NULL) {
		rdd_client_transport_error(error, error_local);
		return NULL;
	}
	resp->body = g_data_input_stream_new(stream);
	g_data_input_stream_set_newline_type(resp->body, G_DATA_STREAM_NEWLINE_TYPE_LF);
	return g_steal_pointer(&resp);
}

/**
 * rdd_client_response_get_status:
 * @response: a response
 *
 * Returns: its HTTP status
 *
 * Since: 0.1
 */
guint
rdd_client_response_get_status(RddClientResponse *response)
{
	g_return_val_if_fail(response != NULL, 0);
	return soup_message_get_status(response->msg);
}

/**
 * rdd_client_response_read_line:
 * @response: a response
 * @timed_out: (out) (optional): set when nothing arrived within the connection's I/O timeout;
 *   the call can be repeated
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the next line of the body without its end, or %NULL at
 *   the end of the body, at a timeout, or with @error set
 *
 * Since: 0.1
 */
gchar *
rdd_client_response_read_line(RddClientResponse *response, gboolean *timed_out, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	gchar *line;

	g_return_val_if_fail(response != NULL, NULL);
	if (timed_out != NULL)
		*timed_out = FALSE;
	if (response->eof)
		return NULL;
	/* a read that timed out leaves what arrived of the line buffered for the next call */
	line = g_data_input_stream_read_line(response->body, &len, NULL, &error_local);
	if (line == NULL) {
		if (error_local == NULL) {
			response->eof = TRUE;
			return NULL;
		}
		if (timed_out != NULL && g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
			*timed_out = TRUE;
			return NULL;
		}
		rdd_client_transport_error(error, error_local);
		return NULL;
	}
	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}

/**
 * rdd_client_response_read_all:
 * @response: a response
 * @error: return location for an error
 *
 * Returns: (transfer full): the rest of the body
 *
 * Since: 0.1
 */
GBytes *
rdd_client_response_read_all(RddClientResponse *response, GError **error)
{
	GBytes *bytes;

	g_return_val_if_fail(response != NULL, NULL);
	if (response->eof)
		return g_bytes_new(NULL, 0);
	if (!rdd_client_check_length(response->msg, NULL, error))
		return NULL;
	bytes = rdd_client_read_stream(G_INPUT_STREAM(response->body), 0, error);
	if (bytes != NULL)
		response->eof = TRUE;
	return bytes;
}

/**
 * rdd_client_response_free:
 * @response: (nullable): a response
 *
 * Frees the response and closes its connection, without reading what is left of the body.
 *
 * Since: 0.1
 */
void
rdd_client_response_free(RddClientResponse *response)
{
	if (response == NULL)
		return;
	if (response->body != NULL) {
		/* libsoup would otherwise read the rest of the body (a watch: until it ends) to
		 * reuse the connection; cancelled, it drops the connection at once */
		if (!response->eof)
			g_cancellable_cancel(response->cancellable);
		g_input_stream_close(G_INPUT_STREAM(response->body), response->cancellable, NULL);
		g_object_unref(response->body);
	}
	g_clear_object(&response->msg);
	g_clear_object(&response->cancellable);
	g_free(response);
}
