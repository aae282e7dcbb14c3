/*
 * verdict.h: evidence -> license, commercial_use, conditions and review, as
 * docs/verdicts.md defines them.
 *
 * verdict.c owns: mapping card and checkpoint values through the rules'
 * aliases, choosing the governing license files and combining sources into
 * a model's own verdict.  Lineage (base models) is lineage.c's, which uses
 * the commercial_use arithmetic below.  It reads only the struct model and
 * the rule catalog; it never does I/O and never prints: the reasoning is
 * returned as text for `explain`.
 */
#ifndef MODELCENSUS_VERDICT_H
#define MODELCENSUS_VERDICT_H

#include "model.h"
#include "rules.h"

#define VERDICT_BODY_RESTRICTS 1	/* a sentence of the body restricts */
#define VERDICT_BODY_LOWERED 2	/* ... and lowered the model's own verdict */
#define VERDICT_BODY_FORBIDS 4	/* ... forbidding commercial use or limiting use
				 * to research (not asking for permission) */

struct verdict {
	struct strlist declared;	/* canonical ids the card/checkpoint declare, sorted */
	struct strlist detected;	/* ids identified in governing files and pasted texts, sorted */
	struct strlist licenses;	/* the effective license ids, sorted */
	enum commercial commercial;
	struct strlist conditions;	/* condition codes, sorted */
	struct strlist review;		/* review reasons, sorted */
	struct strbuf reasoning;	/* plain-words steps, one per line */
	/* the card body restricts commercial use (model->body_restriction):
	 * lineage_final re-decides card-body-restriction from it.  A verdict
	 * read back from a store may leave it 0: the reasoning line
	 * "card body restricts commercial use" stands in for it. */
	int body_restriction;	/* VERDICT_BODY_* bits */
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

/* ---- shared with lineage.c ---------------------------------------------- */

/* Appends a reasoning line (a newline is added). */
void verdict_say(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a copy of every string of src to dst. */
void strlist_copy(struct strlist *dst, const struct strlist *src);

/* Is id a license the catalog knows (a rule id or a family id)? */
int verdict_id_recognised(const struct rules *rules, const char *id);
/* Adds the conditions of rule r and of every use policy that belongs to it. */
void verdict_rule_conditions(const struct rules *rules, const struct rule *r,
			     struct strlist *out);

/* The more restrictive of two known values (unknown counts as nothing). */
enum commercial cu_max(enum commercial a, enum commercial b);

/* Accumulates the most restrictive value and a description of who said
 * what ("allowed from apache-2.0 (card)"); zeroed is empty, the caller
 * clears `said`. */
struct cu_acc {
	enum commercial cu;
	int some_unknown;	/* a recognised source whose rule says unknown */
	struct strlist said;
};
void cu_add(struct cu_acc *a, enum commercial cu, const char *id,
	    const char *from);
/*
 * The result: unknown only when nothing known was said.  A recognised
 * license whose rule says unknown next to a permissive one makes the whole
 * at least conditional: a human has to look before anyone relies on it.
 */
enum commercial cu_result(const struct cu_acc *a);
/* Says "prefix: result (most restrictive of: ...)". */
void cu_say(struct strbuf *sb, const char *prefix, const struct cu_acc *a,
	    enum commercial result);

#endif
