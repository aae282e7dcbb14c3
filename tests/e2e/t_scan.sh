# t_scan.sh: the foundation end to end: a tree holding all five layouts,
# broken models among them, scanned into an inventory that is queried with
# the sqlite3 shell; rescans update in place and mark vanished models gone.
. "$(dirname "$0")/lib.sh"

R=$T/root
mkdir -p "$R"

# a git work tree cloned from a Hub URL (origin rewritten as a clone has it)
mkcard "$T/src/clone" 'license: apache-2.0' 'base_model: meta-llama/Llama-2-7b-hf'
mkgit "$T/src/clone"
git clone -q "$T/src/clone" "$R/git/acme/clone-model"
git -C "$R/git/acme/clone-model" remote set-url origin https://huggingface.co/acme/clone-model
clone_rev=$(git -C "$R/git/acme/clone-model" rev-parse HEAD)

# a bare mirror, with a card that uses the licence spelling and a list
mkcard "$T/src/bare" 'licence:' '  - MIT' '  - cc-by-4.0'
mkgit "$T/src/bare" git@github.com:acme/bare-model.git
git clone -q --bare "$T/src/bare" "$R/mirror/bare-model.git"
git -C "$R/mirror/bare-model.git" remote set-url origin https://hf.co/acme/bare-model
bare_rev=$(git -C "$R/mirror/bare-model.git" rev-parse HEAD)

# an HF cache folder: snapshot files are symlinks into blobs/
C=$R/hub/models--acme--cached
rev=0123456789abcdef0123456789abcdef01234567
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$rev"
printf -- '---\nlicense: openrail\n---\n# cached\n' >"$C/blobs/aaaa"
ln -s ../../blobs/aaaa "$C/snapshots/$rev/README.md"
printf '%s' "$rev" >"$C/refs/main"
mkdir -p "$R/hub/datasets--acme--data/snapshots" "$R/hub/spaces--acme--app/snapshots"

# a plain checkpoint folder with a config and a (tiny, valid) safetensors file
mkdir -p "$R/ckpt/my-model"
printf '{}' >"$R/ckpt/my-model/config.json"
printf '\002\000\000\000\000\000\000\000{}' >"$R/ckpt/my-model/model.safetensors"

# two standalone GGUF files: two models
mkdir -p "$R/downloads"
for n in a b; do
	printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' \
		>"$R/downloads/$n.gguf"
done

# broken: a repository with no commit, HEAD on a missing branch, a bad card
git init -q "$R/broken/empty"
mkcard "$T/src/detached" 'license: mit'
mkgit "$T/src/detached"
git clone -q "$T/src/detached" "$R/broken/missing-branch"
git -C "$R/broken/missing-branch" symbolic-ref HEAD refs/heads/nope
mkdir -p "$R/broken/bad-card"
printf -- '---\nlicense: [mit\n---\n' >"$R/broken/bad-card/README.md"
printf '{}' >"$R/broken/bad-card/config.json"

# a dataset card is not a model
mkcard "$R/data/some-dataset" 'license: mit' 'dataset_info:' '  features: []'

DB=$T/inv.db
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>"$T/err")
expect "scan exits 0 with broken models in the tree" 0 $?
expect_match "summary counts models by layout" 'git 3, bare 1, hf-cache 1, dir 2, file 2' "$out"
expect_match "summary counts skipped datasets and spaces" '2 datasets, 1 spaces' "$out"
expect_match "stderr counts the broken models" 'could not be read completely' "$(cat "$T/err")"

expect "one row per model" 9 "$(q "$DB" 'SELECT count(*) FROM inventory')"
expect "git clone: layout, model id, revision, declared license" \
	"git|acme/clone-model|$clone_rev|apache-2.0" \
	"$(q "$DB" "SELECT layout, model_id, revision, declared_license FROM inventory WHERE path = '$R/git/acme/clone-model'")"
expect "git clone: base_models" "meta-llama/Llama-2-7b-hf" \
	"$(q "$DB" "SELECT base_models FROM inventory WHERE path LIKE '%clone-model'")"
expect "bare mirror: layout, model id, revision, licence list sorted" \
	"bare|acme/bare-model|$bare_rev|cc-by-4.0 AND mit" \
	"$(q "$DB" "SELECT layout, model_id, revision, declared_license FROM inventory WHERE path = '$R/mirror/bare-model.git'")"
expect "hf cache: model id from the folder, revision from refs/main" \
	"hf-cache|acme/cached|$rev|openrail" \
	"$(q "$DB" "SELECT layout, model_id, revision, declared_license FROM inventory WHERE path = '$C'")"
expect "checkpoint folder: dir layout, no id, no revision" "dir|||" \
	"$(q "$DB" "SELECT layout, model_id, revision, declared_license FROM inventory WHERE path = '$R/ckpt/my-model'")"
expect "each gguf file is a model" "2" \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE layout = 'file' AND path LIKE '$R/downloads/%.gguf'")"
expect_match "empty repository gets a row with an error" 'no commits' \
	"$(q "$DB" "SELECT error FROM inventory WHERE path = '$R/broken/empty'")"
expect_match "HEAD on a missing branch gets a row with an error" "missing branch 'refs/heads/nope'" \
	"$(q "$DB" "SELECT error FROM inventory WHERE path = '$R/broken/missing-branch'")"
expect_match "a card that does not load gets a row with the YAML error" "card 'README.md': .*line" \
	"$(q "$DB" "SELECT error FROM inventory WHERE path = '$R/broken/bad-card'")"
