#!/bin/sh
# The day's five ILP steps (issue 14): `report day` lists who came on a day
# with a mark per step and what is missing, those lacking something first;
# a visit counts as synced once it is in a bundle; [ilp] steps reorders and
# renames the steps, and an unknown step code stops the program; the desk
# reaches the same list with F7.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
sv() { "$SV" --config "$CONF" --data "$TRASH/district" --pin-file "$TRASH/pass" "$@"; }
iso() { echo "$1" | awk -F- '{print $3"-"$2"-"$1}'; }

# The day of the list: neither February nor August, so no vitamin A capsule
# and no deworming round is due, whatever today is.
DAY=$(tmonth -1 10 +%d-%m-%Y)
case $DAY in *-02-*|*-08-*) DAY=$(tmonth -2 10 +%d-%m-%Y) ;; esac
DOB=$(dshift "$(iso "$DAY")" "-30 months" +%Y-%m-%d)
at() { dshift "$DOB" "$1" +%d-%m-%Y; }     # an age of Ani's
TODAY=$(tdate "" +%d-%m-%Y)

# Ani, 30 months, had every dose at its age: weighed, measured and oedema
# answered on DAY, she lacks nothing but the bundle. Budi came on DAY
# without being weighed. Citra, pregnant, was only weighed.
cat >people.csv <<EOF
ref;kind;name;sex;dob;mother_name
A1;child;Ani Lestari;P;$(dshift "$DOB" "" +%d-%m-%Y);Wati
B2;child;Budi Santoso;L;$(dshift "$DOB" "" +%d-%m-%Y);Rini
C3;pregnant;Citra Dewi;P;01-03-1998;
EOF
cat >visits.csv <<EOF
ref;date;weight_kg;lenhei_cm;oedema;muac_cm;immunizations
A1;$(at "+1 day");;;;;HB0
A1;$(at "+1 month");;;;;BCG OPV1
A1;$(at "+2 months");;;;;DPT-HB-Hib1 OPV2 PCV1 RV1
A1;$(at "+3 months");;;;;DPT-HB-Hib2 OPV3 PCV2 RV2
A1;$(at "+4 months");;;;;DPT-HB-Hib3 OPV4 IPV1 RV3
A1;$(at "+9 months");;;;;MR1 IPV2
A1;$(at "+12 months");;;;;PCV3
A1;$(at "+18 months");;;;;DPT-HB-Hib4 MR2
A1;$DAY;12,5;89,5;n;;
B2;$DAY;;88,0;n;;
C3;$DAY;55,0;;;24,5;
EOF

test_expect_success 'setup: a store, a kader, the people and their visits' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	admin load people people.csv >out && admin load visits visits.csv >out
'

test_expect_success 'report day: the one missing a weight first, with what is missing' '
	admin report day --date "$DAY" >out &&
	cat out &&
	grep -F "Langkah ILP, $DAY: hadir 3, lengkap 0" out &&
	grep -F "  1 Pendaftaran" out && grep -F "  5 Validasi dan sinkronisasi data" out &&
	sed -n "/^Nama/,\$p" out >rows &&
	sed -n 2p rows | grep -E "^Budi Santoso +balita +v X v X X +2: BB; 4: imunisasi; 5: belum dikirim$" &&
	sed -n 3p rows | grep -E "^Citra Dewi +ibu hamil +v X X X X +2: TD; 3: tanda bahaya; 4: konseling, TTD; 5: belum dikirim$" &&
	sed -n 4p rows | grep -E "^Ani Lestari +balita +v v v v X +5: belum dikirim$"
'

test_expect_success 'after the bundle is written Ani is complete, the others still lack' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	mkdir -p stick && printf "y\n" >yes &&
	admin enroll --district-key "$(cat key)" --request-out stick/req <yes >/dev/null &&
	admin export --to stick >/dev/null &&
	admin report day --date "$DAY" >out &&
	grep -F "hadir 3, lengkap 1" out &&
	sed -n "/^Nama/,\$p" out >rows &&
	sed -n 4p rows | grep -E "^Ani Lestari +balita +v v v v v +lengkap$" &&
	sed -n 2p rows | grep -E "^Budi Santoso .*2: BB; 4: imunisasi$"
'

test_expect_success 'report day --format json: the steps and what is missing, by code' '
	admin report day --date "$DAY" --format json >out.json &&
	grep -F "\"present\": 3," out.json && grep -F "\"complete\": 1," out.json &&
	tr -d " \n" <out.json >flat &&
	grep -F "\"name\":\"BudiSantoso\",\"group\":\"child\",\"visit\":true,\"complete\":false,\"missing\":{\"register\":[],\"measure\":[\"weight\"],\"record\":[],\"serve\":[\"imm\"],\"sync\":[]}" flat &&
	grep -F "\"name\":\"AniLestari\",\"group\":\"child\",\"visit\":true,\"complete\":true" flat &&
	grep -F "\"group\":\"pregnant\"" flat
'

