/* storage/db.c: the store's connection (SQLite, or PostgreSQL through
 * db_pg.c), its settings, statements and error mapping. */
#include "storage/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/db_pg.h"
#include "core/banned.h"

struct db {
	sqlite3 *lite;             /* one of the two */
	struct pgc *pg;
	int changes;               /* PostgreSQL: rows the last statement changed */
	struct pg_err e;           /* PostgreSQL: the last failure */
	bool outer, sp;            /* db_outer_begin: inside one transaction; a savepoint open */
};

struct dbq {
	struct db *db;
	sqlite3_stmt *lite;        /* one of the two */
	struct pgq *pg;
	char *sql;                 /* as given (the kept table's key) */
};

bool db_is_pg(const struct db *db)
{
	return db && db->pg;
}

unsigned db_session(const struct db *db)
{
	return db->pg ? pg_gen(db->pg) + 1 : 1;
}

sqlite3 *db_lite(struct db *db)
{
	return db ? db->lite : NULL;
}

int db_errcode(struct db *db)
{
	return db->lite ? sqlite3_extended_errcode(db->lite) : db->e.code;
}

static const char *db_errmsg(struct db *db)
{
	return db->lite ? sqlite3_errmsg(db->lite) : db->e.msg;
}

int db_changes(struct db *db)
{
	return db->lite ? sqlite3_changes(db->lite) : db->changes;
}

int db_fail(struct err *err, struct db *db, int rc, const char *what)
{
	int ext = db ? db_errcode(db) : rc;
	const char *msg = db ? db_errmsg(db) : sqlite3_errstr(rc);
	const char *engine = db && db->pg ? "postgresql" : "sqlite";
	enum err_code code;

	switch (rc & 0xff) {
	case SQLITE_READONLY:
		/* a read-only store, or a session made read-only by a full disk:
		 * say which, never SQLite's words */
		if (db && db_read_only(db) == STORE_RO_FULL)
			return err_set(err, ERR_FULL, NULL, "%s: read-only session, the disk is full (sqlite %d)",
				       what, ext);
		return err_set(err, ERR_DENIED, "readonly", "%s: read-only store (sqlite %d)", what, ext);
	case SQLITE_FULL:
		code = ERR_FULL;
		break;
	case SQLITE_IOERR:
		/* e.g. SQLITE_IOERR_SHMSIZE on a full disk: say what is wrong */
		if (db && db->lite && sqlite3_system_errno(db->lite) == ENOSPC) {
			code = ERR_FULL;
			break;
		}
		/* fall through */
	case SQLITE_CANTOPEN:
		code = ERR_IO;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = ERR_BUSY;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		code = ERR_CRYPTO;
		break;
	default:
		code = ERR_DB;
	}
	return err_set(err, code, NULL, "%s: %s (%s %d)", what, msg, engine, ext);
}

static int exec_rc(struct db *db, const char *sql)
{
	if (db->lite)
		return sqlite3_exec(db->lite, sql, NULL, NULL, NULL);
	return pg_exec(db->pg, sql, &db->changes, &db->e);
}

int db_exec(struct db *db, const char *sql, struct err *err)
{
	int rc = exec_rc(db, sql);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "exec");
}

void db_exec_quiet(struct db *db, const char *sql)
{
	exec_rc(db, sql);
}

/* On PostgreSQL a writer first takes the writers' lock (PG_WRITER_LOCK):
 * what BEGIN IMMEDIATE is on a file, so that the audit chain, the change
 * numbers and every read-then-write of storage/ see one writer at a time
 * across all the server processes on the database. Reading never waits. */
int db_begin(struct db *db, struct err *err)
{
	int rc;

	if (db->lite)
		rc = sqlite3_exec(db->lite, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	else if (db->outer) {
		rc = pg_exec(db->pg, "SAVEPOINT py_step", &db->changes, &db->e);
		db->sp = rc == SQLITE_OK;
	} else if (pg_in_txn(db->pg)) {
		/* as SQLite says it: PostgreSQL would only warn, and the inner
		 * COMMIT would then commit the outer transaction's half */
		db->e.code = rc = SQLITE_ERROR;
		snprintf(db->e.msg, sizeof db->e.msg, "cannot start a transaction within a transaction");
	} else {
		rc = pg_exec(db->pg, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")",
			     &db->changes, &db->e);
		if (rc != SQLITE_OK)
			pg_exec(db->pg, "ROLLBACK", &db->changes, NULL);
	}
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "begin");
}

