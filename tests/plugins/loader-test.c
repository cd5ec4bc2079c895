/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The plugin loader against the fixture plugins in this directory: one failure mode each.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rdd-daemon.h"
#include "rdd-plugin-loader.h"

/*
 * G_TEST_OPTION_ISOLATE_DIRS makes GLib keep the previous user directories alive on purpose;
 * tests/lsan.supp names g_set_user_dirs, but GLib is built without frame pointers, so under
 * ASan the allocation stacks only reach that frame with slow unwinding.
 */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

#define RDD_LOADER_TEST_GROUP "fixtures.rancherdesktop.io"
#define RDD_LOADER_TEST_API_VERSION "fixtures.rancherdesktop.io/v1alpha1"

/* every fixture module, in the order a sorted scan of the directory loads them */
static const gchar *const rdd_loader_test_sorted[] = {
	"libmissing-symbol.so",
	"libok.so",
	"libreconcile-false.so",
	"libregister-fails.so",
	"libregister-false-no-error.so",
	"libwrong-abi.so",
	"libwrong-group.so",
	"libzz-kind-clash.so",
};

static const gchar *
rdd_loader_test_fixture_dir(void)
{
	const gchar *dir = g_getenv("RDD_FIXTURE_DIR");
	return dir != NULL ? dir : RDD_BUILD_ROOT "/tests/plugins";
}

static gchar *
rdd_loader_test_fixture(const gchar *basename)
{
	return g_build_filename(rdd_loader_test_fixture_dir(), basename, NULL);
}

/*
 * Where a whole directory of fixtures loads, the loader's warnings for the broken ones come
 * interleaved with info messages, so g_test_expect_message() cannot list them. There the
 * loader's warnings are counted instead, and its only critical must be the one the
 * register-false-no-error fixture causes on purpose. Criticals of every other domain stay
 * fatal.
 */
typedef struct {
	guint warnings;
	guint criticals;
	guint handler;
	GLogLevelFlags always_fatal;
} RddLoaderTestLogs;

static const gchar *const rdd_loader_test_fatal_domains[] = {
	"RddCore", "RddTest", "Fixture", "GLib", "GLib-GObject", "GLib-GIO", "Json", NULL};

static void
rdd_loader_test_log_cb(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
	RddLoaderTestLogs *logs = user_data;

	if ((level & G_LOG_LEVEL_CRITICAL) != 0) {
		g_assert_cmpstr(message, ==,
				"plugin register-false-no-error: register returned FALSE without an "
				"error");
		logs->criticals++;
	} else {
		logs->warnings++;
	}
	g_test_message("expected %s: %s", (level & G_LOG_LEVEL_CRITICAL) != 0 ? "critical" : "warning", message);
}

static void
rdd_loader_test_logs_begin(RddLoaderTestLogs *logs)
{
	memset(logs, 0, sizeof(*logs));
	logs->always_fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK);
	for (guint i = 0; rdd_loader_test_fatal_domains[i] != NULL; i++)
		g_log_set_fatal_mask(rdd_loader_test_fatal_domains[i],
				     G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
	logs->handler = g_log_set_handler("RddDaemon", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL,
					  rdd_loader_test_log_cb, logs);
}

static void
rdd_loader_test_logs_end(RddLoaderTestLogs *logs)
{
	g_log_remove_handler("RddDaemon", logs->handler);
	g_log_set_always_fatal(logs->always_fatal);
	for (guint i = 0; rdd_loader_test_fatal_domains[i] != NULL; i++)
		g_log_set_fatal_mask(rdd_loader_test_fatal_domains[i], G_LOG_FATAL_MASK);
}

static gboolean
rdd_loader_test_tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

typedef gboolean (*RddLoaderTestCond)(gpointer user_data);

/* runs the default main context until @cond holds; FALSE after @timeout_ms */
static gboolean
rdd_loader_test_wait(RddLoaderTestCond cond, gpointer user_data, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	guint tick = g_timeout_add(5, rdd_loader_test_tick_cb, NULL);
	gboolean ok;

	while (!(ok = cond(user_data)) && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	return ok;
}

static gchar *
rdd_loader_test_make_tmpdir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = g_dir_make_tmp("rdd-loader-test-XXXXXX", &error);
	g_assert_no_error(error);
	g_assert_nonnull(dir);
	return dir;
}

