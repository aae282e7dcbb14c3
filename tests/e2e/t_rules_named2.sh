#!/bin/sh
# t_rules_named2.sh: named model licenses met in real repositories (issue
# 16, second list): the Databricks Open Model License (DBRX), the MiniMax
# Model License, the Modified MIT License of Kimi K2 and MiniMax-M2, the TII
# Falcon License 2.0, the Jamba Open Model License, the Skywork Community
# License, the NVIDIA AI Foundation Models Community License, Cohere's C4AI
# Acceptable Use Policy and the Microsoft Research License (Orca 2).
# Each reference text is identified as its license, as a full match, as
# shipped, hard-wrapped at 72 columns and with markdown emphasis; a model
# whose card says `license: other` + a license_name real cards use gets the
# rule's id and commercial_use, and so does one with the text as LICENSE.
# A Modified MIT text is never plain mit allowed; Cohere's use policy
# belongs to cc-by-nc-4.0; Falcon 3 and Falcon-H1 are the 2.0 license, not
# the Falcon LLM License 1.0 of 2023.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
ai=$MC_LICENSES/ai

# The rule files this test owns, for `rules test` on their own (with the
# rules their examples and policy_of name: cc-by-nc for c4ai-aup, mit for
# the Modified MIT examples, the Falcon 1.0 rule beside the 2.0 one).
my_rules="databricks-open-model-license minimax-model-license modified-mit
falcon-llm-license jamba-open-model-license skywork-license
nvidia-ai-foundation-models-community-license c4ai-aup
microsoft-research-license"
also="cc-by-nc mit tii-falcon-llm tii-falcon-180b restrictions"

# ids NAME: the "kind:id" words `identify` reports for file NAME, sorted
# and space separated; "error: ..." when identify fails.
ids() {
	if ! "$MC_BIN" identify "$1" >"$T/out" 2>"$T/err"; then
		echo "error: $(head -n 1 "$T/err")"
		return
	fi
	awk '$2 != "no" { print $3 ":" $2 }' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//'
}

# --- the rules' own examples -------------------------------------------
mkdir -p "$T/rules"
missing=
for r in $my_rules $also; do
	if [ -f "$root/rules/$r.yaml" ]; then
		cp "$root/rules/$r.yaml" "$T/rules/"
	else
		missing="$missing $r"
	fi
