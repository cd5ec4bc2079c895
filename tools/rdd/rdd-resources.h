/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Resolving what a user types (`demo`, `cm`, `limavms.lima.rancherdesktop.io`) to a kind the
 * daemon serves, and the API paths of its objects.
 */

#pragma once

#include "rdd-cli.h"

G_BEGIN_DECLS

typedef struct {
	gchar *group;
	gchar *version;
	gchar *kind;
	gchar *plural;
	gchar *singular;
	gboolean namespaced;
} RddResourceType;

void
rdd_resource_type_free(RddResourceType *type);
RddResourceType *
rdd_resources_resolve(RddCli *cli, const gchar *name, GError **error);
gchar *
rdd_resources_path(RddResourceType *type, const gchar *namespace, const gchar *name);
gchar *
rdd_resources_display_name(RddResourceType *type, const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddResourceType, rdd_resource_type_free)

G_END_DECLS
