/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rdd-core.h"

G_BEGIN_DECLS

#define RDD_TYPE_CLIENT (rdd_client_get_type())
G_DECLARE_FINAL_TYPE(RddClient, rdd_client, RDD, CLIENT, GObject)

RddClient *
rdd_client_new(const gchar *socket_path);
JsonNode *
rdd_client_request(RddClient *self,
		   const gchar *method,
		   const gchar *path,
		   const gchar *content_type,
		   const gchar *body,
		   GPtrArray *warnings,
		   GError **error);
GBytes *
rdd_client_request_raw(RddClient *self,
		       const gchar *method,
		       const gchar *path,
		       const gchar *accept,
		       guint *status,
		       GError **error);
gboolean
rdd_client_ping(RddClient *self, GError **error);
SoupSession *
rdd_client_get_session(RddClient *self);
SoupMessage *
rdd_client_new_message(RddClient *self, const gchar *method, const gchar *path);
gboolean
rdd_client_error_from_status(guint status, GBytes *body, GError **error);

G_END_DECLS
