#!/bin/sh
# t_verdicts.sh: the verdict rules of docs/verdicts.md end to end.
# Each case is a model repository built here (card, license files, git
# remotes), scanned with the real binary, and judged on the `inventory` view
# through sqlite3: license, commercial_use, conditions and review.
#
# The costliest error is a false permit, so several cases pair a source that
# alone would permit with one that forbids (card mit + a non-commercial
# LICENSE, a permissive card over a non-commercial base model, a MIT text
# with a non-commercial clause added ...): there commercial_use must never
# be `allowed`.  License texts come from tests/data/licenses ($MC_LICENSES);
# the cases that need one are skipped with a message where it is absent,
# card-only cases always run.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
L=$MC_LICENSES

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

# have FILE...: are these reference texts present (relative to $L)?
have() {
	for f in "$@"; do [ -f "$L/$f" ] || return 1; done
}
# col NAME COLUMN: one column of model $R/NAME ("" for NULL)
col() { q "$DB" "SELECT $2 FROM inventory WHERE path = '$R/$1'"; }
# verdict NAME: "license|commercial_use|review"
verdict() { col "$1" "license || '|' || commercial_use || '|' || coalesce(review, '')"; }
# inlist ITEM LIST: is ITEM one of the comma-separated LIST?
inlist() { case ",$2," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
# expect_in NAME ITEM LIST / expect_notin NAME ITEM LIST
expect_in() {
	if inlist "$2" "$3"; then ok "$1"; else nok "$1" "expected '$2' in: $3"; fi
}
expect_notin() {
	if inlist "$2" "$3"; then nok "$1" "expected no '$2' in: $3"; else ok "$1"; fi
}
# never_allowed NAME MODEL: the false-permit guard
never_allowed() {
	cu=$(col "$2" commercial_use)
	case $cu in
	allowed) nok "$1" "commercial_use is allowed: a false permit" "verdict: $(verdict "$2")" ;;
	'') nok "$1" "model $R/$2 is not in the inventory" ;;
	*) ok "$1" ;;
	esac
}
# card DIR YAML-LINES...: a model folder with a card (config.json makes it a
# model even when the card has no front matter)
card() {
	card_dir=$R/$1
	shift
	mkcard "$card_dir" "$@"	# (mkcard sets $d)
	printf '{}' >"$card_dir/config.json"
}
# body DIR TEXT: append a paragraph to the card body
body() { printf '\n%s\n' "$2" >>"$R/$1/README.md"; }
# lic DIR NAME REFTEXT: copy reference text REFTEXT (under $L) as DIR/NAME
lic() { cp "$L/$3" "$R/$1/$2"; }
# gitmodel NAME ORIGIN-ID YAML...: a git work tree at $R/NAME whose origin is
# the Hub URL of ORIGIN-ID

# ---- card-only cases: always run -------------------------------------

# other + license_name: the alias real cards use
card alias-name 'license: other' 'license_name: stabilityai-ai-community' \
	'license_link: LICENSE.md'
# other + a name no rule knows
card custom-name 'license: other' 'license_name: acme-model-license-v2'
# `other` with nothing else
card other-bare 'license: other'
# placeholders
card ph-info 'license: "[More Information Needed]"'
card ph-unknown 'license: unknown'
card ph-license 'license: license'
card no-key 'tags: [text-generation]'
# gated cards
card gated-true 'license: mit' 'gated: true'
card gated-prompt 'license: apache-2.0' 'extra_gated_prompt: "You agree to share your contact information."'
card gated-fields 'license: apache-2.0' 'extra_gated_fields:' '  Company: text'
card not-gated 'license: apache-2.0' 'gated: false'
# card body restrictions.  docs/verdicts.md (review) makes a restriction phrase in the
# body a review reason, card-body-restriction, set "while commercial_use is
# allowed or conditional": the phrase flags the model, it is no license, so
# these assert the flag, not a commercial_use (if the spec ever makes the
# body a source that forbids, mit-body-nc below gains a never_allowed)
card body-nc 'license: mit'
body body-nc 'This model is for non-commercial use only.'
card body-research 'license: apache-2.0'
body body-research 'The weights are released for research purposes only.'
card body-ccbync 'license: mit'
body body-ccbync 'The weights are released under CC BY-NC 4.0.'
card body-fine 'license: mit'
body body-fine 'You may use the model for commercial and research purposes.'
# a list of licenses on the card, one permissive and one not
card card-list 'license:' '  - mit' '  - fair-noncommercial-research-license'
# an unrecognised LICENSE text: not a license any rule knows
mkdir -p "$R/unrecognised"
printf '{}' >"$R/unrecognised/config.json"
cat >"$R/unrecognised/LICENSE" <<'EOF'
Acme Model Terms

