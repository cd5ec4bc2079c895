/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-printer.h"
#include "rdd-time.h"

/*
 * The columns of a kind as Kubernetes prints it, after apiextensions-apiserver's table
 * convertor: `Name`, then the CRD's `additionalPrinterColumns` in order, or `Age` when it has
 * none. A cell is the first value the column's JSONPath yields, converted by the column's type:
 * `date` to an age relative to now ("5m"), `integer` and `number` to numbers, `boolean` to a
 * boolean, `string` to the text kubectl's JSONPath printer gives; anything else is null. Two
 * additions: an `integer` column whose JSONPath yields an object or an array gives its number of
 * entries, and the `.data` columns of the core ConfigMap and Secret count `data` (plus
 * `binaryData` for a ConfigMap), 0 when absent, as kube-apiserver's printers do.
 */

#define RDD_PRINTER_NAME_DESCRIPTION                                                             \
	"Name must be unique within a namespace. Is required when creating resources, although " \
	"some resources may allow a client to request the generation of an appropriate name "    \
	"automatically. Name is primarily intended for creation idempotence and configuration "  \
	"definition. Cannot be updated. More info: "                                             \
	"https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
#define RDD_PRINTER_AGE_DESCRIPTION                                                                \
	"CreationTimestamp is a timestamp representing the server time when this object was "      \
	"created. It is not guaranteed to be set in happens-before order across separate "         \
	"operations. Clients may not set this value. It is represented in RFC3339 form and is in " \
	"UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "                  \
	"https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

/* Go's zero time.Time, 0001-01-01T00:00:00Z, which metav1.Time prints as "<unknown>" */
#define RDD_PRINTER_ZERO_TIME_USEC (G_GINT64_CONSTANT(-62135596800) * G_USEC_PER_SEC)

G_DEFINE_BOXED_TYPE(RddPrinterColumn, rdd_printer_column, rdd_printer_column_copy, rdd_printer_column_free)

/**
 * rdd_printer_column_copy:
 * @column: a column
 *
 * Returns: (transfer full): a copy of @column
 *
 * Since: 0.1
 */
RddPrinterColumn *
rdd_printer_column_copy(const RddPrinterColumn *column)
{
	RddPrinterColumn *copy;

	g_return_val_if_fail(column != NULL, NULL);

	copy = g_new0(RddPrinterColumn, 1);
	copy->name = g_strdup(column->name);
	copy->type = g_strdup(column->type);
	copy->format = g_strdup(column->format);
	copy->description = g_strdup(column->description);
	copy->priority = column->priority;
	copy->json_path = g_strdup(column->json_path);
	copy->path = column->path != NULL ? rdd_jsonpath_ref(column->path) : NULL;
	return copy;
}

/**
 * rdd_printer_column_free:
 * @column: (transfer full): a column
 *
 * Frees a column.
 *
 * Since: 0.1
 */
void
rdd_printer_column_free(RddPrinterColumn *column)
{
	if (column == NULL)
		return;
	g_free(column->name);
	g_free(column->type);
	g_free(column->format);
	g_free(column->description);
	g_free(column->json_path);
	g_clear_pointer(&column->path, rdd_jsonpath_unref);
	g_free(column);
}

static RddPrinterColumn *
rdd_printer_column_new(const gchar *name,
		       const gchar *type,
		       const gchar *format,
		       const gchar *description,
		       gint priority,
		       const gchar *json_path)
{
	RddPrinterColumn *column = g_new0(RddPrinterColumn, 1);

	column->name = g_strdup(name);
	column->type = g_strdup(type);
	column->format = g_strdup(format != NULL ? format : "");
	column->description = g_strdup(description != NULL ? description : "");
	column->priority = priority;
	column->json_path = g_strdup(json_path);
	if (json_path != NULL) {
		g_autoptr(GError) error_local = NULL;
		column->path = rdd_jsonpath_parse(json_path, &error_local);
		if (column->path == NULL)
			g_debug("printer column %s: %s", name, error_local->message);
	}
	return column;
}

