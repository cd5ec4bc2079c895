/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The controller runtime: work queue coalescing, backoff, requeue, deadlines, finalizers,
 * watches, the runner around vtable entries, and lifetimes.
 */

#include "config.h"

#include <string.h>

#include "rdd-core.h"

#define RDD_CONTROLLER_TEST_API "ctrl.test.io/v1"
#define RDD_CONTROLLER_TEST_FINALIZER "ctrl.test.io/cleanup"
/* how much later than asked a timer may fire on a loaded machine (under ASan, in parallel) */
#define RDD_CONTROLLER_TEST_SLACK_MS 150

static const gchar rdd_controller_test_crds[] = "apiVersion: apiextensions.k8s.io/v1\n"
						"kind: CustomResourceDefinition\n"
						"metadata:\n"
						"  name: things.ctrl.test.io\n"
						"spec:\n"
						"  group: ctrl.test.io\n"
						"  names: {kind: Thing, plural: things}\n"
						"  scope: Namespaced\n"
						"  versions:\n"
						"    - name: v1\n"
						"      served: true\n"
						"      storage: true\n"
						"      subresources: {status: {}}\n"
						"      schema:\n"
						"        openAPIV3Schema:\n"
						"          type: object\n"
						"          properties:\n"
						"            spec:\n"
						"              type: object\n"
						"              properties:\n"
						"                n: {type: integer}\n"
						"                mode: {type: string}\n"
						"            status:\n"
						"              type: object\n"
						"              properties:\n"
						"                seen: {type: integer}\n"
						"---\n"
						"apiVersion: apiextensions.k8s.io/v1\n"
						"kind: CustomResourceDefinition\n"
						"metadata:\n"
						"  name: parts.ctrl.test.io\n"
						"spec:\n"
						"  group: ctrl.test.io\n"
						"  names: {kind: Part, plural: parts}\n"
						"  scope: Namespaced\n"
						"  versions:\n"
						"    - name: v1\n"
						"      served: true\n"
						"      storage: true\n"
						"      schema:\n"
						"        openAPIV3Schema:\n"
						"          type: object\n"
						"          properties:\n"
						"            spec:\n"
						"              type: object\n"
						"              properties:\n"
						"                target: {type: string}\n"
						"                n: {type: integer}\n";

/* what a run of the test controller does */
typedef enum {
	RDD_CONTROLLER_TEST_OK,
	RDD_CONTROLLER_TEST_FAIL,	     /* FALSE with an error */
	RDD_CONTROLLER_TEST_FALSE_NO_ERROR,  /* FALSE without an error: a plugin bug */
	RDD_CONTROLLER_TEST_DEFER,	     /* defer and keep the reference in self->deferred */
	RDD_CONTROLLER_TEST_DEFER_STOP,	     /* defer, then stop the controller */
	RDD_CONTROLLER_TEST_DEFER_COMPLETE,  /* defer and complete before returning */
	RDD_CONTROLLER_TEST_CANCEL_COMPLETE, /* defer, cancel the run, complete successfully */
} RddControllerTestAction;

typedef struct {
	RddStore *store;
	RddKind *thing;
	RddKind *part;
	RddController *controller;

	/* behaviour: the first entries of @script, then @action */
	RddControllerTestAction script[16];
	guint script_len;
	RddControllerTestAction action;
	guint requeue_ms;	 /* ask for a requeue after this many ms on the first run */
	guint finalize_failures; /* how many finalize runs fail before one succeeds */

	/* what happened */
	guint setups;
	guint runs;
	guint finalizes;
	guint reconciles_of_deleting;
	guint reconciles_of_gone;
	GPtrArray *keys;     /* gchar*, one per run */
	GArray *times;	     /* gint64 monotonic time of each run */
	GArray *seen_n;	     /* gint64 spec.n the run saw, -1 when the object is gone */
	GPtrArray *deferred; /* RddReconcile, deferred runs not completed yet */
	guint cancelled;
} RddControllerTest;

static gboolean
rdd_controller_test_tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

typedef gboolean (*RddControllerTestCond)(RddControllerTest *self);

/* runs the default main context until @cond holds; FALSE when @timeout_ms passed first */
static gboolean
rdd_controller_test_wait(RddControllerTest *self, RddControllerTestCond cond, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	guint tick = g_timeout_add(2, rdd_controller_test_tick_cb, NULL);
	gboolean ok;

	while (!(ok = cond(self)) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	return ok;
}

/*
 * Runs the main context for @ms, so that anything that would still happen, happens.
 * Returns how many sources were dispatched (a 2 ms tick runs meanwhile).
 */
static guint
rdd_controller_test_drain(guint ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
	guint tick = g_timeout_add(2, rdd_controller_test_tick_cb, NULL);
	guint dispatched = 0;

	while (g_get_monotonic_time() < deadline) {
		if (g_main_context_iteration(NULL, TRUE))
			dispatched++;
	}
	g_source_remove(tick);
	return dispatched;
}

static guint rdd_controller_test_wanted_runs = 0;

static gboolean
rdd_controller_test_runs_reached(RddControllerTest *self)
{
	return self->runs >= rdd_controller_test_wanted_runs;
}

static gboolean
rdd_controller_test_wait_runs(RddControllerTest *self, guint runs, guint timeout_ms)
{
	rdd_controller_test_wanted_runs = runs;
	return rdd_controller_test_wait(self, rdd_controller_test_runs_reached, timeout_ms);
}

static gboolean
rdd_controller_test_idle(RddControllerTest *self)
{
	return rdd_controller_is_idle(self->controller);
}

static gint64
rdd_controller_test_gap_ms(RddControllerTest *self, guint from, guint to)
{
	return (g_array_index(self->times, gint64, to) - g_array_index(self->times, gint64, from)) / 1000;
}

static void
rdd_controller_test_cancelled_cb(GCancellable *cancellable, RddControllerTest *self)
{
	self->cancelled++;
}

static RddControllerTestAction
rdd_controller_test_next_action(RddControllerTest *self)
{
	/* self->runs was already counted for this run */
	if (self->runs - 1 < self->script_len)
		return self->script[self->runs - 1];
	return self->action;
}

static gboolean
rdd_controller_test_act(RddControllerTest *self,
			RddController *controller,
			RddReconcile *reconcile,
			RddControllerTestAction action,
			GError **error)
{
	switch (action) {
	case RDD_CONTROLLER_TEST_FAIL:
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT, "boom %u", self->runs);
		return FALSE;
	case RDD_CONTROLLER_TEST_FALSE_NO_ERROR:
		return FALSE;
	case RDD_CONTROLLER_TEST_DEFER:
		g_signal_connect(rdd_reconcile_get_cancellable(reconcile), "cancelled",
				 G_CALLBACK(rdd_controller_test_cancelled_cb), self);
		g_ptr_array_add(self->deferred, rdd_reconcile_defer(reconcile));
		return TRUE;
	case RDD_CONTROLLER_TEST_DEFER_STOP:
		g_ptr_array_add(self->deferred, rdd_reconcile_defer(reconcile));
		rdd_controller_stop(controller);
		return TRUE;
	case RDD_CONTROLLER_TEST_DEFER_COMPLETE: {
		g_autoptr(RddReconcile) ref = rdd_reconcile_defer(reconcile);
		rdd_reconcile_complete(ref, NULL);
		return TRUE;
	}
	case RDD_CONTROLLER_TEST_CANCEL_COMPLETE: {
		g_autoptr(RddReconcile) ref = rdd_reconcile_defer(reconcile);
		g_cancellable_cancel(rdd_reconcile_get_cancellable(ref));
		rdd_reconcile_complete(ref, NULL);
		return TRUE;
	}
	case RDD_CONTROLLER_TEST_OK:
	default:
		return TRUE;
	}
}

