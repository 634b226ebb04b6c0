/* app/load_visits.c: `posyandu load visits FILE.csv` (issue 5). A
 * visit is the person's visit on that date, found by the person's ref: an
 * existing one is updated, whoever entered it, else a new record whose
 * uuid is derived from (person, date). See tui/cli_load.c for the rules
 * every load follows. */
#include "app/load.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/imm.h"
#include "core/measure.h"
#include "core/valid.h"
#include "core/visit_check.h"
#include "core/visit_fields.h"
#include "storage/arena.h"
#include "storage/load_store.h"
#include "app/i18n.h"
#include "app/visit_check_text.h"
#include "core/banned.h"

const char *const load_visit_cols[V__N] = {
	"ref", "date", "weight_kg", "lenhei_cm", "measure", "oedema", "headc_cm", "muac_cm",
	"asi_recall", "vitamin_a", "immunizations", "confirmed", "catch_up",
};

struct vrow {
	int line;
	const struct person *p;
	struct visit v;            /* the values given */
	unsigned set;
	int oedema;                /* -1: not given */
	bool confirmed;            /* the row confirms a doubtful value */
	bool bad;                  /* a cell of the row is bad: no rule to check */
	char catch_up[sizeof ((struct visit *)0)->note];   /* the reason of a catch-up dose */
	const struct visit *stored;
	uint8_t uuid[UUID_LEN];
};

static void visit_canon(const void *rec, char *buf, size_t size)
{
	const struct visit *v = rec;
	char u[UUID_STRLEN];
	snprintf(buf, size, "%s|%ld|%u|%u|%c|%u|%u|%d|%d|%d|%d|%lu|%d|%u|%u|%u|%u|%u|%u|%s",
		 uuid_format(v->person, u), (long)v->date, v->weight_g, v->lenhei_mm,
		 v->measure ? v->measure : '-', v->headc_mm, v->muac_mm, v->oedema, v->asi_recall,
		 v->counsel_asi, (int)v->vitamin_a, (unsigned long)v->imm, v->home_visit,
		 v->gest_weeks, v->bp_sys, v->bp_dia, v->iron_tablets, v->anc_no, v->danger_signs,
		 v->note);
}

/* A measurement in unit UNIT (kg or cm) into SCALE-ths, checked by core. */
static unsigned measure(struct load *l, int line, const char *column, const char *s,
			enum measure_field f, int32_t age_days, double scale)
{
	struct err e = { 0 };
	double x;

	if (valid_decimal(s, "number", &x, &e) < 0 || measure_check(f, x, age_days, &e) < 0) {
		load_bad(l, line, column, &e);
		return 0;
	}
	return (unsigned)lround(x * scale);
}

/* Whether field F of the row's person applies (core/visit_fields.h); if
 * not, the row's error for COLUMN. An age misfit is an error only when
 * AGE_MSG names it; an unknown age passes. */
static bool fits(struct load *l, const struct vrow *w, enum visit_field f, const char *column,
		 const char *age_msg, int months)
{
	switch (visit_field_fit(f, w->p->kind, months)) {
	case VF_WRONG_KIND:
		load_bad_code(l, w->line, column, ERR_RANGE, "load-child-only");
		return false;
	case VF_WRONG_AGE:
		if (!age_msg)
			return true;
		load_bad_code(l, w->line, column, ERR_RANGE, age_msg);
		return false;
	default:
		return true;
	}
}

