/* core/kbm.c: N / T / O / B, 2T, BGM, MUAC and LILA, referral reasons.
 * Every rule cites its section of the project's domain brief (domain.md). */
#include "core/kbm.h"

#include <limits.h>
#include <math.h>

#include "core/banned.h"

#define N_(s) (s)    /* English msgids for xgettext (-kN_); core never translates */

/* ---- The KBM table (domain.md 4.1) ----
 *
 * Minimum monthly weight gain printed under the month columns of the KMS
 * (Permenkes 155/2010; Buku KIA 2023 p. 54: 800, 900, 800, 600, 500, 400,
 * 300, 200 with merged cells). Two transcriptions split the merged cells
 * differently at months 7 and 11; this is transcription A:
 *     month 7 = 400 g (B: 300)    month 11 = 300 g (B: 200)
 * UNCONFIRMED: check against a printed KMS before release. Month 3 = 800 g
 * follows the Buku KIA and two transcriptions (one spreadsheet says 600).
 * Age 0 has no KBM; the KMS stops at 60 months. */
const struct kbm_row kbm_table[] = {
	/* from  to   grams */
	{ 1,     1,   800 },
	{ 2,     2,   900 },
	{ 3,     3,   800 },
	{ 4,     4,   600 },
	{ 5,     5,   500 },
	{ 6,     7,   400 },    /* transcription A */
	{ 8,     11,  300 },    /* transcription A */
	{ 12,    60,  200 },
};
const size_t kbm_table_len = sizeof kbm_table / sizeof kbm_table[0];

int kbm_min_gain_g(int age_months)
{
	for (size_t i = 0; i < kbm_table_len; i++)
		if (age_months >= kbm_table[i].from_months && age_months <= kbm_table[i].to_months)
			return kbm_table[i].min_gain_g;
	return -1;
}

static bool weighed(double kg)
{
	return isfinite(kg) && kg > 0.0 && kg < 1e6;     /* 1e6: keeps grams() in range */
}

/* Weights are compared in whole grams, so 9.5 - 9.1 kg is 400 g exactly. */
static long grams(double kg)
{
	return lround(kg * 1000.0);
}

enum kbm_status kbm_judge(const struct kbm_weighing *now, int age_months,
			  const struct kbm_weighing *prev)
{
	int kbm;

	if (!now || !weighed(now->weight_kg))
		return KBM_NONE;
	if (!prev)                                          /* 1. never weighed before */
		return KBM_B;
	if (prev->month_index >= now->month_index)          /* caller's mistake */
		return KBM_NONE;
	if (prev->month_index != now->month_index - 1)      /* 2. not weighed last month */
		return KBM_O;
	if (!weighed(prev->weight_kg))
		return KBM_O;
	kbm = kbm_min_gain_g(age_months);
	if (kbm < 0)
		return KBM_NONE;
	/* 3. and 4.: N when the gain is at least the KBM, else T. */
	return grams(now->weight_kg) - grams(prev->weight_kg) >= kbm ? KBM_N : KBM_T;
}

bool kbm_is_2t(enum kbm_status now, int now_month_index, enum kbm_status prev,
	       int prev_month_index)
{
	return now == KBM_T && prev == KBM_T && prev_month_index == now_month_index - 1;
}

static const struct {
	char letter;
	const char *en, *id;
} status_names[] = {
	[KBM_NONE] = { '-', N_("not judged"), "Tidak dinilai" },
	[KBM_N]    = { 'N', N_("grew (N)"), "Naik (N)" },
	[KBM_T]    = { 'T', N_("did not grow (T)"), "Tidak naik (T)" },
	[KBM_O]    = { 'O', N_("not weighed last month (O)"), "Tidak ditimbang bulan lalu (O)" },
	[KBM_B]    = { 'B', N_("first weighing (B)"), "Baru (B)" },
};

char kbm_status_letter(enum kbm_status s)
{
	return (unsigned)s <= KBM_B ? status_names[s].letter : '-';
}

