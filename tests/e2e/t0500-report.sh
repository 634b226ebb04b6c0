#!/bin/sh
# Reports and registers (issue 5): a register loaded from CSV files (';' and
# ',' separators, decimal commas, both date forms), bad rows reported by
# line and column with nothing loaded, a second load adding nothing; then
# `report monthly` (csv, json, text), `report followup` and `report
# sessions` checked against numbers worked out by hand; and the reports
# screen with its trend chart in a real terminal.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
test_cmp() { diff -u "$1" "$2"; }

# The report month M is three months back, never February or August (a
# vitamin A month has other numbers). Dates are relative to M so that the
# ages below hold whenever the test runs.
M=$(tmonth -3 1 +%Y-%m)
case $M in *-02 | *-08) M=$(dshift "$M-01" "-1 month" +%Y-%m) ;; esac
M0=$(dshift "$M-01" "" +%m-%Y)                    # MM-YYYY of M
M1=$(dshift "$M-01" "-1 month" +%m-%Y)           # the month before
M2ISO=$(dshift "$M-05" "-2 months" +%Y-%m-%d)    # two months before, ISO
M0ISO=$(dshift "$M-05" "" +%Y-%m-%d)
DOB_BUDI=$(dshift "$M-01" "-20 months" +%d-%m-%Y)    # 20 months at the end of M
DOB_CITRA=$(dshift "$M-15" "-4 months" +%d-%m-%Y)    # 4 months at the end of M
DOB_DODI=$(dshift "$M-01" "-30 months" +%Y-%m-%d)    # 30 months, ISO form
NOW=$(tdate "" +%Y-%m)
TODAY=$(tdate "" +%d-%m-%Y)

# The register: Siti works; Budi and Citra are hers; Dodi has only a
# mother's name and no KMS; Maya is pregnant.
cat >people.csv <<EOF
ref;kind;name;sex;dob;nik;kk;mother_ref;mother_name;rt;rw;mother_works;has_kia
M1;woman;Siti Aminah;P;;;;;;1;2;y;
C1;child;Budi Santoso;L;$DOB_BUDI;;;M1;;1;2;;y
C2;child;Citra Dewi;P;$DOB_CITRA;;;M1;;1;2;y;y
C3;child;Dodi Pratama;L;$DOB_DODI;;;;Sumi;3;1;;n
P1;pregnant;Maya Sari;;1998-03-03;;;;;2;1;n;
EOF
# Budi 10,0 -> 10,1 (+100 g < KBM 200 g at 20 months): T. Citra 6,0 -> 6,9
# (+900 g at 3 months, KBM 800 g): N; recall "no". Maya: LILA exactly 23,5.
cat >visits.csv <<EOF
ref;date;weight_kg;lenhei_cm;measure;oedema;headc_cm;muac_cm;asi_recall;vitamin_a;immunizations
C1;05-$M1;10,0;;;;;;;;
C1;05-$M0;10,1;81,5;l;n;;;;;
C2;10-$M1;6,0;;;;;;y;;
C2;10-$M0;6,9;;;;;;n;;DPT-HB-Hib2 OPV3
P1;10-$M0;;;;;;23,5;;;
EOF
# Dodi, in a ',' file: two months ago and in M, not last month: O.
printf 'ref,date,weight_kg\nC3,%s,"12,1"\nC3,%s,12.5\n' "$M2ISO" "$M0ISO" >visits2.csv

test_expect_success 'setup: a store, an admin and a kader' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null
'

test_expect_success 'the register loads in one go (";" file, both date forms)' '
	admin load people people.csv >out &&
	grep -F "Dimuat people.csv: 5 ditambahkan, 0 diperbarui, 0 tidak berubah" out &&
	admin person list --format csv | cut -d, -f2- | sort >list &&
	grep -F "child,Budi Santoso,L,$DOB_BUDI," list &&
	grep -F "child,Dodi Pratama,L,$(dshift "$DOB_DODI" "" +%d-%m-%Y)," list &&
	grep -F "pregnant,Maya Sari,P,03-03-1998," list &&
	grep -F "woman,Siti Aminah,P," list &&
	test $(wc -l <list) = 6
'

