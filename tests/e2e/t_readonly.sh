#!/bin/sh
# t_readonly.sh: an inventory every consumer can open.  After a scan or a
# merge no file but SQLite's own is beside the database (no .lock), and the
# file alone holds the whole inventory (the WAL emptied into it), so a copy
# of that one file in a folder no one may write (chattr +i, as root) is
# read by report, explain and check as it is, and by the sqlite3 shell and
# Python's sqlite3 opened as file:PATH?immutable=1 (the database stays in
# WAL mode: switching modes would lock out readers for an instant).  A model path that is not UTF-8
# is stored with its bad bytes as \xNN and its exact bytes in path_bytes,
# so Python reads SELECT * FROM inventory as it comes; weight_bytes is a
# column of the view.  A missing database says to run scan; --db in a
# missing folder names the folder.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"

R=$T/root
OUT=$T/out
DB=$OUT/inv.db
mkdir -p "$R" "$OUT"
bad=$(printf 'caf\351')	# Latin-1 e-acute: not UTF-8
mkcard "$R/good" 'license: mit'
mkcard "$R/$bad/model" 'license: apache-2.0'
printf 'x%.0s' $(seq 1 100) >"$R/good/model.gguf"

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "the scan runs" 0 $?
expect "it leaves no file beside the database but SQLite's own" "" \
	"$(ls -A "$OUT" | grep -v '^inv\.db\(-wal\|-shm\)\?$')"
expect "the WAL is emptied into the file" 0 "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)"

# ---- a path that is not UTF-8 ----------------------------------------------
expect "its path is stored with the bad byte as \\xNN" "$R/caf\\xe9/model" \
	"$(q "$DB" "SELECT path FROM inventory WHERE path LIKE '%caf%'")"
expect "its exact bytes are in path_bytes" \
	"$(printf '%s' "$R/$bad/model" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"$(q "$DB" "SELECT hex(path_bytes) FROM inventory WHERE path LIKE '%caf%'")"
expect "a UTF-8 path has none" "" "$(q "$DB" "SELECT hex(path_bytes) FROM inventory WHERE path = '$R/good'")"
out=$(python3 - "$DB" "$R/$bad/model" <<'EOF' 2>&1
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT * FROM inventory ORDER BY path").fetchall()
names = [d[0] for d in c.execute("SELECT * FROM inventory").description]
bad = [r for r in rows if r[names.index("path_bytes")] is not None]
ok = len(bad) == 1 and bad[0][names.index("path_bytes")] == os.fsencode(sys.argv[2])
print(len(rows), "ok" if ok else "wrong")
EOF
)
expect "Python's sqlite3 reads SELECT * FROM inventory, and path_bytes is the path" "2 ok" "$out"
"$MC_BIN" explain --db "$DB" "$R/$bad/model" >"$T/o.txt" 2>&1
expect "explain finds that model by its path as given" 0 $?

# ---- weight_bytes in the view ----------------------------------------------
expect "weight_bytes is a column of the view" "100" \
	"$(q "$DB" "SELECT weight_bytes FROM inventory WHERE path = '$R/good'")"

# ---- merge leaves nothing beside either file -------------------------------
"$MC_BIN" scan --quiet --db "$OUT/other.db" "$R/good" >/dev/null 2>&1
"$MC_BIN" merge "$DB" "$OUT/other.db" >/dev/null 2>"$T/err"
expect "merge runs" 0 $?
expect "and leaves no file beside them but SQLite's own" "" \
	"$(ls -A "$OUT" | grep -v '^\(inv\|other\)\.db\(-wal\|-shm\)\?$')"

# ---- a copy in a folder no one may write -------------------------------------
# chattr +i needs root and a filesystem that keeps the flag (ext4, xfs, btrfs;
# not tmpfs or overlayfs): tried in the test's own folder, then /var/tmp
RO=
for base in "$T" /var/tmp; do
	d=$(mktemp -d "$base/mc-ro.XXXXXX") || continue
	cp "$DB" "$d/inv.db"
	mkdir "$d/wal"
	cp "$DB" "$d/wal/inv.db"
	sqlite3 "$d/wal/inv.db" 'PRAGMA journal_mode = WAL' >/dev/null
	if chattr +i "$d/wal" 2>/dev/null && chattr +i "$d" 2>/dev/null; then
		RO=$d
		echo "# chattr +i worked in $base"
		break
	fi
	chattr -i "$d/wal" 2>/dev/null
	rm -rf "$d"
	echo "# chattr +i refused in $base"
done
if [ -z "$RO" ]; then
	skip "a copy in a folder no one may write" "chattr +i is not available here (needs root and ext4, xfs or btrfs; not tmpfs or overlay)"
else
	trap 'chattr -i "$RO" "$RO/wal" 2>/dev/null; rm -rf "$RO" "$T"' EXIT
	touch "$RO/probe" 2>/dev/null
	expect "the folder cannot be written" 1 $?
	out=$("$MC_BIN" report --db "$RO/inv.db" --format csv 2>&1)
	expect "report reads the copy" 0 $?
	expect_match "and lists its models" "$R/good" "$out"
	"$MC_BIN" explain --db "$RO/inv.db" "$R/good" >"$T/o.txt" 2>&1
	expect "explain reads it" 0 $?
	"$MC_BIN" check --db "$RO/inv.db" --deny not-allowed >"$T/o.txt" 2>&1
	expect "check reads it" 0 $?
	expect "the sqlite3 shell reads it as immutable" 2 \
		"$(sqlite3 -batch "file:$RO/inv.db?immutable=1" 'SELECT count(*) FROM inventory' 2>&1)"
	expect "Python's sqlite3 reads it as immutable" 2 "$(python3 -c 'import sqlite3, sys
print(sqlite3.connect("file:" + sys.argv[1] + "?immutable=1", uri=True).execute("SELECT count(*) FROM inventory").fetchone()[0])' "$RO/inv.db" 2>&1)"
	expect "and nothing was written beside it" "inv.db wal" "$(ls -A "$RO" | tr '\n' ' ' | sed 's/ $//')"
	out=$("$MC_BIN" report --db "$RO/wal/inv.db" --format csv 2>&1)
	expect "report reads a copy left in WAL mode, too" 0 $?
	expect_match "with its models" "$R/good" "$out"
fi

# ---- messages --------------------------------------------------------------
for cmd in "report" "explain acme/x" "check --deny not-allowed"; do
	# shellcheck disable=SC2086
	"$MC_BIN" $cmd --db "$T/none.db" >/dev/null 2>"$T/err"
	expect "$cmd on a missing database exits 3" 3 $?
	expect_match "and says to run scan first" "'$T/none.db' does not exist; run 'modelcensus scan' first" "$(cat "$T/err")"
done
"$MC_BIN" scan --quiet --db "$T/no/such/inv.db" "$R" >/dev/null 2>"$T/err"
expect "scan --db in a missing folder exits 3" 3 $?
expect_match "naming the folder" "folder '$T/no/such' does not exist" "$(cat "$T/err")"
if grep -q '\.lock' "$T/err"; then nok "not the lock file" "$(cat "$T/err")"; else ok "not the lock file"; fi
