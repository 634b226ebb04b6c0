/* app/load.c: `posyandu load people FILE.csv | load visits FILE.csv`,
 * bringing in a register kept in a spreadsheet (issue 5).
 *
 * The whole file is checked first and every bad cell is reported as
 * FILE:LINE: COLUMN: message; only a file without a single error is written,
 * in one transaction (store_batch_*), so it loads completely or not at all.
 *
 * Identity: `ref` is the register's own key, one namespace per posyandu. A
 * person's record uuid is derived from the posyandu code and ("person",
 * ref) with store_derive_ref_id(), so the same ref always lands on the same
 * record, on every device of the posyandu, and the visits file finds its
 * people by ref. A person loaded before (uuid derived with this device's
 * key, store_derive_id()) keeps her uuid. A visit is the person's visit on
 * that date (an existing one is updated, whoever entered it), else a new
 * record whose uuid is derived from (person, date). A row whose values are
 * already stored is left alone: loading the same file twice adds nothing.
 * A changed row becomes a new version of the record; its version id is
 * derived from the record, the version it edits and the content, so a retry
 * after a failed commit never writes it twice. Empty cells never erase what
 * is stored. A ref already held by a person of another kind, sex or date of
 * birth is refused, since that is most likely another register's ref.
 * A new person's registration date is left unknown (the register does not
 * say when), which core/report.h counts as registered. */
#include "app/load.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/ilp.h"
#include "core/desk.h"
#include "core/measure.h"
#include "core/search.h"
#include "core/valid.h"
#include "storage/load_store.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "core/banned.h"

#define LOAD_MAX_BYTES (32L << 20)

/* ---- columns ---- */

enum pcol { P_REF, P_KIND, P_NAME, P_SEX, P_DOB, P_NIK, P_KK, P_MOTHER_REF, P_MOTHER_NAME,
	    P_RT, P_RW, P_MOTHER_WORKS, P_HAS_KIA, P__N };
static const char *const people_cols[P__N] = {
	"ref", "kind", "name", "sex", "dob", "nik", "kk", "mother_ref", "mother_name", "rt", "rw",
	"mother_works", "has_kia",
};

/* ref, kind and name are required; every other column may be left out. */
#define REQUIRED_PEOPLE ((1ull << P_REF) | (1ull << P_KIND) | (1ull << P_NAME))

/* ---- the file and its errors ---- */

void load_bad(struct load *l, int line, const char *column, const struct err *e)
{
	char msg[sizeof l->errs->msg];

	msg_err(e, msg, sizeof msg);
	load_bad_msg(l, line, column, msg);
}

void load_bad_msg(struct load *l, int line, const char *column, const char *msg)
{
	struct load_err *x;

	l->errors++;
	if (l->nerrs == l->caperrs) {
		size_t cap = l->caperrs ? 2 * l->caperrs : 32;
		struct load_err *g = realloc(l->errs, cap * sizeof *g);
		if (!g)
			return;            /* still counted */
		l->errs = g;
		l->caperrs = cap;
	}
	x = &l->errs[l->nerrs];
	x->line = line;
	x->seq = (int)l->nerrs++;
	snprintf(x->column, sizeof x->column, "%s", column ? column : "");
	snprintf(x->msg, sizeof x->msg, "%s", msg);
}

static int by_line(const void *a, const void *b)
{
	const struct load_err *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The file has bad rows: nothing is written. */
int load_report_errors(struct load *l)
{
	if (!l->errors)
		l->errors = 1;
	return -1;
}

void load_bad_code(struct load *l, int line, const char *column, enum err_code code,
		     const char *field)
{
	struct err e = { 0 };
	err_set(&e, code, field, NULL);
	load_bad(l, line, column, &e);
}

static int read_file(const char *path, char **out, size_t *len, struct err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;

	if (!f)
		return err_set(err, ERR_IO, "load-file", "%s", path);
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return err_set(err, ERR_IO, "load-file", "%s", path);
	}
	if (st.st_size > LOAD_MAX_BYTES) {
		fclose(f);
		return err_set(err, ERR_RANGE, "load-file", "%s", path);
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		fclose(f);
		return err_set(err, ERR_NOMEM, NULL, "out of memory");
	}
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return err_set(err, ERR_IO, "load-file", "%s", path);
	}
	fclose(f);
	buf[*len] = '\0';
	*out = buf;
	return 0;
}

