/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "rdd-api-server.h"
#include "rdd-api-tls.h"
#include "rdd-daemon.h"

struct _RddDaemon {
	GObject parent_instance;
	RddInstance *instance;
	RddStore *store;
	RddPluginLoader *loader;
	gchar *controllers;
	GPtrArray *plugin_dirs;
	GPtrArray *running; /* RddController that were started */
	gboolean persistent;
	gboolean serve_api;
	guint secure_port;
	RddApiServer *api;
	gboolean serve_dbus;
	RddDbus *dbus;
	gint pid_fd;
	gint64 start_time;
};

G_DEFINE_FINAL_TYPE(RddDaemon, rdd_daemon, G_TYPE_OBJECT)

static void
rdd_daemon_finalize(GObject *object)
{
	RddDaemon *self = RDD_DAEMON(object);
	rdd_daemon_stop(self);
	g_clear_object(&self->api);
	g_clear_object(&self->dbus);
	g_clear_object(&self->loader);
	g_clear_object(&self->store);
	g_clear_object(&self->instance);
	g_ptr_array_unref(self->plugin_dirs);
	g_ptr_array_unref(self->running);
	g_free(self->controllers);
	G_OBJECT_CLASS(rdd_daemon_parent_class)->finalize(object);
}

static void
rdd_daemon_class_init(RddDaemonClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rdd_daemon_finalize;
}

static void
rdd_daemon_init(RddDaemon *self)
{
	self->controllers = g_strdup("*");
	self->plugin_dirs = g_ptr_array_new_with_free_func(g_free);
	self->running = g_ptr_array_new_with_free_func(g_object_unref);
	self->persistent = TRUE;
	self->serve_api = TRUE;
	self->serve_dbus = TRUE;
	self->pid_fd = -1;
}

/**
 * rdd_daemon_new:
 * @instance: the instance to serve
 *
 * Returns: (transfer full): a daemon, not started
 */
RddDaemon *
rdd_daemon_new(RddInstance *instance)
{
	RddDaemon *self = g_object_new(RDD_TYPE_DAEMON, NULL);
	self->instance = g_object_ref(instance);
	self->store = rdd_store_new();
	self->loader = rdd_plugin_loader_new(self->store, instance);
	return self;
}

/**
 * rdd_daemon_set_controllers:
 * @self: a daemon
 * @spec: the `--controllers` selection, `*` by default
 */
void
rdd_daemon_set_controllers(RddDaemon *self, const gchar *spec)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	g_free(self->controllers);
	self->controllers = g_strdup(spec != NULL ? spec : "");
}

/**
 * rdd_daemon_get_controllers:
 * @self: a daemon
 *
 * Returns: the `--controllers` selection
 */
const gchar *
rdd_daemon_get_controllers(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->controllers;
}

/**
 * rdd_daemon_add_plugin_dir:
 * @self: a daemon
 * @dir: a plugin directory; once any is added, only the added ones are scanned
 */
void
rdd_daemon_add_plugin_dir(RddDaemon *self, const gchar *dir)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	g_ptr_array_add(self->plugin_dirs, g_strdup(dir));
}

/**
 * rdd_daemon_set_persistent:
 * @self: a daemon
 * @persistent: %FALSE to keep every object in memory only
 */
void
rdd_daemon_set_persistent(RddDaemon *self, gboolean persistent)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	self->persistent = persistent;
}

/**
 * rdd_daemon_set_secure_port:
 * @self: a daemon
 * @port: the desired HTTPS port; 0 for the instance's default (6443 + index)
 */
void
rdd_daemon_set_secure_port(RddDaemon *self, guint port)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	self->secure_port = port;
}

/**
 * rdd_daemon_set_serve_api:
 * @self: a daemon
 * @serve: %FALSE to run without the HTTP API (in-process tests)
 */
void
rdd_daemon_set_serve_api(RddDaemon *self, gboolean serve)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	self->serve_api = serve;
}

