/* storage/record.c: record versions (ARCHITECTURE.md "Data model").
 * Every save appends a version sealed with XChaCha20-Poly1305 under the
 * record key; the associated data is every clear column of the row, so a
 * ciphertext moved to another row, or a clear column edited, fails to open.
 * Lamport stamps are 1 + the highest stored, computed inside the write
 * transaction (SECURITY.md §2.11); `heads` keeps the current version. */
#include "storage/internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "storage/arena.h"
#include "storage/codec.h"
#include "storage/clock.h"
#include "core/banned.h"

#define REC_DOMAIN "posyandu/v1/rec"


#define AD_LEN (sizeof REC_DOMAIN - 1 + 16 + 1 + 16 + 8 + 16 + 8 + 16 + 4 + 1 + 4 + 16)

static uint8_t *put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
	return p + n;
}

static uint8_t *put_bytes(uint8_t *p, const uint8_t *b, size_t n)
{
	memcpy(p, b, n);
	return p + n;
}

static void make_ad(uint8_t ad[AD_LEN], const struct rec_meta *m)
{
	uint8_t *p = put_bytes(ad, (const uint8_t *)REC_DOMAIN, sizeof REC_DOMAIN - 1);
	p = put_bytes(p, m->uuid, 16);
	*p++ = (uint8_t)m->kind;
	p = put_bytes(p, m->owner, 16);
	p = put_be(p, m->lamport, 8);
	p = put_bytes(p, m->device, 16);
	p = put_be(p, m->prev_lamport, 8);
	p = put_bytes(p, m->prev_device, 16);
	p = put_be(p, (uint32_t)m->month, 4);
	*p++ = (uint8_t)m->deleted;
	p = put_be(p, m->key_epoch, 4);
	put_bytes(p, m->vid, 16);
}

/* A 16-byte blob (or NULL, when NULLABLE) in column COL. */
static bool col_uuid_ok(struct dbq *st, int col, bool nullable)
{
	if (dbq_type(st, col) == SQLITE_NULL)
		return nullable;
	return dbq_type(st, col) == SQLITE_BLOB && dbq_bytes(st, col) == 16;
}

static bool col_int_ok(struct dbq *st, int col, int64_t lo, int64_t hi)
{
	int64_t v = dbq_int64(st, col);
	return dbq_type(st, col) == SQLITE_INTEGER && v >= lo && v <= hi;
}

/* The clear columns must have exactly the form make_ad() encodes. Anything
 * else (kind 257, deleted 256, a month beyond 32 bits, a 15-byte owner)
 * would be read as another value that has the same associated data, so an
 * edited column would still authenticate. */
static bool clear_columns_ok(struct dbq *st)
{
	return col_uuid_ok(st, 1, false) && col_int_ok(st, 2, 1, 255) &&
	       col_uuid_ok(st, 3, true) && col_int_ok(st, 4, 1, INT64_MAX) &&
	       col_uuid_ok(st, 5, false) && col_int_ok(st, 6, 0, INT64_MAX) &&
	       col_uuid_ok(st, 7, false) &&
	       (dbq_type(st, 8) == SQLITE_NULL || col_int_ok(st, 8, 0, INT32_MAX)) &&
	       col_int_ok(st, 9, 0, 1) && col_int_ok(st, 10, 0, UINT32_MAX) &&
	       col_uuid_ok(st, 11, false);
}

char *record_open_row(struct store *s, struct dbq *st, struct rec_meta *m, size_t *len,
		      struct err *err)
{
	uint8_t ad[AD_LEN];
	const uint8_t *nonce = dbq_blob(st, 12);
	const uint8_t *ct = dbq_blob(st, 13);
	int ct_len = dbq_bytes(st, 13);
	unsigned long long plen;
	char *plain;

