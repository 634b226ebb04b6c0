/* storage/: the only layer that talks to a database and holds data keys.
 * store.h is its front door; record (sealed versions), codec (payloads),
 * vault (key slots), cert (user certificates by the device key and each
 * user's audit signing state), audit (the signed, chained log), integrity
 * (the checks at unlock), db (statements), migrate,
 * config (iniparser), clock (the one clock), quiz_*, sync_* (what sync/
 * needs from the store), load_store (batches for `load`), draft (the sealed
 * draft of an unsaved form, storage/draft.h). */
/* storage/store.h: the encrypted record store (ARCHITECTURE.md "Data model",
 * SECURITY.md §2.2-2.5, §2.11-2.13, §3). One SQLite file per device holds
 * users (key slots), record versions sealed with XChaCha20-Poly1305, and the
 * hash-chained audit log. Callers see domain structs, never SQL or ciphertext.
 *
 * Every write is durable when the function returns 0 (WAL, synchronous=FULL,
 * COMMIT returned). A failed write returns -1 with ERR_FULL (disk full),
 * ERR_IO (write error) or ERR_DB and is not reported as saved. One case is
 * ambiguous: when the fsync of COMMIT fails, the commit frame may already be
 * in the WAL, and recovery after a crash can bring the save back. So a
 * caller keeps its draft after a failed save and retries with the *same*
 * draft (same uuid and version id): the retry then adds nothing twice
 * (tests/crash: fsync-EIO). */
#ifndef POSYANDU_STORAGE_STORE_H
#define POSYANDU_STORAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"

struct store;                  /* opaque: the database handle and, once unlocked, the keys */

enum role { ROLE_KADER = 1, ROLE_TRAINER = 2, ROLE_ADMIN = 3 };
const char *role_code(enum role r);       /* "kader", "trainer", "admin" */
int role_from_code(const char *code);      /* -1 when unknown */

/* The posyandu this store belongs to (written at init, shown on screens). */
struct store_profile {
	char code[16];
	char name[64];
	char desa[64], kecamatan[64], puskesmas[64], kabupaten[64];
};

/* Argon2id cost for a new slot. Stored per slot, so it can change later. */
struct kdf_params {
	uint64_t opslimit;
	size_t memlimit;           /* bytes */
};

/* SECURITY.md §2.3: time one derivation at 64 MiB / t=3, step down to t=2,
 * then to the 32 MiB / t=2 floor if it takes more than 1.5 s; step up (t=4,
 * then 128 MiB) while it stays under 1 s. SECONDS gets the final unlock time. */
void store_kdf_calibrate(struct kdf_params *out, double *seconds);

/* Options that only tests set. */
struct store_open_opts {
	const char *vfs;           /* SQLite VFS name (the power-cut shim), NULL = default */
	int synchronous;           /* 0 = FULL (the product), 1 = OFF (the crash-test control) */
	/* A PostgreSQL connection URI (issue 16, posyandu-server): the store's
	 * tables live in that database instead of DIR/posyandu.db; DIR stays
	 * the folder of the process's own files. NULL or "": SQLite. */
	const char *url;
	/* The caller uses the store from one thread only (the desk, the
	 * command line): its SQLite connection then takes no lock per call,
	 * which is a tenth of the unlock's checks. The server, whose threads
	 * share one store, leaves it false. */
	bool one_thread;
};

/* ---- the district's store moved to PostgreSQL (store_copy.c, issue 16) ---- */
typedef void (*store_copy_fn)(void *ctx, const char *table, int64_t rows);
/* Every table of the store in DIR copied, sealed as it is, into the empty
 * PostgreSQL database URL, in one transaction; each table's row count
 * checked there and given to PROGRESS. The report's cache is not copied. */
int store_copy_to_pg(const char *dir, const char *url, store_copy_fn progress, void *ctx,
		     struct err *err);
/* The months (date_month_index) that have visits, ascending; free(*MONTHS). */
int store_months(struct store *s, int **months, size_t *n, struct err *err);

/* Does DIR hold a store? */
bool store_exists(const char *dir);
/* Does the store of OPTS (its url, else DIR) exist? */
bool store_exists_at(const char *dir, const struct store_open_opts *opts);

/* Create a store in DIR (made 0700 if missing) with its first admin. The
 * store is returned unlocked as that admin. Fails with ERR_EXISTS if DIR
 * already holds one. */
