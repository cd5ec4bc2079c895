/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-printer.h"
#include "rdd-store.h"
#include "rdd-time.h"

/* a kind with one column of each type, a filter, a wide column and a broken JSONPath */
static const gchar *rdd_printer_test_widget_crd =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: widgets.test.rdd.io}\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}\n"
	"  scope: Namespaced\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      additionalPrinterColumns:\n"
	"        - {name: Int, type: integer, jsonPath: .spec.i}\n"
	"        - {name: Num, type: number, format: double, jsonPath: .spec.n, description: a number}\n"
	"        - {name: Bool, type: boolean, jsonPath: .spec.b}\n"
	"        - {name: Str, type: string, jsonPath: .spec.s}\n"
	"        - {name: When, type: date, jsonPath: .spec.when}\n"
	"        - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type==\"Ready\")].status'}\n"
	"        - {name: Wide, type: string, jsonPath: .spec.wide, priority: 1}\n"
	"        - {name: Broken, type: string, jsonPath: '.spec[oops'}\n"
	"        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          x-kubernetes-preserve-unknown-fields: true\n";

static const gchar *rdd_printer_test_plain_crd =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: plains.test.rdd.io}\n"
	"spec:\n"
	"  group: test.rdd.io\n"
	"  names: {kind: Plain, listKind: PlainList, plural: plains, singular: plain}\n"
	"  scope: Cluster\n"
	"  versions:\n"
	"    - name: v1\n"
	"      served: true\n"
	"      storage: true\n"
	"      schema:\n"
	"        openAPIV3Schema:\n"
	"          type: object\n"
	"          x-kubernetes-preserve-unknown-fields: true\n";

static RddKind *
rdd_printer_test_kind(const gchar *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kinds = rdd_kind_new_from_yaml(yaml, -1, &error);

	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	g_assert_cmpuint(kinds->len, ==, 1);
	return g_object_ref(g_ptr_array_index(kinds, 0));
}

static JsonNode *
rdd_printer_test_json(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, -1, &error);
	g_assert_no_error(error);
	return node;
}

/* the columns as "name/type/format/priority/jsonPath" lines */
static gchar *
rdd_printer_test_columns_string(GPtrArray *columns)
{
	GString *str = g_string_new(NULL);
	for (guint i = 0; i < columns->len; i++) {
		RddPrinterColumn *c = g_ptr_array_index(columns, i);
		g_string_append_printf(str, "%s/%s/%s/%d/%s\n", c->name, c->type, c->format,
				       c->priority, c->json_path != NULL ? c->json_path : "-");
	}
	return g_string_free(str, FALSE);
}

/* the cells as one JSON array */
static gchar *
rdd_printer_test_cells_string(GPtrArray *cells)
{
	g_autoptr(JsonNode) arr = rdd_json_parse("[]", -1, NULL);
	for (guint i = 0; i < cells->len; i++)
		json_array_add_element(json_node_get_array(arr), json_node_ref(g_ptr_array_index(cells, i)));
	return rdd_json_to_string(arr, FALSE);
}

