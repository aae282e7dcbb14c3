#!/bin/sh
# compare-inventory.sh: do two builds of modelcensus record the same
# inventory?  For a change that must not change behaviour (a refactor, a
# faster path), run the binary before and after over the same trees and
# compare everything a user can see: every model's row (verdict, lineage,
# reasoning, errors), its card fields, its evidence and its weights, after
# a full scan and after a rescan of the unchanged tree.
#
#   scripts/compare-inventory.sh OLD_BIN[:RULES_DIR] NEW_BIN[:RULES_DIR]
#
# A RULES_DIR after a colon is the rule catalog that binary scans with
# ($MODELCENSUS_RULES); give both sides the same one to compare code alone.  The trees come from
# scripts/gen-mirror.sh (every card value against every reference license
# text, as folders, work trees and bare mirrors) and scripts/gen-bench-tree.sh
# (cards, Hugging Face cache folders, checkpoint folders and GGUF files, git
# repositories), at sizes that take about a minute; both need the reference
# texts (tests/data, or ../shared).  Columns that hold times, scan numbers
# or row ids are left out: they differ between any two runs.
#
# Environment: CMP_DIR, where trees and databases go (default: a temporary
# folder, removed at the end); CMP_SCALE multiplies the bench trees' sizes.
# Exit status: 0 same, 1 different (the first differing lines are shown),
# 2 usage, 3 could not run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 2 ] || { echo "usage: compare-inventory.sh OLD_BIN[:RULES] NEW_BIN[:RULES]" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "compare-inventory: sqlite3 is not installed" >&2; exit 3; }

dir=${CMP_DIR:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
fi
scale=${CMP_SCALE:-1}
size() { awk -v n="$1" -v s="$scale" 'BEGIN { printf "%d", n * s + 0.5 }'; }

# trees, built once and reused when CMP_DIR names a folder that has them
[ -d "$dir/mirror" ] || sh "$root/scripts/gen-mirror.sh" "$dir/mirror" >/dev/null
for kind in cards hfcache ckpt repos; do
	case $kind in cards) n=2000 ;; hfcache) n=300 ;; ckpt) n=400 ;; repos) n=200 ;; esac
	[ -d "$dir/$kind" ] ||
		sh "$root/scripts/gen-bench-tree.sh" "$kind" "$(size $n)" "$dir/$kind" >/dev/null
done

# dump DB: every user-visible fact, one line each, sorted
dump() {
	sqlite3 -batch -noheader -separator '|' "$1" "
SELECT 'model', path, layout, model_id, revision, card_file,
       declared_license, detected_license, license, commercial_use,
       conditions, review, base_models, error, own_license,
       own_commercial_use, own_conditions, own_review, own_reasoning,
       own_body_restriction, reasoning, snapshots, weight_bytes
  FROM models WHERE gone = 0;
SELECT 'card', m.path, c.key, c.value
  FROM card_fields c JOIN models m ON m.id = c.model WHERE m.gone = 0;
SELECT 'evidence', m.path, e.source, e.name, e.role, e.blob, e.size, e.rule,
       e.kind, e.coverage, e.line_start, e.line_end, e.added_start,
       e.added_end, e.note
  FROM evidence e JOIN models m ON m.id = e.model WHERE m.gone = 0;
SELECT 'weight', m.path, w.path, w.format, w.size, w.lfs_oid, w.present,
       w.incomplete, w.license, w.error
  FROM weights w JOIN models m ON m.id = w.model WHERE m.gone = 0;" | LC_ALL=C sort
}

# run NAME BIN[:RULES] TREE: a full scan, then a rescan, each dumped
run() {
	bin=${2%%:*} rules=
	case $2 in *:*) rules=${2#*:} ;; esac
	db=$dir/$1-$3.db
	rm -f "$db" "$db-wal" "$db-shm"
	for pass in full rescan; do
		MODELCENSUS_RULES=${rules:-${MODELCENSUS_RULES:-}} \
		"$bin" scan --quiet --db "$db" "$dir/$3" \
			>/dev/null 2>"$dir/$1-$3.$pass.err" ||
			{ echo "compare-inventory: $bin failed on $3:" >&2; cat "$dir/$1-$3.$pass.err" >&2; exit 3; }
		dump "$db" >"$dir/$1-$3.$pass.txt"
	done
}

status=0
for tree in mirror cards hfcache ckpt repos; do
	run old "$1" "$tree"
	run new "$2" "$tree"
	for pass in full rescan; do
		n=$(wc -l <"$dir/new-$tree.$pass.txt")
		if cmp -s "$dir/old-$tree.$pass.txt" "$dir/new-$tree.$pass.txt"; then
			echo "same       $tree ($pass): $n lines"
		else
			echo "DIFFERENT  $tree ($pass):"
			diff "$dir/old-$tree.$pass.txt" "$dir/new-$tree.$pass.txt" | head -20
			status=1
		fi
	done
done
exit $status
