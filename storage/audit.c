/* storage/audit.c: the audit log. */
#include "storage/audit.h"
#include "storage/internal.h"
#include "storage/audit_internal.h"
#include "storage/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define AUDIT_DOMAIN "posyandu/v1/audit"
#define AUDIT_DOMAIN2 "posyandu/v2/audit"
#define AUDIT_SIG "posyandu/v2/audit-sig"
#define AUDIT_DOMAIN3 "posyandu/v3/audit"
#define AUDIT_SIG3 "posyandu/v3/audit-sig"

static const char *const action_names[] = {
	[AUDIT_INIT] = "init", [AUDIT_LOGIN] = "login", [AUDIT_LOGIN_FAILED] = "login-failed",
	[AUDIT_SAVE] = "save", [AUDIT_DELETE] = "delete", [AUDIT_EXPORT] = "export",
	[AUDIT_IMPORT] = "import", [AUDIT_USER_ADD] = "user-add",
	[AUDIT_USER_PASSWD] = "user-passwd", [AUDIT_USER_DISABLE] = "user-disable",
	[AUDIT_KEY] = "key", [AUDIT_INTEGRITY] = "integrity",
};

const char *audit_action_name(int action)
{
	if (action > 0 && action < (int)(sizeof action_names / sizeof action_names[0]) &&
	    action_names[action])
		return action_names[action];
	return "?";
}

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void chain_hash(const uint8_t key[32], const uint8_t prev[32], uint64_t seq, int64_t t,
		       const uint8_t user[16], int64_t action, const uint8_t object[16],
		       const uint8_t *detail_ct, size_t detail_len, uint8_t out[32])
{
	crypto_generichash_state h;
	uint8_t buf[8], dh[32];

	crypto_generichash(dh, sizeof dh, detail_ct, detail_len, NULL, 0);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN, sizeof AUDIT_DOMAIN - 1);
	crypto_generichash_update(&h, prev, 32);
	be64(buf, seq);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, (uint64_t)t);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, user, 16);
	be64(buf, (uint64_t)action);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, object, 16);
	crypto_generichash_update(&h, dh, sizeof dh);
	crypto_generichash_final(&h, out, 32);
}

/* The longest detail: what struct audit_entry can give back with its NUL. */
#define DETAIL_MAX (sizeof ((struct audit_entry *)0)->detail - 1)

/* The detail is sealed with the record key; the AD is the domain and seq. */
static void detail_ad(uint8_t ad[sizeof AUDIT_DOMAIN - 1 + 8], uint64_t seq)
{
	memcpy(ad, AUDIT_DOMAIN, sizeof AUDIT_DOMAIN - 1);
	be64(ad + sizeof AUDIT_DOMAIN - 1, seq);
}

int audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT seq, h FROM audit ORDER BY seq DESC LIMIT 1", &st, "audit",
			DB_NOARGS, err);

	*seq = 0;
	memset(head, 0, 32);
	if (rc != 1)
		return rc;
	*seq = (uint64_t)dbq_int64(st, 0);
	if (dbq_bytes(st, 1) == 32)
		memcpy(head, dbq_blob(st, 1), 32);
	db_done(st);
	return 0;
}


static void chain_hash2(const uint8_t key[32], const uint8_t prev[32], uint64_t seq, int64_t t,
			const uint8_t user[16], int64_t action, const uint8_t object[16],
			const uint8_t *detail_ct, size_t detail_len, const struct sig_fields *f,
			uint8_t out[32])
{
	crypto_generichash_state h;
	uint8_t buf[8], inner[32];

	chain_hash(key, prev, seq, t, user, action, object, detail_ct, detail_len, inner);
	crypto_generichash_init(&h, key, 32, 32);
	crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN2, sizeof AUDIT_DOMAIN2 - 1);
	crypto_generichash_update(&h, inner, 32);
	be64(buf, (uint64_t)f->gen);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, f->uidx);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, f->next_pk, 32);
	crypto_generichash_update(&h, f->vid, 16);
	crypto_generichash_update(&h, f->vhash, 32);
	be64(buf, (uint64_t)f->nver);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, (uint64_t)f->maxseq);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_final(&h, out, 32);
}

