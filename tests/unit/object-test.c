/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-kind.h"
#include "rdd-object-private.h"
#include "rdd-time.h"

static GPtrArray *rdd_object_test_kinds = NULL;

static RddKind *
rdd_object_test_kind(const gchar *name)
{
	for (guint i = 0; i < rdd_object_test_kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(rdd_object_test_kinds, i);
		if (g_strcmp0(rdd_kind_get_name(kind), name) == 0)
			return kind;
	}
	g_assert_not_reached();
	return NULL;
}

static void
rdd_object_test_load_kinds(void)
{
	const gchar *srcdir = g_getenv("RDD_TEST_SRCDIR");
	g_autofree gchar *path =
		srcdir != NULL ?
			g_build_filename(srcdir, "data", "store-kinds.yaml", NULL) :
			g_build_filename(RDD_SOURCE_ROOT, "tests", "data", "store-kinds.yaml", NULL);
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &data, NULL, &error));
	rdd_object_test_kinds = rdd_kind_new_from_yaml(data, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rdd_object_test_kinds);
}

/* JSON written with single quotes */
static gchar *
rdd_object_test_text(const gchar *text)
{
	gchar *out = g_strdup(text);
	g_strdelimit(out, "'", '"');
	return out;
}

static RddObject *
rdd_object_test_new(const gchar *kind, const gchar *text)
{
	g_autofree gchar *json = rdd_object_test_text(text);
	g_autoptr(GError) error = NULL;
	RddObject *obj = rdd_object_new_from_json(rdd_object_test_kind(kind), json, strlen(json), &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static gchar *
rdd_object_test_member(RddObject *obj, const gchar *member)
{
	g_autoptr(JsonNode) node = rdd_object_dup_member(obj, member);
	return node != NULL ? rdd_json_to_string(node, FALSE) : NULL;
}

#define RDD_OBJECT_TEST_WIDGET                                                                     \
	"{'spec':{'size':3,'color':'red','nested':{'b':{'c':1},'a':'x'}},'kind':'Widget',"         \
	"'status':{'phase':'Ready'},'apiVersion':'test.rdd.io/v1','metadata':{"                    \
	"'resourceVersion':'42','name':'w1','namespace':'ns1','generation':7,"                     \
	"'uid':'0b8f5c0e-0000-4000-8000-000000000001','creationTimestamp':'2024-01-02T03:04:05Z'," \
	"'labels':{'zeta':'z','alpha':'a','mid':'m'},'annotations':{'note':'hello'},"              \
	"'finalizers':['test.rdd.io/one','test.rdd.io/two'],'ownerReferences':[{"                  \
	"'apiVersion':'v1','kind':'ConfigMap','name':'cm','uid':'u-1'},{'apiVersion':"             \
	"'test.rdd.io/v1','kind':'Gadget','name':'g','uid':'u-2','controller':true,"               \
	"'blockOwnerDeletion':true}]}}"

static void
rdd_object_test_accessors(void)
{
	g_autoptr(RddObject) obj = rdd_object_test_new("Widget", RDD_OBJECT_TEST_WIDGET);
	const gchar *const *labels = rdd_object_get_labels(obj);
	const RddOwnerReference *ref;
	g_autofree gchar *key = NULL;
	g_autofree gchar *note = NULL;
	gint64 created = 0;

	g_assert_true(rdd_object_get_kind(obj) == rdd_object_test_kind("Widget"));
	g_assert_cmpstr(rdd_object_get_name(obj), ==, "w1");
	g_assert_cmpstr(rdd_object_get_namespace(obj), ==, "ns1");
	g_assert_cmpstr(rdd_object_get_uid(obj), ==, "0b8f5c0e-0000-4000-8000-000000000001");
	g_assert_cmpuint(rdd_object_get_resource_version(obj), ==, 42);
	g_assert_cmpint(rdd_object_get_generation(obj), ==, 7);
	g_assert_true(rdd_time_parse("2024-01-02T03:04:05Z", &created, NULL));
	g_assert_cmpint(rdd_object_get_creation_timestamp(obj), ==, created);
	g_assert_cmpint(rdd_object_get_deletion_timestamp(obj), ==, 0);
	g_assert_false(rdd_object_is_deleting(obj));

	/* labels: flat pairs sorted by key */
	g_assert_cmpuint(g_strv_length((gchar **)labels), ==, 6);
	g_assert_cmpstr(labels[0], ==, "alpha");
	g_assert_cmpstr(labels[1], ==, "a");
	g_assert_cmpstr(labels[2], ==, "mid");
	g_assert_cmpstr(labels[4], ==, "zeta");
	g_assert_cmpstr(labels[5], ==, "z");
	g_assert_cmpstr(rdd_object_get_label(obj, "alpha"), ==, "a");
	g_assert_cmpstr(rdd_object_get_label(obj, "mid"), ==, "m");
	g_assert_cmpstr(rdd_object_get_label(obj, "zeta"), ==, "z");
	g_assert_null(rdd_object_get_label(obj, "aaa"));
	g_assert_null(rdd_object_get_label(obj, "n"));
	g_assert_null(rdd_object_get_label(obj, "zz"));

	g_assert_cmpuint(g_strv_length((gchar **)rdd_object_get_finalizers(obj)), ==, 2);
	g_assert_true(rdd_object_has_finalizer(obj, "test.rdd.io/two"));
	g_assert_false(rdd_object_has_finalizer(obj, "test.rdd.io/three"));

	g_assert_cmpuint(rdd_object_get_n_owner_references(obj), ==, 2);
	ref = rdd_object_get_owner_reference(obj, 0);
	g_assert_cmpstr(ref->kind, ==, "ConfigMap");
	g_assert_cmpstr(ref->uid, ==, "u-1");
	g_assert_false(ref->controller);
	g_assert_false(ref->block_owner_deletion);
	ref = rdd_object_get_controller_reference(obj);
	g_assert_nonnull(ref);
	g_assert_cmpstr(ref->name, ==, "g");
	g_assert_cmpstr(ref->api_version, ==, "test.rdd.io/v1");
	g_assert_true(ref->block_owner_deletion);
	g_assert_true(rdd_object_is_owned_by(obj, "u-2"));
	g_assert_false(rdd_object_is_owned_by(obj, "u-3"));

	note = rdd_object_dup_annotation(obj, "note");
	g_assert_cmpstr(note, ==, "hello");
	g_assert_null(rdd_object_dup_annotation(obj, "other"));

	g_assert_cmpstr(rdd_object_get_field(obj, "metadata.name"), ==, "w1");
	g_assert_cmpstr(rdd_object_get_field(obj, "metadata.namespace"), ==, "ns1");
	g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "red");
	g_assert_cmpstr(rdd_object_get_field(obj, "status.phase"), ==, "Ready");
	g_assert_null(rdd_object_get_field(obj, "spec.size"));

	key = rdd_object_get_key(obj);
	g_assert_cmpstr(key, ==, "ns1/w1");
	g_assert_cmpuint(rdd_object_get_memory_size(obj), >, strlen(rdd_object_get_json(obj, NULL)));
}

static void
rdd_object_test_canonical(void)
{
	g_autoptr(RddObject) obj = rdd_object_test_new("Widget", RDD_OBJECT_TEST_WIDGET);
	g_autoptr(RddObject) again = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) expected = NULL;
	g_autofree gchar *expected_text = rdd_object_test_text(RDD_OBJECT_TEST_WIDGET);
	g_autofree gchar *spec = NULL;
	gsize len = 0;
	const gchar *json = rdd_object_get_json(obj, &len);

	/* compact, keys sorted at every level */
	g_assert_cmpuint(len, ==, strlen(json));
	g_assert_true(g_str_has_prefix(json, "{\"apiVersion\":\"test.rdd.io/v1\",\"kind\":\"Widget\","
					     "\"metadata\":{\"annotations\":"));
	g_assert_nonnull(strstr(json, "\"spec\":{\"color\":\"red\",\"nested\":{\"a\":\"x\",\"b\":"
				      "{\"c\":1}},\"size\":3},\"status\":{\"phase\":\"Ready\"}}"));
	g_assert_null(strchr(json, ' '));
	g_assert_null(strchr(json, '\n'));

	/* the same content parses back equal, and re-canonicalises to the same bytes */
	node = rdd_object_dup_node(obj);
	expected = rdd_json_parse(expected_text, -1, NULL);
	g_assert_true(rdd_json_equal(node, expected));
	again = rdd_object_new_from_json(rdd_object_get_kind(obj), json, len, NULL);
	g_assert_nonnull(again);
	g_assert_cmpstr(rdd_object_get_json(again, NULL), ==, json);

	/* members */
	spec = rdd_object_test_member(obj, "spec");
	g_assert_cmpstr(spec, ==, "{\"color\":\"red\",\"nested\":{\"a\":\"x\",\"b\":{\"c\":1}},\"size\":3}");
	g_assert_null(rdd_object_dup_member(obj, "nope"));
	g_assert_null(rdd_object_find_span(obj, "spe"));
	g_assert_nonnull(rdd_object_find_span(obj, "status"));
	{
		g_autoptr(JsonObject) meta = rdd_object_dup_metadata(obj);
		g_assert_cmpstr(json_object_get_string_member(meta, "name"), ==, "w1");
	}

	/* the boxed type copies by reference */
	{
		RddObject *copy = g_boxed_copy(RDD_TYPE_OBJECT, obj);
		g_assert_true(copy == obj);
		g_boxed_free(RDD_TYPE_OBJECT, copy);
	}
}

