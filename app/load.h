/* app/load.h: the register-loading engine: what `load people` (app/load.c) and
 * `load visits` (app/load_visits.c) share: the checked file,
 * its errors, and writing one record of it. */
#ifndef POSYANDU_APP_LOAD_H
#define POSYANDU_APP_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/csv.h"
#include "core/person.h"
#include "storage/store.h"

#define REF_MAX 63

/* The visits file's columns; ref and date are required. From V_BP_SYS on,
 * Posyandu ILP (issue 14): posyandu(1) names them all. */
enum vcol { V_REF, V_DATE, V_WEIGHT, V_LENHEI, V_MEASURE, V_OEDEMA, V_HEADC, V_MUAC, V_ASI,
	    V_VITA, V_IMM, V_CONFIRMED, V_CATCH_UP,
	    V_BP_SYS, V_BP_DIA, V_GLUCOSE, V_GLUCOSE_FASTING, V_WAIST, V_HB, V_TB, V_SMOKING,
	    V_GEST, V_IRON, V_ANC,
	    V_IRON_WEEKLY, V_MENTAL, V_RISK_ALCOHOL, V_RISK_DRUGS, V_RISK_SEX,
	    V_CHOLESTEROL, V_URIC, V_VISION, V_HEARING, V_DIET_SUGAR, V_DIET_SALT, V_DIET_FAT,
	    V_PUMA_BREATH, V_PUMA_PHLEGM, V_PUMA_COUGH, V_PUMA_SPIROMETRY, V_PUMA_PACKYEARS,
	    V_ADL, V_FALL, V_KB,
	    V_HPHT, V_GRAVIDA, V_PARA, V_TD, V_KEK_FOOD, V_PREG_CLASS, V_POSTPARTUM, V_VITA_PP,
	    V_DEWORM, V_DIARRHOEA, V_ORS_ZINC, V_PMT, V_DEVELOPMENT, V_DANGER,
	    V__N };
extern const char *const load_visit_cols[V__N];
/* The codes of `load visits` and `person show` for kb_method (enum
 * kb_method; NULL for KB_NOT_ASKED) and puma_packyears (enum
 * puma_packyears; NULL for PY_NOT_ASKED). */
extern const char *const load_kb_codes[KB__COUNT];
extern const char *const load_packyears_codes[PY_OVER_30 + 1];
#define REQUIRED_VISITS ((1ull << V_REF) | (1ull << V_DATE))
#define LOAD_MAX_COLS 64           /* a set of columns is a uint64_t */

/* A bad cell, kept until the whole file is checked; MSG is the sentence in
 * the UI language. */
struct load_err {
	int line, seq;
	char column[32];
	char msg[320];
};

/* Load the register PATH (people or visits) into S, dated TODAY: the whole
 * file is checked first and only a file without a single bad cell is
 * written, in one transaction. 0 with the tally in RES; -1 with ERR, and
 * when the file had bad cells (ERR field "load-rows") RES->errs holds them
 * in the order of the file (RES->nbad counts them all, even those that did
 * not fit in memory). Release RES with load_result_free. */
enum load_kind { LOAD_PEOPLE, LOAD_VISITS };
struct load_result {
	struct load_err *errs;
	size_t nerrs;
	int nbad;
	size_t added, updated, same;
};
int load_file(struct store *s, enum load_kind kind, const char *path, int32_t today,
	      struct load_result *res, struct err *err);
void load_result_free(struct load_result *res);

/* The record uuid of the person with register ref REF in S (derived, see
 * app/load.c): the same ref gives the same uuid on every device of the
 * posyandu, unless PEOPLE (N, the store's) hold her under the uuid this
 * device gave refs before, which she keeps. Needs an unlocked store; 0,
 * or -1 with ERR. */
int load_person_uuid(struct store *s, const char *ref, const struct person *people, size_t n,
		     uint8_t uuid[UUID_LEN], struct err *err);

