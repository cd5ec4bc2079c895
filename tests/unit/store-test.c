/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"
#include "rdd-store.h"
#include "rdd-time.h"

/*
 * Test kinds come from tests/data/store-kinds.yaml:
 *   Widget (test.rdd.io/v1): namespaced, status subresource, selectable fields .spec.color and
 *     .status.phase, spec.size defaults to 1, spec.color is an enum
 *   Gadget: cluster-scoped, no status subresource
 *   Mirror: namespaced, not persisted
 * plus the built-in core/v1 kinds (Namespace, ConfigMap, Secret, Event).
 */

typedef struct {
	RddStore *store;
	RddKind *widget;
	RddKind *gadget;
	RddKind *mirror;
	RddKind *ns;
	RddKind *cm;
	RddKind *secret;
} RddStoreTest;

static gchar *
rdd_store_test_data_path(const gchar *name)
{
	const gchar *srcdir = g_getenv("RDD_TEST_SRCDIR");
	if (srcdir != NULL)
		return g_build_filename(srcdir, "data", name, NULL);
	return g_build_filename(RDD_SOURCE_ROOT, "tests", "data", name, NULL);
}

static void
rdd_store_test_register_kinds(RddStore *store)
{
	g_autofree gchar *path = rdd_store_test_data_path("store-kinds.yaml");
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = NULL;

	g_assert_true(g_file_get_contents(path, &data, NULL, &error));
	g_assert_no_error(error);
	kinds = rdd_kind_new_from_yaml(data, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	for (guint i = 0; i < kinds->len; i++) {
		g_assert_true(rdd_store_register_kind(store, g_ptr_array_index(kinds, i), &error));
		g_assert_no_error(error);
	}
}

static void
rdd_store_test_setup(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *namespaces[] = {"default", "kube-system", "kube-public", "ns1", "ns2"};

	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	rdd_store_test_register_kinds(t->store);
	t->widget = rdd_store_find_kind(t->store, "test.rdd.io/v1", "Widget");
	t->gadget = rdd_store_find_kind(t->store, "test.rdd.io/v1", "Gadget");
	t->mirror = rdd_store_find_kind(t->store, "test.rdd.io/v1", "Mirror");
	t->ns = rdd_store_find_kind(t->store, "v1", "Namespace");
	t->cm = rdd_store_find_kind(t->store, "v1", "ConfigMap");
	t->secret = rdd_store_find_kind(t->store, "v1", "Secret");
	g_assert_nonnull(t->widget);
	g_assert_nonnull(t->gadget);
	g_assert_nonnull(t->mirror);
	g_assert_nonnull(t->ns);
	g_assert_nonnull(t->cm);
	g_assert_nonnull(t->secret);
	for (guint i = 0; i < G_N_ELEMENTS(namespaces); i++) {
		g_assert_true(rdd_store_ensure_namespace(t->store, namespaces[i], NULL, &error));
		g_assert_no_error(error);
	}
}

static void
rdd_store_test_teardown(RddStoreTest *t, gconstpointer user_data)
{
	/* let idle sources (flush, GC) run so that nothing refers to the store afterwards */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_finalize_object(t->store);
}

/* parses JSON written with single quotes for readability */
static JsonNode *rdd_store_test_json(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static JsonNode *
rdd_store_test_json(const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;
	g_autoptr(GError) error = NULL;
	JsonNode *node;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	g_strdelimit(text, "'", '"');
	node = rdd_json_parse(text, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static JsonNode *
rdd_store_test_widget_node(const gchar *ns, const gchar *name, const gchar *color)
{
	return rdd_store_test_json("{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				   "'metadata':{'namespace':'%s','name':'%s'},"
				   "'spec':{'color':'%s'}}",
				   ns, name, color);
}

static RddObject *
rdd_store_test_create_node(RddStoreTest *t, JsonNode *node)
{
	g_autoptr(GError) error = NULL;
	RddObject *obj = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static RddObject *rdd_store_test_create(RddStoreTest *t, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static RddObject *
rdd_store_test_create(RddStoreTest *t, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) node = NULL;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	node = rdd_store_test_json("%s", text);
	return rdd_store_test_create_node(t, node);
}

static RddObject *
rdd_store_test_create_widget(RddStoreTest *t, const gchar *ns, const gchar *name, const gchar *color)
{
	g_autoptr(JsonNode) node = rdd_store_test_widget_node(ns, name, color);
	return rdd_store_test_create_node(t, node);
}

/* whether the object exists, without keeping a reference */
static gboolean
rdd_store_test_has(RddStore *store, RddKind *kind, const gchar *ns, const gchar *name)
{
	g_autoptr(RddObject) obj = rdd_store_lookup(store, kind, ns, name);
	return obj != NULL;
}

/* the object's JSON member at @path as compact JSON text, or NULL */
static gchar *
rdd_store_test_member(RddObject *obj, const gchar *path)
{
	g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
	JsonNode *member = rdd_json_lookup(node, path);
	if (member == NULL)
		return NULL;
	return rdd_json_to_string(member, FALSE);
}

static const gchar *
rdd_store_test_string(RddObject *obj, const gchar *path, GString *buf)
{
	g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
	const gchar *value = rdd_json_lookup_string(node, path);
	g_string_assign(buf, value != NULL ? value : "(null)");
	return buf->str;
}

static JsonNode *rdd_store_test_dup_with(RddObject *obj, const gchar *patch_format, ...) G_GNUC_PRINTF(2, 3);

/* the object as a mutable node with an RFC 7386 merge patch applied */
static JsonNode *
rdd_store_test_dup_with(RddObject *obj, const gchar *patch_format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) patch = NULL;
	g_autoptr(JsonNode) node = rdd_object_dup_node(obj);

	va_start(args, patch_format);
	text = g_strdup_vprintf(patch_format, args);
	va_end(args);
	patch = rdd_store_test_json("%s", text);
	return rdd_json_merge_patch(node, patch);
}

/* ---------------------------------------------------------------------------------------- */
/* signal recording */

typedef struct {
	GPtrArray *events; /* "added NAME rv" strings */
} RddStoreTestRecorder;

static void
rdd_store_test_on_added(RddStore *store, RddObject *obj, gpointer user_data)
{
	RddStoreTestRecorder *rec = user_data;
	g_ptr_array_add(rec->events, g_strdup_printf("added %s %s %" G_GUINT64_FORMAT,
						     rdd_kind_get_name(rdd_object_get_kind(obj)),
						     rdd_object_get_name(obj),
						     rdd_object_get_resource_version(obj)));
}

static void
rdd_store_test_on_changed(RddStore *store, RddObject *old, RddObject *obj, gpointer user_data)
{
	RddStoreTestRecorder *rec = user_data;
	g_assert_cmpstr(rdd_object_get_uid(old), ==, rdd_object_get_uid(obj));
	g_assert_cmpuint(rdd_object_get_resource_version(old), <, rdd_object_get_resource_version(obj));
	g_ptr_array_add(rec->events, g_strdup_printf("changed %s %s %" G_GUINT64_FORMAT,
						     rdd_kind_get_name(rdd_object_get_kind(obj)),
						     rdd_object_get_name(obj),
						     rdd_object_get_resource_version(obj)));
}

static void
rdd_store_test_on_removed(RddStore *store, RddObject *obj, gpointer user_data)
{
	RddStoreTestRecorder *rec = user_data;
	g_ptr_array_add(rec->events, g_strdup_printf("removed %s %s %" G_GUINT64_FORMAT,
						     rdd_kind_get_name(rdd_object_get_kind(obj)),
						     rdd_object_get_name(obj),
						     rdd_object_get_resource_version(obj)));
}

static void
rdd_store_test_recorder_connect(RddStoreTestRecorder *rec, RddStore *store, const gchar *detail)
{
	g_autofree gchar *added = NULL;
	g_autofree gchar *changed = NULL;
	g_autofree gchar *removed = NULL;

	rec->events = g_ptr_array_new_with_free_func(g_free);
	added = detail != NULL ? g_strdup_printf("object-added::%s", detail) : g_strdup("object-added");
	changed = detail != NULL ? g_strdup_printf("object-changed::%s", detail) : g_strdup("object-changed");
	removed = detail != NULL ? g_strdup_printf("object-removed::%s", detail) : g_strdup("object-removed");
	g_signal_connect(store, added, G_CALLBACK(rdd_store_test_on_added), rec);
	g_signal_connect(store, changed, G_CALLBACK(rdd_store_test_on_changed), rec);
	g_signal_connect(store, removed, G_CALLBACK(rdd_store_test_on_removed), rec);
}

static void
rdd_store_test_recorder_disconnect(RddStoreTestRecorder *rec, RddStore *store)
{
	g_signal_handlers_disconnect_by_data(store, rec);
	g_clear_pointer(&rec->events, g_ptr_array_unref);
}

/* the recorded events joined with "; ", and the record emptied */
static gchar *
rdd_store_test_recorder_take(RddStoreTestRecorder *rec)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < rec->events->len; i++) {
		if (i > 0)
			g_string_append(out, "; ");
		g_string_append(out, g_ptr_array_index(rec->events, i));
	}
	g_ptr_array_set_size(rec->events, 0);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean
rdd_store_test_count_event(const RddEvent *event, gpointer user_data)
{
	guint *n = user_data;
	(*n)++;
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* create, get, list, update */

static void
rdd_store_test_create_basic(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) buf = g_string_new(NULL);
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) got = NULL;
	g_autoptr(RddObject) again = NULL;
	g_autoptr(JsonNode) input = rdd_store_test_widget_node("ns1", "w1", "red");
	g_autofree gchar *input_before = rdd_json_to_string(input, FALSE);
	g_autofree gchar *input_after = NULL;
	guint64 rv_before = rdd_store_get_resource_version(t->store);
	gint64 now = g_get_real_time();
	const gchar *uid;

	obj = rdd_store_create(t->store, input, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);

	/* the input is not modified */
	input_after = rdd_json_to_string(input, FALSE);
	g_assert_cmpstr(input_before, ==, input_after);

	/* server-set metadata */
	uid = rdd_object_get_uid(obj);
	g_assert_true(g_uuid_string_is_valid(uid));
	g_assert_cmpstr(rdd_object_get_name(obj), ==, "w1");
	g_assert_cmpstr(rdd_object_get_namespace(obj), ==, "ns1");
	g_assert_cmpint(rdd_object_get_generation(obj), ==, 1);
	g_assert_cmpuint(rdd_object_get_resource_version(obj), ==, rv_before + 1);
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv_before + 1);
	g_assert_cmpint(rdd_object_get_creation_timestamp(obj), >, now - 2 * G_USEC_PER_SEC);
	g_assert_cmpint(rdd_object_get_creation_timestamp(obj), <, now + 2 * G_USEC_PER_SEC);
	g_assert_cmpint(rdd_object_get_deletion_timestamp(obj), ==, 0);
	g_assert_false(rdd_object_is_deleting(obj));

	/* the JSON carries the same values */
	g_assert_cmpstr(rdd_store_test_string(obj, "metadata.uid", buf), ==, uid);
	{
		g_autofree gchar *rv = g_strdup_printf("%" G_GUINT64_FORMAT, rv_before + 1);
		g_assert_cmpstr(rdd_store_test_string(obj, "metadata.resourceVersion", buf), ==, rv);
	}
	{
		g_autofree gchar *gen = rdd_store_test_member(obj, "metadata.generation");
		g_assert_cmpstr(gen, ==, "1");
	}
	{
		gint64 created = 0;
		g_assert_true(rdd_time_parse(rdd_store_test_string(obj, "metadata.creationTimestamp", buf),
					     &created, NULL));
		g_assert_cmpint(created / G_USEC_PER_SEC, ==, rdd_object_get_creation_timestamp(obj) / G_USEC_PER_SEC);
	}
	g_assert_cmpstr(rdd_store_test_string(obj, "apiVersion", buf), ==, "test.rdd.io/v1");
	g_assert_cmpstr(rdd_store_test_string(obj, "kind", buf), ==, "Widget");
	{
		g_autofree gchar *key = rdd_object_get_key(obj);
		g_assert_cmpstr(key, ==, "ns1/w1");
	}

	/* get returns the same snapshot */
	got = rdd_store_get(t->store, t->widget, "ns1", "w1", &error);
	g_assert_no_error(error);
	g_assert_true(got == obj);
	again = rdd_store_lookup_uid(t->store, uid);
	g_assert_true(again == obj);
	g_assert_cmpuint(rdd_store_count(t->store, t->widget), ==, 1);

	/* a second create of the same name fails and changes nothing */
	{
		g_autoptr(RddObject) dup = rdd_store_create(t->store, input, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
		g_assert_null(dup);
		g_assert_cmpstr(error->message, ==, "widgets.test.rdd.io \"w1\" already exists");
		g_clear_error(&error);
		g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv_before + 1);
	}

	/* same name in another namespace is another object */
	{
		g_autoptr(RddObject) other = rdd_store_test_create_widget(t, "ns2", "w1", "blue");
		g_assert_cmpstr(rdd_object_get_uid(other), !=, uid);
		g_assert_cmpuint(rdd_store_count(t->store, t->widget), ==, 2);
	}
}

static void
rdd_store_test_get_missing(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) w = rdd_store_test_create_widget(t, "ns1", "w1", "red");

	obj = rdd_store_get(t->store, t->widget, "ns1", "nope", &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(obj);
	g_assert_cmpstr(error->message, ==, "widgets.test.rdd.io \"nope\" not found");
	g_clear_error(&error);

	/* right name, wrong namespace */
	obj = rdd_store_get(t->store, t->widget, "ns2", "w1", &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "ns2", "w1"));
	g_assert_null(rdd_store_lookup_uid(t->store, "00000000-0000-0000-0000-000000000000"));

	/* a kind that is not registered */
	{
		g_autoptr(JsonNode) node = rdd_store_test_json(
			"{'apiVersion':'test.rdd.io/v9','kind':'Widget','metadata':{'name':'x'}}");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
		g_assert_null(res);
		g_clear_error(&error);
	}
	/* no apiVersion */
	{
		g_autoptr(JsonNode) node = rdd_store_test_json("{'kind':'Widget','metadata':{'name':'x'}}");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
		g_assert_null(res);
		g_clear_error(&error);
	}
}

static void
rdd_store_test_list_basic(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddListResult) all = NULL;
	g_autoptr(RddListResult) ns1 = NULL;
	const gchar *expected[] = {"ns1/a", "ns1/b", "ns1/c", "ns2/a", "ns2/z"};
	const gchar *items[][2] = {{"ns2", "z"}, {"ns1", "c"}, {"ns1", "a"}, {"ns2", "a"}, {"ns1", "b"}};
	RddListOptions opts = {0};

	for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
		g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, items[i][0], items[i][1], "red");
	}
	all = rdd_store_list(t->store, t->widget, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(all->items->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < all->items->len; i++) {
		g_autofree gchar *key = rdd_object_get_key(g_ptr_array_index(all->items, i));
		g_assert_cmpstr(key, ==, expected[i]);
	}
	g_assert_cmpuint(all->resource_version, ==, rdd_store_get_resource_version(t->store));
	g_assert_null(all->continue_token);

	opts.namespace = "ns1";
	ns1 = rdd_store_list(t->store, t->widget, &opts, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ns1->items->len, ==, 3);
	for (guint i = 0; i < ns1->items->len; i++)
		g_assert_cmpstr(rdd_object_get_namespace(g_ptr_array_index(ns1->items, i)), ==, "ns1");

	/* an empty namespace and an unknown one */
	{
		g_autoptr(RddListResult) res = NULL;
		opts.namespace = "default";
		res = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 0);
	}
	{
		g_autoptr(RddListResult) res = NULL;
		opts.namespace = "ns";
		res = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 0);
	}
	/* "" is all namespaces */
	{
		g_autoptr(RddListResult) res = NULL;
		opts.namespace = "";
		res = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 5);
	}
	/* the list is a snapshot: later writes do not change it */
	{
		g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "d", "red");
		g_assert_cmpuint(all->items->len, ==, 5);
	}
}

