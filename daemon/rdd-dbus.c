/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * RddDbus: the io.rancherdesktop.Rdd1 interface on the session bus, for the tray applet.
 *
 * The interface is described once, in schemas/io.rancherdesktop.Rdd1.xml, compiled into the
 * daemon as a GResource. Methods dispatch through the static table rdd_dbus_methods[] and
 * properties come from rdd_dbus_properties[]; rdd_dbus_check_interface() refuses an interface
 * that has a member without an entry or an entry without a member, so the XML and the code
 * cannot drift apart.
 */

#include "config.h"

#include "rdd-dbus-resources.h"
#include "rdd-dbus.h"

#define RDD_DBUS_RESOURCE_PATH "/io/rancherdesktop/rdd/dbus/" RDD_DBUS_INTERFACE ".xml"
#define RDD_DBUS_FIELD_MANAGER "rdd-dbus"
#define RDD_DBUS_APP_KIND "App"

/* a bus name is at most 255 bytes; longer instance suffixes are shortened and hashed */
#define RDD_DBUS_NAME_MAX 255
#define RDD_DBUS_SUFFIX_KEEP 200

/* how deep a property path may go; the App spec is three levels deep */
#define RDD_DBUS_PATH_DEPTH_MAX 16

typedef enum {
	RDD_DBUS_PROP_RUNNING,
	RDD_DBUS_PROP_SETTLED,
	RDD_DBUS_PROP_STATE,
	RDD_DBUS_PROP_REASON,
	RDD_DBUS_PROP_MESSAGE,
	RDD_DBUS_PROP_CONTAINER_ENGINE,
	RDD_DBUS_PROP_KUBERNETES_ENABLED,
	RDD_DBUS_PROP_VERSION,
	RDD_DBUS_PROP_LAST
} RddDbusProperty;

struct _RddDbus {
	GObject parent_instance;
	RddStore *store;
	RddInstance *instance;
	RddPluginLoader *loader; /* nullable */
	gchar *controllers;
	gchar *bus_name;
	GDBusNodeInfo *node_info;
	GDBusConnection *connection;
	guint registration_id;
	guint owner_id;
	gboolean name_owned;
	gboolean started;
	gulong store_handlers[3];
	gulong closed_handler;
	GVariant *values[RDD_DBUS_PROP_LAST]; /* the property values last announced */
};

G_DEFINE_FINAL_TYPE(RddDbus, rdd_dbus, G_TYPE_OBJECT)

/* properties: the table the XML is checked against, in RddDbusProperty order */
typedef struct {
	RddDbusProperty id;
	const gchar *name;
	const gchar *signature;
} RddDbusPropertyEntry;

static const RddDbusPropertyEntry rdd_dbus_properties[] = {
	{RDD_DBUS_PROP_RUNNING, "Running", "b"},
	{RDD_DBUS_PROP_SETTLED, "Settled", "b"},
	{RDD_DBUS_PROP_STATE, "State", "s"},
	{RDD_DBUS_PROP_REASON, "Reason", "s"},
	{RDD_DBUS_PROP_MESSAGE, "Message", "s"},
	{RDD_DBUS_PROP_CONTAINER_ENGINE, "ContainerEngine", "s"},
	{RDD_DBUS_PROP_KUBERNETES_ENABLED, "KubernetesEnabled", "b"},
	{RDD_DBUS_PROP_VERSION, "Version", "s"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(rdd_dbus_properties) == RDD_DBUS_PROP_LAST);

/* methods: name -> handler, with the signatures the XML must declare */
typedef GVariant *(*RddDbusMethodFunc)(RddDbus *self, GVariant *parameters, GError **error);

typedef struct {
	const gchar *name;
	const gchar *in_signature;
	const gchar *out_signature;
	RddDbusMethodFunc func;
} RddDbusMethod;

static GVariant *rdd_dbus_method_start(RddDbus *self, GVariant *parameters, GError **error);
static GVariant *rdd_dbus_method_stop(RddDbus *self, GVariant *parameters, GError **error);
static GVariant *rdd_dbus_method_set(RddDbus *self, GVariant *parameters, GError **error);
static GVariant *rdd_dbus_method_get_app(RddDbus *self, GVariant *parameters, GError **error);
static GVariant *rdd_dbus_method_list_plugins(RddDbus *self, GVariant *parameters, GError **error);

static const RddDbusMethod rdd_dbus_methods[] = {
	{"Start", "()", "(x)", rdd_dbus_method_start},
	{"Stop", "()", "(x)", rdd_dbus_method_stop},
	{"Set", "(a{ss})", "(x)", rdd_dbus_method_set},
	{"GetApp", "()", "(s)", rdd_dbus_method_get_app},
	{"ListPlugins", "()", "(s)", rdd_dbus_method_list_plugins},
};

/* JSON accessors that never emit a critical on a member of an unexpected type */

static const gchar *
rdd_dbus_json_string(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

static gboolean
rdd_dbus_json_boolean(JsonNode *root, const gchar *path)
{
	JsonNode *node = rdd_json_lookup(root, path);
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
		return FALSE;
	return json_node_get_boolean(node);
}

static gint64
rdd_dbus_json_int(JsonObject *obj, const gchar *member, gint64 fallback)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
		return fallback;
	return json_node_get_int(node);
}

/* the object of condition @type in status.conditions, without assuming its shape */
static JsonObject *
rdd_dbus_find_condition(JsonObject *status, const gchar *type)
{
	JsonNode *node = status != NULL ? json_object_get_member(status, "conditions") : NULL;
	JsonArray *conditions;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return NULL;
	conditions = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(conditions); i++) {
		JsonNode *item = json_array_get_element(conditions, i);
		if (!JSON_NODE_HOLDS_OBJECT(item))
			continue;
		if (g_strcmp0(rdd_dbus_json_string(json_node_get_object(item), "type"), type) == 0)
			return json_node_get_object(item);
	}
	return NULL;
}

