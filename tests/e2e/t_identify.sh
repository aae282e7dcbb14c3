#!/bin/sh
# t_identify.sh: `modelcensus identify` and `modelcensus rules list|test` as
# a user sees them: output lines, JSON, exit codes (0 done, 1 failing rule
# examples, 2 usage, 3 rules that do not load or unreadable files), errors
# naming the file and line, --rules overlays, and `rules test` over the
# shipped catalog in rules/.  Uses the fixture rules (tests/fixtures/rules:
# MIT with an `end`, Apache-2.0) so that it does not depend on the catalog.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
export MODELCENSUS_RULES="$root/tests/fixtures/rules"

# json FILE PATH: one value out of a JSON file (sqlite3's JSON functions)
json() { sqlite3 -batch -noheader :memory: "select json_extract(readfile('$1'), '$2')"; }

cat >"$T/mit.txt" <<'EOF'
MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND. IN NO EVENT
SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, ARISING FROM
THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
{ cat "$T/mit.txt"; echo; echo "The Software may not be used for commercial purposes."; } >"$T/mit-nc.txt"
{ cat "$T/mit.txt"; echo; cat <<'EOF'
                                 Apache License
                           Version 2.0, January 2004
   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION
   3. Grant of Patent License.
   5. Submission of Contributions.
   END OF TERMS AND CONDITIONS
EOF
} >"$T/dual.txt"
printf '# A model\n\nThis model is released under the MIT License.\n' >"$T/card.md"
printf 'nothing to see here\n' >"$T/plain.txt"

# --- identify ------------------------------------------------------------
out=$("$MC_BIN" identify "$T/mit.txt"); rc=$?
expect "identify: full text" "$T/mit.txt: mit full coverage 1.00 lines 1-12" "$out"
expect "identify: exit 0" 0 "$rc"

out=$("$MC_BIN" identify "$T/mit-nc.txt")
expect "identify: added non-commercial clause is modified" \
	"$T/mit-nc.txt: mit modified coverage 1.00 lines 1-12 added 14-14 restricts-commercial" "$out"

out=$("$MC_BIN" identify "$T/dual.txt")
expect "identify: two licenses, each with its lines" \
	"$T/dual.txt: mit full coverage 1.00 lines 1-12
$T/dual.txt: apache-2.0 full coverage 0.83 lines 14-19" "$out"

out=$("$MC_BIN" identify "$T/card.md")
expect "identify: mention" "$T/card.md: mit mention lines 3-3" "$out"

out=$("$MC_BIN" identify "$T/plain.txt"); rc=$?
expect "identify: nothing identified" "$T/plain.txt: no license identified" "$out"
expect "identify: nothing identified exits 0" 0 "$rc"

out=$("$MC_BIN" identify - <"$T/mit.txt")
expect "identify: standard input" "-: mit full coverage 1.00 lines 1-12" "$out"

out=$("$MC_BIN" identify "$T/mit.txt" "$T/missing.txt" "$T/plain.txt" 2>"$T/err"); rc=$?
expect "identify: a missing FILE is a usage error (exit 2), as for scan's PATHs" 2 "$rc"
expect "identify: ... found before any work: nothing is reported" "" "$out"
expect_match "identify: the missing file named on stderr" "cannot read '.*missing\.txt'" "$(cat "$T/err")"

"$MC_BIN" identify --format json "$T/mit-nc.txt" "$T/dual.txt" >"$T/out.json"; rc=$?
expect "identify json: exit 0" 0 "$rc"
expect "identify json: id" "mit" "$(json "$T/out.json" '$[0].matches[0].id')"
expect "identify json: kind" "modified" "$(json "$T/out.json" '$[0].matches[0].kind')"
expect "identify json: lines" "[1,12]" "$(json "$T/out.json" '$[0].matches[0].lines')"
expect "identify json: added lines" "[14,14]" "$(json "$T/out.json" '$[0].matches[0].added_lines')"
expect "identify json: restricts" "1" "$(json "$T/out.json" '$[0].matches[0].restricts_commercial')"
expect "identify json: second file's second license" "apache-2.0 [14,19]" \
	"$(json "$T/out.json" '$[1].matches[1].id') $(json "$T/out.json" '$[1].matches[1].lines')"
expect "identify json: spdx" "Apache-2.0" "$(json "$T/out.json" '$[1].matches[1].spdx')"

