/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "rdd-api-private.h"
#include "rdd-api-server.h"
#include "rdd-json.h"

/* in rdd-api-table.c, outside the private header */
gboolean rdd_api_table_wanted_header(const gchar *accept);

/*
 * Table output: Accept negotiation, the rendered `meta.k8s.io/v1` Table for the core kinds and a
 * test CRD, and the same through a real RddApiServer on a unix socket, with the Accept header
 * `kubectl get` sends.
 */

#define RDD_API_TABLE_TEST_KUBECTL_ACCEPT                                                                 \
	"application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io," \
	"application/json"

static const gchar rdd_api_table_test_crd[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: widgets.test.rdd.io}\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}\n"
	"  scope: Namespaced\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      additionalPrinterColumns:\n"
	"        - {name: Size, type: integer, format: int32, jsonPath: .spec.size, description: How big.}\n"
	"        - {name: Color, type: string, jsonPath: .spec.color}\n"
	"        - {name: Ratio, type: number, jsonPath: .spec.ratio, priority: 1}\n"
	"        - {name: On, type: boolean, jsonPath: .spec.on, priority: 2}\n"
	"        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          properties:\n"
	"            spec:\n"
	"              type: object\n"
	"              properties:\n"
	"                size: {type: integer}\n"
	"                color: {type: string}\n"
	"                ratio: {type: number}\n"
	"                on: {type: boolean}\n";

typedef struct {
	gchar *dir;
	gchar *socket_path;
	RddStore *store;
	RddInstance *instance;
	RddPluginLoader *loader;
	RddApiServer *server;
	SoupSession *session;
	RddKind *cm;
	RddKind *widget;
} RddApiTableTest;

