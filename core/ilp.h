/* core/ilp.h: Posyandu ILP (Integrasi Layanan Primer, domain.md §1.4,
 * §2.6, §2.7, §5.7; issue 14): the life-cycle group a person is in on a
 * day. Children under five keep the growth rules of core/desk.h and
 * pregnant women the maternal ones; everyone else is in one of four groups
 * by age in completed years on the visit's date. A child registered under
 * five stays the same person and moves into "school" by age. */
#ifndef POSYANDU_CORE_ILP_H
#define POSYANDU_CORE_ILP_H

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

/* "school", "adolescent", "adult", "elderly"; "" for ILP_NONE. */
const char *ilp_group_code(enum ilp_group g);

#endif
