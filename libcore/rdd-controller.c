/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-controller.h"
#include "rdd-error.h"

typedef enum {
	RDD_ITEM_QUEUED,
	RDD_ITEM_RUNNING,
	RDD_ITEM_WAITING,
} RddItemState;

/* one key of the work queue; it exists while the key is queued, running or waiting */
typedef struct {
	gchar *key;
	gchar *namespace;
	gchar *name;
	RddItemState state;
	gboolean dirty;
	guint failures;
	guint timer_id;
	RddReconcile *running;
} RddWorkItem;

typedef struct {
	RddController *controller; /* owns the watch */
	RddKind *kind;
	RddControllerMapFunc map;
	gpointer user_data;
	gulong handlers[3];
} RddWatch;

struct _RddReconcile {
	gint ref_count;
	RddController *controller;
	gchar *key;
	gchar *namespace;
	gchar *name;
	RddObject *object;
	GCancellable *cancellable;
	guint deadline_id;
	guint requeue_ms;
	gboolean deferred;
	gboolean inflight; /* counted in the controller's inflight */
	gboolean completed;
	gboolean finalizing;
	gint64 started;
};

struct _RddController {
	GObject parent_instance;
	gchar *name;
	gchar *group;
	gchar *plugin;
	gchar *finalizer;
	RddKind *kind;
	RddControllerVTable vtable;
	gpointer user_data;
	GDestroyNotify destroy;
	RddStore *store;
	GHashTable *items; /* key -> RddWorkItem */
	GQueue queue;	   /* RddWorkItem in state QUEUED */
	guint process_id;
	guint base_ms;
	guint max_ms;
	guint deadline_ms;
	GPtrArray *watches;
	gulong primary_handlers[3];
	gboolean running;
	guint inflight;
	guint64 reconcile_count;
	guint64 error_count;
	gchar *last_error;
	gint64 last_duration;
};

G_DEFINE_FINAL_TYPE(RddController, rdd_controller, G_TYPE_OBJECT)

/* how many deferred reconciles may be in flight at once, per controller */
#define RDD_CONTROLLER_MAX_INFLIGHT 8
/* how many keys one main-loop dispatch handles before yielding */
#define RDD_CONTROLLER_BATCH 64

static void
rdd_controller_item_free(RddWorkItem *item)
{
	g_clear_handle_id(&item->timer_id, g_source_remove);
	g_free(item->key);
	g_free(item->namespace);
	g_free(item->name);
	g_free(item);
}

static void
rdd_controller_watch_free(RddWatch *watch)
{
	g_clear_object(&watch->kind);
	g_free(watch);
}

static void
rdd_controller_dispose(GObject *object)
{
	RddController *self = RDD_CONTROLLER(object);
	rdd_controller_stop(self);
	G_OBJECT_CLASS(rdd_controller_parent_class)->dispose(object);
}

static void
rdd_controller_finalize(GObject *object)
{
	RddController *self = RDD_CONTROLLER(object);
	if (self->destroy != NULL)
		self->destroy(self->user_data);
	g_hash_table_unref(self->items);
	g_ptr_array_unref(self->watches);
	g_clear_object(&self->kind);
	g_free(self->name);
	g_free(self->group);
	g_free(self->plugin);
	g_free(self->finalizer);
	g_free(self->last_error);
	G_OBJECT_CLASS(rdd_controller_parent_class)->finalize(object);
}

static void
rdd_controller_class_init(RddControllerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = rdd_controller_dispose;
	object_class->finalize = rdd_controller_finalize;
}

static void
rdd_controller_init(RddController *self)
{
	self->items = g_hash_table_new_full(g_str_hash,
					    g_str_equal,
					    NULL,
					    (GDestroyNotify)rdd_controller_item_free);
	g_queue_init(&self->queue);
	self->watches = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_controller_watch_free);
	self->base_ms = 100;
	self->max_ms = 30000;
	self->deadline_ms = RDD_CONTROLLER_DEFAULT_DEADLINE_MS;
}

/**
 * rdd_controller_new:
 * @name: the controller name, unique in the daemon (used by `--controllers`)
 * @group: the selection group, e.g. `app` or `builtin` (always enabled)
 * @kind: the primary kind whose objects are reconciled
 * @vtable: the behaviour; copied, honouring its @struct_size
 * @user_data: data for the vtable entries
 * @destroy: (nullable): frees @user_data with the controller
 *
 * Returns: (transfer full): a new controller; start it with rdd_controller_start()
 *
 * Since: 0.1
 */
