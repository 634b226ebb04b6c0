/* app/desk_data.c: the in-memory working set of the desk. Every array that
 * holds decrypted data (people, their folded names, the visit index,
 * sessions, the visit copies handed to screens) is an arena block
 * (storage/arena.h): guarded, mlocked, out of core dumps, wiped when freed.
 *
 * Visits are not opened at login (issue 15: that was most of the time from
 * the PIN to the desk, and 16 MB): login lists them from the store's clear
 * columns (which visit, whose, which month) into desk.r, and a visit is
 * opened when something shows it: the last visit of the rows on screen
 * (only the person's latest month), a card or a form (the person's
 * visits), the month's lists (that month's visits). What was opened of a
 * visit for a list (its date, whether it was weighed) stays in desk.r. */
#include "app/desk_data.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/date.h"
#include "core/desk.h"
#include "storage/arena.h"

#include "core/banned.h"

struct desk_data desk;

/* The last searches' matches, all of them (not only the best shown), with
 * their scores and folded queries: a letter or a word more only narrows a
 * query's matches, so the next key scores only those of a query it goes
 * on from (narrowest(): the fewest), and a key back gives a query already seen
 * (Backspace: its matches as they were). Arena blocks: who matches what was
 * typed is personal. Forgotten on every put and drop, wiped by desk_unload. */
#define SEEN 16
struct match {
	uint32_t i;                /* into desk.p */
	int32_t score;
};
static struct seen {
	char q[96];                /* folded; "" = an empty slot */
	bool mothers;
	struct match *m;
	size_t n;
	unsigned long age;
} seen[SEEN];
static unsigned long seen_clock;

static void forget_search(void);

/* Room kept after the people and the visits listed at login: a day's
 * registrations and visits grow the arrays by this, never by doubling
 * (each block is mlocked whole, so unused room is resident memory). */
#define SLACK 256

static void fold(size_t i)
{
	search_fold(desk.p[i].name, desk.f[i].name, sizeof desk.f[i].name);
	search_fold(desk.p[i].mother_name, desk.f[i].mother, sizeof desk.f[i].mother);
}

/* *P (an arena block of N used items of SIZE) moved to a block of WANT. */
static int resize(void **p, size_t *cap, size_t n, size_t want, size_t size)
{
	void *q = arena_alloc(want, size);

	if (!q)
		return -1;
	if (n)
		memcpy(q, *p, n * size);
	arena_free(*p);
	*p = q;
	*cap = want;
	return 0;
}

static long person_index(const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, uuid, UUID_LEN) == 0)
			return (long)i;
	return -1;
}

/* ---- the visit index ---- */

/* What a list needs of visit V, now that it is open, into ref K. */
static void note(uint32_t k, const struct visit *v)
{
	struct desk_ref *r = &desk.r[k];
	r->date = v->date;
	r->month = (uint16_t)date_month_index(v->date);
	r->flags = REF_OPENED | (v->weight_g ? REF_WEIGHED : 0);
}

/* Open ref K into V (arena memory): 1, 0 when it is no live visit any
 * more (REF_GONE), -1 on a failure (desk.err). */
static int open_ref(uint32_t k, struct visit *v)
{
	size_t found;

	if (!desk.s || store_visits_get(desk.s, &desk.r[k].uuid, 1, v, &found, &desk.err) < 0)
		return -1;
	if (!found) {
		desk.r[k].flags |= REF_GONE;
		return 0;
	}
	note(k, v);
	return 1;
}

/* Open every ref of person I in MONTH (every month: -1) not yet open. */
static int open_month(size_t i, int month)
{
	int rc = 0;

	/* into desk.tmp: an arena block per call was most of its cost */
	for (uint32_t k = desk.f[i].first; k != DESK_END && rc >= 0; k = desk.r[k].next) {
		const struct desk_ref *r = &desk.r[k];
		if ((r->flags & (REF_OPENED | REF_GONE)) || (month >= 0 && r->month != month))
			continue;
		if (!desk.tmp)
			return -1;
		rc = open_ref(k, desk.tmp);
		sodium_memzero(desk.tmp, sizeof *desk.tmp);
	}
	return rc < 0 ? -1 : 0;
}