static void parse_visit(struct load *l, const struct csv_reader *r, struct vrow *w)
{
	struct err e = { 0 };
	const char *s;
	bool child;
	int32_t age_days = -1;
	int months = -1, v;

	memset(&w->v, 0, sizeof w->v);
	w->v.asi_recall = -1;
	w->oedema = -1;
	for (int k = 0; k < V__N; k++)
		if (*load_cell(l, r, k))
			w->set |= 1u << k;

	s = load_cell(l, r, V_REF);
	if (!*s) {
		load_bad_code(l, w->line, "ref", ERR_REQUIRED, NULL);
	} else if (strlen(s) > REF_MAX) {
		load_bad_code(l, w->line, "ref", ERR_RANGE, "load-ref");
	} else {
		uint8_t u[UUID_LEN];
		if (load_ref_uuid(l, s, u, &e) < 0) {
			load_bad(l, w->line, "ref", &e);
			return;
		}
		if (!(w->p = load_store_person(l, u)))
			load_bad_code(l, w->line, "ref", ERR_NOTFOUND, "load-ref");
	}

	s = load_cell(l, r, V_DATE);
	if (date_parse(s, &w->v.date, &e) < 0 ||
	    valid_visit_date(w->v.date, w->p ? w->p->dob : DATE_NONE, l->today, &e) < 0) {
		load_bad(l, w->line, "date", &e);
		w->v.date = DATE_NONE;
	}
	if (!w->p)
		return;                        /* the rest depends on who it is */
	memcpy(w->v.person, w->p->uuid, UUID_LEN);
	child = w->p->kind == PERSON_CHILD;
	if (w->v.date != DATE_NONE && w->p->dob != DATE_NONE) {
		age_days = w->v.date - w->p->dob;
		months = date_age_months(w->p->dob, w->v.date);
	}

	if (*(s = load_cell(l, r, V_WEIGHT)))
		w->v.weight_g = measure(l, w->line, "weight_kg", s, MEASURE_WEIGHT, age_days, 1000.0);
	if (*(s = load_cell(l, r, V_LENHEI)))
		w->v.lenhei_mm = (uint16_t)measure(l, w->line, "lenhei_cm", s, MEASURE_LENHEI, age_days, 10.0);
	if (*(s = load_cell(l, r, V_HEADC)))
		w->v.headc_mm = (uint16_t)measure(l, w->line, "headc_cm", s, MEASURE_HEADC, age_days, 10.0);
	if (*(s = load_cell(l, r, V_MUAC)))
		w->v.muac_mm = (uint16_t)measure(l, w->line, "muac_cm", s,
						 child ? MEASURE_MUAC : MEASURE_LILA, age_days, 10.0);

	s = load_cell(l, r, V_MEASURE);
	if (*s && strcasecmp(s, "l") && strcasecmp(s, "h"))
		load_bad_code(l, w->line, "measure", ERR_FORMAT, "load-measure");
	else if (*s)
		w->v.measure = (char)tolower((unsigned char)*s);
	else if (w->v.lenhei_mm && age_days >= 0)
		w->v.measure = desk_default_measure(age_days);     /* WHO: lying below 731 days */

	if ((w->oedema = load_yesno(load_cell(l, r, V_OEDEMA))) == -2)
		load_bad_code(l, w->line, "oedema", ERR_FORMAT, "load-yesno");

	/* The child-only columns (domain.md §5.1, §5.2, §5.4). */
	s = load_cell(l, r, V_ASI);
	if ((v = load_yesno(s)) == -2)
		load_bad_code(l, w->line, "asi_recall", ERR_FORMAT, "load-yesno");
	else if (v >= 0 && fits(l, w, VF_ASI, "asi_recall", "load-asi-age", months))
		w->v.asi_recall = (int8_t)v;

	s = load_cell(l, r, V_VITA);
	if (*s && strcasecmp(s, "blue") && strcasecmp(s, "red") && strcasecmp(s, "biru") &&
	    strcasecmp(s, "merah"))
		load_bad_code(l, w->line, "vitamin_a", ERR_FORMAT, "load-vita");
	else if (*s && fits(l, w, VF_VITA, "vitamin_a", "load-vita-age", months))
		w->v.vitamin_a = (strcasecmp(s, "blue") == 0 || strcasecmp(s, "biru") == 0) ? VITA_BLUE
										       : VITA_RED;

	/* a register may record a late dose: only the kind is checked */
	s = load_cell(l, r, V_IMM);
	if (*s && fits(l, w, VF_IMM, "immunizations", NULL, months) &&
	    imm_parse(s, &w->v.imm, &e) < 0)
		load_bad(l, w->line, "immunizations", &e);

	/* issue 12: what a doubtful value or a catch-up needs to be loaded */
	if ((v = load_yesno(load_cell(l, r, V_CONFIRMED))) == -2)
		load_bad_code(l, w->line, "confirmed", ERR_FORMAT, "load-yesno");
	w->confirmed = v == 1;
	snprintf(w->catch_up, sizeof w->catch_up, "%s", load_cell(l, r, V_CATCH_UP));
}

/* The stored visit of P on DATE: the one with the derived uuid, else any. */
static const struct visit *stored_visit(const struct load *l, const uint8_t person[UUID_LEN],
					int32_t date, const uint8_t derived[UUID_LEN])
{
	const struct visit *any = NULL;
	for (size_t i = 0; i < l->nv; i++) {
		const struct visit *v = &l->visits[i];
		if (v->date != date || memcmp(v->person, person, UUID_LEN) != 0)
			continue;
		if (memcmp(v->uuid, derived, UUID_LEN) == 0)
			return v;
		if (!any)
			any = v;
	}
	return any;
}

static void visit_apply(const struct vrow *w, struct visit *out)
{
	const struct visit *g = &w->v;

	if (w->stored) {
		*out = *w->stored;
	} else {
		memset(out, 0, sizeof *out);
		memcpy(out->uuid, w->uuid, UUID_LEN);
		memcpy(out->person, g->person, UUID_LEN);
		out->date = g->date;
		out->asi_recall = -1;
		/* an empty cell is "not recorded", never "no" (issue 12) */
		out->not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;
	}
	if (g->weight_g)
		out->weight_g = g->weight_g;
	if (g->lenhei_mm) {
		out->lenhei_mm = g->lenhei_mm;
		out->measure = g->measure;
	} else if (w->set & (1u << V_MEASURE)) {
		out->measure = g->measure;
	}
	if (g->headc_mm)
		out->headc_mm = g->headc_mm;
	if (g->muac_mm)
		out->muac_mm = g->muac_mm;
	if (w->oedema >= 0)
		visit_set_answer(out, VF_OEDEMA, w->oedema);
	if (g->asi_recall >= 0)
		out->asi_recall = g->asi_recall;
	if (g->vitamin_a)
		out->vitamin_a = g->vitamin_a;
	out->imm |= g->imm;
	if (w->catch_up[0] && !out->note[0])
		snprintf(out->note, sizeof out->note, "%s", w->catch_up);
}

