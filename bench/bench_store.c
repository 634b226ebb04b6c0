/* bench/bench_store.c: the foundation's figures (issue: make bench).
 *   - unlock: Argon2id with the calibrated limits (what init would choose);
 *   - open + decrypt a store of ~5,000 people and ~60,000 visits;
 *   - durable save latency (one visit per transaction, COMMIT returned);
 *   - peak RSS.
 * The store is built in ./var/bench (on the real disk, so fsync costs what
 * it costs; tmpfs would flatter the save latency). */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/demo.h"
#include "storage/clock.h"
#include "storage/codec.h"
#include "storage/store.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench_store: %s: %s %s\n", what, err_code_name(e->code), e->detail);
	exit(1);
}

struct sink_ctx {
	struct store *s;
	struct err *err;
};

static int put_person(void *ctx, struct person *p)
{
	struct sink_ctx *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(p->uuid, d.uuid, UUID_LEN);
	return store_person_put(c->s, &d, p, c->err);
}

static int put_visit(void *ctx, struct visit *v)
{
	struct sink_ctx *c = ctx;
	struct draft d;
	store_draft_new(&d);
	memcpy(v->uuid, d.uuid, UUID_LEN);
	return store_visit_put(c->s, &d, v, c->err);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void rm_store(const char *dir)
{
	static const char *const names[] = { "posyandu.db", "posyandu.db-wal", "posyandu.db-shm" };
	char path[600];
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
}

int main(void)
{
	static const char pin[] = "482915";
	const char *dir = "var/bench";
	struct store_profile prof = { .code = "P-BENCH", .name = "Bench" };
	struct kdf_params cal;
	struct err err = { 0 };
	struct store *s;
	struct person *people;
	struct visit *visits;
	size_t np, nv;
	double secs, t0, t1, t2, lat[200];
	struct rusage ru;

	if (sodium_init() < 0)
		return 1;
	codec_init();
	mkdir("var", 0700);
	mkdir(dir, 0700);
	rm_store(dir);

	/* 1. Unlock with the limits init would choose on this machine. */
	store_kdf_calibrate(&cal, &secs);
	if (!(s = store_create(dir, &prof, "admin", pin, sizeof pin - 1, &cal, &err)))
		die("create", &err);
	store_lock(s);
	t0 = now();
	if (store_login(s, "admin", pin, sizeof pin - 1, NULL, &err) < 0)
		die("login", &err);
	t1 = now();
	printf("bench unlock: Argon2id m=%zu MiB t=%llu (calibrated) unlock %.3f s\n",
	       cal.memlimit >> 20, (unsigned long long)cal.opslimit, t1 - t0);

	/* 2. A store of about 5,000 people and 60,000 visits. */
	struct demo_params dp = { .children = 2800, .months = 40, .seed = 1,
				  .today = clock_today() };
	struct sink_ctx ctx = { s, &err };
	struct demo_sink sink = { put_person, put_visit, &ctx };
	t0 = now();
	if (store_batch_begin(s, &err) < 0 || demo_generate(&dp, &sink) < 0 ||
	    store_batch_commit(s, &err) < 0)
		die("fill", &err);
	t1 = now();
	store_counts(s, &np, &nv, NULL, &err);
	printf("bench fill: %zu people, %zu visits written in %.2f s (one transaction, %.0f records/s)\n",
	       np, nv, t1 - t0, (double)(np + nv) / (t1 - t0));
	store_close(s);

	/* 3. Open and decrypt everything a screen needs (the KDF timed apart). */
	t0 = now();
	if (!(s = store_open(dir, NULL, &err)))
		die("open", &err);
	if (store_login(s, "admin", pin, sizeof pin - 1, NULL, &err) < 0)
		die("login", &err);
	t1 = now();
	if (store_people(s, &people, &np, &err) < 0 || store_visits(s, &visits, &nv, &err) < 0)
		die("load", &err);
	t2 = now();
	printf("bench open: open + unlock %.3f s; decrypt %zu people + %zu visits %.3f s (%.1f us/record)\n",
	       t1 - t0, np, nv, t2 - t1, (t2 - t1) * 1e6 / (double)(np + nv));
	sodium_memzero(people, np * sizeof *people);
	sodium_memzero(visits, nv * sizeof *visits);
	store_free(people);
	store_free(visits);

	/* 4. Durable save latency: each visit its own transaction. */
	for (int i = 0; i < 200; i++) {
		struct visit v = { 0 };
		struct draft d;
		store_draft_new(&d);
		v.date = dp.today;
		v.weight_g = 9100;
		v.lenhei_mm = 780;
		v.measure = 'l';
		v.asi_recall = -1;
		t0 = now();
		if (store_visit_put(s, &d, &v, &err) < 0)
			die("save", &err);
		lat[i] = now() - t0;
	}
	qsort(lat, 200, sizeof lat[0], cmp_double);
	printf("bench save: durable save (WAL, synchronous=FULL) p50 %.2f ms, p95 %.2f ms, max %.2f ms (%s)\n",
	       lat[100] * 1e3, lat[190] * 1e3, lat[199] * 1e3, dir);
	store_close(s);

	rm_store(dir);

	getrusage(RUSAGE_SELF, &ru);
	printf("bench peak RSS: %.1f MiB (includes Argon2id's working memory)\n", (double)ru.ru_maxrss / 1024.0);
	return 0;
}
