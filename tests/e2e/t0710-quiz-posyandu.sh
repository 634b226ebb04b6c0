#!/bin/sh
# Issue 14, kader and trainers: a training participant carries a posyandu
# code and an id of her own; two of one name stay two people; the same
# paper sheet keyed in again replaces the attempt, also across sync; the
# trainer's report per posyandu; and what the district shows (counts per
# posyandu: it holds no quiz key, so it cannot read scores). A real
# district server on 127.0.0.1 and two laptops of one posyandu, set up as
# in t0855 so that each device's quiz key reaches the other.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
DS=$TRASH/district
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --config "$TRASH/$d.ini" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" --lang en "$@"; }
newdev() {
	write_test_config "$TRASH/$1.ini" &&
	printf '[sync]\nserver = %s\n' "$URL" >>"$TRASH/$1.ini" &&
	"$P" --lang en --config "$TRASH/$1.ini" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code P-0001 \
		--name "Posyandu Mawar" --admin ani >/dev/null
}

cat >"$TRASH/kecil.ini" <<'INI'
[bank]
id = tes-kecil
version = 1
title = Tes kecil
pass_mark = 75
shuffle = no

[s1]
topic = kms
text = KMS adalah grafik apa?
a = Tinggi menurut umur
b = Berat menurut umur
answer = b

[s2]
topic = asi
text = Pilih semua yang boleh diberikan selain ASI.
a = Vitamin
b = Air putih
c = Obat
answer = a, c
INI

test_expect_success 'setup: a district, two laptops of P-0001 enrolled and approved, keys across' '
	sv init >/dev/null && sv pubkey >key &&
	serve_on "$DS" serve.log &&
	newdev d1 && newdev d2 &&
	printf "y\n" | dev d1 enroll --district-key "$(cat key)" >/dev/null &&
	printf "y\n" | dev d2 enroll --district-key "$(cat key)" >/dev/null &&
	for id in $(sv device list | cut -f1); do sv device approve $id >/dev/null || return 1; done &&
	dev d1 demo --children 1 --months 1 --seed 1 >/dev/null &&
	dev d2 demo --children 1 --months 1 --seed 2 >/dev/null &&
	dev d1 quiz list >/dev/null && dev d2 quiz list >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >/dev/null &&
	dev d1 quiz import "$TRASH/kecil.ini" >/dev/null
'

test_expect_success 'a training of kader of two posyandu; a code that is not one is refused' '
	test_exit 1 dev d1 quiz training add --title X --date 10-03-2025 --posyandu "p 2" \
		--participant Ana 2>err &&
	grep -qi "code" err &&
	dev d1 quiz training add --title "Pelatihan Puskesmas" --date 10-03-2025 \
		--participant "Bu Wati" --posyandu P-0002 --participant "Bu Wati" --participant "Bu Tini" \
		>training &&
	dev d1 quiz training show --training "$(cat training)" >show &&
	cut -f1,3,4,5 show >actual &&
	printf "#1\tP-0001\tBu Wati\t-\n#2\tP-0002\tBu Wati\t-\n#3\tP-0002\tBu Tini\t-\n" >expect &&
	cmp expect actual &&
	test "$(cut -f2 show | sort -u | wc -l)" = 3
'

test_expect_success 'two of one name: a sheet line by that name is refused, by number taken' '
	T=$(cat training) &&
	printf "Bu Wati\tb [ac]\n" >sheet &&
	test_exit 1 dev d1 quiz sheet --training "$T" --bank tes-kecil --kind pre sheet 2>err &&
	grep -F "2 participants are called Bu Wati" err &&
	printf "#1\ta [ac]\n#2\tb b\nBu Tini\ta a\n" >sheet &&
	dev d1 quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	printf "Bu Wati\t1/2\t50.0%%\tfail\tP-0001\t#1\nBu Wati\t1/2\t50.0%%\tfail\tP-0002\t#2\nBu Tini\t0/2\t0.0%%\tfail\tP-0002\t#3\n" >expect &&
	cmp expect out &&
	printf "#1\tb [ac]\n#2\tb [ac]\n#3\tb a\n" >sheet &&
	dev d1 quiz sheet --training "$T" --bank tes-kecil --kind post sheet >/dev/null
