/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The resource endpoints of the HTTP API: get, list, create, update, patch, delete and
 * deletecollection, for every kind, on its cluster-scoped or namespaced paths and its status
 * subresource.
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

/* a write waiting for its commit before the client hears about it */
typedef struct {
	SoupServerMessage *msg;
	RddObject *object;
	GString *body; /* instead of @object, for collections */
	guint status;
	GPtrArray *warnings;
	RddKind *kind;
} RddApiResourcePending;

static void
rdd_api_resource_pending_free(RddApiResourcePending *pending)
{
	g_clear_object(&pending->msg);
	g_clear_pointer(&pending->object, rdd_object_unref);
	if (pending->body != NULL)
		g_string_free(pending->body, TRUE);
	g_clear_pointer(&pending->warnings, g_ptr_array_unref);
	g_clear_object(&pending->kind);
	g_free(pending);
}

static void
rdd_api_resource_committed_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RddApiResourcePending *pending = user_data;
	g_autoptr(GError) error_local = NULL;

	if (!rdd_store_wait_committed_finish(RDD_STORE(source), result, &error_local)) {
		g_prefix_error_literal(&error_local, "the write could not be committed: ");
		rdd_api_respond_error(pending->msg, error_local, pending->kind, NULL);
	} else if (pending->body != NULL) {
		rdd_api_respond_string(pending->msg, pending->status, g_steal_pointer(&pending->body));
	} else {
		rdd_api_respond_object(pending->msg, pending->status, pending->object);
	}
	rdd_api_add_warnings(pending->msg, pending->warnings);
	soup_server_message_unpause(pending->msg);
	rdd_api_resource_pending_free(pending);
}

/* answers once everything up to @rv is durable; dry runs and no-ops answer at once */
static void
rdd_api_resource_reply_after_commit(RddApiRequest *req, guint status, RddObject *object, GString *body, gboolean dry_run)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	guint64 rv = object != NULL ? rdd_object_get_resource_version(object) : rdd_store_get_resource_version(store);
	RddApiResourcePending *pending;

	if (dry_run || rv <= rdd_store_get_committed_resource_version(store)) {
		if (body != NULL)
			rdd_api_respond_string(req->msg, status, body);
		else
			rdd_api_respond_object(req->msg, status, object);
		rdd_api_add_warnings(req->msg, req->warnings);
		return;
	}
	pending = g_new0(RddApiResourcePending, 1);
	pending->msg = g_object_ref(req->msg);
	pending->object = object != NULL ? rdd_object_ref(object) : NULL;
	pending->body = body;
	pending->status = status;
	pending->warnings = g_ptr_array_ref(req->warnings);
	pending->kind = g_object_ref(req->kind);
	soup_server_message_pause(req->msg);
	rdd_store_wait_committed_async(store, rv, NULL, rdd_api_resource_committed_cb, pending);
}

/* every write but an apply records what its manager changed in managedFields */
static void
rdd_api_resource_prepare_cb(JsonNode *object, RddObject *old, const gchar *subresource, gpointer user_data)
{
	RddApiRequest *req = user_data;
	rdd_api_apply_record_update_full(req->kind, object, old, req->field_manager, subresource);
}

