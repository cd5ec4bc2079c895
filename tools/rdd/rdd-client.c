/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The CLI's HTTP client: HTTP/1.1 over the instance's unix socket with GIO alone, one
 * keep-alive connection for requests and one connection per watch, with Kubernetes Status
 * errors turned back into GErrors. No libsoup: it would more than double the libraries rdd
 * loads at every start, and a one-object read is mostly process start-up.
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "rdd-client.h"

/* limits on what the daemon may send: it is trusted, but a bug must not exhaust memory */
#define RDD_CLIENT_MAX_HEAD_BYTES (64 * 1024)
#define RDD_CLIENT_MAX_BODY_BYTES (256 * 1024 * 1024)
#define RDD_CLIENT_IO_TIMEOUT_SEC 60

typedef enum {
	RDD_CLIENT_BODY_LENGTH,	 /* Content-Length bytes */
	RDD_CLIENT_BODY_CHUNKED, /* Transfer-Encoding: chunked */
	RDD_CLIENT_BODY_CLOSE,	 /* until the connection closes */
} RddClientBody;

typedef enum {
	RDD_CLIENT_CHUNK_SIZE,
	RDD_CLIENT_CHUNK_DATA,
	RDD_CLIENT_CHUNK_CRLF,
	RDD_CLIENT_CHUNK_TRAILER,
} RddClientChunkState;

typedef struct {
	GSocketConnection *conn;
	GDataInputStream *in;
} RddClientConn;

struct _RddClientResponse {
	RddClientConn *conn;
	guint status;
	gboolean keep_alive;
	GPtrArray *warnings; /* (element-type utf8) */
	RddClientBody body;
	guint64 left; /* of the Content-Length, or of the current chunk */
	RddClientChunkState chunk_state;
	GString *pending; /* decoded body bytes not read yet */
	gboolean eof;
};

struct _RddClient {
	GObject parent_instance;
	gchar *socket_path;
	RddClientConn *conn; /* the keep-alive connection, or NULL */
};

G_DEFINE_FINAL_TYPE(RddClient, rdd_client, G_TYPE_OBJECT)

static void
rdd_client_conn_free(RddClientConn *conn)
{
	if (conn == NULL)
		return;
	g_clear_object(&conn->in);
	if (conn->conn != NULL)
		g_io_stream_close(G_IO_STREAM(conn->conn), NULL, NULL);
	g_clear_object(&conn->conn);
	g_free(conn);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddClientConn, rdd_client_conn_free)

static void
rdd_client_finalize(GObject *object)
{
	RddClient *self = RDD_CLIENT(object);
	g_clear_pointer(&self->conn, rdd_client_conn_free);
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

/* any failure to talk to the daemon: %RDD_ERROR_BUSY, so callers can tell it from a refusal */
static void
rdd_client_transport_error(GError **error, GError *error_io)
{
	g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "cannot reach the daemon: %s",
		    error_io != NULL ? error_io->message : "the connection was closed");
}

static RddClientConn *
rdd_client_connect(RddClient *self, guint timeout_sec, GError **error)
{
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(self->socket_path);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RddClientConn) conn = g_new0(RddClientConn, 1);

	/* also the I/O timeout of the connection's socket */
	g_socket_client_set_timeout(client, timeout_sec);
	conn->conn = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr), NULL, &error_local);
	if (conn->conn == NULL) {
		rdd_client_transport_error(error, error_local);
		return NULL;
	}
	conn->in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(conn->conn)));
	g_data_input_stream_set_newline_type(conn->in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
	return g_steal_pointer(&conn);
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

static gboolean
rdd_client_send(RddClientConn *conn,
		const gchar *method,
		const gchar *path,
		const gchar *accept,
		const gchar *content_type,
		const gchar *body,
		GError **error)
{
	g_autoptr(GString) req = g_string_sized_new(256);
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn->conn));
	g_autoptr(GError) error_local = NULL;
	gsize body_len = body != NULL ? strlen(body) : 0;

	g_string_append_printf(req, "%s %s HTTP/1.1\r\nHost: localhost\r\n", method, path);
	g_string_append(req, "User-Agent: rdd/" PACKAGE_VERSION "\r\n");
	g_string_append_printf(req, "Accept: %s\r\n", accept != NULL ? accept : "application/json");
	if (body != NULL) {
		g_string_append_printf(req, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n",
				       content_type != NULL ? content_type : "application/json", body_len);
	}
	g_string_append(req, "\r\n");
	if (body != NULL)
		g_string_append_len(req, body, (gssize)body_len);
	if (!g_output_stream_write_all(out, req->str, req->len, NULL, NULL, &error_local) ||
	    !g_output_stream_flush(out, NULL, &error_local)) {
		rdd_client_transport_error(error, error_local);
		return FALSE;
	}
	return TRUE;
}

