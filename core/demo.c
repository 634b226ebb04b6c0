/* core/demo.c: synthetic posyandu data (see demo.h). */
#include "core/demo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/imm.h"
#include "core/who.h"
#include "core/banned.h"

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng { uint64_t s; };

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double uniform(struct rng *r)
{
	return (double)(rnd(r) >> 11) / 9007199254740992.0;
}

static int below(struct rng *r, int n)
{
	return (int)(uniform(r) * n);
}

static double normal(struct rng *r)
{
	double u = uniform(r), v = uniform(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- names ---- */

static const char *const boys[] = {
	"Ahmad", "Budi", "Rizky", "Dimas", "Fajar", "Bagus", "Arif", "Eko", "Galih", "Hendra",
	"Ilham", "Joko", "Kurniawan", "Lukman", "Muhammad", "Nanda", "Putra", "Raka", "Satria",
	"Teguh", "Wahyu", "Yoga", "Zaki", "Agus", "Bayu", "Dwi", "Farhan", "Gilang", "Hafiz", "Irfan",
};
static const char *const girls[] = {
	"Siti", "Aisyah", "Putri", "Dewi", "Ayu", "Rina", "Nur", "Fitri", "Indah", "Lestari",
	"Maya", "Nabila", "Rahma", "Sari", "Tiara", "Wulan", "Yuni", "Zahra", "Anisa", "Bunga",
	"Citra", "Dinda", "Eka", "Intan", "Kartika", "Laila", "Melati", "Novi", "Ratna", "Salsabila",
};
static const char *const family[] = {
	"Pratama", "Saputra", "Wijaya", "Hidayat", "Nugroho", "Setiawan", "Kusuma", "Rahayu",
	"Purnama", "Santoso", "Wibowo", "Susanti", "Handayani", "Maharani", "Ramadhan", "Firmansyah",
	"Utami", "Permata", "Gunawan", "Syahputra", "Aminah", "Hasanah", "Lubis", "Siregar",
};
#define N(a) ((int)(sizeof a / sizeof a[0]))

static void make_name(struct rng *r, char sex, char *buf, size_t size)
{
	const char *first = sex == 'L' ? boys[below(r, N(boys))] : girls[below(r, N(girls))];
	snprintf(buf, size, "%s %s", first, family[below(r, N(family))]);
}

/* A NIK consistent with the birth date and sex (domain.md §2.1). */
static void make_nik(struct rng *r, int32_t dob, char sex, char *nik)
{
	int y, m, d;
	date_to_ymd(dob, &y, &m, &d);
	snprintf(nik, 17, "3302%02u%02u%02u%02u%04u", (unsigned)(1 + below(r, 27)) % 100u,
		 (unsigned)(sex == 'P' ? d + 40 : d) % 100u, (unsigned)m % 100u,
		 (unsigned)y % 100u, (unsigned)(1 + below(r, 9999)) % 10000u);
}

/* ---- growth: a value at z from the WHO LMS row (SDk = M(1+LSk)^(1/L)) ---- */

static double lms_value(enum who_table_id id, int sex, int32_t x, double z)
{
	const struct who_table *t = &who_tables[id][sex - 1];
	const struct who_lms *row;
	double base;

	if (x < t->first)
		x = t->first;
	if (x >= t->first + t->count)
		x = t->first + t->count - 1;
	row = &t->rows[x - t->first];
	base = 1.0 + row->l * row->s * z;
	if (base < 0.05)
		base = 0.05;
	return row->m * pow(base, 1.0 / row->l);
}

static int32_t day_of(int month_index, int d)
{
	return date_from_ymd(month_index / 12, month_index % 12 + 1, d);
}

struct child_track {
	double zl, zw;             /* length-for-age z and weight-for-length offset */
	bool asi;                  /* still exclusively breastfed */
	bool weaned;               /* stopped breastfeeding (6-23 months) */
	uint32_t given;
};

static int child_visits(struct rng *r, const struct demo_params *dp, const struct demo_sink *sk,
			const struct person *c, struct child_track *t)
{
	int last = date_month_index(dp->today);
	int sex = c->sex == 'L' ? 1 : 2;

	for (int mi = last - dp->months + 1; mi <= last; mi++) {
		int32_t day = day_of(mi, 10);   /* opening day: the 10th */
		int32_t age = day - c->dob;
		int months;
		struct visit v;

		if (day > dp->today || age < 0 || age >= 1826)
			continue;
		t->zl += normal(r) * 0.08;
		t->zw += normal(r) * 0.15;
		if (uniform(r) < 0.12)          /* missed this month (O next time) */
			continue;
		memset(&v, 0, sizeof v);
		memcpy(v.person, c->uuid, UUID_LEN);
		v.date = day;
		v.asi_recall = -1;
		months = date_age_months(c->dob, day);
		double len = lms_value(WHO_LHFA, sex, age, t->zl);
		double w = lms_value(WHO_WFA, sex, age, 0.75 * t->zl + t->zw);
		v.weight_g = (uint32_t)(w * 10.0 + 0.5) * 100;  /* dacin scale: 0.1 kg */
		v.lenhei_mm = (uint16_t)(len * 10.0 + 0.5);
		v.measure = age < 731 ? 'l' : 'h';
		if (months >= 6)
			v.muac_mm = (uint16_t)(lms_value(WHO_ACFA, sex, age, t->zw + 0.3 * t->zl) * 10.0 + 0.5);
		if (months <= 24 && months % 3 == 0)
			v.headc_mm = (uint16_t)(lms_value(WHO_HCFA, sex, age, normal(r) * 0.8) * 10.0 + 0.5);
		if (months < 6) {
			if (t->asi && uniform(r) < 0.06)
				t->asi = false;
			v.asi_recall = t->asi ? 1 : 0;
		}
		if (months >= 6 && months < 24) {
			if (!t->weaned && uniform(r) < 0.02)
				t->weaned = true;
			v.bf_continue = t->weaned ? BF_ASKED_NO : BF_ASKED_YES;
		}
		int mon = mi % 12 + 1;
		if (mon == 2 || mon == 8) {
			if (months >= 6 && months <= 11)
				v.vitamin_a = VITA_BLUE;
			else if (months >= 12)
				v.vitamin_a = VITA_RED;
		}
		for (size_t i = 0; i < imm_schedule_len; i++) {
			uint32_t step = imm_schedule[i].antigens & ~IMM_ENDEMIC_ONLY;
			if (months >= imm_schedule[i].age_months && step && !(t->given & step) &&
			    uniform(r) < 0.9) {
				v.imm |= step;
				t->given |= step;
				break;              /* one schedule step per visit */
			}
		}
		if (sk->visit(sk->ctx, &v) < 0)
			return -1;
	}
	return 0;
}

/* A generator for one person's ILP extras, derived from R without drawing
 * from it: the children's stream stays what it was before issue 14. */
static struct rng derived(const struct rng *r, uint64_t salt)
{
	struct rng x = { r->s * 0xD1342543DE82EF95ull + salt };
	rnd(&x);
	return x;
}

static int pregnancy_visits(struct rng *r, const struct demo_params *dp,
			    const struct demo_sink *sk, const struct person *m, int weeks_now)
{
	int last = date_month_index(dp->today);
	uint16_t lila = (uint16_t)(255 + normal(r) * 22);
	int anc = 0;
	/* the KIA book (issue 14): one HPHT for the pregnancy, the weeks from it */
	struct rng x = derived(r, 0x4B4941);
	int32_t hpht = day_of(last, 10) - weeks_now * 7 - below(&x, 7);
	uint8_t gravida = (uint8_t)(1 + below(&x, 4));
	uint8_t para = (uint8_t)(1 + (gravida > 1 ? below(&x, gravida) : 0));
	uint8_t td = (uint8_t)(1 + below(&x, 5));
	uint16_t hb = (uint16_t)(118 + normal(&x) * 12);      /* one in four anaemic (< 11) */

	for (int back = weeks_now / 4; back >= 0; back--) {
		int mi = last - back;
		int32_t day = day_of(mi, 10);
		int weeks = (day - hpht) / 7;
		struct visit v;

		if (day > dp->today || weeks < 8 || back >= dp->months)
			continue;
		memset(&v, 0, sizeof v);
		memcpy(v.person, m->uuid, UUID_LEN);
		v.date = day;
		v.asi_recall = -1;
		v.gest_weeks = (uint8_t)weeks;
		v.muac_mm = lila;
		v.bp_sys = (uint16_t)(110 + below(r, 30));
		v.bp_dia = (uint16_t)(70 + below(r, 20));
		v.iron_tablets = 30;
		v.anc_no = (uint8_t)(++anc > 6 ? 6 : anc);
		v.weight_g = (uint32_t)(52000 + weeks * 300 + below(r, 8000)) / 100 * 100;
		v.hpht = hpht;
		v.gravida = gravida;
		v.para = para;
		v.td_status = td;
		if (anc == 1 || weeks >= 28)            /* Hb at the first check and in trimester 3 */
			v.hb_dgl = (uint16_t)(hb < 70 ? 70 : hb);
		v.kek_food = lila < 235 ? ASK_YES : ASK_NOT;
		v.preg_class = uniform(&x) < 0.6 ? ASK_YES : ASK_NO;
		v.tb_symptoms = ASK_NO;
		if (sk->visit(sk->ctx, &v) < 0)
			return -1;
	}
	return 0;
}

/* A mother whose youngest was born in the last 42 days, seen on the last
 * opening day: postpartum, the two red capsules, her family planning. */
static int postpartum_visit(const struct rng *r, const struct demo_params *dp,
			    const struct demo_sink *sk, const struct person *m, int32_t born)
{
	struct rng x = derived(r, 0x4E494641);
	int32_t day = day_of(date_month_index(dp->today), 10);
	struct visit v;

	if (day > dp->today || day < born || day - born > 42)
		return 0;
	memset(&v, 0, sizeof v);
	memcpy(v.person, m->uuid, UUID_LEN);
	v.date = day;
	v.asi_recall = -1;
	v.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;
	v.postpartum = ASK_YES;
	v.vita_pp = day - born >= 1 ? 3 : 1;
	v.kb_method = (uint8_t)(KB_NONE + below(&x, KB_IUD));
	v.td_status = (uint8_t)(2 + below(&x, 4));
	v.muac_mm = (uint16_t)(250 + normal(&x) * 20);
	v.weight_g = (uint32_t)(55000 + below(&x, 12000)) / 100 * 100;
	v.bp_sys = (uint16_t)(105 + below(&x, 30));
	v.bp_dia = (uint16_t)(65 + below(&x, 20));
	return sk->visit(sk->ctx, &v);
}

/* ---- residents (Posyandu ILP): school-age to elderly ---- */

/* One resident's own track: where her numbers sit. */
struct resident_track {
	double bmi, height_z, height_cm, sys_offset, glucose;
	bool smoker, anaemic, diabetic;
	uint8_t kb;
};

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* The ILP visit of resident C aged YEARS on DAY, measured on track T. */
static void resident_visit(struct rng *r, const struct person *c, int years,
			   const struct resident_track *t, struct visit *v)
{
	bool girl = c->sex == 'P';
	double h = t->height_cm, sys;

	v->weight_g = (uint32_t)(clamp(t->bmi + normal(r) * 0.3, 11, 45) * h * h / 10000.0 * 10.0 + 0.5) * 100;
	v->lenhei_mm = (uint16_t)(h * 10.0 + 0.5);
	v->measure = 'h';
	v->waist_mm = (uint16_t)(clamp(t->bmi * (years < 19 ? 3.6 : 3.5) + normal(r) * 2, 45, 150) * 10);
	sys = clamp(100 + (years > 19 ? (years - 19) * 0.7 : 0) + t->sys_offset + normal(r) * 6, 85, 210);
	v->bp_sys = (uint16_t)sys;
	v->bp_dia = (uint16_t)clamp(sys * 0.6 + normal(r) * 4, 50, sys - 20);
	v->tb_symptoms = uniform(r) < 0.02 ? ASK_YES : ASK_NO;
	if (years < 10)
		return;
	v->glucose_mgdl = (uint16_t)clamp(t->glucose + normal(r) * 15, 60, 450);
	v->glucose_fasting = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
	if (v->glucose_fasting == ASK_YES)      /* fasting reads lower than random */
		v->glucose_mgdl = (uint16_t)(v->glucose_mgdl * 0.75);
	v->smoking = t->smoker ? ASK_YES : ASK_NO;
	if (girl && (t->anaemic || uniform(r) < 0.3))
		v->hb_dgl = (uint16_t)(clamp((t->anaemic ? 10.8 : 13.0) + normal(r) * 0.6, 7, 17) * 10);
	if (years <= 18) {
		if (girl)
			v->iron_weekly = uniform(r) < 0.6 ? ASK_YES : ASK_NO;
		v->mental_problem = uniform(r) < 0.05 ? ASK_YES : ASK_NO;
		v->risk_alcohol = v->risk_drugs = v->risk_sex = ASK_NO;
		return;
	}
	if (uniform(r) < 0.5) {
		v->cholesterol_mgdl = (uint16_t)clamp(185 + normal(r) * 35, 110, 380);
		v->uric_dmgdl = (uint16_t)(clamp(5.5 + normal(r) * 1.4, 2.5, 12) * 10);
	}
	v->diet_sugar = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
	v->diet_salt = uniform(r) < 0.4 ? ASK_YES : ASK_NO;
	v->diet_fat = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
	if (t->smoker && years >= 40) {         /* PUMA is for smokers of 40 and over */
		v->puma_breath = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
		v->puma_phlegm = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
		v->puma_cough = uniform(r) < 0.3 ? ASK_YES : ASK_NO;
		v->puma_spirometry = ASK_NO;
		v->puma_packyears = (uint8_t)(PY_UNDER_20 + below(r, 3));
	}
	if (girl && years <= 49)
		v->kb_method = t->kb;
	if (years >= 60) {
		v->vision_problem = uniform(r) < 0.4 ? ASK_YES : ASK_NO;
		v->hearing_problem = uniform(r) < 0.2 ? ASK_YES : ASK_NO;
		v->adl = (uint8_t)(1 + (uniform(r) < 0.8 ? 20 : 12 + below(r, 8)));
		v->fall_risk = uniform(r) < 0.2 ? ASK_YES : ASK_NO;
	}
}

/* Height in cm at YEARS of someone Z standard deviations from Indonesian
 * means: a child grows towards the adult height. */
static double resident_height(double z, char sex, int years)
{
	double adult = (sex == 'L' ? 164 : 153) + z * 6;
	double child = 108 + (years - 5) * 6.0 + z * 5;
	return years >= 18 ? adult : clamp(child, 95, adult);
}

static int residents(const struct demo_params *dp, const struct demo_sink *sk)
{
	/* from its own seed: the children's data stay as they were */
	struct rng r = { dp->seed * 0x9FB21C651E98DF25ull + 0x494C50 };
	static const int from[] = { 5, 10, 19, 60 }, span[] = { 5, 9, 41, 26 };
	int n = dp->children / 4 + 1, last = date_month_index(dp->today);

	for (int i = 0; i < n; i++) {
		struct person c;
		struct resident_track t;
		int g = i % 4, years0 = from[g] + below(&r, span[g]);

		memset(&c, 0, sizeof c);
		c.kind = PERSON_RESIDENT;
		c.sex = uniform(&r) < 0.5 ? 'L' : 'P';
		if (i % 8 == 1)
			c.sex = 'P';                /* an adolescent girl, anaemic below */
		make_name(&r, c.sex, c.name, sizeof c.name);
		c.dob = dp->today - 365 * years0 - below(&r, 365);
		if (years0 >= 17 || uniform(&r) < 0.5)
			make_nik(&r, c.dob, c.sex, c.nik);
		c.rt = (uint8_t)(1 + below(&r, 8));
		c.rw = (uint8_t)(1 + below(&r, 4));
		snprintf(c.address, sizeof c.address, "Dusun %s", family[below(&r, N(family))]);
		c.registered = dp->today - 30 * dp->months;
		if (c.registered < c.dob)
			c.registered = c.dob;
		if (sk->person(sk->ctx, &c) < 0)
			return -1;
		/* about one in four adults with high blood pressure, one in six
		 * with high glucose, one in four women anaemic; the first of
		 * each always, so that even a small demo shows every flag */
		t.bmi = (g == 0 ? 15.5 : g == 1 ? 19.5 : 23.5) + normal(&r) * (g < 2 ? 2.0 : 3.5);
		t.sys_offset = g >= 2 && (i / 4 % 4 == 0 || uniform(&r) < 0.15) ? 35 + below(&r, 25)
										  : normal(&r) * 8;
		t.diabetic = g >= 2 && (i / 4 % 4 == 1 || uniform(&r) < 0.05);
		t.glucose = t.diabetic ? 250 + normal(&r) * 25 : 105 + normal(&r) * 12;
		t.smoker = g >= 1 && uniform(&r) < (c.sex == 'L' ? (g == 1 ? 0.15 : 0.6) : 0.03);
		t.anaemic = c.sex == 'P' && (i % 8 == 1 || uniform(&r) < 0.2);
		t.kb = (uint8_t)(KB_NONE + below(&r, KB__COUNT - KB_NONE));
		t.height_z = clamp(normal(&r), -2.5, 2.5);
		for (int mi = last - dp->months + 1; mi <= last; mi++) {
			int32_t day = day_of(mi, 10);
			struct visit v;
			int years;
			if (day > dp->today || day < c.dob || uniform(&r) < (g == 3 ? 0.3 : 0.6))
				continue;
			years = date_age_months(c.dob, day) / 12;
			if (years < 5)
				continue;
			t.height_cm = resident_height(t.height_z, c.sex, years) + normal(&r) * 0.3;
			memset(&v, 0, sizeof v);
			memcpy(v.person, c.uuid, UUID_LEN);
			v.date = day;
			v.asi_recall = -1;
			v.not_asked = VISIT_Q_OEDEMA | VISIT_Q_COUNSEL | VISIT_Q_DANGER;
			resident_visit(&r, &c, years, &t, &v);
			if (sk->visit(sk->ctx, &v) < 0)
				return -1;
		}
	}
	return 0;
}

int demo_generate(const struct demo_params *dp, const struct demo_sink *sk)
{
	struct rng r = { dp->seed * 0x2545F4914F6CDD1Dull + 1 };
	int made = 0;

	while (made < dp->children) {
		struct person mom, kid;
		int kids = 1 + (uniform(&r) < 0.25);
		int32_t youngest = dp->today - below(&r, 1826);

		memset(&mom, 0, sizeof mom);
		mom.kind = PERSON_WOMAN;
		mom.sex = 'P';
		make_name(&r, 'P', mom.name, sizeof mom.name);
		mom.dob = youngest - 365 * (19 + below(&r, 20)) - below(&r, 365);
		if (uniform(&r) < 0.8)
			make_nik(&r, mom.dob, 'P', mom.nik);
		make_name(&r, 'L', mom.father_name, sizeof mom.father_name);
		mom.rt = (uint8_t)(1 + below(&r, 8));
		mom.rw = (uint8_t)(1 + below(&r, 4));
		snprintf(mom.address, sizeof mom.address, "Dusun %s", family[below(&r, N(family))]);
		mom.works = uniform(&r) < 0.35 ? ASK_YES : ASK_NO;
		mom.registered = youngest;
		int pregnant_weeks = uniform(&r) < 0.12 ? 8 + below(&r, 30) : 0;
		if (pregnant_weeks)
			mom.kind = PERSON_PREGNANT;
		if (sk->person(sk->ctx, &mom) < 0)
			return -1;
		if (pregnant_weeks && pregnancy_visits(&r, dp, sk, &mom, pregnant_weeks) < 0)
			return -1;
		if (!pregnant_weeks && postpartum_visit(&r, dp, sk, &mom, youngest) < 0)
			return -1;

		for (int k = 0; k < kids && made < dp->children; k++, made++) {
			struct child_track t = { 0 };
			memset(&kid, 0, sizeof kid);
			kid.kind = PERSON_CHILD;
			kid.sex = uniform(&r) < 0.5 ? 'L' : 'P';
			make_name(&r, kid.sex, kid.name, sizeof kid.name);
			kid.dob = k == 0 ? youngest : youngest - 730 - below(&r, 700);
			if (dp->today - kid.dob >= 1826)
				kid.dob = dp->today - below(&r, 1800);
			if (uniform(&r) < 0.5)
				make_nik(&r, kid.dob, kid.sex, kid.nik);
			memcpy(kid.mother, mom.uuid, UUID_LEN);
			snprintf(kid.mother_name, sizeof kid.mother_name, "%s", mom.name);
			snprintf(kid.father_name, sizeof kid.father_name, "%s", mom.father_name);
			memcpy(kid.address, mom.address, sizeof kid.address);
			kid.rt = mom.rt;
			kid.rw = mom.rw;
			kid.birth_weight_g = (uint16_t)(3100 + normal(&r) * 450);
			kid.birth_length_mm = (uint16_t)(490 + normal(&r) * 20);
			kid.kia = uniform(&r) < 0.9 ? ASK_YES : ASK_NO;
			kid.registered = kid.dob;
			/* About one in five stunted, one in ten wasted (SSGI 2024, domain.md §8). */
			t.zl = -0.9 + normal(&r) * 1.1;
			t.zw = -0.2 + normal(&r) * 0.8;
			t.asi = uniform(&r) < 0.75;
			if (sk->person(sk->ctx, &kid) < 0 || child_visits(&r, dp, sk, &kid, &t) < 0)
				return -1;
		}
	}
	return residents(dp, sk);
}
