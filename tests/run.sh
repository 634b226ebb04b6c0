#!/bin/sh
# Runs every test and prints one closing line: "N passed, N failed".
#   sh tests/run.sh [unit|cli|e2e|crash|e2e-pg ...]     (default: all)
# Environment: BUILD (build dir), POSYANDU_BIN (the binary), STRESS=1 (long crash runs),
# RUNNER (a program to run the unit tests with, e.g. qemu-aarch64 for a cross build).
# PG_TESTS="t0610 t0680" (make asan): e2e-pg runs only those.
# e2e-pg: the district server's e2e tests again with the store on PostgreSQL
# (issue 16): a throwaway cluster in a temporary folder (tests/pg/cluster.sh,
# or the one in POSYANDU_PG_DIR if set), posyandu-server through
# tests/pg/sv-pg.sh, named e2e-pg/tNNNN-... in the output.
BUILD=${BUILD:-build}
POSYANDU_BIN=${POSYANDU_BIN:-$(pwd)/posyandu}
export BUILD POSYANDU_BIN
passed=0
failed=0
failures=""
logdir=$(mktemp -d "${TMPDIR:-/tmp}/posyandu-tests.XXXXXX")
pgdir=""    # the cluster e2e-pg started, stopped on the way out whatever happens
trap 'rm -rf "$logdir"; [ -z "$pgdir" ] || sh tests/pg/cluster.sh stop "$pgdir"' EXIT
trap 'exit 130' HUP INT TERM

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

# e2e-pg: start the cluster, or say plainly why not (counted as a failure).
pg_cluster() {
	[ -z "${POSYANDU_PG_DIR:-}" ] || return 0
	if ! sh tests/pg/cluster.sh bindir >/dev/null; then
		echo "PostgreSQL not installed: apt-get install postgresql (the e2e-pg tests need it)"
		return 1
	fi
	pgdir=$(mktemp -d /tmp/posyandu-pg.XXXXXX) &&
		sh tests/pg/cluster.sh start "$pgdir" >/dev/null || {
		echo "e2e-pg: could not start a PostgreSQL cluster in $pgdir"
		return 1
	}
	POSYANDU_PG_DIR=$pgdir
}

parts=${*:-unit e2e crash e2e-pg}
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
	e2e-pg)
		pg_cluster || { failed=$((failed + 1)); failures="$failures e2e-pg"; continue; }
		for t in tests/e2e/t*.sh; do
			grep -q POSYANDU_SERVER_BIN "$t" || continue    # the server's tests only
			if [ -n "${PG_TESTS:-}" ]; then              # a chosen few (make asan)
				n=${t##*/}
				echo " $PG_TESTS " | grep -q " ${n%%-*} " || continue
			fi
			run_one "e2e-pg/${t##*/}" env POSYANDU_PG_DIR="$POSYANDU_PG_DIR" \
				POSYANDU_SERVER_REAL="$(dirname "$POSYANDU_BIN")/posyandu-server" \
				POSYANDU_SERVER_BIN="$(pwd)/tests/pg/sv-pg.sh" sh "$t"
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
