/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Private to the daemon: what the HTTP API's parts share.
 */

#pragma once

#include <libsoup/soup.h>

#include "rdd-api-server.h"

G_BEGIN_DECLS

/**
 * RDD_API_MAX_BODY:
 *
 * The largest request body the API reads (3 MiB, as kube-apiserver's default); larger bodies
 * get 413 RequestEntityTooLarge before they are read.
 */
#define RDD_API_MAX_BODY (3 * 1024 * 1024)

/* one parsed API request for a resource path */
typedef struct {
	RddApiServer *server;
	SoupServerMessage *msg;
	const gchar *method;
	GHashTable *query; /* (nullable) */
	RddKind *kind;
	gchar *namespace; /* (nullable) */
	gchar *name;	  /* (nullable) */
	gchar *subresource; /* (nullable) */
	GPtrArray *warnings;
	gchar *field_manager;
} RddApiRequest;

/* responses */
void
rdd_api_respond_bytes(SoupServerMessage *msg, guint status, const gchar *content_type, GBytes *bytes);
void
rdd_api_respond_text(SoupServerMessage *msg, guint status, const gchar *content_type, const gchar *text);
void
rdd_api_respond_string(SoupServerMessage *msg, guint status, GString *json);
void
rdd_api_respond_object(SoupServerMessage *msg, guint status, RddObject *object);
void
rdd_api_respond_error(SoupServerMessage *msg, const GError *error, RddKind *kind, const gchar *name);
void
rdd_api_respond_status(SoupServerMessage *msg,
		       RddError code,
		       RddKind *kind,
		       const gchar *name,
		       const gchar *format,
		       ...) G_GNUC_PRINTF(5, 6);
GString *
rdd_api_status_new(const GError *error, RddKind *kind, const gchar *name);
void
rdd_api_add_warnings(SoupServerMessage *msg, GPtrArray *warnings);

/* request bodies */
JsonNode *
rdd_api_read_body(SoupServerMessage *msg, RddKind *kind, gboolean allow_yaml, GError **error);

/* Kubernetes protobuf request bodies for the built-in kinds: rdd-api-protobuf.c */
JsonNode *
rdd_api_protobuf_decode(RddKind *kind, const guint8 *data, gsize length, GError **error);
const gchar *
rdd_api_query(RddApiRequest *req, const gchar *key);
gboolean
rdd_api_query_bool(RddApiRequest *req, const gchar *key, gboolean *value, GError **error);

/* resources: rdd-api-resource.c */
void
rdd_api_resource_handle(RddApiRequest *req);
guint
rdd_api_resource_table_include(RddApiRequest *req);

/* watches: rdd-api-watch.c */
void
rdd_api_watch_start(RddApiRequest *req);
void
rdd_api_server_count_watcher(RddApiServer *self, gint delta);

/* OpenAPI documents: rdd-api-openapi.c */
gboolean
rdd_api_openapi_handle(RddApiServer *self, SoupServerMessage *msg, gchar **seg, guint n);

/* Table output: rdd-api-table.c */
typedef enum {
	RDD_API_TABLE_INCLUDE_NONE,
	RDD_API_TABLE_INCLUDE_METADATA,
	RDD_API_TABLE_INCLUDE_OBJECT,
} RddApiTableInclude;

gboolean
rdd_api_table_wanted(SoupServerMessage *msg);
GString *
rdd_api_table_render(RddKind *kind,
		     GPtrArray *objects,
		     guint64 resource_version,
		     const gchar *continue_token,
		     guint include_object,
		     GError **error);
GString *
rdd_api_table_render_full(RddKind *kind,
			  GPtrArray *objects,
			  guint64 resource_version,
			  const gchar *continue_token,
			  guint include_object,
			  gboolean with_columns,
			  GError **error);

/* server-side apply: rdd-api-apply.c */
RddObject *
rdd_api_apply(RddStore *store,
	      RddKind *kind,
	      const gchar *namespace,
	      const gchar *name,
	      JsonNode *applied,
	      const gchar *field_manager,
	      gboolean force,
	      gboolean status,
	      const RddWriteOptions *options,
	      gboolean *created,
	      GError **error);
void
rdd_api_apply_record_update(JsonNode *new_object, RddObject *old_object, const gchar *manager);
void
rdd_api_apply_record_update_full(RddKind *kind,
				 JsonNode *new_object,
				 RddObject *old_object,
				 const gchar *manager,
				 const gchar *subresource);
gchar *
rdd_api_apply_default_manager(const gchar *user_agent);

G_END_DECLS
