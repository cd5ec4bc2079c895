/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The limavm controller (reference §6.3, with limactl instead of an in-process Lima and a
 * host agent): Created, the template copy's owner and name, creating the instance, the
 * Running state machine, restarts for template changes and on request, recovery of crashed or
 * orphaned VMs, and cleanup on delete.
 *
 * A pass reads the LimaVM afresh, decides one thing, and either writes the status (which
 * queues the key again) or starts one limactl call; the call's callback writes what it found
 * and completes the deferred reconcile, or decides again (after a `list`).
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lima-plugin.h"

/* how deep the removal of a stale instance directory goes */
#define LIMA_RECONCILE_RMTREE_DEPTH 8
/* a create refused with "already exists" is tried again after this */
#define LIMA_RECONCILE_STALE_RETRY_MS 1000

typedef enum {
	LIMA_STEP_FAILED,
	LIMA_STEP_DONE,
	LIMA_STEP_PENDING, /* a limactl call runs; its callback goes on */
} LimaStep;

typedef struct {
	LimaPlugin *plugin;
	RddReconcile *rec; /* a deferred reference once an asynchronous call started */
	gboolean deferred;
	gchar *namespace;
	gchar *name;
	gchar *uid;
	gchar *template_rv; /* the template copy's resourceVersion an operation applies */
	gchar *template_file;
	gint64 generation;
	gboolean listed; /* `limactl list` ran in this pass */
} LimaPass;

static LimaStep lima_reconcile_step(LimaPass *pass, GError **error);

static LimaPass *
lima_reconcile_pass_new(LimaPlugin *self, RddReconcile *rec)
{
	LimaPass *pass = g_new0(LimaPass, 1);
	pass->plugin = lima_plugin_ref(self);
	pass->rec = rec;
	pass->namespace = g_strdup(rdd_reconcile_get_namespace(rec));
	pass->name = g_strdup(rdd_reconcile_get_name(rec));
	return pass;
}

static void
lima_reconcile_pass_free(LimaPass *pass)
{
	if (pass->template_file != NULL)
		g_unlink(pass->template_file);
	if (pass->deferred)
		rdd_reconcile_unref(pass->rec);
	lima_plugin_unref(pass->plugin);
	g_free(pass->namespace);
	g_free(pass->name);
	g_free(pass->uid);
	g_free(pass->template_rv);
	g_free(pass->template_file);
	g_free(pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(LimaPass, lima_reconcile_pass_free)

/* before an asynchronous call: the reconcile stays open until the pass completes it */
static void
lima_reconcile_pass_defer(LimaPass *pass)
{
	if (pass->deferred)
		return;
	pass->rec = rdd_reconcile_defer(pass->rec);
	pass->deferred = TRUE;
}

/* the end of a pass that went asynchronous */
static void
lima_reconcile_pass_finish(LimaPass *pass, LimaStep step, const GError *error)
{
	if (step == LIMA_STEP_PENDING)
		return;
	rdd_reconcile_complete(pass->rec, step == LIMA_STEP_FAILED ? error : NULL);
	lima_reconcile_pass_free(pass);
}

/* the callback of a call the runtime has given up on (deadline) or the controller stopped */
static gboolean
lima_reconcile_pass_cancelled(LimaPass *pass)
{
	if (!g_cancellable_is_cancelled(rdd_reconcile_get_cancellable(pass->rec)) && pass->plugin->store != NULL)
		return FALSE;
	g_debug("LimaVM %s/%s: reconcile cancelled", pass->namespace, pass->name);
	lima_reconcile_pass_finish(pass, LIMA_STEP_DONE, NULL);
	return TRUE;
}

static LimaVm *
lima_reconcile_pass_vm(LimaPass *pass)
{
	return lima_plugin_ensure_vm(pass->plugin, pass->namespace, pass->name);
}

static void
lima_reconcile_limactl(LimaPass *pass, const gchar *const *args, guint timeout_ms, GAsyncReadyCallback callback)
{
	lima_reconcile_pass_defer(pass);
	lima_limactl_run_async(pass->plugin, args, timeout_ms,
			       rdd_reconcile_get_cancellable(pass->rec), callback, pass);
}

/* ---------------------------------------------------------------------------------------- */
/* status */

static JsonNode *
lima_reconcile_new_object_node(void)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, json_object_new());
	return node;
}

static gboolean
lima_reconcile_apply_change(JsonObject *status, const LimaStatusChange *change, gint64 generation)
{
	gboolean changed = FALSE;

	if (change->created_status != NULL)
		changed |= rdd_conditions_set(status, RDD_COND_CREATED, change->created_status,
					      change->created_reason, change->created_message, generation);
	if (change->running_status != NULL) {
		/*
		 * restartCount counts the transitions into True/Started; finding a VM running after
		 * a daemon restart (Reconciling) is no new start
		 */
		const gchar *was_reason = rdd_conditions_get_reason(status, RDD_COND_RUNNING);
		gboolean was_started = (rdd_conditions_is_true(status, RDD_COND_RUNNING) &&
					g_strcmp0(was_reason, RDD_REASON_STARTED) == 0) ||
				       g_strcmp0(was_reason, RDD_REASON_RECONCILING) == 0;
		gboolean now_started = g_strcmp0(change->running_status, RDD_CONDITION_TRUE) == 0 &&
				       g_strcmp0(change->running_reason, RDD_REASON_STARTED) == 0;
		changed |= rdd_conditions_set(status, RDD_COND_RUNNING, change->running_status,
					      change->running_reason, change->running_message, generation);
		if (now_started && !was_started) {
			gint64 count = json_object_get_int_member_with_default(status, "restartCount", 0);
			json_object_set_int_member(status, "restartCount", count + 1);
			changed = TRUE;
		}
	}
	if (change->restart_needed >= 0) {
		gboolean want = change->restart_needed > 0;
		gboolean have = json_object_get_boolean_member_with_default(status, "restartNeeded", FALSE);
		if (want != have) {
			if (want)
				json_object_set_boolean_member(status, "restartNeeded", TRUE);
			else
				json_object_remove_member(status, "restartNeeded");
			changed = TRUE;
		}
	}
	if (change->observed_rv != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(status, "observedTemplateResourceVersion", NULL),
		      change->observed_rv) != 0) {
		json_object_set_string_member(status, "observedTemplateResourceVersion", change->observed_rv);
		changed = TRUE;
	}
	if (change->template_configmap != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(status, "templateConfigMap", NULL),
		      change->template_configmap) != 0) {
		json_object_set_string_member(status, "templateConfigMap", change->template_configmap);
		changed = TRUE;
	}
	return changed;
}

