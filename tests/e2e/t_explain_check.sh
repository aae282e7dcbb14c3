#!/bin/sh
# t_explain_check.sh: the two commands that tell people about verdicts.
# `explain` (by path and by model id, as text and as JSON): the evidence with
# the rule, coverage and lines that matched, the lineage, the verdict and the
# reasoning; an unknown model is exit 2.  `check`: --deny and --allow lists,
# a YAML policy with deny/allow/exceptions, violations printed with the rule
# broken, exit 1 on a violation, 0 when none, 2 for a bad policy (naming the
# file and line).  Card-only models always; a LICENSE text from
# tests/data/licenses ($MC_LICENSES) where it is present.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
L=$MC_LICENSES

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

# json_q FILE SQL-EXPR-OVER-j: evaluates an expression over the JSON in FILE
json_q() { sqlite3 -batch -noheader :memory: "WITH d(j) AS (SELECT readfile('$1')) SELECT $2 FROM d"; }

gitmodel good acme/good 'license: mit'
gitmodel good2 acme/good2 'license: apache-2.0'
gitmodel nc-base acme/nc-base 'license: fair-noncommercial-research-license'
gitmodel ft acme/ft 'license: apache-2.0' 'base_model: acme/nc-base'
gitmodel llama acme/llama 'license: llama3.1'
mkdir -p "$R/nothing"
printf '{}' >"$R/nothing/config.json"

texts=
if [ -f "$L/ai/llama2.txt" ] && [ -f "$L/spdx/MIT.txt" ] && [ -f "$L/ai/stabilityai-nc-research.txt" ]; then
	texts=yes
	mkcard "$R/conflict" 'license: apache-2.0'
	# a one-line preamble, then the text: the match starts at line 3
	{
		printf 'The weights in this repository were fine-tuned by Acme from Llama 2 and are distributed under the agreement that follows.\n\n'
		cat "$L/ai/llama2.txt"
	} >"$R/conflict/LICENSE"
	mkcard "$R/weights" 'license: other'
	cp "$L/spdx/MIT.txt" "$R/weights/LICENSE"
	cp "$L/ai/stabilityai-nc-research.txt" "$R/weights/LICENSE-MODEL"
fi

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan exits 0" 0 $?

# ---- explain -----------------------------------------------------------
out=$("$MC_BIN" explain --db "$DB" acme/ft 2>"$T/err")
expect "explain by model id exits 0" 0 $?
expect_match "explain by model id names the model" 'acme/ft' "$out"
expect_match "explain shows the lineage: the base model" 'acme/nc-base' "$out"
expect_match "explain shows the effective license" 'apache-2.0 AND fair-noncommercial-research-license' "$out"
expect_match "explain gives the reasoning: the base is more restrictive (inherited)" 'inherited' "$out"
expect_match "explain gives the reasoning: the base's commercial_use" 'not-allowed' "$out"
out2=$("$MC_BIN" explain --db "$DB" ACME/FT 2>/dev/null)
expect "explain by model id ignores case" "$out" "$out2"
out2=$("$MC_BIN" explain --db "$DB" "$R/ft" 2>/dev/null)
expect "explain by path gives the same as by model id" "$out" "$out2"

if [ -n "$texts" ]; then
	out=$("$MC_BIN" explain --db "$DB" "$R/conflict" 2>"$T/err")
	expect "explain by path exits 0" 0 $?
	expect_match "explain names the license file and the rule that matched" 'LICENSE.*llama2|llama2.*LICENSE' "$out"
	expect_match "explain gives the coverage of the match" 'coverage 100%|coverage 1\.00' "$out"
	expect_match "explain gives the line range of the match (after the preamble)" 'lines 3-[0-9]+' "$out"
	expect_match "explain shows the card's declared license" 'apache-2.0' "$out"
	expect_match "explain says why: the sources disagree (conflict)" 'conflict' "$out"

	out=$("$MC_BIN" explain --db "$DB" "$R/weights" 2>/dev/null)
	expect_match "explain shows the generic LICENSE and its license (mit)" 'LICENSE.*mit|mit.*LICENSE' "$out"
	expect_match "explain says the weights file governs" 'LICENSE-MODEL governs' "$out"

	"$MC_BIN" explain --db "$DB" --format json "$R/conflict" >"$T/c.json" 2>"$T/err"
	expect "explain --format json exits 0" 0 $?
	expect "explain --format json is valid JSON" 1 "$(json_q "$T/c.json" 'json_valid(j)')"
	expect "json: verdict fields" "apache-2.0 AND llama2|conditional|conflict" \
		"$(json_q "$T/c.json" "json_extract(j, '\$[0].license') || '|' || json_extract(j, '\$[0].commercial_use') || '|' || json_extract(j, '\$[0].review')")"
	expect "json: the LICENSE evidence names rule, lines and coverage" "llama2|3|1" \
		"$(sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.rule') || '|' || json_extract(value, '\$.line_start') || '|' || (json_extract(value, '\$.coverage') >= 0.99) FROM json_each(readfile('$T/c.json'), '\$[0].evidence') WHERE json_extract(value, '\$.name') = 'LICENSE' AND json_extract(value, '\$.rule') IS NOT NULL")"
	# numbers are JSON numbers, so that scripts can compare them
	expect_match "json: line numbers and coverage are numbers, not strings" '^integer[|]integer[|](real|integer)$' \
		"$(sqlite3 -batch -noheader :memory: "SELECT json_type(value, '\$.line_start') || '|' || json_type(value, '\$.line_end') || '|' || json_type(value, '\$.coverage') FROM json_each(readfile('$T/c.json'), '\$[0].evidence') WHERE json_extract(value, '\$.rule') = 'llama2'")"
	expect_match "json: the reasoning is there" 'conflict' \
		"$(json_q "$T/c.json" "json_extract(j, '\$[0].reasoning')")"
