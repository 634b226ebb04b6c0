/* storage/officer.c: district officer accounts and web sessions (issue 17;
 * storage/officer.h says what is kept and why). */
#include "storage/officer.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "storage/clock.h"
#include "storage/internal.h"
#include "core/banned.h"

#define MAC_LEN 32

const char *officer_role_name(int role)
{
	return role == OFFICER_APPROVER ? "approver" : role == OFFICER_VIEWER ? "viewer" : "?";
}

int officer_role_parse(const char *str)
{
	if (str && strcmp(str, "viewer") == 0)
		return OFFICER_VIEWER;
	if (str && strcmp(str, "approver") == 0)
		return OFFICER_APPROVER;
	return -1;
}

int officer_name_valid(const char *name, struct err *err)
{
	size_t n = strlen(name);
	if (n < 1 || n > OFFICER_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n || !strchr(
		    "abcdefghijklmnopqrstuvwxyz0123456789", name[0]))
		return err_set(err, ERR_FORMAT, "officer", "an officer name is 1-%d of a-z, 0-9, "
			       "\".\", \"_\", \"-\", starting with a letter or digit", OFFICER_NAME_MAX);
	return 0;
}

/* The real clock: waits and session lifetimes are security clocks, which
 * POSYANDU_NOW must not move (storage/clock.h). */
static int64_t real_now(void)
{
	return (int64_t)time(NULL);
}

/* The MAC key of officer rows: BLAKE2b keyed with K_admin. */
static int mac_key(const struct store *s, uint8_t key[32], struct err *err)
{
	static const char label[] = "posyandu officer rows v1";
	if (need_admin(s, err) < 0)
		return -1;
	crypto_generichash(key, 32, (const uint8_t *)label, sizeof label - 1, s->keys->admin, KEY_LEN);
	return 0;
}

static void row_mac(const uint8_t key[32], const char *name, int role, const char *hash,
		    uint8_t out[MAC_LEN])
{
	crypto_generichash_state h;
	uint8_t r = (uint8_t)role;
	crypto_generichash_init(&h, key, 32, MAC_LEN);
	crypto_generichash_update(&h, (const uint8_t *)"officer", 8);
	crypto_generichash_update(&h, (const uint8_t *)name, strlen(name) + 1);
	crypto_generichash_update(&h, &r, 1);
	crypto_generichash_update(&h, (const uint8_t *)hash, strlen(hash));
	crypto_generichash_final(&h, out, MAC_LEN);
}

static void session_mac(const uint8_t key[32], const uint8_t tok[32], const char *name,
			int64_t created, uint8_t out[MAC_LEN])
{
	crypto_generichash_state h;
	uint8_t c[8];
	for (int i = 0; i < 8; i++)
		c[i] = (uint8_t)((uint64_t)created >> (8 * i));
	crypto_generichash_init(&h, key, 32, MAC_LEN);
	crypto_generichash_update(&h, (const uint8_t *)"session", 8);
	crypto_generichash_update(&h, tok, 32);
	crypto_generichash_update(&h, (const uint8_t *)name, strlen(name) + 1);
	crypto_generichash_update(&h, c, 8);
	crypto_generichash_final(&h, out, MAC_LEN);
}

/* The audit object of an officer: the first 16 bytes of BLAKE2b(name). */
static void officer_object(const char *name, uint8_t obj[16])
{
	crypto_generichash(obj, 16, (const uint8_t *)name, strlen(name), NULL, 0);
}

static void token_hash(const uint8_t token[OFFICER_TOKEN_LEN], uint8_t out[32])
{
	static const char label[] = "posyandu session";
	crypto_generichash(out, 32, token, OFFICER_TOKEN_LEN, (const uint8_t *)label, sizeof label - 1);
}

void officer_csrf(const uint8_t token[OFFICER_TOKEN_LEN], uint8_t csrf[32])
{
	static const char label[] = "posyandu csrf v1";
	crypto_generichash(csrf, 32, (const uint8_t *)label, sizeof label - 1, token,
			   OFFICER_TOKEN_LEN);
}

