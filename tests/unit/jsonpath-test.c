/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-jsonpath.h"

/* the document most cases run against; the expected outputs were checked against
 * `kubectl annotate --local -f doc.json q- -o jsonpath=...` (kubectl 1.32) where kubectl is
 * deterministic and this implementation does not deliberately differ */
static const gchar *rdd_jsonpath_test_doc =
	"{\"apiVersion\":\"x.io/v1\",\"kind\":\"Thing\","
	"\"metadata\":{\"name\":\"t1\",\"labels\":{\"a\":\"b\",\"x.y/z\":\"w\"}},"
	"\"spec\":{\"s\":\"str\",\"i\":42,\"f\":1.5,\"big\":1e21,\"small\":0.000001,"
	"\"mil\":1000000.0,\"fi\":3.0,\"b\":true,\"n\":null,\"e\":\"\","
	"\"arr\":[1,\"two\",{\"k\":\"v\"},[3]],\"emptyarr\":[],\"emptyobj\":{},"
	"\"html\":\"a<b&c>\","
	"\"conds\":[{\"type\":\"Ready\",\"status\":\"True\",\"n\":1},"
	"{\"type\":\"Synced\",\"status\":\"False\",\"n\":2},{\"type\":\"Other\",\"n\":3.5}],"
	"\"items\":[{\"name\":\"a\",\"v\":1},{\"name\":\"b\",\"v\":2},{\"name\":\"c\"}],"
	"\"dot.key\":\"dk\",\"nested\":{\"name\":\"inner\",\"deep\":{\"name\":\"deeper\"}},"
	"\"nulls\":[{\"x\":null},{\"x\":\"s\"}],\"bools\":[{\"b\":true},{\"b\":false}]}}";

