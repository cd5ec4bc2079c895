/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 *
 * The OpenAPI documents kubectl reads: `/openapi/v2` (Swagger 2.0, every kind) and
 * `/openapi/v3` (a discovery index, then one OpenAPI 3.0 document per group-version), built
 * from the kinds' CRD schemas the way kube-apiserver publishes custom resources.
 */

#include "config.h"

#include <string.h>

#include "rdd-api-private.h"

#define RDD_API_OPENAPI_CACHE_KEY "rdd-api-openapi-cache"

/* schemas are compiled with at most 64 levels; this only guards the walk */
#define RDD_API_OPENAPI_MAX_DEPTH 96

#define RDD_API_OPENAPI_V2_PREFIX "#/definitions/"
#define RDD_API_OPENAPI_V3_PREFIX "#/components/schemas/"

#define RDD_API_OPENAPI_META "io.k8s.apimachinery.pkg.apis.meta.v1."
#define RDD_API_OPENAPI_OBJECT_META RDD_API_OPENAPI_META "ObjectMeta"
#define RDD_API_OPENAPI_LIST_META RDD_API_OPENAPI_META "ListMeta"
#define RDD_API_OPENAPI_STATUS RDD_API_OPENAPI_META "Status"
#define RDD_API_OPENAPI_PATCH RDD_API_OPENAPI_META "Patch"
#define RDD_API_OPENAPI_DELETE_OPTIONS RDD_API_OPENAPI_META "DeleteOptions"

#define RDD_API_OPENAPI_CONVENTIONS \
	"https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"

#define RDD_API_OPENAPI_API_VERSION_DOC                                                         \
	"APIVersion defines the versioned schema of this representation of an object. Servers " \
	"should convert recognized schemas to the latest internal value, and may reject "       \
	"unrecognized values. More info: " RDD_API_OPENAPI_CONVENTIONS "#resources"
#define RDD_API_OPENAPI_KIND_DOC                                                                  \
	"Kind is a string value representing the REST resource this object represents. Servers "  \
	"may infer this from the endpoint the client submits requests to. Cannot be updated. In " \
	"CamelCase. More info: " RDD_API_OPENAPI_CONVENTIONS "#types-kinds"
#define RDD_API_OPENAPI_METADATA_DOC \
	"Standard object's metadata. More info: " RDD_API_OPENAPI_CONVENTIONS "#metadata"
#define RDD_API_OPENAPI_LIST_METADATA_DOC \
	"Standard list metadata. More info: " RDD_API_OPENAPI_CONVENTIONS "#types-kinds"

/* one generated document */
typedef struct {
	GBytes *bytes;
	gchar *etag; /* upper-case hex SHA-512 of bytes, without quotes */
} RddApiOpenapiDoc;

/* the documents of one server, for one set of kinds */
typedef struct {
	guint n_kinds;
	GHashTable *docs; /* "v2", "v3", "v3/api/v1", "v3/apis/<group>/<version>" -> doc */
} RddApiOpenapiCache;

static void
rdd_api_openapi_doc_free(RddApiOpenapiDoc *doc)
{
	g_bytes_unref(doc->bytes);
	g_free(doc->etag);
	g_free(doc);
}

static void
rdd_api_openapi_cache_free(RddApiOpenapiCache *cache)
{
	g_hash_table_unref(cache->docs);
	g_free(cache);
}

/* ---------------------------------------------------------------------------------------- */
/* the apimachinery types every document refers to, in OpenAPI v2 form */

