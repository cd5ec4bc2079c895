/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "rdd-jsonpath.h"
#include "rdd-kind.h"
#include "rdd-object.h"

G_BEGIN_DECLS

/**
 * RddPrinterColumn:
 * @name: the header, e.g. `Name`, `Age`
 * @type: `string`, `integer`, `number`, `boolean` or `date`
 * @format: the OpenAPI format, e.g. `name`, `int32`; empty when unset
 * @description: what the column shows
 * @priority: 0 for the default view; greater for `kubectl get -o wide` only
 * @json_path: (nullable): the JSONPath of the cells; %NULL for the Name column
 * @path: (nullable): @json_path compiled; %NULL for the Name column and for a column whose
 *   JSONPath does not compile (its cells are always null)
 *
 * One column of a kind's table, as a Kubernetes `TableColumnDefinition` plus the JSONPath its
 * cells come from.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *name;
	gchar *type;
	gchar *format;
	gchar *description;
	gint priority;
	gchar *json_path;
	RddJsonPath *path;
} RddPrinterColumn;

GType rdd_printer_column_get_type(void);
#define RDD_TYPE_PRINTER_COLUMN (rdd_printer_column_get_type())

RddPrinterColumn *rdd_printer_column_copy(const RddPrinterColumn *column);
void rdd_printer_column_free(RddPrinterColumn *column);

gboolean rdd_printer_check_columns(JsonArray *columns, GError **error);
GPtrArray *rdd_printer_get_columns(RddKind *kind);
GPtrArray *rdd_printer_row(RddKind *kind, RddObject *object, gint64 now_usec);
GPtrArray *rdd_printer_row_full(RddKind *kind, GPtrArray *columns, JsonNode *object, gint64 now_usec);
gchar *rdd_printer_format_cell(JsonNode *cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddPrinterColumn, rdd_printer_column_free)

G_END_DECLS