static gboolean
rdd_controller_test_setup_cb(RddController *controller, gpointer user_data, GError **error)
{
	RddControllerTest *self = user_data;
	self->setups++;
	return TRUE;
}

static gboolean
rdd_controller_test_reconcile_cb(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	RddControllerTest *self = user_data;
	RddObject *obj = rdd_reconcile_get_object(reconcile);
	g_autofree gchar *key = NULL;
	gint64 now = g_get_monotonic_time();
	gint64 n = -1;

	/* setup ran before the first reconcile */
	g_assert_cmpuint(self->setups, >=, 1);
	g_assert_true(rdd_reconcile_get_controller(reconcile) == controller);
	g_assert_true(rdd_reconcile_get_store(reconcile) == self->store);
	g_assert_false(g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(reconcile)));
	self->runs++;
	key = g_strdup_printf("%s/%s", rdd_reconcile_get_namespace(reconcile), rdd_reconcile_get_name(reconcile));
	g_ptr_array_add(self->keys, g_steal_pointer(&key));
	g_array_append_val(self->times, now);
	if (obj != NULL) {
		g_autoptr(JsonNode) spec = rdd_object_dup_member(obj, "spec");
		n = spec != NULL ?
			    json_object_get_int_member_with_default(json_node_get_object(spec), "n", 0) :
			    0;
		if (rdd_object_is_deleting(obj))
			self->reconciles_of_deleting++;
	} else {
		self->reconciles_of_gone++;
	}
	g_array_append_val(self->seen_n, n);
	if (self->requeue_ms > 0 && self->runs == 1)
		rdd_reconcile_requeue_after(reconcile, self->requeue_ms);
	return rdd_controller_test_act(self, controller, reconcile, rdd_controller_test_next_action(self), error);
}

static gboolean
rdd_controller_test_finalize_cb(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	RddControllerTest *self = user_data;
	RddObject *obj = rdd_reconcile_get_object(reconcile);

	/* called only for an object being deleted that still carries the finalizer */
	g_assert_nonnull(obj);
	g_assert_true(rdd_object_is_deleting(obj));
	g_assert_true(rdd_object_has_finalizer(obj, RDD_CONTROLLER_TEST_FINALIZER));
	self->finalizes++;
	if (self->finalizes <= self->finalize_failures) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BUSY, "not yet (%u)", self->finalizes);
		return FALSE;
	}
	return TRUE;
}

static const RddControllerVTable rdd_controller_test_vtable = {
	.struct_size = sizeof(RddControllerVTable),
	.setup = rdd_controller_test_setup_cb,
	.reconcile = rdd_controller_test_reconcile_cb,
	.finalize = rdd_controller_test_finalize_cb,
};

static void
rdd_controller_test_setup(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_kind_new_from_yaml(rdd_controller_test_crds, -1, &error);

	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	self->store = rdd_store_new();
	for (guint i = 0; i < kinds->len; i++) {
		g_assert_true(rdd_store_register_kind(self->store, g_ptr_array_index(kinds, i), &error));
		g_assert_no_error(error);
	}
	self->thing = g_object_ref(rdd_store_find_kind(self->store, RDD_CONTROLLER_TEST_API, "Thing"));
	self->part = g_object_ref(rdd_store_find_kind(self->store, RDD_CONTROLLER_TEST_API, "Part"));
	self->keys = g_ptr_array_new_with_free_func(g_free);
	self->times = g_array_new(FALSE, FALSE, sizeof(gint64));
	self->seen_n = g_array_new(FALSE, FALSE, sizeof(gint64));
	self->deferred = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_reconcile_unref);
	self->controller =
		rdd_controller_new("things", "test", self->thing, &rdd_controller_test_vtable, self, NULL);
	/* keep the tests fast; the backoff tests set their own */
	rdd_controller_set_backoff(self->controller, 10, 20);
}

static void
rdd_controller_test_teardown(RddControllerTest *self, gconstpointer data)
{
	if (self->controller != NULL)
		rdd_controller_stop(self->controller);
	g_clear_object(&self->controller);
	g_ptr_array_unref(self->deferred);
	g_ptr_array_unref(self->keys);
	g_array_unref(self->times);
	g_array_unref(self->seen_n);
	g_clear_object(&self->thing);
	g_clear_object(&self->part);
	g_clear_object(&self->store);
	/* let removed sources and idles go */
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static void
rdd_controller_test_start(RddControllerTest *self)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(rdd_controller_start(self->controller, self->store, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_controller_is_running(self->controller));
}

static RddObject *
rdd_controller_test_create(RddControllerTest *self, const gchar *kind, const gchar *name, const gchar *extra)
{
	g_autofree gchar *json =
		g_strdup_printf("{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\","
				"\"namespace\":\"default\"%s},\"spec\":{\"n\":0}}",
				RDD_CONTROLLER_TEST_API, kind, name, extra != NULL ? extra : "");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_json_parse(json, -1, &error);
	RddObject *obj;

	g_assert_no_error(error);
	obj = rdd_store_create(self->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static RddObject *
rdd_controller_test_thing(RddControllerTest *self, const gchar *name)
{
	return rdd_controller_test_create(self, "Thing", name, NULL);
}

static void
rdd_controller_test_set_n(RddControllerTest *self, RddKind *kind, const gchar *name, gint64 n)
{
	g_autofree gchar *json = g_strdup_printf("{\"spec\":{\"n\":%" G_GINT64_FORMAT "}}", n);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) patch = rdd_json_parse(json, -1, &error);
	g_autoptr(RddObject) obj = NULL;

	g_assert_no_error(error);
	obj = rdd_store_patch(self->store, kind, "default", name, RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
}

static guint
rdd_controller_test_count_key(RddControllerTest *self, const gchar *key)
{
	guint count = 0;
	for (guint i = 0; i < self->keys->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->keys, i), key) == 0)
			count++;
	}
	return count;
}

