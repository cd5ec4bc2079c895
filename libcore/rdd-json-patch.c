/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"

/* JSON merge patch (RFC 7386) ---------------------------------------------------------------- */

static gboolean
rdd_json_patch_is_object(JsonNode *node)
{
	return node != NULL && json_node_get_node_type(node) == JSON_NODE_OBJECT;
}

static gboolean
rdd_json_patch_is_null(JsonNode *node)
{
	return node == NULL || json_node_get_node_type(node) == JSON_NODE_NULL;
}

static JsonNode *
rdd_json_patch_merge(JsonNode *target, JsonNode *patch)
{
	JsonObject *pobj;
	g_autoptr(JsonObject) result = NULL;
	JsonObjectIter iter;
	const gchar *key = NULL;
	JsonNode *value = NULL;

	if (!rdd_json_patch_is_object(patch))
		return rdd_json_deep_copy(patch);

	pobj = json_node_get_object(patch);
	result = json_object_new();

	/* members of the target first, in their order, patched or removed */
	if (rdd_json_patch_is_object(target)) {
		JsonObject *tobj = json_node_get_object(target);
		json_object_iter_init_ordered(&iter, tobj);
		while (json_object_iter_next_ordered(&iter, &key, &value)) {
			JsonNode *pvalue = json_object_get_member(pobj, key);
			if (pvalue == NULL)
				json_object_set_member(result, key, rdd_json_deep_copy(value));
			else if (!rdd_json_patch_is_null(pvalue))
				json_object_set_member(result, key, rdd_json_patch_merge(value, pvalue));
		}
		/* then the members only the patch has, in the patch's order */
		json_object_iter_init_ordered(&iter, pobj);
		while (json_object_iter_next_ordered(&iter, &key, &value)) {
			if (rdd_json_patch_is_null(value) || json_object_has_member(tobj, key))
				continue;
			json_object_set_member(result, key, rdd_json_patch_merge(NULL, value));
		}
	} else {
		json_object_iter_init_ordered(&iter, pobj);
		while (json_object_iter_next_ordered(&iter, &key, &value)) {
			if (rdd_json_patch_is_null(value))
				continue;
			json_object_set_member(result, key, rdd_json_patch_merge(NULL, value));
		}
	}
	return json_node_init_object(json_node_alloc(), result);
}

/**
 * rdd_json_merge_patch:
 * @target: (nullable): the document to patch; %NULL is treated as `null`
 * @patch: the merge patch
 *
 * Applies an RFC 7386 JSON merge patch: an object patch is merged into the target member by
 * member, recursively, with `null` members deleting; any other patch replaces the whole target.
 * Neither argument is modified. Members of the target keep their order; new members follow in
 * the order of the patch.
 *
 * The result is never nested deeper than the deeper of @target and @patch.
 *
 * Returns: (transfer full): the patched document, a new unsealed node
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_merge_patch(JsonNode *target, JsonNode *patch)
{
	g_return_val_if_fail(patch != NULL, NULL);
	return rdd_json_patch_merge(target, patch);
}

/* JSON pointer (RFC 6901) -------------------------------------------------------------------- */

/* parses @pointer into its unescaped reference tokens */
static GPtrArray *
rdd_json_patch_pointer_parse(const gchar *pointer, GError **error)
{
	g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);
	const gchar *p = pointer;

	if (pointer[0] == '\0')
		return g_steal_pointer(&tokens);
	if (pointer[0] != '/') {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "invalid JSON pointer \"%s\": it must be empty or start with '/'", pointer);
		return NULL;
	}
	while (*p == '/') {
		GString *tok = g_string_new(NULL);
		p++;
		while (*p != '\0' && *p != '/') {
			if (*p == '~') {
				if (p[1] == '0') {
					g_string_append_c(tok, '~');
				} else if (p[1] == '1') {
					g_string_append_c(tok, '/');
				} else {
					g_string_free(tok, TRUE);
					g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
						    "invalid JSON pointer \"%s\": '~' at offset %u "
						    "must be followed by '0' or '1'",
						    pointer, (guint)(p - pointer));
					return NULL;
				}
				p += 2;
				continue;
			}
			g_string_append_c(tok, *p);
			p++;
		}
		g_ptr_array_add(tokens, g_string_free(tok, FALSE));
	}
	return g_steal_pointer(&tokens);
}

