/* app/quiz_view.c: the quiz reports the commands and the screens show
 * (app/quiz_view.h): storage gives the records, core the numbers; this only
 * gathers them. */
#include "app/quiz_view.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "storage/audit.h"
#include "storage/codec.h"
#include "app/i18n.h"
#include "core/banned.h"

double quiz_attempt_pct(const struct quiz_attempt *a)
{
	return a->total ? 100.0 * a->right / a->total : 0;
}

char *quiz_fmt_time(int32_t seconds, char *buf)
{
	if (seconds < 0)
		seconds = 0;
	snprintf(buf, 16, "%d:%02d", (int)(seconds / 60), (int)(seconds % 60));
	return buf;
}
/* ================================================================ */
/* Report assembly (shared with the screens)                        */
/* ================================================================ */

const char *quiz_report_training(const struct quiz_report *r, const uint8_t uuid[16])
{
	for (size_t i = 0; i < r->ntrainings; i++)
		if (!uuid_is_zero(uuid) && memcmp(r->trainings[i].uuid, uuid, 16) == 0)
			return r->trainings[i].title;
	return "";
}

static const struct quiz_training *training_of(const struct quiz_training *t, size_t n,
					       const uint8_t uuid[16])
{
	for (size_t i = 0; i < n; i++)
		if (!uuid_is_zero(uuid) && memcmp(t[i].uuid, uuid, 16) == 0)
			return &t[i];
	return NULL;
}

void quiz_attempt_resolve(struct quiz_attempt *a, const struct quiz_training *t, size_t nt)
{
	const struct quiz_training *tr = training_of(t, nt, a->training);
	const struct quiz_participant *p = NULL;

	if (!tr)
		return;
	if (uuid_is_zero(a->participant)) {
		if ((p = quizstore_participant_find(tr, a->kader, a->kader_name)))
			memcpy(a->participant, p->id, 16);
	} else {
		p = quizstore_participant_by_id(tr, a->participant);
	}
	if (!a->posyandu[0] && p)
		snprintf(a->posyandu, sizeof a->posyandu, "%s", p->posyandu);
}

int quiz_report_no(const struct quiz_report *r, const uint8_t training[16],
		   const uint8_t participant[16])
{
	const struct quiz_training *t = training_of(r->trainings, r->ntrainings, training);
	return t ? quizstore_participant_no(t, participant) : 0;
}

char *quiz_report_who(const struct quiz_report *r, const uint8_t training[16],
		      const uint8_t participant[16], const char *name, const char *posyandu,
		      char *buf, size_t size)
{
	int no = quiz_report_no(r, training, participant);
	char num[16] = "";

	if (no)
		snprintf(num, sizeof num, " #%d", no);
	snprintf(buf, size, "%s (%s%s)", name, posyandu[0] ? posyandu : "-", num);
	return buf;
}

/* Does code CODE pass the filter WANT (NULL or "": any; "-": unknown)? */
static bool code_wanted(const char *want, const char *code)
{
	if (!want || !want[0])
		return true;
	if (strcmp(want, "-") == 0)
		return !code[0];
	return strcmp(want, code) == 0;
}

void quiz_report_free(struct quiz_report *r)
{
	quiz_bank_free(&r->bank);
	quizstore_attempts_free(r->att, r->natt);
	free(r->items);
	free(r->topics);
	free(r->pairs);
	free(r->pos);
	free(r->trainings);
	memset(r, 0, sizeof *r);
}

int quiz_report_build(struct store *s, const char *bank_id, int version,
		      const uint8_t *training, int kind, const char *posyandu,
		      struct quiz_report *r, struct err *err)
{
	struct quiz_attempt *all = NULL;
	struct quiz_answers *resp = NULL;
	struct quiz_scored *sc = NULL;
	size_t nall = 0;

