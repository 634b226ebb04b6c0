/* tui/keymap.c: one row per action (STYLE.md §7). Every action has a
 * plain key as well as any F-key, because many laptop keyboards need Fn for
 * F-keys and the Linux console maps some of them oddly. */
#include "tui/keymap.h"

#include <curses.h>
#include <stddef.h>

#include "app/i18n.h"
#include "core/banned.h"

#define CTRL(c) ((c) & 0x1f)

static const struct keydef keydefs[] = {
	/* action          name           shown        bar label (msgid)  curses codes               letter */
	{ ACT_SELECT,     "select",      "Enter",     N_("Open"),        { KEY_ENTER, '\n', '\r' },   0 },
	{ ACT_BACK,       "back",        "Esc",       N_("Back"),        { 27, 0, 0 },                0 },
	{ ACT_UP,         "up",          "Up",        N_("Up"),          { KEY_UP, 0, 0 },            0 },
	{ ACT_DOWN,       "down",        "Down",      N_("Down"),        { KEY_DOWN, 0, 0 },          0 },
	{ ACT_PGUP,       "page-up",     "PgUp",      N_("Page up"),     { KEY_PPAGE, 0, 0 },         0 },
	{ ACT_PGDN,       "page-down",   "PgDn",      N_("Page down"),   { KEY_NPAGE, 0, 0 },         0 },
	{ ACT_HOME,       "first",       "Home",      N_("First"),       { KEY_HOME, 0, 0 },          0 },
	{ ACT_END,        "last",        "End",       N_("Last"),        { KEY_END, 0, 0 },           0 },
	{ ACT_NEXT_FIELD, "next-field",  "Tab",       N_("Next field"),  { '\t', 0, 0 },              0 },
	{ ACT_PREV_FIELD, "prev-field",  "S-Tab",     N_("Previous"),    { KEY_BTAB, 0, 0 },          0 },
	{ ACT_SAVE,       "save",        "F2 ^S",     N_("Save"),        { KEY_F(2), CTRL('s'), 0 },  0 },
	{ ACT_ADD,        "add",         "a",         N_("Add"),         { 0, 0, 0 },                 L'a' },
	{ ACT_DISABLE,    "disable",     "d",         N_("Disable"),     { 0, 0, 0 },                 L'd' },
	{ ACT_PIN,        "pin",         "p",         N_("Reset PIN"),   { 0, 0, 0 },                 L'p' },
	{ ACT_LOCK,       "lock",        "F12 l",     N_("Lock"),        { KEY_F(12), 0, 0 },         L'l' },
	{ ACT_HELP,       "help",        "F1 ?",      N_("Help"),        { KEY_F(1), 0, 0 },          L'?' },
	{ ACT_NEW_CHILD,  "new-child",   "F4 ^N",     N_("New child"),   { KEY_F(4), CTRL('n'), 0 },  0 },
	{ ACT_NEW_WOMAN,  "new-woman",   "F5 ^W",     N_("New woman"),   { KEY_F(5), CTRL('w'), 0 },  0 },
	{ ACT_SESSION,    "session",     "F6 ^O",     N_("Session"),     { KEY_F(6), CTRL('o'), 0 },  0 },
	{ ACT_VISIT,      "new-visit",   "F3 v",      N_("Visit"),       { KEY_F(3), 0, 0 },          L'v' },
	{ ACT_EDIT,       "edit",        "e",         N_("Edit"),        { 0, 0, 0 },                 L'e' },
	{ ACT_HISTORY,    "history",     "r",         N_("History"),     { 0, 0, 0 },                 L'r' },
	{ ACT_CHART,      "chart",       "g",         N_("Chart"),       { 0, 0, 0 },                 L'g' },
	{ ACT_HOME_VISIT, "home-visit",  "k",         N_("Home visit"),  { 0, 0, 0 },                 L'k' },
	{ ACT_DELETE,     "delete",      "x",         N_("Delete"),      { 0, 0, 0 },                 L'x' },
	{ ACT_EXPECTED,   "not-come-yet", "Tab",      N_("Not come yet"), { 0, 0, 0 },                0 },
	{ ACT_MOVE,       "move",        "Up/Dn",     N_("Move"),        { 0, 0, 0 },                 0 },
	{ ACT_PAGE,       "page",        "PgUp/PgDn", N_("Page"),        { 0, 0, 0 },                 0 },
	{ ACT_QUIT,       "quit",        "F10 q",     N_("Quit"),        { KEY_F(10), 0, 0 },         L'q' },
};
#define NDEFS (sizeof keydefs / sizeof keydefs[0])

enum action keymap_action(wint_t ch, bool is_key, bool in_text)
{
	for (size_t i = 0; i < NDEFS; i++) {
		const struct keydef *d = &keydefs[i];
		for (int k = 0; k < 3 && d->code[k]; k++) {
			bool code_is_key = d->code[k] >= KEY_MIN;
			if (code_is_key == is_key && (wint_t)d->code[k] == ch)
				return d->act;
		}
		if (!is_key && !in_text && d->letter && (wint_t)d->letter == ch)
			return d->act;
	}
	return ACT_NONE;
}

const struct keydef *keymap_def(enum action act)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (keydefs[i].act == act)
			return &keydefs[i];
	return NULL;
}
