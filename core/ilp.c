/* core/ilp.c: the life-cycle groups of Posyandu ILP. */
#include "core/ilp.h"

#include <string.h>

#include "core/date.h"
#include "core/growth.h"

#include "core/banned.h"

enum ilp_group ilp_group_for(enum person_kind kind, int months)
{
	int years = months / 12;

	if (kind == PERSON_PREGNANT)
		return ILP_NONE;
	if (months < 0)
		return kind == PERSON_WOMAN ? ILP_ADULT : ILP_NONE;
	if (years < 5)
		return ILP_NONE;
	if (years <= 9)
		return ILP_SCHOOL;
	if (years <= 18)
		return ILP_ADOLESCENT;
	if (years <= 59)
		return ILP_ADULT;
	return ILP_ELDERLY;
}

enum ilp_group ilp_group_of(const struct person *p, int32_t day)
{
	int months = -1;

	if (p->dob != DATE_NONE && day != DATE_NONE && day >= p->dob)
		months = date_age_months(p->dob, day);
	return ilp_group_for(p->kind, months);
}

bool ilp_resident_age_ok(int32_t dob, int32_t today)
{
	return dob != DATE_NONE && today >= dob && date_age_months(dob, today) >= 60;
}

const char *ilp_group_code(enum ilp_group g)
{
	static const char *const codes[ILP__COUNT] = {
		[ILP_NONE] = "", [ILP_SCHOOL] = "school", [ILP_ADOLESCENT] = "adolescent",
		[ILP_ADULT] = "adult", [ILP_ELDERLY] = "elderly",
	};
	return g >= 0 && g < ILP__COUNT ? codes[g] : "";
}

/* ---- The judgement of a visit ---- */

#define N_(s) (s)    /* English msgids for xgettext (-kN_); core never translates */

/* The cut-offs, each with its source (domain.md). */
const struct ilp_limits ilp_limits_default = {
	/* Permenkes 41/2014 (Pedoman Gizi Seimbang), domain.md §5.7:
	 * thin < 18,5; normal 18,5-25,0; overweight > 25,0-27,0; obese > 27,0 */
	.bmi_thin_below = 185, .bmi_normal_max = 250, .bmi_over_max = 270,
	/* Riskesdas 2007 measurement manual, domain.md §4.2, §5.7: >= 140/90 */
	.bp_sys_high = 140, .bp_dia_high = 90,
	/* fasting >= 126, random >= 200 mg/dL (domain.md §5.7 gives the random one;
	 * 126 is the WHO/PERKENI fasting criterion the issue names) */
	.glucose_fasting_high = 126, .glucose_random_high = 200,
	/* Riskesdas 2007: central obesity > 90 cm men, > 80 cm women */
	.waist_men_above_mm = 900, .waist_women_above_mm = 800,
	/* WHO Hb cut-offs (issue 14): 5-11 y < 11,5; 12-14 y < 12,0; from 15 women
	 * < 12,0, men < 13,0; pregnant < 11,0 (domain.md §5.6, UNCONFIRMED by
	 * trimester: some guidance uses 10,5 in trimester II) */
	.hb_5_11_below = 115, .hb_12_14_below = 120, .hb_women_below = 120, .hb_men_below = 130,
	.hb_pregnant_below = 110,
	/* UNCONFIRMED (domain.md §5.7 leaves them open): total cholesterol >= 200
	 * mg/dL ("borderline high" of NCEP ATP III, the usual posbindu flag); uric
	 * acid above 7,0 mg/dL men, 6,0 women (the usual laboratory upper limits) */
	.cholesterol_high = 200, .uric_men_above = 70, .uric_women_above = 60,
	/* PUMA: >= 6 refer for spirometry (issue 14) */
	.puma_refer_from = 6,
	/* domain.md §4.4, §5.6: LILA < 23,5 cm */
	.lila_kek_below_mm = 235,
};