/* reads one line of the head; counts its bytes against the head's limit */
static gchar *
rdd_client_read_head_line(RddClientConn *conn, gsize *head_bytes, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	gchar *line = g_data_input_stream_read_line(conn->in, &len, NULL, &error_local);

	if (line == NULL) {
		rdd_client_transport_error(error, error_local);
		return NULL;
	}
	*head_bytes += len + 2;
	if (*head_bytes > RDD_CLIENT_MAX_HEAD_BYTES) {
		g_free(line);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "the daemon sent more than %u bytes of response headers",
			    (guint)RDD_CLIENT_MAX_HEAD_BYTES);
		return NULL;
	}
	return line;
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

/* the status line and headers; on success the response owns @conn */
static RddClientResponse *
rdd_client_read_head(RddClientConn *conn, const gchar *method, GError **error)
{
	g_autoptr(RddClientResponse) resp = g_new0(RddClientResponse, 1);
	g_autofree gchar *status_line = NULL;
	g_autofree gchar *code = NULL;
	gboolean has_length = FALSE;
	gsize head_bytes = 0;
	guint64 status = 0;

	resp->warnings = g_ptr_array_new_with_free_func(g_free);
	resp->pending = g_string_new(NULL);
	resp->keep_alive = TRUE;
	status_line = rdd_client_read_head_line(conn, &head_bytes, error);
	if (status_line == NULL)
		return NULL;
	if (g_str_has_prefix(status_line, "HTTP/1.") && strlen(status_line) >= 12 && status_line[8] == ' ')
		code = g_strndup(status_line + 9, 3);
	if (code == NULL || !g_ascii_string_to_unsigned(code, 10, 100, 599, &status, NULL)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "the daemon sent a malformed status line: %.80s", status_line);
		return NULL;
	}
	resp->status = (guint)status;
	if (status_line[7] == '0')
		resp->keep_alive = FALSE; /* HTTP/1.0 */
	resp->body = RDD_CLIENT_BODY_CLOSE;
	for (;;) {
		g_autofree gchar *line = rdd_client_read_head_line(conn, &head_bytes, error);
		g_autofree gchar *name = NULL;
		const gchar *colon, *value;
		if (line == NULL)
			return NULL;
		if (line[0] == '\0')
			break;
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		name = g_strndup(line, colon - line);
		value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		if (g_ascii_strcasecmp(name, "Content-Length") == 0) {
			if (!g_ascii_string_to_unsigned(value, 10, 0, RDD_CLIENT_MAX_BODY_BYTES,
							&resp->left, NULL)) {
				g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
					    "the daemon sent an invalid or too large Content-Length: %.40s",
					    value);
				return NULL;
			}
			has_length = TRUE;
		} else if (g_ascii_strcasecmp(name, "Transfer-Encoding") == 0) {
			if (strstr(value, "chunked") != NULL)
				resp->body = RDD_CLIENT_BODY_CHUNKED;
		} else if (g_ascii_strcasecmp(name, "Connection") == 0) {
			if (g_ascii_strcasecmp(value, "close") == 0)
				resp->keep_alive = FALSE;
		} else if (g_ascii_strcasecmp(name, "Warning") == 0) {
			g_ptr_array_add(resp->warnings, rdd_client_warning_text(value));
		}
	}
	if (resp->body != RDD_CLIENT_BODY_CHUNKED && has_length)
		resp->body = RDD_CLIENT_BODY_LENGTH;
	if (resp->body == RDD_CLIENT_BODY_CLOSE)
		resp->keep_alive = FALSE;
	/* no body at all */
	if (g_strcmp0(method, "HEAD") == 0 || resp->status == 204 || resp->status == 304 || resp->status < 200)
		resp->eof = TRUE;
	else if (resp->body == RDD_CLIENT_BODY_LENGTH && resp->left == 0)
		resp->eof = TRUE;
	/* only now: on failure the caller keeps @conn */
	resp->conn = conn;
	return g_steal_pointer(&resp);
}

/**
 * rdd_client_response_free:
 * @response: (nullable): a response
 *
 * Frees the response and closes its connection.
 */
void
rdd_client_response_free(RddClientResponse *response)
{
	if (response == NULL)
		return;
	rdd_client_conn_free(response->conn);
	if (response->warnings != NULL)
		g_ptr_array_unref(response->warnings);
	if (response->pending != NULL)
		g_string_free(response->pending, TRUE);
	g_free(response);
}

/* a read error: a timeout is reported through @timed_out, anything else as an error */
static gboolean
rdd_client_read_failed(GError *error_local, gboolean *timed_out, GError **error)
{
	if (timed_out != NULL && g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
		*timed_out = TRUE;
		return FALSE;
	}
	rdd_client_transport_error(error, error_local);
	return FALSE;
}

