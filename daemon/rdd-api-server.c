/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdd-api-private.h"

struct _RddApiServer {
	GObject parent_instance;
	SoupServer *soup;
	RddStore *store;
	RddInstance *instance;
	RddPluginLoader *loader;
	gchar *token;
	gchar *controllers;
	gboolean ready;
	GHashTable *kinds; /* "group/version/plural" -> RddKind */
	guint n_kinds;	   /* store kind count the map was built for */
	GHashTable *cache; /* discovery path -> GBytes */
	gchar *unix_path;
	GSocketService *unix_service;
	GSocketService *https_service;
	GTlsCertificate *certificate;
	GHashTable *handshakes; /* RddApiServerHandshake set, not owned */
	guint https_port;
	gsize watch_queue_limit;
	guint n_watchers;
	gint64 start_time;
};

G_DEFINE_FINAL_TYPE(RddApiServer, rdd_api_server, G_TYPE_OBJECT)

#define RDD_API_SERVER_BODY_KEY	  "rdd-api-body"
#define RDD_API_SERVER_PEER_KEY	  "rdd-api-unix-peer"

/* what the unix listener found out about a peer, kept on the connection's local address */
typedef enum {
	RDD_API_SERVER_PEER_TCP = 0, /* not from the unix socket */
	RDD_API_SERVER_PEER_OWNER,   /* the daemon's own uid */
	RDD_API_SERVER_PEER_STRANGER,
} RddApiServerPeer;
#define RDD_API_DEFAULT_WATCH_QUEUE (4 * 1024 * 1024)

static void
rdd_api_server_finalize(GObject *object)
{
	RddApiServer *self = RDD_API_SERVER(object);
	rdd_api_server_disconnect(self);
	g_clear_object(&self->soup);
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	g_clear_object(&self->loader);
	g_free(self->token);
	g_free(self->controllers);
	g_hash_table_unref(self->kinds);
	g_hash_table_unref(self->cache);
	g_free(self->unix_path);
	g_clear_object(&self->unix_service);
	g_clear_object(&self->https_service);
	g_clear_object(&self->certificate);
	g_hash_table_unref(self->handshakes);
	G_OBJECT_CLASS(rdd_api_server_parent_class)->finalize(object);
}

static void
rdd_api_server_class_init(RddApiServerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rdd_api_server_finalize;
}

static void
rdd_api_server_init(RddApiServer *self)
{
	self->handshakes = g_hash_table_new(NULL, NULL);
	self->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	self->watch_queue_limit = RDD_API_DEFAULT_WATCH_QUEUE;
	self->controllers = g_strdup("*");
	self->start_time = g_get_real_time();
}

/* ---------------------------------------------------------------------------------------- */
/* responses */

/**
 * rdd_api_respond_bytes:
 * @msg: a request
 * @status: the HTTP status
 * @content_type: the content type
 * @bytes: the body
 */
void
rdd_api_respond_bytes(SoupServerMessage *msg, guint status, const gchar *content_type, GBytes *bytes)
{
	SoupMessageBody *body = soup_server_message_get_response_body(msg);
	soup_server_message_set_status(msg, status, NULL);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Content-Type",
				     content_type);
	soup_message_body_truncate(body);
	soup_message_body_append_bytes(body, bytes);
	soup_message_body_complete(body);
}

/**
 * rdd_api_respond_text:
 * @msg: a request
 * @status: the HTTP status
 * @content_type: the content type
 * @text: the body
 */
void
rdd_api_respond_text(SoupServerMessage *msg, guint status, const gchar *content_type, const gchar *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
	rdd_api_respond_bytes(msg, status, content_type, bytes);
}

/**
 * rdd_api_respond_string:
 * @msg: a request
 * @status: the HTTP status
 * @json: (transfer full): a JSON body
 */
void
rdd_api_respond_string(SoupServerMessage *msg, guint status, GString *json)
{
	gsize len = json->len;
	g_autoptr(GBytes) bytes = g_bytes_new_take(g_string_free(json, FALSE), len);
	rdd_api_respond_bytes(msg, status, "application/json", bytes);
}

/**
 * rdd_api_respond_object:
 * @msg: a request
 * @status: the HTTP status
 * @object: the object; its stored JSON is sent as it is, without copying
 */
void
rdd_api_respond_object(SoupServerMessage *msg, guint status, RddObject *object)
{
	gsize len = 0;
	const gchar *json = rdd_object_get_json(object, &len);
	g_autoptr(GBytes) bytes =
	    g_bytes_new_with_free_func(json, len, (GDestroyNotify)rdd_object_unref, rdd_object_ref(object));
	rdd_api_respond_bytes(msg, status, "application/json", bytes);
}

/**
 * rdd_api_status_new:
 * @error: an error
 * @kind: (nullable): the kind the request was about
 * @name: (nullable): the object name
 *
 * Returns: (transfer full): a `Status` object describing @error
 */
GString *
rdd_api_status_new(const GError *error, RddKind *kind, const gchar *name)
{
	GString *out = g_string_sized_new(256);
	RddError code = error->domain == RDD_ERROR ? (RddError)error->code : RDD_ERROR_INTERNAL;
	GPtrArray *causes = rdd_error_get_causes(error);
	gboolean details = kind != NULL || name != NULL || (causes != NULL && causes->len > 0);

	g_string_append(out, "{\"apiVersion\":\"v1\",\"code\":");
	g_string_append_printf(out, "%u", rdd_error_code_to_http_status(code));
	if (details) {
		g_string_append(out, ",\"details\":{");
		if (causes != NULL && causes->len > 0) {
			g_string_append(out, "\"causes\":[");
			for (guint i = 0; i < causes->len; i++) {
				RddCause *cause = g_ptr_array_index(causes, i);
				if (i > 0)
					g_string_append_c(out, ',');
				g_string_append(out, "{\"field\":");
				rdd_json_write_string(out, cause->field);
				g_string_append(out, ",\"message\":");
				rdd_json_write_string(out, cause->message);
				g_string_append(out, ",\"reason\":");
				rdd_json_write_string(out, cause->type);
				g_string_append_c(out, '}');
			}
			g_string_append(out, "],");
		}
		g_string_append(out, "\"group\":");
		rdd_json_write_string(out, kind != NULL ? rdd_kind_get_group(kind) : "");
		g_string_append(out, ",\"kind\":");
		rdd_json_write_string(out, kind != NULL ? rdd_kind_get_plural(kind) : "");
		g_string_append(out, ",\"name\":");
		rdd_json_write_string(out, name != NULL ? name : "");
		g_string_append_c(out, '}');
	}
	g_string_append(out, ",\"kind\":\"Status\",\"message\":");
	rdd_json_write_string(out, error->message);
	g_string_append(out, ",\"metadata\":{},\"reason\":");
	rdd_json_write_string(out, rdd_error_code_to_reason(code));
	g_string_append(out, ",\"status\":\"Failure\"}");
	return out;
}

/**
 * rdd_api_respond_error:
 * @msg: a request
 * @error: what went wrong
 * @kind: (nullable): the kind the request was about
 * @name: (nullable): the object name
 *
 * Answers with a Kubernetes `Status` carrying the error's HTTP code, reason, message and causes.
 */
