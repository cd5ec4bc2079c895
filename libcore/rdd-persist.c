/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rdd-error.h"
#include "rdd-persist.h"

/* one queued write; the JSON belongs to an object kept alive by json_owner */
typedef struct {
	gchar *kind;
	gchar *key;
	guint64 rv;
	const gchar *json; /* NULL for a delete */
	gsize length;
	GDestroyNotify json_owner_unref;
	gpointer json_owner;
} RddPersistOp;

/* the writes of one transaction, taken from the queue; written by rdd_persist_write(),
 * possibly in another thread, while the queue fills again */
struct _RddPersistBatch {
	GHashTable *ops; /* "kind\nkey" -> RddPersistOp */
	guint64 rv;
	gboolean written; /* under the persist's lock */
	gboolean ok;
	GError *error; /* why the transaction failed */
};

struct _RddPersist {
	sqlite3 *db;
	sqlite3_stmt *put;
	sqlite3_stmt *del;
	sqlite3_stmt *meta;
	guint64 rv;
	GHashTable *pending; /* "kind\nkey" -> RddPersistOp */
	/* the connection is opened SQLITE_OPEN_NOMUTEX: every use holds @lock */
	GMutex lock;
	GCond written;
	RddPersistBatch *busy; /* taken by rdd_persist_begin(), not yet ended */
};

static void
rdd_persist_op_free(RddPersistOp *op)
{
	if (op->json_owner_unref != NULL && op->json_owner != NULL)
		op->json_owner_unref(op->json_owner);
	g_free(op->kind);
	g_free(op->key);
	g_free(op);
}

static GHashTable *
rdd_persist_new_ops(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)rdd_persist_op_free);
}

