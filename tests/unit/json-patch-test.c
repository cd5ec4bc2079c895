/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"

static JsonNode *
rdd_json_patch_test_parse(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(text, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

/* asserts that @node is semantically @expected and that the canonical forms match */
static void
rdd_json_patch_test_assert_json(JsonNode *node, const gchar *expected)
{
	g_autoptr(JsonNode) want = rdd_json_patch_test_parse(expected);
	g_autofree gchar *got_text = rdd_json_to_string(node, FALSE);
	g_autofree gchar *want_text = rdd_json_to_string(want, FALSE);
	g_assert_cmpstr(got_text, ==, want_text);
	g_assert_true(rdd_json_equal(node, want));
}

typedef struct {
	const gchar *name;
	const gchar *doc;
	const gchar *patch;
	const gchar *result; /* NULL: the patch must fail */
	gint code;
	const gchar *message;
} RddJsonPatchCase;

static void
rdd_json_patch_test_run_cases(const RddJsonPatchCase *cases, guint n)
{
	for (guint i = 0; i < n; i++) {
		g_autoptr(JsonNode) doc = rdd_json_patch_test_parse(cases[i].doc);
		g_autoptr(JsonNode) patch = rdd_json_patch_test_parse(cases[i].patch);
		g_autofree gchar *doc_before = rdd_json_to_string(doc, FALSE);
		g_autofree gchar *patch_before = rdd_json_to_string(patch, FALSE);
		g_autofree gchar *doc_after = NULL;
		g_autofree gchar *patch_after = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) result = NULL;

		g_test_message("case %s", cases[i].name);
		result = rdd_json_patch_apply(doc, patch, &error);
		if (cases[i].result != NULL) {
			g_assert_no_error(error);
			g_assert_nonnull(result);
			g_assert_true(result != doc);
			rdd_json_patch_test_assert_json(result, cases[i].result);
		} else {
			g_assert_null(result);
			g_assert_error(error, RDD_ERROR, cases[i].code);
			g_test_message("  -> %s", error->message);
			if (strstr(error->message, cases[i].message) == NULL)
				g_test_message("  expected it to contain: %s", cases[i].message);
			g_assert_nonnull(strstr(error->message, cases[i].message));
		}
		/* the arguments are never modified */
		doc_after = rdd_json_to_string(doc, FALSE);
		patch_after = rdd_json_to_string(patch, FALSE);
		g_assert_cmpstr(doc_before, ==, doc_after);
		g_assert_cmpstr(patch_before, ==, patch_after);
	}
}

/* RFC 6902 appendix A, every example */
static void
rdd_json_patch_test_rfc6902(void)
{
	const RddJsonPatchCase cases[] = {
		{"A.1 adding an object member", "{\"foo\":\"bar\"}",
		 "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]", "{\"baz\":\"qux\",\"foo\":\"bar\"}"},
		{"A.2 adding an array element", "{\"foo\":[\"bar\",\"baz\"]}",
		 "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]", "{\"foo\":[\"bar\",\"qux\",\"baz\"]}"},
		{"A.3 removing an object member", "{\"baz\":\"qux\",\"foo\":\"bar\"}",
		 "[{\"op\":\"remove\",\"path\":\"/baz\"}]", "{\"foo\":\"bar\"}"},
		{"A.4 removing an array element", "{\"foo\":[\"bar\",\"qux\",\"baz\"]}",
		 "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}"},
		{"A.5 replacing a value", "{\"baz\":\"qux\",\"foo\":\"bar\"}",
		 "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]", "{\"baz\":\"boo\",\"foo\":\"bar\"}"},
		{"A.6 moving a value", "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
		 "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
		 "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}"},
		{"A.7 moving an array element", "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}",
		 "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
		 "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}"},
		{"A.8 testing a value: success", "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
		 "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},"
		 "{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
		 "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}"},
		{"A.9 testing a value: error", "{\"baz\":\"qux\"}",
		 "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (test /baz): test failed: found \"qux\", expected \"bar\""},
		{"A.10 adding a nested member object", "{\"foo\":\"bar\"}",
		 "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
		 "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}"},
		{"A.11 ignoring unrecognized elements", "{\"foo\":\"bar\"}",
		 "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"xyz\":123}]",
		 "{\"foo\":\"bar\",\"baz\":\"qux\"}"},
		{"A.12 adding to a nonexistent target", "{\"foo\":\"bar\"}",
		 "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (add /baz/bat): path not found: no member \"baz\""},
		/* A.13 (an operation with two "op" members) is rejected by the parser, see below */
		{"A.14 ~ escape ordering", "{\"/\":9,\"~1\":10}",
		 "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]", "{\"/\":9,\"~1\":10}"},
		{"A.15 comparing strings and numbers", "{\"/\":9,\"~1\":10}",
		 "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":\"10\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (test /~01): test failed: found 10, expected \"10\""},
		{"A.16 adding an array value", "{\"foo\":[\"bar\"]}",
		 "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
		 "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}"},
	};

	rdd_json_patch_test_run_cases(cases, G_N_ELEMENTS(cases));

	/* A.13: invalid JSON patch document, the duplicate "op" never gets past the parser */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) patch = rdd_json_parse(
			"[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"op\":\"remove\"}]", -1, &error);
		g_assert_null(patch);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
		g_assert_nonnull(strstr(error->message, "duplicate key \"op\""));
	}
}

