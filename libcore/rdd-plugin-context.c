/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <gio/gio.h>

#include "rdd-error.h"
#include "rdd-plugin-context.h"

/* what a plugin registers is kept here and reaches the store only when registration succeeds */
typedef struct {
	RddKind *kind;
	RddAdmissionType type;
	RddOperation operations;
	gchar *name;
	RddAdmissionFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} RddPluginContextHook;

struct _RddPluginContext {
	GObject parent_instance;
	gchar *name;
	gchar *api_group;
	RddStore *store;
	RddInstance *instance;
	GPtrArray *kinds;	/* RddKind */
	GPtrArray *hooks;	/* RddPluginContextHook, until committed */
	GPtrArray *controllers; /* RddController */
	GPtrArray *routes;	/* RddPluginRoute */
	gboolean committed;
};

G_DEFINE_FINAL_TYPE(RddPluginContext, rdd_plugin_context, G_TYPE_OBJECT)

static void
rdd_plugin_context_hook_free(RddPluginContextHook *hook)
{
	if (hook->destroy != NULL)
		hook->destroy(hook->user_data);
	g_clear_object(&hook->kind);
	g_free(hook->name);
	g_free(hook);
}

static void
rdd_plugin_context_route_free(RddPluginRoute *route)
{
	if (route->destroy != NULL)
		route->destroy(route->user_data);
	g_free(route->endpoint);
	g_free(route);
}

static void
rdd_plugin_context_finalize(GObject *object)
{
	RddPluginContext *self = RDD_PLUGIN_CONTEXT(object);
	g_free(self->name);
	g_free(self->api_group);
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	g_ptr_array_unref(self->kinds);
	g_ptr_array_unref(self->hooks);
	g_ptr_array_unref(self->controllers);
	g_ptr_array_unref(self->routes);
	G_OBJECT_CLASS(rdd_plugin_context_parent_class)->finalize(object);
}

static void
rdd_plugin_context_class_init(RddPluginContextClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = rdd_plugin_context_finalize;
}

static void
rdd_plugin_context_init(RddPluginContext *self)
{
	self->kinds = g_ptr_array_new_with_free_func(g_object_unref);
	self->hooks = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_plugin_context_hook_free);
	self->controllers = g_ptr_array_new_with_free_func(g_object_unref);
	self->routes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_plugin_context_route_free);
}

/**
 * rdd_plugin_context_new:
 * @name: the plugin name
 * @api_group: the plugin's API group
 * @store: the daemon's store
 * @instance: (nullable): the daemon's instance
 *
 * Created by the plugin loader for each plugin it registers.
 *
 * Returns: (transfer full): a new context
 *
 * Since: 0.1
 */
RddPluginContext *
rdd_plugin_context_new(const gchar *name, const gchar *api_group, RddStore *store, RddInstance *instance)
{
	RddPluginContext *self;

	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(api_group != NULL, NULL);
	g_return_val_if_fail(RDD_IS_STORE(store), NULL);

	self = g_object_new(RDD_TYPE_PLUGIN_CONTEXT, NULL);
	self->name = g_strdup(name);
	self->api_group = g_strdup(api_group);
	self->store = g_object_ref(store);
	self->instance = instance != NULL ? g_object_ref(instance) : NULL;
	return self;
}

/**
 * rdd_plugin_context_get_name:
 * @self: a context
 *
 * Returns: the plugin name
 *
 * Since: 0.1
 */
const gchar *
rdd_plugin_context_get_name(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->name;
}

/**
 * rdd_plugin_context_get_api_group:
 * @self: a context
 *
 * Returns: the plugin's API group
 *
 * Since: 0.1
 */
const gchar *
rdd_plugin_context_get_api_group(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->api_group;
}

/**
 * rdd_plugin_context_get_store:
 * @self: a context
 *
 * Returns: (transfer none): the object store
 *
 * Since: 0.1
 */
RddStore *
rdd_plugin_context_get_store(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->store;
}

/**
 * rdd_plugin_context_get_instance:
 * @self: a context
 *
 * Returns: (transfer none) (nullable): the daemon's instance: names, paths and ports
 *
 * Since: 0.1
 */
RddInstance *
rdd_plugin_context_get_instance(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->instance;
}

