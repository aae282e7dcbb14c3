# t_rescan.sh: incremental rescans.  A model is not read again only when
# nothing it was read from changed (watch.h): every kind of change below
# must show in the inventory after a plain rescan, and everything else must
# be counted unchanged (but the model whose reading ends in an error).
. "$(dirname "$0")/lib.sh"

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

# card folders
mkcard "$R/cards/a" 'license: mit'
mkcard "$R/cards/b" 'license: apache-2.0'
mkcard "$R/cards/c" 'license: mit'
# a fine-tune of the cache folder's model, and one whose reading always
# ends in an error (a folder nested too deep), so every scan reads it again
mkcard "$R/cards/ft" 'license: mit' 'base_model: acme/cached'
mkcard "$R/cards/ft-deep" 'license: mit' 'base_model: acme/cached'
mkdir -p "$R/cards/ft-deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17"
# a checkpoint folder with weights three levels down
mkdir -p "$R/ckpt/deep/unet/x/y"
printf '{}' >"$R/ckpt/deep/config.json"
printf '\002\000\000\000\000\000\000\000{}' >"$R/ckpt/deep/unet/x/y/model.safetensors"
# a folder that is a model by its card, with a model below it
mkcard "$R/org" 'license: mit'
mkdir -p "$R/org/inner"
printf '{}' >"$R/org/inner/config.json"
# a git work tree and a bare mirror
mkcard "$T/src/repo" 'license: mit'
mkgit "$T/src/repo"
git clone -q "$T/src/repo" "$R/git/repo"
git -C "$R/git/repo" remote set-url origin https://huggingface.co/acme/repo
git clone -q --bare "$T/src/repo" "$R/mirror/repo.git"
git -C "$R/mirror/repo.git" remote set-url origin https://huggingface.co/acme/mirror
# an HF cache folder
C=$R/hub/models--acme--cached
rev1=1111111111111111111111111111111111111111
rev2=2222222222222222222222222222222222222222
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$rev1"
printf -- '---\nlicense: cc-by-nc-4.0\n---\n' >"$C/blobs/b1"
ln -s ../../blobs/b1 "$C/snapshots/$rev1/README.md"
printf '%s' "$rev1" >"$C/refs/main"
# a GGUF file
mkdir -p "$R/gguf"
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' \
	>"$R/gguf/m.gguf"
# everything old, so that a change made right after a scan is never within
# the file system's time granularity of the original
find "$R" -exec touch -h -d '2024-01-01 00:00:00' {} +

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
total=$(q "$DB" 'SELECT count(*) FROM inventory')
expect "first scan: every model" 11 "$total"
expect "the fine-tune inherits its base's terms" not-allowed \
	"$(q "$DB" "SELECT commercial_use FROM inventory WHERE path = '$R/cards/ft'")"
expect "no lineage pass is owed after a scan" 0 \
	"$(q "$DB" "SELECT value FROM meta WHERE key = 'lineage_pending'")"

rescan() {
	"$MC_BIN" scan --quiet --db "$DB" "$@" "$R" >"$T/rescan.out" 2>/dev/null
	sed -n 's/^ *unchanged: *\([0-9]*\) models.*/\1/p' "$T/rescan.out"
}
# the summary's commercial-use counts (counted as models are written or
# found unchanged, unless a lineage pass ran) are the inventory's
expect_counted() {
	expect "$1: the summary counts commercial use as the inventory holds it" \
		"$(q "$DB" "SELECT 'allowed ' || sum(commercial_use = 'allowed') ||
			', conditional ' || sum(commercial_use = 'conditional') ||
			', not-allowed ' || sum(commercial_use = 'not-allowed') ||
			', unknown ' || sum(commercial_use = 'unknown') FROM inventory")" \
		"$(sed -n 's/^ *commercial use: *//p' "$T/rescan.out")"
}
expect "a rescan with nothing changed reads nothing (but the model with an error)" \
	"$((total - 1))" "$(rescan)"
expect_counted "nothing changed"
expect "a model read again with the same result keeps its inherited verdict" \
	not-allowed "$(q "$DB" "SELECT commercial_use FROM inventory WHERE path = '$R/cards/ft-deep'")"
