/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "rdd-dbus.h"

/*
 * The io.rancherdesktop.Rdd1 interface on a private session bus (GTestDBus runs a dbus-daemon):
 * a store with the core kinds and the App CRD from schemas/, an RddDbus serving it, and a
 * client connection of our own that calls it asynchronously (the server dispatches on this
 * thread's main context, so a synchronous call would wait for itself).
 */

#define RDD_DBUS_TEST_TIMEOUT_MS 5000
#define RDD_DBUS_TEST_VALID                                                                         \
	"valid properties: containerEngine.name, kubernetes.enabled, kubernetes.version, running, " \
	"vm.cpus, vm.hostDockerSocket, vm.memory, vm.type"

static GTestDBus *rdd_dbus_test_bus = NULL;
static guint rdd_dbus_test_counter = 0;

typedef struct {
	RddStore *store;
	RddKind *app_kind;
	RddInstance *instance;
	RddPluginLoader *loader;
	RddDbus *dbus;
	GDBusConnection *client;
	guint subscription;
	GPtrArray *changes; /* (element-type GVariant) the a{sv} of each PropertiesChanged */
} RddDbusTest;

static gchar *
rdd_dbus_test_source_path(const gchar *relative)
{
	return g_build_filename(RDD_SOURCE_ROOT, relative, NULL);
}

static gboolean
rdd_dbus_test_timeout_cb(gpointer user_data)
{
	gboolean *expired = user_data;
	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

typedef gboolean (*RddDbusTestPredicate)(gpointer user_data);

/* iterates the main context until @pred holds or the timeout passes */
static gboolean
rdd_dbus_test_wait(RddDbusTestPredicate pred, gpointer user_data)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(RDD_DBUS_TEST_TIMEOUT_MS, rdd_dbus_test_timeout_cb, &expired);

	while (!pred(user_data) && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	return pred(user_data);
}

static gboolean
rdd_dbus_test_name_owned_pred(gpointer user_data)
{
	return rdd_dbus_is_name_owned(RDD_DBUS(user_data));
}

typedef struct {
	gboolean done;
	GVariant *result;
	GError *error;
} RddDbusTestReply;

static void
rdd_dbus_test_reply_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RddDbusTestReply *reply = user_data;
	reply->result = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &reply->error);
	reply->done = TRUE;
}

static gboolean
rdd_dbus_test_reply_pred(gpointer user_data)
{
	RddDbusTestReply *reply = user_data;
	return reply->done;
}

/* calls @method on the daemon's object through the bus and waits for the answer */
static GVariant *
rdd_dbus_test_call_full(RddDbusTest *t,
			const gchar *dest,
			const gchar *iface,
			const gchar *method,
			GVariant *params,
			const gchar *reply_type,
			GError **error)
{
	RddDbusTestReply reply = {0};

	g_dbus_connection_call(t->client, dest, RDD_DBUS_OBJECT_PATH, iface, method, params,
			       reply_type != NULL ? G_VARIANT_TYPE(reply_type) : NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
			       RDD_DBUS_TEST_TIMEOUT_MS, NULL, rdd_dbus_test_reply_cb, &reply);
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_reply_pred, &reply));
	if (reply.error != NULL) {
		g_propagate_error(error, reply.error);
		return NULL;
	}
	return reply.result;
}

static GVariant *
rdd_dbus_test_call(RddDbusTest *t, const gchar *method, GVariant *params, const gchar *reply_type, GError **error)
{
	return rdd_dbus_test_call_full(t, rdd_dbus_get_bus_name(t->dbus), RDD_DBUS_INTERFACE,
				       method, params, reply_type, error);
}

/* a method returning (x), expected to succeed */
static gint64
rdd_dbus_test_call_x(RddDbusTest *t, const gchar *method, GVariant *params)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call(t, method, params, "(x)", &error);
	gint64 value = -1;

	g_assert_no_error(error);
	g_variant_get(result, "(x)", &value);
	return value;
}

/* a Set with one or more "key", "value" pairs, NULL-terminated */
static GVariant *
rdd_dbus_test_props(const gchar *first_key, ...)
{
	GVariantBuilder builder;
	va_list args;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	va_start(args, first_key);
	for (const gchar *key = first_key; key != NULL; key = va_arg(args, const gchar *)) {
		const gchar *value = va_arg(args, const gchar *);
		g_variant_builder_add(&builder, "{ss}", key, value);
	}
	va_end(args);
	return g_variant_new("(a{ss})", &builder);
}

static GVariant *
rdd_dbus_test_get_property(RddDbusTest *t, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call_full(
		t, rdd_dbus_get_bus_name(t->dbus), "org.freedesktop.DBus.Properties", "Get",
		g_variant_new("(ss)", RDD_DBUS_INTERFACE, name), "(v)", &error);
	GVariant *value = NULL;

	g_assert_no_error(error);
	g_variant_get(result, "(v)", &value);
	return value;
}

static gchar *
rdd_dbus_test_get_string(RddDbusTest *t, const gchar *name)
{
	g_autoptr(GVariant) value = rdd_dbus_test_get_property(t, name);
	g_assert_true(g_variant_is_of_type(value, G_VARIANT_TYPE_STRING));
	return g_variant_dup_string(value, NULL);
}

static gboolean
rdd_dbus_test_get_boolean(RddDbusTest *t, const gchar *name)
{
	g_autoptr(GVariant) value = rdd_dbus_test_get_property(t, name);
	g_assert_true(g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN));
	return g_variant_get_boolean(value);
}

/* a round trip to the daemon: every signal it emitted before has arrived afterwards */
static void
rdd_dbus_test_flush(RddDbusTest *t)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call_full(
		t, rdd_dbus_get_bus_name(t->dbus), "org.freedesktop.DBus.Peer", "Ping", NULL, NULL, &error);
	g_assert_no_error(error);
}

static void
rdd_dbus_test_properties_changed_cb(GDBusConnection *connection,
				    const gchar *sender,
				    const gchar *object_path,
				    const gchar *interface_name,
				    const gchar *signal_name,
				    GVariant *parameters,
				    gpointer user_data)
{
	RddDbusTest *t = user_data;
	const gchar *iface = NULL;
	g_autoptr(GVariant) changed = NULL;
	g_autoptr(GVariant) invalidated = NULL;

	g_assert_true(g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")));
	g_variant_get(parameters, "(&s@a{sv}@as)", &iface, &changed, &invalidated);
	g_assert_cmpstr(iface, ==, RDD_DBUS_INTERFACE);
	g_assert_cmpuint(g_variant_n_children(invalidated), ==, 0);
	g_ptr_array_add(t->changes, g_steal_pointer(&changed));
}

static gint
rdd_dbus_test_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the property names of the next PropertiesChanged, sorted and joined with commas */
static gchar *
rdd_dbus_test_next_change(RddDbusTest *t, GVariant **changed_out)
{
	g_autoptr(GVariant) changed = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated(8, NULL, TRUE);
	GVariantIter iter;
	const gchar *key;

	rdd_dbus_test_flush(t);
	if (t->changes->len == 0)
		return g_strdup("");
	changed = g_ptr_array_steal_index(t->changes, 0);
	g_variant_iter_init(&iter, changed);
	while (g_variant_iter_next(&iter, "{&sv}", &key, NULL))
		g_ptr_array_add(names, (gpointer)key);
	g_ptr_array_sort(names, rdd_dbus_test_compare_names);
	if (changed_out != NULL)
		*changed_out = g_variant_ref(changed);
	return g_strjoinv(",", (gchar **)names->pdata);
}

static void
rdd_dbus_test_register_app_kind(RddStore *store)
{
	g_autofree gchar *path = rdd_dbus_test_source_path("schemas/app.rancherdesktop.io/app.yaml");
	g_autofree gchar *yaml = NULL;
	g_autoptr(GPtrArray) kinds = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &yaml, NULL, &error));
	g_assert_no_error(error);
	kinds = rdd_kind_new_from_yaml(yaml, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(kinds);
	for (guint i = 0; i < kinds->len; i++) {
		g_assert_true(rdd_store_register_kind(store, g_ptr_array_index(kinds, i), &error));
		g_assert_no_error(error);
	}
}

