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
