/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * api-bench: an HTTP load generator for the daemon's Kubernetes-style API and for etcd's v3 JSON
 * gateway, so the two can be compared in the same run with the same client.
 *
 * Every request of every target goes through the same code: a libsoup-3 SoupSession with an
 * HTTP/1.1 keep-alive connection pool, driven asynchronously from a GMainLoop. Only the
 * SoupMessage a phase sends differs between the targets (its method, path and body). With
 * --threads N the requests of a phase are spread over N worker threads, each with its own main
 * context and session, sharing one operation counter.
 *
 * Phases (each prints one RESULT line, tab-separated, on stdout):
 *   create  rdd: POST a ConfigMap of --value-size bytes;   etcd: /v3/kv/put of the same document
 *   get     rdd: GET a random ConfigMap made by `create`;  etcd: /v3/kv/range of one key
 *   update  rdd: PUT .../status of a BenchItem;            etcd: /v3/kv/put over an existing key
 *   list    rdd: GET a namespace's --list-size ConfigMaps; etcd: /v3/kv/range of a prefix
 *   watch   --watchers concurrent watches of the ConfigMaps of one namespace (rdd) or of a key
 *           prefix (etcd); one writer updates one object --watch-writes times, one write at a
 *           time, and waits until every watcher has seen its event before the next write. The
 *           latency of an event is the time from the client receiving the write's response to
 *           a watcher receiving the event (0 when the event came first), measured on the
 *           client's monotonic clock; the daemon's VmRSS is read before the watchers start,
 *           once they are all established, and after the writes.
 *
 * Output lines:
 *   RESULT <label> <metric> <n> <seconds> <ops/s> <p50 ms> <p95 ms> <p99 ms> <errors>
 *          <server cpu %> <client cpu %> <server run-queue wait %> <client run-queue wait %>
 * where the CPU and wait figures are percentages of the phase's wall-clock time summed over
 * each process's threads (from /proc/PID/task/TID/schedstat): the wait is the time threads
 * were runnable but had no CPU, which is what other load on a shared machine costs.
 *   VALUE <label> <name> <value>
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rdd-error.h"

/* how long the writer of the watch phase waits for every watcher to see one write */
#define API_BENCH_WATCH_WRITE_TIMEOUT_MS 5000
/* how long all the watchers may take to be established */
#define API_BENCH_WATCH_READY_TIMEOUT_MS 30000
/* the pause between the watchers being established and reading the server's memory */
#define API_BENCH_WATCH_SETTLE_MS 500
#define API_BENCH_READ_SIZE 65536
/* the most connections opened at once: less than the listen backlog GSocket defaults to (10) */
#define API_BENCH_CONNECT_BURST 8
/* how often, and how long apart, a connect the server refused (EAGAIN) is tried again */
#define API_BENCH_CONNECT_RETRIES 100
#define API_BENCH_CONNECT_RETRY_MS 5
#define API_BENCH_ETCD_PREFIX "/registry/"

typedef enum {
	API_BENCH_PROTOCOL_RDD,
	API_BENCH_PROTOCOL_ETCD,
} ApiBenchProtocol;

typedef enum {
	API_BENCH_OP_WARMUP,
	API_BENCH_OP_NAMESPACE,
	API_BENCH_OP_SETUP_LIST,
	API_BENCH_OP_SETUP_ITEMS,
	API_BENCH_OP_SETUP_WATCH,
	API_BENCH_OP_CREATE,
	API_BENCH_OP_GET,
	API_BENCH_OP_UPDATE,
	API_BENCH_OP_LIST,
	API_BENCH_OP_WATCH_WRITE,
} ApiBenchOp;

typedef struct _ApiBenchWorker ApiBenchWorker;

typedef struct {
	/* configuration */
	ApiBenchProtocol protocol;
	gchar *label;
	gchar *base_uri;
	gchar *unix_socket;	    /* (nullable) */
	gchar *authorization;	    /* (nullable) */
	GTlsDatabase *tls_database; /* (nullable) */
	gint pid;
	gint n_create;
	gint n_get;
	gint n_update;
	gint n_list;
	gint list_size;
	gint n_items;
	gint n_watchers;
	gint n_watch_writes;
	gint concurrency;
	gint n_threads;
	gint value_size;
	gint seed;
	gchar **phases;
	/* workers */
	GPtrArray *workers;
	GMutex lock;
	GCond cond;
	/* the phase being run */
	ApiBenchOp op;
	gint n_ops;
	gint next_op;		/* atomic */
	guint limit;		/* when non-zero, the most requests in flight per worker */
	gint n_errors;		/* atomic */
	gint n_connect_retries; /* atomic */
	guint n_running;	/* workers still busy, under lock */
	gchar *first_error;	/* under lock */
	GArray *latencies;	/* gdouble ms, merged under lock */
	gchar *http_version;	/* under lock */
	gboolean list_checked;
} ApiBench;

struct _ApiBenchWorker {
	ApiBench *bench;
	guint index;
	GThread *thread;
	GMainContext *context;
	GMainLoop *loop;
	SoupSession *session;
	guint concurrency;
	guint in_flight;
	GArray *latencies;
	GRand *rand;
	gboolean started; /* under bench->lock */
};

typedef struct {
	ApiBenchWorker *worker;
	guint index;
	guint retries;
	gint64 start_ns;
} ApiBenchRequest;

/* ---------------------------------------------------------------------------------------- */
/* helpers */

static gint64
api_bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

/* the server's resident memory in KiB, or 0 when it cannot be read */
static guint64
api_bench_read_rss_kib(gint pid)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/status", pid);
	g_autofree gchar *text = NULL;
	const gchar *line;

	if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	line = strstr(text, "\nVmRSS:");
	if (line == NULL)
		return 0;
	return g_ascii_strtoull(line + strlen("\nVmRSS:"), NULL, 10);
}

/* the most threads of one process whose scheduler statistics are followed */
#define API_BENCH_MAX_TASKS 512

/*
 * CPU time and run-queue wait of each thread of a process, from schedstat. Deltas pair the
 * threads of two snapshots by id, so that a thread ending between them cannot make a sum go
 * backwards; what a thread that ended did since the first snapshot is lost.
 */
typedef struct {
	gboolean valid;
	guint n_tasks;
	struct {
		gint tid;
		gdouble cpu_s;	/* on a CPU */
		gdouble wait_s; /* runnable but waiting for a CPU: what other load costs */
	} tasks[API_BENCH_MAX_TASKS];
} ApiBenchSched;

typedef struct {
	ApiBenchSched server;
	ApiBenchSched client;
} ApiBenchUsage;

