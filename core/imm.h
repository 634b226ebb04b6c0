/* core/imm.h: the routine immunisation schedule (domain.md §5.1, Indonesia
 * 2023-2024) and vitamin A rounds (§5.2), as data: what is due for a child. */
#ifndef POSYANDU_CORE_IMM_H
#define POSYANDU_CORE_IMM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/person.h"

/* One step of the schedule: the antigens first due at AGE_MONTHS. */
struct imm_step {
	int age_months;
	uint32_t antigens;         /* bits (1u << enum imm_antigen) */
};
extern const struct imm_step imm_schedule[];
extern const size_t imm_schedule_len;

/* JE is given only in endemic areas (2023: Bali, West Kalimantan): not
 * offered unless the caller asks for it. */
#define IMM_ENDEMIC_ONLY (1u << IMM_JE)

/* Antigens due at AGE_MONTHS (completed) and not in GIVEN. */
uint32_t imm_due(int age_months, uint32_t given);

/* Vitamin A (domain.md §5.2): in February and August, blue 100,000 IU once
 * for 6-11 months, red 200,000 IU for 12-59 months. MONTH is 1-12; BLUE_EVER
 * whether a blue capsule was ever given; THIS_ROUND whether any capsule was
 * given in this calendar month. */
enum vitamin_a vita_due(int age_months, int month, int blue_ever, int this_round);

/* Minimum ages and intervals (domain.md §5.1, WHO Table 2 adapted to the
 * Indonesian schedule), as data: a dose below its minimum age or interval
 * is not valid. Ages and intervals are a number of days and of completed
 * months, both to be reached. */
struct imm_rule {
	enum imm_antigen antigen;
	int min_days, min_months;      /* minimum age */
	int prev;                      /* the dose before it in the series, -1: none */
	int gap_days, gap_months;      /* minimum interval from PREV */
	int max_days, max_months;      /* too old from this age (-1: never) */
	int catchup_from_months;       /* MIN_MONTHS not reached but this is: a catch-up
					  with a reason (-1: refused) */
	int sched_months;              /* before this age a catch-up (-1: none) */
	int late_months;               /* from this age a catch-up (-1: none) */
};
extern const struct imm_rule imm_rules[];
extern const size_t imm_rules_len;

enum imm_verdict {
	IMM_OK,
	IMM_TOO_YOUNG,                 /* refused: below the minimum age */
	IMM_TOO_OLD,                   /* refused: HB0 after 7 days, RV after 6 m 29 d */
	IMM_TOO_SOON,                  /* refused: within the interval from the dose before */
	IMM_CATCHUP_EARLY,             /* a catch-up: needs a reason */
	IMM_CATCHUP_LATE,
};
/* ANTIGEN given on DAY to a child born DOB, the dose before it in the
 * series given on PREV_DAY (DATE_NONE: not recorded). *RULE the rule
 * that decided, when not NULL. */
enum imm_verdict imm_check_dose(enum imm_antigen antigen, int32_t dob, int32_t day, int32_t prev_day,
				const struct imm_rule **rule);

/* A capsule COLOUR given at AGE_MONTHS in MONTH (1-12); BLUE_BEFORE a blue
 * one was given before. */
enum vita_verdict {
	VITA_OK,
	VITA_WRONG_AGE,                /* refused: blue outside 6-11, red outside 12-59 months */
	VITA_BLUE_AGAIN,               /* refused: blue is given once */
	VITA_OFF_MONTH,                /* not February or August: a catch-up with a reason */
};
enum vita_verdict vita_check(enum vitamin_a colour, int age_months, int month, int blue_before);

/* Vaccine codes separated by blanks or commas ("BCG Polio1", domain.md
 * §5.1) into antigen bits. -1 with ERR_FORMAT (field "imm", the code as
 * detail) at the first unknown code; *OUT then holds the codes before it. */
int imm_parse(const char *s, uint32_t *out, struct err *err);
/* Antigen bits as their codes, separated by a blank, into BUF. */
void imm_format(uint32_t bits, char *buf, size_t size);

#endif
