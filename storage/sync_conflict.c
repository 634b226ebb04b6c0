/* storage/sync_conflict.c: records in conflict and their review
 * (SECURITY.md §2.11): versions off the line of the current one, and the
 * merging version a trainer or an admin makes to close them. */
#include "storage/sync_store.h"
#include "storage/sync_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage/codec.h"
#include "storage/clock.h"
#include "core/banned.h"

/* ---- conflicts ---- */

struct node {
	struct sync_ref self, parent;
	int kind;
	bool covered;
	size_t n_merges;
	struct sync_ref merges[SYNC_MERGES_MAX];
};

static bool ref_eq(const struct sync_ref *a, const struct sync_ref *b)
{
	return a->lamport == b->lamport && memcmp(a->device, b->device, 16) == 0;
}

static bool ref_gt(const struct sync_ref *a, const struct sync_ref *b)
{
	return a->lamport > b->lamport ||
	       (a->lamport == b->lamport && memcmp(a->device, b->device, 16) > 0);
}

static struct node *node_find(struct node *nodes, size_t n, const struct sync_ref *r)
{
	for (size_t i = 0; i < n; i++)
		if (ref_eq(&nodes[i].self, r))
			return &nodes[i];
	return NULL;
}

/* Cover R and its ancestors (bounded: each step marks a new node). */
static void cover_line(struct node *nodes, size_t n, const struct sync_ref *r)
{
	struct node *x = node_find(nodes, n, r);
	while (x && !x->covered) {
		x->covered = true;
		x = x->parent.lamport ? node_find(nodes, n, &x->parent) : NULL;
	}
}

struct node_load {
	struct store *s;
	const uint8_t *uuid;
};

static int node_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct node_load *l = ctx;
	struct node *x = item;
	struct sync_version v;

	x->self.lamport = (uint64_t)dbq_int64(st, 0);
	db_col16(st, 1, x->self.device);
	x->parent.lamport = (uint64_t)dbq_int64(st, 2);
	db_col16(st, 3, x->parent.device);
	x->kind = dbq_int(st, 4);
	memcpy(v.uuid, l->uuid, 16);
	v.lamport = x->self.lamport;
	memcpy(v.device, x->self.device, 16);
	if (sync_load_merges(l->s, &v, err) < 0)
		return -1;
	x->n_merges = v.n_merges;
	memcpy(x->merges, v.merges, sizeof v.merges);
	return 0;
}

/* Load every version of UUID with its merges. */
static int load_nodes(struct store *s, const uint8_t uuid[16], struct node **out, size_t *n,
		      struct err *err)
{
	struct node_load l = { s, uuid };
	return db_collect(s->db, "SELECT lamport, device, prev_lamport, prev_device, kind "
			  "FROM versions WHERE uuid = ?", DB_ARGS(DB_UUID(uuid)), sizeof **out,
			  node_row, &l, (void **)out, n, "versions", err);
}

/* The open versions of UUID: not on the line of the head, not merged by a
 * version on that line, and not an ancestor of a merged one. */
static int conflict_of(struct store *s, const uint8_t uuid[16], struct sync_conflict *c,
		       struct err *err)
{
	struct node *nodes, *head = NULL, *x;
	size_t n;