static void
api_bench_read_sched(gint pid, ApiBenchSched *out)
{
	g_autofree gchar *dir_path = g_strdup_printf("/proc/%d/task", pid);
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	out->valid = FALSE;
	out->n_tasks = 0;
	if (pid <= 0 || (dir = g_dir_open(dir_path, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL && out->n_tasks < API_BENCH_MAX_TASKS) {
		g_autofree gchar *path = g_build_filename(dir_path, name, "schedstat", NULL);
		g_autofree gchar *text = NULL;
		g_auto(GStrv) fields = NULL;
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue; /* the thread just ended */
		fields = g_strsplit(text, " ", -1);
		if (g_strv_length(fields) < 2)
			return;
		out->tasks[out->n_tasks].tid = atoi(name);
		out->tasks[out->n_tasks].cpu_s = g_ascii_strtod(fields[0], NULL) / 1e9;
		out->tasks[out->n_tasks].wait_s = g_ascii_strtod(fields[1], NULL) / 1e9;
		out->n_tasks++;
	}
	out->valid = TRUE;
}

static void
api_bench_read_usage(gint server_pid, ApiBenchUsage *out)
{
	api_bench_read_sched(server_pid, &out->server);
	api_bench_read_sched(getpid(), &out->client);
}

/* percent of @seconds the threads spent on a CPU (@wait FALSE) or waiting for one, or -1 */
static gdouble
api_bench_sched_percent(const ApiBenchSched *a, const ApiBenchSched *b, gboolean wait, gdouble seconds)
{
	gdouble sum = 0;

	if (!a->valid || !b->valid || seconds <= 0)
		return -1;
	for (guint i = 0; i < b->n_tasks; i++) {
		gdouble before = 0;
		for (guint j = 0; j < a->n_tasks; j++) {
			if (a->tasks[j].tid == b->tasks[i].tid) {
				before = wait ? a->tasks[j].wait_s : a->tasks[j].cpu_s;
				break;
			}
		}
		sum += (wait ? b->tasks[i].wait_s : b->tasks[i].cpu_s) - before;
	}
	return 100.0 * sum / seconds;
}

/* the unsigned number in a JSON string value following @key, e.g. "resourceVersion":"12" */
static guint64
api_bench_find_number(const gchar *data, gsize len, const gchar *key, const gchar **after)
{
	gsize key_len = strlen(key);
	const gchar *hit = memmem(data, len, key, key_len);
	const gchar *end = data + len;
	const gchar *p;
	guint64 value = 0;

	if (after != NULL)
		*after = NULL;
	if (hit == NULL)
		return 0;
	for (p = hit + key_len; p < end && g_ascii_isdigit(*p); p++)
		value = value * 10 + (guint64)(*p - '0');
	if (after != NULL)
		*after = p;
	return value;
}

/* a timeout in the calling thread's main context (g_timeout_add() uses the global one) */
static guint
api_bench_timeout_add(guint ms, GSourceFunc func, gpointer user_data)
{
	g_autoptr(GSource) source = g_timeout_source_new(ms);
	g_source_set_callback(source, func, user_data, NULL);
	return g_source_attach(source, g_main_context_get_thread_default());
}

static void
api_bench_clear_source(guint *id)
{
	GSource *source;
	if (*id == 0)
		return;
	source = g_main_context_find_source_by_id(g_main_context_get_thread_default(), *id);
	if (source != NULL)
		g_source_destroy(source);
	*id = 0;
}

static gdouble
api_bench_percentile(GArray *sorted, gdouble p)
{
	gsize rank;
	if (sorted->len == 0)
		return NAN;
	rank = (gsize)ceil(p / 100.0 * sorted->len);
	if (rank < 1)
		rank = 1;
	return g_array_index(sorted, gdouble, MIN(rank, sorted->len) - 1);
}

static gint
api_bench_compare_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

static void
api_bench_print_result(ApiBench *self,
		       const gchar *metric,
		       guint n,
		       gdouble seconds,
		       gdouble ops_per_s,
		       GArray *latencies,
		       guint errors,
		       const ApiBenchUsage *u0,
		       const ApiBenchUsage *u1)
{
	g_array_sort(latencies, api_bench_compare_double);
	g_print("RESULT\t%s\t%s\t%u\t%.3f\t%.1f\t%.3f\t%.3f\t%.3f\t%u\t%.0f\t%.0f\t%.0f\t%.0f\n",
		self->label, metric, n, seconds, ops_per_s, api_bench_percentile(latencies, 50),
		api_bench_percentile(latencies, 95), api_bench_percentile(latencies, 99), errors,
		api_bench_sched_percent(&u0->server, &u1->server, FALSE, seconds),
		api_bench_sched_percent(&u0->client, &u1->client, FALSE, seconds),
		api_bench_sched_percent(&u0->server, &u1->server, TRUE, seconds),
		api_bench_sched_percent(&u0->client, &u1->client, TRUE, seconds));
}

/* ---------------------------------------------------------------------------------------- */
/* what each target is sent */

static gchar *
api_bench_filler(guint index, gsize len)
{
	gchar *out = g_malloc(len + 1);
	guint32 x = index * 2654435761u + 1;
	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = 'a' + (gchar)(x % 26);
	}
	out[len] = '\0';
	return out;
}

/* a ConfigMap whose serialized form is --value-size bytes long */
static gchar *
api_bench_configmap(ApiBench *self, const gchar *namespace, const gchar *name, guint index)
{
	g_autofree gchar *head = g_strdup_printf("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
						 "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"},"
						 "\"data\":{\"payload\":\"",
						 name, namespace);
	const gchar *tail = "\"}}";
	gsize used = strlen(head) + strlen(tail);
	g_autofree gchar *filler =
		api_bench_filler(index, (gsize)self->value_size > used + 16 ? self->value_size - used : 16);
	return g_strconcat(head, filler, tail, NULL);
}

/* a BenchItem of about --value-size bytes, with a status when @status is non-zero */
static gchar *
api_bench_item(ApiBench *self, const gchar *name, guint index, guint status)
{
	g_autofree gchar *head = NULL;
	g_autofree gchar *tail = NULL;
	g_autofree gchar *filler = NULL;
	gsize used;

	head = g_strdup_printf("{\"apiVersion\":\"bench.rancherdesktop.io/v1alpha1\","
			       "\"kind\":\"BenchItem\",\"metadata\":{\"name\":\"%s\","
			       "\"namespace\":\"bench\"},\"spec\":{\"payload\":\"",
			       name);
	if (status > 0)
		tail = g_strdup_printf("\"},\"status\":{\"message\":\"update %u\",\"observed\":%u,"
				       "\"phase\":\"Running\"}}",
				       status, status);
	else
		tail = g_strdup("\"}}");
	used = strlen(head) + strlen(tail);
	filler = api_bench_filler(index, (gsize)self->value_size > used + 16 ? self->value_size - used : 16);
	return g_strconcat(head, filler, tail, NULL);
}

static gchar *
api_bench_etcd_put_body(const gchar *key, const gchar *value)
{
	g_autofree gchar *k = g_base64_encode((const guchar *)key, strlen(key));
	g_autofree gchar *v = g_base64_encode((const guchar *)value, strlen(value));
	return g_strdup_printf("{\"key\":\"%s\",\"value\":\"%s\"}", k, v);
}

static gchar *
api_bench_etcd_range_body(const gchar *key, const gchar *range_end)
{
	g_autofree gchar *k = g_base64_encode((const guchar *)key, strlen(key));
	g_autofree gchar *e = NULL;
	if (range_end == NULL)
		return g_strdup_printf("{\"key\":\"%s\"}", k);
	e = g_base64_encode((const guchar *)range_end, strlen(range_end));
	return g_strdup_printf("{\"key\":\"%s\",\"range_end\":\"%s\"}", k, e);
}

static SoupMessage *
api_bench_message_new(ApiBench *self, const gchar *method, const gchar *path, gchar *body)
{
	g_autofree gchar *uri = g_strconcat(self->base_uri, path, NULL);
	SoupMessage *msg = soup_message_new(method, uri);
	SoupMessageHeaders *headers;

	if (msg == NULL) {
		g_free(body);
		return NULL;
	}
	/*
	 * libsoup sends a non-idempotent request (POST) only on a new connection unless it is
	 * marked idempotent; without this every create would open a connection of its own
	 */
	soup_message_add_flags(msg, SOUP_MESSAGE_IDEMPOTENT);
	headers = soup_message_get_request_headers(msg);
	soup_message_headers_replace(headers, "Accept", "application/json");
	if (self->authorization != NULL)
		soup_message_headers_replace(headers, "Authorization", self->authorization);
	if (body != NULL) {
		gsize len = strlen(body);
		g_autoptr(GBytes) bytes = g_bytes_new_take(body, len);
		soup_message_set_request_body_from_bytes(msg, "application/json", bytes);
	}
	return msg;
}

