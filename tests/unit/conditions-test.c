/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-conditions.h"
#include "rdd-json.h"
#include "rdd-time.h"

#define RDD_CONDITIONS_TEST_T0 (G_GINT64_CONSTANT(1795609800) * G_USEC_PER_SEC)
#define RDD_CONDITIONS_TEST_T1 (RDD_CONDITIONS_TEST_T0 + 60 * G_USEC_PER_SEC)
#define RDD_CONDITIONS_TEST_T2 (RDD_CONDITIONS_TEST_T0 + 120 * G_USEC_PER_SEC)
#define RDD_CONDITIONS_TEST_SUFFIX "… (truncated)"

static const gchar *
rdd_conditions_test_field(JsonObject *status, const gchar *type, const gchar *field)
{
	JsonObject *cond = rdd_conditions_find(status, type);
	g_assert_nonnull(cond);
	return json_object_get_string_member_with_default(cond, field, NULL);
}

static JsonObject *
rdd_conditions_test_parse(const gchar *json, JsonNode **root)
{
	g_autoptr(GError) error = NULL;
	*root = rdd_json_parse(json, -1, &error);
	g_assert_no_error(error);
	return json_node_get_object(*root);
}

static void
rdd_conditions_test_set_new(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	g_autofree gchar *t0 = rdd_time_format(RDD_CONDITIONS_TEST_T0);
	JsonArray *conditions;
	JsonObject *cond;

	g_assert_true(rdd_conditions_set_full(status, "Ready", "True", "Started", "all good", 3,
					      RDD_CONDITIONS_TEST_T0));
	conditions = json_object_get_array_member(status, "conditions");
	g_assert_cmpuint(json_array_get_length(conditions), ==, 1);
	cond = json_array_get_object_element(conditions, 0);
	g_assert_cmpstr(json_object_get_string_member(cond, "type"), ==, "Ready");
	g_assert_cmpstr(json_object_get_string_member(cond, "status"), ==, "True");
	g_assert_cmpstr(json_object_get_string_member(cond, "reason"), ==, "Started");
	g_assert_cmpstr(json_object_get_string_member(cond, "message"), ==, "all good");
	g_assert_cmpint(json_object_get_int_member(cond, "observedGeneration"), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(cond, "lastTransitionTime"), ==, t0);
	g_assert_cmpstr(t0, ==, "2026-11-25T12:30:00Z");

	/* the same values again change nothing */
	g_assert_false(rdd_conditions_set_full(status, "Ready", "True", "Started", "all good", 3,
					       RDD_CONDITIONS_TEST_T1));
	g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t0);
	g_assert_cmpuint(json_array_get_length(conditions), ==, 1);
}

static void
rdd_conditions_test_keep_transition_time(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	g_autofree gchar *t0 = rdd_time_format(RDD_CONDITIONS_TEST_T0);
	struct {
		const gchar *reason;
		const gchar *message;
		gint64 generation;
	} changes[] = {
		{"Other", "all good", 1},   /* reason only */
		{"Other", "still good", 1}, /* message only */
		{"Other", "still good", 2}, /* observedGeneration only */
		{"Again", "again", 5},	    /* all three */
	};

	g_assert_true(rdd_conditions_set_full(status, "Ready", "True", "Started", "all good", 1,
					      RDD_CONDITIONS_TEST_T0));
	for (guint i = 0; i < G_N_ELEMENTS(changes); i++) {
		g_assert_true(rdd_conditions_set_full(status, "Ready", "True", changes[i].reason,
						      changes[i].message, changes[i].generation,
						      RDD_CONDITIONS_TEST_T1 + i));
		g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t0);
		g_assert_cmpstr(rdd_conditions_get_reason(status, "Ready"), ==, changes[i].reason);
		g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "message"), ==,
				changes[i].message);
		g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Ready"), ==,
				changes[i].generation);
	}
}

static void
rdd_conditions_test_flip(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	g_autofree gchar *t0 = rdd_time_format(RDD_CONDITIONS_TEST_T0);
	g_autofree gchar *t1 = rdd_time_format(RDD_CONDITIONS_TEST_T1);
	g_autofree gchar *t2 = rdd_time_format(RDD_CONDITIONS_TEST_T2);

	rdd_conditions_set_full(status, "Ready", "False", "Starting", NULL, 1, RDD_CONDITIONS_TEST_T0);
	g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t0);
	/* a NULL message is stored as empty */
	g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "message"), ==, "");

	/* the status flips: a new transition time, even with the same reason */
	g_assert_true(rdd_conditions_set_full(status, "Ready", "True", "Starting", NULL, 1, RDD_CONDITIONS_TEST_T1));
	g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t1);
	g_assert_true(rdd_conditions_is_true(status, "Ready"));

	g_assert_true(rdd_conditions_set_full(status, "Ready", "Unknown", "Lost", "no heartbeat", 1,
					      RDD_CONDITIONS_TEST_T2));
	g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t2);
	g_assert_cmpstr(rdd_conditions_get_status(status, "Ready"), ==, "Unknown");
	g_assert_false(rdd_conditions_is_true(status, "Ready"));
}