static gboolean
rdd_api_resource_write_options(RddApiRequest *req, RddWriteOptions *options, GError **error)
{
	const gchar *dry_run = rdd_api_query(req, "dryRun");
	const gchar *validation = rdd_api_query(req, "fieldValidation");
	const gchar *manager = rdd_api_query(req, "fieldManager");

	memset(options, 0, sizeof(*options));
	options->warnings = req->warnings;
	g_free(req->field_manager);
	if (manager != NULL && manager[0] != '\0') {
		req->field_manager = g_strdup(manager);
	} else {
		const gchar *agent = soup_message_headers_get_one(soup_server_message_get_request_headers(req->msg), "User-Agent");
		req->field_manager = rdd_api_apply_default_manager(agent);
	}
	options->field_manager = req->field_manager;
	options->prepare = rdd_api_resource_prepare_cb;
	options->prepare_data = req;
	if (dry_run != NULL && dry_run[0] != '\0') {
		if (g_strcmp0(dry_run, "All") != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_BAD_REQUEST,
				    "dryRun: Unsupported value: \"%s\": supported values: \"All\"",
				    dry_run);
			return FALSE;
		}
		options->dry_run = TRUE;
	}
	if (validation == NULL || validation[0] == '\0' || g_ascii_strcasecmp(validation, "Warn") == 0) {
		options->field_validation = RDD_FIELD_VALIDATION_WARN;
	} else if (g_ascii_strcasecmp(validation, "Strict") == 0) {
		options->field_validation = RDD_FIELD_VALIDATION_STRICT;
	} else if (g_ascii_strcasecmp(validation, "Ignore") == 0) {
		options->field_validation = RDD_FIELD_VALIDATION_IGNORE;
	} else {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BAD_REQUEST,
			    "fieldValidation: Unsupported value: \"%s\": supported values: \"Ignore\", "
			    "\"Strict\", \"Warn\"",
			    validation);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_api_resource_parse_uint(RddApiRequest *req, const gchar *key, guint64 max, guint64 *value, GError **error)
{
	const gchar *text = rdd_api_query(req, key);
	*value = 0;
	if (text == NULL || text[0] == '\0')
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, max, value, NULL)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BAD_REQUEST,
			    "%s: Invalid value: \"%s\": must be a whole number from 0 to %" G_GUINT64_FORMAT,
			    key,
			    text,
			    max);
		return FALSE;
	}
	return TRUE;
}

/* checks apiVersion, kind, name and namespace of a body against the URL, filling what is missing */
static gboolean
rdd_api_resource_check_body(RddApiRequest *req, JsonNode *body, gboolean need_name, GError **error)
{
	JsonObject *root, *meta;
	const gchar *api_version, *kind, *name, *ns;

	if (!JSON_NODE_HOLDS_OBJECT(body)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "the request body must be a JSON object");
		return FALSE;
	}
	root = json_node_get_object(body);
	api_version = rdd_json_lookup_string(body, "apiVersion");
	kind = rdd_json_lookup_string(body, "kind");
	if (api_version != NULL && g_strcmp0(api_version, rdd_kind_get_api_version(req->kind)) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BAD_REQUEST,
			    "the API version in the data (%s) does not match the expected API version (%s)",
			    api_version,
			    rdd_kind_get_api_version(req->kind));
		return FALSE;
	}
	if (kind != NULL && g_strcmp0(kind, rdd_kind_get_name(req->kind)) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BAD_REQUEST,
			    "the kind in the data (%s) does not match the expected kind (%s)",
			    kind,
			    rdd_kind_get_name(req->kind));
		return FALSE;
	}
	if (json_object_has_member(root, "metadata") &&
	    !JSON_NODE_HOLDS_OBJECT(json_object_get_member(root, "metadata"))) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "metadata must be a JSON object");
		return FALSE;
	}
	meta = rdd_json_object_ensure_object(root, "metadata");
	name = json_object_get_string_member_with_default(meta, "name", NULL);
	if (need_name && req->name != NULL) {
		if (name == NULL || name[0] == '\0') {
			json_object_set_string_member(meta, "name", req->name);
		} else if (g_strcmp0(name, req->name) != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_BAD_REQUEST,
				    "the name of the object (%s) does not match the name on the URL (%s)",
				    name,
				    req->name);
			return FALSE;
		}
	}
	ns = json_object_get_string_member_with_default(meta, "namespace", NULL);
	if (req->namespace != NULL) {
		if (ns == NULL || ns[0] == '\0') {
			json_object_set_string_member(meta, "namespace", req->namespace);
		} else if (g_strcmp0(ns, req->namespace) != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_BAD_REQUEST,
				    "the namespace of the provided object (%s) does not match the namespace "
				    "sent on the request (%s)",
				    ns,
				    req->namespace);
			return FALSE;
		}
	} else if (rdd_kind_is_namespaced(req->kind)) {
		g_set_error_literal(error,
				    RDD_ERROR,
				    RDD_ERROR_BAD_REQUEST,
				    "namespaced objects are written under /namespaces/<namespace>/");
		return FALSE;
	}
	json_object_set_string_member(root, "apiVersion", rdd_kind_get_api_version(req->kind));
	json_object_set_string_member(root, "kind", rdd_kind_get_name(req->kind));
	return TRUE;
}

