#!/bin/sh
# Device K_data rotation (issue 13.10 point 10, SECURITY.md §2.9): a kader
# leaves who may have copied the key. The admin disables her and runs
# `posyandu key rotate`: every version is re-encrypted under a new key, so
# the copied key opens no current version and no later audit detail; the
# other kader gets the new key at her next login and still reads every
# record, old ones too; the audit log still verifies; a kader who has not
# logged in since the rotation still can, even after a second rotation.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin.admin"
printf '739164\n' >"$TRASH/pin.sri"
printf '615283\n' >"$TRASH/pin.eka"
printf '852947\n' >"$TRASH/pin.tri"
pc() { "$P" --config "$CONF" --data "$D" "$@"; }
admin() { pc --user ani --pin-file "$TRASH/pin.admin" "$@"; }
sri() { pc --user sri --pin-file "$TRASH/pin.sri" "$@"; }
eka() { pc --user eka --pin-file "$TRASH/pin.eka" "$@"; }
tri() { pc --user tri --pin-file "$TRASH/pin.tri" "$@"; }
count() { "$@" --format csv | tail -n +2 | wc -l; }

test_expect_success 'a store with an admin, three kader and some records' '
	pc init --code P-0001 --name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin.admin" >/dev/null &&
	admin user add sri --role kader --new-pin-file "$TRASH/pin.sri" >/dev/null &&
	admin user add eka --role kader --new-pin-file "$TRASH/pin.eka" >/dev/null &&
	admin user add tri --role kader --new-pin-file "$TRASH/pin.tri" >/dev/null &&
	admin demo --children 20 --months 6 --seed 7 >/dev/null &&
	test $(count sri person list) -gt 20 &&
	count admin person list >n.before
'

test_expect_success 'the leaving kader copies her K_data' '
	ATK_PIN=615283 "$ATK/atk_oldkey" save "$D" eka "$TRASH/eka.key" >out &&
	grep -q "^attack:" out &&
	"$ATK/atk_oldkey" read "$D" "$TRASH/eka.key" >out &&
	grep -q "^versions [1-9][0-9]* opened [1-9]" out
'

test_expect_success 'disable hints at the rotation; a kader cannot rotate' '
	admin user disable eka >out 2>err &&
	grep -q "posyandu key rotate" err &&
	test_exit 1 sri key rotate 2>err &&
	test_exit 1 eka person list 2>err
'

test_expect_success 'key rotate re-encrypts every version in one go' '
	admin key rotate >out 2>err &&
	grep -q "epoch 2" out &&
	grep -q "versi" err &&
	admin demo --children 3 --months 2 --seed 8 >/dev/null
'

test_expect_success 'the copied key opens no current version and no later audit detail' '
	"$ATK/atk_oldkey" read "$D" "$TRASH/eka.key" >out &&
	cat out &&
	grep -q "^versions [1-9][0-9]* opened 0$" out &&
	grep -q "^audit [1-9][0-9]* opened 0$" out
'

test_expect_success 'the admin reads everything and the audit log verifies' '
	count admin person list >n.after &&
	test $(cat n.after) -gt $(cat n.before) &&
	admin audit verify >out && grep -q "Log audit utuh" out &&
	admin audit >out && grep -q "data key rotated: epoch 2" out
'

test_expect_success 'a kader gets the new key at her next login and reads old records too' '
	test $(count sri person list) = $(cat n.after) &&
	test $(count sri person list) = $(cat n.after) &&
	admin audit >out && grep -q "data key of epoch 2 received" out &&
	admin audit verify >/dev/null
'

test_expect_success 'the disabled kader stays out' '
	test_exit 1 eka person list 2>err && grep -q "dinonaktifkan" err
'

test_expect_success 'a second rotation; a kader who missed both still logs in' '
	admin key rotate >out 2>/dev/null && grep -q "epoch 3" out &&
	test $(count tri person list) = $(cat n.after) &&
	test $(count sri person list) = $(cat n.after) &&
	admin audit verify >/dev/null &&
	"$ATK/atk_oldkey" read "$D" "$TRASH/eka.key" >out &&
	grep -q "^versions [1-9][0-9]* opened 0$" out
'

test_expect_success 'a version edited after the rotation is still caught' '
	cp -r "$D" "$TRASH/t" &&
	sqlite3 "$TRASH/t/posyandu.db" "UPDATE versions SET ct = randomblob(length(ct)) WHERE seq = 1" &&
	test_exit 1 "$P" --config "$CONF" --data "$TRASH/t" --user ani --pin-file "$TRASH/pin.admin" audit verify 2>err
'

test_expect_success 'made-up rekey rows are caught' '
	rm -rf "$TRASH/t" && cp -r "$D" "$TRASH/t" &&
	sqlite3 "$TRASH/t/posyandu.db" "UPDATE version_rekeys SET after = zeroblob(32) WHERE vid = (SELECT vid FROM version_rekeys WHERE epoch = 2 LIMIT 1) AND epoch = 2; SELECT changes()" >out &&
	test "$(cat out)" = 1 &&
	test_exit 1 "$P" --config "$CONF" --data "$TRASH/t" --user ani --pin-file "$TRASH/pin.admin" audit verify 2>err
'

test_done