int32_t desk_last_visit(size_t i)
{
	struct desk_fold *f = &desk.f[i];

	/* The latest month by the clear column; a date opened may move a
	 * visit to another month, so look again until it holds. */
	while (f->last == DESK_UNREAD) {
		int month = -1;
		int32_t last = DATE_NONE;
		bool all = true;

		for (uint32_t k = f->first; k != DESK_END; k = desk.r[k].next)
			if (!(desk.r[k].flags & REF_GONE) && desk.r[k].month > month)
				month = desk.r[k].month;
		if (month < 0) {
			f->last = DATE_NONE;
			break;
		}
		if (open_month(i, month) < 0)
			return DATE_NONE;      /* not kept: the card says why */
		for (uint32_t k = f->first; k != DESK_END; k = desk.r[k].next) {
			const struct desk_ref *r = &desk.r[k];
			if ((r->flags & REF_GONE) || r->month != month)
				continue;
			all = all && (r->flags & REF_OPENED);
			if (r->date > last || last == DATE_NONE)
				last = r->date;
		}
		if (all)
			f->last = last;
	}
	return f->last;
}

/* A new ref for visit UUID of person I, at the head of her chain. */
static int add_ref(size_t i, const uint8_t uuid[UUID_LEN], int month)
{
	struct desk_ref *r;

	if (desk.nr == desk.capr &&
	    resize((void **)&desk.r, &desk.capr, desk.nr, desk.capr + 4 * SLACK, sizeof *desk.r) < 0)
		return -1;
	r = &desk.r[desk.nr];
	memcpy(r->uuid, uuid, UUID_LEN);
	r->month = (uint16_t)month;
	r->flags = 0;
	r->next = desk.f[i].first;
	desk.f[i].first = (uint32_t)desk.nr++;
	return 0;
}

static uint32_t find_ref(size_t i, const uint8_t uuid[UUID_LEN])
{
	for (uint32_t k = desk.f[i].first; k != DESK_END; k = desk.r[k].next)
		if (memcmp(desk.r[k].uuid, uuid, UUID_LEN) == 0 && !(desk.r[k].flags & REF_GONE))
			return k;
	return DESK_END;
}

/* Take visit UUID out of its person's chain: whose it was, or -1. */
static long unlink_ref(const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < desk.np; i++)
		for (uint32_t *at = &desk.f[i].first; *at != DESK_END; at = &desk.r[*at].next) {
			struct desk_ref *r = &desk.r[*at];
			if (memcmp(r->uuid, uuid, UUID_LEN) != 0)
				continue;
			*at = r->next;
			sodium_memzero(r, sizeof *r);
			r->flags = REF_GONE;
			r->next = DESK_END;
			return (long)i;
		}
	return -1;
}

static int by_uuid(const void *a, const void *b)
{
	return memcmp(desk.p[*(const size_t *)a].uuid, desk.p[*(const size_t *)b].uuid, UUID_LEN);
}

struct listing {
	size_t *order;             /* people by uuid */
};

static int list_one(void *ctx, const uint8_t uuid[UUID_LEN], const uint8_t person[UUID_LEN],
		    int month, struct err *err)
{
	const struct listing *l = ctx;
	size_t lo = 0, hi = desk.np;

	if (month < 0 || month > UINT16_MAX)
		return 0;                      /* no date a visit can have: never listed */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(desk.p[l->order[mid]].uuid, person, UUID_LEN);
		if (c == 0) {
			size_t i = l->order[mid];
			desk.f[i].last = DESK_UNREAD;
			return add_ref(i, uuid, month) < 0 ? err_set(err, ERR_NOMEM, NULL, "out of memory") : 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;                              /* a visit of no one here */
}

/* Every current visit listed from the clear columns: one pass, people
 * found by a binary search on their uuid. */
static int list_visits(struct store *s, struct err *err)
{
	struct listing l;
	size_t nv = 0;
	int rc;

	if (store_counts(s, NULL, &nv, NULL, err) < 0)
		return -1;
	if (!(desk.r = arena_alloc(nv + SLACK, sizeof *desk.r)))
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	desk.capr = nv + SLACK;
	if (!(l.order = malloc((desk.np ? desk.np : 1) * sizeof *l.order)))
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < desk.np; i++)
		l.order[i] = i;
	if (desk.np > 1)
		qsort(l.order, desk.np, sizeof *l.order, by_uuid);
	rc = store_visit_refs(s, list_one, &l, err);
	free(l.order);
	return rc;
}

