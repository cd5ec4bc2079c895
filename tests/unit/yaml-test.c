/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-schema.h"
#include "rdd-yaml.h"

/* parses @yaml, which must hold one document, and returns its canonical JSON */
static gchar *
rdd_yaml_test_to_json(const gchar *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_yaml_parse(yaml, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return rdd_json_to_string(node, FALSE);
}

/* parses @yaml, which must fail, and returns the message */
static gchar *
rdd_yaml_test_error(const gchar *yaml, gssize len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = rdd_yaml_parse_all(yaml, len, &error);
	g_assert_null(docs);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	return g_strdup(error->message);
}

typedef struct {
	const gchar *scalar;
	const gchar *json; /* canonical JSON of the value, NULL for an error */
} RddYamlScalarCase;

static void
rdd_yaml_scalars_func(void)
{
	const RddYamlScalarCase cases[] = {
		/* null */
		{"null", "null"},
		{"Null", "null"},
		{"NULL", "null"},
		{"~", "null"},
		{"", "null"},
		{"nULL", "\"nULL\""},
		/* bool */
		{"true", "true"},
		{"True", "true"},
		{"TRUE", "true"},
		{"false", "false"},
		{"False", "false"},
		{"FALSE", "false"},
		{"tRUE", "\"tRUE\""},
		{"yes", "\"yes\""},
		{"no", "\"no\""},
		{"on", "\"on\""},
		{"off", "\"off\""},
		{"y", "\"y\""},
		{"N", "\"N\""},
		/* int */
		{"0", "0"},
		{"42", "42"},
		{"-17", "-17"},
		{"+12", "12"},
		{"007", "7"},
		{"0o17", "15"},
		{"0x1F", "31"},
		{"0xff", "255"},
		{"9223372036854775807", "9223372036854775807"},
		{"-9223372036854775808", "-9223372036854775808"},
		{"0x7fffffffffffffff", "9223372036854775807"},
		{"9223372036854775808", NULL},
		{"-9223372036854775809", NULL},
		{"0x8000000000000000", NULL},
		{"0o", "\"0o\""},
		{"0x", "\"0x\""},
		{"0o8", "\"0o8\""},
		{"0X1F", "\"0X1F\""},
		{"-0x1", "\"-0x1\""},
		{"1_000", "\"1_000\""},
		{"0b101", "\"0b101\""},
		/* float */
		{"1.5", "1.5"},
		{"-0.25", "-0.25"},
		{".5", "0.5"},
		{"+.5", "0.5"},
		{"1.", "1"},
		{"1e3", "1000"},
		{"1E-2", "0.01"},
		{"2.5e+2", "250"},
		{"1e400", NULL},
		{".inf", NULL},
		{"-.Inf", NULL},
		{"+.INF", NULL},
		{".nan", NULL},
		{".NaN", NULL},
		{".NAN", NULL},
		{"-.nan", "\"-.nan\""},
		{".", "\".\""},
		{"1e", "\"1e\""},
		{"e3", "\"e3\""},
		{"1.2.3", "\"1.2.3\""},
		{"12:30", "\"12:30\""},
		{"2026-11-25", "\"2026-11-25\""},
		/* strings */
		{"hello", "\"hello\""},
		{"hello world", "\"hello world\""},
		{"<<", "\"\\u003c\\u003c\""},
		{"=", "\"=\""},
		{"a:b", "\"a:b\""},
		{"über", "\"über\""},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *yaml = g_strdup_printf("v: %s\n", cases[i].scalar);
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_yaml_parse(yaml, -1, &error);

		g_test_message("scalar %s", cases[i].scalar);
		if (cases[i].json == NULL) {
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			g_assert_null(node);
			/* the message names the value and the position */
			g_assert_nonnull(strstr(error->message, cases[i].scalar));
			g_assert_nonnull(strstr(error->message, "(line 1, column 4)"));
		} else {
			g_autofree gchar *json = NULL;
			g_assert_no_error(error);
			json = rdd_json_to_string(json_object_get_member(json_node_get_object(node), "v"), FALSE);
			g_assert_cmpstr(json, ==, cases[i].json);
		}
	}
	g_assert_cmpuint(G_N_ELEMENTS(cases), >=, 40);
}

static void
rdd_yaml_value_types_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = rdd_yaml_parse("i: 1\nd: 1.0\nb: true\n", -1, &error);
	JsonObject *obj;

	g_assert_no_error(error);
	obj = json_node_get_object(node);
	g_assert_cmpint(json_node_get_value_type(json_object_get_member(obj, "i")), ==, G_TYPE_INT64);
	g_assert_cmpint(json_node_get_value_type(json_object_get_member(obj, "d")), ==, G_TYPE_DOUBLE);
	g_assert_cmpint(json_node_get_value_type(json_object_get_member(obj, "b")), ==, G_TYPE_BOOLEAN);
}

