/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rdd-error.h"

typedef struct {
	GPtrArray *causes; /* (element-type RddCause) (nullable) */
} RddErrorPrivate;

static void
rdd_error_private_init(RddErrorPrivate *priv)
{
	priv->causes = NULL;
}

static void
rdd_error_private_copy(const RddErrorPrivate *src, RddErrorPrivate *dest)
{
	if (src->causes == NULL)
		return;
	dest->causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	for (guint i = 0; i < src->causes->len; i++)
		g_ptr_array_add(dest->causes, rdd_cause_copy(g_ptr_array_index(src->causes, i)));
}

static void
rdd_error_private_clear(RddErrorPrivate *priv)
{
	g_clear_pointer(&priv->causes, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR(RddError, rdd_error)

typedef struct {
	RddError code;
	const gchar *name;
	const gchar *dbus_name;
	guint http_status;
	const gchar *reason;
} RddErrorMapping;

/* the single table: enum value, string, D-Bus name, HTTP status, Kubernetes reason */
static const RddErrorMapping rdd_error_map[] = {
    {RDD_ERROR_INTERNAL, "internal", "io.rancherdesktop.Rdd.Error.Internal", 500,
     "InternalError"},
    {RDD_ERROR_NOT_FOUND, "not-found", "io.rancherdesktop.Rdd.Error.NotFound", 404, "NotFound"},
    {RDD_ERROR_ALREADY_EXISTS, "already-exists", "io.rancherdesktop.Rdd.Error.AlreadyExists", 409,
     "AlreadyExists"},
    {RDD_ERROR_CONFLICT, "conflict", "io.rancherdesktop.Rdd.Error.Conflict", 409, "Conflict"},
    {RDD_ERROR_INVALID, "invalid", "io.rancherdesktop.Rdd.Error.Invalid", 422, "Invalid"},
    {RDD_ERROR_BAD_REQUEST, "bad-request", "io.rancherdesktop.Rdd.Error.BadRequest", 400,
     "BadRequest"},
    {RDD_ERROR_FORBIDDEN, "forbidden", "io.rancherdesktop.Rdd.Error.Forbidden", 403, "Forbidden"},
    {RDD_ERROR_UNAUTHORIZED, "unauthorized", "io.rancherdesktop.Rdd.Error.Unauthorized", 401,
     "Unauthorized"},
    {RDD_ERROR_NOT_SUPPORTED, "not-supported", "io.rancherdesktop.Rdd.Error.NotSupported", 405,
     "MethodNotAllowed"},
    {RDD_ERROR_GONE, "gone", "io.rancherdesktop.Rdd.Error.Gone", 410, "Expired"},
    {RDD_ERROR_TOO_LARGE, "too-large", "io.rancherdesktop.Rdd.Error.TooLarge", 413,
     "RequestEntityTooLarge"},
    {RDD_ERROR_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
     "io.rancherdesktop.Rdd.Error.UnsupportedMediaType", 415, "UnsupportedMediaType"},
    {RDD_ERROR_BUSY, "busy", "io.rancherdesktop.Rdd.Error.Busy", 503, "ServiceUnavailable"},
    {RDD_ERROR_TIMED_OUT, "timed-out", "io.rancherdesktop.Rdd.Error.TimedOut", 504, "Timeout"},
    {RDD_ERROR_NOTHING_TO_DO, "nothing-to-do", "io.rancherdesktop.Rdd.Error.NothingToDo", 200,
     "NothingToDo"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(rdd_error_map) == RDD_ERROR_LAST);

static const RddErrorMapping *
rdd_error_lookup(RddError code)
{
	if ((guint)code >= G_N_ELEMENTS(rdd_error_map))
		return &rdd_error_map[RDD_ERROR_INTERNAL];
	return &rdd_error_map[code];
}

/**
 * rdd_error_code_to_string:
 * @code: an #RddError
 *
 * Returns: a short stable name, e.g. `not-found`
 *
 * Since: 0.1
 */
const gchar *
rdd_error_code_to_string(RddError code)
{
	return rdd_error_lookup(code)->name;
}

/**
 * rdd_error_code_from_string:
 * @str: (nullable): a name as returned by rdd_error_code_to_string()
 *
 * Returns: the code, or %RDD_ERROR_INTERNAL when @str is unknown
 *
 * Since: 0.1
 */
RddError
rdd_error_code_from_string(const gchar *str)
{
	for (guint i = 0; str != NULL && i < G_N_ELEMENTS(rdd_error_map); i++) {
		if (g_strcmp0(rdd_error_map[i].name, str) == 0)
			return rdd_error_map[i].code;
	}
	return RDD_ERROR_INTERNAL;
}

/**
 * rdd_error_code_to_dbus_name:
 * @code: an #RddError
 *
 * Returns: the D-Bus error name registered for @code
 *
 * Since: 0.1
 */
const gchar *
rdd_error_code_to_dbus_name(RddError code)
{
	return rdd_error_lookup(code)->dbus_name;
}

/**
 * rdd_error_code_to_http_status:
 * @code: an #RddError
 *
 * Returns: the HTTP status code for @code
 *
 * Since: 0.1
 */
guint
rdd_error_code_to_http_status(RddError code)
{
	return rdd_error_lookup(code)->http_status;
}

/**
 * rdd_error_code_to_reason:
 * @code: an #RddError
 *
 * Returns: the Kubernetes `Status.reason` for @code, e.g. `AlreadyExists`
 *
 * Since: 0.1
 */
const gchar *
rdd_error_code_to_reason(RddError code)
{
	return rdd_error_lookup(code)->reason;
}

/**
 * rdd_error_code_from_reason:
 * @reason: (nullable): a Kubernetes `Status.reason`
 *
 * Returns: the matching code, or %RDD_ERROR_INTERNAL when unknown
 *
 * Since: 0.1
 */
RddError
rdd_error_code_from_reason(const gchar *reason)
{
	for (guint i = 0; reason != NULL && i < G_N_ELEMENTS(rdd_error_map); i++) {
		if (g_strcmp0(rdd_error_map[i].reason, reason) == 0)
			return rdd_error_map[i].code;
	}
	return RDD_ERROR_INTERNAL;
}

/**
 * rdd_cause_new:
 * @type: a Kubernetes cause type such as `FieldValueRequired`
 * @field: (nullable): the field path
 * @message: the message
 *
 * Returns: (transfer full): a new #RddCause
 *
 * Since: 0.1
 */
RddCause *
rdd_cause_new(const gchar *type, const gchar *field, const gchar *message)
{
	RddCause *cause = g_new0(RddCause, 1);
	cause->type = g_strdup(type);
	cause->field = g_strdup(field != NULL ? field : "");
	cause->message = g_strdup(message);
	return cause;
}

/**
 * rdd_cause_copy:
 * @cause: a cause
 *
 * Returns: (transfer full): a deep copy
 *
 * Since: 0.1
 */
RddCause *
rdd_cause_copy(const RddCause *cause)
{
	return rdd_cause_new(cause->type, cause->field, cause->message);
}

/**
 * rdd_cause_free:
 * @cause: (nullable): a cause
 *
 * Since: 0.1
 */
void
rdd_cause_free(RddCause *cause)
{
	if (cause == NULL)
		return;
	g_free(cause->type);
	g_free(cause->field);
	g_free(cause->message);
	g_free(cause);
}

/**
 * rdd_cause_to_string:
 * @cause: a cause
 *
 * Formats a cause the way Kubernetes prints a field error, `spec.running: Required value`.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_cause_to_string(const RddCause *cause)
{
	if (cause->field == NULL || cause->field[0] == '\0')
		return g_strdup(cause->message);
	return g_strdup_printf("%s: %s", cause->field, cause->message);
}

/**
 * rdd_error_add_cause:
 * @error: an error in %RDD_ERROR
 * @type: the cause type
 * @field: (nullable): the field path
 * @message: the message
 *
 * Attaches a field cause to @error.
 *
 * Since: 0.1
 */
void
rdd_error_add_cause(GError *error, const gchar *type, const gchar *field, const gchar *message)
{
	RddErrorPrivate *priv;

	g_return_if_fail(error != NULL);
	g_return_if_fail(error->domain == RDD_ERROR);

	priv = rdd_error_get_private(error);
	if (priv->causes == NULL)
		priv->causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_ptr_array_add(priv->causes, rdd_cause_new(type, field, message));
}

/**
 * rdd_error_get_causes:
 * @error: an error
 *
 * Returns: (transfer none) (nullable) (element-type RddCause): the causes, or %NULL when the
 *   error has none or is not in %RDD_ERROR
 *
 * Since: 0.1
 */
GPtrArray *
rdd_error_get_causes(const GError *error)
{
	RddErrorPrivate *priv;

	if (error == NULL || error->domain != RDD_ERROR)
		return NULL;
	priv = rdd_error_get_private(error);
	return priv->causes;
}

/**
 * rdd_error_set_invalid:
 * @error: (nullable): return location
 * @kind_group: the qualified kind, e.g. `App.app.rancherdesktop.io`
 * @name: (nullable): the object name
 * @causes: (element-type RddCause): at least one cause
 *
 * Sets an %RDD_ERROR_INVALID error worded as Kubernetes does:
 * `App.app.rancherdesktop.io "app" is invalid: spec.running: Required value`, with several causes
 * in brackets, and attaches the causes.
 *
 * Since: 0.1
 */
void
rdd_error_set_invalid(GError **error, const gchar *kind_group, const gchar *name, GPtrArray *causes)
{
	g_autoptr(GString) msg = g_string_new(NULL);
	GError *error_new;

	g_string_append_printf(msg, "%s \"%s\" is invalid: ", kind_group, name != NULL ? name : "");
	if (causes->len > 1)
		g_string_append_c(msg, '[');
	for (guint i = 0; i < causes->len; i++) {
		g_autofree gchar *tmp = rdd_cause_to_string(g_ptr_array_index(causes, i));
		if (i > 0)
			g_string_append(msg, ", ");
		g_string_append(msg, tmp);
	}
	if (causes->len > 1)
		g_string_append_c(msg, ']');
	if (error == NULL)
		return;
	error_new = g_error_new_literal(RDD_ERROR, RDD_ERROR_INVALID, msg->str);
	for (guint i = 0; i < causes->len; i++) {
		RddCause *cause = g_ptr_array_index(causes, i);
		rdd_error_add_cause(error_new, cause->type, cause->field, cause->message);
	}
	g_propagate_error(error, error_new);
}

static RddError
rdd_error_from_io(gint code)
{
	switch (code) {
	case G_IO_ERROR_NOT_FOUND:
		return RDD_ERROR_NOT_FOUND;
	case G_IO_ERROR_EXISTS:
		return RDD_ERROR_ALREADY_EXISTS;
	case G_IO_ERROR_PERMISSION_DENIED:
		return RDD_ERROR_FORBIDDEN;
	case G_IO_ERROR_INVALID_ARGUMENT:
	case G_IO_ERROR_INVALID_DATA:
	case G_IO_ERROR_INVALID_FILENAME:
		return RDD_ERROR_INVALID;
	case G_IO_ERROR_NOT_SUPPORTED:
		return RDD_ERROR_NOT_SUPPORTED;
	case G_IO_ERROR_TIMED_OUT:
		return RDD_ERROR_TIMED_OUT;
	case G_IO_ERROR_BUSY:
	case G_IO_ERROR_WOULD_BLOCK:
	case G_IO_ERROR_CONNECTION_REFUSED:
		return RDD_ERROR_BUSY;
	case G_IO_ERROR_CANCELLED:
		return RDD_ERROR_TIMED_OUT;
	default:
		return RDD_ERROR_INTERNAL;
	}
}

static RddError
rdd_error_from_file(gint code)
{
	switch (code) {
	case G_FILE_ERROR_NOENT:
		return RDD_ERROR_NOT_FOUND;
	case G_FILE_ERROR_EXIST:
		return RDD_ERROR_ALREADY_EXISTS;
	case G_FILE_ERROR_ACCES:
	case G_FILE_ERROR_PERM:
		return RDD_ERROR_FORBIDDEN;
	case G_FILE_ERROR_INVAL:
	case G_FILE_ERROR_ISDIR:
	case G_FILE_ERROR_NOTDIR:
		return RDD_ERROR_INVALID;
	default:
		return RDD_ERROR_INTERNAL;
	}
}

/**
 * rdd_error_convert:
 * @perror: (inout) (nullable): an error, possibly from another domain
 *
 * Normalises GIO, GFile, GKeyFile, GRegex, GDBus and json-glib errors into %RDD_ERROR, keeping
 * the message. Errors already in %RDD_ERROR are left alone.
 *
 * Since: 0.1
 */
void
rdd_error_convert(GError **perror)
{
	GError *error;
	RddError code = RDD_ERROR_INTERNAL;

	if (perror == NULL || *perror == NULL)
		return;
	error = *perror;
	if (error->domain == RDD_ERROR)
		return;
	if (g_dbus_error_is_remote_error(error)) {
		g_autofree gchar *remote = g_dbus_error_get_remote_error(error);
		g_dbus_error_strip_remote_error(error);
		for (guint i = 0; i < G_N_ELEMENTS(rdd_error_map); i++) {
			if (g_strcmp0(remote, rdd_error_map[i].dbus_name) == 0)
				code = rdd_error_map[i].code;
		}
	} else if (error->domain == G_IO_ERROR) {
		code = rdd_error_from_io(error->code);
	} else if (error->domain == G_FILE_ERROR) {
		code = rdd_error_from_file(error->code);
	} else if (error->domain == JSON_PARSER_ERROR || error->domain == JSON_READER_ERROR ||
		   error->domain == G_KEY_FILE_ERROR || error->domain == G_MARKUP_ERROR ||
		   error->domain == G_REGEX_ERROR || error->domain == G_CONVERT_ERROR ||
		   error->domain == G_OPTION_ERROR) {
		code = RDD_ERROR_INVALID;
	}
	/* an extended error needs its private data allocated, so build a new one */
	*perror = g_error_new_literal(RDD_ERROR, code, error->message);
	g_error_free(error);
}

/**
 * rdd_error_register_dbus:
 *
 * Registers every code with its D-Bus error name, so errors cross the bus intact.
 *
 * Since: 0.1
 */
void
rdd_error_register_dbus(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		for (guint i = 0; i < G_N_ELEMENTS(rdd_error_map); i++)
			g_dbus_error_register_error(RDD_ERROR,
						    rdd_error_map[i].code,
						    rdd_error_map[i].dbus_name);
		g_once_init_leave(&once, 1);
	}
}