/* Ordered by urgency: the panel and the lists show them in this order. */
const struct ilp_flag_info ilp_flags[] = {
	{ ILP_F_DANGER, "danger_sign", N_("pregnancy danger sign"),
	  N_("refer at once"), true },
	{ ILP_F_TB, "tb_suspect", N_("TB symptoms"), N_("refer for a TB test"), true },
	{ ILP_F_PUMA, "puma", N_("PUMA score 6 or more (COPD?)"), N_("refer for spirometry"), true },
	{ ILP_F_MENTAL, "mental", N_("mental-health problem"), N_("counsel; refer"), true },
	{ ILP_F_KPSP_DOUBT, "development", N_("development doubtful or delayed (KPSP)"),
	  N_("refer for a development check"), true },
	{ ILP_F_BP_HIGH, "bp_high", N_("blood pressure 140/90 or higher"),
	  N_("measure again; refer if still high"), false },
	{ ILP_F_GLUCOSE_HIGH, "glucose_high", N_("high blood glucose"),
	  N_("refer for a diabetes check"), true },
	{ ILP_F_ANAEMIA, "anaemia", N_("anaemia (low Hb)"), N_("iron tablets; check with the bidan"), false },
	{ ILP_F_KEK, "kek", N_("KEK (LILA below 23.5 cm)"), N_("give supplementary food"), false },
	{ ILP_F_BMI_THIN, "bmi_thin", N_("thin (low BMI)"), N_("nutrition counselling"), false },
	{ ILP_F_BMI_OVER, "bmi_overweight", N_("overweight (BMI)"), N_("diet and activity counselling"), false },
	{ ILP_F_BMI_OBESE, "bmi_obese", N_("obese (BMI)"), N_("diet and activity counselling"), false },
	{ ILP_F_WAIST_HIGH, "waist_high", N_("waist too large (central obesity)"),
	  N_("diet and activity counselling"), false },
	{ ILP_F_CHOLESTEROL, "cholesterol_high", N_("high cholesterol"), N_("diet counselling; check with the doctor"), false },
	{ ILP_F_URIC, "uric_high", N_("high uric acid"), N_("diet counselling; check with the doctor"), false },
	{ ILP_F_ADL, "adl_dependent", N_("needs help with daily activities (ADL)"),
	  N_("care plan with the family; home visit"), false },
	{ ILP_F_FALL, "fall_risk", N_("at risk of falling"), N_("fall-prevention counselling"), false },
	{ ILP_F_VISION, "vision", N_("vision problem"), N_("refer for an eye check"), true },
	{ ILP_F_HEARING, "hearing", N_("hearing problem"), N_("refer for an ear check"), true },
	{ ILP_F_RISKY, "risky_behaviour", N_("risky behaviour (alcohol, drugs, sex)"), N_("counsel"), false },
	{ ILP_F_SMOKER, "smoker", N_("smokes"), N_("counsel to stop smoking"), false },
	{ ILP_F_DIET, "diet", N_("too much sugar, salt or fat"), N_("diet counselling"), false },
	{ ILP_F_IRON_WEEKLY, "iron_weekly", N_("weekly iron tablet not given"), N_("give the weekly iron tablet"), false },
	{ ILP_F_PP_VITA, "postpartum_vitamin_a", N_("postpartum vitamin A not complete"),
	  N_("give the red capsule (two in all)"), false },
	{ ILP_F_KB, "family_planning", N_("postpartum, no family planning"), N_("offer family planning (KB)"), false },
	{ ILP_F_ORS_ZINC, "ors_zinc", N_("diarrhoea without ORS and zinc"), N_("give ORS and zinc"), false },
	{ ILP_F_DEWORM_DUE, "deworm_due", N_("deworming due"), N_("give the deworming tablet"), false },
	{ ILP_F_KPSP_DUE, "development_due", N_("development screening (KPSP) due"),
	  N_("do the KPSP for this age"), false },
};
const size_t ilp_flags_len = sizeof ilp_flags / sizeof ilp_flags[0];

const struct ilp_flag_info *ilp_flag_info(unsigned bit)
{
	for (size_t i = 0; i < ilp_flags_len; i++)
		if (ilp_flags[i].bit == bit)
			return &ilp_flags[i];
	return NULL;
}

int ilp_bmi_d(uint32_t weight_g, uint16_t height_mm)
{
	/* BMI x 10 = weight_g x 10^4 / height_mm^2, rounded half up in
	 * integers so that a border value (47,36 kg at 160 cm = 18,5) is
	 * exact, and the category follows the BMI as shown (one decimal). */
	uint64_t h2 = (uint64_t)height_mm * height_mm;
	if (!weight_g || !height_mm)
		return 0;
	return (int)(((uint64_t)weight_g * 20000u + h2) / (2u * h2));
}