/* What the author signs: the domain and the chain hash. */
static void sig_message(const uint8_t h[32], uint8_t msg[sizeof AUDIT_SIG - 1 + 32])
{
	memcpy(msg, AUDIT_SIG, sizeof AUDIT_SIG - 1);
	memcpy(msg + sizeof AUDIT_SIG - 1, h, 32);
}

/* Issue 13.3: what a v3 entry's author signs can be checked without K_data
 * (at the district): an UNKEYED hash of every field of the entry, its
 * detail as H(detail_ct), its prev link and its own keyed chain hash h. */
void audit_wire_digest(const struct audit_wire *e, uint8_t out[32])
{
	crypto_generichash_state h;
	uint8_t buf[8];

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN3, sizeof AUDIT_DOMAIN3 - 1);
	crypto_generichash_update(&h, e->prev, 32);
	be64(buf, e->seq);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, (uint64_t)e->time);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, e->user, 16);
	be64(buf, (uint64_t)e->action);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, e->object, 16);
	crypto_generichash_update(&h, e->detail_hash, 32);
	be64(buf, (uint64_t)e->gen);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, e->uidx);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, e->next_pk, 32);
	crypto_generichash_update(&h, e->vid, 16);
	crypto_generichash_update(&h, e->vhash, 32);
	be64(buf, (uint64_t)e->nver);
	crypto_generichash_update(&h, buf, 8);
	be64(buf, (uint64_t)e->maxseq);
	crypto_generichash_update(&h, buf, 8);
	crypto_generichash_update(&h, e->h, 32);
	crypto_generichash_final(&h, out, 32);
}

int audit_wire_verify(const struct audit_wire *e, const uint8_t pk[32])
{
	uint8_t msg3[sizeof AUDIT_SIG3 - 1 + 32], msg2[sizeof AUDIT_SIG - 1 + 32];

	memcpy(msg3, AUDIT_SIG3, sizeof AUDIT_SIG3 - 1);
	audit_wire_digest(e, msg3 + sizeof AUDIT_SIG3 - 1);
	if (crypto_sign_verify_detached(e->sig, msg3, sizeof msg3, pk) == 0)
		return 3;
	sig_message(e->h, msg2);
	return crypto_sign_verify_detached(e->sig, msg2, sizeof msg2, pk) == 0 ? 2 : 0;
}

/* The wire form of an entry from its fields (DETAIL_CT hashed). */
static void wire_fill(struct audit_wire *e, const uint8_t prev[32], uint64_t seq, int64_t t,
		      const uint8_t user[16], int64_t action, const uint8_t object[16],
		      const uint8_t *detail_ct, size_t detail_len, const struct sig_fields *f,
		      const uint8_t h[32])
{
	memset(e, 0, sizeof *e);
	memcpy(e->prev, prev, 32);
	e->seq = seq;
	e->time = t;
	memcpy(e->user, user, 16);
	e->action = action;
	memcpy(e->object, object, 16);
	crypto_generichash(e->detail_hash, 32, detail_ct, detail_len, NULL, 0);
	memcpy(e->h, h, 32);
	if (f) {
		e->is_signed = true;
		e->gen = f->gen;
		e->uidx = f->uidx;
		memcpy(e->next_pk, f->next_pk, 32);
		memcpy(e->vid, f->vid, 16);
		memcpy(e->vhash, f->vhash, 32);
		e->nver = f->nver;
		e->maxseq = f->maxseq;
	}
}

/* The entry for an operation that inserted ADDED versions; VID names a
 * save's one version. */
