#!/bin/sh
# Every user-facing string has its Indonesian translation, and the catalogue
# compiles cleanly.
. "$(dirname "$0")/lib.sh"
SRC=$SRCDIR

test_expect_success 'xgettext finds the msgids of tui/, cli/, app/, core/ and the configuration' '
	(cd "$SRC" && xgettext --from-code=UTF-8 -k_ -kN_ -o "$TRASH/all.pot" tui/*.c tui/*.h cli/*.c app/*.c app/*.h core/*.c storage/config.c) &&
	test $(grep -c "^msgid" all.pot) -gt 100
'

test_expect_success 'po/id.po translates every one of them' '
	msgcmp "$SRC/po/id.po" all.pot
'

test_expect_success 'po/id.po has no fuzzy or empty translations and compiles' '
	msgfmt --check --statistics -o /dev/null "$SRC/po/id.po" 2>stats &&
	cat stats && ! grep -qE "fuzzy|untranslated" stats
'

test_done