static void
rdd_yaml_quoted_func(void)
{
	const struct {
		const gchar *yaml;
		const gchar *json;
	} cases[] = {
		{"v: 'true'\n", "{\"v\":\"true\"}"},
		{"v: \"1\"\n", "{\"v\":\"1\"}"},
		{"v: 'null'\n", "{\"v\":\"null\"}"},
		{"v: ''\n", "{\"v\":\"\"}"},
		{"v: \"\"\n", "{\"v\":\"\"}"},
		{"v: 'it''s'\n", "{\"v\":\"it's\"}"},
		{"v: \"tab\\there\"\n", "{\"v\":\"tab\\there\"}"},
		{"v: \"\\u00e9\"\n", "{\"v\":\"é\"}"},
		{"v: |\n  12\n", "{\"v\":\"12\\n\"}"},
		{"v: |-\n  true\n", "{\"v\":\"true\"}"},
		{"v: >\n  a\n  b\n", "{\"v\":\"a b\\n\"}"},
		{"v: >-\n  1.5\n", "{\"v\":\"1.5\"}"},
		{"v: |+\n  x\n\n", "{\"v\":\"x\\n\\n\"}"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *json = rdd_yaml_test_to_json(cases[i].yaml);
		g_assert_cmpstr(json, ==, cases[i].json);
	}
}

static void
rdd_yaml_tags_func(void)
{
	const struct {
		const gchar *yaml;
		const gchar *json;  /* NULL: error */
		const gchar *error; /* substring of the error */
	} cases[] = {
		{"v: !!str 1\n", "{\"v\":\"1\"}", NULL},
		{"v: !!str true\n", "{\"v\":\"true\"}", NULL},
		{"v: !!str\n", "{\"v\":\"\"}", NULL},
		{"v: ! 12\n", "{\"v\":\"12\"}", NULL},
		{"v: !!int \"12\"\n", "{\"v\":12}", NULL},
		{"v: !!int 0x10\n", "{\"v\":16}", NULL},
		{"v: !!float 1\n", "{\"v\":1}", NULL},
		{"v: !!float '2.5'\n", "{\"v\":2.5}", NULL},
		{"v: !!bool 'true'\n", "{\"v\":true}", NULL},
		{"v: !!null ''\n", "{\"v\":null}", NULL},
		{"v: !!null ~\n", "{\"v\":null}", NULL},
		{"v: !!binary aGVsbG8=\n", "{\"v\":\"aGVsbG8=\"}", NULL},
		{"v: !!map {a: 1}\n", "{\"v\":{\"a\":1}}", NULL},
		{"v: !!seq [1]\n", "{\"v\":[1]}", NULL},
		{"!!map\na: 1\n", "{\"a\":1}", NULL},
		{"v: !!int abc\n", NULL, "invalid !!int value \"abc\" (line 1, column 4)"},
		{"v: !!bool yes\n", NULL, "invalid !!bool value \"yes\""},
		{"v: !!null x\n", NULL, "invalid !!null value \"x\""},
		{"v: !!float .inf\n", NULL, "cannot be represented in JSON"},
		{"v: !!float abc\n", NULL, "invalid !!float value \"abc\""},
		{"v: !foo bar\n", NULL, "unsupported YAML tag \"!foo\" on a scalar (line 1, column 4)"},
		{"v: !!timestamp 2001-12-14\n", NULL, "unsupported YAML tag \"!!timestamp\""},
		{"v: !!set {a}\n", NULL, "unsupported YAML tag \"!!set\" on a mapping"},
		{"v: !!omap [a]\n", NULL, "unsupported YAML tag \"!!omap\" on a sequence"},
		{"v: !!map [a]\n", NULL, "unsupported YAML tag \"!!map\" on a sequence"},
		{"v: !!seq abc\n", NULL, "unsupported YAML tag \"!!seq\" on a scalar"},
		{"!foo k: v\n", NULL, "unsupported YAML tag \"!foo\" on a mapping key"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("tag case %s", cases[i].yaml);
		if (cases[i].json != NULL) {
			g_autofree gchar *json = rdd_yaml_test_to_json(cases[i].yaml);
			g_assert_cmpstr(json, ==, cases[i].json);
		} else {
			g_autofree gchar *msg = rdd_yaml_test_error(cases[i].yaml, -1);
			g_assert_nonnull(strstr(msg, cases[i].error));
		}
	}
}

static void
rdd_yaml_duplicate_keys_func(void)
{
	g_autofree gchar *msg1 = rdd_yaml_test_error("a: 1\nb: 2\na: 3\n", -1);
	g_autofree gchar *msg2 = rdd_yaml_test_error("x:\n  y: 1\n  'y': 2\n", -1);
	g_autofree gchar *msg3 = rdd_yaml_test_error("{a: 1, a: 1}", -1);
	g_autofree gchar *msg4 = rdd_yaml_test_error("1: a\n\"1\": b\n", -1);
	g_autofree gchar *json = NULL;

	g_assert_cmpstr(msg1, ==, "duplicate key \"a\" (line 3, column 1)");
	g_assert_cmpstr(msg2, ==, "duplicate key \"y\" (line 3, column 3)");
	g_assert_cmpstr(msg3, ==, "duplicate key \"a\" (line 1, column 8)");
	g_assert_cmpstr(msg4, ==, "duplicate key \"1\" (line 2, column 1)");

	/* the same key in different mappings is fine */
	json = rdd_yaml_test_to_json("a: {x: 1}\nb: {x: 2}\n");
	g_assert_cmpstr(json, ==, "{\"a\":{\"x\":1},\"b\":{\"x\":2}}");
}

static void
rdd_yaml_keys_func(void)
{
	g_autofree gchar *json = NULL;
	g_autofree gchar *msg1 = NULL;
	g_autofree gchar *msg2 = NULL;
	g_autofree gchar *msg3 = NULL;
	g_autofree gchar *msg4 = NULL;

	/* non-string scalar keys use their text */
	json = rdd_yaml_test_to_json("1: a\ntrue: b\nnull: c\n~: d\n1.50: e\n0x10: f\n'': g\n");
	g_assert_cmpstr(json, ==,
			"{\"\":\"g\",\"0x10\":\"f\",\"1\":\"a\",\"1.50\":\"e\",\"null\":\"c\","
			"\"true\":\"b\",\"~\":\"d\"}");

	msg1 = rdd_yaml_test_error("? [a, b]\n: c\n", -1);
	g_assert_cmpstr(msg1, ==,
			"a sequence cannot be used as a mapping key, keys must be scalars "
			"(line 1, column 3)");
	msg2 = rdd_yaml_test_error("{{a: 1}: b}", -1);
	g_assert_cmpstr(msg2, ==,
			"a mapping cannot be used as a mapping key, keys must be scalars "
			"(line 1, column 2)");
	msg3 = rdd_yaml_test_error("a: &x [1]\n*x : b\n", -1);
	g_assert_nonnull(strstr(msg3, "alias \"x\" refers to a collection"));
	msg4 = rdd_yaml_test_error("? a\n? a\n", -1);
	g_assert_cmpstr(msg4, ==, "duplicate key \"a\" (line 2, column 3)");
}

static void
rdd_yaml_aliases_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *a;
	JsonObject *c;
	g_autofree gchar *json1 = NULL;
	g_autofree gchar *json2 = NULL;
	g_autofree gchar *json3 = NULL;
	g_autofree gchar *json4 = NULL;
	g_autofree gchar *msg1 = NULL;
	g_autofree gchar *msg2 = NULL;

	node = rdd_yaml_parse("a: &x {b: [1, 2]}\nc: *x\n", -1, &error);
	g_assert_no_error(error);
	json1 = rdd_json_to_string(node, FALSE);
	g_assert_cmpstr(json1, ==, "{\"a\":{\"b\":[1,2]},\"c\":{\"b\":[1,2]}}");

	/* an alias is a copy: changing it leaves the anchored node alone */
	a = json_object_get_object_member(json_node_get_object(node), "a");
	c = json_object_get_object_member(json_node_get_object(node), "c");
	g_assert_true(a != c);
	json_array_add_int_element(json_object_get_array_member(c, "b"), 3);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(a, "b")), ==, 2);

	/* scalars keep their resolved type; aliases can be keys */
	json2 = rdd_yaml_test_to_json("a: &n 12\nb: *n\n&k key: 1\nc: {*k : 2}\n");
	g_assert_cmpstr(json2, ==, "{\"a\":12,\"b\":12,\"c\":{\"key\":2},\"key\":1}");

	/* merge keys are not special */
	json3 = rdd_yaml_test_to_json("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n");
	g_assert_cmpstr(json3, ==, "{\"base\":{\"x\":1},\"derived\":{\"\\u003c\\u003c\":{\"x\":1},\"y\":2}}");

	/* an anchor can be redefined; aliases see the latest */
	json4 = rdd_yaml_test_to_json("- &a 1\n- *a\n- &a 2\n- *a\n");
	g_assert_cmpstr(json4, ==, "[1,1,2,2]");

	msg1 = rdd_yaml_test_error("a: *nope\n", -1);
	g_assert_cmpstr(msg1, ==, "unknown alias \"nope\" (line 1, column 4)");

	/* anchors do not carry over to the next document */
	msg2 = rdd_yaml_test_error("a: &x 1\n---\nb: *x\n", -1);
	g_assert_cmpstr(msg2, ==, "unknown alias \"x\" (line 3, column 4)");
}

