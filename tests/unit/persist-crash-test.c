/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Kills persist-crash-writer (path in RDD_CRASH_WRITER) with SIGKILL at random moments and
 * checks after each kill that the database is sound and holds every acknowledged write.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-store.h"

#define RDD_CRASH_TEST_ROUNDS 24

/* what the test knows about one object, from the writer's output of every round so far */
typedef struct {
	gchar *name;
	gboolean acked_create;
	gboolean acked_delete;
	guint64 acked_rv;  /* the highest acknowledged write */
	gchar *acked_note; /* the note of the latest acknowledged write, "created" for a create */
	guint n_intents;   /* writes announced, acknowledged or not */
	guint n_acks;
	gboolean delete_intent;
} RddCrashObject;

typedef struct {
	GHashTable *objects; /* name -> RddCrashObject */
	guint64 max_acked_rv;
	guint n_acks;
	guint n_rounds_with_acks;
	gchar *dir;
	gchar *db;
	gchar *kinds;
	const gchar *writer;
} RddCrashTest;

static void
rdd_crash_object_free(RddCrashObject *obj)
{
	g_free(obj->name);
	g_free(obj->acked_note);
	g_free(obj);
}

static RddCrashObject *
rdd_crash_test_object(RddCrashTest *t, const gchar *name)
{
	RddCrashObject *obj = g_hash_table_lookup(t->objects, name);
	if (obj == NULL) {
		obj = g_new0(RddCrashObject, 1);
		obj->name = g_strdup(name);
		g_hash_table_insert(t->objects, obj->name, obj);
	}
	return obj;
}

/* reads the complete lines of one round's output */
static guint
rdd_crash_test_parse(RddCrashTest *t, const gchar *output)
{
	g_auto(GStrv) lines = g_strsplit(output, "\n", -1);
	guint n_acks = 0;
	guint n = g_strv_length(lines);

	/* the last piece has no newline: it may be cut short by the kill */
	for (guint i = 0; i + 1 < n; i++) {
		g_auto(GStrv) words = g_strsplit(lines[i], " ", -1);
		guint n_words = g_strv_length(words);
		RddCrashObject *obj;

		if (n_words == 0 || g_strcmp0(words[0], "ready") == 0)
			continue;
		if (g_strcmp0(words[0], "error") == 0) {
			g_test_fail_printf("the writer failed: %s", lines[i]);
			continue;
		}
		g_assert_cmpuint(n_words, >=, 3);
		obj = rdd_crash_test_object(t, words[2]);
		if (g_strcmp0(words[0], "intent") == 0) {
			obj->n_intents++;
			if (g_strcmp0(words[1], "delete") == 0)
				obj->delete_intent = TRUE;
			continue;
		}
		g_assert_cmpstr(words[0], ==, "ack");
		g_assert_cmpuint(n_words, >=, 4);
		g_assert_true(g_str_has_prefix(words[3], "rv="));
		{
			guint64 rv = g_ascii_strtoull(words[3] + 3, NULL, 10);
			g_assert_cmpuint(rv, >, 0);
			obj->n_acks++;
			n_acks++;
			t->max_acked_rv = MAX(t->max_acked_rv, rv);
			if (g_strcmp0(words[1], "create") == 0) {
				obj->acked_create = TRUE;
			} else if (g_strcmp0(words[1], "delete") == 0) {
				obj->acked_delete = TRUE;
			} else {
				g_assert_cmpstr(words[1], ==, "update");
				g_assert_cmpuint(n_words, ==, 5);
			}
			if (rv > obj->acked_rv) {
				obj->acked_rv = rv;
				g_free(obj->acked_note);
				obj->acked_note = g_strcmp0(words[1], "update") == 0 ?
							  g_strdup(words[4] + strlen("note=")) :
							  g_strdup("created");
			}
		}
	}
	return n_acks;
}

static gboolean
rdd_crash_test_integrity(RddCrashTest *t)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	gboolean ok = FALSE;

	g_assert_cmpint(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		const gchar *row = (const gchar *)sqlite3_column_text(stmt, 0);
		ok = g_strcmp0(row, "ok") == 0;
		if (!ok)
			g_test_message("integrity_check: %s", row);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return ok;
}

