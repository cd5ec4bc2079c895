/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"
#include "rdd-json.h"
#include "rdd-time.h"
#include "rdd-yaml.h"

/*
 * Server-side apply against a store with the core kinds and one test CRD:
 *
 * Gizmo (test.rdd.io/v1): namespaced, status subresource; spec has scalars (replicas defaults to
 *   1, note is nullable), an atomic list (args), a set list (tags), an associative list keyed by
 *   name and protocol (ports; protocol defaults to TCP), a granular map (env), an atomic map
 *   (selector) and a preserve-unknown-fields object (extra); status has a phase and conditions
 *   keyed by type.
 */

static const gchar rdd_api_apply_test_crd[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata:\n"
	"  name: gizmos.test.rdd.io\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Gizmo, listKind: GizmoList, plural: gizmos, singular: gizmo}\n"
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
	"          properties:\n"
	"            spec:\n"
	"              type: object\n"
	"              properties:\n"
	"                message: {type: string}\n"
	"                running: {type: boolean}\n"
	"                replicas: {type: integer, default: 1}\n"
	"                note: {type: string, nullable: true}\n"
	"                args: {type: array, items: {type: string}}\n"
	"                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}\n"
	"                ports:\n"
	"                  type: array\n"
	"                  x-kubernetes-list-type: map\n"
	"                  x-kubernetes-list-map-keys: [name, protocol]\n"
	"                  items:\n"
	"                    type: object\n"
	"                    required: [name]\n"
	"                    properties:\n"
	"                      name: {type: string}\n"
	"                      protocol: {type: string, default: TCP}\n"
	"                      port: {type: integer}\n"
	"                env: {type: object, additionalProperties: {type: string}}\n"
	"                selector:\n"
	"                  type: object\n"
	"                  x-kubernetes-map-type: atomic\n"
	"                  additionalProperties: {type: string}\n"
	"                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}\n"
	"            status:\n"
	"              type: object\n"
	"              properties:\n"
	"                phase: {type: string}\n"
	"                conditions:\n"
	"                  type: array\n"
	"                  x-kubernetes-list-type: map\n"
	"                  x-kubernetes-list-map-keys: [type]\n"
	"                  items:\n"
	"                    type: object\n"
	"                    required: [type, status]\n"
	"                    properties:\n"
	"                      type: {type: string}\n"
	"                      status: {type: string}\n"
	"                      reason: {type: string}\n"
	"                      message: {type: string}\n";

typedef struct {
	RddStore *store;
	RddKind *gizmo;
	RddKind *cm;
} RddApiApplyTest;

static void
rdd_api_apply_test_setup(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = NULL;

	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	kinds = rdd_kind_new_from_yaml(rdd_api_apply_test_crd, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	for (guint i = 0; i < kinds->len; i++) {
		g_assert_true(rdd_store_register_kind(t->store, g_ptr_array_index(kinds, i), &error));
		g_assert_no_error(error);
	}
	t->gizmo = rdd_store_find_kind(t->store, "test.rdd.io/v1", "Gizmo");
	t->cm = rdd_store_find_kind(t->store, "v1", "ConfigMap");
	g_assert_nonnull(t->gizmo);
	g_assert_nonnull(t->cm);
	g_assert_true(rdd_store_ensure_namespace(t->store, "default", NULL, &error));
	g_assert_no_error(error);
}

static void
rdd_api_apply_test_teardown(RddApiApplyTest *t, gconstpointer user_data)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_finalize_object(t->store);
}

static JsonNode *
rdd_api_apply_test_yaml(const gchar *yaml)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_yaml_parse(yaml, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

/* an apply of a Gizmo (or ConfigMap) in namespace default, named by the configuration */
static RddObject *
rdd_api_apply_test_run(RddApiApplyTest *t,
		       RddKind *kind,
		       const gchar *yaml,
		       const gchar *manager,
		       gboolean force,
		       gboolean status,
		       gboolean dry_run,
		       gboolean *created,
		       GError **error)
{
	g_autoptr(JsonNode) node = rdd_api_apply_test_yaml(yaml);
	const gchar *name = rdd_json_lookup_string(node, "metadata.name");
	RddWriteOptions options = {0};

	g_assert_nonnull(name);
	options.dry_run = dry_run;
	return rdd_api_apply(t->store, kind, "default", name, node, manager, force, status,
			     &options, created, error);
}

static RddObject *
rdd_api_apply_test_ok(RddApiApplyTest *t, const gchar *yaml, const gchar *manager)
{
	g_autoptr(GError) error = NULL;
	RddObject *obj = rdd_api_apply_test_run(t, t->gizmo, yaml, manager, FALSE, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static RddObject *
rdd_api_apply_test_status_ok(RddApiApplyTest *t, const gchar *yaml, const gchar *manager)
{
	g_autoptr(GError) error = NULL;
	RddObject *obj = rdd_api_apply_test_run(t, t->gizmo, yaml, manager, FALSE, TRUE, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

/* JSON written with ' for " and ` for \" (inside the keys of associative list items) */
static gchar *
rdd_api_apply_test_expand(const gchar *text)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '\'')
			g_string_append_c(out, '"');
		else if (*p == '`')
			g_string_append(out, "\\\"");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* the canonical JSON of a member path of @obj, "absent" when there is none */
static gchar *
rdd_api_apply_test_get(RddObject *obj, const gchar *dotted_path)
{
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	JsonNode *value;

	node = rdd_json_parse(rdd_object_get_json(obj, NULL), -1, &error);
	g_assert_no_error(error);
	value = rdd_json_lookup(node, dotted_path);
	if (value == NULL)
		return g_strdup("absent");
	return rdd_json_to_string(value, FALSE);
}

#define rdd_api_apply_test_assert_member(obj, path, expected)                  \
	G_STMT_START                                                           \
	{                                                                      \
		g_autofree gchar *_got = rdd_api_apply_test_get(obj, path);    \
		g_autofree gchar *_want = rdd_api_apply_test_expand(expected); \
		g_assert_cmpstr(_got, ==, _want);                              \
	}                                                                      \
	G_STMT_END

/* managedFields in canonical JSON, with each (valid) time replaced by "T" */
static gchar *
rdd_api_apply_test_managed(RddObject *obj)
{
	g_autoptr(JsonNode) meta = rdd_object_dup_member(obj, "metadata");
	JsonNode *managed = rdd_json_lookup(meta, "managedFields");
	JsonArray *arr;

	if (managed == NULL)
		return g_strdup("absent");
	g_assert_true(JSON_NODE_HOLDS_ARRAY(managed));
	arr = json_node_get_array(managed);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonObject *entry = json_array_get_object_element(arr, i);
		const gchar *time = json_object_get_string_member_with_default(entry, "time", NULL);
		gint64 usec = 0;
		g_assert_nonnull(time);
		g_assert_true(rdd_time_parse(time, &usec, NULL));
		g_assert_cmpint(usec % G_USEC_PER_SEC, ==, 0);
		g_assert_cmpint(llabs(g_get_real_time() - usec), <, 600 * G_USEC_PER_SEC);
		json_object_set_string_member(entry, "time", "T");
	}
	return rdd_json_to_string(managed, FALSE);
}

#define rdd_api_apply_test_assert_managed(obj, expected)                       \
	G_STMT_START                                                           \
	{                                                                      \
		g_autofree gchar *_got = rdd_api_apply_test_managed(obj);      \
		g_autofree gchar *_want = rdd_api_apply_test_expand(expected); \
		g_assert_cmpstr(_got, ==, _want);                              \
	}                                                                      \
	G_STMT_END

static RddObject *
rdd_api_apply_test_lookup(RddApiApplyTest *t, RddKind *kind, const gchar *name)
{
	return rdd_store_lookup(t->store, kind, "default", name);
}

/* tests -------------------------------------------------------------------------------------------- */

static void
rdd_api_apply_test_create(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) stored = NULL;
	gboolean created = FALSE;

	obj = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\n"
				     "kind: Gizmo\n"
				     "metadata: {name: a, namespace: default, labels: {app: demo}}\n"
				     "spec: {message: hello, running: true}\n",
				     "alice", FALSE, FALSE, FALSE, &created, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	g_assert_true(created);
	g_assert_cmpuint(rdd_object_get_resource_version(obj), >, 0);
	g_assert_cmpint(rdd_object_get_generation(obj), ==, 1);
	rdd_api_apply_test_assert_member(obj, "spec", "{'message':'hello','replicas':1,'running':true}");
	rdd_api_apply_test_assert_member(obj, "metadata.labels", "{'app':'demo'}");
	/* the default (replicas) is nobody's */
	rdd_api_apply_test_assert_managed(obj, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					       "'fieldsV1':{'f:metadata':{'f:labels':{'f:app':{}}},"
					       "'f:spec':{'f:message':{},'f:running':{}}},"
					       "'manager':'alice','operation':'Apply','time':'T'}]");
	stored = rdd_api_apply_test_lookup(t, t->gizmo, "a");
	g_assert_true(stored == obj);
}

static void
rdd_api_apply_test_reapply(RddApiApplyTest *t, gconstpointer user_data)
{
	const gchar *yaml =
		"apiVersion: test.rdd.io/v1\n"
		"kind: Gizmo\n"
		"metadata: {name: a, namespace: default, labels: {app: demo}}\n"
		"spec: {message: hello, running: true, tags: [x], ports: [{name: http, port: 80}]}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) first = rdd_api_apply_test_ok(t, yaml, "alice");
	g_autoptr(RddObject) second = NULL;
	guint64 store_rv = rdd_store_get_resource_version(t->store);
	gboolean created = TRUE;

	second = rdd_api_apply_test_run(t, t->gizmo, yaml, "alice", FALSE, FALSE, FALSE, &created, &error);
	g_assert_no_error(error);
	g_assert_false(created);
	g_assert_cmpuint(rdd_object_get_resource_version(second), ==, rdd_object_get_resource_version(first));
	g_assert_cmpstr(rdd_object_get_json(second, NULL), ==, rdd_object_get_json(first, NULL));
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, store_rv);
}

static void
rdd_api_apply_test_remove_field(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(RddObject) first = NULL;
	g_autoptr(RddObject) second = NULL;

	first = rdd_api_apply_test_ok(t,
				      "apiVersion: test.rdd.io/v1\n"
				      "kind: Gizmo\n"
				      "metadata: {name: a, namespace: default, labels: {app: demo}}\n"
				      "spec: {message: hello, running: true, env: {A: '1', B: '2'}}\n",
				      "alice");
	second = rdd_api_apply_test_ok(t,
				       "apiVersion: test.rdd.io/v1\n"
				       "kind: Gizmo\n"
				       "metadata: {name: a, namespace: default}\n"
				       "spec: {message: hello, env: {B: '2'}}\n",
				       "alice");
	g_assert_cmpuint(rdd_object_get_resource_version(second), >, rdd_object_get_resource_version(first));
	rdd_api_apply_test_assert_member(second, "spec", "{'env':{'B':'2'},'message':'hello','replicas':1}");
	rdd_api_apply_test_assert_member(second, "metadata.labels", "absent");
	rdd_api_apply_test_assert_managed(second, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
						  "'fieldsV1':{'f:spec':{'f:env':{'f:B':{}},'f:message':{}}},"
						  "'manager':'alice','operation':'Apply','time':'T'}]");
}

static void
rdd_api_apply_test_shared(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;
	g_autoptr(RddObject) d = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello, running: true}\n",
				  "alice");
	/* the same value: shared ownership, no conflict */
	b = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {running: true}\n",
				  "bob");
	rdd_api_apply_test_assert_member(b, "spec.running", "true");
	rdd_api_apply_test_assert_managed(b, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:message':{},'f:running':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'},"
					     "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:running':{}}},"
					     "'manager':'bob','operation':'Apply','time':'T'}]");

	/* alice gives it up: bob still owns it, so it stays */
	c = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello}\n",
				  "alice");
	rdd_api_apply_test_assert_member(c, "spec.running", "true");
	rdd_api_apply_test_assert_managed(c, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:message':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'},"
					     "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:running':{}}},"
					     "'manager':'bob','operation':'Apply','time':'T'}]");

	/* now bob gives it up too: it goes */
	d = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n",
				  "bob");
	rdd_api_apply_test_assert_member(d, "spec", "{'message':'hello','replicas':1}");
	rdd_api_apply_test_assert_managed(d, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:message':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'}]");
}