static void
rdd_object_test_unicode(void)
{
	g_autoptr(RddObject) obj = rdd_object_test_new(
		"Gadget", "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g',"
			  "'resourceVersion':'1','generation':1,'annotations':{'a':'caf\\u00e9 \\ud83d\\ude00 "
			  "\\\"q\\\" \\\\ \\n'}},'spec':{'value':'\\u65e5\\u672c'},'we\\\"ird':1}");
	g_autofree gchar *value = rdd_object_test_member(obj, "spec");
	g_autofree gchar *ann = rdd_object_dup_annotation(obj, "a");
	g_autofree gchar *key = rdd_object_get_key(obj);

	g_assert_cmpstr(value, ==, "{\"value\":\"日本\"}");
	g_assert_cmpstr(ann, ==, "café 😀 \"q\" \\ \n");
	g_assert_cmpstr(key, ==, "g");
	g_assert_cmpstr(rdd_object_get_namespace(obj), ==, "");
	g_assert_true(g_utf8_validate(rdd_object_get_json(obj, NULL), -1, NULL));
	/* an escaped top-level key survives a status write from this base */
	{
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = rdd_object_test_text("{'status':{'state':'s'}}");
		g_autoptr(JsonNode) content = rdd_json_parse(text, -1, NULL);
		g_autoptr(RddObject) next =
			rdd_object_build(rdd_object_get_kind(obj), NULL, json_node_get_object(content),
					 obj, RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT, &error);
		g_autoptr(JsonNode) node = NULL;
		g_assert_no_error(error);
		node = rdd_object_dup_node(next);
		g_assert_nonnull(json_object_get_member(json_node_get_object(node), "we\"ird"));
		g_assert_cmpstr(rdd_json_lookup_string(node, "status.state"), ==, "s");
		g_assert_cmpstr(rdd_json_lookup_string(node, "spec.value"), ==, "日本");
	}
}

