/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * rdd ctl: kubectl bound to the instance's kubeconfig, and `rdd ctl wait-condition`.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "rdd-cli.h"
#include "rdd-resources.h"
#include "rdd-watch.h"

typedef struct {
	const gchar *condition;
	const gchar *status;
	const gchar *reason;
	gint64 since; /* 0: any time */
} RddCmdCtlWant;

/* TRUE when the object's conditions satisfy @want */
static gboolean
rdd_cmd_ctl_satisfied(JsonNode *object, const RddCmdCtlWant *want)
{
	JsonObject *status = rdd_json_lookup_object(object, "status");
	JsonObject *cond = rdd_conditions_find(status, want->condition);
	const gchar *when;
	gint64 usec = 0;

	if (cond == NULL)
		return FALSE;
	if (g_strcmp0(json_object_get_string_member_with_default(cond, "status", NULL), want->status) != 0)
		return FALSE;
	if (want->reason != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(cond, "reason", NULL), want->reason) != 0)
		return FALSE;
	if (want->since > 0) {
		when = json_object_get_string_member_with_default(cond, "lastTransitionTime", NULL);
		if (when == NULL || !rdd_time_parse(when, &usec, NULL) || usec <= want->since)
			return FALSE;
	}
	return TRUE;
}

typedef struct {
	RddCli *cli;
	RddCmdCtlWant *want;
	const gchar *what;
	gboolean seen;
} RddCmdCtlWait;

static RddWatchResult
rdd_cmd_ctl_wait_cb(JsonNode *object, const gchar *event, gpointer user_data, GError **error)
{
	RddCmdCtlWait *wait = user_data;
	if (object == NULL) {
		if (wait->seen) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
					    _("resource was deleted while waiting"));
			return RDD_WATCH_FAILED;
		}
		return RDD_WATCH_CONTINUE;
	}
	wait->seen = TRUE;
	return rdd_cmd_ctl_satisfied(object, wait->want) ? RDD_WATCH_DONE : RDD_WATCH_CONTINUE;
}

static void
rdd_cmd_ctl_progress_cb(gint64 elapsed, gpointer user_data)
{
	RddCmdCtlWait *wait = user_data;
	rdd_cli_progress(wait->cli, wait->what, elapsed);
}

static gboolean
rdd_cmd_ctl_wait_condition(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *reason = NULL;
	g_autofree gchar *since = NULL;
	g_autofree gchar *ns_opt = NULL;
	g_autofree gchar *timeout_text = NULL;
	gint64 timeout = 30 * G_USEC_PER_SEC;
	RddCmdCtlWant want = {0};
	g_autoptr(RddResourceType) type = NULL;
	g_autofree gchar *type_text = NULL;
	g_autofree gchar *condition = NULL;
	g_autofree gchar *collection = NULL;
	g_autofree gchar *object_path = NULL;
	g_autofree gchar *what = NULL;
	const gchar *name, *ns;
	gchar *slash, *eq;
	const GOptionEntry entries[] = {
		{"reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Also require this reason"), N_("REASON")},
		{"since", 0, 0, G_OPTION_ARG_STRING, &since,
		 N_("Only a transition after this time counts: RFC 3339, or \"startup\" for the daemon's start"),
		 N_("TIME")},
		{"namespace", 'n', 0, G_OPTION_ARG_STRING, &ns_opt,
		 N_("The namespace (default: default)"), N_("NS")},
		{"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_text,
		 N_("How long to wait (default 30s)"), N_("DURATION")},
		{NULL}};

	if (!rdd_cli_parse_options(cli, N_("TYPE[.GROUP]/NAME CONDITION[=STATUS]"), entries, &argc, &argv, error))
		return FALSE;
	if (argc != 3) {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
			    "expected TYPE/NAME and CONDITION[=STATUS] arguments, got %d arguments",
			    argc - 1);
		return FALSE;
	}
	if (timeout_text != NULL && !rdd_cli_parse_duration("timeout", timeout_text, &timeout, error))
		return FALSE;
	type_text = g_strdup(argv[1]);
	slash = strchr(type_text, '/');
	if (slash == NULL || slash == type_text || slash[1] == '\0') {
		g_set_error(error, RDD_CLI_USAGE_ERROR, 0, _("\"%s\" is not TYPE/NAME"), argv[1]);
		return FALSE;
	}
	*slash = '\0';
	name = slash + 1;
	condition = g_strdup(argv[2]);
	eq = strchr(condition, '=');
	want.status = "True";
	if (eq != NULL) {
		*eq = '\0';
		want.status = eq + 1;
		if (want.status[0] == '\0' || condition[0] == '\0') {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    _("\"%s\" is not CONDITION[=STATUS]"), argv[2]);
			return FALSE;
		}
	}
	want.condition = condition;
	want.reason = reason;
	if (since != NULL && g_strcmp0(since, "startup") != 0) {
		g_autoptr(GError) error_local = NULL;
		if (!rdd_time_parse(since, &want.since, &error_local)) {
			g_set_error(error, RDD_CLI_USAGE_ERROR, 0,
				    _("invalid argument \"%s\" for \"since\" flag: %s"), since,
				    error_local->message);
			return FALSE;
		}
	}
	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	if (g_strcmp0(since, "startup") == 0) {
		g_autoptr(JsonNode) status =
			rdd_client_request(cli->client, "GET", "/rdd/v1/status", NULL, NULL, NULL, error);
		if (status == NULL ||
		    !rdd_time_parse(rdd_json_lookup_string(status, "startTime"), &want.since, error))
			return FALSE;
	}
	type = rdd_resources_resolve(cli, type_text, error);
	if (type == NULL)
		return FALSE;
	ns = type->namespaced ? (ns_opt != NULL ? ns_opt : "default") : NULL;
	collection = rdd_resources_path(type, ns, NULL);
	object_path = rdd_resources_path(type, ns, name);
	what = g_strdup_printf(_("waiting for %s/%s condition %s=%s"), type->plural, name,
			       want.condition, want.status);
	{
		RddCmdCtlWait wait = {cli, &want, what, FALSE};
		g_autoptr(GError) error_local = NULL;
		gboolean ok = rdd_watch_object(cli, collection, object_path, name, timeout, rdd_cmd_ctl_wait_cb,
					       rdd_cmd_ctl_progress_cb, &wait, &error_local);
		rdd_cli_progress_done(cli);
		if (ok)
			return TRUE;
		if (g_error_matches(error_local, RDD_ERROR, RDD_ERROR_TIMED_OUT)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_TIMED_OUT,
				    _("timed out waiting for condition %s=%s on %s/%s"),
				    want.condition, want.status, type->plural, name);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
}

