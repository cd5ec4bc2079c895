/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <yaml.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-yaml.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_parser_t, yaml_parser_delete)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_event_t, yaml_event_delete)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(yaml_emitter_t, yaml_emitter_delete)

/* the deepest tree rdd_yaml_emit() writes; our parsers never produce anything close */
#define RDD_YAML_EMIT_MAX_DEPTH 1024

#define RDD_YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* how a plain scalar resolves under the YAML 1.2 core schema */
typedef enum {
	RDD_YAML_SCALAR_STRING,
	RDD_YAML_SCALAR_NULL,
	RDD_YAML_SCALAR_TRUE,
	RDD_YAML_SCALAR_FALSE,
	RDD_YAML_SCALAR_INT_DEC,
	RDD_YAML_SCALAR_INT_OCT,
	RDD_YAML_SCALAR_INT_HEX,
	RDD_YAML_SCALAR_FLOAT,
	RDD_YAML_SCALAR_SPECIAL_FLOAT, /* .inf, .nan: not representable in JSON */
} RddYamlScalarKind;

/* an anchored node, kept so that aliases can re-emit it */
typedef struct {
	JsonNode *node;	    /* owned */
	gchar *scalar_text; /* (nullable): the text of an anchored scalar, for use as a key */
	guint count;	    /* number of nodes in the subtree */
	guint height;	    /* collection levels in the subtree; 0 for a scalar */
} RddYamlAnchor;

/* one open mapping or sequence */
typedef struct {
	JsonNode *node; /* owned */
	gchar *key;	/* (nullable): pending key of a mapping */
	gchar *anchor;	/* (nullable) */
	guint start_count;
	guint height;
	gboolean is_map;
} RddYamlFrame;

typedef struct {
	const gchar *data;
	gsize length;
	guint max_nodes;
	guint max_depth;
	guint nodes;
	GArray *stack;	      /* of RddYamlFrame */
	GHashTable *anchors;  /* name -> RddYamlAnchor */
	JsonNode *root;	      /* (nullable): the finished root of the current document */
	GPtrArray *documents; /* of JsonNode */
} RddYamlLoader;

static void
rdd_yaml_anchor_free(RddYamlAnchor *anchor)
{
	if (anchor->node != NULL)
		json_node_unref(anchor->node);
	g_free(anchor->scalar_text);
	g_free(anchor);
}

static void
rdd_yaml_frame_clear(RddYamlFrame *frame)
{
	g_clear_pointer(&frame->node, json_node_unref);
	g_clear_pointer(&frame->key, g_free);
	g_clear_pointer(&frame->anchor, g_free);
}

