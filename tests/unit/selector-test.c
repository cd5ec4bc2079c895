/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-selector.h"

typedef struct {
	const gchar *text;
	const gchar *canonical; /* NULL when parsing must fail */
	const gchar *error;	/* substring of the error message when it fails */
} RddSelectorParseCase;

/* parses, checks canonical text or error, and that the canonical text re-parses equal */
static void
rdd_selector_test_parse_table(const RddSelectorParseCase *cases,
			      gsize n_cases,
			      RddSelector *(*parse)(const gchar *, GError **))
{
	for (gsize i = 0; i < n_cases; i++) {
		const RddSelectorParseCase *c = &cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = parse(c->text, &error);

		if (c->canonical == NULL) {
			if (sel != NULL) {
				g_autofree gchar *str = rdd_selector_to_string(sel);
				g_test_fail_printf("case %" G_GSIZE_FORMAT " \"%s\": parsed as \"%s\", "
						   "expected an error containing \"%s\"",
						   i, c->text, str, c->error);
				continue;
			}
			g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
			if (strstr(error->message, c->error) == NULL) {
				g_test_fail_printf("case %" G_GSIZE_FORMAT " \"%s\": error \"%s\" "
						   "does not contain \"%s\"",
						   i, c->text, error->message, c->error);
			}
			continue;
		}
		if (sel == NULL) {
			g_test_fail_printf("case %" G_GSIZE_FORMAT " \"%s\": unexpected error: %s",
					   i, c->text, error->message);
			continue;
		}
		g_assert_no_error(error);
		{
			g_autofree gchar *str = rdd_selector_to_string(sel);
			g_autoptr(RddSelector) again = NULL;
			if (g_strcmp0(str, c->canonical) != 0) {
				g_test_fail_printf("case %" G_GSIZE_FORMAT " \"%s\": got \"%s\", "
						   "expected \"%s\"",
						   i, c->text, str, c->canonical);
				continue;
			}
			again = parse(str, &error);
			g_assert_no_error(error);
			g_assert_nonnull(again);
			g_assert_true(rdd_selector_equal(sel, again));
			g_assert_cmpint(rdd_selector_is_empty(sel), ==, c->canonical[0] == '\0');
		}
	}
}

static void
rdd_selector_test_parse_labels(void)
{
	const RddSelectorParseCase cases[] = {
		/* valid */
		{"", "", NULL},
		{"   \t\r\n", "", NULL},
		{"a=b", "a=b", NULL},
		{"a==b", "a=b", NULL},
		{"a!=b", "a!=b", NULL},
		{" a = b ", "a=b", NULL},
		{"a\t!=\nb", "a!=b", NULL},
		{"a in (x,y)", "a in (x,y)", NULL},
		{"a in (y, x, y)", "a in (x,y)", NULL},
		{"a in(x)", "a in (x)", NULL},
		{"a notin (z)", "a notin (z)", NULL},
		{"a notin (z,z,b)", "a notin (b,z)", NULL},
		{"a", "a", NULL},
		{"!a", "!a", NULL},
		{"! a", "!a", NULL},
		{"a=", "a=", NULL},
		{"a==", "a=", NULL},
		{"a!=", "a!=", NULL},
		{"a=,b", "a=,b", NULL},
		{"a in (x,)", "a in (,x)", NULL},
		{"a in (,x)", "a in (,x)", NULL},
		{"a in (,)", "a in (,)", NULL},
		{"a in (x,,y)", "a in (,x,y)", NULL},
		{"a notin ( , )", "a notin (,)", NULL},
		{"h,!g,f notin (z),e in (y,x),c!=d,a=b", "a=b,c!=d,e in (x,y),f notin (z),!g,h", NULL},
		{"b=2,a=1,b=1", "a=1,b=2,b=1", NULL},
		{"a=b,a=b", "a=b,a=b", NULL},
		{"a notin (x),a", "a notin (x),a", NULL},
		{"example.com/app=web", "example.com/app=web", NULL},
		{"a.b-c.d/X_y.z-1=V_1.x-Y", "a.b-c.d/X_y.z-1=V_1.x-Y", NULL},
		{"in=notin", "in=notin", NULL},
		{"in in (in,notin)", "in in (in,notin)", NULL},
		{"notin", "notin", NULL},
		{"!in", "!in", NULL},
		{"0=1", "0=1", NULL},
		{"a=b , c", "a=b,c", NULL},
		/* syntax errors */
		{"a=b,", NULL, "found end of string, expected: '!' or label key after ','"},
		{",a", NULL, "found ',', expected: '!', label key or end of string"},
		{"a,,b", NULL, "found ',', expected: '!' or label key after ','"},
		{"=b", NULL, "found '=', expected: '!', label key or end of string"},
		{"(a)", NULL, "found '(', expected: '!', label key or end of string"},
		{"a in ()", NULL, "at least one value"},
		{"a notin ()", NULL, "at least one value"},
		{"a in (x", NULL, "found end of string, expected: ',' or ')'"},
		{"a in (", NULL, "found end of string, expected: value, ',' or ')'"},
		{"a in", NULL, "found end of string, expected: '('"},
		{"a in x", NULL, "found 'x', expected: '('"},
		{"a notin", NULL, "expected: '('"},
		{"a in (x y)", NULL, "found 'y', expected: ',' or ')'"},
		{"a in (x))", NULL, "found ')', expected: ',' or end of string"},
		{"a in (!x)", NULL, "found '!', expected: value, ',' or ')'"},
		{"a in (x=y)", NULL, "found '=', expected: ',' or ')'"},
		{"a b", NULL, "found 'b', expected: '=', '==', '!=', 'in', 'notin', ',' or end of string"},
		{"a)", NULL, "found ')', expected: '='"},
		{"!a=b", NULL, "'!key' takes no operator or value"},
		{"!a in (b)", NULL, "found 'in', expected: ',' or end of string"},
		{"!!a", NULL, "found '!', expected: label key"},
		{"!", NULL, "found end of string, expected: label key"},
		{"a=b,!", NULL, "found end of string, expected: label key"},
		{"!=a", NULL, "found '!=', expected: '!', label key or end of string"},
		{"a>1", NULL, "the '>' and '<' operators are not supported"},
		{"a < 1", NULL, "the '>' and '<' operators are not supported"},
		{"a=b=c", NULL, "found '=', expected: ',' or end of string"},
		{"a=b c", NULL, "found 'c', expected: ',' or end of string"},
		{"a===b", NULL, "found '=', expected: value, ',' or end of string"},
		{"a!==b", NULL, "found '=', expected: value, ',' or end of string"},
		{"a=(b)", NULL, "found '(', expected: value, ',' or end of string"},
		{"a=!b", NULL, "found '!', expected: value"},
		/* invalid keys and values */
		{"-a=b", NULL, "invalid label key \"-a\": name part must consist of alphanumeric"},
		{"a-", NULL, "invalid label key \"a-\""},
		{"!_a", NULL, "invalid label key \"_a\""},
		{"a=-b", NULL, "invalid label value \"-b\": a valid label must be an empty string"},
		{"a!=b.", NULL, "invalid label value \"b.\""},
		{"a in (x,-y)", NULL, "invalid label value \"-y\""},
		{"a notin (x/y)", NULL, "invalid label value \"x/y\""},
		{"a/b/c", NULL, "a qualified name must consist of"},
		{"/a", NULL, "prefix part must be non-empty"},
		{"a/", NULL, "name part must be non-empty"},
		{"Example.com/a", NULL, "prefix part a lowercase RFC 1123 subdomain"},
		{"\xc3\xa9=1", NULL, "invalid label key \"\xc3\xa9\""},
		{"a=\xc3\xa9", NULL, "invalid label value \"\xc3\xa9\""},
		{"a=b\x7f", NULL, "invalid label value \"b\\x7f\""},
		{"a\xff=b", NULL, "at offset 1: not valid UTF-8"},
		{"a=\xc3", NULL, "at offset 2: not valid UTF-8"},
		{"a.b=c\"d", NULL, "invalid label value \"c\\\"d\""},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
		 "name part must be no more than 63 characters"},
		{"a=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
		 "must be no more than 63 characters"},
	};
	const RddSelectorParseCase cases_63[] = {
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa="
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa="
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		 NULL},
	};

	g_assert_cmpuint(G_N_ELEMENTS(cases), >=, 50);
	rdd_selector_test_parse_table(cases, G_N_ELEMENTS(cases), rdd_selector_parse_labels);
	rdd_selector_test_parse_table(cases_63, G_N_ELEMENTS(cases_63), rdd_selector_parse_labels);
}