static void
rdd_api_apply_test_assert_cause(GError *error, guint idx, const gchar *field, const gchar *message)
{
	GPtrArray *causes = rdd_error_get_causes(error);
	RddCause *cause;

	g_assert_nonnull(causes);
	g_assert_cmpuint(idx, <, causes->len);
	cause = g_ptr_array_index(causes, idx);
	g_assert_cmpstr(cause->type, ==, "FieldManagerConflict");
	g_assert_cmpstr(cause->field, ==, field);
	g_assert_cmpstr(cause->message, ==, message);
}

static void
rdd_api_apply_test_conflict(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) after = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello, running: true}\n",
				  "alice");
	obj = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {running: false}\n",
				     "bob", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(obj);
	g_assert_cmpstr(error->message, ==, "Apply failed with 1 conflict: conflict with \"alice\": .spec.running");
	g_assert_cmpuint(rdd_error_get_causes(error)->len, ==, 1);
	rdd_api_apply_test_assert_cause(error, 0, ".spec.running", "conflict with \"alice\"");
	after = rdd_api_apply_test_lookup(t, t->gizmo, "a");
	g_assert_true(after == a);
	g_clear_error(&error);

	/* several fields of several managers */
	b = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {replicas: 3}\n",
				  "carol");
	obj = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {message: bye, running: false, replicas: 5}\n",
				     "bob", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(obj);
	g_assert_cmpstr(error->message, ==,
			"Apply failed with 3 conflicts: conflicts with \"alice\":\n"
			"- .spec.message\n"
			"- .spec.running\n"
			"conflicts with \"carol\":\n"
			"- .spec.replicas");
	g_assert_cmpuint(rdd_error_get_causes(error)->len, ==, 3);
	rdd_api_apply_test_assert_cause(error, 0, ".spec.message", "conflict with \"alice\"");
	rdd_api_apply_test_assert_cause(error, 1, ".spec.running", "conflict with \"alice\"");
	rdd_api_apply_test_assert_cause(error, 2, ".spec.replicas", "conflict with \"carol\"");
}