enum ilp_bmi ilp_bmi_adult(int bmi_d, const struct ilp_limits *l)
{
	if (bmi_d <= 0)
		return ILP_BMI_NONE;
	if (bmi_d < l->bmi_thin_below)
		return ILP_BMI_THIN;
	if (bmi_d <= l->bmi_normal_max)
		return ILP_BMI_NORMAL;
	if (bmi_d <= l->bmi_over_max)
		return ILP_BMI_OVERWEIGHT;
	return ILP_BMI_OBESE;
}

/* Permenkes 2/2020 IMT/U 5-18 y through the growth engine's bands (one
 * place for the cut-offs): severe thinness and thinness are both "thin". */
enum ilp_bmi ilp_bmi_for_age(long z_centi)
{
	switch (growth_cat_of(GROWTH_SCHEME_BMI5, z_centi / 100.0)) {
	case GROWTH_CAT_BMI5_SEVERELY_THIN:
	case GROWTH_CAT_BMI5_THIN: return ILP_BMI_THIN;
	case GROWTH_CAT_BMI5_NORMAL: return ILP_BMI_NORMAL;
	case GROWTH_CAT_BMI5_OVERWEIGHT: return ILP_BMI_OVERWEIGHT;
	case GROWTH_CAT_BMI5_OBESE: return ILP_BMI_OBESE;
	default: return ILP_BMI_NONE;
	}
}

bool ilp_bp_high(int sys, int dia, const struct ilp_limits *l)
{
	return (sys && sys >= l->bp_sys_high) || (dia && dia >= l->bp_dia_high);
}

bool ilp_glucose_high(int mgdl, bool fasting, const struct ilp_limits *l)
{
	return mgdl > 0 && mgdl >= (fasting ? l->glucose_fasting_high : l->glucose_random_high);
}

bool ilp_waist_high(enum ilp_group g, char sex, int waist_mm, const struct ilp_limits *l)
{
	if ((g != ILP_ADULT && g != ILP_ELDERLY) || waist_mm <= 0)
		return false;
	if (sex == 'L')
		return waist_mm > l->waist_men_above_mm;
	if (sex == 'P')
		return waist_mm > l->waist_women_above_mm;
	return false;
}

int ilp_hb_cutoff(int age_years, char sex, bool pregnant, const struct ilp_limits *l)
{
	if (pregnant)
		return l->hb_pregnant_below;
	if (age_years < 5)
		return 0;
	if (age_years <= 11)
		return l->hb_5_11_below;
	if (age_years <= 14)
		return l->hb_12_14_below;
	return sex == 'P' ? l->hb_women_below : sex == 'L' ? l->hb_men_below : 0;
}

/* PUMA (Lopez Varela et al. 2016, as used in the Kemenkes PTM screening):
 * male 1; age 50-59 1, 60+ 2; pack-years 20-30 1, > 30 2; short of
 * breath, phlegm, chronic cough, spirometry before: 1 each. */
int ilp_puma_score(char sex, int age_years, const struct visit *v)
{
	const uint8_t items[] = { v->puma_breath, v->puma_phlegm, v->puma_cough, v->puma_spirometry };
	bool asked = v->puma_packyears != PY_NOT_ASKED;
	int s = 0;

	for (size_t i = 0; i < sizeof items; i++) {
		asked |= items[i] != ASK_NOT;
		s += items[i] == ASK_YES;
	}
	if (!asked)
		return -1;
	s += sex == 'L';
	s += age_years >= 60 ? 2 : age_years >= 50 ? 1 : 0;
	s += v->puma_packyears == PY_OVER_30 ? 2 : v->puma_packyears == PY_20_30 ? 1 : 0;
	return s;
}

/* Barthel index (20-point) levels as Kemenkes uses them for the elderly. */
enum ilp_adl ilp_adl_level(int b)
{
	if (b < 0 || b > 20)
		return ILP_ADL_NONE;
	return b == 20 ? ILP_ADL_INDEPENDENT : b >= 12 ? ILP_ADL_MILD : b >= 9 ? ILP_ADL_MODERATE
	       : b >= 5 ? ILP_ADL_SEVERE : ILP_ADL_TOTAL;
}

/* The KPSP ages (Kuesioner Pra Skrining Perkembangan) come from the
 * Kemenkes SDIDTK guideline (stimulasi, deteksi dan intervensi dini tumbuh
 * kembang), not from domain.md: every 3 months to 24, every 6 to 72. */
bool ilp_kpsp_age(int m)
{
	if (m < 3 || m > 72)
		return false;
	return m <= 24 ? m % 3 == 0 : m % 6 == 0;
}

/* domain.md §5.3: 12-59 months, with the vitamin A months (the frequency is
 * UNCONFIRMED as a national rule). */
