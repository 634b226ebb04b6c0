/* tui/cli_load.c: `posyandu load people FILE.csv | load visits FILE.csv`,
 * bringing in a register kept in a spreadsheet (issue 5).
 *
 * The whole file is checked first and every bad cell is reported as
 * FILE:LINE: COLUMN: message; only a file without a single error is written,
 * in one transaction (store_batch_*), so it loads completely or not at all.
 *
 * Identity: `ref` is the register's own key, one namespace per store. A
 * person's record uuid is derived from ("person", ref) with
 * store_derive_id(), so the same ref always lands on the same record and
 * the visits file finds its people by ref. A visit is the person's visit on
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
#include "tui/cli_report.h"

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
#include "core/desk.h"
#include "core/measure.h"
#include "core/valid.h"
#include "storage/load_store.h"
#include "tui/cli.h"
#include "tui/i18n.h"
#include "tui/msg.h"
#include "core/banned.h"

#define LOAD_MAX_BYTES (32L << 20)
#define REF_MAX 63

static const char load_usage[] = "  posyandu [OPTIONS] load people FILE.csv | load visits FILE.csv\n";

/* ---- columns ---- */

enum pcol { P_REF, P_KIND, P_NAME, P_SEX, P_DOB, P_NIK, P_KK, P_MOTHER_REF, P_MOTHER_NAME,
	    P_RT, P_RW, P_MOTHER_WORKS, P_HAS_KIA, P__N };
static const char *const people_cols[P__N] = {
	"ref", "kind", "name", "sex", "dob", "nik", "kk", "mother_ref", "mother_name", "rt", "rw",
	"mother_works", "has_kia",
};

enum vcol { V_REF, V_DATE, V_WEIGHT, V_LENHEI, V_MEASURE, V_OEDEMA, V_HEADC, V_MUAC, V_ASI,
	    V_VITA, V_IMM, V__N };
static const char *const visit_cols[V__N] = {
	"ref", "date", "weight_kg", "lenhei_cm", "measure", "oedema", "headc_cm", "muac_cm",
	"asi_recall", "vitamin_a", "immunizations",
};

/* Column 0 and 1 (ref and kind / ref and date) and, for people, the name
 * are required; every other column may be left out. */
#define REQUIRED_PEOPLE ((1u << P_REF) | (1u << P_KIND) | (1u << P_NAME))
#define REQUIRED_VISITS ((1u << V_REF) | (1u << V_DATE))

/* A bad cell, kept until the whole file is checked, then printed by line. */
struct load_err {
	int line, seq;
	char column[32];
	char msg[320];
};

struct load {
	const char *path;
	struct load_err *errs;
	size_t nerrs, caperrs;
	const char *const *cols;
	int ncols;
	int idx[16];               /* column -> cell index, -1 absent */
	int errors;
	int32_t today;
	struct store *s;
	struct person *people;     /* the store's, current */
	size_t np;
	struct visit *visits;
	size_t nv;
};

/* One error: FILE:LINE: COLUMN: message (COLUMN NULL: none). */
static void bad(struct load *l, int line, const char *column, const struct err *e)
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
	msg_err(e, x->msg, sizeof x->msg);
}

static int by_line(const void *a, const void *b)
{
	const struct load_err *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every error in the order of the file, then the verdict. */
static int report_errors(struct load *l)
{
	if (l->nerrs)
		qsort(l->errs, l->nerrs, sizeof *l->errs, by_line);
	for (size_t i = 0; i < l->nerrs; i++) {
		const struct load_err *x = &l->errs[i];
		if (x->column[0])
			fprintf(stderr, "%s:%d: %s: %s\n", l->path, x->line, x->column, x->msg);
		else
			fprintf(stderr, "%s:%d: %s\n", l->path, x->line, x->msg);
	}
	fprintf(stderr, _("posyandu: %s: %d errors; nothing was loaded\n"), l->path, l->errors);
	return CLI_ERROR;
}

static void bad_code(struct load *l, int line, const char *column, enum err_code code,
		     const char *field)
{
	struct err e = { 0 };
	err_set(&e, code, field, NULL);
	bad(l, line, column, &e);
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
static int header(struct load *l, struct csv_reader *r, int line, unsigned required)
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
			bad(l, line, r->cells[i][0] ? r->cells[i] : "?", &e);
		} else if (l->idx[k] >= 0) {
			bad_code(l, line, l->cols[k], ERR_EXISTS, "load-column");
		} else {
			l->idx[k] = (int)i;
		}
	}
	for (int k = 0; k < l->ncols; k++)
		if ((required & (1u << k)) && l->idx[k] < 0)
			bad_code(l, line, l->cols[k], ERR_REQUIRED, "load-column");
	return l->errors ? -1 : 0;
}