/**
 * rdd_daemon_set_serve_dbus:
 * @self: a daemon
 * @serve: %FALSE to run without the io.rancherdesktop.Rdd1 interface on the session bus
 */
void
rdd_daemon_set_serve_dbus(RddDaemon *self, gboolean serve)
{
	g_return_if_fail(RDD_IS_DAEMON(self));
	self->serve_dbus = serve;
}

/**
 * rdd_daemon_get_dbus:
 * @self: a daemon
 *
 * Returns: (transfer none) (nullable): the D-Bus interface, once started
 */
RddDbus *
rdd_daemon_get_dbus(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->dbus;
}

/**
 * rdd_daemon_get_api_server:
 * @self: a daemon
 *
 * Returns: (transfer none) (nullable): the HTTP API server, once started
 */
RddApiServer *
rdd_daemon_get_api_server(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->api;
}

/**
 * rdd_daemon_get_instance:
 * @self: a daemon
 *
 * Returns: (transfer none): the instance
 */
RddInstance *
rdd_daemon_get_instance(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->instance;
}

/**
 * rdd_daemon_get_store:
 * @self: a daemon
 *
 * Returns: (transfer none): the store
 */
RddStore *
rdd_daemon_get_store(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->store;
}

/**
 * rdd_daemon_get_loader:
 * @self: a daemon
 *
 * Returns: (transfer none): the plugin loader
 */
RddPluginLoader *
rdd_daemon_get_loader(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->loader;
}

/**
 * rdd_daemon_get_controllers_running:
 * @self: a daemon
 *
 * Returns: (transfer none) (element-type RddController): the started controllers
 */
GPtrArray *
rdd_daemon_get_controllers_running(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), NULL);
	return self->running;
}

/**
 * rdd_daemon_get_start_time:
 * @self: a daemon
 *
 * Returns: when the daemon started, in microseconds since the epoch
 */
gint64
rdd_daemon_get_start_time(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), 0);
	return self->start_time;
}

/*
 * The pid file doubles as a lock: the daemon holds an exclusive flock on it for its whole
 * life, so a crashed daemon's file is recognised as stale by anyone (the lock is gone) and two
 * daemons can never serve one instance.
 */
static gboolean
rdd_daemon_take_pid_file(RddDaemon *self, GError **error)
{
	const gchar *path = rdd_instance_get_pid_file(self->instance);
	g_autofree gchar *text = g_strdup_printf("%d", (gint)getpid());
	gint fd = g_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot open pid file %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		g_autofree gchar *other = NULL;
		g_file_get_contents(path, &other, NULL, NULL);
		close(fd);
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_BUSY,
			    "control plane \"%s\" is already running (pid %s)",
			    rdd_instance_get_name(self->instance),
			    other != NULL ? other : "unknown");
		return FALSE;
	}
	if (ftruncate(fd, 0) != 0 || write(fd, text, strlen(text)) != (gssize)strlen(text) ||
	    fchmod(fd, 0600) != 0) {
		g_set_error(error,
			    RDD_ERROR,
			    RDD_ERROR_INTERNAL,
			    "cannot write pid file %s: %s",
			    path,
			    g_strerror(errno));
		close(fd);
		return FALSE;
	}
	self->pid_fd = fd;
	return TRUE;
}

static void
rdd_daemon_release_pid_file(RddDaemon *self)
{
	if (self->pid_fd < 0)
		return;
	g_unlink(rdd_instance_get_pid_file(self->instance));
	close(self->pid_fd);
	self->pid_fd = -1;
}

static gboolean
rdd_daemon_ensure_system_namespaces(RddDaemon *self, GError **error)
{
	const gchar *plain[] = {"default", "kube-system", "kube-public", "kube-node-lease"};
	const gchar *labels[] = {"app.kubernetes.io/name", "rancher-desktop-daemon", NULL};

	for (guint i = 0; i < G_N_ELEMENTS(plain); i++) {
		if (!rdd_store_ensure_namespace(self->store, plain[i], NULL, error))
			return FALSE;
	}
	return rdd_store_ensure_namespace(self->store, RDD_DAEMON_SYSTEM_NAMESPACE, labels, error);
}