"$MC_BIN" identify >/dev/null 2>&1; expect "identify: no FILE is a usage error" 2 $?
"$MC_BIN" identify --format xml "$T/mit.txt" >/dev/null 2>&1
expect "identify: bad --format is a usage error" 2 $?
"$MC_BIN" identify --bogus "$T/mit.txt" >/dev/null 2>&1
expect "identify: unknown option is a usage error" 2 $?
out=$("$MC_BIN" identify --help); rc=$?
expect "identify --help: exit 0" 0 "$rc"
for flag in --rules --format --help; do
	expect_match "identify --help names $flag" "$flag" "$out"
done

# --- bad rules -----------------------------------------------------------
mkdir -p "$T/bad"
cat >"$T/bad/broken.yaml" <<'EOF'
id: broken
name: Broken
spdx: LicenseRef-broken
commercial: allowed
match:
  all:
    - 'an (unclosed group'
examples:
  positive: ['x']
EOF
"$MC_BIN" identify --rules "$T/bad" "$T/mit.txt" >"$T/out" 2>"$T/err"; rc=$?
expect "bad rule: exit 3" 3 "$rc"
expect_match "bad rule: names file, line and PCRE2's message" \
	"broken\.yaml:7: pattern 'an \(unclosed group' does not compile at offset [0-9]+: missing closing parenthesis" \
	"$(cat "$T/err")"
expect "bad rule: nothing on stdout" "" "$(cat "$T/out")"
"$MC_BIN" rules test --rules "$T/bad" >/dev/null 2>&1; expect "bad rule: rules test exits 3" 3 $?
"$MC_BIN" rules list --rules "$T/bad" >/dev/null 2>&1; expect "bad rule: rules list exits 3" 3 $?
MODELCENSUS_RULES="$T/nowhere" "$MC_BIN" identify "$T/mit.txt" 2>"$T/err"; rc=$?
expect "missing catalog: exit 3" 3 "$rc"
expect_match "missing catalog: named" "nowhere" "$(cat "$T/err")"

mkdir -p "$T/boom"
cat >"$T/boom/boom.yaml" <<'EOF'
id: boom
name: Boom
spdx: LicenseRef-boom
commercial: allowed
match:
  all: ['(?:x+)+y']
examples:
  positive: ['xy']
