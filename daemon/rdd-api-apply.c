/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Server-side apply (PATCH with application/apply-patch+yaml) and the field ownership it keeps
 * in `metadata.managedFields`, after Kubernetes' structured-merge-diff. docs/server-side-apply.md
 * says how far this goes.
 *
 * Field sets are trees of path elements in the FieldsV1 spelling: `f:<name>` for a member of
 * an object, `k:<json>` for an item of an associative list (x-kubernetes-list-type: map),
 * `v:<json>` for an item of a set list; a node that is itself owned is a "member" (`.` in FieldsV1
 * when it also has children).
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

/* the deepest nesting of values and field sets the walks here descend into */
#define RDD_API_APPLY_MAX_DEPTH 128

/* how often an apply starts over when a concurrent write changed the object */
#define RDD_API_APPLY_MAX_ATTEMPTS 5

/* Update entries kept per object; older ones are merged into one bucket entry, as kube does */
#define RDD_API_APPLY_MAX_UPDATE_MANAGERS 10
#define RDD_API_APPLY_BUCKET_MANAGER "ancient-changes"

/* the longest field manager name accepted, as kube-apiserver */
#define RDD_API_APPLY_MAX_MANAGER_LEN 128

#define RDD_API_APPLY_OPERATION_APPLY "Apply"
#define RDD_API_APPLY_OPERATION_UPDATE "Update"

/* the part of ObjectMeta a client writes, as far as field ownership is concerned */
static const gchar rdd_api_apply_meta_schema_json[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"name\":{\"type\":\"string\"},"
	"\"generateName\":{\"type\":\"string\"},"
	"\"namespace\":{\"type\":\"string\"},"
	"\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
	"\"annotations\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
	"\"finalizers\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
	"\"x-kubernetes-list-type\":\"set\"},"
	"\"ownerReferences\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\","
	"\"x-kubernetes-list-map-keys\":[\"uid\"],\"items\":{\"type\":\"object\","
	"\"required\":[\"uid\"],\"properties\":{"
	"\"apiVersion\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"},"
	"\"name\":{\"type\":\"string\"},\"uid\":{\"type\":\"string\"},"
	"\"controller\":{\"type\":\"boolean\"},\"blockOwnerDeletion\":{\"type\":\"boolean\"}}}}"
	"}}";

/* metadata members the server owns: never part of a field set (kube's "strip" set) */
static const gchar *const rdd_api_apply_meta_stripped[] = {"name",
							   "namespace",
							   "uid",
							   "resourceVersion",
							   "generation",
							   "creationTimestamp",
							   "deletionTimestamp",
							   "deletionGracePeriodSeconds",
							   "selfLink",
							   "managedFields",
							   "clusterName",
							   NULL};

/* field sets ---------------------------------------------------------------------------------- */

typedef struct _RddApiApplySet RddApiApplySet;
struct _RddApiApplySet {
	gboolean member;
	GTree *children; /* (nullable): path element -> RddApiApplySet, never an empty set */
};

static void
rdd_api_apply_set_free(RddApiApplySet *self)
{
	if (self == NULL)
		return;
	if (self->children != NULL)
		g_tree_unref(self->children);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddApiApplySet, rdd_api_apply_set_free)

static RddApiApplySet *
rdd_api_apply_set_new(void)
{
	return g_new0(RddApiApplySet, 1);
}

static gint
rdd_api_apply_set_key_cmp(gconstpointer a, gconstpointer b, gpointer user_data)
{
	return strcmp(a, b);
}

static gboolean
rdd_api_apply_set_is_empty(RddApiApplySet *self)
{
	return self == NULL ||
	       (!self->member && (self->children == NULL || g_tree_nnodes(self->children) == 0));
}

static RddApiApplySet *
rdd_api_apply_set_lookup(RddApiApplySet *self, const gchar *pe)
{
	if (self == NULL || self->children == NULL)
		return NULL;
	return g_tree_lookup(self->children, pe);
}

/* takes @child */
static void
rdd_api_apply_set_adopt(RddApiApplySet *self, const gchar *pe, RddApiApplySet *child)
{
	if (self->children == NULL) {
		self->children = g_tree_new_full(rdd_api_apply_set_key_cmp, NULL, g_free,
						 (GDestroyNotify)rdd_api_apply_set_free);
	}
	g_tree_insert(self->children, g_strdup(pe), child);
}

/* the child set at @pe, created empty if needed; the caller removes it again if it stays empty */
static RddApiApplySet *
rdd_api_apply_set_child(RddApiApplySet *self, const gchar *pe)
{
	RddApiApplySet *child = rdd_api_apply_set_lookup(self, pe);
	if (child == NULL) {
		child = rdd_api_apply_set_new();
		rdd_api_apply_set_adopt(self, pe, child);
	}
	return child;
}

static void
rdd_api_apply_set_drop_if_empty(RddApiApplySet *self, const gchar *pe)
{
	RddApiApplySet *child = rdd_api_apply_set_lookup(self, pe);
	if (child != NULL && rdd_api_apply_set_is_empty(child))
		g_tree_remove(self->children, pe);
}

/* @self := @self ∪ @other */
static void
rdd_api_apply_set_union(RddApiApplySet *self, RddApiApplySet *other)
{
	if (other == NULL)
		return;
	self->member = self->member || other->member;
	if (other->children == NULL)
		return;
	for (GTreeNode *n = g_tree_node_first(other->children); n != NULL; n = g_tree_node_next(n)) {
		RddApiApplySet *theirs = g_tree_node_value(n);
		if (rdd_api_apply_set_is_empty(theirs))
			continue;
		rdd_api_apply_set_union(rdd_api_apply_set_child(self, g_tree_node_key(n)), theirs);
	}
}

static RddApiApplySet *
rdd_api_apply_set_copy(RddApiApplySet *self)
{
	RddApiApplySet *copy = rdd_api_apply_set_new();
	rdd_api_apply_set_union(copy, self);
	return copy;
}

/* @self := @self \ @other, path by path (owning a path does not own what is below it) */
static void
rdd_api_apply_set_subtract(RddApiApplySet *self, RddApiApplySet *other)
{
	g_autoptr(GPtrArray) emptied = NULL;

	if (other == NULL)
		return;
	if (other->member)
		self->member = FALSE;
	if (self->children == NULL || other->children == NULL)
		return;
	emptied = g_ptr_array_new();
	for (GTreeNode *n = g_tree_node_first(other->children); n != NULL; n = g_tree_node_next(n)) {
		RddApiApplySet *mine = rdd_api_apply_set_lookup(self, g_tree_node_key(n));
		if (mine == NULL)
			continue;
		rdd_api_apply_set_subtract(mine, g_tree_node_value(n));
		if (rdd_api_apply_set_is_empty(mine))
			g_ptr_array_add(emptied, g_tree_node_key(n));
	}
	for (guint i = 0; i < emptied->len; i++)
		g_tree_remove(self->children, g_ptr_array_index(emptied, i));
}

/* (transfer full): @a ∩ @b */
static RddApiApplySet *
rdd_api_apply_set_intersect(RddApiApplySet *a, RddApiApplySet *b)
{
	RddApiApplySet *out = rdd_api_apply_set_new();

	if (a == NULL || b == NULL)
		return out;
	out->member = a->member && b->member;
	if (a->children == NULL || b->children == NULL)
		return out;
	for (GTreeNode *n = g_tree_node_first(a->children); n != NULL; n = g_tree_node_next(n)) {
		RddApiApplySet *theirs = rdd_api_apply_set_lookup(b, g_tree_node_key(n));
		RddApiApplySet *both;
		if (theirs == NULL)
			continue;
		both = rdd_api_apply_set_intersect(g_tree_node_value(n), theirs);
		if (rdd_api_apply_set_is_empty(both))
			rdd_api_apply_set_free(both);
		else
			rdd_api_apply_set_adopt(out, g_tree_node_key(n), both);
	}
	return out;
}

static gboolean
rdd_api_apply_set_equal(RddApiApplySet *a, RddApiApplySet *b)
{
	guint na, nb;

	if (rdd_api_apply_set_is_empty(a) || rdd_api_apply_set_is_empty(b))
		return rdd_api_apply_set_is_empty(a) && rdd_api_apply_set_is_empty(b);
	if (a->member != b->member)
		return FALSE;
	na = a->children != NULL ? (guint)g_tree_nnodes(a->children) : 0;
	nb = b->children != NULL ? (guint)g_tree_nnodes(b->children) : 0;
	if (na != nb)
		return FALSE;
	if (na == 0)
		return TRUE;
	for (GTreeNode *n = g_tree_node_first(a->children); n != NULL; n = g_tree_node_next(n)) {
		RddApiApplySet *theirs = rdd_api_apply_set_lookup(b, g_tree_node_key(n));
		if (theirs == NULL || !rdd_api_apply_set_equal(g_tree_node_value(n), theirs))
			return FALSE;
	}
	return TRUE;
}

/* makes @path (a list of path elements, not empty) a member of @self */
static void
rdd_api_apply_set_insert(RddApiApplySet *self, GPtrArray *path)
{
	RddApiApplySet *node = self;
	for (guint i = 0; i < path->len; i++)
		node = rdd_api_apply_set_child(node, g_ptr_array_index(path, i));
	node->member = TRUE;
}

/* the server's own metadata is never owned, nor `metadata` itself */
static void
rdd_api_apply_set_strip(RddApiApplySet *self)
{
	RddApiApplySet *meta = rdd_api_apply_set_lookup(self, "f:metadata");
	if (meta == NULL)
		return;
	meta->member = FALSE;
	for (guint i = 0; rdd_api_apply_meta_stripped[i] != NULL; i++) {
		g_autofree gchar *pe = g_strconcat("f:", rdd_api_apply_meta_stripped[i], NULL);
		if (meta->children != NULL)
			g_tree_remove(meta->children, pe);
	}
	rdd_api_apply_set_drop_if_empty(self, "f:metadata");
}