static void
rdd_daemon_start_controllers(RddDaemon *self)
{
	g_autoptr(GPtrArray) controllers = rdd_plugin_loader_get_controllers(self->loader);

	for (guint i = 0; i < controllers->len; i++) {
		RddController *ctrl = g_ptr_array_index(controllers, i);
		g_autoptr(GError) error_local = NULL;
		if (!rdd_controller_selection_enabled(self->controllers,
						      rdd_controller_get_name(ctrl),
						      rdd_controller_get_group(ctrl))) {
			g_info("controller %s (group %s) is not selected by --controllers=%s",
			       rdd_controller_get_name(ctrl),
			       rdd_controller_get_group(ctrl),
			       self->controllers);
			continue;
		}
		if (!rdd_controller_start(ctrl, self->store, &error_local)) {
			g_warning("controller %s did not start: %s",
				  rdd_controller_get_name(ctrl),
				  error_local->message);
			continue;
		}
		g_ptr_array_add(self->running, g_object_ref(ctrl));
	}
}

/*
 * The HTTP API: the unix socket for same-user clients, HTTPS on 127.0.0.1 for kubectl (the
 * desired port, or a free one when it is taken), and the kubeconfig naming the port in use.
 */
static gboolean
rdd_daemon_start_api(RddDaemon *self, GError **error)
{
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autofree gchar *ca_pem = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *socket_path = rdd_instance_dup_api_socket_path(self->instance);
	g_autofree gchar *kinds_path = rdd_instance_dup_kinds_path(self->instance);
	g_autofree gchar *url = NULL;
	g_autoptr(GError) error_local = NULL;
	guint port = self->secure_port != 0 ? self->secure_port : rdd_instance_get_secure_port(self->instance);

	self->api = rdd_api_server_new(self->store, self->instance, self->loader);
	rdd_api_server_set_controllers(self->api, self->controllers);
	/* before listening: a client that finds the socket finds this daemon's kinds. Only a
	 * shortcut for the CLI, which asks the daemon without it (and ignores another daemon's) */
	if (!rdd_api_server_write_kinds(self->api, kinds_path, &error_local)) {
		g_warning("%s", error_local->message);
		g_clear_error(&error_local);
	}
	if (!rdd_api_server_listen_unix(self->api, socket_path, error))
		return FALSE;
	if (!rdd_api_tls_ensure(self->instance, &certificate, &ca_pem, error))
		return FALSE;
	token = rdd_api_tls_ensure_token(self->instance, error);
	if (token == NULL)
		return FALSE;
	rdd_api_server_set_token(self->api, token);
	if (!rdd_api_server_listen_https(self->api, port, certificate, &error_local)) {
		g_info("port %u is taken (%s); using a free port", port, error_local->message);
		if (!rdd_api_server_listen_https(self->api, 0, certificate, error))
			return FALSE;
	}
	url = g_strdup_printf("https://127.0.0.1:%u", rdd_api_server_get_https_port(self->api));
	if (!rdd_api_tls_write_kubeconfig(self->instance, url, ca_pem, token, error))
		return FALSE;
	g_info("API on %s and %s", url, socket_path);
	return TRUE;
}

/**
 * rdd_daemon_start:
 * @self: a daemon
 * @error: return location for an error
 *
 * Creates the instance directories, takes the pid file, registers the built-in kinds, opens
 * the database, creates the system namespaces, loads plugins and starts the selected
 * controllers. Plugin failures are recorded, never fatal.
 *
 * Returns: %TRUE when the daemon is up
 */
