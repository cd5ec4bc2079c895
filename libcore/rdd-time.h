/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *
rdd_time_format(gint64 unix_usec);
gchar *
rdd_time_format_now(void);
gboolean
rdd_time_parse(const gchar *text, gint64 *unix_usec, GError **error);
gboolean
rdd_time_parse_duration(const gchar *text, gint64 *usec, GError **error);
gchar *
rdd_time_format_age(gint64 usec);

G_END_DECLS
