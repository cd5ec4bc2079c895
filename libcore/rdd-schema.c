/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-json-private.h"
#include "rdd-schema.h"

/* the deepest nesting of schema nodes rdd_schema_new() accepts; every walk over a value
 * descends one schema level per step, so this also bounds the recursion on values */
#define RDD_SCHEMA_MAX_DEPTH 64

/* values longer than this are cut in messages */
#define RDD_SCHEMA_MAX_VALUE_CHARS 128

/* objects with at most this many members are sorted on the stack */
#define RDD_SCHEMA_STACK_MEMBERS 32

/* objects with at most this many declared properties are checked with their members in slots
 * on the stack */
#define RDD_SCHEMA_STACK_PROPS 64

/* lists with more items than this are checked for duplicates through a hash table */
#define RDD_SCHEMA_PAIRWISE_MAX 64

typedef enum {
	RDD_SCHEMA_FORMAT_NONE,
	RDD_SCHEMA_FORMAT_DATE_TIME,
	RDD_SCHEMA_FORMAT_BYTE,
	RDD_SCHEMA_FORMAT_OTHER,
} RddSchemaFormat;

typedef enum {
	RDD_SCHEMA_LIST_NONE,
	RDD_SCHEMA_LIST_ATOMIC,
	RDD_SCHEMA_LIST_SET,
	RDD_SCHEMA_LIST_MAP,
} RddSchemaListType;

typedef struct {
	gchar *name;
	gsize name_len;
	gchar *quoted_key; /* `"name":` as rdd_json_write() writes it */
	gsize quoted_key_len;
	RddSchema *schema;
	gboolean required;
} RddSchemaProp;

/* one member of a value being walked */
typedef struct {
	const gchar *name;
	JsonNode *node;
} RddSchemaMember;

struct _RddSchema {
	gint ref_count;
	JsonNode *node; /* the schema JSON, sealed */
	RddSchemaType type;
	gboolean is_root;
	gboolean nullable;
	gboolean preserve_unknown_fields;
	gboolean int_or_string;
	gboolean embedded_resource;
	gboolean needs_defaults; /* some node below has a default */
	const gchar *description;
	const gchar *format;
	RddSchemaFormat format_kind;
	JsonArray *enum_values;
	JsonNode *default_value;
	GRegex *pattern;
	const gchar *pattern_text;
	gboolean has_minimum;
	gboolean has_maximum;
	gboolean exclusive_minimum;
	gboolean exclusive_maximum;
	gdouble minimum;
	gdouble maximum;
	gdouble multiple_of; /* 0 when unset */
	gint64 min_length;   /* -1 when unset, likewise below */
	gint64 max_length;
	gint64 min_items;
	gint64 max_items;
	gint64 min_properties;
	gint64 max_properties;
	RddSchemaProp *props; /* sorted by name */
	guint n_props;
	RddSchemaProp **default_props; /* the props that have or contain a default */
	guint n_default_props;
	gchar **required_undeclared; /* required names that are not properties, sorted */
	guint32 *props_table; /* (nullable): open addressing, index into props + 1, 0 empty */
	guint props_table_mask;
	guint n_required_checked; /* required props that are validated (not root resource members) */
	gchar **required;	  /* sorted, unique */
	guint n_required;
	RddSchema *items;
	RddSchema *additional_properties;
	gboolean additional_properties_allowed; /* additionalProperties: true */
	RddSchemaListType list_type;
	gchar **list_map_keys;
};

G_DEFINE_BOXED_TYPE(RddSchema, rdd_schema, rdd_schema_ref, rdd_schema_unref)

/* walking a value: a stack of path segments formatted only when something is reported */

typedef enum {
	RDD_SCHEMA_SEG_PROP,
	RDD_SCHEMA_SEG_INDEX,
	RDD_SCHEMA_SEG_KEY,
} RddSchemaSegKind;

typedef struct {
	const gchar *name;
	guint index;
	RddSchemaSegKind kind;
} RddSchemaSeg;

typedef struct {
	const gchar *prefix; /* (nullable) */
	RddSchemaSeg segs[RDD_SCHEMA_MAX_DEPTH + 4];
	guint n;
	GPtrArray *out; /* (nullable): causes, or unknown field paths */
	gboolean ok;
	/* only find out whether there is a problem: stop at the first one, visit members in hash
	 * order instead of sorting them, and change nothing */
	gboolean fast;
} RddSchemaWalk;

static void
rdd_schema_walk_push_prop(RddSchemaWalk *w, const gchar *name)
{
	if (w->n < G_N_ELEMENTS(w->segs)) {
		w->segs[w->n].kind = RDD_SCHEMA_SEG_PROP;
		w->segs[w->n].name = name;
	}
	w->n++;
}

static void
rdd_schema_walk_push_key(RddSchemaWalk *w, const gchar *name)
{
	if (w->n < G_N_ELEMENTS(w->segs)) {
		w->segs[w->n].kind = RDD_SCHEMA_SEG_KEY;
		w->segs[w->n].name = name;
	}
	w->n++;
}

static void
rdd_schema_walk_push_index(RddSchemaWalk *w, guint index)
{
	if (w->n < G_N_ELEMENTS(w->segs)) {
		w->segs[w->n].kind = RDD_SCHEMA_SEG_INDEX;
		w->segs[w->n].index = index;
	}
	w->n++;
}

static void
rdd_schema_walk_pop(RddSchemaWalk *w)
{
	w->n--;
}

static gchar *
rdd_schema_walk_path(RddSchemaWalk *w)
{
	GString *str = g_string_new(w->prefix);
	guint n = MIN(w->n, G_N_ELEMENTS(w->segs));

	for (guint i = 0; i < n; i++) {
		const RddSchemaSeg *seg = &w->segs[i];
		switch (seg->kind) {
		case RDD_SCHEMA_SEG_PROP:
			if (str->len > 0)
				g_string_append_c(str, '.');
			g_string_append(str, seg->name);
			break;
		case RDD_SCHEMA_SEG_INDEX:
			g_string_append_printf(str, "[%u]", seg->index);
			break;
		case RDD_SCHEMA_SEG_KEY:
		default:
			g_string_append_printf(str, "[%s]", seg->name);
			break;
		}
	}
	return g_string_free(str, FALSE);
}

/* canonical JSON of a value, cut to RDD_SCHEMA_MAX_VALUE_CHARS characters */
static void
rdd_schema_append_value(GString *str, JsonNode *value)
{
	g_autoptr(GString) tmp = g_string_new(NULL);
	rdd_json_write(tmp, value);
	if (g_utf8_strlen(tmp->str, tmp->len) > RDD_SCHEMA_MAX_VALUE_CHARS) {
		const gchar *end = g_utf8_offset_to_pointer(tmp->str, RDD_SCHEMA_MAX_VALUE_CHARS);
		g_string_append_len(str, tmp->str, end - tmp->str);
		g_string_append(str, "...");
		return;
	}
	g_string_append_len(str, tmp->str, tmp->len);
}

static gchar *
rdd_schema_value_to_string(JsonNode *value)
{
	GString *str = g_string_new(NULL);
	rdd_schema_append_value(str, value);
	return g_string_free(str, FALSE);
}

/* a number the way Kubernetes prints a bound: shortest form, integral values without a dot */
static gchar *
rdd_schema_number_to_string(gdouble value)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE] = {0};
	if (value == floor(value) && fabs(value) < 9e15)
		return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)value);
	g_ascii_formatd(buf, sizeof(buf), "%.15g", value);
	if (g_ascii_strtod(buf, NULL) != value)
		g_ascii_formatd(buf, sizeof(buf), "%.17g", value);
	return g_strdup(buf);
}

static void
rdd_schema_walk_add(RddSchemaWalk *w, const gchar *type, const gchar *field, const gchar *message)
{
	w->ok = FALSE;
	if (w->out != NULL)
		g_ptr_array_add(w->out, rdd_cause_new(type, field, message));
}

/* `spec.x in body`, or `body` at the root */
static gchar *
rdd_schema_subject(const gchar *path)
{
	if (path[0] == '\0')
		return g_strdup("body");
	return g_strdup_printf("%s in body", path);
}

/* FieldValueInvalid: `Invalid value: <value>: <path> in body <text>` */
static void
rdd_schema_walk_add_invalid(RddSchemaWalk *w, const gchar *value_str, const gchar *text)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *subject = NULL;
	g_autofree gchar *msg = NULL;

	w->ok = FALSE;
	if (w->out == NULL)
		return;
	path = rdd_schema_walk_path(w);
	subject = rdd_schema_subject(path);
	msg = g_strdup_printf("Invalid value: %s: %s %s", value_str, subject, text);
	rdd_schema_walk_add(w, "FieldValueInvalid", path, msg);
}

static const gchar *
rdd_schema_json_type_name(JsonNode *value)
{
	switch (json_node_get_node_type(value)) {
	case JSON_NODE_OBJECT:
		return "object";
	case JSON_NODE_ARRAY:
		return "array";
	case JSON_NODE_NULL:
		return "null";
	case JSON_NODE_VALUE:
	default:
		break;
	}
	switch (json_node_get_value_type(value)) {
	case G_TYPE_STRING:
		return "string";
	case G_TYPE_BOOLEAN:
		return "boolean";
	case G_TYPE_DOUBLE:
	case G_TYPE_FLOAT:
		return "number";
	default:
		return "integer";
	}
}

static const gchar *
rdd_schema_type_to_string(RddSchemaType type)
{
	switch (type) {
	case RDD_SCHEMA_TYPE_OBJECT:
		return "object";
	case RDD_SCHEMA_TYPE_ARRAY:
		return "array";
	case RDD_SCHEMA_TYPE_STRING:
		return "string";
	case RDD_SCHEMA_TYPE_INTEGER:
		return "integer";
	case RDD_SCHEMA_TYPE_NUMBER:
		return "number";
	case RDD_SCHEMA_TYPE_BOOLEAN:
		return "boolean";
	case RDD_SCHEMA_TYPE_ANY:
	default:
		return "";
	}
}

static gboolean
rdd_schema_node_is_string(JsonNode *value)
{
	return JSON_NODE_HOLDS_VALUE(value) && json_node_get_value_type(value) == G_TYPE_STRING;
}

static gboolean
rdd_schema_node_is_number(JsonNode *value)
{
	GType gtype;
	if (!JSON_NODE_HOLDS_VALUE(value))
		return FALSE;
	gtype = json_node_get_value_type(value);
	return gtype == G_TYPE_INT64 || gtype == G_TYPE_DOUBLE || gtype == G_TYPE_INT ||
	       gtype == G_TYPE_FLOAT || gtype == G_TYPE_LONG || gtype == G_TYPE_UINT;
}

static gboolean
rdd_schema_node_is_integer(JsonNode *value)
{
	GType gtype;
	if (!JSON_NODE_HOLDS_VALUE(value))
		return FALSE;
	gtype = json_node_get_value_type(value);
	if (gtype == G_TYPE_DOUBLE || gtype == G_TYPE_FLOAT) {
		gdouble d = json_node_get_double(value);
		return isfinite(d) && d == floor(d);
	}
	return gtype == G_TYPE_INT64 || gtype == G_TYPE_INT || gtype == G_TYPE_LONG || gtype == G_TYPE_UINT;
}

static gboolean
rdd_schema_node_is_boolean(JsonNode *value)
{
	return JSON_NODE_HOLDS_VALUE(value) && json_node_get_value_type(value) == G_TYPE_BOOLEAN;
}

