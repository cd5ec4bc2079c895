/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-json-private.h"
#include "rdd-object-private.h"
#include "rdd-time.h"

G_DEFINE_BOXED_TYPE(RddObject, rdd_object, rdd_object_ref, rdd_object_unref)

/* objects with up to this many top-level members are assembled on the stack */
#define RDD_OBJECT_STACK_MEMBERS 16

/* labels of objects with up to this many are sorted on the stack */
#define RDD_OBJECT_STACK_LABELS 32

/* a top-level member while building: a node from the new content, a string, or a raw span of a
 * previous version; the metadata member is written from @metadata or @meta */
typedef struct {
	const gchar *key; /* decoded, not NUL-terminated: @key_len bytes */
	gsize key_len;
	gchar *key_owned; /* a raw key that had to be decoded */
	JsonNode *node;
	const gchar *str;
	const gchar *raw; /* or `"key":value` already written, @raw_len bytes, value at @raw_val */
	guint32 raw_len;
	guint32 raw_val;
	RddObject *src; /* where @raw comes from, if a previous version */
	gboolean is_metadata;
} RddObjectMember;

/* the names of RddObjectMetaMember, sorted */
static const gchar *const rdd_object_meta_names[RDD_OBJECT_META_LAST] = {
	"annotations",
	"creationTimestamp",
	"deletionGracePeriodSeconds",
	"deletionTimestamp",
	"finalizers",
	"generateName",
	"generation",
	"labels",
	"managedFields",
	"name",
	"namespace",
	"ownerReferences",
	"resourceVersion",
	"uid",
};

/* an object is one allocation: the struct, its arrays and strings, then the JSON (unless
 * rdd_object_set_versions() had to move it) */
static void
rdd_object_free(RddObject *self)
{
	if (self->json_apart)
		g_free(self->json);
	g_object_unref(self->kind);
	g_free(self);
}

/**
 * rdd_object_ref:
 * @self: an object
 *
 * Returns: (transfer full): @self with one more reference
 *
 * Since: 0.1
 */
RddObject *
rdd_object_ref(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * rdd_object_unref:
 * @self: (transfer full): an object
 *
 * Since: 0.1
 */
void
rdd_object_unref(RddObject *self)
{
	g_return_if_fail(self != NULL);
	if (g_atomic_int_dec_and_test(&self->ref_count))
		rdd_object_free(self);
}

/* the decoded key of the member `"key":value` at @key_off in @json, its value at @val_off */
static gchar *
rdd_object_raw_key(const gchar *json, guint32 key_off, guint32 val_off)
{
	const gchar *start = json + key_off + 1;
	const gchar *end = json + val_off - 2; /* the closing quote before ':' */
	g_autoptr(JsonNode) node = NULL;

	if (memchr(start, '\\', end - start) == NULL)
		return g_strndup(start, end - start);
	node = rdd_json_parse(json + key_off, val_off - 1 - key_off, NULL);
	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return g_strndup(start, end - start);
	return g_strdup(json_node_get_string(node));
}

/* a member from `"key":value` already written at @key_off in @json */
static void
rdd_object_member_init_raw(RddObjectMember *member, const gchar *json, guint32 key_off, guint32 val_off, guint32 end)
{
	member->key = json + key_off + 1;
	member->key_len = val_off - 2 - (key_off + 1);
	member->raw = json + key_off;
	member->raw_len = end - key_off;
	member->raw_val = val_off - key_off;
	if (memchr(member->key, '\\', member->key_len) != NULL) {
		/* an escaped key: compare it decoded */
		member->key_owned = rdd_object_raw_key(json, key_off, val_off);
		member->key = member->key_owned;
		member->key_len = strlen(member->key_owned);
	}
}

static gboolean
rdd_object_span_is(RddObject *self, const RddObjectSpan *span, const gchar *member, gsize len)
{
	return span->val_off - span->key_off == len + 3 &&
	       memcmp(self->json + span->key_off + 1, member, len) == 0;
}

/* apiVersion, kind, metadata and status are not part of the "spec" for generation purposes */
static gboolean
rdd_object_span_is_reserved(RddObject *self, const RddObjectSpan *span, gboolean with_status)
{
	return rdd_object_span_is(self, span, "apiVersion", 10) ||
	       rdd_object_span_is(self, span, "kind", 4) || rdd_object_span_is(self, span, "metadata", 8) ||
	       (!with_status && rdd_object_span_is(self, span, "status", 6));
}

/**
 * rdd_object_find_span: (skip)
 * @self: an object
 * @member: a plain top-level member name
 *
 * Returns: (nullable): the span of @member in the canonical JSON
 */
const RddObjectSpan *
rdd_object_find_span(RddObject *self, const gchar *member)
{
	gsize len = strlen(member);
	for (guint i = 0; i < self->n_spans; i++) {
		if (rdd_object_span_is(self, &self->spans[i], member, len))
			return &self->spans[i];
	}
	return NULL;
}

/**
 * rdd_object_meta_member_name: (skip)
 * @member: a member
 *
 * Returns: the name of @member in `metadata`
 */
const gchar *
rdd_object_meta_member_name(RddObjectMetaMember member)
{
	g_return_val_if_fail(member < RDD_OBJECT_META_LAST, NULL);
	return rdd_object_meta_names[member];
}

/**
 * rdd_object_meta_member_lookup: (skip)
 * @name: a member name of `metadata`
 *
 * Returns: the #RddObjectMetaMember called @name, or -1
 */
gint
rdd_object_meta_member_lookup(const gchar *name)
{
	guint lo = 0;
	guint hi = RDD_OBJECT_META_LAST;

	g_return_val_if_fail(name != NULL, -1);
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		gint cmp = strcmp(rdd_object_meta_names[mid], name);
		if (cmp == 0)
			return (gint)mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/**
 * rdd_object_meta_clear: (skip)
 * @meta: metadata
 *
 * Drops the node references @meta holds and empties it.
 */
void
rdd_object_meta_clear(RddObjectMeta *meta)
{
	g_return_if_fail(meta != NULL);
	for (guint i = 0; i < RDD_OBJECT_META_LAST; i++) {
		if (meta->values[i].node != NULL)
			json_node_unref(meta->values[i].node);
	}
	memset(meta, 0, sizeof(*meta));
}

/* what json_object_get_string_member_with_default() gives for a member holding @v */
static const gchar *
rdd_object_meta_get_string(const RddObjectMetaValue *v, const gchar *default_value)
{
	if (v->node != NULL) {
		if (JSON_NODE_HOLDS_NULL(v->node))
			return NULL;
		if (!JSON_NODE_HOLDS_VALUE(v->node))
			return default_value;
		return json_node_get_string(v->node);
	}
	if (v->str != NULL)
		return v->str;
	if (v->has_num)
		return NULL;
	return default_value;
}

/* what json_object_get_int_member_with_default() gives for a member holding @v */
static gint64
rdd_object_meta_get_int(const RddObjectMetaValue *v, gint64 default_value)
{
	if (v->node != NULL) {
		if (JSON_NODE_HOLDS_NULL(v->node))
			return 0;
		if (!JSON_NODE_HOLDS_VALUE(v->node))
			return default_value;
		return json_node_get_int(v->node);
	}
	if (v->has_num)
		return v->num;
	if (v->str != NULL)
		return 0;
	return default_value;
}

/* a node holding @v, which must not be absent */
static JsonNode *
rdd_object_meta_value_to_node(const RddObjectMetaValue *v)
{
	if (v->node != NULL)
		return json_node_ref(v->node);
	if (v->str != NULL)
		return json_node_init_string(json_node_alloc(), v->str);
	return json_node_init_int(json_node_alloc(), v->num);
}

/* the JsonObject rdd_object_build() would get for @meta */
static JsonObject *
rdd_object_meta_to_object(const RddObjectMeta *meta)
{
	JsonObject *obj = json_object_new();
	for (guint i = 0; i < RDD_OBJECT_META_LAST; i++) {
		const RddObjectMetaValue *v = &meta->values[i];
		if (v->node == NULL && v->str == NULL && !v->has_num)
			continue;
		json_object_set_member(obj, rdd_object_meta_names[i], rdd_object_meta_value_to_node(v));
	}
	return obj;
}

static gboolean
rdd_object_member_from_base(RddObjectBuildMode mode, const gchar *key)
{
	gboolean is_status = g_strcmp0(key, "status") == 0;
	if (mode == RDD_OBJECT_BUILD_STATUS_FROM_BASE)
		return is_status;
	if (mode == RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT)
		return !is_status;
	return FALSE;
}

typedef struct {
	const gchar *key;
	JsonNode *value;
} RddObjectLabel;

static gint
rdd_object_label_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(((const RddObjectLabel *)a)->key, ((const RddObjectLabel *)b)->key);
}

/* fills @members (room for @size) with the members of @obj sorted by key; returns how many */
static guint
rdd_object_members_sorted(JsonObject *obj, RddObjectLabel *members, guint size)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;
	guint n = 0;

	json_object_iter_init(&iter, obj);
	while (n < size && json_object_iter_next(&iter, &key, &value)) {
		guint k = n++;
		/* insertion sort for the few members that are the norm (and often sorted already) */
		while (size <= RDD_OBJECT_STACK_LABELS && k > 0 && strcmp(members[k - 1].key, key) > 0) {
			members[k] = members[k - 1];
			k--;
		}
		members[k].key = key;
		members[k].value = value;
	}
	if (size > RDD_OBJECT_STACK_LABELS)
		qsort(members, n, sizeof(RddObjectLabel), rdd_object_label_cmp);
	return n;
}