typedef struct {
	const gchar *text;
	gsize offset;
} RddSelectorOffsetCase;

static void
rdd_selector_test_parse_labels_offsets(void)
{
	const RddSelectorOffsetCase cases[] = {
		{"a=b,c d", 6},	 {"  =b", 2},	      {"a in (x,-y)", 8},
		{"abc,  -d", 6}, {"a=b,c in ()", 10},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels(cases[i].text, &error);
		g_autofree gchar *expected =
			g_strdup_printf(" at offset %" G_GSIZE_FORMAT ": ", cases[i].offset);
		g_assert_null(sel);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
		if (strstr(error->message, expected) == NULL) {
			g_test_fail_printf("\"%s\": error \"%s\" lacks \"%s\"", cases[i].text,
					   error->message, expected);
		}
		/* the message quotes the selector itself */
		g_assert_true(g_str_has_prefix(error->message, "invalid label selector \""));
	}
}

static void
rdd_selector_test_error_quoting(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) text = g_string_new("a=b,");
	g_autoptr(RddSelector) sel = NULL;

	/* long input is cut in the message, the offset still points at the problem */
	for (guint i = 0; i < 1000; i++)
		g_string_append(text, "k=v,");
	g_string_append(text, "-bad");
	sel = rdd_selector_parse_labels(text->str, &error);
	g_assert_null(sel);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST);
	g_assert_nonnull(strstr(error->message, "...\" at offset 4004: invalid label key \"-bad\""));
	g_assert_cmpuint(strlen(error->message), <, 1000);
	g_clear_error(&error);

	/* control characters are escaped */
	g_assert_false(rdd_label_key_validate("a\nb\x01", &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "invalid label key \"a\\nb\\x01\":"));
	g_clear_error(&error);

	/* bytes that are not UTF-8 are escaped by the validators, which take any C string */
	g_assert_false(rdd_label_value_validate("\xff", &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_true(g_str_has_prefix(error->message, "invalid label value \"\\xff\":"));
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
}

static void
rdd_selector_test_parse_fields(void)
{
	const RddSelectorParseCase cases[] = {
		{"", "", NULL},
		{"  ", "", NULL},
		{"metadata.name=foo", "metadata.name=foo", NULL},
		{"metadata.name==foo", "metadata.name=foo", NULL},
		{"metadata.name!=foo", "metadata.name!=foo", NULL},
		{"b=1,a=2", "a=2,b=1", NULL},
		{"b=1,a=2,b=0", "a=2,b=1,b=0", NULL},
		{"a=b,,c=d", "a=b,c=d", NULL},
		{"a=b,", "a=b", NULL},
		{",a=b", "a=b", NULL},
		{"a=", "a=", NULL},
		{"a==", "a=", NULL},
		{"a!=", "a!=", NULL},
		{"a=x\\,y", "a=x\\,y", NULL},
		{"a=x\\=y", "a=x\\=y", NULL},
		{"a=x\\\\y", "a=x\\\\y", NULL},
		{"a=\\\\", "a=\\\\", NULL},
		{"a!=\\,", "a!=\\,", NULL},
		{"a= b ", "a= b ", NULL},
		{"a=!b", "a=!b", NULL},
		{"spec.x!=\xc3\xa9t\xc3\xa9", "spec.x!=\xc3\xa9t\xc3\xa9", NULL},
		{"a\\,b=c", "a\\,b=c", NULL},
		{"a!b=c", "a!b=c", NULL},
		{"status.phase=Running,metadata.namespace=", "metadata.namespace=,status.phase=Running", NULL},
		{"a=b=c", NULL, "unescaped '=' in value (write it as '\\=')"},
		{"a===b", NULL, "at offset 3: unescaped '='"},
		{"a=x\\y", NULL, "at offset 3: invalid escape sequence '\\y'"},
		{"a=x\\ ", NULL, "invalid escape sequence '\\' followed by U+0020"},
		{"a=\\\xc3\xa9", NULL, "invalid escape sequence '\\\xc3\xa9'"},
		{"a=x\\", NULL, "value ends with a lone '\\'"},
		{"a", NULL, "at offset 0: term 'a' has no operator"},
		{"a=b,c", NULL, "at offset 4: term 'c' has no operator"},
		{"a=b, ", NULL, "term ' ' has no operator"},
		{"=b", NULL, "field name before the operator is empty"},
		{"!=b", NULL, "field name before the operator is empty"},
		{"a b=c", NULL, "at offset 1: field name \"a b\" contains whitespace"},
		{" a=b", NULL, "field name \" a\" contains whitespace"},
		{"a=b, c=d", NULL, "at offset 4: field name \" c\" contains whitespace"},
		{"a =b", NULL, "field name \"a \" contains whitespace"},
		{"a=\xfe", NULL, "not valid UTF-8"},
	};
	rdd_selector_test_parse_table(cases, G_N_ELEMENTS(cases), rdd_selector_parse_fields);
}

static void
rdd_selector_test_field_escapes(void)
{
	const struct {
		const gchar *text;
		const gchar *key;
		const gchar *value;
	} cases[] = {
		{"a=x\\,y", "a", "x,y"},       {"a=x\\=y", "a", "x=y"},	  {"a=x\\\\y", "a", "x\\y"},
		{"a=\\\\\\,\\=", "a", "\\,="}, {"a=\\\\", "a", "\\"},	  {"a==\\=", "a", "="},
		{"a= b", "a", " b"},	       {"a\\,b=c", "a\\,b", "c"}, {"a\\=b", "a\\", "b"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_fields(cases[i].text, &error);
		const RddRequirement *req;
		g_assert_no_error(error);
		g_assert_nonnull(sel);
		g_assert_true(rdd_selector_is_fields(sel));
		g_assert_cmpuint(rdd_selector_get_n_requirements(sel), ==, 1);
		req = rdd_selector_get_requirement(sel, 0);
		g_assert_cmpstr(req->key, ==, cases[i].key);
		g_assert_cmpint(req->op, ==, RDD_SELECTOR_OP_EQUALS);
		g_assert_cmpuint(g_strv_length(req->values), ==, 1);
		g_assert_cmpstr(req->values[0], ==, cases[i].value);
	}
}

/* a GHashTable as the object for rdd_selector_matches() */
static const gchar *
rdd_selector_test_lookup(const gchar *key, gpointer user_data)
{
	return g_hash_table_lookup(user_data, key);
}

/* @pairs sorted; checks both match functions agree with @expected */
static void
rdd_selector_test_match_both(RddSelector *sel, const gchar *const *pairs, gboolean expected, const gchar *what)
{
	g_autoptr(GHashTable) hash = g_hash_table_new(g_str_hash, g_str_equal);
	gboolean by_pairs;
	gboolean by_lookup;

	for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
		g_hash_table_insert(hash, (gpointer)pairs[i], (gpointer)pairs[i + 1]);
	by_pairs = rdd_selector_matches_pairs(sel, pairs);
	by_lookup = rdd_selector_matches(sel, rdd_selector_test_lookup, hash);
	if (by_pairs != expected || by_lookup != expected) {
		g_test_fail_printf("%s: pairs=%d lookup=%d, expected %d", what, by_pairs, by_lookup, expected);
	}
}

typedef struct {
	const gchar *text;
	gboolean expected;
} RddSelectorMatchCase;

static void
rdd_selector_test_match_labels(void)
{
	/* sorted by key */
	const gchar *const labels[] = {"app", "web", "empty", "", "tier", "front", NULL};
	const gchar *const *sets[] = {labels, NULL};
	const RddSelectorMatchCase cases[] = {
		{"", TRUE},
		/* = and == */
		{"app=web", TRUE},
		{"app==web", TRUE},
		{"app=db", FALSE},
		{"missing=x", FALSE},
		{"empty=", TRUE},
		{"missing=", FALSE},
		{"app=", FALSE},
		/* != true when absent */
		{"app!=web", FALSE},
		{"app!=db", TRUE},
		{"missing!=x", TRUE},
		{"missing!=", TRUE},
		{"empty!=", FALSE},
		{"empty!=x", TRUE},
		/* in: false when absent */
		{"app in (web,db)", TRUE},
		{"app in (db)", FALSE},
		{"app in (a,b,c,db,x,y,z)", FALSE},
		{"app in (a,b,c,web,x,y,z)", TRUE},
		{"missing in (x)", FALSE},
		{"missing in (,)", FALSE},
		{"empty in (,x)", TRUE},
		{"empty in (x)", FALSE},
		/* notin: true when absent */
		{"app notin (web)", FALSE},
		{"app notin (db,zz)", TRUE},
		{"missing notin (x)", TRUE},
		{"empty notin (,)", FALSE},
		/* exists and does not exist */
		{"app", TRUE},
		{"empty", TRUE},
		{"missing", FALSE},
		{"!app", FALSE},
		{"!missing", TRUE},
		{"!empty", FALSE},
		/* AND */
		{"app=web,tier=front", TRUE},
		{"app=web,tier=back", FALSE},
		{"tier=front,app=db", FALSE},
		{"app=web,app=db", FALSE},
		{"app,empty,tier,!missing,missing!=x,missing notin (y)", TRUE},
		{"app,empty,tier,!missing,zzz", FALSE},
		{"aaa!=x,app in (web),empty=,tier notin (back),zzz notin (q)", TRUE},
	};
	/* what the same selectors give on an object without labels */
	const RddSelectorMatchCase cases_none[] = {
		{"", TRUE},
		{"app=web", FALSE},
		{"app!=web", TRUE},
		{"app in (web)", FALSE},
		{"app notin (web)", TRUE},
		{"app", FALSE},
		{"!app", TRUE},
		{"a!=x,b notin (y),!c", TRUE},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels(cases[i].text, &error);
		g_assert_no_error(error);
		rdd_selector_test_match_both(sel, sets[0], cases[i].expected, cases[i].text);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(cases_none); i++) {
		const gchar *const empty[] = {NULL};
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_labels(cases_none[i].text, &error);
		g_assert_no_error(error);
		rdd_selector_test_match_both(sel, NULL, cases_none[i].expected, cases_none[i].text);
		rdd_selector_test_match_both(sel, empty, cases_none[i].expected, cases_none[i].text);
	}
}

static void
rdd_selector_test_match_fields(void)
{
	const gchar *const fields[] = {
		"metadata.name", "a,b=c\\d", "metadata.namespace", "", "status.phase",
		"Running",	 NULL};
	const RddSelectorMatchCase cases[] = {
		{"", TRUE},
		{"metadata.name=a\\,b\\=c\\\\d", TRUE},
		{"metadata.name==a\\,b\\=c\\\\d", TRUE},
		{"metadata.name=a", FALSE},
		{"metadata.name!=a\\,b\\=c\\\\d", FALSE},
		{"metadata.name!=a", TRUE},
		{"metadata.namespace=", TRUE},
		{"metadata.namespace!=", FALSE},
		{"status.phase=Running,metadata.namespace=", TRUE},
		{"status.phase!=Running", FALSE},
		/* a field the object lacks counts as the empty string */
		{"spec.nodeName=", TRUE},
		{"spec.nodeName!=", FALSE},
		{"spec.nodeName=x", FALSE},
		{"spec.nodeName!=x", TRUE},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RddSelector) sel = rdd_selector_parse_fields(cases[i].text, &error);
		g_assert_no_error(error);
		rdd_selector_test_match_both(sel, fields, cases[i].expected, cases[i].text);
	}
	/* and on an object without any fields */
	{
		g_autoptr(RddSelector) sel = rdd_selector_parse_fields("a=,b!=x", NULL);
		g_autoptr(RddSelector) sel2 = rdd_selector_parse_fields("a=x", NULL);
		g_assert_nonnull(sel);
		rdd_selector_test_match_both(sel, NULL, TRUE, "a=,b!=x on nothing");
		rdd_selector_test_match_both(sel2, NULL, FALSE, "a=x on nothing");
	}
}

/* many labels, many requirements: binary search against a hash table lookup */
static void
rdd_selector_test_match_pairs_many(void)
{
	g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) hash = g_hash_table_new(g_str_hash, g_str_equal);
	guint n_true = 0;

	/* k000=v000 ... k198=v198, even numbers only, so odd keys are absent */
	for (guint i = 0; i < 200; i += 2) {
		gchar *key = g_strdup_printf("k%03u", i);
		gchar *value = g_strdup_printf("v%03u", i);
		g_ptr_array_add(pairs, key);
		g_ptr_array_add(pairs, value);
		g_hash_table_insert(hash, key, value);
	}
	g_ptr_array_add(pairs, NULL);

	for (guint round = 0; round < 2000; round++) {
		g_autoptr(GString) text = g_string_new(NULL);
		g_autoptr(RddSelector) sel = NULL;
		g_autoptr(GError) error = NULL;
		guint n_reqs = (guint)g_test_rand_int_range(1, 6);
		gboolean expected = TRUE;
		gboolean by_pairs;

		for (guint j = 0; j < n_reqs; j++) {
			guint k = (guint)g_test_rand_int_range(0, 201);
			guint v = g_test_rand_int_range(0, 2) == 0 ? k : k + 2;
			gboolean present = k % 2 == 0 && k < 200;
			gint op = g_test_rand_int_range(0, 6);
			if (j > 0)
				g_string_append_c(text, ',');
			switch (op) {
			case 0:
				g_string_append_printf(text, "k%03u=v%03u", k, v);
				expected = expected && present && v == k;
				break;
			case 1:
				g_string_append_printf(text, "k%03u!=v%03u", k, v);
				expected = expected && !(present && v == k);
				break;
			case 2:
				g_string_append_printf(text, "k%03u in (v%03u,zz)", k, v);
				expected = expected && present && v == k;
				break;
			case 3:
				g_string_append_printf(text, "k%03u notin (a,v%03u)", k, v);
				expected = expected && !(present && v == k);
				break;
			case 4:
				g_string_append_printf(text, "k%03u", k);
				expected = expected && present;
				break;
			default:
				g_string_append_printf(text, "!k%03u", k);
				expected = expected && !present;
				break;
			}
		}
		sel = rdd_selector_parse_labels(text->str, &error);
		g_assert_no_error(error);
		by_pairs = rdd_selector_matches_pairs(sel, (const gchar *const *)pairs->pdata);
		if (by_pairs != expected)
			g_test_fail_printf("\"%s\": got %d, expected %d", text->str, by_pairs, expected);
		g_assert_cmpint(rdd_selector_matches(sel, rdd_selector_test_lookup, hash), ==, expected);
		if (expected)
			n_true++;
	}
	/* the random selectors exercised both outcomes */
	g_assert_cmpuint(n_true, >, 100);
	g_assert_cmpuint(n_true, <, 1900);
}