/* whether a JSON value has the type the schema asks for; nulls are handled by the caller */
static gboolean
rdd_schema_type_matches(RddSchema *self, JsonNode *value)
{
	if (self->int_or_string)
		return rdd_schema_node_is_string(value) || rdd_schema_node_is_integer(value);
	switch (self->type) {
	case RDD_SCHEMA_TYPE_OBJECT:
		return JSON_NODE_HOLDS_OBJECT(value);
	case RDD_SCHEMA_TYPE_ARRAY:
		return JSON_NODE_HOLDS_ARRAY(value);
	case RDD_SCHEMA_TYPE_STRING:
		return rdd_schema_node_is_string(value);
	case RDD_SCHEMA_TYPE_INTEGER:
		return rdd_schema_node_is_integer(value);
	case RDD_SCHEMA_TYPE_NUMBER:
		return rdd_schema_node_is_number(value);
	case RDD_SCHEMA_TYPE_BOOLEAN:
		return rdd_schema_node_is_boolean(value);
	case RDD_SCHEMA_TYPE_ANY:
	default:
		return TRUE;
	}
}

static gdouble
rdd_schema_node_get_number(JsonNode *value)
{
	GType gtype = json_node_get_value_type(value);
	if (gtype == G_TYPE_DOUBLE || gtype == G_TYPE_FLOAT)
		return json_node_get_double(value);
	return (gdouble)json_node_get_int(value);
}

/* the members apiVersion, kind and metadata of a root or embedded object */
static gboolean
rdd_schema_is_resource_member(const gchar *name)
{
	switch (name[0]) {
	case 'a':
		return strcmp(name, "apiVersion") == 0;
	case 'k':
		return strcmp(name, "kind") == 0;
	case 'm':
		return strcmp(name, "metadata") == 0;
	default:
		return FALSE;
	}
}

/* a cheap hash for the few property names of one object schema */
static inline guint
rdd_schema_prop_hash(const gchar *name, gsize len)
{
	guint h = (guint)len;
	if (len > 0) {
		h = h * 31 + (guchar)name[0];
		h = h * 31 + (guchar)name[len - 1];
		h = h * 31 + (guchar)name[len / 2];
	}
	return h;
}

static const RddSchemaProp *
rdd_schema_find_prop_len(RddSchema *self, const gchar *name, gsize len)
{
	guint i;

	if (self->n_props == 0)
		return NULL;
	for (i = rdd_schema_prop_hash(name, len) & self->props_table_mask;
	     self->props_table[i] != 0; i = (i + 1) & self->props_table_mask) {
		const RddSchemaProp *prop = &self->props[self->props_table[i] - 1];
		if (prop->name_len == len && memcmp(prop->name, name, len) == 0)
			return prop;
	}
	return NULL;
}

static const RddSchemaProp *
rdd_schema_find_prop(RddSchema *self, const gchar *name)
{
	return rdd_schema_find_prop_len(self, name, strlen(name));
}

static RddSchema *
rdd_schema_lookup_prop(RddSchema *self, const gchar *name)
{
	const RddSchemaProp *prop = rdd_schema_find_prop(self, name);
	return prop != NULL ? prop->schema : NULL;
}

/* format checks */

static gboolean
rdd_schema_parse_digits(const gchar **p, guint n, guint *value)
{
	guint v = 0;
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit((*p)[i]))
			return FALSE;
		v = v * 10 + (guint)((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return TRUE;
}

/* RFC 3339 date-time as Kubernetes (go-openapi strfmt) accepts it */
static gboolean
rdd_schema_is_date_time(const gchar *s)
{
	const guint mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const gchar *p = s;
	guint year, month, day, hour, minute, second;
	guint days;

	if (!rdd_schema_parse_digits(&p, 4, &year) || *p++ != '-' ||
	    !rdd_schema_parse_digits(&p, 2, &month) || *p++ != '-' || !rdd_schema_parse_digits(&p, 2, &day))
		return FALSE;
	if (month < 1 || month > 12 || day < 1)
		return FALSE;
	days = mdays[month - 1];
	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		days = 29;
	if (day > days)
		return FALSE;
	if (*p != 'T' && *p != 't')
		return FALSE;
	p++;
	if (!rdd_schema_parse_digits(&p, 2, &hour) || *p++ != ':' || !rdd_schema_parse_digits(&p, 2, &minute) ||
	    *p++ != ':' || !rdd_schema_parse_digits(&p, 2, &second))
		return FALSE;
	if (hour > 23 || minute > 59 || second > 59)
		return FALSE;
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			return FALSE;
		while (g_ascii_isdigit(*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0';
	if (*p == '+' || *p == '-') {
		guint tzh, tzm;
		p++;
		if (!rdd_schema_parse_digits(&p, 2, &tzh) || *p++ != ':' ||
		    !rdd_schema_parse_digits(&p, 2, &tzm))
			return FALSE;
		return tzh <= 23 && tzm <= 59 && *p == '\0';
	}
	return FALSE;
}

/* standard base64 with padding, as Go's base64.StdEncoding decodes it (CR and LF ignored) */
static gboolean
rdd_schema_is_base64(const gchar *s)
{
	guint n = 0;
	guint pad = 0;

	for (const gchar *p = s; *p != '\0'; p++) {
		gchar c = *p;
		if (c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			n++;
			continue;
		}
		if (pad > 0)
			return FALSE;
		if (!g_ascii_isalnum(c) && c != '+' && c != '/')
			return FALSE;
		n++;
	}
	return n % 4 == 0 && pad <= 2;
}

/* validation */

static void rdd_schema_validate_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w);

static void
rdd_schema_validate_type_error(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *subject = NULL;
	g_autofree gchar *msg = NULL;
	const gchar *given = rdd_schema_json_type_name(value);

	w->ok = FALSE;
	if (w->out == NULL)
		return;
	path = rdd_schema_walk_path(w);
	subject = rdd_schema_subject(path);
	msg = g_strdup_printf("Invalid value: \"%s\": %s must be of type %s: \"%s\"", given, subject,
			      self->int_or_string ? "integer,string" : rdd_schema_type_to_string(self->type),
			      given);
	rdd_schema_walk_add(w, "FieldValueTypeInvalid", path, msg);
}

static void
rdd_schema_validate_string(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	const gchar *str = json_node_get_string(value);
	gsize bytes = 0;

	/* a character takes 1 to 6 bytes to g_utf8_strlen(): skip counting when the bytes decide */
	if (self->max_length >= 0 || self->min_length >= 0)
		bytes = strlen(str);
	if ((self->max_length >= 0 && bytes > (guint64)self->max_length) ||
	    (self->min_length >= 0 && bytes / 6 < (guint64)self->min_length)) {
		glong len = g_utf8_strlen(str, -1);
		if (self->max_length >= 0 && len > self->max_length) {
			w->ok = FALSE;
			if (w->out != NULL) {
				g_autofree gchar *path = rdd_schema_walk_path(w);
				g_autofree gchar *msg = g_strdup_printf(
					"Too long: may not be longer than %" G_GINT64_FORMAT, self->max_length);
				rdd_schema_walk_add(w, "FieldValueTooLong", path, msg);
			}
		}
		if (self->min_length >= 0 && len < self->min_length) {
			w->ok = FALSE;
			if (w->out != NULL) {
				g_autofree gchar *vstr = rdd_schema_value_to_string(value);
				g_autofree gchar *text = g_strdup_printf(
					"should be at least %" G_GINT64_FORMAT " chars long", self->min_length);
				rdd_schema_walk_add_invalid(w, vstr, text);
			}
		}
	}
	if (self->pattern != NULL && !g_regex_match(self->pattern, str, 0, NULL)) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = rdd_schema_value_to_string(value);
			g_autofree gchar *text = g_strdup_printf("should match '%s'", self->pattern_text);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}
	if ((self->format_kind == RDD_SCHEMA_FORMAT_DATE_TIME && !rdd_schema_is_date_time(str)) ||
	    (self->format_kind == RDD_SCHEMA_FORMAT_BYTE && !rdd_schema_is_base64(str))) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = rdd_schema_value_to_string(value);
			g_autofree gchar *text = g_strdup_printf("must be of type %s: %s", self->format, vstr);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}
}

static void
rdd_schema_validate_number(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	gdouble num = rdd_schema_node_get_number(value);

	if (self->multiple_of > 0) {
		gdouble q = num / self->multiple_of;
		if (!isfinite(q) || q != floor(q)) {
			w->ok = FALSE;
			if (w->out != NULL) {
				g_autofree gchar *vstr = rdd_schema_value_to_string(value);
				g_autofree gchar *bound = rdd_schema_number_to_string(self->multiple_of);
				g_autofree gchar *text = g_strdup_printf("should be a multiple of %s", bound);
				rdd_schema_walk_add_invalid(w, vstr, text);
			}
		}
	}
	if (self->has_maximum && (self->exclusive_maximum ? num >= self->maximum : num > self->maximum)) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = rdd_schema_value_to_string(value);
			g_autofree gchar *bound = rdd_schema_number_to_string(self->maximum);
			g_autofree gchar *text =
				g_strdup_printf("should be less than %s%s",
						self->exclusive_maximum ? "" : "or equal to ", bound);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}
	if (self->has_minimum && (self->exclusive_minimum ? num <= self->minimum : num < self->minimum)) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = rdd_schema_value_to_string(value);
			g_autofree gchar *bound = rdd_schema_number_to_string(self->minimum);
			g_autofree gchar *text =
				g_strdup_printf("should be greater than %s%s",
						self->exclusive_minimum ? "" : "or equal to ", bound);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}
}

static void
rdd_schema_walk_add_duplicate(RddSchemaWalk *w, guint index, JsonNode *shown)
{
	w->ok = FALSE;
	if (w->out != NULL) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *vstr = rdd_schema_value_to_string(shown);
		g_autofree gchar *msg = g_strdup_printf("Duplicate value: %s", vstr);
		rdd_schema_walk_push_index(w, index);
		path = rdd_schema_walk_path(w);
		rdd_schema_walk_pop(w);
		rdd_schema_walk_add(w, "FieldValueDuplicate", path, msg);
	}
}

/* the map keys of one item of an x-kubernetes-list-type=map list, as an object */
static JsonNode *
rdd_schema_list_map_key(RddSchema *self, JsonNode *item)
{
	g_autoptr(JsonObject) obj = json_object_new();
	JsonNode *node = json_node_alloc();

	if (JSON_NODE_HOLDS_OBJECT(item)) {
		JsonObject *src = json_node_get_object(item);
		for (guint i = 0; self->list_map_keys[i] != NULL; i++) {
			JsonNode *member = json_object_get_member(src, self->list_map_keys[i]);
			if (member != NULL)
				json_object_set_member(obj, self->list_map_keys[i], rdd_json_deep_copy(member));
		}
	}
	return json_node_init_object(node, obj);
}

static gboolean
rdd_schema_list_map_equal(RddSchema *self, JsonNode *a, JsonNode *b)
{
	JsonObject *oa;
	JsonObject *ob;

	if (!JSON_NODE_HOLDS_OBJECT(a) || !JSON_NODE_HOLDS_OBJECT(b))
		return FALSE;
	oa = json_node_get_object(a);
	ob = json_node_get_object(b);
	for (guint i = 0; self->list_map_keys[i] != NULL; i++) {
		if (!rdd_json_equal(json_object_get_member(oa, self->list_map_keys[i]),
				    json_object_get_member(ob, self->list_map_keys[i])))
			return FALSE;
	}
	return TRUE;
}

