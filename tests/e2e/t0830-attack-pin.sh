#!/bin/sh
# Issue 13.9: the wrong-PIN counter is a row anyone with the file can reset
# (SECURITY.md §2.13 says so: it only slows guessing through the app). What
# is not erasable: the failures it had counted go into the user's signed
# entry at her next login, and cutting that entry from the log shows at her
# following login and in `audit verify`.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
printf '111999\n' >"$TRASH/pin.wrong"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }
guess() { "$P" --config "$CONF" --data "$1" --user sri --pin-file "$TRASH/pin.wrong" person list; }
count() {
	python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])" "$1/posyandu.db" "$2"
}

test_expect_success 'a store with an admin and a kader' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null
'

test_expect_success 'three guesses are counted, then written into her signed login entry' '
	for i in 1 2 3; do test_exit 1 guess "$D" 2>err || return 1; done &&
	test "$(count "$D" "SELECT failed FROM users WHERE label = '"'sri'"'")" = 3 &&
	kader "$D" person list >/dev/null &&
	admin "$D" audit >out && grep -q "3 wrong PIN(s) before this login" out &&
	test "$(count "$D" "SELECT count(*) FROM audit WHERE action = 3 AND sig IS NOT NULL")" = 1
'

test_expect_success 'her entries cut from the log: her next login warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	n=$(count "$TRASH/a" "SELECT seq FROM audit WHERE action = 3") &&
	"$ATK/atk_audit" "$TRASH/a" - cut "$n" >out && grep -q "^attack:" out &&
	kader "$TRASH/a" person list >/dev/null 2>err &&
	grep -q "catatan audit Anda hilang" err &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err && grep -q "log audit rusak" err
'

test_expect_success 'the limit, as documented: a counter reset by SQL is not seen' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	for i in 1 2; do test_exit 1 guess "$TRASH/a" 2>err || return 1; done &&
	"$ATK/atk_pin" "$TRASH/a" reset sri >out && grep -q "^attack:" out &&
	test "$(count "$TRASH/a" "SELECT failed FROM users WHERE label = '"'sri'"'")" = 0 &&
	grep -q "can reset it or guess" "$SRCDIR/man/posyandu.1"
'

test_done
