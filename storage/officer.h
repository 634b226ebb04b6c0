/* storage/officer.h: the district officers of posyandu-server's web
 * interface (issue 17, posyandu-server(8) WEB INTERFACE): accounts with a
 * role and an Argon2id password hash (crypto_pwhash_str), and their
 * sessions. Stored in the district store (migration step 14) so sessions
 * survive a restart and work when several server processes share one
 * database.
 *
 *   - A session token is 32 random bytes that only the browser holds; the
 *     store keeps its BLAKE2b hash, so a copy of the database opens no
 *     session. The CSRF token of a session is a keyed hash of the token
 *     (officer_csrf), never stored.
 *   - Each officer row and each session row carries a MAC under a key
 *     derived from K_admin (the district passphrase's slot): a row written
 *     into the database by someone without the passphrase (an approver
 *     made from a viewer, a session for a token of one's own) is refused.
 *   - Wrong passwords are counted per account (in the store, so every
 *     process sees them): from OFFICER_FREE_TRIES on, the account waits
 *     30 s, doubling to an hour, measured on the real clock (never
 *     POSYANDU_NOW), as the device's PIN back-off does.
 *   - Names are 1-32 of [a-z0-9._-]: shown in pages and the audit log, and
 *     nothing else personal is kept. */
#ifndef POSYANDU_STORAGE_OFFICER_H
#define POSYANDU_STORAGE_OFFICER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "storage/store.h"

#define OFFICER_NAME_MAX 32
#define OFFICER_TOKEN_LEN 32
#define OFFICER_FREE_TRIES 5           /* wrong passwords before the waits */
#define OFFICER_IDLE_SECONDS (30 * 60) /* a session unused this long ends */
#define OFFICER_MAX_SECONDS (12 * 3600)/* and any session after this */
#define OFFICER_PASSWORD_MIN 10
#define OFFICER_PASSWORD_MAX 256

enum officer_role { OFFICER_VIEWER = 1, OFFICER_APPROVER = 2 };
const char *officer_role_name(int role);              /* "viewer", "approver" */
int officer_role_parse(const char *s);                /* the role, or -1 */

struct officer {
	char name[OFFICER_NAME_MAX + 1];
	int role;
	int64_t created;
	int failed;                /* wrong passwords in a row */
};

/* ERR_FORMAT unless NAME is 1-32 of [a-z0-9._-] starting with a letter or digit. */
int officer_name_valid(const char *name, struct err *err);

/* Add officer NAME with ROLE and the password PW (hashed here with
 * Argon2id at OPSLIMIT/MEMLIMIT); audited. District admin session;
 * ERR_EXISTS when the name is taken. */
int officer_add(struct store *s, const char *name, int role, const char *pw, size_t pw_len,
		uint64_t opslimit, size_t memlimit, struct err *err);
/* A new password PW for officer NAME (Argon2id at OPSLIMIT/MEMLIMIT), her
 * role kept, her wrong-password count and wait cleared, and every session
 * of hers ended; audited. District admin session; ERR_NOTFOUND, and
 * ERR_CRYPTO when her row fails its MAC (a row written without the
 * passphrase is never signed anew). */
int officer_passwd(struct store *s, const char *name, const char *pw, size_t pw_len,
		   uint64_t opslimit, size_t memlimit, struct err *err);
/* Remove officer NAME and end her sessions; audited. ERR_NOTFOUND. */
int officer_remove(struct store *s, const char *name, struct err *err);
/* Every officer, by name (free *OUT). */
int officer_list(struct store *s, struct officer **out, size_t *n, struct err *err);

/* The caller's hold on the store (a server shares it among threads):
 * officer_login takes it for its reads and writes and lets it go for the
 * password check, so an Argon2id of 64 MiB never stalls imports and pages. */
struct officer_hold {
	void (*take)(void *ctx);
	void (*give)(void *ctx);
	void *ctx;
};
/* Sign in: on success a new session, its token in TOKEN and the officer in
 * *O; an audit entry either way. Unknown name, wrong password and an
 * account that must wait are all ERR_AUTH with the same words (the time a
 * check takes is the same too: an unknown name is checked against a
 * dummy hash). HOLD (or NULL: the caller alone uses S) as above. */
int officer_login(struct store *s, const char *name, const char *pw, size_t pw_len,
		  uint8_t token[OFFICER_TOKEN_LEN], struct officer *o,
		  const struct officer_hold *hold, struct err *err);
/* The officer of the session TOKEN: 1 and *O, or 0 when there is no such
 * session (ended, expired, removed, or a row that fails its MAC). Touches
 * the session's last use. */
int officer_session(struct store *s, const uint8_t token[OFFICER_TOKEN_LEN], struct officer *o,
		    struct err *err);
/* End the session TOKEN (nothing when there is none). */
int officer_logout(struct store *s, const uint8_t token[OFFICER_TOKEN_LEN], struct err *err);
/* The CSRF token of session TOKEN: a keyed hash, the same in every process. */
void officer_csrf(const uint8_t token[OFFICER_TOKEN_LEN], uint8_t csrf[32]);

/* ---- what the district knows of each device's bundles (sync status) ---- */

struct sync_seen {
	uint8_t device[16];
	int64_t last_received;     /* clock_now() of the newest bundle imported; 0 = none */
	uint64_t last_seq;         /* its bundle sequence */
	uint64_t last_rseq;        /* the newest receipt given (0 = none) */
	int64_t since;             /* bundles received at or after SINCE */
};
/* One row per device that ever sent a bundle (free *OUT). */
int sync_seen_list(struct store *s, int64_t since, struct sync_seen **out, size_t *n,
		   struct err *err);

#endif