/* FieldsV1 JSON -> set */
static RddApiApplySet *
rdd_api_apply_set_from_json(JsonNode *node, guint depth, GError **error)
{
	g_autoptr(RddApiApplySet) self = NULL;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (depth > RDD_API_APPLY_MAX_DEPTH) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "fieldsV1 is nested deeper than %u levels", (guint)RDD_API_APPLY_MAX_DEPTH);
		return NULL;
	}
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "fieldsV1: every value must be an object");
		return NULL;
	}
	self = rdd_api_apply_set_new();
	json_object_iter_init(&iter, json_node_get_object(node));
	while (json_object_iter_next(&iter, &key, &value)) {
		RddApiApplySet *child;
		if (!JSON_NODE_HOLDS_OBJECT(value)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "fieldsV1: the value of \"%s\" must be an object", key);
			return NULL;
		}
		if (g_strcmp0(key, ".") == 0) {
			self->member = TRUE;
			continue;
		}
		if (!g_str_has_prefix(key, "f:") && !g_str_has_prefix(key, "k:") &&
		    !g_str_has_prefix(key, "v:") && !g_str_has_prefix(key, "i:")) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "fieldsV1: unknown path element \"%s\": must start with f:, k:, v: "
				    "or i:",
				    key);
			return NULL;
		}
		child = rdd_api_apply_set_from_json(value, depth + 1, error);
		if (child == NULL)
			return NULL;
		if (json_object_get_size(json_node_get_object(value)) == 0)
			child->member = TRUE;
		if (rdd_api_apply_set_is_empty(child))
			rdd_api_apply_set_free(child);
		else
			rdd_api_apply_set_adopt(self, key, child);
	}
	return g_steal_pointer(&self);
}

/* set -> FieldsV1 JSON */
static JsonNode *
rdd_api_apply_set_to_json(RddApiApplySet *self, gboolean is_root)
{
	JsonObject *obj = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	gboolean has_children = self->children != NULL && g_tree_nnodes(self->children) > 0;

	if (!is_root && self->member && has_children)
		json_object_set_object_member(obj, ".", json_object_new());
	for (GTreeNode *n = has_children ? g_tree_node_first(self->children) : NULL; n != NULL;
	     n = g_tree_node_next(n)) {
		RddApiApplySet *child = g_tree_node_value(n);
		if (rdd_api_apply_set_is_empty(child))
			continue;
		json_object_set_member(obj, g_tree_node_key(n), rdd_api_apply_set_to_json(child, FALSE));
	}
	json_node_take_object(node, obj);
	return node;
}

typedef void (*RddApiApplyPathFunc)(GPtrArray *path, gpointer user_data);

/* calls @func for every member of @self, in sorted order, parents first */
static void
rdd_api_apply_set_foreach(RddApiApplySet *self, GPtrArray *path, RddApiApplyPathFunc func, gpointer user_data)
{
	if (self->member && path->len > 0)
		func(path, user_data);
	if (self->children == NULL)
		return;
	for (GTreeNode *n = g_tree_node_first(self->children); n != NULL; n = g_tree_node_next(n)) {
		g_ptr_array_add(path, g_tree_node_key(n));
		rdd_api_apply_set_foreach(g_tree_node_value(n), path, func, user_data);
		g_ptr_array_set_size(path, path->len - 1);
	}
}

/* paths ---------------------------------------------------------------------------------------- */

/* a path element as Kubernetes prints it: `.name`, `[type="Ready"]`, `[="value"]`, `[0]` */
static void
rdd_api_apply_pe_append(GString *out, const gchar *pe)
{
	if (g_str_has_prefix(pe, "f:")) {
		g_string_append_c(out, '.');
		g_string_append(out, pe + 2);
	} else if (g_str_has_prefix(pe, "k:")) {
		g_autoptr(JsonNode) key = rdd_json_parse(pe + 2, -1, NULL);
		if (key != NULL && JSON_NODE_HOLDS_OBJECT(key)) {
			JsonObject *obj = json_node_get_object(key);
			g_autoptr(GList) names = json_object_get_members(obj);
			names = g_list_sort(names, (GCompareFunc)g_strcmp0);
			g_string_append_c(out, '[');
			for (GList *l = names; l != NULL; l = l->next) {
				if (l != names)
					g_string_append_c(out, ',');
				g_string_append(out, l->data);
				g_string_append_c(out, '=');
				rdd_json_write(out, json_object_get_member(obj, l->data));
			}
			g_string_append_c(out, ']');
		} else {
			g_string_append_printf(out, "[%s]", pe + 2);
		}
	} else if (g_str_has_prefix(pe, "v:")) {
		g_string_append_printf(out, "[=%s]", pe + 2);
	} else if (g_str_has_prefix(pe, "i:")) {
		g_string_append_printf(out, "[%s]", pe + 2);
	} else {
		g_string_append_c(out, '.');
		g_string_append(out, pe);
	}
}

static gchar *
rdd_api_apply_path_to_string(GPtrArray *path)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < path->len; i++)
		rdd_api_apply_pe_append(out, g_ptr_array_index(path, i));
	return g_string_free(out, FALSE);
}

/* path stacks own their elements */
static void
rdd_api_apply_path_push(GPtrArray *path, gchar *pe)
{
	g_ptr_array_add(path, pe);
}

static void
rdd_api_apply_path_pop(GPtrArray *path)
{
	g_ptr_array_remove_index(path, path->len - 1);
}

static void
rdd_api_apply_set_path_error(GError **error, GPtrArray *path, RddError code, const gchar *message)
{
	g_autofree gchar *where = rdd_api_apply_path_to_string(path);
	g_set_error(error, RDD_ERROR, code, "%s: %s", where[0] != '\0' ? where : ".", message);
}

/* schemas --------------------------------------------------------------------------------------- */

typedef enum {
	RDD_API_APPLY_LIST_ATOMIC,
	RDD_API_APPLY_LIST_SET,
	RDD_API_APPLY_LIST_MAP,
} RddApiApplyListType;

static RddSchema *
rdd_api_apply_meta_schema(void)
{
	static gsize once = 0;
	static RddSchema *schema = NULL;

	if (g_once_init_enter(&once)) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse(rdd_api_apply_meta_schema_json, -1, &error_local);
		if (node != NULL)
			schema = rdd_schema_new(node, &error_local);
		if (schema == NULL)
			g_warning("the ObjectMeta schema of server-side apply does not compile: %s",
				  error_local->message);
		g_once_init_leave(&once, 1);
	}
	return schema;
}

static JsonNode *
rdd_api_apply_schema_keyword(RddSchema *schema, const gchar *keyword)
{
	JsonNode *node;
	if (schema == NULL)
		return NULL;
	node = rdd_schema_get_node(schema);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_object_get_member(json_node_get_object(node), keyword);
}

/* a string member, or %NULL when it is missing or not a string */
static const gchar *
rdd_api_apply_node_get_string(JsonNode *node)
{
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static const gchar *
rdd_api_apply_object_get_string(JsonObject *obj, const gchar *member)
{
	if (obj == NULL)
		return NULL;
	return rdd_api_apply_node_get_string(json_object_get_member(obj, member));
}

static RddApiApplyListType
rdd_api_apply_list_type(RddSchema *schema)
{
	const gchar *type =
		rdd_api_apply_node_get_string(rdd_api_apply_schema_keyword(schema, "x-kubernetes-list-type"));
	if (g_strcmp0(type, "map") == 0)
		return RDD_API_APPLY_LIST_MAP;
	if (g_strcmp0(type, "set") == 0)
		return RDD_API_APPLY_LIST_SET;
	return RDD_API_APPLY_LIST_ATOMIC;
}

static gboolean
rdd_api_apply_map_is_atomic(RddSchema *schema)
{
	const gchar *type =
		rdd_api_apply_node_get_string(rdd_api_apply_schema_keyword(schema, "x-kubernetes-map-type"));
	return g_strcmp0(type, "atomic") == 0;
}

/* whether a value of @schema carries apiVersion, kind and metadata of its own */
static gboolean
rdd_api_apply_is_resource(RddSchema *schema)
{
	JsonNode *node = rdd_api_apply_schema_keyword(schema, "x-kubernetes-embedded-resource");
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_BOOLEAN && json_node_get_boolean(node);
}

/* the schema of member @name of an object of @schema; @declared tells a property from a map key */
static RddSchema *
rdd_api_apply_field_schema(RddSchema *schema, gboolean resource, const gchar *name, gboolean *declared)
{
	RddSchema *prop;

	*declared = FALSE;
	if (resource && g_strcmp0(name, "metadata") == 0) {
		*declared = TRUE;
		return rdd_api_apply_meta_schema();
	}
	if (schema == NULL)
		return NULL;
	prop = rdd_schema_get_property(schema, name);
	if (prop != NULL) {
		*declared = TRUE;
		return prop;
	}
	return rdd_schema_get_additional_properties(schema);
}

static RddSchema *
rdd_api_apply_items_schema(RddSchema *schema)
{
	return schema != NULL ? rdd_schema_get_items(schema) : NULL;
}

static gboolean
rdd_api_apply_is_scalar(JsonNode *node)
{
	return node != NULL && (JSON_NODE_HOLDS_VALUE(node) || JSON_NODE_HOLDS_NULL(node));
}

/* the path element of one item of a set or associative list; errors name no path */
static gchar *
rdd_api_apply_item_pe(RddApiApplyListType type, RddSchema *schema, JsonNode *item, GError **error)
{
	g_autoptr(GString) out = NULL;
	g_autoptr(JsonObject) key = NULL;
	g_autoptr(JsonNode) key_node = NULL;
	RddSchema *items = rdd_api_apply_items_schema(schema);
	JsonNode *keys = rdd_api_apply_schema_keyword(schema, "x-kubernetes-list-map-keys");
	JsonObject *obj;

	if (type == RDD_API_APPLY_LIST_SET) {
		if (!rdd_api_apply_is_scalar(item)) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
					    "the items of a list of type set must be scalars");
			return NULL;
		}
		out = g_string_new("v:");
		rdd_json_write(out, item);
		return g_string_free(g_steal_pointer(&out), FALSE);
	}
	if (item == NULL || !JSON_NODE_HOLDS_OBJECT(item)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "the items of a list of type map must be objects");
		return NULL;
	}
	if (keys == NULL || !JSON_NODE_HOLDS_ARRAY(keys) ||
	    json_array_get_length(json_node_get_array(keys)) == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "a list of type map has no x-kubernetes-list-map-keys");
		return NULL;
	}
	obj = json_node_get_object(item);
	key = json_object_new();
	for (guint i = 0; i < json_array_get_length(json_node_get_array(keys)); i++) {
		const gchar *name =
			rdd_api_apply_node_get_string(json_array_get_element(json_node_get_array(keys), i));
		JsonNode *value;
		if (name == NULL)
			continue;
		value = json_object_get_member(obj, name);
		if (value == NULL || JSON_NODE_HOLDS_NULL(value)) {
			RddSchema *prop = items != NULL ? rdd_schema_get_property(items, name) : NULL;
			value = prop != NULL ? rdd_schema_get_default(prop) : NULL;
		}
		if (value == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "associative list with keys has an element that omits key field \"%s\" "
				    "(and doesn't have default value)",
				    name);
			return NULL;
		}
		if (!rdd_api_apply_is_scalar(value)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "the key field \"%s\" of an associative list must be a scalar", name);
			return NULL;
		}
		json_object_set_member(key, name, rdd_json_deep_copy(value));
	}
	key_node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(key_node, key);
	out = g_string_new("k:");
	rdd_json_write(out, key_node);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