/* The cell of column K in the current record ("" when absent). */
static const char *cell(const struct load *l, const struct csv_reader *r, int k)
{
	return l->idx[k] >= 0 && (size_t)l->idx[k] < r->ncells ? r->cells[l->idx[k]] : "";
}

/* Cells beyond the header's columns must be empty. */
static void extra_cells(struct load *l, const struct csv_reader *r, int line, int ncols_file)
{
	for (size_t i = (size_t)ncols_file; i < r->ncells; i++)
		if (r->cells[i][0]) {
			char col[24];
			snprintf(col, sizeof col, "#%zu", i + 1);
			bad_code(l, line, col, ERR_FORMAT, "load-extra");
			return;
		}
}

/* y / n (also yes/no, ya/tidak, 1/0): 1, 0; -1 when empty; -2 when bad. */
static int yesno(const char *s)
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

static const struct person *store_person(const struct load *l, const uint8_t uuid[UUID_LEN])
{
	for (size_t i = 0; i < l->np; i++)
		if (memcmp(l->people[i].uuid, uuid, UUID_LEN) == 0)
			return &l->people[i];
	return NULL;
}

static int ref_uuid(struct load *l, const char *ref, uint8_t uuid[UUID_LEN], struct err *err)
{
	return store_derive_id(l->s, "person", ref, strlen(ref), uuid, err);
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
static void person_canon(const struct person *p, char *buf, size_t size)
{
	char m[UUID_STRLEN];
	snprintf(buf, size, "%d|%s|%c|%ld|%s|%s|%s|%s|%s|%s|%u|%u|%s|%u|%u|%d|%d|%ld", p->kind,
		 p->name, p->sex ? p->sex : '-', (long)p->dob, p->nik, p->kk, uuid_format(p->mother, m),
		 p->mother_name, p->father_name, p->address, p->rt, p->rw, p->phone,
		 p->birth_weight_g, p->birth_length_mm, p->mother_works, p->has_kia,
		 (long)p->registered);
}

static void parse_person(struct load *l, const struct csv_reader *r, struct prow *w)
{
	struct err e = { 0 };
	const char *s;
	int v;

	memset(&w->p, 0, sizeof w->p);
	w->p.dob = w->p.registered = DATE_NONE;
	w->works = w->kia = -1;
	w->mother_row = -1;

	s = cell(l, r, P_REF);
	if (!*s)
		bad_code(l, w->line, "ref", ERR_REQUIRED, NULL);
	else if (strlen(s) > REF_MAX)
		bad_code(l, w->line, "ref", ERR_RANGE, "load-ref");
	else
		snprintf(w->ref, sizeof w->ref, "%s", s);

	s = cell(l, r, P_KIND);
	if ((v = person_kind_from_code(s)) < 0)
		bad_code(l, w->line, "kind", *s ? ERR_FORMAT : ERR_REQUIRED, *s ? "load-kind" : NULL);
	else
		w->p.kind = (enum person_kind)v;

	s = cell(l, r, P_NAME);
	if (valid_name(s, "name", &e) < 0)
		bad(l, w->line, "name", &e);
	else
		snprintf(w->p.name, sizeof w->p.name, "%s", s);

	s = cell(l, r, P_SEX);
	if (*s && strcmp(s, "L") && strcmp(s, "P") && strcmp(s, "l") && strcmp(s, "p"))
		bad_code(l, w->line, "sex", ERR_FORMAT, "load-sex");
	else if (*s && w->p.kind != PERSON_CHILD && toupper((unsigned char)*s) != 'P')
		bad_code(l, w->line, "sex", ERR_FORMAT, "load-sex-woman");
	else if (*s)
		w->p.sex = (char)toupper((unsigned char)*s);
	else if (w->p.kind == PERSON_CHILD)
		bad_code(l, w->line, "sex", ERR_REQUIRED, NULL);
	if (w->p.kind && w->p.kind != PERSON_CHILD)
		w->p.sex = 'P';

	s = cell(l, r, P_DOB);
	if (*s) {
		if (date_parse(s, &w->p.dob, &e) < 0 || valid_dob(w->p.dob, l->today, &e) < 0) {
			bad(l, w->line, "dob", &e);
			w->p.dob = DATE_NONE;
		}
	} else if (w->p.kind == PERSON_CHILD) {
		bad_code(l, w->line, "dob", ERR_REQUIRED, "dob");
	}

	s = cell(l, r, P_NIK);
	if (*s && valid_nik(s, w->p.sex, w->p.dob, &e) < 0)
		bad(l, w->line, "nik", &e);
	else
		snprintf(w->p.nik, sizeof w->p.nik, "%s", s);

	s = cell(l, r, P_KK);
	if (*s && (strlen(s) != 16 || strspn(s, "0123456789") != 16))
		bad_code(l, w->line, "kk", ERR_FORMAT, "kk");
	else
		snprintf(w->p.kk, sizeof w->p.kk, "%s", s);

	s = cell(l, r, P_MOTHER_REF);
	if (*s && w->p.kind && w->p.kind != PERSON_CHILD)
		bad_code(l, w->line, "mother_ref", ERR_RANGE, "load-child-only");
	else if (strlen(s) > REF_MAX)
		bad_code(l, w->line, "mother_ref", ERR_RANGE, "load-ref");
	else
		snprintf(w->mother_ref, sizeof w->mother_ref, "%s", s);

	s = cell(l, r, P_MOTHER_NAME);
	if (*s && w->p.kind && w->p.kind != PERSON_CHILD)
		bad_code(l, w->line, "mother_name", ERR_RANGE, "load-child-only");
	else if (*s && valid_name(s, "name", &e) < 0)
		bad(l, w->line, "mother_name", &e);
	else
		snprintf(w->p.mother_name, sizeof w->p.mother_name, "%s", s);

	s = cell(l, r, P_RT);
	if (*s && small_int(s, 1, 255, &v) < 0)
		bad_code(l, w->line, "rt", ERR_RANGE, "rt");
	else if (*s)
		w->p.rt = (uint8_t)v;
	s = cell(l, r, P_RW);
	if (*s && small_int(s, 1, 255, &v) < 0)
		bad_code(l, w->line, "rw", ERR_RANGE, "rt");
	else if (*s)
		w->p.rw = (uint8_t)v;

	if ((w->works = yesno(cell(l, r, P_MOTHER_WORKS))) == -2)
		bad_code(l, w->line, "mother_works", ERR_FORMAT, "load-yesno");
	if ((w->kia = yesno(cell(l, r, P_HAS_KIA))) == -2)
		bad_code(l, w->line, "has_kia", ERR_FORMAT, "load-yesno");

	for (int k = 0; k < P__N; k++)
		if (*cell(l, r, k))
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
		out->mother_works = w->works;
	if (w->kia >= 0)
		out->has_kia = w->kia;
}

static int load_people(struct load *l, struct csv_reader *r, int hline)
{
	struct prow *rows = NULL;
	size_t n = 0, cap = 0, added = 0, updated = 0, same = 0;
	int line, rc, ret = CLI_ERROR;
	struct err err = { 0 };
	int ncols_file = (int)r->ncells;

	(void)hline;
	while ((rc = csv_next(r, &line, &err)) == 1) {
		if (n == cap) {
			struct prow *g = realloc(rows, (cap = cap ? 2 * cap : 64) * sizeof *rows);
			if (!g) {
				err_set(&err, ERR_NOMEM, NULL, "out of memory");
				goto fail;
			}
			rows = g;
		}
		memset(&rows[n], 0, sizeof rows[n]);
		rows[n].line = line;
		extra_cells(l, r, line, ncols_file);
		parse_person(l, r, &rows[n]);
		n++;
	}
	if (rc < 0)
		goto fail;

	/* Refs: unique in the file; their records; the mothers. */
	for (size_t i = 0; i < n; i++) {
		struct prow *w = &rows[i];
		if (!w->ref[0])
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(rows[j].ref, w->ref) == 0) {
				bad_code(l, w->line, "ref", ERR_EXISTS, "load-ref");
				break;
			}
		if (ref_uuid(l, w->ref, w->uuid, &err) < 0)
			goto fail;
		w->stored = store_person(l, w->uuid);
		if (w->stored && w->p.kind &&
		    ((w->stored->kind == PERSON_CHILD) != (w->p.kind == PERSON_CHILD) ||
		     (w->p.sex && w->stored->sex && w->p.sex != w->stored->sex) ||
		     (w->p.dob != DATE_NONE && w->stored->dob != DATE_NONE && w->p.dob != w->stored->dob)))
			bad_code(l, w->line, "ref", ERR_EXISTS, "load-identity");
	}
	for (size_t i = 0; i < n; i++) {
		struct prow *w = &rows[i];
		const struct person *m = NULL;
		int mother_works;
		if (!w->mother_ref[0])
			continue;
		for (size_t j = 0; j < n; j++)
			if (strcmp(rows[j].ref, w->mother_ref) == 0 && rows[j].p.kind &&
			    rows[j].p.kind != PERSON_CHILD)
				w->mother_row = (long)j;
		if (w->mother_row >= 0) {
			memcpy(w->p.mother, rows[w->mother_row].uuid, UUID_LEN);
			mother_works = rows[w->mother_row].works > 0 ||
				       (rows[w->mother_row].works < 0 && rows[w->mother_row].stored &&
					rows[w->mother_row].stored->mother_works);
		} else {
			uint8_t mu[UUID_LEN];
			if (ref_uuid(l, w->mother_ref, mu, &err) < 0)
				goto fail;
			m = store_person(l, mu);
			if (!m || m->kind == PERSON_CHILD) {
				bad_code(l, w->line, "mother_ref", ERR_NOTFOUND, "load-mother");
				continue;
			}
			memcpy(w->p.mother, mu, UUID_LEN);
			if (!w->p.mother_name[0])
				snprintf(w->p.mother_name, sizeof w->p.mother_name, "%s", m->name);
			mother_works = m->mother_works;
		}
		/* The mother's work status lives on her record: a child's row may
		 * repeat it, not contradict it. */
		if (w->works >= 0 && w->works != mother_works)
			bad_code(l, w->line, "mother_works", ERR_RANGE, "load-works");
	}
	if (l->errors)
		goto report;

	/* Mothers first, so a child never points to a record not yet written. */
	if (store_batch_begin(l->s, &err) < 0)
		goto fail;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct prow *w = &rows[i];
			struct person p;
			struct draft d;
			char now[1024], before[1024];
			if ((w->p.kind == PERSON_CHILD) != (pass == 1))
				continue;
			person_apply(w, rows, &p);
			person_canon(&p, now, sizeof now);
			if (w->stored) {
				person_canon(w->stored, before, sizeof before);
				if (strcmp(now, before) == 0) {
					same++;
					continue;
				}
			}
			if (derived_draft(l, &d, w->uuid, w->stored != NULL, now, &err) < 0 ||
			    store_person_put(l->s, &d, &p, &err) < 0) {
				store_batch_abort(l->s);
				goto fail;
			}
			*(w->stored ? &updated : &added) += 1;
		}
	if (store_batch_commit(l->s, &err) < 0)
		goto fail;
	printf(_("Loaded %s: %zu added, %zu updated, %zu unchanged\n"), l->path, added, updated, same);
	ret = CLI_OK;
	goto out;
