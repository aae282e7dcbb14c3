#!/bin/sh
# t_lineage_weak.sh: weaker lineage evidence (docs/verdicts.md, "Lineage") end to
# end: a third-party base id whose name carries a known family and version
# (rules/families.yaml), and a base named only in the card's body in a
# sentence that says the model derives from it.  Each binds the model to
# its base's terms with review `inherited`, and `explain` says where it
# came from; a bare mention or a benchmark table binds nothing.  The false
# permit the issue names: a card saying apache-2.0 whose body says
# "fine-tuned from Llama-2-13b" is never `allowed`.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

card() {
	card_dir=$R/$1
	shift
	mkcard "$card_dir" "$@"
	printf '{}' >"$card_dir/config.json"
}
body() { printf '\n%s\n' "$2" >>"$R/$1/README.md"; }
col() { q "$DB" "SELECT $2 FROM inventory WHERE path = '$R/$1'"; }
verdict() { col "$1" "license || '|' || commercial_use || '|' || coalesce(review, '')"; }
explain() { "$MC_BIN" explain --db "$DB" "$R/$1" 2>&1; }

# (a) a third-party base id whose name carries a family
card name-llama31 'license: apache-2.0' 'base_model: arcee-ai/Llama-3.1-SuperNova-Lite'
card name-mistral 'license: apache-2.0' 'base_model: someone/Mistral-7B-v0.1-sharded'
card name-llama3 'base_model: x/Meta-Llama-3-8B-Instruct-abliterated'
card name-qwen7 'license: apache-2.0' 'base_model: y/Qwen2.5-7B-Instruct-GGUF'
card name-qwen3b 'license: apache-2.0' 'base_model: z/Qwen2.5-3B-Instruct-abliterated'
card name-codellama 'license: mit' 'base_model: x/CodeLlama-34b-Instruct-hf-sharded'
card name-gemma 'license: mit' 'base_model: x/gemma-2-9b-it-SimPO-merged'
card name-phi 'license: apache-2.0' 'base_model: x/Phi-3-mini-4k-instruct-merged'
card name-distill 'base_model: x/DeepSeek-R1-Distill-Llama-8B-abliterated'
card name-none 'license: mit' 'base_model: x/my-own-base'
card name-path 'base_model: /kaggle/input/llama-3.1/transformers/8b-instruct/2'
card name-path-org 'license: mit' 'base_model: /data/meta-llama/my-model'

# (b) a base named in a sentence of the card body
card text-ft 'license: apache-2.0'
body text-ft 'This model is fine-tuned from Llama-2-13b on our instruction data.'
card text-delta 'tags: [vicuna]'
body text-delta 'We release delta weights to apply on top of LLaMA.'
card text-codellama 'license: mit'
body text-codellama 'A CodeLlama-34B fine-tune for SQL generation.'
card text-based 'license: apache-2.0'
body text-based 'The model is based on Llama2-7B.'
card text-v2 'license: apache-2.0'
body text-v2 'GenZ is fine-tuned on the foundation of Meta'"'"'s open-source Llama v2 70B model.'
# an unversioned "Llama" yields to the later Llama that binds the model
card text-arch 'license: apache-2.0' 'base_model: meta-llama/Llama-3.2-3B-Instruct'
body text-arch 'Orpheus is a Llama-based speech model.'
card text-mistral 'license: apache-2.0'
body text-mistral 'It was trained on top of Mistral-7B-v0.1 with DPO.'
card text-id 'license: apache-2.0'
body text-id 'This is a quantized version of [meta-llama/Llama-2-7b-chat-hf](https://huggingface.co/meta-llama/Llama-2-7b-chat-hf).'
# a Hub id in such a sentence is looked up in the inventory like base_model
card base-nc 'license: cc-by-nc-4.0'
mkgit "$R/base-nc" "https://huggingface.co/acme/base-nc" >/dev/null
card text-inv 'license: mit'
body text-inv 'This model was fine-tuned from acme/base-nc on chat data.'
# bare mentions bind nothing
card text-bare 'license: mit'
body text-bare 'We compared with Llama-2 and it outperforms Llama 2 70B on most tasks.'
card text-table 'license: mit'
body text-table '| Model | MMLU |
|---|---|
| Llama-2-13b | 55.1 |
| Ours | 60.2 |'
card text-notaphrase 'license: apache-2.0'
body text-notaphrase 'Based on our evaluation, it beats Llama-2-13b.'

"$MC_BIN" scan --quiet --db "$DB" "$R" >"$T/out" 2>"$T/err"
expect "scan exits 0" 0 $?