static const gchar *const api_bench_namespaces[] = {"bench", "bench-list", "bench-watch"};

/* the request for operation @index of @op, or %NULL when @op is a no-op for this target */
static SoupMessage *
api_bench_op_message(ApiBench *self, ApiBenchOp op, guint index, GRand *rand)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *doc = NULL;
	gboolean rdd = self->protocol == API_BENCH_PROTOCOL_RDD;
	const gchar *items = "/apis/bench.rancherdesktop.io/v1alpha1/namespaces/bench/benchitems";

	switch (op) {
	case API_BENCH_OP_WARMUP:
		return api_bench_message_new(self, "GET", "/version", NULL);
	case API_BENCH_OP_NAMESPACE:
		if (!rdd)
			return NULL;
		return api_bench_message_new(
			self, "POST", "/api/v1/namespaces",
			g_strdup_printf("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}",
					api_bench_namespaces[index % G_N_ELEMENTS(api_bench_namespaces)]));
	case API_BENCH_OP_CREATE:
	case API_BENCH_OP_SETUP_LIST: {
		const gchar *ns = op == API_BENCH_OP_CREATE ? "bench" : "bench-list";
		name = g_strdup_printf("cm-%07u", index);
		doc = api_bench_configmap(self, ns, name, index);
		if (rdd) {
			path = g_strdup_printf("/api/v1/namespaces/%s/configmaps", ns);
			return api_bench_message_new(self, "POST", path, g_steal_pointer(&doc));
		}
		key = g_strdup_printf(API_BENCH_ETCD_PREFIX "configmaps/%s/%s", ns, name);
		return api_bench_message_new(self, "POST", "/v3/kv/put", api_bench_etcd_put_body(key, doc));
	}
	case API_BENCH_OP_GET:
		name = g_strdup_printf("cm-%07u", (guint)g_rand_int_range(rand, 0, MAX(self->n_create, 1)));
		if (rdd) {
			path = g_strdup_printf("/api/v1/namespaces/bench/configmaps/%s", name);
			return api_bench_message_new(self, "GET", path, NULL);
		}
		key = g_strdup_printf(API_BENCH_ETCD_PREFIX "configmaps/bench/%s", name);
		return api_bench_message_new(self, "POST", "/v3/kv/range", api_bench_etcd_range_body(key, NULL));
	case API_BENCH_OP_SETUP_ITEMS:
	case API_BENCH_OP_UPDATE: {
		guint item = op == API_BENCH_OP_UPDATE ? index % (guint)self->n_items : index;
		name = g_strdup_printf("item-%07u", item);
		doc = api_bench_item(self, name, item, op == API_BENCH_OP_UPDATE ? index + 1 : 0);
		if (rdd && op == API_BENCH_OP_SETUP_ITEMS)
			return api_bench_message_new(self, "POST", items, g_steal_pointer(&doc));
		if (rdd) {
			path = g_strdup_printf("%s/%s/status", items, name);
			return api_bench_message_new(self, "PUT", path, g_steal_pointer(&doc));
		}
		key = g_strdup_printf(API_BENCH_ETCD_PREFIX "benchitems/bench/%s", name);
		return api_bench_message_new(self, "POST", "/v3/kv/put", api_bench_etcd_put_body(key, doc));
	}
	case API_BENCH_OP_LIST:
		if (rdd)
			return api_bench_message_new(self, "GET", "/api/v1/namespaces/bench-list/configmaps", NULL);
		return api_bench_message_new(
			self, "POST", "/v3/kv/range",
			api_bench_etcd_range_body(API_BENCH_ETCD_PREFIX "configmaps/bench-list/",
						  API_BENCH_ETCD_PREFIX "configmaps/bench-list0"));
	case API_BENCH_OP_SETUP_WATCH:
	case API_BENCH_OP_WATCH_WRITE:
		doc = api_bench_configmap(self, "bench-watch", "watched", index);
		if (rdd && op == API_BENCH_OP_SETUP_WATCH)
			return api_bench_message_new(self, "POST", "/api/v1/namespaces/bench-watch/configmaps",
						     g_steal_pointer(&doc));
		if (rdd)
			return api_bench_message_new(self, "PUT", "/api/v1/namespaces/bench-watch/configmaps/watched",
						     g_steal_pointer(&doc));
		return api_bench_message_new(
			self, "POST", "/v3/kv/put",
			api_bench_etcd_put_body(API_BENCH_ETCD_PREFIX "configmaps/bench-watch/watched", doc));
	default:
		return NULL;
	}
}

static SoupMessage *
api_bench_watch_message(ApiBench *self)
{
	g_autofree gchar *range = NULL;

	if (self->protocol == API_BENCH_PROTOCOL_RDD)
		return api_bench_message_new(
			self, "GET", "/api/v1/namespaces/bench-watch/configmaps?watch=true", NULL);
	range = api_bench_etcd_range_body(API_BENCH_ETCD_PREFIX "configmaps/bench-watch/",
					  API_BENCH_ETCD_PREFIX "configmaps/bench-watch0");
	return api_bench_message_new(self, "POST", "/v3/watch",
				     g_strdup_printf("{\"create_request\":%s}", range));
}

/* the revision an event line or a write response carries */
static const gchar *
api_bench_event_key(ApiBench *self)
{
	return self->protocol == API_BENCH_PROTOCOL_RDD ? "\"resourceVersion\":\"" : "\"mod_revision\":\"";
}

static const gchar *
api_bench_write_key(ApiBench *self)
{
	return self->protocol == API_BENCH_PROTOCOL_RDD ? "\"resourceVersion\":\"" : "\"revision\":\"";
}

/* is @status the success answer of @op? A namespace that exists already is fine. */
static gboolean
api_bench_status_ok(ApiBenchOp op, guint status)
{
	if (op == API_BENCH_OP_NAMESPACE && status == SOUP_STATUS_CONFLICT)
		return TRUE;
	return status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED;
}

/* ---------------------------------------------------------------------------------------- */
/* sessions */

static SoupSession *
api_bench_session_new(ApiBench *self, guint max_conns, guint timeout_s)
{
	SoupSession *session;

	/* the pool: the session opens a connection whenever all open ones are busy */
	if (self->unix_socket != NULL) {
		g_autoptr(GSocketAddress) address = g_unix_socket_address_new(self->unix_socket);
		session = soup_session_new_with_options("remote-connectable", address, "max-conns",
							max_conns, "max-conns-per-host", max_conns, NULL);
	} else {
		session = soup_session_new_with_options("max-conns", max_conns,
							"max-conns-per-host", max_conns, NULL);
	}
	soup_session_set_proxy_resolver(session, NULL);
	soup_session_set_user_agent(session, "rdd-api-bench/" PACKAGE_VERSION);
	soup_session_set_timeout(session, timeout_s);
	soup_session_set_idle_timeout(session, 0);
	if (self->tls_database != NULL)
		soup_session_set_tls_database(session, self->tls_database);
	return session;
}