/*
 * What a snapshot is made of before it is packed into one allocation: strings and arrays
 * borrowed from the metadata or the previous version, except @fields, which are owned.
 */
typedef struct {
	const gchar *name;
	const gchar *namespace;
	const gchar *uid;
	guint64 rv;
	gint64 generation;
	gint64 creation;
	gint64 deletion;
	const gchar **labels; /* flat sorted pairs */
	guint n_labels;	      /* strings: twice the pairs */
	const gchar **finalizers;
	guint n_finalizers;
	RddOwnerReference *owners;
	guint n_owners;
	gchar **fields; /* NULL, or one (nullable) string per selectable field */
	guint n_fields;
	/* room for the arrays of small objects, and what did not fit */
	const gchar *labels_stack[2 * RDD_OBJECT_STACK_LABELS];
	const gchar *finalizers_stack[8];
	RddOwnerReference owners_stack[4];
	gchar *fields_stack[8];
	gpointer heap[4];
} RddObjectParts;

static void
rdd_object_parts_clear(RddObjectParts *parts)
{
	for (guint i = 0; parts->fields != NULL && i < parts->n_fields; i++)
		g_free(parts->fields[i]);
	for (guint i = 0; i < G_N_ELEMENTS(parts->heap); i++)
		g_free(parts->heap[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddObjectParts, rdd_object_parts_clear)

/* @n elements of @size in @stack (of @stack_n) when they fit, else in heap slot @slot */
static gpointer
rdd_object_parts_array(RddObjectParts *parts, gpointer stack, guint stack_n, guint n, gsize size, guint slot)
{
	if (n <= stack_n)
		return stack;
	parts->heap[slot] = g_malloc0_n(n, size);
	return parts->heap[slot];
}

/* labels as sorted flat pairs */
static gboolean
rdd_object_extract_labels(RddObjectParts *parts, JsonNode *node, GError **error)
{
	RddObjectLabel stack[RDD_OBJECT_STACK_LABELS];
	g_autofree RddObjectLabel *heap = NULL;
	RddObjectLabel *labels = stack;
	guint n;
	guint size;

	parts->n_labels = 0;
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return TRUE;
	size = json_object_get_size(json_node_get_object(node));
	if (size > G_N_ELEMENTS(stack)) {
		heap = g_new(RddObjectLabel, size);
		labels = heap;
	}
	n = rdd_object_members_sorted(json_node_get_object(node), labels, size);
	for (guint i = 0; i < n; i++) {
		if (json_node_get_value_type(labels[i].value) != G_TYPE_STRING) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "metadata.labels[%s]: label values must be strings", labels[i].key);
			return FALSE;
		}
	}
	parts->labels = rdd_object_parts_array(parts, parts->labels_stack, G_N_ELEMENTS(parts->labels_stack),
					       2 * n, sizeof(gchar *), 0);
	for (guint i = 0; i < n; i++) {
		parts->labels[2 * i] = labels[i].key;
		parts->labels[2 * i + 1] = json_node_get_string(labels[i].value);
	}
	parts->n_labels = 2 * n;
	return TRUE;
}

static gboolean
rdd_object_extract_finalizers(RddObjectParts *parts, JsonNode *node, GError **error)
{
	JsonArray *arr;
	guint n;

	parts->n_finalizers = 0;
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return TRUE;
	arr = json_node_get_array(node);
	n = json_array_get_length(arr);
	parts->finalizers =
		rdd_object_parts_array(parts, parts->finalizers_stack,
				       G_N_ELEMENTS(parts->finalizers_stack), n, sizeof(gchar *), 1);
	for (guint i = 0; i < n; i++) {
		JsonNode *item = json_array_get_element(arr, i);
		const gchar *fin = JSON_NODE_HOLDS_VALUE(item) ? json_node_get_string(item) : NULL;
		if (fin == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "metadata.finalizers[%u]: must be a string", i);
			return FALSE;
		}
		parts->finalizers[i] = fin;
	}
	parts->n_finalizers = n;
	return TRUE;
}

static gboolean
rdd_object_extract_owners(RddObjectParts *parts, JsonNode *node, GError **error)
{
	JsonArray *arr;
	guint n;

	parts->n_owners = 0;
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return TRUE;
	arr = json_node_get_array(node);
	n = json_array_get_length(arr);
	if (n > G_MAXUINT16) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.ownerReferences: too many entries");
		return FALSE;
	}
	parts->owners = rdd_object_parts_array(parts, parts->owners_stack, G_N_ELEMENTS(parts->owners_stack),
					       n, sizeof(RddOwnerReference), 2);
	for (guint i = 0; i < n; i++) {
		JsonNode *item = json_array_get_element(arr, i);
		JsonObject *ref;
		if (!JSON_NODE_HOLDS_OBJECT(item)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "metadata.ownerReferences[%u]: must be an object", i);
			return FALSE;
		}
		ref = json_node_get_object(item);
		parts->owners[i].api_version =
			json_object_get_string_member_with_default(ref, "apiVersion", "");
		parts->owners[i].kind = json_object_get_string_member_with_default(ref, "kind", "");
		parts->owners[i].name = json_object_get_string_member_with_default(ref, "name", "");
		parts->owners[i].uid = json_object_get_string_member_with_default(ref, "uid", "");
		parts->owners[i].controller =
			json_object_get_boolean_member_with_default(ref, "controller", FALSE);
		parts->owners[i].block_owner_deletion =
			json_object_get_boolean_member_with_default(ref, "blockOwnerDeletion", FALSE);
	}
	parts->n_owners = n;
	return TRUE;
}

