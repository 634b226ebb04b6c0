/* tui/ui.c: the screen loop, the title and bottom bars, idle lock, and the
 * small modal widgets. Works in 80x24, monochrome and on the Linux console:
 * the selection is reverse video and errors carry a "!" as well as colour. */
#include "tui/ui.h"
#include "tui/ui_int.h"

#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "core/valid.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "storage/arena.h"
#include "storage/draft.h"
#include "core/banned.h"

enum { PAIR_TITLE = 1, PAIR_BAR, PAIR_ERR, PAIR_OK };

void ui_put(WINDOW *w, int y, int x, int width, const char *s)
{
	wchar_t wbuf[256];
	mbstate_t st;
	const char *p = s;
	size_t n;
	int cols = 0, i;

	if (width <= 0)
		return;
	memset(&st, 0, sizeof st);
	n = mbsrtowcs(wbuf, &p, 255, &st);
	if (n == (size_t)-1) {              /* not valid in this locale: bytes as they are */
		mvwaddnstr(w, y, x, s, width);
		return;
	}
	wbuf[n] = L'\0';
	for (i = 0; wbuf[i]; i++) {
		int cw = wcwidth(wbuf[i]);
		if (cw < 0)
			cw = 1;
		if (cols + cw > width)
			break;
		cols += cw;
	}
	mvwaddnwstr(w, y, x, wbuf, i);
}

void ui_put_bold(WINDOW *w, int y, int x, int width, const char *s)
{
	wattron(w, A_BOLD);
	ui_put(w, y, x, width, s);
	wattroff(w, A_BOLD);
}

void ui_status(struct ui *u, bool is_error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_err = is_error;
}

void ui_status_err(struct ui *u, const struct err *e)
{
	char buf[256];
	ui_status(u, true, "%s", msg_err(e, buf, sizeof buf));
}

static enum keyset screen_keys(const struct screen_ops *scr)
{
	return scr->keys_now ? scr->keys_now() : scr->keys;
}

static void draw_frame(struct ui *u, const struct screen_ops *scr)
{
	const struct store_profile *p = u->s ? store_get_profile(u->s) : NULL;
	const struct store_user *who = u->s ? store_session(u->s) : NULL;
	char left[160], right[80];
	int x = 0;

	/* Title bar. */
	attron(A_REVERSE | (u->color ? COLOR_PAIR(PAIR_TITLE) : 0));
	mvhline(0, 0, ' ', COLS);
	snprintf(left, sizeof left, " posyandu  %s%s%s", _(scr->title), p ? " | " : "",
		 p ? p->name : "");
	ui_put(stdscr, 0, 0, COLS - 20, left);
	if (who) {
		snprintf(right, sizeof right, "%s (%s) ", who->label, role_code(who->role));
		ui_put(stdscr, 0, COLS - (int)strlen(right), (int)strlen(right), right);
	}
	attroff(A_REVERSE | (u->color ? COLOR_PAIR(PAIR_TITLE) : 0));

	/* Status line. */
	move(LINES - 2, 0);
	clrtoeol();
	if (u->status[0]) {
		int attr = u->status_err ? (A_BOLD | (u->color ? COLOR_PAIR(PAIR_ERR) : 0)) : 0;
		attron(attr);
		snprintf(left, sizeof left, "%s %s", u->status_err ? "!" : ">", u->status);
		ui_put(stdscr, LINES - 2, 0, COLS, left);
		attroff(attr);
	}

	/* Bottom bar: only the keys that work here. */
	move(LINES - 1, 0);
	clrtoeol();
	for (const enum action *a = keymap_set(screen_keys(scr)); a && *a != ACT_NONE; a++) {
		const struct keydef *d = keymap_def(*a);
		int len, lw;
		if (!d)
			continue;
		/* the first key only: the help screen and the man page list them all */
		len = (int)strcspn(d->keys, " ");
		snprintf(left, sizeof left, " %s ", _(d->label));
		lw = (int)mbstowcs(NULL, left, 0) > 0 ? (int)mbstowcs(NULL, left, 0) : (int)strlen(left);
		if (x + len + lw - 1 > COLS)
			break;             /* a key whole or not at all ("F12 Lo" reads as nothing) */
		attron(A_REVERSE);
		mvaddnstr(LINES - 1, x, d->keys, len);
		attroff(A_REVERSE);
		x += len;
		ui_put(stdscr, LINES - 1, x, COLS - x, left);
		x += lw;
	}
}

