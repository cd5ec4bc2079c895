/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The lima plugin, loaded through the real plugin loader into a store, with the fake limactl
 * (tests/fakes/limactl) standing in for Lima: admission rules with their messages, the LimaVM
 * state machine (create, start, stop, template restarts, failures, hangs, crashes, a daemon
 * restart, deletion), and host mode against a fake Docker engine on a unix socket.
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rdd-plugin-loader.h"

#define LIMA_TEST_WAIT_MS 20000

typedef struct {
	gchar *suffix;
	RddInstance *instance;
	RddStore *store;
	RddPluginLoader *loader;
	RddController *controller; /* borrowed from the loader */
	RddKind *limavm_kind;
	RddKind *configmap_kind;
	gchar *db_path;
	gchar *lima_home;
	gchar *fake_dir;
	gchar *template;
} LimaTest;

static gchar *lima_test_tmp = NULL;
static guint lima_test_counter = 0;

static const gchar *
lima_test_plugin_path(void)
{
	static gchar *path = NULL;
	if (path == NULL) {
		const gchar *dir = g_getenv("RDD_LIMA_PLUGIN_DIR");
		path = g_build_filename(dir != NULL ? dir : RDD_BUILD_ROOT "/plugins/lima", "liblima.so", NULL);
	}
	return path;
}

static void
lima_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			lima_test_rm_rf(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static gboolean
lima_test_tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

typedef gboolean (*LimaTestCond)(LimaTest *t, gpointer user_data);

/* runs the main context until @cond holds; FALSE after @timeout_ms */
static gboolean
lima_test_wait(LimaTest *t, LimaTestCond cond, gpointer user_data, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	guint tick = g_timeout_add(10, lima_test_tick_cb, NULL);
	gboolean ok;

	while (!(ok = cond(t, user_data)) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	return ok;
}

/* runs the main context for @ms */
static void
lima_test_spin(guint ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
	guint tick = g_timeout_add(10, lima_test_tick_cb, NULL);
	while (g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
}

/* ---------------------------------------------------------------------------------------- */
/* set-up */

static void
lima_test_load(LimaTest *t, gboolean start_controller)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) controllers = NULL;
	RddPluginInfo *info;

	t->store = rdd_store_new();
	g_assert_true(rdd_store_register_builtin_kinds(t->store, &error));
	g_assert_no_error(error);
	if (t->db_path != NULL) {
		g_assert_true(rdd_store_open(t->store, t->db_path, &error));
		g_assert_no_error(error);
	}
	g_assert_true(rdd_store_ensure_namespace(t->store, "default", NULL, &error));
	g_assert_no_error(error);
	g_assert_true(rdd_store_ensure_namespace(t->store, "other", NULL, &error));
	g_assert_no_error(error);
	t->loader = rdd_plugin_loader_new(t->store, t->instance);
	info = rdd_plugin_loader_load_file(t->loader, lima_test_plugin_path());
	if (rdd_plugin_info_get_error(info) != NULL)
		g_error("loading %s: %s", lima_test_plugin_path(), rdd_plugin_info_get_error(info)->message);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "lima");
	g_assert_cmpstr(rdd_plugin_info_get_api_group(info), ==, "lima.rancherdesktop.io");
	controllers = rdd_plugin_loader_get_controllers(t->loader);
	g_assert_cmpuint(controllers->len, ==, 1);
	t->controller = g_ptr_array_index(controllers, 0);
	g_assert_cmpstr(rdd_controller_get_name(t->controller), ==, "limavm");
	g_assert_cmpstr(rdd_controller_get_group(t->controller), ==, "lima");
	g_assert_cmpstr(rdd_controller_get_finalizer(t->controller), ==, "rdd.rancherdesktop.io/cleanup");
	rdd_controller_set_backoff(t->controller, 50, 500);
	t->limavm_kind = rdd_store_find_kind(t->store, "lima.rancherdesktop.io/v1alpha1", "LimaVM");
	g_assert_nonnull(t->limavm_kind);
	t->configmap_kind = rdd_store_find_kind(t->store, "v1", "ConfigMap");
	g_assert_nonnull(t->configmap_kind);
	if (start_controller) {
		g_assert_true(rdd_controller_start(t->controller, t->store, &error));
		g_assert_no_error(error);
	}
}

/* stops the controller and drops the store and the plugin, as a daemon exit does */
static void
lima_test_unload(LimaTest *t)
{
	g_autoptr(GError) error = NULL;

	if (t->controller != NULL && rdd_controller_is_running(t->controller))
		rdd_controller_stop(t->controller);
	/* let cancelled limactl calls finish their callbacks */
	lima_test_spin(100);
	if (t->db_path != NULL) {
		g_assert_true(rdd_store_flush(t->store, &error));
		g_assert_no_error(error);
		rdd_store_close(t->store);
	}
	t->controller = NULL;
	t->limavm_kind = NULL;
	t->configmap_kind = NULL;
	g_clear_object(&t->loader);
	g_clear_object(&t->store);
}

static void
lima_test_setup(LimaTest *t, gconstpointer data)
{
	const gchar *limactl = g_getenv("RDD_FAKE_LIMACTL");

	/* each test its own instance: own Lima home and Docker socket */
	t->suffix = g_strdup_printf("lt%u", ++lima_test_counter);
	t->instance = rdd_instance_new(t->suffix);
	t->lima_home = g_strdup(rdd_instance_get_lima_home(t->instance));
	t->fake_dir = g_build_filename(t->lima_home, ".fake", NULL);
	g_assert_cmpint(g_mkdir_with_parents(t->fake_dir, 0700), ==, 0);
	g_setenv("RDD_LIMACTL", limactl != NULL ? limactl : RDD_SOURCE_ROOT "/tests/fakes/limactl", TRUE);
	g_setenv("RDD_LIMA_POLL_INTERVAL", "300ms", TRUE);
	g_setenv("RDD_LIMA_RETRY_INTERVAL", "500ms", TRUE);
	g_unsetenv("RDD_LIMACTL_TIMEOUT");
	g_unsetenv("FAKE_LIMACTL_DOCKER_SOCKET");
	t->template = g_strdup_printf("images:\n"
				      "- location: https://example.com/distro.x86_64.raw.xz\n"
				      "  arch: x86_64\n"
				      "cpus: 2\n"
				      "memory: \"6442450944\"\n"
				      "portForwards:\n"
				      "- guestSocket: /var/run/docker.sock\n"
				      "  hostSocket: \"{{.Param.HOST_DOCKER_SOCKET}}\"\n"
				      "param:\n"
				      "  HOST_DOCKER_SOCKET: \"%s\"\n",
				      rdd_instance_get_docker_socket(t->instance));
}

static void
lima_test_teardown(LimaTest *t, gconstpointer data)
{
	lima_test_unload(t);
	lima_test_rm_rf(rdd_instance_get_short_dir(t->instance));
	g_clear_object(&t->instance);
	g_free(t->suffix);
	g_free(t->db_path);
	g_free(t->lima_home);
	g_free(t->fake_dir);
	g_free(t->template);
}

/* ---------------------------------------------------------------------------------------- */
/* objects */

static JsonNode *
lima_test_new_object_node(void)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, json_object_new());
	return node;
}