static void
rdd_store_test_update_basic(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autoptr(RddObject) updated = NULL;
	g_autoptr(RddObject) got = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *color = NULL;

	node = rdd_store_test_dup_with(obj, "{'spec':{'color':'blue','note':'hello'}}");
	updated = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(updated);
	g_assert_cmpuint(rdd_object_get_resource_version(updated), ==,
			 rdd_object_get_resource_version(obj) + 1);
	g_assert_cmpint(rdd_object_get_generation(updated), ==, 2);
	g_assert_cmpstr(rdd_object_get_uid(updated), ==, rdd_object_get_uid(obj));
	g_assert_cmpint(rdd_object_get_creation_timestamp(updated), ==, rdd_object_get_creation_timestamp(obj));
	color = rdd_store_test_member(updated, "spec.color");
	g_assert_cmpstr(color, ==, "\"blue\"");
	got = rdd_store_get(t->store, t->widget, "ns1", "w1", &error);
	g_assert_no_error(error);
	g_assert_true(got == updated);

	/* the old snapshot is unchanged */
	{
		g_autofree gchar *old_color = rdd_store_test_member(obj, "spec.color");
		g_assert_cmpstr(old_color, ==, "\"red\"");
		g_assert_cmpint(rdd_object_get_generation(obj), ==, 1);
	}

	/* server-owned metadata in the input is ignored: uid/rv act as preconditions only, and
	 * creationTimestamp and generation are kept */
	{
		g_autoptr(JsonNode) n2 = rdd_store_test_dup_with(updated, "{'metadata':{'creationTimestamp':'2001-01-01T00:00:00Z','generation':99},"
									  "'spec':{'note':'again'}}");
		g_autoptr(RddObject) u2 = rdd_store_update(t->store, n2, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpint(rdd_object_get_generation(u2), ==, 3);
		g_assert_cmpint(rdd_object_get_creation_timestamp(u2), ==,
				rdd_object_get_creation_timestamp(obj));
	}

	/* updating a missing object */
	{
		g_autoptr(JsonNode) n3 = rdd_store_test_widget_node("ns1", "missing", "red");
		g_autoptr(RddObject) u3 = rdd_store_update(t->store, n3, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
		g_assert_null(u3);
		g_clear_error(&error);
	}
}

static void
rdd_store_test_update_status_subresource(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) s1 = NULL;
	g_autoptr(RddObject) u1 = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *status = NULL;
	g_autofree gchar *spec = NULL;

	/* a create cannot set status */
	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				       "'metadata':{'namespace':'ns1','name':'w1'},"
				       "'spec':{'color':'red'},'status':{'phase':'Ready'}}");
	status = rdd_store_test_member(obj, "status");
	g_assert_null(status);

	/* a status write changes status only, even when it carries spec and label changes */
	node = rdd_store_test_dup_with(obj, "{'metadata':{'labels':{'x':'y'}},'spec':{'color':'blue'},"
					    "'status':{'phase':'Ready','count':3}}");
	s1 = rdd_store_update_status(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(s1);
	status = rdd_store_test_member(s1, "status");
	g_assert_cmpstr(status, ==, "{\"count\":3,\"phase\":\"Ready\"}");
	spec = rdd_store_test_member(s1, "spec");
	g_assert_cmpstr(spec, ==, "{\"color\":\"red\",\"size\":1}");
	g_assert_null(rdd_object_get_label(s1, "x"));
	g_assert_cmpint(rdd_object_get_generation(s1), ==, 1);
	g_assert_cmpuint(rdd_object_get_resource_version(s1), ==, rdd_object_get_resource_version(obj) + 1);
	/* the selectable status field follows */
	g_assert_cmpstr(rdd_object_get_field(s1, "status.phase"), ==, "Ready");
	g_assert_cmpstr(rdd_object_get_field(s1, "spec.color"), ==, "red");

	/* a spec write never changes status */
	g_clear_pointer(&node, json_node_unref);
	node = rdd_store_test_dup_with(s1, "{'spec':{'color':'green'},'status':{'phase':'Failed','count':9}}");
	u1 = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&status, g_free);
	status = rdd_store_test_member(u1, "status");
	g_assert_cmpstr(status, ==, "{\"count\":3,\"phase\":\"Ready\"}");
	g_clear_pointer(&spec, g_free);
	spec = rdd_store_test_member(u1, "spec");
	g_assert_cmpstr(spec, ==, "{\"color\":\"green\",\"size\":1}");
	g_assert_cmpint(rdd_object_get_generation(u1), ==, 2);
	g_assert_cmpstr(rdd_object_get_field(u1, "status.phase"), ==, "Ready");
	g_assert_cmpstr(rdd_object_get_field(u1, "spec.color"), ==, "green");

	/* removing status from a spec write keeps it too */
	{
		g_autoptr(JsonNode) n2 = rdd_object_dup_node(u1);
		g_autoptr(RddObject) u2 = NULL;
		g_autofree gchar *st = NULL;
		json_object_remove_member(json_node_get_object(n2), "status");
		json_object_set_string_member(rdd_json_lookup_object(n2, "spec"), "note", "n");
		u2 = rdd_store_update(t->store, n2, NULL, &error);
		g_assert_no_error(error);
		st = rdd_store_test_member(u2, "status");
		g_assert_cmpstr(st, ==, "{\"count\":3,\"phase\":\"Ready\"}");
	}

	/* the status is validated too */
	{
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_autoptr(JsonNode) n3 = rdd_store_test_dup_with(cur, "{'status':{'count':'many'}}");
		g_autoptr(RddObject) bad = rdd_store_update_status(t->store, n3, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(bad);
		g_assert_nonnull(strstr(error->message, "status.count"));
		g_clear_error(&error);
	}
}

static void
rdd_store_test_update_status_plain(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) u1 = NULL;
	g_autoptr(RddObject) s1 = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *status = NULL;

	g_assert_false(rdd_kind_has_status(t->gadget));
	/* for a kind without the subresource, status is ordinary content */
	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget',"
				       "'metadata':{'name':'g1'},"
				       "'spec':{'value':'a'},'status':{'state':'on'}}");
	status = rdd_store_test_member(obj, "status.state");
	g_assert_cmpstr(status, ==, "\"on\"");
	g_assert_cmpstr(rdd_object_get_namespace(obj), ==, "");

	node = rdd_store_test_dup_with(obj, "{'status':{'state':'off'}}");
	u1 = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&status, g_free);
	status = rdd_store_test_member(u1, "status.state");
	g_assert_cmpstr(status, ==, "\"off\"");
	/* a status change is a content change: the generation follows */
	g_assert_cmpint(rdd_object_get_generation(u1), ==, 2);

	/* there is no status endpoint */
	s1 = rdd_store_update_status(t->store, node, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(s1);
	g_clear_error(&error);
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'status':{'state':'x'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->gadget, NULL, "g1",
							 RDD_PATCH_MERGE, patch, TRUE, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
		g_assert_null(p);
		g_clear_error(&error);
	}
}

static void
rdd_store_test_update_noop(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autoptr(RddObject) same = NULL;
	g_autoptr(RddObject) same_status = NULL;
	g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
	RddStoreTestRecorder rec = {0};
	guint64 rv = rdd_store_get_resource_version(t->store);
	guint64 committed;

	/* let the create commit, so that the no-op below has nothing to commit */
	while (g_main_context_iteration(NULL, FALSE))
		;
	committed = rdd_store_get_committed_resource_version(t->store);
	rdd_store_test_recorder_connect(&rec, t->store, NULL);

	same = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(same == obj);
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);

	/* the same without resourceVersion, with a default spelled out */
	{
		g_autoptr(JsonNode) n2 = rdd_store_test_widget_node("ns1", "w1", "red");
		g_autoptr(RddObject) s2 = rdd_store_update(t->store, n2, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(s2 == obj);
	}
	{
		g_autoptr(JsonNode) n3 = rdd_store_test_dup_with(obj, "{'spec':{'size':1}}");
		g_autoptr(RddObject) s3 = rdd_store_update(t->store, n3, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(s3 == obj);
	}
	/* a status write of the same status, and a merge patch that changes nothing */
	same_status = rdd_store_update_status(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(same_status == obj);
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'spec':{'color':'red'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(p == obj);
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(t->store), ==, committed);
	g_assert_cmpuint(rec.events->len, ==, 0);
	{
		guint n = 0;
		g_assert_true(rdd_store_foreach_event_since(t->store, rv, rdd_store_test_count_event, &n, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(n, ==, 0);
	}
	rdd_store_test_recorder_disconnect(&rec, t->store);
}

static void
rdd_store_test_global_resource_version(RddStoreTest *t, gconstpointer user_data)
{
	guint64 last = rdd_store_get_resource_version(t->store);
	g_autoptr(GPtrArray) objs = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_object_unref);
	g_autoptr(GError) error = NULL;

	/* writes of different kinds share one increasing counter */
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *name = g_strdup_printf("o%u", i);
		RddObject *w = rdd_store_test_create_widget(t, "ns1", name, "red");
		RddObject *g = rdd_store_test_create(t,
						     "{'apiVersion':'test.rdd.io/v1','kind':'Gadget',"
						     "'metadata':{'name':'%s'}}",
						     name);
		RddObject *c = rdd_store_test_create(t,
						     "{'apiVersion':'v1','kind':'ConfigMap',"
						     "'metadata':{'namespace':'ns1','name':'%s'}}",
						     name);
		g_assert_cmpuint(rdd_object_get_resource_version(w), ==, last + 1);
		g_assert_cmpuint(rdd_object_get_resource_version(g), ==, last + 2);
		g_assert_cmpuint(rdd_object_get_resource_version(c), ==, last + 3);
		last += 3;
		g_ptr_array_add(objs, w);
		g_ptr_array_add(objs, g);
		g_ptr_array_add(objs, c);
	}
	/* updates and deletes take the next value too */
	{
		g_autoptr(JsonNode) node =
			rdd_store_test_dup_with(g_ptr_array_index(objs, 0), "{'spec':{'note':'x'}}");
		g_autoptr(RddObject) u = rdd_store_update(t->store, node, NULL, &error);
		g_autoptr(RddObject) d = NULL;
		g_assert_no_error(error);
		g_assert_cmpuint(rdd_object_get_resource_version(u), ==, last + 1);
		d = rdd_store_delete(t->store, t->gadget, NULL, "o1", NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(rdd_object_get_resource_version(d), ==, last + 2);
		g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, last + 2);
	}
}

static void
rdd_store_test_generation(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	struct {
		const gchar *patch;
		gboolean status;
		gint64 generation;
	} steps[] = {
		{"{'metadata':{'labels':{'a':'b'}}}", FALSE, 1},
		{"{'metadata':{'annotations':{'note':'x'}}}", FALSE, 1},
		{"{'metadata':{'finalizers':['test.rdd.io/f']}}", FALSE, 1},
		{"{'metadata':{'finalizers':null}}", FALSE, 1},
		{"{'status':{'phase':'Ready'}}", TRUE, 1},
		{"{'spec':{'size':5}}", FALSE, 2},
		{"{'metadata':{'labels':{'a':'c'}},'spec':{'size':5}}", FALSE, 2},
		{"{'spec':{'nested':{'b':{'c':1}}}}", FALSE, 3},
		{"{'status':{'count':4}}", TRUE, 3},
		{"{'spec':{'nested':null}}", FALSE, 4},
	};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(JsonNode) patch = rdd_store_test_json("%s", steps[i].patch);
		g_autoptr(RddObject) res = rdd_store_patch(t->store, t->widget, "ns1", "w1", RDD_PATCH_MERGE,
							   patch, steps[i].status, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(res);
		if (rdd_object_get_generation(res) != steps[i].generation)
			g_test_fail_printf("step %u (%s): generation %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
					   i, steps[i].patch, rdd_object_get_generation(res),
					   steps[i].generation);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* patch */

static void
rdd_store_test_patch_merge(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) p1 = NULL;
	g_autoptr(JsonNode) patch = NULL;
	g_autofree gchar *spec = NULL;

	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				       "'metadata':{'namespace':'ns1','name':'w1','labels':{'a':'1','b':'2'}},"
				       "'spec':{'color':'red','note':'n','tags':['x','y'],"
				       "'nested':{'a':'keep','b':{'c':1}}}}");

	/* RFC 7386: null removes, objects merge recursively, arrays are replaced */
	patch = rdd_store_test_json("{'metadata':{'labels':{'a':null,'c':'3'}},"
				    "'spec':{'note':null,'tags':['z'],'nested':{'b':{'c':2}}}}");
	p1 = rdd_store_patch(t->store, t->widget, "ns1", "w1", RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(p1);
	spec = rdd_store_test_member(p1, "spec");
	g_assert_cmpstr(spec, ==,
			"{\"color\":\"red\",\"nested\":{\"a\":\"keep\",\"b\":{\"c\":2}},\"size\":1,"
			"\"tags\":[\"z\"]}");
	g_assert_null(rdd_object_get_label(p1, "a"));
	g_assert_cmpstr(rdd_object_get_label(p1, "b"), ==, "2");
	g_assert_cmpstr(rdd_object_get_label(p1, "c"), ==, "3");
	g_assert_cmpint(rdd_object_get_generation(p1), ==, 2);
	g_assert_cmpuint(rdd_object_get_resource_version(p1), ==, rdd_object_get_resource_version(obj) + 1);

	/* a strategic merge patch is applied as a merge patch for custom kinds */
	{
		g_autoptr(JsonNode) sp = rdd_store_test_json("{'spec':{'note':'strategic'}}");
		g_autoptr(RddObject) p2 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_STRATEGIC, sp, FALSE, NULL, &error);
		g_autofree gchar *note = NULL;
		g_assert_no_error(error);
		note = rdd_store_test_member(p2, "spec.note");
		g_assert_cmpstr(note, ==, "\"strategic\"");
	}

	/* a merge patch with a stale resourceVersion is a conflict; a current one passes */
	{
		g_autoptr(JsonNode) stale = rdd_store_test_json("{'metadata':{'resourceVersion':'%" G_GUINT64_FORMAT
								"'},'spec':{'note':'s'}}",
								rdd_object_get_resource_version(obj));
		g_autoptr(RddObject) p3 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_MERGE, stale, FALSE, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_assert_null(p3);
		g_clear_error(&error);
	}
	{
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_autoptr(JsonNode) fresh = rdd_store_test_json("{'metadata':{'resourceVersion':'%" G_GUINT64_FORMAT
								"'},'spec':{'note':'f'}}",
								rdd_object_get_resource_version(cur));
		g_autoptr(RddObject) p4 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_MERGE, fresh, FALSE, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(p4);
	}

	/* a spec patch does not reach status; a status patch does not reach spec */
	{
		g_autoptr(JsonNode) sp =
			rdd_store_test_json("{'spec':{'color':'blue'},'status':{'phase':'Ready'}}");
		g_autoptr(RddObject) p5 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_MERGE, sp, TRUE, NULL, &error);
		g_autofree gchar *color = NULL;
		g_autofree gchar *phase = NULL;
		g_assert_no_error(error);
		color = rdd_store_test_member(p5, "spec.color");
		phase = rdd_store_test_member(p5, "status.phase");
		g_assert_cmpstr(color, ==, "\"red\"");
		g_assert_cmpstr(phase, ==, "\"Ready\"");
	}
	{
		g_autoptr(JsonNode) sp =
			rdd_store_test_json("{'spec':{'color':'blue'},'status':{'phase':'Gone'}}");
		g_autoptr(RddObject) p6 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_MERGE, sp, FALSE, NULL, &error);
		g_autofree gchar *color = NULL;
		g_autofree gchar *phase = NULL;
		g_assert_no_error(error);
		color = rdd_store_test_member(p6, "spec.color");
		phase = rdd_store_test_member(p6, "status.phase");
		g_assert_cmpstr(color, ==, "\"blue\"");
		g_assert_cmpstr(phase, ==, "\"Ready\"");
	}
}

