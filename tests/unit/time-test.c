/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-time.h"

#define RDD_TEST_SEC G_GINT64_CONSTANT(1000000)
#define RDD_TEST_MIN (60 * RDD_TEST_SEC)
#define RDD_TEST_HOUR (60 * RDD_TEST_MIN)
#define RDD_TEST_DAY (24 * RDD_TEST_HOUR)

static void
rdd_time_test_format(void)
{
	struct {
		gint64 usec;
		const gchar *expected;
	} cases[] = {
		{0, "1970-01-01T00:00:00Z"},
		{1795609800 * RDD_TEST_SEC, "2026-11-25T12:30:00Z"},
		{1795609800 * RDD_TEST_SEC + 999999, "2026-11-25T12:30:00Z"},
		{1709164800 * RDD_TEST_SEC, "2024-02-29T00:00:00Z"},
		{1709164800 * RDD_TEST_SEC - 1, "2024-02-28T23:59:59Z"},
		{951868800 * RDD_TEST_SEC - RDD_TEST_DAY, "2000-02-29T00:00:00Z"},
		{4107542400 * RDD_TEST_SEC - RDD_TEST_DAY, "2100-02-28T00:00:00Z"},
		{-1, "1969-12-31T23:59:59Z"},
		{-RDD_TEST_SEC, "1969-12-31T23:59:59Z"},
		{-RDD_TEST_SEC - 1, "1969-12-31T23:59:58Z"},
		{-14182940 * RDD_TEST_SEC, "1969-07-20T20:17:40Z"},
		{-2208988800 * RDD_TEST_SEC, "1900-01-01T00:00:00Z"},
		{-62135596800 * RDD_TEST_SEC, "0001-01-01T00:00:00Z"},
		{253402300799 * RDD_TEST_SEC, "9999-12-31T23:59:59Z"},
		/* out of range: clamped */
		{253402300800 * RDD_TEST_SEC, "9999-12-31T23:59:59Z"},
		{G_MAXINT64, "9999-12-31T23:59:59Z"},
		{-62135596801 * RDD_TEST_SEC, "0001-01-01T00:00:00Z"},
		{G_MININT64, "0001-01-01T00:00:00Z"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *text = rdd_time_format(cases[i].usec);
		g_assert_cmpstr(text, ==, cases[i].expected);
	}
}

static void
rdd_time_test_format_now(void)
{
	gint64 before = g_get_real_time();
	g_autofree gchar *text = rdd_time_format_now();
	gint64 after = g_get_real_time();
	gint64 parsed = 0;
	g_autoptr(GError) error = NULL;

	g_assert_cmpuint(strlen(text), ==, 20);
	g_assert_true(g_str_has_suffix(text, "Z"));
	g_assert_true(rdd_time_parse(text, &parsed, &error));
	g_assert_no_error(error);
	g_assert_cmpint(parsed, >=, before - before % RDD_TEST_SEC - RDD_TEST_SEC);
	g_assert_cmpint(parsed, <=, after);
}

static void
rdd_time_test_parse(void)
{
	struct {
		const gchar *text;
		gint64 usec;
	} cases[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"2026-11-25T12:30:00Z", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25t12:30:00z", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25 12:30:00Z", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T13:30:00+01:00", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T13:30:00+0100", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T13:30:00+01", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T07:00:00-05:30", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T12:30:00+00:00", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T12:30:00-00:00", 1795609800 * RDD_TEST_SEC},
		{"2026-11-26T00:30:00+12:00", 1795609800 * RDD_TEST_SEC},
		{"2026-11-24T23:30:00-13:00", 1795609800 * RDD_TEST_SEC},
		{"2026-11-25T12:30:00.5Z", 1795609800 * RDD_TEST_SEC + 500000},
		{"2026-11-25T12:30:00,25Z", 1795609800 * RDD_TEST_SEC + 250000},
		{"2026-11-25T12:30:00.000001Z", 1795609800 * RDD_TEST_SEC + 1},
		{"2026-11-25T12:30:00.123456789Z", 1795609800 * RDD_TEST_SEC + 123456},
		{"2026-11-25T12:30:00.999999999999Z", 1795609800 * RDD_TEST_SEC + 999999},
		{"2026-11-25T13:30:00.75+01:00", 1795609800 * RDD_TEST_SEC + 750000},
		{"2024-02-29T00:00:00Z", 1709164800 * RDD_TEST_SEC},
		{"2000-02-29T00:00:00Z", 951868800 * RDD_TEST_SEC - RDD_TEST_DAY},
		{"1969-12-31T23:59:59Z", -RDD_TEST_SEC},
		{"1969-12-31T23:59:59.5Z", -RDD_TEST_SEC + 500000},
		{"1969-07-20T20:17:40Z", -14182940 * RDD_TEST_SEC},
		{"0001-01-01T00:00:00Z", -62135596800 * RDD_TEST_SEC},
		{"9999-12-31T23:59:59Z", 253402300799 * RDD_TEST_SEC},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint64 usec = -42;
		g_test_message("%s", cases[i].text);
		g_assert_true(rdd_time_parse(cases[i].text, &usec, &error));
		g_assert_no_error(error);
		g_assert_cmpint(usec, ==, cases[i].usec);
	}

	/* the out argument is optional, and format(parse(x)) == x for the canonical form */
	g_assert_true(rdd_time_parse("2026-11-25T12:30:00Z", NULL, NULL));
	for (gint64 t = -3 * RDD_TEST_DAY; t < 400 * RDD_TEST_DAY * 40;
	     t += 7 * RDD_TEST_DAY + 3 * RDD_TEST_HOUR + 11 * RDD_TEST_MIN + 13 * RDD_TEST_SEC) {
		g_autofree gchar *text = rdd_time_format(t);
		gint64 back = 0;
		g_assert_true(rdd_time_parse(text, &back, NULL));
		g_assert_cmpint(back, ==, t);
	}
}