static RddObject *
lima_test_create_cm(LimaTest *t, const gchar *ns, const gchar *name, const gchar *template, gboolean labelled, GError **error)
{
	g_autoptr(JsonNode) node = lima_test_new_object_node();
	JsonObject *root = json_node_get_object(node);
	JsonObject *meta = rdd_json_object_ensure_object(root, "metadata");
	JsonObject *data = rdd_json_object_ensure_object(root, "data");

	json_object_set_string_member(root, "apiVersion", "v1");
	json_object_set_string_member(root, "kind", "ConfigMap");
	json_object_set_string_member(meta, "name", name);
	json_object_set_string_member(meta, "namespace", ns);
	if (labelled)
		json_object_set_string_member(rdd_json_object_ensure_object(meta, "labels"),
					      "lima.rancherdesktop.io/template-configmap", "true");
	if (template != NULL)
		json_object_set_string_member(data, "template", template);
	return rdd_store_create(t->store, node, NULL, error);
}

typedef struct {
	const gchar *ns;
	const gchar *name;
	const gchar *ref_name;
	const gchar *ref_ns;
	gboolean running;
	const gchar *vm_type;
	const gchar *host_socket;
	const gchar *finalizer;
	gboolean dry_run;
} LimaTestVm;

static RddObject *
lima_test_create_vm_full(LimaTest *t, const LimaTestVm *vm, GError **error)
{
	g_autoptr(JsonNode) node = lima_test_new_object_node();
	JsonObject *root = json_node_get_object(node);
	JsonObject *meta = rdd_json_object_ensure_object(root, "metadata");
	JsonObject *spec = rdd_json_object_ensure_object(root, "spec");
	JsonObject *ref = rdd_json_object_ensure_object(spec, "templateRef");
	RddWriteOptions options = {0};

	options.dry_run = vm->dry_run;
	json_object_set_string_member(root, "apiVersion", "lima.rancherdesktop.io/v1alpha1");
	json_object_set_string_member(root, "kind", "LimaVM");
	json_object_set_string_member(meta, "name", vm->name);
	json_object_set_string_member(meta, "namespace", vm->ns != NULL ? vm->ns : "default");
	if (vm->finalizer != NULL)
		json_array_add_string_element(rdd_json_object_ensure_array(meta, "finalizers"), vm->finalizer);
	json_object_set_string_member(ref, "name", vm->ref_name != NULL ? vm->ref_name : "src");
	if (vm->ref_ns != NULL)
		json_object_set_string_member(ref, "namespace", vm->ref_ns);
	json_object_set_boolean_member(spec, "running", vm->running);
	if (vm->vm_type != NULL)
		json_object_set_string_member(spec, "vmType", vm->vm_type);
	if (vm->host_socket != NULL)
		json_object_set_string_member(spec, "hostDockerSocket", vm->host_socket);
	return rdd_store_create(t->store, node, &options, error);
}

/* the source ConfigMap `src` with the test template, and a LimaVM using it */
static RddObject *
lima_test_create_vm(LimaTest *t, const gchar *name, gboolean running)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) src = rdd_store_lookup(t->store, t->configmap_kind, "default", "src");
	LimaTestVm vm = {.name = name, .running = running};
	RddObject *obj;

	if (src == NULL) {
		src = lima_test_create_cm(t, "default", "src", t->template, FALSE, &error);
		g_assert_no_error(error);
	}
	obj = lima_test_create_vm_full(t, &vm, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	return obj;
}

static RddObject *
lima_test_get(LimaTest *t, RddKind *kind, const gchar *ns, const gchar *name)
{
	return rdd_store_lookup(t->store, kind, ns, name);
}

static JsonNode *
lima_test_status(LimaTest *t, const gchar *name)
{
	g_autoptr(RddObject) obj = lima_test_get(t, t->limavm_kind, "default", name);
	JsonNode *status = obj != NULL ? rdd_object_dup_member(obj, "status") : NULL;
	if (status == NULL)
		status = lima_test_new_object_node();
	return status;
}

static gint64
lima_test_restart_count(LimaTest *t, const gchar *name)
{
	g_autoptr(JsonNode) status = lima_test_status(t, name);
	return json_object_get_int_member_with_default(json_node_get_object(status), "restartCount", 0);
}

static gchar *
lima_test_condition_message(LimaTest *t, const gchar *name, const gchar *type)
{
	g_autoptr(JsonNode) status = lima_test_status(t, name);
	JsonObject *cond = rdd_conditions_find(json_node_get_object(status), type);
	return cond != NULL ? g_strdup(json_object_get_string_member_with_default(cond, "message", "")) : NULL;
}

static void
lima_test_patch(LimaTest *t, RddKind *kind, const gchar *name, const gchar *patch_json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) patch = rdd_json_parse(patch_json, -1, &error);
	g_autoptr(RddObject) written = NULL;

	g_assert_no_error(error);
	written = rdd_store_patch(t->store, kind, "default", name, RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(written);
}

static void
lima_test_set_running(LimaTest *t, const gchar *name, gboolean running)
{
	lima_test_patch(t, t->limavm_kind, name,
			running ? "{\"spec\":{\"running\":true}}" : "{\"spec\":{\"running\":false}}");
}

static void
lima_test_set_template(LimaTest *t, const gchar *cm_name, const gchar *template)
{
	g_autoptr(JsonNode) patch = lima_test_new_object_node();
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) written = NULL;

	json_object_set_string_member(rdd_json_object_ensure_object(json_node_get_object(patch), "data"),
				      "template", template);
	written = rdd_store_patch(t->store, t->configmap_kind, "default", cm_name, RDD_PATCH_MERGE,
				  patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(written);
}

/* ---------------------------------------------------------------------------------------- */
/* waiting for conditions */

typedef struct {
	const gchar *name;
	const gchar *type;
	const gchar *status;
	const gchar *reason;
} LimaTestCondition;

static gboolean
lima_test_condition_cb(LimaTest *t, gpointer user_data)
{
	LimaTestCondition *want = user_data;
	g_autoptr(JsonNode) status = lima_test_status(t, want->name);
	JsonObject *st = json_node_get_object(status);
	return g_strcmp0(rdd_conditions_get_status(st, want->type), want->status) == 0 &&
	       (want->reason == NULL || g_strcmp0(rdd_conditions_get_reason(st, want->type), want->reason) == 0);
}

static void
lima_test_wait_condition(LimaTest *t, const gchar *name, const gchar *type, const gchar *status, const gchar *reason)
{
	LimaTestCondition want = {name, type, status, reason};
	if (!lima_test_wait(t, lima_test_condition_cb, &want, LIMA_TEST_WAIT_MS)) {
		g_autoptr(JsonNode) st = lima_test_status(t, name);
		g_autofree gchar *json = rdd_json_to_string(st, TRUE);
		g_autofree gchar *calls = NULL;
		g_autofree gchar *log = g_build_filename(t->fake_dir, "calls.log", NULL);
		g_file_get_contents(log, &calls, NULL, NULL);
		g_error("LimaVM %s never reached %s=%s/%s; status:\n%s\ncontroller: %s\nlimactl calls:\n%s",
			name, type, status, reason != NULL ? reason : "*", json,
			rdd_controller_get_last_error(t->controller) != NULL ?
				rdd_controller_get_last_error(t->controller) :
				"",
			calls != NULL ? calls : "");
	}
}

/* ---------------------------------------------------------------------------------------- */
/* the fake limactl */

static gchar **
lima_test_calls(LimaTest *t)
{
	g_autofree gchar *path = g_build_filename(t->fake_dir, "calls.log", NULL);
	g_autofree gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_new0(gchar *, 1);
	return g_strsplit(text, "\n", -1);
}

