# t_hostile.sh: hostile repositories.  Each case builds a tree that holds
# one bad thing next to three good models (a card folder, a folder with an
# MIT LICENSE text, a git clone with a Hub remote), scans it under a time
# limit and asserts what a user relies on: the scan ends, exits 0, every
# good model is still recorded correctly, the bad model gets a row (with
# an error where one is right), nothing from outside the scanned root
# reaches the database, and the database passes PRAGMA integrity_check.
. "$(dirname "$0")/lib.sh"

# seconds one scan may take before it counts as hung
TMO=${MC_HOSTILE_TIMEOUT:-60}
# a string that exists only inside files outside the scanned roots
MARK=OUTSIDE-SECRET-$$-qv7zk
OUT=$T/outside
mkdir -p "$OUT" "$T/c"

mit_text() {
	cat <<'EOF'
MIT License

Copyright (c) 2024 Example Org

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
}

# files outside every scanned root: an MIT text and a card, both marked
{ mit_text; echo "$MARK"; } >"$OUT/LICENSE"
printf -- '---\nlicense: other\nlicense_name: %s\n---\n# %s\n' "$MARK" "$MARK" >"$OUT/README.md"

# the good models, copied into every case
G=$T/good
mkcard "$G/good-card" 'license: mit'
mkdir -p "$G/good-lic"
printf '{}' >"$G/good-lic/config.json"
mit_text >"$G/good-lic/LICENSE"
mkcard "$T/src/good" 'license: apache-2.0'
mkgit "$T/src/good"
git clone -q "$T/src/good" "$G/good-git"
git -C "$G/good-git" remote set-url origin https://huggingface.co/acme/good-git
GOOD_REV=$(git -C "$G/good-git" rev-parse HEAD)

# new_case NAME: a fresh root holding the good models; sets R and DB
new_case() {
	CASE=$1
	R=$T/c/$1
	DB=$T/c/$1.db
	mkdir -p "$R"
	cp -a "$G/good-card" "$G/good-lic" "$G/good-git" "$R/"
}

