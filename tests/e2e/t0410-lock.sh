#!/bin/sh
# Lock and hand over: the keys and decrypted data go, the next kader logs in
# and comes back to the same screen; help shows the keys of the screen.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }

test_expect_success 'setup: a store with people and two users' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	pc --user ani --pin-file "$TRASH/pin.admin" user add sri --role kader --new-pin-file "$TRASH/pin.kader" &&
	pc --user ani --pin-file "$TRASH/pin.admin" demo --children 10 --months 3 --seed 3 >/dev/null
'

test_expect_success 'help on the home screen lists its keys' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Enter &&
	wait_for "PIN untuk ani" && type_text 482915 && send Enter &&
	wait_for "Beranda" && send "?" &&
	wait_for "Tombol di layar ini:" && wait_for "Kunci" &&
	send Space && wait_for "Meja: cari, daftar, timbang"
'

test_expect_success 'F12 on the desk locks: the login screen, nothing of the data on screen' '
	send Enter && wait_for "Cari:" &&
	screen >before && name=$(sed -n 4p before | cut -c2-25 | sed "s/ *$//") &&
	test -n "$name" && echo "$name" >name &&
	send F12 && wait_for "Terkunci. Masuk untuk melanjutkan." &&
	refute_screen "$name"
'

test_expect_success 'the next kader logs in and is back on the desk' '
	send Down && send Enter && wait_for "PIN untuk sri" &&
	type_text 739164 && send Enter &&
	wait_for "Meja |" && wait_for "sri (kader)" && wait_for "$(cat name)"
'

test_done
