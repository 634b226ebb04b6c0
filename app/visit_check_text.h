/* app/visit_check_text.h: the issues of core/visit_check.h as sentences,
 * one wording for the desk (tui/ui_visit.c) and `load visits`
 * (app/load_visits.c). Each fits the 80-column status line in both
 * languages. */
#ifndef POSYANDU_APP_VISIT_CHECK_TEXT_H
#define POSYANDU_APP_VISIT_CHECK_TEXT_H

#include <stddef.h>

#include "core/visit_check.h"

/* The sentence for C, translated, into BUF; returns BUF. */
const char *visit_check_text(const struct vcheck *c, char *buf, size_t size);

#endif