rdd_api_apply_set_depth_error(GError **error, GPtrArray *path)
{
	g_autofree gchar *msg = g_strdup_printf("nested deeper than %u levels", (guint)RDD_API_APPLY_MAX_DEPTH);
	rdd_api_apply_set_path_error(error, path, RDD_ERROR_BAD_REQUEST, msg);
}

/* the field set of an applied configuration ------------------------------------------------------ */

static gboolean
rdd_api_apply_to_set(JsonNode *value,
		     RddSchema *schema,
		     gboolean resource,
		     RddApiApplySet *node,
		     GPtrArray *path,
		     guint depth,
		     GError **error)
{
	RddApiApplyListType list_type;

	if (depth > RDD_API_APPLY_MAX_DEPTH) {
		rdd_api_apply_set_depth_error(error, path);
		return FALSE;
	}
	if (JSON_NODE_HOLDS_OBJECT(value) && !rdd_api_apply_map_is_atomic(schema)) {
		JsonObjectIter iter;
		const gchar *key;
		JsonNode *member;

		json_object_iter_init(&iter, json_node_get_object(value));
		while (json_object_iter_next(&iter, &key, &member)) {
			gboolean declared = FALSE;
			RddSchema *child_schema = rdd_api_apply_field_schema(schema, resource, key, &declared);
			gchar *pe = g_strconcat("f:", key, NULL);
			RddApiApplySet *child = rdd_api_apply_set_child(node, pe);

			rdd_api_apply_path_push(path, pe);
			if (!rdd_api_apply_to_set(member, child_schema, rdd_api_apply_is_resource(child_schema),
						  child, path, depth + 1, error))
				return FALSE;
			/* an empty or null value, or a map key, is owned itself */
			if (JSON_NODE_HOLDS_NULL(member) ||
			    (JSON_NODE_HOLDS_OBJECT(member) &&
			     json_object_get_size(json_node_get_object(member)) == 0) ||
			    !declared)
				child->member = TRUE;
			rdd_api_apply_set_drop_if_empty(node, pe);
			rdd_api_apply_path_pop(path);
		}
		return TRUE;
	}
	list_type = rdd_api_apply_list_type(schema);
	if (JSON_NODE_HOLDS_ARRAY(value) && list_type != RDD_API_APPLY_LIST_ATOMIC) {
		JsonArray *arr = json_node_get_array(value);
		RddSchema *items = rdd_api_apply_items_schema(schema);
		g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *item = json_array_get_element(arr, i);
			g_autoptr(GError) error_local = NULL;
			gchar *pe = rdd_api_apply_item_pe(list_type, schema, item, &error_local);
			RddApiApplySet *child;

			if (pe == NULL) {
				rdd_api_apply_path_push(path, g_strdup_printf("i:%u", i));
				rdd_api_apply_set_path_error(error, path, error_local->code,
							     error_local->message);
				return FALSE;
			}
			rdd_api_apply_path_push(path, pe);
			if (!g_hash_table_add(seen, g_strdup(pe))) {
				rdd_api_apply_set_path_error(error, path, RDD_ERROR_BAD_REQUEST,
							     "duplicate entries for key");
				return FALSE;
			}
			child = rdd_api_apply_set_child(node, pe);
			if (list_type == RDD_API_APPLY_LIST_MAP &&
			    !rdd_api_apply_to_set(item, items, rdd_api_apply_is_resource(items),
						  child, path, depth + 1, error))
				return FALSE;
			child->member = TRUE;
			rdd_api_apply_path_pop(path);
		}
		return TRUE;
	}
	node->member = TRUE;
	return TRUE;
}

/* merging an applied configuration into the live object ------------------------------------------ */

static JsonNode *rdd_api_apply_merge(JsonNode *live,
				     JsonNode *config,
				     RddSchema *schema,
				     gboolean resource,
				     GPtrArray *path,
				     guint depth,
				     GError **error);

static JsonNode *
rdd_api_apply_merge_object(JsonNode *live,
			   JsonNode *config,
			   RddSchema *schema,
			   gboolean resource,
			   GPtrArray *path,
			   guint depth,
			   GError **error)
{
	g_autoptr(JsonObject) out = json_object_new();
	JsonObject *live_obj = live != NULL && JSON_NODE_HOLDS_OBJECT(live) ? json_node_get_object(live) : NULL;
	JsonNode *node;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (live_obj != NULL) {
		json_object_iter_init(&iter, live_obj);
		while (json_object_iter_next(&iter, &key, &value))
			json_object_set_member(out, key, rdd_json_deep_copy(value));
	}
	json_object_iter_init(&iter, json_node_get_object(config));
	while (json_object_iter_next(&iter, &key, &value)) {
		gboolean declared = FALSE;
		RddSchema *child_schema = rdd_api_apply_field_schema(schema, resource, key, &declared);
		JsonNode *merged;

		/* null asks for the field to be unset (kept as null only where the schema allows it) */
		if (JSON_NODE_HOLDS_NULL(value)) {
			if (child_schema != NULL && rdd_schema_get_nullable(child_schema))
				json_object_set_null_member(out, key);
			else if (json_object_has_member(out, key))
				json_object_remove_member(out, key);
			continue;
		}
		rdd_api_apply_path_push(path, g_strconcat("f:", key, NULL));
		merged = rdd_api_apply_merge(
			live_obj != NULL ? json_object_get_member(live_obj, key) : NULL, value,
			child_schema, rdd_api_apply_is_resource(child_schema), path, depth + 1, error);
		if (merged == NULL)
			return NULL;
		rdd_api_apply_path_pop(path);
		json_object_set_member(out, key, merged);
	}
	node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, out);
	return node;
}

/* associative and set lists: live items keep their place, new items are appended */
static JsonNode *
rdd_api_apply_merge_list(JsonNode *live,
			 JsonNode *config,
			 RddSchema *schema,
			 RddApiApplyListType list_type,
			 GPtrArray *path,
			 guint depth,
			 GError **error)
{
	JsonArray *live_arr = live != NULL && JSON_NODE_HOLDS_ARRAY(live) ? json_node_get_array(live) : NULL;
	JsonArray *config_arr = json_node_get_array(config);
	guint n_config = json_array_get_length(config_arr);
	RddSchema *items = rdd_api_apply_items_schema(schema);
	g_autoptr(GHashTable) by_pe = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gboolean *used = g_new0(gboolean, n_config + 1);
	g_autoptr(JsonArray) out = json_array_new();
	JsonNode *node;

	for (guint i = 0; i < n_config; i++) {
		g_autoptr(GError) error_local = NULL;
		gchar *pe = rdd_api_apply_item_pe(list_type, schema,
						  json_array_get_element(config_arr, i), &error_local);
		if (pe == NULL) {
			rdd_api_apply_path_push(path, g_strdup_printf("i:%u", i));
			rdd_api_apply_set_path_error(error, path, error_local->code, error_local->message);
			return NULL;
		}
		if (g_hash_table_contains(by_pe, pe)) {
			rdd_api_apply_path_push(path, pe);
			rdd_api_apply_set_path_error(error, path, RDD_ERROR_BAD_REQUEST, "duplicate entries for key");
			return NULL;
		}
		g_hash_table_insert(by_pe, pe, GUINT_TO_POINTER(i + 1));
	}
	for (guint i = 0; live_arr != NULL && i < json_array_get_length(live_arr); i++) {
		JsonNode *item = json_array_get_element(live_arr, i);
		g_autofree gchar *pe = rdd_api_apply_item_pe(list_type, schema, item, NULL);
		guint idx = pe != NULL ? GPOINTER_TO_UINT(g_hash_table_lookup(by_pe, pe)) : 0;
		JsonNode *merged;

		if (idx == 0 || used[idx - 1]) {
			json_array_add_element(out, rdd_json_deep_copy(item));
			continue;
		}
		used[idx - 1] = TRUE;
		if (list_type == RDD_API_APPLY_LIST_SET) {
			json_array_add_element(out, rdd_json_deep_copy(item));
			continue;
		}
		rdd_api_apply_path_push(path, g_steal_pointer(&pe));
		merged = rdd_api_apply_merge(item, json_array_get_element(config_arr, idx - 1), items,
					     rdd_api_apply_is_resource(items), path, depth + 1, error);
		if (merged == NULL)
			return NULL;
		rdd_api_apply_path_pop(path);
		json_array_add_element(out, merged);
	}
	for (guint i = 0; i < n_config; i++) {
		JsonNode *item = json_array_get_element(config_arr, i);
		JsonNode *merged;
		if (used[i])
			continue;
		if (list_type == RDD_API_APPLY_LIST_SET) {
			json_array_add_element(out, rdd_json_deep_copy(item));
			continue;
		}
		rdd_api_apply_path_push(path, g_strdup_printf("i:%u", i));
		merged = rdd_api_apply_merge(NULL, item, items, rdd_api_apply_is_resource(items),
					     path, depth + 1, error);
		if (merged == NULL)
			return NULL;
		rdd_api_apply_path_pop(path);
		json_array_add_element(out, merged);
	}
	node = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(node, out);
	return node;
}

/* (transfer full): @config merged into @live (nullable); @live is not changed */
static JsonNode *
rdd_api_apply_merge(JsonNode *live, JsonNode *config, RddSchema *schema, gboolean resource, GPtrArray *path, guint depth, GError **error)
{
	RddApiApplyListType list_type;

	if (depth > RDD_API_APPLY_MAX_DEPTH) {
		rdd_api_apply_set_depth_error(error, path);
		return NULL;
	}
	if (JSON_NODE_HOLDS_OBJECT(config) && !rdd_api_apply_map_is_atomic(schema))
		return rdd_api_apply_merge_object(live, config, schema, resource, path, depth, error);
	list_type = rdd_api_apply_list_type(schema);
	if (JSON_NODE_HOLDS_ARRAY(config) && list_type != RDD_API_APPLY_LIST_ATOMIC)
		return rdd_api_apply_merge_list(live, config, schema, list_type, path, depth, error);
	return rdd_json_deep_copy(config);
}

/* comparing two versions of an object ------------------------------------------------------------- */