	m->seq = (uint64_t)dbq_int64(st, 0);
	db_col16(st, 1, m->uuid);
	m->kind = dbq_int(st, 2);
	db_col16(st, 3, m->owner);
	m->lamport = (uint64_t)dbq_int64(st, 4);
	db_col16(st, 5, m->device);
	m->prev_lamport = (uint64_t)dbq_int64(st, 6);
	db_col16(st, 7, m->prev_device);
	m->month = dbq_type(st, 8) == SQLITE_NULL ? -1 : dbq_int(st, 8);
	m->deleted = dbq_int(st, 9);
	m->key_epoch = (uint32_t)dbq_int64(st, 10);
	db_col16(st, 11, m->vid);
	if (!clear_columns_ok(st) ||
	    dbq_bytes(st, 12) != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
	    ct_len < (int)crypto_aead_xchacha20poly1305_ietf_ABYTES) {
		err_set(err, ERR_CRYPTO, NULL, "version %llu: malformed ciphertext",
			(unsigned long long)m->seq);
		return NULL;
	}
	make_ad(ad, m);
	plain = codec_alloc((size_t)ct_len);
	if (!plain) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)plain, &plen, NULL, ct,
						       (unsigned long long)ct_len, ad, sizeof ad,
						       nonce, s->keys->rec) != 0) {
		codec_free(plain);
		err_set(err, ERR_CRYPTO, NULL, "version %llu does not authenticate",
			(unsigned long long)m->seq);
		return NULL;
	}
	plain[plen] = '\0';
	*len = (size_t)plen;
	return plain;
}

/* The epoch of the session's data key: what a version sealed now carries. */
static uint32_t current_epoch(const struct store *s)
{
	return s->keys->epoch ? s->keys->epoch : 1;
}

/* A fresh 24-byte nonce for a record's XChaCha20-Poly1305 seal. SECURITY.md
 * §2.4 asks for a random nonce per save: each still is 24 bytes of the
 * kernel's CSPRNG, only fetched 64 at a time (one getrandom per 64 rows of
 * an import instead of one per row). A nonce is handed out once and wiped
 * from the pool; 192 random bits make a repeat under one key negligible
 * (the reason XChaCha was chosen). A fork would copy the pool, so a pool
 * filled in another process is thrown away. */
static void record_nonce(struct store *s, uint8_t out[24])
{
	long pid = (long)getpid();

	if (s->nonces_left == 0 || s->nonces_pid != pid) {
		randombytes_buf(s->nonces, sizeof s->nonces);
		s->nonces_left = sizeof s->nonces / 24;
		s->nonces_pid = pid;
	}
	s->nonces_left--;
	memcpy(out, s->nonces + 24 * s->nonces_left, 24);
	sodium_memzero(s->nonces + 24 * s->nonces_left, 24);
}

/* META's version sealed under the current key: it carries the current
 * epoch (whatever the caller, an import say, put there) in *M, its nonce
 * in NONCE; the ciphertext (free it), or NULL when memory is short. */
static uint8_t *seal_version(struct store *s, const struct rec_meta *meta, const char *plain,
			     size_t len, struct rec_meta *m, uint8_t nonce[24],
			     unsigned long long *ct_len)
{
	uint8_t ad[AD_LEN];
	uint8_t *ct = malloc(len + crypto_aead_xchacha20poly1305_ietf_ABYTES);

	if (!ct)
		return NULL;
	*m = *meta;
	m->key_epoch = current_epoch(s);
	make_ad(ad, m);
	record_nonce(s, nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, ct_len, (const uint8_t *)plain, len, ad,
						   sizeof ad, NULL, nonce, s->keys->rec);
	return ct;
}

/* An import's version sealed as record_insert seals it, into the
 * connection's import_stage (sync_import.c) as row ORD instead of versions:
 * the change number comes later, under the writers' lock. */
int record_stage(struct store *s, const struct rec_meta *meta, const char *code, const char *plain,
		 size_t len, int64_t ord, struct err *err)
{
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long ct_len;
	struct rec_meta mm, *m = &mm;
	uint8_t *ct = seal_version(s, meta, plain, len, m, nonce, &ct_len);
	int rc;

	if (!ct)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	rc = db_run(s->db, "INSERT INTO import_stage(ord, uuid, kind, owner, lamport, device, "
		    "prev_lamport, prev_device, month, deleted, key_epoch, vid, nonce, ct, posyandu) "
		    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "stage version",
		    DB_ARGS(DB_INT(ord), DB_UUID(m->uuid), DB_INT(m->kind),
			    uuid_is_zero(m->owner) ? DB_NULL : DB_UUID(m->owner),
			    DB_INT(m->lamport), DB_UUID(m->device), DB_INT(m->prev_lamport),
			    DB_UUID(m->prev_device), m->month >= 0 ? DB_INT(m->month) : DB_NULL,
			    DB_INT(m->deleted), DB_INT(m->key_epoch), DB_UUID(m->vid),
			    DB_BLOB(nonce, sizeof nonce), DB_BLOB(ct, ct_len), DB_TEXT(code)), err);
	free(ct);
	return rc;
}