report:
	ret = report_errors(l);
	goto out;
fail:
	if (err.code == ERR_FORMAT && err.field && strcmp(err.field, "csv") == 0) {
		bad(l, line, NULL, &err);
		ret = report_errors(l);
	} else {
		ret = cli_fail(&err);
	}
out:
	free(rows);
	return ret;
}

/* ================================================================ */
/* visits                                                           */
/* ================================================================ */

struct vrow {
	int line;
	const struct person *p;
	struct visit v;            /* the values given */
	unsigned set;
	int oedema;                /* -1: not given */
	const struct visit *stored;
	uint8_t uuid[UUID_LEN];
};

static void visit_canon(const struct visit *v, char *buf, size_t size)
{
	char u[UUID_STRLEN];
	snprintf(buf, size, "%s|%ld|%u|%u|%c|%u|%u|%d|%d|%d|%d|%lu|%d|%u|%u|%u|%u|%u|%u|%s",
		 uuid_format(v->person, u), (long)v->date, v->weight_g, v->lenhei_mm,
		 v->measure ? v->measure : '-', v->headc_mm, v->muac_mm, v->oedema, v->asi_recall,
		 v->counsel_asi, (int)v->vitamin_a, (unsigned long)v->imm, v->home_visit,
		 v->gest_weeks, v->bp_sys, v->bp_dia, v->iron_tablets, v->anc_no, v->danger_signs,
		 v->note);
}

