/*
 * lineage.h: base models.  lineage_final() joins a model's own verdict
 * with its base models', found through a caller's look-up, else claimed by
 * rule patterns.  The lineage pass that ends every scan and merge
 * (lineage_update) walks the inventory's models that name base models
 * (base_model ids, or bases their card's text names: derive.h), a page at
 * a time, resolves each with lineage_final() (base models looked up
 * in the store by model id) and writes the final verdict back.  Models without base models keep their own verdict, written when
 * they were read, so the pass costs time and memory in proportion to the
 * fine-tunes, not to the inventory.  It runs only when the store says one
 * is owed (store_lineage_pending): a rescan that changed nothing skips it.
 */
#ifndef MODELCENSUS_LINEAGE_H
#define MODELCENSUS_LINEAGE_H

#include "store.h"
#include "verdict.h"

#define LINEAGE_PAGE 1000	/* rows held in memory at once */
/* Lineage deeper than this is cut (with a reasoning line): real chains are
 * a handful of models long, and the cap bounds the recursion. */
#define LINEAGE_DEPTH 32

/*
 * Looks up a base model by id in the inventory: fills *own (the base's own
 * verdict), *bases (its base_model ids) and *text_bases (the bases its
 * card's text names) and returns 1, or returns 0 when the inventory does
 * not hold it.
 */
typedef int (*lineage_lookup_fn)(void *ctx, const char *model_id,
				 struct verdict *own, struct strlist *bases,
				 struct strlist *text_bases);

/*
 * The final verdict: own joined with the lineage of base_models, resolved
 * recursively through lookup (else through the rules' base-model
 * patterns, else through a family the base's name carries), each model
 * once, cycles cut.  text_bases (may be NULL) are the bases the card's
 * text names (derive.h): Hub ids, resolved the same way, or family names.
 * A base known only by its name or from the text is weaker evidence and
 * always sets the review `inherited`.  The caller owns *out.
 */
void lineage_final(const struct rules *rules, const char *model_id,
		   const struct verdict *own, const struct strlist *base_models,
		   const struct strlist *text_bases,
		   lineage_lookup_fn lookup, void *ctx, struct verdict *out);

/* Returns 1 when a pass ran (final verdicts may have changed), 0 when none
 * was owed, -1 with err when the store failed. */
int lineage_update(struct store *st, const struct rules *rules,
		   struct mc_error *err);

#endif
