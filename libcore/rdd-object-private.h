/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-kind.h"
#include "rdd-object.h"

G_BEGIN_DECLS

/* one top-level member of the canonical JSON: `"key":value` spans [key_off, end) */
typedef struct {
	guint32 key_off;
	guint32 val_off;
	guint32 end;
} RddObjectSpan;

/* one allocation of alloc_size bytes holds the struct, the arrays and strings it points to and
 * the JSON, unless json_apart: rdd_object_set_versions() moved the JSON to a buffer of its own */
struct _RddObject {
	gint ref_count;
	gboolean json_apart;
	RddKind *kind;
	gsize alloc_size;
	gchar *json;
	guint32 json_len;
	guint32 rv_off; /* offset of the resourceVersion digits (inside the quotes) */
	guint32 rv_len;
	guint32 gen_off; /* offset of the generation number, 0 when absent */
	guint32 gen_len;
	guint16 n_spans;
	guint16 n_owners;
	RddObjectSpan *spans;
	gchar *name;
	gchar *namespace; /* "" for cluster-scoped objects */
	gchar *uid;
	guint64 rv;
	gint64 generation;
	gint64 creation;
	gint64 deletion;    /* 0 when not being deleted */
	gchar **labels;	    /* flat sorted pairs k1, v1, k2, v2, ..., NULL; never NULL */
	gchar **finalizers; /* never NULL */
	RddOwnerReference *owners;
	gchar **fields; /* values of the kind's selectable fields, aligned; entries may be NULL */
};

/**
 * RddObjectBuildMode:
 * @RDD_OBJECT_BUILD_CONTENT: every member comes from the new content
 * @RDD_OBJECT_BUILD_STATUS_FROM_BASE: `status` comes from the base object, the rest from the
 *   content (a spec write to a kind with a status subresource)
 * @RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT: only `status` comes from the content, every
 *   other member from the base object (a status write)
 */
typedef enum {
	RDD_OBJECT_BUILD_CONTENT,
	RDD_OBJECT_BUILD_STATUS_FROM_BASE,
	RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT,
} RddObjectBuildMode;

/* the members of `metadata` a store write produces, in their canonical (sorted) order */
typedef enum {
	RDD_OBJECT_META_ANNOTATIONS,
	RDD_OBJECT_META_CREATION_TIMESTAMP,
	RDD_OBJECT_META_DELETION_GRACE_PERIOD_SECONDS,
	RDD_OBJECT_META_DELETION_TIMESTAMP,
	RDD_OBJECT_META_FINALIZERS,
	RDD_OBJECT_META_GENERATE_NAME,
	RDD_OBJECT_META_GENERATION,
	RDD_OBJECT_META_LABELS,
	RDD_OBJECT_META_MANAGED_FIELDS,
	RDD_OBJECT_META_NAME,
	RDD_OBJECT_META_NAMESPACE,
	RDD_OBJECT_META_OWNER_REFERENCES,
	RDD_OBJECT_META_RESOURCE_VERSION,
	RDD_OBJECT_META_UID,
	RDD_OBJECT_META_LAST,
} RddObjectMetaMember;

/* one member of RddObjectMeta: a node (a reference is held), else a string (borrowed), else an
 * integer when has_num is set, else absent */
typedef struct {
	JsonNode *node;
	const gchar *str;
	gint64 num;
	gboolean has_num;
} RddObjectMetaValue;

/*
 * The metadata of a new snapshot without a JsonObject: what rdd_object_build() would get as
 * @metadata holding exactly these members. @creation and @deletion are what rdd_time_parse()
 * gives for the creationTimestamp and deletionTimestamp strings.
 */
typedef struct {
	RddObjectMetaValue values[RDD_OBJECT_META_LAST];
	gint64 creation;
	gint64 deletion;
} RddObjectMeta;

const gchar *rdd_object_meta_member_name(RddObjectMetaMember member);
gint rdd_object_meta_member_lookup(const gchar *name);
void rdd_object_meta_clear(RddObjectMeta *meta);

RddObject *rdd_object_build(RddKind *kind,
			    JsonObject *metadata,
			    JsonObject *content,
			    RddObject *base,
			    RddObjectBuildMode mode,
			    GError **error);
RddObject *rdd_object_build_meta(RddKind *kind,
				 const RddObjectMeta *meta,
				 JsonObject *content,
				 const gchar *content_json,
				 const guint32 *content_spans,
				 guint n_content_spans,
				 RddObject *base,
				 RddObjectBuildMode mode,
				 GString *scratch,
				 GError **error);
RddObject *rdd_object_new_from_json(RddKind *kind, const gchar *json, gsize length, GError **error);
gboolean rdd_object_set_versions(RddObject *self, guint64 rv, gint64 generation, GError **error);
gboolean rdd_object_spec_equal(RddObject *a, RddObject *b, gboolean with_status);
RddObject *rdd_object_copy(RddObject *self);
const RddObjectSpan *rdd_object_find_span(RddObject *self, const gchar *member);
JsonObject *rdd_object_dup_metadata(RddObject *self);

G_END_DECLS
