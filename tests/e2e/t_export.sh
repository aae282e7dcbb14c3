# t_export.sh: `modelcensus export` end to end: a tree of models (plain
# folders, a git work tree and a bare mirror with Hub remotes, an LFS
# weight, a fine-tune and a quantisation of models in the tree, a base
# outside it, an AI license and a custom one with their texts) exported
# as CycloneDX 1.6 and SPDX 2.3.  Always: the JSON is well formed, has the
# fields each format requires, one component / package per model, the
# licenses right (Apache-2.0 as its SPDX id, llama3 and openrail as named
# licenses / LicenseRefs with the texts the scan kept), lineage, hashes and
# the verdict; ids stable across runs; --where; usage errors; an empty
# inventory.  Where $MC_SHARED/schemas is present, both exports (and that
# of an empty inventory) are validated against the official schemas, and
# every rule's SPDX id that is not a LicenseRef is checked against the
# SPDX license list the CycloneDX schema carries; the exports of the 2,000
# real cards of $MC_SHARED/corpus are validated too.
. "$(dirname "$0")/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
here=$(cd "$(dirname "$0")/.." && pwd)
SCHEMAS=${MC_SHARED:-$(cd "$here/../.." && pwd)/shared}/schemas
R=$T/root
DB=$T/inv.db
A=$MC_LICENSES

mkcard "$R/apache" 'license: apache-2.0'
cp "$A/spdx/Apache-2.0.txt" "$R/apache/LICENSE"
mkcard "$R/apache2" 'license: apache-2.0'
cp "$A/spdx/Apache-2.0.txt" "$R/apache2/LICENSE"
mkcard "$R/openrail" 'license: creativeml-openrail-m'
cp "$A/ai/creativeml-openrail-m.txt" "$R/openrail/LICENSE"
mkcard "$R/custom" 'license: other' 'license_name: acme research license' \
	'license_link: https://example.com/acme-license'
printf 'ACME RESEARCH LICENSE\nYou may study this model. Nothing else.\n' >"$R/custom/LICENSE"
mkcard "$R/nc" 'license: cc-by-nc-4.0'

# a git work tree and a bare mirror of the same Llama 3 fine-tune, with
# an LFS weight; both keep the one Llama text once
mkcard "$T/src/llama" 'license: llama3' 'base_model: meta-llama/Meta-Llama-3-8B' \
	'pipeline_tag: text-generation' 'datasets:' '  - acme/chat-data' '  - acme/more-data'
cp "$A/ai/llama3.txt" "$T/src/llama/LICENSE"
oid=$(printf 'weights' | sha256sum | cut -c1-64)
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 16000000\n' "$oid" \
	>"$T/src/llama/model.safetensors"
mkgit "$T/src/llama"
git clone -q "$T/src/llama" "$R/git/llama-ft"
git -C "$R/git/llama-ft" remote set-url origin https://huggingface.co/acme/llama-ft
rev=$(git -C "$R/git/llama-ft" rev-parse HEAD)
git clone -q --bare "$T/src/llama" "$R/mirror/llama-ft-copy.git"
git -C "$R/mirror/llama-ft-copy.git" remote set-url origin https://huggingface.co/acme/llama-ft-copy
# a quantisation of the fine-tune, a fine-tune of a base outside the tree
mkcard "$R/quant" 'base_model: acme/llama-ft' 'base_model_relation: quantized'
mkcard "$R/ft2" 'license: mit' 'base_model: acme/llama-ft-copy'

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan" 0 $?
expect "nine models" 9 "$(q "$DB" "SELECT count(*) FROM inventory")"

# --- what the scan keeps ------------------------------------------------
expect "license texts: the Llama, OpenRAIL and custom texts, each once; no Apache text" \
	3 "$(q "$DB" "SELECT count(*) FROM license_texts")"
expect "the Llama text is named by both copies" 2 \
	"$(q "$DB" "SELECT count(DISTINCT model) FROM evidence e JOIN license_texts t ON t.hash = e.text_hash WHERE t.text LIKE 'META LLAMA 3 COMMUNITY LICENSE AGREEMENT%'")"