1. You may download the model and run it on your own computers.
2. Acme may change these terms at any time by posting new terms.
3. These terms are governed by the laws of the Republic of Examplestan.
EOF
# the same beside a permissive card: the card stands, the text is flagged
card unrecognised-card 'license: apache-2.0'
cp "$R/unrecognised/LICENSE" "$R/unrecognised-card/LICENSE"
# an unrecognised LICENSE text that restricts commercial use, beside mit
card unrecognised-nc 'license: mit'
cat >"$R/unrecognised-nc/LICENSE" <<'EOF'
Acme Model Terms

You may download the model and run it on your own computers for research
purposes only. Any other use needs a written agreement with Acme.
EOF
# a LICENSE that only names MIT, next to a non-commercial sentence
card mention-nc 'license: mit'
cat >"$R/mention-nc/LICENSE" <<'EOF'
The code is released under the MIT License.
The model weights are for non-commercial use only.
EOF

# Hub ids on the card alone, classed as docs/verdicts.md's table (commercial_use) does
card hub-cc-by-nc 'license: cc-by-nc-4.0'
card hub-cc-by 'license: cc-by-4.0'
card hub-gpl 'license: gpl-3.0'
card hub-llama3 'license: llama3'
card hub-qwen-research 'license: other' 'license_name: tongyi-qianwen-research'
# a family id alone: the Creative Commons family holds non-commercial
# members, so `cc` can never read as allowed
card family-cc 'license: cc'
card family-openrail 'license: openrail'
# card mit + safetensors metadata naming a non-commercial license
card st-nc 'license: mit'
meta='{"__metadata__":{"license":"apple-amlr","format":"pt"}}'
# the header length as 8 little-endian bytes (it is below 256)
printf "\\$(printf %03o ${#meta})\\000\\000\\000\\000\\000\\000\\000%s" "$meta" >"$R/st-nc/model.safetensors"

# lineage through a rule's base-model pattern (not in the inventory)
card ft-llama2 'license: mit' 'base_model: meta-llama/Llama-2-7b-hf'
card ft-llama2-url 'license: apache-2.0' 'base_model: https://huggingface.co/meta-llama/Llama-2-7b-hf'
card ft-llama2-own-none 'base_model: meta-llama/Llama-2-7b-hf'
# lineage through the inventory: bases are git repos with Hub remotes
gitmodel base-nc acme/base-nc 'license: fair-noncommercial-research-license'
gitmodel ft-nc acme/ft-nc 'license: apache-2.0' 'base_model: acme/base-nc'
gitmodel ft-nc-none acme/ft-nc-none 'base_model: acme/base-nc'
gitmodel ft-nc-adapter acme/ft-nc-adapter 'license: mit' 'base_model:' '  - acme/base-nc' \
	'base_model_relation: adapter'
# the base named in another case than its remote (the Hub ignores case)
gitmodel ft-nc-case acme/ft-nc-case 'license: mit' 'base_model: ACME/Base-NC'
# a chain of three: chain-c -> chain-b -> chain-a (not-allowed at the root)
gitmodel chain-a acme/chain-a 'license: apple-amlr'
gitmodel chain-b acme/chain-b 'license: apache-2.0' 'base_model: acme/chain-a'
gitmodel chain-c acme/chain-c 'license: mit' 'base_model: acme/chain-b'
# a cycle: cyc-a -> cyc-b -> cyc-a
gitmodel cyc-a acme/cyc-a 'license: mit' 'base_model: acme/cyc-b'
gitmodel cyc-b acme/cyc-b 'license: apache-2.0' 'base_model: acme/cyc-a'
# a chain whose middle model declares nothing: the root still binds the leaf
gitmodel gap-a acme/gap-a 'license: apple-amlr'
gitmodel gap-b acme/gap-b 'base_model: acme/gap-a'
gitmodel gap-c acme/gap-c 'license: mit' 'base_model: acme/gap-b'
# a model that names itself as its base
gitmodel self acme/self 'license: mit' 'base_model: acme/self'
# the same license as its base (by pattern): no inherited, no conflict
card same-as-base 'license: llama3.1' 'base_model: meta-llama/Llama-3.1-8B-Instruct'
# a base in the HF cache layout (model id from the folder name)
C=$R/hub/models--acme--cached-base
rev=0123456789abcdef0123456789abcdef01234567
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$rev"
printf -- '---\nlicense: fair-noncommercial-research-license\n---\n# cached base\n' >"$C/blobs/b1"
ln -s ../../blobs/b1 "$C/snapshots/$rev/README.md"
printf '%s' "$rev" >"$C/refs/main"
card ft-of-cached 'license: apache-2.0' 'base_model: acme/cached-base'
# a bare mirror as the base: its id comes from the origin remote
mkcard "$T/src/bare-base" 'license: fair-noncommercial-research-license'
mkgit "$T/src/bare-base" https://huggingface.co/acme/bare-base
git clone -q --bare "$T/src/bare-base" "$R/mirror/bare-base.git"
git -C "$R/mirror/bare-base.git" remote set-url origin https://huggingface.co/acme/bare-base
gitmodel ft-of-bare acme/ft-of-bare 'license: mit' 'base_model: acme/bare-base'

