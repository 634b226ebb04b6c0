/* tui/ui_register.c: registering a child, a woman or a resident (Posyandu
 * ILP, issue 14), and editing who a person is. A child's mother is picked
 * among the registered women or registered from the name typed; a
 * resident's sex and date of birth are asked for by name, because the
 * services follow them. */
#include "tui/ui_desk.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/ilp.h"
#include "core/search.h"
#include "core/valid.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/clock.h"
#include "core/banned.h"

static int32_t today;

static const char *const yes_no[] = { N_("no"), N_("yes"), NULL };
static const char *yesno[3];
/* A question: "-" not asked (the start), no, yes. */
static const char *ask3[4];
/* A sex: "-" until chosen, so nobody's is taken for granted (a child's
 * z-scores follow it; a woman's or resident's form asks it too). */
static const char *sexes3[] = { "-", "L", "P", NULL };
/* The registration's kinds beside a child: in the order of enum person_kind. */
static const char *const statuses[] = { N_("pregnant"), N_("breastfeeding/WUS"),
					N_("resident (school age to elderly)"), NULL };
static const char *stat[4];

static void translate(void)
{
	for (int i = 0; i < 2; i++)
		yesno[i] = _(yes_no[i]);
	ask3[0] = "-";
	ask3[1] = yesno[0];
	ask3[2] = yesno[1];
	for (int i = 0; i < 3; i++)
		stat[i] = _(statuses[i]);
}

/* ---- validators (the rules are core's) ---- */

static int v_name(const char *s, struct err *e) { return valid_name(s, "name", e); }
static int v_name_opt(const char *s, struct err *e) { return *s ? valid_name(s, "name", e) : 0; }
static int v_nik(const char *s, struct err *e) { return valid_nik(s, 0, DATE_NONE, e); }
static int v_rt(const char *s, struct err *e) { int n; return valid_count("rt", s, &n, e); }

/* Empty passes here: ui_register asks for it by name when the form is
 * saved (the services follow the age), with the cursor on it. */
static int v_dob(const char *s, struct err *e)
{
	int32_t d;
	if (!*s)
		return 0;
	if (date_parse(s, &d, e) < 0)
		return -1;
	return valid_dob(d, today, e);
}

/* ---- who is who ---- */


static bool duplicate(const struct person *p, const struct person *self)
{
	for (size_t i = 0; i < desk.np; i++)
		if (!(self && memcmp(desk.p[i].uuid, self->uuid, UUID_LEN) == 0) &&
		    search_likely_duplicate(p, &desk.p[i]))
			return true;
	return false;
}

/* Is P's NIK someone else's (core/search.h)? Then ERR names her or him. */
static bool nik_taken(const struct person *p, struct err *err)
{
	long k = search_nik_holder(desk.p, desk.np, p->nik, p->uuid);
	if (k < 0)
		return false;
	err_set(err, ERR_EXISTS, "nik", "%s", desk.p[k].name);
	return true;
}

static bool linked(const uint8_t uuid[UUID_LEN])
{
	static const uint8_t none[UUID_LEN];
	return memcmp(uuid, none, UUID_LEN) != 0;
}

/* M is the child P's mother: her record, her name, and her RT, RW and
 * address into the form's RT and RW (what she has recorded; ALL: over what
 * the child's form holds, else only where it is empty). */
static void take_mother(struct person *p, const struct person *m, bool all, char *rt, char *rw)
{
	memcpy(p->mother, m->uuid, UUID_LEN);
	snprintf(p->mother_name, sizeof p->mother_name, "%s", m->name);
	if (m->rt && (all || !p->rt)) {
		p->rt = m->rt;
		snprintf(rt, 6, "%u", m->rt);
	}
	if (m->rw && (all || !p->rw)) {
		p->rw = m->rw;
		snprintf(rw, 6, "%u", m->rw);
	}
	if (m->address[0] && (all || !p->address[0]))
		snprintf(p->address, sizeof p->address, "%s", m->address);
}

/* Who the child P's mother is, from what the form's mother field holds:
 * the woman already linked when it is still her name; the one woman of
 * that name; else the kader picks her among the women it matches, the list
 * narrowing as she types (ui_pick_mother). None matches, or "not in the
 * list": P->mother stays empty and link_mother registers her. 0: go on
 * saving; the form again: 1 with a mother picked (her RT/RW to check), 2
 * when the pick was cancelled; -1: the idle lock. */
