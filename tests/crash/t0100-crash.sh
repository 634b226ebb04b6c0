#!/bin/sh
# tests/crash/t0100-crash.sh: crash and I/O-failure tests (SECURITY.md §3.3, §5 item 5).
#
# Each technique is one test, run by build/tests/crash/crashtest:
#   kill9     a saver reports every commit; killed with SIGKILL at random moments
#   powercut  the power-cut VFS shim drops (or tears and reorders) every unsynced write at a
#             random I/O operation
#   control   the same under synchronous=OFF: it MUST lose commits (so the harness sees a
#             missing fsync)
#   eio       xSync fails with SQLITE_IOERR_FSYNC: ERR_IO, no "saved", retry makes one copy
#   enospc    a 1 MiB tmpfs fills up (a new store and its log need about 460 KiB): ERR_FULL, no "saved", store intact (needs root, else SKIP)
#   efbig     ulimit -f: SIGXFSZ kills the saver; with SIGXFSZ ignored the save fails with ERR_IO
# After every injection the store is reopened and checked: every acknowledged record is there and
# decrypts, no duplicates, integrity_check and foreign_key_check are clean.
#
# Environment:
#   BUILD=dir   where the program is (default build; build-san under sanitizers)
#   STRESS=1    1,000 injections of kill -9 and power cut (make stress); default 200 (make check)
#   CRASH_N=n   injections of kill -9 and power cut, overriding both
#   SEED=n      reproduce the random choices of a run (printed below)
#   TMPDIR      where the test stores go; KEEP=1 keeps them
# Prints the figures lines ("crash ...", "control ...") and "# passed P failed F".
BUILD=${BUILD:-build}
prog="$BUILD/tests/crash/crashtest"
passed=0
failed=0
skipped=0

if [ ! -x "$prog" ]; then
	echo "crashtest: $prog is missing (make $prog)"
	echo "# passed 0 failed 1"
	exit 1
fi
if [ "${STRESS:-0}" = 1 ]; then
	n=1000 ctl=100 eio=100
else
	n=200 ctl=20 eio=20
fi
n=${CRASH_N:-$n}
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
export SEED
logs=$(mktemp -d "${TMPDIR:-/tmp}/posyandu-crash.XXXXXX") || exit 1
trap 'rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM
echo "# crash tests with $prog: seed $SEED (SEED=$SEED reproduces), $n injections per kind"

run() {    # name, crashtest arguments...
	name=$1
	shift
	start=$(date +%s)
	"$prog" "$@" >"$logs/$name.log" 2>&1
	echo $? >"$logs/$name.rc"
	echo $(($(date +%s) - start)) >"$logs/$name.time"
}

# One number from the "result" line of NAME's log (0 when there is none).
field() {
	v=$(sed -n "s/^result .* $2=\([0-9]*\).*/\1/p" "$logs/$1.log" 2>/dev/null | tail -n 1)
	echo "${v:-0}"
}

judge() {  # name
	rc=$(cat "$logs/$1.rc" 2>/dev/null || echo 1)
	status=$(sed -n 's/^result .* status=\([a-z]*\).*/\1/p' "$logs/$1.log" | tail -n 1)
	t=$(cat "$logs/$1.time" 2>/dev/null || echo '?')
	grep -v '^result ' "$logs/$1.log"
	if [ "$rc" = 77 ] || [ "$status" = skip ]; then
		skipped=$((skipped + 1))
		echo "skip - $1 (${t} s)"
	elif [ "$rc" = 0 ] && [ "$status" = pass ]; then
		passed=$((passed + 1))
		echo "ok - $1 (${t} s)"
	else
		failed=$((failed + 1))
		echo "not ok - $1 (exit $rc, ${t} s)"
	fi
}

start_all=$(date +%s)
# The two long runs share the two cores; the rest are short.
run kill9 kill9 "$n" &
run powercut powercut "$n" &
wait
run control powercut "$ctl" --sync off
run eio eio "$eio"
run enospc enospc
run efbig efbig
for t in kill9 powercut control eio enospc efbig; do
	judge $t
done

sum() {    # key: kill -9 + power cut + fsync EIO + ENOSPC
	echo $(($(field kill9 "$1") + $(field powercut "$1") + $(field eio "$1") + $(field enospc "$1")))
}
if grep -q '^result enospc .*status=skip' "$logs/enospc.log"; then
	enospc="0 (skipped: no tmpfs)"
else
	enospc=$(field enospc injections)
fi
echo "# power cuts: $(field powercut garbled) of $(field powercut injections) tore and reordered" \
	"the unsynced writes instead of dropping them all"
echo "# crash tests took $(($(date +%s) - start_all)) s"
echo "crash   kill-9 $(field kill9 injections) | power-cut(sim) $(field powercut injections)" \
	"| fsync-EIO $(field eio injections) | ENOSPC $enospc →" \
	"acked $(sum acked), lost $(sum lost), corrupt $(sum corrupt), dup $(sum dup)"
echo "control synchronous=OFF under power-cut(sim):" \
	"lost $(field control lost)/$(field control acked)" \
	"(must be > 0: the harness sees a missing fsync)"
echo "crash   ulimit-f $(field efbig injections)" \
	"(SIGXFSZ kills; ignored, the save fails with ERR_IO) →" \
	"acked $(field efbig acked), lost $(field efbig lost)," \
	"corrupt $(field efbig corrupt), dup $(field efbig dup)"
[ "$skipped" = 0 ] || echo "# skipped $skipped"
echo "# passed $passed failed $failed"
[ "$failed" = 0 ]
