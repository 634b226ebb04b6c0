/* tests/unit/test_server_report.c: the district report with its cache
 * (issue 15, sync/server_report.c, storage/report_cache.c) on real stores:
 * a district, two devices of P-0001 and one each of P-0002 to P-0004, real
 * bundles and real crypto.
 *
 * After every step the cached report must equal the report as it was
 * computed before the cache (each posyandu from its own records, the
 * district from every record: computed here, independently) and the
 * uncached one, and a run after nothing changed must decrypt nothing:
 *   - first run, second run;
 *   - an import that adds a new month;
 *   - a late visit of an old month (every month after it changes);
 *   - the second device of a posyandu editing the first one's records;
 *   - a deleted visit, a revoked device, a device enrolled later;
 *   - a result computed from a snapshot taken before an import is never
 *     read after it (two reports at once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "core/demo.h"
#include "storage/clock.h"
#include "storage/internal.h"
#include "storage/report_cache.h"
#include "sync/receipt.h"
#include "sync/server_report.h"
#include "tests/unit/test_sync_fixture.h"

#define NDEV 5

struct world {
	struct sf_store district, d[NDEV];    /* d[0], d[1]: P-0001; d[k]: P-000k */
	int32_t today;
	int month;                            /* the current month */
};

static const char *const codes[NDEV] = { "P-0001", "P-0001", "P-0002", "P-0003", "P-0004" };

static void ok(int rc, const struct err *e)
{
	if (rc < 0)
		fail_msg("%s %s: %s", err_code_name(e->code), e->field ? e->field : "-", e->detail);
}

/* ---- data ---- */

struct sink {
	struct store *s;
	struct err *err;
};

static int put_person(void *ctx, struct person *p)
{
	struct sink *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(p->uuid, d.uuid, UUID_LEN);
	return store_person_put(c->s, &d, p, c->err);
}

static int put_visit(void *ctx, struct visit *v)
{
	struct sink *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(v->uuid, d.uuid, UUID_LEN);
	return store_visit_put(c->s, &d, v, c->err);
}

static void demo(struct store *s, int children, int months, uint64_t seed, int32_t today)
{
	struct err e = { 0 };
	struct sink c = { s, &e };
	struct demo_sink sink = { put_person, put_visit, &c };
	struct demo_params dp = { children, months, seed, today };
	ok(store_batch_begin(s, &e), &e);
	if (demo_generate(&dp, &sink) < 0)
		sf_die("demo", &e);
	ok(store_batch_commit(s, &e), &e);
}

static void upload(struct world *w, struct sf_store *dev)
{
	struct export_result er;
	struct import_opts o = { .district = true };
	struct import_result ir;
	struct receipt rc;
	struct err e = { 0 };
	bool already;
	uint64_t wm;

	ok(export_upstream(dev->s, false, &er, &e), &e);
	if (er.empty)
		return;
	ok(import_bundle(w->district.s, er.e.path, &o, &ir, &e), &e);
	ok(import_receipt(dev->s, ir.receipt, RECEIPT_LEN, &rc, &already, &wm, &e), &e);
}

static void download(struct world *w, struct sf_store *dev)
{
	struct export_result er;
	struct import_opts o = { .district = false };
	struct import_result ir;
	struct err e = { 0 };

	ok(export_downstream(w->district.s, store_device_id(dev->s), 0, &er, &e), &e);
	if (!er.empty)
		ok(import_bundle(dev->s, er.e.path, &o, &ir, &e), &e);
}

/* A visit of PERSON on DAY with a weight, on device S. */
static void visit_on(struct store *s, const uint8_t person[16], int32_t day, uint32_t weight_g)
{
	struct visit v;
	struct draft d;
	struct err e = { 0 };

	memset(&v, 0, sizeof v);
	store_draft_new(&d);
	memcpy(v.uuid, d.uuid, 16);
	memcpy(v.person, person, 16);
	v.date = day;
	v.weight_g = weight_g;
	v.asi_recall = -1;
	ok(store_visit_put(s, &d, &v, &e), &e);
}

/* The first child of S (by change order) under five today. */
static void some_child(struct store *s, int32_t today, uint8_t uuid[16])
{
	struct person *p;
	struct err e = { 0 };
	size_t n;

	ok(store_people(s, &p, &n, &e), &e);
	for (size_t i = 0; i < n; i++)
		if (p[i].kind == PERSON_CHILD && p[i].dob != DATE_NONE &&
		    date_age_months(p[i].dob, today) < 50) {
			memcpy(uuid, p[i].uuid, 16);
			store_free(p);
			return;
		}
	fail_msg("no child");
}

