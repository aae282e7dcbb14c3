#!/bin/sh
# t_restrictions.sh: restrictions of commercial use judged by meaning, sentence
# by sentence (issue 16), end to end: a LICENSE that is an Apache notice
# followed by paragraphs taking the checkpoints out of it, a card body that
# limits use to research, one that asks for a commercial license, a gate
# named by an extra_gated_* key other than _prompt and _fields; and plain
# MIT and Apache repositories (also the Apache terms followed by the
# filled-in notice without the appendix heading), which must stay allowed.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
L=$MC_LICENSES

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

col() { q "$DB" "SELECT $2 FROM inventory WHERE path = '$R/$1'"; }
verdict() { col "$1" "license || '|' || commercial_use || '|' || coalesce(review, '')"; }

# the real failure: an Apache-2.0 notice, then the weights taken out of it
mkcard "$R/carve-out" 'license: apache-2.0'
cat >"$R/carve-out/LICENSE.md" <<'EOF'
Copyright 2024 Example Labs

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.

## Model checkpoints

The checkpoint files distributed with this repository are proprietary to
Example Labs and are not covered by the license above. Redistribution or
commercial use of these files, in whole or in part, requires explicit
written permission from Example Labs.
EOF

# the same notice alone: allowed
mkcard "$R/notice-only" 'license: apache-2.0'
sed -n '1,13p' "$R/carve-out/LICENSE.md" >"$R/notice-only/LICENSE.md"

# card bodies
mkcard "$R/research-only" 'license: mit'
printf '\nThis model is for research purposes only.\n' >>"$R/research-only/README.md"
mkcard "$R/ask-us" 'license: apache-2.0'
printf '\nA small model.\n\nFor commercial use, please contact us for a commercial license.\n' \
	>>"$R/ask-us/README.md"
mkcard "$R/permissive-body" 'license: mit'
printf '\nCommercial use is permitted. There is no restriction on commercial use.\n' \
	>>"$R/permissive-body/README.md"

# a gate named only by extra_gated_heading
mkcard "$R/gated" 'license: apache-2.0' 'extra_gated_heading: Request access'

# plain MIT and Apache texts
if [ -f "$L/spdx/MIT.txt" ] && [ -f "$L/spdx/Apache-2.0.txt" ]; then
	mkcard "$R/plain-mit" 'license: mit'
	cp "$L/spdx/MIT.txt" "$R/plain-mit/LICENSE"
	mkcard "$R/plain-apache" 'license: apache-2.0'
	cp "$L/spdx/Apache-2.0.txt" "$R/plain-apache/LICENSE"
	# the terms, then the notice filled in without the appendix heading
	# (real LICENSE files): still plain; with the carve-out after it, not
	mkcard "$R/apache-notice" 'license: apache-2.0'
	{
		sed '/^END OF TERMS AND CONDITIONS/q' "$L/spdx/Apache-2.0.txt"
		echo
		sed -n '1,13p' "$R/carve-out/LICENSE.md"
	} >"$R/apache-notice/LICENSE"
	mkcard "$R/apache-notice-carve-out" 'license: apache-2.0'
	{
		cat "$R/apache-notice/LICENSE"
		sed -n '14,$p' "$R/carve-out/LICENSE.md"
	} >"$R/apache-notice-carve-out/LICENSE"
	have_texts=1
else
	have_texts=0
fi

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan exits 0" 0 $?

expect "Apache notice + 'requires explicit written permission' paragraph: not allowed, modified-text" \
	'apache-2.0|not-allowed|modified-text' "$(verdict carve-out)"
expect "the Apache notice alone stays allowed" 'apache-2.0|allowed|' "$(verdict notice-only)"
expect "card body 'for research purposes only' with license mit: not allowed" \
	'mit|not-allowed|card-body-restriction' "$(verdict research-only)"
expect "card body asking for a commercial license: conditional" \
	'apache-2.0|conditional|card-body-restriction' "$(verdict ask-us)"
expect "card body that permits commercial use stays allowed" 'mit|allowed|' "$(verdict permissive-body)"
expect "extra_gated_heading alone means gated" 'apache-2.0|allowed|gated' "$(verdict gated)"
if [ "$have_texts" = 1 ]; then
	expect "a plain MIT repository stays allowed" 'mit|allowed|' "$(verdict plain-mit)"
	expect "a plain Apache-2.0 repository stays allowed" 'apache-2.0|allowed|' "$(verdict plain-apache)"
	expect "Apache terms + filled-in notice without the appendix stay allowed" \
		'apache-2.0|allowed|' "$(verdict apache-notice)"
	expect "... with the carve-out paragraph after the notice: not allowed" \
		'apache-2.0|not-allowed|modified-text' "$(verdict apache-notice-carve-out)"
else
	skip "plain MIT and Apache repositories" "no reference texts in $L"
fi

# explain quotes the restricting sentences with their lines, and why
out=$("$MC_BIN" explain --db "$DB" "$R/carve-out" 2>&1)
expect_match "explain quotes the carve-out sentence with its line" \
	'line 18 "redistribution or commercial use of these files, in whole or in part, requires explicit written permission from example labs\." \(commercial use needs permission\)' \
	"$out"
out=$("$MC_BIN" explain --db "$DB" "$R/research-only" 2>&1)
expect_match "explain quotes the card body's sentence with its line" \
	'card body: line 7 "this model is for research purposes only\."' "$out"
expect_match "explain says the card body makes it never allowed" \
	'while commercial_use is allowed -> not-allowed, never allowed \(card-body-restriction\)' "$out"
out=$("$MC_BIN" explain --db "$DB" "$R/gated" 2>&1)
expect_match "explain names the other extra_gated_* keys" 'card is gated \(other extra_gated_\* keys\)' "$out"