static JsonNode *
rdd_api_table_test_parse(const gchar *text, gssize len)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, len, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static RddObject *
rdd_api_table_test_create(RddApiTableTest *t, const gchar *json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_api_table_test_parse(json, -1);
	RddObject *obj = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static void
rdd_api_table_test_setup(RddApiTableTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = NULL;
	const gchar *objects[] = {
		"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}",
		"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"other\"}}",
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\",\"namespace\":\"default\","
		"\"labels\":{\"app\":\"web\"}},\"data\":{\"a\":\"1\",\"b\":\"2\"}}",
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm2\",\"namespace\":\"other\","
		"\"labels\":{\"app\":\"db\"}}}",
		"{\"apiVersion\":\"test.rdd.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\",\"namespace\":"
		"\"default\"},\"spec\":{\"size\":3,\"color\":\"<red>\",\"ratio\":0.5,\"on\":true}}",
		"{\"apiVersion\":\"test.rdd.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w2\",\"namespace\":"
		"\"default\"},\"spec\":{\"size\":1}}",
	};

	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	kinds = rdd_kind_new_from_yaml(rdd_api_table_test_crd, -1, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_store_register_kind(t->store, g_ptr_array_index(kinds, 0), &error));
	g_assert_no_error(error);
	t->cm = rdd_store_find_kind(t->store, "v1", "ConfigMap");
	t->widget = rdd_store_find_kind(t->store, "test.rdd.io/v1", "Widget");
	g_assert_nonnull(t->cm);
	g_assert_nonnull(t->widget);
	for (guint i = 0; i < G_N_ELEMENTS(objects); i++) {
		g_autoptr(RddObject) obj = rdd_api_table_test_create(t, objects[i]);
	}
}

static void
rdd_api_table_test_teardown(RddApiTableTest *t, gconstpointer user_data)
{
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
	if (t->socket_path != NULL)
		g_remove(t->socket_path);
	if (t->dir != NULL)
		g_rmdir(t->dir);
	g_free(t->socket_path);
	g_free(t->dir);
}

static void
rdd_api_table_test_wanted_header(void)
{
	const struct {
		const gchar *accept;
		gboolean wanted;
	} cases[] = {
		{RDD_API_TABLE_TEST_KUBECTL_ACCEPT, TRUE},
		{"application/json;as=Table;v=v1;g=meta.k8s.io", TRUE},
		{"application/json;as=Table;v=v1beta1;g=meta.k8s.io", TRUE},
		{"application/json; g=meta.k8s.io; v=v1; as=Table", TRUE},
		{"APPLICATION/JSON;as=Table;v=v1;g=meta.k8s.io", TRUE},
		{"application/json;as=\"Table\";v=\"v1\";g=\"meta.k8s.io\"", TRUE},
		{"text/html, application/json;as=Table;v=v1;g=meta.k8s.io", TRUE},
		{"application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io, "
		 "application/json;as=Table;v=v1;g=meta.k8s.io",
		 TRUE},
		{"application/json;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io", TRUE},
		/* not asked for, or not first among what can be served */
		{NULL, FALSE},
		{"", FALSE},
		{"application/json", FALSE},
		{"*/*", FALSE},
		{"application/yaml", FALSE},
		{"application/vnd.kubernetes.protobuf, application/json", FALSE},
		{"application/json, application/json;as=Table;v=v1;g=meta.k8s.io", FALSE},
		{"application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5, application/json", FALSE},
		{"application/json;as=Table;v=v1;g=meta.k8s.io;q=0, application/json", FALSE},
		{"application/json;as=Table;v=v2;g=meta.k8s.io", FALSE},
		{"application/json;as=Table;v=v1;g=example.com", FALSE},
		{"application/json;as=Table;v=v1", FALSE},
		{"application/yaml;as=Table;v=v1;g=meta.k8s.io", FALSE},
		{"application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", FALSE},
		{"application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json", FALSE},
		{"application/json;as=Table;v=v1;g=meta.k8s.io;q=abc", FALSE},
		{",;,=;", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (rdd_api_table_wanted_header(cases[i].accept) != cases[i].wanted)
			g_test_fail_printf("case %u '%s': expected %d", i, cases[i].accept, cases[i].wanted);
	}
}

/* lists the objects of @kind, in the store's order */
static GPtrArray *
rdd_api_table_test_list(RddApiTableTest *t, RddKind *kind, const gchar *label_selector)
{
	g_autoptr(GError) error = NULL;
	RddListOptions options = {0};
	g_autoptr(RddListResult) result = NULL;

	if (label_selector != NULL) {
		options.label_selector = rdd_selector_parse_labels(label_selector, &error);
		g_assert_no_error(error);
	}
	result = rdd_store_list(t->store, kind, &options, &error);
	g_clear_pointer(&options.label_selector, rdd_selector_unref);
	g_assert_no_error(error);
	g_assert_nonnull(result);
	return g_ptr_array_ref(result->items);
}

static JsonNode *
rdd_api_table_test_render(RddKind *kind, GPtrArray *objects, guint64 rv, const gchar *continue_token, gboolean include_object)
{
	g_autoptr(GError) error = NULL;
	GString *out = rdd_api_table_render(kind, objects, rv, continue_token, include_object, &error);
	JsonNode *node;

	g_assert_no_error(error);
	g_assert_nonnull(out);
	node = rdd_api_table_test_parse(out->str, (gssize)out->len);
	g_string_free(out, TRUE);
	return node;
}

/* "name/type/format/priority" of each column definition */
static gchar *
rdd_api_table_test_columns(JsonNode *table)
{
	JsonArray *defs = json_object_get_array_member(json_node_get_object(table), "columnDefinitions");
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < json_array_get_length(defs); i++) {
		JsonObject *def = json_array_get_object_element(defs, i);
		g_assert_true(json_object_has_member(def, "description"));
		g_string_append_printf(str, "%s/%s/%s/%" G_GINT64_FORMAT "\n",
				       json_object_get_string_member(def, "name"),
				       json_object_get_string_member(def, "type"),
				       json_object_get_string_member(def, "format"),
				       json_object_get_int_member(def, "priority"));
	}
	return g_string_free(str, FALSE);
}

/* the cells of row @i as JSON */
static gchar *
rdd_api_table_test_cells(JsonNode *table, guint i)
{
	JsonArray *rows = json_object_get_array_member(json_node_get_object(table), "rows");
	JsonObject *row = json_array_get_object_element(rows, i);
	return rdd_json_to_string(json_object_get_member(row, "cells"), FALSE);
}

static void
rdd_api_table_test_render_configmaps(RddApiTableTest *t, gconstpointer user_data)
{
	g_autoptr(GPtrArray) items = rdd_api_table_test_list(t, t->cm, NULL);
	g_autoptr(JsonNode) table = rdd_api_table_test_render(t->cm, items, 42, "next-page", TRUE);
	JsonObject *root = json_node_get_object(table);
	JsonArray *rows = json_object_get_array_member(root, "rows");
	g_autofree gchar *columns = rdd_api_table_test_columns(table);
	g_autofree gchar *meta = rdd_json_to_string(json_object_get_member(root, "metadata"), FALSE);

	g_assert_cmpstr(json_object_get_string_member(root, "kind"), ==, "Table");
	g_assert_cmpstr(json_object_get_string_member(root, "apiVersion"), ==, "meta.k8s.io/v1");
	g_assert_cmpstr(meta, ==, "{\"continue\":\"next-page\",\"resourceVersion\":\"42\"}");
	g_assert_cmpstr(columns, ==, "Name/string/name/0\nData/integer//0\nAge/date//0\n");
	g_assert_cmpuint(json_array_get_length(rows), ==, items->len);
	for (guint i = 0; i < items->len; i++) {
		RddObject *obj = g_ptr_array_index(items, i);
		JsonObject *row = json_array_get_object_element(rows, i);
		JsonArray *cells = json_object_get_array_member(row, "cells");
		JsonObject *partial = json_object_get_object_member(row, "object");
		g_autoptr(JsonNode) metadata = rdd_object_dup_member(obj, "metadata");

		g_assert_cmpuint(json_array_get_length(cells), ==, 3);
		g_assert_cmpstr(json_array_get_string_element(cells, 0), ==, rdd_object_get_name(obj));
		g_assert_cmpint(json_array_get_int_element(cells, 1), ==,
				g_strcmp0(rdd_object_get_name(obj), "cm1") == 0 ? 2 : 0);
		g_assert_true(g_str_has_suffix(json_array_get_string_element(cells, 2), "s"));
		/* the PartialObjectMetadata kubectl takes NAMESPACE and LABELS from */
		g_assert_cmpstr(json_object_get_string_member(partial, "kind"), ==, "PartialObjectMetadata");
		g_assert_cmpstr(json_object_get_string_member(partial, "apiVersion"), ==, "meta.k8s.io/v1");
		g_assert_cmpuint(json_object_get_size(partial), ==, 3);
		g_assert_true(rdd_json_equal(json_object_get_member(partial, "metadata"), metadata));
	}
}

static void
rdd_api_table_test_render_options(RddApiTableTest *t, gconstpointer user_data)
{
	g_autoptr(GPtrArray) items = rdd_api_table_test_list(t, t->cm, "app=web");
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(JsonNode) table = rdd_api_table_test_render(t->cm, items, 7, NULL, FALSE);
	g_autoptr(JsonNode) empty = rdd_api_table_test_render(t->cm, none, 0, "", TRUE);
	JsonObject *root = json_node_get_object(table);
	JsonObject *row;
	g_autofree gchar *meta = rdd_json_to_string(json_object_get_member(root, "metadata"), FALSE);
	g_autofree gchar *empty_text = rdd_json_to_string(empty, FALSE);

	/* includeObject=None: the object is null, as kube-apiserver writes it */
	g_assert_cmpuint(items->len, ==, 1);
	g_assert_cmpstr(meta, ==, "{\"resourceVersion\":\"7\"}");
	row = json_array_get_object_element(json_object_get_array_member(root, "rows"), 0);
	g_assert_true(json_object_has_member(row, "object"));
	g_assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(row, "object")));

	/* no objects: no rows, but the columns */
	g_assert_true(g_str_has_suffix(empty_text, ",\"kind\":\"Table\",\"metadata\":{},\"rows\":[]}"));
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(json_node_get_object(empty),
									    "columnDefinitions")),
			 ==, 3);
}