static int choose_mother(struct ui *u, struct person *p, char *rt, char *rw)
{
	const struct person *m = desk_person(p->mother);
	char q[sizeof p->mother_name];
	size_t hit;
	long k;

	if (m && search_may_be_mother(m) && search_same_name(m->name, p->mother_name))
		return 0;
	memset(p->mother, 0, UUID_LEN);
	if (!p->mother_name[0])
		return 0;
	if ((k = search_mother_named(desk.p, desk.np, p->mother_name)) >= 0) {
		take_mother(p, &desk.p[k], false, rt, rw);
		return 0;
	}
	if (k == -1 && !desk_search_mothers(p->mother_name, &hit, 1))
		return 0;
	snprintf(q, sizeof q, "%s", p->mother_name);
	switch (ui_pick_mother(u, q, sizeof q, &m)) {
	case 1:
		take_mother(p, m, true, rt, rw);
		ui_status(u, false, _("Mother: %s. RT, RW and address are hers: check them, then F2 saves."),
			  m->name);
		return 1;
	case 0:
		snprintf(p->mother_name, sizeof p->mother_name, "%s", q);
		return 0;
	default:
		return u->lock_pending ? -1 : 2;
	}
}

/* "Not in the list": the mother is registered as a woman from the name
 * typed, with the child's RT, RW and address. */
static int link_mother(struct ui *u, struct person *child, struct err *err)
{
	struct person m;
	struct draft d;

	if (!child->mother_name[0] || linked(child->mother))
		return 0;
	memset(&m, 0, sizeof m);
	m.kind = PERSON_WOMAN;
	m.sex = 'P';
	m.dob = DATE_NONE;
	m.registered = today;
	snprintf(m.name, sizeof m.name, "%s", child->mother_name);
	m.rt = child->rt;
	m.rw = child->rw;
	snprintf(m.address, sizeof m.address, "%s", child->address);
	store_draft_new(&d);
	memcpy(m.uuid, d.uuid, UUID_LEN);
	if (store_person_put(u->s, &d, &m, err) < 0)
		return -1;
	desk_put_person(&m);
	memcpy(child->mother, m.uuid, UUID_LEN);
	return 0;
}

/* The kind of a woman or resident from the form's STATUS. */
static enum person_kind adult_kind(const char *status)
{
	return strcmp(status, stat[0]) == 0 ? PERSON_PREGNANT
	       : strcmp(status, stat[2]) == 0 ? PERSON_RESIDENT : PERSON_WOMAN;
}