static void
rdd_dbus_test_setup_full(RddDbusTest *t, gboolean with_app_kind, gboolean start)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *suffix = g_strdup_printf("unit-%u.test", ++rdd_dbus_test_counter);
	g_autofree gchar *expected = NULL;

	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	if (with_app_kind) {
		rdd_dbus_test_register_app_kind(t->store);
		t->app_kind = rdd_store_find_kind(t->store, RDD_APP_API_VERSION, "App");
		g_assert_nonnull(t->app_kind);
	}
	t->instance = rdd_instance_new(suffix);
	t->loader = rdd_plugin_loader_new(t->store, t->instance);
	t->dbus = rdd_dbus_new(t->store, t->instance, t->loader);
	t->changes = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	t->client = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(rdd_dbus_test_bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_set_exit_on_close(t->client, FALSE);
	t->subscription = g_dbus_connection_signal_subscribe(
		t->client, NULL, "org.freedesktop.DBus.Properties", "PropertiesChanged", RDD_DBUS_OBJECT_PATH,
		NULL, G_DBUS_SIGNAL_FLAGS_NONE, rdd_dbus_test_properties_changed_cb, t, NULL);
	if (!start)
		return;
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_no_error(error);
	g_assert_nonnull(rdd_dbus_get_connection(t->dbus));
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_name_owned_pred, t->dbus));
	/* the suffix's '-' and '.' are not allowed in a bus name */
	expected = g_strdup_printf("io.rancherdesktop.Rdd1.Instance_unit_%u_test", rdd_dbus_test_counter);
	g_assert_cmpstr(rdd_dbus_get_bus_name(t->dbus), ==, expected);
}

static void
rdd_dbus_test_setup(RddDbusTest *t, gconstpointer user_data)
{
	rdd_dbus_test_setup_full(t, TRUE, TRUE);
}

static void
rdd_dbus_test_setup_no_kind(RddDbusTest *t, gconstpointer user_data)
{
	rdd_dbus_test_setup_full(t, FALSE, TRUE);
}

static void
rdd_dbus_test_setup_unstarted(RddDbusTest *t, gconstpointer user_data)
{
	rdd_dbus_test_setup_full(t, TRUE, FALSE);
}