/* PW's Argon2id hash string into HASH, once its length is checked. */
static int hash_password(const char *pw, size_t pw_len, uint64_t opslimit, size_t memlimit,
			 char hash[crypto_pwhash_STRBYTES], struct err *err)
{
	if (pw_len < OFFICER_PASSWORD_MIN || pw_len > OFFICER_PASSWORD_MAX)
		return err_set(err, ERR_FORMAT, "password", "a password is %d to %d characters",
			       OFFICER_PASSWORD_MIN, OFFICER_PASSWORD_MAX);
	if (crypto_pwhash_str(hash, pw, pw_len, opslimit, memlimit) != 0)
		return err_set(err, ERR_NOMEM, "argon2", "Argon2id needs %zu MiB", memlimit >> 20);
	return 0;
}

int officer_add(struct store *s, const char *name, int role, const char *pw, size_t pw_len,
		uint64_t opslimit, size_t memlimit, struct err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	uint8_t key[32], mac[MAC_LEN], obj[16];
	char detail[96];
	int64_t have;
	int rc;

	if (officer_name_valid(name, err) < 0)
		return -1;
	if (role != OFFICER_VIEWER && role != OFFICER_APPROVER)
		return err_set(err, ERR_USAGE, "role", "a role is viewer or approver");
	if (hash_password(pw, pw_len, opslimit, memlimit, hash, err) < 0 || mac_key(s, key, err) < 0)
		return -1;
	row_mac(key, name, role, hash, mac);
	sodium_memzero(key, sizeof key);
	if (db_begin(s->db, err) < 0)
		return -1;
	if (db_int(s->db, "SELECT count(*) FROM officers WHERE name = ?1", &have, "officer",
		   DB_ARGS(DB_TEXT(name)), err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	if (have) {
		db_rollback(s->db);
		return err_set(err, ERR_EXISTS, "officer", "officer %s exists already", name);
	}
	rc = db_run(s->db, "INSERT INTO officers(name, role, pwhash, created, failed, last_failed, "
		    "mac) VALUES(?1, ?2, ?3, ?4, 0, 0, ?5)", "add officer",
		    DB_ARGS(DB_TEXT(name), DB_INT(role), DB_TEXT(hash), DB_INT(clock_now()),
			    DB_BLOB(mac, MAC_LEN)), err);
	sodium_memzero(hash, sizeof hash);
	officer_object(name, obj);
	snprintf(detail, sizeof detail, "officer %s added (%s)", name, officer_role_name(role));
	return audit_commit(s, rc, AUDIT_USER_ADD, obj, detail, err);
}

int officer_passwd(struct store *s, const char *name, const char *pw, size_t pw_len,
		   uint64_t opslimit, size_t memlimit, struct err *err)
{
	char hash[crypto_pwhash_STRBYTES], old[crypto_pwhash_STRBYTES];
	uint8_t key[32], mac[MAC_LEN], want[MAC_LEN], obj[16];
	char detail[96];
	struct dbq *st;
	int rc, role;

	/* Hashed before the transaction: Argon2id takes a while, and holds no lock. */
	if (officer_name_valid(name, err) < 0 ||
	    hash_password(pw, pw_len, opslimit, memlimit, hash, err) < 0 || mac_key(s, key, err) < 0)
		return -1;
	if (db_begin(s->db, err) < 0) {
		sodium_memzero(key, sizeof key);
		return -1;
	}
	if ((rc = db_row(s->db, "SELECT role, pwhash, mac FROM officers WHERE name = ?1", &st,
			 "officer", DB_ARGS(DB_TEXT(name)), err)) <= 0) {
		db_rollback(s->db);
		sodium_memzero(key, sizeof key);
		return rc < 0 ? -1 : err_set(err, ERR_NOTFOUND, "officer", "no officer %s", name);
	}
	role = dbq_int(st, 0);
	snprintf(old, sizeof old, "%s", (const char *)dbq_text(st, 1));
	memset(mac, 0, sizeof mac);
	if (dbq_bytes(st, 2) == MAC_LEN)
		memcpy(mac, dbq_blob(st, 2), MAC_LEN);
	db_done(st);
	/* The role is carried over only from a row the district wrote: a
	 * viewer made an approver in the database stays refused. */
	row_mac(key, name, role, old, want);
	if (sodium_memcmp(mac, want, MAC_LEN) != 0) {
		db_rollback(s->db);
		sodium_memzero(key, sizeof key);
		return err_set(err, ERR_CRYPTO, "officer", "the row of officer %s was not written by "
			       "the district (its MAC fails): remove her and add her again", name);
	}
	row_mac(key, name, role, hash, mac);
	sodium_memzero(key, sizeof key);
	rc = db_run(s->db, "UPDATE officers SET pwhash = ?2, mac = ?3, failed = 0, last_failed = 0 "
		    "WHERE name = ?1", "officer password",
		    DB_ARGS(DB_TEXT(name), DB_TEXT(hash), DB_BLOB(mac, MAC_LEN)), err);
	sodium_memzero(hash, sizeof hash);
	if (rc >= 0)
		rc = db_run(s->db, "DELETE FROM officer_sessions WHERE name = ?1", "officer sessions",
			    DB_ARGS(DB_TEXT(name)), err);
	officer_object(name, obj);
	snprintf(detail, sizeof detail, "officer %s: password changed, her sessions ended", name);
	return audit_commit(s, rc, AUDIT_USER_PASSWD, obj, detail, err);
}

int officer_remove(struct store *s, const char *name, struct err *err)
{
	uint8_t obj[16];
	char detail[96];
	int64_t have;
	int rc;

	if (need_admin(s, err) < 0 || db_begin(s->db, err) < 0)
		return -1;
	if (db_int(s->db, "SELECT count(*) FROM officers WHERE name = ?1", &have, "officer",
		   DB_ARGS(DB_TEXT(name)), err) < 0) {
		db_rollback(s->db);
		return -1;
	}
	if (!have) {
		db_rollback(s->db);
		return err_set(err, ERR_NOTFOUND, "officer", "no officer %s", name);
	}
	rc = db_run(s->db, "DELETE FROM officer_sessions WHERE name = ?1", "officer sessions",
		    DB_ARGS(DB_TEXT(name)), err);
	if (rc >= 0)
		rc = db_run(s->db, "DELETE FROM officers WHERE name = ?1", "remove officer",
			    DB_ARGS(DB_TEXT(name)), err);
	officer_object(name, obj);
	snprintf(detail, sizeof detail, "officer %s removed", name);
	return audit_commit(s, rc, AUDIT_USER_DISABLE, obj, detail, err);
}

static int officer_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct officer *o = item;
	(void)ctx, (void)err;
	snprintf(o->name, sizeof o->name, "%s", (const char *)dbq_text(st, 0));
	o->role = dbq_int(st, 1);
	o->created = dbq_int64(st, 2);
	o->failed = dbq_int(st, 3);
	return 0;
}

int officer_list(struct store *s, struct officer **out, size_t *n, struct err *err)
{
	return db_collect(s->db, "SELECT name, role, created, failed FROM officers ORDER BY name",
			  DB_NOARGS, sizeof **out, officer_row, NULL, (void **)out, n, "officers",
			  err);
}

/* The wait after FAILED wrong passwords in a row: none for the first
 * OFFICER_FREE_TRIES, then 30 s doubling up to an hour. */
static int64_t wait_after(int64_t failed)
{
	int64_t w = 30;
	if (failed < OFFICER_FREE_TRIES)
		return 0;
	/* at most 5 minutes: a longer wait would let anyone who can reach
	 * the form keep an officer out for good with one try an hour */
	for (int64_t i = OFFICER_FREE_TRIES; i < failed && w < 300; i++)
		w *= 2;
	return w < 300 ? w : 300;
}

/* Into OUT, a hash of a random password nobody ever held, with the
 * parameters of LIKE (a stored hash; NULL: 64 MiB, t = 3): an unknown name
 * or a waiting account is checked against it, so it takes as long as a
 * known one and can never match. Made once per parameters (a few kept: the
 * officers' hashes may differ after a change of settings), under the
 * caller's hold on the store; the check itself runs on the copy. */
static void dummy_hash(const char *like, char out[crypto_pwhash_STRBYTES])
{
	static struct { char hash[crypto_pwhash_STRBYTES]; unsigned long long m, t; } kept[4];
	static unsigned next;
	unsigned long long m = 65536, t = 3;
	const char *p = like ? strstr(like, "$m=") : NULL;
	uint8_t pw[32];

	if (p)
		sscanf(p, "$m=%llu,t=%llu", &m, &t);
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (kept[i].hash[0] && kept[i].m == m && kept[i].t == t) {
			memcpy(out, kept[i].hash, crypto_pwhash_STRBYTES);
			return;
		}
	out[0] = '\0';
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str(out, (const char *)pw, sizeof pw, t, (size_t)m << 10) == 0) {
		unsigned k = next++ % (sizeof kept / sizeof kept[0]);
		memcpy(kept[k].hash, out, crypto_pwhash_STRBYTES);
		kept[k].m = m;
		kept[k].t = t;
	}
	sodium_memzero(pw, sizeof pw);
}

