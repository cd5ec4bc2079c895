/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Helper of persist-crash-test: writes to a store as fast as it can until it is killed.
 *
 * Usage: persist-crash-writer DB KINDS-YAML ROUND
 *
 * Before each write it prints `intent OP NAME`; when the write is durable it prints
 * `ack create NAME rv=RV`, `ack update NAME rv=RV note=NOTE` or `ack delete NAME rv=RV`.
 * Every line is flushed at once, so whatever the test reads after the kill was said before it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-store.h"

typedef struct {
	RddStore *store;
	RddKind *kind;
	GPtrArray *live; /* names of objects that exist */
	guint round;
	guint n_created;
	guint n_writes;
	GMainLoop *loop;
	gint exit_code;
} RddCrashWriter;

static void rdd_crash_writer_say(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static void
rdd_crash_writer_say(const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	vfprintf(stdout, format, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
}

static void
rdd_crash_writer_committed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree gchar *line = user_data;
	g_autoptr(GError) error = NULL;
	if (!rdd_store_wait_committed_finish(RDD_STORE(source), res, &error)) {
		rdd_crash_writer_say("error %s: %s", line, error->message);
		return;
	}
	rdd_crash_writer_say("ack %s", line);
}

static void
rdd_crash_writer_ack(RddCrashWriter *self, RddObject *obj, gchar *line)
{
	rdd_store_wait_committed_async(self->store, rdd_object_get_resource_version(obj), NULL,
				       rdd_crash_writer_committed_cb, line);
}

static gboolean
rdd_crash_writer_fail(RddCrashWriter *self, const gchar *what, GError *error)
{
	rdd_crash_writer_say("error %s: %s", what, error->message);
	self->exit_code = 1;
	g_main_loop_quit(self->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
rdd_crash_writer_step(RddCrashWriter *self)
{
	g_autoptr(GError) error = NULL;
	guint op = self->n_writes++ % 6;

	if (op == 3 && self->live->len > 0) {
		/* update an earlier object */
		const gchar *name = g_ptr_array_index(self->live, g_random_int_range(0, self->live->len));
		g_autofree gchar *note = g_strdup_printf("u%u-%u", self->round, self->n_writes);
		g_autoptr(JsonNode) patch = json_node_init_object(json_node_alloc(), json_object_new());
		JsonObject *spec = rdd_json_object_ensure_object(json_node_get_object(patch), "spec");
		g_autoptr(RddObject) obj = NULL;
		json_object_set_string_member(spec, "note", note);
		rdd_crash_writer_say("intent update %s", name);
		obj = rdd_store_patch(self->store, self->kind, "ns1", name, RDD_PATCH_MERGE, patch,
				      FALSE, NULL, &error);
		if (obj == NULL)
			return rdd_crash_writer_fail(self, "update", error);
		rdd_crash_writer_ack(self, obj,
				     g_strdup_printf("update %s rv=%" G_GUINT64_FORMAT " note=%s", name,
						     rdd_object_get_resource_version(obj), note));
		return G_SOURCE_CONTINUE;
	}
	if (op == 5 && self->live->len > 1) {
		/* delete an earlier object */
		guint idx = g_random_int_range(0, self->live->len);
		g_autofree gchar *name = g_ptr_array_steal_index_fast(self->live, idx);
		g_autoptr(RddObject) obj = NULL;
		rdd_crash_writer_say("intent delete %s", name);
		obj = rdd_store_delete(self->store, self->kind, "ns1", name, NULL, &error);
		if (obj == NULL)
			return rdd_crash_writer_fail(self, "delete", error);
		rdd_crash_writer_ack(self, obj,
				     g_strdup_printf("delete %s rv=%" G_GUINT64_FORMAT, name,
						     rdd_object_get_resource_version(obj)));
		return G_SOURCE_CONTINUE;
	}
	{
		g_autofree gchar *name = g_strdup_printf("r%02u-obj-%u", self->round, self->n_created++);
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), json_object_new());
		JsonObject *root = json_node_get_object(node);
		JsonObject *meta = rdd_json_object_ensure_object(root, "metadata");
		JsonObject *spec = rdd_json_object_ensure_object(root, "spec");
		g_autoptr(RddObject) obj = NULL;
		json_object_set_string_member(root, "apiVersion", "test.rdd.io/v1");
		json_object_set_string_member(root, "kind", "Widget");
		json_object_set_string_member(meta, "namespace", "ns1");
		json_object_set_string_member(meta, "name", name);
		json_object_set_string_member(spec, "color", "red");
		json_object_set_string_member(spec, "note", "created");
		rdd_crash_writer_say("intent create %s", name);
		obj = rdd_store_create(self->store, node, NULL, &error);
		if (obj == NULL)
			return rdd_crash_writer_fail(self, "create", error);
		g_ptr_array_add(self->live, g_strdup(name));
		rdd_crash_writer_ack(self, obj,
				     g_strdup_printf("create %s rv=%" G_GUINT64_FORMAT, name,
						     rdd_object_get_resource_version(obj)));
	}
	return G_SOURCE_CONTINUE;
}

/* a few writes per main-loop iteration, so that commits batch several of them */
static gboolean
rdd_crash_writer_tick(gpointer user_data)
{
	RddCrashWriter *self = user_data;
	guint n = g_random_int_range(1, 5);
	for (guint i = 0; i < n; i++) {
		if (rdd_crash_writer_step(self) == G_SOURCE_REMOVE)
			return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = NULL;
	g_autoptr(RddListResult) existing = NULL;
	g_autofree gchar *yaml = NULL;
	RddCrashWriter self = {0};

	if (argc != 4) {
		g_printerr("usage: %s DB KINDS-YAML ROUND\n", argv[0]);
		return 2;
	}
	self.round = (guint)g_ascii_strtoull(argv[3], NULL, 10);
	self.live = g_ptr_array_new_with_free_func(g_free);
	self.store = rdd_store_new();
	if (!g_file_get_contents(argv[2], &yaml, NULL, &error)) {
		g_printerr("cannot read %s: %s\n", argv[2], error->message);
		return 1;
	}
	kinds = rdd_kind_new_from_yaml(yaml, -1, &error);
	if (kinds == NULL) {
		g_printerr("cannot read kinds: %s\n", error->message);
		return 1;
	}
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		if (g_strcmp0(rdd_kind_get_name(kind), "Widget") != 0)
			continue;
		if (!rdd_store_register_kind(self.store, kind, &error)) {
			g_printerr("cannot register: %s\n", error->message);
			return 1;
		}
		self.kind = kind;
	}
	if (!rdd_store_open(self.store, argv[1], &error)) {
		g_printerr("cannot open %s: %s\n", argv[1], error->message);
		return 1;
	}
	existing = rdd_store_list(self.store, self.kind, NULL, &error);
	for (guint i = 0; existing != NULL && i < existing->items->len; i++)
		g_ptr_array_add(self.live,
				g_strdup(rdd_object_get_name(g_ptr_array_index(existing->items, i))));
	rdd_crash_writer_say("ready rv=%" G_GUINT64_FORMAT " objects=%u",
			     rdd_store_get_resource_version(self.store), self.live->len);

	self.loop = g_main_loop_new(NULL, FALSE);
	/* below the store's commit source, so that each commit gets its own iteration */
	g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, rdd_crash_writer_tick, &self, NULL);
	g_main_loop_run(self.loop);
	g_main_loop_unref(self.loop);
	rdd_store_close(self.store);
	g_object_unref(self.store);
	g_ptr_array_unref(self.live);
	return self.exit_code;
}
