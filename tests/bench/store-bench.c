/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * In-process benchmark of the object store: validated creates and updates of ~1 KiB objects,
 * gets, list by label at growing sizes, watch delivery, memory per object, and persistent
 * creates. Prints a markdown table. Run it from a release-like build:
 *
 *   ninja -C build tests/bench/store-bench && ./build/tests/bench/store-bench [--quick]
 *
 * Writes hand their input over (RddWriteOptions.take_object), as the HTTP API can with the
 * bodies it parses, and the input is freed inside the timed loop. Each input is parsed right
 * before its write, outside the timed region, as a request body is; the table also gives the
 * rates with the inputs left to the caller (the store copies them), and with all inputs parsed
 * up front (they are then cold in the cache when written).
 *
 * For profiling, `--crud-only` runs one round of creates, updates, patches and gets and prints
 * the rates; add `--copy` for writes that leave their input alone, `--batch=N` to parse N
 * inputs before timing their writes (0: all up front).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <string.h>
#include <time.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-store.h"

#define RDD_BENCH_RUNS 5

/* a realistic kind: 25-odd spec fields, some nested, enums, defaults, status subresource */
static const gchar *rdd_bench_crd =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata:\n"
	"  name: benchapps.bench.rdd.io\n"
	"spec:\n"
	"  group: bench.rdd.io\n"
	"  names: {kind: BenchApp, plural: benchapps}\n"
	"  scope: Namespaced\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      subresources: {status: {}}\n"
	"      selectableFields:\n"
	"        - jsonPath: .spec.tier\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          properties:\n"
	"            spec:\n"
	"              type: object\n"
	"              required: [image]\n"
	"              properties:\n"
	"                image: {type: string, minLength: 1}\n"
	"                replicas: {type: integer, minimum: 0, maximum: 100, default: 1}\n"
	"                tier: {type: string, enum: [frontend, backend, cache, batch]}\n"
	"                description: {type: string, maxLength: 512}\n"
	"                enabled: {type: boolean, default: true}\n"
	"                priority: {type: integer}\n"
	"                version: {type: string, pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+$'}\n"
	"                owner: {type: string}\n"
	"                schedule: {type: string}\n"
	"                restartPolicy: {type: string, enum: [Always, OnFailure, Never], default: Always}\n"
	"                command: {type: array, items: {type: string}}\n"
	"                args: {type: array, items: {type: string}}\n"
	"                tags: {type: array, items: {type: string}, maxItems: 16}\n"
	"                nodeSelector: {type: object, additionalProperties: {type: string}}\n"
	"                env:\n"
	"                  type: array\n"
	"                  items:\n"
	"                    type: object\n"
	"                    required: [name]\n"
	"                    properties:\n"
	"                      name: {type: string}\n"
	"                      value: {type: string}\n"
	"                ports:\n"
	"                  type: array\n"
	"                  items:\n"
	"                    type: object\n"
	"                    properties:\n"
	"                      name: {type: string}\n"
	"                      containerPort: {type: integer, minimum: 1, maximum: 65535}\n"
	"                      protocol: {type: string, enum: [TCP, UDP], default: TCP}\n"
	"                resources:\n"
	"                  type: object\n"
	"                  properties:\n"
	"                    limits:\n"
	"                      type: object\n"
	"                      properties:\n"
	"                        cpu: {type: string}\n"
	"                        memory: {type: string}\n"
	"                    requests:\n"
	"                      type: object\n"
	"                      properties:\n"
	"                        cpu: {type: string}\n"
	"                        memory: {type: string}\n"
	"                config:\n"
	"                  type: object\n"
	"                  properties:\n"
	"                    timeoutSeconds: {type: integer, minimum: 1}\n"
	"                    retries: {type: integer, minimum: 0}\n"
	"                    endpoint: {type: string}\n"
	"                    tls:\n"
	"                      type: object\n"
	"                      properties:\n"
	"                        enabled: {type: boolean}\n"
	"                        secretName: {type: string}\n"
	"            status:\n"
	"              type: object\n"
	"              properties:\n"
	"                phase: {type: string}\n"
	"                observedGeneration: {type: integer}\n";

