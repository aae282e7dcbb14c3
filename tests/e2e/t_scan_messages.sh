# t_scan_messages.sh: what a new user meets when scan cannot start or a
# repository cannot be read whole: `make scan` with no Hugging Face cache
# says it is the default and how to choose another root; every PATH is
# checked before any work (missing, unreadable, or a file that is not a
# .gguf model: exit 2 naming it, nothing scanned), a .gguf file PATH is a
# model; a blob missing from a repository is named, with its usual cause.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

# make scan with no Hugging Face cache: said before anything is built
out=$(cd "$T" && env -u HF_HUB_CACHE -u HF_HOME -u ROOT make -s -C "$SRC" scan 2>&1)
rc=$?
expect "make scan with no Hugging Face cache fails" 2 "$rc"
expect_match "and says the default root, home spelled ~" \
	"no Hugging Face cache at '~/\.cache/huggingface/hub' \(the default root of make scan\)" "$out"
expect_match "and how to choose another root" \
	'make scan ROOT=DIR, or set HF_HUB_CACHE or HF_HOME' "$out"
out=$(cd "$T" && env -u HF_HUB_CACHE -u ROOT HF_HOME="$T/hf" make -s -C "$SRC" scan 2>&1)
expect_match "with HF_HOME set, the root it names" "no Hugging Face cache at '$T/hf/hub'" "$out"

R=$T/root
mkcard "$R/m" 'license: apache-2.0'
printf 'GGUF\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$T/one.gguf"
echo notes >"$T/notes.txt"

# every PATH is checked before the scan starts
"$MC_BIN" scan --quiet --db "$T/a.db" "$R" "$T/missing" >/dev/null 2>"$T/err"
expect "a missing PATH exits 2" 2 $?
expect_match "naming it" "cannot read '$T/missing'" "$(cat "$T/err")"
expect "and nothing is scanned" no "$([ -e "$T/a.db" ] && echo yes || echo no)"

"$MC_BIN" scan --quiet --db "$T/b.db" "$R" "$T/notes.txt" >/dev/null 2>"$T/err"
expect "a file PATH that is not a .gguf model exits 2" 2 $?
expect_match "naming it" "'$T/notes.txt' is neither a folder nor a \.gguf file" "$(cat "$T/err")"
expect "before any work: no inventory written" no "$([ -e "$T/b.db" ] && echo yes || echo no)"

mkfifo "$T/fifo"
"$MC_BIN" scan --quiet --db "$T/c.db" "$T/fifo" >/dev/null 2>"$T/err"
expect "a PATH that is neither a folder nor a file exits 2" 2 $?
expect_match "naming it" "'$T/fifo' is neither a folder nor a \.gguf file" "$(cat "$T/err")"

if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$T/locked"
	chmod 000 "$T/locked"
	"$MC_BIN" scan --quiet --db "$T/d.db" "$R" "$T/locked" >/dev/null 2>"$T/err"
	expect "an unreadable PATH exits 2" 2 $?
	expect_match "naming it" "cannot read '$T/locked'" "$(cat "$T/err")"
	expect "before any work" no "$([ -e "$T/d.db" ] && echo yes || echo no)"
	chmod 755 "$T/locked"
else
	skip "an unreadable PATH exits 2" "root reads every folder"
fi

"$MC_BIN" scan --quiet --db "$T/e.db" "$T/one.gguf" "$R" >/dev/null 2>"$T/err"
expect "a .gguf file PATH is a model: exit 0" 0 $?
expect "and has its row" "$T/one.gguf|file" \
	"$(q "$T/e.db" "SELECT path, layout FROM inventory WHERE path = '$T/one.gguf'")"

# a blob missing from the object database (a partial clone): the file is named
mkcard "$T/src/partial" 'license: apache-2.0'
printf 'Apache License\n' >"$T/src/partial/LICENSE"
mkgit "$T/src/partial" https://huggingface.co/acme/partial
oid=$(git -C "$T/src/partial" rev-parse HEAD:LICENSE)
rm -f "$T/src/partial/.git/objects/$(echo "$oid" | cut -c1-2)/$(echo "$oid" | cut -c3-)"
"$MC_BIN" scan --quiet --db "$T/f.db" "$T/src/partial" >/dev/null 2>&1
err=$(q "$T/f.db" "SELECT error FROM inventory WHERE path = '$T/src/partial'")
expect_match "a missing blob is named by its file" "tree of HEAD [0-9a-f]+: cannot read the object of 'LICENSE' \($oid\)" "$err"
expect_match "with its usual cause" 'a partial or shallow clone, or a mirror fetched without some objects, is the usual cause' "$err"