/* formats the first @n tokens back into a pointer, for messages */
static gchar *
rdd_json_patch_pointer_format(GPtrArray *tokens, guint n)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < n && i < tokens->len; i++) {
		const gchar *tok = g_ptr_array_index(tokens, i);
		g_string_append_c(str, '/');
		for (const gchar *c = tok; *c != '\0'; c++) {
			if (*c == '~')
				g_string_append(str, "~0");
			else if (*c == '/')
				g_string_append(str, "~1");
			else
				g_string_append_c(str, *c);
		}
	}
	if (str->len == 0)
		g_string_append(str, "the document root");
	return g_string_free(str, FALSE);
}

/* an array index: decimal digits without leading zeros */
static gboolean
rdd_json_patch_parse_index(const gchar *tok, guint *index)
{
	guint64 v = 0;

	if (tok[0] == '\0' || (tok[0] == '0' && tok[1] != '\0'))
		return FALSE;
	for (const gchar *c = tok; *c != '\0'; c++) {
		if (!g_ascii_isdigit(*c))
			return FALSE;
		v = v * 10 + (guint64)(*c - '0');
		if (v > G_MAXUINT)
			return FALSE;
	}
	*index = (guint)v;
	return TRUE;
}

/* resolves the array index @tok of @arr (at @tokens[0..@depth)) for reading, replacing or
 * removing; @append allows the index one past the end (for add) */
static gboolean
rdd_json_patch_array_index(JsonArray *arr, GPtrArray *tokens, guint depth, gboolean append, RddError code, guint *index, GError **error)
{
	const gchar *tok = g_ptr_array_index(tokens, depth);
	guint len = json_array_get_length(arr);
	g_autofree gchar *where = rdd_json_patch_pointer_format(tokens, depth);

	if (g_strcmp0(tok, "-") == 0) {
		if (append) {
			*index = len;
			return TRUE;
		}
		g_set_error(error, RDD_ERROR, code,
			    "path not found: '-' names the element after the end of the array at "
			    "%s",
			    where);
		return FALSE;
	}
	if (!rdd_json_patch_parse_index(tok, index)) {
		g_set_error(error, RDD_ERROR, code,
			    "path not found: \"%s\" is not a valid index for the array at %s, "
			    "expected a decimal number without leading zeros",
			    tok, where);
		return FALSE;
	}
	if (*index > len || (*index == len && !append)) {
		g_set_error(error, RDD_ERROR, code,
			    "path not found: index %u is out of range for the array of %u "
			    "elements at %s",
			    *index, len, where);
		return FALSE;
	}
	return TRUE;
}

/* follows the first @n tokens from @root */
static JsonNode *
rdd_json_patch_walk(JsonNode *root, GPtrArray *tokens, guint n, RddError code, GError **error)
{
	JsonNode *node = root;

	if (root == NULL) {
		g_set_error_literal(error, RDD_ERROR, code, "path not found: the document is empty");
		return NULL;
	}
	for (guint i = 0; i < n; i++) {
		const gchar *tok = g_ptr_array_index(tokens, i);
		JsonNodeType type = json_node_get_node_type(node);

		if (type == JSON_NODE_OBJECT) {
			JsonNode *child = json_object_get_member(json_node_get_object(node), tok);
			if (child == NULL) {
				g_autofree gchar *where = rdd_json_patch_pointer_format(tokens, i);
				g_set_error(error, RDD_ERROR, code,
					    "path not found: no member \"%s\" in the object at %s", tok, where);
				return NULL;
			}
			node = child;
		} else if (type == JSON_NODE_ARRAY) {
			JsonArray *arr = json_node_get_array(node);
			guint index = 0;
			if (!rdd_json_patch_array_index(arr, tokens, i, FALSE, code, &index, error))
				return NULL;
			node = json_array_get_element(arr, index);
		} else {
			g_autofree gchar *where = rdd_json_patch_pointer_format(tokens, i);
			g_set_error(error, RDD_ERROR, code,
				    "path not found: %s is not an object or an array", where);
			return NULL;
		}
	}
	return node;
}

