/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"

static JsonNode *
rdd_json_test_parse(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, -1, &error);
	if (node == NULL)
		g_test_message("parsing %s failed: %s", text, error->message);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static gchar *
rdd_json_test_canonical(const gchar *text)
{
	g_autoptr(JsonNode) node = rdd_json_test_parse(text);
	return rdd_json_to_string(node, FALSE);
}

typedef struct {
	const gchar *input;
	gssize length; /* -1: NUL-terminated */
	const gchar *message;
} RddJsonRejectCase;

static void
rdd_json_test_parse_reject(void)
{
	const RddJsonRejectCase cases[] = {
		/* empty and trailing garbage */
		{"", -1, "line 1 column 1: empty input, expected a JSON value"},
		{"   \n  ", -1, "line 2 column 3: input is only whitespace"},
		{"{} x", -1, "line 1 column 4: unexpected 'x' after the JSON value"},
		{"1 2", -1, "line 1 column 3: unexpected '2' after the JSON value"},
		{"truex", -1, "line 1 column 5: unexpected 'x' after the JSON value"},
		{"0x10", -1, "line 1 column 2: unexpected 'x' after the JSON value"},
		{"1_000", -1, "line 1 column 2: unexpected '_' after the JSON value"},
		{"[1]\xc3\xa9", -1, "line 1 column 4: unexpected '\xc3\xa9' after the JSON value"},
		/* single quotes and comments */
		{"{'a':1}", -1, "line 1 column 2: single quotes are not valid JSON"},
		{"'a'", -1, "line 1 column 1: single quotes are not valid JSON"},
		{"[1] // c", -1, "line 1 column 5: comments are not allowed in JSON"},
		{"[1]\n# c", -1, "line 2 column 1: unexpected '#' after the JSON value"},
		{"/* c */ 1", -1, "line 1 column 1: comments are not allowed in JSON"},
		{"[1, /* c */ 2]", -1, "line 1 column 5: comments are not allowed in JSON"},
		{"{/* c */}", -1, "line 1 column 2: comments are not allowed in JSON"},
		/* numbers */
		{"01", -1, "line 1 column 1: leading zeros are not allowed in numbers"},
		{"-01", -1, "line 1 column 1: leading zeros are not allowed in numbers"},
		{"[00]", -1, "line 1 column 2: leading zeros are not allowed in numbers"},
		{"+1", -1, "line 1 column 1: a number cannot start with '+'"},
		{".5", -1, "line 1 column 1: a number must have a digit before '.'"},
		{"1.", -1, "line 1 column 3: expected a digit after '.' in number, found end of input"},
		{"1.e5", -1, "line 1 column 3: expected a digit after '.' in number, found 'e'"},
		{"1e", -1, "line 1 column 3: expected a digit in the exponent of number"},
		{"1e+", -1, "line 1 column 4: expected a digit in the exponent of number"},
		{"-", -1, "line 1 column 2: expected a digit after '-', found end of input"},
		{"- 1", -1, "line 1 column 2: expected a digit after '-', found ' '"},
		{"NaN", -1, "line 1 column 1: NaN is not a valid JSON number"},
		{"[Infinity]", -1, "line 1 column 2: Infinity is not a valid JSON number"},
		{"-Infinity", -1, "line 1 column 1: -Infinity is not a valid JSON number"},
		{"99999999999999999999", -1,
		 "line 1 column 1: number 99999999999999999999 is out of range for a 64-bit integer"},
		{"9223372036854775808", -1, "number 9223372036854775808 is out of range for a 64-bit integer"},
		{"-9223372036854775809", -1, "number -9223372036854775809 is out of range for a 64-bit integer"},
		{"[1e999]", -1, "line 1 column 2: number 1e999 is out of range for a double"},
		{"-1e400", -1, "number -1e400 is out of range for a double"},
		/* literals */
		{"tru", -1, "line 1 column 1: expected a value, found 'tru'"},
		{"True", -1, "expected a value, found 'True'"},
		{"nul", -1, "expected a value, found 'nul'"},
		{"undefined", -1, "expected a value, found 'undefined'"},
		/* structure */
		{"[1,]", -1, "line 1 column 4: trailing comma before ']'"},
		{"{\"a\":1,}", -1, "line 1 column 8: trailing comma before '}'"},
		{"{\"a\":1 , \n }", -1, "line 2 column 2: trailing comma before '}'"},
		{"[,1]", -1, "line 1 column 2: expected a value, found ','"},
		{"[1 2]", -1, "line 1 column 4: expected ',' or ']' after array element, found '2'"},
		{"[1,2", -1, "line 1 column 5: expected ',' or ']' after array element, found end"},
		{"[", -1, "line 1 column 2: expected a value, found end of input"},
		{"{", -1, "line 1 column 2: expected a string key in double quotes, found end"},
		{"{\"a\" 1}", -1, "line 1 column 6: expected ':' after object key, found '1'"},
		{"{\"a\":1 \"b\":2}", -1, "line 1 column 8: expected ',' or '}' after object member"},
		{"{a:1}", -1, "line 1 column 2: expected a string key in double quotes, found 'a'"},
		{"{1:1}", -1, "expected a string key in double quotes, found '1'"},
		{"]", -1, "line 1 column 1: expected a value, found ']'"},
		{"[1,\n  2,\n  x]", -1, "line 3 column 3: expected a value, found 'x'"},
		{"[\"\xc3\xa9\", x]", -1, "line 1 column 7: expected a value, found 'x'"},
		{"\r\n\r\n  @", -1, "line 3 column 3: expected a value, found '@'"},
		{"\x01", -1, "line 1 column 1: expected a value, found control character 0x01"},
		{"[\"a\",\v1]", -1, "line 1 column 6: expected a value, found control character 0x0B"},
		/* strings */
		{"\"abc", -1, "line 1 column 1: unterminated string"},
		{"\"abc\\", -1, "line 1 column 1: unterminated string"},
		{"\"a\tb\"", -1, "line 1 column 3: control character 0x09 in string must be escaped"},
		{"\"a\nb\"", -1, "line 1 column 3: control character 0x0A in string must be escaped"},
		{"\"\x1f\"", -1, "control character 0x1F in string must be escaped"},
		{"\"\\x\"", -1, "line 1 column 2: invalid escape \\ followed by 'x' in string"},
		{"\"\\'\"", -1, "invalid escape \\ followed by ''' in string"},
		{"\"\\U0041\"", -1, "invalid escape \\ followed by 'U' in string"},
		{"\"\\u12\"", -1, "line 1 column 2: invalid \\u escape in string, expected 4 hex"},
		{"\"\\u12G4\"", -1, "invalid \\u escape in string, expected 4 hex digits"},
		{"\"\\uD800\"", -1, "line 1 column 2: lone surrogate \\uD800 in string"},
		{"\"\\ud83d\"", -1, "lone surrogate \\uD83D in string"},
		{"\"\\uDC00\"", -1, "lone surrogate \\uDC00 in string, a low surrogate"},
		{"\"\\uD800\\u0041\"", -1, "lone surrogate \\uD800 in string"},
		{"\"\\uD800\\uD800\"", -1, "lone surrogate \\uD800 in string"},
		{"\"\\uDE00\\uD83D\"", -1, "lone surrogate \\uDE00 in string"},
		{"\"\\u0000\"", -1, "\\u0000 (NUL) is not supported in strings"},
		{"{\"a\\u0000b\":1}", -1, "\\u0000 (NUL) is not supported in strings"},
		/* invalid UTF-8 */
		{"\"\xff\"", -1, "line 1 column 2: invalid UTF-8 byte 0xFF in string"},
		{"\"\xc0\xaf\"", -1, "invalid UTF-8 byte 0xC0 in string"},
		{"\"\xe0\x80\xaf\"", -1, "invalid UTF-8 byte 0xE0 in string"},
		{"\"\xed\xa0\x80\"", -1, "invalid UTF-8 byte 0xED in string"},
		{"\"\xf4\x90\x80\x80\"", -1, "invalid UTF-8 byte 0xF4 in string"},
		{"\"\xf8\x88\x80\x80\x80\"", -1, "invalid UTF-8 byte 0xF8 in string"},
		{"\"\xe2\x82\"", -1, "invalid UTF-8 byte 0xE2 in string"},
		{"\"\x80\"", -1, "invalid UTF-8 byte 0x80 in string"},
		{"\"\xe2\x82", -1, "invalid UTF-8 byte 0xE2 in string"},
		{"{\"\xc3\":1}", -1, "invalid UTF-8 byte 0xC3 in string"},
		{"\xff", -1, "line 1 column 1: expected a value, found invalid UTF-8 byte 0xFF"},
		{"\xef\xbb\xbf{}", -1, "line 1 column 1: a UTF-8 byte order mark (BOM) is not allowed"},
		/* NUL bytes */
		{"[1,\0 2]", 7, "line 1 column 4: expected a value, found NUL byte 0x00"},
		{"\"a\0b\"", 5, "line 1 column 3: NUL byte in string"},
		{"[1]\0", 4, "line 1 column 4: unexpected NUL byte 0x00 after the JSON value"},
		{"\0", 1, "line 1 column 1: expected a value, found NUL byte 0x00"},
		/* duplicate keys */
		{"{\"x\":1,\"x\":2}", -1, "line 1 column 8: duplicate key \"x\""},
		{"{\"a\":{\"y\":1,\"z\":2,\n\"y\":3}}", -1, "line 2 column 1: duplicate key \"y\""},
		{"{\"\\u0078\":1,\"x\":2}", -1, "duplicate key \"x\""},
		{"{\"\":1,\"\":2}", -1, "duplicate key \"\""},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse(cases[i].input, cases[i].length, &error);
		g_test_message("case %u: %s", i, error != NULL ? error->message : "(accepted)");
		g_assert_null(node);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
		if (strstr(error->message, cases[i].message) == NULL)
			g_test_message("case %u: expected it to contain: %s", i, cases[i].message);
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_true(g_str_has_prefix(error->message, "invalid JSON at line "));
		/* the message must be valid UTF-8 even for invalid input */
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
	}

	/* the error is optional */
	g_assert_null(rdd_json_parse("[1,]", -1, NULL));
}