/* ---- the report as it was computed before the cache ---- */

static void compute(const struct person *p, size_t np, const struct visit *v, size_t nv,
		    int month, struct report_monthly *m)
{
	struct report_input in = { p, np, v, nv, NULL, 0 };
	struct report_data *d = report_data_new(&in, NULL);
	assert_non_null(d);
	assert_int_equal(report_monthly(d, month, DATE_NONE, m, NULL), 0);
	report_data_free(d);
}

static const char *code_of(const uint8_t uuid[16], const struct sync_origin *o, size_t no,
			   const struct sync_device *dev, size_t nd)
{
	for (size_t i = 0; i < no; i++) {
		if (memcmp(o[i].uuid, uuid, 16) != 0)
			continue;
		for (size_t k = 0; k < nd; k++)
			if (memcmp(dev[k].id, o[i].device, 16) == 0)
				return dev[k].posyandu;
		return "";
	}
	return "";
}

/* Compare the rows of a report with the reference of MONTH. */
static void check_month(struct store *s, int month, const struct server_report_row *rows,
			size_t n)
{
	struct person *people, *sp;
	struct visit *visits, *sv;
	struct sync_origin *o;
	struct sync_device *dev;
	struct report_monthly m;
	size_t np, nv, no, nd, k = 0;
	struct err e = { 0 };

	ok(store_people(s, &people, &np, &e), &e);
	ok(store_visits(s, &visits, &nv, &e), &e);
	ok(sync_record_origins(s, REC_PERSON, &o, &no, &e), &e);
	ok(sync_device_list(s, &dev, &nd, &e), &e);
	assert_non_null(sp = calloc(np + 1, sizeof *sp));
	assert_non_null(sv = calloc(nv + 1, sizeof *sv));
	for (size_t d = 0; d < nd; d++) {
		size_t a = 0, b = 0;
		bool seen = false;
		for (size_t x = 0; x < d; x++)
			seen |= dev[x].status != SYNC_DEV_PENDING &&
				strcmp(dev[x].posyandu, dev[d].posyandu) == 0;
		if (seen || dev[d].status == SYNC_DEV_PENDING)
			continue;
		for (size_t i = 0; i < np; i++)
			if (!strcmp(code_of(people[i].uuid, o, no, dev, nd), dev[d].posyandu))
				sp[a++] = people[i];
		for (size_t i = 0; i < nv; i++)
			if (!strcmp(code_of(visits[i].person, o, no, dev, nd), dev[d].posyandu))
				sv[b++] = visits[i];
		compute(sp, a, sv, b, month, &m);
		assert_true(k < n - 1);
		assert_string_equal(rows[k].code, dev[d].posyandu);
		if (memcmp(&rows[k].m, &m, sizeof m) != 0)
			fail_msg("month %d, %s: the cached figures differ (S %d/%d D %d/%d N %d/%d)",
				 month, rows[k].code, rows[k].m.all.s, m.all.s, rows[k].m.all.d,
				 m.all.d, rows[k].m.all.n, m.all.n);
		k++;
	}
	assert_int_equal(k, n - 1);
	/* the district: what it printed (SKDN, ILP) over every record */
	compute(people, np, visits, nv, month, &m);
	assert_memory_equal(&rows[n - 1].m.all, &m.all, sizeof m.all);
	assert_memory_equal(rows[n - 1].m.ilp, m.ilp, sizeof m.ilp);
	assert_int_equal(rows[n - 1].m.preg.seen, m.preg.seen);
	assert_int_equal(rows[n - 1].m.status.stunted, m.status.stunted);
	free(sp);
	free(sv);
	free(o);
	free(dev);
	store_free(people);
	store_free(visits);
}

/* Report MONTH with the cache, check it against the reference and the
 * uncached report; *ST (may be NULL) gets what the cached run did. */
static void report(struct world *w, int month, struct server_report_stats *st)
{
	struct server_report_row *a, *b;
	struct server_report_stats x;
	struct err e = { 0 };
	size_t na, nb;

	ok(server_report_monthly(w->district.s, month, DATE_NONE, &a, &na, &x, &e), &e);
	assert_true(x.cached);
	check_month(w->district.s, month, a, na);
	ok(server_report_monthly_full(w->district.s, month, DATE_NONE, &b, &nb, NULL, &e), &e);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof *a);
	free(a);
	free(b);
	if (st)
		*st = x;
}