static void
rdd_json_patch_test_operations(void)
{
	const RddJsonPatchCase cases[] = {
		{"empty patch", "{\"a\":1}", "[]", "{\"a\":1}"},
		{"add replaces an existing member", "{\"a\":1}",
		 "[{\"op\":\"add\",\"path\":\"/a\",\"value\":[2]}]", "{\"a\":[2]}"},
		{"add at the end index appends", "[1,2]", "[{\"op\":\"add\",\"path\":\"/2\",\"value\":3}]", "[1,2,3]"},
		{"add at index 0", "[1,2]", "[{\"op\":\"add\",\"path\":\"/0\",\"value\":0}]", "[0,1,2]"},
		{"add with - to an empty array", "{\"a\":[]}",
		 "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":{\"x\":null}}]", "{\"a\":[{\"x\":null}]}"},
		{"add replaces the whole document", "{\"a\":1}",
		 "[{\"op\":\"add\",\"path\":\"\",\"value\":[1]}]", "[1]"},
		{"add an empty key", "{}", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]", "{\"\":1}"},
		{"escapes in member names", "{}",
		 "[{\"op\":\"add\",\"path\":\"/a~1b~0c\",\"value\":1},"
		 "{\"op\":\"add\",\"path\":\"/~01\",\"value\":2}]",
		 "{\"a/b~c\":1,\"~1\":2}"},
		{"replace the whole document", "{\"a\":1}",
		 "[{\"op\":\"replace\",\"path\":\"\",\"value\":null}]", "null"},
		{"replace an array element", "[1,2,3]",
		 "[{\"op\":\"replace\",\"path\":\"/1\",\"value\":\"two\"}]", "[1,\"two\",3]"},
		{"remove the last array element", "[1,2,3]", "[{\"op\":\"remove\",\"path\":\"/2\"}]", "[1,2]"},
		{"remove a nested member", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}",
		 "[{\"op\":\"remove\",\"path\":\"/a/b/c\"}]", "{\"a\":{\"b\":{\"d\":2}}}"},
		{"move onto itself", "{\"a\":{\"b\":1}}",
		 "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a\"}]", "{\"a\":{\"b\":1}}"},
		{"move to a parent", "{\"a\":{\"b\":{\"c\":1}}}",
		 "[{\"op\":\"move\",\"from\":\"/a/b\",\"path\":\"/a\"}]", "{\"a\":{\"c\":1}}"},
		{"move an array element to the end", "[1,2,3]",
		 "[{\"op\":\"move\",\"from\":\"/0\",\"path\":\"/-\"}]", "[2,3,1]"},
		{"move to a sibling that starts with the same name", "{\"a\":1}",
		 "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/ab\"}]", "{\"ab\":1}"},
		{"copy a subtree", "{\"a\":{\"b\":[1,2]}}",
		 "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"},"
		 "{\"op\":\"add\",\"path\":\"/c/b/-\",\"value\":3}]",
		 "{\"a\":{\"b\":[1,2]},\"c\":{\"b\":[1,2,3]}}"},
		{"copy the whole document into itself", "{\"a\":1}",
		 "[{\"op\":\"copy\",\"from\":\"\",\"path\":\"/self\"}]", "{\"a\":1,\"self\":{\"a\":1}}"},
		{"copy an array element", "[{\"x\":1}]",
		 "[{\"op\":\"copy\",\"from\":\"/0\",\"path\":\"/0\"},"
		 "{\"op\":\"replace\",\"path\":\"/0/x\",\"value\":2}]",
		 "[{\"x\":2},{\"x\":1}]"},
		{"test the whole document", "{\"a\":[1,{\"b\":1.0}]}",
		 "[{\"op\":\"test\",\"path\":\"\",\"value\":{\"a\":[1.0,{\"b\":1}]}}]", "{\"a\":[1,{\"b\":1}]}"},
		{"test null", "{\"a\":null}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":null}]", "{\"a\":null}"},
		{"operations see earlier results", "{}",
		 "[{\"op\":\"add\",\"path\":\"/spec\",\"value\":{}},"
		 "{\"op\":\"add\",\"path\":\"/spec/x\",\"value\":1},"
		 "{\"op\":\"replace\",\"path\":\"/spec/x\",\"value\":2},"
		 "{\"op\":\"test\",\"path\":\"/spec/x\",\"value\":2}]",
		 "{\"spec\":{\"x\":2}}"},
		{"a kubernetes style patch", "{\"metadata\":{\"labels\":{\"a\":\"1\"},\"finalizers\":[\"x\",\"y\"]}}",
		 "[{\"op\":\"add\",\"path\":\"/metadata/labels/app.kubernetes.io~1name\","
		 "\"value\":\"rd\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]",
		 "{\"metadata\":{\"labels\":{\"a\":\"1\",\"app.kubernetes.io/name\":\"rd\"},"
		 "\"finalizers\":[\"y\"]}}"},
	};

	rdd_json_patch_test_run_cases(cases, G_N_ELEMENTS(cases));
}

