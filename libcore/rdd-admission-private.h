/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-admission.h"

G_BEGIN_DECLS

struct _RddAdmission {
	RddOperation operation;
	RddAdmissionType operation_type; /* the phase being run */
	RddKind *kind;
	const gchar *name;
	const gchar *namespace;
	JsonNode *object;
	RddObject *old_object;
	const gchar *subresource;
	gboolean dry_run;
	gpointer store;
	GPtrArray *warnings; /* (element-type utf8) (nullable) */
};

G_END_DECLS
