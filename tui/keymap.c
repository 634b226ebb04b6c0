/* tui/keymap.c: one row per action (STYLE.md §7), then the actions of each
 * screen. Every action has a plain key as well as any F-key, because many
 * laptop keyboards need Fn for F-keys and the Linux console maps some of
 * them oddly. A plain key may stand for two actions only when no screen
 * has both (tests/unit/test_keymap.c checks). */
#include "tui/keymap.h"

#include <curses.h>
#include <stddef.h>

#include "app/i18n.h"
#include "core/banned.h"

#define CTRL(c) ((c) & 0x1f)
#define ENTER { KEY_ENTER, '\n', '\r', 0 }
#define NOKEY { 0, 0, 0, 0 }

static const struct keydef keydefs[] = {
	/* action          name           shown        bar label (msgid)  curses codes               letters */
	{ ACT_SELECT,     "select",      "Enter",     N_("Open"),        ENTER,                       NULL },
	{ ACT_BACK,       "back",        "Esc",       N_("Back"),        { 27 },                      NULL },
	{ ACT_UP,         "up",          "Up",        N_("Up"),          { KEY_UP },                  NULL },
	{ ACT_DOWN,       "down",        "Down",      N_("Down"),        { KEY_DOWN },                NULL },
	{ ACT_PGUP,       "page-up",     "PgUp",      N_("Page up"),     { KEY_PPAGE },               NULL },
	{ ACT_PGDN,       "page-down",   "PgDn",      N_("Page down"),   { KEY_NPAGE },               NULL },
	{ ACT_HOME,       "first",       "Home",      N_("First"),       { KEY_HOME },                NULL },
	{ ACT_END,        "last",        "End",       N_("Last"),        { KEY_END },                 NULL },
	{ ACT_NEXT_FIELD, "next-field",  "Tab",       N_("Next field"),  { '\t' },                    NULL },
	{ ACT_PREV_FIELD, "prev-field",  "S-Tab",     N_("Previous"),    { KEY_BTAB },                NULL },
	{ ACT_SAVE,       "save",        "F2 ^S",     N_("Save"),        { KEY_F(2), CTRL('s') },     NULL },
	{ ACT_ADD,        "add",         "a",         N_("Add"),         NOKEY,                       L"a" },
	{ ACT_DISABLE,    "disable",     "d",         N_("Disable"),     NOKEY,                       L"d" },
	{ ACT_PIN,        "pin",         "p",         N_("Reset PIN"),   NOKEY,                       L"p" },
	{ ACT_LOCK,       "lock",        "F12 l",     N_("Lock"),        { KEY_F(12) },               L"l" },
	{ ACT_HELP,       "help",        "F1 ?",      N_("Help"),        { KEY_F(1) },                L"?" },
	{ ACT_NEW_CHILD,  "new-child",   "F4 ^N",     N_("New child"),   { KEY_F(4), CTRL('n') },     NULL },
	{ ACT_NEW_WOMAN,  "new-woman",   "F5 ^W",     N_("New woman"),   { KEY_F(5), CTRL('w') },     NULL },
	{ ACT_SESSION,    "session",     "F6 ^O",     N_("Session"),     { KEY_F(6), CTRL('o') },     NULL },
	{ ACT_VISIT,      "new-visit",   "F3 v",      N_("Visit"),       { KEY_F(3) },                L"v" },
	{ ACT_EDIT,       "edit",        "e",         N_("Edit"),        NOKEY,                       L"e" },
	{ ACT_HISTORY,    "history",     "r",         N_("History"),     NOKEY,                       L"r" },
	{ ACT_CHART,      "chart",       "g",         N_("Chart"),       NOKEY,                       L"g" },
	{ ACT_HOME_VISIT, "home-visit",  "k",         N_("Home visit"),  NOKEY,                       L"k" },
	{ ACT_DELETE,     "delete",      "x",         N_("Delete"),      NOKEY,                       L"x" },
	{ ACT_EXPECTED,   "not-come-yet", "Tab",      N_("Not come yet"), { '\t' },                   NULL },
	{ ACT_SWITCH,     "weight-length", "Tab g",   N_("Weight/length"), { '\t' },                  L"g" },
	{ ACT_SIDE,       "other-side",  "Tab S-Tab Left Right", N_("Other version"),
	  { '\t', KEY_BTAB, KEY_LEFT, KEY_RIGHT }, NULL },
	{ ACT_BANKS,      "banks",       "b",         N_("Question banks"), NOKEY,                    L"b" },
	{ ACT_ROSTER,     "roster",      "k",         N_("Kader roster"), NOKEY,                      L"k" },
	{ ACT_OPEN_TEST,  "open-test",   "x",         N_("Open/close"),  NOKEY,                       L"x" },
	{ ACT_PEOPLE,     "participants", "e",        N_("Participants"), NOKEY,                      L"e" },
	{ ACT_SHEET,      "paper-sheet", "k",         N_("Paper sheet"), NOKEY,                       L"k" },
	{ ACT_ITEMS,      "questions",   "i",         N_("Questions"),   NOKEY,                       L"i" },
	{ ACT_ANSWER,     "answer",      "a-f 1-6",   N_("Answer"),      NOKEY,                       L"abcdef123456" },
	{ ACT_CHOOSE,     "choose",      "Space Enter", N_("Choose"),    ENTER,                       L" " },
	{ ACT_PREV_Q,     "prev-question", "Left PgUp", N_("Previous"),  { KEY_LEFT, KEY_PPAGE },     NULL },
	{ ACT_NEXT_Q,     "next-question", "Right PgDn", N_("Next"),     { KEY_RIGHT, KEY_NPAGE },    NULL },
	{ ACT_MARK,       "mark",        "m",         N_("Mark"),        NOKEY,                       L"m" },
	{ ACT_REVIEW,     "review",      "r F2",      N_("Review"),      { KEY_F(2) },                L"r" },
	{ ACT_SUBMIT,     "submit",      "F2 s",      N_("Submit"),      { KEY_F(2) },                L"s" },
	{ ACT_MONTH,      "month",       "Left/Right", N_("Month"),      { KEY_LEFT, KEY_RIGHT },     NULL },
	{ ACT_TYPE_MONTH, "type-month",  "m",         N_("Type a month"), NOKEY,                      L"m" },
	{ ACT_VIEW,       "view",        "1-4",       N_("View"),        NOKEY,                       L"1234" },
	{ ACT_YEAR,       "year",        "y",         N_("Month/year"),  NOKEY,                       L"y" },
	{ ACT_MOVE,       "move",        "Up/Dn Home End", N_("Move"),   NOKEY,                       NULL },
	{ ACT_PAGE,       "page",        "PgUp/PgDn", N_("Page"),        NOKEY,                       NULL },
	{ ACT_CLEAR,      "clear-field", "^U",        N_("Clear"),       { CTRL('u') },               NULL },
	{ ACT_PICK,       "pick",        "Enter",     N_("Pick"),        ENTER,                       NULL },
	{ ACT_STEPS,      "day-steps",   "F7 ^T",     N_("Steps"),       { KEY_F(7), CTRL('t') },     NULL },
	{ ACT_QUIT,       "quit",        "F10 q",     N_("Quit"),        { KEY_F(10) },               L"q" },
};
#define NDEFS (sizeof keydefs / sizeof keydefs[0])