static void
rdd_store_test_patch_json(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) p1 = NULL;
	g_autoptr(JsonNode) patch = NULL;
	g_autofree gchar *spec = NULL;

	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				       "'metadata':{'namespace':'ns1','name':'w1'},"
				       "'spec':{'color':'red','tags':['a','b']}}");
	patch = rdd_store_test_json("[{'op':'test','path':'/spec/color','value':'red'},"
				    "{'op':'replace','path':'/spec/color','value':'green'},"
				    "{'op':'add','path':'/spec/tags/1','value':'m'},"
				    "{'op':'add','path':'/spec/tags/-','value':'z'},"
				    "{'op':'remove','path':'/spec/tags/0'},"
				    "{'op':'copy','from':'/spec/color','path':'/spec/note'},"
				    "{'op':'add','path':'/metadata/labels','value':{'k':'v'}}]");
	p1 = rdd_store_patch(t->store, t->widget, "ns1", "w1", RDD_PATCH_JSON, patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(p1);
	spec = rdd_store_test_member(p1, "spec");
	g_assert_cmpstr(spec, ==,
			"{\"color\":\"green\",\"note\":\"green\",\"size\":1,\"tags\":[\"m\",\"b\","
			"\"z\"]}");
	g_assert_cmpstr(rdd_object_get_label(p1, "k"), ==, "v");

	/* status through the status subresource */
	{
		g_autoptr(JsonNode) sp =
			rdd_store_test_json("[{'op':'add','path':'/status','value':{'phase':'Ready','count':1}},"
					    "{'op':'replace','path':'/spec/color','value':'blue'}]");
		g_autoptr(RddObject) p2 = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							  RDD_PATCH_JSON, sp, TRUE, NULL, &error);
		g_autofree gchar *status = NULL;
		g_autofree gchar *color = NULL;
		g_assert_no_error(error);
		status = rdd_store_test_member(p2, "status");
		color = rdd_store_test_member(p2, "spec.color");
		g_assert_cmpstr(status, ==, "{\"count\":1,\"phase\":\"Ready\"}");
		g_assert_cmpstr(color, ==, "\"green\"");
		g_assert_cmpint(rdd_object_get_generation(p2), ==, rdd_object_get_generation(p1));
	}

	/* errors: a failing test op, a bad path, not an array, changing the name, schema */
	{
		struct {
			const gchar *patch;
			RddPatchType type;
			RddError code;
			const gchar *message;
		} cases[] = {
			{"[{'op':'test','path':'/spec/color','value':'red'}]", RDD_PATCH_JSON,
			 RDD_ERROR_INVALID, NULL},
			{"[{'op':'remove','path':'/spec/missing'}]", RDD_PATCH_JSON, RDD_ERROR_INVALID, NULL},
			{"[{'op':'jump','path':'/spec'}]", RDD_PATCH_JSON, RDD_ERROR_BAD_REQUEST, NULL},
			{"{'op':'add'}", RDD_PATCH_JSON, RDD_ERROR_BAD_REQUEST, NULL},
			{"[{'op':'replace','path':'/metadata/name','value':'w2'}]", RDD_PATCH_JSON,
			 RDD_ERROR_INVALID, "may not change the name"},
			{"[{'op':'replace','path':'/metadata/namespace','value':'ns2'}]",
			 RDD_PATCH_JSON, RDD_ERROR_INVALID, "may not change the name or namespace"},
			{"[{'op':'replace','path':'/spec/color','value':'pink'}]", RDD_PATCH_JSON,
			 RDD_ERROR_INVALID, "spec.color"},
			{"[{'op':'replace','path':'','value':[1]}]", RDD_PATCH_JSON,
			 RDD_ERROR_INVALID, "not a JSON object"},
			{"['not', 'a', 'patch']", RDD_PATCH_MERGE, RDD_ERROR_BAD_REQUEST, "must be a JSON object"},
			{"{'spec':{'size':-1}}", RDD_PATCH_MERGE, RDD_ERROR_INVALID, "spec.size"},
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autoptr(JsonNode) bad = rdd_store_test_json("%s", cases[i].patch);
			g_autoptr(RddObject) res = NULL;
			guint64 rv = rdd_store_get_resource_version(t->store);
			res = rdd_store_patch(t->store, t->widget, "ns1", "w1", cases[i].type, bad,
					      FALSE, NULL, &error);
			if (res != NULL) {
				g_test_fail_printf("case %u (%s) succeeded", i, cases[i].patch);
				continue;
			}
			g_assert_nonnull(error);
			if (!g_error_matches(error, RDD_ERROR, cases[i].code))
				g_test_fail_printf("case %u (%s): error %s (%d), expected %d", i,
						   cases[i].patch, error->message, error->code,
						   cases[i].code);
			if (cases[i].message != NULL && strstr(error->message, cases[i].message) == NULL)
				g_test_fail_printf("case %u (%s): error \"%s\" lacks \"%s\"", i,
						   cases[i].patch, error->message, cases[i].message);
			g_clear_error(&error);
			g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
		}
	}
	/* patching a missing object */
	{
		g_autoptr(JsonNode) sp = rdd_store_test_json("[]");
		g_autoptr(RddObject) res = rdd_store_patch(t->store, t->widget, "ns1", "nope",
							   RDD_PATCH_JSON, sp, FALSE, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
		g_assert_null(res);
		g_clear_error(&error);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* delete and preconditions */

static void
rdd_store_test_delete_basic(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autoptr(RddObject) gone = NULL;
	g_autoptr(RddObject) again = NULL;
	guint64 rv = rdd_store_get_resource_version(t->store);

	gone = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(gone);
	/* the final state carries the deletion's resourceVersion */
	g_assert_cmpuint(rdd_object_get_resource_version(gone), ==, rv + 1);
	g_assert_cmpstr(rdd_object_get_uid(gone), ==, rdd_object_get_uid(obj));
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv + 1);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "w1"));
	g_assert_null(rdd_store_lookup_uid(t->store, rdd_object_get_uid(obj)));
	g_assert_cmpuint(rdd_store_count(t->store, t->widget), ==, 0);
	{
		g_autoptr(GString) buf = g_string_new(NULL);
		g_autofree gchar *rv_text = g_strdup_printf("%" G_GUINT64_FORMAT, rv + 1);
		g_assert_cmpstr(rdd_store_test_string(gone, "metadata.resourceVersion", buf), ==, rv_text);
	}

	again = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(again);
	g_clear_error(&error);

	/* the name can be used again, by a new object */
	{
		g_autoptr(RddObject) re = rdd_store_test_create_widget(t, "ns1", "w1", "red");
		g_assert_cmpstr(rdd_object_get_uid(re), !=, rdd_object_get_uid(obj));
	}
	/* cluster-scoped: the namespace argument is ignored */
	{
		g_autoptr(RddObject) g = rdd_store_test_create(
			t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g'}}");
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->gadget, NULL, "g", NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(d);
		g_assert_null(rdd_store_lookup(t->store, t->gadget, NULL, "g"));
	}
}

static void
rdd_store_test_precondition_rv(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autoptr(RddObject) u1 = NULL;
	g_autoptr(JsonNode) first = rdd_store_test_dup_with(obj, "{'spec':{'note':'first'}}");
	g_autoptr(JsonNode) second = rdd_store_test_dup_with(obj, "{'spec':{'note':'second'}}");
	g_autoptr(RddObject) u2 = NULL;
	const gchar *conflict = "Operation cannot be fulfilled on widgets.test.rdd.io \"w1\": the "
				"object has been modified; please apply your changes to the latest "
				"version and try again";

	/* two writers start from the same version; the second loses */
	u1 = rdd_store_update(t->store, first, NULL, &error);
	g_assert_no_error(error);
	u2 = rdd_store_update(t->store, second, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(u2);
	g_assert_cmpstr(error->message, ==, conflict);
	g_clear_error(&error);

	/* status writes and deletes check it too */
	u2 = rdd_store_update_status(t->store, second, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_cmpstr(error->message, ==, conflict);
	g_clear_error(&error);
	{
		g_autofree gchar *stale =
			g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(obj));
		g_autofree gchar *current =
			g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(u1));
		RddDeleteOptions opts = {.precondition_resource_version = stale};
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "w1", &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_assert_cmpstr(error->message, ==, conflict);
		g_assert_null(d);
		g_clear_error(&error);
		g_assert_true(rdd_store_test_has(t->store, t->widget, "ns1", "w1"));
		opts.precondition_resource_version = current;
		d = rdd_store_delete(t->store, t->widget, "ns1", "w1", &opts, &error);
		g_assert_no_error(error);
		g_assert_nonnull(d);
	}
}

static void
rdd_store_test_precondition_uid(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autoptr(RddObject) res = NULL;
	g_autoptr(JsonNode) node = rdd_store_test_json(
		"{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		"'name':'w1','uid':'11111111-2222-3333-4444-555555555555'},'spec':{'color':'blue'}}");
	g_autofree gchar *expected = g_strdup_printf(
		"Operation cannot be fulfilled on widgets.test.rdd.io \"w1\": Precondition failed: UID "
		"in precondition: 11111111-2222-3333-4444-555555555555, UID in object meta: %s",
		rdd_object_get_uid(obj));

	res = rdd_store_update(t->store, node, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_cmpstr(error->message, ==, expected);
	g_assert_null(res);
	g_clear_error(&error);
	{
		RddDeleteOptions opts = {.precondition_uid = "11111111-2222-3333-4444-555555555555"};
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "w1", &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_assert_cmpstr(error->message, ==, expected);
		g_assert_null(d);
		g_clear_error(&error);
	}
	/* the right uid passes */
	json_object_set_string_member(rdd_json_lookup_object(node, "metadata"), "uid", rdd_object_get_uid(obj));
	res = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(res);
	{
		RddDeleteOptions opts = {.precondition_uid = rdd_object_get_uid(obj)};
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "w1", &opts, &error);
		g_assert_no_error(error);
		g_assert_nonnull(d);
	}
	/* a recreated object has another uid: the old uid no longer matches */
	{
		g_autoptr(RddObject) re = rdd_store_test_create_widget(t, "ns1", "w1", "red");
		RddDeleteOptions opts = {.precondition_uid = rdd_object_get_uid(obj)};
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "w1", &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_assert_null(d);
		g_clear_error(&error);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* finalizers */

static void
rdd_store_test_finalizers(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) cur = NULL;
	RddStoreTestRecorder rec = {0};
	g_autofree gchar *events = NULL;

	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				       "'metadata':{'namespace':'ns1','name':'w1',"
				       "'finalizers':['test.rdd.io/a','test.rdd.io/b']},"
				       "'spec':{'color':'red'}}");
	rdd_store_test_recorder_connect(&rec, t->store, NULL);

	/* delete only marks the object */
	marked = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(marked);
	g_assert_true(rdd_object_is_deleting(marked));
	g_assert_cmpint(rdd_object_get_deletion_timestamp(marked), >, 0);
	g_assert_cmpint(rdd_object_get_generation(marked), ==, 1);
	{
		g_autoptr(GString) buf = g_string_new(NULL);
		gint64 ts = 0;
		g_assert_true(rdd_time_parse(
			rdd_store_test_string(marked, "metadata.deletionTimestamp", buf), &ts, NULL));
		g_assert_cmpint(ts / G_USEC_PER_SEC, ==, rdd_object_get_deletion_timestamp(marked) / G_USEC_PER_SEC);
	}
	cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
	g_assert_true(cur == marked);
	events = rdd_store_test_recorder_take(&rec);
	{
		g_autofree gchar *expected = g_strdup_printf("changed Widget w1 %" G_GUINT64_FORMAT,
							     rdd_object_get_resource_version(marked));
		g_assert_cmpstr(events, ==, expected);
	}

	/* deleting again changes nothing */
	{
		g_autoptr(RddObject) again = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
		g_assert_no_error(error);
		g_assert_true(again == marked);
	}

	/* no new finalizer while deleting: neither by update nor by add_finalizer */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(
			marked, "{'metadata':{'finalizers':['test.rdd.io/a','test.rdd.io/b','test.rdd.io/c']}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(res);
		g_assert_nonnull(strstr(error->message, "no new finalizers can be added if the object "
							"is being deleted"));
		g_assert_nonnull(strstr(error->message, "test.rdd.io/c"));
		g_clear_error(&error);
		g_assert_false(rdd_store_add_finalizer(t->store, marked, "test.rdd.io/c", &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_clear_error(&error);
	}
	/* the deletionTimestamp cannot be cleared by an update */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(
			marked, "{'metadata':{'deletionTimestamp':null},'spec':{'note':'still here'}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(rdd_object_is_deleting(res));
		g_assert_cmpint(rdd_object_get_deletion_timestamp(res), ==,
				rdd_object_get_deletion_timestamp(marked));
		g_clear_pointer(&cur, rdd_object_unref);
		cur = g_steal_pointer(&res);
	}
	g_free(rdd_store_test_recorder_take(&rec));

	/* removing one finalizer keeps the object */
	g_assert_true(rdd_store_remove_finalizer(t->store, cur, "test.rdd.io/a", &error));
	g_assert_no_error(error);
	g_clear_pointer(&cur, rdd_object_unref);
	cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
	g_assert_nonnull(cur);
	g_assert_false(rdd_object_has_finalizer(cur, "test.rdd.io/a"));
	g_assert_true(rdd_object_has_finalizer(cur, "test.rdd.io/b"));
	g_assert_true(rdd_object_is_deleting(cur));

	/* removing a finalizer from a stale snapshot is a conflict */
	g_assert_false(rdd_store_remove_finalizer(t->store, marked, "test.rdd.io/b", &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_clear_error(&error);

	/* the last one goes: the object goes, and watchers see only the removal */
	g_free(rdd_store_test_recorder_take(&rec));
	g_assert_true(rdd_store_remove_finalizer(t->store, cur, "test.rdd.io/b", &error));
	g_assert_no_error(error);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "w1"));
	g_clear_pointer(&events, g_free);
	events = rdd_store_test_recorder_take(&rec);
	{
		g_autofree gchar *expected = g_strdup_printf("removed Widget w1 %" G_GUINT64_FORMAT,
							     rdd_store_get_resource_version(t->store));
		g_assert_cmpstr(events, ==, expected);
	}
	rdd_store_test_recorder_disconnect(&rec, t->store);
}

static void
rdd_store_test_finalizers_update(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) res = NULL;
	g_autoptr(JsonNode) node = NULL;

	obj = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				       "'metadata':{'namespace':'ns1','name':'w1'},"
				       "'spec':{'color':'red'}}");
	/* finalizers can be added while the object lives */
	g_assert_true(rdd_store_add_finalizer(t->store, obj, "test.rdd.io/x", &error));
	g_assert_no_error(error);
	g_clear_pointer(&obj, rdd_object_unref);
	obj = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
	g_assert_true(rdd_object_has_finalizer(obj, "test.rdd.io/x"));
	/* adding it twice is fine and changes nothing */
	{
		guint64 rv = rdd_store_get_resource_version(t->store);
		g_assert_true(rdd_store_add_finalizer(t->store, obj, "test.rdd.io/x", &error));
		g_assert_no_error(error);
		g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
	}

	marked = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_object_is_deleting(marked));

	/* removing the last finalizer with a plain update removes the object */
	node = rdd_store_test_dup_with(marked, "{'metadata':{'finalizers':[]}}");
	res = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(res);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "w1"));
	g_assert_cmpuint(rdd_store_count(t->store, t->widget), ==, 0);

	/* and with a JSON patch */
	{
		g_autoptr(RddObject) o2 = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g',"
								   "'finalizers':['test.rdd.io/x']}}");
		g_autoptr(RddObject) m2 = rdd_store_delete(t->store, t->gadget, NULL, "g", NULL, &error);
		g_autoptr(JsonNode) patch =
			rdd_store_test_json("[{'op':'remove','path':'/metadata/finalizers/0'}]");
		g_autoptr(RddObject) p = NULL;
		g_assert_no_error(error);
		g_assert_true(rdd_object_is_deleting(m2));
		p = rdd_store_patch(t->store, t->gadget, NULL, "g", RDD_PATCH_JSON, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
		g_assert_null(rdd_store_lookup(t->store, t->gadget, NULL, "g"));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* garbage collection */

static RddObject *
rdd_store_test_create_owned(RddStoreTest *t, const gchar *name, RddObject *owner, RddObject *owner2, gboolean block)
{
	g_autoptr(GString) refs = g_string_new(NULL);
	RddObject *owners[] = {owner, owner2};
	for (guint i = 0; i < G_N_ELEMENTS(owners); i++) {
		if (owners[i] == NULL)
			continue;
		if (refs->len > 0)
			g_string_append_c(refs, ',');
		g_string_append_printf(refs,
				       "{'apiVersion':'%s','kind':'%s','name':'%s','uid':'%s',"
				       "'blockOwnerDeletion':%s}",
				       rdd_kind_get_api_version(rdd_object_get_kind(owners[i])),
				       rdd_kind_get_name(rdd_object_get_kind(owners[i])),
				       rdd_object_get_name(owners[i]),
				       rdd_object_get_uid(owners[i]), block ? "true" : "false");
	}
	return rdd_store_test_create(t,
				     "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
				     "'metadata':{'namespace':'ns1','name':'%s','ownerReferences':[%s]},"
				     "'spec':{'color':'red'}}",
				     name, refs->str);
}

static gboolean
rdd_store_test_exists(RddStoreTest *t, const gchar *name)
{
	g_autoptr(RddObject) obj = rdd_store_lookup(t->store, t->widget, "ns1", name);
	return obj != NULL;
}

static gboolean
rdd_store_test_timeout_cb(gpointer user_data)
{
	gboolean *expired = user_data;
	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

/* iterates the main loop until @name is gone (or exists, with @gone FALSE); 5 s at most */
static void
rdd_store_test_wait_for(RddStoreTest *t, const gchar *name, gboolean gone)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(5000, rdd_store_test_timeout_cb, &expired);
	while (rdd_store_test_exists(t, name) == gone && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	if (expired)
		g_test_fail_printf("timed out waiting for %s to be %s", name, gone ? "gone" : "there");
}

static void
rdd_store_test_gc_background(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create_widget(t, "ns1", "owner", "red");
	g_autoptr(RddObject) d1 = rdd_store_test_create_owned(t, "d1", owner, NULL, FALSE);
	g_autoptr(RddObject) d2 = rdd_store_test_create_owned(t, "d2", owner, NULL, TRUE);
	g_autoptr(RddObject) dd1 = rdd_store_test_create_owned(t, "dd1", d1, NULL, FALSE);
	g_autoptr(RddObject) other = rdd_store_test_create_widget(t, "ns1", "other", "red");
	g_autoptr(RddObject) gone = NULL;

	g_assert_cmpuint(rdd_object_get_n_owner_references(d1), ==, 1);
	g_assert_true(rdd_object_is_owned_by(d1, rdd_object_get_uid(owner)));
	g_assert_true(rdd_object_get_owner_reference(d2, 0)->block_owner_deletion);

	/* an owner alive: nothing is collected */
	rdd_store_run_gc(t->store);
	g_assert_true(rdd_store_test_exists(t, "d1"));
	g_assert_true(rdd_store_test_exists(t, "dd1"));

	/* background: the owner goes now, dependents (and theirs) afterwards */
	gone = rdd_store_delete(t->store, t->widget, "ns1", "owner", NULL, &error);
	g_assert_no_error(error);
	g_assert_false(rdd_store_test_exists(t, "owner"));
	g_assert_true(rdd_store_test_exists(t, "d1"));
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "d1"));
	g_assert_false(rdd_store_test_exists(t, "d2"));
	g_assert_false(rdd_store_test_exists(t, "dd1"));
	g_assert_true(rdd_store_test_exists(t, "other"));
}

static void
rdd_store_test_gc_background_main_loop(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create_widget(t, "ns1", "owner", "red");
	g_autoptr(RddObject) d1 = rdd_store_test_create_owned(t, "d1", owner, NULL, FALSE);
	g_autoptr(RddObject) dd1 = rdd_store_test_create_owned(t, "dd1", d1, NULL, FALSE);
	g_autoptr(RddObject) gone = NULL;

	/* a few idle iterations collect nothing while the owner lives */
	for (guint i = 0; i < 5; i++)
		g_main_context_iteration(NULL, FALSE);
	g_assert_true(rdd_store_test_exists(t, "d1"));

	gone = rdd_store_delete(t->store, t->widget, "ns1", "owner", NULL, &error);
	g_assert_no_error(error);
	rdd_store_test_wait_for(t, "dd1", TRUE);
	g_assert_false(rdd_store_test_exists(t, "d1"));
}

