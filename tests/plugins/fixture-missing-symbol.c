/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Test fixture: a valid shared object that is not an rdd plugin (it exports no descriptor).
 */

#include "config.h"

#include <gmodule.h>

G_MODULE_EXPORT gint fixture_missing_symbol_answer(void);

G_MODULE_EXPORT gint
fixture_missing_symbol_answer(void)
{
	return 42;
}
