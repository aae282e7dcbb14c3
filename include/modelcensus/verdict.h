/*
 * verdict.h: evidence -> license, commercial_use, conditions and review, as
 * ../shared/spec/verdicts.md defines them.
 *
 * verdict.c owns: mapping card and checkpoint values through the rules'
 * aliases, choosing the governing license files, combining sources, and
 * resolving lineage through a caller-supplied look-up (the inventory).  It
 * reads only the struct model and the rule catalog; it never does I/O and
 * never prints: the reasoning is returned as text for `explain`.
 */
#ifndef MODELCENSUS_VERDICT_H
#define MODELCENSUS_VERDICT_H

#include "model.h"
#include "rules.h"

struct verdict {
	struct strlist declared;	/* canonical ids the card/checkpoint declare, sorted */
	struct strlist detected;	/* ids identified in governing files and pasted texts, sorted */
	struct strlist licenses;	/* the effective license ids, sorted */
	enum commercial commercial;
	struct strlist conditions;	/* condition codes, sorted */
	struct strlist review;		/* review reasons, sorted */
	struct strbuf reasoning;	/* plain-words steps, one per line */
	/* the card body restricts commercial use (model->body_restriction):
	 * verdict_final re-decides card-body-restriction from it.  A verdict
	 * read back from a store may leave it 0: the reasoning line
	 * "card body restricts commercial use" stands in for it. */
	int body_restriction;
};

void verdict_init(struct verdict *v);
void verdict_release(struct verdict *v);
/* Makes dst (not yet initialised) a deep copy of src; the caller owns it. */
void verdict_copy(struct verdict *dst, const struct verdict *src);

/*
 * The verdict from the model's own sources (card, files, card text,
 * checkpoints), before lineage.  The caller owns *out.  licenses holds the
 * recognised ids; when none is recognised, the names no rule knows
 * (`license: other` + `license_name: x` gives x), else it is empty
 * (license `unknown`).
 */
void verdict_own(const struct rules *rules, const struct model *m,
		 struct verdict *out);

/*
 * Looks up a base model by id in the inventory: fills *own (the base's own
 * verdict) and *bases (its base_model ids) and returns 1, or returns 0
 * when the inventory does not hold it.
 */
typedef int (*verdict_lookup_fn)(void *ctx, const char *model_id,
				 struct verdict *own, struct strlist *bases);

/*
 * The final verdict: own joined with the lineage of base_models, resolved
 * recursively through lookup (else through the rules' base-model
 * patterns), each model once, cycles cut.  The caller owns *out.
 */
void verdict_final(const struct rules *rules, const char *model_id,
		   const struct verdict *own, const struct strlist *base_models,
		   verdict_lookup_fn lookup, void *ctx, struct verdict *out);

#endif
