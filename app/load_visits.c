/* app/load_visits.c: `posyandu load visits FILE.csv` (issue 5). A
 * visit is the person's visit on that date, found by the person's ref: an
 * existing one is updated, whoever entered it, else a new record whose
 * uuid is derived from (person, date). See tui/cli_load.c for the rules
 * every load follows. */
#include "app/load.h"

#include <ctype.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/ilp.h"
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
	/* Posyandu ILP (issue 14): the keys of `person show` (app/person_view.c) */
	"bp_sys", "bp_dia", "glucose_mgdl", "glucose_fasting", "waist_cm", "hb_gdl", "tb_symptoms",
	"smoking", "gest_weeks", "iron_tablets", "anc_no",
	"iron_weekly", "mental_problem", "risk_alcohol", "risk_drugs", "risk_sex",
	"cholesterol_mgdl", "uric_mgdl", "vision_problem", "hearing_problem", "diet_sugar",
	"diet_salt", "diet_fat", "puma_breath", "puma_phlegm", "puma_cough", "puma_spirometry",
	"puma_packyears", "adl", "fall_risk", "kb_method",
	"hpht", "gravida", "para", "td_status", "kek_food", "preg_class", "postpartum", "vita_pp",
	"deworm", "diarrhoea", "ors_zinc", "pmt", "development", "danger_signs",
};
_Static_assert(V__N <= LOAD_MAX_COLS, "a set of columns is a uint64_t");

const char *const load_kb_codes[KB__COUNT] = {
	[KB_NONE] = "none", [KB_PILL] = "pill", [KB_INJECTION] = "injection",
	[KB_IMPLANT] = "implant", [KB_IUD] = "iud", [KB_CONDOM] = "condom", [KB_MOW] = "mow",
	[KB_MOP] = "mop", [KB_MAL] = "mal", [KB_OTHER] = "other",
};
/* The words of the KB register (SIP format 3) for the same methods. */
static const char *const kb_words_id[KB__COUNT] = {
	[KB_NONE] = "tidak", [KB_PILL] = "pil", [KB_INJECTION] = "suntik",
	[KB_IMPLANT] = "implan", [KB_IUD] = "akdr", [KB_CONDOM] = "kondom",
	[KB_MOW] = "tubektomi", [KB_MOP] = "vasektomi", [KB_MAL] = "mal", [KB_OTHER] = "lain",
};
const char *const load_packyears_codes[PY_OVER_30 + 1] = {
	[PY_UNDER_20] = "<20", [PY_20_30] = "20-30", [PY_OVER_30] = ">30",
};

/* The members of a visit that `load visits` fills from the ILP columns
 * (and the maternal numbers it did not load before): what visit_apply
 * copies over the stored visit when given and visit_canon compares. */
static const struct {
	size_t off, width;
} ilp_members[] = {
#define M(m) { offsetof(struct visit, m), sizeof(((struct visit *)0)->m) }
	M(gest_weeks), M(bp_sys), M(bp_dia), M(iron_tablets), M(anc_no),
	M(glucose_mgdl), M(glucose_fasting), M(waist_mm), M(hb_dgl), M(tb_symptoms), M(smoking),
	M(iron_weekly), M(mental_problem), M(risk_alcohol), M(risk_drugs), M(risk_sex),
	M(cholesterol_mgdl), M(uric_dmgdl), M(vision_problem), M(hearing_problem), M(diet_sugar),
	M(diet_salt), M(diet_fat), M(puma_breath), M(puma_phlegm), M(puma_cough),
	M(puma_spirometry), M(puma_packyears), M(adl), M(fall_risk), M(kb_method), M(hpht),
	M(gravida), M(para), M(td_status), M(kek_food), M(preg_class), M(postpartum), M(vita_pp),
	M(deworm), M(diarrhoea), M(ors_zinc), M(pmt), M(development),
#undef M
};
#define N_ILP (sizeof ilp_members / sizeof ilp_members[0])

