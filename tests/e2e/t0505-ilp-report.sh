#!/bin/sh
# The "ilp" part of the monthly report (issue 14) from what `load` records:
# residents of every group, measured at and either side of each threshold,
# counted on their last visit of the month, with children under five and a
# pregnant woman left out; then the same figures at the district after an
# export and an import, for the posyandu and the district row. Every number
# below was worked out by hand from the thresholds in posyandu-ilp(7).
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf 'y\n' >"$TRASH/yes"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" --user ani --pin-file "$TRASH/pin" "$@"; }

# The month: last month. Ages are counted to the 10th and the 20th of it.
M=$(tmonth -1 1 +%Y-%m)
D10=$(tmonth -1 10 +%d-%m-%Y)
D20=$(tmonth -1 20 +%d-%m-%Y)
DPREV=$(tmonth -2 10 +%d-%m-%Y)
born() { dshift "$M-01" "-$1" +%d-%m-%Y; }     # born() "40 years": 40 on the 1st

# R1 adult man: two visits; the second (the 20th) counts.
# R2 adult woman, R3 elderly man, R4 elderly woman without a weight,
# R5 school boy, R6 adolescent girl; C1 a child of three, H1 pregnant:
# not in ilp; R9 an adult seen only the month before: not counted.
cat >people.csv <<EOF
ref;kind;name;sex;dob
R1;resident;Pak Ahmad;L;$(born "40 years")
R2;resident;Bu Rina;P;$(born "30 years")
R3;resident;Kakek Darso;L;$(born "65 years")
R4;resident;Nenek Sumi;P;$(born "70 years")
R5;resident;Dimas;L;$(born "7 years")
R6;resident;Putri;P;$(born "15 years")
C1;child;Bayu;L;$(born "3 years")
H1;pregnant;Bu Tia;P;$(born "25 years")
R9;resident;Pak Joko;L;$(born "45 years")
EOF
cat >visits.csv <<EOF
ref;date;weight_kg;lenhei_cm;measure;bp_sys;bp_dia;glucose_mgdl;glucose_fasting;waist_cm;hb_gdl;tb_symptoms;smoking
R1;$D10;80;170;h;140;85;199;n;91;12,9;n;y
R1;$D20;70;170;h;139;89;126;y;90;13,0;y;y
R2;$D10;45;160;h;120;90;;;81;11,9;;n
R3;$D10;60;165;h;;;200;;95;13,0;;
R4;$D10;;;;150;95;;;;;y;
R5;$D10;22;120;h;;;;;70;11,4;;
R6;$D10;50;155;h;;;250;n;85;11,9;;n
C1;$D10;14;95;h;;;;;;;;
R9;$DPREV;70;170;h;160;100;;;;;;y
EOF
cat >preg.csv <<EOF
ref;date;weight_kg;muac_cm;bp_sys;bp_dia;hb_gdl
H1;$D10;60;22,0;150;95;10,0
EOF

# The report's ilp object, as "group key=value ..." lines in a fixed order.
ilp_lines() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    d = d[key] if not key.isdigit() else d[int(key)]
for g in ("school", "adolescent", "adult", "elderly"):
    print(g, " ".join("%s=%d" % (k, v) for k, v in d[g].items()))
' "$@"
}

cat >want <<EOF
school visited=1 bmi_thin=0 bmi_normal=1 bmi_overweight=0 bmi_obese=0 bp_high=0 glucose_high=0 waist_high=0 anaemia=1 tb_suspect=0 smoker=0
adolescent visited=1 bmi_thin=0 bmi_normal=1 bmi_overweight=0 bmi_obese=0 bp_high=0 glucose_high=1 waist_high=0 anaemia=1 tb_suspect=0 smoker=0
adult visited=2 bmi_thin=1 bmi_normal=1 bmi_overweight=0 bmi_obese=0 bp_high=1 glucose_high=1 waist_high=1 anaemia=1 tb_suspect=1 smoker=1
elderly visited=2 bmi_thin=0 bmi_normal=1 bmi_overweight=0 bmi_obese=0 bp_high=1 glucose_high=1 waist_high=1 anaemia=0 tb_suspect=1 smoker=0
EOF

test_expect_success 'setup: residents and their visits loaded on a device' '
	"$P" --config "$CONF" --data "$TRASH/d1" --pin-file "$TRASH/pin" init --code P-0001 \
		--name "Posyandu Mawar" --admin ani >/dev/null &&
	dev load people people.csv >/dev/null &&
	dev load visits visits.csv >/dev/null &&
	dev load visits preg.csv >/dev/null
'

test_expect_success 'report monthly json: ilp counted by hand, last visit of the month' '
	dev report monthly --month "$M" --format json >r.json &&
	ilp_lines r.json ilp >got &&
	diff -u want got
'

# want as "group v1 v2 ... v11", the order of the text table's columns
sed "s/ [a-z_]*=/ /g" want >want.cols

test_expect_success 'CSV and text carry the same figures' '
	dev report monthly --month "$M" --format csv >r.csv &&
	python3 - <<-EOF &&
	import csv
	want = {}
	for line in open("want"):
	    g, *kv = line.split()
	    for p in kv:
	        k, v = p.split("=")
	        want[(g, k)] = v
	got = {(r[3], r[2]): r[4] for r in csv.reader(open("r.csv")) if len(r) > 4 and r[1] == "ilp"}
	assert got == want, (sorted(set(got.items()) ^ set(want.items())))
	EOF
	dev report monthly --month "$M" >r.txt &&
	for g in school adolescent adult elderly; do
		grep -E "^  $g +( +[0-9]+){11}\$" r.txt | tr -s " " | sed "s/^ //" || return 1
	done >got.cols &&
	diff -u want.cols got.cols
'

test_expect_success 'the district counts the same, per posyandu and in the district row' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	dev enroll --district-key "$(cat key)" --request-out "$STICK/d1.pyq" <"$TRASH/yes" >/dev/null &&
	sv device add "$STICK/d1.pyq" >/dev/null &&
	id=$(sv device list | sed -n "s/^\([0-9a-f]*\)	P-0001	pending	.*/\1/p") &&
	sv device approve "$id" >/dev/null &&
	dev export --to "$STICK" >out &&
	sv import "$(sed -n "s/^Bundle written: //p" out)" >out &&
	sv report monthly --month "$M" --format json >s.json &&
	ilp_lines s.json posyandu 0 ilp >got.p &&
	diff -u want got.p &&
	ilp_lines s.json district ilp >got.d &&
	diff -u want got.d
'

test_done
