# t_submodels.sh: models inside git repositories that are not models (a
# repository of training code): each model folder or GGUF file in the tree
# of HEAD is a model of its own, the same from a work tree and from a bare
# mirror; a repository with no model anywhere has no row; rescans, commits
# and shards treat the models inside as models.  And scan
# --model-id-from-path for mirrors copied rather than cloned.
. "$(dirname "$0")/lib.sh"

L=$MC_LICENSES/spdx
R=$T/root
mkdir -p "$R"

# a monorepo: training code under Apache-2.0, two models with their own
# licenses, one without (inherits the root's), one whose card names its
# license (the root's is not its), a model nested in a model
mono=$T/src/mono
mkdir -p "$mono/train" "$mono/models/a" "$mono/models/b" "$mono/models/c/sub"
cp "$L/Apache-2.0.txt" "$mono/LICENSE"
printf '# training code\n' >"$mono/README.md"
printf 'print(1)\n' >"$mono/train/train.py"
printf '{}' >"$mono/models/a/config.json"
cp "$L/MIT.txt" "$mono/models/a/LICENSE"
printf '{}' >"$mono/models/b/config.json"
cp "$L/CC-BY-NC-4.0.txt" "$mono/models/b/LICENSE"
printf '{}' >"$mono/models/c/config.json"
printf '{}' >"$mono/models/c/sub/config.json"
mkcard "$mono/models/e" 'license: mit'
cp "$L/MIT.txt" "$mono/models/c/sub/LICENSE"
mkgit "$mono"
git clone -q "$mono" "$R/work/mono"
git clone -q --bare "$mono" "$R/mirror/mono.git"
rev=$(git -C "$mono" rev-parse HEAD)

# a repository of code only
mkdir -p "$T/src/code/src"
cp "$L/MIT.txt" "$T/src/code/LICENSE"
printf '# a tool\n' >"$T/src/code/README.md"
printf 'int main(void) { return 0; }\n' >"$T/src/code/src/main.c"
mkgit "$T/src/code"
git clone -q "$T/src/code" "$R/work/code"
git clone -q --bare "$T/src/code" "$R/mirror/code.git"

# a repository whose root is a model: one model, as always
mkcard "$T/src/whole" 'license: mit'
mkdir -p "$T/src/whole/extra"
printf '{}' >"$T/src/whole/extra/config.json"
mkgit "$T/src/whole" https://huggingface.co/acme/whole
git clone -q "$T/src/whole" "$R/work/whole"
git -C "$R/work/whole" remote set-url origin https://huggingface.co/acme/whole

DB=$T/inv.db
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>"$T/err")
expect "scan exits 0" 0 $?
expect_match "summary counts repositories without a model" 'repositories without a model: 2' "$out"