/* The header row: every name known, none twice, the required ones there. */
static int header(struct load *l, struct csv_reader *r, int line, uint64_t required)
{
	struct err e = { 0 };

	for (int k = 0; k < l->ncols; k++)
		l->idx[k] = -1;
	for (size_t i = 0; i < r->ncells; i++) {
		int k;
		for (k = 0; k < l->ncols; k++)
			if (strcasecmp(r->cells[i], l->cols[k]) == 0)
				break;
		if (k == l->ncols) {
			err_set(&e, ERR_FORMAT, "load-column", "%s", r->cells[i]);
			load_bad(l, line, r->cells[i][0] ? r->cells[i] : "?", &e);
		} else if (l->idx[k] >= 0) {
			load_bad_code(l, line, l->cols[k], ERR_EXISTS, "load-column");
		} else {
			l->idx[k] = (int)i;
		}
	}
	for (int k = 0; k < l->ncols; k++)
		if ((required & (1ull << k)) && l->idx[k] < 0)
			load_bad_code(l, line, l->cols[k], ERR_REQUIRED, "load-column");
	return l->errors ? -1 : 0;
}

/* The cell of column K in the current record ("" when absent). */
const char *load_cell(const struct load *l, const struct csv_reader *r, int k)
{
	return l->idx[k] >= 0 && (size_t)l->idx[k] < r->ncells ? r->cells[l->idx[k]] : "";
}

/* Cells beyond the header's columns must be empty. */
static void load_extra_cells(struct load *l, const struct csv_reader *r, int line, int ncols_file)
{
	for (size_t i = (size_t)ncols_file; i < r->ncells; i++)
		if (r->cells[i][0]) {
			char col[24];
			snprintf(col, sizeof col, "#%zu", i + 1);
			load_bad_code(l, line, col, ERR_FORMAT, "load-extra");
			return;
		}
}

/* y / n (also yes/no, ya/tidak, 1/0): 1, 0; -1 when empty; -2 when bad. */
int load_yesno(const char *s)
{
	static const char *const yes[] = { "y", "yes", "ya", "1" }, *const no[] = { "n", "no", "tidak", "t", "0" };
	if (!*s)
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -2;
}

static int small_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

const struct person *load_store_person(const struct load *l, const uint8_t uuid[UUID_LEN])
{
	return person_find(l->people, l->np, uuid);
}

int load_person_uuid(struct store *s, const char *ref, const struct person *people, size_t n,
		     uint8_t uuid[UUID_LEN], struct err *err)
{
	uint8_t old[UUID_LEN];

	if (store_derive_ref_id(s, "person", ref, strlen(ref), uuid, err) < 0)
		return -1;
	if (person_find(people, n, uuid))
		return 0;
	/* Loaded before refs were the posyandu's: that person keeps her uuid. */
	if (store_derive_id(s, "person", ref, strlen(ref), old, err) < 0)
		return -1;
	if (person_find(people, n, old))
		memcpy(uuid, old, UUID_LEN);
	return 0;
}

int load_ref_uuid(struct load *l, const char *ref, uint8_t uuid[UUID_LEN], struct err *err)
{
	return load_person_uuid(l->s, ref, l->people, l->np, uuid, err);
}

/* A draft for the record UUID: a new record or a new version of the stored
 * one, with a version id derived from what is written (file header). */
static int derived_draft(struct load *l, struct draft *d, const uint8_t uuid[UUID_LEN],
			 bool exists, const char *canon, struct err *err)
{
	uint8_t buf[UUID_LEN + 8 + UUID_LEN + 1024];
	size_t n = strlen(canon);

	if (exists) {
		if (store_draft_edit(l->s, d, uuid, err) < 0)
			return -1;
	} else {
		memset(d, 0, sizeof *d);
		memcpy(d->uuid, uuid, UUID_LEN);
	}
	if (n > 1024)
		n = 1024;
	memcpy(buf, uuid, UUID_LEN);
	for (int i = 0; i < 8; i++)
		buf[UUID_LEN + i] = (uint8_t)(d->prev_lamport >> (8 * i));
	memcpy(buf + UUID_LEN + 8, d->prev_device, UUID_LEN);
	memcpy(buf + 2 * UUID_LEN + 8, canon, n);
	return store_derive_id(l->s, "vid", buf, 2 * UUID_LEN + 8 + n, d->vid, err);
}

