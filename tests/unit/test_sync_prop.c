/* tests/unit/test_sync_prop.c: a seeded property test of sync (SECURITY.md
 * §5.4, the QuickCheck/Jepsen idea as a plain seeded loop): three devices of
 * one posyandu and the district, all real stores in temporary folders, in
 * this process, with the real bundle code.
 *
 * Each schedule mixes, at random: new people, visits, edits of the same
 * person on several devices (concurrent edits), deletions, conflict
 * reviews, upstream exports, deliveries in any order (duplicated, dropped,
 * delayed), receipts (the same), downstream bundles, truncated deliveries
 * (a stick pulled out) and restarts (a store closed and opened again, what
 * a crash leaves once SQLite has recovered). Then everything is delivered,
 * and these must hold:
 *   - convergence: every device and the district have the same heads hash;
 *   - no loss: the district holds every version any device made, and each
 *     device holds every version of the posyandu;
 *   - idempotence: importing every bundle ever made again changes nothing;
 *   - commutativity: a copy of the district that imports every upstream
 *     bundle in another order reaches the same state;
 *   - conflicts: every record with versions sharing a parent and no review
 *     is listed, and every replica lists the same conflicts.
 * On a failure the seed is printed: SEED=<n> build/tests/test_sync_prop
 * repeats that schedule. SYNC_SCHEDULES=<n> runs more (default 30).
 *
 * Prints:  sync <n> schedules × 3 devices → divergent 0, lost versions 0,
 *          non-idempotent 0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <unistd.h>

#include "storage/codec.h"
#include "sync/receipt.h"
#include "tests/unit/test_sync_fixture.h"

#define NDEV 3
#define MAXFILES 512

struct file {
	char path[600];
	int target;                /* -1: the district; else a device */
};

struct sched {
	uint64_t rng;
	struct sf_store district, dev[NDEV];
	char *replica_dir;         /* a copy of the district before any import */
	struct file up[MAXFILES], down[MAXFILES];
	int nup, ndown;
	struct file pending_up[MAXFILES], pending_down[MAXFILES];
	int npu, npd;
	uint8_t receipts[MAXFILES][RECEIPT_LEN];
	int rcpt_dev[MAXFILES];
	int nrcpt;
	char *files_dir;
	int nfiles;
};

