# t_crash.sh: crash safety of the inventory.  A scan killed with SIGKILL at
# random moments leaves a database that opens, passes integrity_check,
# holds only complete rows and marks the killed run incomplete; the next
# normal scan completes it to exactly what a clean scan gives.  Two scans
# at once on one database never corrupt it; readers work while a scan
# runs; an unusable or full database is exit 3 with a clear message.
. "$(dirname "$0")/lib.sh"

MOUNTED=
cleanup() {
	[ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

KILLS=${MC_CRASH_KILLS:-10}
N=3000
R=$T/root

# a tree of N small card folders, each with a short MIT text
awk -v n="$N" -v r="$R" 'BEGIN { for (i = 0; i < n; i++) printf "%s/org%02d/model-%04d\n", r, i % 30, i }' >"$T/list"
xargs mkdir -p <"$T/list"
awk 'BEGIN { split("mit apache-2.0 openrail llama2", L, " ") }
{
	f = $0 "/README.md"
	printf "---\nlicense: %s\nbase_model: acme/base-%d\n---\n# model %d\n\nSome words about this model.\n", L[NR % 4 + 1], NR % 7, NR >f
	close(f)
	f = $0 "/LICENSE"
	printf "Permission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n" >f
	close(f)
}' "$T/list"

# the reference: a clean scan of the same tree, and how long one takes
REF=$T/ref.db
t0=$(date +%s.%N)
"$MC_BIN" scan --quiet --jobs 2 --db "$REF" "$R" >/dev/null 2>"$T/err"
expect "a clean scan of $N folders exits 0" 0 $?
DUR=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "# a clean scan of $N models takes ${DUR}s"
expect "the clean scan records every model" "$N" "$(q "$REF" 'SELECT count(*) FROM inventory')"
cp "$REF" "$T/ref2.db"
t0=$(date +%s.%N)
"$MC_BIN" scan --quiet --jobs 2 --db "$T/ref2.db" "$R" >/dev/null 2>&1
DUR_INC=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "# an incremental rescan of them takes about ${DUR_INC}s"
# what the inventory must hold after any completed scan
inv() { q "$1" 'SELECT * FROM inventory ORDER BY path'; }
inv "$REF" >"$T/ref.inv"

# sound DB LABEL: the database opens, is sound and holds only whole rows
sound() {
	expect "$2: the database opens and passes integrity_check" ok "$(q "$1" 'PRAGMA integrity_check' 2>&1)"
	if [ "$(q "$1" "SELECT count(*) FROM sqlite_master WHERE name = 'inventory'")" = 0 ]; then
		echo "# $2: killed before the schema was committed: an empty database"
		return
	fi
	expect "$2: every row has a license and a commercial_use" 0 \
		"$(q "$1" 'SELECT count(*) FROM inventory WHERE license IS NULL OR commercial_use IS NULL' 2>&1)"
	# each model has a card: a model row without its evidence is half written
	expect "$2: no model row lacks its evidence" 0 \
		"$(q "$1" 'SELECT count(*) FROM models m WHERE NOT EXISTS
			(SELECT 1 FROM evidence e WHERE e.model = m.id)' 2>&1)"
}

# completed DB LABEL: after a normal scan, the inventory is what a clean scan gives
completed() {
	expect "$2: exactly one row per model" "$N|$N" \
		"$(q "$1" 'SELECT count(*), count(DISTINCT path) FROM models')"
	expect "$2: the last scan is complete" 1 "$(q "$1" 'SELECT complete FROM scans ORDER BY id DESC LIMIT 1')"
	inv "$1" >"$T/got.inv"
	if cmp -s "$T/ref.inv" "$T/got.inv"; then
		ok "$2: the inventory equals a clean scan's"
	else
		nok "$2: the inventory equals a clean scan's" "$(diff "$T/ref.inv" "$T/got.inv" | head -n 6)"
	fi
	expect "$2: no duplicate evidence" "$(q "$REF" 'SELECT count(*) FROM evidence')" \
		"$(q "$1" 'SELECT count(*) FROM evidence')"
}

# ------------------------------------------------------------------ kill -9

DB=$T/inv.db
seed=${MC_CRASH_SEED:-$$}
if awk -v d="$DUR" 'BEGIN { exit !(d > 3) }'; then
	# a sanitizer build: fewer rounds, sleeps spread over its longer scans
	KILLS=${MC_CRASH_KILLS:-4}
	echo "# a slow build: $KILLS kills, sleeps up to the time a scan takes"
fi
echo "# kill seed $seed (MC_CRASH_SEED reproduces the sleeps)"
i=1
while [ "$i" -le "$KILLS" ]; do
	# odd runs re-read everything, even ones are incremental rescans
	full= d=$DUR_INC
	[ $((i % 2)) -eq 1 ] && full=--full d=$DUR
	# a sleep in [0.05, 1.5] s, kept inside the time such a scan takes
	# here (a slow build's scans take longer than 1.5 s: up to that time)
	s=$(awk -v seed="$seed" -v i="$i" -v d="$d" -v slow="$DUR" 'BEGIN {
		srand(seed + i); hi = d < 1.5 || slow > 3 ? d : 1.5; if (hi < 0.05) hi = 0.05
		printf "%.2f", 0.05 + rand() * (hi - 0.05) }')
	before=0
	[ -s "$DB" ] && before=$(q "$DB" 'SELECT count(*) FROM scans' 2>/dev/null)
	[ -n "$before" ] || before=0
	"$MC_BIN" scan --quiet --jobs 2 $full --db "$DB" "$R" >/dev/null 2>"$T/kerr" &
	pid=$!
	sleep "$s"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	L="kill $i after ${s}s${full:+ ($full)}"
	echo "# $L: exit $rc"
	sound "$DB" "$L"
	after=$(q "$DB" 'SELECT count(*) FROM scans' 2>/dev/null)
	[ -n "$after" ] || after=0
	if [ "$rc" -eq 137 ]; then
		last=$(q "$DB" 'SELECT complete FROM scans ORDER BY id DESC LIMIT 1' 2>/dev/null)
		if [ "$after" -le "$before" ]; then
			echo "# $L: killed before its scans row was written"
		elif [ "$last" = 1 ]; then
			# killed while closing, after it recorded itself complete:
			# then it must really be complete
			echo "# $L: killed after its scans row said complete"
			completed "$DB" "$L (killed after it said complete)"
		else
			expect "$L: the killed run's scans row says complete = 0" 0 "$last"
		fi
	else
		expect "$L: a run that ended before the kill exited 0" 0 "$rc"
		expect "$L: and its scans row says complete = 1" 1 \
			"$(q "$DB" 'SELECT complete FROM scans ORDER BY id DESC LIMIT 1')"
	fi
	"$MC_BIN" scan --quiet --jobs 2 --db "$DB" "$R" >/dev/null 2>"$T/err"
	expect "$L: the next normal scan exits 0" 0 $?
	completed "$DB" "$L, then a normal scan"
	i=$((i + 1))
done
expect "kill -9: every killed run is recorded incomplete, every finished one complete" \
	"$(q "$DB" 'SELECT count(*) FROM scans')" \
	"$(q "$DB" 'SELECT count(*) FROM scans WHERE (complete = 1) = (finished IS NOT NULL)')"

# ------------------------------------------------------------------ two scans at once

DB=$T/two.db
"$MC_BIN" scan --quiet --full --jobs 1 --db "$DB" "$R" >"$T/a.out" 2>"$T/a.err" &
pa=$!
sleep 0.2
"$MC_BIN" scan --quiet --full --jobs 1 --db "$DB" "$R" >"$T/b.out" 2>"$T/b.err" &
pb=$!
wait "$pa"
ra=$?
wait "$pb"
rb=$?
echo "# two scans at once: exits $ra and $rb; second's stderr: $(head -c 300 "$T/b.err")"
expect "two scans at once: the first exits 0" 0 "$ra"
case $rb in
0) ok "two scans at once: the second waited and exited 0" ;;
3) expect_match "two scans at once: the second refuses with a clear message" \
	'another scan|being written|locked|busy' "$(cat "$T/b.err")" ;;
