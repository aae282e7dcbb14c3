# t_adapters.sh: a PEFT adapter's base model from its adapter_config.json
# binds it like a card's base_model (work trees, bare mirrors, plain
# folders, models inside repositories; explain says where it came from; a
# rescan sees the file change), and GGUF files in git repositories: a root
# holding one is one model, an LFS-pointer GGUF counts, a vocabulary-only
# one does not, the same from a work tree and a bare mirror.
. "$(dirname "$0")/lib.sh"

L=$MC_LICENSES/spdx
R=$T/root
mkdir -p "$R/plain"
llama='{"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "peft_type": "LORA", "r": 8}'

# an adapter whose README has no front matter and whose LICENSE says MIT,
# applied to Llama 3.1: the base's terms bind it
a=$T/src/adapter
mkdir -p "$a"
printf '# my adapter\nA LoRA for code.\n' >"$a/README.md"
cp "$L/MIT.txt" "$a/LICENSE"
printf '%s' "$llama" >"$a/adapter_config.json"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 123456\n' \
	0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >"$a/adapter_model.safetensors"
mkgit "$a"
git clone -q "$a" "$R/work/adapter"
git clone -q --bare "$a" "$R/mirror/adapter.git"
cp -r "$a" "$R/plain/adapter" && rm -rf "$R/plain/adapter/.git"

# a local path names no model: the adapter's own license alone
mkdir -p "$R/plain/local"
cp "$L/MIT.txt" "$R/plain/local/LICENSE"
printf '{"base_model_name_or_path": "/home/x/llama-3.1-8b"}' >"$R/plain/local/adapter_config.json"

# the card names the same base in another case: counted once
mkcard "$R/plain/same" 'license: mit' 'base_model: meta-llama/Llama-3.1-8B'
printf '{"base_model_name_or_path": "META-LLAMA/llama-3.1-8b"}' >"$R/plain/same/adapter_config.json"

# the card names another base: both bind
mkcard "$R/plain/both" 'license: mit' 'base_model: google/gemma-2b'
printf '%s' "$llama" >"$R/plain/both/adapter_config.json"

# a broken adapter_config.json: a problem of that model, the scan goes on
mkdir -p "$R/plain/broken"
cp "$L/MIT.txt" "$R/plain/broken/LICENSE"
printf '{"base_model_name_or_path": ' >"$R/plain/broken/adapter_config.json"

# an adapter in a folder of a repository of code
m=$T/src/mono
mkdir -p "$m/lora"
cp "$L/Apache-2.0.txt" "$m/LICENSE"
printf 'print(1)\n' >"$m/train.py"
printf '%s' "$llama" >"$m/lora/adapter_config.json"
mkgit "$m"
git clone -q --bare "$m" "$R/mirror/mono.git"

DB=$T/inv.db
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "the scan succeeds; only the broken file's model has a problem" \
	"0|modelcensus: 1 models could not be read completely; their rows say why" "$?|$(cat "$T/err")"
for p in work/adapter mirror/adapter.git plain/adapter; do
	expect "$p: the adapter's base binds it (llama3.1 AND mit, conditional)" \
		"meta-llama/Llama-3.1-8B|llama3.1 AND mit|conditional" \
		"$(q "$DB" "SELECT base_models, license, commercial_use FROM inventory WHERE path = '$R/$p'")"
done
expect "a local base path: no base model, the adapter's MIT alone" \
	"|mit|allowed" \
	"$(q "$DB" "SELECT base_models, license, commercial_use FROM inventory WHERE path = '$R/plain/local'")"
expect "the card's base in another case: one base" \
	"meta-llama/Llama-3.1-8B" \
	"$(q "$DB" "SELECT base_models FROM inventory WHERE path = '$R/plain/same'")"
expect "the card's base and the adapter's: both, the card's first" \
	"google/gemma-2b,meta-llama/Llama-3.1-8B" \
	"$(q "$DB" "SELECT base_models FROM inventory WHERE path = '$R/plain/both'")"
expect_match "both bases bind" "gemma.*llama3\.1|llama3\.1.*gemma" \
	"$(q "$DB" "SELECT license FROM inventory WHERE path = '$R/plain/both'")"