static void
rdd_store_test_gc_foreground(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create_widget(t, "ns1", "owner", "red");
	g_autoptr(RddObject) blocker = rdd_store_test_create_owned(t, "blocker", owner, NULL, TRUE);
	g_autoptr(RddObject) loose = rdd_store_test_create_owned(t, "loose", owner, NULL, FALSE);
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) cur = NULL;
	RddDeleteOptions opts = {.propagation = RDD_PROPAGATION_FOREGROUND};

	/* the blocking dependent has a finalizer of its own, so it lingers */
	g_assert_true(rdd_store_add_finalizer(t->store, blocker, "test.rdd.io/hold", &error));
	g_assert_no_error(error);

	marked = rdd_store_delete(t->store, t->widget, "ns1", "owner", &opts, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_object_is_deleting(marked));
	g_assert_true(rdd_object_has_finalizer(marked, RDD_FINALIZER_FOREGROUND));
	g_assert_true(rdd_store_test_exists(t, "owner"));

	rdd_store_run_gc(t->store);
	/* the owner waits for the blocking dependent, which is being deleted */
	g_assert_true(rdd_store_test_exists(t, "owner"));
	g_assert_false(rdd_store_test_exists(t, "loose"));
	cur = rdd_store_lookup(t->store, t->widget, "ns1", "blocker");
	g_assert_nonnull(cur);
	g_assert_true(rdd_object_is_deleting(cur));
	/* and still waits after more passes */
	rdd_store_run_gc(t->store);
	g_assert_true(rdd_store_test_exists(t, "owner"));

	/* the blocker goes: so does the owner */
	g_assert_true(rdd_store_remove_finalizer(t->store, cur, "test.rdd.io/hold", &error));
	g_assert_no_error(error);
	g_assert_false(rdd_store_test_exists(t, "blocker"));
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "owner"));
}

static void
rdd_store_test_gc_foreground_main_loop(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create_widget(t, "ns1", "owner", "red");
	g_autoptr(RddObject) blocker = rdd_store_test_create_owned(t, "blocker", owner, NULL, TRUE);
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) cur = NULL;
	RddDeleteOptions opts = {.propagation = RDD_PROPAGATION_FOREGROUND};

	g_assert_true(rdd_store_add_finalizer(t->store, blocker, "test.rdd.io/hold", &error));
	g_assert_no_error(error);
	marked = rdd_store_delete(t->store, t->widget, "ns1", "owner", &opts, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < 10; i++)
		g_main_context_iteration(NULL, FALSE);
	g_assert_true(rdd_store_test_exists(t, "owner"));
	cur = rdd_store_lookup(t->store, t->widget, "ns1", "blocker");
	g_assert_true(rdd_object_is_deleting(cur));
	g_assert_true(rdd_store_remove_finalizer(t->store, cur, "test.rdd.io/hold", &error));
	g_assert_no_error(error);
	rdd_store_test_wait_for(t, "owner", TRUE);
}

static void
rdd_store_test_gc_foreground_after_mark(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create(
		t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		   "'name':'owner','finalizers':['test.rdd.io/hold']},'spec':{'color':'red'}}");
	g_autoptr(RddObject) dep = rdd_store_test_create_owned(t, "dep", owner, NULL, TRUE);
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) again = NULL;
	RddDeleteOptions opts = {.propagation = RDD_PROPAGATION_FOREGROUND};

	/* a first delete only marks it (it has a finalizer) */
	marked = rdd_store_delete(t->store, t->widget, "ns1", "owner", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_object_is_deleting(marked));
	/* a second, foreground delete of the marked object switches to foreground deletion */
	again = rdd_store_delete(t->store, t->widget, "ns1", "owner", &opts, &error);
	g_assert_no_error(error);
	g_assert_nonnull(again);
	g_assert_true(rdd_object_has_finalizer(again, RDD_FINALIZER_FOREGROUND));
	g_assert_cmpint(rdd_object_get_deletion_timestamp(again), ==, rdd_object_get_deletion_timestamp(marked));
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "dep"));
	/* the foreground finalizer is gone with the dependent; the owner's own finalizer stays */
	{
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "owner");
		g_assert_nonnull(cur);
		g_assert_false(rdd_object_has_finalizer(cur, RDD_FINALIZER_FOREGROUND));
		g_assert_true(rdd_store_remove_finalizer(t->store, cur, "test.rdd.io/hold", &error));
		g_assert_no_error(error);
	}
	g_assert_false(rdd_store_test_exists(t, "owner"));
}

static void
rdd_store_test_gc_orphan(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) owner = rdd_store_test_create_widget(t, "ns1", "owner", "red");
	g_autoptr(RddObject) other = rdd_store_test_create_widget(t, "ns1", "other", "red");
	g_autoptr(RddObject) d1 = rdd_store_test_create_owned(t, "d1", owner, NULL, TRUE);
	g_autoptr(RddObject) d2 = rdd_store_test_create_owned(t, "d2", owner, other, FALSE);
	g_autoptr(RddObject) res = NULL;
	g_autoptr(RddObject) cur1 = NULL;
	g_autoptr(RddObject) cur2 = NULL;
	RddDeleteOptions opts = {.propagation = RDD_PROPAGATION_ORPHAN};

	res = rdd_store_delete(t->store, t->widget, "ns1", "owner", &opts, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_object_has_finalizer(res, RDD_FINALIZER_ORPHAN));
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "owner"));
	cur1 = rdd_store_lookup(t->store, t->widget, "ns1", "d1");
	cur2 = rdd_store_lookup(t->store, t->widget, "ns1", "d2");
	g_assert_nonnull(cur1);
	g_assert_nonnull(cur2);
	g_assert_false(rdd_object_is_deleting(cur1));
	g_assert_cmpuint(rdd_object_get_n_owner_references(cur1), ==, 0);
	{
		g_autofree gchar *refs = rdd_store_test_member(cur1, "metadata.ownerReferences");
		g_assert_null(refs);
	}
	/* the other owner's reference stays */
	g_assert_cmpuint(rdd_object_get_n_owner_references(cur2), ==, 1);
	g_assert_true(rdd_object_is_owned_by(cur2, rdd_object_get_uid(other)));
	/* the orphans keep living after more GC */
	rdd_store_run_gc(t->store);
	g_assert_true(rdd_store_test_exists(t, "d1"));
	g_assert_true(rdd_store_test_exists(t, "d2"));
}

static void
rdd_store_test_gc_missing_owner(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(RddObject) dep = rdd_store_test_create(
		t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		   "'name':'dep','ownerReferences':[{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
		   "'name':'ghost','uid':'00000000-1111-2222-3333-444444444444'}]},"
		   "'spec':{'color':'red'}}");
	g_assert_true(rdd_store_test_exists(t, "dep"));
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "dep"));

	/* the same through the main loop */
	{
		g_autoptr(RddObject) dep2 = rdd_store_test_create(
			t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
			   "'name':'dep2','ownerReferences':[{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
			   "'name':'ghost','uid':'00000000-1111-2222-3333-444444444444'}]},"
			   "'spec':{'color':'red'}}");
		rdd_store_test_wait_for(t, "dep2", TRUE);
	}
	/* an update that points an object at a missing owner gets it collected too */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(RddObject) w = rdd_store_test_create_widget(t, "ns1", "w", "red");
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(
			w, "{'metadata':{'ownerReferences':[{'apiVersion':'v1','kind':'ConfigMap',"
			   "'name':'x','uid':'99999999-1111-2222-3333-444444444444'}]}}");
		g_autoptr(RddObject) u = rdd_store_update(t->store, node, NULL, &error);
		g_assert_no_error(error);
		rdd_store_run_gc(t->store);
		g_assert_false(rdd_store_test_exists(t, "w"));
	}
}

/* an owner of a kind nobody registered (its plugin did not load) may exist: its dependents
 * stay until the kind is known and the owner is then found missing */
static void
rdd_store_test_gc_unknown_owner_kind(RddStoreTest *t, gconstpointer user_data)
{
	static const gchar *crd = "apiVersion: apiextensions.k8s.io/v1\n"
				  "kind: CustomResourceDefinition\n"
				  "metadata: {name: laters.later.rdd.io}\n"
				  "spec:\n"
				  "  group: later.rdd.io\n"
				  "  names: {kind: Later, plural: laters, singular: later}\n"
				  "  scope: Cluster\n"
				  "  versions:\n"
				  "    - name: v1\n"
				  "      served: true\n"
				  "      storage: true\n"
				  "      schema:\n"
				  "        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = NULL;
	g_autoptr(RddObject) dep = rdd_store_test_create(
		t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		   "'name':'dep','ownerReferences':[{'apiVersion':'later.rdd.io/v1','kind':'Later',"
		   "'name':'x','uid':'00000000-1111-2222-3333-555555555555'}]},"
		   "'spec':{'color':'red'}}");

	rdd_store_run_gc(t->store);
	g_assert_true(rdd_store_test_exists(t, "dep"));

	kinds = rdd_kind_new_from_yaml(crd, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(kinds->len, ==, 1);
	g_assert_true(rdd_store_register_kind(t->store, g_ptr_array_index(kinds, 0), &error));
	g_assert_no_error(error);
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "dep"));
}

static void
rdd_store_test_gc_two_owners(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = rdd_store_test_create_widget(t, "ns1", "a", "red");
	g_autoptr(RddObject) b = rdd_store_test_create(
		t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'b'}}");
	g_autoptr(RddObject) dep = rdd_store_test_create_owned(t, "dep", a, b, FALSE);
	g_autoptr(RddObject) ra = NULL;
	g_autoptr(RddObject) rb = NULL;

	ra = rdd_store_delete(t->store, t->widget, "ns1", "a", NULL, &error);
	g_assert_no_error(error);
	rdd_store_run_gc(t->store);
	for (guint i = 0; i < 5; i++)
		g_main_context_iteration(NULL, FALSE);
	g_assert_true(rdd_store_test_exists(t, "dep"));

	/* the last owner goes: so does the dependent */
	rb = rdd_store_delete(t->store, t->gadget, NULL, "b", NULL, &error);
	g_assert_no_error(error);
	rdd_store_run_gc(t->store);
	g_assert_false(rdd_store_test_exists(t, "dep"));
}

/* ---------------------------------------------------------------------------------------- */
/* namespaces */

static void
rdd_store_test_namespace_missing(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_store_test_widget_node("nope", "w1", "red");
	g_autoptr(RddObject) obj = rdd_store_create(t->store, node, NULL, &error);

	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(obj);
	g_assert_cmpstr(error->message, ==, "namespaces \"nope\" not found");
	g_clear_error(&error);

	/* a namespaced object needs a namespace */
	{
		g_autoptr(JsonNode) n2 = rdd_store_test_json("{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'name':'w1'},"
							     "'spec':{'color':'red'}}");
		g_autoptr(RddObject) o2 = rdd_store_create(t->store, n2, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(o2);
		g_assert_nonnull(strstr(error->message, "metadata.namespace"));
		g_clear_error(&error);
	}
	/* once the namespace exists it works */
	g_assert_true(rdd_store_ensure_namespace(t->store, "nope", NULL, &error));
	g_assert_no_error(error);
	obj = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
}

static void
rdd_store_test_namespace_delete(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *labels[] = {"team", "a", NULL};
	g_autoptr(RddObject) ns = NULL;
	g_autoptr(RddObject) marked = NULL;
	g_autoptr(RddObject) held = NULL;
	g_autoptr(RddObject) w1 = NULL;
	g_autoptr(RddObject) cm = NULL;
	g_autoptr(RddObject) other = NULL;
	g_autofree gchar *phase = NULL;

	g_assert_true(rdd_store_ensure_namespace(t->store, "doomed", labels, &error));
	g_assert_no_error(error);
	ns = rdd_store_lookup(t->store, t->ns, NULL, "doomed");
	g_assert_nonnull(ns);
	g_assert_cmpstr(rdd_object_get_label(ns, "team"), ==, "a");
	phase = rdd_store_test_member(ns, "status.phase");
	g_assert_cmpstr(phase, ==, "\"Active\"");
	/* ensuring it again is a no-op */
	{
		guint64 rv = rdd_store_get_resource_version(t->store);
		g_assert_true(rdd_store_ensure_namespace(t->store, "doomed", NULL, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
	}

	w1 = rdd_store_test_create_widget(t, "doomed", "w1", "red");
	held = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
					"'metadata':{'namespace':'doomed','name':'held',"
					"'finalizers':['test.rdd.io/hold']},'spec':{'color':'red'}}");
	cm = rdd_store_test_create(t, "{'apiVersion':'v1','kind':'ConfigMap',"
				      "'metadata':{'namespace':'doomed','name':'cm'},'data':{'a':'b'}}");
	other = rdd_store_test_create_widget(t, "ns1", "w1", "red");

	/* deleting marks it Terminating */
	marked = rdd_store_delete(t->store, t->ns, NULL, "doomed", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(marked);
	g_assert_true(rdd_object_is_deleting(marked));
	g_clear_pointer(&phase, g_free);
	phase = rdd_store_test_member(marked, "status.phase");
	g_assert_cmpstr(phase, ==, "\"Terminating\"");
	g_assert_cmpstr(rdd_object_get_field(marked, "status.phase"), ==, "Terminating");

	/* nothing new may be created in it */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("doomed", "w2", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_null(res);
		g_assert_cmpstr(error->message, ==,
				"widgets.test.rdd.io \"w2\" is forbidden: unable to create new "
				"content in namespace doomed because it is being terminated");
		g_clear_error(&error);
	}

	/* the GC empties it, except for what waits for finalizers */
	rdd_store_run_gc(t->store);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "doomed", "w1"));
	g_assert_null(rdd_store_lookup(t->store, t->cm, "doomed", "cm"));
	g_assert_true(rdd_store_test_has(t->store, t->widget, "ns1", "w1"));
	g_clear_pointer(&held, rdd_object_unref);
	held = rdd_store_lookup(t->store, t->widget, "doomed", "held");
	g_assert_nonnull(held);
	g_assert_true(rdd_object_is_deleting(held));
	{
		g_autoptr(RddObject) still = rdd_store_lookup(t->store, t->ns, NULL, "doomed");
		g_assert_nonnull(still);
	}

	/* the last finalizer goes: the namespace goes */
	g_assert_true(rdd_store_remove_finalizer(t->store, held, "test.rdd.io/hold", &error));
	g_assert_no_error(error);
	rdd_store_run_gc(t->store);
	{
		g_autoptr(RddObject) still = rdd_store_lookup(t->store, t->ns, NULL, "doomed");
		g_assert_null(still);
	}
	/* and can be created anew */
	g_assert_true(rdd_store_ensure_namespace(t->store, "doomed", NULL, &error));
	g_assert_no_error(error);
}

static void
rdd_store_test_namespace_delete_main_loop(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) held = NULL;
	g_autoptr(RddObject) marked = NULL;
	gboolean expired = FALSE;
	guint id;

	g_assert_true(rdd_store_ensure_namespace(t->store, "doomed", NULL, &error));
	g_assert_no_error(error);
	rdd_object_unref(rdd_store_test_create_widget(t, "doomed", "w1", "red"));
	held = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
					"'metadata':{'namespace':'doomed','name':'held',"
					"'finalizers':['test.rdd.io/hold']},'spec':{'color':'red'}}");
	marked = rdd_store_delete(t->store, t->ns, NULL, "doomed", NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < 5; i++)
		g_main_context_iteration(NULL, FALSE);
	g_assert_null(rdd_store_lookup(t->store, t->widget, "doomed", "w1"));
	g_clear_pointer(&held, rdd_object_unref);
	held = rdd_store_lookup(t->store, t->widget, "doomed", "held");
	g_assert_true(rdd_object_is_deleting(held));
	g_assert_true(rdd_store_remove_finalizer(t->store, held, "test.rdd.io/hold", &error));
	g_assert_no_error(error);

	id = g_timeout_add(5000, rdd_store_test_timeout_cb, &expired);
	while (!expired) {
		g_autoptr(RddObject) ns = rdd_store_lookup(t->store, t->ns, NULL, "doomed");
		if (ns == NULL)
			break;
		g_main_context_iteration(NULL, TRUE);
	}
	g_assert_false(expired);
	g_source_remove(id);
}

static void
rdd_store_test_namespace_protected(RddStoreTest *t, gconstpointer user_data)
{
	const gchar *names[] = {"default", "kube-system", "kube-public"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddObject) res = rdd_store_delete(t->store, t->ns, NULL, names[i], NULL, &error);
		g_autoptr(RddObject) still = NULL;
		g_autofree gchar *expected =
			g_strdup_printf("admission hook \"namespace-lifecycle\" denied the request: namespaces \"%s\" "
					"is forbidden: this namespace may not be deleted",
					names[i]);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_null(res);
		g_assert_cmpstr(error->message, ==, expected);
		still = rdd_store_lookup(t->store, t->ns, NULL, names[i]);
		g_assert_nonnull(still);
		g_assert_false(rdd_object_is_deleting(still));
	}
}

