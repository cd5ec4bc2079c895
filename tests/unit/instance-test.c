/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Instance names, index, paths and ports. Runs with G_TEST_OPTION_ISOLATE_DIRS: HOME and the
 * XDG directories point into a fresh temporary directory for every test.
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rdd-error.h"
#include "rdd-instance.h"
#include "rdd-plugin.h"

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

static void
rdd_instance_test_names(void)
{
	struct {
		const gchar *suffix;
		const gchar *expected_suffix;
		const gchar *expected_name;
	} cases[] = {
		{"2", "2", "rancher-desktop-2"},       {"7", "7", "rancher-desktop-7"},
		{"dev", "dev", "rancher-desktop-dev"}, {NULL, "2", "rancher-desktop-2"},
		{"", "2", "rancher-desktop-2"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddInstance) instance = rdd_instance_new(cases[i].suffix);
		g_assert_cmpstr(rdd_instance_get_suffix(instance), ==, cases[i].expected_suffix);
		g_assert_cmpstr(rdd_instance_get_name(instance), ==, cases[i].expected_name);
	}
}

static void
rdd_instance_test_from_env(void)
{
	g_setenv("RDD_INSTANCE", "5", TRUE);
	{
		g_autoptr(RddInstance) instance = rdd_instance_new_from_env();
		g_assert_cmpstr(rdd_instance_get_name(instance), ==, "rancher-desktop-5");
		g_assert_cmpuint(rdd_instance_get_index(instance), ==, 5);
	}
	g_setenv("RDD_INSTANCE", "", TRUE);
	{
		g_autoptr(RddInstance) instance = rdd_instance_new_from_env();
		g_assert_cmpstr(rdd_instance_get_suffix(instance), ==, RDD_INSTANCE_DEFAULT);
	}
	g_unsetenv("RDD_INSTANCE");
	{
		g_autoptr(RddInstance) instance = rdd_instance_new_from_env();
		g_assert_cmpstr(rdd_instance_get_name(instance), ==, "rancher-desktop-2");
	}
}

static void
rdd_instance_test_index(void)
{
	struct {
		const gchar *suffix;
		guint index;
	} cases[] = {
		/* numbers from 1 to 99 are their own index */
		{"1", 1},
		{"2", 2},
		{"42", 42},
		{"99", 99},
		/* anything else: 100 + (sum of the characters) % 100 */
		{"100", 100 + ('1' + '0' + '0') % 100},
		{"abc", 194},
		{"0", 100 + '0' % 100},
		{"-1", 100 + ('-' + '1') % 100},
		{"2a", 100 + ('2' + 'a') % 100},
		{" 2", 100 + (' ' + '2') % 100},
		{"dev", 100 + ('d' + 'e' + 'v') % 100},
		{"99999999999999999999", 100 + (20 * '9') % 100},
	};

	g_assert_cmpuint(100 + ('1' + '0' + '0') % 100, ==, 145);
	g_assert_cmpuint(100 + ('0') % 100, ==, 148);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddInstance) instance = rdd_instance_new(cases[i].suffix);
		if (rdd_instance_get_index(instance) != cases[i].index)
			g_error("suffix \"%s\": index %u, expected %u", cases[i].suffix,
				rdd_instance_get_index(instance), cases[i].index);
		/* `0` is not a valid index: it is computed like any other name */
		g_assert_cmpuint(rdd_instance_get_index(instance), !=, 0);
	}
}

static void
rdd_instance_test_ports(void)
{
	struct {
		const gchar *suffix;
		guint secure;
		guint kubernetes;
	} cases[] = {
		{"2", 6445, 7443},
		{"1", 6444, 7442},
		{"99", 6542, 7540},
		{"abc", 6443 + 194, 7441 + 194},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(RddInstance) instance = rdd_instance_new(cases[i].suffix);
		g_assert_cmpuint(rdd_instance_get_secure_port(instance), ==, cases[i].secure);
		g_assert_cmpuint(rdd_instance_get_kubernetes_port(instance), ==, cases[i].kubernetes);
	}
}

