/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rdd-error.h"
#include "rdd-selector.h"

/*
 * Label and field selectors with the semantics of Kubernetes' k8s.io/apimachinery `labels` and
 * `fields` packages, re-stated here:
 *
 *  - label selectors are tokenised like Kubernetes' lexer (whitespace separates tokens; the
 *    special symbols are `= == != ! ( ) , > <`; `in` and `notin` are keywords only where an
 *    operator is expected), keys are qualified names and values are label values;
 *  - field selectors are split at unescaped commas, each term at its first `!=`, `==` or `=`,
 *    and values are unescaped (`\,` `\=` `\\`).
 *
 * Requirements are stored sorted by key (stable), the values of in/notin sorted and unique,
 * so two selectors that mean the same thing compare equal and print the same text.
 */

#define RDD_SELECTOR_NAME_MAX_LEN 63	/* name part of a qualified name */
#define RDD_SELECTOR_PREFIX_MAX_LEN 253 /* DNS-1123 subdomain prefix of a qualified name */
#define RDD_SELECTOR_VALUE_MAX_LEN 63	/* label value */
#define RDD_SELECTOR_QUOTE_MAX_LEN 128	/* bytes of user text echoed in one error message */

#define RDD_SELECTOR_QUALIFIED_NAME_MSG                                                             \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
	"alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for "        \
	"validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
#define RDD_SELECTOR_DNS1123_SUBDOMAIN_MSG                                                           \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " \
	"'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "     \
	"used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define RDD_SELECTOR_LABEL_VALUE_MSG                                                                \
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or " \
	"'.', and must start and end with an alphanumeric character (e.g. 'MyValue', or "           \
	"'my_value', or '12345', regex used for validation is "                                     \
	"'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

typedef enum {
	RDD_SELECTOR_KIND_LABELS,
	RDD_SELECTOR_KIND_FIELDS,
} RddSelectorKind;

struct _RddSelector {
	gint ref_count; /* atomic */
	RddSelectorKind kind;
	guint n_requirements;
	RddRequirement *requirements; /* (array length=n_requirements), sorted by key, stable */
};

G_DEFINE_BOXED_TYPE(RddSelector, rdd_selector, rdd_selector_ref, rdd_selector_unref)

/* tokens of the label selector grammar */
typedef enum {
	RDD_SELECTOR_TOKEN_END,
	RDD_SELECTOR_TOKEN_IDENTIFIER,
	RDD_SELECTOR_TOKEN_IN,
	RDD_SELECTOR_TOKEN_NOT_IN,
	RDD_SELECTOR_TOKEN_COMMA,
	RDD_SELECTOR_TOKEN_OPEN_PAR,
	RDD_SELECTOR_TOKEN_CLOSED_PAR,
	RDD_SELECTOR_TOKEN_NOT,
	RDD_SELECTOR_TOKEN_EQUALS,
	RDD_SELECTOR_TOKEN_DOUBLE_EQUALS,
	RDD_SELECTOR_TOKEN_NOT_EQUALS,
	RDD_SELECTOR_TOKEN_GREATER_THAN,
	RDD_SELECTOR_TOKEN_LESS_THAN,
} RddSelectorToken;

typedef struct {
	const gchar *text;    /* the whole selector */
	gsize len;	      /* strlen(text) */
	gsize pos;	      /* where the lexer continues */
	RddSelectorToken tok; /* the lookahead token */
	gsize tok_offset;     /* its offset in text */
	gsize tok_len;	      /* its length in bytes */
} RddSelectorParser;

/* appends at most RDD_SELECTOR_QUOTE_MAX_LEN bytes of @str between @quote characters, escaping
 * the quote, backslashes, control and unprintable characters and bytes that are not UTF-8 */
static void
rdd_selector_append_quoted(GString *out, const gchar *str, gsize len, gchar quote)
{
	g_string_append_c(out, quote);
	for (gsize i = 0; i < len;) {
		guchar c = (guchar)str[i];
		gunichar uc;
		if (i >= RDD_SELECTOR_QUOTE_MAX_LEN) {
			g_string_append(out, "...");
			break;
		}
		if (c == (guchar)quote || c == '\\') {
			g_string_append_c(out, '\\');
			g_string_append_c(out, (gchar)c);
			i++;
			continue;
		}
		if (c == '\n') {
			g_string_append(out, "\\n");
			i++;
			continue;
		}
		if (c == '\t') {
			g_string_append(out, "\\t");
			i++;
			continue;
		}
		if (c == '\r') {
			g_string_append(out, "\\r");
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			g_string_append_printf(out, "\\x%02x", c);
			i++;
			continue;
		}
		if (c < 0x80) {
			g_string_append_c(out, (gchar)c);
			i++;
			continue;
		}
		uc = g_utf8_get_char_validated(str + i, (gssize)(len - i));
		if (uc == (gunichar)-1 || uc == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", c);
			i++;
			continue;
		}
		if (!g_unichar_isprint(uc)) {
			g_string_append_printf(out, "\\u%04x", uc);
		} else {
			g_string_append_len(out, str + i, g_utf8_skip[c]);
		}
		i += g_utf8_skip[c];
	}
	g_string_append_c(out, quote);
}

