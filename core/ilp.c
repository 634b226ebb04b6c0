/* core/ilp.c: the life-cycle groups of Posyandu ILP. */
#include "core/ilp.h"

#include "core/date.h"

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

const char *ilp_group_code(enum ilp_group g)
{
	static const char *const codes[ILP__COUNT] = {
		[ILP_NONE] = "", [ILP_SCHOOL] = "school", [ILP_ADOLESCENT] = "adolescent",
		[ILP_ADULT] = "adult", [ILP_ELDERLY] = "elderly",
	};
	return g >= 0 && g < ILP__COUNT ? codes[g] : "";
}
