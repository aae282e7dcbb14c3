# tests/e2e/lib.sh: helpers for end-to-end tests.  Each test script sources
# this, builds its fixtures in a fresh temporary directory ($T), runs the real
# binary ($MC_BIN) and asserts on what a user sees: the inventory through the
# sqlite3 shell, output and exit codes.  Prints "ok - name" / "not ok - name"
# / "skip - name: why" lines that tests/run.sh counts.
# License texts come from $MC_LICENSES, by default the copies kept in the
# project (tests/data/licenses: spdx/ and ai/, sources in tests/data/SOURCES.tsv).
set -u
MC_LICENSES=${MC_LICENSES:-$(cd "$(dirname "$0")/../data" && pwd)/licenses}
export MC_LICENSES
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global protocol.file.allow always

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { echo "skip - $1: $2"; }

# expect NAME EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "expected: $2" "actual:   $3"; fi
}
# expect_match NAME PATTERN ACTUAL (grep -E)
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else nok "$1" "pattern: $2" "actual:  $3"; fi
}
# expect_notmatch NAME ERE TEXT: TEXT holds no line matching ERE
expect_notmatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then nok "$1" "pattern: $2" "actual:  $3"; else ok "$1"; fi
}
# q DB SQL: one query through the sqlite3 shell, '|' separated
q() { sqlite3 -batch -noheader "$1" "$2"; }

# mkcard DIR LICENSE-YAML-LINES...: writes DIR/README.md with front matter
mkcard() {
	d=$1; shift
	mkdir -p "$d"
	{ echo '---'; for l in "$@"; do echo "$l"; done; echo '---'; echo; echo "# model"; } >"$d/README.md"
}

# mkgit DIR ORIGIN: a git work tree with everything in DIR committed
mkgit() {
	git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -qm init &&
		{ [ -z "${2:-}" ] || git -C "$1" remote add origin "$2"; }
}

# gitmodel NAME ID YAML...: a git work tree $R/NAME with a card of YAML
# lines, whose origin is ID's Hub URL
gitmodel() {
	n=$1 id=$2
	shift 2
	mkcard "$R/$n" "$@"
	mkgit "$R/$n" "https://huggingface.co/$id" >/dev/null
}