static void hold_take(const struct officer_hold *h)
{
	if (h)
		h->take(h->ctx);
}

static void hold_give(const struct officer_hold *h)
{
	if (h)
		h->give(h->ctx);
}

static int login_fail(struct store *s, const char *name, bool known, struct err *err)
{
	uint8_t obj[16];
	char detail[96];
	int rc = 0;

	if (db_begin(s->db, err) == 0) {
		if (known)
			rc = db_run(s->db, "UPDATE officers SET failed = failed + 1, last_failed = ?2 "
				    "WHERE name = ?1", "officer attempts",
				    DB_ARGS(DB_TEXT(name), DB_INT(real_now())), err);
		officer_object(name, obj);
		snprintf(detail, sizeof detail, "officer %.32s: sign-in refused (web)",
			 officer_name_valid(name, NULL) == 0 ? name : "(not a valid name)");
		audit_commit(s, rc, AUDIT_LOGIN_FAILED, obj, detail, err);
	}
	return err_set(err, ERR_AUTH, "officer", "wrong name or password, or too many attempts: "
		       "wait a few minutes");
}

/* The reads of a sign-in: the officer's row (KNOWN when it is hers and
 * passes its MAC), and in CHECK the hash the password is checked against:
 * hers, or a dummy like hers when she is unknown or must wait (WAITING). */