static int append_entry(struct store *s, enum audit_action action, const uint8_t object[16],
			const char *detail, const uint8_t *vid, int64_t added, struct err *err)
{
	uint8_t prev[32], h[32], ad[sizeof AUDIT_DOMAIN - 1 + 8], sig[64];
	uint8_t msg[sizeof AUDIT_SIG3 - 1 + 32];
	uint8_t ct[24 + DETAIL_MAX + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	unsigned long long ct_len;
	size_t dlen = detail ? strlen(detail) : 0;
	struct sig_fields f;
	struct audit_wire we;
	uint64_t seq;
	int64_t t = clock_now(), from = 0, n;
	uint8_t *sk;
	int rc;

	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "audit needs an unlocked store");
	if (dlen > DETAIL_MAX)
		dlen = DETAIL_MAX;
	if (audit_head(s, &seq, prev, err) < 0)
		return -1;
	seq++;
	memset(&f, 0, sizeof f);
	if (version_counts(s, added, &from, &f.nver, &f.maxseq, err) < 0)
		return -1;
	if (vid) {
		memcpy(f.vid, vid, 16);
		if ((rc = version_hash(s, vid, f.vhash, err)) <= 0)
			return rc < 0 ? -1 : err_set(err, ERR_DB, NULL, "audited version not stored");
	} else if (range_digest(s, from, f.maxseq, s->keys->epoch ? s->keys->epoch : 1, f.vhash,
				&n, err) < 0) {
		return -1;
	}
	/* sk_i (the author's current key) and sk_{i+1}, which replaces it. */
	sk = s->keys->ask;
	if (astate_open(s, s->user.uuid, &f.gen, &f.uidx, sk, err) < 0) {
		sodium_memzero(sk, sizeof s->keys->ask);
		return -1;
	}
	crypto_sign_keypair(f.next_pk, sk + crypto_sign_SECRETKEYBYTES);

	randombytes_buf(ct, 24);
	detail_ad(ad, seq);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct + 24, &ct_len, (const uint8_t *)(detail ? detail : ""),
						   dlen, ad, sizeof ad, NULL, ct, s->keys->rec);
	ct_len += 24;
	chain_hash2(s->keys->audit, prev, seq, t, s->user.uuid, action, object, ct, ct_len, &f, h);
	/* v3: the signature covers the unkeyed digest (which includes h) */
	wire_fill(&we, prev, seq, t, s->user.uuid, action, object, ct, ct_len, &f, h);
	memcpy(msg, AUDIT_SIG3, sizeof AUDIT_SIG3 - 1);
	audit_wire_digest(&we, msg + sizeof AUDIT_SIG3 - 1);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	rc = db_run(s->db, "INSERT INTO audit(seq, time, user, action, object, detail_ct, prev, h, "
		    "gen, uidx, next_pk, sig, vid, vhash, nver, maxseq, key_epoch) "
		    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "audit",
		    DB_ARGS(DB_INT(seq), DB_INT(t), DB_UUID(s->user.uuid), DB_INT(action),
			    DB_UUID(object), DB_BLOB(ct, ct_len), DB_BLOB(prev, 32), DB_BLOB(h, 32),
			    DB_INT(f.gen), DB_INT(f.uidx), DB_BLOB(f.next_pk, 32), DB_BLOB(sig, 64),
			    vid ? DB_UUID(f.vid) : DB_NULL, DB_BLOB(f.vhash, 32),
			    DB_INT(f.nver), DB_INT(f.maxseq),
			    DB_INT(s->keys->epoch ? s->keys->epoch : 1)), err);
	/* sk_i is gone once this commits: nobody can sign entry i again. */
	if (rc == 0)
		rc = astate_seal(s, s->user.uuid, f.gen, s->keys->seed, f.uidx + 1,
				 sk + crypto_sign_SECRETKEYBYTES, err);
	sodium_memzero(sk, sizeof s->keys->ask);
	return rc;
}

int audit_append_v(struct store *s, enum audit_action action, const uint8_t object[16],
		   const char *detail, const uint8_t *vid, struct err *err)
{
	return append_entry(s, action, object, detail, vid, vid ? 1 : 0, err);
}

