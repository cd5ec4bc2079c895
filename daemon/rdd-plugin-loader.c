/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdd-plugin-loader.h"

#include "rdd-plugin-info-private.h"

struct _RddPluginLoader {
	GObject parent_instance;
	RddStore *store;
	RddInstance *instance;
	GPtrArray *dirs;    /* utf8 */
	GPtrArray *plugins; /* RddPluginInfo, in load order */
};

G_DEFINE_FINAL_TYPE(RddPluginLoader, rdd_plugin_loader, G_TYPE_OBJECT)

static void
rdd_plugin_loader_finalize(GObject *object)
{
	RddPluginLoader *self = RDD_PLUGIN_LOADER(object);
	g_ptr_array_unref(self->plugins);
	g_ptr_array_unref(self->dirs);
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	G_OBJECT_CLASS(rdd_plugin_loader_parent_class)->finalize(object);
}

static void
rdd_plugin_loader_class_init(RddPluginLoaderClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rdd_plugin_loader_finalize;
}

static void
rdd_plugin_loader_init(RddPluginLoader *self)
{
	self->dirs = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	self->plugins = g_ptr_array_new_with_free_func(g_object_unref);
}

/**
 * rdd_plugin_loader_new:
 * @store: the store plugins register into
 * @instance: (nullable): the instance handed to plugins
 *
 * Returns: (transfer full): a loader with no directories
 */
RddPluginLoader *
rdd_plugin_loader_new(RddStore *store, RddInstance *instance)
{
	RddPluginLoader *self = g_object_new(RDD_TYPE_PLUGIN_LOADER, NULL);
	self->store = g_object_ref(store);
	self->instance = instance != NULL ? g_object_ref(instance) : NULL;
	return self;
}

/**
 * rdd_plugin_loader_add_dir:
 * @self: a loader
 * @dir: a directory scanned for `*.so` files
 */
void
rdd_plugin_loader_add_dir(RddPluginLoader *self, const gchar *dir)
{
	g_return_if_fail(RDD_IS_PLUGIN_LOADER(self));
	for (guint i = 0; i < self->dirs->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->dirs, i), dir) == 0)
			return;
	}
	g_ptr_array_add(self->dirs, g_strdup(dir));
}

/**
 * rdd_plugin_loader_add_default_dirs:
 * @self: a loader
 *
 * Adds, in this order: each directory of `RDD_PLUGIN_PATH` (colon-separated), the installed
 * ABI-versioned directory, and the per-user directory for third-party plugins.
 */
void
rdd_plugin_loader_add_default_dirs(RddPluginLoader *self)
{
	const gchar *env = g_getenv("RDD_PLUGIN_PATH");
	g_autofree gchar *user_dir = rdd_instance_dup_user_plugin_dir();

	if (env != NULL) {
		g_auto(GStrv) parts = g_strsplit(env, G_SEARCHPATH_SEPARATOR_S, -1);
		for (guint i = 0; parts[i] != NULL; i++) {
			if (parts[i][0] != '\0')
				rdd_plugin_loader_add_dir(self, parts[i]);
		}
	}
	rdd_plugin_loader_add_dir(self, RDD_PLUGIN_DIR);
	rdd_plugin_loader_add_dir(self, user_dir);
}

/**
 * rdd_plugin_loader_get_dirs:
 * @self: a loader
 *
 * Returns: (array zero-terminated=1): the directories, in scan order
 */
const gchar *const *
rdd_plugin_loader_get_dirs(RddPluginLoader *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_LOADER(self), NULL);
	return (const gchar *const *)self->dirs->pdata;
}