"$MC_BIN" export --db "$DB" --format cyclonedx >"$T/c.json" 2>"$T/err"
expect "export cyclonedx" "0 " "$? $(cat "$T/err")"
"$MC_BIN" export --db "$DB" --format spdx >"$T/s.json" 2>"$T/err"
expect "export spdx" "0 " "$? $(cat "$T/err")"
"$MC_BIN" export --db "$DB" --format cyclonedx >"$T/c2.json"
"$MC_BIN" export --db "$DB" --format spdx >"$T/s2.json"
"$MC_BIN" report --db "$DB" --format json >"$T/inv.json"

# the checks that need no schema: each line "ok - ..." or "not ok - ..."
python3 - "$T" "$rev" "$oid" <<'PY'
import json, re, sys
t, rev, oid = sys.argv[1:4]
def load(n):
    with open("%s/%s" % (t, n), encoding="utf-8") as f:
        return json.load(f)
def check(name, cond, detail=""):
    print(("ok - %s" if cond else "not ok - %s") % name)
    if not cond and detail:
        print("#   %s" % str(detail)[:500])
inv = load("inv.json")
by_path = {r["path"]: r for r in inv}
root = t + "/root"

c, c2 = load("c.json"), load("c2.json")
check("cyclonedx: format and version", c.get("bomFormat") == "CycloneDX" and c.get("specVersion") == "1.6" and c.get("version") == 1)
uuid = r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
check("cyclonedx: serial number a random v4 UUID, new each run",
      re.match(uuid, c.get("serialNumber", "")) and c["serialNumber"] != c2["serialNumber"], c.get("serialNumber"))
