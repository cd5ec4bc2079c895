/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <libsoup/soup.h>

#include "rdd-admission.h"
#include "rdd-controller.h"
#include "rdd-instance.h"
#include "rdd-kind.h"
#include "rdd-store.h"

G_BEGIN_DECLS

#define RDD_TYPE_PLUGIN_CONTEXT (rdd_plugin_context_get_type())
G_DECLARE_FINAL_TYPE(RddPluginContext, rdd_plugin_context, RDD, PLUGIN_CONTEXT, GObject)

/**
 * RddRouteFunc:
 * @context: the plugin's context
 * @msg: the HTTP request; the handler sets status and body, or pauses it and answers later
 * @path: the rest of the path after `/passthrough/<plugin>/<endpoint>`, starting with `/` (or
 *   empty)
 * @query: (nullable) (element-type utf8 utf8): the query parameters
 * @user_data: user data
 *
 * Serves an HTTP passthrough route, reachable through the daemon's API (authenticated like
 * every API request) at `/passthrough/<plugin>/<endpoint>/...`.
 *
 * Since: 0.1
 */
typedef void (*RddRouteFunc)(RddPluginContext *context,
			     SoupServerMessage *msg,
			     const gchar *path,
			     GHashTable *query,
			     gpointer user_data);

/**
 * RddPluginRoute:
 * @endpoint: the endpoint name
 * @func: the handler
 * @user_data: data for @func
 *
 * A registered passthrough route.
 *
 * Since: 0.1
 */
typedef struct {
	gchar *endpoint;
	RddRouteFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} RddPluginRoute;

RddPluginContext *
rdd_plugin_context_new(const gchar *name,
		       const gchar *api_group,
		       RddStore *store,
		       RddInstance *instance);
const gchar *
rdd_plugin_context_get_name(RddPluginContext *self);
const gchar *
rdd_plugin_context_get_api_group(RddPluginContext *self);
RddStore *
rdd_plugin_context_get_store(RddPluginContext *self);
RddInstance *
rdd_plugin_context_get_instance(RddPluginContext *self);

gboolean
rdd_plugin_context_add_kinds_from_data(RddPluginContext *self,
				       const gchar *yaml,
				       gssize length,
				       GError **error);
gboolean
rdd_plugin_context_add_kinds_from_file(RddPluginContext *self, const gchar *path, GError **error);
gboolean
rdd_plugin_context_add_kinds_from_resource(RddPluginContext *self,
					   const gchar *resource_path,
					   GError **error);
RddKind *
rdd_plugin_context_lookup_kind(RddPluginContext *self, const gchar *api_version, const gchar *kind);
void
rdd_plugin_context_add_admission(RddPluginContext *self,
				 RddKind *kind,
				 RddAdmissionType type,
				 RddOperation operations,
				 const gchar *name,
				 RddAdmissionFunc func,
				 gpointer user_data,
				 GDestroyNotify destroy);
void
rdd_plugin_context_add_controller(RddPluginContext *self, RddController *controller);
void
rdd_plugin_context_add_route(RddPluginContext *self,
			     const gchar *endpoint,
			     RddRouteFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy);

GPtrArray *
rdd_plugin_context_get_kinds(RddPluginContext *self);
GPtrArray *
rdd_plugin_context_get_controllers(RddPluginContext *self);
GPtrArray *
rdd_plugin_context_get_routes(RddPluginContext *self);
gboolean
rdd_plugin_context_commit(RddPluginContext *self, GError **error);

G_END_DECLS