/* how many limactl calls started with @prefix (e.g. `start --tty=false vm1`) */
static guint
lima_test_count_calls(LimaTest *t, const gchar *prefix)
{
	g_auto(GStrv) lines = lima_test_calls(t);
	guint n = 0;
	for (guint i = 0; lines[i] != NULL; i++) {
		if (lines[i][0] != '\0' && g_str_has_prefix(lines[i], prefix))
			n++;
	}
	return n;
}

static void
lima_test_fake_set(LimaTest *t, const gchar *file, const gchar *content)
{
	g_autofree gchar *path = g_build_filename(t->fake_dir, file, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(path, content, -1, &error));
	g_assert_no_error(error);
}

static void
lima_test_fake_clear(LimaTest *t, const gchar *file)
{
	g_autofree gchar *path = g_build_filename(t->fake_dir, file, NULL);
	g_unlink(path);
}

static gchar *
lima_test_instance_file(LimaTest *t, const gchar *name, const gchar *file)
{
	g_autofree gchar *path = g_build_filename(t->lima_home, name, file, NULL);
	gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	return g_strstrip(text);
}

static void
lima_test_instance_set_status(LimaTest *t, const gchar *name, const gchar *status)
{
	g_autofree gchar *path = g_build_filename(t->lima_home, name, "status", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(path, status, -1, &error));
	g_assert_no_error(error);
}

static void
lima_test_assert_contains(const gchar *haystack, const gchar *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		g_error("\"%s\" does not contain \"%s\"", haystack != NULL ? haystack : "(null)", needle);
}

/* ---------------------------------------------------------------------------------------- */
/* admission */

static void
lima_test_admission_copy(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) dry = NULL;
	g_autoptr(RddObject) copy = NULL;
	g_autoptr(RddObject) none = NULL;
	g_autoptr(JsonNode) copy_data = NULL;
	LimaTestVm spec = {.name = "dry", .dry_run = TRUE};

	lima_test_load(t, FALSE);
	vm = lima_test_create_vm(t, "vm1", FALSE);
	/* the cleanup finalizer from the start */
	g_assert_true(rdd_object_has_finalizer(vm, "rdd.rancherdesktop.io/cleanup"));
	copy = lima_test_get(t, t->configmap_kind, "default", "vm1-template");
	g_assert_nonnull(copy);
	g_assert_cmpstr(rdd_object_get_label(copy, "lima.rancherdesktop.io/template-configmap"), ==, "true");
	g_assert_true(rdd_object_has_finalizer(copy, "rdd.rancherdesktop.io/owned-by-LimaVM"));
	g_assert_cmpuint(rdd_object_get_n_owner_references(copy), ==, 0);
	copy_data = rdd_object_dup_member(copy, "data");
	g_assert_cmpstr(rdd_json_lookup_string(copy_data, "template"), ==, t->template);

	/* a dry run checks the copy but makes none */
	dry = lima_test_create_vm_full(t, &spec, &error);
	g_assert_no_error(error);
	g_assert_nonnull(dry);
	none = lima_test_get(t, t->configmap_kind, "default", "dry-template");
	g_assert_null(none);
	g_assert_null(lima_test_get(t, t->limavm_kind, "default", "dry"));
}

static void
lima_test_admission_unique(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) other = NULL;
	g_autoptr(RddObject) same = NULL;
	LimaTestVm spec = {.ns = "other", .name = "vm1", .ref_ns = "default"};

	lima_test_load(t, FALSE);
	vm = lima_test_create_vm(t, "vm1", FALSE);
	other = lima_test_create_vm_full(t, &spec, &error);
	g_assert_null(other);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-defaulter\" denied the request: LimaVM name \"vm1\" is already "
			"used in namespace \"default\"; LimaVM names must be unique across all namespaces");
	g_clear_error(&error);
	/* the same namespace too, before the store's own "already exists" */
	spec.ns = "default";
	same = lima_test_create_vm_full(t, &spec, &error);
	g_assert_null(same);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	lima_test_assert_contains(error->message, "is already used in namespace \"default\"");
	/* no second template copy in the other namespace */
	g_assert_null(lima_test_get(t, t->configmap_kind, "other", "vm1-template"));
}

static void
lima_test_admission_missing_ref(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) vm = NULL;
	LimaTestVm spec = {.name = "vm1", .ref_name = "nope"};
	LimaTestVm spec_ns = {.name = "vm2", .ref_name = "src", .ref_ns = "other"};

	lima_test_load(t, FALSE);
	vm = lima_test_create_vm_full(t, &spec, &error);
	g_assert_null(vm);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-defaulter\" denied the request: failed to fetch template data: "
			"failed to get templateRef ConfigMap \"nope\" in namespace \"default\": configmaps \"nope\" "
			"not found");
	g_clear_error(&error);
	/* templateRef.namespace is where the source is looked up */
	vm = lima_test_create_vm_full(t, &spec_ns, &error);
	g_assert_null(vm);
	lima_test_assert_contains(error->message, "failed to get templateRef ConfigMap \"src\" in namespace \"other\"");
	g_assert_null(lima_test_get(t, t->configmap_kind, "default", "vm1-template"));
}

/* a source template and what creating a LimaVM from it says */
typedef struct {
	const gchar *template; /* NULL: no template key */
	const gchar *vm_type;
	const gchar *message; /* NULL: admitted */
} LimaTestTemplateCase;

static const LimaTestTemplateCase lima_test_template_cases[] = {
	{NULL, NULL, "failed to create template ConfigMap: admission hook \"limavm-configmap-validator\" denied the request: template ConfigMap must have a \"template\" data entry"},
	{"", NULL, "failed to create template ConfigMap: admission hook \"limavm-configmap-validator\" denied the request: \"template\" data cannot be empty"},
	{"images: [unclosed\n", NULL, "denied the request: failed to parse template: "},
	{"- just\n- a list\n", NULL, "failed to validate template: the template must be a mapping, not a list"},
	{"plain text\n", NULL, "failed to validate template: the template must be a mapping, not a string"},
	{"cpus: 2\n", NULL, "failed to validate template: field `images` must be set"},
	{"images: []\n", NULL, "failed to validate template: field `images` must list at least one image"},
	{"images: {location: x}\n", NULL, "failed to validate template: field `images` must be a list, not a mapping"},
	{"images:\n- arch: x86_64\n", NULL,
	 "failed to validate template: field `images[0].location` must be a non-empty string"},
	{"images:\n- location: x\n  arch: m68k\n", NULL,
	 "failed to validate template: field `images[0].arch` must be one of"},
	{"images:\n- location: x\ncpus: two\n", NULL,
	 "failed to validate template: field `cpus` must be a positive integer, not a string"},
	{"images:\n- location: x\ncpus: 0\n", NULL,
	 "failed to validate template: field `cpus` must be between 1 and 1024, not 0"},
	{"images:\n- location: x\ncpus: 1.5\n", NULL, "field `cpus` must be a positive integer, not a number"},
	{"images:\n- location: x\nmemory: lots\n", NULL,
	 "failed to validate template: field `memory`: \"lots\" is not a size such as 6GiB"},
	{"images:\n- location: x\nmemory: 4XB\n", NULL, "field `memory`: \"4XB\" has an unknown unit \"XB\""},
	{"images:\n- location: x\nmemory: -1\n", NULL, "field `memory` must be a positive size, not -1"},
	{"images:\n- location: x\nmemory: 0GiB\n", NULL, "field `memory`: the size \"0GiB\" must be positive"},
	{"images:\n- location: x\nmemory: 99999999999PiB\n", NULL,
	 "field `memory`: the size \"99999999999PiB\" is too large"},
	{"images:\n- location: x\ndisk: [1]\n", NULL, "field `disk` must be a size such as 6GiB, not a list"},
	{"images:\n- location: x\nmemory: 4GiB\ndisk: 100 GB\ncpus: 4\n", NULL, NULL},
	{"images:\n- location: x\nmemory: 6442450944\n", NULL, NULL},
	{"images:\n- location: x\nmemory: \"1.5G\"\n", NULL, NULL},
	/* host mode runs no VM: no images needed, the rest still checked */
	{"cpus: 2\n", "host", NULL},
	{"cpus: -2\n", "host", "field `cpus` must be between 1 and 1024, not -2"},
};