test_expect_success 'a day without visits: nobody present' '
	admin report day --date "$(dshift "$(iso "$DAY")" "+1 day" +%d-%m-%Y)" >out &&
	grep -F "hadir 0, lengkap 0" out && grep -F "Belum ada yang datang pada hari ini." out
'

test_expect_success '[ilp] steps: a custom order and names are honoured' '
	cp "$CONF" custom.ini &&
	printf "[ilp]\nsteps = sync:Kirim data, measure:Timbang dan ukur, register\n" >>custom.ini &&
	"$P" --config custom.ini --data "$D" --user ani --pin-file "$TRASH/pin.admin" report day --date "$DAY" >out &&
	cat out &&
	grep -F "  1 Kirim data" out && grep -F "  2 Timbang dan ukur" out && grep -F "  3 Pendaftaran" out &&
	! grep -F "Pelayanan" out &&
	grep -F "hadir 3, lengkap 1" out &&
	sed -n "/^Nama/,\$p" out >rows &&
	sed -n 1p rows | grep -E "1 2 3 +Kurang" &&
	sed -n 2p rows | grep -E "^Budi Santoso +balita +v X v +2: BB$" &&
	sed -n 3p rows | grep -E "^Citra Dewi +ibu hamil +v X v +2: TD$" &&
	sed -n 4p rows | grep -E "^Ani Lestari +balita +v v v +lengkap$" &&
	"$P" --config custom.ini --data "$D" --user ani --pin-file "$TRASH/pin.admin" report day --date "$DAY" --format json >out.json &&
	tr -d " \n" <out.json >flat &&
	grep -F "\"steps\":[{\"step\":\"sync\",\"label\":\"Kirimdata\"},{\"step\":\"measure\",\"label\":\"Timbangdanukur\"},{\"step\":\"register\",\"label\":null}]" flat
'

test_expect_success 'an unknown step code is refused at startup, naming the key' '
	cp "$CONF" bad.ini &&
	printf "[ilp]\nsteps = register, weigh, record\n" >>bad.ini &&
	test_exit 1 "$P" --config bad.ini --data "$D" --user ani --pin-file "$TRASH/pin.admin" report day 2>err &&
	cat err &&
	grep -F "[ilp] steps = \"register, weigh, record\"" err &&
	grep -F "tidak diizinkan" err &&
	grep -F "langkah \"weigh\" tidak dikenal" err &&
	grep -F "register, measure, record, serve, sync" err &&
	printf "[ilp]\nsteps = register, measure, register\n" >twice.ini &&
	test_exit 1 "$P" --config twice.ini --data "$D" --user ani --pin-file "$TRASH/pin.admin" report day 2>err &&
	grep -F "langkah \"register\" tertulis dua kali" err
'

# The reason is in the user's language too, not only the frame around it.
test_expect_success 'in English the same refusals say it in English' '
	test_exit 1 "$P" --lang en --config bad.ini --data "$D" --user ani \
		--pin-file "$TRASH/pin.admin" report day 2>err &&
	grep -F "is not allowed" err && grep -F "unknown step \"weigh\"" err &&
	printf "[ilp]\nsteps = register,,record\n" >empty.ini &&
	test_exit 1 "$P" --config empty.ini --data "$D" --user ani \
		--pin-file "$TRASH/pin.admin" report day 2>err &&
	grep -F "ada langkah yang kosong" err && ! grep -F "an empty step" err
'

test_expect_success 'report day: a bad option is a usage error' '
	test_exit 2 admin report day --format csv 2>err &&
	grep -F "report day [--date DD-MM-YYYY] [--format text|json]" err &&
	test_exit 1 admin report day --date 31-02-2025 2>err
'

# ---- the desk ----

cat >today.csv <<EOF
ref;date;weight_kg;lenhei_cm;oedema
B2;$TODAY;;88,5;n
EOF

test_expect_success 'the desk shows the key; F7 opens the list of today' '
	admin load visits today.csv >/dev/null &&
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter &&
	wait_for "Cari:" && wait_for "F7 Langkah" &&
	send F7 && wait_for "Langkah ILP, $TODAY: hadir 1, lengkap 0" &&
	wait_for "1 Pendaftaran" && wait_for "(v selesai, X kurang)" &&
	wait_for "Budi Santoso" && screen >shot &&
	grep -E "^ Nama +Kelompok +12345  Kurang" shot &&
	# in February and August the capsule and the deworming tablet are due
	# too, and the line is cut at 80 columns before step 5
	grep -E "^ Budi Santoso +balita +vXvXX  2: BB; 4: imunisasi[;,]" shot &&
	grep -F "Enter" shot
'

test_expect_success 'Enter opens the card; back, the list again; Esc to the desk; Ctrl-T too' '
	send Enter && wait_for "Kartu" && wait_for "Budi Santoso" &&
	send Escape && wait_for "Langkah hari ini" &&
	send Escape && wait_for "Cari:" &&
	send C-t && wait_for "Langkah ILP, $TODAY" &&
	send Escape && wait_for "Cari:" &&
	tui_stop
'

test_done
