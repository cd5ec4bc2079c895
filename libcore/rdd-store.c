/*
 * SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rdd authors
 */

#include "config.h"

#include <string.h>

#include "rdd-admission-private.h"
#include "rdd-error.h"
#include "rdd-json-patch.h"
#include "rdd-json.h"
#include "rdd-object-private.h"
#include "rdd-persist.h"
#include "rdd-store.h"
#include "rdd-time.h"

/*
 * Indexes. Every object has one entry for its lifetime (its key never changes); updates swap
 * the snapshot the entry points to. Secondary indexes map a value to a posting: the set of
 * entries with that value, kept as a single pointer while it has one member so that unique
 * values (names, uids) cost no array of their own, else as an array. Each entry knows where it
 * is in the arrays of its postings (its slots), so that it leaves one at once: the last entry
 * takes its place.
 */
typedef struct _RddStoreKind RddStoreKind;
typedef struct _RddStorePosting RddStorePosting;

typedef struct {
	RddStorePosting *posting;
	guint index; /* in posting->many */
	guint count; /* times added: an owner may be named twice */
} RddStoreSlot;

typedef struct {
	gchar *key; /* "namespace/name" or "name" */
	RddObject *obj;
	RddStoreKind *sk;
	RddStoreSlot *slots; /* the postings the entry is in */
	guint n_slots;
	guint alloc_slots;
	GHashTable *slot_index; /* (nullable): posting -> position in slots + 1, for many slots */
} RddStoreEntry;

struct _RddStorePosting {
	guint n;	      /* times added, as rdd_store_posting_size() reports */
	guint len;	      /* distinct entries */
	RddStoreEntry *one;   /* the entry, while there is one and @many is %NULL */
	RddStoreEntry **many; /* else the entries */
	guint alloc;
};

struct _RddStoreKind {
	RddKind *kind;
	GQuark detail;
	GHashTable *by_key;	  /* key -> entry (owns entries) */
	GTree *ordered;		  /* key -> entry, sorted */
	GHashTable *by_name;	  /* name -> posting */
	GHashTable *by_namespace; /* namespace -> posting */
	GHashTable *label_pairs;  /* "key=value" -> posting */
	GHashTable *label_keys;	  /* key -> posting */
	GHashTable **fields;	  /* per selectable field: value -> posting */
	guint n_fields;
	GPtrArray *hooks; /* RddStoreHook, kind-specific */
};

typedef struct {
	RddKind *kind; /* NULL: every kind */
	RddAdmissionType type;
	RddOperation operations;
	gchar *name;
	RddAdmissionFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} RddStoreHook;

typedef struct {
	RddEventType type;
	RddObject *object;
	RddObject *old_object;
	guint64 rv;
} RddStoreEvent;

typedef struct {
	guint64 rv;
	GTask *task;
} RddStoreWaiter;

struct _RddStore {
	GObject parent_instance;
	GThread *thread;
	GHashTable *kinds; /* qualified name -> RddStoreKind */
	GPtrArray *kind_list;
	GHashTable *by_uid;	/* uid -> entry */
	GHashTable *dependents; /* owner uid -> posting */
	guint64 rv;
	guint64 committed_rv;
	RddStoreEvent *history;
	guint history_size;
	guint history_start;
	guint history_len;
	guint64 history_floor; /* events with rv > floor are available */
	RddPersist *persist;
	gboolean synchronous_full;
	guint flush_id;
	guint flush_retry_ms;
	RddPersistBatch *commit_batch; /* being written by a worker thread */
	guint64 commit_rv;	       /* the resourceVersion it makes durable */
	guint commit_seq;	       /* tells a late worker result from the current one */
	GPtrArray *waiters;
	GPtrArray *hooks; /* hooks for every kind */
	guint gc_id;
	GHashTable *gc_owners;	   /* uid of removed or finalizing owner -> TRUE */
	GHashTable *gc_orphans;	   /* uid of objects to check for dangling owners -> TRUE */
	GHashTable *gc_unresolved; /* uid of objects kept as an owner's kind is unknown -> TRUE */
	GHashTable *gc_namespaces; /* namespace being deleted -> TRUE */
	RddKind *namespace_kind;
	GHashTable *controllers; /* name of a running controller -> TRUE */
	GString *scratch;	 /* objects are serialised here, then copied at their size */
	GString *content;	 /* what rdd_schema_write() wrote of the object being written */
	GArray *content_spans;	 /* where its members are: guint32 key, value and end offsets */
	gint64 now_secs;	 /* the second now_text was formatted for */
	gchar *now_text;	 /* creationTimestamp of the objects created in that second */
	gint64 now_usec;	 /* now_text read back */
};

G_DEFINE_FINAL_TYPE(RddStore, rdd_store, G_TYPE_OBJECT)

enum {
	SIGNAL_OBJECT_ADDED,
	SIGNAL_OBJECT_CHANGED,
	SIGNAL_OBJECT_REMOVED,
	SIGNAL_COMMITTED,
	SIGNAL_LAST
};
static guint signals[SIGNAL_LAST] = {0};

/* take_object replaced one reserved pointer of RddWriteOptions: the size stays as it was */
typedef struct {
	gboolean dry_run;
	RddFieldValidation field_validation;
	const gchar *field_manager;
	GPtrArray *warnings;
	RddWritePrepareFunc prepare;
	gpointer prepare_data;
	gpointer reserved[2];
} RddStoreWriteOptionsV0;
G_STATIC_ASSERT(sizeof(RddWriteOptions) == sizeof(RddStoreWriteOptionsV0));

#define RDD_STORE_MAX_ANNOTATIONS_SIZE (256 * 1024)
#define RDD_STORE_NAMESPACE_FINALIZER "kubernetes"

static gboolean
rdd_store_is_owner_thread(RddStore *self)
{
	return self->thread == g_thread_self();
}

/* ---------------------------------------------------------------------------------------- */
/* postings */

static RddStorePosting *
rdd_store_posting_new(void)
{
	return g_new0(RddStorePosting, 1);
}

static void
rdd_store_posting_free(RddStorePosting *posting)
{
	g_free(posting->many);
	g_free(posting);
}

/* past this many slots an entry looks them up in a hash table rather than scan them */
#define RDD_STORE_ENTRY_SCAN_SLOTS 16

/* the slot of @entry in @posting, or %NULL */
static RddStoreSlot *
rdd_store_entry_find_slot(RddStoreEntry *entry, RddStorePosting *posting)
{
	if (entry->slot_index != NULL) {
		guint pos = GPOINTER_TO_UINT(g_hash_table_lookup(entry->slot_index, posting));
		return pos > 0 ? &entry->slots[pos - 1] : NULL;
	}
	for (guint i = 0; i < entry->n_slots; i++) {
		if (entry->slots[i].posting == posting)
			return &entry->slots[i];
	}
	return NULL;
}

/* a new slot of @entry, for @posting */
static RddStoreSlot *
rdd_store_entry_add_slot(RddStoreEntry *entry, RddStorePosting *posting)
{
	RddStoreSlot *slot;

	if (entry->n_slots == entry->alloc_slots) {
		entry->alloc_slots = MAX(8, 2 * entry->alloc_slots);
		entry->slots = g_renew(RddStoreSlot, entry->slots, entry->alloc_slots);
	}
	slot = &entry->slots[entry->n_slots++];
	slot->posting = posting;
	slot->count = 1;
	if (entry->slot_index != NULL) {
		g_hash_table_insert(entry->slot_index, posting, GUINT_TO_POINTER(entry->n_slots));
	} else if (entry->n_slots > RDD_STORE_ENTRY_SCAN_SLOTS) {
		entry->slot_index = g_hash_table_new(g_direct_hash, g_direct_equal);
		for (guint i = 0; i < entry->n_slots; i++)
			g_hash_table_insert(entry->slot_index, entry->slots[i].posting,
					    GUINT_TO_POINTER(i + 1));
	}
	return slot;
}

/* drops @slot of @entry: the last slot takes its place */
static void
rdd_store_entry_remove_slot(RddStoreEntry *entry, RddStoreSlot *slot)
{
	guint pos = slot - entry->slots;

	if (entry->slot_index != NULL)
		g_hash_table_remove(entry->slot_index, slot->posting);
	*slot = entry->slots[--entry->n_slots];
	if (entry->slot_index != NULL && pos < entry->n_slots)
		g_hash_table_insert(entry->slot_index, slot->posting, GUINT_TO_POINTER(pos + 1));
}

static void
rdd_store_posting_add(GHashTable *index, const gchar *value, RddStoreEntry *entry)
{
	RddStorePosting *posting = g_hash_table_lookup(index, value);
	RddStoreSlot *slot;

	if (posting == NULL) {
		posting = rdd_store_posting_new();
		g_hash_table_insert(index, g_strdup(value), posting);
	}
	posting->n++;
	slot = rdd_store_entry_find_slot(entry, posting);
	if (slot != NULL) {
		slot->count++;
		return;
	}
	slot = rdd_store_entry_add_slot(entry, posting);
	if (posting->len == 0) {
		posting->one = entry;
		slot->index = 0;
	} else {
		if (posting->many == NULL) {
			posting->alloc = 4;
			posting->many = g_new(RddStoreEntry *, posting->alloc);
			posting->many[0] = posting->one;
			posting->one = NULL;
		} else if (posting->len == posting->alloc) {
			posting->alloc *= 2;
			posting->many = g_renew(RddStoreEntry *, posting->many, posting->alloc);
		}
		posting->many[posting->len] = entry;
		slot->index = posting->len;
	}
	posting->len++;
}

static void
rdd_store_posting_remove(GHashTable *index, const gchar *value, RddStoreEntry *entry)
{
	RddStorePosting *posting = g_hash_table_lookup(index, value);
	RddStoreSlot *slot;
	guint at;

	if (posting == NULL)
		return;
	slot = rdd_store_entry_find_slot(entry, posting);
	if (slot == NULL)
		return;
	posting->n--;
	if (--slot->count > 0)
		return;
	at = slot->index;
	rdd_store_entry_remove_slot(entry, slot);
	posting->len--;
	if (posting->many != NULL) {
		/* the last entry takes the place of the one leaving */
		RddStoreEntry *last = posting->many[posting->len];
		posting->many[at] = last;
		if (last != entry)
			rdd_store_entry_find_slot(last, posting)->index = at;
		if (posting->len == 1) {
			posting->one = posting->many[0];
			g_clear_pointer(&posting->many, g_free);
			posting->alloc = 0;
		}
	} else {
		posting->one = NULL;
	}
	if (posting->len == 0)
		g_hash_table_remove(index, value);
}

static guint
rdd_store_posting_size(GHashTable *index, const gchar *value)
{
	RddStorePosting *posting = g_hash_table_lookup(index, value);
	return posting != NULL ? posting->n : 0;
}

/* appends the entries of a posting to an array */
static void
rdd_store_posting_collect(GHashTable *index, const gchar *value, GPtrArray *out)
{
	RddStorePosting *posting = g_hash_table_lookup(index, value);

	if (posting == NULL)
		return;
	if (posting->many == NULL) {
		if (posting->one != NULL)
			g_ptr_array_add(out, posting->one);
		return;
	}
	for (guint i = 0; i < posting->len; i++)
		g_ptr_array_add(out, posting->many[i]);
}

/* ---------------------------------------------------------------------------------------- */
/* kinds and indexes */

static void
rdd_store_hook_free(RddStoreHook *hook)
{
	if (hook->destroy != NULL)
		hook->destroy(hook->user_data);
	g_clear_object(&hook->kind);
	g_free(hook->name);
	g_free(hook);
}

static void
rdd_store_entry_free(RddStoreEntry *entry)
{
	g_clear_pointer(&entry->slot_index, g_hash_table_unref);
	g_free(entry->slots);
	g_free(entry->key);
	g_clear_pointer(&entry->obj, rdd_object_unref);
	g_free(entry);
}

static GHashTable *
rdd_store_new_index(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)rdd_store_posting_free);
}

static void
rdd_store_kind_free(RddStoreKind *sk)
{
	g_tree_unref(sk->ordered);
	g_hash_table_unref(sk->by_name);
	g_hash_table_unref(sk->by_namespace);
	g_hash_table_unref(sk->label_pairs);
	g_hash_table_unref(sk->label_keys);
	for (guint i = 0; i < sk->n_fields; i++)
		g_hash_table_unref(sk->fields[i]);
	g_free(sk->fields);
	g_hash_table_unref(sk->by_key);
	g_ptr_array_unref(sk->hooks);
	g_object_unref(sk->kind);
	g_free(sk);
}

static gint
rdd_store_key_cmp(gconstpointer a, gconstpointer b, gpointer user_data)
{
	return strcmp(a, b);
}

static RddStoreKind *
rdd_store_kind_new(RddKind *kind)
{
	RddStoreKind *sk = g_new0(RddStoreKind, 1);
	sk->kind = g_object_ref(kind);
	sk->detail = g_quark_from_string(rdd_kind_get_name(kind));
	sk->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)rdd_store_entry_free);
	sk->ordered = g_tree_new_full(rdd_store_key_cmp, NULL, NULL, NULL);
	sk->by_name = rdd_store_new_index();
	sk->by_namespace = rdd_store_new_index();
	sk->label_pairs = rdd_store_new_index();
	sk->label_keys = rdd_store_new_index();
	sk->n_fields = g_strv_length((gchar **)rdd_kind_get_selectable_fields(kind));
	sk->fields = g_new0(GHashTable *, sk->n_fields + 1);
	for (guint i = 0; i < sk->n_fields; i++)
		sk->fields[i] = rdd_store_new_index();
	sk->hooks = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_store_hook_free);
	return sk;
}

static gchar *
rdd_store_label_pair(const gchar *key, const gchar *value)
{
	return g_strconcat(key, "=", value, NULL);
}

/* @a, @b and @c joined, in @buf when they fit, else in *@heap */
static const gchar *
rdd_store_concat(const gchar *a, const gchar *b, const gchar *c, gchar *buf, gsize size, gchar **heap)
{
	gsize la = strlen(a);
	gsize lb = strlen(b);
	gsize lc = strlen(c);

	if (la + lb + lc >= size) {
		*heap = g_strconcat(a, b, c, NULL);
		return *heap;
	}
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	memcpy(buf + la + lb, c, lc + 1);
	return buf;
}

static void
rdd_store_index_labels(RddStoreKind *sk, RddStoreEntry *entry, RddObject *obj, gboolean add)
{
	const gchar *const *labels = rdd_object_get_labels(obj);
	for (guint i = 0; labels[i] != NULL; i += 2) {
		gchar buf[256];
		g_autofree gchar *heap = NULL;
		const gchar *pair = rdd_store_concat(labels[i], "=", labels[i + 1], buf, sizeof(buf), &heap);
		if (add) {
			rdd_store_posting_add(sk->label_pairs, pair, entry);
			rdd_store_posting_add(sk->label_keys, labels[i], entry);
		} else {
			rdd_store_posting_remove(sk->label_pairs, pair, entry);
			rdd_store_posting_remove(sk->label_keys, labels[i], entry);
		}
	}
}

static void
rdd_store_index_fields(RddStoreKind *sk, RddStoreEntry *entry, RddObject *obj, gboolean add)
{
	for (guint i = 0; i < sk->n_fields; i++) {
		const gchar *value = obj->fields != NULL ? obj->fields[i] : NULL;
		if (value == NULL)
			continue;
		if (add)
			rdd_store_posting_add(sk->fields[i], value, entry);
		else
			rdd_store_posting_remove(sk->fields[i], value, entry);
	}
}

static void
rdd_store_index_owners(RddStore *self, RddStoreEntry *entry, RddObject *obj, gboolean add)
{
	for (guint i = 0; i < obj->n_owners; i++) {
		if (add)
			rdd_store_posting_add(self->dependents, obj->owners[i].uid, entry);
		else
			rdd_store_posting_remove(self->dependents, obj->owners[i].uid, entry);
	}
}

static gboolean
rdd_store_strv_equal(gchar **a, gchar **b)
{
	guint i;
	for (i = 0; a[i] != NULL && b[i] != NULL; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return FALSE;
	}
	return a[i] == NULL && b[i] == NULL;
}

