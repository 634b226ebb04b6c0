/* storage/db_pg.h: the store on PostgreSQL through libpq (db_pg.c), as
 * storage/db.c drives it. Results and errors speak SQLite's codes
 * (SQLITE_ROW, SQLITE_DONE, SQLITE_CONSTRAINT, ...), so the rest of
 * storage/ keeps one way to read them. */
#ifndef POSYANDU_STORAGE_DB_PG_H
#define POSYANDU_STORAGE_DB_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The advisory lock every writing transaction takes first: one writer at
 * a time across every process on the database, as SQLite's BEGIN IMMEDIATE
 * gives on a file (db.c). */
#define PG_WRITER_LOCK "7215, 16"
/* The class of the per-posyandu import locks (db_begin_keyed): taken
 * before the writers' lock, never after it. */
#define PG_IMPORT_LOCK_CLASS 7216

struct pgc;   /* a connection */
struct pgq;   /* a statement, its parameters and its result */

/* What went wrong last, in SQLite's words (code: an extended result code). */
struct pg_err {
	int code;
	char msg[240];
};

/* Is URL one for PostgreSQL ("postgresql://" or "postgres://")? */
bool pg_url(const char *url);

/* Does URL carry a password (user:password@, or password=)? */
bool pg_url_has_password(const char *url);

/* Connect to URL (libpq is opened at the first call). NULL with E set. */
struct pgc *pg_connect(const char *url, struct pg_err *e);
void pg_close(struct pgc *c);
/* Run SQL (SQLite's dialect; several statements allowed, no parameters).
 * An SQLite result code; *CHANGES the rows the last one changed. */
int pg_exec(struct pgc *c, const char *sql, int *changes, struct pg_err *e);
/* Bumped each time C was made again (what lived in its session is gone). */
unsigned pg_gen(const struct pgc *c);
/* Is a transaction open on C (or failed and not yet rolled back)? */
bool pg_in_txn(struct pgc *c);
/* Has a statement of the open transaction failed (or the connection gone)? */
bool pg_txn_failed(struct pgc *c);

/* A statement of SQLite's dialect, translated (storage/db_sql.c); KEEP:
 * it will run many times, prepare it on the server. */
struct pgq *pgq_new(struct pgc *c, const char *sql, bool keep, struct pg_err *e);
void pgq_free(struct pgq *q);
void pgq_reset(struct pgq *q);          /* the result goes; the parameters stay */
void pgq_clear(struct pgq *q);          /* every parameter back to NULL */
/* Parameter I (1-based). A blob or text is read at the first step: it must
 * live until then (SQLite's SQLITE_STATIC); a NULL pointer binds NULL. */
void pgq_bind_int(struct pgq *q, int i, int64_t v);
void pgq_bind_blob(struct pgq *q, int i, const void *p, int n);
void pgq_bind_text(struct pgq *q, int i, const char *s);
/* SQLITE_ROW, SQLITE_DONE or an error (E set; *CHANGES for a write). */
int pgq_step(struct pgq *q, int *changes, struct pg_err *e);
int pgq_type(struct pgq *q, int col);   /* SQLITE_NULL, _INTEGER, _BLOB, _TEXT */
int64_t pgq_int(struct pgq *q, int col);
const void *pgq_blob(struct pgq *q, int col);
int pgq_bytes(struct pgq *q, int col);
const unsigned char *pgq_text(struct pgq *q, int col);

#endif