else
	skip "explain of a license file" "reference texts not found under $L (set MC_LICENSES)"
fi

"$MC_BIN" explain --db "$DB" --format json acme/ft acme/good >"$T/two.json" 2>/dev/null
expect "explain --format json of two models: a valid array of two" "1|2" \
	"$(json_q "$T/two.json" "json_valid(j) || '|' || json_array_length(j)")"
expect "json by model id: model_id, base_models, lineage verdict" "acme/ft|acme/nc-base|not-allowed" \
	"$(json_q "$T/two.json" "json_extract(j, '\$[0].model_id') || '|' || json_extract(j, '\$[0].base_models') || '|' || json_extract(j, '\$[0].commercial_use')")"
expect_match "json: the reasoning names the base model" 'acme/nc-base' \
	"$(json_q "$T/two.json" "json_extract(j, '\$[0].reasoning')")"

"$MC_BIN" explain --db "$DB" acme/no-such-model >"$T/out" 2>"$T/err"
expect "explain of an unknown model exits 2" 2 $?
expect_match "explain of an unknown model names it" 'acme/no-such-model' "$(cat "$T/err")"
"$MC_BIN" explain --db "$DB" "$R/no/such/path" >/dev/null 2>&1
expect "explain of an unknown path exits 2" 2 $?
"$MC_BIN" explain --db "$DB" >/dev/null 2>&1
expect "explain without a model is a usage error" 2 $?

# ---- check: --deny ---------------------------------------------------------
out=$("$MC_BIN" check --db "$DB" --deny not-allowed,unknown 2>"$T/err")
expect "check --deny not-allowed,unknown exits 1 on violations" 1 $?
expect_match "check names the non-commercial base" 'acme/nc-base' "$out"
expect_match "check names the fine-tune bound by it" 'acme/ft' "$out"
expect_match "check names the model without license" "$R/nothing" "$out"
expect_match "check gives the rule broken (not-allowed)" "commercial_use 'not-allowed' is denied" "$out"
expect_match "check gives the rule broken (unknown)" "commercial_use 'unknown' is denied" "$out"
n=$(printf '%s\n' "$out" | grep -c '^VIOLATION')
# acme/nc-base, acme/ft, nothing; and weights (Stability NC) with the texts
nviol=3
[ -n "$texts" ] && nviol=4
expect "check prints one VIOLATION per violating model" $nviol "$n"
if printf '%s\n' "$out" | grep -Eq 'acme/good([^2]|$)|acme/good2|acme/llama'; then
	nok "check does not list models within the policy" "$out"
else
	ok "check does not list models within the policy"
fi

mkdir -p "$T/clean"
mkcard "$T/clean/a" 'license: mit'
mkcard "$T/clean/b" 'license: llama3.1'
"$MC_BIN" scan --quiet --db "$T/clean.db" "$T/clean" >/dev/null 2>&1
"$MC_BIN" check --db "$T/clean.db" --deny not-allowed,unknown >"$T/out" 2>&1
expect "check exits 0 when no model violates" 0 $?
expect_notmatch "check prints no VIOLATION when none" '^VIOLATION' "$(cat "$T/out")"
"$MC_BIN" check --db "$DB" --deny not-allowed --where "model_id IN ('acme/good', 'acme/llama')" >/dev/null 2>&1
expect "check --where judges only the selected models" 0 $?

