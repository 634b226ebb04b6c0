/* app/desk_data.h: the decrypted people, visits and sessions the desk
 * screens work on, held in memory after login (ARCHITECTURE.md: search runs
 * in memory) and wiped when the session locks. Saves go to the store first;
 * only after they returned is the copy here updated, so the screens never
 * show what is not on disk. */
#ifndef POSYANDU_APP_DESK_DATA_H
#define POSYANDU_APP_DESK_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/person.h"
#include "core/search.h"
#include "storage/store.h"

/* What the lists show of a person, kept current on every put and drop so
 * that a redraw touches only the rows it shows (issue 15). */
struct desk_fold {
	char name[64];             /* folded: the search keys */
	char mother[64];
	int32_t last;              /* the latest visit's date, DATE_NONE when none */
};

/* Every array is an arena block (storage/arena.h), wiped and released by
 * desk_unload(): the lock path and the exit path call it. */
struct desk_data {
	bool loaded;
	struct person *p;          /* np live people */
	struct desk_fold *f;       /* folded names (the search keys), parallel to p */
	size_t np, capp;
	struct visit *v;
	size_t nv, capv;
	struct session *x;
	size_t nx, capx;
};

extern struct desk_data desk;

int desk_load(struct store *s, struct err *err);
void desk_unload(void);                     /* wipes and frees; idempotent */

/* Replace (by uuid) or add. -1 only when out of memory. */
int desk_put_person(const struct person *p);
int desk_put_visit(const struct visit *v);
int desk_put_session(const struct session *x);
void desk_drop(const uint8_t uuid[UUID_LEN]);   /* a deleted person or visit */

struct person *desk_person(const uint8_t uuid[UUID_LEN]);
/* The date of the latest visit of desk.p[I], DATE_NONE when none. */
static inline int32_t desk_last_visit(size_t i)
{
	return desk.f[i].last;
}
/* Copies of PERSON's visits, newest first, into an arena array (free it
 * with store_free(); NULL when none). */
size_t desk_visits_of(const uint8_t person[UUID_LEN], struct visit **out);
/* The session of DAY, or NULL. */
struct session *desk_session_on(int32_t day);

/* Search: indices of people matching QUERY (raw text), best first, at most
 * MAX, into IDX. Returns how many. An empty query lists everyone by name. */
size_t desk_search(const char *query, size_t *idx, size_t max);
/* The same among the women who may be a child's mother (core/search.h),
 * on their own name or NIK: the list a child's mother is picked from. */
size_t desk_search_mothers(const char *query, size_t *idx, size_t max);
/* MOTHER's children, oldest first (core/search.h). */
size_t desk_children_of(const uint8_t mother[UUID_LEN], size_t *idx, size_t max);

#endif