test_expect_success 'bad rows: every one named by line and column, and nothing is loaded' '
	cat >bad.csv <<-EOF &&
	ref;kind;name;sex;dob;nik;kk;mother_ref;mother_name;rt;rw;mother_works;has_kia
	B1;child;Rudi;X;01-01-2025;;;;;;;;
	B2;kid;Sari;P;01-01-2025;;;;;;;;
	B3;child;Tono;L;31-02-2025;;123;;;300;;;maybe
	B4;child;Wati;P;01-01-2025;;;ZZ;;;;;
	B1;child;Rudi;L;01-01-2025;;;;;;;;
	EOF
	admin person list --format csv >before &&
	test_exit 1 admin load people bad.csv 2>err &&
	cat >want <<-EOF &&
	bad.csv:2: sex: Jenis kelamin harus L atau P
	bad.csv:3: kind: Jenis harus child, pregnant, woman atau resident
	bad.csv:4: dob: Tanggal itu tidak ada
	bad.csv:4: kk: Nomor KK harus tepat 16 angka
	bad.csv:4: rt: RT dan RW berupa angka 1 sampai 255
	bad.csv:4: has_kia: Tulis y atau n
	bad.csv:5: mother_ref: Tidak ada wanita dengan ref ini di berkas maupun di penyimpanan
	bad.csv:6: ref: Ref ini muncul dua kali di berkas
	posyandu: bad.csv: 8 kesalahan; tidak ada yang dimuat
	EOF
	test_cmp want err &&
	admin person list --format csv >after &&
	test_cmp before after
'

test_expect_success 'an unknown column and a missing required one are refused' '
	printf "ref;kind;nama\nX;child;Ani\n" >cols.csv &&
	test_exit 1 admin load people cols.csv 2>err &&
	grep -F "cols.csv:1: nama: Kolom tidak dikenal" err &&
	grep -F "cols.csv:1: name: Kolom ini tidak ada di baris judul" err
'

test_expect_success 'a visit whose ref is not in the store names the line; nothing loaded' '
	printf "ref;date;weight_kg\nC1;05-%s;10,0\nNOPE;05-%s;9,0\nC2;10-%s;abc\n" "$M1" "$M1" "$M1" >badv.csv &&
	test_exit 1 admin load visits badv.csv 2>err &&
	grep -F "badv.csv:3: ref: Tidak ada orang dengan ref ini" err &&
	grep -F "badv.csv:4: weight_kg: Tulis angka, misalnya 9,1 atau 9.1" err &&
	grep -F "posyandu: badv.csv: 2 kesalahan; tidak ada yang dimuat" err
'

test_expect_success 'visits load from ";" with decimal commas and from "," with quotes' '
	admin load visits visits.csv >out &&
	grep -F "Dimuat visits.csv: 5 ditambahkan, 0 diperbarui, 0 tidak berubah" out &&
	admin load visits visits2.csv >out &&
	grep -F "Dimuat visits2.csv: 2 ditambahkan, 0 diperbarui, 0 tidak berubah" out
'

test_expect_success 'loading the same files twice adds nothing' '
	admin person list --format csv >before &&
	admin audit >audit1 &&
	admin load people people.csv >out &&
	grep -F "0 ditambahkan, 0 diperbarui, 5 tidak berubah" out &&
	admin load visits visits.csv >out &&
	grep -F "0 ditambahkan, 0 diperbarui, 5 tidak berubah" out &&
	admin load visits visits2.csv >out &&
	grep -F "0 ditambahkan, 0 diperbarui, 2 tidak berubah" out &&
	admin person list --format csv >after &&
	test_cmp before after &&
	admin audit >audit2 &&
	test $(grep -c "	save	" audit1) = $(grep -c "	save	" audit2)
'

