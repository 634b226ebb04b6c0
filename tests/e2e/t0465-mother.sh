#!/bin/sh
# A child's mother (issue 12, point 11): picked among the registered women
# from a list that narrows as the kader types (old and new spellings meet);
# her RT, RW and address fill the child's form, still editable; her card
# lists her children and the child's card names her; the child's record
# points at hers. "Not in the list" registers her from the name typed.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
DOB_M=$(tdate "-27 years -2 months" +%d-%m-%Y)
DOB_C=$(tdate "-10 months -3 days" +%d-%m-%Y)
DOB_C2=$(tdate "-2 years -1 month" +%d-%m-%Y)
# The uuid of the person named $1 (person list, CSV).
uuid_of() { admin person list --format csv | grep "^[^,]*,[a-z]*,$1," | cut -d, -f1; }
# How many people are named $1.
named() { admin person list --format csv | grep -c "^[^,]*,[a-z]*,$1,"; }

# From the desk: register a child (F4) named $1 whose mother's field is $2; no F2 yet.
child_form() {
	send F4 && wait_for "Daftar anak" &&
	type_text "$1" && send Tab && type_text l && send Tab && type_text "$DOB_C" && send Tab && send Tab &&
	type_text "$2"
}

test_expect_success 'setup: a store with a kader, two women loaded from a register' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.kader" &&
	printf "ref;kind;name;sex;dob;rt;rw\nW1;woman;Siti Rahayu;P;01-01-1995;1;2\nW2;pregnant;Sumarni;P;01-01-1996;5;3\n" >women.csv &&
	admin load people women.csv >out && grep -q "2 ditambahkan" out
'

test_expect_success 'a woman registered at the desk (F5), with her RT, RW and address' '
	tui_start "$P --config $CONF --data $D" &&
	wait_for "Siapa Anda?" && send Down && send Enter &&
	wait_for "PIN untuk sri" && type_text 739164 && send Enter &&
	wait_for "Meja: cari, daftar, timbang" && send Enter && wait_for "Cari:" &&
	send F5 && wait_for "Daftar ibu/WUS" &&
	type_text "Siti Aminah" && send Tab && send Tab && type_text "$DOB_M" && send Tab &&
	send Tab && send Tab && type_text 4 && send Tab && type_text 7 && send Tab &&
	type_text "Dusun Krajan" && send F2 && wait_for "Siti Aminah  (ibu/WUS, P)" &&
	send Escape && wait_for "Cari:"
'

test_expect_success 'part of her name lists the women it matches, narrowing as one types' '
	child_form "Budi Santoso" "Sit" && send F2 &&
	wait_for "Siapa ibu anak ini?" && wait_for "Siti Aminah" && wait_for "Siti Rahayu" &&
	refute_screen "Sumarni" && refute_screen "Budi Santoso" &&
	wait_for "Tidak ada di daftar: daftarkan \"Sit\"" &&
	type_text "i am" && wait_for "Cari: Siti am" &&
	refute_screen "Siti Rahayu" && wait_for "Siti Aminah"
'

test_expect_success 'picking her fills the child'"'"'s RT, RW and address, still editable' '
	send Enter && wait_for "Daftar anak" && wait_for "Ibu: Siti Aminah. RT, RW dan alamat" &&
	screen >form && grep -q "Dusun Krajan" form && grep -q "RT  *4" form && grep -q "RW  *7" form &&
	send C-u && type_text 6 && send F2 &&
	wait_for "Budi Santoso  (anak, L)" && wait_for "RT/RW 6/7   Dusun Krajan" &&
	wait_for "Ibu: Siti Aminah"
'

test_expect_success 'the child'"'"'s record points at hers' '
	M=$(uuid_of "Siti Aminah") && C=$(uuid_of "Budi Santoso") && test -n "$M" && test -n "$C" &&
	admin person show "$C" --format json >c.json &&
	grep -q "\"mother\": \"$M\"" c.json && grep -q "\"mother_name\": \"Siti Aminah\"" c.json &&
	test $(named "Siti Aminah") = 1
'

test_expect_success 'her card lists her children, with their ages' '
	send Escape && wait_for "Cari:" && type_text "siti aminah" && wait_for "2 ditemukan" &&
	send Enter && wait_for "Siti Aminah  (ibu/WUS, P)" && wait_for "Anak: Budi Santoso (0th 10bl)" &&
	send Escape && wait_for "Cari:" && send Escape
'

test_expect_success 'the old spelling finds her: "Soemar" picks Sumarni, RT/RW from hers' '
	child_form "Ani Lestari" "Soemar" && send F2 &&
	wait_for "Siapa ibu anak ini?" && wait_for "Sumarni" && refute_screen "Siti" &&
	send Enter && wait_for "Ibu: Sumarni. RT, RW dan alamat" && send F2 &&
	wait_for "Ani Lestari  (anak, L)" && wait_for "RT/RW 5/3" && wait_for "Ibu: Sumarni" &&
	admin person show "$(uuid_of "Ani Lestari")" --format json >a.json &&
	grep -q "\"mother\": \"$(uuid_of Sumarni)\"" a.json
'

test_expect_success '"not in the list" registers her from the name typed' '
	send Escape && wait_for "Cari:" &&
	child_form "Tono" "Siti" && send Tab && send Tab && type_text 9 && send Tab && type_text 1 &&
	send F2 && wait_for "Siapa ibu anak ini?" && wait_for "Siti Rahayu" &&
	type_text " Nurhaliza" && wait_for "Tidak ada di daftar: daftarkan \"Siti Nurhaliza\"" &&
	refute_screen "Siti Rahayu" && send Enter &&
	wait_for "Tono  (anak, L)" && wait_for "Ibu: Siti Nurhaliza" &&
	admin person list --format csv >list &&
	grep -q ",woman,Siti Nurhaliza,P,.*,9,1$" list &&
	admin person show "$(uuid_of Tono)" --format json >t.json &&
	grep -q "\"mother\": \"$(uuid_of "Siti Nurhaliza")\"" t.json
'

test_expect_success 'her full name links her without a list; Esc on the list goes back to the form' '
	send Escape && wait_for "Cari:" &&
	child_form "Dewi" "siti aminah" && send F2 && wait_for "Dewi  (anak, L)" &&
	wait_for "RT/RW 4/7   Dusun Krajan" && send Escape && wait_for "Cari:" &&
	child_form "Eka" "Siti" && send F2 && wait_for "Siapa ibu anak ini?" && send Escape &&
	wait_for "Daftar anak" && screen >form && grep -q "Siti" form && send Escape &&
	{ ! wait_for "Buang yang sudah diketik?" 1 >/dev/null || send y; } && wait_for "Cari:" &&
	type_text "siti aminah" && wait_for "3 ditemukan" && send Enter &&
	wait_for "Anak: Budi Santoso (0th 10bl), Dewi (0th 10bl)" && tui_stop &&
	test $(named "Siti Aminah") = 1
'

test_done
