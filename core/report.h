/* core/report.h: the monthly posyandu report (SKDN and the rest of
 * domain.md §6.1), the follow-up lists (§6.3), the D/S and N/D trend and the
 * session evidence for accreditation (§6.4), computed over plain arrays of
 * people, visits and sessions. Pure: no I/O, no library header, so the
 * district server can run it unchanged over merged data.
 *
 * Every definition edge is decided here once (report.c cites the rule):
 *   - the reference day of a month is its last day, or an earlier "as of"
 *     day the caller passes (a month still running); visits after it do not
 *     exist for the report;
 *   - S: children (kind child) with a date of birth, 0-59 completed months
 *     on the reference day, and registered by then (registration date on or
 *     before it, unknown, or any visit on or before it: a child who was
 *     weighed is in the area whatever the registration date says);
 *   - age groups 0-5, 6-11, 12-23, 24-59 completed months on the reference
 *     day, for S and for everything counted among S;
 *   - a child weighed twice in a month is judged on the last weighing of the
 *     month (latest date; on the same date the greater visit uuid), against
 *     the last weighing of an earlier month;
 *   - N/T/O/B come from desk_assess() (core/desk.h). At age 0 completed
 *     months desk_assess() has no KBM; when last month's weighing exists the
 *     child is judged with the 1-month KBM (800 g): on the KMS the calendar
 *     month after the birth month is column 1, whose KBM is 800 g. So every
 *     child of D is N, T, O or B and D = N + T + O + B holds.
 */
#ifndef POSYANDU_CORE_REPORT_H
#define POSYANDU_CORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/growth.h"
#include "core/ilp.h"
#include "core/person.h"

/* ---- input ---- */

/* Borrowed arrays: they must outlive the report_data built on them. Visits
 * of a person not in PEOPLE are ignored. */
struct report_input {
	const struct person *people;
	size_t npeople;
	const struct visit *visits;
	size_t nvisits;
	const struct session *sessions;
	size_t nsessions;
};

/* The people and visits indexed once (by person, by date), reused for
 * several months: the trend and the screens ask for many. */
struct report_data;
struct report_data *report_data_new(const struct report_input *in, struct err *err);
void report_data_free(struct report_data *d);          /* NULL is fine */

/* Last day of MONTH (a date_month_index()). */
int32_t report_month_last_day(int month);

/* The reference day of a monthly report, one rule on the device and at the
 * district: the last day of MONTH, whenever the report is made, so that a
 * month's figures depend on what was recorded and never on the day they
 * were printed (a child who turns 60 months later in a running month is
 * already out of S). A month after TODAY's is refused (ERR_RANGE, field
 * "month-future"). */
int report_ref_day(int month, int32_t today, int32_t *ref, struct err *err);

/* ---- SKDN (domain.md §3.3, §3.4) ---- */

enum report_sex { REPORT_SEX_L, REPORT_SEX_P, REPORT__SEXES };
enum report_age { REPORT_AGE_0_5, REPORT_AGE_6_11, REPORT_AGE_12_23, REPORT_AGE_24_59,
		  REPORT__AGES };
const char *report_age_key(enum report_age a);        /* "0-5", "6-11", "12-23", "24-59" */
/* The group of AGE_MONTHS completed months; -1 outside 0-59. */
int report_age_group(int age_months);

struct report_skdn {
	int s, k, d, n, t, o, b;
	int t2;                    /* 2T */
	int bgm;
	int age0;                  /* of N + T: judged at age 0 with the 1-month KBM */
	int unjudged;              /* of D: not N, T, O or B (0 unless the data is broken) */
};