# Month M by hand. S = Budi (20 m), Citra (4 m), Dodi (30 m) = 3; K: Budi,
# Citra = 2; D = 3: N Citra, T Budi, O Dodi, B none. D/K = 3/2 (Dodi is
# weighed without a KMS). N/D' = 1/(3 - 1 - 0). Every weight is normal
# (z -1.05, +0.68, -0.54); Budi's length and weight-for-length too.
test_expect_success 'report monthly --format csv, against the hand count' '
	admin report monthly --month $M --format csv >out &&
	cat >want <<-EOF &&
	month,section,indicator,group,value,numerator,denominator
	$M,skdn,S,all,3,,
	$M,skdn,K,all,2,,
	$M,skdn,D,all,3,,
	$M,skdn,N,all,1,,
	$M,skdn,T,all,1,,
	$M,skdn,O,all,1,,
	$M,skdn,B,all,0,,
	$M,skdn,2T,all,0,,
	$M,skdn,BGM,all,0,,
	EOF
	head -10 out >got && test_cmp want got &&
	grep -Fx "$M,skdn,S,L 12-23,1,," out && grep -Fx "$M,skdn,T,L 12-23,1,," out &&
	grep -Fx "$M,skdn,O,L 24-59,1,," out && grep -Fx "$M,skdn,K,L 24-59,0,," out &&
	grep -Fx "$M,skdn,N,P 0-5,1,," out && grep -Fx "$M,skdn,S,P 6-11,0,," out &&
	grep -Fx "$M,skdn,S,L,2,," out && grep -Fx "$M,skdn,D,P,1,," out &&
	cat >want <<-EOF &&
	$M,ratio,K/S,all,66.7,2,3
	$M,ratio,D/S,all,100.0,3,3
	$M,ratio,D/K,all,150.0,3,2
	$M,ratio,N/D,all,33.3,1,3
	$M,ratio,N/D'"'"',all,50.0,1,2
	$M,ratio,BGM/D,all,0.0,0,3
	$M,ratio,2T/D,all,0.0,0,3
	EOF
	grep ",ratio," out >got && test_cmp want got &&
	grep -Fx "$M,nutrition,measured,weight_for_age,3,," out &&
	grep -Fx "$M,nutrition,normal,weight_for_age,100.0,3,3" out &&
	grep -Fx "$M,nutrition,measured,length_height_for_age,1,," out &&
	grep -Fx "$M,nutrition,stunted,all,0.0,0,1" out &&
	grep -Fx "$M,exclusive_breastfeeding,recall_yes,all,0.0,0,1" out &&
	grep -Fx "$M,exclusive_breastfeeding,recall_yes,mother_works,0.0,0,1" out &&
	grep -Fx "$M,exclusive_breastfeeding,recall_yes,mother_other,,0,0" out &&
	grep -Fx "$M,exclusive_breastfeeding,recall_yes,mother_unrecorded,,0,0" out &&
	! grep -q ",vitamin_a,blue," out &&
	grep -Fx "$M,immunization,DPT-HB-Hib2,doses,1,," out &&
	grep -Fx "$M,immunization,OPV3,doses,1,," out &&
	grep -Fx "$M,immunization,BCG,doses,0,," out &&
	grep -Fx "$M,pregnant,seen,all,1,," out &&
	grep -Fx "$M,pregnant,kek,all,0.0,0,1" out &&
	grep -Fx "$M,visitors,children,all,3,," out &&
	grep -Fx "$M,visitors,pregnant,all,1,," out &&
	test $(awk -F, "{print NF}" out | sort -u) = 7
'

test_expect_success 'report monthly --format json: the skdn object and the documented keys' '
	admin report monthly --month $M --format json >out &&
	sed -n "/^  \"skdn\": {/,/^  },/p" out >got &&
	cat >want <<-EOF &&
	  "skdn": {
	    "S": 3,
	    "K": 2,
	    "D": 3,
	    "N": 1,
	    "T": 1,
	    "O": 1,
	    "B": 0,
	    "2T": 0,
	    "BGM": 0
	  },
	EOF
	test_cmp want got &&
	for k in posyandu month first_day ref_day skdn skdn_by_sex skdn_by_age skdn_by_sex_age ratios \
		checks nutrition exclusive_breastfeeding breastfeeding_continued_2y vitamin_a \
		immunization pregnant visitors; do
		grep -q "^  \"$k\": " out || { echo "missing key $k"; return 1; }
	done &&
	grep -F "\"month\": \"$M\"" out &&
	grep -F "\"d_equals_n_t_o_b\": true" out &&
	python3 -c "import json; b=json.load(open(\"out\"))[\"breastfeeding_continued_2y\"]; assert b == {\"percent\": None, \"numerator\": 0, \"denominator\": 0}, b" &&
	grep -F "\"percent\": 66.7" out