static void api_bench_record_error(ApiBench *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
api_bench_record_error(ApiBench *self, const gchar *format, ...)
{
	va_list args;
	g_atomic_int_inc(&self->n_errors);
	g_mutex_lock(&self->lock);
	if (self->first_error == NULL) {
		va_start(args, format);
		self->first_error = g_strdup_vprintf(format, args);
		va_end(args);
	}
	g_mutex_unlock(&self->lock);
}

/* ---------------------------------------------------------------------------------------- */
/* request phases */

static void api_bench_worker_issue(ApiBenchWorker *self);

static void
api_bench_worker_done(ApiBenchWorker *self)
{
	ApiBench *bench = self->bench;
	g_mutex_lock(&bench->lock);
	g_array_append_vals(bench->latencies, self->latencies->data, self->latencies->len);
	g_array_set_size(self->latencies, 0);
	bench->n_running--;
	g_cond_broadcast(&bench->cond);
	g_mutex_unlock(&bench->lock);
}

/* sanity check of one list answer: does it hold --list-size items? */
static void
api_bench_check_list(ApiBench *self, GBytes *body)
{
	gsize len = 0;
	const gchar *data = g_bytes_get_data(body, &len);
	guint64 count = 0;

	if (self->protocol == API_BENCH_PROTOCOL_ETCD) {
		count = api_bench_find_number(data, len, "\"count\":\"", NULL);
	} else {
		const gchar *p = data;
		const gchar *end = data + len;
		const gchar *needle = "\"kind\":\"ConfigMap\"";
		while ((p = memmem(p, end - p, needle, strlen(needle))) != NULL) {
			count++;
			p += strlen(needle);
		}
	}
	if (count != (guint64)self->list_size)
		api_bench_record_error(self, "a list returned %" G_GUINT64_FORMAT " items, expected %d",
				       count, self->list_size);
}

static void api_bench_request_cb(GObject *source, GAsyncResult *result, gpointer user_data);

static void
api_bench_request_send(ApiBenchRequest *req, SoupMessage *msg)
{
	soup_session_send_and_read_async(req->worker->session, msg, G_PRIORITY_DEFAULT, NULL,
					 api_bench_request_cb, req);
}

static gboolean
api_bench_request_retry_cb(gpointer user_data)
{
	ApiBenchRequest *req = user_data;
	ApiBenchWorker *self = req->worker;
	g_autoptr(SoupMessage) msg =
		api_bench_op_message(self->bench, self->bench->op, req->index, self->rand);
	api_bench_request_send(req, msg);
	return G_SOURCE_REMOVE;
}

static void
api_bench_request_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ApiBenchRequest *req = user_data;
	ApiBenchWorker *self = req->worker;
	ApiBench *bench = self->bench;
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), result);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error_local);
	gint64 end_ns = api_bench_now_ns();
	guint status = msg != NULL ? soup_message_get_status(msg) : 0;

	if (body == NULL && g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
	    req->retries < API_BENCH_CONNECT_RETRIES) {
		/* the server's listen backlog was full: try again shortly, the clock running */
		g_atomic_int_inc(&bench->n_connect_retries);
		req->retries++;
		api_bench_timeout_add(API_BENCH_CONNECT_RETRY_MS, api_bench_request_retry_cb, req);
		return;
	}
	self->in_flight--;
	if (body == NULL) {
		api_bench_record_error(bench, "request %u failed: %s", req->index, error_local->message);
	} else if (!api_bench_status_ok(bench->op, status)) {
		gsize len = 0;
		const gchar *data = g_bytes_get_data(body, &len);
		api_bench_record_error(bench, "request %u: HTTP %u: %.*s", req->index, status,
				       (gint)MIN(len, 300), data != NULL ? data : "");
	} else {
		gdouble ms = (end_ns - req->start_ns) / 1e6;
		g_array_append_val(self->latencies, ms);
		if (bench->op == API_BENCH_OP_LIST && !bench->list_checked) {
			bench->list_checked = TRUE;
			api_bench_check_list(bench, body);
		}
		if (req->index == 0) {
			g_mutex_lock(&bench->lock);
			g_free(bench->http_version);
			bench->http_version = g_strdup(
				soup_message_get_http_version(msg) == SOUP_HTTP_1_1 ? "HTTP/1.1" :
				soup_message_get_http_version(msg) == SOUP_HTTP_2_0 ? "HTTP/2" :
										      "HTTP/1.0");
			g_mutex_unlock(&bench->lock);
		}
	}
	g_free(req);
	api_bench_worker_issue(self);
	if (self->in_flight == 0)
		api_bench_worker_done(self);
}

/* sends requests until this worker has its share in flight or the phase has none left */
static void
api_bench_worker_issue(ApiBenchWorker *self)
{
	ApiBench *bench = self->bench;

	guint limit = bench->limit > 0 ? MIN(bench->limit, self->concurrency) : self->concurrency;

	while (self->in_flight < limit) {
		gint index = g_atomic_int_add(&bench->next_op, 1);
		g_autoptr(SoupMessage) msg = NULL;
		ApiBenchRequest *req;

		if (index >= bench->n_ops)
			return;
		msg = api_bench_op_message(bench, bench->op, (guint)index, self->rand);
		if (msg == NULL)
			continue;
		req = g_new0(ApiBenchRequest, 1);
		req->worker = self;
		req->index = (guint)index;
		req->start_ns = api_bench_now_ns();
		self->in_flight++;
		api_bench_request_send(req, msg);
	}
}

static gboolean
api_bench_worker_start_cb(gpointer user_data)
{
	ApiBenchWorker *self = user_data;
	api_bench_worker_issue(self);
	if (self->in_flight == 0)
		api_bench_worker_done(self);
	return G_SOURCE_REMOVE;
}

static gpointer
api_bench_worker_thread(gpointer user_data)
{
	ApiBenchWorker *self = user_data;
	ApiBench *bench = self->bench;

	g_main_context_push_thread_default(self->context);
	/*
	 * exactly as many connections as requests in flight: a request whose callback sends the
	 * next one finds its connection not yet idle, and a larger pool would open another
	 */
	self->session = api_bench_session_new(bench, self->concurrency, 60);
	g_mutex_lock(&bench->lock);
	self->started = TRUE;
	g_cond_broadcast(&bench->cond);
	g_mutex_unlock(&bench->lock);
	g_main_loop_run(self->loop);
	soup_session_abort(self->session);
	g_clear_object(&self->session);
	/* let the aborted connections finish closing */
	while (g_main_context_iteration(self->context, FALSE))
		;
	g_main_context_pop_thread_default(self->context);
	return NULL;
}

static void
api_bench_workers_start(ApiBench *self)
{
	for (gint i = 0; i < self->n_threads; i++) {
		ApiBenchWorker *worker = g_new0(ApiBenchWorker, 1);
		g_autofree gchar *name = g_strdup_printf("bench-worker-%d", i);
		worker->bench = self;
		worker->index = (guint)i;
		worker->context = g_main_context_new();
		worker->loop = g_main_loop_new(worker->context, FALSE);
		/* the concurrency is shared out; the first workers take the remainder */
		worker->concurrency = (guint)(self->concurrency / self->n_threads +
					      (i < self->concurrency % self->n_threads ? 1 : 0));
		worker->concurrency = MAX(worker->concurrency, 1);
		worker->latencies = g_array_new(FALSE, FALSE, sizeof(gdouble));
		worker->rand = g_rand_new_with_seed((guint32)(self->seed * 7919 + i));
		g_ptr_array_add(self->workers, worker);
		worker->thread = g_thread_new(name, api_bench_worker_thread, worker);
	}
	g_mutex_lock(&self->lock);
	for (guint i = 0; i < self->workers->len; i++) {
		ApiBenchWorker *worker = g_ptr_array_index(self->workers, i);
		while (!worker->started)
			g_cond_wait(&self->cond, &self->lock);
	}
	g_mutex_unlock(&self->lock);
}

static gboolean
api_bench_worker_quit_cb(gpointer user_data)
{
	ApiBenchWorker *self = user_data;
	g_main_loop_quit(self->loop);
	return G_SOURCE_REMOVE;
}

static void
api_bench_workers_stop(ApiBench *self)
{
	for (guint i = 0; i < self->workers->len; i++) {
		ApiBenchWorker *worker = g_ptr_array_index(self->workers, i);
		g_main_context_invoke(worker->context, api_bench_worker_quit_cb, worker);
		g_thread_join(worker->thread);
		g_main_loop_unref(worker->loop);
		g_main_context_unref(worker->context);
		g_array_unref(worker->latencies);
		g_rand_free(worker->rand);
		g_free(worker);
	}
	g_ptr_array_set_size(self->workers, 0);
}

