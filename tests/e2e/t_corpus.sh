# t_corpus.sh: the 2,000 real model cards of $MC_SHARED/corpus/cards-dev
# (../shared beside the project by default; skipped where it is absent),
# each in its own folder, scanned end to end: declared_license must be what
# labels.tsv says each card declares (values sorted, joined with " AND "),
# except the deviations test_card_corpus.c lists with their reasons.
. "$(dirname "$0")/lib.sh"

CORPUS=${MC_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}/corpus/cards-dev
if [ ! -f "$CORPUS/labels.tsv" ]; then
	skip "card corpus" "no card corpus at $CORPUS (set MC_SHARED)"
	exit 0
fi

R=$T/cards
tail -n +2 "$CORPUS/labels.tsv" | while IFS="$(printf '\t')" read -r file label; do
	mkdir -p "$R/${file%.md}"
	cp "$CORPUS/$file" "$R/${file%.md}/README.md"
	printf '{}' >"$R/${file%.md}/config.json"	# a model even without front matter
done
"$MC_BIN" scan --quiet --db "$T/c.db" "$R" >"$T/out" 2>&1
expect "scan of the card corpus exits 0" 0 $?

# expected: labels sorted and joined like declared_license; deviations as listed
tail -n +2 "$CORPUS/labels.tsv" | while IFS="$(printf '\t')" read -r file label; do
	case "$file" in
	Madhour__gpt2-eli5.md) label=gpl-3.0 ;;
	ai4bharat__MultiIndicWikiBioSS.md) label=cc-by-nc-4.0 ;;
	esac
	case "$label" in
	-|'!yaml') exp= ;;
	*) exp=$(printf '%s\n' "$label" | tr '|' '\n' | sort -u | paste -sd'\t' | sed 's/\t/ AND /g') ;;
	esac
	printf '%s|%s\n' "$R/${file%.md}" "$exp"
done | sort >"$T/expected"
q "$T/c.db" "SELECT path, coalesce(declared_license, '') FROM inventory" | sort >"$T/actual"
total=$(wc -l <"$T/expected" | tr -d ' ')
agree=$(comm -12 "$T/expected" "$T/actual" | wc -l | tr -d ' ')
echo "# card corpus through scan: $agree of $total declared_license values agree with labels.tsv"
if [ "$agree" = "$total" ]; then
	ok "declared_license agrees with labels.tsv for every card ($agree/$total)"
else
	nok "declared_license agrees with labels.tsv for every card ($agree/$total)" \
		"$(diff "$T/expected" "$T/actual" | head -20)"
fi