/**
 * rdd_json_pointer_get:
 * @root: (nullable): a document
 * @pointer: an RFC 6901 JSON pointer, e.g. `/spec/containers/0/name`; `""` is the whole document
 *
 * Resolves a JSON pointer, with `~1` standing for `/` and `~0` for `~` in member names.
 *
 * Errors are %RDD_ERROR_BAD_REQUEST for a malformed pointer and %RDD_ERROR_NOT_FOUND when the
 * pointer does not resolve.
 *
 * Returns: (transfer none): the node, or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_pointer_get(JsonNode *root, const gchar *pointer, GError **error)
{
	g_autoptr(GPtrArray) tokens = NULL;
	JsonNode *node;

	g_return_val_if_fail(pointer != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	tokens = rdd_json_patch_pointer_parse(pointer, error);
	if (tokens == NULL)
		return NULL;
	node = rdd_json_patch_walk(root, tokens, tokens->len, RDD_ERROR_NOT_FOUND, error);
	if (node == NULL) {
		g_prefix_error(error, "JSON pointer \"%s\": ", pointer);
		return NULL;
	}
	return node;
}

/* JSON patch (RFC 6902) ---------------------------------------------------------------------- */

/* at most this many operations in one patch */
#define RDD_JSON_PATCH_MAX_OPERATIONS 10000

/* at most this many nodes copied by `copy` operations in one patch, so that a small patch cannot
 * blow up a document exponentially by copying it into itself */
#define RDD_JSON_PATCH_MAX_COPIED_NODES 100000

/* at most this many array elements moved by insertions and replacements in one patch (json-glib
 * arrays can only append and remove, so each rebuilds the array), so that many operations on a
 * long array cannot keep the daemon busy for long */
#define RDD_JSON_PATCH_MAX_SHIFTED 10000000

/* the work done so far, against the limits above */
typedef struct {
	guint64 copied;
	guint64 shifted;
} RddJsonPatchBudget;

typedef enum {
	RDD_JSON_PATCH_OP_ADD,
	RDD_JSON_PATCH_OP_REMOVE,
	RDD_JSON_PATCH_OP_REPLACE,
	RDD_JSON_PATCH_OP_MOVE,
	RDD_JSON_PATCH_OP_COPY,
	RDD_JSON_PATCH_OP_TEST,
} RddJsonPatchOpKind;

typedef struct {
	RddJsonPatchOpKind kind;
	const gchar *op;
	const gchar *path_str;
	GPtrArray *path;
	GPtrArray *from; /* (nullable) */
	JsonNode *value; /* (nullable) (transfer none) */
} RddJsonPatchOp;

static void
rdd_json_patch_op_clear(RddJsonPatchOp *op)
{
	g_clear_pointer(&op->path, g_ptr_array_unref);
	g_clear_pointer(&op->from, g_ptr_array_unref);
}

static const gchar *
rdd_json_patch_node_type_name(JsonNode *node)
{
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return "an object";
	case JSON_NODE_ARRAY:
		return "an array";
	case JSON_NODE_NULL:
		return "null";
	case JSON_NODE_VALUE:
	default: {
		GType type = json_node_get_value_type(node);
		if (type == G_TYPE_STRING)
			return "a string";
		if (type == G_TYPE_BOOLEAN)
			return "a boolean";
		return "a number";
	}
	}
}

/* the path of an operation for messages: the empty pointer (the whole document) as "" */
static const gchar *
rdd_json_patch_path_display(const gchar *path)
{
	return path[0] != '\0' ? path : "\"\"";
}

