#!/bin/sh
# t_rules_spdx.sh: the rules for the Hugging Face Hub licenses that have an
# SPDX text (apache-2.0, mit, bsd-*, cc-*, gpl/lgpl/agpl, ...) against the
# 727 SPDX texts in tests/data/licenses/spdx, through scripts/accuracy.sh.
#
# Coverage: every Hub id with a text is identified from that text, as a full
# match and nothing else, as shipped and hard-wrapped at 72 and 80 columns.
# Precision: every other SPDX text comes out unidentified (mentions aside)
# or as one of the accepted equivalences listed in the table below; no text
# is given a wrong id as a full or modified match, by these rules or by the
# AI-model rules loaded beside them.
# Also: the rules' own examples pass, references are mentions, an MIT text
# with a non-commercial clause added is modified and restricts commercial
# use, and the family ids (bsd, cc, gpl, lgpl, gfdl) are refined by their
# members.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
spdx=$MC_LICENSES/spdx

# What each reference text must be identified as, read by
# scripts/accuracy.sh between the BEGIN/END lines.  "set/NAME<TAB>ids", ids
# joined with ",": "id" a full match, "~id" the license reported modified
# (its text plus added terms), "?id" either.  A text not listed must come
# out unidentified (mentions aside).  The SPDX entries beyond "SPDX id ->
# its Hub id" are the accepted equivalences, each with its reason.
table() {
	cat <<'EOF'
# BEGIN EXPECTED
# --- Hub ids with an SPDX text
spdx/Apache-2.0	apache-2.0
spdx/MIT	mit
spdx/AFL-3.0	afl-3.0
spdx/Artistic-2.0	artistic-2.0
spdx/BSL-1.0	bsl-1.0
spdx/BSD-2-Clause	bsd-2-clause
spdx/BSD-3-Clause	bsd-3-clause
spdx/BSD-3-Clause-Clear	bsd-3-clause-clear
spdx/C-UDA-1.0	c-uda
spdx/CC0-1.0	cc0-1.0
spdx/CDLA-Permissive-1.0	cdla-permissive-1.0
spdx/CDLA-Permissive-2.0	cdla-permissive-2.0
spdx/CDLA-Sharing-1.0	cdla-sharing-1.0
spdx/WTFPL	wtfpl
spdx/ECL-2.0	ecl-2.0
spdx/ISC	isc
spdx/LPPL-1.3c	lppl-1.3c
spdx/MS-PL	ms-pl
spdx/ODC-By-1.0	odc-by
spdx/ODbL-1.0	odbl
spdx/OpenMDW-1.0	openmdw-1.0
spdx/OSL-3.0	osl-3.0
spdx/PostgreSQL	postgresql
spdx/OFL-1.1	ofl-1.1
spdx/NCSA	ncsa
spdx/Unlicense	unlicense
spdx/Zlib	zlib
spdx/PDDL-1.0	pddl
spdx/LGPLLR	lgpl-lr
spdx/CC-BY-2.0	cc-by-2.0
spdx/CC-BY-2.5	cc-by-2.5
spdx/CC-BY-3.0	cc-by-3.0
spdx/CC-BY-4.0	cc-by-4.0
spdx/CC-BY-SA-3.0	cc-by-sa-3.0
spdx/CC-BY-SA-4.0	cc-by-sa-4.0
spdx/CC-BY-NC-2.0	cc-by-nc-2.0
spdx/CC-BY-NC-3.0	cc-by-nc-3.0
spdx/CC-BY-NC-4.0	cc-by-nc-4.0
spdx/CC-BY-ND-4.0	cc-by-nd-4.0
spdx/CC-BY-NC-ND-3.0	cc-by-nc-nd-3.0
spdx/CC-BY-NC-ND-4.0	cc-by-nc-nd-4.0
spdx/CC-BY-NC-SA-2.0	cc-by-nc-sa-2.0
spdx/CC-BY-NC-SA-3.0	cc-by-nc-sa-3.0
spdx/CC-BY-NC-SA-4.0	cc-by-nc-sa-4.0
spdx/AGPL-3.0	agpl-3.0
spdx/GPL-2.0	gpl-2.0
spdx/GPL-3.0	gpl-3.0
spdx/LGPL-2.1	lgpl-2.1
spdx/EPL-1.0	epl-1.0
spdx/EPL-2.0	epl-2.0
spdx/EUPL-1.1	eupl-1.1
spdx/EUPL-1.2	eupl-1.2
spdx/MPL-2.0	mpl-2.0
spdx/etalab-2.0	etalab-2.0
# the SPDX LGPL-3.0 copy is the LGPL's additional permissions followed by the
# GPL-3.0 text they incorporate (as in many COPYING.LESSER files): both found
spdx/LGPL-3.0	lgpl-3.0,gpl-3.0
# --- rules with no Hub id (SPDX ids of their own)
# the 1991 Library GPL, a member of the lgpl family
spdx/LGPL-2.0	lgpl-2.0
# GNU FDL 1.1 / 1.2 / 1.3, members of the gfdl family
spdx/GFDL-1.1	gfdl-1.1
spdx/GFDL-1.2	gfdl-1.2
spdx/GFDL-1.3	gfdl-1.3
# MIT No Attribution: MIT without the notice condition, so not mit
spdx/MIT-0	mit-0
# --- accepted equivalences
# the deprecated bare ids, -only and -or-later (and the "+" forms) share one
# text: the choice of versions is made in the program's notices, and the
# Hub id covers both
spdx/AGPL-3.0-only	agpl-3.0
spdx/AGPL-3.0-or-later	agpl-3.0
spdx/GPL-2.0-only	gpl-2.0
spdx/GPL-2.0-or-later	gpl-2.0
spdx/GPL-2.0+	gpl-2.0
spdx/GPL-3.0-only	gpl-3.0
spdx/GPL-3.0-or-later	gpl-3.0
spdx/GPL-3.0+	gpl-3.0
spdx/LGPL-2.1-only	lgpl-2.1
spdx/LGPL-2.1-or-later	lgpl-2.1
spdx/LGPL-2.1+	lgpl-2.1
spdx/LGPL-3.0-only	lgpl-3.0,gpl-3.0
spdx/LGPL-3.0-or-later	lgpl-3.0,gpl-3.0
spdx/LGPL-3.0+	lgpl-3.0,gpl-3.0
spdx/LGPL-2.0-only	lgpl-2.0
spdx/LGPL-2.0-or-later	lgpl-2.0
spdx/LGPL-2.0+	lgpl-2.0
# the GFDL ids for with / without Invariant Sections share the text
spdx/GFDL-1.1-only	gfdl-1.1
spdx/GFDL-1.1-or-later	gfdl-1.1
spdx/GFDL-1.1-invariants-only	gfdl-1.1
spdx/GFDL-1.1-invariants-or-later	gfdl-1.1
spdx/GFDL-1.1-no-invariants-only	gfdl-1.1
spdx/GFDL-1.1-no-invariants-or-later	gfdl-1.1
spdx/GFDL-1.2-only	gfdl-1.2
spdx/GFDL-1.2-or-later	gfdl-1.2
spdx/GFDL-1.2-invariants-only	gfdl-1.2
spdx/GFDL-1.2-invariants-or-later	gfdl-1.2
spdx/GFDL-1.2-no-invariants-only	gfdl-1.2
spdx/GFDL-1.2-no-invariants-or-later	gfdl-1.2
spdx/GFDL-1.3-only	gfdl-1.3
spdx/GFDL-1.3-or-later	gfdl-1.3
spdx/GFDL-1.3-invariants-only	gfdl-1.3
spdx/GFDL-1.3-invariants-or-later	gfdl-1.3
spdx/GFDL-1.3-no-invariants-only	gfdl-1.3
spdx/GFDL-1.3-no-invariants-or-later	gfdl-1.3
# MIT-STK is the MIT text plus a request the text itself calls "not a
# binding provision of this license"
spdx/MIT-STK	mit
# the "Simplified"/FreeBSD licence: BSD-2-Clause plus a sentence saying the
# views in the software are the authors' own; NetBSD's copy names the
# foundation as the holder; same terms
spdx/BSD-2-Clause-Views	bsd-2-clause
spdx/BSD-2-Clause-FreeBSD	bsd-2-clause
spdx/BSD-2-Clause-NetBSD	bsd-2-clause
# BSD-3-Clause with "patent infringement" added to the excluded damages
spdx/BSD-3-Clause-HP	bsd-3-clause
# --- a known license plus added terms: reported modified (docs/verdicts.md,
# commercial_use: named, never `allowed`, review modified-text)
# Net-SNMP: a CMU notice, then BSD-3-Clause texts (full or modified
# depending on how the notice before them wraps)
spdx/Net-SNMP	?bsd-3-clause
# Sendmail's own terms, then the University of California BSD-3-Clause text
# for its embedded code
spdx/Sendmail	~bsd-3-clause
spdx/Sendmail-8.23	~bsd-3-clause
# BSD-3-Clause plus an export-law note (Intel), a clause on enhancements
# sent back (LBNL), an acknowledgment that the software is not for nuclear
# or military facilities
spdx/Intel	~bsd-3-clause
spdx/BSD-3-Clause-LBNL	~bsd-3-clause
spdx/BSD-3-Clause-No-Nuclear-License-2014	~bsd-3-clause
spdx/BSD-3-Clause-No-Military-License	~bsd-3-clause
# MIT plus the X11 clause on the holders' names (and "distribute with
# modifications" in the grant), or plus a governing-law clause (Xnet)
spdx/X11-distribute-modifications-variant	~mit
spdx/X11-no-permit-persons	~mit
spdx/Xnet	~mit
# the Functional Source License's own terms (no competing use), then the
# MIT text of its future licence: MIT modified, restricting commercial use
spdx/FSL-1.1-MIT	~mit
# zlib plus a clause forbidding relicensing
spdx/Cube	~zlib
# MPL-2.0 with the "Incompatible With Secondary Licenses" notice: same text
spdx/MPL-2.0-no-copyleft-exception	mpl-2.0
# the Reserved Font Name ids say whether a name is reserved: same text
spdx/OFL-1.1-RFN	ofl-1.1
spdx/OFL-1.1-no-RFN	ofl-1.1
# the Apple MIT License is the Apple sample-code license (the Hub's
# apple-ascl, an AI-model rule)
spdx/AML	apple-ascl
# --- AI-model texts (rules of t_rules_ai.sh; listed for scripts/accuracy.sh)
ai/apple-amlr	apple-amlr
ai/apple-ascl	apple-ascl
ai/bigscience-bloom-rail-1.0	bigscience-bloom-rail-1.0
ai/chatglm2-6b	chatglm2-6b
ai/chatglm3-6b	chatglm3-6b
ai/codegeex	codegeex
ai/creativeml-openrail-m	creativeml-openrail-m
ai/databricks-open-model-license	databricks-open-model-license
ai/deepfloyd-if-license	deepfloyd-if-license
ai/deepseek	deepseek
ai/dinov3-license	dinov3-license
ai/fair-noncommercial-research-license	fair-noncommercial-research-license,fair-aup
ai/gemma	gemma
ai/lfm1.0	lfm1.0
ai/llama2-aup	llama2-aup
ai/llama2	llama2
ai/llama3-aup	llama3-aup
ai/llama3.1-aup	llama3.1-aup
ai/llama3.1	llama3.1
ai/llama3.2-aup	llama3.2-aup
ai/llama3.2	llama3.2
ai/llama3.3-aup	llama3.3-aup
ai/llama3.3	llama3.3
ai/llama3	llama3,llama3-aup
ai/llama4-aup	llama4-aup
ai/llama4	llama4
ai/minimax-model-license	minimax-model-license
ai/modified-mit-minimax-m2	modified-mit,mit
ai/modified-mit	modified-mit,mit
ai/nvidia-open-model-license	nvidia-open-model-license
ai/nvidia-source-code-license-nc	nvidia-source-code-license-nc
ai/openrail++-sd2	openrail++
ai/openrail++	openrail++
ai/qwen-research	qwen-research
ai/qwen	qwen
ai/sdxl0.9-research	sdxl0.9-research
ai/stabilityai-community	stabilityai-community
ai/stabilityai-nc-community	stabilityai-nc-community
ai/stabilityai-nc-research	stabilityai-nc-research
ai/stabilityai-svd-nc-community	stabilityai-svd-nc-community
ai/tii-falcon-180b	tii-falcon-180b
ai/tii-falcon-llm	tii-falcon-llm
ai/yi-license	yi-license
# END EXPECTED
EOF
}