/* ---- between app/load.c and app/load_visits.c ---- */

struct load_tally {
	size_t added, updated, same;
};

struct load {
	const char *path;
	struct load_err *errs;
	size_t nerrs, caperrs;
	const char *const *cols;
	int ncols;
	int idx[LOAD_MAX_COLS];    /* column -> cell index, -1 absent */
	int errors;
	int32_t today;
	struct store *s;
	struct person *people;     /* the store's, current */
	size_t np;
	struct visit *visits;
	size_t nv;
	const struct csv_reader *csv;   /* the file being read */
	struct err err;            /* a failure other than bad cells */
	struct load_tally tally;   /* what load_commit wrote */
};

/* One error: FILE:LINE: COLUMN: message (COLUMN NULL: none). */
void load_bad(struct load *l, int line, const char *column, const struct err *e);
/* The same with the sentence MSG, already in the UI language. */
void load_bad_msg(struct load *l, int line, const char *column, const char *msg);
void load_bad_code(struct load *l, int line, const char *column, enum err_code code,
		   const char *field);
/* The file has bad cells: -1. */
int load_report_errors(struct load *l);

/* The cell of column K in the current record ("" when absent). */
const char *load_cell(const struct load *l, const struct csv_reader *r, int k);
/* y / n (also yes/no, ya/tidak, 1/0): 1, 0; -1 when empty; -2 when bad. */
int load_yesno(const char *s);
const struct person *load_store_person(const struct load *l, const uint8_t uuid[UUID_LEN]);
int load_ref_uuid(struct load *l, const char *ref, uint8_t uuid[UUID_LEN], struct err *err);

/* Every data row of R into *ROWS (N of them, SIZE bytes each, zeroed and
 * then filled by PARSE), cells beyond the header's columns reported.
 * 0, or -1 with ERR; *LINE is the line last read. */
typedef void (*load_parse_fn)(struct load *l, const struct csv_reader *r, void *row, int line);
int load_rows(struct load *l, struct csv_reader *r, void **rows, size_t *n, size_t size,
	      size_t first_cap, load_parse_fn parse, int *line, struct err *err);

/* A whole table: every row of R parsed by PARSE (see load_rows), then
 * CHECK over all of them (rows that refer to each other), then, when no
 * cell was bad, WRITE them, counted in T, in one batch: nothing is written
 * when a single cell is bad. CHECK and WRITE return 0, or -1 with ERR.
 * 0, or -1 as load_failed and load_report_errors. */
typedef int (*load_check_fn)(struct load *l, void *rows, size_t n, struct err *err);
typedef int (*load_write_fn)(struct load *l, const void *rows, size_t n, struct load_tally *t,
			     struct err *err);
int load_table(struct load *l, struct csv_reader *r, size_t size, size_t first_cap,
	       load_parse_fn parse, load_check_fn check, load_write_fn write);

/* Within store_batch_begin(): the record UUID, REC, whose full text (by
 * CANON) is compared with the stored version's (STORED; NULL: a new
 * record), is written by PUT unless nothing changed, and counted. 0, or -1
 * with ERR after aborting the batch. */
typedef int (*load_put_fn)(struct store *s, struct draft *d, const void *rec, struct err *err);
typedef void (*load_canon_fn)(const void *rec, char *buf, size_t size);
int load_write(struct load *l, const uint8_t uuid[UUID_LEN], const void *rec, const void *stored,
	       load_canon_fn canon, load_put_fn put, struct load_tally *t, struct err *err);
/* Commit the batch and keep the tally: 0, else as load_failed. */
int load_commit(struct load *l, const struct load_tally *t, int line, struct err *err);
/* -1 for ERR: a CSV syntax error at LINE is one of the file's errors,
 * anything else a failure kept in L->err. */
int load_failed(struct load *l, int line, struct err *err);

int load_people(struct load *l, struct csv_reader *r);
int load_visits(struct load *l, struct csv_reader *r);

#endif
