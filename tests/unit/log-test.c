/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-error.h"
#include "rdd-log.h"

#define RDD_LOG_TEST_T0 (G_GINT64_CONSTANT(1795609800) * G_USEC_PER_SEC)

static void
rdd_log_test_format_line(void)
{
	struct {
		gint64 usec;
		const gchar *level;
		const gchar *domain;
		const gchar *message;
		const gchar *expected;
	} cases[] = {
		{0, "info", "RddCore", "hello",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=RddCore msg=\"hello\"\n"},
		/* milliseconds, truncated */
		{RDD_LOG_TEST_T0 + 123999, "warning", "RddDaemon", "x",
		 "time=\"2026-11-25T12:30:00.123Z\" level=warning domain=RddDaemon msg=\"x\"\n"},
		{RDD_LOG_TEST_T0 + 999, "error", "D", "x",
		 "time=\"2026-11-25T12:30:00.000Z\" level=error domain=D msg=\"x\"\n"},
		/* no domain: no field */
		{0, "debug", NULL, "m", "time=\"1970-01-01T00:00:00.000Z\" level=debug msg=\"m\"\n"},
		{0, "debug", "", "m", "time=\"1970-01-01T00:00:00.000Z\" level=debug msg=\"m\"\n"},
		/* logfmt as logrus writes it: a value is bare only when made of [A-Za-z0-9-._/@^+] */
		{0, "info", "Plugin-Demo_2.x/@^+", "m",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=Plugin-Demo_2.x/@^+ msg=\"m\"\n"},
		{0, "info", "a:b", "m", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=\"a:b\" msg=\"m\"\n"},
		{0, "info", "my domain", "m",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=\"my domain\" msg=\"m\"\n"},
		{0, "info", "a=b", "m", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=\"a=b\" msg=\"m\"\n"},
		{0, "info", "q\"", "m", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=\"q\\\"\" msg=\"m\"\n"},
		/* the message: always quoted, always last, escaped */
		{0, "info", "D", "", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"\"\n"},
		{0, "info", "D", NULL, "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"\"\n"},
		{0, "info", "D", "say \"hi\"",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"say \\\"hi\\\"\"\n"},
		{0, "info", "D", "a\\b", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"a\\\\b\"\n"},
		{0, "info", "D", "two\nlines\r\n",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"two\\nlines\\r\\n\"\n"},
		{0, "info", "D", "tab\there", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"tab\\there\"\n"},
		{0, "info", "D",
		 "bell\x07"
		 "esc\x1b",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"bell\\u0007esc\\u001b\"\n"},
		{0, "info", "D", "key=value level=fatal",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"key=value level=fatal\"\n"},
		{0, "info", "D", "café ✓", "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"café ✓\"\n"},
		/* invalid UTF-8 is repaired */
		{0, "info", "D", "bad \xff!",
		 "time=\"1970-01-01T00:00:00.000Z\" level=info domain=D msg=\"bad \xef\xbf\xbd!\"\n"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *line = rdd_log_format_line(cases[i].usec, cases[i].level,
							     cases[i].domain, cases[i].message);
		g_assert_cmpstr(line, ==, cases[i].expected);
	}
}

static void
rdd_log_test_one_line(void)
{
	g_autofree gchar *line = rdd_log_format_line(RDD_LOG_TEST_T0, "info", "D", "many\nlines\nhere\n");
	const gchar *msg = g_strrstr(line, " msg=\"");

	/* a line is one line, whatever the message holds, and msg= is its last field */
	g_assert_nonnull(msg);
	g_assert_true(strchr(line, '\n') == line + strlen(line) - 1);
	g_assert_true(g_str_has_suffix(line, "\"\n"));
	g_assert_null(strstr(msg + 1, " level="));
	g_assert_true(g_str_has_prefix(line, "time=\"2026-11-25T12:30:00.000Z\" level=info "));
}

static void
rdd_log_test_level_from_string(void)
{
	struct {
		const gchar *text;
		RddLogLevel level;
	} cases[] = {
		{"trace", RDD_LOG_LEVEL_TRACE},	 {"debug", RDD_LOG_LEVEL_DEBUG},
		{"info", RDD_LOG_LEVEL_INFO},	 {"warn", RDD_LOG_LEVEL_WARN},
		{"warning", RDD_LOG_LEVEL_WARN}, {"error", RDD_LOG_LEVEL_ERROR},
		{"fatal", RDD_LOG_LEVEL_FATAL},	 {"INFO", RDD_LOG_LEVEL_INFO},
		{"Warn", RDD_LOG_LEVEL_WARN},	 {"DeBuG", RDD_LOG_LEVEL_DEBUG},
	};
	const gchar *bad[] = {"verbose",    "",	 "info ", " info",
			      "warn,error", "3", "inf",	  "fatality"};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		RddLogLevel level = (RddLogLevel)-1;
		g_assert_true(rdd_log_level_from_string(cases[i].text, &level, &error));
		g_assert_no_error(error);
		g_assert_cmpint(level, ==, cases[i].level);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *quoted = g_strdup_printf("\"%s\"", bad[i]);
		RddLogLevel level = RDD_LOG_LEVEL_ERROR;
		g_assert_false(rdd_log_level_from_string(bad[i], &level, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		/* the message names the offending value and the valid ones */
		g_assert_nonnull(strstr(error->message, quoted));
		g_assert_nonnull(strstr(error->message, "trace, debug, info, warn, error, fatal"));
		/* and the output is left alone */
		g_assert_cmpint(level, ==, RDD_LOG_LEVEL_ERROR);
	}
	{
		g_autoptr(GError) error = NULL;
		RddLogLevel level = RDD_LOG_LEVEL_ERROR;
		g_assert_false(rdd_log_level_from_string(NULL, &level, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	}
}

static void
rdd_log_test_level_to_string(void)
{
	struct {
		RddLogLevel level;
		const gchar *name;
	} cases[] = {
		{RDD_LOG_LEVEL_TRACE, "trace"}, {RDD_LOG_LEVEL_DEBUG, "debug"},
		{RDD_LOG_LEVEL_INFO, "info"},	{RDD_LOG_LEVEL_WARN, "warning"},
		{RDD_LOG_LEVEL_ERROR, "error"}, {RDD_LOG_LEVEL_FATAL, "fatal"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		RddLogLevel back = (RddLogLevel)-1;
		g_assert_cmpstr(rdd_log_level_to_string(cases[i].level), ==, cases[i].name);
		/* every name parses back */
		g_assert_true(rdd_log_level_from_string(cases[i].name, &back, &error));
		g_assert_cmpint(back, ==, cases[i].level);
	}
}

static void
rdd_log_test_set_level(void)
{
	RddLogLevel old = rdd_log_get_level();
	rdd_log_set_level(RDD_LOG_LEVEL_DEBUG);
	g_assert_cmpint(rdd_log_get_level(), ==, RDD_LOG_LEVEL_DEBUG);
	rdd_log_set_level(RDD_LOG_LEVEL_FATAL);
	g_assert_cmpint(rdd_log_get_level(), ==, RDD_LOG_LEVEL_FATAL);
	rdd_log_set_level(old);
}

/* the writer is process-wide and can be installed once: each case runs in a subprocess */
static void
rdd_log_test_writer_info(void)
{
	if (g_test_subprocess()) {
		rdd_log_install(RDD_LOG_LEVEL_INFO, 2);
		g_assert_cmpint(rdd_log_get_level(), ==, RDD_LOG_LEVEL_INFO);
		g_info("hello %s", "world");
		g_message("a \"quoted\" message");
		g_debug("hidden debug");
		g_log("Other", G_LOG_LEVEL_INFO, "from another domain");
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("time=\"*Z\" level=info domain=RddTest msg=\"hello world\"\n"
				  "time=\"*Z\" level=info domain=RddTest msg=\"a \\\"quoted\\\" message\"\n"
				  "time=\"*Z\" level=info domain=Other msg=\"from another domain\"\n");
	g_test_trap_assert_stderr_unmatched("*hidden debug*");
}

static void
rdd_log_test_writer_warn(void)
{
	if (g_test_subprocess()) {
		rdd_log_install(RDD_LOG_LEVEL_WARN, 2);
		g_info("not shown");
		g_message("not shown either");
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr_unmatched("*not shown*");
}

static void
rdd_log_test_writer_debug(void)
{
	if (g_test_subprocess()) {
		rdd_log_install(RDD_LOG_LEVEL_DEBUG, 2);
		g_debug("shown debug");
		/* the level can change after installation */
		rdd_log_set_level(RDD_LOG_LEVEL_ERROR);
		g_info("not shown");
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("time=\"*Z\" level=debug domain=RddTest msg=\"shown debug\"\n");
	g_test_trap_assert_stderr_unmatched("*not shown*");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rdd/log/format-line", rdd_log_test_format_line);
	g_test_add_func("/rdd/log/one-line", rdd_log_test_one_line);
	g_test_add_func("/rdd/log/level-from-string", rdd_log_test_level_from_string);
	g_test_add_func("/rdd/log/level-to-string", rdd_log_test_level_to_string);
	g_test_add_func("/rdd/log/set-level", rdd_log_test_set_level);
	g_test_add_func("/rdd/log/writer-info", rdd_log_test_writer_info);
	g_test_add_func("/rdd/log/writer-warn", rdd_log_test_writer_warn);
	g_test_add_func("/rdd/log/writer-debug", rdd_log_test_writer_debug);
	return g_test_run();
}