static void
rdd_dbus_test_teardown(RddDbusTest *t, gconstpointer user_data)
{
	rdd_dbus_stop(t->dbus);
	g_clear_object(&t->dbus);
	if (t->client != NULL) {
		g_dbus_connection_signal_unsubscribe(t->client, t->subscription);
		g_dbus_connection_close_sync(t->client, NULL, NULL);
		g_clear_object(&t->client);
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_pointer(&t->changes, g_ptr_array_unref);
	g_clear_object(&t->loader);
	g_clear_object(&t->instance);
	g_clear_object(&t->store);
}

static RddObject *
rdd_dbus_test_lookup_app(RddDbusTest *t)
{
	return rdd_store_lookup(t->store, t->app_kind, NULL, RDD_APP_NAME);
}

/* the App's JSON as GetApp returns it, parsed */
static JsonNode *
rdd_dbus_test_get_app(RddDbusTest *t)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call(t, "GetApp", NULL, "(s)", &error);
	const gchar *json = NULL;
	JsonNode *node;

	g_assert_no_error(error);
	g_variant_get(result, "(&s)", &json);
	node = rdd_json_parse(json, -1, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

/* status.conditions of the App replaced by @conditions_json (an array), as a controller would */
static void
rdd_dbus_test_set_conditions(RddDbusTest *t, const gchar *conditions_json)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = g_strdup_printf("{\"status\":{\"conditions\":%s}}", conditions_json);
	g_autoptr(JsonNode) patch = rdd_json_parse(text, -1, &error);
	g_autoptr(RddObject) obj = NULL;

	g_assert_no_error(error);
	obj = rdd_store_patch(t->store, t->app_kind, NULL, RDD_APP_NAME, RDD_PATCH_MERGE, patch,
			      TRUE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
}

/* a condition object; generation -1 means the App's current generation */
static gchar *
rdd_dbus_test_condition(RddDbusTest *t, const gchar *type, const gchar *status, const gchar *reason, const gchar *message, gint64 generation)
{
	g_autoptr(RddObject) app = rdd_dbus_test_lookup_app(t);
	g_assert_nonnull(app);
	if (generation < 0)
		generation = rdd_object_get_generation(app);
	return g_strdup_printf("{\"type\":\"%s\",\"status\":\"%s\",\"reason\":\"%s\","
			       "\"message\":\"%s\",\"observedGeneration\":%" G_GINT64_FORMAT ","
			       "\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}",
			       type, status, reason, message, generation);
}

static void
rdd_dbus_test_assert_remote_error(const GError *error, const gchar *name, const gchar *substring)
{
	g_autofree gchar *remote = NULL;

	g_assert_nonnull(error);
	remote = g_dbus_error_get_remote_error(error);
	g_assert_cmpstr(remote, ==, name);
	if (substring != NULL && strstr(error->message, substring) == NULL)
		g_error("error message \"%s\" does not contain \"%s\"", error->message, substring);
}

/* tests */

static void
rdd_dbus_test_bus_name(void)
{
	struct {
		const gchar *suffix;
		const gchar *expected;
	} cases[] = {
		{"2", "io.rancherdesktop.Rdd1.Instance_2"},
		{NULL, "io.rancherdesktop.Rdd1.Instance_2"},
		{"", "io.rancherdesktop.Rdd1.Instance_2"},
		{"dev", "io.rancherdesktop.Rdd1.Instance_dev"},
		{"my-test.1", "io.rancherdesktop.Rdd1.Instance_my_test_1"},
		{"A_z9", "io.rancherdesktop.Rdd1.Instance_A_z9"},
		{"a b/c:d", "io.rancherdesktop.Rdd1.Instance_a_b_c_d"},
		{"\xc3\xa9t\xc3\xa9", "io.rancherdesktop.Rdd1.Instance___t__"},
		{"\xff\xfe", "io.rancherdesktop.Rdd1.Instance___"},
	};
	g_autoptr(GString) long_a = g_string_new(NULL);
	g_autoptr(GString) long_b = NULL;
	g_autofree gchar *name_a = NULL;
	g_autofree gchar *name_b = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *name = rdd_dbus_dup_bus_name(cases[i].suffix);
		g_assert_cmpstr(name, ==, cases[i].expected);
		g_assert_true(g_dbus_is_name(name));
		g_assert_false(g_dbus_is_unique_name(name));
	}

	/* too long for a bus name: shortened, still valid, still distinct */
	for (guint i = 0; i < 300; i++)
		g_string_append_c(long_a, 'x');
	long_b = g_string_new(long_a->str);
	long_b->str[299] = 'y';
	name_a = rdd_dbus_dup_bus_name(long_a->str);
	name_b = rdd_dbus_dup_bus_name(long_b->str);
	g_assert_cmpuint(strlen(name_a), <=, 255);
	g_assert_true(g_dbus_is_name(name_a));
	g_assert_true(g_dbus_is_name(name_b));
	g_assert_cmpstr(name_a, !=, name_b);
	g_assert_true(g_str_has_prefix(name_a, RDD_DBUS_NAME_PREFIX "xxxxxxxxxx"));

	/* exactly at the limit: kept whole */
	g_string_truncate(long_a, 255 - strlen(RDD_DBUS_NAME_PREFIX));
	g_free(name_a);
	name_a = rdd_dbus_dup_bus_name(long_a->str);
	g_assert_cmpuint(strlen(name_a), ==, 255);
	g_assert_true(g_dbus_is_name(name_a));
	g_assert_true(g_str_has_suffix(name_a, "xxxx"));
}

static GDBusNodeInfo *
rdd_dbus_test_parse_source_xml(gchar **xml_out)
{
	g_autofree gchar *path = rdd_dbus_test_source_path("schemas/io.rancherdesktop.Rdd1.xml");
	g_autofree gchar *xml = NULL;
	g_autoptr(GError) error = NULL;
	GDBusNodeInfo *info;

	g_assert_true(g_file_get_contents(path, &xml, NULL, &error));
	g_assert_no_error(error);
	info = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	g_assert_nonnull(info);
	if (xml_out != NULL)
		*xml_out = g_steal_pointer(&xml);
	return info;
}

static gchar *
rdd_dbus_test_generate_xml(GDBusNodeInfo *info)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_dbus_node_info_generate_xml(info, 0, out);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* every method in the XML has a handler, every handler a method; the same for properties */
static void
rdd_dbus_test_interface_table(void)
{
	g_autoptr(GDBusNodeInfo) source = rdd_dbus_test_parse_source_xml(NULL);
	g_autoptr(GDBusNodeInfo) compiled = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *source_text = NULL;
	g_autofree gchar *compiled_text = NULL;
	GDBusInterfaceInfo *iface;
	gboolean ok;

	g_assert_cmpuint(g_strv_length((gchar **)source->interfaces), ==, 1);
	iface = g_dbus_node_info_lookup_interface(source, RDD_DBUS_INTERFACE);
	g_assert_nonnull(iface);
	ok = rdd_dbus_check_interface(iface, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	g_assert_cmpuint(g_strv_length((gchar **)iface->methods), ==, 5);
	g_assert_cmpuint(g_strv_length((gchar **)iface->properties), ==, 8);
	g_assert_null(iface->signals[0]);

	/* the daemon's compiled-in copy is the source file */
	compiled = rdd_dbus_load_node_info(&error);
	g_assert_no_error(error);
	g_assert_nonnull(compiled);
	source_text = rdd_dbus_test_generate_xml(source);
	compiled_text = rdd_dbus_test_generate_xml(compiled);
	g_assert_cmpstr(source_text, ==, compiled_text);
}

/* interfaces that disagree with the tables are refused, saying how */
static void
rdd_dbus_test_interface_mismatch(void)
{
	g_autofree gchar *xml = NULL;
	g_autoptr(GDBusNodeInfo) ok = rdd_dbus_test_parse_source_xml(&xml);
	struct {
		const gchar *from;
		const gchar *to;
		const gchar *problem;
	} cases[] = {
		{"<method name=\"Stop\">", "<method name=\"Frobnicate\"/><method name=\"Stop\">",
		 "method Frobnicate has no handler"},
		{"<method name=\"GetApp\">", "<method name=\"GetAppJson\">", "handler GetApp has no method"},
		{"<arg name=\"generation\" type=\"x\"", "<arg name=\"generation\" type=\"i\"",
		 "method Start is () -> (i) in the XML but () -> (x)"},
		{"type=\"a{ss}\"", "type=\"a{sv}\"", "method Set is (a{sv}) -> (x)"},
		{"<property name=\"Running\" type=\"b\"", "<property name=\"Running\" type=\"s\"",
		 "property Running is s in the XML but b"},
		{"<property name=\"Version\" type=\"s\" access=\"read\">",
		 "<property name=\"Uptime\" type=\"t\" access=\"read\"/><property name=\"Version\" "
		 "type=\"s\" access=\"read\">",
		 "property Uptime has no value"},
		{"<property name=\"Message\"", "<property name=\"Note\"",
		 "property value Message has no property in the XML"},
		{"<method name=\"Stop\">", "<signal name=\"Changed\"/><method name=\"Stop\">",
		 "signal Changed is declared but the daemon never emits it"},
		{"<property name=\"Reason\" type=\"s\" access=\"read\">",
		 "<property name=\"Reason\" type=\"s\" access=\"readwrite\">", "property Reason is writable"},
	};

	g_assert_true(rdd_dbus_check_interface(ok->interfaces[0], NULL));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) bad = g_string_new(xml);
		g_autoptr(GDBusNodeInfo) info = NULL;
		g_autoptr(GError) error = NULL;

		g_assert_cmpuint(g_string_replace(bad, cases[i].from, cases[i].to, 1), ==, 1);
		info = g_dbus_node_info_new_for_xml(bad->str, &error);
		g_assert_no_error(error);
		g_assert_false(rdd_dbus_check_interface(info->interfaces[0], &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
		if (strstr(error->message, cases[i].problem) == NULL)
			g_error("case %u: \"%s\" does not say \"%s\"", i, error->message, cases[i].problem);
	}
}

static gchar *
rdd_dbus_test_normalize_space(const gchar *text)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean space = FALSE;

	for (const gchar *p = text; *p != '\0'; p++) {
		if (g_ascii_isspace(*p)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_c(out, *p);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static const gchar *
rdd_dbus_test_doc(GDBusAnnotationInfo **annotations, const gchar *what)
{
	const gchar *doc = g_dbus_annotation_info_lookup(annotations, "org.gtk.GDBus.DocString");
	if (doc == NULL || strlen(doc) < 10)
		g_error("%s has no org.gtk.GDBus.DocString annotation", what);
	return doc;
}

/* every member is documented in the XML, and docs/dbus.md repeats each doc string */
static void
rdd_dbus_test_docs(void)
{
	g_autoptr(GDBusNodeInfo) info = rdd_dbus_test_parse_source_xml(NULL);
	GDBusInterfaceInfo *iface = info->interfaces[0];
	g_autofree gchar *path = rdd_dbus_test_source_path("docs/dbus.md");
	g_autofree gchar *md = NULL;
	g_autofree gchar *md_norm = NULL;
	g_autoptr(GPtrArray) docs = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &md, NULL, &error));
	g_assert_no_error(error);
	md_norm = rdd_dbus_test_normalize_space(md);

	g_ptr_array_add(docs, (gpointer)rdd_dbus_test_doc(iface->annotations, iface->name));
	for (guint i = 0; iface->methods[i] != NULL; i++) {
		GDBusMethodInfo *m = iface->methods[i];
		g_ptr_array_add(docs, (gpointer)rdd_dbus_test_doc(m->annotations, m->name));
		for (guint j = 0; m->in_args[j] != NULL; j++)
			g_ptr_array_add(docs, (gpointer)rdd_dbus_test_doc(m->in_args[j]->annotations,
									  m->in_args[j]->name));
		for (guint j = 0; m->out_args[j] != NULL; j++)
			g_ptr_array_add(docs, (gpointer)rdd_dbus_test_doc(m->out_args[j]->annotations,
									  m->out_args[j]->name));
		if (strstr(md, m->name) == NULL)
			g_error("docs/dbus.md does not mention method %s", m->name);
	}
	for (guint i = 0; iface->properties[i] != NULL; i++) {
		GDBusPropertyInfo *p = iface->properties[i];
		g_ptr_array_add(docs, (gpointer)rdd_dbus_test_doc(p->annotations, p->name));
		if (strstr(md, p->name) == NULL)
			g_error("docs/dbus.md does not mention property %s", p->name);
	}
	g_assert_cmpuint(docs->len, ==, 1 + 5 + 6 + 8);
	for (guint i = 0; i < docs->len; i++) {
		g_autofree gchar *norm = rdd_dbus_test_normalize_space(g_ptr_array_index(docs, i));
		if (strstr(md_norm, norm) == NULL)
			g_error("docs/dbus.md lacks the XML doc string \"%s\"", norm);
	}
}

/* what a client sees when it introspects the object */
static void
rdd_dbus_test_introspect(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call_full(t, rdd_dbus_get_bus_name(t->dbus),
							     "org.freedesktop.DBus.Introspectable",
							     "Introspect", NULL, "(s)", &error);
	const gchar *xml = NULL;
	g_autoptr(GDBusNodeInfo) info = NULL;
	GDBusInterfaceInfo *iface;
	const gchar *methods[] = {"Start", "Stop", "Set", "GetApp", "ListPlugins"};

	g_assert_no_error(error);
	g_variant_get(result, "(&s)", &xml);
	info = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	iface = g_dbus_node_info_lookup_interface(info, RDD_DBUS_INTERFACE);
	g_assert_nonnull(iface);
	for (guint i = 0; i < G_N_ELEMENTS(methods); i++)
		g_assert_nonnull(g_dbus_interface_info_lookup_method(iface, methods[i]));
	g_assert_true(rdd_dbus_check_interface(iface, &error));
	g_assert_no_error(error);
	g_assert_nonnull(g_dbus_node_info_lookup_interface(info, "org.freedesktop.DBus.Properties"));
}

/* no App: every property has its empty value */
static void
rdd_dbus_test_properties_absent(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call_full(
		t, rdd_dbus_get_bus_name(t->dbus), "org.freedesktop.DBus.Properties", "GetAll",
		g_variant_new("(s)", RDD_DBUS_INTERFACE), "(a{sv})", &error);
	g_autoptr(GVariant) all = NULL;
	g_autofree gchar *printed = NULL;

	g_assert_no_error(error);
	all = g_variant_get_child_value(result, 0);
	printed = g_variant_print(all, FALSE);
	g_assert_cmpstr(printed, ==,
			"{'Running': <false>, 'Settled': <false>, 'State': <'absent'>, "
			"'Reason': <''>, 'Message': <''>, 'ContainerEngine': <''>, "
			"'KubernetesEnabled': <false>, 'Version': <'" PACKAGE_VERSION "'>}");
}

static void
rdd_dbus_test_version(RddDbusTest *t, gconstpointer user_data)
{
	g_autofree gchar *version = rdd_dbus_test_get_string(t, "Version");
	g_assert_cmpstr(version, ==, PACKAGE_VERSION);
}

/* Start creates the App with running=true (plus CRD defaults) and announces what changed */
static void
rdd_dbus_test_start(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) app = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(GVariant) changed = NULL;
	g_autofree gchar *names = NULL;
	g_autofree gchar *state = NULL;
	g_autofree gchar *engine = NULL;
	gboolean running = FALSE;
	const gchar *state_value = NULL;
	gint64 generation = rdd_dbus_test_call_x(t, "Start", NULL);

	obj = rdd_dbus_test_lookup_app(t);
	g_assert_nonnull(obj);
	g_assert_cmpint(generation, ==, rdd_object_get_generation(obj));
	g_assert_cmpint(generation, ==, 1);
	app = rdd_dbus_test_get_app(t);
	g_assert_true(json_node_get_boolean(rdd_json_lookup(app, "spec.running")));
	g_assert_cmpstr(rdd_json_lookup_string(app, "spec.containerEngine.name"), ==, "moby");
	g_assert_cmpstr(rdd_json_lookup_string(app, "spec.namespace"), ==, "default");

	names = rdd_dbus_test_next_change(t, &changed);
	g_assert_cmpstr(names, ==, "ContainerEngine,Running,State");
	g_assert_true(g_variant_lookup(changed, "Running", "b", &running));
	g_assert_true(running);
	g_assert_true(g_variant_lookup(changed, "State", "&s", &state_value));
	g_assert_cmpstr(state_value, ==, "starting");
	g_assert_cmpuint(t->changes->len, ==, 0);

	g_assert_true(rdd_dbus_test_get_boolean(t, "Running"));
	g_assert_false(rdd_dbus_test_get_boolean(t, "Settled"));
	state = rdd_dbus_test_get_string(t, "State");
	g_assert_cmpstr(state, ==, "starting");
	engine = rdd_dbus_test_get_string(t, "ContainerEngine");
	g_assert_cmpstr(engine, ==, "moby");

	/* a second Start changes nothing: same generation, no signal */
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Start", NULL), ==, generation);
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "");
}

