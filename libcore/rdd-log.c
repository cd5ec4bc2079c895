/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rdd-error.h"
#include "rdd-log.h"

static RddLogLevel rdd_log_level = RDD_LOG_LEVEL_WARN;
static gint rdd_log_fd = 2;

/**
 * rdd_log_level_from_string:
 * @text: `trace`, `debug`, `info`, `warn`, `warning`, `error` or `fatal`
 * @level: (out): the level
 * @error: return location for an error
 *
 * Returns: %TRUE when @text names a level
 *
 * Since: 0.1
 */
gboolean
rdd_log_level_from_string(const gchar *text, RddLogLevel *level, GError **error)
{
	static const struct {
		const gchar *name;
		RddLogLevel level;
	} names[] = {
	    {"trace", RDD_LOG_LEVEL_TRACE},
	    {"debug", RDD_LOG_LEVEL_DEBUG},
	    {"info", RDD_LOG_LEVEL_INFO},
	    {"warn", RDD_LOG_LEVEL_WARN},
	    {"warning", RDD_LOG_LEVEL_WARN},
	    {"error", RDD_LOG_LEVEL_ERROR},
	    {"fatal", RDD_LOG_LEVEL_FATAL},
	};
	for (guint i = 0; text != NULL && i < G_N_ELEMENTS(names); i++) {
		if (g_ascii_strcasecmp(text, names[i].name) == 0) {
			*level = names[i].level;
			return TRUE;
		}
	}
	g_set_error(error,
		    RDD_ERROR,
		    RDD_ERROR_INVALID,
		    "not a valid log level: \"%s\" (valid levels: trace, debug, info, warn, error, "
		    "fatal)",
		    text != NULL ? text : "");
	return FALSE;
}

/**
 * rdd_log_level_to_string:
 * @level: a level
 *
 * Returns: its name
 *
 * Since: 0.1
 */
const gchar *
rdd_log_level_to_string(RddLogLevel level)
{
	switch (level) {
	case RDD_LOG_LEVEL_TRACE:
		return "trace";
	case RDD_LOG_LEVEL_DEBUG:
		return "debug";
	case RDD_LOG_LEVEL_INFO:
		return "info";
	case RDD_LOG_LEVEL_WARN:
		return "warning";
	case RDD_LOG_LEVEL_ERROR:
		return "error";
	case RDD_LOG_LEVEL_FATAL:
	default:
		return "fatal";
	}
}

static void
rdd_log_append_quoted(GString *out, const gchar *value)
{
	g_string_append_c(out, '"');
	for (const gchar *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if ((guchar)*p < 0x20)
				g_string_append_printf(out, "\\u%04x", (guchar)*p);
			else
				g_string_append_c(out, *p);
		}
	}
	g_string_append_c(out, '"');
}

/* logfmt as logrus writes it: a value is bare only when made of [A-Za-z0-9-._/@^+] */
static void
rdd_log_append_value(GString *out, const gchar *value)
{
	gboolean quote = value[0] == '\0';
	for (const gchar *p = value; *p != '\0' && !quote; p++)
		quote = !(g_ascii_isalnum(*p) || strchr("-._/@^+", *p) != NULL);
	if (quote)
		rdd_log_append_quoted(out, value);
	else
		g_string_append(out, value);
}

/**
 * rdd_log_format_line:
 * @unix_usec: the time
 * @level: the level name
 * @domain: (nullable): the log domain
 * @message: the message
 *
 * Formats one logfmt line: `time=… level=… [domain=…] msg="…"`, message last, newline at
 * the end.
 *
 * Returns: (transfer full): the line
 *
 * Since: 0.1
 */
gchar *
rdd_log_format_line(gint64 unix_usec, const gchar *level, const gchar *domain, const gchar *message)
{
	g_autoptr(GString) out = g_string_sized_new(128);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_usec / G_USEC_PER_SEC);
	g_autofree gchar *stamp = dt != NULL ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : g_strdup("0");
	g_autofree gchar *valid = g_utf8_make_valid(message != NULL ? message : "", -1);

	{
		g_autofree gchar *when = g_strdup_printf("%s.%03dZ", stamp, (gint)((unix_usec / 1000) % 1000));
		g_string_append(out, "time=");
		rdd_log_append_value(out, when);
		g_string_append_printf(out, " level=%s", level);
	}
	if (domain != NULL && domain[0] != '\0') {
		g_string_append(out, " domain=");
		rdd_log_append_value(out, domain);
	}
	/* the message is always quoted and always last */
	g_string_append(out, " msg=");
	rdd_log_append_quoted(out, valid);
	g_string_append_c(out, '\n');
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static RddLogLevel
rdd_log_level_of(GLogLevelFlags flags)
{
	if (flags & G_LOG_LEVEL_ERROR)
		return RDD_LOG_LEVEL_FATAL;
	if (flags & G_LOG_LEVEL_CRITICAL)
		return RDD_LOG_LEVEL_ERROR;
	if (flags & G_LOG_LEVEL_WARNING)
		return RDD_LOG_LEVEL_WARN;
	if (flags & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
		return RDD_LOG_LEVEL_INFO;
	return RDD_LOG_LEVEL_DEBUG;
}

static GLogWriterOutput
rdd_log_writer(GLogLevelFlags flags, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	const gchar *message = NULL, *domain = NULL;
	RddLogLevel level = rdd_log_level_of(flags);
	g_autofree gchar *line = NULL;
	gsize len, done = 0;

	if (level < rdd_log_level)
		return G_LOG_WRITER_HANDLED;
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
		else if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = fields[i].value;
	}
	line = rdd_log_format_line(g_get_real_time(), rdd_log_level_to_string(level), domain, message);
	len = strlen(line);
	while (done < len) {
		gssize n = write(rdd_log_fd, line + done, len - done);
		if (n <= 0)
			return G_LOG_WRITER_UNHANDLED;
		done += n;
	}
	return G_LOG_WRITER_HANDLED;
}

/**
 * rdd_log_install:
 * @level: the lowest level written
 * @fd: where lines go, normally 2 (stderr)
 *
 * Routes every GLib log message of the process through the logfmt writer.
 *
 * Since: 0.1
 */
void
rdd_log_install(RddLogLevel level, gint fd)
{
	rdd_log_level = level;
	rdd_log_fd = fd;
	g_log_set_writer_func(rdd_log_writer, NULL, NULL);
}

/**
 * rdd_log_set_level:
 * @level: the lowest level written
 *
 * Since: 0.1
 */
void
rdd_log_set_level(RddLogLevel level)
{
	rdd_log_level = level;
}

/**
 * rdd_log_get_level:
 *
 * Returns: the lowest level written
 *
 * Since: 0.1
 */
RddLogLevel
rdd_log_get_level(void)
{
	return rdd_log_level;
}