bool ilp_deworm_due(int months, int month, bool given)
{
	return months >= 12 && months <= 59 && (month == 2 || month == 8) && !given;
}

static int32_t add_months(int32_t day, int n)
{
	int y, m, d, dim;
	date_to_ymd(day, &y, &m, &d);
	m += n;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	dim = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

void ilp_td_next(int status, int32_t since, int *dose, int32_t *due)
{
	*dose = status >= 1 && status <= 4 ? status + 1 : 0;
	*due = DATE_NONE;
	if (!*dose || since == DATE_NONE)
		return;
	*due = status == 1 ? since + 28 : add_months(since, status == 2 ? 6 : 12);
}

static bool yes(uint8_t a)
{
	return a == ASK_YES;
}

/* The group's screening: BMI, BP, glucose, waist, Hb, TB, smoking ... */
static void screen(const struct person *p, const struct visit *v, const struct ilp_limits *l,
		   bool pregnant, struct ilp_result *r)
{
	/* A mother whose birth date is unknown is an adult (ilp_group_for):
	 * judge her Hb as a woman of 15 and over; a woman's record may leave
	 * the sex unset. */
	int age = r->age_years < 0 && r->group == ILP_ADULT ? 15 : r->age_years;
	char sex = p->sex ? p->sex : p->kind == PERSON_WOMAN || pregnant ? 'P' : 0;
	int hb = ilp_hb_cutoff(age, sex, pregnant, l);

	if (r->group == ILP_ADULT || r->group == ILP_ELDERLY) {
		r->bmi_d = ilp_bmi_d(v->weight_g, v->lenhei_mm);
		r->bmi = ilp_bmi_adult(r->bmi_d, l);
	} else if (r->group == ILP_SCHOOL || r->group == ILP_ADOLESCENT) {
		struct growth_input in = { 0 };
		struct growth_result g;
		in.sex = p->sex == 'L' ? GROWTH_MALE : p->sex == 'P' ? GROWTH_FEMALE : 0;
		in.age_days = v->date - p->dob;
		in.weight_kg = v->weight_g ? v->weight_g / 1000.0 : 0;
		in.lenhei_cm = v->lenhei_mm ? v->lenhei_mm / 10.0 : 0;
		in.measure = v->measure ? v->measure : 'h';      /* standing from school age */
		growth_compute(&in, &g);
		r->bmi_d = ilp_bmi_d(v->weight_g, v->lenhei_mm);
		if ((r->bmi_z_valid = g.ind[GROWTH_BMI].valid)) {
			r->bmi_z_centi = growth_z_centi(g.ind[GROWTH_BMI].z);
			r->bmi = ilp_bmi_for_age(r->bmi_z_centi);
		}
	}
	r->flags |= r->bmi == ILP_BMI_THIN ? ILP_F_BMI_THIN : r->bmi == ILP_BMI_OVERWEIGHT ? ILP_F_BMI_OVER
		    : r->bmi == ILP_BMI_OBESE ? ILP_F_BMI_OBESE : 0;
	if (ilp_bp_high(v->bp_sys, v->bp_dia, l))
		r->flags |= ILP_F_BP_HIGH;
	if (ilp_glucose_high(v->glucose_mgdl, v->glucose_fasting == ASK_YES, l))
		r->flags |= ILP_F_GLUCOSE_HIGH;
	if (ilp_waist_high(r->group, sex, v->waist_mm, l))
		r->flags |= ILP_F_WAIST_HIGH;
	if (v->hb_dgl && hb && v->hb_dgl < hb)
		r->flags |= ILP_F_ANAEMIA;
	if (v->cholesterol_mgdl && v->cholesterol_mgdl >= l->cholesterol_high)
		r->flags |= ILP_F_CHOLESTEROL;
	if (v->uric_dmgdl && ((sex == 'L' && v->uric_dmgdl > l->uric_men_above) ||
			      (sex == 'P' && v->uric_dmgdl > l->uric_women_above)))
		r->flags |= ILP_F_URIC;
	r->puma = ilp_puma_score(p->sex, r->age_years, v);
	if (r->puma >= l->puma_refer_from)
		r->flags |= ILP_F_PUMA;
	r->adl = v->adl ? ilp_adl_level(v->adl - 1) : ILP_ADL_NONE;
	if (r->adl > ILP_ADL_INDEPENDENT)
		r->flags |= ILP_F_ADL;
	r->flags |= (yes(v->fall_risk) ? ILP_F_FALL : 0) | (yes(v->vision_problem) ? ILP_F_VISION : 0) |
		    (yes(v->hearing_problem) ? ILP_F_HEARING : 0) | (yes(v->mental_problem) ? ILP_F_MENTAL : 0) |
		    (yes(v->smoking) ? ILP_F_SMOKER : 0);
	if (yes(v->risk_alcohol) || yes(v->risk_drugs) || yes(v->risk_sex))
		r->flags |= ILP_F_RISKY;
	if (yes(v->diet_sugar) || yes(v->diet_salt) || yes(v->diet_fat))
		r->flags |= ILP_F_DIET;
	/* domain.md §5.6: one tablet a week for adolescent girls */
	if (r->group == ILP_ADOLESCENT && p->sex == 'P' && v->iron_weekly == ASK_NO)
		r->flags |= ILP_F_IRON_WEEKLY;
}

/* Pregnant and postpartum women (domain.md §2.3, §2.4, §5.2, §5.6). */
static void maternal(const struct person *p, const struct visit *v, const struct ilp_limits *l,
		     struct ilp_result *r)
{
	if (p->kind == PERSON_PREGNANT) {
		if (v->hpht && v->hpht != DATE_NONE && v->hpht <= v->date) {
			r->due_date = v->hpht + 280;             /* Naegele: HPHT + 280 days */
			r->gest_weeks = (v->date - v->hpht) / 7;
		}
		if (v->muac_mm && v->muac_mm < l->lila_kek_below_mm)
			r->flags |= ILP_F_KEK;
		if (v->danger_signs)
			r->flags |= ILP_F_DANGER;
	}
	if (p->kind == PERSON_WOMAN && yes(v->postpartum)) {
		if ((v->vita_pp & 3u) != 3u)
			r->flags |= ILP_F_PP_VITA;
		if (v->kb_method == KB_NOT_ASKED || v->kb_method == KB_NONE)
			r->flags |= ILP_F_KB;
		if (v->danger_signs)
			r->flags |= ILP_F_DANGER;
	}
}

/* Children under five (domain.md §2.2, §5.3). Deworming needs the history
 * (given this round?): core/desk.c adds it. */
static void child(const struct visit *v, int months, struct ilp_result *r)
{
	if (yes(v->diarrhoea) && !yes(v->ors_zinc))
		r->flags |= ILP_F_ORS_ZINC;
	if (v->development == ASK_NO)
		r->flags |= ILP_F_KPSP_DOUBT;
	else if (v->development == ASK_NOT && ilp_kpsp_age(months))
		r->flags |= ILP_F_KPSP_DUE;
}

/* The cut-offs the configuration chose ([ilp] in posyandu.ini), set once at
 * startup by app/; NULL limits mean these. */
static struct ilp_limits configured;
static bool have_configured;

void ilp_limits_configure(const struct ilp_limits *l)
{
	configured = *l;
	have_configured = true;
}

const struct ilp_limits *ilp_limits_current(void)
{
	return have_configured ? &configured : &ilp_limits_default;
}

void ilp_assess(const struct person *p, const struct visit *v, const struct ilp_limits *l,
		struct ilp_result *r)
{
	int months = p->dob != DATE_NONE && v->date >= p->dob ? date_age_months(p->dob, v->date) : -1;
	bool pregnant = p->kind == PERSON_PREGNANT;

	if (!l)
		l = ilp_limits_current();
	memset(r, 0, sizeof *r);
	r->group = ilp_group_of(p, v->date);
	r->age_years = months < 0 ? -1 : months / 12;
	r->puma = -1;
	r->due_date = DATE_NONE;
	r->gest_weeks = -1;

	/* A pregnant woman is in no group (her weight is the pregnancy's: no
	 * BMI), but her blood pressure, glucose and Hb are judged. */
	if (r->group != ILP_NONE || pregnant) {
		screen(p, v, l, pregnant, r);
		maternal(p, v, l, r);
	}
	/* A child's services (KPSP runs to 72 months, into school age). */
	if (p->kind == PERSON_CHILD && months >= 0)
		child(v, months, r);
	if (yes(v->tb_symptoms))
		r->flags |= ILP_F_TB;
	for (size_t i = 0; i < ilp_flags_len; i++)
		if ((r->flags & ilp_flags[i].bit) && ilp_flags[i].refer)
			r->refer |= ilp_flags[i].bit;
}