static void
rdd_loader_test_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			rdd_loader_test_rm_rf(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

/* copies the ok fixture to @dir/@basename with @mode */
static gchar *
rdd_loader_test_copy_ok(const gchar *dir, const gchar *basename, guint mode)
{
	g_autofree gchar *src = rdd_loader_test_fixture("libok.so");
	g_autofree gchar *data = NULL;
	gchar *dest = g_build_filename(dir, basename, NULL);
	gsize len = 0;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(src, &data, &len, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(dest, data, len, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(dest, mode), ==, 0);
	return dest;
}

static RddPluginLoader *
rdd_loader_test_new_loader(RddStore **store_out)
{
	g_autoptr(RddStore) store = rdd_store_new();
	RddPluginLoader *loader = rdd_plugin_loader_new(store, NULL);
	if (store_out != NULL)
		*store_out = g_steal_pointer(&store);
	return loader;
}

static void
rdd_loader_test_assert_failed(RddPluginInfo *info, gint code, const gchar *substring)
{
	const GError *error = rdd_plugin_info_get_error(info);

	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_FAILED);
	g_assert_error(error, RDD_ERROR, code);
	if (strstr(error->message, substring) == NULL)
		g_error("error \"%s\" does not contain \"%s\"", error->message, substring);
	g_assert_null(rdd_plugin_info_get_context(info));
}

static JsonNode *
rdd_loader_test_widget(const gchar *name, const gchar *value)
{
	g_autofree gchar *json = g_strdup_printf("{\"apiVersion\":\"%s\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"%s\","
						 "\"namespace\":\"default\"},\"spec\":{\"value\":\"%s\"}}",
						 RDD_LOADER_TEST_API_VERSION, name, value);
	g_autoptr(GError) error = NULL;
	JsonNode *node = rdd_json_parse(json, -1, &error);
	g_assert_no_error(error);
	return node;
}

static void
rdd_loader_test_ok(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *path = rdd_loader_test_fixture("libok.so");
	g_autoptr(GPtrArray) controllers = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) forbidden = NULL;
	g_autoptr(JsonNode) chatty = NULL;
	g_autoptr(RddObject) obj = NULL;
	RddWriteOptions options = {.warnings = warnings};
	RddPluginContext *context = NULL;
	RddPluginRoute *route;
	RddPluginInfo *info;
	RddKind *kind;

	info = rdd_plugin_loader_load_file(loader, path);
	g_assert_nonnull(info);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	g_assert_null(rdd_plugin_info_get_error(info));
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "ok");
	g_assert_cmpstr(rdd_plugin_info_get_filename(info), ==, path);
	g_assert_cmpstr(rdd_plugin_info_get_version(info), ==, "1.2.3");
	g_assert_cmpstr(rdd_plugin_info_get_api_group(info), ==, RDD_LOADER_TEST_GROUP);
	g_assert_cmpstr(rdd_plugin_info_get_description(info), ==, "Fixture: a plugin that loads and works");
	g_assert_nonnull(rdd_plugin_info_get_context(info));
	g_assert_true(rdd_plugin_loader_lookup(loader, "ok") == info);
	g_assert_null(rdd_plugin_loader_lookup(loader, "nope"));

	/* its kind reached the store, owned by the plugin */
	kind = rdd_store_find_kind(store, RDD_LOADER_TEST_API_VERSION, "Widget");
	g_assert_nonnull(kind);
	g_assert_cmpstr(rdd_kind_get_owner(kind), ==, "ok");
	g_assert_true(rdd_kind_is_namespaced(kind));
	g_assert_true(rdd_kind_has_status(kind));

	/* its controller, tagged with the plugin */
	controllers = rdd_plugin_loader_get_controllers(loader);
	g_assert_cmpuint(controllers->len, ==, 1);
	g_assert_cmpstr(rdd_controller_get_name(g_ptr_array_index(controllers, 0)), ==, "widget");
	g_assert_cmpstr(rdd_controller_get_group(g_ptr_array_index(controllers, 0)), ==, "fixtures");
	g_assert_cmpstr(rdd_controller_get_plugin(g_ptr_array_index(controllers, 0)), ==, "ok");

	/* its route */
	route = rdd_plugin_loader_lookup_route(loader, "ok", "ping", &context);
	g_assert_nonnull(route);
	g_assert_cmpstr(route->endpoint, ==, "ping");
	g_assert_true(context == rdd_plugin_info_get_context(info));
	g_assert_null(rdd_plugin_loader_lookup_route(loader, "ok", "pong", NULL));
	g_assert_null(rdd_plugin_loader_lookup_route(loader, "nope", "ping", NULL));

	/* its admission hook: denies one value, warns on long ones */
	forbidden = rdd_loader_test_widget("w1", "forbidden");
	obj = rdd_store_create(store, forbidden, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_nonnull(strstr(error->message, "ok-validator"));
	g_assert_nonnull(strstr(error->message, "spec.value \"forbidden\" is not allowed"));
	g_assert_null(obj);
	g_clear_error(&error);

	chatty = rdd_loader_test_widget("w2", "much-longer-than-ten");
	obj = rdd_store_create(store, chatty, &options, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	g_assert_cmpuint(warnings->len, ==, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(warnings, 0), "longer than 10 characters"));

	rdd_plugin_loader_unregister_all(loader);
}

static void
rdd_loader_test_wrong_abi(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autofree gchar *path = rdd_loader_test_fixture("libwrong-abi.so");
	RddPluginInfo *info;

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*built for plugin ABI 2*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_NOT_SUPPORTED,
				      "was built for plugin ABI 2, but this daemon supports ABI 1");
	/* refused before its name is trusted: the record is named after the file */
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "libwrong-abi.so");
}

static void
rdd_loader_test_missing_symbol(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autofree gchar *path = rdd_loader_test_fixture("libmissing-symbol.so");
	RddPluginInfo *info;

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*is not an rdd plugin*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_NOT_SUPPORTED, "does not export rdd_plugin_get_descriptor()");
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "libmissing-symbol.so");
	g_assert_null(rdd_plugin_info_get_version(info));
}

static void
rdd_loader_test_register_fails(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *path = rdd_loader_test_fixture("libregister-fails.so");
	g_autoptr(GPtrArray) controllers = NULL;
	RddPluginInfo *info;

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*fixture refuses to register*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_INVALID, "fixture refuses to register");
	g_assert_true(g_str_has_prefix(rdd_plugin_info_get_error(info)->message,
				       "plugin register-fails failed to register: "));
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "register-fails");
	g_assert_cmpstr(rdd_plugin_info_get_version(info), ==, "1.0.0");
	controllers = rdd_plugin_loader_get_controllers(loader);
	g_assert_cmpuint(controllers->len, ==, 0);
}

static void
rdd_loader_test_register_false_no_error(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autofree gchar *path = rdd_loader_test_fixture("libregister-false-no-error.so");
	RddPluginInfo *info;

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_CRITICAL,
			      "plugin register-false-no-error: register returned FALSE without an error");
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*without saying why*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_INTERNAL,
				      "plugin register-false-no-error failed to register without "
				      "saying why");
}

static void
rdd_loader_test_wrong_group(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *path = rdd_loader_test_fixture("libwrong-group.so");
	RddPluginInfo *info;

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*elsewhere.example.com*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_FORBIDDEN,
				      "kind Sprocket belongs to group \"elsewhere.example.com\", but "
				      "plugin wrong-group owns group "
				      "\"wrong-group.fixtures.rancherdesktop.io\"");
	g_assert_null(rdd_store_find_kind(store, "elsewhere.example.com/v1", "Sprocket"));
}