static const gchar rdd_api_openapi_meta_json[] =
	"{"
	"\"" RDD_API_OPENAPI_META "DeleteOptions\":{"
	"\"description\":\"DeleteOptions may be provided when deleting an API object.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"apiVersion\":{\"type\":\"string\",\"description\":\"" RDD_API_OPENAPI_API_VERSION_DOC "\"},"
	"\"dryRun\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
	"\"x-kubernetes-list-type\":\"atomic\","
	"\"description\":\"When present, indicates that modifications should not be persisted. The only "
	"valid value is All: all dry run stages are processed.\"},"
	"\"gracePeriodSeconds\":{\"type\":\"integer\",\"format\":\"int64\","
	"\"description\":\"The duration in seconds before the object should be deleted. Zero means "
	"delete immediately.\"},"
	"\"kind\":{\"type\":\"string\",\"description\":\"" RDD_API_OPENAPI_KIND_DOC "\"},"
	"\"orphanDependents\":{\"type\":\"boolean\",\"description\":\"Deprecated: use "
	"propagationPolicy. Whether the dependent objects are orphaned.\"},"
	"\"preconditions\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "Preconditions\","
	"\"description\":\"Must be fulfilled before a deletion is carried out.\"},"
	"\"propagationPolicy\":{\"type\":\"string\",\"description\":\"Whether and how garbage "
	"collection is performed: Orphan, Background or Foreground.\"}},"
	"\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"DeleteOptions\","
	"\"version\":\"v1\"}]},"

	"\"" RDD_API_OPENAPI_META "FieldsV1\":{"
	"\"description\":\"FieldsV1 stores a set of fields in a data structure like a Trie, in JSON "
	"format.\","
	"\"type\":\"object\"},"

	"\"" RDD_API_OPENAPI_META "ListMeta\":{"
	"\"description\":\"ListMeta describes metadata that synthetic resources must have, including "
	"lists.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"continue\":{\"type\":\"string\",\"description\":\"Set when the list was truncated by a "
	"limit: pass it as the continue parameter to get the next page.\"},"
	"\"remainingItemCount\":{\"type\":\"integer\",\"format\":\"int64\",\"description\":\"The "
	"number of items left after this page of a limited list, when known.\"},"
	"\"resourceVersion\":{\"type\":\"string\",\"description\":\"The version of the list, to "
	"watch for changes from. Opaque to clients.\"},"
	"\"selfLink\":{\"type\":\"string\",\"description\":\"Deprecated: never set.\"}}},"

	"\"" RDD_API_OPENAPI_META "ManagedFieldsEntry\":{"
	"\"description\":\"ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of "
	"the resource that the fieldset applies to.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"apiVersion\":{\"type\":\"string\",\"description\":\"The version of the resource this "
	"field set applies to.\"},"
	"\"fieldsType\":{\"type\":\"string\",\"description\":\"The format of the fields: always "
	"FieldsV1.\"},"
	"\"fieldsV1\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "FieldsV1\","
	"\"description\":\"The fields owned by this manager.\"},"
	"\"manager\":{\"type\":\"string\",\"description\":\"The identifier of the workflow managing "
	"these fields.\"},"
	"\"operation\":{\"type\":\"string\",\"description\":\"The operation that made this entry: "
	"Apply or Update.\"},"
	"\"subresource\":{\"type\":\"string\",\"description\":\"The subresource used to update the "
	"object, empty for the main resource.\"},"
	"\"time\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "Time\","
	"\"description\":\"When the fields were last changed by this manager.\"}}},"

	"\"" RDD_API_OPENAPI_META "ObjectMeta\":{"
	"\"description\":\"ObjectMeta is metadata that all persisted resources must have, which "
	"includes all objects users must create.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"annotations\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"
	"\"description\":\"Annotations is an unstructured key value map stored with a resource that "
	"may be set by external tools to store and retrieve arbitrary metadata. They are not "
	"queryable.\"},"
	"\"creationTimestamp\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "Time\","
	"\"description\":\"When this object was created, set by the server. Read-only.\"},"
	"\"deletionGracePeriodSeconds\":{\"type\":\"integer\",\"format\":\"int64\","
	"\"description\":\"Seconds allowed for this object to terminate gracefully before it is "
	"removed. Read-only.\"},"
	"\"deletionTimestamp\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "Time\","
	"\"description\":\"When this object will be deleted, set by the server when a graceful "
	"deletion is requested. Read-only.\"},"
	"\"finalizers\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
	"\"x-kubernetes-list-type\":\"set\",\"x-kubernetes-patch-strategy\":\"merge\","
	"\"description\":\"Must be empty before the object is deleted from the registry. Each entry "
	"is an identifier for the responsible component that will remove the entry from the list.\"},"
	"\"generateName\":{\"type\":\"string\",\"description\":\"An optional prefix, used by the "
	"server to generate a unique name only if the name field has not been provided.\"},"
	"\"generation\":{\"type\":\"integer\",\"format\":\"int64\",\"description\":\"A sequence "
	"number representing a specific generation of the desired state. Read-only.\"},"
	"\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"
	"\"description\":\"Map of string keys and values that can be used to organize and categorize "
	"(scope and select) objects.\"},"
	"\"managedFields\":{\"type\":\"array\",\"items\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META
	"ManagedFieldsEntry\"},\"x-kubernetes-list-type\":\"atomic\","
	"\"description\":\"Maps workflow-id and version to the set of fields that are managed by "
	"that workflow.\"},"
	"\"name\":{\"type\":\"string\",\"description\":\"Name must be unique within a namespace. "
	"Cannot be updated.\"},"
	"\"namespace\":{\"type\":\"string\",\"description\":\"The namespace the object lives in; "
	"empty for cluster-scoped objects. Cannot be updated.\"},"
	"\"ownerReferences\":{\"type\":\"array\",\"items\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META
	"OwnerReference\"},"
	"\"x-kubernetes-list-map-keys\":[\"uid\"],\"x-kubernetes-list-type\":\"map\","
	"\"x-kubernetes-patch-merge-key\":\"uid\",\"x-kubernetes-patch-strategy\":\"merge\","
	"\"description\":\"List of objects depended by this object. If all objects in the list have "
	"been deleted, this object will be garbage collected.\"},"
	"\"resourceVersion\":{\"type\":\"string\",\"description\":\"An opaque value that represents "
	"the internal version of this object, for optimistic concurrency and watches. Read-only.\"},"
	"\"selfLink\":{\"type\":\"string\",\"description\":\"Deprecated: never set.\"},"
	"\"uid\":{\"type\":\"string\",\"description\":\"The unique in time and space value for "
	"this object, generated by the server on creation. Read-only.\"}}},"

	"\"" RDD_API_OPENAPI_META "OwnerReference\":{"
	"\"description\":\"OwnerReference contains enough information to let you identify an owning "
	"object. An owning object must be in the same namespace as the dependent, or be "
	"cluster-scoped.\","
	"\"type\":\"object\","
	"\"required\":[\"apiVersion\",\"kind\",\"name\",\"uid\"],"
	"\"properties\":{"
	"\"apiVersion\":{\"type\":\"string\",\"description\":\"API version of the referent.\"},"
	"\"blockOwnerDeletion\":{\"type\":\"boolean\",\"description\":\"If true, the owner cannot "
	"be deleted from the key-value store until this reference is removed.\"},"
	"\"controller\":{\"type\":\"boolean\",\"description\":\"If true, this reference points to "
	"the managing controller.\"},"
	"\"kind\":{\"type\":\"string\",\"description\":\"Kind of the referent.\"},"
	"\"name\":{\"type\":\"string\",\"description\":\"Name of the referent.\"},"
	"\"uid\":{\"type\":\"string\",\"description\":\"UID of the referent.\"}},"
	"\"x-kubernetes-map-type\":\"atomic\"},"

	"\"" RDD_API_OPENAPI_META "Patch\":{"
	"\"description\":\"Patch is provided to give a concrete name and type to the Kubernetes PATCH "
	"request body.\","
	"\"type\":\"object\"},"

	"\"" RDD_API_OPENAPI_META "Preconditions\":{"
	"\"description\":\"Preconditions must be fulfilled before an operation (update, delete, etc.) "
	"is carried out.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"resourceVersion\":{\"type\":\"string\",\"description\":\"Specifies the target "
	"ResourceVersion.\"},"
	"\"uid\":{\"type\":\"string\",\"description\":\"Specifies the target UID.\"}}},"

	"\"" RDD_API_OPENAPI_META "Status\":{"
	"\"description\":\"Status is a return value for calls that don't return other objects.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"apiVersion\":{\"type\":\"string\",\"description\":\"" RDD_API_OPENAPI_API_VERSION_DOC "\"},"
	"\"code\":{\"type\":\"integer\",\"format\":\"int32\",\"description\":\"Suggested HTTP return "
	"code for this status, 0 if not set.\"},"
	"\"details\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "StatusDetails\","
	"\"description\":\"Extended data associated with the reason.\"},"
	"\"kind\":{\"type\":\"string\",\"description\":\"" RDD_API_OPENAPI_KIND_DOC "\"},"
	"\"message\":{\"type\":\"string\",\"description\":\"A human-readable description of the "
	"status of this operation.\"},"
	"\"metadata\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META "ListMeta\","
	"\"description\":\"" RDD_API_OPENAPI_LIST_METADATA_DOC "\"},"
	"\"reason\":{\"type\":\"string\",\"description\":\"A machine-readable description of why "
	"this operation is in the Failure status.\"},"
	"\"status\":{\"type\":\"string\",\"description\":\"Status of the operation: Success or "
	"Failure.\"}},"
	"\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"Status\","
	"\"version\":\"v1\"}]},"

	"\"" RDD_API_OPENAPI_META "StatusCause\":{"
	"\"description\":\"StatusCause provides more information about an api.Status failure, "
	"including cases when multiple errors are encountered.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"field\":{\"type\":\"string\",\"description\":\"The field of the resource that has caused "
	"this error, as named by its JSON serialization.\"},"
	"\"message\":{\"type\":\"string\",\"description\":\"A human-readable description of the "
	"cause of the error.\"},"
	"\"reason\":{\"type\":\"string\",\"description\":\"A machine-readable description of the "
	"cause of the error.\"}}},"

	"\"" RDD_API_OPENAPI_META "StatusDetails\":{"
	"\"description\":\"StatusDetails is a set of additional properties that MAY be set by the "
	"server to provide additional information about a response.\","
	"\"type\":\"object\","
	"\"properties\":{"
	"\"causes\":{\"type\":\"array\",\"items\":{\"$ref\":\"" RDD_API_OPENAPI_V2_PREFIX RDD_API_OPENAPI_META
	"StatusCause\"},\"x-kubernetes-list-type\":\"atomic\","
	"\"description\":\"The causes of the error, for example one per invalid field.\"},"
	"\"group\":{\"type\":\"string\",\"description\":\"The group attribute of the resource "
	"associated with the status.\"},"
	"\"kind\":{\"type\":\"string\",\"description\":\"The kind attribute of the resource "
	"associated with the status.\"},"
	"\"name\":{\"type\":\"string\",\"description\":\"The name attribute of the resource "
	"associated with the status.\"},"
	"\"retryAfterSeconds\":{\"type\":\"integer\",\"format\":\"int32\",\"description\":\"If "
	"specified, the time in seconds before the operation should be retried.\"},"
	"\"uid\":{\"type\":\"string\",\"description\":\"UID of the resource.\"}}},"

	"\"" RDD_API_OPENAPI_META "Time\":{"
	"\"description\":\"Time is a wrapper around time.Time which supports correct marshaling to "
	"YAML and JSON, in RFC 3339 form.\","
	"\"type\":\"string\","
	"\"format\":\"date-time\"}"
	"}";

/* rewrites "#/definitions/" references to "#/components/schemas/"; a reference with siblings
 * (a description) becomes `allOf: [{$ref}]`, since OpenAPI 3.0 ignores the siblings of $ref */