/* ---- rows and records, shared with tui/cli_load_visits.c ---- */

int load_rows(struct load *l, struct csv_reader *r, void **rows, size_t *n, size_t size,
	      size_t first_cap, load_parse_fn parse, int *line, struct err *err)
{
	size_t cap = 0;
	int rc, ncols_file = (int)r->ncells;

	while ((rc = csv_next(r, line, err)) == 1) {
		void *row;
		if (*n == cap) {
			void *g = realloc(*rows, (cap = cap ? 2 * cap : first_cap) * size);
			if (!g)
				return err_set(err, ERR_NOMEM, NULL, "out of memory");
			*rows = g;
		}
		row = (char *)*rows + *n * size;
		memset(row, 0, size);
		load_extra_cells(l, r, *line, ncols_file);
		parse(l, r, row, *line);
		(*n)++;
	}
	return rc < 0 ? -1 : 0;
}

int load_write(struct load *l, const uint8_t uuid[UUID_LEN], const void *rec, const void *stored,
	       load_canon_fn canon, load_put_fn put, struct load_tally *t, struct err *err)
{
	char now[1024], before[1024];
	struct draft d;

	canon(rec, now, sizeof now);
	if (stored)
		canon(stored, before, sizeof before);
	if (stored && strcmp(now, before) == 0) {
		t->same++;
		return 0;
	}
	if (derived_draft(l, &d, uuid, stored != NULL, now, err) < 0 || put(l->s, &d, rec, err) < 0) {
		store_batch_abort(l->s);
		return -1;
	}
	*(stored ? &t->updated : &t->added) += 1;
	return 0;
}

/* The column of the CSV reader's cell at fault: its header name, else
 * "#N" (the header itself, or a cell beyond it). */
static const char *fault_column(const struct load *l, char *buf, size_t size)
{
	int cell = l->csv ? l->csv->cell : 0;

	if (!cell)
		return NULL;
	for (int k = 0; k < l->ncols; k++)
		if (l->idx[k] == cell - 1)
			return l->cols[k];
	snprintf(buf, size, "#%d", cell);
	return buf;
}

int load_failed(struct load *l, int line, struct err *err)
{
	char col[24];

	if (err->code == ERR_FORMAT && err->field && strncmp(err->field, "csv", 3) == 0) {
		load_bad(l, line, fault_column(l, col, sizeof col), err);
		return load_report_errors(l);
	}
	l->err = *err;
	return -1;
}

int load_commit(struct load *l, const struct load_tally *t, int line, struct err *err)
{
	if (store_batch_commit(l->s, err) < 0)
		return load_failed(l, line, err);
	l->tally = *t;
	return 0;
}

/* A failure of load_commit, kept there, is kept again, the same. */
int load_table(struct load *l, struct csv_reader *r, size_t size, size_t first_cap,
	       load_parse_fn parse, load_check_fn check, load_write_fn write)
{
	void *rows = NULL;
	struct load_tally t = { 0 };
	size_t n = 0;
	int line = 0, ret = 0;
	struct err err = { 0 };

	if (load_rows(l, r, &rows, &n, size, first_cap, parse, &line, &err) < 0 ||
	    check(l, rows, n, &err) < 0)
		ret = load_failed(l, line, &err);
	else if (l->errors)
		ret = load_report_errors(l);
	else if (store_batch_begin(l->s, &err) < 0 || write(l, rows, n, &t, &err) < 0 ||
		 load_commit(l, &t, line, &err) < 0)
		ret = load_failed(l, line, &err);
	free(rows);
	return ret;
}

/* ================================================================ */
/* people                                                           */
/* ================================================================ */

