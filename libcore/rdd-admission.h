/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rdd-kind.h"
#include "rdd-object.h"

G_BEGIN_DECLS

/**
 * RddOperation:
 * @RDD_OPERATION_CREATE: an object is being created
 * @RDD_OPERATION_UPDATE: an object is being replaced, patched or its status written
 * @RDD_OPERATION_DELETE: an object is being deleted
 *
 * The operation an admission hook is asked about.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_OPERATION_CREATE = 1 << 0,
	RDD_OPERATION_UPDATE = 1 << 1,
	RDD_OPERATION_DELETE = 1 << 2,
} RddOperation;

/**
 * RDD_OPERATION_ALL:
 *
 * Every operation, for rdd_store_add_admission().
 *
 * Since: 0.1
 */
#define RDD_OPERATION_ALL (RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE | RDD_OPERATION_DELETE)

/**
 * RddAdmissionType:
 * @RDD_ADMISSION_MUTATING: the hook may change the object; runs after schema defaulting
 * @RDD_ADMISSION_VALIDATING: the hook only accepts or rejects; runs after schema validation
 *
 * Since: 0.1
 */
typedef enum {
	RDD_ADMISSION_MUTATING,
	RDD_ADMISSION_VALIDATING,
} RddAdmissionType;

/**
 * RddAdmission:
 *
 * One admission request, handed to every hook of the write's kind. It lives only for the
 * duration of the hook call.
 *
 * Since: 0.1
 */
typedef struct _RddAdmission RddAdmission;

/**
 * RddAdmissionFunc:
 * @admission: the request
 * @user_data: data given at registration
 * @error: return location for an error
 *
 * An admission hook. Return %FALSE with @error set to reject the write: an %RDD_ERROR_INVALID
 * error (optionally with field causes) is reported as 422 Invalid, anything else as 403
 * Forbidden with the message `admission hook "NAME" denied the request: MESSAGE`. Add
 * warnings with rdd_admission_warn(). A mutating hook changes rdd_admission_get_object()
 * in place.
 *
 * Returns: %TRUE to admit
 *
 * Since: 0.1
 */
typedef gboolean (*RddAdmissionFunc)(RddAdmission *admission, gpointer user_data, GError **error);

RddOperation
rdd_admission_get_operation(RddAdmission *self);
const gchar *
rdd_admission_get_operation_name(RddAdmission *self);
RddKind *
rdd_admission_get_kind(RddAdmission *self);
const gchar *
rdd_admission_get_name(RddAdmission *self);
const gchar *
rdd_admission_get_namespace(RddAdmission *self);
JsonNode *
rdd_admission_get_object(RddAdmission *self);
RddObject *
rdd_admission_get_old_object(RddAdmission *self);
const gchar *
rdd_admission_get_subresource(RddAdmission *self);
gboolean
rdd_admission_is_dry_run(RddAdmission *self);
gpointer
rdd_admission_get_store(RddAdmission *self);
void
rdd_admission_warn(RddAdmission *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

G_END_DECLS
