#!/bin/sh
# The first run in a real terminal: wizard -> home -> quit -> login -> home,
# and a wrong PIN refused on screen (then the persisted delay).
. "$(dirname "$0")/lib.sh"
DATA=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
app="$P --config $CONF --data $DATA"

test_expect_success 'with no store the app opens on the first-run wizard' '
	tui_start "$app" &&
	wait_for "Selamat datang. Perangkat ini belum punya penyimpanan data." &&
	wait_for "Enter Buka"
'

test_expect_success 'the wizard refuses a bad posyandu code at the field' '
	send Enter &&
	wait_for "Posyandu baru" &&
	type_text "p 01" && send Tab &&
	wait_for "Kode posyandu hanya boleh berisi A-Z, 0-9 dan" &&
	send BSpace BSpace BSpace BSpace && type_text "P-0001" && send Tab &&
	refute_screen "hanya boleh berisi"
'

test_expect_success 'the wizard creates the store and its first admin' '
	type_text "Posyandu Mawar" && send Tab &&
	send Tab Tab Tab Tab &&
	type_text "Bu Ani" && send Enter &&
	wait_for "PIN baru (paling sedikit 6 angka)" &&
	type_text "123456" && send Enter &&
	wait_for "PIN paling sedikit 6 angka dan tidak mudah ditebak" &&
	type_text "482915" && send Enter &&
	wait_for "Ketik PIN baru sekali lagi" &&
	type_text "482915" && send Enter &&
	wait_for "Beranda" 20 &&
	wait_for "Bu Ani (admin)" &&
	wait_for "Pengguna dan PIN" &&
	refute_screen "482915"
'

test_expect_success 'quit from home; the store is on disk, sealed' '
	send q &&
	sleep 0.3 &&
	test -f "$DATA/posyandu.db" &&
	$P --config "$CONF" --data "$DATA" user list >"$TRASH/users" &&
	grep -q "^Bu Ani	admin	active" "$TRASH/users"
'

test_expect_success 'next start opens the login screen; a wrong PIN is refused' '
	tui_start "$app" &&
	wait_for "Siapa Anda? Pilih nama Anda lalu tekan Enter." &&
	wait_for "Bu Ani" &&
	send Enter && wait_for "PIN untuk Bu Ani" &&
	type_text "000000" && send Enter &&
	wait_for "PIN salah" &&
	refute_screen "Beranda"
'

test_expect_success 'the right PIN opens the home screen for the role' '
	send Enter && wait_for "PIN untuk Bu Ani" &&
	type_text "482915" && send Enter &&
	wait_for "Beranda" &&
	wait_for "Periksa log audit" &&
	send q
'

test_expect_success 'five wrong PINs make the next try wait, even in a new process' '
	tui_start "$app" &&
	for i in 1 2 3 4 5; do
		wait_for "Siapa Anda?" &&
		send Enter && wait_for "PIN untuk Bu Ani" &&
		type_text "999999" && send Enter &&
		wait_for "PIN salah" || return 1
	done &&
	tui_stop &&
	tui_start "$app" &&
	wait_for "Siapa Anda?" &&
	send Enter && wait_for "PIN untuk Bu Ani" &&
	type_text "482915" && send Enter &&
	wait_for "Terlalu sering salah PIN. Tunggu" &&
	refute_screen "Beranda"
'

test_done
