/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-cli.h"

G_BEGIN_DECLS

typedef enum {
	RDD_WATCH_CONTINUE,
	RDD_WATCH_DONE,
	RDD_WATCH_FAILED,
} RddWatchResult;

/**
 * RddWatchFunc:
 * @object: (nullable): the object's current state, %NULL when it does not exist
 * @event: `LIST` for the state read by a (re)list, else the watch event type
 * @user_data: user data
 * @error: return location for an error, with %RDD_WATCH_FAILED
 */
typedef RddWatchResult (*RddWatchFunc)(JsonNode *object, const gchar *event, gpointer user_data, GError **error);
typedef void (*RddWatchProgress)(gint64 elapsed_usec, gpointer user_data);

gboolean
rdd_watch_object(RddCli *cli,
		 const gchar *collection,
		 const gchar *object_path,
		 const gchar *name,
		 gint64 timeout_usec,
		 RddWatchFunc func,
		 RddWatchProgress progress,
		 gpointer user_data,
		 GError **error);

G_END_DECLS