int audit_append_n(struct store *s, enum audit_action action, const uint8_t object[16],
		   const char *detail, int64_t added, struct err *err)
{
	return append_entry(s, action, object, detail, NULL, added, err);
}

int audit_append(struct store *s, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err)
{
	return append_entry(s, action, object, detail, NULL, 0, err);
}

int audit_commit(struct store *s, int rc, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err)
{
	if (rc < 0 || audit_append(s, action, object, detail, err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return db_commit(s->db, err);
}

/* Copy an N-byte blob column; false (and zeros) when it has another size. */
static bool blob_copy(struct dbq *st, int col, uint8_t *out, size_t n)
{
	memset(out, 0, n);
	if (dbq_type(st, col) != SQLITE_BLOB || (size_t)dbq_bytes(st, col) != n)
		return false;
	memcpy(out, dbq_blob(st, col), n);
	return true;
}

/* One signer's chain while the log is walked: (user, gen), the index and
 * public key her next entry must have. */
struct signer {
	uint8_t user[16];
	int64_t gen;
	uint64_t uidx;
	uint8_t pk[32];
};

struct walk {
	struct signer *v;
	size_t n, cap;
};

/* The chain of (USER, GEN), starting at its certificate's pk_0: NULL with
 * ERR_CRYPTO when there is no valid certificate. */
static struct signer *signer_get(struct store *s, struct walk *w, const uint8_t user[16],
				 int64_t gen, struct err *err)
{
	uint8_t pk0[32];
	int rc;

	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].gen == gen && memcmp(w->v[i].user, user, 16) == 0)
			return &w->v[i];
	if ((rc = cert_get(s, s->keys->pinned, user, gen, pk0, err)) <= 0) {
		if (rc == 0)
			err_set(err, ERR_CRYPTO, NULL, "no valid certificate for the entry's author");
		return NULL;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct signer *v = realloc(w->v, cap * sizeof *v);
		if (!v) {
			err_set(err, ERR_NOMEM, NULL, "out of memory");
			return NULL;
		}
		w->v = v;
		w->cap = cap;
	}
	memcpy(w->v[w->n].user, user, 16);
	w->v[w->n].gen = gen;
	w->v[w->n].uidx = 0;
	memcpy(w->v[w->n].pk, pk0, 32);
	return &w->v[w->n++];
}

/* A version re-encrypted by key rotations (storage/rotate.c): its hash
 * SAVED at the save, carried through each rotation's (before, after), must
 * end at its hash NOW. 1 when it does, 0 when not. The rows themselves are
 * bound by each rotation's own entry (check_rotation). */
static int rekeyed_hash(struct store *s, const uint8_t vid[16], const uint8_t saved[32],
			const uint8_t now[32], struct err *err)
{
	uint8_t h[32];
	struct dbq *st;
	int rc;

	memcpy(h, saved, 32);
	if (db_query(s->db, "SELECT before, after FROM version_rekeys WHERE vid = ? ORDER BY epoch",
		     &st, DB_ARGS(DB_UUID(vid)), err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW)
		if (dbq_bytes(st, 0) == 32 && dbq_bytes(st, 1) == 32 &&
		    sodium_memcmp(dbq_blob(st, 0), h, 32) == 0)
			memcpy(h, dbq_blob(st, 1), 32);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "version rekeys");
	return sodium_memcmp(h, now, 32) == 0 ? 1 : 0;
}

/* The detail of the entry SEQ, opened with REC: 0, or -1 when it does not
 * open (OUT then holds "(unreadable)"). */
static int detail_open(const uint8_t *ct, size_t ct_len, uint64_t seq, const uint8_t rec[32],
		       char *out, size_t size)
{
	uint8_t ad[sizeof AUDIT_DOMAIN - 1 + 8];
	unsigned long long dlen = 0;

	detail_ad(ad, seq);
	if (ct && ct_len >= 24 + crypto_aead_xchacha20poly1305_ietf_ABYTES &&
	    ct_len - 24 - crypto_aead_xchacha20poly1305_ietf_ABYTES < size &&
	    crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)out, &dlen, NULL, ct + 24,
						       ct_len - 24, ad, sizeof ad, ct, rec) == 0) {
		out[dlen] = '\0';
		return 0;
	}
	snprintf(out, size, "(unreadable)");
	return -1;
}