/* whether @cells are @prefix then an age between @before and @after (the clock moves) */
static gboolean
rdd_api_table_test_cells_with_age(const gchar *cells, const gchar *prefix, RddObject *obj, gint64 before, gint64 after)
{
	g_autofree gchar *age1 = rdd_time_format_age(before - rdd_object_get_creation_timestamp(obj));
	g_autofree gchar *age2 = rdd_time_format_age(after - rdd_object_get_creation_timestamp(obj));
	g_autofree gchar *expected1 = g_strdup_printf("%s\"%s\"]", prefix, age1);
	g_autofree gchar *expected2 = g_strdup_printf("%s\"%s\"]", prefix, age2);

	if (g_strcmp0(cells, expected1) == 0 || g_strcmp0(cells, expected2) == 0)
		return TRUE;
	g_test_message("cells %s, expected %s or %s", cells, expected1, expected2);
	return FALSE;
}

static void
rdd_api_table_test_render_custom(RddApiTableTest *t, gconstpointer user_data)
{
	g_autoptr(GPtrArray) items = rdd_api_table_test_list(t, t->widget, NULL);
	gint64 before = g_get_real_time();
	g_autoptr(JsonNode) table = rdd_api_table_test_render(t->widget, items, 9, NULL, TRUE);
	gint64 after = g_get_real_time();
	g_autofree gchar *columns = rdd_api_table_test_columns(table);
	JsonArray *defs = json_object_get_array_member(json_node_get_object(table), "columnDefinitions");
	g_autoptr(GString) raw = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(columns, ==,
			"Name/string/name/0\nSize/integer/int32/0\nColor/string//0\nRatio/number//1\n"
			"On/boolean//2\nAge/date//0\n");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(defs, 1), "description"),
			==, "How big.");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(defs, 2), "description"),
			==, "Custom resource definition column (in JSONPath format): .spec.color");
	g_assert_cmpuint(items->len, ==, 2);
	for (guint i = 0; i < items->len; i++) {
		RddObject *obj = g_ptr_array_index(items, i);
		g_autofree gchar *cells = rdd_api_table_test_cells(table, i);
		const gchar *prefix = g_strcmp0(rdd_object_get_name(obj), "w1") == 0 ?
					      "[\"w1\",3,\"\\u003cred\\u003e\",0.5,true," :
					      "[\"w2\",1,null,null,null,";
		g_assert_true(rdd_api_table_test_cells_with_age(cells, prefix, obj, before, after));
	}

	/* the text is what kube-apiserver writes: this key order, escaped as Go escapes */
	raw = rdd_api_table_render(t->widget, items, 9, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(
		raw->str, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{"
			  "\"resourceVersion\":\"9\"},\"columnDefinitions\":[{\"name\":\"Name\","
			  "\"type\":\"string\",\"format\":\"name\",\"description\":\"Name must be"));
	g_assert_nonnull(strstr(raw->str, ",\"rows\":[{\"cells\":[\"w1\",3,\"\\u003cred\\u003e\",0.5,true,"));
	g_assert_nonnull(strstr(raw->str, "],\"object\":null},{\"cells\":[\"w2\",1,null,null,null,"));
	g_assert_true(g_str_has_suffix(raw->str, "],\"object\":null}]}"));
}

