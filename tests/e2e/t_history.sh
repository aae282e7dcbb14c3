# t_history.sh: license history (scan --history, the license_history view,
# explain --history and --revision): a work tree, its bare mirror, a
# shallow clone, merges, a missing object, a model inside a repository, an
# HF cache with several snapshots, a long history, incremental rescans.
. "$(dirname "$0")/lib.sh"

DB=$T/inv.db
R=$T/root
mkdir -p "$R"

# commit DIR DATE MESSAGE: commits everything in DIR at DATE (UTC)
commit() {
	git -C "$1" add -A &&
		GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
			git -C "$1" commit -qm "$3"
}
card() { mkdir -p "$1"; printf -- '---\nlicense: %s\n---\n\n# model\n' "$2" >"$1/README.md"; }

# the upstream: mit, then cc-by-nc-4.0, then an unrelated change
S=$T/src/m
card "$S" mit
git -C "$S" init -q
commit "$S" 2024-01-05 mit
card "$S" cc-by-nc-4.0
commit "$S" 2024-03-01 relicensed
echo 'more text' >"$S/notes.txt"
commit "$S" 2024-04-02 unrelated
c1=$(git -C "$S" rev-parse HEAD~2) c2=$(git -C "$S" rev-parse HEAD~1) c3=$(git -C "$S" rev-parse HEAD)
git clone -q "$S" "$R/work"
git clone -q --bare "$S" "$R/mirror.git"

# without --history nothing is recorded
"$MC_BIN" scan --quiet --db "$DB" "$R" >"$T/out" 2>&1
expect "without --history: no history rows" 0 "$(q "$DB" 'SELECT count(*) FROM license_history')"
if grep -q 'history:' "$T/out"; then nok "without --history: the summary says nothing of it" "$(cat "$T/out")"
else ok "without --history: the summary says nothing of it"; fi

"$MC_BIN" scan --quiet --history --db "$DB" "$R" >"$T/out" 2>"$T/err"
expect "scan --history exits 0" 0 $?
for m in work mirror.git; do
	expect "$m: the two changing commits, with their dates and verdicts" \
		"$c1|2024-01-05T12:00:00Z|mit|allowed