/* What the groups of the bar stand for. */
static const enum action move_keys[] = { ACT_UP, ACT_DOWN, ACT_HOME, ACT_END, ACT_NONE };
static const enum action page_keys[] = { ACT_PGUP, ACT_PGDN, ACT_NONE };

#define SET(...) (const enum action[]){ __VA_ARGS__, ACT_HELP, ACT_NONE }
#define LIST ACT_MOVE, ACT_PAGE

static const enum action *const sets[KS__COUNT] = {
	[KS_WIZARD] = SET(ACT_SELECT, ACT_QUIT, ACT_BACK),
	[KS_LOGIN] = SET(ACT_MOVE, ACT_SELECT, ACT_QUIT, ACT_PAGE),
	[KS_HOME] = SET(ACT_MOVE, ACT_SELECT, ACT_LOCK, ACT_QUIT, ACT_BACK, ACT_PAGE),
	[KS_USERS] = SET(ACT_MOVE, ACT_ADD, ACT_PIN, ACT_DISABLE, ACT_BACK, ACT_LOCK, ACT_PAGE),
	[KS_DESK] = SET(ACT_SELECT, ACT_EXPECTED, ACT_NEW_CHILD, ACT_NEW_WOMAN, ACT_SESSION,
			ACT_STEPS, ACT_BACK, ACT_LOCK, LIST),
	[KS_CARD] = SET(ACT_VISIT, ACT_SELECT, ACT_EDIT, ACT_HISTORY, ACT_CHART, ACT_HOME_VISIT,
			ACT_DELETE, ACT_BACK, ACT_LOCK, LIST),
	[KS_RESULT] = SET(ACT_SELECT, ACT_CHART, ACT_BACK, ACT_LOCK, ACT_PAGE),
	[KS_CHART] = SET(ACT_SWITCH, ACT_BACK, ACT_LOCK),
	[KS_VIEW] = SET(LIST, ACT_BACK, ACT_LOCK),
	[KS_LIST] = SET(ACT_MOVE, ACT_SELECT, ACT_BACK, ACT_LOCK, ACT_PAGE),
	[KS_TRAININGS] = SET(ACT_MOVE, ACT_SELECT, ACT_ADD, ACT_BANKS, ACT_ROSTER, ACT_BACK,
			     ACT_LOCK, ACT_PAGE),
	[KS_TRAINING] = SET(ACT_MOVE, ACT_SELECT, ACT_ADD, ACT_OPEN_TEST, ACT_PEOPLE, ACT_BACK,
			    ACT_LOCK, ACT_PAGE),
	[KS_RESULTS] = SET(ACT_MOVE, ACT_SELECT, ACT_SHEET, ACT_ITEMS, ACT_BACK, ACT_LOCK, ACT_PAGE),
	[KS_RUN_QUESTION] = SET(ACT_ANSWER, ACT_NEXT_Q, ACT_PREV_Q, ACT_MARK, ACT_REVIEW, ACT_BACK,
				ACT_LOCK, ACT_CHOOSE, ACT_MOVE),
	[KS_RUN_REVIEW] = SET(ACT_MOVE, ACT_SELECT, ACT_SUBMIT, ACT_BACK, ACT_LOCK, ACT_PAGE),
	[KS_RUN_RESULT] = SET(LIST, ACT_SELECT, ACT_BACK, ACT_LOCK),
	[KS_REPORT] = SET(ACT_NEXT_FIELD, ACT_MONTH, ACT_TYPE_MONTH, ACT_SAVE, ACT_BACK, ACT_LOCK,
			  ACT_VIEW, ACT_PREV_FIELD, LIST),
	[KS_REPORT_SESSIONS] = SET(ACT_NEXT_FIELD, ACT_MONTH, ACT_TYPE_MONTH, ACT_YEAR, ACT_SAVE,
				   ACT_BACK, ACT_LOCK, ACT_VIEW, ACT_PREV_FIELD, LIST),
	[KS_CONFLICT] = SET(ACT_SIDE, ACT_SAVE, ACT_EDIT, ACT_BACK, ACT_LOCK),
	[KS_FORM] = SET(ACT_NEXT_FIELD, ACT_SAVE, ACT_BACK, ACT_SELECT, ACT_PREV_FIELD, ACT_UP,
			ACT_DOWN, ACT_CLEAR, ACT_PAGE),
	[KS_PICK] = SET(ACT_PICK, ACT_MOVE, ACT_BACK, ACT_PAGE),
};