# ---- cases with reference texts --------------------------------------
texts=yes
if ! have spdx/MIT.txt spdx/Apache-2.0.txt spdx/BSD-3-Clause.txt \
	spdx/CC-BY-NC-4.0.txt ai/llama2.txt ai/llama3.1.txt ai/llama3.1-aup.txt \
	ai/stabilityai-nc-research.txt; then
	texts=
fi
if [ -n "$texts" ]; then
	# agreement
	card agree 'license: mit'
	lic agree LICENSE spdx/MIT.txt
	# conflict
	card conflict 'license: apache-2.0'
	lic conflict LICENSE ai/llama2.txt
	# family refinement
	card family 'license: bsd'
	lic family LICENSE spdx/BSD-3-Clause.txt
	card family-rail 'license: openrail'
	lic family-rail LICENSE ai/creativeml-openrail-m.txt
	# license: other with a relative license_link to a file no name marks
	card linked 'license: other' 'license_link: terms/weights-terms.txt'
	mkdir -p "$R/linked/terms"
	lic linked terms/weights-terms.txt ai/llama2.txt
	# a weights-specific file governs over the code LICENSE
	card weights 'license: other'
	lic weights LICENSE spdx/MIT.txt
	lic weights LICENSE-MODEL spdx/CC-BY-NC-4.0.txt
	card weights-nc 'license: other'
	lic weights-nc LICENSE spdx/MIT.txt
	lic weights-nc MODEL_LICENSE ai/stabilityai-nc-research.txt
	card weights-lc 'license: mit'
	lic weights-lc LICENSE spdx/MIT.txt
	lic weights-lc license_weights.md ai/stabilityai-nc-research.txt
	# a data set's license beside the model is shown, never the model's
	card data-lic 'license: mit'
	lic data-lic LICENSE spdx/MIT.txt
	lic data-lic DATA_LICENSE spdx/CC-BY-4.0.txt
	# a use policy belongs to its license
	card policy 'license: llama3.1'
	lic policy LICENSE ai/llama3.1.txt
	lic policy USE_POLICY.md ai/llama3.1-aup.txt
	# card mit + a non-commercial LICENSE
	card mit-over-nc 'license: mit'
	lic mit-over-nc LICENSE spdx/CC-BY-NC-4.0.txt
	card mit-over-nc2 'license: mit'
	lic mit-over-nc2 LICENSE ai/stabilityai-nc-research.txt
	# MIT LICENSE + card body "non-commercial"
	card mit-body-nc 'license: mit'
	lic mit-body-nc LICENSE spdx/MIT.txt
	body mit-body-nc 'The weights are licensed for non-commercial use only.'
	# modified permissive texts: a non-commercial clause added
	card mod-mit 'license: mit'
	{ cat "$L/spdx/MIT.txt"; printf '\nThe Software and the model weights may be used for non-commercial purposes only. Commercial use requires a separate written license from the copyright holders.\n'; } \
		>"$R/mod-mit/LICENSE"
	mkdir -p "$R/mod-mit-nocard"
	printf '{}' >"$R/mod-mit-nocard/config.json"
	cp "$R/mod-mit/LICENSE" "$R/mod-mit-nocard/LICENSE"
	card mod-apache 'license: apache-2.0'
	{ cat "$L/spdx/Apache-2.0.txt"; printf '\nADDITIONAL TERMS\n\nNotwithstanding the above, the model weights may not be used on platforms that generate revenue, and are provided for research purposes only.\n'; } \
		>"$R/mod-apache/LICENSE"
	# a MIT text with an added clause that does not name commerce
	card mod-mit-other 'license: mit'
	{ cat "$L/spdx/MIT.txt"; printf '\nAdditional condition: before any deployment of the Software that serves more than one thousand users, the deployer must notify the copyright holders in writing and obtain their written approval of the deployment.\n'; } \
		>"$R/mod-mit-other/LICENSE"
	# a MIT text plus a sentence that puts the weights under another license
	# or forbids commerce: short, but the file is not plain MIT any more
	card mit-nc-named 'license: mit'
	{ cat "$L/spdx/MIT.txt"; printf '\nThe model weights are released under the CC BY-NC 4.0 license.\n'; } \
		>"$R/mit-nc-named/LICENSE"
	card mit-nc-preamble 'license: mit'
	{ printf 'The code is MIT licensed. The weights are licensed under CC BY-NC 4.0.\n\n'; cat "$L/spdx/MIT.txt"; } \
		>"$R/mit-nc-preamble/LICENSE"
	card mit-llama-named 'license: mit'
	{ cat "$L/spdx/MIT.txt"; printf '\nThe model weights are subject to the Llama 2 Community License Agreement.\n'; } \
		>"$R/mit-llama-named/LICENSE"
	card mit-may-not 'license: mit'
	{ cat "$L/spdx/MIT.txt"; printf '\nYou may not use the model weights for commercial purposes.\n'; } \
		>"$R/mit-may-not/LICENSE"
	# the same texts with a long copyright header and a trailing notice
	card header-mit 'license: mit'
	{
		printf 'MIT License\n\n'
		for y in 2017 2018 2019 2020 2021 2022 2023 2024; do
			printf 'Copyright (c) %s Acme Research Laboratories and the Acme model contributors\n' "$y"
		done
		printf 'All rights reserved.\n\n'
		cat "$L/spdx/MIT.txt"
		printf '\n\nSee AUTHORS.md for the list of contributors.\n'
	} >"$R/header-mit/LICENSE"
	card header-apache 'license: apache-2.0'
	{
		printf 'Copyright 2023-2024 Acme Research Laboratories, Inc.\n'
		printf 'Copyright 2022 The Original Authors of the Tokenizer\n\n'
		cat "$L/spdx/Apache-2.0.txt"
		printf '\n\nThird-party notices are listed in NOTICE.\n'
	} >"$R/header-apache/LICENSE"