static const gchar *
rdd_printer_member_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = json_object_get_member(obj, member);
	if (node == NULL || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/**
 * rdd_printer_check_columns:
 * @columns: a CRD version's `additionalPrinterColumns`
 * @error: return location for an error
 *
 * Validates printer columns as the API server validates a CRD: each must be an object with a
 * non-empty `name`, a `type` of `integer`, `number`, `string`, `boolean` or `date`, an optional
 * `format` (`int32`, `int64`, `float`, `double`, `byte`, `date`, `date-time`, `password`), a
 * non-negative integer `priority`, a string `description`, and a `jsonPath` that compiles.
 * Errors are %RDD_ERROR_INVALID and name the offending column and field.
 *
 * Returns: %TRUE when the columns are valid
 *
 * Since: 0.1
 */
gboolean
rdd_printer_check_columns(JsonArray *columns, GError **error)
{
	const gchar *types[] = {"integer", "number", "string", "boolean", "date", NULL};
	const gchar *formats[] = {"int32", "int64",	"float",    "double", "byte",
				  "date",  "date-time", "password", NULL};

	g_return_val_if_fail(columns != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (guint i = 0; i < json_array_get_length(columns); i++) {
		JsonNode *node = json_array_get_element(columns, i);
		JsonObject *obj;
		JsonNode *member;
		const gchar *value;
		g_autoptr(RddJsonPath) path = NULL;
		g_autoptr(GError) error_local = NULL;

		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u]: must be an object", i);
			return FALSE;
		}
		obj = json_node_get_object(node);
		value = rdd_printer_member_string(obj, "name");
		if (value == NULL || value[0] == '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].name: Required value", i);
			return FALSE;
		}
		value = rdd_printer_member_string(obj, "type");
		if (value == NULL || !g_strv_contains(types, value)) {
			g_autofree gchar *json =
				rdd_json_to_string(json_object_get_member(obj, "type"), FALSE);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].type: Unsupported value: %s: supported values: "
				    "\"integer\", \"number\", \"string\", \"boolean\", \"date\"",
				    i, json);
			return FALSE;
		}
		member = json_object_get_member(obj, "format");
		if (member != NULL && !JSON_NODE_HOLDS_NULL(member)) {
			value = rdd_printer_member_string(obj, "format");
			if (value == NULL || (value[0] != '\0' && !g_strv_contains(formats, value))) {
				g_autofree gchar *json = rdd_json_to_string(member, FALSE);
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
					    "additionalPrinterColumns[%u].format: Unsupported value: %s: supported "
					    "values: \"int32\", \"int64\", \"float\", \"double\", \"byte\", \"date\", "
					    "\"date-time\", \"password\"",
					    i, json);
				return FALSE;
			}
		}
		member = json_object_get_member(obj, "priority");
		if (member != NULL && !JSON_NODE_HOLDS_NULL(member) &&
		    (json_node_get_value_type(member) != G_TYPE_INT64 ||
		     json_node_get_int(member) < 0 || json_node_get_int(member) > G_MAXINT32)) {
			g_autofree gchar *json = rdd_json_to_string(member, FALSE);
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].priority: Invalid value: %s: must be a "
				    "non-negative 32-bit integer",
				    i, json);
			return FALSE;
		}
		member = json_object_get_member(obj, "description");
		if (member != NULL && !JSON_NODE_HOLDS_NULL(member) &&
		    json_node_get_value_type(member) != G_TYPE_STRING) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].description: must be a string", i);
			return FALSE;
		}
		value = rdd_printer_member_string(obj, "jsonPath");
		if (value == NULL || value[0] == '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].jsonPath: Required value", i);
			return FALSE;
		}
		path = rdd_jsonpath_parse(value, &error_local);
		if (path == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "additionalPrinterColumns[%u].jsonPath: Invalid value: %s", i,
				    error_local->message);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * rdd_printer_get_columns:
 * @kind: a kind
 *
 * Lists the columns of @kind's table as the API server gives them: `Name` (type `string`,
 * format `name`), then the CRD's `additionalPrinterColumns` (a column without a description
 * gets "Custom resource definition column (in JSONPath format): <jsonPath>"), or `Age` (type
 * `date`, `.metadata.creationTimestamp`) when the CRD has none. Entries that are not objects or
 * have no name are skipped; a column whose JSONPath does not compile has %NULL `path` and null
 * cells (see rdd_printer_check_columns()).
 *
 * Returns: (transfer full) (element-type RddPrinterColumn): the columns
 *
 * Since: 0.1
 */
