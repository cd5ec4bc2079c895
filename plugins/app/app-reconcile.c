/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The App controller: namespace, the owned LimaVM `rd` and its template, running propagation,
 * condition mirroring and Settled, in the reference's order with one change per pass (every
 * change brings the App back through the watches).
 */

#include "config.h"

#include "app-plugin.h"

#define APP_RECONCILE_INPUT_CM "rd"

static const gchar *
app_reconcile_namespace(JsonNode *app)
{
	const gchar *ns = rdd_json_lookup_string(app, "spec.namespace");
	return ns != NULL && ns[0] != '\0' ? ns : "default";
}

static JsonNode *
app_reconcile_owner_ref(RddObject *app, gboolean controller)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "apiVersion");
	json_builder_add_string_value(b, RDD_APP_API_VERSION);
	json_builder_set_member_name(b, "kind");
	json_builder_add_string_value(b, "App");
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, rdd_object_get_name(app));
	json_builder_set_member_name(b, "uid");
	json_builder_add_string_value(b, rdd_object_get_uid(app));
	json_builder_set_member_name(b, "controller");
	json_builder_add_boolean_value(b, controller);
	json_builder_set_member_name(b, "blockOwnerDeletion");
	json_builder_add_boolean_value(b, TRUE);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static JsonNode *
app_reconcile_new_object(const gchar *api_version, const gchar *kind, const gchar *ns, const gchar *name)
{
	JsonObject *root = json_object_new();
	JsonObject *meta = json_object_new();
	json_object_set_string_member(root, "apiVersion", api_version);
	json_object_set_string_member(root, "kind", kind);
	json_object_set_string_member(meta, "name", name);
	if (ns != NULL)
		json_object_set_string_member(meta, "namespace", ns);
	json_object_set_object_member(root, "metadata", meta);
	return rdd_json_node_new_object(root);
}

static void
app_reconcile_add_owner(JsonNode *node, RddObject *app)
{
	JsonObject *meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	JsonArray *refs = rdd_json_object_ensure_array(meta, "ownerReferences");
	json_array_add_element(refs, app_reconcile_owner_ref(app, TRUE));
}

static gboolean
app_reconcile_merge_patch(RddStore *store, RddObject *obj, const gchar *patch_json, GError **error)
{
	g_autoptr(JsonNode) patch = rdd_json_parse(patch_json, -1, error);
	g_autoptr(RddObject) result = NULL;
	if (patch == NULL)
		return FALSE;
	result = rdd_store_patch(store,
				 rdd_object_get_kind(obj),
				 rdd_object_get_namespace(obj),
				 rdd_object_get_name(obj),
				 RDD_PATCH_MERGE,
				 patch,
				 FALSE,
				 NULL,
				 error);
	return result != NULL;
}

static gboolean
app_reconcile_ensure_namespace(AppPlugin *self, RddObject *app, const gchar *ns, gboolean *changed, GError **error)
{
	g_autoptr(RddObject) existing = rdd_store_lookup(self->store, self->namespace_kind, NULL, ns);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) created = NULL;

	if (existing != NULL)
		return TRUE;
	node = app_reconcile_new_object("v1", "Namespace", NULL, ns);
	app_reconcile_add_owner(node, app);
	created = rdd_store_create(self->store, node, NULL, error);
	if (created == NULL) {
		g_prefix_error(error, "cannot create namespace %s: ", ns);
		return FALSE;
	}
	*changed = TRUE;
	return TRUE;
}