RddController *
rdd_controller_new(const gchar *name,
		   const gchar *group,
		   RddKind *kind,
		   const RddControllerVTable *vtable,
		   gpointer user_data,
		   GDestroyNotify destroy)
{
	RddController *self;
	gsize size;

	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(vtable != NULL, NULL);

	self = g_object_new(RDD_TYPE_CONTROLLER, NULL);
	self->name = g_strdup(name);
	self->group = g_strdup(group != NULL ? group : "");
	self->kind = g_object_ref(kind);
	/* copy only what the caller's (possibly older, smaller) table has */
	size = MIN(vtable->struct_size, sizeof(RddControllerVTable));
	if (size < G_STRUCT_OFFSET(RddControllerVTable, setup))
		size = sizeof(gsize);
	memcpy(&self->vtable, vtable, size);
	self->vtable.struct_size = sizeof(RddControllerVTable);
	self->user_data = user_data;
	self->destroy = destroy;
	return self;
}

/**
 * rdd_controller_get_name:
 * @self: a controller
 *
 * Returns: the name
 *
 * Since: 0.1
 */
const gchar *
rdd_controller_get_name(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->name;
}

/**
 * rdd_controller_get_group:
 * @self: a controller
 *
 * Returns: the selection group
 *
 * Since: 0.1
 */
const gchar *
rdd_controller_get_group(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->group;
}

/**
 * rdd_controller_get_kind:
 * @self: a controller
 *
 * Returns: (transfer none): the primary kind
 *
 * Since: 0.1
 */
RddKind *
rdd_controller_get_kind(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->kind;
}

/**
 * rdd_controller_get_store:
 * @self: a controller
 *
 * Returns: (transfer none) (nullable): the store, once started
 *
 * Since: 0.1
 */
RddStore *
rdd_controller_get_store(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->store;
}

/**
 * rdd_controller_get_plugin:
 * @self: a controller
 *
 * Returns: (nullable): the name of the plugin that registered the controller
 *
 * Since: 0.1
 */
const gchar *
rdd_controller_get_plugin(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->plugin;
}

/**
 * rdd_controller_set_plugin:
 * @self: a controller
 * @plugin: (nullable): a plugin name
 *
 * Since: 0.1
 */
void
rdd_controller_set_plugin(RddController *self, const gchar *plugin)
{
	g_return_if_fail(RDD_IS_CONTROLLER(self));
	g_free(self->plugin);
	self->plugin = g_strdup(plugin);
}

/**
 * rdd_controller_set_finalizer:
 * @self: a controller
 * @finalizer: (nullable): a finalizer name such as `rdd.rancherdesktop.io/cleanup`
 *
 * Makes the runtime add @finalizer to every live object of the primary kind, call the
 * `finalize` entry when such an object is deleted, and remove @finalizer once it succeeded.
 *
 * Since: 0.1
 */
void
rdd_controller_set_finalizer(RddController *self, const gchar *finalizer)
{
	g_return_if_fail(RDD_IS_CONTROLLER(self));
	g_free(self->finalizer);
	self->finalizer = g_strdup(finalizer);
}

/**
 * rdd_controller_get_finalizer:
 * @self: a controller
 *
 * Returns: (nullable): the finalizer
 *
 * Since: 0.1
 */
const gchar *
rdd_controller_get_finalizer(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->finalizer;
}

/**
 * rdd_controller_set_backoff:
 * @self: a controller
 * @base_ms: the delay after the first failure
 * @max_ms: the cap; the delay doubles per consecutive failure up to it
 *
 * Since: 0.1
 */
void
rdd_controller_set_backoff(RddController *self, guint base_ms, guint max_ms)
{
	g_return_if_fail(RDD_IS_CONTROLLER(self));
	self->base_ms = MAX(base_ms, 1);
	self->max_ms = MAX(max_ms, self->base_ms);
}

/**
 * rdd_controller_set_deadline:
 * @self: a controller
 * @deadline_ms: how long one reconcile may run before it is cancelled and retried
 *
 * Since: 0.1
 */
