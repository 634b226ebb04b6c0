/* tui/ui_form.c: a modal form over libform. Labels on the left, fields on
 * the right; the core validator of a field runs when the cursor leaves it
 * and again on save, and its message goes to the status line, so a kader
 * learns what is wrong at the field that is wrong. */
#include "tui/ui_int.h"

#include <form.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "core/banned.h"

#define MAX_FIELDS 16

static void trim_into(const char *src, char *dst, size_t size)
{
	size_t n;
	while (*src == ' ')
		src++;
	n = strlen(src);
	while (n && src[n - 1] == ' ')
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int choice_index(const struct ui_field *f, const char *value)
{
	for (int i = 0; f->choices[i]; i++)
		if (strcmp(f->choices[i], value) == 0)
			return i;
	return 0;
}

/* Validate field I from its libform buffer; on failure set the status. */
static int check(struct ui *u, FIELD *fld, struct ui_field *f)
{
	char value[256];
	struct err err = { 0 };

	trim_into(field_buffer(fld, 0), value, sizeof value);
	if (strlen(value) >= f->size) {
		err_set(&err, ERR_RANGE, NULL, "at most %zu bytes", f->size - 1);
		ui_status_err(u, &err);
		return -1;
	}
	if (f->valid && f->valid(value, &err) < 0) {
		char msg[256];
		ui_status(u, true, "%s", msg_err(&err, msg, sizeof msg));
		return -1;
	}
	return 0;
}

/* ---- layout: the fields, the window, drawing ---- */

struct form_view {
	FIELD *fields[MAX_FIELDS + 1];
	FORM *form;
	WINDOW *win, *sub;
	int n, labelw, h, w;
};

static void layout_close(struct form_view *v)
{
	if (v->form) {
		unpost_form(v->form);
		free_form(v->form);
	}
	for (int i = 0; i < v->n; i++)
		free_field(v->fields[i]);
	if (v->sub)
		delwin(v->sub);
	if (v->win)
		delwin(v->win);
	touchwin(stdscr);
}

/* One row per field, labels on the left; -1 when curses has no room. */
static int layout_open(struct form_view *v, struct ui_field *f, int n)
{
	int fieldw = 0;

	memset(v, 0, sizeof *v);
	for (int i = 0; i < n; i++) {
		int lw = (int)mbstowcs(NULL, _(f[i].label), 0);
		if (lw > v->labelw)
			v->labelw = lw;
	}
	for (int i = 0; i < n; i++) {
		/* wide enough for the whole value up to 40 columns, so a short
		 * field (a date) never scrolls what was typed out of sight */
		int fw = f[i].width;
		if (fw < (int)f[i].size && fw < 40)
			fw = (int)f[i].size < 40 ? (int)f[i].size : 40;
		f[i].width = fw;
		if (fw > fieldw)
			fieldw = fw;
		v->fields[v->n++] = new_field(1, fw, i, 0, 0, 0);
		set_field_back(v->fields[i], A_UNDERLINE);
		field_opts_off(v->fields[i], O_AUTOSKIP | O_STATIC);
		set_max_field(v->fields[i], (int)f[i].size - 1);
		set_field_buffer(v->fields[i], 0, f[i].buf);
		if (f[i].choices) {
			field_opts_off(v->fields[i], O_EDIT);
			if (!f[i].buf[0])
				set_field_buffer(v->fields[i], 0, f[i].choices[0]);
		}
	}
	v->fields[n] = NULL;
	v->h = n + 6;
	v->w = v->labelw + fieldw + 8;
	if (v->w < 72)
		v->w = 72;        /* room for a message on the status line */
	if (v->w > COLS - 2)
		v->w = COLS - 2;
	v->win = newwin(v->h, v->w, (LINES - v->h) / 2, (COLS - v->w) / 2);
	v->form = new_form(v->fields);
	if (!v->win || !v->form)
		return -1;
	keypad(v->win, TRUE);
	v->sub = derwin(v->win, n, v->w - v->labelw - 6, 2, v->labelw + 4);
	/* Backspace at the start of a field must not jump to another field
	 * (past its validation): a kader clearing a date presses it often. */
	form_opts_off(v->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
	set_form_win(v->form, v->win);
	set_form_sub(v->form, v->sub);
	post_form(v->form);
	return 0;
}

static void layout_draw(struct ui *u, const struct form_view *v, const char *title, const char *intro,
			const struct ui_field *f, int idx)
{
	int h = v->h, w = v->w;

	box(v->win, 0, 0);
	wattron(v->win, A_BOLD);
	ui_put(v->win, 0, 2, w - 4, title);
	wattroff(v->win, A_BOLD);
	for (int i = 0; i < v->n; i++)
		ui_put(v->win, 2 + i, 2, v->labelw, _(f[i].label));
	mvwhline(v->win, h - 3, 1, ' ', w - 2);
	mvwhline(v->win, h - 2, 1, ' ', w - 2);
	ui_put(v->win, h - 3, 2, w - 4, u->status[0] ? u->status : (intro ? intro : ""));
	ui_put(v->win, h - 2, 2, w - 4, f[idx].choices ? _("Left/Right: choose  Tab: next  F2: save  Esc: cancel")
						  : _("Tab/Enter: next  F2: save  Esc: cancel"));
	pos_form_cursor(v->form);
}

/* ---- logic: what a key does, validation, the values saved ---- */

enum form_step { FORM_ON, FORM_SAVED, FORM_CANCELLED };

/* F2 (or Enter on the last field): every field valid, then the values. */
static enum form_step save(struct ui *u, struct form_view *v, struct ui_field *f)
{
	form_driver(v->form, REQ_VALIDATION);
	for (int i = 0; i < v->n; i++)
		if (check(u, v->fields[i], &f[i]) < 0) {
			set_current_field(v->form, v->fields[i]);
			return FORM_ON;
		}
	for (int i = 0; i < v->n; i++)
		trim_into(field_buffer(v->fields[i], 0), f[i].buf, f[i].size);
	return FORM_SAVED;
}

/* Left/Right on a choice field: the choice before or after. */
static void cycle_choice(FIELD *cur, const struct ui_field *f, bool next)
{
	char value[64];
	int k, count = 0;

	trim_into(field_buffer(cur, 0), value, sizeof value);
	while (f->choices[count])
		count++;
	k = choice_index(f, value) + (next ? 1 : count - 1);
	set_field_buffer(cur, 0, f->choices[k % count]);
}

/* A key that edits the text of the current field; whether it changed it. */
static bool edit_key(FORM *form, const struct ui_field *f, wint_t ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: form_driver(form, REQ_PREV_CHAR); return false;
		case KEY_RIGHT: form_driver(form, REQ_NEXT_CHAR); return false;
		case KEY_HOME: form_driver(form, REQ_BEG_LINE); return false;
		case KEY_END: form_driver(form, REQ_END_LINE); return false;
		case KEY_BACKSPACE: form_driver(form, REQ_DEL_PREV); return true;
		case KEY_DC: form_driver(form, REQ_DEL_CHAR); return true;
		default: return false;
		}
	}
	if (ch == 127 || ch == 8) {
		form_driver(form, REQ_DEL_PREV);
		return true;
	}
	if (ch >= 0x20 && !f->choices) {
		form_driver_w(form, OK, (wchar_t)ch);
		return true;
	}
	return false;
}