check("cyclonedx: timestamp in UTC", re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", c["metadata"]["timestamp"]))
tool = c["metadata"]["tools"]["components"][0]
check("cyclonedx: the tool and its version", tool["name"] == "modelcensus" and tool["version"])
comps = c["components"]
check("cyclonedx: one component per model", len(comps) == len(inv), len(comps))
check("cyclonedx: every component a machine-learning-model",
      all(x["type"] == "machine-learning-model" for x in comps))
refs = [x["bom-ref"] for x in comps]
check("cyclonedx: bom-refs unique", len(set(refs)) == len(refs))
check("cyclonedx: bom-refs stable across runs", refs == [x["bom-ref"] for x in c2["components"]])
comp = {x["bom-ref"][len("model:"):]: x for x in comps}
props = lambda x: {p["name"]: p["value"] for p in x.get("properties", [])}
check("cyclonedx: verdict as modelcensus: properties",
      all(props(comp[p]).get("modelcensus:commercial_use") == r["commercial_use"] and
          props(comp[p]).get("modelcensus:license") == r["license"] for p, r in by_path.items()))
ap = comp[root + "/apache"]
check("cyclonedx: Apache-2.0 as its SPDX id", ap.get("licenses") == [{"license": {"id": "Apache-2.0", "acknowledgement": "concluded"}}], ap.get("licenses"))
ll = comp[root + "/git/llama-ft"]
lic = ll["licenses"][0]["license"]
check("cyclonedx: llama3 a named license with its text",
      lic.get("name") == "Meta Llama 3 Community License Agreement" and "id" not in lic and
      lic.get("text", {}).get("content", "").startswith("META LLAMA 3 COMMUNITY LICENSE AGREEMENT") and
      lic["text"].get("contentType") == "text/plain", lic.get("name"))
check("cyclonedx: name the model id, version the revision, a Hub purl",
      ll["name"] == "acme/llama-ft" and ll.get("version") == rev and ll.get("purl") == "pkg:huggingface/acme/llama-ft@" + rev)
check("cyclonedx: the LFS weight's oid as a SHA-256 hash",
      ll.get("hashes") == [{"alg": "SHA-256", "content": oid}] and
      ll["components"][0]["name"] == "model.safetensors" and ll["components"][0]["hashes"][0]["content"] == oid)
check("cyclonedx: a base outside the inventory as an ancestor",
      [a["name"] for a in ll["pedigree"]["ancestors"]] == ["meta-llama/Meta-Llama-3-8B"])
check("cyclonedx: the card's task and datasets in modelCard",
      ll.get("modelCard") == {"modelParameters": {"task": "text-generation", "datasets": [
          {"type": "dataset", "name": "acme/chat-data"}, {"type": "dataset", "name": "acme/more-data"}]}},
      ll.get("modelCard"))
check("cyclonedx: no modelCard where the card gives nothing for it", "modelCard" not in ap)
orl = comp[root + "/openrail"]["licenses"][0]["license"]
check("cyclonedx: openrail a named license with its text",
      "RAIL" in orl.get("name", "") and len(orl.get("text", {}).get("content", "")) > 1000, orl.get("name"))
cu = comp[root + "/custom"]["licenses"][0]["license"]
check("cyclonedx: a custom license named, with the unrecognised text",
      cu.get("name") == "acme research license" and cu["text"]["content"].startswith("ACME RESEARCH LICENSE"), cu)
check("cyclonedx: cc-by-nc-4.0 as its SPDX id",
      comp[root + "/nc"]["licenses"][0]["license"].get("id") == "CC-BY-NC-4.0")
qu = comp[root + "/quant"]
deps = {d["ref"]: d["dependsOn"] for d in c.get("dependencies", [])}
check("cyclonedx: lineage: ancestor and dependency on the base in the inventory",
      qu["pedigree"]["ancestors"][0]["name"] == "acme/llama-ft" and
      deps.get("model:" + root + "/quant") == ["model:" + root + "/git/llama-ft"], deps)
check("cyclonedx: an inherited license concluded", qu["licenses"][0]["license"].get("name") == "Meta Llama 3 Community License Agreement")

s, s2 = load("s.json"), load("s2.json")
check("spdx: version, data license, document id",
      s["spdxVersion"] == "SPDX-2.3" and s["dataLicense"] == "CC0-1.0" and s["SPDXID"] == "SPDXRef-DOCUMENT" and s["name"])
check("spdx: a namespace new each run", s["documentNamespace"] != s2["documentNamespace"] and "#" not in s["documentNamespace"])
check("spdx: creation info names the tool and version",
      re.match(r"^Tool: modelcensus-\S+$", s["creationInfo"]["creators"][0]) and s["creationInfo"]["created"].endswith("Z"))
pk = {p["SPDXID"]: p for p in s["packages"]}
described = [r["relatedSpdxElement"] for r in s["relationships"] if r["relationshipType"] == "DESCRIBES"]
check("spdx: one package per model, each described", len(described) == len(inv) and all(d in pk for d in described))
check("spdx: ids stable across runs", [p["SPDXID"] for p in s["packages"]] == [p["SPDXID"] for p in s2["packages"]])
check("spdx: ids are SPDXRef-idstrings", all(re.match(r"^SPDXRef-[A-Za-z0-9.-]+$", i) for i in pk))
model = {}
for d in described:
    m = re.search(r"modelcensus:path=(.*)$", pk[d]["comment"], re.M)
    model[m.group(1)] = pk[d]
check("spdx: Apache-2.0 concluded and declared",
      model[root + "/apache"]["licenseConcluded"] == "Apache-2.0" and model[root + "/apache"]["licenseDeclared"] == "Apache-2.0")
lp = model[root + "/git/llama-ft"]
check("spdx: llama3 a LicenseRef, the hub URL, the revision",
      lp["licenseConcluded"] == "LicenseRef-llama3" and lp["downloadLocation"] == "https://huggingface.co/acme/llama-ft" and
      lp["versionInfo"] == rev and lp["filesAnalyzed"] is False and lp["primaryPackagePurpose"] == "OTHER")
check("spdx: a model without id has NOASSERTION as download location", model[root + "/apache"]["downloadLocation"] == "NOASSERTION")
ext = {e["licenseId"]: e for e in s["hasExtractedLicensingInfos"]}
used = set()
for p in s["packages"]:
    for f in ("licenseConcluded", "licenseDeclared"):
        used |= set(re.findall(r"LicenseRef-[A-Za-z0-9.-]+", p.get(f, "")))
check("spdx: every LicenseRef used is defined", used and used <= set(ext), sorted(used - set(ext)))
check("spdx: LicenseRef-llama3 with the text found",
      ext["LicenseRef-llama3"]["extractedText"].startswith("META LLAMA 3 COMMUNITY LICENSE AGREEMENT") and
      ext["LicenseRef-llama3"]["name"] == "Meta Llama 3 Community License Agreement")
cref = model[root + "/custom"]["licenseDeclared"]
check("spdx: a custom license a LicenseRef with its text and link",
      cref == "LicenseRef-acme-research-license" and ext[cref]["extractedText"].startswith("ACME RESEARCH LICENSE") and
      ext[cref].get("seeAlsos") == ["https://example.com/acme-license"], ext.get(cref))
check("spdx: unknown is NOASSERTION", model[root + "/nc"]["licenseConcluded"] == "CC-BY-NC-4.0" and
      all(p["licenseConcluded"] != "unknown" for p in s["packages"]))
rel = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in s["relationships"]}
q, ft2 = model[root + "/quant"]["SPDXID"], model[root + "/ft2"]["SPDXID"]
bare = model[root + "/mirror/llama-ft-copy.git"]["SPDXID"]
check("spdx: a quantisation VARIANT_OF its base", (q, "VARIANT_OF", lp["SPDXID"]) in rel, rel)
check("spdx: a fine-tune DESCENDANT_OF its base", (ft2, "DESCENDANT_OF", bare) in rel)
base = [p for p in s["packages"] if p["name"] == "meta-llama/Meta-Llama-3-8B"]
check("spdx: a base outside the inventory a package of its own",
      len(base) == 1 and (lp["SPDXID"], "DESCENDANT_OF", base[0]["SPDXID"]) in rel and
      base[0]["downloadLocation"] == "https://huggingface.co/meta-llama/Meta-Llama-3-8B")
