#!/bin/sh
# Runs every test and prints one closing line: "N passed, N failed".
#   sh tests/run.sh [unit|cli|e2e|crash ...]     (default: all)
# Environment: BUILD (build dir), POSYANDU_BIN (the binary), STRESS=1 (long crash runs),
# RUNNER (a program to run the unit tests with, e.g. qemu-aarch64 for a cross build).
BUILD=${BUILD:-build}
POSYANDU_BIN=${POSYANDU_BIN:-$(pwd)/posyandu}
export BUILD POSYANDU_BIN
passed=0
failed=0
failures=""
logdir=$(mktemp -d "${TMPDIR:-/tmp}/posyandu-tests.XXXXXX")
trap 'rm -rf "$logdir"' EXIT

count() {   # $1 = log file, $2 = name, $3 = exit code
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^# passed \([0-9]*\) failed [0-9]*$/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^# passed [0-9]* failed \([0-9]*\)$/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then
		f=1     # crashed or failed before reporting
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" != 0 ]; then
		failures="$failures $2"
		echo "---- $2 (exit $3) ----"
		tail -n 40 "$1"
	fi
	printf '%-40s %4d passed, %d failed\n' "$2" "$p" "$f"
}

run_one() {  # name, command...
	name=$1; shift
	log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	"$@" >"$log" 2>&1
	rc=$?
	# Figures lines (crash, kdf, ...) are part of what make check prints.
	grep -E '^(crash|control|figures|kdf|growth|bench|bundles|sync|http|fuzz) ' "$log" || true
	count "$log" "$name" $rc
}

parts=${*:-unit e2e crash}
for part in $parts; do
	case $part in
	unit)
		for t in "$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			run_one "unit/${t##*/}" env CMOCKA_MESSAGE_OUTPUT=STDOUT ${RUNNER:-} "$t"
		done ;;
	e2e)
		command -v tmux >/dev/null || { echo "tmux missing: e2e tests need it" >&2; failed=$((failed + 1)); continue; }
		for t in tests/e2e/t*.sh; do
			[ -f "$t" ] || continue
			run_one "e2e/${t##*/}" sh "$t"
		done ;;
	crash)
		for t in tests/crash/t*.sh; do
			[ -f "$t" ] || continue
			run_one "crash/${t##*/}" sh "$t"
		done ;;
	esac
done
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
