#!/bin/sh
# An export is recorded only once its copy on the stick is durable and
# read back (issue 13 point 7, SECURITY.md §3.2 step 9), and the outbox
# keeps only what the district has not acknowledged. Needs root for the
# small tmpfs that plays a full stick.
. "$(dirname "$0")/lib.sh"
SV=${POSYANDU_SERVER_BIN:-$(dirname "$P")/posyandu-server}
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf 'district passphrase for the tests\n' >"$TRASH/pass"
printf '482915\n' >"$TRASH/pin"
DS=$TRASH/district
D=$TRASH/d1
sv() { "$SV" --config "$CONF" --data "$DS" --pin-file "$TRASH/pass" "$@"; }
dev() { "$P" --lang en --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/pin" "$@"; }
outbox() { ls "$D/outbox" 2>/dev/null | grep "\.pyb$" | sort; }

mkdir -p full
if ! mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
	say "# SKIP: cannot mount a tmpfs (not root)"
	say "# passed 0 failed 0"
	exit 0
fi
trap 'umount "$TRASH/full" 2>/dev/null; cleanup' EXIT

test_expect_success 'an enrolled, approved device with data' '
	sv init --code KAB-CIANJUR --name "Dinkes Cianjur" >/dev/null && sv pubkey >key &&
	"$P" --config "$CONF" --data "$D" --pin-file "$TRASH/pin" init --code P-0001 --name Mawar --admin ani >/dev/null &&
	dev demo --children 8 --months 4 --seed 3 >/dev/null &&
	mkdir s0 && printf "y\n" | dev enroll --district-key "$(cat key)" --request-out s0/req >/dev/null &&
	sv device add s0/req >/dev/null &&
	sv device approve "$(sv device list | grep "	pending	" | cut -f1)" >/dev/null
'

test_expect_success 'a full stick: refused, exit 1, nothing on it, nothing recorded' '
	test_exit 1 dev export --to full >out 2>err &&
	grep -q "The USB drive is full" err &&
	test -z "$(ls -A full)" &&
	dev audit >log && ! grep -q "bundle #" log &&
	test -z "$(outbox)"
'

test_expect_success 'a stick with room: export #1, recorded after read-back, delivered' '
	mkdir s1 && dev export --to s1 >out &&
	grep -q "^  #1: " out &&
	B1=$(sed -n "s/^Bundle written: //p" out) && test -f "$B1" &&
	test -z "$(ls -A s1 | grep "\.part$")" &&
	dev audit >log && grep -q "bundle #1 made" log && grep -q "bundle delivered: .*s1/" log &&
	! grep -q "bundle #2" log &&
	outbox >ob && test $(wc -l <ob) = 1 && cmp "$B1" "$D/outbox/$(cat ob)" &&
	echo "$B1" >b1
'

test_expect_success 'a full stick again later: still nothing recorded, the next is #2' '
	dev demo --children 2 --months 1 --seed 5 >/dev/null &&
	test_exit 1 dev export --to full 2>err && grep -q "The USB drive is full" err &&
	test -z "$(ls -A full)" && outbox >ob && test $(wc -l <ob) = 1 &&
	mkdir s2 && dev export --to s2 >out && grep -q "^  #2: " out &&
	sed -n "s/^Bundle written: //p" out >b2 && outbox >ob && test $(wc -l <ob) = 2
'

test_expect_success 'the receipt for #1: its outbox file goes, #2 (unacknowledged) stays' '
	sv import "$(cat b1)" >out && grep -q ": success" out &&
	R=$(sed "s/\.pyb$/.pyr/" b1) && test -f "$R" &&
	dev import "$R" >out && grep -q "acknowledged up to change" out &&
	outbox >ob && test $(wc -l <ob) = 1 && cmp "$(cat b2)" "$D/outbox/$(cat ob)"
'

test_expect_success 'the receipt for #2: the outbox is empty; the same receipt again is harmless' '
	sv import "$(cat b2)" >out && grep -q ": success" out &&
	R=$(sed "s/\.pyb$/.pyr/" b2) && dev import "$R" >/dev/null &&
	test -z "$(outbox)" &&
	dev import "$R" >out && grep -q "before: nothing changed" out &&
	dev audit verify >out && grep -q "[0-9]" out
'

test_done
