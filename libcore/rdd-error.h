/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RDD_ERROR:
 *
 * The one error domain of the project. Every fallible function in libcore, the daemon and the
 * plugins reports errors in this domain; foreign errors (GIO, json-glib, libyaml, SQLite) are
 * normalised with rdd_error_convert() at the boundary where they enter our code.
 *
 * The domain is an *extended* error domain: an error can carry a list of field causes
 * (#RddCause) that the HTTP API turns into `details.causes` of a Kubernetes Status.
 *
 * Since: 0.1
 */
#define RDD_ERROR rdd_error_quark()

/**
 * RddError:
 * @RDD_ERROR_INTERNAL: a defect or an unexpected failure; HTTP 500
 * @RDD_ERROR_NOT_FOUND: the object or file does not exist; HTTP 404
 * @RDD_ERROR_ALREADY_EXISTS: an object with that name exists; HTTP 409
 * @RDD_ERROR_CONFLICT: a precondition (resourceVersion, uid) failed; HTTP 409
 * @RDD_ERROR_INVALID: the object or value is not valid; HTTP 422
 * @RDD_ERROR_BAD_REQUEST: the request could not be decoded; HTTP 400
 * @RDD_ERROR_FORBIDDEN: admission or policy denied the request; HTTP 403
 * @RDD_ERROR_UNAUTHORIZED: missing or wrong credentials; HTTP 401
 * @RDD_ERROR_NOT_SUPPORTED: the operation is not supported; HTTP 405
 * @RDD_ERROR_GONE: the requested history is no longer available; HTTP 410
 * @RDD_ERROR_TOO_LARGE: the request body is too large; HTTP 413
 * @RDD_ERROR_UNSUPPORTED_MEDIA_TYPE: the content type is not understood; HTTP 415
 * @RDD_ERROR_BUSY: the resource is busy, try again; HTTP 503
 * @RDD_ERROR_TIMED_OUT: a deadline expired; HTTP 504
 * @RDD_ERROR_NOTHING_TO_DO: the request changed nothing; HTTP 200
 *
 * Error codes of %RDD_ERROR. The table in rdd-error.c maps each to a name, a D-Bus error name,
 * an HTTP status and a Kubernetes Status reason.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_ERROR_INTERNAL,
	RDD_ERROR_NOT_FOUND,
	RDD_ERROR_ALREADY_EXISTS,
	RDD_ERROR_CONFLICT,
	RDD_ERROR_INVALID,
	RDD_ERROR_BAD_REQUEST,
	RDD_ERROR_FORBIDDEN,
	RDD_ERROR_UNAUTHORIZED,
	RDD_ERROR_NOT_SUPPORTED,
	RDD_ERROR_GONE,
	RDD_ERROR_TOO_LARGE,
	RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
	RDD_ERROR_BUSY,
	RDD_ERROR_TIMED_OUT,
	RDD_ERROR_NOTHING_TO_DO,
	RDD_ERROR_LAST /*< skip >*/
} RddError;

/**
 * RddCause:
 * @type: the Kubernetes cause type, e.g. `FieldValueRequired`
 * @field: the offending field path, e.g. `spec.running`; may be empty
 * @message: what is wrong with it, e.g. `Required value`
 *
 * One offending field of an %RDD_ERROR_INVALID error.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *type;
	gchar *field;
	gchar *message;
} RddCause;

GQuark
rdd_error_quark(void);

RddCause *
rdd_cause_new(const gchar *type, const gchar *field, const gchar *message);
RddCause *
rdd_cause_copy(const RddCause *cause);
void
rdd_cause_free(RddCause *cause);
gchar *
rdd_cause_to_string(const RddCause *cause);

const gchar *
rdd_error_code_to_string(RddError code);
RddError
rdd_error_code_from_string(const gchar *str);
const gchar *
rdd_error_code_to_dbus_name(RddError code);
guint
rdd_error_code_to_http_status(RddError code);
const gchar *
rdd_error_code_to_reason(RddError code);
RddError
rdd_error_code_from_reason(const gchar *reason);

void
rdd_error_add_cause(GError *error, const gchar *type, const gchar *field, const gchar *message);
GPtrArray *
rdd_error_get_causes(const GError *error);
void
rdd_error_set_invalid(GError **error,
		      const gchar *kind_group,
		      const gchar *name,
		      GPtrArray *causes);

void
rdd_error_convert(GError **perror);
void
rdd_error_register_dbus(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddCause, rdd_cause_free)

G_END_DECLS