static void
rdd_api_apply_test_conflict_update(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) cm = NULL;
	g_autoptr(RddObject) obj = NULL;

	/* created by client-side kubectl apply: an Update entry */
	node = rdd_api_apply_test_yaml("apiVersion: v1\nkind: ConfigMap\n"
				       "metadata: {name: cfg, namespace: default}\n"
				       "data: {key: one, other: two}\n");
	rdd_api_apply_record_update_full(t->cm, node, NULL, "kubectl-client-side-apply", NULL);
	cm = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_managed(cm, "[{'apiVersion':'v1','fieldsType':'FieldsV1',"
					      "'fieldsV1':{'f:data':{'.':{},'f:key':{},'f:other':{}}},"
					      "'manager':'kubectl-client-side-apply','operation':'Update','time':'T'}]");

	obj = rdd_api_apply_test_run(t, t->cm,
				     "apiVersion: v1\nkind: ConfigMap\n"
				     "metadata: {name: cfg, namespace: default}\n"
				     "data: {key: changed, other: two}\n",
				     "kubectl", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(obj);
	g_assert_cmpstr(error->message, ==,
			"Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
			"v1: .data.key");
	rdd_api_apply_test_assert_cause(error, 0, ".data.key", "conflict with \"kubectl-client-side-apply\" using v1");
	g_clear_error(&error);

	/* forced: the field moves, the shared one stays shared */
	obj = rdd_api_apply_test_run(t, t->cm,
				     "apiVersion: v1\nkind: ConfigMap\n"
				     "metadata: {name: cfg, namespace: default}\n"
				     "data: {key: changed, other: two}\n",
				     "kubectl", TRUE, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_member(obj, "data", "{'key':'changed','other':'two'}");
	rdd_api_apply_test_assert_managed(obj, "[{'apiVersion':'v1','fieldsType':'FieldsV1',"
					       "'fieldsV1':{'f:data':{'f:key':{},'f:other':{}}},"
					       "'manager':'kubectl','operation':'Apply','time':'T'},"
					       "{'apiVersion':'v1','fieldsType':'FieldsV1',"
					       "'fieldsV1':{'f:data':{'.':{},'f:other':{}}},"
					       "'manager':'kubectl-client-side-apply','operation':'Update','time':'T'}]");
}

static void
rdd_api_apply_test_force(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello, running: true}\n",
				  "alice");
	b = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {running: false}\n",
				   "bob", TRUE, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(b);
	rdd_api_apply_test_assert_member(b, "spec.running", "false");
	rdd_api_apply_test_assert_managed(b, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:message':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'},"
					     "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:running':{}}},"
					     "'manager':'bob','operation':'Apply','time':'T'}]");

	/* alice applying her old value now conflicts with bob */
	c = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {message: hello, running: true}\n",
				   "alice", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(c);
	g_assert_cmpstr(error->message, ==, "Apply failed with 1 conflict: conflict with \"bob\": .spec.running");
}

static void
rdd_api_apply_test_map_list(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;
	g_autoptr(RddObject) d = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {ports: [{name: http, port: 80}]}\n",
				  "alice");
	b = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {ports: [{name: https, port: 443}, {name: dns, protocol: UDP, port: 53}]}\n",
				  "bob");
	rdd_api_apply_test_assert_member(b, "spec.ports",
					 "[{'name':'http','port':80,'protocol':'TCP'},"
					 "{'name':'https','port':443,'protocol':'TCP'},"
					 "{'name':'dns','port':53,'protocol':'UDP'}]");
	rdd_api_apply_test_assert_managed(
		b, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
		   "'fieldsV1':{'f:spec':{'f:ports':{'k:{`name`:`http`,`protocol`:`TCP`}':{'.':{},'f:name':{},'f:port':{}}}}},"
		   "'manager':'alice','operation':'Apply','time':'T'},"
		   "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
		   "'fieldsV1':{'f:spec':{'f:ports':{"
		   "'k:{`name`:`dns`,`protocol`:`UDP`}':{'.':{},'f:name':{},'f:port':{},'f:protocol':{}},"
		   "'k:{`name`:`https`,`protocol`:`TCP`}':{'.':{},'f:name':{},'f:port':{}}}}},"
		   "'manager':'bob','operation':'Apply','time':'T'}]");

	/* an item's field owned by another manager conflicts, with the item's key in the path */
	c = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {ports: [{name: https, port: 443}, {name: http, port: 8080}]}\n",
				   "bob", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(c);
	g_assert_cmpstr(error->message, ==,
			"Apply failed with 1 conflict: conflict with \"alice\": "
			".spec.ports[name=\"http\",protocol=\"TCP\"].port");
	rdd_api_apply_test_assert_cause(error, 0, ".spec.ports[name=\"http\",protocol=\"TCP\"].port",
					"conflict with \"alice\"");
	g_clear_error(&error);

	/* alice gives up her item: it goes, bob's stay in their order */
	d = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: m}\n",
				  "alice");
	rdd_api_apply_test_assert_member(d, "spec.ports",
					 "[{'name':'https','port':443,'protocol':'TCP'},"
					 "{'name':'dns','port':53,'protocol':'UDP'}]");
}

