#!/bin/sh
# The district's monthly report (posyandu-server(8), report monthly) over a
# real district store: two posyandu enrol, export onto a stick and are
# imported (the steps of t0600-sync-usb.sh). A month in which one posyandu
# weighed nobody has N/D without a denominator: empty in CSV, null in JSON,
# "-" in text. The district row is the sum of the posyandu rows; a month is
# counted on its last day whenever the report is made; a month that has not
# begun, and a malformed POSYANDU_NOW, are refused with exit 1.
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
test_cmp() { diff -u "$1" "$2"; }
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
newdev() { "$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" --name "Posyandu $1" --admin ani >/dev/null; }
# The device D of posyandu CODE enrols, is approved, and its first bundle
# is imported at the district.
enrol_and_import() {
	dev "$1" enroll --district-key "$(cat key)" --request-out "$STICK/$1.pyq" <"$TRASH/yes" >/dev/null &&
	sv device add "$STICK/$1.pyq" >/dev/null &&
	id=$(sv device list | sed -n "s/^\([0-9a-f]*\)	$2	pending	.*/\1/p") &&
	sv device approve "$id" >/dev/null &&
	dev "$1" export --to "$STICK" >out &&
	sv import "$(sed -n "s/^Bundle written: //p" out)" >out &&
	grep -q ": success: $2 " out
}
# mon N FORMAT: the month N months from the clock's (the 15th of it).
mon() { tmonth "$1" 15 "+$2"; }
M3=$(mon -3 %m-%Y)
M2=$(mon -2 %Y-%m)
M1=$(mon -1 %m-%Y)

# The 44 ILP counts of a CSV row (4 groups x 11) when nobody is in a group.
ILP0=$(printf '0,%.0s' $(seq 44) | sed 's/,$//')

# P-0001 weighs Ani three months ago and last month (on the 28th), Budi
# three months ago only: two months ago both are in S and nobody is in D.
cat >people.csv <<EOF
ref;kind;name;sex;dob;mother_name
C1;child;Ani Lestari;P;$(mon -14 %d-%m-%Y);Sri
C2;child;Budi Santoso;L;$(mon -10 %d-%m-%Y);Wati
EOF
cat >visits.csv <<EOF
ref;date;weight_kg
C1;05-$M3;8,6
C1;28-$M1;9,1
C2;06-$M3;7,9
EOF

test_expect_success 'setup: a district, two posyandu enrolled and imported' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	newdev d1 P-0001 &&
	dev d1 load people people.csv >/dev/null && dev d1 load visits visits.csv >/dev/null &&
	enrol_and_import d1 P-0001 &&
	newdev d2 P-0002 &&
	dev d2 demo --children 12 --months 5 --seed 8 >/dev/null &&
	enrol_and_import d2 P-0002
'

test_expect_success 'no denominator: the CSV cell is empty' '
	sv report monthly --month "$M2" --format csv >r.csv &&
	head -1 r.csv | grep -q "^posyandu,S,K,D,N,T,O,B,2T,BGM,D/S,N/D,school_visited," &&
	grep -x "P-0001,2,[0-9]*,0,0,0,0,0,0,0,0\.0,,$ILP0" r.csv &&
	! grep -F -- "-1.0" r.csv
'

test_expect_success 'no denominator: null in JSON, a number where there is one' '
	sv report monthly --month "$M2" --format json >r.json &&
	python3 - <<-EOF
	import json
	d = json.load(open("r.json"))
	assert d["month"] == "$M2", d["month"]
	p = {r["posyandu"]: r for r in d["posyandu"]}
	assert sorted(p) == ["P-0001", "P-0002"], sorted(p)
	assert p["P-0001"]["N/D"] is None and p["P-0001"]["D/S"] == 0.0, p["P-0001"]
	assert p["P-0001"]["skdn"]["S"] == 2 and p["P-0001"]["skdn"]["D"] == 0
	dist = d["district"]
	if dist["skdn"]["D"]:
	    assert dist["N/D"] == round(100.0 * dist["skdn"]["N"] / dist["skdn"]["D"], 1), dist
	EOF
'

test_expect_success 'no denominator: "-" in text' '
	sv report monthly --month "$M2" >r.txt &&
	grep -q "^Monthly report $M2: SKDN per posyandu and for the district$" r.txt &&
	awk "\$1 == \"P-0001\" && NF > 2 { print \$(NF - 1), \$NF }" r.txt >cells &&
	echo "0.0 -" >want && cmp want cells &&
	! grep -F -- "-1.0" r.txt
'

test_expect_success 'a month before any child: every ratio empty, null and "-"' '
	sv report monthly --month 2001-06 --format csv >old.csv &&
	grep -x "district,0,0,0,0,0,0,0,0,0,,,$ILP0" old.csv &&
	sv report monthly --month 2001-06 --format json >old.json &&
	python3 -c "import json; d = json.load(open(\"old.json\"))[\"district\"]; assert d[\"D/S\"] is None and d[\"N/D\"] is None, d" &&
	sv report monthly --month 2001-06 >old.txt &&
	grep -q "^district  *0  *0  *0  *0  *0  *0  *0  *0  *0  *-  *-$" old.txt
