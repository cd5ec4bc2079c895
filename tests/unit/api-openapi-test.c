/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rdd-api-server.h"
#include "rdd-json.h"

/*
 * The OpenAPI documents of a store with the core kinds and test CRDs, fetched through a real
 * RddApiServer on a unix socket with a SoupSession.
 *
 * Widget (test.rdd.io/v1): namespaced, status subresource, and the schema features whose
 *   conversion differs between v2 and v3: nullable, int-or-string, preserve-unknown-fields,
 *   embedded resources, example.
 * Gadget (other-group.example.com/v1beta1): cluster-scoped, no status subresource.
 * Gizmo (test.rdd.io/v1): registered later, to change the test.rdd.io/v1 document.
 */

static const gchar rdd_api_openapi_test_crds[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata:\n"
	"  name: widgets.test.rdd.io\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}\n"
	"  scope: Namespaced\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      subresources:\n"
	"        status: {}\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          description: Widget is a test kind.\n"
	"          properties:\n"
	"            spec:\n"
	"              type: object\n"
	"              description: WidgetSpec is the desired state of a Widget.\n"
	"              required: [size, note]\n"
	"              properties:\n"
	"                size: {type: integer, format: int32, minimum: 1, description: How big.}\n"
	"                note: {type: string, nullable: true, description: A note.}\n"
	"                port: {x-kubernetes-int-or-string: true}\n"
	"                extra:\n"
	"                  type: object\n"
	"                  x-kubernetes-preserve-unknown-fields: true\n"
	"                  properties:\n"
	"                    known: {type: string}\n"
	"                template:\n"
	"                  type: object\n"
	"                  x-kubernetes-embedded-resource: true\n"
	"                  properties:\n"
	"                    spec: {type: object, x-kubernetes-preserve-unknown-fields: true}\n"
	"                tags:\n"
	"                  type: array\n"
	"                  x-kubernetes-list-type: set\n"
	"                  items: {type: string}\n"
	"                color: {type: string, enum: [red, blue], example: red}\n"
	"            status:\n"
	"              type: object\n"
	"              properties:\n"
	"                phase: {type: string}\n"
	"---\n"
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata:\n"
	"  name: gadgets.other-group.example.com\n"
	"spec:\n"
	"  group: other-group.example.com\n"
	"  names: {kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget}\n"
	"  scope: Cluster\n"
	"  versions:\n"
	"    - name: v1beta1\n"
	"      served: true\n"
	"      storage: true\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          properties:\n"
	"            spec:\n"
	"              type: object\n"
	"              properties:\n"
	"                level: {type: integer}\n";

static const gchar rdd_api_openapi_test_gizmo[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata:\n"
	"  name: gizmos.test.rdd.io\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Gizmo, listKind: GizmoList, plural: gizmos, singular: gizmo}\n"
	"  scope: Cluster\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          x-kubernetes-preserve-unknown-fields: true\n";

typedef struct {
	gchar *dir;
	gchar *socket_path;
	RddStore *store;
	RddInstance *instance;
	RddPluginLoader *loader;
	RddApiServer *server;
	SoupSession *session;
} RddApiOpenapiTest;

typedef struct {
	SoupMessage *msg;
	GBytes *body;
	GError *error;
	gboolean done;
} RddApiOpenapiTestReply;

static void
rdd_api_openapi_test_reply_clear(RddApiOpenapiTestReply *reply)
{
	g_clear_object(&reply->msg);
	g_clear_pointer(&reply->body, g_bytes_unref);
	g_clear_error(&reply->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddApiOpenapiTestReply, rdd_api_openapi_test_reply_clear)

static void
rdd_api_openapi_test_register(RddStore *store, const gchar *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_kind_new_from_yaml(yaml, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	for (guint i = 0; i < kinds->len; i++) {
		g_assert_true(rdd_store_register_kind(store, g_ptr_array_index(kinds, i), &error));
		g_assert_no_error(error);
	}
}

static void
rdd_api_openapi_test_setup(RddApiOpenapiTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketAddress) address = NULL;

	t->dir = g_dir_make_tmp("rdd-api-openapi-XXXXXX", &error);
	g_assert_no_error(error);
	t->socket_path = g_build_filename(t->dir, "rdd.sock", NULL);
	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	rdd_api_openapi_test_register(t->store, rdd_api_openapi_test_crds);
	t->instance = rdd_instance_new("openapi-test");
	t->loader = rdd_plugin_loader_new(t->store, t->instance);
	t->server = rdd_api_server_new(t->store, t->instance, t->loader);
	g_assert_true(rdd_api_server_listen_unix(t->server, t->socket_path, &error));
	g_assert_no_error(error);
	address = g_unix_socket_address_new(t->socket_path);
	t->session = soup_session_new_with_options("remote-connectable", address, NULL);
}

static void
rdd_api_openapi_test_teardown(RddApiOpenapiTest *t, gconstpointer user_data)
{
	/* close the client side, then let the server see it and drop its connections */
	if (t->session != NULL)
		soup_session_abort(t->session);
	g_clear_object(&t->session);
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (t->server != NULL)
		rdd_api_server_disconnect(t->server);
	g_clear_object(&t->server);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_object(&t->loader);
	g_clear_object(&t->instance);
	g_clear_object(&t->store);
	g_remove(t->socket_path);
	g_rmdir(t->dir);
	g_free(t->socket_path);
	g_free(t->dir);
}

static void
rdd_api_openapi_test_sent_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RddApiOpenapiTestReply *reply = user_data;
	reply->body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &reply->error);
	reply->done = TRUE;
}

/* sends a request and runs the main context (which serves it) until the reply is in */
static void
rdd_api_openapi_test_request(RddApiOpenapiTest *t,
			     const gchar *method,
			     const gchar *path,
			     const gchar *const *headers,
			     RddApiOpenapiTestReply *reply)
{
	g_autofree gchar *uri = g_strconcat("http://localhost", path, NULL);

	reply->msg = soup_message_new(method, uri);
	g_assert_nonnull(reply->msg);
	for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2) {
		soup_message_headers_replace(soup_message_get_request_headers(reply->msg),
					     headers[i], headers[i + 1]);
	}
	soup_session_send_and_read_async(t->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
					 rdd_api_openapi_test_sent_cb, reply);
	while (!reply->done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(reply->error);
}

/* GETs a document, checks 200 and JSON, and returns it parsed */
static JsonNode *
rdd_api_openapi_test_get_json(RddApiOpenapiTest *t, const gchar *path, gchar **etag)
{
	g_auto(RddApiOpenapiTestReply) reply = {0};
	g_autoptr(GError) error = NULL;
	JsonNode *node;
	const gchar *data;
	gsize len;

	rdd_api_openapi_test_request(t, "GET", path, NULL, &reply);
	g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_OK);
	g_assert_cmpstr(soup_message_headers_get_content_type(soup_message_get_response_headers(reply.msg), NULL),
			==, "application/json");
	data = g_bytes_get_data(reply.body, &len);
	node = rdd_json_parse(data, len, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	if (etag != NULL) {
		*etag = g_strdup(soup_message_headers_get_one(soup_message_get_response_headers(reply.msg), "ETag"));
		g_assert_nonnull(*etag);
	}
	return node;
}

/* the document path and hash the v3 index names for a group-version */
static void
rdd_api_openapi_test_index_entry(JsonNode *index, const gchar *gv, gchar **path, gchar **hash)
{
	JsonObject *paths = rdd_json_lookup_object(index, "paths");
	JsonObject *entry;
	const gchar *url;
	const gchar *query;

	g_assert_nonnull(paths);
	g_assert_true(json_object_has_member(paths, gv));
	entry = json_object_get_object_member(paths, gv);
	url = json_object_get_string_member(entry, "serverRelativeURL");
	g_assert_nonnull(url);
	query = strstr(url, "?hash=");
	g_assert_nonnull(query);
	if (path != NULL)
		*path = g_strndup(url, query - url);
	if (hash != NULL)
		*hash = g_strdup(query + strlen("?hash="));
}

/* every $ref in @node points to a member of @defs under @prefix */
static guint
rdd_api_openapi_test_check_refs(JsonNode *node, JsonObject *defs, const gchar *prefix, guint depth)
{
	guint n = 0;

	g_assert_cmpuint(depth, <, 200);
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			n += rdd_api_openapi_test_check_refs(json_array_get_element(array, i), defs,
							     prefix, depth + 1);
	} else if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObject *obj = json_node_get_object(node);
		JsonObjectIter iter;
		const gchar *member;
		JsonNode *value;
		json_object_iter_init(&iter, obj);
		while (json_object_iter_next(&iter, &member, &value)) {
			if (g_strcmp0(member, "$ref") == 0) {
				const gchar *ref = json_node_get_string(value);
				g_assert_nonnull(ref);
				if (!g_str_has_prefix(ref, prefix))
					g_error("reference %s does not start with %s", ref, prefix);
				if (!json_object_has_member(defs, ref + strlen(prefix)))
					g_error("reference %s does not resolve", ref);
				/* OpenAPI 3.0 ignores the siblings of $ref: there must be none */
				if (g_str_has_prefix(prefix, "#/components/"))
					g_assert_cmpuint(json_object_get_size(obj), ==, 1);
				n++;
			} else {
				n += rdd_api_openapi_test_check_refs(value, defs, prefix, depth + 1);
			}
		}
	}
	return n;
}

