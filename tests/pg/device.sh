#!/bin/sh
# tests/pg/device.sh N: one enrolled device of the fleet (tests/pg/fleet.sh),
# run by xargs from the test's folder: posyandu init for posyandu P-NNNN,
# enrolment over HTTP (pending until the district approves it), and
# $FLEET_BUNDLES bundles, each after a little demo data, in out/N/K/.
# Environment: POSYANDU_BIN, FLEET_CONF (its [sync] server is the district),
# FLEET_PIN, FLEET_KEY (the district key string), FLEET_BUNDLES,
# FLEET_PER_POSYANDU (devices 1..K are P-0001, K+1..2K P-0002, ...; 1).
set -u
i=$1
d=dev/$i
dev() { "$POSYANDU_BIN" --lang en --config "$FLEET_CONF" --data "$d" --user ani --pin-file "$FLEET_PIN" "$@"; }
fail() { echo "device $i: $*" >&2; exit 255; }    # 255: xargs stops

"$POSYANDU_BIN" --lang en --config "$FLEET_CONF" --data "$d" --pin-file "$FLEET_PIN" \
	init --code "$(printf 'P-%04d' $(( (i - 1) / ${FLEET_PER_POSYANDU:-1} + 1 )))" \
	--name "Posyandu $i" --admin ani >/dev/null || fail init
printf 'y\n' | dev enroll --district-key "$FLEET_KEY" >"$d.enrol" 2>&1 || { cat "$d.enrol" >&2; fail enroll; }
k=1
while [ "$k" -le "$FLEET_BUNDLES" ]; do
	mkdir -p "out/$i/$k" || fail mkdir
	dev demo --children 1 --months 1 --seed $((i * 10 + k)) >/dev/null || fail "demo $k"
	dev export --to "out/$i/$k" >/dev/null || fail "export $k"
	k=$((k + 1))
done