/* a member of an operation that must be a string; @member_out is NULL when missing */
static gboolean
rdd_json_patch_op_string(JsonObject *obj, const gchar *member, const gchar **member_out, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);

	*member_out = NULL;
	if (node == NULL)
		return TRUE;
	if (json_node_get_node_type(node) != JSON_NODE_VALUE || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "\"%s\" must be a string, found %s",
			    member, rdd_json_patch_node_type_name(node));
		return FALSE;
	}
	*member_out = json_node_get_string(node);
	return TRUE;
}

/* checks one operation object and fills @op; errors are RDD_ERROR_BAD_REQUEST */
static gboolean
rdd_json_patch_op_parse(JsonNode *node, guint index, RddJsonPatchOp *op, GError **error)
{
	JsonObject *obj;
	const gchar *from = NULL;
	static const struct {
		const gchar *name;
		RddJsonPatchOpKind kind;
	} kinds[] = {
		{"add", RDD_JSON_PATCH_OP_ADD},		{"remove", RDD_JSON_PATCH_OP_REMOVE},
		{"replace", RDD_JSON_PATCH_OP_REPLACE}, {"move", RDD_JSON_PATCH_OP_MOVE},
		{"copy", RDD_JSON_PATCH_OP_COPY},	{"test", RDD_JSON_PATCH_OP_TEST},
	};
	gboolean known = FALSE;

	if (node == NULL || json_node_get_node_type(node) != JSON_NODE_OBJECT) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "json patch operation %u: expected an object, found %s", index,
			    node != NULL ? rdd_json_patch_node_type_name(node) : "nothing");
		return FALSE;
	}
	obj = json_node_get_object(node);
	if (!rdd_json_patch_op_string(obj, "op", &op->op, error)) {
		g_prefix_error(error, "json patch operation %u: ", index);
		return FALSE;
	}
	if (op->op == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "json patch operation %u: missing \"op\"", index);
		return FALSE;
	}
	if (!rdd_json_patch_op_string(obj, "path", &op->path_str, error)) {
		g_prefix_error(error, "json patch operation %u (%s): ", index, op->op);
		return FALSE;
	}
	if (op->path_str == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "json patch operation %u (%s): missing \"path\"", index, op->op);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (g_strcmp0(op->op, kinds[i].name) == 0) {
			op->kind = kinds[i].kind;
			known = TRUE;
			break;
		}
	}
	if (!known) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "json patch operation %u (%s %s): unknown op \"%s\", expected add, "
			    "remove, replace, move, copy or test",
			    index, op->op, rdd_json_patch_path_display(op->path_str), op->op);
		return FALSE;
	}
	op->path = rdd_json_patch_pointer_parse(op->path_str, error);
	if (op->path == NULL) {
		g_prefix_error(error, "json patch operation %u (%s %s): ", index, op->op,
			       rdd_json_patch_path_display(op->path_str));
		return FALSE;
	}
	if (op->kind == RDD_JSON_PATCH_OP_ADD || op->kind == RDD_JSON_PATCH_OP_REPLACE ||
	    op->kind == RDD_JSON_PATCH_OP_TEST) {
		op->value = json_object_get_member(obj, "value");
		if (op->value == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "json patch operation %u (%s %s): missing \"value\"", index,
				    op->op, rdd_json_patch_path_display(op->path_str));
			return FALSE;
		}
	}
	if (op->kind == RDD_JSON_PATCH_OP_MOVE || op->kind == RDD_JSON_PATCH_OP_COPY) {
		if (!rdd_json_patch_op_string(obj, "from", &from, error)) {
			g_prefix_error(error, "json patch operation %u (%s %s): ", index, op->op,
				       rdd_json_patch_path_display(op->path_str));
			return FALSE;
		}
		if (from == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "json patch operation %u (%s %s): missing \"from\"", index,
				    op->op, rdd_json_patch_path_display(op->path_str));
			return FALSE;
		}
		op->from = rdd_json_patch_pointer_parse(from, error);
		if (op->from == NULL) {
			g_prefix_error(error, "json patch operation %u (%s %s): \"from\": ", index,
				       op->op, rdd_json_patch_path_display(op->path_str));
			return FALSE;
		}
	}
	return TRUE;
}