/* The first entry of data-key epoch EK (current row of ST) must be that
 * key's rotation, naming the digest of the versions it re-encrypted. An
 * error message, or NULL when it holds. */
static const char *check_rotation(struct store *s, struct dbq *st, uint64_t seq,
				  const struct epoch_keys *ek, struct err *err)
{
	char detail[DETAIL_MAX + 1];
	uint8_t named[32], digest[32];
	uint32_t epoch;
	int64_t count, n;

	if (dbq_int64(st, 3) != AUDIT_KEY ||
	    detail_open(dbq_blob(st, 5), (size_t)dbq_bytes(st, 5), seq,
			ek->rec, detail, sizeof detail) < 0 ||
	    rotate_detail_parse(detail, &epoch, &count, named) < 0 || epoch != ek->epoch)
		return "starts a data-key epoch but is not its rotation";
	if (rekey_digest(s, epoch, digest, &n, err) < 0)
		return "";
	if (n != count || sodium_memcmp(digest, named, 32) != 0)
		return "is a key rotation whose re-encrypted versions were changed";
	return NULL;
}

/* The signed part of the entry in ST (columns 8-15) against its author's
 * chain; H is its chain hash. An error message, or NULL when it holds. */
static const char *check_signed(struct store *s, struct walk *w, struct dbq *st,
				const uint8_t user[16], struct sig_fields *f, uint8_t sig[64],
				struct err *err)
{
	struct signer *g;
	uint8_t vh[32];
	int rc;

	f->gen = dbq_int64(st, 8);
	f->uidx = (uint64_t)dbq_int64(st, 9);
	f->nver = dbq_int64(st, 14);
	f->maxseq = dbq_int64(st, 15);
	if (!blob_copy(st, 10, f->next_pk, 32) || !blob_copy(st, 11, sig, 64) ||
	    dbq_type(st, 8) != SQLITE_INTEGER ||
	    dbq_type(st, 9) != SQLITE_INTEGER ||
	    dbq_type(st, 14) != SQLITE_INTEGER ||
	    dbq_type(st, 15) != SQLITE_INTEGER)
		return "is malformed";
	/* a range digest (issue 13.3) without a vid */
	if (dbq_type(st, 13) != SQLITE_NULL && !blob_copy(st, 13, f->vhash, 32))
		return "is malformed";
	if (dbq_type(st, 12) != SQLITE_NULL) {
		if (!blob_copy(st, 12, f->vid, 16) || !blob_copy(st, 13, f->vhash, 32))
			return "is malformed";
		if ((rc = version_hash(s, f->vid, vh, err)) < 0)
			return "";
		if (rc == 0)
			return "saved a version that is gone (deleted outside the app)";
		if (sodium_memcmp(vh, f->vhash, 32) != 0 &&
		    ((rc = rekeyed_hash(s, f->vid, f->vhash, vh, err)) != 1))
			return rc < 0 ? "" : "saved a version that was changed";
	}
	if (!(g = signer_get(s, w, user, f->gen, err)))
		return err && err->code == ERR_NOMEM ? "" : "has no certificate from the admin";
	if (f->uidx != g->uidx)
		return f->uidx > g->uidx ? "follows missing entries of its author"
					 : "repeats an index of its author";
	return NULL;
}

/* Users disabled so far in the walk (issue: a disabled user's slot row
 * written back opens as before, her certificate stays valid). */
struct disabled {
	uint8_t (*v)[16];
	size_t n, cap;
};

/* The entry by USER (certificate GEN) doing ACTION on OBJECT: an error
 * message when USER was disabled by an earlier entry and not re-enabled
 * since by an admin's user-add or user-passwd; else NULL, and D follows the
 * entry ("" with ERR set on an error). */
