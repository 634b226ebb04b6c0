/* tests/helpers/testutil.h: helpers shared by every unit test and crash
 * program. Free of cmocka and of main(), so plain C test programs link it too.
 * Failures are reported by return value (and one line on stderr); the caller
 * decides whether that fails a test.
 *
 * Stores made here use the cheapest Argon2id limits (crypto_pwhash_*_MIN).
 * That is legitimate only because every slot stores its own KDF limits
 * (STYLE.md §6, SECURITY.md §2.3): production slots keep their calibrated
 * cost, and tests stay fast. */
#ifndef POSYANDU_TESTS_TESTUTIL_H
#define POSYANDU_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/err.h"
#include "storage/store.h"

#define TU_ADMIN "admin"
#define TU_PIN "739182"            /* passes valid_secret(pin6) */
#define TU_PIN_LEN (sizeof TU_PIN - 1)
#define TU_CODE "P-0001"
#define TU_NAME "Posyandu Mawar"

/* ---- temporary directories ---- */

/* A fresh private directory $TMPDIR/posyandu-test.XXXXXX (mode 0700).
 * Returns an allocated path (free() it), or NULL. */
char *tu_mkdtemp(void);
/* rm -rf PATH without following symbolic links. 0 on success; a missing
 * PATH is success. */
int tu_rmtree(const char *path);
/* "DIR/NAME" into BUF; -1 if it does not fit. */
int tu_path(char *buf, size_t size, const char *dir, const char *name);

/* ---- stores ---- */

/* The cheapest Argon2id limits, for test slots. */
const struct kdf_params *tu_kdf_fast(void);
/* A profile with code TU_CODE and name TU_NAME and the region fields set. */
void tu_profile(struct store_profile *p);
/* store_create in DIR with TU_PROFILE, ADMIN and PIN, fast KDF. */
struct store *tu_store_create(const char *dir, const char *admin, const char *pin,
			      struct err *err);
/* store_open + store_login. Returns NULL (and closes) if either fails. */
struct store *tu_store_login(const char *dir, const char *label, const char *pin,
			     struct err *err);

/* A fresh folder holding a store unlocked as TU_ADMIN, and with KADER
 * (PIN KADER_PIN) added when KADER is not NULL: the fixture of the tests of
 * keys and certificates. NULL (ERR set, nothing left behind) on failure. */
struct tu_fixture {
	char *dir;
	struct store *s;
};
struct tu_fixture *tu_fixture_new(const char *kader, const char *kader_pin, struct err *err);
void tu_fixture_free(struct tu_fixture *f);        /* closes, removes the folder */

/* ---- raw SQLite on DIR/posyandu.db, for tampering and inspection ---- */

/* A plain connection (no defensive flag, no pragmas of ours). NULL on error. */
sqlite3 *tu_raw_open(const char *dir);
void tu_raw_close(sqlite3 *db);           /* NULL is fine */
/* Run SQL (printf-formatted); 0 on success, -1 (message on stderr) otherwise. */
int tu_raw_exec(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The first column of the first row as an integer; INT64_MIN when there is no
 * row or the query fails. */
int64_t tu_raw_int(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Rows changed by the last tu_raw_exec. */
int tu_raw_changes(sqlite3 *db);

/* ---- files ---- */

/* The whole file, allocated (free() it), with *LEN its size; NULL on error. */
unsigned char *tu_read_file(const char *path, size_t *len);
/* Write TEXT to PATH (created or truncated, mode 0600). 0 on success. */
int tu_write_file(const char *path, const char *text);
/* Search every regular file under DIR (recursively) for the bytes NEEDLE.
 * Returns how many files contain it (-1 on an I/O error); the first such
 * file's path goes into WHICH when WHICH is not NULL. Also counts the files
 * it read in *NFILES when NFILES is not NULL. */
int tu_dir_grep(const char *dir, const void *needle, size_t len, char *which, size_t wsz,
		int *nfiles);
/* Size of PATH in bytes, or -1 if it does not exist. */
long long tu_file_size(const char *path);

#endif