fi

# ---- scan ------------------------------------------------------------
# (under timeout where there is one: the cycle must not hang the scan)
to=
command -v timeout >/dev/null 2>&1 && to="timeout 300"
$to "$MC_BIN" scan --quiet --db "$DB" "$R" >"$T/out" 2>"$T/err"
expect "scan exits 0 (and terminates: 124 is a timeout)" 0 $?

# ---- assertions: card-only --------------------------------------------
v=$(col alias-name "license || '|' || commercial_use")
expect "other + license_name alias stabilityai-ai-community -> stabilityai-community" \
	"stabilityai-community|conditional" "$v"
expect_notin "an alias that a rule knows is not a custom license" custom-license "$(col alias-name "coalesce(review, '')")"

expect "other + an unknown license_name: that name, unknown, custom-license" \
	"acme-model-license-v2|unknown|custom-license" "$(verdict custom-name)"
v=$(verdict other-bare)
expect "license: other and nothing else: unknown" "unknown|unknown" "$(echo "$v" | cut -d'|' -f1,2)"
expect_in "license: other and nothing else: custom-license" custom-license "$(echo "$v" | cut -d'|' -f3)"

for p in ph-info ph-unknown ph-license no-key; do
	expect "placeholder card ($p): unknown, unknown, no-license" "unknown|unknown|no-license" "$(verdict $p)"
done
expect "placeholder cards declare nothing" "|||" \
	"$(q "$DB" "SELECT group_concat(coalesce(declared_license, ''), '|') FROM inventory WHERE path IN ('$R/ph-info', '$R/ph-unknown', '$R/ph-license', '$R/no-key')")"

expect "gated: true -> review gated, verdict unchanged" "mit|allowed|gated" "$(verdict gated-true)"
expect "extra_gated_prompt -> review gated" "apache-2.0|allowed|gated" "$(verdict gated-prompt)"
expect "extra_gated_fields -> review gated" "apache-2.0|allowed|gated" "$(verdict gated-fields)"
expect "gated: false is not gated" "apache-2.0|allowed|" "$(verdict not-gated)"

expect_in "card body 'non-commercial use only' -> card-body-restriction" card-body-restriction \
	"$(col body-nc "coalesce(review, '')")"
expect_in "card body 'research purposes only' -> card-body-restriction" card-body-restriction \
	"$(col body-research "coalesce(review, '')")"
expect_in "card body 'weights released under CC BY-NC 4.0' -> card-body-restriction" card-body-restriction \
	"$(col body-ccbync "coalesce(review, '')")"
expect "card body 'commercial and research purposes' restricts nothing" "mit|allowed|" "$(verdict body-fine)"

expect "card list mit + a non-commercial license: both, not-allowed" \
	"fair-noncommercial-research-license AND mit|not-allowed" "$(col card-list "license || '|' || commercial_use")"
