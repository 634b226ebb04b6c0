/* sync/server_report.c: the district report over the server's store: the
 * records grouped by the posyandu of the device that made their current
 * version, each group computed by core/report.c, the district their sum.
 *
 * A group's figures are kept (storage/report_cache.h) and read back while
 * nothing that may change the group's records came in. The cache holds
 * the whole struct report_monthly of a group, sealed: counts per posyandu
 * and month are not personal data, but in a posyandu of a few dozen
 * families a count of one (one pregnant woman with a danger sign) points
 * at someone, and sealing costs microseconds per row against the
 * milliseconds of a report; the store already says nothing in clear beyond
 * what sync needs (SECURITY.md). */
#include "sync/server_report.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/ilp.h"
#include "storage/arena.h"
#include "storage/report_cache.h"
#include "storage/sync_store.h"
#include "core/banned.h"

/* Bump when core/report.c counts differently within one program version
 * (the program version and the struct's size are in the format too). */
#define RS_FORMAT 2          /* 2: a mother never asked about work counts apart */

/* Every posyandu code of a device (any status), then "": records whose
 * current version no device enrolled here made. */
struct group {
	char code[RCACHE_CODE_MAX];
	uint8_t devices[32];       /* digest of the code's devices */
	bool stale;
	struct report_monthly m;
};

struct run {
	struct store *s;
	int month;
	int32_t ref_day;
	uint32_t format;
	struct sync_device *dev;   /* by posyandu, then id (sync_device_list) */
	size_t nd;
	struct group *g;
	size_t ng;
	struct server_report_stats st;
};

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, NULL, "out of memory");
}

/* What kept figures were computed with: the program, the struct, and
 * every setting the counts read (the [ilp] cut-offs of posyandu.ini): a
 * figure kept under other settings is computed again, never mixed in. */
static uint32_t format_of(void)
{
	const struct ilp_limits *l = ilp_limits_current();
	crypto_generichash_state st;
	char tag[96];
	uint8_t h[4];
	int v[sizeof *l / sizeof(int)];

	_Static_assert(sizeof *l % sizeof(int) == 0, "struct ilp_limits holds ints only");
	memcpy(v, l, sizeof v);             /* no padding: the bytes are the values */
	snprintf(tag, sizeof tag, "%s/%zu/%d", POSYANDU_VERSION, sizeof(struct report_monthly),
		 RS_FORMAT);
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)tag, strlen(tag));
	crypto_generichash_update(&st, (const uint8_t *)v, sizeof v);
	crypto_generichash_final(&st, h, sizeof h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* The digest of the devices of group G: its code's ids; for "" every
 * device (enrolling any moves records out of ""). */
static void devices_digest(const struct run *r, struct group *g)
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)g->code, strlen(g->code) + 1);
	for (size_t k = 0; k < r->nd; k++) {
		if (g->code[0] && strcmp(r->dev[k].posyandu, g->code) != 0)
			continue;
		crypto_generichash_update(&h, r->dev[k].id, 16);
		crypto_generichash_update(&h, (const uint8_t *)r->dev[k].posyandu,
					  strlen(r->dev[k].posyandu) + 1);
	}
	crypto_generichash_final(&h, g->devices, 32);
}

static int run_init(struct run *r, struct err *err)
{
	if (sync_device_list(r->s, &r->dev, &r->nd, err) < 0)
		return -1;
	if (!(r->g = calloc(r->nd + 1, sizeof *r->g)))
		return nomem(err);
	for (size_t k = 0; k < r->nd; k++)
		if (!r->dev[k].posyandu[0])
			continue;          /* "" is the last group's */
		else if (r->ng == 0 || strcmp(r->g[r->ng - 1].code, r->dev[k].posyandu) != 0)
			snprintf(r->g[r->ng++].code, sizeof r->g[0].code, "%s", r->dev[k].posyandu);
	r->g[r->ng++].code[0] = '\0';
	for (size_t i = 0; i < r->ng; i++) {
		devices_digest(r, &r->g[i]);
		r->g[i].stale = true;
	}
	r->st.groups = r->ng;
	return 0;
}

static void run_free(struct run *r)
{
	free(r->dev);
	free(r->g);
}