/* the definition carries exactly this GVK in its x-kubernetes-group-version-kind array */
static void
rdd_api_openapi_test_check_gvk(JsonObject *defs, const gchar *name, const gchar *group, const gchar *version, const gchar *kind)
{
	JsonObject *def;
	JsonArray *gvks;
	JsonObject *gvk;

	if (!json_object_has_member(defs, name))
		g_error("no definition %s", name);
	def = json_object_get_object_member(defs, name);
	gvks = json_object_get_array_member(def, "x-kubernetes-group-version-kind");
	g_assert_nonnull(gvks);
	g_assert_cmpuint(json_array_get_length(gvks), ==, 1);
	gvk = json_array_get_object_element(gvks, 0);
	g_assert_cmpstr(json_object_get_string_member(gvk, "group"), ==, group);
	g_assert_cmpstr(json_object_get_string_member(gvk, "version"), ==, version);
	g_assert_cmpstr(json_object_get_string_member(gvk, "kind"), ==, kind);
}

static JsonObject *
rdd_api_openapi_test_object(JsonObject *obj, const gchar *dotted)
{
	g_auto(GStrv) parts = g_strsplit(dotted, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (obj == NULL || !json_object_has_member(obj, parts[i]))
			g_error("no member %s (of %s)", parts[i], dotted);
		obj = json_object_get_object_member(obj, parts[i]);
	}
	return obj;
}

