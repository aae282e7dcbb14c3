/*
 * derive.h: a card body's sentences that say the model derives from a
 * base ("fine-tuned from Llama-2-13b", "delta weights to apply on top of
 * LLaMA", "a CodeLlama-34B fine-tune"): weaker lineage evidence than a
 * base_model id (docs/verdicts.md, "Lineage").
 *
 * derive.c owns splitting the normalised body into sentences and finding,
 * in one sentence, a derivation phrase of families.yaml with a base next
 * to it: a Hub id (org/name) after the phrase, else a family name after
 * or just before it.  A bare mention ("compared with Llama-2", a benchmark
 * table) has no phrase and binds nothing.  Which license a base carries is
 * lineage.c's to decide; this only finds the names.
 */
#ifndef MODELCENSUS_DERIVE_H
#define MODELCENSUS_DERIVE_H

#include <stddef.h>
#include "rules.h"

/* Characters of a sentence kept for explain (longer ones are cut). */
#define DERIVE_SENTENCE_MAX 300
/* After a phrase, the base must start within this many bytes (with no
 * ',' or ';' between); before a phrase, end within DERIVE_BEFORE. */
#define DERIVE_AFTER 40
#define DERIVE_BEFORE 25

struct derivation {
	char *base;		/* a Hub id "org/name", or the family name as
				 * written (normalised: lower case) */
	char *sentence;		/* the normalised sentence, cut at DERIVE_SENTENCE_MAX */
	size_t line;		/* 1-based line of the sentence in the text */
};

struct derivations {
	struct derivation *v;
	size_t n, alloc;
};
#define DERIVATIONS_INIT { NULL, 0, 0 }

/* Appends to out each base that text[0..len) (a card body, raw) says the
 * model derives from, each base once, in order.  Lines count from
 * first_line (the body's first line in its file).  The caller owns out. */
void derive_find(const struct rules *rules, const char *text, size_t len,
		 size_t first_line, struct derivations *out);
/* The same over a text already normalised, skipping each phrase the
 * prefilter says cannot occur in it (pf: the prefilter's view of nt, or
 * NULL to run every phrase). */
struct normalized;
struct prefilter_text;
void derive_find_normalized(const struct rules *rules, const struct normalized *nt,
			    struct prefilter_text *pf, size_t first_line,
			    struct derivations *out);
void derivations_clear(struct derivations *d);

#endif