static gboolean
app_reconcile_kubernetes_port(AppPlugin *self, RddObject *app, JsonNode *node, gboolean *changed, GError **error)
{
	gboolean enabled = FALSE;
	gint64 port = 0;
	JsonObject *kube = rdd_json_lookup_object(node, "spec.kubernetes");
	JsonObject *status = rdd_json_lookup_object(node, "status");
	g_autoptr(JsonNode) work = NULL;
	g_autoptr(RddObject) written = NULL;

	if (kube != NULL)
		enabled = json_object_get_boolean_member_with_default(kube, "enabled", FALSE);
	if (status != NULL)
		port = json_object_get_int_member_with_default(status, "kubernetesPort", 0);
	if (enabled == (port != 0))
		return TRUE;
	work = rdd_object_dup_node(app);
	status = rdd_json_object_ensure_object(json_node_get_object(work), "status");
	if (enabled) {
		guint resolved = rdd_instance_resolve_port(rdd_instance_get_kubernetes_port(self->instance));
		if (resolved == 0) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BUSY, "no free port for the Kubernetes API");
			return FALSE;
		}
		json_object_set_int_member(status, "kubernetesPort", resolved);
	} else {
		json_object_set_int_member(status, "kubernetesPort", 0);
	}
	written = rdd_store_update_status(self->store, work, NULL, error);
	if (written == NULL)
		return FALSE;
	*changed = TRUE;
	return TRUE;
}

static gboolean
app_reconcile_create_vm(AppPlugin *self, RddObject *app, JsonNode *node, const gchar *ns, GError **error)
{
	g_autofree gchar *template = app_template_render(self, node, error);
	g_autoptr(RddObject) input = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(JsonNode) vm_node = NULL;
	JsonObject *spec, *ref, *meta;
	JsonArray *fins;
	const gchar *type = rdd_json_lookup_string(node, "spec.vm.type");
	const gchar *socket = rdd_json_lookup_string(node, "spec.vm.hostDockerSocket");

	if (template == NULL)
		return FALSE;
	input = rdd_store_lookup(self->store, self->configmap_kind, ns, APP_RECONCILE_INPUT_CM);
	if (input == NULL) {
		g_autoptr(JsonNode) cm = app_reconcile_new_object("v1", "ConfigMap", ns, APP_RECONCILE_INPUT_CM);
		JsonObject *data = rdd_json_object_ensure_object(json_node_get_object(cm), "data");
		json_object_set_string_member(data, RDD_TEMPLATE_DATA_KEY, template);
		app_reconcile_add_owner(cm, app);
		input = rdd_store_create(self->store, cm, NULL, error);
		if (input == NULL) {
			g_prefix_error(error, "cannot create ConfigMap %s/%s: ", ns, APP_RECONCILE_INPUT_CM);
			return FALSE;
		}
	}
	vm_node = app_reconcile_new_object(RDD_LIMA_API_VERSION, "LimaVM", ns, RDD_LIMAVM_NAME);
	app_reconcile_add_owner(vm_node, app);
	meta = json_object_get_object_member(json_node_get_object(vm_node), "metadata");
	fins = rdd_json_object_ensure_array(meta, "finalizers");
	json_array_add_string_element(fins, RDD_FINALIZER_OWNED_BY_APP);
	spec = rdd_json_object_ensure_object(json_node_get_object(vm_node), "spec");
	ref = rdd_json_object_ensure_object(spec, "templateRef");
	json_object_set_string_member(ref, "name", APP_RECONCILE_INPUT_CM);
	json_object_set_string_member(ref, "namespace", ns);
	json_object_set_boolean_member(spec, "running", json_object_get_boolean_member_with_default(rdd_json_lookup_object(node, "spec"), "running", FALSE));
	json_object_set_string_member(spec, "vmType", type != NULL ? type : RDD_VM_TYPE_LIMA);
	json_object_set_string_member(spec, "hostDockerSocket", socket != NULL ? socket : RDD_DEFAULT_HOST_DOCKER_SOCKET);
	vm = rdd_store_create(self->store, vm_node, NULL, error);
	if (vm == NULL) {
		g_prefix_error(error, "cannot create LimaVM %s/%s: ", ns, RDD_LIMAVM_NAME);
		return FALSE;
	}
	return TRUE;
}

