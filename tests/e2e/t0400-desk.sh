#!/bin/sh
# The desk in a real terminal: register a child, two visits a month apart
# with categories and N/T on screen, search by part of a name, the chart,
# editing a visit and its history, wrong values refused with their message,
# and a resize in the middle of a form.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
# A child of ten months; the first visit a month ago, the second today.
DOB=$(tdate "-10 months -3 days" +%d-%m-%Y)
# The 15th of last month: "-1 month" on the 31st would stay in this month.
LAST=$(tmonth -1 15 +%d-%m-%Y)
FUTURE=$(tdate "+3 days" +%d-%m-%Y)

# Clear the text field the cursor is in (dates come filled in).
clear_field() { send End; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do send BSpace; done; }

test_expect_success 'setup: a store with a kader' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	pc --user ani --pin-file "$TRASH/pin.admin" user add sri --role kader --new-pin-file "$TRASH/pin.kader"
'

test_expect_success 'the kader logs in and opens the desk' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter &&
	wait_for "Cari:" && wait_for "Hari buka hari ini belum dicatat"
'

test_expect_success 'F4 registers a child; a bad NIK is refused first; the sex is asked' '
	send F4 && wait_for "Daftar anak" &&
	type_text "Budi Santoso" && send Tab && send Tab &&
	type_text "$DOB" && send Tab &&
	type_text "12345" && send Tab &&
	wait_for "NIK harus tepat 16 angka" &&
	send BSpace BSpace BSpace BSpace BSpace && send Tab &&
	type_text "Siti Aminah" && send Tab && send Tab &&
	type_text 3 && send Tab && type_text 2 && send F2 &&
	wait_for "Pilih jenis kelamin anak, L atau P" &&
	type_text l && send F2 &&
	wait_for "Kartu" && wait_for "Budi Santoso  (anak, L)" &&
	wait_for "Ibu: Siti Aminah" && wait_for "KMS/KIA: -"
'

test_expect_success 'the registration is on disk: the child and the mother linked by name' '
	pc --user ani --pin-file "$TRASH/pin.admin" person list --format csv >people.csv &&
	grep -q ",child,Budi Santoso,L,$DOB," people.csv &&
	# the KMS/KIA question was not answered: not asked, not "no" or "yes"
	budi=$(sed -n "s/^\([^,]*\),child,Budi Santoso,.*/\1/p" people.csv) &&
	pc --user ani --pin-file "$TRASH/pin.admin" person show "$budi" --format json >budi.json &&
	python3 -c "import json,sys; sys.exit(0 if json.load(open(\"budi.json\"))[\"person\"][\"has_kia\"] is None else 1)" &&
	grep -q ",woman,Siti Aminah,P," people.csv
'

test_expect_success 'wrong values are refused with their message' '
	send v && wait_for "Kunjungan: Budi Santoso" && send BTab &&
	clear_field && type_text "$FUTURE" && send Tab &&
	wait_for "Tanggal itu belum terjadi" &&
	clear_field && type_text "$LAST" && send Tab &&
	type_text "abc" && send Tab && wait_for "Tulis angka, misalnya 9,1 atau 9.1" &&
	send BSpace BSpace BSpace && type_text "7,5" && send Tab &&
	type_text "300" && send Tab && wait_for "Panjang atau tinggi itu tidak mungkin" &&
	send BSpace BSpace BSpace && type_text "68" && send Tab
'

test_expect_success 'a resize in the middle of the form keeps what was typed' '
	tmux -L "$SOCK" resize-window -x 100 -y 30 && sleep 0.3 &&
	wait_for "7,5" && wait_for "68" &&
	tmux -L "$SOCK" resize-window -x 80 -y 24 && sleep 0.3 &&
	wait_for "7,5"
'

test_expect_success 'the first visit: B, with the Permenkes categories' '
	send F2 && wait_for "Hasil" &&
	wait_for "B: baru pertama kali ditimbang" &&
	wait_for "BB/U" && wait_for "PB-TB/U" && wait_for "Tersimpan."
'

test_expect_success 'a second visit a month later: too little gain is T, and refer' '
	send Escape && wait_for "Kartu" &&
	send v && wait_for "Kunjungan: Budi Santoso" &&
	type_text "7,6" && send Tab && type_text "69,5" && send F2 &&
	wait_for "Hasil" &&
	wait_for "Naik +100 g, kurang dari minimal 300 g: T, tidak naik" &&
	wait_for "Rujuk ke puskesmas"
'

test_expect_success 'Enter goes back to the search, ready; a part of the name finds him' '
	send Enter && wait_for "Cari:" &&
	type_text "bud" && wait_for "Budi Santoso" && wait_for "1 ditemukan" &&
	send BSpace BSpace BSpace && type_text "aminah" && wait_for "2 ditemukan" &&
	screen >found && head -4 found | tail -1 | grep -q "Siti Aminah" &&
	grep -q "Budi Santoso" found &&
	send Down Enter && wait_for "Budi Santoso  (anak, L)"
'

test_expect_success 'the chart shows the WHO curves and the points' '
	send g && wait_for "Grafik pertumbuhan" &&
	wait_for "berat badan menurut umur (kg)" && wait_for "garis merah" &&
	send Tab && wait_for "panjang/tinggi badan menurut umur (cm)" &&
	send Escape && wait_for "Kartu"
'

test_expect_success 'editing a visit makes a new version; the history shows both' '
	send Enter && wait_for "Kunjungan: Budi Santoso" &&
	send End BSpace BSpace BSpace && type_text "7,9" && send F2 &&
	wait_for "Naik +400 g (minimal 300 g): N, tumbuh baik" &&
	send Escape && wait_for "Kartu" &&
	send r && wait_for "Setiap versi tersimpan dari kunjungan" &&
	screen >hist && grep -c "7,6 kg" hist >n76 && grep -c "7,9 kg" hist >n79 &&
	test "$(cat n76)" = 1 && test "$(cat n79)" = 1
'

test_expect_success 'the visits are on disk: the audit log has every save' '
	send Escape && wait_for "Kartu" && send Escape && send Escape && send q &&
	pc --user ani --pin-file "$TRASH/pin.admin" audit >audit.txt &&
	test $(grep -c "	save	" audit.txt) -ge 5
'

test_done
