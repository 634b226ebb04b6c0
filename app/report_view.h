/* app/report_view.h: the reports as the commands (cli/report.c) and the
 * reports screen (tui/ui_report.c) show them (issue 5). The numbers come
 * from core/report.h; this gathers the records and writes text, CSV or
 * JSON. */
#ifndef POSYANDU_APP_REPORT_VIEW_H
#define POSYANDU_APP_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/report.h"
#include "storage/store.h"

/* The decrypted records a report is computed over, and the user labels
 * that name the kader. Release wipes and frees. */
struct report_src {
	const struct store_profile *profile;
	struct person *people;
	size_t np;
	struct visit *visits;
	size_t nv;
	struct session *sessions;
	size_t nx;
	struct store_user *users;
	size_t nu;
	struct report_data *d;
};
int report_src_load(struct store *s, struct report_src *src, struct err *err);
void report_src_release(struct report_src *src);
/* The login label of user UUID, or the start of its uuid. */
const char *report_user_label(const struct report_src *src, const uint8_t uuid[UUID_LEN],
			      char *buf, size_t size);


/* Text in the UI language, one line at a time (at most 78 columns). */
typedef void (*report_line_fn)(void *ctx, const char *line);
void report_text_monthly(const struct report_src *src, const struct report_monthly *m,
			 report_line_fn line, void *ctx);
void report_text_followup(const struct report_followup *f, report_line_fn line, void *ctx);
void report_text_sessions(const struct report_src *src, const struct report_sessions *r,
			  int from, int to, report_line_fn line, void *ctx);
/* The ILP table alone (the monthly report and posyandu-server's). */
void report_text_ilp(const struct report_ilp ilp[ILP__COUNT], report_line_fn line, void *ctx);
void report_text_trend(const struct report_trend_point *t, int n, report_line_fn line, void *ctx);

/* CSV (app/report_csv.c; UTF-8, header row, ',' between cells, '.' in decimals), never
 * translated. Return 0, or -1 when writing to F failed. */
int report_csv_monthly(FILE *f, const struct report_monthly *m);
int report_csv_followup(FILE *f, const struct report_followup *fu);
int report_csv_sessions(FILE *f, const struct report_src *src, const struct report_sessions *r);
int report_csv_trend(FILE *f, const struct report_trend_point *t, int n);

/* The follow-up reasons in the UI language, "; "-separated, into BUF. */
const char *report_reasons_text(const struct report_followup_row *r, char *buf, size_t size);

/* ---- shared by app/report_*.c ---- */

/* The SKDN counts in the order of their keys ("S", "K", ..., "BGM"). */
#define REPORT_NSKDN 9
extern const char *const report_skdn_keys[REPORT_NSKDN];
int report_skdn_val(const struct report_skdn *x, int k);
/* NUM of DEN in percent, -1 without a denominator; rounded to one decimal,
 * as the CSV and JSON carry it. */
double report_pct(int num, int den);
double report_round1(double p);
/* The nutrition indices with the growth categories each counts (msgid
 * labels), and the CSV and JSON keys of the indices and mother groups. */
struct report_index_label {
	enum report_index ind;
	const char *label;         /* msgid */
	enum growth_cat from, to;
};
extern const struct report_index_label report_index_labels[REPORT__INDICES];
extern const char *const report_index_keys[REPORT__INDICES];
extern const char *const report_mother_keys[REPORT__MOTHERS];
/* The antigen codes of BITS, SEP-separated, into BUF. */
void report_imm_list(uint32_t bits, char *buf, size_t size, const char *sep);
/* The reason keys of REASONS (core/report.h), ' '-separated, into BUF. */
void report_reason_keys(unsigned reasons, char *buf, size_t size);

/* JSON (app/report_json.c), never translated; out_json_print (app/out.h)
 * prints and frees it. */
struct json_t;
struct json_t *report_json_monthly(const struct report_src *src, const struct report_monthly *m);
struct json_t *report_json_followup(const struct report_followup *fu);
struct json_t *report_json_sessions(const struct report_src *src, const struct report_sessions *r,
				    int from, int to);
/* {"school": {"visited": .., ...}, "adolescent": .., "adult": .., "elderly": ..} */
struct json_t *report_json_ilp(const struct report_ilp ilp[ILP__COUNT]);
struct json_t *report_json_trend(const struct report_trend_point *t, int n);

#endif