static gboolean
rdd_store_owners_equal(RddObject *a, RddObject *b)
{
	if (a->n_owners != b->n_owners)
		return FALSE;
	for (guint i = 0; i < a->n_owners; i++) {
		if (g_strcmp0(a->owners[i].uid, b->owners[i].uid) != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_store_fields_equal(RddStoreKind *sk, RddObject *a, RddObject *b)
{
	for (guint i = 0; i < sk->n_fields; i++) {
		if (g_strcmp0(a->fields != NULL ? a->fields[i] : NULL,
			      b->fields != NULL ? b->fields[i] : NULL) != 0)
			return FALSE;
	}
	return TRUE;
}

static RddStoreEntry *
rdd_store_index_insert(RddStore *self, RddStoreKind *sk, RddObject *obj)
{
	RddStoreEntry *entry = g_new0(RddStoreEntry, 1);
	entry->key = rdd_object_get_key(obj);
	entry->obj = rdd_object_ref(obj);
	entry->sk = sk;
	g_hash_table_insert(sk->by_key, entry->key, entry);
	g_tree_insert(sk->ordered, entry->key, entry);
	rdd_store_posting_add(sk->by_name, obj->name, entry);
	rdd_store_posting_add(sk->by_namespace, obj->namespace, entry);
	rdd_store_index_labels(sk, entry, obj, TRUE);
	rdd_store_index_fields(sk, entry, obj, TRUE);
	rdd_store_index_owners(self, entry, obj, TRUE);
	g_hash_table_insert(self->by_uid, obj->uid, entry);
	return entry;
}

static void
rdd_store_index_replace(RddStore *self, RddStoreEntry *entry, RddObject *obj)
{
	RddStoreKind *sk = entry->sk;
	RddObject *old = entry->obj;

	if (!rdd_store_strv_equal(old->labels, obj->labels)) {
		rdd_store_index_labels(sk, entry, old, FALSE);
		rdd_store_index_labels(sk, entry, obj, TRUE);
	}
	if (!rdd_store_fields_equal(sk, old, obj)) {
		rdd_store_index_fields(sk, entry, old, FALSE);
		rdd_store_index_fields(sk, entry, obj, TRUE);
	}
	if (!rdd_store_owners_equal(old, obj)) {
		rdd_store_index_owners(self, entry, old, FALSE);
		rdd_store_index_owners(self, entry, obj, TRUE);
	}
	/* the uid index keys on the object's uid string: re-point it at the new snapshot */
	g_hash_table_steal(self->by_uid, old->uid);
	entry->obj = rdd_object_ref(obj);
	g_hash_table_insert(self->by_uid, obj->uid, entry);
	rdd_object_unref(old);
}

static void
rdd_store_index_drop(RddStore *self, RddStoreEntry *entry)
{
	RddStoreKind *sk = entry->sk;
	RddObject *obj = entry->obj;

	g_hash_table_remove(self->by_uid, obj->uid);
	rdd_store_posting_remove(sk->by_name, obj->name, entry);
	rdd_store_posting_remove(sk->by_namespace, obj->namespace, entry);
	rdd_store_index_labels(sk, entry, obj, FALSE);
	rdd_store_index_fields(sk, entry, obj, FALSE);
	rdd_store_index_owners(self, entry, obj, FALSE);
	g_tree_remove(sk->ordered, entry->key);
	g_hash_table_remove(sk->by_key, entry->key); /* frees the entry */
}

/* ---------------------------------------------------------------------------------------- */
/* GObject */

static void
rdd_store_event_clear(RddStoreEvent *event)
{
	g_clear_pointer(&event->object, rdd_object_unref);
	g_clear_pointer(&event->old_object, rdd_object_unref);
}

static void
rdd_store_history_clear(RddStore *self)
{
	for (guint i = 0; i < self->history_len; i++)
		rdd_store_event_clear(&self->history[(self->history_start + i) % self->history_size]);
	self->history_len = 0;
	self->history_start = 0;
}

static void
rdd_store_waiter_free(RddStoreWaiter *waiter)
{
	g_clear_object(&waiter->task);
	g_free(waiter);
}

static void
rdd_store_finalize(GObject *object)
{
	RddStore *self = RDD_STORE(object);

	g_clear_handle_id(&self->flush_id, g_source_remove);
	g_clear_handle_id(&self->gc_id, g_source_remove);
	for (guint i = 0; i < self->waiters->len; i++) {
		RddStoreWaiter *waiter = g_ptr_array_index(self->waiters, i);
		g_task_return_new_error(waiter->task, RDD_ERROR, RDD_ERROR_BUSY,
					"the store was closed before the write was committed");
	}
	g_ptr_array_unref(self->waiters);
	g_clear_pointer(&self->persist, rdd_persist_free);
	rdd_store_history_clear(self);
	g_free(self->history);
	g_hash_table_unref(self->by_uid);
	g_hash_table_unref(self->dependents);
	g_ptr_array_unref(self->kind_list);
	g_hash_table_unref(self->kinds);
	g_ptr_array_unref(self->hooks);
	g_hash_table_unref(self->gc_owners);
	g_hash_table_unref(self->gc_orphans);
	g_hash_table_unref(self->gc_namespaces);
	g_hash_table_unref(self->gc_unresolved);
	g_clear_object(&self->namespace_kind);
	g_hash_table_unref(self->controllers);
	g_string_free(self->scratch, TRUE);
	g_string_free(self->content, TRUE);
	g_array_unref(self->content_spans);
	g_free(self->now_text);
	G_OBJECT_CLASS(rdd_store_parent_class)->finalize(object);
}

static void
rdd_store_class_init(RddStoreClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = rdd_store_finalize;

	/**
	 * RddStore::object-added:
	 * @self: the store
	 * @object: the new object
	 *
	 * Emitted after an object was created. The detail is the kind name, so a controller
	 * connects to `object-added::LimaVM`.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_OBJECT_ADDED] = g_signal_new(
		"object-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, RDD_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
	/**
	 * RddStore::object-changed:
	 * @self: the store
	 * @old_object: the object before the write
	 * @object: the object after the write
	 *
	 * Emitted after an object changed, detailed by kind name.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_OBJECT_CHANGED] = g_signal_new(
		"object-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
		0, NULL, NULL, NULL, G_TYPE_NONE, 2, RDD_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE,
		RDD_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
	/**
	 * RddStore::object-removed:
	 * @self: the store
	 * @object: the object as it was removed, with the deletion's resourceVersion
	 *
	 * Emitted after an object was removed for good, detailed by kind name.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_OBJECT_REMOVED] = g_signal_new(
		"object-removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
		0, NULL, NULL, NULL, G_TYPE_NONE, 1, RDD_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
	/**
	 * RddStore::committed:
	 * @self: the store
	 * @resource_version: every write up to this resourceVersion is durable
	 *
	 * Emitted once per main-loop iteration that wrote something, after the writes committed
	 * (or at once, for kinds that are not persisted). Watch streams deliver events up to
	 * @resource_version when this fires.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_COMMITTED] = g_signal_new("committed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
						 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
rdd_store_init(RddStore *self)
{
	self->thread = g_thread_self();
	self->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)rdd_store_kind_free);
	self->kind_list = g_ptr_array_new_with_free_func(g_object_unref);
	self->by_uid = g_hash_table_new(g_str_hash, g_str_equal);
	self->dependents = rdd_store_new_index();
	self->history_size = RDD_STORE_DEFAULT_HISTORY;
	self->history = g_new0(RddStoreEvent, self->history_size);
	self->waiters = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_store_waiter_free);
	self->hooks = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_store_hook_free);
	self->gc_owners = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->gc_orphans = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->gc_namespaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->gc_unresolved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->controllers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->synchronous_full = TRUE;
	self->flush_retry_ms = 100;
	self->scratch = g_string_sized_new(4096);
	self->content = g_string_sized_new(4096);
	self->content_spans = g_array_new(FALSE, FALSE, sizeof(guint32));
	self->now_secs = G_MININT64;
}

/**
 * rdd_store_new:
 *
 * Creates an empty in-memory store. Register kinds, then optionally rdd_store_open() a
 * database for the persistent ones. The store must be used from the thread that created it.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
RddStore *
rdd_store_new(void)
{
	return g_object_new(RDD_TYPE_STORE, NULL);
}

/**
 * rdd_store_format_key:
 * @kind: a kind
 * @namespace: (nullable): a namespace
 * @name: a name
 *
 * Returns: (transfer full): the store key, `namespace/name` or `name`
 *
 * Since: 0.1
 */
gchar *
rdd_store_format_key(RddKind *kind, const gchar *namespace, const gchar *name)
{
	if (!rdd_kind_is_namespaced(kind) || namespace == NULL || namespace[0] == '\0')
		return g_strdup(name);
	return g_strdup_printf("%s/%s", namespace, name);
}

static RddStoreKind *
rdd_store_get_sk(RddStore *self, RddKind *kind)
{
	return g_hash_table_lookup(self->kinds, rdd_kind_get_qualified_name(kind));
}

static RddStoreKind *
rdd_store_require_sk(RddStore *self, RddKind *kind, GError **error)
{
	RddStoreKind *sk;
	if (kind == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "no kind given");
		return NULL;
	}
	sk = rdd_store_get_sk(self, kind);
	if (sk == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
			    "the server could not find the requested resource (kind %s is not registered)",
			    rdd_kind_get_qualified_name(kind));
		return NULL;
	}
	return sk;
}

/* ---------------------------------------------------------------------------------------- */
/* events, history, persistence */

static void
rdd_store_history_push(RddStore *self, RddEventType type, RddObject *obj, RddObject *old)
{
	RddStoreEvent *event;

	if (self->history_size == 0) {
		self->history_floor = obj->rv;
		return;
	}
	if (self->history_len == self->history_size) {
		event = &self->history[self->history_start];
		self->history_floor = event->rv;
		rdd_store_event_clear(event);
		self->history_start = (self->history_start + 1) % self->history_size;
		self->history_len--;
	}
	event = &self->history[(self->history_start + self->history_len) % self->history_size];
	event->type = type;
	event->object = rdd_object_ref(obj);
	event->old_object = old != NULL ? rdd_object_ref(old) : NULL;
	event->rv = obj->rv;
	self->history_len++;
}

static void
rdd_store_complete_waiters(RddStore *self)
{
	for (guint i = 0; i < self->waiters->len;) {
		RddStoreWaiter *waiter = g_ptr_array_index(self->waiters, i);
		if (waiter->rv <= self->committed_rv) {
			g_task_return_boolean(waiter->task, TRUE);
			g_ptr_array_remove_index_fast(self->waiters, i);
		} else {
			i++;
		}
	}
}

static void
rdd_store_mark_committed(RddStore *self, guint64 rv)
{
	if (rv <= self->committed_rv)
		return;
	self->committed_rv = rv;
	rdd_store_complete_waiters(self);
	g_signal_emit(self, signals[SIGNAL_COMMITTED], 0, rv);
}

/* writes everything queued in this thread; waits for a batch a worker is writing first */
static gboolean
rdd_store_commit(RddStore *self, GError **error)
{
	guint64 rv = self->rv;

	if (self->commit_batch != NULL) {
		RddPersistBatch *batch = g_steal_pointer(&self->commit_batch);
		/* the worker's own completion is ignored from now on */
		self->commit_seq++;
		rdd_persist_wait(self->persist);
		/* on failure its writes are queued again and go into the transaction below */
		if (rdd_persist_end(self->persist, batch, NULL))
			rdd_store_mark_committed(self, self->commit_rv);
	}
	if (self->persist != NULL && rdd_persist_has_pending(self->persist)) {
		if (!rdd_persist_commit(self->persist, rv, error))
			return FALSE;
	}
	rdd_store_mark_committed(self, rv);
	return TRUE;
}

static void rdd_store_schedule_flush(RddStore *self);

typedef struct {
	GWeakRef store;
	guint seq;
	RddPersist *persist;
	RddPersistBatch *batch;
} RddStoreCommitJob;

static void
rdd_store_commit_job_free(RddStoreCommitJob *job)
{
	g_weak_ref_clear(&job->store);
	g_free(job);
}

static void
rdd_store_commit_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	RddStoreCommitJob *job = task_data;
	/* the result is collected by rdd_persist_end() in the main thread */
	rdd_persist_write(job->persist, job->batch, NULL);
	g_task_return_boolean(task, TRUE);
}

static gboolean rdd_store_flush_cb(gpointer user_data);

static void
rdd_store_commit_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	RddStoreCommitJob *job = g_task_get_task_data(G_TASK(res));
	g_autoptr(RddStore) self = g_weak_ref_get(&job->store);
	g_autoptr(GError) error_local = NULL;
	RddPersistBatch *batch;

	/* the store is gone, or rdd_store_flush() ended this batch already */
	if (self == NULL || self->commit_batch == NULL || job->seq != self->commit_seq)
		return;
	batch = g_steal_pointer(&self->commit_batch);
	if (!rdd_persist_end(self->persist, batch, &error_local)) {
		/* its writes are queued again; callers stay unacknowledged meanwhile */
		g_warning("cannot commit to the database, retrying in %u ms: %s",
			  self->flush_retry_ms, error_local->message);
		g_clear_handle_id(&self->flush_id, g_source_remove);
		self->flush_id = g_timeout_add(self->flush_retry_ms, rdd_store_flush_cb, self);
		self->flush_retry_ms = MIN(self->flush_retry_ms * 2, 5000);
		return;
	}
	self->flush_retry_ms = 100;
	rdd_store_mark_committed(self, self->commit_rv);
	/* writes that came in meanwhile: the next batch */
	if (self->committed_rv < self->rv)
		rdd_store_schedule_flush(self);
}

/* starts a transaction in a worker thread for everything queued, so that the main loop goes on
 * serving while the database syncs; writes that arrive meanwhile form the next transaction */
static void
rdd_store_commit_start(RddStore *self)
{
	g_autoptr(GTask) task = NULL;
	RddStoreCommitJob *job;

	if (self->commit_batch != NULL)
		return; /* its completion schedules the next one */
	if (self->persist == NULL || !rdd_persist_has_pending(self->persist)) {
		rdd_store_mark_committed(self, self->rv);
		return;
	}
	self->commit_rv = self->rv;
	self->commit_batch = rdd_persist_begin(self->persist, self->commit_rv);
	job = g_new0(RddStoreCommitJob, 1);
	g_weak_ref_init(&job->store, self);
	job->seq = ++self->commit_seq;
	job->persist = self->persist;
	job->batch = self->commit_batch;
	task = g_task_new(NULL, NULL, rdd_store_commit_done_cb, NULL);
	g_task_set_source_tag(task, rdd_store_commit_start);
	g_task_set_task_data(task, job, (GDestroyNotify)rdd_store_commit_job_free);
	g_task_run_in_thread(task, rdd_store_commit_thread);
}

static gboolean
rdd_store_flush_cb(gpointer user_data)
{
	RddStore *self = RDD_STORE(user_data);

	self->flush_id = 0;
	rdd_store_commit_start(self);
	return G_SOURCE_REMOVE;
}

static void
rdd_store_schedule_flush(RddStore *self)
{
	if (self->flush_id != 0)
		return;
	/* default priority: runs after the other sources of this iteration were dispatched */
	self->flush_id = g_idle_add_full(G_PRIORITY_DEFAULT, rdd_store_flush_cb, self, NULL);
}

static void
rdd_store_persist_object(RddStore *self, RddStoreKind *sk, const gchar *key, RddObject *obj)
{
	if (self->persist == NULL || !rdd_kind_is_persistent(sk->kind))
		return;
	if (obj != NULL)
		rdd_persist_put(self->persist, rdd_kind_get_qualified_name(sk->kind), key, obj->rv, obj->json,
				obj->json_len, (GDestroyNotify)rdd_object_unref, rdd_object_ref(obj));
	else
		rdd_persist_delete(self->persist, rdd_kind_get_qualified_name(sk->kind), key);
}

static void rdd_store_schedule_gc(RddStore *self);

/* records a committed change: history, database queue, signal */
static void
rdd_store_emit(RddStore *self, RddStoreKind *sk, const gchar *key, RddEventType type, RddObject *obj, RddObject *old)
{
	rdd_store_history_push(self, type, obj, old);
	rdd_store_persist_object(self, sk, key, type == RDD_EVENT_DELETED ? NULL : obj);
	rdd_store_schedule_flush(self);
	switch (type) {
	case RDD_EVENT_ADDED:
		g_signal_emit(self, signals[SIGNAL_OBJECT_ADDED], sk->detail, obj);
		break;
	case RDD_EVENT_MODIFIED:
		g_signal_emit(self, signals[SIGNAL_OBJECT_CHANGED], sk->detail, old, obj);
		break;
	case RDD_EVENT_DELETED:
		g_signal_emit(self, signals[SIGNAL_OBJECT_REMOVED], sk->detail, obj);
		break;
	default:
		break;
	}
}

static gboolean
rdd_store_load_cb(const gchar *key, guint64 rv, const gchar *json, gsize length, gpointer user_data, GError **error)
{
	gpointer *ctx = user_data;
	RddStore *self = ctx[0];
	RddStoreKind *sk = ctx[1];
	g_autoptr(GError) error_local = NULL;
	g_autoptr(RddObject) obj = rdd_object_new_from_json(sk->kind, json, length, &error_local);

	if (obj == NULL) {
		/* keep the row: a later version may read it; the daemon must not die on data */
		g_warning("skipping stored %s %s: %s", rdd_kind_get_qualified_name(sk->kind), key,
			  error_local->message);
		return TRUE;
	}
	if (g_hash_table_contains(sk->by_key, key))
		return TRUE;
	rdd_store_index_insert(self, sk, obj);
	if (obj->n_owners > 0)
		g_hash_table_add(self->gc_orphans, g_strdup(obj->uid));
	if (obj->deletion != 0) {
		for (guint i = 0; i < obj->n_owners; i++)
			g_hash_table_add(self->gc_owners, g_strdup(obj->uid));
	}
	return TRUE;
}

static gboolean
rdd_store_load_kind(RddStore *self, RddStoreKind *sk, GError **error)
{
	gpointer ctx[] = {self, sk};
	if (self->persist == NULL || !rdd_kind_is_persistent(sk->kind))
		return TRUE;
	if (!rdd_persist_load_kind(self->persist, rdd_kind_get_qualified_name(sk->kind),
				   rdd_store_load_cb, ctx, error))
		return FALSE;
	if (sk->kind == self->namespace_kind) {
		GHashTableIter iter;
		RddStoreEntry *entry;
		g_hash_table_iter_init(&iter, sk->by_key);
		while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&entry)) {
			if (entry->obj->deletion != 0)
				g_hash_table_add(self->gc_namespaces, g_strdup(entry->obj->name));
		}
	}
	rdd_store_schedule_gc(self);
	return TRUE;
}