static int login_read(struct store *s, const char *name, size_t pw_len, struct officer *o,
		      bool *known, bool *waiting, char check[crypto_pwhash_STRBYTES],
		      struct err *err)
{
	struct dbq *st;
	char sample[crypto_pwhash_STRBYTES] = "";
	uint8_t key[32], mac[MAC_LEN], want[MAC_LEN];
	int64_t last = 0;
	int rc;

	*known = *waiting = false;
	check[0] = '\0';
	if (mac_key(s, key, err) < 0)
		return -1;
	if (officer_name_valid(name, NULL) < 0 || pw_len > OFFICER_PASSWORD_MAX)
		rc = 0;
	else if ((rc = db_row(s->db, "SELECT name, role, created, failed, last_failed, pwhash, mac "
			      "FROM officers WHERE name = ?1", &st, "officer",
			      DB_ARGS(DB_TEXT(name)), err)) < 0) {
		sodium_memzero(key, sizeof key);
		return -1;
	}
	if ((*known = rc == 1)) {
		officer_row(NULL, st, o, NULL);
		last = dbq_int64(st, 4);
		snprintf(check, crypto_pwhash_STRBYTES, "%s", (const char *)dbq_text(st, 5));
		memset(mac, 0, sizeof mac);
		if (dbq_bytes(st, 6) == MAC_LEN)
			memcpy(mac, dbq_blob(st, 6), MAC_LEN);
		db_done(st);
		row_mac(key, o->name, o->role, check, want);
		if (sodium_memcmp(mac, want, MAC_LEN) != 0)
			*known = false;      /* a row not written by the district */
	} else if (db_row(s->db, "SELECT pwhash FROM officers ORDER BY name LIMIT 1", &st, "officer",
			  DB_NOARGS, NULL) == 1) {
		snprintf(sample, sizeof sample, "%s", (const char *)dbq_text(st, 0));
		db_done(st);
	}
	sodium_memzero(key, sizeof key);
	/* as long as a check, so the answer's time tells nothing */
	*waiting = *known && real_now() < last + wait_after(o->failed);
	if (!*known || *waiting)
		dummy_hash(*known ? check : sample[0] ? sample : NULL, check);
	return 0;
}