static void
rdd_schema_validate_list_unique(RddSchema *self, JsonArray *arr, RddSchemaWalk *w)
{
	guint n = json_array_get_length(arr);
	gboolean is_map = self->list_type == RDD_SCHEMA_LIST_MAP;

	if (n <= RDD_SCHEMA_PAIRWISE_MAX) {
		for (guint j = 1; j < n; j++) {
			JsonNode *b = json_array_get_element(arr, j);
			for (guint i = 0; i < j; i++) {
				JsonNode *a = json_array_get_element(arr, i);
				gboolean dup = is_map ? rdd_schema_list_map_equal(self, a, b) :
							rdd_json_equal(a, b);
				if (!dup)
					continue;
				if (is_map) {
					g_autoptr(JsonNode) key = rdd_schema_list_map_key(self, b);
					rdd_schema_walk_add_duplicate(w, j, key);
				} else {
					rdd_schema_walk_add_duplicate(w, j, b);
				}
				break;
			}
		}
		return;
	}

	/* long lists: compare canonical forms, which are equal exactly for equal values */
	{
		g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (guint j = 0; j < n; j++) {
			JsonNode *b = json_array_get_element(arr, j);
			g_autoptr(JsonNode) key = NULL;
			g_autofree gchar *canon = NULL;
			if (is_map) {
				if (!JSON_NODE_HOLDS_OBJECT(b))
					continue;
				key = rdd_schema_list_map_key(self, b);
			} else {
				key = json_node_ref(b);
			}
			canon = rdd_json_to_string(key, FALSE);
			if (g_hash_table_contains(seen, canon)) {
				rdd_schema_walk_add_duplicate(w, j, key);
				continue;
			}
			g_hash_table_add(seen, g_steal_pointer(&canon));
		}
	}
}

static void
rdd_schema_validate_array(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	JsonArray *arr = json_node_get_array(value);
	guint n = json_array_get_length(arr);

	if (self->max_items >= 0 && n > self->max_items) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *path = rdd_schema_walk_path(w);
			g_autofree gchar *msg =
				g_strdup_printf("Too many: %u: must have at most %" G_GINT64_FORMAT " items",
						n, self->max_items);
			rdd_schema_walk_add(w, "FieldValueTooMany", path, msg);
		}
	}
	if (self->min_items >= 0 && n < self->min_items) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = g_strdup_printf("%u", n);
			g_autofree gchar *text = g_strdup_printf(
				"should have at least %" G_GINT64_FORMAT " items", self->min_items);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}
	if (self->list_type == RDD_SCHEMA_LIST_SET || self->list_type == RDD_SCHEMA_LIST_MAP)
		rdd_schema_validate_list_unique(self, arr, w);
	if (self->items != NULL) {
		for (guint i = 0; i < n; i++) {
			rdd_schema_walk_push_index(w, i);
			rdd_schema_validate_node(self->items, json_array_get_element(arr, i), w);
			rdd_schema_walk_pop(w);
		}
	}
}

static gint
rdd_schema_compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gint
rdd_schema_compare_members(gconstpointer a, gconstpointer b)
{
	return strcmp(((const RddSchemaMember *)a)->name, ((const RddSchemaMember *)b)->name);
}

static gint
rdd_schema_compare_props(gconstpointer a, gconstpointer b)
{
	return strcmp(((const RddSchemaProp *)a)->name, ((const RddSchemaProp *)b)->name);
}

/* the members of @obj sorted by name, in @stack when they fit, else in @heap */
static RddSchemaMember *
rdd_schema_sorted_members(JsonObject *obj, RddSchemaMember *stack, guint stack_len, RddSchemaMember **heap, guint *n_out)
{
	guint n = json_object_get_size(obj);
	RddSchemaMember *members = stack;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *node;
	guint i = 0;

	if (n > stack_len) {
		*heap = g_new(RddSchemaMember, n);
		members = *heap;
	}
	json_object_iter_init(&iter, obj);
	while (i < n && json_object_iter_next(&iter, &name, &node)) {
		members[i].name = name;
		members[i].node = node;
		i++;
	}
	/* insertion sort: objects are small */
	for (guint j = 1; j < i && i <= 16; j++) {
		RddSchemaMember tmp = members[j];
		guint k = j;
		while (k > 0 && strcmp(members[k - 1].name, tmp.name) > 0) {
			members[k] = members[k - 1];
			k--;
		}
		members[k] = tmp;
	}
	if (i > 16)
		qsort(members, i, sizeof(RddSchemaMember), rdd_schema_compare_members);
	*n_out = i;
	return members;
}

static void
rdd_schema_walk_add_required(RddSchemaWalk *w, const gchar *name)
{
	w->ok = FALSE;
	if (w->out != NULL) {
		g_autofree gchar *path = NULL;
		rdd_schema_walk_push_prop(w, name);
		path = rdd_schema_walk_path(w);
		rdd_schema_walk_pop(w);
		rdd_schema_walk_add(w, "FieldValueRequired", path, "Required value");
	}
}

static void
rdd_schema_validate_object(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	JsonObject *obj = json_node_get_object(value);
	guint size = json_object_get_size(obj);

	if (self->max_properties >= 0 && size > self->max_properties) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *path = rdd_schema_walk_path(w);
			g_autofree gchar *msg =
				g_strdup_printf("Too many: %u: must have at most %" G_GINT64_FORMAT " items",
						size, self->max_properties);
			rdd_schema_walk_add(w, "FieldValueTooMany", path, msg);
		}
	}
	if (self->min_properties >= 0 && size < self->min_properties) {
		w->ok = FALSE;
		if (w->out != NULL) {
			g_autofree gchar *vstr = g_strdup_printf("%u", size);
			g_autofree gchar *text = g_strdup_printf(
				"should have at least %" G_GINT64_FORMAT " properties", self->min_properties);
			rdd_schema_walk_add_invalid(w, vstr, text);
		}
	}

	/* declared properties in sorted order; a missing required one is reported in place */
	for (guint i = 0; i < self->n_props; i++) {
		const RddSchemaProp *prop = &self->props[i];
		JsonNode *member;
		if (self->is_root && rdd_schema_is_resource_member(prop->name))
			continue;
		member = size > 0 ? json_object_get_member(obj, prop->name) : NULL;
		if (member == NULL) {
			if (prop->required)
				rdd_schema_walk_add_required(w, prop->name);
			continue;
		}
		rdd_schema_walk_push_prop(w, prop->name);
		rdd_schema_validate_node(prop->schema, member, w);
		rdd_schema_walk_pop(w);
	}
	for (guint i = 0; self->required_undeclared != NULL && self->required_undeclared[i] != NULL; i++) {
		const gchar *name = self->required_undeclared[i];
		if (self->is_root && rdd_schema_is_resource_member(name))
			continue;
		if (!json_object_has_member(obj, name))
			rdd_schema_walk_add_required(w, name);
	}

	if (self->additional_properties != NULL && size > 0 && w->fast) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *member;
		json_object_iter_init(&iter, obj);
		while (w->ok && json_object_iter_next(&iter, &name, &member)) {
			if (rdd_schema_lookup_prop(self, name) != NULL)
				continue;
			if (self->is_root && rdd_schema_is_resource_member(name))
				continue;
			rdd_schema_walk_push_key(w, name);
			rdd_schema_validate_node(self->additional_properties, member, w);
			rdd_schema_walk_pop(w);
		}
	} else if (self->additional_properties != NULL && size > 0) {
		RddSchemaMember stack[RDD_SCHEMA_STACK_MEMBERS];
		g_autofree RddSchemaMember *heap = NULL;
		guint n = 0;
		RddSchemaMember *members =
			rdd_schema_sorted_members(obj, stack, G_N_ELEMENTS(stack), &heap, &n);
		for (guint i = 0; i < n; i++) {
			if (rdd_schema_lookup_prop(self, members[i].name) != NULL)
				continue;
			if (self->is_root && rdd_schema_is_resource_member(members[i].name))
				continue;
			rdd_schema_walk_push_key(w, members[i].name);
			rdd_schema_validate_node(self->additional_properties, members[i].node, w);
			rdd_schema_walk_pop(w);
		}
	}
}

static void
rdd_schema_validate_enum(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	guint n = json_array_get_length(self->enum_values);
	g_autoptr(GString) msg = NULL;
	g_autofree gchar *path = NULL;

	if (JSON_NODE_HOLDS_VALUE(value) && json_node_get_value_type(value) == G_TYPE_STRING) {
		/* a string equals only a string (see rdd_json_equal()) */
		const gchar *str = json_node_get_string(value);
		for (guint i = 0; i < n; i++) {
			JsonNode *item = json_array_get_element(self->enum_values, i);
			const gchar *other;
			if (!JSON_NODE_HOLDS_VALUE(item) || json_node_get_value_type(item) != G_TYPE_STRING)
				continue;
			other = json_node_get_string(item);
			if (strcmp(str != NULL ? str : "", other != NULL ? other : "") == 0)
				return;
		}
	} else {
		for (guint i = 0; i < n; i++) {
			if (rdd_json_equal(value, json_array_get_element(self->enum_values, i)))
				return;
		}
	}
	w->ok = FALSE;
	if (w->out == NULL)
		return;
	msg = g_string_new("Unsupported value: ");
	rdd_schema_append_value(msg, value);
	g_string_append(msg, ": supported values: ");
	for (guint i = 0; i < n; i++) {
		if (i > 0)
			g_string_append(msg, ", ");
		rdd_schema_append_value(msg, json_array_get_element(self->enum_values, i));
	}
	path = rdd_schema_walk_path(w);
	rdd_schema_walk_add(w, "FieldValueNotSupported", path, msg->str);
}

static void
rdd_schema_validate_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	if (w->n >= G_N_ELEMENTS(w->segs))
		return; /* cannot happen: the schema depth is capped at compile time */
	if (w->fast && !w->ok)
		return;

	if (JSON_NODE_HOLDS_NULL(value)) {
		if (self->nullable)
			return;
		if (self->type == RDD_SCHEMA_TYPE_ANY && !self->int_or_string)
			return;
		rdd_schema_validate_type_error(self, value, w);
		return;
	}
	if (!rdd_schema_type_matches(self, value)) {
		rdd_schema_validate_type_error(self, value, w);
		return;
	}

	if (rdd_schema_node_is_string(value)) {
		rdd_schema_validate_string(self, value, w);
	} else if (JSON_NODE_HOLDS_VALUE(value) && !rdd_schema_node_is_boolean(value)) {
		rdd_schema_validate_number(self, value, w);
	} else if (JSON_NODE_HOLDS_ARRAY(value)) {
		rdd_schema_validate_array(self, value, w);
	}
	if (self->enum_values != NULL)
		rdd_schema_validate_enum(self, value, w);
	if (JSON_NODE_HOLDS_OBJECT(value))
		rdd_schema_validate_object(self, value, w);
}

/**
 * rdd_schema_validate:
 * @self: a #RddSchema
 * @value: the value to check, usually a whole object after defaulting and pruning
 * @causes: (nullable) (element-type RddCause): where to append one #RddCause per problem
 *
 * Checks @value against the schema and reports every problem, with the cause types and
 * messages Kubernetes uses, e.g. `spec.running` / `Required value`. Object members are
 * visited in sorted order so the causes come out in a stable order. At the root of an
 * object schema `apiVersion`, `kind` and `metadata` are not checked.
 *
 * Returns: %TRUE when @value is valid
 *
 * Since: 0.1
 */
gboolean
rdd_schema_validate(RddSchema *self, JsonNode *value, GPtrArray *causes)
{
	RddSchemaWalk fast = {.prefix = NULL, .n = 0, .out = NULL, .ok = TRUE, .fast = TRUE};
	RddSchemaWalk w = {.prefix = NULL, .n = 0, .out = causes, .ok = TRUE};

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);

	/* the common case: valid, found without sorting anything */
	rdd_schema_validate_node(self, value, &fast);
	if (fast.ok || causes == NULL)
		return fast.ok;

	/* invalid: walk again in sorted order to report every problem */
	rdd_schema_validate_node(self, value, &w);
	return w.ok;
}

