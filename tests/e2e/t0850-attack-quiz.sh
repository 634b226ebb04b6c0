#!/bin/sh
# Issue 13 point 2: quiz results and answer keys out of a kader's reach.
# A store made by the real binary with an admin, a trainer and two kader;
# the attacker (kader sri) works on the store file with tests/attack/atk_quiz:
#   (a) with no PIN she puts her own X25519 key in meta quiz.box_pk: the
#       next test refuses to start, and nothing is sealed to her key;
#   (b) with her PIN she looks for a bank's answer key with the data key and
#       everything the product derives from it: none;
#   (c) with her PIN (and her key of (a)) she tries to open the other
#       kader's attempt: nothing opens.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '615204\n' >"$TRASH/pin.tina"
printf '739164\n' >"$TRASH/pin.sri"
printf '370518\n' >"$TRASH/pin.wati"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
trainer() { pc --user tina --pin-file "$TRASH/pin.tina" "$@"; }
wati() { pc --user wati --pin-file "$TRASH/pin.wati" "$@"; }
sri_atk() { ATK_PIN=739164 "$ATK/atk_quiz" "$D" "$@"; }

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
explain = KMS mencatat berat badan menurut umur.

[s2]
topic = asi
text = Pilih semua yang boleh diberikan selain ASI.
a = Vitamin
b = Air putih
c = Obat
answer = a, c
INI

test_expect_success 'setup: admin, trainer, two kader; a pre-test and a post-test open' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >out &&
	admin user add tina --role trainer --new-pin-file "$TRASH/pin.tina" &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.sri" &&
	admin user add wati --role kader --new-pin-file "$TRASH/pin.wati" &&
	admin quiz import "$TRASH/kecil.ini" >out &&
	trainer quiz training add --title "Pelatihan" --date 10-03-2025 \
		--participant sri --participant wati >training &&
	T=$(cat training) &&
	trainer quiz start --training "$T" --bank tes-kecil --kind pre >out &&
	trainer quiz start --training "$T" --bank tes-kecil --kind post >out
'

test_expect_success 'wati takes the pre-test; she sees no score, the trainer does' '
	T=$(cat training) &&
	echo "b [ac]" | wati quiz take --training "$T" --bank tes-kecil --kind pre >out &&
	grep -F "Jawaban tersimpan; nilai dibuka pelatih." out &&
	! grep -F "2/2" out &&
	trainer quiz report --bank tes-kecil --format csv --table attempts >csv &&
	grep "^wati,.*,pre,tes-kecil,1,2,2,100.0,1" csv
'

test_expect_success '(b) with her PIN sri reads no answer key of the bank' '
	sri_atk answers sri >out &&
	cat out &&
	grep -F "attack: bank answer keys searched" out &&
	grep -Fx "0 readable" out &&
	! grep "^answer " out
'

test_expect_success '(c) with her PIN sri opens no attempt of wati' '
	sri_atk attempts sri >out &&
	cat out &&
	grep -F "attack: attempts searched" out &&
	grep -Fx "0 readable" out
'

test_expect_success '(a) sri puts her own key in quiz.box_pk by SQL, with no PIN' '
	"$ATK/atk_quiz" "$D" swap "$TRASH/sri.key" >out &&
	grep -F "attack: quiz.box_pk replaced" out
'

test_expect_success '(a) then the post-test refuses to start; nothing is sealed to her key' '
	T=$(cat training) &&
	test_exit 1 wati quiz take --training "$T" --bank tes-kecil --kind post <<-EOF 2>err &&
	b [ac]
	EOF
	grep -F "Kunci kuis tidak sah; tes tidak dapat dimulai. Hubungi admin." err &&
	sri_atk attempts sri "$TRASH/sri.key" >out &&
	cat out &&
	grep -Fx "0 readable" out &&
	sri_atk answers sri "$TRASH/sri.key" >out &&
	grep -Fx "0 readable" out
'

test_expect_success 'a trainer session puts the right key back; the post-test then works' '
	trainer quiz list >/dev/null &&
	T=$(cat training) &&
	echo "b a" | wati quiz take --training "$T" --bank tes-kecil --kind post >out &&
	grep -F "Jawaban tersimpan" out &&
	trainer quiz report --bank tes-kecil --format csv --table attempts >csv &&
	grep "^wati,.*,post,tes-kecil,1,1,2,50.0,0" csv &&
	sri_atk attempts sri "$TRASH/sri.key" >out &&
	grep -Fx "0 readable" out
'

test_done
