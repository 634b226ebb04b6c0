/* app/steps.h: the day's attendance list through the ILP steps (issue 14),
 * as `posyandu report day` (cli/report.c) and the desk's steps screen
 * (tui/ui_steps.c) show it. The rules are core/ilp_steps.h's; this gathers
 * the records and the sync state from the store and writes text and JSON. */
#ifndef POSYANDU_APP_STEPS_H
#define POSYANDU_APP_STEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ilp_steps.h"
#include "storage/store.h"

struct steps_day {
	int32_t day;
	struct ilp_steps steps;        /* as configured ([ilp] steps) */
	uint32_t mask;                 /* the lacks of those steps */
	const struct person *people;   /* the records the rows index */
	size_t np;
	const struct visit *visits;
	size_t nv;
	struct ilp_day_row *rows;      /* lacking first */
	size_t n;                      /* present */
	size_t complete;               /* of them, lacking nothing */
	struct person *own_p;          /* what steps_day_load loaded (store_free) */
	struct visit *own_v;
};

/* The list of DAY over PEOPLE and VISITS (borrowed: they outlive D), with
 * the steps STEPS_CFG ([ilp] steps; "" the default five) and the export
 * state of S. ERR_CONFIG for a bad STEPS_CFG. */
int steps_day_build(struct store *s, const char *steps_cfg, const struct person *people,
		    size_t np, const struct visit *visits, size_t nv, int32_t day,
		    struct steps_day *d, struct err *err);
/* The same over the store's current records, which D then holds. */
int steps_day_load(struct store *s, const char *steps_cfg, int32_t day, struct steps_day *d,
		   struct err *err);
/* Wipe and free what D holds; idempotent. */
void steps_day_release(struct steps_day *d);

/* The name of configured step I: as configured, else the default name in
 * the UI language. */
const char *steps_label(const struct steps_day *d, int i);
/* Does row R lack anything of configured step I? */
bool steps_missing(const struct steps_day *d, const struct ilp_day_row *r, int i);
/* What R lacks, in the UI language: at step I ("BB, TD"), or at every
 * step ("2: BB, TD; 5: belum dikirim", the step numbers of the list);
 * "" when nothing. Into BUF. */
const char *steps_missing_text(const struct steps_day *d, const struct ilp_day_row *r, int i,
			       char *buf, size_t size);
const char *steps_row_text(const struct steps_day *d, const struct ilp_day_row *r, char *buf,
			   size_t size);
/* R's group in the UI language ("balita", "remaja", ...). */
const char *steps_group_name(const struct steps_day *d, const struct ilp_day_row *r);
/* The mark of a step: done or missing, a character so that it reads
 * without colour. */
#define STEPS_MARK_DONE 'v'
#define STEPS_MARK_MISSING 'X'

/* The text: a heading with the counts, the steps' names, one line per
 * person (name, group, a mark per step, what is missing), at most 78
 * columns but for what is missing. */
typedef void (*steps_line_fn)(void *ctx, const char *line);
void steps_text(const struct steps_day *d, steps_line_fn line, void *ctx);
/* The same as JSON (never translated; keys in posyandu(1)). */
struct json_t;
struct json_t *steps_json(const struct steps_day *d);

#endif