static void
rdd_json_test_parse_depth(void)
{
	g_autoptr(GString) ok = g_string_new(NULL);
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(GString) objs = g_string_new(NULL);
	g_autoptr(GString) huge = g_string_new(NULL);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	JsonNode *cur;
	guint depth = 0;

	/* exactly RDD_JSON_MAX_DEPTH levels are fine */
	for (guint i = 0; i < RDD_JSON_MAX_DEPTH; i++)
		g_string_append_c(ok, '[');
	for (guint i = 0; i < RDD_JSON_MAX_DEPTH; i++)
		g_string_append_c(ok, ']');
	node = rdd_json_parse(ok->str, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	for (cur = node; JSON_NODE_HOLDS_ARRAY(cur); depth++) {
		JsonArray *arr = json_node_get_array(cur);
		if (json_array_get_length(arr) == 0) {
			depth++;
			break;
		}
		cur = json_array_get_element(arr, 0);
	}
	g_assert_cmpuint(depth, ==, RDD_JSON_MAX_DEPTH);
	g_clear_pointer(&node, json_node_unref);

	/* one more is not */
	g_string_append(deep, "[");
	g_string_append(deep, ok->str);
	g_string_append(deep, "]");
	node = rdd_json_parse(deep->str, -1, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_null(node);
	g_assert_nonnull(strstr(error->message, "line 1 column 129: nesting is deeper than 128"));
	g_clear_error(&error);

	/* objects count too */
	for (guint i = 0; i <= RDD_JSON_MAX_DEPTH; i++)
		g_string_append(objs, "{\"a\":");
	g_string_append(objs, "1");
	for (guint i = 0; i <= RDD_JSON_MAX_DEPTH; i++)
		g_string_append(objs, "}");
	node = rdd_json_parse(objs->str, -1, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_nonnull(strstr(error->message, "nesting is deeper than 128 levels"));
	g_clear_error(&error);

	/* very deep input is rejected without recursing into it */
	for (guint i = 0; i < 1000000; i++)
		g_string_append(huge, "[{\"a\":");
	node = rdd_json_parse(huge->str, huge->len, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_null(node);
}

static void
rdd_json_test_parse_scalars(void)
{
	struct {
		const gchar *input;
		GType type;
		gint64 i;
		gdouble d;
	} cases[] = {
		{"0", G_TYPE_INT64, 0, 0},
		{"-0", G_TYPE_INT64, 0, 0},
		{"7", G_TYPE_INT64, 7, 0},
		{"-12", G_TYPE_INT64, -12, 0},
		{" \t\r\n42 \n", G_TYPE_INT64, 42, 0},
		{"9223372036854775807", G_TYPE_INT64, G_MAXINT64, 0},
		{"-9223372036854775808", G_TYPE_INT64, G_MININT64, 0},
		{"1.5", G_TYPE_DOUBLE, 0, 1.5},
		{"-0.25", G_TYPE_DOUBLE, 0, -0.25},
		{"1.0", G_TYPE_DOUBLE, 0, 1.0},
		{"1E2", G_TYPE_DOUBLE, 0, 100.0},
		{"1e+2", G_TYPE_DOUBLE, 0, 100.0},
		{"25e-1", G_TYPE_DOUBLE, 0, 2.5},
		{"1e308", G_TYPE_DOUBLE, 0, 1e308},
		{"-1e308", G_TYPE_DOUBLE, 0, -1e308},
		{"1.7976931348623157e308", G_TYPE_DOUBLE, 0, 1.7976931348623157e308},
		{"4.9e-324", G_TYPE_DOUBLE, 0, 4.9e-324},
		{"2.2250738585072014e-308", G_TYPE_DOUBLE, 0, 2.2250738585072014e-308},
		{"1e-400", G_TYPE_DOUBLE, 0, 0.0},
		{"0.1", G_TYPE_DOUBLE, 0, 0.1},
		{"12345678901234567890.5", G_TYPE_DOUBLE, 0, 12345678901234567890.5},
		{"1e0000000000000000000000001", G_TYPE_DOUBLE, 0, 10.0},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) node = rdd_json_test_parse(cases[i].input);
		g_assert_cmpint(json_node_get_node_type(node), ==, JSON_NODE_VALUE);
		g_assert_true(json_node_get_value_type(node) == cases[i].type);
		if (cases[i].type == G_TYPE_INT64)
			g_assert_cmpint(json_node_get_int(node), ==, cases[i].i);
		else
			g_assert_cmpfloat(json_node_get_double(node), ==, cases[i].d);
	}

	/* -0.0 keeps its sign when parsed */
	{
		g_autoptr(JsonNode) node = rdd_json_test_parse("-0.0");
		g_assert_true(json_node_get_value_type(node) == G_TYPE_DOUBLE);
		g_assert_true(signbit(json_node_get_double(node)));
	}
	/* literals */
	{
		g_autoptr(JsonNode) t = rdd_json_test_parse("true");
		g_autoptr(JsonNode) f = rdd_json_test_parse(" false");
		g_autoptr(JsonNode) n = rdd_json_test_parse("null ");
		g_assert_true(json_node_get_value_type(t) == G_TYPE_BOOLEAN);
		g_assert_true(json_node_get_boolean(t));
		g_assert_true(json_node_get_value_type(f) == G_TYPE_BOOLEAN);
		g_assert_false(json_node_get_boolean(f));
		g_assert_cmpint(json_node_get_node_type(n), ==, JSON_NODE_NULL);
	}
	/* an explicit length ignores what follows */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = rdd_json_parse("[1]garbage", 3, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 1);
	}
}

static void
rdd_json_test_parse_strings(void)
{
	struct {
		const gchar *input;
		const gchar *expected;
	} cases[] = {
		{"\"\"", ""},
		{"\"abc\"", "abc"},
		{"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"},
		{"\"\\u0041\\u00e9\\u00E9\"", "A\xc3\xa9\xc3\xa9"},
		{"\"\\u20AC\"", "\xe2\x82\xac"},
		{"\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80"},
		{"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80"},
		{"\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf"},
		{"\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80"},
		{"\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80"},
		{"\"\xf4\x8f\xbf\xbf\"", "\xf4\x8f\xbf\xbf"},
		{"\"\xed\x9f\xbf\"", "\xed\x9f\xbf"},
		{"\"\xee\x80\x80\"", "\xee\x80\x80"},
		{"\"\xc2\x80\"", "\xc2\x80"},
		{"\"\\u2028\\u2029\"", "\xe2\x80\xa8\xe2\x80\xa9"},
		{"\"a\x7f"
		 "b\"",
		 "a\x7f"
		 "b"},
		{"\"\\u0001\"", "\x01"},
		{"\"<>&'\"", "<>&'"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) node = rdd_json_test_parse(cases[i].input);
		g_assert_true(json_node_get_value_type(node) == G_TYPE_STRING);
		g_assert_cmpstr(json_node_get_string(node), ==, cases[i].expected);
	}

	/* keys are decoded too */
	{
		g_autoptr(JsonNode) node = rdd_json_test_parse("{\"\\u00e9\\n\":1}");
		g_assert_true(json_object_has_member(json_node_get_object(node), "\xc3\xa9\n"));
	}
	/* long strings and keys */
	{
		g_autoptr(GString) text = g_string_new("{\"");
		g_autoptr(JsonNode) node = NULL;
		g_autofree gchar *key = g_strnfill(1000, 'k');
		g_autofree gchar *val = g_strnfill(100000, 'v');
		g_string_append_printf(text, "%s\":\"%s\"}", key, val);
		node = rdd_json_test_parse(text->str);
		g_assert_cmpstr(json_object_get_string_member(json_node_get_object(node), key), ==, val);
	}
}

static void
rdd_json_test_parse_containers(void)
{
	g_autoptr(JsonNode) node = NULL;
	JsonObject *obj;
	g_autoptr(GList) members = NULL;
	const gchar *order[] = {"zeta", "alpha", "mid", "beta"};
	guint i = 0;

	node = rdd_json_test_parse(" { \"zeta\" : 1 , \"alpha\":[ ] ,\"mid\":{}, \"beta\" :\n"
				   "[1, \"two\", 3.5, true, false, null, {\"x\": [[]]}]}\n");
	obj = json_node_get_object(node);
	g_assert_cmpuint(json_object_get_size(obj), ==, 4);

	/* member order is the input's */
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next)
		g_assert_cmpstr(l->data, ==, order[i++]);
	g_assert_cmpuint(i, ==, 4);

	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(obj, "alpha")), ==, 0);
	g_assert_cmpuint(json_object_get_size(json_object_get_object_member(obj, "mid")), ==, 0);
	{
		JsonArray *arr = json_object_get_array_member(obj, "beta");
		g_assert_cmpuint(json_array_get_length(arr), ==, 7);
		g_assert_cmpint(json_array_get_int_element(arr, 0), ==, 1);
		g_assert_cmpstr(json_array_get_string_element(arr, 1), ==, "two");
		g_assert_cmpfloat(json_array_get_double_element(arr, 2), ==, 3.5);
		g_assert_true(json_array_get_boolean_element(arr, 3));
		g_assert_false(json_array_get_boolean_element(arr, 4));
		g_assert_true(json_array_get_null_element(arr, 5));
		g_assert_true(JSON_NODE_HOLDS_OBJECT(json_array_get_element(arr, 6)));
	}
	/* the result is not sealed: callers may change it */
	g_assert_false(json_node_is_immutable(node));
	json_object_set_int_member(obj, "new", 1);
	g_assert_true(json_object_has_member(obj, "new"));
}

