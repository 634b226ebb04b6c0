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

/* Vaccine codes separated by blanks or commas ("BCG Polio1", domain.md
 * §5.1) into antigen bits. -1 with ERR_FORMAT (field "imm", the code as
 * detail) at the first unknown code; *OUT then holds the codes before it. */
int imm_parse(const char *s, uint32_t *out, struct err *err);
/* Antigen bits as their codes, separated by a blank, into BUF. */
void imm_format(uint32_t bits, char *buf, size_t size);

#endif