never_allowed "card list with a non-commercial license is never allowed" card-list

expect "unrecognised LICENSE text: unknown, unrecognized-text" "unknown|unknown|unrecognized-text" \
	"$(verdict unrecognised)"
v=$(verdict unrecognised-card)
expect "unrecognised LICENSE beside a card: the card's license stands" "apache-2.0|allowed" \
	"$(echo "$v" | cut -d'|' -f1,2)"
expect_in "unrecognised LICENSE beside a card: unrecognized-text" unrecognized-text "$(echo "$v" | cut -d'|' -f3)"
expect "card mit + an unrecognised 'research purposes only' LICENSE: not-allowed" not-allowed \
	"$(col unrecognised-nc commercial_use)"
never_allowed "card mit + unrecognised restrictive LICENSE is never allowed" unrecognised-nc
expect "LICENSE naming MIT beside 'non-commercial use only': not-allowed" not-allowed \
	"$(col mention-nc commercial_use)"

expect "card cc-by-nc-4.0 (a Hub id): not-allowed" "cc-by-nc-4.0|not-allowed|" "$(verdict hub-cc-by-nc)"
expect "card cc-by-4.0 (a Hub id): allowed" "cc-by-4.0|allowed|" "$(verdict hub-cc-by)"
expect "card gpl-3.0 (a Hub id): conditional" "gpl-3.0|conditional|" "$(verdict hub-gpl)"
expect "card llama3 (a Hub id): conditional" "llama3|conditional|" "$(verdict hub-llama3)"
expect "other + license_name tongyi-qianwen-research -> qwen-research, not-allowed" \
	"qwen-research|not-allowed|" "$(verdict hub-qwen-research)"
never_allowed "card cc (a family with non-commercial members) is never allowed" family-cc
expect "card openrail (family) alone: conditional" "openrail|conditional|" "$(verdict family-openrail)"
expect "card mit + safetensors metadata apple-amlr: both, not-allowed, conflict" \
	"apple-amlr AND mit|not-allowed|conflict" "$(verdict st-nc)"
never_allowed "card mit + non-commercial checkpoint metadata is never allowed" st-nc

# ---- assertions: lineage ----------------------------------------------
expect "base by rule pattern: card mit + Llama 2 base -> llama2 AND mit, conditional" \
	"llama2 AND mit|conditional" "$(col ft-llama2 "license || '|' || commercial_use")"
v=$(col ft-llama2 "coalesce(review, '')")
expect_in "base by rule pattern, more restrictive than the card: inherited" inherited "$v"
expect_notin "a base model that differs from the card is not a conflict" conflict "$v"
expect "base_model as a Hub URL is read as org/name" "apache-2.0 AND llama2|conditional" \
	"$(col ft-llama2-url "license || '|' || commercial_use")"
expect "no license of its own, base by pattern: the base's verdict, inherited" "llama2|conditional|inherited" \
	"$(verdict ft-llama2-own-none)"

b=fair-noncommercial-research-license
expect "base in the inventory: card apache-2.0 + not-allowed base -> both, not-allowed" \
	"apache-2.0 AND $b|not-allowed" "$(col ft-nc "license || '|' || commercial_use")"
never_allowed "card apache-2.0 over a not-allowed base is never allowed" ft-nc
v=$(col ft-nc "coalesce(review, '')")
expect_in "a more restrictive base in the inventory: inherited" inherited "$v"
expect_notin "a base in the inventory that differs from the card: no conflict" conflict "$v"
expect "fine-tune with no license of its own takes the base's verdict" "$b|not-allowed|inherited" \
	"$(verdict ft-nc-none)"
expect "adapter (base_model list) of a not-allowed base: not-allowed" "$b AND mit|not-allowed" \
	"$(col ft-nc-adapter "license || '|' || commercial_use")"
expect "base_model in another case than the base's id still resolves" "$b AND mit|not-allowed" \
	"$(col ft-nc-case "license || '|' || commercial_use")"
expect "the base itself is unchanged" "$b|not-allowed|" "$(verdict base-nc)"

expect "chain of three: the root's license reaches the leaf" "apache-2.0 AND apple-amlr AND mit|not-allowed" \
	"$(col chain-c "license || '|' || commercial_use")"
never_allowed "chain of three: a permissive leaf over a not-allowed root is never allowed" chain-c
expect "chain of three: the middle model" "apache-2.0 AND apple-amlr|not-allowed" \
	"$(col chain-b "license || '|' || commercial_use")"

expect "cycle A->B->A terminates: both models in the inventory" 2 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path IN ('$R/cyc-a', '$R/cyc-b')")"
expect "cycle: A binds B and B binds A, each once" "apache-2.0 AND mit|apache-2.0 AND mit" \
	"$(col cyc-a license)|$(col cyc-b license)"