/**
 * rdd_plugin_context_add_kinds_from_data:
 * @self: a context
 * @yaml: one or more `CustomResourceDefinition` documents
 * @length: length of @yaml, or -1 when NUL-terminated
 * @error: return location for an error
 *
 * Adds the kinds the CRDs define. Every kind must belong to the plugin's API group.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_plugin_context_add_kinds_from_data(RddPluginContext *self,
				       const gchar *yaml,
				       gssize length,
				       GError **error)
{
	g_autoptr(GPtrArray) kinds = NULL;

	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), FALSE);
	g_return_val_if_fail(yaml != NULL, FALSE);
	g_return_val_if_fail(!self->committed, FALSE);

	kinds = rdd_kind_new_from_yaml(yaml, length, error);
	if (kinds == NULL)
		return FALSE;
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		if (g_strcmp0(rdd_kind_get_group(kind), self->api_group) != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_FORBIDDEN,
				    "kind %s belongs to group \"%s\", but plugin %s owns group \"%s\"",
				    rdd_kind_get_name(kind),
				    rdd_kind_get_group(kind),
				    self->name,
				    self->api_group);
			return FALSE;
		}
		for (guint j = 0; j < self->kinds->len; j++) {
			RddKind *other = g_ptr_array_index(self->kinds, j);
			if (g_strcmp0(rdd_kind_get_name(other), rdd_kind_get_name(kind)) == 0) {
				g_set_error(error,
					    RDD_ERROR,
					    RDD_ERROR_ALREADY_EXISTS,
					    "kind %s is added twice",
					    rdd_kind_get_qualified_name(kind));
				return FALSE;
			}
		}
	}
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		rdd_kind_set_owner(kind, self->name);
		g_ptr_array_add(self->kinds, g_object_ref(kind));
	}
	return TRUE;
}

/**
 * rdd_plugin_context_add_kinds_from_file:
 * @self: a context
 * @path: a CRD YAML file
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_plugin_context_add_kinds_from_file(RddPluginContext *self, const gchar *path, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize length = 0;

	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), FALSE);
	if (!g_file_get_contents(path, &data, &length, error)) {
		rdd_error_convert(error);
		return FALSE;
	}
	if (!rdd_plugin_context_add_kinds_from_data(self, data, length, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_plugin_context_add_kinds_from_resource:
 * @self: a context
 * @resource_path: a CRD YAML file compiled into the plugin as a GResource
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_plugin_context_add_kinds_from_resource(RddPluginContext *self,
					   const gchar *resource_path,
					   GError **error)
{
	g_autoptr(GBytes) bytes = NULL;

	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), FALSE);
	bytes = g_resources_lookup_data(resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (bytes == NULL) {
		rdd_error_convert(error);
		return FALSE;
	}
	if (!rdd_plugin_context_add_kinds_from_data(self,
						    g_bytes_get_data(bytes, NULL),
						    g_bytes_get_size(bytes),
						    error)) {
		g_prefix_error(error, "%s: ", resource_path);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_plugin_context_lookup_kind:
 * @self: a context
 * @api_version: (nullable): e.g. `v1` or `app.rancherdesktop.io/v1alpha1`; %NULL for the
 *   plugin's own group
 * @kind: the kind name
 *
 * Finds a kind this plugin added, or one already in the store (core kinds, other plugins').
 *
 * Returns: (transfer none) (nullable): the kind
 *
 * Since: 0.1
 */
RddKind *
rdd_plugin_context_lookup_kind(RddPluginContext *self, const gchar *api_version, const gchar *kind)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	for (guint i = 0; i < self->kinds->len; i++) {
		RddKind *k = g_ptr_array_index(self->kinds, i);
		if (g_strcmp0(rdd_kind_get_name(k), kind) == 0 &&
		    (api_version == NULL || g_strcmp0(rdd_kind_get_api_version(k), api_version) == 0))
			return k;
	}
	if (api_version == NULL)
		return NULL;
	return rdd_store_find_kind(self->store, api_version, kind);
}

/**
 * rdd_plugin_context_add_admission:
 * @self: a context
 * @kind: a kind added by this plugin or known to the store
 * @type: mutating or validating
 * @operations: the operations the hook sees
 * @name: the hook name, shown in denial messages
 * @func: the hook
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Since: 0.1
 */
void
rdd_plugin_context_add_admission(RddPluginContext *self,
				 RddKind *kind,
				 RddAdmissionType type,
				 RddOperation operations,
				 const gchar *name,
				 RddAdmissionFunc func,
				 gpointer user_data,
				 GDestroyNotify destroy)
{
	RddPluginContextHook *hook;

	g_return_if_fail(RDD_IS_PLUGIN_CONTEXT(self));
	g_return_if_fail(RDD_IS_KIND(kind));
	g_return_if_fail(func != NULL);
	hook = g_new0(RddPluginContextHook, 1);
	hook->kind = g_object_ref(kind);
	hook->type = type;
	hook->operations = operations;
	hook->name = g_strdup(name);
	hook->func = func;
	hook->user_data = user_data;
	hook->destroy = destroy;
	g_ptr_array_add(self->hooks, hook);
}

/**
 * rdd_plugin_context_add_controller:
 * @self: a context
 * @controller: a controller; the daemon starts it after loading when `--controllers` selects it
 *
 * Since: 0.1
 */
void
rdd_plugin_context_add_controller(RddPluginContext *self, RddController *controller)
{
	g_return_if_fail(RDD_IS_PLUGIN_CONTEXT(self));
	g_return_if_fail(RDD_IS_CONTROLLER(controller));
	rdd_controller_set_plugin(controller, self->name);
	g_ptr_array_add(self->controllers, g_object_ref(controller));
}

