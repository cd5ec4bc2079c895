/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rdd-admission.h"
#include "rdd-kind.h"
#include "rdd-object.h"
#include "rdd-selector.h"

G_BEGIN_DECLS

#define RDD_TYPE_STORE (rdd_store_get_type())
G_DECLARE_FINAL_TYPE(RddStore, rdd_store, RDD, STORE, GObject)

/**
 * RddFieldValidation:
 * @RDD_FIELD_VALIDATION_WARN: unknown fields are dropped and reported as warnings
 * @RDD_FIELD_VALIDATION_IGNORE: unknown fields are dropped silently
 * @RDD_FIELD_VALIDATION_STRICT: unknown fields fail the write with %RDD_ERROR_BAD_REQUEST
 *
 * What a write does with fields its kind's schema does not declare.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_FIELD_VALIDATION_WARN,
	RDD_FIELD_VALIDATION_IGNORE,
	RDD_FIELD_VALIDATION_STRICT,
} RddFieldValidation;

/**
 * RddWritePrepareFunc:
 * @object: the object about to be written; may be changed
 * @old_object: (nullable): the stored object
 * @subresource: `""` or `status`
 * @user_data: user data
 *
 * Since: 0.1
 */

/**
 * RddWriteOptions:
 * @dry_run: validate and admit, but store nothing
 * @field_validation: what to do with unknown fields
 * @field_manager: (nullable): the writer's name, recorded in `managedFields`
 * @warnings: (nullable) (element-type utf8): if set, warnings are appended here
 * @prepare: (nullable): called with the object about to be written (after mutating
 *   admission, before validation), the stored object (%NULL on create) and the subresource
 *   (`""` or `status`); the HTTP API records `managedFields` here
 * @prepare_data: data for @prepare
 * @take_object: the store may change the object passed to rdd_store_create(),
 *   rdd_store_update() or rdd_store_update_status() instead of working on a deep copy of it,
 *   which saves a good part of a write's cost; for a caller that owns the tree and does not use
 *   it again, such as the HTTP API with a request body it parsed. The tree must not be sealed
 *   below its root (a sealed root is copied as usual). After the call, also a failed one, the
 *   tree's contents are unspecified: the caller only drops its reference
 *
 * Options of a create, update, status update or patch. A zeroed struct (or %NULL) gives the
 * defaults.
 *
 * Since: 0.1
 */
typedef void (*RddWritePrepareFunc)(JsonNode *object, RddObject *old_object, const gchar *subresource, gpointer user_data);

typedef struct {
	gboolean dry_run;
	RddFieldValidation field_validation;
	const gchar *field_manager;
	GPtrArray *warnings;
	RddWritePrepareFunc prepare;
	gpointer prepare_data;
	gboolean take_object;
	/*< private >*/
	gpointer reserved[1];
} RddWriteOptions;

/**
 * RddPropagation:
 * @RDD_PROPAGATION_BACKGROUND: the object goes now; dependents are deleted afterwards
 * @RDD_PROPAGATION_FOREGROUND: the object stays (with the `foregroundDeletion` finalizer) until
 *   its dependents that block owner deletion are gone
 * @RDD_PROPAGATION_ORPHAN: dependents lose their owner reference and stay
 *
 * How a delete treats objects whose ownerReferences name the deleted object.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_PROPAGATION_BACKGROUND,
	RDD_PROPAGATION_FOREGROUND,
	RDD_PROPAGATION_ORPHAN,
} RddPropagation;

/**
 * RddDeleteOptions:
 * @dry_run: check and admit, but delete nothing
 * @propagation: what happens to dependents
 * @precondition_uid: (nullable): the object must have this uid
 * @precondition_resource_version: (nullable): the object must be at this resourceVersion
 * @warnings: (nullable) (element-type utf8): if set, warnings are appended here
 *
 * Since: 0.1
 */
typedef struct {
	gboolean dry_run;
	RddPropagation propagation;
	const gchar *precondition_uid;
	const gchar *precondition_resource_version;
	GPtrArray *warnings;
	/*< private >*/
	gpointer reserved[4];
} RddDeleteOptions;

/**
 * RddListOptions:
 * @namespace: (nullable): only this namespace; %NULL or `""` for all
 * @label_selector: (nullable): only objects whose labels match
 * @field_selector: (nullable): only objects whose fields match; the fields allowed are
 *   `metadata.name`, `metadata.namespace` and the kind's selectable fields
 * @limit: at most this many items, 0 for all
 * @continue_token: (nullable): resume after the last item of a previous page
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *namespace;
	RddSelector *label_selector;
	RddSelector *field_selector;
	guint limit;
	const gchar *continue_token;
	/*< private >*/
	gpointer reserved[4];
} RddListOptions;

/**
 * RddListResult:
 * @items: (element-type RddObject): the matching objects, sorted by namespace and name
 * @resource_version: the store's resourceVersion when the list was taken
 * @continue_token: (nullable): token for the next page, %NULL on the last page
 * @remaining: how many more items match after this page
 *
 * Since: 0.1
 */
typedef struct {
	GPtrArray *items;
	guint64 resource_version;
	gchar *continue_token;
	guint64 remaining;
} RddListResult;

/**
 * RddPatchType:
 * @RDD_PATCH_MERGE: RFC 7386 JSON merge patch (`application/merge-patch+json`)
 * @RDD_PATCH_JSON: RFC 6902 JSON patch (`application/json-patch+json`)
 * @RDD_PATCH_STRATEGIC: strategic merge patch, applied as a merge patch (custom kinds have no
 *   patch strategy)
 *
 * Since: 0.1
 */