typedef struct {
	RddStore *store;
	RddKind *kind;
} RddBench;

static gboolean rdd_bench_quick = FALSE;

/* inputs parsed ahead of one stretch of timed writes; 0: all of them up front */
static guint rdd_bench_batch = 1;

/* what the HTTP API passes: the store may change the parsed input instead of copying it */
static const RddWriteOptions rdd_bench_take = {.take_object = TRUE};

static RddBench *
rdd_bench_new(const gchar *db_path, gboolean synchronous_full)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_kind_new_from_yaml(rdd_bench_crd, -1, &error);
	RddBench *bench = g_new0(RddBench, 1);

	if (kinds == NULL)
		g_error("bench CRD: %s", error->message);
	bench->store = rdd_store_new();
	bench->kind = g_object_ref(g_ptr_array_index(kinds, 0));
	if (!rdd_store_register_builtin_kinds(bench->store, &error) ||
	    !rdd_store_register_kind(bench->store, bench->kind, &error))
		g_error("register: %s", error->message);
	if (db_path != NULL) {
		rdd_store_set_synchronous(bench->store, synchronous_full);
		if (!rdd_store_open(bench->store, db_path, &error))
			g_error("open: %s", error->message);
	}
	if (!rdd_store_ensure_namespace(bench->store, "bench", NULL, &error))
		g_error("namespace: %s", error->message);
	return bench;
}

static void
rdd_bench_free(RddBench *bench)
{
	rdd_store_close(bench->store);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_object_unref(bench->store);
	g_object_unref(bench->kind);
	g_free(bench);
}

/* a ~1 KiB object; @buckets controls the selectivity of the `bucket` label */
static JsonNode *
rdd_bench_object(guint i, guint buckets, guint revision)
{
	const gchar *tiers[] = {"frontend", "backend", "cache", "batch"};
	g_autofree gchar *text = g_strdup_printf(
		"{\"apiVersion\":\"bench.rdd.io/v1\",\"kind\":\"BenchApp\",\"metadata\":{"
		"\"namespace\":\"bench\",\"name\":\"app-%06u\",\"labels\":{"
		"\"app.kubernetes.io/name\":\"app-%06u\",\"app.kubernetes.io/part-of\":\"suite-%u\","
		"\"tier\":\"%s\",\"bucket\":\"b%u\",\"team\":\"team-%u\"},"
		"\"annotations\":{\"bench.rdd.io/revision\":\"%u\"}},"
		"\"spec\":{\"image\":\"registry.example.com/team-%u/app-%06u:1.%u.0\","
		"\"replicas\":%u,\"tier\":\"%s\",\"description\":\"Benchmark app %u, rev %u\","
		"\"enabled\":true,\"priority\":%u,\"version\":\"v1.%u.0\",\"owner\":\"owner-%u@example.com\","
		"\"schedule\":\"*/5 * * * *\",\"command\":[\"/bin/app\",\"serve\"],"
		"\"args\":[\"--port=8080\",\"--log-level=info\",\"--workers=%u\"],"
		"\"tags\":[\"bench\",\"tier-%s\",\"rev-%u\"],"
		"\"nodeSelector\":{\"disk\":\"ssd\"},"
		"\"env\":[{\"name\":\"MODE\",\"value\":\"production\"},{\"name\":\"REGION\","
		"\"value\":\"eu-west-%u\"},{\"name\":\"INDEX\",\"value\":\"%u\"}],"
		"\"ports\":[{\"name\":\"http\",\"containerPort\":8080},{\"name\":\"metrics\","
		"\"containerPort\":9090,\"protocol\":\"TCP\"}],"
		"\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},"
		"\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}},"
		"\"config\":{\"timeoutSeconds\":30,\"retries\":%u,\"endpoint\":"
		"\"https://api-%u.example.com/v1\",\"tls\":{\"enabled\":true,\"secretName\":"
		"\"app-%06u-tls\"}}}}",
		i, i, i % 7, tiers[i % 4], i % buckets, i % 13, revision, i % 13, i, revision,
		revision % 100, tiers[i % 4], i, revision, i % 10, revision, i % 50, 1 + i % 8,
		tiers[i % 4], revision, i % 3, i, i % 5, i % 20, i);
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, -1, &error);
	if (node == NULL)
		g_error("bench object: %s", error->message);
	return node;
}

