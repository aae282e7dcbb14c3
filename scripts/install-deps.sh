#!/bin/sh
# install-deps.sh [--test]: makes sure what modelcensus needs to build is
# here, and with --test what `make check` needs too (cmocka, the sqlite3
# shell, git, ...).  Libraries are checked with pkg-config, tools with
# `command -v`.  What is missing is installed on Debian with apt-get when run
# as root; otherwise the packages to install are printed and it exits 1.
# Nothing is done when all is present, so it is cheap before every build.
# --test also tries chromium (the report's browser checks), whose absence
# is said but fails nothing.  WITH_FUZZ=1 adds clang and its libFuzzer runtime.
set -eu

test=0
case "${1:-}" in
--test) test=1 ;;
"") ;;
*) echo "usage: install-deps.sh [--test]" >&2; exit 2 ;;
esac

# pkg-config name -> Debian package
libs="libgit2:libgit2-dev yaml-0.1:libyaml-dev sqlite3:libsqlite3-dev
libpcre2-8:libpcre2-dev jansson:libjansson-dev"
# command -> Debian package
tools="cc:gcc make:make pkg-config:pkg-config"
if [ "$test" = 1 ]; then
	libs="$libs cmocka:libcmocka-dev"
	tools="$tools git:git sqlite3:sqlite3 perl:perl timeout:coreutils parallel:parallel python3:python3"
fi
[ "${WITH_FUZZ:-0}" = 1 ] && tools="$tools clang:clang"

missing=""
add() { case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac; }
for t in $tools; do
	command -v "${t%%:*}" >/dev/null 2>&1 || add "${t#*:}"
done
# python3 modules the tests import -> Debian package (t_export.sh
# validates the exports against the official JSON schemas)
if [ "$test" = 1 ]; then
	for m in jsonschema:python3-jsonschema; do
		command -v python3 >/dev/null 2>&1 && python3 -c "import ${m%%:*}" 2>/dev/null ||
			add "${m#*:}"
	done
fi
for l in $libs; do
	# without pkg-config no library can be found: its package comes first
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "${l%%:*}" ||
		add "${l#*:}"
done
if [ "${WITH_FUZZ:-0}" = 1 ] && ! clang -fsanitize=fuzzer -x c -o /dev/null - \
	>/dev/null 2>&1 <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
C
then
	add "libclang-rt-14-dev"
fi
# Chromium renders report --format html in t_report_html.sh: wanted, not
# needed; where it cannot be installed, those checks skip and say why.
# With its recommended packages, for the fonts its screenshot draws with.
want=""
if [ "$test" = 1 ] && ! command -v chromium >/dev/null 2>&1 &&
	! command -v chromium-browser >/dev/null 2>&1; then
	want=chromium
fi
[ -z "$missing" ] && [ -z "$want" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	[ -n "$want" ] && echo "install-deps: no chromium: the browser checks of report --format html skip (as root on Debian: apt-get install chromium)" >&2
	[ -z "$missing" ] && exit 0
	echo "install-deps: missing:$missing (Debian package names)" >&2
	echo "install-deps: as root on Debian: apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing${want:+ $want}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing >/dev/null
if [ -n "$want" ] && ! apt-get install -y -qq "$want" >/dev/null 2>&1; then
	echo "install-deps: $want could not be installed: the browser checks of report --format html skip" >&2
fi