static JsonNode *
rdd_jsonpath_test_parse_doc(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

typedef struct {
	const gchar *tmpl;
	RddJsonPathFlags flags;
	const gchar *output; /* NULL when it must fail */
	gint code;	     /* the error code when it fails */
	const gchar *error;  /* substring of the error message when it fails */
} RddJsonPathTemplateCase;

static void
rdd_jsonpath_test_templates(void)
{
	const RddJsonPathTemplateCase cases[] = {
		/* members and scalars, printed as kubectl prints them */
		{"{.spec.s}", 0, "str"},
		{"{.spec.i}", 0, "42"},
		{"{.spec.f}", 0, "1.5"},
		{"{.spec.big}", 0, "1e+21"},
		{"{.spec.small}", 0, "1e-06"},
		{"{.spec.mil}", 0, "1e+06"},
		{"{.spec.fi}", 0, "3"},
		{"{.spec.b}", 0, "true"},
		{"{.spec.n}", 0, "null"},
		{"{.spec.e}", 0, ""},
		{"{.spec.html}", 0, "a<b&c>"},
		{"{$.spec.s}", 0, "str"},
		{"{@.spec.s}", 0, "str"},
		{"{.metadata.name}", 0, "t1"},
		/* objects and arrays as compact JSON with sorted keys, escaped as Go does */
		{"{.spec.arr}", 0, "[1,\"two\",{\"k\":\"v\"},[3]]"},
		{"{.spec.emptyarr}", 0, "[]"},
		{"{.spec.emptyobj}", 0, "{}"},
		{"{.metadata.labels}", 0, "{\"a\":\"b\",\"x.y/z\":\"w\"}"},
		{"{.spec.nested}", 0, "{\"deep\":{\"name\":\"deeper\"},\"name\":\"inner\"}"},
		{"{.spec.conds[?(@.type==\"Ready\")]}", 0, "{\"n\":1,\"status\":\"True\",\"type\":\"Ready\"}"},
		/* arrays: index, negative index, slices, steps, unions */
		{"{.spec.arr[*]}", 0, "1 two {\"k\":\"v\"} [3]"},
		{"{.spec.arr[0]}", 0, "1"},
		{"{.spec.arr[-1]}", 0, "[3]"},
		{"{.spec.arr[-4]}", 0, "1"},
		{"{.spec.arr[0:2]}", 0, "1 two"},
		{"{.spec.arr[1:]}", 0, "two {\"k\":\"v\"} [3]"},
		{"{.spec.arr[:-1]}", 0, "1 two {\"k\":\"v\"}"},
		{"{.spec.arr[::2]}", 0, "1 {\"k\":\"v\"}"},
		{"{.spec.arr[1:1]}", 0, ""},
		{"{.spec.arr[9:9]}", 0, ""},
		{"{.spec.arr[0,2]}", 0, "1 {\"k\":\"v\"}"},
		{"{.spec.arr[3][0]}", 0, "3"},
		{"{.spec.arr[ 1 ]}", 0, "two"},
		{"{.spec.emptyarr[*]}", 0, ""},
		{"{.spec.items[*].name}", 0, "a b c"},
		{"{.spec.items[*].v}", 0, "1 2"},
		{"{.spec.items[0]['name']}", 0, "a"},
		{"{.spec.items[*]['name','v']}", 0, "a b c 1 2"},
		{"{.spec['s','i']}", 0, "str 42"},
		{"{.spec.n[0]}", 0, ""},
		{"{.spec.arr[-5]}", 0, NULL, RDD_ERROR_INVALID,
		 "at offset 11: array index out of bounds: index -1, length 4"},
		{"{.spec.arr[4]}", 0, NULL, RDD_ERROR_INVALID, "array index out of bounds: index 4, length 4"},
		{"{.spec.arr[0:9]}", 0, NULL, RDD_ERROR_INVALID, "array index out of bounds: index 8, length 4"},
		{"{.spec.arr[2:1]}", 0, NULL, RDD_ERROR_INVALID, "starting index 2 is greater than ending index 1"},
		{"{.spec.arr[::0]}", 0, NULL, RDD_ERROR_INVALID, "step must be > 0"},
		{"{.spec.emptyarr[0]}", 0, NULL, RDD_ERROR_INVALID, "index 0, length 0"},
		{"{.spec.i[0]}", 0, NULL, RDD_ERROR_INVALID, "integer is not array or slice"},
		{"{.spec.nested[*]}", 0, NULL, RDD_ERROR_INVALID, "object is not array or slice"},
		/* filters */
		{"{.spec.conds[?(@.type==\"Ready\")].status}", 0, "True"},
		{"{.spec.conds[?(@.type=='Ready')].status}", 0, "True"},
		{"{.spec.conds[?(@.type!=\"Ready\")].type}", 0, "Synced Other"},
		{"{.spec.conds[?(@.status)].type}", 0, "Ready Synced"},
		{"{.spec.conds[?(@.status==\"True\")].type}", 0, "Ready"},
		{"{.spec.conds[?(@.n>1)].type}", 0, "Synced Other"},
		{"{.spec.conds[?(@.n>=2)].type}", 0, "Synced Other"},
		{"{.spec.conds[?(@.n<2)].type}", 0, "Ready"},
		{"{.spec.conds[?(@.n<=2)].type}", 0, "Ready Synced"},
		{"{.spec.conds[?(@.n==3.5)].type}", 0, "Other"},
		{"{.spec.conds[?(@.n > -1)].type}", 0, "Ready Synced Other"},
		{"{.spec.conds[?(@.type>\"Ready\")].type}", 0, "Synced"},
		{"{.spec.conds[?( @.n == 2 )].type}", 0, "Synced"},
		{"{.spec.conds[?(@.n==@.n)].type}", 0, "Ready Synced Other"},
		{"{.spec.items[?(@.v)].name}", 0, "a b"},
		{"{.spec.conds[?(@.nope==\"x\")].status}", 0, ""},
		{"{.spec.bools[?(@.b==true)].b}", 0, "true"},
		{"{.spec.bools[?(@.b!=true)].b}", 0, "false"},
		{"{.spec.conds[?(@.type==1)].status}", 0, NULL, RDD_ERROR_INVALID, "incompatible types for comparison"},
		{"{.spec.bools[?(@.b<true)].b}", 0, NULL, RDD_ERROR_INVALID, "invalid type for comparison"},
		{"{.spec.nulls[?(@.x==\"s\")].x}", 0, NULL, RDD_ERROR_INVALID, "invalid type for comparison"},
		{"{.spec.nested[?(@.a)]}", 0, NULL, RDD_ERROR_INVALID, "object is not array or slice and cannot be filtered"},
		{"{.spec.items[?(@.name)]..v}", 0, "1 2"},
		{"{.spec.conds[?(@.type)].type}", 0, "Ready Synced Other"},
		/* wildcards and recursive descent (members in key order) */
		{"{.metadata.labels.*}", 0, "b w"},
		{"{.spec.nested.*}", 0, "{\"name\":\"deeper\"} inner"},
		{"{.spec.arr.*}", 0, "1 two {\"k\":\"v\"} [3]"},
		{"{..name}", 0, "t1 a b c inner deeper"},
		{"{.spec.nested..name}", 0, "inner deeper"},
		{"{.spec.items..v}", 0, "1 2"},
		{"{.spec.nested..*}", 0, "{\"name\":\"deeper\"} inner deeper"},
		/* member names with dots, quoted or escaped */
		{"{.spec['dot.key']}", 0, "dk"},
		{"{.spec[\"dot.key\"]}", 0, "dk"},
		{"{.spec.dot\\.key}", 0, "dk"},
		{"{.metadata.labels.x\\.y/z}", 0, "w"},
		{"{.metadata.labels['x.y/z']}", 0, "w"},
		/* text, literals and several actions */
		{"{.spec.s} {.spec.i}", 0, "str 42"},
		{"x{.spec.s}y", 0, "xstry"},
		{"{.spec.i}{.spec.s}", 0, "42str"},
		{"{\"a\\tb\"}", 0, "a\tb"},
		{"{'single'}", 0, "single"},
		{"{\"\\x41\\u00e9\\101\\\"\"}", 0,
		 "A\xc3\xa9"
		 "A\""},
		{"{.metadata.name}{\"\\n\"}", 0, "t1\n"},
		{"{5}", 0, "5"},
		{"{true}", 0, "true"},
		{"{.spec.s 5}", 0, "5"},
		{"no actions at all }", 0, "no actions at all }"},
		{"", 0, ""},
		/* ranges */
		{"{range .spec.items[*]}[{.name}]{end}", 0, "[a][b][c]"},
		{"{range .spec.items[*]}{.name}={.v}{\"\\n\"}{end}", 0, "a=1\nb=2\nc=\n"},
		{"{range .spec.emptyarr[*]}[{.name}]{end}", 0, ""},
		{"{range .spec.items[*]}{range .name}<{@}>{end}{end}", 0, "<a><b><c>"},
		{"{range .spec.conds[*]}{.type}:{.status};{end}", 0, "Ready:True;Synced:False;Other:;"},
		{"{range .spec.items[*]}{.name}{end}|{.spec.s}", 0, "abc|str"},
		{"{range .spec.items[*]}", 0, ""},
		{"{range .spec.items[*]}{.name}", 0, "abc"},
		{"{ range .spec.items[*] }{ .name }{ end }", 0, "abc"},
		/* missing keys: nothing by default, an error when strict */
		{"{.spec.missing}", 0, ""},
		{"{.spec.missing.deeper}", 0, ""},
		{"{.spec.s.x}", 0, ""},
		{"{.}", 0, ""},
		{"{.spec.missing}", RDD_JSONPATH_FLAG_STRICT, NULL, RDD_ERROR_NOT_FOUND, "at offset 7: missing is not found"},
		{"{.spec.missing.deeper}", RDD_JSONPATH_FLAG_STRICT, NULL, RDD_ERROR_NOT_FOUND, "missing is not found"},
		{"{.spec.n.x}", RDD_JSONPATH_FLAG_STRICT, NULL, RDD_ERROR_NOT_FOUND, "x is not found"},
		{"{.}", RDD_JSONPATH_FLAG_STRICT, NULL, RDD_ERROR_NOT_FOUND, "\"\" is not found"},
		{"{range .spec.conds[*]}{.status}{end}", RDD_JSONPATH_FLAG_STRICT, NULL,
		 RDD_ERROR_NOT_FOUND, "status is not found"},
		{"{.spec.conds[?(@.nope==\"x\")]}", RDD_JSONPATH_FLAG_STRICT, NULL,
		 RDD_ERROR_NOT_FOUND, "nope is not found"},
		{"{.spec.conds[?(@.nope)]}", RDD_JSONPATH_FLAG_STRICT, ""},
		{"{.spec.emptyarr[*].x}", RDD_JSONPATH_FLAG_STRICT, ""},
		{"{.spec.n}", RDD_JSONPATH_FLAG_STRICT, "null"},
		/* parse errors name the offset */
		{"{.spec.s", 0, NULL, RDD_ERROR_INVALID, "at offset 0: unclosed action"},
		{"{.spec.arr[}", 0, NULL, RDD_ERROR_INVALID, "at offset 10: unterminated array"},
		{"{.spec.arr[x]}", 0, NULL, RDD_ERROR_INVALID, "at offset 11: invalid array index \"x\""},
		{"{.spec.arr[1:2:3:4]}", 0, NULL, RDD_ERROR_INVALID, "invalid array index"},
		{"{.spec.arr[99999999999]}", 0, NULL, RDD_ERROR_INVALID, "array index \"99999999999\" is out of range"},
		{"{.spec.arr[]}", 0, NULL, RDD_ERROR_INVALID, "empty array index"},
		{"{end}", 0, NULL, RDD_ERROR_INVALID, "at offset 1: not in range, nothing to end"},
		{"{#}", 0, NULL, RDD_ERROR_INVALID, "at offset 1: unrecognized character in action: U+0023 \"#\""},
		{"{foo}", 0, NULL, RDD_ERROR_INVALID, "at offset 1: unrecognized identifier foo"},
		{"{....a}", 0, NULL, RDD_ERROR_INVALID, "at offset 3: invalid multiple recursive descent"},
		{"{\"abc}", 0, NULL, RDD_ERROR_INVALID, "at offset 1: unterminated quoted string"},
		{"{\"\\q\"}", 0, NULL, RDD_ERROR_INVALID, "at offset 2: invalid escape of U+0071 \"q\""},
		{"{\"\\x00\"}", 0, NULL, RDD_ERROR_INVALID, "NUL character"},
		{"{\"\\xff\"}", 0, NULL, RDD_ERROR_INVALID, "not valid UTF-8"},
		{"{\"\\ud800\"}", 0, NULL, RDD_ERROR_INVALID, "not a Unicode scalar value"},
		{"{.a[?(@.n==1}", 0, NULL, RDD_ERROR_INVALID, "at offset 3: unterminated filter"},
		{"{.a[?(@.n==1)}", 0, NULL, RDD_ERROR_INVALID, "at offset 13: unclosed array expect ]"},
		{"{.a[?(@.n=1)]}", 0, NULL, RDD_ERROR_INVALID, "at offset 9: unrecognized filter operator ="},
		{"{.a[?(@.n==)]}", 0, NULL, RDD_ERROR_INVALID, "without a right operand"},
		{"{.a[?(@.n==1 x)]}", 0, NULL, RDD_ERROR_INVALID, "unrecognized identifier x"},
		{"{1.2.3}", 0, NULL, RDD_ERROR_INVALID, "cannot parse number \"1.2.3\""},
		{"{.a\\", 0, NULL, RDD_ERROR_INVALID, "dangling backslash"},
		{"{end x}", 0, NULL, RDD_ERROR_INVALID, "unexpected U+0078 \"x\" after end"},
		{"ok \xff", 0, NULL, RDD_ERROR_INVALID, "at offset 3: invalid UTF-8 byte 0xFF"},
	};
	g_autoptr(JsonNode) doc = rdd_jsonpath_test_parse_doc(rdd_jsonpath_test_doc);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const RddJsonPathTemplateCase *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(RddJsonPath) path = rdd_jsonpath_parse_template(c->tmpl, &error);
		g_autofree gchar *out = NULL;

		if (path != NULL)
			out = rdd_jsonpath_execute(path, doc, c->flags, &error);
		if (c->output != NULL) {
			if (out == NULL) {
				g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: unexpected error: %s",
						   i, c->tmpl, error->message);
				continue;
			}
			g_assert_no_error(error);
			if (g_strcmp0(out, c->output) != 0) {
				g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: got '%s', expected '%s'",
						   i, c->tmpl, out, c->output);
			}
			continue;
		}
		if (out != NULL) {
			g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: got '%s', expected an error",
					   i, c->tmpl, out);
			continue;
		}
		g_assert_error(error, RDD_ERROR, c->code);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		if (c->error != NULL && strstr(error->message, c->error) == NULL) {
			g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: error '%s' does not contain '%s'",
					   i, c->tmpl, error->message, c->error);
		}
	}
}