struct prow {
	int line;
	char ref[REF_MAX + 1], mother_ref[REF_MAX + 1];
	struct person p;           /* the values given */
	unsigned set;              /* columns with a value */
	int works, kia;            /* -1: not given */
	uint8_t uuid[UUID_LEN];
	const struct person *stored;
	long mother_row;           /* index of the mother's row, -1 */
};

/* A person as text, every field: equal text = nothing to write. */
static void person_canon(const void *rec, char *buf, size_t size)
{
	const struct person *p = rec;
	char m[UUID_STRLEN];
	snprintf(buf, size, "%d|%s|%c|%ld|%s|%s|%s|%s|%s|%s|%u|%u|%s|%u|%u|%d|%d|%ld", p->kind,
		 p->name, p->sex ? p->sex : '-', (long)p->dob, p->nik, p->kk, uuid_format(p->mother, m),
		 p->mother_name, p->father_name, p->address, p->rt, p->rw, p->phone,
		 p->birth_weight_g, p->birth_length_mm, p->works, p->kia,
		 (long)p->registered);
}

/* One row's cells into the prow ROW (load_parse_fn). */
static void parse_person(struct load *l, const struct csv_reader *r, void *row, int line)
{
	struct prow *w = row;
	struct err e = { 0 };
	const char *s;
	bool resident;
	int v;

	w->line = line;
	memset(&w->p, 0, sizeof w->p);
	w->p.dob = w->p.registered = DATE_NONE;
	w->works = w->kia = -1;
	w->mother_row = -1;

	s = load_cell(l, r, P_REF);
	if (!*s)
		load_bad_code(l, w->line, "ref", ERR_REQUIRED, NULL);
	else if (strlen(s) > REF_MAX)
		load_bad_code(l, w->line, "ref", ERR_RANGE, "load-ref");
	else
		snprintf(w->ref, sizeof w->ref, "%s", s);

	s = load_cell(l, r, P_KIND);
	if ((v = person_kind_from_code(s)) < 0 && *s)
		load_bad_msg(l, w->line, "kind", _("The kind must be child, pregnant, woman or resident"));
	else if (v < 0)
		load_bad_code(l, w->line, "kind", ERR_REQUIRED, NULL);
	else
		w->p.kind = (enum person_kind)v;
	resident = w->p.kind == PERSON_RESIDENT;

	s = load_cell(l, r, P_NAME);
	if (valid_name(s, "name", &e) < 0)
		load_bad(l, w->line, "name", &e);
	else
		snprintf(w->p.name, sizeof w->p.name, "%s", s);

	/* One rule with the desk: a woman's sex is P; a child's and a
	 * resident's must be given. */
	if (valid_sex(w->p.kind, load_cell(l, r, P_SEX), &w->p.sex, &e) < 0)
		load_bad(l, w->line, "sex", &e);

	/* A resident's group (school-age ... elderly) follows from the age. */
	s = load_cell(l, r, P_DOB);
	if (*s) {
		if (date_parse(s, &w->p.dob, &e) < 0 || valid_dob(w->p.dob, l->today, &e) < 0) {
			load_bad(l, w->line, "dob", &e);
			w->p.dob = DATE_NONE;
		} else if (resident && !ilp_resident_age_ok(w->p.dob, l->today)) {
			load_bad_msg(l, w->line, "dob", _("Under five years old: load as kind child"));
		}
	} else if (resident) {
		load_bad_msg(l, w->line, "dob",
			     _("A resident needs the date of birth (DD-MM-YYYY): the group follows from age"));
	} else if (w->p.kind == PERSON_CHILD) {
		load_bad_code(l, w->line, "dob", ERR_REQUIRED, "dob");
	}

	s = load_cell(l, r, P_NIK);
	if (*s && valid_nik(s, w->p.sex, w->p.dob, &e) < 0)
		load_bad(l, w->line, "nik", &e);
	else
		snprintf(w->p.nik, sizeof w->p.nik, "%s", s);

	s = load_cell(l, r, P_KK);
	if (*s && (strlen(s) != 16 || strspn(s, "0123456789") != 16))
		load_bad_code(l, w->line, "kk", ERR_FORMAT, "kk");
	else
		snprintf(w->p.kk, sizeof w->p.kk, "%s", s);

	s = load_cell(l, r, P_MOTHER_REF);
	if (*s && w->p.kind && w->p.kind != PERSON_CHILD)
		load_bad_code(l, w->line, "mother_ref", ERR_RANGE, "load-child-only");
	else if (strlen(s) > REF_MAX)
		load_bad_code(l, w->line, "mother_ref", ERR_RANGE, "load-ref");
	else
		snprintf(w->mother_ref, sizeof w->mother_ref, "%s", s);

	s = load_cell(l, r, P_MOTHER_NAME);
	if (*s && w->p.kind && w->p.kind != PERSON_CHILD)
		load_bad_code(l, w->line, "mother_name", ERR_RANGE, "load-child-only");
	else if (*s && valid_name(s, "name", &e) < 0)
		load_bad(l, w->line, "mother_name", &e);
	else
		snprintf(w->p.mother_name, sizeof w->p.mother_name, "%s", s);

	s = load_cell(l, r, P_RT);
	if (*s && small_int(s, 1, 255, &v) < 0)
		load_bad_code(l, w->line, "rt", ERR_RANGE, "rt");
	else if (*s)
		w->p.rt = (uint8_t)v;
	s = load_cell(l, r, P_RW);
	if (*s && small_int(s, 1, 255, &v) < 0)
		load_bad_code(l, w->line, "rw", ERR_RANGE, "rt");
	else if (*s)
		w->p.rw = (uint8_t)v;

	if ((w->works = load_yesno(load_cell(l, r, P_MOTHER_WORKS))) == -2)
		load_bad_code(l, w->line, "mother_works", ERR_FORMAT, "load-yesno");
	if ((w->kia = load_yesno(load_cell(l, r, P_HAS_KIA))) == -2)
		load_bad_code(l, w->line, "has_kia", ERR_FORMAT, "load-yesno");

	for (int k = 0; k < P__N; k++)
		if (*load_cell(l, r, k))
			w->set |= 1u << k;
}