expect "name: Llama-3.1 third-party base -> llama3.1" "apache-2.0 AND llama3.1|conditional|inherited" "$(verdict name-llama31)"
expect "name: Mistral-7B-v0.1 -> apache-2.0, allowed, still inherited" "apache-2.0|allowed|inherited" "$(verdict name-mistral)"
expect "a local path: the last folder that names a family -> llama3.1" "llama3.1|conditional|inherited" "$(verdict name-path)"
expect "a local path whose folders name no family (meta-llama is an org): no lineage" "mit|allowed|" "$(verdict name-path-org)"
expect "name: Meta-Llama-3 -> llama3 (no own source)" "llama3|conditional|inherited" "$(verdict name-llama3)"
expect "name: Qwen2.5-7B -> apache-2.0" "apache-2.0|allowed|inherited" "$(verdict name-qwen7)"
expect "name: Qwen2.5-3B -> qwen-research, not-allowed" "apache-2.0 AND qwen-research|not-allowed|inherited" "$(verdict name-qwen3b)"
expect "name: CodeLlama -> llama2" "llama2 AND mit|conditional|inherited" "$(verdict name-codellama)"
expect "name: gemma-2 -> gemma" "gemma AND mit|conditional|inherited" "$(verdict name-gemma)"
expect "name: Phi-3 -> mit" "apache-2.0 AND mit|allowed|inherited" "$(verdict name-phi)"
expect "name: R1-Distill-Llama -> its MIT and its Llama 3.1 base" "llama3.1 AND mit|conditional|inherited" "$(verdict name-distill)"
expect "name: no family -> the model's own verdict" "mit|allowed|" "$(verdict name-none)"
expect "name: base_models column unchanged" "arcee-ai/Llama-3.1-SuperNova-Lite" "$(col name-llama31 base_models)"
expect_match "explain: inferred from the base model's name" \
	"arcee-ai/Llama-3.1-SuperNova-Lite: not in the inventory; inferred from the base model's name: family .* is llama3.1" \
	"$(explain name-llama31)"

expect "text: fine-tuned from Llama-2-13b, card apache-2.0 -> never allowed" "apache-2.0 AND llama2|conditional|inherited" "$(verdict text-ft)"
expect "text: delta weights on top of LLaMA -> llama1" "llama1|not-allowed|inherited" "$(verdict text-delta)"
expect "text: a CodeLlama-34B fine-tune -> llama2" "llama2 AND mit|conditional|inherited" "$(verdict text-codellama)"
expect "text: based on Llama2-7B -> llama2" "apache-2.0 AND llama2|conditional|inherited" "$(verdict text-based)"
expect "text: Llama v2 70B -> llama2" "apache-2.0 AND llama2|conditional|inherited" "$(verdict text-v2)"
expect "text: 'Llama-based' beside a Llama 3.2 base is not LLaMA 1" \
	"apache-2.0 AND llama3.2|conditional|inherited" "$(verdict text-arch)"
expect_match "explain says the unversioned name yields" "yields to llama3.2" "$(explain text-arch)"
expect "text: on top of Mistral-7B-v0.1 -> apache-2.0, inherited" "apache-2.0|allowed|inherited" "$(verdict text-mistral)"
expect "text: a Hub id in the sentence, claimed by the llama2 rule" "apache-2.0 AND llama2|conditional|inherited" "$(verdict text-id)"
expect "text: a Hub id in the sentence, found in the inventory" "cc-by-nc-4.0 AND mit|not-allowed|inherited" "$(verdict text-inv)"
expect "text: base_models column stays empty" "" "$(col text-ft base_models)"
expect "text: bare mentions bind nothing" "mit|allowed|" "$(verdict text-bare)"
expect "text: a benchmark table binds nothing" "mit|allowed|" "$(verdict text-table)"
expect "text: 'based on our evaluation' binds nothing" "apache-2.0|allowed|" "$(verdict text-notaphrase)"

out=$(explain text-ft)
expect_match "explain: the sentence is quoted" \
	"line 7: the model derives from 'llama-2-13b' \(weaker lineage evidence\): \"this model is fine-tuned from llama-2-13b on our instruction data\"" "$out"
expect_match "explain: the lineage names the text base" "named in the card text \(weaker evidence, review inherited\): llama-2-13b" "$out"
expect_match "explain: the reasoning says why" "base model llama-2-13b: named in the card text; inferred from a card sentence" "$out"
expect_match "explain --format json: text_bases" '"text_bases": "llama-2-13b"' \
	"$("$MC_BIN" explain --db "$DB" --format json "$R/text-ft" 2>&1)"
expect_match "explain: a Hub id from the text, found in the inventory" \
	"base model acme/base-nc: named in the card text, in the inventory: license cc-by-nc-4.0" "$(explain text-inv)"

# a rescan of the unchanged tree keeps every verdict
before=$(q "$DB" "SELECT path, license, commercial_use, review FROM inventory ORDER BY path")
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
expect "rescan: same verdicts" "$before" "$(q "$DB" "SELECT path, license, commercial_use, review FROM inventory ORDER BY path")"