const char *kbm_status_label(enum kbm_status s)
{
	return status_names[(unsigned)s <= KBM_B ? s : KBM_NONE].en;
}

const char *kbm_status_label_id(enum kbm_status s)
{
	return status_names[(unsigned)s <= KBM_B ? s : KBM_NONE].id;
}

/* ---- BGM and the orange line (domain.md 4.2) ---- */

/* The rounded weight-for-age z in hundredths, or INT_MIN when there is none
 * on the KMS (the KMS charts the WHO 2006 standards, 0-60 months). */
static long wfa_centi(const struct growth_result *r)
{
	if (!r || !r->ind[GROWTH_WFA].valid || r->ref != GROWTH_REF_WHO2006)
		return LONG_MIN;
	return growth_z_centi(r->ind[GROWTH_WFA].z);
}

bool kbm_bgm(const struct growth_result *r)
{
	long c = wfa_centi(r);
	return c != LONG_MIN && c < -300;       /* z < -3 SD */
}

bool kbm_above_orange(const struct growth_result *r)
{
	long c = wfa_centi(r);
	return c != LONG_MIN && c > 100;        /* z > +1 SD */
}

/* ---- MUAC / LILA (domain.md 4.4, 5.6) ----
 * The cut-offs are exact binary fractions, so comparing the entered value
 * with them is exact: 11.5 is moderate, 11.49 severe. */

enum kbm_muac kbm_muac_child(double muac_cm, int age_months)
{
	if (!isfinite(muac_cm) || muac_cm <= 0.0 || age_months < KBM_MUAC_MIN_MONTHS ||
	    age_months > KBM_MUAC_MAX_MONTHS)
		return KBM_MUAC_NONE;
	if (muac_cm < KBM_MUAC_SEVERE_BELOW_CM)
		return KBM_MUAC_SEVERE;
	if (muac_cm < KBM_MUAC_MODERATE_BELOW_CM)
		return KBM_MUAC_MODERATE;
	return KBM_MUAC_NORMAL;
}

static const struct {
	const char *key, *en, *id;
} muac_names[] = {
	[KBM_MUAC_NONE]     = { "", "", "" },
	[KBM_MUAC_NORMAL]   = { "normal", N_("MUAC normal"), "LiLA normal" },
	[KBM_MUAC_MODERATE] = { "moderate", N_("moderate acute malnutrition (MUAC 11.5 to < 12.5 cm)"),
				"Gizi kurang (LiLA 11,5 - < 12,5 cm)" },
	[KBM_MUAC_SEVERE]   = { "severe", N_("severe acute malnutrition (MUAC < 11.5 cm)"),
				"Gizi buruk (LiLA < 11,5 cm)" },
};

const char *kbm_muac_key(enum kbm_muac m)
{
	return muac_names[(unsigned)m <= KBM_MUAC_SEVERE ? m : KBM_MUAC_NONE].key;
}

const char *kbm_muac_label(enum kbm_muac m)
{
	return muac_names[(unsigned)m <= KBM_MUAC_SEVERE ? m : KBM_MUAC_NONE].en;
}

const char *kbm_muac_label_id(enum kbm_muac m)
{
	return muac_names[(unsigned)m <= KBM_MUAC_SEVERE ? m : KBM_MUAC_NONE].id;
}

bool kbm_lila_kek(double lila_cm)
{
	return isfinite(lila_cm) && lila_cm > 0.0 && lila_cm < KBM_LILA_KEK_BELOW_CM;
}

/* ---- Referral (domain.md 4.2) ---- */