void
rdd_api_respond_error(SoupServerMessage *msg, const GError *error, RddKind *kind, const gchar *name)
{
	RddError code = error->domain == RDD_ERROR ? (RddError)error->code : RDD_ERROR_INTERNAL;
	rdd_api_respond_string(msg, rdd_error_code_to_http_status(code), rdd_api_status_new(error, kind, name));
}

/**
 * rdd_api_respond_status:
 * @msg: a request
 * @code: the error code
 * @kind: (nullable): the kind
 * @name: (nullable): the object name
 * @format: printf-style message
 * @...: arguments
 */
void
rdd_api_respond_status(SoupServerMessage *msg,
		       RddError code,
		       RddKind *kind,
		       const gchar *name,
		       const gchar *format,
		       ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	g_autoptr(GError) error = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	error = g_error_new_literal(RDD_ERROR, code, message);
	rdd_api_respond_error(msg, error, kind, name);
}

/**
 * rdd_api_add_warnings:
 * @msg: a request
 * @warnings: (nullable) (element-type utf8): admission and validation warnings
 *
 * Adds one `Warning: 299 - "…"` header per warning, as kube-apiserver does.
 */
void
rdd_api_add_warnings(SoupServerMessage *msg, GPtrArray *warnings)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	for (guint i = 0; warnings != NULL && i < warnings->len; i++) {
		g_autoptr(GString) value = g_string_new("299 - \"");
		for (const gchar *p = g_ptr_array_index(warnings, i); *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(value, '\\');
			if ((guchar)*p >= 0x20)
				g_string_append_c(value, *p);
		}
		g_string_append_c(value, '"');
		soup_message_headers_append(headers, "Warning", value->str);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* request bodies */

static void
rdd_api_server_got_chunk_cb(SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
	GByteArray *buf = g_object_get_data(G_OBJECT(msg), RDD_API_SERVER_BODY_KEY);
	if (buf == NULL)
		return;
	if (buf->len + g_bytes_get_size(chunk) > RDD_API_MAX_BODY) {
		/* over the limit: stop keeping data; the handler answers 413 */
		g_object_set_data(G_OBJECT(msg), "rdd-api-too-large", GINT_TO_POINTER(1));
		g_byte_array_set_size(buf, 0);
		return;
	}
	if (g_object_get_data(G_OBJECT(msg), "rdd-api-too-large") == NULL)
		g_byte_array_append(buf, g_bytes_get_data(chunk, NULL), g_bytes_get_size(chunk));
}

/* the core kinds that typed Kubernetes clients send as protobuf */
static gboolean
rdd_api_server_is_builtin_protobuf(RddKind *kind)
{
	return (rdd_kind_get_flags(kind) & RDD_KIND_FLAG_BUILTIN) != 0;
}

/**
 * rdd_api_read_body:
 * @msg: a request
 * @allow_yaml: whether a YAML body is acceptable (by Content-Type)
 * @error: return location for an error
 *
 * Parses the request body strictly (see rdd_json_parse()), or as YAML when the content type
 * says so and @allow_yaml.
 *
 * Returns: (transfer full): the document
 */
JsonNode *
rdd_api_read_body(SoupServerMessage *msg, RddKind *kind, gboolean allow_yaml, GError **error)
{
	GByteArray *buf = g_object_get_data(G_OBJECT(msg), RDD_API_SERVER_BODY_KEY);
	g_autoptr(GBytes) bytes = NULL;
	const gchar *content_type =
	    soup_message_headers_get_content_type(soup_server_message_get_request_headers(msg), NULL);
	gsize len;
	const gchar *data;

	if (g_object_get_data(G_OBJECT(msg), "rdd-api-too-large") != NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_TOO_LARGE,
			    "the request body is larger than the limit of %d bytes",
			    RDD_API_MAX_BODY);
		return NULL;
	}
	if (buf != NULL)
		bytes = g_bytes_new(buf->data, buf->len);
	else
		bytes = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	data = g_bytes_get_data(bytes, &len);
	if (len == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "the request has no body");
		return NULL;
	}
	if (content_type == NULL &&
	    soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Content-Type") != NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
			    "the Content-Type \"%s\" of the request cannot be parsed; send application/json",
			    soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Content-Type"));
		return NULL;
	}
	if (g_strcmp0(content_type, "application/vnd.kubernetes.protobuf") == 0) {
		if (kind == NULL || !rdd_api_server_is_builtin_protobuf(kind)) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
				    "the body of the request was in an unknown format - %s is accepted for "
				    "the built-in kinds only; send application/json",
				    content_type);
			return NULL;
		}
		return rdd_api_protobuf_decode(kind, (const guint8 *)data, len, error);
	}
	if (content_type != NULL && g_strcmp0(content_type, "application/json") != 0 &&
	    !g_str_has_suffix(content_type, "+json") && !g_str_has_suffix(content_type, "yaml") &&
	    !g_str_has_suffix(content_type, "yml")) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
			    "the body of the request was in an unknown format - accepted media types "
			    "include: application/json, application/yaml (got %s)",
			    content_type);
		return NULL;
	}
	if (allow_yaml && content_type != NULL &&
	    (g_str_has_suffix(content_type, "yaml") || g_str_has_suffix(content_type, "yml"))) {
		/* without aliases a document has fewer nodes than twice its bytes: more means an
		 * alias bomb, refused long before the global cap */
		guint max_nodes = (guint)MIN((gsize)RDD_YAML_MAX_NODES, len * 2 + 1024);
		g_autoptr(GPtrArray) docs = rdd_yaml_parse_all_full(data, len, max_nodes, RDD_YAML_MAX_DEPTH, error);
		if (docs != NULL && docs->len != 1) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "expected one YAML document, found %u", docs->len);
			g_clear_pointer(&docs, g_ptr_array_unref);
		}
		if (docs == NULL) {
			if (error != NULL && *error != NULL)
				(*error)->code = RDD_ERROR_BAD_REQUEST;
			g_prefix_error(error, "cannot decode the request body as YAML: ");
			return NULL;
		}
		return json_node_ref(g_ptr_array_index(docs, 0));
	}
	{
		JsonNode *node = rdd_json_parse(data, len, error);
		if (node == NULL)
			g_prefix_error(error, "cannot decode the request body as JSON: ");
		return node;
	}
}

/**
 * rdd_api_query:
 * @req: a request
 * @key: a query parameter
 *
 * Returns: (nullable): its value
 */
const gchar *
rdd_api_query(RddApiRequest *req, const gchar *key)
{
	return req->query != NULL ? g_hash_table_lookup(req->query, key) : NULL;
}

/**
 * rdd_api_query_bool:
 * @req: a request
 * @key: a boolean query parameter
 * @value: (out): its value; %FALSE when it is absent or empty
 * @error: return location for an error
 *
 * Reads a boolean as kube-apiserver does (Go's strconv.ParseBool): clients send "true", but
 * also "True" (the Python client) or "1".
 *
 * Returns: %FALSE, with a BadRequest error naming the parameter, for any other value
 */
gboolean
rdd_api_query_bool(RddApiRequest *req, const gchar *key, gboolean *value, GError **error)
{
	const gchar *yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	const gchar *no[] = {"0", "f", "F", "FALSE", "false", "False"};
	const gchar *text = rdd_api_query(req, key);

	*value = FALSE;
	if (text == NULL || text[0] == '\0')
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_strcmp0(text, yes[i]) == 0 || g_strcmp0(text, no[i]) == 0) {
			*value = g_strcmp0(text, yes[i]) == 0;
			return TRUE;
		}
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "%s: Invalid value: \"%s\": must be true or false", key, text);
	return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* kinds by URL */

