/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-kind.h"
#include "rdd-yaml.h"

struct _RddKind {
	GObject parent_instance;
	gchar *group;
	gchar *version;
	gchar *api_version;
	gchar *name;
	gchar *list_kind;
	gchar *plural;
	gchar *singular;
	gchar *qualified_name;
	gchar *qualified_plural;
	gchar **short_names;
	gchar **categories;
	gchar **selectable_fields; /* without the leading dot, e.g. "status.namespace" */
	RddKindFlags flags;
	RddSchema *schema;
	JsonNode *crd;
	JsonArray *printer_columns;
	gchar *owner;
};

G_DEFINE_FINAL_TYPE(RddKind, rdd_kind, G_TYPE_OBJECT)

static void
rdd_kind_finalize(GObject *object)
{
	RddKind *self = RDD_KIND(object);
	g_free(self->group);
	g_free(self->version);
	g_free(self->api_version);
	g_free(self->name);
	g_free(self->list_kind);
	g_free(self->plural);
	g_free(self->singular);
	g_free(self->qualified_name);
	g_free(self->qualified_plural);
	g_strfreev(self->short_names);
	g_strfreev(self->categories);
	g_strfreev(self->selectable_fields);
	g_clear_pointer(&self->schema, rdd_schema_unref);
	g_clear_pointer(&self->crd, json_node_unref);
	g_clear_pointer(&self->printer_columns, json_array_unref);
	g_free(self->owner);
	G_OBJECT_CLASS(rdd_kind_parent_class)->finalize(object);
}

static void
rdd_kind_class_init(RddKindClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = rdd_kind_finalize;
}

static void
rdd_kind_init(RddKind *self)
{
}

static gchar **
rdd_kind_strv_from_member(JsonObject *obj, const gchar *member, const gchar *path, GError **error)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JsonArray *arr;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return g_strv_builder_end(builder);
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s.%s must be a list of strings", path, member);
		return NULL;
	}
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *item = json_array_get_element(arr, i);
		if (json_node_get_value_type(item) != G_TYPE_STRING) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_INVALID,
				    "%s.%s[%u] must be a string",
				    path,
				    member,
				    i);
			return NULL;
		}
		g_strv_builder_add(builder, json_node_get_string(item));
	}
	return g_strv_builder_end(builder);
}

static gboolean
rdd_kind_is_dns_label(const gchar *text)
{
	gsize len = strlen(text);
	if (len == 0 || len > 63)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		gchar c = text[i];
		if (!(g_ascii_islower(c) || g_ascii_isdigit(c) || (c == '-' && i > 0 && i < len - 1)))
			return FALSE;
	}
	return TRUE;
}

static JsonObject *
rdd_kind_pick_version(JsonArray *versions, GError **error)
{
	JsonObject *served = NULL;

	for (guint i = 0; i < json_array_get_length(versions); i++) {
		JsonNode *node = json_array_get_element(versions, i);
		JsonObject *version;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.versions[%u] must be an object", i);
			return NULL;
		}
		version = json_node_get_object(node);
		if (json_object_get_boolean_member_with_default(version, "storage", FALSE))
			return version;
		if (served == NULL && json_object_get_boolean_member_with_default(version, "served", TRUE))
			served = version;
	}
	if (served == NULL)
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.versions has no served version");
	return served;
}

/**
 * rdd_kind_new_from_crd:
 * @crd: an `apiextensions.k8s.io/v1` `CustomResourceDefinition` document
 * @error: return location for an error
 *
 * Reads a kind from a CRD: group, names, scope, the storage version (or the first served one)
 * with its schema, status subresource, printer columns and selectable fields, plus the rdd
 * annotations %RDD_KIND_ANNOTATION_PERSISTENCE and %RDD_KIND_ANNOTATION_SENSITIVE. A CRD with an
 * empty group describes a built-in core/v1 kind.
 *
 * Returns: (transfer full): a new #RddKind, or %NULL with @error set naming what is wrong
 *
 * Since: 0.1
 */