/* The row's values over the stored record (or a new one): empty cells keep
 * what is stored. */
static void person_apply(const struct prow *w, const struct prow *rows, struct person *out)
{
	const struct person *g = &w->p;

	if (w->stored) {
		*out = *w->stored;
	} else {
		memset(out, 0, sizeof *out);
		out->dob = out->registered = DATE_NONE;
	}
	memcpy(out->uuid, w->uuid, UUID_LEN);
	out->kind = g->kind;
	snprintf(out->name, sizeof out->name, "%s", g->name);
	if (g->sex)
		out->sex = g->sex;
	if (g->dob != DATE_NONE)
		out->dob = g->dob;
	if (w->set & (1u << P_NIK))
		snprintf(out->nik, sizeof out->nik, "%s", g->nik);
	if (w->set & (1u << P_KK))
		snprintf(out->kk, sizeof out->kk, "%s", g->kk);
	if (w->mother_row >= 0 || (w->set & (1u << P_MOTHER_REF)))
		memcpy(out->mother, g->mother, UUID_LEN);
	if (w->set & (1u << P_MOTHER_NAME))
		snprintf(out->mother_name, sizeof out->mother_name, "%s", g->mother_name);
	else if (!out->mother_name[0] && w->mother_row >= 0)
		snprintf(out->mother_name, sizeof out->mother_name, "%s", rows[w->mother_row].p.name);
	if (g->rt)
		out->rt = g->rt;
	if (g->rw)
		out->rw = g->rw;
	/* On a woman's row mother_works is her own; on a child's row without a
	 * mother record it describes the child's mother (core/report.h). */
	if (w->works >= 0 && (out->kind != PERSON_CHILD || uuid_is_zero(out->mother)))
		out->works = w->works ? ASK_YES : ASK_NO;
	if (w->kia >= 0)
		out->kia = w->kia ? ASK_YES : ASK_NO;
}

static int put_person(struct store *s, struct draft *d, const void *rec, struct err *err)
{
	return store_person_put(s, d, rec, err);
}