static void
rdd_api_apply_test_atomic_list(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;
	g_autoptr(RddObject) d = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {args: [a, b], selector: {app: x}}\n",
				  "alice");
	rdd_api_apply_test_assert_managed(a, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:args':{},'f:selector':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'}]");
	/* the whole list (and atomic map) is one field */
	b = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {args: [a, b, c], selector: {tier: y}}\n",
				   "bob", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(b);
	g_assert_cmpstr(error->message, ==,
			"Apply failed with 2 conflicts: conflicts with \"alice\":\n- .spec.args\n- .spec.selector");
	g_clear_error(&error);

	b = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {args: [c], selector: {tier: y}}\n",
				   "bob", TRUE, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_member(b, "spec.args", "['c']");
	rdd_api_apply_test_assert_member(b, "spec.selector", "{'tier':'y'}");

	/* a set list merges by value */
	c = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {tags: [x, y]}\n",
				  "alice");
	g_clear_pointer(&c, rdd_object_unref);
	c = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {args: [c], selector: {tier: y}, tags: [y, z]}\n",
				  "bob");
	rdd_api_apply_test_assert_member(c, "spec.tags", "['x','y','z']");
	rdd_api_apply_test_assert_managed(c, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:tags':{'v:`x`':{},'v:`y`':{}}}},"
					     "'manager':'alice','operation':'Apply','time':'T'},"
					     "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:args':{},'f:selector':{},"
					     "'f:tags':{'v:`y`':{},'v:`z`':{}}}},"
					     "'manager':'bob','operation':'Apply','time':'T'}]");
	/* alice drops her tags: x goes, y stays with bob */
	d = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n",
				  "alice");
	rdd_api_apply_test_assert_member(d, "spec.tags", "['y','z']");
}

static void
rdd_api_apply_test_status(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;
	g_autoptr(RddObject) d = NULL;
	g_autoptr(RddObject) e = NULL;

	/* the status of a missing object cannot be applied */
	a = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "status: {phase: Running}\n",
				   "ctl", FALSE, TRUE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(a);
	g_clear_error(&error);

	/* a main apply ignores status */
	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello}\n"
				  "status: {phase: Ignored}\n",
				  "alice");
	rdd_api_apply_test_assert_member(a, "status", "absent");

	/* a status apply ignores everything but status */
	b = rdd_api_apply_test_status_ok(t,
					 "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
					 "metadata: {name: a, namespace: default, labels: {x: y}}\n"
					 "spec: {message: ignored}\n"
					 "status:\n"
					 "  phase: Running\n"
					 "  conditions: [{type: Ready, status: 'True', reason: Up, message: ok}]\n",
					 "ctl");
	rdd_api_apply_test_assert_member(b, "spec.message", "'hello'");
	rdd_api_apply_test_assert_member(b, "metadata.labels", "absent");
	rdd_api_apply_test_assert_member(b, "status",
					 "{'conditions':[{'message':'ok','reason':'Up','status':'True','type':'Ready'}],"
					 "'phase':'Running'}");
	rdd_api_apply_test_assert_managed(
		b, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
		   "'fieldsV1':{'f:spec':{'f:message':{}}},"
		   "'manager':'alice','operation':'Apply','time':'T'},"
		   "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
		   "'fieldsV1':{'f:status':{'f:conditions':{'k:{`type`:`Ready`}':{'.':{},'f:message':{},'f:reason':{},"
		   "'f:status':{},'f:type':{}}},'f:phase':{}}},"
		   "'manager':'ctl','operation':'Apply','subresource':'status','time':'T'}]");

	/* conditions merge by type */
	c = rdd_api_apply_test_status_ok(t,
					 "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
					 "metadata: {name: a, namespace: default}\n"
					 "status:\n"
					 "  conditions: [{type: Synced, status: 'False'}]\n",
					 "syncer");
	rdd_api_apply_test_assert_member(c, "status.conditions",
					 "[{'message':'ok','reason':'Up','status':'True','type':'Ready'},"
					 "{'status':'False','type':'Synced'}]");

	/* another manager's condition conflicts */
	d = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "status:\n"
				   "  conditions: [{type: Synced, status: 'True'}, {type: Ready, status: 'False'}]\n",
				   "syncer", FALSE, TRUE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(d);
	g_assert_cmpstr(error->message, ==,
			"Apply failed with 1 conflict: conflict with \"ctl\" with subresource \"status\": "
			".status.conditions[type=\"Ready\"].status");
	g_clear_error(&error);

	/* ctl drops its phase and condition: they go, the syncer's condition stays */
	e = rdd_api_apply_test_status_ok(t,
					 "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
					 "metadata: {name: a, namespace: default}\n"
					 "status: {}\n",
					 "ctl");
	rdd_api_apply_test_assert_member(e, "status", "{'conditions':[{'status':'False','type':'Synced'}]}");
	rdd_api_apply_test_assert_member(e, "spec.message", "'hello'");

	/* a kind without the subresource */
	g_clear_pointer(&a, rdd_object_unref);
	a = rdd_api_apply_test_run(t, t->cm,
				   "apiVersion: v1\nkind: ConfigMap\n"
				   "metadata: {name: cfg, namespace: default}\n",
				   "ctl", FALSE, TRUE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_null(a);
}

static void
rdd_api_apply_test_dry_run(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) dry = NULL;
	g_autoptr(RddObject) real = NULL;
	g_autoptr(RddObject) stored = NULL;
	gboolean created = FALSE;
	guint64 rv;

	dry = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {message: hello}\n",
				     "alice", FALSE, FALSE, TRUE, &created, &error);
	g_assert_no_error(error);
	g_assert_true(created);
	rdd_api_apply_test_assert_member(dry, "spec", "{'message':'hello','replicas':1}");
	rdd_api_apply_test_assert_managed(dry, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					       "'fieldsV1':{'f:spec':{'f:message':{}}},"
					       "'manager':'alice','operation':'Apply','time':'T'}]");
	stored = rdd_api_apply_test_lookup(t, t->gizmo, "a");
	g_assert_null(stored);
	g_clear_pointer(&dry, rdd_object_unref);

	real = rdd_api_apply_test_ok(t,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {message: hello}\n",
				     "alice");
	rv = rdd_store_get_resource_version(t->store);
	dry = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {message: bye, running: true}\n",
				     "alice", FALSE, FALSE, TRUE, &created, &error);
	g_assert_no_error(error);
	g_assert_false(created);
	rdd_api_apply_test_assert_member(dry, "spec", "{'message':'bye','replicas':1,'running':true}");
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
	stored = rdd_api_apply_test_lookup(t, t->gizmo, "a");
	g_assert_true(stored == real);
	g_clear_pointer(&dry, rdd_object_unref);

	/* a dry-run conflict still fails */
	dry = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "spec: {message: other}\n",
				     "bob", FALSE, FALSE, TRUE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(dry);
	g_clear_error(&error);

	/* and a dry-run status apply stores nothing */
	dry = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: a, namespace: default}\n"
				     "status: {phase: Running}\n",
				     "ctl", FALSE, TRUE, TRUE, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_member(dry, "status", "{'phase':'Running'}");
	g_assert_cmpuint(rdd_store_get_resource_version(t->store), ==, rv);
}