/* undoes rdd_store_register_kind() for a kind whose objects could not be loaded */
static void
rdd_store_unregister_kind(RddStore *self, RddStoreKind *sk)
{
	g_autoptr(RddKind) kind = g_object_ref(sk->kind);
	g_autoptr(GList) entries = g_hash_table_get_values(sk->by_key);

	for (GList *l = entries; l != NULL; l = l->next)
		rdd_store_index_drop(self, l->data);
	if (self->namespace_kind == kind)
		g_clear_object(&self->namespace_kind);
	g_ptr_array_remove(self->kind_list, kind);
	g_hash_table_remove(self->kinds, rdd_kind_get_qualified_name(kind));
}

/**
 * rdd_store_register_kind:
 * @self: a store
 * @kind: a kind
 * @error: return location for an error
 *
 * Makes a kind known to the store. When a database is open, the kind's stored objects are
 * loaded now. Two kinds may not share a qualified name, nor a plural within one group.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_store_register_kind(RddStore *self, RddKind *kind, GError **error)
{
	RddStoreKind *sk;

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	g_return_val_if_fail(RDD_IS_KIND(kind), FALSE);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (guint i = 0; i < self->kind_list->len; i++) {
		RddKind *other = g_ptr_array_index(self->kind_list, i);
		if (g_strcmp0(rdd_kind_get_qualified_name(other), rdd_kind_get_qualified_name(kind)) == 0 ||
		    g_strcmp0(rdd_kind_get_qualified_plural(other), rdd_kind_get_qualified_plural(kind)) == 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS, "kind %s (%s) is already registered%s%s",
				    rdd_kind_get_qualified_name(kind), rdd_kind_get_qualified_plural(kind),
				    rdd_kind_get_owner(other) != NULL ? " by " : "",
				    rdd_kind_get_owner(other) != NULL ? rdd_kind_get_owner(other) : "");
			return FALSE;
		}
	}
	sk = rdd_store_kind_new(kind);
	g_hash_table_insert(self->kinds, g_strdup(rdd_kind_get_qualified_name(kind)), sk);
	g_ptr_array_add(self->kind_list, g_object_ref(kind));
	if (g_strcmp0(rdd_kind_get_group(kind), "") == 0 && g_strcmp0(rdd_kind_get_name(kind), "Namespace") == 0)
		g_set_object(&self->namespace_kind, kind);
	if (!rdd_store_load_kind(self, sk, error)) {
		/* not registered at all: with only part of its objects in memory, a create could
		 * replace a stored object that was not read */
		rdd_store_unregister_kind(self, sk);
		return FALSE;
	}
	/* objects kept because an owner's kind was unknown: perhaps it is this one */
	if (g_hash_table_size(self->gc_unresolved) > 0) {
		GHashTableIter iter;
		gchar *uid;
		g_hash_table_iter_init(&iter, self->gc_unresolved);
		while (g_hash_table_iter_next(&iter, (gpointer *)&uid, NULL)) {
			g_hash_table_iter_steal(&iter);
			g_hash_table_add(self->gc_orphans, uid);
		}
		rdd_store_schedule_gc(self);
	}
	return TRUE;
}

/**
 * rdd_store_find_kind:
 * @self: a store
 * @api_version: an apiVersion such as `app.rancherdesktop.io/v1alpha1` or `v1`
 * @kind: a kind name such as `App`
 *
 * Returns: (transfer none) (nullable): the kind
 *
 * Since: 0.1
 */
RddKind *
rdd_store_find_kind(RddStore *self, const gchar *api_version, const gchar *kind)
{
	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	if (api_version == NULL || kind == NULL)
		return NULL;
	for (guint i = 0; i < self->kind_list->len; i++) {
		RddKind *k = g_ptr_array_index(self->kind_list, i);
		if (g_strcmp0(rdd_kind_get_name(k), kind) == 0 &&
		    g_strcmp0(rdd_kind_get_api_version(k), api_version) == 0)
			return k;
	}
	return NULL;
}

/**
 * rdd_store_lookup_kind:
 * @self: a store
 * @group: (nullable): an API group, `""` for core, %NULL for any
 * @name: a kind, plural, singular or short name (see rdd_kind_matches())
 *
 * Returns: (transfer none) (nullable): the first matching kind
 *
 * Since: 0.1
 */
RddKind *
rdd_store_lookup_kind(RddStore *self, const gchar *group, const gchar *name)
{
	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	for (guint i = 0; i < self->kind_list->len; i++) {
		RddKind *k = g_ptr_array_index(self->kind_list, i);
		if (group != NULL && g_strcmp0(rdd_kind_get_group(k), group) != 0)
			continue;
		if (rdd_kind_matches(k, name))
			return k;
	}
	return NULL;
}

/**
 * rdd_store_get_kinds:
 * @self: a store
 *
 * Returns: (transfer none) (element-type RddKind): the registered kinds, in order
 *
 * Since: 0.1
 */
GPtrArray *
rdd_store_get_kinds(RddStore *self)
{
	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	return self->kind_list;
}

/**
 * rdd_store_open:
 * @self: a store
 * @db_path: the SQLite database file
 * @error: return location for an error
 *
 * Opens the database that persistent kinds are written through to, and loads the objects
 * of the kinds registered so far (kinds registered later are loaded when they register).
 * The store's resourceVersion continues from the highest one stored.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_store_open(RddStore *self, const gchar *db_path, GError **error)
{
	g_autoptr(RddPersist) persist = NULL;

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	g_return_val_if_fail(db_path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), FALSE);

	if (self->persist != NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BUSY, "a database is already open");
		return FALSE;
	}
	persist = rdd_persist_open(db_path, self->synchronous_full, error);
	if (persist == NULL)
		return FALSE;
	self->persist = g_steal_pointer(&persist);
	self->rv = MAX(self->rv, rdd_persist_get_resource_version(self->persist));
	self->committed_rv = self->rv;
	self->history_floor = self->rv;
	for (guint i = 0; i < self->kind_list->len; i++) {
		RddStoreKind *sk = rdd_store_get_sk(self, g_ptr_array_index(self->kind_list, i));
		if (!rdd_store_load_kind(self, sk, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * rdd_store_flush:
 * @self: a store
 * @error: return location for an error
 *
 * Commits every queued write now instead of at the end of the main-loop iteration.
 *
 * Returns: %TRUE when everything is durable
 *
 * Since: 0.1
 */
gboolean
rdd_store_flush(RddStore *self, GError **error)
{
	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	if (!rdd_store_commit(self, error)) {
		rdd_store_schedule_flush(self);
		return FALSE;
	}
	self->flush_retry_ms = 100;
	return TRUE;
}

/**
 * rdd_store_close:
 * @self: a store
 *
 * Flushes and closes the database. Objects stay in memory.
 *
 * Since: 0.1
 */
void
rdd_store_close(RddStore *self)
{
	g_autoptr(GError) error_local = NULL;
	g_return_if_fail(RDD_IS_STORE(self));
	if (!rdd_store_flush(self, &error_local))
		g_warning("writes lost when closing the database: %s", error_local->message);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	g_clear_pointer(&self->persist, rdd_persist_free);
}

/**
 * rdd_store_set_history_size:
 * @self: a store
 * @size: how many events to keep for resuming watches
 *
 * Since: 0.1
 */
void
rdd_store_set_history_size(RddStore *self, guint size)
{
	RddStoreEvent *history;
	guint keep;

	g_return_if_fail(RDD_IS_STORE(self));
	history = g_new0(RddStoreEvent, MAX(size, 1));
	keep = MIN(size, self->history_len);
	for (guint i = 0; i < self->history_len; i++) {
		RddStoreEvent *event = &self->history[(self->history_start + i) % self->history_size];
		if (i < self->history_len - keep) {
			self->history_floor = event->rv;
			rdd_store_event_clear(event);
		} else {
			history[i - (self->history_len - keep)] = *event;
		}
	}
	g_free(self->history);
	self->history = history;
	self->history_size = size;
	self->history_start = 0;
	self->history_len = keep;
}

/**
 * rdd_store_set_synchronous:
 * @self: a store
 * @full: %TRUE to fsync every commit (the default), %FALSE to rely on WAL checkpoints, which
 *   survives a crash of the process but not of the machine
 *
 * Takes effect when the database is opened.
 *
 * Since: 0.1
 */
void
rdd_store_set_synchronous(RddStore *self, gboolean full)
{
	g_return_if_fail(RDD_IS_STORE(self));
	self->synchronous_full = full;
}

/**
 * rdd_store_get_resource_version:
 * @self: a store
 *
 * Returns: the resourceVersion of the latest write
 *
 * Since: 0.1
 */
guint64
rdd_store_get_resource_version(RddStore *self)
{
	g_return_val_if_fail(RDD_IS_STORE(self), 0);
	return self->rv;
}

/**
 * rdd_store_get_committed_resource_version:
 * @self: a store
 *
 * Returns: every write up to this resourceVersion is durable
 *
 * Since: 0.1
 */
guint64
rdd_store_get_committed_resource_version(RddStore *self)
{
	g_return_val_if_fail(RDD_IS_STORE(self), 0);
	return self->committed_rv;
}

/**
 * rdd_store_get_oldest_resource_version:
 * @self: a store
 *
 * Returns: the oldest resourceVersion a watch can resume from
 *
 * Since: 0.1
 */
guint64
rdd_store_get_oldest_resource_version(RddStore *self)
{
	g_return_val_if_fail(RDD_IS_STORE(self), 0);
	return self->history_floor;
}

/**
 * rdd_store_foreach_event_since:
 * @self: a store
 * @resource_version: deliver events after this resourceVersion
 * @func: called per event, oldest first
 * @user_data: user data
 * @error: return location for an error
 *
 * Replays the event history after @resource_version. When the history no longer reaches back
 * that far, fails with %RDD_ERROR_GONE (HTTP 410): the watcher must list again.
 *
 * Returns: %TRUE when the history covered @resource_version
 *
 * Since: 0.1
 */
gboolean
rdd_store_foreach_event_since(RddStore *self, guint64 resource_version, RddEventFunc func, gpointer user_data, GError **error)
{
	guint lo = 0, hi;

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	g_return_val_if_fail(func != NULL, FALSE);

	if (resource_version < self->history_floor) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_GONE,
			    "too old resource version: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT ")",
			    resource_version, self->history_floor);
		return FALSE;
	}
	/* binary search for the first event after resource_version */
	hi = self->history_len;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (self->history[(self->history_start + mid) % self->history_size].rv <= resource_version)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (guint i = lo; i < self->history_len; i++) {
		RddStoreEvent *event = &self->history[(self->history_start + i) % self->history_size];
		RddEvent pub = {event->type, event->object, event->old_object};
		if (!func(&pub, user_data))
			break;
	}
	return TRUE;
}

/**
 * rdd_store_wait_committed_async:
 * @self: a store
 * @resource_version: the resourceVersion of a write
 * @cancellable: (nullable): a cancellable
 * @callback: called when the write is durable
 * @user_data: user data
 *
 * Waits until every write up to @resource_version has committed to the database. A write is
 * acknowledged to its HTTP client only then.
 *
 * Since: 0.1
 */
void
rdd_store_wait_committed_async(RddStore *self,
			       guint64 resource_version,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	RddStoreWaiter *waiter;

	g_task_set_source_tag(task, rdd_store_wait_committed_async);
	if (resource_version <= self->committed_rv) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	waiter = g_new0(RddStoreWaiter, 1);
	waiter->rv = resource_version;
	waiter->task = g_steal_pointer(&task);
	g_ptr_array_add(self->waiters, waiter);
	rdd_store_schedule_flush(self);
}

/**
 * rdd_store_wait_committed_finish:
 * @self: a store
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the write is durable
 *
 * Since: 0.1
 */
gboolean
rdd_store_wait_committed_finish(RddStore *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---------------------------------------------------------------------------------------- */
/* reads */

static void
rdd_store_set_not_found(GError **error, RddKind *kind, const gchar *name)
{
	g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "%s \"%s\" not found",
		    rdd_kind_get_qualified_plural(kind), name);
}

/* rdd_store_format_key(), in @buf when it fits, else in *@heap */
static const gchar *
rdd_store_format_key_buf(RddKind *kind, const gchar *namespace, const gchar *name, gchar *buf, gsize size, gchar **heap)
{
	if (!rdd_kind_is_namespaced(kind) || namespace == NULL || namespace[0] == '\0')
		return name;
	return rdd_store_concat(namespace, "/", name, buf, size, heap);
}

static RddStoreEntry *
rdd_store_lookup_entry(RddStoreKind *sk, const gchar *namespace, const gchar *name)
{
	gchar buf[256];
	g_autofree gchar *heap = NULL;
	const gchar *key = rdd_store_format_key_buf(sk->kind, namespace, name, buf, sizeof(buf), &heap);
	return g_hash_table_lookup(sk->by_key, key);
}

/**
 * rdd_store_lookup:
 * @self: a store
 * @kind: a registered kind
 * @namespace: (nullable): the namespace; ignored for cluster-scoped kinds
 * @name: the name
 *
 * Returns: (transfer full) (nullable): the object, or %NULL when there is none
 *
 * Since: 0.1
 */
RddObject *
rdd_store_lookup(RddStore *self, RddKind *kind, const gchar *namespace, const gchar *name)
{
	RddStoreKind *sk;
	RddStoreEntry *entry;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	sk = rdd_store_require_sk(self, kind, NULL);
	if (sk == NULL)
		return NULL;
	entry = rdd_store_lookup_entry(sk, namespace, name);
	return entry != NULL ? rdd_object_ref(entry->obj) : NULL;
}

/**
 * rdd_store_get:
 * @self: a store
 * @kind: a registered kind
 * @namespace: (nullable): the namespace; ignored for cluster-scoped kinds
 * @name: the name
 * @error: return location for an error
 *
 * Returns: (transfer full): the object, or %NULL with %RDD_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
RddObject *
rdd_store_get(RddStore *self, RddKind *kind, const gchar *namespace, const gchar *name, GError **error)
{
	RddStoreKind *sk;
	RddStoreEntry *entry;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_require_sk(self, kind, error);
	if (sk == NULL)
		return NULL;
	entry = rdd_store_lookup_entry(sk, namespace, name);
	if (entry == NULL) {
		rdd_store_set_not_found(error, kind, name);
		return NULL;
	}
	return rdd_object_ref(entry->obj);
}

/**
 * rdd_store_lookup_uid:
 * @self: a store
 * @uid: an object uid
 *
 * Returns: (transfer full) (nullable): the object with that uid, of any kind
 *
 * Since: 0.1
 */
RddObject *
rdd_store_lookup_uid(RddStore *self, const gchar *uid)
{
	RddStoreEntry *entry;
	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	entry = uid != NULL ? g_hash_table_lookup(self->by_uid, uid) : NULL;
	return entry != NULL ? rdd_object_ref(entry->obj) : NULL;
}

/**
 * rdd_store_count:
 * @self: a store
 * @kind: a registered kind
 *
 * Returns: the number of objects of @kind
 *
 * Since: 0.1
 */
guint
rdd_store_count(RddStore *self, RddKind *kind)
{
	RddStoreKind *sk;
	g_return_val_if_fail(RDD_IS_STORE(self), 0);
	sk = rdd_store_require_sk(self, kind, NULL);
	return sk != NULL ? g_hash_table_size(sk->by_key) : 0;
}

/**
 * rdd_list_result_free:
 * @result: (nullable): a list result
 *
 * Since: 0.1
 */
void
rdd_list_result_free(RddListResult *result)
{
	if (result == NULL)
		return;
	g_ptr_array_unref(result->items);
	g_free(result->continue_token);
	g_free(result);
}

typedef struct {
	RddStoreKind *sk;
	const gchar *namespace;
	RddSelector *labels;
	RddSelector *fields;
} RddStoreFilter;

static const gchar *
rdd_store_field_lookup(const gchar *key, gpointer user_data)
{
	return rdd_object_get_field(user_data, key);
}

static gboolean
rdd_store_filter_matches(RddStoreFilter *filter, RddObject *obj)
{
	if (filter->namespace != NULL && strcmp(obj->namespace, filter->namespace) != 0)
		return FALSE;
	if (filter->labels != NULL &&
	    !rdd_selector_matches_pairs(filter->labels, (const gchar *const *)obj->labels))
		return FALSE;
	if (filter->fields != NULL && !rdd_selector_matches(filter->fields, rdd_store_field_lookup, obj))
		return FALSE;
	return TRUE;
}

static gboolean
rdd_store_check_fields(RddStoreKind *sk, RddSelector *fields, GError **error)
{
	for (guint i = 0; fields != NULL && i < rdd_selector_get_n_requirements(fields); i++) {
		const RddRequirement *req = rdd_selector_get_requirement(fields, i);
		if (g_strcmp0(req->key, "metadata.name") == 0 ||
		    g_strcmp0(req->key, "metadata.namespace") == 0 ||
		    rdd_kind_get_selectable_field_index(sk->kind, req->key) >= 0)
			continue;
		{
			g_autoptr(GString) known = g_string_new("\"metadata.name\", \"metadata.namespace\"");
			const gchar *const *own = rdd_kind_get_selectable_fields(sk->kind);
			for (guint j = 0; own[j] != NULL; j++)
				g_string_append_printf(known, ", \"%s\"", own[j]);
			g_set_error(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "field label not supported: \"%s\" is not a known field selector for "
				    "%s: only %s",
				    req->key, rdd_kind_get_qualified_plural(sk->kind), known->str);
			return FALSE;
		}
	}
	return TRUE;
}