const struct kbm_refer_info kbm_refer_reasons[] = {
	/* sourced kader rules: Buku KIA 2023 p. 54, nutrition surveillance training */
	{ KBM_REFER_T, "t", N_("weight did not increase (T)"), "Berat badan tidak naik (T)", true },
	{ KBM_REFER_2T, "2t", N_("did not grow two months in a row (2T)"),
	  "Tidak naik 2 kali berturut-turut (2T)", true },
	{ KBM_REFER_BGM, "bgm", N_("below the red line (BGM, weight-for-age < -3 SD)"),
	  "Di bawah garis merah (BGM)", true },
	{ KBM_REFER_ORANGE, "orange", N_("above the orange line (weight-for-age > +1 SD)"),
	  "Di atas garis oranye", true },
	/* clinical cut-offs (domain.md 4.3, 4.4, 5): check with the bidan */
	{ KBM_CHECK_WASTED, "wasted", N_("wasted (weight-for-length/height < -2 SD)"),
	  "Gizi kurang/buruk (BB/PB-TB < -2 SD)", false },
	{ KBM_CHECK_WFLH_HIGH, "wflh_high", N_("overweight (weight-for-length/height > +2 SD)"),
	  "Gizi lebih (BB/PB-TB > +2 SD)", false },
	{ KBM_CHECK_STUNTED, "stunted", N_("stunted, new finding (length/height-for-age < -2 SD)"),
	  "Pendek, temuan baru (PB-TB/U < -2 SD)", false },
	{ KBM_CHECK_MUAC, "muac", N_("MUAC below 12.5 cm"), "LiLA < 12,5 cm", false },
	{ KBM_CHECK_OEDEMA, "oedema", N_("bilateral oedema"), "Edema bilateral", false },
	{ KBM_CHECK_DANGER, "danger_sign", N_("danger sign in the mother"), "Tanda bahaya pada ibu", false },
	{ KBM_CHECK_KEK, "kek", N_("pregnant with LILA below 23.5 cm (KEK)"),
	  "Ibu hamil KEK (LiLA < 23,5 cm)", false },
	{ KBM_CHECK_BP, "bp", N_("blood pressure 140/90 or higher"), "Tekanan darah >= 140/90", false },
};
const size_t kbm_refer_reasons_len = sizeof kbm_refer_reasons / sizeof kbm_refer_reasons[0];

const struct kbm_refer_info *kbm_refer_info(unsigned bit)
{
	for (size_t i = 0; i < kbm_refer_reasons_len; i++)
		if (kbm_refer_reasons[i].bit == bit)
			return &kbm_refer_reasons[i];
	return NULL;
}

/* The rounded z of IND in hundredths, or 0 with *ok false. */
static long z_centi(const struct growth_result *r, enum growth_indicator ind, bool *ok)
{
	*ok = r && r->ind[ind].valid;
	return *ok ? growth_z_centi(r->ind[ind].z) : 0;
}

unsigned kbm_refer(const struct kbm_refer_input *in)
{
	unsigned why = 0;
	bool ok;
	long c;

	if (in->status == KBM_T)
		why |= KBM_REFER_T;
	if (in->two_t)
		why |= KBM_REFER_2T;
	if (kbm_bgm(in->growth))
		why |= KBM_REFER_BGM;
	if (kbm_above_orange(in->growth))
		why |= KBM_REFER_ORANGE;

	c = z_centi(in->growth, GROWTH_WFLH, &ok);
	if (ok && c < -200)
		why |= KBM_CHECK_WASTED;
	if (ok && c > 200)
		why |= KBM_CHECK_WFLH_HIGH;
	c = z_centi(in->growth, GROWTH_LHFA, &ok);
	if (ok && c < -200 && !in->stunting_known)
		why |= KBM_CHECK_STUNTED;
	if (kbm_muac_child(in->muac_cm, in->age_months) >= KBM_MUAC_MODERATE)
		why |= KBM_CHECK_MUAC;
	if (in->oedema)
		why |= KBM_CHECK_OEDEMA;
	if (in->danger_sign)
		why |= KBM_CHECK_DANGER;
	if (in->pregnant && kbm_lila_kek(in->lila_cm))
		why |= KBM_CHECK_KEK;
	if (in->bp_systolic_mmhg >= 140 || in->bp_diastolic_mmhg >= 90)
		why |= KBM_CHECK_BP;
	return why;
}