typedef struct {
	RddController *controller;
	gint64 times[2];
	guint n_times;
	guint wanted;
} RddLoaderTestErrors;

static gboolean
rdd_loader_test_error_times_cb(gpointer user_data)
{
	RddLoaderTestErrors *helper = user_data;
	guint64 count = rdd_controller_get_error_count(helper->controller);
	while (helper->n_times < count && helper->n_times < G_N_ELEMENTS(helper->times))
		helper->times[helper->n_times++] = g_get_monotonic_time();
	return count >= helper->wanted;
}

static void
rdd_loader_test_reconcile_false(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *path = rdd_loader_test_fixture("libreconcile-false.so");
	g_autoptr(GPtrArray) controllers = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;
	RddLoaderTestErrors helper = {NULL};
	RddController *controller;
	RddPluginInfo *info;

	info = rdd_plugin_loader_load_file(loader, path);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	g_assert_null(rdd_plugin_info_get_error(info));
	controllers = rdd_plugin_loader_get_controllers(loader);
	g_assert_cmpuint(controllers->len, ==, 1);
	controller = g_ptr_array_index(controllers, 0);
	g_assert_cmpstr(rdd_controller_get_name(controller), ==, "gadget");
	rdd_controller_set_backoff(controller, 30, 60);
	g_assert_true(rdd_controller_start(controller, store, &error));
	g_assert_no_error(error);

	node = rdd_json_parse("{\"apiVersion\":\"reconcile.fixtures.rancherdesktop.io/v1\","
			      "\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g1\"},"
			      "\"spec\":{\"value\":\"x\"}}",
			      -1, &error);
	g_assert_no_error(error);
	obj = rdd_store_create(store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);

	/* the first run and the first retry each report the plugin bug */
	helper.controller = controller;
	helper.wanted = 1;
	g_test_expect_message("RddCore", G_LOG_LEVEL_CRITICAL,
			      "controller gadget: reconcile of g1 returned FALSE without an error");
	g_assert_true(rdd_loader_test_wait(rdd_loader_test_error_times_cb, &helper, 5000));
	g_test_assert_expected_messages();
	g_assert_cmpstr(rdd_controller_get_last_error(controller), ==,
			"gadget: reconcile-false: reconcile failed without saying why");
	helper.wanted = 2;
	g_test_expect_message("RddCore", G_LOG_LEVEL_CRITICAL,
			      "controller gadget: reconcile of g1 returned FALSE without an error");
	g_assert_true(rdd_loader_test_wait(rdd_loader_test_error_times_cb, &helper, 5000));
	g_test_assert_expected_messages();
	rdd_controller_stop(controller);

	g_assert_cmpuint(rdd_controller_get_error_count(controller), ==, 2);
	g_assert_cmpuint(rdd_controller_get_reconcile_count(controller), ==, 2);
	g_assert_cmpstr(rdd_controller_get_last_error(controller), ==,
			"gadget: reconcile-false: reconcile failed without saying why");
	/* the retry waited for the backoff */
	g_assert_cmpuint(helper.n_times, ==, 2);
	g_assert_cmpint(helper.times[1] - helper.times[0], >=, 30 * 1000);
}

static void
rdd_loader_test_kind_clash(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *ok = rdd_loader_test_fixture("libok.so");
	g_autofree gchar *clash = rdd_loader_test_fixture("libzz-kind-clash.so");
	g_autoptr(GPtrArray) controllers = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;
	RddPluginInfo *info;
	RddKind *kind;

	info = rdd_plugin_loader_load_file(loader, ok);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*already registered by ok*");
	info = rdd_plugin_loader_load_file(loader, clash);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_ALREADY_EXISTS,
				      "plugin kind-clash: kind Widget." RDD_LOADER_TEST_GROUP
				      " is already registered by ok");
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "kind-clash");

	/* the kind stays ok's */
	kind = rdd_store_find_kind(store, RDD_LOADER_TEST_API_VERSION, "Widget");
	g_assert_cmpstr(rdd_kind_get_owner(kind), ==, "ok");

	/* nothing of kind-clash is active: no controller, no route, no admission hook */
	controllers = rdd_plugin_loader_get_controllers(loader);
	g_assert_cmpuint(controllers->len, ==, 1);
	g_assert_cmpstr(rdd_controller_get_name(g_ptr_array_index(controllers, 0)), ==, "widget");
	g_assert_null(rdd_plugin_loader_lookup_route(loader, "kind-clash", "clash", NULL));
	node = rdd_loader_test_widget("w1", "fine");
	obj = rdd_store_create(store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
}

static void
rdd_loader_test_world_writable(void)
{
	g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
	struct {
		const gchar *basename;
		guint mode;
		const gchar *message;
	} cases[] = {
		{"libworld.so", 0666, "it is writable by group or others (mode 0666)"},
		{"libgroup.so", 0620, "it is writable by group or others (mode 0620)"},
		{"libothers.so", 0602, "it is writable by group or others (mode 0602)"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
		g_autofree gchar *path = rdd_loader_test_copy_ok(dir, cases[i].basename, cases[i].mode);
		g_autofree gchar *pattern = g_strdup_printf("*%s*", cases[i].message);
		RddPluginInfo *info;

		g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, pattern);
		info = rdd_plugin_loader_load_file(loader, path);
		g_test_assert_expected_messages();
		rdd_loader_test_assert_failed(info, RDD_ERROR_FORBIDDEN, cases[i].message);
		g_assert_true(g_str_has_prefix(rdd_plugin_info_get_error(info)->message, "refusing plugin "));
		/* refused before its code ran: the record knows only the file */
		g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, cases[i].basename);
	}

	/* the same bytes with a safe mode load: the refusal was about the mode */
	{
		g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
		g_autofree gchar *path = rdd_loader_test_copy_ok(dir, "libsafe.so", 0644);
		RddPluginInfo *info = rdd_plugin_loader_load_file(loader, path);
		g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	}
	rdd_loader_test_rm_rf(dir);
}

