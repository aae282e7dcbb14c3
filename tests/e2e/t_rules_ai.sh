#!/bin/sh
# t_rules_ai.sh: the AI-model license rules (Llama 2-4 and their use
# policies, Gemma, the OpenRAIL family, Stability AI, DeepSeek, Qwen,
# NVIDIA, Apple, FAIR, TII Falcon) against the reference texts in
# tests/data/licenses/ai.  Each text must be identified as its license, as a
# full match, as shipped and hard-wrapped at 72 and 80 columns, and as
# nothing else (no other license, policy or mention): look-alikes such as
# Llama 3 / 3.1 / 3.2 or the Stability non-commercial variants stay apart.
# Also: the rules' own examples pass (alone and in the whole catalog), a
# title alone is no full text, a reference is a mention, a Llama text with
# a research-only clause added is modified and restricts commercial use,
# and one with any other clause added after its last sentence is modified.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
ai=$MC_LICENSES/ai

# The rule files this test owns, for `rules test` on their own.
my_rules="ai2-impact apple-amlr apple-ascl bigcode-openrail-m
bigscience-bloom-rail-1.0 bigscience-openrail-m creativeml-openrail-m
deepfloyd-if-license deepseek fair-noncommercial-research-license gemma
grok2-community h-research intel-research llama2 llama3 llama3.1 llama3.2
llama3.3 llama4 mnpl mrl nvidia-open-model-license
nvidia-source-code-license-nc openrail openrail++ qwen sdxl0.9-research
stabilityai-community stabilityai-nc-community stabilityai-nc-research
stabilityai-svd-nc-community tii-falcon-180b tii-falcon-llm"

# ids NAME: the ids `identify` reports for file NAME ("kind:id" words,
# sorted, space separated; empty when nothing is identified).
# A failing identify (rules that do not load, ...) shows as "error: ...".
ids() {
	if ! "$MC_BIN" identify "$1" >"$T/out" 2>"$T/err"; then
		echo "error: $(head -n 1 "$T/err")"
		return
	fi
	awk '$2 != "no" { print $3 ":" $2 }' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expected BASENAME: what a reference text must be, as "full:id" words.
expected() {
	case $1 in
	llama3) echo "full:llama3 full:llama3-aup" ;;
	fair-noncommercial-research-license)
		echo "full:fair-aup full:fair-noncommercial-research-license" ;;
	openrail++-sd2) echo "full:openrail++" ;;
	modified-mit | modified-mit-*) echo "full:mit full:modified-mit" ;;
	*) echo "full:$1" ;;
	esac
}

# --- the rules' own examples -------------------------------------------
mkdir -p "$T/rules"
missing=
for r in $my_rules; do
	if [ -f "$root/rules/$r.yaml" ]; then
		cp "$root/rules/$r.yaml" "$T/rules/"
	else
		missing="$missing $r"
	fi
done
expect "ai rule files present" "" "$missing"
[ -f "$root/rules/restrictions.yaml" ] && cp "$root/rules/restrictions.yaml" "$T/rules/"
out=$(MODELCENSUS_RULES="$T/rules" "$MC_BIN" rules test 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q ' passed, 0 failed'; then
	ok "rules test: ai rules' examples pass ($(printf '%s\n' "$out" | tail -n 1))"
else
	nok "rules test: ai rules' examples pass" "exit $rc" "$(printf '%s\n' "$out" | grep -v '^ok' | head -n 20)"
fi
out=$("$MC_BIN" rules test 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
	ok "rules test: whole catalog passes"
else
	nok "rules test: whole catalog passes" "exit $rc" "$(printf '%s\n' "$out" | grep -v '^ok' | head -n 20)"
fi

# --- reference texts, as shipped and hard-wrapped ------------------------
if [ ! -d "$ai" ]; then
	skip "ai reference texts" "$ai not found (set MC_LICENSES)"
else
	n=0
	for f in "$ai"/*.txt; do
		[ -f "$f" ] || continue
		b=$(basename "$f" .txt)
		want=$(expected "$b")
		n=$((n + 1))
		cp "$f" "$T/$b.txt"
		expect "identify $b.txt" "$want" "$(ids "$T/$b.txt")"
		for w in 72 80; do
			fold -s -w $w "$f" >"$T/$b.w$w.txt"
			expect "identify $b.txt wrapped at $w" "$want" "$(ids "$T/$b.w$w.txt")"
		done
	done
	expect "ai reference texts found" yes "$([ "$n" -ge 30 ] && echo yes || echo "only $n")"
fi

# --- short texts: titles, references, modified copies --------------------
printf 'LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n' >"$T/title.txt"
got=$(ids "$T/title.txt")
expect "a Llama 3.1 title alone is no full text" "" \
	"$(printf '%s\n' "$got" | tr ' ' '\n' | grep '^full:' || true)"

printf '## License\n\nThis fine-tune is licensed under the Llama 3.1 Community License.\n' >"$T/mention.txt"
expect "a reference to the Llama 3.1 license is a mention" "mention:llama3.1" "$(ids "$T/mention.txt")"

printf 'Weights: Mistral AI Non-Production License (MNPL).\n' >"$T/mnpl.txt"
expect "a reference to the Mistral non-production license is a mention" "mention:mnpl" "$(ids "$T/mnpl.txt")"

printf 'This model is released under the Gemma Terms of Use.\n' >"$T/gemma-ref.txt"
expect "a reference to the Gemma Terms of Use is a mention" "mention:gemma" "$(ids "$T/gemma-ref.txt")"

if [ -f "$ai/llama3.1.txt" ]; then
	{ cat "$ai/llama3.1.txt"; printf '\n\nADDITIONAL TERMS. Notwithstanding the above, this model and its outputs\nmay be used for research purposes only; any commercial use is prohibited.\n'; } >"$T/llama31-nc.txt"
	line=$("$MC_BIN" identify "$T/llama31-nc.txt" 2>&1 | grep ' llama3.1 ')
	expect_match "llama3.1 plus a research-only clause is modified and restricts commercial use" \
		'llama3\.1 modified .*restricts-commercial' "$line"

	# an added clause without a restriction phrase, after the license's end
	{ cat "$ai/llama3.1.txt"; printf '\n\nAdditional terms. Any product or service built on this model must credit\nExampleCorp by name in its user interface and in every paper that reports on it.\n'; } >"$T/llama31-extra.txt"
	line=$("$MC_BIN" identify "$T/llama31-extra.txt" 2>&1 | grep ' llama3.1 ')
	expect_match "llama3.1 plus an added clause is modified" 'llama3\.1 modified .*added' "$line"

	# one version's text with another's title: no version may claim it
	sed 's/LLAMA 3\.1 COMMUNITY LICENSE AGREEMENT/LLAMA 3.2 COMMUNITY LICENSE AGREEMENT/' \
		"$ai/llama3.1.txt" >"$T/llama-mixed.txt"
	expect "a Llama 3.1 text under a 3.2 title is neither 3.1 nor 3.2" "" \
		"$(ids "$T/llama-mixed.txt" | tr ' ' '\n' | grep -E '^(full|modified):llama3\.[12]$' || true)"
else
	skip "llama3.1 modified copies" "$ai/llama3.1.txt not found"
fi
