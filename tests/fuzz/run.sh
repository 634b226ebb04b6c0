#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS RUNS TARGET...: run each libFuzzer target
# for SECONDS or RUNS executions (whichever comes first) on its corpus in
# BUILD/corpus/<target> (seeded from the targets' own seed writer), and
# print the figures of SECURITY.md §5:
#   fuzz    bundle_outer <n> execs (<n>/s, corpus <n>, edges <n>), ... crashes 0, leaks 0, timeouts 0
# Exit status 1 when any target crashed, leaked or timed out (the input is
# kept in BUILD/fuzz-artifacts/).
build=$1 secs=$2 runs=$3
shift 3
art=$build/fuzz-artifacts
seeds=$build/fuzz-seeds
mkdir -p "$art" "$seeds"
line="fuzz   "
crashes=0 leaks=0 timeouts=0 sep=""
for t in "$@"; do
	bin=$build/fuzz/$t
	corpus=$build/corpus/$t
	mkdir -p "$corpus"
	FUZZ_SEEDS=$seeds "$bin" >/dev/null 2>&1
	log=$build/fuzz-$t.log
	"$bin" -max_total_time="$secs" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/$t-" "$corpus" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	size=$(ls "$corpus" | wc -l)
	c=$(ls "$art" 2>/dev/null | grep -c "^$t-crash-")
	l=$(ls "$art" 2>/dev/null | grep -c "^$t-leak-")
	o=$(ls "$art" 2>/dev/null | grep -c "^$t-timeout-")
	if [ "$rc" != 0 ] && [ $((c + l + o)) = 0 ]; then
		c=1
		tail -n 30 "$log" >&2
	fi
	crashes=$((crashes + c)) leaks=$((leaks + l)) timeouts=$((timeouts + o))
	line="$line$sep ${t#fuzz_} ${execs:-0} execs (${rate:-0}/s, corpus $size, edges ${cov:-0})"
	sep=","
done
echo "$line, crashes $crashes, leaks $leaks, timeouts $timeouts"
[ $((crashes + leaks + timeouts)) = 0 ]