/* A posyandu's imports (issue 16): on PostgreSQL BEGIN and the advisory
 * lock of KEY's class (PG_IMPORT_LOCK_CLASS, a 32-bit FNV-1a of KEY), so
 * two imports for one posyandu take turns while imports for others run;
 * the writers' lock is taken later, for the ordered part only
 * (db_writer_lock). Always in that order, so they cannot deadlock. On
 * SQLite BEGIN IMMEDIATE: one writer holds the file anyway. */
int db_begin_keyed(struct db *db, const char *key, struct err *err)
{
	char sql[96];
	uint32_t h = 2166136261u;
	int rc;

	if (db->lite || db->outer || !key)
		return db_begin(db, err);
	if (pg_in_txn(db->pg)) {
		db->e.code = rc = SQLITE_ERROR;
		snprintf(db->e.msg, sizeof db->e.msg, "cannot start a transaction within a transaction");
		return db_fail(err, db, rc, "begin");
	}
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d, %d)",
		 PG_IMPORT_LOCK_CLASS, (int32_t)h);
	rc = pg_exec(db->pg, sql, &db->changes, &db->e);
	if (rc != SQLITE_OK)
		pg_exec(db->pg, "ROLLBACK", &db->changes, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "begin");
}

/* The writers' lock inside the transaction db_begin_keyed opened (held to
 * its end); nothing to take on SQLite, nor when db_begin took it. */
int db_writer_lock(struct db *db, struct err *err)
{
	int rc;

	if (db->lite || db->outer)
		return 0;
	rc = pg_exec(db->pg, "SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ")", &db->changes,
		     &db->e);
	return rc == SQLITE_OK ? 0 : db_fail(err, db, rc, "writers' lock");
}

int db_commit(struct db *db, struct err *err)
{
	int rc;

	if (db->pg && db->outer) {
		rc = pg_exec(db->pg, "RELEASE py_step", &db->changes, &db->e);
		db->sp = false;
	} else if (db->pg && pg_txn_failed(db->pg)) {
		/* PostgreSQL answers COMMIT of a failed transaction with a
		 * rollback, not an error: never report that as saved */
		db->e.code = SQLITE_ABORT;
		snprintf(db->e.msg, sizeof db->e.msg, "the transaction had failed");
		rc = SQLITE_ABORT;
	} else {
		rc = exec_rc(db, "COMMIT");
	}
	if (rc == SQLITE_OK)
		return 0;
	db_fail(err, db, rc, "commit");
	db_rollback(db);
	return -1;
}

void db_rollback(struct db *db)
{
	if (db->lite) {
		if (!sqlite3_get_autocommit(db->lite))
			sqlite3_exec(db->lite, "ROLLBACK", NULL, NULL, NULL);
	} else if (db->outer) {
		if (db->sp)
			pg_exec(db->pg, "ROLLBACK TO py_step; RELEASE py_step", &db->changes, NULL);
		db->sp = false;
	} else if (pg_in_txn(db->pg)) {
		pg_exec(db->pg, "ROLLBACK", &db->changes, NULL);
	}
}

int db_outer_begin(struct db *db, struct err *err)
{
	if (db->lite)
		return 0;
	if (db_begin(db, err) < 0)
		return -1;
	db->outer = true;
	return 0;
}

int db_outer_end(struct db *db, bool ok, struct err *err)
{
	if (db->lite || !db->outer)
		return 0;
	db->outer = db->sp = false;
	if (ok)
		return db_commit(db, err);
	db_rollback(db);
	return 0;
}

int db_checkpoint(struct db *db, int *log, int *done)
{
	if (log)
		*log = 0;
	if (done)
		*done = 0;
	if (!db->lite)
		return SQLITE_OK;
	return sqlite3_wal_checkpoint_v2(db->lite, NULL, SQLITE_CHECKPOINT_TRUNCATE, log, done);
}

size_t db_release_memory(struct db *db)
{
	int cur = 0, hi = 0;

	if (!db->lite)
		return 0;
	sqlite3_db_status(db->lite, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0);
	sqlite3_db_release_memory(db->lite);
	return (size_t)cur;
}

/* ---- statements ---- */

static struct dbq *dbq_new(struct db *db, const char *sql, bool persistent, int *rc)
{
	struct dbq *q = calloc(1, sizeof *q);