static void redraw(struct ui *u)
{
	const struct screen_ops *scr = u->stack[u->depth - 1];
	WINDOW *body;

	erase();
	if (LINES < 20 || COLS < 60) {
		mvaddstr(0, 0, _("The window is too small: 80x24 or more is needed"));
		refresh();
		return;
	}
	draw_frame(u, scr);
	refresh();
	body = newwin(LINES - 3, COLS, 1, 0);
	if (body) {
		keypad(body, TRUE);
		scr->draw(u, body);
		wnoutrefresh(body);
		delwin(body);
	}
	doupdate();
}

void ui_redraw(struct ui *u)
{
	if (u->depth > 0)
		redraw(u);
}

bool ui_tty_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

bool ui_idle_over(const struct ui *u)
{
	int idle = u->c->cfg.idle_lock_min * 60;
	/* a terminal that went away (an SSH session dropped, under nohup or a
	 * shell that ignores SIGHUP) locks at once: nobody is at the desk */
	if (ui_tty_gone())
		return u->s && store_unlocked(u->s);
	return idle && u->s && store_unlocked(u->s) && time(NULL) - u->last_input >= idle;
}

/* ---- lists ---- */

enum reaction ui_list_move(struct ui_list *l, enum action act)
{
	int page = l->rows > 0 ? l->rows : 10;
	int *pos = l->text ? &l->top : &l->sel;
	int last = l->text ? l->n - l->rows : l->n - 1;

	switch (act) {
	case ACT_UP: *pos -= 1; break;
	case ACT_DOWN: *pos += 1; break;
	case ACT_PGUP: *pos -= page; break;
	case ACT_PGDN: *pos += page; break;
	case ACT_HOME: *pos = 0; break;
	case ACT_END: *pos = last; break;
	default: return R_NONE;
	}
	if (*pos > last)
		*pos = last;
	if (*pos < 0)
		*pos = 0;
	return R_REDRAW;
}

void ui_list_scroll(struct ui_list *l, int rows)
{
	l->rows = rows;
	if (l->text) {
		if (l->top > l->n - rows)
			l->top = l->n - rows;
	} else {
		if (l->sel < l->top)
			l->top = l->sel;
		if (l->sel >= l->top + rows)
			l->top = l->sel - rows + 1;
	}
	if (l->top < 0)
		l->top = 0;
}

void ui_list_set(struct ui_list *l, size_t n)
{
	l->n = (int)n;
	if (l->sel >= l->n)
		l->sel = 0;
}

void ui_list_row_at(WINDOW *w, const struct ui_list *l, int i, int y, int x, int width,
		    const char *text)
{
	if (i == l->sel)
		wattron(w, A_REVERSE);
	mvwhline(w, y, x, ' ', width);
	ui_put(w, y, x + 1, width - 2, text);
	if (i == l->sel)
		wattroff(w, A_REVERSE);
}

void ui_list_row(WINDOW *w, const struct ui_list *l, int i, int y, int width, const char *text)
{
	ui_list_row_at(w, l, i, y, 0, width, text);
}

/* The list screens: a row is a line, however each screen writes it. */
void ui_list_draw(WINDOW *w, struct ui_list *l, int y0, int rows, int width,
		  void (*row)(int i, char *line, size_t size))
{
	char line[256];

	ui_list_scroll(l, rows);
	for (int i = l->top; i < l->n && i - l->top < rows; i++) {
		row(i, line, sizeof line);
		ui_list_row(w, l, i, y0 + i - l->top, width, line);
	}
}

void ui_rows_free(struct ui_rows *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
	r->l.n = 0;
}

int ui_rows_load(struct ui *u, struct ui_rows *r, ui_rows_loader *load)
{
	struct err err = { 0 };

	ui_rows_free(r);
	if (load(u, r, &err) < 0) {
		ui_rows_free(r);
		ui_status_err(u, &err);
		return -1;
	}
	ui_list_set(&r->l, r->n);
	return 0;
}

/* ---- modal widgets ---- */