/* decodes more of the body into resp->pending; FALSE on error or timeout */
static gboolean
rdd_client_fill(RddClientResponse *resp, gboolean *timed_out, GError **error)
{
	GInputStream *in = G_INPUT_STREAM(resp->conn->in);
	g_autoptr(GError) error_local = NULL;
	gchar buf[16384];
	gssize n;

	if (resp->pending->len > RDD_CLIENT_MAX_BODY_BYTES) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "the daemon sent a body larger than %u bytes",
			    (guint)RDD_CLIENT_MAX_BODY_BYTES);
		return FALSE;
	}
	if (resp->body == RDD_CLIENT_BODY_LENGTH || resp->body == RDD_CLIENT_BODY_CLOSE) {
		gsize want = resp->body == RDD_CLIENT_BODY_LENGTH ? MIN(resp->left, sizeof(buf)) :
								    sizeof(buf);
		n = g_input_stream_read(in, buf, want, NULL, &error_local);
		if (n < 0)
			return rdd_client_read_failed(error_local, timed_out, error);
		if (n == 0) {
			if (resp->body == RDD_CLIENT_BODY_LENGTH) {
				rdd_client_transport_error(error, NULL);
				return FALSE;
			}
			resp->eof = TRUE;
			return TRUE;
		}
		g_string_append_len(resp->pending, buf, n);
		if (resp->body == RDD_CLIENT_BODY_LENGTH) {
			resp->left -= (guint64)n;
			if (resp->left == 0)
				resp->eof = TRUE;
		}
		return TRUE;
	}
	/* chunked: a line with the size in hex, the data, CRLF; a 0 size, trailers, an empty line */
	switch (resp->chunk_state) {
	case RDD_CLIENT_CHUNK_SIZE:
	case RDD_CLIENT_CHUNK_CRLF:
	case RDD_CLIENT_CHUNK_TRAILER: {
		gsize len = 0;
		g_autofree gchar *line = g_data_input_stream_read_line(resp->conn->in, &len, NULL, &error_local);
		g_autofree gchar *hex = NULL;
		guint64 size = 0;
		if (line == NULL) {
			if (error_local == NULL) {
				rdd_client_transport_error(error, NULL);
				return FALSE;
			}
			return rdd_client_read_failed(error_local, timed_out, error);
		}
		if (resp->chunk_state == RDD_CLIENT_CHUNK_CRLF) {
			resp->chunk_state = RDD_CLIENT_CHUNK_SIZE;
			return TRUE;
		}
		if (resp->chunk_state == RDD_CLIENT_CHUNK_TRAILER) {
			if (line[0] == '\0')
				resp->eof = TRUE;
			return TRUE;
		}
		hex = g_strndup(line, strcspn(line, "; \t"));
		if (!g_ascii_string_to_unsigned(hex, 16, 0, RDD_CLIENT_MAX_BODY_BYTES, &size, NULL)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "the daemon sent an invalid chunk size: %.40s", line);
			return FALSE;
		}
		if (size == 0) {
			resp->chunk_state = RDD_CLIENT_CHUNK_TRAILER;
		} else {
			resp->left = size;
			resp->chunk_state = RDD_CLIENT_CHUNK_DATA;
		}
		return TRUE;
	}
	case RDD_CLIENT_CHUNK_DATA:
	default:
		n = g_input_stream_read(in, buf, MIN(resp->left, sizeof(buf)), NULL, &error_local);
		if (n < 0)
			return rdd_client_read_failed(error_local, timed_out, error);
		if (n == 0) {
			rdd_client_transport_error(error, NULL);
			return FALSE;
		}
		g_string_append_len(resp->pending, buf, n);
		resp->left -= (guint64)n;
		if (resp->left == 0)
			resp->chunk_state = RDD_CLIENT_CHUNK_CRLF;
		return TRUE;
	}
}

/**
 * rdd_client_response_read_all:
 * @response: a response
 * @error: return location for an error
 *
 * Returns: (transfer full): the rest of the body
 */
