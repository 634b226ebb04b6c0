/* app/desk_data.h: the decrypted people and sessions the desk screens work
 * on, and an index of the visits, held in memory after login (ARCHITECTURE.md:
 * search runs in memory) and wiped when the session locks. Visits are opened
 * when a card, a form or a list needs them (issue 15). Saves go to the store first;
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
	int32_t last;              /* the latest visit's date, DATE_NONE when none,
				    * DESK_UNREAD until desk_last_visit works it out */
	uint32_t first;            /* the person's first visit in desk.r, DESK_END */
	uint32_t rank;             /* place by folded name (then index): the search's order */
};
#define DESK_UNREAD (INT32_MIN + 1)
#define DESK_END UINT32_MAX

/* One current visit as the lists need it (issue 15): which, whose (each
 * person's visits are a chain through desk.r), and its month from the
 * store's clear columns; its date and whether a weight was taken once it
 * was opened. Nothing else of a visit stays in memory: a card or a form
 * opens the person's visits from the store (desk_visits_of), so the desk
 * holds about 28 bytes per visit instead of the visit. */
struct desk_ref {
	uint8_t uuid[UUID_LEN];
	uint32_t next;             /* the same person's next visit, DESK_END */
	int32_t date;              /* once opened (REF_OPENED) */
	uint16_t month;            /* date_month_index */
	uint8_t flags;             /* REF_* */
};
enum { REF_OPENED = 1, REF_WEIGHED = 2, REF_GONE = 4 };

/* Every array is an arena block (storage/arena.h), wiped and released by
 * desk_unload(): the lock path and the exit path call it. */
struct desk_data {
	bool loaded;
	struct store *s;           /* the unlocked store visits are opened from */
	struct person *p;          /* np live people */
	struct desk_fold *f;       /* folded names (the search keys), parallel to p */
	size_t np, capp;
	struct desk_ref *r;        /* nr visits (some REF_GONE) */
	size_t nr, capr;
	struct session *x;
	size_t nx, capx;
	struct visit *tmp;         /* one visit opened for a list, wiped after */
	struct err err;            /* the last failure to open a visit */
};

extern struct desk_data desk;

/* People and sessions opened, visits only listed (store_visit_refs). */
int desk_load(struct store *s, struct err *err);
void desk_unload(void);                     /* wipes and frees; idempotent */

/* Replace (by uuid) or add. -1 only when out of memory. Saves go to the
 * store first: desk_put_visit only says what the lists must know. */
int desk_put_person(const struct person *p);
int desk_put_visit(const struct visit *v);
int desk_put_session(const struct session *x);
void desk_drop(const uint8_t uuid[UUID_LEN]);   /* a deleted person or visit */

struct person *desk_person(const uint8_t uuid[UUID_LEN]);
/* The date of the latest visit of desk.p[I], DATE_NONE when none: opens
 * at most the visits of the person's latest month, once. */
int32_t desk_last_visit(size_t i);
/* PERSON's visits, newest first, opened from the store into an arena array
 * (free it with store_free(); NULL when none). When the store fails, the
 * visits it could not open are left out and desk.err says why. */
size_t desk_visits_of(const uint8_t person[UUID_LEN], struct visit **out);
/* The current visit UUID, opened into *OUT (arena memory): 1, 0 when it is
 * no live visit (or on a failure: desk.err). */
int desk_visit_get(const uint8_t uuid[UUID_LEN], struct visit *out);
/* The children 0-59 months on DAY not weighed in DAY's month (the rule of
 * core/desk.h desk_not_weighed), opening only that month's visits. */
size_t desk_not_weighed_on(int32_t day, size_t *idx, size_t max);
/* Who came on DAY (a visit that day, or registered that day) and all their
 * visits: copies in arena arrays (store_free both), for the day's steps. */
int desk_day(int32_t day, struct person **people, size_t *np, struct visit **visits,
	     size_t *nv, struct err *err);
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