/* a condition of the current generation reports a failure (StartFailed, ConnectFailed, ...) */
static gboolean
rdd_dbus_has_failure(JsonObject *status, gint64 generation)
{
	JsonNode *node = status != NULL ? json_object_get_member(status, "conditions") : NULL;
	JsonArray *conditions;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return FALSE;
	conditions = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(conditions); i++) {
		JsonNode *item = json_array_get_element(conditions, i);
		JsonObject *cond;
		const gchar *reason;
		if (!JSON_NODE_HOLDS_OBJECT(item))
			continue;
		cond = json_node_get_object(item);
		reason = rdd_dbus_json_string(cond, "reason");
		if (reason == NULL || !g_str_has_suffix(reason, "Failed"))
			continue;
		if (g_strcmp0(rdd_dbus_json_string(cond, "status"), RDD_CONDITION_TRUE) == 0)
			continue;
		if (rdd_dbus_json_int(cond, "observedGeneration", -1) >= generation)
			return TRUE;
	}
	return FALSE;
}

static const gchar *
rdd_dbus_compute_state(RddObject *app, gboolean running, gboolean settled, JsonObject *status, gint64 generation)
{
	JsonObject *running_cond;
	const gchar *reason;

	if (app == NULL)
		return "absent";
	if (rdd_object_is_deleting(app))
		return "stopping";
	if (settled)
		return running ? "running" : "stopped";
	if (rdd_dbus_has_failure(status, generation))
		return "error";
	running_cond = rdd_dbus_find_condition(status, RDD_COND_RUNNING);
	reason = rdd_dbus_json_string(running_cond, "reason");
	if (running) {
		if (g_strcmp0(rdd_dbus_json_string(running_cond, "status"), RDD_CONDITION_TRUE) == 0)
			return "settling";
		return "starting";
	}
	if (running_cond == NULL || g_strcmp0(reason, RDD_REASON_STOPPED) == 0)
		return "settling";
	return "stopping";
}

/* every property value for @app, which may be %NULL when there is no App */
static void
rdd_dbus_compute_values(RddObject *app, GVariant **values)
{
	g_autoptr(JsonNode) spec = app != NULL ? rdd_object_dup_member(app, "spec") : NULL;
	g_autoptr(JsonNode) status_node = app != NULL ? rdd_object_dup_member(app, "status") : NULL;
	JsonObject *status = status_node != NULL && JSON_NODE_HOLDS_OBJECT(status_node) ?
				     json_node_get_object(status_node) :
				     NULL;
	gint64 generation = app != NULL ? rdd_object_get_generation(app) : 0;
	JsonObject *settled_cond = rdd_dbus_find_condition(status, RDD_COND_SETTLED);
	JsonObject *source = settled_cond != NULL ? settled_cond :
						    rdd_dbus_find_condition(status, RDD_COND_RUNNING);
	gboolean running = rdd_dbus_json_boolean(spec, "running");
	gboolean settled = settled_cond != NULL &&
			   g_strcmp0(rdd_dbus_json_string(settled_cond, "status"), RDD_CONDITION_TRUE) == 0 &&
			   rdd_dbus_json_int(settled_cond, "observedGeneration", -1) >= generation;
	const gchar *engine = rdd_json_lookup_string(spec, "containerEngine.name");
	const gchar *reason = rdd_dbus_json_string(source, "reason");
	const gchar *message = rdd_dbus_json_string(source, "message");

	values[RDD_DBUS_PROP_RUNNING] = g_variant_ref_sink(g_variant_new_boolean(running));
	values[RDD_DBUS_PROP_SETTLED] = g_variant_ref_sink(g_variant_new_boolean(settled));
	values[RDD_DBUS_PROP_STATE] = g_variant_ref_sink(
		g_variant_new_string(rdd_dbus_compute_state(app, running, settled, status, generation)));
	values[RDD_DBUS_PROP_REASON] =
		g_variant_ref_sink(g_variant_new_string(reason != NULL ? reason : ""));
	values[RDD_DBUS_PROP_MESSAGE] = g_variant_ref_sink(g_variant_new_string(
		message != NULL && g_utf8_validate(message, -1, NULL) ? message : ""));
	values[RDD_DBUS_PROP_CONTAINER_ENGINE] =
		g_variant_ref_sink(g_variant_new_string(engine != NULL ? engine : ""));
	values[RDD_DBUS_PROP_KUBERNETES_ENABLED] =
		g_variant_ref_sink(g_variant_new_boolean(rdd_dbus_json_boolean(spec, "kubernetes.enabled")));
	values[RDD_DBUS_PROP_VERSION] = g_variant_ref_sink(g_variant_new_string(PACKAGE_VERSION));
}

static void
rdd_dbus_clear_values(GVariant **values)
{
	for (guint i = 0; i < RDD_DBUS_PROP_LAST; i++)
		g_clear_pointer(&values[i], g_variant_unref);
}

static gboolean
rdd_dbus_is_the_app(RddObject *object)
{
	RddKind *kind = rdd_object_get_kind(object);
	return g_strcmp0(rdd_kind_get_group(kind), RDD_APP_GROUP) == 0 &&
	       g_strcmp0(rdd_kind_get_name(kind), RDD_DBUS_APP_KIND) == 0 &&
	       g_strcmp0(rdd_object_get_name(object), RDD_APP_NAME) == 0;
}

/* recomputes the properties and announces those whose value changed */
static void
rdd_dbus_update(RddDbus *self, RddObject *app)
{
	GVariant *values[RDD_DBUS_PROP_LAST] = {NULL};
	g_auto(GVariantBuilder) changed = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{sv}"));
	guint n_changed = 0;
	g_autoptr(GError) error_local = NULL;

	rdd_dbus_compute_values(app, values);
	for (guint i = 0; i < RDD_DBUS_PROP_LAST; i++) {
		if (self->values[i] != NULL && g_variant_equal(self->values[i], values[i])) {
			g_variant_unref(values[i]);
			continue;
		}
		g_variant_builder_add(&changed, "{sv}", rdd_dbus_properties[i].name, values[i]);
		g_clear_pointer(&self->values[i], g_variant_unref);
		self->values[i] = values[i];
		n_changed++;
	}
	if (n_changed == 0 || self->connection == NULL || self->registration_id == 0 ||
	    g_dbus_connection_is_closed(self->connection))
		return;
	if (!g_dbus_connection_emit_signal(
		    self->connection, NULL, RDD_DBUS_OBJECT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged",
		    g_variant_new("(sa{sv}as)", RDD_DBUS_INTERFACE, &changed, NULL), &error_local))
		g_warning("cannot emit PropertiesChanged: %s", error_local->message);
}