expect "a dataset card is not in the inventory" 0 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path LIKE '%some-dataset%'")"
expect "a model without evidence is unknown, not allowed" "unknown|unknown" \
	"$(q "$DB" "SELECT license, commercial_use FROM inventory WHERE path = '$R/ckpt/my-model'")"
expect "the scan is recorded as complete" "1|9" \
	"$(q "$DB" 'SELECT complete, models FROM scans ORDER BY id DESC LIMIT 1')"
expect "the database is sound" ok "$(q "$DB" 'PRAGMA integrity_check')"

# rescan: rows updated in place, vanished models marked gone
rm -rf "$R/downloads/b.gguf"
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
expect "rescan keeps one row per model" 8 "$(q "$DB" 'SELECT count(*) FROM inventory')"
expect "no duplicate rows after a rescan" 9 "$(q "$DB" 'SELECT count(*) FROM models')"
expect "a vanished model is kept, marked gone" 1 \
	"$(q "$DB" "SELECT gone FROM models WHERE path = '$R/downloads/b.gguf'")"

# a scan of one subtree must not mark the rest gone
"$MC_BIN" scan --quiet --db "$DB" "$R/hub" >/dev/null 2>&1
expect "scanning a subtree leaves other roots' models present" 8 \
	"$(q "$DB" 'SELECT count(*) FROM inventory')"

# report
"$MC_BIN" report --db "$DB" --format json >"$T/r.json"
expect "report --format json is valid JSON with every model" "1|8" \
	"$(sqlite3 :memory: "SELECT json_valid(readfile('$T/r.json')), json_array_length(readfile('$T/r.json'))")"
expect "report --format csv has a header and one line per model" 9 \
	"$("$MC_BIN" report --db "$DB" --format csv | wc -l | tr -d ' ')"
expect_match "report table names the models" 'acme/clone-model +git +' "$("$MC_BIN" report --db "$DB")"
expect "report --where filters" 1 \
	"$("$MC_BIN" report --db "$DB" --format csv --where "layout = 'bare'" | tail -n +2 | wc -l | tr -d ' ')"

# exit codes
"$MC_BIN" scan >/dev/null 2>&1
expect "scan without PATH is a usage error" 2 $?
"$MC_BIN" scan --db "$T/no/such/dir/x.db" "$R" >/dev/null 2>"$T/err"
expect "an unwritable database exits 3" 3 $?
expect_match "and the message names the database" "no/such/dir/x.db" "$(cat "$T/err")"
"$MC_BIN" report --db "$T/missing.db" >/dev/null 2>&1
expect "report on a missing database exits 3" 3 $?
"$MC_BIN" report --db "$DB" --where "no_such_column = 1" >/dev/null 2>&1
expect "a bad --where is a usage error" 2 $?
"$MC_BIN" frobnicate >/dev/null 2>&1
expect "an unknown command is a usage error" 2 $?
expect_match "--version prints the version" '^modelcensus [0-9]' "$("$MC_BIN" --version)"

# incremental: an unchanged tree is not re-read (but the two repositories
# whose reading failed; the bad card's problem is in what was read, so it
# stands until the card changes); a changed model is
out=$("$MC_BIN" scan --quiet --db "$DB" "$R" 2>/dev/null)
expect_match "a rescan of an unchanged tree re-reads only the models whose reading failed" \
	'unchanged: +6 models not re-read' "$(echo "$out" | tr -s ' ')"
expect_match "and still counts the bad card's model among the errors" \
	'errors: +3 models' "$(echo "$out" | tr -s ' ')"
expect "whose error stands" "1" \
	"$(q "$DB" "SELECT error LIKE 'card %' FROM inventory WHERE path = '$R/broken/bad-card'")"
printf -- '---\nlicense: mit\n---\n' >"$R/broken/bad-card/README.md"
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
expect "until the card is fixed: then it is read again, and the error is gone" "|mit" \
	"$(q "$DB" "SELECT error, declared_license FROM inventory WHERE path = '$R/broken/bad-card'")"
printf -- '---\nlicense: gpl-3.0\n---\n' >"$R/ckpt/my-model/README.md"
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
expect "a changed folder is re-read" "gpl-3.0" \
	"$(q "$DB" "SELECT declared_license FROM inventory WHERE path = '$R/ckpt/my-model'")"
out=$("$MC_BIN" scan --quiet --full --db "$DB" "$R" 2>/dev/null)
expect "--full re-reads everything" "" "$(echo "$out" | grep unchanged)"
expect "no duplicates after incremental rescans" 9 "$(q "$DB" 'SELECT count(*) FROM models')"

# libgit2 is linked the ordinary way: where it cannot be loaded (a broken
# file stands in for it here), the dynamic loader refuses to start the
# program, naming the library, and no database is made
so=$(ldd "$MC_BIN" 2>/dev/null | sed -n 's/^[[:space:]]*\(libgit2\.so[.0-9]*\) =>.*/\1/p' | head -n1)
if [ -z "$so" ]; then
	skip "a scan without a usable libgit2" "ldd names no libgit2 for $MC_BIN"
else
	mkdir -p "$T/badlib"
	echo "not a library" >"$T/badlib/$so"
	DB2=$T/nolib.db
	LD_LIBRARY_PATH="$T/badlib" "$MC_BIN" scan --quiet --db "$DB2" "$R" >/dev/null 2>"$T/err"
	expect "a scan without a usable libgit2 does not start" 127 $?
	expect "the loader's message names libgit2" 1 "$(grep -c "$so" "$T/err")"
	expect "and no database is made" no "$(test -e "$DB2" && echo yes || echo no)"
fi
