/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-object-private.h"
#include "rdd-time.h"

G_DEFINE_BOXED_TYPE(RddObject, rdd_object, rdd_object_ref, rdd_object_unref)

/* a top-level member while building: either a node from the new content or a raw span */
typedef struct {
	gchar *key; /* decoded */
	JsonNode *node;
	RddObject *src;
	const RddObjectSpan *span;
} RddObjectMember;

static void
rdd_object_free(RddObject *self)
{
	g_free(self->json);
	g_free(self->spans);
	g_free(self->name);
	g_free(self->namespace);
	g_free(self->uid);
	g_strfreev(self->labels);
	g_strfreev(self->finalizers);
	for (guint i = 0; i < self->n_owners; i++) {
		g_free((gchar *)self->owners[i].api_version);
		g_free((gchar *)self->owners[i].kind);
		g_free((gchar *)self->owners[i].name);
		g_free((gchar *)self->owners[i].uid);
	}
	g_free(self->owners);
	if (self->fields != NULL) {
		guint n = g_strv_length((gchar **)rdd_kind_get_selectable_fields(self->kind));
		for (guint i = 0; i < n; i++)
			g_free(self->fields[i]);
		g_free(self->fields);
	}
	/* last: the number of fields above comes from the kind, which this may finalize */
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

static gchar *
rdd_object_span_key(RddObject *self, const RddObjectSpan *span)
{
	const gchar *start = self->json + span->key_off + 1;
	const gchar *end = self->json + span->val_off - 2; /* the closing quote before ':' */
	g_autoptr(JsonNode) node = NULL;

	if (memchr(start, '\\', end - start) == NULL)
		return g_strndup(start, end - start);
	node = rdd_json_parse(self->json + span->key_off, span->val_off - 1 - span->key_off, NULL);
	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return g_strndup(start, end - start);
	return g_strdup(json_node_get_string(node));
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
	       rdd_object_span_is(self, span, "kind", 4) ||
	       rdd_object_span_is(self, span, "metadata", 8) ||
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

static gint
rdd_object_member_cmp(gconstpointer a, gconstpointer b)
{
	const RddObjectMember *ma = a;
	const RddObjectMember *mb = b;
	return strcmp(ma->key, mb->key);
}

static void
rdd_object_member_clear(RddObjectMember *member)
{
	g_free(member->key);
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

static gboolean
rdd_object_extract_metadata(RddObject *self, JsonObject *metadata, GError **error)
{
	JsonNode *node;
	const gchar *str;

	str = json_object_get_string_member_with_default(metadata, "name", NULL);
	if (str == NULL || str[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.name: Required value");
		return FALSE;
	}
	self->name = g_strdup(str);
	self->namespace =
	    g_strdup(json_object_get_string_member_with_default(metadata, "namespace", ""));
	self->uid = g_strdup(json_object_get_string_member_with_default(metadata, "uid", ""));
	str = json_object_get_string_member_with_default(metadata, "resourceVersion", "0");
	self->rv = g_ascii_strtoull(str, NULL, 10);
	self->generation = json_object_get_int_member_with_default(metadata, "generation", 0);
	str = json_object_get_string_member_with_default(metadata, "creationTimestamp", NULL);
	if (str != NULL && !rdd_time_parse(str, &self->creation, error)) {
		g_prefix_error_literal(error, "metadata.creationTimestamp: ");
		return FALSE;
	}
	str = json_object_get_string_member_with_default(metadata, "deletionTimestamp", NULL);
	if (str != NULL && !rdd_time_parse(str, &self->deletion, error)) {
		g_prefix_error_literal(error, "metadata.deletionTimestamp: ");
		return FALSE;
	}

	/* labels as sorted flat pairs */
	node = json_object_get_member(metadata, "labels");
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObject *labels = json_node_get_object(node);
		g_autoptr(GList) keys = json_object_get_members(labels);
		guint n = g_list_length(keys), i = 0;
		keys = g_list_sort(keys, (GCompareFunc)strcmp);
		self->labels = g_new0(gchar *, 2 * n + 1);
		for (GList *l = keys; l != NULL; l = l->next) {
			JsonNode *value = json_object_get_member(labels, l->data);
			if (json_node_get_value_type(value) != G_TYPE_STRING) {
				g_set_error(error,
					    RDD_ERROR,
					    RDD_ERROR_INVALID,
					    "metadata.labels[%s]: label values must be strings",
					    (const gchar *)l->data);
				return FALSE;
			}
			self->labels[i++] = g_strdup(l->data);
			self->labels[i++] = g_strdup(json_node_get_string(value));
		}
	} else {
		self->labels = g_new0(gchar *, 1);
	}

	node = json_object_get_member(metadata, "finalizers");
	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);
		self->finalizers = g_new0(gchar *, n + 1);
		for (guint i = 0; i < n; i++) {
			const gchar *fin = json_array_get_string_element(arr, i);
			if (fin == NULL) {
				g_set_error(error,
					    RDD_ERROR,
					    RDD_ERROR_INVALID,
					    "metadata.finalizers[%u]: must be a string",
					    i);
				return FALSE;
			}
			self->finalizers[i] = g_strdup(fin);
		}
	} else {
		self->finalizers = g_new0(gchar *, 1);
	}

	node = json_object_get_member(metadata, "ownerReferences");
	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);
		if (n > G_MAXUINT16) {
			g_set_error_literal(error,
					    RDD_ERROR,
					    RDD_ERROR_INVALID,
					    "metadata.ownerReferences: too many entries");
			return FALSE;
		}
		self->owners = g_new0(RddOwnerReference, n);
		self->n_owners = n;
		for (guint i = 0; i < n; i++) {
			JsonNode *item = json_array_get_element(arr, i);
			JsonObject *ref;
			if (!JSON_NODE_HOLDS_OBJECT(item)) {
				g_set_error(error,
					    RDD_ERROR,
					    RDD_ERROR_INVALID,
					    "metadata.ownerReferences[%u]: must be an object",
					    i);
				return FALSE;
			}
			ref = json_node_get_object(item);
			self->owners[i].api_version = g_strdup(
			    json_object_get_string_member_with_default(ref, "apiVersion", ""));
			self->owners[i].kind =
			    g_strdup(json_object_get_string_member_with_default(ref, "kind", ""));
			self->owners[i].name =
			    g_strdup(json_object_get_string_member_with_default(ref, "name", ""));
			self->owners[i].uid =
			    g_strdup(json_object_get_string_member_with_default(ref, "uid", ""));
			self->owners[i].controller =
			    json_object_get_boolean_member_with_default(ref, "controller", FALSE);
			self->owners[i].block_owner_deletion =
			    json_object_get_boolean_member_with_default(ref,
									"blockOwnerDeletion",
									FALSE);
		}
	}
	return TRUE;
}

