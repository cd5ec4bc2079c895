/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RddKind RddKind;

/**
 * RddOwnerReference:
 * @api_version: apiVersion of the owner
 * @kind: kind of the owner
 * @name: name of the owner
 * @uid: uid of the owner
 * @controller: whether the owner is the managing controller
 * @block_owner_deletion: whether foreground deletion of the owner waits for this object
 *
 * One entry of `metadata.ownerReferences`.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *api_version;
	const gchar *kind;
	const gchar *name;
	const gchar *uid;
	gboolean controller;
	gboolean block_owner_deletion;
} RddOwnerReference;

/**
 * RddObject:
 *
 * One stored object: an immutable, reference-counted snapshot of a Kubernetes-style resource
 * at one resourceVersion. The store replaces an object with a new snapshot on every write, so
 * a reference held by a caller never changes under it.
 *
 * The object keeps its canonical JSON serialisation (keys sorted, compact) and the metadata
 * the store indexes. rdd_object_dup_node() parses the JSON into a fresh tree the caller may
 * change and pass back to the store.
 *
 * Since: 0.1
 */
typedef struct _RddObject RddObject;

GType
rdd_object_get_type(void);
#define RDD_TYPE_OBJECT (rdd_object_get_type())

RddObject *
rdd_object_ref(RddObject *self);
void
rdd_object_unref(RddObject *self);

RddKind *
rdd_object_get_kind(RddObject *self);
const gchar *
rdd_object_get_name(RddObject *self);
const gchar *
rdd_object_get_namespace(RddObject *self);
const gchar *
rdd_object_get_uid(RddObject *self);
guint64
rdd_object_get_resource_version(RddObject *self);
gint64
rdd_object_get_generation(RddObject *self);
gint64
rdd_object_get_creation_timestamp(RddObject *self);
gint64
rdd_object_get_deletion_timestamp(RddObject *self);
gboolean
rdd_object_is_deleting(RddObject *self);
const gchar *const *
rdd_object_get_labels(RddObject *self);
const gchar *
rdd_object_get_label(RddObject *self, const gchar *key);
const gchar *const *
rdd_object_get_finalizers(RddObject *self);
gboolean
rdd_object_has_finalizer(RddObject *self, const gchar *finalizer);
guint
rdd_object_get_n_owner_references(RddObject *self);
const RddOwnerReference *
rdd_object_get_owner_reference(RddObject *self, guint idx);
const RddOwnerReference *
rdd_object_get_controller_reference(RddObject *self);
gboolean
rdd_object_is_owned_by(RddObject *self, const gchar *uid);
gchar *
rdd_object_dup_annotation(RddObject *self, const gchar *key);
const gchar *
rdd_object_get_field(RddObject *self, const gchar *field_path);

const gchar *
rdd_object_get_json(RddObject *self, gsize *length);
JsonNode *
rdd_object_dup_node(RddObject *self);
JsonNode *
rdd_object_dup_member(RddObject *self, const gchar *member);
gchar *
rdd_object_get_key(RddObject *self);
gsize
rdd_object_get_memory_size(RddObject *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddObject, rdd_object_unref)

G_END_DECLS