RddKind *
rdd_kind_new_from_crd(JsonNode *crd, GError **error)
{
	g_autoptr(RddKind) self = NULL;
	JsonObject *root, *spec, *names, *version, *annotations;
	JsonNode *versions_node, *schema_node;
	const gchar *group, *scope, *persistence, *sensitive, *api_version, *kind;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (crd == NULL || !JSON_NODE_HOLDS_OBJECT(crd)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "CRD document must be a mapping");
		return NULL;
	}
	root = json_node_get_object(crd);
	api_version = json_object_get_string_member_with_default(root, "apiVersion", "");
	kind = json_object_get_string_member_with_default(root, "kind", "");
	if (g_strcmp0(api_version, "apiextensions.k8s.io/v1") != 0 ||
	    g_strcmp0(kind, "CustomResourceDefinition") != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "expected apiVersion apiextensions.k8s.io/v1 and kind CustomResourceDefinition, "
			    "got \"%s\" \"%s\"",
			    api_version,
			    kind);
		return NULL;
	}
	spec = rdd_json_lookup_object(crd, "spec");
	names = rdd_json_lookup_object(crd, "spec.names");
	if (spec == NULL || names == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.names: Required value");
		return NULL;
	}

	self = g_object_new(RDD_TYPE_KIND, NULL);
	group = rdd_json_lookup_string(crd, "spec.group");
	if (group == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.group: Required value");
		return NULL;
	}
	self->group = g_strdup(group);
	self->name = g_strdup(rdd_json_lookup_string(crd, "spec.names.kind"));
	self->plural = g_strdup(rdd_json_lookup_string(crd, "spec.names.plural"));
	if (self->name == NULL || self->name[0] == '\0' || !g_ascii_isupper(self->name[0])) {
		g_set_error_literal(error,
				    RDD_ERROR,
				    RDD_ERROR_INVALID,
				    "spec.names.kind: Required value: must start with an upper-case letter");
		return NULL;
	}
	if (self->plural == NULL || !rdd_kind_is_dns_label(self->plural)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "spec.names.plural: Invalid value: \"%s\": must be a lower-case DNS label",
			    self->plural != NULL ? self->plural : "");
		return NULL;
	}
	self->singular = g_strdup(rdd_json_lookup_string(crd, "spec.names.singular"));
	if (self->singular == NULL)
		self->singular = g_ascii_strdown(self->name, -1);
	self->list_kind = g_strdup(rdd_json_lookup_string(crd, "spec.names.listKind"));
	if (self->list_kind == NULL)
		self->list_kind = g_strdup_printf("%sList", self->name);
	self->short_names = rdd_kind_strv_from_member(names, "shortNames", "spec.names", error);
	if (self->short_names == NULL)
		return NULL;
	self->categories = rdd_kind_strv_from_member(names, "categories", "spec.names", error);
	if (self->categories == NULL)
		return NULL;

	scope = json_object_get_string_member_with_default(spec, "scope", "");
	if (g_strcmp0(scope, "Namespaced") == 0) {
		self->flags |= RDD_KIND_FLAG_NAMESPACED;
	} else if (g_strcmp0(scope, "Cluster") != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "spec.scope: Unsupported value: \"%s\": supported values: \"Cluster\", "
			    "\"Namespaced\"",
			    scope);
		return NULL;
	}

	versions_node = json_object_get_member(spec, "versions");
	if (versions_node == NULL || !JSON_NODE_HOLDS_ARRAY(versions_node) ||
	    json_array_get_length(json_node_get_array(versions_node)) == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.versions: Required value");
		return NULL;
	}
	version = rdd_kind_pick_version(json_node_get_array(versions_node), error);
	if (version == NULL)
		return NULL;
	self->version = g_strdup(json_object_get_string_member_with_default(version, "name", ""));
	if (self->version[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "spec.versions[].name: Required value");
		return NULL;
	}
	if (self->group[0] == '\0') {
		self->flags |= RDD_KIND_FLAG_BUILTIN;
		self->api_version = g_strdup(self->version);
		self->qualified_name = g_strdup(self->name);
		self->qualified_plural = g_strdup(self->plural);
	} else {
		self->api_version = g_strdup_printf("%s/%s", self->group, self->version);
		self->qualified_name = g_strdup_printf("%s.%s", self->name, self->group);
		self->qualified_plural = g_strdup_printf("%s.%s", self->plural, self->group);
	}

	schema_node = rdd_json_lookup(json_object_get_member(version, "schema"), "openAPIV3Schema");
	if (schema_node == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "spec.versions[%s].schema.openAPIV3Schema: Required value",
			    self->version);
		return NULL;
	}
	self->schema = rdd_schema_new(schema_node, &error_local);
	if (self->schema == NULL) {
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "%s: ",
					   self->qualified_name);
		return NULL;
	}
	if (rdd_json_lookup_object(json_object_get_member(version, "subresources"), "status") != NULL)
		self->flags |= RDD_KIND_FLAG_STATUS_SUBRESOURCE;

	if (json_object_has_member(version, "additionalPrinterColumns") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(version, "additionalPrinterColumns")))
		self->printer_columns =
		    json_array_ref(json_object_get_array_member(version, "additionalPrinterColumns"));
	else
		self->printer_columns = json_array_new();

	{
		g_autoptr(GStrvBuilder) fields = g_strv_builder_new();
		JsonNode *sf = json_object_get_member(version, "selectableFields");
		if (sf != NULL && JSON_NODE_HOLDS_ARRAY(sf)) {
			JsonArray *arr = json_node_get_array(sf);
			for (guint i = 0; i < json_array_get_length(arr); i++) {
				JsonNode *item = json_array_get_element(arr, i);
				const gchar *path = rdd_json_lookup_string(item, "jsonPath");
				if (path == NULL || path[0] != '.' || path[1] == '\0') {
					g_set_error(error,
						    RDD_ERROR,
						    RDD_ERROR_INVALID,
						    "spec.versions[%s].selectableFields[%u].jsonPath: must "
						    "be a path starting with '.'",
						    self->version,
						    i);
					return NULL;
				}
				g_strv_builder_add(fields, path + 1);
			}
		}
		self->selectable_fields = g_strv_builder_end(fields);
	}

	self->flags |= RDD_KIND_FLAG_PERSISTENT;
	annotations = rdd_json_lookup_object(crd, "metadata.annotations");
	if (annotations != NULL) {
		persistence = json_object_get_string_member_with_default(annotations,
									 RDD_KIND_ANNOTATION_PERSISTENCE,
									 NULL);
		if (g_strcmp0(persistence, "none") == 0)
			self->flags &= ~RDD_KIND_FLAG_PERSISTENT;
		sensitive = json_object_get_string_member_with_default(annotations,
								       RDD_KIND_ANNOTATION_SENSITIVE,
								       NULL);
		if (g_strcmp0(sensitive, "true") == 0)
			self->flags |= RDD_KIND_FLAG_SENSITIVE;
	}
	self->crd = rdd_json_deep_copy(crd);
	return g_steal_pointer(&self);
}