	memset(r, 0, sizeof *r);
	if (quizstore_bank_get(s, bank_id, version, &r->bank, r->bank_uuid, err) < 0 ||
	    quizstore_trainings(s, &r->trainings, &r->ntrainings, err) < 0 ||
	    quizstore_attempts(s, bank_id, true, &all, &nall, err) < 0)
		goto fail;
	if (!(r->att = calloc(nall + 1, sizeof *r->att)) ||
	    !(r->items = calloc(r->bank.n, sizeof *r->items)) ||
	    !(r->topics = calloc(r->bank.n, sizeof *r->topics)) ||
	    !(r->pairs = calloc(nall + 1, sizeof *r->pairs)) ||
	    !(r->pos = calloc(nall + 1, sizeof *r->pos)) ||
	    !(resp = calloc(nall + 1, sizeof *resp)) || !(sc = calloc(nall + 1, sizeof *sc))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nall; i++) {
		struct quiz_attempt *a = &all[i];
		quiz_attempt_resolve(a, r->trainings, r->ntrainings);
		if (a->bank_version != r->bank.version ||
		    (training && memcmp(a->training, training, 16) != 0) || (kind && a->kind != kind) ||
		    !code_wanted(posyandu, a->posyandu))
			continue;
		if (a->status != QUIZ_SUBMITTED) {
			r->drafts++;
			continue;
		}
		if (!a->opened || a->ans.n != (int)r->bank.n) {
			r->unopened++;
			continue;
		}
		r->att[r->natt] = *a;
		resp[r->natt] = a->ans;
		memcpy(sc[r->natt].participant, a->participant, 16);
		snprintf(sc[r->natt].posyandu, sizeof sc[0].posyandu, "%s", a->posyandu);
		memcpy(sc[r->natt].who, a->kader, 16);
		snprintf(sc[r->natt].name, sizeof sc[0].name, "%s", a->kader_name);
		memcpy(sc[r->natt].training, a->training, 16);
		snprintf(sc[r->natt].bank, sizeof sc[0].bank, "%s", a->bank_id);
		sc[r->natt].kind = a->kind;
		sc[r->natt].percent = a->total ? 100.0 * a->right / a->total : 0;
		sc[r->natt].pass = a->pass;
		r->natt++;
	}
	quiz_item_analysis(&r->bank, resp, r->natt, r->items, &r->group);
	r->ntopics = quiz_topics(&r->bank, r->items, r->topics);
	r->npairs = quiz_pairs(sc, r->natt, r->pairs);
	r->npos = quiz_by_posyandu(r->pairs, r->npairs, r->pos);
	quizstore_attempts_free(all, nall);
	free(resp);
	free(sc);
	return 0;
fail:
	quizstore_attempts_free(all, nall);
	free(resp);
	free(sc);
	quiz_report_free(r);
	return -1;
}

static const char *title_of(const struct quiz_training *t, size_t n, const uint8_t uuid[16])
{
	for (size_t i = 0; i < n; i++)
		if (!uuid_is_zero(uuid) && memcmp(t[i].uuid, uuid, 16) == 0)
			return t[i].title;
	return "";
}

const char *quiz_history_training(const struct quiz_history *h, const uint8_t uuid[16])
{
	return title_of(h->trainings, h->ntrainings, uuid);
}

void quiz_history_free(struct quiz_history *h)
{
	quizstore_attempts_free(h->att, h->natt);
	free(h->pairs);
	free(h->trainings);
	memset(h, 0, sizeof *h);
}

int quiz_history_build(struct store *s, const uint8_t *user, const char *name,
		       struct quiz_history *h, struct err *err)
{
	struct quiz_attempt *all = NULL;
	struct quiz_scored *sc = NULL;
	size_t nall = 0;
	bool by_user = user && !uuid_is_zero(user);