static void
rdd_dbus_object_added_cb(RddStore *store, RddObject *object, gpointer user_data)
{
	if (rdd_dbus_is_the_app(object))
		rdd_dbus_update(RDD_DBUS(user_data), object);
}

static void
rdd_dbus_object_changed_cb(RddStore *store, RddObject *old, RddObject *object, gpointer user_data)
{
	if (rdd_dbus_is_the_app(object))
		rdd_dbus_update(RDD_DBUS(user_data), object);
}

static void
rdd_dbus_object_removed_cb(RddStore *store, RddObject *object, gpointer user_data)
{
	if (rdd_dbus_is_the_app(object))
		rdd_dbus_update(RDD_DBUS(user_data), NULL);
}

/* the App kind, or NotFound worded as `rdd set` words it */
static RddKind *
rdd_dbus_app_kind(RddDbus *self, GError **error)
{
	RddKind *kind = rdd_store_find_kind(self->store, RDD_APP_API_VERSION, RDD_DBUS_APP_KIND);
	if (kind == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
				    "app CRD is not installed; make sure the control plane is running "
				    "with the app controller enabled");
		return NULL;
	}
	return kind;
}

static gboolean
rdd_dbus_schema_is_object(RddSchema *schema)
{
	return rdd_schema_get_value_type(schema) == RDD_SCHEMA_TYPE_OBJECT;
}

/* the settable leaf paths below @schema, sorted; `namespace` is left out at the top */
static void
rdd_dbus_collect_leaves(RddSchema *schema, const gchar *prefix, guint depth, GPtrArray *out)
{
	g_autoptr(GPtrArray) names = rdd_schema_get_property_names(schema);

	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		RddSchema *child = rdd_schema_get_property(schema, name);
		g_autofree gchar *path = NULL;
		g_autoptr(GPtrArray) grandchildren = NULL;

		if (prefix[0] == '\0' && g_strcmp0(name, "namespace") == 0)
			continue;
		path = prefix[0] != '\0' ? g_strdup_printf("%s.%s", prefix, name) : g_strdup(name);
		grandchildren = rdd_schema_get_property_names(child);
		if (rdd_dbus_schema_is_object(child) && grandchildren->len > 0 && depth < RDD_DBUS_PATH_DEPTH_MAX)
			rdd_dbus_collect_leaves(child, path, depth + 1, out);
		else
			g_ptr_array_add(out, g_steal_pointer(&path));
	}
}

static gchar *
rdd_dbus_valid_properties(RddSchema *spec)
{
	g_autoptr(GPtrArray) leaves = g_ptr_array_new_null_terminated(8, g_free, TRUE);
	rdd_dbus_collect_leaves(spec, "", 0, leaves);
	return g_strjoinv(", ", (gchar **)leaves->pdata);
}

/* the schema of the leaf @path below spec, or an Invalid error worded as `rdd set` words it */
static RddSchema *
rdd_dbus_resolve(RddSchema *spec, const gchar *path, GError **error)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GString) prefix = g_string_new(NULL);
	g_autoptr(GPtrArray) names = NULL;
	RddSchema *node = spec;

	if (path[0] == '\0') {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "property name must not be empty");
		return NULL;
	}
	if (g_strcmp0(path, "namespace") == 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "namespace: the App's namespace cannot be set");
		return NULL;
	}
	parts = g_strsplit(path, ".", RDD_DBUS_PATH_DEPTH_MAX + 1);
	if (g_strv_length(parts) > RDD_DBUS_PATH_DEPTH_MAX) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: property path has more than %u parts",
			    path, (guint)RDD_DBUS_PATH_DEPTH_MAX);
		return NULL;
	}
	for (guint i = 0; parts[i] != NULL; i++) {
		RddSchema *child;
		if (parts[i][0] == '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "%s: property name must not be empty", path);
			return NULL;
		}
		if (i > 0 && !rdd_dbus_schema_is_object(node)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "%s: \"%s\" is not an object and has no sub-properties", path,
				    prefix->str);
			return NULL;
		}
		child = (i > 0 || g_strcmp0(parts[i], "namespace") != 0) ?
				rdd_schema_get_property(node, parts[i]) :
				NULL;
		if (child == NULL) {
			g_autofree gchar *valid = rdd_dbus_valid_properties(spec);
			if (prefix->len > 0)
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
					    "%s: unknown property \"%s\" under \"%s\"; valid "
					    "properties: %s",
					    path, parts[i], prefix->str, valid);
			else
				g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
					    "%s: unknown property \"%s\"; valid properties: %s",
					    path, parts[i], valid);
			return NULL;
		}
		if (prefix->len > 0)
			g_string_append_c(prefix, '.');
		g_string_append(prefix, parts[i]);
		node = child;
	}
	names = rdd_schema_get_property_names(node);
	if (rdd_dbus_schema_is_object(node) && names->len > 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "%s: \"%s\" is an object; set its fields, e.g. \"%s.%s\"", path, path,
			    path, (const gchar *)g_ptr_array_index(names, 0));
		return NULL;
	}
	return node;
}

/* Go's strconv.ParseBool */
static gboolean
rdd_dbus_parse_bool(const gchar *text, gboolean *value)
{
	const gchar *yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	const gchar *no[] = {"0", "f", "F", "FALSE", "false", "False"};

	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_strcmp0(text, yes[i]) == 0) {
			*value = TRUE;
			return TRUE;
		}
		if (g_strcmp0(text, no[i]) == 0) {
			*value = FALSE;
			return TRUE;
		}
	}
	return FALSE;
}

