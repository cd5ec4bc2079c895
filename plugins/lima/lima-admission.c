/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Admission of LimaVMs and of their template ConfigMaps (reference §3.3): unique names, the
 * validated template copy made at create time, the owned-deletion guards, and templateRef
 * immutability.
 */

#include "config.h"

#include <string.h>

#include "lima-plugin.h"

/* a string member of `metadata.<map>` of an object being admitted (keys contain dots) */
static const gchar *
lima_admission_node_meta_string(JsonNode *node, const gchar *map, const gchar *key)
{
	JsonObject *meta = rdd_json_lookup_object(node, "metadata");
	JsonNode *member;
	JsonObject *obj;

	if (meta == NULL || !json_object_has_member(meta, map))
		return NULL;
	member = json_object_get_member(meta, map);
	if (!JSON_NODE_HOLDS_OBJECT(member))
		return NULL;
	obj = json_node_get_object(member);
	member = json_object_get_member(obj, key);
	if (member == NULL || !JSON_NODE_HOLDS_VALUE(member) || json_node_get_value_type(member) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(member);
}

/* the first `rdd.rancherdesktop.io/owned-by-<Kind>` finalizer's Kind, or NULL */
static const gchar *
lima_admission_owner_kind(RddObject *obj)
{
	const gchar *const *finalizers = obj != NULL ? rdd_object_get_finalizers(obj) : NULL;

	for (guint i = 0; finalizers != NULL && finalizers[i] != NULL; i++) {
		if (g_str_has_prefix(finalizers[i], RDD_FINALIZER_OWNED_BY_PREFIX) &&
		    finalizers[i][strlen(RDD_FINALIZER_OWNED_BY_PREFIX)] != '\0')
			return finalizers[i] + strlen(RDD_FINALIZER_OWNED_BY_PREFIX);
	}
	return NULL;
}

static gboolean
lima_admission_check_owned_delete(RddAdmission *admission, GError **error)
{
	RddObject *old = rdd_admission_get_old_object(admission);
	const gchar *owner = lima_admission_owner_kind(old);

	if (owner == NULL)
		return TRUE;
	g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
		    "cannot delete \"%s\": owned by %s; delete the %s resource instead",
		    rdd_object_get_name(old), owner, owner);
	return FALSE;
}

static JsonNode *
lima_admission_new_template_copy(const gchar *namespace, const gchar *name, const gchar *template, const gchar *vm_type)
{
	JsonObject *root = json_object_new();
	JsonObject *meta = json_object_new();
	JsonObject *labels = json_object_new();
	JsonArray *finalizers = json_array_new();

	json_object_set_string_member(root, "apiVersion", "v1");
	json_object_set_string_member(root, "kind", "ConfigMap");
	json_object_set_string_member(meta, "name", name);
	json_object_set_string_member(meta, "namespace", namespace);
	json_object_set_string_member(labels, RDD_LABEL_TEMPLATE_CONFIGMAP, "true");
	json_object_set_object_member(meta, "labels", labels);
	if (g_strcmp0(vm_type, RDD_VM_TYPE_HOST) == 0) {
		JsonObject *annotations = json_object_new();
		json_object_set_string_member(annotations, LIMA_ANNOTATION_VM_TYPE, vm_type);
		json_object_set_object_member(meta, "annotations", annotations);
	}
	json_array_add_string_element(finalizers, RDD_FINALIZER_OWNED_BY_LIMAVM);
	json_object_set_array_member(meta, "finalizers", finalizers);
	json_object_set_object_member(root, "metadata", meta);
	{
		JsonObject *data = json_object_new();
		if (template != NULL)
			json_object_set_string_member(data, RDD_TEMPLATE_DATA_KEY, template);
		json_object_set_object_member(root, "data", data);
	}
	{
		JsonNode *node = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(node, root);
		return node;
	}
}

/*
 * A template copy left behind by a LimaVM create that a later admission step refused: ours
 * (label and finalizer), never adopted (no owner), and no LimaVM of that name exists.
 */