int record_insert(struct store *s, const struct rec_meta *meta, const char *code, const char *plain,
		  size_t len, bool if_new, struct err *err)
{
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long ct_len;
	struct rec_meta mm, *m = &mm;
	uint8_t *ct = seal_version(s, meta, plain, len, m, nonce, &ct_len);
	int rc;

	if (!ct)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	rc = db_run(s->db, if_new
		    ? "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, "
		      "prev_device, month, deleted, key_epoch, vid, nonce, ct, posyandu) "
		      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"
		    : "INSERT INTO versions(uuid, kind, owner, lamport, device, prev_lamport, "
		      "prev_device, month, deleted, key_epoch, vid, nonce, ct, posyandu) "
		      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "insert version",
		    DB_ARGS(DB_UUID(m->uuid), DB_INT(m->kind),
			    uuid_is_zero(m->owner) ? DB_NULL : DB_UUID(m->owner),
			    DB_INT(m->lamport), DB_UUID(m->device), DB_INT(m->prev_lamport),
			    DB_UUID(m->prev_device), m->month >= 0 ? DB_INT(m->month) : DB_NULL,
			    DB_INT(m->deleted), DB_INT(m->key_epoch), DB_UUID(m->vid),
			    DB_BLOB(nonce, sizeof nonce), DB_BLOB(ct, ct_len), DB_TEXT(code)), err);
	free(ct);
	if (rc < 0)
		return -1;
	return db_changes(s->db) ? 1 : 0;
}

int record_rekey_row(struct store *s, struct dbq *st, const uint8_t rec[KEY_LEN], uint32_t epoch,
		     uint8_t vid[16], uint8_t before[32], uint8_t after[32], struct err *err)
{
	uint8_t ad[AD_LEN], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long ct_len;
	struct rec_meta m;
	uint8_t *ct = NULL;
	size_t len;
	char *plain = record_open_row(s, st, &m, &len, err);
	int rc = -1;

	if (!plain)
		return -1;
	memcpy(vid, m.vid, 16);
	if (version_hash(s, m.vid, before, err) != 1)
		goto out;
	if (!(ct = malloc(len + crypto_aead_xchacha20poly1305_ietf_ABYTES))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	m.key_epoch = epoch;
	make_ad(ad, &m);
	randombytes_buf(nonce, sizeof nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ct_len, (const uint8_t *)plain, len, ad,
						   sizeof ad, NULL, nonce, rec);
	if (db_run(s->db, "UPDATE versions SET key_epoch = ?, nonce = ?, ct = ? WHERE seq = ?",
		   "re-encrypt version", DB_ARGS(DB_INT(epoch), DB_BLOB(nonce, sizeof nonce),
						 DB_BLOB(ct, ct_len), DB_INT(m.seq)), err) < 0 ||
	    version_hash(s, m.vid, after, err) != 1)
		goto out;
	rc = 0;
out:
	free(ct);
	codec_free(plain);
	return rc;
}

int record_head_kind(struct store *s, const uint8_t uuid[16], int *kind, char code[REC_CODE_MAX],
		     struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT kind, posyandu FROM heads WHERE uuid = ? ORDER BY posyandu",
			&st, "head", DB_ARGS(DB_UUID(uuid)), err);

	code[0] = '\0';
	if (rc == 1) {
		const unsigned char *c = dbq_text(st, 1);
		*kind = dbq_int(st, 0);
		snprintf(code, REC_CODE_MAX, "%s", c ? (const char *)c : "");
		db_done(st);
	}
	return rc;
}

int need_keys(const struct store *s, struct err *err)
{
	return s->keys ? 0 : err_set(err, ERR_DENIED, NULL, "store is locked");
}

const char *record_kind_name(int kind)
{
	static const char *const names[] = {
		[REC_PERSON] = "person", [REC_VISIT] = "visit", [REC_SESSION] = "session",
		[REC_QUIZ_BANK] = "quiz-bank", [REC_QUIZ_ATTEMPT] = "quiz-attempt",
		[REC_TRAINING] = "training",
	};
	if (kind > 0 && kind < (int)(sizeof names / sizeof names[0]) && names[kind])
		return names[kind];
	return "record";
}