static gboolean
rdd_persist_exec(RddPersist *self, const gchar *sql, GError **error)
{
	gchar *msg = NULL;
	if (sqlite3_exec(self->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "database statement failed: %s",
			    msg != NULL ? msg : sqlite3_errmsg(self->db));
		sqlite3_free(msg);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_persist_prepare(RddPersist *self, const gchar *sql, sqlite3_stmt **stmt, GError **error)
{
	if (sqlite3_prepare_v2(self->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot prepare database statement: %s",
			    sqlite3_errmsg(self->db));
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_persist_free:
 * @self: (nullable): a database
 *
 * Closes the database; pending writes that were not committed are dropped.
 */
void
rdd_persist_free(RddPersist *self)
{
	if (self == NULL)
		return;
	/* a batch being written in another thread finishes first; its writes then count as
	 * ended (committed or, when they failed, lost with the rest of the queue) */
	if (self->busy != NULL) {
		rdd_persist_wait(self);
		g_hash_table_unref(self->busy->ops);
		g_clear_error(&self->busy->error);
		g_clear_pointer(&self->busy, g_free);
	}
	sqlite3_finalize(self->put);
	sqlite3_finalize(self->del);
	sqlite3_finalize(self->meta);
	if (self->db != NULL)
		sqlite3_close(self->db);
	g_hash_table_unref(self->pending);
	g_mutex_clear(&self->lock);
	g_cond_clear(&self->written);
	g_free(self);
}

/**
 * rdd_persist_open:
 * @path: the database file; its directory is created with mode 0700
 * @synchronous_full: fsync every commit (power-loss safe) rather than only on checkpoints
 * @error: return location for an error
 *
 * Opens (creating when missing) the object database in WAL mode and checks its integrity.
 *
 * Returns: (transfer full): the database, or %NULL
 */
RddPersist *
rdd_persist_open(const gchar *path, gboolean synchronous_full, GError **error)
{
	g_autoptr(RddPersist) self = g_new0(RddPersist, 1);
	g_autofree gchar *dir = g_path_get_dirname(path);
	sqlite3_stmt *stmt = NULL;
	gint rc;

	self->pending = rdd_persist_new_ops();
	g_mutex_init(&self->lock);
	g_cond_init(&self->written);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot create database directory %s: %s",
			    dir,
			    g_strerror(errno));
		return NULL;
	}
	rc = sqlite3_open_v2(path,
			     &self->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot open database %s: %s",
			    path,
			    self->db != NULL ? sqlite3_errmsg(self->db) : sqlite3_errstr(rc));
		return NULL;
	}
	sqlite3_busy_timeout(self->db, 5000);
	/* the first statement reads the file: name it when it is not a database */
	if (!rdd_persist_exec(self, "PRAGMA journal_mode=WAL", error)) {
		g_prefix_error(error, "cannot open database %s: ", path);
		return NULL;
	}
	if (!rdd_persist_exec(self,
			      synchronous_full ? "PRAGMA synchronous=FULL"
					       : "PRAGMA synchronous=NORMAL",
			      error)) {
		g_prefix_error(error, "cannot open database %s: ", path);
		return NULL;
	}
	if (!rdd_persist_check(self, error)) {
		g_prefix_error(error, "database %s is damaged: ", path);
		return NULL;
	}
	if (!rdd_persist_exec(self,
			      "CREATE TABLE IF NOT EXISTS objects ("
			      " kind TEXT NOT NULL,"
			      " key TEXT NOT NULL,"
			      " rv INTEGER NOT NULL,"
			      " json TEXT NOT NULL,"
			      " PRIMARY KEY (kind, key)) WITHOUT ROWID;"
			      "CREATE TABLE IF NOT EXISTS meta ("
			      " name TEXT PRIMARY KEY,"
			      " value INTEGER NOT NULL);"
			      "INSERT OR IGNORE INTO meta VALUES ('schema', 1);"
			      "INSERT OR IGNORE INTO meta VALUES ('resourceVersion', 0);",
			      error)) {
		g_prefix_error(error, "cannot set up database %s: ", path);
		return NULL;
	}
	if (!rdd_persist_prepare(self, "SELECT value FROM meta WHERE name = 'schema'", &stmt, error))
		return NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int64(stmt, 0) != 1) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_SUPPORTED,
			    "database %s has schema version %" G_GINT64_FORMAT
			    ", this rdd understands version 1",
			    path,
			    (gint64)sqlite3_column_int64(stmt, 0));
		sqlite3_finalize(stmt);
		return NULL;
	}
	sqlite3_finalize(stmt);
	/* the highest resourceVersion ever handed out: meta covers deletes, rows cover the rest */
	if (!rdd_persist_prepare(self,
				 "SELECT MAX((SELECT value FROM meta WHERE name = 'resourceVersion'),"
				 " IFNULL((SELECT MAX(rv) FROM objects), 0))",
				 &stmt,
				 error))
		return NULL;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		self->rv = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);

	if (!rdd_persist_prepare(self,
				 "INSERT OR REPLACE INTO objects (kind, key, rv, json) VALUES (?, ?, ?, ?)",
				 &self->put,
				 error))
		return NULL;
	if (!rdd_persist_prepare(self,
				 "DELETE FROM objects WHERE kind = ? AND key = ?",
				 &self->del,
				 error))
		return NULL;
	if (!rdd_persist_prepare(self,
				 "UPDATE meta SET value = MAX(value, ?) WHERE name = 'resourceVersion'",
				 &self->meta,
				 error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * rdd_persist_check:
 * @self: a database
 * @error: return location for an error
 *
 * Runs SQLite's quick integrity check.
 *
 * Returns: %TRUE when the database is sound
 */
gboolean
rdd_persist_check(RddPersist *self, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	gboolean ok = TRUE;

	if (!rdd_persist_prepare(self, "PRAGMA quick_check", &stmt, error))
		return FALSE;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const gchar *row = (const gchar *)sqlite3_column_text(stmt, 0);
		if (g_strcmp0(row, "ok") != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "integrity check: %s", row);
			ok = FALSE;
			break;
		}
	}
	sqlite3_finalize(stmt);
	return ok;
}

/**
 * rdd_persist_get_resource_version:
 * @self: a database
 *
 * Returns: the highest resourceVersion committed
 */
guint64
rdd_persist_get_resource_version(RddPersist *self)
{
	return self->rv;
}

/**
 * rdd_persist_load_kind:
 * @self: a database
 * @kind: the qualified kind name
 * @func: called once per stored object
 * @user_data: user data
 * @error: return location for an error
 *
 * Returns: %TRUE when every row was handed to @func
 */
