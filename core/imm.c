/* core/imm.c: the schedule table, what is due, and the codes as text. */
#include "core/imm.h"

#include <stdio.h>
#include <string.h>

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