/* the cheapest index that narrows the candidates: the postings to union, and their size */
typedef struct {
	GHashTable *index;
	GPtrArray *values; /* (element-type utf8) posting keys */
	guint cost;
} RddStorePlan;

static void
rdd_store_plan_clear(RddStorePlan *plan)
{
	g_clear_pointer(&plan->values, g_ptr_array_unref);
	plan->index = NULL;
}

/* takes @values; keeps the candidate when it is cheaper than the current plan */
static void
rdd_store_plan_consider(RddStorePlan *plan, GHashTable *index, GPtrArray *values)
{
	guint cost = 0;
	for (guint i = 0; i < values->len; i++)
		cost += rdd_store_posting_size(index, g_ptr_array_index(values, i));
	if (plan->index != NULL && cost >= plan->cost) {
		g_ptr_array_unref(values);
		return;
	}
	rdd_store_plan_clear(plan);
	plan->index = index;
	plan->values = values;
	plan->cost = cost;
}

static GPtrArray *
rdd_store_plan_values(const gchar *first)
{
	GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(values, g_strdup(first));
	return values;
}

static gint
rdd_store_entry_cmp(gconstpointer a, gconstpointer b)
{
	const RddStoreEntry *ea = *(const RddStoreEntry *const *)a;
	const RddStoreEntry *eb = *(const RddStoreEntry *const *)b;
	return strcmp(ea->key, eb->key);
}

static gchar *
rdd_store_encode_continue(guint64 rv, const gchar *key)
{
	g_autofree gchar *raw = g_strdup_printf("1:%" G_GUINT64_FORMAT ":%s", rv, key);
	return g_base64_encode((const guchar *)raw, strlen(raw));
}

static gchar *
rdd_store_decode_continue(const gchar *token, GError **error)
{
	gsize len = 0;
	g_autofree guchar *raw = NULL;
	g_autofree gchar *text = NULL;
	const gchar *p;

	raw = g_base64_decode(token, &len);
	if (raw == NULL || len < 4) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "continue token is not valid: it must come from a previous list");
		return NULL;
	}
	text = g_strndup((const gchar *)raw, len);
	if (!g_str_has_prefix(text, "1:") || (p = strchr(text + 2, ':')) == NULL ||
	    !g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "continue token is not valid: it must come from a previous list");
		return NULL;
	}
	return g_strdup(p + 1);
}

typedef struct {
	RddStoreFilter *filter;
	GPtrArray *out;
	const gchar *prefix;
	gsize prefix_len;
	guint limit;
	const gchar *after;
	gboolean more;
	guint64 remaining;
} RddStoreWalk;

static gboolean
rdd_store_walk_cb(gpointer key, gpointer value, gpointer user_data)
{
	RddStoreWalk *walk = user_data;
	RddStoreEntry *entry = value;

	if (walk->prefix != NULL && strncmp(key, walk->prefix, walk->prefix_len) != 0)
		return TRUE; /* past the namespace */
	if (walk->after != NULL && strcmp(key, walk->after) <= 0)
		return FALSE;
	if (!rdd_store_filter_matches(walk->filter, entry->obj))
		return FALSE;
	if (walk->limit > 0 && walk->out->len >= walk->limit) {
		/* the page is full: count what is left, as the index path does */
		walk->more = TRUE;
		walk->remaining++;
		return FALSE;
	}
	g_ptr_array_add(walk->out, entry);
	return FALSE;
}

/**
 * rdd_store_list:
 * @self: a store
 * @kind: a registered kind
 * @options: (nullable): filters and paging
 * @error: return location for an error
 *
 * Lists objects sorted by namespace and name. The store reads the most selective index the
 * options allow (namespace, an equality field selector, an equality, set or existence label
 * requirement), so the cost follows the size of the result rather than of the store. Only
 * selectors made of nothing but negative requirements scan the kind.
 *
 * Returns: (transfer full): the result, or %NULL with %RDD_ERROR_BAD_REQUEST for an unknown
 *   field or a bad continue token
 *
 * Since: 0.1
 */
RddListResult *
rdd_store_list(RddStore *self, RddKind *kind, const RddListOptions *options, GError **error)
{
	RddListOptions defaults = {0};
	RddStoreKind *sk;
	RddStoreFilter filter = {0};
	RddStorePlan plan = {0};
	RddListResult *result;
	g_autoptr(GPtrArray) entries = g_ptr_array_new();
	g_autofree gchar *after = NULL;
	g_autofree gchar *ns_prefix = NULL;
	gboolean more = FALSE;
	guint64 remaining = 0;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_require_sk(self, kind, error);
	if (sk == NULL)
		return NULL;
	if (options == NULL)
		options = &defaults;
	if (!rdd_store_check_fields(sk, options->field_selector, error))
		return NULL;
	if (options->continue_token != NULL && options->continue_token[0] != '\0') {
		after = rdd_store_decode_continue(options->continue_token, error);
		if (after == NULL)
			return NULL;
	}
	filter.sk = sk;
	if (rdd_kind_is_namespaced(kind) && options->namespace != NULL && options->namespace[0] != '\0')
		filter.namespace = options->namespace;
	if (options->label_selector != NULL && !rdd_selector_is_empty(options->label_selector))
		filter.labels = options->label_selector;
	if (options->field_selector != NULL && !rdd_selector_is_empty(options->field_selector))
		filter.fields = options->field_selector;

	/* choose the smallest posting */
	for (guint i = 0; filter.fields != NULL && i < rdd_selector_get_n_requirements(filter.fields); i++) {
		const RddRequirement *req = rdd_selector_get_requirement(filter.fields, i);
		gint idx;
		if (req->op != RDD_SELECTOR_OP_EQUALS)
			continue;
		if (g_strcmp0(req->key, "metadata.name") == 0) {
			rdd_store_plan_consider(&plan, sk->by_name, rdd_store_plan_values(req->values[0]));
		} else if (g_strcmp0(req->key, "metadata.namespace") == 0) {
			if (rdd_kind_is_namespaced(kind))
				rdd_store_plan_consider(&plan, sk->by_namespace,
							rdd_store_plan_values(req->values[0]));
		} else if ((idx = rdd_kind_get_selectable_field_index(kind, req->key)) >= 0) {
			rdd_store_plan_consider(&plan, sk->fields[idx], rdd_store_plan_values(req->values[0]));
		}
	}
	for (guint i = 0; filter.labels != NULL && i < rdd_selector_get_n_requirements(filter.labels); i++) {
		const RddRequirement *req = rdd_selector_get_requirement(filter.labels, i);
		if (req->op == RDD_SELECTOR_OP_EQUALS || req->op == RDD_SELECTOR_OP_IN) {
			GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
			for (guint j = 0; req->values[j] != NULL; j++)
				g_ptr_array_add(values, rdd_store_label_pair(req->key, req->values[j]));
			rdd_store_plan_consider(&plan, sk->label_pairs, values);
		} else if (req->op == RDD_SELECTOR_OP_EXISTS) {
			rdd_store_plan_consider(&plan, sk->label_keys, rdd_store_plan_values(req->key));
		}
	}
	if (filter.namespace != NULL &&
	    (plan.index == NULL || rdd_store_posting_size(sk->by_namespace, filter.namespace) <= plan.cost)) {
		/* the namespace's range of the ordered index: already sorted, O(log n + k) */
		rdd_store_plan_clear(&plan);
		ns_prefix = g_strdup_printf("%s/", filter.namespace);
	}

	if (plan.index != NULL) {
		g_autoptr(GPtrArray) candidates = g_ptr_array_new();
		for (guint j = 0; j < plan.values->len; j++)
			rdd_store_posting_collect(plan.index, g_ptr_array_index(plan.values, j), candidates);
		rdd_store_plan_clear(&plan);
		g_ptr_array_sort(candidates, rdd_store_entry_cmp);
		for (guint i = 0; i < candidates->len; i++) {
			RddStoreEntry *entry = g_ptr_array_index(candidates, i);
			if (after != NULL && strcmp(entry->key, after) <= 0)
				continue;
			if (!rdd_store_filter_matches(&filter, entry->obj))
				continue;
			if (options->limit > 0 && entries->len >= options->limit) {
				more = TRUE;
				remaining++;
				continue;
			}
			g_ptr_array_add(entries, entry);
		}
	} else {
		RddStoreWalk walk = {.filter = &filter, .out = entries, .limit = options->limit};
		GTreeNode *node;
		const gchar *start = after;
		if (ns_prefix != NULL) {
			walk.prefix = ns_prefix;
			walk.prefix_len = strlen(ns_prefix);
			if (start == NULL || strcmp(start, ns_prefix) < 0)
				start = ns_prefix;
		}
		walk.after = after;
		node = start != NULL ? g_tree_lower_bound(sk->ordered, start) : g_tree_node_first(sk->ordered);
		for (; node != NULL; node = g_tree_node_next(node)) {
			if (rdd_store_walk_cb(g_tree_node_key(node), g_tree_node_value(node), &walk))
				break;
		}
		more = walk.more;
		remaining = walk.remaining;
	}

	result = g_new0(RddListResult, 1);
	result->items = g_ptr_array_new_full(entries->len, (GDestroyNotify)rdd_object_unref);
	for (guint i = 0; i < entries->len; i++) {
		RddStoreEntry *entry = g_ptr_array_index(entries, i);
		g_ptr_array_add(result->items, rdd_object_ref(entry->obj));
	}
	result->resource_version = self->rv;
	result->remaining = remaining;
	if (more && entries->len > 0) {
		RddStoreEntry *last = g_ptr_array_index(entries, entries->len - 1);
		result->continue_token = rdd_store_encode_continue(self->rv, last->key);
	}
	return result;
}

/* ---------------------------------------------------------------------------------------- */
/* metadata */

static const gchar *rdd_store_dns_subdomain_msg =
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
	"'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
	"for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
static const gchar *rdd_store_dns_label_msg =
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
	"must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
	"used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

static gboolean
rdd_store_is_dns_label(const gchar *text, gsize len)
{
	if (len == 0 || len > 63)
		return FALSE;
	if (!(g_ascii_islower(text[0]) || g_ascii_isdigit(text[0])))
		return FALSE;
	if (!(g_ascii_islower(text[len - 1]) || g_ascii_isdigit(text[len - 1])))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!(g_ascii_islower(text[i]) || g_ascii_isdigit(text[i]) || text[i] == '-'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_store_is_dns_subdomain(const gchar *text)
{
	gsize len = strlen(text);
	const gchar *p = text;
	if (len == 0 || len > 253)
		return FALSE;
	while (TRUE) {
		const gchar *dot = strchr(p, '.');
		gsize part = dot != NULL ? (gsize)(dot - p) : strlen(p);
		if (!rdd_store_is_dns_label(p, part))
			return FALSE;
		if (dot == NULL)
			return TRUE;
		p = dot + 1;
	}
}

static gchar *
rdd_store_quote(const gchar *value)
{
	g_autoptr(GString) out = g_string_new(NULL);
	rdd_json_write_string(out, value);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
rdd_store_add_cause(GPtrArray *causes, const gchar *type, const gchar *field, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
rdd_store_add_cause(GPtrArray *causes, const gchar *type, const gchar *field, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(causes, rdd_cause_new(type, field, msg));
}

static void
rdd_store_check_name(const gchar *name, gboolean label, const gchar *field, GPtrArray *causes)
{
	gsize max = label ? 63 : 253;
	if (strlen(name) > max) {
		g_autofree gchar *quoted = rdd_store_quote(name);
		rdd_store_add_cause(causes, "FieldValueInvalid", field,
				    "Invalid value: %s: must be no more than %" G_GSIZE_FORMAT " characters",
				    quoted, max);
		return;
	}
	if (label ? !rdd_store_is_dns_label(name, strlen(name)) : !rdd_store_is_dns_subdomain(name)) {
		g_autofree gchar *quoted = rdd_store_quote(name);
		rdd_store_add_cause(causes, "FieldValueInvalid", field, "Invalid value: %s: %s", quoted,
				    label ? rdd_store_dns_label_msg : rdd_store_dns_subdomain_msg);
	}
}

/* a cause about metadata.@member, or one of its entries when @index >= 0 */
static void
rdd_store_add_meta_cause(GPtrArray *causes, const gchar *type, const gchar *member, gint index, const gchar *format, ...)
	G_GNUC_PRINTF(5, 6);

static void
rdd_store_add_meta_cause(GPtrArray *causes, const gchar *type, const gchar *member, gint index, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	g_autofree gchar *field = index >= 0 ? g_strdup_printf("metadata.%s[%d]", member, index) :
					       g_strdup_printf("metadata.%s", member);
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(causes, rdd_cause_new(type, field, msg));
}

/* labels or annotations: @node is the member, %NULL when absent */
static void
rdd_store_check_string_map(JsonNode *node, const gchar *member, gboolean labels, GPtrArray *causes)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;
	gsize total = 0;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		rdd_store_add_meta_cause(causes, "FieldValueTypeInvalid", member, -1,
					 "Invalid value: must be a map of strings");
		return;
	}
	json_object_iter_init(&iter, json_node_get_object(node));
	while (json_object_iter_next(&iter, &key, &value)) {
		g_autoptr(GError) error_local = NULL;
		const gchar *str;
		if (json_node_get_value_type(value) != G_TYPE_STRING) {
			g_autofree gchar *quoted_key = rdd_store_quote(key);
			rdd_store_add_meta_cause(causes, "FieldValueTypeInvalid", member, -1,
						 "Invalid value: %s: value must be a string", quoted_key);
			continue;
		}
		str = json_node_get_string(value);
		total += strlen(key) + strlen(str);
		if (!rdd_label_key_validate(key, &error_local)) {
			g_autofree gchar *quoted_key = rdd_store_quote(key);
			rdd_store_add_meta_cause(causes, "FieldValueInvalid", member, -1,
						 "Invalid value: %s: %s", quoted_key, error_local->message);
			continue;
		}
		if (labels && !rdd_label_value_validate(str, &error_local)) {
			g_autofree gchar *quoted = rdd_store_quote(str);
			rdd_store_add_meta_cause(causes, "FieldValueInvalid", member, -1,
						 "Invalid value: %s: %s", quoted, error_local->message);
		}
	}
	if (!labels && total > RDD_STORE_MAX_ANNOTATIONS_SIZE)
		rdd_store_add_meta_cause(causes, "FieldValueTooLong", member, -1,
					 "Too long: must have at most %d bytes", RDD_STORE_MAX_ANNOTATIONS_SIZE);
}

static void
rdd_store_check_finalizers(JsonNode *node, GPtrArray *causes)
{
	JsonArray *arr;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		rdd_store_add_cause(causes, "FieldValueTypeInvalid", "metadata.finalizers",
				    "Invalid value: must be a list of strings");
		return;
	}
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *item = json_array_get_element(arr, i);
		g_autoptr(GError) error_local = NULL;
		if (json_node_get_value_type(item) != G_TYPE_STRING) {
			rdd_store_add_meta_cause(causes, "FieldValueTypeInvalid", "finalizers",
						 (gint)i, "Invalid value: must be a string");
			continue;
		}
		if (!rdd_label_key_validate(json_node_get_string(item), &error_local)) {
			g_autofree gchar *quoted = rdd_store_quote(json_node_get_string(item));
			rdd_store_add_meta_cause(causes, "FieldValueInvalid", "finalizers", (gint)i,
						 "Invalid value: %s: %s", quoted, error_local->message);
		}
	}
}

static void
rdd_store_check_owner_references(JsonNode *node, GPtrArray *causes)
{
	JsonArray *arr;
	guint controllers = 0;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		rdd_store_add_cause(causes, "FieldValueTypeInvalid", "metadata.ownerReferences",
				    "Invalid value: must be a list of objects");
		return;
	}
	arr = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(arr); i++) {
		JsonNode *item = json_array_get_element(arr, i);
		const gchar *required[] = {"apiVersion", "kind", "name", "uid"};
		if (!JSON_NODE_HOLDS_OBJECT(item)) {
			rdd_store_add_meta_cause(causes, "FieldValueTypeInvalid", "ownerReferences",
						 (gint)i, "Invalid value: must be an object");
			continue;
		}
		for (guint j = 0; j < G_N_ELEMENTS(required); j++) {
			const gchar *value = rdd_json_lookup_string(item, required[j]);
			if (value == NULL || value[0] == '\0') {
				g_autofree gchar *field =
					g_strdup_printf("metadata.ownerReferences[%u].%s", i, required[j]);
				rdd_store_add_cause(causes, "FieldValueRequired", field,
						    "Required value: %s must not be empty", required[j]);
			}
		}
		if (json_object_get_boolean_member_with_default(json_node_get_object(item), "controller", FALSE))
			controllers++;
	}
	if (controllers > 1)
		rdd_store_add_cause(causes, "FieldValueInvalid", "metadata.ownerReferences",
				    "Invalid value: Only one reference can have Controller set to true");
}