static void parse_visit_row(struct load *l, const struct csv_reader *r, void *row, int line)
{
	struct vrow *w = row;
	int before = l->errors;
	w->line = line;
	parse_visit(l, r, w);
	w->bad = l->errors != before;
}

static int put_visit(struct store *s, struct draft *d, const void *rec, struct err *err)
{
	return store_visit_put(s, d, rec, err);
}

/* The rules of the desk (core/visit_check.h) over each row as it would
 * be stored, against the person's other visits: those stored and the
 * file's other rows. A refusal is an error; a doubtful value needs
 * confirmed=y, a catch-up its reason in catch_up. */
static int check_rules(struct load *l, const struct vrow *rows, size_t n, struct err *err)
{
	struct visit *hist = arena_alloc(l->nv + n + 1, sizeof *hist);   /* wiped when freed */

	if (!hist)
		return err_set(err, ERR_NOMEM, NULL, "visit history");
	for (size_t i = 0; i < n; i++) {
		const struct vrow *w = &rows[i];
		struct vcheck c[VCHECK_MAX];
		struct visit v;
		size_t nh = 0, nc;
		char text[200], msg[320];

		if (w->bad || !w->p || w->v.date == DATE_NONE)
			continue;
		visit_apply(w, &v);
		for (size_t k = 0; k < l->nv; k++)
			if (memcmp(l->visits[k].person, w->p->uuid, UUID_LEN) == 0 &&
			    l->visits[k].date != v.date)
				hist[nh++] = l->visits[k];
		for (size_t k = 0; k < n; k++)
			if (k != i && rows[k].p == w->p && rows[k].v.date != DATE_NONE &&
			    rows[k].v.date != v.date)
				visit_apply(&rows[k], &hist[nh++]);
		nc = visit_check(w->p, &v, hist, nh, c, NULL);
		for (size_t k = 0; k < nc; k++) {
			visit_check_text(&c[k], text, sizeof text);
			if (c[k].level == VCHECK_REFUSE)
				snprintf(msg, sizeof msg, "%s", text);
			else if (c[k].level == VCHECK_CONFIRM && !w->confirmed)
				snprintf(msg, sizeof msg, _("%s; if right: confirmed=y"), text);
			else if (c[k].level == VCHECK_REASON && !w->catch_up[0])
				snprintf(msg, sizeof msg, _("%s; reason in column catch_up"), text);
			else
				continue;
			load_bad_msg(l, w->line, NULL, msg);
		}
	}
	arena_free(hist);
	return 0;
}

/* Two rows for one person and date are one error; each row gets the
 * record id derived from them, and the stored version when there is one. */
static int check_visits(struct load *l, void *buf, size_t n, struct err *err)
{
	struct vrow *rows = buf;

	for (size_t i = 0; i < n; i++) {
		struct vrow *w = &rows[i];
		uint8_t key[UUID_LEN + 4];
		if (!w->p || w->v.date == DATE_NONE)
			continue;
		for (size_t j = 0; j < i; j++)
			if (rows[j].p == w->p && rows[j].v.date == w->v.date) {
				load_bad_code(l, w->line, "date", ERR_EXISTS, "load-visit");
				break;
			}
		memcpy(key, w->p->uuid, UUID_LEN);
		for (int b = 0; b < 4; b++)
			key[UUID_LEN + b] = (uint8_t)((uint32_t)w->v.date >> (8 * b));
		/* Scoped to the posyandu like the person's (storage/load_store.h):
		 * the same register row loaded on two of its devices is one visit. */
		if (store_derive_ref_id(l->s, "visit", key, sizeof key, w->uuid, err) < 0)
			return -1;
		w->stored = stored_visit(l, w->p->uuid, w->v.date, w->uuid);
	}
	return check_rules(l, rows, n, err);
}

static int write_visits(struct load *l, const void *buf, size_t n, struct load_tally *t,
			struct err *err)
{
	const struct vrow *rows = buf;

	for (size_t i = 0; i < n; i++) {
		struct visit v;
		visit_apply(&rows[i], &v);
		if (load_write(l, v.uuid, &v, rows[i].stored, visit_canon, put_visit, t, err) < 0)
			return -1;
	}
	return 0;
}

int load_visits(struct load *l, struct csv_reader *r)
{
	struct err err = { 0 };

	if (store_visits(l->s, &l->visits, &l->nv, &err) < 0) {
		l->err = err;
		return -1;
	}
	return load_table(l, r, sizeof(struct vrow), 256, parse_visit_row, check_visits, write_visits);
}