/* ---------------------------------------------------------------------------------------- */
/* coalescing */

static void
rdd_controller_test_coalesce_one_key(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	rdd_controller_test_start(self);
	g_assert_cmpuint(self->setups, ==, 1);

	/* a create and 100 changes, all in one main-loop iteration */
	obj = rdd_controller_test_thing(self, "t1");
	for (gint i = 1; i <= 100; i++)
		rdd_controller_test_set_n(self, self->thing, "t1", i);
	g_assert_cmpuint(rdd_controller_get_queue_length(self->controller), ==, 1);
	g_assert_false(rdd_controller_is_idle(self->controller));

	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_drain(50);
	g_assert_cmpuint(self->runs, ==, 1);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 1);
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, 0);
	g_assert_null(rdd_controller_get_last_error(self->controller));
	g_assert_cmpint(rdd_controller_get_last_duration(self->controller), >=, 0);
	g_assert_cmpstr(g_ptr_array_index(self->keys, 0), ==, "default/t1");
	/* the run saw the latest state */
	g_assert_cmpint(g_array_index(self->seen_n, gint64, 0), ==, 100);
	g_assert_cmpuint(rdd_controller_get_queue_length(self->controller), ==, 0);
	g_assert_true(rdd_controller_is_idle(self->controller));
}

static void
rdd_controller_test_many_keys(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	rdd_controller_test_start(self);
	for (guint i = 0; i < 100; i++) {
		g_autofree gchar *name = g_strdup_printf("t%03u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	g_assert_cmpuint(rdd_controller_get_queue_length(self->controller), ==, 100);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_drain(50);
	g_assert_cmpuint(self->runs, ==, 100);
	for (guint i = 0; i < self->keys->len; i++)
		g_hash_table_add(seen, g_ptr_array_index(self->keys, i));
	g_assert_cmpuint(g_hash_table_size(seen), ==, 100);
	/* keys run in the order they were queued */
	g_assert_cmpstr(g_ptr_array_index(self->keys, 0), ==, "default/t000");
	g_assert_cmpstr(g_ptr_array_index(self->keys, 99), ==, "default/t099");
}

static void
rdd_controller_test_existing_objects(RddControllerTest *self, gconstpointer data)
{
	/* objects created before the start are queued by it */
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *name = g_strdup_printf("t%u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	rdd_controller_test_start(self);
	g_assert_cmpuint(rdd_controller_get_queue_length(self->controller), ==, 5);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	g_assert_cmpuint(self->runs, ==, 5);

	/* and enqueue_all queues them again */
	rdd_controller_enqueue_all(self->controller);
	g_assert_true(rdd_controller_test_wait_runs(self, 10, 5000));
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 10);
}

static void
rdd_controller_test_changes_while_deferred(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	RddReconcile *rec;

	self->script[0] = RDD_CONTROLLER_TEST_DEFER;
	self->script_len = 1;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_cmpuint(self->deferred->len, ==, 1);

	/* the key is running: changes mark it dirty, they do not start a second run */
	for (gint i = 1; i <= 10; i++)
		rdd_controller_test_set_n(self, self->thing, "t1", i);
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 1);
	g_assert_false(rdd_controller_is_idle(self->controller));
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 0);

	/* completing it runs the key exactly once more, with the latest state */
	rec = g_ptr_array_index(self->deferred, 0);
	rdd_reconcile_complete(rec, NULL);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 1);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_drain(50);
	g_assert_cmpuint(self->runs, ==, 2);
	g_assert_cmpint(g_array_index(self->seen_n, gint64, 1), ==, 10);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 2);
	/* a second completion of the same run changes nothing */
	rdd_reconcile_complete(rec, NULL);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* backoff */

static void
rdd_controller_test_backoff(RddControllerTest *self, gconstpointer data)
{
	const guint expected[] = {10, 20, 40, 80, 80, 80};
	g_autoptr(RddObject) obj = NULL;

	self->action = RDD_CONTROLLER_TEST_FAIL;
	rdd_controller_set_backoff(self->controller, 10, 80);
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, G_N_ELEMENTS(expected) + 1, 10000));
	rdd_controller_stop(self->controller);

	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		gint64 gap = rdd_controller_test_gap_ms(self, i, i + 1);
		g_test_message("gap %u: %" G_GINT64_FORMAT " ms, expected %u ms", i, gap, expected[i]);
		/* never sooner than the backoff, never much later, never beyond the cap */
		g_assert_cmpint(gap, >=, expected[i]);
		g_assert_cmpint(gap, <=, expected[i] + RDD_CONTROLLER_TEST_SLACK_MS);
		g_assert_cmpint(gap, <=, 80 + RDD_CONTROLLER_TEST_SLACK_MS);
	}
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, self->runs);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, self->runs);
	g_assert_true(g_str_has_prefix(rdd_controller_get_last_error(self->controller), "things: "));
	g_assert_nonnull(strstr(rdd_controller_get_last_error(self->controller), "boom"));
}