row() { q "$DB" "SELECT layout, ifnull(model_id, '-'), revision, license, commercial_use FROM inventory WHERE path = '$1'"; }
for side in work/mono mirror/mono.git; do
	case $side in work/*) lay=git ;; *) lay=bare ;; esac
	expect "$side: the repository itself is not a model" "" "$(row "$R/$side")"
	expect "$side: models/a is a model with its own MIT license" \
		"$lay|-|$rev|mit|allowed" "$(row "$R/$side/models/a")"
	expect "$side: models/b is a model with its own CC BY-NC 4.0" \
		"$lay|-|$rev|cc-by-nc-4.0|not-allowed" "$(row "$R/$side/models/b")"
	expect "$side: models/c has no license of its own: the root's applies" \
		"$lay|-|$rev|apache-2.0|allowed" "$(row "$R/$side/models/c")"
	expect "$side: models/e's card names its license: the root's does not apply" \
		"$lay|-|$rev|mit|allowed" "$(row "$R/$side/models/e")"
	expect "$side: a model inside a model is not descended into" "" \
		"$(row "$R/$side/models/c/sub")"
	expect "$side: four models, no more" 4 \
		"$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '$R/$side/%'")"
done
expect "work tree and bare mirror give the same verdicts" \
	"$(q "$DB" "SELECT substr(path, length('$R/work/mono') + 1), license, commercial_use, revision FROM inventory WHERE path LIKE '$R/work/mono/%' ORDER BY 1")" \
	"$(q "$DB" "SELECT substr(path, length('$R/mirror/mono.git') + 1), license, commercial_use, revision FROM inventory WHERE path LIKE '$R/mirror/mono.git/%' ORDER BY 1")"
expect "code-only repositories have no row" 0 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '%/code%'")"
expect "a repository whose root is a model is one model" \
	"git|acme/whole|$(git -C "$T/src/whole" rev-parse HEAD)|mit|allowed" "$(row "$R/work/whole")"
expect "and nothing inside it is a model of its own" 1 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '$R/work/whole%'")"

ex=$("$MC_BIN" explain --db "$DB" "$R/work/mono/models/c" 2>&1)
expect_match "explain says the license came from the repository root" \
	'LICENSE \(license.*from the repository root: the folder has no license file of its own' "$ex"
ex=$("$MC_BIN" explain --db "$DB" "$R/mirror/mono.git/models/a" 2>&1)
if printf '%s\n' "$ex" | grep -q 'from the repository root'; then
	nok "a folder with its own license does not take the root's" "$ex"
else
	ok "a folder with its own license does not take the root's"
fi
ex=$("$MC_BIN" explain --db "$DB" "$R/work/mono/models/e" 2>&1)
expect_match "explain says the root's license is not counted beside a card that names one" \
	"LICENSE \\(the repository root's\\) not counted: the model's card names its license" "$ex"

dump() { q "$1" 'SELECT * FROM inventory ORDER BY path'; }
before=$(dump "$DB")

# rescan, nothing changed: nothing read again, the same rows
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>&1)
expect_match "rescan: every model unchanged, none re-read" 'unchanged: +9 models not re-read' "$out"
expect "rescan: the same rows" "$before" "$(dump "$DB")"

# a commit that adds a third model folder, and one that removes one
mkdir -p "$mono/models/d"
printf '{}' >"$mono/models/d/config.json"
cp "$L/MIT.txt" "$mono/models/d/LICENSE"
git -C "$mono" add -A && git -C "$mono" commit -qm "add d"
git -C "$R/work/mono" pull -q
git -C "$R/mirror/mono.git" fetch -q origin '+refs/heads/*:refs/heads/*'
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>&1)
for side in work/mono mirror/mono.git; do
	expect "$side: a commit adding a model folder adds a model" "mit|allowed" \
		"$(q "$DB" "SELECT license, commercial_use FROM inventory WHERE path = '$R/$side/models/d'")"
done
expect_match "the others' revision moved with HEAD" "^$(git -C "$mono" rev-parse HEAD)\$" \
	"$(q "$DB" "SELECT DISTINCT revision FROM inventory WHERE path LIKE '$R/work/mono/%'")"

git -C "$mono" rm -rq models/b && git -C "$mono" commit -qm "drop b"
git -C "$R/work/mono" pull -q
git -C "$R/mirror/mono.git" fetch -q origin '+refs/heads/*:refs/heads/*'
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>&1)
expect_match "a commit removing a model folder: the model is gone" 'gone: +2 models' "$out"
expect "the removed model has no row" 0 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '%/models/b'")"
expect "the rest stay" 8 "$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '%/mono%/models/%'")"

# shards partition the models inside repositories; merged, one scan
"$MC_BIN" scan --quiet --db "$T/full.db" "$R" >/dev/null 2>&1
total=$(q "$T/full.db" 'SELECT count(*) FROM inventory')
n=0
for k in 0 1 2; do
	"$MC_BIN" scan --quiet --shard "$k/3" --db "$T/shard$k.db" "$R" >/dev/null 2>&1
	n=$((n + $(q "$T/shard$k.db" 'SELECT count(*) FROM inventory')))
done
expect "the shards partition the models inside repositories" "$total" "$n"
"$MC_BIN" merge "$T/merged.db" "$T/shard0.db" "$T/shard1.db" "$T/shard2.db" >/dev/null 2>&1
expect "merged shards equal one scan" "$(dump "$T/full.db")" "$(dump "$T/merged.db")"
"$MC_BIN" scan --quiet --shard 1/3 --db "$T/merged.db" "$R" >/dev/null 2>&1
expect "a shard rescan leaves the other shards' models" "$(dump "$T/full.db")" "$(dump "$T/merged.db")"

# the same over two roots at once (a model's hash is of its path below its
# own root, whichever root the walker is on by then)
"$MC_BIN" scan --quiet --jobs 2 --db "$T/two.db" "$R/mirror" "$R/work" >/dev/null 2>&1
for k in 0 1; do
	"$MC_BIN" scan --quiet --jobs 2 --shard "$k/2" --db "$T/two$k.db" "$R/mirror" "$R/work" >/dev/null 2>&1
done
"$MC_BIN" merge "$T/two-merged.db" "$T/two0.db" "$T/two1.db" >/dev/null 2>&1
expect "two roots: merged shards equal one scan" "$(dump "$T/two.db")" "$(dump "$T/two-merged.db")"

# GGUF in a repository of code: a model each, also an LFS pointer (a mirror
# cloned without LFS), but not a vocabulary-only file (no tensor)
g=$T/src/gguf
mkdir -p "$g/weights" "$g/vocab"
printf 'GGUF\003\000\000\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$g/weights/q4.gguf"
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$g/vocab/ggml-vocab-llama.gguf"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 123456\n' \
	0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >"$g/weights/lfs.gguf"
cp "$L/MIT.txt" "$g/LICENSE"
cp "$L/CC-BY-NC-4.0.txt" "$g/weights/LICENSE"
mkdir -p "$g/other"
cp "$g/weights/q4.gguf" "$g/other/q8.gguf"
mkgit "$g"
git clone -q --bare "$g" "$T/g/gguf.git"
git clone -q "$g" "$T/g/gguf"
"$MC_BIN" scan --quiet --db "$T/g.db" "$T/g" >/dev/null 2>&1
for side in gguf gguf.git; do
	case $side in *.git) lay=bare ;; *) lay=git ;; esac
	expect "$side: each GGUF file is a model with its folder's license, else the root's; a pointer too, a vocabulary not" \
		"$(printf '%s\n%s\n%s' "$T/g/$side/other/q8.gguf|$lay|mit" "$T/g/$side/weights/lfs.gguf|$lay|cc-by-nc-4.0" "$T/g/$side/weights/q4.gguf|$lay|cc-by-nc-4.0")" \
		"$(q "$T/g.db" "SELECT path, layout, license FROM inventory WHERE path LIKE '$T/g/$side/%' ORDER BY path")"
done

# --model-id-from-path: a copied mirror has no remote
mkcard "$T/src/copied" 'license: mit'
mkgit "$T/src/copied"
mkdir -p "$T/m/acme"
git clone -q --bare "$T/src/copied" "$T/m/acme/copied.git"
git -C "$T/m/acme/copied.git" remote remove origin
"$MC_BIN" scan --quiet --db "$T/m1.db" "$T/m" >/dev/null 2>&1
expect "no remote: no model id by default" "" "$(q "$T/m1.db" 'SELECT model_id FROM inventory')"
"$MC_BIN" scan --quiet --model-id-from-path --db "$T/m2.db" "$T/m" >/dev/null 2>&1
expect "--model-id-from-path: org/name from the path, .git dropped" "acme/copied" \
	"$(q "$T/m2.db" 'SELECT model_id FROM inventory')"
git -C "$T/m/acme/copied.git" remote add origin https://huggingface.co/real/name
"$MC_BIN" scan --quiet --model-id-from-path --db "$T/m3.db" "$T/m" >/dev/null 2>&1
expect "--model-id-from-path: a remote still wins" "real/name" \
	"$(q "$T/m3.db" 'SELECT model_id FROM inventory')"
"$MC_BIN" scan --quiet --model-id-from-path --db "$T/m4.db" "$R/mirror" >/dev/null 2>&1
expect "--model-id-from-path: models inside a repository get no id from it" 0 \
	"$(q "$T/m4.db" "SELECT count(*) FROM inventory WHERE model_id IS NOT NULL")"
