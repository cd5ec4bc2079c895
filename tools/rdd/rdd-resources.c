/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-resources.h"

/**
 * rdd_resource_type_free:
 * @type: (nullable): a resolved type
 */
void
rdd_resource_type_free(RddResourceType *type)
{
	if (type == NULL)
		return;
	g_free(type->group);
	g_free(type->version);
	g_free(type->kind);
	g_free(type->plural);
	g_free(type->singular);
	g_free(type);
}

static gboolean
rdd_resources_matches(JsonNode *item, const gchar *base)
{
	JsonNode *shorts = rdd_json_lookup(item, "shortNames");
	if (g_ascii_strcasecmp(base, rdd_json_lookup_string(item, "kind")) == 0 ||
	    g_strcmp0(base, rdd_json_lookup_string(item, "plural")) == 0 ||
	    g_strcmp0(base, rdd_json_lookup_string(item, "singular")) == 0)
		return TRUE;
	if (shorts != NULL && JSON_NODE_HOLDS_ARRAY(shorts)) {
		JsonArray *arr = json_node_get_array(shorts);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			if (g_strcmp0(json_array_get_string_element(arr, i), base) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

/* the first kind in @list that @name (a kind, plural, singular or short name, optionally
 * `.group`) names, or %NULL */
static RddResourceType *
rdd_resources_find(JsonNode *list, const gchar *name)
{
	g_autofree gchar *base = NULL;
	const gchar *group = NULL;
	const gchar *dot = strchr(name, '.');
	JsonNode *items = rdd_json_lookup(list, "items");

	if (items == NULL || !JSON_NODE_HOLDS_ARRAY(items))
		return NULL;
	base = dot != NULL ? g_strndup(name, dot - name) : g_strdup(name);
	group = dot != NULL ? dot + 1 : NULL;
	for (guint i = 0; i < json_array_get_length(json_node_get_array(items)); i++) {
		JsonNode *item = json_array_get_element(json_node_get_array(items), i);
		RddResourceType *type;
		if (!JSON_NODE_HOLDS_OBJECT(item))
			continue;
		if (group != NULL && g_strcmp0(group, rdd_json_lookup_string(item, "group")) != 0)
			continue;
		if (!rdd_resources_matches(item, base))
			continue;
		type = g_new0(RddResourceType, 1);
		type->group = g_strdup(rdd_json_lookup_string(item, "group"));
		type->version = g_strdup(rdd_json_lookup_string(item, "version"));
		type->kind = g_strdup(rdd_json_lookup_string(item, "kind"));
		type->plural = g_strdup(rdd_json_lookup_string(item, "plural"));
		type->singular = g_strdup(rdd_json_lookup_string(item, "singular"));
		type->namespaced = json_object_get_boolean_member_with_default(
			json_node_get_object(item), "namespaced", FALSE);
		if (type->group == NULL || type->version == NULL || type->plural == NULL) {
			rdd_resource_type_free(type);
			return NULL;
		}
		return type;
	}
	return NULL;
}

/* the kinds the running daemon wrote to its instance directory at start, when the file is that
 * daemon's (its pid is the one rdd_cli_ensure_client() found); %NULL otherwise, and the caller
 * asks the daemon */
static JsonNode *
rdd_resources_read_cached(RddCli *cli)
{
	g_autofree gchar *path = rdd_instance_dup_kinds_path(cli->instance);
	g_autofree gchar *text = NULL;
	g_autoptr(JsonNode) list = NULL;
	gsize len = 0;
	JsonNode *pid_node;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return NULL;
	list = rdd_json_parse(text, (gssize)len, NULL);
	if (list == NULL || !JSON_NODE_HOLDS_OBJECT(list))
		return NULL;
	pid_node = rdd_json_lookup(list, "pid");
	if (pid_node == NULL || !JSON_NODE_HOLDS_VALUE(pid_node) ||
	    json_node_get_value_type(pid_node) != G_TYPE_INT64)
		return NULL;
	if (cli->daemon_pid <= 0 || (gint64)cli->daemon_pid != json_node_get_int(pid_node))
		return NULL;
	return g_steal_pointer(&list);
}

/**
 * rdd_resources_resolve:
 * @cli: the context, connected to the daemon
 * @name: a kind, plural, singular or short name, optionally `.group`
 * @error: return location for an error
 *
 * Looks @name up in the kinds the running daemon wrote to `kinds.json` in the instance
 * directory at start, which saves a request; when that file is missing, is another daemon's or
 * does not know @name, asks the daemon (`/rdd/v1/kinds`).
 *
 * Returns: (transfer full): the type, or %NULL with %RDD_ERROR_NOT_FOUND naming @name
 */
RddResourceType *
rdd_resources_resolve(RddCli *cli, const gchar *name, GError **error)
{
	g_autoptr(JsonNode) cached = rdd_resources_read_cached(cli);
	g_autoptr(JsonNode) list = NULL;
	RddResourceType *type;

	if (cached != NULL) {
		type = rdd_resources_find(cached, name);
		if (type != NULL)
			return type;
	}
	list = rdd_client_request(cli->client, "GET", "/rdd/v1/kinds", NULL, NULL, NULL, error);
	if (list == NULL)
		return NULL;
	type = rdd_resources_find(list, name);
	if (type != NULL)
		return type;
	g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
		    _("the server doesn't have a resource type \"%s\""), name);
	return NULL;
}

/**
 * rdd_resources_path:
 * @type: a type
 * @namespace: (nullable): a namespace; %NULL lists across namespaces
 * @name: (nullable): an object name
 *
 * Returns: (transfer full): the API path, URI-escaped
 */
gchar *
rdd_resources_path(RddResourceType *type, const gchar *namespace, const gchar *name)
{
	GString *path = g_string_new(NULL);
	if (type->group[0] == '\0')
		g_string_append_printf(path, "/api/%s", type->version);
	else
		g_string_append_printf(path, "/apis/%s/%s", type->group, type->version);
	if (type->namespaced && namespace != NULL) {
		g_autofree gchar *esc = g_uri_escape_string(namespace, NULL, FALSE);
		g_string_append_printf(path, "/namespaces/%s", esc);
	}
	g_string_append_printf(path, "/%s", type->plural);
	if (name != NULL) {
		g_autofree gchar *esc = g_uri_escape_string(name, NULL, FALSE);
		g_string_append_printf(path, "/%s", esc);
	}
	return g_string_free(path, FALSE);
}

/**
 * rdd_resources_display_name:
 * @type: a type
 * @name: an object name
 *
 * Returns: (transfer full): `kind.group/name` as kubectl's `-o name` prints it
 */
gchar *
rdd_resources_display_name(RddResourceType *type, const gchar *name)
{
	g_autofree gchar *lower = g_ascii_strdown(type->kind, -1);
	if (type->group[0] == '\0')
		return g_strdup_printf("%s/%s", lower, name);
	return g_strdup_printf("%s.%s/%s", lower, type->group, name);
}
