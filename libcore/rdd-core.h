/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The umbrella header of librdd-core, the rdd plugin SDK.
 */

#pragma once

#include "rdd-admission.h"
#include "rdd-conditions.h"
#include "rdd-controller.h"
#include "rdd-error.h"
#include "rdd-instance.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"
#include "rdd-jsonpath.h"
#include "rdd-kind.h"
#include "rdd-log.h"
#include "rdd-object.h"
#include "rdd-plugin-context.h"
#include "rdd-plugin.h"
#include "rdd-printer.h"
#include "rdd-reasons.h"
#include "rdd-schema.h"
#include "rdd-selector.h"
#include "rdd-store.h"
#include "rdd-time.h"
#include "rdd-yaml.h"
