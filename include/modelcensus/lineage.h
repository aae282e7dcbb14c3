/*
 * lineage.h: the lineage pass that ends every scan (and merge).  lineage.c
 * indexes the inventory's present models by model id (case-insensitive,
 * as the Hub treats ids) and computes each model's final verdict with
 * verdict_final(), handing every result back through a callback: it never
 * touches the database itself.
 */
#ifndef MODELCENSUS_LINEAGE_H
#define MODELCENSUS_LINEAGE_H

#include "store.h"

typedef int (*lineage_out_fn)(void *ctx, const struct lineage_row *row,
			      const struct verdict *final);

/* Computes the final verdict of every row; stops at the first non-zero
 * return of out and returns it. */
int lineage_resolve(const struct rules *rules, const struct lineage_rows *rows,
		    lineage_out_fn out, void *ctx);

/*
 * The whole pass: reads every present model from the store, resolves
 * lineage and writes each final verdict back.  by_commercial (when not
 * NULL, CU_NOT_ALLOWED + 1 counters) counts the final commercial_use of the
 * models whose last scan is scan_id (every model when scan_id is 0).
 */
int lineage_update(struct store *st, const struct rules *rules,
		   int64_t scan_id, size_t *by_commercial, struct mc_error *err);

#endif