expect "chain through a model that declares nothing: the root binds the leaf" \
	"apple-amlr AND mit|not-allowed" "$(col gap-c "license || '|' || commercial_use")"
expect "a model that names itself as its base: its own verdict" "mit|allowed|" "$(verdict self)"
expect "same license as the base (by pattern): no conflict, no inherited" "llama3.1|conditional|" \
	"$(verdict same-as-base)"
expect "base in the HF cache layout, by folder name: card apache-2.0 -> not-allowed" \
	"apache-2.0 AND fair-noncommercial-research-license|not-allowed" \
	"$(col ft-of-cached "license || '|' || commercial_use")"
expect "bare mirror: model id from the origin remote" "bare|acme/bare-base" \
	"$(q "$DB" "SELECT layout, model_id FROM inventory WHERE path = '$R/mirror/bare-base.git'")"
expect "git work tree over a bare-mirror base: lineage by model id" "$b AND mit|not-allowed" \
	"$(col ft-of-bare "license || '|' || commercial_use")"

# ---- assertions: with reference texts ----------------------------------
if [ -z "$texts" ]; then
	skip "verdicts over license texts" "reference texts not found under $L (set MC_LICENSES)"
else
	expect "agreement: card mit + MIT LICENSE -> mit, allowed, no review" "mit|allowed|" "$(verdict agree)"
	expect "agreement: declared and detected" "mit|mit" "$(col agree "declared_license || '|' || detected_license")"

	expect "conflict: card apache-2.0 + Llama 2 LICENSE -> both, conditional, conflict" \
		"apache-2.0 AND llama2|conditional|conflict" "$(verdict conflict)"

	expect "family: card bsd + BSD-3-Clause LICENSE -> bsd-3-clause, no conflict" \
		"bsd-3-clause|allowed|" "$(verdict family)"

	expect "DATA_LICENSE (CC BY 4.0) beside an MIT model is the data's, not the model's" \
		"mit|allowed|" "$(verdict data-lic)"
	expect_match "explain shows it as the data's license" "a data set's license, not the model's" \
		"$("$MC_BIN" explain --db "$DB" "$R/data-lic" 2>&1)"
	v=$(col weights "license || '|' || commercial_use")
	expect "LICENSE-MODEL (CC-BY-NC-4.0) governs over LICENSE (MIT)" "cc-by-nc-4.0|not-allowed" "$v"
	never_allowed "MIT code LICENSE beside a non-commercial LICENSE-MODEL is never allowed" weights
	expect "MODEL_LICENSE (Stability NC research) governs over LICENSE (MIT)" \
		"stabilityai-nc-research|not-allowed" "$(col weights-nc "license || '|' || commercial_use")"
	expect "the generic LICENSE is left out of detected_license" "stabilityai-nc-research" \
		"$(col weights-nc detected_license)"
	expect "license_weights.md (any case) governs too: card mit + NC weights terms" \
		"mit AND stabilityai-nc-research|not-allowed" "$(col weights-lc "license || '|' || commercial_use")"
	never_allowed "card mit + MIT LICENSE + NC weights file is never allowed" weights-lc

	expect "family: card openrail + CreativeML OpenRAIL-M LICENSE -> the member, no conflict" \
		"creativeml-openrail-m|conditional|" "$(verdict family-rail)"
	expect "license: other + a relative license_link to a Llama 2 text -> llama2" \
		"llama2|conditional" "$(col linked "license || '|' || commercial_use")"
	expect_notin "a linked file that identifies the license: no custom-license" custom-license \
		"$(col linked "coalesce(review, '')")"

	v=$(verdict policy)
	expect "use policy: LICENSE llama3.1 + USE_POLICY.md -> one license llama3.1" "llama3.1|conditional|" "$v"
	c=$(col policy "coalesce(conditions, '')")
	expect_in "use policy: license conditions kept (mau-700m)" mau-700m "$c"
	expect_in "use policy: the policy's conditions added (use-restrictions)" use-restrictions "$c"
	expect "use policy: detected_license names no policy" "llama3.1" "$(col policy detected_license)"

	expect "card mit + CC-BY-NC-4.0 LICENSE: both, not-allowed, conflict" \
		"cc-by-nc-4.0 AND mit|not-allowed|conflict" "$(verdict mit-over-nc)"
	never_allowed "card mit + CC-BY-NC-4.0 LICENSE is never allowed" mit-over-nc
	expect "card mit + Stability NC research LICENSE: both, not-allowed, conflict" \
		"mit AND stabilityai-nc-research|not-allowed|conflict" "$(verdict mit-over-nc2)"
	never_allowed "card mit + Stability NC research LICENSE is never allowed" mit-over-nc2

	v=$(verdict mit-body-nc)
	expect "MIT LICENSE + card body 'non-commercial': license mit" mit "$(echo "$v" | cut -d'|' -f1)"
	expect_in "MIT LICENSE + card body 'non-commercial': card-body-restriction" card-body-restriction \
		"$(echo "$v" | cut -d'|' -f3)"

	for m in mod-mit mod-mit-nocard mod-apache; do
		v=$(verdict $m)
		lic_id=mit
		[ $m = mod-apache ] && lic_id=apache-2.0
		expect "$m: a permissive text with a non-commercial clause: license $lic_id, not-allowed" \
			"$lic_id|not-allowed" "$(echo "$v" | cut -d'|' -f1,2)"
		expect_in "$m: review modified-text" modified-text "$(echo "$v" | cut -d'|' -f3)"
		never_allowed "$m: a modified permissive text is never allowed" $m
	done
	v=$(verdict mod-mit-other)
	expect "MIT text with an added deployment clause: mit, conditional" "mit|conditional" \
		"$(echo "$v" | cut -d'|' -f1,2)"
	expect_in "MIT text with an added deployment clause: modified-text" modified-text "$(echo "$v" | cut -d'|' -f3)"

	never_allowed "MIT text + 'weights released under the CC BY-NC 4.0 license' is never allowed" mit-nc-named
	expect_match "MIT text + weights under CC BY-NC 4.0: the license names cc-by-nc-4.0" \
		'cc-by-nc-4.0' "$(col mit-nc-named license)"
	never_allowed "preamble 'weights licensed under CC BY-NC 4.0' + MIT text is never allowed" mit-nc-preamble
	never_allowed "MIT text + 'weights subject to the Llama 2 license' is never allowed" mit-llama-named
	expect_match "MIT text + weights subject to Llama 2: the license names llama2" \
		'llama2' "$(col mit-llama-named license)"
	never_allowed "MIT text + 'you may not use the weights for commercial purposes' is never allowed" mit-may-not

	expect "MIT with a long copyright header and a trailing notice: not modified" "mit|allowed|" \
		"$(verdict header-mit)"
	expect "Apache-2.0 with copyright lines and a trailing notice: not modified" "apache-2.0|allowed|" \
		"$(verdict header-apache)"