static void
rdd_yaml_loader_clear(RddYamlLoader *self)
{
	g_clear_pointer(&self->stack, g_array_unref);
	g_clear_pointer(&self->anchors, g_hash_table_unref);
	g_clear_pointer(&self->root, json_node_unref);
	g_clear_pointer(&self->documents, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddYamlLoader, rdd_yaml_loader_clear)

static gboolean
rdd_yaml_is_digits(const gchar *s, const gchar *end, const gchar *set)
{
	if (s >= end)
		return FALSE;
	for (; s < end; s++) {
		if (strchr(set, *s) == NULL || *s == '\0')
			return FALSE;
	}
	return TRUE;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static gboolean
rdd_yaml_is_float(const gchar *s, gsize len)
{
	const gchar *p = s;
	const gchar *end = s + len;
	gboolean mantissa = FALSE;

	if (p < end && (*p == '-' || *p == '+'))
		p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !g_ascii_isdigit(*p))
			return FALSE;
		while (p < end && g_ascii_isdigit(*p))
			p++;
		mantissa = TRUE;
	} else {
		while (p < end && g_ascii_isdigit(*p)) {
			p++;
			mantissa = TRUE;
		}
		if (!mantissa)
			return FALSE;
		if (p < end && *p == '.') {
			p++;
			while (p < end && g_ascii_isdigit(*p))
				p++;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			p++;
		if (p >= end || !g_ascii_isdigit(*p))
			return FALSE;
		while (p < end && g_ascii_isdigit(*p))
			p++;
	}
	return p == end;
}

static RddYamlScalarKind
rdd_yaml_classify(const gchar *s, gsize len)
{
	const gchar *end = s + len;

	if (len == 0)
		return RDD_YAML_SCALAR_NULL;

	/* the cheap exit for most strings */
	if (!g_ascii_isdigit(s[0]) && strchr("-+.nNtTfF~", s[0]) == NULL)
		return RDD_YAML_SCALAR_STRING;

	if (g_strcmp0(s, "null") == 0 || g_strcmp0(s, "Null") == 0 || g_strcmp0(s, "NULL") == 0 ||
	    g_strcmp0(s, "~") == 0)
		return RDD_YAML_SCALAR_NULL;
	if (g_strcmp0(s, "true") == 0 || g_strcmp0(s, "True") == 0 || g_strcmp0(s, "TRUE") == 0)
		return RDD_YAML_SCALAR_TRUE;
	if (g_strcmp0(s, "false") == 0 || g_strcmp0(s, "False") == 0 || g_strcmp0(s, "FALSE") == 0)
		return RDD_YAML_SCALAR_FALSE;

	/* [-+]?[0-9]+ */
	if (rdd_yaml_is_digits((s[0] == '-' || s[0] == '+') ? s + 1 : s, end, "0123456789"))
		return RDD_YAML_SCALAR_INT_DEC;
	if (len > 2 && s[0] == '0' && s[1] == 'o' && rdd_yaml_is_digits(s + 2, end, "01234567"))
		return RDD_YAML_SCALAR_INT_OCT;
	if (len > 2 && s[0] == '0' && s[1] == 'x' && rdd_yaml_is_digits(s + 2, end, "0123456789abcdefABCDEF"))
		return RDD_YAML_SCALAR_INT_HEX;
	if (rdd_yaml_is_float(s, len))
		return RDD_YAML_SCALAR_FLOAT;

	/* [-+]?\.(inf|Inf|INF) and \.(nan|NaN|NAN) */
	{
		const gchar *p = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
		if (g_strcmp0(p, ".inf") == 0 || g_strcmp0(p, ".Inf") == 0 || g_strcmp0(p, ".INF") == 0)
			return RDD_YAML_SCALAR_SPECIAL_FLOAT;
		if (g_strcmp0(s, ".nan") == 0 || g_strcmp0(s, ".NaN") == 0 || g_strcmp0(s, ".NAN") == 0)
			return RDD_YAML_SCALAR_SPECIAL_FLOAT;
	}
	return RDD_YAML_SCALAR_STRING;
}

static gchar *
rdd_yaml_tag_display(const gchar *tag)
{
	if (g_str_has_prefix(tag, RDD_YAML_TAG_PREFIX))
		return g_strdup_printf("!!%s", tag + strlen(RDD_YAML_TAG_PREFIX));
	return g_strdup(tag);
}

/* 1-based line and column of a byte offset, for reader errors that carry no mark */
static void
rdd_yaml_offset_to_position(const gchar *data, gsize length, gsize offset, gsize *line, gsize *column)
{
	gsize l = 1;
	gsize c = 1;
	for (gsize i = 0; i < offset && i < length; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*column = c;
}

static void rdd_yaml_set_error_at(GError **error, const yaml_mark_t *mark, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rdd_yaml_set_error_at(GError **error, const yaml_mark_t *mark, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;

	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
		    "%s (line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")", msg,
		    (gsize)mark->line + 1, (gsize)mark->column + 1);
}

static void
rdd_yaml_set_parser_error(RddYamlLoader *self, yaml_parser_t *parser, GError **error)
{
	const gchar *problem = parser->problem != NULL ? parser->problem : "unknown error";

	if (parser->error == YAML_READER_ERROR) {
		gsize offset = parser->problem_offset;
		gsize line = 0;
		gsize column = 0;
		rdd_yaml_offset_to_position(self->data, self->length, offset, &line, &column);
		if (offset < self->length) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
				    "invalid YAML: %s (byte 0x%02x at offset %" G_GSIZE_FORMAT
				    ", line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")",
				    problem, (guint)(guchar)self->data[offset], offset, line, column);
			return;
		}
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "invalid YAML: %s (at the end, offset %" G_GSIZE_FORMAT
			    ", line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")",
			    problem, offset, line, column);
		return;
	}
	if (parser->error == YAML_MEMORY_ERROR) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "invalid YAML: out of memory");
		return;
	}
	if (parser->context != NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "invalid YAML: %s (line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
			    "), %s (line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")",
			    problem, (gsize)parser->problem_mark.line + 1,
			    (gsize)parser->problem_mark.column + 1, parser->context,
			    (gsize)parser->context_mark.line + 1, (gsize)parser->context_mark.column + 1);
		return;
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
		    "invalid YAML: %s (line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")", problem,
		    (gsize)parser->problem_mark.line + 1, (gsize)parser->problem_mark.column + 1);
}

