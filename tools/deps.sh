#!/bin/sh
# Install the Debian packages in tools/packages.txt that are missing:
# with apt-get as root, through sudo otherwise, or say what to run.
set -u
here=$(dirname "$0")
missing=""
for p in $(grep -v '^#' "$here/packages.txt"); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "posyandu: installing:$missing"
if [ "$(id -u)" = 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1; then
	run="sudo"
else
	echo "posyandu: these Debian packages are missing:$missing" >&2
	echo "posyandu: as root run: apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq || true
if ! $run apt-get install -y -qq $missing; then
	echo "posyandu: could not install:$missing" >&2
	echo "posyandu: as root run: apt-get install -y$missing" >&2
	exit 1
fi