void store_draft_new(struct draft *d)
{
	memset(d, 0, sizeof *d);
	randombytes_buf(d->uuid, sizeof d->uuid);
	randombytes_buf(d->vid, sizeof d->vid);
}

int store_draft_edit(struct store *s, struct draft *d, const uint8_t uuid[16], struct err *err)
{
	struct dbq *st;
	int rc;

	memset(d, 0, sizeof *d);
	memcpy(d->uuid, uuid, 16);
	randombytes_buf(d->vid, sizeof d->vid);
	rc = db_row(s->db, "SELECT lamport, device FROM heads WHERE uuid = ?", &st, "draft",
		    DB_ARGS(DB_UUID(uuid)), err);
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, NULL, "no such record");
	if (rc < 0)
		return -1;
	d->prev_lamport = (uint64_t)dbq_int64(st, 0);
	db_col16(st, 1, d->prev_device);
	db_done(st);
	return 0;
}

/* The end of a successful put: COMMIT alone, RELEASE in a batch. */
static int put_done(struct store *s, struct err *err)
{
	if (s->batch)
		return db_exec(s->db, "RELEASE put", err);
	return db_commit(s->db, err);
}

/* A retried save: the version id is already stored, nothing to do (1). The
 * same id for another record or another action (a delete made with the
 * draft of a save) is "same key, different content" (SECURITY.md §0.5):
 * refused, so it is never reported as done. 0 when the id is new. */
static int put_retried(struct store *s, const struct draft *d, int kind, bool deleted,
		       struct err *err)
{
	struct dbq *st;
	bool same;
	int rc = db_row(s->db, "SELECT uuid, kind, deleted FROM versions WHERE vid = ?", &st,
			"lookup", DB_ARGS(DB_UUID(d->vid)), err);

	if (rc != 1)
		return rc;
	same = dbq_bytes(st, 0) == 16 &&
	       memcmp(dbq_blob(st, 0), d->uuid, 16) == 0 &&
	       dbq_int64(st, 1) == kind &&
	       dbq_int64(st, 2) == (deleted ? 1 : 0);
	db_done(st);
	return same ? 1 : err_set(err, ERR_EXISTS, NULL, "version id already used by another save");
}

/* Append one version. PLAIN is the JSON payload. */
int record_put(struct store *s, const struct draft *d, int kind, const uint8_t *owner,
	       int32_t month, bool deleted, const char *plain, size_t plain_len, struct err *err)
{
	struct rec_meta m = { 0 };
	char code[REC_CODE_MAX];
	int64_t lamport;
	int rc, old_kind;

	if (need_keys(s, err) < 0)
		return -1;
	/* Alone: its own transaction. In a batch: a savepoint, so a put that
	 * fails leaves nothing behind and the batch may go on or be aborted. */
	if (s->batch ? db_exec(s->db, "SAVEPOINT put", err) < 0 : db_begin(s->db, err) < 0)
		return -1;
	if ((rc = put_retried(s, d, kind, deleted, err)) != 0) {
		if (rc > 0)
			return put_done(s, err);
		goto fail;
	}
	/* An edit must keep the record's kind, and keeps its posyandu code (a
	 * record made here has none: storage/migrate.c step 16). */
	if ((rc = record_head_kind(s, d->uuid, &old_kind, code, err)) < 0)
		goto fail;
	if (rc == 1 && old_kind != kind) {
		err_set(err, ERR_FORMAT, NULL, "record changes kind");
		goto fail;
	}
	if (db_int(s->db, "SELECT COALESCE(MAX(lamport), 0) + 1 FROM versions", &lamport,
		   "lamport", DB_NOARGS, err) < 0)
		goto fail;

	memcpy(m.uuid, d->uuid, 16);
	m.kind = kind;
	if (owner)
		memcpy(m.owner, owner, 16);
	m.lamport = (uint64_t)lamport;
	memcpy(m.device, s->device_id, 16);
	m.prev_lamport = d->prev_lamport;
	memcpy(m.prev_device, d->prev_device, 16);
	m.month = month;
	m.deleted = deleted;
	m.key_epoch = current_epoch(s);
	memcpy(m.vid, d->vid, 16);
	if (record_insert(s, &m, code, plain, plain_len, false, err) < 0 ||
	    db_run(s->db, "INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq, deleted) "
		   "VALUES(?, ?, ?, ?, ?, last_insert_rowid(), ?) " HEADS_KEEP_HIGHEST, "update head",
		   DB_ARGS(DB_UUID(m.uuid), DB_TEXT(code), DB_INT(kind), DB_INT(m.lamport),
			   DB_UUID(m.device), DB_INT(deleted)), err) < 0 ||
	    audit_append_v(s, deleted ? AUDIT_DELETE : AUDIT_SAVE, m.uuid, record_kind_name(kind),
			   m.vid, err) < 0)
		goto fail;
	return put_done(s, err);
fail:
	if (s->batch)
		db_exec_quiet(s->db, "ROLLBACK TO put; RELEASE put");
	else
		db_rollback(s->db);
	return -1;
}

