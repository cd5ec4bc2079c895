/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-core.h"
#include "rdd-api-server.h"
#include "rdd-dbus.h"
#include "rdd-plugin-loader.h"

G_BEGIN_DECLS

#define RDD_TYPE_DAEMON (rdd_daemon_get_type())
G_DECLARE_FINAL_TYPE(RddDaemon, rdd_daemon, RDD, DAEMON, GObject)

/**
 * RDD_DAEMON_SYSTEM_NAMESPACE:
 *
 * The namespace of the daemon's own bookkeeping.
 */
#define RDD_DAEMON_SYSTEM_NAMESPACE "rdd-system"

RddDaemon *
rdd_daemon_new(RddInstance *instance);
void
rdd_daemon_set_controllers(RddDaemon *self, const gchar *spec);
const gchar *
rdd_daemon_get_controllers(RddDaemon *self);
void
rdd_daemon_add_plugin_dir(RddDaemon *self, const gchar *dir);
void
rdd_daemon_set_persistent(RddDaemon *self, gboolean persistent);
void
rdd_daemon_set_secure_port(RddDaemon *self, guint port);
void
rdd_daemon_set_serve_api(RddDaemon *self, gboolean serve);
void
rdd_daemon_set_serve_dbus(RddDaemon *self, gboolean serve);
RddDbus *
rdd_daemon_get_dbus(RddDaemon *self);
RddApiServer *
rdd_daemon_get_api_server(RddDaemon *self);
RddInstance *
rdd_daemon_get_instance(RddDaemon *self);
RddStore *
rdd_daemon_get_store(RddDaemon *self);
RddPluginLoader *
rdd_daemon_get_loader(RddDaemon *self);
GPtrArray *
rdd_daemon_get_controllers_running(RddDaemon *self);
gint64
rdd_daemon_get_start_time(RddDaemon *self);

gboolean
rdd_daemon_start(RddDaemon *self, GError **error);
gboolean
rdd_daemon_is_idle(RddDaemon *self);
gboolean
rdd_daemon_settle(RddDaemon *self, guint timeout_ms);
void
rdd_daemon_stop(RddDaemon *self);

G_END_DECLS
