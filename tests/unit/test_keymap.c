/* tests/unit/test_keymap.c: the key table is the one source: every action
 * resolves to its keys on the screens that list it, and nowhere else, and
 * man/posyandu.1 documents every key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void every_action_has_a_row(void **state)
{
	(void)state;
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		const struct keydef *d = keymap_def((enum action)a);
		assert_non_null(d);
		assert_non_null(d->label);
		assert_true(strlen(d->keys) > 0);
	}
}

static void keys_resolve_to_their_action(void **state)
{
	(void)state;
	assert_int_equal(keymap_action(KS_HOME, KEY_F(10), true, false), ACT_QUIT);
	assert_int_equal(keymap_action(KS_HOME, 'q', false, false), ACT_QUIT);
	assert_int_equal(keymap_action(KS_FORM, KEY_F(2), true, true), ACT_SAVE);
	assert_int_equal(keymap_action(KS_FORM, 27, false, true), ACT_BACK);
	assert_int_equal(keymap_action(KS_FORM, '\r', false, true), ACT_SELECT);
	assert_int_equal(keymap_action(KS_FORM, 21 /* ^U */, false, true), ACT_CLEAR);
	assert_int_equal(keymap_action(KS_FORM, 19 /* ^S */, false, true), ACT_SAVE);
	/* In a text field a letter types; it is not an action. */
	assert_int_equal(keymap_action(KS_DESK, 'q', false, true), ACT_NONE);
	assert_int_equal(keymap_action(KS_DESK, 'l', false, true), ACT_NONE);
	assert_int_equal(keymap_action(KS_HOME, 'z', false, false), ACT_NONE);
	/* The desk's search is a text field: F-keys and Ctrl keys still act. */
	assert_int_equal(keymap_action(KS_DESK, KEY_F(4), true, true), ACT_NEW_CHILD);
	assert_int_equal(keymap_action(KS_DESK, 14 /* ^N */, false, true), ACT_NEW_CHILD);
	assert_int_equal(keymap_action(KS_DESK, KEY_F(6), true, true), ACT_SESSION);
	assert_int_equal(keymap_action(KS_DESK, '\t', false, true), ACT_EXPECTED);
	assert_int_equal(keymap_action(KS_CARD, 'v', false, true), ACT_NONE);
	assert_int_equal(keymap_action(KS_CARD, 'v', false, false), ACT_VISIT);
	assert_int_equal(keymap_action(KS_CARD, 'x', false, false), ACT_DELETE);
}

/* A key acts only where its screen lists it: the same letter means what
 * that screen says, and a key a screen does not list does nothing there. */
static void keys_act_only_on_their_screens(void **state)
{
	(void)state;
	assert_int_equal(keymap_action(KS_CARD, 'k', false, false), ACT_HOME_VISIT);
	assert_int_equal(keymap_action(KS_TRAININGS, 'k', false, false), ACT_ROSTER);
	assert_int_equal(keymap_action(KS_RESULTS, 'k', false, false), ACT_SHEET);
	assert_int_equal(keymap_action(KS_TRAININGS, 'b', false, false), ACT_BANKS);
	assert_int_equal(keymap_action(KS_TRAINING, 'x', false, false), ACT_OPEN_TEST);
	assert_int_equal(keymap_action(KS_TRAINING, 'e', false, false), ACT_PEOPLE);
	assert_int_equal(keymap_action(KS_RESULTS, 'i', false, false), ACT_ITEMS);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, 'c', false, false), ACT_ANSWER);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, '6', false, false), ACT_ANSWER);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, 'g', false, false), ACT_NONE);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, ' ', false, false), ACT_CHOOSE);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, '\r', false, false), ACT_CHOOSE);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, KEY_NPAGE, true, false), ACT_NEXT_Q);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, KEY_F(2), true, false), ACT_REVIEW);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, 'm', false, false), ACT_MARK);
	assert_int_equal(keymap_action(KS_RUN_QUESTION, KEY_DOWN, true, false), ACT_DOWN);
	assert_int_equal(keymap_action(KS_RUN_REVIEW, KEY_F(2), true, false), ACT_SUBMIT);
	assert_int_equal(keymap_action(KS_RUN_REVIEW, 's', false, false), ACT_SUBMIT);
	assert_int_equal(keymap_action(KS_RUN_REVIEW, KEY_NPAGE, true, false), ACT_PGDN);
	assert_int_equal(keymap_action(KS_REPORT, 'm', false, false), ACT_TYPE_MONTH);
	assert_int_equal(keymap_action(KS_REPORT, 'y', false, false), ACT_NONE);
	assert_int_equal(keymap_action(KS_REPORT_SESSIONS, 'y', false, false), ACT_YEAR);
	assert_int_equal(keymap_action(KS_REPORT, '3', false, false), ACT_VIEW);
	assert_int_equal(keymap_action(KS_REPORT, KEY_LEFT, true, false), ACT_MONTH);
	assert_int_equal(keymap_action(KS_CHART, 'g', false, false), ACT_SWITCH);
	assert_int_equal(keymap_action(KS_CHART, '\t', false, false), ACT_SWITCH);
	assert_int_equal(keymap_action(KS_CONFLICT, KEY_RIGHT, true, false), ACT_SIDE);
	assert_int_equal(keymap_action(KS_CONFLICT, 'l', false, false), ACT_LOCK);
	/* Esc, F12 and F1 are the same on every screen that lists them. */
	assert_int_equal(keymap_action(KS_VIEW, 27, false, false), ACT_BACK);
	assert_int_equal(keymap_action(KS_VIEW, KEY_F(12), true, false), ACT_LOCK);
	assert_int_equal(keymap_action(KS_LOGIN, KEY_F(12), true, false), ACT_NONE);
	assert_int_equal(keymap_action(KS_LOGIN, KEY_F(1), true, false), ACT_HELP);
}