/* the nesting depth of @node counted in arrays and objects, but at most @limit + 1 */
static guint
rdd_json_patch_depth(JsonNode *node, guint limit)
{
	guint max = 0;
	JsonNodeType type = json_node_get_node_type(node);

	if (limit == 0)
		return type == JSON_NODE_OBJECT || type == JSON_NODE_ARRAY ? 1 : 0;
	if (type == JSON_NODE_OBJECT) {
		JsonObjectIter iter;
		JsonNode *value = NULL;
		json_object_iter_init(&iter, json_node_get_object(node));
		while (max < limit && json_object_iter_next(&iter, NULL, &value))
			max = MAX(max, rdd_json_patch_depth(value, limit - 1));
		return max + 1;
	}
	if (type == JSON_NODE_ARRAY) {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);
		for (guint i = 0; i < n && max < limit; i++)
			max = MAX(max, rdd_json_patch_depth(json_array_get_element(arr, i), limit - 1));
		return max + 1;
	}
	return 0;
}

/* a value at @path is enclosed by one array or object per token; the result must stay within
 * what rdd_json_parse() accepts, or the store could not read it back */
static gboolean
rdd_json_patch_check_depth(GPtrArray *path, JsonNode *value, GError **error)
{
	if (path->len + rdd_json_patch_depth(value, RDD_JSON_MAX_DEPTH) > RDD_JSON_MAX_DEPTH) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "the result would be nested deeper than %u levels", (guint)RDD_JSON_MAX_DEPTH);
		return FALSE;
	}
	return TRUE;
}

/* counts the nodes of @node, stopping early once the count exceeds @budget */
static guint64
rdd_json_patch_count(JsonNode *node, guint64 budget)
{
	guint64 count = 1;
	JsonNodeType type = json_node_get_node_type(node);

	if (type == JSON_NODE_OBJECT) {
		JsonObjectIter iter;
		JsonNode *value = NULL;
		json_object_iter_init(&iter, json_node_get_object(node));
		while (count <= budget && json_object_iter_next(&iter, NULL, &value))
			count += rdd_json_patch_count(value, budget - count);
	} else if (type == JSON_NODE_ARRAY) {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);
		for (guint i = 0; i < n && count <= budget; i++)
			count += rdd_json_patch_count(json_array_get_element(arr, i), budget - count);
	}
	return count;
}

/* puts @value (consumed) at @index into the array held by @parent, in place of the element
 * there if @replace; json-glib can neither insert nor replace an element (and re-initialising a
 * node that holds a value is unsafe in json-glib 1.6), so the array is rebuilt */
static void
rdd_json_patch_array_put(JsonNode *parent, guint index, gboolean replace, JsonNode *value)
{
	JsonArray *old = json_node_get_array(parent);
	guint len = json_array_get_length(old);
	JsonArray *arr = json_array_sized_new(len + 1);

	for (guint i = 0; i < len; i++) {
		if (i == index) {
			json_array_add_element(arr, value);
			if (replace)
				continue;
		}
		json_array_add_element(arr, json_node_ref(json_array_get_element(old, i)));
	}
	if (index >= len)
		json_array_add_element(arr, value);
	json_node_take_array(parent, arr);
}

/* rebuilding arrays is linear in their length: bound the total work of a patch */
static gboolean
rdd_json_patch_charge_rebuild(RddJsonPatchBudget *budget, JsonArray *arr, GError **error)
{
	guint len = json_array_get_length(arr);
	if (budget->shifted + len > RDD_JSON_PATCH_MAX_SHIFTED) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "the patch changes long arrays too often, it would move more than %u "
			    "array elements in total",
			    (guint)RDD_JSON_PATCH_MAX_SHIFTED);
		return FALSE;
	}
	budget->shifted += len;
	return TRUE;
}