/**
 * lima_reconcile_write_status:
 * @self: the plugin
 * @namespace: the LimaVM's namespace
 * @name: its name
 * @change: what to change
 * @error: return location for an error
 *
 * Applies @change to the LimaVM as it is now in the store and writes the status when
 * something changed (with the object's resourceVersion; a conflict fails and is retried).
 * A LimaVM that is gone is not an error.
 *
 * Returns: %TRUE on success
 */
gboolean
lima_reconcile_write_status(LimaPlugin *self,
			    const gchar *namespace,
			    const gchar *name,
			    const LimaStatusChange *change,
			    GError **error)
{
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) written = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *status;

	if (self->store == NULL)
		return TRUE;
	obj = rdd_store_lookup(self->store, self->limavm_kind, namespace, name);
	if (obj == NULL)
		return TRUE;
	node = rdd_object_dup_node(obj);
	status = rdd_json_object_ensure_object(json_node_get_object(node), "status");
	if (!lima_reconcile_apply_change(status, change, rdd_object_get_generation(obj)))
		return TRUE;
	written = rdd_store_update_status(self->store, node, NULL, error);
	if (written == NULL) {
		g_prefix_error(error, "cannot write the status of LimaVM %s/%s: ", namespace, name);
		return FALSE;
	}
	return TRUE;
}

/**
 * lima_reconcile_remove_restart_annotation:
 * @self: the plugin
 * @obj: a LimaVM
 * @error: return location for an error
 *
 * Returns: %TRUE when the restart request is gone
 */
gboolean
lima_reconcile_remove_restart_annotation(LimaPlugin *self, RddObject *obj, GError **error)
{
	g_autoptr(JsonNode) patch = lima_reconcile_new_object_node();
	g_autoptr(RddObject) written = NULL;
	JsonObject *meta = rdd_json_object_ensure_object(json_node_get_object(patch), "metadata");
	JsonObject *annotations = rdd_json_object_ensure_object(meta, "annotations");

	json_object_set_null_member(annotations, RDD_ANNOTATION_RESTART_REQUESTED);
	written = rdd_store_patch(self->store, self->limavm_kind, rdd_object_get_namespace(obj),
				  rdd_object_get_name(obj), RDD_PATCH_MERGE, patch, FALSE, NULL, error);
	return written != NULL;
}

static LimaStep
lima_reconcile_write(LimaPass *pass, const LimaStatusChange *change, GError **error)
{
	if (!lima_reconcile_write_status(pass->plugin, pass->namespace, pass->name, change, error))
		return LIMA_STEP_FAILED;
	return LIMA_STEP_DONE;
}

/* ---------------------------------------------------------------------------------------- */
/* files */

static gchar *
lima_reconcile_lima_yaml(LimaPass *pass)
{
	return g_build_filename(rdd_instance_get_lima_home(pass->plugin->instance), pass->name,
				"lima.yaml", NULL);
}

/* the instance exists when Lima's configuration is there */
static gboolean
lima_reconcile_instance_exists(LimaPass *pass)
{
	g_autofree gchar *path = lima_reconcile_lima_yaml(pass);
	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
lima_reconcile_disk_matches(LimaPass *pass, const gchar *template)
{
	g_autofree gchar *path = lima_reconcile_lima_yaml(pass);
	g_autofree gchar *contents = NULL;

	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return FALSE;
	return g_strcmp0(contents, template) == 0;
}

static gboolean
lima_reconcile_write_lima_yaml(LimaPass *pass, const gchar *template, GError **error)
{
	g_autofree gchar *path = lima_reconcile_lima_yaml(pass);
	g_autoptr(GError) error_local = NULL;

	if (!g_file_set_contents_full(path, template, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error_local)) {
		rdd_error_convert(&error_local);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "cannot write the new template to %s: %s", path, error_local->message);
		return FALSE;
	}
	g_info("LimaVM %s/%s: wrote the new template to %s", pass->namespace, pass->name, path);
	return TRUE;
}