static void
rdd_selector_test_requirements(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddSelector) sel = rdd_selector_parse_labels("b=2,!z,a in (y,x),b=1,c notin (q),d", &error);
	const RddRequirement *req;
	const RddSelectorOp ops[] = {RDD_SELECTOR_OP_IN,     RDD_SELECTOR_OP_EQUALS,
				     RDD_SELECTOR_OP_EQUALS, RDD_SELECTOR_OP_NOT_IN,
				     RDD_SELECTOR_OP_EXISTS, RDD_SELECTOR_OP_DOES_NOT_EXIST};
	const gchar *keys[] = {"a", "b", "b", "c", "d", "z"};

	g_assert_no_error(error);
	g_assert_false(rdd_selector_is_empty(sel));
	g_assert_false(rdd_selector_is_fields(sel));
	g_assert_cmpuint(rdd_selector_get_n_requirements(sel), ==, 6);
	for (guint i = 0; i < 6; i++) {
		req = rdd_selector_get_requirement(sel, i);
		g_assert_cmpstr(req->key, ==, keys[i]);
		g_assert_cmpint(req->op, ==, ops[i]);
		g_assert_nonnull(req->values);
	}
	req = rdd_selector_get_requirement(sel, 0);
	g_assert_cmpstrv(req->values, ((const gchar *const[]){"x", "y", NULL}));
	req = rdd_selector_get_requirement(sel, 4);
	g_assert_null(req->values[0]);

	/* the first requirement on a key, in the order written */
	req = rdd_selector_find_requirement(sel, "b");
	g_assert_nonnull(req);
	g_assert_true(req == rdd_selector_get_requirement(sel, 1));
	g_assert_cmpstr(req->values[0], ==, "2");
	req = rdd_selector_find_requirement(sel, "z");
	g_assert_nonnull(req);
	g_assert_cmpint(req->op, ==, RDD_SELECTOR_OP_DOES_NOT_EXIST);
	g_assert_null(rdd_selector_find_requirement(sel, "bb"));
	g_assert_null(rdd_selector_find_requirement(sel, "0"));
	g_assert_null(rdd_selector_find_requirement(sel, "zz"));

	/* fields */
	{
		g_autoptr(RddSelector) fsel =
			rdd_selector_parse_fields("metadata.name=x,metadata.namespace!=y", &error);
		g_assert_no_error(error);
		g_assert_true(rdd_selector_is_fields(fsel));
		req = rdd_selector_find_requirement(fsel, "metadata.namespace");
		g_assert_nonnull(req);
		g_assert_cmpint(req->op, ==, RDD_SELECTOR_OP_NOT_EQUALS);
		g_assert_cmpstr(req->values[0], ==, "y");
		g_assert_null(rdd_selector_find_requirement(fsel, "spec"));
	}

	/* empty */
	{
		g_autoptr(RddSelector) empty = rdd_selector_parse_labels("", &error);
		g_assert_no_error(error);
		g_assert_true(rdd_selector_is_empty(empty));
		g_assert_cmpuint(rdd_selector_get_n_requirements(empty), ==, 0);
		g_assert_null(rdd_selector_find_requirement(empty, "a"));
	}
}

