/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Private to the lima plugin.
 */

#pragma once

#include "rdd-core.h"

G_BEGIN_DECLS

#define LIMA_PLUGIN_NAME "lima"
#define LIMA_CONTROLLER_NAME "limavm"
#define LIMA_CONTROLLER_GROUP "lima"
#define LIMA_KIND "LimaVM"
/* the Created message of a LimaVM in host mode */
#define LIMA_HOST_CREATED_MESSAGE "host mode needs no VM"
/* our hint on a template copy: the VM type of the LimaVM it was made for */
#define LIMA_ANNOTATION_VM_TYPE "lima.rancherdesktop.io/vm-type"

/* the state of a Lima instance as `limactl list` tells it */
typedef enum {
	LIMA_PHASE_UNKNOWN, /* not asked since the daemon started */
	LIMA_PHASE_ABSENT,  /* no such instance */
	LIMA_PHASE_STOPPED,
	LIMA_PHASE_RUNNING,
	LIMA_PHASE_BROKEN,
} LimaPhase;

/* what the controller remembers about one LimaVM between reconciles (never persisted) */
typedef struct {
	LimaPhase phase;
	gboolean verified;	  /* a list told the phase since the daemon started */
	gint64 listed_at;	  /* monotonic time of the last list, 0 for never */
	gint64 retry_at;	  /* after a failed create or start: not again before this */
	gint64 failed_generation; /* the generation that failed */
	gboolean engine_up;	  /* host mode: the last ping answered */
} LimaVm;

typedef struct {
	gint ref_count;
	RddStore *store; /* (not owned): cleared when the store goes */
	RddInstance *instance;
	RddKind *limavm_kind;
	RddKind *configmap_kind;
	GHashTable *vms; /* "ns/name" -> LimaVm */
	/* limactl deadlines */
	guint timeout_create_ms;
	guint timeout_start_ms;
	guint timeout_stop_ms;
	guint timeout_delete_ms;
	guint timeout_list_ms;
	guint poll_ms;	       /* how often a VM that should run is checked */
	guint retry_ms;	       /* how long a failed create or start waits */
	guint host_ping_ms;    /* host mode: how often the engine is pinged */
	guint host_timeout_ms; /* host mode: one ping's deadline */
} LimaPlugin;

LimaPlugin *lima_plugin_ref(LimaPlugin *self);
void lima_plugin_unref(LimaPlugin *self);
LimaVm *lima_plugin_ensure_vm(LimaPlugin *self, const gchar *namespace, const gchar *name);
void lima_plugin_forget_vm(LimaPlugin *self, const gchar *namespace, const gchar *name);
gchar *lima_plugin_dup_instance_dir(LimaPlugin *self, const gchar *name);
guint lima_plugin_get_deadline_ms(LimaPlugin *self);

/* lima-template.c */
gboolean lima_template_parse_size(const gchar *text, guint64 *bytes, GError **error);
gboolean lima_template_validate(const gchar *text, const gchar *vm_type, GError **error);

/* lima-admission.c */
void lima_admission_register(LimaPlugin *self, RddPluginContext *context);

/* lima-limactl.c */
gchar *lima_limactl_find(GError **error);
void lima_limactl_run_async(LimaPlugin *self,
			    const gchar *const *args,
			    guint timeout_ms,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean lima_limactl_run_finish(GAsyncResult *result, gchar **stdout_text, GError **error);
LimaPhase lima_limactl_parse_list(const gchar *output, const gchar *name);
const gchar *lima_limactl_phase_to_string(LimaPhase phase);

/* lima-reconcile.c */

/* a change of a LimaVM's status; NULL/-1 members leave the field alone */
typedef struct {
	const gchar *created_status;
	const gchar *created_reason;
	const gchar *created_message;
	const gchar *running_status;
	const gchar *running_reason;
	const gchar *running_message;
	gint restart_needed;		 /* -1 keep, 0 clear, 1 set */
	const gchar *observed_rv;	 /* status.observedTemplateResourceVersion */
	const gchar *template_configmap; /* status.templateConfigMap */
} LimaStatusChange;

#define LIMA_STATUS_CHANGE_INIT                                    \
	{                                                          \
		NULL, NULL, NULL, NULL, NULL, NULL, -1, NULL, NULL \
	}

gboolean lima_reconcile(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error);
gboolean
lima_reconcile_finalize(RddController *controller, RddReconcile *reconcile, gpointer user_data, GError **error);
gboolean lima_reconcile_write_status(LimaPlugin *self,
				     const gchar *namespace,
				     const gchar *name,
				     const LimaStatusChange *change,
				     GError **error);
gboolean lima_reconcile_remove_restart_annotation(LimaPlugin *self, RddObject *obj, GError **error);

/* lima-host.c */
gboolean
lima_host_reconcile(LimaPlugin *self, RddReconcile *reconcile, RddObject *obj, const gchar *template_rv, GError **error);
gboolean lima_host_unlink(LimaPlugin *self, GError **error);

G_END_DECLS
