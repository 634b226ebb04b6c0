/* tui/ui_int.h: what the screens share: the ui state, the screen ops, and
 * the small widgets (PIN box, confirm, message, form). */
#ifndef POSYANDU_TUI_UI_INT_H
#define POSYANDU_TUI_UI_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/err.h"
#include "app/app.h"
#include "tui/keymap.h"
#include "app/secret.h"

struct ui;

/* What a handler asks the loop to do next (htop's reactions). */
enum reaction {
	R_NONE = 0,
	R_REDRAW = 1,
	R_BACK = 2,      /* pop this screen */
	R_PUSH = 4,      /* push ui->next */
	R_HOME = 8,      /* replace the whole stack with ui->next */
	R_LOCK = 16,     /* lock now: wipe keys and decrypted data, ask for a login */
	R_QUIT = 32,
	R_POPTO = 64,    /* pop screens until ui->next is on top */
	R_PASS = 128,    /* not the screen's own: the view driver does the usual */
};

/* A scrolling selection, shared by every list screen. A text view (TEXT)
 * has no selection: moving scrolls it. */
struct ui_list {
	int sel, top, n;
	int rows;                      /* rows on screen, set as it is drawn */
	bool text;
};

/* The rows a list screen loaded (an array of its own struct, malloc'd)
 * and the selection over them. The array under the name of its type, so
 * that a screen loads and reads it without casts; V frees it. */
struct quiz_training;
struct quizstore_bank_info;
struct roster_row;
struct take_item;
struct ui_rows {
	union {
		void *v;
		struct store_user *users;
		struct visit *visits;
		struct quiz_training *trainings;
		struct quizstore_bank_info *banks;
		struct roster_row *roster;
		struct take_item *take;
	};
	size_t n;
	struct ui_list l;
};
/* Loads R's rows and R->n, or -1 with ERR. */
typedef int ui_rows_loader(struct ui *u, struct ui_rows *r, struct err *err);

/* A screen is an ops table (tig's view_ops); each lives in one file. The
 * view driver (ui.c) turns a key into an action of the screen's key set,
 * gives the screen the first go at it, and does the usual for the common
 * keys the screen passes on (R_PASS): Esc goes back, F12 locks, F10
 * quits, Up/Down/PgUp/PgDn/Home/End move the list. Enter on an empty
 * list does nothing, so a screen's Enter always has a row. A session
 * below ROLE does not open the screen (the status line says so). */
struct screen_ops {
	const char *title;             /* msgid */
	enum keyset keys;              /* the keys that work here (bar and help) */
	enum keyset (*keys_now)(void); /* when they change with the screen's state */
	struct ui_list *list;          /* the list the movement keys move, or NULL */
	struct ui_list *(*list_now)(void);
	bool needs_session;            /* holds decrypted data: closed on lock */
	enum role role;                /* the least role that opens it (0: anyone) */
	/* A list of rows LOAD loads before open, freed after close (NULL:
	 * none); ROWS->l is the list then. */
	struct ui_rows *rows;
	ui_rows_loader *load;
	bool text;                     /* has a text field: letters type, only F-keys act */
	int (*open)(struct ui *u);     /* load what it shows; -1 leaves a message */
	void (*close)(struct ui *u);   /* free and wipe what open loaded */
	void (*draw)(struct ui *u, WINDOW *body);
	/* The screen's own keys (NULL: none). ACT is from its key set, or
	 * ACT_NONE for a key typed into its text field; u->key is the key. */
	int (*input)(struct ui *u, enum action act);
};

#define UI_STACK 8

struct ui {
	struct app *c;
	struct store *s;
	const struct screen_ops *stack[UI_STACK];
	int depth;
	const struct screen_ops *next;  /* for R_PUSH / R_HOME */
	char status[256];
	bool status_err;
	bool color;
	bool ascii;                     /* no UTF-8 on this terminal */
	time_t last_input;
	wint_t key;                     /* the key being handled ... */
	bool key_is_code;               /* ... a curses KEY_* code, not a character */
	/* A modal form saw the idle time pass: its draft is kept and the
	 * loop locks as soon as the form is closed. */
	bool lock_pending;
	int form_start;                 /* the field the next form starts on (0: the first) */
	/* What the form about to open is for, so that its draft can reopen
	 * it after a crash (set by the caller; cleared before every key). */
	struct ui_form_ctx {
		enum { FORM_CTX_NONE, FORM_CTX_VISIT, FORM_CTX_CHILD, FORM_CTX_WOMAN } kind;
		uint8_t person[UUID_LEN];       /* the person it is about */
		uint8_t record[UUID_LEN];       /* the record it edits; zeros: a new one */
	} form_ctx;
	/* A draft taken back at login (sodium_malloc'd): the next form of the
	 * same title opens with its values, then it is wiped. */
	unsigned char *restore;
	size_t restore_len;
};

/* The screens. */
extern const struct screen_ops ui_wizard_ops, ui_login_ops, ui_home_ops, ui_users_ops;
extern const struct screen_ops ui_quiz_take_ops, ui_quiz_trainings_ops;   /* ui_quiz*.c */
extern const struct screen_ops ui_report_ops;                             /* ui_report.c */
extern const struct screen_ops ui_sync_ops, ui_review_ops;               /* ui_sync.c */
extern const struct screen_ops ui_steps_ops;                              /* ui_steps.c */

