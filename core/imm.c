/* core/imm.c: the schedule table, what is due, and the codes as text. */
#include "core/imm.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/banned.h"

#define A(x) (1u << IMM_##x)

/* domain.md §5.1 (Kemenkes 2022 PCV policy slides; rotavirus circular
 * IM.02.02/C/3052/2023; IPV2 national from 2023). */
const struct imm_step imm_schedule[] = {
	{ 0, A(HB0) },
	{ 1, A(BCG) | A(OPV1) },
	{ 2, A(DPT1) | A(OPV2) | A(PCV1) | A(RV1) },
	{ 3, A(DPT2) | A(OPV3) | A(PCV2) | A(RV2) },
	{ 4, A(DPT3) | A(OPV4) | A(IPV1) | A(RV3) },
	{ 9, A(MR1) | A(IPV2) },
	{ 10, A(JE) },
	{ 12, A(PCV3) },
	{ 18, A(DPT4) | A(MR2) },
};
const size_t imm_schedule_len = sizeof imm_schedule / sizeof imm_schedule[0];

/* Rotavirus: the last dose no later than 6 months 29 days (same circular):
 * after that it is no longer due. HB0 is a birth dose (within 24 h, up to
 * 7 days in practice): not offered from the first month on. */
uint32_t imm_due(int age_months, uint32_t given)
{
	uint32_t due = 0;

	for (size_t i = 0; i < imm_schedule_len; i++)
		if (imm_schedule[i].age_months <= age_months)
			due |= imm_schedule[i].antigens;
	due &= ~IMM_ENDEMIC_ONLY;
	if (age_months >= 7)
		due &= ~(A(RV1) | A(RV2) | A(RV3));
	if (age_months >= 1)
		due &= ~A(HB0);
	return due & ~given;
}

enum vitamin_a vita_due(int age_months, int month, int blue_ever, int this_round)
{
	if ((month != 2 && month != 8) || this_round)
		return VITA_NONE;
	if (age_months >= 6 && age_months <= 11)
		return blue_ever ? VITA_NONE : VITA_BLUE;
	if (age_months >= 12 && age_months <= 59)
		return VITA_RED;
	return VITA_NONE;
}

/* domain.md §5.1 "Minimum ages and intervals". HB0 up to 7 days
 * (Indonesian practice, UNCONFIRMED bound); MR1 from 6 months only as an
 * outbreak dose (a catch-up, with its reason); MR2 before the Indonesian
 * 18 months and BCG after 12 months are catch-ups. */
#define W(n) ((n) * 7)
#define NONE -1
const struct imm_rule imm_rules[] = {
	/* antigen    min age      prev       interval      too old   catch-up sched late */
	{ IMM_HB0,  0, 0,        NONE, 0, 0,        7, NONE,  NONE, NONE, NONE },
	{ IMM_BCG,  0, 0,        NONE, 0, 0,        NONE, NONE, NONE, NONE, 12 },
	{ IMM_OPV1, 0, 0,        NONE, 0, 0,        NONE, NONE, NONE, NONE, NONE },
	{ IMM_OPV2, W(6), 0,     IMM_OPV1, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_OPV3, W(6), 0,     IMM_OPV2, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_OPV4, W(6), 0,     IMM_OPV3, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_DPT1, W(6), 0,     NONE, 0, 0,        NONE, NONE, NONE, NONE, NONE },
	{ IMM_DPT2, W(6), 0,     IMM_DPT1, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_DPT3, W(6), 0,     IMM_DPT2, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_DPT4, 0, 12,       IMM_DPT3, 0, 6,    NONE, NONE, NONE, NONE, NONE },
	{ IMM_PCV1, W(6), 0,     NONE, 0, 0,        NONE, NONE, NONE, NONE, NONE },
	{ IMM_PCV2, W(6), 0,     IMM_PCV1, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_PCV3, 0, 9,        IMM_PCV2, W(8), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_RV1,  W(6), 0,     NONE, 0, 0,        NONE, 7,    NONE, NONE, NONE },
	{ IMM_RV2,  W(6), 0,     IMM_RV1, W(4), 0,  NONE, 7,    NONE, NONE, NONE },
	{ IMM_RV3,  W(6), 0,     IMM_RV2, W(4), 0,  NONE, 7,    NONE, NONE, NONE },
	{ IMM_IPV1, W(14), 0,    NONE, 0, 0,        NONE, NONE, NONE, NONE, NONE },
	{ IMM_IPV2, 0, 9,        IMM_IPV1, W(4), 0, NONE, NONE, NONE, NONE, NONE },
	{ IMM_MR1,  0, 9,        NONE, 0, 0,        NONE, NONE, 6,    NONE, NONE },
	{ IMM_MR2,  0, 0,        IMM_MR1, W(4), 0,  NONE, NONE, NONE, 18, NONE },
	{ IMM_JE,   0, 9,        NONE, 0, 0,        NONE, NONE, NONE, NONE, NONE },
};
const size_t imm_rules_len = sizeof imm_rules / sizeof imm_rules[0];
#undef W
#undef NONE

