/* core/kbm.h: the KMS rules a kader applies at desk 3 (domain.md 4.1, 4.2,
 * 4.4, 5.6): the monthly weight-gain judgement N / T / O / B with the KBM
 * table, 2T, BGM, the MUAC and LILA cut-offs, and the referral rule
 * ("rujuk ke puskesmas"). Pure computation, no I/O. */
#ifndef POSYANDU_CORE_KBM_H
#define POSYANDU_CORE_KBM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/growth.h"

/* ---- N / T / O / B (domain.md 4.1) ---- */

enum kbm_status {
	KBM_NONE = 0,   /* not judged: no weight now, or N/T needed but no KBM for the age
	                   (age 0 completed months, or over 60) */
	KBM_N,          /* naik: gain >= KBM since last month's weighing */
	KBM_T,          /* tidak naik: gain < KBM since last month's weighing */
	KBM_O,          /* weighed before, but not in the previous calendar month */
	KBM_B,          /* baru: first weighing ever */
};

/* The KBM table (kenaikan berat badan minimal, minimum monthly gain): one
 * named table, as domain.md 4.1 asks. Months 7 and 11 are UNCONFIRMED; this
 * is transcription A (6-7 = 400 g, 8-11 = 300 g, 12+ = 200 g). Check it
 * against a printed KMS (Permenkes 155/2010 annex) before release. */
#define KBM_TRANSCRIPTION "A"
struct kbm_row {
	int from_months, to_months;   /* completed months, inclusive */
	int min_gain_g;
};
extern const struct kbm_row kbm_table[];
extern const size_t kbm_table_len;

/* Minimum gain in grams for a child of AGE_MONTHS completed months at this
 * month's weighing; -1 when there is none (age 0, or over 60 months). */
int kbm_min_gain_g(int age_months);

struct kbm_weighing {
	int month_index;     /* date_month_index() of the visit */
	double weight_kg;    /* <= 0 or NAN: not weighed */
};

/* Judge NOW for a child of AGE_MONTHS completed months (date_age_months()).
 * PREV is the latest weighing in an earlier calendar month, NULL if there
 * was none ever. Decision order of domain.md 4.1: B, O, then N if the gain
 * (in whole grams) is at least the KBM, else T. */
enum kbm_status kbm_judge(const struct kbm_weighing *now, int age_months,
			  const struct kbm_weighing *prev);

/* 2T (domain.md 4.2): T now and T at the immediately preceding weighing,
 * when that weighing was last month. */
bool kbm_is_2t(enum kbm_status now, int now_month_index, enum kbm_status prev,
	       int prev_month_index);

char kbm_status_letter(enum kbm_status s);       /* 'N', 'T', 'O', 'B', '-' */
const char *kbm_status_label(enum kbm_status s); /* English msgid */
const char *kbm_status_label_id(enum kbm_status s);

/* ---- BGM and the orange line (domain.md 4.2), on the rounded z ---- */

/* Below the red line: weight-for-age z < -3 (WHO 2006, 0-60 months). The
 * -3 SD line is UNCONFIRMED (domain.md 4.2); a warning, not a diagnosis. */
bool kbm_bgm(const struct growth_result *r);
/* Above the orange line: weight-for-age z > +1 (UNCONFIRMED, domain.md 4.2). */
bool kbm_above_orange(const struct growth_result *r);

/* ---- MUAC (LiLA) cut-offs (domain.md 4.4, 5.6) ---- */

#define KBM_MUAC_SEVERE_BELOW_CM   11.5   /* children 6-59 months: gizi buruk */
#define KBM_MUAC_MODERATE_BELOW_CM 12.5   /* 11.5 to < 12.5: gizi kurang */
#define KBM_MUAC_MIN_MONTHS 6
#define KBM_MUAC_MAX_MONTHS 59
#define KBM_LILA_KEK_BELOW_CM      23.5   /* pregnant women: KEK */

enum kbm_muac {
	KBM_MUAC_NONE = 0,     /* no value, or age outside 6-59 completed months */
	KBM_MUAC_NORMAL,
	KBM_MUAC_MODERATE,     /* 11.5 <= MUAC < 12.5 */
	KBM_MUAC_SEVERE,       /* MUAC < 11.5 */
};
enum kbm_muac kbm_muac_child(double muac_cm, int age_months);
const char *kbm_muac_key(enum kbm_muac m);       /* "normal", "moderate", "severe", "" */
const char *kbm_muac_label(enum kbm_muac m);     /* English msgid */
const char *kbm_muac_label_id(enum kbm_muac m);
/* Chronic energy deficiency of a pregnant woman: LILA < 23.5 cm. */
bool kbm_lila_kek(double lila_cm);

/* ---- Referral (domain.md 4.2) ----
 * The low byte holds the sourced kader referral rules ("rujuk ke
 * puskesmas": T, 2T, BGM and the Buku KIA 2023 rule's orange line); the
 * second byte the clinical cut-offs of 4.3, 4.4 and 5, offered as "check
 * with the bidan" ("periksa ke bidan"). */
enum kbm_refer {
	KBM_REFER_T          = 1u << 0,
	KBM_REFER_2T         = 1u << 1,
	KBM_REFER_BGM        = 1u << 2,
	KBM_REFER_ORANGE     = 1u << 3,
	KBM_CHECK_WASTED     = 1u << 8,    /* BB/PB-TB < -2 */
	KBM_CHECK_WFLH_HIGH  = 1u << 9,    /* BB/PB-TB > +2 */
	KBM_CHECK_STUNTED    = 1u << 10,   /* PB-TB/U < -2, new finding */
	KBM_CHECK_MUAC       = 1u << 11,   /* MUAC < 12.5 cm, 6-59 months */
	KBM_CHECK_OEDEMA     = 1u << 12,   /* bilateral oedema */
	KBM_CHECK_DANGER     = 1u << 13,   /* a danger sign in the mother */
	KBM_CHECK_KEK        = 1u << 14,   /* pregnant, LILA < 23.5 cm */
	KBM_CHECK_BP         = 1u << 15,   /* BP >= 140/90 */
};
#define KBM_REFER_KADER_MASK 0x00ffu
#define KBM_REFER_BIDAN_MASK 0xff00u

struct kbm_refer_input {
	const struct growth_result *growth;  /* the child's z-scores, or NULL */
	enum kbm_status status;              /* this month's judgement */
	bool two_t;                          /* kbm_is_2t() */
	bool oedema;                         /* bilateral oedema */
	double muac_cm;                      /* child; <= 0 or NAN: not measured */
	int age_months;                      /* child, completed months; < 0 unknown */
	bool stunting_known;                 /* stunting found before: not new */
	bool pregnant;
	double lila_cm;                      /* mother; <= 0 or NAN: not measured */
	bool danger_sign;                    /* a pregnancy danger sign was ticked */
	int bp_systolic_mmhg, bp_diastolic_mmhg;   /* 0: not measured */
};

/* The set of reasons (enum kbm_refer bits); 0 when none holds. */
unsigned kbm_refer(const struct kbm_refer_input *in);

struct kbm_refer_info {
	unsigned bit;
	const char *key;        /* stable: "t", "2t", "bgm", ... */
	const char *label_en;   /* English msgid */
	const char *label_id;
	bool kader;             /* true: sourced kader rule; false: check with bidan */
};
extern const struct kbm_refer_info kbm_refer_reasons[];
extern const size_t kbm_refer_reasons_len;
const struct kbm_refer_info *kbm_refer_info(unsigned bit);   /* NULL if unknown */

#endif