static void
rdd_store_test_scope(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) g = NULL;
	g_autofree gchar *key = NULL;

	g_assert_true(rdd_kind_is_namespaced(t->widget));
	g_assert_false(rdd_kind_is_namespaced(t->gadget));
	g_assert_false(rdd_kind_is_namespaced(t->ns));

	/* a cluster-scoped object may not name a namespace */
	{
		g_autoptr(JsonNode) node = rdd_store_test_json("{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g',"
							       "'namespace':'ns1'}}");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(res);
		g_assert_nonnull(strstr(error->message, "metadata.namespace"));
		g_assert_nonnull(strstr(error->message, "not allowed on this type"));
		g_clear_error(&error);
	}
	g = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g'}}");
	key = rdd_object_get_key(g);
	g_assert_cmpstr(key, ==, "g");
	g_clear_pointer(&key, g_free);
	key = rdd_store_format_key(t->gadget, "ns1", "g");
	g_assert_cmpstr(key, ==, "g");
	g_clear_pointer(&key, g_free);
	key = rdd_store_format_key(t->widget, "ns1", "w");
	g_assert_cmpstr(key, ==, "ns1/w");
	/* any namespace given for a cluster-scoped lookup is ignored */
	{
		g_autoptr(RddObject) l = rdd_store_lookup(t->store, t->gadget, "ns1", "g");
		g_assert_true(l == g);
	}
	/* a cluster-scoped list ignores a namespace filter */
	{
		RddListOptions opts = {.namespace = "ns1"};
		g_autoptr(RddListResult) res = rdd_store_list(t->store, t->gadget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 1);
	}
	/* an update cannot give a cluster-scoped object a namespace */
	{
		g_autoptr(JsonNode) node =
			rdd_store_test_dup_with(g, "{'metadata':{'namespace':'ns1','labels':{'a':'b'}}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_autofree gchar *ns = NULL;
		g_assert_no_error(error);
		g_assert_nonnull(res);
		g_assert_cmpstr(rdd_object_get_namespace(res), ==, "");
		ns = rdd_store_test_member(res, "metadata.namespace");
		g_assert_null(ns);
		g_assert_cmpstr(rdd_object_get_label(res, "a"), ==, "b");
	}
	/* a cluster-scoped object does not need any namespace to exist */
	{
		g_autoptr(RddObject) gone = rdd_store_delete(t->store, t->ns, NULL, "ns1", NULL, &error);
		g_autoptr(RddObject) g2 = NULL;
		g_assert_no_error(error);
		g2 = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g2'}}");
		g_assert_nonnull(g2);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* selectors and paging */

/* the names of a list result joined with "," */
static gchar *
rdd_store_test_names(RddListResult *res)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < res->items->len; i++) {
		RddObject *obj = g_ptr_array_index(res->items, i);
		if (i > 0)
			g_string_append_c(out, ',');
		if (rdd_object_get_namespace(obj)[0] != '\0')
			g_string_append_printf(out, "%s/", rdd_object_get_namespace(obj));
		g_string_append(out, rdd_object_get_name(obj));
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* lists with a label and a field selector; returns the names or "ERROR: message" */
static gchar *
rdd_store_test_select(RddStoreTest *t, RddKind *kind, const gchar *ns, const gchar *labels, const gchar *fields)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddSelector) lsel = NULL;
	g_autoptr(RddSelector) fsel = NULL;
	g_autoptr(RddListResult) res = NULL;
	RddListOptions opts = {.namespace = ns};

	if (labels != NULL) {
		lsel = rdd_selector_parse_labels(labels, &error);
		g_assert_no_error(error);
	}
	if (fields != NULL) {
		fsel = rdd_selector_parse_fields(fields, &error);
		g_assert_no_error(error);
	}
	opts.label_selector = lsel;
	opts.field_selector = fsel;
	res = rdd_store_list(t->store, kind, &opts, &error);
	if (res == NULL) {
		g_assert_nonnull(error);
		return g_strdup_printf("ERROR %d: %s", error->code, error->message);
	}
	g_assert_no_error(error);
	return rdd_store_test_names(res);
}

static void
rdd_store_test_populate_labels(RddStoreTest *t)
{
	/* name, namespace, labels, color */
	const gchar *rows[][4] = {
		{"a", "ns1", "{'app':'web','tier':'front'}", "red"},
		{"b", "ns1", "{'app':'web','tier':'back'}", "green"},
		{"c", "ns1", "{'app':'db'}", "blue"},
		{"d", "ns2", "{'app':'web','tier':'front','canary':''}", "red"},
		{"e", "ns2", "{}", "green"},
		{"f", "ns2", "{'tier':'cache'}", "red"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autoptr(RddObject) obj =
			rdd_store_test_create(t,
					      "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
					      "'metadata':{'namespace':'%s','name':'%s','labels':%s},"
					      "'spec':{'color':'%s'}}",
					      rows[i][1], rows[i][0], rows[i][2], rows[i][3]);
	}
}

static void
rdd_store_test_label_selectors(RddStoreTest *t, gconstpointer user_data)
{
	struct {
		const gchar *ns;
		const gchar *selector;
		const gchar *expected;
	} cases[] = {
		{NULL, "", "ns1/a,ns1/b,ns1/c,ns2/d,ns2/e,ns2/f"},
		{NULL, "app=web", "ns1/a,ns1/b,ns2/d"},
		{NULL, "app==web", "ns1/a,ns1/b,ns2/d"},
		{NULL, "app!=web", "ns1/c,ns2/e,ns2/f"},
		{NULL, "app in (web,db)", "ns1/a,ns1/b,ns1/c,ns2/d"},
		{NULL, "app in (nothing)", ""},
		{NULL, "tier notin (front,back)", "ns1/c,ns2/e,ns2/f"},
		{NULL, "tier", "ns1/a,ns1/b,ns2/d,ns2/f"},
		{NULL, "!tier", "ns1/c,ns2/e"},
		{NULL, "canary", "ns2/d"},
		{NULL, "canary=", "ns2/d"},
		{NULL, "app=web,tier=front", "ns1/a,ns2/d"},
		{NULL, "app=web,!canary", "ns1/a,ns1/b"},
		{NULL, "app,tier!=front", "ns1/b,ns1/c"},
		{NULL, "app in (web),tier in (back,cache)", "ns1/b"},
		{NULL, "missing=x", ""},
		{NULL, "!missing", "ns1/a,ns1/b,ns1/c,ns2/d,ns2/e,ns2/f"},
		{"ns2", "app=web", "ns2/d"},
		{"ns2", "tier", "ns2/d,ns2/f"},
		{"ns1", "!app", ""},
		{"ns1", "tier!=front", "ns1/b,ns1/c"},
	};

	rdd_store_test_populate_labels(t);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *got =
			rdd_store_test_select(t, t->widget, cases[i].ns, cases[i].selector, NULL);
		if (g_strcmp0(got, cases[i].expected) != 0)
			g_test_fail_printf("case %u: ns %s selector \"%s\": got \"%s\", expected \"%s\"",
					   i, cases[i].ns, cases[i].selector, got, cases[i].expected);
	}
}

static void
rdd_store_test_label_index_follows_updates(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *got = NULL;

	rdd_store_test_populate_labels(t);
	/* relabel a: web -> db; drop c's label; delete d */
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'metadata':{'labels':{'app':'db'}}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "a",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'metadata':{'labels':null}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "c",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns2", "d", NULL, &error);
		g_assert_no_error(error);
	}
	got = rdd_store_test_select(t, t->widget, NULL, "app=web", NULL);
	g_assert_cmpstr(got, ==, "ns1/b");
	g_clear_pointer(&got, g_free);
	got = rdd_store_test_select(t, t->widget, NULL, "app=db", NULL);
	g_assert_cmpstr(got, ==, "ns1/a");
	g_clear_pointer(&got, g_free);
	got = rdd_store_test_select(t, t->widget, NULL, "app", NULL);
	g_assert_cmpstr(got, ==, "ns1/a,ns1/b");
	g_clear_pointer(&got, g_free);
	got = rdd_store_test_select(t, t->widget, NULL, "canary", NULL);
	g_assert_cmpstr(got, ==, "");
	g_clear_pointer(&got, g_free);
	/* a status write must not disturb the label index */
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'status':{'phase':'Ready'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "b",
							 RDD_PATCH_MERGE, patch, TRUE, NULL, &error);
		g_assert_no_error(error);
	}
	got = rdd_store_test_select(t, t->widget, NULL, "app=web", NULL);
	g_assert_cmpstr(got, ==, "ns1/b");
}

static void
rdd_store_test_field_selectors(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	struct {
		const gchar *ns;
		const gchar *selector;
		const gchar *expected;
	} cases[] = {
		{NULL, "metadata.name=a", "ns1/a"},
		{NULL, "metadata.name!=a", "ns1/b,ns1/c,ns2/d,ns2/e,ns2/f"},
		{NULL, "metadata.namespace=ns2", "ns2/d,ns2/e,ns2/f"},
		{NULL, "metadata.namespace==ns1,metadata.name!=b", "ns1/a,ns1/c"},
		{NULL, "spec.color=red", "ns1/a,ns2/d,ns2/f"},
		{NULL, "spec.color!=red", "ns1/b,ns1/c,ns2/e"},
		{"ns2", "spec.color=red", "ns2/d,ns2/f"},
		{NULL, "spec.color=red,metadata.namespace=ns1", "ns1/a"},
		{NULL, "status.phase=Ready", "ns1/b"},
		{NULL, "status.phase!=Ready", "ns1/a,ns1/c,ns2/d,ns2/e,ns2/f"},
		{NULL, "spec.color=pink", ""},
		{NULL, "spec.nested.a=x", "ERROR 5"},
		{NULL, "spec.size=1", "ERROR 5"},
	};

	rdd_store_test_populate_labels(t);
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'status':{'phase':'Ready'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "b",
							 RDD_PATCH_MERGE, patch, TRUE, NULL, &error);
		g_assert_no_error(error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *got =
			rdd_store_test_select(t, t->widget, cases[i].ns, NULL, cases[i].selector);
		if (!g_str_has_prefix(got, cases[i].expected) ||
		    (!g_str_has_prefix(cases[i].expected, "ERROR") && g_strcmp0(got, cases[i].expected) != 0))
			g_test_fail_printf("case %u: ns %s selector \"%s\": got \"%s\", expected \"%s\"",
					   i, cases[i].ns, cases[i].selector, got, cases[i].expected);
	}
	/* the unknown field is named in the error */
	{
		g_autofree gchar *got = rdd_store_test_select(t, t->widget, NULL, NULL, "spec.size=1");
		g_assert_nonnull(strstr(got, "\"spec.size\""));
		g_assert_nonnull(strstr(got, "widgets.test.rdd.io"));
	}
	/* labels and fields together */
	{
		g_autofree gchar *got = rdd_store_test_select(t, t->widget, NULL, "app=web", "spec.color=red");
		g_assert_cmpstr(got, ==, "ns1/a,ns2/d");
	}
	/* a field index follows a spec change */
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'spec':{'color':'blue'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "a",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_autofree gchar *got = NULL;
		g_assert_no_error(error);
		got = rdd_store_test_select(t, t->widget, NULL, NULL, "spec.color=red");
		g_assert_cmpstr(got, ==, "ns2/d,ns2/f");
		g_clear_pointer(&got, g_free);
		got = rdd_store_test_select(t, t->widget, NULL, NULL, "spec.color=blue");
		g_assert_cmpstr(got, ==, "ns1/a,ns1/c");
	}
	/* built-in selectable field: namespaces by phase */
	{
		g_autofree gchar *got = rdd_store_test_select(t, t->ns, NULL, NULL, "status.phase=Active");
		g_assert_cmpstr(got, ==, "default,kube-public,kube-system,ns1,ns2");
	}
}

static void
rdd_store_test_paging(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *token = NULL;
	guint pages = 0;

	for (guint i = 0; i < 25; i++) {
		g_autofree gchar *name = g_strdup_printf("w%02u", i);
		g_autoptr(RddObject) obj = rdd_store_test_create(
			t,
			"{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'%s',"
			"'name':'%s','labels':{'even':'%s'}},'spec':{'color':'red'}}",
			i < 12 ? "ns1" : "ns2", name, i % 2 == 0 ? "yes" : "no");
	}

	/* pages of 10 cover everything once, in order */
	do {
		RddListOptions opts = {.limit = 10, .continue_token = token};
		g_autoptr(RddListResult) res = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, <=, 10);
		for (guint i = 0; i < res->items->len; i++)
			g_ptr_array_add(seen, rdd_object_get_key(g_ptr_array_index(res->items, i)));
		g_free(token);
		token = g_strdup(res->continue_token);
		if (token != NULL)
			g_assert_cmpuint(res->items->len, ==, 10);
		/* what is left after this page */
		g_assert_cmpuint(res->remaining, ==, 25 - seen->len);
		pages++;
	} while (token != NULL && pages < 10);
	g_assert_cmpuint(pages, ==, 3);
	g_assert_cmpuint(seen->len, ==, 25);
	for (guint i = 1; i < seen->len; i++)
		g_assert_cmpstr(g_ptr_array_index(seen, i - 1), <, g_ptr_array_index(seen, i));

	/* paging with a label selector (index path) and a namespace (range path) */
	{
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels("even=yes", &error);
		RddListOptions opts = {.limit = 5, .label_selector = sel};
		g_autoptr(RddListResult) p1 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_autoptr(RddListResult) p2 = NULL;
		g_autoptr(RddListResult) p3 = NULL;
		g_autofree gchar *n1 = NULL;
		g_autofree gchar *n2 = NULL;
		g_autofree gchar *n3 = NULL;
		g_assert_no_error(error);
		n1 = rdd_store_test_names(p1);
		g_assert_cmpstr(n1, ==, "ns1/w00,ns1/w02,ns1/w04,ns1/w06,ns1/w08");
		g_assert_nonnull(p1->continue_token);
		g_assert_cmpuint(p1->remaining, ==, 8);
		opts.continue_token = p1->continue_token;
		p2 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		n2 = rdd_store_test_names(p2);
		g_assert_cmpstr(n2, ==, "ns1/w10,ns2/w12,ns2/w14,ns2/w16,ns2/w18");
		opts.continue_token = p2->continue_token;
		p3 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		n3 = rdd_store_test_names(p3);
		g_assert_cmpstr(n3, ==, "ns2/w20,ns2/w22,ns2/w24");
		g_assert_null(p3->continue_token);
		g_assert_cmpuint(p3->remaining, ==, 0);
	}
	{
		RddListOptions opts = {.limit = 7, .namespace = "ns1"};
		g_autoptr(RddListResult) p1 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_autoptr(RddListResult) p2 = NULL;
		g_assert_no_error(error);
		g_assert_cmpuint(p1->items->len, ==, 7);
		g_assert_cmpuint(p1->remaining, ==, 5);
		g_assert_nonnull(p1->continue_token);
		opts.continue_token = p1->continue_token;
		p2 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(p2->items->len, ==, 5);
		g_assert_null(p2->continue_token);
		for (guint i = 0; i < p2->items->len; i++)
			g_assert_cmpstr(rdd_object_get_namespace(g_ptr_array_index(p2->items, i)), ==, "ns1");
	}
	/* an exact fit: no continue token after the last full page */
	{
		RddListOptions opts = {.limit = 12, .namespace = "ns1"};
		g_autoptr(RddListResult) p1 = rdd_store_list(t->store, t->widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(p1->items->len, ==, 12);
		g_assert_null(p1->continue_token);
	}

	/* bad tokens */
	{
		const gchar *bad[] = {"garbage!", "Zm9v", "MTpmb28=", "@@@@", "eA=="};
		for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
			RddListOptions opts = {.limit = 5, .continue_token = bad[i]};
			g_autoptr(RddListResult) res = rdd_store_list(t->store, t->widget, &opts, &error);
			if (res != NULL) {
				g_test_fail_printf("token \"%s\" was accepted", bad[i]);
				continue;
			}
			g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
			g_assert_nonnull(strstr(error->message, "continue"));
			g_clear_error(&error);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* dry run */

static void
rdd_store_test_dry_run(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	RddWriteOptions dry = {.dry_run = TRUE};
	RddDeleteOptions dry_delete = {.dry_run = TRUE};
	RddStoreTestRecorder rec = {0};
	guint64 rv;
	guint n_events = 0;

	while (g_main_context_iteration(NULL, FALSE))
		;
	rv = rdd_store_get_resource_version(t->store);
	rdd_store_test_recorder_connect(&rec, t->store, NULL);

	/* create: validated (defaults applied), nothing stored */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w2", "green");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &dry, &error);
		g_autofree gchar *size = NULL;
		g_assert_no_error(error);
		g_assert_nonnull(res);
		size = rdd_store_test_member(res, "spec.size");
		g_assert_cmpstr(size, ==, "1");
		g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "w2"));
		g_assert_null(rdd_store_lookup_uid(t->store, rdd_object_get_uid(res)));
	}
	/* an invalid dry run still fails */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w2", "pink");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &dry, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(res);
		g_clear_error(&error);
	}
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w1", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &dry, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
		g_clear_error(&error);
	}
	/* update and status update */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(obj, "{'spec':{'color':'blue'}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, &dry, &error);
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_autofree gchar *color = NULL;
		g_assert_no_error(error);
		color = rdd_store_test_member(res, "spec.color");
		g_assert_cmpstr(color, ==, "\"blue\"");
		g_assert_true(cur == obj);
	}
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(obj, "{'status':{'phase':'X'}}");
		g_autoptr(RddObject) res = rdd_store_update_status(t->store, node, &dry, &error);
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_assert_no_error(error);
		g_assert_true(cur == obj);
	}
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'spec':{'note':'n'}}");
		g_autoptr(RddObject) res = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							   RDD_PATCH_MERGE, patch, FALSE, &dry, &error);
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_assert_no_error(error);
		g_assert_true(cur == obj);
	}
	/* delete */
	{
		g_autoptr(RddObject) res =
			rdd_store_delete(t->store, t->widget, "ns1", "w1", &dry_delete, &error);
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "w1");
		g_assert_no_error(error);
		g_assert_nonnull(res);
		g_assert_true(cur == obj);
	}
	/* a dry-run namespace delete does not mark it */
	{
		g_autoptr(RddObject) res = rdd_store_delete(t->store, t->ns, NULL, "ns1", &dry_delete, &error);
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->ns, NULL, "ns1");
		g_assert_no_error(error);
		g_assert_false(rdd_object_is_deleting(cur));
	}
	/* a dry-run delete of an owner collects nothing */
	{
		g_autoptr(RddObject) dep = rdd_store_test_create_owned(t, "dep", obj, NULL, FALSE);
		g_autoptr(RddObject) res = NULL;
		g_ptr_array_set_size(rec.events, 0);
		rv = rdd_store_get_resource_version(t->store);
		while (g_main_context_iteration(NULL, FALSE))
			;
		res = rdd_store_delete(t->store, t->widget, "ns1", "w1", &dry_delete, &error);
		g_assert_no_error(error);
		rdd_store_run_gc(t->store);
		while (g_main_context_iteration(NULL, FALSE))
			;
		g_assert_true(rdd_store_test_exists(t, "dep"));
	}

	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(t->store), ==, rv);
	g_assert_cmpuint(rec.events->len, ==, 0);
	g_assert_true(rdd_store_foreach_event_since(t->store, rv, rdd_store_test_count_event, &n_events, &error));
	g_assert_cmpuint(n_events, ==, 0);
	rdd_store_test_recorder_disconnect(&rec, t->store);
}