static void
rdd_controller_test_backoff_reset(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	gint64 gap;

	/* five failures (the next delay would be 320 ms), then a success */
	for (guint i = 0; i < 5; i++)
		self->script[i] = RDD_CONTROLLER_TEST_FAIL;
	self->script[5] = RDD_CONTROLLER_TEST_OK;
	self->script_len = 6;
	self->action = RDD_CONTROLLER_TEST_FAIL;
	rdd_controller_set_backoff(self->controller, 10, 5000);
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 6, 10000));
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 3, 4), >=, 80);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, 5);

	/* the success reset the backoff: the next failure waits the base delay again */
	rdd_controller_test_set_n(self, self->thing, "t1", 1);
	g_assert_true(rdd_controller_test_wait_runs(self, 8, 10000));
	rdd_controller_stop(self->controller);
	gap = rdd_controller_test_gap_ms(self, 6, 7);
	g_test_message("gap after reset: %" G_GINT64_FORMAT " ms", gap);
	g_assert_cmpint(gap, >=, 10);
	g_assert_cmpint(gap, <, 10 + RDD_CONTROLLER_TEST_SLACK_MS);
	g_assert_cmpint(gap, <, 320);
}

static void
rdd_controller_test_backoff_enqueue(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	/* a key waiting for a long retry runs at once when something queues it */
	self->script[0] = RDD_CONTROLLER_TEST_FAIL;
	self->script_len = 1;
	rdd_controller_set_backoff(self->controller, 60000, 60000);
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_true(rdd_controller_is_idle(self->controller));
	rdd_controller_enqueue(self->controller, "default", "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 0, 1), <, 5000);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* requeue */

static void
rdd_controller_test_requeue_after(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	self->requeue_ms = 80;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	/* waiting for a requeue counts as idle */
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 0, 1), >=, 80);
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 0, 1), <=, 80 + RDD_CONTROLLER_TEST_SLACK_MS);
	/* the second run did not ask again */
	rdd_controller_test_drain(200);
	g_assert_cmpuint(self->runs, ==, 2);
}

static void
rdd_controller_test_requeue_enqueue_now(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	self->requeue_ms = 60000;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	rdd_controller_test_drain(20);
	g_assert_cmpuint(self->runs, ==, 1);

	/* a change during the wait runs the key at once */
	rdd_controller_test_set_n(self, self->thing, "t1", 7);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 0, 1), <, 5000);
	g_assert_cmpint(g_array_index(self->seen_n, gint64, 1), ==, 7);
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 2);
	g_assert_true(rdd_controller_is_idle(self->controller));
}

static void
rdd_controller_test_enqueue_after(RddControllerTest *self, gconstpointer data)
{
	gint64 start;

	rdd_controller_test_start(self);
	/* keys need no object: the run sees it is gone */
	start = g_get_monotonic_time();
	rdd_controller_enqueue_after(self->controller, "default", "later", 60);
	rdd_controller_enqueue_after(self->controller, "default", "now", 0);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpstr(g_ptr_array_index(self->keys, 0), ==, "default/now");
	g_assert_cmpstr(g_ptr_array_index(self->keys, 1), ==, "default/later");
	g_assert_cmpint(g_array_index(self->times, gint64, 1) - start, >=, 60 * 1000);
	g_assert_cmpuint(self->reconciles_of_gone, ==, 2);
	g_assert_cmpint(g_array_index(self->seen_n, gint64, 0), ==, -1);
}

/* ---------------------------------------------------------------------------------------- */
/* deadlines */

static void
rdd_controller_test_deadline(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) slow = NULL;
	g_autoptr(RddObject) fast = NULL;
	g_autoptr(GError) late_error = NULL;
	RddReconcile *rec;
	guint64 reconciles, errors;

	self->script[0] = RDD_CONTROLLER_TEST_DEFER; /* slow: never completes */
	self->script_len = 1;
	rdd_controller_set_deadline(self->controller, 50);
	rdd_controller_set_backoff(self->controller, 10, 10);
	rdd_controller_test_start(self);
	slow = rdd_controller_test_thing(self, "slow");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_cmpuint(self->deferred->len, ==, 1);
	rec = g_ptr_array_index(self->deferred, 0);

	/* the queue is not wedged: another key runs while the slow one is out */
	fast = rdd_controller_test_thing(self, "fast");
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpstr(g_ptr_array_index(self->keys, 1), ==, "default/fast");
	g_assert_cmpuint(self->cancelled, ==, 0);
	g_assert_false(g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(rec)));

	/* the deadline cancels the slow run and retries the key */
	g_assert_true(rdd_controller_test_wait_runs(self, 3, 5000));
	g_assert_cmpstr(g_ptr_array_index(self->keys, 2), ==, "default/slow");
	g_assert_cmpuint(self->cancelled, ==, 1);
	g_assert_true(g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(rec)));
	g_assert_cmpint(rdd_controller_test_gap_ms(self, 0, 2), >=, 50 + 10);
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, 1);
	g_assert_nonnull(strstr(rdd_controller_get_last_error(self->controller),
				"reconcile of default/slow did not finish within 50 ms"));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));

	/* a late completion, successful or not, is ignored */
	reconciles = rdd_controller_get_reconcile_count(self->controller);
	errors = rdd_controller_get_error_count(self->controller);
	rdd_reconcile_complete(rec, NULL);
	g_set_error_literal(&late_error, RDD_ERROR, RDD_ERROR_INTERNAL, "late");
	rdd_reconcile_complete(rec, late_error);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, reconciles);
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, errors);
	g_assert_true(rdd_controller_is_idle(self->controller));
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 3);
}

