#!/bin/sh
# Forms a kader cannot trip over (issue 12): a letter picks a choice, the
# visit form starts on the weight, a value entered is replaced by typing and
# Ctrl-U clears it, Ctrl-S saves (no XOFF freeze), one visit per person per
# day and the card shows it at once, a delete asks one question, a resize
# redraws the form, the idle lock works with a form open and keeps its
# draft, and a draft survives kill -9, sealed, offered back at the next login.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
CONF_EN=$TRASH/posyandu-en.ini
write_test_config "$CONF"
printf '[ui]\nidle_lock_minutes = 1\n' >>"$CONF"
write_test_config "$CONF_EN"
printf '[ui]\nlanguage = en\n' >>"$CONF_EN"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
DOB=$(tdate "-10 months -3 days" +%d-%m-%Y)
TODAY=$(tdate "" +%d-%m-%Y)

# Log in as sri (the second user) into the desk.
login_sri() {
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter
}
# kill -9 the app in the tmux pane (its shell stays, sleeping).
kill_app() {
	pane=$(tmux -L "$SOCK" display-message -p "#{pane_pid}") &&
	app=$(pgrep -P "$pane" -x posyandu) && kill -9 "$app"
}

test_expect_success 'setup: a store with a kader' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	pc --user ani --pin-file "$TRASH/pin.admin" user add sri --role kader --new-pin-file "$TRASH/pin.kader"
'

test_expect_success 'item 4: typing P on the sex field registers a girl' '
	tui_start "$P --config $CONF --data $D" && login_sri &&
	wait_for "Meja: cari, daftar, timbang" && send Enter && wait_for "Cari:" &&
	send F4 && wait_for "Daftar anak" &&
	type_text "Rina Lestari" && send Tab && wait_for "huruf: pilih" &&
	type_text p && send Tab && type_text "$DOB" && send Tab && send Tab &&
	type_text "Siti Aminah" && send F2 &&
	wait_for "Rina Lestari  (anak, P)"
'

test_expect_success 'item 8: the visit form starts on the weight; typing replaces a value' '
	send v && wait_for "Kunjungan: Rina Lestari" &&
	type_text "7,5" && send Tab && type_text "68" && send Tab &&
	screen >form && grep -q "$TODAY" form && grep -q "7,5" form &&
	send BTab && type_text "69" && send BTab &&
	type_text "7,4" && screen >form2 && grep -q "7,4" form2 && ! grep -q "7,57,4" form2 &&
	send F2 && wait_for "Hasil" && wait_for "Tersimpan."
'

test_expect_success 'item 6: the card shows the new visit as soon as it is saved' '
	send Escape && wait_for "Kartu" &&
	screen >card && grep "$TODAY" card | grep -q "7,4" && grep "$TODAY" card | grep -q "69,0"
'

test_expect_success 'item 6: a second visit the same day opens today'"'"'s visit to correct' '
	send v && wait_for "Sudah datang hari ini" && wait_for "7,4" &&
	send End && send C-u && type_text "7,6" && screen >f && grep -q "7,6" f && ! grep -q "7,47,6" f &&
	send C-s && wait_for "Hasil" && wait_for "Tersimpan." &&
	send Escape && wait_for "Kartu" && screen >card && grep "$TODAY" card | grep -q "7,6" &&
	test $(grep -c "$TODAY" card) = 1 &&
	pc --user ani --pin-file "$TRASH/pin.admin" visit list --month $(tdate "" +%Y-%m) --format csv >visits.csv &&
	test $(grep -c "Rina Lestari" visits.csv) = 1
'

test_expect_success 'item 7: "n" on deleting the visit ends it: no second question' '
	send x && wait_for "Hapus kunjungan yang dipilih?" && send n &&
	sleep 0.3 && refute_screen "Hapus orang ini dari daftar?" &&
	wait_for "Rina Lestari  (anak, P)" && screen >card && grep "$TODAY" card | grep -q "7,6"
