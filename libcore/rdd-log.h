/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RddLogLevel:
 * @RDD_LOG_LEVEL_TRACE: everything, including trace output
 * @RDD_LOG_LEVEL_DEBUG: debug and above
 * @RDD_LOG_LEVEL_INFO: informational messages and above
 * @RDD_LOG_LEVEL_WARN: warnings and errors (the default)
 * @RDD_LOG_LEVEL_ERROR: errors only
 * @RDD_LOG_LEVEL_FATAL: only fatal errors
 *
 * Log levels, named as the reference's `--log-level` accepts them.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_LOG_LEVEL_TRACE,
	RDD_LOG_LEVEL_DEBUG,
	RDD_LOG_LEVEL_INFO,
	RDD_LOG_LEVEL_WARN,
	RDD_LOG_LEVEL_ERROR,
	RDD_LOG_LEVEL_FATAL,
} RddLogLevel;

gboolean
rdd_log_level_from_string(const gchar *text, RddLogLevel *level, GError **error);
const gchar *
rdd_log_level_to_string(RddLogLevel level);
void
rdd_log_install(RddLogLevel level, gint fd);
void
rdd_log_set_level(RddLogLevel level);
RddLogLevel
rdd_log_get_level(void);
gchar *
rdd_log_format_line(gint64 unix_usec,
		    const gchar *level,
		    const gchar *domain,
		    const gchar *message);

G_END_DECLS