/* [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? */
static gboolean
rdd_selector_is_qualified_name_part(const gchar *str, gsize len)
{
	if (len == 0)
		return FALSE;
	if (!g_ascii_isalnum(str[0]) || !g_ascii_isalnum(str[len - 1]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		gchar c = str[i];
		if (!g_ascii_isalnum(c) && c != '-' && c != '_' && c != '.')
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_selector_is_lower_alnum(gchar c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)* */
static gboolean
rdd_selector_is_dns1123_subdomain(const gchar *str, gsize len)
{
	gsize label_len = 0;
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i <= len; i++) {
		if (i == len || str[i] == '.') {
			if (label_len == 0 || str[i - 1] == '-')
				return FALSE;
			label_len = 0;
			continue;
		}
		if (label_len == 0 && !rdd_selector_is_lower_alnum(str[i]))
			return FALSE;
		if (!rdd_selector_is_lower_alnum(str[i]) && str[i] != '-')
			return FALSE;
		label_len++;
	}
	return TRUE;
}

/* the Kubernetes messages for an invalid qualified name, joined by "; ", or NULL if valid */
static gchar *
rdd_selector_key_problems(const gchar *key)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	const gchar *slash = strchr(key, '/');
	const gchar *name = key;
	gsize name_len;

	if (slash != NULL) {
		gsize prefix_len = (gsize)(slash - key);
		if (strchr(slash + 1, '/') != NULL) {
			return g_strdup("a qualified name " RDD_SELECTOR_QUALIFIED_NAME_MSG
					" with an optional DNS subdomain prefix and '/' (e.g. "
					"'example.com/MyName')");
		}
		if (prefix_len == 0) {
			g_ptr_array_add(problems, g_strdup("prefix part must be non-empty"));
		} else {
			if (prefix_len > RDD_SELECTOR_PREFIX_MAX_LEN) {
				g_ptr_array_add(problems, g_strdup_printf("prefix part must be no more than %u "
									  "characters",
									  (guint)RDD_SELECTOR_PREFIX_MAX_LEN));
			}
			if (!rdd_selector_is_dns1123_subdomain(key, prefix_len)) {
				g_ptr_array_add(problems, g_strdup("prefix part " RDD_SELECTOR_DNS1123_SUBDOMAIN_MSG));
			}
		}
		name = slash + 1;
	}
	name_len = strlen(name);
	if (name_len == 0) {
		g_ptr_array_add(problems, g_strdup("name part must be non-empty"));
	} else if (name_len > RDD_SELECTOR_NAME_MAX_LEN) {
		g_ptr_array_add(problems, g_strdup_printf("name part must be no more than %u characters",
							  (guint)RDD_SELECTOR_NAME_MAX_LEN));
	}
	if (!rdd_selector_is_qualified_name_part(name, name_len))
		g_ptr_array_add(problems, g_strdup("name part " RDD_SELECTOR_QUALIFIED_NAME_MSG));
	if (problems->len == 0)
		return NULL;
	g_ptr_array_add(problems, NULL);
	return g_strjoinv("; ", (gchar **)problems->pdata);
}

/* the Kubernetes messages for an invalid label value, joined by "; ", or NULL if valid */
static gchar *
rdd_selector_value_problems(const gchar *value)
{
	gsize len = strlen(value);
	gboolean too_long = len > RDD_SELECTOR_VALUE_MAX_LEN;
	gboolean bad_chars = len > 0 && !rdd_selector_is_qualified_name_part(value, len);

	if (too_long && bad_chars) {
		return g_strdup_printf("must be no more than %u characters; %s",
				       (guint)RDD_SELECTOR_VALUE_MAX_LEN, RDD_SELECTOR_LABEL_VALUE_MSG);
	}
	if (too_long) {
		return g_strdup_printf("must be no more than %u characters", (guint)RDD_SELECTOR_VALUE_MAX_LEN);
	}
	if (bad_chars)
		return g_strdup(RDD_SELECTOR_LABEL_VALUE_MSG);
	return NULL;
}

/* "invalid label key "KEY": PROBLEMS", or NULL when @key is valid */
static gchar *
rdd_selector_describe_bad_key(const gchar *key)
{
	g_autofree gchar *problems = rdd_selector_key_problems(key);
	g_autoptr(GString) str = NULL;
	if (problems == NULL)
		return NULL;
	str = g_string_new("invalid label key ");
	rdd_selector_append_quoted(str, key, strlen(key), '"');
	g_string_append_printf(str, ": %s", problems);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* "invalid label value "VALUE": PROBLEMS", or NULL when @value is valid */
static gchar *
rdd_selector_describe_bad_value(const gchar *value)
{
	g_autofree gchar *problems = rdd_selector_value_problems(value);
	g_autoptr(GString) str = NULL;
	if (problems == NULL)
		return NULL;
	str = g_string_new("invalid label value ");
	rdd_selector_append_quoted(str, value, strlen(value), '"');
	g_string_append_printf(str, ": %s", problems);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/**
 * rdd_label_key_validate:
 * @key: a label key
 * @error: (nullable): optional return location for an error
 *
 * Checks that @key is a valid label (or annotation) key: a Kubernetes qualified name, that is an
 * optional DNS-1123 subdomain prefix of at most 253 characters and a `/`, then a name of 1 to 63
 * characters matching `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
 *
 * The error is %RDD_ERROR_INVALID with the Kubernetes wording, e.g. `invalid label key "a b":
 * name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end
 * with an alphanumeric character (...)`.
 *
 * Returns: %TRUE if @key is valid
 *
 * Since: 0.1
 */
gboolean
rdd_label_key_validate(const gchar *key, GError **error)
{
	g_autofree gchar *msg = NULL;

	g_return_val_if_fail(key != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	msg = rdd_selector_describe_bad_key(key);
	if (msg != NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, msg);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_label_value_validate:
 * @value: a label value
 * @error: (nullable): optional return location for an error
 *
 * Checks that @value is a valid label value: empty, or at most 63 characters matching
 * `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
 *
 * The error is %RDD_ERROR_INVALID with the Kubernetes wording, e.g. `invalid label value "-x":
 * a valid label must be an empty string or consist of alphanumeric characters, ...`.
 *
 * Returns: %TRUE if @value is valid
 *
 * Since: 0.1
 */
gboolean
rdd_label_value_validate(const gchar *value, GError **error)
{
	g_autofree gchar *msg = NULL;

	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	msg = rdd_selector_describe_bad_value(value);
	if (msg != NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, msg);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_selector_requirement_clear(RddRequirement *req)
{
	g_clear_pointer(&req->key, g_free);
	g_clear_pointer(&req->values, g_strfreev);
}

static gint
rdd_selector_requirement_cmp(gconstpointer a, gconstpointer b)
{
	const RddRequirement *ra = a;
	const RddRequirement *rb = b;
	return strcmp(ra->key, rb->key);
}

static GArray *
rdd_selector_requirements_new(void)
{
	GArray *reqs = g_array_new(FALSE, TRUE, sizeof(RddRequirement));
	g_array_set_clear_func(reqs, (GDestroyNotify)rdd_selector_requirement_clear);
	return reqs;
}

/* takes @key and @values */
static void
rdd_selector_requirements_add(GArray *reqs, gchar *key, RddSelectorOp op, gchar **values)
{
	RddRequirement req = {.key = key, .op = op, .values = values};
	g_array_append_val(reqs, req);
}

static gint
rdd_selector_strcmp_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* sorts @values (element-type utf8, owned) and returns them as a strv without duplicates */
static gchar **
rdd_selector_values_to_strv(GPtrArray *values)
{
	GPtrArray *strv = g_ptr_array_new_null_terminated(values->len, NULL, TRUE);
	g_ptr_array_sort(values, rdd_selector_strcmp_ptr);
	for (guint i = 0; i < values->len; i++) {
		const gchar *value = g_ptr_array_index(values, i);
		if (strv->len > 0 && g_strcmp0(g_ptr_array_index(strv, strv->len - 1), value) == 0)
			continue;
		g_ptr_array_add(strv, g_strdup(value));
	}
	return (gchar **)g_ptr_array_free(strv, FALSE);
}

static gchar **
rdd_selector_values_new1(const gchar *value, gsize len)
{
	gchar **values = g_new0(gchar *, 2);
	values[0] = g_strndup(value, len);
	return values;
}

/* takes @reqs */
static RddSelector *
rdd_selector_new_take(RddSelectorKind kind, GArray *reqs)
{
	RddSelector *self = g_new0(RddSelector, 1);
	gsize len = 0;

	g_atomic_int_set(&self->ref_count, 1);
	self->kind = kind;
	/* stable since GLib 2.32, so requirements on the same key keep their order */
	g_array_sort(reqs, rdd_selector_requirement_cmp);
	self->requirements = (RddRequirement *)g_array_steal(reqs, &len);
	self->n_requirements = (guint)len;
	g_array_unref(reqs);
	return self;
}

static gboolean
rdd_selector_is_whitespace(gchar c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
rdd_selector_is_blank(const gchar *text)
{
	for (const gchar *p = text; *p != '\0'; p++) {
		if (!rdd_selector_is_whitespace(*p))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_selector_check_utf8(const gchar *what, const gchar *text, GError **error)
{
	const gchar *end = NULL;
	if (!g_utf8_validate(text, -1, &end)) {
		g_autoptr(GString) str = g_string_new("invalid ");
		g_string_append_printf(str, "%s ", what);
		rdd_selector_append_quoted(str, text, strlen(text), '"');
		g_string_append_printf(str, " at offset %" G_GSIZE_FORMAT ": not valid UTF-8",
				       (gsize)(end - text));
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, str->str);
		return FALSE;
	}
	return TRUE;
}

static void
rdd_selector_set_parse_error(GError **error, const gchar *what, const gchar *text, gsize offset, const gchar *detail)
{
	g_autoptr(GString) str = g_string_new("invalid ");
	g_string_append_printf(str, "%s ", what);
	rdd_selector_append_quoted(str, text, strlen(text), '"');
	g_string_append_printf(str, " at offset %" G_GSIZE_FORMAT ": %s", offset, detail);
	g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, str->str);
}

static gboolean
rdd_selector_parser_is_special(gchar c)
{
	return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

/* reads the next token into the lookahead */
static void
rdd_selector_parser_next(RddSelectorParser *p)
{
	const gchar *text = p->text;
	gsize start;

	while (p->pos < p->len && rdd_selector_is_whitespace(text[p->pos]))
		p->pos++;
	start = p->pos;
	p->tok_offset = start;
	if (start >= p->len) {
		p->tok = RDD_SELECTOR_TOKEN_END;
		p->tok_len = 0;
		return;
	}
	if (rdd_selector_parser_is_special(text[start])) {
		gchar c = text[start];
		gchar next = start + 1 < p->len ? text[start + 1] : '\0';
		p->tok_len = 1;
		if (c == '!' && next == '=') {
			p->tok = RDD_SELECTOR_TOKEN_NOT_EQUALS;
			p->tok_len = 2;
		} else if (c == '=' && next == '=') {
			p->tok = RDD_SELECTOR_TOKEN_DOUBLE_EQUALS;
			p->tok_len = 2;
		} else if (c == '=') {
			p->tok = RDD_SELECTOR_TOKEN_EQUALS;
		} else if (c == '!') {
			p->tok = RDD_SELECTOR_TOKEN_NOT;
		} else if (c == '(') {
			p->tok = RDD_SELECTOR_TOKEN_OPEN_PAR;
		} else if (c == ')') {
			p->tok = RDD_SELECTOR_TOKEN_CLOSED_PAR;
		} else if (c == ',') {
			p->tok = RDD_SELECTOR_TOKEN_COMMA;
		} else if (c == '>') {
			p->tok = RDD_SELECTOR_TOKEN_GREATER_THAN;
		} else {
			p->tok = RDD_SELECTOR_TOKEN_LESS_THAN;
		}
		p->pos += p->tok_len;
		return;
	}
	while (p->pos < p->len && !rdd_selector_is_whitespace(text[p->pos]) &&
	       !rdd_selector_parser_is_special(text[p->pos]))
		p->pos++;
	p->tok_len = p->pos - start;
	if (p->tok_len == 2 && memcmp(text + start, "in", 2) == 0)
		p->tok = RDD_SELECTOR_TOKEN_IN;
	else if (p->tok_len == 5 && memcmp(text + start, "notin", 5) == 0)
		p->tok = RDD_SELECTOR_TOKEN_NOT_IN;
	else
		p->tok = RDD_SELECTOR_TOKEN_IDENTIFIER;
}

/* a key or value: the keywords `in` and `notin` are plain words outside operator position */
static gboolean
rdd_selector_parser_at_word(RddSelectorParser *p)
{
	return p->tok == RDD_SELECTOR_TOKEN_IDENTIFIER || p->tok == RDD_SELECTOR_TOKEN_IN ||
	       p->tok == RDD_SELECTOR_TOKEN_NOT_IN;
}

/* fails with "found <lookahead>, expected: @expected" */
static gboolean
rdd_selector_parser_fail(RddSelectorParser *p, const gchar *expected, GError **error)
{
	g_autoptr(GString) detail = g_string_new("found ");
	if (p->tok == RDD_SELECTOR_TOKEN_END)
		g_string_append(detail, "end of string");
	else
		rdd_selector_append_quoted(detail, p->text + p->tok_offset, p->tok_len, '\'');
	g_string_append_printf(detail, ", expected: %s", expected);
	rdd_selector_set_parse_error(error, "label selector", p->text, p->tok_offset, detail->str);
	return FALSE;
}

static gboolean
rdd_selector_parser_check_value(RddSelectorParser *p, const gchar *value, gsize offset, GError **error)
{
	g_autofree gchar *msg = rdd_selector_describe_bad_value(value);
	if (msg != NULL) {
		rdd_selector_set_parse_error(error, "label selector", p->text, offset, msg);
		return FALSE;
	}
	return TRUE;
}

/* `(v1, v2, ...)` after in/notin; empty elements are empty values as in Kubernetes, but
 * `()` is rejected: in and notin need at least one value */
static gchar **
rdd_selector_parser_parse_values(RddSelectorParser *p, GError **error)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);

	if (p->tok != RDD_SELECTOR_TOKEN_OPEN_PAR) {
		rdd_selector_parser_fail(p, "'('", error);
		return NULL;
	}
	rdd_selector_parser_next(p);
	if (p->tok == RDD_SELECTOR_TOKEN_CLOSED_PAR) {
		rdd_selector_parser_fail(p,
					 "at least one value ('in' and 'notin' need a non-empty "
					 "list; write '(,)' for the empty value)",
					 error);
		return NULL;
	}
	for (;;) {
		g_autofree gchar *value = NULL;
		gsize offset = p->tok_offset;
		if (rdd_selector_parser_at_word(p)) {
			value = g_strndup(p->text + p->tok_offset, p->tok_len);
			rdd_selector_parser_next(p);
		} else if (p->tok == RDD_SELECTOR_TOKEN_COMMA || p->tok == RDD_SELECTOR_TOKEN_CLOSED_PAR) {
			value = g_strdup("");
		} else {
			rdd_selector_parser_fail(p, "value, ',' or ')'", error);
			return NULL;
		}
		if (!rdd_selector_parser_check_value(p, value, offset, error))
			return NULL;
		g_ptr_array_add(values, g_steal_pointer(&value));
		if (p->tok == RDD_SELECTOR_TOKEN_COMMA) {
			rdd_selector_parser_next(p);
			continue;
		}
		if (p->tok == RDD_SELECTOR_TOKEN_CLOSED_PAR) {
			rdd_selector_parser_next(p);
			break;
		}
		rdd_selector_parser_fail(p, "',' or ')'", error);
		return NULL;
	}
	return rdd_selector_values_to_strv(values);
}

/* the value after =, == or !=; empty when the requirement ends right after the operator */
static gchar **
rdd_selector_parser_parse_exact_value(RddSelectorParser *p, GError **error)
{
	g_autofree gchar *value = NULL;
	gsize offset = p->tok_offset;

	if (p->tok == RDD_SELECTOR_TOKEN_END || p->tok == RDD_SELECTOR_TOKEN_COMMA) {
		value = g_strdup("");
	} else if (rdd_selector_parser_at_word(p)) {
		value = g_strndup(p->text + p->tok_offset, p->tok_len);
		rdd_selector_parser_next(p);
	} else {
		rdd_selector_parser_fail(p, "value, ',' or end of string", error);
		return NULL;
	}
	if (!rdd_selector_parser_check_value(p, value, offset, error))
		return NULL;
	return rdd_selector_values_new1(value, strlen(value));
}

static gboolean
rdd_selector_parser_parse_requirement(RddSelectorParser *p, GArray *reqs, GError **error)
{
	g_autofree gchar *key = NULL;
	g_autofree gchar *msg = NULL;
	g_auto(GStrv) values = NULL;
	gboolean negated = FALSE;
	RddSelectorOp op;

	if (p->tok == RDD_SELECTOR_TOKEN_NOT) {
		negated = TRUE;
		rdd_selector_parser_next(p);
	}
	if (!rdd_selector_parser_at_word(p))
		return rdd_selector_parser_fail(p, "label key", error);
	key = g_strndup(p->text + p->tok_offset, p->tok_len);
	msg = rdd_selector_describe_bad_key(key);
	if (msg != NULL) {
		rdd_selector_set_parse_error(error, "label selector", p->text, p->tok_offset, msg);
		return FALSE;
	}
	rdd_selector_parser_next(p);

	if (p->tok == RDD_SELECTOR_TOKEN_END || p->tok == RDD_SELECTOR_TOKEN_COMMA) {
		op = negated ? RDD_SELECTOR_OP_DOES_NOT_EXIST : RDD_SELECTOR_OP_EXISTS;
		values = g_new0(gchar *, 1);
		rdd_selector_requirements_add(reqs, g_steal_pointer(&key), op, g_steal_pointer(&values));
		return TRUE;
	}
	if (negated) {
		return rdd_selector_parser_fail(p,
						"',' or end of string ('!key' takes no operator "
						"or value)",
						error);
	}
	switch (p->tok) {
	case RDD_SELECTOR_TOKEN_IN:
	case RDD_SELECTOR_TOKEN_NOT_IN:
		op = p->tok == RDD_SELECTOR_TOKEN_IN ? RDD_SELECTOR_OP_IN : RDD_SELECTOR_OP_NOT_IN;
		rdd_selector_parser_next(p);
		values = rdd_selector_parser_parse_values(p, error);
		break;
	case RDD_SELECTOR_TOKEN_EQUALS:
	case RDD_SELECTOR_TOKEN_DOUBLE_EQUALS:
	case RDD_SELECTOR_TOKEN_NOT_EQUALS:
		op = p->tok == RDD_SELECTOR_TOKEN_NOT_EQUALS ? RDD_SELECTOR_OP_NOT_EQUALS : RDD_SELECTOR_OP_EQUALS;
		rdd_selector_parser_next(p);
		values = rdd_selector_parser_parse_exact_value(p, error);
		break;
	case RDD_SELECTOR_TOKEN_GREATER_THAN:
	case RDD_SELECTOR_TOKEN_LESS_THAN:
		return rdd_selector_parser_fail(p,
						"'=', '==', '!=', 'in', 'notin', ',' or end of "
						"string (the '>' and '<' operators are not "
						"supported)",
						error);
	default:
		return rdd_selector_parser_fail(p,
						"'=', '==', '!=', 'in', 'notin', ',' or end of "
						"string",
						error);
	}
	if (values == NULL)
		return FALSE;
	rdd_selector_requirements_add(reqs, g_steal_pointer(&key), op, g_steal_pointer(&values));
	return TRUE;
}

/**
 * rdd_selector_parse_labels:
 * @text: a label selector such as `app=web,tier in (a,b),!legacy`
 * @error: (nullable): optional return location for an error
 *
 * Parses a Kubernetes label selector: comma-separated requirements, each one of `key=value`,
 * `key==value`, `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`, `key` (the key exists) or
 * `!key` (it does not). Whitespace may surround every token; values may be empty (`key=`, or
 * `key in (a,)`), but `in` and `notin` need a non-empty list. Keys must be qualified names and
 * values label values (see rdd_label_key_validate() and rdd_label_value_validate()). Empty or
 * whitespace-only text is the empty selector, which matches everything.
 *
 * Requirements are sorted by key (stable) and the values of `in`/`notin` sorted and made
 * unique. Errors are %RDD_ERROR_BAD_REQUEST and give the byte offset and the offending token.
 *
 * Returns: (transfer full): a new selector, or %NULL on error
 *
 * Since: 0.1
 */
RddSelector *
rdd_selector_parse_labels(const gchar *text, GError **error)
{
	g_autoptr(GArray) reqs = rdd_selector_requirements_new();
	RddSelectorParser p = {.text = text};

	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rdd_selector_check_utf8("label selector", text, error))
		return NULL;
	p.len = strlen(text);
	rdd_selector_parser_next(&p);
	if (p.tok != RDD_SELECTOR_TOKEN_END) {
		for (;;) {
			if (p.tok != RDD_SELECTOR_TOKEN_NOT && !rdd_selector_parser_at_word(&p)) {
				rdd_selector_parser_fail(&p, reqs->len == 0 ? "'!', label key or end of string" : "'!' or label key after ','",
							 error);
				return NULL;
			}
			if (!rdd_selector_parser_parse_requirement(&p, reqs, error))
				return NULL;
			if (p.tok == RDD_SELECTOR_TOKEN_END)
				break;
			if (p.tok != RDD_SELECTOR_TOKEN_COMMA) {
				rdd_selector_parser_fail(&p, "',' or end of string", error);
				return NULL;
			}
			rdd_selector_parser_next(&p);
		}
	}
	return rdd_selector_new_take(RDD_SELECTOR_KIND_LABELS, g_steal_pointer(&reqs));
}

/* "invalid escape sequence '\x'" for the backslash at @offset, @next pointing after it */
static void
rdd_selector_set_escape_error(GError **error, const gchar *text, gsize offset, const gchar *next)
{
	g_autoptr(GString) detail = g_string_new("invalid escape sequence ");
	gunichar uc = g_utf8_get_char(next);

	if (g_unichar_isgraph(uc)) {
		g_string_append(detail, "'\\");
		g_string_append_len(detail, next, g_utf8_skip[(guchar)next[0]]);
		g_string_append_c(detail, '\'');
	} else {
		g_string_append_printf(detail, "'\\' followed by U+%04X", uc);
	}
	g_string_append(detail, " (only '\\\\', '\\,' and '\\=' are allowed)");
	rdd_selector_set_parse_error(error, "field selector", text, offset, detail->str);
}

/* unescapes the value of a field selector term; @offset is where @value starts in @text */
static gchar *
rdd_selector_unescape_field_value(const gchar *text, gsize offset, const gchar *value, gsize len, GError **error)
{
	g_autoptr(GString) out = g_string_sized_new(len);

	for (gsize i = 0; i < len; i++) {
		gchar c = value[i];
		if (c == '\\') {
			gchar next = i + 1 < len ? value[i + 1] : '\0';
			if (next == '\\' || next == ',' || next == '=') {
				g_string_append_c(out, next);
				i++;
				continue;
			}
			if (i + 1 >= len) {
				rdd_selector_set_parse_error(error, "field selector", text, offset + i,
							     "invalid escape sequence: the value ends "
							     "with a lone '\\' (write '\\\\' for a "
							     "backslash)");
				return NULL;
			}
			rdd_selector_set_escape_error(error, text, offset + i, value + i + 1);
			return NULL;
		}
		if (c == '=' || c == ',') {
			g_autofree gchar *detail =
				g_strdup_printf("unescaped '%c' in value (write it as '\\%c')", c, c);
			rdd_selector_set_parse_error(error, "field selector", text, offset + i, detail);
			return NULL;
		}
		g_string_append_c(out, c);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* one `field<op>value` term starting at @offset of @text */
static gboolean
rdd_selector_parse_field_term(const gchar *text, gsize offset, gsize len, GArray *reqs, GError **error)
{
	const gchar *term = text + offset;
	g_autofree gchar *value = NULL;
	RddSelectorOp op = RDD_SELECTOR_OP_EQUALS;
	gsize op_at = len;
	gsize op_len = 0;

	/* the first operator from the left, like Kubernetes: "!=", then "==", then "=" */
	for (gsize i = 0; i < len && op_len == 0; i++) {
		gchar next = i + 1 < len ? term[i + 1] : '\0';
		if (term[i] == '!' && next == '=') {
			op = RDD_SELECTOR_OP_NOT_EQUALS;
			op_len = 2;
		} else if (term[i] == '=' && next == '=') {
			op_len = 2;
		} else if (term[i] == '=') {
			op_len = 1;
		}
		if (op_len > 0)
			op_at = i;
	}
	if (op_len == 0) {
		g_autoptr(GString) detail = g_string_new("term ");
		rdd_selector_append_quoted(detail, term, len, '\'');
		g_string_append(detail, " has no operator; expected field=value, field==value or "
					"field!=value");
		rdd_selector_set_parse_error(error, "field selector", text, offset, detail->str);
		return FALSE;
	}
	if (op_at == 0) {
		rdd_selector_set_parse_error(error, "field selector", text, offset,
					     "the field name before the operator is empty");
		return FALSE;
	}
	for (gsize i = 0; i < op_at; i++) {
		if (rdd_selector_is_whitespace(term[i])) {
			g_autoptr(GString) detail = g_string_new("field name ");
			rdd_selector_append_quoted(detail, term, op_at, '"');
			g_string_append(detail, " contains whitespace (field selectors allow no spaces "
						"around names or operators)");
			rdd_selector_set_parse_error(error, "field selector", text, offset + i, detail->str);
			return FALSE;
		}
	}
	value = rdd_selector_unescape_field_value(text, offset + op_at + op_len,
						  term + op_at + op_len, len - op_at - op_len, error);
	if (value == NULL)
		return FALSE;
	rdd_selector_requirements_add(reqs, g_strndup(term, op_at), op,
				      rdd_selector_values_new1(value, strlen(value)));
	return TRUE;
}

/**
 * rdd_selector_parse_fields:
 * @text: a field selector such as `metadata.name=web,status.phase!=Running`
 * @error: (nullable): optional return location for an error
 *
 * Parses a Kubernetes field selector: comma-separated `field=value`, `field==value` or
 * `field!=value` terms, split at the first operator of each term. In values, `\,`, `\=` and
 * `\\` stand for `,`, `=` and `\`; any other escape, and an unescaped `=`, is an error. Field
 * names are only checked to be non-empty and free of whitespace: which fields a kind supports
 * is for the store to decide. Empty terms (`a=b,,c=d`) are skipped; empty or whitespace-only
 * text is the empty selector, which matches everything.
 *
 * When matching, a field the object does not have counts as the empty string, as in
 * Kubernetes' field sets. Errors are %RDD_ERROR_BAD_REQUEST and give the byte offset.
 *
 * Returns: (transfer full): a new selector, or %NULL on error
 *
 * Since: 0.1
 */
RddSelector *
rdd_selector_parse_fields(const gchar *text, GError **error)
{
	g_autoptr(GArray) reqs = rdd_selector_requirements_new();
	gboolean in_slash = FALSE;
	gsize start = 0;
	gsize len;

	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!rdd_selector_check_utf8("field selector", text, error))
		return NULL;
	if (rdd_selector_is_blank(text))
		return rdd_selector_new_take(RDD_SELECTOR_KIND_FIELDS, g_steal_pointer(&reqs));
	len = strlen(text);
	for (gsize i = 0; i <= len; i++) {
		if (i < len && in_slash) {
			in_slash = FALSE;
			continue;
		}
		if (i < len && text[i] == '\\') {
			in_slash = TRUE;
			continue;
		}
		if (i < len && text[i] != ',')
			continue;
		if (i > start && !rdd_selector_parse_field_term(text, start, i - start, reqs, error))
			return NULL;
		start = i + 1;
	}
	return rdd_selector_new_take(RDD_SELECTOR_KIND_FIELDS, g_steal_pointer(&reqs));
}

static void rdd_selector_set_json_error(GError **error, const gchar *path, const gchar *format, ...)
	G_GNUC_PRINTF(3, 4);

static void
rdd_selector_set_json_error(GError **error, const gchar *path, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *detail = NULL;

	va_start(args, format);
	detail = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: %s", path, detail);
}

static gboolean
rdd_selector_json_node_is_string(JsonNode *node)
{
	return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING;
}

static const gchar *
rdd_selector_json_node_describe(JsonNode *node)
{
	if (JSON_NODE_HOLDS_VALUE(node))
		return g_type_name(json_node_get_value_type(node));
	return json_node_type_name(node);
}

static gboolean
rdd_selector_json_check_key(const gchar *path, const gchar *key, GError **error)
{
	g_autofree gchar *msg = rdd_selector_describe_bad_key(key);
	if (msg != NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: %s", path, msg);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_selector_json_check_value(const gchar *path, const gchar *value, GError **error)
{
	g_autofree gchar *msg = rdd_selector_describe_bad_value(value);
	if (msg != NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID, "%s: %s", path, msg);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_selector_json_add_match_labels(JsonNode *node, GArray *reqs, GError **error)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		rdd_selector_set_json_error(error, "matchLabels",
					    "must be an object mapping label keys to values, not %s",
					    rdd_selector_json_node_describe(node));
		return FALSE;
	}
	json_object_iter_init_ordered(&iter, json_node_get_object(node));
	while (json_object_iter_next_ordered(&iter, &key, &value)) {
		g_autoptr(GString) path = g_string_new("matchLabels[");
		rdd_selector_append_quoted(path, key, strlen(key), '"');
		g_string_append_c(path, ']');
		if (!rdd_selector_json_node_is_string(value)) {
			rdd_selector_set_json_error(error, path->str, "must be a string, not %s",
						    rdd_selector_json_node_describe(value));
			return FALSE;
		}
		if (!rdd_selector_json_check_key(path->str, key, error))
			return FALSE;
		if (!rdd_selector_json_check_value(path->str, json_node_get_string(value), error))
			return FALSE;
		rdd_selector_requirements_add(reqs, g_strdup(key), RDD_SELECTOR_OP_EQUALS,
					      rdd_selector_values_new1(json_node_get_string(value),
								       strlen(json_node_get_string(value))));
	}
	return TRUE;
}

static gboolean
rdd_selector_json_add_expression(JsonNode *node, guint idx, GArray *reqs, GError **error)
{
	JsonObject *obj;
	JsonNode *key_node;
	JsonNode *op_node;
	JsonNode *values_node;
	const gchar *key;
	const gchar *op_str;
	RddSelectorOp op;
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *path = g_strdup_printf("matchExpressions[%u]", idx);
	g_autofree gchar *key_path = g_strdup_printf("%s.key", path);
	g_autofree gchar *op_path = g_strdup_printf("%s.operator", path);
	g_autofree gchar *values_path = g_strdup_printf("%s.values", path);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		rdd_selector_set_json_error(error, path,
					    "must be an object with key, operator and values, "
					    "not %s",
					    rdd_selector_json_node_describe(node));
		return FALSE;
	}
	obj = json_node_get_object(node);

	key_node = json_object_get_member(obj, "key");
	if (key_node == NULL || JSON_NODE_HOLDS_NULL(key_node)) {
		rdd_selector_set_json_error(error, key_path, "Required value");
		return FALSE;
	}
	if (!rdd_selector_json_node_is_string(key_node)) {
		rdd_selector_set_json_error(error, key_path, "must be a string, not %s",
					    rdd_selector_json_node_describe(key_node));
		return FALSE;
	}
	key = json_node_get_string(key_node);
	if (!rdd_selector_json_check_key(key_path, key, error))
		return FALSE;

	op_node = json_object_get_member(obj, "operator");
	if (op_node == NULL || JSON_NODE_HOLDS_NULL(op_node)) {
		rdd_selector_set_json_error(error, op_path, "Required value");
		return FALSE;
	}
	if (!rdd_selector_json_node_is_string(op_node)) {
		rdd_selector_set_json_error(error, op_path, "must be a string, not %s",
					    rdd_selector_json_node_describe(op_node));
		return FALSE;
	}
	op_str = json_node_get_string(op_node);
	if (g_strcmp0(op_str, "In") == 0) {
		op = RDD_SELECTOR_OP_IN;
	} else if (g_strcmp0(op_str, "NotIn") == 0) {
		op = RDD_SELECTOR_OP_NOT_IN;
	} else if (g_strcmp0(op_str, "Exists") == 0) {
		op = RDD_SELECTOR_OP_EXISTS;
	} else if (g_strcmp0(op_str, "DoesNotExist") == 0) {
		op = RDD_SELECTOR_OP_DOES_NOT_EXIST;
	} else {
		g_autoptr(GString) detail = g_string_new(NULL);
		rdd_selector_append_quoted(detail, op_str, strlen(op_str), '"');
		g_string_append(detail, " is not a valid label selector operator (expected In, NotIn, "
					"Exists or DoesNotExist)");
		rdd_selector_set_json_error(error, op_path, "%s", detail->str);
		return FALSE;
	}

	values_node = json_object_get_member(obj, "values");
	if (values_node != NULL && !JSON_NODE_HOLDS_NULL(values_node)) {
		JsonArray *array;
		if (!JSON_NODE_HOLDS_ARRAY(values_node)) {
			rdd_selector_set_json_error(error, values_path, "must be an array of strings, not %s",
						    rdd_selector_json_node_describe(values_node));
			return FALSE;
		}
		array = json_node_get_array(values_node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *element = json_array_get_element(array, i);
			g_autofree gchar *element_path = g_strdup_printf("%s[%u]", values_path, i);
			if (!rdd_selector_json_node_is_string(element)) {
				rdd_selector_set_json_error(error, element_path, "must be a string, not %s",
							    rdd_selector_json_node_describe(element));
				return FALSE;
			}
			if (!rdd_selector_json_check_value(element_path, json_node_get_string(element), error))
				return FALSE;
			g_ptr_array_add(values, g_strdup(json_node_get_string(element)));
		}
	}
	if ((op == RDD_SELECTOR_OP_IN || op == RDD_SELECTOR_OP_NOT_IN) && values->len == 0) {
		rdd_selector_set_json_error(error, values_path,
					    "Required value: for 'In' and 'NotIn' operators, values "
					    "set can't be empty");
		return FALSE;
	}
	if ((op == RDD_SELECTOR_OP_EXISTS || op == RDD_SELECTOR_OP_DOES_NOT_EXIST) && values->len > 0) {
		rdd_selector_set_json_error(error, values_path,
					    "Forbidden: values set must be empty for 'Exists' and "
					    "'DoesNotExist' operators");
		return FALSE;
	}
	rdd_selector_requirements_add(reqs, g_strdup(key), op, rdd_selector_values_to_strv(values));
	return TRUE;
}

/**
 * rdd_selector_new_from_label_selector_json:
 * @json_object: (type Json.Object): a `JsonObject *` holding a Kubernetes metav1.LabelSelector
 * @error: (nullable): optional return location for an error
 *
 * Converts a LabelSelector, `{"matchLabels": {KEY: VALUE, ...}, "matchExpressions": [{"key":
 * KEY, "operator": "In"|"NotIn"|"Exists"|"DoesNotExist", "values": [...]}, ...]}`, to a label
 * selector, the way Kubernetes' LabelSelectorAsSelector does: each matchLabels entry is a
 * `key=value` requirement, In and NotIn need at least one value, Exists and DoesNotExist none.
 * Both members are optional (null counts as absent) and other members are ignored; a selector
 * with neither is empty and matches everything.
 *
 * Errors are %RDD_ERROR_INVALID and start with the path of the offending member relative to
 * the LabelSelector, e.g. `matchExpressions[1].operator: "Foo" is not a valid label selector
 * operator ...`, so a caller can prefix the path of the selector itself with g_prefix_error().
 *
 * Returns: (transfer full): a new selector, or %NULL on error
 *
 * Since: 0.1
 */
RddSelector *
rdd_selector_new_from_label_selector_json(gpointer json_object, GError **error)
{
	JsonObject *obj = json_object;
	JsonNode *node;
	g_autoptr(GArray) reqs = NULL;

	g_return_val_if_fail(json_object != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	reqs = rdd_selector_requirements_new();
	node = json_object_get_member(obj, "matchLabels");
	if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
		if (!rdd_selector_json_add_match_labels(node, reqs, error))
			return NULL;
	}
	node = json_object_get_member(obj, "matchExpressions");
	if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
		JsonArray *array;
		if (!JSON_NODE_HOLDS_ARRAY(node)) {
			rdd_selector_set_json_error(error, "matchExpressions",
						    "must be an array of {key, operator, values} "
						    "objects, not %s",
						    rdd_selector_json_node_describe(node));
			return NULL;
		}
		array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			if (!rdd_selector_json_add_expression(json_array_get_element(array, i), i, reqs, error))
				return NULL;
		}
	}
	return rdd_selector_new_take(RDD_SELECTOR_KIND_LABELS, g_steal_pointer(&reqs));
}

/**
 * rdd_selector_ref:
 * @self: a selector
 *
 * Takes a reference; safe from any thread.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
RddSelector *
rdd_selector_ref(RddSelector *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->ref_count);
	return self;
}

/**
 * rdd_selector_unref:
 * @self: (transfer full): a selector
 *
 * Drops a reference; the selector is freed with the last one. Safe from any thread.
 *
 * Since: 0.1
 */
void
rdd_selector_unref(RddSelector *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_int_dec_and_test(&self->ref_count))
		return;
	for (guint i = 0; i < self->n_requirements; i++)
		rdd_selector_requirement_clear(&self->requirements[i]);
	g_free(self->requirements);
	g_free(self);
}

/**
 * rdd_selector_is_empty:
 * @self: a selector
 *
 * Returns: %TRUE if @self has no requirements and so matches everything
 *
 * Since: 0.1
 */
gboolean
rdd_selector_is_empty(RddSelector *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->n_requirements == 0;
}

/**
 * rdd_selector_get_n_requirements:
 * @self: a selector
 *
 * Returns: the number of requirements
 *
 * Since: 0.1
 */
guint
rdd_selector_get_n_requirements(RddSelector *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->n_requirements;
}

/**
 * rdd_selector_get_requirement:
 * @self: a selector
 * @idx: an index below rdd_selector_get_n_requirements()
 *
 * Requirements are sorted by key; those on the same key keep the order they were written in.
 *
 * Returns: (transfer none): the requirement, owned by @self
 *
 * Since: 0.1
 */
const RddRequirement *
rdd_selector_get_requirement(RddSelector *self, guint idx)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(idx < self->n_requirements, NULL);
	return &self->requirements[idx];
}

/**
 * rdd_selector_find_requirement:
 * @self: a selector
 * @key: a label key or field path
 *
 * Finds the first requirement on @key, e.g. for the store to pick an index.
 *
 * Returns: (transfer none) (nullable): the requirement, owned by @self, or %NULL if none
 *
 * Since: 0.1
 */
const RddRequirement *
rdd_selector_find_requirement(RddSelector *self, const gchar *key)
{
	guint lo = 0;
	guint hi;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(key != NULL, NULL);

	hi = self->n_requirements;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (strcmp(self->requirements[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < self->n_requirements && strcmp(self->requirements[lo].key, key) == 0)
		return &self->requirements[lo];
	return NULL;
}

/* @value is NULL when the object does not have the key */
static gboolean
rdd_selector_requirement_matches(const RddRequirement *req, const gchar *value)
{
	gboolean found = FALSE;

	switch (req->op) {
	case RDD_SELECTOR_OP_EXISTS:
		return value != NULL;
	case RDD_SELECTOR_OP_DOES_NOT_EXIST:
		return value == NULL;
	case RDD_SELECTOR_OP_EQUALS:
		return value != NULL && strcmp(value, req->values[0]) == 0;
	case RDD_SELECTOR_OP_NOT_EQUALS:
		return value == NULL || strcmp(value, req->values[0]) != 0;
	case RDD_SELECTOR_OP_IN:
	case RDD_SELECTOR_OP_NOT_IN:
		if (value != NULL) {
			/* sorted: stop at the first value that is not smaller */
			for (guint i = 0; req->values[i] != NULL; i++) {
				gint rc = strcmp(req->values[i], value);
				if (rc >= 0) {
					found = rc == 0;
					break;
				}
			}
		}
		return req->op == RDD_SELECTOR_OP_IN ? found : !found;
	default:
		return FALSE;
	}
}

/**
 * rdd_selector_matches:
 * @self: a selector
 * @lookup: (scope call): returns the value of a key on the object, or %NULL if it has none
 * @user_data: user data for @lookup
 *
 * Checks whether an object satisfies every requirement of @self. As in Kubernetes, `!=` and
 * `notin` hold when the key is absent, `=` and `in` do not; for a field selector an absent
 * field counts as the empty string. The empty selector matches everything.
 *
 * Returns: %TRUE if the object matches
 *
 * Since: 0.1
 */
gboolean
rdd_selector_matches(RddSelector *self, RddSelectorLookupFunc lookup, gpointer user_data)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(lookup != NULL, FALSE);

	for (guint i = 0; i < self->n_requirements; i++) {
		const RddRequirement *req = &self->requirements[i];
		const gchar *value = lookup(req->key, user_data);
		if (value == NULL && self->kind == RDD_SELECTOR_KIND_FIELDS)
			value = "";
		if (!rdd_selector_requirement_matches(req, value))
			return FALSE;
	}
	return TRUE;
}

/**
 * rdd_selector_matches_pairs:
 * @self: a selector
 * @pairs: (nullable) (array zero-terminated=1): the object's labels or fields as a flat
 *   `{key1, value1, key2, value2, ..., NULL}` array, sorted by key in strcmp() order, without
 *   duplicate keys and with no %NULL value; %NULL for an object without any
 *
 * Like rdd_selector_matches(), for the store's hot path: binary search over @pairs, no
 * allocation.
 *
 * Returns: %TRUE if the object matches
 *
 * Since: 0.1
 */
gboolean
rdd_selector_matches_pairs(RddSelector *self, const gchar *const *pairs)
{
	gsize n_pairs = 0;
	gsize lo = 0;

	g_return_val_if_fail(self != NULL, FALSE);

	if (self->n_requirements == 0)
		return TRUE;
	if (pairs != NULL) {
		while (pairs[2 * n_pairs] != NULL)
			n_pairs++;
	}
	for (guint i = 0; i < self->n_requirements; i++) {
		const RddRequirement *req = &self->requirements[i];
		const gchar *value = NULL;
		gsize hi = n_pairs;

		/* requirements are sorted by key too, so the lower bound only moves right */
		while (lo < hi) {
			gsize mid = lo + (hi - lo) / 2;
			if (strcmp(pairs[2 * mid], req->key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n_pairs && strcmp(pairs[2 * lo], req->key) == 0)
			value = pairs[2 * lo + 1];
		if (value == NULL && self->kind == RDD_SELECTOR_KIND_FIELDS)
			value = "";
		if (!rdd_selector_requirement_matches(req, value))
			return FALSE;
	}
	return TRUE;
}

static void
rdd_selector_append_field_value(GString *out, const gchar *value)
{
	for (const gchar *p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == ',' || *p == '=')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
}

/**
 * rdd_selector_to_string:
 * @self: a selector
 *
 * Formats @self canonically, requirements in their sorted order, e.g.
 * `a=b,c!=d,e in (x,y),f notin (z),g,!h` for a label selector, or `metadata.name=a\,b` for a
 * field selector (values escaped). Parsing the text again gives an equal selector
 * (rdd_selector_equal()). A list made of only the empty value prints as `(,)`. The empty
 * selector prints as the empty string.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
gchar *
rdd_selector_to_string(RddSelector *self)
{
	g_autoptr(GString) str = g_string_new(NULL);

	g_return_val_if_fail(self != NULL, NULL);

	for (guint i = 0; i < self->n_requirements; i++) {
		const RddRequirement *req = &self->requirements[i];
		if (i > 0)
			g_string_append_c(str, ',');
		if (self->kind == RDD_SELECTOR_KIND_FIELDS) {
			g_string_append(str, req->key);
			g_string_append(str, req->op == RDD_SELECTOR_OP_NOT_EQUALS ? "!=" : "=");
			rdd_selector_append_field_value(str, req->values[0]);
			continue;
		}
		switch (req->op) {
		case RDD_SELECTOR_OP_EQUALS:
		case RDD_SELECTOR_OP_NOT_EQUALS:
			g_string_append(str, req->key);
			g_string_append(str, req->op == RDD_SELECTOR_OP_EQUALS ? "=" : "!=");
			g_string_append(str, req->values[0]);
			break;
		case RDD_SELECTOR_OP_IN:
		case RDD_SELECTOR_OP_NOT_IN:
			g_string_append(str, req->key);
			g_string_append(str, req->op == RDD_SELECTOR_OP_IN ? " in (" : " notin (");
			for (guint j = 0; req->values[j] != NULL; j++) {
				if (j > 0)
					g_string_append_c(str, ',');
				g_string_append(str, req->values[j]);
			}
			/* "()" would be rejected: the lone empty value is "(,)" */
			if (req->values[0] != NULL && req->values[0][0] == '\0' && req->values[1] == NULL)
				g_string_append_c(str, ',');
			g_string_append_c(str, ')');
			break;
		case RDD_SELECTOR_OP_EXISTS:
			g_string_append(str, req->key);
			break;
		case RDD_SELECTOR_OP_DOES_NOT_EXIST:
			g_string_append_c(str, '!');
			g_string_append(str, req->key);
			break;
		default:
			break;
		}
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/**
 * rdd_selector_equal:
 * @a: a selector
 * @b: another selector
 *
 * Compares two selectors: they are equal when both are label selectors or both field
 * selectors and they have the same requirements (key, operator and values) in the same order.
 * Since requirements and values are kept sorted, selectors that differ only in the order of
 * requirements on different keys, in duplicate values, in `=` versus `==`, or in whitespace
 * compare equal.
 *
 * Returns: %TRUE if @a and @b are equal
 *
 * Since: 0.1
 */
gboolean
rdd_selector_equal(RddSelector *a, RddSelector *b)
{
	g_return_val_if_fail(a != NULL, FALSE);
	g_return_val_if_fail(b != NULL, FALSE);

	if (a == b)
		return TRUE;
	if (a->kind != b->kind || a->n_requirements != b->n_requirements)
		return FALSE;
	for (guint i = 0; i < a->n_requirements; i++) {
		const RddRequirement *ra = &a->requirements[i];
		const RddRequirement *rb = &b->requirements[i];
		if (ra->op != rb->op || strcmp(ra->key, rb->key) != 0)
			return FALSE;
		if (!g_strv_equal((const gchar *const *)ra->values, (const gchar *const *)rb->values))
			return FALSE;
	}
	return TRUE;
}

/**
 * rdd_selector_is_fields:
 * @self: a selector
 *
 * Returns: %TRUE if @self was parsed by rdd_selector_parse_fields(), %FALSE for a label
 *   selector
 *
 * Since: 0.1
 */
gboolean
rdd_selector_is_fields(RddSelector *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->kind == RDD_SELECTOR_KIND_FIELDS;
}