/* Stop without an App creates nothing and returns 0 */
static void
rdd_dbus_test_stop_absent(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(RddObject) obj = NULL;
	g_autofree gchar *names = NULL;

	g_assert_cmpint(rdd_dbus_test_call_x(t, "Stop", NULL), ==, 0);
	obj = rdd_dbus_test_lookup_app(t);
	g_assert_null(obj);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "");
}

static void
rdd_dbus_test_stop(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) app = NULL;
	g_autofree gchar *names = NULL;
	g_autofree gchar *state = NULL;
	gint64 started = rdd_dbus_test_call_x(t, "Start", NULL);
	gint64 stopped = rdd_dbus_test_call_x(t, "Stop", NULL);

	g_assert_cmpint(stopped, ==, started + 1);
	app = rdd_dbus_test_get_app(t);
	g_assert_false(json_node_get_boolean(rdd_json_lookup(app, "spec.running")));
	g_assert_false(rdd_dbus_test_get_boolean(t, "Running"));
	/* no Running condition yet: the VM has not reported, nothing to wait for but the engine */
	state = rdd_dbus_test_get_string(t, "State");
	g_assert_cmpstr(state, ==, "settling");
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "ContainerEngine,Running,State");
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "Running,State");
}

/* Set on no App creates it with running=false plus the values; later Sets merge */
static void
rdd_dbus_test_set(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(JsonNode) app = NULL;
	g_autoptr(JsonNode) app2 = NULL;
	g_autofree gchar *names = NULL;
	gint64 gen1;
	gint64 gen2;

	gen1 = rdd_dbus_test_call_x(t, "Set",
				    rdd_dbus_test_props("containerEngine.name", "containerd",
							"kubernetes.enabled", "T", "kubernetes.version",
							"1.34.6", "vm.cpus", "4", NULL));
	g_assert_cmpint(gen1, ==, 1);
	app = rdd_dbus_test_get_app(t);
	g_assert_false(json_node_get_boolean(rdd_json_lookup(app, "spec.running")));
	g_assert_cmpstr(rdd_json_lookup_string(app, "spec.containerEngine.name"), ==, "containerd");
	g_assert_true(json_node_get_boolean(rdd_json_lookup(app, "spec.kubernetes.enabled")));
	g_assert_cmpstr(rdd_json_lookup_string(app, "spec.kubernetes.version"), ==, "1.34.6");
	g_assert_cmpint(json_node_get_int(rdd_json_lookup(app, "spec.vm.cpus")), ==, 4);
	/* a CRD default the user did not give */
	g_assert_cmpstr(rdd_json_lookup_string(app, "spec.vm.memory"), ==, "6GiB");
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "ContainerEngine,KubernetesEnabled,State");

	/* a merge patch: what is not named stays */
	gen2 = rdd_dbus_test_call_x(
		t, "Set", rdd_dbus_test_props("kubernetes.enabled", "0", "running", "True", NULL));
	g_assert_cmpint(gen2, ==, gen1 + 1);
	app2 = rdd_dbus_test_get_app(t);
	g_assert_true(json_node_get_boolean(rdd_json_lookup(app2, "spec.running")));
	g_assert_false(json_node_get_boolean(rdd_json_lookup(app2, "spec.kubernetes.enabled")));
	g_assert_cmpstr(rdd_json_lookup_string(app2, "spec.kubernetes.version"), ==, "1.34.6");
	g_assert_cmpstr(rdd_json_lookup_string(app2, "spec.containerEngine.name"), ==, "containerd");
	g_assert_cmpint(json_node_get_int(rdd_json_lookup(app2, "spec.vm.cpus")), ==, 4);
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "KubernetesEnabled,Running,State");
	g_assert_false(rdd_dbus_test_get_boolean(t, "KubernetesEnabled"));

	/* a string set to empty clears it; a change no property shows emits nothing */
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Set", rdd_dbus_test_props("vm.cpus", "8", NULL)), ==, gen2 + 1);
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "");
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Set", rdd_dbus_test_props("kubernetes.version", "", NULL)),
			==, gen2 + 2);
	g_clear_pointer(&app2, json_node_unref);
	app2 = rdd_dbus_test_get_app(t);
	g_assert_cmpstr(rdd_json_lookup_string(app2, "spec.kubernetes.version"), ==, "");
}