/* A second run of MONTH reads everything from the cache. */
static void warm(struct world *w, int month)
{
	struct server_report_stats st;
	report(w, month, &st);
	assert_int_equal(st.computed, 0);
	assert_int_equal(st.decrypted, 0);
}

/* ---- the world ---- */

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	if (!w)
		return -1;
	sf_open(&w->district, NULL);
	w->today = clock_today();
	w->month = date_month_index(w->today);
	for (int k = 0; k < NDEV; k++) {
		sf_open(&w->d[k], codes[k]);
		sf_enrol(&w->district, &w->d[k], true);
		/* the second device of P-0001 starts with the first one's records */
		if (k != 1)
			demo(w->d[k].s, 6 + 3 * k, 6, (uint64_t)k + 1,
			     w->today - 40);
	}
	for (int k = 0; k < NDEV; k++)
		if (k != 1)
			upload(w, &w->d[k]);
	download(w, &w->d[1]);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	sf_close(&w->district);
	for (int k = 0; k < NDEV; k++)
		sf_close(&w->d[k]);
	free(w);
	return 0;
}

/* ---- tests ---- */

static void test_first_and_second_run(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;

	report(w, w->month - 2, &st);
	/* five codes and "": every one computed, from every record at once */
	assert_int_equal(st.groups, 5);
	assert_int_equal(st.computed, 5);
	assert_true(st.decrypted > 0);
	warm(w, w->month - 2);
	/* another month is another result */
	report(w, w->month - 3, &st);
	assert_int_equal(st.computed, 5);
	warm(w, w->month - 3);
	warm(w, w->month - 2);
}

/* Figures kept under other [ilp] cut-offs are computed again, not mixed
 * with new ones: the settings are part of what a kept figure was made with. */
static void test_settings_change(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;
	struct ilp_limits l = ilp_limits_default;

	report(w, w->month - 2, &st);
	warm(w, w->month - 2);
	l.hb_pregnant_below = 105;
	ilp_limits_configure(&l);
	report(w, w->month - 2, &st);
	assert_int_equal(st.computed, 5);
	warm(w, w->month - 2);
	ilp_limits_configure(&ilp_limits_default);
	report(w, w->month - 2, &st);
	assert_int_equal(st.computed, 5);
}

static void test_new_month(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;
	uint8_t child[16];

	report(w, w->month - 1, NULL);
	report(w, w->month, NULL);
	warm(w, w->month);
	/* P-0002 weighs a child this month: only P-0002 is computed again */
	some_child(w->d[2].s, w->today, child);
	visit_on(w->d[2].s, child, w->today, 9100);
	upload(w, &w->d[2]);
	report(w, w->month, &st);
	assert_int_equal(st.computed, 1);
	assert_true(st.decrypted > 0);
	report(w, w->month - 1, &st);
	assert_int_equal(st.computed, 1);
	warm(w, w->month);
}

static void test_late_visit_of_old_month(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;
	uint8_t child[16];
	int old = w->month - 4;

	for (int m = old; m <= w->month; m++)
		report(w, m, NULL);
	/* P-0003 enters a weighing of four months ago today (a paper KMS
	 * typed in late): that month changes, and every month after it may
	 * (N/T and 2T look back), in P-0003 only */
	some_child(w->d[3].s, w->today, child);
	visit_on(w->d[3].s, child, report_month_last_day(old) - 3, 7300);
	upload(w, &w->d[3]);
	for (int m = old; m <= w->month; m++) {
		report(w, m, &st);
		assert_int_equal(st.computed, 1);
	}
	for (int m = old; m <= w->month; m++)
		warm(w, m);
}

static void test_second_device_of_a_posyandu(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;
	uint8_t child[16];

	report(w, w->month - 1, NULL);
	/* the second device of P-0001 renames one of the first's children
	 * (its version is current now, made by another device of the same
	 * code) and weighs it last month */
	some_child(w->d[1].s, w->today, child);
	sf_rename(w->d[1].s, child, "Budi Santoso");
	visit_on(w->d[1].s, child, report_month_last_day(w->month - 1) - 1, 9900);
	upload(w, &w->d[1]);
	report(w, w->month - 1, &st);
	assert_int_equal(st.computed, 1);
	warm(w, w->month - 1);
	/* and the first device, after it hears of it, weighs her again */
	download(w, &w->d[0]);
	visit_on(w->d[0].s, child, report_month_last_day(w->month - 1), 10000);
	upload(w, &w->d[0]);
	report(w, w->month - 1, &st);
	assert_int_equal(st.computed, 1);
}