typedef struct {
	RddApiApplySet *added;
	RddApiApplySet *modified;
	RddApiApplySet *removed;
} RddApiApplyComparison;

static void
rdd_api_apply_comparison_clear(RddApiApplyComparison *cmp)
{
	g_clear_pointer(&cmp->added, rdd_api_apply_set_free);
	g_clear_pointer(&cmp->modified, rdd_api_apply_set_free);
	g_clear_pointer(&cmp->removed, rdd_api_apply_set_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddApiApplyComparison, rdd_api_apply_comparison_clear)

static void
rdd_api_apply_compare_leaf(JsonNode *lhs, JsonNode *rhs, GPtrArray *path, RddApiApplyComparison *cmp)
{
	if (path->len == 0)
		return;
	if (lhs == NULL && rhs != NULL)
		rdd_api_apply_set_insert(cmp->added, path);
	else if (lhs != NULL && rhs == NULL)
		rdd_api_apply_set_insert(cmp->removed, path);
	else if (lhs != NULL && !rdd_json_equal(lhs, rhs))
		rdd_api_apply_set_insert(cmp->modified, path);
}

/* the items of a set or associative list by path element; %NULL if one has none or repeats */
static GHashTable *
rdd_api_apply_index_list(JsonNode *list, RddSchema *schema, RddApiApplyListType list_type, GPtrArray *order)
{
	g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonArray *arr;

	if (list == NULL)
		return g_steal_pointer(&index);
	arr = json_node_get_array(list);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *item = json_array_get_element(arr, i);
		gchar *pe = rdd_api_apply_item_pe(list_type, schema, item, NULL);
		if (pe == NULL)
			return NULL;
		if (g_hash_table_contains(index, pe)) {
			g_free(pe);
			return NULL;
		}
		g_hash_table_insert(index, pe, item);
		if (order != NULL)
			g_ptr_array_add(order, pe);
	}
	return g_steal_pointer(&index);
}

static void rdd_api_apply_compare(JsonNode *lhs,
				  JsonNode *rhs,
				  RddSchema *schema,
				  gboolean resource,
				  GPtrArray *path,
				  RddApiApplyComparison *cmp,
				  guint depth);

static void
rdd_api_apply_compare_object(JsonNode *lhs,
			     JsonNode *rhs,
			     RddSchema *schema,
			     gboolean resource,
			     GPtrArray *path,
			     RddApiApplyComparison *cmp,
			     guint depth)
{
	JsonObject *lo = lhs != NULL ? json_node_get_object(lhs) : NULL;
	JsonObject *ro = rhs != NULL ? json_node_get_object(rhs) : NULL;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (path->len > 0 && lhs == NULL)
		rdd_api_apply_set_insert(cmp->added, path);
	else if (path->len > 0 && rhs == NULL)
		rdd_api_apply_set_insert(cmp->removed, path);
	if (lo != NULL) {
		json_object_iter_init(&iter, lo);
		while (json_object_iter_next(&iter, &key, &value)) {
			gboolean declared = FALSE;
			RddSchema *child = rdd_api_apply_field_schema(schema, resource, key, &declared);
			rdd_api_apply_path_push(path, g_strconcat("f:", key, NULL));
			rdd_api_apply_compare(value, ro != NULL ? json_object_get_member(ro, key) : NULL, child,
					      rdd_api_apply_is_resource(child), path, cmp, depth + 1);
			rdd_api_apply_path_pop(path);
		}
	}
	if (ro != NULL) {
		json_object_iter_init(&iter, ro);
		while (json_object_iter_next(&iter, &key, &value)) {
			gboolean declared = FALSE;
			RddSchema *child;
			if (lo != NULL && json_object_has_member(lo, key))
				continue;
			child = rdd_api_apply_field_schema(schema, resource, key, &declared);
			rdd_api_apply_path_push(path, g_strconcat("f:", key, NULL));
			rdd_api_apply_compare(NULL, value, child, rdd_api_apply_is_resource(child),
					      path, cmp, depth + 1);
			rdd_api_apply_path_pop(path);
		}
	}
}

static gboolean
rdd_api_apply_compare_list(JsonNode *lhs,
			   JsonNode *rhs,
			   RddSchema *schema,
			   RddApiApplyListType list_type,
			   GPtrArray *path,
			   RddApiApplyComparison *cmp,
			   guint depth)
{
	g_autoptr(GPtrArray) lorder = g_ptr_array_new();
	g_autoptr(GPtrArray) rorder = g_ptr_array_new();
	g_autoptr(GHashTable) lindex = rdd_api_apply_index_list(lhs, schema, list_type, lorder);
	g_autoptr(GHashTable) rindex = rdd_api_apply_index_list(rhs, schema, list_type, rorder);
	RddSchema *items = rdd_api_apply_items_schema(schema);

	/* items without a usable key: the list is compared as a whole */
	if (lindex == NULL || rindex == NULL)
		return FALSE;
	if (path->len > 0 && lhs == NULL)
		rdd_api_apply_set_insert(cmp->added, path);
	else if (path->len > 0 && rhs == NULL)
		rdd_api_apply_set_insert(cmp->removed, path);
	for (guint i = 0; i < lorder->len; i++) {
		const gchar *pe = g_ptr_array_index(lorder, i);
		JsonNode *litem = g_hash_table_lookup(lindex, pe);
		JsonNode *ritem = g_hash_table_lookup(rindex, pe);
		rdd_api_apply_path_push(path, g_strdup(pe));
		if (list_type == RDD_API_APPLY_LIST_MAP)
			rdd_api_apply_compare(litem, ritem, items, rdd_api_apply_is_resource(items),
					      path, cmp, depth + 1);
		else
			rdd_api_apply_compare_leaf(litem, ritem, path, cmp);
		rdd_api_apply_path_pop(path);
	}
	for (guint i = 0; i < rorder->len; i++) {
		const gchar *pe = g_ptr_array_index(rorder, i);
		if (g_hash_table_contains(lindex, pe))
			continue;
		rdd_api_apply_path_push(path, g_strdup(pe));
		if (list_type == RDD_API_APPLY_LIST_MAP)
			rdd_api_apply_compare(NULL, g_hash_table_lookup(rindex, pe), items,
					      rdd_api_apply_is_resource(items), path, cmp, depth + 1);
		else
			rdd_api_apply_compare_leaf(NULL, g_hash_table_lookup(rindex, pe), path, cmp);
		rdd_api_apply_path_pop(path);
	}
	return TRUE;
}

/* what changed from @lhs to @rhs (either may be %NULL for absent), as kube's typed comparison */
static void
rdd_api_apply_compare(JsonNode *lhs,
		      JsonNode *rhs,
		      RddSchema *schema,
		      gboolean resource,
		      GPtrArray *path,
		      RddApiApplyComparison *cmp,
		      guint depth)
{
	gboolean lobj = lhs == NULL || JSON_NODE_HOLDS_OBJECT(lhs);
	gboolean robj = rhs == NULL || JSON_NODE_HOLDS_OBJECT(rhs);
	gboolean larr = lhs == NULL || JSON_NODE_HOLDS_ARRAY(lhs);
	gboolean rarr = rhs == NULL || JSON_NODE_HOLDS_ARRAY(rhs);
	RddApiApplyListType list_type;

	if (lhs == NULL && rhs == NULL)
		return;
	if (depth <= RDD_API_APPLY_MAX_DEPTH && lobj && robj && !rdd_api_apply_map_is_atomic(schema)) {
		rdd_api_apply_compare_object(lhs, rhs, schema, resource, path, cmp, depth);
		return;
	}
	list_type = rdd_api_apply_list_type(schema);
	if (depth <= RDD_API_APPLY_MAX_DEPTH && larr && rarr && list_type != RDD_API_APPLY_LIST_ATOMIC &&
	    rdd_api_apply_compare_list(lhs, rhs, schema, list_type, path, cmp, depth))
		return;
	rdd_api_apply_compare_leaf(lhs, rhs, path, cmp);
}

/* the fields that count for ownership: no server metadata, only status for the subresource */
static JsonNode *
rdd_api_apply_filter(JsonNode *object, RddKind *kind, gboolean status)
{
	g_autoptr(JsonObject) out = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (object != NULL && JSON_NODE_HOLDS_OBJECT(object)) {
		json_object_iter_init(&iter, json_node_get_object(object));
		while (json_object_iter_next(&iter, &key, &value)) {
			if (status) {
				if (g_strcmp0(key, "status") == 0)
					json_object_set_member(out, key, json_node_ref(value));
				continue;
			}
			if (g_strcmp0(key, "apiVersion") == 0 || g_strcmp0(key, "kind") == 0)
				continue;
			if (g_strcmp0(key, "status") == 0 && kind != NULL && rdd_kind_has_status(kind))
				continue;
			if (g_strcmp0(key, "metadata") == 0) {
				JsonObject *meta = json_object_new();
				JsonObjectIter miter;
				const gchar *mkey;
				JsonNode *mvalue;
				if (JSON_NODE_HOLDS_OBJECT(value)) {
					json_object_iter_init(&miter, json_node_get_object(value));
					while (json_object_iter_next(&miter, &mkey, &mvalue)) {
						if (!g_strv_contains(rdd_api_apply_meta_stripped, mkey))
							json_object_set_member(meta, mkey, json_node_ref(mvalue));
					}
				}
				json_object_set_object_member(out, key, meta);
				continue;
			}
			json_object_set_member(out, key, json_node_ref(value));
		}
	}
	json_node_set_object(node, out);
	return node;
}

static void
rdd_api_apply_comparison_init(RddApiApplyComparison *cmp, JsonNode *old_object, JsonNode *new_object, RddKind *kind, gboolean status)
{
	g_autoptr(JsonNode) lhs = rdd_api_apply_filter(old_object, kind, status);
	g_autoptr(JsonNode) rhs = rdd_api_apply_filter(new_object, kind, status);
	g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);

	cmp->added = rdd_api_apply_set_new();
	cmp->modified = rdd_api_apply_set_new();
	cmp->removed = rdd_api_apply_set_new();
	rdd_api_apply_compare(lhs, rhs, kind != NULL ? rdd_kind_get_schema(kind) : NULL, TRUE, path, cmp, 0);
	rdd_api_apply_set_strip(cmp->added);
	rdd_api_apply_set_strip(cmp->modified);
	rdd_api_apply_set_strip(cmp->removed);
}

/* pruning: fields the applier gave up that nobody else owns ----------------------------------------- */

