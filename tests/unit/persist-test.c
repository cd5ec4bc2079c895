/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-store.h"

typedef struct {
	gchar *dir;
	gchar *db;
} RddPersistTest;

static GPtrArray *
rdd_persist_test_kinds(void)
{
	const gchar *srcdir = g_getenv("RDD_TEST_SRCDIR");
	g_autofree gchar *path =
		srcdir != NULL ?
			g_build_filename(srcdir, "data", "store-kinds.yaml", NULL) :
			g_build_filename(RDD_SOURCE_ROOT, "tests", "data", "store-kinds.yaml", NULL);
	g_autofree gchar *data = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *kinds;

	g_assert_true(g_file_get_contents(path, &data, NULL, &error));
	kinds = rdd_kind_new_from_yaml(data, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	return kinds;
}

/* a store with the built-in kinds and the test kinds named in @names (NULL: all) */
static RddStore *
rdd_persist_test_store(RddPersistTest *t, const gchar *const *names, gboolean open)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_persist_test_kinds();
	RddStore *store = rdd_store_new();

	g_assert_true(rdd_store_register_builtin_kinds(store, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		if (names != NULL && !g_strv_contains(names, rdd_kind_get_name(kind)))
			continue;
		g_assert_true(rdd_store_register_kind(store, kind, &error));
		g_assert_no_error(error);
	}
	if (open) {
		g_assert_true(rdd_store_open(store, t->db, &error));
		g_assert_no_error(error);
		g_assert_true(rdd_store_ensure_namespace(store, "default", NULL, &error));
		g_assert_no_error(error);
		g_assert_true(rdd_store_ensure_namespace(store, "ns1", NULL, &error));
		g_assert_no_error(error);
	}
	return store;
}

static void
rdd_persist_test_close(RddStore *store)
{
	rdd_store_close(store);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_finalize_object(store);
}

static void
rdd_persist_test_setup(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	t->dir = g_dir_make_tmp("rdd-persist-test-XXXXXX", &error);
	g_assert_no_error(error);
	t->db = g_build_filename(t->dir, "sub", "objects.db", NULL);
}

static void
rdd_persist_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			rdd_persist_test_rm_rf(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
rdd_persist_test_teardown(RddPersistTest *t, gconstpointer user_data)
{
	rdd_persist_test_rm_rf(t->dir);
	g_free(t->dir);
	g_free(t->db);
}

static JsonNode *rdd_persist_test_json(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static JsonNode *
rdd_persist_test_json(const gchar *format, ...)
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
	return node;
}

static RddObject *rdd_persist_test_create(RddStore *store, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static RddObject *
rdd_persist_test_create(RddStore *store, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	RddObject *obj;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	node = rdd_persist_test_json("%s", text);
	obj = rdd_store_create(store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static RddObject *
rdd_persist_test_widget(RddStore *store, const gchar *name)
{
	return rdd_persist_test_create(store,
				       "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{"
				       "'namespace':'ns1','name':'%s'},'spec':{'color':'red'}}",
				       name);
}

static RddKind *
rdd_persist_test_kind(RddStore *store, const gchar *name)
{
	RddKind *kind = rdd_store_find_kind(store, "test.rdd.io/v1", name);
	if (kind == NULL)
		kind = rdd_store_find_kind(store, "v1", name);
	g_assert_nonnull(kind);
	return kind;
}

/* whether the object exists, without keeping a reference */
static gboolean
rdd_persist_test_has(RddStore *store, RddKind *kind, const gchar *ns, const gchar *name)
{
	g_autoptr(RddObject) obj = rdd_store_lookup(store, kind, ns, name);
	return obj != NULL;
}

/* runs SQL on the database with a separate connection; returns the first column of the first
 * row as text, or NULL */
static gchar *
rdd_persist_test_sql(RddPersistTest *t, const gchar *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	gchar *result = NULL;

	g_assert_cmpint(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		g_test_fail_printf("cannot prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		result = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return result;
}

static guint
rdd_persist_test_count_rows(RddPersistTest *t, const gchar *kind)
{
	g_autofree gchar *sql = g_strdup_printf("SELECT COUNT(*) FROM objects WHERE kind = '%s'", kind);
	g_autofree gchar *count = rdd_persist_test_sql(t, sql);
	return count != NULL ? (guint)g_ascii_strtoull(count, NULL, 10) : 0;
}

/* ---------------------------------------------------------------------------------------- */

static void
rdd_persist_test_reopen(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddKind *widget = rdd_persist_test_kind(store, "Widget");
	g_autoptr(RddObject) a = rdd_persist_test_widget(store, "a");
	g_autoptr(RddObject) b = rdd_persist_test_widget(store, "b");
	g_autoptr(RddObject) c = rdd_persist_test_widget(store, "c");
	g_autoptr(RddObject) g = rdd_persist_test_create(
		store, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g',"
		       "'labels':{'l':'v'}},'spec':{'value':'x'},'status':{'state':'on'}}");
	g_autoptr(RddObject) cm = rdd_persist_test_create(store, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'namespace':'ns1',"
								 "'name':'cm'},'data':{'k':'v'}}");
	g_autoptr(RddObject) a2 = NULL;
	g_autoptr(RddObject) b_gone = NULL;
	g_autoptr(RddObject) a_status = NULL;
	g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_object_unref);
	guint64 rv_before;

	/* an update, a status write and a delete */
	{
		g_autoptr(JsonNode) patch = rdd_persist_test_json("{'spec':{'note':'updated'}}");
		a2 = rdd_store_patch(store, widget, "ns1", "a", RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(JsonNode) patch = rdd_persist_test_json("{'status':{'phase':'Ready'}}");
		a_status = rdd_store_patch(store, widget, "ns1", "a", RDD_PATCH_MERGE, patch, TRUE, NULL, &error);
		g_assert_no_error(error);
	}
	b_gone = rdd_store_delete(store, widget, "ns1", "b", NULL, &error);
	g_assert_no_error(error);
	g_ptr_array_add(before, rdd_object_ref(a_status));
	g_ptr_array_add(before, rdd_object_ref(c));
	g_ptr_array_add(before, rdd_object_ref(g));
	g_ptr_array_add(before, rdd_object_ref(cm));
	rv_before = rdd_store_get_resource_version(store);
	g_assert_cmpuint(rv_before, ==, rdd_object_get_resource_version(b_gone));
	rdd_persist_test_close(store);

	/* a fresh store sees the same objects at the same versions */
	store = rdd_persist_test_store(t, NULL, TRUE);
	g_assert_cmpuint(rdd_store_get_resource_version(store), ==, rv_before);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(store), ==, rv_before);
	for (guint i = 0; i < before->len; i++) {
		RddObject *old = g_ptr_array_index(before, i);
		g_autoptr(RddObject) now = rdd_store_lookup_uid(store, rdd_object_get_uid(old));
		g_assert_nonnull(now);
		g_assert_cmpstr(rdd_object_get_json(now, NULL), ==, rdd_object_get_json(old, NULL));
		g_assert_cmpuint(rdd_object_get_resource_version(now), ==,
				 rdd_object_get_resource_version(old));
		g_assert_cmpint(rdd_object_get_generation(now), ==, rdd_object_get_generation(old));
		g_assert_cmpint(rdd_object_get_creation_timestamp(now), ==,
				rdd_object_get_creation_timestamp(old));
	}
	g_assert_null(rdd_store_lookup(store, widget, "ns1", "b"));
	widget = rdd_persist_test_kind(store, "Widget");
	g_assert_cmpuint(rdd_store_count(store, widget), ==, 2);
	/* indexes are rebuilt */
	{
		g_autoptr(RddSelector) sel = rdd_selector_parse_fields("status.phase=Ready", &error);
		RddListOptions opts = {.field_selector = sel};
		g_autoptr(RddListResult) res = rdd_store_list(store, widget, &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 1);
		g_assert_cmpstr(rdd_object_get_name(g_ptr_array_index(res->items, 0)), ==, "a");
	}
	{
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels("l=v", &error);
		RddListOptions opts = {.label_selector = sel};
		g_autoptr(RddListResult) res =
			rdd_store_list(store, rdd_persist_test_kind(store, "Gadget"), &opts, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(res->items->len, ==, 1);
	}
	/* the resourceVersion continues after the maximum, which was a delete */
	{
		g_autoptr(RddObject) d = rdd_persist_test_widget(store, "d");
		g_assert_cmpuint(rdd_object_get_resource_version(d), ==, rv_before + 1);
	}
	/* a stale write from before the restart is still a conflict */
	{
		g_autoptr(JsonNode) node = rdd_object_dup_node(c);
		g_autoptr(RddObject) u = NULL;
		json_object_set_string_member(rdd_json_lookup_object(node, "spec"), "note", "x");
		u = rdd_store_update(store, node, NULL, &error);
		g_assert_no_error(error);
		g_clear_pointer(&u, rdd_object_unref);
		u = rdd_store_update(store, node, NULL, &error);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_clear_error(&error);
	}
	rdd_persist_test_close(store);

	/* the history does not survive: only "now" can be resumed */
	store = rdd_persist_test_store(t, NULL, TRUE);
	g_assert_cmpuint(rdd_store_get_oldest_resource_version(store), ==,
			 rdd_store_get_resource_version(store));
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_rv_after_deletes(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddKind *widget = rdd_persist_test_kind(store, "Widget");
	guint64 rv;

	/* many deletes after the last surviving write */
	for (guint i = 0; i < 10; i++) {
		g_autofree gchar *name = g_strdup_printf("w%u", i);
		rdd_object_unref(rdd_persist_test_widget(store, name));
	}
	for (guint i = 0; i < 10; i++) {
		g_autofree gchar *name = g_strdup_printf("w%u", i);
		rdd_object_unref(rdd_store_delete(store, widget, "ns1", name, NULL, &error));
		g_assert_no_error(error);
	}
	/* writes of a kind that is not persisted count too */
	rdd_object_unref(rdd_persist_test_create(store, "{'apiVersion':'test.rdd.io/v1','kind':'Mirror','metadata':{'namespace':'ns1',"
							"'name':'m'}}"));
	rv = rdd_store_get_resource_version(store);
	g_assert_true(rdd_store_flush(store, &error));
	g_assert_no_error(error);
	rdd_persist_test_close(store);

	store = rdd_persist_test_store(t, NULL, TRUE);
	g_assert_cmpuint(rdd_store_get_resource_version(store), >=, rv);
	widget = rdd_persist_test_kind(store, "Widget");
	g_assert_cmpuint(rdd_store_count(store, widget), ==, 0);
	{
		g_autoptr(RddObject) w = rdd_persist_test_widget(store, "w0");
		g_assert_cmpuint(rdd_object_get_resource_version(w), >, rv);
	}
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_not_persistent(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddKind *mirror = rdd_persist_test_kind(store, "Mirror");
	g_autoptr(RddObject) m = NULL;

	g_assert_false(rdd_kind_is_persistent(mirror));
	g_assert_true(rdd_kind_is_persistent(rdd_persist_test_kind(store, "Widget")));
	m = rdd_persist_test_create(store, "{'apiVersion':'test.rdd.io/v1','kind':'Mirror','metadata':{"
					   "'namespace':'ns1','name':'m'},'spec':{'source':'docker'}}");
	rdd_object_unref(rdd_persist_test_widget(store, "w"));
	g_assert_true(rdd_store_flush(store, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Mirror.test.rdd.io"), ==, 0);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 1);
	/* the mirrored object is a normal object while the store lives */
	{
		g_autoptr(RddObject) got = rdd_store_get(store, mirror, "ns1", "m", &error);
		g_assert_no_error(error);
		g_assert_true(got == m);
	}
	rdd_persist_test_close(store);

	store = rdd_persist_test_store(t, NULL, TRUE);
	mirror = rdd_persist_test_kind(store, "Mirror");
	g_assert_cmpuint(rdd_store_count(store, mirror), ==, 0);
	g_assert_cmpuint(rdd_store_count(store, rdd_persist_test_kind(store, "Widget")), ==, 1);
	rdd_persist_test_close(store);
}

typedef struct {
	RddPersistTest *t;
	gboolean done;
	gboolean ok;
	guint rows_seen;
	GError *error;
} RddPersistTestWait;

static void
rdd_persist_test_wait_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RddPersistTestWait *wait = user_data;
	wait->ok = rdd_store_wait_committed_finish(RDD_STORE(source), res, &wait->error);
	/* the row is visible to another connection: the transaction committed */
	if (wait->t != NULL)
		wait->rows_seen = rdd_persist_test_count_rows(wait->t, "Widget.test.rdd.io");
	wait->done = TRUE;
}

static void
rdd_persist_test_committed_cb(RddStore *store, guint64 rv, gpointer user_data)
{
	guint64 *last = user_data;
	*last = rv;
}

static void
rdd_persist_test_wait_committed(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	g_autoptr(RddObject) w = NULL;
	RddPersistTestWait wait = {.t = t};
	guint64 committed_signal = 0;
	guint64 rv;

	while (g_main_context_iteration(NULL, FALSE))
		;
	g_signal_connect(store, "committed", G_CALLBACK(rdd_persist_test_committed_cb), &committed_signal);
	w = rdd_persist_test_widget(store, "w");
	rv = rdd_object_get_resource_version(w);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(store), <, rv);
	/* not committed yet: another connection does not see it */
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 0);

	rdd_store_wait_committed_async(store, rv, NULL, rdd_persist_test_wait_cb, &wait);
	g_assert_false(wait.done);
	while (!wait.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(wait.error);
	g_assert_true(wait.ok);
	g_assert_cmpuint(wait.rows_seen, ==, 1);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(store), >=, rv);
	g_assert_cmpuint(committed_signal, ==, rv);

	/* a version already committed completes at once (from the main loop) */
	wait = (RddPersistTestWait){.t = NULL};
	rdd_store_wait_committed_async(store, rv, NULL, rdd_persist_test_wait_cb, &wait);
	while (!wait.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(wait.ok);

	/* several writes in one iteration commit together */
	{
		RddPersistTestWait w1 = {.t = t};
		RddPersistTestWait w2 = {.t = t};
		g_autoptr(RddObject) x = rdd_persist_test_widget(store, "x");
		g_autoptr(RddObject) y = rdd_persist_test_widget(store, "y");
		rdd_store_wait_committed_async(store, rdd_object_get_resource_version(y), NULL,
					       rdd_persist_test_wait_cb, &w2);
		rdd_store_wait_committed_async(store, rdd_object_get_resource_version(x), NULL,
					       rdd_persist_test_wait_cb, &w1);
		while (!w1.done || !w2.done)
			g_main_context_iteration(NULL, TRUE);
		g_assert_true(w1.ok);
		g_assert_true(w2.ok);
		g_assert_cmpuint(w1.rows_seen, ==, 3);
		g_assert_cmpuint(w2.rows_seen, ==, 3);
	}

	/* closing the database commits what waits */
	g_signal_handlers_disconnect_by_data(store, &committed_signal);
	{
		g_autoptr(RddObject) z = rdd_persist_test_widget(store, "z");
		wait = (RddPersistTestWait){.t = NULL};
		rdd_store_wait_committed_async(store, rdd_object_get_resource_version(z), NULL,
					       rdd_persist_test_wait_cb, &wait);
		rdd_store_close(store);
		g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 4);
		while (!wait.done)
			g_main_context_iteration(NULL, TRUE);
		g_assert_no_error(wait.error);
		g_assert_true(wait.ok);
	}
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_wait_memory_only(RddPersistTest *t, gconstpointer user_data)
{
	RddStore *store = rdd_persist_test_store(t, NULL, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) ns = NULL;
	RddPersistTestWait wait = {0};

	/* without a database a write is committed at the end of the iteration */
	g_assert_true(rdd_store_ensure_namespace(store, "ns1", NULL, &error));
	ns = rdd_store_lookup(store, rdd_persist_test_kind(store, "Namespace"), NULL, "ns1");
	rdd_store_wait_committed_async(store, rdd_object_get_resource_version(ns), NULL,
				       rdd_persist_test_wait_cb, &wait);
	while (!wait.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(wait.ok);
	g_assert_cmpuint(rdd_store_get_committed_resource_version(store), ==,
			 rdd_object_get_resource_version(ns));
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_corrupt(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *sub = g_path_get_dirname(t->db);
	g_autofree gchar *garbage = g_strnfill(8192, 'x');
	RddStore *store;

	/* not a database at all */
	g_assert_cmpint(g_mkdir_with_parents(sub, 0700), ==, 0);
	g_assert_true(g_file_set_contents(t->db, garbage, -1, &error));
	store = rdd_persist_test_store(t, NULL, FALSE);
	g_assert_false(rdd_store_open(store, t->db, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
	g_test_message("garbage file: %s", error->message);
	g_assert_nonnull(strstr(error->message, t->db));
	g_assert_nonnull(strstr(error->message, "not a database"));
	g_clear_error(&error);
	g_assert_finalize_object(store);
	g_unlink(t->db);

	/* a real database with a damaged page */
	{
		g_autofree gchar *contents = NULL;
		gsize len = 0;
		store = rdd_persist_test_store(t, NULL, TRUE);
		for (guint i = 0; i < 200; i++) {
			g_autofree gchar *name = g_strdup_printf("w%03u", i);
			rdd_object_unref(rdd_persist_test_widget(store, name));
		}
		rdd_persist_test_close(store);
		/* fold the WAL into the main file */
		g_free(rdd_persist_test_sql(t, "PRAGMA wal_checkpoint(TRUNCATE)"));
		g_assert_true(g_file_get_contents(t->db, &contents, &len, &error));
		g_assert_cmpuint(len, >, 4 * 4096);
		memset(contents + 2 * 4096 + 100, 0xA5, 2000);
		memset(contents + 3 * 4096 + 10, 0x5A, 3000);
		g_assert_true(g_file_set_contents(t->db, contents, len, &error));
		store = rdd_persist_test_store(t, NULL, FALSE);
		g_assert_false(rdd_store_open(store, t->db, &error));
		g_assert_nonnull(error);
		g_assert_true(error->domain == RDD_ERROR);
		g_test_message("damaged page: %s", error->message);
		g_assert_nonnull(strstr(error->message, t->db));
		g_assert_nonnull(strstr(error->message, "damaged"));
		g_clear_error(&error);
		g_assert_finalize_object(store);
	}

	/* a directory where the file should be */
	{
		g_autofree gchar *dir_db = g_build_filename(t->dir, "is-a-dir", NULL);
		g_assert_cmpint(g_mkdir_with_parents(dir_db, 0700), ==, 0);
		store = rdd_persist_test_store(t, NULL, FALSE);
		g_assert_false(rdd_store_open(store, dir_db, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
		g_assert_nonnull(strstr(error->message, dir_db));
		g_clear_error(&error);
		g_assert_finalize_object(store);
	}
	/* a database from a newer rdd */
	{
		g_unlink(t->db);
		store = rdd_persist_test_store(t, NULL, TRUE);
		rdd_persist_test_close(store);
		g_free(rdd_persist_test_sql(t, "UPDATE meta SET value = 2 WHERE name = 'schema'"));
		store = rdd_persist_test_store(t, NULL, FALSE);
		g_assert_false(rdd_store_open(store, t->db, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_SUPPORTED);
		g_assert_nonnull(strstr(error->message, "schema version 2"));
		g_clear_error(&error);
		g_assert_finalize_object(store);
	}
}

static void
rdd_persist_test_unknown_kind(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *only_widget[] = {"Widget", NULL};
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	g_autoptr(RddObject) g = rdd_persist_test_create(
		store, "{'apiVersion':'test.rdd.io/v1','kind':'Gadget','metadata':{'name':'g'}}");
	g_autofree gchar *json = g_strdup(rdd_object_get_json(g, NULL));

	rdd_object_unref(rdd_persist_test_widget(store, "w"));
	rdd_persist_test_close(store);

	/* a store without Gadget keeps working and leaves its rows alone */
	store = rdd_persist_test_store(t, only_widget, TRUE);
	g_assert_null(rdd_store_find_kind(store, "test.rdd.io/v1", "Gadget"));
	rdd_object_unref(rdd_persist_test_widget(store, "w2"));
	g_assert_true(rdd_store_flush(store, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Gadget.test.rdd.io"), ==, 1);
	rdd_persist_test_close(store);

	/* a later store with the kind gets the object back, also when registered after open */
	store = rdd_persist_test_store(t, only_widget, TRUE);
	{
		g_autoptr(GPtrArray) kinds = rdd_persist_test_kinds();
		for (guint i = 0; i < kinds->len; i++) {
			RddKind *kind = g_ptr_array_index(kinds, i);
			if (g_strcmp0(rdd_kind_get_name(kind), "Gadget") != 0)
				continue;
			g_assert_true(rdd_store_register_kind(store, kind, &error));
			g_assert_no_error(error);
			{
				g_autoptr(RddObject) back = rdd_store_lookup(store, kind, NULL, "g");
				g_assert_nonnull(back);
				g_assert_cmpstr(rdd_object_get_json(back, NULL), ==, json);
			}
		}
	}
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_bad_rows(RddPersistTest *t, gconstpointer user_data)
{
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	rdd_object_unref(rdd_persist_test_widget(store, "good"));
	rdd_persist_test_close(store);

	g_free(rdd_persist_test_sql(t, "INSERT INTO objects VALUES ('Widget.test.rdd.io', "
				       "'ns1/broken', 5, '{not json')"));
	g_free(rdd_persist_test_sql(t, "INSERT INTO objects VALUES ('Widget.test.rdd.io', "
				       "'ns1/nometa', 6, '{\"spec\":{}}')"));
	g_test_expect_message("RddCore", G_LOG_LEVEL_WARNING, "*skipping stored*ns1/broken*");
	g_test_expect_message("RddCore", G_LOG_LEVEL_WARNING, "*skipping stored*ns1/nometa*");
	store = rdd_persist_test_store(t, NULL, TRUE);
	g_test_assert_expected_messages();
	g_assert_cmpuint(rdd_store_count(store, rdd_persist_test_kind(store, "Widget")), ==, 1);
	rdd_persist_test_close(store);
	/* the rows are kept for a later version that may read them */
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 3);
}

static void
rdd_persist_test_gc_after_reopen(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddKind *widget = rdd_persist_test_kind(store, "Widget");
	g_autoptr(RddObject) owner = rdd_persist_test_widget(store, "owner");
	g_autoptr(RddObject) dep = rdd_persist_test_create(
		store,
		"{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		"'name':'dep','ownerReferences':[{'apiVersion':'test.rdd.io/v1','kind':'Widget',"
		"'name':'owner','uid':'%s'}]},'spec':{'color':'red'}}",
		rdd_object_get_uid(owner));
	g_autoptr(RddObject) held = rdd_persist_test_create(
		store, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'ns1',"
		       "'name':'held','finalizers':['test.rdd.io/hold']},'spec':{'color':'red'}}");

	/* the owner goes and the store closes before the GC ran */
	rdd_object_unref(rdd_store_delete(store, widget, "ns1", "owner", NULL, &error));
	g_assert_no_error(error);
	rdd_object_unref(rdd_store_delete(store, widget, "ns1", "held", NULL, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_persist_test_has(store, widget, "ns1", "dep"));
	rdd_store_close(store);
	g_assert_finalize_object(store);

	store = rdd_persist_test_store(t, NULL, TRUE);
	widget = rdd_persist_test_kind(store, "Widget");
	{
		g_autoptr(RddObject) h = rdd_store_lookup(store, widget, "ns1", "held");
		g_assert_nonnull(h);
		g_assert_true(rdd_object_is_deleting(h));
		g_assert_true(rdd_store_remove_finalizer(store, h, "test.rdd.io/hold", &error));
		g_assert_no_error(error);
		g_assert_null(rdd_store_lookup(store, widget, "ns1", "held"));
	}
	rdd_store_run_gc(store);
	g_assert_null(rdd_store_lookup(store, widget, "ns1", "dep"));
	rdd_persist_test_close(store);

	store = rdd_persist_test_store(t, NULL, TRUE);
	g_assert_cmpuint(rdd_store_count(store, rdd_persist_test_kind(store, "Widget")), ==, 0);
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_namespace_after_reopen(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddKind *ns_kind = rdd_persist_test_kind(store, "Namespace");
	RddKind *widget;

	g_assert_true(rdd_store_ensure_namespace(store, "doomed", NULL, &error));
	rdd_object_unref(rdd_persist_test_create(
		store, "{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{'namespace':'doomed',"
		       "'name':'held','finalizers':['test.rdd.io/hold']},'spec':{'color':'red'}}"));
	rdd_object_unref(rdd_store_delete(store, ns_kind, NULL, "doomed", NULL, &error));
	g_assert_no_error(error);
	rdd_store_run_gc(store);
	rdd_persist_test_close(store);

	store = rdd_persist_test_store(t, NULL, TRUE);
	ns_kind = rdd_persist_test_kind(store, "Namespace");
	widget = rdd_persist_test_kind(store, "Widget");
	{
		g_autoptr(RddObject) ns = rdd_store_lookup(store, ns_kind, NULL, "doomed");
		g_autoptr(RddObject) h = rdd_store_lookup(store, widget, "doomed", "held");
		g_assert_nonnull(ns);
		g_assert_true(rdd_object_is_deleting(ns));
		g_assert_cmpstr(rdd_object_get_field(ns, "status.phase"), ==, "Terminating");
		g_assert_nonnull(h);
		g_assert_true(rdd_store_remove_finalizer(store, h, "test.rdd.io/hold", &error));
		g_assert_no_error(error);
	}
	rdd_store_run_gc(store);
	g_assert_null(rdd_store_lookup(store, ns_kind, NULL, "doomed"));
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_open_twice(RddPersistTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	g_assert_false(rdd_store_open(store, t->db, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BUSY);
	g_clear_error(&error);
	/* after close, objects stay in memory; writes go nowhere */
	rdd_object_unref(rdd_persist_test_widget(store, "before"));
	rdd_store_close(store);
	g_assert_true(rdd_persist_test_has(store, rdd_persist_test_kind(store, "Widget"), "ns1", "before"));
	rdd_object_unref(rdd_persist_test_widget(store, "after"));
	g_assert_true(rdd_store_flush(store, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 1);
	rdd_persist_test_close(store);
}

static void
rdd_persist_test_set_true(gboolean *flag)
{
	*flag = TRUE;
}

/* iterates the main loop for @ms milliseconds */
static void
rdd_persist_test_iterate_for(guint ms)
{
	gboolean elapsed = FALSE;
	g_timeout_add_once(ms, (GSourceOnceFunc)rdd_persist_test_set_true, &elapsed);
	while (!elapsed)
		g_main_context_iteration(NULL, TRUE);
}

static void
rdd_persist_test_exec(sqlite3 *db, const gchar *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		g_test_fail_printf("%s: %s", sql, sqlite3_errmsg(db));
}

static void
rdd_persist_test_worker_commit(RddPersistTest *t, gconstpointer user_data)
{
	RddStore *store = rdd_persist_test_store(t, NULL, TRUE);
	RddPersistTestWait w1 = {0}, w2 = {0}, w3 = {0};
	g_autoptr(RddObject) a = NULL;
	g_autoptr(RddObject) b = NULL;
	g_autoptr(RddObject) c = NULL;
	g_autoptr(RddObject) c2 = NULL;
	sqlite3 *db = NULL;

	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpint(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);

	/* another connection holds the write lock: the worker's transaction waits for it while
	 * the main loop goes on serving */
	rdd_persist_test_exec(db, "BEGIN IMMEDIATE");
	a = rdd_persist_test_widget(store, "a");
	rdd_store_wait_committed_async(store, rdd_object_get_resource_version(a), NULL,
				       rdd_persist_test_wait_cb, &w1);
	rdd_persist_test_iterate_for(300);
	g_assert_false(w1.done);
	b = rdd_persist_test_widget(store, "b");
	g_assert_nonnull(b);
	rdd_store_wait_committed_async(store, rdd_object_get_resource_version(b), NULL,
				       rdd_persist_test_wait_cb, &w2);
	rdd_persist_test_iterate_for(100);
	g_assert_false(w1.done);
	g_assert_false(w2.done);
	rdd_persist_test_exec(db, "COMMIT");
	/* the first transaction held only a; b, written meanwhile, goes into the next */
	while (!w1.done || !w2.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(w1.error);
	g_assert_no_error(w2.error);
	g_assert_true(w1.ok && w2.ok);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 2);

	/* held past the busy timeout: the transaction fails, the write stays queued and
	 * unacknowledged, and the retry commits it once the lock is gone. A newer version written
	 * while the failed transaction was out is what gets stored, not the failed one's */
	rdd_persist_test_exec(db, "BEGIN IMMEDIATE");
	c = rdd_persist_test_widget(store, "c");
	rdd_persist_test_iterate_for(200);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_persist_test_json(
			"{'apiVersion':'test.rdd.io/v1','kind':'Widget','metadata':{"
			"'namespace':'ns1','name':'c'},'spec':{'color':'blue'}}");
		c2 = rdd_store_update(store, node, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(c2);
	}
	rdd_store_wait_committed_async(store, rdd_object_get_resource_version(c2), NULL,
				       rdd_persist_test_wait_cb, &w3);
	g_test_expect_message("RddCore",
			      G_LOG_LEVEL_WARNING,
			      "cannot commit to the database, retrying in * ms: *locked*");
	rdd_persist_test_iterate_for(5500);
	g_test_assert_expected_messages();
	g_assert_false(w3.done);
	rdd_persist_test_exec(db, "COMMIT");
	while (!w3.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(w3.error);
	g_assert_true(w3.ok);
	g_assert_cmpuint(rdd_persist_test_count_rows(t, "Widget.test.rdd.io"), ==, 3);
	{
		g_autofree gchar *rv = rdd_persist_test_sql(
			t, "SELECT rv FROM objects WHERE kind = 'Widget.test.rdd.io' AND key = 'ns1/c'");
		g_autofree gchar *want = g_strdup_printf("%" G_GUINT64_FORMAT,
							 rdd_object_get_resource_version(c2));
		g_assert_cmpstr(rv, ==, want);
	}
	sqlite3_close(db);
	rdd_persist_test_close(store);
}

/* a kind whose objects cannot be read is not registered at all, so nothing stored under it can
 * be replaced by a write that did not know about it */
static void
rdd_persist_test_load_fails(RddPersistTest *t, gconstpointer user_data)
{
	const gchar *const widget_only[] = {"Widget", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_persist_test_kinds();
	RddStore *store = rdd_persist_test_store(t, widget_only, TRUE);
	RddKind *gadget = NULL;
	g_autofree gchar *rc = NULL;

	for (guint i = 0; i < kinds->len; i++) {
		if (g_strcmp0(rdd_kind_get_name(g_ptr_array_index(kinds, i)), "Gadget") == 0)
			gadget = g_ptr_array_index(kinds, i);
	}
	g_assert_nonnull(gadget);
	g_assert_true(rdd_store_flush(store, &error));
	g_assert_no_error(error);

	/* the table is gone while the store runs: loading the kind fails */
	rc = rdd_persist_test_sql(t, "ALTER TABLE objects RENAME TO objects_away");
	g_assert_false(rdd_store_register_kind(store, gadget, &error));
	g_assert_nonnull(error);
	g_test_message("load error: %s", error->message);
	g_clear_error(&error);
	g_assert_null(rdd_store_find_kind(store, rdd_kind_get_api_version(gadget), "Gadget"));
	g_assert_null(rdd_store_lookup_kind(store, "test.rdd.io", "gadgets"));

	/* back: the kind registers as if the failure never happened */
	g_free(rdd_persist_test_sql(t, "ALTER TABLE objects_away RENAME TO objects"));
	g_assert_true(rdd_store_register_kind(store, gadget, &error));
	g_assert_no_error(error);
	g_assert_nonnull(rdd_store_find_kind(store, rdd_kind_get_api_version(gadget), "Gadget"));
	rdd_persist_test_close(store);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, func) \
	g_test_add(path, RddPersistTest, NULL, rdd_persist_test_setup, func, rdd_persist_test_teardown)
	ADD("/rdd/persist/reopen", rdd_persist_test_reopen);
	ADD("/rdd/persist/resource-version-after-deletes", rdd_persist_test_rv_after_deletes);
	ADD("/rdd/persist/not-persistent", rdd_persist_test_not_persistent);
	ADD("/rdd/persist/wait-committed", rdd_persist_test_wait_committed);
	ADD("/rdd/persist/wait-committed-memory", rdd_persist_test_wait_memory_only);
	ADD("/rdd/persist/corrupt", rdd_persist_test_corrupt);
	ADD("/rdd/persist/unknown-kind", rdd_persist_test_unknown_kind);
	ADD("/rdd/persist/bad-rows", rdd_persist_test_bad_rows);
	ADD("/rdd/persist/gc-after-reopen", rdd_persist_test_gc_after_reopen);
	ADD("/rdd/persist/namespace-after-reopen", rdd_persist_test_namespace_after_reopen);
	ADD("/rdd/persist/open-twice", rdd_persist_test_open_twice);
	ADD("/rdd/persist/worker-commit", rdd_persist_test_worker_commit);
	ADD("/rdd/persist/load-fails", rdd_persist_test_load_fails);
#undef ADD
	return g_test_run();
}