expect "and owes no lineage pass" 0 \
	"$(q "$DB" "SELECT value FROM meta WHERE key = 'lineage_pending'")"
expect "and keeps every model" "$total" "$(q "$DB" 'SELECT count(*) FROM inventory')"
expect "and records that this scan saw them" "$total" \
	"$(q "$DB" 'SELECT count(*) FROM seen WHERE scan = (SELECT max(id) FROM scans)')"

# a scan killed after writing models but before its lineage pass leaves
# the pass owed (simulated: the fine-tune's row as its own verdict wrote
# it); the next rescan runs it though nothing changed
q "$DB" "UPDATE models SET commercial_use = 'allowed' WHERE path = '$R/cards/ft';
	UPDATE meta SET value = 1 WHERE key = 'lineage_pending'"
expect "an owed lineage pass runs even when nothing changed" "$((total - 1))" "$(rescan)"
expect "and restores the inherited verdict" not-allowed \
	"$(q "$DB" "SELECT commercial_use FROM inventory WHERE path = '$R/cards/ft'")"
expect_counted "after a lineage pass"

# a card changed in place, same size
printf -- '---\nlicense: bsd\n---\n\n# model\n' >"$R/cards/a/README.md"
printf -- '---\nlicense: mit\n---\n\n# model\n' >"$T/same-size"
expect "(the test's change keeps the size)" "$(wc -c <"$T/same-size")" \
	"$(wc -c <"$R/cards/a/README.md")"
expect "a card rewritten in place with the same size is re-read" "$((total - 2))" "$(rescan)"
expect "and its new license shows" bsd \
	"$(q "$DB" "SELECT declared_license FROM inventory WHERE path = '$R/cards/a'")"
expect_counted "a verdict changed"

# a file added to a card folder
printf '\002\000\000\000\000\000\000\000{}' >"$R/cards/b/model.safetensors"
expect "a file added to a folder makes it re-read" "$((total - 2))" "$(rescan)"
expect "and the new weights show" 1 \
	"$(q "$DB" "SELECT count(*) FROM weights w JOIN models m ON m.id = w.model WHERE m.path = '$R/cards/b'")"

# weights three levels down, rewritten
printf '\002\000\000\000\000\000\000\000{}    ' >"$R/ckpt/deep/unet/x/y/model.safetensors"
expect "a weight file three levels down, rewritten, is re-read" "$((total - 2))" "$(rescan)"
expect "and its new size shows" 14 \
	"$(q "$DB" "SELECT weight_bytes FROM models WHERE path = '$R/ckpt/deep'")"

# a file only seen, never read (its content reaches nothing), rewritten
# in place: not watched, so not a reason to read the model again
printf '{"x": 1}' >"$R/ckpt/deep/config.json"
expect "a config.json rewritten in place does not make its folder re-read" \
	"$((total - 1))" "$(rescan)"
expect "and is not in the watch record" 0 \
	"$(q "$DB" "SELECT instr(watch, 'config.json') FROM models WHERE path = '$R/ckpt/deep'")"
# a license file is read, so watched: rewritten in place, same size, it
# makes its folder re-read
printf 'Copyright 2024 Alpha\n' >"$R/ckpt/deep/LICENSE"
touch -d '2024-01-01 00:00:00' "$R/ckpt/deep/LICENSE"
expect "a license file added to a folder makes it re-read" "$((total - 2))" "$(rescan)"
printf 'Copyright 2024 Omega\n' >"$R/ckpt/deep/LICENSE"
expect "and rewritten in place, same size, again" "$((total - 2))" "$(rescan)"
expect "its watch record names it" 1 \
	"$(q "$DB" "SELECT instr(watch, 'LICENSE') > 0 FROM models WHERE path = '$R/ckpt/deep'")"

# a new commit in a work tree, a push to the bare mirror
printf -- '---\nlicense: apache-2.0\n---\n' >"$T/src/repo/README.md"
git -C "$T/src/repo" commit -qam relicense
git -C "$R/git/repo" pull -q "$T/src/repo" main
git -C "$T/src/repo" push -q "$R/mirror/repo.git" main
expect "a new commit and a push are re-read" "$((total - 3))" "$(rescan)"
expect "both show the new license" "apache-2.0|apache-2.0" \
	"$(q "$DB" "SELECT group_concat(declared_license, '|') FROM inventory WHERE path IN ('$R/git/repo', '$R/mirror/repo.git')")"