static void
rdd_instance_test_paths(void)
{
	g_autoptr(RddInstance) instance = NULL;
	const gchar *home = g_get_home_dir();
	g_autofree gchar *dir = NULL;
	g_autofree gchar *log_dir = NULL;
	g_autofree gchar *short_dir = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *db = NULL;
	g_autofree gchar *sock = NULL;

	/* the isolated directories are in effect: nothing of the real user is touched */
	g_assert_nonnull(home);
	g_assert_true(g_str_has_prefix(g_get_user_data_dir(), g_get_tmp_dir()));
	g_assert_true(g_str_has_prefix(home, g_get_tmp_dir()));
	g_unsetenv("RDD_LOG_DIR");

	instance = rdd_instance_new("2");
	dir = g_build_filename(g_get_user_data_dir(), "rancher-desktop-2", NULL);
	log_dir = g_build_filename(g_get_user_state_dir(), "rancher-desktop-2", NULL);
	short_dir = g_build_filename(home, ".rd2", NULL);
	g_assert_cmpstr(rdd_instance_get_dir(instance), ==, dir);
	g_assert_cmpstr(rdd_instance_get_log_dir(instance), ==, log_dir);
	g_assert_cmpstr(rdd_instance_get_short_dir(instance), ==, short_dir);

	expected = g_build_filename(short_dir, "lima", NULL);
	g_assert_cmpstr(rdd_instance_get_lima_home(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(short_dir, "docker.sock", NULL);
	g_assert_cmpstr(rdd_instance_get_docker_socket(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "tls", NULL);
	g_assert_cmpstr(rdd_instance_get_tls_dir(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "config.yaml", NULL);
	g_assert_cmpstr(rdd_instance_get_config_path(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "k3s.yaml", NULL);
	g_assert_cmpstr(rdd_instance_get_k3s_config_path(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "rdd.pid", NULL);
	g_assert_cmpstr(rdd_instance_get_pid_file(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "args.json", NULL);
	g_assert_cmpstr(rdd_instance_get_args_file(instance), ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "db", "state.db", NULL);
	db = rdd_instance_dup_database_path(instance);
	g_assert_cmpstr(db, ==, expected);
	g_free(expected);
	expected = g_build_filename(dir, "rdd.sock", NULL);
	sock = rdd_instance_dup_api_socket_path(instance);
	g_assert_cmpstr(sock, ==, expected);
}

static void
rdd_instance_test_log_dir_env(void)
{
	g_setenv("RDD_LOG_DIR", "/var/log/rdd-test", TRUE);
	{
		g_autoptr(RddInstance) instance = rdd_instance_new("3");
		g_assert_cmpstr(rdd_instance_get_log_dir(instance), ==, "/var/log/rdd-test");
		g_assert_cmpstr(rdd_instance_get_path(instance, "log_dir"), ==, "/var/log/rdd-test");
	}
	/* an empty value is ignored */
	g_setenv("RDD_LOG_DIR", "", TRUE);
	{
		g_autoptr(RddInstance) instance = rdd_instance_new("3");
		g_autofree gchar *expected =
			g_build_filename(g_get_user_state_dir(), "rancher-desktop-3", NULL);
		g_assert_cmpstr(rdd_instance_get_log_dir(instance), ==, expected);
	}
	g_unsetenv("RDD_LOG_DIR");
}

static void
rdd_instance_test_set_dir(void)
{
	g_autoptr(RddInstance) instance = rdd_instance_new("4");
	g_autofree gchar *log_dir = g_strdup(rdd_instance_get_log_dir(instance));
	g_autofree gchar *short_dir = g_strdup(rdd_instance_get_short_dir(instance));
	g_autofree gchar *cwd = g_get_current_dir();
	g_autofree gchar *relative = NULL;
	g_autofree gchar *db = NULL;

	rdd_instance_set_dir(instance, "/srv/rdd/../state/./x/");
	g_assert_cmpstr(rdd_instance_get_dir(instance), ==, "/srv/state/x");
	g_assert_cmpstr(rdd_instance_get_tls_dir(instance), ==, "/srv/state/x/tls");
	g_assert_cmpstr(rdd_instance_get_config_path(instance), ==, "/srv/state/x/config.yaml");
	g_assert_cmpstr(rdd_instance_get_k3s_config_path(instance), ==, "/srv/state/x/k3s.yaml");
	g_assert_cmpstr(rdd_instance_get_pid_file(instance), ==, "/srv/state/x/rdd.pid");
	g_assert_cmpstr(rdd_instance_get_args_file(instance), ==, "/srv/state/x/args.json");
	db = rdd_instance_dup_database_path(instance);
	g_assert_cmpstr(db, ==, "/srv/state/x/db/state.db");
	/* what does not live in the instance directory stays */
	g_assert_cmpstr(rdd_instance_get_log_dir(instance), ==, log_dir);
	g_assert_cmpstr(rdd_instance_get_short_dir(instance), ==, short_dir);
	g_assert_cmpstr(rdd_instance_get_name(instance), ==, "rancher-desktop-4");

	/* a relative directory is made absolute */
	rdd_instance_set_dir(instance, "state");
	relative = g_build_filename(cwd, "state", NULL);
	g_assert_cmpstr(rdd_instance_get_dir(instance), ==, relative);
}

static void
rdd_instance_test_path_keys(void)
{
	static const gchar *const expected[] = {
		"args_file", "config",	 "dir",	      "docker_socket", "k3s_config", "lima_home",
		"log_dir",   "pid_file", "short_dir", "tls_dir",       NULL};
	g_autoptr(RddInstance) instance = rdd_instance_new("2");
	const gchar *const *keys = rdd_instance_get_path_keys();
	struct {
		const gchar *key;
		const gchar *value;
	} getters[] = {
		{"args_file", rdd_instance_get_args_file(instance)},
		{"config", rdd_instance_get_config_path(instance)},
		{"dir", rdd_instance_get_dir(instance)},
		{"docker_socket", rdd_instance_get_docker_socket(instance)},
		{"k3s_config", rdd_instance_get_k3s_config_path(instance)},
		{"lima_home", rdd_instance_get_lima_home(instance)},
		{"log_dir", rdd_instance_get_log_dir(instance)},
		{"pid_file", rdd_instance_get_pid_file(instance)},
		{"short_dir", rdd_instance_get_short_dir(instance)},
		{"tls_dir", rdd_instance_get_tls_dir(instance)},
	};

	g_assert_cmpstrv(keys, expected);
	for (guint i = 1; keys[i] != NULL; i++)
		g_assert_cmpint(strcmp(keys[i - 1], keys[i]), <, 0);
	for (guint i = 0; i < G_N_ELEMENTS(getters); i++) {
		g_assert_nonnull(getters[i].value);
		g_assert_cmpstr(rdd_instance_get_path(instance, getters[i].key), ==, getters[i].value);
	}
	g_assert_null(rdd_instance_get_path(instance, "nope"));
	g_assert_null(rdd_instance_get_path(instance, NULL));
	g_assert_null(rdd_instance_get_path(instance, "DIR"));
}

static void
rdd_instance_test_ensure_dirs(void)
{
	g_autoptr(RddInstance) instance = rdd_instance_new("6");
	g_autoptr(GError) error = NULL;
	const gchar *dirs[] = {rdd_instance_get_dir(instance), rdd_instance_get_log_dir(instance),
			       rdd_instance_get_short_dir(instance), rdd_instance_get_tls_dir(instance)};

	/* one of them exists already, too open */
	g_assert_cmpint(g_mkdir_with_parents(rdd_instance_get_short_dir(instance), 0755), ==, 0);
	g_assert_cmpint(g_chmod(rdd_instance_get_short_dir(instance), 0755), ==, 0);
	g_assert_true(rdd_instance_ensure_dirs(instance, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		GStatBuf st;
		g_assert_cmpint(g_stat(dirs[i], &st), ==, 0);
		g_assert_true(S_ISDIR(st.st_mode));
		g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	}
	/* twice is fine */
	g_assert_true(rdd_instance_ensure_dirs(instance, &error));
	g_assert_no_error(error);
}

static void
rdd_instance_test_ensure_dirs_fails(void)
{
	g_autoptr(RddInstance) instance = rdd_instance_new("6");
	g_autofree gchar *file = g_build_filename(g_get_user_data_dir(), "not-a-dir", NULL);
	g_autofree gchar *below = g_build_filename(file, "instance", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(g_get_user_data_dir(), 0700), ==, 0);
	g_assert_true(g_file_set_contents(file, "x", -1, &error));
	g_assert_no_error(error);
	rdd_instance_set_dir(instance, below);
	g_assert_false(rdd_instance_ensure_dirs(instance, &error));
	g_assert_error(error, RDD_ERROR, RDD_ERROR_INTERNAL);
	g_assert_nonnull(strstr(error->message, "cannot create directory"));
	g_assert_nonnull(strstr(error->message, below));
}

static void
rdd_instance_test_resolve_port(void)
{
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;
	guint busy, other, fresh;

	/* a port someone listens on is not handed out */
	sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(sock, any, FALSE, &error));
	g_assert_no_error(error);
	g_assert_true(g_socket_listen(sock, &error));
	g_assert_no_error(error);
	bound = g_socket_get_local_address(sock, &error);
	g_assert_no_error(error);
	busy = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	other = rdd_instance_resolve_port(busy);
	g_assert_cmpuint(other, !=, 0);
	g_assert_cmpuint(other, !=, busy);

	/* a free port is used as asked */
	fresh = rdd_instance_resolve_port(other);
	g_assert_cmpuint(fresh, ==, other);
	/* 0 asks the system */
	g_assert_cmpuint(rdd_instance_resolve_port(0), !=, 0);
}

static void
rdd_instance_test_user_plugin_dir(void)
{
	g_autofree gchar *dir = rdd_instance_dup_user_plugin_dir();
	g_autofree gchar *leaf = g_strdup_printf("plugins-%d", RDD_PLUGIN_ABI_VERSION);
	g_autofree gchar *expected = g_build_filename(g_get_user_data_dir(), "rdd", leaf, NULL);
	g_assert_cmpstr(dir, ==, expected);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/rdd/instance/names", rdd_instance_test_names);
	g_test_add_func("/rdd/instance/from-env", rdd_instance_test_from_env);
	g_test_add_func("/rdd/instance/index", rdd_instance_test_index);
	g_test_add_func("/rdd/instance/ports", rdd_instance_test_ports);
	g_test_add_func("/rdd/instance/paths", rdd_instance_test_paths);
	g_test_add_func("/rdd/instance/log-dir-env", rdd_instance_test_log_dir_env);
	g_test_add_func("/rdd/instance/set-dir", rdd_instance_test_set_dir);
	g_test_add_func("/rdd/instance/path-keys", rdd_instance_test_path_keys);
	g_test_add_func("/rdd/instance/ensure-dirs", rdd_instance_test_ensure_dirs);
	g_test_add_func("/rdd/instance/ensure-dirs-fails", rdd_instance_test_ensure_dirs_fails);
	g_test_add_func("/rdd/instance/resolve-port", rdd_instance_test_resolve_port);
	g_test_add_func("/rdd/instance/user-plugin-dir", rdd_instance_test_user_plugin_dir);
	return g_test_run();
}
