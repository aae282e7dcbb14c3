#!/bin/sh
# t_check.sh: the policy gate no typo can weaken, in the formats CI systems
# read (issue 17).  Every value given to `check` (--deny/--allow and the
# policy file) is checked against the vocabularies: commercial_use values,
# review reasons, the condition codes of the rules, the license ids and
# aliases of the rules; a typo in each exits 2 with "did you mean"; a value
# of two kinds exits 2 naming the prefixed forms; `--deny non-commercial`
# finds the models with that condition; an exception naming no model warns
# (an error with --strict).  --format json, sarif (SARIF 2.1.0, checked by
# python3's json) and junit (parsed by python3's xml.etree), counts equal to
# the violations, the same exit code in every format.  A model without an
# id prints its path once.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

gitmodel good acme/good 'license: mit'
gitmodel nc acme/nc 'license: cc-by-nc-4.0'
gitmodel agpl acme/agpl 'license: agpl-3.0'
mkcard "$R/plain" 'license: cc-by-nc-4.0'	# no model id: named by its path
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan exits 0" 0 $?

# ---- a typo in each vocabulary: exit 2 with the suggestion -----------------
typo() {	# typo WHAT VALUE SUGGESTION
	"$MC_BIN" check --db "$DB" --deny "$2" >"$T/out" 2>"$T/err"
	expect "a typo in a $1 ('$2') exits 2" 2 $?
	expect_match "the typo in a $1 suggests '$3'" "did you mean '$3'" "$(cat "$T/err")"
	expect "the typo in a $1 prints nothing on stdout" "" "$(cat "$T/out")"
}
typo "commercial_use value" not-alowed not-allowed
typo "review reason" modified-txt modified-text
typo "condition code" non-comercial non-commercial
typo "license id" apache-2.1 apache-2.0
typo "short license id" mti mit
typo "prefixed condition code" condition:network-copylef network-copyleft
typo "prefixed review reason" review:gatd gated
typo "prefixed license id" license:agpl-3.1 agpl-3.0
"$MC_BIN" check --db "$DB" --allow commercial:sometimes >/dev/null 2>"$T/err"
expect "a commercial_use value that is none exits 2" 2 $?
expect_match "and lists the commercial_use values" "allowed, conditional, not-allowed, unknown" "$(cat "$T/err")"
"$MC_BIN" check --db "$DB" --deny xyzzy-frobnicate >/dev/null 2>"$T/err"
expect "a value near nothing exits 2" 2 $?
expect_match "and says what a value may be" "not a commercial_use value, review reason, condition code or license id" "$(cat "$T/err")"
"$MC_BIN" check --db "$DB" --deny not-allowed,not-alowed >/dev/null 2>&1
expect "one typo in a list of good values exits 2" 2 $?
"$MC_BIN" check --db "$T/no/such.db" --deny not-alowed >/dev/null 2>&1
expect "a typo is exit 2 before the database is opened" 2 $?

# ---- values of every vocabulary are accepted -----------------------------------
for v in allowed conditional not-allowed unknown conflict inherited unrecognized-text \
	custom-license no-license card-body-restriction gated modified-text \
	non-commercial no-standalone-sale network-copyleft mau-700m use-restrictions \
	mit apache-2.0 llama3.1 other license:unknown 'Apache 2.0'; do
	"$MC_BIN" check --db "$DB" --deny "$v" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -le 1 ]; then ok "'$v' is a known value"; else nok "'$v' is a known value" "exit $rc" "$(cat "$T/err")"; fi
done

# ---- a prefix-less value is looked up in every vocabulary ----------------------
out=$("$MC_BIN" check --db "$DB" --deny non-commercial 2>"$T/err")
expect "--deny non-commercial exits 1: models carry that condition" 1 $?
expect_match "--deny non-commercial names the condition broken" "condition 'non-commercial' is denied" "$out"
expect_match "--deny non-commercial finds the cc-by-nc model" '^VIOLATION acme/nc ' "$out"
expect_notmatch "--deny non-commercial leaves the mit model alone" '^VIOLATION acme/good' "$out"
out2=$("$MC_BIN" check --db "$DB" --deny condition:non-commercial 2>&1)
expect "--deny non-commercial is --deny condition:non-commercial" "$out2" "$out"
out=$("$MC_BIN" check --db "$DB" --deny 'Apache 2.0,AGPL-3.0' 2>&1)
expect_match "an alias stands for its license id" "license 'agpl-3\.0' is denied" "$out"