static void
rdd_selector_test_equal(void)
{
	const struct {
		const gchar *a;
		const gchar *b;
		gboolean fields_b;
		gboolean equal;
	} cases[] = {
		{"a=b,c=d", "c=d,a=b", FALSE, TRUE},
		{"a=b", "a==b", FALSE, TRUE},
		{"a in (x,y)", "a in (y,x,x)", FALSE, TRUE},
		{"a=b", "a!=b", FALSE, FALSE},
		{"a=b", "a=c", FALSE, FALSE},
		{"a=b", "b=b", FALSE, FALSE},
		{"a=b", "a=b,a=b", FALSE, FALSE},
		{"a=1,a=2", "a=2,a=1", FALSE, FALSE},
		{"a in (x)", "a=x", FALSE, FALSE},
		{"a in (x)", "a in (x,y)", FALSE, FALSE},
		{"a", "!a", FALSE, FALSE},
		{"", "", FALSE, TRUE},
		{"a=b", "a=b", TRUE, FALSE},
		{"", "", TRUE, FALSE},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddSelector) a = rdd_selector_parse_labels(cases[i].a, NULL);
		g_autoptr(RddSelector) b = cases[i].fields_b ?
						   rdd_selector_parse_fields(cases[i].b, NULL) :
						   rdd_selector_parse_labels(cases[i].b, NULL);
		g_assert_nonnull(a);
		g_assert_nonnull(b);
		if (rdd_selector_equal(a, b) != cases[i].equal || rdd_selector_equal(b, a) != cases[i].equal)
			g_test_fail_printf("\"%s\" vs \"%s\": expected equal=%d", cases[i].a,
					   cases[i].b, cases[i].equal);
		g_assert_true(rdd_selector_equal(a, a));
	}
}

