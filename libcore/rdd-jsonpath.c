/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-jsonpath.h"

/*
 * The JSONPath dialect of Kubernetes (k8s.io/client-go/util/jsonpath), re-stated:
 *
 *  - a template is text with actions in braces: `name: {.metadata.name}{"\n"}`; the actions
 *    `{range <path>}` ... `{end}` repeat their body for every value the path yields, with that
 *    value as the current object (`@`); an unclosed range ends with the template;
 *  - a path is a sequence of steps: `.name` (a member; backslash escapes the next character, so
 *    `.a\.b` names the member `a.b`), `.*` (all members or elements), `..` (the value and every
 *    non-empty object and array below it, in pre-order, usually followed by a name as in
 *    `..name`), `[n]`, `[-n]`, `[a:b]`, `[a:b:step]`, `[*]` (elements of arrays), `['name']`
 *    (a member, dots and all), unions `[0,2]` and `['a','b']`, filters `[?(@.type=="Ready")]`
 *    with `==`, `!=`, `<`, `>`, `<=`, `>=` or just a path (existence), literals `"text"`, `'text'`
 *    (Go escapes), numbers, `true` and `false`; `$` and `@` are the current object;
 *  - a step maps the list of current values to a new list; a member that none of the current
 *    values has is an error `<name> is not found` only with %RDD_JSONPATH_FLAG_STRICT
 *    (kubectl's `--allow-missing-template-keys=false`); null values are skipped;
 *  - indices outside an array, a step of 0 and a start beyond the end are errors, as in
 *    kubectl, and so are filters on non-arrays and comparisons of values of different types
 *    (except that integers and floating point numbers compare by value: JSON has one number
 *    type, and the stored form writes integral doubles as integers);
 *  - an action prints its values separated by spaces: strings raw, numbers as Go's `%v` does
 *    (`1e+06` for the double 1000000.0), `true`, `false`, `null`, and objects and arrays as
 *    compact JSON with sorted keys.
 *
 * Deliberate differences from kubectl: `['a.b']` names the member `a.b` (kubectl splits it at
 * the dot); `.*` and `..` visit object members sorted by key (kubectl's order is random) and
 * never descend into strings; a range over no values skips its body even in strict mode (kubectl
 * evaluates it once on nothing and fails on the first member); unknown identifiers and filter
 * operators are parse errors rather than execution errors.
 */

#define RDD_JSONPATH_MAX_NESTING 16 /* filters within filters, ranges within ranges */
#define RDD_JSONPATH_QUOTE_MAX_LEN 128

typedef enum {
	RDD_JSONPATH_STEP_FIELD,
	RDD_JSONPATH_STEP_WILDCARD,
	RDD_JSONPATH_STEP_RECURSIVE,
	RDD_JSONPATH_STEP_SLICE,
	RDD_JSONPATH_STEP_UNION,
	RDD_JSONPATH_STEP_FILTER,
	RDD_JSONPATH_STEP_LITERAL,
} RddJsonPathStepKind;

typedef enum {
	RDD_JSONPATH_OP_EXISTS,
	RDD_JSONPATH_OP_EQ,
	RDD_JSONPATH_OP_NE,
	RDD_JSONPATH_OP_LT,
	RDD_JSONPATH_OP_GT,
	RDD_JSONPATH_OP_LE,
	RDD_JSONPATH_OP_GE,
} RddJsonPathOp;

/* one bound of a slice, as kubectl's ParamsEntry */
typedef struct {
	gboolean known;
	gboolean derived; /* the end of an index `[n]`, i.e. n + 1 */
	gint64 value;
} RddJsonPathParam;

typedef struct {
	RddJsonPathStepKind kind;
	gsize offset;		    /* in the text, for error messages */
	gchar *name;		    /* FIELD */
	RddJsonPathParam params[3]; /* SLICE: start, end, step */
	GPtrArray *branches;	    /* UNION: element-type GPtrArray of steps */
	GPtrArray *left;	    /* FILTER */
	GPtrArray *right;	    /* FILTER, NULL for EXISTS */
	RddJsonPathOp op;	    /* FILTER */
	JsonNode *literal;	    /* LITERAL */
	gboolean per_input;	    /* LITERAL: one value per current value (numbers, booleans) */
} RddJsonPathStep;

typedef enum {
	RDD_JSONPATH_NODE_TEXT,
	RDD_JSONPATH_NODE_ACTION,
	RDD_JSONPATH_NODE_RANGE,
} RddJsonPathNodeKind;

typedef struct {
	RddJsonPathNodeKind kind;
	gsize offset;
	JsonNode *text;	  /* TEXT: a string node */
	GPtrArray *steps; /* ACTION, RANGE */
	GPtrArray *body;  /* RANGE: element-type RddJsonPathNode */
} RddJsonPathNode;

struct _RddJsonPath {
	gint ref_count; /* atomic */
	gchar *text;
	GPtrArray *nodes; /* element-type RddJsonPathNode */
};

G_DEFINE_BOXED_TYPE(RddJsonPath, rdd_jsonpath, rdd_jsonpath_ref, rdd_jsonpath_unref)

static void
rdd_jsonpath_step_free(RddJsonPathStep *step)
{
	if (step == NULL)
		return;
	g_free(step->name);
	g_clear_pointer(&step->branches, g_ptr_array_unref);
	g_clear_pointer(&step->left, g_ptr_array_unref);
	g_clear_pointer(&step->right, g_ptr_array_unref);
	g_clear_pointer(&step->literal, json_node_unref);
	g_free(step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddJsonPathStep, rdd_jsonpath_step_free)

static GPtrArray *
rdd_jsonpath_steps_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)rdd_jsonpath_step_free);
}

static void
rdd_jsonpath_node_free(RddJsonPathNode *node)
{
	g_clear_pointer(&node->text, json_node_unref);
	g_clear_pointer(&node->steps, g_ptr_array_unref);
	g_clear_pointer(&node->body, g_ptr_array_unref);
	g_free(node);
}

static GPtrArray *
rdd_jsonpath_nodes_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)rdd_jsonpath_node_free);
}

/* appends at most RDD_JSONPATH_QUOTE_MAX_LEN bytes of @str in double quotes, with quotes,
 * backslashes, control characters and bytes that are not UTF-8 escaped */
