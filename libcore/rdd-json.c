/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-json.h"
#include "rdd-json-private.h"

/* objects with up to this many members are sorted on the stack when written */
#define RDD_JSON_WRITE_STACK_MEMBERS 32

/* the longest piece of input (number, word) quoted back in an error message */
#define RDD_JSON_QUOTE_MAX 40

/* JSON parser ------------------------------------------------------------------------------- */

typedef struct {
	const guchar *start;
	const guchar *end;
	const guchar *p;
	GString *scratch; /* decoded string contents, reused for every string */
} RddJsonParser;

static JsonNode *rdd_json_parse_value(RddJsonParser *self, guint depth, GError **error);

static void
rdd_json_parser_position(RddJsonParser *self, const guchar *at, guint *line, guint *column)
{
	guint l = 1;
	guint c = 1;

	for (const guchar *q = self->start; q < at && q < self->end; q++) {
		if (*q == '\n') {
			l++;
			c = 1;
		} else if ((*q & 0xC0) != 0x80) {
			/* count characters, not UTF-8 continuation bytes */
			c++;
		}
	}
	*line = l;
	*column = c;
}

static void
rdd_json_parser_set_error(RddJsonParser *self, const guchar *at, GError **error, const gchar *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static void
rdd_json_parser_set_error(RddJsonParser *self, const guchar *at, GError **error, const gchar *fmt, ...)
{
	va_list args;
	guint line = 0;
	guint column = 0;
	g_autofree gchar *msg = NULL;

	va_start(args, fmt);
	msg = g_strdup_vprintf(fmt, args);
	va_end(args);
	rdd_json_parser_position(self, at, &line, &column);
	g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
		    "invalid JSON at line %u column %u: %s", line, column, msg);
}

/* returns the length of the valid UTF-8 sequence at @p, or 0 if it is not valid UTF-8;
 * overlong forms, surrogates and code points above U+10FFFF are invalid */
