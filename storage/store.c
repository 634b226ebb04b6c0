/* storage/store.c: creating, opening and unlocking a store; users and PINs. */
#include "storage/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/codes.h"
#include "core/valid.h"
#include "storage/codec.h"
#include "core/banned.h"

static const char *const role_codes[] = {
	[ROLE_KADER] = "kader", [ROLE_TRAINER] = "trainer", [ROLE_ADMIN] = "admin",
};

const char *role_code(enum role r)
{
	return code_name(role_codes, ROLE_KADER, ROLE_ADMIN, (int)r);
}

int role_from_code(const char *code)
{
	return code_value(role_codes, ROLE_KADER, ROLE_ADMIN, code);
}

/* ---- paths and files ---- */

static int db_path(const char *dir, const char *name, char *buf, size_t size, struct err *err)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		return err_set(err, ERR_RANGE, "data", "data directory path too long");
	return 0;
}

bool store_exists(const char *dir)
{
	char path[600];
	struct stat st;
	return db_path(dir, STORE_DB, path, sizeof path, NULL) == 0 && stat(path, &st) == 0;
}

static int fsync_dir(const char *dir, struct err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : fsync(fd);
	if (fd >= 0)
		close(fd);
	return rc < 0 ? err_set(err, ERR_IO, "data", "%s: %s", dir, strerror(errno)) : 0;
}

/* mkdir -p with mode 0700 for the last component. */
int make_dir(const char *dir, struct err *err)
{
	char buf[512];
	size_t len = strlen(dir);

	if (len >= sizeof buf)
		return err_set(err, ERR_RANGE, "data", "data directory path too long");
	memcpy(buf, dir, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return err_set(err, ERR_IO, "data", "%s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0) {
		if (errno == EEXIST)
			return 0;
		return err_set(err, ERR_IO, "data", "%s: %s", buf, strerror(errno));
	}
	/* A new directory: make its entry in the parent durable too. */
	char *slash = strrchr(buf, '/');
	if (slash == buf)
		return fsync_dir("/", err);
	if (slash) {
		*slash = '\0';
		return fsync_dir(buf, err);
	}
	return fsync_dir(".", err);
}

/* ---- meta ---- */

/* Meta KEY, which every store has: ERR_CRYPTO without it. */
static int meta_need(struct db *db, const char *key, void *out, size_t size, size_t *len,
		     struct err *err)
{
	int rc = meta_get(db, key, out, size, len, err);
	if (rc == 0)
		return err_set(err, ERR_CRYPTO, NULL, "store lacks %s", key);
	return rc < 0 ? -1 : 0;
}

#define PROFILE_FIELDS(X) X(code) X(name) X(desa) X(kecamatan) X(puskesmas) X(kabupaten)

static int profile_save(struct db *db, const struct store_profile *p, struct err *err)
{
#define PUT(f) if (meta_put(db, "profile." #f, p->f, strlen(p->f), err) < 0) return -1;
	PROFILE_FIELDS(PUT)
#undef PUT
	return 0;
}

static int profile_load(struct db *db, struct store_profile *p, struct err *err)
{
	size_t n;
	memset(p, 0, sizeof *p);
#define GET(f) if (meta_need(db, "profile." #f, p->f, sizeof p->f - 1, &n, err) < 0) return -1; \
	p->f[n] = '\0';
	PROFILE_FIELDS(GET)
#undef GET
	return 0;
}

const struct store_profile *store_get_profile(const struct store *s)
{
	return &s->profile;
}

const uint8_t *store_device_id(const struct store *s)
{
	return s->device_id;
}

/* ---- the device's own key pairs, sealed under K_admin ---- */

#define DEVKEY_DOMAIN "posyandu/v1/devkey"

static int device_keys_create(struct store *s, uint8_t sign_pk[crypto_sign_PUBLICKEYBYTES],
			      struct err *err)
{
	uint8_t box_pk[crypto_box_PUBLICKEYBYTES];
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	uint8_t ad[sizeof DEVKEY_DOMAIN - 1 + 16];
	uint8_t ct[crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES +
		   crypto_aead_xchacha20poly1305_ietf_ABYTES];
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES);
	unsigned long long clen;
	uint8_t blob[sizeof nonce + sizeof ct];
	int rc;

	if (!sk)
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	crypto_sign_keypair(sign_pk, sk);
	crypto_box_keypair(box_pk, sk + crypto_sign_SECRETKEYBYTES);
	randombytes_buf(nonce, sizeof nonce);
	memcpy(ad, DEVKEY_DOMAIN, sizeof DEVKEY_DOMAIN - 1);
	memcpy(ad + sizeof DEVKEY_DOMAIN - 1, s->store_id, 16);
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, sk,
						   crypto_sign_SECRETKEYBYTES + crypto_box_SECRETKEYBYTES,
						   ad, sizeof ad, NULL, nonce, s->keys->admin);
	sodium_free(sk);
	memcpy(blob, nonce, sizeof nonce);
	memcpy(blob + sizeof nonce, ct, (size_t)clen);
	rc = meta_put(s->db, "device.sign_pk", sign_pk, crypto_sign_PUBLICKEYBYTES, err);
	if (!rc)
		rc = meta_put(s->db, "device.box_pk", box_pk, sizeof box_pk, err);
	if (!rc)
		rc = meta_put(s->db, "device.secret", blob, sizeof nonce + (size_t)clen, err);
	return rc;
}