/**
 * rdd_kind_new_from_yaml:
 * @data: YAML text holding one or more CRD documents
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type RddKind): the kinds, or %NULL with @error set
 *
 * Since: 0.1
 */
GPtrArray *
rdd_kind_new_from_yaml(const gchar *data, gssize length, GError **error)
{
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	docs = rdd_yaml_parse_all(data, length, error);
	if (docs == NULL)
		return NULL;
	for (guint i = 0; i < docs->len; i++) {
		g_autoptr(GError) error_local = NULL;
		RddKind *kind = rdd_kind_new_from_crd(g_ptr_array_index(docs, i), &error_local);
		if (kind == NULL) {
			g_propagate_prefixed_error(error,
						   g_steal_pointer(&error_local),
						   "document %u: ",
						   i + 1);
			return NULL;
		}
		g_ptr_array_add(kinds, kind);
	}
	if (kinds->len == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "no CRD documents found");
		return NULL;
	}
	return g_steal_pointer(&kinds);
}

/**
 * rdd_kind_get_group:
 * @self: a kind
 *
 * Returns: the API group, `""` for core kinds
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_group(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->group;
}

/**
 * rdd_kind_get_version:
 * @self: a kind
 *
 * Returns: the version served and stored, e.g. `v1alpha1`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_version(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->version;
}

/**
 * rdd_kind_get_api_version:
 * @self: a kind
 *
 * Returns: the apiVersion, e.g. `app.rancherdesktop.io/v1alpha1` or `v1`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_api_version(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->api_version;
}

/**
 * rdd_kind_get_name:
 * @self: a kind
 *
 * Returns: the kind name, e.g. `App`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_name(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->name;
}

/**
 * rdd_kind_get_list_kind:
 * @self: a kind
 *
 * Returns: the list kind, e.g. `AppList`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_list_kind(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->list_kind;
}

/**
 * rdd_kind_get_plural:
 * @self: a kind
 *
 * Returns: the resource name used in URLs, e.g. `apps`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_plural(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->plural;
}

/**
 * rdd_kind_get_singular:
 * @self: a kind
 *
 * Returns: the singular resource name, e.g. `app`
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_singular(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->singular;
}

/**
 * rdd_kind_get_qualified_name:
 * @self: a kind
 *
 * Returns: `Kind.group` as Kubernetes prints it in messages, or the bare kind for core kinds
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_qualified_name(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->qualified_name;
}

/**
 * rdd_kind_get_qualified_plural:
 * @self: a kind
 *
 * Returns: `plural.group`, e.g. `apps.app.rancherdesktop.io`, or the plural for core kinds
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_qualified_plural(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->qualified_plural;
}

/**
 * rdd_kind_get_short_names:
 * @self: a kind
 *
 * Returns: (array zero-terminated=1): short names, possibly empty
 *
 * Since: 0.1
 */
