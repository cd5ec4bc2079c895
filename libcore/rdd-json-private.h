/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* g_string_append_len() and g_string_append_c() are not inlined in GLib 2.74 and go through
 * g_string_insert_len(), which dominates the cost of writing small pieces of JSON: copy
 * directly while there is room. Shared by the JSON writers of rdd-json.c, rdd-object.c and
 * rdd-schema.c */
static inline G_ALWAYS_INLINE void
rdd_json_append(GString *out, const gchar *s, gsize n)
{
	if (G_LIKELY(out->len + n < out->allocated_len)) {
		memcpy(out->str + out->len, s, n);
		out->len += n;
		out->str[out->len] = '\0';
	} else {
		g_string_append_len(out, s, n);
	}
}

static inline G_ALWAYS_INLINE void
rdd_json_append_c(GString *out, gchar c)
{
	if (G_LIKELY(out->len + 1 < out->allocated_len)) {
		out->str[out->len++] = c;
		out->str[out->len] = '\0';
	} else {
		g_string_append_c(out, c);
	}
}

G_END_DECLS