/* ---- create, open, close ---- */

struct store *store_alloc(const char *dir, struct err *err)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (strlen(dir) >= sizeof s->dir) {
		free(s);
		err_set(err, ERR_RANGE, "data", "data directory path too long");
		return NULL;
	}
	memcpy(s->dir, dir, strlen(dir) + 1);
	codec_init();
	return s;
}

static int insert_user(struct store *s, const uint8_t uuid[16], const char *label, enum role role,
		       const struct slot *sl, struct err *err)
{
	if (db_run(s->db, "INSERT INTO users(uuid, label, role, alg, opslimit, memlimit, salt, "
		   "nonce, wrapped) VALUES(?,?,?,1,?,?,?,?,?)", "add user",
		   DB_ARGS(DB_UUID(uuid), DB_TEXT(label), DB_INT(role), DB_INT(sl->opslimit),
			   DB_INT(sl->memlimit), DB_BLOB(sl->salt, sizeof sl->salt),
			   DB_BLOB(sl->nonce, sizeof sl->nonce), DB_BLOB(sl->ct, sl->ct_len)),
		   err) == 0)
		return 0;
	if ((db_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT)
		return err_set(err, ERR_EXISTS, "user", "user \"%s\" exists", label);
	return -1;
}

int init_store(struct store *s, const struct store_profile *profile, const char *admin,
		      const char *pin, size_t pin_len, const struct kdf_params *kdf,
		      struct err *err)
{
	struct slot sl;

	if (!(s->keys = keys_new()))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	randombytes_buf(s->keys->data, KEY_LEN);
	randombytes_buf(s->keys->quiz, KEY_LEN);
	randombytes_buf(s->keys->admin, KEY_LEN);
	randombytes_buf(s->keys->seed, KEY_LEN);
	s->keys->has_quiz = s->keys->has_admin = s->keys->has_seed = true;
	s->keys->epoch = 1;
	keys_derive(s->keys);
	randombytes_buf(s->store_id, 16);
	randombytes_buf(s->device_id, 16);
	s->profile = *profile;

	randombytes_buf(s->user.uuid, 16);
	snprintf(s->user.label, sizeof s->user.label, "%s", admin);
	s->user.role = ROLE_ADMIN;
	s->user.kdf = *kdf;
	if (db_begin(s->db, err) < 0)
		return -1;
	/* The first admin's slot pins the device key made here; her
	 * certificate is the first thing that key signs. */
	if (meta_put(s->db, "store_id", s->store_id, 16, err) < 0 ||
	    meta_put(s->db, "device_id", s->device_id, 16, err) < 0 ||
	    profile_save(s->db, profile, err) < 0 ||
	    device_keys_create(s, s->keys->pinned, err) < 0 ||
	    vault_wrap(s->keys, ROLE_ADMIN, s->store_id, s->user.uuid, s->keys->seed,
		       s->keys->pinned, pin, pin_len, kdf, &sl, err) < 0 ||
	    insert_user(s, s->user.uuid, admin, ROLE_ADMIN, &sl, err) < 0 ||
	    cert_provision(s, s->user.uuid, ROLE_ADMIN, s->keys->seed, err) < 0 ||
	    audit_append(s, AUDIT_INIT, s->store_id, profile->code, err) < 0 ||
	    audit_append(s, AUDIT_USER_ADD, s->user.uuid, "admin", err) < 0) {
		sodium_memzero(&sl, sizeof sl);
		db_rollback(s->db);
		return -1;
	}
	sodium_memzero(&sl, sizeof sl);
	return db_commit(s->db, err);
}

struct store *store_create(const char *dir, const struct store_profile *profile,
			   const char *admin, const char *pin, size_t pin_len,
			   const struct kdf_params *kdf, struct err *err)
{
	return store_create_at(dir, NULL, profile, admin, pin, pin_len, kdf, err);
}

/* The store is built under a temporary name and renamed into place only once
 * complete, so an interrupted init never leaves a half store behind. */
struct store *store_create_at(const char *dir, const struct store_open_opts *opts,
			      const struct store_profile *profile,
			      const char *admin, const char *pin, size_t pin_len,
			      const struct kdf_params *kdf, struct err *err)
{
	char tmp[600], final[600], side[640];
	struct store *s;
	int rc, wal_log = -1, wal_done = -1;

	if (valid_user_label(admin, err) < 0 || valid_posyandu_code(profile->code, err) < 0)
		return NULL;
	if (opts && opts->url && *opts->url)
		return create_pg(dir, opts->url, profile, admin, pin, pin_len, kdf, err);
	if (make_dir(dir, err) < 0 || !(s = store_alloc(dir, err)))
		return NULL;
	if (db_path(dir, STORE_DB, final, sizeof final, err) < 0 ||
	    db_path(dir, STORE_DB ".init", tmp, sizeof tmp, err) < 0)
		goto fail_free;
	if (store_exists(dir)) {
		err_set(err, ERR_EXISTS, "data", "%s already holds a store", dir);
		goto fail_free;
	}
	/* Leftovers of an init that was interrupted. */
	unlink(tmp);
	snprintf(side, sizeof side, "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", tmp);
	unlink(side);

	if (!(s->db = db_open(tmp, true, NULL, err)) || migrate_run(s->db, 0, err) < 0)
		goto fail;
	/* Fold the schema's steps into the file now: the log would otherwise
	 * hold every step's copy of the same pages until the end of init. */
	db_checkpoint(s->db, NULL, NULL);
	if (init_store(s, profile, admin, pin, pin_len, kdf, err) < 0)
		goto fail;
	/* Fold the WAL into the file, close, and move it into place. The WAL
	 * may go only once every frame is in the file: on a full disk the
	 * checkpoint fails, and the half store is removed instead. */
	rc = db_checkpoint(s->db, &wal_log, &wal_done);
	if (rc != SQLITE_OK || wal_log != 0) {
		if (rc == SQLITE_OK)
			rc = SQLITE_BUSY;
		db_fail(err, s->db, rc, "checkpoint");
		goto fail;
	}
	db_close(s->db);
	s->db = NULL;
	snprintf(side, sizeof side, "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", tmp);
	unlink(side);
	if (rename(tmp, final) < 0) {
		err_set(err, ERR_IO, "data", "%s: %s", final, strerror(errno));
		goto fail;
	}
	if (fsync_dir(dir, err) < 0 || !(s->db = db_open(final, false, NULL, err)))
		goto fail;
	return s;
fail:
	if (s->db)
		db_close(s->db);
	s->db = NULL;
	unlink(tmp);
	snprintf(side, sizeof side, "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", tmp);
	unlink(side);
fail_free:
	store_close(s);
	return NULL;
}

struct store *store_open(const char *dir, const struct store_open_opts *opts, struct err *err)
{
	char path[600];
	struct store *s;
	size_t n;

	if (!(s = store_alloc(dir, err)))
		return NULL;
	if (opts && opts->url && *opts->url) {
		int rc;
		/* DIR: this process's own files (spool, outbox), made here */
		if ((!(s->url = strdup(opts->url)) && err_set(err, ERR_NOMEM, NULL, "out of memory")) ||
		    make_dir(dir, err) < 0 ||
		    !(s->db = db_open_url(opts->url, err)) ||
		    (rc = pg_has_tables(s->db, err)) < 0)
			goto fail;
		if (rc == 0) {
			err_set(err, ERR_NOTFOUND, "store", "the PostgreSQL database holds no store");
			goto fail;
		}
	} else if (db_path(dir, STORE_DB, path, sizeof path, err) < 0) {
		goto fail;
	} else if (!store_exists(dir)) {
		err_set(err, ERR_NOTFOUND, "data", "%s holds no store", dir);
		goto fail;
	} else if (!(s->db = db_open(path, false, opts, err))) {
		goto fail;
	}
	if (migrate_run(s->db, 0, err) < 0 ||
	    meta_need(s->db, "store_id", s->store_id, 16, &n, err) < 0 ||
	    meta_need(s->db, "device_id", s->device_id, 16, &n, err) < 0 ||
	    profile_load(s->db, &s->profile, err) < 0)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sync_aimp_free(s);
	store_vref_free(s);
	keys_free(s->keys);
	if (s->db)
		db_close(s->db);
	if (s->url)             /* it may hold a password */
		sodium_memzero(s->url, strlen(s->url));
	free(s->url);
	sodium_memzero(s, sizeof *s);
	free(s);
}

void store_checkpoint(struct store *s)
{
	if (s && s->db)
		db_checkpoint(s->db, NULL, NULL);
}

size_t store_release_memory(struct store *s)
{
	if (!s || !s->db)
		return 0;
	return db_release_memory(s->db);
}

/* ---- users ---- */

/* SECURITY.md §2.13: min(30 s × 2^(n−5), 15 min) for n ≥ 5 wrong PINs. */
static int64_t pin_delay(int failed)
{
	if (failed < 5)
		return 0;
	if (failed >= 10)
		return 15 * 60;
	int64_t d = (int64_t)30 << (failed - 5);
	return d > 15 * 60 ? 15 * 60 : d;
}

static int64_t wait_left(int failed, int64_t last, int64_t now)
{
	int64_t d = pin_delay(failed);
	if (!d)
		return 0;
	if (now < last)            /* the clock went back (no RTC): count from now */
		return d;
	return last + d > now ? last + d - now : 0;
}

#define USER_COLS "uuid, label, role, opslimit, memlimit, salt, nonce, wrapped, failed, last_failed"

static void user_row(struct dbq *st, struct store_user *u, struct slot *sl, int64_t now)
{
	memset(u, 0, sizeof *u);
	if (dbq_bytes(st, 0) == 16)
		memcpy(u->uuid, dbq_blob(st, 0), 16);
	snprintf(u->label, sizeof u->label, "%s", dbq_text(st, 1));
	u->role = (enum role)dbq_int(st, 2);
	u->kdf.opslimit = (uint64_t)dbq_int64(st, 3);
	u->kdf.memlimit = (size_t)dbq_int64(st, 4);
	u->disabled = dbq_type(st, 7) == SQLITE_NULL;
	u->failed = dbq_int(st, 8);
	u->wait_s = wait_left(u->failed, dbq_int64(st, 9), now);
	if (sl) {
		memset(sl, 0, sizeof *sl);
		sl->opslimit = u->kdf.opslimit;
		sl->memlimit = u->kdf.memlimit;
		if (dbq_bytes(st, 5) == sizeof sl->salt)
			memcpy(sl->salt, dbq_blob(st, 5), sizeof sl->salt);
		if (dbq_bytes(st, 6) == sizeof sl->nonce)
			memcpy(sl->nonce, dbq_blob(st, 6), sizeof sl->nonce);
		if (!u->disabled && (size_t)dbq_bytes(st, 7) <= sizeof sl->ct) {
			sl->ct_len = (size_t)dbq_bytes(st, 7);
			memcpy(sl->ct, dbq_blob(st, 7), sl->ct_len);
		}
	}
}

static int users_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	(void)err;
	user_row(st, item, NULL, *(const int64_t *)ctx);
	return 0;
}

