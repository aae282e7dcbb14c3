#!/bin/sh
# t_install.sh: `make install` and `make uninstall` from a copy of the source
# tree (built with make -j2): the installed program finds the installed
# rules once the source tree is gone (rules list, a scan, identify), the man
# page renders, the bash completion is installed and completes; a PREFIX
# change rebuilds what compiles it in; `make uninstall` leaves no file; and
# DESTDIR stages the same files under DESTDIR/PREFIX.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
unset MODELCENSUS_RULES

if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
	skip "make install" "make or cc is missing"
	exit 0
fi
S="$T/src" P="$T/prefix"
mkdir -p "$S"
(cd "$root" && cp -R Makefile fuzz.mk VERSION src include rules scripts docs "$S/")
if ! make -C "$S" -j2 install PREFIX="$P" >"$T/build.log" 2>&1; then
	nok "make -j2 install PREFIX=DIR builds and installs" "$(tail -n 20 "$T/build.log")"
	exit 0
fi
ok "make -j2 install PREFIX=DIR builds and installs"
nrules=$(ls "$S"/rules/*.yaml | wc -l)
for f in bin/modelcensus share/man/man1/modelcensus.1 \
	share/bash-completion/completions/modelcensus; do
	expect "installed: $f" yes "$([ -f "$P/$f" ] && echo yes)"
done
expect "installed: every rule file" "$nrules" "$(ls "$P"/share/modelcensus/rules/*.yaml | wc -l)"
expect "the program is executable" yes "$([ -x "$P/bin/modelcensus" ] && echo yes)"

# the source tree gone, the installed program runs on the installed rules
mv "$S" "$T/gone"
M="$P/bin/modelcensus"
out=$("$M" rules list --verbose 2>&1); rc=$?
expect "installed: rules list runs without the source tree" 0 "$rc"
expect_match "installed: the rules are the installed ones" "file $P/share/modelcensus/rules/apache-2.0.yaml" "$out"
expect "installed: rules list has the source tree's rules" \
	"$("$MC_BIN" rules list | wc -l)" "$("$M" rules list | wc -l)"
mkcard "$T/tree/acme/apache" "license: apache-2.0"
mkcard "$T/tree/acme/nc" "license: cc-by-nc-4.0"
echo "Licensed under the Apache License, Version 2.0" >"$T/tree/acme/nc/NOTICE"
"$M" scan --quiet --db "$T/inv.db" "$T/tree" >"$T/scan.out" 2>&1
expect "installed: scan exits 0" 0 "$?"
expect "installed: the scan decides with the installed rules" \
	"$T/tree/acme/apache|apache-2.0|allowed
$T/tree/acme/nc|cc-by-nc-4.0|not-allowed" \
	"$(q "$T/inv.db" 'SELECT path, license, commercial_use FROM inventory ORDER BY path')"
expect_match "installed: identify matches with the installed rules" "apache-2.0 mention" \
	"$("$M" identify "$T/tree/acme/nc/NOTICE" 2>&1)"

if command -v man >/dev/null 2>&1; then
	expect_match "installed: man -l renders the page" "modelcensus scan" \
		"$(MANWIDTH=80 man -l "$P/share/man/man1/modelcensus.1" 2>/dev/null)"
	expect_match "installed: man finds the page under PREFIX" "modelcensus identify" \
		"$(MANWIDTH=80 man -M "$P/share/man" modelcensus 2>/dev/null)"
else
	skip "installed: man -l renders the page" "man is not installed (Debian: man-db)"
fi
if command -v bash >/dev/null 2>&1; then
	out=$(PATH="$P/bin:$PATH" bash -c '
		. "$1"
		COMP_WORDS=(modelcensus s); COMP_CWORD=1
		_modelcensus; echo "${COMPREPLY[*]}"' sh "$P/share/bash-completion/completions/modelcensus")
	expect "installed: the completion completes commands" "scan" "$out"
else
	skip "installed: the completion completes commands" "bash is not installed"
fi
mv "$T/gone" "$S"

# another PREFIX: the program is rebuilt to look there
make -C "$S" install PREFIX="$T/prefix2" >"$T/build2.log" 2>&1
expect "make install PREFIX=OTHER: exit 0" 0 "$?"
expect_match "a PREFIX change recompiles rules.o" "rules\.o" "$(cat "$T/build2.log")"
rm -rf "$P"
expect_match "PREFIX=OTHER: its program finds its own rules" "file $T/prefix2/share/modelcensus/rules/" \
	"$(MODELCENSUS_RULES= "$T/prefix2/bin/modelcensus" rules list --verbose 2>&1 | head -n 3)"
make -C "$S" install PREFIX="$T/prefix2" >"$T/build3.log" 2>&1
expect "the same PREFIX again compiles nothing" "" "$(grep -e '-c -o' "$T/build3.log")"

# uninstall leaves nothing
make -C "$S" uninstall PREFIX="$T/prefix2" >"$T/un.log" 2>&1
expect "make uninstall: exit 0" 0 "$?"
expect "make uninstall leaves no file" "" "$(find "$T/prefix2" ! -type d)"
expect "make uninstall removes share/modelcensus" no "$([ -e "$T/prefix2/share/modelcensus" ] && echo yes || echo no)"
make -C "$S" uninstall PREFIX="$T/prefix2" >"$T/un2.log" 2>&1
expect "make uninstall twice: exit 0" 0 "$?"

# DESTDIR stages under DESTDIR/PREFIX, for PREFIX
D="$T/stage"
make -C "$S" install DESTDIR="$D" PREFIX=/usr >"$T/stage.log" 2>&1
expect "make install DESTDIR=D PREFIX=/usr: exit 0" 0 "$?"
expect "DESTDIR: the files under D/usr" \
	"usr/bin/modelcensus
usr/share/bash-completion/completions/modelcensus
usr/share/man/man1/modelcensus.1
$(cd "$S" && ls rules/*.yaml | sed 's|^|usr/share/modelcensus/|' | LC_ALL=C sort)" \
	"$(cd "$D" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)"
expect "DESTDIR: the program looks in PREFIX, not DESTDIR" "yes no" \
	"$(grep -q -a '/usr/share/modelcensus/rules' "$D/usr/bin/modelcensus" && echo yes || echo no) \
$(grep -q -a "$D" "$D/usr/bin/modelcensus" && echo yes || echo no)"
make -C "$S" uninstall DESTDIR="$D" PREFIX=/usr >"$T/unstage.log" 2>&1
expect "DESTDIR: uninstall leaves no file" "" "$(find "$D" ! -type d)"
