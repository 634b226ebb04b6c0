#!/bin/sh
# District X25519 key rotation (issue 13.10, SECURITY.md §2.9): a new key and
# key id; the receipt carries a key update signed by the district; the device
# re-pins and re-seals its recovery slot; a bundle sealed to the old key and
# still in transit imports; recovery works against the new key; after a
# prune the old key is gone.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf '731946\n' >"$TRASH/pin.new"
DS=$TRASH/district
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" "$@"; }
ani() { dev --user ani --pin-file "$TRASH/pin" "$@"; }
kid() { od -An -tx1 -j32 -N8 "$1" | tr -d " \n"; }
written() { sed -n "s/^Bundle written: //p" out; }

test_expect_success 'setup: enrolled, approved, first bundle and receipt (no key update)' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key1 &&
	dev --pin-file "$TRASH/pin" init --code P-0001 --name "Posyandu Mawar" --admin ani >/dev/null &&
	ani demo --children 3 --months 1 --seed 4 >/dev/null &&
	mkdir s0 && printf "y\n" | ani enroll --district-key "$(cat key1)" --request-out s0/req >/dev/null &&
	sv device add s0/req >/dev/null && sv device approve "$(sv device list | cut -f1)" >/dev/null &&
	ani export --to s0 >out && B0=$(written) && sv import "$B0" >/dev/null &&
	test $(stat -c %s "${B0%.pyb}.pyr") = 184 && ani import "${B0%.pyb}.pyr" >/dev/null
'

test_expect_success 'a bundle in transit, then the district rotates its key' '
	ani demo --children 2 --months 1 --seed 5 >/dev/null &&
	mkdir s1 && ani export --to s1 >out && written >b1 &&
	sv key rotate >out && grep -q "rotated (serial 1)" out &&
	sv pubkey >key2 && ! cmp -s key1 key2
'

test_expect_success 'the old-key bundle still imports; its receipt carries the key update' '
	B1=$(cat b1) && sv import "$B1" >out && grep -q ": success:" out &&
	test $(stat -c %s "${B1%.pyb}.pyr") = 328
'

test_expect_success 'the device verifies the update, re-pins; the next bundle goes to the new key' '
	B1=$(cat b1) && ani import "${B1%.pyb}.pyr" >out && grep -q "acknowledged" out &&
	ani audit >log && grep -q "recovery slot sealed" log &&
	ani demo --children 1 --months 1 --seed 6 >/dev/null &&
	mkdir s2 && ani export --to s2 >out && B2=$(written) &&
	test "$(kid "$B2")" != "$(kid "$B1")" &&
	sv import "$B2" >out && grep -q ": success:" out &&
	ani import "${B2%.pyb}.pyr" >/dev/null && ani audit verify >/dev/null
'

test_expect_success 'a key update that does not verify is refused' '
	B2=$(ls s2/*.pyb) && R=${B2%.pyb}.pyr && cp "$R" bad.pyr &&
	flip_byte bad.pyr 230 && ! cmp -s bad.pyr "$R" &&
	test_exit 1 ani import bad.pyr 2>err
'

test_expect_success 'recovery works against the new key' '
	dev --pin-file "$TRASH/pin.new" recover request --admin ani2 --out s2/rq >out &&
	f=$(sed -n "/fingerprint to the district/{n;s/^ *//;p}" out) &&
	sv recover s2/rq --out s2/ans --fingerprint "$f" >/dev/null &&
	dev --pin-file "$TRASH/pin.new" recover finish s2/ans >/dev/null &&
	dev --user ani2 --pin-file "$TRASH/pin.new" person list >/dev/null
'

test_expect_success 'over HTTP too: a sync after another rotation re-pins the device' '
	sv key rotate >out && grep -q "rotated (serial 2)" out &&
	serve_on "$DS" serve.log &&
	printf "[sync]\nserver = %s\n" "$URL" >>"$CONF" &&
	ani demo --children 1 --months 1 --seed 7 >/dev/null &&
	ani sync --retries 0 >out 2>&1 &&
	serve_stop; sed -i "/^\[sync\]/,\$d" "$CONF" &&
	ani demo --children 1 --months 1 --seed 8 >/dev/null &&
	mkdir s3 && ani export --to s3 >out && B3=$(written) && B2=$(ls s2/*.pyb) &&
	test "$(kid "$B3")" != "$(kid "$B2")" &&
	sv import "$B3" >out && grep -q ": success:" out
'

test_expect_success 'key prune destroys the retired keys: an old-key bundle is then refused' '
	sv key prune >out && grep -q "^0 retired" out &&
	sv key prune --days 0 >out && grep -q "^2 retired" out &&
	test_exit 1 sv import "$(cat b1)" >out && grep -q "wrong recipient" out
'

test_done