static void
rdd_printer_test_columns_builtin(void)
{
	g_autoptr(RddStore) store = rdd_store_new();
	g_autoptr(GError) error = NULL;
	struct {
		const gchar *kind;
		const gchar *columns;
	} cases[] = {
		{"Namespace", "Name/string/name/0/-\nStatus/string//0/.status.phase\nAge/date//0/.metadata.creationTimestamp\n"},
		{"ConfigMap", "Name/string/name/0/-\nData/integer//0/.data\nAge/date//0/.metadata.creationTimestamp\n"},
		{"Secret", "Name/string/name/0/-\nType/string//0/.type\nData/integer//0/.data\n"
			   "Age/date//0/.metadata.creationTimestamp\n"},
		{"Event", "Name/string/name/0/-\nLast Seen/date//0/.lastTimestamp\nType/string//0/.type\n"
			  "Reason/string//0/.reason\nObject/string//0/.involvedObject.name\n"
			  "Message/string//0/.message\n"},
	};

	g_assert_true(rdd_store_register_builtin_kinds(store, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		RddKind *kind = rdd_store_find_kind(store, "v1", cases[i].kind);
		g_autoptr(GPtrArray) columns = NULL;
		g_autofree gchar *str = NULL;
		RddPrinterColumn *name;

		g_assert_nonnull(kind);
		columns = rdd_printer_get_columns(kind);
		str = rdd_printer_test_columns_string(columns);
		g_assert_cmpstr(str, ==, cases[i].columns);
		name = g_ptr_array_index(columns, 0);
		g_assert_true(g_str_has_prefix(name->description, "Name must be unique within a namespace."));
		g_assert_null(name->path);
		for (guint j = 1; j < columns->len; j++) {
			RddPrinterColumn *c = g_ptr_array_index(columns, j);
			g_assert_nonnull(c->path);
			g_assert_cmpstr(c->description, !=, "");
		}
	}
	/* descriptions: from the CRD, else the apiextensions default */
	{
		g_autoptr(GPtrArray) columns =
			rdd_printer_get_columns(rdd_store_find_kind(store, "v1", "ConfigMap"));
		RddPrinterColumn *data = g_ptr_array_index(columns, 1);
		RddPrinterColumn *age = g_ptr_array_index(columns, 2);
		g_assert_cmpstr(data->description, ==, "number of entries in data and binaryData");
		g_assert_cmpstr(age->description, ==,
				"Custom resource definition column (in JSONPath format): .metadata.creationTimestamp");
	}
}

static void
rdd_printer_test_columns_custom(void)
{
	g_autoptr(RddKind) widget = rdd_printer_test_kind(rdd_printer_test_widget_crd);
	g_autoptr(RddKind) plain = rdd_printer_test_kind(rdd_printer_test_plain_crd);
	g_autoptr(GPtrArray) columns = rdd_printer_get_columns(widget);
	g_autoptr(GPtrArray) plain_columns = rdd_printer_get_columns(plain);
	g_autofree gchar *str = rdd_printer_test_columns_string(columns);
	g_autofree gchar *plain_str = rdd_printer_test_columns_string(plain_columns);
	RddPrinterColumn *num = g_ptr_array_index(columns, 2);
	RddPrinterColumn *broken = g_ptr_array_index(columns, 8);
	RddPrinterColumn *age = g_ptr_array_index(plain_columns, 1);
	g_autoptr(RddPrinterColumn) copy = NULL;

	g_assert_cmpstr(str, ==,
			"Name/string/name/0/-\n"
			"Int/integer//0/.spec.i\n"
			"Num/number/double/0/.spec.n\n"
			"Bool/boolean//0/.spec.b\n"
			"Str/string//0/.spec.s\n"
			"When/date//0/.spec.when\n"
			"Ready/string//0/.status.conditions[?(@.type==\"Ready\")].status\n"
			"Wide/string//1/.spec.wide\n"
			"Broken/string//0/.spec[oops\n"
			"Age/date//0/.metadata.creationTimestamp\n");
	g_assert_cmpstr(num->description, ==, "a number");
	g_assert_null(broken->path);

	/* a CRD without columns gets Name and Age */
	g_assert_cmpstr(plain_str, ==, "Name/string/name/0/-\nAge/date//0/.metadata.creationTimestamp\n");
	g_assert_true(g_str_has_prefix(age->description, "CreationTimestamp is a timestamp"));

	/* columns are boxed and copy deeply */
	copy = g_boxed_copy(RDD_TYPE_PRINTER_COLUMN, num);
	g_assert_cmpstr(copy->name, ==, "Num");
	g_assert_true(copy->path == num->path);
	g_assert_true(copy->name != num->name);
}

typedef struct {
	const gchar *object;
	const gchar *cells;
} RddPrinterRowCase;

static void
rdd_printer_test_rows_custom(void)
{
	/* now is 2026-11-25T12:00:00Z */
	gint64 now = 0;
	const RddPrinterRowCase cases[] = {
		/* every column has a value of its type */
		{"{\"metadata\":{\"name\":\"w1\",\"creationTimestamp\":\"2026-11-25T11:55:00Z\"},"
		 "\"spec\":{\"i\":7,\"n\":1.5,\"b\":true,\"s\":\"text\",\"when\":\"2026-11-24T12:00:00Z\","
		 "\"wide\":\"w\"},\"status\":{\"conditions\":[{\"type\":\"Synced\",\"status\":\"False\"},"
		 "{\"type\":\"Ready\",\"status\":\"True\"}]}}",
		 "[\"w1\",7,1.5,true,\"text\",\"24h\",\"True\",\"w\",null,\"5m\"]"},
		/* nothing set: the name, then nulls */
		{"{\"metadata\":{\"name\":\"w2\"}}", "[\"w2\",null,null,null,null,null,null,null,null,null]"},
		/* conversions: integer truncates doubles and counts objects and arrays, number
		 * takes integers, string prints anything, a wrongly typed value is null */
		{"{\"metadata\":{\"name\":\"w3\"},\"spec\":{\"i\":2.7,\"n\":3,\"b\":\"yes\",\"s\":{\"b\":1,\"a\":[1]},"
		 "\"when\":5,\"wide\":1e-7}}",
		 "[\"w3\",2,3,null,\"{\\\"a\\\":[1],\\\"b\\\":1}\",null,null,\"1e-07\",null,null]"},
		{"{\"metadata\":{\"name\":\"w4\"},\"spec\":{\"i\":{\"a\":1,\"b\":2},\"n\":\"1\",\"b\":false,\"s\":null,"
		 "\"wide\":42}}",
		 "[\"w4\",2,null,false,\"\\u003cno value\\u003e\",null,null,\"42\",null,null]"},
		{"{\"metadata\":{\"name\":\"w5\"},\"spec\":{\"i\":[1,2,3],\"s\":true}}",
		 "[\"w5\",3,null,null,\"true\",null,null,null,null,null]"},
		{"{\"metadata\":{\"name\":\"w6\"},\"spec\":{\"i\":\"3\",\"s\":-0.5}}",
		 "[\"w6\",null,null,null,\"-0.5\",null,null,null,null,null]"},
		/* dates: ages as kubectl prints them, and the odd ones */
		{"{\"metadata\":{\"name\":\"d1\",\"creationTimestamp\":\"2026-11-25T12:00:01Z\"},"
		 "\"spec\":{\"when\":\"2026-11-25T12:00:10Z\"}}",
		 "[\"d1\",null,null,null,null,\"\\u003cinvalid\\u003e\",null,null,null,\"0s\"]"},
		{"{\"metadata\":{\"name\":\"d2\",\"creationTimestamp\":\"0001-01-01T00:00:00Z\"},"
		 "\"spec\":{\"when\":\"yesterday\"}}",
		 "[\"d2\",null,null,null,null,\"\\u003cinvalid\\u003e\",null,null,null,\"\\u003cunknown\\u003e\"]"},
		{"{\"metadata\":{\"name\":\"d3\",\"creationTimestamp\":\"2026-11-18T11:00:00Z\"},"
		 "\"spec\":{\"when\":\"2024-11-25T12:00:00+01:00\"}}",
		 "[\"d3\",null,null,null,null,\"2y\",null,null,null,\"7d1h\"]"},
		/* the filter takes the first match; a filter error is no value */
		{"{\"metadata\":{\"name\":\"f1\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},"
		 "{\"type\":\"Ready\",\"status\":\"True\"}]}}",
		 "[\"f1\",null,null,null,null,null,\"False\",null,null,null]"},
		{"{\"metadata\":{\"name\":\"f2\"},\"status\":{\"conditions\":{\"type\":\"Ready\"}}}",
		 "[\"f2\",null,null,null,null,null,null,null,null,null]"},
		/* no name */
		{"{\"spec\":{\"i\":1}}", "[null,1,null,null,null,null,null,null,null,null]"},
	};
	g_autoptr(RddKind) widget = rdd_printer_test_kind(rdd_printer_test_widget_crd);
	g_autoptr(GPtrArray) columns = rdd_printer_get_columns(widget);

	g_assert_true(rdd_time_parse("2026-11-25T12:00:00Z", &now, NULL));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) obj = rdd_printer_test_json(cases[i].object);
		g_autoptr(GPtrArray) cells = rdd_printer_row_full(widget, columns, obj, now);
		g_autofree gchar *str = rdd_printer_test_cells_string(cells);
		g_assert_cmpuint(cells->len, ==, columns->len);
		if (g_strcmp0(str, cases[i].cells) != 0)
			g_test_fail_printf("case %u: got %s, expected %s", i, str, cases[i].cells);
	}
}