static int compute(const struct person *p, size_t np, const struct visit *v, size_t nv,
		   int month, int32_t ref_day, struct report_monthly *out, struct err *err)
{
	struct report_input in = { p, np, v, nv, NULL, 0 };
	struct report_data *d = report_data_new(&in, err);
	int rc;
	if (!d)
		return -1;
	rc = report_monthly(d, month, ref_day, out, err);
	report_data_free(d);
	return rc;
}

/* ---- every record at once, grouped in place ---- */

static int cmp_origin(const void *a, const void *b)
{
	return memcmp(((const struct sync_origin *)a)->uuid, ((const struct sync_origin *)b)->uuid, 16);
}

/* A record uuid and its group, sorted by uuid for bsearch. */
struct member {
	uint8_t uuid[16];
	size_t g;
};

static int cmp_member(const void *a, const void *b)
{
	return memcmp(((const struct member *)a)->uuid, ((const struct member *)b)->uuid, 16);
}

/* The group of the device that made person UUID's current version. */
static size_t group_of(const struct run *r, const uint8_t uuid[16], const struct sync_origin *o,
		       size_t no, const struct member *dg)
{
	struct sync_origin key;
	struct member dkey;
	const struct sync_origin *hit;
	const struct member *d;

	memcpy(key.uuid, uuid, 16);
	/* none at all (a district with no records yet): O may be NULL, which
	 * bsearch must not be given even for zero elements */
	if (!no || !(hit = bsearch(&key, o, no, sizeof *o, cmp_origin)))
		return r->ng - 1;
	/* the key is a struct member too: cmp_member reads it as one */
	memcpy(dkey.uuid, hit->device, 16);
	d = bsearch(&dkey, dg, r->nd, sizeof *dg, cmp_member);
	return d ? d->g : r->ng - 1;
}

/* Put item IDX[j] at j for every j, in place, through TMP (one item). */
static void permute(void *base, size_t n, size_t size, size_t *idx, void *tmp)
{
	char *b = base;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		if (idx[i] == i)
			continue;
		memcpy(tmp, b + i * size, size);
		while (idx[j] != i) {
			size_t k = idx[j];
			memcpy(b + j * size, b + k * size, size);
			idx[j] = j;
			j = k;
		}
		memcpy(b + j * size, tmp, size);
		idx[j] = j;
	}
}

/* Sort N items of SIZE in place by group G[i] (NG + 1 groups: NG means
 * none), keeping their order within a group; OFF[NG + 2] gets where each
 * group starts. */
static int group_sort(void *base, size_t n, size_t size, const size_t *g, size_t ng,
		      size_t *off, struct err *err)
{
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	void *tmp = arena_alloc(1, size);

	if (!idx || !tmp) {
		free(idx);
		arena_free(tmp);
		return nomem(err);
	}
	memset(off, 0, (ng + 2) * sizeof *off);
	for (size_t i = 0; i < n; i++)
		off[g[i] + 1]++;
	for (size_t k = 0; k <= ng; k++)
		off[k + 1] += off[k];
	{
		size_t *at = malloc((ng + 1) * sizeof *at);
		if (!at) {
			free(idx);
			arena_free(tmp);
			return nomem(err);
		}
		memcpy(at, off, (ng + 1) * sizeof *at);
		for (size_t i = 0; i < n; i++)
			idx[at[g[i]]++] = i;
		free(at);
	}
	permute(base, n, size, idx, tmp);
	free(idx);
	arena_free(tmp);
	return 0;
}