typedef enum {
	RDD_PATCH_MERGE,
	RDD_PATCH_JSON,
	RDD_PATCH_STRATEGIC,
} RddPatchType;

/**
 * RddEventType:
 * @RDD_EVENT_ADDED: an object was created
 * @RDD_EVENT_MODIFIED: an object changed
 * @RDD_EVENT_DELETED: an object was removed
 *
 * Since: 0.1
 */
typedef enum {
	RDD_EVENT_ADDED,
	RDD_EVENT_MODIFIED,
	RDD_EVENT_DELETED,
} RddEventType;

/**
 * RddEvent:
 * @type: what happened
 * @object: the object after the change; for %RDD_EVENT_DELETED its last state, carrying the
 *   resourceVersion of the deletion
 * @old_object: (nullable): the object before the change, for %RDD_EVENT_MODIFIED
 *
 * One entry of the store's event history.
 *
 * Since: 0.1
 */
typedef struct {
	RddEventType type;
	RddObject *object;
	RddObject *old_object;
} RddEvent;

/**
 * RddEventFunc:
 * @event: an event
 * @user_data: user data
 *
 * Returns: %TRUE to continue iterating
 *
 * Since: 0.1
 */
typedef gboolean (*RddEventFunc)(const RddEvent *event, gpointer user_data);

/**
 * RDD_STORE_DEFAULT_HISTORY:
 *
 * How many events the store keeps for watchers to resume from, unless changed with
 * rdd_store_set_history_size().
 *
 * Since: 0.1
 */
#define RDD_STORE_DEFAULT_HISTORY 10000

/**
 * RDD_FINALIZER_FOREGROUND:
 *
 * The finalizer an owner carries during foreground deletion.
 *
 * Since: 0.1
 */
#define RDD_FINALIZER_FOREGROUND "foregroundDeletion"

/**
 * RDD_FINALIZER_ORPHAN:
 *
 * The finalizer an owner carries while its dependents are being orphaned.
 *
 * Since: 0.1
 */
#define RDD_FINALIZER_ORPHAN "orphan"

RddStore *rdd_store_new(void);

gboolean rdd_store_register_kind(RddStore *self, RddKind *kind, GError **error);
gboolean rdd_store_register_builtin_kinds(RddStore *self, GError **error);
gboolean
rdd_store_ensure_namespace(RddStore *self, const gchar *name, const gchar *const *labels, GError **error);
RddKind *rdd_store_find_kind(RddStore *self, const gchar *api_version, const gchar *kind);
RddKind *rdd_store_lookup_kind(RddStore *self, const gchar *group, const gchar *name);
GPtrArray *rdd_store_get_kinds(RddStore *self);

gboolean rdd_store_open(RddStore *self, const gchar *db_path, GError **error);
gboolean rdd_store_flush(RddStore *self, GError **error);
void rdd_store_close(RddStore *self);
void rdd_store_set_history_size(RddStore *self, guint size);
void rdd_store_set_synchronous(RddStore *self, gboolean full);

RddObject *
rdd_store_get(RddStore *self, RddKind *kind, const gchar *namespace, const gchar *name, GError **error);
RddObject *rdd_store_lookup(RddStore *self, RddKind *kind, const gchar *namespace, const gchar *name);
RddObject *rdd_store_lookup_uid(RddStore *self, const gchar *uid);
RddListResult *rdd_store_list(RddStore *self, RddKind *kind, const RddListOptions *options, GError **error);
void rdd_list_result_free(RddListResult *result);
guint rdd_store_count(RddStore *self, RddKind *kind);

RddObject *rdd_store_create(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error);
RddObject *rdd_store_update(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error);
RddObject *
rdd_store_update_status(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error);
RddObject *rdd_store_patch(RddStore *self,
			   RddKind *kind,
			   const gchar *namespace,
			   const gchar *name,
			   RddPatchType type,
			   JsonNode *patch,
			   gboolean status,
			   const RddWriteOptions *options,
			   GError **error);
RddObject *rdd_store_delete(RddStore *self,
			    RddKind *kind,
			    const gchar *namespace,
			    const gchar *name,
			    const RddDeleteOptions *options,
			    GError **error);
gboolean rdd_store_remove_finalizer(RddStore *self, RddObject *object, const gchar *finalizer, GError **error);
gboolean rdd_store_add_finalizer(RddStore *self, RddObject *object, const gchar *finalizer, GError **error);

void rdd_store_add_admission(RddStore *self,
			     RddKind *kind,
			     RddAdmissionType type,
			     RddOperation operations,
			     const gchar *name,
			     RddAdmissionFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy);

guint64 rdd_store_get_resource_version(RddStore *self);
guint64 rdd_store_get_committed_resource_version(RddStore *self);
guint64 rdd_store_get_oldest_resource_version(RddStore *self);
gboolean rdd_store_foreach_event_since(RddStore *self,
				       guint64 resource_version,
				       RddEventFunc func,
				       gpointer user_data,
				       GError **error);
void rdd_store_wait_committed_async(RddStore *self,
				    guint64 resource_version,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean rdd_store_wait_committed_finish(RddStore *self, GAsyncResult *result, GError **error);
void rdd_store_run_gc(RddStore *self);
void rdd_store_set_controller_running(RddStore *self, const gchar *name, gboolean running);
gboolean rdd_store_has_controller(RddStore *self, const gchar *name);

gchar *rdd_store_format_key(RddKind *kind, const gchar *namespace, const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddListResult, rdd_list_result_free)

G_END_DECLS
