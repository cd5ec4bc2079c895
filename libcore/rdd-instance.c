/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <gio/gio.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "rdd-error.h"
#include "rdd-instance.h"
#include "rdd-plugin.h"

struct _RddInstance {
	GObject parent_instance;
	gchar *suffix;
	gchar *name;
	guint index;
	gchar *dir;
	gchar *log_dir;
	gchar *short_dir;
	gchar *lima_home;
	gchar *tls_dir;
	gchar *config;
	gchar *k3s_config;
	gchar *pid_file;
	gchar *args_file;
	gchar *docker_socket;
};

G_DEFINE_FINAL_TYPE(RddInstance, rdd_instance, G_TYPE_OBJECT)

/* the keys of `rdd svc paths`, sorted */
static const gchar *const rdd_instance_path_keys[] = {"args_file",
						      "config",
						      "dir",
						      "docker_socket",
						      "k3s_config",
						      "lima_home",
						      "log_dir",
						      "pid_file",
						      "short_dir",
						      "tls_dir",
						      NULL};

static void
rdd_instance_finalize(GObject *object)
{
	RddInstance *self = RDD_INSTANCE(object);
	g_free(self->suffix);
	g_free(self->name);
	g_free(self->dir);
	g_free(self->log_dir);
	g_free(self->short_dir);
	g_free(self->lima_home);
	g_free(self->tls_dir);
	g_free(self->config);
	g_free(self->k3s_config);
	g_free(self->pid_file);
	g_free(self->args_file);
	g_free(self->docker_socket);
	G_OBJECT_CLASS(rdd_instance_parent_class)->finalize(object);
}

static void
rdd_instance_class_init(RddInstanceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = rdd_instance_finalize;
}

static void
rdd_instance_init(RddInstance *self)
{
}

static guint
rdd_instance_compute_index(const gchar *suffix)
{
	guint64 value = 0;
	guint sum = 0;
	const gchar *p;

	if (g_ascii_string_to_unsigned(suffix, 10, 1, 99, &value, NULL))
		return (guint)value;
	for (p = suffix; *p != '\0'; p = g_utf8_next_char(p))
		sum += g_utf8_get_char(p);
	return 100 + sum % 100;
}

static void
rdd_instance_derive(RddInstance *self)
{
	g_free(self->tls_dir);
	g_free(self->config);
	g_free(self->k3s_config);
	g_free(self->pid_file);
	g_free(self->args_file);
	self->tls_dir = g_build_filename(self->dir, "tls", NULL);
	self->config = g_build_filename(self->dir, "config.yaml", NULL);
	self->k3s_config = g_build_filename(self->dir, "k3s.yaml", NULL);
	self->pid_file = g_build_filename(self->dir, "rdd.pid", NULL);
	self->args_file = g_build_filename(self->dir, "args.json", NULL);
}

/**
 * rdd_instance_new:
 * @suffix: (nullable): the instance suffix; %NULL or empty for %RDD_INSTANCE_DEFAULT
 *
 * Computes an instance's name (`rancher-desktop-<suffix>`), index (the suffix's value when it
 * is a number from 1 to 99, else 100 plus the sum of its characters modulo 100) and paths,
 * following the XDG base directories on Linux: data in `$XDG_DATA_HOME` (default
 * `~/.local/share`), logs in `RDD_LOG_DIR` or `$XDG_STATE_HOME` (default `~/.local/state`),
 * sockets in `~/.rd<suffix>`.
 *
 * Returns: (transfer full): the instance
 *
 * Since: 0.1
 */
RddInstance *
rdd_instance_new(const gchar *suffix)
{
	RddInstance *self = g_object_new(RDD_TYPE_INSTANCE, NULL);
	const gchar *log_dir = g_getenv("RDD_LOG_DIR");
	g_autofree gchar *short_name = NULL;

	if (suffix == NULL || suffix[0] == '\0')
		suffix = RDD_INSTANCE_DEFAULT;
	self->suffix = g_strdup(suffix);
	self->name = g_strdup_printf("rancher-desktop-%s", suffix);
	self->index = rdd_instance_compute_index(suffix);
	self->dir = g_build_filename(g_get_user_data_dir(), self->name, NULL);
	if (log_dir != NULL && log_dir[0] != '\0')
		self->log_dir = g_strdup(log_dir);
	else
		self->log_dir = g_build_filename(g_get_user_state_dir(), self->name, NULL);
	short_name = g_strdup_printf(".rd%s", suffix);
	self->short_dir = g_build_filename(g_get_home_dir(), short_name, NULL);
	self->lima_home = g_build_filename(self->short_dir, "lima", NULL);
	self->docker_socket = g_build_filename(self->short_dir, "docker.sock", NULL);
	rdd_instance_derive(self);
	return self;
}