	memset(h, 0, sizeof *h);
	if (quizstore_trainings(s, &h->trainings, &h->ntrainings, err) < 0 ||
	    quizstore_attempts(s, NULL, true, &all, &nall, err) < 0)
		goto fail;
	if (!(h->att = calloc(nall + 1, sizeof *h->att)) ||
	    !(h->pairs = calloc(nall + 1, sizeof *h->pairs)) || !(sc = calloc(nall + 1, sizeof *sc))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < nall; i++) {
		const struct quiz_attempt *a = &all[i];
		bool mine = by_user ? memcmp(a->kader, user, 16) == 0 : false;
		if (!mine && uuid_is_zero(a->kader) && name && strcasecmp(a->kader_name, name) == 0)
			mine = true;
		if (!mine || a->status != QUIZ_SUBMITTED || !a->opened)
			continue;
		h->att[h->natt] = *a;
		/* One person: pairs by training and bank only (who stays zero). */
		snprintf(sc[h->natt].name, sizeof sc[0].name, "%s", name ? name : "");
		memcpy(sc[h->natt].training, a->training, 16);
		snprintf(sc[h->natt].bank, sizeof sc[0].bank, "%s", a->bank_id);
		sc[h->natt].kind = a->kind;
		sc[h->natt].percent = a->total ? 100.0 * a->right / a->total : 0;
		h->natt++;
	}
	h->npairs = quiz_pairs(sc, h->natt, h->pairs);
	quizstore_attempts_free(all, nall);
	free(sc);
	return 0;
fail:
	quizstore_attempts_free(all, nall);
	free(sc);
	quiz_history_free(h);
	return -1;
}

void quiz_pair_cells(const struct quiz_pair *p, char *pre, char *post, char *gain, char *g)
{
	snprintf(pre, 16, "-");
	snprintf(post, 16, "-");
	snprintf(gain, 16, "-");
	snprintf(g, 16, "-");
	if (p->has_pre)
		snprintf(pre, 16, "%.1f%%", p->pre);
	if (p->has_post)
		snprintf(post, 16, "%.1f%%", p->post);
	if (p->has_pre && p->has_post) {
		snprintf(gain, 16, "%+.1f", p->g.gain);
		if (p->g.has_ngain)
			snprintf(g, 16, "%.2f", p->g.ngain);
	}
}

void quiz_item_cells(const struct quiz_question *qq, const struct quiz_item *x, char *buf,
		     size_t size, char *d)
{
	size_t k = 0;

	snprintf(d, 16, "-");
	if (x->has_d)
		snprintf(d, 16, "%.2f", x->d);
	buf[0] = '\0';
	for (int o = 0; o < qq->noptions; o++)
		k += (size_t)snprintf(buf + k, size - k, "%s%d ", (qq->correct & (1u << o)) ? "*" : "",
				      x->option[o]);
	snprintf(buf + k, size - k, "- %d", x->blank);
}

void quiz_roster_dates(const struct roster_row *r, char *start, char *last, char *act)
{
	snprintf(start, DATE_BUFSZ, "-");
	snprintf(last, DATE_BUFSZ, "-");
	snprintf(act, DATE_BUFSZ, "-");
	if (r->start != DATE_NONE)
		date_format(r->start, start);
	if (r->last_training != DATE_NONE)
		date_format(r->last_training, last);
	if (r->last_active != DATE_NONE)
		date_format(r->last_active, act);
}


static int by_row_name(const void *x, const void *y)
{
	const struct roster_row *a = x, *b = y;
	int r = strcoll(a->name, b->name);
	return r ? r : memcmp(a->user, b->user, 16);
}

int quiz_roster_report(struct store *s, long utc_offset, int32_t today,
		       struct roster_row **rows_out, size_t *nrows, struct err *err)
{
	struct store_user *users = NULL;
	struct audit_entry *audit = NULL;
	struct quiz_training *tr = NULL;
	struct quiz_attempt *att = NULL;
	struct roster_event *ev = NULL;
	struct roster_row *rows = NULL;
	struct session *sess = NULL;
	size_t nu = 0, na = 0, nt = 0, nat = 0, ns = 0, nev = 0, cap, n;
	int rc = -1;

