#!/bin/sh
# Posyandu ILP at the desk (issue 14): a resident is registered with the sex
# and date of birth the services follow; an adult's visit takes blood
# pressure, glucose, waist, Hb and answers, in pages that fit 80x24, and
# keeps a question not answered as not asked; an elderly person's form
# reaches the daily-activities score; a pregnant woman's danger signs are a
# checklist (two ticked are two bits), and her HPHT, gravida and para come
# forward to her next visit.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
DOB_ADULT=$(tdate "-45 years -20 days" +%d-%m-%Y)
DOB_SMALL=$(tdate "-4 years -11 months" +%d-%m-%Y)
DOB_OLD=$(tdate "-67 years -3 months" +%d-%m-%Y)
TWO_WEEKS=$(tdate "-14 days" +%d-%m-%Y)
HPHT=$(tdate "-22 weeks" +%d-%m-%Y)
uuid_of() { admin person list --format csv | grep "^[^,]*,[a-z]*,$1," | cut -d, -f1; }
# The JSON of the person named $1 into $2.
show() { admin person show "$(uuid_of "$1")" --format json >"$2"; }

login_sri() {
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter && wait_for "Cari:"
}
# Wait up to 5 s for a line of the screen matching the basic regex $1.
wait_re() {
	i=0
	while [ $i -lt 50 ]; do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "wait_re: \"$1\" did not appear"
	return 1
}
# Tab through the form until the message line shows $1 (a field's help).
tab_to() {
	i=0
	while [ $i -lt 40 ]; do
		screen | grep -qF -- "$1" && return 0
		send Tab && sleep 0.1
		i=$((i + 1))
	done
	echo "tab_to: \"$1\" never showed"
	return 1
}
# From the desk: the card of the person whose name starts with $1.
card_of() {
	send BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace && type_text "$1" && wait_for "1 ditemukan" && send Enter && wait_for "Kartu"
}

test_expect_success 'setup: a store with a kader and a pregnant woman' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" &&
	printf "ref;kind;name;sex;dob;rt;rw\nW1;pregnant;Sumarni;P;01-01-1996;5;3\n" >women.csv &&
	admin load people women.csv >out && grep -q "1 ditambahkan" out
'

test_expect_success 'F5 offers the resident; the date of birth, then the sex, are required' '
	tui_start "$P --config $CONF --data $D" && login_sri &&
	send F5 && wait_for "Daftar ibu/WUS atau warga" &&
	type_text "Budi Hartono" && send Tab && type_text w &&
	wait_for "warga (usia sekolah-lansia)" && send F2 &&
	wait_for "Tanggal lahir wajib diisi" && type_text "$DOB_ADULT" && send F2 &&
	wait_for "Warga wajib diisi jenis kelaminnya: L atau P" &&
	screen >form && grep -q "Jenis kelamin (L/P) *-" form &&
	type_text l && send F2 && wait_for "Budi Hartono  (dewasa, L)"
'

test_expect_success 'he is stored as a resident, L, with his date of birth' '
	admin person list --format csv >list &&
	grep -q ",resident,Budi Hartono,L,$DOB_ADULT," list
'

test_expect_success 'a man is not registered as a mother' '
	send Escape && wait_for "Cari:" && send F5 && wait_for "Daftar ibu/WUS" &&
	type_text "Joko Susilo" && send Tab && send Tab && type_text "$DOB_ADULT" &&
	send Tab Tab Tab Tab Tab Tab && type_text l && send F2 &&
	wait_for "Ibu hamil atau ibu adalah P; untuk laki-laki pilih warga" &&
	send Escape && { ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } &&
	wait_for "Cari:" &&
	test -z "$(uuid_of "Joko Susilo")"
'

test_expect_success 'a resident under five is refused: a child is registered with F4' '
	send F5 && wait_for "Daftar ibu/WUS" &&
	type_text "Kecil Sekali" && send Tab && type_text w &&
	wait_for "warga (usia sekolah-lansia)" && send Tab && type_text "$DOB_SMALL" &&
	send Tab Tab Tab Tab Tab Tab && type_text p && send F2 &&
	wait_for "Belum lima tahun: daftarkan sebagai anak (F4)" &&
	send Escape && { ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } &&
	wait_for "Cari:" &&
	test -z "$(uuid_of "Kecil Sekali")"
'

test_expect_success 'the desk lists a resident by his group' '
	type_text "budi" && wait_for "1 ditemukan" && screen >desk &&
	grep "Budi Hartono" desk | grep -q "(dewasa)" && send Escape && wait_for "Cari:"
'

