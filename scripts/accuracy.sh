#!/bin/sh
# accuracy.sh: how well the rule catalog identifies the reference license
# texts in tests/data/licenses (spdx/ and ai/; $MC_LICENSES names another
# folder of the same layout), each as shipped and hard-wrapped at 72 and 80
# columns (fold -s), the way real LICENSE files are.  Builds ./modelcensus
# first when MC_BIN is not given.
#
# What each text should come out as is the table in
# tests/e2e/t_rules_spdx.sh (between "# BEGIN EXPECTED" and "# END
# EXPECTED"): a Hub id (or the slug of a rule) for the texts the catalog
# covers, "-" (no rule) for every text not listed.  For each text and form:
#   right  every expected id was found (as full; as modified for a "~id"
#          entry; either way for "?id") and nothing else was identified as
#          a full or modified text;
#   miss   an expected id was not found;
#   wrong  some other id was found as a full or modified text.
# Mentions (a reference to a license inside another text) are not counted;
# -v lists them.
#
# usage: scripts/accuracy.sh [-v]
# Prints every miss and wrong id, then the totals; exit status 0 when
# nothing was missed or wrong, 1 otherwise, 2 usage error, 3 could not run.
set -u
verbose=0
case "${1:-}" in
-v) verbose=1 ;;
"") ;;
*) echo "usage: scripts/accuracy.sh [-v]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
lic=${MC_LICENSES:-$root/tests/data/licenses}
if [ ! -d "$lic/spdx" ]; then
	echo "accuracy: no reference texts in '$lic' (set MC_LICENSES)" >&2
	exit 3
fi
if [ -z "${MC_BIN:-}" ]; then
	make -C "$root" -s modelcensus >&2 || { echo "accuracy: build failed" >&2; exit 3; }
	MC_BIN=$root/modelcensus
fi
case $MC_BIN in
/*) ;;
*) MC_BIN=$(pwd)/$MC_BIN ;;
esac
table_src=$root/tests/e2e/t_rules_spdx.sh
[ -r "$table_src" ] || { echo "accuracy: cannot read '$table_src'" >&2; exit 3; }

tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT

# The expectation table: "set/NAME<TAB>expected", comments dropped.
sed -n '/^# BEGIN EXPECTED/,/^# END EXPECTED/p' "$table_src" |
	grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$' >"$tmp/table"

# The three forms of every text, under $tmp/FORM/SET/NAME.txt.
for form in plain w72 w80; do
	for set in spdx ai; do
		mkdir -p "$tmp/$form/$set"
	done
done
for set in spdx ai; do
	for f in "$lic/$set"/*.txt; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		cp "$f" "$tmp/plain/$set/$name"
		fold -s -w 72 "$f" >"$tmp/w72/$set/$name"
		fold -s -w 80 "$f" >"$tmp/w80/$set/$name"
	done
done

# One identify run per form and set; lines "FORM SET NAME KIND ID".
: >"$tmp/found"
for form in plain w72 w80; do
	for set in spdx ai; do
		set -- "$tmp/$form/$set"/*.txt
		[ -f "$1" ] || continue
		(cd "$tmp/$form/$set" && "$MC_BIN" identify ./*.txt) >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "accuracy: identify failed on $set ($form), exit $rc:" >&2
			head -n 5 "$tmp/err" >&2
			[ "$rc" -eq 3 ] && [ -s "$tmp/out" ] || exit 3
		fi
		awk -v form="$form" -v set="$set" '
			{ i = index($0, ": "); file = substr($0, 1, i - 1); rest = substr($0, i + 2)
			  sub(/^\.\//, "", file); sub(/\.txt$/, "", file); split(rest, w, " ")
			  if (w[1] == "no" && w[2] == "license") { print form, set, file, "none", "-"; next }
			  print form, set, file, w[2], w[1] }' "$tmp/out" >>"$tmp/found"
	done
done

awk -v verbose="$verbose" -v tablef="$tmp/table" '
BEGIN {
	FS = "\t"
	while ((getline line < tablef) > 0) {
		split(line, c, "\t"); want[c[1]] = c[2]
	}
	FS = " "
}
{
	key = $2 "/" $3; fk = $1 " " key
	seen[fk] = 1; files[key] = 1
	if ($4 == "full" || $4 == "modified") got[fk] = got[fk] " " $4 ":" $5
	else if ($4 == "mention") men[fk] = men[fk] " " $5
}
END {
	nf = split("plain w72 w80", forms, " ")
	for (key in files) {
		set = substr(key, 1, index(key, "/") - 1)
		w = (key in want) ? want[key] : "-"
		for (i = 1; i <= nf; i++) {
			fk = forms[i] " " key
			checks[set]++
			n = (w == "-") ? 0 : split(w, e, ",")
			delete ex
			for (j = 1; j <= n; j++) {
				id = e[j]; kind = "full"
				if (substr(id, 1, 1) == "~") { id = substr(id, 2); kind = "modified" }
				else if (substr(id, 1, 1) == "?") { id = substr(id, 2); kind = "either" }
				ex[id] = kind
			}
			if (n > 0) withrule[set]++; else norule[set]++
			bad = 0
			for (id in ex)
				if (ex[id] == "either" ? (index(got[fk] " ", ":" id " ") == 0) : (index(got[fk] " ", " " ex[id] ":" id " ") == 0)) {
					printf "miss   %s (%s): want %s %s, got%s\n", key, forms[i], ex[id], id, (got[fk] == "" ? " nothing" : got[fk])
					bad = 1; missed[set]++
				}
			m = split(got[fk], g, " ")
			for (j = 1; j <= m; j++) {
				split(g[j], kv, ":")
				if (!(kv[2] in ex)) {
					printf "wrong  %s (%s): %s %s (want %s)\n", key, forms[i], kv[1], kv[2], w
					bad = 1; wrong[set]++
				}
			}
			if (!bad) { right[set]++; if (n > 0) found[set]++; else clean[set]++ }
			if (verbose && men[fk] != "")
				printf "mention %s (%s):%s\n", key, forms[i], men[fk]
		}
	}
	for (s = 1; s <= 2; s++) {
		set = (s == 1) ? "spdx" : "ai"
		if (checks[set] == 0) continue
		printf "%s: %d checks (%d texts x 3 forms): %d right, %d missed, %d wrong ids\n", \
			set, checks[set], checks[set] / 3, right[set], missed[set], wrong[set]
		printf "  with a rule: %d/%d identified as expected; without a rule: %d/%d left unidentified\n", \
			found[set], withrule[set], clean[set], norule[set]
		tc += checks[set]; tr += right[set]; tm += missed[set]; tw += wrong[set]
	}
	printf "total: %d/%d right (%.1f%%), %d missed, %d wrong ids\n", tr, tc, (tc ? 100 * tr / tc : 0), tm, tw
	exit (tm + tw > 0) ? 1 : 0
}' "$tmp/found"