/* Ratios of domain.md §3.4, as percentages. */
enum report_ratio {
	REPORT_RATIO_KS,           /* K / S, programme coverage */
	REPORT_RATIO_DS,           /* D / S, community participation */
	REPORT_RATIO_DK,           /* D / K, continuity of weighing */
	REPORT_RATIO_ND,           /* N / D, programme success (the default) */
	REPORT_RATIO_ND2,          /* N / D', D' = D - O - B (weighed this and last month) */
	REPORT_RATIO_BGMD,         /* BGM / D */
	REPORT_RATIO_2TD,          /* 2T / D */
	REPORT__RATIOS
};
struct report_ratio_info {
	const char *key;           /* stable: "K/S", "D/S", "D/K", "N/D", "N/D'", "BGM/D", "2T/D" */
	const char *num, *den;     /* "K", "S" ... ("D'" for D - O - B) */
};
const struct report_ratio_info *report_ratio_info(enum report_ratio r);
/* NUM / DEN * 100 of R for X, with *NUM and *DEN set (either may be NULL);
 * a negative value when DEN is 0 (no ratio). */
double report_ratio(const struct report_skdn *x, enum report_ratio r, int *num, int *den);

/* ---- the rest of the monthly report (domain.md §6.1) ---- */

/* Nutritional status by Permenkes 2/2020 (domain.md §4.3) among children of
 * S measured this month: for each index, the last visit of the month with a
 * valid z-score. Prevalence denominators are the children measured. */
enum report_index { REPORT_WFA, REPORT_LHFA, REPORT_WFLH, REPORT__INDICES };
struct report_status {
	int measured[REPORT__INDICES];
	int cat[GROWTH_CAT__COUNT];        /* children per category */
	int underweight;                   /* BB/U z < -2 (incl. severely) */
	int stunted;                       /* PB-TB/U z < -2 (incl. severely) */
	int wasted;                        /* BB/PB-TB z < -2 (incl. severely) */
	int overweight;                    /* BB/PB-TB z > +2 (incl. obese) */
};

/* Exclusive breastfeeding (domain.md §5.4, app rule):
 * (a) recall: children of S seen this month at 0-5 completed months (age at
 *     the visit) whose recall was asked; the last such visit counts;
 * (b) completed: children of S whose 6-month birthday falls in the month
 *     (5 completed months the day before the month, 6 on the reference day),
 *     with the from-birth flag: true while no recall at 0-5 months was "no".
 *     Children with no recall at all at 0-5 months cannot be judged and are
 *     counted apart (unrecorded), outside the percentage. */
struct report_asi {
	/* Unanswered is not an answer: a child seen this month whose question
	 * was not answered is in *_unrecorded, in neither numerator nor
	 * denominator. */
	int recall_asked, recall_yes, recall_unrecorded;   /* children 0-5 months */
	int turned6, turned6_unrecorded, turned6_exclusive;
	/* Breastfeeding continued to 2 years (domain.md §5.4, "continue to 2
	 * years"; Perpres 72/2021 MP-ASI indicator): children of S aged 6-23
	 * months asked this month whether they are still breastfed (the last
	 * visit of the month that asked), and of those, yes. */
	int bf_asked, bf_yes, bf_unrecorded;
};
/* The working-mother split (seed 002): the mother's record (child.mother ->
 * person.works); without a linked mother record, the child record's own
 * answer (set by register imports). "Other" is a recorded no; a mother
 * never asked counts apart, in neither. */
enum report_mother { REPORT_MOTHER_ALL, REPORT_MOTHER_WORKS, REPORT_MOTHER_OTHER,
		     REPORT_MOTHER_UNRECORDED, REPORT__MOTHERS };

/* Vitamin A (domain.md §5.2): only February and August are campaign
 * months. Blue target: children of S aged 6-11 months on the reference day
 * who had no blue capsule before the month (blue is given once); given: of
 * those, a blue capsule this month. Red target: 12-59 months; given: a red
 * capsule this month. Capsules of any colour given in the month are counted
 * in every month. */
struct report_vita {
	bool campaign;
	int blue_target, blue_given, red_target, red_given;
	int capsules_blue, capsules_red;
};

/* IDL, complete basic immunisation (domain.md §5.1): one named, configurable
 * set. A child completes IDL in the month when the visit that gives the
 * last missing antigen of the set is in the month and the child is under 12
 * completed months then; completing later is counted apart (late). */
extern const enum imm_antigen report_idl[];
extern const size_t report_idl_len;
uint32_t report_idl_mask(void);