/* FROM to TO is at least DAYS days and MONTHS completed months. */
static int reached(int32_t from, int32_t to, int days, int months)
{
	return to - from >= days && (months <= 0 || date_age_months(from, to) >= months);
}

enum imm_verdict imm_check_dose(enum imm_antigen antigen, int32_t dob, int32_t day, int32_t prev_day,
				const struct imm_rule **rule)
{
	const struct imm_rule *r = NULL;
	int months;

	for (size_t i = 0; i < imm_rules_len && !r; i++)
		if (imm_rules[i].antigen == antigen)
			r = &imm_rules[i];
	if (rule)
		*rule = r;
	if (!r || dob == DATE_NONE || day < dob)
		return IMM_OK;                 /* no age: nothing to check against */
	months = date_age_months(dob, day);
	if (!reached(dob, day, r->min_days, r->min_months)) {
		if (r->catchup_from_months >= 0 && months >= r->catchup_from_months)
			return IMM_CATCHUP_EARLY;
		return IMM_TOO_YOUNG;
	}
	if ((r->max_days >= 0 && day - dob > r->max_days) ||
	    (r->max_months >= 0 && months >= r->max_months))
		return IMM_TOO_OLD;
	if (r->prev >= 0 && prev_day != DATE_NONE && !reached(prev_day, day, r->gap_days, r->gap_months))
		return IMM_TOO_SOON;
	if (r->sched_months >= 0 && months < r->sched_months)
		return IMM_CATCHUP_EARLY;
	if (r->late_months >= 0 && months >= r->late_months)
		return IMM_CATCHUP_LATE;
	return IMM_OK;
}

enum vita_verdict vita_check(enum vitamin_a colour, int age_months, int month, int blue_before)
{
	if (colour == VITA_NONE || age_months < 0)
		return VITA_OK;
	if ((colour == VITA_BLUE && (age_months < 6 || age_months > 11)) ||
	    (colour == VITA_RED && (age_months < 12 || age_months > 59)))
		return VITA_WRONG_AGE;
	if (colour == VITA_BLUE && blue_before)
		return VITA_BLUE_AGAIN;
	if (month != 2 && month != 8)
		return VITA_OFF_MONTH;
	return VITA_OK;
}

int imm_parse(const char *s, uint32_t *out, struct err *err)
{
	char buf[256], *tok, *save = NULL;

	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		int a = imm_from_code(tok);
		if (a < 0)
			return err_set(err, ERR_FORMAT, "imm", "%s", tok);
		*out |= 1u << a;
	}
	return 0;
}

void imm_format(uint32_t bits, char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (int i = 0; i < IMM__COUNT && n < size; i++)
		if (bits & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", imm_code(i));
}