typedef struct {
	const gchar *expr;
	const gchar *results; /* canonical JSON array of the values, or NULL for a parse error */
} RddJsonPathEvalCase;

static void
rdd_jsonpath_test_eval(void)
{
	const RddJsonPathEvalCase cases[] = {
		{".spec.s", "[\"str\"]"},
		{"{.spec.s}", "[\"str\"]"},
		{"  {.spec.s}  ", "[\"str\"]"},
		{"spec.s", "[\"str\"]"}, /* relaxed, as kubectl's custom columns */
		{"$.spec.i", "[42]"},
		{"@.spec.i", "[42]"},
		{".spec.items[*].name", "[\"a\",\"b\",\"c\"]"},
		{".spec.conds[?(@.type==\"Synced\")].status", "[\"False\"]"},
		{".spec.conds[-1:]", "[{\"n\":3.5,\"type\":\"Other\"}]"},
		{".spec.missing", "[]"},
		{".spec.arr[7]", "[]"}, /* an evaluation error is no values */
		{".spec.n", "[null]"},
		{"..deep", "[{\"name\":\"deeper\"}]"},
		{".metadata.labels", "[{\"a\":\"b\",\"x.y/z\":\"w\"}]"},
		{"{.a}{.b}", NULL},
		{"{.a} x", NULL},
		{".a}", NULL},
		{"{.a", NULL},
		{"{range .a}", NULL},
	};
	g_autoptr(JsonNode) doc = rdd_jsonpath_test_parse_doc(rdd_jsonpath_test_doc);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const RddJsonPathEvalCase *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(RddJsonPath) path = rdd_jsonpath_parse(c->expr, &error);
		g_autoptr(GPtrArray) values = NULL;
		g_autoptr(JsonNode) arr = NULL;
		g_autofree gchar *json = NULL;

		if (c->results == NULL) {
			if (path != NULL)
				g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: parsed", i, c->expr);
			else
				g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			continue;
		}
		if (path == NULL) {
			g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: %s", i, c->expr, error->message);
			continue;
		}
		g_assert_cmpstr(rdd_jsonpath_get_text(path), ==, c->expr);
		values = rdd_jsonpath_eval(path, doc);
		g_assert_nonnull(values);
		arr = rdd_json_parse("[]", -1, NULL);
		for (guint j = 0; j < values->len; j++)
			json_array_add_element(json_node_get_array(arr),
					       rdd_json_deep_copy(g_ptr_array_index(values, j)));
		json = rdd_json_to_string(arr, FALSE);
		if (g_strcmp0(json, c->results) != 0)
			g_test_fail_printf("case %" G_GSIZE_FORMAT " %s: got %s, expected %s", i,
					   c->expr, json, c->results);
	}
}

