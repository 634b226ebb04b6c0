#!/bin/sh
# Device key rotation (issue 13.10, SECURITY.md §2.9): the posyandu admin
# makes a new device key pair and a request cross-signed by the old and the
# new key; the district officer compares its fingerprint and replaces the
# enrolled keys; the device applies the district's signed answer. Then the
# kader's slot moves to the new key at her next login, the audit log still
# verifies, bundles signed by the new key import, one signed by the old key
# after the switch is refused (the next export carries its changes), and a
# forged request or a wrong fingerprint changes nothing.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf '739164\n' >"$TRASH/pin.sri"
printf '615283\n' >"$TRASH/pin.tri"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" --user ani --pin-file "$TRASH/pin" "$@"; }
sri() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" --user sri --pin-file "$TRASH/pin.sri" "$@"; }
tri() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" --user tri --pin-file "$TRASH/pin.tri" "$@"; }
outcome() { sed -n "s|^$1: \([a-z ]*\):.*|\1|p" out; }
devfpr() { sv device list | sed -n "s/^[0-9a-f]*	P-0001	[a-z]*	//p"; }
# Export to a fresh folder of the stick: the bundle's path.
export_to() { rm -rf "$STICK/$1" && mkdir "$STICK/$1" && dev export --to "$STICK/$1" >/dev/null && ls "$STICK/$1"/*.pyb; }
# Two forged requests from a real one (the attacker holds no old key).
cat >"$TRASH/forge.py" <<'PY'
import sys, hashlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization as ser
raw = lambda k: k.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
sign = lambda k, dom, body: k.sign(hashlib.blake2b(dom + b"\0" + body, digest_size=64).digest())
r = bytearray(open(sys.argv[1], "rb").read())
a1, a2 = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
# 1: the enrolled old key named, the attacker new key: only the new key signs
f = bytearray(r); f[112:144] = raw(a2)
f[192:256] = sign(a1, b"posyandu/v1/rekey-old", bytes(f[:192]))
f[256:320] = sign(a2, b"posyandu/v1/rekey-new", bytes(f[:256]))
open("forged1", "wb").write(f)
# 2: both signatures good, but the "old" key is not the enrolled one
g = bytearray(r); g[48:80] = raw(a1); g[112:144] = raw(a2)
g[192:256] = sign(a1, b"posyandu/v1/rekey-old", bytes(g[:192]))
g[256:320] = sign(a2, b"posyandu/v1/rekey-new", bytes(g[:256]))
open("forged2", "wb").write(g)
PY

test_expect_success 'an enrolled device with an admin and a kader, one bundle imported' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	"$P" --lang en --config "$CONF" --data "$TRASH/d1" --pin-file "$TRASH/pin" init \
		--code P-0001 --name "Posyandu Mawar" --admin ani >/dev/null &&
	dev user add sri --role kader --new-pin-file "$TRASH/pin.sri" >/dev/null &&
	dev user add tri --role kader --new-pin-file "$TRASH/pin.tri" >/dev/null &&
	dev demo --children 6 --months 3 --seed 5 >/dev/null &&
	printf "y\n" | dev enroll --district-key "$(cat key)" --request-out "$STICK/req" >/dev/null &&
	sv device add "$STICK/req" >/dev/null &&
	sv device approve "$(sv device list | cut -f1)" >/dev/null &&
	B=$(export_to b1) && sv import "$B" >out && test "$(outcome "$B")" = success &&
	dev import "${B%.pyb}.pyr" >/dev/null &&
	devfpr >fpr.before && test -s fpr.before
'

test_expect_success 'a bundle signed by the old key, made before the request' '
	dev demo --children 1 --months 1 --seed 11 >/dev/null &&
	export_to old >bold && test -s bold
'

test_expect_success 'key rotate --device writes a 320-byte request and its fingerprint' '
	dev key rotate --device --out "$STICK/rekey.req" >out &&
	test $(stat -c %s "$STICK/rekey.req") = 320 &&
	grep -A1 "fingerprint" out | tail -n 1 | sed "s/^ *//" >rfpr &&
	grep -Eq "^[0-9]{4}( [0-9]{4}){5}$" rfpr &&
	dev audit verify >/dev/null
'

test_expect_success 'the device keeps signing with the old key until the answer' '
	sv import "$(cat bold)" >out && test "$(outcome "$(cat bold)")" = success &&
	devfpr >fpr.now && cmp fpr.before fpr.now &&
	dev demo --children 1 --months 1 --seed 12 >/dev/null &&
	export_to old2 >bold2 && test -s bold2
'

test_expect_success 'without the digits, or with wrong ones, the district changes nothing' '
	test_exit 1 sv device rekey "$STICK/rekey.req" --out "$STICK/ans" >out 2>err &&
	grep -q "fingerprint: $(cat rfpr)" out && test ! -e "$STICK/ans" &&
	test_exit 1 sv device rekey "$STICK/rekey.req" --fingerprint "1234 5678 9012 3456 7890 1234" \
		--out "$STICK/ans" 2>err &&
	grep -q "fingerprint" err && test ! -e "$STICK/ans" &&
	devfpr >fpr.now && cmp fpr.before fpr.now
'

test_expect_success 'a forged request (not signed by the enrolled key) is refused' '
	python3 "$TRASH/forge.py" "$STICK/rekey.req" &&
	test_exit 1 sv device rekey forged1 --fingerprint "$(cat rfpr)" --out "$STICK/ans" 2>err &&
	grep -q "not signed by the old device key" err &&
	test_exit 1 sv device rekey forged2 --out "$STICK/ans" >out 2>err &&
	f2=$(sed -n "s/^fingerprint: //p" out) &&
	test_exit 1 sv device rekey forged2 --fingerprint "$f2" --out "$STICK/ans" 2>err &&
	grep -q "old key is not the one enrolled" err &&
	test ! -e "$STICK/ans" && devfpr >fpr.now && cmp fpr.before fpr.now
'

test_expect_success 'the district replaces the keys and answers; the device switches' '
	sv device rekey "$STICK/rekey.req" --fingerprint "$(cat rfpr)" --out "$STICK/ans" >out &&
	test $(stat -c %s "$STICK/ans") = 200 &&
	devfpr >fpr.after && ! cmp -s fpr.before fpr.after &&
	sv device rekey "$STICK/rekey.req" --fingerprint "$(cat rfpr)" --out "$STICK/ans2" >/dev/null &&
	dev key rotate --device --finish "$STICK/ans" >out &&
	grep -q "Device key replaced" out && grep -q "^2 users pin the new key" out &&
	test_exit 1 dev key rotate --device --finish "$STICK/ans" 2>err &&
	dev audit verify >/dev/null
'

test_expect_success 'the kader logs in: her slot pins the new key; the log verifies' '
	sri person list >/dev/null &&
	dev audit >out && test $(grep -c "slot pins the new device key" out) = 1 &&
	sri person list >/dev/null &&
	dev audit >out && test $(grep -c "slot pins the new device key" out) = 1 &&
	grep -q "device key replaced" out &&
	dev audit verify >/dev/null
'

test_expect_success 'a bundle signed by the old key, carried after the switch, is refused' '
	cp "$(cat bold2)" stale.pyb && test_exit 1 sv import stale.pyb >out &&
	test "$(outcome stale.pyb)" = "signature failure"
'

test_expect_success 'the next bundle is signed by the new key, imports, and carries the refused changes' '
	B=$(export_to b2) && sv import "$B" >out && test "$(outcome "$B")" = success &&
	grep -q " [1-9][0-9]* new, " out &&
	dev import "${B%.pyb}.pyr" >out && grep -q "acknowledged up to change" out
'

test_expect_success 'a data key rotation, then a second device key (its answer lost once): a kader away all along follows both' '
	dev key rotate >/dev/null &&
	dev key rotate --device --out "$STICK/rekey2.req" >out &&
	grep -A1 "fingerprint" out | tail -n 1 | sed "s/^ *//" >rfpr2 &&
	sv device rekey "$STICK/rekey2.req" --fingerprint "$(cat rfpr2)" --out "$STICK/lost" >/dev/null &&
	rm "$STICK/lost" &&
	dev key rotate --device --out "$STICK/rekey3.req" >out &&
	grep -A1 "fingerprint" out | tail -n 1 | sed "s/^ *//" >rfpr3 &&
	sv device rekey "$STICK/rekey3.req" --fingerprint "$(cat rfpr3)" --out "$STICK/ans3" >/dev/null &&
	test_exit 1 dev key rotate --device --finish "$STICK/ans" 2>err &&
	dev key rotate --device --finish "$STICK/ans3" >/dev/null &&
	tri person list >/dev/null && sri person list >/dev/null &&
	dev audit >out && test $(grep -c "slot pins the new device key" out) = 3 &&
	dev audit verify >/dev/null &&
	dev demo --children 1 --months 1 --seed 13 >/dev/null &&
	B=$(export_to b3) && sv import "$B" >out && test "$(outcome "$B")" = success
'

test_expect_success 'a link made by SQL (not signed by the pinned key) moves no slot' '
	cp -r "$TRASH/d1" "$TRASH/dx" &&
	sqlite3 "$TRASH/dx/posyandu.db" "INSERT INTO device_key_links(from_pk, to_pk, sig, at)
		VALUES((SELECT value FROM meta WHERE key = \"device.sign_pk\"), randomblob(32), zeroblob(64), 0);
		UPDATE meta SET value = (SELECT to_pk FROM device_key_links WHERE at = 0)
		WHERE key = \"device.sign_pk\"" &&
	test_exit 1 "$P" --lang en --config "$CONF" --data "$TRASH/dx" --user sri \
		--pin-file "$TRASH/pin.sri" person list 2>err &&
	grep -q "device key" err
'

test_done