static gboolean
rdd_object_extract_metadata(RddObjectParts *parts, JsonObject *metadata, GError **error)
{
	const gchar *str;

	str = json_object_get_string_member_with_default(metadata, "name", NULL);
	if (str == NULL || str[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.name: Required value");
		return FALSE;
	}
	parts->name = str;
	parts->namespace = json_object_get_string_member_with_default(metadata, "namespace", "");
	parts->uid = json_object_get_string_member_with_default(metadata, "uid", "");
	str = json_object_get_string_member_with_default(metadata, "resourceVersion", "0");
	parts->rv = g_ascii_strtoull(str, NULL, 10);
	parts->generation = json_object_get_int_member_with_default(metadata, "generation", 0);
	str = json_object_get_string_member_with_default(metadata, "creationTimestamp", NULL);
	if (str != NULL && !rdd_time_parse(str, &parts->creation, error)) {
		g_prefix_error_literal(error, "metadata.creationTimestamp: ");
		return FALSE;
	}
	str = json_object_get_string_member_with_default(metadata, "deletionTimestamp", NULL);
	if (str != NULL && !rdd_time_parse(str, &parts->deletion, error)) {
		g_prefix_error_literal(error, "metadata.deletionTimestamp: ");
		return FALSE;
	}
	if (!rdd_object_extract_labels(parts, json_object_get_member(metadata, "labels"), error))
		return FALSE;
	if (!rdd_object_extract_finalizers(parts, json_object_get_member(metadata, "finalizers"), error))
		return FALSE;
	return rdd_object_extract_owners(parts, json_object_get_member(metadata, "ownerReferences"), error);
}

/* a timestamp of @meta: a string the caller parsed already, or text to parse */
static gboolean
rdd_object_extract_meta_time(const RddObjectMetaValue *v, gint64 parsed, gint64 *out, GError **error)
{
	const gchar *str;

	if (v->node == NULL && v->str != NULL) {
		*out = parsed;
		return TRUE;
	}
	str = rdd_object_meta_get_string(v, NULL);
	return str == NULL || rdd_time_parse(str, out, error);
}

/* as rdd_object_extract_metadata() for a JsonObject holding the members of @meta */
static gboolean
rdd_object_extract_meta(RddObjectParts *parts, const RddObjectMeta *meta, GError **error)
{
	const RddObjectMetaValue *values = meta->values;
	const gchar *str;

	str = rdd_object_meta_get_string(&values[RDD_OBJECT_META_NAME], NULL);
	if (str == NULL || str[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.name: Required value");
		return FALSE;
	}
	parts->name = str;
	parts->namespace = rdd_object_meta_get_string(&values[RDD_OBJECT_META_NAMESPACE], "");
	parts->uid = rdd_object_meta_get_string(&values[RDD_OBJECT_META_UID], "");
	str = rdd_object_meta_get_string(&values[RDD_OBJECT_META_RESOURCE_VERSION], "0");
	parts->rv = g_ascii_strtoull(str, NULL, 10);
	parts->generation = rdd_object_meta_get_int(&values[RDD_OBJECT_META_GENERATION], 0);
	if (!rdd_object_extract_meta_time(&values[RDD_OBJECT_META_CREATION_TIMESTAMP],
					  meta->creation, &parts->creation, error)) {
		g_prefix_error_literal(error, "metadata.creationTimestamp: ");
		return FALSE;
	}
	if (!rdd_object_extract_meta_time(&values[RDD_OBJECT_META_DELETION_TIMESTAMP],
					  meta->deletion, &parts->deletion, error)) {
		g_prefix_error_literal(error, "metadata.deletionTimestamp: ");
		return FALSE;
	}
	if (!rdd_object_extract_labels(parts, values[RDD_OBJECT_META_LABELS].node, error))
		return FALSE;
	if (!rdd_object_extract_finalizers(parts, values[RDD_OBJECT_META_FINALIZERS].node, error))
		return FALSE;
	return rdd_object_extract_owners(parts, values[RDD_OBJECT_META_OWNER_REFERENCES].node, error);
}

/* the metadata of a previous version, kept as it is (a status write, a copy) */
static void
rdd_object_extract_base(RddObjectParts *parts, RddObject *base)
{
	parts->name = base->name;
	parts->namespace = base->namespace;
	parts->uid = base->uid;
	parts->rv = base->rv;
	parts->generation = base->generation;
	parts->creation = base->creation;
	parts->deletion = base->deletion;
	parts->labels = (const gchar **)base->labels;
	parts->n_labels = g_strv_length(base->labels);
	parts->finalizers = (const gchar **)base->finalizers;
	parts->n_finalizers = g_strv_length(base->finalizers);
	parts->owners = base->owners;
	parts->n_owners = base->n_owners;
}

/* the value of the scalar at the dotted path @rest below @node (@node itself for %NULL) */
static gchar *
rdd_object_field_from_node(JsonNode *node, const gchar *rest)
{
	if (rest != NULL)
		node = rdd_json_lookup(node, rest);
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return NULL;
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return g_strdup(json_node_get_string(node));
	case G_TYPE_BOOLEAN:
		return g_strdup(json_node_get_boolean(node) ? "true" : "false");
	case G_TYPE_INT64:
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
	default:
		return NULL;
	}
}

static void
rdd_object_extract_fields(RddObjectParts *parts,
			  RddKind *kind,
			  JsonObject *metadata,
			  const RddObjectMeta *meta,
			  JsonObject *content,
			  RddObject *base,
			  RddObjectBuildMode mode)
{
	const gchar *const *fields = rdd_kind_get_selectable_fields(kind);
	guint n = g_strv_length((gchar **)fields);
	g_autoptr(JsonObject) meta_obj = NULL;

	parts->fields = NULL;
	parts->n_fields = 0;
	if (n == 0)
		return;
	parts->fields = rdd_object_parts_array(parts, parts->fields_stack,
					       G_N_ELEMENTS(parts->fields_stack), n, sizeof(gchar *), 3);
	memset(parts->fields, 0, n * sizeof(gchar *));
	parts->n_fields = n;
	for (guint i = 0; i < n; i++) {
		const gchar *dot = strchr(fields[i], '.');
		gsize first_len = dot != NULL ? (gsize)(dot - fields[i]) : strlen(fields[i]);
		const gchar *rest = dot != NULL ? dot + 1 : NULL;
		gchar buf[64];
		g_autofree gchar *heap = NULL;
		const gchar *first = buf;

		if (first_len < sizeof(buf)) {
			memcpy(buf, fields[i], first_len);
			buf[first_len] = '\0';
		} else {
			heap = g_strndup(fields[i], first_len);
			first = heap;
		}
		if (g_strcmp0(first, "metadata") == 0 && meta != NULL && metadata == NULL) {
			/* rare: a selectable field in metadata, looked up as in a JsonObject */
			if (meta_obj == NULL)
				meta_obj = rdd_object_meta_to_object(meta);
			metadata = meta_obj;
		}
		if (g_strcmp0(first, "metadata") == 0 && metadata == NULL) {
			/* a status write keeps the metadata of the previous version */
			parts->fields[i] = g_strdup(base->fields != NULL ? base->fields[i] : NULL);
		} else if (g_strcmp0(first, "metadata") == 0) {
			JsonNode *meta_node = json_node_init_object(json_node_alloc(), metadata);
			parts->fields[i] = rdd_object_field_from_node(meta_node, rest);
			json_node_unref(meta_node);
		} else if (base != NULL && rdd_object_member_from_base(mode, first)) {
			parts->fields[i] = g_strdup(base->fields != NULL ? base->fields[i] : NULL);
		} else if (content != NULL) {
			parts->fields[i] =
				rdd_object_field_from_node(json_object_get_member(content, first), rest);
		}
	}
}

/* writes a member of metadata; resourceVersion and generation are located for
 * rdd_object_set_versions() */
static void
rdd_object_write_meta_member(RddObject *self, GString *out, const gchar *key, JsonNode *node, const gchar *str, const gint64 *num)
{
	gboolean is_rv = strcmp(key, "resourceVersion") == 0;
	gboolean is_gen = !is_rv && strcmp(key, "generation") == 0;

	rdd_json_write_string(out, key);
	rdd_json_append_c(out, ':');
	if (is_rv && (str != NULL || (node != NULL && json_node_get_value_type(node) == G_TYPE_STRING))) {
		const gchar *rv = str != NULL ? str : json_node_get_string(node);
		rdd_json_append_c(out, '"');
		self->rv_off = out->len;
		self->rv_len = strlen(rv);
		rdd_json_append(out, rv, strlen(rv));
		rdd_json_append_c(out, '"');
	} else if (is_gen && (num != NULL || (node != NULL && json_node_get_value_type(node) == G_TYPE_INT64))) {
		self->gen_off = out->len;
		rdd_json_write_int(out, num != NULL ? *num : json_node_get_int(node));
		self->gen_len = out->len - self->gen_off;
	} else if (node != NULL) {
		rdd_json_write(out, node);
	} else if (str != NULL) {
		rdd_json_write_string(out, str);
	} else {
		rdd_json_write_int(out, *num);
	}
}

static void
rdd_object_write_metadata(RddObject *self, GString *out, JsonObject *metadata)
{
	RddObjectLabel stack[RDD_OBJECT_STACK_LABELS];
	g_autofree RddObjectLabel *heap = NULL;
	RddObjectLabel *entries = stack;
	guint size = json_object_get_size(metadata);
	guint n;

	if (size > G_N_ELEMENTS(stack)) {
		heap = g_new(RddObjectLabel, size);
		entries = heap;
	}
	n = rdd_object_members_sorted(metadata, entries, size);
	rdd_json_append_c(out, '{');
	for (guint i = 0; i < n; i++) {
		if (i > 0)
			rdd_json_append_c(out, ',');
		rdd_object_write_meta_member(self, out, entries[i].key, entries[i].value, NULL, NULL);
	}
	rdd_json_append_c(out, '}');
}

/* as rdd_object_write_metadata() for a JsonObject holding the members of @meta; the labels
 * are written from @parts, where they are sorted already */
static void
rdd_object_write_meta(RddObject *self, GString *out, const RddObjectMeta *meta, const RddObjectParts *parts)
{
	gboolean first = TRUE;

	rdd_json_append_c(out, '{');
	for (guint i = 0; i < RDD_OBJECT_META_LAST; i++) {
		const RddObjectMetaValue *v = &meta->values[i];
		if (v->node == NULL && v->str == NULL && !v->has_num)
			continue;
		if (!first)
			rdd_json_append_c(out, ',');
		first = FALSE;
		if (i == RDD_OBJECT_META_LABELS && v->node != NULL && JSON_NODE_HOLDS_OBJECT(v->node)) {
			/* rdd_object_extract_labels() took them all, all strings */
			rdd_json_append(out, "\"labels\":{", 10);
			for (guint j = 0; j < parts->n_labels; j += 2) {
				if (j > 0)
					rdd_json_append_c(out, ',');
				rdd_json_write_string(out, parts->labels[j]);
				rdd_json_append_c(out, ':');
				rdd_json_write_string(out, parts->labels[j + 1]);
			}
			rdd_json_append_c(out, '}');
			continue;
		}
		rdd_object_write_meta_member(self, out, rdd_object_meta_names[i], v->node,
					     v->node == NULL ? v->str : NULL,
					     v->node == NULL && v->str == NULL ? &v->num : NULL);
	}
	rdd_json_append_c(out, '}');
}

/* room for a string in a packed object */
static inline gsize
rdd_object_str_size(const gchar *str)
{
	return str != NULL ? strlen(str) + 1 : 0;
}

/* copies @str to *@p and advances it */
static const gchar *
rdd_object_pack_str(gchar **p, const gchar *str)
{
	gchar *copy = *p;
	gsize len;

	if (str == NULL)
		return NULL;
	len = strlen(str) + 1;
	memcpy(copy, str, len);
	*p += len;
	return copy;
}

/*
 * One allocation for a snapshot: the struct, its arrays and strings, then the JSON. The
 * offsets of resourceVersion and generation come from @layout.
 */
static RddObject *
rdd_object_pack(RddKind *kind,
		const RddObjectParts *parts,
		const RddObject *layout,
		const gchar *json,
		gsize json_len,
		const RddObjectSpan *spans,
		guint n_spans)
{
	gsize size = sizeof(RddObject);
	RddObject *self;
	gchar *p;

	/* pointer arrays first, then spans, then characters */
	size += (parts->n_labels + 1) * sizeof(gchar *);
	size += (parts->n_finalizers + 1) * sizeof(gchar *);
	size += parts->n_fields * sizeof(gchar *);
	size += parts->n_owners * sizeof(RddOwnerReference);
	size += n_spans * sizeof(RddObjectSpan);
	size += rdd_object_str_size(parts->name) + rdd_object_str_size(parts->namespace) +
		rdd_object_str_size(parts->uid);
	for (guint i = 0; i < parts->n_labels; i++)
		size += rdd_object_str_size(parts->labels[i]);
	for (guint i = 0; i < parts->n_finalizers; i++)
		size += rdd_object_str_size(parts->finalizers[i]);
	for (guint i = 0; i < parts->n_owners; i++) {
		size += rdd_object_str_size(parts->owners[i].api_version) +
			rdd_object_str_size(parts->owners[i].kind) +
			rdd_object_str_size(parts->owners[i].name) +
			rdd_object_str_size(parts->owners[i].uid);
	}
	for (guint i = 0; i < parts->n_fields; i++)
		size += rdd_object_str_size(parts->fields[i]);
	size += json_len + 1;

	self = g_malloc(size);
	memset(self, 0, sizeof(RddObject));
	self->ref_count = 1;
	self->kind = g_object_ref(kind);
	self->alloc_size = size;
	self->rv = parts->rv;
	self->generation = parts->generation;
	self->creation = parts->creation;
	self->deletion = parts->deletion;
	self->rv_off = layout->rv_off;
	self->rv_len = layout->rv_len;
	self->gen_off = layout->gen_off;
	self->gen_len = layout->gen_len;

	p = (gchar *)(self + 1);
	self->labels = (gchar **)p;
	p += (parts->n_labels + 1) * sizeof(gchar *);
	self->finalizers = (gchar **)p;
	p += (parts->n_finalizers + 1) * sizeof(gchar *);
	if (parts->fields != NULL) {
		self->fields = (gchar **)p;
		p += parts->n_fields * sizeof(gchar *);
	}
	if (parts->n_owners > 0) {
		self->owners = (RddOwnerReference *)p;
		self->n_owners = parts->n_owners;
		p += parts->n_owners * sizeof(RddOwnerReference);
	}
	self->spans = (RddObjectSpan *)p;
	self->n_spans = n_spans;
	memcpy(self->spans, spans, n_spans * sizeof(RddObjectSpan));
	p += n_spans * sizeof(RddObjectSpan);

	self->name = (gchar *)rdd_object_pack_str(&p, parts->name);
	self->namespace = (gchar *)rdd_object_pack_str(&p, parts->namespace);
	self->uid = (gchar *)rdd_object_pack_str(&p, parts->uid);
	for (guint i = 0; i < parts->n_labels; i++)
		self->labels[i] = (gchar *)rdd_object_pack_str(&p, parts->labels[i]);
	self->labels[parts->n_labels] = NULL;
	for (guint i = 0; i < parts->n_finalizers; i++)
		self->finalizers[i] = (gchar *)rdd_object_pack_str(&p, parts->finalizers[i]);
	self->finalizers[parts->n_finalizers] = NULL;
	for (guint i = 0; i < parts->n_owners; i++) {
		RddOwnerReference *ref = &self->owners[i];
		*ref = parts->owners[i];
		ref->api_version = rdd_object_pack_str(&p, parts->owners[i].api_version);
		ref->kind = rdd_object_pack_str(&p, parts->owners[i].kind);
		ref->name = rdd_object_pack_str(&p, parts->owners[i].name);
		ref->uid = rdd_object_pack_str(&p, parts->owners[i].uid);
	}
	for (guint i = 0; i < parts->n_fields; i++)
		self->fields[i] = (gchar *)rdd_object_pack_str(&p, parts->fields[i]);
	self->json = p;
	self->json_len = json_len;
	memcpy(self->json, json, json_len);
	self->json[json_len] = '\0';
	return self;
}

static gint
rdd_object_member_cmp(const RddObjectMember *a, const RddObjectMember *b)
{
	gint cmp = memcmp(a->key, b->key, MIN(a->key_len, b->key_len));
	if (cmp != 0)
		return cmp;
	return a->key_len < b->key_len ? -1 : a->key_len > b->key_len ? 1 : 0;
}

static gboolean
rdd_object_member_is(const RddObjectMember *member, const gchar *name, gsize len)
{
	return member->key_len == len && memcmp(member->key, name, len) == 0;
}

static gboolean
rdd_object_member_is_resource(const RddObjectMember *member)
{
	return rdd_object_member_is(member, "apiVersion", 10) ||
	       rdd_object_member_is(member, "kind", 4) || rdd_object_member_is(member, "metadata", 8);
}

/* rdd_object_member_from_base() for a member whose key may not be NUL-terminated */
static gboolean
rdd_object_member_is_from_base(RddObjectBuildMode mode, const RddObjectMember *member)
{
	gboolean is_status = rdd_object_member_is(member, "status", 6);
	if (mode == RDD_OBJECT_BUILD_STATUS_FROM_BASE)
		return is_status;
	if (mode == RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT)
		return !is_status;
	return FALSE;
}

/* appends @member to @members (of *@n, on the stack or in *@heap with room for *@cap) */
static void
rdd_object_members_insert(RddObjectMember **members, RddObjectMember **heap, guint *n, guint *cap, const RddObjectMember *member)
{
	if (*n == *cap) {
		RddObjectMember *bigger = g_new(RddObjectMember, *cap * 2);
		memcpy(bigger, *members, sizeof(RddObjectMember) * *n);
		g_free(*heap);
		*heap = bigger;
		*members = bigger;
		*cap *= 2;
	}
	(*members)[(*n)++] = *member;
}

static gint
rdd_object_member_qsort_cmp(gconstpointer a, gconstpointer b)
{
	return rdd_object_member_cmp(a, b);
}

/* sorts @members by key: insertion sort for the few members objects have, else qsort() */
static void
rdd_object_members_sort(RddObjectMember *members, guint n)
{
	if (n > RDD_OBJECT_STACK_MEMBERS) {
		qsort(members, n, sizeof(RddObjectMember), rdd_object_member_qsort_cmp);
		return;
	}
	for (guint j = 1; j < n; j++) {
		RddObjectMember tmp = members[j];
		guint k = j;
		while (k > 0 && rdd_object_member_cmp(&members[k - 1], &tmp) > 0) {
			members[k] = members[k - 1];
			k--;
		}
		members[k] = tmp;
	}
}

/*
 * The one builder: @metadata or @meta is the new metadata, or neither in a status write, which
 * keeps the metadata of @base. Writes into @scratch when given, else into a string of its own.
 */
static RddObject *
rdd_object_build_internal(RddKind *kind,
			  JsonObject *metadata,
			  const RddObjectMeta *meta,
			  JsonObject *content,
			  const gchar *content_json,
			  const guint32 *content_spans,
			  guint n_content_spans,
			  RddObject *base,
			  RddObjectBuildMode mode,
			  GString *scratch,
			  GError **error)
{
	g_auto(RddObjectParts) parts = {0};
	RddObject layout = {0}; /* where resourceVersion and generation are written */
	RddObject *self = &layout;
	RddObjectMember stack[RDD_OBJECT_STACK_MEMBERS];
	g_autofree RddObjectMember *heap = NULL;
	RddObjectMember *members = stack;
	guint n_members = 0;
	guint cap = G_N_ELEMENTS(stack);
	RddObjectSpan spans_stack[RDD_OBJECT_STACK_MEMBERS];
	g_autofree RddObjectSpan *spans_heap = NULL;
	RddObjectSpan *spans = spans_stack;
	g_autoptr(GString) own = NULL;
	GString *out;
	gsize estimate = 256;

	if (metadata == NULL && meta == NULL) {
		if (base == NULL || mode != RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL,
					    "metadata can only come from the previous version in a status write");
			return NULL;
		}
		rdd_object_extract_base(&parts, base);
	} else if (metadata != NULL && !rdd_object_extract_metadata(&parts, metadata, error)) {
		return NULL;
	} else if (metadata == NULL && !rdd_object_extract_meta(&parts, meta, error)) {
		return NULL;
	}

	/* collect the members, sorted: content first, then raw spans from the base */
	if (content_json != NULL) {
		/* already written, as the canonical JSON of @content */
		for (guint i = 0; i < n_content_spans; i++) {
			const guint32 *t = &content_spans[3 * i];
			RddObjectMember member = {0};
			rdd_object_member_init_raw(&member, content_json, t[0], t[1], t[2]);
			if (rdd_object_member_is_resource(&member) ||
			    (base != NULL && rdd_object_member_is_from_base(mode, &member)) ||
			    (base == NULL && mode == RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT &&
			     !rdd_object_member_is(&member, "status", 6))) {
				g_free(member.key_owned);
				continue;
			}
			rdd_object_members_insert(&members, &heap, &n_members, &cap, &member);
		}
	} else if (content != NULL) {
		JsonObjectIter iter;
		const gchar *key;
		JsonNode *value;
		json_object_iter_init(&iter, content);
		while (json_object_iter_next(&iter, &key, &value)) {
			RddObjectMember member = {.key = key, .key_len = strlen(key), .node = value};
			if (rdd_object_member_is_resource(&member))
				continue;
			if (base != NULL && rdd_object_member_is_from_base(mode, &member))
				continue;
			if (base == NULL && mode == RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT &&
			    !rdd_object_member_is(&member, "status", 6))
				continue;
			rdd_object_members_insert(&members, &heap, &n_members, &cap, &member);
		}
	}
	if (base != NULL) {
		for (guint i = 0; i < base->n_spans; i++) {
			const RddObjectSpan *span = &base->spans[i];
			RddObjectMember member = {.src = base};
			rdd_object_member_init_raw(&member, base->json, span->key_off, span->val_off, span->end);
			if (rdd_object_member_is_resource(&member) ||
			    !rdd_object_member_is_from_base(mode, &member)) {
				g_free(member.key_owned);
				continue;
			}
			rdd_object_members_insert(&members, &heap, &n_members, &cap, &member);
		}
		estimate += base->json_len;
	}
	{
		RddObjectMember m1 = {.key = "apiVersion", .key_len = 10, .str = rdd_kind_get_api_version(kind)};
		RddObjectMember m2 = {.key = "kind", .key_len = 4, .str = rdd_kind_get_name(kind)};
		RddObjectMember m3 = {.key = "metadata", .key_len = 8, .is_metadata = TRUE};
		if (metadata == NULL && meta == NULL) {
			const RddObjectSpan *span = rdd_object_find_span(base, "metadata");
			m3.src = base;
			m3.raw = base->json + span->key_off;
			m3.raw_len = span->end - span->key_off;
			m3.raw_val = span->val_off - span->key_off;
		}
		rdd_object_members_insert(&members, &heap, &n_members, &cap, &m1);
		rdd_object_members_insert(&members, &heap, &n_members, &cap, &m2);
		rdd_object_members_insert(&members, &heap, &n_members, &cap, &m3);
	}
	rdd_object_members_sort(members, n_members);

	if (scratch != NULL) {
		out = scratch;
		g_string_truncate(out, 0);
	} else {
		own = g_string_sized_new(estimate);
		out = own;
	}
	if (n_members > G_N_ELEMENTS(spans_stack)) {
		spans_heap = g_new0(RddObjectSpan, n_members);
		spans = spans_heap;
	}
	rdd_json_append_c(out, '{');
	for (guint i = 0; i < n_members; i++) {
		RddObjectMember *member = &members[i];
		RddObjectSpan *span = &spans[i];
		if (i > 0)
			rdd_json_append_c(out, ',');
		span->key_off = out->len;
		if (member->raw != NULL) {
			rdd_json_append(out, member->raw, member->raw_len);
			span->val_off = span->key_off + member->raw_val;
			if (member->is_metadata) {
				/* the metadata of the previous version, with its versions where they were */
				guint32 from = member->raw - member->src->json;
				self->rv_off = member->src->rv_off - from + span->key_off;
				self->rv_len = member->src->rv_len;
				self->gen_off = member->src->gen_off - from + span->key_off;
				self->gen_len = member->src->gen_len;
			}
		} else {
			if (member->key_owned != NULL) {
				rdd_json_write_string(out, member->key_owned);
			} else if (member->node != NULL) {
				/* a content key, NUL-terminated */
				rdd_json_write_string(out, member->key);
			} else {
				rdd_json_append_c(out, '"');
				rdd_json_append(out, member->key, member->key_len);
				rdd_json_append_c(out, '"');
			}
			rdd_json_append_c(out, ':');
			span->val_off = out->len;
			if (member->node != NULL)
				rdd_json_write(out, member->node);
			else if (member->str != NULL)
				rdd_json_write_string(out, member->str);
			else if (metadata != NULL)
				rdd_object_write_metadata(self, out, metadata);
			else
				rdd_object_write_meta(self, out, meta, &parts);
		}
		span->end = out->len;
	}
	rdd_json_append_c(out, '}');
	for (guint i = 0; i < n_members; i++)
		g_free(members[i].key_owned);

	if (out->len >= G_MAXUINT32) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_TOO_LARGE, "object is too large");
		return NULL;
	}
	if (layout.rv_len == 0 || layout.gen_len == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "metadata.resourceVersion and metadata.generation must be set");
		return NULL;
	}
	/* a status write takes status fields from the content and the rest from the base */
	rdd_object_extract_fields(&parts, kind, metadata, meta, content, base, mode);
	return rdd_object_pack(kind, &parts, &layout, out->str, out->len, spans, n_members);
}