static gboolean
rdd_plugin_loader_check_file(const gchar *filename, GError **error)
{
	GStatBuf st;
	uid_t uid = getuid();

	if (g_stat(filename, &st) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_FOUND,
			    "cannot read plugin %s: %s",
			    filename,
			    g_strerror(errno));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_FORBIDDEN,
			    "refusing plugin %s: not a regular file",
			    filename);
		return FALSE;
	}
	if (st.st_uid != uid && st.st_uid != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_FORBIDDEN,
			    "refusing plugin %s: it is owned by uid %u, not by uid %u or root",
			    filename,
			    (guint)st.st_uid,
			    (guint)uid);
		return FALSE;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_FORBIDDEN,
			    "refusing plugin %s: it is writable by group or others (mode %04o)",
			    filename,
			    (guint)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_plugin_loader_is_valid_name(const gchar *name)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > 63)
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-'))
			return FALSE;
	}
	return TRUE;
}

/* everything short of calling the plugin's code: open, find the symbol, check the descriptor */
static gboolean
rdd_plugin_loader_open(RddPluginLoader *self, RddPluginInfo *info, GError **error)
{
	RddPluginGetDescriptorFunc get_descriptor = NULL;
	const RddPluginDescriptor *desc;
	g_autoptr(GError) error_local = NULL;

	if (!rdd_plugin_loader_check_file(info->filename, error))
		return FALSE;
	info->module = g_module_open_full(info->filename, G_MODULE_BIND_LOCAL, &error_local);
	if (info->module == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "cannot load plugin %s: %s",
			    info->filename,
			    error_local->message);
		return FALSE;
	}
	if (!g_module_symbol(info->module, RDD_PLUGIN_DESCRIPTOR_SYMBOL, (gpointer *)&get_descriptor) ||
	    get_descriptor == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_SUPPORTED,
			    "%s is not an rdd plugin: it does not export %s()",
			    info->filename,
			    RDD_PLUGIN_DESCRIPTOR_SYMBOL);
		return FALSE;
	}
	desc = get_descriptor();
	if (desc == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "plugin %s returned no descriptor",
			    info->filename);
		return FALSE;
	}
	if (desc->abi_version != RDD_PLUGIN_ABI_VERSION) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_SUPPORTED,
			    "plugin %s was built for plugin ABI %u, but this daemon supports ABI %d; "
			    "rebuild it against rdd-core %d",
			    info->filename,
			    desc->abi_version,
			    RDD_PLUGIN_ABI_VERSION,
			    RDD_PLUGIN_ABI_VERSION);
		return FALSE;
	}
	if (desc->struct_size < G_STRUCT_OFFSET(RddPluginDescriptor, unregister_plugin)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_NOT_SUPPORTED,
			    "plugin %s has a descriptor of %u bytes, too small for ABI %d",
			    info->filename,
			    desc->struct_size,
			    RDD_PLUGIN_ABI_VERSION);
		return FALSE;
	}
	if (!rdd_plugin_loader_is_valid_name(desc->name)) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "plugin %s has an invalid name \"%s\": use lower-case letters, digits "
			    "and '-'",
			    info->filename,
			    desc->name != NULL ? desc->name : "");
		return FALSE;
	}
	g_free(info->name);
	info->name = g_strdup(desc->name);
	info->version = g_strdup(desc->version);
	info->api_group = g_strdup(desc->api_group);
	info->description = g_strdup(desc->description);
	if (desc->api_group == NULL || desc->api_group[0] == '\0' || strchr(desc->api_group, '.') == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "plugin %s has an invalid API group \"%s\": it must be a DNS name such "
			    "as example.com",
			    info->filename,
			    desc->api_group != NULL ? desc->api_group : "");
		return FALSE;
	}
	if (desc->register_plugin == NULL) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INVALID,
			    "plugin %s has no register function",
			    info->filename);
		return FALSE;
	}
	info->descriptor = desc;
	return TRUE;
}