/* A measurement in unit UNIT (kg or cm) into SCALE-ths, checked by core. */
static unsigned measure(struct load *l, int line, const char *column, const char *s,
			enum measure_field f, int32_t age_days, double scale)
{
	struct err e = { 0 };
	double x;

	if (valid_decimal(s, "number", &x, &e) < 0 || measure_check(f, x, age_days, &e) < 0) {
		bad(l, line, column, &e);
		return 0;
	}
	return (unsigned)lround(x * scale);
}

static void parse_visit(struct load *l, const struct csv_reader *r, struct vrow *w)
{
	struct err e = { 0 };
	const char *s;
	bool child;
	int32_t age_days = -1;
	int months = -1, v;

	memset(&w->v, 0, sizeof w->v);
	w->v.asi_recall = -1;
	w->oedema = -1;
	for (int k = 0; k < V__N; k++)
		if (*cell(l, r, k))
			w->set |= 1u << k;

	s = cell(l, r, V_REF);
	if (!*s) {
		bad_code(l, w->line, "ref", ERR_REQUIRED, NULL);
	} else if (strlen(s) > REF_MAX) {
		bad_code(l, w->line, "ref", ERR_RANGE, "load-ref");
	} else {
		uint8_t u[UUID_LEN];
		if (ref_uuid(l, s, u, &e) < 0) {
			bad(l, w->line, "ref", &e);
			return;
		}
		if (!(w->p = store_person(l, u)))
			bad_code(l, w->line, "ref", ERR_NOTFOUND, "load-ref");
	}

	s = cell(l, r, V_DATE);
	if (date_parse(s, &w->v.date, &e) < 0 ||
	    valid_visit_date(w->v.date, w->p ? w->p->dob : DATE_NONE, l->today, &e) < 0) {
		bad(l, w->line, "date", &e);
		w->v.date = DATE_NONE;
	}
	if (!w->p)
		return;                        /* the rest depends on who it is */
	memcpy(w->v.person, w->p->uuid, UUID_LEN);
	child = w->p->kind == PERSON_CHILD;
	if (w->v.date != DATE_NONE && w->p->dob != DATE_NONE) {
		age_days = w->v.date - w->p->dob;
		months = date_age_months(w->p->dob, w->v.date);
	}

	if (*(s = cell(l, r, V_WEIGHT)))
		w->v.weight_g = measure(l, w->line, "weight_kg", s, MEASURE_WEIGHT, age_days, 1000.0);
	if (*(s = cell(l, r, V_LENHEI)))
		w->v.lenhei_mm = (uint16_t)measure(l, w->line, "lenhei_cm", s, MEASURE_LENHEI, age_days, 10.0);
	if (*(s = cell(l, r, V_HEADC)))
		w->v.headc_mm = (uint16_t)measure(l, w->line, "headc_cm", s, MEASURE_HEADC, age_days, 10.0);
	if (*(s = cell(l, r, V_MUAC)))
		w->v.muac_mm = (uint16_t)measure(l, w->line, "muac_cm", s,
						 child ? MEASURE_MUAC : MEASURE_LILA, age_days, 10.0);

	s = cell(l, r, V_MEASURE);
	if (*s && strcasecmp(s, "l") && strcasecmp(s, "h"))
		bad_code(l, w->line, "measure", ERR_FORMAT, "load-measure");
	else if (*s)
		w->v.measure = (char)tolower((unsigned char)*s);
	else if (w->v.lenhei_mm && age_days >= 0)
		w->v.measure = desk_default_measure(age_days);     /* WHO: lying below 731 days */

	if ((w->oedema = yesno(cell(l, r, V_OEDEMA))) == -2)
		bad_code(l, w->line, "oedema", ERR_FORMAT, "load-yesno");

	/* The child-only columns (domain.md §5.1, §5.2, §5.4). */
	s = cell(l, r, V_ASI);
	if ((v = yesno(s)) == -2)
		bad_code(l, w->line, "asi_recall", ERR_FORMAT, "load-yesno");
	else if (v >= 0 && !child)
		bad_code(l, w->line, "asi_recall", ERR_RANGE, "load-child-only");
	else if (v >= 0 && months >= 0 && months > 5)
		bad_code(l, w->line, "asi_recall", ERR_RANGE, "load-asi-age");
	else if (v >= 0)
		w->v.asi_recall = (int8_t)v;

	s = cell(l, r, V_VITA);
	if (*s && strcasecmp(s, "blue") && strcasecmp(s, "red") && strcasecmp(s, "biru") &&
	    strcasecmp(s, "merah"))
		bad_code(l, w->line, "vitamin_a", ERR_FORMAT, "load-vita");
	else if (*s && !child)
		bad_code(l, w->line, "vitamin_a", ERR_RANGE, "load-child-only");
	else if (*s && months >= 0 && (months < 6 || months > 59))
		bad_code(l, w->line, "vitamin_a", ERR_RANGE, "load-vita-age");
	else if (*s)
		w->v.vitamin_a = (strcasecmp(s, "blue") == 0 || strcasecmp(s, "biru") == 0) ? VITA_BLUE
										       : VITA_RED;

	s = cell(l, r, V_IMM);
	if (*s && !child) {
		bad_code(l, w->line, "immunizations", ERR_RANGE, "load-child-only");
	} else if (*s) {
		char buf[256], *tok, *save = NULL;
		snprintf(buf, sizeof buf, "%s", s);
		for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
			int a = imm_from_code(tok);
			if (a < 0) {
				err_set(&e, ERR_FORMAT, "imm", "%s", tok);
				bad(l, w->line, "immunizations", &e);
				break;
			}
			w->v.imm |= 1u << a;
		}
	}
}