# a value of two kinds: a rule whose alias is also a review reason
mkdir -p "$T/rules"
cat >"$T/rules/acme-gated.yaml" <<'EOF'
id: acme-gated-license
name: Acme Gated License
spdx: LicenseRef-acme-gated
commercial: not-allowed
conditions: [acme-approval]
aliases:
  - gated
match:
  all: ['acme gated license agreement']
examples:
  positive: ['This is the Acme Gated License Agreement.']
EOF
"$MC_BIN" check --db "$DB" --rules "$T/rules" --deny gated >"$T/out" 2>"$T/err"
expect "a value of two kinds exits 2" 2 $?
expect_match "the error says it is ambiguous and names both kinds" "'gated' is ambiguous: a license id and a review reason" "$(cat "$T/err")"
expect_match "the error names the prefixed forms to use" "'license:gated' or 'review:gated'" "$(cat "$T/err")"
"$MC_BIN" check --db "$DB" --rules "$T/rules" --deny review:gated >/dev/null 2>"$T/err"
expect "the prefixed form resolves it" 0 $?
"$MC_BIN" check --db "$DB" --rules "$T/rules" --deny acme-approval >/dev/null 2>"$T/err"
expect "--rules DIR adds its condition codes to the vocabulary" 0 $?
"$MC_BIN" check --db "$DB" --deny acme-approval >/dev/null 2>"$T/err"
expect "without --rules DIR that condition is unknown" 2 $?

# ---- the policy file ---------------------------------------------------------------
printf 'deny:\n  commercial_use: [not-allowed]\n  conditions:\n    - copyleft\n    - non-comercial\n' >"$T/typo.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/typo.yaml" >/dev/null 2>"$T/err"
expect "a typo in a policy file's conditions exits 2" 2 $?
expect_match "the error names the file and the line of the typo" "typo\.yaml:5:" "$(cat "$T/err")"
expect_match "the error suggests the condition code" "did you mean 'non-commercial'" "$(cat "$T/err")"
printf 'allow:\n  licenses: [mit, apache-2.0, cc-by-nc-4.O]\n' >"$T/lic.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/lic.yaml" >/dev/null 2>"$T/err"
expect "an unknown id in allow: licenses exits 2" 2 $?
expect_match "the error names the file, the line and the nearest id" "lic\.yaml:2:.*did you mean 'cc-by-nc-4\.0'" "$(cat "$T/err")"
printf 'deny:\n  review: [conflict, modifed-text]\n  commercial_use: [not-allowed]\n' >"$T/rev.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/rev.yaml" >/dev/null 2>"$T/err"
expect "a typo in a policy file's review list exits 2" 2 $?
expect_match "the error names file:line and the review reason" "rev\.yaml:2:.*did you mean 'modified-text'" "$(cat "$T/err")"
printf 'deny:\n  commercial_use: not-alowed\n' >"$T/cu.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/cu.yaml" >/dev/null 2>"$T/err"
expect "a typo in a policy file's commercial_use exits 2" 2 $?
expect_match "the error names file:line and the value" "cu\.yaml:2:.*did you mean 'not-allowed'" "$(cat "$T/err")"

# ---- exceptions that name no model -------------------------------------------------
cat >"$T/exc.yaml" <<'EOF'
deny:
  commercial_use: [not-allowed]
exceptions:
  - model: acme/nc
    note: approved in LEGAL-1
  - model: acme/no-such-model
    note: approved in LEGAL-2
EOF
"$MC_BIN" check --db "$DB" --policy "$T/exc.yaml" --where "model_id = 'acme/nc'" >"$T/out" 2>"$T/err"
expect "an exception naming no model is not an error by default" 0 $?
expect_match "it is a warning naming the file, line and model" "warning: .*exc\.yaml:6: exception 'acme/no-such-model' names no model" "$(cat "$T/err")"
expect_notmatch "the exception of a model outside --where is not warned about" "'acme/nc'" "$(cat "$T/err")"
"$MC_BIN" check --db "$DB" --policy "$T/exc.yaml" --where "model_id = 'acme/nc'" --strict >"$T/out" 2>"$T/err"
expect "with --strict an exception naming no model exits 2" 2 $?
expect_match "with --strict the error names it" "exc\.yaml:6: exception 'acme/no-such-model'" "$(cat "$T/err")"
sed '/no-such-model/,$d' "$T/exc.yaml" >"$T/exc-ok.yaml"
"$MC_BIN" check --db "$DB" --policy "$T/exc-ok.yaml" --strict --where "model_id = 'acme/nc'" >"$T/out" 2>"$T/err"
expect "with --strict, exceptions that all name models pass" 0 $?
expect "and warn about nothing" "" "$(cat "$T/err")"