if [ ! -d "$spdx" ]; then
	skip rules-spdx "no SPDX texts at $spdx (set MC_LICENSES)"
	exit 0
fi

# The rule files this test owns.
my_rules="afl-3.0 agpl-3.0 apache-2.0 artistic-2.0 bsd bsl-1.0 c-uda cc cc-by
cc-by-nc cc-by-nc-nd cc-by-nc-sa cc-by-nd-4.0 cc-by-sa cc0-1.0 cdla ecl-2.0 epl
etalab-2.0 eupl gfdl gpl isc lgpl lgpl-lr lppl-1.3c mit mpl-2.0 ms-pl ncsa odbl
odc-by ofl-1.1 openmdw osl-3.0 pddl postgresql unlicense wtfpl zlib"

# Hub id:SPDX text for every Hub id this catalog part covers with a text.
hub_texts="apache-2.0:Apache-2.0 mit:MIT afl-3.0:AFL-3.0 artistic-2.0:Artistic-2.0
bsl-1.0:BSL-1.0 bsd-2-clause:BSD-2-Clause bsd-3-clause:BSD-3-Clause
bsd-3-clause-clear:BSD-3-Clause-Clear c-uda:C-UDA-1.0 cc0-1.0:CC0-1.0
cc-by-2.0:CC-BY-2.0 cc-by-2.5:CC-BY-2.5 cc-by-3.0:CC-BY-3.0 cc-by-4.0:CC-BY-4.0
cc-by-sa-3.0:CC-BY-SA-3.0 cc-by-sa-4.0:CC-BY-SA-4.0 cc-by-nc-2.0:CC-BY-NC-2.0
cc-by-nc-3.0:CC-BY-NC-3.0 cc-by-nc-4.0:CC-BY-NC-4.0 cc-by-nd-4.0:CC-BY-ND-4.0
cc-by-nc-nd-3.0:CC-BY-NC-ND-3.0 cc-by-nc-nd-4.0:CC-BY-NC-ND-4.0
cc-by-nc-sa-2.0:CC-BY-NC-SA-2.0 cc-by-nc-sa-3.0:CC-BY-NC-SA-3.0
cc-by-nc-sa-4.0:CC-BY-NC-SA-4.0 cdla-sharing-1.0:CDLA-Sharing-1.0
cdla-permissive-1.0:CDLA-Permissive-1.0 cdla-permissive-2.0:CDLA-Permissive-2.0
wtfpl:WTFPL ecl-2.0:ECL-2.0 epl-1.0:EPL-1.0 epl-2.0:EPL-2.0 etalab-2.0:etalab-2.0
eupl-1.1:EUPL-1.1 eupl-1.2:EUPL-1.2 agpl-3.0:AGPL-3.0 gpl-2.0:GPL-2.0
gpl-3.0:GPL-3.0 lgpl-2.1:LGPL-2.1 lgpl-3.0:LGPL-3.0 isc:ISC lppl-1.3c:LPPL-1.3c
ms-pl:MS-PL mpl-2.0:MPL-2.0 odc-by:ODC-By-1.0 odbl:ODbL-1.0 openmdw-1.0:OpenMDW-1.0
osl-3.0:OSL-3.0 postgresql:PostgreSQL ofl-1.1:OFL-1.1 ncsa:NCSA unlicense:Unlicense
zlib:Zlib pddl:PDDL-1.0 lgpl-lr:LGPLLR"