static void
rdd_loader_test_foreign_owner(void)
{
	g_autofree gchar *dir = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(RddPluginLoader) loader = NULL;
	RddPluginInfo *info;

	if (getuid() != 0) {
		g_test_skip("changing a file's owner needs root");
		return;
	}
	dir = rdd_loader_test_make_tmpdir();
	path = rdd_loader_test_copy_ok(dir, "libforeign.so", 0644);
	g_assert_cmpint(chown(path, 65534, 65534), ==, 0);
	loader = rdd_loader_test_new_loader(NULL);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*owned by uid 65534*");
	info = rdd_plugin_loader_load_file(loader, path);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_FORBIDDEN, "it is owned by uid 65534, not by uid 0 or root");
	rdd_loader_test_rm_rf(dir);
}

static void
rdd_loader_test_not_regular(void)
{
	g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
	g_autofree gchar *sub = g_build_filename(dir, "libdir.so", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "libmissing.so", NULL);
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	RddPluginInfo *info;

	g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*not a regular file*");
	info = rdd_plugin_loader_load_file(loader, sub);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_FORBIDDEN, "not a regular file");

	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*cannot read plugin*");
	info = rdd_plugin_loader_load_file(loader, missing);
	g_test_assert_expected_messages();
	rdd_loader_test_assert_failed(info, RDD_ERROR_NOT_FOUND, "cannot read plugin");
	rdd_loader_test_rm_rf(dir);
}

static void
rdd_loader_test_scan_order(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	RddLoaderTestLogs logs;
	GPtrArray *plugins;
	struct {
		const gchar *name;
		RddPluginState state;
		gint code;
	} expected[] = {
		{"libmissing-symbol.so", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_NOT_SUPPORTED},
		{"ok", RDD_PLUGIN_STATE_LOADED, -1},
		{"reconcile-false", RDD_PLUGIN_STATE_LOADED, -1},
		{"register-fails", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_INVALID},
		{"register-false-no-error", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_INTERNAL},
		{"libwrong-abi.so", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_NOT_SUPPORTED},
		{"wrong-group", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_FORBIDDEN},
		{"kind-clash", RDD_PLUGIN_STATE_FAILED, RDD_ERROR_ALREADY_EXISTS},
	};

	G_STATIC_ASSERT(G_N_ELEMENTS(expected) == G_N_ELEMENTS(rdd_loader_test_sorted));
	rdd_plugin_loader_add_dir(loader, rdd_loader_test_fixture_dir());
	rdd_loader_test_logs_begin(&logs);
	rdd_plugin_loader_load_all(loader);
	rdd_loader_test_logs_end(&logs);
	g_assert_cmpuint(logs.criticals, ==, 1);
	/* every failed fixture was reported */
	g_assert_cmpuint(logs.warnings, ==, 6);

	plugins = rdd_plugin_loader_get_plugins(loader);
	g_assert_cmpuint(plugins->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < plugins->len; i++) {
		RddPluginInfo *info = g_ptr_array_index(plugins, i);
		g_autofree gchar *base = g_path_get_basename(rdd_plugin_info_get_filename(info));
		g_assert_cmpstr(base, ==, rdd_loader_test_sorted[i]);
		g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, expected[i].name);
		g_assert_cmpint(rdd_plugin_info_get_state(info), ==, expected[i].state);
		if (expected[i].code < 0)
			g_assert_null(rdd_plugin_info_get_error(info));
		else
			g_assert_error(rdd_plugin_info_get_error(info), RDD_ERROR, expected[i].code);
	}
}

static void
rdd_loader_test_shadowed(void)
{
	g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
	g_autofree gchar *first = g_build_filename(dir, "first", NULL);
	g_autofree gchar *second = g_build_filename(dir, "second", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "missing", NULL);
	g_autofree gchar *path1 = NULL;
	g_autofree gchar *path2 = NULL;
	g_autofree gchar *message = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autoptr(GPtrArray) controllers = NULL;
	const gchar *const *dirs;
	GPtrArray *plugins;
	RddPluginInfo *info;

	g_assert_cmpint(g_mkdir(first, 0700), ==, 0);
	g_assert_cmpint(g_mkdir(second, 0700), ==, 0);
	path1 = rdd_loader_test_copy_ok(first, "libok.so", 0644);
	path2 = rdd_loader_test_copy_ok(second, "libok.so", 0644);

	/* a missing directory is skipped; adding a directory twice scans it once */
	rdd_plugin_loader_add_dir(loader, missing);
	rdd_plugin_loader_add_dir(loader, first);
	rdd_plugin_loader_add_dir(loader, second);
	rdd_plugin_loader_add_dir(loader, first);
	dirs = rdd_plugin_loader_get_dirs(loader);
	g_assert_cmpuint(g_strv_length((gchar **)dirs), ==, 3);
	g_assert_cmpstr(dirs[0], ==, missing);
	g_assert_cmpstr(dirs[1], ==, first);
	g_assert_cmpstr(dirs[2], ==, second);
	rdd_plugin_loader_load_all(loader);

	plugins = rdd_plugin_loader_get_plugins(loader);
	g_assert_cmpuint(plugins->len, ==, 2);
	info = g_ptr_array_index(plugins, 0);
	g_assert_cmpstr(rdd_plugin_info_get_filename(info), ==, path1);
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_LOADED);
	info = g_ptr_array_index(plugins, 1);
	g_assert_cmpstr(rdd_plugin_info_get_filename(info), ==, path2);
	g_assert_cmpstr(rdd_plugin_info_get_name(info), ==, "ok");
	g_assert_cmpint(rdd_plugin_info_get_state(info), ==, RDD_PLUGIN_STATE_SHADOWED);
	g_assert_error(rdd_plugin_info_get_error(info), RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
	message = g_strdup_printf("plugin ok is already loaded from %s", path1);
	g_assert_cmpstr(rdd_plugin_info_get_error(info)->message, ==, message);
	g_assert_null(rdd_plugin_info_get_context(info));

	/* lookups find the loaded one; only its controller exists */
	g_assert_cmpstr(rdd_plugin_info_get_filename(rdd_plugin_loader_lookup(loader, "ok")), ==, path1);
	controllers = rdd_plugin_loader_get_controllers(loader);
	g_assert_cmpuint(controllers->len, ==, 1);
	rdd_loader_test_rm_rf(dir);
}