static WINDOW *dialog(int h, int w, const char *title)
{
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	WINDOW *d = newwin(h, w, y > 0 ? y : 0, x > 0 ? x : 0);
	if (!d)
		return NULL;
	keypad(d, TRUE);
	werase(d);
	box(d, 0, 0);
	wattron(d, A_BOLD);
	ui_put(d, 0, 2, w - 4, title);
	wattroff(d, A_BOLD);
	return d;
}

int ui_pin_prompt(struct ui *u, const char *title, const char *label, struct pin *out)
{
	WINDOW *d;
	wint_t ch;
	int rc, w = 56;

	out->len = 0;
	if (!(out->buf = sodium_malloc(PIN_MAX + 1)))
		return -1;
	out->buf[0] = '\0';
	for (;;) {
		if (!(d = dialog(7, w, title)))
			break;
		ui_put(d, 2, 2, w - 4, label);
		mvwhline(d, 4, 2, '_', 24);
		for (size_t i = 0; i < out->len && i < 24; i++)
			mvwaddch(d, 4, 2 + (int)i, '*');
		ui_put(d, 5, 2, w - 4, _("Enter: OK   Esc: cancel"));
		wmove(d, 4, 2 + (int)(out->len < 24 ? out->len : 24));
		curs_set(1);
		wrefresh(d);
		rc = wget_wch(d, &ch);
		if (rc != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			rc = ERR;
		curs_set(0);
		delwin(d);
		u->last_input = time(NULL);
		if (rc == ERR) {
			if (ui_tty_gone())
				break;             /* as Esc: nobody to type it */
			continue;
		}
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			redraw(u);
			continue;
		}
		if ((rc == OK && (ch == '\n' || ch == '\r')) || (rc == KEY_CODE_YES && ch == KEY_ENTER)) {
			out->buf[out->len] = '\0';
			touchwin(stdscr);
			return 0;
		}
		if (rc == OK && ch == 27)
			break;
		if ((rc == KEY_CODE_YES && ch == KEY_BACKSPACE) || (rc == OK && (ch == 127 || ch == 8))) {
			if (out->len)
				out->buf[--out->len] = '\0';
			continue;
		}
		if (rc == OK && ch >= 0x20 && ch < 0x7f && out->len < PIN_MAX)
			out->buf[out->len++] = (char)ch;
	}
	pin_free(out);
	touchwin(stdscr);
	return -1;
}

int ui_new_pin(struct ui *u, const char *title, struct pin *out)
{
	struct pin again;
	struct err err = { 0 };

	for (;;) {
		if (ui_pin_prompt(u, title, _("New PIN (at least 6 digits):"), out) < 0)
			return -1;
		if (valid_secret(out->buf, out->len, (enum secret_policy)u->c->cfg.min_secret, &err) < 0) {
			pin_free(out);
			ui_status_err(u, &err);
			redraw(u);
			continue;
		}
		if (ui_pin_prompt(u, title, _("Type the new PIN again:"), &again) < 0) {
			pin_free(out);
			return -1;
		}
		if (again.len == out->len && sodium_memcmp(again.buf, out->buf, out->len) == 0) {
			pin_free(&again);
			return 0;
		}
		pin_free(&again);
		pin_free(out);
		ui_status(u, true, "%s", _("The two PINs differ"));
		redraw(u);
	}
}

bool ui_confirm(struct ui *u, const char *question)
{
	WINDOW *d;
	wint_t ch;
	int rc;

	for (;;) {
		/* up to three lines of the question, broken at blanks */
		int w = COLS - 4 < 76 ? COLS - 4 : 76, y = 2;
		const char *q = question;
		if (!(d = dialog(8, w, _("Are you sure?"))))
			return false;
		while (*q && y < 5) {
			size_t len = strlen(q), cut = len;
			if (len > (size_t)(w - 4) && y < 4) {
				for (cut = (size_t)(w - 4); cut > 0 && q[cut] != ' '; cut--)
					;
				if (!cut)
					cut = (size_t)(w - 4);
			}
			char line[256];
			snprintf(line, sizeof line, "%.*s", (int)cut, q);
			ui_put(d, y++, 2, w - 4, line);
			q += cut;
			while (*q == ' ')
				q++;
		}
		ui_put(d, 6, 2, w - 4, _("y: yes   n / Esc: no"));
		wrefresh(d);
		rc = wget_wch(d, &ch);
		if (rc != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			rc = ERR;
		delwin(d);
		touchwin(stdscr);
		u->last_input = time(NULL);
		if (rc == ERR && ui_tty_gone())
			return false;              /* nobody to say yes */
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			redraw(u);
			continue;
		}
		if (rc == OK && (ch == 'y' || ch == 'Y'))
			return true;
		if (rc == OK && (ch == 'n' || ch == 'N' || ch == 27))
			return false;
	}
}