static void
rdd_jsonpath_test_eval_full(void)
{
	g_autoptr(JsonNode) doc = rdd_jsonpath_test_parse_doc(rdd_jsonpath_test_doc);
	g_autoptr(GError) error = NULL;
	g_autoptr(RddJsonPath) path = rdd_jsonpath_parse(".spec.arr[7]", &error);
	g_autoptr(RddJsonPath) tmpl = NULL;
	g_autoptr(GPtrArray) values = NULL;

	g_assert_no_error(error);
	values = rdd_jsonpath_eval_full(path, doc, RDD_JSONPATH_FLAG_NONE, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(values);
	g_assert_nonnull(strstr(error->message, "\".spec.arr[7]\" at offset 10"));
	g_clear_error(&error);

	/* a template gives its text and the values of its actions, in order */
	tmpl = rdd_jsonpath_parse_template("n={range .spec.items[*]}{.name},{end}", &error);
	g_assert_no_error(error);
	values = rdd_jsonpath_eval_full(tmpl, doc, RDD_JSONPATH_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(values->len, ==, 7);
	g_assert_cmpstr(json_node_get_string(g_ptr_array_index(values, 0)), ==, "n=");
	g_assert_cmpstr(json_node_get_string(g_ptr_array_index(values, 1)), ==, "a");
	g_assert_cmpstr(json_node_get_string(g_ptr_array_index(values, 2)), ==, ",");
	g_assert_cmpstr(json_node_get_string(g_ptr_array_index(values, 5)), ==, "c");

	/* values outlive the document they came from */
	g_clear_pointer(&values, g_ptr_array_unref);
	{
		g_autoptr(JsonNode) other = rdd_jsonpath_test_parse_doc("{\"a\":{\"b\":[1,2]}}");
		g_autoptr(RddJsonPath) p = rdd_jsonpath_parse(".a.b", &error);
		g_assert_no_error(error);
		values = rdd_jsonpath_eval(p, other);
		g_clear_pointer(&other, json_node_unref);
		g_assert_cmpuint(values->len, ==, 1);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(g_ptr_array_index(values, 0))),
				 ==, 2);
	}
}

