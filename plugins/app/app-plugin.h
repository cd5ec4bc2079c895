/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Private to the app plugin.
 */

#pragma once

#include "rdd-core.h"

G_BEGIN_DECLS

typedef struct {
	RddStore *store;
	RddInstance *instance;
	RddKind *app_kind;
	RddKind *limavm_kind; /* NULL when the lima plugin is not loaded */
	RddKind *configmap_kind;
	RddKind *namespace_kind;
	JsonNode *k3s_versions; /* the bundled k3s-versions.json */
	gchar *template_base;	/* the Lima template body */
} AppPlugin;

/* the inputs of the Settled decision table (reference §6.2) */
typedef struct {
	gboolean desired;	  /* spec.running */
	gboolean template_up_to_date;
	JsonObject *status;	  /* App status with the mirrored Running condition */
	gint64 generation;
	gboolean engine_gate;	  /* an engine controller runs */
	gboolean kube_gate;	  /* a kubernetes controller runs */
	gboolean kubernetes_enabled;
} AppSettledInput;

void
app_settled_compute(const AppSettledInput *in, const gchar **status, const gchar **reason, gchar **message);

gchar *
app_template_render(AppPlugin *self, JsonNode *app, GError **error);
gboolean
app_template_parse_memory(const gchar *text, guint64 *bytes, GError **error);

gboolean
app_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error);
gboolean
app_reconcile_finalize(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error);

G_END_DECLS