static void
rdd_api_openapi_refs_to_v3(JsonNode *node, guint depth)
{
	JsonObject *obj;
	JsonObjectIter iter;
	const gchar *member;
	JsonNode *value;
	const gchar *ref;

	if (depth > RDD_API_OPENAPI_MAX_DEPTH)
		return;
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++)
			rdd_api_openapi_refs_to_v3(json_array_get_element(array, i), depth + 1);
		return;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return;
	obj = json_node_get_object(node);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &member, &value))
		rdd_api_openapi_refs_to_v3(value, depth + 1);
	ref = json_object_get_string_member_with_default(obj, "$ref", NULL);
	if (ref == NULL || !g_str_has_prefix(ref, RDD_API_OPENAPI_V2_PREFIX))
		return;
	{
		g_autofree gchar *v3 = g_strconcat(RDD_API_OPENAPI_V3_PREFIX,
						   ref + strlen(RDD_API_OPENAPI_V2_PREFIX), NULL);
		if (json_object_get_size(obj) == 1) {
			json_object_set_string_member(obj, "$ref", v3);
		} else {
			JsonArray *all_of = json_array_new();
			JsonObject *inner = json_object_new();
			json_object_set_string_member(inner, "$ref", v3);
			json_array_add_object_element(all_of, inner);
			json_object_remove_member(obj, "$ref");
			json_object_set_array_member(obj, "allOf", all_of);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* names */

/* the definition name Kubernetes gives a kind: `io.k8s.api.core.v1.ConfigMap` for core kinds,
 * the reversed group otherwise: `io.rancherdesktop.app.v1alpha1.Demo` */
static gchar *
rdd_api_openapi_definition_name(const gchar *group, const gchar *version, const gchar *kind)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GString) out = NULL;
	guint n;

	if (group[0] == '\0')
		return g_strdup_printf("io.k8s.api.core.%s.%s", version, kind);
	parts = g_strsplit(group, ".", -1);
	n = g_strv_length(parts);
	out = g_string_new(NULL);
	for (guint i = n; i > 0; i--) {
		g_string_append(out, parts[i - 1]);
		g_string_append_c(out, '.');
	}
	g_string_append_printf(out, "%s.%s", version, kind);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* `core`, `appRancherdesktopIo`: the group as kube-apiserver writes it in operation IDs */
static gchar *
rdd_api_openapi_group_id(const gchar *group)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean upper = FALSE;
	g_autofree gchar *trimmed = NULL;

	if (group[0] == '\0')
		return g_strdup("core");
	trimmed = g_str_has_suffix(group, ".k8s.io") && strlen(group) > strlen(".k8s.io") ?
			  g_strndup(group, strlen(group) - strlen(".k8s.io")) :
			  g_strdup(group);
	for (const gchar *p = trimmed; *p != '\0'; p++) {
		if (*p == '.' || *p == '-') {
			upper = TRUE;
			continue;
		}
		g_string_append_c(out, upper ? g_ascii_toupper(*p) : *p);
		upper = FALSE;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gchar *
rdd_api_openapi_title(const gchar *str)
{
	gchar *out = g_strdup(str);
	if (out[0] != '\0')
		out[0] = g_ascii_toupper(out[0]);
	return out;
}

/* `api/v1` or `apis/<group>/<version>` */
static gchar *
rdd_api_openapi_gv_path(const gchar *group, const gchar *version)
{
	if (group[0] == '\0')
		return g_strdup_printf("api/%s", version);
	return g_strdup_printf("apis/%s/%s", group, version);
}

/* ---------------------------------------------------------------------------------------- */
/* small builders */

static JsonObject *
rdd_api_openapi_add_object(JsonObject *parent, const gchar *member)
{
	JsonObject *child = json_object_new();
	json_object_set_object_member(parent, member, child);
	return child;
}

static JsonArray *
rdd_api_openapi_add_array(JsonObject *parent, const gchar *member)
{
	JsonArray *child = json_array_new();
	json_object_set_array_member(parent, member, child);
	return child;
}

static JsonObject *
rdd_api_openapi_append_object(JsonArray *array)
{
	JsonObject *child = json_object_new();
	json_array_add_object_element(array, child);
	return child;
}

static void
rdd_api_openapi_set_ref(JsonObject *obj, gboolean v3, const gchar *definition)
{
	g_autofree gchar *ref =
		g_strconcat(v3 ? RDD_API_OPENAPI_V3_PREFIX : RDD_API_OPENAPI_V2_PREFIX, definition, NULL);
	json_object_set_string_member(obj, "$ref", ref);
}

/* a reference with a description: `$ref` and `description` in v2 (as kube-apiserver writes
 * it), `allOf: [{$ref}]` and `description` in v3 */
static void
rdd_api_openapi_set_described_ref(JsonObject *obj, gboolean v3, const gchar *definition, const gchar *description)
{
	if (v3) {
		JsonArray *all_of = rdd_api_openapi_add_array(obj, "allOf");
		rdd_api_openapi_set_ref(rdd_api_openapi_append_object(all_of), TRUE, definition);
	} else {
		rdd_api_openapi_set_ref(obj, FALSE, definition);
	}
	json_object_set_string_member(obj, "description", description);
}

static void
rdd_api_openapi_add_gvk(JsonObject *obj, const gchar *group, const gchar *version, const gchar *kind, gboolean as_array)
{
	JsonObject *gvk = json_object_new();
	json_object_set_string_member(gvk, "group", group);
	json_object_set_string_member(gvk, "kind", kind);
	json_object_set_string_member(gvk, "version", version);
	if (as_array) {
		JsonArray *array = rdd_api_openapi_add_array(obj, "x-kubernetes-group-version-kind");
		json_array_add_object_element(array, gvk);
	} else {
		json_object_set_object_member(obj, "x-kubernetes-group-version-kind", gvk);
	}
}

static void
rdd_api_openapi_add_type_meta(JsonObject *properties)
{
	JsonObject *prop = rdd_api_openapi_add_object(properties, "apiVersion");
	json_object_set_string_member(prop, "description", RDD_API_OPENAPI_API_VERSION_DOC);
	json_object_set_string_member(prop, "type", "string");
	prop = rdd_api_openapi_add_object(properties, "kind");
	json_object_set_string_member(prop, "description", RDD_API_OPENAPI_KIND_DOC);
	json_object_set_string_member(prop, "type", "string");
}

/* ---------------------------------------------------------------------------------------- */
/* schemas */

static gboolean
rdd_api_openapi_member_is_true(JsonObject *obj, const gchar *member)
{
	JsonNode *node = json_object_get_member(obj, member);
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_BOOLEAN && json_node_get_boolean(node);
}

static gboolean
rdd_api_openapi_node_is_nullable(JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_OBJECT(node) &&
	       rdd_api_openapi_member_is_true(json_node_get_object(node), "nullable");
}

/* the keywords copied as they are; the structural schema has no others (`example` and
 * `externalDocs` are dropped, as kube-apiserver drops them) */
static gboolean
rdd_api_openapi_keyword_is_kept(const gchar *keyword)
{
	static const gchar *const kept[] = {"type",
					    "format",
					    "title",
					    "description",
					    "default",
					    "enum",
					    "pattern",
					    "minimum",
					    "maximum",
					    "exclusiveMinimum",
					    "exclusiveMaximum",
					    "multipleOf",
					    "minLength",
					    "maxLength",
					    "minItems",
					    "maxItems",
					    "uniqueItems",
					    "minProperties",
					    "maxProperties",
					    "required",
					    NULL};
	if (g_str_has_prefix(keyword, "x-kubernetes-"))
		return TRUE;
	return g_strv_contains(kept, keyword);
}

static void
rdd_api_openapi_remove_required(JsonObject *obj, const gchar *name)
{
	JsonArray *required;
	JsonArray *kept;

	if (!json_object_has_member(obj, "required") ||
	    !JSON_NODE_HOLDS_ARRAY(json_object_get_member(obj, "required")))
		return;
	required = json_object_get_array_member(obj, "required");
	kept = json_array_new();
	for (guint i = 0; i < json_array_get_length(required); i++) {
		JsonNode *element = json_array_get_element(required, i);
		if (JSON_NODE_HOLDS_VALUE(element) && json_node_get_value_type(element) == G_TYPE_STRING &&
		    g_strcmp0(json_node_get_string(element), name) == 0)
			continue;
		json_array_add_element(kept, rdd_json_deep_copy(element));
	}
	json_object_set_array_member(obj, "required", kept);
}

static void
rdd_api_openapi_add_required(JsonObject *obj, const gchar *name)
{
	JsonArray *required = rdd_json_object_ensure_array(obj, "required");
	for (guint i = 0; i < json_array_get_length(required); i++) {
		JsonNode *element = json_array_get_element(required, i);
		if (JSON_NODE_HOLDS_VALUE(element) && json_node_get_value_type(element) == G_TYPE_STRING &&
		    g_strcmp0(json_node_get_string(element), name) == 0)
			return;
	}
	json_array_add_string_element(required, name);
}

static JsonNode *rdd_api_openapi_convert_schema(JsonNode *in, gboolean v3, guint depth);

static JsonNode *
rdd_api_openapi_convert_schema_array(JsonNode *in, gboolean v3, guint depth)
{
	JsonArray *src = json_node_get_array(in);
	JsonArray *dst = json_array_new();
	JsonNode *out = json_node_new(JSON_NODE_ARRAY);
	for (guint i = 0; i < json_array_get_length(src); i++) {
		json_array_add_element(dst, rdd_api_openapi_convert_schema(
						    json_array_get_element(src, i), v3, depth + 1));
	}
	json_node_take_array(out, dst);
	return out;
}

/*
 * One CRD schema node as kube-apiserver publishes it. In v3 it is the structural schema as
 * written, with `x-kubernetes-int-or-string` unfolded into `anyOf: [integer, string]`. In v2
 * (ToStructuralOpenAPIV2) junctors are dropped; a nullable node loses its type, items and
 * properties, and `nullable` itself; a node that preserves unknown fields loses its items and
 * properties (and `type: object`), so that kubectl does not reject the fields it cannot see;
 * an array without items loses its type; and a nullable property is no longer required.
 * Embedded resources get apiVersion, kind and metadata.
 */
static JsonNode *
rdd_api_openapi_convert_schema(JsonNode *in, gboolean v3, guint depth)
{
	JsonObject *src;
	JsonObject *dst = json_object_new();
	JsonNode *out = json_node_new(JSON_NODE_OBJECT);
	JsonObjectIter iter;
	const gchar *member;
	JsonNode *value;
	gboolean preserve;

	json_node_take_object(out, dst);
	/* too deep or not a schema: an untyped schema accepts anything */
	if (in == NULL || !JSON_NODE_HOLDS_OBJECT(in) || depth > RDD_API_OPENAPI_MAX_DEPTH)
		return out;
	src = json_node_get_object(in);
	preserve = rdd_api_openapi_member_is_true(src, "x-kubernetes-preserve-unknown-fields");

	json_object_iter_init(&iter, src);
	while (json_object_iter_next(&iter, &member, &value)) {
		if (g_strcmp0(member, "properties") == 0) {
			JsonObject *props;
			JsonObjectIter piter;
			const gchar *pname;
			JsonNode *pvalue;
			if (!JSON_NODE_HOLDS_OBJECT(value))
				continue;
			props = rdd_api_openapi_add_object(dst, "properties");
			json_object_iter_init(&piter, json_node_get_object(value));
			while (json_object_iter_next(&piter, &pname, &pvalue)) {
				json_object_set_member(props, pname,
						       rdd_api_openapi_convert_schema(pvalue, v3, depth + 1));
			}
		} else if (g_strcmp0(member, "items") == 0 || (g_strcmp0(member, "not") == 0 && v3)) {
			if (JSON_NODE_HOLDS_OBJECT(value))
				json_object_set_member(dst, member,
						       rdd_api_openapi_convert_schema(value, v3, depth + 1));
		} else if (g_strcmp0(member, "additionalProperties") == 0) {
			if (JSON_NODE_HOLDS_OBJECT(value))
				json_object_set_member(dst, member,
						       rdd_api_openapi_convert_schema(value, v3, depth + 1));
			else
				json_object_set_member(dst, member, rdd_json_deep_copy(value));
		} else if (g_strcmp0(member, "allOf") == 0 || g_strcmp0(member, "anyOf") == 0 ||
			   g_strcmp0(member, "oneOf") == 0) {
			if (v3 && JSON_NODE_HOLDS_ARRAY(value))
				json_object_set_member(dst, member,
						       rdd_api_openapi_convert_schema_array(value, v3, depth));
		} else if (g_strcmp0(member, "nullable") == 0) {
			if (v3)
				json_object_set_member(dst, member, rdd_json_deep_copy(value));
		} else if (rdd_api_openapi_keyword_is_kept(member)) {
			json_object_set_member(dst, member, rdd_json_deep_copy(value));
		}
	}

	if (v3 && rdd_api_openapi_member_is_true(src, "x-kubernetes-int-or-string") &&
	    !json_object_has_member(dst, "anyOf") && !json_object_has_member(dst, "allOf") &&
	    !json_object_has_member(dst, "oneOf")) {
		JsonArray *any_of = rdd_api_openapi_add_array(dst, "anyOf");
		json_object_set_string_member(rdd_api_openapi_append_object(any_of), "type", "integer");
		json_object_set_string_member(rdd_api_openapi_append_object(any_of), "type", "string");
	}

	if (!v3) {
		JsonNode *additional = json_object_get_member(src, "additionalProperties");
		JsonNode *props = json_object_get_member(src, "properties");
		if (rdd_api_openapi_member_is_true(src, "nullable")) {
			json_object_remove_member(dst, "type");
			json_object_remove_member(dst, "items");
			json_object_remove_member(dst, "properties");
		}
		if (preserve) {
			json_object_remove_member(dst, "items");
			json_object_remove_member(dst, "properties");
			if (g_strcmp0(json_object_get_string_member_with_default(dst, "type", ""), "object") == 0)
				json_object_remove_member(dst, "type");
		}
		if (!json_object_has_member(dst, "items") &&
		    g_strcmp0(json_object_get_string_member_with_default(dst, "type", ""), "array") == 0)
			json_object_remove_member(dst, "type");
		if (props != NULL && JSON_NODE_HOLDS_OBJECT(props)) {
			JsonObjectIter piter;
			const gchar *pname;
			JsonNode *pvalue;
			json_object_iter_init(&piter, json_node_get_object(props));
			while (json_object_iter_next(&piter, &pname, &pvalue)) {
				if (rdd_api_openapi_node_is_nullable(pvalue))
					rdd_api_openapi_remove_required(dst, pname);
			}
		}
		if (rdd_api_openapi_node_is_nullable(additional))
			json_object_remove_member(dst, "required");
	}

	if (rdd_api_openapi_member_is_true(src, "x-kubernetes-embedded-resource") && (v3 || !preserve)) {
		JsonObject *props = rdd_json_object_ensure_object(dst, "properties");
		JsonObject *metadata = json_object_new();
		rdd_api_openapi_add_type_meta(props);
		rdd_api_openapi_set_described_ref(metadata, v3, RDD_API_OPENAPI_OBJECT_META,
						  RDD_API_OPENAPI_METADATA_DOC);
		json_object_set_object_member(props, "metadata", metadata);
		rdd_api_openapi_add_required(dst, "kind");
		rdd_api_openapi_add_required(dst, "apiVersion");
	}

	if (json_object_has_member(dst, "required") &&
	    JSON_NODE_HOLDS_ARRAY(json_object_get_member(dst, "required")) &&
	    json_array_get_length(json_object_get_array_member(dst, "required")) == 0)
		json_object_remove_member(dst, "required");
	return out;
}

/* the schema of a kind: its CRD schema with apiVersion, kind and metadata */
static JsonNode *
rdd_api_openapi_kind_schema(RddKind *kind, gboolean v3)
{
	RddSchema *schema = rdd_kind_get_schema(kind);
	JsonNode *in = schema != NULL ? rdd_schema_get_node(schema) : NULL;
	JsonNode *out;
	JsonObject *obj;

	if (in == NULL || !JSON_NODE_HOLDS_OBJECT(in) ||
	    (!v3 && rdd_api_openapi_member_is_true(json_node_get_object(in), "x-kubernetes-preserve-unknown-fields"))) {
		/* no properties at all, or kubectl would reject every field it does not see */
		out = json_node_new(JSON_NODE_OBJECT);
		obj = json_object_new();
		json_node_take_object(out, obj);
		json_object_set_string_member(obj, "type", "object");
	} else {
		JsonObject *props;
		JsonObject *metadata = json_object_new();
		out = rdd_api_openapi_convert_schema(in, v3, 0);
		obj = json_node_get_object(out);
		props = rdd_json_object_ensure_object(obj, "properties");
		rdd_api_openapi_add_type_meta(props);
		rdd_api_openapi_set_described_ref(metadata, v3, RDD_API_OPENAPI_OBJECT_META,
						  RDD_API_OPENAPI_METADATA_DOC);
		json_object_set_object_member(props, "metadata", metadata);
		if (!json_object_has_member(obj, "type"))
			json_object_set_string_member(obj, "type", "object");
	}
	rdd_api_openapi_add_gvk(obj, rdd_kind_get_group(kind), rdd_kind_get_version(kind),
				rdd_kind_get_name(kind), TRUE);
	return out;
}

static JsonNode *
rdd_api_openapi_list_schema(RddKind *kind, gboolean v3)
{
	JsonNode *out = json_node_new(JSON_NODE_OBJECT);
	JsonObject *obj = json_object_new();
	JsonObject *props;
	JsonObject *items;
	JsonObject *metadata;
	g_autofree gchar *name = rdd_api_openapi_definition_name(
		rdd_kind_get_group(kind), rdd_kind_get_version(kind), rdd_kind_get_name(kind));
	g_autofree gchar *description = g_strdup_printf(
		"%s is a list of %s", rdd_kind_get_list_kind(kind), rdd_kind_get_name(kind));
	g_autofree gchar *items_doc = g_strdup_printf(
		"List of %s. More info: %s", rdd_kind_get_plural(kind), RDD_API_OPENAPI_CONVENTIONS);

	json_node_take_object(out, obj);
	json_object_set_string_member(obj, "description", description);
	json_object_set_string_member(obj, "type", "object");
	json_array_add_string_element(rdd_api_openapi_add_array(obj, "required"), "items");
	props = rdd_api_openapi_add_object(obj, "properties");
	rdd_api_openapi_add_type_meta(props);
	items = rdd_api_openapi_add_object(props, "items");
	json_object_set_string_member(items, "description", items_doc);
	json_object_set_string_member(items, "type", "array");
	rdd_api_openapi_set_ref(rdd_api_openapi_add_object(items, "items"), v3, name);
	metadata = rdd_api_openapi_add_object(props, "metadata");
	rdd_api_openapi_set_described_ref(metadata, v3, RDD_API_OPENAPI_LIST_META, RDD_API_OPENAPI_LIST_METADATA_DOC);
	rdd_api_openapi_add_gvk(obj, rdd_kind_get_group(kind), rdd_kind_get_version(kind),
				rdd_kind_get_list_kind(kind), TRUE);
	return out;
}

/* adds the meta definitions, then every kind's and list's */
static gboolean
rdd_api_openapi_add_definitions(JsonObject *definitions, GPtrArray *kinds, gboolean v3, GError **error)
{
	g_autoptr(JsonNode) meta = rdd_json_parse(rdd_api_openapi_meta_json, -1, error);
	JsonObjectIter iter;
	const gchar *member;
	JsonNode *value;

	if (meta == NULL) {
		g_prefix_error(error, "the built-in ObjectMeta definitions do not parse: ");
		return FALSE;
	}
	if (v3)
		rdd_api_openapi_refs_to_v3(meta, 0);
	json_object_iter_init(&iter, json_node_get_object(meta));
	while (json_object_iter_next(&iter, &member, &value))
		json_object_set_member(definitions, member, rdd_json_deep_copy(value));

	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		g_autofree gchar *name = rdd_api_openapi_definition_name(
			rdd_kind_get_group(kind), rdd_kind_get_version(kind), rdd_kind_get_name(kind));
		g_autofree gchar *list_name = rdd_api_openapi_definition_name(
			rdd_kind_get_group(kind), rdd_kind_get_version(kind), rdd_kind_get_list_kind(kind));
		json_object_set_member(definitions, name, rdd_api_openapi_kind_schema(kind, v3));
		json_object_set_member(definitions, list_name, rdd_api_openapi_list_schema(kind, v3));
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* paths and operations */

typedef struct {
	const gchar *name;
	const gchar *in; /* "query" or "path" */
	const gchar *type;
	const gchar *description;
} RddApiOpenapiParam;

static const RddApiOpenapiParam rdd_api_openapi_params_list[] = {
	{"allowWatchBookmarks", "query", "boolean",
	 "allowWatchBookmarks requests watch events with type BOOKMARK. Servers may ignore it."},
	{"continue", "query", "string", "The continue token of the previous page of a limited list, to get the next page."},
	{"fieldSelector", "query", "string",
	 "A selector to restrict the list of returned objects by their fields. Defaults to everything."},
	{"labelSelector", "query", "string",
	 "A selector to restrict the list of returned objects by their labels. Defaults to everything."},
	{"limit", "query", "integer",
	 "The maximum number of responses to return for a list call; the list metadata then carries a "
	 "continue token when more items exist."},
	{"resourceVersion", "query", "string",
	 "resourceVersion sets a constraint on what resource versions a request may be served from."},
	{"resourceVersionMatch", "query", "string",
	 "resourceVersionMatch determines how resourceVersion is applied to list calls."},
	{"sendInitialEvents", "query", "boolean",
	 "With watch=true, begin the watch stream with synthetic events for the current state."},
	{"timeoutSeconds", "query", "integer", "Timeout for the list/watch call, regardless of any activity or inactivity."},
	{"watch", "query", "boolean",
	 "Watch for changes to the described resources and return them as a stream of add, update, "
	 "and remove notifications."},
	{NULL, NULL, NULL, NULL},
};

static const RddApiOpenapiParam rdd_api_openapi_params_write[] = {
	{"dryRun", "query", "string",
	 "When present, indicates that modifications should not be persisted. The only valid value is "
	 "All: all dry run stages are processed."},
	{"fieldManager", "query", "string",
	 "fieldManager is a name associated with the actor or entity that is making these changes."},
	{"fieldValidation", "query", "string",
	 "fieldValidation instructs the server on how to handle objects in the request containing "
	 "unknown or duplicate fields: Ignore, Warn (the default) or Strict."},
	{NULL, NULL, NULL, NULL},
};

static const RddApiOpenapiParam rdd_api_openapi_params_patch[] = {
	{"force", "query", "boolean",
	 "Force is going to \"force\" Apply requests: the request re-acquires conflicting fields owned "
	 "by other people. It must be unset for non-apply patch requests."},
	{NULL, NULL, NULL, NULL},
};

static const RddApiOpenapiParam rdd_api_openapi_params_delete[] = {
	{"dryRun", "query", "string",
	 "When present, indicates that modifications should not be persisted. The only valid value is "
	 "All: all dry run stages are processed."},
	{"gracePeriodSeconds", "query", "integer",
	 "The duration in seconds before the object should be deleted. Zero means delete immediately."},
	{"orphanDependents", "query", "boolean",
	 "Deprecated: use propagationPolicy. Whether the dependent objects are orphaned."},
	{"propagationPolicy", "query", "string",
	 "Whether and how garbage collection is performed: Orphan, Background or Foreground."},
	{NULL, NULL, NULL, NULL},
};

static const RddApiOpenapiParam rdd_api_openapi_param_pretty = {
	"pretty", "query", "string", "If 'true', then the output is pretty printed."};

static const RddApiOpenapiParam rdd_api_openapi_param_namespace = {
	"namespace", "path", "string", "object name and auth scope, such as for teams and projects"};

typedef enum {
	RDD_API_OPENAPI_BODY_NONE,
	RDD_API_OPENAPI_BODY_KIND,
	RDD_API_OPENAPI_BODY_PATCH,
	RDD_API_OPENAPI_BODY_DELETE,
} RddApiOpenapiBody;

typedef enum {
	RDD_API_OPENAPI_RESULT_KIND,
	RDD_API_OPENAPI_RESULT_LIST,
	RDD_API_OPENAPI_RESULT_STATUS,
} RddApiOpenapiResult;

typedef enum {
	RDD_API_OPENAPI_PARAMS_NONE = 0,
	RDD_API_OPENAPI_PARAMS_LIST = 1 << 0,
	RDD_API_OPENAPI_PARAMS_WRITE = 1 << 1,
	RDD_API_OPENAPI_PARAMS_PATCH = 1 << 2,
	RDD_API_OPENAPI_PARAMS_DELETE = 1 << 3,
} RddApiOpenapiParams;

typedef struct {
	const gchar *method; /* the path item member */
	const gchar *verb;   /* for the operation ID and description */
	const gchar *action; /* x-kubernetes-action */
	RddApiOpenapiParams params;
	RddApiOpenapiBody body;
	RddApiOpenapiResult result;
	guint codes[3]; /* success codes, 0-terminated */
} RddApiOpenapiOp;

static const RddApiOpenapiOp rdd_api_openapi_op_list = {"get",
							"list",
							"list",
							RDD_API_OPENAPI_PARAMS_LIST,
							RDD_API_OPENAPI_BODY_NONE,
							RDD_API_OPENAPI_RESULT_LIST,
							{200, 0, 0}};
static const RddApiOpenapiOp rdd_api_openapi_op_create = {"post",
							  "create",
							  "post",
							  RDD_API_OPENAPI_PARAMS_WRITE,
							  RDD_API_OPENAPI_BODY_KIND,
							  RDD_API_OPENAPI_RESULT_KIND,
							  {200, 201, 202}};
static const RddApiOpenapiOp rdd_api_openapi_op_deletecollection = {"delete",
								    "deletecollection",
								    "deletecollection",
								    RDD_API_OPENAPI_PARAMS_LIST | RDD_API_OPENAPI_PARAMS_DELETE,
								    RDD_API_OPENAPI_BODY_DELETE,
								    RDD_API_OPENAPI_RESULT_STATUS,
								    {200, 0, 0}};
static const RddApiOpenapiOp rdd_api_openapi_op_read = {"get",
							"read",
							"get",
							RDD_API_OPENAPI_PARAMS_NONE,
							RDD_API_OPENAPI_BODY_NONE,
							RDD_API_OPENAPI_RESULT_KIND,
							{200, 0, 0}};
static const RddApiOpenapiOp rdd_api_openapi_op_replace = {"put",
							   "replace",
							   "put",
							   RDD_API_OPENAPI_PARAMS_WRITE,
							   RDD_API_OPENAPI_BODY_KIND,
							   RDD_API_OPENAPI_RESULT_KIND,
							   {200, 201, 0}};
static const RddApiOpenapiOp rdd_api_openapi_op_patch = {"patch",
							 "patch",
							 "patch",
							 RDD_API_OPENAPI_PARAMS_WRITE | RDD_API_OPENAPI_PARAMS_PATCH,
							 RDD_API_OPENAPI_BODY_PATCH,
							 RDD_API_OPENAPI_RESULT_KIND,
							 {200, 201, 0}};
static const RddApiOpenapiOp rdd_api_openapi_op_delete = {"delete",
							  "delete",
							  "delete",
							  RDD_API_OPENAPI_PARAMS_DELETE,
							  RDD_API_OPENAPI_BODY_DELETE,
							  RDD_API_OPENAPI_RESULT_STATUS,
							  {200, 202, 0}};

/* the request bodies the server decodes; apply patches only when server-side apply is built in,
 * strategic merge patches only for the core kinds (as kube-apiserver, which has no strategy for
 * custom resources) */
static const gchar *const rdd_api_openapi_consumes_write[] = {"application/json", "application/yaml", NULL};
static const gchar *const rdd_api_openapi_consumes_patch[] = {
#ifndef RDD_API_WITHOUT_APPLY
	"application/apply-patch+yaml",
#endif
	"application/json-patch+json", "application/merge-patch+json", NULL};
static const gchar *const rdd_api_openapi_consumes_patch_core[] = {
#ifndef RDD_API_WITHOUT_APPLY
	"application/apply-patch+yaml",
#endif
	"application/json-patch+json", "application/merge-patch+json",
	"application/strategic-merge-patch+json", NULL};

static void
rdd_api_openapi_add_param(JsonArray *params, const RddApiOpenapiParam *param, gboolean v3)
{
	JsonObject *obj = rdd_api_openapi_append_object(params);
	json_object_set_string_member(obj, "description", param->description);
	json_object_set_string_member(obj, "in", param->in);
	json_object_set_string_member(obj, "name", param->name);
	if (g_strcmp0(param->in, "path") == 0)
		json_object_set_boolean_member(obj, "required", TRUE);
	if (v3) {
		JsonObject *schema = rdd_api_openapi_add_object(obj, "schema");
		json_object_set_string_member(schema, "type", param->type);
		if (g_strcmp0(param->in, "query") == 0)
			json_object_set_boolean_member(schema, "uniqueItems", TRUE);
	} else {
		json_object_set_string_member(obj, "type", param->type);
		if (g_strcmp0(param->in, "query") == 0)
			json_object_set_boolean_member(obj, "uniqueItems", TRUE);
	}
}

static void
rdd_api_openapi_add_params(JsonArray *params, const RddApiOpenapiParam *table, gboolean v3, GHashTable *seen)
{
	for (guint i = 0; table[i].name != NULL; i++) {
		if (!g_hash_table_add(seen, (gpointer)table[i].name))
			continue;
		rdd_api_openapi_add_param(params, &table[i], v3);
	}
}

static gint
rdd_api_openapi_param_cmp(JsonNode **a, JsonNode **b)
{
	return g_strcmp0(json_object_get_string_member(json_node_get_object(*a), "name"),
			 json_object_get_string_member(json_node_get_object(*b), "name"));
}

/* sorts parameters by name, as kube-apiserver lists them */
static JsonArray *
rdd_api_openapi_sorted(JsonArray *params)
{
	g_autoptr(GPtrArray) nodes = g_ptr_array_new();
	JsonArray *out = json_array_new();
	for (guint i = 0; i < json_array_get_length(params); i++)
		g_ptr_array_add(nodes, json_array_get_element(params, i));
	g_ptr_array_sort(nodes, (GCompareFunc)rdd_api_openapi_param_cmp);
	for (guint i = 0; i < nodes->len; i++)
		json_array_add_element(out, json_node_copy(g_ptr_array_index(nodes, i)));
	return out;
}

static const gchar *
rdd_api_openapi_article(const gchar *noun)
{
	return strchr("AEIOUaeiou", noun[0]) != NULL && noun[0] != '\0' ? "an" : "a";
}

static gchar *
rdd_api_openapi_describe(RddKind *kind, const RddApiOpenapiOp *op, const gchar *sub)
{
	const gchar *name = rdd_kind_get_name(kind);
	g_autofree gchar *of = sub != NULL ? g_strdup_printf(" %s of", sub) : g_strdup("");

	if (g_strcmp0(op->verb, "list") == 0)
		return g_strdup_printf("list or watch objects of kind %s", name);
	if (g_strcmp0(op->verb, "create") == 0 || g_strcmp0(op->verb, "delete") == 0)
		return g_strdup_printf("%s %s %s", op->verb, rdd_api_openapi_article(name), name);
	if (g_strcmp0(op->verb, "deletecollection") == 0)
		return g_strdup_printf("delete collection of %s", name);
	if (g_strcmp0(op->verb, "patch") == 0)
		return g_strdup_printf("partially update%s the specified %s", of, name);
	return g_strdup_printf("%s%s the specified %s", op->verb, of, name);
}

/* `listCoreV1NamespacedConfigMap`, `deleteCoreV1CollectionNamespacedConfigMap`,
 * `readAppRancherdesktopIoV1alpha1DemoStatus`, `listCoreV1ConfigMapForAllNamespaces` */
static gchar *
rdd_api_openapi_operation_id(RddKind *kind, const RddApiOpenapiOp *op, const gchar *sub, gboolean namespaced, gboolean all_namespaces)
{
	g_autofree gchar *group = rdd_api_openapi_group_id(rdd_kind_get_group(kind));
	g_autofree gchar *group_title = rdd_api_openapi_title(group);
	g_autofree gchar *version = rdd_api_openapi_title(rdd_kind_get_version(kind));
	g_autofree gchar *sub_title = rdd_api_openapi_title(sub != NULL ? sub : "");
	gboolean collection = g_strcmp0(op->verb, "deletecollection") == 0;

	return g_strdup_printf("%s%s%s%s%s%s%s%s", collection ? "delete" : op->verb, group_title,
			       version, collection ? "Collection" : "",
			       namespaced && !all_namespaces ? "Namespaced" : "", rdd_kind_get_name(kind),
			       sub_title, all_namespaces ? "ForAllNamespaces" : "");
}

static void
rdd_api_openapi_add_content(JsonObject *parent, const gchar *const *types, gboolean v3, const gchar *definition)
{
	JsonObject *content = rdd_api_openapi_add_object(parent, "content");
	for (guint i = 0; types[i] != NULL; i++) {
		JsonObject *media = rdd_api_openapi_add_object(content, types[i]);
		rdd_api_openapi_set_ref(rdd_api_openapi_add_object(media, "schema"), v3, definition);
	}
}

static void
rdd_api_openapi_add_strv(JsonObject *obj, const gchar *member, const gchar *const *values)
{
	JsonArray *array = rdd_api_openapi_add_array(obj, member);
	for (guint i = 0; values[i] != NULL; i++)
		json_array_add_string_element(array, values[i]);
}

static void
rdd_api_openapi_add_operation(JsonObject *item,
			      RddKind *kind,
			      const RddApiOpenapiOp *op,
			      const gchar *sub,
			      gboolean all_namespaces,
			      gboolean v3)
{
	static const gchar *const produces[] = {"application/json", NULL};
	static const gchar *const schemes[] = {"https", NULL};
	JsonObject *operation = rdd_api_openapi_add_object(item, op->method);
	JsonObject *responses;
	g_autoptr(JsonArray) params = json_array_new();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree gchar *kind_def = rdd_api_openapi_definition_name(
		rdd_kind_get_group(kind), rdd_kind_get_version(kind), rdd_kind_get_name(kind));
	g_autofree gchar *list_def = rdd_api_openapi_definition_name(
		rdd_kind_get_group(kind), rdd_kind_get_version(kind), rdd_kind_get_list_kind(kind));
	g_autofree gchar *group_id = rdd_api_openapi_group_id(rdd_kind_get_group(kind));
	g_autofree gchar *tag = g_strdup_printf("%s_%s", group_id, rdd_kind_get_version(kind));
	g_autofree gchar *description = rdd_api_openapi_describe(kind, op, sub);
	g_autofree gchar *operation_id =
		rdd_api_openapi_operation_id(kind, op, sub, rdd_kind_is_namespaced(kind), all_namespaces);
	const gchar *const *consumes = rdd_api_openapi_consumes_write;
	const gchar *result_def = op->result == RDD_API_OPENAPI_RESULT_LIST ? list_def :
				  op->result == RDD_API_OPENAPI_RESULT_STATUS ? RDD_API_OPENAPI_STATUS :
										kind_def;
	const gchar *body_def = NULL;

	if (op->body == RDD_API_OPENAPI_BODY_PATCH) {
		consumes = rdd_kind_get_group(kind)[0] == '\0' ? rdd_api_openapi_consumes_patch_core :
								 rdd_api_openapi_consumes_patch;
		body_def = RDD_API_OPENAPI_PATCH;
	} else if (op->body == RDD_API_OPENAPI_BODY_KIND) {
		body_def = kind_def;
	} else if (op->body == RDD_API_OPENAPI_BODY_DELETE) {
		body_def = RDD_API_OPENAPI_DELETE_OPTIONS;
	}

	json_object_set_string_member(operation, "description", description);
	json_object_set_string_member(operation, "operationId", operation_id);
	json_array_add_string_element(rdd_api_openapi_add_array(operation, "tags"), tag);
	if (!v3) {
		if (body_def != NULL)
			rdd_api_openapi_add_strv(operation, "consumes", consumes);
		rdd_api_openapi_add_strv(operation, "produces", produces);
		rdd_api_openapi_add_strv(operation, "schemes", schemes);
	}

	/* parameters: the body (v2), then the query parameters of the verb, by name */
	if (op->params & RDD_API_OPENAPI_PARAMS_LIST)
		rdd_api_openapi_add_params(params, rdd_api_openapi_params_list, v3, seen);
	if (op->params & (RDD_API_OPENAPI_PARAMS_WRITE | RDD_API_OPENAPI_PARAMS_DELETE))
		rdd_api_openapi_add_params(params,
					   (op->params & RDD_API_OPENAPI_PARAMS_DELETE) ?
						   rdd_api_openapi_params_delete :
						   rdd_api_openapi_params_write,
					   v3, seen);
	if (op->params & RDD_API_OPENAPI_PARAMS_PATCH)
		rdd_api_openapi_add_params(params, rdd_api_openapi_params_patch, v3, seen);
	if (g_strcmp0(op->action, "list") == 0 || g_strcmp0(op->action, "deletecollection") == 0) {
		/* the list parameters of deletecollection do not include the watch ones */
		if (g_strcmp0(op->action, "deletecollection") == 0) {
			JsonArray *kept = json_array_new();
			for (guint i = 0; i < json_array_get_length(params); i++) {
				JsonNode *param = json_array_get_element(params, i);
				const gchar *name =
					json_object_get_string_member(json_node_get_object(param), "name");
				if (g_strcmp0(name, "watch") == 0 || g_strcmp0(name, "allowWatchBookmarks") == 0)
					continue;
				json_array_add_element(kept, json_node_copy(param));
			}
			json_array_unref(params);
			params = kept;
		}
	}
	{
		JsonArray *sorted = rdd_api_openapi_sorted(params);
		if (!v3 && body_def != NULL) {
			/* v2 has the body as a parameter; it comes first */
			JsonArray *with_body = json_array_new();
			JsonObject *body = rdd_api_openapi_append_object(with_body);
			json_object_set_string_member(body, "in", "body");
			json_object_set_string_member(body, "name", "body");
			json_object_set_boolean_member(body, "required", op->body != RDD_API_OPENAPI_BODY_DELETE);
			rdd_api_openapi_set_ref(rdd_api_openapi_add_object(body, "schema"), FALSE, body_def);
			for (guint i = 0; i < json_array_get_length(sorted); i++)
				json_array_add_element(
					with_body, json_node_copy(json_array_get_element(sorted, i)));
			json_array_unref(sorted);
			sorted = with_body;
		}
		if (json_array_get_length(sorted) > 0)
			json_object_set_array_member(operation, "parameters", sorted);
		else
			json_array_unref(sorted);
	}
	if (v3 && body_def != NULL) {
		JsonObject *request = rdd_api_openapi_add_object(operation, "requestBody");
		rdd_api_openapi_add_content(request, consumes, TRUE, body_def);
		if (op->body != RDD_API_OPENAPI_BODY_DELETE)
			json_object_set_boolean_member(request, "required", TRUE);
	}

	responses = rdd_api_openapi_add_object(operation, "responses");
	for (guint i = 0; i < G_N_ELEMENTS(op->codes) && op->codes[i] != 0; i++) {
		g_autofree gchar *code = g_strdup_printf("%u", op->codes[i]);
		JsonObject *response = rdd_api_openapi_add_object(responses, code);
		json_object_set_string_member(response, "description", soup_status_get_phrase(op->codes[i]));
		if (v3)
			rdd_api_openapi_add_content(response, produces, TRUE, result_def);
		else
			rdd_api_openapi_set_ref(rdd_api_openapi_add_object(response, "schema"), FALSE, result_def);
	}
	json_object_set_string_member(rdd_api_openapi_add_object(responses, "401"), "description", "Unauthorized");

	json_object_set_string_member(operation, "x-kubernetes-action", op->action);
	rdd_api_openapi_add_gvk(operation, rdd_kind_get_group(kind), rdd_kind_get_version(kind),
				rdd_kind_get_name(kind), FALSE);
}

/* a path item with its common parameters: name, namespace and pretty */
static JsonObject *
rdd_api_openapi_add_path(JsonObject *paths, const gchar *path, RddKind *kind, gboolean v3)
{
	JsonObject *item = rdd_api_openapi_add_object(paths, path);
	JsonArray *params = rdd_api_openapi_add_array(item, "parameters");
	if (strstr(path, "{name}") != NULL) {
		g_autofree gchar *doc = g_strdup_printf("name of the %s", rdd_kind_get_name(kind));
		RddApiOpenapiParam name = {"name", "path", "string", doc};
		rdd_api_openapi_add_param(params, &name, v3);
	}
	if (strstr(path, "{namespace}") != NULL)
		rdd_api_openapi_add_param(params, &rdd_api_openapi_param_namespace, v3);
	rdd_api_openapi_add_param(params, &rdd_api_openapi_param_pretty, v3);
	return item;
}

static void
rdd_api_openapi_add_kind_paths(JsonObject *paths, RddKind *kind, gboolean v3)
{
	const gchar *group = rdd_kind_get_group(kind);
	const gchar *plural = rdd_kind_get_plural(kind);
	g_autofree gchar *prefix = rdd_api_openapi_gv_path(group, rdd_kind_get_version(kind));
	g_autofree gchar *base = NULL;
	g_autofree gchar *named = NULL;
	JsonObject *item;

	if (rdd_kind_is_namespaced(kind)) {
		g_autofree gchar *all = g_strdup_printf("/%s/%s", prefix, plural);
		item = rdd_api_openapi_add_path(paths, all, kind, v3);
		rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_list, NULL, TRUE, v3);
		base = g_strdup_printf("/%s/namespaces/{namespace}/%s", prefix, plural);
	} else {
		base = g_strdup_printf("/%s/%s", prefix, plural);
	}
	item = rdd_api_openapi_add_path(paths, base, kind, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_list, NULL, FALSE, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_create, NULL, FALSE, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_deletecollection, NULL, FALSE, v3);

	named = g_strdup_printf("%s/{name}", base);
	item = rdd_api_openapi_add_path(paths, named, kind, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_read, NULL, FALSE, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_replace, NULL, FALSE, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_patch, NULL, FALSE, v3);
	rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_delete, NULL, FALSE, v3);

	if (rdd_kind_has_status(kind)) {
		g_autofree gchar *status = g_strdup_printf("%s/{name}/status", base);
		item = rdd_api_openapi_add_path(paths, status, kind, v3);
		rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_read, "status", FALSE, v3);
		rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_replace, "status", FALSE, v3);
		rdd_api_openapi_add_operation(item, kind, &rdd_api_openapi_op_patch, "status", FALSE, v3);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* documents */

static void
rdd_api_openapi_add_info(JsonObject *root)
{
	JsonObject *info = rdd_api_openapi_add_object(root, "info");
	json_object_set_string_member(info, "title", "Kubernetes");
	json_object_set_string_member(info, "version",
				      "v" RDD_API_VERSION_MAJOR "." RDD_API_VERSION_MINOR
				      ".0-rdd." PACKAGE_VERSION);
}

static void
rdd_api_openapi_add_security(JsonObject *root, JsonObject *schemes_parent)
{
	JsonObject *schemes = rdd_api_openapi_add_object(
		schemes_parent, schemes_parent == root ? "securityDefinitions" : "securitySchemes");
	JsonObject *bearer = rdd_api_openapi_add_object(schemes, "BearerToken");
	JsonArray *security = rdd_api_openapi_add_array(root, "security");
	json_object_set_string_member(bearer, "description", "Bearer Token authentication");
	json_object_set_string_member(bearer, "in", "header");
	json_object_set_string_member(bearer, "name", "authorization");
	json_object_set_string_member(bearer, "type", "apiKey");
	rdd_api_openapi_add_array(rdd_api_openapi_append_object(security), "BearerToken");
}

static RddApiOpenapiDoc *
rdd_api_openapi_doc_new(JsonNode *root)
{
	RddApiOpenapiDoc *doc = g_new0(RddApiOpenapiDoc, 1);
	gchar *text = rdd_json_to_string(root, FALSE);
	gsize len = strlen(text);
	g_autofree gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA512, (const guchar *)text, len);
	doc->etag = g_ascii_strup(hex, -1);
	doc->bytes = g_bytes_new_take(text, len);
	return doc;
}