static gint
rdd_bench_double_cmp(gconstpointer a, gconstpointer b)
{
	gdouble da = *(const gdouble *)a, db = *(const gdouble *)b;
	return da < db ? -1 : da > db ? 1 : 0;
}

static gdouble
rdd_bench_median(gdouble *values, guint n)
{
	qsort(values, n, sizeof(gdouble), (GCompareFunc)rdd_bench_double_cmp);
	return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* wall-clock seconds, for what waits on the disk */
static gdouble
rdd_bench_wall(void)
{
	return g_get_monotonic_time() / 1e6;
}

/*
 * CPU seconds of this process, for the in-memory figures: single-threaded work takes as much
 * CPU time as wall time on an idle machine, and the figure stays meaningful on a busy one
 */
static gdouble
rdd_bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
	gdouble creates;
	gdouble updates;
	gdouble patches;
	gdouble gets;
	gsize json_bytes;
} RddBenchRun;

/* inputs handed over to the store are freed (and set to NULL) in the timed loop */
static void
rdd_bench_node_unref(gpointer node)
{
	if (node != NULL)
		json_node_unref(node);
}

/* one write of a prepared input: with @take the input is handed over and freed here, as the
 * HTTP API frees its request body; without, the store copies it and the caller keeps it */
static RddObject *
rdd_bench_write(RddBench *bench, GPtrArray *inputs, guint i, gboolean update, gboolean take)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = take ? g_steal_pointer(&g_ptr_array_index(inputs, i)) : NULL;
	JsonNode *input = take ? node : g_ptr_array_index(inputs, i);
	const RddWriteOptions *options = take ? &rdd_bench_take : NULL;
	RddObject *obj = update ? rdd_store_update(bench->store, input, options, &error) :
				  rdd_store_create(bench->store, input, options, &error);
	if (obj == NULL)
		g_error("%s: %s", update ? "update" : "create", error->message);
	return obj;
}

/*
 * Writes objects 0..n-1 at @revision, creates for revision 0, else updates of the objects in
 * @objs (with their resourceVersion as precondition), which are replaced by the results.
 * By default each input is parsed just before its write, outside the timed region, as the HTTP
 * API parses a request body right before it writes it; rdd_bench_batch > 1 parses that many
 * before timing their writes, 0 all of them up front. Returns the writes per CPU second; the
 * clock is read around each stretch of writes, and its cost counts.
 */
static gdouble
rdd_bench_write_all(RddBench *bench, guint n, guint revision, gboolean copy, GPtrArray *objs)
{
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(rdd_bench_node_unref);
	g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_object_unref);
	guint batch = rdd_bench_batch > 0 ? rdd_bench_batch : n;
	gdouble elapsed = 0;

	for (guint start = 0; start < n; start += batch) {
		guint end = MIN(n, start + batch);
		gdouble t0;

		g_ptr_array_set_size(inputs, 0);
		for (guint i = start; i < end; i++) {
			JsonNode *node = rdd_bench_object(i, n / 10, revision);
			if (revision > 0) {
				RddObject *old = g_ptr_array_index(objs, i);
				g_autofree gchar *rv = g_strdup_printf(
					"%" G_GUINT64_FORMAT, rdd_object_get_resource_version(old));
				json_object_set_string_member(rdd_json_lookup_object(node, "metadata"),
							      "resourceVersion", rv);
			}
			g_ptr_array_add(inputs, node);
		}
		t0 = rdd_bench_now();
		for (guint i = 0; i < end - start; i++)
			g_ptr_array_add(written, rdd_bench_write(bench, inputs, i, revision > 0, !copy));
		elapsed += rdd_bench_now() - t0;
	}
	g_ptr_array_set_size(objs, 0);
	for (guint i = 0; i < written->len; i++)
		g_ptr_array_add(objs, rdd_object_ref(g_ptr_array_index(written, i)));
	return n / elapsed;
}

