/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RDD_TYPE_INSTANCE (rdd_instance_get_type())
G_DECLARE_FINAL_TYPE(RddInstance, rdd_instance, RDD, INSTANCE, GObject)

/**
 * RDD_INSTANCE_DEFAULT:
 *
 * The instance suffix used when neither `--instance` nor `RDD_INSTANCE` names one.
 *
 * Since: 0.1
 */
#define RDD_INSTANCE_DEFAULT "2"

RddInstance *
rdd_instance_new(const gchar *suffix);
RddInstance *
rdd_instance_new_from_env(void);
const gchar *
rdd_instance_get_suffix(RddInstance *self);
const gchar *
rdd_instance_get_name(RddInstance *self);
guint
rdd_instance_get_index(RddInstance *self);
void
rdd_instance_set_dir(RddInstance *self, const gchar *dir);

const gchar *
rdd_instance_get_dir(RddInstance *self);
const gchar *
rdd_instance_get_log_dir(RddInstance *self);
const gchar *
rdd_instance_get_short_dir(RddInstance *self);
const gchar *
rdd_instance_get_lima_home(RddInstance *self);
const gchar *
rdd_instance_get_tls_dir(RddInstance *self);
const gchar *
rdd_instance_get_config_path(RddInstance *self);
const gchar *
rdd_instance_get_k3s_config_path(RddInstance *self);
const gchar *
rdd_instance_get_pid_file(RddInstance *self);
const gchar *
rdd_instance_get_args_file(RddInstance *self);
const gchar *
rdd_instance_get_docker_socket(RddInstance *self);
gchar *
rdd_instance_dup_database_path(RddInstance *self);
gchar *
rdd_instance_dup_api_socket_path(RddInstance *self);
gchar *
rdd_instance_dup_kinds_path(RddInstance *self);
guint
rdd_instance_get_secure_port(RddInstance *self);
guint
rdd_instance_get_kubernetes_port(RddInstance *self);

const gchar *const *
rdd_instance_get_path_keys(void);
const gchar *
rdd_instance_get_path(RddInstance *self, const gchar *key);

gboolean
rdd_instance_ensure_dirs(RddInstance *self, GError **error);
guint
rdd_instance_resolve_port(guint desired);

gchar *
rdd_instance_dup_user_plugin_dir(void);

G_END_DECLS