'

test_expect_success 'report monthly in the UI language' '
	admin report monthly --month $M >out &&
	grep -F "Laporan bulanan $M: Posyandu Mawar (P-0001)" out &&
	grep -Fx "  Semua           3    2    3    1    1    1    0    0    0" out &&
	grep -Fx "  L 12-23         1    1    1    0    1    0    0    0    0" out &&
	grep -Fx "  D = N + T + O + B: 3 = 1 + 1 + 1 + 0" out &&
	grep -Fx "  N/D      33,3%  (1/3)  keberhasilan program" out &&
	grep -Fx "  KEK (LiLA < 23,5 cm): 0 dari 1 (0,0%)" out &&
	grep -F "  Masih menyusu, 6-23 bulan: 0 dari 0" out
'

# The follow-up list of M, by RW and RT: Dodi (RW 1) has had no vaccine
# recorded (all due by 30 months overdue); Budi T and the same; Citra, whose
# working mother answered "no" at 3 months, lacks what fell due at 1-3
# months.
test_expect_success 'report followup: every line' '
	admin report followup --month $M --format csv >out &&
	ALLV="BCG OPV1 OPV2 OPV3 OPV4 DPT-HB-Hib1 DPT-HB-Hib2 DPT-HB-Hib3 DPT-HB-Hib4 IPV1 IPV2 PCV1 PCV2 PCV3 MR1 MR2" &&
	cat >want <<-EOF &&
	name,kind,sex,age_months,mother,rt,rw,reasons,imm_overdue,last_visit
	Dodi Pratama,child,L,30,Sumi,3,1,imm_overdue,$ALLV,05-$M0
	Budi Santoso,child,L,20,Siti Aminah,1,2,t imm_overdue,$ALLV,05-$M0
	Citra Dewi,child,P,4,Siti Aminah,1,2,imm_overdue asi_working_mother,BCG OPV1 OPV2 DPT-HB-Hib1 PCV1 PCV2 RV1 RV2,10-$M0
	EOF
	test_cmp want out &&
	admin report followup --month $M >out &&
	grep -F "Daftar tindak lanjut $M (per " out &&
	grep -F "RW 2 RT 1  Citra Dewi, 4 bl" out &&
	grep -F "ibu bekerja, tidak ASI eksklusif" out
'

test_expect_success 'report usage errors exit 2; a future month is refused' '
	test_exit 1 admin report monthly --month 2024-13 2>err &&
	grep -F "Bulan itu tidak ada" err &&
	test_exit 2 admin report monthly --bogus 2>err &&
	test_exit 1 admin report monthly --month 2199-01 2>err &&
	grep -F "Bulan itu belum tiba" err &&
	test_exit 2 admin report nosuch 2>err
'

app="$P --config $CONF --data $D"

test_expect_success 'the kader records today'"'"'s session on the desk (F6)' '
	tui_start "$app" &&
	wait_for "Siapa Anda?" && send Down Enter && wait_for "PIN untuk sri" &&
	type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter &&
	wait_for "Cari:" && send F6 && wait_for "Hari buka posyandu" &&
	send Tab && type_text "Balai RW 02" && send Tab && type_text "Bidan Rina" &&
	send Tab && type_text "Penyuluhan ASI eksklusif" && send Tab Tab Right &&
	send F2 && wait_for "1 kader bertugas" && send Escape
'

test_expect_success 'the reports screen: the month, the follow-up list, the trend chart' '
	wait_for "Laporan dan daftar tindak lanjut" &&
	send Down Down Enter && wait_for "Bulan $NOW" &&
	wait_for "Laporan bulanan $NOW" &&
	send m && wait_for "Bulan laporan" && send End BSpace BSpace BSpace BSpace BSpace BSpace BSpace &&
	type_text "$M" && send F2 && wait_for "Laporan bulanan $M" &&
	wait_for "Semua           3    2    3    1    1    1    0    0    0" &&
	send 2 && wait_for "Daftar tindak lanjut $M" && wait_for "Dodi Pratama, 30 bl" &&
	send 3 && wait_for "D/S dan N/D, 12 bulan terakhir" &&
	wait_for "$(dshift "$M-01" "" +%m/%y)" &&
	screen >chart &&
	grep -q "^ 80%" chart && grep -q "##" chart &&
	col=$(awk -v m="$(dshift "$M-01" "" +%m/%y)" "index(\$0, m) { print index(\$0, m) }" chart) &&
	grep "^D/S" chart | cut -c"$col"-$((col + 4)) | grep -q "100" &&
	grep "^N/D" chart | cut -c"$col"-$((col + 4)) | grep -q "33"