static JsonObject *
rdd_api_openapi_test_operation(JsonObject *paths, const gchar *path, const gchar *method)
{
	if (paths == NULL || !json_object_has_member(paths, path))
		g_error("no path %s", path);
	return rdd_api_openapi_test_object(json_object_get_object_member(paths, path), method);
}

static gboolean
rdd_api_openapi_test_has_param(JsonObject *operation, const gchar *name, const gchar *in)
{
	JsonArray *params = json_object_get_array_member(operation, "parameters");
	for (guint i = 0; params != NULL && i < json_array_get_length(params); i++) {
		JsonObject *param = json_array_get_object_element(params, i);
		if (g_strcmp0(json_object_get_string_member_with_default(param, "name", ""), name) == 0 &&
		    g_strcmp0(json_object_get_string_member_with_default(param, "in", ""), in) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
rdd_api_openapi_test_strv_has(JsonArray *array, const gchar *value)
{
	for (guint i = 0; array != NULL && i < json_array_get_length(array); i++) {
		if (g_strcmp0(json_array_get_string_element(array, i), value) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
rdd_api_openapi_test_check_operation(JsonObject *paths,
				     const gchar *path,
				     const gchar *method,
				     const gchar *action,
				     const gchar *group,
				     const gchar *kind)
{
	JsonObject *item;
	JsonObject *operation;
	JsonObject *gvk;

	if (!json_object_has_member(paths, path))
		g_error("no path %s", path);
	item = json_object_get_object_member(paths, path);
	if (!json_object_has_member(item, method))
		g_error("no %s operation at %s", method, path);
	operation = json_object_get_object_member(item, method);
	g_assert_cmpstr(json_object_get_string_member(operation, "x-kubernetes-action"), ==, action);
	/* on operations the GVK is an object, not an array: kubectl reads it with GetObject */
	gvk = json_object_get_object_member(operation, "x-kubernetes-group-version-kind");
	g_assert_nonnull(gvk);
	g_assert_cmpstr(json_object_get_string_member(gvk, "group"), ==, group);
	g_assert_cmpstr(json_object_get_string_member(gvk, "kind"), ==, kind);
	g_assert_nonnull(json_object_get_string_member(operation, "operationId"));
	g_assert_true(json_object_has_member(json_object_get_object_member(operation, "responses"), "200"));
	if (g_strcmp0(method, "patch") == 0)
		g_assert_true(rdd_api_openapi_test_has_param(operation, "fieldValidation", "query"));
}

/* ---------------------------------------------------------------------------------------- */

static void
rdd_api_openapi_test_v2(RddApiOpenapiTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) doc = rdd_api_openapi_test_get_json(t, "/openapi/v2", NULL);
	JsonObject *root = json_node_get_object(doc);
	JsonObject *defs = rdd_api_openapi_test_object(root, "definitions");
	JsonObject *paths = rdd_api_openapi_test_object(root, "paths");
	JsonObject *widget;
	JsonObject *props;
	JsonObject *spec;
	JsonObject *list;
	g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonObjectIter iter;
	const gchar *member;
	JsonNode *value;

	g_assert_cmpstr(json_object_get_string_member(root, "swagger"), ==, "2.0");
	g_assert_nonnull(json_object_get_string_member(rdd_api_openapi_test_object(root, "info"), "title"));

	/* names as Kubernetes gives them, with their GVKs */
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.ConfigMap", "", "v1", "ConfigMap");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.ConfigMapList", "", "v1", "ConfigMapList");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.Namespace", "", "v1", "Namespace");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.Secret", "", "v1", "Secret");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.Event", "", "v1", "Event");
	rdd_api_openapi_test_check_gvk(defs, "io.rdd.test.v1.Widget", "test.rdd.io", "v1", "Widget");
	rdd_api_openapi_test_check_gvk(defs, "io.rdd.test.v1.WidgetList", "test.rdd.io", "v1", "WidgetList");
	rdd_api_openapi_test_check_gvk(defs, "com.example.other-group.v1beta1.Gadget",
				       "other-group.example.com", "v1beta1", "Gadget");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.Status", "", "v1", "Status");
	for (guint i = 0; i < 7; i++) {
		const gchar *meta[] = {"ObjectMeta",	 "ListMeta", "ManagedFieldsEntry",
				       "OwnerReference", "Time",     "FieldsV1",
				       "DeleteOptions"};
		g_autofree gchar *name = g_strconcat("io.k8s.apimachinery.pkg.apis.meta.v1.", meta[i], NULL);
		g_assert_true(json_object_has_member(defs, name));
	}
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.Time"),
						      "format"),
			==, "date-time");
	g_assert_true(json_object_has_member(rdd_api_openapi_test_object(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta/properties"),
					     "ownerReferences"));

	/* every reference resolves; there are many */
	g_assert_cmpuint(rdd_api_openapi_test_check_refs(doc, defs, "#/definitions/", 0), >, 50);

	/* the kind: its CRD schema with apiVersion, kind and a metadata reference */
	widget = rdd_api_openapi_test_object(defs, "io.rdd.test.v1.Widget");
	g_assert_cmpstr(json_object_get_string_member(widget, "description"), ==, "Widget is a test kind.");
	g_assert_cmpstr(json_object_get_string_member(widget, "type"), ==, "object");
	props = rdd_api_openapi_test_object(widget, "properties");
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(props, "metadata"), "$ref"),
			==, "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(props, "apiVersion"), "type"),
			==, "string");
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(props, "kind"), "type"),
			==, "string");

	/* v2 conversion: nullable is dropped with the type, and is no longer required */
	spec = rdd_api_openapi_test_object(props, "spec");
	g_assert_cmpstr(json_object_get_string_member(spec, "description"), ==,
			"WidgetSpec is the desired state of a Widget.");
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/note"), "nullable"));
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/note"), "type"));
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(spec, "properties/note"), "description"),
			==, "A note.");
	g_assert_true(rdd_api_openapi_test_strv_has(json_object_get_array_member(spec, "required"), "size"));
	g_assert_false(rdd_api_openapi_test_strv_has(json_object_get_array_member(spec, "required"), "note"));
	/* preserve-unknown-fields: no properties, no type; the extension is kept */
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/extra"), "properties"));
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/extra"), "type"));
	g_assert_true(json_object_get_boolean_member(rdd_api_openapi_test_object(spec, "properties/extra"),
						     "x-kubernetes-preserve-unknown-fields"));
	/* int-or-string: no anyOf in v2 */
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/port"), "anyOf"));
	g_assert_true(json_object_get_boolean_member(
		rdd_api_openapi_test_object(spec, "properties/port"), "x-kubernetes-int-or-string"));
	/* embedded resource: apiVersion, kind, metadata, and both required */
	g_assert_true(json_object_has_member(
		rdd_api_openapi_test_object(spec, "properties/template/properties"), "metadata"));
	g_assert_true(rdd_api_openapi_test_strv_has(
		json_object_get_array_member(rdd_api_openapi_test_object(spec, "properties/template"), "required"),
		"kind"));
	/* keywords kept as they are, example dropped */
	g_assert_cmpint(json_object_get_int_member(rdd_api_openapi_test_object(spec, "properties/size"), "minimum"),
			==, 1);
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(spec, "properties/tags"),
						      "x-kubernetes-list-type"),
			==, "set");
	g_assert_true(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/color"), "enum"));
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(spec, "properties/color"), "example"));

	/* the list kind */
	list = rdd_api_openapi_test_object(defs, "io.rdd.test.v1.WidgetList");
	g_assert_true(rdd_api_openapi_test_strv_has(json_object_get_array_member(list, "required"), "items"));
	g_assert_cmpstr(json_object_get_string_member(
				rdd_api_openapi_test_object(list, "properties/items/items"), "$ref"),
			==, "#/definitions/io.rdd.test.v1.Widget");
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(list, "properties/metadata"), "$ref"),
			==, "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");

	/* Event timestamps are nullable in the CRD: untyped in v2 */
	g_assert_false(json_object_has_member(
		rdd_api_openapi_test_object(defs, "io.k8s.api.core.v1.Event/properties/lastTimestamp"), "type"));

	/* paths of every kind */
	rdd_api_openapi_test_check_operation(paths, "/api/v1/namespaces", "get", "list", "", "Namespace");
	rdd_api_openapi_test_check_operation(paths, "/api/v1/namespaces/{name}/status", "patch",
					     "patch", "", "Namespace");
	rdd_api_openapi_test_check_operation(paths, "/api/v1/configmaps", "get", "list", "", "ConfigMap");
	rdd_api_openapi_test_check_operation(paths, "/api/v1/namespaces/{namespace}/configmaps",
					     "post", "post", "", "ConfigMap");
	rdd_api_openapi_test_check_operation(paths, "/api/v1/namespaces/{namespace}/configmaps",
					     "delete", "deletecollection", "", "ConfigMap");
	rdd_api_openapi_test_check_operation(paths, "/api/v1/namespaces/{namespace}/configmaps/{name}",
					     "put", "put", "", "ConfigMap");
	rdd_api_openapi_test_check_operation(paths, "/apis/test.rdd.io/v1/namespaces/{namespace}/widgets/{name}",
					     "patch", "patch", "test.rdd.io", "Widget");
	rdd_api_openapi_test_check_operation(paths, "/apis/test.rdd.io/v1/namespaces/{namespace}/widgets/{name}/status",
					     "get", "get", "test.rdd.io", "Widget");
	rdd_api_openapi_test_check_operation(paths, "/apis/other-group.example.com/v1beta1/gadgets/{name}",
					     "delete", "delete", "other-group.example.com", "Gadget");
	/* no status path without a status subresource, no namespaced path for a cluster kind */
	g_assert_false(json_object_has_member(paths, "/apis/other-group.example.com/v1beta1/gadgets/{name}/status"));
	g_assert_false(json_object_has_member(paths, "/api/v1/namespaces/{namespace}/namespaces"));
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_operation(paths, "/api/v1/namespaces/{namespace}/configmaps",
										     "get"),
						      "operationId"),
			==, "listCoreV1NamespacedConfigMap");
	g_assert_cmpstr(json_object_get_string_member(
				rdd_api_openapi_test_operation(paths, "/api/v1/configmaps", "get"), "operationId"),
			==, "listCoreV1ConfigMapForAllNamespaces");

	/* operation IDs are unique; path parameters are declared and required */
	json_object_iter_init(&iter, paths);
	while (json_object_iter_next(&iter, &member, &value)) {
		JsonObject *item = json_node_get_object(value);
		JsonObjectIter oiter;
		const gchar *method;
		JsonNode *operation;
		if (strstr(member, "{name}") != NULL)
			g_assert_true(rdd_api_openapi_test_has_param(item, "name", "path"));
		if (strstr(member, "{namespace}") != NULL)
			g_assert_true(rdd_api_openapi_test_has_param(item, "namespace", "path"));
		json_object_iter_init(&oiter, item);
		while (json_object_iter_next(&oiter, &method, &operation)) {
			const gchar *id;
			if (g_strcmp0(method, "parameters") == 0)
				continue;
			id = json_object_get_string_member(json_node_get_object(operation), "operationId");
			if (!g_hash_table_add(ids, g_strdup(id)))
				g_error("operation ID %s is used twice", id);
		}
	}
	g_assert_cmpuint(g_hash_table_size(ids), >=, 40);
}