static void
rdd_api_resource_fail(RddApiRequest *req, const GError *error, const gchar *name)
{
	rdd_api_respond_error(req->msg, error, req->kind, name != NULL ? name : req->name);
	rdd_api_add_warnings(req->msg, req->warnings);
}

/* ---------------------------------------------------------------------------------------- */

static void
rdd_api_resource_append_list(GString *out, RddKind *kind, GPtrArray *items, guint64 rv, const gchar *cont, guint64 remaining)
{
	g_string_append(out, "{\"apiVersion\":");
	rdd_json_write_string(out, rdd_kind_get_api_version(kind));
	g_string_append(out, ",\"items\":[");
	for (guint i = 0; i < items->len; i++) {
		gsize len = 0;
		const gchar *json = rdd_object_get_json(g_ptr_array_index(items, i), &len);
		if (i > 0)
			g_string_append_c(out, ',');
		g_string_append_len(out, json, len);
	}
	g_string_append(out, "],\"kind\":");
	rdd_json_write_string(out, rdd_kind_get_list_kind(kind));
	g_string_append(out, ",\"metadata\":{");
	if (cont != NULL) {
		g_string_append(out, "\"continue\":");
		rdd_json_write_string(out, cont);
		g_string_append_c(out, ',');
		if (remaining > 0)
			g_string_append_printf(out, "\"remainingItemCount\":%" G_GUINT64_FORMAT ",", remaining);
	}
	g_string_append_printf(out, "\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"}}", rv);
}

static gboolean
rdd_api_resource_list_options(RddApiRequest *req, RddListOptions *options, GError **error)
{
	const gchar *labels = rdd_api_query(req, "labelSelector");
	const gchar *fields = rdd_api_query(req, "fieldSelector");
	guint64 limit = 0;

	memset(options, 0, sizeof(*options));
	options->namespace = req->namespace;
	if (labels != NULL && labels[0] != '\0') {
		options->label_selector = rdd_selector_parse_labels(labels, error);
		if (options->label_selector == NULL)
			return FALSE;
	}
	if (fields != NULL && fields[0] != '\0') {
		options->field_selector = rdd_selector_parse_fields(fields, error);
		if (options->field_selector == NULL)
			return FALSE;
	}
	if (!rdd_api_resource_parse_uint(req, "limit", G_MAXUINT32, &limit, error))
		return FALSE;
	options->limit = (guint)limit;
	options->continue_token = rdd_api_query(req, "continue");
	return TRUE;
}

static void
rdd_api_resource_list_options_clear(RddListOptions *options)
{
	g_clear_pointer(&options->label_selector, rdd_selector_unref);
	g_clear_pointer(&options->field_selector, rdd_selector_unref);
}