static RddApiOpenapiDoc *
rdd_api_openapi_build_v2(GPtrArray *kinds, GError **error)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *obj = json_object_new();
	JsonObject *paths;

	json_node_take_object(root, obj);
	json_object_set_string_member(obj, "swagger", "2.0");
	rdd_api_openapi_add_info(obj);
	paths = rdd_api_openapi_add_object(obj, "paths");
	for (guint i = 0; i < kinds->len; i++)
		rdd_api_openapi_add_kind_paths(paths, g_ptr_array_index(kinds, i), FALSE);
	if (!rdd_api_openapi_add_definitions(rdd_api_openapi_add_object(obj, "definitions"), kinds, FALSE, error))
		return NULL;
	rdd_api_openapi_add_security(obj, obj);
	return rdd_api_openapi_doc_new(root);
}

static RddApiOpenapiDoc *
rdd_api_openapi_build_v3(GPtrArray *kinds, GError **error)
{
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	JsonObject *obj = json_object_new();
	JsonObject *paths;
	JsonObject *components;

	json_node_take_object(root, obj);
	json_object_set_string_member(obj, "openapi", "3.0.0");
	rdd_api_openapi_add_info(obj);
	paths = rdd_api_openapi_add_object(obj, "paths");
	for (guint i = 0; i < kinds->len; i++)
		rdd_api_openapi_add_kind_paths(paths, g_ptr_array_index(kinds, i), TRUE);
	components = rdd_api_openapi_add_object(obj, "components");
	if (!rdd_api_openapi_add_definitions(rdd_api_openapi_add_object(components, "schemas"), kinds, TRUE, error))
		return NULL;
	rdd_api_openapi_add_security(obj, components);
	return rdd_api_openapi_doc_new(root);
}