static gboolean
lima_admission_is_leftover_copy(RddObject *cm)
{
	return g_strcmp0(rdd_object_get_label(cm, RDD_LABEL_TEMPLATE_CONFIGMAP), "true") == 0 &&
	       rdd_object_has_finalizer(cm, RDD_FINALIZER_OWNED_BY_LIMAVM) &&
	       rdd_object_get_n_owner_references(cm) == 0 && !rdd_object_is_deleting(cm);
}

static gboolean
lima_admission_create_template_copy(LimaPlugin *self,
				    RddAdmission *admission,
				    const gchar *template,
				    const gchar *vm_type,
				    GError **error)
{
	RddStore *store = rdd_admission_get_store(admission);
	const gchar *ns = rdd_admission_get_namespace(admission);
	g_autofree gchar *copy_name =
		g_strconcat(rdd_admission_get_name(admission), RDD_TEMPLATE_SUFFIX, NULL);
	g_autoptr(JsonNode) copy = lima_admission_new_template_copy(ns, copy_name, template, vm_type);
	g_autoptr(RddObject) existing = rdd_store_lookup(store, self->configmap_kind, ns, copy_name);
	g_autoptr(RddObject) written = NULL;
	RddWriteOptions options = {0};

	options.dry_run = rdd_admission_is_dry_run(admission);
	if (existing != NULL && lima_admission_is_leftover_copy(existing)) {
		/* replace the leftover's content, keeping its identity */
		JsonObject *meta = json_object_get_object_member(json_node_get_object(copy), "metadata");
		g_autofree gchar *rv =
			g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(existing));
		json_object_set_string_member(meta, "resourceVersion", rv);
		json_object_set_string_member(meta, "uid", rdd_object_get_uid(existing));
		written = rdd_store_update(store, copy, &options, error);
	} else {
		written = rdd_store_create(store, copy, &options, error);
	}
	if (written == NULL) {
		g_prefix_error(error, "failed to create template ConfigMap: ");
		return FALSE;
	}
	return TRUE;
}

/* mutating, CREATE: cleanup finalizer, unique name, the validated template copy */
static gboolean
lima_admission_default_limavm(RddAdmission *admission, gpointer user_data, GError **error)
{
	LimaPlugin *self = user_data;
	RddStore *store = rdd_admission_get_store(admission);
	JsonNode *obj = rdd_admission_get_object(admission);
	const gchar *name = rdd_admission_get_name(admission);
	const gchar *ns = rdd_admission_get_namespace(admission);
	const gchar *ref_name = rdd_json_lookup_string(obj, "spec.templateRef.name");
	const gchar *ref_ns = rdd_json_lookup_string(obj, "spec.templateRef.namespace");
	const gchar *vm_type = rdd_json_lookup_string(obj, "spec.vmType");
	g_autoptr(RddListResult) list = NULL;
	g_autoptr(RddObject) source = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) data = NULL;
	JsonObject *meta;
	JsonArray *finalizers;
	gboolean has_finalizer = FALSE;

	/* 1. the controller's finalizer from the start, so no delete skips the cleanup */
	meta = rdd_json_object_ensure_object(json_node_get_object(obj), "metadata");
	finalizers = rdd_json_object_ensure_array(meta, "finalizers");
	for (guint i = 0; i < json_array_get_length(finalizers); i++) {
		JsonNode *f = json_array_get_element(finalizers, i);
		if (JSON_NODE_HOLDS_VALUE(f) && json_node_get_value_type(f) == G_TYPE_STRING &&
		    g_strcmp0(json_node_get_string(f), RDD_FINALIZER_CLEANUP) == 0)
			has_finalizer = TRUE;
	}
	if (!has_finalizer)
		json_array_add_string_element(finalizers, RDD_FINALIZER_CLEANUP);

	/* 2. the name is the Lima instance's directory: unique across namespaces */
	list = rdd_store_list(store, self->limavm_kind, NULL, error);
	if (list == NULL)
		return FALSE;
	for (guint i = 0; i < list->items->len; i++) {
		RddObject *other = g_ptr_array_index(list->items, i);
		if (g_strcmp0(rdd_object_get_name(other), name) != 0)
			continue;
		g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
			    "LimaVM name \"%s\" is already used in namespace \"%s\"; LimaVM names "
			    "must be unique across all namespaces",
			    name, rdd_object_get_namespace(other));
		return FALSE;
	}

	/* 3. the template source */
	if (ref_ns == NULL || ref_ns[0] == '\0')
		ref_ns = ns;
	source = rdd_store_get(store, self->configmap_kind, ref_ns, ref_name != NULL ? ref_name : "", &error_local);
	if (source == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
			    "failed to fetch template data: failed to get templateRef ConfigMap \"%s\" in "
			    "namespace \"%s\": %s",
			    ref_name != NULL ? ref_name : "", ref_ns, error_local->message);
		return FALSE;
	}
	data = rdd_object_dup_member(source, "data");

	/* 4. the copy, validated by the ConfigMap hook below; owned once the LimaVM has a uid */
	if (!lima_admission_create_template_copy(self, admission, rdd_json_lookup_string(data, RDD_TEMPLATE_DATA_KEY),
						 vm_type, &error_local)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN, error_local->message);
		return FALSE;
	}
	return TRUE;
}