# ---- check: --allow -----------------------------------------------------------
out=$("$MC_BIN" check --db "$DB" --allow apache-2.0,mit --where "model_id LIKE 'acme/%'" 2>&1)
expect "check --allow apache-2.0,mit exits 1 for a model under another license" 1 $?
expect_match "check --allow flags the llama3.1 model" 'acme/llama' "$out"
expect_match "check --allow names the license outside the list" 'llama3\.1' "$out"
expect_match "check --allow flags the fine-tune through its base's license" 'acme/ft' "$out"
if printf '%s\n' "$out" | grep -Eq '^VIOLATION acme/good'; then
	nok "check --allow leaves mit and apache-2.0 models alone" "$out"
else
	ok "check --allow leaves mit and apache-2.0 models alone"
fi
"$MC_BIN" check --db "$DB" --allow allowed,conditional --where "model_id IN ('acme/good', 'acme/good2', 'acme/llama')" >/dev/null 2>&1
expect "check --allow allowed,conditional passes permissive and conditional models" 0 $?

# ---- check: a policy file -----------------------------------------------------
cat >"$T/policy.yaml" <<'EOF'
# the company's model policy
deny:
  commercial_use: [not-allowed, unknown]
  review: [conflict]
allow:
  licenses: [apache-2.0, mit, llama3.1, fair-noncommercial-research-license, llama2]
exceptions:
  - model: acme/nc-base
    note: research use only, approved by legal in LEGAL-42
EOF
out=$("$MC_BIN" check --db "$DB" --policy "$T/policy.yaml" 2>&1)
expect "check --policy exits 1 on a violation" 1 $?
expect_match "an exception is printed as EXCEPTED with its note" \
	'EXCEPTED.*acme/nc-base.*LEGAL-42' "$out"
if printf '%s\n' "$out" | grep -q '^VIOLATION acme/nc-base'; then
	nok "an exception suppresses the model's violation" "$out"
else
	ok "an exception suppresses the model's violation"
fi
expect_match "the exception does not cover the fine-tune" '^VIOLATION acme/ft' "$out"
if [ -n "$texts" ]; then
	expect_match "the policy's deny review: conflict is a violation" "review reason 'conflict' is denied" "$out"
fi
cat >"$T/policy-all.yaml" <<'EOF'
deny:
  commercial_use: [not-allowed]
exceptions:
  - model: acme/nc-base
    note: research only
  - model: acme/ft
    note: internal evaluation
EOF
"$MC_BIN" check --db "$DB" --policy "$T/policy-all.yaml" --where "model_id LIKE 'acme/%'" >"$T/out" 2>&1
expect "check exits 0 when every violation is excepted" 0 $?
expect "both exceptions are printed" 2 "$(grep -c '^EXCEPTED' "$T/out")"

printf 'deny:\n  commercial_use: [not-allowed]\n  licence: [agpl-3.0]\n' >"$T/bad-key.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/bad-key.yaml" >"$T/out" 2>"$T/err"
expect "a policy with an unknown key exits 2" 2 $?
expect_match "the error names the file and the line" "bad-key\.yaml:3" "$(cat "$T/err")"
expect_match "the error names the unknown key" "licence" "$(cat "$T/err")"
printf 'deny:\n  commercial_use: [not-allowed\n  review: [conflict]\n' >"$T/bad-yaml.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/bad-yaml.yaml" >"$T/out" 2>"$T/err"
expect "a policy that is not YAML exits 2" 2 $?
expect_match "the YAML error names the file and a line" "bad-yaml\.yaml:[0-9]+" "$(cat "$T/err")"
printf 'deny:\n  commercial_use: [sometimes]\n' >"$T/bad-value.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/bad-value.yaml" >/dev/null 2>"$T/err"
expect "a policy with a bad commercial_use value exits 2" 2 $?
printf 'exceptions:\n  - model: acme/nc-base\n' >"$T/bad-note.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/bad-note.yaml" >/dev/null 2>"$T/err"
expect "an exception without a note exits 2" 2 $?
"$MC_BIN" check --db "$DB" --policy "$T/no-such-policy.yaml" >/dev/null 2>"$T/err"
expect "a missing policy file exits 2" 2 $?
expect_match "the error names the missing file" "no-such-policy\.yaml" "$(cat "$T/err")"
"$MC_BIN" check --db "$T/no/such.db" --deny unknown >/dev/null 2>&1
expect "check on a database that cannot be opened exits 3" 3 $?