/* every document, for the kinds the store has now */
static RddApiOpenapiCache *
rdd_api_openapi_cache_build(GPtrArray *kinds, GError **error)
{
	g_autoptr(GHashTable) docs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							   (GDestroyNotify)rdd_api_openapi_doc_free);
	g_autoptr(GPtrArray) gv_paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) by_gv =
		g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	g_autoptr(JsonNode) index = json_node_new(JSON_NODE_OBJECT);
	JsonObject *index_obj = json_object_new();
	JsonObject *index_paths;
	RddApiOpenapiDoc *doc;
	RddApiOpenapiCache *cache;

	/* group-versions in registration order */
	for (guint i = 0; i < kinds->len; i++) {
		RddKind *kind = g_ptr_array_index(kinds, i);
		gchar *gv = rdd_api_openapi_gv_path(rdd_kind_get_group(kind), rdd_kind_get_version(kind));
		GPtrArray *members = g_hash_table_lookup(by_gv, gv);
		if (members == NULL) {
			members = g_ptr_array_new();
			g_ptr_array_add(gv_paths, gv);
			g_hash_table_insert(by_gv, gv, members);
		} else {
			g_free(gv);
		}
		g_ptr_array_add(members, kind);
	}

	doc = rdd_api_openapi_build_v2(kinds, error);
	if (doc == NULL)
		return NULL;
	g_hash_table_insert(docs, g_strdup("v2"), doc);

	json_node_take_object(index, index_obj);
	index_paths = rdd_api_openapi_add_object(index_obj, "paths");
	for (guint i = 0; i < gv_paths->len; i++) {
		const gchar *gv = g_ptr_array_index(gv_paths, i);
		g_autofree gchar *url = NULL;
		doc = rdd_api_openapi_build_v3(g_hash_table_lookup(by_gv, gv), error);
		if (doc == NULL)
			return NULL;
		url = g_strdup_printf("/openapi/v3/%s?hash=%s", gv, doc->etag);
		json_object_set_string_member(rdd_api_openapi_add_object(index_paths, gv),
					      "serverRelativeURL", url);
		g_hash_table_insert(docs, g_strdup_printf("v3/%s", gv), doc);
	}
	g_hash_table_insert(docs, g_strdup("v3"), rdd_api_openapi_doc_new(index));

	cache = g_new0(RddApiOpenapiCache, 1);
	cache->n_kinds = kinds->len;
	cache->docs = g_steal_pointer(&docs);
	return cache;
}