/* The keys of this screen, from the one key table, then general hints. */
void ui_help(struct ui *u, enum keyset ks)
{
	int h = LINES - 2, w = COLS - 4, y = 2;
	WINDOW *d = dialog(h, w, _("Help"));
	wint_t ch;

	if (!d)
		return;
	wattron(d, A_BOLD);
	ui_put(d, y++, 2, w - 4, _("Keys on this screen:"));
	wattroff(d, A_BOLD);
	for (const enum action *a = keymap_set(ks); a && *a != ACT_NONE && y < h - 3; a++) {
		const struct keydef *k = keymap_def(*a);
		char line[160];
		snprintf(line, sizeof line, "  %-12s %s", k->keys, _(k->label));
		ui_put(d, y++, 2, w - 4, line);
	}
	y++;
	ui_put(d, y++, 2, w - 4, _("Dates are DD-MM-YYYY."));
	ui_put(d, y++, 2, w - 4, _("Decimals take a comma or a point: 9,1 = 9.1."));
	ui_put(d, y++, 2, w - 4, _("Esc goes back and asks before throwing away what you typed."));
	ui_put(d, y++, 2, w - 4, _("Everything is saved to disk before the screen says so."));
	ui_put(d, h - 2, 2, w - 4, _("Any key: close"));
	wrefresh(d);
	while (wget_wch(d, &ch) == ERR && !ui_tty_gone())
		;
	delwin(d);
	touchwin(stdscr);
	u->last_input = time(NULL);
}

/* ---- the loop ---- */

/* The view driver (tig's view_driver): the key as an action of the
 * screen's key set; the screen first, then the usual for what it passes. */
static int drive(struct ui *u, const struct screen_ops *scr, wint_t ch, bool is_key)
{
	enum keyset ks = screen_keys(scr);
	enum action act = keymap_action(ks, ch, is_key, scr->text);
	struct ui_list *l = scr->list_now ? scr->list_now() : scr->list;
	int r = R_PASS;

	if (act == ACT_HELP) {
		ui_help(u, ks);
		return R_NONE;
	}
	if (act == ACT_NONE && !scr->text)
		return R_NONE;             /* no key of this screen */
	if (act == ACT_SELECT && l && !l->text && l->n <= 0)
		return R_NONE;             /* Enter on an empty list opens nothing */
	u->key = ch;
	u->key_is_code = is_key;
	memset(&u->form_ctx, 0, sizeof u->form_ctx);   /* a form says what it is for anew */
	if (scr->input)
		r = scr->input(u, act);
	if (r != R_PASS)
		return r;
	switch (act) {
	case ACT_BACK: return R_BACK;
	case ACT_LOCK: return R_LOCK;
	case ACT_QUIT: return R_QUIT;
	case ACT_STEPS:                /* the day's steps, from any screen that has the key */
		u->next = &ui_steps_ops;
		return R_PUSH;
	default: return l ? ui_list_move(l, act) : R_NONE;
	}
}

/* Open SCR for this session: the role it needs, the rows it lists, then
 * what the screen itself loads. -1 leaves the message. */
static int open_screen(struct ui *u, const struct screen_ops *scr)
{
	const struct store_user *who = scr->role ? store_session(u->s) : NULL;

	if (scr->role && (!who || who->role < scr->role)) {
		struct err err = { 0 };
		err_set(&err, ERR_DENIED, NULL,
			scr->role == ROLE_ADMIN ? "admin only" : "trainer or admin");
		ui_status_err(u, &err);
		return -1;
	}
	if (scr->rows && ui_rows_load(u, scr->rows, scr->load) < 0)
		return -1;
	return scr->open ? scr->open(u) : 0;
}

static void close_screen(struct ui *u, const struct screen_ops *scr)
{
	if (scr->close)
		scr->close(u);
	if (scr->rows)
		ui_rows_free(scr->rows);
}