/* HTTP ------------------------------------------------------------------------------------ */

typedef struct {
	SoupMessage *msg;
	GBytes *body;
	GError *error;
	gboolean done;
} RddApiTableTestReply;

static void
rdd_api_table_test_reply_clear(RddApiTableTestReply *reply)
{
	g_clear_object(&reply->msg);
	g_clear_pointer(&reply->body, g_bytes_unref);
	g_clear_error(&reply->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddApiTableTestReply, rdd_api_table_test_reply_clear)

static void
rdd_api_table_test_serve(RddApiTableTest *t)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketAddress) address = NULL;

	t->dir = g_dir_make_tmp("rdd-api-table-XXXXXX", &error);
	g_assert_no_error(error);
	t->socket_path = g_build_filename(t->dir, "rdd.sock", NULL);
	t->instance = rdd_instance_new("api-table-test");
	t->loader = rdd_plugin_loader_new(t->store, t->instance);
	t->server = rdd_api_server_new(t->store, t->instance, t->loader);
	g_assert_true(rdd_api_server_listen_unix(t->server, t->socket_path, &error));
	g_assert_no_error(error);
	address = g_unix_socket_address_new(t->socket_path);
	t->session = soup_session_new_with_options("remote-connectable", address, NULL);
}

static void
rdd_api_table_test_sent_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	RddApiTableTestReply *reply = user_data;
	reply->body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &reply->error);
	reply->done = TRUE;
}

/* GETs @path with @accept (or none) and returns the JSON body of a 200 reply */
static JsonNode *
rdd_api_table_test_get(RddApiTableTest *t, const gchar *path, const gchar *accept)
{
	g_auto(RddApiTableTestReply) reply = {0};
	g_autofree gchar *uri = g_strconcat("http://localhost", path, NULL);
	gsize len = 0;
	const gchar *data;

	reply.msg = soup_message_new("GET", uri);
	g_assert_nonnull(reply.msg);
	if (accept != NULL)
		soup_message_headers_replace(soup_message_get_request_headers(reply.msg), "Accept", accept);
	soup_session_send_and_read_async(t->session, reply.msg, G_PRIORITY_DEFAULT, NULL,
					 rdd_api_table_test_sent_cb, &reply);
	while (!reply.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(reply.error);
	data = g_bytes_get_data(reply.body, &len);
	if (soup_message_get_status(reply.msg) != SOUP_STATUS_OK)
		g_test_message("GET %s: %.*s", path, (gint)len, data);
	g_assert_cmpuint(soup_message_get_status(reply.msg), ==, SOUP_STATUS_OK);
	return rdd_api_table_test_parse(data, (gssize)len);
}

/* "namespace/name" of each row's object */
static gchar *
rdd_api_table_test_row_objects(JsonNode *table)
{
	JsonArray *rows = json_object_get_array_member(json_node_get_object(table), "rows");
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < json_array_get_length(rows); i++) {
		JsonNode *row = json_array_get_element(rows, i);
		const gchar *ns = rdd_json_lookup_string(row, "object.metadata.namespace");
		g_string_append_printf(str, "%s/%s ", ns != NULL ? ns : "-",
				       rdd_json_lookup_string(row, "object.metadata.name"));
	}
	return g_string_free(str, FALSE);
}