/* defaulting */

/* makes @dst hold the value of @src, keeping @dst's place in its parent */
static void
rdd_schema_node_assign(JsonNode *dst, JsonNode *src)
{
	if (json_node_is_immutable(dst))
		return;
	switch (json_node_get_node_type(src)) {
	case JSON_NODE_OBJECT:
		json_node_init_object(dst, json_node_get_object(src));
		return;
	case JSON_NODE_ARRAY:
		json_node_init_array(dst, json_node_get_array(src));
		return;
	case JSON_NODE_NULL:
		json_node_init_null(dst);
		return;
	case JSON_NODE_VALUE:
	default:
		break;
	}
	switch (json_node_get_value_type(src)) {
	case G_TYPE_STRING:
		json_node_init_string(dst, json_node_get_string(src));
		break;
	case G_TYPE_BOOLEAN:
		json_node_init_boolean(dst, json_node_get_boolean(src));
		break;
	case G_TYPE_DOUBLE:
	case G_TYPE_FLOAT:
		json_node_init_double(dst, json_node_get_double(src));
		break;
	default:
		json_node_init_int(dst, json_node_get_int(src));
		break;
	}
}

/* replaces a JSON null at a place whose schema is not nullable and has a default */
static void
rdd_schema_default_null(RddSchema *schema, JsonNode *value)
{
	if (schema->default_value != NULL && !schema->nullable && JSON_NODE_HOLDS_NULL(value)) {
		g_autoptr(JsonNode) copy = rdd_json_deep_copy(schema->default_value);
		rdd_schema_node_assign(value, copy);
	}
}

static void
rdd_schema_default_node(RddSchema *self, JsonNode *value, guint depth)
{
	if (!self->needs_defaults || depth > RDD_SCHEMA_MAX_DEPTH)
		return;

	if (JSON_NODE_HOLDS_OBJECT(value)) {
		JsonObject *obj = json_node_get_object(value);
		if (json_node_is_immutable(value))
			return;
		for (guint i = 0; i < self->n_default_props; i++) {
			const RddSchemaProp *prop = self->default_props[i];
			JsonNode *member;
			if (self->is_root && rdd_schema_is_resource_member(prop->name))
				continue;
			member = json_object_get_member(obj, prop->name);
			if (member == NULL) {
				if (prop->schema->default_value == NULL)
					continue;
				member = rdd_json_deep_copy(prop->schema->default_value);
				json_object_set_member(obj, prop->name, member);
			} else {
				rdd_schema_default_null(prop->schema, member);
			}
			rdd_schema_default_node(prop->schema, member, depth + 1);
		}
		if (self->additional_properties != NULL &&
		    (self->additional_properties->needs_defaults ||
		     self->additional_properties->default_value != NULL)) {
			JsonObjectIter iter;
			const gchar *name;
			JsonNode *member;
			json_object_iter_init(&iter, obj);
			while (json_object_iter_next(&iter, &name, &member)) {
				if (rdd_schema_lookup_prop(self, name) != NULL)
					continue;
				if (self->is_root && rdd_schema_is_resource_member(name))
					continue;
				rdd_schema_default_null(self->additional_properties, member);
				rdd_schema_default_node(self->additional_properties, member, depth + 1);
			}
		}
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(value) && self->items != NULL) {
		JsonArray *arr = json_node_get_array(value);
		guint n = json_array_get_length(arr);
		for (guint i = 0; i < n; i++) {
			JsonNode *item = json_array_get_element(arr, i);
			rdd_schema_default_null(self->items, item);
			rdd_schema_default_node(self->items, item, depth + 1);
		}
	}
}

/**
 * rdd_schema_apply_defaults:
 * @self: a #RddSchema
 * @value: the value to default, changed in place
 *
 * Applies defaults the way Kubernetes defaults custom resources: in every object, each absent
 * property whose schema has a `default` gets a copy of it, and a property that is JSON null
 * while its schema is not nullable and has a default is replaced by the default; then the
 * walk continues into every present property (including the ones just defaulted), the items
 * of arrays and the values of maps.
 *
 * Since: 0.1
 */
void
rdd_schema_apply_defaults(RddSchema *self, JsonNode *value)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(value != NULL);
	g_return_if_fail(!json_node_is_immutable(value));
	rdd_schema_default_node(self, value, 0);
}

/* pruning */

static void rdd_schema_prune_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w);

/* the fast walk: is there anything to prune in @obj? */
static void
rdd_schema_prune_object_check(RddSchema *self, JsonObject *obj, RddSchemaWalk *w)
{
	gboolean keep_unknown = self->preserve_unknown_fields || self->additional_properties_allowed;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;

	json_object_iter_init(&iter, obj);
	while (w->ok && json_object_iter_next(&iter, &name, &member)) {
		RddSchema *prop;
		if ((self->is_root || self->embedded_resource) && rdd_schema_is_resource_member(name))
			continue;
		prop = rdd_schema_lookup_prop(self, name);
		if (prop != NULL) {
			rdd_schema_prune_node(prop, member, w);
			continue;
		}
		if (self->additional_properties != NULL) {
			rdd_schema_prune_node(self->additional_properties, member, w);
			continue;
		}
		if (!keep_unknown)
			w->ok = FALSE;
	}
}

static void
rdd_schema_prune_object(RddSchema *self, JsonObject *obj, RddSchemaWalk *w)
{
	RddSchemaMember stack[RDD_SCHEMA_STACK_MEMBERS];
	g_autofree RddSchemaMember *heap = NULL;
	guint n = 0;
	RddSchemaMember *members;
	gboolean keep_unknown = self->preserve_unknown_fields || self->additional_properties_allowed;

	if (json_object_get_size(obj) == 0)
		return;
	if (w->fast) {
		rdd_schema_prune_object_check(self, obj, w);
		return;
	}
	members = rdd_schema_sorted_members(obj, stack, G_N_ELEMENTS(stack), &heap, &n);
	for (guint i = 0; i < n; i++) {
		const gchar *name = members[i].name;
		RddSchema *prop;

		/* the store owns these at the root; an embedded resource keeps its metadata */
		if ((self->is_root || self->embedded_resource) && rdd_schema_is_resource_member(name))
			continue;
		prop = rdd_schema_lookup_prop(self, name);
		if (prop != NULL) {
			rdd_schema_walk_push_prop(w, name);
			rdd_schema_prune_node(prop, members[i].node, w);
			rdd_schema_walk_pop(w);
			continue;
		}
		if (self->additional_properties != NULL) {
			rdd_schema_walk_push_key(w, name);
			rdd_schema_prune_node(self->additional_properties, members[i].node, w);
			rdd_schema_walk_pop(w);
			continue;
		}
		if (keep_unknown)
			continue;

		/* unknown: report and drop it */
		{
			g_autofree gchar *copy = g_strdup(name);
			w->ok = FALSE;
			if (w->out != NULL) {
				rdd_schema_walk_push_prop(w, copy);
				g_ptr_array_add(w->out, rdd_schema_walk_path(w));
				rdd_schema_walk_pop(w);
			}
			json_object_remove_member(obj, copy);
		}
	}
}

static void
rdd_schema_prune_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w)
{
	if (w->n >= G_N_ELEMENTS(w->segs))
		return;
	if (w->fast && !w->ok)
		return;
	if (JSON_NODE_HOLDS_OBJECT(value)) {
		if (json_node_is_immutable(value))
			return;
		if (self->type == RDD_SCHEMA_TYPE_OBJECT ||
		    (self->type == RDD_SCHEMA_TYPE_ANY &&
		     (self->n_props > 0 || self->additional_properties != NULL)))
			rdd_schema_prune_object(self, json_node_get_object(value), w);
		return;
	}
	if (JSON_NODE_HOLDS_ARRAY(value) && self->items != NULL) {
		JsonArray *arr = json_node_get_array(value);
		guint n = json_array_get_length(arr);
		for (guint i = 0; i < n; i++) {
			rdd_schema_walk_push_index(w, i);
			rdd_schema_prune_node(self->items, json_array_get_element(arr, i), w);
			rdd_schema_walk_pop(w);
		}
	}
}

/**
 * rdd_schema_prune:
 * @self: a #RddSchema
 * @value: the value to prune, changed in place
 * @unknown_fields: (nullable) (element-type utf8): where to append the path of each removed
 *   field, e.g. `spec.ports[0].bar`
 *
 * Drops the members of objects that the schema does not declare, as Kubernetes prunes custom
 * resources: objects with an `additionalProperties` schema, `additionalProperties: true` or
 * `x-kubernetes-preserve-unknown-fields` keep their unknown members, and the walk continues
 * into declared members, array items and map values. At the root, and in embedded
 * resources (`x-kubernetes-embedded-resource`), `apiVersion`, `kind` and `metadata` are kept
 * as they are.
 *
 * Since: 0.1
 */
void
rdd_schema_prune(RddSchema *self, JsonNode *value, GPtrArray *unknown_fields)
{
	RddSchemaWalk fast = {.prefix = NULL, .n = 0, .out = NULL, .ok = TRUE, .fast = TRUE};
	RddSchemaWalk w = {.prefix = NULL, .n = 0, .out = unknown_fields, .ok = TRUE};

	g_return_if_fail(self != NULL);
	g_return_if_fail(value != NULL);
	g_return_if_fail(!json_node_is_immutable(value));

	/* the common case: nothing to prune, found without sorting anything */
	rdd_schema_prune_node(self, value, &fast);
	if (fast.ok)
		return;
	rdd_schema_prune_node(self, value, &w);
}

/* pruning, validating and writing in one walk */

static gboolean rdd_schema_check_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w, GString *out);

/* appends the three offsets of a member written to @out */
static void
rdd_schema_spans_add(GArray *spans, gsize key_off, gsize val_off, gsize end)
{
	guint32 triple[3] = {(guint32)key_off, (guint32)val_off, (guint32)end};
	g_array_append_vals(spans, triple, 3);
}

/* writes @obj as rdd_json_write() does, without the resource members of a root object;
 * @spans (nullable) receives the offsets of its members */
static void
rdd_schema_write_object(RddSchema *self, JsonObject *obj, GString *out, GArray *spans)
{
	RddSchemaMember stack[RDD_SCHEMA_STACK_MEMBERS];
	g_autofree RddSchemaMember *heap = NULL;
	RddSchemaMember *members = stack;
	guint size = json_object_get_size(obj);
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;
	guint n = 0;

	if (size > G_N_ELEMENTS(stack)) {
		heap = g_new(RddSchemaMember, size);
		members = heap;
	}
	json_object_iter_init(&iter, obj);
	while (n < size && json_object_iter_next(&iter, &name, &member)) {
		guint k;
		if (self->is_root && rdd_schema_is_resource_member(name))
			continue;
		k = n++;
		/* insertion sort for small objects, else qsort() below */
		while (size <= 16 && k > 0 && strcmp(members[k - 1].name, name) > 0) {
			members[k] = members[k - 1];
			k--;
		}
		members[k].name = name;
		members[k].node = member;
	}
	if (size > 16)
		qsort(members, n, sizeof(RddSchemaMember), rdd_schema_compare_members);
	rdd_json_append_c(out, '{');
	for (guint i = 0; i < n; i++) {
		gsize key_off;
		gsize val_off;
		if (i > 0)
			rdd_json_append_c(out, ',');
		key_off = out->len;
		rdd_json_write_string(out, members[i].name);
		rdd_json_append_c(out, ':');
		val_off = out->len;
		rdd_json_write(out, members[i].node);
		if (spans != NULL)
			rdd_schema_spans_add(spans, key_off, val_off, out->len);
	}
	rdd_json_append_c(out, '}');
}