/* removes a directory tree (a stale instance directory); bounded depth, no symlinks followed */
static gboolean
lima_reconcile_rmtree(const gchar *path, guint depth, GError **error)
{
	GStatBuf st;

	if (g_lstat(path, &st) != 0)
		return TRUE;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) dir = NULL;
		const gchar *entry;
		if (depth == 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
				    "%s is nested too deeply to remove", path);
			return FALSE;
		}
		dir = g_dir_open(path, 0, NULL);
		while (dir != NULL && (entry = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, entry, NULL);
			if (!lima_reconcile_rmtree(child, depth - 1, error))
				return FALSE;
		}
		if (g_rmdir(path) != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot remove %s: %s",
				    path, g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	if (g_unlink(path) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot remove %s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* limactl operations */

static void
lima_reconcile_record_failure(LimaPass *pass)
{
	LimaVm *vm = lima_reconcile_pass_vm(pass);
	vm->retry_at = g_get_monotonic_time() + (gint64)pass->plugin->retry_ms * 1000;
	vm->failed_generation = pass->generation;
	vm->listed_at = 0; /* ask Lima what state the failure left */
}

/* a failed create or start waits before the same generation tries again */
static gboolean
lima_reconcile_must_wait(LimaPass *pass)
{
	LimaVm *vm = lima_reconcile_pass_vm(pass);
	gint64 now = g_get_monotonic_time();

	if (vm->retry_at <= now || vm->failed_generation != pass->generation)
		return FALSE;
	rdd_reconcile_requeue_after(pass->rec, (guint)MAX((vm->retry_at - now) / 1000, 1));
	return TRUE;
}

static void
lima_reconcile_list_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *output = NULL;
	LimaVm *vm;
	LimaPhase phase;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	if (!lima_limactl_run_finish(result, &output, &error)) {
		g_prefix_error(&error, "cannot tell the state of Lima instance %s: ", pass->name);
		lima_reconcile_pass_finish(pass, LIMA_STEP_FAILED, error);
		return;
	}
	vm = lima_reconcile_pass_vm(pass);
	phase = lima_limactl_parse_list(output, pass->name);
	if (vm->verified && phase != vm->phase)
		g_info("LimaVM %s/%s: Lima instance is %s (was %s)", pass->namespace, pass->name,
		       lima_limactl_phase_to_string(phase), lima_limactl_phase_to_string(vm->phase));
	vm->phase = phase;
	vm->verified = TRUE;
	vm->listed_at = g_get_monotonic_time();
	pass->listed = TRUE;
	lima_reconcile_pass_finish(pass, lima_reconcile_step(pass, &error), error);
}

static LimaStep
lima_reconcile_list(LimaPass *pass)
{
	const gchar *args[] = {"list", "--json", NULL};
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_list_ms, lima_reconcile_list_cb);
	return LIMA_STEP_PENDING;
}

static void
lima_reconcile_start_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(GError) error_op = NULL;
	g_autoptr(GError) error = NULL;
	LimaVm *vm;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	vm = lima_reconcile_pass_vm(pass);
	if (!lima_limactl_run_finish(result, NULL, &error_op)) {
		g_info("LimaVM %s/%s: %s", pass->namespace, pass->name, error_op->message);
		lima_reconcile_record_failure(pass);
		change.running_status = RDD_CONDITION_FALSE;
		change.running_reason = RDD_REASON_START_FAILED;
		change.running_message = error_op->message;
		lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
		return;
	}
	vm->phase = LIMA_PHASE_RUNNING;
	vm->verified = TRUE;
	vm->listed_at = g_get_monotonic_time();
	vm->retry_at = 0;
	change.running_status = RDD_CONDITION_TRUE;
	change.running_reason = RDD_REASON_STARTED;
	change.running_message = "Lima instance is running";
	change.restart_needed = 0;
	change.observed_rv = pass->template_rv;
	lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
}

/* Running=False/Starting, then `limactl start` */
static LimaStep
lima_reconcile_start(LimaPass *pass, const gchar *message, GError **error)
{
	const gchar *args[] = {"start", "--tty=false", pass->name, NULL};
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;

	change.running_status = RDD_CONDITION_FALSE;
	change.running_reason = RDD_REASON_STARTING;
	change.running_message = message;
	if (lima_reconcile_write(pass, &change, error) == LIMA_STEP_FAILED)
		return LIMA_STEP_FAILED;
	g_info("LimaVM %s/%s: starting the Lima instance", pass->namespace, pass->name);
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_start_ms, lima_reconcile_start_cb);
	return LIMA_STEP_PENDING;
}

typedef enum {
	LIMA_STOP_PLAIN,       /* desired state is stopped */
	LIMA_STOP_FOR_RESTART, /* restartNeeded: start again afterwards */
	LIMA_STOP_BROKEN,      /* crashed: force it down, then start at once */
} LimaStopPurpose;

typedef struct {
	LimaPass *pass;
	LimaStopPurpose purpose;
} LimaStopCall;

static void
lima_reconcile_stop_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaStopCall *call = user_data;
	LimaPass *pass = call->pass;
	LimaStopPurpose purpose = call->purpose;
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(GError) error_op = NULL;
	g_autoptr(GError) error = NULL;
	LimaVm *vm;

	g_free(call);
	if (lima_reconcile_pass_cancelled(pass))
		return;
	vm = lima_reconcile_pass_vm(pass);
	if (!lima_limactl_run_finish(result, NULL, &error_op)) {
		g_info("LimaVM %s/%s: %s", pass->namespace, pass->name, error_op->message);
		vm->listed_at = 0;
		lima_reconcile_record_failure(pass);
		change.running_status = RDD_CONDITION_FALSE;
		change.running_reason = RDD_REASON_STOP_FAILED;
		change.running_message = error_op->message;
		lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
		return;
	}
	vm->phase = LIMA_PHASE_STOPPED;
	vm->listed_at = g_get_monotonic_time();
	if (purpose == LIMA_STOP_BROKEN) {
		LimaStep step =
			lima_reconcile_start(pass, "Lima instance was broken; starting it again", &error);
		lima_reconcile_pass_finish(pass, step, error);
		return;
	}
	change.running_status = RDD_CONDITION_FALSE;
	change.running_reason = RDD_REASON_STOPPED;
	change.running_message = purpose == LIMA_STOP_FOR_RESTART ? "Stopped for restart" :
								    "Lima instance stopped successfully";
	lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
}