/**
 * rdd_instance_new_from_env:
 *
 * Returns: (transfer full): the instance named by `RDD_INSTANCE`, or the default one
 *
 * Since: 0.1
 */
RddInstance *
rdd_instance_new_from_env(void)
{
	return rdd_instance_new(g_getenv("RDD_INSTANCE"));
}

/**
 * rdd_instance_set_dir:
 * @self: an instance
 * @dir: the instance directory to use instead of the default (`--state-dir`)
 *
 * Moves the instance directory and everything derived from it (database, TLS, kubeconfig,
 * pid and args files).
 *
 * Since: 0.1
 */
void
rdd_instance_set_dir(RddInstance *self, const gchar *dir)
{
	g_return_if_fail(RDD_IS_INSTANCE(self));
	g_return_if_fail(dir != NULL);
	g_free(self->dir);
	self->dir = g_canonicalize_filename(dir, NULL);
	rdd_instance_derive(self);
}

#define RDD_INSTANCE_GETTER(field)                                                                 \
	const gchar *rdd_instance_get_##field(RddInstance *self)                                   \
	{                                                                                          \
		g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);                                 \
		return self->field;                                                                \
	}

/**
 * rdd_instance_get_suffix:
 * @self: an instance
 *
 * Returns: the suffix, e.g. `2`
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(suffix)

/**
 * rdd_instance_get_name:
 * @self: an instance
 *
 * Returns: `rancher-desktop-<suffix>`, also the Docker and kube context name
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(name)

/**
 * rdd_instance_get_dir:
 * @self: an instance
 *
 * Returns: the instance directory (`svc paths dir`)
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(dir)

/**
 * rdd_instance_get_log_dir:
 * @self: an instance
 *
 * Returns: the log directory (`svc paths log_dir`)
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(log_dir)

/**
 * rdd_instance_get_short_dir:
 * @self: an instance
 *
 * Returns: `~/.rd<suffix>`, short enough for socket paths
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(short_dir)

/**
 * rdd_instance_get_lima_home:
 * @self: an instance
 *
 * Returns: `LIMA_HOME` for this instance
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(lima_home)

/**
 * rdd_instance_get_tls_dir:
 * @self: an instance
 *
 * Returns: the directory of the CA, serving certificate and token
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(tls_dir)

/**
 * rdd_instance_get_docker_socket:
 * @self: an instance
 *
 * Returns: the instance Docker socket path
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(docker_socket)

/**
 * rdd_instance_get_pid_file:
 * @self: an instance
 *
 * Returns: the daemon's pid file
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(pid_file)

/**
 * rdd_instance_get_args_file:
 * @self: an instance
 *
 * Returns: the saved daemon arguments; its existence means the instance was created
 *
 * Since: 0.1
 */
RDD_INSTANCE_GETTER(args_file)

/**
 * rdd_instance_get_config_path:
 * @self: an instance
 *
 * Returns: the kubeconfig for the daemon's API (`svc paths config`)
 *
 * Since: 0.1
 */
const gchar *
rdd_instance_get_config_path(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	return self->config;
}

/**
 * rdd_instance_get_k3s_config_path:
 * @self: an instance
 *
 * Returns: where the VM's k3s kubeconfig is mirrored (`svc paths k3s_config`)
 *
 * Since: 0.1
 */
const gchar *
rdd_instance_get_k3s_config_path(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	return self->k3s_config;
}

/**
 * rdd_instance_get_index:
 * @self: an instance
 *
 * Returns: the index used for port offsets
 *
 * Since: 0.1
 */
guint
rdd_instance_get_index(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), 0);
	return self->index;
}

/**
 * rdd_instance_dup_database_path:
 * @self: an instance
 *
 * Returns: (transfer full): `<dir>/db/state.db`
 *
 * Since: 0.1
 */
gchar *
rdd_instance_dup_database_path(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	return g_build_filename(self->dir, "db", "state.db", NULL);
}

/**
 * rdd_instance_dup_api_socket_path:
 * @self: an instance
 *
 * Returns: (transfer full): the daemon's unix socket for same-user clients, `<dir>/rdd.sock`
 *
 * Since: 0.1
 */
gchar *
rdd_instance_dup_api_socket_path(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	return g_build_filename(self->dir, "rdd.sock", NULL);
}

/**
 * rdd_instance_dup_kinds_path:
 * @self: an instance
 *
 * Returns: (transfer full): `<dir>/kinds.json`, where the running daemon lists its kinds
 *   (what `/rdd/v1/kinds` answers, with the daemon's `pid`) so that the CLI can resolve a kind
 *   without a request
 *
 * Since: 0.1
 */