static const char *check_disabled(struct store *s, struct disabled *d, const uint8_t user[16],
				  int64_t action, const uint8_t object[16], int64_t gen,
				  bool is_signed, struct err *err)
{
	size_t i;
	int role = 0, rc = 1;

	for (i = 0; i < d->n; i++)
		if (memcmp(d->v[i], user, 16) == 0)
			return "was written by a user after she was disabled";
	if (action != AUDIT_USER_DISABLE && action != AUDIT_USER_ADD && action != AUDIT_USER_PASSWD)
		return NULL;
	for (i = 0; i < d->n && memcmp(d->v[i], object, 16) != 0; i++)
		;
	if (action == AUDIT_USER_DISABLE) {
		if (i == d->n) {
			if (d->n == d->cap) {
				size_t cap = d->cap ? 2 * d->cap : 8;
				uint8_t (*v)[16] = realloc(d->v, cap * sizeof *v);
				if (!v) {
					err_set(err, ERR_NOMEM, NULL, "out of memory");
					return "";
				}
				d->v = v;
				d->cap = cap;
			}
			memcpy(d->v[d->n++], object, 16);
		}
		return NULL;
	}
	/* re-enabled only by an admin (entries older than signing: as stored) */
	if (i < d->n && is_signed &&
	    (rc = cert_role(s, s->keys->pinned, user, gen, &role, err)) < 0)
		return "";
	if (i < d->n && (!is_signed || (rc == 1 && role == ROLE_ADMIN)))
		memmove(d->v[i], d->v[--d->n], 16);
	return NULL;
}