int store_batch_begin(struct store *s, struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	if (s->batch)
		return err_set(err, ERR_DB, NULL, "a batch is already open");
	if (db_begin(s->db, err) < 0)
		return -1;
	s->batch = true;
	return 0;
}

int store_batch_commit(struct store *s, struct err *err)
{
	if (!s->batch)
		return err_set(err, ERR_DB, NULL, "no batch is open");
	s->batch = false;
	return db_commit(s->db, err);
}

void store_batch_abort(struct store *s)
{
	if (s->batch) {
		s->batch = false;
		db_rollback(s->db);
	}
}

/* Never seal a payload that cannot be read back: a value it cannot carry (a
 * date outside 1900-2199, a sex other than L/P, ...) would make every later
 * load of the store fail. ERR_FORMAT names the field. */
static int readable(const char *json, int kind, struct err *err)
{
	union { struct person p; struct visit v; struct session x; } back;
	uint8_t author[16];
	int64_t t;
	int rc = codec_decode(kind, false, json, strlen(json), &back, author, &t, err);
	sodium_memzero(&back, sizeof back);
	return rc;
}

/* Put the payload JSON (from a codec_*_encode, NULL when out of memory)
 * once it reads back; frees it. */
static int put_payload(struct store *s, const struct draft *d, int kind, const uint8_t *owner,
		       int32_t month, bool deleted, char *json, struct err *err)
{
	int rc;

	if (!json)
		return err_set(err, ERR_NOMEM, NULL, "encode");
	rc = deleted ? 0 : readable(json, kind, err);
	if (rc == 0)
		rc = record_put(s, d, kind, owner, month, deleted, json, strlen(json), err);
	codec_free(json);
	return rc;
}

/* ERR_DENIED unless unlocked; ERR_REQUIRED for a record without its date. */
static int need_date(const struct store *s, int32_t date, const char *what, struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	return date == DATE_NONE ? err_set(err, ERR_REQUIRED, "date", "%s has no date", what) : 0;
}

int store_person_put(struct store *s, const struct draft *d, const struct person *p,
		     struct err *err)
{
	if (need_keys(s, err) < 0)
		return -1;
	return put_payload(s, d, REC_PERSON, uuid_is_zero(p->mother) ? NULL : p->mother, -1, false,
			   codec_person_encode(p, s->user.uuid, clock_now()), err);
}

int store_visit_put(struct store *s, const struct draft *d, const struct visit *v,
		    struct err *err)
{
	return need_date(s, v->date, "visit", err) < 0 ? -1
	       : put_payload(s, d, REC_VISIT, v->person, date_month_index(v->date), false,
			     codec_visit_encode(v, s->user.uuid, clock_now()), err);
}

int store_session_put(struct store *s, const struct draft *d, const struct session *x,
		      struct err *err)
{
	return need_date(s, x->date, "session", err) < 0 ? -1
	       : put_payload(s, d, REC_SESSION, NULL, date_month_index(x->date), false,
			     codec_session_encode(x, s->user.uuid, clock_now()), err);
}

int store_delete(struct store *s, const struct draft *d, struct err *err)
{
	struct dbq *st;
	int kind, rc;
	uint8_t owner[16];
	bool has_owner;

	if (need_keys(s, err) < 0)
		return -1;
	rc = db_row(s->db, "SELECT h.kind, v.owner FROM heads h JOIN versions v ON v.seq = h.seq "
		    "WHERE h.uuid = ?", &st, "delete", DB_ARGS(DB_UUID(d->uuid)), err);
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, NULL, "no such record");
	if (rc < 0)
		return -1;
	kind = dbq_int(st, 0);
	has_owner = dbq_bytes(st, 1) == 16;
	db_col16(st, 1, owner);
	db_done(st);
	return put_payload(s, d, kind, has_owner ? owner : NULL, -1, true,
			   codec_tombstone_encode(s->user.uuid, clock_now()), err);
}

