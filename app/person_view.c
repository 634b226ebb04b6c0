/* app/person_view.c: the person and visit fields as tables, a person with
 * every visit, the visits of a month (app/person_view.h). */
#include "app/person_view.h"

#include <jansson.h>
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/ilp.h"
#include "app/i18n.h"
#include "app/load.h"
#include "app/report_view.h"
#include "core/banned.h"

/* ---- the fields ---- */

static void fmt_kind(const void *rec, int32_t today, char *buf, size_t size)
{
	(void)today;
	snprintf(buf, size, "%s", person_kind_code(((const struct person *)rec)->kind));
}

static void fmt_age_months(const void *rec, int32_t today, char *buf, size_t size)
{
	const struct person *p = rec;
	snprintf(buf, size, "%d", p->dob == DATE_NONE ? -1 : date_age_months(p->dob, today));
}

static void fmt_vita(const void *rec, int32_t today, char *buf, size_t size)
{
	enum vitamin_a a = ((const struct visit *)rec)->vitamin_a;
	(void)today;
	snprintf(buf, size, "%s", a == VITA_BLUE ? "blue" : a == VITA_RED ? "red" : "");
}

static void fmt_imm(const void *rec, int32_t today, char *buf, size_t size)
{
	(void)today;
	report_imm_list(((const struct visit *)rec)->imm, buf, size, " ");
}

/* A yes/no question of the visit that may be left unanswered (the
 * VISIT_Q_* bits): "" when not asked, else "y" or "n". */
static void fmt_question(const struct visit *v, unsigned bit, bool yes, char *buf, size_t size)
{
	snprintf(buf, size, "%s", v->not_asked & bit ? "" : yes ? "y" : "n");
}

static void fmt_oedema(const void *rec, int32_t today, char *buf, size_t size)
{
	const struct visit *v = rec;
	(void)today;
	fmt_question(v, VISIT_Q_OEDEMA, v->oedema, buf, size);
}

static void fmt_counsel(const void *rec, int32_t today, char *buf, size_t size)
{
	const struct visit *v = rec;
	(void)today;
	fmt_question(v, VISIT_Q_COUNSEL, v->counsel_asi, buf, size);
}

/* ---- Posyandu ILP (issue 14) ---- */

static void fmt_group(const void *rec, int32_t today, char *buf, size_t size)
{
	snprintf(buf, size, "%s", ilp_group_code(ilp_group_of(rec, today)));
}

static void fmt_packyears(const void *rec, int32_t today, char *buf, size_t size)
{
	uint8_t py = ((const struct visit *)rec)->puma_packyears;
	(void)today;
	snprintf(buf, size, "%s", py >= PY_UNDER_20 && py <= PY_OVER_30 ? load_packyears_codes[py] : "");
}

static void fmt_kb(const void *rec, int32_t today, char *buf, size_t size)
{
	uint8_t kb = ((const struct visit *)rec)->kb_method;
	(void)today;
	snprintf(buf, size, "%s", kb > KB_NOT_ASKED && kb < KB__COUNT ? load_kb_codes[kb] : "");
}

/* A count stored + 1 so that 0 stays "not recorded" (ADL, para). */
static void fmt_plus1(uint8_t v, char *buf, size_t size)
{
	if (v)
		snprintf(buf, size, "%d", v - 1);
}

static void fmt_adl(const void *rec, int32_t today, char *buf, size_t size)
{
	(void)today;
	fmt_plus1(((const struct visit *)rec)->adl, buf, size);
}

static void fmt_para(const void *rec, int32_t today, char *buf, size_t size)
{
	(void)today;
	fmt_plus1(((const struct visit *)rec)->para, buf, size);
}

/* The HPHT and the due date (HPL) it gives, 280 days on (Naegele); 0 is
 * "not recorded" here, not a date. */
static void fmt_hpht(const void *rec, int32_t today, char *buf, size_t size)
{
	int32_t d = ((const struct visit *)rec)->hpht;
	(void)today;
	if (d && size >= DATE_BUFSZ)
		date_format(d, buf);
}

static void fmt_hpl(const void *rec, int32_t today, char *buf, size_t size)
{
	int32_t d = ((const struct visit *)rec)->hpht;
	(void)today;
	if (d && size >= DATE_BUFSZ)
		date_format(d + 280, buf);
}

static void fmt_td(const void *rec, int32_t today, char *buf, size_t size)
{
	uint8_t td = ((const struct visit *)rec)->td_status;
	(void)today;
	if (td)
		snprintf(buf, size, "T%d", td);
}