/* bad Set input: Invalid with `rdd set`'s wording, and nothing written */
static void
rdd_dbus_test_set_errors(RddDbusTest *t, gconstpointer user_data)
{
	struct {
		const gchar *key;
		const gchar *value;
		const gchar *message;
	} cases[] = {
		{"x", "y", "x: unknown property \"x\"; " RDD_DBUS_TEST_VALID},
		{"spec.running", "true", "spec.running: unknown property \"spec\"; " RDD_DBUS_TEST_VALID},
		{"kubernetes.foo", "1", "kubernetes.foo: unknown property \"foo\" under \"kubernetes\"; " RDD_DBUS_TEST_VALID},
		{"namespace", "other", "namespace: the App's namespace cannot be set"},
		{"namespace.x", "other", "namespace.x: unknown property \"namespace\""},
		{"running", "yes", "running: invalid value \"yes\": expected boolean; use \"true\" or \"false\""},
		{"running", "", "running: invalid value \"\": expected boolean"},
		{"kubernetes.enabled", "TRUE ", "expected boolean"},
		{"vm.cpus", "four", "vm.cpus: invalid value \"four\": expected integer"},
		{"vm.cpus", "99999999999999999999", "expected integer"},
		{"vm.cpus", "0x10", "expected integer"},
		{"containerEngine.name", "docker",
		 "containerEngine.name: invalid value \"docker\" for \"containerEngine.name\": valid "
		 "values: moby, containerd"},
		{"vm.type", "qemu", "valid values: lima, host"},
		{"containerEngine", "moby",
		 "containerEngine: \"containerEngine\" is an object; set its fields, e.g. "
		 "\"containerEngine.name\""},
		{"running.now", "1", "running.now: \"running\" is not an object and has no sub-properties"},
		{"", "1", "property name must not be empty"},
		{"vm..cpus", "1", "vm..cpus: property name must not be empty"},
		{"vm.", "1", "vm.: property name must not be empty"},
		{"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "1", "more than 16 parts"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result = rdd_dbus_test_call(
			t, "Set", rdd_dbus_test_props(cases[i].key, cases[i].value, NULL), "(x)", &error);
		g_autoptr(RddObject) obj = NULL;
		g_test_message("case %u: %s=%s", i, cases[i].key, cases[i].value);
		g_assert_null(result);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
		rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid", cases[i].message);
		obj = rdd_dbus_test_lookup_app(t);
		g_assert_null(obj);
	}

	/* one bad value among good ones: nothing is written, not even the good ones */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result = rdd_dbus_test_call(
			t, "Set", rdd_dbus_test_props("running", "true", "vm.cpus", "many", NULL), "(x)", &error);
		g_autoptr(RddObject) obj = rdd_dbus_test_lookup_app(t);
		g_assert_null(result);
		rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid", "vm.cpus");
		g_assert_null(obj);
	}

	/* no properties at all */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result =
			rdd_dbus_test_call(t, "Set", rdd_dbus_test_props(NULL), "(x)", &error);
		g_assert_null(result);
		rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid",
						  "no properties given; " RDD_DBUS_TEST_VALID);
	}

	/* the wrong argument type is refused by GDBus before our handler runs */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result =
			rdd_dbus_test_call(t, "Set", g_variant_new("(s)", "running=true"), NULL, &error);
		g_assert_null(result);
		g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
	}

	/* an unknown method */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result = rdd_dbus_test_call(t, "Frobnicate", NULL, NULL, &error);
		g_assert_null(result);
		g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
	}
	g_assert_cmpuint(t->changes->len, ==, 0);
}

/* the CRD schema refuses what coercion lets through: Invalid with the store's message */
static void
rdd_dbus_test_set_schema_invalid(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(RddObject) before = NULL;
	g_autoptr(RddObject) after = NULL;

	/* on create */
	result = rdd_dbus_test_call(t, "Set", rdd_dbus_test_props("vm.cpus", "0", NULL), "(x)", &error);
	g_assert_null(result);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid", "spec.vm.cpus");
	g_assert_null(rdd_dbus_test_lookup_app(t));
	g_clear_error(&error);

	/* on patch */
	rdd_dbus_test_call_x(t, "Start", NULL);
	before = rdd_dbus_test_lookup_app(t);
	result = rdd_dbus_test_call(t, "Set", rdd_dbus_test_props("vm.memory", "lots", NULL), "(x)", &error);
	g_assert_null(result);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid", "spec.vm.memory");
	after = rdd_dbus_test_lookup_app(t);
	g_assert_cmpuint(rdd_object_get_resource_version(after), ==, rdd_object_get_resource_version(before));
}

/* a validating hook in the test, like the app plugin's */
static gboolean
rdd_dbus_test_validate_cb(RddAdmission *admission, gpointer user_data, GError **error)
{
	JsonNode *obj = rdd_admission_get_object(admission);
	JsonNode *cpus = rdd_json_lookup(obj, "spec.vm.cpus");
	const gchar *version = rdd_json_lookup_string(obj, "spec.kubernetes.version");

	if (cpus != NULL && json_node_get_int(cpus) > 16) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
			    "spec.vm.cpus %" G_GINT64_FORMAT " is more than this host has",
			    json_node_get_int(cpus));
		return FALSE;
	}
	if (g_strcmp0(version, "0.0.1") == 0) {
		g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
		g_ptr_array_add(causes, rdd_cause_new("FieldValueNotSupported", "spec.kubernetes.version",
						      "Unsupported value: \"0.0.1\""));
		rdd_error_set_invalid(error, "App.app.rancherdesktop.io", RDD_APP_NAME, causes);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_dbus_test_set_rejected(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(RddObject) before = NULL;
	g_autoptr(RddObject) after = NULL;

	rdd_store_add_admission(t->store, t->app_kind, RDD_ADMISSION_VALIDATING,
				RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "test-validator",
				rdd_dbus_test_validate_cb, NULL, NULL);

	/* refused on create: nothing is created */
	result = rdd_dbus_test_call(t, "Set", rdd_dbus_test_props("vm.cpus", "64", NULL), "(x)", &error);
	g_assert_null(result);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Forbidden",
					  "admission hook \"test-validator\" denied the request: "
					  "spec.vm.cpus 64 is more than this host has");
	g_assert_null(rdd_dbus_test_lookup_app(t));
	g_clear_error(&error);

	/* refused on update: the App is unchanged */
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Start", NULL), ==, 1);
	before = rdd_dbus_test_lookup_app(t);
	g_clear_pointer(&result, g_variant_unref);
	result = rdd_dbus_test_call(
		t, "Set", rdd_dbus_test_props("vm.cpus", "17", "running", "false", NULL), "(x)", &error);
	g_assert_null(result);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Forbidden",
					  "spec.vm.cpus 17 is more than this host has");
	g_clear_error(&error);

	/* an Invalid refusal keeps its Kubernetes wording */
	result = rdd_dbus_test_call(
		t, "Set", rdd_dbus_test_props("kubernetes.enabled", "true", "kubernetes.version", "0.0.1", NULL),
		"(x)", &error);
	g_assert_null(result);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.Invalid",
					  "App.app.rancherdesktop.io \"app\" is invalid: "
					  "spec.kubernetes.version: Unsupported value: \"0.0.1\"");
	after = rdd_dbus_test_lookup_app(t);
	g_assert_cmpuint(rdd_object_get_resource_version(after), ==, rdd_object_get_resource_version(before));
	g_assert_true(rdd_dbus_test_get_boolean(t, "Running"));

	/* a value the hook accepts goes through */
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Set", rdd_dbus_test_props("vm.cpus", "16", NULL)), ==, 2);
}

