/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Private to the daemon: the fields of RddPluginInfo the loader fills in.
 */

#pragma once

#include "rdd-plugin-loader.h"

G_BEGIN_DECLS

struct _RddPluginInfo {
	GObject parent_instance;
	gchar *name;
	gchar *filename;
	RddPluginState state;
	GError *error;
	gchar *version;
	gchar *api_group;
	gchar *description;
	GModule *module;
	const RddPluginDescriptor *descriptor;
	RddPluginContext *context;
};

G_END_DECLS