/* the members of an object: what rdd_schema_prune_object() and rdd_schema_validate_object()
 * look at, visited once; written to @out (nullable) with their offsets in @spans (nullable) */
static gboolean
rdd_schema_check_object(RddSchema *self, JsonObject *obj, RddSchemaWalk *w, GString *out, GArray *spans)
{
	guint size = json_object_get_size(obj);
	gboolean prunes = self->type == RDD_SCHEMA_TYPE_OBJECT || self->n_props > 0 ||
			  self->additional_properties != NULL;
	gboolean keep_unknown = self->preserve_unknown_fields || self->additional_properties_allowed;
	gboolean written = FALSE;
	guint required = 0;
	gsize start = out != NULL ? out->len : 0;
	guint spans_start = spans != NULL ? spans->len : 0;

	/* an embedded resource keeps and validates its metadata differently: walk it the long way */
	if (self->embedded_resource)
		return FALSE;
	if (self->max_properties >= 0 && size > self->max_properties)
		return FALSE;
	if (self->min_properties >= 0 && size < self->min_properties)
		return FALSE;
	if (size > 0 && self->additional_properties == NULL && self->n_props > 0 &&
	    self->n_props <= RDD_SCHEMA_STACK_PROPS) {
		/* find the declared properties among the members, then visit them in sorted order,
		 * which is the order they are written in */
		JsonNode *slots[RDD_SCHEMA_STACK_PROPS];
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *member;
		guint found = 0;
		guint unknown = 0;

		memset(slots, 0, self->n_props * sizeof(JsonNode *));
		json_object_iter_init(&iter, obj);
		while (json_object_iter_next(&iter, &name, &member)) {
			const RddSchemaProp *prop;
			if (self->is_root && rdd_schema_is_resource_member(name))
				continue;
			prop = rdd_schema_find_prop(self, name);
			if (prop != NULL) {
				slots[prop - self->props] = member;
				continue;
			}
			/* an unknown member: pruned unless kept */
			if (prunes && !keep_unknown)
				return FALSE;
			unknown++;
		}
		if (out != NULL)
			rdd_json_append_c(out, '{');
		for (guint i = 0; i < self->n_props; i++) {
			const RddSchemaProp *prop = &self->props[i];
			gsize key_off = 0;
			gsize val_off = 0;
			if (slots[i] == NULL) {
				if (prop->required &&
				    !(self->is_root && rdd_schema_is_resource_member(prop->name)))
					return FALSE;
				continue;
			}
			if (out != NULL) {
				if (found > 0)
					rdd_json_append_c(out, ',');
				key_off = out->len;
				rdd_json_append(out, prop->quoted_key, prop->quoted_key_len);
				val_off = out->len;
			}
			found++;
			if (prop->required)
				required++;
			if (!rdd_schema_check_node(prop->schema, slots[i], w, out))
				return FALSE;
			if (spans != NULL)
				rdd_schema_spans_add(spans, key_off, val_off, out->len);
		}
		if (unknown == 0 && out != NULL) {
			rdd_json_append_c(out, '}');
			written = TRUE;
		}
	} else if (size > 0 && (self->n_props > 0 || self->additional_properties != NULL ||
				(prunes && !keep_unknown))) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *member;

		json_object_iter_init(&iter, obj);
		while (json_object_iter_next(&iter, &name, &member)) {
			const RddSchemaProp *prop;
			if (self->is_root && rdd_schema_is_resource_member(name))
				continue;
			prop = rdd_schema_find_prop(self, name);
			if (prop != NULL) {
				if (prop->required)
					required++;
				if (!rdd_schema_check_node(prop->schema, member, w, NULL))
					return FALSE;
				continue;
			}
			if (self->additional_properties != NULL) {
				if (!rdd_schema_check_node(self->additional_properties, member, w, NULL))
					return FALSE;
				continue;
			}
			/* an unknown member: pruned unless kept */
			if (prunes && !keep_unknown)
				return FALSE;
		}
	}
	if (required != self->n_required_checked)
		return FALSE;
	for (guint i = 0; self->required_undeclared != NULL && self->required_undeclared[i] != NULL; i++) {
		const gchar *name = self->required_undeclared[i];
		if (self->is_root && rdd_schema_is_resource_member(name))
			continue;
		if (!json_object_has_member(obj, name))
			return FALSE;
	}
	if (out != NULL && !written) {
		/* members visited in hash order, or unknown ones kept: write it the generic way */
		g_string_truncate(out, start);
		if (spans != NULL)
			g_array_set_size(spans, spans_start);
		rdd_schema_write_object(self, obj, out, spans);
	}
	return TRUE;
}

/* whether rdd_schema_prune_node() would change nothing below @value and
 * rdd_schema_validate_node() would find no problem; %FALSE also when in doubt. When it is
 * %TRUE, @value was also written to @out (nullable), as rdd_json_write() writes it */
static gboolean
rdd_schema_check_node_full(RddSchema *self, JsonNode *value, RddSchemaWalk *w, GString *out, GArray *spans)
{
	JsonNodeType node_type = json_node_get_node_type(value);
	GType gtype;

	if (w->n++ >= RDD_SCHEMA_MAX_DEPTH + 2) {
		/* cannot happen: the walk follows the schema, whose depth is capped */
		w->ok = FALSE;
		return FALSE;
	}
	switch (node_type) {
	case JSON_NODE_NULL:
		w->n--;
		if (!self->nullable && !(self->type == RDD_SCHEMA_TYPE_ANY && !self->int_or_string))
			return FALSE;
		if (out != NULL)
			rdd_json_append(out, "null", 4);
		return TRUE;
	case JSON_NODE_OBJECT:
		if (self->int_or_string || (self->type != RDD_SCHEMA_TYPE_OBJECT && self->type != RDD_SCHEMA_TYPE_ANY))
			return FALSE;
		/* pruning skips a sealed object; leave that to the long way */
		if (json_node_is_immutable(value))
			return FALSE;
		if (self->enum_values != NULL) {
			rdd_schema_validate_enum(self, value, w);
			if (!w->ok)
				return FALSE;
		}
		if (!rdd_schema_check_object(self, json_node_get_object(value), w, out, spans))
			return FALSE;
		w->n--;
		return TRUE;
	case JSON_NODE_ARRAY: {
		JsonArray *arr;
		guint n;

		if (self->int_or_string || (self->type != RDD_SCHEMA_TYPE_ARRAY && self->type != RDD_SCHEMA_TYPE_ANY))
			return FALSE;
		arr = json_node_get_array(value);
		n = json_array_get_length(arr);
		if (self->max_items >= 0 && n > self->max_items)
			return FALSE;
		if (self->min_items >= 0 && n < self->min_items)
			return FALSE;
		if (self->list_type == RDD_SCHEMA_LIST_SET || self->list_type == RDD_SCHEMA_LIST_MAP) {
			rdd_schema_validate_list_unique(self, arr, w);
			if (!w->ok)
				return FALSE;
		}
		if (self->enum_values != NULL) {
			rdd_schema_validate_enum(self, value, w);
			if (!w->ok)
				return FALSE;
		}
		if (out != NULL)
			rdd_json_append_c(out, '[');
		for (guint i = 0; i < n; i++) {
			JsonNode *item = json_array_get_element(arr, i);
			if (out != NULL && i > 0)
				rdd_json_append_c(out, ',');
			if (self->items == NULL) {
				if (out != NULL)
					rdd_json_write(out, item);
			} else if (!rdd_schema_check_node(self->items, item, w, out)) {
				return FALSE;
			}
		}
		if (out != NULL)
			rdd_json_append_c(out, ']');
		w->n--;
		return TRUE;
	}
	case JSON_NODE_VALUE:
	default:
		break;
	}

	/* a scalar: the type test of rdd_schema_type_matches() on the value type alone */
	gtype = json_node_get_value_type(value);
	if (gtype == G_TYPE_STRING) {
		if (!self->int_or_string && self->type != RDD_SCHEMA_TYPE_STRING && self->type != RDD_SCHEMA_TYPE_ANY)
			return FALSE;
		if (self->max_length >= 0 || self->min_length >= 0 || self->pattern != NULL ||
		    self->format_kind == RDD_SCHEMA_FORMAT_DATE_TIME || self->format_kind == RDD_SCHEMA_FORMAT_BYTE)
			rdd_schema_validate_string(self, value, w);
	} else if (gtype == G_TYPE_BOOLEAN) {
		if (self->int_or_string || (self->type != RDD_SCHEMA_TYPE_BOOLEAN && self->type != RDD_SCHEMA_TYPE_ANY))
			return FALSE;
	} else {
		if (!rdd_schema_type_matches(self, value))
			return FALSE;
		if (self->multiple_of > 0 || self->has_maximum || self->has_minimum)
			rdd_schema_validate_number(self, value, w);
	}
	if (w->ok && self->enum_values != NULL)
		rdd_schema_validate_enum(self, value, w);
	w->n--;
	if (!w->ok)
		return FALSE;
	if (out != NULL) {
		if (gtype == G_TYPE_STRING)
			rdd_json_write_string(out, json_node_get_string(value));
		else
			rdd_json_write(out, value);
	}
	return TRUE;
}

static gboolean
rdd_schema_check_node(RddSchema *self, JsonNode *value, RddSchemaWalk *w, GString *out)
{
	return rdd_schema_check_node_full(self, value, w, out, NULL);
}

/**
 * rdd_schema_write:
 * @self: a #RddSchema
 * @value: the value to check and write
 * @out: the string to append the canonical JSON of @value to
 * @members: (nullable) (element-type guint32): when @value is an object, receives three offsets
 *   into @out for each of its members written: where its key starts, where its value starts,
 *   and where the value ends
 *
 * Checks @value in the walk that writes it: when it is valid and has nothing to prune, which
 * rdd_schema_process() finds out in the same single walk, appends it to @out as
 * rdd_json_write() writes it. At the root of an object schema `apiVersion`, `kind` and
 * `metadata` are neither checked nor written. Nothing is pruned or reported here: when @value
 * has something to prune or is invalid, @out and @members are left as they were, and
 * rdd_schema_process() says what is wrong.
 *
 * Returns: %TRUE when @value was valid, had nothing to prune, and was written
 *
 * Since: 0.1
 */
gboolean
rdd_schema_write(RddSchema *self, JsonNode *value, GString *out, GArray *members)
{
	RddSchemaWalk w = {.prefix = NULL, .n = 0, .out = NULL, .ok = TRUE, .fast = TRUE};
	gsize len;
	guint n_members;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(out != NULL, FALSE);
	g_return_val_if_fail(members == NULL || g_array_get_element_size(members) == sizeof(guint32), FALSE);

	len = out->len;
	n_members = members != NULL ? members->len : 0;
	if (rdd_schema_check_node_full(self, value, &w, out, members))
		return TRUE;
	g_string_truncate(out, len);
	if (members != NULL)
		g_array_set_size(members, n_members);
	return FALSE;
}

/**
 * rdd_schema_process:
 * @self: a #RddSchema
 * @value: the value to prune and check, changed in place
 * @unknown_fields: (nullable) (element-type utf8): where to append the path of each removed
 *   field, as rdd_schema_prune() does
 * @causes: (nullable) (element-type RddCause): where to append one #RddCause per problem, as
 *   rdd_schema_validate() does
 *
 * Does what rdd_schema_prune() followed by rdd_schema_validate() does, with the same results,
 * in one walk over @value when there is nothing to prune and nothing wrong, the common case.
 * Defaults are not applied: Kubernetes defaults an object before admission and prunes and
 * validates it after, see rdd_schema_apply_defaults().
 *
 * Returns: %TRUE when @value is valid after pruning
 *
 * Since: 0.1
 */
