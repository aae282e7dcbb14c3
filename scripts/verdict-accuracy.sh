#!/bin/sh
# verdict-accuracy.sh: how often the inventory's verdict is the one
# docs/verdicts.md asks for.  Builds ./modelcensus (unless MC_BIN
# is given), generates the synthetic mirror of scripts/gen-mirror.sh (every
# card value x every license file variant, a few as git repositories) into a
# temporary directory, scans it, and compares each model's license and
# commercial_use with OUTDIR/expected.tsv (whose expectations come from
# gen-mirror's own table, not from rules/ or the tool).
#
#   scripts/verdict-accuracy.sh [--summary] [--keep | --reuse DIR]
#
# Prints every disagreement (false permits first), the disagreements counted
# by license file variant and by card value, the expected ids no rule of
# the catalog carries (a catalog gap rather than an engine bug), then the
# license agreement (N/M, %), the commercial_use agreement, and the count
# of FALSE PERMITS (the tool says `allowed` where the expectation is not).
#   --summary  leave out the list of every disagreement
#   --keep     keep the temporary directory (mirror, inventory) and say where
#   --reuse DIR  compare again what a --keep run left in DIR (no build,
#              no generation, no scan)
# Exit status: 0 everything agrees and no false permit; 1 disagreements;
# 2 usage error; 3 could not run (build, generator, scan).
set -u
export LC_ALL=C
usage() { echo "usage: scripts/verdict-accuracy.sh [--summary] [--keep | --reuse DIR]" >&2; exit 2; }
list=1 keep=0 reuse=
while [ $# -gt 0 ]; do
	case $1 in
	--summary) list=0 ;;
	--keep) keep=1 ;;
	--reuse) [ $# -ge 2 ] || usage; reuse=$2; shift ;;
	*) usage ;;
	esac
	shift
done

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${MC_BIN:-}" ]; then
	make -s -C "$root" >/dev/null || { echo "verdict-accuracy: build failed" >&2; exit 3; }
	MC_BIN=$root/modelcensus
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "verdict-accuracy: sqlite3 not found" >&2; exit 3; }

if [ -n "$reuse" ]; then
	if [ ! -f "$reuse/inventory.db" ] || [ ! -f "$reuse/mirror/expected.tsv" ]; then
		echo "verdict-accuracy: '$reuse' holds no kept run" >&2
		exit 2
	fi
	tmp=$(cd "$reuse" && pwd)
	mirror=$tmp/mirror
	db=$tmp/inventory.db
	start=0 end=0
else
	tmp=$(mktemp -d)
	if [ $keep -eq 1 ]; then
		trap 'echo "verdict-accuracy: kept $tmp (--reuse it)" >&2' EXIT
	else
		trap 'rm -rf "$tmp"' EXIT
	fi
	mirror=$tmp/mirror
	db=$tmp/inventory.db

	sh "$root/scripts/gen-mirror.sh" "$mirror" 2>"$tmp/gen.err" ||
		{ cat "$tmp/gen.err" >&2; echo "verdict-accuracy: gen-mirror failed" >&2; exit 3; }
	mirror=$(cd "$mirror" && pwd)
	start=$(date +%s)
	"$MC_BIN" scan --quiet --db "$db" "$mirror" >"$tmp/scan.out" 2>"$tmp/scan.err"
	rc=$?
	end=$(date +%s)
	if [ $rc -ne 0 ]; then
		cat "$tmp/scan.err" >&2
		echo "verdict-accuracy: scan exited $rc" >&2
		exit 3
	fi
fi
"$MC_BIN" rules list 2>/dev/null | awk 'NR > 1 { print $1 }' >"$tmp/rule-ids"

sqlite3 -batch "$db" >"$tmp/report" 2>"$tmp/sql.err" <<EOF
.mode tabs
CREATE TEMP TABLE exp(path TEXT PRIMARY KEY, license TEXT, cu TEXT);
.import '$mirror/expected.tsv' exp
CREATE TEMP TABLE rule_ids(id TEXT PRIMARY KEY);
.import '$tmp/rule-ids' rule_ids
CREATE TEMP VIEW cmp AS
  SELECT e.path, e.license AS e_lic, e.cu AS e_cu,
         coalesce(i.license, '(not in the inventory)') AS a_lic,
         coalesce(i.commercial_use, '-') AS a_cu, coalesce(i.review, '') AS review,
         coalesce(i.error, '') AS error
  FROM exp e LEFT JOIN inventory i ON i.path = '$mirror/' || e.path;
