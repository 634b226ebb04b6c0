/* storage/internal.h: what the storage modules share. Not for other layers. */
#ifndef POSYANDU_STORAGE_INTERNAL_H
#define POSYANDU_STORAGE_INTERNAL_H

#include <sodium.h>
#include <sqlite3.h>

#include "storage/store.h"

#define KEY_LEN 32
/* An audit signing state: index (8) and the current crypto_sign secret key. */
#define ASTATE_LEN (8 + 64)
#define STORE_DB "posyandu.db"

/* The keys of an unlocked session, in one sodium_malloc block. Which role
 * keys are present is the role: a kader slot has no quiz or admin key. */
struct keys {
	uint8_t data[KEY_LEN];     /* K_data: records and audit */
	uint8_t quiz[KEY_LEN];     /* K_quiz: trainer, admin */
	uint8_t admin[KEY_LEN];    /* K_admin: admin (wraps the device secret keys) */
	uint8_t rec[KEY_LEN];      /* kdf(K_data, "pyrecord") */
	uint8_t audit[KEY_LEN];    /* kdf(K_data, "pyaudit_"): the chain hash key (not a signature) */
	/* Slot v2 (SECURITY.md §2.2): the user's own secret, which no other
	 * user's slot holds, and the device signing key the slot was made for. */
	uint8_t seed[KEY_LEN];     /* per-user seed: box key, audit state key */
	uint8_t pinned[KEY_LEN];   /* device Ed25519 public key, pinned in the slot */
	/* Scratch for each audit entry's one-time keys and sealed state, here
	 * so they stay in guarded memory without a sodium_malloc per entry;
	 * wiped after each use. */
	uint8_t work[KEY_LEN + ASTATE_LEN];
	uint8_t ask[2 * 64];       /* sk_i, sk_{i+1} (crypto_sign secret keys) */
	bool has_quiz, has_admin, has_seed;
	/* The data-key epoch of DATA (1 until the first rotation) and the
	 * load-id key, which outlives rotations (storage/rotate.c). */
	uint32_t epoch;
	uint8_t loadid[KEY_LEN];
};

struct store {
	struct db *db;
	char dir[512];
	uint8_t store_id[16];
	uint8_t device_id[16];
	struct store_profile profile;
	struct keys *keys;         /* NULL while locked */
	struct store_user user;    /* valid while unlocked */
	bool batch;                /* inside store_batch_begin(): puts do not commit */
	struct sync_aimp *aimp;    /* an import's audit check in memory (sync_import_audit.c) */
	char *url;                 /* PostgreSQL: the connection URI (store_twin) */
	unsigned stage_made;       /* the db_session import_stage was made in (sync_import.c) */
	int64_t stage_n;           /* versions staged by the open import */
	bool stage_open;           /* ... and not yet given change numbers */
	char stage_code[16];       /* its records' posyandu code (REC_CODE_MAX; "" on a device) */
	/* Record nonces drawn 64 at a time (record.c), for this process only. */
	uint8_t nonces[64 * 24];
	unsigned nonces_left;
	long nonces_pid;
	unsigned warn;             /* STORE_WARN_* found at unlock (integrity.c) */
	char warn_detail[160];     /* English, for logs */
	/* The current visits' clear columns, gathered by the unlock's heads
	 * check on its way (integrity.c) and handed once to the desk's
	 * store_visit_refs while no version came after VREF_TOP. */
	struct vref { uint8_t uuid[16], owner[16]; int32_t month; } *vref;
	size_t nvref, capvref;
	int64_t vref_top;
	bool vref_want;            /* store_want_visit_refs(): the desk will ask */
};

/* Drop the visit refs the heads check gathered (integrity.c). */
void store_vref_free(struct store *s);

/* Drop an import's audit check memory, unwritten (sync_import_audit.c). */
void sync_aimp_free(struct store *s);

/* ---- db.c: one connection, on SQLite or PostgreSQL (issue 16) ----
 * storage/ speaks to both through these: the SQL is SQLite's, and on
 * PostgreSQL it is translated (db_sql.c); results and errors are SQLite's
 * codes on both (SQLITE_ROW, SQLITE_DONE, SQLITE_CONSTRAINT, ...). */