fi

# ---- a base scanned after its fine-tune ----------------------------------
R2=$T/late
DB2=$T/late.db
mkcard "$R2/first/ft" 'license: mit' 'base_model: acme/late-base'
mkgit "$R2/first/ft" https://huggingface.co/acme/late-ft
mkcard "$R2/second/base" 'license: fair-noncommercial-research-license'
mkgit "$R2/second/base" https://huggingface.co/acme/late-base
"$MC_BIN" scan --quiet --db "$DB2" "$R2/first" >/dev/null 2>&1
expect "fine-tune scanned alone: its own verdict (base unresolved)" "mit|allowed" \
	"$(q "$DB2" "SELECT license || '|' || commercial_use FROM inventory WHERE path = '$R2/first/ft'")"
"$MC_BIN" scan --quiet --db "$DB2" "$R2/second" >/dev/null 2>&1
expect "base scanned later: the fine-tune's verdict is fixed" \
	"fair-noncommercial-research-license AND mit|not-allowed" \
	"$(q "$DB2" "SELECT license || '|' || commercial_use FROM inventory WHERE path = '$R2/first/ft'")"
expect_in "base scanned later: the fine-tune is marked inherited" inherited \
	"$(q "$DB2" "SELECT coalesce(review, '') FROM inventory WHERE path = '$R2/first/ft'")"

# ---- two copies of the base in the inventory -----------------------------
# A mirror kept from before a relicensing and a newer clone share a model
# id; which revision the fine-tune was trained from is not known, so the
# non-commercial copy must count.  The permissive copy is scanned first.
R4=$T/twins
DB4=$T/twins.db
mkcard "$T/src/twin-new" 'license: mit'
mkgit "$T/src/twin-new" https://huggingface.co/acme/twin
git clone -q "$T/src/twin-new" "$R4/a/twin"
git -C "$R4/a/twin" remote set-url origin https://huggingface.co/acme/twin
mkcard "$R4/a/ft" 'license: apache-2.0' 'base_model: acme/twin'
printf '{}' >"$R4/a/ft/config.json"
mkcard "$T/src/twin-old" 'license: fair-noncommercial-research-license'
mkgit "$T/src/twin-old" https://huggingface.co/acme/twin
git clone -q --bare "$T/src/twin-old" "$R4/b/twin.git"
git -C "$R4/b/twin.git" remote set-url origin https://huggingface.co/acme/twin
"$MC_BIN" scan --quiet --db "$DB4" "$R4/a" >/dev/null 2>&1
"$MC_BIN" scan --quiet --db "$DB4" "$R4/b" >/dev/null 2>&1
expect "two models share the base id: both are in the inventory" 2 \
	"$(q "$DB4" "SELECT count(*) FROM inventory WHERE model_id = 'acme/twin'")"