int officer_login(struct store *s, const char *name, const char *pw, size_t pw_len,
		  uint8_t token[OFFICER_TOKEN_LEN], struct officer *o,
		  const struct officer_hold *hold, struct err *err)
{
	char check[crypto_pwhash_STRBYTES], again[crypto_pwhash_STRBYTES], detail[96];
	uint8_t key[32], mac[MAC_LEN], th[32], obj[16];
	int64_t now = real_now();
	struct officer o2;
	bool known, waiting, ok, known2, waiting2;
	int rc;

	memset(o, 0, sizeof *o);
	hold_take(hold);
	rc = login_read(s, name, pw_len, o, &known, &waiting, check, err);
	hold_give(hold);
	if (rc < 0)
		return -1;
	/* Argon2id without the store: a page or an import goes on meanwhile */
	ok = check[0] && crypto_pwhash_str_verify(check, pw, pw_len) == 0 && known && !waiting;
	hold_take(hold);
	if (ok && db_begin(s->db, err) < 0) {
		sodium_memzero(check, sizeof check);
		hold_give(hold);
		return -1;
	}
	/* In the transaction that makes the session, what was checked must
	 * still be hers: a password changed, an account removed and made
	 * again, a role changed or a wait begun meanwhile (by another process:
	 * the hold is this one's) makes this try fail. */
	if (ok && (login_read(s, name, pw_len, &o2, &known2, &waiting2, again, err) < 0 ||
		   !known2 || waiting2 || strcmp(again, check) != 0 || o2.role != o->role)) {
		db_rollback(s->db);
		ok = false;
		known = false;         /* not her wrong password: nothing counted */
	}
	sodium_memzero(check, sizeof check);
	sodium_memzero(again, sizeof again);
	if (!ok) {
		memset(o, 0, sizeof *o);
		rc = login_fail(s, name, known && !waiting, err);
		hold_give(hold);
		return rc;
	}
	if (mac_key(s, key, err) < 0) {
		db_rollback(s->db);
		hold_give(hold);
		return -1;
	}
	randombytes_buf(token, OFFICER_TOKEN_LEN);
	token_hash(token, th);
	session_mac(key, th, o->name, now, mac);
	sodium_memzero(key, sizeof key);
	/* Old sessions of anyone are swept at each sign-in. */
	rc = db_run(s->db, "DELETE FROM officer_sessions WHERE seen < ?1 OR created < ?2",
		    "officer sessions", DB_ARGS(DB_INT(now - OFFICER_IDLE_SECONDS),
						 DB_INT(now - OFFICER_MAX_SECONDS)), err);
	if (rc >= 0)
		rc = db_run(s->db, "UPDATE officers SET failed = 0 WHERE name = ?1", "officer attempts",
			    DB_ARGS(DB_TEXT(o->name)), err);
	if (rc >= 0)
		rc = db_run(s->db, "INSERT INTO officer_sessions(tok, name, created, seen, mac) "
			    "VALUES(?1, ?2, ?3, ?3, ?4)", "officer session",
			    DB_ARGS(DB_BLOB(th, 32), DB_TEXT(o->name), DB_INT(now), DB_BLOB(mac, MAC_LEN)),
			    err);
	officer_object(o->name, obj);
	snprintf(detail, sizeof detail, "officer %s signs in (web, %s)", o->name,
		 officer_role_name(o->role));
	rc = audit_commit(s, rc, AUDIT_LOGIN, obj, detail, err);
	hold_give(hold);
	if (rc < 0) {
		sodium_memzero(token, OFFICER_TOKEN_LEN);
		return -1;
	}
	o->failed = 0;
	return 0;
}

