/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * Request bodies in the Kubernetes protobuf encoding (application/vnd.kubernetes.protobuf), as
 * client-go's typed clients send them for the core/v1 kinds, turned into the JSON the Kubernetes
 * JSON encoding gives for the same object.
 *
 * The body is the magic `k8s\0` and a runtime.Unknown message whose `raw` field holds the
 * object's own encoding. A small wire reader walks it, driven by one field table per message:
 * the table names the JSON member, the value type and how Go's encoding/json writes the field
 * (omitempty, pointer or always written), so that zero values, absent messages and timestamps come
 * out exactly as kube-apiserver would write them.
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

/* the deepest nesting of messages and groups accepted */
#define RDD_API_PROTOBUF_MAX_DEPTH 32

/* the prefix of every Kubernetes protobuf body */
#define RDD_API_PROTOBUF_MAGIC "k8s\0"
#define RDD_API_PROTOBUF_MAGIC_LEN 4

/* the largest field number protobuf allows */
#define RDD_API_PROTOBUF_MAX_FIELD ((1u << 29) - 1)

/* seconds since the epoch of 0001-01-01T00:00:00Z (Go's zero time.Time) and 9999-12-31T23:59:59Z */
#define RDD_API_PROTOBUF_MIN_SECONDS G_GINT64_CONSTANT(-62135596800)
#define RDD_API_PROTOBUF_MAX_SECONDS G_GINT64_CONSTANT(253402300799)

typedef enum {
	RDD_API_PROTOBUF_WIRE_VARINT = 0,
	RDD_API_PROTOBUF_WIRE_FIXED64 = 1,
	RDD_API_PROTOBUF_WIRE_LEN = 2,
	RDD_API_PROTOBUF_WIRE_START_GROUP = 3,
	RDD_API_PROTOBUF_WIRE_END_GROUP = 4,
	RDD_API_PROTOBUF_WIRE_FIXED32 = 5,
} RddApiProtobufWire;

/* the value of a field, and how it becomes JSON */
typedef enum {
	RDD_API_PROTOBUF_STRING,     /* string */
	RDD_API_PROTOBUF_BYTES,	     /* bytes: a base64 string */
	RDD_API_PROTOBUF_INT32,	     /* int32: a number */
	RDD_API_PROTOBUF_INT64,	     /* int64: a number */
	RDD_API_PROTOBUF_BOOL,	     /* bool */
	RDD_API_PROTOBUF_MESSAGE,    /* a nested message: an object */
	RDD_API_PROTOBUF_TIME,	     /* metav1.Time: RFC 3339 in seconds, or null */
	RDD_API_PROTOBUF_MICRO_TIME, /* metav1.MicroTime: RFC 3339 in microseconds, or null */
	RDD_API_PROTOBUF_FIELDS_V1,  /* metav1.FieldsV1: the embedded JSON object */
	RDD_API_PROTOBUF_MAP_STRING, /* map<string, string>: an object of strings */
	RDD_API_PROTOBUF_MAP_BYTES,  /* map<string, bytes>: an object of base64 strings */
} RddApiProtobufType;

/*
 * How Go writes the field as JSON. Without a flag the field is a plain value with omitempty:
 * written unless zero (a nested message, which omitempty never omits, is written even when
 * absent; a Time is then null).
 */
typedef enum {
	RDD_API_PROTOBUF_OMITEMPTY = 0,
	RDD_API_PROTOBUF_REPEATED = 1 << 0, /* a list, written unless empty */
	RDD_API_PROTOBUF_POINTER = 1 << 1,  /* a Go pointer: written when on the wire, even zero */
	RDD_API_PROTOBUF_ALWAYS = 1 << 2,   /* no omitempty: the zero value when absent */
} RddApiProtobufFlags;

typedef struct _RddApiProtobufMessage RddApiProtobufMessage;

typedef struct {
	guint32 number;
	const gchar *name;
	RddApiProtobufType type;
	RddApiProtobufFlags flags;
	const RddApiProtobufMessage *message; /* for RDD_API_PROTOBUF_MESSAGE */
} RddApiProtobufField;

struct _RddApiProtobufMessage {
	const gchar *name;
	const RddApiProtobufField *fields;
	guint n_fields;
};

/* k8s.io/apimachinery/pkg/apis/meta/v1 ----------------------------------------------------- */