/* Decrypt every person and visit, group them, compute the stale groups. */
static int compute_all(struct run *r, struct err *err)
{
	struct person *people = NULL;
	struct visit *visits = NULL;
	struct sync_origin *origin = NULL;
	struct member *dg = NULL, *pm = NULL;
	size_t np = 0, nv = 0, no, *gp = NULL, *gv = NULL, *po = NULL, *vo = NULL;
	int rc = -1;

	if (store_people(r->s, &people, &np, err) < 0 || store_visits(r->s, &visits, &nv, err) < 0 ||
	    sync_record_origins(r->s, REC_PERSON, &origin, &no, err) < 0)
		goto out;
	r->st.decrypted += np + nv;
	if (!(dg = calloc(r->nd ? r->nd : 1, sizeof *dg)) ||
	    !(pm = calloc(np ? np : 1, sizeof *pm)) || !(gp = calloc(np ? np : 1, sizeof *gp)) ||
	    !(gv = calloc(nv ? nv : 1, sizeof *gv)) || !(po = calloc(r->ng + 2, sizeof *po)) ||
	    !(vo = calloc(r->ng + 2, sizeof *vo))) {
		nomem(err);
		goto out;
	}
	if (no)                            /* ORIGIN is NULL when there are none */
		qsort(origin, no, sizeof *origin, cmp_origin);
	for (size_t k = 0; k < r->nd; k++) {
		memcpy(dg[k].uuid, r->dev[k].id, 16);
		dg[k].g = r->ng - 1;
		for (size_t i = 0; i + 1 < r->ng; i++)
			if (strcmp(r->g[i].code, r->dev[k].posyandu) == 0)
				dg[k].g = i;
	}
	qsort(dg, r->nd, sizeof *dg, cmp_member);
	for (size_t i = 0; i < np; i++) {
		gp[i] = group_of(r, people[i].uuid, origin, no, dg);
		memcpy(pm[i].uuid, people[i].uuid, 16);
		pm[i].g = gp[i];
	}
	qsort(pm, np, sizeof *pm, cmp_member);
	/* a visit goes with its person; one without a person with none */
	for (size_t i = 0; i < nv; i++) {
		struct member key;
		const struct member *m;
		memcpy(key.uuid, visits[i].person, 16);
		m = bsearch(&key, pm, np, sizeof *pm, cmp_member);
		gv[i] = m ? m->g : r->ng;
	}
	if (group_sort(people, np, sizeof *people, gp, r->ng, po, err) < 0 ||
	    group_sort(visits, nv, sizeof *visits, gv, r->ng, vo, err) < 0)
		goto out;
	for (size_t i = 0; i < r->ng; i++) {
		if (!r->g[i].stale)
			continue;
		if (compute(people + po[i], po[i + 1] - po[i], visits + vo[i], vo[i + 1] - vo[i],
			    r->month, r->ref_day, &r->g[i].m, err) < 0)
			goto out;
		r->st.computed++;
	}
	rc = 0;
out:
	store_free(people);
	store_free(visits);
	free(origin);
	free(dg);
	free(pm);
	free(gp);
	free(gv);
	free(po);
	free(vo);
	return rc;
}

/* ---- one group at a time ---- */

static int compute_each(struct run *r, struct err *err)
{
	for (size_t i = 0; i < r->ng; i++) {
		struct person *p;
		struct visit *v;
		size_t np, nv;
		int rc;

		if (!r->g[i].stale)
			continue;
		if (rcache_load_code(r->s, r->g[i].code, &p, &np, &v, &nv, err) < 0)
			return -1;
		r->st.decrypted += np + nv;
		rc = compute(p, np, v, nv, r->month, r->ref_day, &r->g[i].m, err);
		store_free(p);
		store_free(v);
		if (rc < 0)
			return -1;
		r->st.computed++;
	}
	return 0;
}

/* A few stale groups: load each by itself (a pass over the person heads
 * each, then only its records); many: decrypt everything once. */
static int compute_stale(struct run *r, struct err *err)
{
	size_t stale = 0;
	for (size_t i = 0; i < r->ng; i++)
		stale += r->g[i].stale;
	if (stale == 0)
		return 0;
	return stale * 4 <= r->ng ? compute_each(r, err) : compute_all(r, err);
}

/* ---- the rows ---- */

/* The posyandu of an approved or revoked device, in the device list's
 * order, then the district: the sum of every group. */
static int rows_of(struct run *r, struct server_report_row **rows, size_t *n, struct err *err)
{
	struct server_report_row *out = calloc(r->ng + 1, sizeof *out);
	size_t k = 0;

	if (!out)
		return nomem(err);
	for (size_t i = 0; i < r->ng; i++) {
		bool shown = false;
		for (size_t d = 0; d < r->nd && !shown; d++)
			shown = r->dev[d].status != SYNC_DEV_PENDING &&
				strcmp(r->dev[d].posyandu, r->g[i].code) == 0;
		if (!shown)
			continue;
		snprintf(out[k].code, sizeof out[k].code, "%s", r->g[i].code);
		out[k++].m = r->g[i].m;
	}
	/* the district's header fields: the report of nobody */
	if (compute(NULL, 0, NULL, 0, r->month, r->ref_day, &out[k].m, err) < 0) {
		free(out);
		return -1;
	}
	for (size_t i = 0; i < r->ng; i++)
		report_monthly_add(&out[k].m, &r->g[i].m);
	*rows = out;
	*n = k + 1;
	return 0;
}

