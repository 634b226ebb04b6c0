/* core/demo.h: realistic synthetic data for the demo store and benchmarks:
 * Indonesian names, mothers and their children aged 0-59 months, monthly
 * posyandu visits whose weights and lengths are drawn around the WHO
 * medians (each child keeps its own z-score track, so some are stunted or
 * wasted), immunisations by the schedule, vitamin A in February and August,
 * and pregnancy checks with the KIA book's HPHT, gravida/para, Td and Hb;
 * mothers just delivered with their postpartum visit; and (Posyandu ILP)
 * one resident for every four children, school-age to elderly, with
 * screening visits, some flagged (high blood pressure, high glucose,
 * anaemia, smokers). Deterministic for a given seed. Pure: the caller
 * stores what the emit functions receive. */
#ifndef POSYANDU_CORE_DEMO_H
#define POSYANDU_CORE_DEMO_H

#include <stdint.h>

#include "core/person.h"

struct demo_params {
	int children;              /* children 0-59 months on TODAY */
	int months;                /* months of visit history, up to TODAY */
	uint64_t seed;
	int32_t today;             /* day number */
};

struct demo_sink {
	/* Store P and write its uuid into P->uuid. Return 0, or -1 to stop. */
	int (*person)(void *ctx, struct person *p);
	int (*visit)(void *ctx, struct visit *v);
	void *ctx;
};

/* Generate; returns 0 or the first -1 of the sink. */
int demo_generate(const struct demo_params *dp, const struct demo_sink *sink);

#endif