/* the metadata of a write: what the object is built from, and the text of the server's members */
typedef struct {
	RddObjectMeta meta;
	gchar uid[40];
	gchar rv[24];
	gchar *created;
	gchar *deleted;
} RddStoreMeta;

static void
rdd_store_meta_clear(RddStoreMeta *sm)
{
	rdd_object_meta_clear(&sm->meta);
	g_clear_pointer(&sm->created, g_free);
	g_clear_pointer(&sm->deleted, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RddStoreMeta, rdd_store_meta_clear)

static void
rdd_store_meta_set_str(RddStoreMeta *sm, RddObjectMetaMember member, const gchar *str)
{
	RddObjectMetaValue *v = &sm->meta.values[member];
	g_clear_pointer(&v->node, json_node_unref);
	v->str = str;
	v->has_num = FALSE;
}

static void
rdd_store_meta_set_int(RddStoreMeta *sm, RddObjectMetaMember member, gint64 num)
{
	RddObjectMetaValue *v = &sm->meta.values[member];
	g_clear_pointer(&v->node, json_node_unref);
	v->str = NULL;
	v->num = num;
	v->has_num = TRUE;
}

static void
rdd_store_meta_remove(RddStoreMeta *sm, RddObjectMetaMember member)
{
	RddObjectMetaValue *v = &sm->meta.values[member];
	g_clear_pointer(&v->node, json_node_unref);
	v->str = NULL;
	v->has_num = FALSE;
}

/* a version 4 UUID, as g_uuid_string_random() makes one, without formatting it with printf */
static void
rdd_store_uuid(gchar out[37])
{
	static const gchar hex[] = "0123456789abcdef";
	guint8 bytes[16];
	guint j = 0;

	for (guint i = 0; i < 4; i++) {
		guint32 r = g_random_int();
		memcpy(bytes + 4 * i, &r, sizeof(r));
	}
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	for (guint i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[bytes[i] >> 4];
		out[j++] = hex[bytes[i] & 0xf];
	}
	out[j] = '\0';
}

/* rdd_time_format() of @usec, and in @parsed what rdd_time_parse() reads back from it */
static gchar *
rdd_store_format_time(gint64 usec, gint64 *parsed)
{
	gchar *text = rdd_time_format(usec);
	if (!rdd_time_parse(text, parsed, NULL))
		*parsed = 0; /* cannot happen: our own format */
	return text;
}

/* the creationTimestamp of an object created now; formatted once a second */
static const gchar *
rdd_store_now_text(RddStore *self, gint64 *parsed)
{
	gint64 now = g_get_real_time();
	gint64 secs = now / G_USEC_PER_SEC - (now % G_USEC_PER_SEC < 0 ? 1 : 0);

	if (secs != self->now_secs) {
		g_free(self->now_text);
		self->now_text = rdd_store_format_time(now, &self->now_usec);
		self->now_secs = secs;
	}
	*parsed = self->now_usec;
	return self->now_text;
}

/*
 * Builds the metadata to store: what a client may set comes from @in, what the server owns
 * comes from @old (or is created for a new object). Unknown members are reported.
 */
static void
rdd_store_prepare_metadata(RddStore *self,
			   RddStoreKind *sk,
			   JsonObject *in,
			   RddObject *old,
			   gint64 deletion,
			   GPtrArray *causes,
			   GPtrArray *unknown,
			   RddStoreMeta *sm)
{
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;
	RddObjectMetaValue *values = sm->meta.values;

	json_object_iter_init(&iter, in);
	while (json_object_iter_next(&iter, &key, &value)) {
		gint member = rdd_object_meta_member_lookup(key);
		gboolean settable = FALSE;
		switch (member) {
		case RDD_OBJECT_META_NAME:
		case RDD_OBJECT_META_GENERATE_NAME:
		case RDD_OBJECT_META_NAMESPACE:
		case RDD_OBJECT_META_LABELS:
		case RDD_OBJECT_META_ANNOTATIONS:
		case RDD_OBJECT_META_FINALIZERS:
		case RDD_OBJECT_META_OWNER_REFERENCES:
		case RDD_OBJECT_META_MANAGED_FIELDS:
			settable = TRUE;
			break;
		case -1:
			/* selfLink is the server's, but not kept */
			if (strcmp(key, "selfLink") != 0 && unknown != NULL)
				g_ptr_array_add(unknown, g_strconcat("metadata.", key, NULL));
			continue;
		default:
			/* the server's members */
			continue;
		}
		if (settable) {
			/* empty collections are omitted, as Kubernetes serialises them */
			gboolean empty = JSON_NODE_HOLDS_NULL(value) ||
					 (JSON_NODE_HOLDS_ARRAY(value) &&
					  json_array_get_length(json_node_get_array(value)) == 0) ||
					 (JSON_NODE_HOLDS_OBJECT(value) &&
					  json_object_get_size(json_node_get_object(value)) == 0);
			if (!empty)
				values[member].node = json_node_ref(value);
		}
	}

	rdd_store_check_string_map(values[RDD_OBJECT_META_LABELS].node, "labels", TRUE, causes);
	rdd_store_check_string_map(values[RDD_OBJECT_META_ANNOTATIONS].node, "annotations", FALSE, causes);
	rdd_store_check_finalizers(values[RDD_OBJECT_META_FINALIZERS].node, causes);
	rdd_store_check_owner_references(values[RDD_OBJECT_META_OWNER_REFERENCES].node, causes);

	if (old != NULL) {
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_NAME, old->name);
		/* identity is the stored one: a cluster-scoped object never gains a namespace */
		if (old->namespace[0] != '\0')
			rdd_store_meta_set_str(sm, RDD_OBJECT_META_NAMESPACE, old->namespace);
		else
			rdd_store_meta_remove(sm, RDD_OBJECT_META_NAMESPACE);
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_UID, old->uid);
		sm->created = rdd_store_format_time(old->creation, &sm->meta.creation);
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_CREATION_TIMESTAMP, sm->created);
		if (old->deletion != 0 || deletion != 0) {
			sm->deleted = rdd_store_format_time(old->deletion != 0 ? old->deletion : deletion,
							    &sm->meta.deletion);
			rdd_store_meta_set_str(sm, RDD_OBJECT_META_DELETION_TIMESTAMP, sm->deleted);
			rdd_store_meta_set_int(sm, RDD_OBJECT_META_DELETION_GRACE_PERIOD_SECONDS, 0);
		}
		g_snprintf(sm->rv, sizeof(sm->rv), "%" G_GUINT64_FORMAT, old->rv);
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_RESOURCE_VERSION, sm->rv);
		rdd_store_meta_set_int(sm, RDD_OBJECT_META_GENERATION, old->generation);
	} else {
		rdd_store_uuid(sm->uid);
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_UID, sm->uid);
		rdd_store_meta_set_str(sm, RDD_OBJECT_META_CREATION_TIMESTAMP,
				       rdd_store_now_text(self, &sm->meta.creation));
		rdd_store_meta_set_int(sm, RDD_OBJECT_META_GENERATION, 1);
	}
}

/* name, generateName and namespace on create, before admission sees the object */
static gboolean
rdd_store_settle_identity(RddStore *self, RddStoreKind *sk, JsonObject *meta, GError **error)
{
	const gchar *name = json_object_get_string_member_with_default(meta, "name", NULL);
	const gchar *generate = json_object_get_string_member_with_default(meta, "generateName", NULL);
	const gchar *ns = json_object_get_string_member_with_default(meta, "namespace", NULL);
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	RddKind *kind = sk->kind;

	if (json_object_has_member(meta, "name") && name == NULL)
		rdd_store_add_cause(causes, "FieldValueTypeInvalid", "metadata.name",
				    "Invalid value: must be a string");
	if ((name == NULL || name[0] == '\0') && generate != NULL && generate[0] != '\0') {
		static const gchar chars[] = "bcdfghjklmnpqrstvwxz2456789";
		g_autoptr(GString) generated = g_string_new(generate);
		if (generated->len > 58)
			g_string_truncate(generated, 58);
		for (guint i = 0; i < 5; i++)
			g_string_append_c(generated, chars[g_random_int_range(0, sizeof(chars) - 1)]);
		json_object_set_string_member(meta, "name", generated->str);
		name = json_object_get_string_member(meta, "name");
	}
	if (name == NULL || name[0] == '\0') {
		rdd_store_add_cause(causes, "FieldValueRequired", "metadata.name",
				    "Required value: name or generateName is required");
	} else {
		rdd_store_check_name(name, kind == self->namespace_kind, "metadata.name", causes);
	}
	if (rdd_kind_is_namespaced(kind)) {
		if (ns == NULL || ns[0] == '\0')
			rdd_store_add_cause(causes, "FieldValueRequired", "metadata.namespace", "Required value");
		else
			rdd_store_check_name(ns, TRUE, "metadata.namespace", causes);
	} else if (ns != NULL && ns[0] != '\0') {
		rdd_store_add_cause(causes, "FieldValueForbidden", "metadata.namespace",
				    "Forbidden: not allowed on this type");
	}
	if (causes->len > 0) {
		rdd_error_set_invalid(error, rdd_kind_get_qualified_name(kind), name, causes);
		return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_store_check_namespace_usable(RddStore *self, RddStoreKind *sk, const gchar *ns, const gchar *name, GError **error)
{
	RddStoreKind *nsk;
	RddStoreEntry *entry;

	if (!rdd_kind_is_namespaced(sk->kind) || self->namespace_kind == NULL)
		return TRUE;
	nsk = rdd_store_get_sk(self, self->namespace_kind);
	entry = g_hash_table_lookup(nsk->by_key, ns);
	if (entry == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "namespaces \"%s\" not found", ns);
		return FALSE;
	}
	if (entry->obj->deletion != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
			    "%s \"%s\" is forbidden: unable to create new content in namespace %s "
			    "because it is being terminated",
			    rdd_kind_get_qualified_plural(sk->kind), name, ns);
		return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* admission */

/**
 * rdd_store_add_admission:
 * @self: a store
 * @kind: (nullable): the kind the hook applies to, %NULL for every kind
 * @type: mutating or validating
 * @operations: a mask of #RddOperation the hook is called for
 * @name: the hook's name, used in denial messages
 * @func: the hook
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data with the store
 *
 * Registers an admission hook. Hooks of one type run in registration order: mutating hooks
 * after schema defaulting, validating hooks after schema validation.
 *
 * Since: 0.1
 */
void
rdd_store_add_admission(RddStore *self,
			RddKind *kind,
			RddAdmissionType type,
			RddOperation operations,
			const gchar *name,
			RddAdmissionFunc func,
			gpointer user_data,
			GDestroyNotify destroy)
{
	RddStoreHook *hook;

	g_return_if_fail(RDD_IS_STORE(self));
	g_return_if_fail(name != NULL);
	g_return_if_fail(func != NULL);

	hook = g_new0(RddStoreHook, 1);
	hook->kind = kind != NULL ? g_object_ref(kind) : NULL;
	hook->type = type;
	hook->operations = operations;
	hook->name = g_strdup(name);
	hook->func = func;
	hook->user_data = user_data;
	hook->destroy = destroy;
	if (kind != NULL) {
		RddStoreKind *sk = rdd_store_get_sk(self, kind);
		if (sk == NULL) {
			g_critical("admission hook %s registered for unknown kind %s", name,
				   rdd_kind_get_qualified_name(kind));
			rdd_store_hook_free(hook);
			return;
		}
		g_ptr_array_add(sk->hooks, hook);
	} else {
		g_ptr_array_add(self->hooks, hook);
	}
}

static gboolean
rdd_store_run_hook(RddStoreHook *hook, RddAdmission *admission, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if ((hook->operations & admission->operation) == 0 || hook->type != admission->operation_type)
		return TRUE;
	if (hook->func(admission, hook->user_data, &error_local))
		return TRUE;
	if (error_local == NULL) {
		g_critical("admission hook %s returned FALSE without an error", hook->name);
		g_set_error(error, RDD_ERROR, RDD_ERROR_INTERNAL,
			    "admission hook \"%s\" failed without saying why", hook->name);
		return FALSE;
	}
	rdd_error_convert(&error_local);
	if (error_local->code == RDD_ERROR_INVALID || error_local->code == RDD_ERROR_FORBIDDEN ||
	    error_local->code == RDD_ERROR_CONFLICT || error_local->code == RDD_ERROR_NOT_FOUND ||
	    error_local->code == RDD_ERROR_ALREADY_EXISTS) {
		if (error_local->code == RDD_ERROR_FORBIDDEN) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
				    "admission hook \"%s\" denied the request: %s", hook->name,
				    error_local->message);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
		    "admission hook \"%s\" denied the request: %s", hook->name, error_local->message);
	return FALSE;
}

static gboolean
rdd_store_has_hooks(RddStore *self, RddStoreKind *sk, RddAdmissionType type)
{
	GPtrArray *lists[] = {self->hooks, sk->hooks};
	for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
		for (guint i = 0; i < lists[l]->len; i++) {
			RddStoreHook *hook = g_ptr_array_index(lists[l], i);
			if (hook->type == type)
				return TRUE;
		}
	}
	return FALSE;
}

static gboolean
rdd_store_admit(RddStore *self, RddStoreKind *sk, RddAdmission *admission, GError **error)
{
	for (guint i = 0; i < self->hooks->len; i++) {
		if (!rdd_store_run_hook(g_ptr_array_index(self->hooks, i), admission, error))
			return FALSE;
	}
	for (guint i = 0; i < sk->hooks->len; i++) {
		if (!rdd_store_run_hook(g_ptr_array_index(sk->hooks, i), admission, error))
			return FALSE;
	}
	return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* writes */

typedef enum {
	RDD_STORE_WRITE_CREATE,
	RDD_STORE_WRITE_UPDATE,
	RDD_STORE_WRITE_STATUS,
} RddStoreWriteOp;

typedef struct {
	RddStoreWriteOp op;
	gboolean internal; /* the store's own write: no admission, spec and status together */
	gint64 deletion;   /* internal: set deletionTimestamp */
	gboolean owned;	   /* the input is the store's own scratch tree: write it without a copy */
} RddStoreWrite;

static RddObject *rdd_store_remove(RddStore *self, RddStoreEntry *entry);
static gboolean rdd_store_namespace_finalizing(RddStore *self, RddObject *obj);

/* json_object_set_string_member(), skipped when the member holds that string already */
static void
rdd_store_set_string(JsonObject *obj, const gchar *member, const gchar *value)
{
	JsonNode *node = json_object_get_member(obj, member);
	if (node != NULL && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING &&
	    g_strcmp0(json_node_get_string(node), value) == 0 && !json_node_is_immutable(node))
		return;
	json_object_set_string_member(obj, member, value);
}

static const gchar *
rdd_store_object_name(JsonNode *node)
{
	const gchar *name = rdd_json_lookup_string(node, "metadata.name");
	return name != NULL ? name : "";
}

static RddStoreKind *
rdd_store_kind_of_node(RddStore *self, JsonNode *node, GError **error)
{
	const gchar *api_version = rdd_json_lookup_string(node, "apiVersion");
	const gchar *kind_name = rdd_json_lookup_string(node, "kind");
	RddKind *kind;

	if (api_version == NULL || kind_name == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
				    "object has no apiVersion or kind: both are required");
		return NULL;
	}
	kind = rdd_store_find_kind(self, api_version, kind_name);
	if (kind == NULL) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND,
			    "no kind \"%s\" is registered for version \"%s\"", kind_name, api_version);
		return NULL;
	}
	return rdd_store_get_sk(self, kind);
}

static gboolean
rdd_store_handle_unknown(RddStoreKind *sk, JsonNode *work, GPtrArray *unknown, const RddWriteOptions *options, GError **error)
{
	if (unknown->len == 0 || options->field_validation == RDD_FIELD_VALIDATION_IGNORE)
		return TRUE;
	if (options->field_validation == RDD_FIELD_VALIDATION_STRICT) {
		g_autoptr(GString) msg = g_string_new(NULL);
		g_string_append_printf(msg, "%s \"%s\": strict decoding error: ",
				       rdd_kind_get_qualified_name(sk->kind), rdd_store_object_name(work));
		for (guint i = 0; i < unknown->len; i++) {
			if (i > 0)
				g_string_append(msg, ", ");
			g_string_append_printf(msg, "unknown field \"%s\"",
					       (const gchar *)g_ptr_array_index(unknown, i));
		}
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, msg->str);
		return FALSE;
	}
	for (guint i = 0; options->warnings != NULL && i < unknown->len; i++)
		g_ptr_array_add(options->warnings,
				g_strdup_printf("unknown field \"%s\"",
						(const gchar *)g_ptr_array_index(unknown, i)));
	return TRUE;
}

static gboolean
rdd_store_check_preconditions(RddKind *kind, JsonObject *meta, RddObject *old, GError **error)
{
	const gchar *rv = json_object_get_string_member_with_default(meta, "resourceVersion", NULL);
	const gchar *uid = json_object_get_string_member_with_default(meta, "uid", NULL);
	gchar old_rv[24];

	g_snprintf(old_rv, sizeof(old_rv), "%" G_GUINT64_FORMAT, old->rv);

	if (uid != NULL && uid[0] != '\0' && g_strcmp0(uid, old->uid) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": Precondition failed: UID in "
			    "precondition: %s, UID in object meta: %s",
			    rdd_kind_get_qualified_plural(kind), old->name, uid, old->uid);
		return FALSE;
	}
	if (rv != NULL && rv[0] != '\0' && g_strcmp0(rv, old_rv) != 0) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_CONFLICT,
			    "Operation cannot be fulfilled on %s \"%s\": the object has been modified; "
			    "please apply your changes to the latest version and try again",
			    rdd_kind_get_qualified_plural(kind), old->name);
		return FALSE;
	}
	return TRUE;
}