static void
rdd_jsonpath_append_quoted(GString *out, const gchar *str, gsize len)
{
	g_string_append_c(out, '"');
	for (gsize i = 0; i < len;) {
		guchar c = (guchar)str[i];
		if (i >= RDD_JSONPATH_QUOTE_MAX_LEN) {
			g_string_append(out, "...");
			break;
		}
		if (c == '"' || c == '\\') {
			g_string_append_c(out, '\\');
			g_string_append_c(out, (gchar)c);
			i++;
		} else if (c == '\n') {
			g_string_append(out, "\\n");
			i++;
		} else if (c == '\t') {
			g_string_append(out, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			g_string_append_printf(out, "\\x%02X", c);
			i++;
		} else if (c < 0x80) {
			g_string_append_c(out, (gchar)c);
			i++;
		} else {
			const gchar *end = NULL;
			gsize n = MIN(len - i, 4);
			/* one valid UTF-8 sequence, or an escaped byte */
			if (!g_utf8_validate(str + i, (gssize)n, &end) && end == str + i) {
				g_string_append_printf(out, "\\x%02X", c);
				i++;
				continue;
			}
			n = (gsize)(g_utf8_next_char(str + i) - (str + i));
			g_string_append_len(out, str + i, (gssize)n);
			i += n;
		}
	}
	g_string_append_c(out, '"');
}

/* describes the character at @p for an error message: U+0023 '#' */
static gchar *
rdd_jsonpath_describe_char(const gchar *p, gsize avail)
{
	gunichar uc;
	g_autoptr(GString) str = g_string_new(NULL);

	if (avail == 0)
		return g_strdup("end of input");
	uc = g_utf8_get_char_validated(p, (gssize)MIN(avail, 4));
	if (uc == (gunichar)-1 || uc == (gunichar)-2)
		return g_strdup_printf("byte 0x%02X", (guchar)*p);
	g_string_append_printf(str, "U+%04X ", uc);
	rdd_jsonpath_append_quoted(str, p, (gsize)(g_utf8_next_char(p) - p));
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* parser -------------------------------------------------------------------------------------- */

typedef enum {
	RDD_JSONPATH_CONTEXT_ACTION, /* steps end at '}' or the end of the text */
	RDD_JSONPATH_CONTEXT_FILTER, /* steps end at ')' or a comparison operator */
} RddJsonPathContext;

typedef struct {
	const gchar *text;
	gsize len;
	gsize pos;
	guint depth; /* nesting of filters and ranges */
} RddJsonPathParser;

static void
rdd_jsonpath_parser_fail(RddJsonPathParser *p, gsize offset, GError **error, const gchar *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static void
rdd_jsonpath_parser_fail(RddJsonPathParser *p, gsize offset, GError **error, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	g_autoptr(GString) str = g_string_new("error parsing jsonpath ");

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	rdd_jsonpath_append_quoted(str, p->text, p->len);
	g_string_append_printf(str, " at offset %" G_GSIZE_FORMAT ": %s", offset, msg);
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, str->str);
}

static inline gboolean
rdd_jsonpath_is_space(gchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
rdd_jsonpath_parser_skip_ws(RddJsonPathParser *p)
{
	while (p->pos < p->len && rdd_jsonpath_is_space(p->text[p->pos]))
		p->pos++;
}

static inline gboolean
rdd_jsonpath_is_ident_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* whether @c ends a member name after `.` (kubectl's isTerminator, plus the characters that
 * end the left operand of a filter) */
static gboolean
rdd_jsonpath_is_terminator(gchar c, RddJsonPathContext ctx)
{
	if (rdd_jsonpath_is_space(c))
		return TRUE;
	switch (c) {
	case '.':
	case ',':
	case '[':
	case ']':
	case '$':
	case '@':
	case '{':
	case '}':
		return TRUE;
	case '(':
	case ')':
	case '=':
	case '!':
	case '<':
	case '>':
		return ctx == RDD_JSONPATH_CONTEXT_FILTER;
	default:
		return FALSE;
	}
}

static gint
rdd_jsonpath_hex_value(gchar c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* parses a quoted string at p->pos (which is the quote) with Go's escapes, as kubectl's
 * UnquoteExtend; leaves p->pos after the closing quote */
static gchar *
rdd_jsonpath_parser_quoted(RddJsonPathParser *p, GError **error)
{
	gsize start = p->pos;
	gchar quote = p->text[p->pos];
	g_autoptr(GString) str = g_string_new(NULL);

	p->pos++;
	for (;;) {
		gchar c;
		gsize esc;
		if (p->pos >= p->len) {
			rdd_jsonpath_parser_fail(p, start, error, "unterminated quoted string");
			return NULL;
		}
		c = p->text[p->pos];
		if (c == quote) {
			p->pos++;
			break;
		}
		if (c != '\\') {
			g_string_append_c(str, c);
			p->pos++;
			continue;
		}
		esc = p->pos;
		p->pos++;
		if (p->pos >= p->len) {
			rdd_jsonpath_parser_fail(p, start, error, "unterminated quoted string");
			return NULL;
		}
		c = p->text[p->pos++];
		switch (c) {
		case 'a':
			g_string_append_c(str, '\a');
			break;
		case 'b':
			g_string_append_c(str, '\b');
			break;
		case 'f':
			g_string_append_c(str, '\f');
			break;
		case 'n':
			g_string_append_c(str, '\n');
			break;
		case 'r':
			g_string_append_c(str, '\r');
			break;
		case 't':
			g_string_append_c(str, '\t');
			break;
		case 'v':
			g_string_append_c(str, '\v');
			break;
		case '\\':
		case '\'':
		case '"':
			g_string_append_c(str, c);
			break;
		case 'x':
		case 'u':
		case 'U': {
			guint n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			guint32 v = 0;
			for (guint i = 0; i < n; i++) {
				gint h = p->pos < p->len ? rdd_jsonpath_hex_value(p->text[p->pos]) : -1;
				if (h < 0) {
					rdd_jsonpath_parser_fail(p, esc, error, "invalid escape \\%c: expected %u hexadecimal digits",
								 c, n);
					return NULL;
				}
				v = v * 16 + (guint32)h;
				p->pos++;
			}
			if (c == 'x') {
				g_string_append_c(str, (gchar)v);
			} else if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
				rdd_jsonpath_parser_fail(p, esc, error, "invalid escape: U+%04X is not a Unicode scalar value",
							 v);
				return NULL;
			} else {
				g_string_append_unichar(str, v);
			}
			break;
		}
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7': {
			guint v = (guint)(c - '0');
			for (guint i = 0; i < 2; i++) {
				gchar d = p->pos < p->len ? p->text[p->pos] : '\0';
				if (d < '0' || d > '7') {
					rdd_jsonpath_parser_fail(p, esc, error, "invalid escape: expected three octal digits");
					return NULL;
				}
				v = v * 8 + (guint)(d - '0');
				p->pos++;
			}
			if (v > 255) {
				rdd_jsonpath_parser_fail(p, esc, error, "invalid escape: octal value %o is larger than 377",
							 v);
				return NULL;
			}
			g_string_append_c(str, (gchar)v);
			break;
		}
		default: {
			g_autofree gchar *what =
				rdd_jsonpath_describe_char(p->text + p->pos - 1, p->len - p->pos + 1);
			rdd_jsonpath_parser_fail(p, esc, error, "invalid escape of %s", what);
			return NULL;
		}
		}
	}
	if (memchr(str->str, '\0', str->len) != NULL) {
		rdd_jsonpath_parser_fail(p, start, error, "quoted string contains a NUL character");
		return NULL;
	}
	if (!g_utf8_validate(str->str, (gssize)str->len, NULL)) {
		rdd_jsonpath_parser_fail(p, start, error, "quoted string is not valid UTF-8");
		return NULL;
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static RddJsonPathStep *
rdd_jsonpath_step_new(RddJsonPathStepKind kind, gsize offset)
{
	RddJsonPathStep *step = g_new0(RddJsonPathStep, 1);
	step->kind = kind;
	step->offset = offset;
	return step;
}

/* a member name after `.`, up to a terminator; backslash escapes the next character */
static gboolean
rdd_jsonpath_parser_field(RddJsonPathParser *p, GPtrArray *steps, RddJsonPathContext ctx, GError **error)
{
	gsize start = p->pos;
	g_autoptr(GString) name = g_string_new(NULL);
	RddJsonPathStep *step;

	while (p->pos < p->len && !rdd_jsonpath_is_terminator(p->text[p->pos], ctx)) {
		if (p->text[p->pos] == '\\') {
			p->pos++;
			if (p->pos >= p->len) {
				rdd_jsonpath_parser_fail(p, p->pos - 1, error,
							 "dangling backslash at the end of a member name");
				return FALSE;
			}
		}
		g_string_append_c(name, p->text[p->pos]);
		p->pos++;
	}
	if (p->pos - start == 1 && p->text[start] == '*') {
		g_ptr_array_add(steps, rdd_jsonpath_step_new(RDD_JSONPATH_STEP_WILDCARD, start));
		return TRUE;
	}
	step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_FIELD, start);
	step->name = g_string_free(g_steal_pointer(&name), FALSE);
	g_ptr_array_add(steps, step);
	return TRUE;
}

/* one part of a slice: empty, or an optional '-' and digits, with spaces around */
static gboolean
rdd_jsonpath_parse_slice_part(const gchar *s, gsize len, gboolean *present, gint64 *value, gboolean *too_big)
{
	gsize i = 0;
	gsize end = len;
	gboolean neg = FALSE;
	gint64 v = 0;

	*present = FALSE;
	*value = 0;
	while (i < end && rdd_jsonpath_is_space(s[i]))
		i++;
	while (end > i && rdd_jsonpath_is_space(s[end - 1]))
		end--;
	if (i == end)
		return TRUE;
	if (s[i] == '-') {
		neg = TRUE;
		i++;
	}
	if (i == end)
		return FALSE;
	for (; i < end; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
		v = v * 10 + (s[i] - '0');
		if (v > G_MAXINT32) {
			*too_big = TRUE;
			return FALSE;
		}
	}
	*present = TRUE;
	*value = neg ? -v : v;
	return TRUE;
}

/* the index or slice @s of length @len inside brackets, at @offset */
static RddJsonPathStep *
rdd_jsonpath_parser_slice(RddJsonPathParser *p, const gchar *s, gsize len, gsize offset, GError **error)
{
	g_autoptr(RddJsonPathStep) step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_SLICE, offset);
	gsize part_start = 0;
	guint n_parts = 0;
	gboolean present[3] = {FALSE, FALSE, FALSE};
	gint64 values[3] = {0, 0, 0};

	for (gsize i = 0; i <= len; i++) {
		gboolean too_big = FALSE;
		if (i < len && s[i] != ':')
			continue;
		if (n_parts == 3 ||
		    !rdd_jsonpath_parse_slice_part(s + part_start, i - part_start,
						   &present[n_parts], &values[n_parts], &too_big)) {
			g_autoptr(GString) quoted = g_string_new(NULL);
			rdd_jsonpath_append_quoted(quoted, s, len);
			rdd_jsonpath_parser_fail(p, offset, error,
						 too_big ? "array index %s is out of range" : "invalid array index %s",
						 quoted->str);
			return NULL;
		}
		n_parts++;
		part_start = i + 1;
	}
	/* as kubectl: [n] is [n:n+1], with the end marked derived so that [-1] means the last */
	step->params[0].known = present[0];
	step->params[0].value = values[0];
	if (n_parts == 1) {
		if (!present[0]) {
			rdd_jsonpath_parser_fail(p, offset, error, "empty array index");
			return NULL;
		}
		step->params[1].known = TRUE;
		step->params[1].derived = TRUE;
		step->params[1].value = values[0] + 1;
	} else {
		step->params[1].known = present[1];
		step->params[1].value = values[1];
		step->params[2].known = n_parts == 3 && present[2];
		step->params[2].value = values[2];
	}
	return g_steal_pointer(&step);
}

/* the end of a bracket started at p->pos: the offset of its ']', skipping quoted strings */
static gboolean
rdd_jsonpath_parser_find_bracket_end(RddJsonPathParser *p, gsize *end, GError **error)
{
	gsize start = p->pos;

	for (gsize i = p->pos + 1; i < p->len; i++) {
		gchar c = p->text[i];
		if (c == ']') {
			*end = i;
			return TRUE;
		}
		if (c == '\'' || c == '"') {
			for (i++; i < p->len && p->text[i] != c; i++) {
				if (p->text[i] == '\\')
					i++;
			}
			if (i >= p->len)
				break;
		}
	}
	rdd_jsonpath_parser_fail(p, start, error, "unterminated array");
	return FALSE;
}

/* `[...]`: an index, slice, `*`, quoted member name, or a union of those */
static gboolean
rdd_jsonpath_parser_bracket(RddJsonPathParser *p, GPtrArray *steps, GError **error)
{
	gsize open = p->pos;
	gsize close = 0;
	g_autoptr(GPtrArray) items = rdd_jsonpath_steps_new();

	if (!rdd_jsonpath_parser_find_bracket_end(p, &close, error))
		return FALSE;
	p->pos = open + 1;
	for (;;) {
		gsize item_start;
		rdd_jsonpath_parser_skip_ws(p);
		item_start = p->pos;
		if (p->pos < close && (p->text[p->pos] == '\'' || p->text[p->pos] == '"')) {
			RddJsonPathStep *step;
			g_autofree gchar *name = rdd_jsonpath_parser_quoted(p, error);
			if (name == NULL)
				return FALSE;
			step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_FIELD, item_start);
			step->name = g_steal_pointer(&name);
			g_ptr_array_add(items, step);
			rdd_jsonpath_parser_skip_ws(p);
		} else {
			gsize item_end = item_start;
			RddJsonPathStep *step;
			while (item_end < close && p->text[item_end] != ',')
				item_end++;
			p->pos = item_end;
			while (item_end > item_start && rdd_jsonpath_is_space(p->text[item_end - 1]))
				item_end--;
			if (item_end - item_start == 1 && p->text[item_start] == '*') {
				/* [*] is every element: a slice with no bounds */
				step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_SLICE, item_start);
			} else {
				step = rdd_jsonpath_parser_slice(p, p->text + item_start,
								 item_end - item_start, item_start, error);
				if (step == NULL)
					return FALSE;
			}
			g_ptr_array_add(items, step);
		}
		if (p->pos == close)
			break;
		if (p->text[p->pos] != ',') {
			g_autofree gchar *what =
				rdd_jsonpath_describe_char(p->text + p->pos, p->len - p->pos);
			rdd_jsonpath_parser_fail(p, p->pos, error,
						 "unexpected %s in array index, expected ',' or ']'", what);
			return FALSE;
		}
		p->pos++;
	}
	p->pos = close + 1;
	if (items->len == 1) {
		g_ptr_array_add(steps, g_ptr_array_steal_index(items, 0));
	} else {
		RddJsonPathStep *step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_UNION, open);
		step->branches = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
		for (guint i = 0; i < items->len; i++) {
			GPtrArray *branch = rdd_jsonpath_steps_new();
			g_ptr_array_add(branch, g_steal_pointer(&items->pdata[i]));
			g_ptr_array_add(step->branches, branch);
		}
		g_ptr_array_add(steps, step);
	}
	return TRUE;
}