	*rows_out = NULL;
	*nrows = 0;
	if (store_users(s, &users, &nu, err) < 0 || store_audit_list(s, &audit, &na, err) < 0 ||
	    quizstore_trainings(s, &tr, &nt, err) < 0 ||
	    quizstore_attempts(s, NULL, true, &att, &nat, err) < 0 ||
	    store_sessions(s, &sess, &ns, err) < 0)
		goto out;
	cap = na + nat + 1;
	for (size_t i = 0; i < nt; i++)
		cap += tr[i].np;
	for (size_t i = 0; i < ns; i++)
		cap += (size_t)sess[i].n_kader;
	if (!(ev = calloc(cap, sizeof *ev)) || !(rows = calloc(nu + cap, sizeof *rows))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	/* An account made or a login, from the audit log (AUDIT_USER_ADD names
	 * the new user as its object; AUDIT_LOGIN the user who logged in). */
	for (size_t i = 0; i < na; i++) {
		const char *what = audit_action_name(audit[i].action);
		int kind = strcmp(what, "user-add") == 0 ? ROSTER_ADDED
			   : strcmp(what, "login") == 0 ? ROSTER_LOGIN : 0;
		if (!kind)
			continue;
		ev[nev].kind = kind;
		memcpy(ev[nev].user, audit[i].object, 16);
		ev[nev].day = date_from_unix(audit[i].time + utc_offset);
		nev++;
	}
	for (size_t i = 0; i < nt; i++)
		for (size_t k = 0; k < tr[i].np; k++) {
			ev[nev].kind = ROSTER_TRAINING;
			memcpy(ev[nev].user, tr[i].p[k].user, 16);
			snprintf(ev[nev].name, sizeof ev[0].name, "%s", tr[i].p[k].name);
			snprintf(ev[nev].posyandu, sizeof ev[0].posyandu, "%s", tr[i].p[k].posyandu);
			ev[nev].day = tr[i].date;
			nev++;
		}
	/* Sessions on duty: the kader named in each opening day (the desk). */
	for (size_t i = 0; i < ns; i++)
		for (int k = 0; k < sess[i].n_kader && k < SESSION_MAX_KADER; k++) {
			ev[nev].kind = ROSTER_DUTY;
			memcpy(ev[nev].user, sess[i].kader[k], 16);
			ev[nev].day = sess[i].date;
			nev++;
		}
	for (size_t i = 0; i < nat; i++) {
		struct quiz_attempt *a = &att[i];
		if (a->status != QUIZ_SUBMITTED || !a->opened)
			continue;
		quiz_attempt_resolve(a, tr, nt);
		ev[nev].kind = ROSTER_ATTEMPT;
		memcpy(ev[nev].user, a->kader, 16);
		snprintf(ev[nev].name, sizeof ev[0].name, "%s", a->kader_name);
		snprintf(ev[nev].posyandu, sizeof ev[0].posyandu, "%s", a->posyandu);
		ev[nev].day = a->day;
		snprintf(ev[nev].bank, sizeof ev[0].bank, "%s", a->bank_id);
		ev[nev].qkind = a->kind;
		ev[nev].percent = quiz_attempt_pct(a);
		ev[nev].pass = a->pass;
		nev++;
	}
	for (size_t i = 0; i < nu; i++) {
		memcpy(rows[i].user, users[i].uuid, 16);
		snprintf(rows[i].name, sizeof rows[i].name, "%s", users[i].label);
		/* an account on this device serves this device's posyandu */
		snprintf(rows[i].posyandu, sizeof rows[i].posyandu, "%s", store_get_profile(s)->code);
		rows[i].role = users[i].role;
		rows[i].disabled = users[i].disabled;
	}
	n = nu;
	quiz_roster_build(rows, &n, nu + cap, ev, nev, today);
	if (n > 1)
		qsort(rows, n, sizeof *rows, by_row_name);
	*rows_out = rows;
	*nrows = n;
	rows = NULL;
	rc = 0;
out:
	free(users);
	free(audit);
	free(tr);
	store_free(sess);
	quizstore_attempts_free(att, nat);
	free(ev);
	free(rows);
	return rc;
}


/* ================================================================ */
/* The district (issue 14)                                          */
/* ================================================================ */

static int by_district_row(const void *x, const void *y)
{
	const struct quiz_district_row *a = x, *b = y;
	int c;
	if (!a->posyandu[0] != !b->posyandu[0])
		return !a->posyandu[0] ? 1 : -1;
	if ((c = strcmp(a->posyandu, b->posyandu)) || (c = strcmp(a->bank, b->bank)))
		return c;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return (a->kind > b->kind) - (a->kind < b->kind);
}

/* The row of (CODE, BANK, VERSION, KIND) among ROWS[0 .. *N): found or added. */
static struct quiz_district_row *district_row(struct quiz_district_row *rows, size_t *n,
					      const char *code, const char *bank, int version,
					      int kind)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(rows[i].posyandu, code) == 0 && strcmp(rows[i].bank, bank) == 0 &&
		    rows[i].version == version && rows[i].kind == kind)
			return &rows[i];
	memset(&rows[*n], 0, sizeof rows[*n]);
	snprintf(rows[*n].posyandu, sizeof rows[*n].posyandu, "%s", code);
	snprintf(rows[*n].bank, sizeof rows[*n].bank, "%s", bank);
	rows[*n].version = version;
	rows[*n].kind = kind;
	return &rows[(*n)++];
}