/* ---- load and unload ---- */

int desk_load(struct store *s, struct err *err)
{
	desk_unload();
	desk.s = s;
	if (store_people(s, &desk.p, &desk.np, err) < 0 ||
	    resize((void **)&desk.p, &desk.capp, desk.np, desk.np + SLACK, sizeof *desk.p) < 0 ||
	    store_sessions(s, &desk.x, &desk.nx, err) < 0)
		goto fail;
	desk.capx = desk.nx;
	if (!(desk.f = arena_alloc(desk.capp, sizeof *desk.f)) ||
	    !(desk.tmp = arena_alloc(1, sizeof *desk.tmp))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < desk.np; i++) {
		fold(i);
		desk.f[i].last = DATE_NONE;
		desk.f[i].first = DESK_END;
	}
	if (list_visits(s, err) < 0)
		goto fail;
	desk.loaded = true;
	store_release_memory(s);
#ifdef __GLIBC__
	/* What the key derivation and the decoding left in the heap goes back
	 * to the system before the desk opens (issue 15: resident memory). */
	malloc_trim(0);
#endif
	return 0;
fail:
	if (err && err->code == 0)
		err_set(err, ERR_NOMEM, NULL, "out of memory");
	desk_unload();
	return -1;
}

void desk_unload(void)
{
	forget_search();
	store_free(desk.p);            /* each wipes its whole block */
	arena_free(desk.f);
	arena_free(desk.r);
	store_free(desk.x);
	arena_free(desk.tmp);
	sodium_memzero(&desk, sizeof desk);
}

struct person *desk_person(const uint8_t uuid[UUID_LEN])
{
	long i = person_index(uuid);
	return i < 0 ? NULL : &desk.p[i];
}

/* ---- puts and drops ---- */

int desk_put_person(const struct person *p)
{
	struct person *old = desk_person(p->uuid);
	size_t i;

	forget_search();
	if (old) {
		i = (size_t)(old - desk.p);
		*old = *p;
	} else {
		/* both grown or neither: a failure leaves them as they were */
		if (desk.np == desk.capp) {
			size_t capp = desk.capp;
			void *np = arena_alloc(capp + SLACK, sizeof *desk.p);
			void *nf = arena_alloc(capp + SLACK, sizeof *desk.f);
			if (!np || !nf) {
				arena_free(np);
				arena_free(nf);
				return -1;
			}
			if (desk.np) {
				memcpy(np, desk.p, desk.np * sizeof *desk.p);
				memcpy(nf, desk.f, desk.np * sizeof *desk.f);
			}
			arena_free(desk.p);
			arena_free(desk.f);
			desk.p = np;
			desk.f = nf;
			desk.capp = capp + SLACK;
		}
		i = desk.np++;
		desk.p[i] = *p;
		desk.f[i].last = DATE_NONE;
		desk.f[i].first = DESK_END;
	}
	fold(i);
	return 0;
}

int desk_put_visit(const struct visit *v)
{
	long who = person_index(v->person);
	struct desk_fold *f;
	uint32_t k;

	if (who < 0)
		return 0;                      /* no one on the desk: nothing shows it */
	f = &desk.f[who];
	k = find_ref((size_t)who, v->uuid);
	if (k == DESK_END) {
		if (add_ref((size_t)who, v->uuid, date_month_index(v->date)) < 0)
			return -1;
		note(f->first, v);
		if (f->last != DESK_UNREAD && (f->last == DATE_NONE || v->date > f->last))
			f->last = v->date;     /* a new visit: the latest if later */
		return 0;
	}
	note(k, v);
	/* an edit: the latest if not earlier; one that moved back is worked
	 * out again when shown */
	if (f->last != DESK_UNREAD && (f->last == DATE_NONE || v->date >= f->last))
		f->last = v->date;
	else
		f->last = DESK_UNREAD;
	return 0;
}

