#!/bin/sh
# What the visit form and `load visits` accept (issue 12): an empty visit is
# not saved; a typo weight or a shrinking length is shown beside the last
# value and kept only when confirmed; a dose at an impossible age and a
# capsule of the wrong colour are refused, a catch-up needs its reason; the
# yes/no questions start unanswered; the panel's words (a loss is a loss,
# z with a decimal comma, no "tumbuh baik" for a doubtful value).
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
# The 15th of last month: "-1 month" on the 31st would stay in this month.
LAST=$(tmonth -1 15 +%d-%m-%Y)
TODAY=$(tdate "" +%d-%m-%Y)
# A month that is neither February nor August, for the capsule's month.
OFF=$(tmonth -1 10 +%d-%m-%Y)
case $OFF in *-02-*|*-08-*) OFF=$(tmonth -2 10 +%d-%m-%Y) ;; esac
# The day after, for the desk's own catch-up visit (one visit per day).
OFF2=$(dshift "$(echo "$OFF" | awk -F- '{print $3"-"$2"-"$1}')" "+1 day" +%d-%m-%Y)

cat >people.csv <<EOF
ref;kind;name;sex;dob;mother_name
A9;child;Ani Wulandari;P;$(tdate "-9 months -10 days" +%d-%m-%Y);Wati
B1;child;Bayu Saputra;L;$(tdate "-32 days" +%d-%m-%Y);Rini
C2;child;Cahya Putri;P;$(tdate "-24 months -20 days" +%d-%m-%Y);Sari
F3;child;Fajar Nugroho;L;$(tdate "-36 months -20 days" +%d-%m-%Y);Yani
L7;child;Lina Marlina;P;$(tdate "-7 months -5 days" +%d-%m-%Y);Dewi
K1;child;Kiki Amelia;P;$(tdate "-11 months -5 days" +%d-%m-%Y);Nur
R3;child;Rudi Hartono;L;$(tdate "-30 months -5 days" +%d-%m-%Y);Tini
H2;child;Hana Safitri;P;$(tdate "-20 months" +%d-%m-%Y);Eka
EOF
cat >visits.csv <<EOF
ref;date;weight_kg;lenhei_cm
A9;$LAST;9,6;70
C2;$LAST;12,0;84,1
F3;$LAST;16,5;96
H2;$LAST;10,2;84,1
EOF

test_expect_success 'setup: a store, a kader, the children and last month' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	admin load people people.csv >out && admin load visits visits.csv >out &&
	grep -F "4 ditambahkan" out
'

# ---- load visits ----

test_expect_success 'load: a row with nothing measured and nothing given is refused' '
	printf "ref;date;oedema\nA9;%s;\n" "$TODAY" >empty.csv &&
	test_exit 1 admin load visits empty.csv 2>err &&
	grep -F "empty.csv:2: Tidak ada yang disimpan: isi pengukuran atau layanan" err
'

test_expect_success 'load: a typo weight and a shrinking length need confirmed=y' '
	printf "ref;date;weight_kg;lenhei_cm\nA9;%s;98;\nH2;%s;;81,5\n" "$TODAY" "$TODAY" >typo.csv &&
	test_exit 1 admin load visits typo.csv 2>err &&
	grep -F "typo.csv:2: Berat 98,0 kg, 9,6 kg pada $LAST: lebih dari wajar sebulan; bila benar: confirmed=y" err &&
	grep -F "typo.csv:3: Panjang 81,5 cm, 84,1 cm pada $LAST: anak tidak memendek" err &&
	printf "ref;date;lenhei_cm;confirmed\nH2;%s;81,5;y\n" "$TODAY" >conf.csv &&
	admin load visits conf.csv >out && grep -F "1 ditambahkan" out
'

test_expect_success 'load: doses at impossible ages and capsules of the wrong colour are refused' '
	cat >doses.csv <<-EOF &&
	ref;date;immunizations;vitamin_a
	B1;$TODAY;MR1;
	L7;$TODAY;HB0;
	K1;$TODAY;;red
	R3;$TODAY;;blue
	EOF
	test_exit 1 admin load visits doses.csv 2>err &&
	grep -F "doses.csv:2: MR1 tidak diberikan sebelum umur 9 bulan" err &&
	grep -F "doses.csv:3: HB0 hanya diberikan sampai umur 7 hari" err &&
	grep -F "doses.csv:4: Kapsul merah untuk umur 12-59 bulan; sebelum 12 bulan biru" err &&
	grep -F "doses.csv:5: Kapsul biru untuk umur 6-11 bulan; mulai 12 bulan merah" err
'

test_expect_success 'load: a dose too soon after the one before it, in the same file' '
	printf "ref;date;immunizations\nH2;%s;OPV1 OPV2\n" "$TODAY" >soon.csv &&
	test_exit 1 admin load visits soon.csv 2>err &&
	grep -F "soon.csv:2: OPV2: minimal 4 minggu setelah OPV1" err
'