int officer_session(struct store *s, const uint8_t token[OFFICER_TOKEN_LEN], struct officer *o,
		    struct err *err)
{
	struct dbq *st;
	uint8_t th[32], key[32], mac[MAC_LEN], want[MAC_LEN], omac[MAC_LEN], owant[MAC_LEN];
	char hash[crypto_pwhash_STRBYTES];
	int64_t created, seen, now = real_now();
	int rc;

	memset(o, 0, sizeof *o);
	if (mac_key(s, key, err) < 0)
		return -1;
	token_hash(token, th);
	rc = db_row(s->db, "SELECT o.name, o.role, o.created, o.failed, s.created, s.seen, s.mac, "
		    "o.pwhash, o.mac FROM officer_sessions s JOIN officers o ON o.name = s.name "
		    "WHERE s.tok = ?1", &st, "officer session", DB_ARGS(DB_BLOB(th, 32)), err);
	if (rc <= 0) {
		sodium_memzero(key, sizeof key);
		return rc;
	}
	officer_row(NULL, st, o, NULL);
	created = dbq_int64(st, 4);
	seen = dbq_int64(st, 5);
	memset(mac, 0, sizeof mac);
	memset(omac, 0, sizeof omac);
	if (dbq_bytes(st, 6) == MAC_LEN)
		memcpy(mac, dbq_blob(st, 6), MAC_LEN);
	snprintf(hash, sizeof hash, "%s", (const char *)dbq_text(st, 7));
	if (dbq_bytes(st, 8) == MAC_LEN)
		memcpy(omac, dbq_blob(st, 8), MAC_LEN);
	db_done(st);
	session_mac(key, th, o->name, created, want);
	row_mac(key, o->name, o->role, hash, owant);
	sodium_memzero(key, sizeof key);
	if (sodium_memcmp(mac, want, MAC_LEN) != 0 || sodium_memcmp(omac, owant, MAC_LEN) != 0 ||
	    now - seen > OFFICER_IDLE_SECONDS || now - created > OFFICER_MAX_SECONDS ||
	    now < created) {
		memset(o, 0, sizeof *o);
		return 0;
	}
	/* The last use, once a minute at most (a write per page is not needed). */
	if (now - seen >= 60 &&
	    db_run(s->db, "UPDATE officer_sessions SET seen = ?2 WHERE tok = ?1", "officer session",
		   DB_ARGS(DB_BLOB(th, 32), DB_INT(now)), err) < 0)
		return -1;
	return 1;
}

int officer_logout(struct store *s, const uint8_t token[OFFICER_TOKEN_LEN], struct err *err)
{
	uint8_t th[32];
	token_hash(token, th);
	return db_run(s->db, "DELETE FROM officer_sessions WHERE tok = ?1", "officer session",
		      DB_ARGS(DB_BLOB(th, 32)), err);
}

/* ---- sync status ---- */

static int seen_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct sync_seen *r = item;
	(void)ctx, (void)err;
	db_col16(st, 0, r->device);
	r->last_received = dbq_int64(st, 1);
	r->last_seq = (uint64_t)dbq_int64(st, 2);
	r->last_rseq = (uint64_t)dbq_int64(st, 3);
	r->since = dbq_int64(st, 4);
	return 0;
}

int sync_seen_list(struct store *s, int64_t since, struct sync_seen **out, size_t *n,
		   struct err *err)
{
	return db_collect(s->db, "SELECT sender, max(received_at), max(seq), coalesce(max(rseq), 0), "
			  "sum(CASE WHEN received_at >= ?1 THEN 1 ELSE 0 END) FROM sync_bundles "
			  "GROUP BY sender ORDER BY sender", DB_ARGS(DB_INT(since)), sizeof **out,
			  seen_row, NULL, (void **)out, n, "sync status", err);
}