# ---- a model without an id prints its path once ------------------------------
out=$("$MC_BIN" check --db "$DB" --deny not-allowed 2>&1)
expect_match "a model without an id: VIOLATION and its path" "^VIOLATION $R/plain\$" "$out"
expect_notmatch "its path is not printed twice" "VIOLATION $R/plain \\(" "$out"

# ---- formats ------------------------------------------------------------------------
"$MC_BIN" check --db "$DB" --deny not-allowed,agpl-3.0,network-copyleft >"$T/text" 2>/dev/null
expect "text: exit 1 on violations" 1 $?
nmodels=$(grep -c '^VIOLATION' "$T/text")
nrules=$(grep -c '^  rule:' "$T/text")
expect "text: the three violating models" 3 "$nmodels"
expect "text: four rules broken (agpl: license and condition; nc, plain: commercial_use)" 4 "$nrules"
nchecked=$(sed -n 's/^\([0-9]*\) models checked.*/\1/p' "$T/text")

for f in json sarif junit; do
	"$MC_BIN" check --db "$DB" --deny not-allowed,agpl-3.0,network-copyleft --format $f >"$T/out.$f" 2>"$T/err"
	expect "--format $f exits 1 on violations, as text does" 1 $?
	"$MC_BIN" check --db "$DB" --deny not-allowed --where "model_id = 'acme/good'" --format $f >"$T/clean.$f" 2>/dev/null
	expect "--format $f exits 0 without violations" 0 $?
done
"$MC_BIN" check --db "$DB" --deny unknown --format yaml >/dev/null 2>"$T/err"
expect "--format takes text, json, sarif, junit" 2 $?

if command -v python3 >/dev/null 2>&1; then
	out=$(python3 - "$T/out.json" "$nmodels" "$nrules" "$nchecked" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
nmodels, nrules, nchecked = map(int, sys.argv[2:5])
v = [m for m in d["models"] if m["status"] == "violation"]
assert d["checked"] == nchecked, d["checked"]
assert d["violations"] == nmodels == len(v), (d["violations"], nmodels)
assert sum(len(m["broken"]) for m in v) == nrules
assert all(m["path"] for m in v)
assert any(m["model_id"] is None for m in v)
assert all(b["rule"] in ("deny-commercial_use", "deny-licenses", "deny-conditions") for m in v for b in m["broken"])
print("ok")
EOF
)
	expect "json: parsed, counts equal the text's" ok "$out"

	out=$(python3 - "$T/out.sarif" "$nrules" "$R" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
nrules, root = int(sys.argv[2]), sys.argv[3]
assert d["version"] == "2.1.0"
assert "sarif" in d["$schema"]
assert len(d["runs"]) == 1
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "modelcensus" and drv["version"]
ids = {r["id"] for r in drv["rules"]}
assert ids == {"deny-commercial_use", "deny-licenses", "deny-conditions"}, ids
assert all(r["shortDescription"]["text"] for r in drv["rules"])
res = run["results"]
assert len(res) == nrules, (len(res), nrules)
for r in res:
    assert r["ruleId"] in ids
    assert r["level"] == "error"
    assert "Verdict: license" in r["message"]["text"] and "Evidence: declared" in r["message"]["text"]
    uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith(root + "/"), uri
assert any(r["ruleId"] == "deny-licenses" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == root + "/agpl" for r in res)
print("ok")
EOF
)
	expect "sarif: 2.1.0 structure, one result per rule broken, paths as locations" ok "$out"
	out=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["runs"][0]["results"]))' "$T/clean.sarif")
	expect "sarif without violations: no results" 0 "$out"

	out=$(python3 - "$T/out.junit" "$nmodels" "$nchecked" "$R" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
nmodels, nchecked, r = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
assert root.tag == "testsuites"
suites = root.findall("testsuite")
assert len(suites) == 1 and suites[0].get("name") == "modelcensus check"
s = suites[0]
cases = s.findall("testcase")
assert int(s.get("tests")) == len(cases) == nchecked
fails = [c for c in cases if c.find("failure") is not None]
assert int(s.get("failures")) == len(fails) == nmodels
assert all(c.get("name") and c.get("classname") for c in cases)
assert any(c.get("name") == r + "/plain" for c in fails)
assert any(c.get("name") == "acme/nc" and c.get("classname") == "git" for c in fails)
assert all("denied" in c.find("failure").get("message") for c in fails)
print("ok")
EOF
)
	expect "junit: parsed as XML, one testcase per model, a failure per violation" ok "$out"
