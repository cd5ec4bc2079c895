/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * RddPluginInfo: what the loader recorded about one plugin file.
 */

#include "config.h"

#include "rdd-plugin-info-private.h"

G_DEFINE_FINAL_TYPE(RddPluginInfo, rdd_plugin_info, G_TYPE_OBJECT)

/**
 * rdd_plugin_state_to_string:
 * @state: a state
 *
 * Returns: `loaded`, `failed` or `shadowed`
 */
const gchar *
rdd_plugin_state_to_string(RddPluginState state)
{
	switch (state) {
	case RDD_PLUGIN_STATE_LOADED:
		return "loaded";
	case RDD_PLUGIN_STATE_FAILED:
		return "failed";
	case RDD_PLUGIN_STATE_SHADOWED:
		return "shadowed";
	default:
		return "unknown";
	}
}

static void
rdd_plugin_info_finalize(GObject *object)
{
	RddPluginInfo *self = RDD_PLUGIN_INFO(object);
	g_free(self->name);
	g_free(self->filename);
	g_clear_error(&self->error);
	g_free(self->version);
	g_free(self->api_group);
	g_free(self->description);
	g_clear_object(&self->context);
	/* a module whose code ran stays resident; only an unused one is closed */
	if (self->module != NULL)
		g_module_close(self->module);
	G_OBJECT_CLASS(rdd_plugin_info_parent_class)->finalize(object);
}

static void
rdd_plugin_info_class_init(RddPluginInfoClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rdd_plugin_info_finalize;
}

static void
rdd_plugin_info_init(RddPluginInfo *self)
{
}

/**
 * rdd_plugin_info_get_name:
 * @self: a plugin record
 *
 * Returns: the plugin name, or the file's base name when the plugin could not say
 */
const gchar *
rdd_plugin_info_get_name(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->name;
}

/**
 * rdd_plugin_info_get_filename:
 * @self: a plugin record
 *
 * Returns: the `.so` file
 */
const gchar *
rdd_plugin_info_get_filename(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->filename;
}

/**
 * rdd_plugin_info_get_state:
 * @self: a plugin record
 *
 * Returns: the state
 */
RddPluginState
rdd_plugin_info_get_state(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), RDD_PLUGIN_STATE_FAILED);
	return self->state;
}

/**
 * rdd_plugin_info_get_error:
 * @self: a plugin record
 *
 * Returns: (nullable): why the plugin failed or was shadowed
 */
const GError *
rdd_plugin_info_get_error(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->error;
}

/**
 * rdd_plugin_info_get_version:
 * @self: a plugin record
 *
 * Returns: (nullable): the plugin's version
 */
const gchar *
rdd_plugin_info_get_version(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->version;
}

/**
 * rdd_plugin_info_get_api_group:
 * @self: a plugin record
 *
 * Returns: (nullable): the plugin's API group
 */
const gchar *
rdd_plugin_info_get_api_group(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->api_group;
}

/**
 * rdd_plugin_info_get_description:
 * @self: a plugin record
 *
 * Returns: (nullable): the plugin's description
 */
const gchar *
rdd_plugin_info_get_description(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->description;
}

/**
 * rdd_plugin_info_get_context:
 * @self: a plugin record
 *
 * Returns: (transfer none) (nullable): the context of a loaded plugin
 */
RddPluginContext *
rdd_plugin_info_get_context(RddPluginInfo *self)
{
	g_return_val_if_fail(RDD_IS_PLUGIN_INFO(self), NULL);
	return self->context;
}

/**
 * rdd_plugin_info_to_json:
 * @self: a plugin record
 * @controllers_spec: (nullable): the daemon's `--controllers` value, to report which
 *   controllers are enabled
 *
 * Returns: (transfer full): the record as served by the API and `rdd plugins`
 */
JsonNode *
rdd_plugin_info_to_json(RddPluginInfo *self, const gchar *controllers_spec)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, self->name);
	json_builder_set_member_name(builder, "filename");
	json_builder_add_string_value(builder, self->filename);
	json_builder_set_member_name(builder, "state");
	json_builder_add_string_value(builder, rdd_plugin_state_to_string(self->state));
	json_builder_set_member_name(builder, "version");
	json_builder_add_string_value(builder, self->version != NULL ? self->version : "");
	json_builder_set_member_name(builder, "apiGroup");
	json_builder_add_string_value(builder, self->api_group != NULL ? self->api_group : "");
	json_builder_set_member_name(builder, "description");
	json_builder_add_string_value(builder, self->description != NULL ? self->description : "");
	json_builder_set_member_name(builder, "error");
	json_builder_add_string_value(builder, self->error != NULL ? self->error->message : "");
	json_builder_set_member_name(builder, "errorCode");
	json_builder_add_string_value(builder,
				      self->error != NULL && self->error->domain == RDD_ERROR
					  ? rdd_error_code_to_string(self->error->code)
					  : "");
	json_builder_set_member_name(builder, "kinds");
	json_builder_begin_array(builder);
	if (self->context != NULL) {
		GPtrArray *kinds = rdd_plugin_context_get_kinds(self->context);
		for (guint i = 0; i < kinds->len; i++)
			json_builder_add_string_value(builder, rdd_kind_get_name(g_ptr_array_index(kinds, i)));
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "controllers");
	json_builder_begin_array(builder);
	if (self->context != NULL) {
		GPtrArray *ctrls = rdd_plugin_context_get_controllers(self->context);
		for (guint i = 0; i < ctrls->len; i++) {
			RddController *ctrl = g_ptr_array_index(ctrls, i);
			json_builder_begin_object(builder);
			json_builder_set_member_name(builder, "name");
			json_builder_add_string_value(builder, rdd_controller_get_name(ctrl));
			json_builder_set_member_name(builder, "group");
			json_builder_add_string_value(builder, rdd_controller_get_group(ctrl));
			json_builder_set_member_name(builder, "enabled");
			json_builder_add_boolean_value(builder,
						       rdd_controller_selection_enabled(controllers_spec,
											rdd_controller_get_name(ctrl),
											rdd_controller_get_group(ctrl)));
			json_builder_set_member_name(builder, "running");
			json_builder_add_boolean_value(builder, rdd_controller_is_running(ctrl));
			json_builder_set_member_name(builder, "reconciles");
			json_builder_add_int_value(builder, rdd_controller_get_reconcile_count(ctrl));
			json_builder_set_member_name(builder, "errors");
			json_builder_add_int_value(builder, rdd_controller_get_error_count(ctrl));
			json_builder_set_member_name(builder, "lastError");
			json_builder_add_string_value(builder,
						      rdd_controller_get_last_error(ctrl) != NULL
							  ? rdd_controller_get_last_error(ctrl)
							  : "");
			json_builder_end_object(builder);
		}
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "routes");
	json_builder_begin_array(builder);
	if (self->context != NULL) {
		GPtrArray *routes = rdd_plugin_context_get_routes(self->context);
		for (guint i = 0; i < routes->len; i++) {
			RddPluginRoute *route = g_ptr_array_index(routes, i);
			json_builder_add_string_value(builder, route->endpoint);
		}
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