int store_audit_verify(struct store *s, size_t *entries, uint64_t *bad_seq, struct err *err)
{
	static const uint8_t zero[32];
	uint8_t prev[32], h[32], stored_prev[32], stored_h[32], user[16], object[16], sig[64];
	struct walk w = { 0 };
	struct disabled dis = { 0 };
	struct ranges rw = { 0 };
	struct sig_fields f;
	struct audit_wire we;
	int64_t nver = -1, maxseq = -1, certs;
	uint64_t expect = 1, last_seq = 0;
	struct epoch_keys ek = { .epoch = 1 };
	int64_t stray;
	uint32_t last_epoch;
	bool any_signed = false, any_v3 = false;
	const char *why = NULL;
	char detail[128];
	struct dbq *st;
	int rc;

	*bad_seq = 0;
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	memcpy(prev, zero, 32);
	/* Entries before a key rotation are hashed with their epoch's key. */
	if (epoch_keys_get(s, 1, &ek, err) < 0)
		return -1;
	if (db_prepare(s->db, "SELECT seq, time, user, action, object, detail_ct, prev, h, "
			      "gen, uidx, next_pk, sig, vid, vhash, nver, maxseq, key_epoch "
			      "FROM audit ORDER BY seq", &st, err) < 0) {
		sodium_memzero(&ek, sizeof ek);
		return -1;
	}
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)dbq_int64(st, 0);
		bool is_signed = dbq_type(st, 11) != SQLITE_NULL;
		/* every column exactly as hashed: a 15-byte user or an action read
		 * through a 32-bit int would otherwise hash like the original */
		bool sized = blob_copy(st, 2, user, 16) && blob_copy(st, 4, object, 16) &&
			     blob_copy(st, 6, stored_prev, 32) && blob_copy(st, 7, stored_h, 32);
		last_seq = seq;
		memset(&f, 0, sizeof f);
		if (seq != expect) {
			*bad_seq = expect;
			why = "is missing";
			break;
		}
		if (dbq_int64(st, 16) != (int64_t)ek.epoch) {
			/* each rotation starts the next epoch with its own entry */
			if (dbq_int64(st, 16) != (int64_t)ek.epoch + 1) {
				why = "has a data-key epoch out of order";
				break;
			}
			if (epoch_keys_get(s, ek.epoch + 1, &ek, err) < 0) {
				why = "names a data-key epoch whose key is not kept";
				break;
			}
			if ((why = check_rotation(s, st, seq, &ek, err)))
				break;
		}
		if (is_signed) {
			any_signed = true;
			if ((why = check_signed(s, &w, st, user, &f, sig, err)))
				break;
			chain_hash2(ek.audit, prev, seq, dbq_int64(st, 1), user,
				    dbq_int64(st, 3), object, dbq_blob(st, 5),
				    (size_t)dbq_bytes(st, 5), &f, h);
		} else {
			/* unsigned entries (stores older than issue 13) only
			 * come before the first signed one */
			if (any_signed) {
				why = "is not signed";
				break;
			}
			chain_hash(ek.audit, prev, seq, dbq_int64(st, 1), user,
				   dbq_int64(st, 3), object, dbq_blob(st, 5),
				   (size_t)dbq_bytes(st, 5), h);
		}
		if (!sized || sodium_memcmp(stored_prev, prev, 32) != 0 ||
		    sodium_memcmp(stored_h, h, 32) != 0) {
			why = "was changed or moved";
			break;
		}
		if (is_signed) {
			struct signer *g = signer_get(s, &w, user, f.gen, err);
			int sv = 0;
			wire_fill(&we, prev, seq, dbq_int64(st, 1), user,
				  dbq_int64(st, 3), object, dbq_blob(st, 5),
				  (size_t)dbq_bytes(st, 5), &f, h);
			memcpy(we.sig, sig, 64);
			/* v2 (the signature over h only) before the first v3 entry */
			if (g)
				sv = audit_wire_verify(&we, g->pk);
			if (sv == 0 || (sv == 2 && any_v3)) {
				why = "is not signed by its author's key";
				break;
			}
			any_v3 |= sv == 3;
			if ((why = check_range(s, &rw, st, &f, err)))
				break;
			g->uidx++;
			memcpy(g->pk, f.next_pk, 32);
			nver = f.nver;
			maxseq = f.maxseq;
		}
		if ((why = check_disabled(s, &dis, user, dbq_int64(st, 3), object, f.gen,
					  is_signed, err)))
			break;
		memcpy(prev, h, 32);
		expect++;
	}
	db_done(st);
	free(w.v);
	free(dis.v);
	last_epoch = ek.epoch;
	sodium_memzero(&ek, sizeof ek);
	if (!why && rc == SQLITE_DONE && expect > 1 &&
	    last_epoch != (s->keys->epoch ? s->keys->epoch : 1)) {
		*bad_seq = expect;
		why = "is missing: the log does not record the last key rotation";
	}
	if (why) {
		if (!*bad_seq)
			*bad_seq = last_seq;
		return err_set(err, ERR_CRYPTO, strstr(why, "version") ? "audit-records" : NULL,
			       "audit entry %llu %s", (unsigned long long)*bad_seq, why);
	}
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, rc, "audit verify");
	/* Certificates are only made with a signed entry: a log without one
	 * was rewritten (or every signed entry cut off). */
	if (db_int(s->db, "SELECT count(*) FROM user_certs", &certs, "certificates", DB_NOARGS,
		   err) < 0)
		return -1;
	if (certs > 0 && !any_signed) {
		*bad_seq = expect;
		return err_set(err, ERR_CRYPTO, NULL, "the signed audit entries are gone");
	}
	/* rekey rows of an epoch no rotation entry vouched for */
	if (db_int(s->db, "SELECT count(*) FROM version_rekeys WHERE epoch > ? OR epoch < 2",
		   &stray, "version rekeys", DB_ARGS(DB_INT(last_epoch)), err) < 0)
		return -1;
	if (stray > 0) {
		*bad_seq = expect - 1;
		return err_set(err, ERR_CRYPTO, "audit-records",
			       "records: re-encryptions no key rotation recorded");
	}
	rc = integrity_records(s, nver, maxseq, detail, sizeof detail, err);
	if (rc != 0) {
		if (rc > 0) {
			*bad_seq = expect - 1;
			err_set(err, ERR_CRYPTO, "audit-records", "records: %s", detail);
		}
		return -1;
	}
	if (entries)
		*entries = (size_t)(expect - 1);
	return 0;
}