/* A stored person under the same ref but of another kind, sex or date of
 * birth: most likely another register's ref. */
static bool identity_clash(const struct prow *w)
{
	const struct person *g = &w->p, *st = w->stored;
	return st && g->kind &&
	       ((st->kind == PERSON_CHILD) != (g->kind == PERSON_CHILD) ||
		(g->sex && st->sex && g->sex != st->sex) ||
		(g->dob != DATE_NONE && st->dob != DATE_NONE && g->dob != st->dob));
}

/* Each row's ref: unique in the file, its record uuid and stored version. */
static int check_refs(struct load *l, struct prow *rows, size_t n, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct prow *w = &rows[i];
		if (!w->ref[0])
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(rows[j].ref, w->ref) == 0) {
				load_bad_code(l, w->line, "ref", ERR_EXISTS, "load-ref");
				break;
			}
		if (load_ref_uuid(l, w->ref, w->uuid, err) < 0)
			return -1;
		w->stored = load_store_person(l, w->uuid);
		if (identity_clash(w))
			load_bad_code(l, w->line, "ref", ERR_EXISTS, "load-identity");
	}
	return 0;
}

/* A mother is a woman, or a resident whose sex is P. */
static bool can_be_mother(const struct person *p)
{
	return p->kind == PERSON_PREGNANT || p->kind == PERSON_WOMAN ||
	       (p->kind == PERSON_RESIDENT && p->sex == 'P');
}

/* Row W's mother: a woman's row of the file, else a stored woman. Her work
 * status lives on her record: a child's row may repeat it, not contradict
 * it. */
static int link_mother(struct load *l, struct prow *rows, size_t n, struct prow *w,
		       struct err *err)
{
	int works;                 /* hers: ASK_* */

	for (size_t j = 0; j < n; j++)
		if (strcmp(rows[j].ref, w->mother_ref) == 0 && can_be_mother(&rows[j].p))
			w->mother_row = (long)j;
	if (w->mother_row >= 0) {
		const struct prow *m = &rows[w->mother_row];
		memcpy(w->p.mother, m->uuid, UUID_LEN);
		works = m->works >= 0 ? (m->works ? ASK_YES : ASK_NO) : m->stored ? m->stored->works : ASK_NOT;
	} else {
		const struct person *m;
		uint8_t mu[UUID_LEN];
		if (load_ref_uuid(l, w->mother_ref, mu, err) < 0)
			return -1;
		m = load_store_person(l, mu);
		if (!m || !can_be_mother(m)) {
			load_bad_code(l, w->line, "mother_ref", ERR_NOTFOUND, "load-mother");
			return 0;
		}
		memcpy(w->p.mother, mu, UUID_LEN);
		if (!w->p.mother_name[0])
			snprintf(w->p.mother_name, sizeof w->p.mother_name, "%s", m->name);
		works = m->works;
	}
	/* a child's row repeats her answer; one she never gave is not filled
	 * in from it (her own row or record holds it) */
	if (w->works >= 0 && (w->works ? ASK_YES : ASK_NO) != works)
		load_bad_code(l, w->line, "mother_works", ERR_RANGE, "load-works");
	return 0;
}

/* Within one batch, mothers first, so a child never points to a record
 * not yet written. */
static int write_people(struct load *l, const void *buf, size_t n, struct load_tally *t,
			struct err *err)
{
	const struct prow *rows = buf;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct prow *w = &rows[i];
			struct person p;
			if ((w->p.kind == PERSON_CHILD) != (pass == 1))
				continue;
			person_apply(w, rows, &p);
			if (load_write(l, w->uuid, &p, w->stored, person_canon, put_person, t, err) < 0)
				return -1;
		}
	return 0;
}

/* Is the stored person UUID given a NIK by a row of the file? Then the
 * file's value is hers, not the stored one. */
static bool nik_in_file(const struct prow *rows, size_t n, const uint8_t *uuid)
{
	for (size_t i = 0; i < n; i++)
		if ((rows[i].set & (1u << P_NIK)) && memcmp(rows[i].uuid, uuid, UUID_LEN) == 0)
			return true;
	return false;
}