static void
lima_test_admission_template(LimaTest *t, gconstpointer data)
{
	lima_test_load(t, FALSE);
	for (guint i = 0; i < G_N_ELEMENTS(lima_test_template_cases); i++) {
		const LimaTestTemplateCase *c = &lima_test_template_cases[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(RddObject) src = NULL;
		g_autoptr(RddObject) vm = NULL;
		g_autoptr(RddObject) copy = NULL;
		g_autofree gchar *src_name = g_strdup_printf("src%u", i);
		g_autofree gchar *vm_name = g_strdup_printf("vm%u", i);
		g_autofree gchar *copy_name = g_strdup_printf("vm%u-template", i);
		LimaTestVm spec = {.name = vm_name, .ref_name = src_name, .vm_type = c->vm_type};

		g_test_message("case %u: %s", i, c->template != NULL ? c->template : "(no template key)");
		src = lima_test_create_cm(t, "default", src_name, c->template, FALSE, &error);
		g_assert_no_error(error);
		vm = lima_test_create_vm_full(t, &spec, &error);
		copy = lima_test_get(t, t->configmap_kind, "default", copy_name);
		if (c->message == NULL) {
			g_assert_no_error(error);
			g_assert_nonnull(vm);
			g_assert_nonnull(copy);
			continue;
		}
		g_assert_null(vm);
		g_assert_null(copy);
		g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
		g_assert_true(g_str_has_prefix(
			error->message, "admission hook \"limavm-defaulter\" denied the request: failed to create template ConfigMap: "));
		lima_test_assert_contains(error->message, c->message);
	}
}

/* the ConfigMap validator sees only labelled ConfigMaps, and guards what it owns */
static void
lima_test_admission_configmap(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) plain = NULL;
	g_autoptr(RddObject) labelled = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) gone = NULL;
	g_autoptr(RddObject) written = NULL;
	g_autoptr(JsonNode) patch = NULL;

	lima_test_load(t, FALSE);
	plain = lima_test_create_cm(t, "default", "plain", "not: [a, lima template", FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(plain);
	labelled = lima_test_create_cm(t, "default", "labelled", "- a list\n", TRUE, &error);
	g_assert_null(labelled);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-configmap-validator\" denied the request: failed to validate "
			"template: the template must be a mapping, not a list");
	g_clear_error(&error);

	vm = lima_test_create_vm(t, "vm1", FALSE);
	/* an update is checked too */
	patch = rdd_json_parse("{\"data\":{\"template\":\"cpus: 0\\n\"}}", -1, &error);
	g_assert_no_error(error);
	written = rdd_store_patch(t->store, t->configmap_kind, "default", "vm1-template",
				  RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
	g_assert_null(written);
	lima_test_assert_contains(error->message, "failed to validate template: field `images` must be set");
	g_clear_error(&error);
	g_clear_pointer(&patch, json_node_unref);

	/* the label stays while the copy is owned */
	patch = rdd_json_parse("{\"metadata\":{\"labels\":{\"lima.rancherdesktop.io/template-configmap\":null}}}",
			       -1, &error);
	g_assert_no_error(error);
	written = rdd_store_patch(t->store, t->configmap_kind, "default", "vm1-template",
				  RDD_PATCH_MERGE, patch, FALSE, NULL, &error);
	g_assert_null(written);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-configmap-validator\" denied the request: cannot remove "
			"lima.rancherdesktop.io/template-configmap label: resource is owned");
	g_clear_error(&error);

	/* and the copy cannot be deleted behind the LimaVM's back */
	gone = rdd_store_delete(t->store, t->configmap_kind, "default", "vm1-template", NULL, &error);
	g_assert_null(gone);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-configmap-validator\" denied the request: cannot delete "
			"\"vm1-template\": owned by LimaVM; delete the LimaVM resource instead");
	g_clear_error(&error);
	/* an unlabelled ConfigMap is none of our business */
	gone = rdd_store_delete(t->store, t->configmap_kind, "default", "plain", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(gone);
}

static void
lima_test_admission_limavm(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) gone = NULL;
	g_autoptr(RddObject) written = NULL;
	g_autoptr(JsonNode) patch = NULL;
	LimaTestVm spec = {.name = "owned", .finalizer = "rdd.rancherdesktop.io/owned-by-App"};

	lima_test_load(t, FALSE);
	g_clear_pointer(&vm, rdd_object_unref);
	vm = lima_test_create_vm(t, "vm1", FALSE);

	/* templateRef cannot change */
	patch = rdd_json_parse("{\"spec\":{\"templateRef\":{\"name\":\"elsewhere\"}}}", -1, &error);
	g_assert_no_error(error);
	written = rdd_store_patch(t->store, t->limavm_kind, "default", "vm1", RDD_PATCH_MERGE,
				  patch, FALSE, NULL, &error);
	g_assert_null(written);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==,
			"LimaVM.lima.rancherdesktop.io \"vm1\" is invalid: spec.templateRef: Invalid value: "
			"\"object\": templateRef is immutable");
	g_clear_error(&error);
	g_clear_pointer(&patch, json_node_unref);
	/* the rest of the spec can */
	patch = rdd_json_parse("{\"spec\":{\"running\":true}}", -1, &error);
	written = rdd_store_patch(t->store, t->limavm_kind, "default", "vm1", RDD_PATCH_MERGE,
				  patch, FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(written);

	/* an owned LimaVM is deleted through its owner */
	g_clear_pointer(&vm, rdd_object_unref);
	vm = lima_test_create_vm_full(t, &spec, &error);
	g_assert_no_error(error);
	gone = rdd_store_delete(t->store, t->limavm_kind, "default", "owned", NULL, &error);
	g_assert_null(gone);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_cmpstr(error->message, ==,
			"admission hook \"limavm-validator\" denied the request: cannot delete \"owned\": owned "
			"by App; delete the App resource instead");
}