static void
rdd_dbus_test_get_app_not_found(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = rdd_dbus_test_call(t, "GetApp", NULL, "(s)", &error);
	g_autoptr(RddObject) obj = NULL;
	const gchar *json = NULL;
	gsize len = 0;
	const gchar *stored;

	g_assert_null(result);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND);
	rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.NotFound", "\"app\" not found");

	/* once it exists: the stored JSON, byte for byte */
	rdd_dbus_test_call_x(t, "Start", NULL);
	result = rdd_dbus_test_call(t, "GetApp", NULL, "(s)", NULL);
	g_assert_nonnull(result);
	g_variant_get(result, "(&s)", &json);
	obj = rdd_dbus_test_lookup_app(t);
	stored = rdd_object_get_json(obj, &len);
	g_assert_cmpuint(strlen(json), ==, len);
	g_assert_cmpint(memcmp(json, stored, len), ==, 0);
}

/* without the App kind (no app plugin): NotFound for writes, absent for properties */
static void
rdd_dbus_test_no_app_kind(RddDbusTest *t, gconstpointer user_data)
{
	const gchar *methods[] = {"Start", "GetApp"};
	g_autofree gchar *state = rdd_dbus_test_get_string(t, "State");

	g_assert_cmpstr(state, ==, "absent");
	for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result = rdd_dbus_test_call(t, methods[i], NULL, NULL, &error);
		g_assert_null(result);
		rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.NotFound",
						  "app CRD is not installed; make sure the control "
						  "plane is running with the app controller enabled");
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GVariant) result = rdd_dbus_test_call(
			t, "Set", rdd_dbus_test_props("running", "true", NULL), NULL, &error);
		g_assert_null(result);
		rdd_dbus_test_assert_remote_error(error, "io.rancherdesktop.Rdd.Error.NotFound",
						  "app CRD is not installed");
	}
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Stop", NULL), ==, 0);
}

/* ListPlugins: the document of GET /rdd/v1/plugins */
static void
rdd_dbus_test_list_plugins(RddDbusTest *t, gconstpointer user_data)
{
	g_autofree gchar *demo = g_build_filename(RDD_BUILD_ROOT, "plugins", "demo", "libdemo.so", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(JsonNode) doc = NULL;
	g_autoptr(JsonNode) expected_item = NULL;
	g_autofree gchar *expected_text = NULL;
	g_autofree gchar *item_text = NULL;
	RddPluginInfo *info;
	JsonArray *items;
	const gchar *json = NULL;

	/* an empty loader: an empty list */
	result = rdd_dbus_test_call(t, "ListPlugins", NULL, "(s)", &error);
	g_assert_no_error(error);
	g_variant_get(result, "(&s)", &json);
	g_assert_cmpstr(json, ==,
			"{\"apiVersion\":\"rdd.rancherdesktop.io/v1\",\"items\":[],\"kind\":"
			"\"PluginList\"}");
	g_clear_pointer(&result, g_variant_unref);

	if (!g_file_test(demo, G_FILE_TEST_EXISTS)) {
		g_test_skip("the demo plugin is not built");
		return;
	}
	info = rdd_plugin_loader_load_file(t->loader, demo);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*/nonexistent/libmissing.so*");
	rdd_plugin_loader_load_file(t->loader, "/nonexistent/libmissing.so");
	g_test_assert_expected_messages();
	rdd_dbus_set_controllers(t->dbus, "-demo");

	result = rdd_dbus_test_call(t, "ListPlugins", NULL, "(s)", &error);
	g_assert_no_error(error);
	g_variant_get(result, "(&s)", &json);
	doc = rdd_json_parse(json, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(rdd_json_lookup_string(doc, "kind"), ==, "PluginList");
	g_assert_cmpstr(rdd_json_lookup_string(doc, "apiVersion"), ==, "rdd.rancherdesktop.io/v1");
	items = json_node_get_array(rdd_json_lookup(doc, "items"));
	g_assert_cmpuint(json_array_get_length(items), ==, 2);
	g_assert_cmpstr(rdd_json_lookup_string(json_array_get_element(items, 0), "name"), ==, "demo");
	g_assert_cmpstr(rdd_json_lookup_string(json_array_get_element(items, 0), "state"), ==, "loaded");
	g_assert_cmpstr(rdd_json_lookup_string(json_array_get_element(items, 1), "state"), ==, "failed");
	g_assert_cmpstr(rdd_json_lookup_string(json_array_get_element(items, 1), "errorCode"), ==, "not-found");

	/* each item is the loader's record, rendered with the daemon's --controllers */
	expected_item = rdd_plugin_info_to_json(info, "-demo");
	expected_text = rdd_json_to_string(expected_item, FALSE);
	item_text = rdd_json_to_string(json_array_get_element(items, 0), FALSE);
	g_assert_cmpstr(item_text, ==, expected_text);
	g_assert_nonnull(strstr(json, expected_text));
	g_assert_nonnull(strstr(json, "\"enabled\":false"));
}

/* the properties follow the App's conditions; PropertiesChanged carries only what changed */
static void
rdd_dbus_test_properties_changed(RddDbusTest *t, gconstpointer user_data)
{
	g_autofree gchar *names = NULL;
	g_autoptr(GVariant) changed = NULL;
	g_autofree gchar *c_running = NULL;
	g_autofree gchar *c_settled = NULL;
	g_autofree gchar *c_created = NULL;
	g_autofree gchar *conds = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) deleted = NULL;
	gboolean settled = FALSE;
	const gchar *s = NULL;

	rdd_dbus_test_call_x(t, "Start", NULL);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "ContainerEngine,Running,State");

	/* the VM is up: settling */
	c_running = rdd_dbus_test_condition(t, "Running", "True", "Started", "VM is running", -1);
	conds = g_strdup_printf("[%s]", c_running);
	rdd_dbus_test_set_conditions(t, conds);
	g_free(names);
	names = rdd_dbus_test_next_change(t, &changed);
	g_assert_cmpstr(names, ==, "Message,Reason,State");
	g_assert_true(g_variant_lookup(changed, "State", "&s", &s));
	g_assert_cmpstr(s, ==, "settling");
	g_assert_true(g_variant_lookup(changed, "Reason", "&s", &s));
	g_assert_cmpstr(s, ==, "Started");
	g_clear_pointer(&changed, g_variant_unref);

	/* Settled at the current generation: running */
	c_settled = rdd_dbus_test_condition(t, "Settled", "True", "Settled",
					    "App has reached the desired state", -1);
	g_free(conds);
	conds = g_strdup_printf("[%s,%s]", c_running, c_settled);
	rdd_dbus_test_set_conditions(t, conds);
	g_free(names);
	names = rdd_dbus_test_next_change(t, &changed);
	g_assert_cmpstr(names, ==, "Message,Reason,Settled,State");
	g_assert_true(g_variant_lookup(changed, "Settled", "b", &settled));
	g_assert_true(settled);
	g_assert_true(g_variant_lookup(changed, "State", "&s", &s));
	g_assert_cmpstr(s, ==, "running");
	g_assert_true(g_variant_lookup(changed, "Message", "&s", &s));
	g_assert_cmpstr(s, ==, "App has reached the desired state");
	g_clear_pointer(&changed, g_variant_unref);

	/* a condition no property shows: no signal */
	c_created = rdd_dbus_test_condition(t, "Created", "True", "Created", "exists", -1);
	g_free(conds);
	conds = g_strdup_printf("[%s,%s,%s]", c_created, c_running, c_settled);
	rdd_dbus_test_set_conditions(t, conds);
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "");

	/* a new generation: the old Settled no longer counts */
	rdd_dbus_test_call_x(t, "Set", rdd_dbus_test_props("containerEngine.name", "containerd", NULL));
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "ContainerEngine,Settled,State");
	g_assert_false(rdd_dbus_test_get_boolean(t, "Settled"));

	/* deleted: back to the empty values */
	deleted = rdd_store_delete(t->store, t->app_kind, NULL, RDD_APP_NAME, NULL, &error);
	g_assert_no_error(error);
	g_free(names);
	names = rdd_dbus_test_next_change(t, NULL);
	g_assert_cmpstr(names, ==, "ContainerEngine,Message,Reason,Running,State");
	g_free(names);
	names = rdd_dbus_test_get_string(t, "State");
	g_assert_cmpstr(names, ==, "absent");
	g_assert_cmpuint(t->changes->len, ==, 0);
}

