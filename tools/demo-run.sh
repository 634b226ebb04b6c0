#!/bin/sh
# make run: a demo store under ./var/demo (made once), then the app.
# The demo PIN is printed on purpose: this store holds synthetic data only.
set -eu
bin=${1:-./posyandu}
dir=var/demo
pin=246810
conf=var/demo.ini
mkdir -p var
# A fixed, modest Argon2id cost keeps the demo quick on any board.
[ -f "$conf" ] || printf '[posyandu]\ndesa = Sukamaju\nkecamatan = Cilacap Tengah\npuskesmas = Cilacap Tengah\nkabupaten = Cilacap\n[security]\nargon2_mem_mib = 32\nargon2_ops = 2\n' > "$conf"
if [ ! -f "$dir/posyandu.db" ]; then
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	printf '%s\n' "$pin" > "$tmp"
	"$bin" --config "$conf" --data "$dir" init --code P-0001 --name "Posyandu Mawar" --admin admin --pin-file "$tmp"
	"$bin" --config "$conf" --data "$dir" --user admin --pin-file "$tmp" user add kader1 --role kader --new-pin-file "$tmp"
	"$bin" --config "$conf" --data "$dir" --user admin --pin-file "$tmp" demo --children 80 --months 12 --seed 7
	rm -f "$tmp"
	trap - EXIT
fi
echo
echo "Demo store: $dir   users: admin (admin), kader1 (kader)   PIN: $pin"
echo "Quit with F10 or q."
[ -t 0 ] || { echo "(no terminal: not opening the app)"; exit 0; }
exec "$bin" --config "$conf" --data "$dir"
