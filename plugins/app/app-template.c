/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Rendering the Lima template of the App's VM: the bundled body with the App's CPUs and memory,
 * and a `param:` block (PARAM_* in provisioning scripts, {{.Param.*}} in the template).
 */

#include "config.h"

#include <stdlib.h>

#include "app-plugin.h"

/**
 * app_template_parse_memory:
 * @text: a size such as `6GiB`, `4096MiB` or `1073741824`
 * @bytes: (out): the size in bytes
 * @error: return location for an error
 *
 * Returns: %TRUE when @text is a size
 */
gboolean
app_template_parse_memory(const gchar *text, guint64 *bytes, GError **error)
{
	static const struct {
		const gchar *suffix;
		guint64 factor;
	} units[] = {{"TiB", 1ULL << 40}, {"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}, {"B", 1}};
	g_autofree gchar *number = g_strdup(text);
	guint64 factor = 1;
	gchar *end = NULL;
	gdouble value;

	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_str_has_suffix(number, units[i].suffix)) {
			number[strlen(number) - strlen(units[i].suffix)] = '\0';
			factor = units[i].factor;
			break;
		}
	}
	value = g_ascii_strtod(number, &end);
	if (number[0] == '\0' || end == NULL || *end != '\0' || value <= 0 || value * factor > (gdouble)G_MAXINT64) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "\"%s\" is not a memory size such as 6GiB", text);
		return FALSE;
	}
	*bytes = (guint64)(value * factor);
	return TRUE;
}

static void
app_template_set_param(JsonObject *params, const gchar *name, const gchar *value)
{
	json_object_set_string_member(params, name, value != NULL ? value : "");
}

/**
 * app_template_render:
 * @self: the plugin
 * @app: the App object
 * @error: return location for an error
 *
 * Returns: (transfer full): the Lima template for the App's VM, deterministic for a given spec
 */
gchar *
app_template_render(AppPlugin *self, JsonNode *app, GError **error)
{
	g_autoptr(JsonNode) doc = rdd_yaml_parse(self->template_base, -1, error);
	JsonObject *root, *params;
	const gchar *engine = rdd_json_lookup_string(app, "spec.containerEngine.name");
	JsonObject *kube = rdd_json_lookup_object(app, "spec.kubernetes");
	JsonObject *vm = rdd_json_lookup_object(app, "spec.vm");
	gboolean k8s = kube != NULL && json_object_get_boolean_member_with_default(kube, "enabled", FALSE);
	gint64 port = 0;
	g_autofree gchar *port_text = NULL;
	g_autofree gchar *k3s_config = NULL;
	g_autofree gchar *switch_log = NULL;

	if (doc == NULL || !JSON_NODE_HOLDS_OBJECT(doc)) {
		g_prefix_error(error, "the bundled Lima template is broken: ");
		return NULL;
	}
	root = json_node_get_object(doc);
	if (vm != NULL) {
		guint64 bytes = 0;
		const gchar *memory = json_object_get_string_member_with_default(vm, "memory", NULL);
		if (json_object_has_member(vm, "cpus"))
			json_object_set_int_member(root, "cpus", json_object_get_int_member(vm, "cpus"));
		if (memory != NULL) {
			g_autofree gchar *text = NULL;
			if (!app_template_parse_memory(memory, &bytes, error)) {
				g_prefix_error(error, "spec.vm.memory: ");
				return NULL;
			}
			text = g_strdup_printf("%" G_GUINT64_FORMAT, bytes);
			json_object_set_string_member(root, "memory", text);
		}
	}
	{
		JsonObject *status = rdd_json_lookup_object(app, "status");
		if (status != NULL)
			port = json_object_get_int_member_with_default(status, "kubernetesPort", 0);
	}
	port_text = g_strdup_printf("%" G_GINT64_FORMAT, k8s ? port : 0);
	k3s_config = g_strdup(rdd_instance_get_k3s_config_path(self->instance));
	switch_log = g_build_filename(rdd_instance_get_log_dir(self->instance), "vm-switch.log", NULL);
	params = json_object_new();
	app_template_set_param(params, "CONTAINER_ENGINE", engine != NULL ? engine : "moby");
	app_template_set_param(params, "HOST_DOCKER_SOCKET", rdd_instance_get_docker_socket(self->instance));
	app_template_set_param(params, "HOST_HOME_GUEST", g_get_home_dir());
	app_template_set_param(params, "HOST_INSTANCE_CONFIG", k3s_config);
	app_template_set_param(params, "VM_SWITCH_LOG", switch_log);
	app_template_set_param(params, "NETWORK_SETUP_EXTRA_ARGS", "");
	app_template_set_param(params, "GUEST_LOG_DIR", "");
	app_template_set_param(params, "KUBERNETES_ENABLED", k8s ? "true" : "false");
	app_template_set_param(params, "KUBERNETES_VERSION", kube != NULL ? json_object_get_string_member_with_default(kube, "version", "") : "");
	app_template_set_param(params, "KUBERNETES_PORT", port_text);
	json_object_set_object_member(root, "param", params);
	return rdd_yaml_emit(doc);
}