test_expect_success 'load: a capsule outside February and August needs catch_up' '
	printf "ref;date;vitamin_a\nR3;%s;red\n" "$OFF" >off.csv &&
	test_exit 1 admin load visits off.csv 2>err &&
	grep -F "off.csv:2: Kapsul di luar Feb/Agu: pemberian kejar; alasan di kolom catch_up" err &&
	printf "ref;date;vitamin_a;catch_up\nR3;%s;red;campak\n" "$OFF" >off2.csv &&
	admin load visits off2.csv >out && grep -F "1 ditambahkan" out
'

# ---- the desk ----

clear_field() { send End; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do send BSpace; done; }
# From the desk's search, the visit form of the child found by $1.
open_visit() {
	for i in 1 2 3 4 5 6 7 8 9 10; do send BSpace; done &&
	type_text "$1" && wait_for "1 ditemukan" && send Down Enter && wait_for "Kartu" &&
	send v && wait_for "Kunjungan:"
}
# Throw the form away, back to the search.
leave_form() {
	send Escape && sleep 0.5 &&
	{ refute_screen "Yakin?" >/dev/null || send y; } &&
	wait_for "Kartu" && send Escape && wait_for "Cari:"
}
# From the result panel back to the search.
leave_result() { send Enter && wait_for "Cari:"; }
# Answer y to every "Are you sure?" until the result panel shows.
confirm_all() {
	for i in 1 2 3; do
		wait_for "Yakin?" 3 || break
		send y && sleep 0.3
	done
	wait_for "Hasil"
}

test_expect_success 'the kader opens the desk' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter && wait_for "Cari:"
'

test_expect_success 'F2 on a visit with nothing entered saves nothing' '
	open_visit "Bayu" && send F2 &&
	wait_for "Tidak ada yang disimpan: isi pengukuran atau layanan" &&
	refute_screen "Tersimpan."
'

test_expect_success 'the yes/no questions start unanswered ("-")' '
	screen >form && grep -E "Kemarin hanya ASI +-" form && grep -E "Edema \(kedua kaki\) +-" form
'

test_expect_success 'MR1 at 32 days is refused with the reason' '
	type_text "4,5" && send Tab Tab Tab Tab Tab Tab Tab &&
	type_text "MR1" && send F2 &&
	wait_for "MR1 tidak diberikan sebelum umur 9 bulan" && leave_form
'

test_expect_success 'a weight of 0 is refused in Indonesian only, whole' '
	open_visit "Wulandari" && type_text 0 && send Tab &&
	wait_for "Berat itu tidak mungkin: periksa timbangan dan angkanya" &&
	refute_screen "outside" && refute_screen "0.3"
'

test_expect_success '98 for a 9-month-old: the form shows it beside 9,6 and asks; n keeps the form' '
	send BSpace && type_text 98 && send F2 &&
	wait_for "Berat 98,0 kg, 9,6 kg pada $LAST: lebih dari wajar sebulan" &&
	send n && wait_for "Tidak disimpan" && refute_screen "Hasil" && leave_form
'

test_expect_success '250 for a 2-year-old, confirmed: saved, never "tumbuh baik"; z with a comma' '
	open_visit "Cahya" && type_text 250 && send F2 &&
	wait_for "Berat 250,0 kg, 12,0 kg pada $LAST" && confirm_all &&
	wait_for "N menurut angka, tetapi periksa nilainya" &&
	refute_screen "tumbuh baik" &&
	screen >res && grep -E "BB/U +z [+-][0-9]+,[0-9][0-9]" res && ! grep -E "z [+-][0-9]+\.[0-9]" res &&
	leave_result
'

test_expect_success 'a loss is written as a loss, not "Naik -6900 g"' '
	open_visit "Fajar" && type_text "9,6" && send F2 &&
	wait_for "Berat 9,6 kg, 16,5 kg pada $LAST: turun terlalu banyak" && confirm_all &&
	wait_for "Turun 6900 g dari bulan lalu: T, tidak naik" && refute_screen "Naik -" &&
	leave_result
'

test_expect_success 'a length drop from 84,1 to 81,5 cm is asked about at the desk too' '
	open_visit "Hana" && type_text "10,4" && send Tab && type_text "81,5" && send F2 &&
	wait_for "Panjang 81,5 cm, 84,1 cm pada $LAST: anak tidak memendek" &&
	send n && wait_for "Tidak disimpan" && leave_form
'

test_expect_success 'a catch-up capsule needs its reason in the Note' '
	open_visit "Rudi" && send BTab && clear_field && type_text "$OFF2" && send Tab && type_text "13" &&
	send Tab Tab Tab Tab Tab Tab && send Right Right && send F2 &&
	wait_for "pemberian kejar; isi alasan di Catatan" &&
	send Tab Tab Tab Tab Tab Tab Tab Tab && type_text "campak" && send F2 &&
	wait_for "Alasan: campak" && send y && wait_for "Hasil" && leave_result
'

test_done