/* ---------------------------------------------------------------------------------------- */
/* signals and history */

static void
rdd_store_test_signals(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStoreTestRecorder widgets = {0};
	RddStoreTestRecorder gadgets = {0};
	RddStoreTestRecorder all = {0};
	g_autoptr(RddObject) w = NULL;
	g_autoptr(RddObject) g = NULL;
	g_autofree gchar *got_w = NULL;
	g_autofree gchar *got_g = NULL;
	g_autofree gchar *got_all = NULL;
	g_autofree gchar *expected_w = NULL;
	g_autofree gchar *expected_g = NULL;
	guint64 rv = rdd_store_get_resource_version(t->store);

	rdd_store_test_recorder_connect(&widgets, t->store, "Widget");
	rdd_store_test_recorder_connect(&gadgets, t->store, "Gadget");
	rdd_store_test_recorder_connect(&all, t->store, NULL);

	w = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g = rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g1'}}");
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'spec':{'note':'x'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "w1",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "w1", NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->gadget, NULL, "g1", NULL, &error);
		g_assert_no_error(error);
	}

	got_w = rdd_store_test_recorder_take(&widgets);
	got_g = rdd_store_test_recorder_take(&gadgets);
	got_all = rdd_store_test_recorder_take(&all);
	expected_w = g_strdup_printf("added Widget w1 %" G_GUINT64_FORMAT "; changed Widget w1 %" G_GUINT64_FORMAT
				     "; removed Widget w1 %" G_GUINT64_FORMAT,
				     rv + 1, rv + 3, rv + 4);
	expected_g = g_strdup_printf("added Gadget g1 %" G_GUINT64_FORMAT "; removed Gadget g1 %" G_GUINT64_FORMAT,
				     rv + 2, rv + 5);
	g_assert_cmpstr(got_w, ==, expected_w);
	g_assert_cmpstr(got_g, ==, expected_g);
	{
		g_autofree gchar *expected_all = g_strdup_printf(
			"added Widget w1 %" G_GUINT64_FORMAT "; added Gadget g1 %" G_GUINT64_FORMAT
			"; changed Widget w1 %" G_GUINT64_FORMAT "; removed Widget w1 %" G_GUINT64_FORMAT
			"; removed Gadget g1 %" G_GUINT64_FORMAT,
			rv + 1, rv + 2, rv + 3, rv + 4, rv + 5);
		g_assert_cmpstr(got_all, ==, expected_all);
	}
	rdd_store_test_recorder_disconnect(&widgets, t->store);
	rdd_store_test_recorder_disconnect(&gadgets, t->store);
	rdd_store_test_recorder_disconnect(&all, t->store);
}

typedef struct {
	GString *out;
	guint stop_after;
	guint n;
} RddStoreTestReplay;

static gboolean
rdd_store_test_replay_cb(const RddEvent *event, gpointer user_data)
{
	RddStoreTestReplay *replay = user_data;
	const gchar *types[] = {"ADDED", "MODIFIED", "DELETED"};
	if (replay->out->len > 0)
		g_string_append(replay->out, "; ");
	g_string_append_printf(replay->out, "%s %s %" G_GUINT64_FORMAT, types[event->type],
			       rdd_object_get_name(event->object),
			       rdd_object_get_resource_version(event->object));
	if (event->type == RDD_EVENT_MODIFIED) {
		g_assert_nonnull(event->old_object);
		g_assert_cmpuint(rdd_object_get_resource_version(event->old_object), <,
				 rdd_object_get_resource_version(event->object));
	} else {
		g_assert_null(event->old_object);
	}
	replay->n++;
	return replay->stop_after == 0 || replay->n < replay->stop_after;
}

static void
rdd_store_test_history(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	RddStoreTestReplay replay = {out, 0, 0};
	guint64 rv0 = rdd_store_get_resource_version(t->store);
	g_autofree gchar *expected = NULL;

	rdd_object_unref(rdd_store_test_create_widget(t, "ns1", "a", "red"));
	rdd_object_unref(rdd_store_test_create_widget(t, "ns1", "b", "red"));
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'spec':{'note':'x'}}");
		g_autoptr(RddObject) p = rdd_store_patch(t->store, t->widget, "ns1", "a",
							 RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(RddObject) d = rdd_store_delete(t->store, t->widget, "ns1", "b", NULL, &error);
		g_assert_no_error(error);
	}

	/* everything since rv0 */
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0, rdd_store_test_replay_cb, &replay, &error));
	g_assert_no_error(error);
	expected = g_strdup_printf("ADDED a %" G_GUINT64_FORMAT "; ADDED b %" G_GUINT64_FORMAT
				   "; MODIFIED a %" G_GUINT64_FORMAT "; DELETED b %" G_GUINT64_FORMAT,
				   rv0 + 1, rv0 + 2, rv0 + 3, rv0 + 4);
	g_assert_cmpstr(out->str, ==, expected);

	/* resume from the middle */
	g_string_truncate(out, 0);
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0 + 2, rdd_store_test_replay_cb, &replay, &error));
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("MODIFIED a %" G_GUINT64_FORMAT "; DELETED b %" G_GUINT64_FORMAT,
				   rv0 + 3, rv0 + 4);
	g_assert_cmpstr(out->str, ==, expected);

	/* the callback can stop early */
	g_string_truncate(out, 0);
	replay.n = 0;
	replay.stop_after = 1;
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0, rdd_store_test_replay_cb, &replay, &error));
	g_assert_cmpuint(replay.n, ==, 1);
	replay.stop_after = 0;

	/* now: nothing */
	g_string_truncate(out, 0);
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0 + 4, rdd_store_test_replay_cb, &replay, &error));
	g_assert_cmpstr(out->str, ==, "");
}

static void
rdd_store_test_history_gone(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	RddStoreTestReplay replay = {out, 0, 0};
	guint64 rv0;

	rdd_store_set_history_size(t->store, 3);
	rv0 = rdd_store_get_resource_version(t->store);
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *name = g_strdup_printf("w%u", i);
		rdd_object_unref(rdd_store_test_create_widget(t, "ns1", name, "red"));
	}
	/* only the last 3 events are kept: resuming from rv0+2 works, from rv0+1 is gone */
	g_assert_cmpuint(rdd_store_get_oldest_resource_version(t->store), ==, rv0 + 2);
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0 + 2, rdd_store_test_replay_cb, &replay, &error));
	g_assert_no_error(error);
	{
		g_autofree gchar *expected = g_strdup_printf("ADDED w2 %" G_GUINT64_FORMAT "; ADDED w3 %" G_GUINT64_FORMAT
							     "; ADDED w4 %" G_GUINT64_FORMAT,
							     rv0 + 3, rv0 + 4, rv0 + 5);
		g_assert_cmpstr(out->str, ==, expected);
	}
	g_string_truncate(out, 0);
	g_assert_false(rdd_store_foreach_event_since(t->store, rv0 + 1, rdd_store_test_replay_cb,
						     &replay, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_GONE);
	g_assert_nonnull(strstr(error->message, "too old resource version"));
	g_assert_cmpstr(out->str, ==, "");
	g_clear_error(&error);
	g_assert_false(rdd_store_foreach_event_since(t->store, 0, rdd_store_test_replay_cb, &replay, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_GONE);
	g_clear_error(&error);

	/* shrinking keeps the newest */
	rdd_store_set_history_size(t->store, 1);
	g_assert_cmpuint(rdd_store_get_oldest_resource_version(t->store), ==, rv0 + 4);
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0 + 4, rdd_store_test_replay_cb, &replay, &error));
	{
		g_autofree gchar *expected = g_strdup_printf("ADDED w4 %" G_GUINT64_FORMAT, rv0 + 5);
		g_assert_cmpstr(out->str, ==, expected);
	}
	g_assert_false(rdd_store_foreach_event_since(t->store, rv0 + 3, rdd_store_test_replay_cb,
						     &replay, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_GONE);
	g_clear_error(&error);

	/* growing keeps what is there and lets more accumulate */
	rdd_store_set_history_size(t->store, 100);
	for (guint i = 5; i < 10; i++) {
		g_autofree gchar *name = g_strdup_printf("w%u", i);
		rdd_object_unref(rdd_store_test_create_widget(t, "ns1", name, "red"));
	}
	g_string_truncate(out, 0);
	replay.n = 0;
	g_assert_true(rdd_store_foreach_event_since(t->store, rv0 + 4, rdd_store_test_replay_cb, &replay, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(replay.n, ==, 6);

	/* no history at all: only "now" can be resumed */
	rdd_store_set_history_size(t->store, 0);
	rdd_object_unref(rdd_store_test_create_widget(t, "ns1", "last", "red"));
	g_assert_true(rdd_store_foreach_event_since(t->store, rdd_store_get_resource_version(t->store),
						    rdd_store_test_replay_cb, &replay, &error));
	g_assert_no_error(error);
	g_assert_false(rdd_store_foreach_event_since(t->store, rdd_store_get_resource_version(t->store) - 1,
						     rdd_store_test_replay_cb, &replay, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_GONE);
}

/* ---------------------------------------------------------------------------------------- */
/* admission */

typedef struct {
	GPtrArray *calls;	/* "NAME OPERATION subresource dry-run" */
	const gchar *deny_name; /* deny objects with this name */
	RddError deny_code;
	gboolean invalid_causes;
	gboolean return_false_silently;
} RddStoreTestHook;

static void
rdd_store_test_hook_record(RddStoreTestHook *hook, const gchar *tag, RddAdmission *admission)
{
	g_ptr_array_add(hook->calls,
			g_strdup_printf("%s %s %s %s%s%s", tag, rdd_admission_get_operation_name(admission),
					rdd_admission_get_name(admission),
					rdd_admission_get_subresource(admission)[0] != '\0' ?
						rdd_admission_get_subresource(admission) :
						"-",
					rdd_admission_is_dry_run(admission) ? " dry-run" : "",
					rdd_admission_get_old_object(admission) != NULL ? " old" : ""));
}

static gboolean
rdd_store_test_mutate(RddAdmission *admission, gpointer user_data, GError **error)
{
	RddStoreTestHook *hook = user_data;
	JsonNode *node = rdd_admission_get_object(admission);
	JsonObject *spec;
	JsonObject *labels;

	rdd_store_test_hook_record(hook, "mutate", admission);
	g_assert_true(rdd_admission_get_kind(admission) != NULL);
	g_assert_true(rdd_admission_get_store(admission) != NULL);
	/* runs after schema defaulting */
	spec = rdd_json_lookup_object(node, "spec");
	g_assert_nonnull(spec);
	g_assert_cmpint(json_object_get_int_member_with_default(spec, "size", -1), ==, 1);
	json_object_set_string_member(spec, "note", "mutated");
	labels = rdd_json_object_ensure_object(rdd_json_lookup_object(node, "metadata"), "labels");
	json_object_set_string_member(labels, "mutated", "yes");
	rdd_admission_warn(admission, "mutated %s", rdd_admission_get_name(admission));
	return TRUE;
}

static gboolean
rdd_store_test_validate(RddAdmission *admission, gpointer user_data, GError **error)
{
	RddStoreTestHook *hook = user_data;
	rdd_store_test_hook_record(hook, "validate", admission);
	if (rdd_admission_get_operation(admission) != RDD_OPERATION_DELETE) {
		/* runs after mutation and schema validation */
		JsonNode *node = rdd_admission_get_object(admission);
		const gchar *color = rdd_json_lookup_string(node, "spec.color");
		g_assert_true(g_strv_contains((const gchar *const[]){"red", "green", "blue", NULL}, color));
	} else {
		g_assert_nonnull(rdd_admission_get_old_object(admission));
	}
	if (hook->return_false_silently)
		return FALSE;
	if (g_strcmp0(rdd_admission_get_name(admission), hook->deny_name) == 0) {
		if (hook->invalid_causes) {
			g_autoptr(GPtrArray) causes =
				g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
			g_ptr_array_add(causes, rdd_cause_new("FieldValueInvalid", "spec.note", "Invalid value: no"));
			g_ptr_array_add(causes, rdd_cause_new("FieldValueRequired", "spec.tags", "Required value"));
			rdd_error_set_invalid(error, "Widget.test.rdd.io",
					      rdd_admission_get_name(admission), causes);
			return FALSE;
		}
		g_set_error(error, RDD_ERROR, hook->deny_code, "%s is not welcome",
			    rdd_admission_get_name(admission));
		return FALSE;
	}
	rdd_admission_warn(admission, "validated %s", rdd_admission_get_name(admission));
	return TRUE;
}

static gchar *
rdd_store_test_join(GPtrArray *strings)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < strings->len; i++) {
		if (i > 0)
			g_string_append(out, "; ");
		g_string_append(out, g_ptr_array_index(strings, i));
	}
	g_ptr_array_set_size(strings, 0);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
rdd_store_test_admission(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	RddStoreTestHook hook = {.calls = calls, .deny_name = "bad", .deny_code = RDD_ERROR_FORBIDDEN};
	RddWriteOptions opts = {.warnings = warnings};
	g_autoptr(RddObject) obj = NULL;
	g_autofree gchar *got = NULL;

	rdd_store_add_admission(t->store, t->widget, RDD_ADMISSION_MUTATING,
				RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "mutator",
				rdd_store_test_mutate, &hook, NULL);
	rdd_store_add_admission(t->store, t->widget, RDD_ADMISSION_VALIDATING, RDD_OPERATION_ALL,
				"gatekeeper", rdd_store_test_validate, &hook, NULL);

	/* the mutating hook changes the object; warnings are collected */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w1", "red");
		g_autofree gchar *note = NULL;
		obj = rdd_store_create(t->store, node, &opts, &error);
		g_assert_no_error(error);
		note = rdd_store_test_member(obj, "spec.note");
		g_assert_cmpstr(note, ==, "\"mutated\"");
		g_assert_cmpstr(rdd_object_get_label(obj, "mutated"), ==, "yes");
	}
	got = rdd_store_test_join(calls);
	g_assert_cmpstr(got, ==, "mutate CREATE w1 -; validate CREATE w1 -");
	g_clear_pointer(&got, g_free);
	got = rdd_store_test_join(warnings);
	g_assert_cmpstr(got, ==, "mutated w1; validated w1");
	g_clear_pointer(&got, g_free);

	/* other kinds are not affected */
	{
		g_autoptr(RddObject) g = rdd_store_test_create(
			t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'bad'}}");
		g_assert_cmpuint(calls->len, ==, 0);
	}

	/* a status write is an UPDATE of the status subresource; a dry run says so */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(obj, "{'status':{'phase':'P'}}");
		RddWriteOptions dry = {.dry_run = TRUE, .warnings = warnings};
		g_autoptr(RddObject) res = rdd_store_update_status(t->store, node, &dry, &error);
		g_assert_no_error(error);
		got = rdd_store_test_join(calls);
		g_assert_cmpstr(got, ==,
				"mutate UPDATE w1 status dry-run old; validate UPDATE w1 status "
				"dry-run old");
		g_clear_pointer(&got, g_free);
	}

	/* a validating denial is FORBIDDEN with the hook's name */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "bad", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_null(res);
		g_assert_cmpstr(error->message, ==,
				"admission hook \"gatekeeper\" denied the request: bad is not welcome");
		g_clear_error(&error);
		g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "bad"));
	}
	/* other error codes are reported as FORBIDDEN too */
	hook.deny_code = RDD_ERROR_INTERNAL;
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "bad", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_cmpstr(error->message, ==,
				"admission hook \"gatekeeper\" denied the request: bad is not welcome");
		g_clear_error(&error);
	}
	/* INVALID with causes passes through unchanged */
	hook.invalid_causes = TRUE;
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "bad", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &opts, &error);
		GPtrArray *causes;
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_cmpstr(error->message, ==,
				"Widget.test.rdd.io \"bad\" is invalid: [spec.note: Invalid value: no, "
				"spec.tags: Required value]");
		causes = rdd_error_get_causes(error);
		g_assert_nonnull(causes);
		g_assert_cmpuint(causes->len, ==, 2);
		g_assert_cmpstr(((RddCause *)g_ptr_array_index(causes, 0))->field, ==, "spec.note");
		g_assert_cmpstr(((RddCause *)g_ptr_array_index(causes, 1))->type, ==, "FieldValueRequired");
		g_clear_error(&error);
	}
	hook.invalid_causes = FALSE;
	hook.deny_code = RDD_ERROR_FORBIDDEN;
	g_ptr_array_set_size(calls, 0);

	/* a schema-invalid object never reaches the validating hook */
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w2", "pink");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, &opts, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_clear_error(&error);
		got = rdd_store_test_join(calls);
		g_assert_cmpstr(got, ==, "mutate CREATE w2 -");
		g_clear_pointer(&got, g_free);
	}

	/* DELETE hooks see the old object and can refuse */
	{
		g_autoptr(RddObject) bad = NULL;
		g_autoptr(RddObject) res = NULL;
		hook.deny_name = "nothing";
		bad = rdd_store_test_create_widget(t, "ns1", "bad", "red");
		hook.deny_name = "bad";
		g_ptr_array_set_size(calls, 0);
		res = rdd_store_delete(t->store, t->widget, "ns1", "bad", NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_null(res);
		g_assert_cmpstr(error->message, ==,
				"admission hook \"gatekeeper\" denied the request: bad is not welcome");
		g_clear_error(&error);
		g_assert_true(rdd_store_test_has(t->store, t->widget, "ns1", "bad"));
		got = rdd_store_test_join(calls);
		g_assert_cmpstr(got, ==, "validate DELETE bad - old");
		g_clear_pointer(&got, g_free);
	}
	{
		RddDeleteOptions dopts = {.dry_run = TRUE, .warnings = warnings};
		g_ptr_array_set_size(warnings, 0);
		g_autoptr(RddObject) res = rdd_store_delete(t->store, t->widget, "ns1", "w1", &dopts, &error);
		g_assert_no_error(error);
		got = rdd_store_test_join(calls);
		g_assert_cmpstr(got, ==, "validate DELETE w1 - dry-run old");
		g_clear_pointer(&got, g_free);
		got = rdd_store_test_join(warnings);
		g_assert_cmpstr(got, ==, "validated w1");
		g_clear_pointer(&got, g_free);
	}

	/* a hook that fails without saying why is a defect: INTERNAL and a critical */
	hook.return_false_silently = TRUE;
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w3", "red");
		g_autoptr(RddObject) res = NULL;
		g_test_expect_message("RddCore", G_LOG_LEVEL_CRITICAL,
				      "*admission hook gatekeeper returned FALSE without an error*");
		res = rdd_store_create(t->store, node, &opts, &error);
		g_test_assert_expected_messages();
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
		g_assert_null(res);
		g_assert_nonnull(strstr(error->message, "gatekeeper"));
		g_clear_error(&error);
		g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "w3"));
	}
}

