/* core/ilp_steps.c: the day's steps, their configuration and each person's
 * progress through them (the rules are written down in core/ilp_steps.h). */
#include "core/ilp_steps.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/desk.h"
#include "core/kbm.h"
#include "core/visit_fields.h"

#include "core/banned.h"

#define N_(s) (s)

static const struct {
	const char *code;
	const char *name;          /* msgid: the name the kesmas-id list gives */
} steps[STEP__COUNT] = {
	[STEP_REGISTER] = { "register", N_("Registration") },
	[STEP_MEASURE] = { "measure", N_("Weighing and measuring") },
	[STEP_RECORD] = { "record", N_("Recording and examination") },
	[STEP_SERVE] = { "serve", N_("Services and counselling") },
	[STEP_SYNC] = { "sync", N_("Data check and sync") },
};

static const struct {
	enum ilp_step step;
	const char *code;          /* machine output */
	const char *name;          /* msgid: short, the abbreviations of the KIA book */
} lacks[LACK__COUNT] = {
	[LACK_SEX] = { STEP_REGISTER, "sex", N_("sex") },
	[LACK_DOB] = { STEP_REGISTER, "dob", N_("date of birth") },
	[LACK_WEIGHT] = { STEP_MEASURE, "weight", N_("Wt") },
	[LACK_LENHEI] = { STEP_MEASURE, "lenhei", N_("Len/Ht") },
	[LACK_MUAC] = { STEP_MEASURE, "muac", N_("MUAC") },
	[LACK_BP] = { STEP_MEASURE, "bp", N_("BP") },
	[LACK_WAIST] = { STEP_MEASURE, "waist", N_("WC") },     /* waist circumference */
	[LACK_VISIT] = { STEP_RECORD, "visit", N_("no visit saved") },
	[LACK_OEDEMA] = { STEP_RECORD, "oedema", N_("oedema") },
	[LACK_ASI] = { STEP_RECORD, "asi", N_("breastfeeding recall") },
	[LACK_DANGER] = { STEP_RECORD, "danger_signs", N_("danger signs") },
	[LACK_TB] = { STEP_RECORD, "tb", N_("TB screening") },
	[LACK_IMM] = { STEP_SERVE, "imm", N_("immunisation") },
	[LACK_VITA] = { STEP_SERVE, "vitamin_a", N_("vitamin A") },
	[LACK_COUNSEL] = { STEP_SERVE, "counselling", N_("counselling") },
	[LACK_IRON] = { STEP_SERVE, "iron", N_("iron tablets") },
	[LACK_KEK_FOOD] = { STEP_SERVE, "kek_food", N_("KEK food") },
	[LACK_DEWORM] = { STEP_SERVE, "deworm", N_("deworming") },
	[LACK_ORS_ZINC] = { STEP_SERVE, "ors_zinc", N_("ORS and zinc") },
	[LACK_IRON_WEEKLY] = { STEP_SERVE, "iron_weekly", N_("weekly iron tablet") },
	[LACK_VITA_PP] = { STEP_SERVE, "vita_pp", N_("postpartum vitamin A") },
	[LACK_UNSENT] = { STEP_SYNC, "unsent", N_("not sent") },
};

/* ---- the configured list ---- */

void ilp_steps_default(struct ilp_steps *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < STEP__COUNT; i++)
		out->s[out->n++].step = (enum ilp_step)i;
}

const char *ilp_step_code(enum ilp_step s)
{
	return s >= 0 && s < STEP__COUNT ? steps[s].code : "";
}

const char *ilp_step_name(enum ilp_step s)
{
	return s >= 0 && s < STEP__COUNT ? steps[s].name : "";
}