static void
rdd_object_test_set_versions(void)
{
	struct {
		guint64 rv;
		gint64 generation;
	} steps[] = {{9, 1}, {10, 2}, {99999, 10}, {100000, 9}, {1, 1}, {G_MAXUINT64, G_MAXINT64},
		     {7, 12}};
	g_autoptr(RddObject) obj = rdd_object_test_new("Widget", RDD_OBJECT_TEST_WIDGET);
	g_autofree gchar *spec_before = rdd_object_test_member(obj, "spec");
	g_autofree gchar *status_before = rdd_object_test_member(obj, "status");

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddObject) copy = rdd_object_copy(obj);
		g_autoptr(JsonNode) node = NULL;
		g_autoptr(RddObject) reparsed = NULL;
		g_autofree gchar *rv_text = g_strdup_printf("%" G_GUINT64_FORMAT, steps[i].rv);
		g_autofree gchar *spec = NULL;
		g_autofree gchar *status = NULL;
		g_autofree gchar *meta = NULL;
		JsonNode *gen;

		g_assert_true(rdd_object_set_versions(copy, steps[i].rv, steps[i].generation, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(rdd_object_get_resource_version(copy), ==, steps[i].rv);
		g_assert_cmpint(rdd_object_get_generation(copy), ==, steps[i].generation);
		/* the JSON says the same */
		node = rdd_object_dup_node(copy);
		g_assert_cmpstr(rdd_json_lookup_string(node, "metadata.resourceVersion"), ==, rv_text);
		gen = rdd_json_lookup(node, "metadata.generation");
		g_assert_cmpint(json_node_get_int(gen), ==, steps[i].generation);
		/* the spans still point at the right members */
		spec = rdd_object_test_member(copy, "spec");
		status = rdd_object_test_member(copy, "status");
		g_assert_cmpstr(spec, ==, spec_before);
		g_assert_cmpstr(status, ==, status_before);
		meta = rdd_object_test_member(copy, "metadata");
		g_assert_nonnull(meta);
		{
			g_autofree gchar *gen_text = g_strdup_printf("%" G_GINT64_FORMAT, steps[i].generation);
			g_assert_cmpuint(strlen(rdd_object_get_json(copy, NULL)), ==,
					 strlen(rdd_object_get_json(obj, NULL)) - strlen("42") -
						 strlen("7") + strlen(rv_text) + strlen(gen_text));
		}
		/* the result re-reads to the same bytes */
		reparsed = rdd_object_new_from_json(rdd_object_get_kind(copy), rdd_object_get_json(copy, NULL),
						    strlen(rdd_object_get_json(copy, NULL)), &error);
		g_assert_no_error(error);
		g_assert_cmpstr(rdd_object_get_json(reparsed, NULL), ==, rdd_object_get_json(copy, NULL));
		/* and can be stamped again */
		g_assert_true(rdd_object_set_versions(copy, 5, 5, &error));
		g_assert_cmpuint(rdd_object_get_resource_version(copy), ==, 5);
		g_clear_pointer(&spec, g_free);
		spec = rdd_object_test_member(copy, "spec");
		g_assert_cmpstr(spec, ==, spec_before);
	}
	/* the original is untouched by its copies */
	g_assert_cmpuint(rdd_object_get_resource_version(obj), ==, 42);
	g_assert_cmpint(rdd_object_get_generation(obj), ==, 7);
	g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "red");
}

