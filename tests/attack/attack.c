/* tests/attack/attack.c: see attack.h. */
#include "tests/attack/attack.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void atk_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("attack failed: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(3);
}

struct store *atk_open(const char *dir, const char *label)
{
	struct err err = { 0 };
	struct store *s;
	const char *pin;

	if (sodium_init() < 0)
		atk_die("sodium_init");
	if (!(s = store_open(dir, NULL, &err)))
		atk_die("open %s: %s", dir, err.detail);
	if (!label)
		return s;
	if (!(pin = getenv("ATK_PIN")))
		atk_die("ATK_PIN is not set");
	if (store_login(s, label, pin, strlen(pin), NULL, &err) < 0)
		atk_die("login %s: %s", label, err.detail);
	return s;
}

void atk_sql(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db_lite(s->db), sql, NULL, NULL, &msg) != SQLITE_OK)
		atk_die("%s: %s", sql, msg ? msg : "?");
}

long long atk_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (sqlite3_prepare_v2(db_lite(s->db), sql, -1, &st, NULL) != SQLITE_OK)
		atk_die("%s: %s", sql, sqlite3_errmsg(db_lite(s->db)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void atk_done(struct store *s, const char *what)
{
	printf("attack: %s\n", what);
	store_close(s);
	exit(0);
}
