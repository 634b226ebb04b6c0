/* app/visit_check_text.h: the issues of core/visit_check.h as sentences,
 * one wording for the desk (tui/ui_visit.c) and `load visits`
 * (app/load_visits.c). Each fits the 80-column status line in both
 * languages. */
#ifndef POSYANDU_APP_VISIT_CHECK_TEXT_H
#define POSYANDU_APP_VISIT_CHECK_TEXT_H

#include <stddef.h>

#include "core/measure.h"
#include "core/visit_check.h"

/* The sentence for C, translated, into BUF; returns BUF. */
const char *visit_check_text(const struct vcheck *c, char *buf, size_t size);

/* The name of visit field F as the forms and `person show` label it,
 * translated ("" for a field without one). */
const char *visit_field_label(enum visit_field f);

/* What a value of measurement F beyond what is possible says: its name,
 * the possible range and unit, "measure again"; translated, into BUF. */
const char *measure_range_text(enum measure_field f, char *buf, size_t size);

#endif
