#!/bin/sh
# install-deps.sh: install the Debian packages modelcensus needs to build and
# test, and nothing when they are all present.  Runs apt-get only as root and
# only for what is missing, so it is cheap to call before every build.
set -eu

pkgs="gcc binutils make pkg-config git sqlite3 libgit2-dev libyaml-dev libsqlite3-dev
libpcre2-dev libcmocka-dev libjansson-dev"
[ "${WITH_FUZZ:-0}" = 1 ] && pkgs="$pkgs clang libclang-rt-14-dev"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing Debian packages:$missing" >&2
	echo "install-deps: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
