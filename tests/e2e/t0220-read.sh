#!/bin/sh
# t0220-read: the read commands a script needs: `person show REF|UUID`
# (the person, every field, and every visit newest first) and `visit list
# --month` (every visit of the month with its person), on a store made
# with init, load and demo.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
M1=$(tdate "-1 month" +%m-%Y)          # last month, as in DD-MM-YYYY
M2=$(tdate "-2 months" +%m-%Y)
MONTH1=$(tdate "-1 month" +%Y-%m)       # last month, as --month takes it
DOB=$(tdate "-14 months" +%d-%m-%Y)
# json.py FILE EXPR: evaluate EXPR with d = the JSON in FILE; fails when false.
test_cmp() { diff -u "$@"; }
json() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert eval(sys.argv[2]), d' "$@"; }

test_expect_success 'a store with a register and demo data' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin demo --children 8 --months 3 --seed 7 >/dev/null &&
	printf "ref;kind;name;sex;dob;mother_ref;rt;rw;has_kia\nM1;woman;Sumi Lestari;P;;;3;2;y\nC1;child;Dodi Pratama;L;%s;M1;3;2;\n" "$DOB" >people.csv &&
	admin load people people.csv >out &&
	printf "ref;date;weight_kg;lenhei_cm;measure;vitamin_a;immunizations;catch_up\nC1;05-%s;8,9;74;l;;BCG;lahir di rumah\nC1;20-%s;9,15;75,5;l;red;DPT-HB-Hib1 OPV2;diare\nC1;05-%s;8,5;72;l;;;\n" "$M1" "$M1" "$M2" >visits.csv &&
	admin load visits visits.csv >out &&
	grep -F "3 ditambahkan" out
'

test_expect_success 'person show REF: every field, then the visits newest first' '
	admin person show C1 >out &&
	grep -F "Nama: Dodi Pratama" out &&
	grep -F "Nama ibu: Sumi Lestari" out &&
	grep -F "Tanggal lahir: $DOB" out &&
	grep -F "Kunjungan: 3" out &&
	grep -E "^  [0-9]{2}-[0-9]{2}-[0-9]{4}$" out >dates &&
	printf "  20-%s\n  05-%s\n  05-%s\n" "$M1" "$M1" "$M2" >want &&
	test_cmp want dates &&
	grep -F "    Berat badan (kg): 9,15" out &&
	grep -F "    Imunisasi diberikan: OPV2 DPT-HB-Hib1" out
'

test_expect_success 'person show UUID --format json: the same person, every value' '
	admin person list --format csv >list &&
	U=$(grep ",Dodi Pratama," list | cut -d, -f1) &&
	admin person show "$U" --format json >by-uuid &&
	admin person show --format json C1 >by-ref &&
	test_cmp by-uuid by-ref &&
	json by-uuid "d[\"person\"][\"uuid\"] == \"$U\" and d[\"person\"][\"name\"] == \"Dodi Pratama\"" &&
	json by-uuid "d[\"person\"][\"rt\"] == 3 and d[\"person\"][\"birth_weight_g\"] is None" &&
	json by-uuid "[v[\"date\"] for v in d[\"visits\"]] == [\"20-$M1\", \"05-$M1\", \"05-$M2\"]" &&
	json by-uuid "d[\"visits\"][0][\"weight_kg\"] == 9.15 and d[\"visits\"][0][\"lenhei_cm\"] == 75.5" &&
	json by-uuid "d[\"visits\"][0][\"vitamin_a\"] == \"red\" and d[\"visits\"][0][\"oedema\"] is None" &&
	admin person show M1 --format json >mother &&
	json mother "d[\"person\"][\"kind\"] == \"woman\" and d[\"person\"][\"has_kia\"] is True and d[\"visits\"] == []"
'

test_expect_success 'person show: an unknown person is exit 1, bad usage exit 2' '
	test_exit 1 admin person show NOPE 2>err &&
	grep -F "tidak ada orang dengan ref atau uuid \"NOPE\"" err &&
	test_exit 1 admin person show 00000000-0000-0000-0000-000000000000 2>err &&
	test_exit 2 admin person show 2>err &&
	test_exit 2 admin person show C1 M1 2>err &&
	test_exit 2 admin person show C1 --format csv 2>err
'

test_expect_success 'visit list --month: CSV, one row per visit of the month with its person' '
	admin visit list --month "$MONTH1" >out.csv &&
	head -1 out.csv >header &&
	grep -q "^person_uuid,person_name,uuid,date,weight_kg,lenhei_cm,measure,oedema," header &&
	U=$(admin person list --format csv | grep ",Dodi Pratama," | cut -d, -f1) &&
	grep -F "$U,Dodi Pratama," out.csv >dodi &&
	test $(wc -l <dodi) = 2 &&
	grep -F ",05-$M1,8.9,74,l," dodi &&
	grep -F ",20-$M1,9.15,75.5,l," dodi &&
	awk -F, -v m="$M1" "NR > 1 && substr(\$4, 4) != m" out.csv >other &&
	test ! -s other &&
	test $(wc -l <out.csv) -gt 3
'

test_expect_success 'visit list --format json: the same visits, in the same order' '
	admin visit list --month "$MONTH1" --format json >out.json &&
	tail -n +2 out.csv | cut -d, -f3 >csv-uuids &&
	python3 -c "import json; [print(v[\"uuid\"]) for v in json.load(open(\"out.json\"))]" >json-uuids &&
	test_cmp csv-uuids json-uuids &&
	json out.json "all(v[\"date\"].endswith(\"-$M1\") for v in d) and all(\"person_uuid\" in v and \"note\" in v for v in d)"
'

test_expect_success 'visit list: a month without visits is a header; usage errors exit 2' '
	admin visit list --month 2001-01 >empty &&
	test $(wc -l <empty) = 1 &&
	test_exit 2 admin visit list 2>err &&
	grep -F "visit list memerlukan --month" err &&
	test_exit 2 admin visit list --month "$MONTH1" --format text 2>err &&
	test_exit 2 admin visit frobnicate 2>err &&
	test_exit 1 admin visit list --month 2026-13 2>err
'

test_done