struct store *store_create(const char *dir, const struct store_profile *profile,
			   const char *admin, const char *pin, size_t pin_len,
			   const struct kdf_params *kdf, struct err *err);
/* The same with OPTS (NULL: the same): its url puts the store on
 * PostgreSQL, in an empty database (ERR_EXISTS if it holds a store). */
struct store *store_create_at(const char *dir, const struct store_open_opts *opts,
			      const struct store_profile *profile,
			      const char *admin, const char *pin, size_t pin_len,
			      const struct kdf_params *kdf, struct err *err);

/* Open the store in DIR, locked (no keys). OPTS may be NULL. A store that
 * cannot be written (a read-only folder, mount or database file, a store
 * owned by another user that we may read) is opened read-only, and so is
 * one on a full disk that cannot be opened otherwise (storage/db.c). */
struct store *store_open(const char *dir, const struct store_open_opts *opts, struct err *err);
/* A store on PostgreSQL only: another connection to its database, with a
 * copy of S's keys and session (close it with store_close). For threads
 * that write at once, each with its own (the district server's imports,
 * issue 16). ERR_DENIED for a store on SQLite or a locked one. */
struct store *store_twin(const struct store *s, struct err *err);
bool store_on_pg(const struct store *s);   /* opened with a PostgreSQL url */
void store_close(struct store *s);         /* wipes keys; NULL is fine */

const struct store_profile *store_get_profile(const struct store *s);
/* Device id (16 bytes), made at init. */
const uint8_t *store_device_id(const struct store *s);

/* ---- Users and PINs ---- */

struct store_user {
	uint8_t uuid[UUID_LEN];
	char label[33];
	enum role role;
	bool disabled;
	/* store_users: users.role disagrees with her certificate (ROLE is then
	 * the certified one), or her current certificate is gone or forged */
	bool tampered;
	int failed;                /* wrong PINs since the last success */
	int64_t wait_s;            /* seconds before the next attempt is allowed */
	struct kdf_params kdf;
};

/* All users, sorted by label. *OUT is allocated; free() it. */
int store_users(struct store *s, struct store_user **out, size_t *n, struct err *err);

/* Why the store cannot be written now (storage/db.c): STORE_RO_MEDIA, it
 * was opened read-only (posyandu(1) "READ-ONLY STORAGE"); STORE_RO_FULL,
 * the disk was full (at open, or when the login could not commit its
 * wrong-PIN counter), so the session only reads. */
enum store_ro { STORE_RW = 0, STORE_RO_MEDIA = 1, STORE_RO_FULL = 2 };
enum store_ro store_read_only(const struct store *s);
/* 0 when the store can be written; otherwise ERR_DENIED with field
 * "readonly" (STORE_RO_MEDIA) or ERR_FULL (STORE_RO_FULL). */
int store_check_writable(const struct store *s, struct err *err);

/* Unlock as LABEL. The wrong-PIN counter is committed *before* the key
 * derivation (SECURITY.md §2.13), so killing the process cannot escape it.
 * On a store that cannot be written (store_read_only) the attempt is not
 * counted (an earlier count still makes the user wait) and the session
 * only reads; when committing the counter fails because the disk is full,
 * the session becomes read-only (STORE_RO_FULL) the same way.
 * ERR_AUTH wrong PIN; ERR_LOCKED must wait (err->detail says how long, and
 * *WAIT_S, if not NULL, gets the seconds); ERR_DISABLED; ERR_NOTFOUND;
 * ERR_CRYPTO with field "device-key" (the slot's pinned device key is not
 * the store's), "user-cert" (no valid certificate by it for this user) or
 * "user-legacy" (a slot made before certificates, not an admin's: an admin
 * must reset the PIN). Integrity problems found at unlock do not refuse it:
 * see store_integrity_warning(). */
int store_login(struct store *s, const char *label, const char *pin, size_t pin_len,
		int64_t *wait_s, struct err *err);
/* What the unlock found wrong, while the data stays readable (issue 13):
 * records deleted or rolled back outside the app, or audit entries of this
 * user missing. 0 when all is well. STORE_WARN_* bits. */