/* The stored visit of P on DATE: the one with the derived uuid, else any. */
static const struct visit *stored_visit(const struct load *l, const uint8_t person[UUID_LEN],
					int32_t date, const uint8_t derived[UUID_LEN])
{
	const struct visit *any = NULL;
	for (size_t i = 0; i < l->nv; i++) {
		const struct visit *v = &l->visits[i];
		if (v->date != date || memcmp(v->person, person, UUID_LEN) != 0)
			continue;
		if (memcmp(v->uuid, derived, UUID_LEN) == 0)
			return v;
		if (!any)
			any = v;
	}
	return any;
}

static void visit_apply(const struct vrow *w, struct visit *out)
{
	const struct visit *g = &w->v;

	if (w->stored) {
		*out = *w->stored;
	} else {
		memset(out, 0, sizeof *out);
		memcpy(out->uuid, w->uuid, UUID_LEN);
		memcpy(out->person, g->person, UUID_LEN);
		out->date = g->date;
		out->asi_recall = -1;
	}
	if (g->weight_g)
		out->weight_g = g->weight_g;
	if (g->lenhei_mm) {
		out->lenhei_mm = g->lenhei_mm;
		out->measure = g->measure;
	} else if (w->set & (1u << V_MEASURE)) {
		out->measure = g->measure;
	}
	if (g->headc_mm)
		out->headc_mm = g->headc_mm;
	if (g->muac_mm)
		out->muac_mm = g->muac_mm;
	if (w->oedema >= 0)
		out->oedema = w->oedema;
	if (g->asi_recall >= 0)
		out->asi_recall = g->asi_recall;
	if (g->vitamin_a)
		out->vitamin_a = g->vitamin_a;
	out->imm |= g->imm;
}

