#!/bin/sh
# A disabled kader must not get the rotated K_data (issue 13.10). Disabling
# deletes her slot (users.wrapped), but the row is plain data: she saves it
# before, writes it back after. Her certificate is still valid, so the
# rotation used to seal the new key to her box key. Now who is active comes
# from the verified audit log (her latest user-add/passwd/disable entry),
# and any entry she writes after the disable fails `audit verify`, which
# the rotation runs first.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.sri"
printf '615283\n' >"$TRASH/pin.eka"
printf '527390\n' >"$TRASH/pin.new"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
sri() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.sri" "$@"; }
eka() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user eka --pin-file "$TRASH/pin.eka" "$@"; }
updates() { sqlite3 "$1/posyandu.db" "SELECT count(*) FROM key_updates k JOIN users u ON u.uuid = k.user WHERE u.label = '$2'"; }

test_expect_success 'a store with an admin and two kader; sri saves her slot row, then is disabled' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.sri" >/dev/null &&
	admin "$D" user add eka --role kader --new-pin-file "$TRASH/pin.eka" >/dev/null &&
	admin "$D" demo --children 5 --months 2 --seed 7 >/dev/null &&
	sri "$D" person list >/dev/null &&
	"$ATK/atk_user" "$D" slot-save sri "$TRASH/sri.slot" >out &&
	grep -q "^attack:" out &&
	admin "$D" user disable sri >/dev/null 2>&1 &&
	test_exit 1 sri "$D" person list 2>/dev/null
'

test_expect_success 'her row written back before the rotation: the rotation gives her nothing' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_user" "$TRASH/a" slot-restore sri "$TRASH/sri.slot" >out &&
	grep -q "^attack:" out &&
	admin "$TRASH/a" key rotate >/dev/null 2>&1 &&
	test "$(updates "$TRASH/a" sri)" = 0 &&
	test "$(updates "$TRASH/a" eka)" = 1 &&
	test_exit 1 sri "$TRASH/a" person list 2>/dev/null &&
	eka "$TRASH/a" person list >/dev/null &&
	admin "$TRASH/a" audit verify >out && grep -q "Log audit utuh" out
'

test_expect_success 'she logs in with the row written back: audit verify fails, no rotation' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_user" "$TRASH/a" slot-restore sri "$TRASH/sri.slot" >/dev/null &&
	{ sri "$TRASH/a" person list >/dev/null 2>&1 || :; } &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err && grep -q "log audit rusak" err &&
	test_exit 1 admin "$TRASH/a" key rotate 2>/dev/null &&
	test "$(updates "$TRASH/a" sri)" = 0
'

test_expect_success 'an admin re-enables her with a new PIN: she logs in and the log verifies' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	admin "$TRASH/a" --new-pin-file "$TRASH/pin.new" user passwd sri >/dev/null &&
	"$P" --config "$CONF" --data "$TRASH/a" --user sri --pin-file "$TRASH/pin.new" person list >/dev/null &&
	admin "$TRASH/a" audit verify >out && grep -q "Log audit utuh" out &&
	admin "$TRASH/a" key rotate >/dev/null 2>&1 &&
	test "$(updates "$TRASH/a" sri)" = 1
'

test_expect_success 'after that reset her old slot row and its generation put back open nothing' '
	rm -rf "$TRASH/b" && cp -r "$D" "$TRASH/b" &&
	admin "$TRASH/b" --new-pin-file "$TRASH/pin.new" user passwd sri >/dev/null &&
	"$ATK/atk_user" "$TRASH/b" slot-restore sri "$TRASH/sri.slot" >/dev/null &&
	sqlite3 "$TRASH/b/posyandu.db" "UPDATE users SET gen = gen - 1 WHERE label = '"'sri'"'" &&
	test_exit 1 sri "$TRASH/b" person list 2>err &&
	grep -q "tidak disahkan" err
'

test_done
