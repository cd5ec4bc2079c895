/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <gio/gio.h>

#include "rdd-core.h"

G_BEGIN_DECLS

gboolean
rdd_api_tls_ensure(RddInstance *instance, GTlsCertificate **certificate, gchar **ca_pem, GError **error);
gchar *
rdd_api_tls_ensure_token(RddInstance *instance, GError **error);
gboolean
rdd_api_tls_write_kubeconfig(RddInstance *instance,
			     const gchar *server_url,
			     const gchar *ca_pem,
			     const gchar *token,
			     GError **error);

G_END_DECLS
