/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gio/gio.h>

#include "rdd-core.h"
#include "rdd-plugin-loader.h"

G_BEGIN_DECLS

#define RDD_TYPE_DBUS (rdd_dbus_get_type())
G_DECLARE_FINAL_TYPE(RddDbus, rdd_dbus, RDD, DBUS, GObject)

/**
 * RDD_DBUS_INTERFACE:
 *
 * The D-Bus interface of the daemon, described by `schemas/io.rancherdesktop.Rdd1.xml`.
 *
 * Since: 0.1
 */
#define RDD_DBUS_INTERFACE "io.rancherdesktop.Rdd1"

/**
 * RDD_DBUS_OBJECT_PATH:
 *
 * The one object the daemon exports.
 *
 * Since: 0.1
 */
#define RDD_DBUS_OBJECT_PATH "/io/rancherdesktop/Rdd1"

/**
 * RDD_DBUS_NAME_PREFIX:
 *
 * The well-known name of an instance is this prefix followed by the instance suffix, see
 * rdd_dbus_dup_bus_name().
 *
 * Since: 0.1
 */
#define RDD_DBUS_NAME_PREFIX "io.rancherdesktop.Rdd1.Instance_"

RddDbus *rdd_dbus_new(RddStore *store, RddInstance *instance, RddPluginLoader *loader);
void rdd_dbus_set_controllers(RddDbus *self, const gchar *spec);
gboolean rdd_dbus_start(RddDbus *self, GError **error);
void rdd_dbus_stop(RddDbus *self);
const gchar *rdd_dbus_get_bus_name(RddDbus *self);
GDBusConnection *rdd_dbus_get_connection(RddDbus *self);
gboolean rdd_dbus_is_name_owned(RddDbus *self);

gchar *rdd_dbus_dup_bus_name(const gchar *suffix);
GDBusNodeInfo *rdd_dbus_load_node_info(GError **error);
gboolean rdd_dbus_check_interface(GDBusInterfaceInfo *info, GError **error);

G_END_DECLS