gboolean
rdd_schema_process(RddSchema *self, JsonNode *value, GPtrArray *unknown_fields, GPtrArray *causes)
{
	RddSchemaWalk w = {.prefix = NULL, .n = 0, .out = NULL, .ok = TRUE, .fast = TRUE};

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(!json_node_is_immutable(value), FALSE);

	if (rdd_schema_check_node(self, value, &w, NULL))
		return TRUE;
	rdd_schema_prune(self, value, unknown_fields);
	return rdd_schema_validate(self, value, causes);
}

/* compiling */

static void
rdd_schema_free(RddSchema *self)
{
	for (guint i = 0; i < self->n_props; i++) {
		g_free(self->props[i].name);
		g_free(self->props[i].quoted_key);
		rdd_schema_unref(self->props[i].schema);
	}
	g_free(self->props);
	g_free(self->default_props);
	g_free(self->props_table);
	g_strfreev(self->required);
	g_strfreev(self->required_undeclared);
	g_clear_pointer(&self->items, rdd_schema_unref);
	g_clear_pointer(&self->additional_properties, rdd_schema_unref);
	g_strfreev(self->list_map_keys);
	g_clear_pointer(&self->pattern, g_regex_unref);
	g_clear_pointer(&self->node, json_node_unref);
	g_free(self);
}

static void
rdd_schema_compile_error(GError **error, GString *path, const gchar *keyword, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
rdd_schema_compile_error(GError **error, GString *path, const gchar *keyword, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;

	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	if (keyword != NULL)
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s.%s: %s", path->str, keyword, msg);
	else
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: %s", path->str, msg);
}

static gboolean
rdd_schema_compile_invalid(GError **error, GString *path, const gchar *keyword, JsonNode *value, const gchar *text)
{
	g_autofree gchar *vstr = rdd_schema_value_to_string(value);
	rdd_schema_compile_error(error, path, keyword, "Invalid value: %s: %s", vstr, text);
	return FALSE;
}

static gboolean
rdd_schema_get_bool_keyword(JsonNode *member, GString *path, const gchar *keyword, gboolean *out, GError **error)
{
	if (!rdd_schema_node_is_boolean(member))
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be a boolean");
	*out = json_node_get_boolean(member);
	return TRUE;
}

static gboolean
rdd_schema_get_string_keyword(JsonNode *member, GString *path, const gchar *keyword, const gchar **out, GError **error)
{
	if (!rdd_schema_node_is_string(member))
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be a string");
	*out = json_node_get_string(member);
	return TRUE;
}

static gboolean
rdd_schema_get_number_keyword(JsonNode *member, GString *path, const gchar *keyword, gdouble *out, GError **error)
{
	if (!rdd_schema_node_is_number(member))
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be a number");
	*out = rdd_schema_node_get_number(member);
	return TRUE;
}

static gboolean
rdd_schema_get_count_keyword(JsonNode *member, GString *path, const gchar *keyword, gint64 *out, GError **error)
{
	gdouble num;
	if (!rdd_schema_node_is_integer(member))
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be a non-negative integer");
	num = rdd_schema_node_get_number(member);
	if (num < 0 || num > (gdouble)G_MAXINT32)
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be a non-negative integer");
	*out = (gint64)num;
	return TRUE;
}

/* a non-empty array of unique strings, returned sorted when @sort */
static gboolean
rdd_schema_get_strv_keyword(JsonNode *member,
			    GString *path,
			    const gchar *keyword,
			    gboolean sort,
			    gchar ***out,
			    guint *n_out,
			    GError **error)
{
	JsonArray *arr;
	guint n;
	g_autoptr(GPtrArray) strs = g_ptr_array_new_with_free_func(g_free);

	if (!JSON_NODE_HOLDS_ARRAY(member))
		return rdd_schema_compile_invalid(error, path, keyword, member, "must be an array of strings");
	arr = json_node_get_array(member);
	n = json_array_get_length(arr);
	for (guint i = 0; i < n; i++) {
		JsonNode *item = json_array_get_element(arr, i);
		if (!rdd_schema_node_is_string(item))
			return rdd_schema_compile_invalid(error, path, keyword, member, "must be an array of strings");
		for (guint j = 0; j < strs->len; j++) {
			if (g_strcmp0(g_ptr_array_index(strs, j), json_node_get_string(item)) == 0) {
				g_autofree gchar *kw = g_strdup_printf("%s[%u]", keyword, i);
				return rdd_schema_compile_invalid(error, path, kw, item, "must not be listed twice");
			}
		}
		g_ptr_array_add(strs, g_strdup(json_node_get_string(item)));
	}
	if (sort)
		g_ptr_array_sort(strs, rdd_schema_compare_names);
	if (n_out != NULL)
		*n_out = strs->len;
	g_ptr_array_add(strs, NULL);
	*out = (gchar **)g_ptr_array_free(g_steal_pointer(&strs), FALSE);
	return TRUE;
}

static RddSchema *
rdd_schema_compile(JsonNode *node, GString *path, guint depth, gboolean is_root, GError **error);

/* compiles the child schema @member under @path + @suffix */
static RddSchema *
rdd_schema_compile_child(JsonNode *member, GString *path, const gchar *suffix, guint depth, GError **error)
{
	gsize len = path->len;
	RddSchema *child;

	g_string_append(path, suffix);
	child = rdd_schema_compile(member, path, depth + 1, FALSE, error);
	g_string_truncate(path, len);
	return child;
}

static gboolean
rdd_schema_compile_properties(RddSchema *self, JsonNode *member, GString *path, guint depth, GError **error)
{
	JsonObject *obj;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *sub;
	guint i = 0;

	if (!JSON_NODE_HOLDS_OBJECT(member))
		return rdd_schema_compile_invalid(error, path, "properties", member, "must be an object of schemas");
	obj = json_node_get_object(member);
	self->props = g_new0(RddSchemaProp, json_object_get_size(obj));
	json_object_iter_init_ordered(&iter, obj);
	while (json_object_iter_next_ordered(&iter, &name, &sub)) {
		g_autofree gchar *suffix = g_strdup_printf(".properties.%s", name);
		RddSchema *child = rdd_schema_compile_child(sub, path, suffix, depth, error);
		if (child == NULL)
			return FALSE;
		self->props[i].name = g_strdup(name);
		self->props[i].name_len = strlen(name);
		self->props[i].schema = child;
		{
			GString *quoted = g_string_new(NULL);
			rdd_json_write_string(quoted, name);
			g_string_append_c(quoted, ':');
			self->props[i].quoted_key_len = quoted->len;
			self->props[i].quoted_key = g_string_free(quoted, FALSE);
		}
		self->n_props = ++i;
	}
	qsort(self->props, self->n_props, sizeof(RddSchemaProp), rdd_schema_compare_props);
	/* a table at most half full */
	self->props_table_mask = 3;
	while (self->props_table_mask + 1 < 2 * self->n_props)
		self->props_table_mask = self->props_table_mask * 2 + 1;
	self->props_table = g_new0(guint32, self->props_table_mask + 1);
	for (guint j = 0; j < self->n_props; j++) {
		guint k = rdd_schema_prop_hash(self->props[j].name, self->props[j].name_len) & self->props_table_mask;
		while (self->props_table[k] != 0)
			k = (k + 1) & self->props_table_mask;
		self->props_table[k] = j + 1;
	}
	return TRUE;
}

static gboolean
rdd_schema_set_type(RddSchema *self, JsonNode *member, GString *path, GError **error)
{
	const gchar *type = NULL;
	const struct {
		const gchar *name;
		RddSchemaType type;
	} types[] = {
		{"array", RDD_SCHEMA_TYPE_ARRAY},     {"boolean", RDD_SCHEMA_TYPE_BOOLEAN},
		{"integer", RDD_SCHEMA_TYPE_INTEGER}, {"number", RDD_SCHEMA_TYPE_NUMBER},
		{"object", RDD_SCHEMA_TYPE_OBJECT},   {"string", RDD_SCHEMA_TYPE_STRING},
	};
	g_autofree gchar *vstr = NULL;

	if (!rdd_schema_get_string_keyword(member, path, "type", &type, error))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		if (g_strcmp0(type, types[i].name) == 0) {
			self->type = types[i].type;
			return TRUE;
		}
	}
	vstr = rdd_schema_value_to_string(member);
	rdd_schema_compile_error(error, path, "type",
				 "Unsupported value: %s: supported values: \"array\", \"boolean\", "
				 "\"integer\", \"number\", \"object\", \"string\"",
				 vstr);
	return FALSE;
}

static gboolean
rdd_schema_set_format(RddSchema *self, JsonNode *member, GString *path, GError **error)
{
	if (!rdd_schema_get_string_keyword(member, path, "format", &self->format, error))
		return FALSE;
	if (g_strcmp0(self->format, "date-time") == 0)
		self->format_kind = RDD_SCHEMA_FORMAT_DATE_TIME;
	else if (g_strcmp0(self->format, "byte") == 0)
		self->format_kind = RDD_SCHEMA_FORMAT_BYTE;
	else
		self->format_kind = RDD_SCHEMA_FORMAT_OTHER;
	return TRUE;
}

static gboolean
rdd_schema_set_pattern(RddSchema *self, JsonNode *member, GString *path, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (!rdd_schema_get_string_keyword(member, path, "pattern", &self->pattern_text, error))
		return FALSE;
	self->pattern = g_regex_new(self->pattern_text, G_REGEX_OPTIMIZE, 0, &error_local);
	if (self->pattern == NULL) {
		g_autofree gchar *text =
			g_strdup_printf("must be a valid regular expression: %s", error_local->message);
		return rdd_schema_compile_invalid(error, path, "pattern", member, text);
	}
	return TRUE;
}

static gboolean
rdd_schema_set_list_type(RddSchema *self, JsonNode *member, GString *path, GError **error)
{
	const gchar *str = NULL;
	g_autofree gchar *vstr = NULL;

	if (!rdd_schema_get_string_keyword(member, path, "x-kubernetes-list-type", &str, error))
		return FALSE;
	if (g_strcmp0(str, "atomic") == 0) {
		self->list_type = RDD_SCHEMA_LIST_ATOMIC;
		return TRUE;
	}
	if (g_strcmp0(str, "set") == 0) {
		self->list_type = RDD_SCHEMA_LIST_SET;
		return TRUE;
	}
	if (g_strcmp0(str, "map") == 0) {
		self->list_type = RDD_SCHEMA_LIST_MAP;
		return TRUE;
	}
	vstr = rdd_schema_value_to_string(member);
	rdd_schema_compile_error(error, path, "x-kubernetes-list-type",
				 "Unsupported value: %s: supported values: \"atomic\", \"set\", \"map\"", vstr);
	return FALSE;
}