static bool same_nocase(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

int ilp_step_from_code(const char *code, size_t len)
{
	for (int i = 0; i < STEP__COUNT; i++)
		if (strlen(steps[i].code) == len && same_nocase(steps[i].code, code, len))
			return i;
	return -1;
}

const char *ilp_steps_label(const struct ilp_steps *st, int i)
{
	return i >= 0 && i < st->n && st->s[i].label[0] ? st->s[i].label : NULL;
}

/* [B, E) without the spaces around it. */
static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* A refusal: WHY (a msgid with at most one %s) about the LEN bytes at ARG, into
 * WHY_TO for the front end and, in English, into ERR. */
static int refuse(struct ilp_steps *why_to, struct err *err, const char *why, const char *arg,
		  size_t len)
{
	why_to->why = why;
	snprintf(why_to->why_arg, sizeof why_to->why_arg, "%.*s",
		 (int)(len < sizeof why_to->why_arg - 1 ? len : sizeof why_to->why_arg - 1), arg);
	return err_set(err, ERR_CONFIG, "ilp-steps", why, why_to->why_arg);
}

/* One element "code[:label]" in [B, E) appended to OUT; WHY_TO says why
 * not. */
static int parse_one(const char *b, const char *e, struct ilp_steps *out,
		     struct ilp_steps *why_to, struct err *err)
{
	const char *colon = memchr(b, ':', (size_t)(e - b));
	const char *cb = b, *ce = colon ? colon : e, *lb = colon ? colon + 1 : e, *le = e;
	int step;

	trim(&cb, &ce);
	trim(&lb, &le);
	if (cb == ce)
		return refuse(why_to, err, N_("an empty step"), "", 0);
	if ((step = ilp_step_from_code(cb, (size_t)(ce - cb))) < 0)
		return refuse(why_to, err, N_("unknown step \"%s\""), cb,
			      (size_t)(ce - cb > 40 ? 40 : ce - cb));
	for (int i = 0; i < out->n; i++)
		if (out->s[i].step == (enum ilp_step)step)
			return refuse(why_to, err, N_("step \"%s\" twice"), steps[step].code,
				      strlen(steps[step].code));
	if ((size_t)(le - lb) >= ILP_STEP_LABEL_MAX)
		return refuse(why_to, err, N_("the label of \"%s\" is too long"),
			      steps[step].code, strlen(steps[step].code));
	for (const char *p = lb; p < le; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return refuse(why_to, err, N_("a control character in a label"), "", 0);
	out->s[out->n].step = (enum ilp_step)step;
	memcpy(out->s[out->n].label, lb, (size_t)(le - lb));
	out->s[out->n].label[le - lb] = '\0';
	out->n++;
	return 0;
}

int ilp_steps_parse(const char *text, struct ilp_steps *out, struct err *err)
{
	const char *b = text, *e = text + strlen(text);
	struct ilp_steps st;

	ilp_steps_default(out);
	trim(&b, &e);
	if (b == e)
		return 0;
	memset(&st, 0, sizeof st);
	for (const char *p = b;; ) {
		const char *comma = memchr(p, ',', (size_t)(e - p));
		const char *end = comma ? comma : e;
		if (parse_one(p, end, &st, out, err) < 0)
			return -1;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = st;
	return 0;
}

/* ---- the lacks ---- */

enum ilp_step ilp_lack_step(enum ilp_lack l)
{
	return l >= 0 && l < LACK__COUNT ? lacks[l].step : STEP__COUNT;
}

const char *ilp_lack_code(enum ilp_lack l)
{
	return l >= 0 && l < LACK__COUNT ? lacks[l].code : "";
}

const char *ilp_lack_name(enum ilp_lack l)
{
	return l >= 0 && l < LACK__COUNT ? lacks[l].name : "";
}

uint32_t ilp_step_mask(enum ilp_step s)
{
	uint32_t m = 0;
	for (int l = 0; l < LACK__COUNT; l++)
		if (lacks[l].step == s)
			m |= LACK_BIT(l);
	return m;
}

uint32_t ilp_steps_mask(const struct ilp_steps *st)
{
	uint32_t m = 0;
	for (int i = 0; i < st->n; i++)
		m |= ilp_step_mask(st->s[i].step);
	return m;
}

/* A person's kind, age and group on the day, as the rules read them. */
struct who {
	const struct person *p;
	enum person_kind kind;
	int months;                /* < 0: date of birth unknown */
	enum ilp_group group;
};

static bool applies(const struct who *w, enum visit_field f)
{
	return visit_field_applies(f, w->kind, w->months);
}

/* An answered question: yes or no, not "not asked". */
static bool answered(const struct visit *v, enum visit_field f)
{
	return visit_answer(v, f) >= 0;
}

static uint32_t lacks_register(const struct who *w)
{
	uint32_t m = 0;
	/* a child's and a resident's group and judgement follow from age and sex */
	if (w->kind == PERSON_CHILD || w->kind == PERSON_RESIDENT) {
		if (w->p->sex != 'L' && w->p->sex != 'P')
			m |= LACK_BIT(LACK_SEX);
		if (w->p->dob == DATE_NONE)
			m |= LACK_BIT(LACK_DOB);
	}
	return m;
}

static uint32_t lacks_measure(const struct who *w, const struct visit *v)
{
	uint32_t m = 0;
	if (!v->weight_g && applies(w, VF_WEIGHT))
		m |= LACK_BIT(LACK_WEIGHT);
	if (!v->lenhei_mm && applies(w, VF_LENHEI))
		m |= LACK_BIT(LACK_LENHEI);
	if (!v->muac_mm && w->kind == PERSON_PREGNANT)
		m |= LACK_BIT(LACK_MUAC);
	if (!v->bp_sys && applies(w, VF_BP))
		m |= LACK_BIT(LACK_BP);
	if (!v->waist_mm && (w->group == ILP_ADULT || w->group == ILP_ELDERLY) &&
	    applies(w, VF_WAIST))
		m |= LACK_BIT(LACK_WAIST);
	return m;
}

static uint32_t lacks_record(const struct who *w, const struct visit *v, bool saved)
{
	uint32_t m = saved ? 0 : LACK_BIT(LACK_VISIT);
	if (w->kind == PERSON_CHILD && w->group == ILP_NONE && !answered(v, VF_OEDEMA))
		m |= LACK_BIT(LACK_OEDEMA);
	if (applies(w, VF_ASI) && !answered(v, VF_ASI))
		m |= LACK_BIT(LACK_ASI);
	if (applies(w, VF_DANGER) && !answered(v, VF_DANGER))
		m |= LACK_BIT(LACK_DANGER);
	if (w->group != ILP_NONE && !answered(v, VF_TB))
		m |= LACK_BIT(LACK_TB);
	return m;
}

static uint32_t lacks_serve(const struct who *w, const struct visit *v, const struct visit *hist,
			    size_t n)
{
	struct desk_result r;
	uint32_t m = 0;
	int y, mo, d;

	desk_assess(w->p, v, hist, n, &r);
	date_to_ymd(v->date, &y, &mo, &d);
	if (r.imm_due)
		m |= LACK_BIT(LACK_IMM);
	if (r.vita_due != VITA_NONE && v->vitamin_a == VITA_NONE)
		m |= LACK_BIT(LACK_VITA);
	if (applies(w, VF_COUNSEL) && !answered(v, VF_COUNSEL))
		m |= LACK_BIT(LACK_COUNSEL);
	if (w->kind == PERSON_PREGNANT && !v->iron_tablets)
		m |= LACK_BIT(LACK_IRON);
	if (w->kind == PERSON_PREGNANT && v->muac_mm && kbm_lila_kek(v->muac_mm / 10.0) &&
	    !answered(v, VF_KEK_FOOD))
		m |= LACK_BIT(LACK_KEK_FOOD);
	/* deworming rounds: February and August (domain.md §5.3) */
	if ((mo == 2 || mo == 8) && applies(w, VF_DEWORM) && !answered(v, VF_DEWORM))
		m |= LACK_BIT(LACK_DEWORM);
	if (visit_answer(v, VF_DIARRHOEA) == 1 && !answered(v, VF_ORS_ZINC))
		m |= LACK_BIT(LACK_ORS_ZINC);
	if (w->p->sex == 'P' && applies(w, VF_IRON_WEEKLY) && !answered(v, VF_IRON_WEEKLY))
		m |= LACK_BIT(LACK_IRON_WEEKLY);
	/* two red capsules after birth (domain.md §2.4): bits 0 and 1 */
	if (visit_answer(v, VF_POSTPARTUM) == 1 && (v->vita_pp & 3) != 3)
		m |= LACK_BIT(LACK_VITA_PP);
	return m;
}

uint32_t ilp_lacks(const struct person *p, const struct visit *v, const struct visit *hist,
		   size_t n, int32_t day, bool unsent)
{
	struct visit none;
	struct who w = { p, p->kind, -1, ILP_NONE };

	if (p->dob != DATE_NONE && day >= p->dob)
		w.months = date_age_months(p->dob, day);
	w.group = ilp_group_for(p->kind, w.months);
	if (!v) {
		/* registered today, nothing recorded yet: judged as an empty visit */
		memset(&none, 0, sizeof none);
		memcpy(none.person, p->uuid, UUID_LEN);
		none.date = day;
		none.asi_recall = -1;
		none.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;
	}
	return lacks_register(&w) | lacks_measure(&w, v ? v : &none) |
	       lacks_record(&w, v ? v : &none, v != NULL) |
	       lacks_serve(&w, v ? v : &none, hist, n) | (unsent ? LACK_BIT(LACK_UNSENT) : 0);
}

const char *ilp_day_group_code(const struct person *p, int32_t day)
{
	enum ilp_group g = ilp_group_of(p, day);

	if (g != ILP_NONE)
		return ilp_group_code(g);
	return p->kind == PERSON_PREGNANT ? "pregnant" : "child";
}

/* ---- the day's list ---- */

static bool is_unsent(const struct ilp_day_in *in, const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < in->nunsent; i++)
		if (memcmp(in->unsent[i], uuid, UUID_LEN) == 0)
			return true;
	return false;
}

/* The first of IN's steps ROW lacks (in->steps->n: none). */
static int held_at(const struct ilp_day_in *in, const struct ilp_day_row *row)
{
	int i = 0;
	while (i < in->steps->n && !(row->lack & ilp_step_mask(in->steps->s[i].step)))
		i++;
	return i;
}

/* Row A before row B: held up earlier first, then by name. */
static bool before(const struct ilp_day_in *in, const struct ilp_day_row *a,
		   const struct ilp_day_row *b)
{
	int ha = held_at(in, a), hb = held_at(in, b);
	if (ha != hb)
		return ha < hb;
	return strcmp(in->people[a->person].name, in->people[b->person].name) < 0;
}

size_t ilp_day_list(const struct ilp_day_in *in, struct ilp_day_row *rows,
		    struct visit *scratch, size_t *complete)
{
	uint32_t mask = ilp_steps_mask(in->steps);
	size_t n = 0;

	*complete = 0;
	for (size_t i = 0; i < in->np; i++) {
		const struct person *p = &in->people[i];
		long today = -1;
		size_t nh = 0;
		bool unsent;

		for (size_t k = 0; k < in->nv; k++) {
			if (memcmp(in->visits[k].person, p->uuid, UUID_LEN) != 0)
				continue;
			scratch[nh++] = in->visits[k];
			if (in->visits[k].date == in->day)
				today = (long)k;
		}
		if (today < 0 && p->registered != in->day)
			continue;              /* not present */
		unsent = is_unsent(in, p->uuid) ||
			 (today >= 0 && is_unsent(in, in->visits[today].uuid));
		rows[n].person = i;
		rows[n].visit = today;
		rows[n].lack = ilp_lacks(p, today >= 0 ? &in->visits[today] : NULL, scratch, nh,
					 in->day, unsent);
		if (!(rows[n].lack & mask))
			(*complete)++;
		/* insertion: a day holds tens to a few hundred people */
		for (size_t j = n; j > 0 && before(in, &rows[j], &rows[j - 1]); j--) {
			struct ilp_day_row t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
		n++;
	}
	return n;
}