/**
 * rdd_object_build: (skip)
 * @kind: the kind
 * @metadata: (nullable): the complete metadata, server fields included; %NULL in a status
 *   write keeps the metadata of @base
 * @content: (nullable): the new top-level members; `apiVersion`, `kind` and `metadata` in it
 *   are ignored
 * @base: (nullable): the previous version, a source of raw members
 * @mode: which members come from @base
 * @error: return location for an error
 *
 * Serialises a new immutable object in canonical form and extracts what the store indexes.
 *
 * Returns: (transfer full): the object, or %NULL when @metadata is malformed
 */
RddObject *
rdd_object_build(RddKind *kind, JsonObject *metadata, JsonObject *content, RddObject *base, RddObjectBuildMode mode, GError **error)
{
	return rdd_object_build_internal(kind, metadata, NULL, content, NULL, NULL, 0, base, mode, NULL, error);
}

/**
 * rdd_object_build_meta: (skip)
 * @kind: the kind
 * @meta: the complete metadata, server fields included
 * @content: (nullable): the new top-level members; `apiVersion`, `kind` and `metadata` in it
 *   are ignored
 * @content_json: (nullable): @content already written in canonical form, by
 *   rdd_schema_write(), used instead of writing it again
 * @content_spans: (nullable): where the members are in @content_json, three offsets each (key,
 *   value, end), in sorted order
 * @n_content_spans: the number of members in @content_spans
 * @base: (nullable): the previous version, a source of raw members
 * @mode: which members come from @base
 * @scratch: (nullable): a buffer to serialise into, reused from call to call; the object gets
 *   a copy of exactly the right size
 * @error: return location for an error
 *
 * Does what rdd_object_build() does with a JsonObject holding the members of @meta, without
 * building one.
 *
 * Returns: (transfer full): the object, or %NULL when @meta is malformed
 */