static gboolean
rdd_api_resource_check_rv(RddApiRequest *req, GError **error)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	guint64 rv = 0;
	const gchar *match = rdd_api_query(req, "resourceVersionMatch");
	const gchar *rv_text = rdd_api_query(req, "resourceVersion");
	const gchar *cont = rdd_api_query(req, "continue");
	if (!rdd_api_resource_parse_uint(req, "resourceVersion", G_MAXUINT64, &rv, error))
		return FALSE;
	if (cont != NULL && cont[0] != '\0' && rv_text != NULL && rv_text[0] != '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "resourceVersion: Forbidden: specifying resourceVersion is not allowed when using continue");
		return FALSE;
	}
	if (match != NULL && match[0] != '\0') {
		if (rv_text == NULL || rv_text[0] == '\0') {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
					    "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless "
					    "resourceVersion is provided");
			return FALSE;
		}
		if (cont != NULL && cont[0] != '\0') {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
					    "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when "
					    "continue is provided");
			return FALSE;
		}
		if (g_strcmp0(match, "Exact") == 0) {
			if (rv == 0) {
				g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
						    "resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is "
						    "forbidden for resourceVersion \"0\"");
				return FALSE;
			}
			/* the store keeps the present, not past lists: only the present can be exact */
			if (rv < rdd_store_get_resource_version(store)) {
				g_set_error(error, RDD_ERROR, RDD_ERROR_GONE,
					    "too old resource version: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
					    "): lists are served at the current resourceVersion only",
					    rv, rdd_store_get_resource_version(store));
				return FALSE;
			}
		} else if (g_strcmp0(match, "NotOlderThan") != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "resourceVersionMatch: Unsupported value: \"%s\": supported values: "
				    "\"Exact\", \"NotOlderThan\"", match);
			return FALSE;
		}
	}
	if (rv > rdd_store_get_resource_version(store)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_TIMED_OUT,
			    "Too large resource version: %" G_GUINT64_FORMAT ", current: %" G_GUINT64_FORMAT,
			    rv,
			    rdd_store_get_resource_version(store));
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_api_resource_table_include:
 * @req: a request
 *
 * Returns: the #RddApiTableInclude the `includeObject` query parameter asks for
 */
guint
rdd_api_resource_table_include(RddApiRequest *req)
{
	const gchar *include = rdd_api_query(req, "includeObject");
	if (g_strcmp0(include, "None") == 0)
		return RDD_API_TABLE_INCLUDE_NONE;
	if (g_strcmp0(include, "Object") == 0)
		return RDD_API_TABLE_INCLUDE_OBJECT;
	return RDD_API_TABLE_INCLUDE_METADATA;
}