/* Draw the whole screen again (after a resize under a modal). */
void ui_redraw(struct ui *u);
/* Has the idle time passed with the store unlocked? */
bool ui_idle_over(const struct ui *u);
/* The terminal is gone (hung up): every key read fails at once from now
 * on, so each loop that waits for a key ends instead of spinning. */
bool ui_tty_gone(void);

/* Status line under the body (cleared at the next key). */
void ui_status(struct ui *u, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_status_err(struct ui *u, const struct err *e);

/* Modal widgets. Each returns 0 on Enter, -1 on Esc. */
int ui_pin_prompt(struct ui *u, const char *title, const char *label, struct pin *out);
/* A new PIN, typed twice and checked against the policy. */
int ui_new_pin(struct ui *u, const char *title, struct pin *out);
bool ui_confirm(struct ui *u, const char *question);
/* The help box: the keys of KS, then general hints. */
void ui_help(struct ui *u, enum keyset ks);

/* A form of text and choice fields (libform). Each field's validator runs
 * when the person leaves it and again on save; the message goes to the
 * status line. Esc with typed data asks before throwing it away. */
struct ui_field {
	const char *label;             /* msgid */
	char *buf;                     /* in: initial value; out: trimmed value */
	size_t size;
	int width;
	const char *const *choices;    /* NULL: free text; else the values (Left/Right cycles) */
	int (*valid)(const char *value, struct err *err);   /* NULL: anything */
};
/* 0 saved, -1 cancelled (or closed by the idle lock: u->lock_pending).
 * Entering a field selects its value, so typing replaces it; Ctrl-U
 * clears it; on a choice field a letter picks the choice it starts with.
 * While it is open its values are kept sealed (storage/draft.h) until it
 * is saved or cancelled. */
int ui_form(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n);
/* The same in sections, with help: SECTIONS[i] (a msgid) names the
 * section field i starts, NULL for none; HELP[i] (a msgid or NULL) shows
 * on the message line instead of INTRO while field i has the cursor
 * (either array may be NULL). A form taller than the screen is cut into
 * pages (PgDn/PgUp; Tab runs on across them), a section that does not fit
 * in what is left of a page starting the next; the title shows the
 * page's section and number, each section inside a page its heading. */
int ui_form_help(struct ui *u, const char *title, const char *intro, struct ui_field *f, int n,
		 const char *const *sections, const char *const *help);
/* The choices of a tick box: unticked, ticked (Space or x). */
extern const char *const ui_tick[];
/* After a login: offer the user's kept draft back (y: reopen it, n: wipe
 * it). Whether a form was opened from it. */
bool ui_draft_offer(struct ui *u);
/* Open the form of the draft taken back again (ui_card.c). */
void ui_draft_reopen(struct ui *u);
/* The next form registers a person of KIND (FORM_CTX_CHILD, _WOMAN), or
 * edits PERSON when not NULL: what its draft reopens. */
void ui_form_for_person(struct ui *u, int kind, const uint8_t *person);

/* "child", "pregnant woman", "woman", or a resident's life-cycle group on
 * DAY ("adult"), translated: how the desk and the card name who P is. */
struct person;
const char *ui_kind_label(const struct person *p, int32_t day);

/* The desk's forms share: "9,1" for 9100 g (PER_UNIT 1000) or 91 mm (10),
 * "" for 0; a number typed with comma or point times SCALE (0 when it is
 * not one); a new draft, or one on top of the record EXISTING (-1 with the
 * message on the status line). */
struct draft;
void ui_fmt_tenths(unsigned v, unsigned per_unit, char *buf, size_t size);
unsigned ui_parse_scaled(const char *s, double scale);
int ui_begin_draft(struct ui *u, const uint8_t *existing, struct draft *d);

/* Saved: the result panel for visit V of P is the next screen. */
struct person;
struct visit;
void ui_result_show(struct ui *u, const struct person *p, const struct visit *v);

/* Move L for ACT (Up, Down, PgUp/PgDn by a page, Home, End), kept inside
 * 0..n-1 (a text view: its top inside the text); R_NONE when ACT is no
 * movement. */
enum reaction ui_list_move(struct ui_list *l, enum action act);
/* L holds N rows; the selection goes back to the top when past the end. */
void ui_list_set(struct ui_list *l, size_t n);
/* Keep the selection inside a window of ROWS rows. */
void ui_list_scroll(struct ui_list *l, int rows);
/* Row I at line Y of W: reverse video when selected. */
void ui_list_row(WINDOW *w, const struct ui_list *l, int i, int y, int width, const char *text);
/* The same from column X, WIDTH columns wide. */
void ui_list_row_at(WINDOW *w, const struct ui_list *l, int i, int y, int x, int width,
		    const char *text);

/* The rows of L that fit in ROWS lines from line Y0 of W, each as ROW
 * writes row I into LINE; the selection in reverse video. */
void ui_list_draw(WINDOW *w, struct ui_list *l, int y0, int rows, int width,
		  void (*row)(int i, char *line, size_t size));

/* Free R's rows and empty its list. */
void ui_rows_free(struct ui_rows *r);
/* Load R again with LOAD (what it held is freed first); when that fails,
 * R is empty, the message is on the status line and it is -1. */
int ui_rows_load(struct ui *u, struct ui_rows *r, ui_rows_loader *load);

/* Draw S at (Y, X) of W, cut to WIDTH display columns. */
void ui_put(WINDOW *w, int y, int x, int width, const char *s);
/* The same in bold: a heading. */
void ui_put_bold(WINDOW *w, int y, int x, int width, const char *s);

#endif