/*
 * Runs @n_ops operations of @op over all workers; when @metric is non-NULL, prints a RESULT
 * line. Returns %FALSE with @error set when any request failed.
 */
static gboolean
api_bench_run_phase_limited(ApiBench *self, ApiBenchOp op, gint n_ops, guint limit, const gchar *metric, GError **error)
{
	gint64 start_ns, end_ns;
	ApiBenchUsage u0, u1;
	gdouble seconds;
	guint n_errors;

	self->op = op;
	self->n_ops = n_ops;
	self->limit = limit;
	self->next_op = 0;
	self->n_errors = 0;
	self->list_checked = FALSE;
	g_clear_pointer(&self->first_error, g_free);
	g_array_set_size(self->latencies, 0);
	self->n_running = self->workers->len;

	api_bench_read_usage(self->pid, &u0);
	start_ns = api_bench_now_ns();
	for (guint i = 0; i < self->workers->len; i++) {
		ApiBenchWorker *worker = g_ptr_array_index(self->workers, i);
		g_main_context_invoke(worker->context, api_bench_worker_start_cb, worker);
	}
	g_mutex_lock(&self->lock);
	while (self->n_running > 0)
		g_cond_wait(&self->cond, &self->lock);
	g_mutex_unlock(&self->lock);
	end_ns = api_bench_now_ns();
	api_bench_read_usage(self->pid, &u1);
	seconds = (end_ns - start_ns) / 1e9;

	n_errors = (guint)g_atomic_int_get(&self->n_errors);
	if (metric != NULL) {
		api_bench_print_result(self, metric, (guint)n_ops, seconds, self->latencies->len / seconds,
				       self->latencies, n_errors, &u0, &u1);
	}
	if (n_errors > 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "%u of %d requests of phase %s failed; the first: %s",
			    n_errors, n_ops, metric != NULL ? metric : "setup", self->first_error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
api_bench_run_phase(ApiBench *self, ApiBenchOp op, gint n_ops, const gchar *metric, GError **error)
{
	return api_bench_run_phase_limited(self, op, n_ops, 0, metric, error);
}

/*
 * Opens the connection pools a few connections at a time. A server whose listen backlog is
 * short refuses a burst of simultaneous connects (a unix socket fails them with EAGAIN, TCP
 * drops the SYN and the client retries a second later); a client that opens its pool all at
 * once would measure that instead of the requests.
 */
static gboolean
api_bench_warm_up(ApiBench *self, GError **error)
{
	guint step = MAX(1, API_BENCH_CONNECT_BURST / self->workers->len);
	guint per_worker = (guint)(self->concurrency + self->n_threads - 1) / (guint)self->n_threads;

	for (guint limit = step;; limit += step) {
		limit = MIN(limit, per_worker);
		if (!api_bench_run_phase_limited(self, API_BENCH_OP_WARMUP,
						 (gint)(limit * self->workers->len * 2), limit, NULL, error))
			return FALSE;
		if (limit >= per_worker)
			return TRUE;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* the watch phase, on the first worker's thread */

typedef struct {
	guint64 rev;
	gint64 t_ns;
} ApiBenchArrival;

typedef struct {
	guint64 rev;
	gint64 sent_ns;
	gint64 response_ns;
} ApiBenchWrite;

typedef struct _ApiBenchWatch ApiBenchWatch;

typedef struct {
	ApiBenchWatch *watch;
	guint index;
	SoupMessage *msg;
	GInputStream *stream;
	GByteArray *pending; /* the start of an unfinished line */
	guint8 *buffer;
	gboolean ready;
	guint64 max_rev;
	GArray *arrivals; /* ApiBenchArrival */
} ApiBenchWatcher;

struct _ApiBenchWatch {
	ApiBench *bench;
	ApiBenchWorker *worker;
	SoupSession *session;
	GCancellable *cancellable;
	GPtrArray *watchers;
	guint n_ready;
	guint n_started;
	guint n_active; /* watchers with a request or read outstanding */
	guint n_failed;
	gchar *first_error;
	guint ready_timeout_id;
	guint settle_id;
	/* the writer */
	GArray *writes; /* ApiBenchWrite */
	guint n_writes_sent;
	guint64 current_rev; /* the write whose events are awaited, 0 when none */
	guint n_seen_current;
	guint write_timeout_id;
	guint n_write_timeouts;
	gboolean writing;
	gboolean finished;
	gint64 writes_start_ns;
	gint64 writes_end_ns;
	ApiBenchUsage u0;
	ApiBenchUsage u1;
	/* memory */
	guint64 rss_before_kib;
	guint64 rss_ready_kib;
	guint64 rss_after_kib;
};

static void api_bench_watch_write_next(ApiBenchWatch *self);
static void api_bench_watch_finish(ApiBenchWatch *self);

static void
api_bench_watch_fail(ApiBenchWatch *self, const gchar *what, const GError *error)
{
	self->n_failed++;
	if (self->first_error == NULL)
		self->first_error = g_strdup_printf("%s: %s", what, error != NULL ? error->message : "failed");
}

static void
api_bench_watcher_release(ApiBenchWatcher *self)
{
	ApiBenchWatch *watch = self->watch;
	/* in this thread: the stream closes its connection in the session's context */
	g_clear_object(&self->stream);
	g_clear_object(&self->msg);
	watch->n_active--;
	if (watch->n_active == 0 && watch->finished) {
		/* every stream is closed: the phase is over */
		g_clear_object(&watch->session);
		api_bench_worker_done(watch->worker);
	}
}

static void
api_bench_watch_check_current(ApiBenchWatch *self)
{
	if (self->current_rev == 0 || self->n_seen_current < self->watchers->len)
		return;
	self->current_rev = 0;
	api_bench_clear_source(&self->write_timeout_id);
	api_bench_watch_write_next(self);
}

static void api_bench_watcher_send_cb(GObject *source, GAsyncResult *result, gpointer user_data);

static void
api_bench_watch_start_watcher(ApiBenchWatch *self)
{
	ApiBenchWatcher *watcher;

	if (self->finished || self->n_started >= self->watchers->len)
		return;
	watcher = g_ptr_array_index(self->watchers, self->n_started);
	g_debug("starting watcher %u", self->n_started);
	self->n_started++;
	watcher->msg = api_bench_watch_message(self->bench);
	self->n_active++;
	soup_session_send_async(self->session, watcher->msg, G_PRIORITY_DEFAULT, self->cancellable,
				api_bench_watcher_send_cb, watcher);
}

static gboolean
api_bench_watch_settled_cb(gpointer user_data)
{
	ApiBenchWatch *self = user_data;
	self->settle_id = 0;
	self->rss_ready_kib = api_bench_read_rss_kib(self->bench->pid);
	api_bench_read_usage(self->bench->pid, &self->u0);
	self->writes_start_ns = api_bench_now_ns();
	api_bench_watch_write_next(self);
	return G_SOURCE_REMOVE;
}

static void
api_bench_watcher_line(ApiBenchWatcher *self, const gchar *line, gsize len, gint64 t_ns)
{
	ApiBenchWatch *watch = self->watch;
	const gchar *key = api_bench_event_key(watch->bench);
	const gchar *p = line;
	const gchar *end = line + len;

	if (!self->ready) {
		/* the first line: the object's initial ADDED event (rdd) or `created` (etcd) */
		self->ready = TRUE;
		watch->n_ready++;
		api_bench_watch_start_watcher(watch);
		if (watch->n_ready == watch->watchers->len) {
			api_bench_clear_source(&watch->ready_timeout_id);
			watch->settle_id = api_bench_timeout_add(API_BENCH_WATCH_SETTLE_MS,
								 api_bench_watch_settled_cb, watch);
		}
	}
	while (p < end) {
		const gchar *after = NULL;
		guint64 rev = api_bench_find_number(p, end - p, key, &after);
		ApiBenchArrival arrival = {rev, t_ns};
		if (after == NULL)
			break;
		p = after;
		if (rev == 0)
			continue;
		g_array_append_val(self->arrivals, arrival);
		if (watch->current_rev != 0 && self->max_rev < watch->current_rev && rev >= watch->current_rev)
			watch->n_seen_current++;
		self->max_rev = MAX(self->max_rev, rev);
	}
}

static void
api_bench_watcher_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ApiBenchWatcher *self = user_data;
	ApiBenchWatch *watch = self->watch;
	g_autoptr(GError) error_local = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error_local);
	gint64 t_ns = api_bench_now_ns();
	guint start = 0;

	if (n <= 0) {
		if (n < 0 && !g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			api_bench_watch_fail(watch, "reading a watch", error_local);
		else if (n == 0 && !watch->finished)
			api_bench_watch_fail(watch, "a watch ended early", NULL);
		api_bench_watcher_release(self);
		return;
	}
	g_byte_array_append(self->pending, self->buffer, (guint)n);
	for (guint i = 0; i < self->pending->len; i++) {
		if (self->pending->data[i] != '\n')
			continue;
		api_bench_watcher_line(self, (const gchar *)self->pending->data + start, i - start, t_ns);
		start = i + 1;
	}
	g_byte_array_remove_range(self->pending, 0, start);
	api_bench_watch_check_current(watch);
	g_input_stream_read_async(self->stream, self->buffer, API_BENCH_READ_SIZE, G_PRIORITY_DEFAULT,
				  watch->cancellable, api_bench_watcher_read_cb, self);
}

static void
api_bench_watcher_send_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ApiBenchWatcher *self = user_data;
	ApiBenchWatch *watch = self->watch;
	g_autoptr(GError) error_local = NULL;

	self->stream = soup_session_send_finish(SOUP_SESSION(source), result, &error_local);
	g_debug("watcher %u started: %s", self->index, error_local != NULL ? error_local->message : "ok");
	if (self->stream == NULL) {
		api_bench_watch_fail(watch, "starting a watch", error_local);
		api_bench_watcher_release(self);
		return;
	}
	if (soup_message_get_status(self->msg) != SOUP_STATUS_OK) {
		g_autoptr(GError) error_status = g_error_new(RDD_ERROR, RDD_ERROR_INTERNAL, "HTTP %u",
							     soup_message_get_status(self->msg));
		api_bench_watch_fail(watch, "starting a watch", error_status);
		api_bench_watcher_release(self);
		return;
	}
	g_input_stream_read_async(self->stream, self->buffer, API_BENCH_READ_SIZE, G_PRIORITY_DEFAULT,
				  watch->cancellable, api_bench_watcher_read_cb, self);
}

static gboolean
api_bench_watch_write_timeout_cb(gpointer user_data)
{
	ApiBenchWatch *self = user_data;
	self->write_timeout_id = 0;
	self->n_write_timeouts++;
	self->current_rev = 0;
	api_bench_watch_write_next(self);
	return G_SOURCE_REMOVE;
}

static void
api_bench_watch_write_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ApiBenchWatch *self = user_data;
	SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(source), result);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error_local);
	gint64 t_ns = api_bench_now_ns();
	ApiBenchWrite *write = &g_array_index(self->writes, ApiBenchWrite, self->writes->len - 1);
	const gchar *data;
	gsize len = 0;

	self->writing = FALSE;
	if (body == NULL || !api_bench_status_ok(API_BENCH_OP_WATCH_WRITE, soup_message_get_status(msg))) {
		g_autoptr(GError) error_status = NULL;
		if (body != NULL)
			error_status = g_error_new(RDD_ERROR, RDD_ERROR_INTERNAL, "HTTP %u",
						   soup_message_get_status(msg));
		api_bench_watch_fail(self, "a watched write", body == NULL ? error_local : error_status);
		api_bench_watch_finish(self);
		return;
	}
	data = g_bytes_get_data(body, &len);
	write->response_ns = t_ns;
	write->rev = api_bench_find_number(data, len, api_bench_write_key(self->bench), NULL);
	self->current_rev = write->rev;
	self->n_seen_current = 0;
	for (guint i = 0; i < self->watchers->len; i++) {
		ApiBenchWatcher *watcher = g_ptr_array_index(self->watchers, i);
		if (watcher->max_rev >= self->current_rev)
			self->n_seen_current++;
	}
	self->write_timeout_id = api_bench_timeout_add(API_BENCH_WATCH_WRITE_TIMEOUT_MS,
						       api_bench_watch_write_timeout_cb, self);
	api_bench_watch_check_current(self);
}

