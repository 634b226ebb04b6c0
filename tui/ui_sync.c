/* tui/ui_sync.c: two screens over app/transfer.h and sync/ (the CLI's
 * export/import/sync/conflicts do the same through the same use cases):
 *
 *   "Send and receive data" (admin): export to a USB drive with a progress
 *   bar, import a receipt or a district bundle from a drive, sync over the
 *   network; the state of the watermark.
 *
 *   "Perlu ditinjau" (trainer, admin): records two devices edited at the
 *   same time, and for one of them both versions side by side; keeping one
 *   makes a new version on every device once synced. Nothing is merged
 *   field by field. */
#include "tui/ui_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "storage/sync_store.h"
#include "sync/keystr.h"
#include "sync/wire.h"
#include "app/desk_data.h"
#include "app/i18n.h"
#include "app/transfer.h"
#include "tui/ui_desk.h"
#include "app/msg.h"
#include "core/banned.h"

/* ======== Send and receive data ======== */

enum sync_item { SY_EXPORT, SY_IMPORT, SY_NETWORK, SY_BACK };

static const char *const sync_labels[] = {
	[SY_EXPORT] = N_("Export to a USB drive (for the district)"),
	[SY_IMPORT] = N_("Import a receipt or a bundle from a USB drive"),
	[SY_NETWORK] = N_("Send and receive over the network"),
	[SY_BACK] = N_("Back"),
};

static struct {
	struct ui_list l;
	bool enrolled;
	char fpr[KEYSTR_FPR_LEN];
	uint64_t watermark;
	size_t pending;            /* versions made here, not acknowledged */
	bool unacked;
	uint64_t unacked_seq;
} sy;

static int count_version(void *ctx, const struct sync_version *v, const char *payload, size_t len,
			 struct err *err)
{
	(void)v;
	(void)payload;
	(void)len;
	(void)err;
	(*(size_t *)ctx)++;
	return 0;
}