struct db;    /* a connection */
struct dbq;   /* a statement */

/* Open (or create) the database file with the pragmas of SECURITY.md §3.1. */
struct db *db_open(const char *path, bool create, const struct store_open_opts *opts,
		 struct err *err);
/* Connect to the PostgreSQL database at URL (storage/db_pg.c). */
struct db *db_open_url(const char *url, struct err *err);
bool db_is_pg(const struct db *db);
/* Which session of the connection this is (never 0): a PostgreSQL
 * connection made again is a new one, its TEMP tables gone. */
unsigned db_session(const struct db *db);
/* The SQLite handle under DB (tests that tamper with the file), NULL on PostgreSQL. */
sqlite3 *db_lite(struct db *db);

/* A statement's row: SQLITE_ROW, SQLITE_DONE or an error code. */
int dbq_step(struct dbq *q);
int64_t dbq_int64(struct dbq *q, int col);
int dbq_int(struct dbq *q, int col);
const void *dbq_blob(struct dbq *q, int col);
int dbq_bytes(struct dbq *q, int col);
const unsigned char *dbq_text(struct dbq *q, int col);
int dbq_type(struct dbq *q, int col);      /* SQLITE_NULL, _INTEGER, _BLOB, _TEXT */
void dbq_reset(struct dbq *q);              /* run again; the parameters stay */
void dbq_bind_int64(struct dbq *q, int i, int64_t v);
/* The bytes must live until the statement's first step. */
void dbq_bind_blob(struct dbq *q, int i, const void *p, int n);
/* Rows the last statement on DB changed; its extended error code. */
int db_changes(struct db *db);
int db_errcode(struct db *db);
/* Run SQL, ignoring a failure (a rollback on the way out). */
void db_exec_quiet(struct db *db, const char *sql);
/* SQLite: fold the WAL into the file (SQLITE_CHECKPOINT_TRUNCATE), its
 * result code and frame counts; PostgreSQL: nothing to do, SQLITE_OK. */
int db_checkpoint(struct db *db, int *log, int *done);
/* Give back the page cache; the bytes it held. */
size_t db_release_memory(struct db *db);
/* Writes from here on join one transaction on PostgreSQL: db_begin,
 * db_commit and db_rollback become savepoints inside it until
 * db_outer_end, which commits it (ok) or rolls it back. A store's init is
 * one transaction there, as the file renamed into place is on SQLite. */
int db_outer_begin(struct db *db, struct err *err);
int db_outer_end(struct db *db, bool ok, struct err *err);
/* Why DB cannot be written: STORE_RW, STORE_RO_MEDIA or STORE_RO_FULL. */
int db_read_only(struct db *db);
/* Make the rest of the session read-only (the disk is full at login). */
int db_read_only_session(struct db *db);
/* Map an SQLite failure to ERR_FULL / ERR_IO / ERR_BUSY / ERR_DB; a write to
 * a read-only store ERR_DENIED with field "readonly". Returns -1. */
int db_fail(struct err *err, struct db *db, int rc, const char *what);
int db_exec(struct db *db, const char *sql, struct err *err);
int db_begin(struct db *db, struct err *err);        /* BEGIN IMMEDIATE */
/* BEGIN under the lock of KEY only (PostgreSQL; a posyandu code), then
 * db_writer_lock for the part that must be in one order (issue 16). */
int db_begin_keyed(struct db *db, const char *key, struct err *err);
int db_writer_lock(struct db *db, struct err *err);
int db_commit(struct db *db, struct err *err);       /* durable on 0 */
void db_rollback(struct db *db);
int db_prepare(struct db *db, const char *sql, struct dbq **st, struct err *err);

/* A statement's parameters, bound in order to ?1, ?2, ...:
 *	db_run(s->db, "UPDATE users SET failed = 0 WHERE uuid = ?", "reset attempts",
 *	       DB_ARGS(DB_UUID(u.uuid)), err);
 * A NULL blob or text binds SQL NULL, as a parameter left unbound does. */