/* one keyword of a schema object; the child schemas are compiled here too */
static gboolean
rdd_schema_compile_keyword(RddSchema *self, const gchar *keyword, JsonNode *member, GString *path, guint depth, GError **error)
{
	if (g_strcmp0(keyword, "type") == 0)
		return rdd_schema_set_type(self, member, path, error);
	if (g_strcmp0(keyword, "properties") == 0)
		return rdd_schema_compile_properties(self, member, path, depth, error);
	if (g_strcmp0(keyword, "required") == 0)
		return rdd_schema_get_strv_keyword(member, path, keyword, TRUE, &self->required,
						   &self->n_required, error);
	if (g_strcmp0(keyword, "items") == 0) {
		if (JSON_NODE_HOLDS_ARRAY(member)) {
			rdd_schema_compile_error(error, path, keyword,
						 "Forbidden: items must be a schema object and not an "
						 "array");
			return FALSE;
		}
		self->items = rdd_schema_compile_child(member, path, ".items", depth, error);
		return self->items != NULL;
	}
	if (g_strcmp0(keyword, "additionalProperties") == 0) {
		if (rdd_schema_node_is_boolean(member)) {
			self->additional_properties_allowed = json_node_get_boolean(member);
			return TRUE;
		}
		self->additional_properties =
			rdd_schema_compile_child(member, path, ".additionalProperties", depth, error);
		return self->additional_properties != NULL;
	}
	if (g_strcmp0(keyword, "enum") == 0) {
		if (!JSON_NODE_HOLDS_ARRAY(member))
			return rdd_schema_compile_invalid(error, path, keyword, member, "must be an array");
		self->enum_values = json_node_get_array(member);
		return TRUE;
	}
	if (g_strcmp0(keyword, "default") == 0) {
		self->default_value = member;
		return TRUE;
	}
	if (g_strcmp0(keyword, "nullable") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->nullable, error);
	if (g_strcmp0(keyword, "pattern") == 0)
		return rdd_schema_set_pattern(self, member, path, error);
	if (g_strcmp0(keyword, "format") == 0)
		return rdd_schema_set_format(self, member, path, error);
	if (g_strcmp0(keyword, "minimum") == 0) {
		self->has_minimum = TRUE;
		return rdd_schema_get_number_keyword(member, path, keyword, &self->minimum, error);
	}
	if (g_strcmp0(keyword, "maximum") == 0) {
		self->has_maximum = TRUE;
		return rdd_schema_get_number_keyword(member, path, keyword, &self->maximum, error);
	}
	if (g_strcmp0(keyword, "exclusiveMinimum") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->exclusive_minimum, error);
	if (g_strcmp0(keyword, "exclusiveMaximum") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->exclusive_maximum, error);
	if (g_strcmp0(keyword, "multipleOf") == 0) {
		if (!rdd_schema_get_number_keyword(member, path, keyword, &self->multiple_of, error))
			return FALSE;
		if (self->multiple_of <= 0)
			return rdd_schema_compile_invalid(error, path, keyword, member, "must be greater than 0");
		return TRUE;
	}
	if (g_strcmp0(keyword, "minLength") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->min_length, error);
	if (g_strcmp0(keyword, "maxLength") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->max_length, error);
	if (g_strcmp0(keyword, "minItems") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->min_items, error);
	if (g_strcmp0(keyword, "maxItems") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->max_items, error);
	if (g_strcmp0(keyword, "minProperties") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->min_properties, error);
	if (g_strcmp0(keyword, "maxProperties") == 0)
		return rdd_schema_get_count_keyword(member, path, keyword, &self->max_properties, error);
	if (g_strcmp0(keyword, "description") == 0)
		return rdd_schema_get_string_keyword(member, path, keyword, &self->description, error);
	if (g_strcmp0(keyword, "x-kubernetes-preserve-unknown-fields") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->preserve_unknown_fields, error);
	if (g_strcmp0(keyword, "x-kubernetes-int-or-string") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->int_or_string, error);
	if (g_strcmp0(keyword, "x-kubernetes-embedded-resource") == 0)
		return rdd_schema_get_bool_keyword(member, path, keyword, &self->embedded_resource, error);
	if (g_strcmp0(keyword, "x-kubernetes-list-type") == 0)
		return rdd_schema_set_list_type(self, member, path, error);
	if (g_strcmp0(keyword, "x-kubernetes-list-map-keys") == 0)
		return rdd_schema_get_strv_keyword(member, path, keyword, FALSE,
						   &self->list_map_keys, NULL, error);
	if (g_strcmp0(keyword, "x-kubernetes-validations") == 0) {
		/* CEL rules: kept in the node, enforced by admission hooks written in C */
		if (!JSON_NODE_HOLDS_ARRAY(member))
			return rdd_schema_compile_invalid(error, path, keyword, member, "must be an array of rules");
		return TRUE;
	}
	if (g_strcmp0(keyword, "x-kubernetes-map-type") == 0) {
		const gchar *str = NULL;
		if (!rdd_schema_get_string_keyword(member, path, keyword, &str, error))
			return FALSE;
		if (g_strcmp0(str, "atomic") != 0 && g_strcmp0(str, "granular") != 0)
			return rdd_schema_compile_invalid(error, path, keyword, member,
							  "must be \"atomic\" or \"granular\"");
		return TRUE;
	}
	if (g_strcmp0(keyword, "uniqueItems") == 0) {
		gboolean unique = FALSE;
		if (!rdd_schema_get_bool_keyword(member, path, keyword, &unique, error))
			return FALSE;
		if (unique) {
			rdd_schema_compile_error(error, path, keyword,
						 "Forbidden: uniqueItems cannot be set to true since "
						 "the runtime complexity becomes quadratic, use "
						 "x-kubernetes-list-type: set");
			return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(keyword, "title") == 0 || g_strcmp0(keyword, "example") == 0 ||
	    g_strcmp0(keyword, "externalDocs") == 0)
		return TRUE;

	rdd_schema_compile_error(error, path, keyword,
				 "Forbidden: unsupported schema keyword (supported: type, properties, "
				 "required, items, additionalProperties, enum, default, nullable, "
				 "pattern, format, minimum, maximum, exclusiveMinimum, "
				 "exclusiveMaximum, multipleOf, minLength, maxLength, minItems, "
				 "maxItems, minProperties, maxProperties, description, title, example, "
				 "externalDocs and x-kubernetes-*)");
	return FALSE;
}

/* the structural rules that tie keywords together */
static gboolean
rdd_schema_check_structure(RddSchema *self, GString *path, GError **error)
{
	JsonObject *obj = json_node_get_object(self->node);

	if (self->int_or_string && self->type != RDD_SCHEMA_TYPE_ANY) {
		rdd_schema_compile_error(error, path, "type",
					 "Invalid value: \"%s\": must be empty if "
					 "x-kubernetes-int-or-string is true",
					 rdd_schema_type_to_string(self->type));
		return FALSE;
	}
	if (self->type == RDD_SCHEMA_TYPE_ANY && !self->int_or_string && !self->preserve_unknown_fields) {
		rdd_schema_compile_error(error, path, "type",
					 "Required value: must not be empty for specified object fields");
		return FALSE;
	}
	if (self->type != RDD_SCHEMA_TYPE_OBJECT && self->type != RDD_SCHEMA_TYPE_ANY) {
		if (json_object_has_member(obj, "properties")) {
			rdd_schema_compile_error(error, path, "properties",
						 "Forbidden: must be empty if type is not object");
			return FALSE;
		}
		if (json_object_has_member(obj, "additionalProperties")) {
			rdd_schema_compile_error(error, path, "additionalProperties",
						 "Forbidden: must be empty if type is not object");
			return FALSE;
		}
	}
	if (self->type != RDD_SCHEMA_TYPE_ARRAY && self->type != RDD_SCHEMA_TYPE_ANY && self->items != NULL) {
		rdd_schema_compile_error(error, path, "items", "Forbidden: must be empty if type is not array");
		return FALSE;
	}
	if (self->type == RDD_SCHEMA_TYPE_ARRAY && self->items == NULL) {
		rdd_schema_compile_error(error, path, "items", "Required value: must be specified for arrays");
		return FALSE;
	}
	if (self->embedded_resource && self->type != RDD_SCHEMA_TYPE_OBJECT) {
		rdd_schema_compile_error(error, path, "type",
					 "Invalid value: \"%s\": must be object if "
					 "x-kubernetes-embedded-resource is true",
					 rdd_schema_type_to_string(self->type));
		return FALSE;
	}
	if (self->list_type != RDD_SCHEMA_LIST_NONE && self->type != RDD_SCHEMA_TYPE_ARRAY) {
		rdd_schema_compile_error(error, path, "x-kubernetes-list-type",
					 "Forbidden: must only be used on arrays");
		return FALSE;
	}
	if (self->list_map_keys != NULL && self->list_type != RDD_SCHEMA_LIST_MAP) {
		rdd_schema_compile_error(error, path, "x-kubernetes-list-map-keys",
					 "Forbidden: must be empty if x-kubernetes-list-type is not map");
		return FALSE;
	}
	if (self->list_type == RDD_SCHEMA_LIST_MAP) {
		if (self->list_map_keys == NULL || self->list_map_keys[0] == NULL) {
			rdd_schema_compile_error(error, path, "x-kubernetes-list-map-keys",
						 "Required value: must not be empty if "
						 "x-kubernetes-list-type is map");
			return FALSE;
		}
		if (self->items == NULL || self->items->type != RDD_SCHEMA_TYPE_OBJECT) {
			rdd_schema_compile_error(error, path, "items.type",
						 "Invalid value: must be object if "
						 "x-kubernetes-list-type is map");
			return FALSE;
		}
		for (guint i = 0; self->list_map_keys[i] != NULL; i++) {
			if (rdd_schema_lookup_prop(self->items, self->list_map_keys[i]) == NULL) {
				rdd_schema_compile_error(error, path, "x-kubernetes-list-map-keys",
							 "Invalid value: \"%s\": must be a property "
							 "of items",
							 self->list_map_keys[i]);
				return FALSE;
			}
		}
	}
	if (self->has_minimum && self->has_maximum && self->minimum > self->maximum) {
		rdd_schema_compile_error(error, path, "minimum", "Invalid value: must not be greater than maximum");
		return FALSE;
	}
	return TRUE;
}

/* enum values must have the schema's type */
static gboolean
rdd_schema_check_enum(RddSchema *self, GString *path, GError **error)
{
	guint n = json_array_get_length(self->enum_values);
	for (guint i = 0; i < n; i++) {
		JsonNode *item = json_array_get_element(self->enum_values, i);
		if (JSON_NODE_HOLDS_NULL(item) && self->nullable)
			continue;
		if (!JSON_NODE_HOLDS_NULL(item) && rdd_schema_type_matches(self, item))
			continue;
		{
			g_autofree gchar *kw = g_strdup_printf("enum[%u]", i);
			g_autofree gchar *text = g_strdup_printf(
				"must be of type %s", self->int_or_string ?
							      "integer,string" :
							      rdd_schema_type_to_string(self->type));
			return rdd_schema_compile_invalid(error, path, kw, item, text);
		}
	}
	return TRUE;
}

/* marks the required properties, and keeps the required names that are not properties */
static void
rdd_schema_link_required(RddSchema *self)
{
	g_autoptr(GPtrArray) undeclared = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < self->n_required; i++) {
		gboolean found = FALSE;
		for (guint j = 0; j < self->n_props; j++) {
			if (strcmp(self->props[j].name, self->required[i]) == 0) {
				self->props[j].required = TRUE;
				found = TRUE;
			}
		}
		if (!found)
			g_ptr_array_add(undeclared, g_strdup(self->required[i]));
	}
	if (undeclared->len == 0)
		return;
	g_ptr_array_add(undeclared, NULL);
	self->required_undeclared = (gchar **)g_ptr_array_free(g_steal_pointer(&undeclared), FALSE);
}