static void
rdd_time_test_parse_reject(void)
{
	struct {
		const gchar *text;
		const gchar *message;
	} cases[] = {
		{"", "invalid time \"\": expected an RFC 3339 date and time like 2026-11-25T12:30:00Z"},
		{"abc", "invalid time \"abc\": expected an RFC 3339 date and time"},
		{"2026-11-25", "invalid time \"2026-11-25\": expected 'T' and a time of day"},
		{"2026/11/25T12:30:00Z", "expected an RFC 3339 date and time"},
		{"26-11-25T12:30:00Z", "expected an RFC 3339 date and time"},
		{"2026-1-25T12:30:00Z", "expected an RFC 3339 date and time"},
		{"2026-11-25X12:30:00Z", "expected 'T' and a time of day after the date"},
		{"2026-11-25T12:30Z", "expected a time of day HH:MM:SS"},
		{"2026-11-25T12:30:0Z", "expected a time of day HH:MM:SS"},
		{"2026-11-25T12:30:00", "invalid time \"2026-11-25T12:30:00\": a time zone is required, 'Z' for UTC or an "
					"offset like +01:00"},
		{"2026-11-25T12:30:00.Z", "expected digits after the decimal point"},
		{"2026-11-25T12:30:00 Z", "expected 'Z' or a zone offset like +01:00"},
		{"2026-11-25T12:30:00UTC", "expected 'Z' or a zone offset like +01:00"},
		{"2026-11-25T12:30:00+1:00", "expected a zone offset like +01:00"},
		{"2026-11-25T12:30:00+01:0", "expected a zone offset like +01:00"},
		{"2026-11-25T12:30:00+01:", "expected a zone offset like +01:00"},
		{"2026-11-25T12:30:00+24:00", "the zone offset is out of range"},
		{"2026-11-25T12:30:00+01:60", "the zone offset is out of range"},
		{"2026-11-25T12:30:00Z ", "unexpected text after the time zone"},
		{"2026-11-25T12:30:00Zjunk", "unexpected text after the time zone"},
		{"2026-11-25T12:30:00+01:00:00", "unexpected text after the time zone"},
		{"2026-13-01T00:00:00Z", "the month is out of range"},
		{"2026-00-01T00:00:00Z", "the month is out of range"},
		{"2026-02-29T00:00:00Z", "the day is out of range for the month"},
		{"2100-02-29T00:00:00Z", "the day is out of range for the month"},
		{"2026-11-31T00:00:00Z", "the day is out of range for the month"},
		{"2026-11-00T00:00:00Z", "the day is out of range for the month"},
		{"2026-11-25T24:00:00Z", "the hour is out of range"},
		{"2026-11-25T12:60:00Z", "the minute is out of range"},
		{"2026-11-25T12:30:60Z", "the second is out of range"},
		{"2026-11-25T12:30:00\xff", "invalid time \"2026-11-25T12:30:00\\xff\""},
		{"2026-11-25T12:30:00\n", "invalid time \"2026-11-25T12:30:00\\x0a\""},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint64 usec = 42;
		g_assert_false(rdd_time_parse(cases[i].text, &usec, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_cmpint(usec, ==, 42);
	}
}

static void
rdd_time_test_duration(void)
{
	struct {
		const gchar *text;
		gint64 usec;
	} cases[] = {
		{"0", 0},
		{"+0", 0},
		{"-0", 0},
		{"0s", 0},
		{"300ms", 300000},
		{"1.5h", 90 * RDD_TEST_MIN},
		{"2h45m", 2 * RDD_TEST_HOUR + 45 * RDD_TEST_MIN},
		{"10s", 10 * RDD_TEST_SEC},
		{"-10s", -10 * RDD_TEST_SEC},
		{"+10s", 10 * RDD_TEST_SEC},
		{"-1.5h", -90 * RDD_TEST_MIN},
		{"1ns", 0},
		{"999ns", 0},
		{"1000ns", 1},
		{"1us", 1},
		{"1\xc2\xb5s", 1},
		{"1\xce\xbcs", 1},
		{"1ms", 1000},
		{"1m", RDD_TEST_MIN},
		{"1h1m1s1ms1us1000ns", RDD_TEST_HOUR + RDD_TEST_MIN + RDD_TEST_SEC + 1000 + 1 + 1},
		{"1s1s", 2 * RDD_TEST_SEC},
		{".5s", 500000},
		{"1.s", RDD_TEST_SEC},
		{"0.000001s", 1},
		{"1.0000000000000000000001s", RDD_TEST_SEC},
		{"0.1234567891234567891234s", 123456},
		{"00010s", 10 * RDD_TEST_SEC},
		{"2562047h", G_GINT64_CONSTANT(2562047) * RDD_TEST_HOUR},
		{"9223372036854775807ns", G_GINT64_CONSTANT(9223372036854775)},
		{"-9223372036854775808ns", -G_GINT64_CONSTANT(9223372036854775)},
		{"2562047h47m16.854775807s", G_GINT64_CONSTANT(9223372036854775)},
	};
	struct {
		const gchar *text;
		const gchar *message;
	} errors[] = {
		{"", "invalid duration \"\": expected numbers with units, like 300ms"},
		{"-", "invalid duration \"-\""},
		{"+", "invalid duration \"+\""},
		{".", "invalid duration \".\""},
		{".s", "invalid duration \".s\""},
		{"s", "invalid duration \"s\""},
		{"h1", "invalid duration \"h1\""},
		{"--1s", "invalid duration \"--1s\""},
		{"1h-2m", "unknown unit \"h-\" in duration \"1h-2m\""},
		{"5", "missing unit in duration \"5\""},
		{"-5", "missing unit in duration \"-5\""},
		{"1.5", "missing unit in duration \"1.5\""},
		{"1h30", "missing unit in duration \"1h30\""},
		{"00", "missing unit in duration \"00\""},
		{"5x", "unknown unit \"x\" in duration \"5x\""},
		{"1hh", "unknown unit \"hh\" in duration \"1hh\""},
		{"1 s", "unknown unit \" s\" in duration \"1 s\""},
		{"1S", "unknown unit \"S\" in duration \"1S\""},
		{"1d", "unknown unit \"d\" in duration \"1d\""},
		{"1\xff", "unknown unit \"\\xff\" in duration \"1\\xff\""},
		{"2562048h", "invalid duration \"2562048h\": out of range"},
		{"9223372036854775808ns", "invalid duration \"9223372036854775808ns\": out of range"},
		{"-9223372036854775809ns", "out of range"},
		{"99999999999999999999s", "out of range"},
		{"2562047h47m16.854775808s", "out of range"},
		{"2562047h2562047h", "out of range"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint64 usec = 42;
		g_test_message("%s", cases[i].text);
		g_assert_true(rdd_time_parse_duration(cases[i].text, &usec, &error));
		g_assert_no_error(error);
		g_assert_cmpint(usec, ==, cases[i].usec);
	}
	g_assert_true(rdd_time_parse_duration("1s", NULL, NULL));

	for (guint i = 0; i < G_N_ELEMENTS(errors); i++) {
		g_autoptr(GError) error = NULL;
		gint64 usec = 42;
		g_assert_false(rdd_time_parse_duration(errors[i].text, &usec, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, errors[i].message));
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_cmpint(usec, ==, 42);
	}
}

static void
rdd_time_test_age(void)
{
	struct {
		gint64 usec;
		const gchar *expected;
	} cases[] = {
		{G_MININT64, "0s"},
		{-5 * RDD_TEST_SEC, "0s"},
		{-1, "0s"},
		{0, "0s"},
		{1, "0s"},
		{RDD_TEST_SEC / 2, "0s"},
		{RDD_TEST_SEC, "1s"},
		{59 * RDD_TEST_SEC, "59s"},
		{119 * RDD_TEST_SEC + 999999, "119s"},
		{120 * RDD_TEST_SEC, "2m"},
		{121 * RDD_TEST_SEC, "2m1s"},
		{9 * RDD_TEST_MIN + 59 * RDD_TEST_SEC, "9m59s"},
		{5 * RDD_TEST_MIN, "5m"},
		{10 * RDD_TEST_MIN, "10m"},
		{10 * RDD_TEST_MIN + 5 * RDD_TEST_SEC, "10m"},
		{3 * RDD_TEST_HOUR - RDD_TEST_SEC, "179m"},
		{3 * RDD_TEST_HOUR, "3h"},
		{3 * RDD_TEST_HOUR + 30 * RDD_TEST_MIN, "3h30m"},
		{7 * RDD_TEST_HOUR + 59 * RDD_TEST_MIN + 59 * RDD_TEST_SEC, "7h59m"},
		{8 * RDD_TEST_HOUR, "8h"},
		{8 * RDD_TEST_HOUR + 59 * RDD_TEST_MIN, "8h"},
		{47 * RDD_TEST_HOUR + 59 * RDD_TEST_MIN, "47h"},
		{48 * RDD_TEST_HOUR, "2d"},
		{49 * RDD_TEST_HOUR, "2d1h"},
		{8 * RDD_TEST_DAY - RDD_TEST_HOUR, "7d23h"},
		{8 * RDD_TEST_DAY, "8d"},
		{8 * RDD_TEST_DAY + 23 * RDD_TEST_HOUR, "8d"},
		{729 * RDD_TEST_DAY + 23 * RDD_TEST_HOUR, "729d"},
		{730 * RDD_TEST_DAY, "2y"},
		{731 * RDD_TEST_DAY, "2y1d"},
		{3 * 365 * RDD_TEST_DAY + 364 * RDD_TEST_DAY, "3y364d"},
		{8 * 365 * RDD_TEST_DAY - RDD_TEST_DAY, "7y364d"},
		{8 * 365 * RDD_TEST_DAY, "8y"},
		{3000 * RDD_TEST_DAY, "8y"},
		{100 * 365 * RDD_TEST_DAY + 100 * RDD_TEST_DAY, "100y"},
		{G_MAXINT64, "292471y"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *text = rdd_time_format_age(cases[i].usec);
		g_assert_cmpstr(text, ==, cases[i].expected);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/time/format", rdd_time_test_format);
	g_test_add_func("/rdd/time/format-now", rdd_time_test_format_now);
	g_test_add_func("/rdd/time/parse", rdd_time_test_parse);
	g_test_add_func("/rdd/time/parse-reject", rdd_time_test_parse_reject);
	g_test_add_func("/rdd/time/duration", rdd_time_test_duration);
	g_test_add_func("/rdd/time/age", rdd_time_test_age);
	return g_test_run();
}
