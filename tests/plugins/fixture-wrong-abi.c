/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: a plugin built for a newer plugin ABI; the loader must refuse it without
 * calling its register function.
 */

#include "config.h"

#include "rdd-core.h"

static gboolean
fixture_wrong_abi_register(RddPluginContext *context, GError **error)
{
	/* never called: the loader refuses the descriptor first */
	g_critical("fixture wrong-abi: register must not be called");
	return TRUE;
}

G_MODULE_EXPORT const RddPluginDescriptor *rdd_plugin_get_descriptor(void);

G_MODULE_EXPORT const RddPluginDescriptor *
rdd_plugin_get_descriptor(void)
{
	static const RddPluginDescriptor descriptor = {RDD_PLUGIN_ABI_VERSION + 1,
						       sizeof(RddPluginDescriptor),
						       "wrong-abi",
						       "fixtures.rancherdesktop.io",
						       "1.0.0",
						       "Fixture: built for the next plugin ABI",
						       fixture_wrong_abi_register,
						       NULL,
						       {NULL}};
	return &descriptor;
}