$c2|2024-03-01T12:00:00Z|cc-by-nc-4.0|not-allowed" \
		"$(q "$DB" "SELECT revision, committed_at, license, commercial_use FROM license_history
			WHERE path = '$R/$m' ORDER BY committed_at")"
done
expect_match "the summary counts the walk" 'history: +2 models walked, 6 commits read, 4 revisions recorded' "$(cat "$T/out")"

out=$("$MC_BIN" explain --db "$DB" --history "$R/work")
expect_match "explain --history shows the change" \
	"2024-03-01 $(echo "$c2" | cut -c1-7): mit -> cc-by-nc-4.0 \(commercial use: allowed -> not-allowed\)" "$out"
expect_match "explain --history starts with the first verdict" \
	"^2024-01-05 $(echo "$c1" | cut -c1-7): mit \(commercial use: allowed\)" "$(echo "$out" | sed -n 2p)"
for m in work mirror.git; do
	expect_match "$m: explain --revision of the first commit (abbreviated)" ': mit, commercial use allowed' \
		"$("$MC_BIN" explain --db "$DB" --revision "$(echo "$c1" | cut -c1-8)" "$R/$m")"
	expect_match "$m: explain --revision of the relicensing commit (full id)" ': cc-by-nc-4.0, commercial use not-allowed' \
		"$("$MC_BIN" explain --db "$DB" --revision "$c2" "$R/$m")"
	expect_match "$m: explain --revision of the unrelated commit: the change before it" \
		"cc-by-nc-4.0, commercial use not-allowed.*
  as recorded at $(echo "$c2" | cut -c1-12)" \
		"$("$MC_BIN" explain --db "$DB" --revision "$(echo "$c3" | cut -c1-7)" "$R/$m")"
done
"$MC_BIN" explain --db "$DB" --revision 0000000 "$R/work" >/dev/null 2>"$T/err"
expect "explain --revision of an unknown revision: exit 2" 2 $?
expect_match "... saying so" "unknown revision '0000000'" "$(cat "$T/err")"
"$MC_BIN" explain --db "$DB" --format json --revision "$c2" "$R/work" >"$T/j"
expect "explain --revision --format json" "cc-by-nc-4.0|$c2" \
	"$(sqlite3 -batch -noheader :memory: "SELECT json_extract(readfile('$T/j'), '\$[0].license') || '|' || json_extract(readfile('$T/j'), '\$[0].resolved')")"

# an ambiguous prefix: make commits until two ids share their first 4 digits
A=$T/src/amb
card "$A" mit
git -C "$A" init -q
commit "$A" 2024-01-01 first
i=0
while [ $i -lt 300 ]; do
	echo $i >"$A/n.txt"
	commit "$A" 2024-01-02 "n $i"
	i=$((i + 1))
done
pre=$(git -C "$A" rev-list HEAD | cut -c1-4 | sort | uniq -d | head -1)
if [ -n "$pre" ]; then
	"$MC_BIN" scan --quiet --history --db "$T/amb.db" "$A" >/dev/null 2>&1
	"$MC_BIN" explain --db "$T/amb.db" --revision "$pre" "$A" >/dev/null 2>"$T/err"
	expect "an ambiguous prefix: exit 2" 2 $?
	expect_match "... saying so" "ambiguous" "$(cat "$T/err")"
else
	skip "an ambiguous prefix" "no two of 301 commit ids share 4 digits"
fi

# incremental: a rescan reads only the commits above the last walked one
"$MC_BIN" scan --quiet --history --db "$DB" "$R" >"$T/out" 2>&1
expect_match "a rescan with nothing new walks nothing" 'history: +0 models walked, 0 commits read, 0 revisions recorded' "$(cat "$T/out")"
card "$R/work" apache-2.0
commit "$R/work" 2024-05-01 apache
echo x >>"$R/work/notes.txt"
commit "$R/work" 2024-05-02 unrelated2
"$MC_BIN" scan --quiet --history --db "$DB" "$R" >"$T/out" 2>&1
expect_match "a rescan reads only the new commits" 'history: +1 models walked, 2 commits read, 1 revisions recorded' "$(cat "$T/out")"
expect "... and records the new change" "mit
cc-by-nc-4.0
apache-2.0" "$(q "$DB" "SELECT license FROM license_history WHERE path = '$R/work' ORDER BY committed_at")"
echo y >>"$R/work/notes.txt"
commit "$R/work" 2024-05-03 unrelated3
"$MC_BIN" scan --quiet --history --db "$DB" "$R" >"$T/out" 2>&1
expect_match "a new commit that changes nothing: read, nothing recorded" 'history: +1 models walked, 1 commits read, 0 revisions recorded' "$(cat "$T/out")"
expect "... the history is as it was" 3 "$(q "$DB" "SELECT count(*) FROM license_history WHERE path = '$R/work'")"
expect "... and the commits walked add up" 6 "$(q "$DB" "SELECT commits FROM history_walks WHERE path = '$R/work'")"

# a shallow clone: what exists is recorded, and it says so
git clone -q --depth 1 "file://$S" "$T/sh/shallow"
"$MC_BIN" scan --quiet --history --db "$T/sh.db" "$T/sh" >"$T/out" 2>"$T/err"
expect "shallow clone: its one commit is recorded" "$c3|cc-by-nc-4.0" \
	"$(q "$T/sh.db" "SELECT revision, license FROM license_history")"
expect_match "shallow clone: the note says the history ends there" 'shallow clone' \
	"$(q "$T/sh.db" "SELECT note FROM license_history")"
expect_match "shallow clone: the summary says so" '1 shallow clones \(history ends early\)' "$(cat "$T/out")"
expect_match "shallow clone: a warning names it" "history of '$T/sh/shallow': a shallow clone" "$(cat "$T/err")"
expect_match "shallow clone: explain --history says so" 'the history ends here: a shallow clone' \
	"$("$MC_BIN" explain --db "$T/sh.db" --history "$T/sh/shallow")"

# merges: first parent only; a change made on a merged branch shows at the merge
M=$T/mg/merged
card "$M" mit
git -C "$M" init -q
commit "$M" 2024-01-01 base
git -C "$M" checkout -qb side
card "$M" cc-by-nc-4.0
commit "$M" 2024-02-01 side-relicense
side=$(git -C "$M" rev-parse HEAD)
git -C "$M" checkout -q main
echo a >"$M/a.txt"
commit "$M" 2024-02-02 main-work
GIT_COMMITTER_DATE=2024-02-03T12:00:00Z git -C "$M" merge -q --no-ff -m merge side
merge=$(git -C "$M" rev-parse HEAD)
"$MC_BIN" scan --quiet --history --db "$T/mg.db" "$T/mg" >/dev/null 2>&1
expect "merges: the change appears at the merge commit, not the side commit" \
	"$(git -C "$M" rev-parse HEAD~2)|mit
$merge|cc-by-nc-4.0" \
	"$(q "$T/mg.db" "SELECT revision, license FROM license_history ORDER BY committed_at")"
"$MC_BIN" explain --db "$T/mg.db" --revision "$side" "$M" >/dev/null 2>"$T/err"
expect "merges: a side-branch commit is not on the first-parent history: exit 2" 2 $?
expect_match "... saying so" 'not on the first-parent history' "$(cat "$T/err")"

# a missing object in an old commit: that revision has an error, the rest goes on
X=$T/mo/broken
mkdir -p "$T/mo" && cp -r "$S" "$X"
blob=$(git -C "$X" rev-parse "$c1:README.md")
rm -f "$X/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
"$MC_BIN" scan --quiet --history --db "$T/mo.db" "$T/mo" >"$T/out" 2>&1
expect "missing object: the old revision gets an error" "$c1|1" \
	"$(q "$T/mo.db" "SELECT revision, error IS NOT NULL FROM license_history WHERE committed_at < '2024-02'")"
expect_match "... naming the blob" "$blob" "$(q "$T/mo.db" "SELECT error FROM license_history WHERE revision = '$c1'")"
expect "missing object: the later revision is read" "$c2|cc-by-nc-4.0|" \
	"$(q "$T/mo.db" "SELECT revision, license, error FROM license_history WHERE committed_at > '2024-02'")"
expect_match "missing object: the summary counts the error" '2 revisions recorded, 1 with errors' "$(cat "$T/out")"

# models inside a repository: each its own folder's history
P=$T/pk/pack
card "$P/models/x" mit
card "$P/models/y" mit
echo '# a pack of models' >"$P/README.md"
git -C "$P" init -q
commit "$P" 2024-01-01 both
card "$P/models/y" gpl-3.0
commit "$P" 2024-02-01 y-relicensed
card "$P/models/x" apache-2.0
commit "$P" 2024-03-01 x-relicensed
"$MC_BIN" scan --quiet --history --db "$T/pk.db" "$T/pk" >/dev/null 2>&1
expect "inside a repository: each model's own changes only" \
	"$P/models/x|2024-01-01|mit
$P/models/x|2024-03-01|apache-2.0
$P/models/y|2024-01-01|mit
$P/models/y|2024-02-01|gpl-3.0" \
	"$(q "$T/pk.db" "SELECT path, substr(committed_at, 1, 10), license FROM license_history ORDER BY path, committed_at")"

# an HF cache folder: each snapshot is a revision
C=$T/hub/models--acme--cached
r1=1111111111111111111111111111111111111111
r2=2222222222222222222222222222222222222222
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$r1" "$C/snapshots/$r2"
printf -- '---\nlicense: apache-2.0\n---\n' >"$C/blobs/b1"
printf -- '---\nlicense: cc-by-nc-4.0\n---\n' >"$C/blobs/b2"
ln -s ../../blobs/b1 "$C/snapshots/$r1/README.md"
ln -s ../../blobs/b2 "$C/snapshots/$r2/README.md"
printf '%s' "$r2" >"$C/refs/main"
touch -d '2024-01-01 00:00:00' "$C/snapshots/$r1"
touch -d '2024-06-01 00:00:00' "$C/snapshots/$r2"
"$MC_BIN" scan --quiet --history --db "$T/hub.db" "$T/hub" >/dev/null 2>&1
expect "hf cache: each snapshot's verdict" "$r1|2024-01-01|apache-2.0
$r2|2024-06-01|cc-by-nc-4.0" \
	"$(q "$T/hub.db" "SELECT revision, substr(committed_at, 1, 10), license FROM license_history ORDER BY committed_at")"
expect_match "hf cache: explain --revision by a snapshot's prefix" ': apache-2.0, commercial use allowed' \
	"$("$MC_BIN" explain --db "$T/hub.db" --revision 1111 "$C")"

# a long history (fast-import), with two license changes among 20,000 commits
L=$T/long/big
git init -q "$L"
awk 'BEGIN {
	n = 20000
	for (i = 1; i <= n; i++) {
		printf "commit refs/heads/main\nmark :%d\ncommitter t <t@e> %d +0000\ndata 2\nc\n", i, 1700000000 + i * 60
		if (i > 1) printf "from :%d\n", i - 1
		printf "M 644 inline counter.txt\ndata %d\n%d\n", length(i "") + 1, i
		if (i == 1 || i == 7000 || i == 15000) {
			lic = (i == 1) ? "mit" : (i == 7000) ? "cc-by-nc-4.0" : "apache-2.0"
			body = "---\nlicense: " lic "\n---\n"
			printf "M 644 inline README.md\ndata %d\n%s\n", length(body), body
		}
	}
}' | git -C "$L" fast-import --quiet
git -C "$L" reset -q --hard main 2>/dev/null
start=$(date +%s)
"$MC_BIN" scan --quiet --history --db "$T/long.db" "$T/long" >"$T/out" 2>&1
secs=$(($(date +%s) - start))
expect_match "a long history: every commit walked" 'history: +1 models walked, 20000 commits read, 3 revisions recorded' "$(cat "$T/out")"
expect "a long history: the three verdicts" "mit
cc-by-nc-4.0
apache-2.0" "$(q "$T/long.db" "SELECT license FROM license_history ORDER BY committed_at")"
if [ "$secs" -le 20 ]; then ok "a long history: walked in ${secs}s"; else nok "a long history: walked in ${secs}s (over 20s)"; fi

