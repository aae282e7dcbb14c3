/*
 * explain.h: what `explain` says about one model, shared by the commands
 * that show it (explain prints it; report --format html embeds it).
 * explain.c owns loading a model's details through the store's read-only
 * queries and writing the text explanation into a buffer; it never prints
 * and never writes the database.
 */
#ifndef MODELCENSUS_EXPLAIN_H
#define MODELCENSUS_EXPLAIN_H

#include "store.h"
#include "table.h"
#include "util.h"

/* The details of one model beside its row (store_find_models' columns). */
struct explain_details {
	struct table card, evidence, weights;
};
#define EXPLAIN_DETAILS_INIT { TABLE_INIT, TABLE_INIT, TABLE_INIT }

/* Loads the details of the model whose row id is rowid; the caller clears
 * d with explain_details_clear() whether or not it succeeds. */
int explain_load(struct store *st, const char *rowid, struct explain_details *d,
		 struct mc_error *err);
void explain_details_clear(struct explain_details *d);

/* Appends to out the text explanation of row i of m (a table of
 * store_find_models' columns) with its details: identity, card fields,
 * evidence, weights, lineage, verdict, reasoning. */
void explain_text(struct strbuf *out, const struct table *m, size_t i,
		  const struct explain_details *d);

#endif
