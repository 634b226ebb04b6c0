/* tui/keymap.h: every action, its keys and its bar label, in one table that
 * the bottom bar, the help screen and man/posyandu.1 all follow. */
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
	ACT_EXPECTED,    /* bar only: Tab on the desk */
	ACT_MOVE,        /* bar only: Up/Down */
	ACT_PAGE,        /* bar only: PgUp/PgDn */
	ACT__COUNT
};

struct keydef {
	enum action act;
	const char *name;          /* stable name, for the man page */
	const char *keys;          /* as shown in the bar and the man page */
	const char *label;         /* msgid for the bar */
	int code[3];               /* curses key codes (0 = unused) */
	wchar_t letter;            /* plain-letter key, active outside text fields; 0 = none */
};

/* The action for a key: IS_KEY is true for a curses key code (KEY_*), false
 * for a character. IN_TEXT: a text field has the cursor, so letters type. */
enum action keymap_action(wint_t ch, bool is_key, bool in_text);
const struct keydef *keymap_def(enum action act);

#endif
