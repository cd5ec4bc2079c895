/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The app plugin: the App kind (the user-facing singleton `app`), its admission rules and
 * its controller.
 */

#include "config.h"

#include "app-plugin.h"

#define APP_PLUGIN_RESOURCES "/io/rancherdesktop/rdd/plugins/app/"

static void
app_plugin_free(AppPlugin *self)
{
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	g_clear_pointer(&self->k3s_versions, json_node_unref);
	g_free(self->template_base);
	g_free(self);
}

/* `v1.34.6+k3s1` -> `1.34.6` */
static gchar *
app_plugin_bare_version(const gchar *text)
{
	const gchar *start = text[0] == 'v' ? text + 1 : text;
	const gchar *plus = strchr(start, '+');
	return plus != NULL ? g_strndup(start, plus - start) : g_strdup(start);
}

static gchar *
app_plugin_resolve_channel(AppPlugin *self, const gchar *version)
{
	JsonObject *channels = rdd_json_lookup_object(self->k3s_versions, "channels");
	const gchar *key = version[0] == 'v' ? version + 1 : version;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *value;

	if (channels == NULL)
		return NULL;
	json_object_iter_init(&iter, channels);
	while (json_object_iter_next(&iter, &name, &value)) {
		const gchar *bare = name[0] == 'v' ? name + 1 : name;
		if (g_strcmp0(bare, key) == 0 && json_node_get_value_type(value) == G_TYPE_STRING)
			return app_plugin_bare_version(json_node_get_string(value));
	}
	return NULL;
}

static gboolean
app_plugin_is_supported(AppPlugin *self, const gchar *version)
{
	JsonNode *versions = rdd_json_lookup(self->k3s_versions, "versions");
	JsonArray *arr;

	if (versions == NULL || !JSON_NODE_HOLDS_ARRAY(versions))
		return FALSE;
	arr = json_node_get_array(versions);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		g_autofree gchar *bare = app_plugin_bare_version(json_array_get_string_element(arr, i));
		if (g_strcmp0(bare, version) == 0)
			return TRUE;
	}
	return FALSE;
}

/* limactl is available: `RDD_LIMACTL`, or on PATH */
static gboolean
app_plugin_have_limactl(void)
{
	const gchar *env = g_getenv("RDD_LIMACTL");
	g_autofree gchar *found = NULL;
	if (env != NULL && env[0] != '\0')
		return g_file_test(env, G_FILE_TEST_IS_EXECUTABLE);
	found = g_find_program_in_path("limactl");
	return found != NULL;
}

/* the reference's app-defaulter, plus our VM type default */
static gboolean
app_plugin_default(RddAdmission *admission, gpointer user_data, GError **error)
{
	AppPlugin *self = user_data;
	JsonObject *root = json_node_get_object(rdd_admission_get_object(admission));
	JsonObject *spec = rdd_json_object_ensure_object(root, "spec");
	JsonObject *vm = rdd_json_object_ensure_object(spec, "vm");
	JsonNode *kube_node = json_object_get_member(spec, "kubernetes");

	if (kube_node != NULL && JSON_NODE_HOLDS_OBJECT(kube_node)) {
		JsonObject *kube = json_node_get_object(kube_node);
		const gchar *version = json_object_get_string_member_with_default(kube, "version", "");
		gboolean enabled = json_object_get_boolean_member_with_default(kube, "enabled", FALSE);
		g_autofree gchar *resolved = NULL;
		if (version[0] == '\0' && enabled)
			version = "stable";
		if (version[0] != '\0') {
			resolved = app_plugin_resolve_channel(self, version);
			if (resolved != NULL)
				json_object_set_string_member(kube, "version", resolved);
		}
	}
	if (!json_object_has_member(vm, "type")) {
#ifdef __linux__
		json_object_set_string_member(vm, "type", app_plugin_have_limactl() ? RDD_VM_TYPE_LIMA : RDD_VM_TYPE_HOST);
#else
		json_object_set_string_member(vm, "type", RDD_VM_TYPE_LIMA);
#endif
	}
	return TRUE;
}

