/* core/ilp.h: Posyandu ILP (Integrasi Layanan Primer, domain.md §1.4,
 * §2.6, §2.7, §5.7; issue 14): the life-cycle group a person is in on a
 * day. Children under five keep the growth rules of core/desk.h and
 * pregnant women the maternal ones; everyone else is in one of four groups
 * by age in completed years on the visit's date. A child registered under
 * five stays the same person and moves into "school" by age. */
#ifndef POSYANDU_CORE_ILP_H
#define POSYANDU_CORE_ILP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/person.h"

enum ilp_group {
	ILP_NONE = 0,        /* under five, pregnant, or age unknown */
	ILP_SCHOOL,          /* 5-9 years */
	ILP_ADOLESCENT,      /* 10-18 */
	ILP_ADULT,           /* 19-59 */
	ILP_ELDERLY,         /* 60 and over */
	ILP__COUNT
};

/* The group of a person of KIND aged MONTHS completed months (< 0 when the
 * date of birth is unknown). A pregnant woman is in none; a woman (mother,
 * WUS) whose age is unknown counts as an adult. */
enum ilp_group ilp_group_for(enum person_kind kind, int months);

/* The group of P on DAY (a day number). */
enum ilp_group ilp_group_of(const struct person *p, int32_t day);

/* Can someone born on DOB be registered as a resident on TODAY? Five years
 * and over: a younger child is registered as a child (the growth rules),
 * at the desk and by `load people` alike. */
bool ilp_resident_age_ok(int32_t dob, int32_t today);

/* "school", "adolescent", "adult", "elderly"; "" for ILP_NONE. */
const char *ilp_group_code(enum ilp_group g);

/* ---- The judgement of a visit (domain.md §2.3-2.7, §4.2, §5.2-5.7) ----
 *
 * Every cut-off is in one named table, struct ilp_limits, whose defaults
 * (ilp_limits_default) cite their source; the ones domain.md marks
 * UNCONFIRMED are said so there. Comparisons are on whole numbers in the
 * units the visit stores (mmHg, mg/dL, mm, 0.1 g/dL), so a value exactly on
 * a cut-off goes where the rule's words put it ("< 18,5", "> 90 cm"). */

struct ilp_limits {
	/* Adult BMI in 0.1 kg/m2 (Permenkes 41/2014, domain.md §5.7), on the
	 * BMI rounded to one decimal as it is shown: thin below THIN, normal up
	 * to NORMAL_MAX, overweight up to OVER_MAX, obese above. */
	int bmi_thin_below, bmi_normal_max, bmi_over_max;
	/* Blood pressure, high at SYS or more, or DIA or more (mmHg). */
	int bp_sys_high, bp_dia_high;
	/* Blood glucose, high at (mg/dL) or more: fasting (GDP), random (GDS). */
	int glucose_fasting_high, glucose_random_high;
	/* Waist (central obesity), adults and elderly, high above (mm). */
	int waist_men_above_mm, waist_women_above_mm;
	/* Anaemia, Hb below (0.1 g/dL): WHO cut-offs by age and sex; the
	 * pregnant one is UNCONFIRMED (domain.md §5.6: 10,5 in trimester II). */
	int hb_5_11_below, hb_12_14_below, hb_women_below, hb_men_below, hb_pregnant_below;
	/* UNCONFIRMED (domain.md §5.7): total cholesterol high at (mg/dL) or
	 * more; uric acid high above (0.1 mg/dL). */
	int cholesterol_high;
	int uric_men_above, uric_women_above;
	/* PUMA COPD score: refer for spirometry at this score or more. */
	int puma_refer_from;
	/* Pregnant women: KEK at LILA below (mm) (domain.md §4.4, §5.6). */
	int lila_kek_below_mm;
};
extern const struct ilp_limits ilp_limits_default;
/* The limits ilp_assess uses when given none: set once at startup from the
 * configuration (app/app.c); until then ilp_limits_default. */
void ilp_limits_configure(const struct ilp_limits *l);
/* The limits ilp_assess uses when given none, now. */
const struct ilp_limits *ilp_limits_current(void);

/* BMI category: adults and elderly by the BMI itself, school-age and
 * adolescents by BMI-for-age z (WHO 2007, Permenkes 2/2020). */
enum ilp_bmi { ILP_BMI_NONE = 0, ILP_BMI_THIN, ILP_BMI_NORMAL, ILP_BMI_OVERWEIGHT, ILP_BMI_OBESE };

/* Elderly daily activities, Barthel index 0-20 (the Kemenkes levels). */
enum ilp_adl {
	ILP_ADL_NONE = 0,    /* not asked */
	ILP_ADL_INDEPENDENT, /* 20 */
	ILP_ADL_MILD,        /* 12-19 */
	ILP_ADL_MODERATE,    /* 9-11 */
	ILP_ADL_SEVERE,      /* 5-8 */
	ILP_ADL_TOTAL,       /* 0-4 */
};

/* What the panel, the follow-up list and the report act on: one bit each,
 * described in ilp_flags[] (label and what to do). */