/* declared (struct) fields above an owned field count as owned when pruning, as in kube */
static void
rdd_api_apply_set_ensure_named(RddApiApplySet *self, RddSchema *schema, gboolean resource, guint depth)
{
	if (self->children == NULL || depth > RDD_API_APPLY_MAX_DEPTH)
		return;
	for (GTreeNode *n = g_tree_node_first(self->children); n != NULL; n = g_tree_node_next(n)) {
		const gchar *pe = g_tree_node_key(n);
		RddApiApplySet *child = g_tree_node_value(n);
		if (g_str_has_prefix(pe, "f:")) {
			gboolean declared = FALSE;
			RddSchema *child_schema =
				rdd_api_apply_field_schema(schema, resource, pe + 2, &declared);
			if (declared && child->children != NULL && g_tree_nnodes(child->children) > 0)
				child->member = TRUE;
			rdd_api_apply_set_ensure_named(child, child_schema,
						       rdd_api_apply_is_resource(child_schema), depth + 1);
		} else if (g_str_has_prefix(pe, "k:")) {
			RddSchema *items = rdd_api_apply_items_schema(schema);
			rdd_api_apply_set_ensure_named(child, items,
						       rdd_api_apply_is_resource(items), depth + 1);
		}
	}
}

/* the index of the item of @arr at path element @pe, or -1 */
static gint
rdd_api_apply_find_item(JsonArray *arr, const gchar *pe)
{
	g_autoptr(JsonNode) want = rdd_json_parse(pe + 2, -1, NULL);

	if (want == NULL)
		return -1;
	for (guint i = 0; i < json_array_get_length(arr) && i < G_MAXINT; i++) {
		JsonNode *item = json_array_get_element(arr, i);
		if (g_str_has_prefix(pe, "v:")) {
			if (rdd_json_equal(item, want))
				return (gint)i;
		} else if (JSON_NODE_HOLDS_OBJECT(want) && JSON_NODE_HOLDS_OBJECT(item)) {
			JsonObjectIter iter;
			const gchar *key;
			JsonNode *value;
			gboolean match = TRUE;
			json_object_iter_init(&iter, json_node_get_object(want));
			while (match && json_object_iter_next(&iter, &key, &value))
				match = rdd_json_equal(
					json_object_get_member(json_node_get_object(item), key), value);
			if (match)
				return (gint)i;
		}
	}
	return -1;
}

typedef struct {
	RddApiApplySet *owned;
	RddApiApplySet *last;
	GPtrArray *doomed;	    /* (element-type GPtrArray) paths the applier owned, copied */
	GPtrArray *doomed_if_empty; /* parents of those, removed only if left empty */
} RddApiApplyPrune;

static void
rdd_api_apply_prune_cb(GPtrArray *path, gpointer user_data)
{
	RddApiApplyPrune *prune = user_data;
	RddApiApplySet *node = prune->owned;
	RddApiApplySet *last = prune->last;
	GPtrArray *copy;
	const gchar *first = g_ptr_array_index(path, 0);

	/* never the object's identity */
	if (path->len == 1 && (g_strcmp0(first, "f:metadata") == 0 ||
			       g_strcmp0(first, "f:apiVersion") == 0 || g_strcmp0(first, "f:kind") == 0))
		return;
	for (guint i = 0; i < path->len && node != NULL; i++)
		node = rdd_api_apply_set_lookup(node, g_ptr_array_index(path, i));
	if (!rdd_api_apply_set_is_empty(node))
		return;
	for (guint i = 0; i < path->len && last != NULL; i++)
		last = rdd_api_apply_set_lookup(last, g_ptr_array_index(path, i));
	copy = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < path->len; i++)
		g_ptr_array_add(copy, g_strdup(g_ptr_array_index(path, i)));
	g_ptr_array_add(last != NULL && last->member ? prune->doomed : prune->doomed_if_empty, copy);
}

static gboolean
rdd_api_apply_is_empty_value(JsonNode *node)
{
	if (node == NULL)
		return FALSE;
	if (JSON_NODE_HOLDS_OBJECT(node))
		return json_object_get_size(json_node_get_object(node)) == 0;
	if (JSON_NODE_HOLDS_ARRAY(node))
		return json_array_get_length(json_node_get_array(node)) == 0;
	return FALSE;
}

/* removes the value at @path from @root, if it is there (and empty, with @only_if_empty) */
static void
rdd_api_apply_remove_path(JsonNode *root, GPtrArray *path, gboolean only_if_empty)
{
	JsonNode *node = root;

	for (guint i = 0; i < path->len && node != NULL; i++) {
		const gchar *pe = g_ptr_array_index(path, i);
		gboolean last = i + 1 == path->len;
		if (g_str_has_prefix(pe, "f:") && JSON_NODE_HOLDS_OBJECT(node)) {
			JsonObject *obj = json_node_get_object(node);
			JsonNode *child = json_object_get_member(obj, pe + 2);
			if (last) {
				if (child != NULL && (!only_if_empty || rdd_api_apply_is_empty_value(child)))
					json_object_remove_member(obj, pe + 2);
				return;
			}
			node = child;
		} else if ((g_str_has_prefix(pe, "k:") || g_str_has_prefix(pe, "v:")) &&
			   JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *arr = json_node_get_array(node);
			gint idx = rdd_api_apply_find_item(arr, pe);
			if (idx < 0)
				return;
			if (last) {
				if (!only_if_empty ||
				    rdd_api_apply_is_empty_value(json_array_get_element(arr, (guint)idx)))
					json_array_remove_element(arr, (guint)idx);
				return;
			}
			node = json_array_get_element(arr, (guint)idx);
		} else {
			return;
		}
	}
}

/*
 * Removes from @merged what @last_set owned and nobody owns now, nor anything below it. The
 * declared fields above such a field (which kube also counts as owned) go only when they are
 * left empty: not every writer of the store records what it owns.
 */
static void
rdd_api_apply_prune(JsonNode *merged, RddApiApplySet *last_set, RddApiApplySet *owned, RddKind *kind)
{
	g_autoptr(RddApiApplySet) ensured = NULL;
	g_autoptr(GPtrArray) path = g_ptr_array_new();
	g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GPtrArray) doomed_if_empty = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	RddApiApplyPrune prune = {owned, last_set, doomed, doomed_if_empty};

	if (last_set == NULL)
		return;
	ensured = rdd_api_apply_set_copy(last_set);
	rdd_api_apply_set_ensure_named(ensured, rdd_kind_get_schema(kind), TRUE, 0);
	rdd_api_apply_set_foreach(ensured, path, rdd_api_apply_prune_cb, &prune);
	for (guint i = 0; i < doomed->len; i++)
		rdd_api_apply_remove_path(merged, g_ptr_array_index(doomed, i), FALSE);
	/* parents were visited first: children go first */
	for (guint i = doomed_if_empty->len; i > 0; i--)
		rdd_api_apply_remove_path(merged, g_ptr_array_index(doomed_if_empty, i - 1), TRUE);
}

/* managedFields entries ----------------------------------------------------------------------------- */

typedef struct {
	gchar *manager;
	gchar *operation;
	gchar *api_version;
	gchar *subresource; /* "" for the main resource */
	gchar *time;	    /* (nullable) */
	RddApiApplySet *set;
} RddApiApplyEntry;

static void
rdd_api_apply_entry_free(RddApiApplyEntry *entry)
{
	g_free(entry->manager);
	g_free(entry->operation);
	g_free(entry->api_version);
	g_free(entry->subresource);
	g_free(entry->time);
	rdd_api_apply_set_free(entry->set);
	g_free(entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddApiApplyEntry, rdd_api_apply_entry_free)

static RddApiApplyEntry *
rdd_api_apply_entry_new(const gchar *manager, const gchar *operation, const gchar *api_version, const gchar *subresource)
{
	RddApiApplyEntry *entry = g_new0(RddApiApplyEntry, 1);
	entry->manager = g_strdup(manager);
	entry->operation = g_strdup(operation);
	entry->api_version = g_strdup(api_version != NULL ? api_version : "");
	entry->subresource = g_strdup(subresource != NULL ? subresource : "");
	entry->set = rdd_api_apply_set_new();
	return entry;
}

static gint64
rdd_api_apply_entry_seconds(RddApiApplyEntry *entry)
{
	gint64 usec = 0;
	if (entry->time == NULL || !rdd_time_parse(entry->time, &usec, NULL))
		return 0;
	return usec >= 0 ? usec / G_USEC_PER_SEC : -((-usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* kube's order: Apply before Update, then by time, manager, apiVersion and subresource */
static gint
rdd_api_apply_entry_cmp(gconstpointer a, gconstpointer b)
{
	RddApiApplyEntry *p = *(RddApiApplyEntry **)a;
	RddApiApplyEntry *q = *(RddApiApplyEntry **)b;
	gint64 ps, qs;
	gint rc;

	rc = g_strcmp0(p->operation, q->operation);
	if (rc != 0)
		return rc;
	ps = rdd_api_apply_entry_seconds(p);
	qs = rdd_api_apply_entry_seconds(q);
	if (ps != qs)
		return ps < qs ? -1 : 1;
	rc = g_strcmp0(p->manager, q->manager);
	if (rc != 0)
		return rc;
	rc = g_strcmp0(p->api_version, q->api_version);
	if (rc != 0)
		return rc;
	return g_strcmp0(p->subresource, q->subresource);
}

static RddApiApplyEntry *
rdd_api_apply_entries_find(GPtrArray *entries, const gchar *manager, const gchar *operation, const gchar *subresource)
{
	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		if (g_strcmp0(entry->manager, manager) == 0 && g_strcmp0(entry->operation, operation) == 0 &&
		    g_strcmp0(entry->subresource, subresource != NULL ? subresource : "") == 0)
			return entry;
	}
	return NULL;
}

static RddApiApplyEntry *
rdd_api_apply_entry_parse(JsonNode *node, guint idx, GError **error)
{
	g_autoptr(RddApiApplyEntry) entry = NULL;
	g_autoptr(GError) error_local = NULL;
	JsonObject *obj;
	JsonNode *fields;
	const gchar *manager, *operation, *fields_type, *time;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "metadata.managedFields[%u]: must be an object", idx);
		return NULL;
	}
	obj = json_node_get_object(node);
	manager = rdd_api_apply_object_get_string(obj, "manager");
	operation = rdd_api_apply_object_get_string(obj, "operation");
	fields_type = rdd_api_apply_object_get_string(obj, "fieldsType");
	time = rdd_api_apply_object_get_string(obj, "time");
	if (g_strcmp0(operation, RDD_API_APPLY_OPERATION_APPLY) != 0 &&
	    g_strcmp0(operation, RDD_API_APPLY_OPERATION_UPDATE) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "metadata.managedFields[%u].operation: Unsupported value: must be \"Apply\" or "
			    "\"Update\"",
			    idx);
		return NULL;
	}
	if (g_strcmp0(fields_type, "FieldsV1") != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "metadata.managedFields[%u].fieldsType: Unsupported value: must be \"FieldsV1\"",
			    idx);
		return NULL;
	}
	if (time != NULL && !rdd_time_parse(time, NULL, NULL)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "metadata.managedFields[%u].time: Invalid value: \"%s\": must be an RFC 3339 time",
			    idx, time);
		return NULL;
	}
	entry = rdd_api_apply_entry_new(manager != NULL ? manager : "", operation,
					rdd_api_apply_object_get_string(obj, "apiVersion"),
					rdd_api_apply_object_get_string(obj, "subresource"));
	entry->time = g_strdup(time);
	fields = json_object_get_member(obj, "fieldsV1");
	if (fields != NULL && !JSON_NODE_HOLDS_NULL(fields)) {
		RddApiApplySet *set = rdd_api_apply_set_from_json(fields, 0, &error_local);
		if (set == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "metadata.managedFields[%u].%s", idx, error_local->message);
			return NULL;
		}
		rdd_api_apply_set_free(entry->set);
		entry->set = set;
	}
	return g_steal_pointer(&entry);
}

