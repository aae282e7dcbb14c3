#!/bin/sh
# t_changes.sh: what changed between scans (issue 18), as a user sees it.
# A tree of plain folders is scanned (the database's first scan: nothing is
# listed, and diff says why), then one model's card goes from mit to
# cc-by-nc-4.0, one model is removed and one added: the view `changes`
# holds exactly one `changed` (allowed -> not-allowed), one `new`, one
# `gone`; `diff` (table, JSON, CSV) names each in its group; the scan
# summary names the changed and the gone model and points to diff; `check
# --changed` gates only on those (in every format).  A scan that changes
# nothing lists nothing; a base model relicensed makes its fine-tune
# `changed` too (it is not re-read: its final verdict changes); --since
# gives each model's net change (changed back is no change); a bad --since
# exits 2; --shard scans list only their own shard's gone models; a new
# root's models are new; a merge carries the changes and adds none; the
# database stays sound.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"

R=$T/root
DB=$T/inv.db
mkdir -p "$R"
# scan: the summary in $T/sum, stderr in $T/err, $rc
scan() { "$MC_BIN" scan --quiet --db "$DB" "$@" >"$T/sum" 2>"$T/err"; rc=$?; }
last_scan() { q "$DB" "SELECT max(id) FROM scans"; }
# changes_of SCAN: "change:path-relative-to-R" lines, sorted
changes_of() {
	q "$DB" "SELECT change || ':' || substr(path, length('$R') + 2) FROM changes
		WHERE scan_id = $1 ORDER BY path, change"
}

mkcard "$R/a" 'license: mit'
mkcard "$R/b" 'license: mit'
mkcard "$R/c" 'license: apache-2.0'
# a base model in a Hub cache folder (it has a model id) and its fine-tune
C=$R/hub/models--acme--base
rev1=1111111111111111111111111111111111111111
rev2=2222222222222222222222222222222222222222
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$rev1"
printf -- '---\nlicense: mit\n---\n' >"$C/blobs/b1"
ln -s ../../blobs/b1 "$C/snapshots/$rev1/README.md"
printf '%s' "$rev1" >"$C/refs/main"
mkcard "$R/ft" 'license: mit' 'base_model: acme/base'
find "$R" -exec touch -h -d '2024-01-01 00:00:00' {} +

# ---- the first scan: the baseline -------------------------------------------
scan "$R"
expect "first scan exits 0" 0 "$rc"
expect "the first scan lists no change" 0 "$(q "$DB" 'SELECT count(*) FROM changes')"
expect "the first scan is marked as the baseline" 0 "$(q "$DB" 'SELECT changes FROM scans WHERE id = 1')"
expect_match "its summary says the first scan lists nothing" \
	"changes: +none listed: the database's first scan, so every model is new" "$(cat "$T/sum")"
out=$("$MC_BIN" diff --db "$DB" 2>&1); rc=$?
expect "diff after the first scan exits 0" 0 "$rc"
expect_match "diff after the first scan says plainly why nothing is listed" \
	"scan 1 was the database's first scan: every model in it is new, and none is listed" "$out"
"$MC_BIN" check --db "$DB" --deny license:mit --changed >"$T/out" 2>&1
expect "check --changed after the first scan: every model is new, all are judged" \
	"5 models checked: 4 violate the policy, 0 excepted" "$(tail -n 1 "$T/out")"

# ---- a card changed, a model removed, one added -----------------------------
mkcard "$R/a" 'license: cc-by-nc-4.0'
rm -rf "$R/b"
mkcard "$R/d" 'license: mit'
scan "$R"
s2=$(last_scan)
expect "the rescan exits 0" 0 "$rc"
expect "changes holds exactly a changed, a gone and a new model" \
	"changed:a gone:b new:d" "$(changes_of "$s2" | tr '\n' ' ' | sed 's/ $//')"
expect "the changed model: allowed -> not-allowed, mit -> cc-by-nc-4.0" \
	"mit|cc-by-nc-4.0|allowed|not-allowed" \
	"$(q "$DB" "SELECT old_license, new_license, old_commercial_use, new_commercial_use
		FROM changes WHERE change = 'changed' AND scan_id = $s2")"
expect "the conditions change too" "attribution|attribution,non-commercial" \
	"$(q "$DB" "SELECT old_conditions, new_conditions FROM changes WHERE change = 'changed' AND scan_id = $s2")"
expect "the new model: no old verdict, its new one" "|mit||allowed" \
	"$(q "$DB" "SELECT old_license, new_license, old_commercial_use, new_commercial_use
		FROM changes WHERE change = 'new' AND scan_id = $s2")"