/* adds @value at @path, replacing an existing member; @value is consumed */
static gboolean
rdd_json_patch_do_add(JsonNode **root, GPtrArray *path, JsonNode *value_in, RddJsonPatchBudget *budget, GError **error)
{
	g_autoptr(JsonNode) value = value_in;
	JsonNode *parent;
	const gchar *last;

	if (path->len == 0) {
		if (!rdd_json_patch_check_depth(path, value, error))
			return FALSE;
		g_clear_pointer(root, json_node_unref);
		*root = g_steal_pointer(&value);
		return TRUE;
	}
	parent = rdd_json_patch_walk(*root, path, path->len - 1, RDD_ERROR_INVALID, error);
	if (parent == NULL)
		return FALSE;
	if (!rdd_json_patch_check_depth(path, value, error))
		return FALSE;
	last = g_ptr_array_index(path, path->len - 1);
	if (json_node_get_node_type(parent) == JSON_NODE_OBJECT) {
		json_object_set_member(json_node_get_object(parent), last, g_steal_pointer(&value));
		return TRUE;
	}
	if (json_node_get_node_type(parent) == JSON_NODE_ARRAY) {
		JsonArray *arr = json_node_get_array(parent);
		guint index = 0;
		if (!rdd_json_patch_array_index(arr, path, path->len - 1, TRUE, RDD_ERROR_INVALID, &index, error))
			return FALSE;
		if (index == json_array_get_length(arr)) {
			json_array_add_element(arr, g_steal_pointer(&value));
			return TRUE;
		}
		if (!rdd_json_patch_charge_rebuild(budget, arr, error))
			return FALSE;
		rdd_json_patch_array_put(parent, index, FALSE, g_steal_pointer(&value));
		return TRUE;
	}
	{
		g_autofree gchar *where = rdd_json_patch_pointer_format(path, path->len - 1);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "path not found: %s is not an object or an array", where);
		return FALSE;
	}
}

/* removes the value at @path and returns it (transfer full) */
static JsonNode *
rdd_json_patch_do_remove(JsonNode **root, GPtrArray *path, GError **error)
{
	JsonNode *parent;
	const gchar *last;

	if (path->len == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "the whole document cannot be removed");
		return NULL;
	}
	parent = rdd_json_patch_walk(*root, path, path->len - 1, RDD_ERROR_INVALID, error);
	if (parent == NULL)
		return NULL;
	last = g_ptr_array_index(path, path->len - 1);
	if (json_node_get_node_type(parent) == JSON_NODE_OBJECT) {
		JsonObject *obj = json_node_get_object(parent);
		JsonNode *node = json_object_get_member(obj, last);
		if (node == NULL) {
			g_autofree gchar *where = rdd_json_patch_pointer_format(path, path->len - 1);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "path not found: no member \"%s\" in the object at %s", last, where);
			return NULL;
		}
		json_node_ref(node);
		json_object_remove_member(obj, last);
		return node;
	}
	if (json_node_get_node_type(parent) == JSON_NODE_ARRAY) {
		JsonArray *arr = json_node_get_array(parent);
		JsonNode *node;
		guint index = 0;
		if (!rdd_json_patch_array_index(arr, path, path->len - 1, FALSE, RDD_ERROR_INVALID, &index, error))
			return NULL;
		node = json_node_ref(json_array_get_element(arr, index));
		json_array_remove_element(arr, index);
		return node;
	}
	{
		g_autofree gchar *where = rdd_json_patch_pointer_format(path, path->len - 1);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "path not found: %s is not an object or an array", where);
		return NULL;
	}
}