static gboolean
rdd_store_test_mutate_bad_color(RddAdmission *admission, gpointer user_data, GError **error)
{
	JsonObject *spec = rdd_json_lookup_object(rdd_admission_get_object(admission), "spec");
	json_object_set_string_member(spec, "color", "pink");
	return TRUE;
}

static gboolean
rdd_store_test_count_hook(RddAdmission *admission, gpointer user_data, GError **error)
{
	guint *n = user_data;
	(*n)++;
	return TRUE;
}

static void
rdd_store_test_admission_scope(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	guint n_all = 0, n_create = 0;
	guint *destroyed = g_new0(guint, 1);

	/* a hook for every kind, and one for CREATE only */
	rdd_store_add_admission(t->store, NULL, RDD_ADMISSION_VALIDATING, RDD_OPERATION_ALL, "all",
				rdd_store_test_count_hook, &n_all, NULL);
	rdd_store_add_admission(t->store, t->gadget, RDD_ADMISSION_MUTATING, RDD_OPERATION_CREATE,
				"create-only", rdd_store_test_count_hook, &n_create, NULL);
	{
		g_autoptr(RddObject) g = rdd_store_test_create(
			t, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g'}}");
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(g, "{'spec':{'value':'v'}}");
		g_autoptr(RddObject) u = rdd_store_update(t->store, node, NULL, &error);
		g_autoptr(RddObject) w = rdd_store_test_create_widget(t, "ns1", "w", "red");
		g_assert_no_error(error);
	}
	g_assert_cmpuint(n_all, ==, 3);
	g_assert_cmpuint(n_create, ==, 1);

	/* what a mutating hook produces is validated against the schema */
	rdd_store_add_admission(t->store, t->widget, RDD_ADMISSION_MUTATING, RDD_OPERATION_CREATE,
				"painter", rdd_store_test_mutate_bad_color, destroyed, g_free);
	{
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "w2", "red");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, "spec.color"));
		g_assert_null(res);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* schema: defaults, pruning, field validation */

static void
rdd_store_test_schema_defaults(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = rdd_store_test_create_widget(t, "ns1", "w1", "red");
	g_autofree gchar *size = rdd_store_test_member(obj, "spec.size");
	g_assert_cmpstr(size, ==, "1");

	/* an explicit value is kept */
	{
		g_autoptr(RddObject) o2 =
			rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
						 "'name':'w2'},'spec':{'color':'red','size':7}}");
		g_autofree gchar *s2 = rdd_store_test_member(o2, "spec.size");
		g_assert_cmpstr(s2, ==, "7");
	}
	/* an update that drops the field gets the default again, without a generation bump */
	{
		g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
		g_autoptr(RddObject) res = NULL;
		json_object_remove_member(rdd_json_lookup_object(node, "spec"), "size");
		res = rdd_store_update(t->store, node, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(res == obj);
	}
}

static gint
rdd_store_test_strptr_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
rdd_store_test_schema_pruning(RddStoreTest *t, gconstpointer user_data)
{
#define RDD_STORE_TEST_PRUNE_BODY                                                                    \
	"{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1','name':'%s',"  \
	"'bogus':1},'spec':{'color':'red','unknown':true,'nested':{'zz':1},'extra':{'free':{'form':" \
	"[1]}}},'toplevel':'x'}"
	struct {
		RddFieldValidation mode;
		const gchar *name;
		const gchar *warnings; /* NULL: fails */
	} cases[] = {
		{RDD_FIELD_VALIDATION_WARN, "warn",
		 "unknown field \"metadata.bogus\"; unknown field \"spec.nested.zz\"; unknown field "
		 "\"spec.unknown\"; unknown field \"toplevel\""},
		{RDD_FIELD_VALIDATION_IGNORE, "ignore", ""},
		{RDD_FIELD_VALIDATION_STRICT, "strict", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
		RddWriteOptions opts = {.field_validation = cases[i].mode, .warnings = warnings};
		g_autoptr(JsonNode) node = rdd_store_test_json(RDD_STORE_TEST_PRUNE_BODY, cases[i].name);
		g_autoptr(RddObject) obj = rdd_store_create(t->store, node, &opts, &error);
		g_autofree gchar *spec = NULL;
		g_autofree gchar *got = NULL;

		if (cases[i].warnings == NULL) {
			g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
			g_assert_null(obj);
			g_assert_nonnull(strstr(error->message, "strict decoding error"));
			g_assert_nonnull(strstr(error->message, "unknown field \"spec.unknown\""));
			g_assert_nonnull(strstr(error->message, "unknown field \"metadata.bogus\""));
			g_assert_nonnull(strstr(error->message, "unknown field \"toplevel\""));
			g_assert_null(rdd_store_lookup(t->store, t->widget, "ns1", "strict"));
			continue;
		}
		g_assert_no_error(error);
		g_ptr_array_sort(warnings, rdd_store_test_strptr_cmp);
		got = rdd_store_test_join(warnings);
		g_assert_cmpstr(got, ==, cases[i].warnings);
		spec = rdd_store_test_member(obj, "spec");
		g_assert_cmpstr(spec, ==,
				"{\"color\":\"red\",\"extra\":{\"free\":{\"form\":[1]}},\"nested\":{},"
				"\"size\":1}");
		{
			g_autofree gchar *top = rdd_store_test_member(obj, "toplevel");
			g_autofree gchar *bogus = rdd_store_test_member(obj, "metadata.bogus");
			g_assert_null(top);
			g_assert_null(bogus);
		}
	}
	/* strict mode accepts a clean object */
	{
		g_autoptr(GError) error = NULL;
		RddWriteOptions opts = {.field_validation = RDD_FIELD_VALIDATION_STRICT};
		g_autoptr(JsonNode) node = rdd_store_test_widget_node("ns1", "clean", "red");
		g_autoptr(RddObject) obj = rdd_store_create(t->store, node, &opts, &error);
		g_assert_no_error(error);
		g_assert_nonnull(obj);
	}
	/* a status write reports only unknown status fields */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
		RddWriteOptions opts = {.warnings = warnings};
		g_autoptr(RddObject) cur = rdd_store_lookup(t->store, t->widget, "ns1", "clean");
		g_autoptr(JsonNode) node =
			rdd_store_test_dup_with(cur, "{'spec':{'junk':1},'status':{'phase':'A','junk':2}}");
		g_autoptr(RddObject) res = rdd_store_update_status(t->store, node, &opts, &error);
		g_autofree gchar *status = NULL;
		g_assert_no_error(error);
		g_assert_cmpuint(warnings->len, ==, 1);
		g_assert_cmpstr(g_ptr_array_index(warnings, 0), ==, "unknown field \"status.junk\"");
		status = rdd_store_test_member(res, "status");
		g_assert_cmpstr(status, ==, "{\"phase\":\"A\"}");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* metadata validation */

static void
rdd_store_test_metadata_validation(RddStoreTest *t, gconstpointer user_data)
{
	g_autofree gchar *long_name = g_strnfill(254, 'a');
	g_autofree gchar *long_value = g_strnfill(64, 'v');
	struct {
		const gchar *kind; /* "Widget", "Gadget" or "Namespace" */
		const gchar *metadata;
		const gchar *field; /* expected cause field; NULL when valid */
		const gchar *message;
	} cases[] = {
		{"Widget", "{'namespace':'ns1','name':'ok.name-1'}", NULL, NULL},
		{"Widget", "{'namespace':'ns1','name':'Bad_Name'}", "metadata.name", "RFC 1123"},
		{"Widget", "{'namespace':'ns1','name':'-x'}", "metadata.name", "RFC 1123"},
		{"Widget", "{'namespace':'ns1','name':'x.'}", "metadata.name", "RFC 1123"},
		{"Widget", "{'namespace':'ns1','name':''}", "metadata.name", "Required value"},
		{"Widget", "{'namespace':'ns1'}", "metadata.name", "Required value"},
		{"Widget", "{'namespace':'ns1','name':7}", "metadata.name", "must be a string"},
		{"Widget", "{'namespace':'ns1','name':'LONG'}", "metadata.name", "no more than 253"},
		{"Namespace", "{'name':'a.b'}", "metadata.name", "RFC 1123 label"},
		{"Widget", "{'namespace':'Bad','name':'x'}", "metadata.namespace", "RFC 1123 label"},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'-bad':'v'}}", "metadata.labels", "\"-bad\""},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'a/b/c':'v'}}", "metadata.labels", "\"a/b/c\""},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'k':'a b'}}", "metadata.labels", "\"a b\""},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'k':'LONGVALUE'}}", "metadata.labels", "63"},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'k':1}}", "metadata.labels", "must be a string"},
		{"Widget", "{'namespace':'ns1','name':'x','labels':['a']}", "metadata.labels", "map of strings"},
		{"Widget", "{'namespace':'ns1','name':'x','labels':{'example.com/ok':'v_1.2-3'}}", NULL, NULL},
		{"Widget", "{'namespace':'ns1','name':'x','annotations':{'k':{}}}",
		 "metadata.annotations", "must be a string"},
		{"Widget", "{'namespace':'ns1','name':'x','annotations':{'bad key':'v'}}",
		 "metadata.annotations", "\"bad key\""},
		{"Widget", "{'namespace':'ns1','name':'x','annotations':{'k':'any value at all'}}", NULL, NULL},
		{"Widget", "{'namespace':'ns1','name':'x','finalizers':['bad finalizer']}",
		 "metadata.finalizers[0]", "\"bad finalizer\""},
		{"Widget", "{'namespace':'ns1','name':'x','finalizers':[1]}", "metadata.finalizers[0]", "must be a string"},
		{"Widget",
		 "{'namespace':'ns1','name':'x','ownerReferences':[{'apiVersion':'v1',"
		 "'kind':'K','name':'n'}]}",
		 "metadata.ownerReferences[0].uid", "Required value"},
		{"Widget",
		 "{'namespace':'ns1','name':'x','ownerReferences':[{'apiVersion':'v1',"
		 "'kind':'K','name':'n','uid':'u1','controller':true},{'apiVersion':'v1',"
		 "'kind':'K','name':'m','uid':'u2','controller':true}]}",
		 "metadata.ownerReferences", "Only one reference can have Controller set to true"},
		{"Gadget", "{'name':'x','namespace':'ns1'}", "metadata.namespace", "not allowed"},
		{"Widget", "{'namespace':'ns1','generateName':'Bad_'}", "metadata.name", "RFC 1123"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = NULL;
		g_autoptr(RddObject) obj = NULL;
		g_autofree gchar *meta = g_strdup(cases[i].metadata);
		g_autofree gchar *name = NULL;
		const gchar *api = g_strcmp0(cases[i].kind, "Namespace") == 0 ? "v1" : "test.rdd.io/v1";
		GPtrArray *causes;
		gboolean found = FALSE;

		/* stand-ins for values too long to write inline */
		if (strstr(meta, "'LONG'") != NULL) {
			g_autofree gchar *tmp = g_strdup_printf("'%s'", long_name);
			g_auto(GStrv) parts = g_strsplit(meta, "'LONG'", 2);
			g_free(meta);
			meta = g_strconcat(parts[0], tmp, parts[1], NULL);
		}
		if (strstr(meta, "'LONGVALUE'") != NULL) {
			g_autofree gchar *tmp = g_strdup_printf("'%s'", long_value);
			g_auto(GStrv) parts = g_strsplit(meta, "'LONGVALUE'", 2);
			g_free(meta);
			meta = g_strconcat(parts[0], tmp, parts[1], NULL);
		}
		node = rdd_store_test_json(
			"{'apiVersion':'%s','kind':'%s','metadata':%s%s}", api, cases[i].kind, meta,
			g_strcmp0(cases[i].kind, "Widget") == 0 ? ",'spec':{'color':'red'}" : "");
		obj = rdd_store_create(t->store, node, NULL, &error);
		if (cases[i].field == NULL) {
			if (obj == NULL)
				g_test_fail_printf("case %u (%s): unexpected error: %s", i,
						   cases[i].metadata, error->message);
			else
				rdd_object_unref(rdd_store_delete(t->store, rdd_object_get_kind(obj),
								  rdd_object_get_namespace(obj),
								  rdd_object_get_name(obj), NULL, NULL));
			continue;
		}
		if (obj != NULL) {
			g_test_fail_printf("case %u (%s): accepted", i, cases[i].metadata);
			continue;
		}
		if (!g_error_matches(error, RDD_ERROR, RDD_ERROR_INVALID)) {
			g_test_fail_printf("case %u (%s): error %d %s, expected INVALID", i,
					   cases[i].metadata, error->code, error->message);
			continue;
		}
		causes = rdd_error_get_causes(error);
		for (guint j = 0; causes != NULL && j < causes->len; j++) {
			RddCause *cause = g_ptr_array_index(causes, j);
			if (g_strcmp0(cause->field, cases[i].field) == 0 &&
			    strstr(cause->message, cases[i].message) != NULL)
				found = TRUE;
		}
		if (!found)
			g_test_fail_printf("case %u (%s): \"%s\" has no cause %s with \"%s\"", i,
					   cases[i].metadata, error->message, cases[i].field, cases[i].message);
		name = g_strdup_printf("%s", error->message);
		g_assert_true(g_str_has_prefix(
			name, g_strcmp0(cases[i].kind, "Namespace") == 0 ? "Namespace \"" : cases[i].kind));
	}
}