/* copies the LimaVM's Created and Running conditions into the App's status */
static void
app_reconcile_mirror(JsonObject *status, RddObject *vm, gint64 generation)
{
	g_autoptr(JsonNode) vm_status = vm != NULL ? rdd_object_dup_member(vm, "status") : NULL;
	const gchar *types[] = {RDD_COND_CREATED, RDD_COND_RUNNING};

	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		JsonObject *src = vm_status != NULL && JSON_NODE_HOLDS_OBJECT(vm_status)
				      ? rdd_conditions_find(json_node_get_object(vm_status), types[i])
				      : NULL;
		JsonObject *dst;
		if (src == NULL) {
			rdd_conditions_remove(status, types[i]);
			continue;
		}
		rdd_conditions_set(status,
				   types[i],
				   json_object_get_string_member_with_default(src, "status", RDD_CONDITION_UNKNOWN),
				   json_object_get_string_member_with_default(src, "reason", "Unknown"),
				   json_object_get_string_member_with_default(src, "message", ""),
				   generation);
		/* the transition time is the VM's, not the time we copied it */
		dst = rdd_conditions_find(status, types[i]);
		if (dst != NULL && json_object_has_member(src, "lastTransitionTime"))
			json_object_set_string_member(dst,
						      "lastTransitionTime",
						      json_object_get_string_member(src, "lastTransitionTime"));
	}
}