static void
rdd_selector_test_boxed(void)
{
	g_autoptr(RddSelector) sel = rdd_selector_parse_labels("a=b", NULL);
	g_auto(GValue) value = G_VALUE_INIT;
	RddSelector *copy;

	g_assert_true(G_TYPE_IS_BOXED(RDD_TYPE_SELECTOR));
	g_assert_cmpstr(g_type_name(RDD_TYPE_SELECTOR), ==, "RddSelector");

	/* copying a boxed selector takes a reference */
	copy = g_boxed_copy(RDD_TYPE_SELECTOR, sel);
	g_assert_true(copy == sel);
	g_boxed_free(RDD_TYPE_SELECTOR, copy);

	g_value_init(&value, RDD_TYPE_SELECTOR);
	g_value_set_boxed(&value, sel);
	g_assert_true(g_value_get_boxed(&value) == sel);

	/* ref/unref pairs keep it alive */
	g_assert_true(rdd_selector_ref(sel) == sel);
	rdd_selector_unref(sel);
	g_assert_true(rdd_selector_matches_pairs(sel, (const gchar *const[]){"a", "b", NULL}));
}

/* ref and unref from several threads at once; ASan/TSan would flag a lost update */
static gpointer
rdd_selector_test_thread_func(gpointer user_data)
{
	RddSelector *sel = user_data;
	for (guint i = 0; i < 10000; i++) {
		rdd_selector_ref(sel);
		rdd_selector_unref(sel);
	}
	return NULL;
}