static const RddApiProtobufField rdd_api_protobuf_owner_reference_fields[] = {
	{5, "apiVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{1, "kind", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{3, "name", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{4, "uid", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{6, "controller", RDD_API_PROTOBUF_BOOL, RDD_API_PROTOBUF_POINTER, NULL},
	{7, "blockOwnerDeletion", RDD_API_PROTOBUF_BOOL, RDD_API_PROTOBUF_POINTER, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_owner_reference = {
	"OwnerReference",
	rdd_api_protobuf_owner_reference_fields,
	G_N_ELEMENTS(rdd_api_protobuf_owner_reference_fields),
};

static const RddApiProtobufField rdd_api_protobuf_managed_fields_entry_fields[] = {
	{1, "manager", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "operation", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{3, "apiVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "time", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_POINTER, NULL},
	{6, "fieldsType", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{7, "fieldsV1", RDD_API_PROTOBUF_FIELDS_V1, RDD_API_PROTOBUF_POINTER, NULL},
	{8, "subresource", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_managed_fields_entry = {
	"ManagedFieldsEntry",
	rdd_api_protobuf_managed_fields_entry_fields,
	G_N_ELEMENTS(rdd_api_protobuf_managed_fields_entry_fields),
};

static const RddApiProtobufField rdd_api_protobuf_object_meta_fields[] = {
	{1, "name", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "generateName", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{3, "namespace", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "selfLink", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{5, "uid", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{6, "resourceVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{7, "generation", RDD_API_PROTOBUF_INT64, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{8, "creationTimestamp", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{9, "deletionTimestamp", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_POINTER, NULL},
	{10, "deletionGracePeriodSeconds", RDD_API_PROTOBUF_INT64, RDD_API_PROTOBUF_POINTER, NULL},
	{11, "labels", RDD_API_PROTOBUF_MAP_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{12, "annotations", RDD_API_PROTOBUF_MAP_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{13, "ownerReferences", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_REPEATED, &rdd_api_protobuf_owner_reference},
	{14, "finalizers", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_REPEATED, NULL},
	{17, "managedFields", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_REPEATED, &rdd_api_protobuf_managed_fields_entry},
};
static const RddApiProtobufMessage rdd_api_protobuf_object_meta = {
	"ObjectMeta",
	rdd_api_protobuf_object_meta_fields,
	G_N_ELEMENTS(rdd_api_protobuf_object_meta_fields),
};

static const RddApiProtobufField rdd_api_protobuf_preconditions_fields[] = {
	{1, "uid", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_POINTER, NULL},
	{2, "resourceVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_POINTER, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_preconditions = {
	"Preconditions",
	rdd_api_protobuf_preconditions_fields,
	G_N_ELEMENTS(rdd_api_protobuf_preconditions_fields),
};

static const RddApiProtobufField rdd_api_protobuf_delete_options_fields[] = {
	{1, "gracePeriodSeconds", RDD_API_PROTOBUF_INT64, RDD_API_PROTOBUF_POINTER, NULL},
	{2, "preconditions", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_POINTER, &rdd_api_protobuf_preconditions},
	{3, "orphanDependents", RDD_API_PROTOBUF_BOOL, RDD_API_PROTOBUF_POINTER, NULL},
	{4, "propagationPolicy", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_POINTER, NULL},
	{5, "dryRun", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_REPEATED, NULL},
	{6, "ignoreStoreReadErrorWithClusterBreakingPotential", RDD_API_PROTOBUF_BOOL,
	 RDD_API_PROTOBUF_POINTER, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_delete_options = {
	"DeleteOptions",
	rdd_api_protobuf_delete_options_fields,
	G_N_ELEMENTS(rdd_api_protobuf_delete_options_fields),
};

/* k8s.io/api/core/v1 ----------------------------------------------------------------------- */

static const RddApiProtobufField rdd_api_protobuf_config_map_fields[] = {
	{1, "metadata", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_object_meta},
	{2, "data", RDD_API_PROTOBUF_MAP_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{3, "binaryData", RDD_API_PROTOBUF_MAP_BYTES, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "immutable", RDD_API_PROTOBUF_BOOL, RDD_API_PROTOBUF_POINTER, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_config_map = {
	"ConfigMap",
	rdd_api_protobuf_config_map_fields,
	G_N_ELEMENTS(rdd_api_protobuf_config_map_fields),
};

static const RddApiProtobufField rdd_api_protobuf_secret_fields[] = {
	{1, "metadata", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_object_meta},
	{2, "data", RDD_API_PROTOBUF_MAP_BYTES, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{3, "type", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "stringData", RDD_API_PROTOBUF_MAP_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{5, "immutable", RDD_API_PROTOBUF_BOOL, RDD_API_PROTOBUF_POINTER, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_secret = {
	"Secret",
	rdd_api_protobuf_secret_fields,
	G_N_ELEMENTS(rdd_api_protobuf_secret_fields),
};

static const RddApiProtobufField rdd_api_protobuf_namespace_spec_fields[] = {
	{1, "finalizers", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_REPEATED, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_namespace_spec = {
	"NamespaceSpec",
	rdd_api_protobuf_namespace_spec_fields,
	G_N_ELEMENTS(rdd_api_protobuf_namespace_spec_fields),
};

static const RddApiProtobufField rdd_api_protobuf_namespace_condition_fields[] = {
	{1, "type", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{2, "status", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{4, "lastTransitionTime", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{5, "reason", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{6, "message", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_namespace_condition = {
	"NamespaceCondition",
	rdd_api_protobuf_namespace_condition_fields,
	G_N_ELEMENTS(rdd_api_protobuf_namespace_condition_fields),
};

static const RddApiProtobufField rdd_api_protobuf_namespace_status_fields[] = {
	{1, "phase", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "conditions", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_REPEATED, &rdd_api_protobuf_namespace_condition},
};
static const RddApiProtobufMessage rdd_api_protobuf_namespace_status = {
	"NamespaceStatus",
	rdd_api_protobuf_namespace_status_fields,
	G_N_ELEMENTS(rdd_api_protobuf_namespace_status_fields),
};

static const RddApiProtobufField rdd_api_protobuf_namespace_fields[] = {
	{1, "metadata", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_object_meta},
	{2, "spec", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_namespace_spec},
	{3, "status", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_namespace_status},
};
static const RddApiProtobufMessage rdd_api_protobuf_namespace = {
	"Namespace",
	rdd_api_protobuf_namespace_fields,
	G_N_ELEMENTS(rdd_api_protobuf_namespace_fields),
};

static const RddApiProtobufField rdd_api_protobuf_object_reference_fields[] = {
	{1, "kind", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "namespace", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{3, "name", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "uid", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{5, "apiVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{6, "resourceVersion", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{7, "fieldPath", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_object_reference = {
	"ObjectReference",
	rdd_api_protobuf_object_reference_fields,
	G_N_ELEMENTS(rdd_api_protobuf_object_reference_fields),
};

static const RddApiProtobufField rdd_api_protobuf_event_source_fields[] = {
	{1, "component", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "host", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_event_source = {
	"EventSource",
	rdd_api_protobuf_event_source_fields,
	G_N_ELEMENTS(rdd_api_protobuf_event_source_fields),
};

static const RddApiProtobufField rdd_api_protobuf_event_series_fields[] = {
	{1, "count", RDD_API_PROTOBUF_INT32, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{2, "lastObservedTime", RDD_API_PROTOBUF_MICRO_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_event_series = {
	"EventSeries",
	rdd_api_protobuf_event_series_fields,
	G_N_ELEMENTS(rdd_api_protobuf_event_series_fields),
};

static const RddApiProtobufField rdd_api_protobuf_event_fields[] = {
	{1, "metadata", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_object_meta},
	{2, "involvedObject", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_object_reference},
	{3, "reason", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{4, "message", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{5, "source", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_OMITEMPTY, &rdd_api_protobuf_event_source},
	{6, "firstTimestamp", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{7, "lastTimestamp", RDD_API_PROTOBUF_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{8, "count", RDD_API_PROTOBUF_INT32, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{9, "type", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{10, "eventTime", RDD_API_PROTOBUF_MICRO_TIME, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{11, "series", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_POINTER, &rdd_api_protobuf_event_series},
	{12, "action", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_OMITEMPTY, NULL},
	{13, "related", RDD_API_PROTOBUF_MESSAGE, RDD_API_PROTOBUF_POINTER, &rdd_api_protobuf_object_reference},
	{14, "reportingComponent", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
	{15, "reportingInstance", RDD_API_PROTOBUF_STRING, RDD_API_PROTOBUF_ALWAYS, NULL},
};
static const RddApiProtobufMessage rdd_api_protobuf_event = {
	"Event",
	rdd_api_protobuf_event_fields,
	G_N_ELEMENTS(rdd_api_protobuf_event_fields),
};

/* the top-level messages, by kind */
static const RddApiProtobufMessage *
rdd_api_protobuf_lookup_message(const gchar *kind)
{
	const RddApiProtobufMessage *messages[] = {&rdd_api_protobuf_namespace, &rdd_api_protobuf_config_map,
						   &rdd_api_protobuf_secret, &rdd_api_protobuf_event};
	for (guint i = 0; i < G_N_ELEMENTS(messages); i++) {
		if (g_strcmp0(messages[i]->name, kind) == 0)
			return messages[i];
	}
	return NULL;
}

/* the wire reader -------------------------------------------------------------------------- */

/* a range of the body; offsets count from the start of the body, magic included */
typedef struct {
	const guint8 *data;
	gsize pos;
	gsize end;
} RddApiProtobufReader;

static void rdd_api_protobuf_fail(GError **error, const gchar *path, gsize offset, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
rdd_api_protobuf_fail(GError **error, const gchar *path, gsize offset, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *what = NULL;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
		    "cannot decode the protobuf request body: %s at offset %" G_GSIZE_FORMAT ": %s",
		    path, offset, what);
}

static const gchar *
rdd_api_protobuf_wire_to_string(guint wire)
{
	switch (wire) {
	case RDD_API_PROTOBUF_WIRE_VARINT:
		return "varint";
	case RDD_API_PROTOBUF_WIRE_FIXED64:
		return "fixed64";
	case RDD_API_PROTOBUF_WIRE_LEN:
		return "length-delimited";
	case RDD_API_PROTOBUF_WIRE_START_GROUP:
		return "start-group";
	case RDD_API_PROTOBUF_WIRE_END_GROUP:
		return "end-group";
	case RDD_API_PROTOBUF_WIRE_FIXED32:
		return "fixed32";
	default:
		return "invalid";
	}
}

/* a base-128 varint of at most 10 bytes whose value fits in 64 bits */
static gboolean
rdd_api_protobuf_read_varint(RddApiProtobufReader *reader, const gchar *path, guint64 *value, GError **error)
{
	gsize start = reader->pos;
	guint64 v = 0;

	for (guint i = 0; i < 10; i++) {
		guint8 b;
		if (reader->pos >= reader->end) {
			rdd_api_protobuf_fail(error, path, start, "the varint is truncated: the message ends after %u byte%s",
					      i, i == 1 ? "" : "s");
			return FALSE;
		}
		b = reader->data[reader->pos++];
		if (i == 9 && (b & 0x80) != 0) {
			rdd_api_protobuf_fail(error, path, start, "the varint is longer than 10 bytes");
			return FALSE;
		}
		if (i == 9 && b > 1) {
			rdd_api_protobuf_fail(error, path, start, "the varint overflows 64 bits");
			return FALSE;
		}
		v |= (guint64)(b & 0x7F) << (7 * i);
		if ((b & 0x80) == 0)
			break;
	}
	*value = v;
	return TRUE;
}

/* a field key: the field number and the wire type */
static gboolean
rdd_api_protobuf_read_tag(RddApiProtobufReader *reader, const gchar *path, guint32 *number, guint *wire, GError **error)
{
	gsize start = reader->pos;
	guint64 key = 0;

	if (!rdd_api_protobuf_read_varint(reader, path, &key, error))
		return FALSE;
	if ((key >> 3) == 0 || (key >> 3) > RDD_API_PROTOBUF_MAX_FIELD) {
		rdd_api_protobuf_fail(error, path, start, "invalid field number %" G_GUINT64_FORMAT " (must be 1 to %u)",
				      key >> 3, RDD_API_PROTOBUF_MAX_FIELD);
		return FALSE;
	}
	if ((key & 7) > RDD_API_PROTOBUF_WIRE_FIXED32) {
		rdd_api_protobuf_fail(error, path, start, "field %" G_GUINT64_FORMAT " has the invalid wire type %u",
				      key >> 3, (guint)(key & 7));
		return FALSE;
	}
	*number = (guint32)(key >> 3);
	*wire = (guint)(key & 7);
	return TRUE;
}

/* the payload of a length-delimited field, as a reader over its bytes */
static gboolean
rdd_api_protobuf_read_len(RddApiProtobufReader *reader,
			  const gchar *path,
			  guint32 number,
			  RddApiProtobufReader *sub,
			  GError **error)
{
	gsize start = reader->pos;
	guint64 len = 0;

	if (!rdd_api_protobuf_read_varint(reader, path, &len, error))
		return FALSE;
	if (len > reader->end - reader->pos) {
		rdd_api_protobuf_fail(error, path, start,
				      "field %u has the length %" G_GUINT64_FORMAT
				      ", more than the %" G_GSIZE_FORMAT " bytes left in the message",
				      number, len, reader->end - reader->pos);
		return FALSE;
	}
	sub->data = reader->data;
	sub->pos = reader->pos;
	sub->end = reader->pos + (gsize)len;
	reader->pos = sub->end;
	return TRUE;
}

static gboolean
rdd_api_protobuf_skip_fixed(RddApiProtobufReader *reader, const gchar *path, guint32 number, gsize size, GError **error)
{
	if (reader->end - reader->pos < size) {
		rdd_api_protobuf_fail(error, path, reader->pos,
				      "field %u needs %" G_GSIZE_FORMAT
				      " bytes, only %" G_GSIZE_FORMAT " are left in the message",
				      number, size, reader->end - reader->pos);
		return FALSE;
	}
	reader->pos += size;
	return TRUE;
}

/*
 * Skips the value of a field this decoder does not know, of any wire type. A group is skipped
 * up to its matching end-group key, iteratively: @depth is the nesting so far.
 */
static gboolean
rdd_api_protobuf_skip(RddApiProtobufReader *reader, const gchar *path, guint32 number, guint wire, guint depth, GError **error)
{
	guint32 groups[RDD_API_PROTOBUF_MAX_DEPTH];
	guint n_groups = 0;

	for (;;) {
		switch (wire) {
		case RDD_API_PROTOBUF_WIRE_VARINT: {
			guint64 value = 0;
			if (!rdd_api_protobuf_read_varint(reader, path, &value, error))
				return FALSE;
			break;
		}
		case RDD_API_PROTOBUF_WIRE_FIXED64:
			if (!rdd_api_protobuf_skip_fixed(reader, path, number, 8, error))
				return FALSE;
			break;
		case RDD_API_PROTOBUF_WIRE_FIXED32:
			if (!rdd_api_protobuf_skip_fixed(reader, path, number, 4, error))
				return FALSE;
			break;
		case RDD_API_PROTOBUF_WIRE_LEN: {
			RddApiProtobufReader sub;
			if (!rdd_api_protobuf_read_len(reader, path, number, &sub, error))
				return FALSE;
			break;
		}
		case RDD_API_PROTOBUF_WIRE_START_GROUP:
			if (depth + n_groups + 1 > RDD_API_PROTOBUF_MAX_DEPTH) {
				rdd_api_protobuf_fail(error, path, reader->pos,
						      "groups are nested deeper than %u levels",
						      (guint)RDD_API_PROTOBUF_MAX_DEPTH);
				return FALSE;
			}
			groups[n_groups++] = number;
			break;
		case RDD_API_PROTOBUF_WIRE_END_GROUP:
		default: {
			/* an end-group key is consumed by the caller of the group */
			rdd_api_protobuf_fail(error, path, reader->pos,
					      "an end-group key for field %u without a group", number);
			return FALSE;
		}
		}
		if (n_groups == 0)
			return TRUE;

		/* inside a group: the next key, which may close it */
		for (;;) {
			gsize key_pos = reader->pos;
			if (reader->pos >= reader->end) {
				rdd_api_protobuf_fail(error, path, reader->pos, "the group of field %u is not closed",
						      groups[n_groups - 1]);
				return FALSE;
			}
			if (!rdd_api_protobuf_read_tag(reader, path, &number, &wire, error))
				return FALSE;
			if (wire != RDD_API_PROTOBUF_WIRE_END_GROUP)
				break;
			if (number != groups[n_groups - 1]) {
				rdd_api_protobuf_fail(error, path, key_pos,
						      "the end-group key of field %u closes the group of "
						      "field %u",
						      number, groups[n_groups - 1]);
				return FALSE;
			}
			n_groups--;
			if (n_groups == 0)
				return TRUE;
		}
	}
}

/* values ----------------------------------------------------------------------------------- */

/* text for JSON: UTF-8 without NUL bytes */
static gboolean
rdd_api_protobuf_check_text(const RddApiProtobufReader *value, const gchar *path, GError **error)
{
	const gchar *text = (const gchar *)value->data + value->pos;
	gsize len = value->end - value->pos;
	const gchar *bad = NULL;
	const guint8 *nul = memchr(text, '\0', len);

	if (nul != NULL) {
		rdd_api_protobuf_fail(error, path, (gsize)(nul - value->data), "the string contains a NUL byte");
		return FALSE;
	}
	if (!g_utf8_validate_len(text, len, &bad)) {
		rdd_api_protobuf_fail(error, path, (gsize)((const guint8 *)bad - value->data),
				      "the string is not valid UTF-8 (byte 0x%02x)", (guint)(guint8)*bad);
		return FALSE;
	}
	return TRUE;
}

static JsonNode *
rdd_api_protobuf_string_node(const RddApiProtobufReader *value, const gchar *path, GError **error)
{
	g_autofree gchar *text = NULL;
	JsonNode *node;

	if (!rdd_api_protobuf_check_text(value, path, error))
		return NULL;
	text = g_strndup((const gchar *)value->data + value->pos, value->end - value->pos);
	node = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(node, text);
	return node;
}

/* bytes are base64 in JSON, as Go writes []byte */
static JsonNode *
rdd_api_protobuf_bytes_node(const RddApiProtobufReader *value)
{
	g_autofree gchar *text = g_base64_encode(value->data + value->pos, value->end - value->pos);
	JsonNode *node = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(node, text);
	return node;
}

/*
 * A metav1.Time or MicroTime {seconds = 1, nanos = 2}. As Go's Time.Unmarshal does, an empty
 * message is the zero time, and the zero time is written as null; otherwise time.Unix(seconds,
 * nanos) in UTC, with seconds (Time) or microseconds (MicroTime) precision.
 */
static JsonNode *
rdd_api_protobuf_time_node(RddApiProtobufReader *value, const gchar *path, gboolean micro, GError **error)
{
	gsize start = value->pos;
	gint64 seconds = 0;
	gint64 nanos = 0;
	g_autofree gchar *text = NULL;
	JsonNode *node;

	if (value->pos == value->end)
		return json_node_new(JSON_NODE_NULL);
	while (value->pos < value->end) {
		guint32 number = 0;
		guint wire = 0;
		guint64 v = 0;
		gsize key_pos = value->pos;

		if (!rdd_api_protobuf_read_tag(value, path, &number, &wire, error))
			return NULL;
		if (number != 1 && number != 2) {
			if (!rdd_api_protobuf_skip(value, path, number, wire, 0, error))
				return NULL;
			continue;
		}
		if (wire != RDD_API_PROTOBUF_WIRE_VARINT) {
			rdd_api_protobuf_fail(error, path, key_pos, "field %u (%s) must be a varint, not %s",
					      number, number == 1 ? "seconds" : "nanos",
					      rdd_api_protobuf_wire_to_string(wire));
			return NULL;
		}
		if (!rdd_api_protobuf_read_varint(value, path, &v, error))
			return NULL;
		if (number == 1)
			seconds = (gint64)v;
		else
			nanos = (gint32)(guint32)v;
	}

	/* time.Unix() normalises nanoseconds outside [0, 1e9) into the seconds (by at most 3) */
	if (seconds < RDD_API_PROTOBUF_MIN_SECONDS - 3 || seconds > RDD_API_PROTOBUF_MAX_SECONDS + 3) {
		rdd_api_protobuf_fail(error, path, start,
				      "the time of %" G_GINT64_FORMAT
				      " seconds since 1970 is outside the years 1 to 9999",
				      seconds);
		return NULL;
	}
	seconds += nanos / 1000000000;
	nanos %= 1000000000;
	if (nanos < 0) {
		nanos += 1000000000;
		seconds--;
	}
	if (seconds == RDD_API_PROTOBUF_MIN_SECONDS && nanos == 0)
		return json_node_new(JSON_NODE_NULL);
	if (seconds < RDD_API_PROTOBUF_MIN_SECONDS || seconds > RDD_API_PROTOBUF_MAX_SECONDS) {
		rdd_api_protobuf_fail(error, path, start,
				      "the time of %" G_GINT64_FORMAT
				      " seconds since 1970 is outside the years 1 to 9999",
				      seconds);
		return NULL;
	}
	text = rdd_time_format(seconds * G_USEC_PER_SEC);
	if (micro) {
		/* RFC 3339 with exactly six digits of fraction, truncated as Go formats */
		gsize len = strlen(text);
		g_autofree gchar *tmp = g_steal_pointer(&text);
		text = g_strdup_printf("%.*s.%06dZ", (gint)(len - 1), tmp, (gint)(nanos / 1000));
	}
	node = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(node, text);
	return node;
}

/* a metav1.FieldsV1 {Raw = 1}: Raw is a JSON object, written as it is */
static JsonNode *
rdd_api_protobuf_fields_v1_node(RddApiProtobufReader *value, const gchar *path, GError **error)
{
	g_autoptr(JsonNode) node = NULL;

	while (value->pos < value->end) {
		guint32 number = 0;
		guint wire = 0;
		gsize key_pos = value->pos;
		RddApiProtobufReader raw;
		g_autoptr(GError) error_local = NULL;

		if (!rdd_api_protobuf_read_tag(value, path, &number, &wire, error))
			return NULL;
		if (number != 1) {
			if (!rdd_api_protobuf_skip(value, path, number, wire, 0, error))
				return NULL;
			continue;
		}
		if (wire != RDD_API_PROTOBUF_WIRE_LEN) {
			rdd_api_protobuf_fail(error, path, key_pos, "field 1 (Raw) must be length-delimited, not %s",
					      rdd_api_protobuf_wire_to_string(wire));
			return NULL;
		}
		if (!rdd_api_protobuf_read_len(value, path, number, &raw, error))
			return NULL;
		g_clear_pointer(&node, json_node_unref);
		node = rdd_json_parse((const gchar *)raw.data + raw.pos, (gssize)(raw.end - raw.pos), &error_local);
		if (node == NULL) {
			rdd_api_protobuf_fail(error, path, raw.pos, "the managed fields are not JSON: %s",
					      error_local->message);
			return NULL;
		}
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			rdd_api_protobuf_fail(error, path, raw.pos, "the managed fields must be a JSON object");
			return NULL;
		}
	}
	if (node == NULL)
		return json_node_new(JSON_NODE_NULL);
	return g_steal_pointer(&node);
}

/* one entry {key = 1, value = 2} of a map field, added to @map; the last of a key wins */
static gboolean
rdd_api_protobuf_read_map_entry(RddApiProtobufReader *entry, const gchar *path, gboolean bytes, JsonObject *map, GError **error)
{
	g_autofree gchar *key = NULL;
	g_autoptr(JsonNode) value = NULL;

	while (entry->pos < entry->end) {
		guint32 number = 0;
		guint wire = 0;
		gsize key_pos = entry->pos;
		RddApiProtobufReader sub;

		if (!rdd_api_protobuf_read_tag(entry, path, &number, &wire, error))
			return FALSE;
		if (number != 1 && number != 2) {
			if (!rdd_api_protobuf_skip(entry, path, number, wire, 0, error))
				return FALSE;
			continue;
		}
		if (wire != RDD_API_PROTOBUF_WIRE_LEN) {
			rdd_api_protobuf_fail(error, path, key_pos,
					      "field %u (the %s of a map entry) must be length-delimited, "
					      "not %s",
					      number, number == 1 ? "key" : "value",
					      rdd_api_protobuf_wire_to_string(wire));
			return FALSE;
		}
		if (!rdd_api_protobuf_read_len(entry, path, number, &sub, error))
			return FALSE;
		if (number == 1) {
			if (!rdd_api_protobuf_check_text(&sub, path, error))
				return FALSE;
			g_free(key);
			key = g_strndup((const gchar *)sub.data + sub.pos, sub.end - sub.pos);
		} else {
			g_clear_pointer(&value, json_node_unref);
			value = bytes ? rdd_api_protobuf_bytes_node(&sub) :
					rdd_api_protobuf_string_node(&sub, path, error);
			if (value == NULL)
				return FALSE;
		}
	}
	/* absent parts are the zero values, as in Go */
	if (key == NULL)
		key = g_strdup("");
	if (value == NULL) {
		value = json_node_new(JSON_NODE_VALUE);
		json_node_set_string(value, "");
	}
	/* a key seen before is updated in place: replacing a member of a JsonObject searches its
	 * list of members, which would make many repeated keys quadratic */
	if (json_object_has_member(map, key)) {
		JsonNode *old = json_object_get_member(map, key);
		json_node_set_string(old, json_node_get_string(value));
		return TRUE;
	}
	json_object_set_member(map, key, g_steal_pointer(&value));
	return TRUE;
}

/* messages --------------------------------------------------------------------------------- */

static const RddApiProtobufField *
rdd_api_protobuf_find_field(const RddApiProtobufMessage *message, guint32 number)
{
	for (guint i = 0; i < message->n_fields; i++) {
		if (message->fields[i].number == number)
			return &message->fields[i];
	}
	return NULL;
}

static guint
rdd_api_protobuf_field_wire(const RddApiProtobufField *field)
{
	switch (field->type) {
	case RDD_API_PROTOBUF_INT32:
	case RDD_API_PROTOBUF_INT64:
	case RDD_API_PROTOBUF_BOOL:
		return RDD_API_PROTOBUF_WIRE_VARINT;
	default:
		return RDD_API_PROTOBUF_WIRE_LEN;
	}
}

static gboolean
rdd_api_protobuf_is_zero(JsonNode *node)
{
	GType type;

	if (!JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	type = json_node_get_value_type(node);
	if (type == G_TYPE_STRING)
		return json_node_get_string(node)[0] == '\0';
	if (type == G_TYPE_INT64)
		return json_node_get_int(node) == 0;
	if (type == G_TYPE_BOOLEAN)
		return !json_node_get_boolean(node);
	return FALSE;
}

/*
 * Applies Go's JSON encoding to what was read: zero values of omitempty fields go, absent fields
 * without omitempty get their zero value, absent nested messages are empty objects (themselves
 * finished) and absent times null. Bounded by the static nesting of the tables.
 */
static void
rdd_api_protobuf_finish(const RddApiProtobufMessage *message, JsonObject *obj)
{
	for (guint i = 0; i < message->n_fields; i++) {
		const RddApiProtobufField *field = &message->fields[i];
		JsonNode *node = json_object_get_member(obj, field->name);

		if ((field->flags & (RDD_API_PROTOBUF_REPEATED | RDD_API_PROTOBUF_POINTER)) != 0)
			continue;
		switch (field->type) {
		case RDD_API_PROTOBUF_MESSAGE:
			if (node == NULL) {
				g_autoptr(JsonObject) sub = json_object_new();
				rdd_api_protobuf_finish(field->message, sub);
				json_object_set_object_member(obj, field->name, g_steal_pointer(&sub));
			}
			break;
		case RDD_API_PROTOBUF_TIME:
		case RDD_API_PROTOBUF_MICRO_TIME:
			if (node == NULL)
				json_object_set_null_member(obj, field->name);
			break;
		case RDD_API_PROTOBUF_MAP_STRING:
		case RDD_API_PROTOBUF_MAP_BYTES:
		case RDD_API_PROTOBUF_FIELDS_V1:
			break;
		case RDD_API_PROTOBUF_STRING:
		case RDD_API_PROTOBUF_BYTES:
		case RDD_API_PROTOBUF_INT32:
		case RDD_API_PROTOBUF_INT64:
		case RDD_API_PROTOBUF_BOOL:
		default:
			if ((field->flags & RDD_API_PROTOBUF_ALWAYS) != 0) {
				if (node != NULL)
					break;
				if (field->type == RDD_API_PROTOBUF_BOOL)
					json_object_set_boolean_member(obj, field->name, FALSE);
				else if (field->type == RDD_API_PROTOBUF_INT32 || field->type == RDD_API_PROTOBUF_INT64)
					json_object_set_int_member(obj, field->name, 0);
				else
					json_object_set_string_member(obj, field->name, "");
			} else if (node != NULL && rdd_api_protobuf_is_zero(node)) {
				json_object_remove_member(obj, field->name);
			}
			break;
		}
	}
}

static gboolean rdd_api_protobuf_read_message(RddApiProtobufReader *reader,
					      const RddApiProtobufMessage *message,
					      const gchar *path,
					      guint depth,
					      JsonObject *obj,
					      GError **error);

/* the value of one known field, into @obj */
static gboolean
rdd_api_protobuf_read_field(RddApiProtobufReader *reader,
			    const RddApiProtobufField *field,
			    const gchar *parent_path,
			    guint depth,
			    JsonObject *obj,
			    GError **error)
{
	g_autofree gchar *path = g_strdup_printf("%s.%s", parent_path, field->name);
	g_autoptr(JsonNode) node = NULL;
	RddApiProtobufReader sub = {NULL, 0, 0};
	guint64 v = 0;

	if (rdd_api_protobuf_field_wire(field) == RDD_API_PROTOBUF_WIRE_VARINT) {
		if (!rdd_api_protobuf_read_varint(reader, path, &v, error))
			return FALSE;
	} else if (!rdd_api_protobuf_read_len(reader, path, field->number, &sub, error)) {
		return FALSE;
	}

	switch (field->type) {
	case RDD_API_PROTOBUF_STRING:
		node = rdd_api_protobuf_string_node(&sub, path, error);
		break;
	case RDD_API_PROTOBUF_BYTES:
		node = rdd_api_protobuf_bytes_node(&sub);
		break;
	case RDD_API_PROTOBUF_INT32:
		/* Go truncates the varint to 32 bits */
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_int(node, (gint32)(guint32)v);
		break;
	case RDD_API_PROTOBUF_INT64:
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_int(node, (gint64)v);
		break;
	case RDD_API_PROTOBUF_BOOL:
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_boolean(node, v != 0);
		break;
	case RDD_API_PROTOBUF_TIME:
	case RDD_API_PROTOBUF_MICRO_TIME:
		node = rdd_api_protobuf_time_node(&sub, path, field->type == RDD_API_PROTOBUF_MICRO_TIME, error);
		break;
	case RDD_API_PROTOBUF_FIELDS_V1:
		node = rdd_api_protobuf_fields_v1_node(&sub, path, error);
		break;
	case RDD_API_PROTOBUF_MAP_STRING:
	case RDD_API_PROTOBUF_MAP_BYTES: {
		JsonObject *map = rdd_json_object_ensure_object(obj, field->name);
		return rdd_api_protobuf_read_map_entry(
			&sub, path, field->type == RDD_API_PROTOBUF_MAP_BYTES, map, error);
	}
	case RDD_API_PROTOBUF_MESSAGE: {
		g_autoptr(JsonObject) sub_obj = NULL;
		if ((field->flags & RDD_API_PROTOBUF_REPEATED) == 0) {
			/* a message that occurs again is merged into what was read before */
			JsonNode *old = json_object_get_member(obj, field->name);
			if (old != NULL && JSON_NODE_HOLDS_OBJECT(old))
				sub_obj = json_object_ref(json_node_get_object(old));
		} else {
			JsonNode *old = json_object_get_member(obj, field->name);
			guint index = old != NULL && JSON_NODE_HOLDS_ARRAY(old) ?
					      json_array_get_length(json_node_get_array(old)) :
					      0;
			g_autofree gchar *item_path = g_strdup_printf("%s[%u]", path, index);
			g_free(path);
			path = g_steal_pointer(&item_path);
		}
		if (sub_obj == NULL)
			sub_obj = json_object_new();
		if (!rdd_api_protobuf_read_message(&sub, field->message, path, depth + 1, sub_obj, error))
			return FALSE;
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_set_object(node, sub_obj);
		break;
	}
	default:
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL, "%s: unknown field type %d", path,
			    (gint)field->type);
		return FALSE;
	}
	if (node == NULL)
		return FALSE;

	if ((field->flags & RDD_API_PROTOBUF_REPEATED) != 0) {
		JsonArray *array = rdd_json_object_ensure_array(obj, field->name);
		json_array_add_element(array, g_steal_pointer(&node));
	} else {
		/* a scalar that occurs again replaces what was read before */
		json_object_set_member(obj, field->name, g_steal_pointer(&node));
	}
	return TRUE;
}

/* a message by its table, into @obj (which may hold what an earlier occurrence gave) */
static gboolean
rdd_api_protobuf_read_message(RddApiProtobufReader *reader,
			      const RddApiProtobufMessage *message,
			      const gchar *path,
			      guint depth,
			      JsonObject *obj,
			      GError **error)
{
	if (depth > RDD_API_PROTOBUF_MAX_DEPTH) {
		rdd_api_protobuf_fail(error, path, reader->pos, "messages are nested deeper than %u levels",
				      (guint)RDD_API_PROTOBUF_MAX_DEPTH);
		return FALSE;
	}
	while (reader->pos < reader->end) {
		guint32 number = 0;
		guint wire = 0;
		gsize key_pos = reader->pos;
		const RddApiProtobufField *field;

		if (!rdd_api_protobuf_read_tag(reader, path, &number, &wire, error))
			return FALSE;
		field = rdd_api_protobuf_find_field(message, number);
		if (field == NULL) {
			if (!rdd_api_protobuf_skip(reader, path, number, wire, depth, error))
				return FALSE;
			continue;
		}
		if (wire != rdd_api_protobuf_field_wire(field)) {
			rdd_api_protobuf_fail(
				error, path, key_pos, "field %u (%s of %s) must be %s, not %s",
				number, field->name, message->name,
				rdd_api_protobuf_wire_to_string(rdd_api_protobuf_field_wire(field)),
				rdd_api_protobuf_wire_to_string(wire));
			return FALSE;
		}
		if (!rdd_api_protobuf_read_field(reader, field, path, depth, obj, error))
			return FALSE;
	}
	rdd_api_protobuf_finish(message, obj);
	return TRUE;
}

/* the envelope ----------------------------------------------------------------------------- */

typedef struct {
	gchar *api_version;
	gchar *kind;
	RddApiProtobufReader raw;
	gchar *content_encoding;
	gchar *content_type;
} RddApiProtobufUnknown;

static void
rdd_api_protobuf_unknown_clear(RddApiProtobufUnknown *unknown)
{
	g_free(unknown->api_version);
	g_free(unknown->kind);
	g_free(unknown->content_encoding);
	g_free(unknown->content_type);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddApiProtobufUnknown, rdd_api_protobuf_unknown_clear)

static gboolean
rdd_api_protobuf_read_string(RddApiProtobufReader *reader, const gchar *path, guint32 number, gchar **out, GError **error)
{
	RddApiProtobufReader sub;

	if (!rdd_api_protobuf_read_len(reader, path, number, &sub, error))
		return FALSE;
	if (!rdd_api_protobuf_check_text(&sub, path, error))
		return FALSE;
	g_free(*out);
	*out = g_strndup((const gchar *)sub.data + sub.pos, sub.end - sub.pos);
	return TRUE;
}

/* runtime.TypeMeta {apiVersion = 1, kind = 2} */
static gboolean
rdd_api_protobuf_read_type_meta(RddApiProtobufReader *reader, RddApiProtobufUnknown *unknown, GError **error)
{
	const gchar *path = "Unknown.typeMeta";

	while (reader->pos < reader->end) {
		guint32 number = 0;
		guint wire = 0;
		gsize key_pos = reader->pos;

		if (!rdd_api_protobuf_read_tag(reader, path, &number, &wire, error))
			return FALSE;
		if (number != 1 && number != 2) {
			if (!rdd_api_protobuf_skip(reader, path, number, wire, 1, error))
				return FALSE;
			continue;
		}
		if (wire != RDD_API_PROTOBUF_WIRE_LEN) {
			rdd_api_protobuf_fail(error, path, key_pos, "field %u (%s) must be length-delimited, not %s",
					      number, number == 1 ? "apiVersion" : "kind",
					      rdd_api_protobuf_wire_to_string(wire));
			return FALSE;
		}
		if (!rdd_api_protobuf_read_string(
			    reader, number == 1 ? "Unknown.typeMeta.apiVersion" : "Unknown.typeMeta.kind",
			    number, number == 1 ? &unknown->api_version : &unknown->kind, error))
			return FALSE;
	}
	return TRUE;
}

/* runtime.Unknown {typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4} */
static gboolean
rdd_api_protobuf_read_unknown(RddApiProtobufReader *reader, RddApiProtobufUnknown *unknown, GError **error)
{
	const gchar *names[] = {NULL, "typeMeta", "raw", "contentEncoding", "contentType"};

	/* no raw is an empty object */
	unknown->raw.data = reader->data;
	unknown->raw.pos = reader->end;
	unknown->raw.end = reader->end;
	while (reader->pos < reader->end) {
		guint32 number = 0;
		guint wire = 0;
		gsize key_pos = reader->pos;
		g_autofree gchar *path = NULL;
		RddApiProtobufReader sub;

		if (!rdd_api_protobuf_read_tag(reader, "Unknown", &number, &wire, error))
			return FALSE;
		if (number > 4) {
			if (!rdd_api_protobuf_skip(reader, "Unknown", number, wire, 0, error))
				return FALSE;
			continue;
		}
		path = g_strdup_printf("Unknown.%s", names[number]);
		if (wire != RDD_API_PROTOBUF_WIRE_LEN) {
			rdd_api_protobuf_fail(error, path, key_pos,
					      "field %u (%s) must be length-delimited, not %s", number,
					      names[number], rdd_api_protobuf_wire_to_string(wire));
			return FALSE;
		}
		switch (number) {
		case 1:
			if (!rdd_api_protobuf_read_len(reader, path, number, &sub, error))
				return FALSE;
			if (!rdd_api_protobuf_read_type_meta(&sub, unknown, error))
				return FALSE;
			break;
		case 2:
			if (!rdd_api_protobuf_read_len(reader, path, number, &unknown->raw, error))
				return FALSE;
			break;
		case 3:
			if (!rdd_api_protobuf_read_string(reader, path, number, &unknown->content_encoding, error))
				return FALSE;
			break;
		case 4:
		default:
			if (!rdd_api_protobuf_read_string(reader, path, number, &unknown->content_type, error))
				return FALSE;
			break;
		}
	}
	return TRUE;
}

/**
 * rdd_api_protobuf_decode:
 * @kind: the kind the request's URL names
 * @data: (array length=length): the request body
 * @length: the size of @data
 * @error: return location for an error
 *
 * Decodes a request body in the Kubernetes protobuf encoding (the magic `k8s\0` and a
 * runtime.Unknown envelope) for the core/v1 kinds Namespace, ConfigMap, Secret and Event, and for
 * a meta/v1 DeleteOptions whatever the URL's kind. The result is the JSON the Kubernetes JSON
 * encoding gives for the same object: `apiVersion` and `kind` from the envelope, omitempty zero
 * values left out, int64 as numbers, bytes as base64, times as RFC 3339 text (null when zero).
 *
 * The kind in the envelope must be @kind's (or DeleteOptions); an empty one means @kind. Malformed
 * input, unknown wire types, a kind that does not match and text that is not UTF-8 are
 * %RDD_ERROR_BAD_REQUEST, naming the field and the offset in @data; a kind without a protobuf
 * decoder is %RDD_ERROR_UNSUPPORTED_MEDIA_TYPE.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 *
 * Since: 0.1
 */
JsonNode *
rdd_api_protobuf_decode(RddKind *kind, const guint8 *data, gsize length, GError **error)
{
	g_auto(RddApiProtobufUnknown) unknown = {NULL, NULL, {NULL, 0, 0}, NULL, NULL};
	RddApiProtobufReader reader = {data, RDD_API_PROTOBUF_MAGIC_LEN, length};
	const RddApiProtobufMessage *message = NULL;
	const gchar *kind_name;
	const gchar *api_version;
	const gchar *body_kind;
	const gchar *body_api_version;
	g_autoptr(JsonObject) obj = NULL;
	JsonNode *root;

	g_return_val_if_fail(RDD_IS_KIND(kind), NULL);
	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (length < RDD_API_PROTOBUF_MAGIC_LEN ||
	    memcmp(data, RDD_API_PROTOBUF_MAGIC, RDD_API_PROTOBUF_MAGIC_LEN) != 0) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "cannot decode the protobuf request body: it does not start with "
				    "the Kubernetes protobuf prefix \"k8s\\x00\"");
		return NULL;
	}
	if (!rdd_api_protobuf_read_unknown(&reader, &unknown, error))
		return NULL;
	if (unknown.content_encoding != NULL && unknown.content_encoding[0] != '\0') {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "cannot decode the protobuf request body: the content encoding \"%s\" is "
			    "not supported; send the object unencoded",
			    unknown.content_encoding);
		return NULL;
	}
	if (unknown.content_type != NULL && unknown.content_type[0] != '\0' &&
	    g_strcmp0(unknown.content_type, "application/vnd.kubernetes.protobuf") != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
			    "cannot decode the protobuf request body: the embedded content type "
			    "\"%s\" is not supported; the raw object must be protobuf",
			    unknown.content_type);
		return NULL;
	}

	/* which message: the URL's kind, or DeleteOptions for a delete */
	kind_name = rdd_kind_get_name(kind);
	api_version = rdd_kind_get_api_version(kind);
	body_kind = unknown.kind != NULL && unknown.kind[0] != '\0' ? unknown.kind : kind_name;
	body_api_version = unknown.api_version != NULL && unknown.api_version[0] != '\0' ?
				   unknown.api_version :
				   api_version;
	if (g_strcmp0(body_kind, "DeleteOptions") == 0 && g_strcmp0(kind_name, "DeleteOptions") != 0) {
		if (g_strcmp0(body_api_version, api_version) != 0 && g_strcmp0(body_api_version, "v1") != 0 &&
		    g_strcmp0(body_api_version, "meta.k8s.io/v1") != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "cannot decode the protobuf request body: DeleteOptions of API "
				    "version %s is not supported (expected %s or meta.k8s.io/v1)",
				    body_api_version, api_version);
			return NULL;
		}
		message = &rdd_api_protobuf_delete_options;
	} else {
		if (g_strcmp0(body_kind, kind_name) != 0 || g_strcmp0(body_api_version, api_version) != 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "cannot decode the protobuf request body: the body holds kind %s "
				    "of API version %s, but the URL is for kind %s of API version %s",
				    body_kind, body_api_version, kind_name, api_version);
			return NULL;
		}
		if (g_strcmp0(api_version, "v1") == 0)
			message = rdd_api_protobuf_lookup_message(kind_name);
		if (message == NULL) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_UNSUPPORTED_MEDIA_TYPE,
				    "the body of the request was in an unknown format - "
				    "application/vnd.kubernetes.protobuf is not supported for %s "
				    "of API version %s; send application/json",
				    kind_name, api_version);
			return NULL;
		}
	}

	obj = json_object_new();
	json_object_set_string_member(obj, "apiVersion", body_api_version);
	json_object_set_string_member(obj, "kind", body_kind);
	if (!rdd_api_protobuf_read_message(&unknown.raw, message, message->name, 1, obj, error))
		return NULL;
	root = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(root, obj);
	return root;
}