/* a copy left behind by a create refused after the copy was made is reused, not a conflict */
static void
lima_test_admission_leftover(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) leftover = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) copy = NULL;
	g_autoptr(RddObject) foreign = NULL;
	g_autoptr(RddObject) refused = NULL;
	g_autoptr(JsonNode) node = lima_test_new_object_node();
	g_autoptr(JsonNode) copy_data = NULL;
	JsonObject *meta;
	LimaTestVm spec = {.name = "vm2"};

	lima_test_load(t, FALSE);
	json_object_set_string_member(json_node_get_object(node), "apiVersion", "v1");
	json_object_set_string_member(json_node_get_object(node), "kind", "ConfigMap");
	meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	json_object_set_string_member(meta, "name", "vm1-template");
	json_object_set_string_member(meta, "namespace", "default");
	json_object_set_string_member(rdd_json_object_ensure_object(meta, "labels"),
				      "lima.rancherdesktop.io/template-configmap", "true");
	json_array_add_string_element(rdd_json_object_ensure_array(meta, "finalizers"),
				      "rdd.rancherdesktop.io/owned-by-LimaVM");
	json_object_set_string_member(rdd_json_object_ensure_object(json_node_get_object(node), "data"),
				      "template", "images: [{location: old}]\n");
	leftover = rdd_store_create(t->store, node, NULL, &error);
	g_assert_no_error(error);

	vm = lima_test_create_vm(t, "vm1", FALSE);
	copy = lima_test_get(t, t->configmap_kind, "default", "vm1-template");
	g_assert_cmpstr(rdd_object_get_uid(copy), ==, rdd_object_get_uid(leftover));
	copy_data = rdd_object_dup_member(copy, "data");
	g_assert_cmpstr(rdd_json_lookup_string(copy_data, "template"), ==, t->template);

	/* someone else's ConfigMap of that name is not taken over */
	foreign = lima_test_create_cm(t, "default", "vm2-template", "x: 1\n", FALSE, &error);
	g_assert_no_error(error);
	refused = lima_test_create_vm_full(t, &spec, &error);
	g_assert_null(refused);
	lima_test_assert_contains(error->message, "failed to create template ConfigMap: configmaps \"vm2-template\" already exists");
}

/* ---------------------------------------------------------------------------------------- */
/* the controller */

typedef struct {
	const gchar *name;
	gint64 count;
} LimaTestCount;

static gboolean
lima_test_restart_count_cb(LimaTest *t, gpointer user_data)
{
	LimaTestCount *want = user_data;
	return lima_test_restart_count(t, want->name) >= want->count;
}

/* Running=True/Started with @restart_count starts, and the fake agrees */
static void
lima_test_assert_started(LimaTest *t, const gchar *name, gint64 restart_count)
{
	g_autofree gchar *state = NULL;
	LimaTestCount want = {name, restart_count};

	lima_test_wait(t, lima_test_restart_count_cb, &want, LIMA_TEST_WAIT_MS);
	lima_test_wait_condition(t, name, "Running", "True", "Started");
	g_assert_cmpint(lima_test_restart_count(t, name), ==, restart_count);
	state = lima_test_instance_file(t, name, "status");
	g_assert_cmpstr(state, ==, "Running");
}

static gboolean
lima_test_template_applied_cb(LimaTest *t, gpointer user_data)
{
	const gchar *name = user_data;
	g_autofree gchar *cm_name = g_strconcat(name, "-template", NULL);
	g_autoptr(RddObject) cm = lima_test_get(t, t->configmap_kind, "default", cm_name);
	g_autoptr(JsonNode) status = lima_test_status(t, name);
	g_autofree gchar *rv = NULL;

	if (cm == NULL)
		return FALSE;
	rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(cm));
	return g_strcmp0(rdd_json_lookup_string(status, "observedTemplateResourceVersion"), rv) == 0;
}

static void
lima_test_wait_template_applied(LimaTest *t, const gchar *name)
{
	if (!lima_test_wait(t, lima_test_template_applied_cb, (gpointer)name, LIMA_TEST_WAIT_MS)) {
		g_autoptr(JsonNode) st = lima_test_status(t, name);
		g_autofree gchar *json = rdd_json_to_string(st, TRUE);
		g_error("LimaVM %s never recorded its template's resourceVersion:\n%s", name, json);
	}
}

static void
lima_test_lifecycle(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) copy = NULL;
	g_autoptr(JsonNode) status = NULL;
	g_autofree gchar *template2 = NULL;
	g_autofree gchar *template3 = NULL;
	g_autofree gchar *on_disk = NULL;
	g_autofree gchar *state = NULL;
	const RddOwnerReference *ref;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_wait_condition(t, "vm1", "Created", "True", "Created");
	lima_test_assert_started(t, "vm1", 1);
	lima_test_wait_template_applied(t, "vm1");

	/* the template copy belongs to the LimaVM now */
	copy = lima_test_get(t, t->configmap_kind, "default", "vm1-template");
	ref = rdd_object_get_controller_reference(copy);
	g_assert_nonnull(ref);
	g_assert_cmpstr(ref->kind, ==, "LimaVM");
	g_assert_cmpstr(ref->uid, ==, rdd_object_get_uid(vm));
	status = lima_test_status(t, "vm1");
	g_assert_cmpstr(rdd_json_lookup_string(status, "templateConfigMap"), ==, "vm1-template");
	g_assert_cmpuint(lima_test_count_calls(t, "create --name=vm1 --tty=false "), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "start --tty=false vm1"), ==, 1);
	on_disk = lima_test_instance_file(t, "vm1", "lima.yaml");
	g_assert_nonnull(on_disk);
	lima_test_assert_contains(on_disk, "cpus: 2");

	/* a new template restarts the running VM and is recorded once it runs */
	template2 = g_strdup_printf("%s# edited\ndisk: 50GiB\n", t->template);
	lima_test_set_template(t, "vm1-template", template2);
	lima_test_wait_template_applied(t, "vm1");
	lima_test_assert_started(t, "vm1", 2);
	g_assert_cmpuint(lima_test_count_calls(t, "stop vm1"), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "start --tty=false vm1"), ==, 2);
	g_clear_pointer(&on_disk, g_free);
	on_disk = lima_test_instance_file(t, "vm1", "lima.yaml");
	lima_test_assert_contains(on_disk, "disk: 50GiB");
	g_clear_pointer(&status, json_node_unref);
	status = lima_test_status(t, "vm1");
	g_assert_false(json_object_get_boolean_member_with_default(json_node_get_object(status),
								   "restartNeeded", FALSE));

	/* stop */
	lima_test_set_running(t, "vm1", FALSE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	state = lima_test_instance_file(t, "vm1", "status");
	g_assert_cmpstr(state, ==, "Stopped");
	g_assert_cmpuint(lima_test_count_calls(t, "stop vm1"), ==, 2);

	/* a stopped VM takes a new template without starting */
	template3 = g_strdup_printf("%s# edited again\n", t->template);
	lima_test_set_template(t, "vm1-template", template3);
	lima_test_wait_template_applied(t, "vm1");
	g_clear_pointer(&on_disk, g_free);
	on_disk = lima_test_instance_file(t, "vm1", "lima.yaml");
	lima_test_assert_contains(on_disk, "# edited again");
	lima_test_spin(700);
	g_assert_cmpuint(lima_test_count_calls(t, "start "), ==, 2);
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 2);

	/* and starts again */
	lima_test_set_running(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 3);
	/* while it runs, the controller keeps asking Lima about it */
	{
		guint lists = lima_test_count_calls(t, "list --json");
		lima_test_spin(1000);
		g_assert_cmpuint(lima_test_count_calls(t, "list --json"), >, lists);
	}
}

static void
lima_test_start_fails(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *message = NULL;

	lima_test_load(t, TRUE);
	lima_test_fake_set(t, "fail-start", "level=fatal msg=\"boom: no hypervisor here\"\n");
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "StartFailed");
	message = lima_test_condition_message(t, "vm1", "Running");
	g_assert_cmpstr(message, ==, "limactl start failed: level=fatal msg=\"boom: no hypervisor here\"");
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 0);
	/* retried after the retry interval; succeeds once the fault is gone */
	lima_test_fake_clear(t, "fail-start");
	lima_test_assert_started(t, "vm1", 1);
}