static gboolean
rdd_plugin_loader_register(RddPluginLoader *self, RddPluginInfo *info, GError **error)
{
	g_autoptr(RddPluginContext) context = NULL;
	g_autoptr(GError) error_local = NULL;

	context = rdd_plugin_context_new(info->name, info->api_group, self->store, self->instance);
	/* the plugin's code runs from here: its module can never be unloaded again */
	g_module_make_resident(info->module);
	if (!info->descriptor->register_plugin(context, &error_local)) {
		if (error_local == NULL) {
			g_critical("plugin %s: register returned FALSE without an error", info->name);
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_INTERNAL,
				    "plugin %s failed to register without saying why",
				    info->name);
			return FALSE;
		}
		rdd_error_convert(&error_local);
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "plugin %s failed to register: ",
					   info->name);
		return FALSE;
	}
	if (!rdd_plugin_context_commit(context, error)) {
		g_prefix_error(error, "plugin %s: ", info->name);
		return FALSE;
	}
	info->context = g_steal_pointer(&context);
	return TRUE;
}

/**
 * rdd_plugin_loader_load_file:
 * @self: a loader
 * @filename: a plugin file
 *
 * Loads one plugin and records the outcome; never fails the daemon.
 *
 * Returns: (transfer none): the record
 */
RddPluginInfo *
rdd_plugin_loader_load_file(RddPluginLoader *self, const gchar *filename)
{
	g_autoptr(RddPluginInfo) info = g_object_new(RDD_TYPE_PLUGIN_INFO, NULL);
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *base = g_path_get_basename(filename);
	RddPluginInfo *other;

	info->filename = g_strdup(filename);
	info->name = g_strdup(base);
	info->state = RDD_PLUGIN_STATE_FAILED;
	if (rdd_plugin_loader_open(self, info, &error_local)) {
		other = rdd_plugin_loader_lookup(self, info->name);
		if (other != NULL && other->state == RDD_PLUGIN_STATE_LOADED) {
			info->state = RDD_PLUGIN_STATE_SHADOWED;
			g_set_error(&info->error,
				    RDD_ERROR,
				    RDD_ERROR_ALREADY_EXISTS,
				    "plugin %s is already loaded from %s",
				    info->name,
				    other->filename);
		} else if (rdd_plugin_loader_register(self, info, &error_local)) {
			info->state = RDD_PLUGIN_STATE_LOADED;
		}
	}
	if (error_local != NULL) {
		rdd_error_convert(&error_local);
		info->error = g_steal_pointer(&error_local);
	}
	if (info->state == RDD_PLUGIN_STATE_LOADED)
		g_info("loaded plugin %s %s (%s) from %s",
		       info->name,
		       info->version != NULL ? info->version : "",
		       info->api_group,
		       info->filename);
	else if (info->state == RDD_PLUGIN_STATE_FAILED)
		g_warning("%s", info->error->message);
	else
		g_info("%s", info->error->message);
	g_ptr_array_add(self->plugins, g_object_ref(info));
	return info;
}

static gint
rdd_plugin_loader_name_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * rdd_plugin_loader_load_all:
 * @self: a loader
 *
 * Scans every directory in order, and within a directory the `*.so` files in sorted name
 * order. A missing directory is skipped.
 */
void
rdd_plugin_loader_load_all(RddPluginLoader *self)
{
	g_return_if_fail(RDD_IS_PLUGIN_LOADER(self));
	for (guint i = 0; i < self->dirs->len; i++) {
		const gchar *dirname = g_ptr_array_index(self->dirs, i);
		g_autoptr(GDir) dir = g_dir_open(dirname, 0, NULL);
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		const gchar *name;

		if (dir == NULL) {
			g_debug("plugin directory %s does not exist", dirname);
			continue;
		}
		while ((name = g_dir_read_name(dir)) != NULL) {
			if (g_str_has_suffix(name, ".so"))
				g_ptr_array_add(names, g_strdup(name));
		}
		g_ptr_array_sort(names, rdd_plugin_loader_name_cmp);
		for (guint j = 0; j < names->len; j++) {
			g_autofree gchar *path = g_build_filename(dirname, g_ptr_array_index(names, j), NULL);
			rdd_plugin_loader_load_file(self, path);
		}
	}
}