/* one run: create n, update each once, patch each, get each; with @writes_only only creates
 * and updates; with @copy they leave their inputs to the caller */
static void
rdd_bench_crud(guint n, gboolean copy, gboolean writes_only, RddBenchRun *out)
{
	RddBench *bench = rdd_bench_new(NULL, TRUE);
	g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(rdd_bench_node_unref);
	g_autoptr(GPtrArray) objs = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_object_unref);
	g_autoptr(GError) error = NULL;
	gdouble t0;

	out->creates = rdd_bench_write_all(bench, n, 0, copy, objs);
	out->json_bytes = 0;
	for (guint i = 0; i < n; i++) {
		gsize len = 0;
		rdd_object_get_json(g_ptr_array_index(objs, i), &len);
		out->json_bytes += len;
	}

	/* updates: a spec change with the resourceVersion as precondition */
	out->updates = rdd_bench_write_all(bench, n, 1, copy, objs);
	for (guint i = 0; i < n; i++) {
		if (rdd_object_get_generation(g_ptr_array_index(objs, i)) != 2)
			g_error("update did not change the spec");
	}
	g_ptr_array_set_size(objs, 0);
	if (writes_only) {
		rdd_bench_free(bench);
		return;
	}

	/* merge patches of one spec field */
	g_ptr_array_set_size(inputs, 0);
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *text = g_strdup_printf("{\"spec\":{\"replicas\":%u}}", 1 + i % 50);
		g_ptr_array_add(inputs, rdd_json_parse(text, -1, NULL));
	}
	t0 = rdd_bench_now();
	for (guint i = 0; i < n; i++) {
		g_autofree gchar *name = g_strdup_printf("app-%06u", i);
		RddObject *obj = rdd_store_patch(bench->store, bench->kind, "bench", name, RDD_PATCH_MERGE,
						 g_ptr_array_index(inputs, i), FALSE, NULL, &error);
		if (obj == NULL)
			g_error("patch: %s", error->message);
		rdd_object_unref(obj);
	}
	out->patches = n / (rdd_bench_now() - t0);

	/* gets by namespace and name */
	{
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		guint rounds = 5;
		for (guint i = 0; i < n; i++)
			g_ptr_array_add(names, g_strdup_printf("app-%06u", i));
		t0 = rdd_bench_now();
		for (guint r = 0; r < rounds; r++) {
			for (guint i = 0; i < n; i++) {
				RddObject *obj = rdd_store_get(bench->store, bench->kind, "bench",
							       g_ptr_array_index(names, i), &error);
				if (obj == NULL)
					g_error("get: %s", error->message);
				rdd_object_unref(obj);
			}
		}
		out->gets = rounds * n / (rdd_bench_now() - t0);
	}
	rdd_bench_free(bench);
}