static void
lima_test_create_fails(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *message = NULL;

	lima_test_load(t, TRUE);
	lima_test_fake_set(t, "fail-create", "");
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_wait_condition(t, "vm1", "Created", "False", "CreateFailed");
	message = lima_test_condition_message(t, "vm1", "Created");
	lima_test_assert_contains(message, "limactl create failed: fake limactl: create failed (injected by ");
	g_assert_cmpuint(lima_test_count_calls(t, "start "), ==, 0);
	lima_test_fake_clear(t, "fail-create");
	lima_test_wait_condition(t, "vm1", "Created", "True", "Created");
	lima_test_assert_started(t, "vm1", 1);
}

static void
lima_test_start_hangs(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm1 = NULL;
	g_autoptr(RddObject) vm2 = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(JsonNode) status = NULL;

	g_setenv("RDD_LIMACTL_TIMEOUT", "2s", TRUE);
	lima_test_load(t, TRUE);
	g_unsetenv("RDD_LIMACTL_TIMEOUT");
	lima_test_fake_set(t, "hang-start", "");
	vm1 = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "Starting");
	/* another LimaVM is served while vm1's start hangs */
	vm2 = lima_test_create_vm(t, "vm2", FALSE);
	lima_test_wait_condition(t, "vm2", "Running", "False", "Stopped");
	g_assert_cmpstr(rdd_conditions_get_reason(
				json_node_get_object((status = lima_test_status(t, "vm1"))), "Running"),
			==, "Starting");
	lima_test_wait_condition(t, "vm1", "Running", "False", "StartFailed");
	message = lima_test_condition_message(t, "vm1", "Running");
	g_assert_cmpstr(message, ==, "limactl start timed out: it did not finish within its deadline of 2s and was killed");
	lima_test_fake_clear(t, "hang-start");
	lima_test_assert_started(t, "vm1", 1);
}

/* a daemon restart while the VM runs: the new plugin finds it running and starts nothing */
static void
lima_test_daemon_restart(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	guint lists;

	t->db_path = g_build_filename(lima_test_tmp, "restart.db", NULL);
	g_unlink(t->db_path);
	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	g_clear_pointer(&vm, rdd_object_unref);
	lima_test_unload(t);

	lists = lima_test_count_calls(t, "list --json");
	lima_test_load(t, TRUE);
	/* the first pass cannot know the state: Reconciling, then what Lima says */
	lima_test_wait_condition(t, "vm1", "Running", "Unknown", "Reconciling");
	lima_test_assert_started(t, "vm1", 1);
	g_assert_cmpuint(lima_test_count_calls(t, "start "), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "create "), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "list --json"), >, lists);

	/* not wanted any more while the daemon was away: found running, stopped */
	lima_test_unload(t);
	lima_test_load(t, FALSE);
	lima_test_set_running(t, "vm1", FALSE);
	g_assert_true(rdd_controller_start(t->controller, t->store, NULL));
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	g_assert_cmpuint(lima_test_count_calls(t, "stop vm1"), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "start "), ==, 1);
	g_unlink(t->db_path);
}

static void
lima_test_broken(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	lima_test_instance_set_status(t, "vm1", "Broken");
	lima_test_wait(t, lima_test_condition_cb, &(LimaTestCondition){"vm1", "Running", "False", NULL}, 5000);
	lima_test_assert_started(t, "vm1", 2);
	g_assert_cmpuint(lima_test_count_calls(t, "stop --force vm1"), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "start --tty=false vm1"), ==, 2);
}

/* the instance deleted behind the controller's back is created and started again */
static void
lima_test_gone(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *dir = NULL;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	dir = g_build_filename(t->lima_home, "vm1", NULL);
	lima_test_rm_rf(dir);
	lima_test_wait_condition(t, "vm1", "Created", "Unknown", "Pending");
	lima_test_wait_condition(t, "vm1", "Created", "True", "Created");
	lima_test_assert_started(t, "vm1", 2);
	g_assert_cmpuint(lima_test_count_calls(t, "create --name=vm1"), ==, 2);
}

static gboolean
lima_test_annotation_gone_cb(LimaTest *t, gpointer user_data)
{
	g_autoptr(RddObject) vm = lima_test_get(t, t->limavm_kind, "default", "vm1");
	g_autofree gchar *value = rdd_object_dup_annotation(vm, "lima.rancherdesktop.io/restartRequested");
	return value == NULL;
}

static void
lima_test_restart_requested(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	lima_test_patch(t, t->limavm_kind, "vm1",
			"{\"metadata\":{\"annotations\":{\"lima.rancherdesktop.io/restartRequested\":\"now\"}}}");
	g_assert_true(lima_test_wait(t, lima_test_annotation_gone_cb, NULL, LIMA_TEST_WAIT_MS));
	lima_test_wait(t, lima_test_condition_cb, &(LimaTestCondition){"vm1", "Running", "False", NULL}, 5000);
	lima_test_assert_started(t, "vm1", 2);
	/* once: nothing more happens */
	lima_test_spin(1000);
	g_assert_cmpuint(lima_test_count_calls(t, "start "), ==, 2);
	g_assert_cmpuint(lima_test_count_calls(t, "stop vm1"), ==, 1);
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 2);
}

static gboolean
lima_test_vm_gone_cb(LimaTest *t, gpointer user_data)
{
	g_autoptr(RddObject) vm = lima_test_get(t, t->limavm_kind, "default", user_data);
	return vm == NULL;
}

static void
lima_test_delete(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autoptr(RddObject) copy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	deleting = rdd_store_delete(t->store, t->limavm_kind, "default", "vm1", NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(deleting);
	g_assert_true(lima_test_wait(t, lima_test_vm_gone_cb, (gpointer) "vm1", LIMA_TEST_WAIT_MS));
	g_assert_cmpuint(lima_test_count_calls(t, "stop --force vm1"), ==, 1);
	g_assert_cmpuint(lima_test_count_calls(t, "delete --force vm1"), ==, 1);
	copy = lima_test_get(t, t->configmap_kind, "default", "vm1-template");
	g_assert_null(copy);
	dir = g_build_filename(t->lima_home, "vm1", NULL);
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
}

/* a failing delete keeps the LimaVM (and its finalizer) until it works */
static void
lima_test_delete_fails(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autoptr(RddObject) still = NULL;
	g_autoptr(GError) error = NULL;

	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", FALSE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	lima_test_fake_set(t, "fail-delete", "disk is locked");
	deleting = rdd_store_delete(t->store, t->limavm_kind, "default", "vm1", NULL, &error);
	g_assert_no_error(error);
	lima_test_spin(800);
	still = lima_test_get(t, t->limavm_kind, "default", "vm1");
	g_assert_nonnull(still);
	g_assert_true(rdd_object_is_deleting(still));
	lima_test_assert_contains(rdd_controller_get_last_error(t->controller),
				  "limactl delete failed: disk is locked");
	lima_test_fake_clear(t, "fail-delete");
	g_assert_true(lima_test_wait(t, lima_test_vm_gone_cb, (gpointer) "vm1", LIMA_TEST_WAIT_MS));
	g_assert_null(lima_test_get(t, t->configmap_kind, "default", "vm1-template"));
}

/* an instance of the same name that predates the LimaVM is removed before the create */
static void
lima_test_leftover_instance(LimaTest *t, gconstpointer data)
{
	g_autofree gchar *dir = g_build_filename(t->lima_home, "vm1", NULL);
	g_autofree gchar *yaml = g_build_filename(dir, "lima.yaml", NULL);
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *on_disk = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(yaml, "images: [{location: stale}]\n", -1, NULL));
	lima_test_instance_set_status(t, "vm1", "Running");
	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	g_assert_cmpuint(lima_test_count_calls(t, "delete --force vm1"), ==, 1);
	on_disk = lima_test_instance_file(t, "vm1", "lima.yaml");
	lima_test_assert_contains(on_disk, "example.com/distro");
}