static void
rdd_store_test_generate_name(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *long_prefix = g_strnfill(70, 'p');

	for (guint i = 0; i < 20; i++) {
		g_autoptr(RddObject) obj =
			rdd_store_test_create(t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
						 "'generateName':'job-'},'spec':{'color':'red'}}");
		const gchar *name = rdd_object_get_name(obj);
		g_autoptr(GString) buf = g_string_new(NULL);
		g_assert_true(g_str_has_prefix(name, "job-"));
		g_assert_cmpuint(strlen(name), ==, 9);
		g_assert_false(g_hash_table_contains(names, name));
		g_hash_table_add(names, g_strdup(name));
		/* generateName is kept in metadata */
		g_assert_cmpstr(rdd_store_test_string(obj, "metadata.generateName", buf), ==, "job-");
	}
	/* an explicit name wins */
	{
		g_autoptr(RddObject) obj = rdd_store_test_create(
			t, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
			   "'name':'explicit','generateName':'job-'},'spec':{'color':'red'}}");
		g_assert_cmpstr(rdd_object_get_name(obj), ==, "explicit");
	}
	/* a long prefix is cut so that the name stays valid */
	{
		g_autoptr(RddObject) obj = rdd_store_test_create(t,
								 "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'generateName':"
								 "'%s'}}",
								 long_prefix);
		g_assert_cmpuint(strlen(rdd_object_get_name(obj)), ==, 63);
		g_assert_true(g_str_has_prefix(rdd_object_get_name(obj), "ppppp"));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* built-in kinds */

static void
rdd_store_test_builtin_secret(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autofree gchar *data = NULL;
	g_autofree gchar *string_data = NULL;

	g_assert_true(rdd_kind_get_flags(t->secret) & RDD_KIND_FLAG_SENSITIVE);
	obj = rdd_store_test_create(t, "{'apiVersion':'v1','kind':'Secret','metadata':{'namespace':'ns1',"
				       "'name':'s'},'type':'Opaque','data':{'x':'eHg='},"
				       "'stringData':{'a':'hello','x':'override'}}");
	data = rdd_store_test_member(obj, "data");
	g_assert_cmpstr(data, ==, "{\"a\":\"aGVsbG8=\",\"x\":\"b3ZlcnJpZGU=\"}");
	string_data = rdd_store_test_member(obj, "stringData");
	g_assert_null(string_data);
	g_assert_cmpstr(rdd_object_get_field(obj, "type"), ==, "Opaque");

	/* on update too */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(obj, "{'stringData':{'b':'bee'}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_autofree gchar *d2 = NULL;
		g_assert_no_error(error);
		d2 = rdd_store_test_member(res, "data.b");
		g_assert_cmpstr(d2, ==, "\"YmVl\"");
	}
	/* a non-string value */
	{
		g_autoptr(JsonNode) node = rdd_store_test_json("{'apiVersion':'v1','kind':'Secret','metadata':{'namespace':'ns1','name':'s2'},"
							       "'stringData':{'n':5}}");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, "stringData[n]"));
		g_assert_null(res);
		g_clear_error(&error);
	}
	/* a bad key in stringData ends up as a bad key in data */
	{
		g_autoptr(JsonNode) node = rdd_store_test_json("{'apiVersion':'v1','kind':'Secret','metadata':{'namespace':'ns1','name':'s3'},"
							       "'stringData':{'a/b':'x'}}");
		g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_nonnull(strstr(error->message, "data[a/b]"));
		g_clear_error(&error);
	}
}

static void
rdd_store_test_builtin_configmap(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) frozen = NULL;

	/* bad keys */
	{
		const gchar *bad[] = {"a b", "a/b", "..", ".", "k$"};
		for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
			g_autoptr(JsonNode) node = rdd_store_test_json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'namespace':'ns1',"
								       "'name':'c%u'},'data':{'%s':'v'}}",
								       i, bad[i]);
			g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
			g_autofree gchar *field = g_strdup_printf("data[%s]", bad[i]);
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			g_assert_null(res);
			g_assert_nonnull(strstr(error->message, field));
			g_assert_nonnull(strstr(error->message, "a valid config key"));
			g_clear_error(&error);
		}
		{
			g_autoptr(JsonNode) node =
				rdd_store_test_json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'namespace':'ns1',"
						    "'name':'cb'},'binaryData':{'b@d':'AA=='}}");
			g_autoptr(RddObject) res = rdd_store_create(t->store, node, NULL, &error);
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			g_assert_nonnull(strstr(error->message, "binaryData[b@d]"));
			g_clear_error(&error);
		}
	}

	obj = rdd_store_test_create(t, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'namespace':'ns1',"
				       "'name':'c'},'data':{'key.name':'1','KEY_NAME':'2','key-name':'3'}}");
	/* mutable: data changes are fine */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(obj, "{'data':{'key.name':'9'}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_assert_no_error(error);
	}
	frozen = rdd_store_test_create(t, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'namespace':"
					  "'ns1','name':'frozen'},'data':{'a':'1'},'immutable':true}");
	{
		const gchar *patches[] = {"{'data':{'a':'2'}}", "{'data':{'b':'2'}}", "{'immutable':false}",
					  "{'immutable':null}", "{'binaryData':{'x':'AA=='}}"};
		for (guint i = 0; i < G_N_ELEMENTS(patches); i++) {
			g_autoptr(JsonNode) patch = rdd_store_test_json("%s", patches[i]);
			g_autoptr(RddObject) res = rdd_store_patch(t->store, t->cm, "ns1", "frozen", RDD_PATCH_MERGE,
								   patch, FALSE, NULL, &error);
			if (res != NULL) {
				g_test_fail_printf("patch %s of an immutable ConfigMap was accepted",
						   patches[i]);
				continue;
			}
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			g_assert_nonnull(strstr(error->message, "field is immutable"));
			g_clear_error(&error);
		}
	}
	/* metadata may still change, and it can be deleted */
	{
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'metadata':{'labels':{'l':'v'}}}");
		g_autoptr(RddObject) res = rdd_store_patch(t->store, t->cm, "ns1", "frozen",
							   RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_autoptr(RddObject) d = NULL;
		g_assert_no_error(error);
		g_assert_cmpstr(rdd_object_get_label(res, "l"), ==, "v");
		d = rdd_store_delete(t->store, t->cm, "ns1", "frozen", NULL, &error);
		g_assert_no_error(error);
	}
	/* an immutable Secret too */
	{
		g_autoptr(RddObject) s = rdd_store_test_create(t, "{'apiVersion':'v1','kind':'Secret','metadata':{'namespace':'ns1','name':'s'},"
								  "'data':{'a':'eA=='},'immutable':true}");
		g_autoptr(JsonNode) patch = rdd_store_test_json("{'stringData':{'a':'y'}}");
		g_autoptr(RddObject) res = rdd_store_patch(t->store, t->secret, "ns1", "s",
							   RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_assert_null(res);
		g_clear_error(&error);
	}
}

static void
rdd_store_test_builtin_namespace(RddStoreTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) ns = rdd_store_lookup(t->store, t->ns, NULL, "ns1");
	g_autofree gchar *fins = rdd_store_test_member(ns, "spec.finalizers");

	g_assert_cmpstr(fins, ==, "[\"kubernetes\"]");
	/* the store owns spec.finalizers: an update cannot remove them */
	{
		g_autoptr(JsonNode) node = rdd_store_test_dup_with(
			ns, "{'spec':{'finalizers':[]},'metadata':{'labels':{'x':'y'}}}");
		g_autoptr(RddObject) res = rdd_store_update(t->store, node, NULL, &error);
		g_autofree gchar *f2 = NULL;
		g_assert_no_error(error);
		f2 = rdd_store_test_member(res, "spec.finalizers");
		g_assert_cmpstr(f2, ==, "[\"kubernetes\"]");
		g_assert_cmpstr(rdd_object_get_label(res, "x"), ==, "y");
	}
	/* registering a kind twice fails */
	{
		g_assert_false(rdd_store_register_kind(t->store, t->widget, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
		g_clear_error(&error);
	}
	/* kinds are found by name, plural, short name */
	g_assert_true(rdd_store_lookup_kind(t->store, NULL, "wd") == t->widget);
	g_assert_true(rdd_store_lookup_kind(t->store, "test.rdd.io", "widgets") == t->widget);
	g_assert_true(rdd_store_lookup_kind(t->store, "", "ns") == t->ns);
	g_assert_null(rdd_store_lookup_kind(t->store, "other.io", "widgets"));
}

/* ---------------------------------------------------------------------------------------- */
/* indexes */

/* @n widgets over ns1 and ns2; the 5 with index in @picks carry pick=yes and color blue */
static void
rdd_store_test_fill(RddStoreTest *t, guint n, const guint *picks, guint n_picks)
{
	for (guint i = 0; i < n; i++) {
		g_autoptr(RddObject) obj = NULL;
		gboolean pick = FALSE;
		for (guint j = 0; j < n_picks; j++)
			pick |= picks[j] == i;
		obj = rdd_store_test_create(t,
					    "{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
					    "'metadata':{'namespace':'%s','name':'w%06u','labels':{"
					    "'group':'g%u'%s}},'spec':{'color':'%s'}}",
					    i % 2 == 0 ? "ns1" : "ns2", i, i % 100,
					    pick ? ",'pick':'yes'" : "", pick ? "blue" : "red");
	}
}

static void
rdd_store_test_index_exact(RddStoreTest *t, gconstpointer user_data)
{
	const guint picks[] = {19999, 7, 12345, 500, 8888};
	const gchar *expected = "ns1/w000500,ns1/w008888,ns2/w000007,ns2/w012345,ns2/w019999";
	g_autofree gchar *by_label = NULL;
	g_autofree gchar *by_field = NULL;
	g_autofree gchar *by_both = NULL;
	g_autofree gchar *by_ns = NULL;

	rdd_store_test_fill(t, 20000, picks, G_N_ELEMENTS(picks));
	g_assert_cmpuint(rdd_store_count(t->store, t->widget), ==, 20000);
	by_label = rdd_store_test_select(t, t->widget, NULL, "pick=yes", NULL);
	g_assert_cmpstr(by_label, ==, expected);
	by_field = rdd_store_test_select(t, t->widget, NULL, NULL, "spec.color=blue");
	g_assert_cmpstr(by_field, ==, expected);
	by_both = rdd_store_test_select(t, t->widget, NULL, "group,pick in (yes,maybe)", "spec.color==blue");
	g_assert_cmpstr(by_both, ==, expected);
	by_ns = rdd_store_test_select(t, t->widget, "ns2", "pick", NULL);
	g_assert_cmpstr(by_ns, ==, "ns2/w000007,ns2/w012345,ns2/w019999");
	{
		g_autofree gchar *none = rdd_store_test_select(t, t->widget, NULL, "pick=yes", "spec.color=red");
		g_assert_cmpstr(none, ==, "");
	}
	/* a page of a big posting */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels("group=g7", &error);
		RddListOptions opts = {.label_selector = sel, .limit = 3};
		g_autoptr(RddListResult) res = rdd_store_list(t->store, t->widget, &opts, &error);
		g_autofree gchar *names = NULL;
		g_assert_no_error(error);
		names = rdd_store_test_names(res);
		g_assert_cmpstr(names, ==, "ns2/w000007,ns2/w000107,ns2/w000207");
		g_assert_cmpuint(res->remaining, ==, 197);
	}
}

static gdouble
rdd_store_test_time_list(RddStoreTest *t, const gchar *labels, const gchar *fields)
{
	gdouble best = G_MAXDOUBLE;
	/* the best of 10 runs of 50 lists each */
	for (guint run = 0; run < 10; run++) {
		gdouble elapsed;
		g_test_timer_start();
		for (guint i = 0; i < 50; i++) {
			g_autofree gchar *names = rdd_store_test_select(t, t->widget, NULL, labels, fields);
			g_assert_cmpuint(strlen(names), ==, 5 * 11 + 4);
		}
		elapsed = g_test_timer_elapsed() / 50;
		best = MIN(best, elapsed);
	}
	return best;
}

static void
rdd_store_test_index_timing(void)
{
	const guint picks_small[] = {1, 100, 200, 300, 999};
	const guint picks_large[] = {1, 10000, 50000, 70000, 99999};
	RddStoreTest small = {0}, large = {0};
	gdouble label_small, label_large, field_small, field_large;

	rdd_store_test_setup(&small, NULL);
	rdd_store_test_setup(&large, NULL);
	rdd_store_test_fill(&small, 1000, picks_small, 5);
	rdd_store_test_fill(&large, 100000, picks_large, 5);
	label_small = rdd_store_test_time_list(&small, "pick=yes", NULL);
	label_large = rdd_store_test_time_list(&large, "pick=yes", NULL);
	field_small = rdd_store_test_time_list(&small, NULL, "spec.color=blue");
	field_large = rdd_store_test_time_list(&large, NULL, "spec.color=blue");
	g_test_message("list 5 by label: %.1f us of 1k, %.1f us of 100k (x%.1f); "
		       "by field: %.1f us of 1k, %.1f us of 100k (x%.1f)",
		       label_small * 1e6, label_large * 1e6, label_large / label_small,
		       field_small * 1e6, field_large * 1e6, field_large / field_small);
	/* a scan would cost about 100 times more; the index costs about the same: allow a lot */
	if (label_large > 50 * label_small && label_large > 0.001)
		g_test_fail_printf("listing by label looks like a scan: x%.1f", label_large / label_small);
	if (field_large > 50 * field_small && field_large > 0.001)
		g_test_fail_printf("listing by field looks like a scan: x%.1f", field_large / field_small);
	rdd_store_test_teardown(&small, NULL);
	rdd_store_test_teardown(&large, NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, func) \
	g_test_add(path, RddStoreTest, NULL, rdd_store_test_setup, func, rdd_store_test_teardown)
	ADD("/rdd/store/create", rdd_store_test_create_basic);
	ADD("/rdd/store/get-missing", rdd_store_test_get_missing);
	ADD("/rdd/store/list", rdd_store_test_list_basic);
	ADD("/rdd/store/update", rdd_store_test_update_basic);
	ADD("/rdd/store/update-status/subresource", rdd_store_test_update_status_subresource);
	ADD("/rdd/store/update-status/plain", rdd_store_test_update_status_plain);
	ADD("/rdd/store/update-noop", rdd_store_test_update_noop);
	ADD("/rdd/store/resource-version/global", rdd_store_test_global_resource_version);
	ADD("/rdd/store/generation", rdd_store_test_generation);
	ADD("/rdd/store/patch/merge", rdd_store_test_patch_merge);
	ADD("/rdd/store/patch/json", rdd_store_test_patch_json);
	ADD("/rdd/store/delete", rdd_store_test_delete_basic);
	ADD("/rdd/store/precondition/resource-version", rdd_store_test_precondition_rv);
	ADD("/rdd/store/precondition/uid", rdd_store_test_precondition_uid);
	ADD("/rdd/store/finalizers/remove", rdd_store_test_finalizers);
	ADD("/rdd/store/finalizers/update", rdd_store_test_finalizers_update);
	ADD("/rdd/store/gc/background", rdd_store_test_gc_background);
	ADD("/rdd/store/gc/background-main-loop", rdd_store_test_gc_background_main_loop);
	ADD("/rdd/store/gc/foreground", rdd_store_test_gc_foreground);
	ADD("/rdd/store/gc/foreground-main-loop", rdd_store_test_gc_foreground_main_loop);
	ADD("/rdd/store/gc/foreground-after-mark", rdd_store_test_gc_foreground_after_mark);
	ADD("/rdd/store/gc/orphan", rdd_store_test_gc_orphan);
	ADD("/rdd/store/gc/missing-owner", rdd_store_test_gc_missing_owner);
	ADD("/rdd/store/gc/unknown-owner-kind", rdd_store_test_gc_unknown_owner_kind);
	ADD("/rdd/store/gc/two-owners", rdd_store_test_gc_two_owners);
	ADD("/rdd/store/namespace/missing", rdd_store_test_namespace_missing);
	ADD("/rdd/store/namespace/delete", rdd_store_test_namespace_delete);
	ADD("/rdd/store/namespace/delete-main-loop", rdd_store_test_namespace_delete_main_loop);
	ADD("/rdd/store/namespace/protected", rdd_store_test_namespace_protected);
	ADD("/rdd/store/scope", rdd_store_test_scope);
	ADD("/rdd/store/select/labels", rdd_store_test_label_selectors);
	ADD("/rdd/store/select/labels-follow-updates", rdd_store_test_label_index_follows_updates);
	ADD("/rdd/store/select/fields", rdd_store_test_field_selectors);
	ADD("/rdd/store/paging", rdd_store_test_paging);
	ADD("/rdd/store/dry-run", rdd_store_test_dry_run);
	ADD("/rdd/store/signals", rdd_store_test_signals);
	ADD("/rdd/store/history", rdd_store_test_history);
	ADD("/rdd/store/history-gone", rdd_store_test_history_gone);
	ADD("/rdd/store/admission/hooks", rdd_store_test_admission);
	ADD("/rdd/store/admission/scope", rdd_store_test_admission_scope);
	ADD("/rdd/store/schema/defaults", rdd_store_test_schema_defaults);
	ADD("/rdd/store/schema/pruning", rdd_store_test_schema_pruning);
	ADD("/rdd/store/metadata/validation", rdd_store_test_metadata_validation);
	ADD("/rdd/store/metadata/generate-name", rdd_store_test_generate_name);
	ADD("/rdd/store/builtin/secret", rdd_store_test_builtin_secret);
	ADD("/rdd/store/builtin/configmap", rdd_store_test_builtin_configmap);
	ADD("/rdd/store/builtin/namespace", rdd_store_test_builtin_namespace);
	ADD("/rdd/store/index/exact", rdd_store_test_index_exact);
#undef ADD
	g_test_add_func("/rdd/store/index/timing", rdd_store_test_index_timing);
	return g_test_run();
}