test_expect_success 'an adult'"'"'s visit: the measurements on page 1 of 2, decimal comma or point' '
	card_of "Budi" && send v && wait_for "Kunjungan: Budi Hartono" &&
	wait_for "[Pengukuran 1/2]" && screen >form &&
	grep -q "Lingkar perut (cm)" form && grep -q "Gula darah (mg/dL)" form &&
	! grep -q "LILA" form && ! grep -q "Diukur" form &&
	type_text "72,5" && send Tab && type_text 168 && send Tab && type_text "95,5" && send Tab &&
	type_text 150/95 && send Tab && type_text 210 && send Tab && send Tab &&
	type_text "13.2" && send Tab && send Tab && type_text "6,2" && send Tab &&
	type_text t && send Tab && type_text y && send Tab && send Tab &&
	wait_for "[Indra dan pola makan 2/2]" && wait_for "Bungkus-tahun merokok" &&
	send F2 && wait_for "Tersimpan."
'

test_expect_success 'a typing slip is refused at its field with the range' '
	send Escape && wait_for "Kartu" && send Enter && wait_for "Kunjungan: Budi Hartono" &&
	send Tab Tab && type_text 950 && send Tab && wait_for "Nilai di luar batas (30-250 cm)" &&
	send C-u && type_text "95,5" && send Tab && refute_screen "Nilai di luar batas" &&
	send Escape && { ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } &&
	wait_for "Kartu"
'

test_expect_success 'the visit is on disk: weight, standing height, blood pressure' '
	show "Budi Hartono" b.json &&
	grep -q "\"weight_kg\": 72.5" b.json && grep -q "\"lenhei_cm\": 168.0" b.json &&
	grep -q "\"measure\": \"h\"" b.json &&
	grep -q "\"bp_sys\": 150" b.json && grep -q "\"bp_dia\": 95" b.json
'

test_expect_success 'after a restart the form reads back the ILP values; unanswered stays "-"' '
	tui_stop && tui_start "$P --config $CONF --data $D" && login_sri &&
	card_of "Budi" && send Enter && wait_for "Kunjungan: Budi Hartono" && screen >form &&
	grep -q "Lingkar perut (cm) *95,5" form && grep -q "Gula darah (mg/dL) *210" form &&
	grep -q "Hb (g/dL) *13,2" form && grep -q "Asam urat (mg/dL) *6,2" form &&
	grep -q "Gejala TBC *tidak" form && grep -q "Merokok saat ini *ya" form &&
	grep -q "Gula darah puasa (GDP) *-" form && grep -q "Kolesterol (mg/dL)  *│" form &&
	send PageDown && wait_for "[Indra dan pola makan 2/2]" && screen >form2 &&
	grep -q "Gangguan penglihatan *-" form2 && grep -q "Sesak napas *-" form2 &&
	send Escape && wait_for "Kartu" && send Escape && wait_for "Cari:"
'

test_expect_success 'an elderly person'"'"'s form reaches the ADL score in 80x24' '
	send F5 && wait_for "Daftar ibu/WUS" &&
	type_text "Mbah Karto" && send Tab && type_text w && send Tab && type_text "$DOB_OLD" &&
	send F2 && wait_for "Warga wajib diisi jenis kelaminnya" && type_text l && send F2 &&
	wait_for "Mbah Karto  (lansia, L)" && send v && wait_for "Kunjungan: Mbah Karto" &&
	refute_screen "Metode KB" && send PageDown && wait_for "Aktivitas harian ADL (0-20)" &&
	wait_for "Risiko jatuh" && screen >form && grep -q "2/2\\]" form &&
	send PageDown && wait_for "[Pengukuran 1/2]" && send PageUp && wait_for "Aktivitas harian" &&
	tab_to "Skor Barthel 0-20" &&
	type_text 25 && send Tab && wait_for "Nilai di luar batas (ADL 0-20)" &&
	send C-u && type_text 18 && send Tab && wait_for "Risiko jatuh" &&
	type_text y && send F2 && wait_for "Tersimpan."
'

test_expect_success 'a pregnant woman: HPHT, gravida, para, the Td choice' '
	send Escape && wait_for "Kartu" && send Escape && wait_for "Cari:" &&
	card_of "Sumarni" && send v && wait_for "Kunjungan: Sumarni" && send BTab &&
	send End && send C-u && type_text "$TWO_WEEKS" && send Tab && type_text 54 &&
	wait_for "Hari pertama haid (HPHT)" &&
	tab_to "Hari pertama haid terakhir" &&
	type_text "$HPHT" && send Tab Tab && type_text 2 && send Tab && type_text 1 &&
	send Tab Tab && type_text t && send Right && wait_re "Status imunisasi Td *T2" &&
	send F2 && wait_for "Tersimpan."