static int load_visits(struct load *l, struct csv_reader *r)
{
	struct vrow *rows = NULL;
	size_t n = 0, cap = 0, added = 0, updated = 0, same = 0;
	int line, rc, ret = CLI_ERROR;
	struct err err = { 0 };
	int ncols_file = (int)r->ncells;

	if (store_visits(l->s, &l->visits, &l->nv, &err) < 0)
		return cli_fail(&err);
	while ((rc = csv_next(r, &line, &err)) == 1) {
		if (n == cap) {
			struct vrow *g = realloc(rows, (cap = cap ? 2 * cap : 256) * sizeof *rows);
			if (!g) {
				err_set(&err, ERR_NOMEM, NULL, "out of memory");
				goto fail;
			}
			rows = g;
		}
		memset(&rows[n], 0, sizeof rows[n]);
		rows[n].line = line;
		extra_cells(l, r, line, ncols_file);
		parse_visit(l, r, &rows[n]);
		n++;
	}
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct vrow *w = &rows[i];
		uint8_t key[UUID_LEN + 4];
		if (!w->p || w->v.date == DATE_NONE)
			continue;
		for (size_t j = 0; j < i; j++)
			if (rows[j].p == w->p && rows[j].v.date == w->v.date) {
				bad_code(l, w->line, "date", ERR_EXISTS, "load-visit");
				break;
			}
		memcpy(key, w->p->uuid, UUID_LEN);
		for (int b = 0; b < 4; b++)
			key[UUID_LEN + b] = (uint8_t)((uint32_t)w->v.date >> (8 * b));
		if (store_derive_id(l->s, "visit", key, sizeof key, w->uuid, &err) < 0)
			goto fail;
		w->stored = stored_visit(l, w->p->uuid, w->v.date, w->uuid);
	}
	if (l->errors)
		goto report;

	if (store_batch_begin(l->s, &err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct vrow *w = &rows[i];
		struct visit v;
		struct draft d;
		char now[1024], before[1024];
		visit_apply(w, &v);
		visit_canon(&v, now, sizeof now);
		if (w->stored) {
			visit_canon(w->stored, before, sizeof before);
			if (strcmp(now, before) == 0) {
				same++;
				continue;
			}
		}
		if (derived_draft(l, &d, v.uuid, w->stored != NULL, now, &err) < 0 ||
		    store_visit_put(l->s, &d, &v, &err) < 0) {
			store_batch_abort(l->s);
			goto fail;
		}
		*(w->stored ? &updated : &added) += 1;
	}
	if (store_batch_commit(l->s, &err) < 0)
		goto fail;
	printf(_("Loaded %s: %zu added, %zu updated, %zu unchanged\n"), l->path, added, updated, same);
	ret = CLI_OK;
	goto out;
report:
	ret = report_errors(l);
	goto out;
fail:
	if (err.code == ERR_FORMAT && err.field && strcmp(err.field, "csv") == 0) {
		bad(l, line, NULL, &err);
		ret = report_errors(l);
	} else {
		ret = cli_fail(&err);
	}
out:
	free(rows);
	return ret;
}