static gboolean
rdd_yaml_parse_int(const gchar *text, RddYamlScalarKind kind, const yaml_mark_t *mark, gint64 *value, GError **error)
{
	gchar *end = NULL;

	errno = 0;
	if (kind == RDD_YAML_SCALAR_INT_DEC) {
		*value = g_ascii_strtoll(text, &end, 10);
	} else {
		guint64 tmp = g_ascii_strtoull(text + 2, &end, kind == RDD_YAML_SCALAR_INT_OCT ? 8 : 16);
		if (errno == 0 && tmp > (guint64)G_MAXINT64)
			errno = ERANGE;
		*value = (gint64)tmp;
	}
	if (errno != 0 || end == NULL || *end != '\0') {
		rdd_yaml_set_error_at(error, mark, "integer %s is out of range for a 64-bit integer", text);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_yaml_parse_double(const gchar *text, const yaml_mark_t *mark, gdouble *value, GError **error)
{
	gchar *end = NULL;

	*value = g_ascii_strtod(text, &end);
	if (end == NULL || *end != '\0' || !isfinite(*value)) {
		rdd_yaml_set_error_at(error, mark, "number %s cannot be represented in JSON", text);
		return FALSE;
	}
	return TRUE;
}

/* turns one scalar event into a JsonNode, honouring tags and the core schema */
static JsonNode *
rdd_yaml_scalar_to_node(const yaml_event_t *event, GError **error)
{
	const gchar *text = (const gchar *)event->data.scalar.value;
	gsize len = event->data.scalar.length;
	const gchar *tag = (const gchar *)event->data.scalar.tag;
	const yaml_mark_t *mark = &event->start_mark;
	RddYamlScalarKind kind;
	g_autoptr(JsonNode) node = NULL;

	if (memchr(text, '\0', len) != NULL) {
		rdd_yaml_set_error_at(error, mark, "NUL characters are not supported in strings");
		return NULL;
	}
	if (!g_utf8_validate_len(text, len, NULL)) {
		rdd_yaml_set_error_at(error, mark, "invalid UTF-8 in scalar");
		return NULL;
	}

	if (tag == NULL) {
		if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return json_node_init_string(json_node_alloc(), text);
		kind = rdd_yaml_classify(text, len);
	} else if (g_strcmp0(tag, "!") == 0 || g_strcmp0(tag, RDD_YAML_TAG_PREFIX "str") == 0 ||
		   g_strcmp0(tag, RDD_YAML_TAG_PREFIX "binary") == 0) {
		return json_node_init_string(json_node_alloc(), text);
	} else if (g_strcmp0(tag, RDD_YAML_TAG_PREFIX "null") == 0) {
		kind = rdd_yaml_classify(text, len);
		if (kind != RDD_YAML_SCALAR_NULL) {
			rdd_yaml_set_error_at(error, mark, "invalid !!null value \"%s\"", text);
			return NULL;
		}
	} else if (g_strcmp0(tag, RDD_YAML_TAG_PREFIX "bool") == 0) {
		kind = rdd_yaml_classify(text, len);
		if (kind != RDD_YAML_SCALAR_TRUE && kind != RDD_YAML_SCALAR_FALSE) {
			rdd_yaml_set_error_at(error, mark, "invalid !!bool value \"%s\"", text);
			return NULL;
		}
	} else if (g_strcmp0(tag, RDD_YAML_TAG_PREFIX "int") == 0) {
		kind = rdd_yaml_classify(text, len);
		if (kind != RDD_YAML_SCALAR_INT_DEC && kind != RDD_YAML_SCALAR_INT_OCT &&
		    kind != RDD_YAML_SCALAR_INT_HEX) {
			rdd_yaml_set_error_at(error, mark, "invalid !!int value \"%s\"", text);
			return NULL;
		}
	} else if (g_strcmp0(tag, RDD_YAML_TAG_PREFIX "float") == 0) {
		kind = rdd_yaml_classify(text, len);
		if (kind == RDD_YAML_SCALAR_INT_OCT || kind == RDD_YAML_SCALAR_INT_HEX) {
			gint64 tmp = 0;
			if (!rdd_yaml_parse_int(text, kind, mark, &tmp, error))
				return NULL;
			return json_node_init_double(json_node_alloc(), (gdouble)tmp);
		}
		if (kind == RDD_YAML_SCALAR_INT_DEC)
			kind = RDD_YAML_SCALAR_FLOAT;
		if (kind != RDD_YAML_SCALAR_FLOAT && kind != RDD_YAML_SCALAR_SPECIAL_FLOAT) {
			rdd_yaml_set_error_at(error, mark, "invalid !!float value \"%s\"", text);
			return NULL;
		}
	} else {
		g_autofree gchar *display = rdd_yaml_tag_display(tag);
		rdd_yaml_set_error_at(error, mark, "unsupported YAML tag \"%s\" on a scalar", display);
		return NULL;
	}

	node = json_node_alloc();
	switch (kind) {
	case RDD_YAML_SCALAR_NULL:
		json_node_init_null(node);
		break;
	case RDD_YAML_SCALAR_TRUE:
		json_node_init_boolean(node, TRUE);
		break;
	case RDD_YAML_SCALAR_FALSE:
		json_node_init_boolean(node, FALSE);
		break;
	case RDD_YAML_SCALAR_INT_DEC:
	case RDD_YAML_SCALAR_INT_OCT:
	case RDD_YAML_SCALAR_INT_HEX: {
		gint64 value = 0;
		if (!rdd_yaml_parse_int(text, kind, mark, &value, error))
			return NULL;
		json_node_init_int(node, value);
		break;
	}
	case RDD_YAML_SCALAR_FLOAT: {
		gdouble value = 0;
		if (!rdd_yaml_parse_double(text, mark, &value, error))
			return NULL;
		json_node_init_double(node, value);
		break;
	}
	case RDD_YAML_SCALAR_SPECIAL_FLOAT:
		rdd_yaml_set_error_at(error, mark,
				      "value \"%s\" (infinity or not-a-number) cannot be represented "
				      "in JSON",
				      text);
		return NULL;
	case RDD_YAML_SCALAR_STRING:
	default:
		json_node_init_string(node, text);
		break;
	}
	return g_steal_pointer(&node);
}

static RddYamlFrame *
rdd_yaml_loader_top(RddYamlLoader *self)
{
	if (self->stack->len == 0)
		return NULL;
	return &g_array_index(self->stack, RddYamlFrame, self->stack->len - 1);
}

static gboolean
rdd_yaml_loader_count(RddYamlLoader *self, guint count, const yaml_mark_t *mark, GError **error)
{
	if (count > self->max_nodes || self->nodes > self->max_nodes - count) {
		rdd_yaml_set_error_at(error, mark, "YAML document exceeds the limit of %u nodes", self->max_nodes);
		return FALSE;
	}
	self->nodes += count;
	return TRUE;
}

static void
rdd_yaml_loader_add_anchor(RddYamlLoader *self, const gchar *name, JsonNode *node, const gchar *scalar_text, guint count, guint height)
{
	RddYamlAnchor *anchor = g_new0(RddYamlAnchor, 1);
	anchor->node = json_node_ref(node);
	anchor->scalar_text = g_strdup(scalar_text);
	anchor->count = count;
	anchor->height = height;
	g_hash_table_replace(self->anchors, g_strdup(name), anchor);
}

/* true when the next node of the open mapping is a key */
static gboolean
rdd_yaml_loader_expects_key(RddYamlLoader *self)
{
	RddYamlFrame *top = rdd_yaml_loader_top(self);
	return top != NULL && top->is_map && top->key == NULL;
}

static gboolean
rdd_yaml_loader_set_key(RddYamlLoader *self, const gchar *key, const yaml_mark_t *mark, GError **error)
{
	RddYamlFrame *top = rdd_yaml_loader_top(self);
	JsonObject *obj = json_node_get_object(top->node);

	if (json_object_has_member(obj, key)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "duplicate key \"%s\" (line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ")",
			    key, (gsize)mark->line + 1, (gsize)mark->column + 1);
		return FALSE;
	}
	top->key = g_strdup(key);
	return TRUE;
}

