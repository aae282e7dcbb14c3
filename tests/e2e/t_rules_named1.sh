#!/bin/sh
# t_rules_named1.sh: named model licenses met in real repositories (issue
# 16): THUDM's CodeGeeX, ChatGLM2-6B and ChatGLM3-6B licenses, GLM-4,
# Baichuan 2, Yi, the original LLaMA license, DINOv3, Liquid AI's LFM,
# Google's Health AI Developer Foundations terms.  Each reference text in
# tests/data/licenses/ai is identified as its license, as a full match, as
# shipped, hard-wrapped at 72 columns and with markdown emphasis added; a
# model whose card says `license: other` + a real `license_name` gets the
# license and its commercial_use, so does one with the text as LICENSE, and
# one whose base_model is a model the rule claims inherits it.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
ai=$MC_LICENSES/ai

# One license a line: id, reference text (or -), a license_name real cards
# use, commercial_use, a base model id the rule claims (or -).
cases='codegeex codegeex codegeex not-allowed -
chatglm2-6b chatglm2-6b chatglm2-6b conditional THUDM/chatglm2-6b
chatglm3-6b chatglm3-6b chatglm3-6b conditional THUDM/chatglm3-6b
glm-4 - glm-4 conditional THUDM/glm-4-9b-chat
baichuan2-community-license - baichuan2-community-license conditional baichuan-inc/Baichuan2-13B-Chat
yi-license yi-license yi-license conditional -
llama1 - llama-1 not-allowed huggyllama/llama-7b
dinov3-license dinov3-license dinov3-license conditional facebook/dinov3-vitl16-pretrain-lvd1689m
lfm1.0 lfm1.0 lfm1.0 conditional LiquidAI/LFM2-1.2B
health-ai-developer-foundations - health-ai-developer-foundations conditional google/medgemma-4b-it'

# ids NAME: the matches `identify` reports for file NAME ("kind:id" words,
# sorted, space separated; empty when nothing is identified).
ids() {
	if ! "$MC_BIN" identify "$1" >"$T/out" 2>"$T/err"; then
		echo "error: $(head -n 1 "$T/err")"
		return
	fi
	awk '$2 != "no" { print $3 ":" $2 }' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//'
}

# mkmodel DIR LICENSE-FILE|"" CARD-LINES...
mkmodel() {
	d=$T/models/$1 src=$2; shift 2
	mkcard "$d" "$@"
	[ -z "$src" ] || cp "$src" "$d/LICENSE"
}

out=$("$MC_BIN" rules test 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
	ok "rules test: whole catalog passes"
else
	nok "rules test: whole catalog passes" "exit $rc" "$(printf '%s\n' "$out" | grep -v '^ok' | head -n 20)"
fi

# --- texts: as shipped, wrapped at 72, with markdown emphasis ------------
printf '%s\n' "$cases" | while read -r id text name cu base; do
	[ "$text" = - ] && continue
	f=$ai/$text.txt
	if [ ! -f "$f" ]; then
		skip "identify $text.txt" "$f not found"
		continue
	fi
	expect "identify $text.txt" "full:$id" "$(ids "$f")"
	fold -s -w 72 "$f" >"$T/$text.w72.txt"
	expect "identify $text.txt wrapped at 72" "full:$id" "$(ids "$T/$text.w72.txt")"
	# bold the first line (the title), italicise a word in every other line
	sed -e '1s/^\(.*[^ ]\) *$/**\1**/' -e '2,$s/^\([A-Za-z][A-Za-z]*\) /_\1_ /' "$f" >"$T/$text.md"
	expect "identify $text.txt with markdown emphasis" "full:$id" "$(ids "$T/$text.md")"
done

# --- scans: license_name, LICENSE text, base_model ----------------------
mkdir -p "$T/models"
printf '%s\n' "$cases" | while read -r id text name cu base; do
	mkmodel "name-$id" "" 'license: other' "license_name: $name"
	[ "$text" = - ] || mkmodel "text-$id" "$ai/$text.txt"
	[ "$base" = - ] || mkmodel "base-$id" "" "base_model: $base"
done
if ! "$MC_BIN" scan --quiet --db "$T/inv.db" "$T/models" >"$T/scan.out" 2>&1; then
	nok "scan of the named-license models" "$(head -n 5 "$T/scan.out")"
	exit 0
fi
row() { q "$T/inv.db" "SELECT license || ' ' || commercial_use FROM inventory WHERE path LIKE '%/$1'"; }
printf '%s\n' "$cases" | while read -r id text name cu base; do
	expect "license_name '$name' is $id, $cu" "$id $cu" "$(row "name-$id")"
	[ "$text" = - ] || expect "LICENSE $text.txt is $id, $cu" "$id $cu" "$(row "text-$id")"
	[ "$base" = - ] || expect "base_model $base inherits $id, $cu" "$id $cu" "$(row "base-$id")"
done
