/* tui/ui_form.c: a modal form over libform. Labels on the left, fields on
 * the right; the core validator of a field runs when the cursor leaves it
 * and again on save, and its message goes to the status line, so a kader
 * learns what is wrong at the field that is wrong. A kader at a busy desk
 * must not be able to trip over it (issue 12): entering a field selects
 * its value, so typing replaces it instead of appending; a choice field
 * takes the first letter of a choice; what was typed is kept sealed while
 * the form is open, so a crash or the idle lock loses nothing; a resize
 * lays the form out again. */
#include "tui/ui_int.h"

#include <form.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "app/i18n.h"
#include "app/msg.h"
#include "storage/draft.h"
#include "core/banned.h"

#define MAX_FIELDS 64

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

const char *const ui_tick[] = { "[ ]", "[x]", NULL };

/* ---- the draft: what is typed, as one sealed blob ---- */

/* "PYF1", the form's context, the title, the field count, then each
 * field's label and value, every string NUL-terminated. In a
 * sodium_malloc'd buffer: it holds personal data. */
#define DRAFT_MAGIC "PYF1"
#define DRAFT_MAX 16384

struct blob {
	unsigned char *p;
	size_t len, size;
};

static void blob_add(struct blob *b, const void *data, size_t n)
{
	if (b->p && b->len + n <= b->size)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void blob_str(struct blob *b, const char *s)
{
	blob_add(b, s, strlen(s) + 1);
}

/* The values of FLDS as a draft of TITLE; B->p is NULL when it does not fit. */
static void draft_pack(struct blob *b, const struct ui_form_ctx *ctx, const char *title,
		       FIELD **flds, const struct ui_field *f, int n)
{
	unsigned char count = (unsigned char)n, kind = (unsigned char)ctx->kind;
	char value[256];

	b->len = 0;
	b->size = DRAFT_MAX;
	if (!(b->p = sodium_malloc(b->size)))
		return;
	blob_add(b, DRAFT_MAGIC, 4);
	blob_add(b, &kind, 1);
	blob_add(b, ctx->person, UUID_LEN);
	blob_add(b, ctx->record, UUID_LEN);
	blob_str(b, title);
	blob_add(b, &count, 1);
	for (int i = 0; i < n; i++) {
		trim_into(field_buffer(flds[i], 0), value, sizeof value);
		blob_str(b, f[i].label);
		blob_str(b, value);
	}
	sodium_memzero(value, sizeof value);
	if (b->len > b->size) {
		sodium_free(b->p);
		b->p = NULL;
	}
}

/* The next string of P from *AT, or NULL at its end. */
static const char *blob_next(const unsigned char *p, size_t len, size_t *at)
{
	const char *s = (const char *)p + *at;
	const unsigned char *nul = *at < len ? memchr(p + *at, '\0', len - *at) : NULL;
	if (!nul)
		return NULL;
	*at = (size_t)(nul - p) + 1;
	return s;
}

/* Read a draft's header: its context and title; the offset of its field
 * count, or 0 when it is not a draft. */
static size_t draft_head(const unsigned char *p, size_t len, struct ui_form_ctx *ctx,
			 const char **title)
{
	size_t at = 4 + 1 + 2 * UUID_LEN;
	if (!p || len < at + 2 || memcmp(p, DRAFT_MAGIC, 4) != 0)
		return 0;
	memset(ctx, 0, sizeof *ctx);
	ctx->kind = p[4] <= FORM_CTX_WOMAN ? p[4] : FORM_CTX_NONE;
	memcpy(ctx->person, p + 5, UUID_LEN);
	memcpy(ctx->record, p + 5 + UUID_LEN, UUID_LEN);
	if (!(*title = blob_next(p, len, &at)) || at >= len)
		return 0;
	return at;
}

/* Put the values of draft P into the fields when it is a draft of this
 * form (the same title and labels); whether it was. */
static bool draft_fill(const unsigned char *p, size_t len, const char *title, FIELD **flds,
		       const struct ui_field *f, int n)
{
	struct ui_form_ctx ctx;
	const char *t, *label, *value;
	size_t at = draft_head(p, len, &ctx, &t), first;

	if (!at || strcmp(t, title) != 0 || p[at] != n)
		return false;
	first = at + 1;
	for (int pass = 0; pass < 2; pass++) {    /* check every label, then fill */
		at = first;
		for (int i = 0; i < n; i++) {
			if (!(label = blob_next(p, len, &at)) || !(value = blob_next(p, len, &at)) ||
			    strcmp(label, f[i].label) != 0)
				return false;
			if (pass)
				set_field_buffer(flds[i], 0, value);
		}
	}
	return true;
}

/* ---- layout: the fields, the window, drawing ---- */

struct form_view {
	FIELD *fields[MAX_FIELDS + 1];
	FORM *form;
	WINDOW *win, *sub;
	int n, labelw, h, w;
	bool fresh;                    /* the cursor just came in: typing replaces the value */
	/* A form taller than the screen is cut into pages (libform's), between
	 * sections where it can: the page and row of each field, and the
	 * section heading (msgid) drawn on the row above a field, if any. */
	const char *const *sections;   /* per field: the section it starts, or NULL */
	int page[MAX_FIELDS], row[MAX_FIELDS], rows, npages;
	bool heading[MAX_FIELDS];
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

/* How many fields from I to the next section's start (or the end). */
static int section_len(const struct form_view *v, int i, int n)
{
	int k = i + 1;
	while (k < n && !(v->sections && v->sections[k]))
		k++;
	return k - i;
}

/* Cut the N fields into pages of at most MAXROWS rows: a section that
 * does not fit in what is left of a page starts the next one; a section
 * starting inside a page has its heading on a row of its own. */
static void paginate(struct form_view *v, int n, int maxrows)
{
	int page = 0, row = 0;

	if (maxrows < 1)
		maxrows = 1;
	v->rows = 0;
	for (int i = 0; i < n; i++) {
		bool starts = v->sections && v->sections[i] && i > 0;
		int need = starts ? 1 + section_len(v, i, n) : 1;
		if (row > 0 && (row + 1 > maxrows || (starts && row + need > maxrows && need <= maxrows))) {
			page++;
			row = 0;
		}
		v->heading[i] = starts && row > 0 && row + 2 <= maxrows;
		if (v->heading[i])
			row++;
		v->page[i] = page;
		v->row[i] = row++;
		if (row > v->rows)
			v->rows = row;
	}
	v->npages = page + 1;
}

/* One row per field, labels on the left, in pages when the screen is too
 * short for all of them; -1 when curses has no room. */
static int layout_open(struct form_view *v, struct ui_field *f, int n, const char *const *sections)
{
	int fieldw = 0;

	memset(v, 0, sizeof *v);
	v->sections = sections;
	paginate(v, n, LINES - 6);
	for (int i = 0; i < n; i++) {
		int lw = (int)mbstowcs(NULL, _(f[i].label), 0);
		if (lw > v->labelw)
			v->labelw = lw;
	}
	for (int i = 0; i < n; i++) {
		/* wide enough for the whole value up to 40 columns, so a short
		 * field (a date) never scrolls what was typed out of sight */
		int fw = f[i].width, room = COLS - 2 - v->labelw - 6;
		if (fw < (int)f[i].size && fw < 40)
			fw = (int)f[i].size < 40 ? (int)f[i].size : 40;
		if (fw > room)        /* a long label on a narrow screen: the value scrolls */
			fw = room > 4 ? room : 4;
		f[i].width = fw;
		if (fw > fieldw)
			fieldw = fw;
		v->fields[v->n++] = new_field(1, fw, v->row[i], 0, 0, 0);
		if (i > 0 && v->page[i] != v->page[i - 1])
			set_new_page(v->fields[i], TRUE);
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
	v->h = v->rows + 6;
	v->w = v->labelw + fieldw + 8;
	if (v->w < 72)
		v->w = 72;        /* room for a message on the status line */
	if (v->npages > 1 && v->w < 78)
		v->w = 78;        /* and for the page keys in the bar */
	if (v->w > COLS - 2)
		v->w = COLS - 2;
	v->win = newwin(v->h, v->w, (LINES - v->h) / 2, (COLS - v->w) / 2);
	v->form = new_form(v->fields);
	if (!v->win || !v->form)
		return -1;
	keypad(v->win, TRUE);
	v->sub = derwin(v->win, v->rows, v->w - v->labelw - 6, 2, v->labelw + 4);
	/* Backspace at the start of a field must not jump to another field
	 * (past its validation): a kader clearing a date presses it often. */
	form_opts_off(v->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
	set_form_win(v->form, v->win);
	set_form_sub(v->form, v->sub);
	return post_form(v->form) == E_OK ? 0 : -1;
}

/* The cursor comes into the current field: its value is selected (reverse
 * video), so the first key typed replaces it. */
static void enter_field(struct form_view *v, const struct ui_field *f)
{
	FIELD *cur = current_field(v->form);
	char value[8];

	for (int i = 0; i < v->n; i++)
		set_field_back(v->fields[i], A_UNDERLINE);
	trim_into(field_buffer(cur, 0), value, sizeof value);
	v->fresh = !f[field_index(cur)].choices && value[0];
	if (v->fresh)
		set_field_back(cur, A_REVERSE);
	form_driver(v->form, REQ_END_LINE);
}

/* The selection goes: the value is edited where the cursor is. */
static void leave_selection(struct form_view *v)
{
	if (v->fresh)
		set_field_back(current_field(v->form), A_UNDERLINE);
	v->fresh = false;
}

/* The section the page of field IDX opens in: the last one started at
 * or before the page's first field. */
static const char *page_section(const struct form_view *v, int idx)
{
	int first = idx;

	if (!v->sections)
		return NULL;
	while (first > 0 && v->page[first - 1] == v->page[idx])
		first--;
	for (int i = first; i >= 0; i--)
		if (v->sections[i])
			return v->sections[i];
	return NULL;
}

/* The keys of the bar: a tick box, a choice or text; with the page keys
 * when there are pages. */
static const char *bar_keys(const struct form_view *v, const struct ui_field *f)
{
	if (f->choices == ui_tick)
		return v->npages > 1 ? _("Space/x: tick  Tab: next  PgDn: page  F2: save  Esc: cancel")
				     : _("Space/x: tick  Tab: next  F2: save  Esc: cancel");
	if (f->choices)
		return v->npages > 1 ? _("Left/Right/letter: choose  Tab: next  PgDn: page  F2: save  Esc: cancel")
				     : _("Left/Right or a letter: choose  Tab: next  F2: save  Esc: cancel");
	return v->npages > 1 ? _("Tab/Enter: next  ^U: clear  PgDn: page  F2: save  Esc: cancel")
			     : _("Tab/Enter: next  ^U: clear  F2: save  Esc: cancel");
}

static void layout_draw(struct ui *u, const struct form_view *v, const char *title, const char *intro,
			const struct ui_field *f, int idx)
{
	int h = v->h, w = v->w, page = v->page[idx];
	bool used[MAX_FIELDS + 1] = { false };
	const char *sec = page_section(v, idx);
	char head[256];

	box(v->win, 0, 0);
	if (v->npages > 1)
		snprintf(head, sizeof head, "%s  [%s%s%d/%d]", title, sec ? _(sec) : "", sec ? " " : "",
			 page + 1, v->npages);
	else
		snprintf(head, sizeof head, "%s", title);
	mvwhline(v->win, 0, 2, ACS_HLINE, w - 4);
	wattron(v->win, A_BOLD);
	ui_put(v->win, 0, 2, w - 4, head);
	wattroff(v->win, A_BOLD);
	/* the label column, and whole rows without a field on this page */
	for (int i = 0; i < v->n; i++)
		if (v->page[i] == page)
			used[v->row[i]] = true;
	for (int r = 0; r < v->rows; r++)
		mvwhline(v->win, 2 + r, 1, ' ', used[r] ? v->labelw + 2 : w - 2);
	for (int i = 0; i < v->n; i++) {
		if (v->page[i] != page)
			continue;
		if (v->heading[i])
			ui_put_bold(v->win, 2 + v->row[i] - 1, 2, w - 4, _(v->sections[i]));
		ui_put(v->win, 2 + v->row[i], 2, v->labelw, _(f[i].label));
	}
	mvwhline(v->win, h - 3, 1, ' ', w - 2);
	mvwhline(v->win, h - 2, 1, ' ', w - 2);
	ui_put(v->win, h - 3, 2, w - 4, u->status[0] ? u->status : (intro ? intro : ""));
	ui_put(v->win, h - 2, 2, w - 4, bar_keys(v, &f[idx]));
	pos_form_cursor(v->form);
}

/* ---- logic: what a key does, validation, the values saved ---- */

enum form_step { FORM_ON, FORM_SAVED, FORM_CANCELLED, FORM_LOCKED };

/* F2 (or Enter on the last field): every field valid, then the values. */
static enum form_step save(struct ui *u, struct form_view *v, struct ui_field *f)
{
	form_driver(v->form, REQ_VALIDATION);
	for (int i = 0; i < v->n; i++)
		if (check(u, v->fields[i], &f[i]) < 0) {
			set_current_field(v->form, v->fields[i]);
			enter_field(v, f);
			return FORM_ON;
		}
	for (int i = 0; i < v->n; i++)
		trim_into(field_buffer(v->fields[i], 0), f[i].buf, f[i].size);
	return FORM_SAVED;
}

/* The first letter or digit of choice C ("x" of "[x]"), or 0. */
static wchar_t choice_letter(const char *c)
{
	wchar_t wc;
	int len;

	while (*c && (len = mbtowc(&wc, c, strlen(c))) > 0) {
		if (iswalnum((wint_t)wc))
			return wc;
		c += len;
	}
	return 0;
}

/* Left/Right on a choice field: the choice before or after. A letter: the
 * next choice that starts with it ("p" on "L/P" is P, "x" on a tick box
 * ticks it), whatever the case. */
static bool pick_choice(FIELD *cur, const struct ui_field *f, int step, wint_t letter)
{
	char value[64];
	int k, count = 0;

	trim_into(field_buffer(cur, 0), value, sizeof value);
	while (f->choices[count])
		count++;
	k = choice_index(f, value);
	for (int i = 1; i <= count; i++) {
		int c = (k + (step ? step * i : i) + count * count) % count;
		wchar_t first = choice_letter(f->choices[c]);
		if (!step && (!first || towlower((wint_t)first) != towlower(letter)))
			continue;
		set_field_buffer(cur, 0, f->choices[c]);
		return true;
	}
	return false;
}

/* A key that edits the text of the current field; whether it changed it.
 * On a value just entered (selected) a character replaces it and
 * Backspace or Delete clears it; a movement keeps it. */
static bool edit_key(struct form_view *v, const struct ui_field *f, wint_t ch, bool is_key)
{
	FORM *form = v->form;
	bool erase = (is_key && (ch == KEY_BACKSPACE || ch == KEY_DC)) || (!is_key && (ch == 127 || ch == 8));
	bool typed = !is_key && ch >= 0x20 && ch != 127 && !f->choices;

	if (v->fresh && (erase || typed)) {
		form_driver(form, REQ_CLR_FIELD);
		leave_selection(v);
		if (typed)
			form_driver_w(form, OK, (wchar_t)ch);
		return true;
	}
	leave_selection(v);
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
	if (erase) {
		form_driver(form, REQ_DEL_PREV);
		return true;
	}
	if (typed) {
		form_driver_w(form, OK, (wchar_t)ch);
		return true;
	}
	return false;
}

/* The first field of the page DIR pages from field IDX's (around the
 * ends). */
static int page_turn(const struct form_view *v, int idx, int dir)
{
	int page = (v->page[idx] + dir + v->npages) % v->npages;

	for (int i = 0; i < v->n; i++)
		if (v->page[i] == page)
			return i;
	return idx;
}

static enum form_step form_key(struct ui *u, struct form_view *v, struct ui_field *f, int *edits,
			       wint_t ch, bool is_key)
{
	FIELD *cur = current_field(v->form);
	int idx = field_index(cur);
	enum action act = keymap_action(KS_FORM, ch, is_key, true);
	bool back = act == ACT_PREV_FIELD || act == ACT_UP;

	if (act == ACT_BACK) {
		form_driver(v->form, REQ_VALIDATION);
		if (!*edits || ui_confirm(u, _("Throw away what you typed?")))
			return FORM_CANCELLED;
		touchwin(v->win);
		return FORM_ON;
	}
	if (act == ACT_SAVE || (act == ACT_SELECT && idx == v->n - 1))
		return save(u, v, f);
	if (act == ACT_SELECT || act == ACT_NEXT_FIELD || act == ACT_DOWN || back ||
	    act == ACT_PGDN || act == ACT_PGUP) {
		form_driver(v->form, REQ_VALIDATION);
		if (check(u, cur, &f[idx]) < 0 && !back && act != ACT_PGUP)
			return FORM_ON;
		/* the next field may be on the next page: libform turns it */
		set_current_field(v->form, v->fields[act == ACT_PGDN || act == ACT_PGUP
						     ? page_turn(v, idx, act == ACT_PGDN ? 1 : -1)
						     : (idx + (back ? v->n - 1 : 1)) % v->n]);
		enter_field(v, f);
		return FORM_ON;
	}
	if (act == ACT_CLEAR) {
		if (!f[idx].choices) {
			form_driver(v->form, REQ_CLR_FIELD);
			leave_selection(v);
			++*edits;
		}
		return FORM_ON;
	}
	if (f[idx].choices && (is_key ? (ch == KEY_LEFT || ch == KEY_RIGHT) : ch >= 0x20)) {
		/* Space: the next choice (ticks or unticks a box) */
		if (pick_choice(cur, &f[idx], is_key ? (ch == KEY_RIGHT ? 1 : -1) : ch == ' ', ch))
			++*edits;
		return FORM_ON;
	}
	if (edit_key(v, &f[idx], ch, is_key))
		++*edits;
	return FORM_ON;
}

/* ---- the form's life: open, keys, idle ticks, resize, its draft ---- */

struct form_run {
	struct form_view v;
	struct ui_form_ctx ctx;        /* what the form is for (its draft reopens it) */
	const char *title;
	struct ui_field *f;
	const char *const *sections;
	int n, edits, kept_at;         /* edits so far; how many the kept draft has */
	bool kept;                     /* a draft of this form is on disk */
};

/* Seal what is typed now as the user's draft (a session only: the first-run
 * wizard has no keys to seal with). */
static void keep_draft(struct ui *u, struct form_run *fr)
{
	struct blob b;
	struct err err = { 0 };

	if (!u->s || !store_unlocked(u->s) || fr->edits == fr->kept_at)
		return;
	draft_pack(&b, &fr->ctx, fr->title, fr->v.fields, fr->f, fr->n);
	if (b.p && store_form_draft_put(u->s, b.p, b.len, &err) == 0) {
		fr->kept = true;
		fr->kept_at = fr->edits;
	}
	if (b.p) {
		sodium_memzero(b.p, b.size);
		sodium_free(b.p);
	}
}

/* A resize: the screen behind, then the form laid out again for the new
 * size with what was typed and the same field current. */
static int relayout(struct ui *u, struct form_run *fr)
{
	struct blob b;
	int idx = field_index(current_field(fr->v.form));

	draft_pack(&b, &fr->ctx, fr->title, fr->v.fields, fr->f, fr->n);
	layout_close(&fr->v);
	ui_redraw(u);
	if (layout_open(&fr->v, fr->f, fr->n, fr->sections) < 0) {
		if (b.p)
			sodium_free(b.p);
		return -1;
	}
	if (b.p) {
		draft_fill(b.p, b.len, fr->title, fr->v.fields, fr->f, fr->n);
		sodium_memzero(b.p, b.size);
		sodium_free(b.p);
	}
	set_current_field(fr->v.form, fr->v.fields[idx]);
	enter_field(&fr->v, fr->f);
	return 0;
}

/* Where the cursor starts, and a draft taken back at login when it is one
 * of this form. */
static void form_begin(struct ui *u, struct form_run *fr)
{
	if (u->form_start > 0 && u->form_start < fr->n)
		set_current_field(fr->v.form, fr->v.fields[u->form_start]);
	u->form_start = 0;
	if (u->restore && draft_fill(u->restore, u->restore_len, fr->title, fr->v.fields, fr->f, fr->n)) {
		store_form_draft_free(u->restore, u->restore_len);
		u->restore = NULL;
		fr->edits = 1;
		fr->kept = true;       /* it is still on disk until saved or cancelled */
		fr->kept_at = 1;
		ui_status(u, false, "%s", _("What you typed before is back: check it, then F2 saves."));
	}
	enter_field(&fr->v, fr->f);
}

int ui_form(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n)
{
	return ui_form_help(u, title, intro, f, n, NULL, NULL);
}

int ui_form_help(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n,
		 const char *const *sections, const char *const *help)
{
	struct form_run fr = { .ctx = u->form_ctx, .title = title, .f = f, .n = n, .sections = sections };
	enum form_step step = FORM_ON;

	if (n > MAX_FIELDS)
		return -1;
	if (layout_open(&fr.v, f, n, sections) < 0) {
		layout_close(&fr.v);
		return -1;
	}
	form_begin(u, &fr);
	while (step == FORM_ON) {
		wint_t ch;
		int r, idx = field_index(current_field(fr.v.form));

		layout_draw(u, &fr.v, title, help && help[idx] ? _(help[idx]) : intro, f, idx);
		curs_set(1);
		wtimeout(fr.v.win, 1000);
		wrefresh(fr.v.win);
		r = wget_wch(fr.v.win, &ch);
		if (r != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			r = ERR;
		curs_set(0);
		if (r == ERR) {        /* a quiet second: keep the draft; the idle lock */
			keep_draft(u, &fr);
			if (ui_idle_over(u))
				step = FORM_LOCKED;
			continue;
		}
		u->last_input = time(NULL);
		u->status[0] = '\0';
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			if (relayout(u, &fr) < 0)
				step = FORM_CANCELLED;
			continue;
		}
		step = form_key(u, &fr.v, f, &fr.edits, ch, r == KEY_CODE_YES);
		if (step == FORM_ON && field_index(current_field(fr.v.form)) != idx)
			keep_draft(u, &fr);    /* a field done: on disk at once */
	}
	if (step == FORM_LOCKED) {
		keep_draft(u, &fr);
		u->lock_pending = true;
	} else if (fr.kept && u->s && store_unlocked(u->s)) {
		store_form_draft_drop(u->s, NULL);
	}
	layout_close(&fr.v);
	return step == FORM_SAVED ? 0 : -1;
}

/* ---- a kept draft, offered back at login ---- */

bool ui_draft_offer(struct ui *u)
{
	struct ui_form_ctx ctx;
	struct err err = { 0 };
	unsigned char *p;
	const char *title;
	size_t len;

	if (store_form_draft_get(u->s, &p, &len, &err) <= 0)
		return false;
	if (!draft_head(p, len, &ctx, &title)) {
		store_form_draft_free(p, len);
		store_form_draft_drop(u->s, NULL);
		return false;
	}
	ui_status(u, false, _("Unsaved form: %s"), title);
	ui_redraw(u);
	if (!ui_confirm(u, _("Open the unsaved form again?"))) {
		store_form_draft_free(p, len);
		store_form_draft_drop(u->s, NULL);
		ui_status(u, false, "%s", _("The unsaved form was thrown away."));
		return false;
	}
	store_form_draft_free(u->restore, u->restore_len);
	u->restore = p;
	u->restore_len = len;
	u->form_ctx = ctx;
	return true;
}