/* adds a finished value (transfer full) to the open collection, or makes it the root */
static void
rdd_yaml_loader_add_value(RddYamlLoader *self, JsonNode *node, guint height)
{
	RddYamlFrame *top = rdd_yaml_loader_top(self);

	if (top == NULL) {
		g_clear_pointer(&self->root, json_node_unref);
		self->root = node;
		return;
	}
	top->height = MAX(top->height, height + 1);
	if (top->is_map) {
		g_autofree gchar *key = g_steal_pointer(&top->key);
		json_object_set_member(json_node_get_object(top->node), key, node);
	} else {
		json_array_add_element(json_node_get_array(top->node), node);
	}
}

static gboolean
rdd_yaml_loader_scalar(RddYamlLoader *self, const yaml_event_t *event, GError **error)
{
	const gchar *anchor = (const gchar *)event->data.scalar.anchor;
	const gchar *text = (const gchar *)event->data.scalar.value;
	g_autoptr(JsonNode) node = NULL;

	if (!rdd_yaml_loader_count(self, 1, &event->start_mark, error))
		return FALSE;

	if (rdd_yaml_loader_expects_key(self)) {
		/* keys are their text, whatever they would resolve to; but check the tag */
		const gchar *tag = (const gchar *)event->data.scalar.tag;
		if (tag != NULL && g_strcmp0(tag, "!") != 0 && !g_str_has_prefix(tag, RDD_YAML_TAG_PREFIX)) {
			g_autofree gchar *display = rdd_yaml_tag_display(tag);
			rdd_yaml_set_error_at(error, &event->start_mark,
					      "unsupported YAML tag \"%s\" on a mapping key", display);
			return FALSE;
		}
		if (memchr(text, '\0', event->data.scalar.length) != NULL ||
		    !g_utf8_validate_len(text, event->data.scalar.length, NULL)) {
			rdd_yaml_set_error_at(error, &event->start_mark, "mapping key is not valid UTF-8 text");
			return FALSE;
		}
		if (anchor != NULL) {
			node = rdd_yaml_scalar_to_node(event, error);
			if (node == NULL)
				return FALSE;
			rdd_yaml_loader_add_anchor(self, anchor, node, text, 1, 0);
		}
		return rdd_yaml_loader_set_key(self, text, &event->start_mark, error);
	}

	node = rdd_yaml_scalar_to_node(event, error);
	if (node == NULL)
		return FALSE;
	if (anchor != NULL)
		rdd_yaml_loader_add_anchor(self, anchor, node, text, 1, 0);
	rdd_yaml_loader_add_value(self, g_steal_pointer(&node), 0);
	return TRUE;
}