static gchar *
rdd_yaml_test_billion_laughs(void)
{
	GString *str = g_string_new("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
				    "\"lol\"]\n");
	for (gchar c = 'b'; c <= 'j'; c++) {
		g_string_append_printf(str, "%c: &%c [", c, c);
		for (guint i = 0; i < 9; i++)
			g_string_append_printf(str, "%s*%c", i > 0 ? "," : "", c - 1);
		g_string_append(str, "]\n");
	}
	return g_string_free(str, FALSE);
}

static void
rdd_yaml_billion_laughs_func(void)
{
	g_autofree gchar *yaml = rdd_yaml_test_billion_laughs();
	g_autofree gchar *msg = NULL;
	g_autofree gchar *msg_small = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(GTimer) timer = g_timer_new();
	gdouble elapsed;

	msg = rdd_yaml_test_error(yaml, -1);
	elapsed = g_timer_elapsed(timer, NULL);
	/* it stops at the cap, long before the 3.8 billion nodes of the full expansion; the time
	 * is reported, not asserted (sanitizers and valgrind make it vary a lot) */
	g_test_message("billion laughs rejected in %.3f s: %s", elapsed, msg);
	g_assert_cmpstr(msg, ==, "YAML document exceeds the limit of 1000000 nodes (line 7, column 8)");

	/* with a small cap it fails at the first big expansion */
	docs = rdd_yaml_parse_all_full(yaml, -1, 1000, 128, &error);
	g_assert_null(docs);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, "YAML document exceeds the limit of 1000 nodes (line 4, column 8)");
	g_clear_error(&error);

	/* the cap counts every node: 1 mapping + 3 keys + 3 values = 7 */
	docs = rdd_yaml_parse_all_full("a: 1\nb: 2\nc: 3\n", -1, 7, 128, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 1);
	g_clear_pointer(&docs, g_ptr_array_unref);
	docs = rdd_yaml_parse_all_full("a: 1\nb: 2\nc: 3\n", -1, 6, 128, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(docs);
	g_clear_error(&error);

	/* aliases count their whole subtree: 1 + (1 + (1 + 2)) + (1 + 3) = 9 */
	docs = rdd_yaml_parse_all_full("a: &x [1, 2]\nb: *x\n", -1, 9, 128, &error);
	g_assert_no_error(error);
	g_clear_pointer(&docs, g_ptr_array_unref);
	docs = rdd_yaml_parse_all_full("a: &x [1, 2]\nb: *x\n", -1, 8, 128, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(docs);
}

static void
rdd_yaml_depth_func(void)
{
	g_autoptr(GString) ok = g_string_new(NULL);
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(GString) block = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	g_autofree gchar *msg1 = NULL;
	g_autofree gchar *msg2 = NULL;
	g_autofree gchar *msg3 = NULL;

	/* exactly RDD_YAML_MAX_DEPTH levels are fine */
	for (guint i = 0; i < RDD_YAML_MAX_DEPTH; i++)
		g_string_append_c(ok, '[');
	for (guint i = 0; i < RDD_YAML_MAX_DEPTH; i++)
		g_string_append_c(ok, ']');
	node = rdd_yaml_parse(ok->str, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);

	/* one more is not */
	g_string_append_printf(deep, "[%s]", ok->str);
	msg1 = rdd_yaml_test_error(deep->str, -1);
	g_assert_cmpstr(msg1, ==, "YAML document is nested deeper than 128 levels (line 1, column 129)");

	/* block style, and a huge depth that must not recurse */
	for (guint i = 0; i < 5000; i++)
		g_string_append_printf(block, "%*sk:\n", (int)i, "");
	msg2 = rdd_yaml_test_error(block->str, -1);
	g_assert_nonnull(strstr(msg2, "YAML document is nested deeper than 128 levels"));

	/* an alias counts the depth of what it expands to */
	docs = rdd_yaml_parse_all_full("a: &x [[1]]\nb: [*x]\n", -1, 1000, 3, &error);
	g_assert_null(docs);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	msg3 = g_strdup(error->message);
	g_assert_cmpstr(msg3, ==, "YAML document is nested deeper than 3 levels (line 2, column 5)");
	g_clear_error(&error);
	docs = rdd_yaml_parse_all_full("a: &x [[1]]\nb: *x\n", -1, 1000, 3, &error);
	g_assert_no_error(error);
	g_assert_nonnull(docs);
}

static void
rdd_yaml_multi_doc_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *json0 = NULL;
	g_autofree gchar *json1 = NULL;

	docs = rdd_yaml_parse_all("# leading comment\n---\na: 1\n---\n---\n# only a comment\n---\n"
				  "null\n---\nb: [2]\n...\n",
				  -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 2);
	json0 = rdd_json_to_string(g_ptr_array_index(docs, 0), FALSE);
	json1 = rdd_json_to_string(g_ptr_array_index(docs, 1), FALSE);
	g_assert_cmpstr(json0, ==, "{\"a\":1}");
	g_assert_cmpstr(json1, ==, "{\"b\":[2]}");
	g_clear_pointer(&docs, g_ptr_array_unref);

	/* empty input and comment-only input: no documents */
	docs = rdd_yaml_parse_all("", -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 0);
	g_clear_pointer(&docs, g_ptr_array_unref);
	docs = rdd_yaml_parse_all("# nothing\n", -1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 0);
	g_clear_pointer(&docs, g_ptr_array_unref);

	/* a length that cuts the text */
	node = rdd_yaml_parse("a: 1\nb: 2\n", 5, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(json_object_get_size(json_node_get_object(node)), ==, 1);
	g_clear_pointer(&node, json_node_unref);

	/* rdd_yaml_parse() wants exactly one */
	node = rdd_yaml_parse("a: 1\n---\nb: 2\n", -1, &error);
	g_assert_null(node);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, "expected one YAML document, found 2");
	g_clear_error(&error);
	node = rdd_yaml_parse("---\n", -1, &error);
	g_assert_null(node);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, "expected one YAML document, found 0");
	g_clear_error(&error);

	/* a bad later document fails the whole stream */
	docs = rdd_yaml_parse_all("a: 1\n---\nb: [\n", -1, &error);
	g_assert_null(docs);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
}