static gboolean
rdd_jsonpath_parser_steps(RddJsonPathParser *p, GPtrArray *steps, RddJsonPathContext ctx, GError **error);

/* `[?(left op right)]` or `[?(path)]` */
static gboolean
rdd_jsonpath_parser_filter(RddJsonPathParser *p, GPtrArray *steps, GError **error)
{
	gsize open = p->pos;
	g_autoptr(RddJsonPathStep) step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_FILTER, open);

	if (p->depth >= RDD_JSONPATH_MAX_NESTING) {
		rdd_jsonpath_parser_fail(p, open, error, "filters nested more than %u deep", RDD_JSONPATH_MAX_NESTING);
		return FALSE;
	}
	p->depth++;
	p->pos += 3;
	step->left = rdd_jsonpath_steps_new();
	if (!rdd_jsonpath_parser_steps(p, step->left, RDD_JSONPATH_CONTEXT_FILTER, error))
		return FALSE;
	rdd_jsonpath_parser_skip_ws(p);
	if (p->pos < p->len && strchr("=!<>", p->text[p->pos]) != NULL) {
		gsize op_start = p->pos;
		gsize op_len;
		while (p->pos < p->len && strchr("=!<>", p->text[p->pos]) != NULL)
			p->pos++;
		op_len = p->pos - op_start;
		if (op_len == 2 && strncmp(p->text + op_start, "==", 2) == 0) {
			step->op = RDD_JSONPATH_OP_EQ;
		} else if (op_len == 2 && strncmp(p->text + op_start, "!=", 2) == 0) {
			step->op = RDD_JSONPATH_OP_NE;
		} else if (op_len == 2 && strncmp(p->text + op_start, "<=", 2) == 0) {
			step->op = RDD_JSONPATH_OP_LE;
		} else if (op_len == 2 && strncmp(p->text + op_start, ">=", 2) == 0) {
			step->op = RDD_JSONPATH_OP_GE;
		} else if (op_len == 1 && p->text[op_start] == '<') {
			step->op = RDD_JSONPATH_OP_LT;
		} else if (op_len == 1 && p->text[op_start] == '>') {
			step->op = RDD_JSONPATH_OP_GT;
		} else {
			rdd_jsonpath_parser_fail(p, op_start, error, "unrecognized filter operator %.*s, expected ==, !=, <, >, <= or >=",
						 (gint)MIN(op_len, 16), p->text + op_start);
			return FALSE;
		}
		step->right = rdd_jsonpath_steps_new();
		rdd_jsonpath_parser_skip_ws(p);
		if (!rdd_jsonpath_parser_steps(p, step->right, RDD_JSONPATH_CONTEXT_FILTER, error))
			return FALSE;
		if (step->right->len == 0) {
			rdd_jsonpath_parser_fail(p, op_start, error, "filter operator without a right operand");
			return FALSE;
		}
		rdd_jsonpath_parser_skip_ws(p);
	} else {
		step->op = RDD_JSONPATH_OP_EXISTS;
	}
	if (p->pos >= p->len || p->text[p->pos] == '}') {
		rdd_jsonpath_parser_fail(p, open, error, "unterminated filter");
		return FALSE;
	}
	if (p->text[p->pos] != ')') {
		g_autofree gchar *what = rdd_jsonpath_describe_char(p->text + p->pos, p->len - p->pos);
		rdd_jsonpath_parser_fail(p, p->pos, error, "unexpected %s in filter, expected ')'", what);
		return FALSE;
	}
	p->pos++;
	if (p->pos >= p->len || p->text[p->pos] != ']') {
		rdd_jsonpath_parser_fail(p, p->pos, error, "unclosed array expect ]");
		return FALSE;
	}
	p->pos++;
	p->depth--;
	g_ptr_array_add(steps, g_steal_pointer(&step));
	return TRUE;
}

/* a number literal, as kubectl's parseNumber: optional sign, digits and dots */
static gboolean
rdd_jsonpath_parser_number(RddJsonPathParser *p, GPtrArray *steps, GError **error)
{
	gsize start = p->pos;
	g_autofree gchar *text = NULL;
	RddJsonPathStep *step;
	gchar *end = NULL;
	gboolean is_int = TRUE;

	if (p->text[p->pos] == '+' || p->text[p->pos] == '-')
		p->pos++;
	while (p->pos < p->len && (g_ascii_isdigit(p->text[p->pos]) || p->text[p->pos] == '.')) {
		if (p->text[p->pos] == '.')
			is_int = FALSE;
		p->pos++;
	}
	text = g_strndup(p->text + start, p->pos - start);
	step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_LITERAL, start);
	step->per_input = TRUE;
	if (is_int) {
		gint64 v;
		errno = 0;
		v = g_ascii_strtoll(text, &end, 10);
		if (end != text && *end == '\0' && errno == 0) {
			step->literal = json_node_init_int(json_node_alloc(), v);
			g_ptr_array_add(steps, step);
			return TRUE;
		}
	}
	{
		gdouble d = g_ascii_strtod(text, &end);
		if (end != text && *end == '\0' && isfinite(d)) {
			step->literal = json_node_init_double(json_node_alloc(), d);
			g_ptr_array_add(steps, step);
			return TRUE;
		}
	}
	rdd_jsonpath_step_free(step);
	{
		g_autoptr(GString) quoted = g_string_new(NULL);
		rdd_jsonpath_append_quoted(quoted, text, strlen(text));
		rdd_jsonpath_parser_fail(p, start, error, "cannot parse number %s", quoted->str);
	}
	return FALSE;
}