static void
rdd_selector_test_threads(void)
{
	g_autoptr(RddSelector) sel = rdd_selector_parse_labels("a=b", NULL);
	GThread *threads[4];
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("ref", rdd_selector_test_thread_func, sel);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	g_assert_true(rdd_selector_matches_pairs(sel, (const gchar *const[]){"a", "b", NULL}));
}

typedef struct {
	const gchar *json;
	const gchar *canonical; /* NULL when conversion must fail */
	const gchar *error;
} RddSelectorJsonCase;

static void
rdd_selector_test_json(void)
{
	const RddSelectorJsonCase cases[] = {
		{"{}", "", NULL},
		{"{\"matchLabels\": null, \"matchExpressions\": null}", "", NULL},
		{"{\"matchLabels\": {}, \"matchExpressions\": []}", "", NULL},
		{"{\"matchLabels\": {\"app\": \"web\", \"a\": \"b\"}}", "a=b,app=web", NULL},
		{"{\"matchLabels\": {\"app\": \"\"}}", "app=", NULL},
		{"{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"In\", "
		 "\"values\": [\"b\", \"a\", \"a\"]}]}",
		 "tier in (a,b)", NULL},
		{"{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"NotIn\", "
		 "\"values\": [\"x\"]}]}",
		 "tier notin (x)", NULL},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\"}]}", "a", NULL},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\", "
		 "\"values\": []}]}",
		 "a", NULL},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"DoesNotExist\", "
		 "\"values\": null}]}",
		 "!a", NULL},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\", "
		 "\"values\": [\"\"]}]}",
		 "a in (,)", NULL},
		{"{\"matchLabels\": {\"z\": \"1\", \"b\": \"2\"}, \"matchExpressions\": "
		 "[{\"key\": \"b\", \"operator\": \"Exists\"}, {\"key\": \"a\", \"operator\": "
		 "\"DoesNotExist\"}], \"other\": 1}",
		 "!a,b=2,b,z=1", NULL},
		{"{\"matchLabels\": {\"example.com/app\": \"web\"}}", "example.com/app=web", NULL},
		/* errors */
		{"{\"matchLabels\": []}", NULL, "matchLabels: must be an object"},
		{"{\"matchLabels\": {\"a\": 1}}", NULL, "matchLabels[\"a\"]: must be a string, not gint64"},
		{"{\"matchLabels\": {\"a\": null}}", NULL, "matchLabels[\"a\"]: must be a string"},
		{"{\"matchLabels\": {\"a b\": \"c\"}}", NULL,
		 "matchLabels[\"a b\"]: invalid label key \"a b\": name part must consist"},
		{"{\"matchLabels\": {\"a\": \"-c\"}}", NULL, "matchLabels[\"a\"]: invalid label value \"-c\""},
		{"{\"matchExpressions\": {}}", NULL, "matchExpressions: must be an array"},
		{"{\"matchExpressions\": [1]}", NULL, "matchExpressions[0]: must be an object"},
		{"{\"matchExpressions\": [{\"operator\": \"Exists\"}]}", NULL, "matchExpressions[0].key: Required value"},
		{"{\"matchExpressions\": [{\"key\": 5, \"operator\": \"Exists\"}]}", NULL,
		 "matchExpressions[0].key: must be a string"},
		{"{\"matchExpressions\": [{\"key\": \"-a\", \"operator\": \"Exists\"}]}", NULL,
		 "matchExpressions[0].key: invalid label key \"-a\""},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\"}, "
		 "{\"key\": \"a\"}]}",
		 NULL, "matchExpressions[1].operator: Required value"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"in\", \"values\": "
		 "[\"x\"]}]}",
		 NULL, "matchExpressions[0].operator: \"in\" is not a valid label selector operator"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Gt\", \"values\": "
		 "[\"1\"]}]}",
		 NULL, "\"Gt\" is not a valid label selector operator"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": true}]}", NULL,
		 "matchExpressions[0].operator: must be a string, not gboolean"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\"}]}", NULL,
		 "matchExpressions[0].values: Required value: for 'In' and 'NotIn' operators, "
		 "values set can't be empty"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"NotIn\", \"values\": []}]}",
		 NULL, "values set can't be empty"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\", \"values\": "
		 "[\"x\"]}]}",
		 NULL, "matchExpressions[0].values: Forbidden: values set must be empty"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"DoesNotExist\", "
		 "\"values\": [\"x\"]}]}",
		 NULL, "values set must be empty"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\", \"values\": "
		 "\"x\"}]}",
		 NULL, "matchExpressions[0].values: must be an array of strings"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\", \"values\": "
		 "[\"x\", 2]}]}",
		 NULL, "matchExpressions[0].values[1]: must be a string"},
		{"{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\", \"values\": "
		 "[\"x\", \"y z\"]}]}",
		 NULL, "matchExpressions[0].values[1]: invalid label value \"y z\""},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = json_from_string(cases[i].json, &error);
		g_autoptr(RddSelector) sel = NULL;

		g_assert_no_error(error);
		g_assert_nonnull(node);
		sel = rdd_selector_new_from_label_selector_json(json_node_get_object(node), &error);
		if (cases[i].canonical == NULL) {
			if (sel != NULL) {
				g_test_fail_printf("%s: converted, expected \"%s\"", cases[i].json,
						   cases[i].error);
				continue;
			}
			g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
			if (strstr(error->message, cases[i].error) == NULL) {
				g_test_fail_printf("%s: error \"%s\" lacks \"%s\"", cases[i].json,
						   error->message, cases[i].error);
			}
			continue;
		}
		if (sel == NULL) {
			g_test_fail_printf("%s: unexpected error %s", cases[i].json, error->message);
			continue;
		}
		{
			g_autofree gchar *str = rdd_selector_to_string(sel);
			g_autoptr(RddSelector) again = rdd_selector_parse_labels(str, &error);
			g_assert_cmpstr(str, ==, cases[i].canonical);
			g_assert_no_error(error);
			g_assert_true(rdd_selector_equal(sel, again));
			g_assert_false(rdd_selector_is_fields(sel));
		}
	}

	/* a converted selector matches like a parsed one */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = json_from_string("{\"matchLabels\": {\"app\": \"web\"}, \"matchExpressions\": "
							    "[{\"key\": \"tier\", \"operator\": \"NotIn\", \"values\": "
							    "[\"db\"]}]}",
							    &error);
		g_autoptr(RddSelector) sel = NULL;
		g_assert_no_error(error);
		sel = rdd_selector_new_from_label_selector_json(json_node_get_object(node), &error);
		g_assert_no_error(error);
		g_assert_true(rdd_selector_matches_pairs(sel, (const gchar *const[]){"app", "web", NULL}));
		g_assert_true(rdd_selector_matches_pairs(
			sel, (const gchar *const[]){"app", "web", "tier", "front", NULL}));
		g_assert_false(rdd_selector_matches_pairs(
			sel, (const gchar *const[]){"app", "web", "tier", "db", NULL}));
		g_assert_false(rdd_selector_matches_pairs(sel, NULL));
	}
}