static gboolean
rdd_yaml_loader_start(RddYamlLoader *self, const yaml_event_t *event, gboolean is_map, GError **error)
{
	const gchar *tag;
	const gchar *anchor;
	RddYamlFrame frame = {0};

	if (is_map) {
		tag = (const gchar *)event->data.mapping_start.tag;
		anchor = (const gchar *)event->data.mapping_start.anchor;
	} else {
		tag = (const gchar *)event->data.sequence_start.tag;
		anchor = (const gchar *)event->data.sequence_start.anchor;
	}
	if (rdd_yaml_loader_expects_key(self)) {
		rdd_yaml_set_error_at(error, &event->start_mark,
				      "a %s cannot be used as a mapping key, keys must be scalars",
				      is_map ? "mapping" : "sequence");
		return FALSE;
	}
	if (tag != NULL && g_strcmp0(tag, "!") != 0 &&
	    g_strcmp0(tag, is_map ? RDD_YAML_TAG_PREFIX "map" : RDD_YAML_TAG_PREFIX "seq") != 0) {
		g_autofree gchar *display = rdd_yaml_tag_display(tag);
		rdd_yaml_set_error_at(error, &event->start_mark, "unsupported YAML tag \"%s\" on a %s",
				      display, is_map ? "mapping" : "sequence");
		return FALSE;
	}
	if (self->stack->len + 1 > self->max_depth) {
		rdd_yaml_set_error_at(error, &event->start_mark,
				      "YAML document is nested deeper than %u levels", self->max_depth);
		return FALSE;
	}
	frame.start_count = self->nodes;
	if (!rdd_yaml_loader_count(self, 1, &event->start_mark, error))
		return FALSE;
	frame.is_map = is_map;
	frame.anchor = g_strdup(anchor);
	frame.height = 0;
	if (is_map) {
		frame.node = json_node_init_object(json_node_alloc(), NULL);
		json_node_take_object(frame.node, json_object_new());
	} else {
		frame.node = json_node_init_array(json_node_alloc(), NULL);
		json_node_take_array(frame.node, json_array_new());
	}
	g_array_append_val(self->stack, frame);
	return TRUE;
}

static void
rdd_yaml_loader_end(RddYamlLoader *self)
{
	RddYamlFrame *top = rdd_yaml_loader_top(self);
	JsonNode *node;
	guint height;

	if (top == NULL)
		return; /* libyaml guarantees balanced events */
	node = g_steal_pointer(&top->node);
	height = top->height == 0 ? 1 : top->height;
	if (top->anchor != NULL)
		rdd_yaml_loader_add_anchor(self, top->anchor, node, NULL, self->nodes - top->start_count, height);
	g_array_set_size(self->stack, self->stack->len - 1);
	rdd_yaml_loader_add_value(self, node, height);
}

static gboolean
rdd_yaml_loader_alias(RddYamlLoader *self, const yaml_event_t *event, GError **error)
{
	const gchar *name = (const gchar *)event->data.alias.anchor;
	RddYamlAnchor *anchor = g_hash_table_lookup(self->anchors, name);

	if (anchor == NULL) {
		rdd_yaml_set_error_at(error, &event->start_mark, "unknown alias \"%s\"", name);
		return FALSE;
	}
	if (rdd_yaml_loader_expects_key(self)) {
		if (anchor->scalar_text == NULL) {
			rdd_yaml_set_error_at(error, &event->start_mark,
					      "alias \"%s\" refers to a collection and cannot be used "
					      "as a mapping key, keys must be scalars",
					      name);
			return FALSE;
		}
		if (!rdd_yaml_loader_count(self, 1, &event->start_mark, error))
			return FALSE;
		return rdd_yaml_loader_set_key(self, anchor->scalar_text, &event->start_mark, error);
	}
	/* check the caps before copying anything, so that "billion laughs" fails fast */
	if (!rdd_yaml_loader_count(self, anchor->count, &event->start_mark, error))
		return FALSE;
	if (self->stack->len + anchor->height > self->max_depth) {
		rdd_yaml_set_error_at(error, &event->start_mark,
				      "YAML document is nested deeper than %u levels", self->max_depth);
		return FALSE;
	}
	rdd_yaml_loader_add_value(self, rdd_json_deep_copy(anchor->node), anchor->height);
	return TRUE;
}

