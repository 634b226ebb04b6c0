/* tui/ui_screens.c: first-run wizard, login, home, people and users. */
#include "tui/ui_int.h"
#include "tui/ui_desk.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/valid.h"
#include "storage/audit.h"
#include "app/i18n.h"
#include "app/msg.h"
#include "app/setup.h"
#include "storage/clock.h"
#include "core/banned.h"

/* ---- first-run wizard ---- */

static void wizard_draw(struct ui *u, WINDOW *w)
{
	(void)u;
	static const char *const lines[] = {
		N_("Welcome. There is no store on this device yet."),
		"",
		N_("Press Enter to set up this posyandu: its code and name, and the first admin."),
		N_("The admin chooses a PIN of at least 6 digits."),
		"",
		N_("A 6-digit PIN stops a co-user or a casual thief, not someone who copies the disk"),
		N_("and has a fast computer: keep the device with you."),
		N_("Until this device is enrolled with the district, a PIN that every admin forgot"),
		N_("cannot be recovered: add a second admin soon."),
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ui_put(w, 2 + (int)i, 2, getmaxx(w) - 4, lines[i][0] ? _(lines[i]) : "");
}

static int v_code(const char *s, struct err *e) { return valid_posyandu_code(s, e); }
static int v_user(const char *s, struct err *e) { return valid_user_label(s, e); }
static int v_required(const char *s, struct err *e)
{
	return *s ? 0 : err_set(e, ERR_REQUIRED, NULL, "required");
}

static int wizard_input(struct ui *u, enum action act)
{
	struct store_profile p;
	char admin[33] = "";
	struct pin pin;
	struct err err = { 0 };
	int rc;

	if (act == ACT_QUIT || act == ACT_BACK)
		return R_QUIT;
	if (act != ACT_SELECT)
		return R_NONE;
	setup_profile_from_config(u->c, &p);
	struct ui_field f[] = {
		{ N_("Posyandu code"), p.code, sizeof p.code, 15, NULL, v_code },
		{ N_("Posyandu name"), p.name, sizeof p.name, 30, NULL, v_required },
		{ N_("Village (desa)"), p.desa, sizeof p.desa, 30, NULL, NULL },
		{ N_("District (kecamatan)"), p.kecamatan, sizeof p.kecamatan, 30, NULL, NULL },
		{ N_("Puskesmas"), p.puskesmas, sizeof p.puskesmas, 30, NULL, NULL },
		{ N_("Regency (kabupaten)"), p.kabupaten, sizeof p.kabupaten, 30, NULL, NULL },
		{ N_("First admin's name"), admin, sizeof admin, 30, NULL, v_user },
	};
	if (ui_form(u, _("New posyandu"), _("Code: letters A-Z, digits and '-', e.g. P-0001"), f,
		    (int)(sizeof f / sizeof f[0])) < 0)
		return R_REDRAW;
	if (ui_new_pin(u, _("PIN for the first admin"), &pin) < 0)
		return R_REDRAW;
	ui_status(u, false, "%s", _("Preparing the keys (a few seconds)..."));
	mvaddstr(LINES - 2, 0, u->status);
	refresh();
	rc = setup_store_create(u->c, &p, admin, &pin, NULL, &err);
	pin_free(&pin);
	if (rc < 0) {
		ui_status_err(u, &err);
		return R_REDRAW;
	}
	u->s = u->c->store;
	ui_status(u, false, _("Store created for %s. Welcome, %s."), p.name, admin);
	u->next = &ui_home_ops;
	return R_HOME;
}

const struct screen_ops ui_wizard_ops = {
	.title = N_("First start"), .keys = KS_WIZARD,
	.draw = wizard_draw, .input = wizard_input,
};

/* ---- login ---- */

static struct ui_rows login;

static int login_load(struct ui *u, struct ui_rows *r, struct err *err)
{
	return store_users(u->s, &r->users, &r->n, err);
}

/* A list that does not load is empty: the screen still opens, it is the
 * way in. */
static int login_open(struct ui *u)
{
	ui_rows_load(u, &login, login_load);
	return 0;
}

static void login_close(struct ui *u)
{
	(void)u;
	ui_rows_free(&login);
}

static void login_row(int i, char *line, size_t size)
{
	const struct store_user *s = &login.users[i];
	snprintf(line, size, "%-24s %-8s %s", s->label, role_code(s->role), s->disabled ? _("(disabled)") : "");
}

static void login_draw(struct ui *u, WINDOW *w)
{
	const struct store_profile *p = store_get_profile(u->s);
	int rows = getmaxy(w) - 6, width = getmaxx(w) < 60 ? getmaxx(w) : 60;
	char line[160];

	snprintf(line, sizeof line, "%s (%s)%s%s", p->name, p->code, p->desa[0] ? ", " : "", p->desa);
	ui_put_bold(w, 1, 2, getmaxx(w) - 4, line);
	ui_put(w, 3, 2, getmaxx(w) - 4, _("Who are you? Choose your name and press Enter."));
	ui_list_draw(w, &login.l, 5, rows, width, login_row);
}

static int login_input(struct ui *u, enum action act)
{
	const struct store_user *who;
	struct err err = { 0 };
	struct pin pin;
	char title[96];
	int64_t wait_s;
	int rc;

	if (act != ACT_SELECT)
		return R_PASS;
	who = &login.users[login.l.sel];
	snprintf(title, sizeof title, _("PIN for %s"), who->label);
	if (ui_pin_prompt(u, title, _("Type your PIN and press Enter:"), &pin) < 0)
		return R_REDRAW;
	ui_status(u, false, "%s", _("Checking the PIN..."));
	mvaddstr(LINES - 2, 0, u->status);
	refresh();
	store_want_visit_refs(u->s);        /* the desk lists them next */
	rc = store_login(u->s, who->label, pin.buf, pin.len, &wait_s, &err);
	pin_free(&pin);
	if (rc < 0) {
		char msg[256];
		msg_err(&err, msg, sizeof msg);
		if (wait_s > 0)
			ui_status(u, true, _("%s. Wait %lld seconds before the next try."),
				  err.code == ERR_LOCKED ? _("Too many wrong PINs") : msg, (long long)wait_s);
		else
			ui_status(u, true, "%s", msg);
		login_open(u);
		return R_REDRAW;
	}
	const char *note[2];
	if (app_unlock_notes(u->s, note) > 0)   /* rolled back records, read-only */
		ui_status(u, true, "%s", note[0]);
	else
		ui_status(u, false, _("Welcome, %s."), who->label);
	if (ui_draft_offer(u))         /* a form left unsaved by a crash or the idle lock */
		ui_draft_reopen(u);
	if (u->depth > 1)
		return R_BACK;         /* back to where the last session was */
	u->next = &ui_home_ops;
	return R_HOME;
}

const struct screen_ops ui_login_ops = {
	.title = N_("Login"), .keys = KS_LOGIN, .list = &login.l,
	.open = login_open, .close = login_close, .draw = login_draw, .input = login_input,
};

/* ---- home ---- */

enum home_item { HOME_OPEN, HOME_PIN, HOME_AUDIT, HOME_LOCK, HOME_QUIT };

static const struct {
	enum home_item item;
	const struct screen_ops *ops;  /* HOME_OPEN: the screen it opens */
	const char *label;             /* msgid */
	enum role min_role;
} home_items[] = {
	{ HOME_OPEN, &ui_desk_ops, N_("Desk: find, register, weigh"), ROLE_KADER },
	{ HOME_OPEN, &ui_quiz_take_ops, N_("Take a quiz"), ROLE_KADER },
	{ HOME_OPEN, &ui_quiz_trainings_ops, N_("Training and quizzes"), ROLE_TRAINER },
	{ HOME_OPEN, &ui_report_ops, N_("Reports and follow-up lists"), ROLE_KADER },
	{ HOME_PIN, NULL, N_("Change my PIN"), ROLE_KADER },
	{ HOME_OPEN, &ui_users_ops, N_("Users and PINs"), ROLE_ADMIN },
	{ HOME_AUDIT, NULL, N_("Check the audit log"), ROLE_ADMIN },
	{ HOME_OPEN, &ui_sync_ops, N_("Send and receive data (USB, network)"), ROLE_ADMIN },
	{ HOME_OPEN, &ui_review_ops, N_("Needs review (Perlu ditinjau)"), ROLE_TRAINER },
	{ HOME_LOCK, NULL, N_("Lock (next kader logs in)"), ROLE_KADER },
	{ HOME_QUIT, NULL, N_("Quit"), ROLE_KADER },
};
#define NHOME ((int)(sizeof home_items / sizeof home_items[0]))

static struct {
	int map[NHOME];            /* visible row -> home_items index */
	struct ui_list l;
} home;

static int home_open(struct ui *u)
{
	const struct store_user *who = store_session(u->s);
	home.l.n = 0;
	for (int i = 0; i < NHOME; i++)
		if (who && who->role >= home_items[i].min_role)
			home.map[home.l.n++] = i;
	if (home.l.sel >= home.l.n)
		home.l.sel = 0;
	return 0;
}

static void home_draw(struct ui *u, WINDOW *w)
{
	size_t people = 0, visits = 0;
	struct err err = { 0 };
	char line[160], day[DATE_BUFSZ];

	if (store_counts(u->s, &people, &visits, NULL, &err) == 0) {
		snprintf(line, sizeof line, _("Today %s. %zu people and %zu visits recorded."),
			 date_format(clock_today(), day), people, visits);
		ui_put(w, 1, 2, getmaxx(w) - 4, line);
	}
	for (int i = 0; i < home.l.n; i++)
		ui_list_row(w, &home.l, i, 3 + i, 40, _(home_items[home.map[i]].label));
}

static void audit_check(struct ui *u)
{
	struct err err = { 0 };
	uint64_t bad;
	size_t n;
	if (store_audit_verify(u->s, &n, &bad, &err) < 0)
		ui_status(u, true, _("The audit log is broken at entry %llu: it was changed, removed or reordered"),
			  (unsigned long long)bad);
	else
		ui_status(u, false, _("Audit log intact: %zu entries"), n);
}

static void change_own_pin(struct ui *u)
{
	const struct store_user *who = store_session(u->s);
	struct err err = { 0 };
	struct pin pin;
	int rc;

	if (ui_new_pin(u, _("Change my PIN"), &pin) < 0)
		return;
	rc = setup_user_passwd(u->c, who->label, &pin, &err);
	pin_free(&pin);
	if (rc < 0)
		ui_status_err(u, &err);
	else
		ui_status(u, false, "%s", _("PIN changed. Use the new PIN from now on."));
}

static int home_input(struct ui *u, enum action act)
{
	if (act == ACT_BACK)
		return R_QUIT;
	if (act != ACT_SELECT)
		return R_PASS;
	switch (home_items[home.map[home.l.sel]].item) {
	case HOME_OPEN:
		u->next = home_items[home.map[home.l.sel]].ops;
		return R_PUSH;
	case HOME_PIN:
		change_own_pin(u);
		return R_REDRAW;
	case HOME_AUDIT:
		audit_check(u);
		return R_REDRAW;
	case HOME_LOCK:
		return R_LOCK;
	case HOME_QUIT:
		return R_QUIT;
	}
	return R_NONE;
}

const struct screen_ops ui_home_ops = {
	.title = N_("Home"), .keys = KS_HOME, .list = &home.l, .needs_session = true,
	.open = home_open, .draw = home_draw, .input = home_input,
};

/* ---- users (admin) ---- */

static struct ui_rows users;

static int users_load(struct ui *u, struct ui_rows *r, struct err *err)
{
	return setup_user_list(u->c, &r->users, &r->n, err);
}

static void users_draw(struct ui *u, WINDOW *w)
{
	char line[160];
	(void)u;

	snprintf(line, sizeof line, "%-24s %-8s %-10s %s", _("Name"), _("Role"), _("Status"),
		 _("Wrong PINs"));
	ui_put_bold(w, 0, 1, getmaxx(w) - 2, line);
	for (int i = 0; i < users.l.n; i++) {
		const struct store_user *s = &users.users[i];
		snprintf(line, sizeof line, "%-24s %-8s %-10s %d", s->label, role_code(s->role),
			 s->disabled ? _("disabled") : _("active"), s->failed);
		ui_list_row(w, &users.l, i, 1 + i, getmaxx(w), line);
	}
	ui_put(w, getmaxy(w) - 2, 1, getmaxx(w) - 2,
	       _("A 6-digit PIN stops co-users, not someone who copies the disk."));
}

static int v_role(const char *s, struct err *e)
{
	enum role r;
	return setup_role(s, &r, e);
}

static int users_input(struct ui *u, enum action act)
{
	static const char *const roles[] = { "kader", "trainer", "admin", NULL };
	struct err err = { 0 };
	struct pin pin;
	char label[33] = "", role[16] = "";
	enum role r;
	int rc;

	switch (act) {
	case ACT_ADD: {
		struct ui_field f[] = {
			{ N_("Name"), label, sizeof label, 24, NULL, v_user },
			{ N_("Role"), role, sizeof role, 10, roles, v_role },
		};
		if (ui_form(u, _("New user"), NULL, f, 2) < 0)
			return R_REDRAW;
		if (ui_new_pin(u, _("PIN for the new user"), &pin) < 0)
			return R_REDRAW;
		rc = setup_role(role, &r, &err) < 0 ? -1 : setup_user_add(u->c, label, r, &pin, &err);
		pin_free(&pin);
		if (rc < 0)
			ui_status_err(u, &err);
		else
			ui_status(u, false, _("User %s added (%s)"), label, role);
		ui_rows_load(u, &users, users_load);
		return R_REDRAW;
	}
	case ACT_PIN:
		if (!users.n || ui_new_pin(u, _("New PIN"), &pin) < 0)
			return R_REDRAW;
		rc = setup_user_passwd(u->c, users.users[users.l.sel].label, &pin, &err);
		pin_free(&pin);
		if (rc < 0)
			ui_status_err(u, &err);
		else
			ui_status(u, false, _("PIN of %s changed"), users.users[users.l.sel].label);
		ui_rows_load(u, &users, users_load);
		return R_REDRAW;
	case ACT_DISABLE:
		if (!users.n || !ui_confirm(u, _("Disable this user? Their PIN will open nothing.")))
			return R_REDRAW;
		if (setup_user_disable(u->c, users.users[users.l.sel].label, &err) < 0)
			ui_status_err(u, &err);
		else
			ui_status(u, false, _("User %s disabled"), users.users[users.l.sel].label);
		ui_rows_load(u, &users, users_load);
		return R_REDRAW;
	default:
		return R_PASS;
	}
}

const struct screen_ops ui_users_ops = {
	.title = N_("Users"), .keys = KS_USERS, .list = &users.l, .needs_session = true,
	.role = ROLE_ADMIN, .rows = &users, .load = users_load, .draw = users_draw, .input = users_input,
};