static void push(struct ui *u, const struct screen_ops *scr)
{
	if (u->depth == UI_STACK)
		return;
	u->stack[u->depth++] = scr;
	if (open_screen(u, scr) < 0)
		u->depth--;
}

static void pop(struct ui *u)
{
	close_screen(u, u->stack[u->depth - 1]);
	u->depth--;
}

/* Wipe keys and every decrypted screen, keep the stack so the next login
 * comes back to the same place (the screens reload on return). */
static void lock_now(struct ui *u)
{
	for (int i = u->depth - 1; i >= 0; i--)
		if (u->stack[i]->needs_session)
			close_screen(u, u->stack[i]);
	store_lock(u->s);
	desk_unload();                 /* whoever loaded it, nothing decrypted stays */
	store_form_draft_free(u->restore, u->restore_len);   /* it stays sealed on disk */
	u->restore = NULL;
	/* Repaint from a cleared terminal: no cell of the last screen stays in
	 * curses' copies of it (curscr) or on the terminal. */
	clearok(curscr, TRUE);
	u->stack[u->depth++] = &ui_login_ops;
	ui_login_ops.open(u);
	ui_status(u, false, "%s", _("Locked. Log in to continue."));
}

/* After a login from the lock screen: reopen what was there. */
static void resume(struct ui *u)
{
	for (int i = 0; i < u->depth; i++)
		if (u->stack[i]->needs_session && open_screen(u, u->stack[i]) < 0) {
			u->depth = i;
			break;
		}
}

/* Ctrl-S saves: the terminal must not take it as XOFF and stop all output
 * while the app goes on reading keys (issue 12). Curses keeps this as the
 * program's mode; endwin() gives the shell its own mode back. */
static void flow_control_off(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
		def_prog_mode();
	}
}

static void setup_curses(struct ui *u)
{
	const char *cs = nl_langinfo(CODESET);

	u->ascii = !(cs && strcmp(cs, "UTF-8") == 0);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	flow_control_off();
	timeout(1000);
	arena_warn_to(NULL);           /* stderr is the screen: the desk says it */
	if (has_colors() && !getenv("NO_COLOR")) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_ERR, COLOR_RED, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		u->color = true;
	}
}

int ui_run(struct app *c)
{
	struct ui u;
	struct err err = { 0 };

	memset(&u, 0, sizeof u);
	u.c = c;
	if (store_exists(c->data_dir)) {
		static const struct store_open_opts one = { .one_thread = true };
		if (!(u.s = store_open(c->data_dir, &one, &err)))
			return app_fail(&err);
		c->store = u.s;
	}
	setup_curses(&u);
	u.last_input = time(NULL);
	push(&u, u.s ? &ui_login_ops : &ui_wizard_ops);

	while (u.depth > 0) {
		const struct screen_ops *scr;
		wint_t ch;
		int rc, r;

		redraw(&u);
		rc = get_wch(&ch);
		if (rc != ERR && ui_tty_gone())   /* a hang-up may read as a resize */
			rc = ERR;
		if (rc == ERR) {           /* the 1 s tick: idle lock */
			if (ui_idle_over(&u) && u.stack[u.depth - 1] != &ui_login_ops)
				lock_now(&u);
			if (ui_tty_gone())
				break;             /* locked above; the store closes on the way out */
			continue;
		}
		u.last_input = time(NULL);
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		u.status[0] = '\0';
		scr = u.stack[u.depth - 1];
		r = drive(&u, scr, ch, rc == KEY_CODE_YES);
		if (r & R_QUIT)
			break;
		if ((r & R_LOCK) || u.lock_pending) {   /* a form closed by the idle lock */
			u.lock_pending = false;
			lock_now(&u);
			continue;
		}
		if (r & R_BACK) {
			bool was_login = scr == &ui_login_ops;
			pop(&u);
			if (was_login && u.depth > 0)
				resume(&u);
		}
		if (r & R_HOME) {
			while (u.depth > 0)
				pop(&u);
			push(&u, u.next);
		}
		if (r & R_PUSH)
			push(&u, u.next);
		if (r & R_POPTO)
			while (u.depth > 1 && u.stack[u.depth - 1] != u.next)
				pop(&u);
	}
	while (u.depth > 0)
		pop(&u);
	desk_unload();                 /* wiped at exit too, whoever loaded it */
	store_form_draft_free(u.restore, u.restore_len);
	endwin();
	return 0;
}