/* @value as the JSON the schema asks for */
static JsonNode *
rdd_dbus_coerce(RddSchema *schema, const gchar *path, const gchar *value, GError **error)
{
	JsonArray *enums = rdd_schema_get_enum(schema);

	if (enums != NULL && json_array_get_length(enums) > 0) {
		g_autoptr(GString) valid = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(enums); i++) {
			JsonNode *candidate = json_array_get_element(enums, i);
			g_autofree gchar *text = NULL;
			if (JSON_NODE_HOLDS_VALUE(candidate) && json_node_get_value_type(candidate) == G_TYPE_STRING) {
				if (g_strcmp0(json_node_get_string(candidate), value) == 0)
					return json_node_copy(candidate);
				text = g_strdup(json_node_get_string(candidate));
			} else {
				/* a non-string enum (integer, boolean): compare its JSON text */
				text = rdd_json_to_string(candidate, FALSE);
				if (g_strcmp0(text, value) == 0)
					return json_node_copy(candidate);
			}
			if (i > 0)
				g_string_append(valid, ", ");
			g_string_append(valid, text);
		}
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "%s: invalid value \"%s\" for \"%s\": valid values: %s", path, value,
			    path, valid->str);
		return NULL;
	}
	switch (rdd_schema_get_value_type(schema)) {
	case RDD_SCHEMA_TYPE_BOOLEAN: {
		gboolean b = FALSE;
		if (!rdd_dbus_parse_bool(value, &b)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "%s: invalid value \"%s\": expected boolean; use \"true\" or "
				    "\"false\"",
				    path, value);
			return NULL;
		}
		return json_node_init_boolean(json_node_alloc(), b);
	}
	case RDD_SCHEMA_TYPE_INTEGER: {
		gint64 n = 0;
		if (!g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &n, NULL)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "%s: invalid value \"%s\": expected integer", path, value);
			return NULL;
		}
		return json_node_init_int(json_node_alloc(), n);
	}
	case RDD_SCHEMA_TYPE_STRING:
		return json_node_init_string(json_node_alloc(), value);
	default:
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: properties of type %s cannot be set",
			    path, rdd_schema_get_value_type_name(schema));
		return NULL;
	}
}

/* @properties (path -> text) as a nested spec object; every value is checked first */
static JsonObject *
rdd_dbus_build_spec(RddSchema *spec_schema, GVariant *properties, GError **error)
{
	g_autoptr(JsonObject) spec = json_object_new();
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GVariantIter iter;
	const gchar *key;
	const gchar *text;

	g_variant_iter_init(&iter, properties);
	while (g_variant_iter_next(&iter, "{&s&s}", &key, &text)) {
		/* a dictionary on the wire may repeat a key: the last one wins */
		if (!g_hash_table_contains(values, key))
			g_ptr_array_add(paths, g_strdup(key));
		g_hash_table_insert(values, g_strdup(key), g_strdup(text));
	}
	if (paths->len == 0) {
		g_autofree gchar *valid = rdd_dbus_valid_properties(spec_schema);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "no properties given; valid properties: %s", valid);
		return NULL;
	}
	for (guint i = 0; i < paths->len; i++) {
		const gchar *path = g_ptr_array_index(paths, i);
		RddSchema *schema = rdd_dbus_resolve(spec_schema, path, error);
		g_auto(GStrv) parts = NULL;
		JsonObject *obj = spec;
		JsonNode *value;
		guint n;

		if (schema == NULL)
			return NULL;
		value = rdd_dbus_coerce(schema, path, g_hash_table_lookup(values, path), error);
		if (value == NULL)
			return NULL;
		parts = g_strsplit(path, ".", -1);
		n = g_strv_length(parts);
		for (guint p = 0; p + 1 < n; p++)
			obj = rdd_json_object_ensure_object(obj, parts[p]);
		json_object_set_member(obj, parts[n - 1], value);
	}
	return g_steal_pointer(&spec);
}

/* zero values for required fields not given, inside the objects that were given */
static void
rdd_dbus_fill_required(RddSchema *schema, JsonObject *obj, guint depth)
{
	g_autoptr(GPtrArray) names = rdd_schema_get_property_names(schema);

	if (depth > RDD_DBUS_PATH_DEPTH_MAX)
		return;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		RddSchema *child = rdd_schema_get_property(schema, name);
		JsonArray *enums = rdd_schema_get_enum(child);
		JsonNode *member = json_object_get_member(obj, name);

		if (member != NULL) {
			if (JSON_NODE_HOLDS_OBJECT(member))
				rdd_dbus_fill_required(child, json_node_get_object(member), depth + 1);
			continue;
		}
		if (!rdd_schema_is_required(schema, name))
			continue;
		if (enums != NULL && json_array_get_length(enums) > 0) {
			json_object_set_member(obj, name, json_node_copy(json_array_get_element(enums, 0)));
			continue;
		}
		switch (rdd_schema_get_value_type(child)) {
		case RDD_SCHEMA_TYPE_BOOLEAN:
			json_object_set_boolean_member(obj, name, FALSE);
			break;
		case RDD_SCHEMA_TYPE_INTEGER:
			json_object_set_int_member(obj, name, 0);
			break;
		case RDD_SCHEMA_TYPE_STRING:
			json_object_set_string_member(obj, name, "");
			break;
		default:
			break;
		}
	}
}

/* an empty object node; json_node_init_object() would take a second reference */
static JsonNode *
rdd_dbus_new_object_node(void)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, json_object_new());
	return node;
}