RddObject *
rdd_object_build_meta(RddKind *kind,
		      const RddObjectMeta *meta,
		      JsonObject *content,
		      const gchar *content_json,
		      const guint32 *content_spans,
		      guint n_content_spans,
		      RddObject *base,
		      RddObjectBuildMode mode,
		      GString *scratch,
		      GError **error)
{
	g_return_val_if_fail(meta != NULL, NULL);
	return rdd_object_build_internal(kind, NULL, meta, content, content_json, content_spans,
					 n_content_spans, base, mode, scratch, error);
}

/**
 * rdd_object_copy: (skip)
 * @self: an object
 *
 * Returns: (transfer full): an unshared deep copy, for rdd_object_set_versions()
 */
RddObject *
rdd_object_copy(RddObject *self)
{
	g_auto(RddObjectParts) parts = {0};

	g_return_val_if_fail(self != NULL, NULL);
	rdd_object_extract_base(&parts, self);
	if (self->fields != NULL) {
		/* copies: the parts own their fields */
		parts.n_fields = g_strv_length((gchar **)rdd_kind_get_selectable_fields(self->kind));
		parts.fields = rdd_object_parts_array(&parts, parts.fields_stack,
						      G_N_ELEMENTS(parts.fields_stack),
						      parts.n_fields, sizeof(gchar *), 3);
		for (guint i = 0; i < parts.n_fields; i++)
			parts.fields[i] = g_strdup(self->fields[i]);
	}
	return rdd_object_pack(self->kind, &parts, self, self->json, self->json_len, self->spans, self->n_spans);
}