/* with FAKE_LIMACTL_DOCKER_SOCKET, a started VM forwards its Docker socket like Lima does */
static void
lima_test_docker_forward(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *target = NULL;
	const gchar *link = rdd_instance_get_docker_socket(t->instance);

	g_setenv("FAKE_LIMACTL_DOCKER_SOCKET", "/var/run/guest-docker.sock", TRUE);
	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", TRUE);
	lima_test_assert_started(t, "vm1", 1);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, "/var/run/guest-docker.sock");
	lima_test_set_running(t, "vm1", FALSE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_unsetenv("FAKE_LIMACTL_DOCKER_SOCKET");
}

/* ---------------------------------------------------------------------------------------- */
/* host mode, against a fake Docker engine */

/* a minimal HTTP/1.1 server in its own threads (GThreadedSocketService): libsoup's listener
 * leaks the GSocket of every connection it accepts (libsoup 3.2.3), see docs/architecture.md */
typedef struct {
	GSocketService *service;
	gchar *path;
	gint status; /* what /_ping answers; atomic */
	gint pings;  /* atomic */
} LimaTestEngine;

static gboolean
lima_test_engine_run_cb(GThreadedSocketService *service,
			GSocketConnection *conn,
			GObject *source,
			gpointer user_data)
{
	LimaTestEngine *engine = user_data;
	GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(conn));
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	g_autoptr(GString) head = g_string_new(NULL);
	g_autofree gchar *reply = NULL;
	gint status;

	/* read the request head; a /_ping has no body */
	while (strstr(head->str, "\r\n\r\n") == NULL && head->len < 8192) {
		gchar buf[512];
		gssize n = g_input_stream_read(in, buf, sizeof(buf), NULL, NULL);
		if (n <= 0)
			return TRUE;
		g_string_append_len(head, buf, n);
	}
	if (!g_str_has_prefix(head->str, "GET /_ping ") && !g_str_has_prefix(head->str, "HEAD /_ping "))
		status = SOUP_STATUS_NOT_FOUND;
	else
		status = g_atomic_int_get(&engine->status);
	g_atomic_int_inc(&engine->pings);
	reply = g_strdup_printf("HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
				"Content-Length: 2\r\nConnection: close\r\n\r\nOK",
				status, soup_status_get_phrase(status));
	g_output_stream_write_all(out, reply, strlen(reply), NULL, NULL, NULL);
	g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
	return TRUE;
}

static void
lima_test_engine_start(LimaTestEngine *engine)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocketAddress) address = g_unix_socket_address_new(engine->path);

	g_unlink(engine->path);
	engine->service = g_threaded_socket_service_new(4);
	g_signal_connect(engine->service, "run", G_CALLBACK(lima_test_engine_run_cb), engine);
	g_assert_true(g_socket_listener_add_address(G_SOCKET_LISTENER(engine->service),
						    address,
						    G_SOCKET_TYPE_STREAM,
						    G_SOCKET_PROTOCOL_DEFAULT,
						    NULL,
						    NULL,
						    &error));
	g_assert_no_error(error);
	g_socket_service_start(engine->service);
}

/* the socket file stays: connecting is refused, as with a dead engine */
static void
lima_test_engine_stop(LimaTestEngine *engine)
{
	if (engine->service == NULL)
		return;
	g_socket_service_stop(engine->service);
	g_socket_listener_close(G_SOCKET_LISTENER(engine->service));
	g_clear_object(&engine->service);
}

static void
lima_test_host(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) src = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autoptr(RddObject) deleting = NULL;
	g_autofree gchar *engine_path = g_strdup_printf("%s/engine-%s.sock", lima_test_tmp, t->suffix);
	g_autofree gchar *target = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *expected = NULL;
	LimaTestEngine engine = {NULL, engine_path, SOUP_STATUS_OK, 0};
	LimaTestVm spec = {.name = "vm1", .running = TRUE, .vm_type = "host", .host_socket = engine_path};
	const gchar *link = rdd_instance_get_docker_socket(t->instance);

	lima_test_engine_start(&engine);
	lima_test_load(t, TRUE);
	src = lima_test_create_cm(t, "default", "src", t->template, FALSE, &error);
	g_assert_no_error(error);
	vm = lima_test_create_vm_full(t, &spec, &error);
	g_assert_no_error(error);

	lima_test_wait_condition(t, "vm1", "Created", "True", "Created");
	message = lima_test_condition_message(t, "vm1", "Created");
	g_assert_cmpstr(message, ==, "host mode needs no VM");
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 1);
	lima_test_wait_template_applied(t, "vm1");
	g_clear_pointer(&message, g_free);
	message = lima_test_condition_message(t, "vm1", "Running");
	lima_test_assert_contains(message, engine_path);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, engine_path);
	g_assert_cmpint(g_atomic_int_get(&engine.pings), >, 0);
	/* no Lima at all */
	g_assert_cmpuint(lima_test_count_calls(t, ""), ==, 0);

	/* the engine goes away */
	lima_test_engine_stop(&engine);
	lima_test_wait_condition(t, "vm1", "Running", "False", "EngineUnreachable");
	g_clear_pointer(&message, g_free);
	message = lima_test_condition_message(t, "vm1", "Running");
	expected = g_strdup_printf("the Docker engine at %s does not answer: ", engine_path);
	g_assert_true(g_str_has_prefix(message, expected));

	/* and comes back */
	lima_test_engine_start(&engine);
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 2);

	/* an engine that answers, but not OK */
	g_atomic_int_set(&engine.status, SOUP_STATUS_INTERNAL_SERVER_ERROR);
	lima_test_wait_condition(t, "vm1", "Running", "False", "EngineUnreachable");
	g_clear_pointer(&message, g_free);
	message = lima_test_condition_message(t, "vm1", "Running");
	lima_test_assert_contains(message, "GET /_ping returned HTTP 500");
	g_atomic_int_set(&engine.status, SOUP_STATUS_OK);
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 3);

	/* a stale link to somewhere else is replaced */
	g_unlink(link);
	g_assert_cmpint(symlink("/nonexistent/docker.sock", link), ==, 0);
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	lima_test_spin(2500);
	g_clear_pointer(&target, g_free);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, engine_path);

	/* stop: the link goes */
	lima_test_set_running(t, "vm1", FALSE);
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));

	/* start again, then delete: the link goes, and still no Lima */
	lima_test_set_running(t, "vm1", TRUE);
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	deleting = rdd_store_delete(t->store, t->limavm_kind, "default", "vm1", NULL, &error);
	g_assert_no_error(error);
	g_assert_true(lima_test_wait(t, lima_test_vm_gone_cb, (gpointer) "vm1", LIMA_TEST_WAIT_MS));
	g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_assert_null(lima_test_get(t, t->configmap_kind, "default", "vm1-template"));
	g_assert_cmpuint(lima_test_count_calls(t, ""), ==, 0);
	lima_test_engine_stop(&engine);
	g_unlink(engine_path);
}