/* new finalizers may not be added to an object that is being deleted */
static gboolean
rdd_store_check_finalizers_on_delete(RddStoreKind *sk, JsonObject *meta, RddObject *old, GError **error)
{
	JsonNode *node;
	JsonArray *arr;
	if (old == NULL || old->deletion == 0 || !json_object_has_member(meta, "finalizers"))
		return TRUE;
	/* anything but a list of strings is reported by the metadata checks; not here, and
	 * without the criticals of json_object_get_array_member() and co. on the wrong types */
	node = json_object_get_member(meta, "finalizers");
	arr = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *item = json_array_get_element(arr, i);
		const gchar *fin = JSON_NODE_HOLDS_VALUE(item) ? json_node_get_string(item) : NULL;
		if (fin != NULL && !rdd_object_has_finalizer(old, fin)) {
			g_autoptr(GPtrArray) causes =
				g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
			rdd_store_add_cause(causes, "FieldValueForbidden", "metadata.finalizers",
					    "Forbidden: no new finalizers can be added if the object is being "
					    "deleted, found new finalizers [\"%s\"]",
					    fin);
			rdd_error_set_invalid(error, rdd_kind_get_qualified_name(sk->kind), old->name, causes);
			return FALSE;
		}
	}
	return TRUE;
}

/* serialises the new object from the metadata a write prepared (@sm), or in a status write
 * from @meta (%NULL: the stored metadata); with @written, its content is what
 * rdd_schema_write() left in self->content */
static RddObject *
rdd_store_build(RddStore *self,
		RddKind *kind,
		RddStoreMeta *sm,
		JsonObject *meta,
		JsonObject *content,
		gboolean written,
		RddObject *base,
		RddObjectBuildMode mode,
		GError **error)
{
	RddObject *obj;

	if (sm == NULL)
		return rdd_object_build(kind, meta, content, base, mode, error);
	obj = rdd_object_build_meta(kind, &sm->meta, content, written ? self->content->str : NULL,
				    written ? (const guint32 *)(gpointer)self->content_spans->data : NULL,
				    written ? self->content_spans->len / 3 : 0, base, mode,
				    self->scratch, error);
	/* do not keep the buffers of a huge object around */
	if (self->scratch->allocated_len > 1024 * 1024) {
		g_string_free(self->scratch, TRUE);
		self->scratch = g_string_sized_new(4096);
	}
	if (self->content->allocated_len > 1024 * 1024) {
		g_string_free(self->content, TRUE);
		self->content = g_string_sized_new(4096);
	}
	if (self->content_spans->len > 3 * 1024) {
		g_array_unref(self->content_spans);
		self->content_spans = g_array_new(FALSE, FALSE, sizeof(guint32));
	}
	return obj;
}

/*
 * The one write pipeline: identity, defaults, mutating admission, metadata, pruning, schema
 * validation, validating admission, serialisation, then (unless a dry run) indexes, history,
 * database queue and signals.
 */
static RddObject *
rdd_store_write(RddStore *self,
		RddStoreKind *sk,
		JsonNode *input,
		const RddStoreWrite *wr,
		const RddWriteOptions *options,
		GError **error)
{
	RddWriteOptions defaults = {0};
	RddKind *kind = sk->kind;
	RddSchema *schema = rdd_kind_get_schema(kind);
	g_autoptr(JsonNode) work = NULL;
	g_autoptr(JsonObject) meta = NULL; /* a status write's */
	g_auto(RddStoreMeta) sm = {0};
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(RddObject) obj = NULL;
	RddStoreEntry *entry = NULL;
	RddObject *old = NULL;
	JsonObject *in_meta;
	RddAdmission admission = {0};
	RddObjectBuildMode mode = RDD_OBJECT_BUILD_CONTENT;
	const gchar *name;
	gboolean written = FALSE;

	if (options == NULL)
		options = &defaults;
	if (input == NULL || !JSON_NODE_HOLDS_OBJECT(input)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "the object must be a JSON object");
		return NULL;
	}
	/* the caller's tree stays untouched unless it is handed over; copying it is a good part
	 * of a write's cost */
	if (wr->owned || (options->take_object && !json_node_is_immutable(input)))
		work = json_node_ref(input);
	else
		work = rdd_json_deep_copy(input);
	in_meta = rdd_json_object_ensure_object(json_node_get_object(work), "metadata");
	rdd_store_set_string(json_node_get_object(work), "apiVersion", rdd_kind_get_api_version(kind));
	rdd_store_set_string(json_node_get_object(work), "kind", rdd_kind_get_name(kind));

	if (wr->op == RDD_STORE_WRITE_CREATE) {
		if (!rdd_store_settle_identity(self, sk, in_meta, error))
			return NULL;
		name = json_object_get_string_member(in_meta, "name");
		if (!rdd_store_check_namespace_usable(
			    self, sk, json_object_get_string_member_with_default(in_meta, "namespace", ""),
			    name, error))
			return NULL;
	} else {
		const gchar *ns = json_object_get_string_member_with_default(in_meta, "namespace", NULL);
		name = json_object_get_string_member_with_default(in_meta, "name", NULL);
		if (name == NULL || name[0] == '\0') {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "metadata.name: Required value");
			return NULL;
		}
		entry = rdd_store_lookup_entry(sk, ns, name);
		if (entry == NULL) {
			rdd_store_set_not_found(error, kind, name);
			return NULL;
		}
		old = entry->obj;
		if (!rdd_store_check_preconditions(kind, in_meta, old, error))
			return NULL;
		if (wr->op == RDD_STORE_WRITE_STATUS)
			mode = RDD_OBJECT_BUILD_ONLY_STATUS_FROM_CONTENT;
		else if (rdd_kind_has_status(kind) && !wr->internal)
			mode = RDD_OBJECT_BUILD_STATUS_FROM_BASE;
	}

	/* a create cannot set the status subresource */
	if (wr->op == RDD_STORE_WRITE_CREATE && rdd_kind_has_status(kind) && !wr->internal)
		json_object_remove_member(json_node_get_object(work), "status");

	/* defaults before mutating admission, as Kubernetes decodes with defaults */
	rdd_schema_apply_defaults(schema, work);

	admission.operation = wr->op == RDD_STORE_WRITE_CREATE ? RDD_OPERATION_CREATE : RDD_OPERATION_UPDATE;
	admission.kind = kind;
	admission.name = name;
	admission.namespace = rdd_kind_is_namespaced(kind) ?
				      json_object_get_string_member_with_default(in_meta, "namespace", "") :
				      "";
	admission.object = work;
	admission.old_object = old;
	admission.subresource = wr->op == RDD_STORE_WRITE_STATUS ? "status" : "";
	admission.dry_run = options->dry_run;
	admission.store = self;
	admission.warnings = options->warnings;
	if (!wr->internal) {
		admission.operation_type = RDD_ADMISSION_MUTATING;
		if (!rdd_store_admit(self, sk, &admission, error))
			return NULL;
		if (!JSON_NODE_HOLDS_OBJECT(work)) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INTERNAL, "a mutating hook broke the object");
			return NULL;
		}
		/* a mutating hook may have replaced metadata */
		in_meta = rdd_json_object_ensure_object(json_node_get_object(work), "metadata");
		/* and added objects whose fields have defaults: Kubernetes decodes the mutated
		 * object again, which defaults them */
		if (rdd_store_has_hooks(self, sk, RDD_ADMISSION_MUTATING))
			rdd_schema_apply_defaults(schema, work);
	}

	if (options->prepare != NULL) {
		options->prepare(work, old, wr->op == RDD_STORE_WRITE_STATUS ? "status" : "", options->prepare_data);
		in_meta = rdd_json_object_ensure_object(json_node_get_object(work), "metadata");
	}
	if (wr->op != RDD_STORE_WRITE_STATUS) {
		/* the store itself may add the propagation finalizers to an object being deleted */
		if (!wr->internal && !rdd_store_check_finalizers_on_delete(sk, in_meta, old, error))
			return NULL;
		rdd_store_prepare_metadata(self, sk, in_meta, old, wr->deletion, causes, unknown, &sm);
	} else if (json_object_has_member(in_meta, "managedFields")) {
		/* a status write keeps all stored metadata but the field ownership it records */
		JsonNode *managed = json_object_get_member(in_meta, "managedFields");
		meta = rdd_object_dup_metadata(old);
		if (JSON_NODE_HOLDS_ARRAY(managed) && json_array_get_length(json_node_get_array(managed)) > 0)
			json_object_set_member(meta, "managedFields", json_node_ref(managed));
		else
			json_object_remove_member(meta, "managedFields");
	}
	/* prune and validate, in one walk when there is nothing to report; the strict unknown-field
	 * check below still comes before the validation errors. Without validating admission hooks,
	 * which could look at the object (and, against the rules, change it), that one walk also
	 * writes the object's content in canonical form, for rdd_store_build() */
	g_string_truncate(self->content, 0);
	g_array_set_size(self->content_spans, 0);
	if (wr->op != RDD_STORE_WRITE_STATUS &&
	    (wr->internal || !rdd_store_has_hooks(self, sk, RDD_ADMISSION_VALIDATING)))
		written = rdd_schema_write(schema, work, self->content, self->content_spans);
	if (!written)
		rdd_schema_process(schema, work, unknown, causes);
	if (wr->op == RDD_STORE_WRITE_STATUS) {
		/* only status counts in a status write; report unknown fields there only */
		for (guint i = 0; i < unknown->len;) {
			if (!g_str_has_prefix(g_ptr_array_index(unknown, i), "status"))
				g_ptr_array_remove_index(unknown, i);
			else
				i++;
		}
	}
	if (!rdd_store_handle_unknown(sk, work, unknown, options, error))
		return NULL;
	if (causes->len > 0) {
		rdd_error_set_invalid(error, rdd_kind_get_qualified_name(kind), name, causes);
		return NULL;
	}
	if (!wr->internal) {
		admission.operation_type = RDD_ADMISSION_VALIDATING;
		if (!rdd_store_admit(self, sk, &admission, error))
			return NULL;
	}

	if (wr->op == RDD_STORE_WRITE_CREATE) {
		gchar buf[256];
		g_autofree gchar *heap = NULL;
		const gchar *key = rdd_store_format_key_buf(kind, admission.namespace, name, buf,
							    sizeof(buf), &heap);
		if (g_hash_table_contains(sk->by_key, key)) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_ALREADY_EXISTS, "%s \"%s\" already exists",
				    rdd_kind_get_qualified_plural(kind), name);
			return NULL;
		}
		g_snprintf(sm.rv, sizeof(sm.rv), "%" G_GUINT64_FORMAT, options->dry_run ? 0 : self->rv + 1);
		rdd_store_meta_set_str(&sm, RDD_OBJECT_META_RESOURCE_VERSION, sm.rv);
		obj = rdd_store_build(self, kind, &sm, NULL, json_node_get_object(work), written,
				      NULL, mode, error);
		if (obj == NULL)
			return NULL;
		if (options->dry_run)
			return g_steal_pointer(&obj);
		self->rv++;
		entry = rdd_store_index_insert(self, sk, obj);
		rdd_store_emit(self, sk, entry->key, RDD_EVENT_ADDED, obj, NULL);
		if (obj->n_owners > 0) {
			g_hash_table_add(self->gc_orphans, g_strdup(obj->uid));
			rdd_store_schedule_gc(self);
		}
		return g_steal_pointer(&obj);
	}

	/* update or status: serialise with the old versions, detect a no-op, then stamp */
	obj = rdd_store_build(self, kind, wr->op != RDD_STORE_WRITE_STATUS ? &sm : NULL, meta,
			      json_node_get_object(work), written, old, mode, error);
	if (obj == NULL)
		return NULL;
	if (obj->json_len == old->json_len && memcmp(obj->json, old->json, old->json_len) == 0)
		return rdd_object_ref(old);
	{
		gint64 generation = old->generation;
		gboolean with_status = !rdd_kind_has_status(kind);
		if (!rdd_object_spec_equal(old, obj, with_status))
			generation++;
		if (!rdd_object_set_versions(obj, options->dry_run ? old->rv : self->rv + 1, generation, error))
			return NULL;
	}
	if (options->dry_run)
		return g_steal_pointer(&obj);
	self->rv++;
	old = rdd_object_ref(old);
	rdd_store_index_replace(self, entry, obj);
	if (obj->deletion != 0 && obj->finalizers[0] == NULL && !rdd_store_namespace_finalizing(self, obj)) {
		/* the last finalizer went: the object goes now; watchers see only the deletion */
		rdd_object_unref(old);
		rdd_object_unref(rdd_store_remove(self, entry));
		return g_steal_pointer(&obj);
	}
	rdd_store_emit(self, sk, entry->key, RDD_EVENT_MODIFIED, obj, old);
	if (obj->deletion != 0 && (rdd_object_has_finalizer(obj, RDD_FINALIZER_FOREGROUND) ||
				   rdd_object_has_finalizer(obj, RDD_FINALIZER_ORPHAN))) {
		g_hash_table_add(self->gc_owners, g_strdup(obj->uid));
		rdd_store_schedule_gc(self);
	}
	if (!rdd_store_owners_equal(old, obj) && obj->n_owners > 0) {
		g_hash_table_add(self->gc_orphans, g_strdup(obj->uid));
		rdd_store_schedule_gc(self);
	}
	rdd_object_unref(old);
	return g_steal_pointer(&obj);
}

/**
 * rdd_store_create:
 * @self: a store
 * @object: the object; `apiVersion` and `kind` select a registered kind
 * @options: (nullable): write options
 * @error: return location for an error
 *
 * Creates an object: validates identity and metadata, applies schema defaults, runs mutating
 * admission, prunes unknown fields, validates against the schema, runs validating admission,
 * then assigns uid, creationTimestamp, generation 1 and the next resourceVersion. @object is
 * not modified, unless @options sets @take_object.
 *
 * Returns: (transfer full): the stored object (on a dry run, the object that would be stored),
 *   or %NULL with %RDD_ERROR_INVALID (with causes), %RDD_ERROR_ALREADY_EXISTS,
 *   %RDD_ERROR_FORBIDDEN, %RDD_ERROR_NOT_FOUND (namespace or kind) or %RDD_ERROR_BAD_REQUEST
 *
 * Since: 0.1
 */
RddObject *
rdd_store_create(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error)
{
	RddStoreWrite wr = {RDD_STORE_WRITE_CREATE};
	RddStoreKind *sk;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_kind_of_node(self, object, error);
	if (sk == NULL)
		return NULL;
	return rdd_store_write(self, sk, object, &wr, options, error);
}

/**
 * rdd_store_update:
 * @self: a store
 * @object: the complete new object; a non-empty `metadata.resourceVersion` (or `uid`) is a
 *   precondition that must match the stored object
 * @options: (nullable): write options
 * @error: return location for an error
 *
 * Replaces an object. For kinds with a status subresource the stored status is kept whatever
 * @object says. The generation increases only when the spec changed; a write that changes
 * nothing returns the stored object without a new resourceVersion.
 *
 * Returns: (transfer full): the stored object, or %NULL with an error such as
 *   %RDD_ERROR_CONFLICT or %RDD_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
RddObject *
rdd_store_update(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error)
{
	RddStoreWrite wr = {RDD_STORE_WRITE_UPDATE};
	RddStoreKind *sk;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_kind_of_node(self, object, error);
	if (sk == NULL)
		return NULL;
	return rdd_store_write(self, sk, object, &wr, options, error);
}

/**
 * rdd_store_update_status:
 * @self: a store
 * @object: an object carrying the new `status`
 * @options: (nullable): write options
 * @error: return location for an error
 *
 * Writes the status subresource: everything but `status` is kept from the stored object.
 *
 * Returns: (transfer full): the stored object, or %NULL with an error
 *
 * Since: 0.1
 */
RddObject *
rdd_store_update_status(RddStore *self, JsonNode *object, const RddWriteOptions *options, GError **error)
{
	RddStoreWrite wr = {RDD_STORE_WRITE_STATUS};
	RddStoreKind *sk;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_kind_of_node(self, object, error);
	if (sk == NULL)
		return NULL;
	if (!rdd_kind_has_status(sk->kind)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "%s has no status subresource",
			    rdd_kind_get_qualified_plural(sk->kind));
		return NULL;
	}
	return rdd_store_write(self, sk, object, &wr, options, error);
}

/**
 * rdd_store_patch:
 * @self: a store
 * @kind: a registered kind
 * @namespace: (nullable): the namespace
 * @name: the name
 * @type: how to read @patch
 * @patch: the patch document
 * @status: patch the status subresource instead of the object
 * @options: (nullable): write options
 * @error: return location for an error
 *
 * Applies a patch to the stored object and writes the result through the update pipeline.
 * A `metadata.resourceVersion` set by the patch acts as a precondition.
 *
 * Returns: (transfer full): the stored object, or %NULL with an error
 *
 * Since: 0.1
 */