static void
rdd_api_apply_test_null(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: hello, note: n, running: null}\n",
				  "alice");
	/* null unsets (kept as null where the schema says nullable), and is owned */
	b = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata: {name: a, namespace: default}\n"
				  "spec: {message: null, note: null}\n",
				  "alice");
	rdd_api_apply_test_assert_member(b, "spec", "{'note':null,'replicas':1}");
	rdd_api_apply_test_assert_managed(b, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:spec':{'f:message':{},'f:note':{}}},"
					     "'manager':'alice','operation':'Apply','time':'T'}]");
	/* unsetting another manager's field is a conflict */
	c = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {replicas: 2}\n",
				   "bob", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&c, rdd_object_unref);
	c = rdd_api_apply_test_run(t, t->gizmo,
				   "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				   "metadata: {name: a, namespace: default}\n"
				   "spec: {replicas: null}\n",
				   "alice", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_null(c);
	g_assert_cmpstr(error->message, ==, "Apply failed with 1 conflict: conflict with \"bob\": .spec.replicas");
}

static void
rdd_api_apply_test_encoding(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(RddObject) a = NULL;

	a = rdd_api_apply_test_ok(t,
				  "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				  "metadata:\n"
				  "  name: a\n"
				  "  namespace: default\n"
				  "  labels: {app: demo, 'x.io/tier': web}\n"
				  "  annotations: {note: 'a \"quoted\" value'}\n"
				  "  finalizers: [test.rdd.io/keep]\n"
				  "  resourceVersion: ''\n"
				  "spec:\n"
				  "  env: {}\n"
				  "  tags: ['1', 'a\"b']\n"
				  "  extra: {deep: {x: 1}, list: [1, 2]}\n"
				  "  ports: [{name: p, protocol: SCTP}]\n",
				  "alice");
	rdd_api_apply_test_assert_managed(a, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
					     "'fieldsV1':{'f:metadata':{'f:annotations':{'f:note':{}},'f:finalizers':{'v:`test.rdd.io/keep`':{}},"
					     "'f:labels':{'f:app':{},'f:x.io/tier':{}}},"
					     "'f:spec':{'f:env':{},"
					     "'f:extra':{'f:deep':{'.':{},'f:x':{}},'f:list':{}},"
					     "'f:ports':{'k:{`name`:`p`,`protocol`:`SCTP`}':{'.':{},'f:name':{},'f:protocol':{}}},"
					     "'f:tags':{'v:`1`':{},'v:`a\\\\`b`':{}}}},"
					     "'manager':'alice','operation':'Apply','time':'T'}]");
}

static void
rdd_api_apply_test_record_update(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) created = NULL;
	g_autoptr(RddObject) applied = NULL;
	g_autoptr(RddObject) edited = NULL;
	g_autoptr(RddObject) same = NULL;
	g_autoptr(RddObject) status = NULL;
	g_autoptr(RddObject) reset = NULL;
	JsonObject *meta;

	/* a create records an Update entry; new maps own themselves (.) */
	node = rdd_api_apply_test_yaml("apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				       "metadata: {name: a, namespace: default, labels: {app: demo}}\n"
				       "spec: {message: hello, ports: [{name: http, protocol: TCP, port: 80}]}\n");
	rdd_api_apply_record_update_full(t->gizmo, node, NULL, "kubectl-create", NULL);
	created = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_managed(
		created, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
			 "'fieldsV1':{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},"
			 "'f:spec':{'.':{},'f:message':{},'f:ports':{'.':{},"
			 "'k:{`name`:`http`,`protocol`:`TCP`}':{'.':{},'f:name':{},'f:port':{},'f:protocol':{}}}}},"
			 "'manager':'kubectl-create','operation':'Update','time':'T'}]");
	g_clear_pointer(&node, json_node_unref);

	/* an applier takes a field the same value; Apply entries sort first */
	applied = rdd_api_apply_test_ok(t,
					"apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
					"metadata: {name: a, namespace: default}\n"
					"spec: {message: hello, running: true}\n",
					"alice");
	rdd_api_apply_test_assert_managed(
		applied, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
			 "'fieldsV1':{'f:spec':{'f:message':{},'f:running':{}}},"
			 "'manager':'alice','operation':'Apply','time':'T'},"
			 "{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
			 "'fieldsV1':{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},"
			 "'f:spec':{'.':{},'f:message':{},'f:ports':{'.':{},"
			 "'k:{`name`:`http`,`protocol`:`TCP`}':{'.':{},'f:name':{},'f:port':{},'f:protocol':{}}}}},"
			 "'manager':'kubectl-create','operation':'Update','time':'T'}]");

	/* kubectl edit (a PUT without managedFields) takes what it changes from everyone */
	node = rdd_object_dup_node(applied);
	meta = json_object_get_object_member(json_node_get_object(node), "metadata");
	json_object_remove_member(meta, "managedFields");
	json_object_remove_member(meta, "labels");
	json_object_set_boolean_member(json_object_get_object_member(json_node_get_object(node), "spec"),
				       "running", FALSE);
	json_object_set_string_member(json_object_get_object_member(json_node_get_object(node), "spec"),
				      "message", "edited");
	rdd_api_apply_record_update(node, applied, "kubectl-edit");
	edited = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_managed(
		edited, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
			"'fieldsV1':{'f:spec':{'.':{},'f:ports':{'.':{},"
			"'k:{`name`:`http`,`protocol`:`TCP`}':{'.':{},'f:name':{},'f:port':{},'f:protocol':{}}}}},"
			"'manager':'kubectl-create','operation':'Update','time':'T'},"
			"{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
			"'fieldsV1':{'f:spec':{'f:message':{},'f:running':{}}},"
			"'manager':'kubectl-edit','operation':'Update','time':'T'}]");
	g_clear_pointer(&node, json_node_unref);

	/* a write that changes nothing records nothing */
	node = rdd_object_dup_node(edited);
	json_object_remove_member(json_object_get_object_member(json_node_get_object(node), "metadata"),
				  "managedFields");
	rdd_api_apply_record_update(node, edited, "someone");
	same = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(same == edited);
	g_clear_pointer(&node, json_node_unref);

	/* a status write has its own entry */
	node = rdd_object_dup_node(edited);
	json_object_set_object_member(json_node_get_object(node), "status", json_object_new());
	json_object_set_string_member(json_object_get_object_member(json_node_get_object(node), "status"),
				      "phase", "Running");
	rdd_api_apply_record_update_full(t->gizmo, node, edited, "ctl", "status");
	{
		g_autofree gchar *got =
			rdd_json_to_string(rdd_json_lookup(node, "metadata.managedFields"), FALSE);
		g_assert_nonnull(strstr(got, "{\"apiVersion\":\"test.rdd.io/v1\",\"fieldsType\":\"FieldsV1\","
					     "\"fieldsV1\":{\"f:status\":{\".\":{},\"f:phase\":{}}},\"manager\":\"ctl\","
					     "\"operation\":\"Update\",\"subresource\":\"status\""));
	}
	status = rdd_store_update_status(t->store, node, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_member(status, "status", "{'phase':'Running'}");
	g_clear_pointer(&node, json_node_unref);

	/* [{}] resets ownership: only the writer's change is left */
	node = rdd_object_dup_node(status);
	meta = json_object_get_object_member(json_node_get_object(node), "metadata");
	{
		JsonArray *arr = json_array_new();
		json_array_add_object_element(arr, json_object_new());
		json_object_set_array_member(meta, "managedFields", arr);
	}
	json_object_set_string_member(json_object_get_object_member(json_node_get_object(node), "spec"),
				      "message", "again");
	rdd_api_apply_record_update(node, status, "kubectl-edit");
	reset = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	rdd_api_apply_test_assert_managed(reset, "[{'apiVersion':'test.rdd.io/v1','fieldsType':'FieldsV1',"
						 "'fieldsV1':{'f:spec':{'f:message':{}}},"
						 "'manager':'kubectl-edit','operation':'Update','time':'T'}]");
}