static uint64_t rnd(struct sched *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int pick(struct sched *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

static uint64_t current_seed;

static void check(bool ok, const char *what)
{
	if (!ok)
		fail_msg("seed %llu: %s (repeat with SEED=%llu build/tests/test_sync_prop)",
			 (unsigned long long)current_seed, what, (unsigned long long)current_seed);
}

static void okerr(int rc, const struct err *e, const char *what)
{
	if (rc < 0)
		fail_msg("seed %llu: %s: %s %s", (unsigned long long)current_seed, what,
			 err_code_name(e->code), e->detail);
}

/* Keep a copy of a bundle (the outbox file stays too, but copies make
 * every delivery independent of later exports). */
static void keep(struct sched *s, const char *src, struct file *list, int *n, int target)
{
	size_t len;
	unsigned char *b = tu_read_file(src, &len);
	FILE *f;
	check(b != NULL && *n < MAXFILES, "bundle kept");
	snprintf(list[*n].path, sizeof list[*n].path, "%s/f%05d.pyb", s->files_dir, s->nfiles++);
	list[*n].target = target;
	f = fopen(list[*n].path, "wb");
	check(f && fwrite(b, 1, len, f) == len, "bundle copy written");
	fclose(f);
	free(b);
	(*n)++;
}

static struct store *store_of(struct sched *s, int t)
{
	return t < 0 ? s->district.s : s->dev[t].s;
}

/* Deliver F; refused bundles must be truncated ones (never a good one). */
static void deliver(struct sched *s, const struct file *f, bool truncated)
{
	struct import_opts o = { .district = f->target < 0 };
	struct import_result r;
	struct err e = { 0 };
	char path[700];
	const char *p = f->path;
	int rc;

	if (truncated) {
		size_t len;
		unsigned char *b = tu_read_file(f->path, &len);
		FILE *out;
		snprintf(path, sizeof path, "%s.cut", f->path);
		out = fopen(path, "wb");
		fwrite(b, 1, len / 2, out);
		fclose(out);
		free(b);
		p = path;
	}
	rc = import_bundle(store_of(s, f->target), p, &o, &r, &e);
	if (truncated) {
		check(rc < 0 && r.cls == BUNDLE_HEADER, "a truncated bundle is refused");
		unlink(path);
		return;
	}
	okerr(rc, &e, "deliver");
	if (f->target < 0 && r.has_receipt && s->nrcpt < MAXFILES) {
		int dev = -1;
		for (int d = 0; d < NDEV; d++)
			if (!memcmp(store_device_id(s->dev[d].s), r.h.sender, 16))
				dev = d;
		memcpy(s->receipts[s->nrcpt], r.receipt, RECEIPT_LEN);
		s->rcpt_dev[s->nrcpt++] = dev;
	}
}

static void apply_receipt(struct sched *s, int i)
{
	struct receipt rc;
	struct err e = { 0 };
	bool already;
	uint64_t wm;
	okerr(import_receipt(s->dev[s->rcpt_dev[i]].s, s->receipts[i], RECEIPT_LEN, &rc, &already,
			     &wm, &e), &e, "receipt");
}

static void export_up(struct sched *s, int d)
{
	struct export_result er;
	struct err e = { 0 };
	okerr(export_upstream(s->dev[d].s, pick(s, 8) == 0, &er, &e), &e, "export");
	if (er.empty)
		return;
	keep(s, er.e.path, s->up, &s->nup, -1);
	s->pending_up[s->npu++] = s->up[s->nup - 1];
}

static void export_down(struct sched *s, int d)
{
	struct export_result er;
	struct err e = { 0 };
	okerr(export_downstream(s->district.s, store_device_id(s->dev[d].s), 0, &er, &e), &e,
	      "downstream");
	if (er.empty)
		return;
	keep(s, er.e.path, s->down, &s->ndown, d);
	s->pending_down[s->npd++] = s->down[s->ndown - 1];
}

/* A random known, live person of device D (false if none). */
static bool some_person(struct sched *s, int d, uint8_t uuid[16])
{
	struct person *p;
	struct err e = { 0 };
	size_t n;
	okerr(store_people(s->dev[d].s, &p, &n, &e), &e, "people");
	if (!n) {
		store_free(p);
		return false;
	}
	memcpy(uuid, p[pick(s, (int)n)].uuid, 16);
	store_free(p);
	return true;
}

static const char *const names[] = { "Budi Santoso", "Siti Aminah", "Dewi Lestari", "Agus Salim",
				     "Rina Wati", "Joko Susilo", "Sri Mulyani", "Putri Ayu" };

static void edit_step(struct sched *s, int d)
{
	uint8_t u[16];
	struct err e = { 0 };
	int what = pick(s, 10);

	if (what < 3 || !some_person(s, d, u)) {
		sf_add_child(s->dev[d].s, names[pick(s, 8)], NULL);
	} else if (what < 7) {
		/* the same person may be edited on other devices before a sync */
		sf_rename(s->dev[d].s, u, names[pick(s, 8)]);
	} else if (what < 9) {
		sf_add_visit(s->dev[d].s, u, "01-03-2024", 3000 + (uint32_t)pick(s, 9000));
	} else {
		struct draft dr;
		okerr(store_draft_edit(s->dev[d].s, &dr, u, &e), &e, "draft");
		okerr(store_delete(s->dev[d].s, &dr, &e), &e, "delete");
	}
}

static void review_step(struct sched *s, int d)
{
	struct sync_conflict *c;
	struct err e = { 0 };
	size_t n;
	okerr(sync_conflicts(s->dev[d].s, &c, &n, &e), &e, "conflicts");
	if (n) {
		int i = pick(s, (int)n);
		const struct sync_ref *keep_ref = pick(s, 2) ? &c[i].head : &c[i].open[0];
		okerr(sync_conflict_resolve(s->dev[d].s, c[i].uuid, keep_ref, &e), &e, "review");
	}
	free(c);
}

static void take(struct file *list, int *n, int i)
{
	list[i] = list[--*n];
}

static void random_step(struct sched *s)
{
	int d = pick(s, NDEV), r = pick(s, 100);

	if (r < 40) {
		edit_step(s, d);
	} else if (r < 50) {
		export_up(s, d);
	} else if (r < 62 && s->npu) {
		int i = pick(s, s->npu);
		int fate = pick(s, 10);            /* 0: dropped, 1-2: duplicated, else delivered */
		if (fate != 0)
			deliver(s, &s->pending_up[i], false);
		if (fate <= 2)
			take(s->pending_up, &s->npu, i);
		else if (fate == 3)
			deliver(s, &s->pending_up[i], true);   /* then a cut copy of it */
		if (fate > 2 && s->npu && pick(s, 2))
			take(s->pending_up, &s->npu, i);
	} else if (r < 70 && s->nrcpt) {
		apply_receipt(s, pick(s, s->nrcpt));
	} else if (r < 78) {
		export_down(s, d);
	} else if (r < 88 && s->npd) {
		int i = pick(s, s->npd);
		if (pick(s, 8))
			deliver(s, &s->pending_down[i], false);
		if (pick(s, 3))
			take(s->pending_down, &s->npd, i);
	} else if (r < 94) {
		review_step(s, d);
	} else {
		int t = pick(s, NDEV + 1) - 1;        /* a restart, the district too */
		sf_reopen(t < 0 ? &s->district : &s->dev[t]);
	}
}

/* Everything delivered: every device up, every downstream down, twice. */
static void settle(struct sched *s)
{
	for (int round = 0; round < 3; round++) {
		for (int d = 0; d < NDEV; d++) {
			export_up(s, d);
			while (s->npu) {
				deliver(s, &s->pending_up[0], false);
				take(s->pending_up, &s->npu, 0);
			}
		}
		for (int i = 0; i < s->nrcpt; i++)
			apply_receipt(s, i);
		for (int d = 0; d < NDEV; d++) {
			export_down(s, d);
			while (s->npd) {
				deliver(s, &s->pending_down[0], false);
				take(s->pending_down, &s->npd, 0);
			}
		}
	}
}

struct vcount {
	size_t n;
	const uint8_t *dev;
};

static int count_own(void *ctx, const struct sync_version *v, const char *payload, size_t len,
		     struct err *err)
{
	struct vcount *c = ctx;
	(void)payload;
	(void)len;
	(void)err;
	if (!memcmp(v->device, c->dev, 16))
		c->n++;
	return 0;
}

/* Records with versions sharing a parent, and whether any version of the
 * record names merges (a review happened). */
struct sib {
	struct sync_version *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct sync_version *v, const char *payload, size_t len,
		   struct err *err)
{
	struct sib *x = ctx;
	(void)payload;
	(void)len;
	(void)err;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->v = realloc(x->v, x->cap * sizeof *x->v);
	}
	x->v[x->n++] = *v;
	return 0;
}

static void check_conflicts(struct sched *s, struct store *st)
{
	struct sync_filter f = { 0 };
	struct sib x = { 0 };
	struct sync_conflict *c;
	struct err e = { 0 };
	size_t n;

	okerr(sync_each_version(st, &f, collect, &x, &e), &e, "versions");
	okerr(sync_conflicts(st, &c, &n, &e), &e, "conflicts");
	for (size_t i = 0; i < x.n; i++) {
		bool sibling = false, reviewed = false, listed = false;
		for (size_t j = 0; j < x.n; j++) {
			if (memcmp(x.v[j].uuid, x.v[i].uuid, 16))
				continue;
			if (j != i && x.v[j].parent.lamport == x.v[i].parent.lamport &&
			    !memcmp(x.v[j].parent.device, x.v[i].parent.device, 16))
				sibling = true;
			if (x.v[j].n_merges)
				reviewed = true;
		}
		for (size_t k = 0; k < n; k++)
			listed |= !memcmp(c[k].uuid, x.v[i].uuid, 16);
		if (sibling && !reviewed)
			check(listed, "a record with concurrent versions and no review is listed");
	}
	free(x.v);
	free(c);
	(void)s;
}

/* The same conflict list (uuids, heads, open versions) on A and B. */
static void same_conflicts(struct store *a, struct store *b)
{
	struct sync_conflict *ca, *cb;
	struct err e = { 0 };
	size_t na, nb;
	okerr(sync_conflicts(a, &ca, &na, &e), &e, "conflicts");
	okerr(sync_conflicts(b, &cb, &nb, &e), &e, "conflicts");
	check(na == nb, "every replica lists the same number of conflicts");
	for (size_t i = 0; i < na; i++) {
		bool found = false;
		for (size_t j = 0; j < nb && !found; j++)
			found = !memcmp(ca[i].uuid, cb[j].uuid, 16) && ca[i].n_open == cb[j].n_open &&
				!memcmp(&ca[i].head, &cb[j].head, sizeof ca[i].head);
		check(found, "every replica lists the same conflicts");
	}
	free(ca);
	free(cb);
}

struct totals {
	int schedules, divergent, lost, nonidem, conflicts;
};

static void run_schedule(uint64_t seed, int steps, struct totals *t)
{
	struct sched *s = calloc(1, sizeof *s);
	uint8_t dd[32], d2[32];
	size_t vd, v2, total = 0;
	struct err e = { 0 };
	char src[700], dst[700];

	current_seed = seed;
	s->rng = seed * 0x2545f4914f6cdd1dull + 1;
	s->files_dir = tu_mkdtemp();
	sf_open(&s->district, NULL);
	for (int d = 0; d < NDEV; d++) {
		sf_open(&s->dev[d], "P-0001");
		sf_enrol(&s->district, &s->dev[d], true);
	}
	/* the replica: the district as it is now, before any import */
	store_checkpoint(s->district.s);
	s->replica_dir = tu_mkdtemp();
	snprintf(src, sizeof src, "%s/posyandu.db", s->district.dir);
	snprintf(dst, sizeof dst, "%s/posyandu.db", s->replica_dir);
	{
		size_t len;
		unsigned char *b = tu_read_file(src, &len);
		FILE *f = fopen(dst, "wb");
		check(b && f && fwrite(b, 1, len, f) == len, "replica copied");
		fclose(f);
		free(b);
	}

	for (int i = 0; i < steps; i++)
		random_step(s);
	settle(s);

	/* convergence */
	sf_digest(s->district.s, dd, &vd);
	for (int d = 0; d < NDEV; d++) {
		sf_digest(s->dev[d].s, d2, &v2);
		if (memcmp(dd, d2, 32) || vd != v2)
			t->divergent++;
		check(memcmp(dd, d2, 32) == 0 && vd == v2, "every replica converges");
	}
	/* no loss: every version a device made is at the district */
	for (int d = 0; d < NDEV; d++) {
		struct sync_filter f = { 0 };
		struct vcount c = { 0, store_device_id(s->dev[d].s) };
		okerr(sync_each_version(s->dev[d].s, &f, count_own, &c, &e), &e, "count");
		total += c.n;
	}
	if (total != vd)
		t->lost += (int)(total > vd ? total - vd : vd - total);
	check(total == vd, "no version is lost");
	/* idempotence: every bundle again */
	for (int i = 0; i < s->nup; i++)
		deliver(s, &s->up[i], false);
	for (int i = 0; i < s->ndown; i++)
		deliver(s, &s->down[i], false);
	sf_digest(s->district.s, d2, &v2);
	if (memcmp(dd, d2, 32) || vd != v2)
		t->nonidem++;
	check(memcmp(dd, d2, 32) == 0 && vd == v2, "importing everything again changes nothing");
	for (int d = 0; d < NDEV; d++) {
		sf_digest(s->dev[d].s, d2, &v2);
		check(memcmp(dd, d2, 32) == 0 && vd == v2, "importing everything again changes nothing");
	}
	/* commutativity: every upstream bundle, in reverse order, into the replica */
	{
		struct store *rep = tu_store_login(s->replica_dir, TU_ADMIN, TU_PIN, &e);
		struct import_opts o = { .district = true };
		okerr(rep ? 0 : -1, &e, "replica");
		for (int i = s->nup - 1; i >= 0; i--) {
			struct import_result r;
			okerr(import_bundle(rep, s->up[i].path, &o, &r, &e), &e, "replica import");
		}
		sf_digest(rep, d2, &v2);
		check(memcmp(dd, d2, 32) == 0 && vd == v2, "another delivery order, the same state");
		store_close(rep);
	}
	/* conflicts */
	check_conflicts(s, s->district.s);
	for (int d = 0; d < NDEV; d++) {
		check_conflicts(s, s->dev[d].s);
		same_conflicts(s->district.s, s->dev[d].s);
	}
	{
		struct sync_conflict *c;
		size_t n;
		okerr(sync_conflicts(s->district.s, &c, &n, &e), &e, "conflicts");
		t->conflicts += (int)n;
		free(c);
	}
	t->schedules++;

	sf_close(&s->district);
	for (int d = 0; d < NDEV; d++)
		sf_close(&s->dev[d]);
	tu_rmtree(s->replica_dir);
	free(s->replica_dir);
	tu_rmtree(s->files_dir);
	free(s->files_dir);
	free(s);
}

static void test_properties(void **state)
{
	const char *env = getenv("SEED"), *nenv = getenv("SYNC_SCHEDULES");
	struct totals t = { 0 };
	int n = nenv ? (int)strtol(nenv, NULL, 10) : 30;
	(void)state;

	if (env) {
		run_schedule(strtoull(env, NULL, 10), 80, &t);
	} else {
		for (int i = 0; i < n; i++)
			run_schedule(1000 + (uint64_t)i, 80, &t);
	}
	printf("sync    %d schedules × %d devices → divergent %d, lost versions %d, non-idempotent %d "
	       "(%d open conflicts listed at the end)\n", t.schedules, NDEV, t.divergent, t.lost,
	       t.nonidem, t.conflicts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_properties),
	};
	if (sodium_init() < 0)
		return 1;
	codec_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