/**
 * rdd_plugin_loader_get_plugins:
 * @self: a loader
 *
 * Returns: (transfer none) (element-type RddPluginInfo): every plugin file seen, in load order
 */
GPtrArray *
rdd_plugin_loader_get_plugins(RddPluginLoader *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_LOADER(self), NULL);
	return self->plugins;
}

/**
 * rdd_plugin_loader_lookup:
 * @self: a loader
 * @name: a plugin name
 *
 * Returns: (transfer none) (nullable): the loaded plugin of that name, else the first record
 */
RddPluginInfo *
rdd_plugin_loader_lookup(RddPluginLoader *self, const gchar *name)
{
	RddPluginInfo *found = NULL;
	g_return_val_if_fail(RDD_IS_PLUGIN_LOADER(self), NULL);
	for (guint i = 0; i < self->plugins->len; i++) {
		RddPluginInfo *info = g_ptr_array_index(self->plugins, i);
		if (g_strcmp0(info->name, name) != 0)
			continue;
		if (info->state == RDD_PLUGIN_STATE_LOADED)
			return info;
		if (found == NULL)
			found = info;
	}
	return found;
}

/**
 * rdd_plugin_loader_get_controllers:
 * @self: a loader
 *
 * Returns: (transfer container) (element-type RddController): the controllers of every loaded
 *   plugin
 */
GPtrArray *
rdd_plugin_loader_get_controllers(RddPluginLoader *self)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_object_unref);
	g_return_val_if_fail(RDD_IS_PLUGIN_LOADER(self), all);
	for (guint i = 0; i < self->plugins->len; i++) {
		RddPluginInfo *info = g_ptr_array_index(self->plugins, i);
		GPtrArray *ctrls;
		if (info->context == NULL)
			continue;
		ctrls = rdd_plugin_context_get_controllers(info->context);
		for (guint j = 0; j < ctrls->len; j++)
			g_ptr_array_add(all, g_object_ref(g_ptr_array_index(ctrls, j)));
	}
	return all;
}

/**
 * rdd_plugin_loader_lookup_route:
 * @self: a loader
 * @plugin: a plugin name
 * @endpoint: an endpoint name
 * @context: (out) (optional) (transfer none): the plugin's context
 *
 * Returns: (transfer none) (nullable): the route
 */
RddPluginRoute *
rdd_plugin_loader_lookup_route(RddPluginLoader *self,
			       const gchar *plugin,
			       const gchar *endpoint,
			       RddPluginContext **context)
{
	RddPluginInfo *info;
	GPtrArray *routes;

	g_return_val_if_fail(RDD_IS_PLUGIN_LOADER(self), NULL);
	info = rdd_plugin_loader_lookup(self, plugin);
	if (info == NULL || info->context == NULL)
		return NULL;
	routes = rdd_plugin_context_get_routes(info->context);
	for (guint i = 0; i < routes->len; i++) {
		RddPluginRoute *route = g_ptr_array_index(routes, i);
		if (g_strcmp0(route->endpoint, endpoint) == 0) {
			if (context != NULL)
				*context = info->context;
			return route;
		}
	}
	return NULL;
}

/**
 * rdd_plugin_loader_unregister_all:
 * @self: a loader
 *
 * Calls every loaded plugin's unregister function, in reverse load order.
 */
void
rdd_plugin_loader_unregister_all(RddPluginLoader *self)
{
	g_return_if_fail(RDD_IS_PLUGIN_LOADER(self));
	for (guint i = self->plugins->len; i > 0; i--) {
		RddPluginInfo *info = g_ptr_array_index(self->plugins, i - 1);
		if (info->state == RDD_PLUGIN_STATE_LOADED && info->descriptor->unregister_plugin != NULL)
			info->descriptor->unregister_plugin(info->context);
	}
}