RddObject *
rdd_store_patch(RddStore *self,
		RddKind *kind,
		const gchar *namespace,
		const gchar *name,
		RddPatchType type,
		JsonNode *patch,
		gboolean status,
		const RddWriteOptions *options,
		GError **error)
{
	RddStoreWrite wr = {status ? RDD_STORE_WRITE_STATUS : RDD_STORE_WRITE_UPDATE, .owned = TRUE};
	RddStoreKind *sk;
	RddStoreEntry *entry;
	g_autoptr(JsonNode) current = NULL;
	g_autoptr(JsonNode) patched = NULL;
	const gchar *new_name, *new_ns;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	sk = rdd_store_require_sk(self, kind, error);
	if (sk == NULL)
		return NULL;
	if (status && !rdd_kind_has_status(kind)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "%s has no status subresource",
			    rdd_kind_get_qualified_plural(kind));
		return NULL;
	}
	entry = rdd_store_lookup_entry(sk, namespace, name);
	if (entry == NULL) {
		rdd_store_set_not_found(error, kind, name);
		return NULL;
	}
	if (patch == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST, "the patch is empty");
		return NULL;
	}
	current = rdd_object_dup_node(entry->obj);
	switch (type) {
	case RDD_PATCH_MERGE:
	case RDD_PATCH_STRATEGIC:
		if (!JSON_NODE_HOLDS_OBJECT(patch)) {
			g_set_error_literal(error, RDD_ERROR, RDD_ERROR_BAD_REQUEST,
					    "a merge patch must be a JSON object");
			return NULL;
		}
		patched = rdd_json_merge_patch(current, patch);
		break;
	case RDD_PATCH_JSON:
		patched = rdd_json_patch_apply(current, patch, error);
		if (patched == NULL)
			return NULL;
		break;
	default:
		g_set_error(error, RDD_ERROR, RDD_ERROR_UNSUPPORTED_MEDIA_TYPE, "unknown patch type %d", type);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(patched)) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_INVALID, "the patched object is not a JSON object");
		return NULL;
	}
	new_name = rdd_json_lookup_string(patched, "metadata.name");
	new_ns = rdd_json_lookup_string(patched, "metadata.namespace");
	if (g_strcmp0(new_name, entry->obj->name) != 0 ||
	    (rdd_kind_is_namespaced(kind) && g_strcmp0(new_ns, entry->obj->namespace) != 0)) {
		g_set_error(error, RDD_ERROR, RDD_ERROR_INVALID,
			    "%s \"%s\" is invalid: metadata.name: Invalid value: the patch may not change "
			    "the name or namespace",
			    rdd_kind_get_qualified_name(kind), entry->obj->name);
		return NULL;
	}
	return rdd_store_write(self, sk, patched, &wr, options, error);
}

static RddObject *
rdd_store_write_internal(RddStore *self, RddStoreKind *sk, JsonNode *node, gint64 deletion, GError **error)
{
	RddStoreWrite wr = {RDD_STORE_WRITE_UPDATE, TRUE, deletion, .owned = TRUE};
	RddWriteOptions options = {.field_validation = RDD_FIELD_VALIDATION_IGNORE};
	return rdd_store_write(self, sk, node, &wr, &options, error);
}

static gboolean
rdd_store_edit_finalizer(RddStore *self, RddObject *object, const gchar *finalizer, gboolean add, GError **error)
{
	RddStoreKind *sk;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) result = NULL;
	JsonArray *fins, *new_fins;
	JsonObject *meta;

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), FALSE);
	g_return_val_if_fail(object != NULL, FALSE);
	sk = rdd_store_require_sk(self, object->kind, error);
	if (sk == NULL)
		return FALSE;
	if (add == rdd_object_has_finalizer(object, finalizer))
		return TRUE;
	node = rdd_object_dup_node(object);
	meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	fins = rdd_json_object_ensure_array(meta, "finalizers");
	new_fins = json_array_new();
	for (guint i = 0; i < json_array_get_length(fins); i++) {
		const gchar *fin = json_array_get_string_element(fins, i);
		if (g_strcmp0(fin, finalizer) != 0)
			json_array_add_string_element(new_fins, fin);
	}
	if (add)
		json_array_add_string_element(new_fins, finalizer);
	json_object_set_array_member(meta, "finalizers", new_fins);
	{
		RddStoreWrite wr = {RDD_STORE_WRITE_UPDATE, .owned = TRUE};
		result = rdd_store_write(self, sk, node, &wr, NULL, error);
	}
	return result != NULL;
}

/**
 * rdd_store_add_finalizer:
 * @self: a store
 * @object: the object as last seen; its resourceVersion is a precondition
 * @finalizer: the finalizer
 * @error: return location for an error
 *
 * Returns: %TRUE when the object carries @finalizer afterwards
 *
 * Since: 0.1
 */
gboolean
rdd_store_add_finalizer(RddStore *self, RddObject *object, const gchar *finalizer, GError **error)
{
	return rdd_store_edit_finalizer(self, object, finalizer, TRUE, error);
}

/**
 * rdd_store_remove_finalizer:
 * @self: a store
 * @object: the object as last seen; its resourceVersion is a precondition
 * @finalizer: the finalizer
 * @error: return location for an error
 *
 * Removes @finalizer; when it was the last one of an object being deleted, the object goes.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_store_remove_finalizer(RddStore *self, RddObject *object, const gchar *finalizer, GError **error)
{
	return rdd_store_edit_finalizer(self, object, finalizer, FALSE, error);
}

/* ---------------------------------------------------------------------------------------- */
/* deletion and garbage collection */

static gboolean
rdd_store_namespace_finalizing(RddStore *self, RddObject *obj)
{
	g_autoptr(JsonNode) spec = NULL;
	JsonNode *fins;

	if (obj->kind != self->namespace_kind)
		return FALSE;
	spec = rdd_object_dup_member(obj, "spec");
	fins = rdd_json_lookup(spec, "finalizers");
	return fins != NULL && JSON_NODE_HOLDS_ARRAY(fins) &&
	       json_array_get_length(json_node_get_array(fins)) > 0;
}

/* removes an object for good: a new resourceVersion, a DELETED event, the dependents to GC */
static RddObject *
rdd_store_remove(RddStore *self, RddStoreEntry *entry)
{
	RddStoreKind *sk = entry->sk;
	g_autoptr(RddObject) gone = rdd_object_copy(entry->obj);
	g_autofree gchar *key = g_strdup(entry->key);
	g_autoptr(GError) error_local = NULL;

	self->rv++;
	if (!rdd_object_set_versions(gone, self->rv, gone->generation, &error_local))
		g_warning("cannot stamp the deletion of %s: %s", key, error_local->message);
	if (rdd_store_posting_size(self->dependents, gone->uid) > 0)
		g_hash_table_add(self->gc_owners, g_strdup(gone->uid));
	/* an owner in foreground deletion waits for this object: look at it again */
	for (guint i = 0; i < gone->n_owners; i++) {
		RddStoreEntry *owner = g_hash_table_lookup(self->by_uid, gone->owners[i].uid);
		if (owner != NULL && owner->obj->deletion != 0 &&
		    rdd_object_has_finalizer(owner->obj, RDD_FINALIZER_FOREGROUND))
			g_hash_table_add(self->gc_owners, g_strdup(owner->obj->uid));
	}
	if (g_hash_table_size(self->gc_owners) > 0)
		rdd_store_schedule_gc(self);
	rdd_store_index_drop(self, entry);
	rdd_store_emit(self, sk, key, RDD_EVENT_DELETED, gone, NULL);
	return g_steal_pointer(&gone);
}

static RddObject *
rdd_store_mark_deleting(RddStore *self, RddStoreEntry *entry, const gchar *const *add_finalizers, GError **error)
{
	RddObject *obj = entry->obj;
	g_autoptr(JsonNode) node = rdd_object_dup_node(obj);
	JsonObject *meta = rdd_json_object_ensure_object(json_node_get_object(node), "metadata");
	JsonArray *fins = rdd_json_object_ensure_array(meta, "finalizers");

	for (guint i = 0; add_finalizers != NULL && add_finalizers[i] != NULL; i++) {
		if (!rdd_object_has_finalizer(obj, add_finalizers[i]))
			json_array_add_string_element(fins, add_finalizers[i]);
	}
	if (obj->kind == self->namespace_kind) {
		JsonObject *status = rdd_json_object_ensure_object(json_node_get_object(node), "status");
		JsonObject *spec = rdd_json_object_ensure_object(json_node_get_object(node), "spec");
		JsonArray *spec_fins = rdd_json_object_ensure_array(spec, "finalizers");
		gboolean found = FALSE;
		for (guint i = 0; i < json_array_get_length(spec_fins); i++)
			found |= g_strcmp0(json_array_get_string_element(spec_fins, i),
					   RDD_STORE_NAMESPACE_FINALIZER) == 0;
		if (!found)
			json_array_add_string_element(spec_fins, RDD_STORE_NAMESPACE_FINALIZER);
		json_object_set_string_member(status, "phase", "Terminating");
		g_hash_table_add(self->gc_namespaces, g_strdup(obj->name));
		rdd_store_schedule_gc(self);
	}
	/* a finalizer added now is allowed: the object is not marked yet when the write runs */
	return rdd_store_write_internal(self, entry->sk, node,
					obj->deletion != 0 ? 0 : g_get_real_time(), error);
}

/**
 * rdd_store_delete:
 * @self: a store
 * @kind: a registered kind
 * @namespace: (nullable): the namespace
 * @name: the name
 * @options: (nullable): preconditions, propagation, dry run
 * @error: return location for an error
 *
 * Deletes an object. Validating admission hooks see the request first. An object with
 * finalizers is only marked: it gets a deletionTimestamp and goes when its last finalizer is
 * removed. Deleting a namespace marks it Terminating; the store then deletes everything in it
 * and removes the namespace when it is empty. Dependents (objects whose ownerReferences name
 * this object) are handled as @options' propagation says.
 *
 * Returns: (transfer full): the object as it stands after the call: marked for deletion, or
 *   its final state when removed; %NULL with an error
 *
 * Since: 0.1
 */