int desk_put_session(const struct session *x)
{
	for (size_t i = 0; i < desk.nx; i++)
		if (memcmp(desk.x[i].uuid, x->uuid, UUID_LEN) == 0) {
			desk.x[i] = *x;
			return 0;
		}
	if (arena_grow((void **)&desk.x, &desk.capx, desk.nx + 1, sizeof *desk.x) < 0)
		return -1;
	desk.x[desk.nx++] = *x;
	return 0;
}

void desk_drop(const uint8_t uuid[UUID_LEN])
{
	long who;

	forget_search();
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, uuid, UUID_LEN) == 0) {
			/* her visits leave the lists with her */
			for (uint32_t k = desk.f[i].first; k != DESK_END; k = desk.r[k].next)
				desk.r[k].flags |= REF_GONE;
			desk.p[i] = desk.p[desk.np - 1];
			desk.f[i] = desk.f[desk.np - 1];
			sodium_memzero(&desk.p[desk.np - 1], sizeof *desk.p);
			sodium_memzero(&desk.f[desk.np - 1], sizeof *desk.f);
			desk.np--;
			return;
		}
	if ((who = unlink_ref(uuid)) >= 0)
		desk.f[who].last = DESK_UNREAD;
}

/* ---- visits opened ---- */

static int newest_first(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;
	return x->date != y->date ? (x->date < y->date ? 1 : -1) : memcmp(x->uuid, y->uuid, UUID_LEN);
}

size_t desk_visits_of(const uint8_t person[UUID_LEN], struct visit **out)
{
	long i = person_index(person);
	size_t n = 0, m = 0;
	int32_t last = DATE_NONE;
	bool failed = false;

	*out = NULL;
	if (i < 0)
		return 0;
	for (uint32_t k = desk.f[i].first; k != DESK_END; k = desk.r[k].next)
		n += !(desk.r[k].flags & REF_GONE);
	if (!n || !(*out = arena_alloc(n, sizeof **out)))
		return 0;
	for (uint32_t k = desk.f[i].first; k != DESK_END && m < n; k = desk.r[k].next) {
		int rc;
		if (desk.r[k].flags & REF_GONE)
			continue;
		if ((rc = open_ref(k, &(*out)[m])) < 0) {
			failed = true;
			break;
		}
		if (rc == 1 && (last == DATE_NONE || (*out)[m].date > last))
			last = (*out)[m].date;
		m += (size_t)rc;
	}
	/* all of them open: the latest is known (and a visit gone is gone) */
	desk.f[i].last = failed ? DESK_UNREAD : last;
	if (!m) {
		store_free(*out);
		*out = NULL;
		return 0;
	}
	if (m > 1)
		qsort(*out, m, sizeof **out, newest_first);
	return m;
}

int desk_visit_get(const uint8_t uuid[UUID_LEN], struct visit *out)
{
	size_t found = 0;

	if (!desk.s || store_visits_get(desk.s, (const uint8_t (*)[UUID_LEN])uuid, 1, out, &found,
					&desk.err) < 0)
		return 0;
	return found ? 1 : 0;
}

size_t desk_not_weighed_on(int32_t day, size_t *idx, size_t max)
{
	int month = date_month_index(day);
	size_t n = 0;

	/* the month's visits of the children opened first, each once */
	for (size_t i = 0; i < desk.np; i++)
		if (desk_is_balita(&desk.p[i], day) && open_month(i, month) < 0)
			break;
	for (size_t i = 0; i < desk.np && n < max; i++) {
		bool weighed = false;
		if (!desk_is_balita(&desk.p[i], day))
			continue;
		for (uint32_t k = desk.f[i].first; k != DESK_END && !weighed; k = desk.r[k].next) {
			const struct desk_ref *r = &desk.r[k];
			weighed = (r->flags & (REF_OPENED | REF_WEIGHED | REF_GONE)) ==
					  (REF_OPENED | REF_WEIGHED) && r->month == month;
		}
		if (!weighed)
			idx[n++] = i;
	}
	return n;
}

