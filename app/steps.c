/* app/steps.c: the day's attendance list through the ILP steps (issue 14). */
#include "app/steps.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/arena.h"
#include "storage/sync_store.h"
#include "app/i18n.h"
#include "core/banned.h"

/* ---- which records have not left the device ---- */

struct unsent {
	uint8_t (*uuid)[UUID_LEN];
	size_t n, cap;
};

static int add_unsent(void *ctx, const uint8_t uuid[UUID_LEN], int kind, struct err *err)
{
	struct unsent *u = ctx;
	if (kind != REC_PERSON && kind != REC_VISIT)
		return 0;
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 64;
		void *p = realloc(u->uuid, cap * sizeof *u->uuid);
		if (!p)
			return err_set(err, ERR_NOMEM, NULL, "unsent records");
		u->uuid = p;
		u->cap = cap;
	}
	memcpy(u->uuid[u->n++], uuid, UUID_LEN);
	return 0;
}

/* The people and visits with a version made here after the last bundle
 * made here. Every export carries everything after the watermark (or
 * everything: --full), so the newest bundle not yet acknowledged, or else
 * the watermark, marks how far the changes have gone into a bundle. */
static int find_unsent(struct store *s, struct unsent *u, struct err *err)
{
	struct sync_export e;
	uint64_t upto = 0;
	bool found = false;

	if (sync_watermark(s, &upto, err) < 0 || sync_export_unacked(s, &e, &found, err) < 0)
		return -1;
	if (found && e.last_change > upto)
		upto = e.last_change;
	/* from the clear columns: nothing needs opening to know what left */
	return store_changed_here(s, upto, add_unsent, u, err);
}

/* ---- the list ---- */

int steps_day_build(struct store *s, const char *steps_cfg, const struct person *people,
		    size_t np, const struct visit *visits, size_t nv, int32_t day,
		    struct steps_day *d, struct err *err)
{
	struct unsent u = { 0 };
	struct visit *scratch = NULL;
	struct ilp_day_in in;
	int rc = -1;

	memset(d, 0, sizeof *d);
	d->day = day;
	d->people = people;
	d->np = np;
	d->visits = visits;
	d->nv = nv;
	if (ilp_steps_parse(steps_cfg ? steps_cfg : "", &d->steps, err) < 0)
		return -1;
	d->mask = ilp_steps_mask(&d->steps);
	if (find_unsent(s, &u, err) < 0)
		goto out;
	/* the history gathered for a person is decrypted data: the arena wipes it */
	if (!(d->rows = calloc(np ? np : 1, sizeof *d->rows)) ||
	    !(scratch = arena_alloc(nv ? nv : 1, sizeof *scratch))) {
		err_set(err, ERR_NOMEM, NULL, "attendance list");
		goto out;
	}
	in = (struct ilp_day_in){ people, np, visits, nv, (const uint8_t (*)[UUID_LEN])u.uuid,
				  u.n, day, &d->steps };
	d->n = ilp_day_list(&in, d->rows, scratch, &d->complete);
	rc = 0;
out:
	arena_free(scratch);
	free(u.uuid);
	if (rc < 0)
		steps_day_release(d);
	return rc;
}

int steps_day_load(struct store *s, const char *steps_cfg, int32_t day, struct steps_day *d,
		   struct err *err)
{
	struct person *p = NULL;
	struct visit *v = NULL;
	size_t np = 0, nv = 0;

	memset(d, 0, sizeof *d);
	if (store_people(s, &p, &np, err) < 0 || store_visits(s, &v, &nv, err) < 0 ||
	    steps_day_build(s, steps_cfg, p, np, v, nv, day, d, err) < 0) {
		store_free(p);
		store_free(v);
		return -1;
	}
	d->own_p = p;
	d->own_v = v;
	return 0;
}

void steps_day_release(struct steps_day *d)
{
	free(d->rows);
	store_free(d->own_p);
	store_free(d->own_v);
	memset(d, 0, sizeof *d);
}

/* ---- words ---- */

const char *steps_label(const struct steps_day *d, int i)
{
	const char *l = ilp_steps_label(&d->steps, i);
	return l ? l : _(ilp_step_name(d->steps.s[i].step));
}

bool steps_missing(const struct steps_day *d, const struct ilp_day_row *r, int i)
{
	return (r->lack & ilp_step_mask(d->steps.s[i].step)) != 0;
}

const char *steps_missing_text(const struct steps_day *d, const struct ilp_day_row *r, int i,
			       char *buf, size_t size)
{
	uint32_t m = r->lack & ilp_step_mask(d->steps.s[i].step);
	size_t len = 0;

	buf[0] = '\0';
	for (int l = 0; l < LACK__COUNT && len < size; l++)
		if (m & LACK_BIT(l))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						_(ilp_lack_name((enum ilp_lack)l)));
	return buf;
}