/* The danger-sign checklist as `load visits` takes it: "bleeding+fever",
 * "none" when asked and none, "" when not asked. */
static void fmt_danger(const void *rec, int32_t today, char *buf, size_t size)
{
	const struct visit *v = rec;
	size_t n = 0;
	(void)today;
	buf[0] = '\0';
	if (!v->danger_signs) {
		if (!(v->not_asked & VISIT_Q_DANGER))
			snprintf(buf, size, "none");
		return;
	}
	if (v->danger_signs & DANGER_UNNAMED)
		n += (size_t)snprintf(buf, size, "other");
	for (int k = 0; k < DANGER_NAMED && n < size; k++)
		if (v->danger_signs & (1u << (k + 1)))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "+" : "", danger_code(k));
}

static void fmt_vita_pp(const void *rec, int32_t today, char *buf, size_t size)
{
	uint8_t c = ((const struct visit *)rec)->vita_pp;
	(void)today;
	snprintf(buf, size, "%s", c == 1 ? "1" : c == 2 ? "2" : c == 3 ? "1+2" : "");
}

#define FIELD(S, key, label, type, how, m, scale, fn) \
	{ key, label, type, how, offsetof(S, m), sizeof(((S *)0)->m), scale, fn }
#define P_(key, label, type, how, m) FIELD(struct person, key, label, type, how, m, 0, NULL)
#define FN(key, label, type, fn) { key, label, type, PV_FN, 0, 0, 0, fn }
#define V_(key, label, type, how, m) FIELD(struct visit, key, label, type, how, m, 0, NULL)
#define V_DEC(key, label, m, scale) FIELD(struct visit, key, label, PV_NUM, PV_DEC, m, scale, NULL)
/* A question: "y" for the value YES, "" for NOT_ASKED, else "n". */
#define V_ASKED(key, label, m, yes, not_asked) \
	FIELD(struct visit, key, label, PV_BOOL, PV_ASKED, m, (yes) << 8 | (not_asked), NULL)
/* An ILP question (ASK_*). */
#define V_ASK(key, label, m) V_ASKED(key, label, m, ASK_YES, ASK_NOT)

const struct pv_field pv_person_fields[] = {
	P_("uuid", N_("Record"), PV_STR, PV_UUID, uuid),
	FN("kind", N_("Kind"), PV_STR, fmt_kind),
	P_("name", N_("Name"), PV_STR, PV_CHARS, name),
	P_("sex", N_("Sex (L/P)"), PV_STR, PV_LETTER, sex),
	P_("dob", N_("Date of birth"), PV_STR, PV_DATE, dob),
	FN("age_months", N_("Age (months)"), PV_INT, fmt_age_months),
	P_("nik", N_("NIK"), PV_STR, PV_CHARS, nik),
	P_("kk", N_("Family card (KK)"), PV_STR, PV_CHARS, kk),
	P_("mother", N_("Mother's record"), PV_STR, PV_UUID, mother),
	P_("mother_name", N_("Mother's name"), PV_STR, PV_CHARS, mother_name),
	P_("father_name", N_("Father's name"), PV_STR, PV_CHARS, father_name),
	P_("address", N_("Address"), PV_STR, PV_CHARS, address),
	P_("rt", N_("RT"), PV_INT, PV_UINT, rt),
	P_("rw", N_("RW"), PV_INT, PV_UINT, rw),
	P_("phone", N_("Phone"), PV_STR, PV_CHARS, phone),
	P_("birth_weight_g", N_("Birth weight (g)"), PV_INT, PV_OPT, birth_weight_g),
	P_("birth_length_mm", N_("Birth length (mm)"), PV_INT, PV_OPT, birth_length_mm),
	FIELD(struct person, "mother_works", N_("Mother works"), PV_BOOL, PV_ASKED, works,
	      ASK_YES << 8 | ASK_NOT, NULL),
	FIELD(struct person, "has_kia", N_("Has a KMS or KIA book"), PV_BOOL, PV_ASKED, kia,
	      ASK_YES << 8 | ASK_NOT, NULL),
	P_("registered", N_("Registered"), PV_STR, PV_DATE, registered),
	FN("group", N_("Life-cycle group today"), PV_STR, fmt_group),
};
const size_t pv_person_nfields = sizeof pv_person_fields / sizeof pv_person_fields[0];