/* microseconds per list of the 10 objects in one bucket, among n */
static gdouble
rdd_bench_list(guint n, gdouble *full_list_us)
{
	RddBench *bench = rdd_bench_new(NULL, TRUE);
	g_autoptr(GError) error = NULL;
	guint buckets = n / 10;
	guint lists = 2000;
	gdouble t0, elapsed;

	for (guint i = 0; i < n; i++) {
		g_autoptr(JsonNode) node = rdd_bench_object(i, buckets, 0);
		g_autoptr(RddObject) obj = rdd_store_create(bench->store, node, &rdd_bench_take, &error);
		if (obj == NULL)
			g_error("create: %s", error->message);
	}
	t0 = rdd_bench_now();
	for (guint i = 0; i < lists; i++) {
		g_autofree gchar *text = g_strdup_printf("bucket=b%u", (i * 7919) % buckets);
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels(text, NULL);
		RddListOptions opts = {.label_selector = sel};
		g_autoptr(RddListResult) res = rdd_store_list(bench->store, bench->kind, &opts, &error);
		if (res == NULL || res->items->len != 10)
			g_error("list %s: %u items", text, res != NULL ? res->items->len : 0);
	}
	elapsed = (rdd_bench_now() - t0) / lists * 1e6;
	/* for contrast: listing everything */
	t0 = rdd_bench_now();
	for (guint i = 0; i < 3; i++) {
		g_autoptr(RddListResult) res = rdd_store_list(bench->store, bench->kind, NULL, &error);
		if (res->items->len != n)
			g_error("full list: %u items", res->items->len);
	}
	*full_list_us = (rdd_bench_now() - t0) / 3 * 1e6;
	rdd_bench_free(bench);
	return elapsed;
}

typedef struct {
	gint64 sent;
	GArray *latencies; /* gdouble, microseconds */
} RddBenchWatch;

static void
rdd_bench_watch_cb(RddStore *store, RddObject *obj, gpointer user_data)
{
	RddBenchWatch *watch = user_data;
	gdouble latency = g_get_monotonic_time() - watch->sent;
	g_array_append_val(watch->latencies, latency);
}

static gboolean
rdd_bench_replay_cb(const RddEvent *event, gpointer user_data)
{
	guint *n = user_data;
	(*n)++;
	return TRUE;
}

/* the time from a create call to the signal handler, and (unless @replay_rate is %NULL) the
 * history replay rate */
static void
rdd_bench_watch(guint n, gdouble *latency_median, gdouble *latency_p99, gdouble *replay_rate)
{
	RddBench *bench = rdd_bench_new(NULL, TRUE);
	RddBenchWatch watch = {0};
	g_autoptr(GError) error = NULL;
	guint64 since = rdd_store_get_resource_version(bench->store);
	guint replayed = 0;
	gdouble t0;

	watch.latencies = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_signal_connect(bench->store, "object-added::BenchApp", G_CALLBACK(rdd_bench_watch_cb), &watch);
	for (guint i = 0; i < n; i++) {
		g_autoptr(JsonNode) node = rdd_bench_object(i, n / 10, 0);
		g_autoptr(RddObject) obj = NULL;
		watch.sent = g_get_monotonic_time();
		obj = rdd_store_create(bench->store, node, &rdd_bench_take, &error);
		if (obj == NULL)
			g_error("create: %s", error->message);
	}
	g_assert(watch.latencies->len == n);
	*latency_median = rdd_bench_median((gdouble *)(gpointer)watch.latencies->data, n);
	*latency_p99 = ((gdouble *)(gpointer)watch.latencies->data)[(guint)(n * 0.99)];
	g_array_unref(watch.latencies);

	/* the replay needs the whole fill in the bounded history */
	if (replay_rate == NULL) {
		g_signal_handlers_disconnect_by_data(bench->store, &watch);
		rdd_bench_free(bench);
		return;
	}
	t0 = rdd_bench_now();
	if (!rdd_store_foreach_event_since(bench->store, since, rdd_bench_replay_cb, &replayed, &error))
		g_error("replay: %s", error->message);
	*replay_rate = replayed / (rdd_bench_now() - t0);
	if (replayed != n)
		g_error("replayed %u of %u events", replayed, n);
	g_signal_handlers_disconnect_by_data(bench->store, &watch);
	rdd_bench_free(bench);
}