static void
rdd_json_patch_test_errors(void)
{
	const RddJsonPatchCase cases[] = {
		/* malformed patches: RDD_ERROR_BAD_REQUEST */
		{"not an array", "{}", "{\"op\":\"add\",\"path\":\"/a\",\"value\":1}", NULL,
		 RDD_ERROR_BAD_REQUEST, "a json patch must be an array of operations, found an object"},
		{"operation not an object", "{}", "[1]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0: expected an object, found a number"},
		{"missing op", "{}", "[{\"path\":\"/a\"}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0: missing \"op\""},
		{"op not a string", "{}", "[{\"op\":1,\"path\":\"/a\"}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0: \"op\" must be a string, found a number"},
		{"missing path", "{}", "[{\"op\":\"remove\"}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0 (remove): missing \"path\""},
		{"path not a string", "{}", "[{\"op\":\"remove\",\"path\":null}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0 (remove): \"path\" must be a string, found null"},
		{"unknown op", "{}", "[{\"op\":\"test\",\"path\":\"\",\"value\":{}},{\"op\":\"frob\",\"path\":\"/a\"}]",
		 NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 1 (frob /a): unknown op \"frob\", expected add, remove"},
		{"op names are case sensitive", "{}", "[{\"op\":\"Add\",\"path\":\"/a\",\"value\":1}]",
		 NULL, RDD_ERROR_BAD_REQUEST, "unknown op \"Add\""},
		{"missing value for add", "{}", "[{\"op\":\"add\",\"path\":\"/a\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 0 (add /a): missing \"value\""},
		{"missing value for replace", "{}", "[{\"op\":\"replace\",\"path\":\"/a\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 0 (replace /a): missing \"value\""},
		{"missing value for test", "{}", "[{\"op\":\"test\",\"path\":\"/a\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 0 (test /a): missing \"value\""},
		{"missing from for move", "{}", "[{\"op\":\"move\",\"path\":\"/a\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 0 (move /a): missing \"from\""},
		{"from not a string", "{}", "[{\"op\":\"copy\",\"path\":\"/a\",\"from\":[]}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0 (copy /a): \"from\" must be a string, found an array"},
		{"pointer without a leading slash", "{\"a\":{\"b\":1}}",
		 "[{\"op\":\"remove\",\"path\":\"a/b\"}]", NULL, RDD_ERROR_BAD_REQUEST,
		 "json patch operation 0 (remove a/b): invalid JSON pointer \"a/b\": it must be "
		 "empty or start with '/'"},
		{"bad escape in pointer", "{}", "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]",
		 NULL, RDD_ERROR_BAD_REQUEST,
		 "invalid JSON pointer \"/a~2\": '~' at offset 2 must be followed by '0' or '1'"},
		{"trailing ~ in pointer", "{}", "[{\"op\":\"add\",\"path\":\"/a~\",\"value\":1}]",
		 NULL, RDD_ERROR_BAD_REQUEST, "'~' at offset 2 must be followed by '0' or '1'"},
		{"bad from pointer", "{}", "[{\"op\":\"move\",\"path\":\"/a\",\"from\":\"x\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 0 (move /a): \"from\": invalid JSON pointer \"x\""},
		{"malformed operations are found before any applies", "{}",
		 "[{\"op\":\"remove\",\"path\":\"/missing\"},{\"op\":\"bogus\",\"path\":\"\"}]", NULL,
		 RDD_ERROR_BAD_REQUEST, "json patch operation 1 (bogus \"\"): unknown op \"bogus\""},

		/* operations that cannot apply: RDD_ERROR_INVALID */
		{"replace a missing member", "{\"spec\":{}}",
		 "[{\"op\":\"test\",\"path\":\"/spec\",\"value\":{}},"
		 "{\"op\":\"add\",\"path\":\"/status\",\"value\":{}},"
		 "{\"op\":\"replace\",\"path\":\"/spec/x\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID,
		 "json patch operation 2 (replace /spec/x): path not found: no member \"x\" in the "
		 "object at /spec"},
		{"remove a missing member", "{\"a\":{}}", "[{\"op\":\"remove\",\"path\":\"/a/b\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (remove /a/b): path not found: no member \"b\" in the object "
		 "at /a"},
		{"missing intermediate member", "{}", "[{\"op\":\"add\",\"path\":\"/a/b/c\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "path not found: no member \"a\" in the object at the document root"},
		{"path through a scalar", "{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/a/b\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "path not found: /a is not an object or an array"},
		{"add index out of range", "{\"foo\":[1,2]}",
		 "[{\"op\":\"add\",\"path\":\"/foo/5\",\"value\":1}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (add /foo/5): path not found: index 5 is out of range for "
		 "the array of 2 elements at /foo"},
		{"remove index out of range", "[1,2]", "[{\"op\":\"remove\",\"path\":\"/2\"}]", NULL,
		 RDD_ERROR_INVALID, "index 2 is out of range for the array of 2 elements at the document root"},
		{"replace index out of range", "[]", "[{\"op\":\"replace\",\"path\":\"/0\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "index 0 is out of range for the array of 0 elements"},
		{"index with leading zero", "{\"foo\":[1,2]}",
		 "[{\"op\":\"add\",\"path\":\"/foo/01\",\"value\":1}]", NULL, RDD_ERROR_INVALID,
		 "path not found: \"01\" is not a valid index for the array at /foo, expected a "
		 "decimal number without leading zeros"},
		{"index with a sign", "[1,2]", "[{\"op\":\"remove\",\"path\":\"/-1\"}]", NULL,
		 RDD_ERROR_INVALID, "\"-1\" is not a valid index"},
		{"index that is not a number", "[1,2]", "[{\"op\":\"test\",\"path\":\"/x\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "\"x\" is not a valid index"},
		{"huge index", "[1,2]", "[{\"op\":\"add\",\"path\":\"/99999999999999999999\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "\"99999999999999999999\" is not a valid index"},
		{"- for remove", "[1,2]", "[{\"op\":\"remove\",\"path\":\"/-\"}]", NULL,
		 RDD_ERROR_INVALID, "path not found: '-' names the element after the end of the array"},
		{"- for replace", "[1,2]", "[{\"op\":\"replace\",\"path\":\"/-\",\"value\":3}]",
		 NULL, RDD_ERROR_INVALID, "'-' names the element after the end of the array"},
		{"- inside a path", "[[1]]", "[{\"op\":\"add\",\"path\":\"/-/0\",\"value\":3}]",
		 NULL, RDD_ERROR_INVALID, "'-' names the element after the end of the array"},
		{"remove the document", "{}", "[{\"op\":\"remove\",\"path\":\"\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (remove \"\"): the whole document cannot be removed"},
		{"move into own child", "{\"a\":{\"b\":{}}}",
		 "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b/c\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (move /a/b/c): cannot move /a into one of its own children"},
		{"move the document into itself", "{\"a\":{}}",
		 "[{\"op\":\"move\",\"from\":\"\",\"path\":\"/a\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (move /a): cannot move the document root into one of its "
		 "own children"},
		{"move from a missing path", "{}",
		 "[{\"op\":\"move\",\"from\":\"/x\",\"path\":\"/y\"}]", NULL, RDD_ERROR_INVALID,
		 "json patch operation 0 (move /y): \"from\": path not found: no member \"x\""},
		{"move onto itself needs the value", "{}", "[{\"op\":\"move\",\"from\":\"/x\",\"path\":\"/x\"}]",
		 NULL, RDD_ERROR_INVALID, "path not found: no member \"x\""},
		{"copy from a missing path", "{}", "[{\"op\":\"copy\",\"from\":\"/x\",\"path\":\"/y\"}]",
		 NULL, RDD_ERROR_INVALID, "json patch operation 0 (copy /y): \"from\": path not found"},
		{"test a missing path", "{}", "[{\"op\":\"test\",\"path\":\"/x\",\"value\":null}]",
		 NULL, RDD_ERROR_INVALID, "json patch operation 0 (test /x): path not found"},
		{"test fails on type", "{\"a\":true}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]",
		 NULL, RDD_ERROR_INVALID, "test failed: found true, expected 1"},
		{"test fails on array order", "{\"a\":[1,2]}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":[2,1]}]",
		 NULL, RDD_ERROR_INVALID, "test failed: found [1,2], expected [2,1]"},
		{"long values are shortened in messages",
		 "{\"a\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}",
		 "[{\"op\":\"test\",\"path\":\"/a\",\"value\":\"x\"}]", NULL, RDD_ERROR_INVALID,
		 "test failed: found \"01234567890123456789012345678901234567890123456789012345678...,"
		 " expected \"x\""},
		{"add to a null document", "null", "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]", NULL,
		 RDD_ERROR_INVALID, "path not found: the document root is not an object or an array"},
	};

	rdd_json_patch_test_run_cases(cases, G_N_ELEMENTS(cases));
}