/* Did person I come on DAY? Opens her visits of DAY's month. */
static bool came_on(size_t i, int32_t day)
{
	int month = date_month_index(day);

	if (desk.p[i].registered == day)
		return true;
	if (open_month(i, month) < 0)
		return false;
	for (uint32_t k = desk.f[i].first; k != DESK_END; k = desk.r[k].next)
		if ((desk.r[k].flags & (REF_OPENED | REF_GONE)) == REF_OPENED &&
		    desk.r[k].date == day)
			return true;
	return false;
}

int desk_day(int32_t day, struct person **people, size_t *np, struct visit **visits,
	     size_t *nv, struct err *err)
{
	size_t n = 0, capv = 0;

	*people = NULL;
	*visits = NULL;
	*np = *nv = 0;
	for (size_t i = 0; i < desk.np; i++)
		n += came_on(i, day);
	if (!(*people = arena_alloc(n, sizeof **people)))
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < desk.np && *np < n; i++) {
		struct visit *v;
		size_t nh;
		if (!came_on(i, day))
			continue;
		(*people)[(*np)++] = desk.p[i];
		nh = desk_visits_of(desk.p[i].uuid, &v);
		if (nh && arena_grow((void **)visits, &capv, *nv + nh, sizeof **visits) < 0) {
			store_free(v);
			store_free(*people);
			store_free(*visits);
			*people = NULL;
			*visits = NULL;
			return err_set(err, ERR_NOMEM, NULL, "out of memory");
		}
		if (nh)
			memcpy(*visits + *nv, v, nh * sizeof *v);
		*nv += nh;
		store_free(v);
	}
	return 0;
}

struct session *desk_session_on(int32_t day)
{
	for (size_t i = 0; i < desk.nx; i++)
		if (desk.x[i].date == day)
			return &desk.x[i];
	return NULL;
}

struct scored {
	size_t i;
	int score;
};


/* Best score first, then by name: by rank, the folded name's place worked
 * out once (an integer compare, not a strcmp, for each of the thousands a
 * one-letter query sorts). */
static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return (desk.f[x->i].rank > desk.f[y->i].rank) - (desk.f[x->i].rank < desk.f[y->i].rank);
}

static int by_name(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(desk.f[x].name, desk.f[y].name);
	return c ? c : (x > y) - (x < y);      /* the same name: a fixed order */
}

static bool ranked;

/* desk.f[].rank again, after a put or a drop (-1: out of memory). */
static int rank_names(void)
{
	size_t *order;

	if (ranked)
		return 0;
	if (!(order = malloc((desk.np ? desk.np : 1) * sizeof *order)))
		return -1;
	for (size_t i = 0; i < desk.np; i++)
		order[i] = i;
	if (desk.np > 1)
		qsort(order, desk.np, sizeof *order, by_name);
	for (size_t k = 0; k < desk.np; k++)
		desk.f[order[k]].rank = (uint32_t)k;
	free(order);
	ranked = true;
	return 0;
}

static void swap(struct scored *a, struct scored *b)
{
	struct scored t = *a;
	*a = *b;
	*b = t;
}

/* The best MAX of ALL[0..N) first, in order; how many that is. A
 * selection (quickselect) and then a sort of those alone: for "a" nearly
 * everyone matches, and sorting them all was most of a keystroke. */
static size_t best_first(struct scored *all, size_t n, size_t max)
{
	size_t lo = 0, hi = n;

	/* [0, lo) beat all the rest and [hi, n) are beaten by all before:
	 * narrow until MAX is a boundary */
	while (n > max && hi - lo > 1) {
		size_t st = lo;
		swap(&all[lo + (hi - lo) / 2], &all[hi - 1]);
		for (size_t k = lo; k < hi - 1; k++)
			if (by_score(&all[k], &all[hi - 1]) < 0)
				swap(&all[k], &all[st++]);
		swap(&all[st], &all[hi - 1]);
		if (st == max)
			break;
		if (st < max)
			lo = st + 1;
		else
			hi = st;
	}
	if (n > max)
		n = max;
	if (n > 1)
		qsort(all, n, sizeof *all, by_score);
	return n;
}