/* State, Settled, Reason and Message for App states a controller produces */
static void
rdd_dbus_test_state(RddDbusTest *t, gconstpointer user_data)
{
	struct {
		const gchar *running;
		const gchar *conditions; /* type:status:reason[:generation offset], ';'-separated */
		const gchar *state;
		gboolean settled;
		const gchar *reason;
	} cases[] = {
		{"true", "", "starting", FALSE, ""},
		{"true", "Running:False:Starting", "starting", FALSE, "Starting"},
		{"true", "Running:Unknown:Reconciling;Settled:False:Reconciling", "starting", FALSE, "Reconciling"},
		{"true", "Running:True:Started;Settled:False:WaitingForEngine", "settling", FALSE, "WaitingForEngine"},
		{"true", "Running:True:Started;Settled:False:ApplyingTemplate", "settling", FALSE, "ApplyingTemplate"},
		{"true", "Running:True:Started;Settled:True:Settled", "running", TRUE, "Settled"},
		{"true", "Running:True:Started;Settled:True:Settled:-1", "settling", FALSE, "Settled"},
		{"true", "Running:False:StartFailed;Settled:False:StartFailed", "error", FALSE, "StartFailed"},
		{"true", "Running:False:StartFailed:-1;Settled:False:StartFailed:-1", "starting", FALSE, "StartFailed"},
		{"true", "Created:False:CreateFailed;Settled:False:WaitingForLimaVM", "error", FALSE, "WaitingForLimaVM"},
		{"true", "Running:True:Started;ContainerEngineReady:False:ConnectFailed;Settled:False:ConnectFailed",
		 "error", FALSE, "ConnectFailed"},
		{"true", "Running:True:Started;ContainerEngineReady:True:Connected", "settling", FALSE, "Started"},
		{"false", "", "settling", FALSE, ""},
		{"false", "Running:True:Started;Settled:False:Started", "stopping", FALSE, "Started"},
		{"false", "Running:False:Stopped;Settled:False:EngineStale", "settling", FALSE, "EngineStale"},
		{"false", "Running:False:StopFailed;Settled:False:StopFailed", "error", FALSE, "StopFailed"},
		{"false", "Running:False:Stopped;Settled:True:Settled", "stopped", TRUE, "Settled"},
		{"false", "Running:False:Stopped;Settled:True:Settled:-1", "settling", FALSE, "Settled"},
		{"false", "Running:False:Stopped;Settled:True:Settled:1", "stopped", TRUE, "Settled"},
	};

	rdd_dbus_test_call_x(t, "Start", NULL);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(GStrv) conds = g_strsplit(cases[i].conditions, ";", -1);
		g_autoptr(GString) array = g_string_new("[");
		g_autoptr(RddObject) app = NULL;
		g_autofree gchar *state = NULL;
		g_autofree gchar *reason = NULL;
		g_autofree gchar *message = NULL;

		g_test_message("case %u: running=%s %s", i, cases[i].running, cases[i].conditions);
		rdd_dbus_test_call_x(t, "Set", rdd_dbus_test_props("running", cases[i].running, NULL));
		app = rdd_dbus_test_lookup_app(t);
		for (guint j = 0; conds[j] != NULL && conds[j][0] != '\0'; j++) {
			g_auto(GStrv) f = g_strsplit(conds[j], ":", -1);
			g_autofree gchar *msg = g_strdup_printf("%s message", f[2]);
			gint64 gen = rdd_object_get_generation(app);
			g_autofree gchar *c = NULL;
			if (f[3] != NULL)
				gen += g_ascii_strtoll(f[3], NULL, 10);
			c = rdd_dbus_test_condition(t, f[0], f[1], f[2], msg, gen);
			if (j > 0)
				g_string_append_c(array, ',');
			g_string_append(array, c);
		}
		g_string_append_c(array, ']');
		rdd_dbus_test_set_conditions(t, array->str);
		state = rdd_dbus_test_get_string(t, "State");
		g_assert_cmpstr(state, ==, cases[i].state);
		g_assert_cmpint(rdd_dbus_test_get_boolean(t, "Settled"), ==, cases[i].settled);
		reason = rdd_dbus_test_get_string(t, "Reason");
		g_assert_cmpstr(reason, ==, cases[i].reason);
		message = rdd_dbus_test_get_string(t, "Message");
		if (cases[i].reason[0] != '\0') {
			g_autofree gchar *expected = g_strdup_printf("%s message", cases[i].reason);
			g_assert_cmpstr(message, ==, expected);
		} else {
			g_assert_cmpstr(message, ==, "");
		}
	}
}

/* an App being deleted (held by a finalizer) is stopping */
static void
rdd_dbus_test_state_deleting(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) app = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autofree gchar *state = NULL;

	rdd_dbus_test_call_x(t, "Start", NULL);
	app = rdd_dbus_test_lookup_app(t);
	g_assert_true(rdd_store_add_finalizer(t->store, app, "test.rdd.io/hold", &error));
	g_assert_no_error(error);
	deleting = rdd_store_delete(t->store, t->app_kind, NULL, RDD_APP_NAME, NULL, &error);
	g_assert_no_error(error);
	state = rdd_dbus_test_get_string(t, "State");
	g_assert_cmpstr(state, ==, "stopping");
}

/* the name is released at stop; a second daemon with the same name waits in the queue */
static void
rdd_dbus_test_name_lifecycle(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddDbus) second = rdd_dbus_new(t->store, t->instance, NULL);
	g_autoptr(GVariant) has_owner = NULL;
	gboolean owned = TRUE;

	g_assert_cmpstr(rdd_dbus_get_bus_name(second), ==, rdd_dbus_get_bus_name(t->dbus));
	g_assert_true(rdd_dbus_start(second, &error));
	g_assert_no_error(error);
	/* a second start is a no-op */
	g_assert_true(rdd_dbus_start(second, &error));
	/* the answer to the name request arrives later */
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING,
			      "D-Bus: cannot own * another connection owns it; waiting *");
	while (g_main_context_iteration(NULL, FALSE))
		;
	rdd_dbus_test_flush(t);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_test_assert_expected_messages();
	g_assert_false(rdd_dbus_is_name_owned(second));

	/* the first goes away: the queued second gets the name */
	rdd_dbus_stop(t->dbus);
	rdd_dbus_stop(t->dbus);
	g_assert_false(rdd_dbus_is_name_owned(t->dbus));
	g_assert_null(rdd_dbus_get_connection(t->dbus));
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_name_owned_pred, second));

	/* and after it stops, nobody has it */
	rdd_dbus_stop(second);
	has_owner = g_dbus_connection_call_sync(
		t->client, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		"NameHasOwner", g_variant_new("(s)", rdd_dbus_get_bus_name(second)),
		G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
	g_variant_get(has_owner, "(b)", &owned);
	g_assert_false(owned);

	/* restart works */
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_name_owned_pred, t->dbus));
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Stop", NULL), ==, 0);
}