static void
rdd_json_patch_test_atomic(void)
{
	g_autoptr(JsonNode) doc = rdd_json_patch_test_parse("{\"a\":[1,2],\"b\":{\"c\":1}}");
	g_autoptr(JsonNode) patch = rdd_json_patch_test_parse("[{\"op\":\"add\",\"path\":\"/a/0\",\"value\":0},"
							      "{\"op\":\"remove\",\"path\":\"/b/c\"},"
							      "{\"op\":\"replace\",\"path\":\"/a/1\",\"value\":9},"
							      "{\"op\":\"remove\",\"path\":\"/b/c\"}]");
	g_autofree gchar *before = rdd_json_to_string(doc, FALSE);
	g_autofree gchar *after = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) result = NULL;

	result = rdd_json_patch_apply(doc, patch, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_null(result);
	g_assert_nonnull(strstr(error->message, "json patch operation 3 (remove /b/c)"));
	after = rdd_json_to_string(doc, FALSE);
	g_assert_cmpstr(before, ==, after);
	g_clear_error(&error);

	/* the error is optional */
	g_assert_null(rdd_json_patch_apply(doc, patch, NULL));

	/* a sealed target works: it is copied, not changed */
	{
		g_autoptr(JsonNode) sealed = rdd_json_patch_test_parse("{\"a\":1}");
		g_autoptr(JsonNode) ok_patch =
			rdd_json_patch_test_parse("[{\"op\":\"add\",\"path\":\"/b\",\"value\":2}]");
		g_autoptr(JsonNode) patched = NULL;
		json_node_seal(sealed);
		patched = rdd_json_patch_apply(sealed, ok_patch, &error);
		g_assert_no_error(error);
		rdd_json_patch_test_assert_json(patched, "{\"a\":1,\"b\":2}");
		g_assert_false(json_node_is_immutable(patched));
		rdd_json_patch_test_assert_json(sealed, "{\"a\":1}");
	}

	/* a NULL target is null */
	{
		g_autoptr(JsonNode) root_patch =
			rdd_json_patch_test_parse("[{\"op\":\"test\",\"path\":\"\",\"value\":null},"
						  "{\"op\":\"add\",\"path\":\"\",\"value\":{\"x\":1}}]");
		g_autoptr(JsonNode) patched = rdd_json_patch_apply(NULL, root_patch, &error);
		g_assert_no_error(error);
		rdd_json_patch_test_assert_json(patched, "{\"x\":1}");
	}

	/* the result does not share nodes with the patch */
	{
		g_autoptr(JsonNode) target = rdd_json_patch_test_parse("{}");
		g_autoptr(JsonNode) value_patch =
			rdd_json_patch_test_parse("[{\"op\":\"add\",\"path\":\"/v\",\"value\":{\"x\":1}}]");
		g_autoptr(JsonNode) patched = rdd_json_patch_apply(target, value_patch, &error);
		g_assert_no_error(error);
		json_object_set_int_member(rdd_json_lookup_object(patched, "v"), "y", 2);
		rdd_json_patch_test_assert_json(value_patch, "[{\"op\":\"add\",\"path\":\"/v\",\"value\":{\"x\":1}}]");
	}
}