static LimaStep
lima_reconcile_stop(LimaPass *pass, LimaStopPurpose purpose, gboolean force)
{
	const gchar *args_plain[] = {"stop", pass->name, NULL};
	const gchar *args_force[] = {"stop", "--force", pass->name, NULL};
	LimaStopCall *call = g_new0(LimaStopCall, 1);

	call->pass = pass;
	call->purpose = purpose;
	g_info("LimaVM %s/%s: stopping the Lima instance%s", pass->namespace, pass->name,
	       force ? " (forced)" : "");
	lima_reconcile_pass_defer(pass);
	lima_limactl_run_async(pass->plugin, force ? args_force : args_plain, pass->plugin->timeout_stop_ms,
			       rdd_reconcile_get_cancellable(pass->rec), lima_reconcile_stop_cb, call);
	return LIMA_STEP_PENDING;
}

static void
lima_reconcile_create_delete_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = NULL;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	if (!lima_limactl_run_finish(result, NULL, &error))
		g_debug("LimaVM %s/%s: %s", pass->namespace, pass->name, error->message);
	g_clear_error(&error);
	/* what limactl could not delete goes by hand */
	dir = lima_plugin_dup_instance_dir(pass->plugin, pass->name);
	if (!lima_reconcile_rmtree(dir, LIMA_RECONCILE_RMTREE_DEPTH, &error)) {
		lima_reconcile_pass_finish(pass, LIMA_STEP_FAILED, error);
		return;
	}
	rdd_reconcile_requeue_after(pass->rec, LIMA_RECONCILE_STALE_RETRY_MS);
	lima_reconcile_pass_finish(pass, LIMA_STEP_DONE, NULL);
}

static void
lima_reconcile_create_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(GError) error_op = NULL;
	g_autoptr(GError) error = NULL;
	LimaVm *vm;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	vm = lima_reconcile_pass_vm(pass);
	if (!lima_limactl_run_finish(result, NULL, &error_op)) {
		if (strstr(error_op->message, "already exists") != NULL) {
			/* a stale directory without lima.yaml: remove it and create again */
			const gchar *args[] = {"delete", "--force", pass->name, NULL};
			g_info("LimaVM %s/%s: removing a stale Lima instance directory",
			       pass->namespace, pass->name);
			lima_reconcile_limactl(pass, args, pass->plugin->timeout_delete_ms,
					       lima_reconcile_create_delete_cb);
			return;
		}
		g_info("LimaVM %s/%s: %s", pass->namespace, pass->name, error_op->message);
		lima_reconcile_record_failure(pass);
		change.created_status = RDD_CONDITION_FALSE;
		change.created_reason = RDD_REASON_CREATE_FAILED;
		change.created_message = error_op->message;
		lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
		return;
	}
	vm->phase = LIMA_PHASE_STOPPED;
	vm->verified = TRUE;
	vm->listed_at = g_get_monotonic_time();
	vm->retry_at = 0;
	change.created_status = RDD_CONDITION_TRUE;
	change.created_reason = RDD_REASON_CREATED;
	change.created_message = "Lima instance created successfully";
	change.observed_rv = pass->template_rv;
	lima_reconcile_pass_finish(pass, lima_reconcile_write(pass, &change, &error), error);
}

static LimaStep
lima_reconcile_create(LimaPass *pass, RddObject *cm, JsonObject *status, GError **error)
{
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(JsonNode) data = rdd_object_dup_member(cm, "data");
	const gchar *template = rdd_json_lookup_string(data, RDD_TEMPLATE_DATA_KEY);
	g_autofree gchar *cm_rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(cm));
	g_autofree gchar *dir = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *args[] = {"create", NULL, "--tty=false", NULL, NULL};
	g_autofree gchar *name_arg = NULL;

	if (g_strcmp0(rdd_conditions_get_reason(status, RDD_COND_CREATED), RDD_REASON_CREATE_FAILED) == 0 &&
	    lima_reconcile_must_wait(pass))
		return LIMA_STEP_DONE;

	/* there already (a crash between create and the status write): adopt it */
	if (lima_reconcile_instance_exists(pass)) {
		change.created_status = RDD_CONDITION_TRUE;
		change.created_reason = RDD_REASON_CREATED;
		change.created_message = "Lima instance exists";
		if (template != NULL && lima_reconcile_disk_matches(pass, template))
			change.observed_rv = cm_rv;
		return lima_reconcile_write(pass, &change, error);
	}
	if (template == NULL || template[0] == '\0') {
		change.created_status = RDD_CONDITION_FALSE;
		change.created_reason = RDD_REASON_CREATE_FAILED;
		change.created_message = "template ConfigMap missing template data";
		lima_reconcile_record_failure(pass);
		return lima_reconcile_write(pass, &change, error);
	}

	/* limactl reads the template from a file; `_`-prefixed directories are not instances */
	dir = g_build_filename(rdd_instance_get_lima_home(pass->plugin->instance), "_rdd", NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "cannot create %s: %s", dir,
			    g_strerror(errno));
		return LIMA_STEP_FAILED;
	}
	pass->template_file = g_strdup_printf("%s/%s.yaml", dir, pass->name);
	if (!g_file_set_contents_full(pass->template_file, template, -1,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error_local)) {
		rdd_error_convert(&error_local);
		g_propagate_prefixed_error(error, g_steal_pointer(&error_local),
					   "cannot write the template for limactl: ");
		return LIMA_STEP_FAILED;
	}
	pass->template_rv = g_steal_pointer(&cm_rv);
	name_arg = g_strdup_printf("--name=%s", pass->name);
	args[1] = name_arg;
	args[3] = pass->template_file;
	g_info("LimaVM %s/%s: creating the Lima instance", pass->namespace, pass->name);
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_create_ms, lima_reconcile_create_cb);
	return LIMA_STEP_PENDING;
}