static void
rdd_loader_test_missing_dir(void)
{
	g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
	g_autofree gchar *missing = g_build_filename(dir, "does-not-exist", NULL);
	g_autofree gchar *present = g_build_filename(dir, "present", NULL);
	g_autofree gchar *path = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	GPtrArray *plugins;

	/* a directory that does not exist is skipped, quietly, and the next one is scanned */
	g_assert_cmpint(g_mkdir(present, 0700), ==, 0);
	path = rdd_loader_test_copy_ok(present, "libok.so", 0644);
	rdd_plugin_loader_add_dir(loader, missing);
	rdd_plugin_loader_add_dir(loader, present);
	rdd_plugin_loader_load_all(loader);
	plugins = rdd_plugin_loader_get_plugins(loader);
	g_assert_cmpuint(plugins->len, ==, 1);
	g_assert_cmpstr(rdd_plugin_info_get_filename(g_ptr_array_index(plugins, 0)), ==, path);
	g_assert_cmpint(rdd_plugin_info_get_state(g_ptr_array_index(plugins, 0)), ==, RDD_PLUGIN_STATE_LOADED);

	/* only missing directories: nothing at all */
	{
		g_autoptr(RddPluginLoader) empty = rdd_loader_test_new_loader(NULL);
		rdd_plugin_loader_add_dir(empty, missing);
		rdd_plugin_loader_load_all(empty);
		g_assert_cmpuint(rdd_plugin_loader_get_plugins(empty)->len, ==, 0);
	}
	rdd_loader_test_rm_rf(dir);
}

static void
rdd_loader_test_default_dirs(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autofree gchar *user_dir = rdd_instance_dup_user_plugin_dir();
	const gchar *const *dirs;

	g_setenv("RDD_PLUGIN_PATH", "/opt/a::/opt/b", TRUE);
	rdd_plugin_loader_add_default_dirs(loader);
	g_unsetenv("RDD_PLUGIN_PATH");
	dirs = rdd_plugin_loader_get_dirs(loader);
	g_assert_cmpuint(g_strv_length((gchar **)dirs), ==, 4);
	g_assert_cmpstr(dirs[0], ==, "/opt/a");
	g_assert_cmpstr(dirs[1], ==, "/opt/b");
	g_assert_cmpstr(dirs[2], ==, RDD_PLUGIN_DIR);
	g_assert_cmpstr(dirs[3], ==, user_dir);
}

typedef struct {
	RddStore *store;
	RddKind *kind;
	const gchar *name;
	const gchar *value;
} RddLoaderTestObserved;

static gboolean
rdd_loader_test_observed_cb(gpointer user_data)
{
	RddLoaderTestObserved *helper = user_data;
	g_autoptr(RddObject) obj = rdd_store_lookup(helper->store, helper->kind, "default", helper->name);
	g_autoptr(JsonNode) node = NULL;

	if (obj == NULL)
		return FALSE;
	node = rdd_object_dup_node(obj);
	return g_strcmp0(rdd_json_lookup_string(node, "status.observed"), helper->value) == 0;
}

static RddDaemon *
rdd_loader_test_new_daemon(const gchar *controllers, const gchar *state_dir)
{
	g_autoptr(RddInstance) instance = rdd_instance_new("loader-test");
	RddDaemon *daemon;

	rdd_instance_set_dir(instance, state_dir);
	daemon = rdd_daemon_new(instance);
	rdd_daemon_set_persistent(daemon, FALSE);
	rdd_daemon_set_serve_api(daemon, FALSE);
	if (controllers != NULL)
		rdd_daemon_set_controllers(daemon, controllers);
	rdd_daemon_add_plugin_dir(daemon, rdd_loader_test_fixture_dir());
	return daemon;
}