/* creates the App with @spec (plus required zero values) or merge-patches its spec */
static RddObject *
rdd_dbus_write_app(RddDbus *self, RddKind *kind, JsonObject *spec, GError **error)
{
	RddWriteOptions options = {.field_manager = RDD_DBUS_FIELD_MANAGER};
	g_autoptr(RddObject) current = rdd_store_lookup(self->store, kind, NULL, RDD_APP_NAME);
	g_autoptr(JsonNode) patch = NULL;
	JsonObject *root;

	if (current == NULL) {
		g_autoptr(JsonNode) body = rdd_dbus_new_object_node();
		g_autoptr(JsonNode) spec_node = json_node_init_object(json_node_alloc(), spec);
		g_autoptr(JsonNode) create_spec = rdd_json_deep_copy(spec_node);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(RddObject) created = NULL;
		JsonObject *meta;

		root = json_node_get_object(body);
		json_object_set_string_member(root, "apiVersion", RDD_APP_API_VERSION);
		json_object_set_string_member(root, "kind", RDD_DBUS_APP_KIND);
		meta = rdd_json_object_ensure_object(root, "metadata");
		json_object_set_string_member(meta, "name", RDD_APP_NAME);
		rdd_dbus_fill_required(rdd_schema_lookup(rdd_kind_get_schema(kind), "spec"),
				       json_node_get_object(create_spec), 0);
		json_object_set_member(root, "spec", g_steal_pointer(&create_spec));
		created = rdd_store_create(self->store, body, &options, &error_local);
		if (created != NULL) {
			g_info("App created over D-Bus");
			return g_steal_pointer(&created);
		}
		if (!g_error_matches(error_local, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		/* created meanwhile: fall back to a patch */
	}
	patch = rdd_dbus_new_object_node();
	root = json_node_get_object(patch);
	json_object_set_object_member(root, "spec", json_object_ref(spec));
	return rdd_store_patch(self->store, kind, NULL, RDD_APP_NAME, RDD_PATCH_MERGE, patch, FALSE,
			       &options, error);
}

static GVariant *
rdd_dbus_set_properties(RddDbus *self, GVariant *properties, GError **error)
{
	RddKind *kind = rdd_dbus_app_kind(self, error);
	RddSchema *spec_schema;
	g_autoptr(JsonObject) spec = NULL;
	g_autoptr(RddObject) app = NULL;

	if (kind == NULL)
		return NULL;
	spec_schema = rdd_schema_lookup(rdd_kind_get_schema(kind), "spec");
	if (spec_schema == NULL || !rdd_dbus_schema_is_object(spec_schema)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "the App schema has no spec object");
		return NULL;
	}
	spec = rdd_dbus_build_spec(spec_schema, properties, error);
	if (spec == NULL)
		return NULL;
	app = rdd_dbus_write_app(self, kind, spec, error);
	if (app == NULL)
		return NULL;
	return g_variant_new("(x)", rdd_object_get_generation(app));
}

static GVariant *
rdd_dbus_method_start(RddDbus *self, GVariant *parameters, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));
	g_autoptr(GVariant) properties = NULL;

	g_variant_builder_add(&builder, "{ss}", "running", "true");
	properties = g_variant_ref_sink(g_variant_builder_end(&builder));
	return rdd_dbus_set_properties(self, properties, error);
}

static GVariant *
rdd_dbus_method_stop(RddDbus *self, GVariant *parameters, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));
	g_autoptr(GVariant) properties = NULL;
	RddKind *kind = rdd_store_find_kind(self->store, RDD_APP_API_VERSION, RDD_DBUS_APP_KIND);
	g_autoptr(RddObject) app = NULL;

	/* nothing to stop: no App is created just to say it should not run */
	if (kind != NULL)
		app = rdd_store_lookup(self->store, kind, NULL, RDD_APP_NAME);
	if (app == NULL)
		return g_variant_new("(x)", (gint64)0);
	g_variant_builder_add(&builder, "{ss}", "running", "false");
	properties = g_variant_ref_sink(g_variant_builder_end(&builder));
	return rdd_dbus_set_properties(self, properties, error);
}

static GVariant *
rdd_dbus_method_set(RddDbus *self, GVariant *parameters, GError **error)
{
	g_autoptr(GVariant) properties = g_variant_get_child_value(parameters, 0);
	return rdd_dbus_set_properties(self, properties, error);
}

static GVariant *
rdd_dbus_method_get_app(RddDbus *self, GVariant *parameters, GError **error)
{
	RddKind *kind = rdd_dbus_app_kind(self, error);
	g_autoptr(RddObject) app = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;
	const gchar *json;

	if (kind == NULL)
		return NULL;
	app = rdd_store_get(self->store, kind, NULL, RDD_APP_NAME, error);
	if (app == NULL)
		return NULL;
	json = rdd_object_get_json(app, &len);
	text = g_strndup(json, len);
	return g_variant_new("(s)", text);
}

static GVariant *
rdd_dbus_method_list_plugins(RddDbus *self, GVariant *parameters, GError **error)
{
	g_autoptr(GString) out = g_string_new("{\"apiVersion\":\"rdd.rancherdesktop.io/v1\",\"items\":[");
	GPtrArray *plugins = self->loader != NULL ? rdd_plugin_loader_get_plugins(self->loader) : NULL;

	/* the document of GET /rdd/v1/plugins, byte for byte */
	for (guint i = 0; plugins != NULL && i < plugins->len; i++) {
		g_autoptr(JsonNode) node =
			rdd_plugin_info_to_json(g_ptr_array_index(plugins, i), self->controllers);
		if (i > 0)
			g_string_append_c(out, ',');
		rdd_json_write(out, node);
	}
	g_string_append(out, "],\"kind\":\"PluginList\"}");
	return g_variant_new("(s)", out->str);
}

static const RddDbusMethod *
rdd_dbus_find_method(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(rdd_dbus_methods); i++) {
		if (g_strcmp0(rdd_dbus_methods[i].name, name) == 0)
			return &rdd_dbus_methods[i];
	}
	return NULL;
}

static void
rdd_dbus_method_call_cb(GDBusConnection *connection,
			const gchar *sender,
			const gchar *object_path,
			const gchar *interface_name,
			const gchar *method_name,
			GVariant *parameters,
			GDBusMethodInvocation *invocation,
			gpointer user_data)
{
	RddDbus *self = RDD_DBUS(user_data);
	const RddDbusMethod *method = rdd_dbus_find_method(method_name);
	g_autoptr(GError) error = NULL;
	GVariant *result;

	if (method == NULL) {
		g_dbus_method_invocation_return_error(invocation, RDD_ERROR, RDD_ERROR_NOT_SUPPORTED,
						      "method %s.%s is not implemented",
						      interface_name, method_name);
		return;
	}
	g_debug("D-Bus call %s from %s", method_name, sender != NULL ? sender : "(direct)");
	result = method->func(self, parameters, &error);
	if (result == NULL) {
		rdd_error_convert(&error);
		g_info("D-Bus call %s from %s failed: %s", method_name,
		       sender != NULL ? sender : "(direct)", error->message);
		g_dbus_method_invocation_return_gerror(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, result);
}

static gint
rdd_dbus_find_property(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(rdd_dbus_properties); i++) {
		if (g_strcmp0(rdd_dbus_properties[i].name, name) == 0)
			return (gint)i;
	}
	return -1;
}