v=$(q "$DB4" "SELECT license || '|' || commercial_use FROM inventory WHERE path = '$R4/a/ft'")
case $v in
*'|allowed') nok "a base id held by a permissive and a non-commercial copy: the fine-tune is never allowed" \
	"a false permit: $v" ;;
*) ok "a base id held by a permissive and a non-commercial copy: the fine-tune is never allowed" ;;
esac

# ---- a base whose license changes; the fine-tune is not touched -----------
# A rescan re-reads only changed models: the unchanged fine-tune must still
# follow its base's new terms, both ways.
R3=$T/relicense
DB3=$T/relicense.db
mkcard "$R3/base" 'license: apache-2.0'
mkgit "$R3/base" https://huggingface.co/acme/relicensed-base
mkcard "$R3/ft" 'license: mit' 'base_model: acme/relicensed-base'
mkgit "$R3/ft" https://huggingface.co/acme/relicensed-ft
ft3() { q "$DB3" "SELECT license || '|' || commercial_use FROM inventory WHERE path = '$R3/ft'"; }
"$MC_BIN" scan --quiet --db "$DB3" "$R3" >/dev/null 2>&1
expect "permissive base: the fine-tune is allowed" "apache-2.0 AND mit|allowed" "$(ft3)"
mkcard "$R3/base" 'license: fair-noncommercial-research-license'
git -C "$R3/base" commit -qam relicense
"$MC_BIN" scan --quiet --db "$DB3" "$R3" >/dev/null 2>&1
expect "base relicensed non-commercial, fine-tune unchanged: the fine-tune follows" \
	"fair-noncommercial-research-license AND mit|not-allowed" "$(ft3)"
mkcard "$R3/base" 'license: apache-2.0'
git -C "$R3/base" commit -qam "relicense again"
"$MC_BIN" scan --quiet --db "$DB3" "$R3" >/dev/null 2>&1
expect "base relicensed permissive again: the fine-tune follows back" "apache-2.0 AND mit|allowed" "$(ft3)"
# the base scanned on its own (the fine-tune's root not rescanned)
mkcard "$R3/base" 'license: apple-amlr'
git -C "$R3/base" commit -qam "relicense, scanned alone"
"$MC_BIN" scan --quiet --db "$DB3" "$R3/base" >/dev/null 2>&1
expect "base rescanned alone: the fine-tune elsewhere in the inventory follows" \
	"apple-amlr AND mit|not-allowed" "$(ft3)"
never_allowed_db3() {
	case $(ft3) in *'|allowed') nok "$1" "a false permit: $(ft3)" ;; *) ok "$1" ;; esac
}
never_allowed_db3 "a fine-tune of a base relicensed non-commercial is never left allowed"

# a license whose text includes another's (LGPL-3.0 ships with the GPL-3.0
# text it supplements; COPYING + COPYING.LESSER) is one license, not two
if have spdx/LGPL-3.0-only.txt spdx/GPL-3.0-only.txt; then
	G=$T/lgpl
	mkcard "$G/one-file" 'license: lgpl-3.0'
	cp "$L/spdx/LGPL-3.0-only.txt" "$G/one-file/LICENSE"
	mkcard "$G/two-files" 'license: lgpl-3.0'
	cp "$L/spdx/GPL-3.0-only.txt" "$G/two-files/COPYING"
	cp "$L/spdx/LGPL-3.0-only.txt" "$G/two-files/COPYING.LESSER"
	"$MC_BIN" scan --quiet --db "$T/lgpl.db" "$G" >/dev/null 2>&1
	expect "LGPL-3.0 with the GPL-3.0 text in one file: lgpl-3.0 alone, no conflict" \
		"lgpl-3.0|conditional|" \
		"$(q "$T/lgpl.db" "SELECT license, commercial_use, coalesce(review, '') FROM inventory WHERE path = '$G/one-file'")"
	expect "COPYING (GPL-3.0) + COPYING.LESSER (LGPL-3.0): lgpl-3.0 alone" "lgpl-3.0" \
		"$(q "$T/lgpl.db" "SELECT license FROM inventory WHERE path = '$G/two-files'")"
else
	skip "lgpl incorporates gpl" "no LGPL-3.0/GPL-3.0 texts under $L"
fi
