#!/bin/sh
# The sync screens in a real terminal (tmux): the "Perlu ditinjau" list shows
# a record two laptops changed at the same time, both versions side by side;
# keeping one makes a new version and the list empties (checked through the
# CLI too). The admin's "Send and receive data" screen exports to a USB drive
# (a tmpfs mounted under a test drive root) with its progress bar.
. "$(dirname "$0")/lib.sh"
HELPER=$SRCDIR/${BUILD:-build}/tests/test_sync
printf '739182\n' >"$TRASH/pin"
app="$P --lang en --data $TRASH/d1"
cli() { "$P" --lang en --data "$TRASH/d1" --user admin --pin-file "$TRASH/pin" "$@"; }

test_expect_success 'two devices with a conflict (made by the unit test helper)' '
	"$HELPER" --make-conflict "$TRASH" &&
	cli conflicts >out && test $(wc -l <out) = 1 &&
	grep -q "Budi Santosa" out && grep -q "Budi Susanto" out &&
	cut -f4 out >current && cut -f6 out >other
'

test_expect_success 'log in; the home menu offers review and send/receive' '
	tui_start "$app" &&
	wait_for "admin" && send Enter &&
	wait_for "PIN" && type_text "739182" && send Enter &&
	wait_for "Needs review (Perlu ditinjau)" &&
	wait_for "Send and receive data"
'

test_expect_success 'the review list and both versions side by side' '
	send End Up Up Enter &&
	wait_for "Two devices changed these records" &&
	wait_for "$(cat current)" &&
	send Enter &&
	wait_for "Current version" && wait_for "Other version (1 of 1)" &&
	wait_for "Budi Susanto" && wait_for "Budi Santosa" &&
	screen >/dev/null && grep -q "^ *\* *Name" "$TRASH/screen"
'

test_expect_success 'keep the other version: saved, and the list is empty' '
	send Tab && send F2 &&
	wait_for "the chosen version is now the current one" &&
	wait_for "No records need review" &&
	send Escape && wait_for "Needs review (Perlu ditinjau)" &&
	send q && sleep 0.3 &&
	cli conflicts >out && grep -q "No records need review" out &&
	cli person list >out && grep -q "$(cat other)" out && ! grep -q "$(cat current)" out
'

test_expect_success 'or edit: the version on screen is kept, the edit goes on top' '
	mkdir -p "$TRASH/e" && "$HELPER" --make-conflict "$TRASH/e" &&
	tui_start "$P --lang en --data $TRASH/e/d1" &&
	wait_for "admin" && send Enter &&
	wait_for "PIN" && type_text "739182" && send Enter &&
	wait_for "Needs review (Perlu ditinjau)" &&
	send End Up Up Enter && wait_for "Two devices changed these records" &&
	send Enter && wait_for "Other version (1 of 1)" &&
	send e && wait_for "Register a child" &&
	send End && send BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace &&
	type_text "Budi Sentosa" && send F2 &&
	wait_for "the edited version is now the current one" &&
	send Escape && send q && sleep 0.3 &&
	"$P" --lang en --data "$TRASH/e/d1" --user admin --pin-file "$TRASH/pin" conflicts >out &&
	grep -q "No records need review" out &&
	"$P" --lang en --data "$TRASH/e/d1" --user admin --pin-file "$TRASH/pin" person list >out &&
	grep -q "Budi Sentosa" out && ! grep -q "Budi Susanto" out && ! grep -q "Budi Santosa" out
'

test_expect_success 'send and receive: export to a USB drive from the screen' '
	mkdir -p "$TRASH/media/STICK" &&
	if ! mount -t tmpfs -o size=4m tmpfs "$TRASH/media/STICK" 2>/dev/null; then
		echo "# skipped: cannot mount a tmpfs (not root)"; return 0
	fi
	tui_start "env POSYANDU_USB_ROOTS=$TRASH/media $app" &&
	wait_for "admin" && send Enter &&
	wait_for "PIN" && type_text "739182" && send Enter &&
	wait_for "Send and receive data" &&
	send End Up Up Up Enter &&
	wait_for "District key:" &&
	wait_for "not yet acknowledged by the district: 1" &&
	send Enter &&
	wait_for "Eject the USB drive" &&
	ls "$TRASH/media/STICK"/P-0001_*.pyb >files; rc=$?
	tui_stop; umount "$TRASH/media/STICK"
	[ $rc = 0 ] && test $(wc -l <files) = 1
'

test_done