typedef struct {
	const gchar *text;
	const gchar *error; /* NULL when valid */
} RddSelectorValidateCase;

static gchar *
rdd_selector_test_repeat(gchar c, guint n)
{
	gchar *str = g_malloc(n + 1);
	memset(str, c, n);
	str[n] = '\0';
	return str;
}

static void
rdd_selector_test_validate_table(const RddSelectorValidateCase *cases,
				 gsize n_cases,
				 gboolean (*validate)(const gchar *, GError **))
{
	for (gsize i = 0; i < n_cases; i++) {
		g_autoptr(GError) error = NULL;
		gboolean ret = validate(cases[i].text, &error);
		if (cases[i].error == NULL) {
			if (!ret)
				g_test_fail_printf("\"%s\": unexpected error %s", cases[i].text, error->message);
			g_assert_no_error(error);
			continue;
		}
		if (ret) {
			g_test_fail_printf("\"%s\": valid, expected \"%s\"", cases[i].text, cases[i].error);
			continue;
		}
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		if (strstr(error->message, cases[i].error) == NULL) {
			g_test_fail_printf("\"%s\": error \"%s\" lacks \"%s\"", cases[i].text,
					   error->message, cases[i].error);
		}
	}
}

static void
rdd_selector_test_key_validate(void)
{
	g_autofree gchar *name63 = rdd_selector_test_repeat('a', 63);
	g_autofree gchar *name64 = rdd_selector_test_repeat('a', 64);
	g_autofree gchar *prefix253 = rdd_selector_test_repeat('a', 253);
	g_autofree gchar *prefix254 = rdd_selector_test_repeat('a', 254);
	g_autofree gchar *key_p253 = g_strdup_printf("%s/n", prefix253);
	g_autofree gchar *key_p254 = g_strdup_printf("%s/n", prefix254);
	g_autofree gchar *key_p253_n63 = g_strdup_printf("%s/%s", prefix253, name63);
	g_autofree gchar *key_p1_n64 = g_strdup_printf("a/%s", name64);
	g_autofree gchar *key_bad64 = g_strdup_printf("%s-", name63);
	g_autoptr(GError) error = NULL;
	const RddSelectorValidateCase cases[] = {
		{"a", NULL},
		{"0", NULL},
		{"A_b.c-D", NULL},
		{name63, NULL},
		{name64, "invalid label key \"aaaa"},
		{name64, "name part must be no more than 63 characters"},
		{key_bad64, "name part must be no more than 63 characters; name part must consist of"},
		{"", "name part must be non-empty"},
		{"-a", "name part must consist of alphanumeric characters"},
		{"a-", "name part must consist of"},
		{"_a", "name part must consist of"},
		{"a.", "name part must consist of"},
		{"a b", "invalid label key \"a b\": name part must consist of alphanumeric characters, "
			"'-', '_' or '.', and must start and end with an alphanumeric character"},
		{"a:b", "name part must consist of"},
		{"\xc3\xa9", "invalid label key \"\xc3\xa9\": name part must consist of"},
		{"\xe2\x80\xae", "invalid label key \"\\u202e\""},
		{"a/b", NULL},
		{"example.com/b", NULL},
		{"1.2-3.x/b", NULL},
		{key_p253, NULL},
		{key_p253_n63, NULL},
		{key_p254, "prefix part must be no more than 253 characters"},
		{key_p1_n64, "name part must be no more than 63 characters"},
		{"/a", "prefix part must be non-empty"},
		{"/", "prefix part must be non-empty; name part must be non-empty"},
		{"a/", "name part must be non-empty"},
		{"Example.com/a", "prefix part a lowercase RFC 1123 subdomain must consist of"},
		{"a_b/c", "prefix part a lowercase RFC 1123 subdomain"},
		{"a..b/c", "prefix part a lowercase RFC 1123 subdomain"},
		{".a/c", "prefix part a lowercase RFC 1123 subdomain"},
		{"a./c", "prefix part a lowercase RFC 1123 subdomain"},
		{"-a/c", "prefix part a lowercase RFC 1123 subdomain"},
		{"a-.b/c", "prefix part a lowercase RFC 1123 subdomain"},
		{"\xc3\xa9.com/c", "prefix part a lowercase RFC 1123 subdomain"},
		{"a/b/c", "a qualified name must consist of alphanumeric characters"},
		{"a/b/c", "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"},
	};

	rdd_selector_test_validate_table(cases, G_N_ELEMENTS(cases), rdd_label_key_validate);

	/* the brief's example, as a prefix */
	g_assert_false(rdd_label_key_validate("a b", &error));
	g_assert_true(g_str_has_prefix(error->message, "invalid label key \"a b\": name part must consist of "
						       "alphanumeric characters, '-', '_' or '.', and must start "
						       "and end with an alphanumeric character"));
}

