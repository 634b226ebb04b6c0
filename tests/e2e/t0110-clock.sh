#!/bin/sh
# The one clock (storage/clock.h): POSYANDU_NOW fixes "today" for every
# command, in local time, and a malformed value is refused. The monthly
# report's reference day is the month's last day; a later month is refused.
. "$(dirname "$0")/lib.sh"
D=$TRASH/data
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin"
# at NOW CMD...: one command with the clock at NOW (env, so nothing leaks into the shell).
at() { now=$1; shift; env POSYANDU_NOW="$now" "$P" --config "$CONF" --data "$D" "$@"; }
pc() { now=$1; shift; at "$now" --user ani --pin-file "$TRASH/pin" "$@"; }

test_expect_success 'a malformed POSYANDU_NOW is refused with the expected form (exit 1)' '
	test_exit 1 at tomorrow person list 2>err &&
	grep -q "POSYANDU_NOW harus berupa tanggal dan jam, misalnya 2026-12-31T23:30" err &&
	test_exit 1 at 2027-02-29T10:00 --lang en person list 2>err &&
	grep -q "POSYANDU_NOW must be a date and time" err
'

test_expect_success 'a store made on 31-12-2026 at 23:30 Jakarta time' '
	at 2026-12-31T23:30 init --code P-0001 \
		--name "Posyandu Mawar" --admin ani --pin-file "$TRASH/pin" >out &&
	printf "ref,kind,name,sex,dob\nA1,child,Ani,P,01-06-2026\n" >people.csv &&
	pc 2026-12-31T23:30 load people people.csv
'

test_expect_success 'late on 31 December, 1 January is still the future (local time, not UTC)' '
	printf "ref,date,weight_kg\nA1,01-01-2027,7.1\n" >visits.csv &&
	test_exit 1 pc 2026-12-31T23:30 load visits visits.csv 2>err &&
	grep -q "di masa depan" err &&
	test_exit 1 pc 2026-12-31T23:30 report monthly --month 2027-01 2>err &&
	grep -q "Bulan itu belum tiba" err
'

test_expect_success 'ten minutes into 1 January it is today' '
	pc 2027-01-01T00:10 load visits visits.csv >out &&
	grep -q "1 ditambahkan" out &&
	pc 2027-01-01T00:10 report monthly --month 2027-01 >out &&
	grep -q "Periode 01-01-2027 s.d. 31-01-2027" out
'

test_expect_success 'a month'"'"'s report is the same whichever day it is printed' '
	for now in 2027-01-01T08:00 2027-01-17T12:00 2027-01-31T23:59 2027-03-01T07:00; do
		pc $now report monthly --month 2027-01 --format json >"r.$now" || return 1
	done &&
	cmp r.2027-01-01T08:00 r.2027-01-17T12:00 &&
	cmp r.2027-01-01T08:00 r.2027-01-31T23:59 &&
	cmp r.2027-01-01T08:00 r.2027-03-01T07:00
'

test_expect_success 'on 29 February 2028 the child is 20 months old' '
	pc 2028-02-29T23:30 person list --format csv >out &&
	grep -q ",Ani,P,01-06-2026,20," out
'

test_expect_success 'POSYANDU_NOW cannot shorten the wait after wrong PINs' '
	printf "111111\n" >"$TRASH/bad" &&
	for i in 1 2 3 4 5; do
		env -u POSYANDU_NOW "$P" --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/bad" \
			person list 2>err || :; done &&
	grep -q "Tunggu [0-9]* detik" err &&
	test_exit 1 pc 2031-01-01T10:00 person list 2>err &&
	grep -q "Terlalu sering salah PIN" err &&
	test $(grep -ci "tunggu" err) = 1
'

test_done