/* The keys of `load visits` where a field has one. */
const struct pv_field pv_visit_fields[] = {
	V_("uuid", N_("Record"), PV_STR, PV_UUID, uuid),
	V_("date", N_("Date"), PV_STR, PV_DATE, date),
	V_DEC("weight_kg", N_("Weight (kg)"), weight_g, 1000),
	V_DEC("lenhei_cm", N_("Length/height (cm)"), lenhei_mm, 10),
	V_("measure", N_("Measured lying (l) or standing (h)"), PV_STR, PV_LETTER, measure),
	FN("oedema", N_("Oedema"), PV_BOOL, fmt_oedema),
	V_DEC("headc_cm", N_("Head circumference (cm)"), headc_mm, 10),
	V_DEC("muac_cm", N_("Arm circumference (cm)"), muac_mm, 10),
	V_ASKED("asi_recall", N_("Only breast milk yesterday"), asi_recall, 1, 0xff),
	FN("counsel_asi", N_("Breastfeeding counselling"), PV_BOOL, fmt_counsel),
	V_ASKED("bf_continue", N_("Still breastfed"), bf_continue, BF_ASKED_YES, BF_NOT_ASKED),
	FN("vitamin_a", N_("Vitamin A"), PV_STR, fmt_vita),
	FN("immunizations", N_("Immunisations given"), PV_STR, fmt_imm),
	V_("home_visit", N_("Home visit"), PV_BOOL, PV_YESNO, home_visit),
	V_("gest_weeks", N_("Weeks of pregnancy"), PV_INT, PV_OPT, gest_weeks),
	V_("bp_sys", N_("Blood pressure, systolic"), PV_INT, PV_OPT, bp_sys),
	V_("bp_dia", N_("Blood pressure, diastolic"), PV_INT, PV_OPT, bp_dia),
	V_("iron_tablets", N_("Iron tablets given"), PV_INT, PV_OPT, iron_tablets),
	V_("anc_no", N_("Pregnancy check (K)"), PV_INT, PV_OPT, anc_no),
	FN("danger_signs", N_("Danger signs"), PV_STR, fmt_danger),
	V_("note", N_("Note"), PV_STR, PV_CHARS, note),
	/* Posyandu ILP (issue 14); a question not asked is empty (JSON null) */
	V_("glucose_mgdl", N_("Blood glucose (mg/dL)"), PV_INT, PV_OPT, glucose_mgdl),
	V_ASK("glucose_fasting", N_("Glucose measured fasting"), glucose_fasting),
	V_DEC("waist_cm", N_("Waist circumference (cm)"), waist_mm, 10),
	V_DEC("hb_gdl", N_("Haemoglobin, Hb (g/dL)"), hb_dgl, 10),
	V_ASK("tb_symptoms", N_("TB symptoms"), tb_symptoms),
	V_ASK("smoking", N_("Smokes"), smoking),
	V_ASK("iron_weekly", N_("Weekly iron tablet (girls)"), iron_weekly),
	V_ASK("mental_problem", N_("Mental-health problem found"), mental_problem),
	V_ASK("risk_alcohol", N_("Drinks alcohol"), risk_alcohol),
	V_ASK("risk_drugs", N_("Uses drugs"), risk_drugs),
	V_ASK("risk_sex", N_("Risky sexual behaviour"), risk_sex),
	V_("cholesterol_mgdl", N_("Cholesterol (mg/dL)"), PV_INT, PV_OPT, cholesterol_mgdl),
	V_DEC("uric_mgdl", N_("Uric acid (mg/dL)"), uric_dmgdl, 10),
	V_ASK("vision_problem", N_("Vision problem"), vision_problem),
	V_ASK("hearing_problem", N_("Hearing problem"), hearing_problem),
	V_ASK("diet_sugar", N_("Too much sugar"), diet_sugar),
	V_ASK("diet_salt", N_("Too much salt"), diet_salt),
	V_ASK("diet_fat", N_("Too much fat"), diet_fat),
	V_ASK("puma_breath", N_("PUMA: short of breath"), puma_breath),
	V_ASK("puma_phlegm", N_("PUMA: phlegm"), puma_phlegm),
	V_ASK("puma_cough", N_("PUMA: cough"), puma_cough),
	V_ASK("puma_spirometry", N_("PUMA: had spirometry"), puma_spirometry),
	FN("puma_packyears", N_("PUMA: pack-years smoked"), PV_STR, fmt_packyears),
	FN("adl", N_("Daily activities, ADL (0-20)"), PV_INT, fmt_adl),
	V_ASK("fall_risk", N_("At risk of falling"), fall_risk),
	FN("kb_method", N_("Family planning method"), PV_STR, fmt_kb),
	FN("hpht", N_("First day of last period (HPHT)"), PV_STR, fmt_hpht),
	FN("hpl", N_("Estimated due date (HPL)"), PV_STR, fmt_hpl),
	V_("gravida", N_("Pregnancy number (gravida)"), PV_INT, PV_OPT, gravida),
	FN("para", N_("Births before (para)"), PV_INT, fmt_para),
	FN("td_status", N_("Td immunisation status"), PV_STR, fmt_td),
	V_ASK("kek_food", N_("Supplementary food for KEK"), kek_food),
	V_ASK("preg_class", N_("Pregnancy class attended"), preg_class),
	V_ASK("postpartum", N_("Postpartum (nifas)"), postpartum),
	FN("vita_pp", N_("Postpartum vitamin A capsules"), PV_STR, fmt_vita_pp),
	V_ASK("deworm", N_("Deworming tablet"), deworm),
	V_ASK("diarrhoea", N_("Diarrhoea"), diarrhoea),
	V_ASK("ors_zinc", N_("ORS and zinc given"), ors_zinc),
	V_ASK("pmt", N_("Supplementary food (PMT)"), pmt),
	V_ASK("development", N_("Development as expected (KPSP)"), development),
};
const size_t pv_visit_nfields = sizeof pv_visit_fields / sizeof pv_visit_fields[0];

