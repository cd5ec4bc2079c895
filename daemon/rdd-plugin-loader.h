/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include "rdd-core.h"

G_BEGIN_DECLS

/**
 * RddPluginState:
 * @RDD_PLUGIN_STATE_LOADED: registered; its kinds, hooks, controllers and routes are active
 * @RDD_PLUGIN_STATE_FAILED: refused or failed; the error says why
 * @RDD_PLUGIN_STATE_SHADOWED: a plugin of the same name was loaded from an earlier directory
 *
 * Since: 0.1
 */
typedef enum {
	RDD_PLUGIN_STATE_LOADED,
	RDD_PLUGIN_STATE_FAILED,
	RDD_PLUGIN_STATE_SHADOWED,
} RddPluginState;

#define RDD_TYPE_PLUGIN_INFO (rdd_plugin_info_get_type())
G_DECLARE_FINAL_TYPE(RddPluginInfo, rdd_plugin_info, RDD, PLUGIN_INFO, GObject)

#define RDD_TYPE_PLUGIN_LOADER (rdd_plugin_loader_get_type())
G_DECLARE_FINAL_TYPE(RddPluginLoader, rdd_plugin_loader, RDD, PLUGIN_LOADER, GObject)

const gchar *
rdd_plugin_state_to_string(RddPluginState state);

const gchar *
rdd_plugin_info_get_name(RddPluginInfo *self);
const gchar *
rdd_plugin_info_get_filename(RddPluginInfo *self);
RddPluginState
rdd_plugin_info_get_state(RddPluginInfo *self);
const GError *
rdd_plugin_info_get_error(RddPluginInfo *self);
const gchar *
rdd_plugin_info_get_version(RddPluginInfo *self);
const gchar *
rdd_plugin_info_get_api_group(RddPluginInfo *self);
const gchar *
rdd_plugin_info_get_description(RddPluginInfo *self);
RddPluginContext *
rdd_plugin_info_get_context(RddPluginInfo *self);
JsonNode *
rdd_plugin_info_to_json(RddPluginInfo *self, const gchar *controllers_spec);

RddPluginLoader *
rdd_plugin_loader_new(RddStore *store, RddInstance *instance);
void
rdd_plugin_loader_add_dir(RddPluginLoader *self, const gchar *dir);
void
rdd_plugin_loader_add_default_dirs(RddPluginLoader *self);
const gchar *const *
rdd_plugin_loader_get_dirs(RddPluginLoader *self);
void
rdd_plugin_loader_load_all(RddPluginLoader *self);
RddPluginInfo *
rdd_plugin_loader_load_file(RddPluginLoader *self, const gchar *filename);
GPtrArray *
rdd_plugin_loader_get_plugins(RddPluginLoader *self);
RddPluginInfo *
rdd_plugin_loader_lookup(RddPluginLoader *self, const gchar *name);
GPtrArray *
rdd_plugin_loader_get_controllers(RddPluginLoader *self);
RddPluginRoute *
rdd_plugin_loader_lookup_route(RddPluginLoader *self,
			       const gchar *plugin,
			       const gchar *endpoint,
			       RddPluginContext **context);
void
rdd_plugin_loader_unregister_all(RddPluginLoader *self);

G_END_DECLS