static void
rdd_object_test_spec_equal(void)
{
	g_autoptr(RddObject) a =
		rdd_object_test_new("Widget", "{'metadata':{'name':'a','resourceVersion':'1','generation':1,'labels':{'x':'1'}},"
					      "'spec':{'color':'red','size':1},'status':{'phase':'A'}}");
	g_autoptr(RddObject) b =
		rdd_object_test_new("Widget", "{'metadata':{'name':'b','resourceVersion':'2','generation':5},"
					      "'spec':{'size':1,'color':'red'},'status':{'phase':'B'}}");
	g_autoptr(RddObject) c =
		rdd_object_test_new("Widget", "{'metadata':{'name':'c','resourceVersion':'3','generation':1},"
					      "'spec':{'size':2,'color':'red'},'status':{'phase':'A'}}");
	g_autoptr(RddObject) d = rdd_object_test_new(
		"Widget", "{'metadata':{'name':'d','resourceVersion':'3','generation':1},"
			  "'spec':{'size':1,'color':'red'},'status':{'phase':'A'},'extra':1}");
	g_autoptr(RddObject) e = rdd_object_test_new("Widget", "{'metadata':{'name':'e','resourceVersion':'3','generation':1},"
							       "'spec':{'size':1,'color':'red'}}");

	/* metadata never counts; status counts only when asked */
	g_assert_true(rdd_object_spec_equal(a, b, FALSE));
	g_assert_false(rdd_object_spec_equal(a, b, TRUE));
	g_assert_false(rdd_object_spec_equal(a, c, FALSE));
	g_assert_false(rdd_object_spec_equal(a, d, FALSE));
	g_assert_false(rdd_object_spec_equal(d, a, FALSE));
	g_assert_true(rdd_object_spec_equal(a, e, FALSE));
	g_assert_false(rdd_object_spec_equal(a, e, TRUE));
	g_assert_true(rdd_object_spec_equal(a, a, TRUE));
}