static void
rdd_api_server_refresh_kinds(RddApiServer *self)
{
	GPtrArray *kinds = rdd_store_get_kinds(self->store);
	if (kinds->len == self->n_kinds)
		return;
	g_hash_table_remove_all(self->kinds);
	g_hash_table_remove_all(self->cache);
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		g_hash_table_insert(self->kinds,
				    g_strdup_printf("%s/%s/%s",
						    rdd_kind_get_group(kind),
						    rdd_kind_get_version(kind),
						    rdd_kind_get_plural(kind)),
				    g_object_ref(kind));
	}
	self->n_kinds = kinds->len;
}

/**
 * rdd_api_server_find_kind:
 * @self: a server
 * @group: the API group, `""` for core
 * @version: the version
 * @plural: the resource name
 *
 * Returns: (transfer none) (nullable): the kind served at that path
 */
RddKind *
rdd_api_server_find_kind(RddApiServer *self, const gchar *group, const gchar *version, const gchar *plural)
{
	g_autofree gchar *key = g_strdup_printf("%s/%s/%s", group, version, plural);
	rdd_api_server_refresh_kinds(self);
	return g_hash_table_lookup(self->kinds, key);
}

/* ---------------------------------------------------------------------------------------- */
/* discovery */

static const gchar *const rdd_api_server_verbs[] =
    {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch", NULL};

static void
rdd_api_server_add_strv(JsonBuilder *builder, const gchar *member, const gchar *const *values)
{
	json_builder_set_member_name(builder, member);
	json_builder_begin_array(builder);
	for (guint i = 0; values != NULL && values[i] != NULL; i++)
		json_builder_add_string_value(builder, values[i]);
	json_builder_end_array(builder);
}

static void
rdd_api_server_add_resource(JsonBuilder *builder, RddKind *kind, const gchar *sub)
{
	static const gchar *const status_verbs[] = {"get", "patch", "update", NULL};
	g_autofree gchar *name = sub != NULL ? g_strdup_printf("%s/%s", rdd_kind_get_plural(kind), sub)
					     : g_strdup(rdd_kind_get_plural(kind));

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, name);
	json_builder_set_member_name(builder, "singularName");
	json_builder_add_string_value(builder, sub != NULL ? "" : rdd_kind_get_singular(kind));
	json_builder_set_member_name(builder, "namespaced");
	json_builder_add_boolean_value(builder, rdd_kind_is_namespaced(kind));
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, rdd_kind_get_name(kind));
	rdd_api_server_add_strv(builder, "verbs", sub != NULL ? status_verbs : rdd_api_server_verbs);
	if (sub == NULL) {
		g_autofree gchar *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
									rdd_kind_get_qualified_plural(kind),
									-1);
		hash[11] = '\0';
		if (rdd_kind_get_short_names(kind)[0] != NULL)
			rdd_api_server_add_strv(builder, "shortNames", rdd_kind_get_short_names(kind));
		if (rdd_kind_get_categories(kind)[0] != NULL)
			rdd_api_server_add_strv(builder, "categories", rdd_kind_get_categories(kind));
		json_builder_set_member_name(builder, "storageVersionHash");
		json_builder_add_string_value(builder, hash);
	}
	json_builder_end_object(builder);
}

static GBytes *
rdd_api_server_resource_list(RddApiServer *self, const gchar *group, const gchar *version)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	GPtrArray *kinds = rdd_store_get_kinds(self->store);
	g_autofree gchar *gv = group[0] == '\0' ? g_strdup(version) : g_strdup_printf("%s/%s", group, version);
	gchar *text;
	guint found = 0;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "kind");
	json_builder_add_string_value(builder, "APIResourceList");
	json_builder_set_member_name(builder, "apiVersion");
	json_builder_add_string_value(builder, "v1");
	json_builder_set_member_name(builder, "groupVersion");
	json_builder_add_string_value(builder, gv);
	json_builder_set_member_name(builder, "resources");
	json_builder_begin_array(builder);
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		if (g_strcmp0(rdd_kind_get_group(kind), group) != 0 ||
		    g_strcmp0(rdd_kind_get_version(kind), version) != 0)
			continue;
		found++;
		rdd_api_server_add_resource(builder, kind, NULL);
		if (rdd_kind_has_status(kind))
			rdd_api_server_add_resource(builder, kind, "status");
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	if (found == 0)
		return NULL;
	root = json_builder_get_root(builder);
	text = rdd_json_to_string(root, FALSE);
	return g_bytes_new_take(text, strlen(text));
}

/* every group with its versions, in registration order */
static void
rdd_api_server_add_group(JsonBuilder *builder, const gchar *group, const gchar *version)
{
	g_autofree gchar *gv = g_strdup_printf("%s/%s", group, version);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, group);
	json_builder_set_member_name(builder, "versions");
	json_builder_begin_array(builder);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "groupVersion");
	json_builder_add_string_value(builder, gv);
	json_builder_set_member_name(builder, "version");
	json_builder_add_string_value(builder, version);
	json_builder_end_object(builder);
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "preferredVersion");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "groupVersion");
	json_builder_add_string_value(builder, gv);
	json_builder_set_member_name(builder, "version");
	json_builder_add_string_value(builder, version);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
}

static GBytes *
rdd_api_server_group_doc(RddApiServer *self, const gchar *only_group)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *kinds = rdd_store_get_kinds(self->store);
	gchar *text;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "apiVersion");
	json_builder_add_string_value(builder, "v1");
	if (only_group == NULL) {
		json_builder_set_member_name(builder, "kind");
		json_builder_add_string_value(builder, "APIGroupList");
		json_builder_set_member_name(builder, "groups");
		json_builder_begin_array(builder);
	}
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		const gchar *group = rdd_kind_get_group(kind);
		if (group[0] == '\0' || g_hash_table_contains(seen, group))
			continue;
		if (only_group != NULL && g_strcmp0(group, only_group) != 0)
			continue;
		g_hash_table_add(seen, (gpointer)group);
		if (only_group == NULL) {
			rdd_api_server_add_group(builder, group, rdd_kind_get_version(kind));
		} else {
			g_autoptr(JsonBuilder) inner = json_builder_new();
			g_autoptr(JsonNode) node = NULL;
			JsonObjectIter iter;
			const gchar *member;
			JsonNode *value;
			rdd_api_server_add_group(inner, group, rdd_kind_get_version(kind));
			node = json_builder_get_root(inner);
			json_builder_set_member_name(builder, "kind");
			json_builder_add_string_value(builder, "APIGroup");
			json_object_iter_init(&iter, json_node_get_object(node));
			while (json_object_iter_next(&iter, &member, &value)) {
				json_builder_set_member_name(builder, member);
				json_builder_add_value(builder, json_node_copy(value));
			}
		}
	}
	if (only_group == NULL)
		json_builder_end_array(builder);
	json_builder_end_object(builder);
	if (only_group != NULL && g_hash_table_size(seen) == 0)
		return NULL;
	root = json_builder_get_root(builder);
	text = rdd_json_to_string(root, FALSE);
	return g_bytes_new_take(text, strlen(text));
}

