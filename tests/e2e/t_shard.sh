# t_shard.sh: shards and merge give exactly the inventory of one full scan
# (lineage resolved across shards), any --jobs gives the same inventory,
# and a second writer is refused while one holds the database.
. "$(dirname "$0")/lib.sh"

R=$T/root
for i in $(seq 1 24); do
	case $((i % 4)) in
	0) mkcard "$R/cards/m$i" 'license: apache-2.0' ;;
	1) mkcard "$R/cards/m$i" 'license: cc-by-nc-4.0' ;;
	2) mkcard "$R/cards/m$i" 'license: other' 'license_name: tongyi-qianwen-research' ;;
	3) mkcard "$R/cards/m$i" ;;
	esac
done
# lineage that crosses shards: fine-tunes of acme/base
mkcard "$T/src/base" 'license: cc-by-nc-4.0'
mkgit "$T/src/base"
git clone -q --bare "$T/src/base" "$R/mirror/base.git"
git -C "$R/mirror/base.git" remote set-url origin https://huggingface.co/acme/base
for i in 1 2 3 4 5 6; do
	mkcard "$R/tunes/t$i" 'base_model: acme/base'
done
mkdir -p "$R/gguf"
for i in 1 2 3; do
	printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$R/gguf/$i.gguf"
done

dump() { q "$1" 'SELECT * FROM inventory ORDER BY path'; }

"$MC_BIN" scan --quiet --db "$T/full.db" "$R" >/dev/null 2>&1
expect "full scan finds every model" 34 "$(q "$T/full.db" 'SELECT count(*) FROM inventory')"
expect "fine-tunes inherit their base's terms" "6|not-allowed" \
	"$(q "$T/full.db" "SELECT count(*), commercial_use FROM inventory WHERE base_models = 'acme/base' GROUP BY 2")"

for k in 0 1 2; do
	"$MC_BIN" scan --quiet --shard "$k/3" --db "$T/shard$k.db" "$R" >/dev/null 2>&1
done
n0=$(q "$T/shard0.db" 'SELECT count(*) FROM inventory')
n1=$(q "$T/shard1.db" 'SELECT count(*) FROM inventory')
n2=$(q "$T/shard2.db" 'SELECT count(*) FROM inventory')
expect "the shards partition the models" 34 $((n0 + n1 + n2))
if [ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; then ok "every shard has models"; else nok "every shard has models" "$n0 $n1 $n2"; fi

"$MC_BIN" merge "$T/merged.db" "$T/shard0.db" "$T/shard1.db" "$T/shard2.db" >"$T/out" 2>&1
expect "merge exits 0" 0 $?
expect_match "merge says what it merged" 'merged 3 inventories' "$(cat "$T/out")"
expect "merged shards equal one full scan, lineage included" "$(dump "$T/full.db")" "$(dump "$T/merged.db")"
expect "merged database is sound" ok "$(q "$T/merged.db" 'PRAGMA integrity_check')"
"$MC_BIN" merge "$T/merged.db" "$T/shard1.db" >/dev/null 2>&1
expect "merging a shard again adds no duplicate" 34 "$(q "$T/merged.db" 'SELECT count(*) FROM models')"

# a shard rescan does not mark other shards' models gone
"$MC_BIN" scan --quiet --shard 0/3 --db "$T/merged.db" "$R" >/dev/null 2>&1
expect "a shard rescan leaves other shards' models present" 34 \
	"$(q "$T/merged.db" 'SELECT count(*) FROM inventory')"

"$MC_BIN" scan --quiet --jobs 1 --db "$T/j1.db" "$R" >/dev/null 2>&1
"$MC_BIN" scan --quiet --jobs 2 --db "$T/j2.db" "$R" >/dev/null 2>&1
expect "results are identical for any --jobs" "$(dump "$T/j1.db")" "$(dump "$T/j2.db")"
expect "and equal to the default" "$(dump "$T/full.db")" "$(dump "$T/j2.db")"

"$MC_BIN" scan --shard 3/3 "$R" >/dev/null 2>&1
expect "--shard K/N needs K < N" 2 $?
"$MC_BIN" merge "$T/x.db" "$T/missing.db" >/dev/null 2>&1
expect "merge of a missing inventory is a usage error" 2 $?
printf 'not a database' >"$T/junk.db"
"$MC_BIN" merge "$T/y.db" "$T/junk.db" >/dev/null 2>"$T/err"
expect "merge of a file that is not an inventory exits 3" 3 $?
expect_match "and names it" 'junk.db' "$(cat "$T/err")"

# one writer at a time: hold the lock, a scan is refused at once
exec 9>"$T/full.db.lock"
flock -n 9
"$MC_BIN" scan --quiet --db "$T/full.db" "$R" >/dev/null 2>"$T/err"
expect "a second writer is refused" 3 $?
expect_match "with a message naming the database" 'being written by another scan' "$(cat "$T/err")"
exec 9>&-
# the pid in that message comes from the lock file, which each writer
# rewrites (a longer one left there must not show through: test_store's
# test_lock) and removes when it ends
printf '1234567890\n' >"$T/full.db.lock"
"$MC_BIN" scan --quiet --db "$T/full.db" "$R" >/dev/null 2>&1
expect "a writer that ends leaves no lock file" no "$(test -e "$T/full.db.lock" && echo yes || echo no)"

# one-model roots (`scan --shard K/N /mirror/*/repo`): each model is a root
# of its own, so the shard goes by the model's absolute path, never by the
# path below its root (which is empty for every one of them)
M=$T/mirror
for i in $(seq 1 30); do
	case $((i % 3)) in
	0) mkcard "$M/org$i/repo" 'license: apache-2.0' ;;
	1) mkcard "$M/org$i/repo" 'license: cc-by-nc-4.0' ;;
	2) mkcard "$M/org$i/repo" 'license: mit' ;;
	esac