static void
rdd_yaml_invalid_utf8_func(void)
{
	const struct {
		const gchar *data;
		gssize len;
		const gchar *error;
	} cases[] = {
		{"a: \xff\n", -1, "invalid leading UTF-8 octet (byte 0xff at offset 3, line 1, column 4)"},
		{"a: b\nc: \xc3\n", -1, "invalid trailing UTF-8 octet"},
		{"a: \xc0\xaf\n", -1, "invalid"},
		{"a: \xed\xa0\x80\n", -1, "invalid"},
		{"a: \xe2\x82", -1, "incomplete UTF-8 octet sequence"},
		{"\xf4\x90\x80\x80: x\n", -1, "invalid"},
		{"a: \"\\ud800\"\n", -1, "found invalid Unicode character escape code (line 1, column 7)"},
		{"a: \"x\\0y\"\n", -1, "NUL characters are not supported in strings (line 1, column 4)"},
		{"a: b\0c\n", 7, "control characters are not allowed"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *msg = rdd_yaml_test_error(cases[i].data, cases[i].len);
		g_test_message("invalid UTF-8 case %u: %s", i, msg);
		g_assert_nonnull(strstr(msg, cases[i].error));
	}
}

static void
rdd_yaml_errors_func(void)
{
	const struct {
		const gchar *yaml;
		const gchar *error;
	} cases[] = {
		{"a: b\n  c: d\n", "invalid YAML: mapping values are not allowed in this context (line 2, column 4)"},
		{"a: [1, 2\n", "invalid YAML: did not find expected ',' or ']' (line 2, column 1), while parsing a "
			       "flow sequence (line 1, column 4)"},
		{"- a\nb: c\n", "invalid YAML: did not find expected '-' indicator (line 2, column 1), while parsing "
				"a block collection (line 1, column 1)"},
		{"a: 'x\n", "found unexpected end of stream (line 2, column 1)"},
		{"\tkey: value\n", "found character that cannot start any token (line 1, column 1)"},
		{"a: 1\nb: 2\nc: 3\nd: [\n", "(line 5, column 1)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *msg = rdd_yaml_test_error(cases[i].yaml, -1);
		g_assert_nonnull(strstr(msg, cases[i].error));
	}
}

/* documents for the emitter round trip, as JSON */
static const gchar *rdd_yaml_test_docs[] = {
	"{}",
	"[]",
	"\"just a string\"",
	"42",
	"-1.25",
	"true",
	"[[]]",
	"[{}]",
	"[[1,2],[3,[4,[5]]]]",
	"{\"a\":{\"b\":{\"c\":{\"d\":[]}}}}",
	"{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"App\",\"metadata\":{\"name\":"
	"\"app\",\"labels\":{\"app.kubernetes.io/name\":\"rd\"}},\"spec\":{\"running\":true,"
	"\"containerEngine\":{\"name\":\"moby\"},\"ports\":[{\"name\":\"http\",\"port\":80},{"
	"\"name\":\"https\",\"port\":443}]}}",
	"{\"strings\":[\"\",\" \",\"  lead\",\"trail \",\"true\",\"false\",\"null\",\"~\",\"yes\","
	"\"no\",\"on\",\"off\",\"y\",\"n\",\"Y\",\"1\",\"-1\",\"+1\",\"0x1F\",\"0o17\",\"1.5\","
	"\".5\",\"1e3\",\".inf\",\"-.Inf\",\".nan\",\"1_000\",\"12:30\",\"2026-11-25T12:30:00Z\"]}",
	"{\"indicators\":[\"-\",\"- x\",\"-x\",\"?\",\"? x\",\":\",\": x\",\",\",\"[\",\"]\","
	"\"{\",\"}\",\"#\",\"#x\",\"&a\",\"*a\",\"!a\",\"|\",\">\",\"'\",\"\\\"\",\"%\",\"@\","
	"\"`\",\"a: b\",\"a #b\",\"a:\",\"a#b\",\"a:b\",\"---\",\"...\",\"--- x\",\"<<\",\"=\"]}",
	"{\"multi\":[\"a\\nb\",\"a\\nb\\n\",\"a\\n\\n\",\"\\n\",\"\\n\\n\",\"\\na\",\" a\\nb\","
	"\"a \\nb\",\"a\\n b\",\"a\\tb\\nc\",\"\\ta\\nb\",\"x\\r\\ny\",\"trailing\\n  \"]}",
	"{\"controls\":[\"\\u0001\",\"a\\tb\",\"\\u001b[0m\",\"\\u007f\",\"\\r\","
	"\"\\u0085\",\"\\u2028\",\"\\ufeff\"]}",
	"{\"unicode\":[\"über\",\"日本語\",\"emoji 😀\",\"é: x\"]}",
	"{\"numbers\":[0,-0,1,-1,9223372036854775807,-9223372036854775808,0.5,-0.5,1e-7,"
	"1.7976931348623157e308,5e-324,123456789.123,1e21,1.0,100.0]}",
	"{\"keys\":{\"\":1,\"true\":2,\"1\":3,\"null\":4,\"a b\":5,\"- x\":6,\"a: b\":7,\"multi\\n"
	"line\":8,\"~\":9,\"日本\":10}}",
	"{\"nested\":[[{\"a\":[[]]}],{\"b\":[{},[]]},[[[\"deep\"]]]]}",
	"{\"nulls\":[null,{\"a\":null}],\"b\":null}",
	"{\"long\":\"" /* a long key-less line that must not be folded */
	"aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh "
	"iiiiiiiiii jjjjjjjjjj kkkkkkkkkk\"}",
	"{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1}",
};

static void
rdd_yaml_emit_roundtrip_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(rdd_yaml_test_docs); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse(rdd_yaml_test_docs[i], -1, &error);
		g_autoptr(JsonNode) back = NULL;
		g_autofree gchar *yaml = NULL;
		g_autofree gchar *again = NULL;

		g_assert_no_error(error);
		yaml = rdd_yaml_emit(node);
		g_assert_nonnull(yaml);
		g_test_message("document %u:\n%s", i, yaml);
		g_assert_true(g_str_has_suffix(yaml, "\n"));
		g_assert_false(g_str_has_suffix(yaml, "\n\n"));
		g_assert_null(strstr(yaml, "\n..."));
		back = rdd_yaml_parse(yaml, -1, &error);
		g_assert_no_error(error);
		g_assert_true(rdd_json_equal(node, back));

		/* emitting is deterministic */
		again = rdd_yaml_emit(back);
		g_assert_cmpstr(yaml, ==, again);
	}
}