static void
rdd_api_table_test_http(RddApiTableTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) list = NULL;
	g_autoptr(JsonNode) table = NULL;
	g_autoptr(JsonNode) all = NULL;
	g_autoptr(JsonNode) selected = NULL;
	g_autoptr(JsonNode) single = NULL;
	g_autoptr(JsonNode) none = NULL;
	g_autofree gchar *objects = NULL;
	g_autofree gchar *selected_objects = NULL;
	g_autofree gchar *single_cells = NULL;
	const gchar *rv;

	rdd_api_table_test_serve(t);

	/* without the Accept header of kubectl, the list itself */
	list = rdd_api_table_test_get(t, "/api/v1/namespaces/default/configmaps", "application/json");
	g_assert_cmpstr(rdd_json_lookup_string(list, "kind"), ==, "ConfigMapList");

	/* kubectl get cm */
	table = rdd_api_table_test_get(t, "/api/v1/namespaces/default/configmaps", RDD_API_TABLE_TEST_KUBECTL_ACCEPT);
	g_assert_cmpstr(rdd_json_lookup_string(table, "kind"), ==, "Table");
	rv = rdd_json_lookup_string(table, "metadata.resourceVersion");
	g_assert_nonnull(rv);
	g_assert_cmpstr(rv, ==, rdd_json_lookup_string(list, "metadata.resourceVersion"));
	objects = rdd_api_table_test_row_objects(table);
	g_assert_cmpstr(objects, ==, "default/cm1 ");

	/* kubectl get cm -A: the NAMESPACE column comes from the row objects */
	all = rdd_api_table_test_get(t, "/api/v1/configmaps", RDD_API_TABLE_TEST_KUBECTL_ACCEPT);
	g_clear_pointer(&objects, g_free);
	objects = rdd_api_table_test_row_objects(all);
	g_assert_cmpstr(objects, ==, "default/cm1 other/cm2 ");

	/* kubectl get cm -A -l app=db --show-labels */
	selected = rdd_api_table_test_get(t, "/api/v1/configmaps?labelSelector=app%3Ddb",
					  RDD_API_TABLE_TEST_KUBECTL_ACCEPT);
	selected_objects = rdd_api_table_test_row_objects(selected);
	g_assert_cmpstr(selected_objects, ==, "other/cm2 ");
	g_assert_cmpstr(rdd_json_lookup_string(
				json_array_get_element(
					json_object_get_array_member(json_node_get_object(selected), "rows"), 0),
				"object.metadata.labels.app"),
			==, "db");

	/* kubectl get widget w1 -o wide: one row, the wide columns are in the definitions */
	single = rdd_api_table_test_get(t, "/apis/test.rdd.io/v1/namespaces/default/widgets/w1",
					RDD_API_TABLE_TEST_KUBECTL_ACCEPT);
	g_assert_cmpstr(rdd_json_lookup_string(single, "kind"), ==, "Table");
	single_cells = rdd_api_table_test_cells(single, 0);
	g_assert_true(g_str_has_prefix(single_cells, "[\"w1\",3,\"\\u003cred\\u003e\",0.5,true,\""));

	/* includeObject=None */
	none = rdd_api_table_test_get(t, "/api/v1/namespaces/default/configmaps?includeObject=None",
				      RDD_API_TABLE_TEST_KUBECTL_ACCEPT);
	g_assert_true(JSON_NODE_HOLDS_NULL(rdd_json_lookup(
		json_array_get_element(json_object_get_array_member(json_node_get_object(none), "rows"), 0), "object")));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/api-table/wanted-header", rdd_api_table_test_wanted_header);
	g_test_add("/rdd/api-table/render-configmaps", RddApiTableTest, NULL, rdd_api_table_test_setup,
		   rdd_api_table_test_render_configmaps, rdd_api_table_test_teardown);
	g_test_add("/rdd/api-table/render-options", RddApiTableTest, NULL, rdd_api_table_test_setup,
		   rdd_api_table_test_render_options, rdd_api_table_test_teardown);
	g_test_add("/rdd/api-table/render-custom", RddApiTableTest, NULL, rdd_api_table_test_setup,
		   rdd_api_table_test_render_custom, rdd_api_table_test_teardown);
	g_test_add("/rdd/api-table/http", RddApiTableTest, NULL, rdd_api_table_test_setup,
		   rdd_api_table_test_http, rdd_api_table_test_teardown);
	return g_test_run();
}