/* (element-type RddApiApplyEntry): @managed parsed, entries with the same identity merged */
static GPtrArray *
rdd_api_apply_entries_parse(JsonNode *managed, GError **error)
{
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_api_apply_entry_free);
	JsonArray *arr;

	if (managed == NULL || JSON_NODE_HOLDS_NULL(managed))
		return g_steal_pointer(&entries);
	if (!JSON_NODE_HOLDS_ARRAY(managed)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.managedFields: must be a list");
		return NULL;
	}
	arr = json_node_get_array(managed);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		RddApiApplyEntry *entry = rdd_api_apply_entry_parse(json_array_get_element(arr, i), i, error);
		RddApiApplyEntry *same;
		if (entry == NULL)
			return NULL;
		same = rdd_api_apply_entries_find(entries, entry->manager, entry->operation, entry->subresource);
		if (same == NULL) {
			g_ptr_array_add(entries, entry);
			continue;
		}
		rdd_api_apply_set_union(same->set, entry->set);
		if (rdd_api_apply_entry_seconds(entry) > rdd_api_apply_entry_seconds(same)) {
			g_free(same->time);
			same->time = g_steal_pointer(&entry->time);
		}
		rdd_api_apply_entry_free(entry);
	}
	return g_steal_pointer(&entries);
}

/* the entries of a stored object; entries the server cannot read are dropped */
static GPtrArray *
rdd_api_apply_entries_from_meta(JsonObject *meta)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_api_apply_entry_free);
	JsonNode *managed = meta != NULL ? json_object_get_member(meta, "managedFields") : NULL;
	JsonArray *arr;

	if (managed == NULL || !JSON_NODE_HOLDS_ARRAY(managed))
		return entries;
	arr = json_node_get_array(managed);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		g_autoptr(GError) error_local = NULL;
		RddApiApplyEntry *entry =
			rdd_api_apply_entry_parse(json_array_get_element(arr, i), i, &error_local);
		RddApiApplyEntry *same;
		if (entry == NULL) {
			g_debug("ignoring a stored managedFields entry: %s", error_local->message);
			continue;
		}
		same = rdd_api_apply_entries_find(entries, entry->manager, entry->operation, entry->subresource);
		if (same == NULL) {
			g_ptr_array_add(entries, entry);
			continue;
		}
		rdd_api_apply_set_union(same->set, entry->set);
		rdd_api_apply_entry_free(entry);
	}
	return entries;
}

/* merges the oldest Update entries into one bucket while there are too many, as kube does */
static void
rdd_api_apply_entries_cap(GPtrArray *entries)
{
	g_autoptr(GPtrArray) updates = g_ptr_array_new();
	guint n_updates;

	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		if (g_strcmp0(entry->operation, RDD_API_APPLY_OPERATION_UPDATE) == 0 &&
		    !rdd_api_apply_set_is_empty(entry->set))
			g_ptr_array_add(updates, entry);
	}
	n_updates = updates->len;
	if (n_updates <= RDD_API_APPLY_MAX_UPDATE_MANAGERS)
		return;
	g_ptr_array_sort(updates, rdd_api_apply_entry_cmp);
	for (guint i = 0; i < updates->len && n_updates > RDD_API_APPLY_MAX_UPDATE_MANAGERS; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(updates, i);
		RddApiApplyEntry *bucket;
		if (g_strcmp0(entry->manager, RDD_API_APPLY_BUCKET_MANAGER) == 0 && entry->subresource[0] == '\0')
			continue;
		bucket = rdd_api_apply_entries_find(entries, RDD_API_APPLY_BUCKET_MANAGER,
						    RDD_API_APPLY_OPERATION_UPDATE, "");
		if (bucket == NULL) {
			bucket = rdd_api_apply_entry_new(RDD_API_APPLY_BUCKET_MANAGER, RDD_API_APPLY_OPERATION_UPDATE,
							 entry->api_version, "");
			g_ptr_array_add(entries, bucket);
			n_updates++;
		}
		rdd_api_apply_set_union(bucket->set, entry->set);
		g_free(bucket->time);
		bucket->time = g_strdup(entry->time);
		g_ptr_array_remove(entries, entry);
		n_updates--;
	}
}

/* (nullable): the entries as `metadata.managedFields`, sorted, empty entries left out */
static JsonNode *
rdd_api_apply_entries_to_json(GPtrArray *entries)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	g_autoptr(JsonArray) arr = json_array_new();
	JsonNode *node;

	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		if (!rdd_api_apply_set_is_empty(entry->set))
			g_ptr_array_add(sorted, entry);
	}
	if (sorted->len == 0)
		return NULL;
	g_ptr_array_sort(sorted, rdd_api_apply_entry_cmp);
	for (guint i = 0; i < sorted->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(sorted, i);
		JsonObject *obj = json_object_new();
		json_object_set_string_member(obj, "apiVersion", entry->api_version);
		json_object_set_string_member(obj, "fieldsType", "FieldsV1");
		json_object_set_member(obj, "fieldsV1", rdd_api_apply_set_to_json(entry->set, TRUE));
		json_object_set_string_member(obj, "manager", entry->manager);
		json_object_set_string_member(obj, "operation", entry->operation);
		if (entry->subresource[0] != '\0')
			json_object_set_string_member(obj, "subresource", entry->subresource);
		if (entry->time != NULL)
			json_object_set_string_member(obj, "time", entry->time);
		json_array_add_object_element(arr, obj);
	}
	node = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(node, arr);
	return node;
}

static void
rdd_api_apply_entries_store(GPtrArray *entries, JsonObject *meta)
{
	JsonNode *node = rdd_api_apply_entries_to_json(entries);
	if (node != NULL)
		json_object_set_member(meta, "managedFields", node);
	else if (json_object_has_member(meta, "managedFields"))
		json_object_remove_member(meta, "managedFields");
}

/* conflicts ------------------------------------------------------------------------------------------ */

/* how kube names a manager in a conflict: `"name"`, with subresource and apiVersion for updates */
static gchar *
rdd_api_apply_entry_describe(RddApiApplyEntry *entry)
{
	GString *out = g_string_new(NULL);
	rdd_json_write_string(out, entry->manager);
	if (entry->subresource[0] != '\0') {
		g_string_append(out, " with subresource ");
		rdd_json_write_string(out, entry->subresource);
	}
	if (g_strcmp0(entry->operation, RDD_API_APPLY_OPERATION_UPDATE) == 0)
		g_string_append_printf(out, " using %s", entry->api_version);
	return g_string_free(out, FALSE);
}

typedef struct {
	gchar *manager; /* described */
	gchar *path;
	guint seq;
} RddApiApplyConflict;

static void
rdd_api_apply_conflict_free(RddApiApplyConflict *conflict)
{
	g_free(conflict->manager);
	g_free(conflict->path);
	g_free(conflict);
}

typedef struct {
	GPtrArray *conflicts;
	const gchar *manager;
} RddApiApplyConflictCollect;

static void
rdd_api_apply_conflict_cb(GPtrArray *path, gpointer user_data)
{
	RddApiApplyConflictCollect *collect = user_data;
	RddApiApplyConflict *conflict = g_new0(RddApiApplyConflict, 1);
	conflict->manager = g_strdup(collect->manager);
	conflict->path = rdd_api_apply_path_to_string(path);
	conflict->seq = collect->conflicts->len;
	g_ptr_array_add(collect->conflicts, conflict);
}

static gint
rdd_api_apply_conflict_cmp(gconstpointer a, gconstpointer b)
{
	RddApiApplyConflict *p = *(RddApiApplyConflict **)a;
	RddApiApplyConflict *q = *(RddApiApplyConflict **)b;
	gint rc = g_strcmp0(p->manager, q->manager);
	if (rc != 0)
		return rc;
	return p->seq < q->seq ? -1 : (p->seq > q->seq ? 1 : 0);
}

static void
rdd_api_apply_conflict_error(GError **error, GPtrArray *conflicts)
{
	g_autoptr(GString) msg = g_string_new(NULL);
	GError *error_local;

	g_ptr_array_sort(conflicts, rdd_api_apply_conflict_cmp);
	if (conflicts->len == 1) {
		RddApiApplyConflict *conflict = g_ptr_array_index(conflicts, 0);
		g_string_append_printf(msg, "Apply failed with 1 conflict: conflict with %s: %s",
				       conflict->manager, conflict->path);
	} else {
		const gchar *last = NULL;
		g_string_append_printf(msg, "Apply failed with %u conflicts: ", conflicts->len);
		for (guint i = 0; i < conflicts->len; i++) {
			RddApiApplyConflict *conflict = g_ptr_array_index(conflicts, i);
			if (g_strcmp0(last, conflict->manager) != 0) {
				if (last != NULL)
					g_string_append_c(msg, '\n');
				g_string_append_printf(msg, "conflicts with %s:", conflict->manager);
				last = conflict->manager;
			}
			g_string_append_printf(msg, "\n- %s", conflict->path);
		}
	}
	error_local = g_error_new_literal(RDD_ERROR, RDD_ERROR_CONFLICT, msg->str);
	for (guint i = 0; i < conflicts->len; i++) {
		RddApiApplyConflict *conflict = g_ptr_array_index(conflicts, i);
		g_autofree gchar *cause = g_strdup_printf("conflict with %s", conflict->manager);
		rdd_error_add_cause(error_local, "FieldManagerConflict", conflict->path, cause);
	}
	g_propagate_error(error, error_local);
}