GPtrArray *
rdd_printer_get_columns(RddKind *kind)
{
	GPtrArray *columns;
	JsonArray *crd_columns;
	guint n_added = 0;

	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);

	columns = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_printer_column_free);
	g_ptr_array_add(columns, rdd_printer_column_new("Name", "string", "name",
							RDD_PRINTER_NAME_DESCRIPTION, 0, NULL));
	crd_columns = rdd_kind_get_printer_columns(kind);
	for (guint i = 0; crd_columns != NULL && i < json_array_get_length(crd_columns); i++) {
		JsonNode *node = json_array_get_element(crd_columns, i);
		JsonObject *obj;
		const gchar *name;
		const gchar *json_path;
		const gchar *description;
		const gchar *type;
		JsonNode *priority;
		gint64 prio = 0;
		g_autofree gchar *default_description = NULL;

		if (!JSON_NODE_HOLDS_OBJECT(node))
			continue;
		obj = json_node_get_object(node);
		name = rdd_printer_member_string(obj, "name");
		if (name == NULL || name[0] == '\0')
			continue;
		json_path = rdd_printer_member_string(obj, "jsonPath");
		description = rdd_printer_member_string(obj, "description");
		type = rdd_printer_member_string(obj, "type");
		priority = json_object_get_member(obj, "priority");
		if (priority != NULL && json_node_get_value_type(priority) == G_TYPE_INT64)
			prio = CLAMP(json_node_get_int(priority), 0, G_MAXINT32);
		if (description == NULL || description[0] == '\0') {
			default_description = g_strdup_printf("Custom resource definition column (in JSONPath format): %s",
							      json_path != NULL ? json_path : "");
			description = default_description;
		}
		g_ptr_array_add(columns, rdd_printer_column_new(name, type != NULL ? type : "string",
								rdd_printer_member_string(obj, "format"),
								description, (gint)prio,
								json_path != NULL ? json_path : ""));
		n_added++;
	}
	if (n_added == 0) {
		g_ptr_array_add(columns, rdd_printer_column_new("Age", "date", "", RDD_PRINTER_AGE_DESCRIPTION,
								0, ".metadata.creationTimestamp"));
	}
	return columns;
}

/* the number of entries of an object or array member, 0 when absent or of another type */
static gint64
rdd_printer_count_member(JsonNode *object, const gchar *member)
{
	JsonNode *node = rdd_json_lookup(object, member);
	if (node == NULL)
		return 0;
	if (JSON_NODE_HOLDS_OBJECT(node))
		return json_object_get_size(json_node_get_object(node));
	if (JSON_NODE_HOLDS_ARRAY(node))
		return json_array_get_length(json_node_get_array(node));
	return 0;
}

/* the core ConfigMap's and Secret's `.data` columns, which count entries */
static gboolean
rdd_printer_is_core_data_column(RddKind *kind, RddPrinterColumn *column)
{
	if (g_strcmp0(rdd_kind_get_group(kind), "") != 0 ||
	    g_strcmp0(column->json_path, ".data") != 0 || g_strcmp0(column->type, "integer") != 0)
		return FALSE;
	return g_strcmp0(rdd_kind_get_name(kind), "ConfigMap") == 0 ||
	       g_strcmp0(rdd_kind_get_name(kind), "Secret") == 0;
}