'

test_expect_success 'her next visit starts with them (alone, no visit); two danger signs are two bits' '
	send Escape && wait_for "Kartu" && send v && wait_for "Kunjungan: Sumarni" &&
	screen >form && grep -q "Hari pertama haid (HPHT) *$HPHT" form &&
	grep -q "Hamil ke- (G) *2" form && grep -q "Persalinan sebelumnya (P) *1" form &&
	grep -q "HPHT $HPHT: 22 minggu" form &&
	send F2 && wait_for "Tidak ada yang disimpan: isi pengukuran atau layanan" &&
	send PageDown && wait_for "[Tanda bahaya 2/2]" && screen | grep -q "Tidak ada tanda bahaya *\[ \]" &&
	send Space && send Tab && send Space && send Tab && send Tab && type_text x &&
	send F2 && wait_for "Tanda bahaya dan \"tidak ada tanda bahaya\" sama-sama dicentang" &&
	wait_for "[Tanda bahaya 2/2]" && send Space && send F2 && wait_for "Tersimpan." &&
	show Sumarni s.json && grep -q "\"danger_signs\": \"bleeding+fever\"" s.json
'

test_expect_success 'the signs ticked read back; "none" is not ticked with them' '
	send Escape && wait_for "Kartu" && send Enter && wait_for "Kunjungan: Sumarni" &&
	send PageDown && wait_for "[Tanda bahaya 2/2]" && screen >form &&
	grep -q "Tidak ada tanda bahaya *\[ \]" form && grep -q "Perdarahan jalan lahir *\[x\]" form &&
	grep -q "Demam tinggi *\[x\]" form && grep -q "Sesak napas *\[ \]" form && tui_stop
'

# A new pregnancy does not start with the last one's HPHT, G and P.
test_expect_success 'an earlier pregnancy (a year ago) is not carried into a new one' '
	printf "ref;kind;name;sex;dob\nW7;pregnant;Rahayu;P;01-01-1995\n" >w7.csv &&
	admin load people w7.csv >/dev/null &&
	printf "ref;date;weight_kg;hpht;gravida;para\nW7;%s;58;%s;1;0\n" \
		"$(tdate "-50 weeks" +%d-%m-%Y)" "$(tdate "-70 weeks" +%d-%m-%Y)" >w7v.csv &&
	admin load visits w7v.csv >/dev/null &&
	tui_start "$P --config $CONF --data $D" && login_sri &&
	card_of "Rahayu" && send v && wait_for "Kunjungan: Rahayu" &&
	screen >form && ! grep -q "Hamil ke- (G) *1" form && ! grep -q "HPHT .*minggu" form &&
	send Escape && { ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } &&
	tui_stop
'

# An elderly woman with nearly every finding: more lines than 80x24 holds.
test_expect_success 'a result longer than the screen scrolls, the keys stay on the last row' '
	printf "ref;kind;name;sex;dob\nE9;resident;Nenek Wiryo;P;%s\n" \
		"$(tdate "-72 years" +%d-%m-%Y)" >old.csv &&
	admin load people old.csv >/dev/null &&
	printf "%s\n" "ref;date;weight_kg;lenhei_cm;measure;bp_sys;bp_dia;glucose_mgdl;waist_cm;hb_gdl;tb_symptoms;smoking;cholesterol_mgdl;uric_mgdl;vision_problem;hearing_problem;diet_sugar;diet_salt;diet_fat;adl;fall_risk;puma_breath;puma_phlegm;puma_cough;puma_spirometry;puma_packyears" \
		"E9;$(tdate "" +%d-%m-%Y);38;160;h;170;105;260;95;9,5;y;y;280;9,5;y;y;y;y;y;8;y;y;y;y;n;>30" >old-v.csv &&
	admin load visits old-v.csv >/dev/null &&
	tui_start "$P --config $CONF --data $D" && login_sri &&
	card_of "Nenek" && send Enter && wait_for "Kunjungan: Nenek Wiryo" &&
	send F2 && wait_for "Tersimpan." && wait_for "PgDn: lanjut" &&
	screen >long1 && grep -q "Nenek Wiryo, " long1 &&
	send PageDown && wait_for "Enter: orang berikutnya" && screen >long2 &&
	! grep -q "Nenek Wiryo, " long2 && ! grep -q "PgDn: lanjut" long2 &&
	send PageUp && wait_for "Nenek Wiryo, " && wait_for "PgDn: lanjut" &&
	send Enter && wait_for "Cari:" && tui_stop
'

test_done