/* apply ------------------------------------------------------------------------------------------------ */

static gboolean
rdd_api_apply_check_manager(const gchar *manager, GError **error)
{
	const gchar *end = NULL;

	if (strlen(manager) > RDD_API_APPLY_MAX_MANAGER_LEN) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "fieldManager: Too long: may not be more than %u bytes",
			    (guint)RDD_API_APPLY_MAX_MANAGER_LEN);
		return FALSE;
	}
	if (!g_utf8_validate(manager, -1, &end)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "fieldManager: Invalid value: not valid UTF-8 at byte %u", (guint)(end - manager));
		return FALSE;
	}
	for (const gchar *p = manager; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_isprint(c)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "fieldManager: Invalid value: invalid character U+%04X (at position %u): "
				    "must be printable",
				    c, (guint)(p - manager));
			return FALSE;
		}
	}
	return TRUE;
}

/* metadata.uid and metadata.resourceVersion in an applied configuration are preconditions */
static gboolean
rdd_api_apply_check_preconditions(RddKind *kind, JsonNode *applied, RddObject *live, GError **error)
{
	JsonObject *meta = rdd_json_lookup_object(applied, "metadata");
	const gchar *uid = rdd_api_apply_object_get_string(meta, "uid");
	const gchar *rv = rdd_api_apply_object_get_string(meta, "resourceVersion");
	g_autofree gchar *live_rv = NULL;

	if (live == NULL) {
		if (rv != NULL && rv[0] != '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
				    "Operation cannot be fulfilled on %s \"%s\": the object does not exist, "
				    "but the applied configuration requires resourceVersion %s",
				    rdd_kind_get_qualified_plural(kind),
				    rdd_api_apply_object_get_string(meta, "name"), rv);
			return FALSE;
		}
		return TRUE;
	}
	if (uid != NULL && uid[0] != '\0' && g_strcmp0(uid, rdd_object_get_uid(live)) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": Precondition failed: UID in "
			    "precondition: %s, UID in object meta: %s",
			    rdd_kind_get_qualified_plural(kind), rdd_object_get_name(live), uid,
			    rdd_object_get_uid(live));
		return FALSE;
	}
	live_rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(live));
	if (rv != NULL && rv[0] != '\0' && g_strcmp0(rv, live_rv) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
			    "please apply your changes to the latest version and try again",
			    rdd_kind_get_qualified_plural(kind), rdd_object_get_name(live));
		return FALSE;
	}
	return TRUE;
}

static RddObject *
rdd_api_apply_create(RddStore *store,
		     RddKind *kind,
		     const gchar *namespace,
		     const gchar *name,
		     JsonNode *applied,
		     RddApiApplySet *set,
		     const gchar *field_manager,
		     const RddWriteOptions *options,
		     GError **error)
{
	g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_api_apply_entry_free);
	g_autoptr(JsonNode) body = NULL;
	RddApiApplyEntry *entry;
	JsonObject *meta;

	/* merged into nothing: nulls drop out */
	body = rdd_api_apply_merge(NULL, applied, rdd_kind_get_schema(kind), TRUE, path, 0, error);
	if (body == NULL)
		return NULL;
	json_object_set_string_member(json_node_get_object(body), "apiVersion", rdd_kind_get_api_version(kind));
	json_object_set_string_member(json_node_get_object(body), "kind", rdd_kind_get_name(kind));
	meta = rdd_json_object_ensure_object(json_node_get_object(body), "metadata");
	if (!json_object_has_member(meta, "name"))
		json_object_set_string_member(meta, "name", name);
	if (namespace != NULL && namespace[0] != '\0' && !json_object_has_member(meta, "namespace"))
		json_object_set_string_member(meta, "namespace", namespace);
	if (json_object_has_member(meta, "resourceVersion"))
		json_object_remove_member(meta, "resourceVersion");
	entry = rdd_api_apply_entry_new(field_manager, RDD_API_APPLY_OPERATION_APPLY,
					rdd_kind_get_api_version(kind), "");
	rdd_api_apply_set_union(entry->set, set);
	entry->time = rdd_time_format_now();
	g_ptr_array_add(entries, entry);
	rdd_api_apply_entries_store(entries, meta);
	return rdd_store_create(store, body, options, error);
}

/*
 * Writes a status apply. The store keeps metadata from the stored object in a status write, so
 * when the managedFields did not make it, a second (main resource) write records them; once the
 * store takes managedFields from status writes, as kube's status strategy does, it is a no-op.
 */
static RddObject *
rdd_api_apply_write_status(RddStore *store, JsonNode *merged, const RddWriteOptions *options, GError **error)
{
	g_autoptr(RddObject) obj = rdd_store_update_status(store, merged, options, error);
	g_autoptr(JsonNode) stored_meta = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonNode *want = rdd_json_lookup(merged, "metadata.managedFields");
	JsonObject *meta;

	if (obj == NULL)
		return NULL;
	if (options->dry_run)
		return g_steal_pointer(&obj);
	stored_meta = rdd_object_dup_member(obj, "metadata");
	if (rdd_json_equal(rdd_json_lookup(stored_meta, "managedFields"), want))
		return g_steal_pointer(&obj);
	node = rdd_object_dup_node(obj);
	meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	if (want != NULL)
		json_object_set_member(meta, "managedFields", rdd_json_deep_copy(want));
	else if (json_object_has_member(meta, "managedFields"))
		json_object_remove_member(meta, "managedFields");
	return rdd_store_update(store, node, options, error);
}

static RddObject *
rdd_api_apply_update(RddStore *store,
		     RddKind *kind,
		     RddObject *live,
		     JsonNode *intent,
		     RddApiApplySet *set,
		     const gchar *field_manager,
		     gboolean force,
		     gboolean status,
		     const RddWriteOptions *options,
		     gboolean *retry,
		     GError **error)
{
	const gchar *subresource = status ? "status" : "";
	g_autoptr(JsonNode) live_node = rdd_object_dup_node(live);
	g_autoptr(JsonNode) merged = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) conflicts =
		g_ptr_array_new_with_free_func((GDestroyNotify)rdd_api_apply_conflict_free);
	g_autoptr(RddApiApplySet) owned = rdd_api_apply_set_new();
	g_autoptr(RddApiApplySet) last_set = NULL;
	g_autoptr(RddApiApplySet) changed = rdd_api_apply_set_new();
	g_autoptr(GError) error_local = NULL;
	g_auto(RddApiApplyComparison) cmp = {NULL};
	RddApiApplyEntry *own;
	gboolean content_changed;
	RddObject *obj;

	entries = rdd_api_apply_entries_from_meta(rdd_json_lookup_object(live_node, "metadata"));
	own = rdd_api_apply_entries_find(entries, field_manager, RDD_API_APPLY_OPERATION_APPLY, subresource);
	if (own != NULL)
		last_set = rdd_api_apply_set_copy(own->set);

	/* the object the manager asks for: its configuration merged in, what it gave up pruned */
	merged = rdd_api_apply_merge(live_node, intent, rdd_kind_get_schema(kind), TRUE, path, 0, error);
	if (merged == NULL)
		return NULL;
	rdd_api_apply_set_union(owned, set);
	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		if (entry != own)
			rdd_api_apply_set_union(owned, entry->set);
	}
	rdd_api_apply_prune(merged, last_set, owned, kind);

	/* other managers' fields this changes are conflicts, unless forced */
	rdd_api_apply_comparison_init(&cmp, live_node, merged, kind, status);
	rdd_api_apply_set_union(changed, cmp.added);
	rdd_api_apply_set_union(changed, cmp.modified);
	{
		/* a field the configuration sets to null is removed, and that changes it too */
		g_autoptr(RddApiApplySet) unset = rdd_api_apply_set_intersect(cmp.removed, set);
		rdd_api_apply_set_union(changed, unset);
	}
	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		g_autoptr(RddApiApplySet) clash = NULL;
		g_autoptr(GPtrArray) stack = NULL;
		g_autofree gchar *who = NULL;
		RddApiApplyConflictCollect collect = {conflicts, NULL};

		if (entry == own)
			continue;
		clash = rdd_api_apply_set_intersect(entry->set, changed);
		if (rdd_api_apply_set_is_empty(clash))
			continue;
		if (force) {
			rdd_api_apply_set_subtract(entry->set, clash);
			continue;
		}
		who = rdd_api_apply_entry_describe(entry);
		collect.manager = who;
		stack = g_ptr_array_new();
		rdd_api_apply_set_foreach(clash, stack, rdd_api_apply_conflict_cb, &collect);
	}
	if (conflicts->len > 0) {
		rdd_api_apply_conflict_error(error, conflicts);
		return NULL;
	}
	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		if (entry != own)
			rdd_api_apply_set_subtract(entry->set, cmp.removed);
	}

	/* the manager now owns exactly what it applied */
	content_changed = !rdd_api_apply_set_is_empty(cmp.added) ||
			  !rdd_api_apply_set_is_empty(cmp.modified) ||
			  !rdd_api_apply_set_is_empty(cmp.removed);
	if (own == NULL) {
		own = rdd_api_apply_entry_new(field_manager, RDD_API_APPLY_OPERATION_APPLY,
					      rdd_kind_get_api_version(kind), subresource);
		g_ptr_array_add(entries, own);
	}
	if (own->time == NULL || content_changed || !rdd_api_apply_set_equal(own->set, set)) {
		g_free(own->time);
		own->time = rdd_time_format_now();
	}
	g_free(own->api_version);
	own->api_version = g_strdup(rdd_kind_get_api_version(kind));
	rdd_api_apply_set_free(own->set);
	own->set = rdd_api_apply_set_copy(set);
	rdd_api_apply_entries_store(
		entries, rdd_json_object_ensure_object(json_node_get_object(merged), "metadata"));

	/* the live resourceVersion is the write's precondition */
	if (status)
		obj = rdd_api_apply_write_status(store, merged, options, &error_local);
	else
		obj = rdd_store_update(store, merged, options, &error_local);
	if (obj == NULL) {
		*retry = g_error_matches(error_local, RDD_ERROR, RDD_ERROR_CONFLICT);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return obj;
}

