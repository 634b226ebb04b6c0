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

int ui_form(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n)
{
	FIELD *fields[MAX_FIELDS + 1];
	FORM *form = NULL;
	WINDOW *win = NULL, *sub = NULL;
	int labelw = 0, fieldw = 0, h, w, rc = -1, dirty = 0;

	if (n > MAX_FIELDS)
		return -1;
	for (int i = 0; i < n; i++) {
		int lw = (int)mbstowcs(NULL, _(f[i].label), 0);
		if (lw > labelw)
			labelw = lw;
		if (f[i].width > fieldw)
			fieldw = f[i].width;
	}
	for (int i = 0; i < n; i++) {
		/* wide enough for the whole value up to 40 columns, so a short
		 * field (a date) never scrolls what was typed out of sight */
		int fw = f[i].width;
		if (fw < (int)f[i].size && fw < 40)
			fw = (int)f[i].size < 40 ? (int)f[i].size : 40;
		f[i].width = fw;
		fields[i] = new_field(1, fw, i, 0, 0, 0);
		set_field_back(fields[i], A_UNDERLINE);
		field_opts_off(fields[i], O_AUTOSKIP | O_STATIC);
		set_max_field(fields[i], (int)f[i].size - 1);
		set_field_buffer(fields[i], 0, f[i].buf);
		if (f[i].choices) {
			field_opts_off(fields[i], O_EDIT);
			if (!f[i].buf[0])
				set_field_buffer(fields[i], 0, f[i].choices[0]);
		}
	}
	fields[n] = NULL;
	for (int i = 0; i < n; i++)
		if (f[i].width > fieldw)
			fieldw = f[i].width;
	h = n + 6;
	w = labelw + fieldw + 8;
	if (w < 72)
		w = 72;           /* room for a message on the status line */
	if (w > COLS - 2)
		w = COLS - 2;
	win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	form = new_form(fields);
	if (!win || !form)
		goto out;
	keypad(win, TRUE);
	sub = derwin(win, n, w - labelw - 6, 2, labelw + 4);
	/* Backspace at the start of a field must not jump to another field
	 * (past its validation): a kader clearing a date presses it often. */
	form_opts_off(form, O_BS_OVERLOAD | O_NL_OVERLOAD);
	set_form_win(form, win);
	set_form_sub(form, sub);
	post_form(form);

	for (;;) {
		FIELD *cur = current_field(form);
		int idx = field_index(cur);
		wint_t ch;
		int r;

		box(win, 0, 0);
		wattron(win, A_BOLD);
		ui_put(win, 0, 2, w - 4, title);
		wattroff(win, A_BOLD);
		for (int i = 0; i < n; i++)
			ui_put(win, 2 + i, 2, labelw, _(f[i].label));
		mvwhline(win, h - 3, 1, ' ', w - 2);
		mvwhline(win, h - 2, 1, ' ', w - 2);
		ui_put(win, h - 3, 2, w - 4, u->status[0] ? u->status : (intro ? intro : ""));
		ui_put(win, h - 2, 2, w - 4, f[idx].choices ? _("Left/Right: choose  Tab: next  F2: save  Esc: cancel")
							   : _("Tab/Enter: next  F2: save  Esc: cancel"));
		pos_form_cursor(form);
		curs_set(1);
		wrefresh(win);
		r = wget_wch(win, &ch);
		curs_set(0);
		if (r == ERR)
			continue;
		u->last_input = time(NULL);
		u->status[0] = '\0';
		enum action act = keymap_action(KS_FORM, ch, r == KEY_CODE_YES, true);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			touchwin(stdscr);
			refresh();
			continue;
		}
		if (act == ACT_BACK) {
			form_driver(form, REQ_VALIDATION);
			if (!dirty || ui_confirm(u, _("Throw away what you typed?")))
				break;
			touchwin(win);
			continue;
		}
		if (act == ACT_SAVE || (act == ACT_SELECT && idx == n - 1)) {
			int bad = -1;
			form_driver(form, REQ_VALIDATION);
			for (int i = 0; i < n && bad < 0; i++)
				if (check(u, fields[i], &f[i]) < 0)
					bad = i;
			if (bad >= 0) {
				set_current_field(form, fields[bad]);
				continue;
			}
			for (int i = 0; i < n; i++)
				trim_into(field_buffer(fields[i], 0), f[i].buf, f[i].size);
			rc = 0;
			break;
		}
		if (act == ACT_SELECT || act == ACT_NEXT_FIELD || act == ACT_DOWN ||
		    act == ACT_PREV_FIELD || act == ACT_UP) {
			form_driver(form, REQ_VALIDATION);
			if (check(u, cur, &f[idx]) < 0 && act != ACT_PREV_FIELD && act != ACT_UP)
				continue;
			form_driver(form, (act == ACT_PREV_FIELD || act == ACT_UP) ? REQ_PREV_FIELD
										     : REQ_NEXT_FIELD);
			form_driver(form, REQ_END_LINE);
			continue;
		}
		if (f[idx].choices && r == KEY_CODE_YES && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
			char value[64];
			int k, count = 0;
			trim_into(field_buffer(cur, 0), value, sizeof value);
			while (f[idx].choices[count])
				count++;
			k = choice_index(&f[idx], value) + (ch == KEY_RIGHT ? 1 : count - 1);
			set_field_buffer(cur, 0, f[idx].choices[k % count]);
			dirty = 1;
			continue;
		}
		if (r == KEY_CODE_YES) {
			switch (ch) {
			case KEY_LEFT: form_driver(form, REQ_PREV_CHAR); break;
			case KEY_RIGHT: form_driver(form, REQ_NEXT_CHAR); break;
			case KEY_HOME: form_driver(form, REQ_BEG_LINE); break;
			case KEY_END: form_driver(form, REQ_END_LINE); break;
			case KEY_BACKSPACE: form_driver(form, REQ_DEL_PREV); dirty = 1; break;
			case KEY_DC: form_driver(form, REQ_DEL_CHAR); dirty = 1; break;
			default: break;
			}
		} else if (ch == 127 || ch == 8) {
			form_driver(form, REQ_DEL_PREV);
			dirty = 1;
		} else if (ch >= 0x20 && !f[idx].choices) {
			form_driver_w(form, OK, (wchar_t)ch);
			dirty = 1;
		}
	}
out:
	if (form) {
		unpost_form(form);
		free_form(form);
	}
	for (int i = 0; i < n; i++)
		free_field(fields[i]);
	if (sub)
		delwin(sub);
	if (win)
		delwin(win);
	touchwin(stdscr);
	return rc;
}