/**
 * rdd_object_set_versions: (skip)
 * @self: an object that nobody else holds yet
 * @rv: the new resourceVersion
 * @generation: the new generation
 * @error: return location for an error
 *
 * Rewrites resourceVersion and generation in place, in the JSON and the struct, without
 * serialising the object again.
 *
 * Returns: %TRUE on success
 */
gboolean
rdd_object_set_versions(RddObject *self, guint64 rv, gint64 generation, GError **error)
{
	gchar rv_text[24], gen_text[24];
	gsize rv_len, gen_len, new_len;
	guint32 first_off, first_len, second_off, second_len;
	const gchar *first_text, *second_text;
	gsize first_new, second_new;
	gchar *json, *p;
	gssize delta_first, delta_total;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(self->ref_count == 1, FALSE);

	rv_len = g_snprintf(rv_text, sizeof(rv_text), "%" G_GUINT64_FORMAT, rv);
	gen_len = g_snprintf(gen_text, sizeof(gen_text), "%" G_GINT64_FORMAT, generation);
	if (self->rv_len == 0 || self->gen_len == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "object has no version fields");
		return FALSE;
	}
	if (self->gen_off < self->rv_off) {
		first_off = self->gen_off, first_len = self->gen_len, first_text = gen_text, first_new = gen_len;
		second_off = self->rv_off, second_len = self->rv_len, second_text = rv_text, second_new = rv_len;
	} else {
		first_off = self->rv_off, first_len = self->rv_len, first_text = rv_text, first_new = rv_len;
		second_off = self->gen_off, second_len = self->gen_len, second_text = gen_text,
		second_new = gen_len;
	}
	if (first_new == first_len && second_new == second_len) {
		/* the same number of digits, the usual case: in place, nothing moves */
		memcpy(self->json + first_off, first_text, first_new);
		memcpy(self->json + second_off, second_text, second_new);
		self->rv = rv;
		self->generation = generation;
		return TRUE;
	}
	new_len = self->json_len - first_len - second_len + first_new + second_new;
	json = g_malloc(new_len + 1);
	p = json;
	memcpy(p, self->json, first_off);
	p += first_off;
	memcpy(p, first_text, first_new);
	p += first_new;
	memcpy(p, self->json + first_off + first_len, second_off - first_off - first_len);
	p += second_off - first_off - first_len;
	memcpy(p, second_text, second_new);
	p += second_new;
	memcpy(p, self->json + second_off + second_len, self->json_len - second_off - second_len);
	json[new_len] = '\0';

	/* the JSON moves out of the object's block, or to a bigger buffer of its own */
	delta_first = (gssize)first_new - (gssize)first_len;
	delta_total = delta_first + (gssize)second_new - (gssize)second_len;
	for (guint i = 0; i < self->n_spans; i++) {
		RddObjectSpan *span = &self->spans[i];
		if (span->key_off > second_off)
			span->key_off += delta_total;
		else if (span->key_off > first_off)
			span->key_off += delta_first;
		if (span->val_off > second_off)
			span->val_off += delta_total;
		else if (span->val_off > first_off)
			span->val_off += delta_first;
		if (span->end > second_off)
			span->end += delta_total;
		else if (span->end > first_off)
			span->end += delta_first;
	}
	if (self->gen_off < self->rv_off) {
		self->rv_off += delta_first;
		self->gen_len = gen_len;
		self->rv_len = rv_len;
	} else {
		self->gen_off += delta_first;
		self->gen_len = gen_len;
		self->rv_len = rv_len;
	}
	if (self->json_apart)
		g_free(self->json);
	self->json = json;
	self->json_apart = TRUE;
	self->json_len = new_len;
	self->rv = rv;
	self->generation = generation;
	return TRUE;
}