/**
 * rdd_yaml_parse_all_full:
 * @data: YAML text, UTF-8
 * @length: the length of @data in bytes, or -1 when it is NUL-terminated
 * @max_nodes: the most nodes the stream may produce, counting every expansion of an alias
 * @max_depth: the deepest nesting of mappings and sequences allowed
 * @error: (nullable): return location for a #GError
 *
 * Parses a stream of YAML documents into JSON trees. Plain scalars are resolved with the
 * YAML 1.2 core schema (`yes`/`no`/`on`/`off` stay strings); quoted and block scalars are
 * always strings. The tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`
 * and `!!binary` (kept as text) are honoured, any other tag is an error. Mapping keys must be
 * scalars and unique. Aliases are expanded; documents that are empty or null are skipped.
 *
 * Errors are %RDD_ERROR_INVALID and name the line and column of the problem.
 *
 * Returns: (transfer full) (element-type JsonNode): the documents, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
rdd_yaml_parse_all_full(const gchar *data, gssize length, guint max_nodes, guint max_depth, GError **error)
{
	g_auto(yaml_parser_t) parser = {0};
	g_auto(RddYamlLoader) self = {0};

	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (length < 0)
		length = strlen(data);
	self.data = data;
	self.length = length;
	self.max_nodes = max_nodes;
	self.max_depth = max_depth;
	self.stack = g_array_new(FALSE, TRUE, sizeof(RddYamlFrame));
	g_array_set_clear_func(self.stack, (GDestroyNotify)rdd_yaml_frame_clear);
	self.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)rdd_yaml_anchor_free);
	self.documents = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);

	if (!yaml_parser_initialize(&parser)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "failed to initialize the YAML parser");
		return NULL;
	}
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)(data != NULL ? data : ""), length);

	while (TRUE) {
		g_auto(yaml_event_t) event = {0};

		if (!yaml_parser_parse(&parser, &event)) {
			rdd_yaml_set_parser_error(&self, &parser, error);
			return NULL;
		}
		switch (event.type) {
		case YAML_STREAM_END_EVENT:
			return g_steal_pointer(&self.documents);
		case YAML_DOCUMENT_START_EVENT:
			/* anchors are scoped to one document */
			g_hash_table_remove_all(self.anchors);
			g_clear_pointer(&self.root, json_node_unref);
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (self.root != NULL && !JSON_NODE_HOLDS_NULL(self.root))
				g_ptr_array_add(self.documents, g_steal_pointer(&self.root));
			g_clear_pointer(&self.root, json_node_unref);
			break;
		case YAML_SCALAR_EVENT:
			if (!rdd_yaml_loader_scalar(&self, &event, error))
				return NULL;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (!rdd_yaml_loader_start(&self, &event, FALSE, error))
				return NULL;
			break;
		case YAML_MAPPING_START_EVENT:
			if (!rdd_yaml_loader_start(&self, &event, TRUE, error))
				return NULL;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rdd_yaml_loader_end(&self);
			break;
		case YAML_ALIAS_EVENT:
			if (!rdd_yaml_loader_alias(&self, &event, error))
				return NULL;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_NO_EVENT:
		default:
			break;
		}
	}
}

/**
 * rdd_yaml_parse_all:
 * @data: YAML text, UTF-8
 * @length: the length of @data in bytes, or -1 when it is NUL-terminated
 * @error: (nullable): return location for a #GError
 *
 * Like rdd_yaml_parse_all_full() with %RDD_YAML_MAX_NODES and %RDD_YAML_MAX_DEPTH.
 *
 * Returns: (transfer full) (element-type JsonNode): the non-empty documents, or %NULL
 *   on error
 *
 * Since: 0.1
 */
GPtrArray *
rdd_yaml_parse_all(const gchar *data, gssize length, GError **error)
{
	return rdd_yaml_parse_all_full(data, length, RDD_YAML_MAX_NODES, RDD_YAML_MAX_DEPTH, error);
}

/**
 * rdd_yaml_parse:
 * @data: YAML text, UTF-8
 * @length: the length of @data in bytes, or -1 when it is NUL-terminated
 * @error: (nullable): return location for a #GError
 *
 * Parses YAML text that must hold exactly one non-empty document.
 *
 * Returns: (transfer full): the document, or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
rdd_yaml_parse(const gchar *data, gssize length, GError **error)
{
	g_autoptr(GPtrArray) docs = NULL;

	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	docs = rdd_yaml_parse_all(data, length, error);
	if (docs == NULL)
		return NULL;
	if (docs->len != 1) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "expected one YAML document, found %u", docs->len);
		return NULL;
	}
	return json_node_ref(g_ptr_array_index(docs, 0));
}

/* emitter */

static int
rdd_yaml_emit_write_cb(void *data, unsigned char *buffer, size_t size)
{
	g_string_append_len((GString *)data, (const gchar *)buffer, size);
	return 1;
}