static void
rdd_api_openapi_test_v3(RddApiOpenapiTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) index = rdd_api_openapi_test_get_json(t, "/openapi/v3", NULL);
	g_autofree gchar *core_path = NULL;
	g_autofree gchar *test_path = NULL;
	g_autoptr(JsonNode) core = NULL;
	g_autoptr(JsonNode) test = NULL;
	JsonObject *defs;
	JsonObject *spec;
	JsonObject *metadata;
	JsonObject *patch;
	JsonObject *content;

	g_assert_cmpuint(json_object_get_size(rdd_json_lookup_object(index, "paths")), ==, 3);
	rdd_api_openapi_test_index_entry(index, "api/v1", &core_path, NULL);
	rdd_api_openapi_test_index_entry(index, "apis/test.rdd.io/v1", &test_path, NULL);
	rdd_api_openapi_test_index_entry(index, "apis/other-group.example.com/v1beta1", NULL, NULL);
	g_assert_cmpstr(core_path, ==, "/openapi/v3/api/v1");
	g_assert_cmpstr(test_path, ==, "/openapi/v3/apis/test.rdd.io/v1");

	/* core/v1 */
	core = rdd_api_openapi_test_get_json(t, core_path, NULL);
	g_assert_cmpstr(rdd_json_lookup_string(core, "openapi"), ==, "3.0.0");
	defs = rdd_json_lookup_object(core, "components.schemas");
	g_assert_nonnull(defs);
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.ConfigMap", "", "v1", "ConfigMap");
	rdd_api_openapi_test_check_gvk(defs, "io.k8s.api.core.v1.NamespaceList", "", "v1", "NamespaceList");
	/* only this group-version's kinds */
	g_assert_false(json_object_has_member(defs, "io.rdd.test.v1.Widget"));
	g_assert_cmpuint(rdd_api_openapi_test_check_refs(core, defs, "#/components/schemas/", 0), >, 50);
	/* metadata: allOf with the reference, and the description beside it */
	metadata = rdd_api_openapi_test_object(defs, "io.k8s.api.core.v1.ConfigMap/properties/metadata");
	g_assert_nonnull(json_object_get_string_member(metadata, "description"));
	g_assert_cmpstr(
		json_object_get_string_member(
			json_array_get_object_element(json_object_get_array_member(metadata, "allOf"), 0), "$ref"),
		==, "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
	/* nullable is kept in v3 */
	g_assert_true(json_object_get_boolean_member(
		rdd_api_openapi_test_object(defs, "io.k8s.api.core.v1.Event/properties/lastTimestamp"), "nullable"));
	/* the core kinds take strategic merge patches; the JSON bodies are application/json */
	patch = rdd_api_openapi_test_operation(rdd_json_lookup_object(core, "paths"),
					       "/api/v1/namespaces/{namespace}/configmaps/{name}", "patch");
	content = rdd_api_openapi_test_object(patch, "requestBody/content");
	g_assert_true(json_object_has_member(content, "application/strategic-merge-patch+json"));
	g_assert_true(json_object_has_member(content, "application/merge-patch+json"));
	g_assert_true(rdd_api_openapi_test_has_param(patch, "fieldValidation", "query"));
	g_assert_true(json_object_has_member(rdd_api_openapi_test_object(patch, "responses/200/content"),
					     "application/json"));
	g_assert_true(json_object_has_member(
		rdd_api_openapi_test_object(
			rdd_api_openapi_test_operation(rdd_json_lookup_object(core, "paths"),
						       "/api/v1/namespaces/{namespace}/configmaps", "post"),
			"requestBody/content"),
		"application/json"));
	rdd_api_openapi_test_check_operation(rdd_json_lookup_object(core, "paths"),
					     "/api/v1/namespaces/{namespace}/secrets/{name}", "get",
					     "get", "", "Secret");

	/* test.rdd.io/v1 */
	test = rdd_api_openapi_test_get_json(t, test_path, NULL);
	defs = rdd_json_lookup_object(test, "components.schemas");
	g_assert_nonnull(defs);
	rdd_api_openapi_test_check_gvk(defs, "io.rdd.test.v1.Widget", "test.rdd.io", "v1", "Widget");
	rdd_api_openapi_test_check_gvk(defs, "io.rdd.test.v1.WidgetList", "test.rdd.io", "v1", "WidgetList");
	g_assert_false(json_object_has_member(defs, "io.k8s.api.core.v1.ConfigMap"));
	g_assert_true(json_object_has_member(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
	g_assert_cmpuint(rdd_api_openapi_test_check_refs(test, defs, "#/components/schemas/", 0), >, 10);
	spec = rdd_api_openapi_test_object(defs, "io.rdd.test.v1.Widget/properties/spec");
	/* v3 keeps what v2 cannot express */
	g_assert_true(json_object_get_boolean_member(rdd_api_openapi_test_object(spec, "properties/note"), "nullable"));
	g_assert_cmpstr(json_object_get_string_member(rdd_api_openapi_test_object(spec, "properties/note"), "type"),
			==, "string");
	g_assert_true(rdd_api_openapi_test_strv_has(json_object_get_array_member(spec, "required"), "note"));
	g_assert_true(json_object_has_member(
		rdd_api_openapi_test_object(spec, "properties/extra/properties"), "known"));
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
				 rdd_api_openapi_test_object(spec, "properties/port"), "anyOf")),
			 ==, 2);
	/* custom resources take no strategic merge patch */
	patch = rdd_api_openapi_test_operation(rdd_json_lookup_object(test, "paths"),
					       "/apis/test.rdd.io/v1/namespaces/{namespace}/widgets/{name}",
					       "patch");
	g_assert_false(json_object_has_member(rdd_api_openapi_test_object(patch, "requestBody/content"),
					      "application/strategic-merge-patch+json"));
	g_assert_true(json_object_has_member(rdd_api_openapi_test_object(patch, "requestBody/content"),
					     "application/json-patch+json"));
	rdd_api_openapi_test_check_operation(rdd_json_lookup_object(test, "paths"), "/apis/test.rdd.io/v1/widgets",
					     "get", "list", "test.rdd.io", "Widget");
}