/* steps up to the end of the context; an empty list is fine (the current value) */
static gboolean
rdd_jsonpath_parser_steps(RddJsonPathParser *p, GPtrArray *steps, RddJsonPathContext ctx, GError **error)
{
	for (;;) {
		gchar c;
		gsize start;

		rdd_jsonpath_parser_skip_ws(p);
		if (p->pos >= p->len)
			return TRUE;
		c = p->text[p->pos];
		start = p->pos;
		if (c == '}')
			return TRUE;
		if (ctx == RDD_JSONPATH_CONTEXT_FILTER && strchr(")=!<>", c) != NULL)
			return TRUE;
		if (c == '$' || c == '@') {
			p->pos++;
		} else if (c == '.' && p->pos + 1 < p->len && p->text[p->pos + 1] == '.') {
			RddJsonPathStep *last =
				steps->len > 0 ? g_ptr_array_index(steps, steps->len - 1) : NULL;
			if (last != NULL && last->kind == RDD_JSONPATH_STEP_RECURSIVE) {
				rdd_jsonpath_parser_fail(p, start, error, "invalid multiple recursive descent");
				return FALSE;
			}
			g_ptr_array_add(steps, rdd_jsonpath_step_new(RDD_JSONPATH_STEP_RECURSIVE, start));
			p->pos += 2;
			if (p->pos < p->len &&
			    (rdd_jsonpath_is_ident_char(p->text[p->pos]) || p->text[p->pos] == '*' ||
			     p->text[p->pos] == '\\' || (guchar)p->text[p->pos] >= 0x80)) {
				if (!rdd_jsonpath_parser_field(p, steps, ctx, error))
					return FALSE;
			}
		} else if (c == '.') {
			p->pos++;
			if (!rdd_jsonpath_parser_field(p, steps, ctx, error))
				return FALSE;
		} else if (c == '[' && p->pos + 2 < p->len && p->text[p->pos + 1] == '?' &&
			   p->text[p->pos + 2] == '(') {
			if (!rdd_jsonpath_parser_filter(p, steps, error))
				return FALSE;
		} else if (c == '[') {
			if (!rdd_jsonpath_parser_bracket(p, steps, error))
				return FALSE;
		} else if (c == '"' || c == '\'') {
			RddJsonPathStep *step;
			g_autofree gchar *str = rdd_jsonpath_parser_quoted(p, error);
			if (str == NULL)
				return FALSE;
			step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_LITERAL, start);
			step->literal = json_node_init_string(json_node_alloc(), str);
			g_ptr_array_add(steps, step);
		} else if (c == '+' || c == '-' || g_ascii_isdigit(c)) {
			if (!rdd_jsonpath_parser_number(p, steps, error))
				return FALSE;
		} else if (rdd_jsonpath_is_ident_char(c)) {
			RddJsonPathStep *step;
			gsize len;
			while (p->pos < p->len && rdd_jsonpath_is_ident_char(p->text[p->pos]))
				p->pos++;
			len = p->pos - start;
			if ((len == 4 && strncmp(p->text + start, "true", 4) == 0) ||
			    (len == 5 && strncmp(p->text + start, "false", 5) == 0)) {
				step = rdd_jsonpath_step_new(RDD_JSONPATH_STEP_LITERAL, start);
				step->per_input = TRUE;
				step->literal = json_node_init_boolean(json_node_alloc(), len == 4);
				g_ptr_array_add(steps, step);
			} else {
				rdd_jsonpath_parser_fail(p, start, error, "unrecognized identifier %.*s",
							 (gint)MIN(len, RDD_JSONPATH_QUOTE_MAX_LEN),
							 p->text + start);
				return FALSE;
			}
		} else {
			g_autofree gchar *what =
				rdd_jsonpath_describe_char(p->text + p->pos, p->len - p->pos);
			rdd_jsonpath_parser_fail(p, start, error, "unrecognized character in action: %s", what);
			return FALSE;
		}
	}
}

/* whether the text at p->pos is the word @word followed by a non-identifier character */
static gboolean
rdd_jsonpath_parser_at_word(RddJsonPathParser *p, const gchar *word)
{
	gsize n = strlen(word);
	if (p->len - p->pos < n || strncmp(p->text + p->pos, word, n) != 0)
		return FALSE;
	return p->pos + n == p->len || !rdd_jsonpath_is_ident_char(p->text[p->pos + n]);
}

static gboolean
rdd_jsonpath_parser_check_text(RddJsonPathParser *p, GError **error)
{
	const gchar *bad = NULL;

	if (p->len > RDD_JSONPATH_MAX_LENGTH) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "jsonpath is %" G_GSIZE_FORMAT " bytes long, more than the limit of %u",
			    p->len, (guint)RDD_JSONPATH_MAX_LENGTH);
		return FALSE;
	}
	if (!g_utf8_validate(p->text, (gssize)p->len, &bad)) {
		rdd_jsonpath_parser_fail(p, (gsize)(bad - p->text), error,
					 "invalid UTF-8 byte 0x%02X", (guchar)*bad);
		return FALSE;
	}
	return TRUE;
}

static RddJsonPathNode *
rdd_jsonpath_node_new(RddJsonPathNodeKind kind, gsize offset)
{
	RddJsonPathNode *node = g_new0(RddJsonPathNode, 1);
	node->kind = kind;
	node->offset = offset;
	return node;
}

static RddJsonPath *
rdd_jsonpath_new(const gchar *text, GPtrArray *nodes)
{
	RddJsonPath *self = g_new0(RddJsonPath, 1);
	self->ref_count = 1;
	self->text = g_strdup(text);
	self->nodes = g_ptr_array_ref(nodes);
	return self;
}

/* the template grammar: text, `{action}`, `{range path}`, `{end}` */
static GPtrArray *
rdd_jsonpath_parser_template(RddJsonPathParser *p, GError **error)
{
	g_autoptr(GPtrArray) root = rdd_jsonpath_nodes_new();
	g_autoptr(GPtrArray) stack = g_ptr_array_new(); /* bodies; borrowed */

	g_ptr_array_add(stack, root);
	while (p->pos < p->len) {
		GPtrArray *cur = g_ptr_array_index(stack, stack->len - 1);
		const gchar *brace = memchr(p->text + p->pos, '{', p->len - p->pos);
		gsize open = brace != NULL ? (gsize)(brace - p->text) : p->len;
		gboolean is_range = FALSE;
		g_autoptr(GPtrArray) steps = NULL;
		RddJsonPathNode *node;

		if (open > p->pos) {
			g_autofree gchar *text = g_strndup(p->text + p->pos, open - p->pos);
			node = rdd_jsonpath_node_new(RDD_JSONPATH_NODE_TEXT, p->pos);
			node->text = json_node_init_string(json_node_alloc(), text);
			g_ptr_array_add(cur, node);
		}
		if (brace == NULL)
			break;
		p->pos = open + 1;
		rdd_jsonpath_parser_skip_ws(p);
		if (rdd_jsonpath_parser_at_word(p, "end")) {
			gsize at = p->pos;
			p->pos += 3;
			rdd_jsonpath_parser_skip_ws(p);
			if (p->pos >= p->len) {
				rdd_jsonpath_parser_fail(p, open, error, "unclosed action");
				return NULL;
			}
			if (p->text[p->pos] != '}') {
				g_autofree gchar *what =
					rdd_jsonpath_describe_char(p->text + p->pos, p->len - p->pos);
				rdd_jsonpath_parser_fail(p, p->pos, error, "unexpected %s after end", what);
				return NULL;
			}
			if (stack->len == 1) {
				rdd_jsonpath_parser_fail(p, at, error, "not in range, nothing to end");
				return NULL;
			}
			g_ptr_array_remove_index(stack, stack->len - 1);
			p->depth--;
			p->pos++;
			continue;
		}
		if (rdd_jsonpath_parser_at_word(p, "range")) {
			is_range = TRUE;
			p->pos += 5;
		}
		steps = rdd_jsonpath_steps_new();
		if (!rdd_jsonpath_parser_steps(p, steps, RDD_JSONPATH_CONTEXT_ACTION, error))
			return NULL;
		if (p->pos >= p->len) {
			rdd_jsonpath_parser_fail(p, open, error, "unclosed action");
			return NULL;
		}
		p->pos++; /* the '}' */
		node = rdd_jsonpath_node_new(is_range ? RDD_JSONPATH_NODE_RANGE : RDD_JSONPATH_NODE_ACTION, open);
		node->steps = g_steal_pointer(&steps);
		g_ptr_array_add(cur, node);
		if (is_range) {
			if (p->depth >= RDD_JSONPATH_MAX_NESTING) {
				rdd_jsonpath_parser_fail(p, open, error, "ranges nested more than %u deep",
							 RDD_JSONPATH_MAX_NESTING);
				return NULL;
			}
			p->depth++;
			node->body = rdd_jsonpath_nodes_new();
			g_ptr_array_add(stack, node->body);
		}
	}
	return g_steal_pointer(&root);
}