	*rc = SQLITE_NOMEM;
	if (!q || !(q->sql = strdup(sql))) {
		free(q);
		return NULL;
	}
	q->db = db;
	if (db->lite)
		*rc = sqlite3_prepare_v3(db->lite, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0,
					 &q->lite, NULL);
	else
		*rc = (q->pg = pgq_new(db->pg, sql, persistent, &db->e)) ? SQLITE_OK : db->e.code;
	if (*rc != SQLITE_OK) {
		free(q->sql);
		free(q);
		return NULL;
	}
	return q;
}

static void dbq_free(struct dbq *q)
{
	if (!q)
		return;
	if (q->lite)
		sqlite3_finalize(q->lite);
	pgq_free(q->pg);
	free(q->sql);
	free(q);
}

int dbq_step(struct dbq *q)
{
	int rc, ch;

	if (q->lite)
		return sqlite3_step(q->lite);
	rc = pgq_step(q->pg, &ch, &q->db->e);
	if (ch >= 0)
		q->db->changes = ch;
	return rc;
}

int64_t dbq_int64(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_int64(q->lite, col) : pgq_int(q->pg, col);
}

int dbq_int(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_int(q->lite, col) : (int)pgq_int(q->pg, col);
}

const void *dbq_blob(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_blob(q->lite, col) : pgq_blob(q->pg, col);
}

int dbq_bytes(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_bytes(q->lite, col) : pgq_bytes(q->pg, col);
}

const unsigned char *dbq_text(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_text(q->lite, col) : pgq_text(q->pg, col);
}

int dbq_type(struct dbq *q, int col)
{
	return q->lite ? sqlite3_column_type(q->lite, col) : pgq_type(q->pg, col);
}

void dbq_reset(struct dbq *q)
{
	if (q->lite)
		sqlite3_reset(q->lite);
	else
		pgq_reset(q->pg);
}

void dbq_bind_int64(struct dbq *q, int i, int64_t v)
{
	if (q->lite)
		sqlite3_bind_int64(q->lite, i, (sqlite3_int64)v);
	else
		pgq_bind_int(q->pg, i, v);
}

void dbq_bind_blob(struct dbq *q, int i, const void *p, int n)
{
	if (q->lite)
		sqlite3_bind_blob(q->lite, i, p, n, SQLITE_TRANSIENT);
	else
		pgq_bind_blob(q->pg, i, p, n);
}

int db_prepare(struct db *db, const char *sql, struct dbq **st, struct err *err)
{
	int rc;
	*st = dbq_new(db, sql, false, &rc);
	return *st ? 0 : db_fail(err, db, rc, "prepare");
}

/* ---- statements with their arguments ---- */

static void bind_args(struct dbq *q, const struct db_arg *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int col = (int)i + 1;
		switch (a[i].type) {
		case DB_ARG_INT:
			if (q->lite)
				sqlite3_bind_int64(q->lite, col, (sqlite3_int64)a[i].i);
			else
				pgq_bind_int(q->pg, col, a[i].i);
			break;
		case DB_ARG_BLOB:
			if (q->lite)
				sqlite3_bind_blob(q->lite, col, a[i].p, a[i].n, SQLITE_STATIC);
			else
				pgq_bind_blob(q->pg, col, a[i].p, a[i].n);
			break;
		case DB_ARG_TEXT:
			if (q->lite)
				sqlite3_bind_text(q->lite, col, a[i].p, -1, SQLITE_STATIC);
			else
				pgq_bind_text(q->pg, col, a[i].p);
			break;
		case DB_ARG_NULL:
			break;
		}
	}
}


/* ---- statements kept prepared (issue 15) ----
 * Preparing is most of the cost of a one-row statement: an export or an
 * import runs the same few statements once per version. The helpers below
 * (db_run, db_int, db_collect, db_kept) keep each statement they prepare,
 * keyed by its connection and SQL text, and reset it for the next call.
 * A statement in use is never handed out twice (a callback may run the
 * same SQL again: that one gets its own). db_close finalizes a
 * connection's statements before closing it. One small table for the
 * process, under a mutex: the server's threads share connections. */
#define KEPT_MAX 1024              /* room for a few connections' (issue 16) */
static struct kept {
	struct db *db;
	struct dbq *st;
	bool busy;
	uint64_t used;
} kept[KEPT_MAX];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t kept_clock;

int db_kept(struct db *db, const char *sql, struct dbq **st, const struct db_arg *a, size_t n,
	    struct err *err)
{
	struct kept *k, *slot = NULL;
	int rc;

