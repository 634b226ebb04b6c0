#!/bin/sh
# t0300-growth-cli: `posyandu growth` golden tests (text, json, batch) and its
# exit statuses: 0 success, 1 a bad value, 2 a usage error.
# The expected z-scores were checked against an independent implementation
# of the WHO method over the CSV files in data/ (see the GROWTH section of man/posyandu.1).
# Last line: "# passed N failed M".
LC_ALL=C.UTF-8
export LC_ALL
POSYANDU_BIN=${POSYANDU_BIN:-$(pwd)/posyandu}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t0300.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
POSYANDU_DATA=$tmp/data
XDG_DATA_HOME=$tmp/xdg
XDG_CONFIG_HOME=$tmp/xdg-config
export POSYANDU_DATA XDG_DATA_HOME XDG_CONFIG_HOME
passed=0
failed=0

# run ARGS...: output to $tmp/out and $tmp/err, status in $rc (no pipes).
run() {
	"$POSYANDU_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1"
	[ -s "$tmp/diff" ] && sed 's/^/#   /' "$tmp/diff"
	[ -s "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err"
	: >"$tmp/diff"
}

# expect_out NAME STATUS: compare $tmp/out with the heredoc on stdin.
expect_out() {
	cat >"$tmp/expect"
	if [ "$rc" = "$2" ] && diff -u "$tmp/expect" "$tmp/out" >"$tmp/diff"; then
		ok "$1"
	else
		echo "exit $rc, expected $2" >>"$tmp/diff"
		not_ok "$1"
	fi
}

# expect_status NAME STATUS [TEXT]: the exit status, and TEXT in stderr; never
# a crash (a status over 128).
expect_status() {
	if [ "$rc" -gt 128 ]; then
		echo "crashed with status $rc" >"$tmp/diff"
		not_ok "$1"
	elif [ "$rc" != "$2" ]; then
		echo "exit $rc, expected $2" >"$tmp/diff"
		not_ok "$1"
	elif [ -n "$3" ] && ! grep -q -- "$3" "$tmp/err"; then
		echo "stderr lacks: $3" >"$tmp/diff"
		not_ok "$1"
	else
		ok "$1"
	fi
}

: >"$tmp/diff"

# ---- one child, text ----

run --lang en growth --sex m --age-days 365 --weight 9.6 --length 75.7 --headc 46 --muac 14
expect_out "text: boy, 365 days, every indicator" 0 <<'EOF'
sex: male, age: 365 days (12.0 months), WHO 2006 standards
length/height used: 75.7 cm, BMI: 16.75 kg/m2
weight-for-age (BB/U): z = -0.04, normal weight
length/height-for-age (PB/U, TB/U): z = -0.02, normal height
weight-for-length/height (BB/PB, BB/TB): z = -0.06, normal (good nutrition)
BMI-for-age (IMT/U): z = -0.03, normal (good nutrition)
head circumference-for-age (LK/U): z = -0.05
arm circumference-for-age (LiLA/U): z = -0.58
MUAC: MUAC normal
EOF

# Standing at 200 days: a recording error (no +0.7 cm), severe findings,
# referral and "check with bidan" reasons; decimal comma accepted.
run --lang en growth --sex f --age-days 200 --weight 4,9 --height 60 --muac 11.2
expect_out "text: girl, 200 days, standing below 9 months, BGM, MUAC" 0 <<'EOF'
sex: female, age: 200 days (6.6 months), WHO 2006 standards
length/height used: 60.0 cm, BMI: 13.61 kg/m2
weight-for-age (BB/U): z = -3.51, severely underweight
length/height-for-age (PB/U, TB/U): z = -2.89, stunted
weight-for-length/height (BB/PB, BB/TB): z = -2.06, wasted
BMI-for-age (IMT/U): z = -2.46, wasted
head circumference-for-age (LK/U): - (not measured)
arm circumference-for-age (LiLA/U): z = -2.59
BGM: below the red line of the KMS
MUAC: severe acute malnutrition (MUAC < 11.5 cm)
refer to puskesmas: below the red line (BGM, weight-for-age < -3 SD)
check with the bidan: wasted (weight-for-length/height < -2 SD)
check with the bidan: stunted, new finding (length/height-for-age < -2 SD)
check with the bidan: MUAC below 12.5 cm
re-measure? standing height below 9 months: measure lying down
EOF

# From 60 months: the WHO 2007 reference; IMT/U 5-18 y categories.
run --lang en growth --sex m --age-days 1827 --weight 18.5 --height 110
expect_out "text: 1827 days uses the WHO 2007 reference" 0 <<'EOF'
sex: male, age: 1827 days (60.0 months), WHO 2007 reference
length/height used: 110.0 cm, BMI: 15.29 kg/m2
weight-for-age (BB/U): z = 0.07
length/height-for-age (PB/U, TB/U): z = 0.06
weight-for-length/height (BB/PB, BB/TB): - (no WHO table for this age)
BMI-for-age (IMT/U): z = 0.02, normal (good nutrition)
head circumference-for-age (LK/U): - (not measured)
arm circumference-for-age (LiLA/U): - (not measured)
EOF

# The default language is Indonesian; the z-scores are the same.
run growth --sex m --age-days 365 --weight 9.6
if [ "$rc" = 0 ] && grep -q -- '-0.04' "$tmp/out"; then ok "default language: exit 0"; else not_ok "default language: exit 0"; fi

# The Permenkes labels reach the kader in Indonesian (po/id.po must hold the
# msgids of core/growth.c: the regulation's own terms).
run growth --sex f --age-days 200 --weight 4.9 --length 60
if [ "$rc" = 0 ] && grep -q 'z = -2.89, Pendek$' "$tmp/out" &&
   grep -q 'z = -3.51, Berat badan sangat kurang$' "$tmp/out"; then
	ok "default language: Permenkes labels in Indonesian"
else
	cp "$tmp/out" "$tmp/diff"
	not_ok "default language: Permenkes labels in Indonesian"
fi

# Dates DD-MM-YYYY and ISO give the age in days.
run --lang en growth --sex f --dob 01-01-2023 --date 2024-06-15 --weight 8.1
cp "$tmp/out" "$tmp/by-date"
run --lang en growth --sex f --age-days 531 --weight 8.1
if [ "$rc" = 0 ] && diff "$tmp/by-date" "$tmp/out" >"$tmp/diff"; then ok "dates: --dob/--date equals --age-days"; else not_ok "dates: --dob/--date equals --age-days"; fi

# ---- one child, json ----

run --lang en growth --sex f --dob 01-01-2023 --date 15-06-2024 --weight 8,1 --height 75 --format json
expect_out "json: girl, standing at 531 days (+0.7 cm)" 0 <<'EOF'
{
  "sex": 2,
  "age_days": 531,
  "reference": "who2006",
  "measure": "h",
  "clenhei_cm": 75.7,
  "lenhei_adjust_cm": 0.7,
  "bmi_kg_m2": 14.13,
  "wflh_table": "length",
  "c9mo_flag": 0,
  "zscores": {
    "wei": {
      "z": -1.86,
      "flag": 0,
      "category": "normal",
      "label_en": "normal weight",
      "label_id": "Berat badan normal"
    },
    "len": {
      "z": -1.54,
      "flag": 0,
      "category": "normal",
      "label_en": "normal height",
      "label_id": "Normal"
    },
    "wfl": {
      "z": -1.55,
      "flag": 0,
      "category": "normal",
      "label_en": "normal (good nutrition)",
      "label_id": "Gizi baik (normal)"
    },
    "bmi": {
      "z": -1.3,
      "flag": 0,
      "category": "normal",
      "label_en": "normal (good nutrition)",
      "label_id": "Gizi baik (normal)"
    },
    "hc": {
      "z": null,
      "flag": null,
      "why": "no_value"
    },
    "ac": {
      "z": null,
      "flag": null,
      "why": "no_value"
    }
  },
  "bgm": false,
  "muac": null,
  "refer": [],
  "check_bidan": [],
  "warnings": []
}
EOF

# JSON is never translated.
run growth --sex f --dob 01-01-2023 --date 15-06-2024 --weight 8,1 --height 75 --format json
if [ "$rc" = 0 ] && diff "$tmp/expect" "$tmp/out" >"$tmp/diff"; then ok "json: same in the default language"; else not_ok "json: same in the default language"; fi

run growth --sex m --age-days 400 --weight 8 --length 74 --oedema --format json
if [ "$rc" = 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["zscores"]["wei"] == {"z": None, "flag": None, "why": "oedema"}, d
assert d["zscores"]["len"]["z"] == -1.27 and d["check_bidan"] == ["oedema"], d' "$tmp/out"; then
	ok "json: oedema leaves out the weight-based z-scores"
else
	not_ok "json: oedema leaves out the weight-based z-scores"
fi

# ---- batch ----

cat >"$tmp/in.csv" <<'EOF'
sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm,muac_cm
1,365,9.6,75.7,l,n,46,14
2,,8.1,75,h,,,
1,987,,72.86,l,n,,
2,400,9,76,l,y,45,13

1,1827,18.5,110,h,n,50,16
2,-5,8,70,,,,
1,0,,,,,,
EOF
run growth --batch "$tmp/in.csv"
expect_out "batch: WHO Anthro columns" 0 <<'EOF'
sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm,muac_cm,zwei,zlen,zwfl,zbmi,zhc,zac,fwei,flen,fwfl,fbmi,fhc,fac
1,365,9.6,75.7,l,n,46,14,-0.04,-0.02,-0.06,-0.03,-0.05,-0.58,0,0,0,0,0,0
2,,8.1,75,h,,,,,,-1.55,,,,,,0,,,
1,987,,72.86,l,n,,,,-6.09,,,,,,1,,,,
2,400,9,76,l,y,45,13,,0.23,,,-0.16,-1.12,,0,,,0,0
1,1827,18.5,110,h,n,50,16,0.07,0.06,,0.02,,,0,0,,0,,
2,-5,8,70,,,,,,,-0.22,,,,,,0,,,
1,0,,,,,,,,,,,,,,,,,,
EOF
cp "$tmp/expect" "$tmp/batch-expect"

run growth --batch - <"$tmp/in.csv"
if [ "$rc" = 0 ] && diff "$tmp/batch-expect" "$tmp/out" >"$tmp/diff"; then ok "batch: - reads standard input"; else not_ok "batch: - reads standard input"; fi

# CRLF line ends (a spreadsheet's export) give the same output.
sed 's/$/\r/' "$tmp/in.csv" >"$tmp/crlf.csv"
run growth --batch "$tmp/crlf.csv"
if [ "$rc" = 0 ] && diff "$tmp/batch-expect" "$tmp/out" >"$tmp/diff"; then ok "batch: CRLF input"; else not_ok "batch: CRLF input"; fi

# Malformed rows: named on stderr by line, left out, the rest still done, exit 1.
cat >"$tmp/bad.csv" <<'EOF'
sex,age_days,weight_kg,lenhei_cm,measure,oedema,headc_cm,muac_cm
1,365,9.6,75.7,l,n,46,14
3,100,5,,,,,
1,abc,5,,,,,
1,100,5
2,100,5,60,x,,,
2,100,5,60,l,maybe,,
2,100,5;1,60,l,n,,
1,365,9.6,75.7,l,n,46,14
EOF
run --lang en growth --batch "$tmp/bad.csv"
expect_status "batch: malformed rows exit 1" 1 "line 3: "
for n in 4 5 6 7 8; do
	grep -q "line $n: " "$tmp/err" || { echo "no error for line $n" >"$tmp/diff"; break; }
done
if [ ! -s "$tmp/diff" ] && [ "$(grep -c '^1,365,9.6,75.7,l,n,46,14,-0.04,' "$tmp/out")" = 2 ] &&
   [ "$(wc -l <"$tmp/out")" = 3 ]; then
	ok "batch: each bad line named, good rows kept"
else
	not_ok "batch: each bad line named, good rows kept"
fi

printf 'sex,age,weight\n1,2,3\n' >"$tmp/hdr.csv"
run --lang en growth --batch "$tmp/hdr.csv"
expect_status "batch: wrong header exits 1" 1 "line 1"
run growth --batch "$tmp/does-not-exist.csv"
expect_status "batch: missing file exits 1" 1 "does-not-exist.csv"
: >"$tmp/empty.csv"
run growth --batch "$tmp/empty.csv"
expect_status "batch: empty file exits 1" 1

# ---- usage errors: exit 2, one line on stderr ----

run growth --weight 9
expect_status "usage: --sex is required" 2 "--sex"
run growth --sex x --weight 9
expect_status "usage: --sex x" 2 "--sex"
run growth --sex m --length 70 --height 70
expect_status "usage: --length and --height" 2 "--length"
run growth --sex m --dob 01-01-2024
expect_status "usage: --dob without --date" 2 "--date"
run growth --sex m --age-days 10 --dob 01-01-2024 --date 02-02-2024
expect_status "usage: --age-days and --dob" 2 "--age-days"
run growth --sex m --bogus
expect_status "usage: unknown option" 2 "--bogus"
run growth --sex m --weight
expect_status "usage: option without its value" 2 "--weight"
run growth --sex m --format xml
expect_status "usage: --format xml" 2 "xml"
run growth --batch "$tmp/in.csv" --sex m
expect_status "usage: --batch with other options" 2 "--batch"
if [ "$(wc -l <"$tmp/err")" = 1 ]; then ok "usage: one line on stderr"; else not_ok "usage: one line on stderr"; fi

# ---- bad values: exit 1 ----

run growth --sex m --weight abc
expect_status "value: weight not a number" 1
run growth --sex m --weight 0
expect_status "value: weight 0" 1
run growth --sex m --weight 400
expect_status "value: weight 400 kg" 1
run growth --sex m --age-days 100 --length 7
expect_status "value: length 7 cm" 1
run growth --sex f --dob 2024-05-01 --date 2024-04-01 --weight 5
expect_status "value: visit before birth" 1
run growth --sex f --dob 31-02-2024 --date 01-03-2024 --weight 5
expect_status "value: no such date" 1
run growth --sex m --age-days -4 --weight 5
expect_status "value: negative --age-days" 1

echo "# passed $passed failed $failed"
[ "$failed" = 0 ]
