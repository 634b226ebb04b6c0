/* bench/bench_server_report.c: the district's monthly report (issue 15,
 * make bench): posyandu-server's `report monthly` work, in this process,
 * over a district of 20 posyandu (about 56 k rows, the row) and
 * one of 150 (BENCH_DISTRICT=N to change it, 0 to skip; 554, the issue's
 * district, takes 4-5 minutes here, most of it writing 1.5 M rows, so
 * make bench extrapolates to it linearly and says so), each figure
 * beside the unlock (Argon2id at the server profile, 256 MiB, t=3) of the
 * same store in the same run:
 *   - first run: nothing kept yet (the change scan of every version, then
 *     every record decrypted once);
 *   - second run: nothing changed since (the goal: < 0.05 s at 20);
 *   - after one posyandu's import (one posyandu computed again);
 *   - every record decrypted, no cache: the work the report did before.
 * The stores are written straight through storage/ (the record sealing and
 * heads of storage/record.c, with one enrolled device per posyandu), not
 * through bundles: importing 1.5 M rows through the import pipeline takes
 * longer than a benchmark should; what the report reads is the same.
 * Stores live in ./var/bench-sreport on the real disk. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/demo.h"
#include "storage/codec.h"
#include "storage/internal.h"
#include "storage/sync_store.h"
#include "sync/server_report.h"

#define DIR_ROOT "var/bench-sreport"
static const char pass[] = "bench district passphrase";

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench_server_report: %s: %s %s\n", what, err_code_name(e->code),
		e->detail);
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return t[n / 2];
}

/* ---- the district, written through storage/ ---- */

struct gen {
	struct store *s;
	uint8_t device[16], dev0[16];
	char code[17], code0[17];  /* the device's posyandu: its records' code */
	uint64_t lamport;
	sqlite3_stmt *head;
	size_t rows;
	uint8_t kids[64][16];      /* posyandu 0's first children, for a later import */
	size_t nkids;
	bool keep;
	struct err e;
};

/* A fresh uuid without a system call per row: a random prefix drawn once
 * and a counter (random ids cost a getrandom each; the report does not
 * care how they were made). */
static void new_id(uint8_t id[16])
{
	static uint8_t prefix[8];
	static uint64_t n;
	if (n++ == 0)
		randombytes_buf(prefix, sizeof prefix);
	memcpy(id, prefix, 8);
	memcpy(id + 8, &n, 8);
}

static int put(struct gen *g, int kind, const uint8_t uuid[16], const uint8_t *owner,
	       int32_t month, const char *json)
{
	struct rec_meta m;

	memset(&m, 0, sizeof m);
	memcpy(m.uuid, uuid, 16);
	m.kind = kind;
	if (owner)
		memcpy(m.owner, owner, 16);
	m.lamport = ++g->lamport;
	memcpy(m.device, g->device, 16);
	m.month = month;
	new_id(m.vid);
	if (!json || record_insert(g->s, &m, g->code, json, strlen(json), false, &g->e) < 0)
		return -1;
	sqlite3_reset(g->head);
	sqlite3_bind_blob(g->head, 1, uuid, 16, SQLITE_STATIC);
	sqlite3_bind_int(g->head, 2, kind);
	sqlite3_bind_int64(g->head, 3, (sqlite3_int64)m.lamport);
	sqlite3_bind_blob(g->head, 4, g->device, 16, SQLITE_STATIC);
	sqlite3_bind_text(g->head, 5, g->code, -1, SQLITE_STATIC);
	if (sqlite3_step(g->head) != SQLITE_DONE)
		return err_set(&g->e, ERR_DB, NULL, "heads: %s", sqlite3_errmsg(db_lite(g->s->db)));
	g->rows++;
	return 0;
}

static int put_person(void *ctx, struct person *p)
{
	struct gen *g = ctx;
	uint8_t author[16] = { 1 };
	char *json;
	int rc;

	new_id(p->uuid);
	json = codec_person_encode(p, author, 1700000000);
	rc = put(g, REC_PERSON, p->uuid, uuid_is_zero(p->mother) ? NULL : p->mother, -1, json);
	codec_free(json);
	if (g->keep && p->kind == PERSON_CHILD && g->nkids < 64)
		memcpy(g->kids[g->nkids++], p->uuid, 16);
	return rc;
}