static void test_deleted_visit(void **state)
{
	struct world *w = *state;
	struct visit *v;
	struct draft d;
	struct err e = { 0 };
	size_t n;
	int month;

	/* P-0004 deletes its newest visit */
	ok(store_visits(w->d[4].s, &v, &n, &e), &e);
	assert_true(n > 0);
	month = date_month_index(v[n - 1].date);
	report(w, month, NULL);
	ok(store_draft_edit(w->d[4].s, &d, v[n - 1].uuid, &e), &e);
	store_free(v);
	ok(store_delete(w->d[4].s, &d, &e), &e);
	upload(w, &w->d[4]);
	report(w, month, NULL);
	warm(w, month);
}

static void test_revoked_and_new_device(void **state)
{
	struct world *w = *state;
	struct server_report_stats st;
	struct sf_store late;
	struct err e = { 0 };

	report(w, w->month - 1, NULL);
	/* revoking changes no membership: P-0003's records stay P-0003's */
	ok(sync_device_set_status(w->district.s, store_device_id(w->d[3].s), SYNC_DEV_REVOKED, &e),
	   &e);
	warm(w, w->month - 1);
	/* a device enrolled later for P-0002 changes what P-0002 (and "")
	 * are made of: both computed again, with the same figures */
	sf_open(&late, "P-0002");
	sf_enrol(&w->district, &late, true);
	report(w, w->month - 1, &st);
	assert_int_equal(st.computed, 2);
	demo(late.s, 5, 3, 77, w->today - 10);
	upload(w, &late);
	report(w, w->month - 1, &st);
	assert_int_equal(st.computed, 1);
	warm(w, w->month - 1);
	sf_close(&late);
}

/* A conflict reviewed at the district: the reviewed version is the
 * district's own, so the child leaves P-0001 for the records of no
 * enrolled device (""); a visit a device of P-0001 makes later counts
 * there, though no version of "" came from that device. */
static void test_record_leaves_its_posyandu(void **state)
{
	struct world *w = *state;
	struct sync_conflict *c;
	struct server_report_stats st;
	struct err e = { 0 };
	uint8_t child[16];
	size_t n;
	int month = w->month - 1;

	report(w, month, NULL);
	some_child(w->d[0].s, w->today, child);
	sf_rename(w->d[0].s, child, "Ani Lestari");
	sf_rename(w->d[1].s, child, "Ani Lestary");
	upload(w, &w->d[0]);
	upload(w, &w->d[1]);
	ok(sync_conflicts(w->district.s, &c, &n, &e), &e);
	assert_int_equal(n, 1);
	ok(sync_conflict_resolve(w->district.s, c[0].uuid, &c[0].head, &e), &e);
	free(c);
	report(w, month, &st);
	assert_int_equal(st.computed, 2);            /* P-0001 and "" */
	warm(w, month);
	visit_on(w->d[0].s, child, report_month_last_day(month) - 1, 9700);
	upload(w, &w->d[0]);
	report(w, month, &st);
	assert_int_equal(st.computed, 2);            /* "" (and P-0001, which held her) */
	warm(w, month);
}

/* Two reports at once: the first read its records before an import and
 * keeps its result after the second, which saw the import, ran; or the
 * other way round. Neither may leave the older figures current. */