static void
rdd_controller_test_deadline_frees_slots(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	guint dispatched;

	/* every first run defers forever; more keys than may be in flight at once */
	for (guint i = 0; i < 12; i++)
		self->script[i] = RDD_CONTROLLER_TEST_DEFER;
	self->script_len = 12;
	rdd_controller_set_deadline(self->controller, 40);
	rdd_controller_set_backoff(self->controller, 5000, 5000);
	rdd_controller_test_start(self);
	for (guint i = 0; i < 12; i++) {
		g_autofree gchar *name = g_strdup_printf("t%02u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	/* at most eight run at once; the deadline frees the slots for the rest */
	g_assert_true(rdd_controller_test_wait_runs(self, 8, 5000));
	dispatched = rdd_controller_test_drain(20);
	g_assert_cmpuint(self->runs, ==, 8);
	/* the queue does not spin while every slot is taken: only the tick runs */
	g_test_message("%u dispatches in 20 ms with every slot taken", dispatched);
	g_assert_cmpuint(dispatched, <, 100);
	g_assert_true(rdd_controller_test_wait_runs(self, 12, 5000));
	for (guint i = 0; i < self->keys->len; i++)
		g_hash_table_add(seen, g_ptr_array_index(self->keys, i));
	g_assert_cmpuint(g_hash_table_size(seen), ==, 12);
}

/* ---------------------------------------------------------------------------------------- */
/* finalizers */

static gboolean
rdd_controller_test_t1_gone(RddControllerTest *self)
{
	g_autoptr(RddObject) obj = rdd_store_lookup(self->store, self->thing, "default", "t1");
	return obj == NULL;
}

static void
rdd_controller_test_finalizer(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) current = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autoptr(GError) error = NULL;

	self->finalize_failures = 1;
	rdd_controller_set_finalizer(self->controller, RDD_CONTROLLER_TEST_FINALIZER);
	g_assert_cmpstr(rdd_controller_get_finalizer(self->controller), ==, RDD_CONTROLLER_TEST_FINALIZER);
	rdd_controller_test_start(self);

	/* the runtime adds the finalizer to a new object, then reconciles it */
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_false(rdd_object_has_finalizer(obj, RDD_CONTROLLER_TEST_FINALIZER));
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	current = rdd_store_lookup(self->store, self->thing, "default", "t1");
	g_assert_true(rdd_object_has_finalizer(current, RDD_CONTROLLER_TEST_FINALIZER));
	g_assert_cmpuint(self->finalizes, ==, 0);

	/* deletion keeps the object until finalize succeeded; the failure is retried */
	deleting = rdd_store_delete(self->store, self->thing, "default", "t1", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(deleting);
	g_assert_true(rdd_object_is_deleting(deleting));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_t1_gone, 5000));
	g_assert_cmpuint(self->finalizes, ==, 2);
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), ==, 1);
	g_assert_nonnull(strstr(rdd_controller_get_last_error(self->controller), "not yet (1)"));
	/* reconcile never saw the object being deleted, only its disappearance */
	g_assert_cmpuint(self->reconciles_of_deleting, ==, 0);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->reconciles_of_gone, ==, 1);
}

static gboolean
rdd_controller_test_finalize_failures_cb(RddControllerTest *self)
{
	return self->finalizes >= 3;
}

static void
rdd_controller_test_finalizer_keeps(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autoptr(RddObject) current = NULL;
	g_autoptr(GError) error = NULL;

	/* finalize keeps failing: the object and its finalizer stay */
	self->finalize_failures = G_MAXUINT;
	rdd_controller_set_finalizer(self->controller, RDD_CONTROLLER_TEST_FINALIZER);
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	deleting = rdd_store_delete(self->store, self->thing, "default", "t1", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_finalize_failures_cb, 5000));
	rdd_controller_stop(self->controller);
	current = rdd_store_lookup(self->store, self->thing, "default", "t1");
	g_assert_nonnull(current);
	g_assert_true(rdd_object_is_deleting(current));
	g_assert_true(rdd_object_has_finalizer(current, RDD_CONTROLLER_TEST_FINALIZER));
	g_assert_cmpuint(rdd_controller_get_error_count(self->controller), >=, 3);
}

/* ---------------------------------------------------------------------------------------- */
/* watches */

static void
rdd_controller_test_watch_owner(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) t1 = NULL;
	g_autoptr(RddObject) p1 = NULL;
	g_autoptr(RddObject) p2 = NULL;
	g_autoptr(RddObject) p3 = NULL;
	g_autofree gchar *owned = NULL;
	g_autofree gchar *not_controller = NULL;
	g_autofree gchar *other_kind = NULL;

	rdd_controller_watch(self->controller, self->part, NULL, NULL);
	rdd_controller_test_start(self);
	t1 = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	g_assert_cmpuint(self->runs, ==, 1);

	/* a Part controlled by t1 queues t1 */
	owned = g_strdup_printf(",\"ownerReferences\":[{\"apiVersion\":\"%s\",\"kind\":\"Thing\","
				"\"name\":\"t1\",\"uid\":\"%s\",\"controller\":true}]",
				RDD_CONTROLLER_TEST_API, rdd_object_get_uid(t1));
	p1 = rdd_controller_test_create(self, "Part", "p1", owned);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpstr(g_ptr_array_index(self->keys, 1), ==, "default/t1");

	/* an owner that is not the controller, or of another kind, queues nothing */
	not_controller = g_strdup_printf(",\"ownerReferences\":[{\"apiVersion\":\"%s\",\"kind\":"
					 "\"Thing\",\"name\":\"t1\",\"uid\":\"%s\"}]",
					 RDD_CONTROLLER_TEST_API, rdd_object_get_uid(t1));
	p2 = rdd_controller_test_create(self, "Part", "p2", not_controller);
	other_kind = g_strdup_printf(",\"ownerReferences\":[{\"apiVersion\":\"%s\",\"kind\":"
				     "\"Part\",\"name\":\"p1\",\"uid\":\"%s\",\"controller\":true}]",
				     RDD_CONTROLLER_TEST_API, rdd_object_get_uid(p1));
	p3 = rdd_controller_test_create(self, "Part", "p3", other_kind);
	rdd_controller_test_drain(50);
	g_assert_cmpuint(self->runs, ==, 2);

	/* a change of the owned Part queues t1 again */
	rdd_controller_test_set_n(self, self->part, "p1", 5);
	g_assert_true(rdd_controller_test_wait_runs(self, 3, 5000));
	g_assert_cmpuint(rdd_controller_test_count_key(self, "default/t1"), ==, 3);
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 3);
}

static void
rdd_controller_test_map_cb(RddController *controller, RddObject *object, gpointer user_data)
{
	guint *calls = user_data;
	g_autoptr(JsonNode) spec = rdd_object_dup_member(object, "spec");
	const gchar *target = rdd_json_lookup_string(spec, "target");

	(*calls)++;
	if (target != NULL)
		rdd_controller_enqueue(controller, rdd_object_get_namespace(object), target);
}

