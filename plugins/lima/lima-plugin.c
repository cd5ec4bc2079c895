/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The lima plugin: the LimaVM kind, its admission rules, and the limavm controller that drives
 * `limactl` (or, in host mode, links the host's Docker socket).
 */

#include "config.h"

#include "lima-plugin.h"

#define LIMA_PLUGIN_CRD "/io/rancherdesktop/rdd/plugins/lima/lima.rancherdesktop.io/limavm.yaml"

/* limactl deadlines (reference: create/start 10 min, stop/delete 2 min, list 30 s) */
#define LIMA_PLUGIN_TIMEOUT_CREATE_MS (10 * 60 * 1000)
#define LIMA_PLUGIN_TIMEOUT_START_MS (10 * 60 * 1000)
#define LIMA_PLUGIN_TIMEOUT_STOP_MS (2 * 60 * 1000)
#define LIMA_PLUGIN_TIMEOUT_DELETE_MS (2 * 60 * 1000)
#define LIMA_PLUGIN_TIMEOUT_LIST_MS (30 * 1000)
#define LIMA_PLUGIN_POLL_MS 5000
#define LIMA_PLUGIN_RETRY_MS 30000
#define LIMA_PLUGIN_HOST_PING_MS 2000
#define LIMA_PLUGIN_HOST_TIMEOUT_MS 3000
/* what a reconcile may take on top of its limactl calls */
#define LIMA_PLUGIN_DEADLINE_SLACK_MS 60000

/**
 * lima_plugin_ref:
 * @self: the plugin
 *
 * Returns: (transfer full): @self
 */
LimaPlugin *
lima_plugin_ref(LimaPlugin *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * lima_plugin_unref:
 * @self: (transfer full): the plugin
 */
void
lima_plugin_unref(LimaPlugin *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->ref_count))
		return;
	if (self->store != NULL)
		g_object_remove_weak_pointer(G_OBJECT(self->store), (gpointer *)&self->store);
	g_clear_object(&self->instance);
	g_clear_object(&self->limavm_kind);
	g_clear_object(&self->configmap_kind);
	g_hash_table_unref(self->vms);
	g_free(self);
}

static gchar *
lima_plugin_key(const gchar *namespace, const gchar *name)
{
	return g_strdup_printf("%s/%s", namespace != NULL ? namespace : "", name);
}

/**
 * lima_plugin_ensure_vm:
 * @self: the plugin
 * @namespace: the LimaVM's namespace
 * @name: its name
 *
 * Returns: (transfer none): what the controller remembers about the VM, created when new
 */
LimaVm *
lima_plugin_ensure_vm(LimaPlugin *self, const gchar *namespace, const gchar *name)
{
	g_autofree gchar *key = lima_plugin_key(namespace, name);
	LimaVm *vm = g_hash_table_lookup(self->vms, key);

	if (vm != NULL)
		return vm;
	vm = g_new0(LimaVm, 1);
	vm->phase = LIMA_PHASE_UNKNOWN;
	g_hash_table_insert(self->vms, g_steal_pointer(&key), vm);
	return vm;
}

/**
 * lima_plugin_forget_vm:
 * @self: the plugin
 * @namespace: the LimaVM's namespace
 * @name: its name
 *
 * Drops what the controller remembers about a deleted VM.
 */
void
lima_plugin_forget_vm(LimaPlugin *self, const gchar *namespace, const gchar *name)
{
	g_autofree gchar *key = lima_plugin_key(namespace, name);
	g_hash_table_remove(self->vms, key);
}

/**
 * lima_plugin_dup_instance_dir:
 * @self: the plugin
 * @name: a LimaVM name
 *
 * Returns: (transfer full): `<LimaHome>/<name>`
 */
gchar *
lima_plugin_dup_instance_dir(LimaPlugin *self, const gchar *name)
{
	return g_build_filename(rdd_instance_get_lima_home(self->instance), name, NULL);
}

/**
 * lima_plugin_get_deadline_ms:
 * @self: the plugin
 *
 * The longest one reconcile may take: the worst sequence of limactl calls in one run (a list,
 * a forced stop, a delete and a create or start) plus slack.
 *
 * Returns: milliseconds
 */
guint
lima_plugin_get_deadline_ms(LimaPlugin *self)
{
	guint64 total = (guint64)self->timeout_list_ms + self->timeout_stop_ms + self->timeout_delete_ms +
			MAX(self->timeout_create_ms, self->timeout_start_ms) + LIMA_PLUGIN_DEADLINE_SLACK_MS;
	return (guint)MIN(total, (guint64)G_MAXUINT);
}