/* hashes name the content: stable across requests and servers, changing with the kinds */
static void
rdd_api_openapi_test_hash(RddApiOpenapiTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) index1 = rdd_api_openapi_test_get_json(t, "/openapi/v3", NULL);
	g_autoptr(JsonNode) index2 = rdd_api_openapi_test_get_json(t, "/openapi/v3", NULL);
	g_autoptr(JsonNode) index3 = NULL;
	g_autoptr(JsonNode) doc = NULL;
	g_autofree gchar *core1 = NULL;
	g_autofree gchar *core2 = NULL;
	g_autofree gchar *core3 = NULL;
	g_autofree gchar *test1 = NULL;
	g_autofree gchar *test3 = NULL;
	g_autofree gchar *gadget1 = NULL;
	g_autofree gchar *gadget3 = NULL;
	g_autofree gchar *etag = NULL;
	g_autofree gchar *expected_etag = NULL;
	g_autofree gchar *path = NULL;

	rdd_api_openapi_test_index_entry(index1, "api/v1", NULL, &core1);
	rdd_api_openapi_test_index_entry(index1, "apis/test.rdd.io/v1", NULL, &test1);
	rdd_api_openapi_test_index_entry(index1, "apis/other-group.example.com/v1beta1", NULL, &gadget1);
	rdd_api_openapi_test_index_entry(index2, "api/v1", NULL, &core2);
	g_assert_cmpuint(strlen(core1), ==, 128);
	g_assert_cmpstr(core1, ==, core2);
	g_assert_cmpstr(core1, !=, test1);

	/* the hash is the document's ETag */
	doc = rdd_api_openapi_test_get_json(t, "/openapi/v3/api/v1", &etag);
	expected_etag = g_strdup_printf("\"%s\"", core1);
	g_assert_cmpstr(etag, ==, expected_etag);

	/* a server of its own, with the same kinds, says the same */
	{
		RddApiOpenapiTest other = {0};
		g_autoptr(JsonNode) other_index = NULL;
		g_autofree gchar *other_core = NULL;
		g_autofree gchar *other_test = NULL;
		rdd_api_openapi_test_setup(&other, NULL);
		other_index = rdd_api_openapi_test_get_json(&other, "/openapi/v3", NULL);
		rdd_api_openapi_test_index_entry(other_index, "api/v1", NULL, &other_core);
		rdd_api_openapi_test_index_entry(other_index, "apis/test.rdd.io/v1", NULL, &other_test);
		g_assert_cmpstr(other_core, ==, core1);
		g_assert_cmpstr(other_test, ==, test1);
		rdd_api_openapi_test_teardown(&other, NULL);
	}

	/* a new kind in test.rdd.io/v1 changes that document only */
	rdd_api_openapi_test_register(t->store, rdd_api_openapi_test_gizmo);
	index3 = rdd_api_openapi_test_get_json(t, "/openapi/v3", NULL);
	rdd_api_openapi_test_index_entry(index3, "api/v1", NULL, &core3);
	rdd_api_openapi_test_index_entry(index3, "apis/test.rdd.io/v1", &path, &test3);
	rdd_api_openapi_test_index_entry(index3, "apis/other-group.example.com/v1beta1", NULL, &gadget3);
	g_assert_cmpstr(core3, ==, core1);
	g_assert_cmpstr(gadget3, ==, gadget1);
	g_assert_cmpstr(test3, !=, test1);
	{
		g_autoptr(JsonNode) test = rdd_api_openapi_test_get_json(t, path, NULL);
		JsonObject *defs = rdd_json_lookup_object(test, "components.schemas");
		rdd_api_openapi_test_check_gvk(defs, "io.rdd.test.v1.Gizmo", "test.rdd.io", "v1", "Gizmo");
		/* preserve-unknown-fields at the root is kept in v3, with the type meta */
		g_assert_true(json_object_has_member(
			rdd_api_openapi_test_object(defs, "io.rdd.test.v1.Gizmo/properties"), "metadata"));
	}
	{
		/* in v2, a root that preserves unknown fields is a bare object */
		g_autoptr(JsonNode) v2 = rdd_api_openapi_test_get_json(t, "/openapi/v2", NULL);
		JsonObject *gizmo = rdd_api_openapi_test_object(
			rdd_json_lookup_object(v2, "definitions"), "io.rdd.test.v1.Gizmo");
		g_assert_false(json_object_has_member(gizmo, "properties"));
		g_assert_cmpstr(json_object_get_string_member(gizmo, "type"), ==, "object");
		g_assert_true(json_object_has_member(gizmo, "x-kubernetes-group-version-kind"));
	}
}

