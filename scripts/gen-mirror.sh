#!/bin/sh
# gen-mirror.sh: a synthetic mirror of model repositories for the verdict
# benchmark (scripts/verdict-accuracy.sh), built from the reference license
# texts in ../shared/licenses (or $MC_SHARED/licenses), with the verdict each
# model must get.
#
#   scripts/gen-mirror.sh OUTDIR
#
# Every combination of a card value and a license file:
#   card     each Hub license id (hub-license-ids.tsv, `other` and `unknown`
#            aside); `license: other` + `license_name:` for each slug with a
#            text and no Hub id, for the aliases docs/verdicts.md names, and for a
#            name nobody knows; `license: other` alone; no license key; no
#            card; the placeholders `[More Information Needed]`, `unknown`,
#            `license`
#   files    none; each reference text of the table below as LICENSE, as
#            shipped and hard-wrapped at 76 columns; each Llama license with
#            its USE_POLICY.md; a text no rule can know; permissive texts
#            (as shipped and wrapped) with a non-commercial clause added
#            (appended or inserted), with a sentence putting the weights
#            under another license (the file then holds both), or with
#            another clause added; MIT with a long copyright header and a
#            short trailing notice (not modified)
# as plain folders OUTDIR/models/c=CARD,l=FILES (each with a config.json),
# and a few of them again as git work trees (OUTDIR/git) and bare mirrors
# (OUTDIR/bare) whose origin is a Hub URL.  The files are hard links to one
# copy of each text.  OUTDIR/table.tsv is the table below, OUTDIR/plan.tsv
# the combinations (path, card value, file variant, expectation).
#
# OUTDIR/expected.tsv: path (relative to OUTDIR), expected license,
# expected commercial_use, one line per model, no header.  The expectation
# comes from the table below (license id -> commercial_use class, family)
# written from docs/verdicts.md and the license texts themselves,
# never from rules/ or the tool's output, and from docs/verdicts.md's combining
# rules: the license is every recognised id (card, files), sorted and joined
# with " AND ", a card family id refined by a member the file holds;
# commercial_use is the most restrictive (not-allowed > conditional >
# allowed); a file with added terms is never allowed (not-allowed when they
# restrict commerce); with nothing recognised the license is the card's
# unknown license_name, else `unknown`, and commercial_use `unknown`.
# Judgement calls, for a reviewer: a family id alone is its most
# restrictive member (`cc` is not-allowed); the LGPL-3.0 text, which carries
# the GPL-3.0 it supplements, is lgpl-3.0 alone (as a license and its use
# policy are one license); the "Own reading" classes below the table.
#
# Exit status: 0 done; 2 usage error; 3 the reference data is missing.
set -eu
export LC_ALL=C

usage() { echo "usage: scripts/gen-mirror.sh OUTDIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
case $1 in -*) usage ;; esac
out=$1
here=$(cd "$(dirname "$0")" && pwd)
shared=${MC_SHARED:-$(cd "$here/../.." && pwd)/shared}
L=$shared/licenses
hubids=$shared/spec/hub-license-ids.tsv
if [ ! -d "$L/spdx" ] || [ ! -d "$L/ai" ] || [ ! -f "$hubids" ]; then
	echo "gen-mirror: reference data not found under '$shared' (set MC_SHARED)" >&2
	exit 3
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
	echo "gen-mirror: '$out' exists and is not empty" >&2
	exit 2
fi
mkdir -p "$out/texts/cards" "$out/texts/files" "$out/models"
out=$(cd "$out" && pwd)
W=$out/texts

