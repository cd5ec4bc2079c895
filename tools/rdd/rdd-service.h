/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-core.h"

G_BEGIN_DECLS

/**
 * RddServiceProgressFunc:
 * @phase: what is being waited for, e.g. `waiting for the API server`
 * @elapsed_usec: time since the wait began
 * @user_data: user data
 */
typedef void (*RddServiceProgressFunc)(const gchar *phase, gint64 elapsed_usec, gpointer user_data);

gboolean
rdd_service_is_created(RddInstance *instance);
gboolean
rdd_service_is_running(RddInstance *instance, gint *pid);
gboolean
rdd_service_create(RddInstance *instance,
		   const gchar *controllers,
		   guint secure_port,
		   GError **error);
gchar **
rdd_service_load_args(RddInstance *instance, GError **error);
gboolean
rdd_service_spawn(RddInstance *instance,
		  const gchar *const *overrides,
		  RddLogLevel level,
		  GPid *pid,
		  GError **error);
gboolean
rdd_service_wait_ready(RddInstance *instance,
		       GPid spawned,
		       gint64 timeout_usec,
		       RddServiceProgressFunc progress,
		       gpointer user_data,
		       GError **error);
gboolean
rdd_service_stop(RddInstance *instance,
		 gboolean wait,
		 gint64 timeout_usec,
		 RddServiceProgressFunc progress,
		 gpointer user_data,
		 GError **error);
gboolean
rdd_service_delete_files(RddInstance *instance, GError **error);
gboolean
rdd_service_rotate_log(const gchar *dir, const gchar *name, GError **error);
gchar *
rdd_service_find_daemon(GError **error);
gchar *
rdd_service_tail(const gchar *path, guint lines);

G_END_DECLS