/* no session bus: info, TRUE, no connection; a dead bus: a warning, TRUE */
static void
rdd_dbus_test_no_session_bus(RddDbusTest *t, gconstpointer user_data)
{
	g_autofree gchar *saved_address = g_strdup(g_getenv("DBUS_SESSION_BUS_ADDRESS"));
	g_autofree gchar *saved_runtime = g_strdup(g_getenv("XDG_RUNTIME_DIR"));
	g_autofree gchar *empty_runtime = g_dir_make_tmp("rdd-dbus-test-XXXXXX", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(empty_runtime);
	g_unsetenv("DBUS_SESSION_BUS_ADDRESS");
	g_setenv("XDG_RUNTIME_DIR", empty_runtime, TRUE);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_INFO, "D-Bus: no session bus*");
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_no_error(error);
	g_test_assert_expected_messages();
	g_assert_null(rdd_dbus_get_connection(t->dbus));
	g_assert_false(rdd_dbus_is_name_owned(t->dbus));
	rdd_dbus_stop(t->dbus);

	g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rdd-dbus-test", TRUE);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING,
			      "D-Bus: cannot connect to the session bus at unix:path=/nonexistent/rdd-dbus-test*");
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_no_error(error);
	g_test_assert_expected_messages();
	g_assert_null(rdd_dbus_get_connection(t->dbus));
	rdd_dbus_stop(t->dbus);

	g_setenv("DBUS_SESSION_BUS_ADDRESS", saved_address, TRUE);
	if (saved_runtime != NULL)
		g_setenv("XDG_RUNTIME_DIR", saved_runtime, TRUE);
	else
		g_unsetenv("XDG_RUNTIME_DIR");
	g_rmdir(empty_runtime);

	/* and with the bus back, it serves */
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_name_owned_pred, t->dbus));
	g_assert_cmpint(rdd_dbus_test_call_x(t, "Start", NULL), ==, 1);
}

/* the bus goes away under a running daemon: a warning, and the daemon carries on */
static void
rdd_dbus_test_store_outlives(RddDbusTest *t, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;

	/* after stop, App changes no longer reach the (former) connection, and nothing breaks */
	rdd_dbus_stop(t->dbus);
	body = rdd_json_parse("{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"App\","
			      "\"metadata\":{\"name\":\"app\"},\"spec\":{\"running\":true}}",
			      -1, &error);
	g_assert_no_error(error);
	obj = rdd_store_create(t->store, body, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	g_assert_cmpuint(t->changes->len, ==, 0);

	/* a restart reads the App as it is now */
	g_assert_true(rdd_dbus_start(t->dbus, &error));
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_name_owned_pred, t->dbus));
	g_assert_true(rdd_dbus_test_get_boolean(t, "Running"));
	g_clear_object(&t->dbus); /* disposing stops it */
	t->dbus = rdd_dbus_new(t->store, t->instance, t->loader);
}

static gboolean
rdd_dbus_test_closed_pred(gpointer user_data)
{
	return g_dbus_connection_is_closed(G_DBUS_CONNECTION(user_data));
}

/* the bus connection goes away under a running daemon: one warning, then App changes are quiet */
static void
rdd_dbus_test_connection_closed(RddDbusTest *t, gconstpointer user_data)
{
	GDBusConnection *connection = rdd_dbus_get_connection(t->dbus);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(RddObject) obj = NULL;

	g_assert_nonnull(connection);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING,
			      "D-Bus: the session bus connection closed*running without D-Bus");
	g_assert_true(g_dbus_connection_close_sync(connection, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_dbus_test_wait(rdd_dbus_test_closed_pred, connection));
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_test_assert_expected_messages();
	g_assert_false(rdd_dbus_is_name_owned(t->dbus));

	/* an App change now emits nothing and warns about nothing (warnings are fatal here) */
	body = rdd_json_parse("{\"apiVersion\":\"app.rancherdesktop.io/v1alpha1\",\"kind\":\"App\","
			      "\"metadata\":{\"name\":\"app\"},\"spec\":{\"running\":true}}",
			      -1, &error);
	g_assert_no_error(error);
	obj = rdd_store_create(t->store, body, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	while (g_main_context_iteration(NULL, FALSE))
		;
	rdd_dbus_stop(t->dbus);
	g_assert_null(rdd_dbus_get_connection(t->dbus));
}

int
main(int argc, char **argv)
{
	g_autofree gchar *dbus_daemon = NULL;
	gint rc;

	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/rdd/dbus/bus-name", rdd_dbus_test_bus_name);
	g_test_add_func("/rdd/dbus/interface-table", rdd_dbus_test_interface_table);
	g_test_add_func("/rdd/dbus/interface-mismatch", rdd_dbus_test_interface_mismatch);
	g_test_add_func("/rdd/dbus/docs", rdd_dbus_test_docs);

#define RDD_DBUS_TEST(path, setup, func) \
	g_test_add("/rdd/dbus/" path, RddDbusTest, NULL, setup, func, rdd_dbus_test_teardown)

	RDD_DBUS_TEST("introspect", rdd_dbus_test_setup, rdd_dbus_test_introspect);
	RDD_DBUS_TEST("properties-absent", rdd_dbus_test_setup, rdd_dbus_test_properties_absent);
	RDD_DBUS_TEST("version", rdd_dbus_test_setup, rdd_dbus_test_version);
	RDD_DBUS_TEST("start", rdd_dbus_test_setup, rdd_dbus_test_start);
	RDD_DBUS_TEST("stop-absent", rdd_dbus_test_setup, rdd_dbus_test_stop_absent);
	RDD_DBUS_TEST("stop", rdd_dbus_test_setup, rdd_dbus_test_stop);
	RDD_DBUS_TEST("set", rdd_dbus_test_setup, rdd_dbus_test_set);
	RDD_DBUS_TEST("set-errors", rdd_dbus_test_setup, rdd_dbus_test_set_errors);
	RDD_DBUS_TEST("set-schema-invalid", rdd_dbus_test_setup, rdd_dbus_test_set_schema_invalid);
	RDD_DBUS_TEST("set-rejected", rdd_dbus_test_setup, rdd_dbus_test_set_rejected);
	RDD_DBUS_TEST("get-app", rdd_dbus_test_setup, rdd_dbus_test_get_app_not_found);
	RDD_DBUS_TEST("no-app-kind", rdd_dbus_test_setup_no_kind, rdd_dbus_test_no_app_kind);
	RDD_DBUS_TEST("list-plugins", rdd_dbus_test_setup, rdd_dbus_test_list_plugins);
	RDD_DBUS_TEST("properties-changed", rdd_dbus_test_setup, rdd_dbus_test_properties_changed);
	RDD_DBUS_TEST("state", rdd_dbus_test_setup, rdd_dbus_test_state);
	RDD_DBUS_TEST("state-deleting", rdd_dbus_test_setup, rdd_dbus_test_state_deleting);
	RDD_DBUS_TEST("name-lifecycle", rdd_dbus_test_setup, rdd_dbus_test_name_lifecycle);
	RDD_DBUS_TEST("no-session-bus", rdd_dbus_test_setup_unstarted, rdd_dbus_test_no_session_bus);
	RDD_DBUS_TEST("restart", rdd_dbus_test_setup, rdd_dbus_test_store_outlives);
	RDD_DBUS_TEST("connection-closed", rdd_dbus_test_setup, rdd_dbus_test_connection_closed);

	/* GTestDBus runs dbus-daemon: without it there is nothing to test against */
	dbus_daemon = g_find_program_in_path("dbus-daemon");
	if (dbus_daemon == NULL) {
		g_print("1..0 # SKIP dbus-daemon is not installed (package dbus)\n");
		return 0;
	}
	rdd_dbus_test_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(rdd_dbus_test_bus);
	rc = g_test_run();
	g_test_dbus_down(rdd_dbus_test_bus);
	g_clear_object(&rdd_dbus_test_bus);
	return rc;
}