static void
rdd_controller_test_watch_map(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) p1 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	guint calls = 0;

	rdd_controller_watch(self->controller, self->part, rdd_controller_test_map_cb, &calls);
	rdd_controller_test_start(self);
	node = rdd_json_parse("{\"apiVersion\":\"" RDD_CONTROLLER_TEST_API "\",\"kind\":\"Part\","
			      "\"metadata\":{\"name\":\"p1\",\"namespace\":\"default\"},"
			      "\"spec\":{\"target\":\"mapped\"}}",
			      -1, &error);
	g_assert_no_error(error);
	p1 = rdd_store_create(self->store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(calls, ==, 1);
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_cmpstr(g_ptr_array_index(self->keys, 0), ==, "default/mapped");
	g_assert_cmpuint(self->reconciles_of_gone, ==, 1);

	/* removal is a change too */
	{
		g_autoptr(RddObject) gone =
			rdd_store_delete(self->store, self->part, "default", "p1", NULL, &error);
		g_assert_no_error(error);
	}
	g_assert_cmpuint(calls, ==, 2);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* the runner around vtable entries */

static gboolean
rdd_controller_test_errors_1(RddControllerTest *self)
{
	return rdd_controller_get_error_count(self->controller) >= 1;
}

static void
rdd_controller_test_runner_false_no_error(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	self->script[0] = RDD_CONTROLLER_TEST_FALSE_NO_ERROR;
	self->script_len = 1;
	rdd_controller_set_backoff(self->controller, 5000, 5000);
	rdd_controller_set_plugin(self->controller, "fixture");
	g_assert_cmpstr(rdd_controller_get_plugin(self->controller), ==, "fixture");
	rdd_controller_test_start(self);
	g_test_expect_message("RddCore", G_LOG_LEVEL_CRITICAL,
			      "controller things: reconcile of default/t1 returned FALSE without an "
			      "error");
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_errors_1, 5000));
	g_test_assert_expected_messages();
	g_assert_cmpstr(rdd_controller_get_last_error(self->controller), ==,
			"things: fixture: reconcile failed without saying why");
}

static void
rdd_controller_test_runner_prefix(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	/* a controller of a plugin: both names */
	self->script[0] = RDD_CONTROLLER_TEST_FAIL;
	self->script_len = 1;
	rdd_controller_set_backoff(self->controller, 5000, 5000);
	rdd_controller_set_plugin(self->controller, "fixture");
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_errors_1, 5000));
	g_assert_cmpstr(rdd_controller_get_last_error(self->controller), ==, "things: fixture: boom 1");
}

static void
rdd_controller_test_runner_prefix_builtin(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	/* a controller of no plugin: its name, once */
	self->script[0] = RDD_CONTROLLER_TEST_FAIL;
	self->script_len = 1;
	rdd_controller_set_backoff(self->controller, 5000, 5000);
	g_assert_null(rdd_controller_get_plugin(self->controller));
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_errors_1, 5000));
	g_assert_cmpstr(rdd_controller_get_last_error(self->controller), ==, "things: boom 1");
}

static gboolean
rdd_controller_test_must_not_run(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	g_assert_not_reached();
	return FALSE;
}

static gboolean
rdd_controller_test_count_setup(RddController *controller, gpointer user_data, GError **error)
{
	guint *setups = user_data;
	(*setups)++;
	return TRUE;
}

static gboolean
rdd_controller_test_reconcile_count(RddController *controller)
{
	return rdd_controller_get_reconcile_count(controller) >= 1;
}

static gboolean
rdd_controller_test_wait_controller(RddController *controller, gboolean (*cond)(RddController *), guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	guint tick = g_timeout_add(2, rdd_controller_test_tick_cb, NULL);
	gboolean ok;

	while (!(ok = cond(controller)) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	return ok;
}

static void
rdd_controller_test_runner_null_entries(RddControllerTest *self, gconstpointer data)
{
	static const RddControllerVTable empty = {.struct_size = sizeof(RddControllerVTable)};
	g_autoptr(RddController) controller = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autoptr(GError) error = NULL;

	/* every entry NULL: runs succeed, and a finalizer is still added and removed */
	controller = rdd_controller_new("empty", NULL, self->thing, &empty, NULL, NULL);
	g_assert_cmpstr(rdd_controller_get_group(controller), ==, "");
	g_assert_true(rdd_controller_get_kind(controller) == self->thing);
	g_assert_null(rdd_controller_get_store(controller));
	rdd_controller_set_finalizer(controller, RDD_CONTROLLER_TEST_FINALIZER);
	g_assert_true(rdd_controller_start(controller, self->store, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_controller_get_store(controller) == self->store);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_controller(controller, rdd_controller_test_reconcile_count, 5000));
	deleting = rdd_store_delete(self->store, self->thing, "default", "t1", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_t1_gone, 5000));
	g_assert_cmpuint(rdd_controller_get_error_count(controller), ==, 0);
	rdd_controller_stop(controller);
}

static void
rdd_controller_test_runner_old_vtable(RddControllerTest *self, gconstpointer data)
{
	/* an "old plugin" whose table ends before finalize, with garbage where finalize is */
	RddControllerVTable before_finalize = {
		.struct_size = G_STRUCT_OFFSET(RddControllerVTable, finalize),
		.setup = rdd_controller_test_count_setup,
		.reconcile = NULL,
		.finalize = rdd_controller_test_must_not_run,
	};
	/* and one that ends before reconcile */
	RddControllerVTable before_reconcile = {
		.struct_size = G_STRUCT_OFFSET(RddControllerVTable, reconcile),
		.setup = rdd_controller_test_count_setup,
		.reconcile = rdd_controller_test_must_not_run,
		.finalize = rdd_controller_test_must_not_run,
	};
	/* and one that claims no size at all */
	RddControllerVTable zero = {
		.struct_size = 0,
		.setup = NULL,
		.reconcile = rdd_controller_test_must_not_run,
		.finalize = rdd_controller_test_must_not_run,
	};
	const RddControllerVTable *tables[] = {&before_finalize, &before_reconcile, &zero};
	const guint setups_expected[] = {1, 1, 0};

	for (guint i = 0; i < G_N_ELEMENTS(tables); i++) {
		g_autoptr(RddController) controller = NULL;
		g_autoptr(RddObject) obj = NULL;
		g_autoptr(RddObject) deleting = NULL;
		g_autoptr(GError) error = NULL;
		guint setups = 0;

		controller = rdd_controller_new("old", "test", self->thing, tables[i], &setups, NULL);
		rdd_controller_set_finalizer(controller, RDD_CONTROLLER_TEST_FINALIZER);
		g_assert_true(rdd_controller_start(controller, self->store, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(setups, ==, setups_expected[i]);
		obj = rdd_controller_test_thing(self, "t1");
		g_assert_true(rdd_controller_test_wait_controller(
			controller, rdd_controller_test_reconcile_count, 5000));
		deleting = rdd_store_delete(self->store, self->thing, "default", "t1", NULL, &error);
		g_assert_no_error(error);
		g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_t1_gone, 5000));
		g_assert_cmpuint(rdd_controller_get_error_count(controller), ==, 0);
		rdd_controller_stop(controller);
	}
}