check("spdx: the verdict in the package comment",
      "modelcensus:commercial_use=conditional" in lp["comment"])
PY

# --- --where, usage errors, an empty inventory -------------------------------
n=$("$MC_BIN" export --db "$DB" --where "commercial_use = 'allowed'" --format cyclonedx |
	python3 -c 'import json,sys; print(len(json.load(sys.stdin)["components"]))')
expect "--where selects the models" "$(q "$DB" "SELECT count(*) FROM inventory WHERE commercial_use = 'allowed'")" "$n"
n=$("$MC_BIN" export --db "$DB" --where "path LIKE '%/ft2'" --format spdx |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(len([r for r in d["relationships"] if r["relationshipType"] == "DESCRIBES"]), len(d["packages"]))')
expect "--where: a fine-tune whose base is left out names it in a package of its own" "1 2" "$n"
"$MC_BIN" export --db "$DB" --where "no_such_column = 1" --format spdx >/dev/null 2>"$T/err"
expect "a bad --where exits 2" 2 $?
expect_match "a bad --where says why" "bad query" "$(cat "$T/err")"
"$MC_BIN" export --db "$DB" --format xml >/dev/null 2>"$T/err"
expect "a bad --format exits 2" 2 $?
expect_match "a bad --format names the formats" "--format takes cyclonedx or spdx, not 'xml'" "$(cat "$T/err")"
"$MC_BIN" export --db "$DB" >/dev/null 2>"$T/err"
expect "no --format exits 2" 2 $?
"$MC_BIN" export --db "$DB" --format spdx extra >/dev/null 2>&1
expect "an argument exits 2" 2 $?
"$MC_BIN" export --db "$T/none.db" --format spdx >/dev/null 2>"$T/err"
expect "a missing database exits 3" 3 $?
expect "a missing database is not created" no "$([ -e "$T/none.db" ] && echo yes || echo no)"

mkdir -p "$T/empty"
"$MC_BIN" scan --quiet --db "$T/empty.db" "$T/empty" >/dev/null 2>&1
"$MC_BIN" export --db "$T/empty.db" --format cyclonedx >"$T/ec.json"
expect "an empty inventory: exit 0" 0 $?
"$MC_BIN" export --db "$T/empty.db" --format spdx >"$T/es.json"
expect "an empty inventory: a BOM without components or packages" "0 0" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["components"]), len(json.load(open(sys.argv[2]))["packages"]))' "$T/ec.json" "$T/es.json")"