/* a positive Go-style duration from the environment, in milliseconds */
static gboolean
lima_plugin_env_duration(const gchar *name, guint *ms, GError **error)
{
	const gchar *text = g_getenv(name);
	gint64 usec = 0;

	if (text == NULL || text[0] == '\0')
		return TRUE;
	if (!rdd_time_parse_duration(text, &usec, error)) {
		g_prefix_error(error, "%s: ", name);
		return FALSE;
	}
	if (usec <= 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "%s: the duration \"%s\" must be positive", name, text);
		return FALSE;
	}
	*ms = (guint)CLAMP(usec / 1000, 1, (gint64)G_MAXUINT / 8);
	return TRUE;
}

static gboolean
lima_plugin_load_config(LimaPlugin *self, GError **error)
{
	guint timeout = 0;

	self->timeout_create_ms = LIMA_PLUGIN_TIMEOUT_CREATE_MS;
	self->timeout_start_ms = LIMA_PLUGIN_TIMEOUT_START_MS;
	self->timeout_stop_ms = LIMA_PLUGIN_TIMEOUT_STOP_MS;
	self->timeout_delete_ms = LIMA_PLUGIN_TIMEOUT_DELETE_MS;
	self->timeout_list_ms = LIMA_PLUGIN_TIMEOUT_LIST_MS;
	self->poll_ms = LIMA_PLUGIN_POLL_MS;
	self->retry_ms = LIMA_PLUGIN_RETRY_MS;
	self->host_ping_ms = LIMA_PLUGIN_HOST_PING_MS;
	self->host_timeout_ms = LIMA_PLUGIN_HOST_TIMEOUT_MS;
	if (!lima_plugin_env_duration("RDD_LIMACTL_TIMEOUT", &timeout, error))
		return FALSE;
	if (timeout != 0) {
		self->timeout_create_ms = timeout;
		self->timeout_start_ms = timeout;
		self->timeout_stop_ms = timeout;
		self->timeout_delete_ms = timeout;
		self->timeout_list_ms = timeout;
	}
	if (!lima_plugin_env_duration("RDD_LIMA_POLL_INTERVAL", &self->poll_ms, error))
		return FALSE;
	if (!lima_plugin_env_duration("RDD_LIMA_RETRY_INTERVAL", &self->retry_ms, error))
		return FALSE;
	return TRUE;
}

static gboolean
lima_plugin_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
		.struct_size = sizeof(RddControllerVTable),
		.reconcile = lima_reconcile,
		.finalize = lima_reconcile_finalize,
	};
	g_autoptr(RddController) controller = NULL;
	LimaPlugin *self = g_new0(LimaPlugin, 1);
	RddKind *kind;

	self->ref_count = 1;
	self->vms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* not a reference: the store holds our admission hooks, which hold the plugin */
	self->store = rdd_plugin_context_get_store(context);
	g_object_add_weak_pointer(G_OBJECT(self->store), (gpointer *)&self->store);
	self->instance = rdd_plugin_context_get_instance(context) != NULL ?
				 g_object_ref(rdd_plugin_context_get_instance(context)) :
				 rdd_instance_new_from_env();
	if (!lima_plugin_load_config(self, error)) {
		lima_plugin_unref(self);
		return FALSE;
	}
	if (!rdd_plugin_context_add_kinds_from_resource(context, LIMA_PLUGIN_CRD, error)) {
		lima_plugin_unref(self);
		return FALSE;
	}
	kind = rdd_plugin_context_lookup_kind(context, NULL, LIMA_KIND);
	self->configmap_kind = rdd_plugin_context_lookup_kind(context, "v1", "ConfigMap");
	if (kind == NULL || self->configmap_kind == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "the LimaVM or the ConfigMap kind is missing");
		lima_plugin_unref(self);
		return FALSE;
	}
	self->limavm_kind = g_object_ref(kind);
	g_object_ref(self->configmap_kind);

	lima_admission_register(self, context);

	controller = rdd_controller_new(LIMA_CONTROLLER_NAME, LIMA_CONTROLLER_GROUP, kind, &vtable,
					lima_plugin_ref(self), (GDestroyNotify)lima_plugin_unref);
	rdd_controller_set_finalizer(controller, RDD_FINALIZER_CLEANUP);
	rdd_controller_set_deadline(controller, lima_plugin_get_deadline_ms(self));
	/* a template copy carries a controller reference to its LimaVM: its changes queue it */
	rdd_controller_watch(controller, self->configmap_kind, NULL, NULL);
	rdd_plugin_context_add_controller(context, controller);
	lima_plugin_unref(self);
	return TRUE;
}

RDD_PLUGIN_DEFINE(LIMA_PLUGIN_NAME,
		  RDD_LIMA_GROUP,
		  PACKAGE_VERSION,
		  "The LimaVM kind: Lima virtual machines driven with limactl, or the host's engine",
		  lima_plugin_register,
		  NULL)