static void
rdd_api_resource_list(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	RddListOptions options;
	g_autoptr(RddListResult) result = NULL;
	g_autoptr(GError) error_local = NULL;
	GString *out;

	if (!rdd_api_resource_check_rv(req, &error_local) ||
	    !rdd_api_resource_list_options(req, &options, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	result = rdd_store_list(store, req->kind, &options, &error_local);
	rdd_api_resource_list_options_clear(&options);
	if (result == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	if (rdd_api_table_wanted(req->msg)) {
		out = rdd_api_table_render(req->kind,
					   result->items,
					   result->resource_version,
					   result->continue_token,
					   rdd_api_resource_table_include(req),
					   &error_local);
		if (out == NULL) {
			rdd_api_resource_fail(req, error_local, NULL);
			return;
		}
	} else {
		out = g_string_sized_new(256 + result->items->len * 1024);
		rdd_api_resource_append_list(out,
					     req->kind,
					     result->items,
					     result->resource_version,
					     result->continue_token,
					     result->remaining);
	}
	rdd_api_respond_string(req->msg, SOUP_STATUS_OK, out);
}

static void
rdd_api_resource_get(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RddObject) obj = rdd_store_get(store, req->kind, req->namespace, req->name, &error_local);

	if (obj == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	if (rdd_api_table_wanted(req->msg)) {
		g_autoptr(GPtrArray) items = g_ptr_array_new();
		GString *out;
		g_ptr_array_add(items, obj);
		out = rdd_api_table_render(req->kind,
					   items,
					   rdd_object_get_resource_version(obj),
					   NULL,
					   rdd_api_resource_table_include(req),
					   &error_local);
		if (out == NULL) {
			rdd_api_resource_fail(req, error_local, NULL);
			return;
		}
		rdd_api_respond_string(req->msg, SOUP_STATUS_OK, out);
		return;
	}
	rdd_api_respond_object(req->msg, SOUP_STATUS_OK, obj);
}

static void
rdd_api_resource_create(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	RddWriteOptions options;
	g_autofree gchar *name = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;

	if (!rdd_api_resource_write_options(req, &options, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	body = rdd_api_read_body(req->msg, req->kind, TRUE, &error_local);
	if (body == NULL || !rdd_api_resource_check_body(req, body, FALSE, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	/* the body is ours and not used again: the store may keep parts of it */
	name = g_strdup(rdd_json_lookup_string(body, "metadata.name"));
	options.take_object = TRUE;
	obj = rdd_store_create(store, body, &options, &error_local);
	if (obj == NULL) {
		rdd_api_resource_fail(req, error_local, name);
		return;
	}
	rdd_api_resource_reply_after_commit(req, SOUP_STATUS_CREATED, obj, NULL, options.dry_run);
}

static void
rdd_api_resource_update(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	RddWriteOptions options;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;

	if (!rdd_api_resource_write_options(req, &options, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	body = rdd_api_read_body(req->msg, req->kind, TRUE, &error_local);
	if (body == NULL || !rdd_api_resource_check_body(req, body, TRUE, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	options.take_object = TRUE;
	if (req->subresource != NULL)
		obj = rdd_store_update_status(store, body, &options, &error_local);
	else
		obj = rdd_store_update(store, body, &options, &error_local);
	if (obj == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	rdd_api_resource_reply_after_commit(req, SOUP_STATUS_OK, obj, NULL, options.dry_run);
}

static void
rdd_api_resource_patch(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	const gchar *content_type =
	    soup_message_headers_get_content_type(soup_server_message_get_request_headers(req->msg), NULL);
	RddWriteOptions options;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;
	RddPatchType type;
	gboolean status = req->subresource != NULL;

	if (!rdd_api_resource_write_options(req, &options, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	if (g_strcmp0(content_type, "application/apply-patch+yaml") == 0) {
		const gchar *manager = rdd_api_query(req, "fieldManager");
		gboolean created = FALSE;
		gboolean force_value = FALSE;
		if (manager == NULL || manager[0] == '\0') {
			rdd_api_respond_status(req->msg,
					       RDD_ERROR_BAD_REQUEST,
					       req->kind,
					       req->name,
					       "PATCH, with an apply patch, must have a fieldManager: set the "
					       "fieldManager query parameter");
			return;
		}
		if (!rdd_api_query_bool(req, "force", &force_value, &error_local)) {
			rdd_api_resource_fail(req, error_local, NULL);
			return;
		}
		body = rdd_api_read_body(req->msg, req->kind, TRUE, &error_local);
		if (body == NULL || !rdd_api_resource_check_body(req, body, TRUE, &error_local)) {
			rdd_api_resource_fail(req, error_local, NULL);
			return;
		}
		options.prepare = NULL;
		obj = rdd_api_apply(store,
				    req->kind,
				    req->namespace,
				    req->name,
				    body,
				    manager,
				    force_value,
				    status,
				    &options,
				    &created,
				    &error_local);
		if (obj == NULL) {
			rdd_api_resource_fail(req, error_local, NULL);
			return;
		}
		rdd_api_resource_reply_after_commit(req,
						    created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
						    obj,
						    NULL,
						    options.dry_run);
		return;
	}
	if (g_strcmp0(content_type, "application/merge-patch+json") == 0) {
		type = RDD_PATCH_MERGE;
	} else if (g_strcmp0(content_type, "application/json-patch+json") == 0) {
		type = RDD_PATCH_JSON;
	} else if (g_strcmp0(content_type, "application/strategic-merge-patch+json") == 0) {
		type = RDD_PATCH_STRATEGIC;
	} else {
		rdd_api_respond_status(req->msg,
				       RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
				       req->kind,
				       req->name,
				       "the body of the request was in an unknown format (%s) - accepted "
				       "media types include: application/json-patch+json, "
				       "application/merge-patch+json, application/apply-patch+yaml, "
				       "application/strategic-merge-patch+json",
				       content_type != NULL ? content_type : "no Content-Type");
		return;
	}
	body = rdd_api_read_body(req->msg, req->kind, FALSE, &error_local);
	if (body == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	obj = rdd_store_patch(store, req->kind, req->namespace, req->name, type, body, status, &options, &error_local);
	if (obj == NULL) {
		/* a patch that cannot be applied is Invalid without field causes; kubectl prints only
		 * the causes of an Invalid Status, so the reason goes into one */
		if (g_error_matches(error_local, RDD_ERROR, RDD_ERROR_INVALID) &&
		    (rdd_error_get_causes(error_local) == NULL || rdd_error_get_causes(error_local)->len == 0))
			rdd_error_add_cause(error_local, "FieldValueInvalid", "patch", error_local->message);
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	rdd_api_resource_reply_after_commit(req, SOUP_STATUS_OK, obj, NULL, options.dry_run);
}

/* member @name of @obj must be absent, null, or of @type; names it in the error otherwise */
static gboolean
rdd_api_resource_check_member(JsonObject *obj, const gchar *prefix, const gchar *name, GType type, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	const gchar *want;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (type == JSON_TYPE_OBJECT) {
		if (JSON_NODE_HOLDS_OBJECT(node))
			return TRUE;
		want = "an object";
	} else if (type == JSON_TYPE_ARRAY) {
		/* arrays here are always arrays of strings */
		if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *array = json_node_get_array(node);
			for (guint i = 0; i < json_array_get_length(array); i++) {
				JsonNode *item = json_array_get_element(array, i);
				if (!JSON_NODE_HOLDS_VALUE(item) || json_node_get_value_type(item) != G_TYPE_STRING) {
					g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
						    "DeleteOptions: %s%s[%u] must be a string", prefix, name, i);
					return FALSE;
				}
			}
			return TRUE;
		}
		want = "an array of strings";
	} else if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type) {
		return TRUE;
	} else {
		want = type == G_TYPE_STRING ? "a string" : type == G_TYPE_INT64 ? "an integer" : "a boolean";
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "DeleteOptions: %s%s must be %s", prefix, name, want);
	return FALSE;
}

/* a DeleteOptions body whose fields have the wrong types is refused, so that preconditions
 * are never dropped silently; unknown fields are ignored as Kubernetes does */
static gboolean
rdd_api_resource_check_delete_shape(JsonNode *body, GError **error)
{
	JsonObject *obj;
	JsonObject *pre;
	if (!JSON_NODE_HOLDS_OBJECT(body)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "DeleteOptions must be a JSON object");
		return FALSE;
	}
	obj = json_node_get_object(body);
	if (!rdd_api_resource_check_member(obj, "", "kind", G_TYPE_STRING, error) ||
	    !rdd_api_resource_check_member(obj, "", "apiVersion", G_TYPE_STRING, error) ||
	    !rdd_api_resource_check_member(obj, "", "preconditions", JSON_TYPE_OBJECT, error) ||
	    !rdd_api_resource_check_member(obj, "", "propagationPolicy", G_TYPE_STRING, error) ||
	    !rdd_api_resource_check_member(obj, "", "gracePeriodSeconds", G_TYPE_INT64, error) ||
	    !rdd_api_resource_check_member(obj, "", "orphanDependents", G_TYPE_BOOLEAN, error) ||
	    !rdd_api_resource_check_member(obj, "", "dryRun", JSON_TYPE_ARRAY, error))
		return FALSE;
	pre = json_object_get_member(obj, "preconditions") != NULL &&
		      JSON_NODE_HOLDS_OBJECT(json_object_get_member(obj, "preconditions"))
		  ? json_object_get_object_member(obj, "preconditions")
		  : NULL;
	if (pre != NULL && (!rdd_api_resource_check_member(pre, "preconditions.", "uid", G_TYPE_STRING, error) ||
			    !rdd_api_resource_check_member(pre, "preconditions.", "resourceVersion", G_TYPE_STRING, error)))
		return FALSE;
	if (json_object_has_member(obj, "kind") && JSON_NODE_HOLDS_VALUE(json_object_get_member(obj, "kind")) &&
	    g_strcmp0(json_object_get_string_member(obj, "kind"), "DeleteOptions") != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "the body of a DELETE must be DeleteOptions, not %s",
			    json_object_get_string_member(obj, "kind"));
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_api_resource_delete_options(RddApiRequest *req, RddDeleteOptions *options, JsonNode **body_out, GError **error)
{
	const gchar *dry_run = rdd_api_query(req, "dryRun");
	const gchar *policy = rdd_api_query(req, "propagationPolicy");
	gboolean orphan = FALSE;
	guint64 grace = 0;
	gsize body_len = soup_server_message_get_request_body(req->msg)->length;
	JsonNode *body = NULL;

	memset(options, 0, sizeof(*options));
	options->warnings = req->warnings;
	if (!rdd_api_resource_parse_uint(req, "gracePeriodSeconds", G_MAXINT64, &grace, error) ||
	    !rdd_api_query_bool(req, "orphanDependents", &orphan, error))
		return FALSE;
	if (body_len > 0 || g_object_get_data(G_OBJECT(req->msg), "rdd-api-body") != NULL) {
		g_autoptr(GError) error_local = NULL;
		body = rdd_api_read_body(req->msg, req->kind, FALSE, &error_local);
		if (body == NULL && error_local->code != RDD_ERROR_BAD_REQUEST) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (body == NULL && body_len > 0) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	*body_out = body;
	if (body != NULL) {
		JsonNode *dry = rdd_json_lookup(body, "dryRun");
		if (!rdd_api_resource_check_delete_shape(body, error))
			return FALSE;
		if (policy == NULL)
			policy = rdd_json_lookup_string(body, "propagationPolicy");
		options->precondition_uid = rdd_json_lookup_string(body, "preconditions.uid");
		options->precondition_resource_version = rdd_json_lookup_string(body, "preconditions.resourceVersion");
		if (dry != NULL && JSON_NODE_HOLDS_ARRAY(dry) && json_array_get_length(json_node_get_array(dry)) > 0)
			dry_run = json_array_get_string_element(json_node_get_array(dry), 0);
		if (json_object_get_boolean_member_with_default(json_node_get_object(body), "orphanDependents", FALSE))
			orphan = TRUE;
	}
	if (dry_run != NULL && dry_run[0] != '\0') {
		if (g_strcmp0(dry_run, "All") != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_BAD_REQUEST,
				    "dryRun: Unsupported value: \"%s\": supported values: \"All\"",
				    dry_run);
			return FALSE;
		}
		options->dry_run = TRUE;
	}
	if (policy == NULL || policy[0] == '\0' || g_strcmp0(policy, "Background") == 0) {
		options->propagation = orphan ? RDD_PROPAGATION_ORPHAN : RDD_PROPAGATION_BACKGROUND;
	} else if (g_strcmp0(policy, "Foreground") == 0) {
		options->propagation = RDD_PROPAGATION_FOREGROUND;
	} else if (g_strcmp0(policy, "Orphan") == 0) {
		options->propagation = RDD_PROPAGATION_ORPHAN;
	} else {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BAD_REQUEST,
			    "propagationPolicy: Unsupported value: \"%s\": supported values: "
			    "\"Background\", \"Foreground\", \"Orphan\"",
			    policy);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_api_resource_delete(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	RddDeleteOptions options;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;

	if (req->subresource != NULL) {
		rdd_api_respond_status(req->msg, RDD_ERROR_NOT_SUPPORTED, req->kind, req->name,
				       "the status subresource cannot be deleted; delete the object");
		return;
	}
	if (!rdd_api_resource_delete_options(req, &options, &body, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	obj = rdd_store_delete(store, req->kind, req->namespace, req->name, &options, &error_local);
	if (obj == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	rdd_api_resource_reply_after_commit(req, SOUP_STATUS_OK, obj, NULL, options.dry_run);
}

static void
rdd_api_resource_delete_collection(RddApiRequest *req)
{
	RddStore *store = rdd_api_server_get_store(req->server);
	RddDeleteOptions options;
	RddListOptions list_options;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddListResult) result = NULL;
	g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_object_unref);
	GString *out;

	if (!rdd_api_resource_delete_options(req, &options, &body, &error_local) ||
	    !rdd_api_resource_list_options(req, &list_options, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	list_options.limit = 0;
	list_options.continue_token = NULL;
	result = rdd_store_list(store, req->kind, &list_options, &error_local);
	rdd_api_resource_list_options_clear(&list_options);
	if (result == NULL) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	for (guint i = 0; i < result->items->len; i++) {
		RddObject *item = g_ptr_array_index(result->items, i);
		RddObject *gone = rdd_store_delete(store,
						   req->kind,
						   rdd_object_get_namespace(item),
						   rdd_object_get_name(item),
						   &options,
						   &error_local);
		if (gone == NULL) {
			/* stop at the first refusal and say which object it was */
			rdd_api_resource_fail(req, error_local, rdd_object_get_name(item));
			return;
		}
		g_ptr_array_add(deleted, gone);
	}
	out = g_string_new(NULL);
	rdd_api_resource_append_list(out, req->kind, deleted, rdd_store_get_resource_version(store), NULL, 0);
	rdd_api_resource_reply_after_commit(req, SOUP_STATUS_OK, NULL, out, options.dry_run);
}

/**
 * rdd_api_resource_handle:
 * @req: a parsed resource request
 *
 * Dispatches on the method and on whether the path names an object.
 */
void
rdd_api_resource_handle(RddApiRequest *req)
{
	const gchar *method = req->method;
	gboolean is_get = g_strcmp0(method, "GET") == 0;
	gboolean watch = FALSE;
	g_autoptr(GError) error_local = NULL;

	if (is_get && !rdd_api_query_bool(req, "watch", &watch, &error_local)) {
		rdd_api_resource_fail(req, error_local, NULL);
		return;
	}
	if (req->name == NULL) {
		if (watch)
			rdd_api_watch_start(req);
		else if (is_get)
			rdd_api_resource_list(req);
		else if (g_strcmp0(method, "POST") == 0)
			rdd_api_resource_create(req);
		else if (g_strcmp0(method, "DELETE") == 0)
			rdd_api_resource_delete_collection(req);
		else
			rdd_api_respond_status(req->msg,
					       RDD_ERROR_NOT_SUPPORTED,
					       req->kind,
					       NULL,
					       "the server does not allow this method on the requested resource: "
					       "%s on a collection of %s",
					       method,
					       rdd_kind_get_qualified_plural(req->kind));
		return;
	}
	if (watch) {
		rdd_api_respond_status(req->msg, RDD_ERROR_BAD_REQUEST, req->kind, req->name,
				       "watch a single object with a fieldSelector on metadata.name");
		return;
	}
	if (is_get)
		rdd_api_resource_get(req);
	else if (g_strcmp0(method, "PUT") == 0)
		rdd_api_resource_update(req);
	else if (g_strcmp0(method, "PATCH") == 0)
		rdd_api_resource_patch(req);
	else if (g_strcmp0(method, "DELETE") == 0)
		rdd_api_resource_delete(req);
	else
		rdd_api_respond_status(req->msg,
				       RDD_ERROR_NOT_SUPPORTED,
				       req->kind,
				       req->name,
				       "the server does not allow this method on the requested resource: %s "
				       "on %s \"%s\"",
				       method,
				       rdd_kind_get_qualified_plural(req->kind),
				       req->name);
}
