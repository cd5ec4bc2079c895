/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The App's Settled condition: the one "ready" signal `rdd set` and `rdd start` wait for. The
 * reference's decision table, first matching rule wins.
 */

#include "config.h"

#include "app-plugin.h"

/* reasons whose own message says more than a generic one: failures, and (host mode, ours)
 * an engine that does not answer */
static gboolean
app_settled_ends_with_failed(const gchar *reason)
{
	return reason != NULL &&
	       (g_str_has_suffix(reason, "Failed") || g_strcmp0(reason, RDD_REASON_ENGINE_UNREACHABLE) == 0);
}

/* the message of a forwarded reason: the condition's own when it failed, else a generic one */
static gchar *
app_settled_forward_message(JsonObject *cond, const gchar *generic)
{
	const gchar *reason = json_object_get_string_member_with_default(cond, "reason", NULL);
	const gchar *message = json_object_get_string_member_with_default(cond, "message", NULL);
	if (app_settled_ends_with_failed(reason) && message != NULL && message[0] != '\0')
		return g_strdup(message);
	return g_strdup(generic);
}

/**
 * app_settled_compute:
 * @in: the inputs
 * @status: (out): `True` or `False`
 * @reason: (out): the reason
 * @message: (out) (transfer full): the message
 */
void
app_settled_compute(const AppSettledInput *in, const gchar **status, const gchar **reason, gchar **message)
{
	JsonObject *running = rdd_conditions_find(in->status, RDD_COND_RUNNING);
	JsonObject *engine = rdd_conditions_find(in->status, RDD_COND_CONTAINER_ENGINE_READY);
	JsonObject *kube = rdd_conditions_find(in->status, RDD_COND_KUBERNETES_READY);
	const gchar *running_status = running != NULL ? json_object_get_string_member_with_default(running, "status", "") : NULL;
	const gchar *running_reason = running != NULL ? json_object_get_string_member_with_default(running, "reason", "") : NULL;

	*status = RDD_CONDITION_FALSE;
	if (!in->template_up_to_date) {
		*reason = RDD_REASON_APPLYING_TEMPLATE;
		*message = g_strdup("Applying the configuration change to the VM");
		return;
	}
	if (running == NULL) {
		*reason = RDD_REASON_WAITING_FOR_LIMAVM;
		*message = g_strdup("Waiting for LimaVM to report its state");
		return;
	}
	if (in->desired && g_strcmp0(running_status, RDD_CONDITION_TRUE) != 0) {
		*reason = running_reason;
		*message = app_settled_forward_message(running, "LimaVM has not yet reached Started");
		return;
	}
	if (!in->desired && g_strcmp0(running_reason, RDD_REASON_STOPPED) != 0) {
		*reason = running_reason;
		*message = app_settled_forward_message(running, "LimaVM has not yet reached Stopped");
		return;
	}
	if (!in->engine_gate && !in->kube_gate) {
		*status = RDD_CONDITION_TRUE;
		*reason = RDD_REASON_SETTLED;
		*message = g_strdup("App has reached the desired state");
		return;
	}
	if (!in->desired && in->engine_gate) {
		const gchar *engine_reason = engine != NULL ? json_object_get_string_member_with_default(engine, "reason", "") : "";
		if (engine != NULL &&
		    json_object_get_int_member_with_default(engine, "observedGeneration", -1) >= in->generation &&
		    (g_strcmp0(engine_reason, RDD_REASON_STOPPED) == 0 ||
		     g_strcmp0(engine_reason, RDD_REASON_NOT_APPLICABLE) == 0)) {
			*status = RDD_CONDITION_TRUE;
			*reason = RDD_REASON_SETTLED;
			*message = g_strdup("App has reached the desired state");
		} else {
			*reason = RDD_REASON_ENGINE_STALE;
			*message = g_strdup("Container engine needs to be synchronized");
		}
		return;
	}
	if (!in->desired) {
		*status = RDD_CONDITION_TRUE;
		*reason = RDD_REASON_SETTLED;
		*message = g_strdup("App has reached the desired state");
		return;
	}
	if (in->engine_gate) {
		if (engine == NULL) {
			*reason = RDD_REASON_WAITING_FOR_ENGINE;
			*message = g_strdup("Waiting for container engine condition");
			return;
		}
		if (json_object_get_int_member_with_default(engine, "observedGeneration", -1) < in->generation) {
			*reason = RDD_REASON_ENGINE_STALE;
			*message = g_strdup("Container engine needs to be synchronized");
			return;
		}
		if (g_strcmp0(json_object_get_string_member_with_default(engine, "status", ""), RDD_CONDITION_TRUE) != 0) {
			*reason = json_object_get_string_member_with_default(engine, "reason", "");
			*message = g_strdup(json_object_get_string_member_with_default(engine, "message", ""));
			return;
		}
	}
	if (in->kube_gate && in->kubernetes_enabled) {
		if (kube == NULL) {
			*reason = RDD_REASON_WAITING_FOR_KUBERNETES;
			*message = g_strdup("Waiting for Kubernetes condition");
			return;
		}
		if (json_object_get_int_member_with_default(kube, "observedGeneration", -1) < in->generation) {
			*reason = RDD_REASON_KUBERNETES_STALE;
			*message = g_strdup("Kubernetes context needs to be synchronized");
			return;
		}
		if (g_strcmp0(json_object_get_string_member_with_default(kube, "status", ""), RDD_CONDITION_TRUE) != 0) {
			*reason = json_object_get_string_member_with_default(kube, "reason", "");
			*message = g_strdup(json_object_get_string_member_with_default(kube, "message", ""));
			return;
		}
	}
	*status = RDD_CONDITION_TRUE;
	*reason = RDD_REASON_SETTLED;
	*message = g_strdup("App has reached the desired state");
}