static gboolean
rdd_controller_test_setup_fails(RddController *controller, gpointer user_data, GError **error)
{
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "no such thing");
	return FALSE;
}

static gboolean
rdd_controller_test_setup_false(RddController *controller, gpointer user_data, GError **error)
{
	return FALSE;
}

static void
rdd_controller_test_setup_entry(RddControllerTest *self, gconstpointer data)
{
	static const RddControllerVTable fails = {
		.struct_size = sizeof(RddControllerVTable),
		.setup = rdd_controller_test_setup_fails,
		.reconcile = rdd_controller_test_must_not_run,
	};
	static const RddControllerVTable false_no_error = {
		.struct_size = sizeof(RddControllerVTable),
		.setup = rdd_controller_test_setup_false,
		.reconcile = rdd_controller_test_must_not_run,
	};
	g_autoptr(RddController) c1 = rdd_controller_new("c1", "test", self->thing, &fails, NULL, NULL);
	g_autoptr(RddController) c2 =
		rdd_controller_new("c2", "test", self->thing, &false_no_error, NULL, NULL);
	g_autoptr(RddObject) obj = rdd_controller_test_thing(self, "t1");
	g_autoptr(GError) error = NULL;

	g_assert_false(rdd_controller_start(c1, self->store, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "c1: setup: no such thing");
	g_assert_false(rdd_controller_is_running(c1));
	g_assert_null(rdd_controller_get_store(c1));
	g_clear_error(&error);

	g_test_expect_message("RddCore", G_LOG_LEVEL_CRITICAL, "controller c2: setup returned FALSE without an error");
	g_assert_false(rdd_controller_start(c2, self->store, &error));
	g_test_assert_expected_messages();
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
	g_assert_cmpstr(error->message, ==, "c2: setup failed without saying why");
	g_assert_false(rdd_controller_is_running(c2));

	/* a stopped controller reconciles nothing */
	rdd_controller_test_set_n(self, self->thing, "t1", 3);
	rdd_controller_test_drain(30);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(c1), ==, 0);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(c2), ==, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* lifetimes */

static void
rdd_controller_test_stop_while_deferred(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	RddController *weak = self->controller;
	RddReconcile *rec;

	self->script[0] = RDD_CONTROLLER_TEST_DEFER;
	self->script_len = 1;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	rec = g_ptr_array_index(self->deferred, 0);

	/* stopping cancels the run; completing it later is ignored */
	rdd_controller_stop(self->controller);
	g_assert_false(rdd_controller_is_running(self->controller));
	g_assert_true(rdd_controller_is_idle(self->controller));
	g_assert_cmpuint(self->cancelled, ==, 1);
	g_assert_true(g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(rec)));
	rdd_reconcile_complete(rec, NULL);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 0);

	/* a restart queues the object again and runs it */
	rdd_controller_test_start(self);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));

	/* the deferred reference keeps the controller alive, and nothing else does */
	rdd_controller_stop(self->controller);
	g_object_add_weak_pointer(G_OBJECT(weak), (gpointer *)&weak);
	g_clear_object(&self->controller);
	g_assert_nonnull(weak);
	g_ptr_array_set_size(self->deferred, 0);
	g_assert_null(weak);
}

static void
rdd_controller_test_destroy_while_deferred(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;
	RddController *weak = self->controller;
	RddReconcile *rec;

	/* the last reference of the owner goes while a run is out */
	self->script[0] = RDD_CONTROLLER_TEST_DEFER;
	self->script_len = 1;
	rdd_controller_set_deadline(self->controller, 30);
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	rec = g_ptr_array_index(self->deferred, 0);
	g_object_add_weak_pointer(G_OBJECT(weak), (gpointer *)&weak);
	g_clear_object(&self->controller);
	g_assert_nonnull(weak);

	/* the deadline passes, the key is retried and succeeds, all without an owner */
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_true(g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(rec)));
	rdd_controller_test_drain(30);
	g_assert_nonnull(weak);
	rdd_reconcile_complete(rec, NULL);
	g_ptr_array_set_size(self->deferred, 0);
	g_assert_null(weak);
	/* changes after that reach nobody */
	rdd_controller_test_set_n(self, self->thing, "t1", 1);
	rdd_controller_test_drain(30);
	g_assert_cmpuint(self->runs, ==, 2);
}

static void
rdd_controller_test_destroy_store_first(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	/* the controller keeps the store it runs on */
	self->script[0] = RDD_CONTROLLER_TEST_DEFER;
	self->script_len = 1;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_clear_pointer(&obj, rdd_object_unref);
	g_clear_object(&self->store);
	g_assert_nonnull(rdd_controller_get_store(self->controller));
	rdd_reconcile_complete(g_ptr_array_index(self->deferred, 0), NULL);
	rdd_controller_stop(self->controller);
	g_clear_object(&self->controller);
}