'

test_expect_success 'F2 saves the CSV of what is shown beside the data folder' '
	send 1 && wait_for "Laporan bulanan $M" && send F2 &&
	wait_for "CSV tersimpan:" &&
	f="$TRASH/reports/posyandu-P-0001-monthly-$M.csv" &&
	test -f "$f" && test "$(stat -c %a "$f")" = 600 &&
	admin report monthly --month $M --format csv >want &&
	test_cmp want "$f"
'

test_expect_success 'the sessions view shows today'"'"'s opening day' '
	send Right Right Right Right Right Right Right Right Right Right Right Right &&
	send 4 && wait_for "Kegiatan posyandu $NOW s.d. $NOW" &&
	wait_for "Balai RW 02" && wait_for "kader bertugas (1): sri" &&
	wait_for "Penyuluhan ASI eksklusif" &&
	send Escape && wait_for "Laporan dan daftar tindak lanjut" && send q
'

test_expect_success 'report sessions: the session and the months, in csv and text' '
	admin report sessions --from $M --to $NOW --format csv >out &&
	head -1 out >got &&
	echo "row,month,date,sessions,kader,kader_days,children,pregnant,women,home_visits,counselling,place,health_worker,notes" >want &&
	test_cmp want got &&
	grep -Fx "session,$NOW,$TODAY,1,sri,1,0,0,0,,0,Balai RW 02,Bidan Rina,Penyuluhan ASI eksklusif" out &&
	grep -Fx "month,$M,,0,,0,3,1,0,0,0,,," out &&
	grep -Fx "month,$NOW,,1,,1,0,0,0,0,0,,," out &&
	admin report sessions --from $NOW --to $NOW >out &&
	grep -F "$TODAY  Balai RW 02" out && grep -F "tenaga kesehatan: Bidan Rina" out &&
	grep -F "kader bertugas (1): sri" out
'

test_expect_success 'a changed row makes a new version; a clashing ref is refused' '
	sed "s/;Sumi;3;1;;n\$/;Sumi;4;1;;n/" people.csv >people2.csv &&
	admin load people people2.csv >out &&
	grep -F "Dimuat people2.csv: 0 ditambahkan, 1 diperbarui, 4 tidak berubah" out &&
	admin person list --format csv >list &&
	grep -F ",Dodi Pratama,L," list | grep -q ",Sumi,4,1\$" &&
	printf "ref;kind;name;sex;dob\nC3;child;Dodi Pratama;P;01-01-2020\n" >clash.csv &&
	test_exit 1 admin load people clash.csv 2>err &&
	grep -F "clash.csv:2: ref: Ref ini sudah dipakai orang dengan jenis, jenis kelamin atau tanggal lahir lain" err &&
	printf "ref;kind;name;sex;dob;mother_ref;mother_works\nC9;child;Eka Putri;P;01-01-2025;M1;n\n" >works.csv &&
	test_exit 1 admin load people works.csv 2>err &&
	grep -F "works.csv:2: mother_works: Berbeda dengan mother_works pada baris ibunya" err &&
	admin person list --format csv >after &&
	test_cmp list after
'

test_expect_success 'working outside the home is a question: a row without it is not asked, never a no' '
	admin person show M1 --format json | grep -q "\"mother_works\": *true" &&
	admin person show P1 --format json | grep -q "\"mother_works\": *false" &&
	printf "ref;kind;name;sex;dob;mother_works\nW7;woman;Rina Wati;P;01-01-1999;\n" >w7.csv &&
	admin load people w7.csv >out &&
	admin person show W7 --format json | grep -q "\"mother_works\": *null" &&
	admin person show W7 >out && grep -qx "Ibu bekerja: *-" out
'

test_done
