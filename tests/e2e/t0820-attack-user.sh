#!/bin/sh
# Issue 13.4: a kader with her PIN has K_data and can write any slot a kader
# has. A user needs a certificate by the device key (usable only with
# K_admin), and her slot pins that key: a slot made with K_data alone, or
# with a certificate she signed, is refused at login. If she also replaces
# the device key in the store, her user logs in, but every genuine user's
# next login fails the pin check (SECURITY.md §2.2).
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
printf '527390\n' >"$TRASH/pin.new"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }
newu() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user eka --pin-file "$TRASH/pin.new" "$@"; }

test_expect_success 'a store with an admin and a kader' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	kader "$D" person list >/dev/null
'

test_expect_success 'a v1 slot with K_data only: refused, ask the admin' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	ATK_PIN=739164 ATK_NEWPIN=527390 "$ATK/atk_user" "$TRASH/a" sri eka v1 >out &&
	grep -q "^attack:" out &&
	test_exit 1 newu "$TRASH/a" person list 2>err &&
	grep -q "belum disahkan oleh admin" err
'

for v in plain selfcert; do
	test_expect_success "a v2 slot ($v): refused, not authorised by the admin" '
		rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
		ATK_PIN=739164 ATK_NEWPIN=527390 "$ATK/atk_user" "$TRASH/a" sri eka '"$v"' >out &&
		grep -q "^attack:" out &&
		test_exit 1 newu "$TRASH/a" person list 2>err &&
		grep -q "Akun ini tidak disahkan oleh admin" err &&
		admin "$TRASH/a" person list >/dev/null
	'
done

test_expect_success 'the device key replaced too: every genuine user is refused' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	ATK_PIN=739164 ATK_NEWPIN=527390 "$ATK/atk_user" "$TRASH/a" sri eka newkey >out &&
	grep -q "^attack:" out &&
	newu "$TRASH/a" person list >/dev/null &&
	test_exit 1 admin "$TRASH/a" person list 2>err &&
	grep -q "kunci perangkat diganti" err &&
	test_exit 1 kader "$TRASH/a" person list 2>err &&
	grep -q "kunci perangkat diganti" err
'

test_expect_success 'her role edited to admin: the PIN reset is refused, no admin certificate' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	"$ATK/atk_user" "$TRASH/a" role sri 3 >out &&
	grep -q "^attack:" out &&
	test_exit 1 kader "$TRASH/a" person list 2>err &&
	admin "$TRASH/a" user list >out &&
	grep -q "^sri	kader	tampered$" out &&
	printf "615283\n" >"$TRASH/pin.reset" &&
	test_exit 1 admin "$TRASH/a" --new-pin-file "$TRASH/pin.reset" user passwd sri 2>err &&
	grep -q "Peran pengguna diubah di luar aplikasi" err &&
	test "$(sqlite3 "$TRASH/a/posyandu.db" "SELECT count(*) FROM user_certs c JOIN users u ON u.uuid = c.uuid WHERE u.label = '"'sri'"' AND c.role = 3")" = 0 &&
	test "$(sqlite3 "$TRASH/a/posyandu.db" "SELECT count(*) FROM user_certs c JOIN users u ON u.uuid = c.uuid WHERE u.label = '"'sri'"'")" = 1 &&
	test_exit 1 "$P" --config "$CONF" --data "$TRASH/a" --user sri --pin-file "$TRASH/pin.reset" person list 2>/dev/null
'

test_expect_success 'her role edited back: the reset works as a kader' '
	"$ATK/atk_user" "$TRASH/a" role sri 1 >out &&
	admin "$TRASH/a" --new-pin-file "$TRASH/pin.reset" user passwd sri >/dev/null &&
	"$P" --config "$CONF" --data "$TRASH/a" --user sri --pin-file "$TRASH/pin.reset" person list >/dev/null &&
	admin "$TRASH/a" user list >out && grep -q "^sri	kader	active$" out
'

test_expect_success 'the untouched store: both users log in' '
	admin "$D" person list >/dev/null && kader "$D" person list >/dev/null &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_done