const gchar *const *
rdd_kind_get_short_names(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return (const gchar *const *)self->short_names;
}

/**
 * rdd_kind_get_categories:
 * @self: a kind
 *
 * Returns: (array zero-terminated=1): categories such as `all`, possibly empty
 *
 * Since: 0.1
 */
const gchar *const *
rdd_kind_get_categories(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return (const gchar *const *)self->categories;
}

/**
 * rdd_kind_get_flags:
 * @self: a kind
 *
 * Returns: the #RddKindFlags
 *
 * Since: 0.1
 */
RddKindFlags
rdd_kind_get_flags(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), 0);
	return self->flags;
}

/**
 * rdd_kind_is_namespaced:
 * @self: a kind
 *
 * Returns: %TRUE when objects of this kind live in a namespace
 *
 * Since: 0.1
 */
gboolean
rdd_kind_is_namespaced(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), FALSE);
	return (self->flags & RDD_KIND_FLAG_NAMESPACED) != 0;
}

/**
 * rdd_kind_has_status:
 * @self: a kind
 *
 * Returns: %TRUE when `status` is a subresource
 *
 * Since: 0.1
 */
gboolean
rdd_kind_has_status(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), FALSE);
	return (self->flags & RDD_KIND_FLAG_STATUS_SUBRESOURCE) != 0;
}

/**
 * rdd_kind_is_persistent:
 * @self: a kind
 *
 * Returns: %TRUE when objects are written to the database
 *
 * Since: 0.1
 */
gboolean
rdd_kind_is_persistent(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), FALSE);
	return (self->flags & RDD_KIND_FLAG_PERSISTENT) != 0;
}

/**
 * rdd_kind_set_persistent:
 * @self: a kind
 * @persistent: whether objects are written to the database
 *
 * Overrides what the CRD said. Only meaningful before the kind is registered with a store.
 *
 * Since: 0.1
 */
