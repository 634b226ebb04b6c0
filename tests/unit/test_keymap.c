/* tests/unit/test_keymap.c: the key table is the one source: every action
 * resolves to its keys, and man/posyandu.1 documents every key. */
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
	assert_int_equal(keymap_action(KEY_F(10), true, false), ACT_QUIT);
	assert_int_equal(keymap_action('q', false, false), ACT_QUIT);
	assert_int_equal(keymap_action(KEY_F(2), true, true), ACT_SAVE);
	assert_int_equal(keymap_action(27, false, true), ACT_BACK);
	assert_int_equal(keymap_action('\r', false, true), ACT_SELECT);
	/* In a text field a letter types; it is not an action. */
	assert_int_equal(keymap_action('q', false, true), ACT_NONE);
	assert_int_equal(keymap_action('l', false, true), ACT_NONE);
	assert_int_equal(keymap_action('z', false, false), ACT_NONE);
	/* The desk's search is a text field: F-keys and Ctrl keys still act. */
	assert_int_equal(keymap_action(KEY_F(4), true, true), ACT_NEW_CHILD);
	assert_int_equal(keymap_action(14 /* ^N */, false, true), ACT_NEW_CHILD);
	assert_int_equal(keymap_action(KEY_F(6), true, true), ACT_SESSION);
	assert_int_equal(keymap_action('v', false, true), ACT_NONE);
	assert_int_equal(keymap_action('v', false, false), ACT_VISIT);
	assert_int_equal(keymap_action('x', false, false), ACT_DELETE);
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
		cmocka_unit_test(man_page_lists_every_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