# ids FILE: what `identify` reports for FILE as sorted "kind:id" words.
ids() {
	if ! "$MC_BIN" identify "$1" >"$T/out" 2>"$T/err"; then
		echo "error: $(head -n 1 "$T/err")"
		return
	fi
	awk '$2 != "no" { print $3 ":" $2 }' "$T/out" | sort | tr '\n' ' ' | sed 's/ $//'
}

# --- the table and the rules' own examples -------------------------------
absent=$(table | grep -v '^#' | cut -f1 | while read -r k; do
	[ -f "$MC_LICENSES/$k.txt" ] || echo "$k"; done)
expect "every text the expectation table lists exists" "" "$absent"
mkdir -p "$T/rules"
missing=
for r in $my_rules; do
	if [ -f "$root/rules/$r.yaml" ]; then
		cp "$root/rules/$r.yaml" "$T/rules/"
	else
		missing="$missing $r"
	fi
done
expect "spdx rule files present" "" "$missing"
[ -f "$root/rules/restrictions.yaml" ] && cp "$root/rules/restrictions.yaml" "$T/rules/"
out=$(MODELCENSUS_RULES="$T/rules" "$MC_BIN" rules test 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q ' passed, 0 failed'; then
	ok "rules test: spdx rules' examples pass ($(printf '%s\n' "$out" | tail -n 1))"
else
	nok "rules test: spdx rules' examples pass" "exit $rc" "$(printf '%s\n' "$out" | grep -v '^ok' | head -n 20)"
fi

# --- every SPDX text, as shipped and wrapped at 72 and 80 columns ----------
acc=$(MC_BIN="$MC_BIN" sh "$root/scripts/accuracy.sh" 2>&1)
rc=$?
if [ $rc -gt 1 ]; then
	nok "accuracy.sh runs" "exit $rc" "$(printf '%s\n' "$acc" | tail -n 5)"
	exit 0
fi
ok "accuracy.sh runs"

n=0 m=0
for pair in $hub_texts; do
	id=${pair%%:*} f=${pair#*:}
	m=$((m + 1))
	if [ ! -f "$spdx/$f.txt" ]; then
		nok "coverage: $id from $f.txt" "$spdx/$f.txt not found"
		continue
	fi
	bad=$(printf '%s\n' "$acc" | grep -F " spdx/$f (" | grep -E '^(miss|wrong) ')
	if [ -z "$bad" ]; then
		n=$((n + 1))
		ok "coverage: $id from $f.txt, as shipped and wrapped at 72 and 80"
	else
		nok "coverage: $id from $f.txt, as shipped and wrapped at 72 and 80" "$bad"
	fi
done
echo "# coverage: $n/$m Hub ids with an SPDX text identified as themselves"

wrong=$(printf '%s\n' "$acc" | grep '^wrong  *spdx/')
expect "precision: no SPDX text is given a wrong id (all texts x 3 forms)" "" "$wrong"
miss=$(printf '%s\n' "$acc" | grep '^miss  *spdx/')
expect "equivalences: every listed SPDX text comes out as listed" "" "$miss"

# AI-model texts may not be claimed by these rules (their own test checks
# the rest)
mine=$(cd "$root/rules" && for r in $my_rules; do sed -n 's/^-\{0,1\} \{0,1\}id: *//p' "$r.yaml"; done)
claimed=$(printf '%s\n' "$acc" | awk '$1 == "wrong" && $2 ~ /^ai\// { print $5 }' | sort -u |
	while read -r id; do printf '%s\n' "$mine" | grep -qx "$id" && echo "$id"; done)
expect "no AI-model text is identified as one of these licenses" "" "$claimed"
printf '%s\n' "$acc" | grep -E '^(spdx|ai|total):' | sed 's/^/# /'

sh "$root/scripts/accuracy.sh" -x >/dev/null 2>&1
expect "accuracy.sh: an unknown option is a usage error (exit 2)" 2 "$?"
MC_BIN="$MC_BIN" MC_LICENSES="$T/nowhere" sh "$root/scripts/accuracy.sh" >/dev/null 2>"$T/acc.err"
expect "accuracy.sh: no reference texts is exit 3" 3 "$?"
expect_match "accuracy.sh: ... and says where it looked" "$T/nowhere" "$(cat "$T/acc.err")"

# --- short texts: titles, references, modified and look-alike copies ------
: >"$T/empty.txt"
expect "an empty file is nothing" "" "$(ids "$T/empty.txt")"
head -c 4096 "$spdx/MIT.txt" | tr 'a-z' '\001-\032' >"$T/garbage.txt"
expect "control bytes in place of an MIT text are nothing" "" "$(ids "$T/garbage.txt")"
printf 'GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n' >"$T/title.txt"
expect "a GPL-3.0 title alone is no full text" "" \
	"$(ids "$T/title.txt" | tr ' ' '\n' | grep -E '^(full|modified):' || true)"

printf 'Copyright 2024 Example Org\n\nLicensed under the Apache License, Version 2.0 (the "License");\nyou may not use this file except in compliance with the License.\n' >"$T/apache-ref.txt"
expect "the Apache header is a mention of apache-2.0" "mention:apache-2.0" "$(ids "$T/apache-ref.txt")"
printf '# SPDX-License-Identifier: GPL-3.0-or-later\n' >"$T/spdx-ref.txt"
expect "an SPDX identifier line is a mention" "mention:gpl-3.0" "$(ids "$T/spdx-ref.txt")"
printf 'This program is free software; you can redistribute it and/or modify\nit under the terms of the GNU General Public License as published by\nthe Free Software Foundation; either version 2 of the License, or\n(at your option) any later version.\n' >"$T/gpl2-ref.txt"
expect "the GPL-2.0 notice is a mention of gpl-2.0" "mention:gpl-2.0" "$(ids "$T/gpl2-ref.txt")"
printf 'The weights are licensed under a Creative Commons\nAttribution-NonCommercial 4.0 International License.\n' >"$T/ccnc-ref.txt"
expect "a CC BY-NC 4.0 reference is a mention of cc-by-nc-4.0, not cc-by-4.0" "mention:cc-by-nc-4.0" "$(ids "$T/ccnc-ref.txt")"
printf 'This package is released under the BSD license.\n' >"$T/bsd-ref.txt"
expect "an unversioned BSD reference is a mention of the family" "mention:bsd" "$(ids "$T/bsd-ref.txt")"
printf 'If the Derived Work includes material licensed under the GPL, You may\nuse that material only as that license permits.\n' >"$T/gpl-aside.txt"
expect "a license named in passing is no mention" "" "$(ids "$T/gpl-aside.txt")"

{ cat "$spdx/MIT.txt"; printf '\nThe Software may only be used for non-commercial purposes.\n'; } >"$T/mit-nc.txt"
expect_match "MIT plus a non-commercial clause is modified and restricts commercial use" \
	' mit modified .*restricts-commercial' "$("$MC_BIN" identify "$T/mit-nc.txt" 2>&1)"
{ cat "$spdx/MIT.txt"; printf '\nExcept as contained in this notice, the name of Example Org shall not be used in\nadvertising or otherwise to promote the sale, use or other dealings in this\nSoftware without prior written authorization from Example Org.\n'; } >"$T/mit-x.txt"
expect_match "MIT plus an appended clause is modified" ' mit modified .*added' "$("$MC_BIN" identify "$T/mit-x.txt" 2>&1)"

sed 's/the copyright holder nor/Acme Research Ltd. nor/; s/PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS/PROVIDED BY ACME RESEARCH LTD./' \
	"$spdx/BSD-3-Clause.txt" | fold -s -w 70 >"$T/bsd3-acme.txt"
expect "BSD-3-Clause naming its organisation, wrapped at 70, is bsd-3-clause" "full:bsd-3-clause" "$(ids "$T/bsd3-acme.txt")"
sed '/^2\. Redistributions in binary/a\
\
3. All advertising materials mentioning features or use of this software must display the following acknowledgement: This product includes software developed by Acme.' \
	"$spdx/BSD-3-Clause.txt" >"$T/bsd4.txt"
expect "BSD with the advertising clause is not bsd-3-clause" "" \
	"$(ids "$T/bsd4.txt" | tr ' ' '\n' | grep -E '^(full|modified):bsd' || true)"
awk '{ print } /^Creative Commons Attribution 4.0 International Public License/ && !done { print "NonCommercial means not primarily intended for or directed towards commercial advantage or monetary compensation."; done = 1 }' \
	"$spdx/CC-BY-4.0.txt" >"$T/ccby-nc.txt"
expect "CC BY 4.0 with the NonCommercial definition added is never cc-by-4.0" "" \
	"$(ids "$T/ccby-nc.txt" | tr ' ' '\n' | grep -E '^(full|modified):cc-by-4\.0$' || true)"
{ cat "$spdx/GPL-3.0.txt"; cat "$spdx/AGPL-3.0.txt"; } >"$T/gpl-agpl.txt"
expect "GPL-3.0 and AGPL-3.0 in one file are each found once" "full:agpl-3.0 full:gpl-3.0" "$(ids "$T/gpl-agpl.txt")"

# --- family ids refined by a member in a file, and card spellings ----------
# mkmodel NAME LICENSE-FILE CARD-LINES...
mkmodel() {
	d=$T/models/$1 src=$2; shift 2
	mkcard "$d" "$@"
	[ -z "$src" ] || cp "$src" "$d/LICENSE"
}
mkmodel fam-bsd "$spdx/BSD-3-Clause.txt" 'license: bsd'
mkmodel fam-cc "$spdx/CC-BY-NC-4.0.txt" 'license: cc'
mkmodel fam-gpl "$spdx/GPL-2.0.txt" 'license: gpl'
mkmodel fam-lgpl "$spdx/LGPL-2.1.txt" 'license: lgpl'
mkmodel fam-gfdl "$spdx/GFDL-1.3.txt" 'license: gfdl'
mkmodel name-apache "" 'license: other' 'license_name: Apache License 2.0'
mkmodel name-gplv3 "" 'license: other' 'license_name: GPLv3'
mkmodel name-ccbync "" 'license: other' 'license_name: CC BY-NC 4.0'
mkmodel name-mit "" 'license: other' 'license_name: The MIT License'
mkmodel name-bsd3 "" 'license: other' 'license_name: BSD 3-Clause License'
mkmodel name-ccby "" 'license: other' 'license_name: Creative Commons Attribution 4.0 International'
if ! "$MC_BIN" scan --quiet --db "$T/inv.db" "$T/models" >"$T/scan.out" 2>&1; then
	nok "scan of family and spelling models" "$(head -n 5 "$T/scan.out")"
else
	row() { q "$T/inv.db" "SELECT license || ' ' || commercial_use || ' [' || coalesce(review, '') || ']' FROM inventory WHERE path LIKE '%/$1'"; }
	expect "card bsd + BSD-3-Clause text: the member stands, no conflict" "bsd-3-clause allowed []" "$(row fam-bsd)"
	expect "card cc + CC BY-NC 4.0 text: the member stands" "cc-by-nc-4.0 not-allowed []" "$(row fam-cc)"
	expect "card gpl + GPL-2.0 text: the member stands" "gpl-2.0 conditional []" "$(row fam-gpl)"
	expect "card lgpl + LGPL-2.1 text: the member stands" "lgpl-2.1 conditional []" "$(row fam-lgpl)"
	expect "card gfdl + GFDL-1.3 text: the member stands" "gfdl-1.3 conditional []" "$(row fam-gfdl)"
	dl() { q "$T/inv.db" "SELECT declared_license FROM inventory WHERE path LIKE '%/$1'"; }
	expect "license_name 'Apache License 2.0' is apache-2.0" "apache-2.0" "$(dl name-apache)"
	expect "license_name 'GPLv3' is gpl-3.0" "gpl-3.0" "$(dl name-gplv3)"
	expect "license_name 'CC BY-NC 4.0' is cc-by-nc-4.0" "cc-by-nc-4.0" "$(dl name-ccbync)"
	expect "license_name 'The MIT License' is mit" "mit" "$(dl name-mit)"
	expect "license_name 'BSD 3-Clause License' is bsd-3-clause" "bsd-3-clause" "$(dl name-bsd3)"
	expect "license_name 'Creative Commons Attribution 4.0 International' is cc-by-4.0" "cc-by-4.0" "$(dl name-ccby)"
fi