/* a default must survive pruning unchanged and be valid after defaulting */
static gboolean
rdd_schema_check_default(RddSchema *self, GString *path, GError **error)
{
	g_autoptr(JsonNode) copy = rdd_json_deep_copy(self->default_value);
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autofree gchar *prefix = g_strdup_printf("%s.default", path->str);
	RddSchemaWalk w = {.prefix = prefix, .n = 0, .out = unknown, .ok = TRUE};
	g_autoptr(GString) msg = NULL;

	rdd_schema_prune_node(self, copy, &w);
	if (unknown->len > 0) {
		rdd_schema_compile_error(error, path, "default", "Invalid value: unknown field \"%s\"",
					 (const gchar *)g_ptr_array_index(unknown, 0));
		return FALSE;
	}
	rdd_schema_default_node(self, copy, 0);
	w.out = causes;
	w.n = 0;
	w.ok = TRUE;
	rdd_schema_validate_node(self, copy, &w);
	if (w.ok)
		return TRUE;
	msg = g_string_new(NULL);
	for (guint i = 0; i < causes->len; i++) {
		g_autofree gchar *str = rdd_cause_to_string(g_ptr_array_index(causes, i));
		if (i > 0)
			g_string_append(msg, ", ");
		g_string_append(msg, str);
	}
	/* the causes name the path of the default, e.g. `openAPIV3Schema.properties.x.default` */
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, msg->str);
	return FALSE;
}

static RddSchema *
rdd_schema_compile(JsonNode *node, GString *path, guint depth, gboolean is_root, GError **error)
{
	g_autoptr(RddSchema) self = NULL;
	JsonObjectIter iter;
	const gchar *keyword;
	JsonNode *member;

	if (depth > RDD_SCHEMA_MAX_DEPTH) {
		rdd_schema_compile_error(error, path, NULL, "Forbidden: schema is nested deeper than %u levels",
					 (guint)RDD_SCHEMA_MAX_DEPTH);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_autofree gchar *vstr = rdd_schema_value_to_string(node);
		rdd_schema_compile_error(error, path, NULL, "Invalid value: %s: must be a schema object", vstr);
		return NULL;
	}

	self = g_new0(RddSchema, 1);
	self->ref_count = 1;
	self->node = json_node_ref(node);
	self->is_root = is_root;
	self->min_length = -1;
	self->max_length = -1;
	self->min_items = -1;
	self->max_items = -1;
	self->min_properties = -1;
	self->max_properties = -1;

	json_object_iter_init_ordered(&iter, json_node_get_object(node));
	while (json_object_iter_next_ordered(&iter, &keyword, &member)) {
		if (!rdd_schema_compile_keyword(self, keyword, member, path, depth, error))
			return NULL;
	}
	if (!rdd_schema_check_structure(self, path, error))
		return NULL;
	if (self->enum_values != NULL && !rdd_schema_check_enum(self, path, error))
		return NULL;

	self->default_props = g_new0(RddSchemaProp *, self->n_props + 1);
	for (guint i = 0; i < self->n_props; i++) {
		RddSchema *child = self->props[i].schema;
		if (child->default_value != NULL || child->needs_defaults) {
			self->default_props[self->n_default_props++] = &self->props[i];
			self->needs_defaults = TRUE;
		}
	}
	rdd_schema_link_required(self);
	for (guint i = 0; i < self->n_props; i++) {
		if (self->props[i].required &&
		    !(is_root && rdd_schema_is_resource_member(self->props[i].name)))
			self->n_required_checked++;
	}
	if (self->items != NULL && (self->items->default_value != NULL || self->items->needs_defaults))
		self->needs_defaults = TRUE;
	if (self->additional_properties != NULL && (self->additional_properties->default_value != NULL ||
						    self->additional_properties->needs_defaults))
		self->needs_defaults = TRUE;

	if (self->default_value != NULL && !rdd_schema_check_default(self, path, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * rdd_schema_new:
 * @openapi_v3_schema: the `openAPIV3Schema` of a CRD version
 *
 * Compiles a Kubernetes apiextensions v1 structural schema. Supported keywords are `type`,
 * `properties`, `required`, `items`, `additionalProperties` (a schema or a boolean), `enum`,
 * `default`, `nullable`, `pattern`, `format` (`date-time` and `byte` are checked), `minimum`,
 * `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`, `maxLength`,
 * `minItems`, `maxItems`, `minProperties`, `maxProperties`, `description`, `title`,
 * `example`, `externalDocs`, `x-kubernetes-preserve-unknown-fields`,
 * `x-kubernetes-int-or-string`, `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
 * `x-kubernetes-map-type`, `x-kubernetes-embedded-resource` and `x-kubernetes-validations`
 * (kept, not evaluated). Anything else, a malformed keyword, or a `default` that does not
 * validate against its own schema is an %RDD_ERROR_INVALID error naming the schema path, e.g.
 * `openAPIV3Schema.properties.spec.type: Unsupported value: "strng": ...`.
 *
 * The schema keeps a sealed copy of @openapi_v3_schema, see rdd_schema_get_node().
 *
 * Returns: (transfer full): a new #RddSchema, or %NULL on error
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_new(JsonNode *openapi_v3_schema, GError **error)
{
	g_autoptr(JsonNode) copy = NULL;
	g_autoptr(GString) path = g_string_new("openAPIV3Schema");

	g_return_val_if_fail(openapi_v3_schema != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	copy = rdd_json_deep_copy(openapi_v3_schema);
	json_node_seal(copy);
	return rdd_schema_compile(copy, path, 0, TRUE, error);
}

/**
 * rdd_schema_ref:
 * @self: a #RddSchema
 *
 * Returns: (transfer full): @self, with one more reference
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_ref(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * rdd_schema_unref:
 * @self: (nullable): a #RddSchema
 *
 * Drops a reference, freeing the schema (and its sub-schemas nobody else holds) with the last.
 *
 * Since: 0.1
 */
void
rdd_schema_unref(RddSchema *self)
{
	if (self == NULL)
		return;
	if (g_atomic_int_dec_and_test(&self->ref_count))
		rdd_schema_free(self);
}

/**
 * rdd_schema_get_value_type:
 * @self: a #RddSchema
 *
 * Returns: the `type`, or %RDD_SCHEMA_TYPE_ANY when none is given
 *
 * Since: 0.1
 */
RddSchemaType
rdd_schema_get_value_type(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, RDD_SCHEMA_TYPE_ANY);
	return self->type;
}

/**
 * rdd_schema_get_value_type_name:
 * @self: a #RddSchema
 *
 * Returns: the `type` as written in the schema, e.g. `object`, or "" when none is given
 *
 * Since: 0.1
 */
const gchar *
rdd_schema_get_value_type_name(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, "");
	return rdd_schema_type_to_string(self->type);
}

/**
 * rdd_schema_get_description:
 * @self: a #RddSchema
 *
 * Returns: (nullable): the `description`
 *
 * Since: 0.1
 */
const gchar *
rdd_schema_get_description(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->description;
}

/**
 * rdd_schema_get_format:
 * @self: a #RddSchema
 *
 * Returns: (nullable): the `format`, e.g. `date-time`
 *
 * Since: 0.1
 */
const gchar *
rdd_schema_get_format(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->format;
}

/**
 * rdd_schema_get_enum:
 * @self: a #RddSchema
 *
 * Returns: (transfer none) (nullable): the `enum` values
 *
 * Since: 0.1
 */
JsonArray *
rdd_schema_get_enum(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->enum_values;
}

/**
 * rdd_schema_get_default:
 * @self: a #RddSchema
 *
 * Returns: (transfer none) (nullable): the `default` value (sealed; copy it with
 *   rdd_json_deep_copy() before changing it)
 *
 * Since: 0.1
 */
JsonNode *
rdd_schema_get_default(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->default_value;
}

/**
 * rdd_schema_get_nullable:
 * @self: a #RddSchema
 *
 * Returns: whether JSON null is allowed
 *
 * Since: 0.1
 */
gboolean
rdd_schema_get_nullable(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->nullable;
}

/**
 * rdd_schema_get_preserve_unknown_fields:
 * @self: a #RddSchema
 *
 * Returns: whether `x-kubernetes-preserve-unknown-fields` is true
 *
 * Since: 0.1
 */
gboolean
rdd_schema_get_preserve_unknown_fields(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->preserve_unknown_fields;
}

/**
 * rdd_schema_get_int_or_string:
 * @self: a #RddSchema
 *
 * Returns: whether `x-kubernetes-int-or-string` is true
 *
 * Since: 0.1
 */
gboolean
rdd_schema_get_int_or_string(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->int_or_string;
}

/**
 * rdd_schema_get_property_names:
 * @self: a #RddSchema
 *
 * Returns: (transfer container) (element-type utf8): the names in `properties`, sorted
 *   byte-wise; the strings belong to @self
 *
 * Since: 0.1
 */
GPtrArray *
rdd_schema_get_property_names(RddSchema *self)
{
	GPtrArray *names;

	g_return_val_if_fail(self != NULL, NULL);

	names = g_ptr_array_sized_new(self->n_props);
	for (guint i = 0; i < self->n_props; i++)
		g_ptr_array_add(names, self->props[i].name);
	return names;
}

/**
 * rdd_schema_get_property:
 * @self: a #RddSchema
 * @name: a property name
 *
 * Returns: (transfer none) (nullable): the schema of property @name
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_get_property(RddSchema *self, const gchar *name)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(name != NULL, NULL);
	return rdd_schema_lookup_prop(self, name);
}

/**
 * rdd_schema_is_required:
 * @self: a #RddSchema
 * @name: a property name
 *
 * Returns: whether @name is listed in `required`
 *
 * Since: 0.1
 */
gboolean
rdd_schema_is_required(RddSchema *self, const gchar *name)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(name != NULL, FALSE);
	for (guint i = 0; i < self->n_required; i++) {
		if (strcmp(self->required[i], name) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * rdd_schema_get_items:
 * @self: a #RddSchema
 *
 * Returns: (transfer none) (nullable): the `items` schema of an array
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_get_items(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->items;
}

/**
 * rdd_schema_get_additional_properties:
 * @self: a #RddSchema
 *
 * Returns: (transfer none) (nullable): the `additionalProperties` schema of a map, or %NULL
 *   when there is none or it is a boolean
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_get_additional_properties(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->additional_properties;
}

/**
 * rdd_schema_lookup:
 * @self: a #RddSchema
 * @dotted_path: a path such as `spec.containerEngine.name`; "" is @self
 *
 * Walks down `properties` one segment at a time, like `kubectl explain`: an array is
 * stepped through to its `items`, so `spec.ports.name` finds the schema of the `name` of a
 * port; and where a segment is not a declared property but the object is a map (an
 * `additionalProperties` schema), the walk steps into the map's value schema, so
 * `data.somekey` finds the schema of a ConfigMap value.
 *
 * Returns: (transfer none) (nullable): the schema at @dotted_path, or %NULL
 *
 * Since: 0.1
 */
RddSchema *
rdd_schema_lookup(RddSchema *self, const gchar *dotted_path)
{
	g_auto(GStrv) parts = NULL;
	RddSchema *cur = self;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(dotted_path != NULL, NULL);

	if (dotted_path[0] == '\0')
		return self;
	parts = g_strsplit(dotted_path, ".", -1);
	for (guint i = 0; parts[i] != NULL && cur != NULL; i++) {
		RddSchema *next;
		while (cur->items != NULL)
			cur = cur->items;
		next = rdd_schema_lookup_prop(cur, parts[i]);
		if (next == NULL)
			next = cur->additional_properties;
		cur = next;
	}
	return cur;
}

/**
 * rdd_schema_get_node:
 * @self: a #RddSchema
 *
 * Returns: (transfer none): the JSON of this schema node as given to rdd_schema_new()
 *   (sealed)
 *
 * Since: 0.1
 */
JsonNode *
rdd_schema_get_node(RddSchema *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->node;
}