static gboolean
rdd_api_server_discovery(RddApiServer *self, SoupServerMessage *msg, gchar **seg, guint n)
{
	g_autofree gchar *key = g_strjoinv("/", seg);
	GBytes *cached;
	g_autoptr(GBytes) bytes = NULL;

	rdd_api_server_refresh_kinds(self);
	cached = g_hash_table_lookup(self->cache, key);
	if (cached != NULL) {
		rdd_api_respond_bytes(msg, SOUP_STATUS_OK, "application/json", cached);
		return TRUE;
	}
	if (g_strcmp0(seg[0], "api") == 0 && n == 1) {
		g_autofree gchar *text = g_strdup_printf(
		    "{\"kind\":\"APIVersions\",\"serverAddressByClientCIDRs\":[{\"clientCIDR\":"
		    "\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:%u\"}],\"versions\":[\"v1\"]}",
		    self->https_port);
		bytes = g_bytes_new(text, strlen(text));
	} else if (g_strcmp0(seg[0], "api") == 0 && n == 2) {
		bytes = rdd_api_server_resource_list(self, "", seg[1]);
	} else if (g_strcmp0(seg[0], "apis") == 0 && n == 1) {
		bytes = rdd_api_server_group_doc(self, NULL);
	} else if (g_strcmp0(seg[0], "apis") == 0 && n == 2) {
		bytes = rdd_api_server_group_doc(self, seg[1]);
	} else if (g_strcmp0(seg[0], "apis") == 0 && n == 3) {
		bytes = rdd_api_server_resource_list(self, seg[1], seg[2]);
	} else {
		return FALSE;
	}
	if (bytes == NULL)
		return FALSE;
	g_hash_table_insert(self->cache, g_steal_pointer(&key), g_bytes_ref(bytes));
	rdd_api_respond_bytes(msg, SOUP_STATUS_OK, "application/json", bytes);
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* dispatch */

static gboolean
rdd_api_server_token_matches(const gchar *expected, const gchar *given)
{
	gsize len_e = strlen(expected), len_g = strlen(given);
	guint diff = len_e ^ len_g;
	/* constant time in the length of the expected token */
	for (gsize i = 0; i < len_e; i++)
		diff |= (guchar)expected[i] ^ (guchar)(i < len_g ? given[i] : 0);
	return diff == 0;
}

static RddApiServerPeer
rdd_api_server_peer(SoupServerMessage *msg)
{
	GSocketAddress *local = soup_server_message_get_local_address(msg);
	if (local == NULL)
		return RDD_API_SERVER_PEER_TCP;
	return GPOINTER_TO_INT(g_object_get_data(G_OBJECT(local), RDD_API_SERVER_PEER_KEY));
}

static gboolean
rdd_api_server_is_unix(SoupServerMessage *msg)
{
	return rdd_api_server_peer(msg) != RDD_API_SERVER_PEER_TCP;
}

/* who may talk to us: over the unix socket, our own uid; over TCP, the bearer token */
static gboolean
rdd_api_server_authenticate(RddApiServer *self, SoupServerMessage *msg)
{
	if (rdd_api_server_is_unix(msg))
		return rdd_api_server_peer(msg) == RDD_API_SERVER_PEER_OWNER;
	{
		const gchar *auth = soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
								 "Authorization");
		if (self->token == NULL || auth == NULL || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0)
			return FALSE;
		return rdd_api_server_token_matches(self->token, auth + 7);
	}
}

static void
rdd_api_server_early_cb(SoupServer *server,
			SoupServerMessage *msg,
			const char *path,
			GHashTable *query,
			gpointer user_data)
{
	RddApiServer *self = RDD_API_SERVER(user_data);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);

	if (!rdd_api_server_authenticate(self, msg)) {
		if (rdd_api_server_is_unix(msg))
			rdd_api_respond_status(msg,
					       RDD_ERROR_FORBIDDEN,
					       NULL,
					       NULL,
					       "only the user running the daemon may use its socket");
		else
			rdd_api_respond_status(msg, RDD_ERROR_UNAUTHORIZED, NULL, NULL, "Unauthorized");
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection", "close");
		return;
	}
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH &&
	    soup_message_headers_get_content_length(headers) > RDD_API_MAX_BODY) {
		rdd_api_respond_status(msg,
				       RDD_ERROR_TOO_LARGE,
				       NULL,
				       NULL,
				       "the request body of %" G_GINT64_FORMAT " bytes is larger than the limit of %d bytes",
				       (gint64)soup_message_headers_get_content_length(headers),
				       RDD_API_MAX_BODY);
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection", "close");
		return;
	}
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CHUNKED) {
		/* keep the body ourselves, up to the limit, instead of letting it grow */
		soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
		g_object_set_data_full(G_OBJECT(msg),
				       RDD_API_SERVER_BODY_KEY,
				       g_byte_array_new(),
				       (GDestroyNotify)g_byte_array_unref);
		g_signal_connect(msg, "got-chunk", G_CALLBACK(rdd_api_server_got_chunk_cb), NULL);
	}
}

static void
rdd_api_server_health(RddApiServer *self, SoupServerMessage *msg, const gchar *check, GHashTable *query)
{
	gboolean ok = g_strcmp0(check, "readyz") != 0 || self->ready;
	if (query != NULL && g_hash_table_contains(query, "verbose")) {
		g_autofree gchar *text = g_strdup_printf("[%s]ping ok\n[%s]store ok\n[%s]ready %s\n%s check %s\n",
							 "+",
							 "+",
							 ok ? "+" : "-",
							 ok ? "ok" : "failed",
							 check,
							 ok ? "passed" : "failed");
		rdd_api_respond_text(msg, ok ? SOUP_STATUS_OK : SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", text);
		return;
	}
	rdd_api_respond_text(msg,
			     ok ? SOUP_STATUS_OK : SOUP_STATUS_INTERNAL_SERVER_ERROR,
			     "text/plain; charset=utf-8",
			     ok ? "ok" : "[-]ready failed: the daemon is still starting\n");
}

static void
rdd_api_server_version(RddApiServer *self, SoupServerMessage *msg)
{
	g_autofree gchar *text = g_strdup_printf(
	    "{\"buildDate\":\"\",\"compiler\":\"gcc\",\"gitCommit\":\"\",\"gitTreeState\":\"clean\","
	    "\"gitVersion\":\"v%s.%s.0-rdd.%s\",\"goVersion\":\"none\",\"major\":\"%s\",\"minor\":\"%s\","
	    "\"platform\":\"linux/%s\"}",
	    RDD_API_VERSION_MAJOR,
	    RDD_API_VERSION_MINOR,
	    PACKAGE_VERSION,
	    RDD_API_VERSION_MAJOR,
	    RDD_API_VERSION_MINOR,
#if defined(__x86_64__)
	    "amd64"
#elif defined(__aarch64__)
	    "arm64"
#else
	    "unknown"
#endif
	);
	rdd_api_respond_text(msg, SOUP_STATUS_OK, "application/json", text);
}

static void
rdd_api_server_plugins(RddApiServer *self, SoupServerMessage *msg)
{
	GPtrArray *plugins = rdd_plugin_loader_get_plugins(self->loader);
	g_autoptr(GString) out = g_string_new("{\"apiVersion\":\"rdd.rancherdesktop.io/v1\",\"items\":[");
	for (guint i = 0; i < plugins->len; i++) {
		g_autoptr(JsonNode) node = rdd_plugin_info_to_json(g_ptr_array_index(plugins, i), self->controllers);
		if (i > 0)
			g_string_append_c(out, ',');
		rdd_json_write(out, node);
	}
	g_string_append(out, "],\"kind\":\"PluginList\"}");
	rdd_api_respond_string(msg, SOUP_STATUS_OK, g_steal_pointer(&out));
}

/* every kind with what a client needs to address it, in one request (rdd get); with @pid > 0
 * also the daemon's pid, for the copy in the instance directory */
static gchar *
rdd_api_server_dup_kinds_json(RddApiServer *self, gint pid)
{
	GPtrArray *kinds = rdd_store_get_kinds(self->store);
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "apiVersion");
	json_builder_add_string_value(b, "rdd.rancherdesktop.io/v1");
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "KindList");
	if (pid > 0) {
		json_builder_set_member_name(b, "pid");
		json_builder_add_int_value(b, pid);
	}
	json_builder_set_member_name(b, "items");
	json_builder_begin_array(b);
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "group");
		json_builder_add_string_value(b, rdd_kind_get_group(kind));
		json_builder_set_member_name(b, "version");
		json_builder_add_string_value(b, rdd_kind_get_version(kind));
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, rdd_kind_get_name(kind));
		json_builder_set_member_name(b, "plural");
		json_builder_add_string_value(b, rdd_kind_get_plural(kind));
		json_builder_set_member_name(b, "singular");
		json_builder_add_string_value(b, rdd_kind_get_singular(kind));
		rdd_api_server_add_strv(b, "shortNames", rdd_kind_get_short_names(kind));
		rdd_api_server_add_strv(b, "categories", rdd_kind_get_categories(kind));
		json_builder_set_member_name(b, "namespaced");
		json_builder_add_boolean_value(b, rdd_kind_is_namespaced(kind));
		json_builder_set_member_name(b, "status");
		json_builder_add_boolean_value(b, rdd_kind_has_status(kind));
		json_builder_set_member_name(b, "persistent");
		json_builder_add_boolean_value(b, rdd_kind_is_persistent(kind));
		json_builder_set_member_name(b, "plugin");
		json_builder_add_string_value(b, rdd_kind_get_owner(kind) != NULL ? rdd_kind_get_owner(kind) : "");
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return rdd_json_to_string(root, FALSE);
}