/**
 * app_reconcile:
 * @controller: the app controller
 * @reconcile: the run
 * @user_data: the plugin
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
app_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	AppPlugin *self = user_data;
	RddObject *app = rdd_reconcile_get_object(reconcile);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) input = NULL;
	g_autoptr(JsonNode) vm_status = NULL;
	g_autoptr(JsonNode) vm_spec = NULL;
	const gchar *ns;
	gboolean desired, vm_running, changed = FALSE;
	gboolean template_up_to_date = TRUE;
	const gchar *want_type, *want_socket, *have_type, *have_socket;
	gint64 generation;

	if (app == NULL)
		return TRUE; /* gone: what it owned is collected through its owner references */
	if (g_strcmp0(rdd_object_get_name(app), RDD_APP_NAME) != 0)
		return TRUE; /* admission refuses other names; nothing to do for strays */
	node = rdd_object_dup_node(app);
	ns = app_reconcile_namespace(node);
	generation = rdd_object_get_generation(app);
	desired = json_object_get_boolean_member_with_default(rdd_json_lookup_object(node, "spec"), "running", FALSE);

	if (!app_reconcile_ensure_namespace(self, app, ns, &changed, error))
		return FALSE;
	if (changed) {
		/* we do not watch namespaces: nothing else brings the App back */
		rdd_reconcile_requeue_after(reconcile, 10);
		return TRUE;
	}
	if (!app_reconcile_kubernetes_port(self, app, node, &changed, error))
		return FALSE;
	if (changed)
		return TRUE;
	if (self->limavm_kind == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_SUPPORTED,
				    "the lima plugin is not loaded: the App cannot create its VM");
		return FALSE;
	}
	vm = rdd_store_lookup(self->store, self->limavm_kind, ns, RDD_LIMAVM_NAME);
	if (vm == NULL)
		return app_reconcile_create_vm(self, app, node, ns, error);
	input = rdd_store_lookup(self->store, self->configmap_kind, ns, APP_RECONCILE_INPUT_CM);
	if (input != NULL) {
		/* the LimaVM made its own copy at creation: the input is no longer needed */
		g_autoptr(RddObject) gone = rdd_store_delete(self->store, self->configmap_kind, ns, APP_RECONCILE_INPUT_CM, NULL, error);
		return gone != NULL;
	}
	if (rdd_object_is_deleting(vm)) {
		rdd_reconcile_requeue_after(reconcile, 1000);
		return TRUE;
	}

	vm_spec = rdd_object_dup_member(vm, "spec");
	vm_status = rdd_object_dup_member(vm, "status");
	vm_running = json_object_get_boolean_member_with_default(json_node_get_object(vm_spec), "running", FALSE);

	/* a VM type change happens while the VM is stopped */
	want_type = rdd_json_lookup_string(node, "spec.vm.type");
	want_socket = rdd_json_lookup_string(node, "spec.vm.hostDockerSocket");
	have_type = rdd_json_lookup_string(vm_spec, "vmType");
	have_socket = rdd_json_lookup_string(vm_spec, "hostDockerSocket");
	if (want_type == NULL)
		want_type = RDD_VM_TYPE_LIMA;
	if (want_socket == NULL)
		want_socket = RDD_DEFAULT_HOST_DOCKER_SOCKET;
	if (g_strcmp0(want_type, have_type) != 0 || g_strcmp0(want_socket, have_socket) != 0) {
		JsonObject *vm_st = vm_status != NULL && JSON_NODE_HOLDS_OBJECT(vm_status) ? json_node_get_object(vm_status) : NULL;
		g_autofree gchar *patch = NULL;
		g_autoptr(JsonNode) spec_patch = rdd_json_node_new_object(NULL);
		if (vm_running)
			return app_reconcile_merge_patch(self->store, vm, "{\"spec\":{\"running\":false}}", error);
		if (g_strcmp0(rdd_conditions_get_reason(vm_st, RDD_COND_RUNNING), RDD_REASON_STOPPED) != 0 &&
		    rdd_conditions_find(vm_st, RDD_COND_RUNNING) != NULL) {
			rdd_reconcile_requeue_after(reconcile, 500);
			return TRUE;
		}
		{
			JsonObject *spec = rdd_json_object_ensure_object(json_node_get_object(spec_patch), "spec");
			json_object_set_string_member(spec, "vmType", want_type);
			json_object_set_string_member(spec, "hostDockerSocket", want_socket);
		}
		patch = rdd_json_to_string(spec_patch, FALSE);
		return app_reconcile_merge_patch(self->store, vm, patch, error);
	}

	/* stop before editing the template */
	if (vm_running && !desired)
		return app_reconcile_merge_patch(self->store, vm, "{\"spec\":{\"running\":false}}", error);

	/* keep the template copy in step with the App */
	{
		const gchar *cm_name = rdd_json_lookup_string(vm_status, "templateConfigMap");
		if (cm_name != NULL && cm_name[0] != '\0') {
			g_autoptr(RddObject) cm = rdd_store_lookup(self->store, self->configmap_kind, ns, cm_name);
			if (cm != NULL) {
				g_autofree gchar *desired_template = app_template_render(self, node, error);
				g_autoptr(JsonNode) data = rdd_object_dup_member(cm, "data");
				const gchar *current = rdd_json_lookup_string(data, RDD_TEMPLATE_DATA_KEY);
				g_autofree gchar *rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(cm));
				if (desired_template == NULL)
					return FALSE;
				if (g_strcmp0(current, desired_template) != 0) {
					g_autoptr(JsonNode) patch = rdd_json_node_new_object(NULL);
					JsonObject *pdata = rdd_json_object_ensure_object(json_node_get_object(patch), "data");
					g_autoptr(RddObject) patched = NULL;
					json_object_set_string_member(pdata, RDD_TEMPLATE_DATA_KEY, desired_template);
					patched = rdd_store_patch(self->store, self->configmap_kind, ns, cm_name, RDD_PATCH_MERGE, patch, FALSE, NULL, error);
					return patched != NULL;
				}
				template_up_to_date = g_strcmp0(rv, rdd_json_lookup_string(vm_status, "observedTemplateResourceVersion")) == 0;
			}
		}
	}

	if (desired && !vm_running)
		return app_reconcile_merge_patch(self->store, vm, "{\"spec\":{\"running\":true}}", error);

	/* mirror the VM's conditions and compute Settled; write only what changed */
	{
		g_autoptr(JsonNode) work = rdd_object_dup_node(app);
		JsonObject *status = rdd_json_object_ensure_object(json_node_get_object(work), "status");
		g_autoptr(JsonNode) before = rdd_json_deep_copy(json_object_get_member(json_node_get_object(work), "status"));
		AppSettledInput in = {0};
		const gchar *settled_status, *settled_reason;
		g_autofree gchar *settled_message = NULL;
		JsonObject *kube = rdd_json_lookup_object(node, "spec.kubernetes");

		app_reconcile_mirror(status, vm, generation);
		in.desired = desired;
		in.template_up_to_date = template_up_to_date;
		in.status = status;
		in.generation = generation;
		in.engine_gate = rdd_store_has_controller(self->store, "engine");
		in.kube_gate = rdd_store_has_controller(self->store, "kubernetes");
		in.kubernetes_enabled = kube != NULL && json_object_get_boolean_member_with_default(kube, "enabled", FALSE);
		app_settled_compute(&in, &settled_status, &settled_reason, &settled_message);
		rdd_conditions_set(status, RDD_COND_SETTLED, settled_status, settled_reason, settled_message, generation);
		if (!rdd_json_equal(before, json_object_get_member(json_node_get_object(work), "status"))) {
			g_autoptr(RddObject) written = rdd_store_update_status(self->store, work, NULL, error);
			return written != NULL;
		}
	}
	return TRUE;
}