# a missing commit (not a shallow clone): the walk ends there, and says so
X=$T/mc/nocommit
mkdir -p "$T/mc" && cp -r "$S" "$X"
rm -f "$X/.git/objects/$(echo "$c1" | cut -c1-2)/$(echo "$c1" | cut -c3-)"
"$MC_BIN" scan --quiet --history --db "$T/mc.db" "$T/mc" >"$T/out" 2>"$T/err"
expect "missing commit: the commits above it are recorded" "$c2|cc-by-nc-4.0" \
	"$(q "$T/mc.db" "SELECT revision, license FROM license_history")"
expect_match "missing commit: the note says the history ends there" "the history ends here: cannot read commit $c1" \
	"$(q "$T/mc.db" "SELECT note FROM license_history")"
expect_match "missing commit: a warning says so" "history of '$X' ends early: cannot read commit $c1" "$(cat "$T/err")"

# a rewritten history (reset, then another commit): the old rows go
git -C "$R/work" reset -q --hard "$c3"
card "$R/work" gpl-3.0
commit "$R/work" 2024-06-01 gpl
"$MC_BIN" scan --quiet --history --db "$DB" "$R" >"$T/out" 2>&1
expect "a rewritten history: recorded afresh" "mit
cc-by-nc-4.0
gpl-3.0" "$(q "$DB" "SELECT license FROM license_history WHERE path = '$R/work' ORDER BY committed_at")"

# explain --history: JSON, and a model with no history
"$MC_BIN" explain --db "$DB" --format json --history "$R/work" >"$T/j"
expect "explain --history --format json: oldest first" "mit cc-by-nc-4.0 gpl-3.0" \
	"$(sqlite3 -batch -noheader :memory: "SELECT group_concat(json_extract(value, '\$.license'), ' ') FROM json_each(readfile('$T/j'), '\$[0].history')")"
mkcard "$T/plain/p" 'license: mit'
"$MC_BIN" scan --quiet --history --db "$T/plain.db" "$T/plain" >/dev/null 2>&1
"$MC_BIN" explain --db "$T/plain.db" --history "$T/plain/p" >/dev/null 2>"$T/err"
expect "explain --history of a model with none: exit 2" 2 $?
expect_match "... saying what records it" 'scan --history records it' "$(cat "$T/err")"
"$MC_BIN" explain --db "$DB" --history --revision "$c1" "$R/work" >/dev/null 2>&1
expect "explain --history with --revision: a usage error" 2 $?