done
expect "named rule files present" "" "$missing"
out=$(MODELCENSUS_RULES="$T/rules" "$MC_BIN" rules test 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q ' passed, 0 failed'; then
	ok "rules test: named rules' examples pass ($(printf '%s\n' "$out" | tail -n 1))"
else
	nok "rules test: named rules' examples pass" "exit $rc" "$(printf '%s\n' "$out" | grep -v '^ok' | head -n 20)"
fi

# --- reference texts: as shipped, wrapped at 72, with markdown emphasis ----
# text BASENAME EXPECTED: the three forms of $ai/BASENAME.txt
text() {
	f=$ai/$1.txt
	if [ ! -f "$f" ]; then
		nok "reference text $1.txt present" "$f not found"
		return
	fi
	expect "identify $1.txt" "$2" "$(ids "$f")"
	fold -s -w 72 "$f" >"$T/$1.w72.txt"
	expect "identify $1.txt wrapped at 72" "$2" "$(ids "$T/$1.w72.txt")"
	# the first text line in bold, and "the" in italics throughout
	awk '!t && NF { print "**" $0 "**"; t = 1; next } { print }' "$f" |
		sed 's/ the / _the_ /g; s/ The / *The* /g' >"$T/$1.md"
	expect "identify $1.txt with markdown emphasis" "$2" "$(ids "$T/$1.md")"
}
text databricks-open-model-license "full:databricks-open-model-license"
text minimax-model-license "full:minimax-model-license"
# the MIT phrases inside a Modified MIT still match as mit; the file is
# both, and the verdict is the stricter one
text modified-mit "full:mit full:modified-mit"
text modified-mit-minimax-m2 "full:mit full:modified-mit"

# --- short texts ---------------------------------------------------------
printf 'DBRX Instruct is released under the Databricks Open Model License.\n' >"$T/dbrx-ref.txt"
expect "a reference to the Databricks Open Model License is a mention" \
	"mention:databricks-open-model-license" "$(ids "$T/dbrx-ref.txt")"
printf 'Falcon3-7B-Instruct\n- License: TII Falcon-LLM License 2.0\n' >"$T/falcon3-ref.txt"
expect "TII Falcon-LLM License 2.0 is a mention of falcon-llm-license" \
	"mention:falcon-llm-license" "$(ids "$T/falcon3-ref.txt")"
printf 'Falcon3 is under the Falcon LLM License 2.0.\n' >"$T/falcon3-ref2.txt"
expect "Falcon LLM License 2.0 is not the 1.0 license" \
	"mention:falcon-llm-license" "$(ids "$T/falcon3-ref2.txt")"
printf 'Falcon-40B was first made available under the TII Falcon LLM License.\n' >"$T/falcon1-ref.txt"
expect "the TII Falcon LLM License (1.0) stays tii-falcon-llm" \
	"mention:tii-falcon-llm" "$(ids "$T/falcon1-ref.txt")"
printf 'The models are released under the Jamba Open Model License.\n' >"$T/jamba-ref.txt"
expect "a reference to the Jamba Open Model License is a mention" \
	"mention:jamba-open-model-license" "$(ids "$T/jamba-ref.txt")"
printf 'The community usage of Skywork model requires Skywork Community License.\n' >"$T/skywork-ref.txt"
expect "a reference to the Skywork Community License is a mention" \
	"mention:skywork-license" "$(ids "$T/skywork-ref.txt")"
printf 'The use of this model is governed by the NVIDIA AI Foundation Models Community License Agreement.\n' >"$T/nvaif-ref.txt"
expect "a reference to the NVIDIA AI Foundation Models Community License is a mention" \
	"mention:nvidia-ai-foundation-models-community-license" "$(ids "$T/nvaif-ref.txt")"
printf 'Orca 2 is licensed under the Microsoft Research License.\n' >"$T/msr-ref.txt"
expect "a reference to the Microsoft Research License is a mention" \
	"mention:microsoft-research-license" "$(ids "$T/msr-ref.txt")"
if [ -f "$MC_LICENSES/spdx/MIT.txt" ]; then
	expect "plain MIT is not modified-mit" "full:mit" "$(ids "$MC_LICENSES/spdx/MIT.txt")"
else
	skip "plain MIT is not modified-mit" "$MC_LICENSES/spdx/MIT.txt not found"
fi

# --- scans: card license_name, LICENSE text, lineage ----------------------
# model NAME LICENSE-FILE CARD-LINES...: a model folder (config.json makes
# it a model) with a card and, unless LICENSE-FILE is empty, that text as
# LICENSE
model() {
	d=$T/models/$1 src=$2
	shift 2
	mkcard "$d" "$@"
	printf '{}' >"$d/config.json"
	[ -z "$src" ] || cp "$src" "$d/LICENSE"
}
model card-dbrx "" 'license: other' 'license_name: databricks-open-model-license'
model card-minimax "" 'license: other' 'license_name: minimax-model-license'
model card-kimi "" 'license: other' 'license_name: modified-mit'
model card-falcon3 "" 'license: other' 'license_name: falcon-llm-license' \
	'license_link: https://falconllm.tii.ae/falcon-terms-and-conditions.html'
model card-jamba "" 'license: other' 'license_name: jamba-open-model-license'
model card-skywork "" 'license: other' 'license_name: skywork-license'
model card-nvaif "" 'license: other' 'license_name: NVIDIA AI Foundation Models Community License'
model card-c4ai "" 'license: cc-by-nc-4.0'
printf "\nThis model is governed by a CC-BY-NC License with an acceptable use addendum, and also requires adhering to C4AI's Acceptable Use Policy.\n" \
	>>"$T/models/card-c4ai/README.md"
model card-c4ai-name "" 'license: other' 'license_name: c4ai-acceptable-use-policy'
model card-orca2 "" 'license: other' 'license_name: microsoft-research-license'
model file-dbrx "$ai/databricks-open-model-license.txt" 'tags: [text-generation]'
model file-minimax "$ai/minimax-model-license.txt" 'tags: [text-generation]'
model file-kimi "$ai/modified-mit.txt" 'tags: [text-generation]'
model file-minimax-m2 "$ai/modified-mit-minimax-m2.txt" 'tags: [text-generation]'
model mit-kimi "$ai/modified-mit.txt" 'license: mit'
model base-falcon3 "" 'base_model: tiiuae/Falcon3-7B-Instruct'
model base-falconh1 "" 'base_model: tiiuae/Falcon-H1-1.5B-Deep-Instruct'
model base-dbrx "" 'base_model: databricks/dbrx-instruct'
model base-kimi "" 'base_model: moonshotai/Kimi-K2-Instruct'
model base-jamba "" 'base_model: ai21labs/AI21-Jamba-Mini-1.7'
model base-skyreels "" 'base_model: Skywork/SkyReels-V2-DF-1.3B-540P-Diffusers'
model base-orca2 "" 'base_model: microsoft/Orca-2-13b'
model base-minimax "" 'base_model: MiniMaxAI/MiniMax-Text-01'

if ! "$MC_BIN" scan --quiet --db "$T/inv.db" "$T/models" >"$T/scan.out" 2>&1; then
	nok "scan of the named-license models" "$(head -n 5 "$T/scan.out")"
else
	row() { q "$T/inv.db" "SELECT license || ' ' || commercial_use FROM inventory WHERE path = '$T/models/$1'"; }
	review() { q "$T/inv.db" "SELECT coalesce(review, '') FROM inventory WHERE path = '$T/models/$1'"; }
	expect "license_name databricks-open-model-license" "databricks-open-model-license conditional" "$(row card-dbrx)"
	expect "license_name minimax-model-license" "minimax-model-license conditional" "$(row card-minimax)"
	expect "license_name modified-mit (Kimi K2, MiniMax-M2)" "modified-mit conditional" "$(row card-kimi)"
	expect "license_name falcon-llm-license (Falcon 3, Falcon-H1) is the 2.0 license" \
		"falcon-llm-license conditional" "$(row card-falcon3)"
	expect "license_name jamba-open-model-license" "jamba-open-model-license conditional" "$(row card-jamba)"
	expect "license_name skywork-license (SkyReels)" "skywork-license conditional" "$(row card-skywork)"
	expect "license_name NVIDIA AI Foundation Models Community License" \
		"nvidia-ai-foundation-models-community-license conditional" "$(row card-nvaif)"
	expect "cc-by-nc-4.0 naming the C4AI Acceptable Use Policy stays cc-by-nc-4.0" \
		"cc-by-nc-4.0 not-allowed" "$(row card-c4ai)"
	expect "license_name of the C4AI policy is its license, cc-by-nc-4.0" \
		"cc-by-nc-4.0 not-allowed" "$(row card-c4ai-name)"
	expect "license_name microsoft-research-license (Orca 2): not-allowed" \
		"microsoft-research-license not-allowed" "$(row card-orca2)"
	expect "Databricks Open Model License as LICENSE" "databricks-open-model-license conditional" "$(row file-dbrx)"
	expect "MiniMax Model License as LICENSE" "minimax-model-license conditional" "$(row file-minimax)"
	# the Modified MIT file holds mit's phrases too: both ids, conditional
	expect "Kimi K2's Modified MIT as LICENSE: never plain mit, conditional" \
		"mit AND modified-mit conditional" "$(row file-kimi)"
	expect "MiniMax-M2's modified MIT as LICENSE: never plain mit, conditional" \
		"mit AND modified-mit conditional" "$(row file-minimax-m2)"
	expect "card mit + Kimi's LICENSE: conditional, never allowed" \
		"mit AND modified-mit conditional" "$(row mit-kimi)"
	expect "base tiiuae/Falcon3-7B-Instruct: falcon-llm-license" "falcon-llm-license conditional" "$(row base-falcon3)"
	expect "base tiiuae/Falcon-H1-1.5B-Deep-Instruct: falcon-llm-license" "falcon-llm-license conditional" "$(row base-falconh1)"
	expect "base databricks/dbrx-instruct: databricks-open-model-license" \
		"databricks-open-model-license conditional" "$(row base-dbrx)"
	expect "base moonshotai/Kimi-K2-Instruct: modified-mit" "modified-mit conditional" "$(row base-kimi)"
	expect "base ai21labs/AI21-Jamba-Mini-1.7: jamba-open-model-license" \
		"jamba-open-model-license conditional" "$(row base-jamba)"
	expect "base Skywork/SkyReels-V2-DF-1.3B-540P-Diffusers: skywork-license" \
		"skywork-license conditional" "$(row base-skyreels)"
	expect "base MiniMaxAI/MiniMax-Text-01: minimax-model-license" \
		"minimax-model-license conditional" "$(row base-minimax)"
	expect "base microsoft/Orca-2-13b: microsoft-research-license, not-allowed" \
		"microsoft-research-license not-allowed" "$(row base-orca2)"
	for m in card-dbrx card-falcon3 card-jamba card-skywork card-nvaif; do
		expect "$m: a known license_name is no custom-license" "" \
			"$(review "$m" | tr ',' '\n' | grep -x custom-license || true)"
	done
fi