# peak memory of a scan, when GNU time is there to measure it
TIME=
[ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null && TIME=/usr/bin/time
MAX_KB=1048576

# scan [ARGS...]: scans $R into $DB under the time limit; sets RC, SECS, KB
scan() {
	t0=$(date +%s.%N)
	if [ -n "$TIME" ]; then
		timeout -s KILL "$TMO" $TIME -f %M -o "$R.rss" "$MC_BIN" scan --quiet --db "$DB" "$@" "$R" >"$R.out" 2>"$R.err"
	else
		timeout -s KILL "$TMO" "$MC_BIN" scan --quiet --db "$DB" "$@" "$R" >"$R.out" 2>"$R.err"
	fi
	RC=$?
	SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	KB=$(tail -n 1 "$R.rss" 2>/dev/null | grep -E '^[0-9]+$')
	echo "# $CASE: scan took ${SECS}s${KB:+, ${KB} KiB at peak}, exit $RC"
}

# row COLUMNS REL: the inventory row of the model at $R/REL
row() { q "$DB" "SELECT $1 FROM inventory WHERE path = '$R/$2'"; }

# common: what every case must keep, whatever the bad model is
common() {
	if [ "$RC" -eq 137 ]; then
		nok "$CASE: the scan ends within ${TMO}s" "killed after ${TMO}s; stderr: $(head -c 300 "$R.err")"
		return
	fi
	expect "$CASE: the scan exits 0" 0 "$RC"
	[ "$RC" -eq 0 ] || echo "#   stderr: $(head -c 500 "$R.err")"
	expect "$CASE: the good models are recorded correctly" \
"good-card|dir|||mit||mit|allowed|-
good-git|git|acme/good-git|$GOOD_REV|apache-2.0||apache-2.0|allowed|-
good-lic|dir||||mit|mit|allowed|-" \
		"$(q "$DB" "SELECT substr(path, length('$R/') + 1), layout, model_id, revision,
			declared_license, detected_license, license, commercial_use,
			coalesce(error, '-') FROM inventory
			WHERE path IN ('$R/good-card', '$R/good-lic', '$R/good-git') ORDER BY path")"
	expect "$CASE: the database is sound" ok "$(q "$DB" 'PRAGMA integrity_check')"
	if [ -n "$KB" ]; then
		if [ "$KB" -lt "$MAX_KB" ]; then ok "$CASE: the scan stays under 1 GiB of memory"
		else nok "$CASE: the scan stays under 1 GiB of memory" "peak: $KB KiB"; fi
	fi
}

# no_leak: the marker of the outside files is nowhere in the database
no_leak() {
	n=$( { cat "$DB" "$DB-wal" 2>/dev/null; sqlite3 "$DB" .dump; } | grep -ac -- "$MARK")
	expect "$CASE: nothing from outside the root reaches the database" 0 "$n"
}

# expect_error NAME REL PATTERN: the model's row exists and its error matches
expect_error() {
	e=$(q "$DB" "SELECT coalesce(error, '(no error)') FROM inventory WHERE path = '$R/$2'")
	if [ -z "$e" ]; then
		nok "$1" "no row for $R/$2"
	else
		expect_match "$1" "$3" "$e"
	fi
}

# ------------------------------------------------------------------ symlinks

new_case license-link-out
mkdir -p "$R/bad"
printf '{}' >"$R/bad/config.json"
ln -s "$OUT/LICENSE" "$R/bad/LICENSE"
ln -s ../../../outside/LICENSE "$R/bad/LICENSE.txt"
# a card whose license_link names a file that links out, or sits in a
# folder that links out
mkcard "$R/bad-link" 'license: other' 'license_name: custom' 'license_link: docs/TERMS.md'
mkdir -p "$R/bad-link/docs"
ln -s "$OUT/LICENSE" "$R/bad-link/docs/TERMS.md"
mkcard "$R/bad-linkdir" 'license: other' 'license_name: custom' 'license_link: docs/TERMS.md'
ln -s "$OUT" "$R/bad-linkdir/docs"
scan; common; no_leak
expect "$CASE: a LICENSE linking out of the root is not read" "dir||unknown" \
	"$(row 'layout, detected_license, license' bad)"
expect "$CASE: a license_link file linking out of the root is not read" "" \
	"$(row 'detected_license' bad-link)"
expect "$CASE: a license_link through a folder linking out is not read" "" \
	"$(row 'detected_license' bad-linkdir)"

new_case license-link-out-git
mkdir -p "$T/src/lgit"
printf '{}' >"$T/src/lgit/config.json"
ln -s "$OUT/LICENSE" "$T/src/lgit/LICENSE"
mkgit "$T/src/lgit"
git clone -q "$T/src/lgit" "$R/bad"
scan; common; no_leak
expect "$CASE: a LICENSE committed as a link out of the tree is not followed" "git||unknown" \
	"$(row 'layout, detected_license, license' bad)"

new_case license-link-out-cache
C=$R/hub/models--acme--evil
crev=0123456789abcdef0123456789abcdef01234567
mkdir -p "$C/blobs" "$C/refs" "$C/snapshots/$crev"
printf -- '---\nlicense: mit\n---\n' >"$C/blobs/aaaa"
ln -s ../../blobs/aaaa "$C/snapshots/$crev/README.md"
ln -s ../../../../../../outside/LICENSE "$C/snapshots/$crev/LICENSE"
printf '%s' "$crev" >"$C/refs/main"
# refs/main that climbs out of snapshots/
C2=$R/hub/models--acme--climb
mkdir -p "$C2/blobs" "$C2/refs" "$C2/snapshots"
printf '../../../../../outside' >"$C2/refs/main"
scan; common; no_leak
expect "$CASE: a refs/main climbing out of snapshots/ gets a row" 1 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path = '$C2'")"
expect "$CASE: a cache snapshot link out of blobs/ is not read" "hf-cache|acme/evil|mit|" \
	"$(row 'layout, model_id, declared_license, detected_license' hub/models--acme--evil)"

new_case readme-link-out
mkdir -p "$R/bad"
printf '{}' >"$R/bad/config.json"
ln -s "$OUT/README.md" "$R/bad/README.md"
scan; common; no_leak
expect "$CASE: a README linking out of the root is not read" "dir||unknown" \
	"$(row 'layout, declared_license, license' bad)"

new_case symlink-loop
mkcard "$R/loop/inner/m" 'license: mit'
ln -s .. "$R/loop/inner/up"
ln -s . "$R/loop/self"
ln -s "$R" "$R/loop/root"
ln -s a "$R/loop/b"
ln -s b "$R/loop/a"
scan; common
expect "$CASE: a model inside a symlink loop is recorded once" 1 \
	"$(q "$DB" "SELECT count(*) FROM models WHERE path LIKE '%/m'")"
expect "$CASE: and nothing else is recorded" 4 "$(q "$DB" 'SELECT count(*) FROM models')"

new_case special-files
mkdir -p "$R/fifo-license" "$R/fifo-card" "$R/dir-license"
mkfifo "$R/fifo-license/LICENSE"
printf '{}' >"$R/fifo-license/config.json"
mkfifo "$R/fifo-card/README.md"
printf '{}' >"$R/fifo-card/config.json"
mkdir -p "$R/dir-license/LICENSE"
mit_text >"$R/dir-license/LICENSE/inner"
printf '{}' >"$R/dir-license/config.json"
scan; common
expect "$CASE: folders with a FIFO LICENSE, a FIFO card, a LICENSE folder get rows" 3 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path IN ('$R/fifo-license', '$R/fifo-card', '$R/dir-license')")"

# ------------------------------------------------------------------ names

new_case deep-tree
d=$R
i=0
while [ $i -lt 120 ]; do d=$d/level-$i; i=$((i + 1)); done
mkcard "$d" 'license: mit'
scan; common
expect "$CASE: a model 120 levels down is found" "dir|mit" \
	"$(q "$DB" "SELECT layout, declared_license FROM inventory WHERE path = '$d'")"

new_case odd-names
nl='
'
bad=$(printf 'bad%sname\377x' "$nl")
mkcard "$R/$bad" 'license: mit'
mkcard "$R/quote'and\"tab	name" 'license: mit'
scan; common
expect "$CASE: folders named with a newline, invalid UTF-8, quotes and tabs are recorded" "2" \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path NOT LIKE '%/good-%' AND declared_license = 'mit'")"
"$MC_BIN" report --db "$DB" --format json >"$R.json" 2>"$R.rerr"
expect "$CASE: report --format json exits 0" 0 $?
expect "$CASE: report --format json is valid JSON with every model" "1|5" \
	"$(sqlite3 :memory: "SELECT json_valid(readfile('$R.json')), json_array_length(readfile('$R.json'))")"
"$MC_BIN" report --db "$DB" --format csv >"$R.csv" 2>&1
expect "$CASE: report --format csv exits 0" 0 $?
"$MC_BIN" report --db "$DB" >"$R.table" 2>&1
expect "$CASE: report as a table exits 0" 0 $?

# ------------------------------------------------------------------ cards

new_case alias-bomb
bomb() {
	echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
	p=a
	for n in b c d e f g h i; do
		echo "$n: &$n [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"
		p=$n
	done
}
mkdir -p "$R/bomb-license" "$R/bomb-other"
{ echo '---'; bomb; echo 'license: *i'; echo '---'; } >"$R/bomb-license/README.md"
{ echo '---'; echo 'license: mit'; bomb; echo 'tags: *i'; echo 'extra: *i'; echo '---'; } \
	>"$R/bomb-other/README.md"
printf '{}' | tee "$R/bomb-license/config.json" >"$R/bomb-other/config.json"
scan; common
expect_error "$CASE: a billion-laughs license value gets a row with an error" bomb-license 'alias'
expect "$CASE: a card with a billion-laughs key elsewhere gets a row" 1 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path = '$R/bomb-other'")"

new_case deep-nesting
mkdir -p "$R/brackets" "$R/braces" "$R/blocks"
{ printf -- '---\nlicense: '; head -c 100000 /dev/zero | tr '\0' '['; printf '\n---\n'; } \
	>"$R/brackets/README.md"
{ printf -- '---\nlicense: mit\nx: '; head -c 100000 /dev/zero | tr '\0' '{'; printf '\n---\n'; } \
	>"$R/braces/README.md"
{ echo '---'; i=0; ind=''; while [ $i -lt 200 ]; do echo "${ind}k$i:"; ind="$ind "; i=$((i + 1)); done; echo '---'; } \
	>"$R/blocks/README.md"
for m in brackets braces blocks; do printf '{}' >"$R/$m/config.json"; done
scan; common
expect_error "$CASE: 100,000 nested [ get a row with an error" brackets 'nest|deep|depth'
expect_error "$CASE: 100,000 nested { get a row with an error" braces 'nest|deep|depth'
expect "$CASE: 200 nested block mappings get a row" 1 \
	"$(q "$DB" "SELECT count(*) FROM inventory WHERE path = '$R/blocks'")"

new_case odd-cards
mkdir -p "$R/unterminated" "$R/empty" "$R/empty-fm" "$R/only-dashes"
printf -- '---\nlicense: mit\nbase_model: acme/x\n\n# Model\n\nSome text.\n' >"$R/unterminated/README.md"
: >"$R/empty/README.md"
printf -- '---\n---\n' >"$R/empty-fm/README.md"
printf -- '---' >"$R/only-dashes/README.md"
for m in unterminated empty empty-fm only-dashes; do printf '{}' >"$R/$m/config.json"; done
scan; common
expect_error "$CASE: an unterminated front matter gets a row that says so" unterminated 'front matter'
expect "$CASE: empty cards give rows with an unknown license" \
	"unknown|unknown
unknown|unknown
unknown|unknown" \
	"$(q "$DB" "SELECT license, commercial_use FROM inventory
		WHERE path IN ('$R/empty', '$R/empty-fm', '$R/only-dashes')")"

new_case huge-card
mkdir -p "$R/big"
{ printf -- '---\nlicense: mit\n---\n'; yes 'This model card line repeats to make a fifty megabyte card.' |
	head -c 50000000; } >"$R/big/README.md"
scan; common
expect_match "$CASE: a 50 MB card is recorded as too large" 'too large' \
	"$(q "$DB" "SELECT coalesce(e.note, '') || ' ' || coalesce(m.error, '') FROM models m
		LEFT JOIN evidence e ON e.model = m.id WHERE m.path = '$R/big'")"

# ------------------------------------------------------------------ license files

new_case odd-licenses
mkdir -p "$R/binary" "$R/nul-mit" "$R/latin1" "$R/sparse"
awk 'BEGIN { for (i = 0; i < 65536; i++) printf "%c", (i * 7919) % 256 }' >"$R/binary/LICENSE"
{ printf 'Header \000\000 with NUL and \377\376\200 bytes\n\n'; mit_text; printf '\n\000\377\n'; } \
	>"$R/nul-mit/LICENSE"
{ printf 'Licen\347a \351 \351l\351gante\n\n'; mit_text; } >"$R/latin1/LICENSE.txt"
truncate -s 4G "$R/sparse/LICENSE"
for m in binary nul-mit latin1 sparse; do printf '{}' >"$R/$m/config.json"; done
scan; common
expect "$CASE: a binary LICENSE gets a row, nothing identified" "unknown|unknown" \
	"$(row 'license, commercial_use' binary)"
expect "$CASE: an MIT text after NUL and invalid UTF-8 bytes is still identified" "mit" \
	"$(row 'detected_license' nul-mit)"
expect "$CASE: an MIT text in Latin-1 is still identified" "mit" \
	"$(row 'detected_license' latin1)"
expect_match "$CASE: a 4 GiB sparse LICENSE is recorded as too large, with its size" \
	'^4294967296\|.*too large' \
	"$(q "$DB" "SELECT e.size, coalesce(e.note, '') FROM models m JOIN evidence e ON e.model = m.id
		WHERE m.path = '$R/sparse' AND e.name = 'LICENSE'")"

# ------------------------------------------------------------------ git

new_case git-broken
git init -q "$R/no-commits"
git clone -q "$T/src/good" "$R/missing-branch"
git -C "$R/missing-branch" symbolic-ref HEAD refs/heads/nope
# a corrupt loose blob (the card) and a corrupt loose commit
mkcard "$T/src/blob" 'license: mit'
mkgit "$T/src/blob"
cp -a "$T/src/blob" "$R/corrupt-blob"
cp -a "$T/src/blob" "$R/corrupt-commit"
blob=$(git -C "$R/corrupt-blob" rev-parse HEAD:README.md)
o=$R/corrupt-blob/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)
chmod u+w "$o" && printf 'this is not a zlib stream at all' >"$o"
commit=$(git -C "$R/corrupt-commit" rev-parse HEAD)
o=$R/corrupt-commit/.git/objects/$(echo "$commit" | cut -c1-2)/$(echo "$commit" | cut -c3-)
chmod u+w "$o" && head -c 200 /dev/zero >"$o"
# a truncated pack
cp -a "$T/src/blob" "$R/truncated-pack"
git -C "$R/truncated-pack" repack -a -d -q
pack=$(ls "$R"/truncated-pack/.git/objects/pack/*.pack)
chmod u+w "$pack"
truncate -s "$(($(wc -c <"$pack") / 2))" "$pack"
# a .git file pointing nowhere
mkdir -p "$R/gitfile-nowhere"
echo 'gitdir: /nonexistent/modelcensus-test' >"$R/gitfile-nowhere/.git"
# objects/ that cannot be read: as root chmod 000 does not bite, so objects
# is a plain file there instead
cp -a "$T/src/blob" "$R/unreadable-objects"
if [ "$(id -u)" -eq 0 ]; then
	rm -rf "$R/unreadable-objects/.git/objects"
	echo 'not a directory' >"$R/unreadable-objects/.git/objects"
else
	chmod 000 "$R/unreadable-objects/.git/objects"
fi
# a shallow clone reads fine
printf 'v2\n' >>"$T/src/blob/README.md"
git -C "$T/src/blob" commit -qam second
git clone -q --depth 1 "file://$T/src/blob" "$R/shallow"
git -C "$R/shallow" remote set-url origin https://huggingface.co/acme/shallow
shallow_rev=$(git -C "$T/src/blob" rev-parse HEAD)
scan; common
expect_error "$CASE: a repository with no commits has an error" no-commits 'no commits'
expect_error "$CASE: HEAD on a missing branch has an error" missing-branch 'nope'
expect_error "$CASE: a corrupt loose blob (the card) has an error" corrupt-blob 'README|object|corrupt|zlib|inflat'
expect_error "$CASE: a corrupt loose commit has an error" corrupt-commit 'object|corrupt|commit|inflat|zlib'
expect_error "$CASE: a truncated pack has an error" truncated-pack 'pack|object|corrupt|HEAD commit'
expect_error "$CASE: a .git file pointing nowhere has an error" gitfile-nowhere 'nonexistent|gitdir|repository'
expect_error "$CASE: a repository whose objects cannot be read has an error" unreadable-objects 'object|repository|director'
[ "$(id -u)" -eq 0 ] && skip "$CASE: chmod 000 objects/" "tests run as root, where permissions do not bite: objects/ is a plain file instead"
expect "$CASE: a shallow clone reads fine" "git|acme/shallow|$shallow_rev|mit|" \
	"$(row 'layout, model_id, revision, declared_license, error' shallow)"
expect "$CASE: each broken repository has exactly one row" 11 "$(q "$DB" 'SELECT count(*) FROM inventory')"
[ -d "$R/unreadable-objects/.git/objects" ] && chmod 755 "$R/unreadable-objects/.git/objects"

# ------------------------------------------------------------------ checkpoints

# le64 N: N as 8 little-endian bytes (octal escapes for printf)
le64() {
	awk -v n="$1" 'BEGIN {
		# n is given as a decimal string; split into two 32-bit halves
		hi = 0; lo = 0
		for (i = 1; i <= length(n); i++) {
			d = substr(n, i, 1) + 0
			lo = lo * 10 + d; c = int(lo / 4294967296); lo -= c * 4294967296
			hi = hi * 10 + c
		}
		for (i = 0; i < 4; i++) { printf "\\%03o", lo % 256; lo = int(lo / 256) }
		for (i = 0; i < 4; i++) { printf "\\%03o", hi % 256; hi = int(hi / 256) }
	}'
}
le32() { awk -v n="$1" 'BEGIN { for (i = 0; i < 4; i++) { printf "\\%03o", n % 256; n = int(n / 256) } }'; }
# gguf_str S: a GGUF string (u64 length, bytes)
gguf_str() { printf "$(le64 ${#1})%s" "$1"; }

new_case checkpoints
mkdir -p "$R/gguf"
# kv count 2^60 with one real pair after it
{ printf 'GGUF'; printf "$(le32 3)$(le64 0)$(le64 1152921504606846976)"
  gguf_str general.license; printf "$(le32 8)"; gguf_str mit; } >"$R/gguf/kv-count.gguf"
# a key whose length is 2^63
{ printf 'GGUF'; printf "$(le32 3)$(le64 0)$(le64 1)$(le64 9223372036854775808)"; printf 'general.license'; } \
	>"$R/gguf/key-length.gguf"
# a string value whose length is 2^63
{ printf 'GGUF'; printf "$(le32 3)$(le64 0)$(le64 1)"; gguf_str general.license
  printf "$(le32 8)$(le64 9223372036854775808)mit"; } >"$R/gguf/value-length.gguf"
# an array whose count is 2^60
{ printf 'GGUF'; printf "$(le32 3)$(le64 0)$(le64 1)"; gguf_str general.tags
  printf "$(le32 9)$(le32 8)$(le64 1152921504606846976)"; gguf_str x; } >"$R/gguf/array-count.gguf"
# tensor count 2^62
{ printf 'GGUF'; printf "$(le32 3)$(le64 4611686018427387904)$(le64 0)"; } >"$R/gguf/tensor-count.gguf"
# safetensors: header length 2^63; header length larger than the file
mkdir -p "$R/st-huge" "$R/st-short" "$R/st-garbage"
{ printf "$(le64 9223372036854775808)"; printf '{"__metadata__":{"license":"mit"}}'; } \
	>"$R/st-huge/model.safetensors"
{ printf "$(le64 1000000)"; printf '{"__metadata__":{"license":"mit"}}'; } \
	>"$R/st-short/model.safetensors"
{ printf "$(le64 16)"; printf '{"a":[[[[[[[[[[['; } >"$R/st-garbage/model.safetensors"
scan; common
for f in kv-count key-length value-length array-count tensor-count; do
	expect_error "$CASE: a GGUF header that lies ($f) gets a row with an error" "gguf/$f.gguf" 'gguf|header|length|count|truncat|end of file|too'
done
for m in st-huge st-short st-garbage; do
	expect_match "$CASE: a safetensors header that lies ($m) gets a row with an error" 'safetensors|header|length|truncat|too' \
		"$(q "$DB" "SELECT coalesce(m.error, '') || ' | ' || coalesce(w.error, '') FROM models m
			LEFT JOIN weights w ON w.model = m.id WHERE m.path = '$R/$m' AND m.gone = 0")"
done

# ------------------------------------------------------------------ rules

new_case backtracking-rule
mkdir -p "$T/evil-rules" "$R/victim"
cat >"$T/evil-rules/evil.yaml" <<'EOF'
id: evil-backtrack
name: Evil backtracking rule
spdx: LicenseRef-evil-backtrack
commercial: unknown
match:
  all:
    - '(a+)+$'
examples:
  positive:
    - aaaa
EOF
printf '{}' >"$R/victim/config.json"
{ head -c 30000 /dev/zero | tr '\0' a; echo b; } >"$R/victim/LICENSE"
# the same line after an MIT text: the other rules still identify it
mkdir -p "$R/victim-mit"
printf '{}' >"$R/victim-mit/config.json"
{ mit_text; echo; head -c 30000 /dev/zero | tr '\0' a; echo b; } >"$R/victim-mit/LICENSE"
scan --rules "$T/evil-rules"; common
expect_match "$CASE: the runaway rule is named on stderr or in the row's error" 'evil-backtrack' \
	"$(cat "$R.err"; row "coalesce(error, '')" victim)"
expect "$CASE: the other rules still identify the MIT text before the runaway line" mit \
	"$(row detected_license victim-mit)"
t0=$(date +%s)
timeout -s KILL "$TMO" "$MC_BIN" identify --rules "$T/evil-rules" "$R/victim/LICENSE" >"$R.iout" 2>"$R.ierr"
rc=$?
expect "$CASE: identify with the runaway rule fails with exit 3" 3 "$rc"
expect_match "$CASE: and names the rule and the pattern" "evil-backtrack.*\\(a\\+\\)\\+\\$" "$(cat "$R.ierr")"
echo "# $CASE: identify took $(($(date +%s) - t0))s"