int store_users(struct store *s, struct store_user **out, size_t *n, struct err *err)
{
	int64_t now = (int64_t)time(NULL);  /* real time: the PIN back-off (storage/clock.h) */
	uint8_t pinned[32];
	size_t len;
	int rc, role;

	if (db_collect(s->db, "SELECT " USER_COLS " FROM users ORDER BY label", DB_NOARGS,
		       sizeof **out, users_row, &now, (void **)out, n, "users", err) < 0)
		return -1;
	/* The role is the certified one, not users.role (plain data): the
	 * session's pinned key, or before a login the store's device key. */
	if (s->keys) {
		memcpy(pinned, s->keys->pinned, 32);
		rc = 1;
	} else {
		rc = meta_get(s->db, "device.sign_pk", pinned, sizeof pinned, &len, NULL);
		if (rc < 0 || (rc == 1 && len != 32))
			rc = 0;     /* no key to check against: the columns as stored */
	}
	for (size_t i = 0; rc > 0 && i < *n; i++) {
		struct store_user *u = &(*out)[i];

		if ((rc = cert_role(s, pinned, u->uuid, -1, &role, err)) < 0)
			break;
		if (rc == 1 && role != (int)u->role) {
			u->role = (enum role)role;
			u->tampered = true;
		} else if (rc == 2) {
			u->tampered = true;
		}
		rc = 1;
	}
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static int find_user(struct store *s, const char *label, struct store_user *u, struct slot *sl,
		     struct err *err)
{
	struct dbq *st;
	int rc = db_row(s->db, "SELECT " USER_COLS " FROM users WHERE label = ?", &st, "user",
			DB_ARGS(DB_TEXT(label)), err);
	if (rc == 0)
		return err_set(err, ERR_NOTFOUND, "user", "no user \"%s\"", label);
	if (rc < 0)
		return -1;
	user_row(st, u, sl, (int64_t)time(NULL));   /* real time: the PIN back-off */
	db_done(st);
	return 0;
}

void store_lock(struct store *s)
{
	if (!s)
		return;
	store_batch_abort(s);
	store_vref_free(s);
	keys_free(s->keys);
	s->keys = NULL;
	sodium_memzero(&s->user, sizeof s->user);
}

bool store_unlocked(const struct store *s)
{
	return s && s->keys;
}

const struct store_user *store_session(const struct store *s)
{
	return s && s->keys ? &s->user : NULL;
}

static int update_slot(struct store *s, const uint8_t uuid[16], const struct slot *sl,
		       struct err *err)
{
	return db_run(s->db, "UPDATE users SET alg = 1, opslimit = ?, memlimit = ?, salt = ?, "
		      "nonce = ?, wrapped = ? WHERE uuid = ?", "slot",
		      DB_ARGS(DB_INT(sl->opslimit), DB_INT(sl->memlimit),
			      DB_BLOB(sl->salt, sizeof sl->salt), DB_BLOB(sl->nonce, sizeof sl->nonce),
			      DB_BLOB(sl->ct, sl->ct_len), DB_UUID(uuid)), err);
}

/* A v1 slot (keys only, no seed, no pinned key) just opened: an admin's is
 * re-wrapped as v2 into SL with a new seed and the store's device key (which
 * cert_check then proves against her K_admin); anyone else's is refused
 * until an admin resets the PIN. */
static int legacy_slot(struct store *s, const char *pin, size_t pin_len, struct slot *sl,
		       struct err *err)
{
	size_t n;
	int rc;

	if (s->user.role != ROLE_ADMIN)
		return err_set(err, ERR_CRYPTO, "user-legacy",
			       "slot made before certificates: an admin must reset the PIN");
	rc = meta_get(s->db, "device.sign_pk", s->keys->pinned, KEY_LEN, &n, err);
	if (rc <= 0 || n != KEY_LEN)
		return rc < 0 ? -1 : err_set(err, ERR_CRYPTO, "device-key", "store lacks its key");
	randombytes_buf(s->keys->seed, KEY_LEN);
	s->keys->has_seed = true;
	return vault_wrap(s->keys, ROLE_ADMIN, s->store_id, s->user.uuid, s->keys->seed,
			  s->keys->pinned, pin, pin_len, &s->user.kdf, sl, err);
}

int store_login(struct store *s, const char *label, const char *pin, size_t pin_len,
		int64_t *wait_s, struct err *err)
{
	struct store_user u;
	struct slot sl;
	struct keys *k = NULL;
	int64_t now = (int64_t)time(NULL);  /* real time: the PIN back-off */
	char detail[48];
	uint64_t missing = 0;
	bool upgrade, rotated, moved = false, checked = false;
	enum store_ro ro;

	if (wait_s)
		*wait_s = 0;
	store_lock(s);
	/* Count the attempt and commit it before the key derivation; on a
	 * read-only store it cannot be counted (posyandu(1) "READ-ONLY STORAGE"). */
	ro = store_read_only(s);
	if (!ro && db_begin(s->db, err) < 0)
		return -1;
	if (find_user(s, label, &u, &sl, err) < 0)
		goto fail;
	if (u.disabled) {
		err_set(err, ERR_DISABLED, "user", "user \"%s\" is disabled", label);
		goto fail;
	}
	if (u.wait_s > 0) {
		if (wait_s)
			*wait_s = u.wait_s;
		err_set(err, ERR_LOCKED, "pin", "%lld s", (long long)u.wait_s);
		goto fail;
	}
	if (!ro && (db_run(s->db, "UPDATE users SET failed = failed + 1, last_failed = ? WHERE uuid = ?",
			   "count attempt", DB_ARGS(DB_INT(now), DB_UUID(u.uuid)), err) < 0 ||
		    db_commit(s->db, err) < 0)) {
		db_rollback(s->db);
		/* A full disk: read, but count nothing and write nothing. */
		if (!err || err->code != ERR_FULL || db_read_only_session(s->db) < 0)
			return -1;
		ro = STORE_RO_FULL;
	}

	if (!(k = keys_new()))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	if (vault_unwrap(&sl, u.role, s->store_id, u.uuid, pin, pin_len, k, err) < 0) {
		keys_free(k);
		if (wait_s && err && err->code == ERR_AUTH && !ro)
			*wait_s = pin_delay(u.failed + 1);
		return -1;
	}

	/* The PIN was right. */
	s->keys = k;
	s->user = u;
	s->user.failed = 0;
	s->user.wait_s = 0;
	upgrade = !k->has_seed;
	if (ro) {
		/* Nothing may be written (no reset, no entry, no upgrade), but
		 * every check holds: a slot an admin did not authorise opens
		 * nothing on a read-only copy either. */
		if ((upgrade ? legacy_slot(s, pin, pin_len, &sl, err) < 0 ||
			       cert_check_device(s, k, err) < 0
			     : devkey_follow(s, k, &moved, err) < 0 ||
			       cert_check(s, k, &u, err) < 0) ||
		    rotate_login(s, k, &u, pin, pin_len, false, moved, &rotated, err) < 0 ||
		    integrity_check(s, &missing, err) < 0)
			goto fail_locked;
		return 0;
	}
	if (upgrade && legacy_slot(s, pin, pin_len, &sl, err) < 0)
		goto fail_locked;
	if (db_begin(s->db, err) < 0)
		goto fail_locked;
	if (db_run(s->db, "UPDATE users SET failed = 0, last_failed = 0 WHERE uuid = ?",
		   "reset attempts", DB_ARGS(DB_UUID(u.uuid)), err) < 0)
		goto fail_tx;
	/* A slot made before certificates: an admin's proves itself (cert_check
	 * opens the device secret with its K_admin), so it is certified now. */
	if (upgrade && (update_slot(s, u.uuid, &sl, err) < 0 ||
			cert_provision(s, u.uuid, u.role, k->seed, err) < 0))
		goto fail_tx;
	/* The slot must pin this store's device key and hold the seed of a
	 * certificate that key signed (issue 13.4). */
	if (!upgrade && devkey_follow(s, k, &moved, err) < 0)
		goto fail_tx;
	if (cert_check(s, k, &u, err) < 0)
		goto fail_tx;
	/* A data key rotated since her last login (storage/rotate.c): her
	 * pending update opens with her seed, and her slot takes the new key;
	 * a device key replaced (storage/devkey.c): her slot pins the new one. */
	if (rotate_login(s, k, &u, pin, pin_len, true, moved, &rotated, err) < 0 ||
	    integrity_check(s, &missing, err) < 0)
		goto fail_tx;
	checked = !upgrade;      /* an upgrade rolled back has no certificate */
	/* The failures the counter had seen go into her signed entry. */
	if (u.failed > 0) {
		snprintf(detail, sizeof detail, "%d wrong PIN(s) before this login", u.failed);
		if (audit_append(s, AUDIT_LOGIN_FAILED, u.uuid, detail, err) < 0)
			goto fail_tx;
	}
	if (upgrade && audit_append(s, AUDIT_KEY, u.uuid, "slot v2: certified by the device key",
				    err) < 0)
		goto fail_tx;
	if (s->warn && audit_append(s, AUDIT_INTEGRITY, u.uuid, s->warn_detail, err) < 0)
		goto fail_tx;
	if (audit_append(s, AUDIT_LOGIN, u.uuid, NULL, err) < 0 || db_commit(s->db, err) < 0)
		goto fail_tx;
	return 0;
fail_tx:
	db_rollback(s->db);
	/* Every check held, but the disk filled under the login's own writes
	 * (the attempt counter fitted, the entry did not): a read-only session,
	 * as when the counter does not fit. */
	if (checked && err && err->code == ERR_FULL && db_read_only_session(s->db) == 0)
		return 0;
fail_locked:
	store_lock(s);
	return -1;
fail:
	db_rollback(s->db);
	return -1;
}

int need_admin(const struct store *s, struct err *err)
{
	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	if (!s->keys->has_admin || s->user.role != ROLE_ADMIN)
		return err_set(err, ERR_DENIED, NULL, "needs an admin");
	return 0;
}

int store_user_add(struct store *s, const char *label, enum role role,
		   const char *pin, size_t pin_len, const struct kdf_params *kdf, struct err *err)
{
	uint8_t uuid[16];
	uint8_t *seed;
	struct slot sl;
	/* The district's recovery (storage/recover.c) opens the keys without a
	 * user: no seed, so nobody to sign the entry. The admin it makes
	 * becomes the session first, and signs her own first entry. */
	bool become = !s->keys || !s->keys->has_seed;
	int rc;

	if (need_admin(s, err) < 0 || valid_user_label(label, err) < 0)
		return -1;
	if (role < ROLE_KADER || role > ROLE_ADMIN)
		return err_set(err, ERR_RANGE, "role", "unknown role");
	if (become && role != ROLE_ADMIN)
		return err_set(err, ERR_DENIED, NULL, "only an admin can be made without a session");
	if (!(seed = sodium_malloc(KEY_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	/* Her own seed, which only her slot holds; her certificate by the
	 * device key (which only an admin session can use). */
	randombytes_buf(seed, KEY_LEN);
	randombytes_buf(uuid, sizeof uuid);
	rc = vault_wrap(s->keys, role, s->store_id, uuid, seed, s->keys->pinned, pin, pin_len, kdf,
			&sl, err);
	if (rc == 0)
		rc = db_begin(s->db, err);
	if (rc == 0) {
		rc = insert_user(s, uuid, label, role, &sl, err);
		if (rc == 0)
			rc = cert_provision(s, uuid, role, seed, err);
		if (rc == 0 && become) {
			memcpy(s->keys->seed, seed, KEY_LEN);
			s->keys->has_seed = true;
			memset(&s->user, 0, sizeof s->user);
			memcpy(s->user.uuid, uuid, 16);
			snprintf(s->user.label, sizeof s->user.label, "%s", label);
			s->user.role = role;
			s->user.kdf = *kdf;
		}
		rc = audit_commit(s, rc, AUDIT_USER_ADD, uuid, role_code(role), err);
	}
	sodium_free(seed);
	return rc;
}

/* The role an admin's reset of U may seal into her new slot: the role of
 * her current certificate (verified under the session's pinned key). When
 * users.role says otherwise, or her certificate is gone or forged, it was
 * changed outside the app: ERR_CRYPTO "user-role", nothing is written. A
 * user with no certificate at all (a slot made before certificates) can
 * only be reset as a kader: nothing vouches for a higher role. */
static int reset_role(struct store *s, struct store_user *u, struct err *err)
{
	int role = 0;
	int rc = cert_role(s, s->keys->pinned, u->uuid, -1, &role, err);

	if (rc < 0)
		return -1;
	if ((rc == 1 && role != (int)u->role) || rc == 2 ||
	    (rc == 0 && u->role != ROLE_KADER))
		return err_set(err, ERR_CRYPTO, "user-role",
			       "the role of \"%s\" was changed outside the app", u->label);
	return 0;
}

int store_user_passwd(struct store *s, const char *label, const char *pin, size_t pin_len,
		      const struct kdf_params *kdf, struct err *err)
{
	struct store_user u;
	struct slot sl;
	uint8_t *seed;
	bool self;
	int rc;

	if (!s->keys)
		return err_set(err, ERR_DENIED, NULL, "store is locked");
	if (find_user(s, label, &u, NULL, err) < 0)
		return -1;
	self = sodium_memcmp(u.uuid, s->user.uuid, 16) == 0;
	if (!self && need_admin(s, err) < 0)
		return -1;
	/* An admin's reset certifies the role again: take it from her current
	 * certificate, never from users.role, which a kader can edit. */
	if (!self && reset_role(s, &u, err) < 0)
		return -1;
	if (!(seed = sodium_malloc(KEY_LEN)))
		return err_set(err, ERR_NOMEM, NULL, "sodium_malloc");
	/* Her own change keeps her seed; an admin's reset is a new seed and a
	 * new certificate generation (the old one stays for her old entries). */
	if (self)
		memcpy(seed, s->keys->seed, KEY_LEN);
	else
		randombytes_buf(seed, KEY_LEN);
	if (vault_wrap(s->keys, u.role, s->store_id, u.uuid, seed, s->keys->pinned, pin, pin_len,
		       kdf, &sl, err) < 0 || db_begin(s->db, err) < 0) {
		sodium_free(seed);
		return -1;
	}
	rc = self ? 0 : cert_provision(s, u.uuid, u.role, seed, err);
	sodium_free(seed);
	if (rc < 0) {
		db_rollback(s->db);
		return -1;
	}
	rc = db_run(s->db, "UPDATE users SET alg = 1, opslimit = ?, memlimit = ?, salt = ?, "
		    "nonce = ?, wrapped = ?, failed = 0, last_failed = 0 WHERE uuid = ?", "passwd",
		    DB_ARGS(DB_INT(sl.opslimit), DB_INT(sl.memlimit), DB_BLOB(sl.salt, sizeof sl.salt),
			    DB_BLOB(sl.nonce, sizeof sl.nonce), DB_BLOB(sl.ct, sl.ct_len),
			    DB_UUID(u.uuid)), err);
	/* the new slot holds the current data key: a pending update is moot */
	if (rc == 0)
		rc = db_run(s->db, "DELETE FROM key_updates WHERE user = ?", "key update",
			    DB_ARGS(DB_UUID(u.uuid)), err);
	return audit_commit(s, rc, AUDIT_USER_PASSWD, u.uuid,
			    u.disabled ? "re-enabled with a new PIN by admin"
			    : sodium_memcmp(u.uuid, s->user.uuid, 16) ? "reset by admin" : "changed",
			    err);
}

int store_user_disable(struct store *s, const char *label, struct err *err)
{
	struct store_user u;
	int64_t admins;
	int rc;

	if (need_admin(s, err) < 0 || find_user(s, label, &u, NULL, err) < 0)
		return -1;
	if (u.disabled)
		return 0;
	if (db_begin(s->db, err) < 0)
		return -1;
	if (u.role == ROLE_ADMIN) {
		rc = db_int(s->db, "SELECT count(*) FROM users WHERE role = 3 AND wrapped IS NOT NULL",
			    &admins, "admins", DB_NOARGS, err);
		if (rc == 0 && admins <= 1)
			rc = err_set(err, ERR_DENIED, "user", "the last admin cannot be disabled");
		if (rc < 0) {
			db_rollback(s->db);
			return -1;
		}
	}
	/* Deleting the slot is the whole of it: without it no PIN opens anything. */
	rc = db_run(s->db, "UPDATE users SET wrapped = NULL, salt = zeroblob(16), "
		    "nonce = zeroblob(24) WHERE uuid = ?", "disable", DB_ARGS(DB_UUID(u.uuid)), err);
	/* nor any data key waiting for her (storage/rotate.c) */
	if (rc == 0)
		rc = db_run(s->db, "DELETE FROM key_updates WHERE user = ?", "key update",
			    DB_ARGS(DB_UUID(u.uuid)), err);
	return audit_commit(s, rc, AUDIT_USER_DISABLE, u.uuid, NULL, err);
}
