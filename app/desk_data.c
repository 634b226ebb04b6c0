/* app/desk_data.c: the in-memory working set of the desk. Every array that
 * holds decrypted data (people, their folded names, visits, sessions, the
 * visit copies handed to screens) is an arena block (storage/arena.h):
 * guarded, mlocked, out of core dumps, wiped when freed. */
#include "app/desk_data.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/arena.h"

#include "core/banned.h"

struct desk_data desk;

static void fold(size_t i)
{
	search_fold(desk.p[i].name, desk.f[i].name, sizeof desk.f[i].name);
	search_fold(desk.p[i].mother_name, desk.f[i].mother, sizeof desk.f[i].mother);
}

/* desk.f[I].last from every visit: one person, on a save or a delete. */
static void relast(size_t i)
{
	int32_t last = DATE_NONE;
	for (size_t k = 0; k < desk.nv; k++)
		if (memcmp(desk.v[k].person, desk.p[i].uuid, UUID_LEN) == 0 &&
		    (last == DATE_NONE || desk.v[k].date > last))
			last = desk.v[k].date;
	desk.f[i].last = last;
}

static int by_uuid(const void *a, const void *b)
{
	return memcmp(desk.p[*(const size_t *)a].uuid, desk.p[*(const size_t *)b].uuid, UUID_LEN);
}

/* Everyone's last visit in one pass over the visits, people found by a
 * binary search on their uuid: at login, O((people + visits) log people). */
static int relast_all(struct err *err)
{
	size_t *order = malloc((desk.np ? desk.np : 1) * sizeof *order);

	if (!order)
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < desk.np; i++) {
		order[i] = i;
		desk.f[i].last = DATE_NONE;
	}
	qsort(order, desk.np, sizeof *order, by_uuid);
	for (size_t k = 0; k < desk.nv; k++) {
		size_t lo = 0, hi = desk.np;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = memcmp(desk.p[order[mid]].uuid, desk.v[k].person, UUID_LEN);
			if (c == 0) {
				struct desk_fold *f = &desk.f[order[mid]];
				if (f->last == DATE_NONE || desk.v[k].date > f->last)
					f->last = desk.v[k].date;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	free(order);
	return 0;
}

static long person_index(const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, uuid, UUID_LEN) == 0)
			return (long)i;
	return -1;
}

int desk_load(struct store *s, struct err *err)
{
	desk_unload();
	if (store_people(s, &desk.p, &desk.np, err) < 0)
		return -1;
	desk.capp = desk.np;
	if (store_visits(s, &desk.v, &desk.nv, err) < 0 ||
	    store_sessions(s, &desk.x, &desk.nx, err) < 0) {
		desk_unload();
		return -1;
	}
	desk.capv = desk.nv;
	desk.capx = desk.nx;
	desk.f = arena_alloc(desk.np, sizeof *desk.f);
	if (!desk.f) {
		desk_unload();
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < desk.np; i++)
		fold(i);
	if (relast_all(err) < 0) {
		desk_unload();
		return -1;
	}
	desk.loaded = true;
	return 0;
}

void desk_unload(void)
{
	store_free(desk.p);            /* each wipes its whole block */
	arena_free(desk.f);
	store_free(desk.v);
	store_free(desk.x);
	memset(&desk, 0, sizeof desk);
}

struct person *desk_person(const uint8_t uuid[UUID_LEN])
{
	long i = person_index(uuid);
	return i < 0 ? NULL : &desk.p[i];
}

int desk_put_person(const struct person *p)
{
	struct person *old = desk_person(p->uuid);
	size_t i, capf = desk.capp;

	if (old) {
		i = (size_t)(old - desk.p);
		*old = *p;
	} else {
		/* desk.f first: a failure then leaves both at the old capacity. */
		if (desk.np == desk.capp) {
			size_t capp = desk.capp;
			if (arena_grow((void **)&desk.f, &capf, desk.np + 1, sizeof *desk.f) < 0 ||
			    arena_grow((void **)&desk.p, &capp, capf, sizeof *desk.p) < 0)
				return -1;
			desk.capp = capp < capf ? capp : capf;
		}
		i = desk.np++;
		desk.p[i] = *p;
		relast(i);
	}
	fold(i);
	return 0;
}

int desk_put_visit(const struct visit *v)
{
	long who = person_index(v->person);
	size_t i;

	for (i = 0; i < desk.nv; i++)
		if (memcmp(desk.v[i].uuid, v->uuid, UUID_LEN) == 0)
			break;
	if (i < desk.nv) {
		desk.v[i] = *v;                /* its date may have moved back: count again */
		if (who >= 0)
			relast((size_t)who);
		return 0;
	}
	if (arena_grow((void **)&desk.v, &desk.capv, desk.nv + 1, sizeof *desk.v) < 0)
		return -1;
	desk.v[desk.nv++] = *v;
	if (who >= 0 && (desk.f[who].last == DATE_NONE || v->date > desk.f[who].last))
		desk.f[who].last = v->date;
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
	for (size_t i = 0; i < desk.np; i++)
		if (memcmp(desk.p[i].uuid, uuid, UUID_LEN) == 0) {
			desk.p[i] = desk.p[desk.np - 1];
			desk.f[i] = desk.f[desk.np - 1];
			sodium_memzero(&desk.p[desk.np - 1], sizeof *desk.p);
			sodium_memzero(&desk.f[desk.np - 1], sizeof *desk.f);
			desk.np--;
			return;
		}
	for (size_t i = 0; i < desk.nv; i++)
		if (memcmp(desk.v[i].uuid, uuid, UUID_LEN) == 0) {
			long who = person_index(desk.v[i].person);
			desk.v[i] = desk.v[desk.nv - 1];
			sodium_memzero(&desk.v[desk.nv - 1], sizeof *desk.v);
			desk.nv--;
			if (who >= 0)
				relast((size_t)who);
			return;
		}
}

static int newest_first(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;
	return x->date != y->date ? (x->date < y->date ? 1 : -1) : memcmp(x->uuid, y->uuid, UUID_LEN);
}

size_t desk_visits_of(const uint8_t person[UUID_LEN], struct visit **out)
{
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < desk.nv; i++)
		n += memcmp(desk.v[i].person, person, UUID_LEN) == 0;
	if (!n || !(*out = arena_alloc(n, sizeof **out)))
		return 0;
	n = 0;
	for (size_t i = 0; i < desk.nv; i++)
		if (memcmp(desk.v[i].person, person, UUID_LEN) == 0)
			(*out)[n++] = desk.v[i];
	qsort(*out, n, sizeof **out, newest_first);
	return n;
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

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(desk.f[x->i].name, desk.f[y->i].name);
}

/* People matching QUERY, best first; MOTHERS: only those who may be a
 * child's mother, matched on their own name. */
static size_t search_among(const char *query, bool mothers, size_t *idx, size_t max)
{
	char q[96];
	struct scored *all;
	size_t n = 0;

	search_fold(query, q, sizeof q);
	if (!(all = malloc((desk.np ? desk.np : 1) * sizeof *all)))
		return 0;
	for (size_t i = 0; i < desk.np; i++) {
		struct search_entry e = { desk.f[i].name, mothers ? "" : desk.f[i].mother, desk.p[i].nik };
		int sc;
		if (mothers && !search_may_be_mother(&desk.p[i]))
			continue;
		sc = q[0] ? search_score(&e, q) : 1;
		if (sc > 0)
			all[n++] = (struct scored){ i, sc };
	}
	qsort(all, n, sizeof *all, by_score);
	if (n > max)
		n = max;
	for (size_t k = 0; k < n; k++)
		idx[k] = all[k].i;
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
