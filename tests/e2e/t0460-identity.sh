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

test_expect_success 'setup: a store' '
	pc --pin-file "$TRASH/pin.admin" init --code P-0001 --name "Posyandu Mawar" --admin ani >/dev/null
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

test_done
