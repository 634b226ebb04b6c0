/* storage/internal.h: what the storage modules share. Not for other layers. */
#ifndef POSYANDU_STORAGE_INTERNAL_H
#define POSYANDU_STORAGE_INTERNAL_H

#include <sodium.h>
#include <sqlite3.h>

#include "storage/store.h"

#define KEY_LEN 32
#define STORE_DB "posyandu.db"

/* The keys of an unlocked session, in one sodium_malloc block. Which role
 * keys are present is the role: a kader slot has no quiz or admin key. */
struct keys {
	uint8_t data[KEY_LEN];     /* K_data: records and audit */
	uint8_t quiz[KEY_LEN];     /* K_quiz: trainer, admin */
	uint8_t admin[KEY_LEN];    /* K_admin: admin (wraps the device secret keys) */
	uint8_t rec[KEY_LEN];      /* kdf(K_data, "pyrecord") */
	uint8_t audit[KEY_LEN];    /* kdf(K_data, "pyaudit_") */
	bool has_quiz, has_admin;
};

struct store {
	sqlite3 *db;
	char dir[512];
	uint8_t store_id[16];
	uint8_t device_id[16];
	struct store_profile profile;
	struct keys *keys;         /* NULL while locked */
	struct store_user user;    /* valid while unlocked */
	bool batch;                /* inside store_batch_begin(): puts do not commit */
};

/* ---- db.c ---- */
/* Open (or create) the database file with the pragmas of SECURITY.md §3.1. */
sqlite3 *db_open(const char *path, bool create, const struct store_open_opts *opts,
		 struct err *err);
/* Map an SQLite failure to ERR_FULL / ERR_IO / ERR_BUSY / ERR_DB. Returns -1. */
int db_fail(struct err *err, sqlite3 *db, int rc, const char *what);
int db_exec(sqlite3 *db, const char *sql, struct err *err);
int db_begin(sqlite3 *db, struct err *err);        /* BEGIN IMMEDIATE */
int db_commit(sqlite3 *db, struct err *err);       /* durable on 0 */
void db_rollback(sqlite3 *db);
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *err);

/* ---- migrate.c ---- */
/* Bring the schema to the newest version (PRAGMA user_version), each step
 * in its own transaction. UPTO limits the target (tests); 0 = newest. */
int migrate_run(sqlite3 *db, int upto, struct err *err);
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
	uint8_t ct[3 * KEY_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES];
	size_t ct_len;
};
int vault_wrap(const struct keys *k, enum role role, const uint8_t store_id[16],
	       const uint8_t user[16], const char *pin, size_t pin_len,
	       const struct kdf_params *kdf, struct slot *out, struct err *err);
/* ERR_AUTH when the PIN is wrong (an AEAD failure: there is no verifier). */
int vault_unwrap(const struct slot *sl, enum role role, const uint8_t store_id[16],
		 const uint8_t user[16], const char *pin, size_t pin_len,
		 struct keys *k, struct err *err);

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

/* Append a version of any kind, sealed under the record key. PLAIN is its
 * canonical JSON; OWNER the parent uuid or NULL; MONTH a month index or -1.
 * Own transaction, or a savepoint inside a batch. */
int record_put(struct store *s, const struct draft *d, int kind, const uint8_t *owner,
	       int32_t month, bool deleted, const char *plain, size_t plain_len, struct err *err);
/* Called with each opened version; JSON is the plaintext, valid only during
 * the call (it is wiped after). Return -1 to stop. */
typedef int (*record_fn)(void *ctx, const struct rec_meta *m, const char *json, size_t len,
			 struct err *err);
/* Every current, live record of KIND (heads checked against the versions). */
int record_each_current(struct store *s, int kind, record_fn fn, void *ctx, struct err *err);
/* Every stored version with local change number > AFTER_SEQ, in order. */
int record_each_since(struct store *s, uint64_t after_seq, record_fn fn, void *ctx,
		      struct err *err);

/* ---- audit.c ---- */
enum audit_action {
	AUDIT_INIT = 1, AUDIT_LOGIN = 2, AUDIT_LOGIN_FAILED = 3, AUDIT_SAVE = 4,
	AUDIT_DELETE = 5, AUDIT_EXPORT = 6, AUDIT_IMPORT = 7, AUDIT_USER_ADD = 8,
	AUDIT_USER_PASSWD = 9, AUDIT_USER_DISABLE = 10, AUDIT_KEY = 11,
};
/* Append an entry inside the caller's transaction (so the action and its
 * entry commit together). Needs the unlocked keys. DETAIL may be NULL. */
int audit_append(struct store *s, enum audit_action action, const uint8_t object[16],
		 const char *detail, struct err *err);

#endif