/**
 * rdd_jsonpath_parse_template:
 * @tmpl: a template, e.g. `{range .items[*]}{.metadata.name}{"\n"}{end}`
 * @error: return location for an error
 *
 * Compiles a template as `kubectl -o jsonpath=` takes it: text with actions in braces,
 * `{range path}` ... `{end}` loops, and quoted literals such as `{"\n"}`. Errors are
 * %RDD_ERROR_INVALID and name the byte offset of the problem.
 *
 * Returns: (transfer full): the compiled template, or %NULL on error
 *
 * Since: 0.1
 */
RddJsonPath *
rdd_jsonpath_parse_template(const gchar *tmpl, GError **error)
{
	RddJsonPathParser p = {.text = tmpl};
	g_autoptr(GPtrArray) nodes = NULL;

	g_return_val_if_fail(tmpl != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	p.len = strlen(tmpl);
	if (!rdd_jsonpath_parser_check_text(&p, error))
		return NULL;
	nodes = rdd_jsonpath_parser_template(&p, error);
	if (nodes == NULL)
		return NULL;
	return rdd_jsonpath_new(tmpl, nodes);
}

/**
 * rdd_jsonpath_parse:
 * @expr: an expression, e.g. `.status.conditions[?(@.type=="Ready")].status`
 * @error: return location for an error
 *
 * Compiles one JSONPath expression, as a CRD printer column's `jsonPath` or a
 * `kubectl -o custom-columns=` column has it. The expression may be wrapped in braces
 * (`{.metadata.name}`); a leading member name without a dot (`metadata.name`) is taken as
 * `.metadata.name`, as kubectl's custom columns do. Errors are %RDD_ERROR_INVALID and name the
 * byte offset of the problem.
 *
 * Returns: (transfer full): the compiled expression, or %NULL on error
 *
 * Since: 0.1
 */
RddJsonPath *
rdd_jsonpath_parse(const gchar *expr, GError **error)
{
	RddJsonPathParser p = {.text = expr};
	g_autoptr(GPtrArray) nodes = rdd_jsonpath_nodes_new();
	g_autoptr(GPtrArray) steps = rdd_jsonpath_steps_new();
	RddJsonPathNode *node;
	gsize start;

	g_return_val_if_fail(expr != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	p.len = strlen(expr);
	if (!rdd_jsonpath_parser_check_text(&p, error))
		return NULL;
	rdd_jsonpath_parser_skip_ws(&p);
	start = p.pos;
	if (p.pos < p.len && p.text[p.pos] == '{') {
		p.pos++;
		if (!rdd_jsonpath_parser_steps(&p, steps, RDD_JSONPATH_CONTEXT_ACTION, error))
			return NULL;
		if (p.pos >= p.len) {
			rdd_jsonpath_parser_fail(&p, start, error, "unclosed action");
			return NULL;
		}
		p.pos++;
		rdd_jsonpath_parser_skip_ws(&p);
	} else {
		if (p.pos < p.len && rdd_jsonpath_is_ident_char(p.text[p.pos]) &&
		    !g_ascii_isdigit(p.text[p.pos]) && !rdd_jsonpath_parser_at_word(&p, "true") &&
		    !rdd_jsonpath_parser_at_word(&p, "false")) {
			if (!rdd_jsonpath_parser_field(&p, steps, RDD_JSONPATH_CONTEXT_ACTION, error))
				return NULL;
		}
		if (!rdd_jsonpath_parser_steps(&p, steps, RDD_JSONPATH_CONTEXT_ACTION, error))
			return NULL;
	}
	if (p.pos < p.len) {
		g_autofree gchar *what = rdd_jsonpath_describe_char(p.text + p.pos, p.len - p.pos);
		rdd_jsonpath_parser_fail(&p, p.pos, error, "unexpected %s after the expression", what);
		return NULL;
	}
	node = rdd_jsonpath_node_new(RDD_JSONPATH_NODE_ACTION, start);
	node->steps = g_steal_pointer(&steps);
	g_ptr_array_add(nodes, node);
	return rdd_jsonpath_new(expr, nodes);
}

/**
 * rdd_jsonpath_ref:
 * @self: a compiled expression
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
RddJsonPath *
rdd_jsonpath_ref(RddJsonPath *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * rdd_jsonpath_unref:
 * @self: (transfer full): a compiled expression
 *
 * Drops a reference; the last one frees the expression.
 *
 * Since: 0.1
 */
void
rdd_jsonpath_unref(RddJsonPath *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->ref_count))
		return;
	g_free(self->text);
	g_ptr_array_unref(self->nodes);
	g_free(self);
}

/**
 * rdd_jsonpath_get_text:
 * @self: a compiled expression
 *
 * Returns: the text the expression or template was compiled from
 *
 * Since: 0.1
 */
const gchar *
rdd_jsonpath_get_text(RddJsonPath *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->text;
}

/* evaluation ---------------------------------------------------------------------------------- */

typedef struct {
	RddJsonPath *path;
	RddJsonPathFlags flags;
	guint64 budget;	   /* values that may still be visited or produced */
	GString *out;	   /* execute: the text so far */
	GPtrArray *values; /* eval: every value, borrowed */
} RddJsonPathEval;

static void
rdd_jsonpath_eval_fail(RddJsonPathEval *ctx, gsize offset, GError **error, gint code, const gchar *fmt, ...)
	G_GNUC_PRINTF(5, 6);

static void
rdd_jsonpath_eval_fail(RddJsonPathEval *ctx, gsize offset, GError **error, gint code, const gchar *fmt, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	g_autoptr(GString) str = g_string_new("error executing jsonpath ");

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	rdd_jsonpath_append_quoted(str, ctx->path->text, strlen(ctx->path->text));
	g_string_append_printf(str, " at offset %" G_GSIZE_FORMAT ": %s", offset, msg);
	g_set_error_literal(error, RDD_ERROR, code, str->str);
}

/* takes @n from the budget */
static gboolean
rdd_jsonpath_eval_spend(RddJsonPathEval *ctx, gsize offset, guint64 n, GError **error)
{
	if (ctx->budget < n) {
		ctx->budget = 0;
		rdd_jsonpath_eval_fail(ctx, offset, error, RDD_ERROR_TOO_LARGE,
				       "evaluation visits more than %u values", (guint)RDD_JSONPATH_MAX_VALUES);
		return FALSE;
	}
	ctx->budget -= n;
	return TRUE;
}

static const gchar *
rdd_jsonpath_type_name(JsonNode *node)
{
	GType type;

	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return "object";
	case JSON_NODE_ARRAY:
		return "array";
	case JSON_NODE_NULL:
		return "null";
	default:
		break;
	}
	type = json_node_get_value_type(node);
	if (type == G_TYPE_STRING)
		return "string";
	if (type == G_TYPE_BOOLEAN)
		return "boolean";
	if (type == G_TYPE_INT64)
		return "integer";
	return "number";
}

typedef struct {
	const gchar *key;
	JsonNode *node;
} RddJsonPathMember;

static int
rdd_jsonpath_member_cmp(const void *a, const void *b)
{
	return strcmp(((const RddJsonPathMember *)a)->key, ((const RddJsonPathMember *)b)->key);
}

/* the members of @obj sorted by key; free with g_free() */
static RddJsonPathMember *
rdd_jsonpath_sorted_members(JsonObject *obj, guint *n_members)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *node;
	guint n = json_object_get_size(obj);
	RddJsonPathMember *members = g_new(RddJsonPathMember, MAX(n, 1));
	guint i = 0;

	json_object_iter_init(&iter, obj);
	while (i < n && json_object_iter_next(&iter, &key, &node)) {
		members[i].key = key;
		members[i].node = node;
		i++;
	}
	qsort(members, i, sizeof(RddJsonPathMember), rdd_jsonpath_member_cmp);
	*n_members = i;
	return members;
}

static gboolean
rdd_jsonpath_eval_steps(RddJsonPathEval *ctx, GPtrArray *steps, GPtrArray *input, GPtrArray **output, GError **error);