static gchar *
rdd_object_field_from_node(JsonNode *node, const gchar *rest)
{
	g_auto(GStrv) parts = NULL;

	if (node == NULL)
		return NULL;
	if (rest != NULL) {
		parts = g_strsplit(rest, ".", -1);
		for (guint i = 0; parts[i] != NULL && node != NULL; i++) {
			if (!JSON_NODE_HOLDS_OBJECT(node))
				return NULL;
			node = json_object_get_member(json_node_get_object(node), parts[i]);
		}
	}
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
rdd_object_extract_fields(RddObject *self,
			  JsonObject *metadata,
			  JsonObject *content,
			  RddObject *base,
			  RddObjectBuildMode mode)
{
	const gchar *const *fields = rdd_kind_get_selectable_fields(self->kind);
	guint n = g_strv_length((gchar **)fields);

	if (n == 0)
		return;
	self->fields = g_new0(gchar *, n);
	for (guint i = 0; i < n; i++) {
		const gchar *dot = strchr(fields[i], '.');
		g_autofree gchar *first =
		    dot != NULL ? g_strndup(fields[i], dot - fields[i]) : g_strdup(fields[i]);
		const gchar *rest = dot != NULL ? dot + 1 : NULL;

		if (g_strcmp0(first, "metadata") == 0 && metadata == NULL) {
			/* a status write keeps the metadata of the previous version */
			self->fields[i] = g_strdup(base->fields != NULL ? base->fields[i] : NULL);
		} else if (g_strcmp0(first, "metadata") == 0) {
			JsonNode *meta_node = json_node_init_object(json_node_alloc(), metadata);
			self->fields[i] = rdd_object_field_from_node(meta_node, rest);
			json_node_unref(meta_node);
		} else if (base != NULL && rdd_object_member_from_base(mode, first)) {
			self->fields[i] = g_strdup(base->fields != NULL ? base->fields[i] : NULL);
		} else if (content != NULL) {
			self->fields[i] =
			    rdd_object_field_from_node(json_object_get_member(content, first), rest);
		}
	}
}

static void
rdd_object_write_metadata(RddObject *self, GString *out, JsonObject *metadata)
{
	g_autoptr(GList) keys = json_object_get_members(metadata);

	keys = g_list_sort(keys, (GCompareFunc)strcmp);
	g_string_append_c(out, '{');
	for (GList *l = keys; l != NULL; l = l->next) {
		const gchar *key = l->data;
		JsonNode *value = json_object_get_member(metadata, key);
		if (l != keys)
			g_string_append_c(out, ',');
		rdd_json_write_string(out, key);
		g_string_append_c(out, ':');
		if (g_strcmp0(key, "resourceVersion") == 0 &&
		    json_node_get_value_type(value) == G_TYPE_STRING) {
			const gchar *rv = json_node_get_string(value);
			g_string_append_c(out, '"');
			self->rv_off = out->len;
			self->rv_len = strlen(rv);
			g_string_append(out, rv);
			g_string_append_c(out, '"');
		} else if (g_strcmp0(key, "generation") == 0 &&
			   json_node_get_value_type(value) == G_TYPE_INT64) {
			self->gen_off = out->len;
			rdd_json_write(out, value);
			self->gen_len = out->len - self->gen_off;
		} else {
			rdd_json_write(out, value);
		}
	}
	g_string_append_c(out, '}');
}

static gchar **
rdd_object_strv_dup_n(gchar **strv, guint n)
{
	gchar **copy;
	if (strv == NULL)
		return NULL;
	copy = g_new0(gchar *, n);
	for (guint i = 0; i < n; i++)
		copy[i] = g_strdup(strv[i]);
	return copy;
}

/* a status write keeps every piece of metadata of the previous version */
static void
rdd_object_copy_metadata(RddObject *self, RddObject *base)
{
	self->name = g_strdup(base->name);
	self->namespace = g_strdup(base->namespace);
	self->uid = g_strdup(base->uid);
	self->rv = base->rv;
	self->generation = base->generation;
	self->creation = base->creation;
	self->deletion = base->deletion;
	self->labels = g_strdupv(base->labels);
	self->finalizers = g_strdupv(base->finalizers);
	self->n_owners = base->n_owners;
	if (base->n_owners > 0) {
		self->owners = g_new0(RddOwnerReference, base->n_owners);
		for (guint i = 0; i < base->n_owners; i++) {
			self->owners[i] = base->owners[i];
			self->owners[i].api_version = g_strdup(base->owners[i].api_version);
			self->owners[i].kind = g_strdup(base->owners[i].kind);
			self->owners[i].name = g_strdup(base->owners[i].name);
			self->owners[i].uid = g_strdup(base->owners[i].uid);
		}
	}
}

/**
 * rdd_object_build: (skip)
 * @kind: the kind
 * @metadata: the complete metadata, server fields included
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
rdd_object_build(RddKind *kind,
		 JsonObject *metadata,
		 JsonObject *content,
		 RddObject *base,
		 RddObjectBuildMode mode,
		 GError **error)
{
	g_autoptr(RddObject) self = g_new0(RddObject, 1);
	g_autoptr(GArray) members = g_array_new(FALSE, TRUE, sizeof(RddObjectMember));
	g_autoptr(GString) out = NULL;
	JsonNode *api_version_node, *kind_node;
	gsize estimate = 256;

	g_array_set_clear_func(members, (GDestroyNotify)rdd_object_member_clear);
	self->ref_count = 1;
	self->kind = g_object_ref(kind);

	if (metadata == NULL) {
		if (base == NULL || mode != RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT) {
			g_set_error_literal(error,
					    RDD_ERROR,
					    RDD_ERROR_INTERNAL,
					    "metadata can only come from the previous version in a status write");
			return NULL;
		}
		rdd_object_copy_metadata(self, base);
	} else if (!rdd_object_extract_metadata(self, metadata, error)) {
		return NULL;
	}

	/* collect the members: content first, then raw spans from the base */
	if (content != NULL) {
		JsonObjectIter iter;
		const gchar *key;
		JsonNode *value;
		json_object_iter_init(&iter, content);
		while (json_object_iter_next(&iter, &key, &value)) {
			RddObjectMember member = {0};
			if (g_strcmp0(key, "apiVersion") == 0 || g_strcmp0(key, "kind") == 0 ||
			    g_strcmp0(key, "metadata") == 0)
				continue;
			if (base != NULL && rdd_object_member_from_base(mode, key))
				continue;
			if (base == NULL && mode == RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT &&
			    g_strcmp0(key, "status") != 0)
				continue;
			member.key = g_strdup(key);
			member.node = value;
			g_array_append_val(members, member);
		}
	}
	if (base != NULL) {
		for (guint i = 0; i < base->n_spans; i++) {
			RddObjectMember member = {0};
			g_autofree gchar *key = rdd_object_span_key(base, &base->spans[i]);
			if (g_strcmp0(key, "apiVersion") == 0 || g_strcmp0(key, "kind") == 0 ||
			    g_strcmp0(key, "metadata") == 0)
				continue;
			if (!rdd_object_member_from_base(mode, key))
				continue;
			member.key = g_steal_pointer(&key);
			member.src = base;
			member.span = &base->spans[i];
			g_array_append_val(members, member);
		}
		estimate += base->json_len;
	}
	api_version_node = json_node_init_string(json_node_alloc(), rdd_kind_get_api_version(kind));
	kind_node = json_node_init_string(json_node_alloc(), rdd_kind_get_name(kind));
	{
		RddObjectMember m1 = {.key = g_strdup("apiVersion"), .node = api_version_node};
		RddObjectMember m2 = {.key = g_strdup("kind"), .node = kind_node};
		RddObjectMember m3 = {.key = g_strdup("metadata")};
		if (metadata == NULL) {
			m3.src = base;
			m3.span = rdd_object_find_span(base, "metadata");
		}
		g_array_append_val(members, m1);
		g_array_append_val(members, m2);
		g_array_append_val(members, m3);
	}
	g_array_sort(members, rdd_object_member_cmp);

	out = g_string_sized_new(estimate);
	self->spans = g_new0(RddObjectSpan, members->len);
	self->n_spans = members->len;
	g_string_append_c(out, '{');
	for (guint i = 0; i < members->len; i++) {
		RddObjectMember *member = &g_array_index(members, RddObjectMember, i);
		RddObjectSpan *span = &self->spans[i];
		if (i > 0)
			g_string_append_c(out, ',');
		span->key_off = out->len;
		if (member->span != NULL) {
			guint32 shift = span->key_off - member->span->key_off;
			g_string_append_len(out,
					    member->src->json + member->span->key_off,
					    member->span->end - member->span->key_off);
			span->val_off = member->span->val_off + shift;
			if (g_strcmp0(member->key, "metadata") == 0) {
				self->rv_off = member->src->rv_off + shift;
				self->rv_len = member->src->rv_len;
				self->gen_off = member->src->gen_off + shift;
				self->gen_len = member->src->gen_len;
			}
		} else {
			rdd_json_write_string(out, member->key);
			g_string_append_c(out, ':');
			span->val_off = out->len;
			if (member->node != NULL)
				rdd_json_write(out, member->node);
			else
				rdd_object_write_metadata(self, out, metadata);
		}
		span->end = out->len;
	}
	g_string_append_c(out, '}');
	json_node_unref(api_version_node);
	json_node_unref(kind_node);

	if (out->len >= G_MAXUINT32) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_TOO_LARGE, "object is too large");
		return NULL;
	}
	self->json_len = out->len;
	self->json = g_realloc(g_string_free(g_steal_pointer(&out), FALSE), self->json_len + 1);
	/* a status write takes status fields from the content and the rest from the base */
	rdd_object_extract_fields(self, metadata, content, base, mode);
	if (self->rv_len == 0 || self->gen_len == 0) {
		g_set_error_literal(error,
				    RDD_ERROR,
				    RDD_ERROR_INTERNAL,
				    "metadata.resourceVersion and metadata.generation must be set");
		return NULL;
	}
	return g_steal_pointer(&self);
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
	RddObject *copy = g_new0(RddObject, 1);
	copy->ref_count = 1;
	copy->kind = g_object_ref(self->kind);
	copy->json = g_memdup2(self->json, self->json_len + 1);
	copy->json_len = self->json_len;
	copy->rv_off = self->rv_off;
	copy->rv_len = self->rv_len;
	copy->gen_off = self->gen_off;
	copy->gen_len = self->gen_len;
	copy->n_spans = self->n_spans;
	copy->spans = g_memdup2(self->spans, sizeof(RddObjectSpan) * self->n_spans);
	rdd_object_copy_metadata(copy, self);
	copy->fields = rdd_object_strv_dup_n(
	    self->fields,
	    g_strv_length((gchar **)rdd_kind_get_selectable_fields(self->kind)));
	return copy;
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
		first_off = self->gen_off, first_len = self->gen_len, first_text = gen_text,
		first_new = gen_len;
		second_off = self->rv_off, second_len = self->rv_len, second_text = rv_text,
		second_new = rv_len;
	} else {
		first_off = self->rv_off, first_len = self->rv_len, first_text = rv_text,
		first_new = rv_len;
		second_off = self->gen_off, second_len = self->gen_len, second_text = gen_text,
		second_new = gen_len;
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
	memcpy(p,
	       self->json + second_off + second_len,
	       self->json_len - second_off - second_len);
	json[new_len] = '\0';

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
	g_free(self->json);
	self->json = json;
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
	return rdd_object_build(kind,
				metadata,
				json_node_get_object(node),
				NULL,
				RDD_OBJECT_BUILD_CONTENT,
				error);
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
		if (memcmp(a->json + a->spans[i].key_off,
			   b->json + b->spans[j].key_off,
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
	return g_strdup_printf("%s/%s", self->namespace, self->name);
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
	size = RDD_CHUNK(sizeof(RddObject)) + RDD_CHUNK(self->json_len + 1) +
	       RDD_CHUNK(sizeof(RddObjectSpan) * self->n_spans) + RDD_CHUNK(strlen(self->name) + 1) +
	       RDD_CHUNK(strlen(self->namespace) + 1) + RDD_CHUNK(strlen(self->uid) + 1);
	size += RDD_CHUNK(sizeof(gchar *) * (g_strv_length(self->labels) + 1));
	for (guint i = 0; self->labels[i] != NULL; i++)
		size += RDD_CHUNK(strlen(self->labels[i]) + 1);
	size += RDD_CHUNK(sizeof(gchar *) * (g_strv_length(self->finalizers) + 1));
	for (guint i = 0; self->finalizers[i] != NULL; i++)
		size += RDD_CHUNK(strlen(self->finalizers[i]) + 1);
	if (self->n_owners > 0)
		size += RDD_CHUNK(sizeof(RddOwnerReference) * self->n_owners) + 4 * RDD_CHUNK(32) * self->n_owners;
#undef RDD_CHUNK
	return size;
}
