#!/bin/sh
# Who a person is (issue 12): a NUL byte in a `load` cell is an error that
# names its line and column; a NIK must agree with the date of birth and sex
# and belong to one person only (desk and load); a child's mother is picked
# from the registered women and her card lists her children; a register
# loaded on two devices of one posyandu gives one person per ref.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --lang en --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
# A girl of 14 months and a boy of 8 months; NIKs agreeing with them.
DOB_G=$(tdate "-14 months" +%d-%m-%Y)
DOB_B=$(tdate "-8 months" +%d-%m-%Y)
# nik DD-MM-YYYY L|P SERIAL: a NIK of Kab. Cianjur (3203 01) for that birth.
nik() {
	d=${1%%-*}; rest=${1#*-}; m=${rest%%-*}; y=${rest##*-}
	d=$(expr "$d" + 0); [ "$2" = P ] && d=$((d + 40))
	printf '320301%02d%s%s%s' "$d" "$m" "$(printf %s "$y" | cut -c3-4)" "$3"
}
NIK_G=$(nik "$DOB_G" P 0001)
NIK_B=$(nik "$DOB_B" L 0002)

test_expect_success 'setup: a store with a kader' '
	pc --pin-file "$TRASH/pin.admin" init --code P-0001 --name "Posyandu Mawar" --admin ani >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader"
'

test_expect_success 'load: a NUL byte in a cell names line and column, nothing is loaded' '
	printf "ref;kind;name;sex;dob\nA1;child;Ani\000Kecil;P;%s\n" "$DOB_G" >nul.csv &&
	test_exit 1 admin load people nul.csv 2>err &&
	grep -qx "nul.csv:2: name: A NUL byte in the cell: this is not a text file.s cell" err &&
	grep -q "nothing was loaded" err &&
	admin person list --format csv >list && test $(wc -l <list) = 1 &&
	printf "ref;kind;name;sex;dob\nA1;child;Ani Kecil;P;%s\n" "$DOB_G" >ok.csv &&
	admin load people ok.csv >out && grep -q "1 added" out
'

# A girl's NIK with the boy's date of birth digits, and the boy's with +40.
NIK_BAD_DOB=$(nik "$DOB_B" P 0003)
NIK_BAD_SEX=$(nik "$DOB_B" P 0004)

test_expect_success 'load: a NIK must agree with the date of birth and the sex' '
	{ printf "ref;kind;name;sex;dob;nik\n" &&
	  printf "G1;child;Gita;P;%s;%s\n" "$DOB_G" "$NIK_BAD_DOB" &&
	  printf "B1;child;Bayu;L;%s;%s\n" "$DOB_B" "$NIK_BAD_SEX" &&
	  printf "B2;child;Bima;L;%s;%s\n" "$DOB_G" "$NIK_B"; } >nik.csv &&
	test_exit 1 admin load people nik.csv 2>err &&
	grep -qx "nik.csv:2: nik: NIK digits 7-12 differ from the date of birth ($(echo "$NIK_BAD_DOB" | cut -c7-8 | sed "s/^4/0/;s/^5/1/;s/^6/2/;s/^7/3/")-$(echo "$NIK_BAD_DOB" | cut -c9-10)-$(echo "$NIK_BAD_DOB" | cut -c11-12))" err &&
	grep -qx "nik.csv:3: nik: This NIK is a woman.s (birth day + 40), but the sex is L" err &&
	grep -q "^nik.csv:4: nik: NIK digits 7-12" err &&
	grep -q "3 errors; nothing was loaded" err &&
	admin person list --format csv >list && test $(wc -l <list) = 2
'

test_expect_success 'load: one NIK, one person, within a file and against the store' '
	{ printf "ref;kind;name;sex;dob;nik\n" &&
	  printf "G1;child;Gita;P;%s;%s\n" "$DOB_G" "$NIK_G" &&
	  printf "G2;child;Gina;P;%s;%s\n" "$DOB_G" "$NIK_G"; } >dup.csv &&
	test_exit 1 admin load people dup.csv 2>err &&
	grep -qx "dup.csv:3: nik: This NIK already belongs to another person (ref G1)" err &&
	grep -q "1 errors; nothing was loaded" err &&
	head -2 dup.csv >g1.csv && admin load people g1.csv >out && grep -q "1 added" out &&
	{ head -1 dup.csv && tail -1 dup.csv; } >g2.csv &&
	test_exit 1 admin load people g2.csv 2>err &&
	grep -qx "g2.csv:2: nik: This NIK already belongs to another person (Gita)" err &&
	admin load people g1.csv >out && grep -q "1 unchanged" out
'

test_expect_success 'load: a NIK may move from one person to another in the same file' '
	{ printf "ref;kind;name;sex;dob;nik\n" &&
	  printf "G1;child;Gita;P;%s;%s\n" "$DOB_G" "$(nik "$DOB_G" P 0009)" &&
	  printf "G2;child;Gina;P;%s;%s\n" "$DOB_G" "$NIK_G"; } >move.csv &&
	admin load people move.csv >out && grep -q "1 added, 1 updated" out
'

test_expect_success 'the desk: the kader logs in' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter && wait_for "Cari:"
'

# Poll until TEXT is off the screen (a form closed), up to 10 s.
wait_gone() {
	tries=200
	while [ $tries -gt 0 ]; do
		refute_screen "$1" >/dev/null && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	echo "wait_gone: \"$1\" stayed"
	return 1
}
# Esc out of a form, throwing away what was typed (asked only when the
# form changed since it opened again after a refusal).
cancel_form() {
	send Escape && { ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } &&
	wait_gone "Daftar anak"
}

# Register a boy (F4): name, date of birth, NIK, mother; then F2.
register_boy() {
	send F4 && wait_for "Daftar anak" &&
	type_text "$1" && send Tab && type_text l && send Tab && type_text "$DOB_B" && send Tab &&
	type_text "$2" && send Tab && type_text "Rina Wati" && send F2
}

test_expect_success 'the desk: a NIK of another birth date or sex is refused' '
	register_boy "Bayu Putra" "$NIK_BAD_SEX" &&
	wait_for "NIK ini milik perempuan (tanggal + 40), jenis kelaminnya L" &&
	cancel_form &&
	register_boy "Bayu Putra" "$(nik "$DOB_G" L 0005)" &&
	wait_for "Angka ke-7 s.d. 12 NIK beda dari tanggal lahir" &&
	cancel_form
'

test_expect_success 'the desk: a NIK already registered is refused, on a new person' '
	register_boy "Bayu Putra" "$(nik "$DOB_B" L 0007)" && wait_for "Kartu" &&
	send Escape && wait_for "Cari:" &&
	register_boy "Bima Sakti" "$(nik "$DOB_B" L 0007)" &&
	wait_for "NIK ini sudah milik orang lain (Bayu Putra)" &&
	cancel_form
'

test_expect_success 'the desk: and when editing someone (Gina takes Gita'"'"'s NIK)' '
	type_text "gina" && wait_for "1 ditemukan" && send Enter && wait_for "Gina  (anak, P)" &&
	send e && wait_for "Daftar anak" &&
	send Tab Tab Tab && send End BSpace BSpace BSpace BSpace &&
	type_text 0009 && send F2 && wait_for "NIK ini sudah milik orang lain (Gita)" &&
	cancel_form && wait_for "$NIK_G" && tui_stop &&
	admin person list --format csv >list && grep -q ",Gina,P,$DOB_G,[0-9]*,$NIK_G," list
'

# Two devices of one posyandu (P-0002) load the same register; their
# bundles meet at the district.
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
printf 'district passphrase for the tests\n' >"$TRASH/pass"
sv() { "$SV" --config "$CONF" --data "$TRASH/district" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }

test_expect_success 'two devices of one posyandu give a ref, and its visit, the same uuid' '
	{ printf "ref;kind;name;sex;dob;mother_ref\n" &&
	  printf "M1;woman;Rina Wati;P;;\n" &&
	  printf "C1;child;Dewi;P;%s;M1\n" "$DOB_G" &&
	  printf "C2;child;Eko;L;%s;M1\n" "$DOB_B"; } >reg.csv &&
	printf "ref;date;weight_kg\nC1;%s;8,1\n" "$(tdate "" +%d-%m-%Y)" >regv.csv &&
	for d in dev1 dev2; do
		"$P" --lang en --config "$CONF" --data "$TRASH/$d" --pin-file "$TRASH/pin.admin" \
			init --code P-0002 --name "Posyandu Melati" --admin ani >/dev/null &&
		dev $d load people reg.csv >out && grep -q "3 added" out &&
		dev $d person list --format csv | grep -v "^uuid," | cut -d, -f1,3 | sort >$d.ids &&
		dev $d load visits regv.csv >out && grep -q "1 added" out &&
		dev $d visit list --month "$(tdate "" +%Y-%m)" | cut -d, -f1,3 >$d.vids || return 1
	done &&
	test $(wc -l <dev1.ids) = 3 && cmp dev1.ids dev2.ids &&
	test $(wc -l <dev1.vids) = 2 && cmp dev1.vids dev2.vids &&
	"$P" --lang en --config "$CONF" --data "$TRASH/dev3" --pin-file "$TRASH/pin.admin" \
		init --code P-0003 --name "Posyandu Lain" --admin ani >/dev/null &&
	dev dev3 load people reg.csv >/dev/null &&
	dev dev3 person list --format csv | grep -v "^uuid," | cut -d, -f1,3 | sort >dev3.ids &&
	! grep -qFf dev3.ids dev1.ids
'

test_expect_success 'their bundles meet at the district: one person per ref' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	mkdir -p stick && printf "y\n" >yes &&
	for d in dev1 dev2; do
		dev $d enroll --district-key "$(cat key)" --request-out stick/$d.req <yes >/dev/null &&
		sv device add stick/$d.req >/dev/null || return 1
	done &&
	for id in $(sv device list | cut -f1 | grep -v "^[^0-9a-f]"); do
		sv device approve "$id" >/dev/null || return 1
	done &&
	dev dev1 export --to stick >/dev/null && dev dev2 export --to stick >/dev/null &&
	sv import stick/*.pyb >out &&
	M=$(tdate "" +%Y-%m) &&
	sv report monthly --month "$M" --format csv >dist.csv &&
	grep "^P-0002," dist.csv | cut -d, -f2 >s && test "$(cat s)" = 2
'

test_done
