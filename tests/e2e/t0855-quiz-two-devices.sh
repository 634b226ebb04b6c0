#!/bin/sh
# Issue 13 point 2, across devices: a trainer reads attempts taken on
# another device of the same posyandu after sync. A real district server on
# 127.0.0.1 and two laptops of one posyandu, each with its admin; each
# upstream bundle carries the device's signed quiz box key (frame kind 7),
# each downstream bundle the keys of the other approved devices; an admin
# session importing it seals to them from then on. A kader on d2 takes a
# test; a trainer on d1 sees the score. (A key whose device signature is
# wrong is refused: tests/unit/test_sync.c, as it cannot be made through
# the real server.)
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf '615204\n' >"$TRASH/pin.tina"
printf '739164\n' >"$TRASH/pin.sri"
printf '370518\n' >"$TRASH/pin.wati"
DS=$TRASH/district
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
on() { d=$1; u=$2; f=$3; shift 3; "$P" --config "$TRASH/$d.ini" --data "$TRASH/$d" --user "$u" --pin-file "$TRASH/$f" "$@"; }
dev() { d=$1; shift; on "$d" ani pin --lang en "$@"; }
newdev() {
	write_test_config "$TRASH/$1.ini" &&
	printf '[sync]\nserver = %s\n' "$URL" >>"$TRASH/$1.ini" &&
	"$P" --lang en --config "$TRASH/$1.ini" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code P-0001 \
		--name "Posyandu Mawar" --admin ani >/dev/null
}

start_server() { log=$1; shift; serve_on "$DS" "$log" "$@"; }

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

test_expect_success 'setup: a district, two laptops enrolled and approved; users on each' '
	sv init >/dev/null && sv pubkey >key &&
	start_server serve.log &&
	newdev d1 && newdev d2 &&
	printf "y\n" | dev d1 enroll --district-key "$(cat key)" >/dev/null &&
	sv device list | cut -f1 >d1.id &&
	printf "y\n" | dev d2 enroll --district-key "$(cat key)" >/dev/null &&
	sv device list | cut -f1 | grep -vxFf d1.id >d2.id && test $(wc -l <d2.id) = 1 &&
	for id in $(sv device list | cut -f1); do sv device approve $id >/dev/null || return 1; done &&
	dev d1 user add tina --role trainer --new-pin-file "$TRASH/pin.tina" &&
	dev d1 user add wati --role kader --new-pin-file "$TRASH/pin.wati" &&
	dev d2 user add sri --role kader --new-pin-file "$TRASH/pin.sri" &&
	dev d1 demo --children 2 --months 1 --seed 1 >/dev/null &&
	dev d2 demo --children 2 --months 1 --seed 2 >/dev/null
'

test_expect_success 'each admin signs its quiz key; two rounds of sync carry them across' '
	dev d1 quiz list >/dev/null && dev d2 quiz list >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >/dev/null &&
	! grep "^bundle 4" serve.log
'

test_expect_success 'a bank imported on d1 is sealed to d2 as well: d2 opens it' '
	dev d1 quiz import "$TRASH/kecil.ini" >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >out &&
	grep -q "Received from the district: [1-9]" out &&
	dev d2 quiz import "$TRASH/kecil.ini" >out &&
	grep -q "already\|sudah pernah" out
'

test_expect_success 'a kader on d2 takes a test there' '
	dev d2 quiz training add --title "Pelatihan" --date 10-03-2025 --participant sri >training &&
	T=$(cat training) &&
	dev d2 quiz start --training "$T" --bank tes-kecil --kind pre >/dev/null &&
	echo "b [ac]" | on d2 sri pin.sri quiz take --training "$T" --bank tes-kecil --kind pre >out &&
	! grep -F "2/2" out
'

test_expect_success 'after sync the trainer on d1 reads its score' '
	dev d2 sync >/dev/null && dev d1 sync >out &&
	grep -q "Received from the district: [1-9]" out &&
	on d1 tina pin.tina quiz report --bank tes-kecil --format csv --table attempts >csv 2>err &&
	cat csv err &&
	grep "^sri,.*,pre,tes-kecil,1,2,2,100.0,1" csv &&
	! grep -q "cannot be opened\|tidak dapat dibuka" err
'

test_expect_success 'the district key list is refreshed on every downstream bundle' '
	dev d2 demo --children 1 --months 1 --seed 3 >/dev/null &&
	dev d2 sync >/dev/null && dev d1 sync >/dev/null &&
	on d1 tina pin.tina quiz report --bank tes-kecil --format csv --table attempts >csv &&
	grep -q "^sri,.*,2,2,100.0,1" csv
'

test_expect_success 'a device revoked at the district: the others get the new list at once' '
	grep -c "^downstream 200" serve.log >before &&
	dev d1 sync >/dev/null &&
	grep -c "^downstream 200" serve.log >after && test "$(cat before)" = "$(cat after)" &&
	sv device revoke "$(cat d2.id)" >/dev/null &&
	dev d1 sync >/dev/null && dev d2 sync >/dev/null 2>&1;
	grep -c "^downstream 200" serve.log >after &&
	test "$(cat after)" -gt "$(cat before)" &&
	cp after before && dev d1 sync >/dev/null &&
	grep -c "^downstream 200" serve.log >after && test "$(cat before)" = "$(cat after)"
'

test_done