/* ---------------------------------------------------------------------------------------- */
/* serving */

/* whether the Accept header allows JSON (no header allows anything); a range with q=0 refuses */
static gboolean
rdd_api_openapi_accepts_json(SoupServerMessage *msg)
{
	const gchar *accept =
		soup_message_headers_get_list(soup_server_message_get_request_headers(msg), "Accept");
	g_auto(GStrv) ranges = NULL;

	if (accept == NULL || accept[0] == '\0')
		return TRUE;
	ranges = g_strsplit(accept, ",", -1);
	for (guint i = 0; ranges[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(ranges[i], ";", -1);
		const gchar *type = g_strstrip(parts[0]);
		gboolean refused = FALSE;
		for (guint j = 1; parts[j] != NULL; j++) {
			const gchar *param = g_strstrip(parts[j]);
			if (g_ascii_strncasecmp(param, "q=", 2) == 0 && g_ascii_strtod(param + 2, NULL) <= 0)
				refused = TRUE;
		}
		if (refused)
			continue;
		if (g_ascii_strcasecmp(type, "*/*") == 0 || g_ascii_strcasecmp(type, "application/*") == 0 ||
		    g_ascii_strcasecmp(type, "application/json") == 0)
			return TRUE;
	}
	return FALSE;
}

/* whether If-None-Match names @etag (quoted) */
static gboolean
rdd_api_openapi_etag_matches(SoupServerMessage *msg, const gchar *etag)
{
	const gchar *header =
		soup_message_headers_get_list(soup_server_message_get_request_headers(msg), "If-None-Match");
	g_auto(GStrv) tags = NULL;

	if (header == NULL)
		return FALSE;
	tags = g_strsplit(header, ",", -1);
	for (guint i = 0; tags[i] != NULL; i++) {
		g_autofree gchar *tag = g_strstrip(g_strdup(tags[i]));
		const gchar *value = g_str_has_prefix(tag, "W/") ? tag + 2 : tag;
		if (g_strcmp0(value, "*") == 0 || g_strcmp0(value, etag) == 0)
			return TRUE;
	}
	return FALSE;
}

static gchar *
rdd_api_openapi_query_value(SoupServerMessage *msg, const gchar *key)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *query = uri != NULL ? g_uri_get_query(uri) : NULL;
	g_autoptr(GHashTable) params = NULL;

	if (query == NULL)
		return NULL;
	params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_NONE, NULL);
	if (params == NULL)
		return NULL;
	return g_strdup(g_hash_table_lookup(params, key));
}