/* caching headers: immutable with the current hash, plain otherwise, 304 for the ETag */
static void
rdd_api_openapi_test_caching(RddApiOpenapiTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) index = rdd_api_openapi_test_get_json(t, "/openapi/v3", NULL);
	g_autofree gchar *hash = NULL;
	g_autofree gchar *hashed = NULL;
	g_autofree gchar *etag = NULL;
	g_autofree gchar *index_etag = NULL;
	g_autoptr(JsonNode) again = NULL;
	SoupMessageHeaders *headers;

	rdd_api_openapi_test_index_entry(index, "apis/test.rdd.io/v1", NULL, &hash);
	hashed = g_strdup_printf("/openapi/v3/apis/test.rdd.io/v1?hash=%s", hash);
	etag = g_strdup_printf("\"%s\"", hash);
	{
		g_auto(RddApiOpenapiTestReply) reply = {0};
		rdd_api_openapi_test_request(t, "GET", hashed, NULL, &reply);
		headers = soup_message_get_response_headers(reply.msg);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_OK);
		g_assert_cmpstr(soup_message_headers_get_one(headers, "Cache-Control"), ==, "public, immutable");
		g_assert_nonnull(soup_message_headers_get_one(headers, "Expires"));
		g_assert_cmpstr(soup_message_headers_get_one(headers, "ETag"), ==, etag);
		g_assert_cmpuint(g_bytes_get_size(reply.body), >, 1000);
	}
	{
		/* a stale hash: the current document, without the promise */
		g_auto(RddApiOpenapiTestReply) reply = {0};
		rdd_api_openapi_test_request(t, "GET", "/openapi/v3/apis/test.rdd.io/v1?hash=0BAD", NULL, &reply);
		headers = soup_message_get_response_headers(reply.msg);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_OK);
		g_assert_null(soup_message_headers_get_one(headers, "Cache-Control"));
		g_assert_cmpstr(soup_message_headers_get_one(headers, "ETag"), ==, etag);
	}
	{
		g_auto(RddApiOpenapiTestReply) reply = {0};
		const gchar *const h[] = {"If-None-Match", etag, NULL};
		rdd_api_openapi_test_request(t, "GET", hashed, h, &reply);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_NOT_MODIFIED);
		g_assert_cmpuint(g_bytes_get_size(reply.body), ==, 0);
		g_assert_cmpstr(soup_message_headers_get_one(soup_message_get_response_headers(reply.msg), "ETag"),
				==, etag);
	}
	{
		/* in a list, weak */
		g_auto(RddApiOpenapiTestReply) reply = {0};
		g_autofree gchar *list = g_strdup_printf("\"nope\", W/%s", etag);
		const gchar *const h[] = {"If-None-Match", list, NULL};
		rdd_api_openapi_test_request(t, "GET", "/openapi/v3/apis/test.rdd.io/v1", h, &reply);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_NOT_MODIFIED);
	}
	{
		g_auto(RddApiOpenapiTestReply) reply = {0};
		const gchar *const h[] = {"If-None-Match", "\"0BAD\"", NULL};
		rdd_api_openapi_test_request(t, "GET", hashed, h, &reply);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_OK);
		g_assert_cmpuint(g_bytes_get_size(reply.body), >, 1000);
	}

	/* the index and v2 have ETags too */
	again = rdd_api_openapi_test_get_json(t, "/openapi/v3", &index_etag);
	{
		g_auto(RddApiOpenapiTestReply) reply = {0};
		const gchar *const h[] = {"If-None-Match", index_etag, NULL};
		rdd_api_openapi_test_request(t, "GET", "/openapi/v3", h, &reply);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_NOT_MODIFIED);
	}
	{
		g_autofree gchar *v2_etag = NULL;
		g_autoptr(JsonNode) v2 = rdd_api_openapi_test_get_json(t, "/openapi/v2", &v2_etag);
		g_auto(RddApiOpenapiTestReply) reply = {0};
		const gchar *const h[] = {"If-None-Match", v2_etag, NULL};
		g_assert_cmpstr(v2_etag, !=, index_etag);
		rdd_api_openapi_test_request(t, "GET", "/openapi/v2", h, &reply);
		g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_NOT_MODIFIED);
	}
}

