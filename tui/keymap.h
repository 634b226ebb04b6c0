/* tui/keymap.h: every action, its keys and its bar label, in one table, and
 * the set of actions of each screen. A key acts on a screen only through its
 * screen's set, and the bottom bar, the help box and man/posyandu.1 all
 * follow the same sets, so they list exactly the keys that work there. */
#ifndef POSYANDU_TUI_KEYMAP_H
#define POSYANDU_TUI_KEYMAP_H

#include <stdbool.h>
#include <wchar.h>

enum action {
	ACT_NONE = 0,
	ACT_SELECT,      /* Enter */
	ACT_BACK,        /* Esc */
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_NEXT_FIELD, ACT_PREV_FIELD,
	ACT_SAVE,        /* F2 */
	ACT_ADD,         /* a */
	ACT_DISABLE,     /* d */
	ACT_PIN,         /* p */
	ACT_LOCK,        /* F12, l */
	ACT_HELP,        /* F1, ? */
	ACT_QUIT,        /* F10, q */
	ACT_NEW_CHILD,   /* F4 ^N */
	ACT_NEW_WOMAN,   /* F5 ^W */
	ACT_SESSION,     /* F6 ^O */
	ACT_VISIT,       /* F3 v */
	ACT_EDIT,        /* e */
	ACT_HISTORY,     /* r */
	ACT_CHART,       /* g */
	ACT_HOME_VISIT,  /* k */
	ACT_DELETE,      /* x */
	ACT_EXPECTED,    /* Tab on the desk: not come yet */
	ACT_SWITCH,      /* Tab g on the chart: weight or length */
	ACT_SIDE,        /* Tab Left Right on a conflict: the other version */
	ACT_BANKS,       /* b: the question banks */
	ACT_ROSTER,      /* k: the kader roster */
	ACT_OPEN_TEST,   /* x: open or close the test */
	ACT_PEOPLE,      /* e: the participants of a training */
	ACT_SHEET,       /* k: key in a paper answer sheet */
	ACT_ITEMS,       /* i: the question analysis */
	ACT_ANSWER,      /* a-f 1-6: choose that option */
	ACT_CHOOSE,      /* Space Enter: choose the option under the cursor */
	ACT_PREV_Q,      /* Left PgUp */
	ACT_NEXT_Q,      /* Right PgDn */
	ACT_MARK,        /* m: mark for review */
	ACT_REVIEW,      /* r F2: the review page */
	ACT_SUBMIT,      /* F2 s */
	ACT_MONTH,       /* Left Right: the month before or after */
	ACT_TYPE_MONTH,  /* m */
	ACT_VIEW,        /* 1-4: a report view */
	ACT_YEAR,        /* y: the month or its year */
	ACT_MOVE,        /* a group: Up Down Home End */
	ACT_PAGE,        /* a group: PgUp PgDn */
	ACT_CLEAR,       /* ^U: empty the form field */
	ACT_PICK,        /* Enter: pick the one under the cursor (a child's mother) */
	ACT_STEPS,       /* F7 ^T: the day's steps (from the desk) */
	ACT__COUNT
};

struct keydef {
	enum action act;
	const char *name;          /* stable name, for the man page */
	const char *keys;          /* as shown in the bar (first word) and the help box */
	const char *label;         /* msgid for the bar */
	int code[4];               /* curses key codes and control characters (0 = unused) */
	const wchar_t *letters;    /* plain keys, active outside text fields; NULL = none */
};

/* The key sets: one per screen, or per page of a screen. */
enum keyset {
	KS_WIZARD, KS_LOGIN, KS_HOME, KS_USERS,
	KS_DESK, KS_CARD, KS_RESULT, KS_CHART,
	KS_VIEW,                   /* a text to scroll */
	KS_LIST,                   /* a list to open */
	KS_TRAININGS, KS_TRAINING, KS_RESULTS,
	KS_RUN_QUESTION, KS_RUN_REVIEW, KS_RUN_RESULT,
	KS_REPORT, KS_REPORT_SESSIONS,
	KS_CONFLICT,
	KS_FORM,                   /* the modal form: its fields are text */
	KS_PICK,                   /* picking a child's mother: letters type */
	KS__COUNT
};

/* The actions of KS, in bar order, ACT_NONE-terminated. */
const enum action *keymap_set(enum keyset ks);
/* The action of a key on KS: IS_KEY is true for a curses key code
 * (KEY_*), false for a character. IN_TEXT: a text field has the cursor,
 * so letters type and only key codes and control characters act.
 * ACT_NONE when the key does nothing there. */
enum action keymap_action(enum keyset ks, wint_t ch, bool is_key, bool in_text);
const struct keydef *keymap_def(enum action act);
/* Does KEYDEF D answer to this key? */
bool keymap_matches(const struct keydef *d, wint_t ch, bool is_key, bool in_text);

#endif
