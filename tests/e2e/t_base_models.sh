#!/bin/sh
# t_base_models.sh: the base-model knowledge of rules/ (the `base_models`
# patterns).  A fine-tune whose card says only `base_model: X` (no license
# of its own) must inherit X's license and commercial_use, with review
# `inherited`, for real Hub ids across the families most fine-tunes come
# from; ids whose license differs by size or version must get their own
# (Qwen2.5-3B is not apache-2.0), and ids no rule may claim stay unknown.
# Also: every id of the table is claimed by one rule only (the first in
# catalog order wins, so an overlap would silently change a verdict).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"

# id|license|commercial_use ("-" license: no rule may claim it)
table='meta-llama/Llama-2-7b-hf|llama2|conditional
NousResearch/Llama-2-13b-chat-hf|llama2|conditional
codellama/CodeLlama-7b-Instruct-hf|llama2|conditional
meta-llama/Meta-Llama-3-8B-Instruct|llama3|conditional
meta-llama/Llama-3.1-8B-Instruct|llama3.1|conditional
unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit|llama3.1|conditional
meta-llama/Llama-3.2-1B|llama3.2|conditional
meta-llama/Llama-3.3-70B-Instruct|llama3.3|conditional
meta-llama/Llama-4-Scout-17B-16E-Instruct|llama4|conditional
huggyllama/llama-7b|llama1|not-allowed
mistralai/Mistral-7B-v0.1|apache-2.0|allowed
mistralai/Mistral-7B-Instruct-v0.3|apache-2.0|allowed
unsloth/mistral-7b-instruct-v0.3-bnb-4bit|apache-2.0|allowed
mistralai/Mixtral-8x7B-Instruct-v0.1|apache-2.0|allowed
mistralai/Mistral-Nemo-Instruct-2407|apache-2.0|allowed
mistralai/Mistral-Small-24B-Instruct-2501|apache-2.0|allowed
mistralai/Mistral-Small-3.1-24B-Instruct-2503|apache-2.0|allowed
mistralai/Mistral-Small-Instruct-2409|mrl|not-allowed
mistralai/Mistral-Large-Instruct-2407|mrl|not-allowed
mistralai/Ministral-8B-Instruct-2410|mrl|not-allowed
mistralai/Codestral-22B-v0.1|mnpl|not-allowed
mistralai/Devstral-Small-2505|apache-2.0|allowed
mistralai/Magistral-Small-2506|apache-2.0|allowed
mistralai/Pixtral-12B-2409|apache-2.0|allowed
mistralai/Pixtral-Large-Instruct-2411|mrl|not-allowed
Qwen/Qwen-7B-Chat|qwen|conditional
Qwen/Qwen1.5-7B-Chat|qwen|conditional
Qwen/Qwen1.5-0.5B-Chat|qwen-research|not-allowed
Qwen/Qwen1.5-1.8B|-|unknown
Qwen/Qwen2-7B-Instruct|apache-2.0|allowed
Qwen/Qwen2-72B-Instruct|qwen|conditional
Qwen/Qwen2.5-7B-Instruct|apache-2.0|allowed
Qwen/Qwen2.5-0.5B|apache-2.0|allowed
Qwen/Qwen2.5-3B|qwen-research|not-allowed
Qwen/Qwen2.5-3B-Instruct|qwen-research|not-allowed
Qwen/Qwen2.5-72B-Instruct|qwen|conditional
Qwen/Qwen2.5-Coder-7B-Instruct|apache-2.0|allowed
Qwen/Qwen2.5-Coder-3B-Instruct|qwen-research|not-allowed
Qwen/Qwen2.5-VL-7B-Instruct|apache-2.0|allowed
Qwen/Qwen2.5-VL-3B-Instruct|qwen-research|not-allowed
Qwen/Qwen2.5-VL-72B-Instruct|qwen|conditional
Qwen/Qwen2.5-Math-72B-Instruct|qwen|conditional
Qwen/Qwen3-8B|apache-2.0|allowed
Qwen/QwQ-32B|apache-2.0|allowed
google/gemma-2-9b-it|gemma|conditional
google/codegemma-7b|gemma|conditional
google/paligemma-3b-pt-224|gemma|conditional
google/medgemma-4b-it|health-ai-developer-foundations|conditional
microsoft/phi-2|mit|allowed
microsoft/Phi-3-mini-4k-instruct|mit|allowed
microsoft/Phi-3.5-mini-instruct|mit|allowed
microsoft/phi-4|mit|allowed
allenai/specter2_base|apache-2.0|allowed
TinyLlama/TinyLlama-1.1B-Chat-v1.0|apache-2.0|allowed
unsloth/tinyllama-bnb-4bit|apache-2.0|allowed
facebook/wav2vec2-xls-r-300m|apache-2.0|allowed
facebook/wav2vec2-base|apache-2.0|allowed
facebook/wav2vec2-large-xlsr-53|apache-2.0|allowed
google/vit-base-patch16-224-in21k|apache-2.0|allowed
microsoft/swin-tiny-patch4-window7-224|apache-2.0|allowed
microsoft/deberta-v3-base|mit|allowed
microsoft/mdeberta-v3-base|mit|allowed
microsoft/speecht5_tts|mit|allowed
microsoft/DialoGPT-medium|mit|allowed
microsoft/layoutlmv3-base|cc-by-nc-sa-4.0|not-allowed
microsoft/layoutlmv2-base-uncased|cc-by-nc-sa-4.0|not-allowed
allenai/scibert_scivocab_uncased|-|unknown
tiiuae/falcon-7b|apache-2.0|allowed
tiiuae/falcon-40b-instruct|apache-2.0|allowed
tiiuae/falcon-180B|tii-falcon-180b|conditional
tiiuae/Falcon3-7B-Instruct|falcon-llm-license|conditional
01-ai/Yi-34B|apache-2.0|allowed
01-ai/Yi-1.5-9B-Chat|apache-2.0|allowed
deepseek-ai/deepseek-llm-7b-base|deepseek|conditional
deepseek-ai/DeepSeek-V3|deepseek|conditional
deepseek-ai/DeepSeek-R1|mit|allowed
deepseek-ai/DeepSeek-R1-Distill-Qwen-7B|mit|allowed
deepseek-ai/DeepSeek-R1-Distill-Llama-8B|llama3.1 AND mit|conditional
unsloth/DeepSeek-R1-Distill-Llama-70B|llama3.3 AND mit|conditional
baichuan-inc/Baichuan2-7B-Chat|baichuan2-community-license|conditional
THUDM/glm-4-9b-chat|glm-4|conditional
THUDM/GLM-4-9B-0414|mit|allowed
zai-org/GLM-4.5-Air|mit|allowed
stabilityai/stablelm-3b-4e1t|cc-by-sa-4.0|conditional
stabilityai/stablelm-2-1_6b|-|unknown
runwayml/stable-diffusion-v1-5|creativeml-openrail-m|conditional
stabilityai/stable-diffusion-2-1|openrail++|conditional
stabilityai/stable-diffusion-xl-base-1.0|openrail++|conditional
stabilityai/stable-diffusion-3-medium-diffusers|stabilityai-community|conditional
stabilityai/stable-diffusion-3.5-large|stabilityai-community|conditional
black-forest-labs/FLUX.1-dev|flux-1-dev-non-commercial-license|not-allowed
black-forest-labs/FLUX.1-Fill-dev|flux-1-dev-non-commercial-license|not-allowed
black-forest-labs/FLUX.1-schnell|apache-2.0|allowed
openai/whisper-large-v3|apache-2.0|allowed
openai/whisper-small|apache-2.0|allowed
google-bert/bert-base-uncased|apache-2.0|allowed
bert-base-cased|apache-2.0|allowed
distilbert/distilbert-base-uncased|apache-2.0|allowed
FacebookAI/roberta-base|mit|allowed
xlm-roberta-large|mit|allowed
google-t5/t5-small|apache-2.0|allowed
google/flan-t5-base|apache-2.0|allowed
facebook/bart-large|apache-2.0|allowed
facebook/bart-large-cnn|mit|allowed
openai-community/gpt2|mit|allowed
gpt2-medium|mit|allowed
allenai/OLMo-2-1124-7B|apache-2.0|allowed
ibm-granite/granite-3.1-8b-instruct|apache-2.0|allowed
HuggingFaceTB/SmolLM2-1.7B-Instruct|apache-2.0|allowed
TinyLlama/TinyLlama-1.1B-Chat-v1.0|apache-2.0|allowed
CohereForAI/c4ai-command-r-v01|cc-by-nc-4.0|not-allowed
CohereLabs/aya-expanse-8b|cc-by-nc-4.0|not-allowed
sentence-transformers/all-MiniLM-L6-v2|apache-2.0|allowed
cross-encoder/ms-marco-MiniLM-L-6-v2|apache-2.0|allowed
BAAI/bge-m3|mit|allowed
openbmb/MiniCPM3-4B|apache-2.0|allowed
internlm/internlm3-8b-instruct|apache-2.0|allowed
internlm/internlm2_5-7b-chat|-|unknown
openbmb/MiniCPM-2B-sft-bf16|-|unknown'