/* heads is an index, not authenticated itself: the version it points at
 * (which is) must be this record's, of this kind, and live. Columns 14-16
 * of ST are the head's uuid, lamport and device. */
static int head_matches(struct dbq *st, const struct rec_meta *m, int kind, struct err *err)
{
	uint8_t head_uuid[16], head_device[16];

	db_col16(st, 14, head_uuid);
	db_col16(st, 16, head_device);
	if (m->kind != kind || m->deleted || memcmp(m->uuid, head_uuid, 16) != 0 ||
	    m->lamport != (uint64_t)dbq_int64(st, 15) ||
	    memcmp(m->device, head_device, 16) != 0)
		return err_set(err, ERR_CRYPTO, NULL, "version %llu does not match its record's head",
			       (unsigned long long)m->seq);
	return 0;
}

int record_each_row(struct store *s, const char *sql, const struct db_arg *a, size_t n,
			int head_kind, record_fn fn, void *ctx, const char *what, struct err *err)
{
	struct dbq *st;
	int rc;

	if (need_keys(s, err) < 0 || db_query(s->db, sql, &st, a, n, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		struct rec_meta m;
		size_t len;
		char *plain = record_open_row(s, st, &m, &len, err);
		if (!plain)
			goto fail;
		rc = head_kind > 0 ? head_matches(st, &m, head_kind, err) : 0;
		if (rc == 0)
			rc = fn(ctx, &m, plain, len, err);
		codec_free(plain);
		if (rc < 0)
			goto fail;
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, what);
fail:
	db_done(st);
	return -1;
}

int record_each_current(struct store *s, int kind, record_fn fn, void *ctx, struct err *err)
{
	return record_each_row(s, "SELECT " VCOLS ", h.uuid, h.lamport, h.device FROM heads h "
			    "JOIN versions v ON v.seq = h.seq "
			    "WHERE h.kind = ? AND h.deleted = 0 ORDER BY v.seq",
			    DB_ARGS(DB_INT(kind)), kind, fn, ctx, "load", err);
}

int record_each_since(struct store *s, uint64_t after_seq, record_fn fn, void *ctx,
		      struct err *err)
{
	return record_each_row(s, "SELECT " VCOLS " FROM versions v WHERE v.seq > ? ORDER BY v.seq",
			    DB_ARGS(DB_INT(after_seq)), 0, fn, ctx, "versions", err);
}

/* Collect every current, live record of KIND into a growing array of its
 * struct. Each struct starts with its uuid (checked below), which the
 * collector fills from the authenticated clear column. */
_Static_assert(offsetof(struct person, uuid) == 0 && offsetof(struct visit, uuid) == 0 &&
	       offsetof(struct session, uuid) == 0, "records start with their uuid");

struct collect {
	size_t item_size, cap, count;
	char *items;
};

static int collect_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		       struct err *err)
{
	struct collect *c = ctx;
	if (c->count == c->cap &&
	    arena_grow((void **)&c->items, &c->cap, c->cap ? c->cap * 2 : 256, c->item_size) < 0)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	uint8_t author[16];
	int64_t t;
	char *item = c->items + c->count * c->item_size;
	if (codec_decode(m->kind, false, json, len, item, author, &t, err) < 0)
		return -1;
	memcpy(item, m->uuid, UUID_LEN);
	c->count++;
	return 0;
}

static int load_current(struct store *s, int kind, size_t item_size, void **out, size_t *n,
			struct err *err)
{
	struct collect c = { item_size, 0, 0, NULL };

	*out = NULL;
	*n = 0;
	if (record_each_current(s, kind, collect_one, &c, err) < 0) {
		arena_free(c.items);
		return -1;
	}
	*out = c.items;
	*n = c.count;
	return 0;
}

int store_sessions(struct store *s, struct session **out, size_t *n, struct err *err)
{
	return load_current(s, REC_SESSION, sizeof **out, (void **)out, n, err);
}

int store_people(struct store *s, struct person **out, size_t *n, struct err *err)
{
	return load_current(s, REC_PERSON, sizeof **out, (void **)out, n, err);
}

int store_visits(struct store *s, struct visit **out, size_t *n, struct err *err)
{
	return load_current(s, REC_VISIT, sizeof **out, (void **)out, n, err);
}