/* Pregnant women (domain.md §5.6, §6.1). A pregnancy visit is a visit of a
 * woman recorded as pregnant, or of any woman with weeks of pregnancy
 * recorded (she may be registered as a mother since). */
struct report_pregnant {
	int seen;                  /* women with a pregnancy visit this month */
	int registered;            /* pregnant women registered this month */
	int lila_measured;         /* of seen: LILA at the last visit with one */
	int kek;                   /* of those: LILA < 23.5 cm (23.5 is not KEK) */
	int iron_women;            /* given iron tablets (TTD) this month */
	int iron_tablets;          /* tablets given */
	int danger;                /* with a danger sign ticked this month */
};

#define REPORT_MAX_KADER 64
/* Visitors (SIP format 5) and kader. Visitors are distinct people with a
 * visit this month that is not a home visit. */
struct report_visitors {
	int sessions;              /* opening days in the month */
	int kader_days;            /* kader on duty summed over the sessions */
	int n_kader;               /* distinct kader on duty */
	uint8_t kader[REPORT_MAX_KADER][UUID_LEN];   /* user uuids; the caller labels them */
	int children, pregnant, women;
	int home_visits;           /* visits marked as home visits */
	int counselling;           /* visits with breastfeeding counselling */
};

/* Posyandu ILP (issue 14): per life-cycle group (core/ilp.h, by age on
 * the visit's date), counts over the people of the group with a visit in
 * the month, each judged by ilp_assess() on the last visit of the month
 * (latest date, then greatest uuid). Children under five and pregnant
 * women are in no group; a visit that belongs to a pregnancy (any woman
 * with weeks of pregnancy, as struct report_pregnant) is not counted
 * either. Someone without weight or height is in none of the four BMI
 * counts; waist_high is 0 for school and adolescent by the rule itself. */
enum report_ilp_count {
	REPORT_ILP_VISITED, REPORT_ILP_BMI_THIN, REPORT_ILP_BMI_NORMAL, REPORT_ILP_BMI_OVERWEIGHT,
	REPORT_ILP_BMI_OBESE, REPORT_ILP_BP_HIGH, REPORT_ILP_GLUCOSE_HIGH, REPORT_ILP_WAIST_HIGH,
	REPORT_ILP_ANAEMIA, REPORT_ILP_TB_SUSPECT, REPORT_ILP_SMOKER,
	REPORT__ILP_COUNTS
};
/* "visited", "bmi_thin", ..., "smoker": the keys of JSON and CSV. */
extern const char *const report_ilp_keys[REPORT__ILP_COUNTS];
struct report_ilp {
	int n[REPORT__ILP_COUNTS];
};
/* The groups reported, in order: school, adolescent, adult, elderly. */
#define REPORT_ILP_FIRST ILP_SCHOOL

struct report_monthly {
	int month;                         /* date_month_index() */
	int32_t first_day, ref_day;
	struct report_skdn all;            /* whole posyandu, both sexes, 0-59 months */
	struct report_skdn by[REPORT__SEXES][REPORT__AGES];
	struct report_status status;
	struct report_asi asi[REPORT__MOTHERS];
	struct report_vita vita;
	int imm_doses[IMM__COUNT];         /* doses per antigen given to children */
	int idl_complete, idl_late;
	struct report_pregnant preg;
	struct report_visitors visitors;
	struct report_ilp ilp[ILP__COUNT];  /* by enum ilp_group; [ILP_NONE] stays 0 */
};

/* Compute MONTH as of REF_DAY (the last day of the month, or an earlier
 * day in it; DATE_NONE for the last day). */
int report_monthly(const struct report_data *d, int month, int32_t ref_day,
		   struct report_monthly *out, struct err *err);

/* SKDN sums: X += Y. */
void report_skdn_add(struct report_skdn *x, const struct report_skdn *y);
/* X += Y, every count of the monthly report: how the district's row sums
 * its posyandu (kader on duty counted once). */
void report_monthly_add(struct report_monthly *x, const struct report_monthly *y);

/* ---- follow-up lists (domain.md §6.3) ---- */