static void
rdd_api_openapi_not_acceptable(SoupServerMessage *msg)
{
	g_autoptr(GString) out =
		g_string_new("{\"apiVersion\":\"v1\",\"code\":406,\"kind\":\"Status\",\"message\":");
	const gchar *accept =
		soup_message_headers_get_list(soup_server_message_get_request_headers(msg), "Accept");
	g_autofree gchar *message =
		g_strdup_printf("the OpenAPI documents are only served as application/json, not as %s",
				accept != NULL ? accept : "");
	rdd_json_write_string(out, message);
	g_string_append(out, ",\"metadata\":{},\"reason\":\"NotAcceptable\",\"status\":\"Failure\"}");
	rdd_api_respond_text(msg, SOUP_STATUS_NOT_ACCEPTABLE, "application/json", out->str);
}

static void
rdd_api_openapi_serve(SoupServerMessage *msg, RddApiOpenapiDoc *doc, gboolean hashed)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	g_autofree gchar *etag = g_strdup_printf("\"%s\"", doc->etag);

	if (hashed)
		soup_message_headers_replace(headers, "Vary", "Accept");
	if (!rdd_api_openapi_accepts_json(msg)) {
		rdd_api_openapi_not_acceptable(msg);
		return;
	}
	soup_message_headers_replace(headers, "ETag", etag);
	if (hashed) {
		g_autofree gchar *hash = rdd_api_openapi_query_value(msg, "hash");
		if (hash != NULL && g_strcmp0(hash, doc->etag) == 0) {
			g_autoptr(GDateTime) now = g_date_time_new_now_utc();
			g_autoptr(GDateTime) expires = g_date_time_add_years(now, 1);
			g_autofree gchar *date = soup_date_time_to_string(expires, SOUP_DATE_HTTP);
			soup_message_headers_replace(headers, "Cache-Control", "public, immutable");
			soup_message_headers_replace(headers, "Expires", date);
		}
	}
	if (rdd_api_openapi_etag_matches(msg, etag)) {
		/* no body, no Content-Type, no Content-Length (rdd_api_respond_bytes() cannot send
		 * an empty body: libsoup refuses to append an empty buffer) */
		SoupMessageBody *body = soup_server_message_get_response_body(msg);
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
		soup_message_body_truncate(body);
		soup_message_body_complete(body);
		soup_message_headers_set_encoding(headers, SOUP_ENCODING_NONE);
		return;
	}
	rdd_api_respond_bytes(msg, SOUP_STATUS_OK, "application/json", doc->bytes);
}

