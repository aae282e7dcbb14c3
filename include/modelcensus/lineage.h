/*
 * lineage.h: the lineage pass that ends every scan and merge.  lineage.c
 * walks the inventory's models that name base models, a page at a time,
 * resolves each with verdict_final() (base models looked up in the store
 * by model id, else claimed by rule patterns) and writes the final verdict
 * back.  Models without base models keep their own verdict, written when
 * they were read, so the pass costs time and memory in proportion to the
 * fine-tunes, not to the inventory.  It runs only when the store says one
 * is owed (store_lineage_pending): a rescan that changed nothing skips it.
 */
#ifndef MODELCENSUS_LINEAGE_H
#define MODELCENSUS_LINEAGE_H

#include "store.h"

#define LINEAGE_PAGE 1000	/* rows held in memory at once */

/* Returns 1 when a pass ran (final verdicts may have changed), 0 when none
 * was owed, -1 with err when the store failed. */
int lineage_update(struct store *st, const struct rules *rules,
		   struct mc_error *err);

#endif
