/*
 * explain.c: what `explain` says about one model (explain.h): its details
 * loaded through the store's read-only queries, and the text explanation
 * in the order a compliance reviewer reads it: identity, card fields, each
 * license file with the rule, kind, coverage and lines that matched (and
 * what was ignored and why), checkpoint headers, lineage, then the verdict
 * and its reasoning step by step.  Writes into a buffer; never prints.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/explain.h"
#include "modelcensus/banned.h"

void explain_details_clear(struct explain_details *d)
{
	table_clear(&d->card);
	table_clear(&d->evidence);
	table_clear(&d->weights);
}

int explain_load(struct store *st, const char *rowid, struct explain_details *d,
		 struct mc_error *err)
{
	if (store_model_details(st, rowid, DETAIL_CARD_FIELDS, table_collect, &d->card, err) < 0 ||
	    store_model_details(st, rowid, DETAIL_EVIDENCE, table_collect, &d->evidence, err) < 0 ||
	    store_model_details(st, rowid, DETAIL_WEIGHTS, table_collect, &d->weights, err) < 0)
		return -1;
	return 0;
}

static void add_lines(struct strbuf *out, const char *indent, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		if (n)
			strbuf_addf(out, "%s%.*s\n", indent, n, text);
		text = nl ? nl + 1 : NULL;
	}
}

void explain_text(struct strbuf *out, const struct table *m, size_t i,
		  const struct explain_details *d)
{
	const char *v;

	strbuf_addf(out, "model:    %s\n", table_get(m, i, "model_id") ? table_str(m, i, "model_id") : "(no model id)");
	strbuf_addf(out, "path:     %s\n", table_str(m, i, "path"));
	strbuf_addf(out, "layout:   %s", table_str(m, i, "layout"));
	if ((v = table_get(m, i, "revision")))
		strbuf_addf(out, ", revision %s", v);
	strbuf_addf(out, "\nscanned:  %s%s\n", table_str(m, i, "last_seen"),
	            !strcmp(table_str(m, i, "gone"), "1") ? " (gone: not found by the latest scan of its root)" : "");
	if ((v = table_get(m, i, "error")))
		strbuf_addf(out, "error:    %s\n", v);

	strbuf_addf(out, "\ncard%s%s%s:\n", table_get(m, i, "card_file") ? " (" : "",
	            table_str(m, i, "card_file"), table_get(m, i, "card_file") ? ")" : "");
	if (!d->card.nrows)
		strbuf_addf(out, "  (no card fields read)\n");
	for (size_t r = 0; r < d->card.nrows; r++)
		strbuf_addf(out, "  %s: %s\n", table_str(&d->card, r, "key"), table_str(&d->card, r, "value"));

	strbuf_addf(out, "\nevidence:\n");
	if (!d->evidence.nrows)
		strbuf_addf(out, "  (no license files, no card)\n");
	for (size_t r = 0; r < d->evidence.nrows; r++) {
		const struct table *e = &d->evidence;
		const char *rule = table_get(e, r, "rule");

		if (!rule && !strcmp(table_str(e, r, "role"), "derivation")) {
			strbuf_addf(out, "  %s %s line %s: the model derives from '%s' (weaker lineage evidence): \"%s\"\n",
			            table_str(e, r, "source"), table_str(e, r, "name"),
			            table_str(e, r, "line_start"), table_str(e, r, "blob"),
			            table_str(e, r, "note"));
			continue;
		}
		if (!rule) {
			strbuf_addf(out, "  %s %s (%s", table_str(e, r, "source"), table_str(e, r, "name"),
			            table_str(e, r, "role"));
			if ((v = table_get(e, r, "size")))
				strbuf_addf(out, ", %s bytes", v);
			if ((v = table_get(e, r, "blob")))
				strbuf_addf(out, ", blob %.12s", v);
			strbuf_addf(out, ")%s%s\n", table_get(e, r, "note") ? ": " : "", table_str(e, r, "note"));
			continue;
		}
		strbuf_addf(out, "    -> %s: %s, coverage %.0f%%, lines %s-%s", rule,
		            table_str(e, r, "kind"), 100 * strtod(table_str(e, r, "coverage"), NULL),
		            table_str(e, r, "line_start"), table_str(e, r, "line_end"));
		if (table_get(e, r, "added_start"))
			strbuf_addf(out, ", added lines %s-%s", table_str(e, r, "added_start"),
			            table_str(e, r, "added_end"));
		if (!strcmp(table_str(e, r, "source"), "card-text"))
			strbuf_addf(out, " (in the card body)");
		if ((v = table_get(e, r, "note")))
			strbuf_addf(out, "; %s", v);
		strbuf_addch(out, '\n');
	}

	if (d->weights.nrows) {
		strbuf_addf(out, "\nweights:\n");
		for (size_t r = 0; r < d->weights.nrows; r++) {
			const struct table *w = &d->weights;

			strbuf_addf(out, "  %s (%s, %s bytes%s%s)", table_str(w, r, "path"), table_str(w, r, "format"),
			            table_str(w, r, "size"),
			            !strcmp(table_str(w, r, "present"), "1") ? "" : ", LFS pointer only",
			            !strcmp(table_str(w, r, "incomplete"), "1") ? ", incomplete download" : "");
			if ((v = table_get(w, r, "license")))
				strbuf_addf(out, " header license: %s", v);
			if ((v = table_get(w, r, "error")))
				strbuf_addf(out, " error: %s", v);
			strbuf_addch(out, '\n');
		}
	}

	strbuf_addf(out, "\nlineage:  %s\n", table_get(m, i, "base_models") ?
	            table_str(m, i, "base_models") : "(no base model)");
	if ((v = table_get(m, i, "text_bases")))
		strbuf_addf(out, "  named in the card text (weaker evidence, review inherited): %s\n", v);
	strbuf_addf(out, "\nverdict:\n");
	strbuf_addf(out, "  declared license:  %s\n", table_get(m, i, "declared_license") ? table_str(m, i, "declared_license") : "-");
	strbuf_addf(out, "  detected license:  %s\n", table_get(m, i, "detected_license") ? table_str(m, i, "detected_license") : "-");
	strbuf_addf(out, "  license:           %s\n", table_str(m, i, "license"));
	strbuf_addf(out, "  commercial_use:    %s\n", table_str(m, i, "commercial_use"));
	strbuf_addf(out, "  conditions:        %s\n", table_get(m, i, "conditions") ? table_str(m, i, "conditions") : "-");
	strbuf_addf(out, "  review:            %s\n", table_get(m, i, "review") ? table_str(m, i, "review") : "-");
	strbuf_addf(out, "\nreasoning:\n");
	add_lines(out, "  ", table_str(m, i, "own_reasoning"));
	add_lines(out, "  ", table_str(m, i, "reasoning"));
}