/**
 * rdd_plugin_context_add_route:
 * @self: a context
 * @endpoint: the endpoint name, without `/`
 * @func: the handler
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Adds an HTTP passthrough route `/passthrough/<plugin>/<endpoint>/...`.
 *
 * Since: 0.1
 */
void
rdd_plugin_context_add_route(RddPluginContext *self,
			     const gchar *endpoint,
			     RddRouteFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy)
{
	RddPluginRoute *route;

	g_return_if_fail(RDD_IS_PLUGIN_CONTEXT(self));
	g_return_if_fail(endpoint != NULL && endpoint[0] != '\0' && strchr(endpoint, '/') == NULL);
	g_return_if_fail(func != NULL);
	route = g_new0(RddPluginRoute, 1);
	route->endpoint = g_strdup(endpoint);
	route->func = func;
	route->user_data = user_data;
	route->destroy = destroy;
	g_ptr_array_add(self->routes, route);
}

/**
 * rdd_plugin_context_get_kinds:
 * @self: a context
 *
 * Returns: (transfer none) (element-type RddKind): the kinds the plugin added
 *
 * Since: 0.1
 */
GPtrArray *
rdd_plugin_context_get_kinds(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->kinds;
}

/**
 * rdd_plugin_context_get_controllers:
 * @self: a context
 *
 * Returns: (transfer none) (element-type RddController): the controllers the plugin added
 *
 * Since: 0.1
 */
GPtrArray *
rdd_plugin_context_get_controllers(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->controllers;
}

/**
 * rdd_plugin_context_get_routes:
 * @self: a context
 *
 * Returns: (transfer none) (element-type RddPluginRoute): the routes the plugin added
 *
 * Since: 0.1
 */
GPtrArray *
rdd_plugin_context_get_routes(RddPluginContext *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), NULL);
	return self->routes;
}

/*
 * The kind the store would refuse @kind for: one of the same kind and group (in any version) or
 * of the same plural and group, already registered or added earlier by this plugin.
 */
static RddKind *
rdd_plugin_context_find_clash(RddPluginContext *self, RddKind *kind, guint index)
{
	GPtrArray *registered = rdd_store_get_kinds(self->store);

	for (guint i = 0; i < registered->len + index; i++) {
		RddKind *other = i < registered->len ? g_ptr_array_index(registered, i)
						     : g_ptr_array_index(self->kinds, i - registered->len);
		if (g_strcmp0(rdd_kind_get_qualified_name(other), rdd_kind_get_qualified_name(kind)) ==
			0 ||
		    g_strcmp0(rdd_kind_get_qualified_plural(other),
			      rdd_kind_get_qualified_plural(kind)) == 0)
			return other;
	}
	return NULL;
}

/**
 * rdd_plugin_context_commit:
 * @self: a context whose plugin registered successfully
 * @error: return location for an error
 *
 * Hands the plugin's kinds and admission hooks to the store. Called by the loader; a kind that
 * clashes with one already registered fails the whole plugin, and nothing it added is kept.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_plugin_context_commit(RddPluginContext *self, GError **error)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_CONTEXT(self), FALSE);
	g_return_val_if_fail(!self->committed, FALSE);

	/* check every kind before registering any, so a clash leaves the store untouched */
	for (guint i = 0; i < self->kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(self->kinds, i);
		RddKind *other = rdd_plugin_context_find_clash(self, kind, i);
		const gchar *owner;

		if (other == NULL)
			continue;
		owner = rdd_kind_get_owner(other) != NULL ? rdd_kind_get_owner(other) : "another plugin";
		if (g_strcmp0(rdd_kind_get_qualified_name(other), rdd_kind_get_qualified_name(kind)) == 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_ALREADY_EXISTS,
				    "kind %s is already registered by %s",
				    rdd_kind_get_qualified_name(kind),
				    owner);
		} else {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_ALREADY_EXISTS,
				    "kind %s uses the plural %s of kind %s, registered by %s",
				    rdd_kind_get_qualified_name(kind),
				    rdd_kind_get_qualified_plural(kind),
				    rdd_kind_get_qualified_name(other),
				    owner);
		}
		return FALSE;
	}
	for (guint i = 0; i < self->kinds->len; i++) {
		if (!rdd_store_register_kind(self->store, g_ptr_array_index(self->kinds, i), error))
			return FALSE;
	}
	for (guint i = 0; i < self->hooks->len; i++) {
		RddPluginContextHook *hook = g_ptr_array_index(self->hooks, i);
		/* a hook without a name is named after its plugin in denial messages */
		rdd_store_add_admission(self->store,
					hook->kind,
					hook->type,
					hook->operations,
					hook->name != NULL ? hook->name : self->name,
					hook->func,
					hook->user_data,
					hook->destroy);
		hook->destroy = NULL; /* the store owns the user data now */
	}
	g_ptr_array_set_size(self->hooks, 0);
	self->committed = TRUE;
	return TRUE;
}