/* replaces the existing value at @path by @value (consumed) */
static gboolean
rdd_json_patch_do_replace(JsonNode **root, GPtrArray *path, JsonNode *value_in, RddJsonPatchBudget *budget, GError **error)
{
	g_autoptr(JsonNode) value = value_in;
	JsonNode *parent;
	const gchar *last;

	if (path->len == 0) {
		if (!rdd_json_patch_check_depth(path, value, error))
			return FALSE;
		g_clear_pointer(root, json_node_unref);
		*root = g_steal_pointer(&value);
		return TRUE;
	}
	/* the target must exist */
	if (rdd_json_patch_walk(*root, path, path->len, RDD_ERROR_INVALID, error) == NULL)
		return FALSE;
	if (!rdd_json_patch_check_depth(path, value, error))
		return FALSE;
	parent = rdd_json_patch_walk(*root, path, path->len - 1, RDD_ERROR_INVALID, error);
	if (parent == NULL)
		return FALSE;
	last = g_ptr_array_index(path, path->len - 1);
	if (json_node_get_node_type(parent) == JSON_NODE_OBJECT) {
		json_object_set_member(json_node_get_object(parent), last, g_steal_pointer(&value));
	} else {
		guint index = 0;
		JsonArray *arr = json_node_get_array(parent);
		if (!rdd_json_patch_array_index(arr, path, path->len - 1, FALSE, RDD_ERROR_INVALID, &index, error))
			return FALSE;
		if (!rdd_json_patch_charge_rebuild(budget, arr, error))
			return FALSE;
		rdd_json_patch_array_put(parent, index, TRUE, g_steal_pointer(&value));
	}
	return TRUE;
}

static gboolean
rdd_json_patch_is_prefix(GPtrArray *prefix, GPtrArray *path)
{
	if (prefix->len > path->len)
		return FALSE;
	for (guint i = 0; i < prefix->len; i++) {
		if (g_strcmp0(g_ptr_array_index(prefix, i), g_ptr_array_index(path, i)) != 0)
			return FALSE;
	}
	return TRUE;
}

static gchar *
rdd_json_patch_describe(JsonNode *node)
{
	g_autoptr(GString) str = g_string_new(NULL);
	rdd_json_write(str, node);
	if (str->len > 64) {
		gsize len = 60;
		/* do not cut a UTF-8 sequence */
		while (len > 0 && ((guchar)str->str[len] & 0xC0) == 0x80)
			len--;
		g_string_truncate(str, len);
		g_string_append(str, "...");
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static gboolean
rdd_json_patch_apply_op(JsonNode **root, RddJsonPatchOp *op, RddJsonPatchBudget *budget, GError **error)
{
	switch (op->kind) {
	case RDD_JSON_PATCH_OP_ADD:
		return rdd_json_patch_do_add(root, op->path, rdd_json_deep_copy(op->value), budget, error);
	case RDD_JSON_PATCH_OP_REMOVE: {
		g_autoptr(JsonNode) removed = rdd_json_patch_do_remove(root, op->path, error);
		return removed != NULL;
	}
	case RDD_JSON_PATCH_OP_REPLACE:
		return rdd_json_patch_do_replace(root, op->path, rdd_json_deep_copy(op->value), budget, error);
	case RDD_JSON_PATCH_OP_MOVE: {
		JsonNode *moved;
		if (op->from->len < op->path->len && rdd_json_patch_is_prefix(op->from, op->path)) {
			g_autofree gchar *from = rdd_json_patch_pointer_format(op->from, op->from->len);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "cannot move %s into one of its own children", from);
			return FALSE;
		}
		if (op->from->len == op->path->len && rdd_json_patch_is_prefix(op->from, op->path)) {
			/* moving a value onto itself changes nothing, but it must exist */
			return rdd_json_patch_walk(*root, op->from, op->from->len,
						   RDD_ERROR_INVALID, error) != NULL;
		}
		moved = rdd_json_patch_do_remove(root, op->from, error);
		if (moved == NULL) {
			g_prefix_error(error, "\"from\": ");
			return FALSE;
		}
		return rdd_json_patch_do_add(root, op->path, moved, budget, error);
	}
	case RDD_JSON_PATCH_OP_COPY: {
		JsonNode *src = rdd_json_patch_walk(*root, op->from, op->from->len, RDD_ERROR_INVALID, error);
		guint64 left = RDD_JSON_PATCH_MAX_COPIED_NODES - budget->copied;
		guint64 count;
		if (src == NULL) {
			g_prefix_error(error, "\"from\": ");
			return FALSE;
		}
		count = rdd_json_patch_count(src, left);
		if (count > left) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "the patch copies more than %u values in total",
				    (guint)RDD_JSON_PATCH_MAX_COPIED_NODES);
			return FALSE;
		}
		budget->copied += count;
		return rdd_json_patch_do_add(root, op->path, rdd_json_deep_copy(src), budget, error);
	}
	case RDD_JSON_PATCH_OP_TEST: {
		JsonNode *node = rdd_json_patch_walk(*root, op->path, op->path->len, RDD_ERROR_INVALID, error);
		if (node == NULL)
			return FALSE;
		if (!rdd_json_equal(node, op->value)) {
			g_autofree gchar *found = rdd_json_patch_describe(node);
			g_autofree gchar *expected = rdd_json_patch_describe(op->value);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "test failed: found %s, expected %s", found, expected);
			return FALSE;
		}
		return TRUE;
	}
	default:
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "unknown operation");
		return FALSE;
	}
}