/* ---------------------------------------------------------------------------------------- */
/* leftovers */

static void
lima_reconcile_leftover_delete_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	if (!lima_limactl_run_finish(result, NULL, &error)) {
		g_prefix_error(&error, "cannot delete the leftover Lima instance %s: ", pass->name);
		lima_reconcile_pass_finish(pass, LIMA_STEP_FAILED, error);
		return;
	}
	lima_reconcile_pass_vm(pass)->phase = LIMA_PHASE_ABSENT;
	lima_reconcile_pass_finish(pass, lima_reconcile_step(pass, &error), error);
}

static void
lima_reconcile_leftover_stop_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"delete", "--force", pass->name, NULL};

	if (lima_reconcile_pass_cancelled(pass))
		return;
	/* a stopped leftover refuses nothing here; a failure shows in the delete */
	if (!lima_limactl_run_finish(result, NULL, &error))
		g_debug("LimaVM %s/%s: %s", pass->namespace, pass->name, error->message);
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_delete_ms, lima_reconcile_leftover_delete_cb);
}

/* an instance of this name from before this LimaVM existed: force it down and delete it */
static LimaStep
lima_reconcile_remove_leftover(LimaPass *pass)
{
	const gchar *args[] = {"stop", "--force", pass->name, NULL};
	g_info("LimaVM %s/%s: deleting a leftover Lima instance of the same name", pass->namespace, pass->name);
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_stop_ms, lima_reconcile_leftover_stop_cb);
	return LIMA_STEP_PENDING;
}

/* ---------------------------------------------------------------------------------------- */
/* the pass */

static gboolean
lima_reconcile_own_template(LimaPass *pass, RddObject *vm_obj, RddObject *cm, gboolean *changed, GError **error)
{
	const RddOwnerReference *controller_ref = rdd_object_get_controller_reference(cm);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) written = NULL;
	JsonObject *meta, *ref;
	JsonArray *refs;

	if (rdd_object_is_owned_by(cm, rdd_object_get_uid(vm_obj)))
		return TRUE;
	if (controller_ref != NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
			    "the template ConfigMap %s/%s is controlled by %s %s, not by this LimaVM",
			    rdd_object_get_namespace(cm), rdd_object_get_name(cm),
			    controller_ref->kind, controller_ref->name);
		return FALSE;
	}
	node = rdd_object_dup_node(cm);
	meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	refs = rdd_json_object_ensure_array(meta, "ownerReferences");
	ref = json_object_new();
	json_object_set_string_member(ref, "apiVersion", RDD_LIMA_API_VERSION);
	json_object_set_string_member(ref, "kind", LIMA_KIND);
	json_object_set_string_member(ref, "name", rdd_object_get_name(vm_obj));
	json_object_set_string_member(ref, "uid", rdd_object_get_uid(vm_obj));
	json_object_set_boolean_member(ref, "controller", TRUE);
	json_object_set_boolean_member(ref, "blockOwnerDeletion", TRUE);
	json_array_add_object_element(refs, ref);
	written = rdd_store_update(pass->plugin->store, node, NULL, error);
	if (written == NULL) {
		g_prefix_error(error, "cannot set the owner of ConfigMap %s/%s: ", rdd_object_get_namespace(cm),
			       rdd_object_get_name(cm));
		return FALSE;
	}
	*changed = TRUE;
	return TRUE;
}