static void test_result_from_before_an_import(void **state)
{
	struct world *w = *state;
	struct server_report_row *rows;
	struct server_report_stats st;
	struct rcache_key k = { "P-0002", 0, 0, 0, { 0 } };
	const void *body[1];
	struct err e = { 0 };
	sqlite3_stmt *q;
	uint8_t child[16];
	uint64_t stamp;
	bool cur;
	size_t n;
	int month = w->month - 1;

	ok(server_report_monthly(w->district.s, month, DATE_NONE, &rows, &n, NULL, &e), &e);
	assert_string_equal(rows[1].code, "P-0002");
	/* the key the report uses for P-0002, from the row it kept */
	assert_int_equal(sqlite3_prepare_v2(db_lite(w->district.s->db), "SELECT month, ref_day, format, "
					    "devices FROM report_cache WHERE code = 'P-0002'", -1,
					    &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	k.month = sqlite3_column_int(q, 0);
	k.ref_day = sqlite3_column_int(q, 1);
	k.format = (uint32_t)sqlite3_column_int64(q, 2);
	memcpy(k.devices, sqlite3_column_blob(q, 3), 32);
	sqlite3_finalize(q);
	/* the first report's snapshot, before the import */
	ok(rcache_scan(w->district.s, &e), &e);
	ok(rcache_read_begin(w->district.s, &stamp, &cur, &e), &e);
	rcache_read_end(w->district.s);
	some_child(w->d[2].s, w->today, child);
	visit_on(w->d[2].s, child, report_month_last_day(month) - 2, 8800);
	upload(w, &w->d[2]);
	/* it keeps its figures after the import: the next report computes */
	body[0] = &rows[1].m;
	ok(rcache_put(w->district.s, &k, body, 1, sizeof rows[1].m, stamp, &e), &e);
	report(w, month, &st);
	assert_int_equal(st.computed, 1);
	/* it keeps them after the report that saw the import: ignored */
	ok(rcache_put(w->district.s, &k, body, 1, sizeof rows[1].m, stamp, &e), &e);
	warm(w, month);
	free(rows);
}

/* storage/report_cache.c alone: a row is current only up to its code's
 * next change, a row from an older snapshot never replaces a newer one,
 * and a row moved to another key does not open. */
static void test_cache_rows(void **state)
{
	struct world *w = *state;
	struct store *s = w->district.s;
	struct rcache_key k = { "P-0003", 100, 3000, 7, { 1 } }, k2;
	struct report_monthly a, b, c;
	const void *body[1];
	struct err e = { 0 };
	uint8_t child[16];
	uint64_t stamp;
	bool cur;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.all.s = 11;
	b.all.s = 22;
	ok(rcache_scan(s, &e), &e);
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	rcache_read_end(s);
	body[0] = &b;
	ok(rcache_put(s, &k, body, 1, sizeof b, stamp, &e), &e);
	body[0] = &a;
	ok(rcache_put(s, &k, body, 1, sizeof a, stamp - 1, &e), &e);      /* older: ignored */
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	assert_int_equal(rcache_get(s, &k, &c, sizeof c, &e), 1);
	assert_int_equal(c.all.s, 22);
	/* another code, month or device digest is another row */
	k2 = k;
	k2.code = "P-0002";
	assert_int_equal(rcache_get(s, &k2, &c, sizeof c, &e), 0);
	k2 = k;
	k2.devices[0] = 2;
	assert_int_equal(rcache_get(s, &k2, &c, sizeof c, &e), 0);
	k2 = k;
	k2.format = 8;
	assert_int_equal(rcache_get(s, &k2, &c, sizeof c, &e), 0);
	rcache_read_end(s);
	/* a row moved to another month, or given a newer stamp so that it
	 * would pass for current, does not open */
	ok(rcache_put(s, &k, body, 1, sizeof a, stamp, &e), &e);
	assert_int_equal(sqlite3_exec(db_lite(s->db), "UPDATE report_cache SET month = 101 WHERE month = 100;"
				      "UPDATE report_cache SET stamp = stamp + 1000 WHERE month = 101",
				      NULL, NULL, NULL), SQLITE_OK);
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	k2 = k;
	k2.month = 101;
	assert_int_equal(rcache_get(s, &k2, &c, sizeof c, &e), 0);
	rcache_read_end(s);
	assert_int_equal(sqlite3_exec(db_lite(s->db), "UPDATE report_cache SET month = 100, "
				      "stamp = stamp - 1000", NULL, NULL, NULL), SQLITE_OK);
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	assert_int_equal(rcache_get(s, &k, &c, sizeof c, &e), 1);
	assert_int_equal(sqlite3_exec(db_lite(s->db), "UPDATE report_cache SET stamp = stamp + 1",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(rcache_get(s, &k, &c, sizeof c, &e), 0);
	rcache_read_end(s);
	/* a change to P-0003's records makes it stale */
	some_child(w->d[3].s, w->today, child);
	visit_on(w->d[3].s, child, w->today, 9000);
	upload(w, &w->d[3]);
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	assert_false(cur);                          /* not scanned yet */
	rcache_read_end(s);
	ok(rcache_scan(s, &e), &e);
	ok(rcache_read_begin(s, &stamp, &cur, &e), &e);
	assert_true(cur);
	assert_int_equal(rcache_get(s, &k, &c, sizeof c, &e), 0);
	rcache_read_end(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_and_second_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_month, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_visit_of_old_month, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_device_of_a_posyandu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_visit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked_and_new_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_leaves_its_posyandu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_result_from_before_an_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_rows, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
