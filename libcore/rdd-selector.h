/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * RddSelectorOp:
 * @RDD_SELECTOR_OP_EQUALS: `key=value` or `key==value`
 * @RDD_SELECTOR_OP_NOT_EQUALS: `key!=value` (also true when the key is absent)
 * @RDD_SELECTOR_OP_IN: `key in (a,b)`
 * @RDD_SELECTOR_OP_NOT_IN: `key notin (a,b)` (also true when the key is absent)
 * @RDD_SELECTOR_OP_EXISTS: `key`
 * @RDD_SELECTOR_OP_DOES_NOT_EXIST: `!key`
 *
 * The operator of one selector requirement. Field selectors only use EQUALS and NOT_EQUALS.
 *
 * Since: 0.1
 */
typedef enum {
	RDD_SELECTOR_OP_EQUALS,
	RDD_SELECTOR_OP_NOT_EQUALS,
	RDD_SELECTOR_OP_IN,
	RDD_SELECTOR_OP_NOT_IN,
	RDD_SELECTOR_OP_EXISTS,
	RDD_SELECTOR_OP_DOES_NOT_EXIST,
} RddSelectorOp;

/**
 * RddRequirement:
 * @key: the label key or field path
 * @op: the operator
 * @values: (array zero-terminated=1): the values, sorted and without duplicates; one for
 *   EQUALS/NOT_EQUALS, at least one for IN/NOT_IN, none for EXISTS/DOES_NOT_EXIST
 *
 * One requirement of a selector; all requirements of a selector must hold (AND).
 *
 * Since: 0.1
 */
typedef struct {
	gchar *key;
	RddSelectorOp op;
	gchar **values;
} RddRequirement;

/**
 * RddSelectorLookupFunc:
 * @key: a label key or field path
 * @user_data: user data
 *
 * Returns the value of @key on the object being matched, or %NULL when it has no such key.
 *
 * Returns: (nullable): the value
 *
 * Since: 0.1
 */
typedef const gchar *(*RddSelectorLookupFunc)(const gchar *key, gpointer user_data);

/**
 * RddSelector:
 *
 * A parsed, immutable, reference-counted label selector or field selector. The empty
 * selector matches everything.
 *
 * Since: 0.1
 */
typedef struct _RddSelector RddSelector;

GType rdd_selector_get_type(void);
#define RDD_TYPE_SELECTOR (rdd_selector_get_type())

RddSelector *rdd_selector_parse_labels(const gchar *text, GError **error);
RddSelector *rdd_selector_parse_fields(const gchar *text, GError **error);
RddSelector *rdd_selector_new_from_label_selector_json(gpointer json_object, GError **error);
RddSelector *rdd_selector_ref(RddSelector *self);
void rdd_selector_unref(RddSelector *self);

gboolean rdd_selector_is_empty(RddSelector *self);
guint rdd_selector_get_n_requirements(RddSelector *self);
const RddRequirement *rdd_selector_get_requirement(RddSelector *self, guint idx);
const RddRequirement *rdd_selector_find_requirement(RddSelector *self, const gchar *key);

gboolean rdd_selector_matches(RddSelector *self, RddSelectorLookupFunc lookup, gpointer user_data);
gboolean rdd_selector_matches_pairs(RddSelector *self, const gchar *const *pairs);
gchar *rdd_selector_to_string(RddSelector *self);
gboolean rdd_selector_equal(RddSelector *a, RddSelector *b);
gboolean rdd_selector_is_fields(RddSelector *self);

gboolean rdd_label_key_validate(const gchar *key, GError **error);
gboolean rdd_label_value_validate(const gchar *value, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RddSelector, rdd_selector_unref)

G_END_DECLS