'

test_expect_success 'item 10: a resize redraws the open form whole' '
	send v && wait_for "Kunjungan: Rina Lestari" &&
	tmux -L "$SOCK" resize-window -x 100 -y 30 && sleep 0.5 &&
	tmux -L "$SOCK" resize-window -x 80 -y 24 && sleep 0.5 &&
	wait_for "Berat badan (kg)" && wait_for "Panjang/tinggi" && wait_for "F2: simpan" &&
	wait_for " posyandu  Kartu" && screen >s && grep -q "7,6" s
'

test_expect_success 'item 10: the idle lock works with a form open and keeps its draft' '
	send End && send C-u && type_text "7,7" && send Tab &&
	wait_for "Terkunci. Masuk untuk melanjutkan." 80 &&
	refute_screen "Rina Lestari" && refute_screen "7,7" &&
	send Down && send Enter && wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Buka lagi formulir yang belum disimpan?" && wait_for "Kunjungan: Rina Lestari" &&
	send y && wait_for "Isian sebelumnya kembali" && wait_for "7,7" &&
	send F2 && wait_for "Tersimpan." &&
	wait_for "Kartu" && screen >card && grep "$TODAY" card | grep -q "7,7"
'

test_expect_success 'item 12: a form being typed survives kill -9, sealed' '
	send Escape && wait_for "Cari:" && send F4 && wait_for "Daftar anak" &&
	type_text "Dewi Kusuma" && send Tab && sleep 1.5 && kill_app &&
	sleep 0.3 && ! grep -rqa "Dewi Kusuma" "$D"
'

test_expect_success 'item 12: the next login of the same user offers it back' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Enter && wait_for "PIN untuk ani" &&
	type_text 482915 && send Enter && wait_for "Beranda" &&
	refute_screen "Buka lagi formulir" && send l && wait_for "Siapa Anda?" &&
	login_sri && wait_for "Buka lagi formulir yang belum disimpan?" &&
	wait_for "Daftar anak" && send y &&
	wait_for "Isian sebelumnya kembali" && wait_for "Dewi Kusuma" &&
	send Tab && type_text p && send Tab && type_text "$DOB" && send Tab && send Tab &&
	type_text "Siti Aminah" && send F2 && wait_for "Tersimpan: Dewi Kusuma" &&
	pc --user ani --pin-file "$TRASH/pin.admin" person list --format csv | grep -q ",child,Dewi Kusuma,P,"
'

test_expect_success 'item 12: a draft used is gone; one declined is wiped' '
	send l && wait_for "Siapa Anda?" && login_sri && wait_for "Beranda" &&
	refute_screen "Buka lagi formulir" &&
	send Enter && wait_for "Cari:" && send F4 && wait_for "Daftar anak" &&
	type_text "Tono" && send Tab && sleep 1.5 && kill_app &&
	tui_start "$P --config $CONF --data $D" && login_sri &&
	wait_for "Buka lagi formulir yang belum disimpan?" && send n &&
	wait_for "sudah dibuang" && send l && wait_for "Siapa Anda?" && login_sri &&
	wait_for "Beranda" && refute_screen "Buka lagi formulir"
'

test_expect_success 'item 14: the help line and the English key bar fit 80 columns' '
	send "?" && wait_for "Angka desimal boleh koma atau titik: 9,1 = 9.1." && send Space &&
	wait_for "Beranda" && send q && tui_stop &&
	tui_start "$P --config $CONF_EN --data $D" &&
	wait_for "Who are you?" && send Down && send Enter && wait_for "PIN for sri" &&
	type_text 739164 && send Enter && wait_for "Home" && send Enter && wait_for "Find:" &&
	type_text "Rina" && send Enter && wait_for "Rina Lestari  (child, P)" &&
	screen >card && tail -1 card >bar && ! grep -qE "F12 [A-Za-z]{1,3} *$" bar &&
	! grep -q "F12 Lo" bar
'

test_done