/* heap bytes per stored object, and the average JSON length */
static void
rdd_bench_memory(guint n, gdouble *per_object, gdouble *json_avg)
{
	RddBench *bench = rdd_bench_new(NULL, TRUE);
	g_autoptr(GError) error = NULL;
	struct mallinfo2 before, after;
	gsize json_total = 0;

	/* the history holds references, not copies; empty it so that it keeps nothing alive */
	rdd_store_set_history_size(bench->store, 0);
	malloc_trim(0);
	before = mallinfo2();
	for (guint i = 0; i < n; i++) {
		g_autoptr(JsonNode) node = rdd_bench_object(i, n / 10, 0);
		g_autoptr(RddObject) obj = rdd_store_create(bench->store, node, &rdd_bench_take, &error);
		gsize len = 0;
		if (obj == NULL)
			g_error("create: %s", error->message);
		rdd_object_get_json(obj, &len);
		json_total += len;
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
	after = mallinfo2();
	/* blocks malloc mmap()s count too: the big arrays of the indexes and the history */
	*per_object = ((gdouble)(after.uordblks + after.hblkhd) - (gdouble)(before.uordblks + before.hblkhd)) / n;
	*json_avg = (gdouble)json_total / n;
	rdd_bench_free(bench);
}

typedef struct {
	RddBench *bench;
	guint next;
	guint n;
	guint batch;
	GMainLoop *loop;
	guint64 last_rv;
} RddBenchPersist;

static void
rdd_bench_persist_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RddBenchPersist *p = user_data;
	g_autoptr(GError) error = NULL;
	if (!rdd_store_wait_committed_finish(RDD_STORE(source), res, &error))
		g_error("commit: %s", error->message);
	g_main_loop_quit(p->loop);
}

static gboolean
rdd_bench_persist_tick(gpointer user_data)
{
	RddBenchPersist *p = user_data;
	g_autoptr(GError) error = NULL;
	for (guint i = 0; i < p->batch && p->next < p->n; i++, p->next++) {
		g_autoptr(JsonNode) node = rdd_bench_object(p->next, p->n / 10, 0);
		g_autoptr(RddObject) obj = rdd_store_create(p->bench->store, node, &rdd_bench_take, &error);
		if (obj == NULL)
			g_error("create: %s", error->message);
		p->last_rv = rdd_object_get_resource_version(obj);
	}
	if (p->next < p->n)
		return G_SOURCE_CONTINUE;
	rdd_store_wait_committed_async(p->bench->store, p->last_rv, NULL, rdd_bench_persist_done, p);
	return G_SOURCE_REMOVE;
}

/* creates per second into a database, commits batched per main-loop iteration; the time
 * includes building the input object, as for the other persistent figures */
static gdouble
rdd_bench_persistent(guint n, guint batch, gboolean synchronous_full)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rdd-store-bench-XXXXXX", &error);
	g_autofree gchar *db = g_build_filename(dir, "objects.db", NULL);
	g_autofree gchar *wal = g_strconcat(db, "-wal", NULL);
	g_autofree gchar *shm = g_strconcat(db, "-shm", NULL);
	RddBenchPersist p = {.n = n, .batch = batch};
	gdouble t0, rate;

	p.bench = rdd_bench_new(db, synchronous_full);
	p.loop = g_main_loop_new(NULL, FALSE);
	while (g_main_context_iteration(NULL, FALSE))
		;
	t0 = rdd_bench_wall();
	g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, rdd_bench_persist_tick, &p, NULL);
	g_main_loop_run(p.loop);
	rate = n / (rdd_bench_wall() - t0);
	g_main_loop_unref(p.loop);
	rdd_bench_free(p.bench);
	g_remove(wal);
	g_remove(shm);
	g_remove(db);
	g_rmdir(dir);
	return rate;
}