expect "the gone model: its last verdict, no new one" "mit||allowed|" \
	"$(q "$DB" "SELECT old_license, new_license, old_commercial_use, new_commercial_use
		FROM changes WHERE change = 'gone' AND scan_id = $s2")"
expect "the view has the documented columns" \
	"scan_id,path,model_id,change,old_license,new_license,old_commercial_use,new_commercial_use,old_conditions,new_conditions,old_review,new_review" \
	"$(q "$DB" "SELECT group_concat(name, ',') FROM pragma_table_info('changes')")"
sum=$(cat "$T/sum")
expect_match "the summary names the gone model" "gone: +1 models no longer found: $R/b\$" "$sum"
expect_match "the summary names the model whose commercial use changed" \
	"commercial use changed: 1 models: $R/a \(allowed -> not-allowed\)" "$sum"
expect_match "the summary counts the changes and points to diff" \
	"changes: +1 new, 1 changed, 1 gone since the last scan \(modelcensus diff --db '$DB'\)" "$sum"

# diff, as a table
out=$("$MC_BIN" diff --db "$DB" 2>"$T/err"); rc=$?
expect "diff exits 0" "0 " "$rc $(cat "$T/err")"
expect_match "diff's heading names the scan and counts each group" \
	"^changes in scan $s2 \(.*\): 1 more restrictive, 1 new, 1 gone\$" "$(echo "$out" | head -n 1)"
expect "diff lists the changed model under 'more restrictive'" \
	"  $R/a: commercial_use allowed -> not-allowed; license mit -> cc-by-nc-4.0; conditions attribution -> attribution,non-commercial" \
	"$(echo "$out" | sed -n '/^more restrictive (1):$/{n;p;}')"
expect "diff lists the new model under 'new'" \
	"  $R/d: commercial_use allowed, license mit, conditions attribution" \
	"$(echo "$out" | sed -n '/^new (1):$/{n;p;}')"
expect "diff lists the gone model under 'gone'" \
	"  $R/b: was commercial_use allowed, license mit, conditions attribution" \
	"$(echo "$out" | sed -n '/^gone (1):$/{n;p;}')"
expect_notmatch "diff lists no unchanged model" "$R/(c|ft)|acme" "$out"

# diff, as CSV
"$MC_BIN" diff --db "$DB" --format csv >"$T/out.csv"
expect "diff --format csv: a header and one row a model" \
	"group,scan_id,path,model_id,change,old_license,new_license,old_commercial_use,new_commercial_use,old_conditions,new_conditions,old_review,new_review
more-restrictive,$s2,$R/a,,changed,mit,cc-by-nc-4.0,allowed,not-allowed,attribution,\"attribution,non-commercial\",,
new,$s2,$R/d,,new,,mit,,allowed,,attribution,,
gone,$s2,$R/b,,gone,mit,,allowed,,attribution,,," "$(tr -d '\r' <"$T/out.csv")"

# diff, as JSON
"$MC_BIN" diff --db "$DB" --format json >"$T/out.json"
if command -v python3 >/dev/null 2>&1; then
	out=$(python3 - "$T/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
groups = ["more_permissive", "more_restrictive", "changed", "new", "gone"]
print(" ".join("%s=%s" % (g, ",".join(m["path"].rsplit("/", 1)[1] for m in d[g])) for g in groups),
      d["scans"], d["since"], d["notes"],
      d["more_restrictive"][0]["old_commercial_use"], d["more_restrictive"][0]["new_commercial_use"])
EOF
)
	expect "diff --format json: each model in its group, the scan, no note" \
		"more_permissive= more_restrictive=a changed= new=d gone=b [$s2] None [] allowed not-allowed" "$out"
else
	skip "diff --format json parses" "no python3"
fi

# check --changed gates only on the new and changed models
"$MC_BIN" check --db "$DB" --deny license:mit >/dev/null 2>&1
expect "check without --changed: the unchanged mit models violate too" 1 $?
"$MC_BIN" check --db "$DB" --deny license:mit --changed >"$T/out" 2>"$T/err"; rc=$?
expect "check --changed --deny license:mit: the new model violates, exit 1" 1 "$rc"
expect "check --changed judges only the new and the changed model" \
	"VIOLATION $R/d|2 models checked: 1 violate the policy, 0 excepted" \
	"$(grep -E '^VIOLATION|models checked' "$T/out" | tr '\n' '|' | sed 's/|$//')"
"$MC_BIN" check --db "$DB" --deny not-allowed --changed >"$T/out" 2>&1
expect "check --changed --deny not-allowed names the changed model, exit 1" "1 VIOLATION $R/a" \
	"$? $(grep '^VIOLATION' "$T/out")"
