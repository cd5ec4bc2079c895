/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Server-side printing: the `meta.k8s.io/v1` Table that `kubectl get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the columns and cells of
 * rdd-printer.c and, per row, the object's metadata as a PartialObjectMetadata (kubectl takes
 * the NAMESPACE column of `-A` and the labels of `--show-labels` from it).
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

/* not static so that tests can drive it without a SoupServerMessage; not in the private
 * header, which only declares what the other parts of the API use */
gboolean rdd_api_table_wanted_header(const gchar *accept);

typedef enum {
	RDD_API_TABLE_RANGE_UNSERVABLE, /* a type or a conversion (as=...) the API does not serve */
	RDD_API_TABLE_RANGE_OBJECT,	/* the object or list itself (JSON, YAML, protobuf, any) */
	RDD_API_TABLE_RANGE_TABLE,	/* a meta.k8s.io Table as JSON */
} RddApiTableRange;

/* the value of a media type parameter, without quotes */
static gchar *
rdd_api_table_param_value(const gchar *value)
{
	gsize len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
		return g_strndup(value + 1, len - 2);
	return g_strdup(value);
}

/* classifies one media range of an Accept header and sets its quality */
static RddApiTableRange
rdd_api_table_classify(const gchar *range, gdouble *quality)
{
	g_auto(GStrv) parts = g_strsplit(range, ";", -1);
	g_autofree gchar *type = NULL;
	g_autofree gchar *as = NULL;
	g_autofree gchar *group = NULL;
	g_autofree gchar *version = NULL;

	*quality = 1.0;
	if (parts[0] == NULL)
		return RDD_API_TABLE_RANGE_UNSERVABLE;
	type = g_ascii_strdown(g_strstrip(parts[0]), -1);
	for (guint i = 1; parts[i] != NULL; i++) {
		gchar *param = g_strstrip(parts[i]);
		gchar *eq = strchr(param, '=');
		g_autofree gchar *value = NULL;
		if (eq == NULL)
			continue;
		*eq = '\0';
		g_strstrip(param);
		value = rdd_api_table_param_value(g_strstrip(eq + 1));
		if (g_ascii_strcasecmp(param, "q") == 0) {
			gchar *end = NULL;
			gdouble q = g_ascii_strtod(value, &end);
			*quality = end != value && *end == '\0' ? CLAMP(q, 0.0, 1.0) : 0.0;
		} else if (g_ascii_strcasecmp(param, "as") == 0) {
			g_free(as);
			as = g_steal_pointer(&value);
		} else if (g_ascii_strcasecmp(param, "g") == 0) {
			g_free(group);
			group = g_steal_pointer(&value);
		} else if (g_ascii_strcasecmp(param, "v") == 0) {
			g_free(version);
			version = g_steal_pointer(&value);
		}
	}
	if (as != NULL) {
		if (g_strcmp0(as, "Table") == 0 && g_strcmp0(group, "meta.k8s.io") == 0 &&
		    (g_strcmp0(version, "v1") == 0 || g_strcmp0(version, "v1beta1") == 0) &&
		    g_strcmp0(type, "application/json") == 0)
			return RDD_API_TABLE_RANGE_TABLE;
		return RDD_API_TABLE_RANGE_UNSERVABLE;
	}
	if (g_strcmp0(type, "application/json") == 0 || g_strcmp0(type, "application/yaml") == 0 ||
	    g_strcmp0(type, "application/vnd.kubernetes.protobuf") == 0 ||
	    g_strcmp0(type, "application/*") == 0 || g_strcmp0(type, "*/*") == 0)
		return RDD_API_TABLE_RANGE_OBJECT;
	return RDD_API_TABLE_RANGE_UNSERVABLE;
}

/**
 * rdd_api_table_wanted_header:
 * @accept: (nullable): the value of an Accept header
 *
 * Negotiates as kube-apiserver does: of the media ranges it can serve (a JSON Table of
 * `meta.k8s.io` `v1` or `v1beta1`, or the object itself as JSON, YAML, protobuf or a wildcard),
 * the one with the highest quality wins, the earliest on a tie; ranges with
 * `q=0`, other conversions (`as=PartialObjectMetadata`) and other types are skipped.
 *
 * Returns: whether the winner is the Table
 */
gboolean
rdd_api_table_wanted_header(const gchar *accept)
{
	g_auto(GStrv) ranges = NULL;
	RddApiTableRange best = RDD_API_TABLE_RANGE_UNSERVABLE;
	gdouble best_quality = 0.0;

	if (accept == NULL)
		return FALSE;
	ranges = g_strsplit(accept, ",", -1);
	for (guint i = 0; ranges[i] != NULL; i++) {
		gdouble quality = 1.0;
		RddApiTableRange range = rdd_api_table_classify(ranges[i], &quality);
		if (range == RDD_API_TABLE_RANGE_UNSERVABLE || quality <= 0.0)
			continue;
		if (best == RDD_API_TABLE_RANGE_UNSERVABLE || quality > best_quality) {
			best = range;
			best_quality = quality;
		}
	}
	return best == RDD_API_TABLE_RANGE_TABLE;
}

/**
 * rdd_api_table_wanted:
 * @msg: a request
 *
 * Returns: whether the request's Accept header asks for a `meta.k8s.io` Table (see
 *   rdd_api_table_wanted_header()), as `kubectl get` does for human-readable output
 */
gboolean
rdd_api_table_wanted(SoupServerMessage *msg)
{
	SoupMessageHeaders *headers;

	g_return_val_if_fail(SOUP_IS_SERVER_MESSAGE(msg), FALSE);

	headers = soup_server_message_get_request_headers(msg);
	return rdd_api_table_wanted_header(soup_message_headers_get_list(headers, "Accept"));
}

static void
rdd_api_table_append_column(GString *out, RddPrinterColumn *column)
{
	g_string_append(out, "{\"name\":");
	rdd_json_write_string(out, column->name);
	g_string_append(out, ",\"type\":");
	rdd_json_write_string(out, column->type);
	g_string_append(out, ",\"format\":");
	rdd_json_write_string(out, column->format);
	g_string_append(out, ",\"description\":");
	rdd_json_write_string(out, column->description);
	g_string_append_printf(out, ",\"priority\":%d}", column->priority);
}

/**
 * rdd_api_table_render:
 * @kind: the kind of @objects
 * @objects: (element-type RddObject): the objects, one row each
 * @resource_version: the resourceVersion of the list, or 0 for none
 * @continue_token: (nullable): the continue token of the list
 * @include_object: an #RddApiTableInclude: each row carries its object's metadata as a
 *   `meta.k8s.io/v1` PartialObjectMetadata (`includeObject=Metadata`, the default), the whole
 *   object (`Object`, which `kubectl --sort-by` asks for), or `null` (`None`)
 * @error: return location for an error
 *
 * Renders a `meta.k8s.io/v1` Table as kube-apiserver does: `metadata` with `resourceVersion`
 * and `continue`, `columnDefinitions` (name, type, format, description, priority) from
 * rdd_printer_get_columns(), and a row per object with the cells of rdd_printer_row_full(),
 * ages relative to now.
 *
 * Returns: (transfer full): the JSON text, or %NULL on error
 */
GString *
rdd_api_table_render(RddKind *kind,
		     GPtrArray *objects,
		     guint64 resource_version,
		     const gchar *continue_token,
		     guint include_object,
		     GError **error)
{
	return rdd_api_table_render_full(kind, objects, resource_version, continue_token, include_object, TRUE, error);
}

/**
 * rdd_api_table_render_full:
 * @kind: the kind of @objects
 * @objects: (element-type RddObject): the objects, one row each
 * @resource_version: the resourceVersion of the list, or 0 for none
 * @continue_token: (nullable): the continue token of the list
 * @include_object: an #RddApiTableInclude: no object, its metadata, or all of it
 * @with_columns: whether to carry the column definitions (a watch sends them only once)
 * @error: return location for an error
 *
 * Returns: (transfer full): the JSON text, or %NULL on error
 */
GString *
rdd_api_table_render_full(RddKind *kind,
			  GPtrArray *objects,
			  guint64 resource_version,
			  const gchar *continue_token,
			  guint include_object,
			  gboolean with_columns,
			  GError **error)
{
	g_autoptr(GPtrArray) columns = NULL;
	GString *out;
	gint64 now = g_get_real_time();

	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(objects != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	columns = rdd_printer_get_columns(kind);
	out = g_string_sized_new(1024 + objects->len * (include_object ? 768 : 128));
	g_string_append(out, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{");
	if (resource_version != 0)
		g_string_append_printf(out, "\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", resource_version);
	if (continue_token != NULL && continue_token[0] != '\0') {
		if (resource_version != 0)
			g_string_append_c(out, ',');
		g_string_append(out, "\"continue\":");
		rdd_json_write_string(out, continue_token);
	}
	g_string_append(out, "},\"columnDefinitions\":[");
	for (guint i = 0; with_columns && i < columns->len; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		rdd_api_table_append_column(out, g_ptr_array_index(columns, i));
	}
	g_string_append(out, "],\"rows\":[");
	for (guint i = 0; i < objects->len; i++) {
		RddObject *obj = g_ptr_array_index(objects, i);
		g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
		g_autoptr(GPtrArray) cells = NULL;

		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "cannot print %s %s: its stored JSON is not an object",
				    rdd_kind_get_name(kind), rdd_object_get_name(obj));
			g_string_free(out, TRUE);
			return NULL;
		}
		cells = rdd_printer_row_full(kind, columns, node, now);
		if (i > 0)
			g_string_append_c(out, ',');
		g_string_append(out, "{\"cells\":[");
		for (guint j = 0; j < cells->len; j++) {
			if (j > 0)
				g_string_append_c(out, ',');
			rdd_json_write(out, g_ptr_array_index(cells, j));
		}
		g_string_append(out, "],\"object\":");
		if (include_object == RDD_API_TABLE_INCLUDE_OBJECT) {
			gsize len = 0;
			const gchar *json = rdd_object_get_json(obj, &len);
			g_string_append_len(out, json, len);
		} else if (include_object == RDD_API_TABLE_INCLUDE_METADATA) {
			JsonNode *metadata = json_object_get_member(json_node_get_object(node), "metadata");
			g_string_append(out, "{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\","
					     "\"metadata\":");
			if (metadata != NULL && JSON_NODE_HOLDS_OBJECT(metadata))
				rdd_json_write(out, metadata);
			else
				g_string_append(out, "{}");
			g_string_append_c(out, '}');
		} else {
			g_string_append(out, "null");
		}
		g_string_append_c(out, '}');
	}
	g_string_append(out, "]}");
	return out;
}