static void
rdd_object_test_build_modes(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) base = rdd_object_test_new("Widget", RDD_OBJECT_TEST_WIDGET);
	g_autofree gchar *text =
		rdd_object_test_text("{'spec':{'color':'blue'},'status':{'phase':'Failed'},'other':[1,2]}");
	g_autoptr(JsonNode) content = rdd_json_parse(text, -1, NULL);
	g_autoptr(JsonObject) meta = rdd_object_dup_metadata(base);

	/* content: everything from the new content */
	{
		g_autoptr(RddObject) obj = rdd_object_build(base->kind, meta, json_node_get_object(content),
							    base, RDD_OBJECT_BUILD_CONTENT, &error);
		g_autofree gchar *spec = rdd_object_test_member(obj, "spec");
		g_autofree gchar *status = rdd_object_test_member(obj, "status");
		g_assert_no_error(error);
		g_assert_cmpstr(spec, ==, "{\"color\":\"blue\"}");
		g_assert_cmpstr(status, ==, "{\"phase\":\"Failed\"}");
		g_assert_cmpstr(rdd_object_get_field(obj, "status.phase"), ==, "Failed");
		g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "blue");
	}
	/* a spec write: status from the base */
	{
		g_autoptr(RddObject) obj =
			rdd_object_build(base->kind, meta, json_node_get_object(content), base,
					 RDD_OBJECT_BUILD_STATUS_FROM_BASE, &error);
		g_autofree gchar *spec = rdd_object_test_member(obj, "spec");
		g_autofree gchar *status = rdd_object_test_member(obj, "status");
		g_autofree gchar *other = rdd_object_test_member(obj, "other");
		g_assert_no_error(error);
		g_assert_cmpstr(spec, ==, "{\"color\":\"blue\"}");
		g_assert_cmpstr(status, ==, "{\"phase\":\"Ready\"}");
		g_assert_cmpstr(other, ==, "[1,2]");
		g_assert_cmpstr(rdd_object_get_field(obj, "status.phase"), ==, "Ready");
		g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "blue");
	}
	/* a status write: only status from the content, metadata from the base */
	{
		g_autoptr(RddObject) obj =
			rdd_object_build(base->kind, NULL, json_node_get_object(content), base,
					 RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT, &error);
		g_autofree gchar *spec = rdd_object_test_member(obj, "spec");
		g_autofree gchar *status = rdd_object_test_member(obj, "status");
		g_autofree gchar *other = rdd_object_test_member(obj, "other");
		g_autofree gchar *meta_text = rdd_object_test_member(obj, "metadata");
		g_autofree gchar *base_meta = rdd_object_test_member(base, "metadata");
		g_assert_no_error(error);
		g_assert_cmpstr(spec, ==, "{\"color\":\"red\",\"nested\":{\"a\":\"x\",\"b\":{\"c\":1}},\"size\":3}");
		g_assert_cmpstr(status, ==, "{\"phase\":\"Failed\"}");
		g_assert_null(other);
		g_assert_cmpstr(meta_text, ==, base_meta);
		g_assert_cmpstr(rdd_object_get_label(obj, "mid"), ==, "m");
		g_assert_cmpuint(rdd_object_get_n_owner_references(obj), ==, 2);
		/* selectable fields: status from the content, spec from the base */
		g_assert_cmpstr(rdd_object_get_field(obj, "status.phase"), ==, "Failed");
		g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "red");
		/* versions can be stamped on the result */
		g_assert_true(rdd_object_set_versions(obj, 43, 7, &error));
		g_assert_cmpuint(rdd_object_get_resource_version(obj), ==, 43);
		{
			g_autofree gchar *st = rdd_object_test_member(obj, "status");
			g_assert_cmpstr(st, ==, "{\"phase\":\"Failed\"}");
		}
	}
	/* a status write with content lacking status drops it */
	{
		g_autofree gchar *t2 = rdd_object_test_text("{'spec':{'color':'green'}}");
		g_autoptr(JsonNode) c2 = rdd_json_parse(t2, -1, NULL);
		g_autoptr(RddObject) obj =
			rdd_object_build(base->kind, NULL, json_node_get_object(c2), base,
					 RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT, &error);
		g_assert_no_error(error);
		g_assert_null(rdd_object_dup_member(obj, "status"));
		g_assert_null(rdd_object_get_field(obj, "status.phase"));
		g_assert_cmpstr(rdd_object_get_field(obj, "spec.color"), ==, "red");
	}
	/* metadata may only be omitted in a status write */
	{
		g_autoptr(RddObject) obj = rdd_object_build(base->kind, NULL, json_node_get_object(content),
							    base, RDD_OBJECT_BUILD_CONTENT, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
		g_assert_null(obj);
	}
}