void
rdd_controller_set_deadline(RddController *self, guint deadline_ms)
{
	g_return_if_fail(RDD_IS_CONTROLLER(self));
	self->deadline_ms = MAX(deadline_ms, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* the work queue */

static gchar *
rdd_controller_key(const gchar *namespace, const gchar *name)
{
	if (namespace == NULL || namespace[0] == '\0')
		return g_strdup(name);
	return g_strdup_printf("%s/%s", namespace, name);
}

static gboolean
rdd_controller_process_cb(gpointer user_data);

static void
rdd_controller_schedule(RddController *self)
{
	if (self->process_id != 0 || g_queue_is_empty(&self->queue) || !self->running)
		return;
	/* every slot is taken: the completion of a deferred run schedules again */
	if (self->inflight >= RDD_CONTROLLER_MAX_INFLIGHT)
		return;
	/* an idle source: every change made in this main-loop iteration coalesces first */
	self->process_id = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, rdd_controller_process_cb, self, NULL);
	g_source_set_static_name(g_main_context_find_source_by_id(NULL, self->process_id),
				 "[rdd] controller queue");
}

static void
rdd_controller_push(RddController *self, RddWorkItem *item)
{
	g_clear_handle_id(&item->timer_id, g_source_remove);
	item->state = RDD_ITEM_QUEUED;
	g_queue_push_tail(&self->queue, item);
	rdd_controller_schedule(self);
}

static RddWorkItem *
rdd_controller_ensure_item(RddController *self, const gchar *namespace, const gchar *name)
{
	g_autofree gchar *key = rdd_controller_key(namespace, name);
	RddWorkItem *item = g_hash_table_lookup(self->items, key);
	if (item != NULL)
		return item;
	item = g_new0(RddWorkItem, 1);
	item->key = g_steal_pointer(&key);
	item->namespace = g_strdup(namespace != NULL ? namespace : "");
	item->name = g_strdup(name);
	item->state = RDD_ITEM_WAITING; /* not in the queue yet */
	g_hash_table_insert(self->items, item->key, item);
	return item;
}

/**
 * rdd_controller_enqueue:
 * @self: a controller
 * @namespace: (nullable): the namespace of the primary object
 * @name: its name
 *
 * Asks for a reconcile of the key. Requests for a key that is already queued coalesce into
 * one; a request for a key being reconciled runs it once more afterwards; a key waiting for a
 * retry or a delayed requeue runs now.
 *
 * Since: 0.1
 */
void
rdd_controller_enqueue(RddController *self, const gchar *namespace, const gchar *name)
{
	RddWorkItem *item;

	g_return_if_fail(RDD_IS_CONTROLLER(self));
	g_return_if_fail(name != NULL);
	item = rdd_controller_ensure_item(self, namespace, name);
	switch (item->state) {
	case RDD_ITEM_QUEUED:
		break;
	case RDD_ITEM_RUNNING:
		item->dirty = TRUE;
		break;
	case RDD_ITEM_WAITING:
	default:
		rdd_controller_push(self, item);
		break;
	}
}

typedef struct {
	RddController *controller;
	gchar *key;
} RddControllerTimer;

static void
rdd_controller_timer_free(RddControllerTimer *timer)
{
	g_object_unref(timer->controller);
	g_free(timer->key);
	g_free(timer);
}

static gboolean
rdd_controller_timer_cb(gpointer user_data)
{
	RddControllerTimer *timer = user_data;
	RddWorkItem *item = g_hash_table_lookup(timer->controller->items, timer->key);
	if (item != NULL && item->state == RDD_ITEM_WAITING) {
		item->timer_id = 0;
		rdd_controller_push(timer->controller, item);
	}
	return G_SOURCE_REMOVE;
}

static void
rdd_controller_wait(RddController *self, RddWorkItem *item, guint delay_ms)
{
	RddControllerTimer *timer = g_new0(RddControllerTimer, 1);
	timer->controller = g_object_ref(self);
	timer->key = g_strdup(item->key);
	g_clear_handle_id(&item->timer_id, g_source_remove);
	item->state = RDD_ITEM_WAITING;
	item->timer_id = g_timeout_add_full(G_PRIORITY_DEFAULT,
					    delay_ms,
					    rdd_controller_timer_cb,
					    timer,
					    (GDestroyNotify)rdd_controller_timer_free);
}

/**
 * rdd_controller_enqueue_after:
 * @self: a controller
 * @namespace: (nullable): the namespace
 * @name: the name
 * @delay_ms: the delay
 *
 * Asks for a reconcile of the key after @delay_ms, unless something queues it sooner.
 *
 * Since: 0.1
 */
void
rdd_controller_enqueue_after(RddController *self,
			     const gchar *namespace,
			     const gchar *name,
			     guint delay_ms)
{
	RddWorkItem *item;

	g_return_if_fail(RDD_IS_CONTROLLER(self));
	if (delay_ms == 0) {
		rdd_controller_enqueue(self, namespace, name);
		return;
	}
	item = rdd_controller_ensure_item(self, namespace, name);
	if (item->state == RDD_ITEM_WAITING && item->timer_id == 0)
		rdd_controller_wait(self, item, delay_ms);
	else if (item->state == RDD_ITEM_RUNNING)
		item->dirty = TRUE;
}

/**
 * rdd_controller_enqueue_all:
 * @self: a started controller
 *
 * Queues every existing object of the primary kind.
 *
 * Since: 0.1
 */
void
rdd_controller_enqueue_all(RddController *self)
{
	g_autoptr(RddListResult) list = NULL;

	g_return_if_fail(RDD_IS_CONTROLLER(self));
	if (self->store == NULL)
		return;
	list = rdd_store_list(self->store, self->kind, NULL, NULL);
	for (guint i = 0; list != NULL && i < list->items->len; i++) {
		RddObject *obj = g_ptr_array_index(list->items, i);
		rdd_controller_enqueue(self, rdd_object_get_namespace(obj), rdd_object_get_name(obj));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* running */

static void
rdd_controller_reconcile_free(RddReconcile *self)
{
	g_clear_handle_id(&self->deadline_id, g_source_remove);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->object, rdd_object_unref);
	g_clear_object(&self->controller);
	g_free(self->key);
	g_free(self->namespace);
	g_free(self->name);
	g_free(self);
}

/**
 * rdd_reconcile_ref:
 * @self: a reconcile
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
RddReconcile *
rdd_reconcile_ref(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * rdd_reconcile_unref:
 * @self: (transfer full): a reconcile
 *
 * Since: 0.1
 */
void
rdd_reconcile_unref(RddReconcile *self)
{
	g_return_if_fail(self != NULL);
	if (g_atomic_int_dec_and_test(&self->ref_count))
		rdd_controller_reconcile_free(self);
}

static guint
rdd_controller_backoff(RddController *self, guint failures)
{
	guint64 delay = self->base_ms;
	for (guint i = 1; i < failures && delay < self->max_ms; i++)
		delay *= 2;
	return (guint)MIN(delay, (guint64)self->max_ms);
}

static gboolean
rdd_controller_finish_finalizer(RddController *self, RddReconcile *rec, GError **error)
{
	g_autoptr(RddObject) current = NULL;
	current = rdd_store_lookup(self->store, self->kind, rec->namespace, rec->name);
	if (current == NULL || !rdd_object_has_finalizer(current, self->finalizer))
		return TRUE;
	return rdd_store_remove_finalizer(self->store, current, self->finalizer, error);
}

static void
rdd_controller_complete(RddController *self, RddReconcile *rec, const GError *error)
{
	RddWorkItem *item;
	g_autoptr(GError) error_local = error != NULL ? g_error_copy(error) : NULL;

	if (rec->completed)
		return;
	rec->completed = TRUE;
	g_clear_handle_id(&rec->deadline_id, g_source_remove);
	if (rec->inflight) {
		rec->inflight = FALSE;
		self->inflight--;
	}

	item = g_hash_table_lookup(self->items, rec->key);
	if (item == NULL || item->running != rec) {
		rdd_reconcile_unref(rec);
		return; /* the controller stopped meanwhile */
	}
	item->running = NULL;
	self->reconcile_count++;
	self->last_duration = g_get_monotonic_time() - rec->started;

	/* a finalize that asked to run again is not finished: the finalizer stays until it is */
	if (error_local == NULL && rec->finalizing && self->finalizer != NULL && rec->requeue_ms == 0)
		rdd_controller_finish_finalizer(self, rec, &error_local);

	if (error_local != NULL) {
		guint delay;
		rdd_error_convert(&error_local);
		self->error_count++;
		g_free(self->last_error);
		self->last_error = g_strdup_printf("%s: %s", self->name, error_local->message);
		item->failures++;
		delay = rdd_controller_backoff(self, item->failures);
		g_info("%s %s failed (attempt %u), retrying in %u ms: %s",
		       self->name,
		       rec->key,
		       item->failures,
		       delay,
		       error_local->message);
		item->dirty = FALSE;
		rdd_controller_wait(self, item, delay);
	} else {
		item->failures = 0;
		if (item->dirty) {
			item->dirty = FALSE;
			rdd_controller_push(self, item);
		} else if (rec->requeue_ms > 0) {
			rdd_controller_wait(self, item, rec->requeue_ms);
		} else {
			g_hash_table_remove(self->items, item->key);
		}
	}
	rdd_reconcile_unref(rec);
	rdd_controller_schedule(self);
}

static gboolean
rdd_controller_deadline_cb(gpointer user_data)
{
	RddReconcile *rec = user_data;
	g_autoptr(GError) error = NULL;

	rec->deadline_id = 0;
	g_cancellable_cancel(rec->cancellable);
	g_set_error(&error,
		    RDD_ERROR,
		    RDD_ERROR_TIMED_OUT,
		    "reconcile of %s did not finish within %u ms",
		    rec->key,
		    rec->controller->deadline_ms);
	rdd_controller_complete(rec->controller, rec, error);
	return G_SOURCE_REMOVE;
}

typedef gboolean (*RddControllerEntry)(RddController *, RddReconcile *, gpointer, GError **);

/* the runner around every vtable call: skip NULL, catch FALSE without error, prefix errors */
static gboolean
rdd_controller_call(RddController *self,
		    RddControllerEntry func,
		    const gchar *what,
		    RddReconcile *rec,
		    GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (func == NULL)
		return TRUE;
	if (func(self, rec, self->user_data, &error_local))
		return TRUE;
	if (error_local == NULL) {
		g_critical("controller %s: %s of %s returned FALSE without an error",
			   self->name,
			   what,
			   rec->key);
		g_set_error(&error_local,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "%s failed without saying why",
			    what);
	}
	/* the controller's name is added when the error is recorded; name the plugin here */
	if (self->plugin != NULL)
		g_prefix_error(&error_local, "%s: ", self->plugin);
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

static void
rdd_controller_run(RddController *self, RddWorkItem *item)
{
	RddReconcile *rec = g_new0(RddReconcile, 1);
	g_autoptr(RddReconcile) hold = NULL;
	g_autoptr(GError) error_local = NULL;
	RddObject *obj;
	gboolean ok = TRUE;

	rec->ref_count = 1; /* the run's own reference, released when it completes */
	hold = rdd_reconcile_ref(rec); /* keeps @rec valid if the entry stops the controller */
	rec->controller = g_object_ref(self);
	rec->key = g_strdup(item->key);
	rec->namespace = g_strdup(item->namespace);
	rec->name = g_strdup(item->name);
	rec->object = rdd_store_lookup(self->store, self->kind, item->namespace, item->name);
	rec->cancellable = g_cancellable_new();
	rec->started = g_get_monotonic_time();
	item->state = RDD_ITEM_RUNNING;
	item->dirty = FALSE;
	item->running = rec;
	rec->deadline_id = g_timeout_add(self->deadline_ms, rdd_controller_deadline_cb, rec);
	obj = rec->object;

	if (obj != NULL && rdd_object_is_deleting(obj)) {
		if (self->finalizer != NULL && rdd_object_has_finalizer(obj, self->finalizer)) {
			rec->finalizing = TRUE;
			ok = rdd_controller_call(self, self->vtable.finalize, "finalize", rec, &error_local);
		}
	} else if (obj != NULL && self->finalizer != NULL &&
		   !rdd_object_has_finalizer(obj, self->finalizer)) {
		/* the store's change event brings the key back for the real reconcile */
		ok = rdd_store_add_finalizer(self->store, obj, self->finalizer, &error_local);
		if (!ok)
			g_prefix_error(&error_local, "%s: cannot add finalizer: ", self->name);
	} else {
		ok = rdd_controller_call(self, self->vtable.reconcile, "reconcile", rec, &error_local);
	}

	/* the entry may have completed the run itself, or stopped the controller */
	if (rec->completed)
		return;
	if (rec->deferred && ok) {
		rec->inflight = TRUE;
		self->inflight++;
		return; /* rdd_reconcile_complete() finishes it */
	}
	/* failed, maybe after deferring: the plugin's later completion is ignored */
	rdd_controller_complete(self, rec, ok ? NULL : error_local);
}

static gboolean
rdd_controller_process_cb(gpointer user_data)
{
	RddController *self = RDD_CONTROLLER(user_data);
	g_autoptr(RddController) keep = g_object_ref(self);

	self->process_id = 0;
	for (guint i = 0; i < RDD_CONTROLLER_BATCH && self->running; i++) {
		RddWorkItem *item;
		if (self->inflight >= RDD_CONTROLLER_MAX_INFLIGHT)
			break;
		item = g_queue_pop_head(&self->queue);
		if (item == NULL)
			break;
		rdd_controller_run(self, item);
	}
	rdd_controller_schedule(self);
	return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------------------------- */
/* watching the store */

static void
rdd_controller_primary_cb(RddStore *store, RddObject *object, gpointer user_data)
{
	RddController *self = RDD_CONTROLLER(user_data);
	rdd_controller_enqueue(self, rdd_object_get_namespace(object), rdd_object_get_name(object));
}

static void
rdd_controller_primary_changed_cb(RddStore *store, RddObject *old, RddObject *object, gpointer user_data)
{
	rdd_controller_primary_cb(store, object, user_data);
}

static void
rdd_controller_secondary(RddController *self, RddWatch *watch, RddObject *object)
{
	if (watch->map != NULL) {
		watch->map(self, object, watch->user_data);
		return;
	}
	/* by default a change reaches the controlling owner, when it is of the primary kind */
	for (guint i = 0; i < rdd_object_get_n_owner_references(object); i++) {
		const RddOwnerReference *ref = rdd_object_get_owner_reference(object, i);
		if (!ref->controller || g_strcmp0(ref->kind, rdd_kind_get_name(self->kind)) != 0 ||
		    g_strcmp0(ref->api_version, rdd_kind_get_api_version(self->kind)) != 0)
			continue;
		rdd_controller_enqueue(self,
				       rdd_kind_is_namespaced(self->kind) ? rdd_object_get_namespace(object)
									   : NULL,
				       ref->name);
	}
}

static void
rdd_controller_secondary_cb(RddStore *store, RddObject *object, gpointer user_data)
{
	RddWatch *watch = user_data;
	rdd_controller_secondary(watch->controller, watch, object);
}

static void
rdd_controller_secondary_changed_cb(RddStore *store, RddObject *old, RddObject *object, gpointer user_data)
{
	RddWatch *watch = user_data;
	rdd_controller_secondary(watch->controller, watch, object);
}

/**
 * rdd_controller_watch:
 * @self: a controller
 * @kind: a secondary kind
 * @map: (nullable): maps a changed object to primary keys; %NULL enqueues the object's
 *   controlling owner when that owner is of the primary kind
 * @user_data: data for @map
 *
 * Reconciles primary objects when objects of @kind change. Call before
 * rdd_controller_start().
 *
 * Since: 0.1
 */
void
rdd_controller_watch(RddController *self, RddKind *kind, RddControllerMapFunc map, gpointer user_data)
{
	RddWatch *watch;

	g_return_if_fail(RDD_IS_CONTROLLER(self));
	g_return_if_fail(RDD_IS_KIND(kind));
	g_return_if_fail(!self->running);
	watch = g_new0(RddWatch, 1);
	watch->controller = self;
	watch->kind = g_object_ref(kind);
	watch->map = map;
	watch->user_data = user_data;
	g_ptr_array_add(self->watches, watch);
}

static gulong
rdd_controller_connect(RddController *self,
		       const gchar *signal,
		       RddKind *kind,
		       GCallback callback,
		       gpointer user_data)
{
	g_autofree gchar *detailed = g_strdup_printf("%s::%s", signal, rdd_kind_get_name(kind));
	return g_signal_connect(self->store, detailed, callback, user_data);
}

/**
 * rdd_controller_start:
 * @self: a controller
 * @store: the store
 * @error: return location for an error
 *
 * Runs the `setup` entry, connects to the store's signals for the primary and watched kinds,
 * and queues every existing object of the primary kind.
 *
 * Returns: %TRUE on success; on failure the controller stays stopped
 *
 * Since: 0.1
 */
gboolean
rdd_controller_start(RddController *self, RddStore *store, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RDD_IS_CONTROLLER(self), FALSE);
	g_return_val_if_fail(RDD_IS_STORE(store), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->running)
		return TRUE;
	g_set_object(&self->store, store);
	if (self->vtable.setup != NULL && !self->vtable.setup(self, self->user_data, &error_local)) {
		if (error_local == NULL) {
			g_critical("controller %s: setup returned FALSE without an error", self->name);
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_INTERNAL,
				    "%s: setup failed without saying why",
				    self->name);
		} else {
			g_propagate_prefixed_error(error, g_steal_pointer(&error_local), "%s: setup: ", self->name);
		}
		g_clear_object(&self->store);
		return FALSE;
	}
	self->running = TRUE;
	for (guint i = 0; i < self->watches->len; i++) {
		RddWatch *watch = g_ptr_array_index(self->watches, i);
		watch->handlers[0] = rdd_controller_connect(self,
							    "object-added",
							    watch->kind,
							    G_CALLBACK(rdd_controller_secondary_cb),
							    watch);
		watch->handlers[1] = rdd_controller_connect(self,
							    "object-changed",
							    watch->kind,
							    G_CALLBACK(rdd_controller_secondary_changed_cb),
							    watch);
		watch->handlers[2] = rdd_controller_connect(self,
							    "object-removed",
							    watch->kind,
							    G_CALLBACK(rdd_controller_secondary_cb),
							    watch);
	}
	/* primary handlers last: a write of both kinds queues the primary key once anyway */
	self->primary_handlers[0] = rdd_controller_connect(self,
							   "object-added",
							   self->kind,
							   G_CALLBACK(rdd_controller_primary_cb),
							   self);
	self->primary_handlers[1] = rdd_controller_connect(self,
							   "object-changed",
							   self->kind,
							   G_CALLBACK(rdd_controller_primary_changed_cb),
							   self);
	self->primary_handlers[2] = rdd_controller_connect(self,
							   "object-removed",
							   self->kind,
							   G_CALLBACK(rdd_controller_primary_cb),
							   self);
	rdd_store_set_controller_running(store, self->name, TRUE);
	rdd_controller_enqueue_all(self);
	return TRUE;
}

/**
 * rdd_controller_stop:
 * @self: a controller
 *
 * Disconnects from the store, cancels running reconciles and drops the queue. A deferred
 * reconcile that completes later is ignored.
 *
 * Since: 0.1
 */
void
rdd_controller_stop(RddController *self)
{
	GHashTableIter iter;
	RddWorkItem *item;

	g_return_if_fail(RDD_IS_CONTROLLER(self));
	if (self->store != NULL) {
		if (self->running)
			rdd_store_set_controller_running(self->store, self->name, FALSE);
		for (guint i = 0; i < G_N_ELEMENTS(self->primary_handlers); i++)
			g_clear_signal_handler(&self->primary_handlers[i], self->store);
		for (guint i = 0; i < self->watches->len; i++) {
			RddWatch *watch = g_ptr_array_index(self->watches, i);
			for (guint j = 0; j < G_N_ELEMENTS(watch->handlers); j++)
				g_clear_signal_handler(&watch->handlers[j], self->store);
		}
	}
	self->running = FALSE;
	g_clear_handle_id(&self->process_id, g_source_remove);
	g_hash_table_iter_init(&iter, self->items);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&item)) {
		RddReconcile *rec = item->running;
		if (rec != NULL) {
			/* the run ends here; a deferred owner's later completion is ignored */
			g_cancellable_cancel(rec->cancellable);
			g_clear_handle_id(&rec->deadline_id, g_source_remove);
			rec->completed = TRUE;
			item->running = NULL;
			rdd_reconcile_unref(rec);
		}
	}
	g_queue_clear(&self->queue);
	g_hash_table_remove_all(self->items);
	self->inflight = 0;
	g_clear_object(&self->store);
}

