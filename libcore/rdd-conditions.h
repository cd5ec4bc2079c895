/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * RDD_CONDITION_MESSAGE_MAX:
 *
 * The longest condition message, in characters; longer messages are cut and end with
 * `… (truncated)`.
 *
 * Since: 0.1
 */
#define RDD_CONDITION_MESSAGE_MAX 32768

gboolean
rdd_conditions_set(JsonObject *status,
		   const gchar *type,
		   const gchar *condition_status,
		   const gchar *reason,
		   const gchar *message,
		   gint64 observed_generation);
gboolean
rdd_conditions_set_full(JsonObject *status,
			const gchar *type,
			const gchar *condition_status,
			const gchar *reason,
			const gchar *message,
			gint64 observed_generation,
			gint64 now_usec);
JsonObject *
rdd_conditions_find(JsonObject *status, const gchar *type);
const gchar *
rdd_conditions_get_status(JsonObject *status, const gchar *type);
const gchar *
rdd_conditions_get_reason(JsonObject *status, const gchar *type);
gint64
rdd_conditions_get_observed_generation(JsonObject *status, const gchar *type);
gboolean
rdd_conditions_is_true(JsonObject *status, const gchar *type);
gboolean
rdd_conditions_remove(JsonObject *status, const gchar *type);
gchar *
rdd_conditions_truncate_message(const gchar *message);

G_END_DECLS