'

test_expect_success 'the same sheet keyed in again replaces the attempt' '
	T=$(cat training) &&
	printf "#2\tb [ac]\n" >sheet &&
	dev d1 quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	printf "Bu Wati\t2/2\t100.0%%\tpass\tP-0002\t#2\treplaced\n" >expect &&
	cmp expect out &&
	dev d1 quiz report --bank tes-kecil --format csv --table attempts >csv &&
	test "$(grep -c ",pre,tes-kecil," csv)" = 3 &&
	test "$(grep -c ",post,tes-kecil," csv)" = 3
'

# By hand: P-0001 is Wati #1: pre 50, post 100, gain 50, passed.
# P-0002 is Wati #2 (pre 100 after the replacement, post 100, passed) and
# Tini (pre 0, post 50, failed): pre (100 + 0) / 2 = 50, post (100 + 50) /
# 2 = 75, gain ((100 - 100) + (50 - 0)) / 2 = 25, 1 passed.
test_expect_success 'quiz report: results per posyandu, and one posyandu alone' '
	dev d1 quiz report --bank tes-kecil --format csv --table posyandu >actual &&
	cat >expect <<-EOF &&
	posyandu,people,pre_n,pre_mean,post_n,post_mean,both_n,gain_mean,post_passed
	P-0001,1,1,50.0,1,100.0,1,50.0,1
	P-0002,2,2,50.0,2,75.0,2,25.0,1
	EOF
	cmp expect actual &&
	dev d1 quiz report --bank tes-kecil --posyandu P-0002 --format json >json &&
	jq -e ".submitted == 4 and ([.attempts[].posyandu] | unique) == [\"P-0002\"]" json &&
	jq -e "([.kader[].name] | sort) == [\"Bu Tini\", \"Bu Wati\"]" json &&
	jq -e ".items[0].n == 4 and .items[0].p == 0.75" json &&
	dev d1 quiz report --bank tes-kecil --table kader >text &&
	grep -F "Bu Wati (P-0001 #1)" text && grep -F "Bu Wati (P-0002 #2)" text &&
	test_exit 2 dev d1 quiz report --bank tes-kecil --table nope 2>/dev/null
'

test_expect_success 'after sync the district shows the tests per posyandu, counted once' '
	dev d1 sync >/dev/null &&
	sv quiz report --format csv >actual &&
	cat >expect <<-EOF &&
	posyandu,bank,version,kind,trainings,participants,submitted,sheets,drafts
	P-0001,tes-kecil,1,pre,1,1,1,1,0
	P-0001,tes-kecil,1,post,1,1,1,1,0
	P-0002,tes-kecil,1,pre,1,2,2,2,0
	P-0002,tes-kecil,1,post,1,2,2,2,0
	EOF
	cmp expect actual &&
	sv quiz report >text &&
	grep -q "scores are sealed" text &&
	sv quiz report --format json | jq -e ".scores == \"sealed\" and (.tests | length) == 4"
'

test_expect_success 'the same sheet keyed in again on the other device: still one, at the district and on both' '
	dev d2 sync >out &&
	grep -q "Received from the district: [1-9]" out &&
	T=$(cat training) &&
	printf "#2\tb b\n" >sheet &&
	dev d2 quiz sheet --training "$T" --bank tes-kecil --kind pre sheet >out &&
	grep -F "replaced" out &&
	dev d2 sync >/dev/null &&
	sv quiz report --format csv >actual2 &&
	cmp expect actual2 &&
	dev d1 sync >/dev/null &&
	dev d1 quiz report --bank tes-kecil --format csv --table attempts >csv &&
	test "$(grep -c ",pre,tes-kecil," csv)" = 3 &&
	grep "^Bu Wati,.*,pre,tes-kecil,1,1,2,50.0,0,.*,P-0002," csv
'

test_done