/**
 * rdd_controller_is_running:
 * @self: a controller
 *
 * Returns: %TRUE between a successful start and stop
 *
 * Since: 0.1
 */
gboolean
rdd_controller_is_running(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), FALSE);
	return self->running;
}

/**
 * rdd_controller_get_queue_length:
 * @self: a controller
 *
 * Returns: how many keys wait to be reconciled now
 *
 * Since: 0.1
 */
guint
rdd_controller_get_queue_length(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), 0);
	return g_queue_get_length(&self->queue);
}

/**
 * rdd_controller_is_idle:
 * @self: a controller
 *
 * Returns: %TRUE when nothing is queued or running (keys waiting for a retry or a delayed
 *   requeue do not count)
 *
 * Since: 0.1
 */
gboolean
rdd_controller_is_idle(RddController *self)
{
	GHashTableIter iter;
	RddWorkItem *item;

	g_return_val_if_fail(RDD_IS_CONTROLLER(self), TRUE);
	g_hash_table_iter_init(&iter, self->items);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&item)) {
		if (item->state != RDD_ITEM_WAITING)
			return FALSE;
	}
	return TRUE;
}

/**
 * rdd_controller_get_reconcile_count:
 * @self: a controller
 *
 * Returns: how many reconcile and finalize runs completed
 *
 * Since: 0.1
 */