done
# and a repository whose models are folders inside it (<repo>/<folder>)
for i in $(seq 1 6); do
	mkcard "$T/src/multi/m$i" 'license: apache-2.0'
done
mkgit "$T/src/multi"
git clone -q --bare "$T/src/multi" "$M/multi/repo"
"$MC_BIN" scan --quiet --db "$T/roots-full.db" "$M"/*/repo >/dev/null 2>&1
expect "one-model roots: the full scan finds every model" 36 \
	"$(q "$T/roots-full.db" 'SELECT count(*) FROM inventory')"
for k in 0 1 2; do
	"$MC_BIN" scan --quiet --shard "$k/3" --db "$T/roots$k.db" "$M"/*/repo >/dev/null 2>&1
done
n0=$(q "$T/roots0.db" 'SELECT count(*) FROM inventory WHERE path NOT LIKE '"'%/multi/%'")
n1=$(q "$T/roots1.db" 'SELECT count(*) FROM inventory WHERE path NOT LIKE '"'%/multi/%'")
n2=$(q "$T/roots2.db" 'SELECT count(*) FROM inventory WHERE path NOT LIKE '"'%/multi/%'")
expect "one-model roots: the shards partition them" 30 $((n0 + n1 + n2))
if [ "$n0" -ge 3 ] && [ "$n1" -ge 3 ] && [ "$n2" -ge 3 ]; then
	ok "one-model roots: every one of 3 shards gets some of 30 ($n0, $n1, $n2)"
else
	nok "one-model roots: every one of 3 shards gets some of 30" "$n0 $n1 $n2"
fi
s=0
for k in 0 1 2; do
	[ "$(q "$T/roots$k.db" "SELECT count(*) FROM inventory WHERE path LIKE '%/multi/%'")" -gt 0 ] && s=$((s + 1))
done
if [ "$s" -ge 2 ]; then ok "models inside one repository spread over the shards too"; else nok "models inside one repository spread over the shards too" "$s shards"; fi
"$MC_BIN" merge "$T/roots-merged.db" "$T/roots0.db" "$T/roots1.db" "$T/roots2.db" >/dev/null 2>&1
expect "one-model roots: merged shards equal one full scan" \
	"$(dump "$T/roots-full.db")" "$(dump "$T/roots-merged.db")"

# a database written before the shard hash was of the absolute path holds
# other hashes: a shard rescan hashes the paths afresh, marking none gone
# that another shard owns
cp "$T/roots-full.db" "$T/stale.db"
q "$T/stale.db" 'UPDATE models SET shard_hash = 0'
"$MC_BIN" scan --quiet --shard 0/3 --db "$T/stale.db" "$M"/*/repo >/dev/null 2>&1
expect "a shard rescan over stale stored hashes marks no model of another shard gone" 36 \
	"$(q "$T/stale.db" 'SELECT count(*) FROM inventory')"
# and a model removed is marked gone by the shard that owns it
cp "$T/full.db" "$T/stale-tree.db"
q "$T/stale-tree.db" 'UPDATE models SET shard_hash = 0'
rm -rf "$R/cards/m1"
for k in 0 1 2; do
	"$MC_BIN" scan --quiet --shard "$k/3" --db "$T/stale-tree.db" "$R" >/dev/null 2>&1
done
expect "shard rescans mark exactly the removed model gone" "33|$R/cards/m1" \
	"$(q "$T/stale-tree.db" 'SELECT count(*) FROM inventory')|$(q "$T/stale-tree.db" 'SELECT path FROM models WHERE gone = 1')"

# the README's GNU parallel recipe, for real, over one-model roots
if command -v parallel >/dev/null 2>&1; then
	mkdir -p "$T/bin" "$T/par"
	ln -s "$MC_BIN" "$T/bin/modelcensus"
	(
		cd "$T/par" && PATH="$T/bin:$PATH" &&
		seq 0 7 | parallel modelcensus scan --quiet --shard {}/8 --db shard{}.db "$M"/*/repo &&
		modelcensus merge inventory.db shard*.db
	) >"$T/out" 2>&1
	expect "the GNU parallel recipe runs" 0 $?
	expect "and its merged shards equal one full scan" \
		"$(dump "$T/roots-full.db")" "$(dump "$T/par/inventory.db")"
else
	skip "the README's GNU parallel recipe" "GNU parallel is not installed (scripts/install-deps.sh --test installs it)"
fi