# merge carries the texts: the merged inventory exports the same licenses
"$MC_BIN" merge "$T/merged.db" "$DB" >/dev/null 2>&1
"$MC_BIN" export --db "$T/merged.db" --format spdx >"$T/ms.json"
expect "merge keeps the license texts" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hasExtractedLicensingInfos"])' "$T/s.json")" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hasExtractedLicensingInfos"])' "$T/ms.json")"

# --- the official schemas ------------------------------------------------------
if [ ! -f "$SCHEMAS/cyclonedx/bom-1.6.SNAPSHOT.schema.json" ]; then
	skip "schema validation" "no schemas at $SCHEMAS (set MC_SHARED)"
elif ! python3 -c 'import jsonschema' 2>/dev/null; then
	skip "schema validation" "python3-jsonschema is not installed (scripts/install-deps.sh --test)"
else
	for f in c ec; do
		out=$(python3 "$here/validate-json.py" "$SCHEMAS/cyclonedx/bom-1.6.SNAPSHOT.schema.json" "$T/$f.json" 2>&1)
		expect "CycloneDX 1.6 schema: $f.json" valid "$out"
	done
	for f in s es ms; do
		out=$(python3 "$here/validate-json.py" "$SCHEMAS/spdx/spdx-schema-2-3.json" "$T/$f.json" 2>&1)
		expect "SPDX 2.3 schema: $f.json" valid "$out"
	done
	# the 2,000 real cards of the corpus: what real cards declare (custom
	# names, families, use policies) exports valid documents too
	CORPUS=$(dirname "$SCHEMAS")/corpus/cards-dev
	if [ -d "$CORPUS" ]; then
		for f in "$CORPUS"/*.md; do
			b=$(basename "$f" .md)
			mkdir -p "$T/corpus/$b" && cp "$f" "$T/corpus/$b/README.md"
		done
		"$MC_BIN" scan --quiet --db "$T/corpus.db" "$T/corpus" >/dev/null 2>&1
		"$MC_BIN" export --db "$T/corpus.db" --format cyclonedx >"$T/kc.json"
		out=$(python3 "$here/validate-json.py" "$SCHEMAS/cyclonedx/bom-1.6.SNAPSHOT.schema.json" "$T/kc.json" 2>&1)
		expect "CycloneDX 1.6 schema: the corpus's cards" valid "$out"
		"$MC_BIN" export --db "$T/corpus.db" --format spdx >"$T/ks.json"
		out=$(python3 "$here/validate-json.py" "$SCHEMAS/spdx/spdx-schema-2-3.json" "$T/ks.json" 2>&1)
		expect "SPDX 2.3 schema: the corpus's cards" valid "$out"
	else
		skip "schema validation of the corpus's exports" "no card corpus at $CORPUS"
	fi
	# the validator does find errors
	sed 's/"SHA-256"/"SHA-257"/' "$T/c.json" >"$T/bad.json"
	python3 "$here/validate-json.py" "$SCHEMAS/cyclonedx/bom-1.6.SNAPSHOT.schema.json" "$T/bad.json" >/dev/null 2>&1
	expect "the validator rejects a bad hash algorithm" 1 $?
	# every rule's SPDX id: a LicenseRef, or on the SPDX license list
	bad=$("$MC_BIN" rules list --format json | python3 -c '
import json, sys
ids = set(json.load(open(sys.argv[1]))["enum"])
rules = json.load(sys.stdin)["rules"]
print(" ".join(sorted(r["id"] + "=" + r["spdx"] for r in rules
      if not r["spdx"].startswith("LicenseRef-") and r["spdx"] not in ids)))
' "$SCHEMAS/cyclonedx/spdx.SNAPSHOT.schema.json")
	expect "every rule's SPDX id is on the SPDX license list or a LicenseRef" "" "$bad"
fi
