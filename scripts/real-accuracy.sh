#!/bin/sh
# real-accuracy.sh: measure the scanner against hand labels of REAL model
# repositories (issue 16).
#
# Labels: tests/data/real-labels.tsv (tab-separated, header line):
#   repo  commit  subpath  license  commercial_use  rationale
# repo is owner/name as fetched; its snapshot is a git directory at
# $MC_REAL_MIRROR/owner+name/repo (default mirror: /work/.mirror).  subpath is
# empty for the root model, else the folder of a sub-model.  license "none"
# with commercial_use "none" means: a code repository, no model expected.
# A rationale starting "[mention-only]" marks a label whose terms the
# repository states only in prose (a License section, a gated prompt), which
# docs/verdicts.md alone would leave unknown; the figures are also given without
# those labels.
#
# For every labelled repository present in the mirror (absent ones are
# skipped with a message) this scans the git directory as the `bare` layout
# sees it (a directory lacking HEAD or objects/ is first copied with
# `git clone --bare -q` into a temporary folder), into a temporary database,
# then matches each label to the inventory row whose path is the repository
# (or <repository>/<subpath>) and prints:
#   license agreement %, commercial_use agreement %, false permits (label not
#   `allowed`, tool `allowed`, each listed), models missed and extra,
# and writes one line per disagreement to $MC_REAL_OUT.
# A snapshot whose HEAD differs from the label's commit is reported.
#
# Environment: MC_BIN (default ./modelcensus), MC_RULES (a rules folder,
# passed as --rules when set), MC_REAL_MIRROR, MC_REAL_LABELS,
# MC_REAL_OUT (default real-accuracy-mismatches.txt).
# Exit 0 whatever the figures; 3 when it cannot run (no binary, no labels,
# no sqlite3, scan failure).
#
# Example:
#   MC_BIN=/work/main/modelcensus MC_RULES=/work/main/rules sh scripts/real-accuracy.sh

MC_BIN=${MC_BIN:-./modelcensus}
MIRROR=${MC_REAL_MIRROR:-/work/.mirror}
LABELS=${MC_REAL_LABELS:-tests/data/real-labels.tsv}
OUT=${MC_REAL_OUT:-real-accuracy-mismatches.txt}

die() { echo "real-accuracy: $*" >&2; exit 3; }
[ -x "$MC_BIN" ] || die "no scanner binary at $MC_BIN (set MC_BIN)"
[ -r "$LABELS" ] || die "no labels file $LABELS"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found"
command -v git >/dev/null 2>&1 || die "git not found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/real-accuracy.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT INT TERM

# 1. Which labelled repositories are here, and the path to scan for each.
: > "$TMP/paths"            # repo <TAB> scanned path
skipped=0
for repo in $(awk -F '\t' 'NR > 1 && $1 != "" { print $1 }' "$LABELS" | sort -u); do
	dir="$MIRROR/$(echo "$repo" | tr / +)/repo"
	if [ ! -d "$dir" ]; then
		echo "skip $repo: not in $MIRROR"
		skipped=$((skipped + 1))
		continue
	fi
	scan=$dir
	if [ ! -e "$dir/HEAD" ] || [ ! -d "$dir/objects" ]; then
		scan="$TMP/clones/$(echo "$repo" | tr / +)"
		mkdir -p "$TMP/clones"
		git clone --bare -q "$dir" "$scan" 2>/dev/null || {
			echo "skip $repo: cannot clone $dir"
			skipped=$((skipped + 1))
			continue
		}
	fi
	want=$(awk -F '\t' -v r="$repo" '$1 == r { print $2; exit }' "$LABELS")
	have=$(git --git-dir="$scan" rev-parse HEAD 2>/dev/null)
	[ "$want" = "$have" ] ||
		echo "note $repo: snapshot HEAD $have, labels were made at $want"
	printf '%s\t%s\n' "$repo" "$scan" >> "$TMP/paths"
done
[ -s "$TMP/paths" ] || { echo "no labelled repository found under $MIRROR"; exit 0; }

# 2. One scan of every present repository into a temporary database.
set --
while IFS="$(printf '\t')" read -r repo path; do set -- "$@" "$path"; done < "$TMP/paths"
rules=
[ -n "$MC_RULES" ] && rules="--rules $MC_RULES"
# shellcheck disable=SC2086
"$MC_BIN" scan --quiet --jobs "${MC_JOBS:-1}" --db "$TMP/inv.db" $rules "$@" \
	> "$TMP/scan.log" 2>&1 || { cat "$TMP/scan.log" >&2; die "scan failed"; }
