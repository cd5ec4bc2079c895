/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The demo plugin: the singleton Demo kind, whose controller "processes" a message one step
 * per reconcile until it has done so spec.count times, and a `hello` passthrough route.
 */

#include "config.h"

#include "rdd-core.h"

#define DEMO_PLUGIN_NAME	"demo"
#define DEMO_PLUGIN_SINGLETON	"demo"
#define DEMO_PLUGIN_DEFAULT_INTERVAL_MS 10000

typedef struct {
	guint interval_ms;
} DemoPlugin;

static gboolean
demo_plugin_validate(RddAdmission *admission, gpointer user_data, GError **error)
{
	if (g_strcmp0(rdd_admission_get_name(admission), DEMO_PLUGIN_SINGLETON) != 0) {
		g_set_error_literal(error,
				    RDD_ERROR,
				    RDD_ERROR_FORBIDDEN,
				    "Demo resource must be named 'demo'");
		return FALSE;
	}
	return TRUE;
}

static gboolean
demo_plugin_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	DemoPlugin *self = user_data;
	RddObject *obj = rdd_reconcile_get_object(reconcile);
	RddStore *store = rdd_reconcile_get_store(reconcile);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) written = NULL;
	JsonObject *status;
	gint64 count, processed, generation;
	gboolean changed = FALSE;

	if (obj == NULL)
		return TRUE;
	if (g_strcmp0(rdd_object_get_name(obj), DEMO_PLUGIN_SINGLETON) != 0) {
		g_autoptr(RddObject) gone = NULL;
		g_info("deleting Demo %s: the only allowed name is %s",
		       rdd_object_get_name(obj),
		       DEMO_PLUGIN_SINGLETON);
		gone = rdd_store_delete(store, rdd_object_get_kind(obj), NULL, rdd_object_get_name(obj), NULL, error);
		return gone != NULL;
	}

	node = rdd_object_dup_node(obj);
	status = rdd_json_object_ensure_object(json_node_get_object(node), "status");
	count = json_object_get_int_member_with_default(rdd_json_lookup_object(node, "spec"), "count", 0);
	processed = json_object_get_int_member_with_default(status, "processedCount", 0);
	generation = rdd_object_get_generation(obj);

	if (processed < count) {
		g_autofree gchar *now = rdd_time_format_now();
		g_autofree gchar *msg = NULL;
		const gchar *last = json_object_get_string_member_with_default(status, "lastProcessed", NULL);
		gint64 last_usec = 0;
		/* one step per interval, however often other changes bring the object back */
		if (last != NULL && rdd_time_parse(last, &last_usec, NULL)) {
			gint64 due = last_usec + (gint64)self->interval_ms * 1000;
			gint64 wait_ms = (due - g_get_real_time()) / 1000;
			if (wait_ms > 0) {
				rdd_reconcile_requeue_after(reconcile, (guint)wait_ms);
				return TRUE;
			}
		}
		processed++;
		msg = g_strdup_printf("Processed %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT, processed, count);
		json_object_set_int_member(status, "processedCount", processed);
		json_object_set_string_member(status, "lastProcessed", now);
		rdd_conditions_set(status, "Ready", "True", "Processing", msg, generation);
		rdd_conditions_set(status, "Processing", "True", "InProgress", msg, generation);
		rdd_conditions_set(status, "Completed", "False", "InProgress", msg, generation);
		changed = TRUE;
		if (processed < count)
			rdd_reconcile_requeue_after(reconcile, self->interval_ms);
	} else {
		g_autofree gchar *msg = g_strdup_printf("Processed all %" G_GINT64_FORMAT, count);
		if (!json_object_has_member(status, "processedCount")) {
			json_object_set_int_member(status, "processedCount", processed);
			changed = TRUE;
		}
		changed |= rdd_conditions_set(status, "Ready", "True", "Ready", msg, generation);
		changed |= rdd_conditions_set(status, "Processing", "False", "Completed", msg, generation);
		changed |= rdd_conditions_set(status, "Completed", "True", "Completed", msg, generation);
	}
	if (!changed)
		return TRUE;
	written = rdd_store_update_status(store, node, NULL, error);
	return written != NULL;
}

static void
demo_plugin_hello(RddPluginContext *context,
		  SoupServerMessage *msg,
		  const gchar *path,
		  GHashTable *query,
		  gpointer user_data)
{
	g_autoptr(GString) body = g_string_new("Hello, world!\n");
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	SoupMessageHeadersIter iter;
	const gchar *name, *value;

	g_string_append(body, "\nRequest headers:\n");
	soup_message_headers_iter_init(&iter, headers);
	while (soup_message_headers_iter_next(&iter, &name, &value)) {
		/* never echo credentials */
		if (g_ascii_strcasecmp(name, "Authorization") == 0)
			value = "(redacted)";
		g_string_append_printf(body, "%s: %s\n", name, value);
	}
	g_string_append_printf(body, "\nPath: %s\n", path);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, body->str, body->len);
}

static gboolean
demo_plugin_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
	    .struct_size = sizeof(RddControllerVTable),
	    .reconcile = demo_plugin_reconcile,
	};
	DemoPlugin *self = g_new0(DemoPlugin, 1);
	g_autoptr(RddController) controller = NULL;
	const gchar *interval = g_getenv("RDD_DEMO_INTERVAL");
	gint64 usec = 0;
	RddKind *kind;

	self->interval_ms = DEMO_PLUGIN_DEFAULT_INTERVAL_MS;
	if (interval != NULL) {
		if (!rdd_time_parse_duration(interval, &usec, error) || usec <= 0) {
			g_free(self);
			if (usec <= 0 && error != NULL && *error == NULL)
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "RDD_DEMO_INTERVAL must be positive");
			g_prefix_error(error, "RDD_DEMO_INTERVAL: ");
			return FALSE;
		}
		self->interval_ms = MAX(usec / 1000, 1);
	}
	if (!rdd_plugin_context_add_kinds_from_resource(context,
							"/io/rancherdesktop/rdd/plugins/demo/app.rancherdesktop.io/demo.yaml",
							error)) {
		g_free(self);
		return FALSE;
	}
	kind = rdd_plugin_context_lookup_kind(context, NULL, "Demo");
	rdd_plugin_context_add_admission(context,
					 kind,
					 RDD_ADMISSION_VALIDATING,
					 RDD_OPERATION_CREATE,
					 "demo-validator",
					 demo_plugin_validate,
					 NULL,
					 NULL);
	controller = rdd_controller_new("demo", "app", kind, &vtable, self, g_free);
	rdd_plugin_context_add_controller(context, controller);
	rdd_plugin_context_add_route(context, "hello", demo_plugin_hello, NULL, NULL);
	return TRUE;
}

RDD_PLUGIN_DEFINE(DEMO_PLUGIN_NAME,
		  "app.rancherdesktop.io",
		  PACKAGE_VERSION,
		  "The Demo kind: a controller that processes a message step by step",
		  demo_plugin_register,
		  NULL)
