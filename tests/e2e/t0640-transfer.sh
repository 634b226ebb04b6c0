#!/bin/sh
# Import refuses the same files from the command line and from the "Send and
# receive data" screen (both go through app/transfer.c): a folder, a FIFO,
# a link, a file over the bundle cap, an oversized receipt, and a file that
# is neither a bundle nor a receipt. Nothing is read from a FIFO (no hang).
# Then the users screen and `posyandu user` manage the same users
# (app/setup.c).
. "$(dirname "$0")/lib.sh"
CONF=$TRASH/posyandu.ini
write_test_config "$CONF"
printf '482915\n' >"$TRASH/pin"
printf '739164\n' >"$TRASH/pin2"
D=$TRASH/d1
cli() { timeout 20 "$P" --lang en --config "$CONF" --data "$D" --user ani --pin-file "$TRASH/pin" "$@"; }
app="env POSYANDU_USB_ROOTS=$TRASH/media $P --lang en --config $CONF --data $D"
mkdir -p "$TRASH/media"

test_expect_success 'setup: a store and the files to refuse' '
	"$P" --lang en --config "$CONF" --data "$D" --pin-file "$TRASH/pin" \
		init --code P-0001 --name "Posyandu Mawar" --admin ani >out &&
	grep -q "Store created" out &&
	mkdir "$TRASH/folder" &&
	mkfifo "$TRASH/pipe" &&
	printf "\211PYB\r\n\032\n" >"$TRASH/big.pyb" && truncate -s 300M "$TRASH/big.pyb" &&
	truncate -s 300M "$TRASH/big.bin" &&
	printf "\211PYR\r\n\032\n" >"$TRASH/big.pyr" && truncate -s 4096 "$TRASH/big.pyr" &&
	printf "hello, not a bundle\n" >"$TRASH/junk.txt" &&
	ln -s "$TRASH/junk.txt" "$TRASH/link.pyb"
'

# refuse FILE EXIT MESSAGE: the CLI exits with EXIT and says MESSAGE.
refuse() {
	test_exit "$2" cli import "$TRASH/$1" >out 2>err &&
	grep -q "$3" err && ! test -s out
}

test_expect_success 'CLI: a folder, a FIFO and a link are not ordinary files' '
	refuse folder 1 "A bundle must be an ordinary file" &&
	refuse pipe 1 "A bundle must be an ordinary file" &&
	refuse link.pyb 1 "A bundle must be an ordinary file"
'

test_expect_success 'CLI: a file over the cap is refused before it is read' '
	refuse big.pyb 1 "The bundle is too large; nothing was imported" &&
	refuse big.bin 1 "The bundle is too large; nothing was imported" &&
	refuse big.pyr 1 "This file is not a valid receipt"
'

test_expect_success 'CLI: a missing file, and one that is neither' '
	refuse nothere 1 "Cannot read the file" &&
	refuse junk.txt 1 "This file is neither a bundle nor a receipt"
'

test_expect_success 'CLI: import still needs exactly one file' '
	test_exit 2 cli import 2>err && grep -q "import FILE" err
'

# import_on_screen FILE MESSAGE: from the sync screen, import FILE and
# wait for MESSAGE on the status line.
import_on_screen() {
	wait_for "Import a receipt or a bundle" &&
	send Home Down Enter &&
	wait_for "Import from a USB drive" &&
	type_text "$TRASH/$1" && send Enter &&
	wait_for "$2" &&
	wait_for "Send and receive over the network"
}

test_expect_success 'screen: log in and open "Send and receive data"' '
	tui_start "$app" &&
	wait_for "ani" && send Enter &&
	wait_for "PIN" && type_text "482915" && send Enter &&
	wait_for "Send and receive data" &&
	send End Up Up Up Enter &&
	wait_for "not enrolled with the district yet"
'

test_expect_success 'screen: a folder, a FIFO and a link are refused as on the CLI' '
	import_on_screen folder "A bundle must be an ordinary file" &&
	import_on_screen pipe "A bundle must be an ordinary file" &&
	import_on_screen link.pyb "A bundle must be an ordinary file"
'

test_expect_success 'screen: a file over the cap is refused as on the CLI' '
	import_on_screen big.pyb "The bundle is too large; nothing was imported" &&
	import_on_screen big.bin "The bundle is too large; nothing was imported" &&
	import_on_screen big.pyr "This file is not a valid receipt"
'

test_expect_success 'screen: a file that is neither, and the screen still works' '
	import_on_screen junk.txt "This file is neither a bundle nor a receipt" &&
	send Escape && wait_for "Users and PINs" &&
	send q && sleep 0.3 &&
	cli audit verify >out && grep -q "intact" out
'

test_expect_success 'users: added on the screen, listed and changed on the CLI' '
	tui_start "$app" &&
	wait_for "ani" && send Enter &&
	wait_for "PIN" && type_text "482915" && send Enter &&
	wait_for "Users and PINs" &&
	send End Up Up Up Up Up Enter &&
	wait_for "Wrong PINs" &&
	send a && wait_for "New user" &&
	type_text "sri" && send Tab && send Right && send Enter &&
	wait_for "PIN for the new user" &&
	type_text "739164" && send Enter &&
	wait_for "Type the new PIN again" && type_text "739164" && send Enter &&
	wait_for "User sri added (trainer)" 20 &&
	send Escape && send q && sleep 0.3 &&
	cli user list >out && grep -q "^sri	trainer	active$" out &&
	"$P" --lang en --config "$CONF" --data "$D" --user sri --pin-file "$TRASH/pin2" person list >/dev/null &&
	cli user disable sri >out && grep -q "User sri disabled" out &&
	cli user list >out && grep -q "^sri	trainer	disabled$" out
'

test_expect_success 'users: the CLI refuses a weak PIN and an unknown role, as before' '
	printf "123456\n" >"$TRASH/weak" &&
	test_exit 1 cli user add budi --role kader --new-pin-file "$TRASH/weak" 2>err &&
	test_exit 1 cli user add budi --role boss --new-pin-file "$TRASH/pin2" 2>err &&
	cli user list >out && ! grep -q budi out
'

test_done