static int sync_open(struct ui *u)
{
	struct sync_district d;
	struct sync_export e;
	struct err err = { 0 };

	sy.l.n = SY_BACK + 1;
	sy.enrolled = sync_district_get(u->s, &d, &err) == 0;
	if (sy.enrolled)
		keystr_fingerprint(d.keystr, sy.fpr);
	sy.pending = 0;
	if (sync_watermark(u->s, &sy.watermark, &err) < 0 ||
	    sync_each_version(u->s, &(struct sync_filter){ .after = sy.watermark,
			      .only_device = store_device_id(u->s) }, count_version, &sy.pending, &err) < 0 ||
	    sync_export_unacked(u->s, &e, &sy.unacked, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	sy.unacked_seq = sy.unacked ? e.seq : 0;
	return 0;
}

static void sync_draw(struct ui *u, WINDOW *w)
{
	char line[200];
	int width = getmaxx(w) - 4;

	if (!sy.enrolled) {
		ui_put(w, 1, 2, width, _("This device is not enrolled with the district yet."));
		ui_put(w, 2, 2, width, _("An admin enrols it once with: posyandu enroll --district-key KEY"));
	} else {
		snprintf(line, sizeof line, _("District key: %s"), sy.fpr);
		ui_put(w, 1, 2, width, line);
		if (sy.pending)
			snprintf(line, sizeof line, _("Records saved here and not yet acknowledged by the district: %zu"),
				 sy.pending);
		else
			snprintf(line, sizeof line, "%s", _("The district has acknowledged every change."));
		ui_put(w, 2, 2, width, line);
		if (sy.unacked) {
			snprintf(line, sizeof line, _("Bundle #%llu is waiting for its receipt."),
				 (unsigned long long)sy.unacked_seq);
			ui_put(w, 3, 2, width, line);
		}
	}
	for (int i = 0; i < sy.l.n; i++) {
		if (i == SY_NETWORK && !u->c->cfg.server[0])
			snprintf(line, sizeof line, "%s %s", _(sync_labels[i]), _("(no server configured)"));
		else
			snprintf(line, sizeof line, "%s", _(sync_labels[i]));
		ui_list_row_at(w, &sy.l, i, 5 + i, 1, 60, line);
	}
}

/* The export's progress bar, in a box over the screen. */
static void progress_draw(void *ctx, uint64_t done, uint64_t total)
{
	WINDOW *box = ctx;
	int width = getmaxx(box) - 4, fill = total ? (int)((double)done / (double)total * width) : width;
	char pct[16];

	if (fill > width)
		fill = width;
	mvwhline(box, 2, 2, ' ', width);
	if (fill > 0)
		mvwhline(box, 2, 2, ACS_CKBOARD, fill);
	snprintf(pct, sizeof pct, " %3d%% ", total ? (int)(done * 100 / total) : 100);
	mvwaddstr(box, 3, (getmaxx(box) - (int)strlen(pct)) / 2, pct);
	wrefresh(box);
}

static WINDOW *progress_box(const char *title)
{
	int width = COLS > 64 ? 60 : COLS - 4;
	WINDOW *box = newwin(6, width, LINES / 2 - 3, (COLS - width) / 2);
	if (!box)
		return NULL;
	werase(box);
	box(box, 0, 0);
	ui_put(box, 1, 2, width - 4, title);
	wrefresh(box);
	return box;
}

/* The work under BOX is over: the box goes, and when it failed (RC < 0)
 * ERR goes to the status line and it is -1. */
static int progress_done(struct ui *u, WINDOW *box, int rc, const struct err *err)
{
	if (box)
		delwin(box);
	touchwin(stdscr);
	if (rc < 0)
		ui_status_err(u, err);
	return rc < 0 ? -1 : 0;
}

/* Which drive: the only one, or one chosen in a small form. */
static int choose_drive(struct ui *u, char *dir, size_t size)
{
	static char drives[USB_MAX_DRIVES][512];
	static const char *choices[USB_MAX_DRIVES + 1];
	char value[512];
	struct err err = { 0 };
	size_t n;

	if (transfer_drives(drives, &n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		choices[i] = drives[i];
	choices[n] = NULL;
	snprintf(value, sizeof value, "%s", drives[0]);
	if (n > 1) {
		struct ui_field f[] = {
			{ N_("USB drive"), value, sizeof value, 40, choices, NULL },
		};
		if (ui_form(u, _("Export to a USB drive"), _("Left/Right chooses the drive."), f, 1) < 0)
			return -1;
	}
	snprintf(dir, size, "%s", value);
	return 0;
}

static void do_export(struct ui *u)
{
	struct transfer_export_opts o = { .full = false, .progress = progress_draw };
	struct transfer_export_result r;
	struct err err = { 0 };
	char dir[512];
	WINDOW *box;
	int rc;

	if (transfer_enrolled(u->c, &err) < 0) {
		ui_status_err(u, &err);
		return;
	}
	if (choose_drive(u, dir, sizeof dir) < 0)
		return;
	box = progress_box(_("Writing the bundle..."));
	o.dir = dir;
	o.progress_ctx = box;
	if (!box)
		o.progress = NULL;
	rc = transfer_export(u->c, &o, &r, &err);
	if (progress_done(u, box, rc, &err) < 0)
		return;
	if (r.ex.empty)
		ui_status(u, false, "%s", _("Nothing new to export: the district has acknowledged everything."));
	else
		ui_status(u, false, _("Done: %u records written. Eject the USB drive before pulling it out."),
			  r.ex.e.versions);
}

static void do_import(struct ui *u)
{
	char path[512];
	struct transfer_import_result r;
	struct err err = { 0 };

	transfer_newest_on_drives(path, sizeof path);
	{
		struct ui_field f[] = {
			{ N_("File"), path, sizeof path, 50, NULL, NULL },
		};
		if (ui_form(u, _("Import from a USB drive"),
			    _("A receipt (.pyr) or a bundle from the district (.pyb)."), f, 1) < 0)
			return;
	}
	if (transfer_import(u->c, path, &r, &err) < 0)
		ui_status_err(u, &err);
	else if (r.kind == TRANSFER_RECEIPT && r.already)
		ui_status(u, false, "%s", _("This receipt was applied before: nothing changed"));
	else if (r.kind == TRANSFER_RECEIPT)
		ui_status(u, false, _("Receipt accepted: the district has everything up to change %llu"),
			  (unsigned long long)r.watermark);
	else if (r.already)
		ui_status(u, false, "%s", _("This bundle was imported before: nothing changed"));
	else
		ui_status(u, false, _("Imported from the district: %u new records"), r.bundle.n_new);
}

static void do_network(struct ui *u)
{
	struct http_opts ho;
	struct netsync_result r;
	struct err err = { 0 };
	WINDOW *box;
	int rc;

	if (!u->c->cfg.server[0]) {
		ui_status(u, true, "%s", _("No server is configured: set [sync] server in the configuration"));
		return;
	}
	transfer_http_opts(u->c, true, &ho);
	box = progress_box(_("Sending and receiving..."));
	rc = transfer_sync(u->c, &ho, &r, &err);
	if (progress_done(u, box, rc, &err) == 0)
		ui_status(u, false, _("Done: %u records sent, %u new records received"),
			  r.sent ? r.receipt.n_new + r.receipt.n_dup : 0, r.got_down ? r.down.n_new : 0);
}

static int sync_input(struct ui *u, enum action act)
{
	if (act != ACT_SELECT)
		return R_PASS;
	switch ((enum sync_item)sy.l.sel) {
	case SY_EXPORT:
		do_export(u);
		break;
	case SY_IMPORT:
		do_import(u);
		break;
	case SY_NETWORK:
		do_network(u);
		break;
	case SY_BACK:
		return R_BACK;
	}
	sync_open(u);
	return R_REDRAW;
}

const struct screen_ops ui_sync_ops = {
	.title = N_("Send and receive data"), .keys = KS_LIST, .list = &sy.l, .needs_session = true,
	.role = ROLE_ADMIN, .open = sync_open, .draw = sync_draw, .input = sync_input,
};

/* ======== Perlu ditinjau: the conflict list ======== */

static struct {
	struct sync_conflict *c;
	size_t n;
	struct ui_list l;
	char (*label)[96];
	/* the record being reviewed */
	size_t cur;
	int open_k;                /* which open version is on the right */
	int side;                  /* 0: keep the left (current), 1: the right */
	struct store_version *hist;
	size_t nhist;
} rv;

static const struct store_version *find_version(const struct sync_ref *r)
{
	for (size_t i = 0; i < rv.nhist; i++)
		if (rv.hist[i].lamport == r->lamport && memcmp(rv.hist[i].device, r->device, 16) == 0)
			return &rv.hist[i];
	return NULL;
}

static void review_close(struct ui *u)
{
	(void)u;
	free(rv.c);
	free(rv.label);
	store_free(rv.hist);            /* wipes */
	rv.c = NULL;
	rv.label = NULL;
	rv.hist = NULL;
	rv.n = rv.nhist = 0;
}

static int review_open(struct ui *u)
{
	struct err err = { 0 };

	review_close(u);
	if (sync_conflicts(u->s, &rv.c, &rv.n, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	rv.label = calloc(rv.n ? rv.n : 1, sizeof *rv.label);
	for (size_t i = 0; i < rv.n && rv.label; i++) {
		struct store_version *h;
		size_t nh;
		const char *name = "";
		char day[DATE_BUFSZ];
		snprintf(rv.label[i], sizeof rv.label[i], "%s", record_kind_name(rv.c[i].kind));
		if (store_history(u->s, rv.c[i].uuid, &h, &nh, &err) < 0)
			continue;
		for (size_t k = 0; k < nh; k++) {
			if (h[k].lamport != rv.c[i].head.lamport || memcmp(h[k].device, rv.c[i].head.device, 16))
				continue;
			if (h[k].kind == REC_PERSON)
				name = h[k].u.person.name;
			else if (h[k].kind == REC_VISIT)
				name = date_format(h[k].u.visit.date, day);
		}
		snprintf(rv.label[i], sizeof rv.label[i], "%-8s %-40s %zu %s",
			 _(rv.c[i].kind == REC_PERSON ? N_("person") : rv.c[i].kind == REC_VISIT ? N_("visit") : N_("record")),
			 name, rv.c[i].n_open + 1, _("versions"));
		sodium_memzero(h, nh * sizeof *h);
		store_free(h);
	}
	ui_list_set(&rv.l, rv.n);
	return 0;
}

static void review_draw(struct ui *u, WINDOW *w)
{
	(void)u;
	if (!rv.n) {
		ui_put(w, 1, 2, getmaxx(w) - 4, _("No records need review."));
		return;
	}
	ui_put(w, 1, 2, getmaxx(w) - 4,
	       _("Two devices changed these records at the same time. Open one to choose a version."));
	for (int i = 0; i < rv.l.n && 3 + i < getmaxy(w) - 1; i++)
		ui_list_row_at(w, &rv.l, i, 3 + i, 1, getmaxx(w) - 2, rv.label[i]);
}

static const struct screen_ops ui_review_detail_ops;

static int review_input(struct ui *u, enum action act)
{
	if (act != ACT_SELECT)
		return R_PASS;
	rv.cur = (size_t)rv.l.sel;
	rv.open_k = 0;
	rv.side = 0;
	u->next = &ui_review_detail_ops;
	return R_PUSH;
}

const struct screen_ops ui_review_ops = {
	.title = N_("Needs review (Perlu ditinjau)"), .keys = KS_LIST, .list = &rv.l, .needs_session = true,
	.role = ROLE_TRAINER, .open = review_open, .close = review_close, .draw = review_draw, .input = review_input,
};

/* ---- one record, both versions side by side ---- */

static int detail_open(struct ui *u)
{
	struct err err = { 0 };
	if (rv.cur >= rv.n)
		return -1;
	store_free(rv.hist);            /* wipes */
	rv.hist = NULL;
	if (store_history(u->s, rv.c[rv.cur].uuid, &rv.hist, &rv.nhist, &err) < 0) {
		ui_status_err(u, &err);
		return -1;
	}
	return 0;
}

/* The fields of a version as (label, value) rows. */
static int rows_of(const struct store_version *v, char rows[][2][64], int max)
{
	int n = 0;
	char d[DATE_BUFSZ];
#define ROW(label, ...) do { if (n < max) { snprintf(rows[n][0], 64, "%s", _(label)); \
		snprintf(rows[n][1], 64, __VA_ARGS__); n++; } } while (0)
	if (!v)
		return 0;
	if (v->deleted) {
		ROW(N_("Status"), "%s", _("(deleted)"));
		return n;
	}
	if (v->kind == REC_PERSON) {
		const struct person *p = &v->u.person;
		ROW(N_("Name"), "%s", p->name);
		ROW(N_("Sex"), "%c", p->sex ? p->sex : '-');
		ROW(N_("Date of birth"), "%s", date_format(p->dob, d));
		ROW(N_("NIK"), "%s", p->nik);
		ROW(N_("Mother's name"), "%s", p->mother_name);
		ROW(N_("Father's name"), "%s", p->father_name);
		ROW(N_("Address"), "%s", p->address);
		ROW(N_("RT/RW"), "%u/%u", p->rt, p->rw);
		ROW(N_("Phone"), "%s", p->phone);
	} else if (v->kind == REC_VISIT) {
		const struct visit *x = &v->u.visit;
		ROW(N_("Visit date"), "%s", date_format(x->date, d));
		ROW(N_("Weight (kg)"), "%.2f", x->weight_g / 1000.0);
		ROW(N_("Length/height (cm)"), "%.1f", x->lenhei_mm / 10.0);
		ROW(N_("Head (cm)"), "%.1f", x->headc_mm / 10.0);
		ROW(N_("Arm, MUAC (cm)"), "%.1f", x->muac_mm / 10.0);
		ROW(N_("Note"), "%s", x->note);
	}
	{
		char dev[17];
		ROW(N_("Made on device"), "%s", wire_hex(v->device, 4, dev));
	}
#undef ROW
	return n;
}

static void detail_draw(struct ui *u, WINDOW *w)
{
	const struct sync_conflict *c = &rv.c[rv.cur];
	const struct store_version *left = find_version(&c->head),
				   *right = find_version(&c->open[rv.open_k]);
	char lr[16][2][64], rr[16][2][64], head[96];
	int nl = rows_of(left, lr, 16), nr = rows_of(right, rr, 16), n = nl > nr ? nl : nr;
	int colw = (getmaxx(w) - 22) / 2;
	(void)u;

	ui_put(w, 0, 1, getmaxx(w) - 2,
	       _("Tab chooses a side; F2 keeps that version on every device. Rows marked * differ."));
	wattron(w, A_BOLD);
	ui_put(w, 2, 20, colw, _("Current version"));
	snprintf(head, sizeof head, _("Other version (%d of %zu)"), rv.open_k + 1, c->n_open);
	ui_put(w, 2, 21 + colw, colw, head);
	wattroff(w, A_BOLD);
	for (int i = 0; i < n && 3 + i < getmaxy(w) - 2; i++) {
		const char *label = i < nl ? lr[i][0] : rr[i][0];
		const char *a = i < nl ? lr[i][1] : "", *b = i < nr ? rr[i][1] : "";
		bool differ = strcmp(a, b) != 0;
		ui_put(w, 3 + i, 1, 1, differ ? "*" : " ");
		ui_put(w, 3 + i, 3, 16, label);
		if (rv.side == 0)
			wattron(w, A_REVERSE);
		mvwhline(w, 3 + i, 20, ' ', colw);
		ui_put(w, 3 + i, 20, colw, a);
		if (rv.side == 0)
			wattroff(w, A_REVERSE);
		if (rv.side == 1)
			wattron(w, A_REVERSE);
		mvwhline(w, 3 + i, 21 + colw, ' ', colw);
		ui_put(w, 3 + i, 21 + colw, colw, b);
		if (rv.side == 1)
			wattroff(w, A_REVERSE);
	}
}

static int detail_input(struct ui *u, enum action act)
{
	const struct sync_conflict *c = &rv.c[rv.cur];
	struct err err = { 0 };

	if (act == ACT_SIDE) {
		/* left, right, and on through the other open versions */
		if (rv.side == 0) {
			rv.side = 1;
		} else if (rv.open_k + 1 < (int)c->n_open) {
			rv.open_k++;
		} else {
			rv.side = 0;
			rv.open_k = 0;
		}
		return R_REDRAW;
	}
	if (act == ACT_EDIT) {
		/* Keep the version on screen, then edit it: the edit is a new
		 * version on top of the chosen one, so nothing is merged field by
		 * field behind anyone's back. */
		const struct sync_ref *keep = rv.side ? &c->open[rv.open_k] : &c->head;
		const struct store_version *v = find_version(keep);
		bool loaded = desk.loaded;
		int rc = -1;

		if (!v || v->deleted)
			return R_NONE;
		if (!loaded && desk_load(u->s, &err) < 0) {
			ui_status_err(u, &err);
			return R_REDRAW;
		}
		if (sync_conflict_resolve(u->s, c->uuid, keep, &err) < 0) {
			ui_status_err(u, &err);
		} else if (v->kind == REC_PERSON) {
			rc = ui_register(u, v->u.person.kind == PERSON_CHILD ? PERSON_CHILD : PERSON_WOMAN,
					 &v->u.person);
		} else if (v->kind == REC_VISIT && desk_person(v->u.visit.person)) {
			rc = ui_visit_form(u, desk_person(v->u.visit.person), &v->u.visit);
		}
		if (!loaded)
			desk_unload();     /* decrypted data only while a desk screen holds it */
		review_open(u);
		if (rc == 0)
			ui_status(u, false, "%s", _("Saved: the edited version is now the current one"));
		return R_BACK;
	}
	if (act == ACT_SAVE) {
		const struct sync_ref *keep = rv.side ? &c->open[rv.open_k] : &c->head;
		if (sync_conflict_resolve(u->s, c->uuid, keep, &err) < 0) {
			ui_status_err(u, &err);
			return R_REDRAW;
		}
		review_open(u);            /* the list below, as it is now */
		ui_status(u, false, "%s", _("Saved: the chosen version is now the current one"));
		return R_BACK;
	}
	return R_PASS;
}

static const struct screen_ops ui_review_detail_ops = {
	.title = N_("Needs review (Perlu ditinjau)"), .keys = KS_CONFLICT, .needs_session = true,
	.open = detail_open, .draw = detail_draw, .input = detail_input,
};