typedef struct {
	const gchar *input;
	const gchar *canonical;
} RddJsonCanonicalCase;

static void
rdd_json_test_write_canonical(void)
{
	const RddJsonCanonicalCase cases[] = {
		{"{\"b\":1,\"a\":{\"d\":[1,2,{\"z\":null,\"y\":true}],\"c\":\"x\"}}",
		 "{\"a\":{\"c\":\"x\",\"d\":[1,2,{\"y\":true,\"z\":null}]},\"b\":1}"},
		/* byte-wise key order: uppercase, underscore, lowercase, non-ASCII */
		{"{\"\xc3\xa4\":1,\"aa\":2,\"a\":3,\"_\":4,\"B\":5,\"\":6}",
		 "{\"\":6,\"B\":5,\"_\":4,\"a\":3,\"aa\":2,\"\xc3\xa4\":1}"},
		{" [ 1 , 2 ] ", "[1,2]"},
		{"{ }", "{}"},
		{"[ ]", "[]"},
		{"[{},[],{\"a\":{}}]", "[{},[],{\"a\":{}}]"},
		{"true", "true"},
		{"false", "false"},
		{"null", "null"},
		/* integers */
		{"0", "0"},
		{"-0", "0"},
		{"9223372036854775807", "9223372036854775807"},
		{"-9223372036854775808", "-9223372036854775808"},
		/* doubles: integral values as integers, others in the shortest round-trip form */
		{"1.0", "1"},
		{"-1.0", "-1"},
		{"-0.0", "0"},
		{"100e-2", "1"},
		{"1e2", "100"},
		{"1.5", "1.5"},
		{"0.1", "0.1"},
		{"-0.25", "-0.25"},
		{"0.30000000000000004", "0.30000000000000004"},
		{"3.141592653589793", "3.141592653589793"},
		{"1e-7", "1e-07"},
		{"2.5e-5", "2.5e-05"},
		{"0.0001", "0.0001"},
		{"1e18", "1000000000000000000"},
		{"1e19", "1e+19"},
		{"1e21", "1e+21"},
		{"1e308", "1e+308"},
		{"-1e308", "-1e+308"},
		{"1.5e300", "1.5e+300"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"},
		{"4.9e-324", "4.94065645841247e-324"},
		{"123456789012345678901234.0", "1.2345678901234569e+23"},
		{"9007199254740993.0", "9007199254740992"},
		{"9223372036854775808.0", "9.223372036854776e+18"},
		{"-9223372036854775808.0", "-9223372036854775808"},
		{"1.1", "1.1"},
		{"100.5", "100.5"},
		/* strings */
		{"\"\\u0001\\u001f\"", "\"\\u0001\\u001f\""},
		{"\"<a href='x'>&amp;</a>\"", "\"\\u003ca href='x'\\u003e\\u0026amp;\\u003c/a\\u003e\""},
		{"\"\\u2028\\u2029\"", "\"\\u2028\\u2029\""},
		{"\"\\\"\\\\\\n\\r\\t\\b\\f\"", "\"\\\"\\\\\\n\\r\\t\\b\\f\""},
		{"\"\\/\"", "\"/\""},
		{"\"\\u00e9\xe2\x82\xac\xf0\x9f\x98\x80\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""},
		{"\"\\u007f\"", "\"\x7f\""},
		{"{\"<key>\":\"&\"}", "{\"\\u003ckey\\u003e\":\"\\u0026\"}"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *out = rdd_json_test_canonical(cases[i].input);
		g_assert_cmpstr(out, ==, cases[i].canonical);
	}
}

static void
rdd_json_test_write_built(void)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(GString) out = g_string_new("prefix:");
	g_autoptr(JsonObject) big = json_object_new();
	g_autoptr(JsonObject) mid = json_object_new();
	g_autofree gchar *big_text = NULL;
	g_autofree gchar *mid_text = NULL;
	g_autoptr(GString) expected = g_string_new("{");

	json_node_set_object(root, obj);
	json_object_set_double_member(obj, "nan", NAN);
	json_object_set_double_member(obj, "inf", INFINITY);
	json_object_set_double_member(obj, "half", 0.5);
	json_object_set_string_member(obj, "bad",
				      "a\xff"
				      "b\xc3");
	json_object_set_string_member(obj, "truncated", "\xe2\x82");
	json_object_set_member(obj, "nullstr", json_node_init_string(json_node_alloc(), NULL));
	json_object_set_null_member(obj, "null");
	json_object_set_boolean_member(obj, "yes", TRUE);

	/* rdd_json_write() appends */
	rdd_json_write(out, root);
	g_assert_cmpstr(out->str, ==,
			"prefix:{\"bad\":\"a\\ufffdb\\ufffd\",\"half\":0.5,\"inf\":null,"
			"\"nan\":null,\"null\":null,\"nullstr\":\"\",\"truncated\":\"\\ufffd\\ufffd\","
			"\"yes\":true}");

	g_string_truncate(out, 0);
	rdd_json_write(out, NULL);
	g_assert_cmpstr(out->str, ==, "null");

	/* more members than fit on the stack, added in reverse order */
	for (gint i = 99; i >= 0; i--) {
		g_autofree gchar *key = g_strdup_printf("k%03d", i);
		json_object_set_int_member(big, key, i);
	}
	for (gint i = 0; i < 100; i++)
		g_string_append_printf(expected, "%s\"k%03d\":%d", i > 0 ? "," : "", i, i);
	g_string_append_c(expected, '}');
	{
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), big);
		big_text = rdd_json_to_string(node, FALSE);
	}
	g_assert_cmpstr(big_text, ==, expected->str);

	/* between the insertion-sort and qsort thresholds */
	g_string_assign(expected, "{");
	for (gint i = 19; i >= 0; i--) {
		g_autofree gchar *key = g_strdup_printf("m%02d", i);
		json_object_set_int_member(mid, key, i);
	}
	for (gint i = 0; i < 20; i++)
		g_string_append_printf(expected, "%s\"m%02d\":%d", i > 0 ? "," : "", i, i);
	g_string_append_c(expected, '}');
	{
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), mid);
		mid_text = rdd_json_to_string(node, FALSE);
	}
	g_assert_cmpstr(mid_text, ==, expected->str);

	/* a sealed tree is written the same way */
	{
		g_autoptr(JsonNode) sealed = rdd_json_test_parse("{\"b\":[1.0],\"a\":\"x\"}");
		g_autofree gchar *text = NULL;
		json_node_seal(sealed);
		text = rdd_json_to_string(sealed, FALSE);
		g_assert_cmpstr(text, ==, "{\"a\":\"x\",\"b\":[1]}");
	}
}