static gboolean
rdd_jsonpath_eval_field(RddJsonPathEval *ctx, RddJsonPathStep *step, GPtrArray *input, GPtrArray *out, GError **error)
{
	if (input->len == 0)
		return TRUE;
	for (guint i = 0; i < input->len; i++) {
		JsonNode *v = g_ptr_array_index(input, i);
		JsonNode *member;
		if (!JSON_NODE_HOLDS_OBJECT(v))
			continue;
		member = json_object_get_member(json_node_get_object(v), step->name);
		if (member == NULL)
			continue;
		if (!rdd_jsonpath_eval_spend(ctx, step->offset, 1, error))
			return FALSE;
		g_ptr_array_add(out, member);
	}
	if (out->len == 0 && (ctx->flags & RDD_JSONPATH_FLAG_STRICT) != 0) {
		g_autoptr(GString) name = g_string_new(NULL);
		gboolean plain = step->name[0] != '\0' && strlen(step->name) <= RDD_JSONPATH_QUOTE_MAX_LEN;
		for (const gchar *q = step->name; *q != '\0' && plain; q++)
			plain = (guchar)*q > 0x20 && *q != '"' && *q != '\\' && *q != 0x7F;
		/* kubectl says "<name> is not found"; quotes show empty and odd names */
		if (plain)
			g_string_append(name, step->name);
		else
			rdd_jsonpath_append_quoted(name, step->name, strlen(step->name));
		rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_NOT_FOUND,
				       "%s is not found", name->str);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_jsonpath_eval_children(RddJsonPathEval *ctx, RddJsonPathStep *step, JsonNode *v, GPtrArray *out, GError **error)
{
	if (JSON_NODE_HOLDS_OBJECT(v)) {
		guint n = 0;
		g_autofree RddJsonPathMember *members =
			rdd_jsonpath_sorted_members(json_node_get_object(v), &n);
		if (!rdd_jsonpath_eval_spend(ctx, step->offset, n, error))
			return FALSE;
		for (guint j = 0; j < n; j++)
			g_ptr_array_add(out, members[j].node);
	} else if (JSON_NODE_HOLDS_ARRAY(v)) {
		JsonArray *arr = json_node_get_array(v);
		guint n = json_array_get_length(arr);
		if (!rdd_jsonpath_eval_spend(ctx, step->offset, n, error))
			return FALSE;
		for (guint j = 0; j < n; j++)
			g_ptr_array_add(out, json_array_get_element(arr, j));
	}
	return TRUE;
}

/* `..`: each non-empty object or array, then those below it, in pre-order; iterative */
static gboolean
rdd_jsonpath_eval_recursive(RddJsonPathEval *ctx, RddJsonPathStep *step, GPtrArray *input, GPtrArray *out, GError **error)
{
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	g_autoptr(GPtrArray) children = g_ptr_array_new();

	for (guint i = 0; i < input->len; i++) {
		g_ptr_array_add(stack, g_ptr_array_index(input, i));
		while (stack->len > 0) {
			JsonNode *v = g_ptr_array_steal_index(stack, stack->len - 1);
			gboolean nonempty = (JSON_NODE_HOLDS_OBJECT(v) &&
					     json_object_get_size(json_node_get_object(v)) > 0) ||
					    (JSON_NODE_HOLDS_ARRAY(v) &&
					     json_array_get_length(json_node_get_array(v)) > 0);
			if (!nonempty)
				continue;
			if (!rdd_jsonpath_eval_spend(ctx, step->offset, 1, error))
				return FALSE;
			g_ptr_array_add(out, v);
			g_ptr_array_set_size(children, 0);
			if (!rdd_jsonpath_eval_children(ctx, step, v, children, error))
				return FALSE;
			for (guint j = children->len; j > 0; j--)
				g_ptr_array_add(stack, g_ptr_array_index(children, j - 1));
		}
	}
	return TRUE;
}

static gboolean
rdd_jsonpath_eval_slice(RddJsonPathEval *ctx, RddJsonPathStep *step, GPtrArray *input, GPtrArray *out, GError **error)
{
	for (guint i = 0; i < input->len; i++) {
		JsonNode *v = g_ptr_array_index(input, i);
		JsonArray *arr;
		gint64 len;
		gint64 start = step->params[0].value;
		gint64 end = step->params[1].value;
		gint64 stride = 1;

		if (JSON_NODE_HOLDS_NULL(v))
			continue;
		if (!JSON_NODE_HOLDS_ARRAY(v)) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "%s is not array or slice", rdd_jsonpath_type_name(v));
			return FALSE;
		}
		arr = json_node_get_array(v);
		len = json_array_get_length(arr);
		/* kubectl's evalArray, step by step */
		if (!step->params[0].known)
			start = 0;
		if (start < 0)
			start += len;
		if (!step->params[1].known)
			end = len;
		if (end < 0 || (end == 0 && step->params[1].derived))
			end += len;
		if (end == start)
			continue;
		if (start >= len || start < 0) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "array index out of bounds: index %" G_GINT64_FORMAT
					       ", length %" G_GINT64_FORMAT,
					       start, len);
			return FALSE;
		}
		if (end > len || end < 0) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "array index out of bounds: index %" G_GINT64_FORMAT
					       ", length %" G_GINT64_FORMAT,
					       end - 1, len);
			return FALSE;
		}
		if (start > end) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "starting index %" G_GINT64_FORMAT
					       " is greater than ending index %" G_GINT64_FORMAT,
					       start, end);
			return FALSE;
		}
		if (step->params[2].known) {
			if (step->params[2].value <= 0) {
				rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
						       "step must be > 0");
				return FALSE;
			}
			stride = step->params[2].value;
		}
		if (!rdd_jsonpath_eval_spend(ctx, step->offset,
					     (guint64)((end - start + stride - 1) / stride), error))
			return FALSE;
		for (gint64 j = start; j < end; j += stride)
			g_ptr_array_add(out, json_array_get_element(arr, (guint)j));
	}
	return TRUE;
}

typedef enum {
	RDD_JSONPATH_CLASS_NULL,
	RDD_JSONPATH_CLASS_BOOLEAN,
	RDD_JSONPATH_CLASS_NUMBER,
	RDD_JSONPATH_CLASS_STRING,
	RDD_JSONPATH_CLASS_CONTAINER,
} RddJsonPathClass;

static RddJsonPathClass
rdd_jsonpath_classify(JsonNode *v)
{
	GType type;

	switch (json_node_get_node_type(v)) {
	case JSON_NODE_OBJECT:
	case JSON_NODE_ARRAY:
		return RDD_JSONPATH_CLASS_CONTAINER;
	case JSON_NODE_NULL:
		return RDD_JSONPATH_CLASS_NULL;
	default:
		break;
	}
	type = json_node_get_value_type(v);
	if (type == G_TYPE_STRING)
		return RDD_JSONPATH_CLASS_STRING;
	if (type == G_TYPE_BOOLEAN)
		return RDD_JSONPATH_CLASS_BOOLEAN;
	if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
		return RDD_JSONPATH_CLASS_NUMBER;
	return RDD_JSONPATH_CLASS_NULL;
}

/* -1, 0 or 1 as numbers compare; integers exactly, mixed as doubles */
static gint
rdd_jsonpath_compare_numbers(JsonNode *a, JsonNode *b)
{
	if (json_node_get_value_type(a) == G_TYPE_INT64 && json_node_get_value_type(b) == G_TYPE_INT64) {
		gint64 x = json_node_get_int(a);
		gint64 y = json_node_get_int(b);
		return x < y ? -1 : x > y ? 1 : 0;
	} else {
		gdouble x = json_node_get_value_type(a) == G_TYPE_INT64 ? (gdouble)json_node_get_int(a) :
									  json_node_get_double(a);
		gdouble y = json_node_get_value_type(b) == G_TYPE_INT64 ? (gdouble)json_node_get_int(b) :
									  json_node_get_double(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
}

/* compares as Go's text/template eq, ne, lt, gt, le and ge do on JSON values */
static gboolean
rdd_jsonpath_compare(RddJsonPathEval *ctx, RddJsonPathStep *step, JsonNode *a, JsonNode *b, gboolean *pass, GError **error)
{
	RddJsonPathClass ca = rdd_jsonpath_classify(a);
	RddJsonPathClass cb = rdd_jsonpath_classify(b);
	gint cmp;

	if (ca == RDD_JSONPATH_CLASS_NULL || cb == RDD_JSONPATH_CLASS_NULL ||
	    ca == RDD_JSONPATH_CLASS_CONTAINER || cb == RDD_JSONPATH_CLASS_CONTAINER) {
		rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
				       "invalid type for comparison: %s and %s",
				       rdd_jsonpath_type_name(a), rdd_jsonpath_type_name(b));
		return FALSE;
	}
	if (ca != cb) {
		rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
				       "incompatible types for comparison: %s and %s",
				       rdd_jsonpath_type_name(a), rdd_jsonpath_type_name(b));
		return FALSE;
	}
	if (ca == RDD_JSONPATH_CLASS_BOOLEAN) {
		if (step->op != RDD_JSONPATH_OP_EQ && step->op != RDD_JSONPATH_OP_NE) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "invalid type for comparison: booleans have no order");
			return FALSE;
		}
		cmp = json_node_get_boolean(a) == json_node_get_boolean(b) ? 0 : 1;
	} else if (ca == RDD_JSONPATH_CLASS_STRING) {
		cmp = strcmp(json_node_get_string(a), json_node_get_string(b));
	} else {
		cmp = rdd_jsonpath_compare_numbers(a, b);
	}
	switch (step->op) {
	case RDD_JSONPATH_OP_EQ:
		*pass = cmp == 0;
		break;
	case RDD_JSONPATH_OP_NE:
		*pass = cmp != 0;
		break;
	case RDD_JSONPATH_OP_LT:
		*pass = cmp < 0;
		break;
	case RDD_JSONPATH_OP_GT:
		*pass = cmp > 0;
		break;
	case RDD_JSONPATH_OP_LE:
		*pass = cmp <= 0;
		break;
	case RDD_JSONPATH_OP_GE:
		*pass = cmp >= 0;
		break;
	default:
		*pass = FALSE;
		break;
	}
	return TRUE;
}