/* Created=True from here on; the phase is known */
static LimaStep
lima_reconcile_running(LimaPass *pass, RddObject *obj, RddObject *cm, JsonObject *status, gboolean desired, GError **error)
{
	LimaPlugin *self = pass->plugin;
	LimaVm *vm = lima_reconcile_pass_vm(pass);
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autofree gchar *cm_rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(cm));
	g_autofree gchar *restart = rdd_object_dup_annotation(obj, RDD_ANNOTATION_RESTART_REQUESTED);
	g_autoptr(JsonNode) data = rdd_object_dup_member(cm, "data");
	const gchar *template = rdd_json_lookup_string(data, RDD_TEMPLATE_DATA_KEY);
	const gchar *observed =
		json_object_get_string_member_with_default(status, "observedTemplateResourceVersion", NULL);
	gboolean restart_needed = json_object_get_boolean_member_with_default(status, "restartNeeded", FALSE);
	gboolean pending = g_strcmp0(cm_rv, observed) != 0;
	gboolean active = vm->phase == LIMA_PHASE_RUNNING || vm->phase == LIMA_PHASE_BROKEN;
	gboolean same = pending && template != NULL && lima_reconcile_disk_matches(pass, template);

	/* a restart request: first remember it in the status, then drop the annotation */
	if (restart != NULL) {
		if (!restart_needed) {
			g_info("LimaVM %s/%s: restart requested", pass->namespace, pass->name);
			change.restart_needed = 1;
			return lima_reconcile_write(pass, &change, error);
		}
		if (!lima_reconcile_remove_restart_annotation(self, obj, error))
			return LIMA_STEP_FAILED;
		return LIMA_STEP_DONE;
	}

	/* a new template: the same text needs nothing; a running VM restarts to apply it */
	if (pending) {
		if (same && !restart_needed) {
			change.observed_rv = cm_rv;
			return lima_reconcile_write(pass, &change, error);
		}
		if (!same && active && desired && !restart_needed) {
			g_info("LimaVM %s/%s: the template changed; restarting to apply it",
			       pass->namespace, pass->name);
			change.restart_needed = 1;
			return lima_reconcile_write(pass, &change, error);
		}
		if (template == NULL || template[0] == '\0') {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "the template ConfigMap %s/%s has no template data",
				    rdd_object_get_namespace(cm), rdd_object_get_name(cm));
			return LIMA_STEP_FAILED;
		}
	}

	if (restart_needed) {
		if (active)
			return lima_reconcile_stop(pass, LIMA_STOP_FOR_RESTART, vm->phase == LIMA_PHASE_BROKEN);
		if (pending) {
			if (!same && !lima_reconcile_write_lima_yaml(pass, template, error))
				return LIMA_STEP_FAILED;
			g_free(pass->template_rv);
			pass->template_rv = g_strdup(cm_rv);
		}
		if (desired) {
			if (lima_reconcile_must_wait(pass))
				return LIMA_STEP_DONE;
			return lima_reconcile_start(pass, "Lima instance is starting", error);
		}
		change.restart_needed = 0;
		change.observed_rv = pass->template_rv;
		change.running_status = RDD_CONDITION_FALSE;
		change.running_reason = RDD_REASON_STOPPED;
		change.running_message = "Lima instance is stopped";
		return lima_reconcile_write(pass, &change, error);
	}

	/* a stopped VM takes the new template at once */
	if (pending && !active) {
		if (!lima_reconcile_write_lima_yaml(pass, template, error))
			return LIMA_STEP_FAILED;
		change.observed_rv = cm_rv;
		return lima_reconcile_write(pass, &change, error);
	}

	if (desired) {
		rdd_reconcile_requeue_after(pass->rec, self->poll_ms);
		switch (vm->phase) {
		case LIMA_PHASE_RUNNING:
			change.running_status = RDD_CONDITION_TRUE;
			change.running_reason = RDD_REASON_STARTED;
			change.running_message = "Lima instance is running";
			return lima_reconcile_write(pass, &change, error);
		case LIMA_PHASE_BROKEN:
			if (lima_reconcile_must_wait(pass))
				return LIMA_STEP_DONE;
			g_info("LimaVM %s/%s: the Lima instance is broken; restarting it",
			       pass->namespace, pass->name);
			change.running_status = RDD_CONDITION_FALSE;
			change.running_reason = RDD_REASON_STARTING;
			change.running_message = "Lima instance is broken; restarting it";
			if (lima_reconcile_write(pass, &change, error) == LIMA_STEP_FAILED)
				return LIMA_STEP_FAILED;
			return lima_reconcile_stop(pass, LIMA_STOP_BROKEN, TRUE);
		case LIMA_PHASE_STOPPED:
		default:
			if (lima_reconcile_must_wait(pass))
				return LIMA_STEP_DONE;
			return lima_reconcile_start(pass, "Lima instance is starting", error);
		}
	}
	if (active)
		return lima_reconcile_stop(pass, LIMA_STOP_PLAIN, vm->phase == LIMA_PHASE_BROKEN);
	change.running_status = RDD_CONDITION_FALSE;
	change.running_reason = RDD_REASON_STOPPED;
	change.running_message = "Lima instance is stopped";
	return lima_reconcile_write(pass, &change, error);
}