sqlite3 -separator "$(printf '\t')" "$TMP/inv.db" \
	"SELECT path, ifnull(license, ''), ifnull(commercial_use, ''),
	        ifnull(review, ''), ifnull(error, '') FROM inventory" > "$TMP/rows" ||
	die "cannot read the inventory"

# 3. Match labels to rows and count.
: > "$OUT" || die "cannot write $OUT"
awk -F '\t' -v out="$OUT" -v tot_skipped="$skipped" '
function norm(s,   n, a, i, j, t) {          # lower case, AND-parts sorted
	s = tolower(s); n = split(s, a, / AND | and /)
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
		t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	s = a[1]; for (i = 2; i <= n; i++) s = s " AND " a[i]
	return s
}
FILENAME == ARGV[1] { repopath[$1] = $2; next }
FILENAME == ARGV[2] { lic[$1] = $2; cu[$1] = $3; rev[$1] = $4; err[$1] = $5
                      rows[++nrows] = $1; next }
FNR == 1 { next }                                   # labels header
!($1 in repopath) { next }                          # repository absent
{
	p = repopath[$1] ($3 == "" ? "" : "/" $3)
	labelled[p] = 1
	if ($4 == "none") {                         # code only: no model expected
		ncode++
		found = 0
		for (i = 1; i <= nrows; i++)
			if (rows[i] == p || index(rows[i], p "/") == 1) found = rows[i]
		if (found == 0) codeok++
		else { extra++; print "EXTRA\t" $1 "\t" $3 "\texpected no model, tool found " found " (" lic[found] ", " cu[found] ")" > out }
		next
	}
	nmodels++
	if (!(p in lic)) {
		missed++; lbad++; cbad++
		print "MISSED\t" $1 "\t" $3 "\texpected " $4 " / " $5 "\t" $6 > out
		next
	}
	lok = norm(lic[p]) == norm($4); cok = cu[p] == $5
	if (lok) lgood++; else lbad++
	if (cok) cgood++; else cbad++
	found_n++; if (err[p] != "") nerr++
	if (index($6, "[mention-only]") == 0) {   # labels that need no mention-only reading
		strict_n++; if (lok) strict_l++; if (cok) strict_c++
	}
	if ($5 != "allowed" && cu[p] == "allowed") {
		fp++; fplist = fplist sprintf("  %s%s: expected %s / %s, tool %s / allowed\n",
		    $1, ($3 == "" ? "" : "/" $3), $4, $5, lic[p])
	}
	if (!lok || !cok)
		print (lok ? "CU" : (cok ? "LICENSE" : "BOTH")) "\t" $1 "\t" $3 \
		      "\texpected " $4 " / " $5 "\ttool " lic[p] " / " cu[p] \
		      "\treview " rev[p] (err[p] == "" ? "" : "\terror " err[p]) "\t" $6 > out
}
END {
	# rows below a labelled repository that no label names
	# (the row of the repository itself too, when only sub-folders are labelled)
	for (i = 1; i <= nrows; i++) if (!(rows[i] in labelled)) {
		for (r in repopath) if (rows[i] == repopath[r] || index(rows[i], repopath[r] "/") == 1) {
			extra++
			print "EXTRA\t" r "\t" substr(rows[i], length(repopath[r]) + 2) \
			      "\tunlabelled model (" lic[rows[i]] ", " cu[rows[i]] ")" > out
		}
	}
	nrepo = 0; for (r in repopath) nrepo++
	printf "repositories: %d scanned, %d skipped; labelled models: %d; code-only repositories: %d\n", nrepo, tot_skipped, nmodels, ncode
	if (nmodels > 0) {
		printf "license agreement:        %d/%d = %.1f%%\n", lgood, nmodels, 100 * lgood / nmodels
		printf "commercial_use agreement: %d/%d = %.1f%%\n", cgood, nmodels, 100 * cgood / nmodels
	}
	if (found_n > 0)
		printf "  of the %d models found: license %.1f%%, commercial_use %.1f%%; %d rows carry a read error\n", found_n, 100 * lgood / found_n, 100 * cgood / found_n, nerr
	if (strict_n > 0)
		printf "  labels not tagged [mention-only] (%d): license %.1f%%, commercial_use %.1f%%\n", strict_n, 100 * strict_l / strict_n, 100 * strict_c / strict_n
	printf "code-only repositories with no model found: %d/%d\n", codeok, ncode
	printf "models missed: %d; extra models: %d\n", missed, extra
	printf "false permits (label not allowed, tool allowed): %d\n%s", fp, fplist
}' "$TMP/paths" "$TMP/rows" "$LABELS"
[ -f "$OUT" ] || : > "$OUT"
echo "mismatches: $(wc -l < "$OUT") lines in $OUT"
exit 0