static void
rdd_json_test_write_string(void)
{
	struct {
		const gchar *input;
		const gchar *expected;
	} cases[] = {
		{"", "\"\""},
		{"plain", "\"plain\""},
		{"q\"b\\s/", "\"q\\\"b\\\\s/\""},
		{"\n\r\t\b\f\v\x01\x1f", "\"\\n\\r\\t\\b\\f\\u000b\\u0001\\u001f\""},
		{"<>&", "\"\\u003c\\u003e\\u0026\""},
		{"a\xe2\x80\xa8"
		 "b\xe2\x80\xa9"
		 "c",
		 "\"a\\u2028b\\u2029c\""},
		{"\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\""},
		{"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""},
		{"\xff\xfe", "\"\\ufffd\\ufffd\""},
		{"\xc0\xaf", "\"\\ufffd\\ufffd\""},
		{"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},
		{"x\xf0\x9f\x98", "\"x\\ufffd\\ufffd\\ufffd\""},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		rdd_json_write_string(out, cases[i].input);
		g_assert_cmpstr(out->str, ==, cases[i].expected);
		/* and the output is valid JSON that reads back (for valid UTF-8 input) */
		if (g_utf8_validate(cases[i].input, -1, NULL)) {
			g_autoptr(JsonNode) back = rdd_json_test_parse(out->str);
			g_assert_cmpstr(json_node_get_string(back), ==, cases[i].input);
		}
	}
	{
		g_autoptr(GString) out = g_string_new(NULL);
		rdd_json_write_string(out, NULL);
		g_assert_cmpstr(out->str, ==, "\"\"");
	}
}

static const gchar *rdd_json_test_documents[] = {
	"null",
	"true",
	"0",
	"-9223372036854775808",
	"1.5",
	"-2.5e-300",
	"1e+300",
	"\"\"",
	"\"esc \\\" \\\\ \\n \\u0001 < > & \\u2028 \xc3\xa9\"",
	"[]",
	"{}",
	"[[[[[]]]]]",
	"{\"a\":{\"b\":{\"c\":{\"d\":[1,2,3]}}}}",
	"{\"apiVersion\":\"rd.io/v1\",\"kind\":\"App\",\"metadata\":{\"name\":\"app\","
	"\"labels\":{\"a\":\"1\",\"b\":\"2\"},\"resourceVersion\":\"17\",\"generation\":3},"
	"\"spec\":{\"running\":true,\"cpus\":2,\"memory\":4.5,\"args\":[\"--x\",\"-y\"],"
	"\"env\":null}}",
	"[1,1.0,1.25,-0.0,1e-10,123456789.125,\"x\",true,false,null,{},[]]",
	"{\"\xf0\x9f\x98\x80\":\"\xf0\x9f\x98\x80\",\"z\":[{\"y\":[{\"x\":{}}]}]}",
};

static void
rdd_json_test_roundtrip(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(rdd_json_test_documents); i++) {
		g_autoptr(JsonNode) first = rdd_json_test_parse(rdd_json_test_documents[i]);
		g_autofree gchar *text = rdd_json_to_string(first, FALSE);
		g_autofree gchar *pretty = rdd_json_to_string(first, TRUE);
		g_autoptr(JsonNode) second = rdd_json_test_parse(text);
		g_autoptr(JsonNode) third = rdd_json_test_parse(pretty);
		g_autofree gchar *text2 = rdd_json_to_string(second, FALSE);
		g_autofree gchar *text3 = rdd_json_to_string(third, FALSE);

		g_assert_true(rdd_json_equal(first, second));
		g_assert_true(rdd_json_equal(first, third));
		g_assert_cmpstr(text, ==, text2);
		g_assert_cmpstr(text, ==, text3);
	}
}

static void
rdd_json_test_pretty(void)
{
	g_autoptr(JsonNode) node = rdd_json_test_parse(
		"{\"b\":[1,{\"y\":null,\"x\":\"s\"},[],{}],\"a\":1.0,\"c\":{\"d\":{\"e\":[true]}}}");
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *two = NULL;

	two = rdd_json_to_string(node, TRUE);
	g_assert_cmpstr(two, ==,
			"{\n"
			"  \"a\": 1,\n"
			"  \"b\": [\n"
			"    1,\n"
			"    {\n"
			"      \"x\": \"s\",\n"
			"      \"y\": null\n"
			"    },\n"
			"    [],\n"
			"    {}\n"
			"  ],\n"
			"  \"c\": {\n"
			"    \"d\": {\n"
			"      \"e\": [\n"
			"        true\n"
			"      ]\n"
			"    }\n"
			"  }\n"
			"}");

	rdd_json_write_pretty(out, node, 4);
	g_assert_true(g_str_has_prefix(out->str, "{\n    \"a\": 1,\n    \"b\": [\n        1,\n"));
	g_assert_true(g_str_has_suffix(out->str, "\n    }\n}"));

	g_string_truncate(out, 0);
	rdd_json_write_pretty(out, node, 0);
	g_assert_true(g_str_has_prefix(out->str, "{\n\"a\": 1,\n\"b\": [\n1,\n{\n\"x\": \"s\""));

	{
		g_autoptr(JsonNode) empty_obj = rdd_json_test_parse("{}");
		g_autoptr(JsonNode) empty_arr = rdd_json_test_parse("[]");
		g_autoptr(JsonNode) scalar = rdd_json_test_parse("\"<x>\"");
		g_autofree gchar *a = rdd_json_to_string(empty_obj, TRUE);
		g_autofree gchar *b = rdd_json_to_string(empty_arr, TRUE);
		g_autofree gchar *c = rdd_json_to_string(scalar, TRUE);
		g_autofree gchar *d = rdd_json_to_string(NULL, TRUE);
		g_assert_cmpstr(a, ==, "{}");
		g_assert_cmpstr(b, ==, "[]");
		g_assert_cmpstr(c, ==, "\"\\u003cx\\u003e\"");
		g_assert_cmpstr(d, ==, "null");
	}
}

static void
rdd_json_test_deep_copy(void)
{
	g_autoptr(JsonNode) orig = rdd_json_test_parse("{\"z\":1,\"a\":{\"list\":[1,{\"s\":\"str\"}],\"f\":1.5,\"t\":true,"
						       "\"n\":null}}");
	g_autofree gchar *before = rdd_json_to_string(orig, FALSE);
	g_autoptr(JsonNode) copy = rdd_json_deep_copy(orig);
	g_autofree gchar *copy_text = rdd_json_to_string(copy, FALSE);
	g_autofree gchar *after = NULL;
	JsonObject *a;
	JsonArray *list;
	JsonNode *s;

	g_assert_true(copy != orig);
	g_assert_cmpstr(before, ==, copy_text);
	g_assert_true(rdd_json_equal(orig, copy));
	g_assert_true(json_node_get_object(copy) != json_node_get_object(orig));

	/* member order is kept */
	{
		g_autoptr(GList) members = json_object_get_members(json_node_get_object(copy));
		g_assert_cmpstr(members->data, ==, "z");
		g_assert_cmpstr(members->next->data, ==, "a");
	}

	/* change every level of the copy */
	json_object_set_int_member(json_node_get_object(copy), "z", 2);
	a = json_object_get_object_member(json_node_get_object(copy), "a");
	json_object_remove_member(a, "t");
	list = json_object_get_array_member(a, "list");
	json_array_add_int_element(list, 3);
	s = json_object_get_member(json_array_get_object_element(list, 1), "s");
	json_node_set_string(s, "changed");
	json_node_set_double(json_object_get_member(a, "f"), 2.5);

	after = rdd_json_to_string(orig, FALSE);
	g_assert_cmpstr(before, ==, after);
	g_assert_false(rdd_json_equal(orig, copy));

	/* a sealed tree gives an unsealed copy */
	{
		g_autoptr(JsonNode) sealed = rdd_json_test_parse("{\"a\":[{\"b\":\"c\"}]}");
		g_autoptr(JsonNode) unsealed = NULL;
		json_node_seal(sealed);
		unsealed = rdd_json_deep_copy(sealed);
		g_assert_false(json_node_is_immutable(unsealed));
		json_object_set_int_member(json_node_get_object(unsealed), "x", 1);
		g_assert_false(json_object_has_member(json_node_get_object(sealed), "x"));
	}
	/* scalars */
	{
		const gchar *scalars[] = {"1", "1.5", "\"s\"", "true", "null"};
		for (guint i = 0; i < G_N_ELEMENTS(scalars); i++) {
			g_autoptr(JsonNode) n = rdd_json_test_parse(scalars[i]);
			g_autoptr(JsonNode) c = rdd_json_deep_copy(n);
			g_assert_true(c != n);
			g_assert_true(rdd_json_equal(n, c));
			g_assert_true(json_node_get_value_type(n) == json_node_get_value_type(c));
		}
	}
	g_assert_null(rdd_json_deep_copy(NULL));
}

static void
rdd_json_test_equal(void)
{
	struct {
		const gchar *a;
		const gchar *b;
		gboolean equal;
	} cases[] = {
		{"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", TRUE},
		{"{\"a\":1,\"b\":2}", "{\"a\":1}", FALSE},
		{"{\"a\":1}", "{\"b\":1}", FALSE},
		{"{\"a\":null}", "{}", FALSE},
		{"[1,2]", "[1,2]", TRUE},
		{"[1,2]", "[2,1]", FALSE},
		{"[1,2]", "[1,2,3]", FALSE},
		{"1", "1.0", TRUE},
		{"1.0", "1", TRUE},
		{"-0", "-0.0", TRUE},
		{"0.0", "-0.0", TRUE},
		{"1", "1.5", FALSE},
		{"9007199254740993", "9007199254740992.0", FALSE},
		{"9007199254740992", "9007199254740992.0", TRUE},
		{"9223372036854775807", "9223372036854775808.0", FALSE},
		{"1.5", "1.5", TRUE},
		{"null", "null", TRUE},
		{"null", "0", FALSE},
		{"null", "false", FALSE},
		{"null", "\"\"", FALSE},
		{"\"1\"", "1", FALSE},
		{"true", "1", FALSE},
		{"true", "true", TRUE},
		{"true", "false", FALSE},
		{"\"a\"", "\"a\"", TRUE},
		{"\"a\"", "\"A\"", FALSE},
		{"{}", "[]", FALSE},
		{"{}", "{}", TRUE},
		{"[]", "[]", TRUE},
		{"[[]]", "[[1]]", FALSE},
		{"{\"a\":{\"b\":[1,{\"c\":1.0}]}}", "{\"a\":{\"b\":[1.0,{\"c\":1}]}}", TRUE},
		{"{\"a\":{\"b\":[1,{\"c\":1}]}}", "{\"a\":{\"b\":[1,{\"c\":2}]}}", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) a = rdd_json_test_parse(cases[i].a);
		g_autoptr(JsonNode) b = rdd_json_test_parse(cases[i].b);
		g_autofree gchar *ca = rdd_json_to_string(a, FALSE);
		g_autofree gchar *cb = rdd_json_to_string(b, FALSE);

		g_test_message("case %u: %s vs %s", i, cases[i].a, cases[i].b);
		g_assert_cmpint(rdd_json_equal(a, b), ==, cases[i].equal);
		g_assert_cmpint(rdd_json_equal(b, a), ==, cases[i].equal);
		g_assert_true(rdd_json_equal(a, a));
		/* byte comparison of canonical forms is the same test */
		g_assert_cmpint(g_strcmp0(ca, cb) == 0, ==, cases[i].equal);
	}
	{
		g_autoptr(JsonNode) n = json_node_init_null(json_node_alloc());
		g_assert_true(rdd_json_equal(NULL, NULL));
		g_assert_false(rdd_json_equal(NULL, n));
		g_assert_false(rdd_json_equal(n, NULL));
	}
}

static void
rdd_json_test_lookup(void)
{
	g_autoptr(JsonNode) root = rdd_json_test_parse("{\"spec\":{\"containerEngine\":{\"name\":\"moby\",\"n\":3},\"list\":[1]},"
						       "\"kind\":\"App\",\"\":{\"x\":\"empty\"}}");
	JsonObject *obj;
	JsonObject *created;
	JsonArray *arr;
	g_autofree gchar *long_name = g_strnfill(300, 'q');

	g_assert_cmpstr(rdd_json_lookup_string(root, "spec.containerEngine.name"), ==, "moby");
	g_assert_cmpstr(rdd_json_lookup_string(root, "kind"), ==, "App");
	g_assert_null(rdd_json_lookup_string(root, "spec.containerEngine.n"));
	g_assert_null(rdd_json_lookup_string(root, "spec.containerEngine"));
	g_assert_null(rdd_json_lookup_string(root, "spec.missing.name"));
	g_assert_null(rdd_json_lookup_string(root, "kind.x"));
	g_assert_null(rdd_json_lookup_string(root, "spec.list.0"));
	g_assert_null(rdd_json_lookup_string(NULL, "kind"));
	g_assert_null(rdd_json_lookup_string(root, long_name));
	g_assert_cmpstr(rdd_json_lookup_string(root, ".x"), ==, "empty");

	g_assert_true(rdd_json_lookup(root, "") == root);
	g_assert_cmpint(json_node_get_int(rdd_json_lookup(root, "spec.containerEngine.n")), ==, 3);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(rdd_json_lookup(root, "spec.list")));
	g_assert_null(rdd_json_lookup(root, "spec.list.x"));
	g_assert_null(rdd_json_lookup(root, "spec..containerEngine"));

	obj = rdd_json_lookup_object(root, "spec.containerEngine");
	g_assert_nonnull(obj);
	g_assert_cmpuint(json_object_get_size(obj), ==, 2);
	g_assert_null(rdd_json_lookup_object(root, "kind"));
	g_assert_null(rdd_json_lookup_object(root, "spec.nope"));
	g_assert_true(rdd_json_lookup_object(root, "") == json_node_get_object(root));

	/* ensure_object: existing, missing, replacing a non-object */
	obj = json_node_get_object(root);
	g_assert_true(rdd_json_object_ensure_object(obj, "spec") == rdd_json_lookup_object(root, "spec"));
	created = rdd_json_object_ensure_object(obj, "status");
	g_assert_nonnull(created);
	json_object_set_string_member(created, "phase", "Running");
	g_assert_cmpstr(rdd_json_lookup_string(root, "status.phase"), ==, "Running");
	created = rdd_json_object_ensure_object(obj, "kind");
	g_assert_cmpuint(json_object_get_size(created), ==, 0);
	g_assert_nonnull(rdd_json_lookup_object(root, "kind"));

	/* ensure_array likewise */
	arr = rdd_json_object_ensure_array(rdd_json_lookup_object(root, "spec"), "list");
	g_assert_cmpuint(json_array_get_length(arr), ==, 1);
	arr = rdd_json_object_ensure_array(rdd_json_lookup_object(root, "spec"), "containerEngine");
	g_assert_cmpuint(json_array_get_length(arr), ==, 0);
	json_array_add_int_element(arr, 5);
	arr = rdd_json_object_ensure_array(obj, "finalizers");
	json_array_add_string_element(arr, "f");
	{
		g_autofree gchar *text = rdd_json_to_string(root, FALSE);
		g_assert_cmpstr(text, ==,
				"{\"\":{\"x\":\"empty\"},\"finalizers\":[\"f\"],\"kind\":{},"
				"\"spec\":{\"containerEngine\":[5],\"list\":[1]},"
				"\"status\":{\"phase\":\"Running\"}}");
	}
}