static int finish(struct run *r, struct server_report_row **rows, size_t *n,
		  struct server_report_stats *stats, struct err *err)
{
	int rc = rows_of(r, rows, n, err);
	if (rc == 0 && stats)
		*stats = r->st;
	for (size_t i = 0; i < r->ng; i++)
		sodium_memzero(&r->g[i].m, sizeof r->g[i].m);
	run_free(r);
	return rc;
}

static void run_start(struct run *r, struct store *s, int month, int32_t ref_day)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	r->month = month;
	/* the key of a result names its day: DATE_NONE is the last one */
	r->ref_day = ref_day == DATE_NONE ? report_month_last_day(month) : ref_day;
	r->format = format_of();
}

int server_report_monthly_full(struct store *s, int month, int32_t ref_day,
			       struct server_report_row **rows, size_t *n,
			       struct server_report_stats *stats, struct err *err)
{
	struct run r;

	run_start(&r, s, month, ref_day);
	if (run_init(&r, err) < 0 || compute_all(&r, err) < 0) {
		run_free(&r);
		return -1;
	}
	return finish(&r, rows, n, stats, err);
}

static struct rcache_key key_of(const struct run *r, const struct group *g)
{
	struct rcache_key k = { g->code, r->month, r->ref_day, r->format, { 0 } };
	memcpy(k.devices, g->devices, 32);
	return k;
}

/* Keep the groups just computed. A store that cannot be written now (a
 * busy or full disk) only means computing them again next time. */
static void keep(struct run *r, uint64_t stamp)
{
	struct rcache_key *k = calloc(r->ng, sizeof *k);
	const void **body = calloc(r->ng, sizeof *body);
	struct err e = { 0 };
	size_t n = 0;

	if (k && body) {
		for (size_t i = 0; i < r->ng; i++)
			if (r->g[i].stale) {
				k[n] = key_of(r, &r->g[i]);
				body[n++] = &r->g[i].m;
			}
		if (n)
			rcache_put(r->s, k, body, n, sizeof r->g[0].m, stamp, &e);
	}
	free(k);
	free(body);
}

int server_report_monthly(struct store *s, int month, int32_t ref_day,
			  struct server_report_row **rows, size_t *n,
			  struct server_report_stats *stats, struct err *err)
{
	struct err e = { 0 };
	struct run r;
	uint64_t stamp;

	/* Scan, then read in a snapshot the scan covers whole; an import in
	 * between: again (with imports arriving all the time, the third try
	 * reads the kept figures as of its scan, a moment before). A store
	 * that cannot take the scan now (read-only, or an import holding it):
	 * the report as before, from every record. */
	for (int tries = 0;; tries++) {
		bool current;
		if (rcache_scan(s, &e) < 0)
			return server_report_monthly_full(s, month, ref_day, rows, n, stats, err);
		if (rcache_read_begin(s, &stamp, &current, err) < 0)
			return -1;
		if (current || tries == 2)
			break;
		rcache_read_end(s);
	}
	run_start(&r, s, month, ref_day);
	r.st.cached = true;
	if (run_init(&r, err) < 0)
		goto fail;
	for (size_t i = 0; i < r.ng; i++) {
		struct rcache_key k = key_of(&r, &r.g[i]);
		int rc = rcache_get(s, &k, &r.g[i].m, sizeof r.g[i].m, err);
		if (rc < 0)
			goto fail;
		r.g[i].stale = rc == 0;
	}
	if (compute_stale(&r, err) < 0)
		goto fail;
	rcache_read_end(s);
	keep(&r, stamp);
	return finish(&r, rows, n, stats, err);
fail:
	rcache_read_end(s);
	for (size_t i = 0; i < r.ng; i++)
		sodium_memzero(&r.g[i].m, sizeof r.g[i].m);
	run_free(&r);
	return -1;
}