const enum action *keymap_set(enum keyset ks)
{
	return ks >= 0 && ks < KS__COUNT ? sets[ks] : NULL;
}

const struct keydef *keymap_def(enum action act)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (keydefs[i].act == act)
			return &keydefs[i];
	return NULL;
}

bool keymap_matches(const struct keydef *d, wint_t ch, bool is_key, bool in_text)
{
	for (int k = 0; k < 4 && d->code[k]; k++) {
		bool code_is_key = d->code[k] >= KEY_MIN;
		if (code_is_key == is_key && (wint_t)d->code[k] == ch)
			return true;
	}
	return !is_key && !in_text && ch && d->letters && wcschr(d->letters, (wchar_t)ch);
}

static enum action match(enum action a, wint_t ch, bool is_key, bool in_text)
{
	const enum action *group = a == ACT_MOVE ? move_keys : a == ACT_PAGE ? page_keys : NULL;
	const struct keydef *d;

	if (group) {
		for (; *group != ACT_NONE; group++)
			if (match(*group, ch, is_key, in_text) != ACT_NONE)
				return *group;
		return ACT_NONE;
	}
	d = keymap_def(a);
	return d && keymap_matches(d, ch, is_key, in_text) ? a : ACT_NONE;
}

enum action keymap_action(enum keyset ks, wint_t ch, bool is_key, bool in_text)
{
	const enum action *set = keymap_set(ks);
	for (; set && *set != ACT_NONE; set++) {
		enum action a = match(*set, ch, is_key, in_text);
		if (a != ACT_NONE)
			return a;
	}
	return ACT_NONE;
}