static void
rdd_json_patch_test_limits(void)
{
	g_autoptr(GString) many = g_string_new("[");
	g_autoptr(JsonNode) doc = rdd_json_patch_test_parse("{\"a\":1}");
	g_autoptr(JsonNode) patch = NULL;
	g_autoptr(JsonNode) result = NULL;
	g_autoptr(GError) error = NULL;

	/* 10000 operations are fine */
	for (guint i = 0; i < 10000; i++)
		g_string_append_printf(many, "%s{\"op\":\"test\",\"path\":\"/a\",\"value\":1}",
				       i > 0 ? "," : "");
	g_string_append(many, "]");
	patch = rdd_json_patch_test_parse(many->str);
	result = rdd_json_patch_apply(doc, patch, &error);
	g_assert_no_error(error);
	g_assert_nonnull(result);
	g_clear_pointer(&patch, json_node_unref);
	g_clear_pointer(&result, json_node_unref);

	/* 10001 are not */
	g_string_truncate(many, many->len - 1);
	g_string_append(many, ",{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]");
	patch = rdd_json_patch_test_parse(many->str);
	result = rdd_json_patch_apply(doc, patch, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_nonnull(strstr(error->message, "a json patch may have at most 10000 operations, this one has "
						"10001"));
	g_assert_null(result);
	g_clear_error(&error);
	g_clear_pointer(&patch, json_node_unref);

	/* copying the document into itself doubles it every time; the total copied is capped */
	g_string_assign(many, "[");
	for (guint i = 0; i < 40; i++)
		g_string_append_printf(many, "%s{\"op\":\"copy\",\"from\":\"\",\"path\":\"/c%u\"}",
				       i > 0 ? "," : "", i);
	g_string_append(many, "]");
	patch = rdd_json_patch_test_parse(many->str);
	result = rdd_json_patch_apply(doc, patch, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_nonnull(strstr(error->message, "the patch copies more than 100000 values in total"));
	g_assert_null(result);
	g_clear_error(&error);
	g_clear_pointer(&patch, json_node_unref);

	/* every insertion rebuilds the array, so their total work is bounded: into an array of
	 * 20000 elements, 400 insertions are fine, but the one that brings the total number of
	 * elements moved above 10 million (operation 493, as the array grows) is not */
	for (guint n_ops = 400; n_ops <= 501; n_ops += 101) {
		g_autoptr(GString) long_doc = g_string_new("[0");
		g_autoptr(GString) inserts = g_string_new("[");
		g_autoptr(JsonNode) target = NULL;
		for (guint i = 1; i < 20000; i++)
			g_string_append(long_doc, ",0");
		g_string_append(long_doc, "]");
		target = rdd_json_patch_test_parse(long_doc->str);
		for (guint i = 0; i < n_ops; i++)
			g_string_append_printf(inserts, "%s{\"op\":\"add\",\"path\":\"/1\",\"value\":%u}",
					       i > 0 ? "," : "", i + 1);
		g_string_append(inserts, "]");
		patch = rdd_json_patch_test_parse(inserts->str);
		result = rdd_json_patch_apply(target, patch, &error);
		if (n_ops == 400) {
			JsonArray *arr;
			g_assert_no_error(error);
			arr = json_node_get_array(result);
			g_assert_cmpuint(json_array_get_length(arr), ==, 20400);
			g_assert_cmpint(json_array_get_int_element(arr, 0), ==, 0);
			g_assert_cmpint(json_array_get_int_element(arr, 1), ==, 400);
			g_assert_cmpint(json_array_get_int_element(arr, 400), ==, 1);
			g_assert_cmpint(json_array_get_int_element(arr, 401), ==, 0);
		} else {
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			g_assert_nonnull(strstr(error->message, "json patch operation 493 (add /1): the patch "
								"changes long arrays too often, it would move more "
								"than 10000000 array elements in total"));
			g_assert_null(result);
			g_clear_error(&error);
		}
		g_clear_pointer(&patch, json_node_unref);
		g_clear_pointer(&result, json_node_unref);
	}

	/* the result must stay within RDD_JSON_MAX_DEPTH, or it could not be parsed back: into
	 * the innermost of 120 nested arrays (at /0/0/.../0, 119 tokens) an array nested 8 deep
	 * fits, one nested 9 deep does not */
	{
		g_autoptr(GString) target = g_string_new(NULL);
		g_autoptr(GString) pointer = g_string_new(NULL);
		g_autoptr(JsonNode) deep_doc = NULL;

		for (guint i = 0; i < 120; i++)
			g_string_append_c(target, '[');
		for (guint i = 0; i < 120; i++)
			g_string_append_c(target, ']');
		deep_doc = rdd_json_patch_test_parse(target->str);
		for (guint i = 0; i < 119; i++)
			g_string_append(pointer, "/0");
		g_string_append(pointer, "/-");

		for (guint value_depth = 8; value_depth <= 9; value_depth++) {
			g_autoptr(GString) text = g_string_new(NULL);
			g_string_append_printf(text, "[{\"op\":\"add\",\"path\":\"%s\",\"value\":", pointer->str);
			for (guint i = 0; i < value_depth; i++)
				g_string_append_c(text, '[');
			for (guint i = 0; i < value_depth; i++)
				g_string_append_c(text, ']');
			g_string_append(text, "}]");
			patch = rdd_json_patch_test_parse(text->str);
			result = rdd_json_patch_apply(deep_doc, patch, &error);
			if (value_depth == 8) {
				g_autofree gchar *out = NULL;
				g_autoptr(JsonNode) back = NULL;
				g_assert_no_error(error);
				out = rdd_json_to_string(result, FALSE);
				back = rdd_json_parse(out, -1, &error);
				g_assert_no_error(error);
				g_assert_nonnull(back);
			} else {
				g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
				g_assert_nonnull(strstr(error->message, "the result would be nested deeper than "
									"128 levels"));
				g_assert_null(result);
				g_clear_error(&error);
			}
			g_clear_pointer(&patch, json_node_unref);
			g_clear_pointer(&result, json_node_unref);
		}
	}
}

static void
rdd_json_patch_test_pointer(void)
{
	/* RFC 6901 section 5 */
	g_autoptr(JsonNode) doc =
		rdd_json_patch_test_parse("{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,\"e^f\":3,\"g|h\":4,"
					  "\"i\\\\j\":5,\"k\\\"l\":6,\" \":7,\"m~n\":8}");
	struct {
		const gchar *pointer;
		const gchar *expected;
	} cases[] = {
		{"/foo", "[\"bar\",\"baz\"]"},
		{"/foo/0", "\"bar\""},
		{"/foo/1", "\"baz\""},
		{"/", "0"},
		{"/a~1b", "1"},
		{"/c%d", "2"},
		{"/e^f", "3"},
		{"/g|h", "4"},
		{"/i\\j", "5"},
		{"/k\"l", "6"},
		{"/ ", "7"},
		{"/m~0n", "8"},
	};
	struct {
		const gchar *pointer;
		gint code;
		const gchar *message;
	} errors[] = {
		{"/foo/2", RDD_ERROR_NOT_FOUND,
		 "JSON pointer \"/foo/2\": path not found: index 2 is out of range for the array of 2 "
		 "elements at /foo"},
		{"/foo/-", RDD_ERROR_NOT_FOUND, "'-' names the element after the end"},
		{"/foo/00", RDD_ERROR_NOT_FOUND, "\"00\" is not a valid index"},
		{"/foo/0/x", RDD_ERROR_NOT_FOUND, "path not found: /foo/0 is not an object or an array"},
		{"/nope", RDD_ERROR_NOT_FOUND, "no member \"nope\" in the object at the document root"},
		{"/a/b", RDD_ERROR_NOT_FOUND, "no member \"a\""},
		{"foo", RDD_ERROR_BAD_REQUEST, "invalid JSON pointer \"foo\""},
		{"/m~n", RDD_ERROR_BAD_REQUEST, "'~' at offset 2 must be followed by '0' or '1'"},
	};

	g_assert_true(rdd_json_pointer_get(doc, "", NULL) == doc);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		JsonNode *node = rdd_json_pointer_get(doc, cases[i].pointer, &error);
		g_assert_no_error(error);
		g_assert_nonnull(node);
		rdd_json_patch_test_assert_json(node, cases[i].expected);
	}
	for (guint i = 0; i < G_N_ELEMENTS(errors); i++) {
		g_autoptr(GError) error = NULL;
		JsonNode *node = rdd_json_pointer_get(doc, errors[i].pointer, &error);
		g_assert_null(node);
		g_assert_error(error, RDD_ERROR, errors[i].code);
		g_test_message("%s -> %s", errors[i].pointer, error->message);
		g_assert_nonnull(strstr(error->message, errors[i].message));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_null(rdd_json_pointer_get(NULL, "", &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	}
}

typedef struct {
	const gchar *target; /* NULL: a NULL pointer */
	const gchar *patch;
	const gchar *result;
} RddJsonMergeCase;

static void
rdd_json_patch_test_merge(void)
{
	/* RFC 7386 appendix A, then section 3, then extra cases */
	const RddJsonMergeCase cases[] = {
		{"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
		{"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
		{"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
		{"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
		{"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
		{"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
		{"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
		{"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
		{"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
		{"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
		{"{\"a\":\"foo\"}", "null", "null"},
		{"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
		{"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
		{"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
		{"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
		{"{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\",\"familyName\":\"Doe\"},"
		 "\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}",
		 "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\","
		 "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}",
		 "{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},\"tags\":[\"example\"],"
		 "\"content\":\"This will be unchanged\",\"phoneNumber\":\"+01-123-456-7890\"}"},
		{NULL, "{\"a\":{\"b\":null,\"c\":1}}", "{\"a\":{\"c\":1}}"},
		{NULL, "[1]", "[1]"},
		{"1", "{\"a\":{\"b\":{\"c\":[{\"d\":null}]}}}", "{\"a\":{\"b\":{\"c\":[{\"d\":null}]}}}"},
		{"{\"a\":1}", "{}", "{\"a\":1}"},
		{"{\"a\":{\"b\":{\"c\":1,\"d\":2}},\"e\":3}",
		 "{\"a\":{\"b\":{\"c\":null,\"x\":[]}},\"e\":null,\"f\":{\"g\":null}}",
		 "{\"a\":{\"b\":{\"d\":2,\"x\":[]}},\"f\":{}}"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(JsonNode) target =
			cases[i].target != NULL ? rdd_json_patch_test_parse(cases[i].target) : NULL;
		g_autoptr(JsonNode) patch = rdd_json_patch_test_parse(cases[i].patch);
		g_autofree gchar *target_before = rdd_json_to_string(target, FALSE);
		g_autofree gchar *patch_before = rdd_json_to_string(patch, FALSE);
		g_autofree gchar *target_after = NULL;
		g_autofree gchar *patch_after = NULL;
		g_autoptr(JsonNode) result = rdd_json_merge_patch(target, patch);

		g_test_message("merge case %u", i);
		g_assert_nonnull(result);
		g_assert_true(result != target && result != patch);
		rdd_json_patch_test_assert_json(result, cases[i].result);
		target_after = rdd_json_to_string(target, FALSE);
		patch_after = rdd_json_to_string(patch, FALSE);
		g_assert_cmpstr(target_before, ==, target_after);
		g_assert_cmpstr(patch_before, ==, patch_after);
	}

	/* member order: the target's first, then the patch's new members in patch order */
	{
		g_autoptr(JsonNode) target = rdd_json_patch_test_parse("{\"z\":1,\"y\":2,\"x\":3}");
		g_autoptr(JsonNode) patch =
			rdd_json_patch_test_parse("{\"w\":4,\"y\":null,\"z\":{\"k\":1},\"a\":5}");
		g_autoptr(JsonNode) result = rdd_json_merge_patch(target, patch);
		g_autoptr(GList) members = json_object_get_members(json_node_get_object(result));
		const gchar *order[] = {"z", "x", "w", "a"};
		guint i = 0;
		for (GList *l = members; l != NULL; l = l->next)
			g_assert_cmpstr(l->data, ==, order[i++]);
		g_assert_cmpuint(i, ==, G_N_ELEMENTS(order));
	}

	/* the result shares nothing with the arguments */
	{
		g_autoptr(JsonNode) target = rdd_json_patch_test_parse("{\"keep\":{\"a\":1}}");
		g_autoptr(JsonNode) patch = rdd_json_patch_test_parse("{\"new\":{\"b\":2}}");
		g_autoptr(JsonNode) result = rdd_json_merge_patch(target, patch);
		json_object_set_int_member(rdd_json_lookup_object(result, "keep"), "x", 1);
		json_object_set_int_member(rdd_json_lookup_object(result, "new"), "x", 1);
		rdd_json_patch_test_assert_json(target, "{\"keep\":{\"a\":1}}");
		rdd_json_patch_test_assert_json(patch, "{\"new\":{\"b\":2}}");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/json-patch/rfc6902", rdd_json_patch_test_rfc6902);
	g_test_add_func("/rdd/json-patch/operations", rdd_json_patch_test_operations);
	g_test_add_func("/rdd/json-patch/errors", rdd_json_patch_test_errors);
	g_test_add_func("/rdd/json-patch/atomic", rdd_json_patch_test_atomic);
	g_test_add_func("/rdd/json-patch/limits", rdd_json_patch_test_limits);
	g_test_add_func("/rdd/json-patch/pointer", rdd_json_patch_test_pointer);
	g_test_add_func("/rdd/json-patch/merge", rdd_json_patch_test_merge);
	return g_test_run();
}