static void
rdd_api_server_kinds(RddApiServer *self, SoupServerMessage *msg)
{
	gchar *text = rdd_api_server_dup_kinds_json(self, 0);
	g_autoptr(GBytes) bytes = g_bytes_new_take(text, strlen(text));
	rdd_api_respond_bytes(msg, SOUP_STATUS_OK, "application/json", bytes);
}

/**
 * rdd_api_server_write_kinds:
 * @self: a server
 * @path: where to write, `<instance dir>/kinds.json`
 * @error: return location for an error
 *
 * Writes what `/rdd/v1/kinds` answers, with this process's `pid`, atomically and with mode
 * 0600, so that the CLI can resolve a kind name without a request. Call it once the plugins
 * have registered their kinds and before listening: a client that finds the daemon ready then
 * finds the file of that daemon (it checks the pid against the pid file).
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_api_server_write_kinds(RddApiServer *self, const gchar *path, GError **error)
{
	g_autofree gchar *text = NULL;

	g_return_val_if_fail(RDD_IS_API_SERVER(self), FALSE);
	text = rdd_api_server_dup_kinds_json(self, (gint)getpid());
	if (!g_file_set_contents_full(path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot write %s: ", path);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_api_server_status(RddApiServer *self, SoupServerMessage *msg)
{
	g_autoptr(GString) out = g_string_new("{\"apiVersion\":\"rdd.rancherdesktop.io/v1\",\"instance\":");
	g_autofree gchar *started = rdd_time_format(self->start_time);
	rdd_json_write_string(out, rdd_instance_get_name(self->instance));
	g_string_append(out, ",\"kind\":\"DaemonStatus\",\"pid\":");
	g_string_append_printf(out, "%d", (gint)getpid());
	g_string_append(out, ",\"ready\":");
	g_string_append(out, self->ready ? "true" : "false");
	g_string_append_printf(out, ",\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", rdd_store_get_resource_version(self->store));
	g_string_append(out, ",\"startTime\":");
	rdd_json_write_string(out, started);
	g_string_append(out, ",\"version\":\"" PACKAGE_VERSION "\"}");
	rdd_api_respond_string(msg, SOUP_STATUS_OK, g_steal_pointer(&out));
}

static void
rdd_api_server_passthrough(RddApiServer *self, SoupServerMessage *msg, gchar **seg, guint n, GHashTable *query)
{
	RddPluginContext *context = NULL;
	RddPluginRoute *route;
	g_autofree gchar *rest = NULL;

	if (n < 3) {
		rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL,
				       "passthrough paths are /passthrough/<plugin>/<endpoint>/...");
		return;
	}
	route = rdd_plugin_loader_lookup_route(self->loader, seg[1], seg[2], &context);
	if (route == NULL) {
		rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL,
				       "no plugin %s with a passthrough endpoint %s", seg[1], seg[2]);
		return;
	}
	if (n > 3) {
		g_autofree gchar *joined = g_strjoinv("/", seg + 3);
		rest = g_strconcat("/", joined, NULL);
	} else {
		rest = g_strdup("");
	}
	route->func(context, msg, rest, query, route->user_data);
}

static gboolean
rdd_api_server_parse_resource(RddApiServer *self, RddApiRequest *req, gchar **seg, guint n, GError **error)
{
	const gchar *group, *version;
	gchar **rest;
	guint nrest;
	RddKind *kind = NULL;

	if (g_strcmp0(seg[0], "api") == 0) {
		group = "";
		version = seg[1];
		rest = seg + 2;
		nrest = n - 2;
	} else {
		group = seg[1];
		version = seg[2];
		rest = seg + 3;
		nrest = n - 3;
	}
	if (nrest >= 3 && g_strcmp0(rest[0], "namespaces") == 0 &&
	    (kind = rdd_api_server_find_kind(self, group, version, rest[2])) != NULL &&
	    rdd_kind_is_namespaced(kind)) {
		if (nrest > 5)
			return FALSE;
		req->kind = kind;
		req->namespace = g_strdup(rest[1]);
		req->name = nrest >= 4 ? g_strdup(rest[3]) : NULL;
		req->subresource = nrest >= 5 ? g_strdup(rest[4]) : NULL;
	} else {
		if (nrest < 1 || nrest > 3)
			return FALSE;
		kind = rdd_api_server_find_kind(self, group, version, rest[0]);
		if (kind == NULL) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_NOT_FOUND,
				    "the server could not find the requested resource: no resource \"%s\" in "
				    "%s%s%s",
				    rest[0],
				    group,
				    group[0] != '\0' ? "/" : "",
				    version);
			return FALSE;
		}
		if (nrest >= 2 && rdd_kind_is_namespaced(kind)) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_NOT_FOUND,
				    "%s are namespaced: use /namespaces/<namespace>/%s/%s",
				    rdd_kind_get_plural(kind),
				    rdd_kind_get_plural(kind),
				    rest[1]);
			return FALSE;
		}
		req->kind = kind;
		req->name = nrest >= 2 ? g_strdup(rest[1]) : NULL;
		req->subresource = nrest >= 3 ? g_strdup(rest[2]) : NULL;
	}
	if (req->subresource != NULL && g_strcmp0(req->subresource, "status") != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_FOUND,
			    "%s has no subresource \"%s\"",
			    rdd_kind_get_qualified_plural(req->kind),
			    req->subresource);
		return FALSE;
	}
	if (req->subresource != NULL && !rdd_kind_has_status(req->kind)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_FOUND,
			    "%s has no status subresource",
			    rdd_kind_get_qualified_plural(req->kind));
		return FALSE;
	}
	return TRUE;
}

static void
rdd_api_server_request_clear(RddApiRequest *req)
{
	g_free(req->namespace);
	g_free(req->name);
	g_free(req->subresource);
	g_free(req->field_manager);
	g_clear_pointer(&req->warnings, g_ptr_array_unref);
	g_clear_pointer(&req->query, g_hash_table_unref);
}

/* answers 405 unless the request is a GET or HEAD */
static gboolean
rdd_api_server_require_get(SoupServerMessage *msg, const gchar *path)
{
	const gchar *method = soup_server_message_get_method(msg);
	if (g_strcmp0(method, "GET") == 0 || g_strcmp0(method, "HEAD") == 0)
		return TRUE;
	rdd_api_respond_status(msg, RDD_ERROR_NOT_SUPPORTED, NULL, NULL, "%s does not take %s: it only answers GET", path, method);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Allow", "GET, HEAD");
	return FALSE;
}