static void
api_bench_watch_write_next(ApiBenchWatch *self)
{
	g_autoptr(SoupMessage) msg = NULL;
	ApiBenchWrite write = {0};

	if (self->finished || self->writing)
		return;
	if (self->n_writes_sent >= (guint)self->bench->n_watch_writes) {
		api_bench_watch_finish(self);
		return;
	}
	/* index 0 made the object: every write changes its payload */
	msg = api_bench_op_message(self->bench, API_BENCH_OP_WATCH_WRITE, self->n_writes_sent + 1, NULL);
	self->n_writes_sent++;
	write.sent_ns = api_bench_now_ns();
	g_array_append_val(self->writes, write);
	self->writing = TRUE;
	soup_session_send_and_read_async(self->worker->session, msg, G_PRIORITY_DEFAULT, NULL,
					 api_bench_watch_write_cb, self);
}

static gboolean
api_bench_watch_ready_timeout_cb(gpointer user_data)
{
	ApiBenchWatch *self = user_data;
	g_autoptr(GError) error_local =
		g_error_new(RDD_ERROR, RDD_ERROR_TIMED_OUT, "only %u of %u watchers were established within %d ms",
			    self->n_ready, self->watchers->len, API_BENCH_WATCH_READY_TIMEOUT_MS);
	self->ready_timeout_id = 0;
	api_bench_watch_fail(self, "starting the watchers", error_local);
	api_bench_watch_finish(self);
	return G_SOURCE_REMOVE;
}

/* stops the writer and closes every watch; the phase ends when the last stream is released */
static void
api_bench_watch_finish(ApiBenchWatch *self)
{
	if (self->finished)
		return;
	self->finished = TRUE;
	self->writes_end_ns = api_bench_now_ns();
	api_bench_read_usage(self->bench->pid, &self->u1);
	self->rss_after_kib = api_bench_read_rss_kib(self->bench->pid);
	api_bench_clear_source(&self->write_timeout_id);
	api_bench_clear_source(&self->ready_timeout_id);
	api_bench_clear_source(&self->settle_id);
	g_cancellable_cancel(self->cancellable);
	if (self->n_active == 0) {
		g_clear_object(&self->session);
		api_bench_worker_done(self->worker);
	}
}

static gboolean
api_bench_watch_start_cb(gpointer user_data)
{
	ApiBenchWatch *self = user_data;
	ApiBench *bench = self->bench;

	self->session = api_bench_session_new(bench, (guint)bench->n_watchers, 0);
	self->rss_before_kib = api_bench_read_rss_kib(bench->pid);
	self->ready_timeout_id = api_bench_timeout_add(API_BENCH_WATCH_READY_TIMEOUT_MS,
						       api_bench_watch_ready_timeout_cb, self);
	/* a few at a time: each one established starts the next */
	for (guint i = 0; i < API_BENCH_CONNECT_BURST; i++)
		api_bench_watch_start_watcher(self);
	return G_SOURCE_REMOVE;
}

