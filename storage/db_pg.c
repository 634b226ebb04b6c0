/* storage/db_pg.c: the store on PostgreSQL (issue 16), through libpq.
 *
 * libpq is opened when the first PostgreSQL store is, not linked: a
 * posyandu's device never talks to PostgreSQL and carries none of it
 * (the same reasoning as libcurl in sync/http_client.c). The functions are
 * typed from Debian's libpq-fe.h, so a mismatch is a compile error.
 *
 * Statements are SQLite's dialect translated once (storage/db_sql.c);
 * parameters go as int8 text, bytea binary, text; results come back
 * binary and are read per column type. One connection may be shared by
 * threads (the server's): each call holds the connection's mutex. */
#include "storage/db_pg.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "storage/db_sql.h"
#include "core/banned.h"

/* PostgreSQL's type oids (catalog/pg_type.dat), stable across versions. */
enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_NAME = 19, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
	OID_TEXT = 25, OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_UNKNOWN = 705,
	OID_VARCHAR = 1043, OID_NUMERIC = 1700,
};

static struct {
	__typeof__(PQconnectdb) *connectdb;
	__typeof__(PQstatus) *status;
	__typeof__(PQerrorMessage) *error_message;
	__typeof__(PQfinish) *finish;
	__typeof__(PQreset) *reset;
	__typeof__(PQexec) *exec;
	__typeof__(PQexecParams) *exec_params;
	__typeof__(PQresultStatus) *result_status;
	__typeof__(PQresultErrorField) *result_error_field;
	__typeof__(PQresultErrorMessage) *result_error_message;
	__typeof__(PQclear) *clear;
	__typeof__(PQntuples) *ntuples;
	__typeof__(PQftype) *ftype;
	__typeof__(PQgetisnull) *getisnull;
	__typeof__(PQgetvalue) *getvalue;
	__typeof__(PQgetlength) *getlength;
	__typeof__(PQcmdTuples) *cmd_tuples;
	__typeof__(PQtransactionStatus) *transaction_status;
	__typeof__(PQsetNoticeProcessor) *set_notice_processor;
	__typeof__(PQprepare) *prepare;
	__typeof__(PQexecPrepared) *exec_prepared;
} pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static bool pq_ready;
static char pq_error[200];

#define PQ_SYM(h, field, name) ((*(void **)(&pq.field) = dlsym((h), (name))) != NULL)

static void pq_open(void)
{
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (!h) {
		snprintf(pq_error, sizeof pq_error, "%s (apt-get install libpq5)",
			 (e = dlerror()) ? e : "libpq.so.5");
		return;
	}
	if (!(PQ_SYM(h, connectdb, "PQconnectdb") && PQ_SYM(h, status, "PQstatus") &&
	      PQ_SYM(h, error_message, "PQerrorMessage") && PQ_SYM(h, finish, "PQfinish") &&
	      PQ_SYM(h, reset, "PQreset") && PQ_SYM(h, exec, "PQexec") &&
	      PQ_SYM(h, exec_params, "PQexecParams") &&
	      PQ_SYM(h, result_status, "PQresultStatus") &&
	      PQ_SYM(h, result_error_field, "PQresultErrorField") &&
	      PQ_SYM(h, result_error_message, "PQresultErrorMessage") &&
	      PQ_SYM(h, clear, "PQclear") && PQ_SYM(h, ntuples, "PQntuples") &&
	      PQ_SYM(h, ftype, "PQftype") && PQ_SYM(h, getisnull, "PQgetisnull") &&
	      PQ_SYM(h, getvalue, "PQgetvalue") && PQ_SYM(h, getlength, "PQgetlength") &&
	      PQ_SYM(h, cmd_tuples, "PQcmdTuples") &&
	      PQ_SYM(h, transaction_status, "PQtransactionStatus") &&
	      PQ_SYM(h, set_notice_processor, "PQsetNoticeProcessor") &&
	      PQ_SYM(h, prepare, "PQprepare") && PQ_SYM(h, exec_prepared, "PQexecPrepared"))) {
		snprintf(pq_error, sizeof pq_error, "libpq.so.5 lacks a function");
		dlclose(h);
		return;
	}
	pq_ready = true;
}

struct pgc {
	PGconn *conn;
	pthread_mutex_t mu;
	unsigned names;            /* prepared statements named so far */
	unsigned gen;              /* bumped when the connection is made again */
	bool txn;                  /* a transaction was begun and not yet ended */
};