gboolean
rdd_persist_load_kind(RddPersist *self,
		      const gchar *kind,
		      RddPersistLoadFunc func,
		      gpointer user_data,
		      GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);
	sqlite3_stmt *stmt = NULL;
	gint rc;

	if (!rdd_persist_prepare(self,
				 "SELECT key, rv, json FROM objects WHERE kind = ? ORDER BY key",
				 &stmt,
				 error))
		return FALSE;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const gchar *key = (const gchar *)sqlite3_column_text(stmt, 0);
		guint64 rv = sqlite3_column_int64(stmt, 1);
		const gchar *json = (const gchar *)sqlite3_column_text(stmt, 2);
		gsize length = sqlite3_column_bytes(stmt, 2);
		if (!func(key, rv, json, length, user_data, error)) {
			sqlite3_finalize(stmt);
			return FALSE;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot read stored %s objects: %s",
			    kind,
			    sqlite3_errmsg(self->db));
		return FALSE;
	}
	return TRUE;
}

static void
rdd_persist_queue(RddPersist *self, RddPersistOp *op)
{
	g_hash_table_replace(self->pending, g_strdup_printf("%s\n%s", op->kind, op->key), op);
}

/**
 * rdd_persist_put:
 * @self: a database
 * @kind: the qualified kind name
 * @key: the object key
 * @rv: its resourceVersion
 * @json: its JSON, kept alive by @json_owner until the write is committed
 * @length: length of @json
 * @json_owner_unref: releases @json_owner
 * @json_owner: (transfer full): whatever owns @json
 *
 * Queues a write for the next commit; a later write of the same key replaces it.
 */
void
rdd_persist_put(RddPersist *self,
		const gchar *kind,
		const gchar *key,
		guint64 rv,
		const gchar *json,
		gsize length,
		GDestroyNotify json_owner_unref,
		gpointer json_owner)
{
	RddPersistOp *op = g_new0(RddPersistOp, 1);
	op->kind = g_strdup(kind);
	op->key = g_strdup(key);
	op->rv = rv;
	op->json = json;
	op->length = length;
	op->json_owner_unref = json_owner_unref;
	op->json_owner = json_owner;
	rdd_persist_queue(self, op);
}

/**
 * rdd_persist_delete:
 * @self: a database
 * @kind: the qualified kind name
 * @key: the object key
 *
 * Queues a delete for the next commit.
 */
void
rdd_persist_delete(RddPersist *self, const gchar *kind, const gchar *key)
{
	RddPersistOp *op = g_new0(RddPersistOp, 1);
	op->kind = g_strdup(kind);
	op->key = g_strdup(key);
	rdd_persist_queue(self, op);
}

/**
 * rdd_persist_has_pending:
 * @self: a database
 *
 * Returns: %TRUE when writes wait for a commit
 */
gboolean
rdd_persist_has_pending(RddPersist *self)
{
	return g_hash_table_size(self->pending) > 0;
}

