/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include "rdd-conditions.h"
#include "rdd-json.h"
#include "rdd-time.h"

/**
 * rdd_conditions_find:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: (transfer none) (nullable): the condition of that type in `status.conditions`
 *
 * Since: 0.1
 */
JsonObject *
rdd_conditions_find(JsonObject *status, const gchar *type)
{
	JsonNode *node;
	JsonArray *conditions;

	if (status == NULL || type == NULL)
		return NULL;
	node = json_object_get_member(status, "conditions");
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return NULL;
	conditions = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(conditions); i++) {
		JsonNode *item = json_array_get_element(conditions, i);
		if (JSON_NODE_HOLDS_OBJECT(item) &&
		    g_strcmp0(rdd_json_lookup_string(item, "type"), type) == 0)
			return json_node_get_object(item);
	}
	return NULL;
}

/**
 * rdd_conditions_truncate_message:
 * @message: (nullable): a message
 *
 * Returns: (transfer full): @message cut to %RDD_CONDITION_MESSAGE_MAX characters, ending in
 *   `… (truncated)` when it was longer; invalid UTF-8 is repaired
 *
 * Since: 0.1
 */
gchar *
rdd_conditions_truncate_message(const gchar *message)
{
	static const gchar suffix[] = "… (truncated)";
	g_autofree gchar *valid = g_utf8_make_valid(message != NULL ? message : "", -1);
	glong len = g_utf8_strlen(valid, -1);
	glong keep;
	const gchar *end;

	if (len <= RDD_CONDITION_MESSAGE_MAX)
		return g_steal_pointer(&valid);
	keep = RDD_CONDITION_MESSAGE_MAX - g_utf8_strlen(suffix, -1);
	end = g_utf8_offset_to_pointer(valid, keep);
	{
		g_autofree gchar *head = g_strndup(valid, end - valid);
		return g_strconcat(head, suffix, NULL);
	}
}

/**
 * rdd_conditions_set_full:
 * @status: a `status` object; `conditions` is created when missing
 * @type: the condition type, e.g. `Ready`
 * @condition_status: `True`, `False` or `Unknown`
 * @reason: a CamelCase reason
 * @message: (nullable): a human-readable message (truncated when too long)
 * @observed_generation: the object generation this condition describes
 * @now_usec: the time to record as lastTransitionTime when the status flips
 *
 * Sets a condition the way Kubernetes' meta helpers do: lastTransitionTime changes only when
 * the condition is new or its status changes; reason, message and observedGeneration are
 * always updated.
 *
 * Returns: %TRUE when anything changed
 *
 * Since: 0.1
 */
gboolean
rdd_conditions_set_full(JsonObject *status,
			const gchar *type,
			const gchar *condition_status,
			const gchar *reason,
			const gchar *message,
			gint64 observed_generation,
			gint64 now_usec)
{
	JsonObject *cond;
	g_autofree gchar *msg = rdd_conditions_truncate_message(message);
	gboolean changed = FALSE;

	g_return_val_if_fail(status != NULL, FALSE);
	g_return_val_if_fail(type != NULL, FALSE);
	g_return_val_if_fail(condition_status != NULL, FALSE);
	g_return_val_if_fail(reason != NULL, FALSE);

	cond = rdd_conditions_find(status, type);
	if (cond == NULL) {
		JsonArray *conditions = rdd_json_object_ensure_array(status, "conditions");
		g_autofree gchar *now = rdd_time_format(now_usec);
		cond = json_object_new();
		json_object_set_string_member(cond, "type", type);
		json_object_set_string_member(cond, "status", condition_status);
		json_object_set_string_member(cond, "lastTransitionTime", now);
		json_array_add_object_element(conditions, cond);
		changed = TRUE;
	} else if (g_strcmp0(json_object_get_string_member_with_default(cond, "status", NULL),
			     condition_status) != 0) {
		g_autofree gchar *now = rdd_time_format(now_usec);
		json_object_set_string_member(cond, "status", condition_status);
		json_object_set_string_member(cond, "lastTransitionTime", now);
		changed = TRUE;
	}
	if (g_strcmp0(json_object_get_string_member_with_default(cond, "reason", NULL), reason) != 0) {
		json_object_set_string_member(cond, "reason", reason);
		changed = TRUE;
	}
	if (g_strcmp0(json_object_get_string_member_with_default(cond, "message", NULL), msg) != 0) {
		json_object_set_string_member(cond, "message", msg);
		changed = TRUE;
	}
	if (!json_object_has_member(cond, "observedGeneration") ||
	    json_object_get_int_member_with_default(cond, "observedGeneration", -1) != observed_generation) {
		json_object_set_int_member(cond, "observedGeneration", observed_generation);
		changed = TRUE;
	}
	return changed;
}