# ---- the table: id, commercial_use class, family, reference text(s) -------
# Classes as docs/verdicts.md's commercial_use table gives them; for ids it does
# not list, from the license's own terms by the table's definitions (listed
# under "Own reading" after it).  A family id (bsd, cc, gpl, lgpl, gfdl,
# openrail) alone counts as its most restrictive member: `cc` can be cc-by-nc.
# Texts are paths under licenses/, "-" when there is none.
cat >"$W/table.tsv" <<'EOF'
mit	allowed	-	spdx/MIT.txt
apache-2.0	allowed	-	spdx/Apache-2.0.txt
bsd	allowed	-	-
bsd-2-clause	allowed	bsd	spdx/BSD-2-Clause.txt
bsd-3-clause	allowed	bsd	spdx/BSD-3-Clause.txt
bsd-3-clause-clear	allowed	bsd	spdx/BSD-3-Clause-Clear.txt
isc	allowed	-	spdx/ISC.txt
zlib	allowed	-	spdx/Zlib.txt
unlicense	allowed	-	spdx/Unlicense.txt
cc	not-allowed	-	-
cc0-1.0	allowed	cc	spdx/CC0-1.0.txt
cc-by-2.0	allowed	cc	spdx/CC-BY-2.0.txt
cc-by-2.5	allowed	cc	spdx/CC-BY-2.5.txt
cc-by-3.0	allowed	cc	spdx/CC-BY-3.0.txt
cc-by-4.0	allowed	cc	spdx/CC-BY-4.0.txt
wtfpl	allowed	-	spdx/WTFPL.txt
bsl-1.0	allowed	-	spdx/BSL-1.0.txt
afl-3.0	allowed	-	spdx/AFL-3.0.txt
postgresql	allowed	-	spdx/PostgreSQL.txt
pddl	allowed	-	spdx/PDDL-1.0.txt
odc-by	allowed	-	spdx/ODC-By-1.0.txt
cdla-permissive-1.0	allowed	-	spdx/CDLA-Permissive-1.0.txt
cdla-permissive-2.0	allowed	-	spdx/CDLA-Permissive-2.0.txt
ecl-2.0	allowed	-	spdx/ECL-2.0.txt
etalab-2.0	allowed	-	spdx/etalab-2.0.txt
ncsa	allowed	-	spdx/NCSA.txt
openmdw-1.0	allowed	-	spdx/OpenMDW-1.0.txt
openmdw-1.1	allowed	-	-
apple-ascl	allowed	-	ai/apple-ascl.txt
gpl	conditional	-	-
gpl-2.0	conditional	gpl	spdx/GPL-2.0-only.txt
gpl-3.0	conditional	gpl	spdx/GPL-3.0-only.txt
lgpl	conditional	-	-
lgpl-2.1	conditional	lgpl	spdx/LGPL-2.1-only.txt
lgpl-3.0	conditional	lgpl	spdx/LGPL-3.0-only.txt
lgpl-lr	conditional	-	spdx/LGPLLR.txt
agpl-3.0	conditional	-	spdx/AGPL-3.0-only.txt
gfdl	conditional	-	-
mpl-2.0	conditional	-	spdx/MPL-2.0.txt
epl-1.0	conditional	-	spdx/EPL-1.0.txt
epl-2.0	conditional	-	spdx/EPL-2.0.txt
eupl-1.1	conditional	-	spdx/EUPL-1.1.txt
eupl-1.2	conditional	-	spdx/EUPL-1.2.txt
osl-3.0	conditional	-	spdx/OSL-3.0.txt
cc-by-sa-3.0	conditional	cc	spdx/CC-BY-SA-3.0.txt
cc-by-sa-4.0	conditional	cc	spdx/CC-BY-SA-4.0.txt
cc-by-nd-4.0	conditional	cc	spdx/CC-BY-ND-4.0.txt
odbl	conditional	-	spdx/ODbL-1.0.txt
cdla-sharing-1.0	conditional	-	spdx/CDLA-Sharing-1.0.txt
artistic-2.0	conditional	-	spdx/Artistic-2.0.txt
lppl-1.3c	conditional	-	spdx/LPPL-1.3c.txt
ms-pl	conditional	-	spdx/MS-PL.txt
ofl-1.1	conditional	-	spdx/OFL-1.1.txt
c-uda	conditional	-	spdx/C-UDA-1.0.txt
openrail	conditional	-	-
creativeml-openrail-m	conditional	openrail	ai/creativeml-openrail-m.txt
openrail++	conditional	openrail	ai/openrail++.txt,ai/openrail++-sd2.txt
bigscience-openrail-m	conditional	openrail	-
bigscience-bloom-rail-1.0	conditional	openrail	ai/bigscience-bloom-rail-1.0.txt
bigcode-openrail-m	conditional	openrail	-
deepseek	conditional	-	ai/deepseek.txt
gemma	conditional	-	ai/gemma.txt
llama2	conditional	-	ai/llama2.txt
llama3	conditional	-	ai/llama3.txt
llama3.1	conditional	-	ai/llama3.1.txt
llama3.2	conditional	-	ai/llama3.2.txt
llama3.3	conditional	-	ai/llama3.3.txt
llama4	conditional	-	ai/llama4.txt
qwen	conditional	-	ai/qwen.txt
stabilityai-community	conditional	-	ai/stabilityai-community.txt
nvidia-open-model-license	conditional	-	ai/nvidia-open-model-license.txt
tii-falcon-llm	conditional	-	ai/tii-falcon-llm.txt
tii-falcon-180b	conditional	-	ai/tii-falcon-180b.txt
grok2-community	conditional	-	-
cc-by-nc-2.0	not-allowed	cc	spdx/CC-BY-NC-2.0.txt
cc-by-nc-3.0	not-allowed	cc	spdx/CC-BY-NC-3.0.txt
cc-by-nc-4.0	not-allowed	cc	spdx/CC-BY-NC-4.0.txt
cc-by-nc-nd-3.0	not-allowed	cc	spdx/CC-BY-NC-ND-3.0.txt
cc-by-nc-nd-4.0	not-allowed	cc	spdx/CC-BY-NC-ND-4.0.txt
cc-by-nc-sa-2.0	not-allowed	cc	spdx/CC-BY-NC-SA-2.0.txt
cc-by-nc-sa-3.0	not-allowed	cc	spdx/CC-BY-NC-SA-3.0.txt
cc-by-nc-sa-4.0	not-allowed	cc	spdx/CC-BY-NC-SA-4.0.txt
qwen-research	not-allowed	-	ai/qwen-research.txt
stabilityai-nc-research	not-allowed	-	ai/stabilityai-nc-research.txt
stabilityai-nc-community	not-allowed	-	ai/stabilityai-nc-community.txt
stabilityai-svd-nc-community	not-allowed	-	ai/stabilityai-svd-nc-community.txt
sdxl0.9-research	not-allowed	-	ai/sdxl0.9-research.txt
deepfloyd-if-license	not-allowed	-	ai/deepfloyd-if-license.txt
apple-amlr	not-allowed	-	ai/apple-amlr.txt
fair-noncommercial-research-license	not-allowed	-	ai/fair-noncommercial-research-license.txt
nvidia-source-code-license-nc	not-allowed	-	ai/nvidia-source-code-license-nc.txt
h-research	not-allowed	-	-
intel-research	not-allowed	-	-
EOF
# Own reading (not in docs/verdicts.md's table): ecl-2.0, etalab-2.0, ncsa,
# openmdw-*, apple-ascl permit with notice/attribution (allowed);
# artistic-2.0 and lppl-1.3c (modified versions renamed or documented),
# ms-pl (source under the same license), ofl-1.1 (copyleft, no standalone
# sale), c-uda (data passed on under the same terms), lgpl-lr (copyleft),
# grok2-community (use restrictions) are conditional; stabilityai-nc-*,
# sdxl0.9-research, h-research, intel-research are non-commercial or
# research-only (not-allowed).