int store_visit_refs(struct store *s, store_visit_ref_fn fn, void *ctx, struct err *err)
{
	struct dbq *st;
	int rc;

	if (need_keys(s, err) < 0)
		return -1;
	/* what the unlock's heads check gathered, once, when no version came
	 * since (heads move only with a new version) */
	if (s->vref) {
		int64_t top;
		size_t n = s->nvref;
		struct vref *r = s->vref;

		s->vref = NULL;
		s->nvref = s->capvref = 0;
		if (db_int(s->db, "SELECT COALESCE(max(seq), 0) FROM versions", &top, "versions",
			   DB_NOARGS, err) < 0) {
			free(r);
			return -1;
		}
		if (top == s->vref_top) {
			for (size_t i = 0; i < n; i++)
				if (fn(ctx, r[i].uuid, r[i].owner, r[i].month, err) < 0) {
					free(r);
					return -1;
				}
			free(r);
			return 0;
		}
		free(r);
	}
	/* the versions' clear columns from versions_cur (storage/migrate.c
	 * step 16), not from the rows that hold the sealed bytes; from the
	 * rows where the index is not the one step 16 made */
	if (
	    db_query(s->db, store_versions_cur(s)
			    ? "SELECT h.uuid, v.owner, v.month FROM heads h "
			      "JOIN versions v INDEXED BY versions_cur ON v.uuid = h.uuid AND "
			      "v.lamport = h.lamport AND v.device = h.device AND v.deleted = 0 AND "
			      "v.seq = h.seq WHERE h.kind = ? AND h.deleted = 0"
			    : "SELECT h.uuid, v.owner, v.month FROM heads h "
			      "JOIN versions v ON v.seq = h.seq WHERE h.kind = ? AND h.deleted = 0",
		     &st, DB_ARGS(DB_INT(REC_VISIT)), err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		uint8_t uuid[16], owner[16];
		if (!col_uuid_ok(st, 0, false) || !col_uuid_ok(st, 1, false) ||
		    !col_int_ok(st, 2, 0, INT32_MAX)) {
			db_done(st);
			return err_set(err, ERR_CRYPTO, NULL, "a visit's clear columns are malformed");
		}
		db_col16(st, 0, uuid);
		db_col16(st, 1, owner);
		if (fn(ctx, uuid, owner, dbq_int(st, 2), err) < 0) {
			db_done(st);
			return -1;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "visit refs");
}

struct into {
	struct visit *out;
	size_t n;
};

static int into_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		    struct err *err)
{
	struct into *in = ctx;
	struct visit *v = &in->out[in->n];
	uint8_t author[16];
	int64_t t;

	memset(v, 0, sizeof *v);
	if (codec_decode(m->kind, false, json, len, v, author, &t, err) < 0)
		return -1;
	memcpy(v->uuid, m->uuid, UUID_LEN);
	in->n++;
	return 0;
}

int store_visits_get(struct store *s, const uint8_t (*uuids)[UUID_LEN], size_t n,
		     struct visit *out, size_t *found, struct err *err)
{
	struct into in = { out, 0 };

	*found = 0;
	for (size_t i = 0; i < n; i++)
		if (record_each_row(s, "SELECT " VCOLS ", h.uuid, h.lamport, h.device FROM heads h "
				 "JOIN versions v ON v.seq = h.seq "
				 "WHERE h.uuid = ? AND h.kind = ? AND h.deleted = 0",
				 DB_ARGS(DB_UUID(uuids[i]), DB_INT(REC_VISIT)), REC_VISIT, into_one,
				 &in, "visit", err) < 0)
			return -1;
	*found = in.n;
	return 0;
}

int store_changed_here(struct store *s, uint64_t after, store_change_fn fn, void *ctx,
		       struct err *err)
{
	struct dbq *st;
	int rc;

	if (db_query(s->db, "SELECT uuid, kind FROM versions WHERE seq > ? AND device = ? "
		     "ORDER BY seq", &st, DB_ARGS(DB_INT(after), DB_UUID(s->device_id)), err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		uint8_t uuid[16];
		db_col16(st, 0, uuid);
		if (fn(ctx, uuid, dbq_int(st, 1), err) < 0) {
			db_done(st);
			return -1;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "changes");
}

void store_free(void *records)
{
	arena_free(records);
}

struct history {
	struct store_version *items;
	size_t count, cap;
};

static int history_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		       struct err *err)
{
	struct history *h = ctx;
	struct store_version *sv;

	if (arena_grow((void **)&h->items, &h->cap, h->count + 1, sizeof *h->items) < 0)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	sv = &h->items[h->count];
	memset(sv, 0, sizeof *sv);
	sv->seq = m->seq;
	sv->lamport = m->lamport;
	memcpy(sv->device, m->device, 16);
	sv->deleted = m->deleted;
	sv->kind = (enum record_kind)m->kind;
	if (codec_decode(m->kind, m->deleted, json, len, &sv->u, sv->author, &sv->time, err) < 0)
		return -1;
	memcpy(&sv->u, m->uuid, UUID_LEN);   /* every struct of the union starts with it */
	h->count++;
	return 0;
}

int store_history(struct store *s, const uint8_t uuid[16], struct store_version **out,
		  size_t *n, struct err *err)
{
	struct history h = { NULL, 0, 0 };

	*out = NULL;
	*n = 0;
	if (record_each_row(s, "SELECT " VCOLS " FROM versions v WHERE v.uuid = ? "
			 "ORDER BY v.lamport, v.device", DB_ARGS(DB_UUID(uuid)), 0, history_one, &h,
			 "history", err) < 0) {
		arena_free(h.items);
		return -1;
	}
	*out = h.items;
	*n = h.count;
	return 0;
}

int store_counts(struct store *s, size_t *people, size_t *visits, size_t *versions,
		 struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db,
			"SELECT (SELECT count(*) FROM heads WHERE kind = 1 AND deleted = 0),"
			" (SELECT count(*) FROM heads WHERE kind = 2 AND deleted = 0),"
			" (SELECT count(*) FROM versions)", &st, "counts", DB_NOARGS, err);

	if (rc <= 0)
		return rc < 0 ? -1 : db_fail(err, s->db, SQLITE_DONE, "counts");
	if (people)
		*people = (size_t)dbq_int64(st, 0);
	if (visits)
		*visits = (size_t)dbq_int64(st, 1);
	if (versions)
		*versions = (size_t)dbq_int64(st, 2);
	db_done(st);
	return 0;
}

static int count_one(void *ctx, const struct rec_meta *m, const char *json, size_t len,
		     struct err *err)
{
	(void)m, (void)json, (void)len, (void)err;
	++*(size_t *)ctx;
	return 0;
}

int store_verify(struct store *s, size_t *versions, struct err *err)
{
	struct dbq *st;
	size_t count = 0;
	int64_t bad;
	int rc;

	if (need_keys(s, err) < 0)
		return -1;
	if (db_prepare(s->db, "PRAGMA integrity_check", &st, err) < 0)
		return -1;
	rc = dbq_step(st);
	if (rc != SQLITE_ROW || strcmp((const char *)dbq_text(st, 0), "ok") != 0) {
		err_set(err, ERR_CRYPTO, NULL, "integrity_check: %s",
			rc == SQLITE_ROW ? (const char *)dbq_text(st, 0) : "failed");
		db_done(st);
		return -1;
	}
	db_done(st);
	if (record_each_row(s, "SELECT " VCOLS " FROM versions v ORDER BY v.seq", DB_NOARGS, 0,
			 count_one, &count, "verify", err) < 0)
		return -1;

	/* heads is a cache of "the highest (lamport, device) of each uuid":
	 * recompute it from the versions and compare, both ways. */
	if (db_int(s->db,
		   "WITH best AS (SELECT v.uuid, v.seq, v.deleted FROM versions v WHERE NOT EXISTS "
		   " (SELECT 1 FROM versions w WHERE w.uuid = v.uuid AND (w.lamport > v.lamport OR "
		   "  (w.lamport = v.lamport AND w.device > v.device)))) "
		   "SELECT (SELECT count(*) FROM best b LEFT JOIN heads h ON h.uuid = b.uuid "
		   "         WHERE h.seq IS NOT b.seq OR h.deleted IS NOT b.deleted) + "
		   "       (SELECT count(*) FROM heads h LEFT JOIN best b ON b.uuid = h.uuid "
		   "         WHERE b.uuid IS NULL)", &bad, "verify heads", DB_NOARGS, err) < 0)
		return -1;
	if (bad)
		return err_set(err, ERR_CRYPTO, NULL, "%lld record(s) whose current version does "
			       "not match their stored versions", (long long)bad);
	if (versions)
		*versions = count;
	return 0;
}