/* strings that YAML 1.1 parsers (kubectl, go-yaml v2) would read as something else */
static gboolean
rdd_yaml_is_yaml11_special(const gchar *s)
{
	const gchar *words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",	"N",  "no", "No", "NO",
				"on", "On", "ON",  "off", "Off", "OFF", "<<", "=",  NULL};
	const gchar *p = s;

	for (guint i = 0; words[i] != NULL; i++) {
		if (g_strcmp0(s, words[i]) == 0)
			return TRUE;
	}
	/* numbers with underscores, sexagesimal numbers, binary, timestamps */
	if (*p == '-' || *p == '+')
		p++;
	if (!g_ascii_isdigit(*p) && !(*p == '.' && g_ascii_isdigit(p[1])))
		return FALSE;
	for (; *p != '\0'; p++) {
		if (strchr("0123456789abcdefABCDEFxXoOtTzZ_:.+-", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* whether a single-line string must be quoted to read back as the same string */
static gboolean
rdd_yaml_emit_needs_quotes(const gchar *s, gsize len)
{
	if (len == 0)
		return TRUE;
	if (rdd_yaml_classify(s, len) != RDD_YAML_SCALAR_STRING)
		return TRUE;
	if (rdd_yaml_is_yaml11_special(s))
		return TRUE;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) != NULL)
		return TRUE;
	if (g_ascii_isspace(s[0]) || g_ascii_isspace(s[len - 1]))
		return TRUE;
	if (s[len - 1] == ':')
		return TRUE;
	if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL || strstr(s, ":\t") != NULL ||
	    strstr(s, "\t#") != NULL)
		return TRUE;
	/* the document markers */
	if (g_str_has_prefix(s, "---") || g_str_has_prefix(s, "..."))
		return TRUE;
	return FALSE;
}

/* C0 controls but LF, DEL, C1 controls, and the Unicode line and paragraph separators */
static gboolean
rdd_yaml_emit_has_controls(const gchar *s)
{
	for (const guchar *p = (const guchar *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return TRUE;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return TRUE;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return TRUE;
	}
	return FALSE;
}

static gboolean
rdd_yaml_emit_scalar(yaml_emitter_t *emitter, const gchar *text, yaml_scalar_style_t style)
{
	yaml_event_t event = {0};

	if (!yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1, style))
		return FALSE;
	return yaml_emitter_emit(emitter, &event);
}

static gboolean
rdd_yaml_emit_string(yaml_emitter_t *emitter, const gchar *str)
{
	g_autofree gchar *valid = NULL;
	gsize len;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	if (!g_utf8_validate(str, -1, NULL)) {
		valid = g_utf8_make_valid(str, -1);
		str = valid;
	}
	len = strlen(str);
	if (rdd_yaml_emit_has_controls(str)) {
		/* control characters, and line breaks other than LF, which a reader would
		 * normalise or fold: escape them */
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	} else if (strchr(str, '\n') != NULL) {
		/* literal blocks, except where they would need `|+` keep chomping (and `...`) */
		if (g_str_has_suffix(str, "\n\n") || g_strcmp0(str, "\n") == 0)
			style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		else
			style = YAML_LITERAL_SCALAR_STYLE;
	} else if (rdd_yaml_emit_needs_quotes(str, len)) {
		style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
	}
	return rdd_yaml_emit_scalar(emitter, str, style);
}

static void
rdd_yaml_format_double(gchar *buf, gsize bufsz, gdouble value)
{
	if (value == floor(value) && value >= -9223372036854775808.0 && value < 9223372036854775808.0) {
		g_snprintf(buf, bufsz, "%" G_GINT64_FORMAT, (gint64)value);
		return;
	}
	for (gint precision = 15; precision <= 17; precision++) {
		g_ascii_formatd(buf, bufsz,
				precision == 15 ? "%.15g" :
				precision == 16 ? "%.16g" :
						  "%.17g",
				value);
		if (g_ascii_strtod(buf, NULL) == value)
			return;
	}
}

static gboolean rdd_yaml_emit_node(yaml_emitter_t *emitter, JsonNode *node, guint depth);

static gint
rdd_yaml_emit_compare_keys(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
rdd_yaml_emit_object(yaml_emitter_t *emitter, JsonObject *obj, guint depth)
{
	yaml_event_t event = {0};
	guint n = json_object_get_size(obj);
	g_autofree const gchar **keys = g_new0(const gchar *, n + 1);
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;
	guint i = 0;

	json_object_iter_init(&iter, obj);
	while (i < n && json_object_iter_next(&iter, &name, &member))
		keys[i++] = name;
	qsort(keys, i, sizeof(const gchar *), rdd_yaml_emit_compare_keys);

	if (!yaml_mapping_start_event_initialize(
		    &event, NULL, NULL, 1, n == 0 ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE))
		return FALSE;
	if (!yaml_emitter_emit(emitter, &event))
		return FALSE;
	for (guint j = 0; j < i; j++) {
		if (!rdd_yaml_emit_string(emitter, keys[j]))
			return FALSE;
		if (!rdd_yaml_emit_node(emitter, json_object_get_member(obj, keys[j]), depth + 1))
			return FALSE;
	}
	if (!yaml_mapping_end_event_initialize(&event))
		return FALSE;
	return yaml_emitter_emit(emitter, &event);
}

static gboolean
rdd_yaml_emit_array(yaml_emitter_t *emitter, JsonArray *arr, guint depth)
{
	yaml_event_t event = {0};
	guint n = json_array_get_length(arr);

	if (!yaml_sequence_start_event_initialize(
		    &event, NULL, NULL, 1, n == 0 ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE))
		return FALSE;
	if (!yaml_emitter_emit(emitter, &event))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		if (!rdd_yaml_emit_node(emitter, json_array_get_element(arr, i), depth + 1))
			return FALSE;
	}
	if (!yaml_sequence_end_event_initialize(&event))
		return FALSE;
	return yaml_emitter_emit(emitter, &event);
}