guint64
rdd_controller_get_reconcile_count(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), 0);
	return self->reconcile_count;
}

/**
 * rdd_controller_get_error_count:
 * @self: a controller
 *
 * Returns: how many runs failed
 *
 * Since: 0.1
 */
guint64
rdd_controller_get_error_count(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), 0);
	return self->error_count;
}

/**
 * rdd_controller_get_last_error:
 * @self: a controller
 *
 * Returns: (nullable): the message of the latest failure
 *
 * Since: 0.1
 */
const gchar *
rdd_controller_get_last_error(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), NULL);
	return self->last_error;
}

/**
 * rdd_controller_get_last_duration:
 * @self: a controller
 *
 * Returns: how long the latest run took, in microseconds
 *
 * Since: 0.1
 */
gint64
rdd_controller_get_last_duration(RddController *self)
{
	g_return_val_if_fail(RDD_IS_CONTROLLER(self), 0);
	return self->last_duration;
}

/**
 * rdd_controller_selection_enabled:
 * @spec: (nullable): a `--controllers` value: comma-separated controller or group names, `*`
 *   for all, a leading `-` excludes
 * @name: a controller name
 * @group: its group
 *
 * Controllers of the group `builtin` are always enabled. Otherwise a controller is enabled
 * when at least one inclusion names it (by `*`, its group or its name) and no exclusion does;
 * order does not matter and exclusions win. An empty spec enables nothing else.
 *
 * Returns: %TRUE when the controller should run
 *
 * Since: 0.1
 */