static GVariant *
rdd_dbus_get_property_cb(GDBusConnection *connection,
			 const gchar *sender,
			 const gchar *object_path,
			 const gchar *interface_name,
			 const gchar *property_name,
			 GError **error,
			 gpointer user_data)
{
	RddDbus *self = RDD_DBUS(user_data);
	gint idx = rdd_dbus_find_property(property_name);

	if (idx < 0 || self->values[idx] == NULL) {
		/* GDBus reports this error to the caller as it is; it cannot be avoided here */
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_SUPPORTED,
			    "property %s.%s is not implemented", interface_name, property_name);
		return NULL;
	}
	return g_variant_ref(self->values[idx]);
}

static const GDBusInterfaceVTable rdd_dbus_vtable = {
	.method_call = rdd_dbus_method_call_cb,
	.get_property = rdd_dbus_get_property_cb,
	.set_property = NULL,
};

/**
 * rdd_dbus_dup_bus_name:
 * @suffix: (nullable): an instance suffix, e.g. `2`; %NULL or empty for the default instance
 *
 * The well-known name the daemon of an instance owns on the session bus:
 * `io.rancherdesktop.Rdd1.Instance_` followed by the suffix with every byte outside
 * `[A-Za-z0-9_]` replaced by `_`. A suffix that would make the name longer than D-Bus allows
 * keeps its first 200 bytes followed by `_` and 8 hex digits of a hash of the whole suffix.
 *
 * Returns: (transfer full): the bus name, e.g. `io.rancherdesktop.Rdd1.Instance_2`
 *
 * Since: 0.1
 */
gchar *
rdd_dbus_dup_bus_name(const gchar *suffix)
{
	g_autoptr(GString) name = g_string_new(RDD_DBUS_NAME_PREFIX);
	gsize len;

	if (suffix == NULL || suffix[0] == '\0')
		suffix = RDD_INSTANCE_DEFAULT;
	len = strlen(suffix);
	for (gsize i = 0; i < len; i++) {
		gchar c = suffix[i];
		if (strlen(RDD_DBUS_NAME_PREFIX) + len > RDD_DBUS_NAME_MAX && i == RDD_DBUS_SUFFIX_KEEP) {
			g_string_append_printf(name, "_%08x", g_str_hash(suffix));
			break;
		}
		g_string_append_c(name, g_ascii_isalnum(c) || c == '_' ? c : '_');
	}
	return g_string_free(g_steal_pointer(&name), FALSE);
}

/**
 * rdd_dbus_load_node_info:
 * @error: return location for an error
 *
 * Parses the interface XML compiled into the daemon.
 *
 * Returns: (transfer full): the introspection data of `schemas/io.rancherdesktop.Rdd1.xml`
 *
 * Since: 0.1
 */
GDBusNodeInfo *
rdd_dbus_load_node_info(GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *xml = NULL;
	GDBusNodeInfo *info;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	bytes = g_resource_lookup_data(rdd_dbus_resources_get_resource(), RDD_DBUS_RESOURCE_PATH,
				       G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (bytes == NULL) {
		rdd_error_convert(error);
		return NULL;
	}
	xml = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	info = g_dbus_node_info_new_for_xml(xml, error);
	if (info == NULL) {
		rdd_error_convert(error);
		g_prefix_error(error, "%s: ", RDD_DBUS_RESOURCE_PATH);
		return NULL;
	}
	return info;
}

static gchar *
rdd_dbus_args_signature(GDBusArgInfo **args)
{
	g_autoptr(GString) sig = g_string_new("(");
	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_string_append(sig, args[i]->signature);
	g_string_append_c(sig, ')');
	return g_string_free(g_steal_pointer(&sig), FALSE);
}

/**
 * rdd_dbus_check_interface:
 * @info: the introspection data of `io.rancherdesktop.Rdd1`
 * @error: return location for an error
 *
 * Checks that every method of @info has a handler with the same signatures and every
 * property a read-only value of the same type, that every handler and value belongs to a
 * member of @info, and that @info declares no signals (changes are announced with
 * `org.freedesktop.DBus.Properties.PropertiesChanged`).
 *
 * Returns: %TRUE when the interface and the code agree
 *
 * Since: 0.1
 */
gboolean
rdd_dbus_check_interface(GDBusInterfaceInfo *info, GError **error)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_null_terminated(4, g_free, TRUE);
	g_autofree gchar *text = NULL;
	guint n_methods = 0;
	guint n_properties = 0;

	g_return_val_if_fail(info != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (guint i = 0; info->methods != NULL && info->methods[i] != NULL; i++) {
		GDBusMethodInfo *m = info->methods[i];
		const RddDbusMethod *method = rdd_dbus_find_method(m->name);
		g_autofree gchar *in_sig = rdd_dbus_args_signature(m->in_args);
		g_autofree gchar *out_sig = rdd_dbus_args_signature(m->out_args);
		n_methods++;
		if (method == NULL) {
			g_ptr_array_add(problems, g_strdup_printf("method %s has no handler", m->name));
			continue;
		}
		if (g_strcmp0(method->in_signature, in_sig) != 0 || g_strcmp0(method->out_signature, out_sig) != 0)
			g_ptr_array_add(problems, g_strdup_printf("method %s is %s -> %s in the XML but %s -> "
								  "%s in the handler table",
								  m->name, in_sig, out_sig, method->in_signature,
								  method->out_signature));
	}
	for (guint i = 0; i < G_N_ELEMENTS(rdd_dbus_methods); i++) {
		if (g_dbus_interface_info_lookup_method(info, rdd_dbus_methods[i].name) == NULL)
			g_ptr_array_add(problems, g_strdup_printf("handler %s has no method in the XML",
								  rdd_dbus_methods[i].name));
	}
	for (guint i = 0; info->properties != NULL && info->properties[i] != NULL; i++) {
		GDBusPropertyInfo *p = info->properties[i];
		gint idx = rdd_dbus_find_property(p->name);
		n_properties++;
		if (idx < 0) {
			g_ptr_array_add(problems, g_strdup_printf("property %s has no value", p->name));
			continue;
		}
		if (g_strcmp0(rdd_dbus_properties[idx].signature, p->signature) != 0)
			g_ptr_array_add(problems, g_strdup_printf("property %s is %s in the XML but %s in the "
								  "property table",
								  p->name, p->signature,
								  rdd_dbus_properties[idx].signature));
		if ((p->flags & G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE) != 0)
			g_ptr_array_add(problems, g_strdup_printf("property %s is writable in the XML; the "
								  "daemon only serves read-only properties",
								  p->name));
	}
	for (guint i = 0; i < G_N_ELEMENTS(rdd_dbus_properties); i++) {
		if (g_dbus_interface_info_lookup_property(info, rdd_dbus_properties[i].name) == NULL)
			g_ptr_array_add(problems, g_strdup_printf("property value %s has no property in the XML",
								  rdd_dbus_properties[i].name));
	}
	/* PropertiesChanged is the only signal, and it belongs to org.freedesktop.DBus.Properties */
	for (guint i = 0; info->signals != NULL && info->signals[i] != NULL; i++)
		g_ptr_array_add(problems, g_strdup_printf("signal %s is declared but the daemon never emits it",
							  info->signals[i]->name));
	if (problems->len == 0)
		return TRUE;
	text = g_strjoinv("; ", (gchar **)problems->pdata);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
		    "interface %s (%u methods, %u properties) does not match the daemon: %s",
		    info->name, n_methods, n_properties, text);
	return FALSE;
}