int quiz_district_build(struct store *s, struct quiz_district_row **rows_out, size_t *nrows,
			struct err *err)
{
	struct quiz_training *tr = NULL;
	struct quiz_attempt *att = NULL;
	struct quiz_district_row *rows = NULL;
	size_t nt = 0, na = 0, n = 0, cap;
	int rc = -1;

	*rows_out = NULL;
	*nrows = 0;
	if (quizstore_trainings(s, &tr, &nt, err) < 0 ||
	    quizstore_attempts(s, NULL, false, &att, &na, err) < 0)
		goto out;
	cap = na + 1;
	for (size_t i = 0; i < nt; i++)
		cap += tr[i].nruns * (tr[i].np + 1);
	if (!(rows = calloc(cap, sizeof *rows))) {
		err_set(err, ERR_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < na; i++) {
		struct quiz_attempt *a = &att[i];
		struct quiz_district_row *r;
		bool seen = false;
		quiz_attempt_resolve(a, tr, nt);
		r = district_row(rows, &n, a->posyandu, a->bank_id, a->bank_version, a->kind);
		if (a->status != QUIZ_SUBMITTED) {
			r->drafts++;
			continue;
		}
		r->submitted++;
		r->sheets += a->sheet;
		/* a person counts once per row (a retaken practice run twice is
		 * one participant) */
		for (size_t k = 0; k < i && !seen; k++)
			seen = att[k].status == QUIZ_SUBMITTED && !uuid_is_zero(a->participant) &&
			       memcmp(att[k].participant, a->participant, 16) == 0 &&
			       strcmp(att[k].bank_id, a->bank_id) == 0 &&
			       att[k].bank_version == a->bank_version && att[k].kind == a->kind;
		r->participants += !seen;
	}
	/* Trainings per row: those with a run of that test and a participant
	 * of that posyandu (a row may have no attempt yet). */
	for (size_t i = 0; i < nt; i++)
		for (size_t k = 0; k < tr[i].nruns; k++) {
			const struct quiz_run *run = &tr[i].runs[k];
			for (size_t p = 0; p < tr[i].np; p++) {
				bool before = false;
				for (size_t q = 0; q < p && !before; q++)
					before = strcmp(tr[i].p[q].posyandu, tr[i].p[p].posyandu) == 0;
				if (!before)
					district_row(rows, &n, tr[i].p[p].posyandu, run->bank_id,
						     run->bank_version, run->kind)->trainings++;
			}
		}
	if (n > 1)
		qsort(rows, n, sizeof *rows, by_district_row);
	*rows_out = rows;
	*nrows = n;
	rows = NULL;
	rc = 0;
out:
	free(tr);
	quizstore_attempts_free(att, na);
	free(rows);
	return rc;
}