RddObject *
rdd_store_delete(RddStore *self,
		 RddKind *kind,
		 const gchar *namespace,
		 const gchar *name,
		 const RddDeleteOptions *options,
		 GError **error)
{
	RddDeleteOptions defaults = {0};
	RddStoreKind *sk;
	RddStoreEntry *entry;
	RddObject *obj;
	RddAdmission admission = {0};
	const gchar *extra[2] = {NULL, NULL};
	gboolean has_dependents;

	g_return_val_if_fail(RDD_IS_STORE(self), NULL);
	g_return_val_if_fail(rdd_store_is_owner_thread(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	if (options == NULL)
		options = &defaults;
	sk = rdd_store_require_sk(self, kind, error);
	if (sk == NULL)
		return NULL;
	entry = rdd_store_lookup_entry(sk, namespace, name);
	if (entry == NULL) {
		rdd_store_set_not_found(error, kind, name);
		return NULL;
	}
	obj = entry->obj;
	{
		g_autoptr(JsonObject) pre = json_object_new();
		if (options->precondition_uid != NULL)
			json_object_set_string_member(pre, "uid", options->precondition_uid);
		if (options->precondition_resource_version != NULL)
			json_object_set_string_member(pre, "resourceVersion", options->precondition_resource_version);
		if (!rdd_store_check_preconditions(kind, pre, obj, error))
			return NULL;
	}
	admission.operation = RDD_OPERATION_DELETE;
	admission.operation_type = RDD_ADMISSION_VALIDATING;
	admission.kind = kind;
	admission.name = obj->name;
	admission.namespace = obj->namespace;
	admission.old_object = obj;
	admission.dry_run = options->dry_run;
	admission.store = self;
	admission.warnings = options->warnings;
	admission.subresource = "";
	if (!rdd_store_admit(self, sk, &admission, error))
		return NULL;
	if (options->dry_run)
		return rdd_object_ref(obj);

	has_dependents = rdd_store_posting_size(self->dependents, obj->uid) > 0;
	if (options->propagation == RDD_PROPAGATION_FOREGROUND && has_dependents)
		extra[0] = RDD_FINALIZER_FOREGROUND;
	else if (options->propagation == RDD_PROPAGATION_ORPHAN && has_dependents)
		extra[0] = RDD_FINALIZER_ORPHAN;

	if (obj->finalizers[0] != NULL || extra[0] != NULL || obj->kind == self->namespace_kind) {
		if (obj->deletion != 0 && (extra[0] == NULL || rdd_object_has_finalizer(obj, extra[0])))
			return rdd_object_ref(obj);
		return rdd_store_mark_deleting(self, entry, extra, error);
	}
	return rdd_store_remove(self, entry);
}

static void
rdd_store_gc_dependents(RddStore *self, const gchar *owner_uid, RddObject *owner)
{
	g_autoptr(GPtrArray) deps = g_ptr_array_new();
	gboolean orphan = owner != NULL && owner->deletion != 0 &&
			  rdd_object_has_finalizer(owner, RDD_FINALIZER_ORPHAN);
	gboolean foreground = owner != NULL && owner->deletion != 0 &&
			      rdd_object_has_finalizer(owner, RDD_FINALIZER_FOREGROUND);
	guint blocking = 0;

	if (owner != NULL && !orphan && !foreground)
		return; /* owner alive: nothing to collect */
	rdd_store_posting_collect(self->dependents, owner_uid, deps);
	for (guint i = 0; i < deps->len; i++) {
		RddStoreEntry *dep = g_ptr_array_index(deps, i);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(RddObject) result = NULL;
		gboolean other_owner = FALSE;

		if (orphan) {
			g_autoptr(JsonNode) node = rdd_object_dup_node(dep->obj);
			JsonObject *meta = json_object_get_object_member(json_node_get_object(node), "metadata");
			JsonArray *refs = json_object_get_array_member(meta, "ownerReferences");
			JsonArray *kept = json_array_new();
			for (guint j = 0; refs != NULL && j < json_array_get_length(refs); j++) {
				JsonNode *ref = json_array_get_element(refs, j);
				if (g_strcmp0(rdd_json_lookup_string(ref, "uid"), owner_uid) != 0)
					json_array_add_element(kept, json_node_ref(ref));
			}
			json_object_set_array_member(meta, "ownerReferences", kept);
			result = rdd_store_write_internal(self, dep->sk, node, 0, &error_local);
			if (result == NULL)
				g_warning("cannot orphan %s: %s", dep->key, error_local->message);
			continue;
		}
		/* an object with another live owner stays */
		for (guint j = 0; j < dep->obj->n_owners; j++) {
			const gchar *uid = dep->obj->owners[j].uid;
			RddStoreEntry *other = g_hash_table_lookup(self->by_uid, uid);
			if (g_strcmp0(uid, owner_uid) != 0 && other != NULL && other->obj->deletion == 0)
				other_owner = TRUE;
		}
		if (other_owner)
			continue;
		if (foreground) {
			for (guint j = 0; j < dep->obj->n_owners; j++) {
				if (g_strcmp0(dep->obj->owners[j].uid, owner_uid) == 0 &&
				    dep->obj->owners[j].block_owner_deletion)
					blocking++;
			}
		}
		if (dep->obj->deletion == 0) {
			RddDeleteOptions opts = {.propagation = foreground ? RDD_PROPAGATION_FOREGROUND :
									     RDD_PROPAGATION_BACKGROUND};
			result = rdd_store_delete(self, dep->sk->kind, dep->obj->namespace,
						  dep->obj->name, &opts, &error_local);
			if (result == NULL)
				g_warning("garbage collector cannot delete %s %s: %s",
					  rdd_kind_get_qualified_name(dep->sk->kind), dep->key,
					  error_local->message);
		}
	}
	if (orphan || (foreground && blocking == 0)) {
		g_autoptr(GError) error_local = NULL;
		const gchar *fin = orphan ? RDD_FINALIZER_ORPHAN : RDD_FINALIZER_FOREGROUND;
		RddStoreEntry *entry = g_hash_table_lookup(self->by_uid, owner_uid);
		if (entry != NULL) {
			g_autoptr(JsonNode) node = rdd_object_dup_node(entry->obj);
			JsonObject *meta = json_object_get_object_member(json_node_get_object(node), "metadata");
			JsonArray *fins = json_object_get_array_member(meta, "finalizers");
			JsonArray *kept = json_array_new();
			g_autoptr(RddObject) result = NULL;
			for (guint j = 0; fins != NULL && j < json_array_get_length(fins); j++) {
				const gchar *f = json_array_get_string_element(fins, j);
				if (g_strcmp0(f, fin) != 0)
					json_array_add_string_element(kept, f);
			}
			json_object_set_array_member(meta, "finalizers", kept);
			result = rdd_store_write_internal(self, entry->sk, node, 0, &error_local);
			if (result == NULL)
				g_warning("cannot finish deleting %s: %s", entry->key, error_local->message);
		}
	}
	/* otherwise a foreground owner waits: each removal of a blocking dependent re-queues it */
}

static void
rdd_store_gc_namespace(RddStore *self, const gchar *ns)
{
	RddStoreKind *nsk = rdd_store_get_sk(self, self->namespace_kind);
	RddStoreEntry *ns_entry = g_hash_table_lookup(nsk->by_key, ns);
	guint remaining = 0;

	if (ns_entry != NULL && ns_entry->obj->deletion == 0)
		return;
	for (guint i = 0; i < self->kind_list->len; i++) {
		RddStoreKind *sk = rdd_store_get_sk(self, g_ptr_array_index(self->kind_list, i));
		g_autoptr(GPtrArray) entries = g_ptr_array_new();
		if (!rdd_kind_is_namespaced(sk->kind))
			continue;
		rdd_store_posting_collect(sk->by_namespace, ns, entries);
		for (guint j = 0; j < entries->len; j++) {
			RddStoreEntry *entry = g_ptr_array_index(entries, j);
			g_autoptr(GError) error_local = NULL;
			g_autoptr(RddObject) result = NULL;
			if (entry->obj->deletion != 0)
				continue;
			result = rdd_store_delete(self, sk->kind, ns, entry->obj->name, NULL, &error_local);
			if (result == NULL)
				g_warning("cannot delete %s %s in terminating namespace %s: %s",
					  rdd_kind_get_qualified_name(sk->kind), entry->key, ns,
					  error_local->message);
		}
		/* what is left waits for its finalizers */
		remaining += rdd_store_posting_size(sk->by_namespace, ns);
	}
	ns_entry = g_hash_table_lookup(nsk->by_key, ns);
	if (remaining == 0 && ns_entry == NULL) {
		g_hash_table_remove(self->gc_namespaces, ns);
	} else if (remaining == 0) {
		/* empty: drop the namespace finalizer; the namespace goes with its last finalizer */
		g_autoptr(JsonNode) node = rdd_object_dup_node(ns_entry->obj);
		JsonObject *spec = rdd_json_object_ensure_object(json_node_get_object(node), "spec");
		g_autoptr(GError) error_local = NULL;
		g_autoptr(RddObject) result = NULL;
		json_object_set_array_member(spec, "finalizers", json_array_new());
		g_hash_table_remove(self->gc_namespaces, ns);
		result = rdd_store_write_internal(self, nsk, node, 0, &error_local);
		if (result == NULL)
			g_warning("cannot finalize namespace %s: %s", ns, error_local->message);
	}
}

/* the keys of a set, copied; with @steal the set is emptied */
static GPtrArray *
rdd_store_set_keys(GHashTable *set, gboolean steal)
{
	GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer key;
	g_hash_table_iter_init(&iter, set);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(keys, g_strdup(key));
	if (steal)
		g_hash_table_remove_all(set);
	return keys;
}

static guint
rdd_store_gc_pass(RddStore *self)
{
	g_autoptr(GPtrArray) owners = rdd_store_set_keys(self->gc_owners, TRUE);
	g_autoptr(GPtrArray) orphans = rdd_store_set_keys(self->gc_orphans, TRUE);
	g_autoptr(GPtrArray) namespaces = rdd_store_set_keys(self->gc_namespaces, FALSE);
	guint work = owners->len + orphans->len + namespaces->len;

	for (guint i = 0; i < owners->len; i++) {
		const gchar *uid = g_ptr_array_index(owners, i);
		RddStoreEntry *entry = g_hash_table_lookup(self->by_uid, uid);
		rdd_store_gc_dependents(self, uid, entry != NULL ? entry->obj : NULL);
	}
	for (guint i = 0; i < orphans->len; i++) {
		RddStoreEntry *entry = g_hash_table_lookup(self->by_uid, g_ptr_array_index(orphans, i));
		gboolean any_owner = FALSE;
		if (entry == NULL || entry->obj->n_owners == 0 || entry->obj->deletion != 0)
			continue;
		for (guint j = 0; j < entry->obj->n_owners; j++) {
			const RddOwnerReference *ref = &entry->obj->owners[j];
			if (g_hash_table_contains(self->by_uid, ref->uid)) {
				any_owner = TRUE;
			} else if (rdd_store_find_kind(self, ref->api_version, ref->kind) == NULL) {
				/* a kind nobody registered (its plugin did not load): whether the
				 * owner exists cannot be known, so the object stays; checked again
				 * when a kind is registered */
				g_hash_table_add(self->gc_unresolved, g_strdup(entry->obj->uid));
				any_owner = TRUE;
			}
		}
		if (!any_owner) {
			g_autoptr(GError) error_local = NULL;
			g_autoptr(RddObject) result =
				rdd_store_delete(self, entry->sk->kind, entry->obj->namespace,
						 entry->obj->name, NULL, &error_local);
			if (result == NULL)
				g_warning("cannot delete %s whose owners are gone: %s",
					  (const gchar *)g_ptr_array_index(orphans, i), error_local->message);
		}
	}
	for (guint i = 0; i < namespaces->len; i++)
		rdd_store_gc_namespace(self, g_ptr_array_index(namespaces, i));
	/* a dependent removed during a foreground deletion re-checks its owners */
	return work;
}

static gboolean
rdd_store_gc_cb(gpointer user_data)
{
	RddStore *self = RDD_STORE(user_data);
	self->gc_id = 0;
	rdd_store_gc_pass(self);
	if (g_hash_table_size(self->gc_owners) > 0 || g_hash_table_size(self->gc_orphans) > 0)
		rdd_store_schedule_gc(self);
	else if (g_hash_table_size(self->gc_namespaces) > 0 && self->gc_id == 0)
		/* namespaces whose contents wait for finalizers: look again shortly */
		self->gc_id = g_timeout_add(100, rdd_store_gc_cb, self);
	return G_SOURCE_REMOVE;
}

static void
rdd_store_schedule_gc(RddStore *self)
{
	if (self->gc_id != 0)
		return;
	self->gc_id = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, rdd_store_gc_cb, self, NULL);
}

/**
 * rdd_store_run_gc:
 * @self: a store
 *
 * Runs the garbage collector until it has nothing left to do now, instead of waiting for the
 * main loop: dependents of deleted owners, objects whose owners are all gone, and the contents
 * of terminating namespaces.
 *
 * Since: 0.1
 */
void
rdd_store_run_gc(RddStore *self)
{
	g_return_if_fail(RDD_IS_STORE(self));
	/* each pass can queue more work (dependents of dependents); the bound stops a cycle */
	for (guint i = 0; i < 64; i++) {
		guint64 rv = self->rv;
		rdd_store_gc_pass(self);
		if (g_hash_table_size(self->gc_owners) == 0 && g_hash_table_size(self->gc_orphans) == 0 &&
		    (g_hash_table_size(self->gc_namespaces) == 0 || rv == self->rv))
			break;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* built-in kinds: core/v1 Namespace, ConfigMap, Secret, Event */

static gboolean
rdd_store_builtin_namespace_defaults(RddAdmission *admission, gpointer user_data, GError **error)
{
	JsonObject *root = json_node_get_object(admission->object);
	JsonObject *spec = rdd_json_object_ensure_object(root, "spec");

	if (admission->operation == RDD_OPERATION_CREATE) {
		JsonObject *status = rdd_json_object_ensure_object(root, "status");
		if (!json_object_has_member(spec, "finalizers")) {
			JsonArray *fins = json_array_new();
			json_array_add_string_element(fins, RDD_STORE_NAMESPACE_FINALIZER);
			json_object_set_array_member(spec, "finalizers", fins);
		}
		json_object_set_string_member(status, "phase", "Active");
		return TRUE;
	}
	/* spec.finalizers belongs to the store: an update keeps what is stored */
	if (admission->old_object != NULL) {
		g_autoptr(JsonNode) old_spec = rdd_object_dup_member(admission->old_object, "spec");
		if (old_spec != NULL)
			json_object_set_member(root, "spec", g_steal_pointer(&old_spec));
		else
			json_object_remove_member(root, "spec");
	}
	return TRUE;
}

static gboolean
rdd_store_builtin_namespace_protect(RddAdmission *admission, gpointer user_data, GError **error)
{
	const gchar *protected[] = {"default", "kube-system", "kube-public"};
	for (guint i = 0; i < G_N_ELEMENTS(protected); i++) {
		if (g_strcmp0(admission->name, protected[i]) == 0) {
			g_set_error(error, RDD_ERROR, RDD_ERROR_FORBIDDEN,
				    "namespaces \"%s\" is forbidden: this namespace may not be deleted",
				    admission->name);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
rdd_store_builtin_secret_string_data(RddAdmission *admission, gpointer user_data, GError **error)
{
	JsonObject *root = json_node_get_object(admission->object);
	JsonObject *string_data = rdd_json_lookup_object(admission->object, "stringData");
	JsonObject *data;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *value;

	if (string_data == NULL) {
		json_object_remove_member(root, "stringData");
		return TRUE;
	}
	data = rdd_json_object_ensure_object(root, "data");
	json_object_iter_init(&iter, string_data);
	while (json_object_iter_next(&iter, &key, &value)) {
		g_autofree gchar *encoded = NULL;
		const gchar *text = json_node_get_value_type(value) == G_TYPE_STRING ?
					    json_node_get_string(value) :
					    NULL;
		if (text == NULL) {
			g_autofree gchar *field = g_strdup_printf("stringData[%s]", key);
			g_autoptr(GPtrArray) causes =
				g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
			rdd_store_add_cause(causes, "FieldValueTypeInvalid", field, "Invalid value: must be a string");
			rdd_error_set_invalid(error, "Secret", admission->name, causes);
			return FALSE;
		}
		encoded = g_base64_encode((const guchar *)text, strlen(text));
		json_object_set_string_member(data, key, encoded);
	}
	json_object_remove_member(root, "stringData");
	return TRUE;
}

static gboolean
rdd_store_builtin_is_config_key(const gchar *key)
{
	if (key[0] == '\0' || strlen(key) > 253 || g_strcmp0(key, ".") == 0 || g_strcmp0(key, "..") == 0)
		return FALSE;
	for (const gchar *p = key; *p != '\0'; p++) {
		if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
rdd_store_builtin_data_checks(RddAdmission *admission, gpointer user_data, GError **error)
{
	const gchar *members[] = {"data", "binaryData"};
	g_autoptr(GPtrArray) causes = g_ptr_array_new_with_free_func((GDestroyNotify)rdd_cause_free);
	gsize total = 0;

	for (guint m = 0; m < G_N_ELEMENTS(members); m++) {
		JsonObject *map = rdd_json_lookup_object(admission->object, members[m]);
		JsonObjectIter iter;
		const gchar *key;
		JsonNode *value;
		if (map == NULL)
			continue;
		json_object_iter_init(&iter, map);
		while (json_object_iter_next(&iter, &key, &value)) {
			if (json_node_get_value_type(value) == G_TYPE_STRING)
				total += strlen(json_node_get_string(value));
			if (!rdd_store_builtin_is_config_key(key)) {
				g_autofree gchar *field = g_strdup_printf("%s[%s]", members[m], key);
				g_autofree gchar *quoted = rdd_store_quote(key);
				rdd_store_add_cause(causes, "FieldValueInvalid", field,
						    "Invalid value: %s: a valid config key must consist of "
						    "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
						    "or 'KEY_NAME',  or 'key-name', regex used for validation is "
						    "'[-._a-zA-Z0-9]+')",
						    quoted);
			}
		}
	}
	if (total > 1024 * 1024)
		rdd_store_add_cause(causes, "FieldValueTooLong", "data", "Too long: must have at most 1048576 bytes");
	if (admission->old_object != NULL && admission->operation == RDD_OPERATION_UPDATE) {
		g_autoptr(JsonNode) old_immutable = rdd_object_dup_member(admission->old_object, "immutable");
		if (old_immutable != NULL && json_node_get_value_type(old_immutable) == G_TYPE_BOOLEAN &&
		    json_node_get_boolean(old_immutable)) {
			const gchar *fields[] = {"data", "binaryData", "immutable"};
			JsonObject *root = json_node_get_object(admission->object);
			for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
				g_autoptr(JsonNode) old_value =
					rdd_object_dup_member(admission->old_object, fields[i]);
				JsonNode *new_value = json_object_get_member(root, fields[i]);
				if (!rdd_json_equal(old_value, new_value))
					rdd_store_add_cause(causes, "FieldValueForbidden", fields[i],
							    "Forbidden: field is immutable when `immutable` is set");
			}
		}
	}
	if (causes->len > 0) {
		rdd_error_set_invalid(error, rdd_kind_get_qualified_name(admission->kind),
				      admission->name, causes);
		return FALSE;
	}
	return TRUE;
}

/**
 * rdd_store_register_builtin_kinds:
 * @self: a store
 * @error: return location for an error
 *
 * Registers core/v1 Namespace, ConfigMap, Secret and Event with their built-in behaviour:
 * namespaces carry the `kubernetes` finalizer and a phase, `default`, `kube-system` and
 * `kube-public` cannot be deleted, Secret `stringData` is folded into `data`, and ConfigMap and
 * Secret keys, sizes and `immutable` are enforced.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
rdd_store_register_builtin_kinds(RddStore *self, GError **error)
{
	const gchar *files[] = {"namespace.yaml", "configmap.yaml", "secret.yaml", "event.yaml"};

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree gchar *path =
			g_strdup_printf("/io/rancherdesktop/rdd/schemas/core/core/%s", files[i]);
		g_autoptr(GBytes) bytes = g_resources_lookup_data(path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
		g_autoptr(GPtrArray) kinds = NULL;
		if (bytes == NULL) {
			rdd_error_convert(error);
			return FALSE;
		}
		kinds = rdd_kind_new_from_yaml(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), error);
		if (kinds == NULL) {
			g_prefix_error(error, "built-in schema %s: ", files[i]);
			return FALSE;
		}
		for (guint j = 0; j < kinds->len; j++) {
			RddKind *kind = g_ptr_array_index(kinds, j);
			rdd_kind_set_owner(kind, "builtin");
			if (!rdd_store_register_kind(self, kind, error))
				return FALSE;
		}
	}
	{
		RddKind *ns = rdd_store_find_kind(self, "v1", "Namespace");
		RddKind *cm = rdd_store_find_kind(self, "v1", "ConfigMap");
		RddKind *secret = rdd_store_find_kind(self, "v1", "Secret");
		rdd_store_add_admission(self, ns, RDD_ADMISSION_MUTATING,
					RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "namespace-lifecycle",
					rdd_store_builtin_namespace_defaults, NULL, NULL);
		rdd_store_add_admission(self, ns, RDD_ADMISSION_VALIDATING, RDD_OPERATION_DELETE, "namespace-lifecycle",
					rdd_store_builtin_namespace_protect, NULL, NULL);
		rdd_store_add_admission(self, secret, RDD_ADMISSION_MUTATING,
					RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "secret-string-data",
					rdd_store_builtin_secret_string_data, NULL, NULL);
		rdd_store_add_admission(self, cm, RDD_ADMISSION_VALIDATING, RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE,
					"configmap-data", rdd_store_builtin_data_checks, NULL, NULL);
		rdd_store_add_admission(self, secret, RDD_ADMISSION_VALIDATING,
					RDD_OPERATION_CREATE | RDD_OPERATION_UPDATE, "secret-data",
					rdd_store_builtin_data_checks, NULL, NULL);
	}
	return TRUE;
}

/**
 * rdd_store_ensure_namespace:
 * @self: a store with the built-in kinds
 * @name: a namespace name
 * @labels: (nullable) (array zero-terminated=1): flat `key, value, …` pairs for a new namespace
 * @error: return location for an error
 *
 * Creates the namespace unless it exists.
 *
 * Returns: %TRUE when the namespace exists afterwards
 *
 * Since: 0.1
 */
gboolean
rdd_store_ensure_namespace(RddStore *self, const gchar *name, const gchar *const *labels, GError **error)
{
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(RddObject) obj = NULL;
	JsonObject *root, *meta;

	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	if (self->namespace_kind == NULL) {
		g_set_error_literal(error, RDD_ERROR, RDD_ERROR_NOT_FOUND, "the Namespace kind is not registered");
		return FALSE;
	}
	obj = rdd_store_lookup(self, self->namespace_kind, NULL, name);
	if (obj != NULL)
		return TRUE;
	root = json_object_new();
	node = json_node_init_object(json_node_alloc(), root);
	json_object_set_string_member(root, "apiVersion", "v1");
	json_object_set_string_member(root, "kind", "Namespace");
	meta = rdd_json_object_ensure_object(root, "metadata");
	json_object_set_string_member(meta, "name", name);
	if (labels != NULL && labels[0] != NULL) {
		JsonObject *map = rdd_json_object_ensure_object(meta, "labels");
		for (guint i = 0; labels[i] != NULL && labels[i + 1] != NULL; i += 2)
			json_object_set_string_member(map, labels[i], labels[i + 1]);
	}
	json_object_unref(root);
	obj = rdd_store_create(self, node, NULL, error);
	return obj != NULL;
}

/**
 * rdd_store_set_controller_running:
 * @self: a store
 * @name: a controller name
 * @running: whether it now runs against this store
 *
 * Called by the controller runtime, so that a controller can tell whether another one runs
 * (the App's Settled condition only waits for the engine when an `engine` controller runs).
 *
 * Since: 0.1
 */
void
rdd_store_set_controller_running(RddStore *self, const gchar *name, gboolean running)
{
	g_return_if_fail(RDD_IS_STORE(self));
	g_return_if_fail(name != NULL);
	if (running)
		g_hash_table_add(self->controllers, g_strdup(name));
	else
		g_hash_table_remove(self->controllers, name);
}

/**
 * rdd_store_has_controller:
 * @self: a store
 * @name: a controller name
 *
 * Returns: %TRUE when a controller of that name runs against this store
 *
 * Since: 0.1
 */
gboolean
rdd_store_has_controller(RddStore *self, const gchar *name)
{
	g_return_val_if_fail(RDD_IS_STORE(self), FALSE);
	return g_hash_table_contains(self->controllers, name);
}