static void
rdd_api_apply_test_record_malformed(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) bad_meta = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) updated = NULL;
	const gchar *bad_lists[] = {
		"[{manager: x, operation: Delete, fieldsType: FieldsV1, fieldsV1: {}}]",
		"[{manager: x, operation: Update, fieldsType: FieldsV2, fieldsV1: {}}]",
		"[{manager: x, operation: Update, fieldsType: FieldsV1, fieldsV1: {'q:x': {}}}]",
		"[{manager: x, operation: Update, fieldsType: FieldsV1, fieldsV1: {'f:x': 1}}]",
		"[{manager: x, operation: Update, fieldsType: FieldsV1, time: yesterday}]",
		"[1]",
		"{a: b}",
	};

	/* metadata that is not an object is left for the store to reject */
	bad_meta = rdd_api_apply_test_yaml("apiVersion: test.rdd.io/v1\nkind: Gizmo\nmetadata: x\n");
	rdd_api_apply_record_update_full(t->gizmo, bad_meta, NULL, "m", NULL);
	g_assert_cmpstr(rdd_json_lookup_string(bad_meta, "metadata"), ==, "x");

	/* unreadable managedFields from a client: the stored ones are the base */
	obj = rdd_api_apply_test_ok(t,
				    "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				    "metadata: {name: a, namespace: default}\n"
				    "spec: {message: hello}\n",
				    "alice");
	for (guint i = 0; i < G_N_ELEMENTS(bad_lists); i++) {
		g_autoptr(JsonNode) list = rdd_api_apply_test_yaml(bad_lists[i]);
		g_autofree gchar *got = NULL;
		node = rdd_object_dup_node(obj);
		json_object_set_member(rdd_json_lookup_object(node, "metadata"), "managedFields",
				       g_steal_pointer(&list));
		rdd_api_apply_record_update(node, obj, "editor");
		got = rdd_json_to_string(rdd_json_lookup(node, "metadata.managedFields"), FALSE);
		g_assert_nonnull(strstr(got, "\"manager\":\"alice\""));
		g_assert_null(strstr(got, "\"manager\":\"x\""));
		g_clear_pointer(&node, json_node_unref);
	}

	/* a readable list is taken as it is */
	node = rdd_object_dup_node(obj);
	{
		g_autoptr(JsonNode) list = rdd_api_apply_test_yaml(
			"[{manager: x, operation: Update, apiVersion: test.rdd.io/v1, fieldsType: FieldsV1, "
			"fieldsV1: {'f:spec': {'f:message': {}}}, time: '2026-01-01T00:00:00Z'}]");
		json_object_set_member(rdd_json_lookup_object(node, "metadata"), "managedFields",
				       g_steal_pointer(&list));
	}
	rdd_api_apply_record_update(node, obj, "editor");
	updated = rdd_store_update(t->store, node, NULL, &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *got = rdd_api_apply_test_get(updated, "metadata.managedFields");
		g_assert_cmpstr(got, ==,
				"[{\"apiVersion\":\"test.rdd.io/v1\",\"fieldsType\":\"FieldsV1\","
				"\"fieldsV1\":{\"f:spec\":{\"f:message\":{}}},\"manager\":\"x\","
				"\"operation\":\"Update\",\"time\":\"2026-01-01T00:00:00Z\"}]");
	}
}

static void
rdd_api_apply_test_record_cap(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) managed = NULL;
	guint n_update = 0;
	gboolean bucket = FALSE;

	node = rdd_api_apply_test_yaml("apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				       "metadata: {name: a, namespace: default}\n"
				       "spec: {env: {}}\n");
	obj = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < 14; i++) {
		g_autoptr(JsonNode) next = rdd_object_dup_node(obj);
		g_autofree gchar *manager = g_strdup_printf("writer-%02u", i);
		g_autofree gchar *key = g_strdup_printf("K%02u", i);
		RddObject *written;
		json_object_set_string_member(rdd_json_lookup_object(next, "spec.env"), key, "v");
		rdd_api_apply_record_update(next, obj, manager);
		written = rdd_store_update(t->store, next, NULL, &error);
		g_assert_no_error(error);
		rdd_object_unref(obj);
		obj = written;
	}
	managed = rdd_object_dup_member(obj, "metadata");
	for (guint i = 0;
	     i < json_array_get_length(rdd_json_lookup(managed, "managedFields") != NULL ?
					       json_node_get_array(rdd_json_lookup(managed, "managedFields")) :
					       NULL);
	     i++) {
		JsonObject *entry = json_array_get_object_element(
			json_node_get_array(rdd_json_lookup(managed, "managedFields")), i);
		if (g_strcmp0(json_object_get_string_member(entry, "operation"), "Update") == 0)
			n_update++;
		if (g_strcmp0(json_object_get_string_member(entry, "manager"), "ancient-changes") == 0)
			bucket = TRUE;
	}
	g_assert_cmpuint(n_update, ==, 10);
	g_assert_true(bucket);
}

