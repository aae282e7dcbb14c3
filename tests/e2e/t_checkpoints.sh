# t_checkpoints.sh: downloaded checkpoints: the HF cache in full (.no_exist,
# incomplete blobs, several snapshots), local_dir downloads, GGUF and
# safetensors headers as license sources, LFS pointers, and the weight
# inventory; malformed headers give a row with an error.
. "$(dirname "$0")/lib.sh"

# gguf FILE VERSION [KEY VALUE]... : a GGUF header with string values;
# ARRAY=N puts an N-entry string array before the keys
gguf() {
	f=$1 v=$2; shift 2
	perl -e '
		my ($v, $arr, @kv) = @ARGV;
		my $n = @kv / 2 + ($arr ? 1 : 0);
		my $s = sub { pack("Q<", length $_[0]) . $_[0] };
		my $out = "GGUF" . pack("V", $v) . pack("Q<", 0) . pack("Q<", $n);
		if ($arr) {
			$out .= $s->("tokenizer.ggml.tokens") . pack("V", 9) . pack("V", 8) . pack("Q<", $arr);
			$out .= $s->("tok$_") for 1 .. $arr;
		}
		while (@kv) { my $k = shift @kv; my $x = shift @kv; $out .= $s->($k) . pack("V", 8) . $s->($x); }
		print $out;
	' "$v" "${ARRAY:-0}" "$@" >"$f"
}
# safetensors FILE JSON
safetensors() { perl -e 'print pack("Q<", length $ARGV[0]) . $ARGV[0]' "$2" >"$1"; }

R=$T/root
mkdir -p "$R/dl" "$R/st"
gguf "$R/dl/v3.gguf" 3 general.license llama3.1 general.name 'Test' \
	general.source.huggingface.repository acme/llama-ft general.base_model.0.repo_url https://huggingface.co/meta-llama/Llama-3.1-8B
ARRAY=2000 gguf "$R/dl/v2-after-array.gguf" 2 general.license apache-2.0
gguf "$R/dl/other.gguf" 3 general.license other general.license.name tongyi-qianwen-research
gguf "$R/dl/none.gguf" 3 general.name nothing
perl -e 'print "GGUF", pack("V", 3), pack("Q<", 0), pack("Q<", 1), pack("Q<", 2**63 - 1), "x"' >"$R/dl/lying-string.gguf"
perl -e 'print "GGUF", pack("V", 3), pack("Q<", 0), pack("Q<", 2**60)' >"$R/dl/lying-count.gguf"

# a folder of safetensors shards only: its verdict comes from the headers
safetensors "$R/st/model-00001-of-00002.safetensors" '{"__metadata__":{"license":"mit"}}'
safetensors "$R/st/model-00002-of-00002.safetensors" '{"__metadata__":{"license":"cc-by-nc-4.0"}}'
mkdir -p "$R/st2"
safetensors "$R/st2/model.safetensors" '{"__metadata__":{"format":"pt"}}'
mkdir -p "$R/st3"
perl -e 'print pack("Q<", 2**63 - 1), "{}"' >"$R/st3/model.safetensors"

# an HF cache folder: two snapshots, .no_exist, an incomplete blob
C=$R/hub/models--acme--cached
r1=1111111111111111111111111111111111111111
r2=2222222222222222222222222222222222222222
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$r1" "$C/snapshots/$r2" "$C/.no_exist/$r2"
printf -- '---\nlicense: mit\n---\n' >"$C/blobs/b1"
safetensors "$C/blobs/b2" '{"__metadata__":{"license":"mit"}}'
printf 'partial' >"$C/blobs/b3.incomplete"
ln -s ../../blobs/b1 "$C/snapshots/$r1/README.md"
ln -s ../../blobs/b1 "$C/snapshots/$r2/README.md"
ln -s ../../blobs/b2 "$C/snapshots/$r2/model.safetensors"
: >"$C/.no_exist/$r2/LICENSE"
printf '%s' "$r2" >"$C/refs/main"