static RddObject *
rdd_printer_test_create(RddStore *store, const gchar *json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_printer_test_json(json);
	RddObject *obj = rdd_store_create(store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static void
rdd_printer_test_rows_builtin(void)
{
	g_autoptr(RddStore) store = rdd_store_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) ns = NULL;
	g_autoptr(RddObject) cm = NULL;
	g_autoptr(RddObject) cm_empty = NULL;
	g_autoptr(RddObject) secret = NULL;
	g_autoptr(RddObject) secret_empty = NULL;
	struct {
		RddObject **obj;
		const gchar *cells;
	} cases[] = {
		{&ns, "[\"default\",\"Active\",\"5m\"]"},
		{&cm, "[\"cm\",3,\"5m\"]"},
		{&cm_empty, "[\"empty\",0,\"5m\"]"},
		{&secret, "[\"s\",\"kubernetes.io/basic-auth\",2,\"5m\"]"},
		{&secret_empty, "[\"s-empty\",\"Opaque\",0,\"5m\"]"},
	};

	g_assert_true(rdd_store_register_builtin_kinds(store, &error));
	g_assert_no_error(error);
	ns = rdd_printer_test_create(store, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}");
	cm = rdd_printer_test_create(store, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
					    "\"namespace\":\"default\"},\"data\":{\"a\":\"1\",\"b\":\"2\"},"
					    "\"binaryData\":{\"c\":\"AAE=\"}}");
	cm_empty = rdd_printer_test_create(store, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
						  "\"name\":\"empty\",\"namespace\":\"default\"}}");
	secret = rdd_printer_test_create(
		store, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\","
		       "\"namespace\":\"default\"},\"type\":\"kubernetes.io/basic-auth\","
		       "\"data\":{\"username\":\"dQ==\"},\"stringData\":{\"password\":\"p\"}}");
	secret_empty = rdd_printer_test_create(store, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{"
						      "\"name\":\"s-empty\",\"namespace\":\"default\"}}");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		RddObject *obj = *cases[i].obj;
		gint64 now = rdd_object_get_creation_timestamp(obj) + 5 * 60 * G_USEC_PER_SEC;
		g_autoptr(GPtrArray) cells = rdd_printer_row(rdd_object_get_kind(obj), obj, now);
		g_autofree gchar *str = rdd_printer_test_cells_string(cells);
		g_assert_cmpstr(str, ==, cases[i].cells);
	}
}

static void
rdd_printer_test_demo(void)
{
	g_autofree gchar *path =
		g_build_filename(RDD_SOURCE_ROOT, "schemas", "app.rancherdesktop.io", "demo.yaml", NULL);
	g_autofree gchar *yaml = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RddKind) demo = NULL;
	g_autoptr(GPtrArray) columns = NULL;
	g_autoptr(GPtrArray) cells = NULL;
	g_autoptr(JsonNode) obj = rdd_printer_test_json(
		"{\"metadata\":{\"name\":\"demo\",\"creationTimestamp\":\"2026-11-25T10:00:00Z\"},"
		"\"spec\":{\"message\":\"hello\",\"count\":3},\"status\":{\"processedCount\":1}}");
	g_autofree gchar *cols = NULL;
	g_autofree gchar *str = NULL;
	gint64 now = 0;

	g_assert_true(g_file_get_contents(path, &yaml, NULL, &error));
	g_assert_no_error(error);
	demo = rdd_printer_test_kind(yaml);
	columns = rdd_printer_get_columns(demo);
	cols = rdd_printer_test_columns_string(columns);
	g_assert_cmpstr(cols, ==,
			"Name/string/name/0/-\nMessage/string//0/.spec.message\nCount/integer//0/.spec.count\n"
			"Processed/integer//0/.status.processedCount\nAge/date//0/.metadata.creationTimestamp\n");
	g_assert_true(rdd_time_parse("2026-11-25T12:30:00Z", &now, NULL));
	cells = rdd_printer_row_full(demo, columns, obj, now);
	str = rdd_printer_test_cells_string(cells);
	g_assert_cmpstr(str, ==, "[\"demo\",\"hello\",3,1,\"150m\"]");
	g_assert_true(rdd_printer_check_columns(rdd_kind_get_printer_columns(demo), &error));
	g_assert_no_error(error);
}