static enum form_step form_key(struct ui *u, struct form_view *v, struct ui_field *f, bool *dirty,
			       wint_t ch, bool is_key)
{
	FIELD *cur = current_field(v->form);
	int idx = field_index(cur);
	enum action act = keymap_action(KS_FORM, ch, is_key, true);
	bool back = act == ACT_PREV_FIELD || act == ACT_UP;

	if (act == ACT_BACK) {
		form_driver(v->form, REQ_VALIDATION);
		if (!*dirty || ui_confirm(u, _("Throw away what you typed?")))
			return FORM_CANCELLED;
		touchwin(v->win);
		return FORM_ON;
	}
	if (act == ACT_SAVE || (act == ACT_SELECT && idx == v->n - 1))
		return save(u, v, f);
	if (act == ACT_SELECT || act == ACT_NEXT_FIELD || act == ACT_DOWN || back) {
		form_driver(v->form, REQ_VALIDATION);
		if (check(u, cur, &f[idx]) < 0 && !back)
			return FORM_ON;
		form_driver(v->form, back ? REQ_PREV_FIELD : REQ_NEXT_FIELD);
		form_driver(v->form, REQ_END_LINE);
		return FORM_ON;
	}
	if (f[idx].choices && is_key && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
		cycle_choice(cur, &f[idx], ch == KEY_RIGHT);
		*dirty = true;
		return FORM_ON;
	}
	if (edit_key(v->form, &f[idx], ch, is_key))
		*dirty = true;
	return FORM_ON;
}

int ui_form(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n)
{
	struct form_view v;
	enum form_step step = FORM_ON;
	bool dirty = false;

	if (n > MAX_FIELDS)
		return -1;
	if (layout_open(&v, f, n) < 0) {
		layout_close(&v);
		return -1;
	}
	while (step == FORM_ON) {
		wint_t ch;
		int r;

		layout_draw(u, &v, title, intro, f, field_index(current_field(v.form)));
		curs_set(1);
		wrefresh(v.win);
		r = wget_wch(v.win, &ch);
		curs_set(0);
		if (r == ERR)
			continue;
		u->last_input = time(NULL);
		u->status[0] = '\0';
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			touchwin(stdscr);
			refresh();
			continue;
		}
		step = form_key(u, &v, f, &dirty, ch, r == KEY_CODE_YES);
	}
	layout_close(&v);
	return step == FORM_SAVED ? 0 : -1;
}
