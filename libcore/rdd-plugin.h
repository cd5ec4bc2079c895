/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gmodule.h>

#include "rdd-plugin-context.h"

G_BEGIN_DECLS

/**
 * RDD_PLUGIN_ABI_VERSION:
 *
 * The plugin ABI this header describes. The daemon refuses a plugin built for another ABI
 * version; plugins are installed in `$libdir/rdd/plugins-<ABI>/`.
 *
 * Since: 0.1
 */
#define RDD_PLUGIN_ABI_VERSION 1

/**
 * RDD_PLUGIN_DESCRIPTOR_SYMBOL:
 *
 * The one symbol a plugin exports: a function of type #RddPluginGetDescriptorFunc.
 *
 * Since: 0.1
 */
#define RDD_PLUGIN_DESCRIPTOR_SYMBOL "rdd_plugin_get_descriptor"

/**
 * RddPluginDescriptor:
 * @abi_version: %RDD_PLUGIN_ABI_VERSION as the plugin was compiled
 * @struct_size: `sizeof (RddPluginDescriptor)` as the plugin was compiled
 * @name: the plugin name, unique in the daemon, e.g. `demo`
 * @api_group: the API group whose kinds the plugin defines, e.g. `app.rancherdesktop.io`
 * @version: the plugin's own version string
 * @description: (nullable): one line for `rdd plugins`
 * @register_plugin: called once at load; adds kinds, admission hooks, controllers and routes
 *   through @context. Return %FALSE with @error set to refuse loading: nothing the plugin added
 *   is kept.
 * @unregister_plugin: (nullable): called once before the daemon exits
 *
 * What a plugin tells the daemon about itself. The first two fields never move, so any future
 * daemon can read them and refuse a mismatch with a clear message.
 *
 * Since: 0.1
 */
typedef struct {
	guint32 abi_version;
	guint32 struct_size;
	const gchar *name;
	const gchar *api_group;
	const gchar *version;
	const gchar *description;
	gboolean (*register_plugin)(RddPluginContext *context, GError **error);
	void (*unregister_plugin)(RddPluginContext *context);
	/*< private >*/
	gpointer reserved[6];
} RddPluginDescriptor;

/**
 * RddPluginGetDescriptorFunc:
 *
 * The type of %RDD_PLUGIN_DESCRIPTOR_SYMBOL.
 *
 * Returns: (transfer none): the plugin's constant descriptor
 *
 * Since: 0.1
 */
typedef const RddPluginDescriptor *(*RddPluginGetDescriptorFunc)(void);

/**
 * RDD_PLUGIN_DEFINE:
 * @name: the plugin name (a string literal)
 * @api_group: the API group (a string literal)
 * @version: the plugin version (a string literal)
 * @description: a one-line description (a string literal)
 * @register_func: the register function
 * @unregister_func: the unregister function, or %NULL
 *
 * Defines the descriptor symbol. Use it once in one source file of the plugin.
 *
 * Since: 0.1
 */
#define RDD_PLUGIN_DEFINE(name, api_group, version, description, register_func, unregister_func)  \
	G_MODULE_EXPORT const RddPluginDescriptor *rdd_plugin_get_descriptor(void);                \
	G_MODULE_EXPORT const RddPluginDescriptor *rdd_plugin_get_descriptor(void)                 \
	{                                                                                          \
		static const RddPluginDescriptor descriptor = {RDD_PLUGIN_ABI_VERSION,             \
							       sizeof(RddPluginDescriptor),        \
							       name,                               \
							       api_group,                          \
							       version,                            \
							       description,                        \
							       register_func,                      \
							       unregister_func,                    \
							       {NULL}};                            \
		return &descriptor;                                                                \
	}

G_END_DECLS