static void
rdd_conditions_test_set_now(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	gint64 before = g_get_real_time() / G_USEC_PER_SEC * G_USEC_PER_SEC;
	gint64 after, stamp = 0;
	g_autoptr(GError) error = NULL;

	g_assert_true(rdd_conditions_set(status, "Ready", "True", "Now", "m", 0));
	after = g_get_real_time();
	g_assert_true(rdd_time_parse(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"),
				     &stamp, &error));
	g_assert_no_error(error);
	g_assert_cmpint(stamp, >=, before);
	g_assert_cmpint(stamp, <=, after);
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Ready"), ==, 0);
}

static void
rdd_conditions_test_several_types(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	JsonArray *conditions;

	rdd_conditions_set_full(status, "Ready", "True", "A", "a", 1, RDD_CONDITIONS_TEST_T0);
	rdd_conditions_set_full(status, "Processing", "False", "B", "b", 1, RDD_CONDITIONS_TEST_T0);
	rdd_conditions_set_full(status, "Completed", "True", "C", "c", 1, RDD_CONDITIONS_TEST_T0);
	/* changing one leaves the others and their order alone */
	rdd_conditions_set_full(status, "Processing", "True", "B2", "b2", 2, RDD_CONDITIONS_TEST_T1);
	conditions = json_object_get_array_member(status, "conditions");
	g_assert_cmpuint(json_array_get_length(conditions), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(conditions, 0), "type"),
			==, "Ready");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(conditions, 1), "type"),
			==, "Processing");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(conditions, 2), "type"),
			==, "Completed");
	g_assert_cmpstr(rdd_conditions_get_reason(status, "Ready"), ==, "A");
	g_assert_cmpstr(rdd_conditions_get_reason(status, "Processing"), ==, "B2");
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Ready"), ==, 1);
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Processing"), ==, 2);
}

static void
rdd_conditions_test_truncate(void)
{
	g_autoptr(GString) exact = g_string_new(NULL);
	g_autoptr(GString) longer = g_string_new(NULL);
	g_autoptr(GString) accents = g_string_new(NULL);
	g_autofree gchar *kept = NULL;
	g_autofree gchar *cut = NULL;
	g_autofree gchar *cut_accents = NULL;
	g_autofree gchar *empty = rdd_conditions_truncate_message(NULL);
	g_autofree gchar *repaired = rdd_conditions_truncate_message("bad \xff byte");
	glong suffix_len = g_utf8_strlen(RDD_CONDITIONS_TEST_SUFFIX, -1);

	for (guint i = 0; i < RDD_CONDITION_MESSAGE_MAX; i++)
		g_string_append_c(exact, 'a');
	kept = rdd_conditions_truncate_message(exact->str);
	g_assert_cmpstr(kept, ==, exact->str);

	/* one character more is cut to the maximum, ending with the marker */
	g_string_append(longer, exact->str);
	g_string_append_c(longer, 'b');
	cut = rdd_conditions_truncate_message(longer->str);
	g_assert_cmpint(g_utf8_strlen(cut, -1), ==, RDD_CONDITION_MESSAGE_MAX);
	g_assert_true(g_str_has_suffix(cut, RDD_CONDITIONS_TEST_SUFFIX));
	g_assert_cmpint(strspn(cut, "a"), ==, RDD_CONDITION_MESSAGE_MAX - suffix_len);

	/* the limit is in characters, and the cut never splits one */
	for (guint i = 0; i < 40000; i++)
		g_string_append(accents, "é");
	cut_accents = rdd_conditions_truncate_message(accents->str);
	g_assert_true(g_utf8_validate(cut_accents, -1, NULL));
	g_assert_cmpint(g_utf8_strlen(cut_accents, -1), ==, RDD_CONDITION_MESSAGE_MAX);
	g_assert_true(g_str_has_suffix(cut_accents, RDD_CONDITIONS_TEST_SUFFIX));

	g_assert_cmpstr(empty, ==, "");
	g_assert_true(g_utf8_validate(repaired, -1, NULL));
	g_assert_cmpstr(repaired, ==, "bad \xef\xbf\xbd byte");
}

static void
rdd_conditions_test_set_truncates(void)
{
	g_autoptr(JsonObject) status = json_object_new();
	g_autofree gchar *huge = g_strnfill(100000, 'x');
	const gchar *stored;

	g_assert_true(rdd_conditions_set_full(status, "Ready", "False", "Failed", huge, 1, RDD_CONDITIONS_TEST_T0));
	stored = rdd_conditions_test_field(status, "Ready", "message");
	g_assert_cmpint(g_utf8_strlen(stored, -1), ==, RDD_CONDITION_MESSAGE_MAX);
	g_assert_true(g_str_has_suffix(stored, RDD_CONDITIONS_TEST_SUFFIX));
	/* setting the same huge message again is no change: it compares the truncated text */
	g_assert_false(rdd_conditions_set_full(status, "Ready", "False", "Failed", huge, 1, RDD_CONDITIONS_TEST_T1));
}