static void
rdd_dbus_name_acquired_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RddDbus *self = RDD_DBUS(user_data);
	self->name_owned = TRUE;
	g_info("D-Bus: owning %s on the session bus", name);
}

static void
rdd_dbus_name_lost_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	RddDbus *self = RDD_DBUS(user_data);
	if (connection == NULL || g_dbus_connection_is_closed(connection)) {
		/* the connection closed; rdd_dbus_closed_cb says so */
		self->name_owned = FALSE;
		return;
	}
	if (self->name_owned)
		g_warning("D-Bus: lost the name %s", name);
	else
		g_warning("D-Bus: cannot own %s: another connection owns it; waiting for it, "
			  "meanwhile the interface is reachable at %s",
			  name, g_dbus_connection_get_unique_name(connection));
	self->name_owned = FALSE;
}

static void
rdd_dbus_closed_cb(GDBusConnection *connection, gboolean remote_peer_vanished, GError *error, gpointer user_data)
{
	RddDbus *self = RDD_DBUS(user_data);
	g_warning("D-Bus: the session bus connection closed (%s); running without D-Bus",
		  error != NULL ? error->message : "closed");
	self->name_owned = FALSE;
}

/* the session bus address, or %NULL when the environment names none */
static gchar *
rdd_dbus_session_address(void)
{
	const gchar *env = g_getenv("DBUS_SESSION_BUS_ADDRESS");
	const gchar *runtime_dir = g_getenv("XDG_RUNTIME_DIR");
	g_autofree gchar *socket = NULL;

	if (env != NULL && env[0] != '\0')
		return g_strdup(env);
	/* the per-user bus of systemd / dbus-user-session, as GLib itself would find it */
	if (runtime_dir == NULL || runtime_dir[0] == '\0')
		return NULL;
	socket = g_build_filename(runtime_dir, "bus", NULL);
	if (!g_file_test(socket, G_FILE_TEST_EXISTS))
		return NULL;
	return g_strdup_printf("unix:path=%s", socket);
}

static void
rdd_dbus_dispose(GObject *object)
{
	RddDbus *self = RDD_DBUS(object);
	rdd_dbus_stop(self);
	G_OBJECT_CLASS(rdd_dbus_parent_class)->dispose(object);
}

static void
rdd_dbus_finalize(GObject *object)
{
	RddDbus *self = RDD_DBUS(object);
	rdd_dbus_clear_values(self->values);
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	g_clear_object(&self->loader);
	g_free(self->controllers);
	g_free(self->bus_name);
	g_clear_pointer(&self->node_info, g_dbus_node_info_unref);
	G_OBJECT_CLASS(rdd_dbus_parent_class)->finalize(object);
}

static void
rdd_dbus_class_init(RddDbusClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = rdd_dbus_dispose;
	object_class->finalize = rdd_dbus_finalize;
}

static void
rdd_dbus_init(RddDbus *self)
{
	self->controllers = g_strdup("*");
}

/**
 * rdd_dbus_new:
 * @store: the store whose App is served
 * @instance: the instance; names the bus name
 * @loader: (nullable): the plugin loader, for ListPlugins
 *
 * Returns: (transfer full): the D-Bus interface of the daemon, not started
 *
 * Since: 0.1
 */
RddDbus *
rdd_dbus_new(RddStore *store, RddInstance *instance, RddPluginLoader *loader)
{
	RddDbus *self;

	g_return_val_if_fail(RDD_IS_STORE(store), NULL);
	g_return_val_if_fail(RDD_IS_INSTANCE(instance), NULL);
	g_return_val_if_fail(loader == NULL || RDD_IS_PLUGIN_LOADER(loader), NULL);

	self = g_object_new(RDD_TYPE_DBUS, NULL);
	self->store = g_object_ref(store);
	self->instance = g_object_ref(instance);
	self->loader = loader != NULL ? g_object_ref(loader) : NULL;
	self->bus_name = rdd_dbus_dup_bus_name(rdd_instance_get_suffix(instance));
	return self;
}

/**
 * rdd_dbus_set_controllers:
 * @self: a #RddDbus
 * @spec: (nullable): the daemon's `--controllers` value, for the `enabled` flags of ListPlugins
 *
 * Since: 0.1
 */
void
rdd_dbus_set_controllers(RddDbus *self, const gchar *spec)
{
	g_return_if_fail(RDD_IS_DBUS(self));
	g_free(self->controllers);
	self->controllers = g_strdup(spec != NULL ? spec : "");
}

/**
 * rdd_dbus_start:
 * @self: a #RddDbus
 * @error: return location for an error
 *
 * Connects to the session bus, exports the object at %RDD_DBUS_OBJECT_PATH, starts following
 * the App and asks for the instance's well-known name (see rdd_dbus_dup_bus_name()); the name
 * arrives asynchronously, see rdd_dbus_is_name_owned().
 *
 * Without a session bus (no `DBUS_SESSION_BUS_ADDRESS` and no `$XDG_RUNTIME_DIR/bus`) this logs
 * at info level and returns %TRUE: the daemon runs without D-Bus. A bus that is named but does
 * not answer is logged as a warning, and also returns %TRUE.
 *
 * Returns: %FALSE only when the interface cannot be exported (a defect)
 *
 * Since: 0.1
 */