static void
rdd_api_apply_test_default_manager(void)
{
	struct {
		const gchar *agent;
		const gchar *manager;
	} cases[] = {
		{"kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abcdef", "kubectl-edit"},
		{"kubectl/v1.32.0", "kubectl"},
		{"python-requests", "python-requests"},
		{"OpenAPI-Generator/31.0.0/python", "OpenAPI-Generator"},
		{"a\tb\x01"
		 "c/1",
		 "abc"},
		{"caf\xc3\xa9/1", "caf\xc3\xa9"},
		{"bad\xff"
		 "utf8/1",
		 "badutf8"},
		{"/v1", "unknown"},
		{"", "unknown"},
		{NULL, "unknown"},
	};
	g_autofree gchar *long_agent = g_strnfill(300, 'x');
	g_autofree gchar *long_manager = rdd_api_apply_default_manager(long_agent);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *manager = rdd_api_apply_default_manager(cases[i].agent);
		g_assert_cmpstr(manager, ==, cases[i].manager);
	}
	g_assert_cmpuint(strlen(long_manager), ==, 128);
}

static void
rdd_api_apply_test_errors(RddApiApplyTest *t, gconstpointer user_data)
{
	struct {
		const gchar *yaml;
		const gchar *manager;
		gint code;
		const gchar *message; /* a substring */
	} cases[] = {
		{"metadata: {name: e, managedFields: [{manager: x}]}\n", "alice",
		 RDD_ERROR_BAD_REQUEST, "metadata.managedFields must be nil"},
		{"metadata: {name: e}\n", "bad\nmanager", RDD_ERROR_BAD_REQUEST, "fieldManager: Invalid value"},
		{"metadata: {name: e}\n", "", RDD_ERROR_BAD_REQUEST, "must have a fieldManager"},
		{"metadata: {name: e}\nspec: {ports: [{name: a}, {name: a, protocol: TCP}]}\n", "alice",
		 RDD_ERROR_BAD_REQUEST, ".spec.ports[name=\"a\",protocol=\"TCP\"]: duplicate entries for key"},
		{"metadata: {name: e}\nspec: {ports: [{port: 1}]}\n", "alice", RDD_ERROR_BAD_REQUEST,
		 ".spec.ports[0]: associative list with keys has an element that omits key field \"name\""},
		{"metadata: {name: e}\nspec: {ports: [{name: {x: 1}}]}\n", "alice",
		 RDD_ERROR_BAD_REQUEST, "must be a scalar"},
		{"metadata: {name: e}\nspec: {ports: [1]}\n", "alice", RDD_ERROR_BAD_REQUEST, "must be objects"},
		{"metadata: {name: e}\nspec: {tags: [[1]]}\n", "alice", RDD_ERROR_BAD_REQUEST, "must be scalars"},
		{"metadata: {name: e}\nspec: {tags: [a, a]}\n", "alice", RDD_ERROR_BAD_REQUEST,
		 ".spec.tags[=\"a\"]: duplicate entries"},
		{"metadata: {name: e}\nspec: {running: sometimes}\n", "alice", RDD_ERROR_INVALID, "spec.running"},
		{"metadata: {name: e, resourceVersion: '12'}\n", "alice", RDD_ERROR_CONFLICT, "does not exist"},
	};
	g_autofree gchar *long_manager = g_strnfill(129, 'm');
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) obj = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *yaml =
			g_strconcat("apiVersion: test.rdd.io/v1\nkind: Gizmo\n", cases[i].yaml, NULL);
		obj = rdd_api_apply_test_run(t, t->gizmo, yaml, cases[i].manager, FALSE, FALSE,
					     FALSE, NULL, &error);
		g_assert_error(error, RDD_ERROR, cases[i].code);
		g_assert_null(obj);
		if (strstr(error->message, cases[i].message) == NULL)
			g_error("case %u: \"%s\" does not contain \"%s\"", i, error->message, cases[i].message);
		g_clear_error(&error);
		obj = rdd_api_apply_test_lookup(t, t->gizmo, "e");
		g_assert_null(obj);
	}

	obj = rdd_api_apply_test_run(t, t->gizmo, "apiVersion: test.rdd.io/v1\nkind: Gizmo\nmetadata: {name: e}\n",
				     long_manager, FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_null(obj);
	g_clear_error(&error);

	/* a stale resourceVersion is a precondition that fails */
	obj = rdd_api_apply_test_ok(t,
				    "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				    "metadata: {name: e}\nspec: {message: m}\n",
				    "alice");
	g_clear_pointer(&obj, rdd_object_unref);
	obj = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: e, resourceVersion: '1'}\nspec: {message: n}\n",
				     "alice", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, "the object has been modified"));
	g_assert_null(obj);
	g_clear_error(&error);
	obj = rdd_api_apply_test_run(t, t->gizmo,
				     "apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
				     "metadata: {name: e, uid: 00000000-0000-0000-0000-000000000000}\n",
				     "alice", FALSE, FALSE, FALSE, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, "Precondition failed: UID"));
	g_assert_null(obj);
}

