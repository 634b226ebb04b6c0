/* tui/ui_steps.c: the day's steps (issue 14), from the desk (F7, Ctrl-T):
 * everyone who came today with a mark per ILP step and what is missing,
 * those still lacking something first, so the kader at the last step sees
 * who still needs a measurement or a service before the data leave the
 * device. Enter opens the person's card; back from it, the list is
 * worked out again. The list is app/steps.h's, over the desk's records. */
#include "tui/ui_int.h"
#include "tui/ui_desk.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/steps.h"
#include "storage/clock.h"
#include "core/banned.h"

static struct {
	struct steps_day d;
	bool built, stale;
	struct ui_list l;
} st;

static int build(struct ui *u)
{
	struct err err = { 0 };
	struct person *p;
	struct visit *v;
	size_t np, nv;
	int32_t today = clock_today();

	if (st.built)
		steps_day_release(&st.d);
	st.built = false;
	st.l.n = 0;
	/* only who came today, and their visits: the rest stays sealed */
	if (desk_day(today, &p, &np, &v, &nv, &err) < 0)
		goto fail;
	if (steps_day_build(u->s, u->c->cfg.ilp_steps, p, np, v, nv, today, &st.d, &err) < 0) {
		store_free(p);
		store_free(v);
		goto fail;
	}
	st.d.own_p = p;                /* steps_day_release frees them */
	st.d.own_v = v;
	st.built = true;
	st.stale = false;
	ui_list_set(&st.l, st.d.n);
	return 0;
fail:
	ui_status_err(u, &err);
	return -1;
}

static int steps_open(struct ui *u)
{
	struct err err = { 0 };

	/* back from a lock the desk below reloads first; alone, load it here */
	if (!desk.loaded && desk_load(u->s, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	return build(u);
}

static void steps_close(struct ui *u)
{
	(void)u;
	if (st.built)
		steps_day_release(&st.d);
	memset(&st, 0, sizeof st);
}

/* The steps' numbers and names, wrapped over the lines from Y: how many. */
static int legend(WINDOW *w, int y, int width)
{
	char item[96], line[256] = "";
	int lines = 0;

	for (int i = 0; i <= st.d.steps.n; i++) {
		if (i < st.d.steps.n)
			snprintf(item, sizeof item, "%d %s", i + 1, steps_label(&st.d, i));
		else
			snprintf(item, sizeof item, _("(%c done, %c missing)"), STEPS_MARK_DONE,
				 STEPS_MARK_MISSING);
		if (line[0] && (int)(strlen(line) + 2 + strlen(item)) > width) {
			ui_put(w, y + lines++, 1, width, line);
			line[0] = '\0';
		}
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", line[0] ? "  " : "",
			 item);
	}
	ui_put(w, y + lines++, 1, width, line);
	return lines;
}

static void steps_row(int i, char *line, size_t size)
{
	const struct ilp_day_row *r = &st.d.rows[i];
	char marks[STEP__COUNT + 1], miss[256];
	int k = 0;

	/* one column per step, without spaces: what is missing needs the room */
	for (int s = 0; s < st.d.steps.n; s++)
		marks[k++] = steps_missing(&st.d, r, s) ? STEPS_MARK_MISSING : STEPS_MARK_DONE;
	marks[k] = '\0';
	snprintf(line, size, "%-20.20s %-10.10s %-5s  %s", st.d.people[r->person].name,
		 steps_group_name(&st.d, r), marks,
		 (r->lack & st.d.mask) ? steps_row_text(&st.d, r, miss, sizeof miss)
				       : _("complete"));
}

static void steps_draw(struct ui *u, WINDOW *w)
{
	int width = getmaxx(w) - 2, y;
	char line[256], day[DATE_BUFSZ], nums[STEP__COUNT + 1];
	int k = 0;

	if (st.stale)
		build(u);
	if (!st.built)
		return;
	snprintf(line, sizeof line, _("The day's steps, %s: present %zu, complete %zu"),
		 date_format(st.d.day, day), st.d.n, st.d.complete);
	ui_put_bold(w, 0, 1, width, line);
	y = 1 + legend(w, 1, width);
	for (int i = 0; i < st.d.steps.n; i++)
		nums[k++] = (char)('1' + i);
	nums[k] = '\0';
	snprintf(line, sizeof line, "%-20s %-10s %-5s  %s", _("Name"), _("Group"), nums,
		 _("Missing"));
	ui_put_bold(w, y++, 1, width, line);
	if (!st.d.n)
		ui_put(w, y + 1, 2, width - 2, _("Nobody has come yet on this day."));
	ui_list_draw(w, &st.l, y, getmaxy(w) - y, getmaxx(w), steps_row);
}

static int steps_input(struct ui *u, enum action act)
{
	if (act != ACT_SELECT)
		return R_PASS;
	ui_card_show(u, st.d.people[st.d.rows[st.l.sel].person].uuid);
	st.stale = true;               /* a visit may be added or changed there */
	return R_PUSH;
}

const struct screen_ops ui_steps_ops = {
	.title = N_("The day's steps"), .keys = KS_LIST, .list = &st.l, .needs_session = true,
	.open = steps_open, .close = steps_close, .draw = steps_draw, .input = steps_input,
};