static void
rdd_conditions_test_find(void)
{
	g_autoptr(JsonNode) root = NULL;
	JsonObject *status = rdd_conditions_test_parse(
		"{\"conditions\":[42,\"junk\",{\"status\":\"True\"},"
		"{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Fine\","
		"\"observedGeneration\":7},{\"type\":\"Ready\",\"status\":\"False\"},"
		"{\"type\":\"Synced\",\"status\":\"False\",\"reason\":\"Nope\"}]}",
		&root);

	/* non-objects and conditions without a type are skipped; the first match wins */
	g_assert_nonnull(rdd_conditions_find(status, "Ready"));
	g_assert_cmpstr(rdd_conditions_get_status(status, "Ready"), ==, "True");
	g_assert_cmpstr(rdd_conditions_get_reason(status, "Ready"), ==, "Fine");
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Ready"), ==, 7);
	g_assert_true(rdd_conditions_is_true(status, "Ready"));
	g_assert_false(rdd_conditions_is_true(status, "Synced"));
	g_assert_cmpstr(rdd_conditions_get_reason(status, "Synced"), ==, "Nope");
	/* a condition without observedGeneration */
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Synced"), ==, -1);

	/* missing type, NULL status, NULL type */
	g_assert_null(rdd_conditions_find(status, "Missing"));
	g_assert_null(rdd_conditions_get_status(status, "Missing"));
	g_assert_null(rdd_conditions_get_reason(status, "Missing"));
	g_assert_cmpint(rdd_conditions_get_observed_generation(status, "Missing"), ==, -1);
	g_assert_false(rdd_conditions_is_true(status, "Missing"));
	g_assert_null(rdd_conditions_find(NULL, "Ready"));
	g_assert_null(rdd_conditions_find(status, NULL));
	g_assert_false(rdd_conditions_is_true(NULL, "Ready"));
}

static void
rdd_conditions_test_not_an_array(void)
{
	g_autoptr(JsonNode) root = NULL;
	JsonObject *status = rdd_conditions_test_parse("{\"conditions\":\"junk\",\"other\":1}", &root);
	JsonArray *conditions;

	g_assert_null(rdd_conditions_find(status, "Ready"));
	g_assert_false(rdd_conditions_remove(status, "Ready"));
	/* setting replaces the junk with a proper list */
	g_assert_true(rdd_conditions_set_full(status, "Ready", "True", "R", "m", 1, RDD_CONDITIONS_TEST_T0));
	conditions = json_object_get_array_member(status, "conditions");
	g_assert_cmpuint(json_array_get_length(conditions), ==, 1);
	g_assert_true(rdd_conditions_is_true(status, "Ready"));
	g_assert_cmpint(json_object_get_int_member(status, "other"), ==, 1);
}

static void
rdd_conditions_test_remove(void)
{
	g_autoptr(JsonObject) status = json_object_new();

	g_assert_false(rdd_conditions_remove(NULL, "Ready"));
	g_assert_false(rdd_conditions_remove(status, "Ready"));
	rdd_conditions_set_full(status, "Ready", "True", "A", "a", 1, RDD_CONDITIONS_TEST_T0);
	rdd_conditions_set_full(status, "Synced", "True", "B", "b", 1, RDD_CONDITIONS_TEST_T0);
	g_assert_true(rdd_conditions_remove(status, "Ready"));
	g_assert_false(rdd_conditions_remove(status, "Ready"));
	g_assert_null(rdd_conditions_find(status, "Ready"));
	g_assert_true(rdd_conditions_is_true(status, "Synced"));
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(status, "conditions")), ==, 1);
	/* a removed condition comes back with a fresh transition time */
	g_assert_true(rdd_conditions_set_full(status, "Ready", "True", "A", "a", 1, RDD_CONDITIONS_TEST_T2));
	{
		g_autofree gchar *t2 = rdd_time_format(RDD_CONDITIONS_TEST_T2);
		g_assert_cmpstr(rdd_conditions_test_field(status, "Ready", "lastTransitionTime"), ==, t2);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/conditions/set-new", rdd_conditions_test_set_new);
	g_test_add_func("/rdd/conditions/keep-transition-time", rdd_conditions_test_keep_transition_time);
	g_test_add_func("/rdd/conditions/flip", rdd_conditions_test_flip);
	g_test_add_func("/rdd/conditions/set-now", rdd_conditions_test_set_now);
	g_test_add_func("/rdd/conditions/several-types", rdd_conditions_test_several_types);
	g_test_add_func("/rdd/conditions/truncate", rdd_conditions_test_truncate);
	g_test_add_func("/rdd/conditions/set-truncates", rdd_conditions_test_set_truncates);
	g_test_add_func("/rdd/conditions/find", rdd_conditions_test_find);
	g_test_add_func("/rdd/conditions/not-an-array", rdd_conditions_test_not_an_array);
	g_test_add_func("/rdd/conditions/remove", rdd_conditions_test_remove);
	return g_test_run();
}
