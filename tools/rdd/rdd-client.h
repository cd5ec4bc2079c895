/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rdd-core.h"

G_BEGIN_DECLS

#define RDD_TYPE_CLIENT (rdd_client_get_type())
G_DECLARE_FINAL_TYPE(RddClient, rdd_client, RDD, CLIENT, GObject)

/**
 * RddClientResponse:
 *
 * A response whose body is read as it arrives, on a connection of its own (a watch).
 */
typedef struct _RddClientResponse RddClientResponse;

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
gboolean
rdd_client_error_from_status(guint status, GBytes *body, GError **error);

RddClientResponse *
rdd_client_open(RddClient *self, const gchar *path, guint io_timeout_sec, GError **error);
guint
rdd_client_response_get_status(RddClientResponse *response);
gchar *
rdd_client_response_read_line(RddClientResponse *response, gboolean *timed_out, GError **error);
GBytes *
rdd_client_response_read_all(RddClientResponse *response, GError **error);
void
rdd_client_response_free(RddClientResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddClientResponse, rdd_client_response_free)

G_END_DECLS