expect_match "a broken adapter_config.json: the model's error, its license still read" \
	"^mit\\|'adapter_config\\.json': not valid JSON: .+" \
	"$(q "$DB" "SELECT license, error FROM inventory WHERE path = '$R/plain/broken'")"
expect "an adapter inside a repository: its base binds it over the root's license" \
	"$R/mirror/mono.git/lora|meta-llama/Llama-3.1-8B|apache-2.0 AND llama3.1" \
	"$(q "$DB" "SELECT path, base_models, license FROM inventory WHERE path LIKE '$R/mirror/mono.git%'")"

out=$("$MC_BIN" explain --db "$DB" "$R/work/adapter" 2>&1)
expect_match "explain: the base model's source" \
	'base model from adapter_config\.json: meta-llama/Llama-3\.1-8B' "$out"
expect_match "explain: lineage" 'lineage: +meta-llama/Llama-3\.1-8B' "$out"

# rescan: the adapter's file is watched in a plain folder
printf '{"base_model_name_or_path": "org/other-base"}' >"$R/plain/adapter/adapter_config.json"
touch -d '+1 minute' "$R/plain/adapter/adapter_config.json"
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
expect "rescan: a changed adapter_config.json is read again" "org/other-base|mit" \
	"$(q "$DB" "SELECT base_models, license FROM inventory WHERE path = '$R/plain/adapter'")"

# GGUF repositories: the root holds the GGUF files, the README has no
# front matter, so the root is no model folder and each GGUF file is a
# model; an LFS pointer counts
g=$T/src/gguf
mkdir -p "$g"
printf '# a quantisation\n' >"$g/README.md"
cp "$L/MIT.txt" "$g/LICENSE"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 2000000000\n' \
	0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >"$g/model-Q4_K_M.gguf"
mkgit "$g"
# the same with a README that says what the file derives from: the GGUF
# file's folder's card text is its own (a base named there binds it)
d=$T/src/derived
mkdir -p "$d"
printf '# Q4 quantisation\n\nThis is a GGUF quantisation of a model fine-tuned from Llama-2-13b.\n' >"$d/README.md"
cp "$g/model-Q4_K_M.gguf" "$d/model-Q4_K_M.gguf"
mkgit "$d"
# the root holds only a vocabulary file: not one model; a folder below is
v=$T/src/vocab
mkdir -p "$v/models" "$v/q"
cp "$L/MIT.txt" "$v/LICENSE"
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$v/ggml-vocab-llama.gguf"
cp "$v/ggml-vocab-llama.gguf" "$v/models/ggml-vocab-bert.gguf"
printf 'GGUF\003\000\000\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$v/q/q8.gguf"
printf 'int main(void) { return 0; }\n' >"$v/main.c"
mkgit "$v"
G=$T/g
mkdir -p "$G"
for s in gguf derived vocab; do
	git clone -q "$T/src/$s" "$G/$s"
	git clone -q --bare "$T/src/$s" "$G/$s.git"
done
"$MC_BIN" scan --quiet --db "$T/g.db" "$G" >/dev/null 2>&1
for s in gguf gguf.git; do
	case $s in *.git) lay=bare ;; *) lay=git ;; esac
	expect "$s: a GGUF file (an LFS pointer) at a root that is no model folder is a model, with the root's license" \
		"$G/$s/model-Q4_K_M.gguf|$lay|mit|model-Q4_K_M.gguf|0" \
		"$(q "$T/g.db" "SELECT i.path, i.layout, i.license, w.path, w.present FROM inventory i JOIN models m ON m.path = i.path JOIN weights w ON w.model = m.id WHERE i.path = '$G/$s' OR i.path LIKE '$G/$s/%'")"
done
for s in derived derived.git; do
	expect "$s: a GGUF file's folder README names its base: the base binds it (weaker evidence)" \
		"$G/$s/model-Q4_K_M.gguf|llama2|conditional|inherited" \
		"$(q "$T/g.db" "SELECT path, license, commercial_use, review FROM inventory WHERE path = '$G/$s' OR path LIKE '$G/$s/%'")"
done
for s in vocab vocab.git; do
	expect "$s: vocabulary-only GGUF files are no model; a GGUF file with tensors is" \
		"$G/$s/q/q8.gguf|mit" \
		"$(q "$T/g.db" "SELECT path, license FROM inventory WHERE path = '$G/$s' OR path LIKE '$G/$s/%'")"
done