/* People matching QUERY, best first; MOTHERS: only those who may be a
 * child's mother, matched on their own name. */
static void forget_search(void)
{
	ranked = false;
	for (int k = 0; k < SEEN; k++)
		arena_free(seen[k].m);
	sodium_memzero(seen, sizeof seen);
}

static bool digits_only(const char *q)
{
	bool digits = *q != '\0';
	for (; *q; q++)
		digits &= (*q >= '0' && *q <= '9') || *q == ' ';
	return digits;
}

/* The query seen that Q goes on from with the fewest matches (Q itself
 * when seen), or NULL: a letter or a word more can only narrow them
 * (core/search.h: each word must be in the name or the mother's name, and
 * a longer word is in fewer), in the same mode (name or NIK). */
static struct seen *narrowest(const char *q, bool mothers)
{
	struct seen *best = NULL;

	for (int k = 0; k < SEEN; k++) {
		struct seen *e = &seen[k];
		size_t n = strlen(e->q);
		if (!n || e->mothers != mothers || strncmp(q, e->q, n) != 0 ||
		    digits_only(q) != digits_only(e->q))
			continue;
		if (!best || e->n < best->n)
			best = e;
	}
	return best;
}

/* Keep Q's N matches ALL for the next keys, in place of the oldest. */
static void remember(const char *q, bool mothers, const struct scored *all, size_t n)
{
	struct seen *e = &seen[0];
	struct match *m;

	if (!q[0] || !(m = arena_alloc(n, sizeof *m)))
		return;
	for (size_t k = 0; k < n; k++)
		m[k] = (struct match){ (uint32_t)all[k].i, all[k].score };
	for (int k = 0; k < SEEN; k++) {
		if (seen[k].q[0] && strcmp(seen[k].q, q) == 0 && seen[k].mothers == mothers) {
			e = &seen[k];          /* the same query again: replaced */
			break;
		}
		if (seen[k].age < e->age)
			e = &seen[k];
	}
	arena_free(e->m);
	memcpy(e->q, q, sizeof e->q);
	e->mothers = mothers;
	e->m = m;
	e->n = n;
	e->age = ++seen_clock;
}

static size_t search_among(const char *query, bool mothers, size_t *idx, size_t max)
{
	char q[96];
	struct scored *all;
	struct seen *from;
	size_t n = 0, count;

	search_fold(query, q, sizeof q);
	if (rank_names() < 0 || !(all = malloc((desk.np ? desk.np : 1) * sizeof *all)))
		return 0;
	from = narrowest(q, mothers);
	count = from ? from->n : desk.np;
	if (from && strcmp(from->q, q) == 0) {           /* seen: as it was */
		for (size_t k = 0; k < count; k++)
			all[k] = (struct scored){ from->m[k].i, from->m[k].score };
		n = count;
	} else {
		for (size_t k = 0; k < count; k++) {
			size_t i = from ? from->m[k].i : k;
			struct search_entry e = { desk.f[i].name, mothers ? "" : desk.f[i].mother,
						  desk.p[i].nik };
			int sc;
			if (mothers && !search_may_be_mother(&desk.p[i]))
				continue;
			sc = q[0] ? search_score(&e, q) : 1;
			if (sc > 0)
				all[n++] = (struct scored){ i, sc };
		}
		remember(q, mothers, all, n);
	}
	n = best_first(all, n, max);
	for (size_t k = 0; k < n; k++)
		idx[k] = all[k].i;
	sodium_memzero(all, (desk.np ? desk.np : 1) * sizeof *all);
	free(all);
	return n;
}

size_t desk_search(const char *query, size_t *idx, size_t max)
{
	return search_among(query, false, idx, max);
}

size_t desk_search_mothers(const char *query, size_t *idx, size_t max)
{
	return search_among(query, true, idx, max);
}

size_t desk_children_of(const uint8_t mother[UUID_LEN], size_t *idx, size_t max)
{
	return search_children_of(desk.p, desk.np, mother, idx, max);
}