static void
rdd_selector_test_value_validate(void)
{
	g_autofree gchar *value63 = rdd_selector_test_repeat('v', 63);
	g_autofree gchar *value64 = rdd_selector_test_repeat('v', 64);
	g_autofree gchar *bad64 = g_strdup_printf("%s.", value63);
	const RddSelectorValidateCase cases[] = {
		{"", NULL},
		{"a", NULL},
		{"0", NULL},
		{"a.b_c-D", NULL},
		{value63, NULL},
		{value64, "invalid label value \"vvvv"},
		{value64, "must be no more than 63 characters"},
		{bad64, "must be no more than 63 characters; a valid label must be"},
		{"-a", "a valid label must be an empty string or consist of alphanumeric characters"},
		{"a-", "a valid label must be"},
		{"_a", "a valid label must be"},
		{".", "a valid label must be"},
		{"a b", "invalid label value \"a b\""},
		{"a/b", "a valid label must be"},
		{"a,b", "a valid label must be"},
		{"\xc3\xa9", "invalid label value \"\xc3\xa9\""},
		{"\xf0\x9f\x98\x80", "a valid label must be"},
	};
	rdd_selector_test_validate_table(cases, G_N_ELEMENTS(cases), rdd_label_value_validate);
}

/* a big selector parses in linear time and matches */
static void
rdd_selector_test_large(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RddSelector) sel = NULL;
	g_autofree gchar *str = NULL;
	g_autoptr(RddSelector) again = NULL;

	for (guint i = 0; i < 20000; i++)
		g_string_append_printf(text, "%sk%05u in (a,b,c)", i > 0 ? "," : "", 19999 - i);
	sel = rdd_selector_parse_labels(text->str, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(rdd_selector_get_n_requirements(sel), ==, 20000);
	g_assert_cmpstr(rdd_selector_get_requirement(sel, 0)->key, ==, "k00000");
	g_assert_false(rdd_selector_matches_pairs(sel, NULL));
	str = rdd_selector_to_string(sel);
	again = rdd_selector_parse_labels(str, &error);
	g_assert_no_error(error);
	g_assert_true(rdd_selector_equal(sel, again));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/selector/parse-labels", rdd_selector_test_parse_labels);
	g_test_add_func("/rdd/selector/parse-labels-offsets", rdd_selector_test_parse_labels_offsets);
	g_test_add_func("/rdd/selector/error-quoting", rdd_selector_test_error_quoting);
	g_test_add_func("/rdd/selector/parse-fields", rdd_selector_test_parse_fields);
	g_test_add_func("/rdd/selector/field-escapes", rdd_selector_test_field_escapes);
	g_test_add_func("/rdd/selector/match-labels", rdd_selector_test_match_labels);
	g_test_add_func("/rdd/selector/match-fields", rdd_selector_test_match_fields);
	g_test_add_func("/rdd/selector/match-pairs-many", rdd_selector_test_match_pairs_many);
	g_test_add_func("/rdd/selector/requirements", rdd_selector_test_requirements);
	g_test_add_func("/rdd/selector/equal", rdd_selector_test_equal);
	g_test_add_func("/rdd/selector/boxed", rdd_selector_test_boxed);
	g_test_add_func("/rdd/selector/threads", rdd_selector_test_threads);
	g_test_add_func("/rdd/selector/json", rdd_selector_test_json);
	g_test_add_func("/rdd/selector/key-validate", rdd_selector_test_key_validate);
	g_test_add_func("/rdd/selector/value-validate", rdd_selector_test_value_validate);
	g_test_add_func("/rdd/selector/large", rdd_selector_test_large);
	return g_test_run();
}