/* what is not served */
static void
rdd_api_openapi_test_errors(RddApiOpenapiTest *t, gconstpointer user_data)
{
	struct {
		const gchar *method;
		const gchar *path;
		const gchar *accept;
		guint status;
	} cases[] = {
		{"GET", "/openapi/v3/apis/nope.example.com/v1", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi/v3/apis/test.rdd.io/v2", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi/v3/api", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi/v3/api/v1/extra", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi/v2/extra", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi/v4", NULL, SOUP_STATUS_NOT_FOUND},
		{"GET", "/openapi", NULL, SOUP_STATUS_NOT_FOUND},
		{"POST", "/openapi/v2", NULL, SOUP_STATUS_METHOD_NOT_ALLOWED},
		{"DELETE", "/openapi/v3/api/v1", NULL, SOUP_STATUS_METHOD_NOT_ALLOWED},
		/* what kubectl asks /openapi/v2 for: protobuf only */
		{"GET", "/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
		 SOUP_STATUS_NOT_ACCEPTABLE},
		{"GET", "/openapi/v3/api/v1", "application/json;q=0, text/html", SOUP_STATUS_NOT_ACCEPTABLE},
		{"GET", "/openapi/v3/api/v1", "application/json, */*", SOUP_STATUS_OK},
		{"GET", "/openapi/v3/api/v1", "application/*;q=0.5", SOUP_STATUS_OK},
		{"GET", "/openapi/v3", "text/html, */*;q=0.1", SOUP_STATUS_OK},
		{"HEAD", "/openapi/v2", NULL, SOUP_STATUS_OK},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(RddApiOpenapiTestReply) reply = {0};
		const gchar *const h[] = {"Accept", cases[i].accept, NULL};
		rdd_api_openapi_test_request(t, cases[i].method, cases[i].path,
					     cases[i].accept != NULL ? h : NULL, &reply);
		if (soup_message_get_status(reply.msg) != cases[i].status)
			g_error("%s %s (Accept: %s): got %u, expected %u", cases[i].method, cases[i].path,
				cases[i].accept, soup_message_get_status(reply.msg), cases[i].status);
		if (g_strcmp0(cases[i].method, "HEAD") == 0) {
			g_assert_cmpuint(g_bytes_get_size(reply.body), ==, 0);
			g_assert_cmpint(soup_message_headers_get_content_length(
						soup_message_get_response_headers(reply.msg)),
					>, 1000);
		} else if (cases[i].status != SOUP_STATUS_OK) {
			/* a Status object */
			g_autoptr(GError) error = NULL;
			gsize len = 0;
			const gchar *data = g_bytes_get_data(reply.body, &len);
			g_autoptr(JsonNode) status = rdd_json_parse(data, len, &error);
			g_assert_no_error(error);
			g_assert_cmpstr(rdd_json_lookup_string(status, "kind"), ==, "Status");
			g_assert_cmpint(json_node_get_int(rdd_json_lookup(status, "code")), ==, cases[i].status);
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/rdd/api-openapi/v2", RddApiOpenapiTest, NULL, rdd_api_openapi_test_setup,
		   rdd_api_openapi_test_v2, rdd_api_openapi_test_teardown);
	g_test_add("/rdd/api-openapi/v3", RddApiOpenapiTest, NULL, rdd_api_openapi_test_setup,
		   rdd_api_openapi_test_v3, rdd_api_openapi_test_teardown);
	g_test_add("/rdd/api-openapi/hash", RddApiOpenapiTest, NULL, rdd_api_openapi_test_setup,
		   rdd_api_openapi_test_hash, rdd_api_openapi_test_teardown);
	g_test_add("/rdd/api-openapi/caching", RddApiOpenapiTest, NULL, rdd_api_openapi_test_setup,
		   rdd_api_openapi_test_caching, rdd_api_openapi_test_teardown);
	g_test_add("/rdd/api-openapi/errors", RddApiOpenapiTest, NULL, rdd_api_openapi_test_setup,
		   rdd_api_openapi_test_errors, rdd_api_openapi_test_teardown);
	return g_test_run();
}