static LimaStep
lima_reconcile_step(LimaPass *pass, GError **error)
{
	LimaPlugin *self = pass->plugin;
	LimaStatusChange change = LIMA_STATUS_CHANGE_INIT;
	g_autoptr(RddObject) obj = NULL;
	g_autoptr(RddObject) cm = NULL;
	g_autoptr(JsonNode) spec = NULL;
	g_autoptr(JsonNode) status_node = NULL;
	g_autoptr(JsonObject) empty = json_object_new();
	g_autofree gchar *cm_name = NULL;
	g_autofree gchar *cm_rv = NULL;
	JsonObject *status;
	JsonObject *created;
	const gchar *vm_type;
	const gchar *template_configmap;
	gboolean desired, changed = FALSE;
	LimaVm *vm;
	gint64 now;

	if (self->store == NULL)
		return LIMA_STEP_DONE;
	obj = rdd_store_lookup(self->store, self->limavm_kind, pass->namespace, pass->name);
	if (obj == NULL || rdd_object_is_deleting(obj))
		return LIMA_STEP_DONE; /* the finalize run takes over */
	g_free(pass->uid);
	pass->uid = g_strdup(rdd_object_get_uid(obj));
	pass->generation = rdd_object_get_generation(obj);
	vm = lima_reconcile_pass_vm(pass);
	spec = rdd_object_dup_member(obj, "spec");
	status_node = rdd_object_dup_member(obj, "status");
	status = status_node != NULL && JSON_NODE_HOLDS_OBJECT(status_node) ?
			 json_node_get_object(status_node) :
			 empty;
	desired = json_object_get_boolean_member_with_default(json_node_get_object(spec), "running", FALSE);
	vm_type = rdd_json_lookup_string(spec, "vmType");
	if (vm_type == NULL)
		vm_type = RDD_VM_TYPE_LIMA;

	/* 1. a first condition says the LimaVM was seen */
	if (rdd_conditions_find(status, RDD_COND_CREATED) == NULL) {
		change.created_status = RDD_CONDITION_UNKNOWN;
		change.created_reason = RDD_REASON_PENDING;
		change.created_message = "Reconciliation in progress";
		return lima_reconcile_write(pass, &change, error);
	}

	/* 2. the template copy made at admission, owned by this LimaVM */
	cm_name = g_strconcat(pass->name, RDD_TEMPLATE_SUFFIX, NULL);
	cm = rdd_store_lookup(self->store, self->configmap_kind, pass->namespace, cm_name);
	if (cm == NULL) {
		g_autofree gchar *message = g_strdup_printf("the template ConfigMap %s/%s does not exist",
							    pass->namespace, cm_name);
		if (!rdd_conditions_is_true(status, RDD_COND_CREATED)) {
			change.created_status = RDD_CONDITION_FALSE;
			change.created_reason = RDD_REASON_CREATE_FAILED;
			change.created_message = message;
			if (lima_reconcile_write(pass, &change, error) == LIMA_STEP_FAILED)
				return LIMA_STEP_FAILED;
		}
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, message);
		return LIMA_STEP_FAILED;
	}
	if (!lima_reconcile_own_template(pass, obj, cm, &changed, error))
		return LIMA_STEP_FAILED;
	if (changed)
		return LIMA_STEP_DONE;
	cm_rv = g_strdup_printf("%" G_GUINT64_FORMAT, rdd_object_get_resource_version(cm));

	/* 3. an instance of this name that predates the LimaVM goes first */
	template_configmap = json_object_get_string_member_with_default(status, "templateConfigMap", NULL);
	if (g_strcmp0(template_configmap, cm_name) != 0) {
		if ((template_configmap == NULL || template_configmap[0] == '\0') &&
		    g_strcmp0(vm_type, RDD_VM_TYPE_HOST) != 0 && lima_reconcile_instance_exists(pass))
			return lima_reconcile_remove_leftover(pass);
		change.template_configmap = cm_name;
		return lima_reconcile_write(pass, &change, error);
	}

	/* host mode: no VM; its own module, synchronous up to its ping */
	if (g_strcmp0(vm_type, RDD_VM_TYPE_HOST) == 0) {
		if (pass->deferred) {
			rdd_reconcile_requeue_after(pass->rec, 1);
			return LIMA_STEP_DONE;
		}
		return lima_host_reconcile(self, pass->rec, obj, cm_rv, error) ? LIMA_STEP_DONE : LIMA_STEP_FAILED;
	}

	/* 4. the Lima instance */
	if (!rdd_conditions_is_true(status, RDD_COND_CREATED))
		return lima_reconcile_create(pass, cm, status, error);
	if (!lima_reconcile_instance_exists(pass) || vm->phase == LIMA_PHASE_ABSENT) {
		/* deleted behind our back, or Created came from host mode */
		g_info("LimaVM %s/%s: the Lima instance does not exist; creating it",
		       pass->namespace, pass->name);
		vm->phase = LIMA_PHASE_UNKNOWN;
		change.created_status = RDD_CONDITION_UNKNOWN;
		change.created_reason = RDD_REASON_PENDING;
		change.created_message = "Lima instance does not exist; creating it";
		if (rdd_conditions_find(status, RDD_COND_RUNNING) != NULL) {
			change.running_status = RDD_CONDITION_FALSE;
			change.running_reason = RDD_REASON_STOPPED;
			change.running_message = "Lima instance does not exist";
		}
		return lima_reconcile_write(pass, &change, error);
	}
	/* back from host mode to an instance that was kept: say so instead of the host message */
	created = rdd_conditions_find(status, RDD_COND_CREATED);
	if (created != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(created, "message", NULL), LIMA_HOST_CREATED_MESSAGE) == 0) {
		change.created_status = RDD_CONDITION_TRUE;
		change.created_reason = RDD_REASON_CREATED;
		change.created_message = "Lima instance exists";
		return lima_reconcile_write(pass, &change, error);
	}

	/* 5. what state is it in? after a daemon restart, and every few seconds while it runs */
	now = g_get_monotonic_time();
	if (!pass->listed &&
	    (!vm->verified || (desired && now - vm->listed_at >= (gint64)self->poll_ms * 1000))) {
		if (!vm->verified && desired &&
		    !(g_strcmp0(rdd_conditions_get_status(status, RDD_COND_RUNNING), RDD_CONDITION_UNKNOWN) == 0 &&
		      g_strcmp0(rdd_conditions_get_reason(status, RDD_COND_RUNNING), RDD_REASON_RECONCILING) == 0)) {
			change.running_status = RDD_CONDITION_UNKNOWN;
			change.running_reason = RDD_REASON_RECONCILING;
			change.running_message = "Verifying instance state after controller restart";
			return lima_reconcile_write(pass, &change, error);
		}
		return lima_reconcile_list(pass);
	}
	return lima_reconcile_running(pass, obj, cm, status, desired, error);
}

/**
 * lima_reconcile:
 * @controller: the limavm controller
 * @reconcile: the run
 * @user_data: the plugin
 * @error: return location for an error
 *
 * One pass of the LimaVM state machine.
 *
 * Returns: %TRUE on success
 */
gboolean
lima_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	LimaPlugin *self = user_data;
	LimaPass *pass;
	LimaStep step;

	if (rdd_reconcile_get_object(reconcile) == NULL) {
		lima_plugin_forget_vm(self, rdd_reconcile_get_namespace(reconcile),
				      rdd_reconcile_get_name(reconcile));
		return TRUE;
	}
	pass = lima_reconcile_pass_new(self, reconcile);
	step = lima_reconcile_step(pass, error);
	if (step == LIMA_STEP_PENDING)
		return TRUE; /* the pass owns itself and its deferred reconcile now */
	lima_reconcile_pass_free(pass);
	return step == LIMA_STEP_DONE;
}

/* ---------------------------------------------------------------------------------------- */
/* deletion */