struct vrow {
	int line;
	const struct person *p;
	struct visit v;            /* the values given */
	uint64_t set;              /* columns with a value */
	int oedema;                /* -1: not given */
	int danger;                /* danger sign bits (core/person.h); -1: not given */
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
	/* which questions were asked: "none" after "not asked" is a change */
	snprintf(buf + strlen(buf), size - strlen(buf), "|q%u", v->not_asked);
	/* and every ILP member: a changed answer is a new version */
	for (size_t i = 0, n = strlen(buf); i < N_ILP && n < size; i++, n += strlen(buf + n))
		snprintf(buf + n, size - n, "|%lu",
			 member_uint((const char *)v + ilp_members[i].off, ilp_members[i].width));
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

/* ---- Posyandu ILP columns (issue 14) ---- */

/* Who P is at MONTHS, for "this column is not for ...". */
static const char *who_text(const struct person *p, int months, char *buf, size_t size)
{
	switch (ilp_group_for(p->kind, months)) {
	case ILP_SCHOOL: return _("a school-age child");
	case ILP_ADOLESCENT: return _("an adolescent");
	case ILP_ADULT:
		return p->kind == PERSON_WOMAN ? _("a woman who is not pregnant") : _("an adult");
	case ILP_ELDERLY: return _("an elderly person");
	default: break;
	}
	if (p->kind == PERSON_PREGNANT)
		return _("a pregnant woman");
	if (p->kind == PERSON_CHILD && months >= 0) {
		snprintf(buf, size, _("a child of %d months"), months);
		return buf;
	}
	return _("this person");
}

/* Whether ILP field F applies to the row's person (core/visit_fields.h, and
 * the weekly iron tablet only for girls); if not, the row's error for
 * COLUMN, naming who the person is. An unknown age passes, as above. */
static bool ilp_fits(struct load *l, const struct vrow *w, enum visit_field f, const char *column,
		     int months)
{
	char who[64], msg[160];
	enum visit_fit fit = visit_field_fit(f, w->p->kind, months);

	if (fit == VF_WRONG_KIND || fit == VF_WRONG_AGE) {
		snprintf(msg, sizeof msg, _("This column is not for %s"),
			 who_text(w->p, months, who, sizeof who));
		load_bad_msg(l, w->line, column, msg);
		return false;
	}
	if (f == VF_IRON_WEEKLY && w->p->sex != 'P') {
		load_bad_msg(l, w->line, column, _("The weekly iron tablet is for girls only"));
		return false;
	}
	return true;
}

/* The three-state questions: y / n, empty = not asked. */
static const struct {
	enum vcol col;
	enum visit_field f;
} ilp_questions[] = {
	{ V_GLUCOSE_FASTING, VF_GLUCOSE_FASTING }, { V_TB, VF_TB }, { V_SMOKING, VF_SMOKING },
	{ V_IRON_WEEKLY, VF_IRON_WEEKLY }, { V_MENTAL, VF_MENTAL },
	{ V_RISK_ALCOHOL, VF_RISK_ALCOHOL }, { V_RISK_DRUGS, VF_RISK_DRUGS },
	{ V_RISK_SEX, VF_RISK_SEX }, { V_VISION, VF_VISION }, { V_HEARING, VF_HEARING },
	{ V_DIET_SUGAR, VF_DIET_SUGAR }, { V_DIET_SALT, VF_DIET_SALT }, { V_DIET_FAT, VF_DIET_FAT },
	{ V_PUMA_BREATH, VF_PUMA_BREATH }, { V_PUMA_PHLEGM, VF_PUMA_PHLEGM },
	{ V_PUMA_COUGH, VF_PUMA_COUGH }, { V_PUMA_SPIROMETRY, VF_PUMA_SPIROMETRY },
	{ V_FALL, VF_FALL }, { V_KEK_FOOD, VF_KEK_FOOD }, { V_PREG_CLASS, VF_PREG_CLASS },
	{ V_POSTPARTUM, VF_POSTPARTUM }, { V_DEWORM, VF_DEWORM }, { V_DIARRHOEA, VF_DIARRHOEA },
	{ V_ORS_ZINC, VF_ORS_ZINC }, { V_PMT, VF_PMT }, { V_DEVELOPMENT, VF_DEVELOPMENT },
};

/* The measurements: whole numbers (mmHg, mg/dL) or decimals (cm, g/dL),
 * kept in PER-ths of the unit; possible by core/measure.c, the unusual
 * ones confirmed later by visit_check. COUNT: valid_count's name for a
 * whole number, NULL for a decimal. */
static const struct {
	enum vcol col;
	enum visit_field f;
	enum measure_field m;
	const char *count;
	double per;
	size_t off, width;
} ilp_numbers[] = {
#define M(c, f, m, count, per, member) \
	{ c, f, m, count, per, offsetof(struct visit, member), sizeof(((struct visit *)0)->member) }
	M(V_BP_SYS, VF_BP, MEASURE_BP_SYS, "bp_sys", 1, bp_sys),
	M(V_BP_DIA, VF_BP, MEASURE_BP_DIA, "bp_dia", 1, bp_dia),
	M(V_GLUCOSE, VF_GLUCOSE, MEASURE_GLUCOSE, "glucose_mgdl", 1, glucose_mgdl),
	M(V_WAIST, VF_WAIST, MEASURE_WAIST, NULL, 10, waist_mm),
	M(V_HB, VF_HB, MEASURE_HB, NULL, 10, hb_dgl),
	M(V_CHOLESTEROL, VF_CHOLESTEROL, MEASURE_CHOLESTEROL, "cholesterol_mgdl", 1, cholesterol_mgdl),
	M(V_URIC, VF_URIC, MEASURE_URIC, NULL, 10, uric_dmgdl),
#undef M
};

/* Counts kept as given (ADD 0) or + 1 where 0 is an answer (ADD 1). */
static const struct {
	enum vcol col;
	enum visit_field f;
	const char *count;
	int add;
	size_t off, width;
} ilp_counts[] = {
#define C(c, f, count, add, member) \
	{ c, f, count, add, offsetof(struct visit, member), sizeof(((struct visit *)0)->member) }
	C(V_GEST, VF_GEST, "gest_weeks", 0, gest_weeks),
	C(V_IRON, VF_IRON, "iron_tablets", 0, iron_tablets),
	C(V_ANC, VF_ANC, "anc_no", 0, anc_no),
	C(V_GRAVIDA, VF_GRAVIDA, "gravida", 0, gravida),
	C(V_PARA, VF_PARA, "para", 1, para),
	C(V_ADL, VF_ADL, "adl", 1, adl),
#undef C
};

/* A whole number of valid_count's FIELD in S: 0 and *OUT, else the row's
 * error for COLUMN saying which numbers are allowed. */
static int whole(struct load *l, int line, const char *column, const char *field, const char *s,
		 int *out)
{
	struct err e = { 0 };
	char msg[160];
	int lo = 0, hi = 0;

	if (valid_count(field, s, out, &e) == 0)
		return 0;
	if (e.code == ERR_RANGE && valid_count_range(field, &lo, &hi) == 0)
		snprintf(msg, sizeof msg, _("Write a whole number from %d to %d"), lo, hi);
	else
		snprintf(msg, sizeof msg, "%s", _("Write a whole number, without a comma or point"));
	load_bad_msg(l, line, column, msg);
	return -1;
}

static void ilp_number(struct load *l, struct vrow *w, size_t i, const char *s, int months)
{
	const char *column = load_visit_cols[ilp_numbers[i].col];
	struct err e = { 0 };
	char msg[200];
	double x;
	int n;

	if (ilp_numbers[i].count) {
		/* out of range is measure_check's to say, with the unit */
		if (valid_count(ilp_numbers[i].count, s, &n, &e) < 0 && e.code != ERR_RANGE) {
			load_bad_msg(l, w->line, column,
				     _("Write a whole number, without a comma or point"));
			return;
		}
		x = e.code == ERR_RANGE ? 0 : n;
	} else if (valid_decimal(s, "number", &x, &e) < 0) {
		load_bad(l, w->line, column, &e);
		return;
	} else if (strcspn(s, ",.") < strlen(s) && strlen(s + strcspn(s, ",.") + 1) > 1) {
		/* stored in tenths: 11,95 rounded to 12,0 would move a cut-off */
		load_bad_msg(l, w->line, column, _("Write at most one decimal, e.g. 11,9"));
		return;
	}
	if (!ilp_fits(l, w, ilp_numbers[i].f, column, months))
		return;
	if (measure_check(ilp_numbers[i].m, x, -1, &e) < 0) {
		load_bad_msg(l, w->line, column, measure_range_text(ilp_numbers[i].m, msg, sizeof msg));
		return;
	}
	member_set_uint((char *)&w->v + ilp_numbers[i].off, ilp_numbers[i].width,
			(unsigned long)lround(x * ilp_numbers[i].per));
}

/* Index of S among CODES (N of them, NULL entries skipped), case aside; -1. */
static int code_of(const char *s, const char *const *codes, int n)
{
	for (int i = 0; i < n; i++)
		if (codes[i] && strcasecmp(s, codes[i]) == 0)
			return i;
	return -1;
}

/* The coded columns: family planning, pack-years, Td status, the
 * postpartum capsules; the HPHT date. */
static void ilp_codes(struct load *l, const struct csv_reader *r, struct vrow *w, int months)
{
	struct err e = { 0 };
	const char *s;
	int v;

	if (*(s = load_cell(l, r, V_KB))) {
		if ((v = code_of(s, load_kb_codes, KB__COUNT)) < 0)
			v = code_of(s, kb_words_id, KB__COUNT);
		if (v < 0 && strcasecmp(s, "spiral") == 0)
			v = KB_IUD;
		if (v < 0)
			load_bad_msg(l, w->line, "kb_method",
				     _("Write none, pill, injection, implant, iud, condom, mow, mop, mal or other"));
		else if (ilp_fits(l, w, VF_KB, "kb_method", months))
			w->v.kb_method = (uint8_t)v;
	}
	if (*(s = load_cell(l, r, V_PUMA_PACKYEARS))) {
		if ((v = code_of(s, load_packyears_codes, PY_OVER_30 + 1)) < 0)
			load_bad_msg(l, w->line, "puma_packyears", _("Write <20, 20-30 or >30"));
		else if (ilp_fits(l, w, VF_PUMA_PACKYEARS, "puma_packyears", months))
			w->v.puma_packyears = (uint8_t)v;
	}
	/* T1-T5 as the KIA book writes it (TT1 on older books), or 1-5 */
	if (*(s = load_cell(l, r, V_TD))) {
		const char *d = s;
		if (strncasecmp(d, "tt", 2) == 0)
			d += 2;
		else if (*d == 'T' || *d == 't')
			d++;
		if (!(d[0] >= '1' && d[0] <= '5' && !d[1]))
			load_bad_msg(l, w->line, "td_status", _("Write T1 to T5 (or 1 to 5)"));
		else if (ilp_fits(l, w, VF_TD, "td_status", months))
			w->v.td_status = (uint8_t)(d[0] - '0');
	}
	if (*(s = load_cell(l, r, V_VITA_PP))) {
		v = strcmp(s, "1") == 0 ? 1 : strcmp(s, "2") == 0 ? 2 : strcmp(s, "1+2") == 0 ? 3 : -1;
		if (v < 0)
			load_bad_msg(l, w->line, "vita_pp",
				     _("Write 1 (first capsule), 2 (second) or 1+2 (both)"));
		else if (ilp_fits(l, w, VF_VITA_PP, "vita_pp", months))
			w->v.vita_pp = (uint8_t)v;
	}
	/* the date alone here; after the visit or too long before it is visit_check's */
	if (*(s = load_cell(l, r, V_HPHT))) {
		int32_t day;
		if (date_parse(s, &day, &e) < 0)
			load_bad(l, w->line, "hpht", &e);
		else if (ilp_fits(l, w, VF_HPHT, "hpht", months))
			w->v.hpht = day;
	}
}

static void parse_ilp(struct load *l, const struct csv_reader *r, struct vrow *w, int months)
{
	const char *s;
	int v;

	for (size_t i = 0; i < sizeof ilp_questions / sizeof ilp_questions[0]; i++) {
		const char *column = load_visit_cols[ilp_questions[i].col];
		if ((v = load_yesno(load_cell(l, r, ilp_questions[i].col))) == -2)
			load_bad_code(l, w->line, column, ERR_FORMAT, "load-yesno");
		else if (v >= 0 && ilp_fits(l, w, ilp_questions[i].f, column, months))
			visit_set_answer(&w->v, ilp_questions[i].f, v);
	}
	for (size_t i = 0; i < sizeof ilp_numbers / sizeof ilp_numbers[0]; i++)
		if (*(s = load_cell(l, r, ilp_numbers[i].col)))
			ilp_number(l, w, i, s, months);
	for (size_t i = 0; i < sizeof ilp_counts / sizeof ilp_counts[0]; i++) {
		const char *column = load_visit_cols[ilp_counts[i].col];
		if (!*(s = load_cell(l, r, ilp_counts[i].col)) ||
		    whole(l, w->line, column, ilp_counts[i].count, s, &v) < 0 ||
		    !ilp_fits(l, w, ilp_counts[i].f, column, months))
			continue;
		member_set_uint((char *)&w->v + ilp_counts[i].off, ilp_counts[i].width,
				(unsigned long)(v + ilp_counts[i].add));
	}
	ilp_codes(l, r, w, months);
	/* the checklist: codes joined by '+', or "none" (asked, no sign) */
	if (*(s = load_cell(l, r, V_DANGER))) {
		struct err e = { 0 };
		uint16_t bits;
		if (danger_parse(s, &bits, &e) < 0)
			load_bad_msg(l, w->line, "danger_signs",
				     _("Write none, or the signs joined by +: bleeding, vomiting, fever, "
				       "swelling, movement, waters, breathing"));
		else if (ilp_fits(l, w, VF_DANGER, "danger_signs", months))
			w->danger = bits;
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
	w->danger = -1;
	for (int k = 0; k < V__N; k++)
		if (*load_cell(l, r, k))
			w->set |= 1ull << k;

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

	parse_ilp(l, r, w, months);

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
	} else if (w->set & (1ull << V_MEASURE)) {
		out->measure = g->measure;
	}
	if (g->headc_mm)
		out->headc_mm = g->headc_mm;
	if (g->muac_mm)
		out->muac_mm = g->muac_mm;
	if (w->oedema >= 0)
		visit_set_answer(out, VF_OEDEMA, w->oedema);
	if (w->danger >= 0) {
		visit_set_answer(out, VF_DANGER, w->danger != 0);
		out->danger_signs = (uint16_t)w->danger;
	}
	if (g->asi_recall >= 0)
		out->asi_recall = g->asi_recall;
	if (g->vitamin_a)
		out->vitamin_a = g->vitamin_a;
	out->imm |= g->imm;
	for (size_t i = 0; i < N_ILP; i++) {
		unsigned long x = member_uint((const char *)g + ilp_members[i].off, ilp_members[i].width);
		if (x)          /* given: an empty cell never erases what is stored */
			member_set_uint((char *)out + ilp_members[i].off, ilp_members[i].width, x);
	}
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