static gboolean
rdd_persist_step(RddPersist *self, sqlite3_stmt *stmt, GError **error)
{
	gint rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE) {
		g_set_error(error,
			    RDD_ERROR,
			    rc == SQLITE_FULL ? RDD_ERROR_BUSY : RDD_ERROR_INTERNAL,
			    "database write failed: %s",
			    sqlite3_errmsg(self->db));
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_persist_begin:
 * @self: a database
 * @rv: the store's resourceVersion, recorded so that deletes never lower it
 *
 * Takes every queued write into a batch for one transaction; the queue starts empty again.
 * Only one batch exists at a time: end it with rdd_persist_end() before the next.
 *
 * Returns: (transfer none): the batch, owned by @self until rdd_persist_end()
 */
RddPersistBatch *
rdd_persist_begin(RddPersist *self, guint64 rv)
{
	RddPersistBatch *batch;

	g_return_val_if_fail(self->busy == NULL, NULL);
	batch = g_new0(RddPersistBatch, 1);
	batch->ops = g_steal_pointer(&self->pending);
	batch->rv = rv;
	self->pending = rdd_persist_new_ops();
	self->busy = batch;
	return batch;
}

/* one transaction for @batch; on failure it is rolled back */
static gboolean
rdd_persist_write_locked(RddPersist *self, RddPersistBatch *batch, GError **error)
{
	GHashTableIter iter;
	RddPersistOp *op;

	if (!rdd_persist_exec(self, "BEGIN IMMEDIATE", error))
		return FALSE;
	g_hash_table_iter_init(&iter, batch->ops);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&op)) {
		sqlite3_stmt *stmt = op->json != NULL ? self->put : self->del;
		sqlite3_bind_text(stmt, 1, op->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, op->key, -1, SQLITE_STATIC);
		if (op->json != NULL) {
			sqlite3_bind_int64(stmt, 3, (sqlite3_int64)op->rv);
			sqlite3_bind_text(stmt, 4, op->json, (gint)op->length, SQLITE_STATIC);
		}
		if (!rdd_persist_step(self, stmt, error)) {
			rdd_persist_exec(self, "ROLLBACK", NULL);
			return FALSE;
		}
	}
	sqlite3_bind_int64(self->meta, 1, (sqlite3_int64)batch->rv);
	if (!rdd_persist_step(self, self->meta, error) || !rdd_persist_exec(self, "COMMIT", error)) {
		rdd_persist_exec(self, "ROLLBACK", NULL);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_persist_write:
 * @self: a database
 * @batch: the batch from rdd_persist_begin()
 * @error: return location for an error
 *
 * Writes @batch in one transaction. May run in any thread (one at a time): it touches only
 * the database and the batch, never the queue.
 *
 * Returns: %TRUE when the transaction committed; on failure nothing was written
 */
gboolean
rdd_persist_write(RddPersist *self, RddPersistBatch *batch, GError **error)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);
	g_autoptr(GError) error_local = NULL;
	gboolean ok = rdd_persist_write_locked(self, batch, &error_local);

	if (!ok) {
		g_clear_error(&batch->error);
		batch->error = g_error_copy(error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
	}
	batch->ok = ok;
	batch->written = TRUE;
	g_cond_broadcast(&self->written);
	return ok;
}

/**
 * rdd_persist_wait:
 * @self: a database
 *
 * Blocks until the batch being written in another thread, if any, has been written.
 */
void
rdd_persist_wait(RddPersist *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);
	while (self->busy != NULL && !self->busy->written)
		g_cond_wait(&self->written, &self->lock);
}

/**
 * rdd_persist_end:
 * @self: a database
 * @batch: the written batch
 * @error: return location for the error of a failed transaction
 *
 * Releases a written batch. When its transaction failed, its writes go back to the queue
 * (behind newer writes of the same keys) for the next attempt.
 *
 * Returns: %TRUE when the batch committed
 */
gboolean
rdd_persist_end(RddPersist *self, RddPersistBatch *batch, GError **error)
{
	gboolean ok;

	g_return_val_if_fail(self->busy == batch, FALSE);
	g_return_val_if_fail(batch->written, FALSE);
	ok = batch->ok;
	if (!ok) {
		if (batch->error != NULL)
			g_propagate_error(error, g_steal_pointer(&batch->error));
		else
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "the transaction failed");
	}
	if (ok) {
		self->rv = MAX(self->rv, batch->rv);
	} else {
		GHashTableIter iter;
		gchar *key;
		RddPersistOp *op;
		g_hash_table_iter_init(&iter, batch->ops);
		while (g_hash_table_iter_next(&iter, (gpointer *)&key, (gpointer *)&op)) {
			if (g_hash_table_contains(self->pending, key))
				continue;
			g_hash_table_iter_steal(&iter);
			g_hash_table_insert(self->pending, key, op);
		}
	}
	g_hash_table_unref(batch->ops);
	g_clear_error(&batch->error);
	g_free(batch);
	self->busy = NULL;
	return ok;
}

/**
 * rdd_persist_commit:
 * @self: a database
 * @rv: the store's resourceVersion, recorded so that deletes never lower it
 * @error: return location for an error
 *
 * Writes every queued change in one transaction, in this thread. On failure nothing is
 * written and the queue is kept for the next attempt. Must not be called while a batch is
 * out (between rdd_persist_begin() and rdd_persist_end()).
 *
 * Returns: %TRUE when the transaction committed
 */
gboolean
rdd_persist_commit(RddPersist *self, guint64 rv, GError **error)
{
	RddPersistBatch *batch;

	g_return_val_if_fail(self->busy == NULL, FALSE);
	batch = rdd_persist_begin(self, rv);
	rdd_persist_write(self, batch, NULL);
	return rdd_persist_end(self, batch, error);
}
