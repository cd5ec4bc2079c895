/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include "rdd-admission-private.h"

/**
 * rdd_admission_get_operation:
 * @self: an admission request
 *
 * Returns: the operation
 *
 * Since: 0.1
 */
RddOperation
rdd_admission_get_operation(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->operation;
}

/**
 * rdd_admission_get_operation_name:
 * @self: an admission request
 *
 * Returns: `CREATE`, `UPDATE` or `DELETE`
 *
 * Since: 0.1
 */
const gchar *
rdd_admission_get_operation_name(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	switch (self->operation) {
	case RDD_OPERATION_CREATE:
		return "CREATE";
	case RDD_OPERATION_UPDATE:
		return "UPDATE";
	case RDD_OPERATION_DELETE:
		return "DELETE";
	default:
		return "UNKNOWN";
	}
}

/**
 * rdd_admission_get_kind:
 * @self: an admission request
 *
 * Returns: (transfer none): the kind being written
 *
 * Since: 0.1
 */
RddKind *
rdd_admission_get_kind(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->kind;
}

/**
 * rdd_admission_get_name:
 * @self: an admission request
 *
 * Returns: (nullable): the object name; %NULL on create with generateName
 *
 * Since: 0.1
 */
const gchar *
rdd_admission_get_name(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->name;
}

/**
 * rdd_admission_get_namespace:
 * @self: an admission request
 *
 * Returns: the namespace, `""` for cluster-scoped kinds
 *
 * Since: 0.1
 */
const gchar *
rdd_admission_get_namespace(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->namespace;
}

/**
 * rdd_admission_get_object:
 * @self: an admission request
 *
 * Returns: (transfer none) (nullable): the object as it will be written; mutating hooks may
 *   change it in place. %NULL for %RDD_OPERATION_DELETE.
 *
 * Since: 0.1
 */
JsonNode *
rdd_admission_get_object(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->object;
}

/**
 * rdd_admission_get_old_object:
 * @self: an admission request
 *
 * Returns: (transfer none) (nullable): the stored object for updates and deletes
 *
 * Since: 0.1
 */
RddObject *
rdd_admission_get_old_object(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->old_object;
}

/**
 * rdd_admission_get_subresource:
 * @self: an admission request
 *
 * Returns: `""` or `status`
 *
 * Since: 0.1
 */
const gchar *
rdd_admission_get_subresource(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->subresource != NULL ? self->subresource : "";
}

/**
 * rdd_admission_is_dry_run:
 * @self: an admission request
 *
 * A hook must not cause side effects (such as creating other objects for real) on a dry run.
 *
 * Returns: %TRUE when nothing will be stored
 *
 * Since: 0.1
 */
gboolean
rdd_admission_is_dry_run(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->dry_run;
}

/**
 * rdd_admission_get_store:
 * @self: an admission request
 *
 * Returns: (transfer none) (type RddStore): the store, for lookups of other objects
 *
 * Since: 0.1
 */
gpointer
rdd_admission_get_store(RddAdmission *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->store;
}

/**
 * rdd_admission_warn:
 * @self: an admission request
 * @format: printf-style format of the warning
 * @...: arguments
 *
 * Adds a warning returned to the client (HTTP `Warning` header) without rejecting the write.
 *
 * Since: 0.1
 */
void
rdd_admission_warn(RddAdmission *self, const gchar *format, ...)
{
	va_list args;
	g_return_if_fail(self != NULL);
	if (self->warnings == NULL)
		return;
	va_start(args, format);
	g_ptr_array_add(self->warnings, g_strdup_vprintf(format, args));
	va_end(args);
}