# the remote renamed: same commit, new model id
git -C "$R/git/repo" remote set-url origin https://huggingface.co/acme/renamed
expect "a changed remote URL is re-read" "$((total - 2))" "$(rescan)"
expect "and the model id follows it" acme/renamed \
	"$(q "$DB" "SELECT model_id FROM inventory WHERE path = '$R/git/repo'")"

# refs/main moved to a new snapshot
mkdir -p "$C/snapshots/$rev2"
printf -- '---\nlicense: gpl-3.0\n---\n' >"$C/blobs/b2"
ln -s ../../blobs/b2 "$C/snapshots/$rev2/README.md"
printf '%s' "$rev2" >"$C/refs/main"
expect "a cache folder whose refs/main moved is re-read" "$((total - 2))" "$(rescan)"
expect "and shows the new revision" "$rev2|gpl-3.0" \
	"$(q "$DB" "SELECT revision, declared_license FROM inventory WHERE path = '$C'")"
# a file downloaded later into the same snapshot: a new link to a new blob
# (links to blobs are not watched one by one: blobs are named by content)
printf 'Permission is hereby granted, free of charge, to any person obtaining a copy\n' >"$C/blobs/b3"
ln -s ../../blobs/b3 "$C/snapshots/$rev2/NOTICE"
expect "a file added to the cache's snapshot makes it re-read" "$((total - 2))" "$(rescan)"
expect "and its watch record names the snapshot folder, not the links in it" 1 \
	"$(q "$DB" "SELECT instr(watch, 'snapshots/$rev2' || char(10)) > 0 AND
		instr(watch, 'snapshots/$rev2/README.md') = 0 FROM models WHERE path = '$C'")"
expect "the unchanged fine-tune of it inherits its new terms" \
	"conditional" "$(q "$DB" "SELECT commercial_use FROM inventory WHERE path = '$R/cards/ft'")"
expect_counted "a base model relicensed"

# a GGUF file replaced
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000  ' \
	>"$R/gguf/m.gguf.new" && mv "$R/gguf/m.gguf.new" "$R/gguf/m.gguf"
expect "a replaced GGUF file is re-read" "$((total - 2))" "$(rescan)"

# a folder that stops being a model uncovers the model below it
printf '# just a folder now\n' >"$R/org/README.md"
rescan >/dev/null
expect "a folder whose card lost its front matter is gone" 1 \
	"$(q "$DB" "SELECT gone FROM models WHERE path = '$R/org'")"
expect "and the model inside it is found" dir \
	"$(q "$DB" "SELECT layout FROM inventory WHERE path = '$R/org/inner'")"

# a removed model
rm -rf "$R/cards/c"
rescan >/dev/null
expect "a removed model is marked gone" 1 \
	"$(q "$DB" "SELECT gone FROM models WHERE path = '$R/cards/c'")"
total=$(q "$DB" 'SELECT count(*) FROM inventory')
expect "then nothing changed again" "$((total - 1))" "$(rescan)"

# a model scanned under another root is not re-read, but moves to that root
"$MC_BIN" scan --quiet --db "$DB" "$R/cards" >/dev/null 2>&1
expect "a rescan of a subtree leaves everything present" "$total" \
	"$(q "$DB" 'SELECT count(*) FROM inventory')"
expect "the subtree's models now belong to it" 4 \
	"$(q "$DB" "SELECT count(*) FROM models WHERE root = '$R/cards' AND gone = 0")"
expect "the whole tree again: nothing re-read" "$((total - 1))" "$(rescan)"

# new rules: everything is read again
mkdir -p "$T/rules"
cat >"$T/rules/x-test.yaml" <<'EOF'
id: x-test
name: a test rule
spdx: LicenseRef-x-test
commercial: unknown
match:
  all:
    - 'zzz unique test phrase'
examples:
  positive:
    - kind: full
      text: zzz unique test phrase
EOF
expect "new rules re-read everything" "" "$(rescan --rules "$T/rules")"
expect "the database is sound" ok "$(q "$DB" 'PRAGMA integrity_check')"

