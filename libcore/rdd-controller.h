/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gio/gio.h>

#include "rdd-kind.h"
#include "rdd-object.h"
#include "rdd-store.h"

G_BEGIN_DECLS

#define RDD_TYPE_CONTROLLER (rdd_controller_get_type())
G_DECLARE_FINAL_TYPE(RddController, rdd_controller, RDD, CONTROLLER, GObject)

/**
 * RddReconcile:
 *
 * One reconcile (or finalize) run for one key (kind, namespace, name). It is valid during the
 * vtable call; a controller that finishes asynchronously takes a reference with
 * rdd_reconcile_defer() and calls rdd_reconcile_complete() later.
 *
 * Since: 0.1
 */
typedef struct _RddReconcile RddReconcile;

/**
 * RddControllerVTable:
 * @struct_size: `sizeof (RddControllerVTable)` as the plugin was compiled; entries beyond it are
 *   treated as %NULL, so the table can grow without breaking old plugins
 * @setup: (nullable): called once when the controller starts, before the first reconcile
 * @reconcile: (nullable): called with each queued key whose object exists and is not being
 *   deleted, and with keys whose object is gone (rdd_reconcile_get_object() returns %NULL)
 * @finalize: (nullable): called for an object being deleted that still carries the
 *   controller's finalizer (see rdd_controller_set_finalizer()); on success the runtime removes
 *   the finalizer, unless the run asked to be requeued (rdd_reconcile_requeue_after()): then
 *   cleanup is not finished and finalize runs again after the delay
 *
 * The controller's behaviour. Every entry is optional. A function returns %TRUE on success,
 * or %FALSE with @error set; the key is then retried with capped exponential backoff.
 *
 * Since: 0.1
 */
typedef struct {
	gsize struct_size;
	gboolean (*setup)(RddController *controller, gpointer user_data, GError **error);
	gboolean (*reconcile)(RddController *controller,
			      RddReconcile *reconcile,
			      gpointer user_data,
			      GError **error);
	gboolean (*finalize)(RddController *controller,
			     RddReconcile *reconcile,
			     gpointer user_data,
			     GError **error);
	/*< private >*/
	gpointer reserved[5];
} RddControllerVTable;

/**
 * RddControllerMapFunc:
 * @controller: the controller
 * @object: an object of a watched kind that changed
 * @user_data: user data
 *
 * Maps a change of a watched (secondary) kind to keys of the controller's primary kind by
 * calling rdd_controller_enqueue().
 *
 * Since: 0.1
 */
typedef void (*RddControllerMapFunc)(RddController *controller, RddObject *object, gpointer user_data);

/**
 * RDD_CONTROLLER_DEFAULT_DEADLINE_MS:
 *
 * How long one reconcile may take before it is cancelled and retried.
 *
 * Since: 0.1
 */
#define RDD_CONTROLLER_DEFAULT_DEADLINE_MS 60000

RddController *
rdd_controller_new(const gchar *name,
		   const gchar *group,
		   RddKind *kind,
		   const RddControllerVTable *vtable,
		   gpointer user_data,
		   GDestroyNotify destroy);
const gchar *
rdd_controller_get_name(RddController *self);
const gchar *
rdd_controller_get_group(RddController *self);
RddKind *
rdd_controller_get_kind(RddController *self);
RddStore *
rdd_controller_get_store(RddController *self);
const gchar *
rdd_controller_get_plugin(RddController *self);
void
rdd_controller_set_plugin(RddController *self, const gchar *plugin);
void
rdd_controller_set_finalizer(RddController *self, const gchar *finalizer);
const gchar *
rdd_controller_get_finalizer(RddController *self);
void
rdd_controller_set_backoff(RddController *self, guint base_ms, guint max_ms);
void
rdd_controller_set_deadline(RddController *self, guint deadline_ms);
void
rdd_controller_watch(RddController *self,
		     RddKind *kind,
		     RddControllerMapFunc map,
		     gpointer user_data);

gboolean
rdd_controller_start(RddController *self, RddStore *store, GError **error);
void
rdd_controller_stop(RddController *self);
gboolean
rdd_controller_is_running(RddController *self);
void
rdd_controller_enqueue(RddController *self, const gchar *namespace, const gchar *name);
void
rdd_controller_enqueue_after(RddController *self,
			     const gchar *namespace,
			     const gchar *name,
			     guint delay_ms);
void
rdd_controller_enqueue_all(RddController *self);

guint
rdd_controller_get_queue_length(RddController *self);
guint64
rdd_controller_get_reconcile_count(RddController *self);
guint64
rdd_controller_get_error_count(RddController *self);
const gchar *
rdd_controller_get_last_error(RddController *self);
gint64
rdd_controller_get_last_duration(RddController *self);
gboolean
rdd_controller_is_idle(RddController *self);

gboolean
rdd_controller_selection_enabled(const gchar *spec, const gchar *name, const gchar *group);

const gchar *
rdd_reconcile_get_namespace(RddReconcile *self);
const gchar *
rdd_reconcile_get_name(RddReconcile *self);
RddObject *
rdd_reconcile_get_object(RddReconcile *self);
RddStore *
rdd_reconcile_get_store(RddReconcile *self);
RddController *
rdd_reconcile_get_controller(RddReconcile *self);
GCancellable *
rdd_reconcile_get_cancellable(RddReconcile *self);
void
rdd_reconcile_requeue_after(RddReconcile *self, guint delay_ms);
RddReconcile *
rdd_reconcile_defer(RddReconcile *self);
void
rdd_reconcile_complete(RddReconcile *self, const GError *error);
RddReconcile *
rdd_reconcile_ref(RddReconcile *self);
void
rdd_reconcile_unref(RddReconcile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddReconcile, rdd_reconcile_unref)

G_END_DECLS