static bool in_set(const enum action *set, enum action a)
{
	for (; *set != ACT_NONE; set++)
		if (*set == a)
			return true;
	return false;
}

/* What a set lists is what its keys resolve to: every action of a set has
 * a key that reaches it there (so the bar and help list only keys that
 * work), no key reaches two actions of one set, and Help is everywhere. */
static void every_set_is_consistent(void **state)
{
	static const struct { int ch; bool is_key; } probe[] = {
		{ KEY_ENTER, true }, { '\r', false }, { '\n', false }, { 27, false }, { '\t', false },
		{ KEY_BTAB, true }, { KEY_UP, true }, { KEY_DOWN, true }, { KEY_LEFT, true },
		{ KEY_RIGHT, true }, { KEY_PPAGE, true }, { KEY_NPAGE, true }, { KEY_HOME, true },
		{ KEY_END, true }, { KEY_F(1), true }, { KEY_F(2), true }, { KEY_F(3), true },
		{ KEY_F(4), true }, { KEY_F(5), true }, { KEY_F(6), true }, { KEY_F(10), true },
		{ KEY_F(12), true }, { 19, false }, { 14, false }, { 23, false }, { 15, false },
		{ 21, false }, { KEY_F(7), true }, { 20, false },
	};
	(void)state;
	for (int ks = 0; ks < KS__COUNT; ks++) {
		const enum action *set = keymap_set((enum keyset)ks);
		bool reached[ACT__COUNT] = { false };
		assert_non_null(set);
		assert_true(in_set(set, ACT_HELP));
		for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
			enum action a = keymap_action((enum keyset)ks, (wint_t)probe[i].ch, probe[i].is_key, false);
			reached[a] = true;
		}
		for (int c = 0x20; c < 0x7f; c++)
			reached[keymap_action((enum keyset)ks, (wint_t)c, false, false)] = true;
		reached[ACT_MOVE] = reached[ACT_UP] && reached[ACT_DOWN];
		reached[ACT_PAGE] = reached[ACT_PGUP] && reached[ACT_PGDN];
		for (const enum action *a = set; *a != ACT_NONE; a++)
			if (!reached[*a])
				fail_msg("set %d: no key reaches %s", ks, keymap_def(*a)->name);
		/* two actions of one set on the same key: the first would hide the second */
		for (const enum action *a = set; *a != ACT_NONE; a++)
			for (const enum action *b = a + 1; *b != ACT_NONE; b++) {
				const struct keydef *da = keymap_def(*a), *db = keymap_def(*b);
				for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++)
					if (keymap_matches(da, (wint_t)probe[i].ch, probe[i].is_key, false) &&
					    keymap_matches(db, (wint_t)probe[i].ch, probe[i].is_key, false))
						fail_msg("set %d: %s and %s share a key", ks, da->name, db->name);
				for (int c = 0x20; c < 0x7f; c++)
					if (keymap_matches(da, (wint_t)c, false, false) &&
					    keymap_matches(db, (wint_t)c, false, false))
						fail_msg("set %d: %s and %s share '%c'", ks, da->name, db->name, c);
			}
	}
}

/* Every "F10 q"-style key group of the table appears in the KEYS section. */
static void man_page_lists_every_key(void **state)
{
	char *man = slurp(POSYANDU_SRCDIR "/man/posyandu.1");
	char *keys, *end;
	(void)state;

	assert_non_null(man);
	keys = strstr(man, ".Sh KEYS");
	assert_non_null(keys);
	end = strstr(keys + 1, ".Sh ");
	if (end)
		*end = '\0';
	for (int a = ACT_NONE + 1; a < ACT__COUNT; a++) {
		char buf[64], *tok, *save = NULL;
		snprintf(buf, sizeof buf, "%s", keymap_def((enum action)a)->keys);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!strstr(keys, tok))
				fail_msg("key \"%s\" (action %s) is not in the KEYS section of posyandu.1",
					 tok, keymap_def((enum action)a)->name);
		}
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_has_a_row),
		cmocka_unit_test(keys_resolve_to_their_action),
		cmocka_unit_test(keys_act_only_on_their_screens),
		cmocka_unit_test(every_set_is_consistent),
		cmocka_unit_test(man_page_lists_every_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
