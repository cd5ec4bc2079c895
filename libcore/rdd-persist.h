/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Private to libcore: the SQLite write-through behind RddStore.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RddPersist RddPersist;
typedef struct _RddPersistBatch RddPersistBatch;

/**
 * RddPersistLoadFunc:
 * @key: `namespace/name` or `name`
 * @rv: the stored resourceVersion
 * @json: the stored JSON
 * @length: its length
 * @user_data: user data
 * @error: return location for an error
 *
 * Returns: %FALSE to stop loading with @error set
 */
typedef gboolean (*RddPersistLoadFunc)(const gchar *key,
				       guint64 rv,
				       const gchar *json,
				       gsize length,
				       gpointer user_data,
				       GError **error);

RddPersist *
rdd_persist_open(const gchar *path, gboolean synchronous_full, GError **error);
void
rdd_persist_free(RddPersist *self);
guint64
rdd_persist_get_resource_version(RddPersist *self);
gboolean
rdd_persist_load_kind(RddPersist *self,
		      const gchar *kind,
		      RddPersistLoadFunc func,
		      gpointer user_data,
		      GError **error);
void
rdd_persist_put(RddPersist *self,
		const gchar *kind,
		const gchar *key,
		guint64 rv,
		const gchar *json,
		gsize length,
		GDestroyNotify json_owner_unref,
		gpointer json_owner);
void
rdd_persist_delete(RddPersist *self, const gchar *kind, const gchar *key);
gboolean
rdd_persist_has_pending(RddPersist *self);
gboolean
rdd_persist_commit(RddPersist *self, guint64 rv, GError **error);
RddPersistBatch *
rdd_persist_begin(RddPersist *self, guint64 rv);
gboolean
rdd_persist_write(RddPersist *self, RddPersistBatch *batch, GError **error);
void
rdd_persist_wait(RddPersist *self);
gboolean
rdd_persist_end(RddPersist *self, RddPersistBatch *batch, GError **error);
gboolean
rdd_persist_check(RddPersist *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddPersist, rdd_persist_free)

G_END_DECLS