static int put_visit(void *ctx, struct visit *v)
{
	struct gen *g = ctx;
	uint8_t author[16] = { 1 };
	char *json;
	int rc;

	new_id(v->uuid);
	json = codec_visit_encode(v, author, 1700000000);
	rc = put(g, REC_VISIT, v->uuid, v->person, date_month_index(v->date), json);
	codec_free(json);
	return rc;
}

/* An approved device of posyandu CODE, whose id goes to G. */
static void enrol(struct gen *g, const char *code)
{
	struct sync_device d;
	uint8_t req[8] = { 0 };
	bool existed;

	memset(&d, 0, sizeof d);
	randombytes_buf(d.id, 16);
	randombytes_buf(d.ed_pk, 32);
	randombytes_buf(d.x_pk, 32);
	snprintf(d.posyandu, sizeof d.posyandu, "%s", code);
	snprintf(d.name, sizeof d.name, "Bench %s", code);
	d.status = SYNC_DEV_PENDING;
	d.requested_at = 1700000000;
	if (sync_device_add(g->s, &d, req, sizeof req, &existed, &g->e) < 0 ||
	    sync_device_set_status(g->s, d.id, SYNC_DEV_APPROVED, &g->e) < 0)
		die("enrol", &g->e);
	memcpy(g->device, d.id, 16);
	snprintf(g->code, sizeof g->code, "%s", code);
}

static const char *dir_of(int n, char *buf, size_t size)
{
	snprintf(buf, size, DIR_ROOT "/d%d", n);
	return buf;
}

/* A district of N posyandu, each from core/demo.c (about 2.8 k rows). */
static size_t build(int n, int32_t today, struct gen *g)
{
	struct kdf_params kdf = { 3, (size_t)256 << 20 };      /* the server profile */
	struct demo_sink sink = { put_person, put_visit, g };
	struct store_profile p;
	char dir[128], cmd[160];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir_of(n, dir, sizeof dir));
	if (system(cmd) != 0)
		exit(1);
	memset(&p, 0, sizeof p);
	snprintf(p.code, sizeof p.code, "KAB-BENCH");
	snprintf(p.name, sizeof p.name, "Bench district");
	memset(g, 0, sizeof *g);
	if (!(g->s = store_create(dir, &p, "district", pass, sizeof pass - 1, &kdf, &g->e)))
		die("create", &g->e);
	if (sqlite3_prepare_v2(db_lite(g->s->db), "INSERT INTO heads(uuid, kind, lamport, device, "
			       "posyandu, seq, deleted) VALUES(?1, ?2, ?3, ?4, ?5, "
			       "last_insert_rowid(), 0)", -1,
			       &g->head, NULL) != SQLITE_OK)
		exit(1);
	for (int k = 0; k < n; k++) {
		struct demo_params dp = { 88, 40, (uint64_t)k + 1, today };
		char code[17];
		snprintf(code, sizeof code, "P-%04d", k + 1);
		enrol(g, code);
		if (k == 0) {
			memcpy(g->dev0, g->device, 16);
			snprintf(g->code0, sizeof g->code0, "%s", g->code);
		}
		g->keep = k == 0;
		if (db_begin(g->s->db, &g->e) < 0 || demo_generate(&dp, &sink) < 0 ||
		    db_commit(g->s->db, &g->e) < 0)
			die("generate", &g->e);
	}
	sqlite3_finalize(g->head);
	g->head = NULL;
	return g->rows;
}