static void
rdd_api_server_handler(SoupServer *server,
		       SoupServerMessage *msg,
		       const char *path,
		       GHashTable *query,
		       gpointer user_data)
{
	RddApiServer *self = RDD_API_SERVER(user_data);
	g_auto(GStrv) raw = g_strsplit(path, "/", -1);
	g_autoptr(GPtrArray) parts = g_ptr_array_new_null_terminated(8, NULL, TRUE);
	gchar **seg;
	guint n;

	for (guint i = 0; raw[i] != NULL; i++) {
		if (raw[i][0] != '\0')
			g_ptr_array_add(parts, raw[i]);
	}
	seg = (gchar **)parts->pdata;
	n = parts->len;

	/* everything outside /api, /apis and /passthrough is read-only */
	if ((n == 0 || (g_strcmp0(seg[0], "api") != 0 && g_strcmp0(seg[0], "apis") != 0 &&
			g_strcmp0(seg[0], "passthrough") != 0)) &&
	    !rdd_api_server_require_get(msg, n == 0 ? "/" : path))
		return;
	if (n == 0) {
		rdd_api_respond_text(msg,
				     SOUP_STATUS_OK,
				     "application/json",
				     "{\"paths\":[\"/api\",\"/api/v1\",\"/apis\",\"/healthz\",\"/livez\","
				     "\"/openapi/v2\",\"/openapi/v3\",\"/rdd/v1/kinds\",\"/rdd/v1/plugins\",\"/rdd/v1/status\","
				     "\"/readyz\",\"/version\"]}");
		return;
	}
	if (n == 1 && (g_strcmp0(seg[0], "healthz") == 0 || g_strcmp0(seg[0], "livez") == 0 ||
		       g_strcmp0(seg[0], "readyz") == 0)) {
		rdd_api_server_health(self, msg, seg[0], query);
		return;
	}
	if (n == 1 && g_strcmp0(seg[0], "version") == 0) {
		rdd_api_server_version(self, msg);
		return;
	}
	if (n == 5 && g_strcmp0(seg[0], "rdd") == 0 && g_strcmp0(seg[1], "v1") == 0 &&
	    g_strcmp0(seg[2], "schemas") == 0) {
		/* /rdd/v1/schemas/<group or "core">/<Kind>: the kind's openAPIV3Schema */
		RddKind *kind = rdd_store_lookup_kind(self->store, g_strcmp0(seg[3], "core") == 0 ? "" : seg[3], seg[4]);
		JsonNode *schema = kind != NULL ? rdd_schema_get_node(rdd_kind_get_schema(kind)) : NULL;
		if (schema == NULL) {
			rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL, "no kind %s in group %s", seg[4], seg[3]);
			return;
		}
		{
			gchar *text = rdd_json_to_string(schema, FALSE);
			g_autoptr(GBytes) bytes = g_bytes_new_take(text, strlen(text));
			rdd_api_respond_bytes(msg, SOUP_STATUS_OK, "application/json", bytes);
		}
		return;
	}
	if (n == 3 && g_strcmp0(seg[0], "rdd") == 0 && g_strcmp0(seg[1], "v1") == 0) {
		if (g_strcmp0(seg[2], "plugins") == 0) {
			rdd_api_server_plugins(self, msg);
			return;
		}
		if (g_strcmp0(seg[2], "kinds") == 0) {
			rdd_api_server_kinds(self, msg);
			return;
		}
		if (g_strcmp0(seg[2], "status") == 0) {
			rdd_api_server_status(self, msg);
			return;
		}
	}
	if (g_strcmp0(seg[0], "passthrough") == 0) {
		rdd_api_server_passthrough(self, msg, seg, n, query);
		return;
	}
	if (g_strcmp0(seg[0], "openapi") == 0) {
		if (rdd_api_openapi_handle(self, msg, seg, n))
			return;
		rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL, "no OpenAPI document at %s", path);
		return;
	}
	if (g_strcmp0(seg[0], "api") != 0 && g_strcmp0(seg[0], "apis") != 0) {
		rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL,
				       "the server could not find the requested resource: %s", path);
		return;
	}
	if ((g_strcmp0(seg[0], "api") == 0 && n <= 2) || (g_strcmp0(seg[0], "apis") == 0 && n <= 3)) {
		if (!rdd_api_server_require_get(msg, path))
			return;
		if (!rdd_api_server_discovery(self, msg, seg, n))
			rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL,
					       "the server could not find the requested resource: %s", path);
		return;
	}
	{
		RddApiRequest req = {0};
		g_autoptr(GError) error_local = NULL;
		req.server = self;
		req.msg = msg;
		req.method = soup_server_message_get_method(msg);
		req.query = query != NULL ? g_hash_table_ref(query) : NULL;
		req.warnings = g_ptr_array_new_with_free_func(g_free);
		if (!rdd_api_server_parse_resource(self, &req, seg, n, &error_local)) {
			if (error_local != NULL)
				rdd_api_respond_error(msg, error_local, NULL, NULL);
			else
				rdd_api_respond_status(msg, RDD_ERROR_NOT_FOUND, NULL, NULL,
						       "the server could not find the requested resource: %s", path);
			rdd_api_server_request_clear(&req);
			return;
		}
		rdd_api_resource_handle(&req);
		rdd_api_server_request_clear(&req);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* public */

/**
 * rdd_api_server_new:
 * @store: the store to serve
 * @instance: the instance
 * @loader: the plugin loader, for passthrough routes and the plugin list
 *
 * Returns: (transfer full): a server with no listeners yet
 */
RddApiServer *
rdd_api_server_new(RddStore *store, RddInstance *instance, RddPluginLoader *loader)
{
	RddApiServer *self = g_object_new(RDD_TYPE_API_SERVER, NULL);
	self->store = g_object_ref(store);
	self->instance = g_object_ref(instance);
	self->loader = g_object_ref(loader);
	self->soup = soup_server_new("server-header", "rdd/" PACKAGE_VERSION, NULL);
	soup_server_add_early_handler(self->soup, NULL, rdd_api_server_early_cb, self, NULL);
	soup_server_add_handler(self->soup, NULL, rdd_api_server_handler, self, NULL);
	return self;
}

/**
 * rdd_api_server_get_store:
 * @self: a server
 *
 * Returns: (transfer none): the store
 */
RddStore *
rdd_api_server_get_store(RddApiServer *self)
{
	g_return_val_if_fail(RDD_IS_API_SERVER(self), NULL);
	return self->store;
}

/**
 * rdd_api_server_get_loader:
 * @self: a server
 *
 * Returns: (transfer none): the plugin loader
 */
RddPluginLoader *
rdd_api_server_get_loader(RddApiServer *self)
{
	g_return_val_if_fail(RDD_IS_API_SERVER(self), NULL);
	return self->loader;
}

/**
 * rdd_api_server_set_token:
 * @self: a server
 * @token: the bearer token TCP clients must send
 */
void
rdd_api_server_set_token(RddApiServer *self, const gchar *token)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	g_free(self->token);
	self->token = g_strdup(token);
}