const char *steps_row_text(const struct steps_day *d, const struct ilp_day_row *r, char *buf,
			   size_t size)
{
	char one[160];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < d->steps.n && len < size; i++)
		if (steps_missing(d, r, i))
			len += (size_t)snprintf(buf + len, size - len, "%s%d: %s", len ? "; " : "",
						i + 1, steps_missing_text(d, r, i, one, sizeof one));
	return buf;
}

const char *steps_group_name(const struct steps_day *d, const struct ilp_day_row *r)
{
	static const struct {
		const char *code, *name;   /* msgid */
	} groups[] = {
		{ "child", N_("under five") }, { "pregnant", N_("pregnant woman") },
		{ "school", N_("school age") }, { "adolescent", N_("adolescent") },
		{ "adult", N_("adult") }, { "elderly", N_("elderly") },
	};
	const char *code = ilp_day_group_code(&d->people[r->person], d->day);

	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i].code, code) == 0)
			return _(groups[i].name);
	return code;
}

/* ---- text ---- */

/* "v X v v v": one mark per configured step. */
static void marks(const struct steps_day *d, const struct ilp_day_row *r, char *buf)
{
	int k = 0;
	for (int i = 0; i < d->steps.n; i++) {
		buf[k++] = steps_missing(d, r, i) ? STEPS_MARK_MISSING : STEPS_MARK_DONE;
		buf[k++] = ' ';
	}
	buf[k ? k - 1 : 0] = '\0';
}

void steps_text(const struct steps_day *d, steps_line_fn line, void *ctx)
{
	char buf[512], day[DATE_BUFSZ], m[2 * STEP__COUNT + 1], miss[320], nums[2 * STEP__COUNT + 1];
	int k = 0;

	snprintf(buf, sizeof buf, _("The day's steps, %s: present %zu, complete %zu"),
		 date_format(d->day, day), d->n, d->complete);
	line(ctx, buf);
	for (int i = 0; i < d->steps.n; i++) {
		snprintf(buf, sizeof buf, "  %d %s", i + 1, steps_label(d, i));
		line(ctx, buf);
		nums[k++] = (char)('1' + i);
		nums[k++] = ' ';
	}
	nums[k ? k - 1 : 0] = '\0';
	snprintf(buf, sizeof buf, _("  %c done, %c missing"), STEPS_MARK_DONE, STEPS_MARK_MISSING);
	line(ctx, buf);
	line(ctx, "");
	snprintf(buf, sizeof buf, "%-24s %-12s %-9s  %s", _("Name"), _("Group"), nums, _("Missing"));
	line(ctx, buf);
	for (size_t i = 0; i < d->n; i++) {
		const struct ilp_day_row *r = &d->rows[i];
		marks(d, r, m);
		steps_row_text(d, r, miss, sizeof miss);
		snprintf(buf, sizeof buf, "%-24.24s %-12.12s %-9s  %s", d->people[r->person].name,
			 steps_group_name(d, r), m, (r->lack & d->mask) ? miss : _("complete"));
		line(ctx, buf);
	}
	if (!d->n)
		line(ctx, _("Nobody has come yet on this day."));
}

/* ---- JSON ---- */

json_t *steps_json(const struct steps_day *d)
{
	json_t *root = json_object(), *steps = json_array(), *people = json_array();
	char day[DATE_BUFSZ], u[UUID_STRLEN];

	json_object_set_new(root, "date", json_string(date_format(d->day, day)));
	for (int i = 0; i < d->steps.n; i++) {
		json_t *o = json_object();
		const char *label = ilp_steps_label(&d->steps, i);
		json_object_set_new(o, "step", json_string(ilp_step_code(d->steps.s[i].step)));
		json_object_set_new(o, "label", label ? json_string(label) : json_null());
		json_array_append_new(steps, o);
	}
	json_object_set_new(root, "steps", steps);
	json_object_set_new(root, "present", json_integer((json_int_t)d->n));
	json_object_set_new(root, "complete", json_integer((json_int_t)d->complete));
	for (size_t i = 0; i < d->n; i++) {
		const struct ilp_day_row *r = &d->rows[i];
		const struct person *p = &d->people[r->person];
		json_t *o = json_object(), *by = json_object();

		json_object_set_new(o, "uuid", json_string(uuid_format(p->uuid, u)));
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "group", json_string(ilp_day_group_code(p, d->day)));
		json_object_set_new(o, "visit", json_boolean(r->visit >= 0));
		json_object_set_new(o, "complete", json_boolean(!(r->lack & d->mask)));
		for (int k = 0; k < d->steps.n; k++) {
			uint32_t m = r->lack & ilp_step_mask(d->steps.s[k].step);
			json_t *a = json_array();
			for (int l = 0; l < LACK__COUNT; l++)
				if (m & LACK_BIT(l))
					json_array_append_new(a, json_string(ilp_lack_code((enum ilp_lack)l)));
			json_object_set_new(by, ilp_step_code(d->steps.s[k].step), a);
		}
		json_object_set_new(o, "missing", by);
		json_array_append_new(people, o);
	}
	json_object_set_new(root, "people", people);
	return root;
}