/* JSON text is YAML: the parser reads every round-trip document directly */
static void
rdd_yaml_json_subset_func(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(rdd_yaml_test_docs); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse(rdd_yaml_test_docs[i], -1, &error);
		g_autoptr(JsonNode) back = NULL;

		g_assert_no_error(error);
		back = rdd_yaml_parse(rdd_yaml_test_docs[i], -1, &error);
		g_assert_no_error(error);
		g_assert_true(rdd_json_equal(node, back));
	}
}

static void
rdd_yaml_emit_exact_func(void)
{
	const struct {
		const gchar *json;
		const gchar *yaml;
	} cases[] = {
		{"{\"b\":[\"x\",\"y\"],\"a\":1}", "a: 1\nb:\n- x\n- 'y'\n"},
		{"{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"args\":[]}],"
		 "\"volumes\":{}}}",
		 "spec:\n  containers:\n  - args: []\n    image: busybox\n    name: c\n  volumes: {}\n"},
		{"{\"data\":{\"script\":\"#!/bin/sh\\necho hi\\n\",\"text\":\"a\\nb\"}}",
		 "data:\n  script: |\n    #!/bin/sh\n    echo hi\n  text: |-\n    a\n    b\n"},
		{"{\"s\":[\"true\",\"1\",\"\",\"a: b\",\"- x\",\" x\",\"it's\",\"#c\",\"1.5\",\"null\"]}",
		 "s:\n- 'true'\n- '1'\n- ''\n- 'a: b'\n- '- x'\n- ' x'\n- it's\n- '#c'\n- '1.5'\n- "
		 "'null'\n"},
		{"{\"q\":\"'quoted'\",\"c\":\"tab\\u0001\"}", "c: \"tab\\x01\"\nq: '''quoted'''\n"},
		{"{\"t\":\"a\\tb\",\"m\":\"x\\ty\\nz\",\"r\":\"a\\r\\nb\"}",
		 "m: \"x\\ty\\nz\"\nr: \"a\\r\\nb\"\nt: \"a\\tb\"\n"},
		{"{\"nums\":[1,-2.5,true,false,null,1e21]}", "nums:\n- 1\n- -2.5\n- true\n- false\n- null\n- 1e+21\n"},
		{"[[1,2],{\"a\":[]}]", "- - 1\n  - 2\n- a: []\n"},
		{"{}", "{}\n"},
		{"[]", "[]\n"},
		{"\"plain\"", "plain\n"},
		{"{\"z\":1,\"Z\":2,\"a\":3,\"_\":4}", "Z: 2\n_: 4\na: 3\nz: 1\n"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse(cases[i].json, -1, &error);
		g_autofree gchar *yaml = NULL;

		g_assert_no_error(error);
		yaml = rdd_yaml_emit(node);
		g_assert_cmpstr(yaml, ==, cases[i].yaml);
	}
}

/* a schema and a document read from YAML, as the CLI and the store use them */
static void
rdd_yaml_validate_speed_func(void)
{
	const gchar *schema_yaml =
		"type: object\n"
		"properties:\n"
		"  spec:\n"
		"    type: object\n"
		"    required: [running]\n"
		"    properties:\n"
		"      running: {type: boolean}\n"
		"      version: {type: string, pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$'}\n"
		"      memoryInGB: {type: integer, minimum: 1, maximum: 64}\n"
		"      cpus: {type: integer, minimum: 1}\n"
		"      containerEngine:\n"
		"        type: object\n"
		"        default: {name: moby}\n"
		"        properties:\n"
		"          name: {type: string, enum: [moby, containerd], default: moby}\n"
		"          allowedImages:\n"
		"            type: object\n"
		"            properties:\n"
		"              enabled: {type: boolean, default: false}\n"
		"              patterns: {type: array, items: {type: string}}\n"
		"      kubernetes:\n"
		"        type: object\n"
		"        properties:\n"
		"          enabled: {type: boolean}\n"
		"          version: {type: string}\n"
		"          port: {type: integer, minimum: 1, maximum: 65535}\n"
		"          options:\n"
		"            type: object\n"
		"            properties:\n"
		"              traefik: {type: boolean}\n"
		"              flannel: {type: boolean}\n"
		"      env:\n"
		"        type: object\n"
		"        additionalProperties: {type: string}\n"
		"      ports:\n"
		"        type: array\n"
		"        x-kubernetes-list-type: map\n"
		"        x-kubernetes-list-map-keys: [name]\n"
		"        items:\n"
		"          type: object\n"
		"          required: [name]\n"
		"          properties:\n"
		"            name: {type: string}\n"
		"            port: {type: integer}\n"
		"            protocol: {type: string, enum: [TCP, UDP], default: TCP}\n"
		"  status:\n"
		"    type: object\n"
		"    x-kubernetes-preserve-unknown-fields: true\n";
	const gchar *doc_yaml = "apiVersion: app.rancherdesktop.io/v1alpha1\n"
				"kind: App\n"
				"metadata:\n"
				"  name: app\n"
				"  namespace: default\n"
				"  uid: 6f1c1a5e-1c49-4a52-9f1b-2b0f0f1a7c11\n"
				"  resourceVersion: '42'\n"
				"  labels: {app.kubernetes.io/name: rancher-desktop}\n"
				"spec:\n"
				"  running: true\n"
				"  version: 1.16.0\n"
				"  memoryInGB: 4\n"
				"  cpus: 2\n"
				"  containerEngine:\n"
				"    name: containerd\n"
				"    allowedImages:\n"
				"      enabled: true\n"
				"      patterns: [docker.io/library/*, ghcr.io/rancher-sandbox/*]\n"
				"  kubernetes:\n"
				"    enabled: true\n"
				"    version: 1.30.2\n"
				"    port: 6443\n"
				"    options: {traefik: true, flannel: true}\n"
				"  env: {HTTP_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,127.0.0.1',\n"
				"    LANG: C.UTF-8, EDITOR: vim, PAGER: less, KUBECONFIG: /home/u/.kube/config}\n"
				"  ports:\n"
				"  - {name: http, port: 80, protocol: TCP}\n"
				"  - {name: https, port: 443}\n"
				"  - {name: dns, port: 53, protocol: UDP}\n"
				"status:\n"
				"  phase: Running\n"
				"  conditions: [{type: Ready, status: 'True'}]\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) schema_node = rdd_yaml_parse(schema_yaml, -1, &error);
	g_autoptr(JsonNode) doc = NULL;
	g_autoptr(RddSchema) schema = NULL;
	g_autoptr(GTimer) timer = NULL;
	g_autofree gchar *canon = NULL;
	const guint iterations = 20000;
	gdouble elapsed;

	g_assert_no_error(error);
	schema = rdd_schema_new(schema_node, &error);
	g_assert_no_error(error);
	doc = rdd_yaml_parse(doc_yaml, -1, &error);
	g_assert_no_error(error);
	canon = rdd_json_to_string(doc, FALSE);
	g_test_message("object size: %" G_GSIZE_FORMAT " bytes of canonical JSON", strlen(canon));

	/* default + prune + validate leave this object valid and (after the first) unchanged */
	rdd_schema_apply_defaults(schema, doc);
	rdd_schema_prune(schema, doc, NULL);
	g_assert_true(rdd_schema_validate(schema, doc, NULL));

	timer = g_timer_new();
	for (guint i = 0; i < iterations; i++) {
		rdd_schema_apply_defaults(schema, doc);
		rdd_schema_prune(schema, doc, NULL);
		if (!rdd_schema_validate(schema, doc, NULL))
			g_assert_not_reached();
	}
	elapsed = g_timer_elapsed(timer, NULL);
	g_test_message("default + prune + validate of a 1 KiB object: %.2f us each", elapsed * 1e6 / iterations);

	g_timer_start(timer);
	for (guint i = 0; i < iterations; i++) {
		if (!rdd_schema_validate(schema, doc, NULL))
			g_assert_not_reached();
	}
	elapsed = g_timer_elapsed(timer, NULL);
	g_test_message("validate only of a 1 KiB object: %.2f us each", elapsed * 1e6 / iterations);

	g_timer_start(timer);
	for (guint i = 0; i < 2000; i++) {
		g_autoptr(JsonNode) tmp = rdd_yaml_parse(doc_yaml, -1, &error);
		g_assert_no_error(error);
	}
	elapsed = g_timer_elapsed(timer, NULL);
	g_test_message("YAML parse of the same object: %.2f us each", elapsed * 1e6 / 2000);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/yaml/scalars", rdd_yaml_scalars_func);
	g_test_add_func("/rdd/yaml/value-types", rdd_yaml_value_types_func);
	g_test_add_func("/rdd/yaml/quoted", rdd_yaml_quoted_func);
	g_test_add_func("/rdd/yaml/tags", rdd_yaml_tags_func);
	g_test_add_func("/rdd/yaml/duplicate-keys", rdd_yaml_duplicate_keys_func);
	g_test_add_func("/rdd/yaml/keys", rdd_yaml_keys_func);
	g_test_add_func("/rdd/yaml/aliases", rdd_yaml_aliases_func);
	g_test_add_func("/rdd/yaml/billion-laughs", rdd_yaml_billion_laughs_func);
	g_test_add_func("/rdd/yaml/depth", rdd_yaml_depth_func);
	g_test_add_func("/rdd/yaml/multi-doc", rdd_yaml_multi_doc_func);
	g_test_add_func("/rdd/yaml/invalid-utf8", rdd_yaml_invalid_utf8_func);
	g_test_add_func("/rdd/yaml/errors", rdd_yaml_errors_func);
	g_test_add_func("/rdd/yaml/emit-roundtrip", rdd_yaml_emit_roundtrip_func);
	g_test_add_func("/rdd/yaml/json-subset", rdd_yaml_json_subset_func);
	g_test_add_func("/rdd/yaml/emit-exact", rdd_yaml_emit_exact_func);
	g_test_add_func("/rdd/yaml/validate-speed", rdd_yaml_validate_speed_func);
	return g_test_run();
}