static gboolean
rdd_yaml_emit_node(yaml_emitter_t *emitter, JsonNode *node, guint depth)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE] = {0};

	if (depth > RDD_YAML_EMIT_MAX_DEPTH)
		return FALSE;
	if (node == NULL)
		return rdd_yaml_emit_scalar(emitter, "null", YAML_PLAIN_SCALAR_STYLE);

	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return rdd_yaml_emit_object(emitter, json_node_get_object(node), depth);
	case JSON_NODE_ARRAY:
		return rdd_yaml_emit_array(emitter, json_node_get_array(node), depth);
	case JSON_NODE_NULL:
		return rdd_yaml_emit_scalar(emitter, "null", YAML_PLAIN_SCALAR_STYLE);
	case JSON_NODE_VALUE:
	default:
		break;
	}

	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return rdd_yaml_emit_string(emitter, json_node_get_string(node));
	case G_TYPE_BOOLEAN:
		return rdd_yaml_emit_scalar(emitter, json_node_get_boolean(node) ? "true" : "false",
					    YAML_PLAIN_SCALAR_STYLE);
	case G_TYPE_INT64:
	case G_TYPE_INT:
	case G_TYPE_LONG:
	case G_TYPE_UINT:
		g_snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, json_node_get_int(node));
		return rdd_yaml_emit_scalar(emitter, buf, YAML_PLAIN_SCALAR_STYLE);
	case G_TYPE_DOUBLE:
	case G_TYPE_FLOAT: {
		gdouble value = json_node_get_double(node);
		if (!isfinite(value))
			return rdd_yaml_emit_scalar(emitter, "null", YAML_PLAIN_SCALAR_STYLE);
		rdd_yaml_format_double(buf, sizeof(buf), value);
		return rdd_yaml_emit_scalar(emitter, buf, YAML_PLAIN_SCALAR_STYLE);
	}
	default:
		return rdd_yaml_emit_scalar(emitter, "null", YAML_PLAIN_SCALAR_STYLE);
	}
}

/**
 * rdd_yaml_emit:
 * @node: a JSON tree
 *
 * Writes @node as one YAML document in the style of `kubectl get -o yaml`: block style,
 * mapping keys sorted byte-wise, two-space indentation, sequences not indented below their
 * key, empty collections as `{}` and `[]`, strings quoted only where a plain scalar would
 * read back as something else, multi-line strings as literal blocks (strings with control
 * characters double-quoted with escapes). The text ends with a newline, and rdd_yaml_parse()
 * of it gives a tree equal to @node (except that a JSON null at the root reads back as an
 * empty stream).
 *
 * Returns: (transfer full) (nullable): the YAML text, or %NULL only if @node nests deeper
 *   than 1024 levels (or libyaml runs out of memory)
 *
 * Since: 0.1
 */
gchar *
rdd_yaml_emit(JsonNode *node)
{
	g_auto(yaml_emitter_t) emitter = {0};
	g_autoptr(GString) out = g_string_new(NULL);
	yaml_event_t event = {0};

	g_return_val_if_fail(node != NULL, NULL);

	if (!yaml_emitter_initialize(&emitter))
		return NULL;
	yaml_emitter_set_output(&emitter, rdd_yaml_emit_write_cb, out);
	yaml_emitter_set_encoding(&emitter, YAML_UTF8_ENCODING);
	yaml_emitter_set_unicode(&emitter, 1);
	yaml_emitter_set_indent(&emitter, 2);
	yaml_emitter_set_width(&emitter, -1);
	yaml_emitter_set_break(&emitter, YAML_LN_BREAK);

	if (!yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING) ||
	    !yaml_emitter_emit(&emitter, &event))
		return NULL;
	if (!yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1) ||
	    !yaml_emitter_emit(&emitter, &event))
		return NULL;
	if (!rdd_yaml_emit_node(&emitter, node, 0))
		return NULL;
	if (!yaml_document_end_event_initialize(&event, 1) || !yaml_emitter_emit(&emitter, &event))
		return NULL;
	if (!yaml_stream_end_event_initialize(&event) || !yaml_emitter_emit(&emitter, &event))
		return NULL;
	if (!yaml_emitter_flush(&emitter))
		return NULL;
	if (out->len == 0 || out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
	return g_string_free(g_steal_pointer(&out), FALSE);
}