gboolean
rdd_daemon_start(RddDaemon *self, GError **error)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), FALSE);

	self->start_time = g_get_real_time();
	if (!rdd_instance_ensure_dirs(self->instance, error))
		return FALSE;
	if (!rdd_daemon_take_pid_file(self, error))
		return FALSE;
	if (!rdd_store_register_builtin_kinds(self->store, error))
		return FALSE;
	if (self->persistent) {
		g_autofree gchar *db = rdd_instance_dup_database_path(self->instance);
		if (!rdd_store_open(self->store, db, error))
			return FALSE;
	}
	if (!rdd_daemon_ensure_system_namespaces(self, error))
		return FALSE;
	if (self->plugin_dirs->len > 0) {
		for (guint i = 0; i < self->plugin_dirs->len; i++)
			rdd_plugin_loader_add_dir(self->loader, g_ptr_array_index(self->plugin_dirs, i));
	} else {
		rdd_plugin_loader_add_default_dirs(self->loader);
	}
	rdd_plugin_loader_load_all(self->loader);
	rdd_daemon_start_controllers(self);
	if (self->serve_api) {
		if (!rdd_daemon_start_api(self, error))
			return FALSE;
		rdd_api_server_set_ready(self->api, TRUE);
	}
	if (self->serve_dbus) {
		g_autoptr(GError) error_local = NULL;
		self->dbus = rdd_dbus_new(self->store, self->instance, self->loader);
		rdd_dbus_set_controllers(self->dbus, self->controllers);
		/* no session bus is fine (logged at info); this fails only on a defect */
		if (!rdd_dbus_start(self->dbus, &error_local))
			g_warning("running without D-Bus: %s", error_local->message);
	}
	return TRUE;
}

/**
 * rdd_daemon_is_idle:
 * @self: a daemon
 *
 * Returns: %TRUE when no controller has work queued or running and every write committed
 */
gboolean
rdd_daemon_is_idle(RddDaemon *self)
{
	g_return_val_if_fail(RDD_IS_DAEMON(self), TRUE);
	if (rdd_store_get_committed_resource_version(self->store) !=
	    rdd_store_get_resource_version(self->store))
		return FALSE;
	for (guint i = 0; i < self->running->len; i++) {
		if (!rdd_controller_is_idle(g_ptr_array_index(self->running, i)))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_daemon_settle_timeout_cb(gpointer user_data)
{
	gboolean *expired = user_data;
	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

/**
 * rdd_daemon_settle:
 * @self: a daemon
 * @timeout_ms: the most to wait
 *
 * Runs the main context until the daemon is idle (the `--immediate-exit` smoke mode).
 *
 * Returns: %TRUE when idle, %FALSE when @timeout_ms passed first
 */
gboolean
rdd_daemon_settle(RddDaemon *self, guint timeout_ms)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(timeout_ms, rdd_daemon_settle_timeout_cb, &expired);

	/* let the queued idles run at least once */
	while (g_main_context_iteration(NULL, FALSE))
		;
	while (!expired && !rdd_daemon_is_idle(self))
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	return !expired;
}

/**
 * rdd_daemon_stop:
 * @self: a daemon
 *
 * Stops the controllers, lets plugins unregister, commits what is pending and releases the
 * pid file. Safe to call twice.
 */
void
rdd_daemon_stop(RddDaemon *self)
{
	g_autoptr(GError) error_local = NULL;

	g_return_if_fail(RDD_IS_DAEMON(self));
	if (self->dbus != NULL)
		rdd_dbus_stop(self->dbus);
	if (self->api != NULL)
		rdd_api_server_disconnect(self->api);
	for (guint i = 0; i < self->running->len; i++)
		rdd_controller_stop(g_ptr_array_index(self->running, i));
	g_ptr_array_set_size(self->running, 0);
	if (self->loader != NULL && self->pid_fd >= 0)
		rdd_plugin_loader_unregister_all(self->loader);
	if (self->store != NULL && !rdd_store_flush(self->store, &error_local))
		g_warning("could not commit pending writes at shutdown: %s", error_local->message);
	if (self->store != NULL)
		rdd_store_close(self->store);
	rdd_daemon_release_pid_file(self);
}
