/* app/person_view.h: what the read commands `person list`, `person show`
 * and `visit list` (cli/person.c) print: a person with every visit, the
 * visits of a month with their people, and the fields of a person and of
 * a visit as one table each, so that CSV, JSON and text name and format a
 * value the same way. Nothing here prints. */
#ifndef POSYANDU_APP_PERSON_VIEW_H
#define POSYANDU_APP_PERSON_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "core/person.h"
#include "storage/store.h"

/* ---- the fields ---- */

/* How a field is typed in JSON. Its text (CSV, the text format) is always
 * what FMT writes; an empty text is JSON null, except for PV_STR ("").
 * PV_BOOL text is "y" or "n", as `load` reads it. */
enum pv_type { PV_STR, PV_INT, PV_NUM, PV_BOOL };

enum pv_how { PV_FN, PV_CHARS, PV_UUID, PV_DATE, PV_UINT, PV_OPT, PV_DEC, PV_YESNO, PV_LETTER,
	      PV_ASKED };

struct pv_field {
	const char *key;           /* CSV column and JSON key, never translated */
	const char *label;         /* msgid, for the text format */
	enum pv_type type;
	/* the rest is pv_text's: where the value is in the record and how it
	 * is written (PV_OPT: a number, "" when 0; PV_DEC: a number of
	 * 1/SCALE units, e.g. grams as kg; PV_LETTER: one character, "" when
	 * 0; PV_ASKED: "y" when the value is SCALE >> 8, "" when it is
	 * SCALE & 0xff, else "n") */
	enum pv_how how;
	size_t off, width;
	unsigned scale;
	void (*fn)(const void *rec, int32_t today, char *buf, size_t size);
};

/* The value of field F of REC (a struct person or struct visit) as text
 * into BUF, "" when not recorded; TODAY for ages. Returns BUF. */
const char *pv_text(const struct pv_field *f, const void *rec, int32_t today, char *buf,
		    size_t size);

/* Every field of a person / of a visit, in output order. */
extern const struct pv_field pv_person_fields[];
extern const size_t pv_person_nfields;
extern const struct pv_field pv_visit_fields[];
extern const size_t pv_visit_nfields;

/* The field KEY of TABLE (N of them), or NULL. */
const struct pv_field *pv_field_find(const struct pv_field *table, size_t n, const char *key);

/* REC's fields (the N of TABLE, or when KEYS is not NULL the NKEYS named
 * there) added to the JSON object O, or to a new one when O is NULL.
 * Returns the object, NULL (O freed) when out of memory. */
struct json_t;
struct json_t *pv_json(struct json_t *o, const struct pv_field *table, size_t n,
		       const char *const *keys, size_t nkeys, const void *rec, int32_t today);

/* ---- person show ---- */

/* One person and every visit of theirs, newest first. */
struct person_view {
	struct person p;
	struct visit *visits;
	size_t nv;
};
/* The person whose record uuid is WHO, or whose register ref (`load
 * people`) is WHO. ERR_NOTFOUND (field "person") when there is none.
 * Release with person_view_release(), which wipes. */
int person_view_load(struct store *s, const char *who, struct person_view *pv, struct err *err);
void person_view_release(struct person_view *pv);

/* ---- person list ---- */

/* Every person, by name (then uuid). Free with pv_people_free(). */
int pv_people(struct store *s, struct person **out, size_t *n, struct err *err);
void pv_people_free(struct person *people, size_t n);

/* ---- visit list ---- */

struct month_visit {
	const struct visit *v;
	const struct person *p;    /* NULL: a visit whose person is not stored */
};
/* The visits of month MONTH (core/date.h month index), by date, then the
 * person's name, then uuid. Release with month_visits_release(). */
struct month_visits {
	struct person *people;
	size_t np;
	struct visit *visits;
	size_t nv;
	struct month_visit *rows;
	size_t n;
};
int month_visits_load(struct store *s, int month, struct month_visits *mv, struct err *err);
void month_visits_release(struct month_visits *mv);

#endif