"$MC_BIN" check --db "$DB" --deny not-allowed --changed --where "path LIKE '%/d'" >"$T/out" 2>&1
expect "check --changed with --where: both apply" "0 1 models checked: 0 violate the policy, 0 excepted" \
	"$? $(tail -n 1 "$T/out")"
"$MC_BIN" check --db "$DB" --deny license:mit --changed --where "1) OR (1" >"$T/out" 2>&1
expect "check --changed: no parenthesis in --where reaches around it" \
	"1 2 models checked: 1 violate the policy, 0 excepted" "$? $(tail -n 1 "$T/out")"
"$MC_BIN" check --db "$DB" --deny license:mit --changed --where "1); DELETE FROM models; SELECT (1" >"$T/out" 2>"$T/err"
expect "check --changed: a --where of several statements is refused, exit 2" "2 bad query" \
	"$? $(grep -o 'bad query' "$T/err")"
"$MC_BIN" check --db "$DB" --deny license:mit --changed --format json >"$T/out.json"
expect "check --changed --format json: exit 1" 1 $?
"$MC_BIN" check --db "$DB" --deny license:mit --changed --format sarif >"$T/out.sarif"
expect "check --changed --format sarif: exit 1" 1 $?
"$MC_BIN" check --db "$DB" --deny license:mit --changed --format junit >"$T/out.xml"
expect "check --changed --format junit: exit 1" 1 $?
if command -v python3 >/dev/null 2>&1; then
	out=$(python3 - "$T/out.json" "$T/out.sarif" "$T/out.xml" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
x = ET.parse(sys.argv[3]).getroot()
print(j["checked"], j["violations"], [m["path"].rsplit("/", 1)[1] for m in j["models"]],
      len(s["runs"][0]["results"]), x.get("tests"), x.get("failures"))
EOF
)
	expect "check --changed: JSON, SARIF and JUnit judge the same two models" "2 1 ['d'] 1 2 1" "$out"
else
	skip "check --changed formats parse" "no python3"
fi
"$MC_BIN" check --db "$DB" --policy /dev/null --changed >/dev/null 2>&1
expect "check --changed still needs a rule" 2 $?

# ---- a scan that changes nothing --------------------------------------------
scan "$R"
s3=$(last_scan)
expect "a scan with no change lists nothing" 0 "$(q "$DB" "SELECT count(*) FROM changes WHERE scan_id = $s3")"
expect_match "its summary says so" "changes: +none since the last scan" "$(cat "$T/sum")"
expect_notmatch "its summary names nothing gone" "gone:" "$(cat "$T/sum")"
expect "diff after it: nothing" "changes in scan $s3" \
	"$("$MC_BIN" diff --db "$DB" | sed 's/ (.*//')"
expect_match "diff says none" ": none\$" "$("$MC_BIN" diff --db "$DB")"
"$MC_BIN" check --db "$DB" --deny license:mit --changed >"$T/out" 2>&1
expect "check --changed after it: nothing to judge, exit 0" \
	"0 0 models checked: 0 violate the policy, 0 excepted" "$? $(tail -n 1 "$T/out")"
expect "nothing is left waiting in verdict_before" 0 "$(q "$DB" 'SELECT count(*) FROM verdict_before')"

# ---- a base model relicensed: its fine-tune changes too ---------------------
mkdir -p "$C/snapshots/$rev2"
printf -- '---\nlicense: cc-by-nc-4.0\n---\n' >"$C/blobs/b2"
ln -s ../../blobs/b2 "$C/snapshots/$rev2/README.md"
printf '%s' "$rev2" >"$C/refs/main"
scan "$R"
s4=$(last_scan)
expect_match "the fine-tune was not re-read" "unchanged: +[0-9]+ models" "$(cat "$T/sum")"
expect "the base and its fine-tune are changed" "changed:ft changed:hub/models--acme--base" \
	"$(changes_of "$s4" | tr '\n' ' ' | sed 's/ $//')"
expect "the fine-tune's final verdict: allowed -> not-allowed" "allowed|not-allowed" \
	"$(q "$DB" "SELECT old_commercial_use, new_commercial_use FROM changes
		WHERE scan_id = $s4 AND path = '$R/ft'")"
expect_match "the summary names both" \
	"commercial use changed: 2 models: $R/ft \(allowed -> not-allowed\), $C \(allowed -> not-allowed\)" \
	"$(cat "$T/sum")"
expect_match "diff names the fine-tune as more restrictive" \
	"more restrictive \(2\):" "$("$MC_BIN" diff --db "$DB")"

