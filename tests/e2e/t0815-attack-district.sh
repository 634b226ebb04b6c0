#!/bin/sh
# Issue 13.3 at the district: every upstream bundle carries the device's
# user certificates and its audit entries since its last acknowledged
# anchor; the district checks them (certificates under the enrolled device
# key, the chain from the anchor it holds, each author's signature) and
# that every version a save names is held. A version the kader deleted in
# the file before the export is refused with its reason, nothing imported;
# clean devices (several users, edits, demo batches, a second bundle after
# a receipt, a full bundle) are never refused.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf '739164\n' >"$TRASH/pin.kader"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user ani --pin-file "$TRASH/pin" "$@"; }
kader() { d=$1; shift; "$P" --lang en --config "$CONF" --data "$TRASH/$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }
newdev() { "$P" --lang en --config "$CONF" --data "$TRASH/$1" --pin-file "$TRASH/pin" init --code "$2" --name "Posyandu $1" --admin ani >/dev/null; }
outcome() { sed -n "s|^$1: \([a-z ]*\):.*|\1|p" out; }
devid() { sv device list | sed -n "s/^\([0-9a-f]*\)	$1	.*/\1/p" | head -n 1; }
# enrol device $1 (posyandu $2) and approve it
enrol() {
	printf "y\n" | dev "$1" enroll --district-key "$(cat key)" --request-out "$STICK/req-$1" >/dev/null &&
	sv device add "$STICK/req-$1" >/dev/null &&
	sv device approve "$(devid "$2")" >/dev/null
}
# export device $1 to the stick, import at the district: the bundle path in B
export_import() {
	dev "$1" export --to "$STICK" >xo && B=$(sed -n "s/^Bundle written: //p" xo) &&
	test -n "$B" && sv import "$B" >out
}

test_expect_success 'a district and a device with two users, first bundle imported' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	newdev d1 P-0001 &&
	dev d1 user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	dev d1 demo --children 4 --months 2 --seed 3 >/dev/null &&
	dob=$(tdate "-10 months" +%d-%m-%Y) &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santoso,L,%s\n" "$dob" >p1.csv &&
	kader d1 load people p1.csv >/dev/null &&
	enrol d1 P-0001 &&
	export_import d1 && test "$(outcome "$B")" = success &&
	! grep -q "no audit frames" out &&
	dev d1 import "${B%.pyb}.pyr" >/dev/null
'

test_expect_success 'new records after it; a copy of the store is kept clean' '
	printf "ref,kind,name,sex,dob\nC1,child,Citra Lestari,P,%s\n" "$dob" >p2.csv &&
	printf "ref,kind,name,sex,dob\nA1,child,Budi Santosa,L,%s\n" "$dob" >p3.csv &&
	kader d1 load people p2.csv >/dev/null && kader d1 load people p3.csv >/dev/null &&
	rm -rf "$TRASH/clean" && cp -r "$TRASH/d1" "$TRASH/clean"
'

test_expect_success 'the kader deletes the newest person in the file: the district refuses' '
	"$ATK/atk_record" "$TRASH/d1" delete-newest >o && grep -q "^attack:" o &&
	sv report monthly --month "$(tdate "" +%Y-%m)" --format csv >before.csv &&
	{ export_import d1 || true; } && test "$(outcome "$B")" = "data failure" &&
	grep -q "^$B: data failure: bundle from device [0-9a-f]*: audit entry [0-9]* saved version [0-9a-f-]* which the bundle lacks: deleted on the device$" out &&
	test $(wc -l <out) = 1 &&
	test ! -e "${B%.pyb}.pyr" &&
	sv report monthly --month "$(tdate "" +%Y-%m)" --format csv >after.csv &&
	cmp before.csv after.csv &&
	{ sv import "$B" >out || true; } && test "$(outcome "$B")" = "data failure"
'

test_expect_success 'the same changes from the clean copy import, then a second bundle after its receipt' '
	rm -rf "$TRASH/d1" && mv "$TRASH/clean" "$TRASH/d1" &&
	export_import d1 && test "$(outcome "$B")" = success &&
	dev d1 import "${B%.pyb}.pyr" >/dev/null &&
	dev d1 demo --children 2 --months 1 --seed 7 >/dev/null &&
	kader d1 load people p3.csv >/dev/null &&
	export_import d1 && test "$(outcome "$B")" = success &&
	dev d1 import "${B%.pyb}.pyr" >/dev/null
'

test_expect_success 'a full bundle again and a bundle made without its receipt: no false alarm' '
	dev d1 demo --children 1 --months 1 --seed 11 >/dev/null &&
	dev d1 export --to "$STICK" --full >xo && B=$(sed -n "s/^Bundle written: //p" xo) &&
	sv import "$B" >out && test "$(outcome "$B")" = success &&
	kader d1 load people p2.csv >/dev/null &&
	export_import d1 && test "$(outcome "$B")" = success &&
	dev d1 import "${B%.pyb}.pyr" >/dev/null &&
	dev d1 audit verify >/dev/null
'

test_expect_success 'a second device with three users and several batches' '
	newdev d2 P-0002 &&
	dev d2 user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	dev d2 user add tia --role trainer --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	dev d2 demo --children 3 --months 3 --seed 5 >/dev/null &&
	kader d2 load people p1.csv >/dev/null &&
	enrol d2 P-0002 &&
	export_import d2 && test "$(outcome "$B")" = success &&
	kader d2 load people p2.csv >/dev/null && kader d2 load people p3.csv >/dev/null &&
	"$P" --lang en --config "$CONF" --data "$TRASH/d2" --user tia --pin-file "$TRASH/pin.kader" person list >/dev/null &&
	export_import d2 && test "$(outcome "$B")" = success &&
	dev d2 import "${B%.pyb}.pyr" >/dev/null &&
	dev d2 demo --children 1 --months 2 --seed 8 >/dev/null &&
	export_import d2 && test "$(outcome "$B")" = success
'

test_done