static gboolean
rdd_cmd_ctl(RddCli *cli, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *kubectl = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new_null_terminated(argc + 1, g_free, TRUE);

	/* `rdd ctl --help` is ours; `rdd ctl get --help` is kubectl's */
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0) {
		/* GOption frees what it removes: its own copy */
		g_auto(GStrv) help_args = g_strsplit("rdd ctl\n--help", "\n", -1);
		gint help_argc = 2;
		g_free(cli->help_epilogue);
		cli->help_epilogue = g_strdup(_("Every argument goes to kubectl, which runs with KUBECONFIG set to the instance's "
						"kubeconfig (see rdd svc paths config); the daemon is started when it is not "
						"running. Example: rdd ctl get namespaces"));
		if (argc >= 2)
			return rdd_cli_parse_options(cli, N_("KUBECTL-ARGS..."), NULL, &help_argc,
						     &help_args, error);
		g_set_error_literal(error, RDD_CLI_USAGE_ERROR, 0,
				    _("rdd ctl needs kubectl arguments, e.g. rdd ctl get namespaces"));
		return FALSE;
	}
	kubectl = g_find_program_in_path("kubectl");
	if (kubectl == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
				    _("kubectl is not installed: install it (on Debian 12: apt-get install "
				      "kubernetes-client) or put it on PATH"));
		return FALSE;
	}
	if (!rdd_cli_ensure_client(cli, TRUE, error))
		return FALSE;
	g_ptr_array_add(args, g_strdup(kubectl));
	for (gint i = 1; i < argc; i++)
		g_ptr_array_add(args, g_strdup(argv[i]));
	g_setenv("KUBECONFIG", rdd_instance_get_config_path(cli->instance), TRUE);
	fflush(stdout);
	fflush(stderr);
	execv(kubectl, (gchar **)args->pdata);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, _("cannot run %s: %s"), kubectl, g_strerror(errno));
	return FALSE;
}

const RddCliCommand rdd_cmd_ctl_commands[] = {
	{"ctl", "ARGS...", N_("Run kubectl against the instance"), rdd_cmd_ctl, FALSE},
	{"ctl wait-condition", "TYPE[.GROUP]/NAME CONDITION[=STATUS] [--reason R] [--since T] [--timeout D] [-n NS]",
	 N_("Wait until an object has a condition"), rdd_cmd_ctl_wait_condition, FALSE},
	{NULL}};