/* about 1 KiB canonical: 6 nested objects, about 30 leaves */
static JsonNode *
rdd_json_test_bench_object(void)
{
	return rdd_json_test_parse(
		"{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"Application\","
		"\"metadata\":{\"name\":\"rancher-desktop\",\"namespace\":\"default\","
		"\"uid\":\"0b6a7f7e-3f0c-4b1e-9a55-8e2b7c1d4f00\",\"resourceVersion\":\"123456\","
		"\"generation\":42,\"creationTimestamp\":\"2026-11-25T12:30:00Z\","
		"\"labels\":{\"app.kubernetes.io/name\":\"rd\",\"app.kubernetes.io/part-of\":"
		"\"rancher-desktop\",\"tier\":\"desktop\"},\"annotations\":{\"note\":"
		"\"a <b> & c\"}},"
		"\"spec\":{\"running\":true,\"cpus\":4,\"memoryInGB\":6.5,\"description\":"
		"\"Kubernetes and container management on the desktop, with a small footprint\","
		"\"containerEngine\":{\"name\":\"moby\",\"allowedImages\":{\"enabled\":false,"
		"\"patterns\":[\"docker.io/*\",\"ghcr.io/*\"]}},"
		"\"kubernetes\":{\"enabled\":true,\"version\":\"1.31.2\",\"port\":6443,"
		"\"options\":{\"traefik\":true,\"flannel\":true}}},"
		"\"status\":{\"phase\":\"Running\",\"observedGeneration\":42,"
		"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Started\","
		"\"message\":\"the virtual machine is running\",\"lastTransitionTime\":"
		"\"2026-11-25T12:31:02Z\"}],\"message\":\"caf\xc3\xa9 \\n ok\"}}");
}