struct param {
	int type;                 /* 0 = NULL */
	int64_t i;
	const void *p;
	int n;
	char num[24];
};

struct pgq {
	struct pgc *c;
	char *sql;                /* translated */
	/* Prepared on the server once (PQprepare) with the parameter types of
	 * its first run, and again if they change or the connection is new. */
	char name[16];
	unsigned gen;
	Oid *ptypes;
	bool keep;                /* prepared on the server (a statement kept, db.c) */
	int nparams;
	struct param *params;
	PGresult *res;
	int row, nrows;
	bool done;
};

bool pg_url(const char *url)
{
	return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

static void set_err(struct pg_err *e, int code, const char *msg)
{
	size_t n;

	if (!e)
		return;
	e->code = code;
	snprintf(e->msg, sizeof e->msg, "%s", msg ? msg : "");
	n = strlen(e->msg);
	while (n && (e->msg[n - 1] == '\n' || e->msg[n - 1] == ' '))
		e->msg[--n] = '\0';
}

/* SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html)
 * to an SQLite extended result code, so db_fail maps both the same way. */
static int code_of(const char *state)
{
	if (!state || strlen(state) != 5)
		return SQLITE_IOERR;              /* no server answer: the connection */
	if (strcmp(state, "23505") == 0)
		return SQLITE_CONSTRAINT_UNIQUE;
	if (strcmp(state, "23503") == 0)
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	if (strcmp(state, "23502") == 0)
		return SQLITE_CONSTRAINT_NOTNULL;
	if (strcmp(state, "23514") == 0)
		return SQLITE_CONSTRAINT_CHECK;
	if (strncmp(state, "23", 2) == 0)
		return SQLITE_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return SQLITE_BUSY;
	if (strcmp(state, "53100") == 0)
		return SQLITE_FULL;
	if (strcmp(state, "25006") == 0)
		return SQLITE_READONLY;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0)
		return SQLITE_IOERR;
	if (strcmp(state, "XX001") == 0 || strcmp(state, "XX002") == 0)
		return SQLITE_CORRUPT;
	return SQLITE_ERROR;
}

static int result_err(PGresult *r, struct pgc *c, struct pg_err *e)
{
	const char *state = r ? pq.result_error_field(r, PG_DIAG_SQLSTATE) : NULL;
	/* the primary message only: DETAIL may quote the row ("Failing row
	 * contains ..."), which can be a user's slot, and errors reach logs
	 * and HTTP answers */
	const char *msg = r ? pq.result_error_field(r, PG_DIAG_MESSAGE_PRIMARY) :
			      pq.error_message(c->conn);
	int code = code_of(state);

	set_err(e, code, msg && *msg ? msg : "PostgreSQL failed");
	return code;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Every session's settings: each commit durable before it is answered
 * (SECURITY.md §3.1), whatever the database's or role's defaults; READ
 * COMMITTED, so what a transaction reads after taking a lock is what the
 * lock's last holder committed (the import's checks under the writers'
 * lock rest on it; a "repeatable read" default would read from before); a wait
 * for the writers' lock bounded as SQLite's busy timeout is (5 s: then
 * ERR_BUSY, 503, the device retries); the literals and bytea as written. */
static const char session_sql[] =
	"SET synchronous_commit = on; SET client_min_messages = warning;"
	"SET standard_conforming_strings = on; SET bytea_output = 'hex';"
	"SET lock_timeout = '5s'; SET default_transaction_isolation = 'read committed'";

/* A lost connection is made again, but never inside a transaction the
 * caller began: its statements would then run one by one in autocommit, and
 * a COMMIT at the end would "succeed" with half of them. Until the caller's
 * rollback (db_rollback) ends it, every statement fails. */
static void revive(struct pgc *c)
{
	if (!c->txn && pq.status(c->conn) == CONNECTION_BAD) {
		pq.reset(c->conn);
		c->gen++;
		if (pq.status(c->conn) == CONNECTION_OK)
			pq.clear(pq.exec(c->conn, session_sql));
	}
}

bool pg_url_has_password(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at, *q;

	if (!p)
		return false;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at && memchr(p, ':', (size_t)(at - p)))
		return true;               /* user:password@ */
	for (q = strchr(url, '?'); q; q = strchr(q + 1, '&'))
		if (strncasecmp(q + 1, "password=", 9) == 0)
			return true;
	return false;
}

struct pgc *pg_connect(const char *url, struct pg_err *e)
{
	struct pgc *c;
	PGresult *r;
	int rc;