/**
 * app_reconcile_finalize:
 * @controller: the app controller
 * @reconcile: the run
 * @user_data: the plugin
 * @error: return location for an error
 *
 * Deleting the App: release and delete the LimaVM (waiting until it is gone), delete the input
 * ConfigMap and the namespace when the App created it. Asks to run again until done.
 *
 * Returns: %TRUE on success
 */
gboolean
app_reconcile_finalize(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	AppPlugin *self = user_data;
	RddObject *app = rdd_reconcile_get_object(reconcile);
	g_autoptr(JsonNode) node = rdd_object_dup_node(app);
	const gchar *ns = app_reconcile_namespace(node);
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) input = NULL;
	g_autoptr(RddObject) namespace = NULL;

	if (self->limavm_kind != NULL)
		vm = rdd_store_lookup(self->store, self->limavm_kind, ns, RDD_LIMAVM_NAME);
	if (vm != NULL) {
		if (rdd_object_has_finalizer(vm, RDD_FINALIZER_OWNED_BY_APP)) {
			if (!rdd_store_remove_finalizer(self->store, vm, RDD_FINALIZER_OWNED_BY_APP, error))
				return FALSE;
			/* not done yet: without a requeue the runtime would drop our finalizer now */
			rdd_reconcile_requeue_after(reconcile, 100);
			return TRUE;
		}
		if (!rdd_object_is_deleting(vm)) {
			g_autoptr(RddObject) deleted = rdd_store_delete(self->store, self->limavm_kind, ns, RDD_LIMAVM_NAME, NULL, error);
			if (deleted == NULL)
				return FALSE;
		}
		/* the lima plugin stops and deletes the VM; look again until it is gone */
		rdd_reconcile_requeue_after(reconcile, 2000);
		return TRUE;
	}
	input = rdd_store_lookup(self->store, self->configmap_kind, ns, APP_RECONCILE_INPUT_CM);
	if (input != NULL) {
		g_autoptr(RddObject) gone = rdd_store_delete(self->store, self->configmap_kind, ns, APP_RECONCILE_INPUT_CM, NULL, error);
		if (gone == NULL)
			return FALSE;
	}
	namespace = rdd_store_lookup(self->store, self->namespace_kind, NULL, ns);
	if (namespace != NULL && !rdd_object_is_deleting(namespace)) {
		const RddOwnerReference *ref = rdd_object_get_controller_reference(namespace);
		if (ref != NULL && g_strcmp0(ref->uid, rdd_object_get_uid(app)) == 0) {
			g_autoptr(RddObject) gone = rdd_store_delete(self->store, self->namespace_kind, NULL, ns, NULL, error);
			if (gone == NULL)
				return FALSE;
		}
	}
	return TRUE;
}