static inline guint
rdd_json_utf8_sequence_length(const guchar *p, const guchar *end)
{
	guchar c = p[0];
	gsize avail = end - p;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		if (avail < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		guchar lo = 0x80;
		guchar hi = 0xBF;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		guchar lo = 0x80;
		guchar hi = 0xBF;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* a human description of the byte(s) at @at, e.g. `'x'`, `end of input`, `byte 0xFF` */
static gchar *
rdd_json_parser_describe(RddJsonParser *self, const guchar *at)
{
	guint len;

	if (at >= self->end)
		return g_strdup("end of input");
	if (*at == '\0')
		return g_strdup("NUL byte 0x00");
	if (*at < 0x20 || *at == 0x7F)
		return g_strdup_printf("control character 0x%02X", *at);
	if (*at < 0x80)
		return g_strdup_printf("'%c'", *at);
	len = rdd_json_utf8_sequence_length(at, self->end);
	if (len == 0)
		return g_strdup_printf("invalid UTF-8 byte 0x%02X", *at);
	return g_strdup_printf("'%.*s'", (gint)len, (const gchar *)at);
}

/* quotes a piece of the input (ASCII only by construction), shortened if very long */
static gchar *
rdd_json_parser_quote(const guchar *from, const guchar *to)
{
	gsize len = to - from;
	if (len > RDD_JSON_QUOTE_MAX)
		return g_strdup_printf("%.*s...", RDD_JSON_QUOTE_MAX - 8, (const gchar *)from);
	return g_strndup((const gchar *)from, len);
}

static inline void
rdd_json_parser_skip_ws(RddJsonParser *self)
{
	const guchar *p = self->p;
	while (p < self->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	self->p = p;
}

/* an error for a byte where a value was expected, with hints for common non-JSON forms */
static void
rdd_json_parser_error_value(RddJsonParser *self, const gchar *where, GError **error)
{
	const guchar *p = self->p;
	g_autofree gchar *found = NULL;

	if (p < self->end) {
		if (*p == '\'') {
			rdd_json_parser_set_error(self, p, error,
						  "single quotes are not valid JSON, strings and keys "
						  "use double quotes");
			return;
		}
		if (*p == '/') {
			rdd_json_parser_set_error(self, p, error, "comments are not allowed in JSON");
			return;
		}
		if (*p == '+') {
			rdd_json_parser_set_error(self, p, error, "a number cannot start with '+'");
			return;
		}
		if (*p == '.') {
			rdd_json_parser_set_error(self, p, error, "a number must have a digit before '.'");
			return;
		}
		if (g_ascii_isalpha(*p) || *p == '_') {
			const guchar *q = p;
			g_autofree gchar *word = NULL;
			while (q < self->end && (g_ascii_isalnum(*q) || *q == '_'))
				q++;
			word = rdd_json_parser_quote(p, q);
			if (g_ascii_strcasecmp(word, "nan") == 0 || g_ascii_strcasecmp(word, "infinity") == 0 ||
			    g_ascii_strcasecmp(word, "inf") == 0) {
				rdd_json_parser_set_error(self, p, error, "%s is not a valid JSON number", word);
				return;
			}
			rdd_json_parser_set_error(self, p, error,
						  "expected %s, found '%s' (values are true, false, "
						  "null, numbers, \"strings\", arrays and objects)",
						  where, word);
			return;
		}
	}
	found = rdd_json_parser_describe(self, p);
	rdd_json_parser_set_error(self, p, error, "expected %s, found %s", where, found);
}

static gboolean
rdd_json_parser_hex4(const guchar *p, const guchar *end, gunichar *out)
{
	gunichar v = 0;
	if (end - p < 4)
		return FALSE;
	for (guint i = 0; i < 4; i++) {
		gint d = g_ascii_xdigit_value(p[i]);
		if (d < 0)
			return FALSE;
		v = (v << 4) | (gunichar)d;
	}
	*out = v;
	return TRUE;
}

/* bytes that end a run of plain string characters: quote, backslash, controls, non-ASCII */
/* clang-format off */
static const guint8 rdd_json_parse_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x80 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x90 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xA0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xB0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xC0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xD0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xE0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xF0 */
};
/* clang-format on */

/* parses the string at self->p (which is a '"') into self->scratch */
static gboolean
rdd_json_parse_string_raw(RddJsonParser *self, GError **error)
{
	const guchar *open = self->p;
	const guchar *p = self->p + 1;
	const guchar *end = self->end;
	const guchar *run = p;
	GString *buf = self->scratch;

	g_string_truncate(buf, 0);
	for (;;) {
		guchar c;

		while (p < end && !rdd_json_parse_special[*p])
			p++;
		if (p >= end) {
			rdd_json_parser_set_error(self, open, error,
						  "unterminated string, expected a closing '\"' "
						  "before the end of input");
			return FALSE;
		}
		c = *p;
		if (c == '"') {
			rdd_json_append(buf, (const gchar *)run, p - run);
			self->p = p + 1;
			return TRUE;
		}
		if (c == '\\') {
			const guchar *esc = p;
			gunichar cp = 0;

			rdd_json_append(buf, (const gchar *)run, p - run);
			p++;
			if (p >= end) {
				rdd_json_parser_set_error(self, open, error,
							  "unterminated string, expected a closing "
							  "'\"' before the end of input");
				return FALSE;
			}
			switch (*p) {
			case '"':
			case '\\':
			case '/':
				g_string_append_c(buf, (gchar)*p);
				p++;
				break;
			case 'b':
				g_string_append_c(buf, '\b');
				p++;
				break;
			case 'f':
				g_string_append_c(buf, '\f');
				p++;
				break;
			case 'n':
				g_string_append_c(buf, '\n');
				p++;
				break;
			case 'r':
				g_string_append_c(buf, '\r');
				p++;
				break;
			case 't':
				g_string_append_c(buf, '\t');
				p++;
				break;
			case 'u':
				if (!rdd_json_parser_hex4(p + 1, end, &cp)) {
					rdd_json_parser_set_error(self, esc, error,
								  "invalid \\u escape in string, "
								  "expected 4 hex digits");
					return FALSE;
				}
				p += 5;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					gunichar lo = 0;
					if (end - p < 2 || p[0] != '\\' || p[1] != 'u' ||
					    !rdd_json_parser_hex4(p + 2, end, &lo) || lo < 0xDC00 ||
					    lo > 0xDFFF) {
						rdd_json_parser_set_error(self, esc, error,
									  "lone surrogate \\u%04X in string, a high "
									  "surrogate must be followed by a low "
									  "surrogate \\uDC00-\\uDFFF",
									  cp);
						return FALSE;
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					rdd_json_parser_set_error(self, esc, error,
								  "lone surrogate \\u%04X in string, a "
								  "low surrogate must follow a high "
								  "surrogate \\uD800-\\uDBFF",
								  cp);
					return FALSE;
				} else if (cp == 0) {
					rdd_json_parser_set_error(self, esc, error,
								  "\\u0000 (NUL) is not supported in "
								  "strings");
					return FALSE;
				}
				g_string_append_unichar(buf, cp);
				break;
			default: {
				g_autofree gchar *found = rdd_json_parser_describe(self, p);
				rdd_json_parser_set_error(self, esc, error,
							  "invalid escape \\ followed by %s in string, "
							  "valid escapes are \\\" \\\\ \\/ \\b \\f \\n "
							  "\\r \\t \\uXXXX",
							  found);
				return FALSE;
			}
			}
			run = p;
			continue;
		}
		if (c < 0x20) {
			if (c == '\0') {
				rdd_json_parser_set_error(self, p, error, "NUL byte in string");
			} else {
				rdd_json_parser_set_error(self, p, error,
							  "control character 0x%02X in string must "
							  "be escaped",
							  c);
			}
			return FALSE;
		}
		/* non-ASCII: validate the UTF-8 sequence */
		{
			guint len = rdd_json_utf8_sequence_length(p, end);
			if (len == 0) {
				rdd_json_parser_set_error(self, p, error,
							  "invalid UTF-8 byte 0x%02X in string", c);
				return FALSE;
			}
			p += len;
		}
	}
}

static JsonNode *
rdd_json_parse_string(RddJsonParser *self, GError **error)
{
	JsonNode *node;
	if (!rdd_json_parse_string_raw(self, error))
		return NULL;
	node = json_node_alloc();
	json_node_init_string(node, self->scratch->str);
	return node;
}

static JsonNode *
rdd_json_parse_number(RddJsonParser *self, GError **error)
{
	const guchar *start = self->p;
	const guchar *p = self->p;
	const guchar *end = self->end;
	gboolean negative = FALSE;
	gboolean integer = TRUE;

	if (*p == '-') {
		negative = TRUE;
		p++;
	}
	if (p >= end || !g_ascii_isdigit(*p)) {
		g_autofree gchar *found = rdd_json_parser_describe(self, p);
		if (p < end && *p == 'I') {
			rdd_json_parser_set_error(self, start, error, "-Infinity is not a valid JSON number");
		} else {
			rdd_json_parser_set_error(self, p, error, "expected a digit after '-', found %s", found);
		}
		return NULL;
	}
	if (*p == '0') {
		p++;
		if (p < end && g_ascii_isdigit(*p)) {
			rdd_json_parser_set_error(self, start, error, "leading zeros are not allowed in numbers");
			return NULL;
		}
	} else {
		while (p < end && g_ascii_isdigit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		integer = FALSE;
		p++;
		if (p >= end || !g_ascii_isdigit(*p)) {
			g_autofree gchar *found = rdd_json_parser_describe(self, p);
			rdd_json_parser_set_error(self, p, error,
						  "expected a digit after '.' in number, found %s", found);
			return NULL;
		}
		while (p < end && g_ascii_isdigit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		integer = FALSE;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !g_ascii_isdigit(*p)) {
			g_autofree gchar *found = rdd_json_parser_describe(self, p);
			rdd_json_parser_set_error(self, p, error, "expected a digit in the exponent of number, found %s",
						  found);
			return NULL;
		}
		while (p < end && g_ascii_isdigit(*p))
			p++;
	}

	if (integer) {
		const guchar *d = negative ? start + 1 : start;
		guint64 limit = negative ? (guint64)G_MAXINT64 + 1 : (guint64)G_MAXINT64;
		guint64 v = 0;
		for (; d < p; d++) {
			guint digit = *d - '0';
			if (v > (limit - digit) / 10) {
				g_autofree gchar *text = rdd_json_parser_quote(start, p);
				rdd_json_parser_set_error(self, start, error,
							  "number %s is out of range for a 64-bit "
							  "integer",
							  text);
				return NULL;
			}
			v = v * 10 + digit;
		}
		self->p = p;
		if (negative)
			return json_node_init_int(json_node_alloc(),
						  v == (guint64)G_MAXINT64 + 1 ? G_MININT64 : -(gint64)v);
		return json_node_init_int(json_node_alloc(), (gint64)v);
	}

	/* g_ascii_strtod() wants a NUL-terminated string, the input may not be */
	{
		gchar buf[64];
		g_autofree gchar *heap = NULL;
		const gchar *text = buf;
		gsize len = p - start;
		gchar *endptr = NULL;
		gdouble v;

		if (len < sizeof(buf)) {
			memcpy(buf, start, len);
			buf[len] = '\0';
		} else {
			heap = g_strndup((const gchar *)start, len);
			text = heap;
		}
		v = g_ascii_strtod(text, &endptr);
		if (endptr != text + len || !isfinite(v)) {
			g_autofree gchar *quoted = rdd_json_parser_quote(start, p);
			rdd_json_parser_set_error(self, start, error,
						  "number %s is out of range for a double", quoted);
			return NULL;
		}
		self->p = p;
		return json_node_init_double(json_node_alloc(), v);
	}
}

static JsonNode *
rdd_json_parse_object(RddJsonParser *self, guint depth, GError **error)
{
	g_autoptr(JsonObject) obj = NULL;
	JsonNode *node;
	const guchar *open = self->p;

	if (depth > RDD_JSON_MAX_DEPTH) {
		rdd_json_parser_set_error(self, open, error, "nesting is deeper than %u levels",
					  (guint)RDD_JSON_MAX_DEPTH);
		return NULL;
	}
	obj = json_object_new();
	self->p++;
	rdd_json_parser_skip_ws(self);
	if (self->p < self->end && *self->p == '}') {
		self->p++;
		node = json_node_alloc();
		return json_node_init_object(node, obj);
	}
	for (;;) {
		gchar keybuf[64];
		g_autofree gchar *keyheap = NULL;
		const gchar *key = keybuf;
		const guchar *key_at;
		JsonNode *value;

		rdd_json_parser_skip_ws(self);
		key_at = self->p;
		if (self->p >= self->end || *self->p != '"') {
			if (self->p < self->end && *self->p == '}') {
				rdd_json_parser_set_error(self, self->p, error, "trailing comma before '}'");
			} else if (self->p < self->end && (*self->p == '\'' || *self->p == '/')) {
				rdd_json_parser_error_value(self, "a string key", error);
			} else {
				g_autofree gchar *found = rdd_json_parser_describe(self, self->p);
				rdd_json_parser_set_error(self, self->p, error,
							  "expected a string key in double quotes, "
							  "found %s",
							  found);
			}
			return NULL;
		}
		if (!rdd_json_parse_string_raw(self, error))
			return NULL;
		if (self->scratch->len < sizeof(keybuf)) {
			memcpy(keybuf, self->scratch->str, self->scratch->len + 1);
		} else {
			keyheap = g_strndup(self->scratch->str, self->scratch->len);
			key = keyheap;
		}
		if (json_object_has_member(obj, key)) {
			g_autoptr(GString) quoted = g_string_new(NULL);
			rdd_json_write_string(quoted, key);
			if (quoted->len > 2 * RDD_JSON_QUOTE_MAX) {
				g_string_truncate(quoted, 2 * RDD_JSON_QUOTE_MAX);
				g_string_append(quoted, "...");
			}
			rdd_json_parser_set_error(self, key_at, error, "duplicate key %s", quoted->str);
			return NULL;
		}
		rdd_json_parser_skip_ws(self);
		if (self->p >= self->end || *self->p != ':') {
			g_autofree gchar *found = rdd_json_parser_describe(self, self->p);
			rdd_json_parser_set_error(self, self->p, error,
						  "expected ':' after object key, found %s", found);
			return NULL;
		}
		self->p++;
		value = rdd_json_parse_value(self, depth, error);
		if (value == NULL)
			return NULL;
		json_object_set_member(obj, key, value);
		rdd_json_parser_skip_ws(self);
		if (self->p < self->end && *self->p == ',') {
			self->p++;
			continue;
		}
		if (self->p < self->end && *self->p == '}') {
			self->p++;
			break;
		}
		{
			g_autofree gchar *found = rdd_json_parser_describe(self, self->p);
			rdd_json_parser_set_error(self, self->p, error,
						  "expected ',' or '}' after object member, found %s", found);
			return NULL;
		}
	}
	node = json_node_alloc();
	return json_node_init_object(node, obj);
}

static JsonNode *
rdd_json_parse_array(RddJsonParser *self, guint depth, GError **error)
{
	g_autoptr(JsonArray) arr = NULL;
	JsonNode *node;
	const guchar *open = self->p;

	if (depth > RDD_JSON_MAX_DEPTH) {
		rdd_json_parser_set_error(self, open, error, "nesting is deeper than %u levels",
					  (guint)RDD_JSON_MAX_DEPTH);
		return NULL;
	}
	arr = json_array_new();
	self->p++;
	rdd_json_parser_skip_ws(self);
	if (self->p < self->end && *self->p == ']') {
		self->p++;
		node = json_node_alloc();
		return json_node_init_array(node, arr);
	}
	for (;;) {
		JsonNode *value;

		rdd_json_parser_skip_ws(self);
		if (self->p < self->end && *self->p == ']') {
			rdd_json_parser_set_error(self, self->p, error, "trailing comma before ']'");
			return NULL;
		}
		value = rdd_json_parse_value(self, depth, error);
		if (value == NULL)
			return NULL;
		json_array_add_element(arr, value);
		rdd_json_parser_skip_ws(self);
		if (self->p < self->end && *self->p == ',') {
			self->p++;
			continue;
		}
		if (self->p < self->end && *self->p == ']') {
			self->p++;
			break;
		}
		{
			g_autofree gchar *found = rdd_json_parser_describe(self, self->p);
			rdd_json_parser_set_error(self, self->p, error,
						  "expected ',' or ']' after array element, found %s", found);
			return NULL;
		}
	}
	node = json_node_alloc();
	return json_node_init_array(node, arr);
}

static gboolean
rdd_json_parse_literal(RddJsonParser *self, const gchar *word, gsize len)
{
	if ((gsize)(self->end - self->p) < len || memcmp(self->p, word, len) != 0)
		return FALSE;
	/* "truex" is caught by the caller as an unexpected 'x' */
	self->p += len;
	return TRUE;
}

/* @depth is the number of arrays and objects enclosing the value */
static JsonNode *
rdd_json_parse_value(RddJsonParser *self, guint depth, GError **error)
{
	rdd_json_parser_skip_ws(self);
	if (self->p >= self->end) {
		rdd_json_parser_error_value(self, "a value", error);
		return NULL;
	}
	switch (*self->p) {
	case '{':
		return rdd_json_parse_object(self, depth + 1, error);
	case '[':
		return rdd_json_parse_array(self, depth + 1, error);
	case '"':
		return rdd_json_parse_string(self, error);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		return rdd_json_parse_number(self, error);
	case 't':
		if (rdd_json_parse_literal(self, "true", 4))
			return json_node_init_boolean(json_node_alloc(), TRUE);
		break;
	case 'f':
		if (rdd_json_parse_literal(self, "false", 5))
			return json_node_init_boolean(json_node_alloc(), FALSE);
		break;
	case 'n':
		if (rdd_json_parse_literal(self, "null", 4))
			return json_node_init_null(json_node_alloc());
		break;
	default:
		break;
	}
	rdd_json_parser_error_value(self, "a value", error);
	return NULL;
}

/**
 * rdd_json_parse:
 * @data: the JSON text
 * @length: the length of @data in bytes, or -1 if it is NUL-terminated
 * @error: (nullable): optional return location for an error
 *
 * Parses one JSON value strictly as RFC 8259 defines it. Unlike json-glib's own parser this
 * rejects empty input, trailing garbage, comments, single quotes, leading zeros, `+1`, `.5`, `1.`,
 * NaN and Infinity, trailing commas, unescaped control characters, invalid escapes, invalid UTF-8,
 * lone surrogates, NUL bytes (including `\u0000`, which a C string cannot hold), a leading byte
 * order mark, duplicate keys and nesting deeper than %RDD_JSON_MAX_DEPTH.
 *
 * Integer literals become `gint64` nodes (out of range is an error, never a wrap-around);
 * numbers with a fraction or an exponent become `gdouble` nodes. Object members keep the order of
 * the input.
 *
 * Errors are %RDD_ERROR_BAD_REQUEST with a message naming the line and column (1-based, in
 * characters) and what was expected and found there.
 *
 * Returns: (transfer full): a new, unsealed node, or %NULL on error
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_parse(const gchar *data, gssize length, GError **error)
{
	RddJsonParser self = {0};
	g_autoptr(GString) scratch = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_return_val_if_fail(data != NULL || length == 0, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (length < 0)
		length = strlen(data);
	scratch = g_string_sized_new(64);
	self.start = (const guchar *)(data != NULL ? data : "");
	self.end = self.start + length;
	self.p = self.start;
	self.scratch = scratch;

	if (length >= 3 && self.p[0] == 0xEF && self.p[1] == 0xBB && self.p[2] == 0xBF) {
		rdd_json_parser_set_error(&self, self.p, error,
					  "a UTF-8 byte order mark (BOM) is not allowed before "
					  "JSON text");
		return NULL;
	}
	rdd_json_parser_skip_ws(&self);
	if (self.p >= self.end) {
		rdd_json_parser_set_error(&self, self.p, error, "%s, expected a JSON value",
					  length == 0 ? "empty input" : "input is only whitespace");
		return NULL;
	}
	node = rdd_json_parse_value(&self, 0, error);
	if (node == NULL)
		return NULL;
	rdd_json_parser_skip_ws(&self);
	if (self.p < self.end && *self.p == '/') {
		rdd_json_parser_set_error(&self, self.p, error, "comments are not allowed in JSON");
		return NULL;
	}
	if (self.p < self.end) {
		g_autofree gchar *found = rdd_json_parser_describe(&self, self.p);
		rdd_json_parser_set_error(&self, self.p, error, "unexpected %s after the JSON value", found);
		return NULL;
	}
	return g_steal_pointer(&node);
}

/* JSON writer ------------------------------------------------------------------------------- */

/* 0: copy as is; 1: needs care (escape or, for >= 0x80, UTF-8 validation) */
/* clang-format off */
static const guint8 rdd_json_write_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, /* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x80 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x90 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xA0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xB0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xC0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xD0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xE0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xF0 */
};
/* clang-format on */

/* whether none of the eight bytes in @word needs care (see rdd_json_write_special), using the
 * bit tricks from "Bit Twiddling Hacks": any byte < 0x20, >= 0x80, or equal to '"', '\\', '<',
 * '>' or '&' */
static inline gboolean
rdd_json_write_word_is_plain(guint64 word)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
	const guint64 highs = ones * 0x80;
	guint64 mask = word & highs;

#define RDD_JSON_HAS_ZERO_BYTE(x) (((x)-ones) & ~(x)&highs)
	mask |= (word - ones * 0x20) & ~word & highs;
	mask |= RDD_JSON_HAS_ZERO_BYTE(word ^ (ones * '"'));
	mask |= RDD_JSON_HAS_ZERO_BYTE(word ^ (ones * '\\'));
	mask |= RDD_JSON_HAS_ZERO_BYTE(word ^ (ones * '<'));
	mask |= RDD_JSON_HAS_ZERO_BYTE(word ^ (ones * '>'));
	mask |= RDD_JSON_HAS_ZERO_BYTE(word ^ (ones * '&'));
#undef RDD_JSON_HAS_ZERO_BYTE
	return mask == 0;
}

/**
 * rdd_json_write_string:
 * @out: the string to append to
 * @str: (nullable): a UTF-8 string; %NULL is written as `""`
 *
 * Appends @str as a quoted JSON string, escaped as Go's encoding/json does: `\"`, `\\`, `\n`,
 * `\r`, `\t`, `\b`, `\f`, other control characters as `\u00XX`, `<`, `>` and `&` as `\u003c`,
 * `\u003e` and `\u0026`, and U+2028 and U+2029 as `\u2028` and `\u2029`. Other non-ASCII UTF-8 is
 * copied unchanged; bytes that are not valid UTF-8 are replaced by `\ufffd`.
 *
 * Since: 0.1
 */
void
rdd_json_write_string(GString *out, const gchar *str)
{
	static const gchar hex[] = "0123456789abcdef";
	const guchar *p = (const guchar *)(str != NULL ? str : "");
	const guchar *end = p + strlen((const gchar *)p);
	const guchar *run;

	g_return_if_fail(out != NULL);

	/* the common case: nothing to escape, and room for it all */
	if (out->len + (gsize)(end - p) + 2 < out->allocated_len) {
		const guchar *q = p;
		while (end - q >= 8) {
			guint64 word;
			memcpy(&word, q, sizeof(word));
			if (!rdd_json_write_word_is_plain(word))
				break;
			q += 8;
		}
		while (q < end && !rdd_json_write_special[*q])
			q++;
		if (q == end) {
			gchar *dst = out->str + out->len;
			gsize len = end - p;
			dst[0] = '"';
			memcpy(dst + 1, p, len);
			dst[len + 1] = '"';
			dst[len + 2] = '\0';
			out->len += len + 2;
			return;
		}
	}

	rdd_json_append_c(out, '"');
	run = p;
	for (;;) {
		guchar c;

		/* skip plain bytes eight at a time, then one at a time up to the special one */
		while (end - p >= 8) {
			guint64 word;
			memcpy(&word, p, sizeof(word));
			if (!rdd_json_write_word_is_plain(word))
				break;
			p += 8;
		}
		while (p < end && !rdd_json_write_special[*p])
			p++;
		if (p >= end)
			break;
		c = *p;
		if (p > run)
			rdd_json_append(out, (const gchar *)run, p - run);
		if (c >= 0x80) {
			guint len = rdd_json_utf8_sequence_length(p, end);
			if (len == 0) {
				rdd_json_append(out, "\\ufffd", 6);
				p++;
			} else if (len == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
				rdd_json_append(out, p[2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
				p += 3;
			} else {
				rdd_json_append(out, (const gchar *)p, len);
				p += len;
			}
			run = p;
			continue;
		}
		switch (c) {
		case '"':
			rdd_json_append(out, "\\\"", 2);
			break;
		case '\\':
			rdd_json_append(out, "\\\\", 2);
			break;
		case '\n':
			rdd_json_append(out, "\\n", 2);
			break;
		case '\r':
			rdd_json_append(out, "\\r", 2);
			break;
		case '\t':
			rdd_json_append(out, "\\t", 2);
			break;
		case '\b':
			rdd_json_append(out, "\\b", 2);
			break;
		case '\f':
			rdd_json_append(out, "\\f", 2);
			break;
		default: {
			gchar esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
			rdd_json_append(out, esc, 6);
			break;
		}
		}
		p++;
		run = p;
	}
	if (p > run)
		rdd_json_append(out, (const gchar *)run, p - run);
	rdd_json_append_c(out, '"');
}

/**
 * rdd_json_write_int:
 * @out: the string to append to
 * @v: an integer
 *
 * Appends @v in decimal, as rdd_json_write() writes an integer node.
 *
 * Since: 0.1
 */
void
rdd_json_write_int(GString *out, gint64 v)
{
	gchar buf[24];
	gchar *q = buf + sizeof(buf);
	guint64 u = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;

	g_return_if_fail(out != NULL);

	do {
		*--q = (gchar)('0' + (u % 10));
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	rdd_json_append(out, q, buf + sizeof(buf) - q);
}

static void
rdd_json_write_double(GString *out, gdouble v)
{
	static const gchar *const formats[] = {"%.15g", "%.16g", "%.17g"};
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

	/* JSON has no NaN or Infinity; only code can put them into a node */
	if (!isfinite(v)) {
		rdd_json_append(out, "null", 4);
		return;
	}
	/* integral values are written as integers, as Kubernetes does: 1.0 -> 1 */
	if (v >= -9223372036854775808.0 && v < 9223372036854775808.0 && v == floor(v)) {
		rdd_json_write_int(out, (gint64)v);
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_ascii_formatd(buf, sizeof(buf), formats[i], v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	rdd_json_append(out, buf, strlen(buf));
}

static void
rdd_json_write_value(GString *out, JsonNode *node)
{
	GType type = json_node_get_value_type(node);

	if (type == G_TYPE_STRING) {
		rdd_json_write_string(out, json_node_get_string(node));
	} else if (type == G_TYPE_INT64) {
		rdd_json_write_int(out, json_node_get_int(node));
	} else if (type == G_TYPE_BOOLEAN) {
		if (json_node_get_boolean(node))
			rdd_json_append(out, "true", 4);
		else
			rdd_json_append(out, "false", 5);
	} else if (type == G_TYPE_DOUBLE) {
		rdd_json_write_double(out, json_node_get_double(node));
	} else {
		rdd_json_append(out, "null", 4);
	}
}

typedef struct {
	const gchar *key;
	JsonNode *node;
} RddJsonMember;

/* strcmp(), with the first byte compared inline since keys mostly differ there */
static inline int
rdd_json_key_cmp(const gchar *a, const gchar *b)
{
	if (a[0] != b[0])
		return (guchar)a[0] - (guchar)b[0];
	return strcmp(a, b);
}

static int
rdd_json_member_cmp(const void *a, const void *b)
{
	return rdd_json_key_cmp(((const RddJsonMember *)a)->key, ((const RddJsonMember *)b)->key);
}

/* fills @members (of @n entries) with the members of @obj sorted by key, byte-wise */
static void
rdd_json_members_sorted(JsonObject *obj, RddJsonMember *members, guint n)
{
	JsonObjectIter iter;
	const gchar *key = NULL;
	JsonNode *value = NULL;
	guint i = 0;

	json_object_iter_init(&iter, obj);
	if (n > 64) {
		while (i < n && json_object_iter_next(&iter, &key, &value)) {
			members[i].key = key;
			members[i].node = value;
			i++;
		}
		qsort(members, i, sizeof(RddJsonMember), rdd_json_member_cmp);
		return;
	}
	/* binary insertion while iterating is faster than qsort() for the small objects that are
	 * the norm; keys are unique */
	while (i < n && json_object_iter_next(&iter, &key, &value)) {
		guint lo = 0;
		guint hi = i;
		if (i > 0 && rdd_json_key_cmp(members[i - 1].key, key) < 0) {
			lo = i;
		} else {
			while (lo < hi) {
				guint mid = (lo + hi) / 2;
				if (rdd_json_key_cmp(members[mid].key, key) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			memmove(&members[lo + 1], &members[lo], (i - lo) * sizeof(RddJsonMember));
		}
		members[lo].key = key;
		members[lo].node = value;
		i++;
	}
}

static void rdd_json_write_node(GString *out, JsonNode *node);

static void
rdd_json_write_object(GString *out, JsonObject *obj)
{
	RddJsonMember stack[RDD_JSON_WRITE_STACK_MEMBERS];
	g_autofree RddJsonMember *heap = NULL;
	RddJsonMember *members = stack;
	guint n = json_object_get_size(obj);

	if (n == 0) {
		rdd_json_append(out, "{}", 2);
		return;
	}
	if (n > G_N_ELEMENTS(stack)) {
		heap = g_new(RddJsonMember, n);
		members = heap;
	}
	rdd_json_members_sorted(obj, members, n);
	rdd_json_append_c(out, '{');
	for (guint i = 0; i < n; i++) {
		if (i > 0)
			rdd_json_append_c(out, ',');
		rdd_json_write_string(out, members[i].key);
		rdd_json_append_c(out, ':');
		rdd_json_write_node(out, members[i].node);
	}
	rdd_json_append_c(out, '}');
}

static void
rdd_json_write_node(GString *out, JsonNode *node)
{
	if (node == NULL) {
		rdd_json_append(out, "null", 4);
		return;
	}
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		rdd_json_write_object(out, json_node_get_object(node));
		break;
	case JSON_NODE_ARRAY: {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);
		rdd_json_append_c(out, '[');
		for (guint i = 0; i < n; i++) {
			if (i > 0)
				rdd_json_append_c(out, ',');
			rdd_json_write_node(out, json_array_get_element(arr, i));
		}
		rdd_json_append_c(out, ']');
		break;
	}
	case JSON_NODE_VALUE:
		rdd_json_write_value(out, node);
		break;
	case JSON_NODE_NULL:
	default:
		rdd_json_append(out, "null", 4);
		break;
	}
}

/**
 * rdd_json_write:
 * @out: the string to append to
 * @node: (nullable): a node; %NULL is written as `null`
 *
 * Appends the canonical compact form of @node: object members sorted by key (byte-wise, as Go's
 * encoding/json sorts map keys), no whitespace, integers in decimal, doubles in the shortest form
 * that reads back to the same value, doubles with an integral value in the 64-bit range written as
 * integers (`1.0` becomes `1`), and strings escaped as rdd_json_write_string() does. Two nodes that
 * are rdd_json_equal() have byte-identical canonical forms.
 *
 * Non-finite doubles, which only code can put into a node, are written as `null`.
 *
 * Since: 0.1
 */
void
rdd_json_write(GString *out, JsonNode *node)
{
	g_return_if_fail(out != NULL);
	rdd_json_write_node(out, node);
}

static void
rdd_json_write_newline(GString *out, guint indent, guint level)
{
	gsize n = (gsize)indent * level;
	rdd_json_append_c(out, '\n');
	for (gsize i = 0; i < n; i++)
		rdd_json_append_c(out, ' ');
}

static void
rdd_json_write_pretty_node(GString *out, JsonNode *node, guint indent, guint level)
{
	if (node == NULL) {
		rdd_json_append(out, "null", 4);
		return;
	}
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *obj = json_node_get_object(node);
		RddJsonMember stack[RDD_JSON_WRITE_STACK_MEMBERS];
		g_autofree RddJsonMember *heap = NULL;
		RddJsonMember *members = stack;
		guint n = json_object_get_size(obj);

		if (n == 0) {
			rdd_json_append(out, "{}", 2);
			break;
		}
		if (n > G_N_ELEMENTS(stack)) {
			heap = g_new(RddJsonMember, n);
			members = heap;
		}
		rdd_json_members_sorted(obj, members, n);
		rdd_json_append_c(out, '{');
		for (guint i = 0; i < n; i++) {
			if (i > 0)
				rdd_json_append_c(out, ',');
			rdd_json_write_newline(out, indent, level + 1);
			rdd_json_write_string(out, members[i].key);
			rdd_json_append(out, ": ", 2);
			rdd_json_write_pretty_node(out, members[i].node, indent, level + 1);
		}
		rdd_json_write_newline(out, indent, level);
		rdd_json_append_c(out, '}');
		break;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *arr = json_node_get_array(node);
		guint n = json_array_get_length(arr);

		if (n == 0) {
			rdd_json_append(out, "[]", 2);
			break;
		}
		rdd_json_append_c(out, '[');
		for (guint i = 0; i < n; i++) {
			if (i > 0)
				rdd_json_append_c(out, ',');
			rdd_json_write_newline(out, indent, level + 1);
			rdd_json_write_pretty_node(out, json_array_get_element(arr, i), indent, level + 1);
		}
		rdd_json_write_newline(out, indent, level);
		rdd_json_append_c(out, ']');
		break;
	}
	case JSON_NODE_VALUE:
		rdd_json_write_value(out, node);
		break;
	case JSON_NODE_NULL:
	default:
		rdd_json_append(out, "null", 4);
		break;
	}
}

/**
 * rdd_json_write_pretty:
 * @out: the string to append to
 * @node: (nullable): a node; %NULL is written as `null`
 * @indent: spaces per nesting level
 *
 * Appends @node in the same canonical order and number format as rdd_json_write(), one member or
 * element per line, indented by @indent spaces per level, with `": "` after keys. Empty objects
 * and arrays are written as `{}` and `[]`. No newline is appended after the value.
 *
 * Since: 0.1
 */
void
rdd_json_write_pretty(GString *out, JsonNode *node, guint indent)
{
	g_return_if_fail(out != NULL);
	rdd_json_write_pretty_node(out, node, indent, 0);
}

/**
 * rdd_json_to_string:
 * @node: (nullable): a node; %NULL is written as `null`
 * @pretty: %TRUE for rdd_json_write_pretty() with 2 spaces, %FALSE for rdd_json_write()
 *
 * Returns: (transfer full): the canonical JSON text of @node
 *
 * Since: 0.1
 */
gchar *
rdd_json_to_string(JsonNode *node, gboolean pretty)
{
	GString *out = g_string_sized_new(256);
	if (pretty)
		rdd_json_write_pretty(out, node, 2);
	else
		rdd_json_write(out, node);
	return g_string_free(out, FALSE);
}

/* copy and compare ---------------------------------------------------------------------------- */

/**
 * rdd_json_deep_copy:
 * @node: (nullable): a node
 *
 * Copies @node and everything below it. Unlike json_node_copy(), which shares the #JsonObject,
 * #JsonArray and value of the original, the copy can be changed without changing @node. Member
 * order is kept. The copy is not sealed, even if @node is.
 *
 * Returns: (transfer full) (nullable): the copy, or %NULL if @node is %NULL
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_deep_copy(JsonNode *node)
{
	if (node == NULL)
		return NULL;
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *src = json_node_get_object(node);
		g_autoptr(JsonObject) dst = json_object_new();
		JsonObjectIter iter;
		const gchar *key = NULL;
		JsonNode *value = NULL;

		json_object_iter_init_ordered(&iter, src);
		while (json_object_iter_next_ordered(&iter, &key, &value))
			json_object_set_member(dst, key, rdd_json_deep_copy(value));
		return json_node_init_object(json_node_alloc(), dst);
	}
	case JSON_NODE_ARRAY: {
		JsonArray *src = json_node_get_array(node);
		guint n = json_array_get_length(src);
		g_autoptr(JsonArray) dst = json_array_sized_new(n);

		for (guint i = 0; i < n; i++)
			json_array_add_element(dst, rdd_json_deep_copy(json_array_get_element(src, i)));
		return json_node_init_array(json_node_alloc(), dst);
	}
	case JSON_NODE_VALUE: {
		GType type = json_node_get_value_type(node);
		if (type == G_TYPE_STRING)
			return json_node_init_string(json_node_alloc(), json_node_get_string(node));
		if (type == G_TYPE_INT64)
			return json_node_init_int(json_node_alloc(), json_node_get_int(node));
		if (type == G_TYPE_DOUBLE)
			return json_node_init_double(json_node_alloc(), json_node_get_double(node));
		if (type == G_TYPE_BOOLEAN)
			return json_node_init_boolean(json_node_alloc(), json_node_get_boolean(node));
		return json_node_init_null(json_node_alloc());
	}
	case JSON_NODE_NULL:
	default:
		return json_node_init_null(json_node_alloc());
	}
}

static gboolean
rdd_json_int_double_equal(gint64 i, gdouble d)
{
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != floor(d))
		return FALSE;
	return (gint64)d == i;
}

static gboolean
rdd_json_value_equal(JsonNode *a, JsonNode *b)
{
	GType ta = json_node_get_value_type(a);
	GType tb = json_node_get_value_type(b);

	if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
		return json_node_get_int(a) == json_node_get_int(b);
	if (ta == G_TYPE_DOUBLE && tb == G_TYPE_DOUBLE)
		return json_node_get_double(a) == json_node_get_double(b);
	if (ta == G_TYPE_INT64 && tb == G_TYPE_DOUBLE)
		return rdd_json_int_double_equal(json_node_get_int(a), json_node_get_double(b));
	if (ta == G_TYPE_DOUBLE && tb == G_TYPE_INT64)
		return rdd_json_int_double_equal(json_node_get_int(b), json_node_get_double(a));
	if (ta != tb)
		return FALSE;
	if (ta == G_TYPE_STRING) {
		const gchar *sa = json_node_get_string(a);
		const gchar *sb = json_node_get_string(b);
		return strcmp(sa != NULL ? sa : "", sb != NULL ? sb : "") == 0;
	}
	if (ta == G_TYPE_BOOLEAN)
		return !json_node_get_boolean(a) == !json_node_get_boolean(b);
	return TRUE;
}

/**
 * rdd_json_equal:
 * @a: (nullable): a node
 * @b: (nullable): another node
 *
 * Compares two JSON values semantically: objects by their set of members regardless of order,
 * arrays element by element in order, an integer and a double as equal when they have the same
 * numeric value, `null` equal to `null`. A %NULL pointer equals only a %NULL pointer.
 *
 * Returns: %TRUE if @a and @b are the same JSON value
 *
 * Since: 0.1
 */
gboolean
rdd_json_equal(JsonNode *a, JsonNode *b)
{
	JsonNodeType ta;

	if (a == b)
		return TRUE;
	if (a == NULL || b == NULL)
		return FALSE;
	ta = json_node_get_node_type(a);
	if (ta != json_node_get_node_type(b))
		return FALSE;
	switch (ta) {
	case JSON_NODE_OBJECT: {
		JsonObject *oa = json_node_get_object(a);
		JsonObject *ob = json_node_get_object(b);
		JsonObjectIter iter;
		const gchar *key = NULL;
		JsonNode *value = NULL;

		if (oa == ob)
			return TRUE;
		if (json_object_get_size(oa) != json_object_get_size(ob))
			return FALSE;
		json_object_iter_init(&iter, oa);
		while (json_object_iter_next(&iter, &key, &value)) {
			JsonNode *other = json_object_get_member(ob, key);
			if (other == NULL || !rdd_json_equal(value, other))
				return FALSE;
		}
		return TRUE;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *aa = json_node_get_array(a);
		JsonArray *ab = json_node_get_array(b);
		guint n = json_array_get_length(aa);

		if (aa == ab)
			return TRUE;
		if (n != json_array_get_length(ab))
			return FALSE;
		for (guint i = 0; i < n; i++) {
			if (!rdd_json_equal(json_array_get_element(aa, i), json_array_get_element(ab, i)))
				return FALSE;
		}
		return TRUE;
	}
	case JSON_NODE_VALUE:
		return rdd_json_value_equal(a, b);
	case JSON_NODE_NULL:
	default:
		return TRUE;
	}
}

/* lookup helpers ------------------------------------------------------------------------------ */

/**
 * rdd_json_lookup:
 * @root: (nullable): a node
 * @dotted_path: member names separated by dots, e.g. `spec.containerEngine.name`
 *
 * Walks down nested objects by member name. Every segment but the last must name an object;
 * the last may name any value. An empty @dotted_path returns @root. Names containing a dot
 * cannot be looked up this way.
 *
 * Returns: (transfer none) (nullable): the node, or %NULL if @root is %NULL, a segment is
 *   missing or a segment other than the last is not an object
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_lookup(JsonNode *root, const gchar *dotted_path)
{
	JsonNode *node = root;
	const gchar *seg = dotted_path;

	g_return_val_if_fail(dotted_path != NULL, NULL);

	if (root == NULL)
		return NULL;
	if (dotted_path[0] == '\0')
		return root;
	for (;;) {
		const gchar *dot = strchr(seg, '.');
		gsize len = dot != NULL ? (gsize)(dot - seg) : strlen(seg);
		gchar buf[128];
		g_autofree gchar *heap = NULL;
		const gchar *name = buf;

		if (json_node_get_node_type(node) != JSON_NODE_OBJECT)
			return NULL;
		if (len < sizeof(buf)) {
			memcpy(buf, seg, len);
			buf[len] = '\0';
		} else {
			heap = g_strndup(seg, len);
			name = heap;
		}
		node = json_object_get_member(json_node_get_object(node), name);
		if (node == NULL)
			return NULL;
		if (dot == NULL)
			return node;
		seg = dot + 1;
	}
}

/**
 * rdd_json_lookup_string:
 * @root: (nullable): a node
 * @dotted_path: member names separated by dots
 *
 * Like rdd_json_lookup(), for a string value.
 *
 * Returns: (transfer none) (nullable): the string, or %NULL if it is missing or not a string
 *
 * Since: 0.1
 */
const gchar *
rdd_json_lookup_string(JsonNode *root, const gchar *dotted_path)
{
	JsonNode *node = rdd_json_lookup(root, dotted_path);
	if (node == NULL || json_node_get_node_type(node) != JSON_NODE_VALUE ||
	    json_node_get_value_type(node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(node);
}

/**
 * rdd_json_lookup_object:
 * @root: (nullable): a node
 * @dotted_path: member names separated by dots
 *
 * Like rdd_json_lookup(), for an object value.
 *
 * Returns: (transfer none) (nullable): the object, or %NULL if it is missing or not an object
 *
 * Since: 0.1
 */
JsonObject *
rdd_json_lookup_object(JsonNode *root, const gchar *dotted_path)
{
	JsonNode *node = rdd_json_lookup(root, dotted_path);
	if (node == NULL || json_node_get_node_type(node) != JSON_NODE_OBJECT)
		return NULL;
	return json_node_get_object(node);
}

/**
 * rdd_json_object_ensure_object:
 * @obj: an object, not sealed
 * @member: a member name
 *
 * Returns the object stored in @member, first setting @member to a new empty object if it is
 * missing or holds something other than an object.
 *
 * Returns: (transfer none): the member object
 *
 * Since: 0.1
 */
JsonObject *
rdd_json_object_ensure_object(JsonObject *obj, const gchar *member)
{
	JsonNode *node;
	JsonObject *child;

	g_return_val_if_fail(obj != NULL, NULL);
	g_return_val_if_fail(member != NULL, NULL);

	node = json_object_get_member(obj, member);
	if (node != NULL && json_node_get_node_type(node) == JSON_NODE_OBJECT)
		return json_node_get_object(node);
	child = json_object_new();
	json_object_set_object_member(obj, member, child);
	return child;
}

/**
 * rdd_json_object_ensure_array:
 * @obj: an object, not sealed
 * @member: a member name
 *
 * Returns the array stored in @member, first setting @member to a new empty array if it is
 * missing or holds something other than an array.
 *
 * Returns: (transfer none): the member array
 *
 * Since: 0.1
 */
JsonArray *
rdd_json_object_ensure_array(JsonObject *obj, const gchar *member)
{
	JsonNode *node;
	JsonArray *child;

	g_return_val_if_fail(obj != NULL, NULL);
	g_return_val_if_fail(member != NULL, NULL);

	node = json_object_get_member(obj, member);
	if (node != NULL && json_node_get_node_type(node) == JSON_NODE_ARRAY)
		return json_node_get_array(node);
	child = json_array_new();
	json_object_set_array_member(obj, member, child);
	return child;
}

/**
 * rdd_json_node_new_object:
 * @object: (transfer full) (nullable): an object, or %NULL for a new empty one
 *
 * Wraps @object in a node without taking another reference (json_node_init_object() takes
 * one, which leaks a freshly made object).
 *
 * Returns: (transfer full): the node
 *
 * Since: 0.1
 */
JsonNode *
rdd_json_node_new_object(JsonObject *object)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, object != NULL ? object : json_object_new());
	return node;
}