enum ilp_flag {
	ILP_F_TB           = 1u << 0,   /* TB symptoms: refer */
	ILP_F_DANGER       = 1u << 1,   /* pregnancy danger sign: refer at once */
	ILP_F_PUMA         = 1u << 2,   /* PUMA score >= 6: refer for spirometry */
	ILP_F_BP_HIGH      = 1u << 3,
	ILP_F_GLUCOSE_HIGH = 1u << 4,
	ILP_F_ANAEMIA      = 1u << 5,
	ILP_F_MENTAL       = 1u << 6,   /* mental-health problem: counsel, refer */
	ILP_F_KPSP_DOUBT   = 1u << 7,   /* development doubtful or delayed */
	ILP_F_BMI_THIN     = 1u << 8,
	ILP_F_BMI_OVER     = 1u << 9,   /* overweight */
	ILP_F_BMI_OBESE    = 1u << 10,
	ILP_F_WAIST_HIGH   = 1u << 11,
	ILP_F_CHOLESTEROL  = 1u << 12,
	ILP_F_URIC         = 1u << 13,
	ILP_F_ADL          = 1u << 14,  /* dependent in daily activities */
	ILP_F_FALL         = 1u << 15,
	ILP_F_VISION       = 1u << 16,
	ILP_F_HEARING      = 1u << 17,
	ILP_F_RISKY        = 1u << 18,  /* alcohol, drugs or risky sex */
	ILP_F_SMOKER       = 1u << 19,
	ILP_F_DIET         = 1u << 20,  /* too much sugar, salt or fat */
	ILP_F_KEK          = 1u << 21,  /* pregnant, LILA < 23,5 cm */
	ILP_F_PP_VITA      = 1u << 22,  /* postpartum: a red capsule still to give */
	ILP_F_KB           = 1u << 23,  /* postpartum without family planning */
	ILP_F_ORS_ZINC     = 1u << 24,  /* diarrhoea without ORS and zinc */
	ILP_F_DEWORM_DUE   = 1u << 25,
	ILP_F_KPSP_DUE     = 1u << 26,
	ILP_F_IRON_WEEKLY  = 1u << 27,  /* adolescent girl without her weekly iron tablet */
};

struct ilp_flag_info {
	unsigned bit;
	const char *key;        /* stable, for JSON and tests: "tb", "bp_high", ... */
	const char *label;      /* English msgid: what was found */
	const char *todo;       /* English msgid: what to do */
	bool refer;             /* "Rujuk ke puskesmas" where the rule says so */
};
extern const struct ilp_flag_info ilp_flags[];
extern const size_t ilp_flags_len;
const struct ilp_flag_info *ilp_flag_info(unsigned bit);   /* NULL if unknown */

struct ilp_result {
	enum ilp_group group;   /* on the visit's date */
	int age_years;          /* completed years; -1 unknown */
	enum ilp_bmi bmi;
	int bmi_d;              /* BMI in 0.1 kg/m2 (rounded), 0 when not computable */
	bool bmi_z_valid;
	long bmi_z_centi;       /* BMI-for-age z in hundredths (school, adolescent) */
	int puma;               /* PUMA score 0-9, -1 not scored */
	enum ilp_adl adl;
	/* Pregnancy from HPHT (Naegele): due date HPHT + 280 days and the
	 * gestational age in completed weeks on the visit's date. */
	int32_t due_date;       /* DATE_NONE without HPHT */
	int gest_weeks;         /* -1 without HPHT */
	unsigned flags;         /* enum ilp_flag bits */
	unsigned refer;         /* of FLAGS, those with ilp_flag_info.refer */
};

/* Judge visit V of P with LIMITS (NULL: ilp_limits_default). Only V is
 * read: what needs the history (deworming this round, the next Td) is
 * below. Flags apply by person and age: under-fives get the children's,
 * pregnant and postpartum women the maternal ones, the groups theirs. */
void ilp_assess(const struct person *p, const struct visit *v, const struct ilp_limits *limits,
		struct ilp_result *out);

/* The pieces, exposed for tests and the report. */
enum ilp_bmi ilp_bmi_adult(int bmi_d, const struct ilp_limits *l);
enum ilp_bmi ilp_bmi_for_age(long z_centi);
/* BMI in 0.1 kg/m2 rounded half up, 0 without weight or height. */
int ilp_bmi_d(uint32_t weight_g, uint16_t height_mm);
bool ilp_bp_high(int sys, int dia, const struct ilp_limits *l);
bool ilp_glucose_high(int mgdl, bool fasting, const struct ilp_limits *l);
bool ilp_waist_high(enum ilp_group g, char sex, int waist_mm, const struct ilp_limits *l);
/* Hb cut-off (0.1 g/dL) for a person of AGE_YEARS, SEX, pregnant or not;
 * 0 when there is none (under five, or sex unknown from 15). */
int ilp_hb_cutoff(int age_years, char sex, bool pregnant, const struct ilp_limits *l);
/* PUMA (sex, age band, pack-years, breath, phlegm, cough, spirometry
 * before): 0-9, or -1 when no item was answered. */
int ilp_puma_score(char sex, int age_years, const struct visit *v);
enum ilp_adl ilp_adl_level(int barthel);     /* 0-20; NONE outside */
/* Development screening (KPSP) ages, in completed months. */
bool ilp_kpsp_age(int months);
/* Deworming is due for a child of 12-59 MONTHS in February and August
 * (MONTH 1-12) unless GIVEN this round. */
bool ilp_deworm_due(int months, int month, bool given);
/* After Td status T1..T4 reached on SINCE, the next dose and the first day
 * it may be given (domain.md §5.1: T2 4 weeks after T1, T3 6 months after
 * T2, T4 and T5 a year after the one before). *DOSE 0 after T5 or without
 * a status; *DUE DATE_NONE when SINCE is unknown. */
void ilp_td_next(int status, int32_t since, int *dose, int32_t *due);

#endif