/* opens the database with a fresh store and checks every acknowledged write */
static void
rdd_crash_test_verify(RddCrashTest *t, guint round)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddStore) store = rdd_store_new();
	g_autoptr(GPtrArray) kinds = NULL;
	g_autofree gchar *yaml = NULL;
	g_autoptr(RddListResult) all = NULL;
	RddKind *widget = NULL;
	GHashTableIter iter;
	RddCrashObject *expected;

	g_assert_true(g_file_get_contents(t->kinds, &yaml, NULL, &error));
	kinds = rdd_kind_new_from_yaml(yaml, -1, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		if (g_strcmp0(rdd_kind_get_name(kind), "Widget") != 0)
			continue;
		g_assert_true(rdd_store_register_kind(store, kind, &error));
		widget = kind;
	}
	/* rdd_store_open runs SQLite's quick_check */
	g_assert_true(rdd_store_open(store, t->db, &error));
	g_assert_no_error(error);
	if (!rdd_crash_test_integrity(t))
		g_test_fail_printf("round %u: the database failed PRAGMA integrity_check", round);

	g_assert_cmpuint(rdd_store_get_resource_version(store), >=, t->max_acked_rv);

	g_hash_table_iter_init(&iter, t->objects);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&expected)) {
		g_autoptr(RddObject) obj = rdd_store_lookup(store, widget, "ns1", expected->name);
		if (expected->acked_delete) {
			if (obj != NULL)
				g_test_fail_printf("round %u: %s was deleted (acknowledged) but is there",
						   round, expected->name);
			continue;
		}
		if (expected->n_acks == 0)
			continue; /* nothing promised: it may or may not be there */
		if (obj == NULL) {
			/* only a delete, committed but not yet acknowledged, may have removed it */
			if (!expected->delete_intent)
				g_test_fail_printf("round %u: %s (acknowledged at rv %" G_GUINT64_FORMAT ") is missing",
						   round, expected->name, expected->acked_rv);
			continue;
		}
		if (rdd_object_get_resource_version(obj) < expected->acked_rv) {
			g_test_fail_printf("round %u: %s is at rv %" G_GUINT64_FORMAT
					   ", older than the acknowledged %" G_GUINT64_FORMAT,
					   round, expected->name,
					   rdd_object_get_resource_version(obj), expected->acked_rv);
			continue;
		}
		if (rdd_object_get_resource_version(obj) == expected->acked_rv) {
			g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
			const gchar *note = rdd_json_lookup_string(node, "spec.note");
			if (g_strcmp0(note, expected->acked_note) != 0)
				g_test_fail_printf("round %u: %s says %s at rv %" G_GUINT64_FORMAT
						   ", the acknowledged write said %s",
						   round, expected->name, note, expected->acked_rv,
						   expected->acked_note);
		} else if (expected->n_intents <= expected->n_acks) {
			/* newer than the last acknowledged write: some later write must exist */
			g_test_fail_printf("round %u: %s is at rv %" G_GUINT64_FORMAT
					   " but no write after rv %" G_GUINT64_FORMAT " was announced",
					   round, expected->name,
					   rdd_object_get_resource_version(obj), expected->acked_rv);
		}
	}

	/* nothing appears that was never written */
	all = rdd_store_list(store, widget, NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < all->items->len; i++) {
		RddObject *obj = g_ptr_array_index(all->items, i);
		RddCrashObject *known = g_hash_table_lookup(t->objects, rdd_object_get_name(obj));
		if (known == NULL || known->n_intents == 0)
			g_test_fail_printf("round %u: %s was never written", round, rdd_object_get_name(obj));
	}
	rdd_store_close(store);
}

static void
rdd_crash_test_rounds(void)
{
	g_autoptr(GError) error = NULL;
	const gchar *srcdir = g_getenv("RDD_TEST_SRCDIR");
	RddCrashTest t = {0};
	gdouble budget = g_test_perf() ? 120 : 25;

	t.writer = g_getenv("RDD_CRASH_WRITER");
	if (t.writer == NULL) {
		g_test_skip("RDD_CRASH_WRITER is not set");
		return;
	}
	t.objects = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)rdd_crash_object_free);
	t.dir = g_dir_make_tmp("rdd-crash-test-XXXXXX", &error);
	g_assert_no_error(error);
	t.db = g_build_filename(t.dir, "objects.db", NULL);
	t.kinds = srcdir != NULL ?
			  g_build_filename(srcdir, "data", "store-kinds.yaml", NULL) :
			  g_build_filename(RDD_SOURCE_ROOT, "tests", "data", "store-kinds.yaml", NULL);

	g_test_timer_start();
	for (guint round = 0; round < RDD_CRASH_TEST_ROUNDS; round++) {
		g_autoptr(GSubprocess) proc = NULL;
		g_autofree gchar *round_text = g_strdup_printf("%u", round);
		g_autofree gchar *output = NULL;
		guint delay_ms = g_test_rand_int_range(20, 301);
		guint n_acks;

		proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, t.writer, t.db,
					t.kinds, round_text, NULL);
		g_assert_no_error(error);
		g_usleep(delay_ms * 1000);
		g_subprocess_send_signal(proc, SIGKILL);
		/* reads until the pipe closes: everything written before the kill */
		g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &output, NULL, &error));
		g_assert_no_error(error);
		if (!g_subprocess_get_if_signaled(proc) || g_subprocess_get_term_sig(proc) != SIGKILL) {
			g_test_fail_printf("round %u: the writer ended on its own: %s", round, output);
			break;
		}
		n_acks = rdd_crash_test_parse(&t, output);
		t.n_acks += n_acks;
		if (n_acks > 0)
			t.n_rounds_with_acks++;
		g_test_message("round %u: killed after %u ms, %u acknowledged writes, max rv %" G_GUINT64_FORMAT,
			       round, delay_ms, n_acks, t.max_acked_rv);
		rdd_crash_test_verify(&t, round);
		if (g_test_failed())
			break;
		if (g_test_timer_elapsed() > budget) {
			g_test_message("stopping after %u rounds: time budget used", round + 1);
			break;
		}
	}
	/* the test proves nothing unless writes were acknowledged before kills */
	g_test_message("%u acknowledged writes over %u rounds with acknowledgements, %u objects",
		       t.n_acks, t.n_rounds_with_acks, g_hash_table_size(t.objects));
	g_assert_cmpuint(t.n_rounds_with_acks, >=, 10);
	g_assert_cmpuint(t.n_acks, >=, 100);

	{
		g_autofree gchar *wal = g_strconcat(t.db, "-wal", NULL);
		g_autofree gchar *shm = g_strconcat(t.db, "-shm", NULL);
		g_remove(wal);
		g_remove(shm);
		g_remove(t.db);
		g_rmdir(t.dir);
	}
	g_hash_table_unref(t.objects);
	g_free(t.dir);
	g_free(t.db);
	g_free(t.kinds);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/persist/crash", rdd_crash_test_rounds);
	return g_test_run();
}