static void
rdd_api_apply_test_deep(RddApiApplyTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = rdd_api_apply_test_yaml("apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
							   "metadata: {name: deep, namespace: default}\n"
							   "spec: {}\n");
	g_autoptr(RddObject) obj = NULL;
	JsonObject *at = rdd_json_lookup_object(root, "spec");

	/* far deeper than any parser lets through: built by hand */
	for (guint i = 0; i < 5000; i++) {
		JsonObject *next = json_object_new();
		json_object_set_object_member(at, i == 0 ? "extra" : "x", next);
		at = next;
	}
	obj = rdd_api_apply(t->store, t->gizmo, "default", "deep", root, "alice", FALSE, FALSE,
			    NULL, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_nonnull(strstr(error->message, "nested deeper than"));
	g_assert_null(obj);
}

/* every field a manager owns exists in the object */
static void
rdd_api_apply_test_check_owned(JsonNode *fields, JsonNode *value, const gchar *where)
{
	JsonObjectIter iter;
	const gchar *pe;
	JsonNode *sub;

	g_assert_true(JSON_NODE_HOLDS_OBJECT(fields));
	json_object_iter_init(&iter, json_node_get_object(fields));
	while (json_object_iter_next(&iter, &pe, &sub)) {
		JsonNode *child = NULL;
		g_autofree gchar *next = g_strconcat(where, "/", pe, NULL);
		if (g_strcmp0(pe, ".") == 0)
			continue;
		if (g_str_has_prefix(pe, "f:")) {
			if (value != NULL && JSON_NODE_HOLDS_OBJECT(value))
				child = json_object_get_member(json_node_get_object(value), pe + 2);
		} else {
			g_autoptr(JsonNode) key = rdd_json_parse(pe + 2, -1, NULL);
			g_assert_nonnull(key);
			for (guint i = 0; value != NULL && JSON_NODE_HOLDS_ARRAY(value) &&
					  i < json_array_get_length(json_node_get_array(value));
			     i++) {
				JsonNode *item = json_array_get_element(json_node_get_array(value), i);
				gboolean match = TRUE;
				if (g_str_has_prefix(pe, "v:")) {
					match = rdd_json_equal(item, key);
				} else {
					JsonObjectIter kiter;
					const gchar *kname;
					JsonNode *kvalue;
					json_object_iter_init(&kiter, json_node_get_object(key));
					while (json_object_iter_next(&kiter, &kname, &kvalue))
						match = match &&
							rdd_json_equal(json_object_get_member(
									       json_node_get_object(item), kname),
								       kvalue);
				}
				if (match)
					child = item;
			}
		}
		if (child == NULL)
			g_error("owned field %s is not in the object", next);
		rdd_api_apply_test_check_owned(sub, child, next);
	}
}

/* random applies by three managers: whatever succeeds is stored, and ownership stays coherent */
static void
rdd_api_apply_test_random(RddApiApplyTest *t, gconstpointer user_data)
{
	const gchar *managers[] = {"alice", "bob", "carol"};
	const gchar *words[] = {"a", "b", "c"};
	guint n_ok = 0, n_conflict = 0;

	for (guint round = 0; round < 300; round++) {
		g_autoptr(GString) yaml = g_string_new("apiVersion: test.rdd.io/v1\nkind: Gizmo\n"
						       "metadata: {name: r, namespace: default}\nspec:\n");
		g_autoptr(GError) error = NULL;
		g_autoptr(RddObject) obj = NULL;
		gboolean status = g_test_rand_int_range(0, 6) == 0;
		const gchar *manager = managers[g_test_rand_int_range(0, 3)];
		gboolean force = g_test_rand_int_range(0, 4) == 0;

		for (guint f = 0; f < 8; f++) {
			const gchar *word = words[g_test_rand_int_range(0, 3)];
			if (g_test_rand_int_range(0, 2) == 0)
				continue;
			switch (f) {
			case 0:
				g_string_append_printf(yaml, "  message: %s\n", word);
				break;
			case 1:
				g_string_append_printf(yaml, "  running: %s\n",
						       g_test_rand_bit() ? "true" : "false");
				break;
			case 2:
				g_string_append_printf(yaml, "  replicas: %d\n", g_test_rand_int_range(1, 4));
				break;
			case 3:
				g_string_append_printf(yaml, "  args: [%s]\n", word);
				break;
			case 4:
				g_string_append_printf(yaml, "  tags: [%s]\n", word);
				break;
			case 5:
				g_string_append_printf(yaml, "  ports: [{name: %s, port: 1}]\n", word);
				break;
			case 6:
				g_string_append_printf(yaml, "  env: {%s: v}\n", word);
				break;
			default:
				g_string_append_printf(yaml, "  selector: {%s: v}\n", word);
				break;
			}
		}
		if (status) {
			g_string_append_printf(yaml, "status: {phase: %s, conditions: [{type: %s, status: 'True'}]}\n",
					       words[g_test_rand_int_range(0, 3)],
					       words[g_test_rand_int_range(0, 3)]);
		}
		if (g_str_has_suffix(yaml->str, "spec:\n"))
			g_string_append(yaml, "  {}\n");
		obj = rdd_api_apply_test_run(t, t->gizmo, yaml->str, manager, force, status, FALSE, NULL, &error);
		if (obj == NULL) {
			/* a status apply before the object exists is the one other failure */
			if (!g_error_matches(error, RDD_ERROR, RDD_ERROR_NOT_FOUND))
				g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
			else
				g_assert_true(status);
			if (error->code == RDD_ERROR_CONFLICT) {
				g_assert_false(force);
				g_assert_nonnull(rdd_error_get_causes(error));
				n_conflict++;
			}
			continue;
		}
		n_ok++;
		{
			g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
			g_autoptr(JsonNode) applied = rdd_api_apply_test_yaml(yaml->str);
			JsonArray *managed =
				rdd_json_lookup(node, "metadata.managedFields") != NULL ?
					json_node_get_array(rdd_json_lookup(node, "metadata.managedFields")) :
					NULL;
			JsonNode *want = rdd_json_lookup(applied, status ? "status.phase" : "spec.message");
			if (want != NULL)
				g_assert_true(rdd_json_equal(
					want, rdd_json_lookup(node, status ? "status.phase" : "spec.message")));
			g_assert_nonnull(managed);
			for (guint i = 0; i < json_array_get_length(managed); i++) {
				JsonObject *entry = json_array_get_object_element(managed, i);
				rdd_api_apply_test_check_owned(
					json_object_get_member(entry, "fieldsV1"), node,
					json_object_get_string_member(entry, "manager"));
			}
		}
	}
	g_test_message("%u applies stored, %u conflicts", n_ok, n_conflict);
	g_assert_cmpuint(n_ok, >, 0);
	g_assert_cmpuint(n_conflict, >, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

#define RDD_API_APPLY_TEST(path, func) \
	g_test_add("/rdd/api-apply/" path, RddApiApplyTest, NULL, rdd_api_apply_test_setup, func, rdd_api_apply_test_teardown)

	RDD_API_APPLY_TEST("create", rdd_api_apply_test_create);
	RDD_API_APPLY_TEST("reapply-same", rdd_api_apply_test_reapply);
	RDD_API_APPLY_TEST("remove-field", rdd_api_apply_test_remove_field);
	RDD_API_APPLY_TEST("shared", rdd_api_apply_test_shared);
	RDD_API_APPLY_TEST("conflict", rdd_api_apply_test_conflict);
	RDD_API_APPLY_TEST("conflict-update-manager", rdd_api_apply_test_conflict_update);
	RDD_API_APPLY_TEST("force", rdd_api_apply_test_force);
	RDD_API_APPLY_TEST("map-list", rdd_api_apply_test_map_list);
	RDD_API_APPLY_TEST("atomic-list", rdd_api_apply_test_atomic_list);
	RDD_API_APPLY_TEST("status", rdd_api_apply_test_status);
	RDD_API_APPLY_TEST("dry-run", rdd_api_apply_test_dry_run);
	RDD_API_APPLY_TEST("null", rdd_api_apply_test_null);
	RDD_API_APPLY_TEST("encoding", rdd_api_apply_test_encoding);
	RDD_API_APPLY_TEST("record-update", rdd_api_apply_test_record_update);
	RDD_API_APPLY_TEST("record-update-malformed", rdd_api_apply_test_record_malformed);
	RDD_API_APPLY_TEST("record-update-cap", rdd_api_apply_test_record_cap);
	RDD_API_APPLY_TEST("errors", rdd_api_apply_test_errors);
	RDD_API_APPLY_TEST("deep", rdd_api_apply_test_deep);
	RDD_API_APPLY_TEST("random", rdd_api_apply_test_random);
	g_test_add_func("/rdd/api-apply/default-manager", rdd_api_apply_test_default_manager);
	return g_test_run();
}