gboolean
rdd_controller_selection_enabled(const gchar *spec, const gchar *name, const gchar *group)
{
	g_auto(GStrv) parts = NULL;
	gboolean included = FALSE;

	if (g_strcmp0(group, "builtin") == 0)
		return TRUE;
	if (spec == NULL || spec[0] == '\0')
		return FALSE;
	parts = g_strsplit(spec, ",", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		gchar *part = g_strstrip(parts[i]);
		gboolean exclude = part[0] == '-';
		gboolean matches;
		if (exclude)
			part = g_strstrip(part + 1);
		if (part[0] == '\0')
			continue;
		matches = g_strcmp0(part, "*") == 0 ||
			  (group != NULL && group[0] != '\0' && g_strcmp0(part, group) == 0) ||
			  g_strcmp0(part, name) == 0;
		if (matches && exclude)
			return FALSE;
		if (matches)
			included = TRUE;
	}
	return included;
}

/**
 * rdd_reconcile_get_namespace:
 * @self: a reconcile
 *
 * Returns: the namespace of the key, `""` for cluster-scoped kinds
 *
 * Since: 0.1
 */
const gchar *
rdd_reconcile_get_namespace(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->namespace;
}

/**
 * rdd_reconcile_get_name:
 * @self: a reconcile
 *
 * Returns: the name of the key
 *
 * Since: 0.1
 */