static void
rdd_printer_test_format_cell(void)
{
	struct {
		const gchar *cell;
		const gchar *text;
	} cases[] = {
		{"null", ""},
		{"\"plain\"", "plain"},
		{"\"\"", ""},
		{"\"two\\nlines\"", "two..."},
		{"\"cr\\rhere\"", "cr..."},
		{"\"form\\ffeed\"", "form..."},
		{"\"esc\\u001b[31m\"", "esc^[[31m"},
		{"3", "3"},
		{"-12", "-12"},
		{"1.5", "1.5"},
		{"1000000.5", "1.0000005e+06"},
		{"true", "true"},
		{"false", "false"},
		{"{\"a\":1}", "{\"a\":1}"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) cell = rdd_printer_test_json(cases[i].cell);
		g_autofree gchar *text = rdd_printer_format_cell(cell);
		g_assert_cmpstr(text, ==, cases[i].text);
	}
	{
		g_autofree gchar *text = rdd_printer_format_cell(NULL);
		g_assert_cmpstr(text, ==, "");
	}
}

static void
rdd_printer_test_check_columns(void)
{
	struct {
		const gchar *columns;
		const gchar *error; /* NULL when valid */
	} cases[] = {
		{"[]", NULL},
		{"[{\"name\":\"A\",\"type\":\"string\",\"jsonPath\":\".a\"}]", NULL},
		{"[{\"name\":\"A\",\"type\":\"integer\",\"format\":\"int32\",\"priority\":2,\"description\":\"d\","
		 "\"jsonPath\":\".a[?(@.x==1)].y\"}]",
		 NULL},
		{"[7]", "additionalPrinterColumns[0]: must be an object"},
		{"[{\"type\":\"string\",\"jsonPath\":\".a\"}]", "additionalPrinterColumns[0].name: Required value"},
		{"[{\"name\":\"A\",\"type\":\"string\",\"jsonPath\":\".a\"},{\"name\":\"B\",\"type\":\"text\",\"jsonPath\":\".b\"}]",
		 "additionalPrinterColumns[1].type: Unsupported value: \"text\""},
		{"[{\"name\":\"A\",\"jsonPath\":\".a\"}]", "additionalPrinterColumns[0].type: Unsupported value: null"},
		{"[{\"name\":\"A\",\"type\":\"string\",\"format\":\"email\",\"jsonPath\":\".a\"}]",
		 "additionalPrinterColumns[0].format: Unsupported value: \"email\""},
		{"[{\"name\":\"A\",\"type\":\"string\",\"priority\":-1,\"jsonPath\":\".a\"}]",
		 "additionalPrinterColumns[0].priority: Invalid value: -1"},
		{"[{\"name\":\"A\",\"type\":\"string\",\"description\":5,\"jsonPath\":\".a\"}]",
		 "additionalPrinterColumns[0].description: must be a string"},
		{"[{\"name\":\"A\",\"type\":\"string\"}]", "additionalPrinterColumns[0].jsonPath: Required value"},
		{"[{\"name\":\"A\",\"type\":\"string\",\"jsonPath\":\".a[\"}]",
		 "additionalPrinterColumns[0].jsonPath: Invalid value: error parsing jsonpath \".a[\" at offset 2: unterminated array"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) node = rdd_printer_test_json(cases[i].columns);
		g_autoptr(GError) error = NULL;
		gboolean ok = rdd_printer_check_columns(json_node_get_array(node), &error);
		if (cases[i].error == NULL) {
			g_assert_no_error(error);
			g_assert_true(ok);
			continue;
		}
		g_assert_false(ok);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		if (strstr(error->message, cases[i].error) == NULL)
			g_test_fail_printf("case %u: '%s' does not contain '%s'", i, error->message,
					   cases[i].error);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/printer/columns-builtin", rdd_printer_test_columns_builtin);
	g_test_add_func("/rdd/printer/columns-custom", rdd_printer_test_columns_custom);
	g_test_add_func("/rdd/printer/rows-custom", rdd_printer_test_rows_custom);
	g_test_add_func("/rdd/printer/rows-builtin", rdd_printer_test_rows_builtin);
	g_test_add_func("/rdd/printer/demo", rdd_printer_test_demo);
	g_test_add_func("/rdd/printer/format-cell", rdd_printer_test_format_cell);
	g_test_add_func("/rdd/printer/check-columns", rdd_printer_test_check_columns);
	return g_test_run();
}