	/* A password in the URL would be in the configuration, maybe in argv
	 * (ps), and libpq quotes the URL in its parse errors: refused, never
	 * repeated. libpq reads it from ~/.pgpass or PGPASSFILE. */
	if (pg_url_has_password(url)) {
		set_err(e, SQLITE_CANTOPEN, "the store URL holds a password: put it in ~/.pgpass "
			"or the file PGPASSFILE names, not in the URL");
		return NULL;
	}
	pthread_once(&pq_once, pq_open);
	if (!pq_ready) {
		set_err(e, SQLITE_CANTOPEN, pq_error);
		return NULL;
	}
	if (!(c = calloc(1, sizeof *c))) {
		set_err(e, SQLITE_NOMEM, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	c->conn = pq.connectdb(url);
	if (!c->conn || pq.status(c->conn) != CONNECTION_OK) {
		set_err(e, SQLITE_CANTOPEN, c->conn ? pq.error_message(c->conn) : "out of memory");
		pg_close(c);
		return NULL;
	}
	pq.set_notice_processor(c->conn, quiet, NULL);
	/* Every commit durable before it is answered (SECURITY.md §3.1); the
	 * schema version beside the tables, made once under the writers' lock. */
	pq.clear(pq.exec(c->conn, session_sql));
	r = pq.exec(c->conn, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITER_LOCK ");"
		    "CREATE TABLE IF NOT EXISTS py_schema(v BIGINT NOT NULL);"
		    "INSERT INTO py_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM py_schema);"
		    "COMMIT");
	rc = r && pq.result_status(r) == PGRES_COMMAND_OK ? SQLITE_OK : result_err(r, c, e);
	pq.clear(r);
	if (rc != SQLITE_OK) {
		pg_close(c);
		return NULL;
	}
	return c;
}

void pg_close(struct pgc *c)
{
	if (!c)
		return;
	if (c->conn)
		pq.finish(c->conn);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

unsigned pg_gen(const struct pgc *c)
{
	return c->gen;
}

bool pg_in_txn(struct pgc *c)
{
	PGTransactionStatusType t;
	bool txn;

	pthread_mutex_lock(&c->mu);
	t = pq.transaction_status(c->conn);
	txn = c->txn;
	pthread_mutex_unlock(&c->mu);
	/* ours, even when the connection is gone and cannot tell */
	return txn || t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

bool pg_txn_failed(struct pgc *c)
{
	PGTransactionStatusType t;

	pthread_mutex_lock(&c->mu);
	t = pq.transaction_status(c->conn);
	pthread_mutex_unlock(&c->mu);
	return t == PQTRANS_INERROR || t == PQTRANS_UNKNOWN;
}

int pg_exec(struct pgc *c, const char *sql, int *changes, struct pg_err *e)
{
	char why[120];
	int n, rc = SQLITE_OK;
	char *t = db_sql_pg(sql, &n, why, sizeof why);
	PGresult *r;

	*changes = 0;
	if (!t) {
		set_err(e, SQLITE_ERROR, why);
		return SQLITE_ERROR;
	}
	pthread_mutex_lock(&c->mu);
	revive(c);
	r = pq.exec(c->conn, t);
	if (r && (pq.result_status(r) == PGRES_COMMAND_OK || pq.result_status(r) == PGRES_TUPLES_OK))
		*changes = (int)strtol(pq.cmd_tuples(r), NULL, 10);
	else
		rc = result_err(r, c, e);
	/* the caller's transaction: begun by db_begin, ended by its commit or
	 * rollback whatever their result (a failed COMMIT has ended it too) */
	if (strncmp(sql, "BEGIN", 5) == 0)
		c->txn = rc == SQLITE_OK || pq.transaction_status(c->conn) != PQTRANS_IDLE;
	else if (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0)
		c->txn = false;
	pthread_mutex_unlock(&c->mu);
	pq.clear(r);
	free(t);
	return rc;
}

/* ---- statements ---- */

struct pgq *pgq_new(struct pgc *c, const char *sql, bool keep, struct pg_err *e)
{
	struct pgq *q = calloc(1, sizeof *q);
	char why[120];

	if (!q) {
		set_err(e, SQLITE_NOMEM, "out of memory");
		return NULL;
	}
	q->c = c;
	q->keep = keep;
	if (!(q->sql = db_sql_pg(sql, &q->nparams, why, sizeof why))) {
		set_err(e, SQLITE_ERROR, why);
		free(q);
		return NULL;
	}
	if (q->nparams && (!(q->params = calloc((size_t)q->nparams, sizeof *q->params)) ||
			   !(q->ptypes = calloc((size_t)q->nparams, sizeof *q->ptypes)))) {
		set_err(e, SQLITE_NOMEM, "out of memory");
		pgq_free(q);
		return NULL;
	}
	q->row = -1;
	return q;
}

void pgq_free(struct pgq *q)
{
	if (!q)
		return;
	if (q->res)
		pq.clear(q->res);
	if (q->name[0] && q->gen == q->c->gen) {
		char sql[32];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", q->name);
		pthread_mutex_lock(&q->c->mu);
		pq.clear(pq.exec(q->c->conn, sql));
		pthread_mutex_unlock(&q->c->mu);
	}
	free(q->params);
	free(q->ptypes);
	free(q->sql);
	free(q);
}

void pgq_reset(struct pgq *q)
{
	if (q->res)
		pq.clear(q->res);
	q->res = NULL;
	q->row = -1;
	q->nrows = 0;
	q->done = false;
}

void pgq_clear(struct pgq *q)
{
	if (q->nparams)
		memset(q->params, 0, (size_t)q->nparams * sizeof *q->params);
}

static struct param *param(struct pgq *q, int i)
{
	return i >= 1 && i <= q->nparams ? &q->params[i - 1] : NULL;
}

void pgq_bind_int(struct pgq *q, int i, int64_t v)
{
	struct param *p = param(q, i);
	if (p)
		*p = (struct param){ .type = OID_INT8, .i = v };
}

void pgq_bind_blob(struct pgq *q, int i, const void *b, int n)
{
	struct param *p = param(q, i);
	if (p)
		*p = b ? (struct param){ .type = OID_BYTEA, .p = b, .n = n } : (struct param){ 0 };
}

void pgq_bind_text(struct pgq *q, int i, const char *s)
{
	struct param *p = param(q, i);
	if (p)
		*p = s ? (struct param){ .type = OID_TEXT, .p = s, .n = (int)strlen(s) } :
			 (struct param){ 0 };
}

#define PG_MAX_PARAMS 64

/* Q run with its parameters: prepared on the server the first time (a
 * statement run again skips the parse and plan), under the connection's
 * mutex. A NULL parameter keeps the type it was prepared with. */
static PGresult *run(struct pgq *q, Oid *types, const char *const *values, const int *lengths,
		     const int *formats)
{
	bool same = q->name[0] && q->gen == q->c->gen;
	PGresult *r;

	if (!q->keep)
		return pq.exec_params(q->c->conn, q->sql, q->nparams, types, values, lengths,
				      formats, 1);
	for (int i = 0; i < q->nparams; i++) {
		if (!types[i])
			types[i] = q->ptypes[i];
		else if (types[i] != q->ptypes[i])
			same = false;
	}
	if (!same) {
		if (q->name[0] && q->gen == q->c->gen) {
			char sql[32];
			snprintf(sql, sizeof sql, "DEALLOCATE %s", q->name);
			pq.clear(pq.exec(q->c->conn, sql));
		}
		snprintf(q->name, sizeof q->name, "py%u", ++q->c->names);
		r = pq.prepare(q->c->conn, q->name, q->sql, q->nparams, types);
		if (!r || pq.result_status(r) != PGRES_COMMAND_OK) {
			q->name[0] = '\0';
			return r;
		}
		pq.clear(r);
		q->gen = q->c->gen;
		if (q->nparams)
			memcpy(q->ptypes, types, (size_t)q->nparams * sizeof *types);
	}
	return pq.exec_prepared(q->c->conn, q->name, q->nparams, values, lengths, formats, 1);
}

int pgq_step(struct pgq *q, int *changes, struct pg_err *e)
{
	const char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS], formats[PG_MAX_PARAMS];
	Oid types[PG_MAX_PARAMS];
	ExecStatusType st;
	int rc = SQLITE_OK;

	*changes = -1;
	if (q->done)
		return SQLITE_DONE;
	if (q->res) {
		if (++q->row < q->nrows)
			return SQLITE_ROW;
		q->done = true;
		return SQLITE_DONE;
	}
	if (q->nparams > PG_MAX_PARAMS) {
		set_err(e, SQLITE_RANGE, "too many parameters");
		return SQLITE_RANGE;
	}
	for (int i = 0; i < q->nparams; i++) {
		struct param *p = &q->params[i];
		types[i] = (Oid)p->type;
		formats[i] = p->type == OID_BYTEA;
		lengths[i] = p->n;
		switch (p->type) {
		case OID_INT8:
			snprintf(p->num, sizeof p->num, "%lld", (long long)p->i);
			values[i] = p->num;
			break;
		case OID_BYTEA:
			values[i] = p->n ? p->p : "";
			break;
		case OID_TEXT:
			values[i] = p->p;
			break;
		default:
			values[i] = NULL;
		}
	}
	pthread_mutex_lock(&q->c->mu);
	revive(q->c);
	q->res = run(q, types, values, lengths, formats);
	st = q->res ? pq.result_status(q->res) : PGRES_FATAL_ERROR;
	if (st == PGRES_TUPLES_OK) {
		q->nrows = pq.ntuples(q->res);
		q->row = 0;
		*changes = 0;
	} else if (st == PGRES_COMMAND_OK) {
		*changes = (int)strtol(pq.cmd_tuples(q->res), NULL, 10);
		q->done = true;
	} else {
		rc = result_err(q->res, q->c, e);
	}
	pthread_mutex_unlock(&q->c->mu);
	if (rc != SQLITE_OK) {
		pgq_reset(q);
		return rc;
	}
	if (q->done)
		return SQLITE_DONE;
	if (q->row < q->nrows)
		return SQLITE_ROW;
	q->done = true;
	return SQLITE_DONE;
}

static bool on_row(struct pgq *q, int col)
{
	return q->res && q->row >= 0 && q->row < q->nrows && col >= 0 &&
	       !pq.getisnull(q->res, q->row, col);
}

int pgq_type(struct pgq *q, int col)
{
	if (!on_row(q, col))
		return SQLITE_NULL;
	switch (pq.ftype(q->res, col)) {
	case OID_BYTEA:
		return SQLITE_BLOB;
	case OID_TEXT: case OID_VARCHAR: case OID_NAME: case OID_UNKNOWN:
		return SQLITE_TEXT;
	case OID_FLOAT4: case OID_FLOAT8:
		return SQLITE_FLOAT;
	default:
		return SQLITE_INTEGER;
	}
}

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A binary numeric (what sum() of bigints gives): base-10000 digits. */
static int64_t numeric(const unsigned char *p, int len)
{
	int ndigits, weight, sign;
	int64_t v = 0;

	if (len < 8)
		return 0;
	ndigits = (int16_t)be(p, 2);
	weight = (int16_t)be(p + 2, 2);
	sign = (int)be(p + 4, 2);
	if (len < 8 + 2 * ndigits)
		return 0;
	for (int i = 0; i <= weight; i++)
		v = v * 10000 + (i < ndigits ? (int64_t)be(p + 8 + 2 * i, 2) : 0);
	return sign == 0x4000 ? -v : v;
}

int64_t pgq_int(struct pgq *q, int col)
{
	const unsigned char *p;
	int n;

	if (!on_row(q, col))
		return 0;
	p = (const unsigned char *)pq.getvalue(q->res, q->row, col);
	n = pq.getlength(q->res, q->row, col);
	switch (pq.ftype(q->res, col)) {
	case OID_INT8:
		return n == 8 ? (int64_t)be(p, 8) : 0;
	case OID_INT4: case OID_OID:
		return n == 4 ? (int32_t)be(p, 4) : 0;
	case OID_INT2:
		return n == 2 ? (int16_t)be(p, 2) : 0;
	case OID_BOOL:
		return n == 1 ? p[0] != 0 : 0;
	case OID_NUMERIC:
		return numeric(p, n);
	case OID_FLOAT8: {
		uint64_t u = be(p, 8);
		double d;
		memcpy(&d, &u, sizeof d);
		return n == 8 ? (int64_t)d : 0;
	}
	case OID_TEXT: case OID_VARCHAR: case OID_UNKNOWN:
		return strtoll((const char *)p, NULL, 10);
	default:
		return 0;
	}
}

const void *pgq_blob(struct pgq *q, int col)
{
	if (!on_row(q, col) || pq.getlength(q->res, q->row, col) == 0)
		return NULL;
	return pq.getvalue(q->res, q->row, col);
}

int pgq_bytes(struct pgq *q, int col)
{
	return on_row(q, col) ? pq.getlength(q->res, q->row, col) : 0;
}

const unsigned char *pgq_text(struct pgq *q, int col)
{
	if (!on_row(q, col))
		return NULL;
	return (const unsigned char *)pq.getvalue(q->res, q->row, col);
}