static gboolean
app_plugin_validate(RddAdmission *admission, gpointer user_data, GError **error)
{
	AppPlugin *self = user_data;
	JsonNode *obj = rdd_admission_get_object(admission);
	RddObject *old = rdd_admission_get_old_object(admission);
	JsonObject *kube = rdd_json_lookup_object(obj, "spec.kubernetes");

	if (rdd_admission_get_operation(admission) == RDD_OPERATION_CREATE &&
	    g_strcmp0(rdd_admission_get_name(admission), RDD_APP_NAME) != 0) {
		g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
		g_ptr_array_add(causes, rdd_cause_new("FieldValueInvalid", "", "Invalid value: \"object\": App resource must be named 'app'"));
		rdd_error_set_invalid(error, "App.app.rancherdesktop.io", rdd_admission_get_name(admission), causes);
		return FALSE;
	}
	if (old != NULL) {
		g_autoptr(JsonNode) old_spec = rdd_object_dup_member(old, "spec");
		const gchar *before = rdd_json_lookup_string(old_spec, "namespace");
		const gchar *after = rdd_json_lookup_string(obj, "spec.namespace");
		if (g_strcmp0(before, after) != 0) {
			g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
			g_ptr_array_add(causes, rdd_cause_new("FieldValueInvalid", "spec.namespace", "Invalid value: \"string\": spec.namespace is immutable"));
			rdd_error_set_invalid(error, "App.app.rancherdesktop.io", rdd_admission_get_name(admission), causes);
			return FALSE;
		}
	}
	if (kube != NULL) {
		const gchar *version = json_object_get_string_member_with_default(kube, "version", "");
		gboolean enabled = json_object_get_boolean_member_with_default(kube, "enabled", FALSE);
		if (enabled && version[0] == '\0') {
			g_set_error_literal(error,
					    RDD_ERROR,
					    RDD_ERROR_FORBIDDEN,
					    "spec.kubernetes.version must not be empty when spec.kubernetes.enabled is true");
			return FALSE;
		}
		if (version[0] != '\0' && !app_plugin_is_supported(self, version)) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_FORBIDDEN,
				    "spec.kubernetes.version \"%s\" is not supported; see the bundled "
				    "k3s-versions.json for valid versions",
				    version);
			return FALSE;
		}
	}
	return TRUE;
}

/* a template copy of a LimaVM changed: the App looks again */
static void
app_plugin_map_configmap(RddController *controller, RddObject *object, gpointer user_data)
{
	if (rdd_object_get_label(object, RDD_LABEL_TEMPLATE_CONFIGMAP) != NULL ||
	    g_strcmp0(rdd_object_get_name(object), "rd") == 0)
		rdd_controller_enqueue(controller, NULL, RDD_APP_NAME);
}

/* the LimaVM kind comes from the lima plugin, which may load after us: look it up at start */
static gboolean
app_plugin_setup(RddController *controller, gpointer user_data, GError **error)
{
	AppPlugin *self = user_data;
	self->store = g_object_ref(rdd_controller_get_store(controller));
	self->limavm_kind = rdd_store_find_kind(self->store, RDD_LIMA_API_VERSION, "LimaVM");
	self->configmap_kind = rdd_store_find_kind(self->store, "v1", "ConfigMap");
	self->namespace_kind = rdd_store_find_kind(self->store, "v1", "Namespace");
	if (self->limavm_kind == NULL)
		g_warning("the lima plugin is not loaded: the App cannot create its VM");
	else
		rdd_controller_watch(controller, self->limavm_kind, NULL, NULL);
	rdd_controller_watch(controller, self->configmap_kind, app_plugin_map_configmap, NULL);
	return TRUE;
}

static gboolean
app_plugin_load_resource(const gchar *name, gchar **text, GError **error)
{
	g_autofree gchar *path = g_strconcat(APP_PLUGIN_RESOURCES, name, NULL);
	g_autoptr(GBytes) bytes = g_resources_lookup_data(path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (bytes == NULL) {
		rdd_error_convert(error);
		return FALSE;
	}
	*text = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	return TRUE;
}

static gboolean
app_plugin_register(RddPluginContext *context, GError **error)
{
	static const RddControllerVTable vtable = {
	    .struct_size = sizeof(RddControllerVTable),
	    .setup = app_plugin_setup,
	    .reconcile = app_reconcile,
	    .finalize = app_reconcile_finalize,
	};
	AppPlugin *self = g_new0(AppPlugin, 1);
	g_autoptr(RddController) controller = NULL;
	g_autofree gchar *versions = NULL;

	self->instance = g_object_ref(rdd_plugin_context_get_instance(context));
	if (!app_plugin_load_resource("k3s-versions.json", &versions, error) ||
	    !app_plugin_load_resource("lima-template.yaml", &self->template_base, error) ||
	    (self->k3s_versions = rdd_json_parse(versions, -1, error)) == NULL ||
	    !rdd_plugin_context_add_kinds_from_resource(context, APP_PLUGIN_RESOURCES "app.yaml", error)) {
		app_plugin_free(self);
		return FALSE;
	}
	self->app_kind = rdd_plugin_context_lookup_kind(context, NULL, "App");
	rdd_plugin_context_add_admission(context, self->app_kind, RDD_ADMISSION_MUTATING,
					 RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "app-defaulter",
					 app_plugin_default, self, NULL);
	rdd_plugin_context_add_admission(context, self->app_kind, RDD_ADMISSION_VALIDATING,
					 RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "app-validator",
					 app_plugin_validate, self, NULL);
	controller = rdd_controller_new("app", "app", self->app_kind, &vtable, self, (GDestroyNotify)app_plugin_free);
	rdd_controller_set_finalizer(controller, RDD_FINALIZER_CLEANUP);
	rdd_controller_set_deadline(controller, 30000);
	rdd_plugin_context_add_controller(context, controller);
	return TRUE;
}

RDD_PLUGIN_DEFINE("app",
		  RDD_APP_GROUP,
		  PACKAGE_VERSION,
		  "The App: the container engine, Kubernetes and VM a user wants",
		  app_plugin_register,
		  NULL)