# a local_dir download with an LFS pointer and metadata
L=$R/local/acme-model
rev=3333333333333333333333333333333333333333
mkdir -p "$L/.cache/huggingface/download"
printf -- '---\nlicense: apache-2.0\n---\n' >"$L/README.md"
printf '%s\n"etag"\n1700000000.0\n' "$rev" >"$L/.cache/huggingface/download/README.md.metadata"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 4920000000\n' \
	"$(printf 'a%.0s' $(seq 1 64))" >"$L/model.safetensors"

DB=$T/inv.db
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan exits 0 with malformed headers in the tree" 0 $?

row() { q "$DB" "SELECT $2 FROM inventory WHERE path = '$1'"; }
expect "gguf v3: model id from general.source" "acme/llama-ft" "$(row "$R/dl/v3.gguf" model_id)"
expect "gguf v3: license key declares the license" "llama3.1" "$(row "$R/dl/v3.gguf" declared_license)"
expect "gguf v3: base model from the header" "meta-llama/Llama-3.1-8B" "$(row "$R/dl/v3.gguf" base_models)"
expect "gguf v2: license key after a 2,000-entry array" "apache-2.0" "$(row "$R/dl/v2-after-array.gguf" declared_license)"
expect "gguf: other + license.name maps through aliases" "qwen-research|not-allowed" \
	"$(row "$R/dl/other.gguf" 'license, commercial_use')"
expect "gguf without license: unknown, no error" "unknown|" "$(row "$R/dl/none.gguf" 'license, error')"
expect_match "gguf with a lying string length: row with an error" 'exceeds|too|length' "$(row "$R/dl/lying-string.gguf" error)"
expect_match "gguf with a lying key count: row with an error" 'count|exceeds' "$(row "$R/dl/lying-count.gguf" error)"
expect "safetensors shards that disagree: conflict, never allowed" "cc-by-nc-4.0 AND mit|not-allowed" \
	"$(row "$R/st" 'license, commercial_use')"
expect_match "... with review conflict" 'conflict' "$(row "$R/st" review)"
expect "safetensors without license metadata: unknown" "unknown" "$(row "$R/st2" license)"
expect_match "safetensors with a lying header length: error recorded" 'length|exceeds|large' \
	"$(q "$DB" "SELECT w.error FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$R/st3'")"

expect "cache: revision from refs/main" "$r2" "$(row "$C" revision)"
expect "cache: other snapshots listed" "$r1,$r2" "$(q "$DB" "SELECT snapshots FROM models WHERE path = '$C'")"
expect "cache: .no_exist LICENSE is known absence, not an unreadable file" "mit|allowed|" \
	"$(row "$C" 'license, commercial_use, error')"
expect "cache: .no_exist recorded as evidence" "LICENSE" \
	"$(q "$DB" "SELECT name FROM evidence e JOIN models m ON m.id = e.model WHERE m.path = '$C' AND e.role = 'known-missing'")"
expect "cache: an incomplete blob is recorded, never parsed" "1|0" \
	"$(q "$DB" "SELECT incomplete, present FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$C' AND w.path LIKE '%incomplete'")"
expect "cache: weight header read through the snapshot link" "mit" \
	"$(q "$DB" "SELECT w.license FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$C' AND w.path = 'model.safetensors'")"

expect "local_dir: revision from the download metadata" "$rev" "$(row "$L" revision)"
expect "local_dir: LFS pointer gives the real size, content absent" "safetensors|4920000000|0" \
	"$(q "$DB" "SELECT format, size, present FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$L'")"
expect "local_dir: the pointer's oid is recorded" 64 \
	"$(q "$DB" "SELECT length(lfs_oid) FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$L'")"
expect_match "report shows the weight size per model" '4\.6 GiB' "$("$MC_BIN" report --db "$DB")"