GBytes *
rdd_client_response_read_all(RddClientResponse *response, GError **error)
{
	GBytes *bytes;

	g_return_val_if_fail(response != NULL, NULL);
	while (!response->eof) {
		if (!rdd_client_fill(response, NULL, error))
			return NULL;
	}
	bytes = g_bytes_new(response->pending->str, response->pending->len);
	g_string_truncate(response->pending, 0);
	return bytes;
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
 */
gchar *
rdd_client_response_read_line(RddClientResponse *response, gboolean *timed_out, GError **error)
{
	g_return_val_if_fail(response != NULL, NULL);
	if (timed_out != NULL)
		*timed_out = FALSE;
	for (;;) {
		const gchar *nl = memchr(response->pending->str, '\n', response->pending->len);
		gboolean timeout = FALSE;
		if (nl != NULL) {
			gsize len = nl - response->pending->str;
			gchar *line = g_strndup(response->pending->str,
						len > 0 && nl[-1] == '\r' ? len - 1 : len);
			g_string_erase(response->pending, 0, (gssize)len + 1);
			return line;
		}
		if (response->eof) {
			gchar *rest = NULL;
			if (response->pending->len > 0) {
				rest = g_strndup(response->pending->str, response->pending->len);
				g_string_truncate(response->pending, 0);
			}
			return rest;
		}
		if (!rdd_client_fill(response, &timeout, error)) {
			if (timeout && timed_out != NULL)
				*timed_out = TRUE;
			return NULL;
		}
	}
}

/**
 * rdd_client_response_get_status:
 * @response: a response
 *
 * Returns: its HTTP status
 */
guint
rdd_client_response_get_status(RddClientResponse *response)
{
	g_return_val_if_fail(response != NULL, 0);
	return response->status;
}

/* one request and its whole response on the keep-alive connection; a connection the daemon
 * closed while idle is replaced once */
static RddClientResponse *
rdd_client_exchange(RddClient *self,
		    const gchar *method,
		    const gchar *path,
		    const gchar *accept,
		    const gchar *content_type,
		    const gchar *body,
		    GBytes **bytes,
		    GError **error)
{
	if (!rdd_client_check_path(path, error))
		return NULL;
	for (guint attempt = 0;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(RddClientResponse) resp = NULL;
		gboolean reused = self->conn != NULL;

		if (self->conn == NULL) {
			self->conn = rdd_client_connect(self, RDD_CLIENT_IO_TIMEOUT_SEC, error);
			if (self->conn == NULL)
				return NULL;
		}
		if (rdd_client_send(self->conn, method, path, accept, content_type, body, &error_local))
			resp = rdd_client_read_head(self->conn, method, &error_local);
		if (resp == NULL) {
			/* the response owns the connection only once it is made */
			g_clear_pointer(&self->conn, rdd_client_conn_free);
			if (reused && attempt == 0)
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		/* the response owns the connection now */
		self->conn = NULL;
		*bytes = rdd_client_response_read_all(resp, error);
		if (*bytes == NULL)
			return NULL;
		/* a fully read keep-alive response gives its connection back */
		if (resp->keep_alive)
			self->conn = g_steal_pointer(&resp->conn);
		return g_steal_pointer(&resp);
	}
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
 */
GBytes *
rdd_client_request_raw(RddClient *self, const gchar *method, const gchar *path, const gchar *accept, guint *status, GError **error)
{
	g_autoptr(RddClientResponse) resp = NULL;
	GBytes *bytes = NULL;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(method != NULL, NULL);
	resp = rdd_client_exchange(self, method, path, accept, NULL, NULL, &bytes, error);
	if (resp == NULL)
		return NULL;
	if (status != NULL)
		*status = resp->status;
	return bytes;
}

/* the reason phrase of a status, for errors whose body says nothing */
static const gchar *
rdd_client_status_phrase(guint status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 413:
		return "Payload Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unexpected HTTP status";
	}
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
					rdd_client_status_phrase(status), status);
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
	g_autoptr(RddClientResponse) resp = NULL;
	g_autoptr(GBytes) bytes = NULL;
	JsonNode *node;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	g_return_val_if_fail(method != NULL, NULL);
	resp = rdd_client_exchange(self, method, path, NULL, content_type, body, &bytes, error);
	if (resp == NULL)
		return NULL;
	for (guint i = 0; warnings != NULL && i < resp->warnings->len; i++)
		g_ptr_array_add(warnings, g_strdup(g_ptr_array_index(resp->warnings, i)));
	if (!rdd_client_error_from_status(resp->status, bytes, error))
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
 */
RddClientResponse *
rdd_client_open(RddClient *self, const gchar *path, guint io_timeout_sec, GError **error)
{
	g_autoptr(RddClientConn) conn = NULL;
	RddClientResponse *resp;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	if (!rdd_client_check_path(path, error))
		return NULL;
	conn = rdd_client_connect(self, io_timeout_sec, error);
	if (conn == NULL)
		return NULL;
	if (!rdd_client_send(conn, "GET", path, "application/json", NULL, NULL, error))
		return NULL;
	resp = rdd_client_read_head(conn, "GET", error);
	if (resp == NULL)
		return NULL;
	/* the response owns the connection now */
	g_steal_pointer(&conn);
	return resp;
}
