/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: register returns FALSE without setting the error (a plugin bug).
 */

#include "config.h"

#include "rdd-core.h"

static gboolean
fixture_register_false_no_error_register(RddPluginContext *context, GError **error)
{
	return FALSE;
}

RDD_PLUGIN_DEFINE("register-false-no-error",
		  "fixtures.rancherdesktop.io",
		  "1.0.0",
		  "Fixture: register returns FALSE without an error",
		  fixture_register_false_no_error_register,
		  NULL)
