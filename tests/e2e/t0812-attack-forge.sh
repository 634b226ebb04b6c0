#!/bin/sh
# Issue 13.3 (review): a kader with her own PIN forges a version of a person
# as if another device made it (random device id, highest lamport), points
# the head at it and writes one ordinary entry of her own. Entries carry the
# version count forward instead of recounting the table, so unlock warns;
# `audit verify` checks that the entries' ranges hold exactly the versions
# they added and that only saves, deletes and imports add any, so her own
# code counting the version in her login entry is found too. (A version of
# an import sealed again in place: tests/unit/test_cert.c.)
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.kader"
admin() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user ani --pin-file "$TRASH/pin.admin" "$@"; }
kader() { d=$1; shift; "$P" --config "$CONF" --data "$d" --user sri --pin-file "$TRASH/pin.kader" "$@"; }

test_expect_success 'a store with two people' '
	"$P" --config "$CONF" --data "$D" init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin "$D" user add sri --role kader --new-pin-file "$TRASH/pin.kader" >/dev/null &&
	dob=$(tdate "-10 months" +%d-%m-%Y) &&
	printf "ref,kind,name,sex,dob\nA1,child,Novi Wijaya,P,%s\nA2,child,Ani Lestari,P,%s\n" "$dob" "$dob" >p1.csv &&
	kader "$D" load people p1.csv >/dev/null &&
	kader "$D" person list >out 2>err && grep -q "Novi Wijaya" out && test ! -s err &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_expect_success 'a forged version absorbed by her next entry: unlock warns, verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	ATK_PIN=739164 "$ATK/atk_forge" "$TRASH/a" sri forge >out && grep -q "^attack:" out &&
	kader "$TRASH/a" person list >out 2>err &&
	grep -q "ZZvi Wijaya" out &&
	grep -q "data dihapus atau dikembalikan ke versi lama" err &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "data dihapus atau dikembalikan" err
'

test_expect_success 'the warning stays: her later logins do not absorb the version' '
	kader "$TRASH/a" person list >out 2>err &&
	grep -q "data dihapus atau dikembalikan ke versi lama" err &&
	test_exit 1 admin "$TRASH/a" audit verify
'

test_expect_success 'her own code counting the version in a login entry: verify fails' '
	rm -rf "$TRASH/a" && cp -r "$D" "$TRASH/a" &&
	ATK_PIN=739164 "$ATK/atk_forge" "$TRASH/a" sri forge-count >out && grep -q "^attack:" out &&
	test_exit 1 admin "$TRASH/a" audit verify 2>err &&
	grep -q "data dihapus atau dikembalikan" err
'

test_expect_success 'the untouched store: no warning, verify passes' '
	kader "$D" person list >out 2>err && test ! -s err &&
	admin "$D" audit verify >out && grep -q "Log audit utuh" out
'

test_done