static void
api_bench_watcher_free(ApiBenchWatcher *self)
{
	g_clear_object(&self->msg);
	g_clear_object(&self->stream);
	g_byte_array_unref(self->pending);
	g_free(self->buffer);
	g_array_unref(self->arrivals);
	g_free(self);
}

static gboolean
api_bench_run_watch(ApiBench *self, GError **error)
{
	ApiBenchWatch watch = {0};
	ApiBenchWorker *worker = g_ptr_array_index(self->workers, 0);
	g_autoptr(GHashTable) by_rev = g_hash_table_new(g_int64_hash, g_int64_equal);
	g_autoptr(GArray) after_response = g_array_new(FALSE, FALSE, sizeof(gdouble));
	g_autoptr(GArray) after_send = g_array_new(FALSE, FALSE, sizeof(gdouble));
	guint n_early = 0;
	guint n_missing = 0;
	gdouble seconds;
	gboolean ok;

	watch.bench = self;
	watch.worker = worker;
	watch.cancellable = g_cancellable_new();
	watch.watchers = g_ptr_array_new_with_free_func((GDestroyNotify)api_bench_watcher_free);
	watch.writes = g_array_new(FALSE, FALSE, sizeof(ApiBenchWrite));
	for (gint i = 0; i < self->n_watchers; i++) {
		ApiBenchWatcher *watcher = g_new0(ApiBenchWatcher, 1);
		watcher->watch = &watch;
		watcher->index = (guint)i;
		watcher->pending = g_byte_array_new();
		watcher->buffer = g_malloc(API_BENCH_READ_SIZE);
		watcher->arrivals = g_array_new(FALSE, FALSE, sizeof(ApiBenchArrival));
		g_ptr_array_add(watch.watchers, watcher);
	}

	g_mutex_lock(&self->lock);
	self->n_running = 1;
	g_mutex_unlock(&self->lock);
	g_main_context_invoke(worker->context, api_bench_watch_start_cb, &watch);
	g_mutex_lock(&self->lock);
	while (self->n_running > 0)
		g_cond_wait(&self->cond, &self->lock);
	g_mutex_unlock(&self->lock);
	/* the worker dropped the latencies it never had into the shared array */
	g_array_set_size(self->latencies, 0);

	/* match every event a watcher received to the write that made it */
	for (guint j = 0; j < watch.writes->len; j++) {
		ApiBenchWrite *write = &g_array_index(watch.writes, ApiBenchWrite, j);
		if (write->rev != 0)
			g_hash_table_insert(by_rev, &write->rev, write);
	}
	for (guint i = 0; i < watch.watchers->len; i++) {
		ApiBenchWatcher *watcher = g_ptr_array_index(watch.watchers, i);
		guint n_matched = 0;
		for (guint k = 0; k < watcher->arrivals->len; k++) {
			ApiBenchArrival *arrival = &g_array_index(watcher->arrivals, ApiBenchArrival, k);
			guint64 rev = arrival->rev;
			ApiBenchWrite *write = g_hash_table_lookup(by_rev, &rev);
			gdouble ms;
			if (write == NULL || write->response_ns == 0)
				continue;
			n_matched++;
			ms = (arrival->t_ns - write->response_ns) / 1e6;
			if (ms < 0) {
				n_early++;
				ms = 0;
			}
			g_array_append_val(after_response, ms);
			ms = (arrival->t_ns - write->sent_ns) / 1e6;
			g_array_append_val(after_send, ms);
		}
		n_missing += g_hash_table_size(by_rev) - MIN(n_matched, g_hash_table_size(by_rev));
	}

	seconds = watch.writes_start_ns > 0 ? (watch.writes_end_ns - watch.writes_start_ns) / 1e9 : 0;
	api_bench_print_result(self, "watch-delivery", after_response->len, seconds,
			       seconds > 0 ? watch.writes->len / seconds : 0, after_response,
			       n_missing, &watch.u0, &watch.u1);
	api_bench_print_result(self, "watch-write-to-event", after_send->len, seconds,
			       seconds > 0 ? watch.writes->len / seconds : 0, after_send, n_missing,
			       &watch.u0, &watch.u1);
	g_print("VALUE\t%s\twatchers\t%d\n", self->label, self->n_watchers);
	g_print("VALUE\t%s\twatch-writes\t%u\n", self->label, watch.writes->len);
	g_print("VALUE\t%s\twatch-events-before-response\t%u\n", self->label, n_early);
	g_print("VALUE\t%s\twatch-write-timeouts\t%u\n", self->label, watch.n_write_timeouts);
	g_print("VALUE\t%s\trss-before-watchers-kib\t%" G_GUINT64_FORMAT "\n", self->label, watch.rss_before_kib);
	g_print("VALUE\t%s\trss-with-watchers-kib\t%" G_GUINT64_FORMAT "\n", self->label, watch.rss_ready_kib);
	g_print("VALUE\t%s\trss-after-watch-writes-kib\t%" G_GUINT64_FORMAT "\n", self->label, watch.rss_after_kib);

	ok = watch.n_failed == 0;
	if (!ok)
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "the watch phase failed %u times; the first: %s",
			    watch.n_failed, watch.first_error);
	g_ptr_array_unref(watch.watchers);
	g_array_unref(watch.writes);
	g_object_unref(watch.cancellable);
	g_free(watch.first_error);
	return ok;
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
api_bench_wants(ApiBench *self, const gchar *phase)
{
	return self->phases == NULL || g_strv_contains((const gchar *const *)self->phases, phase);
}

static gboolean
api_bench_run(ApiBench *self, GError **error)
{
	gboolean rdd = self->protocol == API_BENCH_PROTOCOL_RDD;

	/* open the pool's connections, and make the namespaces */
	if (!api_bench_warm_up(self, error))
		return FALSE;
	if (rdd && !api_bench_run_phase(self, API_BENCH_OP_NAMESPACE,
					G_N_ELEMENTS(api_bench_namespaces), NULL, error))
		return FALSE;
	g_print("VALUE\t%s\thttp-version\t%s\n", self->label, self->http_version);
	g_print("VALUE\t%s\tvalue-size\t%d\n", self->label, self->value_size);
	g_print("VALUE\t%s\tconcurrency\t%d\n", self->label, self->concurrency);
	g_print("VALUE\t%s\tthreads\t%d\n", self->label, self->n_threads);
	g_print("VALUE\t%s\trss-start-kib\t%" G_GUINT64_FORMAT "\n", self->label,
		api_bench_read_rss_kib(self->pid));

	/* the gets read what the creates made: `--phases get` alone needs them made before */
	if (api_bench_wants(self, "create") &&
	    !api_bench_run_phase(self, API_BENCH_OP_CREATE, self->n_create, "create", error))
		return FALSE;
	if (api_bench_wants(self, "get") &&
	    !api_bench_run_phase(self, API_BENCH_OP_GET, self->n_get, "get", error))
		return FALSE;
	if (api_bench_wants(self, "update")) {
		if (!api_bench_run_phase(self, API_BENCH_OP_SETUP_ITEMS, self->n_items, NULL, error))
			return FALSE;
		if (!api_bench_run_phase(self, API_BENCH_OP_UPDATE, self->n_update, "update", error))
			return FALSE;
	}
	if (api_bench_wants(self, "list")) {
		if (!api_bench_run_phase(self, API_BENCH_OP_SETUP_LIST, self->list_size, NULL, error))
			return FALSE;
		if (!api_bench_run_phase(self, API_BENCH_OP_LIST, self->n_list, "list", error))
			return FALSE;
	}
	g_print("VALUE\t%s\trss-end-kib\t%" G_GUINT64_FORMAT "\n", self->label,
		api_bench_read_rss_kib(self->pid));
	if (api_bench_wants(self, "watch")) {
		if (!api_bench_run_phase(self, API_BENCH_OP_SETUP_WATCH, 1, NULL, error))
			return FALSE;
		if (!api_bench_run_watch(self, error))
			return FALSE;
	}
	/* connects the server refused with EAGAIN (a full listen backlog), each tried again */
	g_print("VALUE\t%s\tconnect-retries\t%d\n", self->label, g_atomic_int_get(&self->n_connect_retries));
	return TRUE;
}