static void
rdd_controller_test_stop_inside_reconcile(RddControllerTest *self, gconstpointer data)
{
	/* more cycles than runs may be in flight: a leaked slot would wedge the queue */
	self->action = RDD_CONTROLLER_TEST_DEFER_STOP;
	for (guint i = 1; i <= 10; i++) {
		g_autofree gchar *name = g_strdup_printf("t%u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
		rdd_controller_test_start(self);
		g_assert_true(rdd_controller_test_wait_runs(self, i, 5000));
		g_assert_false(rdd_controller_is_running(self->controller));
		/* the key that ran is dropped, not run again */
		g_assert_cmpuint(self->runs, ==, i);
		g_clear_pointer(&obj, rdd_object_unref);
		{
			g_autoptr(GError) error = NULL;
			g_autoptr(RddObject) gone =
				rdd_store_delete(self->store, self->thing, "default", name, NULL, &error);
			g_assert_no_error(error);
		}
	}
	/* no slot leaked: eight deferred runs still go out at once */
	self->action = RDD_CONTROLLER_TEST_DEFER;
	rdd_controller_test_start(self);
	for (guint i = 0; i < 8; i++) {
		g_autofree gchar *name = g_strdup_printf("d%u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	g_assert_true(rdd_controller_test_wait_runs(self, 18, 5000));
}

static void
rdd_controller_test_complete_inside_reconcile(RddControllerTest *self, gconstpointer data)
{
	/* deferring and completing before returning is a synchronous run */
	self->action = RDD_CONTROLLER_TEST_DEFER_COMPLETE;
	rdd_controller_test_start(self);
	for (guint i = 0; i < 12; i++) {
		g_autofree gchar *name = g_strdup_printf("t%02u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	g_assert_true(rdd_controller_test_wait_runs(self, 12, 5000));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	g_assert_cmpuint(rdd_controller_get_reconcile_count(self->controller), ==, 12);

	/* and leaves no slot taken: deferred runs still go up to the limit at once */
	self->action = RDD_CONTROLLER_TEST_DEFER;
	for (guint i = 0; i < 8; i++) {
		g_autofree gchar *name = g_strdup_printf("d%02u", i);
		g_autoptr(RddObject) obj = rdd_controller_test_thing(self, name);
	}
	g_assert_true(rdd_controller_test_wait_runs(self, 20, 5000));
}

static void
rdd_controller_test_cancelled_by_plugin(RddControllerTest *self, gconstpointer data)
{
	g_autoptr(RddObject) obj = NULL;

	/* the plugin cancels its own run and then reports success: the key must not wedge */
	self->script[0] = RDD_CONTROLLER_TEST_CANCEL_COMPLETE;
	self->script_len = 1;
	rdd_controller_test_start(self);
	obj = rdd_controller_test_thing(self, "t1");
	g_assert_true(rdd_controller_test_wait_runs(self, 1, 5000));
	g_assert_true(rdd_controller_test_wait(self, rdd_controller_test_idle, 5000));
	rdd_controller_test_set_n(self, self->thing, "t1", 2);
	g_assert_true(rdd_controller_test_wait_runs(self, 2, 5000));
	g_assert_cmpint(g_array_index(self->seen_n, gint64, 1), ==, 2);
}

static void
rdd_controller_test_getters(RddControllerTest *self, gconstpointer data)
{
	g_assert_cmpstr(rdd_controller_get_name(self->controller), ==, "things");
	g_assert_cmpstr(rdd_controller_get_group(self->controller), ==, "test");
	g_assert_true(rdd_controller_get_kind(self->controller) == self->thing);
	g_assert_null(rdd_controller_get_plugin(self->controller));
	g_assert_null(rdd_controller_get_finalizer(self->controller));
	g_assert_false(rdd_controller_is_running(self->controller));
	g_assert_true(rdd_controller_is_idle(self->controller));
	g_assert_cmpuint(rdd_controller_get_queue_length(self->controller), ==, 0);
	/* enqueue_all before start has no store to list */
	rdd_controller_enqueue_all(self->controller);
	rdd_controller_set_plugin(self->controller, "p");
	rdd_controller_set_plugin(self->controller, NULL);
	g_assert_null(rdd_controller_get_plugin(self->controller));
	/* starting twice is harmless */
	rdd_controller_test_start(self);
	rdd_controller_test_start(self);
	g_assert_cmpuint(self->setups, ==, 1);
}

static void
rdd_controller_test_add(const gchar *path, void (*func)(RddControllerTest *self, gconstpointer data))
{
	g_test_add(path, RddControllerTest, NULL, rdd_controller_test_setup, func, rdd_controller_test_teardown);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	rdd_controller_test_add("/rdd/controller/getters", rdd_controller_test_getters);
	rdd_controller_test_add("/rdd/controller/coalesce-one-key", rdd_controller_test_coalesce_one_key);
	rdd_controller_test_add("/rdd/controller/many-keys", rdd_controller_test_many_keys);
	rdd_controller_test_add("/rdd/controller/existing-objects", rdd_controller_test_existing_objects);
	rdd_controller_test_add("/rdd/controller/changes-while-deferred", rdd_controller_test_changes_while_deferred);
	rdd_controller_test_add("/rdd/controller/backoff", rdd_controller_test_backoff);
	rdd_controller_test_add("/rdd/controller/backoff-reset", rdd_controller_test_backoff_reset);
	rdd_controller_test_add("/rdd/controller/backoff-enqueue", rdd_controller_test_backoff_enqueue);
	rdd_controller_test_add("/rdd/controller/requeue-after", rdd_controller_test_requeue_after);
	rdd_controller_test_add("/rdd/controller/requeue-enqueue-now", rdd_controller_test_requeue_enqueue_now);
	rdd_controller_test_add("/rdd/controller/enqueue-after", rdd_controller_test_enqueue_after);
	rdd_controller_test_add("/rdd/controller/deadline", rdd_controller_test_deadline);
	rdd_controller_test_add("/rdd/controller/deadline-frees-slots", rdd_controller_test_deadline_frees_slots);
	rdd_controller_test_add("/rdd/controller/finalizer", rdd_controller_test_finalizer);
	rdd_controller_test_add("/rdd/controller/finalizer-keeps", rdd_controller_test_finalizer_keeps);
	rdd_controller_test_add("/rdd/controller/watch-owner", rdd_controller_test_watch_owner);
	rdd_controller_test_add("/rdd/controller/watch-map", rdd_controller_test_watch_map);
	rdd_controller_test_add("/rdd/controller/runner-false-no-error", rdd_controller_test_runner_false_no_error);
	rdd_controller_test_add("/rdd/controller/runner-prefix", rdd_controller_test_runner_prefix);
	rdd_controller_test_add("/rdd/controller/runner-prefix-builtin", rdd_controller_test_runner_prefix_builtin);
	rdd_controller_test_add("/rdd/controller/runner-null-entries", rdd_controller_test_runner_null_entries);
	rdd_controller_test_add("/rdd/controller/runner-old-vtable", rdd_controller_test_runner_old_vtable);
	rdd_controller_test_add("/rdd/controller/setup", rdd_controller_test_setup_entry);
	rdd_controller_test_add("/rdd/controller/stop-while-deferred", rdd_controller_test_stop_while_deferred);
	rdd_controller_test_add("/rdd/controller/destroy-while-deferred", rdd_controller_test_destroy_while_deferred);
	rdd_controller_test_add("/rdd/controller/destroy-store-first", rdd_controller_test_destroy_store_first);
	rdd_controller_test_add("/rdd/controller/stop-inside-reconcile", rdd_controller_test_stop_inside_reconcile);
	rdd_controller_test_add("/rdd/controller/complete-inside-reconcile",
				rdd_controller_test_complete_inside_reconcile);
	rdd_controller_test_add("/rdd/controller/cancelled-by-plugin", rdd_controller_test_cancelled_by_plugin);
	return g_test_run();
}