/**
 * rdd_api_apply:
 * @store: the store
 * @kind: the kind of the object
 * @namespace: (nullable): the namespace, for namespaced kinds
 * @name: the name of the object
 * @applied: the applied configuration, already checked against the request path
 * @field_manager: who applies
 * @force: take fields other managers own instead of failing with a conflict
 * @status: apply to the status subresource
 * @options: (nullable): write options; a dry run computes and validates but stores nothing
 * @created: (out) (optional): set to %TRUE when the object was created
 * @error: return location for an error
 *
 * Server-side apply: @applied is the whole intent of @field_manager. A missing object is created
 * from it; otherwise it is merged into the live object (maps recursively, lists of
 * `x-kubernetes-list-type` `map` by their keys and `set` by value, other lists replaced), the
 * fields the manager applied before and no longer applies are removed unless another manager
 * owns them, and `metadata.managedFields` records what every manager owns. Changing a field
 * another manager owns fails with %RDD_ERROR_CONFLICT (with one `FieldManagerConflict` cause per
 * field) unless @force is set, in which case the other manager loses the field.
 *
 * Returns: (transfer full): the stored object (on a dry run, the object that would be
 *   stored), or %NULL with an error
 *
 * Since: 0.1
 */
RddObject *
rdd_api_apply(RddStore *store,
	      RddKind *kind,
	      const gchar *namespace,
	      const gchar *name,
	      JsonNode *applied,
	      const gchar *field_manager,
	      gboolean force,
	      gboolean status,
	      const RddWriteOptions *options,
	      gboolean *created,
	      GError **error)
{
	RddWriteOptions opts = {0};
	g_autoptr(JsonNode) intent = NULL;
	g_autoptr(RddApiApplySet) set = rdd_api_apply_set_new();
	g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);
	JsonNode *managed;

	g_return_val_if_fail(RDD_IS_STORE(store), NULL);
	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(applied != NULL, NULL);
	g_return_val_if_fail(field_manager != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (created != NULL)
		*created = FALSE;
	if (options != NULL)
		opts = *options;
	opts.field_manager = field_manager;
	if (field_manager[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "PATCH, with an apply patch, must have a fieldManager");
		return NULL;
	}
	if (!rdd_api_apply_check_manager(field_manager, error))
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(applied)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "the applied configuration must be an object");
		return NULL;
	}
	managed = rdd_json_lookup(applied, "metadata.managedFields");
	if (managed != NULL && !JSON_NODE_HOLDS_NULL(managed)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "metadata.managedFields must be nil: an applied configuration cannot set "
				    "field ownership");
		return NULL;
	}
	if (status && !rdd_kind_has_status(kind)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "%s has no status subresource",
			    rdd_kind_get_qualified_plural(kind));
		return NULL;
	}

	/* what the manager will own: the configuration without server fields (and outside the
	 * subresource); this is also what gets merged */
	intent = rdd_api_apply_filter(applied, kind, status);
	if (!rdd_api_apply_to_set(intent, rdd_kind_get_schema(kind), TRUE, set, path, 0, error))
		return NULL;
	rdd_api_apply_set_strip(set);

	for (guint attempt = 1;; attempt++) {
		g_autoptr(RddObject) live = rdd_store_lookup(store, kind, namespace, name);
		g_autoptr(GError) error_local = NULL;
		gboolean retry = FALSE;
		RddObject *obj;

		if (!rdd_api_apply_check_preconditions(kind, applied, live, error))
			return NULL;
		if (live == NULL) {
			if (status) {
				/* the status of a missing object cannot be applied; the store says so */
				g_autoptr(RddObject) again =
					rdd_store_get(store, kind, namespace, name, error);
				if (again == NULL)
					return NULL;
				if (attempt >= RDD_API_APPLY_MAX_ATTEMPTS) {
					g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
						    "%s \"%s\" kept changing while it was applied",
						    rdd_kind_get_qualified_plural(kind), name);
					return NULL;
				}
				continue;
			}
			obj = rdd_api_apply_create(store, kind, namespace, name, applied, set,
						   field_manager, &opts, &error_local);
			if (obj != NULL) {
				if (created != NULL)
					*created = TRUE;
				return obj;
			}
			retry = g_error_matches(error_local, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
		} else {
			obj = rdd_api_apply_update(store, kind, live, intent, set, field_manager,
						   force, status, &opts, &retry, &error_local);
			if (obj != NULL)
				return obj;
		}
		if (!retry || attempt >= RDD_API_APPLY_MAX_ATTEMPTS) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_debug("apply of %s/%s by %s raced with another write, attempt %u",
			rdd_kind_get_qualified_plural(kind), name, field_manager, attempt + 1);
	}
}

/* updates ------------------------------------------------------------------------------------------ */

/**
 * rdd_api_apply_record_update_full:
 * @kind: (nullable): the kind, for its schema; without one, lists are atomic
 * @new_object: the object about to be written by a create, update or patch; its
 *   `metadata.managedFields` is rewritten in place
 * @old_object: (nullable): the stored object, %NULL for a create
 * @manager: (nullable): the writer's field manager; %NULL or empty gives `unknown`
 * @subresource: (nullable): `status` for a write of the status subresource
 *
 * Records an `Update` entry for @manager owning the fields the write changes, as kube-apiserver
 * does for writes that are not applies: other managers lose the fields that change, and every
 * manager loses the fields the write removes. When @new_object carries no `managedFields` (or
 * an empty list) those of @old_object are kept; a list of one empty entry (`[{}]`) clears them;
 * another list is taken as the new ownership, unless it cannot be read (then the stored one
 * is kept). A status write always starts from the stored entries.
 *
 * Since: 0.1
 */
void
rdd_api_apply_record_update_full(RddKind *kind,
				 JsonNode *new_object,
				 RddObject *old_object,
				 const gchar *manager,
				 const gchar *subresource)
{
	gboolean status = g_strcmp0(subresource, "status") == 0;
	const gchar *sub = subresource != NULL ? subresource : "";
	g_autoptr(JsonNode) old_node = NULL;
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(RddApiApplySet) changed = rdd_api_apply_set_new();
	g_auto(RddApiApplyComparison) cmp = {NULL};
	JsonObject *meta;
	JsonNode *given;
	RddApiApplyEntry *own;
	const gchar *api_version;

	g_return_if_fail(new_object != NULL && JSON_NODE_HOLDS_OBJECT(new_object));

	if (manager == NULL || manager[0] == '\0')
		manager = "unknown";
	if (kind == NULL && old_object != NULL)
		kind = rdd_object_get_kind(old_object);
	if (old_object != NULL)
		old_node = rdd_object_dup_node(old_object);
	/* malformed metadata is the store's to report */
	given = json_object_get_member(json_node_get_object(new_object), "metadata");
	if (given != NULL && !JSON_NODE_HOLDS_OBJECT(given))
		return;
	meta = rdd_json_object_ensure_object(json_node_get_object(new_object), "metadata");
	given = json_object_get_member(meta, "managedFields");

	if (!status && given != NULL && JSON_NODE_HOLDS_ARRAY(given) &&
	    json_array_get_length(json_node_get_array(given)) == 1 &&
	    JSON_NODE_HOLDS_OBJECT(json_array_get_element(json_node_get_array(given), 0)) &&
	    json_object_get_size(json_array_get_object_element(json_node_get_array(given), 0)) == 0) {
		/* [{}] resets ownership */
		entries = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_api_apply_entry_free);
	} else if (!status && given != NULL && JSON_NODE_HOLDS_ARRAY(given) &&
		   json_array_get_length(json_node_get_array(given)) > 0) {
		g_autoptr(GError) error_local = NULL;
		entries = rdd_api_apply_entries_parse(given, &error_local);
		if (entries == NULL)
			g_debug("ignoring managedFields the client sent: %s", error_local->message);
	}
	if (entries == NULL)
		entries = rdd_api_apply_entries_from_meta(rdd_json_lookup_object(old_node, "metadata"));

	rdd_api_apply_comparison_init(&cmp, old_node, new_object, kind, status);
	rdd_api_apply_set_union(changed, cmp.added);
	rdd_api_apply_set_union(changed, cmp.modified);

	own = rdd_api_apply_entries_find(entries, manager, RDD_API_APPLY_OPERATION_UPDATE, sub);
	for (guint i = 0; i < entries->len; i++) {
		RddApiApplyEntry *entry = g_ptr_array_index(entries, i);
		rdd_api_apply_set_subtract(entry->set, cmp.removed);
		if (entry != own)
			rdd_api_apply_set_subtract(entry->set, changed);
	}
	if (!rdd_api_apply_set_is_empty(changed)) {
		api_version = kind != NULL ? rdd_kind_get_api_version(kind) :
					     rdd_api_apply_object_get_string(
						     json_node_get_object(new_object), "apiVersion");
		if (own == NULL) {
			own = rdd_api_apply_entry_new(manager, RDD_API_APPLY_OPERATION_UPDATE, api_version, sub);
			g_ptr_array_add(entries, own);
		}
		rdd_api_apply_set_union(own->set, changed);
		g_free(own->time);
		own->time = rdd_time_format_now();
	}
	rdd_api_apply_entries_cap(entries);
	rdd_api_apply_entries_store(entries, meta);
}

/**
 * rdd_api_apply_record_update:
 * @new_object: the object about to be written; its `metadata.managedFields` is rewritten
 * @old_object: (nullable): the stored object, %NULL for a create
 * @manager: (nullable): the writer's field manager
 *
 * rdd_api_apply_record_update_full() for a write of the main resource, with the kind of
 * @old_object.
 *
 * Since: 0.1
 */
void
rdd_api_apply_record_update(JsonNode *new_object, RddObject *old_object, const gchar *manager)
{
	rdd_api_apply_record_update_full(NULL, new_object, old_object, manager, NULL);
}

/**
 * rdd_api_apply_default_manager:
 * @user_agent: (nullable): the request's User-Agent
 *
 * The field manager of a write that names none, as kube-apiserver derives it: the User-Agent up
 * to its first `/` (`kubectl-edit/v1.32.0 (linux/amd64)` gives `kubectl-edit`), printable
 * characters only, at most 128 bytes; `unknown` when that leaves nothing.
 *
 * Returns: (transfer full): the manager name
 *
 * Since: 0.1
 */
gchar *
rdd_api_apply_default_manager(const gchar *user_agent)
{
	GString *out = g_string_new(NULL);

	for (const gchar *p = user_agent; p != NULL && *p != '\0' && *p != '/';) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const gchar *next;
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		if (g_unichar_isprint(c)) {
			if (out->len + (gsize)(next - p) > RDD_API_APPLY_MAX_MANAGER_LEN)
				break;
			g_string_append_len(out, p, next - p);
		}
		p = next;
	}
	if (out->len == 0)
		g_string_append(out, "unknown");
	return g_string_free(out, FALSE);
}