#define STORE_WARN_RECORDS 1u
#define STORE_WARN_AUDIT 2u
unsigned store_integrity_warning(const struct store *s);
/* The same in English, for logs ("" when all is well). */
const char *store_integrity_detail(const struct store *s);
/* Forget the keys (idle lock, logout). Records stay on disk. */
void store_lock(struct store *s);
bool store_unlocked(const struct store *s);
/* The user of the unlocked session, or NULL. */
const struct store_user *store_session(const struct store *s);

/* Admin only: a new user whose slot holds the keys of ROLE, her own seed
 * and the device's public key, with a certificate signed by the device key. */
int store_user_add(struct store *s, const char *label, enum role role,
		   const char *pin, size_t pin_len, const struct kdf_params *kdf, struct err *err);
/* Change LABEL's PIN: the session's own user, or anyone by an admin (reset).
 * Re-wraps the same keys under a new salt; no data is re-encrypted. An
 * admin's reset gives the user a new seed and certificate generation. */
int store_user_passwd(struct store *s, const char *label, const char *pin, size_t pin_len,
		      const struct kdf_params *kdf, struct err *err);
/* Admin only: delete LABEL's slot. The last active admin cannot be disabled. */
int store_user_disable(struct store *s, const char *label, struct err *err);

/* Admin only: rotate the device data key K_data (SECURITY.md §2.9, issue
 * 13.10), in one transaction: a new random key (epoch n+1); every version
 * re-encrypted under it; drafts and kept quiz-attempt keys re-sealed; the
 * retired keys kept sealed under the new one (old audit entries stay
 * readable and verifiable); the admin's own slot re-wrapped under PIN (her
 * session's PIN); the new key sealed to each other active user's certified
 * box key, applied at her next login; the recovery slot re-sealed when the
 * device is enrolled. PROGRESS (may be NULL) is called now and then with
 * the versions done and their number. Data written afterwards cannot be
 * read with the old key; what was copied before stays readable to whoever
 * copied it. */
struct store_rotate_stats {
	uint32_t epoch;            /* the new epoch */
	int64_t versions;          /* versions re-encrypted */
	int64_t updates;           /* users who get the key at their next login */
	int64_t skipped;           /* active users without a valid certificate */
	bool recovery;             /* the recovery slot was re-sealed */
};
typedef void (*store_progress_fn)(void *ctx, int64_t done, int64_t total);
int store_key_rotate(struct store *s, const char *pin, size_t pin_len,
		     store_progress_fn progress, void *ctx, struct store_rotate_stats *stats,
		     struct err *err);

/* Seal the keys of this device to the district's X25519 public key (the
 * recovery slot, SECURITY.md §2.2). Admin only. */
int store_recovery_seal(struct store *s, const uint8_t district_x25519_pk[32], struct err *err);
/* Open a recovery slot with the district's key pair and compare with the
 * session's keys: for tests and for the district's recovery tool. */
int store_recovery_check(struct store *s, const uint8_t pk[32], const uint8_t sk[32],
			 struct err *err);

/* ---- Records ---- */

/* Kinds of record. Values are stored and travel in bundles: never renumber. */
enum record_kind {
	REC_PERSON = 1,
	REC_VISIT = 2,
	REC_SESSION = 3,           /* an opening day (hari buka) */
	REC_QUIZ_BANK = 4,         /* a question bank */
	REC_QUIZ_ATTEMPT = 5,      /* one kader's answers (sealed to the quiz key) */
	REC_TRAINING = 6,          /* a training event and its attendance */
};
const char *record_kind_name(int kind);    /* "person", "visit", ... */

/* The idempotency key of one save (SECURITY.md §3.1): the record uuid and a
 * version id chosen when the form opens, reused on every retry, so a save
 * that may or may not have committed never makes a duplicate. */
struct draft {
	uint8_t uuid[UUID_LEN];
	uint8_t vid[UUID_LEN];
	uint64_t prev_lamport;     /* the version this edit starts from; 0 = new record */
	uint8_t prev_device[UUID_LEN];
};
/* A draft for a new record. */
void store_draft_new(struct draft *d);
/* A draft for a new version of UUID, parented on its current version. */
int store_draft_edit(struct store *s, struct draft *d, const uint8_t uuid[UUID_LEN],
		     struct err *err);

/* Append a version. P->uuid / V->uuid are taken from the draft. */
int store_person_put(struct store *s, const struct draft *d, const struct person *p,
		     struct err *err);