/* validating, UPDATE and DELETE: templateRef immutable, the owned-deletion guard */
static gboolean
lima_admission_validate_limavm(RddAdmission *admission, gpointer user_data, GError **error)
{
	RddObject *old = rdd_admission_get_old_object(admission);
	g_autoptr(JsonNode) old_spec = NULL;
	JsonNode *before, *after;

	if (rdd_admission_get_operation(admission) == RDD_OPERATION_DELETE)
		return lima_admission_check_owned_delete(admission, error);
	if (old == NULL || g_strcmp0(rdd_admission_get_subresource(admission), "status") == 0)
		return TRUE;
	old_spec = rdd_object_dup_member(old, "spec");
	before = rdd_json_lookup(old_spec, "templateRef");
	after = rdd_json_lookup(rdd_admission_get_object(admission), "spec.templateRef");
	if (before != NULL && (after == NULL || !rdd_json_equal(before, after))) {
		g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
		g_ptr_array_add(causes, rdd_cause_new("FieldValueInvalid", "spec.templateRef",
						      "Invalid value: \"object\": templateRef is immutable"));
		rdd_error_set_invalid(error, rdd_kind_get_qualified_name(rdd_admission_get_kind(admission)),
				      rdd_admission_get_name(admission), causes);
		return FALSE;
	}
	return TRUE;
}

/* the VM type a template copy is checked for: its LimaVM's, else our hint, else lima */
static const gchar *
lima_admission_template_vm_type(LimaPlugin *self, RddStore *store, JsonNode *cm, gchar **owned)
{
	JsonObject *meta = rdd_json_lookup_object(cm, "metadata");
	JsonNode *refs = meta != NULL ? json_object_get_member(meta, "ownerReferences") : NULL;
	const gchar *hint;

	if (refs != NULL && JSON_NODE_HOLDS_ARRAY(refs)) {
		JsonArray *arr = json_node_get_array(refs);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *ref = json_array_get_element(arr, i);
			const gchar *uid = rdd_json_lookup_string(ref, "uid");
			g_autoptr(RddObject) vm = NULL;
			g_autoptr(JsonNode) spec = NULL;
			if (g_strcmp0(rdd_json_lookup_string(ref, "kind"), LIMA_KIND) != 0 || uid == NULL)
				continue;
			vm = rdd_store_lookup_uid(store, uid);
			if (vm == NULL || rdd_object_get_kind(vm) != self->limavm_kind)
				continue;
			spec = rdd_object_dup_member(vm, "spec");
			*owned = g_strdup(rdd_json_lookup_string(spec, "vmType"));
			if (*owned != NULL)
				return *owned;
		}
	}
	hint = lima_admission_node_meta_string(cm, "annotations", LIMA_ANNOTATION_VM_TYPE);
	return hint != NULL ? hint : RDD_VM_TYPE_LIMA;
}