static void
rdd_loader_test_daemon_keeps_going(void)
{
	g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
	g_autoptr(RddDaemon) daemon = rdd_loader_test_new_daemon(NULL, dir);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) done = NULL;
	g_autoptr(JsonNode) status = NULL;
	RddLoaderTestObserved helper = {NULL};
	RddLoaderTestLogs logs;
	RddStore *store;
	GPtrArray *running;
	gboolean seen_widget = FALSE, seen_gadget = FALSE;

	rdd_loader_test_logs_begin(&logs);
	g_assert_true(rdd_daemon_start(daemon, &error));
	rdd_loader_test_logs_end(&logs);
	g_assert_no_error(error);
	g_assert_cmpuint(logs.criticals, ==, 1);
	g_assert_cmpuint(logs.warnings, ==, 6);
	g_assert_cmpuint(rdd_plugin_loader_get_plugins(rdd_daemon_get_loader(daemon))->len, ==,
			 G_N_ELEMENTS(rdd_loader_test_sorted));

	/* the controllers of the two plugins that loaded run; kind-clash's does not */
	running = rdd_daemon_get_controllers_running(daemon);
	g_assert_cmpuint(running->len, ==, 2);
	for (guint i = 0; i < running->len; i++) {
		RddController *ctrl = g_ptr_array_index(running, i);
		g_assert_true(rdd_controller_is_running(ctrl));
		if (g_strcmp0(rdd_controller_get_name(ctrl), "widget") == 0)
			seen_widget = TRUE;
		else if (g_strcmp0(rdd_controller_get_name(ctrl), "gadget") == 0)
			seen_gadget = TRUE;
	}
	g_assert_true(seen_widget);
	g_assert_true(seen_gadget);

	/* ok works: its controller observes a new Widget */
	store = rdd_daemon_get_store(daemon);
	node = rdd_loader_test_widget("hello", "world");
	obj = rdd_store_create(store, node, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(obj);
	helper.store = store;
	helper.kind = rdd_object_get_kind(obj);
	helper.name = "hello";
	helper.value = "world";
	g_assert_true(rdd_loader_test_wait(rdd_loader_test_observed_cb, &helper, 10000));
	g_assert_true(rdd_daemon_settle(daemon, 10000));

	done = rdd_store_lookup(store, helper.kind, "default", "hello");
	status = rdd_object_dup_member(done, "status");
	g_assert_true(rdd_conditions_is_true(json_node_get_object(status), "Ready"));
	g_assert_cmpint(rdd_conditions_get_observed_generation(json_node_get_object(status), "Ready"),
			==, rdd_object_get_generation(done));
	g_assert_cmpstr(rdd_conditions_get_reason(json_node_get_object(status), "Ready"), ==, "Observed");

	rdd_daemon_stop(daemon);
	g_assert_cmpuint(rdd_daemon_get_controllers_running(daemon)->len, ==, 0);
	rdd_loader_test_rm_rf(dir);
}

static gint
rdd_loader_test_cmp_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
rdd_loader_test_daemon_selection(void)
{
	struct {
		const gchar *spec;
		const gchar *running;
	} cases[] = {
		{"*", "gadget,widget"},
		{"fixtures", "gadget,widget"},
		{"widget", "widget"},
		{"*,-gadget", "widget"},
		{"-gadget,*", "widget"},
		{"", ""},
		{"app", ""},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *dir = rdd_loader_test_make_tmpdir();
		g_autoptr(RddDaemon) daemon = rdd_loader_test_new_daemon(cases[i].spec, dir);
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated(4, NULL, TRUE);
		g_autofree gchar *joined = NULL;
		RddLoaderTestLogs logs;
		GPtrArray *running;

		rdd_loader_test_logs_begin(&logs);
		g_assert_true(rdd_daemon_start(daemon, &error));
		rdd_loader_test_logs_end(&logs);
		g_assert_no_error(error);
		g_assert_cmpuint(logs.criticals, ==, 1);
		g_assert_cmpstr(rdd_daemon_get_controllers(daemon), ==, cases[i].spec);
		running = rdd_daemon_get_controllers_running(daemon);
		for (guint j = 0; j < running->len; j++)
			g_ptr_array_add(names, (gpointer)rdd_controller_get_name(g_ptr_array_index(running, j)));
		g_ptr_array_sort(names, rdd_loader_test_cmp_names);
		joined = g_strjoinv(",", (gchar **)names->pdata);
		g_assert_cmpstr(joined, ==, cases[i].running);
		rdd_daemon_stop(daemon);
		rdd_loader_test_rm_rf(dir);
	}
}

static const gchar rdd_loader_test_late_crds[] =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: alphas.fixtures.rancherdesktop.io}\n"
	"spec:\n"
	"  group: fixtures.rancherdesktop.io\n"
	"  names: {kind: Alpha, plural: alphas}\n"
	"  scope: Cluster\n"
	"  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: "
	"object}}}]\n"
	"---\n"
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: %s.fixtures.rancherdesktop.io}\n"
	"spec:\n"
	"  group: fixtures.rancherdesktop.io\n"
	"  names: {kind: %s, plural: %s}\n"
	"  scope: Cluster\n"
	"  versions: [{name: %s, served: true, storage: true, schema: {openAPIV3Schema: {type: "
	"object}}}]\n";

static gboolean
rdd_loader_test_deny_all(RddAdmission *admission, gpointer user_data, GError **error)
{
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_FORBIDDEN, "no");
	return FALSE;
}

/* a commit that fails leaves nothing in the store, whichever way the kinds clash */
static void
rdd_loader_test_context_commit_atomic(void)
{
	struct {
		const gchar *plural;
		const gchar *kind;
		const gchar *version;
		const gchar *message;
	} cases[] = {
		/* the same kind and group as ok's Widget, in another version */
		{"widgets", "Widget", "v1", "kind Widget.fixtures.rancherdesktop.io is already registered by ok"},
		/* another kind with the plural of ok's Widget */
		{"widgets", "Gizmo", "v1",
		 "kind Gizmo.fixtures.rancherdesktop.io uses the plural widgets.fixtures.rancherdesktop.io of kind Widget.fixtures.rancherdesktop.io, registered by ok"},
		/* the plural of the plugin's own first kind */
		{"alphas", "Beta", "v1", "kind Beta.fixtures.rancherdesktop.io uses the plural alphas.fixtures.rancherdesktop.io of kind Alpha.fixtures.rancherdesktop.io, registered by late"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddStore) store = NULL;
		g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
		g_autofree gchar *ok = rdd_loader_test_fixture("libok.so");
		g_autofree gchar *yaml = g_strdup_printf(rdd_loader_test_late_crds, cases[i].plural,
							 cases[i].kind, cases[i].plural, cases[i].version);
		g_autoptr(RddPluginContext) context = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = NULL;
		g_autoptr(RddObject) obj = NULL;
		guint n_kinds;

		g_assert_cmpint(rdd_plugin_info_get_state(rdd_plugin_loader_load_file(loader, ok)),
				==, RDD_PLUGIN_STATE_LOADED);
		n_kinds = rdd_store_get_kinds(store)->len;
		context = rdd_plugin_context_new("late", RDD_LOADER_TEST_GROUP, store, NULL);
		g_assert_true(rdd_plugin_context_add_kinds_from_data(context, yaml, -1, &error));
		g_assert_no_error(error);
		rdd_plugin_context_add_admission(
			context, rdd_store_find_kind(store, RDD_LOADER_TEST_API_VERSION, "Widget"),
			RDD_ADMISSION_VALIDATING, RDD_OPERATION_ALL, NULL, rdd_loader_test_deny_all,
			NULL, NULL);
		g_assert_false(rdd_plugin_context_commit(context, &error));
		g_assert_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS);
		g_assert_cmpstr(error->message, ==, cases[i].message);
		g_clear_error(&error);

		/* no kind of the failed plugin was registered, not even the first one */
		g_assert_cmpuint(rdd_store_get_kinds(store)->len, ==, n_kinds);
		g_assert_null(rdd_store_find_kind(store, "fixtures.rancherdesktop.io/v1", "Alpha"));
		/* and its hook is not active */
		node = rdd_loader_test_widget("w1", "fine");
		obj = rdd_store_create(store, node, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(obj);
	}
}

