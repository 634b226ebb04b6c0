/* storage/store_copy.c: a district's SQLite store moved to PostgreSQL
 * (issue 16, posyandu-server migrate). Rows are copied as they are: every
 * payload stays sealed, nothing is opened, no key is needed. The schema is
 * made by the same steps (storage/migrate.c) and the whole copy is one
 * transaction, so an interrupted move leaves the database empty. The
 * report's cache (derived, sealed) is not copied: the new store computes
 * its figures again from the records, which is what the command's check
 * then compares. */
#include "storage/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define COLS_MAX 32

/* Derived tables, made again by the first report on the new store. */
static bool derived(const char *table)
{
	return strncmp(table, "report_", 7) == 0 || strcmp(table, "form_drafts") == 0;
}

struct table {
	char name[64];
};

static int table_row(void *ctx, struct dbq *st, void *item, struct err *err)
{
	struct table *t = item;
	const unsigned char *name = dbq_text(st, 0);

	(void)ctx;
	(void)err;
	if (!name || strlen((const char *)name) >= sizeof t->name || derived((const char *)name))
		return 1;
	snprintf(t->name, sizeof t->name, "%s", name);
	return 0;
}

/* The column names of TABLE in SRC, comma-separated, and their number. */
static int columns(struct db *src, const char *table, char *list, size_t size, int *n,
		   struct err *err)
{
	char sql[128];
	struct dbq *st;
	size_t len = 0;
	int rc;

	*n = 0;
	list[0] = '\0';
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
	if (db_prepare(src, sql, &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)dbq_text(st, 1);
		int w = snprintf(list + len, size - len, "%s%s", *n ? ", " : "", c ? c : "");
		if (w < 0 || (size_t)w >= size - len || ++*n > COLS_MAX) {
			db_done(st);
			return err_set(err, ERR_RANGE, NULL, "%s: too many columns", table);
		}
		len += (size_t)w;
	}
	db_done(st);
	return rc == SQLITE_DONE ? 0 : db_fail(err, src, rc, table);
}

static int copy_table(struct db *src, struct db *dst, const char *table, int64_t *rows,
		      struct err *err)
{
	char cols[1024], sel[1200], ins[1400];
	struct db_arg a[COLS_MAX];
	struct dbq *st;
	int n, rc;
	size_t len;
	int64_t there;

	*rows = 0;
	if (columns(src, table, cols, sizeof cols, &n, err) < 0)
		return -1;
	snprintf(sel, sizeof sel, "SELECT %s FROM %s", cols, table);
	len = (size_t)snprintf(ins, sizeof ins, "INSERT INTO %s(%s) VALUES(", table, cols);
	for (int i = 0; i < n && len < sizeof ins; i++)
		len += (size_t)snprintf(ins + len, sizeof ins - len, "%s?%d", i ? ", " : "", i + 1);
	if (len + 2 >= sizeof ins)
		return err_set(err, ERR_RANGE, NULL, "%s: statement too long", table);
	snprintf(ins + len, sizeof ins - len, ")");
	if (db_prepare(src, sel, &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			switch (dbq_type(st, i)) {
			case SQLITE_INTEGER:
				a[i] = DB_INT(dbq_int64(st, i));
				break;
			case SQLITE_BLOB:
				/* an empty blob is still a blob, not NULL */
				a[i] = DB_BLOB(dbq_bytes(st, i) ? dbq_blob(st, i) : (const void *)"",
					       dbq_bytes(st, i));
				break;
			case SQLITE_TEXT:
				a[i] = DB_TEXT((const char *)dbq_text(st, i));
				break;
			case SQLITE_NULL:
				a[i] = DB_NULL;
				break;
			default:
				db_done(st);
				return err_set(err, ERR_DB, NULL, "%s: a value of no store type", table);
			}
		}
		if (db_run(dst, ins, table, a, (size_t)n, err) < 0) {
			db_done(st);
			return -1;
		}
		++*rows;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, src, rc, table);
	snprintf(sel, sizeof sel, "SELECT count(*) FROM %s", table);
	if (db_int(dst, sel, &there, table, DB_NOARGS, err) < 0)
		return -1;
	if (there != *rows)
		return err_set(err, ERR_DB, NULL, "%s: %lld rows read, %lld in PostgreSQL", table,
			       (long long)*rows, (long long)there);
	return 0;
}

int store_copy_to_pg(const char *dir, const char *url, store_copy_fn progress, void *ctx,
		     struct err *err)
{
	struct store *src;
	struct db *dst = NULL;
	struct table *t = NULL;
	size_t nt = 0;
	int64_t rows;
	int rc = -1, has;
	bool ok = false;

	if (!(src = store_open(dir, NULL, err)))
		return -1;
	if (!(dst = db_open_url(url, err)) || (has = pg_has_tables(dst, err)) < 0)
		goto out;
	if (has) {
		err_set(err, ERR_EXISTS, "store", "the PostgreSQL database already holds a store");
		goto out;
	}
	/* versions first: heads refers to it */
	if (db_collect(src->db, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
		       "name NOT LIKE 'sqlite_%' ORDER BY name != 'versions', name", DB_NOARGS,
		       sizeof *t, table_row, NULL, (void **)&t, &nt, "tables", err) < 0)
		goto out;
	/* one snapshot of the source: a server still writing it (the man
	 * page says to stop it) cannot tear the copy */
	if (db_exec(src->db, "BEGIN", err) < 0)
		goto out;
	if (db_outer_begin(dst, err) < 0) {
		db_rollback(src->db);
		goto out;
	}
	ok = migrate_run(dst, 0, err) == 0;
	for (size_t i = 0; ok && i < nt; i++) {
		ok = copy_table(src->db, dst, t[i].name, &rows, err) == 0;
		if (ok && progress)
			progress(ctx, t[i].name, rows);
	}
	/* the change numbers go on from the highest copied */
	ok = ok && db_exec(dst, "SELECT setval(pg_get_serial_sequence('versions', 'seq'), "
			   "COALESCE((SELECT max(seq) FROM versions), 1), "
			   "(SELECT count(*) FROM versions) > 0)", err) == 0;
	if (db_outer_end(dst, ok, err) < 0)
		ok = false;
	db_rollback(src->db);
	rc = ok ? 0 : -1;
out:
	free(t);
	db_close(dst);
	store_close(src);
	return rc;
}

int store_months(struct store *s, int **months, size_t *n, struct err *err)
{
	struct dbq *st;
	int *v = NULL, *grown;
	size_t cap = 0;
	int rc;

	*months = NULL;
	*n = 0;
	if (db_prepare(s->db, "SELECT DISTINCT month FROM versions WHERE month IS NOT NULL "
		       "ORDER BY month", &st, err) < 0)
		return -1;
	while ((rc = dbq_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			if (!(grown = realloc(v, cap * sizeof *v))) {
				db_done(st);
				free(v);
				*n = 0;
				return err_set(err, ERR_NOMEM, NULL, "out of memory");
			}
			v = grown;
		}
		v[(*n)++] = dbq_int(st, 0);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return db_fail(err, s->db, rc, "months");
	}
	*months = v;
	return 0;
}