static RddApiOpenapiCache *
rdd_api_openapi_get_cache(RddApiServer *self, GError **error)
{
	RddApiOpenapiCache *cache = g_object_get_data(G_OBJECT(self), RDD_API_OPENAPI_CACHE_KEY);
	GPtrArray *kinds = rdd_store_get_kinds(rdd_api_server_get_store(self));

	if (cache != NULL && cache->n_kinds == kinds->len)
		return cache;
	cache = rdd_api_openapi_cache_build(kinds, error);
	if (cache == NULL)
		return NULL;
	g_object_set_data_full(G_OBJECT(self), RDD_API_OPENAPI_CACHE_KEY, cache,
			       (GDestroyNotify)rdd_api_openapi_cache_free);
	return cache;
}

/**
 * rdd_api_openapi_handle:
 * @self: a server
 * @msg: a request whose path starts with `/openapi`
 * @seg: the non-empty path segments, starting with `openapi`
 * @n: the number of segments
 *
 * Serves `/openapi/v2` (Swagger 2.0), `/openapi/v3` (the discovery index) and
 * `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>` (OpenAPI 3.0), generated from the
 * kinds' CRD schemas and cached until the number of kinds changes. Every document carries an
 * ETag (the upper-case hex SHA-512 of its body) and a matching If-None-Match gets 304; a v3
 * document asked for with its current `?hash=` is served with `Cache-Control: public,
 * immutable`.
 *
 * Returns: %FALSE if there is no document at that path (the caller answers 404)
 *
 * Since: 0.1
 */
gboolean
rdd_api_openapi_handle(RddApiServer *self, SoupServerMessage *msg, gchar **seg, guint n)
{
	const gchar *method;
	RddApiOpenapiCache *cache;
	RddApiOpenapiDoc *doc;
	g_autofree gchar *key = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(RDD_IS_API_SERVER(self), FALSE);
	g_return_val_if_fail(SOUP_IS_SERVER_MESSAGE(msg), FALSE);

	if (n < 2 || seg == NULL || g_strcmp0(seg[0], "openapi") != 0)
		return FALSE;
	if (g_strcmp0(seg[1], "v2") == 0 && n == 2) {
		key = g_strdup("v2");
	} else if (g_strcmp0(seg[1], "v3") == 0) {
		g_autofree gchar *rest = n > 2 ? g_strjoinv("/", seg + 2) : NULL;
		key = rest != NULL ? g_strdup_printf("v3/%s", rest) : g_strdup("v3");
	} else {
		return FALSE;
	}

	cache = rdd_api_openapi_get_cache(self, &error_local);
	if (cache == NULL) {
		rdd_api_respond_error(msg, error_local, NULL, NULL);
		return TRUE;
	}
	doc = g_hash_table_lookup(cache->docs, key);
	if (doc == NULL)
		return FALSE;

	method = soup_server_message_get_method(msg);
	if (g_strcmp0(method, "GET") != 0 && g_strcmp0(method, "HEAD") != 0) {
		rdd_api_respond_status(msg, RDD_ERROR_NOT_SUPPORTED, NULL, NULL,
				       "the OpenAPI document at /openapi/%s only answers GET, not %s",
				       key, method);
		return TRUE;
	}
	rdd_api_openapi_serve(msg, doc, g_str_has_prefix(key, "v3/"));
	return TRUE;
}