void
rdd_kind_set_persistent(RddKind *self, gboolean persistent)
{
	g_return_if_fail(RDD_IS_KIND(self));
	if (persistent)
		self->flags |= RDD_KIND_FLAG_PERSISTENT;
	else
		self->flags &= ~RDD_KIND_FLAG_PERSISTENT;
}

/**
 * rdd_kind_get_schema:
 * @self: a kind
 *
 * Returns: (transfer none): the compiled schema of the served version
 *
 * Since: 0.1
 */
RddSchema *
rdd_kind_get_schema(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->schema;
}

/**
 * rdd_kind_get_crd:
 * @self: a kind
 *
 * Returns: (transfer none): the CRD document the kind was read from
 *
 * Since: 0.1
 */
JsonNode *
rdd_kind_get_crd(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->crd;
}

/**
 * rdd_kind_get_printer_columns:
 * @self: a kind
 *
 * Returns: (transfer none): the `additionalPrinterColumns`, possibly empty
 *
 * Since: 0.1
 */
JsonArray *
rdd_kind_get_printer_columns(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->printer_columns;
}

/**
 * rdd_kind_get_selectable_fields:
 * @self: a kind
 *
 * Returns: (array zero-terminated=1): the kind's own selectable fields as dotted paths without
 *   the leading dot (`status.namespace`); `metadata.name` and `metadata.namespace` are always
 *   selectable and not listed
 *
 * Since: 0.1
 */
const gchar *const *
rdd_kind_get_selectable_fields(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return (const gchar *const *)self->selectable_fields;
}

/**
 * rdd_kind_get_selectable_field_index:
 * @self: a kind
 * @field: a dotted field path
 *
 * Returns: the index of @field in rdd_kind_get_selectable_fields(), or -1
 *
 * Since: 0.1
 */
gint
rdd_kind_get_selectable_field_index(RddKind *self, const gchar *field)
{
	g_return_val_if_fail(RDD_IS_KIND(self), -1);
	for (guint i = 0; self->selectable_fields[i] != NULL; i++) {
		if (g_strcmp0(self->selectable_fields[i], field) == 0)
			return (gint)i;
	}
	return -1;
}

/**
 * rdd_kind_get_owner:
 * @self: a kind
 *
 * Returns: (nullable): the name of the plugin that registered the kind
 *
 * Since: 0.1
 */
const gchar *
rdd_kind_get_owner(RddKind *self)
{
	g_return_val_if_fail(RDD_IS_KIND(self), NULL);
	return self->owner;
}

/**
 * rdd_kind_set_owner:
 * @self: a kind
 * @owner: (nullable): a plugin name
 *
 * Since: 0.1
 */
void
rdd_kind_set_owner(RddKind *self, const gchar *owner)
{
	g_return_if_fail(RDD_IS_KIND(self));
	g_free(self->owner);
	self->owner = g_strdup(owner);
}

/**
 * rdd_kind_matches:
 * @self: a kind
 * @name: what a user typed: a kind, plural, singular or short name, optionally followed by
 *   `.group`
 *
 * Returns: %TRUE when @name designates this kind (kind names compare case-insensitively)
 *
 * Since: 0.1
 */
gboolean
rdd_kind_matches(RddKind *self, const gchar *name)
{
	const gchar *dot;
	g_autofree gchar *base = NULL;

	g_return_val_if_fail(RDD_IS_KIND(self), FALSE);
	g_return_val_if_fail(name != NULL, FALSE);

	dot = strchr(name, '.');
	if (dot != NULL) {
		if (g_strcmp0(dot + 1, self->group) != 0)
			return FALSE;
		base = g_strndup(name, dot - name);
	} else {
		base = g_strdup(name);
	}
	if (g_ascii_strcasecmp(base, self->name) == 0 || g_strcmp0(base, self->plural) == 0 ||
	    g_strcmp0(base, self->singular) == 0)
		return TRUE;
	return g_strv_contains((const gchar *const *)self->short_names, base);
}