enum report_reason {
	REPORT_R_2T          = 1u << 0,   /* T now and at last month's weighing */
	REPORT_R_T           = 1u << 1,   /* T now (not 2T) */
	REPORT_R_BGM         = 1u << 2,   /* BB/U < -3 SD at this month's weighing */
	REPORT_R_WASTED      = 1u << 3,   /* BB/PB-TB < -2 SD, measured this month */
	REPORT_R_STUNTED     = 1u << 4,   /* PB-TB/U < -2 SD at the latest length */
	REPORT_R_NOT_WEIGHED = 1u << 5,   /* in S, not in D */
	REPORT_R_IMM_OVERDUE = 1u << 6,   /* due now and already due a month ago */
	REPORT_R_VITA_MISSED = 1u << 7,   /* campaign month, in a target, no capsule */
	REPORT_R_ASI_WORKING = 1u << 8,   /* 0-5 months, working mother, flag broken */
	REPORT_R_KEK         = 1u << 9,   /* pregnant, LILA < 23.5 cm this month */
	REPORT_R_DANGER      = 1u << 10,  /* pregnant, danger sign this month */
	/* Posyandu ILP (core/ilp.h), judged on the last visit of the month */
	REPORT_R_BP_HIGH     = 1u << 11,  /* blood pressure >= 140/90 */
	REPORT_R_GLUCOSE_HIGH = 1u << 12, /* fasting >= 126 or random >= 200 mg/dL */
	REPORT_R_ANAEMIA     = 1u << 13,  /* Hb below the WHO cut-off */
	REPORT_R_TB          = 1u << 14,  /* TB symptoms */
	REPORT_R_PUMA        = 1u << 15,  /* PUMA score >= 6 */
	REPORT_R_REFER       = 1u << 16,  /* another ILP finding that refers (core/ilp.h
	                                     ilp_flags[].refer): mental health, vision,
	                                     hearing, development (KPSP), danger sign */
};
#define REPORT_R_LAST REPORT_R_REFER
struct report_reason_info {
	unsigned bit;
	const char *key;           /* stable: "2t", "t", "bgm", ... */
};
extern const struct report_reason_info report_reasons[];
extern const size_t report_reasons_len;

struct report_followup_row {
	const struct person *p;            /* borrowed from the input */
	const struct person *mother;       /* the linked mother record, or NULL */
	int age_months;                    /* on the reference day; -1 unknown */
	unsigned reasons;                  /* enum report_reason bits */
	uint32_t imm_overdue;              /* antigen bits */
	int32_t last_visit;                /* latest visit up to the reference day, or DATE_NONE */
};
struct report_followup {
	int month;
	int32_t ref_day;
	struct report_followup_row *rows;  /* sorted by RW, RT, name */
	size_t n;
};
/* One line per person with at least one reason. Free with _release. */
int report_followup(const struct report_data *d, int month, int32_t ref_day,
		    struct report_followup *out, struct err *err);
void report_followup_release(struct report_followup *f);
/* The mother's name of a row: the linked record's, else the child's text. */
const char *report_mother_name(const struct report_followup_row *r);

/* ---- trend (12 months of D/S and N/D) ---- */

struct report_trend_point {
	int month;
	int s, k, d, n, o, b;
};
/* N months ending with LAST (oldest first) into OUT[N]. */
int report_trend(const struct report_data *d, int last, int n, struct report_trend_point *out,
		 struct err *err);

/* ---- session evidence (domain.md §1.2, §6.4) ---- */

struct report_session_row {
	const struct session *x;           /* borrowed */
	int children, pregnant, women;     /* seen on the session's date, not home visits */
	int counselling;                   /* counselling given on that date */
};
struct report_session_month {
	int month;
	int sessions, kader_days;
	int children, pregnant, women;     /* distinct visitors in the month */
	int home_visits, counselling;
};
struct report_sessions {
	struct report_session_row *rows;   /* by date */
	size_t n;
	struct report_session_month *months;   /* FROM..TO, every month */
	size_t nmonths;
};
/* Sessions from month FROM to TO (inclusive). Free with _release. */
int report_sessions(const struct report_data *d, int from, int to, struct report_sessions *out,
		    struct err *err);
void report_sessions_release(struct report_sessions *r);

#endif