# ---- --since: each model's net change ----------------------------------------
mkcard "$R/a" 'license: mit'	# back to what it was before scan 2
scan "$R"
s5=$(last_scan)
expect "a model changed back is a change of that scan" "changed:a" "$(changes_of "$s5")"
out=$("$MC_BIN" diff --db "$DB" --since 1)
expect_match "diff --since 1 covers the scans after it" "^changes since scan 1 \(scans 2 to $s5\)" "$out"
expect_notmatch "diff --since 1: a model changed and changed back is no change" "$R/a:" "$out"
expect_match "diff --since 1: the fine-tune, more restrictive" "$R/ft: commercial_use allowed -> not-allowed" "$out"
expect_match "diff --since 1: the new model" "$R/d: commercial_use allowed" "$out"
expect_match "diff --since 1: the gone model" "$R/b: was commercial_use allowed" "$out"
out=$("$MC_BIN" diff --db "$DB" --since "$s3" --format csv | tr -d '\r' | cut -d, -f1,3 | tail -n +2 | sort | tr '\n' ' ')
expect "diff --since over two scans: their changes, a's change back included" \
	"more-permissive,$R/a more-restrictive,$R/ft more-restrictive,$C " "$out"
out=$("$MC_BIN" diff --db "$DB" --since "$s5")
expect "diff --since the last scan: nothing after it" "no scan finished after scan $s5" "$out"
"$MC_BIN" diff --db "$DB" --since 999 >"$T/out" 2>"$T/err"; rc=$?
expect "diff --since a scan that does not exist: exit 2, nothing on stdout" "2 " "$rc $(cat "$T/out")"
expect "diff --since a scan that does not exist says so" \
	"modelcensus: database '$DB' has no scan 999; its scans are numbered 1 to $s5" "$(cat "$T/err")"
"$MC_BIN" diff --db "$DB" --since two >"$T/out" 2>"$T/err"; rc=$?
expect "diff --since not a number: exit 2, one line" \
	"2 modelcensus: diff: --since takes a scan's id (a number from 1), not 'two'; see 'modelcensus diff --help'" \
	"$rc $(cat "$T/err")"
"$MC_BIN" diff --db "$T/none.db" >"$T/out" 2>"$T/err"
expect "diff of a missing database: exit 3" 3 $?
expect "and it is not created" "" "$(ls "$T/none.db" 2>/dev/null)"

# ---- shards: each lists only its own gone models ------------------------------
for n in 1 2 3 4 5 6 7 8; do mkcard "$R/s/m$n" 'license: mit'; done
scan "$R"
rm -rf "$R/s"
scan --shard 0/2 "$R"
s6=$(last_scan)
scan --shard 1/2 "$R"
s7=$(last_scan)
expect "each shard's scan lists as gone what it marked gone" \
	"$(q "$DB" "SELECT gone FROM scans WHERE id = $s6")|$(q "$DB" "SELECT gone FROM scans WHERE id = $s7")" \
	"$(q "$DB" "SELECT count(*) FROM changes WHERE scan_id = $s6 AND change = 'gone'")|$(q "$DB" "SELECT count(*) FROM changes WHERE scan_id = $s7 AND change = 'gone'")"
expect "a rescan that read nothing but found models gone keeps the fine-tune's inherited verdict" \
	not-allowed "$(q "$DB" "SELECT commercial_use FROM inventory WHERE path = '$R/ft'")"
expect "the two shards list the 8 gone models once each, and nothing else" "8|8|8" \
	"$(q "$DB" "SELECT count(*), count(DISTINCT path), sum(change = 'gone') FROM changes WHERE scan_id IN ($s6, $s7)")"

# ---- another root: its models are new; the first root's are not gone ----------
mkcard "$T/other/x" 'license: mit'
scan "$T/other"
s8=$(last_scan)
expect "a root scanned for the first time: its models are new, nothing else is listed" \
	"new:$T/other/x" "$(q "$DB" "SELECT change || ':' || path FROM changes WHERE scan_id = $s8")"

# ---- merge: the changes come along, none is added -----------------------------
rows=$(q "$DB" 'SELECT count(*) FROM changes')
"$MC_BIN" merge "$T/merged.db" "$DB" >/dev/null 2>&1
expect "merge exits 0" 0 $?
expect "the merged inventory holds the same changes" "$rows" "$(q "$T/merged.db" 'SELECT count(*) FROM changes')"
"$MC_BIN" scan --quiet --db "$T/merged.db" "$R" >/dev/null 2>&1
expect "a scan of the merged inventory finds no bogus change" \
	"0" "$(q "$T/merged.db" "SELECT count(*) FROM changes WHERE scan_id = (SELECT max(id) FROM scans)")"

expect "the database stays sound" "ok" "$(q "$DB" 'PRAGMA integrity_check')"
expect "no foreign key is broken" "" "$(q "$DB" 'PRAGMA foreign_key_check')"