gchar *
rdd_instance_dup_kinds_path(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	return g_build_filename(self->dir, "kinds.json", NULL);
}

/**
 * rdd_instance_get_secure_port:
 * @self: an instance
 *
 * Returns: the desired HTTPS API port, 6443 plus the index
 *
 * Since: 0.1
 */
guint
rdd_instance_get_secure_port(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), 0);
	return 6443 + self->index;
}

/**
 * rdd_instance_get_kubernetes_port:
 * @self: an instance
 *
 * Returns: the desired host port of the VM's Kubernetes API, 7441 plus the index
 *
 * Since: 0.1
 */
guint
rdd_instance_get_kubernetes_port(RddInstance *self)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), 0);
	return 7441 + self->index;
}

/**
 * rdd_instance_get_path_keys:
 *
 * Returns: (array zero-terminated=1): the keys of `rdd svc paths`, sorted
 *
 * Since: 0.1
 */
const gchar *const *
rdd_instance_get_path_keys(void)
{
	return rdd_instance_path_keys;
}

/**
 * rdd_instance_get_path:
 * @self: an instance
 * @key: a key from rdd_instance_get_path_keys()
 *
 * Returns: (nullable): the path, or %NULL for an unknown key
 *
 * Since: 0.1
 */
const gchar *
rdd_instance_get_path(RddInstance *self, const gchar *key)
{
	g_return_val_if_fail(RDD_IS_INSTANCE(self), NULL);
	if (g_strcmp0(key, "args_file") == 0)
		return self->args_file;
	if (g_strcmp0(key, "config") == 0)
		return self->config;
	if (g_strcmp0(key, "dir") == 0)
		return self->dir;
	if (g_strcmp0(key, "docker_socket") == 0)
		return self->docker_socket;
	if (g_strcmp0(key, "k3s_config") == 0)
		return self->k3s_config;
	if (g_strcmp0(key, "lima_home") == 0)
		return self->lima_home;
	if (g_strcmp0(key, "log_dir") == 0)
		return self->log_dir;
	if (g_strcmp0(key, "pid_file") == 0)
		return self->pid_file;
	if (g_strcmp0(key, "short_dir") == 0)
		return self->short_dir;
	if (g_strcmp0(key, "tls_dir") == 0)
		return self->tls_dir;
	return NULL;
}

/**
 * rdd_instance_ensure_dirs:
 * @self: an instance
 * @error: return location for an error
 *
 * Creates the instance, log, short and TLS directories with mode 0700.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_instance_ensure_dirs(RddInstance *self, GError **error)
{
	const gchar *dirs[] = {self->dir, self->log_dir, self->short_dir, self->tls_dir};

	g_return_val_if_fail(RDD_IS_INSTANCE(self), FALSE);
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		if (g_mkdir_with_parents(dirs[i], 0700) != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_INTERNAL,
				    "cannot create directory %s: %s",
				    dirs[i],
				    g_strerror(errno));
			return FALSE;
		}
		if (g_chmod(dirs[i], 0700) != 0) {
			g_set_error(error,
				    RDD_ERROR,
				    RDD_ERROR_INTERNAL,
				    "cannot restrict directory %s to its owner: %s",
				    dirs[i],
				    g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * rdd_instance_resolve_port:
 * @desired: the port to try first
 *
 * The reference's fallback rule: use @desired when it can be bound on 127.0.0.1, else a port
 * the system picks. The probe listener is closed again, so the caller binds right away.
 *
 * Returns: a port number, 0 when no port could be bound at all
 *
 * Since: 0.1
 */
guint
rdd_instance_resolve_port(guint desired)
{
	guint candidates[] = {desired, 0};

	for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
		g_autoptr(GSocket) sock = NULL;
		g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
		g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(loopback, candidates[i]);
		g_autoptr(GSocketAddress) bound = NULL;

		sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
		if (sock == NULL)
			continue;
		if (!g_socket_bind(sock, addr, FALSE, NULL))
			continue;
		bound = g_socket_get_local_address(sock, NULL);
		if (bound == NULL)
			continue;
		return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	}
	return 0;
}

/**
 * rdd_instance_dup_user_plugin_dir:
 *
 * Returns: (transfer full): the per-user directory for third-party plugins,
 *   `$XDG_DATA_HOME/rdd/plugins-<ABI>`
 *
 * Since: 0.1
 */
gchar *
rdd_instance_dup_user_plugin_dir(void)
{
	g_autofree gchar *leaf = g_strdup_printf("plugins-%d", RDD_PLUGIN_ABI_VERSION);
	return g_build_filename(g_get_user_data_dir(), "rdd", leaf, NULL);
}