/* validating, ConfigMaps labelled as template copies: CREATE, UPDATE, DELETE */
static gboolean
lima_admission_validate_configmap(RddAdmission *admission, gpointer user_data, GError **error)
{
	LimaPlugin *self = user_data;
	RddObject *old = rdd_admission_get_old_object(admission);
	JsonNode *obj = rdd_admission_get_object(admission);
	RddOperation op = rdd_admission_get_operation(admission);
	const gchar *label;
	JsonObject *data;
	JsonNode *template;
	g_autofree gchar *owned_type = NULL;
	g_autoptr(GError) error_local = NULL;

	if (op == RDD_OPERATION_DELETE) {
		if (g_strcmp0(rdd_object_get_label(old, RDD_LABEL_TEMPLATE_CONFIGMAP), "true") != 0)
			return TRUE;
		return lima_admission_check_owned_delete(admission, error);
	}
	label = lima_admission_node_meta_string(obj, "labels", RDD_LABEL_TEMPLATE_CONFIGMAP);
	if (op == RDD_OPERATION_UPDATE && old != NULL &&
	    g_strcmp0(rdd_object_get_label(old, RDD_LABEL_TEMPLATE_CONFIGMAP), "true") == 0 &&
	    lima_admission_owner_kind(old) != NULL && g_strcmp0(label, "true") != 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
				    "cannot remove " RDD_LABEL_TEMPLATE_CONFIGMAP " label: resource is owned");
		return FALSE;
	}
	if (g_strcmp0(label, "true") != 0)
		return TRUE;

	data = rdd_json_lookup_object(obj, "data");
	template = data != NULL ? json_object_get_member(data, RDD_TEMPLATE_DATA_KEY) : NULL;
	if (template == NULL || !JSON_NODE_HOLDS_VALUE(template) ||
	    json_node_get_value_type(template) != G_TYPE_STRING) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
				    "template ConfigMap must have a \"" RDD_TEMPLATE_DATA_KEY "\" data entry");
		return FALSE;
	}
	if (json_node_get_string(template)[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
				    "\"" RDD_TEMPLATE_DATA_KEY "\" data cannot be empty");
		return FALSE;
	}
	if (!lima_template_validate(json_node_get_string(template),
				    lima_admission_template_vm_type(
					    self, rdd_admission_get_store(admission), obj, &owned_type),
				    &error_local)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN, error_local->message);
		return FALSE;
	}
	return TRUE;
}

/**
 * lima_admission_register:
 * @self: the plugin
 * @context: the plugin's context
 *
 * Registers the LimaVM defaulter and validator and the template ConfigMap validator.
 */
void
lima_admission_register(LimaPlugin *self, RddPluginContext *context)
{
	rdd_plugin_context_add_admission(context, self->limavm_kind, RDD_ADMISSION_MUTATING,
					 RDD_OPERATION_CREATE, "limavm-defaulter", lima_admission_default_limavm,
					 lima_plugin_ref(self), (GDestroyNotify)lima_plugin_unref);
	rdd_plugin_context_add_admission(context, self->limavm_kind, RDD_ADMISSION_VALIDATING,
					 RDD_OPERATION_UPDATE | RDD_OPERATION_DELETE,
					 "limavm-validator", lima_admission_validate_limavm,
					 lima_plugin_ref(self), (GDestroyNotify)lima_plugin_unref);
	rdd_plugin_context_add_admission(context, self->configmap_kind, RDD_ADMISSION_VALIDATING, RDD_OPERATION_ALL,
					 "limavm-configmap-validator", lima_admission_validate_configmap,
					 lima_plugin_ref(self), (GDestroyNotify)lima_plugin_unref);
}
