/* tests/attack/attack.h: what an attacker on a shared device has, as C.
 *
 * A kader with a shell and her own PIN can build this project from source
 * and run its code: so an attack program unlocks the real store file with
 * the product's own storage code and HER PIN (or opens it with no PIN at
 * all), then works on the file directly with SQLite and libsodium, exactly
 * as she could. Each tests/attack/atk_*.c is one program with one
 * subcommand per attack; tests/e2e/t08*.sh run them against a store made by
 * the real `posyandu` binary and assert that the product detects or refuses
 * what was done.
 *
 * The PIN is read from the environment variable ATK_PIN (never argv), as a
 * test passes it. */
#ifndef POSYANDU_TESTS_ATTACK_H
#define POSYANDU_TESTS_ATTACK_H

#include <sodium.h>
#include <sqlite3.h>

#include "storage/internal.h"

/* Open DIR's store; with LABEL, unlock it as LABEL with $ATK_PIN (the
 * attacker's own slot). Exits 3 with a message on any failure. */
struct store *atk_open(const char *dir, const char *label);
/* Run SQL on the raw database; exits 3 on an error. */
void atk_sql(struct store *s, const char *sql);
/* The first column of the first row of SQL as an integer; exits 3 on error. */
long long atk_int(struct store *s, const char *sql);
/* Print "attack: WHAT" and exit 0: the attack itself was carried out. */
void atk_done(struct store *s, const char *what);
/* Print a message and exit 3 (the attack could not be carried out). */
void atk_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