static void
rdd_loader_test_context_hook_name(void)
{
	g_autoptr(RddStore) store = NULL;
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(&store);
	g_autofree gchar *ok = rdd_loader_test_fixture("libok.so");
	g_autoptr(RddPluginContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;

	rdd_plugin_loader_load_file(loader, ok);
	/* a plugin may guard another plugin's kind; an unnamed hook is named after its plugin */
	context = rdd_plugin_context_new("guard", "guard.example.com", store, NULL);
	g_assert_cmpstr(rdd_plugin_context_get_name(context), ==, "guard");
	g_assert_cmpstr(rdd_plugin_context_get_api_group(context), ==, "guard.example.com");
	g_assert_true(rdd_plugin_context_get_store(context) == store);
	g_assert_null(rdd_plugin_context_get_instance(context));
	rdd_plugin_context_add_admission(
		context, rdd_plugin_context_lookup_kind(context, RDD_LOADER_TEST_API_VERSION, "Widget"),
		RDD_ADMISSION_VALIDATING, RDD_OPERATION_CREATE, NULL, rdd_loader_test_deny_all, NULL, NULL);
	g_assert_true(rdd_plugin_context_commit(context, &error));
	g_assert_no_error(error);
	node = rdd_loader_test_widget("w1", "fine");
	obj = rdd_store_create(store, node, NULL, &error);
	g_assert_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN);
	g_assert_nonnull(strstr(error->message, "admission hook \"guard\" denied the request: no"));
	g_assert_null(obj);
}

static JsonObject *
rdd_loader_test_json_controller(JsonObject *root, guint idx)
{
	JsonArray *arr = json_object_get_array_member(root, "controllers");
	return json_array_get_object_element(arr, idx);
}

static void
rdd_loader_test_info_to_json(void)
{
	g_autoptr(RddPluginLoader) loader = rdd_loader_test_new_loader(NULL);
	g_autofree gchar *ok = rdd_loader_test_fixture("libok.so");
	g_autofree gchar *fails = rdd_loader_test_fixture("libregister-fails.so");
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) excluded = NULL;
	g_autoptr(JsonNode) none = NULL;
	g_autoptr(JsonNode) failed = NULL;
	RddPluginInfo *info;
	JsonObject *root;
	JsonObject *ctrl;
	JsonArray *arr;

	info = rdd_plugin_loader_load_file(loader, ok);
	node = rdd_plugin_info_to_json(info, "*");
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	root = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(root, "name"), ==, "ok");
	g_assert_cmpstr(json_object_get_string_member(root, "filename"), ==, ok);
	g_assert_cmpstr(json_object_get_string_member(root, "state"), ==, "loaded");
	g_assert_cmpstr(json_object_get_string_member(root, "version"), ==, "1.2.3");
	g_assert_cmpstr(json_object_get_string_member(root, "apiGroup"), ==, RDD_LOADER_TEST_GROUP);
	g_assert_cmpstr(json_object_get_string_member(root, "description"), ==,
			"Fixture: a plugin that loads and works");
	g_assert_cmpstr(json_object_get_string_member(root, "error"), ==, "");
	g_assert_cmpstr(json_object_get_string_member(root, "errorCode"), ==, "");
	arr = json_object_get_array_member(root, "kinds");
	g_assert_cmpuint(json_array_get_length(arr), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(arr, 0), ==, "Widget");
	arr = json_object_get_array_member(root, "routes");
	g_assert_cmpuint(json_array_get_length(arr), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(arr, 0), ==, "ping");
	arr = json_object_get_array_member(root, "controllers");
	g_assert_cmpuint(json_array_get_length(arr), ==, 1);
	ctrl = rdd_loader_test_json_controller(root, 0);
	g_assert_cmpstr(json_object_get_string_member(ctrl, "name"), ==, "widget");
	g_assert_cmpstr(json_object_get_string_member(ctrl, "group"), ==, "fixtures");
	g_assert_true(json_object_get_boolean_member(ctrl, "enabled"));
	g_assert_false(json_object_get_boolean_member(ctrl, "running"));
	g_assert_cmpint(json_object_get_int_member(ctrl, "reconciles"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(ctrl, "errors"), ==, 0);
	g_assert_cmpstr(json_object_get_string_member(ctrl, "lastError"), ==, "");

	/* `enabled` follows the selection */
	excluded = rdd_plugin_info_to_json(info, "*,-widget");
	ctrl = rdd_loader_test_json_controller(json_node_get_object(excluded), 0);
	g_assert_false(json_object_get_boolean_member(ctrl, "enabled"));
	none = rdd_plugin_info_to_json(info, NULL);
	ctrl = rdd_loader_test_json_controller(json_node_get_object(none), 0);
	g_assert_false(json_object_get_boolean_member(ctrl, "enabled"));

	/* a failed plugin reports its error and has nothing */
	g_test_expect_message("RddDaemon", G_LOG_LEVEL_WARNING, "*fixture refuses to register*");
	info = rdd_plugin_loader_load_file(loader, fails);
	g_test_assert_expected_messages();
	failed = rdd_plugin_info_to_json(info, "*");
	root = json_node_get_object(failed);
	g_assert_cmpstr(json_object_get_string_member(root, "name"), ==, "register-fails");
	g_assert_cmpstr(json_object_get_string_member(root, "state"), ==, "failed");
	g_assert_cmpstr(json_object_get_string_member(root, "errorCode"), ==, "invalid");
	g_assert_cmpstr(json_object_get_string_member(root, "error"), ==,
			"plugin register-fails failed to register: fixture refuses to register");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "kinds")), ==, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "controllers")), ==, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "routes")), ==, 0);
}