static void
rdd_jsonpath_test_execute_template(void)
{
	g_autoptr(JsonNode) doc = rdd_jsonpath_test_parse_doc("{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"}},"
							      "{\"metadata\":{\"name\":\"b\"}}]}");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *out = NULL;

	out = rdd_jsonpath_execute_template(
		"{range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}", doc, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(out, ==, "x/a\n/b\n");
	g_clear_pointer(&out, g_free);

	out = rdd_jsonpath_execute_template("{.items[*].metadata.name", doc, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(out);
	g_assert_nonnull(strstr(error->message, "unclosed action"));
}

typedef struct {
	gdouble value;
	const gchar *text;
} RddJsonPathDoubleCase;

static void
rdd_jsonpath_test_double(void)
{
	/* as Go's fmt.Print(float64), which kubectl uses */
	const RddJsonPathDoubleCase cases[] = {
		{0.0, "0"},
		{-0.0, "-0"},
		{1.0, "1"},
		{1.5, "1.5"},
		{-2.5, "-2.5"},
		{100000.0, "100000"},
		{123456.7, "123456.7"},
		{1000000.0, "1e+06"},
		{1234567.0, "1.234567e+06"},
		{123456789.5, "1.234567895e+08"},
		{0.0001, "0.0001"},
		{0.00001, "1e-05"},
		{0.000001, "1e-06"},
		{1e21, "1e+21"},
		{1e100, "1e+100"},
		{1.2345678901234567e19, "1.2345678901234567e+19"},
		{0.1, "0.1"},
		{1.0 / 3.0, "0.3333333333333333"},
		{5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		rdd_jsonpath_append_double(out, cases[i].value);
		g_assert_cmpstr(out->str, ==, cases[i].text);
	}
}

static void
rdd_jsonpath_test_format_value(void)
{
	g_autoptr(JsonNode) doc =
		rdd_jsonpath_test_parse_doc("[\"s\\n\",7,-1.25,true,false,null,{\"b\":1,\"a\":\"<\"},[]]");
	JsonArray *arr = json_node_get_array(doc);
	const gchar *expected[] = {
		"s\n", "7", "-1.25", "true", "false", "null", "{\"a\":\"\\u003c\",\"b\":1}", "[]"};

	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_autofree gchar *text = rdd_jsonpath_format_value(json_array_get_element(arr, i));
		g_assert_cmpstr(text, ==, expected[i]);
	}
	{
		g_autofree gchar *text = rdd_jsonpath_format_value(NULL);
		g_assert_cmpstr(text, ==, "null");
	}
}

static void
rdd_jsonpath_test_refcount(void)
{
	g_autoptr(GError) error = NULL;
	RddJsonPath *path = rdd_jsonpath_parse(".a", &error);
	RddJsonPath *copy;

	g_assert_no_error(error);
	g_assert_true(G_TYPE_IS_BOXED(RDD_TYPE_JSONPATH));
	copy = g_boxed_copy(RDD_TYPE_JSONPATH, path);
	g_assert_true(copy == path);
	g_boxed_free(RDD_TYPE_JSONPATH, copy);
	g_assert_true(rdd_jsonpath_ref(path) == path);
	rdd_jsonpath_unref(path);
	g_assert_cmpstr(rdd_jsonpath_get_text(path), ==, ".a");
	rdd_jsonpath_unref(path);
}

static void
rdd_jsonpath_test_limits(void)
{
	g_autoptr(GString) deep = g_string_new("{.a");
	g_autoptr(GString) ranges = g_string_new(NULL);
	g_autoptr(GString) big = g_string_new(NULL);
	g_autoptr(GString) long_text = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RddJsonPath) path = NULL;
	g_autoptr(JsonNode) doc = NULL;
	g_autofree gchar *out = NULL;

	/* filters nested too deep */
	for (guint i = 0; i < 20; i++)
		g_string_append(deep, "[?(@.a");
	for (guint i = 0; i < 20; i++)
		g_string_append(deep, ")]");
	g_string_append(deep, "}");
	path = rdd_jsonpath_parse_template(deep->str, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "nested more than 16 deep"));
	g_assert_null(path);
	g_clear_error(&error);

	/* ranges nested too deep */
	for (guint i = 0; i < 20; i++)
		g_string_append(ranges, "{range .a}");
	path = rdd_jsonpath_parse_template(ranges->str, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(path);
	g_clear_error(&error);

	/* too long */
	for (guint i = 0; i < RDD_JSONPATH_MAX_LENGTH / 2 + 1; i++)
		g_string_append(long_text, ".a");
	path = rdd_jsonpath_parse(long_text->str, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(path);
	g_clear_error(&error);

	/* an evaluation that would visit too many values: each `..*` multiplies them by about the
	 * depth of a binary tree of arrays */
	g_string_assign(big, "1");
	for (guint i = 0; i < 12; i++) {
		g_autofree gchar *sub = g_strdup(big->str);
		g_string_printf(big, "[%s,%s]", sub, sub);
	}
	doc = rdd_jsonpath_test_parse_doc(big->str);
	path = rdd_jsonpath_parse_template("{..*..*..*..*..*}", &error);
	g_assert_no_error(error);
	out = rdd_jsonpath_execute(path, doc, RDD_JSONPATH_FLAG_NONE, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_TOO_LARGE);
	g_assert_null(out);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/jsonpath/templates", rdd_jsonpath_test_templates);
	g_test_add_func("/rdd/jsonpath/eval", rdd_jsonpath_test_eval);
	g_test_add_func("/rdd/jsonpath/eval-full", rdd_jsonpath_test_eval_full);
	g_test_add_func("/rdd/jsonpath/execute-template", rdd_jsonpath_test_execute_template);
	g_test_add_func("/rdd/jsonpath/double", rdd_jsonpath_test_double);
	g_test_add_func("/rdd/jsonpath/format-value", rdd_jsonpath_test_format_value);
	g_test_add_func("/rdd/jsonpath/refcount", rdd_jsonpath_test_refcount);
	g_test_add_func("/rdd/jsonpath/limits", rdd_jsonpath_test_limits);
	return g_test_run();
}