static void
rdd_json_test_write_speed(void)
{
	g_autoptr(JsonNode) node = rdd_json_test_bench_object();
	g_autoptr(GString) out = g_string_sized_new(2048);
	g_autofree gchar *text = NULL;
	const guint iterations = 20000;
	gdouble best_write = G_MAXDOUBLE;
	gdouble best_parse = G_MAXDOUBLE;

	rdd_json_write(out, node);
	g_assert_cmpuint(out->len, >, 900);
	g_assert_cmpuint(out->len, <, 1300);
	text = g_strdup(out->str);

	/* the best of a few rounds, to be less sensitive to a busy machine */
	for (guint round = 0; round < 5; round++) {
		gint64 start = g_get_monotonic_time();
		for (guint i = 0; i < iterations; i++) {
			g_string_truncate(out, 0);
			rdd_json_write(out, node);
		}
		best_write = MIN(best_write, (gdouble)(g_get_monotonic_time() - start) / iterations);
		g_assert_cmpstr(out->str, ==, text);

		start = g_get_monotonic_time();
		for (guint i = 0; i < iterations / 10; i++) {
			g_autoptr(JsonNode) parsed = rdd_json_parse(text, -1, NULL);
			g_assert_nonnull(parsed);
		}
		best_parse = MIN(best_parse, (gdouble)(g_get_monotonic_time() - start) / (iterations / 10));
	}
	g_test_message("rdd_json_write: %u bytes in %.3f us per call (target: well under 5 us "
		       "with -O2)",
		       (guint)out->len, best_write);
	g_test_message("rdd_json_parse: %u bytes in %.3f us per call", (guint)out->len, best_parse);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/json/parse/reject", rdd_json_test_parse_reject);
	g_test_add_func("/rdd/json/parse/depth", rdd_json_test_parse_depth);
	g_test_add_func("/rdd/json/parse/scalars", rdd_json_test_parse_scalars);
	g_test_add_func("/rdd/json/parse/strings", rdd_json_test_parse_strings);
	g_test_add_func("/rdd/json/parse/containers", rdd_json_test_parse_containers);
	g_test_add_func("/rdd/json/write/canonical", rdd_json_test_write_canonical);
	g_test_add_func("/rdd/json/write/built", rdd_json_test_write_built);
	g_test_add_func("/rdd/json/write/string", rdd_json_test_write_string);
	g_test_add_func("/rdd/json/write/pretty", rdd_json_test_pretty);
	g_test_add_func("/rdd/json/write/speed", rdd_json_test_write_speed);
	g_test_add_func("/rdd/json/roundtrip", rdd_json_test_roundtrip);
	g_test_add_func("/rdd/json/deep-copy", rdd_json_test_deep_copy);
	g_test_add_func("/rdd/json/equal", rdd_json_test_equal);
	g_test_add_func("/rdd/json/lookup", rdd_json_test_lookup);
	return g_test_run();
}