/**
 * rdd_conditions_set:
 * @status: a `status` object
 * @type: the condition type
 * @condition_status: `True`, `False` or `Unknown`
 * @reason: a CamelCase reason
 * @message: (nullable): a message
 * @observed_generation: the generation this condition describes
 *
 * rdd_conditions_set_full() at the current time.
 *
 * Returns: %TRUE when anything changed
 *
 * Since: 0.1
 */
gboolean
rdd_conditions_set(JsonObject *status,
		   const gchar *type,
		   const gchar *condition_status,
		   const gchar *reason,
		   const gchar *message,
		   gint64 observed_generation)
{
	return rdd_conditions_set_full(status,
				       type,
				       condition_status,
				       reason,
				       message,
				       observed_generation,
				       g_get_real_time());
}

/**
 * rdd_conditions_get_status:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: (nullable): `True`, `False`, `Unknown`, or %NULL when there is no such condition
 *
 * Since: 0.1
 */
const gchar *
rdd_conditions_get_status(JsonObject *status, const gchar *type)
{
	JsonObject *cond = rdd_conditions_find(status, type);
	return cond != NULL ? json_object_get_string_member_with_default(cond, "status", NULL) : NULL;
}

/**
 * rdd_conditions_get_reason:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: (nullable): the reason
 *
 * Since: 0.1
 */
const gchar *
rdd_conditions_get_reason(JsonObject *status, const gchar *type)
{
	JsonObject *cond = rdd_conditions_find(status, type);
	return cond != NULL ? json_object_get_string_member_with_default(cond, "reason", NULL) : NULL;
}

/**
 * rdd_conditions_get_observed_generation:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: the observedGeneration, or -1 when there is no such condition
 *
 * Since: 0.1
 */
gint64
rdd_conditions_get_observed_generation(JsonObject *status, const gchar *type)
{
	JsonObject *cond = rdd_conditions_find(status, type);
	return cond != NULL ? json_object_get_int_member_with_default(cond, "observedGeneration", -1) : -1;
}

/**
 * rdd_conditions_is_true:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: %TRUE when the condition exists with status `True`
 *
 * Since: 0.1
 */
gboolean
rdd_conditions_is_true(JsonObject *status, const gchar *type)
{
	return g_strcmp0(rdd_conditions_get_status(status, type), "True") == 0;
}

/**
 * rdd_conditions_remove:
 * @status: (nullable): a `status` object
 * @type: a condition type
 *
 * Returns: %TRUE when a condition was removed
 *
 * Since: 0.1
 */
gboolean
rdd_conditions_remove(JsonObject *status, const gchar *type)
{
	JsonNode *node;
	JsonArray *conditions;

	if (status == NULL)
		return FALSE;
	node = json_object_get_member(status, "conditions");
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return FALSE;
	conditions = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(conditions); i++) {
		JsonNode *item = json_array_get_element(conditions, i);
		if (JSON_NODE_HOLDS_OBJECT(item) &&
		    g_strcmp0(rdd_json_lookup_string(item, "type"), type) == 0) {
			json_array_remove_element(conditions, i);
			return TRUE;
		}
	}
	return FALSE;
}