# `license: other` + license_name spellings docs/verdicts.md gives as aliases
cat >"$W/aliases.tsv" <<'EOF'
stabilityai-ai-community	stabilityai-community
tongyi-qianwen-research	qwen-research
gemma-terms-of-use	gemma
llama-2-community-license	llama2
EOF

# every Hub id but the placeholders must be in the table
missing=$(awk -F'\t' 'NR == FNR { t[$1] = 1; next }
	FNR > 1 && $1 != "other" && $1 != "unknown" && !($1 in t) { printf " %s", $1 }' \
	"$W/table.tsv" "$hubids")
if [ -n "$missing" ]; then
	echo "gen-mirror: Hub ids missing from the table:$missing" >&2
	exit 3
fi

# wrap76 < TEXT: hard-wrap every line longer than 76 columns at spaces,
# keeping its indentation; a word is never split, a line never ends in a
# hyphen and never starts with a token that reads as a list or heading mark
# (a careful editor's fill, not an artefact the normaliser has to undo)
wrap76() {
	awk -v W=76 '
	function mark(t) { return t ~ /^([-*+>#]+|[0-9][0-9]?[0-9]?[.)])$/ }
	length($0) <= W { print; next }
	{
		match($0, /^[ \t]*/)
		ind = substr($0, 1, RLENGTH)
		n = split(substr($0, RLENGTH + 1), w, / +/)
		line = ""
		for (i = 1; i <= n; i++) {
			if (w[i] == "")
				continue
			if (line == "") { line = ind w[i]; continue }
			if (length(line) + 1 + length(w[i]) > W && line !~ /-$/ && !mark(w[i])) {
				print line
				line = ind w[i]
			} else
				line = line " " w[i]
		}
		if (line != "")
			print line
	}'
}

# ---- license file variants: key, kind, ids, files --------------------------
# kind: text (the ids are the file's licenses), none, unrec (no rule can
# know it), modna (ids + added terms restricting commerce: not-allowed),
# modcond (ids + other added terms: conditional at least)
V=$W/variants.tsv
: >"$V"
# variant KEY KIND IDS: registers $W/files/KEY (already filled)
variant() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$V"; }

mkdir -p "$W/files/none"
variant none none -
while IFS='	' read -r id _ _ texts; do
	[ "$texts" = - ] && continue
	n=0
	for t in $(echo "$texts" | tr ',' ' '); do
		n=$((n + 1))
		k=$id
		[ $n -gt 1 ] && k=$id~$n
		mkdir -p "$W/files/$k" "$W/files/$k@76"
		cp "$L/$t" "$W/files/$k/LICENSE"
		wrap76 <"$L/$t" >"$W/files/$k@76/LICENSE"
		variant "$k" text "$id"
		variant "$k@76" text "$id"
	done
done <"$W/table.tsv"
for v in 2 3 3.1 3.2 3.3 4; do
	k=llama$v+policy
	mkdir -p "$W/files/$k"
	cp "$L/ai/llama$v.txt" "$W/files/$k/LICENSE"
	cp "$L/ai/llama$v-aup.txt" "$W/files/$k/USE_POLICY.md"
	variant "$k" text "llama$v"
done
mkdir -p "$W/files/unrec"
cat >"$W/files/unrec/LICENSE" <<'EOF'
Acme Model Terms, version 3

1. Acme grants you the right to download the model and run it on computers
   you control.
2. Acme may change these terms by publishing new terms on its web site; the
   new terms apply from the day they are published.
3. These terms are governed by the laws of the Republic of Examplestan, and
   its courts alone hear any dispute about them.
EOF
variant unrec unrec -
# modified permissive texts
mod() { # KEY KIND ID SOURCE-TEXT PARAGRAPH [PARAGRAPH-STARTING-BEFORE]
	mkdir -p "$W/files/$1"
	if [ $# -ge 6 ]; then
		# the paragraph goes in as a paragraph of its own, before the
		# first line that starts with the given words
		awk -v before="$6" -v p="$5" '!done && index($0, before) == 1 { print p; print ""; done = 1 } { print }' \
			"$L/$4" >"$W/files/$1/LICENSE"
		grep -qxF "$5" "$W/files/$1/LICENSE" || {
			echo "gen-mirror: '$6' not found in $4" >&2
			exit 3
		}
	else
		{ cat "$L/$4"; printf '\n%s\n' "$5"; } >"$W/files/$1/LICENSE"
	fi
	variant "$1" "$2" "$3"
	mkdir -p "$W/files/$1@76"
	wrap76 <"$W/files/$1/LICENSE" >"$W/files/$1@76/LICENSE"
	variant "$1@76" "$2" "$3"
}
mod mit+nc modna mit spdx/MIT.txt \
	'The Software, including the model weights, may be used for non-commercial purposes only. Any commercial use requires a separate written license from the copyright holders.'
mod mit+nc-inside modna mit spdx/MIT.txt \
	'Notwithstanding the above, the Software may be used for research purposes only.' \
	'The above copyright notice'
mod apache+nc-inside modna apache-2.0 spdx/Apache-2.0.txt \
	'Notwithstanding the above, the Work and the model weights may only be used for non-commercial purposes.' \
	'END OF TERMS AND CONDITIONS'
mod apache+research modna apache-2.0 spdx/Apache-2.0.txt \
	'ADDITIONAL TERMS FOR THE MODEL WEIGHTS: notwithstanding the License above, the model weights are provided for research purposes only and may not be used on platforms that generate revenue.'
mod bsd3+revenue modna bsd-3-clause spdx/BSD-3-Clause.txt \
	'4. The model weights may not be used on platforms that generate revenue, nor in any product or service that is sold.'
mod isc+prohibited modna isc spdx/ISC.txt \
	'Commercial use of this software and of the model weights is prohibited without the prior written consent of the authors.'
mod mit+may-not modna mit spdx/MIT.txt \
	'You may not use the model weights for commercial purposes.'
# a short sentence naming the weights' own license: the file holds both
mod mit+nc-named text mit,cc-by-nc-4.0 spdx/MIT.txt \
	'The model weights are released under the CC BY-NC 4.0 license.'
mod mit+llama-named text mit,llama2 spdx/MIT.txt \
	'The model weights are subject to the Llama 2 Community License Agreement.'
mod apache+nc-named text apache-2.0,cc-by-nc-4.0 spdx/Apache-2.0.txt \
	'The model weights are licensed under the Creative Commons Attribution-NonCommercial 4.0 International License (CC BY-NC 4.0).'
mod mit+approval modcond mit spdx/MIT.txt \
	'Additional condition: before deploying the Software in a service that has more than one thousand users, the deployer must notify the copyright holders in writing and obtain their written approval of the deployment.'
mkdir -p "$W/files/mit+header"
{
	printf 'MIT License\n\n'
	for y in 2018 2019 2020 2021 2022 2023 2024; do
		printf 'Copyright (c) %s Acme Research Laboratories and the Acme model contributors\n' "$y"
	done
	printf 'All rights reserved.\n\n'
	cat "$L/spdx/MIT.txt"
	printf '\nSee AUTHORS.md for the list of contributors.\n'
} >"$W/files/mit+header/LICENSE"
variant mit+header text mit

# ---- card values: key, claim kind (id, custom, none), value, YAML -----------
C=$W/cards.tsv
: >"$C"
# cardv KEY KIND VALUE YAML-LINE...: registers $W/cards/KEY/README.md
cardv() {
	k=$1 kind=$2 val=$3
	shift 3
	mkdir -p "$W/cards/$k"
	{ echo '---'; for l in "$@"; do echo "$l"; done; echo '---'; echo; echo "# $k"; } \
		>"$W/cards/$k/README.md"
	printf '%s\t%s\t%s\n' "$k" "$kind" "$val" >>"$C"
}
for id in $(awk -F'\t' 'NR > 1 && $1 != "other" && $1 != "unknown" { print $1 }' "$hubids"); do
	cardv "$id" id "$id" "license: $id"
done
# slugs with a text and no Hub id: license: other + license_name
for id in $(awk -F'\t' 'NR == FNR { if (FNR > 1) h[$1] = 1; next }
	$4 != "-" && !($1 in h) { print $1 }' "$hubids" "$W/table.tsv"); do
	cardv "name=$id" id "$id" 'license: other' "license_name: $id"
done
while IFS='	' read -r alias id; do
	cardv "alias=$alias" id "$id" 'license: other' "license_name: $alias"
done <"$W/aliases.tsv"
cardv custom custom acme-model-license-v3 'license: other' 'license_name: acme-model-license-v3'
cardv other none - 'license: other'
cardv no-key none - 'pipeline_tag: text-generation'
cardv ph-info none - 'license: "[More Information Needed]"'
cardv ph-unknown none - 'license: unknown'
cardv ph-license none - 'license: license'
mkdir -p "$W/cards/no-card"
printf '%s\t%s\t%s\n' no-card none - >>"$C"
printf '{"model_type": "synthetic"}\n' >"$W/config.json"

# ---- the plan: every card x every file variant, with the expectation -------
awk -F'\t' -v OFS='\t' '
FILENAME == ARGV[1] { cls[$1] = $2; fam[$1] = $3; next }
FILENAME == ARGV[2] { nc++; ck[nc] = $1; ckind[nc] = $2; cval[nc] = $3; next }
{ nv++; vk[nv] = $1; vkind[nv] = $2; vids[nv] = $3 }
function rank(c) { return c == "not-allowed" ? 3 : c == "conditional" ? 2 : c == "allowed" ? 1 : 0 }
function add(id, c) {
	if (!(id in have)) { have[id] = 1; ids[++nids] = id }
	if (rank(c) > rank(cu)) cu = c
}
END {
	for (i = 1; i <= nc; i++) for (j = 1; j <= nv; j++) {
		delete have; nids = 0; cu = ""
		nf = vkind[j] == "none" || vkind[j] == "unrec" ? 0 : split(vids[j], f, ",")
		refined = 0
		if (ckind[i] == "id")
			for (k = 1; k <= nf; k++) if (fam[f[k]] == cval[i]) refined = 1
		if (ckind[i] == "id" && !refined) add(cval[i], cls[cval[i]])
		for (k = 1; k <= nf; k++) {
			c = cls[f[k]]
			if (vkind[j] == "modna") c = "not-allowed"
			else if (vkind[j] == "modcond" && rank(c) < 2) c = "conditional"
			add(f[k], c)
		}
		if (!nids) {
			lic = ckind[i] == "custom" ? cval[i] : "unknown"
			cu = "unknown"
		} else {
			for (a = 2; a <= nids; a++)	# insertion sort, byte order
				for (b = a; b > 1 && ids[b - 1] > ids[b]; b--) { t = ids[b]; ids[b] = ids[b - 1]; ids[b - 1] = t }
			lic = ids[1]
			for (a = 2; a <= nids; a++) lic = lic " AND " ids[a]
		}
		print "models/c=" ck[i] ",l=" vk[j], ck[i], vk[j], lic, cu
	}
}' "$W/table.tsv" "$C" "$V" >"$W/plan.tsv"

# ---- build ------------------------------------------------------------------
cd "$out"
while IFS='	' read -r path card files _; do
	mkdir "$path"
	set -- "$W/config.json"
	for f in "$W/cards/$card"/* "$W/files/$files"/*; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
	ln "$@" "$path/"
done <"$W/plan.tsv"
cut -f1,4,5 "$W/plan.tsv" >expected.tsv

# a few as git work trees and bare mirrors (model id from the origin remote)
if command -v git >/dev/null 2>&1; then
	export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
	export GIT_AUTHOR_NAME=gen-mirror GIT_AUTHOR_EMAIL=gen-mirror@example.com
	export GIT_COMMITTER_NAME=gen-mirror GIT_COMMITTER_EMAIL=gen-mirror@example.com
	n=0
	for sel in 'c=mit,l=mit' 'c=apache-2.0,l=llama2' 'c=bsd,l=bsd-3-clause@76' \
		'c=mit,l=cc-by-nc-4.0' 'c=no-key,l=mit+nc' 'c=llama3.1,l=llama3.1+policy' \
		'c=alias=stabilityai-ai-community,l=none' 'c=ph-info,l=unrec'; do
		[ -d "models/$sel" ] || continue
		n=$((n + 1))
		name=m$n
		mkdir -p git
		cp -R "models/$sel" "git/$name"
		git -C "git/$name" init -q -b main
		git -C "git/$name" add -A
		git -C "git/$name" commit -qm "$sel"
		git -C "git/$name" remote add origin "https://huggingface.co/mirror/$name"
		awk -F'\t' -v OFS='\t' -v p="models/$sel" -v q="git/$name" '$1 == p { $1 = q; print }' \
			expected.tsv >>expected.tsv.add
		if [ $((n % 2)) -eq 0 ]; then
			mkdir -p bare
			git clone -q --bare "git/$name" "bare/$name.git"
			git -C "bare/$name.git" remote set-url origin "https://huggingface.co/mirror/$name-bare"
			awk -F'\t' -v OFS='\t' -v p="models/$sel" -v q="bare/$name.git" '$1 == p { $1 = q; print }' \
				expected.tsv >>expected.tsv.add
		fi
	done
	[ -f expected.tsv.add ] && cat expected.tsv.add >>expected.tsv && rm expected.tsv.add
else
	echo "gen-mirror: git not found: no git work trees or bare mirrors" >&2
fi
# the sources are hard-linked into the models: drop their names, keep the
# tables (a folder of cards and config.json would read as a model)
echo "gen-mirror: $(wc -l <expected.tsv | tr -d ' ') models in $out" \
	"($(wc -l <"$C" | tr -d ' ') card values x $(wc -l <"$V" | tr -d ' ') license file variants, plus git copies)" >&2
mv "$W/table.tsv" "$W/plan.tsv" "$out/"
rm -rf "$W"