R=$T/models
DB=$T/census.db
mkdir -p "$R"
n=0
printf '%s\n' "$table" | while IFS='|' read -r id lic cu; do
	n=$((n + 1))
	d=$R/$(printf '%s' "$id" | tr '/.' '__')
	mkcard "$d" "base_model: $id"
	printf '{}' >"$d/config.json"
done
if ! "$MC_BIN" scan --quiet --db "$DB" "$R" >"$T/out" 2>"$T/err"; then
	nok "scan of the fine-tunes" "$(head -n 5 "$T/err")"
	exit 0
fi
ok "scan of the fine-tunes"

printf '%s\n' "$table" | while IFS='|' read -r id lic cu; do
	p=$R/$(printf '%s' "$id" | tr '/.' '__')
	row=$(q "$DB" "SELECT coalesce(license, ''), commercial_use, coalesce(review, '') FROM inventory WHERE path = '$p'")
	got=$(printf '%s' "$row" | cut -d'|' -f1,2)
	rev=$(printf '%s' "$row" | cut -d'|' -f3)
	if [ "$lic" = - ]; then
		expect "base $id: claimed by no rule" "unknown" "$(printf '%s' "$got" | cut -d'|' -f2)"
		continue
	fi
	expect "base $id: $lic, $cu" "$lic|$cu" "$got"
	expect_match "base $id: review inherited" '(^|,)inherited(,|$)' "$rev"
done

# every id above is claimed by at most one rule (catalog order would hide
# an overlap): ask each rule file alone
root=$(cd "$here/../.." && pwd)
over=
for f in "$root"/rules/*.yaml; do
	grep -q 'base_models:' "$f" || continue
	rm -rf "$T/one" && mkdir -p "$T/one" && cp "$f" "$T/one/"
	rm -f "$T/one.db"
	MODELCENSUS_RULES=$T/one "$MC_BIN" scan --quiet --db "$T/one.db" "$R" >/dev/null 2>&1 || continue
	q "$T/one.db" "SELECT path FROM inventory WHERE commercial_use != 'unknown'" >>"$T/claimed"
done
over=$(sort "$T/claimed" 2>/dev/null | uniq -d | sed "s|^$R/||" | tr '\n' ' ')
expect "no id of the table is claimed by two rules" "" "$over"