static void
rdd_loader_test_state_to_string(void)
{
	g_assert_cmpstr(rdd_plugin_state_to_string(RDD_PLUGIN_STATE_LOADED), ==, "loaded");
	g_assert_cmpstr(rdd_plugin_state_to_string(RDD_PLUGIN_STATE_FAILED), ==, "failed");
	g_assert_cmpstr(rdd_plugin_state_to_string(RDD_PLUGIN_STATE_SHADOWED), ==, "shadowed");
	g_assert_cmpstr(rdd_plugin_state_to_string((RddPluginState)99), ==, "unknown");
}

static void
rdd_loader_test_selection(void)
{
	/* the reference's controllers and groups */
	static const struct {
		const gchar *name;
		const gchar *group;
	} controllers[] = {
		{"notary", "rdd"},  {"configmapreplicaset", "rdd"}, {"demo", "app"}, {"app", "app"},
		{"kubernetes", ""}, {"namespace", "builtin"},
	};
	/* one row per spec: the controllers it enables, in the order above (1 = enabled) */
	static const struct {
		const gchar *spec;
		const gchar *enabled;
	} cases[] = {
		{"*", "111111"},
		{"rdd", "110001"},
		{"app", "001101"},
		{"", "000001"},
		{NULL, "000001"},
		{"*,-demo", "110111"},
		{"-demo,*", "110111"},
		{"-demo", "000001"},
		{"kubernetes", "000011"},
		{"notary", "100001"},
		{"rdd,app", "111101"},
		{"rdd,-notary", "010001"},
		{"-notary,rdd", "010001"},
		{"app,-app", "000001"},
		{"*,-rdd", "001111"},
		{" rdd , demo ", "111001"},
		{",,", "000001"},
		{"-", "000001"},
		{"-*", "000001"},
		{"*,-*", "000001"},
		{"-namespace,-builtin", "000001"},
		{"unknown", "000001"},
		{"RDD", "000001"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		for (guint j = 0; j < G_N_ELEMENTS(controllers); j++) {
			gboolean want = cases[i].enabled[j] == '1';
			gboolean got = rdd_controller_selection_enabled(
				cases[i].spec, controllers[j].name, controllers[j].group);
			if (want != got)
				g_error("--controllers=%s: controller %s (group \"%s\"): expected %s",
					cases[i].spec != NULL ? cases[i].spec : "(null)",
					controllers[j].name, controllers[j].group, want ? "enabled" : "disabled");
		}
	}
	/* a NULL group behaves like the empty group */
	g_assert_true(rdd_controller_selection_enabled("*", "x", NULL));
	g_assert_true(rdd_controller_selection_enabled("x", "x", NULL));
	g_assert_false(rdd_controller_selection_enabled("app", "x", NULL));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/rdd/loader/ok", rdd_loader_test_ok);
	g_test_add_func("/rdd/loader/wrong-abi", rdd_loader_test_wrong_abi);
	g_test_add_func("/rdd/loader/missing-symbol", rdd_loader_test_missing_symbol);
	g_test_add_func("/rdd/loader/register-fails", rdd_loader_test_register_fails);
	g_test_add_func("/rdd/loader/register-false-no-error", rdd_loader_test_register_false_no_error);
	g_test_add_func("/rdd/loader/reconcile-false", rdd_loader_test_reconcile_false);
	g_test_add_func("/rdd/loader/kind-clash", rdd_loader_test_kind_clash);
	g_test_add_func("/rdd/loader/wrong-group", rdd_loader_test_wrong_group);
	g_test_add_func("/rdd/loader/world-writable", rdd_loader_test_world_writable);
	g_test_add_func("/rdd/loader/foreign-owner", rdd_loader_test_foreign_owner);
	g_test_add_func("/rdd/loader/not-regular", rdd_loader_test_not_regular);
	g_test_add_func("/rdd/loader/scan-order", rdd_loader_test_scan_order);
	g_test_add_func("/rdd/loader/shadowed", rdd_loader_test_shadowed);
	g_test_add_func("/rdd/loader/missing-dir", rdd_loader_test_missing_dir);
	g_test_add_func("/rdd/loader/default-dirs", rdd_loader_test_default_dirs);
	g_test_add_func("/rdd/loader/daemon-keeps-going", rdd_loader_test_daemon_keeps_going);
	g_test_add_func("/rdd/loader/daemon-selection", rdd_loader_test_daemon_selection);
	g_test_add_func("/rdd/loader/context-commit-atomic", rdd_loader_test_context_commit_atomic);
	g_test_add_func("/rdd/loader/context-hook-name", rdd_loader_test_context_hook_name);
	g_test_add_func("/rdd/loader/info-to-json", rdd_loader_test_info_to_json);
	g_test_add_func("/rdd/loader/state-to-string", rdd_loader_test_state_to_string);
	g_test_add_func("/rdd/loader/selection", rdd_loader_test_selection);
	return g_test_run();
}