/* ================================================================ */

int cli_load(struct cli *c, int argc, char **argv)
{
	struct load l;
	struct csv_reader r;
	struct err err = { 0 };
	char *text = NULL;
	size_t len = 0;
	int line = 0, rc, people;

	if (argc != 3 || (strcmp(argv[1], "people") && strcmp(argv[1], "visits"))) {
		fputs(load_usage, stderr);
		return CLI_USAGE;
	}
	people = strcmp(argv[1], "people") == 0;
	memset(&l, 0, sizeof l);
	l.path = argv[2];
	l.s = c->store;
	l.cols = people ? people_cols : visit_cols;
	l.ncols = people ? P__N : V__N;
	l.today = date_from_unix((int64_t)time(NULL) + c->utc_offset);
	if (read_file(l.path, &text, &len, &err) < 0)
		return cli_fail(&err);
	csv_reader_init(&r, text, len);
	rc = csv_next(&r, &line, &err);
	if (rc < 0 && err.code == ERR_FORMAT) {
		bad(&l, line, NULL, &err);
		rc = report_errors(&l);
		goto out;
	}
	if (rc <= 0) {
		if (rc == 0)
			err_set(&err, ERR_REQUIRED, "load-empty", "%s", l.path);
		rc = cli_fail(&err);
		goto out;
	}
	if (header(&l, &r, line, people ? REQUIRED_PEOPLE : REQUIRED_VISITS) < 0) {
		rc = report_errors(&l);
		goto out;
	}
	if (store_people(l.s, &l.people, &l.np, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	rc = people ? load_people(&l, &r, line) : load_visits(&l, &r);
out:
	csv_reader_release(&r);
	free(l.errs);
	free(l.people);
	free(l.visits);
	free(text);
	return rc;
}