/* evaluates one operand of a filter on @elem: %FALSE with @error on failure, else the one
 * value in @value, or %NULL when the operand has no value */
static gboolean
rdd_jsonpath_eval_operand(RddJsonPathEval *ctx,
			  RddJsonPathStep *step,
			  GPtrArray *operand,
			  JsonNode *elem,
			  JsonNode **value,
			  GError **error)
{
	g_autoptr(GPtrArray) in = g_ptr_array_new();
	g_autoptr(GPtrArray) results = NULL;

	*value = NULL;
	g_ptr_array_add(in, elem);
	if (!rdd_jsonpath_eval_steps(ctx, operand, in, &results, error))
		return FALSE;
	if (results->len > 1) {
		rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
				       "can only compare one element at a time, not %u", results->len);
		return FALSE;
	}
	if (results->len == 1)
		*value = g_ptr_array_index(results, 0);
	return TRUE;
}

static gboolean
rdd_jsonpath_eval_filter(RddJsonPathEval *ctx, RddJsonPathStep *step, GPtrArray *input, GPtrArray *out, GError **error)
{
	for (guint i = 0; i < input->len; i++) {
		JsonNode *v = g_ptr_array_index(input, i);
		JsonArray *arr;

		if (!JSON_NODE_HOLDS_ARRAY(v)) {
			rdd_jsonpath_eval_fail(ctx, step->offset, error, RDD_ERROR_INVALID,
					       "%s is not array or slice and cannot be filtered",
					       rdd_jsonpath_type_name(v));
			return FALSE;
		}
		arr = json_node_get_array(v);
		for (guint j = 0; j < json_array_get_length(arr); j++) {
			JsonNode *elem = json_array_get_element(arr, j);
			JsonNode *left = NULL;
			JsonNode *right = NULL;
			gboolean pass = FALSE;

			if (!rdd_jsonpath_eval_spend(ctx, step->offset, 1, error))
				return FALSE;
			if (step->op == RDD_JSONPATH_OP_EXISTS) {
				/* kubectl ignores evaluation errors here: a missing key is "no" */
				g_autoptr(GPtrArray) in = g_ptr_array_new();
				g_autoptr(GPtrArray) results = NULL;
				g_autoptr(GError) error_local = NULL;
				g_ptr_array_add(in, elem);
				if (!rdd_jsonpath_eval_steps(ctx, step->left, in, &results, &error_local)) {
					if (g_error_matches(error_local, RDD_ERROR, RDD_ERROR_TOO_LARGE)) {
						g_propagate_error(error, g_steal_pointer(&error_local));
						return FALSE;
					}
					continue;
				}
				if (results->len > 0)
					g_ptr_array_add(out, elem);
				continue;
			}
			if (!rdd_jsonpath_eval_operand(ctx, step, step->left, elem, &left, error))
				return FALSE;
			if (left == NULL)
				continue;
			if (!rdd_jsonpath_eval_operand(ctx, step, step->right, elem, &right, error))
				return FALSE;
			if (right == NULL)
				continue;
			if (!rdd_jsonpath_compare(ctx, step, left, right, &pass, error))
				return FALSE;
			if (pass)
				g_ptr_array_add(out, elem);
		}
	}
	return TRUE;
}

static gboolean
rdd_jsonpath_eval_step(RddJsonPathEval *ctx, RddJsonPathStep *step, GPtrArray *input, GPtrArray *out, GError **error)
{
	switch (step->kind) {
	case RDD_JSONPATH_STEP_FIELD:
		return rdd_jsonpath_eval_field(ctx, step, input, out, error);
	case RDD_JSONPATH_STEP_WILDCARD:
		for (guint i = 0; i < input->len; i++) {
			if (!rdd_jsonpath_eval_children(ctx, step, g_ptr_array_index(input, i), out, error))
				return FALSE;
		}
		return TRUE;
	case RDD_JSONPATH_STEP_RECURSIVE:
		return rdd_jsonpath_eval_recursive(ctx, step, input, out, error);
	case RDD_JSONPATH_STEP_SLICE:
		return rdd_jsonpath_eval_slice(ctx, step, input, out, error);
	case RDD_JSONPATH_STEP_UNION:
		for (guint i = 0; i < step->branches->len; i++) {
			g_autoptr(GPtrArray) results = NULL;
			if (!rdd_jsonpath_eval_steps(ctx, g_ptr_array_index(step->branches, i),
						     input, &results, error))
				return FALSE;
			g_ptr_array_extend(out, results, NULL, NULL);
		}
		return TRUE;
	case RDD_JSONPATH_STEP_FILTER:
		return rdd_jsonpath_eval_filter(ctx, step, input, out, error);
	case RDD_JSONPATH_STEP_LITERAL:
		if (!step->per_input) {
			g_ptr_array_add(out, step->literal);
			return TRUE;
		}
		if (!rdd_jsonpath_eval_spend(ctx, step->offset, input->len, error))
			return FALSE;
		for (guint i = 0; i < input->len; i++)
			g_ptr_array_add(out, step->literal);
		return TRUE;
	default:
		g_return_val_if_reached(FALSE);
	}
}

/* maps @input through @steps; *@output holds borrowed nodes */
static gboolean
rdd_jsonpath_eval_steps(RddJsonPathEval *ctx, GPtrArray *steps, GPtrArray *input, GPtrArray **output, GError **error)
{
	g_autoptr(GPtrArray) cur = g_ptr_array_ref(input);

	for (guint i = 0; i < steps->len; i++) {
		g_autoptr(GPtrArray) next = g_ptr_array_new();
		if (!rdd_jsonpath_eval_step(ctx, g_ptr_array_index(steps, i), cur, next, error))
			return FALSE;
		g_ptr_array_unref(cur);
		cur = g_steal_pointer(&next);
	}
	*output = g_steal_pointer(&cur);
	return TRUE;
}

/* printing -------------------------------------------------------------------------------------- */

/**
 * rdd_jsonpath_append_double:
 * @out: the string to append to
 * @value: a number
 *
 * Appends @value as Go's `fmt.Print` formats a `float64` (`%v`): the shortest digits that read
 * back to the same value, in exponent form (`1e+06`, `1.5e-05`) when the decimal exponent is below
 * -4 or at least 6, else in plain form (`123456.7`, `0.0001`, `3`); `NaN`, `+Inf` and `-Inf`.
 * This is how kubectl prints non-integer numbers in templates.
 *
 * Since: 0.1
 */