# many folders under one parent: the checks are spread over threads
W=$T/wide
mkdir -p "$W"
i=0
while [ $i -lt 2100 ]; do
	mkdir "$W/m$i" && printf -- '---\nlicense: mit\n---\n' >"$W/m$i/README.md"
	i=$((i + 1))
done
find "$W" -exec touch -h -d '2024-01-01 00:00:00' {} +
"$MC_BIN" scan --quiet --jobs 2 --db "$T/wide.db" "$W" >/dev/null 2>&1
wide() {
	"$MC_BIN" scan --quiet --jobs 2 --db "$T/wide.db" "$W" 2>/dev/null |
		sed -n 's/^ *unchanged: *\([0-9]*\) models.*/\1/p'
}
expect "2,100 unchanged folders checked by two threads: none re-read" 2100 "$(wide)"
printf -- '---\nlicense: gpl-3.0\n---\n' >"$W/m1500/README.md"
rm -rf "$W/m7"
expect "one changed among them is re-read, one removed is not counted" 2098 "$(wide)"
expect "and shows its new license" gpl-3.0 \
	"$(q "$T/wide.db" "SELECT declared_license FROM inventory WHERE path = '$W/m1500'")"
expect "and the removed one is gone" 1 \
	"$(q "$T/wide.db" "SELECT gone FROM models WHERE path = '$W/m7'")"
expect "the second database is sound too" ok "$(q "$T/wide.db" 'PRAGMA integrity_check')"

# a root given relative to the current directory is the same root
mkdir -p "$T/rel/tree"
mkcard "$T/rel/tree/a" 'license: mit'
mkcard "$T/rel/tree/b" 'license: mit'
(cd "$T/rel" && "$MC_BIN" scan --quiet --db "$T/rel.db" tree >/dev/null 2>&1)
rm -rf "$T/rel/tree/b"
out=$(cd "$T/rel" && "$MC_BIN" scan --db "$T/rel.db" ./tree/ 2>/dev/null)
expect_match "a relative root: a vanished model is marked gone" 'gone: +1 models' \
	"$(echo "$out" | tr -s ' ')"
expect "and roots are recorded absolute" "$T/rel/tree" \
	"$(q "$T/rel.db" "SELECT DISTINCT root FROM models")"
for n in 1 2 3 4 5 6 7 8; do mkcard "$T/rel/tree/c$n" 'license: mit'; done
(cd "$T/rel" && "$MC_BIN" scan --quiet --shard 0/2 --db "$T/s1.db" tree >/dev/null 2>&1)
"$MC_BIN" scan --quiet --shard 0/2 --db "$T/s2.db" "$T/rel/tree" >/dev/null 2>&1
expect "the shard of a model does not depend on how its root was written" \
	"$(q "$T/s2.db" "SELECT group_concat(path) FROM (SELECT path FROM inventory ORDER BY path)")" \
	"$(q "$T/s1.db" "SELECT group_concat(path) FROM (SELECT path FROM inventory ORDER BY path)")"

# a file name with a newline cannot go in the watch record: that model has
# no signature and is read again by every scan, which goes on normally
mkcard "$T/nl/m" 'license: mit'
mkcard "$T/nl/ok" 'license: mit'
touch "$T/nl/m/LICENSE
x.txt"
"$MC_BIN" scan --quiet --db "$T/nl.db" "$T/nl" >/dev/null 2>&1
out=$("$MC_BIN" scan --db "$T/nl.db" "$T/nl" 2>/dev/null)
expect "a name with a newline: that model is read again, the other is not" \
	"2|1" "$(echo "$out" | sed -n 's/^scanned \([0-9]*\) models.*/\1/p')|$(echo "$out" | sed -n 's/^ *unchanged: *\([0-9]*\) models.*/\1/p')"
expect "and it has no signature, but a row without an error" "|" \
	"$(q "$T/nl.db" "SELECT signature, error FROM models WHERE path = '$T/nl/m'")"

