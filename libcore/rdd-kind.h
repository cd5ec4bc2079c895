/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rdd-object.h"
#include "rdd-schema.h"

G_BEGIN_DECLS

#define RDD_TYPE_KIND (rdd_kind_get_type())
G_DECLARE_FINAL_TYPE(RddKind, rdd_kind, RDD, KIND, GObject)

/**
 * RddKindFlags:
 * @RDD_KIND_FLAG_NONE: no flags
 * @RDD_KIND_FLAG_NAMESPACED: objects live in a namespace
 * @RDD_KIND_FLAG_STATUS_SUBRESOURCE: `status` is a subresource: spec writes never change it and
 *   status writes change nothing else
 * @RDD_KIND_FLAG_PERSISTENT: objects are written through to the database and survive restarts
 * @RDD_KIND_FLAG_SENSITIVE: object contents never appear in logs (Secrets)
 * @RDD_KIND_FLAG_BUILTIN: a core/v1 kind built into libcore
 *
 * Properties of a kind, read from its CRD.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_KIND_FLAG_NONE = 0,
	RDD_KIND_FLAG_NAMESPACED = 1 << 0,
	RDD_KIND_FLAG_STATUS_SUBRESOURCE = 1 << 1,
	RDD_KIND_FLAG_PERSISTENT = 1 << 2,
	RDD_KIND_FLAG_SENSITIVE = 1 << 3,
	RDD_KIND_FLAG_BUILTIN = 1 << 4,
} RddKindFlags;

/**
 * RDD_KIND_ANNOTATION_PERSISTENCE:
 *
 * CRD annotation; the value `none` marks a kind whose objects are mirrored from another source
 * (Docker containers, images, volumes) and are not written to the database.
 *
 * Since: 0.1
 */
#define RDD_KIND_ANNOTATION_PERSISTENCE "rdd.rancherdesktop.io/persistence"

/**
 * RDD_KIND_ANNOTATION_SENSITIVE:
 *
 * CRD annotation; the value `true` keeps object contents out of logs.
 *
 * Since: 0.1
 */
#define RDD_KIND_ANNOTATION_SENSITIVE "rdd.rancherdesktop.io/sensitive"

GPtrArray *
rdd_kind_new_from_yaml(const gchar *data, gssize length, GError **error);
RddKind *
rdd_kind_new_from_crd(JsonNode *crd, GError **error);

const gchar *
rdd_kind_get_group(RddKind *self);
const gchar *
rdd_kind_get_version(RddKind *self);
const gchar *
rdd_kind_get_api_version(RddKind *self);
const gchar *
rdd_kind_get_name(RddKind *self);
const gchar *
rdd_kind_get_list_kind(RddKind *self);
const gchar *
rdd_kind_get_plural(RddKind *self);
const gchar *
rdd_kind_get_singular(RddKind *self);
const gchar *
rdd_kind_get_qualified_name(RddKind *self);
const gchar *
rdd_kind_get_qualified_plural(RddKind *self);
const gchar *const *
rdd_kind_get_short_names(RddKind *self);
const gchar *const *
rdd_kind_get_categories(RddKind *self);
RddKindFlags
rdd_kind_get_flags(RddKind *self);
gboolean
rdd_kind_is_namespaced(RddKind *self);
gboolean
rdd_kind_has_status(RddKind *self);
gboolean
rdd_kind_is_persistent(RddKind *self);
void
rdd_kind_set_persistent(RddKind *self, gboolean persistent);
RddSchema *
rdd_kind_get_schema(RddKind *self);
JsonNode *
rdd_kind_get_crd(RddKind *self);
JsonArray *
rdd_kind_get_printer_columns(RddKind *self);
const gchar *const *
rdd_kind_get_selectable_fields(RddKind *self);
gint
rdd_kind_get_selectable_field_index(RddKind *self, const gchar *field);
const gchar *
rdd_kind_get_owner(RddKind *self);
void
rdd_kind_set_owner(RddKind *self, const gchar *owner);
gboolean
rdd_kind_matches(RddKind *self, const gchar *name);

G_END_DECLS