/**
 * rdd_object_new_from_json: (skip)
 * @kind: the kind
 * @json: a serialised object, as stored in the database
 * @length: length of @json
 * @error: return location for an error
 *
 * Rebuilds an object from its stored JSON (re-canonicalising it).
 *
 * Returns: (transfer full): the object
 */
RddObject *
rdd_object_new_from_json(RddKind *kind, const gchar *json, gsize length, GError **error)
{
	g_autoptr(JsonNode) node = rdd_json_parse(json, length, error);
	JsonObject *metadata;

	if (node == NULL)
		return NULL;
	metadata = rdd_json_lookup_object(node, "metadata");
	if (metadata == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "object has no metadata");
		return NULL;
	}
	return rdd_object_build(kind, metadata, json_node_get_object(node), NULL, RDD_OBJECT_BUILD_CONTENT, error);
}

/**
 * rdd_object_spec_equal: (skip)
 * @a: an object
 * @b: another object of the same kind
 *
 * @with_status: whether `status` counts (kinds without a status subresource)
 *
 * Compares everything but `apiVersion`, `kind`, `metadata` and (unless @with_status)
 * `status`, byte for byte on the canonical forms, which is semantic equality.
 *
 * Returns: %TRUE when the specs are equal
 */
gboolean
rdd_object_spec_equal(RddObject *a, RddObject *b, gboolean with_status)
{
	guint i = 0, j = 0;

	for (;;) {
		while (i < a->n_spans && rdd_object_span_is_reserved(a, &a->spans[i], with_status))
			i++;
		while (j < b->n_spans && rdd_object_span_is_reserved(b, &b->spans[j], with_status))
			j++;
		if (i >= a->n_spans || j >= b->n_spans)
			return i >= a->n_spans && j >= b->n_spans;
		if (a->spans[i].end - a->spans[i].key_off != b->spans[j].end - b->spans[j].key_off)
			return FALSE;
		if (memcmp(a->json + a->spans[i].key_off, b->json + b->spans[j].key_off,
			   a->spans[i].end - a->spans[i].key_off) != 0)
			return FALSE;
		i++;
		j++;
	}
}

/**
 * rdd_object_dup_metadata: (skip)
 * @self: an object
 *
 * Returns: (transfer full): a parsed copy of `metadata`
 */
JsonObject *
rdd_object_dup_metadata(RddObject *self)
{
	g_autoptr(JsonNode) node = rdd_object_dup_member(self, "metadata");
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return json_object_new();
	return json_object_ref(json_node_get_object(node));
}

/**
 * rdd_object_get_kind:
 * @self: an object
 *
 * Returns: (transfer none): the kind
 *
 * Since: 0.1
 */
RddKind *
rdd_object_get_kind(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->kind;
}

/**
 * rdd_object_get_name:
 * @self: an object
 *
 * Returns: `metadata.name`
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_name(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->name;
}

/**
 * rdd_object_get_namespace:
 * @self: an object
 *
 * Returns: `metadata.namespace`, or `""` for a cluster-scoped object
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_namespace(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->namespace;
}

/**
 * rdd_object_get_uid:
 * @self: an object
 *
 * Returns: `metadata.uid`
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_uid(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->uid;
}

/**
 * rdd_object_get_resource_version:
 * @self: an object
 *
 * Returns: `metadata.resourceVersion` as a number
 *
 * Since: 0.1
 */
guint64
rdd_object_get_resource_version(RddObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->rv;
}

/**
 * rdd_object_get_generation:
 * @self: an object
 *
 * Returns: `metadata.generation`
 *
 * Since: 0.1
 */
gint64
rdd_object_get_generation(RddObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->generation;
}

/**
 * rdd_object_get_creation_timestamp:
 * @self: an object
 *
 * Returns: `metadata.creationTimestamp` in microseconds since the epoch
 *
 * Since: 0.1
 */
gint64
rdd_object_get_creation_timestamp(RddObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->creation;
}

/**
 * rdd_object_get_deletion_timestamp:
 * @self: an object
 *
 * Returns: `metadata.deletionTimestamp` in microseconds since the epoch, or 0
 *
 * Since: 0.1
 */