EOF
{ printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx c y\n'; cat "$T/mit.txt"; } >"$T/boom.txt"
start=$(date +%s)
out=$("$MC_BIN" identify --rules "$T/boom" "$T/boom.txt" 2>"$T/err"); rc=$?
end=$(date +%s)
expect "catastrophic rule: exit 3" 3 "$rc"
expect_match "catastrophic rule: names the rule and pattern" "rule 'boom'.*'\(\?:x\+\)\+y'.*match limit" "$(cat "$T/err")"
expect_match "catastrophic rule: other licenses still reported" "mit full" "$out"
expect "catastrophic rule: fails fast" 1 "$([ $((end - start)) -lt 10 ] && echo 1 || echo 0)"

# --- rules list ----------------------------------------------------------
out=$("$MC_BIN" rules list); rc=$?
expect "rules list: exit 0" 0 "$rc"
expect "rules list: aligned table" \
"ID          NAME                COMMERCIAL_USE  CONDITIONS
apache-2.0  Apache License 2.0  allowed         attribution
mit         MIT License         allowed         attribution" "$out"
out=$("$MC_BIN" rules list --verbose)
expect_match "rules list --verbose: digest" "^2 rules, digest [0-9a-f]{16}$" "$out"
expect_match "rules list --verbose: JIT" "patterns, [0-9]+ JIT-compiled" "$out"
expect_match "rules list --verbose: file and line" "file .*fixtures/rules/mit\.yaml:3" "$out"
"$MC_BIN" rules list --format json >"$T/list.json"
expect "rules list json: ids" "apache-2.0 mit" \
	"$(json "$T/list.json" '$.rules[0].id') $(json "$T/list.json" '$.rules[1].id')"
expect "rules list json: commercial_use" "allowed" "$(json "$T/list.json" '$.rules[1].commercial_use')"
expect "rules list json: aliases" '["expat","mit license"]' "$(json "$T/list.json" '$.rules[1].aliases')"

mkdir -p "$T/over"
cat >"$T/over/mit.yaml" <<'EOF'
id: mit
name: MIT as we read it
spdx: MIT
commercial: conditional
conditions: [attribution, notice]
examples: {}
EOF
out=$("$MC_BIN" rules list --rules "$T/over")
expect_match "rules list --rules: a rule replaced by id" "^mit +MIT as we read it +conditional +attribution,notice$" "$out"
expect "rules list --rules: count unchanged" 3 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
d1=$("$MC_BIN" rules list --verbose | sed -n 's/.*digest //p')
d2=$("$MC_BIN" rules list --verbose --rules "$T/over" | sed -n 's/.*digest //p')
expect "rules digest: changes with an overlay" 1 "$([ "$d1" != "$d2" ] && echo 1 || echo 0)"

# --- rules test ----------------------------------------------------------
out=$("$MC_BIN" rules test); rc=$?
expect "rules test: fixtures pass" "10 passed, 0 failed" "$out"
expect "rules test: exit 0" 0 "$rc"

mkdir -p "$T/failing"
cat >"$T/failing/wrong.yaml" <<'EOF'
id: wrong
name: Wrong
spdx: LicenseRef-wrong
commercial: allowed
match:
  all: ['the wrong license']
examples:
  positive:
    - kind: full
      text: "The Right License"
  negative:
    - "The Wrong License"
EOF
out=$("$MC_BIN" rules test --rules "$T/failing"); rc=$?
expect "rules test: failing examples exit 1" 1 "$rc"
expect_match "rules test: failing positive named with file and line" \
	"^FAIL .*wrong\.yaml:9: rule 'wrong' positive example 1: expected wrong full, identified nothing$" "$out"
expect_match "rules test: failing negative named" \
	"^FAIL .*wrong\.yaml:12: rule 'wrong' negative example 1: identified as 'wrong'" "$out"
expect_match "rules test: explains the miss" "all +missing line 6: 'the wrong license'" "$out"
expect "rules test: closing line" "10 passed, 2 failed" "$(printf '%s\n' "$out" | tail -n 1)"

# a prefilter can never hide a match silently: `rules test` identifies each
# example with and without it; a rule whose `prefilter:` literal is absent
# from its own example fails, naming the file, the line and the literal
mkdir -p "$T/hiding"
cat >"$T/hiding/hiding.yaml" <<'EOF'
id: hiding
name: Hiding
spdx: LicenseRef-hiding
commercial: allowed
prefilter: words this text never holds
match:
  all: ['the hiding license grants']
examples:
  positive:
    - kind: full
      text: "The Hiding License grants you everything."
EOF
out=$("$MC_BIN" rules test --rules "$T/hiding"); rc=$?
expect "rules test: a hiding prefilter exits 1" 1 "$rc"
expect_match "rules test: a hiding prefilter names the example" \
	"^FAIL .*hiding\.yaml:10: rule 'hiding' positive example: the literal prefilter hides a match: identified nothing with it, hiding full \(lines 1-1, coverage 1\.00\) without it$" "$out"
expect_match "rules test: a hiding prefilter names the literal" \
	"prefilter 'words this text never holds' ABSENT" "$out"
sed 's/^prefilter: .*/prefilter: The Hiding License/' "$T/hiding/hiding.yaml" >"$T/hiding/h2" &&
	mv "$T/hiding/h2" "$T/hiding/hiding.yaml"
out=$("$MC_BIN" rules test --rules "$T/hiding"); rc=$?
expect "rules test: the same prefilter in its example passes" 0 "$rc"

"$MC_BIN" rules >/dev/null 2>&1; expect "rules: no subcommand is a usage error" 2 $?
"$MC_BIN" rules frobnicate >/dev/null 2>&1; expect "rules: unknown subcommand is a usage error" 2 $?
"$MC_BIN" rules test --format json >/dev/null 2>&1; expect "rules test --format is a usage error" 2 $?
out=$("$MC_BIN" rules --help); rc=$?
expect "rules --help: exit 0" 0 "$rc"
for flag in list test --rules --format --verbose --help; do
	expect_match "rules --help names $flag" "$flag" "$out"
done

# --- the shipped catalog -------------------------------------------------
n=$(ls "$root/rules"/*.yaml 2>/dev/null | grep -cv '/restrictions\.yaml$')
if [ "$n" -eq 0 ]; then
	skip "rules test over rules/" "rules/ holds no rule yet"
else
	out=$(MODELCENSUS_RULES="$root/rules" "$MC_BIN" rules test 2>&1); rc=$?
	expect "rules test over rules/: exit 0" 0 "$rc"
	expect_match "rules test over rules/: nothing failed" "^[0-9]+ passed, 0 failed$" \
		"$(printf '%s\n' "$out" | tail -n 1)"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | grep '^FAIL' | sed 's/^/#   /'
fi