int ui_register(struct ui *u, enum person_kind kind, const struct person *existing)
{
	struct person p;
	struct draft d;
	struct err err = { 0 };
	struct ui_field f[14];
	char dob[12] = "", sex[4] = "-", rt[6] = "", rw[6] = "", bw[10] = "", bl[10] = "";
	char kia[12], works[12], status[64];
	int n = 0, rt_field = 0, mother_field = 0, sex_field = 0, dob_field;

	translate();
	today = clock_today();
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.dob = DATE_NONE;
	p.registered = today;
	p.kia = ASK_NOT;          /* asked, never assumed: the K of SKDN counts it */
	if (existing)
		p = *existing;
	if (ui_begin_draft(u, existing ? existing->uuid : NULL, &d) < 0)
		return -1;
	memcpy(p.uuid, d.uuid, UUID_LEN);
	date_format(p.dob, dob);
	if (p.sex)
		snprintf(sex, sizeof sex, "%c", p.sex);
	if (p.rt)
		snprintf(rt, sizeof rt, "%u", p.rt);
	if (p.rw)
		snprintf(rw, sizeof rw, "%u", p.rw);
	ui_fmt_tenths(p.birth_weight_g, 1000, bw, sizeof bw);
	ui_fmt_tenths(p.birth_length_mm, 10, bl, sizeof bl);
	snprintf(kia, sizeof kia, "%s", ask3[p.kia == ASK_YES ? 2 : p.kia == ASK_NO ? 1 : 0]);
	snprintf(works, sizeof works, "%s", ask3[p.works == ASK_YES ? 2 : p.works == ASK_NO ? 1 : 0]);
	snprintf(status, sizeof status, "%s", stat[p.kind == PERSON_PREGNANT ? 0 : p.kind == PERSON_RESIDENT ? 2 : 1]);

	f[n++] = (struct ui_field){ N_("Name"), p.name, sizeof p.name, 30, NULL, v_name };
	if (kind == PERSON_CHILD) {
		sex_field = n;
		f[n++] = (struct ui_field){ N_("Sex (L/P)"), sex, sizeof sex, 3, sexes3, NULL };
	} else
		f[n++] = (struct ui_field){ N_("Status"), status, sizeof status, 32, stat, NULL };
	dob_field = n;
	f[n++] = (struct ui_field){ N_("Date of birth"), dob, sizeof dob, 10, NULL, v_dob };
	f[n++] = (struct ui_field){ N_("NIK (16 digits)"), p.nik, sizeof p.nik, 16, NULL, v_nik };
	if (kind == PERSON_CHILD) {
		/* required when registering; an older record without one (loaded from
		 * a register, or made elsewhere) can still be corrected */
		mother_field = n;
		f[n++] = (struct ui_field){ N_("Mother's name"), p.mother_name, sizeof p.mother_name, 30,
					    NULL, existing && !existing->mother_name[0] ? v_name_opt : v_name };
		f[n++] = (struct ui_field){ N_("Father's name"), p.father_name, sizeof p.father_name, 30, NULL, v_name_opt };
	} else {
		f[n++] = (struct ui_field){ N_("Husband's or father's name"), p.father_name, sizeof p.father_name,
					    30, NULL, v_name_opt };
	}
	rt_field = n;
	f[n++] = (struct ui_field){ "RT", rt, sizeof rt, 4, NULL, v_rt };
	f[n++] = (struct ui_field){ "RW", rw, sizeof rw, 4, NULL, v_rt };
	f[n++] = (struct ui_field){ N_("Address (dusun, street)"), p.address, sizeof p.address, 30, NULL, NULL };
	if (kind == PERSON_CHILD) {
		f[n++] = (struct ui_field){ N_("Birth weight (kg)"), bw, sizeof bw, 6, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Birth length (cm)"), bl, sizeof bl, 6, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Has a KMS / Buku KIA"), kia, sizeof kia, 6, ask3, NULL };
	} else {
		/* after the address, where the forms of women have always ended,
		 * so the fields a kader knows keep their places */
		sex_field = n;
		f[n++] = (struct ui_field){ N_("Sex (L/P)"), sex, sizeof sex, 3, sexes3, NULL };
		f[n++] = (struct ui_field){ N_("Phone"), p.phone, sizeof p.phone, 16, NULL, NULL };
		f[n++] = (struct ui_field){ N_("Works outside the home"), works, sizeof works, 6, ask3, NULL };
	}

	for (;;) {
		if (ui_form(u, kind == PERSON_CHILD ? _("Register a child") : _("Register a woman or resident"),
			    _("Dates as DD-MM-YYYY. The NIK may stay empty."), f, n) < 0)
			return -1;
		if (date_parse(dob, &p.dob, NULL) < 0) {
			ui_status(u, true, "%s", _("The date of birth is required: the services follow the age"));
			u->form_start = dob_field;
			continue;
		}
		/* The sex by core's rule, the same as load's ("-" is unchosen). */
		p.kind = kind == PERSON_CHILD ? PERSON_CHILD : adult_kind(status);
		if (valid_sex(p.kind, strcmp(sex, "-") ? sex : "", &p.sex, &err) < 0) {
			ui_status_err(u, &err);
			u->form_start = sex_field;
			continue;
		}
		if (p.kind == PERSON_RESIDENT && !ilp_resident_age_ok(p.dob, today)) {
			ui_status(u, true, "%s", _("Under five years old: register as a child (F4)"));
			u->form_start = dob_field;
			continue;
		}
		p.rt = (uint8_t)ui_parse_scaled(rt, 1.0);
		p.rw = (uint8_t)ui_parse_scaled(rw, 1.0);
		p.birth_weight_g = (uint16_t)ui_parse_scaled(bw, 1000.0);
		p.birth_length_mm = (uint16_t)ui_parse_scaled(bl, 10.0);
		p.kia = strcmp(kia, ask3[2]) == 0 ? ASK_YES : strcmp(kia, ask3[1]) == 0 ? ASK_NO : ASK_NOT;
		p.works = kind == PERSON_CHILD ? p.works : strcmp(works, ask3[2]) == 0 ? ASK_YES
			  : strcmp(works, ask3[1]) == 0 ? ASK_NO : ASK_NOT;
		if (valid_nik(p.nik, p.sex, p.dob, &err) < 0 || nik_taken(&p, &err)) {
			ui_status_err(u, &err);
			continue;
		}
		if (kind == PERSON_CHILD) {
			int again = choose_mother(u, &p, rt, rw);
			if (again < 0)
				return -1;
			if (again) {
				u->form_start = again == 1 ? rt_field : mother_field;
				continue;
			}
		}
		if (duplicate(&p, existing) &&
		    !ui_confirm(u, _("Someone with this name, birth date and mother is registered. Save anyway?")))
			continue;
		if (kind == PERSON_CHILD && link_mother(u, &p, &err) < 0) {
			ui_status_err(u, &err);
			continue;
		}
		if (store_person_put(u->s, &d, &p, &err) == 0)
			break;
		ui_status_err(u, &err);
	}
	desk_put_person(&p);
	ui_status(u, false, _("Saved: %s"), p.name);
	ui_card_show(u, p.uuid);
	return 0;
}