	memset(c, 0, sizeof *c);
	memcpy(c->uuid, uuid, 16);
	if (load_nodes(s, uuid, &nodes, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!head || ref_gt(&nodes[i].self, &head->self))
			head = &nodes[i];
	if (!head) {
		free(nodes);
		return 0;
	}
	c->head = head->self;
	c->kind = head->kind;
	cover_line(nodes, n, &head->self);
	/* Merges named by the head's line cover their versions and ancestors. */
	for (size_t i = 0; i < n; i++) {
		x = &nodes[i];
		if (!x->covered)
			continue;
		for (size_t m = 0; m < x->n_merges; m++) {
			struct node *y = node_find(nodes, n, &x->merges[m]);
			if (y && !y->covered) {
				cover_line(nodes, n, &y->self);
				i = (size_t)-1;        /* rescan: newly covered nodes may merge more */
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!nodes[i].covered && c->n_open < SYNC_MERGES_MAX)
			c->open[c->n_open++] = nodes[i].self;
	free(nodes);
	return 0;
}

static int conflict_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_conflict *c = item;
	uint8_t uuid[16];

	db_col16(st, 0, uuid);
	if (conflict_of(ctx, uuid, c, err) < 0)
		return -1;
	return c->n_open ? 0 : 1;
}

int sync_conflicts(struct store *s, struct sync_conflict **out, size_t *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	if (need_keys(s, err) < 0)
		return -1;
	return db_collect(s->db, "SELECT DISTINCT uuid FROM (SELECT uuid FROM versions "
			  "GROUP BY uuid, prev_lamport, prev_device HAVING count(*) > 1) ORDER BY uuid",
			  DB_NOARGS, sizeof **out, conflict_row, s, (void **)out, n, "conflicts", err);
}

/* The payload of KEEP with a new author and time, canonical again. */
static char *restamp(const char *json, size_t len, const uint8_t author[16], struct err *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	char u[UUID_STRLEN], *out;

	if (!root || !json_is_object(root)) {
		json_decref(root);
		err_set(err, ERR_FORMAT, NULL, "stored payload is not an object");
		return NULL;
	}
	json_object_set_new(root, "a", json_string(uuid_format(author, u)));
	json_object_set_new(root, "t", json_integer((json_int_t)clock_now()));
	out = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(root);
	if (!out)
		err_set(err, ERR_NOMEM, NULL, "out of memory");
	return out;
}

int sync_conflict_resolve(struct store *s, const uint8_t uuid[16], const struct sync_ref *keep,
			  struct err *err)
{
	struct sync_conflict c;
	struct sync_version kv;
	struct draft d;
	struct dbq *st;
	char *plain, *json = NULL, code[REC_CODE_MAX];
	size_t len;
	int64_t lam;
	int rc, kind;
	bool known;

	if (need_keys(s, err) < 0)
		return -1;
	if (s->user.role < ROLE_TRAINER)
		return err_set(err, ERR_DENIED, NULL, "reviewing conflicts needs a trainer or an admin");
	if (conflict_of(s, uuid, &c, err) < 0)
		return -1;
	if (!c.n_open)
		return err_set(err, ERR_NOTFOUND, "conflict", "this record has no open conflict");
	known = ref_eq(keep, &c.head);
	for (size_t i = 0; i < c.n_open && !known; i++)
		known = ref_eq(keep, &c.open[i]);
	if (!known)
		return err_set(err, ERR_NOTFOUND, "conflict", "that version is not part of the conflict");

	rc = db_row(s->db, "SELECT " VCOLS " FROM versions v WHERE uuid = ? AND lamport = ? "
		    "AND device = ?", &st, "version",
		    DB_ARGS(DB_UUID(uuid), DB_INT(keep->lamport), DB_UUID(keep->device)), err);
	if (rc <= 0)
		return rc < 0 ? -1 : db_fail(err, s->db, SQLITE_DONE, "version");
	plain = sync_row_open(s, st, &kv, &len, err);
	db_done(st);
	if (!plain || !(json = restamp(plain, len, s->user.uuid, err))) {
		codec_free(plain);
		return -1;
	}
	codec_free(plain);

	memset(&d, 0, sizeof d);
	memcpy(d.uuid, uuid, 16);
	randombytes_buf(d.vid, sizeof d.vid);
	d.prev_lamport = c.head.lamport;
	memcpy(d.prev_device, c.head.device, 16);
	if (store_batch_begin(s, err) < 0)
		goto out_free;
	if (record_put(s, &d, kv.kind, uuid_is_zero(kv.owner) ? NULL : kv.owner, kv.month,
		       kv.deleted, json, strlen(json), err) < 0)
		goto fail;
	if (db_int(s->db, "SELECT lamport FROM versions WHERE vid = ?", &lam, "resolution",
		   DB_ARGS(DB_UUID(d.vid)), err) < 0 ||
	    record_head_kind(s, uuid, &kind, code, err) < 0)
		goto fail;
	for (size_t i = 0; i < c.n_open; i++)
		if (sync_merge_add(s, uuid, (uint64_t)lam, s->device_id, code, &c.open[i], err) < 0)
			goto fail;
	if (audit_append(s, AUDIT_SAVE, uuid, "conflict reviewed", err) < 0 ||
	    store_batch_commit(s, err) < 0)
		goto fail;
	codec_free(json);
	return 0;
fail:
	store_batch_abort(s);
out_free:
	codec_free(json);
	return -1;
}
