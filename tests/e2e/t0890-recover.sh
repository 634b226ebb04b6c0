#!/bin/sh
# District recovery (issue 13.10, SECURITY.md §2.2, §4 "lost passphrase"):
# every admin of an enrolled device forgot the PIN; the locked device asks,
# the district answers through the recovery slot after the fingerprint is
# read aloud, and a new admin logs in. Wrong fingerprints, tampered and
# replayed answers, and a kader without the request's PIN are refused.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
printf '731946\n' >"$TRASH/pin.new"
printf '590317\n' >"$TRASH/pin.kader"
printf '264803\n' >"$TRASH/pin.other"
DS=$TRASH/district
STICK=$TRASH/stick
mkdir -p "$STICK"
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { "$P" --lang en --config "$CONF" --data "$TRASH/d1" "$@"; }
ani() { dev --user ani --pin-file "$TRASH/pin" "$@"; }

test_expect_success 'setup: a device enrolled and approved, with records and a kader' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null &&
	sv pubkey >key &&
	dev --pin-file "$TRASH/pin" init --code P-0001 --name "Posyandu Mawar" --admin ani >/dev/null &&
	ani demo --children 5 --months 2 --seed 4 >/dev/null &&
	ani user add sri --role kader --new-pin-file "$TRASH/pin.kader" &&
	printf "y\n" | ani enroll --district-key "$(cat key)" --request-out "$STICK/req" >/dev/null &&
	sv device add "$STICK/req" >/dev/null &&
	sv device approve "$(sv device list | cut -f1)" >/dev/null &&
	ani person list --format csv >people.before
'

test_expect_success 'before enrolment there is nothing to recover with' '
	"$P" --lang en --config "$CONF" --data "$TRASH/d0" --pin-file "$TRASH/pin" init --code P-0009 --name X --admin ani >/dev/null &&
	test_exit 1 "$P" --lang en --config "$CONF" --data "$TRASH/d0" --pin-file "$TRASH/pin.new" recover request --admin ani2 --out r0 2>err &&
	grep -q "not enrolled" err && test ! -e r0
'

test_expect_success 'recover request: locked, new PIN from a file, a 24-digit fingerprint' '
	test_exit 1 dev --pin-file "$TRASH/pin.new" recover request --admin ani --out "$STICK/rq" 2>err &&
	grep -q "exists" err &&
	dev --pin-file "$TRASH/pin.new" recover request --admin ani2 --out "$STICK/rq" >out &&
	test $(stat -c %s "$STICK/rq") = 416 &&
	sed -n "/fingerprint to the district/{n;s/^ *//;p}" out >fpr &&
	grep -Eqx "[0-9]{4}( [0-9]{4}){5}" fpr
'

test_expect_success 'the district refuses a wrong fingerprint and writes nothing' '
	test_exit 1 sv recover "$STICK/rq" --out "$STICK/ans" --fingerprint "1234 5678 9012 3456 7890 1234" 2>err &&
	grep -q "does not match" err && test ! -e "$STICK/ans" &&
	echo "0000-0000-0000-0000-0000-0000" | test_exit 1 sv recover "$STICK/rq" --out "$STICK/ans" 2>err &&
	test ! -e "$STICK/ans"
'

test_expect_success 'a kader cannot open the request secret (her PIN, her keys)' '
	ATK_PIN=590317 test_exit 3 "$ATK/atk_recover" "$TRASH/d1" open-pending sri >atk 2>&1 &&
	grep -q "did not open" atk
'

test_expect_success 'the district answers after the fingerprint is typed back (dashes ok)' '
	tr " " "-" <fpr | sv recover "$STICK/rq" --out "$STICK/ans" >out &&
	grep -q "Recovery answer written" out &&
	test $(stat -c %s "$STICK/ans") = 344
'

# each byte is changed (flip_byte: never to the value it held)
test_expect_success 'a tampered answer is refused, nothing changes' '
	for off in 40 100 200 300; do
		cp "$STICK/ans" bad.ans &&
		flip_byte bad.ans $off &&
		! cmp -s bad.ans "$STICK/ans" &&
		test_exit 1 dev --pin-file "$TRASH/pin.new" recover finish bad.ans 2>err || return 1
	done &&
	dev user list >users && ! grep -q ani2 users
'

test_expect_success 'a kader with her own PIN cannot finish the request she did not make' '
	test_exit 1 dev --pin-file "$TRASH/pin.kader" recover finish "$STICK/ans" 2>err &&
	grep -qi "PIN" err &&
	dev user list >users && ! grep -q ani2 users
'

test_expect_success 'recover finish: the new admin logs in, reads records, audit verifies' '
	dev --pin-file "$TRASH/pin.new" recover finish "$STICK/ans" >out &&
	grep -q "admin ani2" out &&
	dev --user ani2 --pin-file "$TRASH/pin.new" person list --format csv >people.after &&
	cmp people.before people.after &&
	dev --user ani2 --pin-file "$TRASH/pin.new" audit verify >out &&
	dev --user ani2 --pin-file "$TRASH/pin.new" audit >log &&
	grep -q "ani2 recovered by district" log &&
	sv device list >/dev/null
'

test_expect_success 'the recovered admin can still export (device keys intact)' '
	dev --user ani2 --pin-file "$TRASH/pin.new" export --to "$STICK" >out &&
	B=$(sed -n "s/^Bundle written: //p" out) && sv import "$B" >out &&
	grep -q ": success:" out
'

test_expect_success 'the same answer again is refused (replay)' '
	test_exit 1 dev --pin-file "$TRASH/pin.new" recover finish "$STICK/ans" 2>err &&
	grep -q "already used" err
'

test_expect_success 'an answer for a request made elsewhere is refused' '
	dev --pin-file "$TRASH/pin.other" recover request --admin ani3 --out "$STICK/rq2" >out &&
	sed -n "/fingerprint to the district/{n;s/^ *//;p}" out >fpr2 &&
	sv recover "$STICK/rq2" --out "$STICK/ans2" --fingerprint "$(cat fpr2)" >/dev/null &&
	cp -r "$TRASH/d1" "$TRASH/d1copy" &&
	"$P" --lang en --config "$CONF" --data "$TRASH/d1copy" --pin-file "$TRASH/pin.other" recover finish "$STICK/ans" >out 2>err;
	test $? = 1 &&
	test_exit 1 "$P" --lang en --config "$CONF" --data "$TRASH/d0" --pin-file "$TRASH/pin.other" recover finish "$STICK/ans2" 2>err
'

test_expect_success 'a revoked device gets no answer' '
	sv device revoke "$(sv device list | cut -f1)" >/dev/null &&
	test_exit 1 sv recover "$STICK/rq2" --out "$STICK/ans3" --fingerprint "$(cat fpr2)" 2>err &&
	grep -q "revoked" err && test ! -e "$STICK/ans3"
'

test_done