/* One NIK, one person (core/search.h): not two rows of the file, nor a row
 * and a stored person, unless they are the same record. The message names
 * the other person's ref or name. */
static void check_niks(struct load *l, const struct prow *rows, size_t n)
{
	struct err e = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct prow *w = &rows[i];
		long k;
		if (!w->p.nik[0] || !w->ref[0])
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(rows[j].p.nik, w->p.nik) == 0 &&
			    memcmp(rows[j].uuid, w->uuid, UUID_LEN) != 0) {
				err_set(&e, ERR_EXISTS, "nik", "ref %s", rows[j].ref);
				load_bad(l, w->line, "nik", &e);
				break;
			}
		k = search_nik_holder(l->people, l->np, w->p.nik, w->uuid);
		if (k >= 0 && !nik_in_file(rows, n, l->people[k].uuid)) {
			err_set(&e, ERR_EXISTS, "nik", "%s", l->people[k].name);
			load_bad(l, w->line, "nik", &e);
		}
	}
}

/* The refs between rows, their NIKs, and each child's mother. */
static int check_people(struct load *l, void *buf, size_t n, struct err *err)
{
	struct prow *rows = buf;

	if (check_refs(l, rows, n, err) < 0)
		return -1;
	check_niks(l, rows, n);
	for (size_t i = 0; i < n; i++)
		if (rows[i].mother_ref[0] && link_mother(l, rows, n, &rows[i], err) < 0)
			return -1;
	return 0;
}

/* Parse every row, check refs and mothers, then write: nothing is written
 * when a single cell is bad. */
int load_people(struct load *l, struct csv_reader *r)
{
	return load_table(l, r, sizeof(struct prow), 64, parse_person, check_people, write_people);
}

/* ================================================================ */
/* the engine                                                       */
/* ================================================================ */

int load_file(struct store *s, enum load_kind kind, const char *path, int32_t today,
	      struct load_result *res, struct err *err)
{
	struct load l;
	struct csv_reader r;
	char *text = NULL;
	size_t len = 0;
	int line = 0, rc;
	bool people = kind == LOAD_PEOPLE;

	memset(res, 0, sizeof *res);
	memset(&l, 0, sizeof l);
	l.path = path;
	l.s = s;
	l.cols = people ? people_cols : load_visit_cols;
	l.ncols = people ? P__N : V__N;
	l.today = today;
	if (read_file(path, &text, &len, err) < 0)
		return -1;
	csv_reader_init(&r, text, len);
	l.csv = &r;
	for (int k = 0; k < l.ncols; k++)
		l.idx[k] = -1;
	rc = csv_next(&r, &line, err);
	if (rc < 0 && err->code == ERR_FORMAT) {
		rc = load_failed(&l, line, err);
	} else if (rc <= 0) {
		if (rc == 0)
			err_set(err, ERR_REQUIRED, "load-empty", "%s", path);
		l.err = *err;
		rc = -1;
	} else if (header(&l, &r, line, people ? REQUIRED_PEOPLE : REQUIRED_VISITS) < 0) {
		rc = load_report_errors(&l);
	} else if (store_people(l.s, &l.people, &l.np, err) < 0) {
		l.err = *err;
		rc = -1;
	} else {
		rc = people ? load_people(&l, &r) : load_visits(&l, &r);
	}
	csv_reader_release(&r);
	store_free(l.people);
	store_free(l.visits);
	free(text);
	if (l.errors) {
		if (l.nerrs > 1)
			qsort(l.errs, l.nerrs, sizeof *l.errs, by_line);
		res->errs = l.errs;
		res->nerrs = l.nerrs;
		res->nbad = l.errors;
		err_set(err, ERR_FORMAT, "load-rows", "%s: %d errors", path, l.errors);
		return -1;
	}
	free(l.errs);
	if (rc < 0) {
		*err = l.err;
		return -1;
	}
	res->added = l.tally.added;
	res->updated = l.tally.updated;
	res->same = l.tally.same;
	return 0;
}

void load_result_free(struct load_result *res)
{
	free(res->errs);
	memset(res, 0, sizeof *res);
}