gint64
rdd_object_get_deletion_timestamp(RddObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->deletion;
}

/**
 * rdd_object_is_deleting:
 * @self: an object
 *
 * Returns: %TRUE when deletion was requested and finalizers are pending
 *
 * Since: 0.1
 */
gboolean
rdd_object_is_deleting(RddObject *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->deletion != 0;
}

/**
 * rdd_object_get_labels:
 * @self: an object
 *
 * Returns: (array zero-terminated=1): the labels as a flat array `key, value, key, value, …`
 *   sorted by key
 *
 * Since: 0.1
 */
const gchar *const *
rdd_object_get_labels(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return (const gchar *const *)self->labels;
}

/**
 * rdd_object_get_label:
 * @self: an object
 * @key: a label key
 *
 * Returns: (nullable): the label value
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_label(RddObject *self, const gchar *key)
{
	guint lo = 0, hi;

	g_return_val_if_fail(self != NULL, NULL);
	hi = g_strv_length(self->labels) / 2;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		gint cmp = strcmp(self->labels[2 * mid], key);
		if (cmp == 0)
			return self->labels[2 * mid + 1];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/**
 * rdd_object_get_finalizers:
 * @self: an object
 *
 * Returns: (array zero-terminated=1): `metadata.finalizers`
 *
 * Since: 0.1
 */
const gchar *const *
rdd_object_get_finalizers(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return (const gchar *const *)self->finalizers;
}

/**
 * rdd_object_has_finalizer:
 * @self: an object
 * @finalizer: a finalizer name
 *
 * Returns: %TRUE when @finalizer is present
 *
 * Since: 0.1
 */
gboolean
rdd_object_has_finalizer(RddObject *self, const gchar *finalizer)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return g_strv_contains((const gchar *const *)self->finalizers, finalizer);
}

/**
 * rdd_object_get_n_owner_references:
 * @self: an object
 *
 * Returns: the number of owner references
 *
 * Since: 0.1
 */
guint
rdd_object_get_n_owner_references(RddObject *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->n_owners;
}

/**
 * rdd_object_get_owner_reference:
 * @self: an object
 * @idx: an index below rdd_object_get_n_owner_references()
 *
 * Returns: (transfer none): the owner reference
 *
 * Since: 0.1
 */
const RddOwnerReference *
rdd_object_get_owner_reference(RddObject *self, guint idx)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(idx < self->n_owners, NULL);
	return &self->owners[idx];
}

/**
 * rdd_object_get_controller_reference:
 * @self: an object
 *
 * Returns: (transfer none) (nullable): the owner reference with `controller: true`
 *
 * Since: 0.1
 */
const RddOwnerReference *
rdd_object_get_controller_reference(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	for (guint i = 0; i < self->n_owners; i++) {
		if (self->owners[i].controller)
			return &self->owners[i];
	}
	return NULL;
}

/**
 * rdd_object_is_owned_by:
 * @self: an object
 * @uid: an owner uid
 *
 * Returns: %TRUE when an owner reference names @uid
 *
 * Since: 0.1
 */
gboolean
rdd_object_is_owned_by(RddObject *self, const gchar *uid)
{
	g_return_val_if_fail(self != NULL, FALSE);
	for (guint i = 0; i < self->n_owners; i++) {
		if (g_strcmp0(self->owners[i].uid, uid) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * rdd_object_dup_annotation:
 * @self: an object
 * @key: an annotation key
 *
 * Returns: (transfer full) (nullable): the annotation value
 *
 * Since: 0.1
 */
gchar *
rdd_object_dup_annotation(RddObject *self, const gchar *key)
{
	g_autoptr(JsonObject) metadata = NULL;
	JsonObject *annotations;

	g_return_val_if_fail(self != NULL, NULL);
	metadata = rdd_object_dup_metadata(self);
	if (!json_object_has_member(metadata, "annotations"))
		return NULL;
	annotations = json_object_get_object_member(metadata, "annotations");
	if (annotations == NULL)
		return NULL;
	return g_strdup(json_object_get_string_member_with_default(annotations, key, NULL));
}

/**
 * rdd_object_get_field:
 * @self: an object
 * @field_path: `metadata.name`, `metadata.namespace` or a selectable field of the kind
 *
 * Returns: (nullable): the value used for field selectors
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_field(RddObject *self, const gchar *field_path)
{
	gint idx;

	g_return_val_if_fail(self != NULL, NULL);
	if (g_strcmp0(field_path, "metadata.name") == 0)
		return self->name;
	if (g_strcmp0(field_path, "metadata.namespace") == 0)
		return self->namespace;
	idx = rdd_kind_get_selectable_field_index(self->kind, field_path);
	if (idx < 0 || self->fields == NULL)
		return NULL;
	return self->fields[idx];
}

/**
 * rdd_object_get_json:
 * @self: an object
 * @length: (out) (optional): the length in bytes
 *
 * Returns: the canonical compact JSON, NUL-terminated
 *
 * Since: 0.1
 */
const gchar *
rdd_object_get_json(RddObject *self, gsize *length)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (length != NULL)
		*length = self->json_len;
	return self->json;
}

/**
 * rdd_object_dup_node:
 * @self: an object
 *
 * Returns: (transfer full): a freshly parsed, mutable copy of the object
 *
 * Since: 0.1
 */
JsonNode *
rdd_object_dup_node(RddObject *self)
{
	g_autoptr(GError) error_local = NULL;
	JsonNode *node;

	g_return_val_if_fail(self != NULL, NULL);
	node = rdd_json_parse(self->json, self->json_len, &error_local);
	if (node == NULL) {
		/* our own canonical output always parses; this is a defect */
		g_critical("stored object %s does not parse: %s", self->name, error_local->message);
		return rdd_json_node_new_object(NULL);
	}
	return node;
}

/**
 * rdd_object_dup_member:
 * @self: an object
 * @member: a top-level member, e.g. `spec` or `status`
 *
 * Returns: (transfer full) (nullable): a parsed copy of the member
 *
 * Since: 0.1
 */
JsonNode *
rdd_object_dup_member(RddObject *self, const gchar *member)
{
	const RddObjectSpan *span;

	g_return_val_if_fail(self != NULL, NULL);
	span = rdd_object_find_span(self, member);
	if (span == NULL)
		return NULL;
	return rdd_json_parse(self->json + span->val_off, span->end - span->val_off, NULL);
}

/**
 * rdd_object_get_key:
 * @self: an object
 *
 * Returns: (transfer full): `namespace/name`, or `name` for cluster-scoped objects
 *
 * Since: 0.1
 */
gchar *
rdd_object_get_key(RddObject *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (self->namespace[0] == '\0')
		return g_strdup(self->name);
	return g_strconcat(self->namespace, "/", self->name, NULL);
}

/**
 * rdd_object_get_memory_size:
 * @self: an object
 *
 * Returns: an estimate of the heap bytes this snapshot holds, JSON included
 *
 * Since: 0.1
 */
gsize
rdd_object_get_memory_size(RddObject *self)
{
	gsize size;
	/* glibc malloc adds 8 bytes to each chunk and rounds to 16 */
#define RDD_CHUNK(n) ((((gsize)(n) + 8 + 15) / 16) * 16)
	g_return_val_if_fail(self != NULL, 0);
	/* one block holds the struct, its arrays and strings, and the JSON unless it moved */
	size = RDD_CHUNK(self->alloc_size);
	if (self->json_apart)
		size += RDD_CHUNK(self->json_len + 1);
#undef RDD_CHUNK
	return size;
}