else
	skip "json, sarif, junit validation" "python3 not found"
fi

# an excepted model: JSON says so with its note, JUnit skips it, SARIF has no result
"$MC_BIN" check --db "$DB" --policy "$T/exc-ok.yaml" --format json >"$T/exc.json" 2>/dev/null
expect "json with an exception exits 1 for the other violations" 1 $?
"$MC_BIN" check --db "$DB" --policy "$T/exc-ok.yaml" --format junit >"$T/exc.junit" 2>/dev/null
"$MC_BIN" check --db "$DB" --policy "$T/exc-ok.yaml" --format sarif >"$T/exc.sarif" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
	out=$(python3 - "$T/exc.json" "$T/exc.junit" "$T/exc.sarif" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
d = json.load(open(sys.argv[1]))
ex = [m for m in d["models"] if m["status"] == "excepted"]
assert d["excepted"] == 1 and ex[0]["model_id"] == "acme/nc" and ex[0]["exception"]["note"] == "approved in LEGAL-1"
s = ET.parse(sys.argv[2]).getroot().find("testsuite")
sk = [c for c in s.findall("testcase") if c.find("skipped") is not None]
assert int(s.get("skipped")) == len(sk) == 1 and sk[0].get("name") == "acme/nc"
assert "LEGAL-1" in sk[0].find("skipped").get("message")
assert sk[0].find("failure") is None
res = json.load(open(sys.argv[3]))["runs"][0]["results"]
assert not any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/nc") for r in res)
assert len(res) == d["violations"]
print("ok")
EOF
)
	expect "an excepted model: json status and note, junit skipped, no sarif result" ok "$out"
fi

# XML escaping: a model id and a note with markup characters
mkdir -p "$T/x"
mkcard "$T/x/a&b<c>" 'license: cc-by-nc-4.0'
"$MC_BIN" scan --quiet --db "$T/x.db" "$T/x" >/dev/null 2>&1
cat >"$T/xexc.yaml" <<'EOF'
deny:
  commercial_use: [not-allowed]
EOF
"$MC_BIN" check --db "$T/x.db" --policy "$T/xexc.yaml" --format junit >"$T/x.junit" 2>/dev/null
expect "junit with markup in a path exits 1" 1 $?
if command -v python3 >/dev/null 2>&1; then
	out=$(python3 -c 'import sys, xml.etree.ElementTree as ET; r=ET.parse(sys.argv[1]).getroot(); print(r.find("testsuite/testcase").get("name").endswith("/a&b<c>"))' "$T/x.junit" 2>&1)
	expect "junit: markup characters are escaped and read back" True "$out"
	"$MC_BIN" check --db "$T/x.db" --policy "$T/xexc.yaml" --format sarif >"$T/x.sarif" 2>/dev/null
	out=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/a%26b%3Cc%3E"))' "$T/x.sarif" 2>&1)
	expect "sarif: the location is the path as a URI (percent-encoded)" True "$out"
fi

# the shell completion offers the formats (it reads them from --help)
COMPLETION=$here/../../scripts/modelcensus.bash-completion
if command -v bash >/dev/null 2>&1 && [ -f "$COMPLETION" ]; then
	out=$(bash -c 'complete() { :; }; . "$1"; COMP_WORDS=("$2" check --format ""); COMP_CWORD=3
		_modelcensus; printf "%s " "${COMPREPLY[@]}"' sh "$COMPLETION" "$MC_BIN")
	expect "completion: check --format" "text json sarif junit " "$out"
else
	skip "completion: check --format" "bash or the completion script not found"
fi