struct db_arg {
	enum { DB_ARG_NULL, DB_ARG_INT, DB_ARG_BLOB, DB_ARG_TEXT } type;
	int64_t i;
	const void *p;
	int n;
};
#define DB_NULL ((struct db_arg){ .type = DB_ARG_NULL })
#define DB_INT(v) ((struct db_arg){ .type = DB_ARG_INT, .i = (int64_t)(v) })
#define DB_BLOB(b, len) ((struct db_arg){ .type = DB_ARG_BLOB, .p = (b), .n = (int)(len) })
#define DB_UUID(b) DB_BLOB(b, 16)
#define DB_TEXT(str) ((struct db_arg){ .type = DB_ARG_TEXT, .p = (str) })
#define DB_ARGS(...) (const struct db_arg[]){ __VA_ARGS__ }, \
	sizeof (const struct db_arg[]){ __VA_ARGS__ } / sizeof (struct db_arg)
#define DB_NOARGS NULL, 0

/* SQL prepared once per connection and kept (db.c): *ST with the N
 * arguments A bound; give it back with db_done (never sqlite3_finalize). */
int db_kept(struct db *db, const char *sql, struct dbq **st, const struct db_arg *a, size_t n,
	    struct err *err);
void db_done(struct dbq *st);
/* Close DB after finalizing the statements kept for it. */
void db_close(struct db *db);

/* The same (every statement of storage/ is kept; the caller gives it back
 * with db_done). */
int db_query(struct db *db, const char *sql, struct dbq **st, const struct db_arg *a, size_t n,
	     struct err *err);
/* A statement that returns no rows, run to its end. WHAT names it in errors. */
int db_run(struct db *db, const char *sql, const char *what, const struct db_arg *a, size_t n,
	   struct err *err);
/* The first row of a query: 1 with *ST on it (the caller gives *ST back with db_done),
 * 0 when there is none, -1 on an error; *ST is NULL unless 1. */
int db_row(struct db *db, const char *sql, struct dbq **st, const char *what,
	   const struct db_arg *a, size_t n, struct err *err);
/* The integer in the first column of the first row; 0 when there is none. */
int db_int(struct db *db, const char *sql, int64_t *out, const char *what,
	   const struct db_arg *a, size_t n, struct err *err);
/* The 16-byte blob in column COL, or zeros. */
void db_col16(struct dbq *st, int col, uint8_t out[16]);

/* Every row of a query into a growing array of SIZE-byte items: ROW fills
 * one (zeroed before) and returns 0, 1 to leave the row out, or -1 with ERR
 * set to stop. *OUT (free) and *N are the items, NULL and 0 on an error. */
typedef int (*db_row_fn)(void *ctx, struct dbq *st, void *item, struct err *err);
int db_collect(struct db *db, const char *sql, const struct db_arg *a, size_t n, size_t size,
	       db_row_fn row, void *ctx, void **out, size_t *count, const char *what,
	       struct err *err);

/* ---- the meta table (db.c) ---- */
int meta_put(struct db *db, const char *key, const void *value, size_t len, struct err *err);
/* 1 when KEY is stored, with its value in OUT and its length in *LEN;
 * 0 when it is not; ERR_CRYPTO when it is longer than SIZE. */
int meta_get(struct db *db, const char *key, void *out, size_t size, size_t *len,
	     struct err *err);
int meta_del(struct db *db, const char *key, struct err *err);

/* ERR_DENIED unless the store is unlocked (record.c). */
int need_keys(const struct store *s, struct err *err);
/* ERR_DENIED unless an admin has unlocked it (record.c). */
int need_admin(const struct store *s, struct err *err);
/* need_admin, with a certified admin (her seed) and no batch open: what a
 * change of keys needs (storage/rotate.c). */
int need_key_admin(const struct store *s, struct err *err);

/* ---- store.c, store_pg.c: making a store ---- */
int make_dir(const char *dir, struct err *err);           /* 0700 if missing */
struct store *store_alloc(const char *dir, struct err *err);
/* The keys, identity, first admin and first audit entries of the new store
 * S (its schema made): one transaction. */