/* One posyandu's import: a weighing of posyandu 0's first children on DAY. */
static void import_one(struct gen *g, int32_t day)
{
	char sql[] = "INSERT INTO heads(uuid, kind, lamport, device, posyandu, seq, deleted) "
		     "VALUES(?1, ?2, ?3, ?4, ?5, last_insert_rowid(), 0) "
		     "ON CONFLICT(uuid, posyandu) DO NOTHING";
	memcpy(g->device, g->dev0, 16);
	snprintf(g->code, sizeof g->code, "%s", g->code0);
	if (sqlite3_prepare_v2(db_lite(g->s->db), sql, -1, &g->head, NULL) != SQLITE_OK ||
	    db_begin(g->s->db, &g->e) < 0)
		die("import", &g->e);
	for (size_t i = 0; i < g->nkids; i++) {
		struct visit v;
		memset(&v, 0, sizeof v);
		memcpy(v.person, g->kids[i], 16);
		v.date = day;
		v.weight_g = 9000 + (uint32_t)i * 10;
		v.asi_recall = -1;
		v.bf_continue = BF_NOT_ASKED;
		if (put_visit(g, &v) < 0)
			die("import", &g->e);
	}
	if (db_commit(g->s->db, &g->e) < 0)
		die("import", &g->e);
	sqlite3_finalize(g->head);
	g->head = NULL;
}

/* ---- the figures ---- */

static double report(struct store *s, int month, bool cached, struct server_report_stats *st,
		     int *s_total)
{
	struct server_report_row *rows;
	struct err e = { 0 };
	size_t n;
	double t0 = now();

	if ((cached ? server_report_monthly : server_report_monthly_full)(s, month, DATE_NONE, &rows,
									  &n, st, &e) < 0)
		die("report", &e);
	t0 = now() - t0;
	*s_total = rows[n - 1].m.all.s;
	free(rows);
	return t0;
}

static void bench(int n, int32_t today, int month)
{
	struct server_report_stats st, st2, st3;
	struct gen g;
	struct err e = { 0 };
	double t0, unlock, first, warm[5], one[3], full[3], tgen;
	int sum, sum2, nfull = n > 100 ? 1 : 3;
	size_t rows;
	char dir[128];

	t0 = now();
	rows = build(n, today, &g);
	tgen = now() - t0;
	store_close(g.s);
	t0 = now();
	if (!(g.s = store_open(dir_of(n, dir, sizeof dir), NULL, &e)) ||
	    store_login(g.s, "district", pass, sizeof pass - 1, NULL, &e) < 0)
		die("unlock", &e);
	unlock = now() - t0;
	first = report(g.s, month, true, &st, &sum);
	for (int r = 0; r < 5; r++)
		warm[r] = report(g.s, month, true, &st2, &sum2);
	if (sum2 != sum || st2.computed != 0)
		exit(1);
	for (int r = 0; r < 3; r++) {
		import_one(&g, report_month_last_day(month) - r);
		one[r] = report(g.s, month, true, &st3, &sum2);
	}
	for (int r = 0; r < nfull; r++)
		full[r] = report(g.s, month, false, &st2, &sum2);
	printf("bench server report: %d posyandu, %zu rows (%zu decrypted), S %d; built in %.0f s\n",
	       n, rows, st.decrypted, sum, tgen);
	printf("bench server report: %d posyandu: unlock %.2f s; report beyond it: first run "
	       "%.3f s (%zu computed), second run %.4f s (%zu computed), after one posyandu's "
	       "import %.3f s (%zu computed), every record without the cache %.3f s\n", n, unlock,
	       first, st.computed, median(warm, 5), (size_t)0, median(one, 3), st3.computed,
	       median(full, nfull));
	if (n != 554 && n > 20)
		printf("bench server report: 554 posyandu, extrapolated linearly from %d (not measured): "
		       "first run %.1f s, second run %.4f s, after one posyandu's import %.3f s, "
		       "without the cache %.1f s\n", n, first * 554 / n, median(warm, 5) * 554 / n,
		       median(one, 3) * 554 / n, median(full, nfull) * 554 / n);
	store_close(g.s);
	snprintf(dir, sizeof dir, "rm -rf '" DIR_ROOT "/d%d'", n);
	if (system(dir) != 0)
		exit(1);
}

int main(void)
{
	const char *env = getenv("BENCH_DISTRICT");
	int big = env ? atoi(env) : 150;
	int32_t today = date_from_ymd(2024, 9, 15);
	int month = date_month_index(today) - 1;               /* August 2024 */

	if (sodium_init() < 0)
		return 1;
	codec_init();
	if (system("mkdir -p " DIR_ROOT) != 0)
		return 1;
	bench(20, today, month);
	if (big > 0)
		bench(big, today, month);
	return 0;
}