/**
 * rdd_json_patch_apply:
 * @target: (nullable): the document to patch; %NULL is treated as `null`
 * @operations: an RFC 6902 JSON patch: an array of operation objects
 * @error: (nullable): optional return location for an error
 *
 * Applies an RFC 6902 JSON patch. Each operation has an `op` (`add`, `remove`, `replace`, `move`,
 * `copy` or `test`), a `path` (an RFC 6901 JSON pointer), and a `value` (add, replace, test) or a
 * `from` pointer (move, copy). An array index is decimal without leading zeros; `-` appends for
 * `add`. `test` compares with rdd_json_equal(). Neither argument is modified and the operations
 * apply atomically: on error there is no partial result.
 *
 * All operations are checked before any is applied. A malformed patch (not an array, more than
 * 10000 operations, an operation missing `op`, `path`, `value` or `from`, an unknown op, a
 * malformed pointer) is %RDD_ERROR_BAD_REQUEST. An operation that cannot apply (path not found,
 * index out of range, test failed, move into its own child, a result nested deeper than
 * %RDD_JSON_MAX_DEPTH, copies of more than 100000 values in total, insertions into or
 * replacements in arrays that would move more than 10 million elements in total) is
 * %RDD_ERROR_INVALID. The
 * message names the operation index (from 0) and its path, e.g.
 * `json patch operation 2 (replace /spec/x): path not found: ...`.
 *
 * Returns: (transfer full): the patched document, a new unsealed node, or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_patch_apply(JsonNode *target, JsonNode *operations, GError **error)
{
	JsonArray *arr;
	guint n;
	g_autofree RddJsonPatchOp *ops = NULL;
	g_autoptr(JsonNode) root = NULL;
	RddJsonPatchBudget budget = {0};
	gboolean ok = TRUE;

	g_return_val_if_fail(operations != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (json_node_get_node_type(operations) != JSON_NODE_ARRAY) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "a json patch must be an array of operations, found %s",
			    rdd_json_patch_node_type_name(operations));
		return NULL;
	}
	arr = json_node_get_array(operations);
	n = json_array_get_length(arr);
	if (n > RDD_JSON_PATCH_MAX_OPERATIONS) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "a json patch may have at most %u operations, this one has %u",
			    (guint)RDD_JSON_PATCH_MAX_OPERATIONS, n);
		return NULL;
	}

	/* check every operation first, so a malformed patch is always a bad request */
	ops = g_new0(RddJsonPatchOp, MAX(n, 1));
	for (guint i = 0; ok && i < n; i++)
		ok = rdd_json_patch_op_parse(json_array_get_element(arr, i), i, &ops[i], error);

	if (ok) {
		root = target != NULL ? rdd_json_deep_copy(target) : json_node_init_null(json_node_alloc());
		for (guint i = 0; ok && i < n; i++) {
			ok = rdd_json_patch_apply_op(&root, &ops[i], &budget, error);
			if (!ok) {
				g_prefix_error(error, "json patch operation %u (%s %s): ", i, ops[i].op,
					       rdd_json_patch_path_display(ops[i].path_str));
			}
		}
	}
	for (guint i = 0; i < n; i++)
		rdd_json_patch_op_clear(&ops[i]);
	if (!ok)
		return NULL;
	return g_steal_pointer(&root);
}