int init_store(struct store *s, const struct store_profile *profile, const char *admin,
	       const char *pin, size_t pin_len, const struct kdf_params *kdf, struct err *err);
/* Does the PostgreSQL database DB hold a store's tables? 1, 0, or -1. */
int pg_has_tables(struct db *db, struct err *err);
/* The store on PostgreSQL at URL, its schema and init one transaction. */
struct store *create_pg(const char *dir, const char *url, const struct store_profile *profile,
			const char *admin, const char *pin, size_t pin_len,
			const struct kdf_params *kdf, struct err *err);

/* ---- migrate.c ---- */
/* Bring the schema to the newest version (PRAGMA user_version), each step
 * in its own transaction. UPTO limits the target (tests); 0 = newest. */
int migrate_run(struct db *db, int upto, struct err *err);
int migrate_latest(void);

/* ---- vault.c: keys and slots (no SQL) ---- */
struct keys *keys_new(void);               /* sodium_malloc'd, zeroed */
void keys_free(struct keys *k);            /* wipes; NULL is fine */
void keys_derive(struct keys *k);          /* rec and audit subkeys from data */

/* A slot: the role's keys sealed under Argon2id(PIN). */
struct slot {
	uint64_t opslimit;
	size_t memlimit;
	uint8_t salt[crypto_pwhash_SALTBYTES];
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	uint8_t ct[5 * KEY_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	size_t ct_len;
};
/* Slot v2 holds K_data [‖ K_quiz ‖ K_admin] ‖ SEED ‖ PINNED (the user's
 * seed and the device signing key); with SEED NULL a v1 slot (keys only) is
 * written, which only tests do. */
int vault_wrap(const struct keys *k, enum role role, const uint8_t store_id[16],
	       const uint8_t user[16], const uint8_t *seed, const uint8_t *pinned,
	       const char *pin, size_t pin_len,
	       const struct kdf_params *kdf, struct slot *out, struct err *err);
/* ERR_AUTH when the PIN is wrong (an AEAD failure: there is no verifier).
 * A v2 slot also fills K->seed and K->pinned and sets has_seed. */
int vault_unwrap(const struct slot *sl, enum role role, const uint8_t store_id[16],
		 const uint8_t user[16], const char *pin, size_t pin_len,
		 struct keys *k, struct err *err);

/* ---- cert.c: user certificates and audit signing state (SECURITY.md §2.2) ---- */
/* The user's X25519 key pair from her seed. */
void user_box_keys(const uint8_t seed[32], uint8_t pk[32], uint8_t *sk);
/* Give user UUID (whose row exists) a new generation: a certificate signed
 * by the device key (needs K_admin) over her role, a fresh audit key pk_0
 * and the box key of SEED; her audit state starts at index 0. In the
 * caller's transaction. */
int cert_provision(struct store *s, const uint8_t uuid[16], enum role role,
		   const uint8_t seed[32], struct err *err);
/* The first half of cert_check: the pinned key is the store's device key,
 * and an admin's K_admin opens its secret. */
int cert_check_device(struct store *s, const struct keys *k, struct err *err);
/* At login, with K (the opened slot) for user U: the pinned key is the
 * store's device key (ERR_CRYPTO "device-key"), an admin's K_admin opens the
 * device secret of that key, and U's current certificate verifies and
 * matches her seed and role (ERR_CRYPTO "user-cert"). */
int cert_check(struct store *s, const struct keys *k, const struct store_user *u,
	       struct err *err);
/* The certificate (USER, GEN) verified under PINNED: 1 with its first audit
 * key in AUDIT_PK; 0 when it is absent or does not verify. */
int cert_get(struct store *s, const uint8_t pinned[32], const uint8_t user[16], int64_t gen,
	     uint8_t audit_pk[32], struct err *err);
/* The role certified for USER at generation GEN (GEN < 0: her current one,
 * users.gen) under PINNED, never users.role (plain data a kader can edit):
 * 1 with *ROLE; 0 when she has no certificate at all (a slot made before
 * certificates); 2 when she has certificates but that one is absent or does
 * not verify; -1 on an error. */
int cert_role(struct store *s, const uint8_t pinned[32], const uint8_t user[16], int64_t gen,
	      int *role, struct err *err);
/* Open / seal the session user's audit state (index and the current secret
 * key, crypto_sign format) stored in users.audit_state. */
int astate_open(struct store *s, const uint8_t user[16], int64_t *gen, uint64_t *uidx,
		uint8_t *sk, struct err *err);
int astate_seal(struct store *s, const uint8_t user[16], int64_t gen, const uint8_t seed[32],
		uint64_t uidx, const uint8_t *sk, struct err *err);

/* ---- integrity.c: structural checks at unlock (issue 13.3) ---- */
/* Compare versions and heads with what the last signed audit entry says,
 * and this user's audit state with her entries; sets s->warn. */
int integrity_check(struct store *s, uint64_t *missing, struct err *err);
/* Versions and heads consistent with each other and with NVER / MAXSEQ
 * (negative = unknown). 0 ok, 1 broken (DETAIL says how), -1 error. */
/* Migration step 16's index of the versions' clear columns (step 15's
 * and the posyandu code), as it must read in sqlite_master; whether this
 * store has it so (never on PostgreSQL, where INDEXED BY means nothing):
 * the fast scans use it. */
#define VERSIONS_CUR_SQL \
	"CREATE INDEX versions_cur ON versions(uuid, lamport, device, deleted, owner, month, seq, " \
	"posyandu)"
bool store_versions_cur(struct store *s);
int integrity_records(struct store *s, int64_t nver, int64_t maxseq, char *detail, size_t size,
		      struct err *err);
/* BLAKE2b of the version VID as stored (clear columns, nonce, ciphertext):
 * 1 and OUT, 0 when there is no such version. */
int version_hash(struct store *s, const uint8_t vid[16], uint8_t out[32], struct err *err);
/* The same for the current row of ST, whose columns from COL on are
 * VHASH_COLS. */
#define VHASH_COLS "vid, uuid, kind, owner, lamport, device, prev_lamport, prev_device, " \
	"month, deleted, key_epoch, nonce, ct"
void version_hash_row(struct dbq *st, int col, uint8_t out[32]);

/* ---- record.c: versions for every kind of record ---- */
/* The clear columns of one version, as stored (record.c). */
struct rec_meta {
	uint64_t seq;
	uint8_t uuid[16];
	int kind;
	uint8_t owner[16];
	uint64_t lamport;
	uint8_t device[16];
	uint64_t prev_lamport;
	uint8_t prev_device[16];
	int32_t month;             /* -1 = none */
	int deleted;
	uint32_t key_epoch;
	uint8_t vid[16];
};

/* Column list of every query that opens versions (record_open_row). */
#define VCOLS "v.seq, v.uuid, v.kind, v.owner, v.lamport, v.device, v.prev_lamport, " \
	      "v.prev_device, v.month, v.deleted, v.key_epoch, v.vid, v.nonce, v.ct"

/* The current version of a record is its highest (lamport, device): the
 * end of every INSERT INTO heads(uuid, posyandu, kind, lamport, device, seq,
 * deleted). */
#define HEADS_KEEP_HIGHEST "ON CONFLICT(uuid, posyandu) DO UPDATE SET " \
	"lamport = excluded.lamport, device = excluded.device, seq = excluded.seq, " \
	"deleted = excluded.deleted WHERE excluded.lamport > heads.lamport OR " \
	"(excluded.lamport = heads.lamport AND excluded.device > heads.device)"

/* Decrypt the version in the current row of ST (columns VCOLS), filling M.
 * An allocated plaintext (free with codec_free) or NULL with ERR_CRYPTO. */
char *record_open_row(struct store *s, struct dbq *st, struct rec_meta *m, size_t *len,
		      struct err *err);
/* A record's posyandu code (migration step 16): the posyandu of the
 * enrolled device that sent its first version; "" on a posyandu's own
 * store, for quiz banks and for what no device sent. */
#define REC_CODE_MAX 16
/* Seal PLAIN under the record key and insert it as the version M (its seq
 * is not used) of a record of posyandu CODE. 1 when inserted; with IF_NEW
 * a version whose key or id is already stored is left alone and 0
 * returned. */
int record_insert(struct store *s, const struct rec_meta *m, const char *code, const char *plain,
		  size_t len, bool if_new, struct err *err);
/* Seal PLAIN as record_insert does, into import_stage as row ORD. */
int record_stage(struct store *s, const struct rec_meta *m, const char *code, const char *plain,
		 size_t len, int64_t ord, struct err *err);
/* The kind and posyandu code of record UUID: 1, *KIND and CODE when it
 * has a head, else 0 (CODE then ""). */
int record_head_kind(struct store *s, const uint8_t uuid[16], int *kind, char code[REC_CODE_MAX],
		     struct err *err);

/* Append a version of any kind, sealed under the record key. PLAIN is its
 * canonical JSON; OWNER the parent uuid or NULL; MONTH a month index or -1.
 * Own transaction, or a savepoint inside a batch. */
int record_put(struct store *s, const struct draft *d, int kind, const uint8_t *owner,
	       int32_t month, bool deleted, const char *plain, size_t plain_len, struct err *err);
/* Called with each opened version; JSON is the plaintext, valid only during
 * the call (it is wiped after). Return -1 to stop. */
typedef int (*record_fn)(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			 struct err *err);
/* Open each version a query returns (columns VCOLS; then, with HEAD_KIND
 * above 0, its head's uuid, lamport and device, checked against it) and
 * hand it to FN. WHAT names the query in errors. */
int record_each_row(struct store *s, const char *sql, const struct db_arg *a, size_t n,
		    int head_kind, record_fn fn, void *ctx, const char *what, struct err *err);
/* Every current, live record of KIND (heads checked against the versions). */
int record_each_current(struct store *s, int kind, record_fn fn, void *ctx, struct err *err);
/* Every stored version with local change number > AFTER_SEQ, in order. */
int record_each_since(struct store *s, uint64_t after_seq, record_fn fn, void *ctx,
		      struct err *err);

/* ---- rotate.c: K_data rotation (issue 13.10, SECURITY.md §2.9) ---- */
/* The keys of one data-key epoch: its record key and audit chain key. */
struct epoch_keys {
	uint32_t epoch;
	uint8_t rec[KEY_LEN];
	uint8_t audit[KEY_LEN];
};
/* The keys of EPOCH: the session's own, or a retired one from key_epochs
 * (sealed under the current K_data). ERR_CRYPTO when there is none. The
 * caller wipes OUT. */
int epoch_keys_get(struct store *s, uint32_t epoch, struct epoch_keys *out, struct err *err);
/* At login, with K just opened from user U's slot: a pending key update for
 * her (signed by the device key, sealed to her box key) replaces K's data
 * key; with WRITE, her slot is re-wrapped under PIN, the update deleted and
 * an entry written (in the caller's transaction). Then K's epoch and
 * load-id key are set, and K's data key must be the store's current one
 * (ERR_CRYPTO "key-epoch"). *APPLIED says whether an update was used.
 * MOVED: K's pinned device key was just moved along the key links
 * (devkey_follow): with WRITE, her slot is re-wrapped to pin it (one
 * re-wrap for both) with its own entry. */
int rotate_login(struct store *s, struct keys *k, const struct store_user *u, const char *pin,
		 size_t pin_len, bool write, bool moved, bool *applied, struct err *err);
/* USER's slot wrapped again under PIN with K's keys and pinned key. */
int slot_rewrap(struct store *s, const struct keys *k, enum role role, const uint8_t user[16],
		const char *pin, size_t pin_len, const struct kdf_params *kdf, struct err *err);
/* The admin session's own slot, which PIN must open, re-wrapped with K. */
int rotate_rewrap_own(struct store *s, const struct keys *k, const char *pin, size_t pin_len,
		      struct err *err);
/* Re-sign with the (new) device key the pending updates OLD_PK signed. */
int rotate_updates_resign(struct store *s, const uint8_t old_pk[32], int64_t *n,
			  struct err *err);
/* ---- devkey.c: device key rotation (issue 13.10) ---- */
/* At login: when K pins a device key that was replaced, follow the signed
 * links from it to meta device.sign_pk and pin that in K (*MOVED). No
 * chain: K is left as it is (cert_check refuses it). */
int devkey_follow(struct store *s, struct keys *k, bool *moved, struct err *err);
/* Re-sign with the (new) device key every certificate OLD_PK signed: *N. */
int cert_resign_all(struct store *s, const uint8_t old_pk[32], int64_t *n, struct err *err);
/* Set K's epoch and load-id key and check K's data key is the current one
 * (recovery, which has no slot). */
int rotate_keys_load(struct store *s, struct keys *k, struct err *err);
/* The digest of the rekey rows of EPOCH (what its rotation entry names) and
 * their number. */
int rekey_digest(struct store *s, uint32_t epoch, uint8_t out[32], int64_t *count,
		 struct err *err);
/* The detail of a rotation's audit entry, and its parse: 0, or -1. */
void rotate_detail(char *buf, size_t size, uint32_t epoch, int64_t count, const uint8_t d[32]);
int rotate_detail_parse(const char *detail, uint32_t *epoch, int64_t *count, uint8_t d[32]);

/* ---- record.c, draft.c, quiz_attempt.c: re-sealing for a rotation ---- */
/* Open the version in the current row of ST (VCOLS) with the session's key,
 * seal it under REC as epoch EPOCH and update its row; BEFORE and AFTER are
 * its hash (version_hash) before and after, VID its id. */
int record_rekey_row(struct store *s, struct dbq *st, const uint8_t rec[KEY_LEN], uint32_t epoch,
		     uint8_t vid[16], uint8_t before[32], uint8_t after[32], struct err *err);
/* Every form draft and kept quiz-attempt key, from OLD_DATA to NEW_DATA. */
int draft_rekey(struct store *s, const uint8_t old_data[KEY_LEN], const uint8_t new_data[KEY_LEN],
		struct err *err);
int quiz_att_rekey(struct store *s, const uint8_t old_data[KEY_LEN],
		   const uint8_t new_data[KEY_LEN], struct err *err);

/* ---- audit.c ---- */
enum audit_action {
	AUDIT_INIT = 1, AUDIT_LOGIN = 2, AUDIT_LOGIN_FAILED = 3, AUDIT_SAVE = 4,
	AUDIT_DELETE = 5, AUDIT_EXPORT = 6, AUDIT_IMPORT = 7, AUDIT_USER_ADD = 8,
	AUDIT_USER_PASSWD = 9, AUDIT_USER_DISABLE = 10, AUDIT_KEY = 11, AUDIT_INTEGRITY = 12,
};
/* Append an entry inside the caller's transaction (so the action and its
 * entry commit together). Needs the unlocked keys. DETAIL may be NULL.
 * The entry is signed with the session user's current audit key, which is
 * replaced by the next one in the same transaction (SECURITY.md §2.12). */
int audit_append(struct store *s, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err);
/* The same for the save of version VID (bound by its hash), or NULL. */
int audit_append_v(struct store *s, enum audit_action action, const uint8_t object[16],
		   const char *detail, const uint8_t *vid, struct err *err);
/* The same for an entry whose operation inserted ADDED versions (those with
 * the highest seqs): the entry carries the previous entry's count and
 * highest seq forward plus exactly these, and binds them by a digest of
 * their hashes (audit.c, range_digest). audit_append adds none. */
int audit_append_n(struct store *s, enum audit_action action, const uint8_t object[16],
		   const char *detail, int64_t added, struct err *err);
/* The newest entry's seq and chain hash; 0 and zeros when there is none. */
int audit_head(struct store *s, uint64_t *seq, uint8_t head[32], struct err *err);
/* The end of a change made in its own transaction (db_begin): when RC is
 * not below 0, its audit entry and COMMIT; on an error there or before,
 * ROLLBACK and -1. */
int audit_commit(struct store *s, int rc, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err);

#endif