/**
 * rdd_api_server_set_controllers:
 * @self: a server
 * @spec: the daemon's `--controllers`, for the plugin list
 */
void
rdd_api_server_set_controllers(RddApiServer *self, const gchar *spec)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	g_free(self->controllers);
	self->controllers = g_strdup(spec);
}

/* A connection on the unix socket. libsoup 3.2 takes the local address of a request for an
 * inet one when it builds the URI of an HTTP/1.0 request without Host (a critical on a unix
 * socket address), so connections are handed to it with a loopback address instead, marked
 * with what SO_PEERCRED says of the peer; rdd_api_server_authenticate() reads the mark. */
static gboolean
rdd_api_server_incoming_cb(GSocketService *service, GSocketConnection *connection, GObject *source, gpointer user_data)
{
	RddApiServer *self = RDD_API_SERVER(user_data);
	GSocket *sock = g_socket_connection_get_socket(connection);
	g_autoptr(GCredentials) creds = g_socket_get_credentials(sock, NULL);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) local = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) remote = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GError) error_local = NULL;
	RddApiServerPeer peer = RDD_API_SERVER_PEER_STRANGER;

	if (creds != NULL && g_credentials_get_unix_user(creds, NULL) == getuid())
		peer = RDD_API_SERVER_PEER_OWNER;
	g_object_set_data(G_OBJECT(local), RDD_API_SERVER_PEER_KEY, GINT_TO_POINTER(peer));
	if (!soup_server_accept_iostream(self->soup, G_IO_STREAM(connection), local, remote, &error_local))
		g_warning("cannot serve a connection on %s: %s", self->unix_path, error_local->message);
	return TRUE;
}

/* libsoup 3.2 keeps a connection open after a response only while the server has a listener of
 * its own (it closes every connection of a server without listeners, for keep-alive and
 * pipelining alike). Since we accept every connection ourselves, it gets one that nobody can
 * reach: a unix socket whose path is unlinked as soon as it listens. */
static gboolean
rdd_api_server_add_placeholder(RddApiServer *self, const gchar *near, GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(near);
	g_autofree gchar *name = g_strdup_printf(".rdd-api-placeholder-%d.sock", (gint)getpid());
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
	g_autoptr(GSocket) sock = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
	gboolean ok;

	if (sock == NULL) {
		rdd_error_convert(error);
		return FALSE;
	}
	g_unlink(path);
	ok = g_socket_bind(sock, addr, TRUE, error) && g_socket_listen(sock, error);
	g_unlink(path);
	if (!ok || !soup_server_listen_socket(self->soup, sock, 0, error)) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot set up the API server: ");
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_api_server_listen_unix:
 * @self: a server
 * @path: the socket path; a stale socket file is replaced
 * @error: return location for an error
 *
 * Serves plain HTTP on a unix socket with mode 0600; only peers with the daemon's uid are
 * answered.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_api_server_listen_unix(RddApiServer *self, const gchar *path, GError **error)
{
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketAddress) addr = NULL;
	g_autoptr(GSocketService) service = NULL;

	g_return_val_if_fail(RDD_IS_API_SERVER(self), FALSE);
	g_return_val_if_fail(self->unix_service == NULL, FALSE);
	if (g_unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot remove stale socket %s: %s", path, g_strerror(errno));
		return FALSE;
	}
	sock = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
	if (sock == NULL) {
		rdd_error_convert(error);
		return FALSE;
	}
	addr = g_unix_socket_address_new(path);
	/* GSocket's default backlog of 10 refuses bursts of clients */
	g_socket_set_listen_backlog(sock, SOMAXCONN);
	if (!g_socket_bind(sock, addr, TRUE, error) || !g_socket_listen(sock, error)) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot listen on %s: ", path);
		return FALSE;
	}
	if (g_chmod(path, 0600) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot restrict %s to its owner: %s", path, g_strerror(errno));
		return FALSE;
	}
	/* we accept ourselves rather than soup_server_listen_socket(): see
	 * rdd_api_server_incoming_cb() */
	service = g_socket_service_new();
	g_socket_listener_set_backlog(G_SOCKET_LISTENER(service), SOMAXCONN);
	if (!g_socket_listener_add_socket(G_SOCKET_LISTENER(service), sock, NULL, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	if (!rdd_api_server_add_placeholder(self, path, error))
		return FALSE;
	g_signal_connect(service, "incoming", G_CALLBACK(rdd_api_server_incoming_cb), self);
	g_socket_service_start(service);
	self->unix_service = g_steal_pointer(&service);
	g_free(self->unix_path);
	self->unix_path = g_strdup(path);
	return TRUE;
}

/* how long a client may take to complete its TLS handshake */
#define RDD_API_SERVER_HANDSHAKE_TIMEOUT_S 10

/* a TLS connection whose handshake is under way, and what libsoup needs once it is done */
typedef struct {
	RddApiServer *server; /* weak pointer */
	GIOStream *tls;
	GSocketAddress *local;
	GSocketAddress *remote;
	GCancellable *cancellable;
	guint timeout_id;
} RddApiServerHandshake;

static void
rdd_api_server_handshake_free(RddApiServerHandshake *hs)
{
	if (hs->server != NULL) {
		g_hash_table_remove(hs->server->handshakes, hs);
		g_object_remove_weak_pointer(G_OBJECT(hs->server), (gpointer *)&hs->server);
	}
	g_clear_handle_id(&hs->timeout_id, g_source_remove);
	g_object_unref(hs->cancellable);
	g_object_unref(hs->tls);
	g_object_unref(hs->local);
	g_object_unref(hs->remote);
	g_free(hs);
}

static gboolean
rdd_api_server_handshake_timeout_cb(gpointer user_data)
{
	RddApiServerHandshake *hs = user_data;
	hs->timeout_id = 0;
	g_cancellable_cancel(hs->cancellable);
	return G_SOURCE_REMOVE;
}

static void
rdd_api_server_handshake_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RddApiServerHandshake *hs = user_data;
	g_autoptr(GError) error_local = NULL;

	/* a client that hangs up, stalls or speaks plain HTTP just loses its connection */
	if (!g_tls_connection_handshake_finish(G_TLS_CONNECTION(source), result, &error_local)) {
		g_debug("TLS handshake with a client failed: %s", error_local->message);
	} else if (hs->server != NULL &&
		   !soup_server_accept_iostream(hs->server->soup, hs->tls, hs->local, hs->remote, &error_local)) {
		g_warning("cannot serve a connection on 127.0.0.1:%u: %s", hs->server->https_port, error_local->message);
	}
	rdd_api_server_handshake_free(hs);
}