const struct pv_field *pv_field_find(const struct pv_field *table, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}

/* V units of 1/SCALE as a decimal with a point, no trailing zeros. */
static void fmt_decimal(unsigned long v, unsigned scale, char *buf, size_t size)
{
	int digits = scale >= 1000 ? 3 : scale >= 100 ? 2 : 1;
	size_t n = (size_t)snprintf(buf, size, "%lu.%0*lu", v / scale, digits, v % scale);
	while (n > 1 && n < size && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 1 && n < size && buf[n - 1] == '.')
		buf[n - 1] = '\0';
}

const char *pv_text(const struct pv_field *f, const void *rec, int32_t today, char *buf,
		    size_t size)
{
	const unsigned char *at = (const unsigned char *)rec + f->off;
	unsigned long v = f->how >= PV_UINT ? member_uint(at, f->width) : 0;
	int32_t day;

	buf[0] = '\0';
	switch (f->how) {
	case PV_FN:
		f->fn(rec, today, buf, size);
		break;
	case PV_CHARS:
		snprintf(buf, size, "%.*s", (int)f->width, (const char *)at);
		break;
	case PV_UUID:
		if (size >= UUID_STRLEN && !uuid_is_zero(at))
			uuid_format(at, buf);
		break;
	case PV_DATE:
		memcpy(&day, at, sizeof day);
		if (size >= DATE_BUFSZ)
			date_format(day, buf);
		break;
	case PV_UINT:
	case PV_OPT:
		if (v || f->how == PV_UINT)
			snprintf(buf, size, "%lu", v);
		break;
	case PV_DEC:
		if (v)
			fmt_decimal(v, f->scale, buf, size);
		break;
	case PV_YESNO:
		snprintf(buf, size, "%s", v ? "y" : "n");
		break;
	case PV_LETTER:
		if (v)
			snprintf(buf, size, "%c", (char)v);
		break;
	case PV_ASKED:
		if (v != (f->scale & 0xff))
			snprintf(buf, size, "%s", v == f->scale >> 8 ? "y" : "n");
		break;
	}
	return buf;
}

static json_t *json_value(enum pv_type type, const char *text)
{
	json_t *j;

	if (type == PV_STR)
		return (j = json_string(text)) ? j : json_stringn_nocheck(text, strlen(text));
	if (!*text)
		return json_null();
	if (type == PV_INT)
		return json_integer(strtoll(text, NULL, 10));
	if (type == PV_NUM)
		return json_real(strtod(text, NULL));      /* LC_NUMERIC is "C" (cli/main.c) */
	return json_boolean(strcmp(text, "y") == 0);
}