/* no engine at all: EngineUnreachable from the first ping */
/* lima -> host -> lima with the instance kept: Created says the Lima instance exists again */
static void
lima_test_host_switch(LimaTest *t, gconstpointer data)
{
	g_autofree gchar *engine_path = g_strdup_printf("%s/engine-%s.sock", lima_test_tmp, t->suffix);
	g_autofree gchar *patch = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(RddObject) vm = NULL;
	LimaTestEngine engine = {NULL, engine_path, SOUP_STATUS_OK, 0};

	lima_test_engine_start(&engine);
	lima_test_load(t, TRUE);
	vm = lima_test_create_vm(t, "vm1", FALSE);
	lima_test_wait_condition(t, "vm1", "Created", "True", "Created");
	g_assert_cmpuint(lima_test_count_calls(t, "create --name=vm1 --tty=false "), ==, 1);

	patch = g_strdup_printf("{\"spec\":{\"vmType\":\"host\",\"hostDockerSocket\":\"%s\",\"running\":true}}", engine_path);
	lima_test_patch(t, t->limavm_kind, "vm1", patch);
	lima_test_wait_condition(t, "vm1", "Running", "True", "Started");
	message = lima_test_condition_message(t, "vm1", "Created");
	g_assert_cmpstr(message, ==, "host mode needs no VM");

	lima_test_patch(t, t->limavm_kind, "vm1", "{\"spec\":{\"vmType\":\"lima\",\"running\":false}}");
	lima_test_wait_condition(t, "vm1", "Running", "False", "Stopped");
	lima_test_spin(500);
	g_clear_pointer(&message, g_free);
	message = lima_test_condition_message(t, "vm1", "Created");
	g_assert_cmpstr(message, ==, "Lima instance exists");
	/* the kept instance is used, not created again */
	g_assert_cmpuint(lima_test_count_calls(t, "create --name=vm1 --tty=false "), ==, 1);
	lima_test_engine_stop(&engine);
}

static void
lima_test_host_no_engine(LimaTest *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RddObject) src = NULL;
	g_autoptr(RddObject) vm = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *engine_path = g_strdup_printf("%s/missing-%s.sock", lima_test_tmp, t->suffix);
	LimaTestVm spec = {.name = "vm1", .running = TRUE, .vm_type = "host", .host_socket = engine_path};

	lima_test_load(t, TRUE);
	src = lima_test_create_cm(t, "default", "src", t->template, FALSE, &error);
	g_assert_no_error(error);
	vm = lima_test_create_vm_full(t, &spec, &error);
	g_assert_no_error(error);
	lima_test_wait_condition(t, "vm1", "Running", "False", "EngineUnreachable");
	message = lima_test_condition_message(t, "vm1", "Running");
	lima_test_assert_contains(message, "does not answer: ");
	g_assert_cmpint(lima_test_restart_count(t, "vm1"), ==, 0);
}

/* a bad RDD_LIMACTL_TIMEOUT refuses the plugin with a message naming the variable */
static void
lima_test_bad_config(LimaTest *t, gconstpointer data)
{
	g_autoptr(RddStore) store = rdd_store_new();
	g_autoptr(RddPluginLoader) loader = NULL;
	RddPluginInfo *info;
	const GError *error;

	g_assert_true(rdd_store_register_builtin_kinds(store, NULL));
	loader = rdd_plugin_loader_new(store, t->instance);
	g_setenv("RDD_LIMACTL_TIMEOUT", "soon", TRUE);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING,
			      "plugin lima failed to register: RDD_LIMACTL_TIMEOUT: *");
	info = rdd_plugin_loader_load_file(loader, lima_test_plugin_path());
	g_test_assert_expected_messages();
	g_unsetenv("RDD_LIMACTL_TIMEOUT");
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_FAILED);
	error = rdd_plugin_info_get_error(info);
	g_assert_nonnull(error);
	lima_test_assert_contains(error->message, "RDD_LIMACTL_TIMEOUT");
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	const gchar *xdg[] = {"XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"};
	gint rc;

	/* before anything asks GLib for the home directory, which it caches */
	lima_test_tmp = g_dir_make_tmp("rdd-lima-test-XXXXXX", &error);
	g_assert_no_error(error);
	g_setenv("HOME", lima_test_tmp, TRUE);
	for (guint i = 0; i < G_N_ELEMENTS(xdg); i++) {
		g_autofree gchar *dir = g_build_filename(lima_test_tmp, xdg[i], NULL);
		g_mkdir_with_parents(dir, 0700);
		g_setenv(xdg[i], dir, TRUE);
	}
	g_test_init(&argc, &argv, NULL);

	g_test_add("/lima/admission/template-copy", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_copy, lima_test_teardown);
	g_test_add("/lima/admission/unique-name", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_unique, lima_test_teardown);
	g_test_add("/lima/admission/missing-template-ref", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_missing_ref, lima_test_teardown);
	g_test_add("/lima/admission/template-checks", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_template, lima_test_teardown);
	g_test_add("/lima/admission/configmap-guards", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_configmap, lima_test_teardown);
	g_test_add("/lima/admission/limavm-guards", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_limavm, lima_test_teardown);
	g_test_add("/lima/admission/leftover-copy", LimaTest, NULL, lima_test_setup,
		   lima_test_admission_leftover, lima_test_teardown);
	g_test_add("/lima/controller/lifecycle", LimaTest, NULL, lima_test_setup,
		   lima_test_lifecycle, lima_test_teardown);
	g_test_add("/lima/controller/start-fails", LimaTest, NULL, lima_test_setup,
		   lima_test_start_fails, lima_test_teardown);
	g_test_add("/lima/controller/create-fails", LimaTest, NULL, lima_test_setup,
		   lima_test_create_fails, lima_test_teardown);
	g_test_add("/lima/controller/start-hangs", LimaTest, NULL, lima_test_setup,
		   lima_test_start_hangs, lima_test_teardown);
	g_test_add("/lima/controller/daemon-restart", LimaTest, NULL, lima_test_setup,
		   lima_test_daemon_restart, lima_test_teardown);
	g_test_add("/lima/controller/broken", LimaTest, NULL, lima_test_setup, lima_test_broken, lima_test_teardown);
	g_test_add("/lima/controller/instance-gone", LimaTest, NULL, lima_test_setup,
		   lima_test_gone, lima_test_teardown);
	g_test_add("/lima/controller/restart-requested", LimaTest, NULL, lima_test_setup,
		   lima_test_restart_requested, lima_test_teardown);
	g_test_add("/lima/controller/delete", LimaTest, NULL, lima_test_setup, lima_test_delete, lima_test_teardown);
	g_test_add("/lima/controller/delete-fails", LimaTest, NULL, lima_test_setup,
		   lima_test_delete_fails, lima_test_teardown);
	g_test_add("/lima/controller/leftover-instance", LimaTest, NULL, lima_test_setup,
		   lima_test_leftover_instance, lima_test_teardown);
	g_test_add("/lima/controller/docker-forward", LimaTest, NULL, lima_test_setup,
		   lima_test_docker_forward, lima_test_teardown);
	g_test_add("/lima/host/engine", LimaTest, NULL, lima_test_setup, lima_test_host, lima_test_teardown);
	g_test_add("/lima/host/switch", LimaTest, NULL, lima_test_setup, lima_test_host_switch, lima_test_teardown);
	g_test_add("/lima/host/no-engine", LimaTest, NULL, lima_test_setup,
		   lima_test_host_no_engine, lima_test_teardown);
	g_test_add("/lima/plugin/bad-config", LimaTest, NULL, lima_test_setup, lima_test_bad_config,
		   lima_test_teardown);

	rc = g_test_run();
	lima_test_rm_rf(lima_test_tmp);
	g_free(lima_test_tmp);
	return rc;
}