/* Listing: each entry's detail opens with its epoch's record key. */
struct list_ctx {
	struct store *s;
	struct epoch_keys ek;
	bool have;
};

static int entry_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct list_ctx *l = ctx;
	struct audit_entry *e = item;
	int64_t epoch = dbq_int64(st, 7);

	(void)err;
	e->seq = (uint64_t)dbq_int64(st, 0);
	e->time = dbq_int64(st, 1);
	blob_copy(st, 2, e->user, 16);
	e->action = dbq_int(st, 3);
	blob_copy(st, 4, e->object, 16);
	snprintf(e->user_label, sizeof e->user_label, "%s", dbq_text(st, 6));
	if ((!l->have || l->ek.epoch != epoch) &&
	    (epoch < 1 || epoch > UINT32_MAX ||
	     epoch_keys_get(l->s, (uint32_t)epoch, &l->ek, NULL) < 0)) {
		l->have = false;
		snprintf(e->detail, sizeof e->detail, "(unreadable)");
		return 0;
	}
	l->have = true;
	detail_open(dbq_blob(st, 5), (size_t)dbq_bytes(st, 5), e->seq,
		    l->ek.rec, e->detail, sizeof e->detail);
	return 0;
}

int store_audit_list(struct store *s, struct audit_entry **out, size_t *n, struct err *err)
{
	*out = NULL;
	*n = 0;
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	struct list_ctx l = { .s = s };
	int rc = db_collect(s->db, "SELECT a.seq, a.time, a.user, a.action, a.object, a.detail_ct, "
			    "COALESCE(u.label, ''), a.key_epoch FROM audit a "
			    "LEFT JOIN users u ON u.uuid = a.user ORDER BY a.seq", DB_NOARGS,
			    sizeof **out, entry_row, &l, (void **)out, n, "audit list", err);

	sodium_memzero(&l.ek, sizeof l.ek);
	return rc;
}

/* ---- the entries as they travel (issue 13.3) ---- */

int audit_wire_each(struct store *s, uint64_t from, audit_wire_fn fn, void *ctx, struct err *err)
{
	struct audit_wire e;
	struct sig_fields f;
	uint8_t prev[32], h[32], user[16], object[16];
	struct dbq *st;
	int rc;

	if (db_prepare(s->db, "SELECT seq, time, user, action, object, detail_ct, prev, h, "
			      "gen, uidx, next_pk, sig, vid, vhash, nver, maxseq "
			      "FROM audit WHERE seq >= ? ORDER BY seq", &st, err) < 0)
		return -1;
	dbq_bind_int64(st, 1, (int64_t)from);
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		bool is_signed = dbq_type(st, 11) != SQLITE_NULL;
		blob_copy(st, 2, user, 16);
		blob_copy(st, 4, object, 16);
		blob_copy(st, 6, prev, 32);
		blob_copy(st, 7, h, 32);
		memset(&f, 0, sizeof f);
		if (is_signed) {
			f.gen = dbq_int64(st, 8);
			f.uidx = (uint64_t)dbq_int64(st, 9);
			blob_copy(st, 10, f.next_pk, 32);
			blob_copy(st, 12, f.vid, 16);
			blob_copy(st, 13, f.vhash, 32);
			f.nver = dbq_int64(st, 14);
			f.maxseq = dbq_int64(st, 15);
		}
		wire_fill(&e, prev, (uint64_t)dbq_int64(st, 0), dbq_int64(st, 1),
			  user, dbq_int64(st, 3), object, dbq_blob(st, 5),
			  (size_t)dbq_bytes(st, 5), is_signed ? &f : NULL, h);
		if (is_signed)
			blob_copy(st, 11, e.sig, 64);
		if (fn(ctx, &e, err) < 0) {
			db_done(st);
			return -1;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, s->db, rc, "audit entries");
}