json_t *pv_json(json_t *o, const struct pv_field *table, size_t n, const char *const *keys,
		size_t nkeys, const void *rec, int32_t today)
{
	char buf[256];

	if (!o)
		o = json_object();

	for (size_t i = 0; o && i < (keys ? nkeys : n); i++) {
		const struct pv_field *f = keys ? pv_field_find(table, n, keys[i]) : &table[i];
		if (f && json_object_set_new(o, f->key, json_value(f->type, pv_text(f, rec, today, buf,
											 sizeof buf))) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* ---- people and visits ---- */

static int by_name(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int r = strcoll(x->name, y->name);
	return r ? r : memcmp(x->uuid, y->uuid, UUID_LEN);
}

int pv_people(struct store *s, struct person **out, size_t *n, struct err *err)
{
	if (store_people(s, out, n, err) < 0)
		return -1;
	if (*n > 1)
		qsort(*out, *n, sizeof **out, by_name);
	return 0;
}

void pv_people_free(struct person *people, size_t n)
{
	(void)n;
	store_free(people);             /* an arena block: wiped */
}

static void visits_free(struct visit *visits, size_t n)
{
	(void)n;
	store_free(visits);
}

static int newest_first(const void *a, const void *b)
{
	const struct visit *x = a, *y = b;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return memcmp(x->uuid, y->uuid, UUID_LEN);
}

/* The stored person whose uuid is WHO, else whose register ref is WHO. */
static const struct person *person_of(struct store *s, const char *who,
				      const struct person *people, size_t n, struct err *err)
{
	const struct person *p = NULL;
	uint8_t uuid[UUID_LEN];

	if (uuid_parse(who, uuid) == 0)
		p = person_find(people, n, uuid);
	if (!p && *who && load_person_uuid(s, who, people, n, uuid, err) == 0)
		p = person_find(people, n, uuid);
	if (!p && err->code == ERR_NONE)
		err_set(err, ERR_NOTFOUND, "person", "no person with that ref or uuid");
	return p;
}

int person_view_load(struct store *s, const char *who, struct person_view *pv, struct err *err)
{
	struct person *people = NULL;
	const struct person *p;
	size_t np = 0, nv = 0;
	int rc = -1;

	memset(pv, 0, sizeof *pv);
	if (pv_people(s, &people, &np, err) < 0)
		return -1;
	if (!(p = person_of(s, who, people, np, err)))
		goto out;
	pv->p = *p;
	if (store_visits(s, &pv->visits, &nv, err) < 0)
		goto out;
	for (size_t i = 0; i < nv; i++)
		if (memcmp(pv->visits[i].person, p->uuid, UUID_LEN) == 0)
			pv->visits[pv->nv++] = pv->visits[i];
	sodium_memzero(pv->visits + pv->nv, (nv - pv->nv) * sizeof *pv->visits);
	if (pv->nv > 1)
		qsort(pv->visits, pv->nv, sizeof *pv->visits, newest_first);
	rc = 0;
out:
	pv_people_free(people, np);
	if (rc < 0)
		person_view_release(pv);
	return rc;
}

void person_view_release(struct person_view *pv)
{
	visits_free(pv->visits, pv->nv);
	sodium_memzero(pv, sizeof *pv);
}

static int by_day_name(const void *a, const void *b)
{
	const struct month_visit *x = a, *y = b;
	int r;

	if (x->v->date != y->v->date)
		return x->v->date < y->v->date ? -1 : 1;
	if (x->p && y->p && (r = strcoll(x->p->name, y->p->name)) != 0)
		return r;
	if (!x->p != !y->p)
		return x->p ? -1 : 1;
	return memcmp(x->v->uuid, y->v->uuid, UUID_LEN);
}

int month_visits_load(struct store *s, int month, struct month_visits *mv, struct err *err)
{
	memset(mv, 0, sizeof *mv);
	if (store_people(s, &mv->people, &mv->np, err) < 0 ||
	    store_visits(s, &mv->visits, &mv->nv, err) < 0)
		goto fail;
	if (mv->nv && !(mv->rows = calloc(mv->nv, sizeof *mv->rows))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < mv->nv; i++) {
		const struct visit *v = &mv->visits[i];
		if (date_month_index(v->date) != month)
			continue;
		mv->rows[mv->n].v = v;
		mv->rows[mv->n++].p = person_find(mv->people, mv->np, v->person);
	}
	if (mv->n > 1)
		qsort(mv->rows, mv->n, sizeof *mv->rows, by_day_name);
	return 0;
fail:
	month_visits_release(mv);
	return -1;
}

void month_visits_release(struct month_visits *mv)
{
	pv_people_free(mv->people, mv->np);
	visits_free(mv->visits, mv->nv);
	free(mv->rows);
	memset(mv, 0, sizeof *mv);
}
