/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: register refuses with a proper error.
 */

#include "config.h"

#include "rdd-core.h"

static gboolean
fixture_register_fails_register(RddPluginContext *context, GError **error)
{
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "fixture refuses to register");
	return FALSE;
}

RDD_PLUGIN_DEFINE("register-fails",
		  "fixtures.rancherdesktop.io",
		  "1.0.0",
		  "Fixture: register returns FALSE with an error",
		  fixture_register_fails_register,
		  NULL)