	*st = NULL;
	pthread_mutex_lock(&kept_lock);
	for (k = kept; k < kept + KEPT_MAX; k++) {
		if (k->db == db && !k->busy && strcmp(k->st->sql, sql) == 0) {
			k->busy = true;
			k->used = ++kept_clock;
			*st = k->st;
			break;
		}
	}
	pthread_mutex_unlock(&kept_lock);
	if (!*st) {
		if (!(*st = dbq_new(db, sql, true, &rc)))
			return db_fail(err, db, rc, "prepare");
		pthread_mutex_lock(&kept_lock);
		/* a free slot, else the oldest idle one of DB: never another
		 * connection's, which may be in use by another thread (freeing
		 * its statement talks to its server) */
		for (k = kept; k < kept + KEPT_MAX; k++) {
			if (!k->db) {
				slot = k;
				break;
			}
			if (k->db == db && !k->busy && (!slot || k->used < slot->used))
				slot = k;
		}
		if (slot) {
			if (slot->db)
				dbq_free(slot->st);
			*slot = (struct kept){ db, *st, true, ++kept_clock };
		}
		pthread_mutex_unlock(&kept_lock);
	}
	bind_args(*st, a, n);
	return 0;
}

void db_done(struct dbq *st)
{
	struct kept *k;

	if (!st)
		return;
	pthread_mutex_lock(&kept_lock);
	for (k = kept; k < kept + KEPT_MAX; k++)
		if (k->st == st) {
			if (!k->busy) {
				/* given back twice: finalizing it would leave the
				 * table a freed statement, resetting it could cut
				 * another caller's rows. A bug, caught loudly. */
				fputs("posyandu: db_done of a statement already given back\n", stderr);
				abort();
			}
			if (st->lite) {
				sqlite3_reset(st->lite);
				sqlite3_clear_bindings(st->lite);
			} else {
				pgq_reset(st->pg);
				pgq_clear(st->pg);
			}
			k->busy = false;
			pthread_mutex_unlock(&kept_lock);
			return;
		}
	pthread_mutex_unlock(&kept_lock);
	dbq_free(st);          /* one the table had no room for */
}

int db_query(struct db *db, const char *sql, struct dbq **st, const struct db_arg *a, size_t n,
	     struct err *err)
{
	return db_kept(db, sql, st, a, n, err);
}

void db_close(struct db *db)
{
	struct kept *k;

	if (!db)
		return;
	pthread_mutex_lock(&kept_lock);
	for (k = kept; k < kept + KEPT_MAX; k++)
		if (k->db == db) {
			dbq_free(k->st);
			*k = (struct kept){ 0 };
		}
	pthread_mutex_unlock(&kept_lock);
	if (db->lite)
		sqlite3_close(db->lite);
	pg_close(db->pg);
	free(db);
}

int db_run(struct db *db, const char *sql, const char *what, const struct db_arg *a, size_t n,
	   struct err *err)
{
	struct dbq *st;
	int rc;