/* what ALPN offers: libsoup 3.2 serves HTTP/1 only */
static const gchar *const rdd_api_server_alpn[] = {"http/1.1", "http/1.0", NULL};

/* a TCP connection: TLS with the serving certificate, handed to libsoup after the handshake */
static gboolean
rdd_api_server_incoming_https_cb(GSocketService *service,
				 GSocketConnection *connection,
				 GObject *source,
				 gpointer user_data)
{
	RddApiServer *self = RDD_API_SERVER(user_data);
	g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address(connection, NULL);
	g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address(connection, NULL);
	g_autoptr(GError) error_local = NULL;
	RddApiServerHandshake *hs;
	GIOStream *tls;

	if (local == NULL || remote == NULL)
		return TRUE; /* gone already */
	/* small responses go out at once, not after the peer's delayed ACK */
	g_socket_set_option(g_socket_connection_get_socket(connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
	/* no CA database (we ask for no client certificates; unset, GnuTLS would load the system's
	 * for every connection), and no close_notify required of clients that just hang up */
	tls = g_initable_new(g_tls_backend_get_server_connection_type(g_tls_backend_get_default()),
			     NULL,
			     &error_local,
			     "base-io-stream", connection,
			     "certificate", self->certificate,
			     "database", NULL,
			     "authentication-mode", G_TLS_AUTHENTICATION_NONE,
			     "require-close-notify", FALSE,
			     "advertised-protocols", rdd_api_server_alpn,
			     NULL);
	if (tls == NULL) {
		g_warning("cannot serve TLS on 127.0.0.1:%u: %s", self->https_port, error_local->message);
		return TRUE;
	}
	hs = g_new0(RddApiServerHandshake, 1);
	hs->server = self;
	g_object_add_weak_pointer(G_OBJECT(self), (gpointer *)&hs->server);
	hs->tls = tls;
	hs->local = g_steal_pointer(&local);
	hs->remote = g_steal_pointer(&remote);
	hs->cancellable = g_cancellable_new();
	hs->timeout_id = g_timeout_add_seconds(RDD_API_SERVER_HANDSHAKE_TIMEOUT_S, rdd_api_server_handshake_timeout_cb, hs);
	g_hash_table_add(self->handshakes, hs);
	g_tls_connection_handshake_async(G_TLS_CONNECTION(tls), G_PRIORITY_DEFAULT, hs->cancellable, rdd_api_server_handshake_cb, hs);
	return TRUE;
}

/**
 * rdd_api_server_listen_https:
 * @self: a server
 * @port: the port on 127.0.0.1; 0 picks a free one
 * @certificate: the serving certificate with its key
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_api_server_listen_https(RddApiServer *self, guint port, GTlsCertificate *certificate, GError **error)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(loopback, port);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketService) service = NULL;

	g_return_val_if_fail(RDD_IS_API_SERVER(self), FALSE);
	g_return_val_if_fail(G_IS_TLS_CERTIFICATE(certificate), FALSE);
	g_return_val_if_fail(self->https_service == NULL, FALSE);
	sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
	if (sock != NULL)
		g_socket_set_listen_backlog(sock, SOMAXCONN);
	if (sock == NULL || !g_socket_bind(sock, addr, TRUE, error) || !g_socket_listen(sock, error) ||
	    (bound = g_socket_get_local_address(sock, error)) == NULL) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot listen on 127.0.0.1:%u: ", port);
		return FALSE;
	}
	/* accepted by us and wrapped in TLS by us, like the unix socket: libsoup 3.2's own
	 * listener leaks the GSocket of every connection it accepts */
	service = g_socket_service_new();
	g_socket_listener_set_backlog(G_SOCKET_LISTENER(service), SOMAXCONN);
	if (!g_socket_listener_add_socket(G_SOCKET_LISTENER(service), sock, NULL, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	g_set_object(&self->certificate, certificate);
	g_signal_connect(service, "incoming", G_CALLBACK(rdd_api_server_incoming_https_cb), self);
	g_socket_service_start(service);
	self->https_service = g_steal_pointer(&service);
	self->https_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	return TRUE;
}

/**
 * rdd_api_server_get_https_port:
 * @self: a server
 *
 * Returns: the HTTPS port, 0 when not listening
 */
guint
rdd_api_server_get_https_port(RddApiServer *self)
{
	g_return_val_if_fail(RDD_IS_API_SERVER(self), 0);
	return self->https_port;
}

/**
 * rdd_api_server_set_ready:
 * @self: a server
 * @ready: whether `/readyz` answers ok
 */
void
rdd_api_server_set_ready(RddApiServer *self, gboolean ready)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	self->ready = ready;
}

/**
 * rdd_api_server_set_watch_queue_limit:
 * @self: a server
 * @bytes: how many bytes of events may wait for one watch client before its watch is ended
 */
void
rdd_api_server_set_watch_queue_limit(RddApiServer *self, gsize bytes)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	self->watch_queue_limit = bytes;
}

/**
 * rdd_api_server_get_watch_queue_limit:
 * @self: a server
 *
 * Returns: the per-watcher queue limit in bytes
 */
gsize
rdd_api_server_get_watch_queue_limit(RddApiServer *self)
{
	g_return_val_if_fail(RDD_IS_API_SERVER(self), 0);
	return self->watch_queue_limit;
}

/**
 * rdd_api_server_disconnect:
 * @self: a server
 *
 * Stops listening and removes the unix socket file.
 */
void
rdd_api_server_disconnect(RddApiServer *self)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	if (self->unix_service != NULL) {
		g_socket_service_stop(self->unix_service);
		g_socket_listener_close(G_SOCKET_LISTENER(self->unix_service));
	}
	if (self->https_service != NULL) {
		GHashTableIter iter;
		gpointer hs;
		g_socket_service_stop(self->https_service);
		g_socket_listener_close(G_SOCKET_LISTENER(self->https_service));
		g_hash_table_iter_init(&iter, self->handshakes);
		while (g_hash_table_iter_next(&iter, &hs, NULL))
			g_cancellable_cancel(((RddApiServerHandshake *)hs)->cancellable);
	}
	if (self->soup != NULL)
		soup_server_disconnect(self->soup);
	if (self->unix_path != NULL) {
		g_unlink(self->unix_path);
		g_clear_pointer(&self->unix_path, g_free);
	}
}

/**
 * rdd_api_server_count_watcher:
 * @self: a server
 * @delta: +1 when a watch starts, -1 when it ends
 */
void
rdd_api_server_count_watcher(RddApiServer *self, gint delta)
{
	g_return_if_fail(RDD_IS_API_SERVER(self));
	self->n_watchers += delta;
}

/**
 * rdd_api_server_get_n_watchers:
 * @self: a server
 *
 * Returns: how many watch streams are open
 */
guint
rdd_api_server_get_n_watchers(RddApiServer *self)
{
	g_return_val_if_fail(RDD_IS_API_SERVER(self), 0);
	return self->n_watchers;
}
