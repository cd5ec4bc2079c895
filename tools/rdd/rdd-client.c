/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The CLI's HTTP client: libsoup over the instance's unix socket (SoupSession
 * remote-connectable), with Kubernetes Status errors turned back into GErrors.
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "rdd-client.h"

struct _RddClient {
	GObject parent_instance;
	SoupSession *session;
};

G_DEFINE_FINAL_TYPE(RddClient, rdd_client, G_TYPE_OBJECT)

static void
rdd_client_finalize(GObject *object)
{
	RddClient *self = RDD_CLIENT(object);
	g_clear_object(&self->session);
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
 * Returns: (transfer full): a client
 */
RddClient *
rdd_client_new(const gchar *socket_path)
{
	RddClient *self = g_object_new(RDD_TYPE_CLIENT, NULL);
	g_autoptr(GSocketConnectable) addr = G_SOCKET_CONNECTABLE(g_unix_socket_address_new(socket_path));
	self->session = soup_session_new_with_options("remote-connectable",
						      addr,
						      "user-agent",
						      "rdd/" PACKAGE_VERSION,
						      "timeout",
						      60,
						      NULL);
	return self;
}

/**
 * rdd_client_get_session:
 * @self: a client
 *
 * Returns: (transfer none): the session, for streaming requests
 */
SoupSession *
rdd_client_get_session(RddClient *self)
{
	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	return self->session;
}

/**
 * rdd_client_new_message:
 * @self: a client
 * @method: the HTTP method
 * @path: the path with its query, e.g. `/api/v1/namespaces?limit=1`
 *
 * Returns: (transfer full): a message addressed to the daemon
 */
SoupMessage *
rdd_client_new_message(RddClient *self, const gchar *method, const gchar *path)
{
	g_autofree gchar *uri = g_strconcat("http://localhost", path, NULL);
	return soup_message_new(method, uri);
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
		node = rdd_json_parse(g_bytes_get_data(body, NULL), g_bytes_get_size(body), NULL);
	reason = rdd_json_lookup_string(node, "reason");
	message = rdd_json_lookup_string(node, "message");
	code = reason != NULL ? rdd_error_code_from_reason(reason) : RDD_ERROR_INTERNAL;
	if (reason == NULL) {
		switch (status) {
		case 400: code = RDD_ERROR_BAD_REQUEST; break;
		case 401: code = RDD_ERROR_UNAUTHORIZED; break;
		case 403: code = RDD_ERROR_FORBIDDEN; break;
		case 404: code = RDD_ERROR_NOT_FOUND; break;
		case 409: code = RDD_ERROR_CONFLICT; break;
		case 422: code = RDD_ERROR_INVALID; break;
		case 504: code = RDD_ERROR_TIMED_OUT; break;
		default: code = RDD_ERROR_INTERNAL; break;
		}
	}
	error_new = g_error_new(RDD_ERROR,
				code,
				"%s",
				message != NULL ? message : soup_status_get_phrase(status));
	causes = rdd_json_lookup(node, "details.causes");
	if (causes != NULL && JSON_NODE_HOLDS_ARRAY(causes)) {
		JsonArray *arr = json_node_get_array(causes);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *cause = json_array_get_element(arr, i);
			rdd_error_add_cause(error_new,
					    rdd_json_lookup_string(cause, "reason"),
					    rdd_json_lookup_string(cause, "field"),
					    rdd_json_lookup_string(cause, "message"));
		}
	}
	g_propagate_error(error, error_new);
	return FALSE;
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
		const gchar *quote;
		if (g_ascii_strcasecmp(name, "Warning") != 0)
			continue;
		/* 299 - "text" */
		quote = strchr(value, '"');
		if (quote != NULL && g_str_has_suffix(value, "\""))
			g_ptr_array_add(warnings, g_strndup(quote + 1, strlen(quote + 1) - 1));
		else
			g_ptr_array_add(warnings, g_strdup(value));
	}
}

static gboolean
rdd_client_transport_error(GError **error)
{
	/* a daemon that went away is "busy", so callers can tell it from a refusal */
	if (error != NULL && *error != NULL && (*error)->domain != RDD_ERROR) {
		g_autofree gchar *msg = g_strdup((*error)->message);
		g_clear_error(error);
		g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "cannot reach the daemon: %s", msg);
	}
	return FALSE;
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
 * Returns: (transfer full): the response body whatever the status, or %NULL when the daemon
 *   could not be reached
 */
GBytes *
rdd_client_request_raw(RddClient *self,
		       const gchar *method,
		       const gchar *path,
		       const gchar *accept,
		       guint *status,
		       GError **error)
{
	g_autoptr(SoupMessage) msg = rdd_client_new_message(self, method, path);
	GBytes *bytes;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	if (msg == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "invalid request path %s", path);
		return NULL;
	}
	if (accept != NULL)
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Accept", accept);
	bytes = soup_session_send_and_read(self->session, msg, NULL, error);
	if (bytes == NULL) {
		rdd_client_transport_error(error);
		return NULL;
	}
	if (status != NULL)
		*status = soup_message_get_status(msg);
	return bytes;
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
	g_autoptr(SoupMessage) msg = rdd_client_new_message(self, method, path);
	g_autoptr(GBytes) bytes = NULL;
	JsonNode *node;

	g_return_val_if_fail(RDD_IS_CLIENT(self), NULL);
	if (msg == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "invalid request path %s", path);
		return NULL;
	}
	if (body != NULL) {
		g_autoptr(GBytes) req = g_bytes_new(body, strlen(body));
		soup_message_set_request_body_from_bytes(msg, content_type != NULL ? content_type : "application/json", req);
	}
	bytes = soup_session_send_and_read(self->session, msg, NULL, error);
	if (bytes == NULL) {
		rdd_client_transport_error(error);
		return NULL;
	}
	rdd_client_collect_warnings(msg, warnings);
	if (!rdd_client_error_from_status(soup_message_get_status(msg), bytes, error))
		return NULL;
	node = rdd_json_parse(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), error);
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
	g_autoptr(GBytes) bytes = rdd_client_request_raw(self, "GET", "/readyz", NULL, &status, error);
	if (bytes == NULL)
		return FALSE;
	if (status != 200) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "the daemon is not ready yet (HTTP %u)", status);
		return FALSE;
	}
	return TRUE;
}