*) nok "two scans at once: the second exits 0 or 3" "exit $rb: $(head -c 300 "$T/b.err")" ;;
esac
sound "$DB" "two scans at once"
completed "$DB" "two scans at once"
expect "two scans at once: no run is left marked incomplete by a refused one" 0 \
	"$(q "$DB" 'SELECT count(*) FROM scans WHERE complete = 0')"

# two scans started together on a new database: the second must wait for
# or refuse the first, never trip over its half-made schema
mkdir -p "$T/race"
printf -- '---\nlicense: mit\n---\n' >"$T/small.md"
mkdir -p "$T/small/m"
cp "$T/small.md" "$T/small/m/README.md"
bad=
j=1
while [ $j -le 8 ]; do
	"$MC_BIN" scan --quiet --db "$T/race/$j.db" "$T/small" >/dev/null 2>"$T/race/$j.a" &
	p1=$!
	"$MC_BIN" scan --quiet --db "$T/race/$j.db" "$T/small" >/dev/null 2>"$T/race/$j.b" &
	p2=$!
	wait "$p1"; r1=$?
	wait "$p2"; r2=$?
	for x in "$r1:a" "$r2:b"; do
		r=${x%%:*}
		case $r in
		0) ;;
		3) grep -Eq 'another scan|being written|locked|busy' "$T/race/$j.${x#*:}" ||
			bad="round $j: exit 3 with: $(cat "$T/race/$j.${x#*:}")" ;;
		*) bad="round $j: exit $r: $(cat "$T/race/$j.${x#*:}")" ;;
		esac
	done
	[ "$(q "$T/race/$j.db" 'PRAGMA integrity_check' 2>&1)" = ok ] || bad="round $j: integrity_check failed"
	[ -n "$bad" ] && break
	j=$((j + 1))
done
expect "two scans started together on a new database: each exits 0 or refuses clearly (8 rounds)" "" "$bad"

# readers while a scan runs
"$MC_BIN" scan --quiet --full --jobs 1 --db "$DB" "$R" >/dev/null 2>"$T/a.err" &
pa=$!
sleep 0.1
tries=0 during=0 bad=
while [ $tries -lt 20 ]; do
	tries=$((tries + 1))
	kill -0 "$pa" 2>/dev/null || break
	n=$(timeout 20 sqlite3 -batch "$DB" 'SELECT count(*) FROM inventory' 2>&1) || bad="sqlite3: $n"
	[ -n "$bad" ] || [ "$n" = "$N" ] || bad="sqlite3 counted $n rows, not $N"
	timeout 20 "$MC_BIN" report --db "$DB" --format csv >"$T/r.csv" 2>"$T/r.err" ||
		bad="${bad:-report exited $?: $(head -c 300 "$T/r.err")}"
	[ -n "$bad" ] || [ "$(wc -l <"$T/r.csv")" -eq $((N + 1)) ] ||
		bad="report printed $(wc -l <"$T/r.csv") lines, not $((N + 1))"
	kill -0 "$pa" 2>/dev/null && during=$((during + 1))
	[ -n "$bad" ] && break
done
wait "$pa"
ra=$?
expect "a scan with readers beside it exits 0" 0 "$ra"
if [ "$during" -eq 0 ]; then
	skip "readers work while a scan runs" "the scan ended before a reader ran"
else
	expect "readers work while a scan runs ($during rounds of sqlite3 and report)" "" "$bad"
fi

# ------------------------------------------------------------------ unusable database

mkdir -p "$T/a-dir.db"
"$MC_BIN" scan --quiet --db "$T/a-dir.db" "$T/small" >/dev/null 2>"$T/err"
expect "--db naming a directory exits 3" 3 $?
expect_match "and the message names the database" "a-dir\\.db" "$(cat "$T/err")"

"$MC_BIN" scan --quiet --db /proc/self/inv.db "$T/small" >/dev/null 2>"$T/err"
expect "--db in a place where no file can be created (/proc) exits 3" 3 $?
expect_match "and the message names the database" "/proc/self/inv\\.db" "$(cat "$T/err")"

printf 'this is a text file, not a database\n%.0s' $(seq 1 200) >"$T/text.db"
cp "$T/text.db" "$T/text.orig"
"$MC_BIN" scan --quiet --db "$T/text.db" "$T/small" >/dev/null 2>"$T/err"
expect "--db naming a file that is not a database exits 3" 3 $?
expect_match "and the message says so" "text\\.db.*not a database" "$(cat "$T/err")"
if cmp -s "$T/text.db" "$T/text.orig"; then ok "and the file is left as it was"; else nok "and the file is left as it was"; fi

if [ "$(id -u)" -eq 0 ]; then
	skip "a read-only database (file 444 in a 555 folder)" "tests run as root, where permissions do not bite; a directory, /proc and a non-database file stand in"
else
	mkdir -p "$T/ro"
	"$MC_BIN" scan --quiet --db "$T/ro/inv.db" "$T/small" >/dev/null 2>&1
	chmod 444 "$T/ro/inv.db"
	chmod 555 "$T/ro"
	"$MC_BIN" scan --quiet --db "$T/ro/inv.db" "$T/small" >/dev/null 2>"$T/err"
	expect "a read-only database exits 3" 3 $?
	expect_match "and the message names it" "ro/inv\\.db" "$(cat "$T/err")"
	chmod 755 "$T/ro"
fi

# a full disk: a 1 MiB tmpfs, where the inventory of N models cannot fit
mkdir -p "$T/full"
if mount -t tmpfs -o size=1M tmpfs "$T/full" 2>"$T/merr"; then
	MOUNTED=$T/full
	"$MC_BIN" scan --quiet --jobs 2 --db "$T/full/inv.db" "$R" >/dev/null 2>"$T/err"
	rc=$?
	expect "a full disk: the scan exits 3" 3 $rc
	expect_match "a full disk: the message says the disk is full" 'full|space' "$(cat "$T/err")"
	if [ -s "$T/full/inv.db" ]; then
		expect "a full disk: no scans row says complete" 0 \
			"$(q "$T/full/inv.db" 'SELECT count(*) FROM scans WHERE complete = 1' 2>&1)"
		expect "a full disk: the database is still sound" ok \
			"$(q "$T/full/inv.db" 'PRAGMA integrity_check' 2>&1)"
	fi
	umount "$T/full" && MOUNTED=
else
	skip "a full disk (1 MiB tmpfs)" "mount is not permitted here: $(head -c 200 "$T/merr")"
fi

# the same through a file size limit (works without mount): writes fail
# with EFBIG once the database would pass 1 MiB
(
	trap '' XFSZ
	ulimit -f 2048
	exec "$MC_BIN" scan --quiet --jobs 2 --db "$T/limited.db" "$R" >/dev/null 2>"$T/err"
)
rc=$?
expect "a file size limit: the scan exits 3" 3 $rc
expect_match "a file size limit: the message names the database" 'limited\.db' "$(cat "$T/err")"
expect "a file size limit: no scans row says complete" 0 \
	"$(q "$T/limited.db" 'SELECT count(*) FROM scans WHERE complete = 1' 2>&1)"
expect "a file size limit: the database is still sound" ok \
	"$(q "$T/limited.db" 'PRAGMA integrity_check' 2>&1)"