'

test_expect_success 'the district row is the sum of the posyandu rows' '
	for m in "$M2" "$(mon -1 %Y-%m)" "$(mon 0 %Y-%m)"; do
		sv report monthly --month "$m" --format csv >s.csv &&
		awk -F, "NR == 1 { next }
			\$1 == \"district\" { for (i = 2; i <= 10; i++) d[i] = \$i; next }
			{ for (i = 2; i <= 10; i++) s[i] += \$i }
			END { for (i = 2; i <= 10; i++) if (s[i] != d[i]) { print \"column\", i, s[i], d[i]; exit 1 } }" s.csv ||
			return 1
	done &&
	sv report monthly --month "$M2" --format json >r.json &&
	python3 -c "
import json
d = json.load(open(\"r.json\"))
for k, v in d[\"district\"][\"skdn\"].items():
    assert v == sum(p[\"skdn\"][k] for p in d[\"posyandu\"]), k
"
'

test_expect_success 'the ILP counts: per posyandu and for the district, in every format' '
	sv report monthly --month "$M2" --format csv >i.csv &&
	head -1 i.csv | tr , "\n" | sed -n "13,\$p" >cols &&
	for g in school adolescent adult elderly; do
		for k in visited bmi_thin bmi_normal bmi_overweight bmi_obese bp_high glucose_high \
			waist_high anaemia tb_suspect smoker; do echo "${g}_$k"; done
	done >want && test_cmp want cols &&
	awk -F, "NR == 1 { next }
		\$1 == \"district\" { for (i = 13; i <= NF; i++) d[i] = \$i; n = NF; next }
		{ for (i = 13; i <= NF; i++) s[i] += \$i }
		END { if (n != 56) exit 1; for (i = 13; i <= n; i++) if (s[i] != d[i]) exit 1 }" i.csv &&
	sv report monthly --month "$M2" --format json >i.json &&
	python3 - <<-EOF &&
	import json
	d = json.load(open("i.json"))
	groups = ["school", "adolescent", "adult", "elderly"]
	keys = ["visited", "bmi_thin", "bmi_normal", "bmi_overweight", "bmi_obese", "bp_high",
	        "glucose_high", "waist_high", "anaemia", "tb_suspect", "smoker"]
	for row in d["posyandu"] + [d["district"]]:
	    assert list(row["ilp"]) == groups, row["ilp"]
	    for g in groups:
	        assert list(row["ilp"][g]) == keys, row["ilp"][g]
	        assert all(isinstance(v, int) for v in row["ilp"][g].values())
	for g in groups:
	    for k in keys:
	        assert d["district"]["ilp"][g][k] == sum(p["ilp"][g][k] for p in d["posyandu"]), (g, k)
	# P-0001 registered only children under five: nobody in a group
	p1 = [p for p in d["posyandu"] if p["posyandu"] == "P-0001"][0]
	assert all(v == 0 for g in groups for v in p1["ilp"][g].values()), p1["ilp"]
	EOF
	sv report monthly --month "$M2" >i.txt &&
	grep -q "^Posyandu ILP, by life-cycle group" i.txt &&
	test $(grep -c "^  school  " i.txt) = 3
'

test_expect_success 'a month is counted on its last day, whenever the report is made' '
	M=$(mon -1 %Y-%m) &&
	sv report monthly --month "$M" --format csv >late.csv &&
	POSYANDU_NOW=$M-10T09:00 sv report monthly --month "$M" --format csv >early.csv &&
	cmp late.csv early.csv &&
	grep -q "^P-0001,2,[0-9]*,1," early.csv
'

test_expect_success 'a month that has not begun is refused, exit 1' '
	test_exit 1 sv report monthly --month "$(mon 1 %Y-%m)" >out 2>err &&
	echo "posyandu-server: $(mon 1 %Y-%m) has not begun yet; the latest month is $(mon 0 %Y-%m)" >want &&
	cmp want err && test ! -s out &&
	test_exit 1 sv report monthly --month 2099-01 --format json >out 2>err &&
	grep -q "2099-01 has not begun yet" err && test ! -s out
'

test_expect_success 'a malformed POSYANDU_NOW is refused before any command' '
	POSYANDU_NOW=31-12-2026 test_exit 1 sv pubkey >out 2>err &&
	grep -qx "posyandu-server: POSYANDU_NOW=\"31-12-2026\" is not a date and time: write YYYY-MM-DDTHH:MM\[:SS\] (local time)" err &&
	test ! -s out &&
	POSYANDU_NOW=2026-02-30T10:00 test_exit 1 sv report monthly --month 2026-01 2>err &&
	grep -q "POSYANDU_NOW" err
'

test_done