/* reference DeleteOwnedResources: strip owned-by finalizers, then delete */
static gboolean
lima_reconcile_delete_owned(LimaPass *pass, GError **error)
{
	LimaPlugin *self = pass->plugin;
	GPtrArray *kinds = rdd_store_get_kinds(self->store);
	g_autofree gchar *cm_name = g_strconcat(pass->name, RDD_TEMPLATE_SUFFIX, NULL);
	g_autoptr(GError) first = NULL;

	for (guint k = 0; k < kinds->len; k++) {
		RddKind *kind = g_ptr_array_index(kinds, k);
		g_autoptr(RddListResult) list = NULL;
		RddListOptions options = {0};
		if (!rdd_kind_is_namespaced(kind))
			continue;
		options.namespace = pass->namespace;
		list = rdd_store_list(self->store, kind, &options, NULL);
		for (guint i = 0; list != NULL && i < list->items->len; i++) {
			RddObject *item = g_ptr_array_index(list->items, i);
			g_autoptr(RddObject) current = rdd_object_ref(item);
			g_autoptr(RddObject) gone = NULL;
			g_autoptr(GError) error_local = NULL;
			const gchar *const *finalizers;
			/* a copy never adopted (the LimaVM went before its first reconcile) is ours too */
			gboolean owned = rdd_object_is_owned_by(item, pass->uid) ||
					 (kind == self->configmap_kind &&
					  g_strcmp0(rdd_object_get_name(item), cm_name) == 0 &&
					  rdd_object_get_n_owner_references(item) == 0 &&
					  rdd_object_has_finalizer(item, RDD_FINALIZER_OWNED_BY_LIMAVM));
			if (!owned)
				continue;
			finalizers = rdd_object_get_finalizers(item);
			for (guint f = 0; finalizers != NULL && finalizers[f] != NULL; f++) {
				g_autoptr(RddObject) fresh = NULL;
				if (!g_str_has_prefix(finalizers[f], RDD_FINALIZER_OWNED_BY_PREFIX))
					continue;
				fresh = rdd_store_lookup(self->store, kind, pass->namespace,
							 rdd_object_get_name(item));
				if (fresh == NULL)
					break;
				if (!rdd_store_remove_finalizer(self->store, fresh, finalizers[f], &error_local))
					break;
			}
			if (error_local == NULL)
				gone = rdd_store_delete(self->store, kind, pass->namespace,
							rdd_object_get_name(current), NULL, &error_local);
			if (error_local != NULL && !g_error_matches(error_local, RDD_ERROR, RDD_ERROR_NOT_FOUND)) {
				g_info("LimaVM %s/%s: cannot delete %s %s: %s", pass->namespace,
				       pass->name, rdd_kind_get_name(kind),
				       rdd_object_get_name(item), error_local->message);
				if (first == NULL)
					first = g_steal_pointer(&error_local);
			}
		}
	}
	if (first != NULL) {
		g_propagate_prefixed_error(error, g_steal_pointer(&first),
					   "cannot delete what LimaVM %s owns: ", pass->name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
lima_reconcile_finish_delete(LimaPass *pass, GError **error)
{
	if (!lima_reconcile_delete_owned(pass, error))
		return FALSE;
	lima_plugin_forget_vm(pass->plugin, pass->namespace, pass->name);
	g_info("LimaVM %s/%s: cleaned up", pass->namespace, pass->name);
	return TRUE;
}

static void
lima_reconcile_finalize_delete_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;

	if (lima_reconcile_pass_cancelled(pass))
		return;
	if (!lima_limactl_run_finish(result, NULL, &error)) {
		g_prefix_error(&error, "cannot delete the Lima instance %s: ", pass->name);
		lima_reconcile_pass_finish(pass, LIMA_STEP_FAILED, error);
		return;
	}
	lima_reconcile_pass_finish(
		pass, lima_reconcile_finish_delete(pass, &error) ? LIMA_STEP_DONE : LIMA_STEP_FAILED, error);
}

static void
lima_reconcile_finalize_stop_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LimaPass *pass = user_data;
	g_autoptr(GError) error = NULL;
	const gchar *args[] = {"delete", "--force", pass->name, NULL};

	if (lima_reconcile_pass_cancelled(pass))
		return;
	/* `delete --force` stops what `stop --force` could not */
	if (!lima_limactl_run_finish(result, NULL, &error))
		g_info("LimaVM %s/%s: %s", pass->namespace, pass->name, error->message);
	lima_reconcile_limactl(pass, args, pass->plugin->timeout_delete_ms, lima_reconcile_finalize_delete_cb);
}

/**
 * lima_reconcile_finalize:
 * @controller: the limavm controller
 * @reconcile: the run
 * @user_data: the plugin
 * @error: return location for an error
 *
 * A LimaVM is being deleted: force the instance down, delete it, and delete what the LimaVM
 * owns; the runtime then removes the cleanup finalizer.
 *
 * Returns: %TRUE on success
 */
gboolean
lima_reconcile_finalize(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error)
{
	LimaPlugin *self = user_data;
	RddObject *obj = rdd_reconcile_get_object(reconcile);
	g_autoptr(LimaPass) pass = lima_reconcile_pass_new(self, reconcile);
	g_autoptr(JsonNode) spec = rdd_object_dup_member(obj, "spec");
	g_autofree gchar *dir = lima_plugin_dup_instance_dir(self, pass->name);
	const gchar *vm_type = rdd_json_lookup_string(spec, "vmType");

	pass->uid = g_strdup(rdd_object_get_uid(obj));
	if (g_strcmp0(vm_type, RDD_VM_TYPE_HOST) == 0) {
		if (!lima_host_unlink(self, error))
			return FALSE;
	}
	/* only the instance of this LimaVM: in host mode a Lima instance of the name is a leftover too */
	if (g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		const gchar *args[] = {"stop", "--force", pass->name, NULL};
		g_info("LimaVM %s/%s: deleting the Lima instance", pass->namespace, pass->name);
		lima_reconcile_limactl(pass, args, self->timeout_stop_ms, lima_reconcile_finalize_stop_cb);
		g_steal_pointer(&pass);
		return TRUE;
	}
	return lima_reconcile_finish_delete(pass, error);
}