int
main(int argc, char **argv)
{
	guint n_crud = 20000;
	guint sizes[] = {1000, 10000, 100000};
	gdouble creates[RDD_BENCH_RUNS], updates[RDD_BENCH_RUNS], gets[RDD_BENCH_RUNS];
	gdouble creates_copy[RDD_BENCH_RUNS], updates_copy[RDD_BENCH_RUNS];
	gdouble creates_cold[RDD_BENCH_RUNS], updates_cold[RDD_BENCH_RUNS];
	gdouble patches[RDD_BENCH_RUNS];
	gdouble persist_full[RDD_BENCH_RUNS], persist_normal[RDD_BENCH_RUNS];
	gdouble list_us[G_N_ELEMENTS(sizes)], full_us[G_N_ELEMENTS(sizes)];
	gdouble latency_median, latency_p99, replay_rate, per_object, json_avg;
	RddBenchRun scale[G_N_ELEMENTS(sizes)];
	gdouble scale_watch_median[G_N_ELEMENTS(sizes)], scale_watch_p99[G_N_ELEMENTS(sizes)];
	gsize json_bytes = 0;
	guint runs = RDD_BENCH_RUNS;
	gboolean crud_only = FALSE;
	gboolean copy = FALSE;

	for (gint i = 1; i < argc; i++) {
		if (g_strcmp0(argv[i], "--quick") == 0)
			rdd_bench_quick = TRUE;
		else if (g_strcmp0(argv[i], "--crud-only") == 0)
			crud_only = TRUE;
		else if (g_strcmp0(argv[i], "--copy") == 0)
			copy = TRUE;
		else if (g_str_has_prefix(argv[i], "--batch="))
			rdd_bench_batch = (guint)g_ascii_strtoull(argv[i] + strlen("--batch="), NULL, 10);
	}
	/* for profiling: only the in-memory writes and gets, printed */
	if (crud_only) {
		RddBenchRun run = {0};
		rdd_bench_crud(n_crud, copy, copy, &run);
		if (copy) {
			g_print("creates/s %.0f updates/s %.0f (input copied)\n", run.creates, run.updates);
			return 0;
		}
		g_print("creates/s %.0f updates/s %.0f patches/s %.0f gets/s %.0f\n", run.creates,
			run.updates, run.patches, run.gets);
		return 0;
	}
	if (rdd_bench_quick) {
		n_crud = 2000;
		runs = 1;
		sizes[2] = 20000;
	}
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

	for (guint r = 0; r < runs; r++) {
		RddBenchRun run = {0};
		RddBenchRun run_copy = {0};
		RddBenchRun run_cold = {0};
		guint batch = rdd_bench_batch;
		rdd_bench_crud(n_crud, FALSE, FALSE, &run);
		rdd_bench_crud(n_crud, TRUE, TRUE, &run_copy);
		rdd_bench_batch = 0;
		rdd_bench_crud(n_crud, FALSE, TRUE, &run_cold);
		rdd_bench_batch = batch;
		creates_copy[r] = run_copy.creates;
		updates_copy[r] = run_copy.updates;
		creates_cold[r] = run_cold.creates;
		updates_cold[r] = run_cold.updates;
		creates[r] = run.creates;
		updates[r] = run.updates;
		patches[r] = run.patches;
		gets[r] = run.gets;
		json_bytes = run.json_bytes;
		persist_full[r] = rdd_bench_persistent(n_crud / 2, 100, TRUE);
		persist_normal[r] = rdd_bench_persistent(n_crud / 2, 100, FALSE);
	}
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
		list_us[i] = rdd_bench_list(sizes[i], &full_us[i]);
	rdd_bench_watch(10000, &latency_median, &latency_p99, &replay_rate);
	/* the same operations with 1k, 10k and 100k objects in the store (one run each) */
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		rdd_bench_crud(sizes[i], FALSE, FALSE, &scale[i]);
		rdd_bench_watch(sizes[i], &scale_watch_median[i], &scale_watch_p99[i], NULL);
	}
	rdd_bench_memory(rdd_bench_quick ? 10000 : 100000, &per_object, &json_avg);

	g_print("## rdd object store benchmark\n\n");
	g_print("%u objects of %.0f bytes of JSON on average (BenchApp: 27 spec fields, nested, "
		"5 labels); throughput is the median of %u runs in CPU time. Each input is parsed "
		"right before its write, outside the timed region, unless parsed all up front; writes "
		"hand it to the store (take_object) and free it inside the timed region, unless it is "
		"copied.\n\n",
		n_crud, (gdouble)json_bytes / n_crud, runs);
	g_print("| measurement | result | target |\n");
	g_print("| --- | ---: | --- |\n");
	g_print("| validated creates/s (in memory) | %.0f | >= 50000 %s |\n",
		rdd_bench_median(creates, runs), rdd_bench_median(creates, runs) >= 50000 ? "met" : "MISSED");
	g_print("| validated updates/s (in memory) | %.0f | >= 50000 %s |\n",
		rdd_bench_median(updates, runs), rdd_bench_median(updates, runs) >= 50000 ? "met" : "MISSED");
	g_print("| validated creates/s, input copied (caller keeps it) | %.0f | |\n",
		rdd_bench_median(creates_copy, runs));
	g_print("| validated updates/s, input copied (caller keeps it) | %.0f | |\n",
		rdd_bench_median(updates_copy, runs));
	g_print("| validated creates/s, inputs parsed all up front | %.0f | |\n",
		rdd_bench_median(creates_cold, runs));
	g_print("| validated updates/s, inputs parsed all up front | %.0f | |\n",
		rdd_bench_median(updates_cold, runs));
	g_print("| merge patches/s (in memory) | %.0f | |\n", rdd_bench_median(patches, runs));
	g_print("| gets/s | %.0f | |\n", rdd_bench_median(gets, runs));
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
		g_print("| list 10 by label among %u | %.1f us | follows result size |\n", sizes[i],
			list_us[i]);
	/* a scan grows with the store (x100 here); an index only with cache misses */
	g_print("| list 10 by label: %uk vs 1k (listing all: x%.0f) | x%.2f | < x10 %s |\n",
		sizes[2] / 1000, full_us[2] / full_us[0], list_us[2] / list_us[0],
		list_us[2] / list_us[0] < 10 ? "met" : "MISSED");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
		g_print("| list all %u (contrast) | %.0f us | |\n", sizes[i], full_us[i]);
	g_print("| watch: create call to handler, median | %.1f us | |\n", latency_median);
	g_print("| watch: create call to handler, p99 | %.1f us | |\n", latency_p99);
	g_print("| watch: history replay | %.0f events/s | |\n", replay_rate);
	g_print("| memory per object (heap delta) | %.0f B | |\n", per_object);
	g_print("| of which JSON (average length) | %.0f B | |\n", json_avg);
	g_print("| store overhead per object | %.0f B | <= 2048 %s |\n", per_object - json_avg,
		per_object - json_avg <= 2048 ? "met" : "MISSED");
	g_print("| persistent creates/s, synchronous=FULL, 100 per commit | %.0f | |\n",
		rdd_bench_median(persist_full, runs));
	g_print("| persistent creates/s, synchronous=NORMAL, 100 per commit | %.0f | |\n",
		rdd_bench_median(persist_normal, runs));
	g_print("\nBy store size (one run each; the watch figures are over the creates that fill "
		"the store):\n\n");
	g_print("| objects | validated creates/s | validated updates/s | merge patches/s | gets/s | "
		"watch: create call to handler, median / p99 |\n");
	g_print("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_print("| %u | %.0f | %.0f | %.0f | %.0f | %.1f / %.1f us |\n", sizes[i],
			scale[i].creates, scale[i].updates, scale[i].patches, scale[i].gets,
			scale_watch_median[i], scale_watch_p99[i]);
	}
	return 0;
}