static JsonNode *
rdd_printer_date_cell(const gchar *text, gint64 now_usec)
{
	gint64 when = 0;
	gint64 age;
	g_autofree gchar *str = NULL;

	if (!rdd_time_parse(text, &when, NULL))
		return json_node_init_string(json_node_alloc(), "<invalid>");
	if (when == RDD_PRINTER_ZERO_TIME_USEC)
		return json_node_init_string(json_node_alloc(), "<unknown>");
	/* apimachinery's HumanDuration tolerates clocks a second apart */
	age = now_usec - when;
	if (age <= -2 * G_USEC_PER_SEC)
		return json_node_init_string(json_node_alloc(), "<invalid>");
	str = rdd_time_format_age(age);
	return json_node_init_string(json_node_alloc(), str);
}

/* the cell of @column, as apiextensions-apiserver's cellForJSONValue */
static JsonNode *
rdd_printer_cell(RddKind *kind, RddPrinterColumn *column, JsonNode *object, gint64 now_usec)
{
	g_autoptr(GPtrArray) values = NULL;
	JsonNode *value;
	GType vtype;

	if (rdd_printer_is_core_data_column(kind, column)) {
		gint64 n = rdd_printer_count_member(object, "data");
		if (g_strcmp0(rdd_kind_get_name(kind), "ConfigMap") == 0)
			n += rdd_printer_count_member(object, "binaryData");
		return json_node_init_int(json_node_alloc(), n);
	}
	if (column->path == NULL)
		return json_node_new(JSON_NODE_NULL);
	values = rdd_jsonpath_eval(column->path, object);
	if (values->len == 0)
		return json_node_new(JSON_NODE_NULL);
	value = g_ptr_array_index(values, 0);

	if (g_strcmp0(column->type, "string") == 0) {
		/* a null prints as Go's template printer prints an invalid value */
		if (JSON_NODE_HOLDS_NULL(value))
			return json_node_init_string(json_node_alloc(), "<no value>");
		{
			g_autofree gchar *text = rdd_jsonpath_format_value(value);
			return json_node_init_string(json_node_alloc(), text);
		}
	}
	if (g_strcmp0(column->type, "integer") == 0) {
		if (JSON_NODE_HOLDS_OBJECT(value))
			return json_node_init_int(json_node_alloc(),
						  json_object_get_size(json_node_get_object(value)));
		if (JSON_NODE_HOLDS_ARRAY(value))
			return json_node_init_int(json_node_alloc(),
						  json_array_get_length(json_node_get_array(value)));
	}
	if (!JSON_NODE_HOLDS_VALUE(value))
		return json_node_new(JSON_NODE_NULL);
	vtype = json_node_get_value_type(value);
	if (g_strcmp0(column->type, "integer") == 0) {
		if (vtype == G_TYPE_INT64)
			return json_node_init_int(json_node_alloc(), json_node_get_int(value));
		if (vtype == G_TYPE_DOUBLE) {
			gdouble d = trunc(json_node_get_double(value));
			if (isfinite(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
				return json_node_init_int(json_node_alloc(), (gint64)d);
		}
	} else if (g_strcmp0(column->type, "number") == 0) {
		if (vtype == G_TYPE_INT64)
			return json_node_init_double(json_node_alloc(), (gdouble)json_node_get_int(value));
		if (vtype == G_TYPE_DOUBLE)
			return json_node_init_double(json_node_alloc(), json_node_get_double(value));
	} else if (g_strcmp0(column->type, "boolean") == 0) {
		if (vtype == G_TYPE_BOOLEAN)
			return json_node_init_boolean(json_node_alloc(), json_node_get_boolean(value));
	} else if (g_strcmp0(column->type, "date") == 0) {
		if (vtype == G_TYPE_STRING)
			return rdd_printer_date_cell(json_node_get_string(value), now_usec);
	}
	return json_node_new(JSON_NODE_NULL);
}

/**
 * rdd_printer_row_full:
 * @kind: the kind of @object
 * @columns: (element-type RddPrinterColumn): the columns, from rdd_printer_get_columns()
 * @object: the object, as JSON
 * @now_usec: the current time in microseconds since the Unix epoch, for ages
 *
 * Computes the cells of one row of a table, one per column; rdd_printer_row() for callers that
 * print many objects with the same columns. The Name column gives `metadata.name`.
 *
 * Returns: (transfer full) (element-type JsonNode): the cells; missing values are JSON null
 *
 * Since: 0.1
 */
GPtrArray *
rdd_printer_row_full(RddKind *kind, GPtrArray *columns, JsonNode *object, gint64 now_usec)
{
	GPtrArray *cells;

	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(columns != NULL, NULL);
	g_return_val_if_fail(object != NULL, NULL);

	cells = g_ptr_array_new_full(columns->len, (GDestroyNotify)json_node_unref);
	for (guint i = 0; i < columns->len; i++) {
		RddPrinterColumn *column = g_ptr_array_index(columns, i);
		if (column->json_path == NULL) {
			const gchar *name = rdd_json_lookup_string(object, "metadata.name");
			g_ptr_array_add(cells, name != NULL ? json_node_init_string(json_node_alloc(), name) :
							      json_node_new(JSON_NODE_NULL));
			continue;
		}
		g_ptr_array_add(cells, rdd_printer_cell(kind, column, object, now_usec));
	}
	return cells;
}

/**
 * rdd_printer_row:
 * @kind: the kind of @object
 * @object: an object of @kind
 * @now_usec: the current time in microseconds since the Unix epoch, for ages
 *
 * Computes the cells of @object's row, one per column of rdd_printer_get_columns(): the name,
 * then each column's value converted by its type (see the description of this module), or JSON
 * null where the object has no value (kubectl prints a blank cell).
 *
 * Returns: (transfer full) (element-type JsonNode): the cells
 *
 * Since: 0.1
 */
GPtrArray *
rdd_printer_row(RddKind *kind, RddObject *object, gint64 now_usec)
{
	g_autoptr(GPtrArray) columns = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(object != NULL, NULL);

	columns = rdd_printer_get_columns(kind);
	node = rdd_object_dup_node(object);
	return rdd_printer_row_full(kind, columns, node, now_usec);
}

/**
 * rdd_printer_format_cell:
 * @cell: (nullable): a cell from rdd_printer_row()
 *
 * Formats a cell for a plain-text table as `kubectl get` prints a server-side Table: nothing for
 * %NULL and null (kubectl 1.32 leaves a null cell blank; `<none>` is what its client-side
 * `-o custom-columns` prints for a missing value), a string up to its first line break (then
 * `...`) with ESC shown as `^[`, numbers as Go prints them, `true` and `false`; objects and
 * arrays as compact JSON.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_printer_format_cell(JsonNode *cell)
{
	GString *out;

	if (cell == NULL || JSON_NODE_HOLDS_NULL(cell))
		return g_strdup("");
	out = g_string_new(NULL);
	if (JSON_NODE_HOLDS_VALUE(cell) && json_node_get_value_type(cell) == G_TYPE_STRING) {
		const gchar *str = json_node_get_string(cell);
		gsize n = strcspn(str, "\n\r\f");
		for (gsize i = 0; i < n; i++) {
			if (str[i] == '\x1b')
				g_string_append(out, "^[");
			else
				g_string_append_c(out, str[i]);
		}
		if (str[n] != '\0')
			g_string_append(out, "...");
		return g_string_free(out, FALSE);
	}
	rdd_jsonpath_append_value(out, cell);
	return g_string_free(out, FALSE);
}