void
rdd_jsonpath_append_double(GString *out, gdouble value)
{
	gchar buf[64];
	gchar digits[32];
	gsize nd = 0;
	gint exp10;
	const gchar *e;

	g_return_if_fail(out != NULL);

	if (isnan(value)) {
		g_string_append(out, "NaN");
		return;
	}
	if (isinf(value)) {
		g_string_append(out, value > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (signbit(value))
		g_string_append_c(out, '-');
	value = fabs(value);
	if (value == 0) {
		g_string_append_c(out, '0');
		return;
	}
	/* the shortest %e form that reads back the same */
	for (gint prec = 0; prec <= 17; prec++) {
		gchar fmt[8];
		g_snprintf(fmt, sizeof(fmt), "%%.%de", prec);
		g_ascii_formatd(buf, sizeof(buf), fmt, value);
		if (g_ascii_strtod(buf, NULL) == value)
			break;
	}
	/* buf is d[.ddd]e[+-]XX: collect the digits and the exponent */
	e = strchr(buf, 'e');
	if (e == NULL) {
		g_string_append(out, buf);
		return;
	}
	for (const gchar *q = buf; q < e && nd < sizeof(digits) - 1; q++) {
		if (g_ascii_isdigit(*q))
			digits[nd++] = *q;
	}
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp10 = atoi(e + 1);
	if (exp10 < -4 || exp10 >= 6) {
		g_string_append_c(out, digits[0]);
		if (nd > 1) {
			g_string_append_c(out, '.');
			g_string_append(out, digits + 1);
		}
		g_string_append_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', ABS(exp10));
		return;
	}
	if (exp10 < 0) {
		g_string_append(out, "0.");
		for (gint i = -1; i > exp10; i--)
			g_string_append_c(out, '0');
		g_string_append(out, digits);
		return;
	}
	/* 0 <= exp10 < 6: the point goes after exp10 + 1 digits */
	for (gint i = 0; i <= exp10; i++)
		g_string_append_c(out, (gsize)i < nd ? digits[i] : '0');
	if ((gsize)exp10 + 1 < nd) {
		g_string_append_c(out, '.');
		g_string_append(out, digits + exp10 + 1);
	}
}

/**
 * rdd_jsonpath_append_value:
 * @out: the string to append to
 * @value: (nullable): a value
 *
 * Appends @value as kubectl's JSONPath printer does: a string as it is, an integer in decimal,
 * another number as rdd_jsonpath_append_double(), `true`, `false`, `null` (also for %NULL), and
 * an object or array as compact JSON with sorted keys (rdd_json_write()).
 *
 * Since: 0.1
 */
void
rdd_jsonpath_append_value(GString *out, JsonNode *value)
{
	GType type;

	g_return_if_fail(out != NULL);

	if (value == NULL || JSON_NODE_HOLDS_NULL(value)) {
		g_string_append(out, "null");
		return;
	}
	if (!JSON_NODE_HOLDS_VALUE(value)) {
		rdd_json_write(out, value);
		return;
	}
	type = json_node_get_value_type(value);
	if (type == G_TYPE_STRING)
		g_string_append(out, json_node_get_string(value));
	else if (type == G_TYPE_INT64)
		g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(value));
	else if (type == G_TYPE_DOUBLE)
		rdd_jsonpath_append_double(out, json_node_get_double(value));
	else if (type == G_TYPE_BOOLEAN)
		g_string_append(out, json_node_get_boolean(value) ? "true" : "false");
	else
		g_string_append(out, "null");
}

/**
 * rdd_jsonpath_format_value:
 * @value: (nullable): a value
 *
 * Formats one value as rdd_jsonpath_append_value() does.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_jsonpath_format_value(JsonNode *value)
{
	GString *out = g_string_new(NULL);
	rdd_jsonpath_append_value(out, value);
	return g_string_free(out, FALSE);
}

/* the values of one action: printed space-separated, or collected */
static gboolean
rdd_jsonpath_eval_emit(RddJsonPathEval *ctx, gsize offset, GPtrArray *values, GError **error)
{
	if (ctx->values != NULL) {
		if (!rdd_jsonpath_eval_spend(ctx, offset, values->len, error))
			return FALSE;
		g_ptr_array_extend(ctx->values, values, NULL, NULL);
		return TRUE;
	}
	for (guint i = 0; i < values->len; i++) {
		if (i > 0)
			g_string_append_c(ctx->out, ' ');
		rdd_jsonpath_append_value(ctx->out, g_ptr_array_index(values, i));
		if (ctx->out->len > RDD_JSONPATH_MAX_OUTPUT) {
			rdd_jsonpath_eval_fail(ctx, offset, error, RDD_ERROR_TOO_LARGE,
					       "output is larger than %u bytes", (guint)RDD_JSONPATH_MAX_OUTPUT);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rdd_jsonpath_eval_nodes(RddJsonPathEval *ctx, GPtrArray *nodes, JsonNode *cur, GError **error)
{
	for (guint i = 0; i < nodes->len; i++) {
		RddJsonPathNode *node = g_ptr_array_index(nodes, i);
		g_autoptr(GPtrArray) input = g_ptr_array_new();
		g_autoptr(GPtrArray) results = NULL;

		if (node->kind == RDD_JSONPATH_NODE_TEXT) {
			g_ptr_array_add(input, node->text);
			if (!rdd_jsonpath_eval_emit(ctx, node->offset, input, error))
				return FALSE;
			continue;
		}
		g_ptr_array_add(input, cur);
		if (!rdd_jsonpath_eval_steps(ctx, node->steps, input, &results, error))
			return FALSE;
		if (node->kind == RDD_JSONPATH_NODE_ACTION) {
			if (!rdd_jsonpath_eval_emit(ctx, node->offset, results, error))
				return FALSE;
			continue;
		}
		for (guint j = 0; j < results->len; j++) {
			if (!rdd_jsonpath_eval_spend(ctx, node->offset, 1, error))
				return FALSE;
			if (!rdd_jsonpath_eval_nodes(ctx, node->body, g_ptr_array_index(results, j), error))
				return FALSE;
		}
	}
	return TRUE;
}

/**
 * rdd_jsonpath_eval_full:
 * @self: a compiled expression or template
 * @root: the document
 * @flags: how to treat missing keys
 * @error: return location for an error
 *
 * Evaluates @self on @root. For an expression, the result is the list of values it selects, in
 * order; for a template, the values of all its actions (and its text, as strings) in the order
 * the template would print them. The values are shared with @root (and with @self, for
 * literals): do not change them.
 *
 * Errors are %RDD_ERROR_NOT_FOUND for a missing key with %RDD_JSONPATH_FLAG_STRICT,
 * %RDD_ERROR_TOO_LARGE beyond %RDD_JSONPATH_MAX_VALUES, and %RDD_ERROR_INVALID for the rest
 * (an index out of bounds, a filter on a non-array, a comparison of different types); each
 * names the byte offset of the failing step.
 *
 * Returns: (transfer full) (element-type JsonNode): the values, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
rdd_jsonpath_eval_full(RddJsonPath *self, JsonNode *root, RddJsonPathFlags flags, GError **error)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	GPtrArray *result;
	RddJsonPathEval ctx = {
		.path = self,
		.flags = flags,
		.budget = RDD_JSONPATH_MAX_VALUES,
		.values = values,
	};

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(root != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rdd_jsonpath_eval_nodes(&ctx, self->nodes, root, error))
		return NULL;
	result = g_ptr_array_new_full(values->len, (GDestroyNotify)json_node_unref);
	for (guint i = 0; i < values->len; i++)
		g_ptr_array_add(result, json_node_ref(g_ptr_array_index(values, i)));
	return result;
}

/**
 * rdd_jsonpath_eval:
 * @self: a compiled expression
 * @root: the document
 *
 * Evaluates @self on @root as the API server evaluates a printer column: missing keys give no
 * value, and an evaluation error (an index out of bounds, say) gives no values either.
 *
 * Returns: (transfer full) (element-type JsonNode): the values, in order; possibly empty
 *
 * Since: 0.1
 */
GPtrArray *
rdd_jsonpath_eval(RddJsonPath *self, JsonNode *root)
{
	g_autoptr(GError) error_local = NULL;
	GPtrArray *values;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(root != NULL, NULL);

	values = rdd_jsonpath_eval_full(self, root, RDD_JSONPATH_FLAG_NONE, &error_local);
	if (values == NULL) {
		g_debug("%s", error_local->message);
		return g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
	}
	return values;
}

/**
 * rdd_jsonpath_execute:
 * @self: a compiled template or expression
 * @root: the document
 * @flags: how to treat missing keys
 * @error: return location for an error
 *
 * Prints @root through the template @self as `kubectl -o jsonpath=` does: text as it is, and
 * the values of each action separated by spaces (see rdd_jsonpath_append_value()). Errors are
 * those of rdd_jsonpath_eval_full(), and %RDD_ERROR_TOO_LARGE beyond %RDD_JSONPATH_MAX_OUTPUT.
 *
 * Returns: (transfer full): the text, or %NULL on error
 *
 * Since: 0.1
 */
gchar *
rdd_jsonpath_execute(RddJsonPath *self, JsonNode *root, RddJsonPathFlags flags, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	RddJsonPathEval ctx = {
		.path = self,
		.flags = flags,
		.budget = RDD_JSONPATH_MAX_VALUES,
		.out = out,
	};

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(root != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rdd_jsonpath_eval_nodes(&ctx, self->nodes, root, error))
		return NULL;
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * rdd_jsonpath_execute_template:
 * @tmpl: a template, e.g. `{range .items[*]}{.metadata.name}{"\n"}{end}`
 * @root: the document
 * @error: return location for an error
 *
 * Compiles @tmpl with rdd_jsonpath_parse_template() and prints @root through it with
 * rdd_jsonpath_execute(), with kubectl's default `--allow-missing-template-keys=true`: a key
 * that is missing prints nothing. Use rdd_jsonpath_execute() with %RDD_JSONPATH_FLAG_STRICT for
 * `<name> is not found` errors.
 *
 * Returns: (transfer full): the text, or %NULL on error
 *
 * Since: 0.1
 */
gchar *
rdd_jsonpath_execute_template(const gchar *tmpl, JsonNode *root, GError **error)
{
	g_autoptr(RddJsonPath) self = NULL;

	g_return_val_if_fail(tmpl != NULL, NULL);
	g_return_val_if_fail(root != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = rdd_jsonpath_parse_template(tmpl, error);
	if (self == NULL)
		return NULL;
	return rdd_jsonpath_execute(self, root, RDD_JSONPATH_FLAG_NONE, error);
}