static void
rdd_object_test_copy(void)
{
	g_autoptr(RddObject) obj = rdd_object_test_new("Widget", RDD_OBJECT_TEST_WIDGET);
	g_autoptr(RddObject) copy = rdd_object_copy(obj);

	g_assert_true(copy != obj);
	g_assert_cmpstr(rdd_object_get_json(copy, NULL), ==, rdd_object_get_json(obj, NULL));
	g_assert_true(rdd_object_get_json(copy, NULL) != rdd_object_get_json(obj, NULL));
	g_assert_cmpstr(rdd_object_get_uid(copy), ==, rdd_object_get_uid(obj));
	g_assert_cmpstr(rdd_object_get_label(copy, "alpha"), ==, "a");
	g_assert_cmpstr(rdd_object_get_field(copy, "spec.color"), ==, "red");
	g_assert_cmpuint(rdd_object_get_n_owner_references(copy), ==, 2);
	g_assert_true(rdd_object_get_owner_reference(copy, 1)->controller);
	g_assert_true(rdd_object_get_owner_reference(copy, 1)->uid !=
		      rdd_object_get_owner_reference(obj, 1)->uid);
	g_assert_true(rdd_object_has_finalizer(copy, "test.rdd.io/one"));
	g_assert_cmpint(rdd_object_get_creation_timestamp(copy), ==, rdd_object_get_creation_timestamp(obj));
}

static void
rdd_object_test_deletion(void)
{
	g_autoptr(RddObject) obj = rdd_object_test_new(
		"Gadget", "{'metadata':{'name':'g','resourceVersion':'1','generation':1,"
			  "'deletionTimestamp':'2024-05-06T07:08:09Z','finalizers':['a/b']}}");
	gint64 ts = 0;
	g_assert_true(rdd_time_parse("2024-05-06T07:08:09Z", &ts, NULL));
	g_assert_true(rdd_object_is_deleting(obj));
	g_assert_cmpint(rdd_object_get_deletion_timestamp(obj), ==, ts);
	g_assert_null(rdd_object_get_controller_reference(obj));
	g_assert_cmpuint(rdd_object_get_n_owner_references(obj), ==, 0);
	g_assert_cmpuint(g_strv_length((gchar **)rdd_object_get_labels(obj)), ==, 0);
}

static void
rdd_object_test_errors(void)
{
	const gchar *bad[] = {
		"",
		"{",
		"[1]",
		"{'spec':{}}",
		"{'metadata':[]}",
		"{'metadata':{}}",
		"{'metadata':{'name':''}}",
		"{'metadata':{'name':5}}",
		"{'metadata':{'name':'x','creationTimestamp':'yesterday'}}",
		"{'metadata':{'name':'x','deletionTimestamp':'2024-13-45T99:00:00Z'}}",
		"{'metadata':{'name':'x','labels':{'a':1}}}",
		"{'metadata':{'name':'x','finalizers':[1]}}",
		"{'metadata':{'name':'x','ownerReferences':[1]}}",
		/* no resourceVersion or generation to stamp */
		"{'metadata':{'name':'x'}}",
		"{'metadata':{'name':'x','resourceVersion':'1'}}",
		"{'metadata':{'name':'x','generation':1}}",
		"{'metadata':{'name':'x','generation':'1','resourceVersion':'1'}}",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *json = rdd_object_test_text(bad[i]);
		g_autoptr(RddObject) obj = rdd_object_new_from_json(rdd_object_test_kind("Widget"),
								    json, strlen(json), &error);
		if (obj != NULL) {
			g_test_fail_printf("case %u (%s) was accepted", i, bad[i]);
			continue;
		}
		g_assert_nonnull(error);
		g_assert_true(error->domain == RDD_ERROR);
		g_assert_cmpstr(error->message, !=, "");
	}
}

int
main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	rdd_object_test_load_kinds();
	g_test_add_func("/rdd/object/accessors", rdd_object_test_accessors);
	g_test_add_func("/rdd/object/canonical", rdd_object_test_canonical);
	g_test_add_func("/rdd/object/unicode", rdd_object_test_unicode);
	g_test_add_func("/rdd/object/set-versions", rdd_object_test_set_versions);
	g_test_add_func("/rdd/object/spec-equal", rdd_object_test_spec_equal);
	g_test_add_func("/rdd/object/build-modes", rdd_object_test_build_modes);
	g_test_add_func("/rdd/object/copy", rdd_object_test_copy);
	g_test_add_func("/rdd/object/deletion", rdd_object_test_deletion);
	g_test_add_func("/rdd/object/errors", rdd_object_test_errors);
	rc = g_test_run();
	g_clear_pointer(&rdd_object_test_kinds, g_ptr_array_unref);
	return rc;
}