CREATE TEMP VIEW bad AS
  SELECT *, (a_cu = 'allowed' AND e_cu <> 'allowed') AS false_permit FROM cmp
  WHERE a_lic <> e_lic OR a_cu <> e_cu;
.mode list
.separator '|'
SELECT 'M', count(*), sum(e_lic = a_lic), sum(e_cu = a_cu),
       sum(a_cu = 'allowed' AND e_cu <> 'allowed'), sum(a_lic = '(not in the inventory)')
  FROM cmp;
SELECT 'X', count(*) FROM inventory WHERE path NOT IN (SELECT '$mirror/' || path FROM exp);
.mode tabs
SELECT 'D', false_permit, path, e_lic, e_cu, a_lic, a_cu, review, error FROM bad
  ORDER BY false_permit DESC, path;
SELECT 'G', count(*), sum(false_permit),
       CASE WHEN instr(path, ',l=') THEN substr(path, instr(path, ',l=') + 3) ELSE path END AS v,
       min(e_lic || ' / ' || e_cu || '  ->  ' || a_lic || ' / ' || a_cu)
  FROM bad GROUP BY v ORDER BY 2 DESC, v;
SELECT 'C', count(*), sum(false_permit),
       CASE WHEN instr(path, ',l=') THEN substr(path, 8, instr(path, ',l=') - 8) ELSE path END AS c
  FROM bad GROUP BY c ORDER BY 2 DESC, c;
WITH RECURSIVE split(id, rest) AS (
  SELECT '', (SELECT group_concat(DISTINCT e_lic) FROM bad) || ','
  UNION ALL
  SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
  FROM split WHERE rest <> ''
), ids(id) AS (
  SELECT DISTINCT value FROM split, json_each('["' || replace(split.id, ' AND ', '","') || '"]')
  WHERE split.id <> ''
)
SELECT 'R', id, (SELECT count(*) FROM exp WHERE ' AND ' || license || ' AND ' LIKE '% AND ' || ids.id || ' AND %')
  FROM ids WHERE id NOT IN (SELECT id FROM rule_ids) AND id <> 'unknown'
  AND id <> 'acme-model-license-v3' ORDER BY id;
EOF
if [ -s "$tmp/sql.err" ]; then
	cat "$tmp/sql.err" >&2
	echo "verdict-accuracy: comparing failed" >&2
	exit 3
fi

awk -F'\t' -v list=$list -v secs=$((end - start)) -v reused="$reuse" '
function pct(n, m) { return m ? sprintf("%.2f%%", 100 * n / m) : "-" }
$1 ~ /^M[|]/ { split($1, f, "|"); m = f[2]; lic = f[3]; cu = f[4]; fp = f[5]; miss = f[6]; next }
$1 ~ /^X[|]/ { split($1, f, "|"); extra = f[2]; next }
$1 == "D" {
	nd++
	if (!list) next
	if (nd == 1) print "disagreements (path: expected license / commercial_use -> actual license / commercial_use [review]):"
	printf "%s%s: %s / %s -> %s / %s", $2 == 1 ? "FALSE PERMIT " : "", $3, $4, $5, $6, $7
	if ($8 != "") printf " [%s]", $8
	if ($9 != "") printf " (error: %s)", $9
	printf "\n"
	next
}
$1 == "G" { g[++ng] = sprintf("%6d %6d  %-28s e.g. %s", $2, $3, $4, $5); next }
$1 == "C" { c[++nc] = sprintf("%s %d", $4, $2); next }
$1 == "R" { r[++nr] = sprintf("%s (%d models)", $2, $3); next }
END {
	if (list && nd) print ""
	if (ng) {
		print "disagreements by license file variant (models, false permits, variant, e.g. expected -> actual):"
		for (i = 1; i <= ng; i++) print g[i]
		print ""
		printf "disagreements by card value:"
		for (i = 1; i <= nc; i++) printf "%s%s", i == 1 ? " " : ", ", c[i]
		print "\n"
	}
	if (nr) {
		printf "expected ids that no rule in the catalog carries:"
		for (i = 1; i <= nr; i++) printf "%s%s", i == 1 ? " " : ", ", r[i]
		print "\n"
	}
	printf "models: %d expected (%s), %d not in the inventory, %d unexpected in the inventory\n", m,
		reused != "" ? "a kept scan" : "scan took " secs "s", miss, extra
	printf "license agreement:        %d/%d (%s)\n", lic, m, pct(lic, m)
	printf "commercial_use agreement: %d/%d (%s)\n", cu, m, pct(cu, m)
	printf "FALSE PERMITS:            %d\n", fp
	exit (lic == m && cu == m && fp == 0 && m > 0 && extra == 0) ? 0 : 1
}' "$tmp/report"