gboolean
rdd_dbus_start(RddDbus *self, GError **error)
{
	g_autofree gchar *address = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	GDBusInterfaceInfo *iface;
	RddKind *kind;
	g_autoptr(RddObject) app = NULL;

	g_return_val_if_fail(RDD_IS_DBUS(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->started)
		return TRUE;
	rdd_error_register_dbus();
	if (self->node_info == NULL) {
		self->node_info = rdd_dbus_load_node_info(error);
		if (self->node_info == NULL)
			return FALSE;
	}
	iface = g_dbus_node_info_lookup_interface(self->node_info, RDD_DBUS_INTERFACE);
	if (iface == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "%s does not describe the interface %s",
			    RDD_DBUS_RESOURCE_PATH, RDD_DBUS_INTERFACE);
		return FALSE;
	}
	if (!rdd_dbus_check_interface(iface, error))
		return FALSE;

	address = rdd_dbus_session_address();
	if (address == NULL) {
		g_info("D-Bus: no session bus (DBUS_SESSION_BUS_ADDRESS is not set); running "
		       "without the %s interface",
		       RDD_DBUS_INTERFACE);
		return TRUE;
	}
	connection = g_dbus_connection_new_for_address_sync(
		address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error_local);
	if (connection == NULL) {
		g_warning("D-Bus: cannot connect to the session bus at %s: %s; running without "
			  "the %s interface",
			  address, error_local->message, RDD_DBUS_INTERFACE);
		return TRUE;
	}
	g_dbus_connection_set_exit_on_close(connection, FALSE);

	/* the values first, so the first GetAll already answers */
	kind = rdd_store_find_kind(self->store, RDD_APP_API_VERSION, RDD_DBUS_APP_KIND);
	if (kind != NULL)
		app = rdd_store_lookup(self->store, kind, NULL, RDD_APP_NAME);
	rdd_dbus_clear_values(self->values);
	rdd_dbus_compute_values(app, self->values);

	self->registration_id = g_dbus_connection_register_object(
		connection, RDD_DBUS_OBJECT_PATH, iface, &rdd_dbus_vtable, self, NULL, error);
	if (self->registration_id == 0) {
		rdd_error_convert(error);
		g_prefix_error(error, "cannot export %s: ", RDD_DBUS_OBJECT_PATH);
		g_dbus_connection_close_sync(connection, NULL, NULL);
		return FALSE;
	}
	self->connection = g_steal_pointer(&connection);
	self->closed_handler =
		g_signal_connect(self->connection, "closed", G_CALLBACK(rdd_dbus_closed_cb), self);
	self->store_handlers[0] = g_signal_connect(self->store, "object-added::" RDD_DBUS_APP_KIND,
						   G_CALLBACK(rdd_dbus_object_added_cb), self);
	self->store_handlers[1] = g_signal_connect(self->store, "object-changed::" RDD_DBUS_APP_KIND,
						   G_CALLBACK(rdd_dbus_object_changed_cb), self);
	self->store_handlers[2] = g_signal_connect(self->store, "object-removed::" RDD_DBUS_APP_KIND,
						   G_CALLBACK(rdd_dbus_object_removed_cb), self);
	self->owner_id = g_bus_own_name_on_connection(self->connection, self->bus_name,
						      G_BUS_NAME_OWNER_FLAGS_NONE, rdd_dbus_name_acquired_cb,
						      rdd_dbus_name_lost_cb, self, NULL);
	self->started = TRUE;
	g_info("D-Bus: exporting %s at %s on %s, asking for %s", RDD_DBUS_INTERFACE,
	       RDD_DBUS_OBJECT_PATH, address, self->bus_name);
	return TRUE;
}

/**
 * rdd_dbus_stop:
 * @self: a #RddDbus
 *
 * Releases the name, unexports the object, stops following the App and closes the
 * connection. Safe to call twice, and without rdd_dbus_start().
 *
 * Since: 0.1
 */
void
rdd_dbus_stop(RddDbus *self)
{
	g_return_if_fail(RDD_IS_DBUS(self));

	for (guint i = 0; i < G_N_ELEMENTS(self->store_handlers); i++) {
		if (self->store != NULL)
			g_clear_signal_handler(&self->store_handlers[i], self->store);
	}
	g_clear_handle_id(&self->owner_id, g_bus_unown_name);
	self->name_owned = FALSE;
	if (self->connection != NULL) {
		g_autoptr(GError) error_local = NULL;
		if (self->registration_id != 0)
			g_dbus_connection_unregister_object(self->connection, self->registration_id);
		self->registration_id = 0;
		g_clear_signal_handler(&self->closed_handler, self->connection);
		if (!g_dbus_connection_is_closed(self->connection) &&
		    !g_dbus_connection_close_sync(self->connection, NULL, &error_local))
			g_debug("D-Bus: closing the connection: %s", error_local->message);
		g_clear_object(&self->connection);
	}
	self->started = FALSE;
}

/**
 * rdd_dbus_get_bus_name:
 * @self: a #RddDbus
 *
 * Returns: the well-known name this daemon asks for
 *
 * Since: 0.1
 */
const gchar *
rdd_dbus_get_bus_name(RddDbus *self)
{
	g_return_val_if_fail(RDD_IS_DBUS(self), NULL);
	return self->bus_name;
}

/**
 * rdd_dbus_get_connection:
 * @self: a #RddDbus
 *
 * Returns: (transfer none) (nullable): the session bus connection, %NULL when not started or
 *   when running without D-Bus
 *
 * Since: 0.1
 */
GDBusConnection *
rdd_dbus_get_connection(RddDbus *self)
{
	g_return_val_if_fail(RDD_IS_DBUS(self), NULL);
	return self->connection;
}

/**
 * rdd_dbus_is_name_owned:
 * @self: a #RddDbus
 *
 * Returns: %TRUE once the bus has given this daemon its well-known name
 *
 * Since: 0.1
 */
gboolean
rdd_dbus_is_name_owned(RddDbus *self)
{
	g_return_val_if_fail(RDD_IS_DBUS(self), FALSE);
	return self->name_owned;
}
