/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gio/gio.h>

#include "rdd-core.h"
#include "rdd-plugin-loader.h"

G_BEGIN_DECLS

#define RDD_TYPE_API_SERVER (rdd_api_server_get_type())
G_DECLARE_FINAL_TYPE(RddApiServer, rdd_api_server, RDD, API_SERVER, GObject)

/**
 * RDD_API_VERSION_MAJOR:
 *
 * The Kubernetes API version the daemon speaks, for `/version`.
 */
#define RDD_API_VERSION_MAJOR "1"
#define RDD_API_VERSION_MINOR "32"

RddApiServer *
rdd_api_server_new(RddStore *store, RddInstance *instance, RddPluginLoader *loader);
RddStore *
rdd_api_server_get_store(RddApiServer *self);
RddPluginLoader *
rdd_api_server_get_loader(RddApiServer *self);
void
rdd_api_server_set_token(RddApiServer *self, const gchar *token);
void
rdd_api_server_set_controllers(RddApiServer *self, const gchar *spec);
gboolean
rdd_api_server_listen_unix(RddApiServer *self, const gchar *path, GError **error);
gboolean
rdd_api_server_write_kinds(RddApiServer *self, const gchar *path, GError **error);
gboolean
rdd_api_server_listen_https(RddApiServer *self,
			    guint port,
			    GTlsCertificate *certificate,
			    GError **error);
guint
rdd_api_server_get_https_port(RddApiServer *self);
void
rdd_api_server_set_ready(RddApiServer *self, gboolean ready);
void
rdd_api_server_set_watch_queue_limit(RddApiServer *self, gsize bytes);
gsize
rdd_api_server_get_watch_queue_limit(RddApiServer *self);
guint
rdd_api_server_get_n_watchers(RddApiServer *self);
void
rdd_api_server_disconnect(RddApiServer *self);
RddKind *
rdd_api_server_find_kind(RddApiServer *self,
			 const gchar *group,
			 const gchar *version,
			 const gchar *plural);

G_END_DECLS