	if (db_kept(db, sql, &st, a, n, err) < 0)
		return -1;
	rc = dbq_step(st);
	if (rc != SQLITE_DONE)
		db_fail(err, db, rc, what);      /* before the reset, which may clear the message */
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_row(struct db *db, const char *sql, struct dbq **st, const char *what,
	   const struct db_arg *a, size_t n, struct err *err)
{
	int rc;

	if (db_query(db, sql, st, a, n, err) < 0) {
		*st = NULL;
		return -1;
	}
	if ((rc = dbq_step(*st)) == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		db_fail(err, db, rc, what);      /* before the reset, which may clear the message */
	db_done(*st);
	*st = NULL;
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_int(struct db *db, const char *sql, int64_t *out, const char *what,
	   const struct db_arg *a, size_t n, struct err *err)
{
	struct dbq *st;
	int rc;

	*out = 0;
	if (db_kept(db, sql, &st, a, n, err) < 0)
		return -1;
	if ((rc = dbq_step(st)) == SQLITE_ROW)
		*out = dbq_int64(st, 0);
	else if (rc != SQLITE_DONE)
		db_fail(err, db, rc, what);
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

void db_col16(struct dbq *st, int col, uint8_t out[16])
{
	memset(out, 0, 16);
	if (dbq_type(st, col) == SQLITE_BLOB && dbq_bytes(st, col) == 16)
		memcpy(out, dbq_blob(st, col), 16);
}

int db_collect(struct db *db, const char *sql, const struct db_arg *a, size_t n, size_t size,
	       db_row_fn row, void *ctx, void **out, size_t *count, const char *what,
	       struct err *err)
{
	char *items = NULL, *grown;
	size_t got = 0, cap = 0;
	struct dbq *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (db_kept(db, sql, &st, a, n, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		if (got == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = realloc(items, cap * size))) {
				err_set(err, ERR_NOMEM, NULL, "out of memory");
				goto fail;
			}
			items = grown;
		}
		memset(items + got * size, 0, size);
		if ((rc = row(ctx, st, items + got * size, err)) < 0)
			goto fail;
		if (rc == 0)
			got++;
	}
	if (rc != SQLITE_DONE) {
		db_fail(err, db, rc, what);
		db_done(st);
		free(items);
		return -1;
	}
	db_done(st);
	*out = items;
	*count = got;
	return 0;
fail:
	db_done(st);
	free(items);
	return -1;
}

/* ---- the meta table ---- */

int meta_put(struct db *db, const char *key, const void *value, size_t len, struct err *err)
{
	return db_run(db, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
		      "ON CONFLICT(key) DO UPDATE SET value = excluded.value", "meta",
		      DB_ARGS(DB_TEXT(key), DB_BLOB(value, len)), err);
}

int meta_get(struct db *db, const char *key, void *out, size_t size, size_t *len,
	     struct err *err)
{
	struct dbq *st;
	int rc = db_row(db, "SELECT value FROM meta WHERE key = ?", &st, "meta",
			DB_ARGS(DB_TEXT(key)), err);

	if (rc != 1)
		return rc;
	*len = (size_t)dbq_bytes(st, 0);
	if (*len > size) {
		db_done(st);
		return err_set(err, ERR_CRYPTO, NULL, "store %s too long", key);
	}
	if (*len)                  /* an empty blob comes back as NULL */
		memcpy(out, dbq_blob(st, 0), *len);
	db_done(st);
	return 1;
}

int meta_del(struct db *db, const char *key, struct err *err)
{
	return db_run(db, "DELETE FROM meta WHERE key = ?", "meta", DB_ARGS(DB_TEXT(key)), err);
}

/* SECURITY.md §3.1 and SQLite's "Defense Against The Dark Arts". */
static const char *const pragmas_full =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;"
	"PRAGMA journal_size_limit=4194304;";

/* Read-only stores, SQLite's rules (https://www.sqlite.org/wal.html, "read-only
 * databases"): a WAL database opened with mode=ro still needs its -shm
 * file (existing, or one it may create), so in a folder we cannot write it
 * opens only when the -wal and -shm are there. When the -wal is absent or
 * empty the database file alone holds every commit, and immutable=1 reads
 * it with no -shm and no locks; that is only right when nobody can change
 * the file meanwhile: a folder that is not writable to us, or a full disk. */
static const char *const pragmas_ro =
	"PRAGMA foreign_keys=ON;"
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA trusted_schema=OFF;"
	"PRAGMA cell_size_check=ON;"
	"PRAGMA query_only=ON;";

static bool can_write(const char *path)
{
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

static bool dir_writable(const char *path)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s", path);
	return can_write(dirname(buf));
}

/* The -wal of PATH is absent or empty: the database file holds everything. */
static bool wal_empty(const char *path)
{
	char wal[620];
	struct stat st;
	snprintf(wal, sizeof wal, "%s-wal", path);
	return stat(wal, &st) < 0 ? errno == ENOENT : st.st_size == 0;
}

static struct db *wrap(sqlite3 *lite, struct err *err)
{
	struct db *db = calloc(1, sizeof *db);

	if (!db) {
		sqlite3_close(lite);
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	db->lite = lite;
	return db;
}

struct db *db_open_url(const char *url, struct err *err)
{
	struct db *db = calloc(1, sizeof *db);
	struct pg_err e = { 0 };

	if (!db) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	if (!(db->pg = pg_connect(url, &e))) {
		/* the URL may hold a password: never repeat it */
		err_set(err, ERR_IO, "store", "PostgreSQL: %s", e.msg);
		free(db);
		return NULL;
	}
	return db;
}

static void settings(sqlite3 *db)
{
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 16 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
}

/* PATH as a URI filename, its characters escaped. */
static int uri_of(const char *path, const char *query, char *out, size_t size)
{
	size_t o = 0;
	o += (size_t)snprintf(out, size, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < size; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(out + o, size - o, "%%%02X", *p);
		else
			out[o++] = (char)*p;
	}
	if (o + strlen(query) + 2 >= size)
		return -1;
	snprintf(out + o, size - o, "?%s", query);
	return 0;
}

/* Open PATH read-only. FULL: because the disk is full (not the folder). */
static struct db *db_open_ro(const char *path, bool full, const struct store_open_opts *opts,
			   struct err *err)
{
	bool immutable = wal_empty(path) && (full || !dir_writable(path));
	char uri[1400];
	sqlite3 *db = NULL;
	int rc;

	if (uri_of(path, immutable ? "mode=ro&immutable=1" : "mode=ro", uri, sizeof uri) < 0) {
		err_set(err, ERR_RANGE, "data", "data directory path too long");
		return NULL;
	}
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
			     (opts && opts->one_thread ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX),
			     opts ? opts->vfs : NULL);
	if (rc == SQLITE_OK) {
		settings(db);
		rc = sqlite3_exec(db, pragmas_ro, NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)       /* the first read is where a missing -shm shows */
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return wrap(db, err);
	if (full)
		err_set(err, ERR_FULL, NULL, "open: %s (sqlite %d)", db ? sqlite3_errmsg(db) :
			sqlite3_errstr(rc), db ? sqlite3_extended_errcode(db) : rc);
	else
		err_set(err, ERR_DENIED, "readonly-open", "%s: %s (sqlite %d)", path,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), db ? sqlite3_extended_errcode(db) : rc);
	sqlite3_close(db);
	return NULL;
}

struct db *db_open(const char *path, bool create, const struct store_open_opts *opts,
		 struct err *err)
{
	struct db *db;
	sqlite3 *lite = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
		    (opts && opts->one_thread ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX);
	int rc;

	if (create) {
		/* Make the file ourselves so it is 0600 from the first byte; SQLite
		 * gives the -wal and -shm files the same mode. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			err_set(err, errno == EEXIST ? ERR_EXISTS : ERR_IO, NULL,
				"%s: %s", path, strerror(errno));
			return NULL;
		}
		close(fd);
	} else if (!can_write(path) || !dir_writable(path)) {
		/* nothing here may be written: read without writing */
		return db_open_ro(path, false, opts, err);
	}
	rc = sqlite3_open_v2(path, &lite, flags, opts ? opts->vfs : NULL);
	if (rc != SQLITE_OK) {
		db_fail(err, NULL, rc, "open");
		sqlite3_close(lite);
		return NULL;
	}
	settings(lite);
	if (!(db = wrap(lite, err)))
		return NULL;
	if (db_exec(db, pragmas_full, err) < 0)
		goto fail;
	if (opts && opts->synchronous == 1 && db_exec(db, "PRAGMA synchronous=OFF", err) < 0)
		goto fail;
	return db;
fail:
	db_close(db);
	/* A full disk: no room even for the -shm file. Reading needs none. */
	if (!create && err && err->code == ERR_FULL)
		return db_open_ro(path, true, opts, err);
	return NULL;
}

/* ---- read-only sessions ---- */

int db_read_only(struct db *dbh)
{
	sqlite3 *db = dbh->lite;
	const char *path;
	sqlite3_stmt *st;
	int q = 0;

	if (!db)                   /* PostgreSQL: its server says, per write */
		return STORE_RW;
	if (sqlite3_db_readonly(db, "main") == 1) {
		/* opened read-only: because of the folder or file, or (both
		 * writable) because the disk was full */
		path = sqlite3_db_filename(db, "main");
		if (path && *path && can_write(path) && dir_writable(path))
			return STORE_RO_FULL;
		return STORE_RO_MEDIA;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA query_only", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			q = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	/* query_only on a writable connection: only ever set for a full disk */
	return q ? STORE_RO_FULL : STORE_RW;
}

int db_read_only_session(struct db *db)
{
	if (!db->lite)
		return db_exec(db, "SET default_transaction_read_only = on", NULL);
	return sqlite3_exec(db->lite, "PRAGMA query_only=ON", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

enum store_ro store_read_only(const struct store *s)
{
	return s && s->db ? (enum store_ro)db_read_only(s->db) : STORE_RW;
}

int store_check_writable(const struct store *s, struct err *err)
{
	switch (store_read_only(s)) {
	case STORE_RO_MEDIA:
		return err_set(err, ERR_DENIED, "readonly", "the store is read-only");
	case STORE_RO_FULL:
		return err_set(err, ERR_FULL, NULL, "the disk is full: this session only reads");
	default:
		return 0;
	}
}