const gchar *
rdd_reconcile_get_name(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->name;
}

/**
 * rdd_reconcile_get_object:
 * @self: a reconcile
 *
 * Returns: (transfer none) (nullable): the object as it was when the run started, or %NULL
 *   when it no longer exists
 *
 * Since: 0.1
 */
RddObject *
rdd_reconcile_get_object(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->object;
}

/**
 * rdd_reconcile_get_store:
 * @self: a reconcile
 *
 * Returns: (transfer none): the store
 *
 * Since: 0.1
 */
RddStore *
rdd_reconcile_get_store(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->controller->store;
}

/**
 * rdd_reconcile_get_controller:
 * @self: a reconcile
 *
 * Returns: (transfer none): the controller
 *
 * Since: 0.1
 */
RddController *
rdd_reconcile_get_controller(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->controller;
}

/**
 * rdd_reconcile_get_cancellable:
 * @self: a reconcile
 *
 * Returns: (transfer none): cancelled when the run's deadline passes or the controller stops;
 *   pass it to every asynchronous call the run makes
 *
 * Since: 0.1
 */
GCancellable *
rdd_reconcile_get_cancellable(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->cancellable;
}

/**
 * rdd_reconcile_requeue_after:
 * @self: a reconcile
 * @delay_ms: the delay
 *
 * Asks for another run of this key after @delay_ms when this run succeeds (polling).
 *
 * Since: 0.1
 */
void
rdd_reconcile_requeue_after(RddReconcile *self, guint delay_ms)
{
	g_return_if_fail(self != NULL);
	self->requeue_ms = delay_ms;
}

/**
 * rdd_reconcile_defer:
 * @self: a reconcile
 *
 * Keeps the run open after the vtable entry returns %TRUE: the key stays "running" (new
 * requests for it wait) until rdd_reconcile_complete() is called or the deadline passes.
 *
 * Returns: (transfer full): a reference to hand to the asynchronous work
 *
 * Since: 0.1
 */
RddReconcile *
rdd_reconcile_defer(RddReconcile *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	self->deferred = TRUE;
	return rdd_reconcile_ref(self);
}

/**
 * rdd_reconcile_complete:
 * @self: a deferred reconcile
 * @error: (nullable): why the run failed, or %NULL on success
 *
 * Finishes a deferred run. Completing a run after its deadline, or after the controller
 * stopped, does nothing.
 *
 * Since: 0.1
 */
void
rdd_reconcile_complete(RddReconcile *self, const GError *error)
{
	g_return_if_fail(self != NULL);
	if (self->completed)
		return;
	rdd_controller_complete(self->controller, self, error);
}