static gboolean
api_bench_setup(ApiBench *self,
		const gchar *target,
		const gchar *url,
		const gchar *ca_file,
		const gchar *token_file,
		const gchar *phases,
		GError **error)
{
	if (g_strcmp0(target, "rdd") == 0) {
		self->protocol = API_BENCH_PROTOCOL_RDD;
	} else if (g_strcmp0(target, "etcd") == 0) {
		self->protocol = API_BENCH_PROTOCOL_ETCD;
	} else {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "--target must be rdd or etcd, not \"%s\"", target != NULL ? target : "");
		return FALSE;
	}
	if (self->unix_socket != NULL) {
		if (self->protocol != API_BENCH_PROTOCOL_RDD) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "--unix-socket is for --target rdd");
			return FALSE;
		}
		self->base_uri = g_strdup("http://localhost");
	} else if (url != NULL) {
		self->base_uri = g_strdup(url);
		while (g_str_has_suffix(self->base_uri, "/"))
			self->base_uri[strlen(self->base_uri) - 1] = '\0';
	} else {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "give --url or --unix-socket");
		return FALSE;
	}
	if (ca_file != NULL) {
		self->tls_database = g_tls_file_database_new(ca_file, error);
		if (self->tls_database == NULL) {
			rdd_error_convert(error);
			g_prefix_error(error, "--ca-file %s: ", ca_file);
			return FALSE;
		}
	}
	if (token_file != NULL) {
		g_autofree gchar *token = NULL;
		if (!g_file_get_contents(token_file, &token, NULL, error)) {
			rdd_error_convert(error);
			return FALSE;
		}
		g_strstrip(token);
		self->authorization = g_strdup_printf("Bearer %s", token);
	}
	if (phases != NULL)
		self->phases = g_strsplit(phases, ",", -1);
	if (self->label == NULL)
		self->label = g_strdup(target);
	{
		/* each count, the least it may be */
		const struct {
			const gchar *option;
			gint value;
			gint least;
		} counts[] = {
			{"--concurrency", self->concurrency, 1},
			{"--threads", self->n_threads, 1},
			{"--creates", self->n_create, 1},
			{"--gets", self->n_get, 0},
			{"--updates", self->n_update, 0},
			{"--items", self->n_items, 1},
			{"--lists", self->n_list, 0},
			{"--list-size", self->list_size, 0},
			{"--watchers", self->n_watchers, 1},
			{"--watch-writes", self->n_watch_writes, 0},
			{"--value-size", self->value_size, 64},
		};
		for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
			if (counts[i].value < counts[i].least) {
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s %d: must be at least %d",
					    counts[i].option, counts[i].value, counts[i].least);
				return FALSE;
			}
		}
	}
	if (self->n_threads > self->concurrency) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "--threads %d: must be at most --concurrency (%d), each thread keeps at "
			    "least one request in flight",
			    self->n_threads, self->concurrency);
		return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autofree gchar *target = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *ca_file = NULL;
	g_autofree gchar *token_file = NULL;
	g_autofree gchar *phases = NULL;
	ApiBench bench = {
		.n_create = 5000,
		.n_get = 20000,
		.n_update = 5000,
		.n_list = 100,
		.list_size = 1000,
		.n_items = 1000,
		.n_watchers = 100,
		.n_watch_writes = 200,
		.concurrency = 16,
		.n_threads = 1,
		.value_size = 1024,
		.seed = 1,
	};
	const GOptionEntry entries[] = {
		{"target", 0, 0, G_OPTION_ARG_STRING, &target, "rdd or etcd", "TARGET"},
		{"label", 0, 0, G_OPTION_ARG_STRING, &bench.label, "Name of the target in the output", "LABEL"},
		{"url", 0, 0, G_OPTION_ARG_STRING, &url, "Base URL, e.g. http://127.0.0.1:2379", "URL"},
		{"unix-socket", 0, 0, G_OPTION_ARG_FILENAME, &bench.unix_socket,
		 "Connect to this unix socket (rdd)", "PATH"},
		{"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "Trust this CA for HTTPS", "FILE"},
		{"token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, "Send this bearer token", "FILE"},
		{"pid", 0, 0, G_OPTION_ARG_INT, &bench.pid, "The server's process, for its CPU time and VmRSS", "PID"},
		{"phases", 0, 0, G_OPTION_ARG_STRING, &phases,
		 "Comma-separated: create,get,update,list,watch (default: all)", "LIST"},
		{"creates", 0, 0, G_OPTION_ARG_INT, &bench.n_create, "Objects to create (default 5000)", "N"},
		{"gets", 0, 0, G_OPTION_ARG_INT, &bench.n_get, "Gets (default 20000)", "N"},
		{"updates", 0, 0, G_OPTION_ARG_INT, &bench.n_update, "Status updates (default 5000)", "N"},
		{"items", 0, 0, G_OPTION_ARG_INT, &bench.n_items,
		 "Objects the updates cycle over (default 1000)", "N"},
		{"lists", 0, 0, G_OPTION_ARG_INT, &bench.n_list, "Lists (default 100)", "N"},
		{"list-size", 0, 0, G_OPTION_ARG_INT, &bench.list_size,
		 "Objects in the listed namespace (default 1000)", "N"},
		{"watchers", 0, 0, G_OPTION_ARG_INT, &bench.n_watchers, "Concurrent watchers (default 100)", "N"},
		{"watch-writes", 0, 0, G_OPTION_ARG_INT, &bench.n_watch_writes,
		 "Writes seen by the watchers (default 200)", "N"},
		{"concurrency", 0, 0, G_OPTION_ARG_INT, &bench.concurrency, "Requests in flight (default 16)", "N"},
		{"threads", 0, 0, G_OPTION_ARG_INT, &bench.n_threads, "Client threads sharing them (default 1)", "N"},
		{"value-size", 0, 0, G_OPTION_ARG_INT, &bench.value_size, "Bytes per object (default 1024)", "BYTES"},
		{"seed", 0, 0, G_OPTION_ARG_INT, &bench.seed, "Seed of the random gets (default 1)", "N"},
		{NULL}};
	g_autoptr(GOptionContext) context =
		g_option_context_new("- HTTP API load generator for rdd-daemon and etcd");
	g_autoptr(GError) error = NULL;
	gboolean ok;

	setlocale(LC_ALL, "");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) ||
	    !api_bench_setup(&bench, target, url, ca_file, token_file, phases, &error)) {
		g_printerr("api-bench: %s\n", error->message);
		return 2;
	}
	g_mutex_init(&bench.lock);
	g_cond_init(&bench.cond);
	bench.workers = g_ptr_array_new();
	bench.latencies = g_array_new(FALSE, FALSE, sizeof(gdouble));

	api_bench_workers_start(&bench);
	ok = api_bench_run(&bench, &error);
	api_bench_workers_stop(&bench);
	if (!ok)
		g_printerr("api-bench: %s: %s\n", bench.label, error->message);

	g_ptr_array_unref(bench.workers);
	g_array_unref(bench.latencies);
	g_clear_object(&bench.tls_database);
	g_free(bench.label);
	g_free(bench.base_uri);
	g_free(bench.unix_socket);
	g_free(bench.authorization);
	g_free(bench.first_error);
	g_free(bench.http_version);
	g_strfreev(bench.phases);
	g_mutex_clear(&bench.lock);
	g_cond_clear(&bench.cond);
	return ok ? 0 : 1;
}