int store_visit_put(struct store *s, const struct draft *d, const struct visit *v,
		    struct err *err);
/* An opening day (REC_SESSION). */
int store_session_put(struct store *s, const struct draft *d, const struct session *x,
		      struct err *err);
/* Current sessions, oldest first. *OUT is allocated; store_free() it. */
int store_sessions(struct store *s, struct session **out, size_t *n, struct err *err);

/* Several puts in one transaction, all or nothing (demo data, register
 * imports): between begin and commit a put is not yet durable, and a
 * failed put leaves the batch to be aborted. Commit makes all of it durable. */
int store_batch_begin(struct store *s, struct err *err);
int store_batch_commit(struct store *s, struct err *err);
void store_batch_abort(struct store *s);

/* Append a tombstone version of the draft's record. */
int store_delete(struct store *s, const struct draft *d, struct err *err);

/* Current, not deleted people / visits. *OUT is allocated in the guarded
 * arena (storage/arena.h: SECURITY.md §2.5); store_free() it, never free(). */
int store_people(struct store *s, struct person **out, size_t *n, struct err *err);
int store_visits(struct store *s, struct visit **out, size_t *n, struct err *err);
/* The current, live visits from their clear columns alone, nothing opened
 * (issue 15: the desk decrypts only what it shows): FN gets each visit's
 * uuid, its person (the owner column) and its month (date_month_index).
 * These columns are authenticated when the visit is opened: a row edited
 * outside the app fails then (store_visits_get), not here. FN returns 0,
 * or -1 with ERR set to stop. */
typedef int (*store_visit_ref_fn)(void *ctx, const uint8_t uuid[UUID_LEN],
				  const uint8_t person[UUID_LEN], int month, struct err *err);
int store_visit_refs(struct store *s, store_visit_ref_fn fn, void *ctx, struct err *err);
/* The desk will list the visits after the next login: the unlock's heads
 * check keeps their clear columns on its way (a pass it makes anyway), and
 * the first store_visit_refs after it hands them over instead of reading
 * them again, when no version came in between. */
void store_want_visit_refs(struct store *s);
/* The current, live visits among the N of UUIDS, opened into OUT (room for
 * N: an arena block, since it holds decrypted data), in the order found;
 * *FOUND says how many. A uuid that is no live visit is left out. */
int store_visits_get(struct store *s, const uint8_t (*uuids)[UUID_LEN], size_t n,
		     struct visit *out, size_t *found, struct err *err);
/* The records with a version made on this device after local change
 * AFTER, from the clear columns (nothing opened): FN gets each version's
 * uuid and kind, oldest first. For "not yet sent" marks. */
typedef int (*store_change_fn)(void *ctx, const uint8_t uuid[UUID_LEN], int kind,
			       struct err *err);
int store_changed_here(struct store *s, uint64_t after, store_change_fn fn, void *ctx,
		       struct err *err);
/* Wipe and release an array from store_people, store_visits, store_sessions
 * or store_history (an arena block); NULL is fine. */
void store_free(void *records);

/* One stored version of a record, for the history view. */
struct store_version {
	uint64_t seq;              /* local change number */
	uint64_t lamport;
	uint8_t device[UUID_LEN];
	uint8_t author[UUID_LEN];
	int64_t time;              /* wall clock at save, for display only */
	bool deleted;
	enum record_kind kind;
	union {
		struct person person;
		struct visit visit;
		struct session session;
	} u;
};
/* Every version of UUID, oldest first. *OUT is allocated; store_free() it. */
int store_history(struct store *s, const uint8_t uuid[UUID_LEN],
		  struct store_version **out, size_t *n, struct err *err);

/* Counts (people, visits, versions) for status lines and tests. */
int store_counts(struct store *s, size_t *people, size_t *visits, size_t *versions,
		 struct err *err);

/* PRAGMA integrity_check == ok, and every stored version decrypts. */
int store_verify(struct store *s, size_t *versions, struct err *err);

/* Give back the page cache's unused memory (what the unlock's checks and a
 * load read through): the bytes the cache held before. The cache fills
 * again as needed. */
size_t store_release_memory(struct store *s);

/* WAL checkpoint (TRUNCATE) at clean exit. */
void store_checkpoint(struct store *s);

#endif