# plain folders (not models, nothing below them) are remembered and passed
# by while they stay as they were; any change that could make one a model,
# or put one inside it, brings it back under the walker's eye
P=$T/plain
mkcard "$P/model" 'license: mit'
for n in notes docs empty; do mkdir -p "$P/$n"; done
printf 'Just notes, no front matter.\n' >"$P/notes/README.md"
printf 'docs\n' >"$P/docs/index.txt"
find "$P" -exec touch -h -d '2024-01-01 00:00:00' {} +
plain() {
	"$MC_BIN" scan --db "$T/plain.db" "$P" 2>/dev/null |
		sed -n 's/^scanned \([0-9]*\) models.*/\1/p'
}
plain >/dev/null
expect "plain folders are remembered, models are not among them" \
	"$P/docs|$P/empty|$P/notes" \
	"$(q "$T/plain.db" "SELECT group_concat(path, '|') FROM (SELECT path FROM plain_folders ORDER BY path)")"
expect "a rescan passes them by and still finds the model" 1 "$(plain)"
printf -- '---\nlicense: apache-2.0\n---\nnotes\n' >"$P/notes/README.md"
expect "a plain folder whose card gains front matter is a model on the rescan" 2 "$(plain)"
expect "with its license" apache-2.0 \
	"$(q "$T/plain.db" "SELECT declared_license FROM inventory WHERE path = '$P/notes'")"
mkcard "$P/docs/inner" 'license: mit'
expect "a model put inside a plain folder is found on the rescan" 3 "$(plain)"
printf '{}' >"$P/empty/config.json"
expect "a plain folder that gains a config.json is a model on the rescan" 4 "$(plain)"
expect "nothing changed: all four, none re-read" "4|4" \
	"$("$MC_BIN" scan --db "$T/plain.db" "$P" 2>/dev/null | sed -n 's/^scanned \([0-9]*\) models.*/\1/p; s/^ *unchanged: *\([0-9]*\) models.*/\1/p' | paste -sd'|')"
expect "the plain-folder database is sound" ok "$(q "$T/plain.db" 'PRAGMA integrity_check')"

# the rules compile while the walk begins, but a scan whose rules do not
# compile writes nothing: exit 3, the file and line, no scan recorded
mkdir -p "$T/bad-rules"
cat >"$T/bad-rules/x-bad.yaml" <<'RULE'
id: x-bad
name: a rule that does not compile
spdx: LicenseRef-x-bad
commercial: unknown
match:
  all:
    - 'unclosed (group'
RULE
scans=$(q "$T/plain.db" 'SELECT count(*) FROM scans')
"$MC_BIN" scan --rules "$T/bad-rules" --db "$T/plain.db" "$P" >"$T/bad.out" 2>"$T/bad.err"
expect "a rule that does not compile: exit 3" 3 "$?"
expect_match "and the message names the file and line" 'x-bad.yaml:7: pattern .* does not compile' \
	"$(cat "$T/bad.err")"
expect "and no scan is recorded" "$scans" "$(q "$T/plain.db" 'SELECT count(*) FROM scans')"

# one root inside another (or given twice): walked once, as part of the
# outer one, so each model is found and counted once
N=$T/nested
mkcard "$N/m1" 'license: mit'
mkcard "$N/b/m2" 'license: cc-by-nc-4.0'
for run in first second; do
	out=$("$MC_BIN" scan --db "$T/nested.db" "$N/b" "$N" "$N/" 2>"$T/nested.err")
	expect "nested roots, $run scan: each model scanned once" 2 \
		"$(echo "$out" | sed -n 's/^scanned \([0-9]*\) models.*/\1/p')"
	expect "nested roots, $run scan: each model counted once by commercial use" \
		"allowed 1, conditional 0, not-allowed 1, unknown 0" \
		"$(echo "$out" | sed -n 's/^ *commercial use: *//p')"
	expect "nested roots, $run scan: a warning for the root inside another, and for the one given twice" \
		"'$N/b' is inside '$N': walked once, as part of it|'$N' is given twice: walked once" \
		"$(sed -n 's/^modelcensus: warning: //p' "$T/nested.err" | paste -sd '|' -)"
done
expect "nested roots: the scan records the outer root" "$N" \
	"$(q "$T/nested.db" 'SELECT roots FROM scans ORDER BY id DESC LIMIT 1')"
expect "nested roots: the inner root's model belongs to the outer one" "$N" \
	"$(q "$T/nested.db" "SELECT root FROM models WHERE path = '$N/b/m2'")"
