/*
 * prefilter.h: the literal prefilter, which lets the matcher skip a PCRE2
 * pattern that cannot match a text.
 *
 * prefilter.c owns two things and nothing else: deriving a pattern's
 * literals from its source when the catalog is compiled (struct
 * rule_clause in rules.h: every match of the pattern contains one literal
 * of each clause), and answering, for one normalised text, whether a
 * literal occurs in it.  It never runs a pattern.
 *
 * The guarantee: a pattern whose clauses fail on a text has no match in
 * it.  It rests on the derivation being conservative (syntax it does not
 * read gives no clause) and is checked, not assumed: `modelcensus rules
 * test` identifies every rule example with and without the prefilter and
 * fails on any difference, and tests/unit/test_match.c does the same over
 * every reference text of ../shared/licenses and tests/fixtures.
 */
#ifndef MODELCENSUS_PREFILTER_H
#define MODELCENSUS_PREFILTER_H

#include <stddef.h>
#include <stdint.h>
#include "rules.h"

struct strmap;

/*
 * Sets rp's literal (the longest plain run every match contains, or NULL)
 * and clauses from rp->source.  ids numbers the catalog's distinct
 * literals (rule_literal.id).  rp owns what is set: prefilter_clear()
 * frees it.
 */
void prefilter_derive(struct rule_pattern *rp, struct strmap *ids);
void prefilter_clear(struct rule_pattern *rp);
/* The id of literal s in ids, numbering it when new. */
size_t prefilter_literal_id(struct strmap *ids, const char *s);

/*
 * Literals that, between them, occur in every match of a set of patterns
 * (one clause of each, without a literal that holds another of the set):
 * a span of text with none of them inside holds no match of any.  all is
 * set when some pattern has no clause (then nothing can be skipped).
 */
struct prefilter_cover {
	const struct rule_literal **v;
	size_t n, alloc;
	int all;
};
/* Adds v[0..n)'s literals to out; -1 (out->all set) when one has none. */
int prefilter_cover(const struct rule_pattern *v, size_t n, struct prefilter_cover *out);
void prefilter_cover_clear(struct prefilter_cover *c);

#define PREFILTER_TRIGRAM_LOG2 16

/*
 * One normalised text as the prefilter sees it: a bitset of its 3-byte
 * sequences (a literal with a 3-byte sequence missing from it cannot
 * occur, so most look-ups never read the text) and, per catalog literal,
 * where it first occurs (looked up once per text).  Per thread.
 */
struct prefilter_text {
	const char *text;
	size_t len;
	uint64_t trigrams[(1u << PREFILTER_TRIGRAM_LOG2) / 64];
	struct prefilter_first {
		size_t pos;		/* offset, or ABSENT */
		unsigned gen;		/* the text it was looked up in */
	} *first;		/* per literal id */
	size_t n_literals;
	unsigned gen;		/* counts texts loaded: first[] of an older
				 * one is stale, with no clearing per text */
};

/* Sizes pt for a catalog with n_literals literals (rules_literal_count). */
void prefilter_text_init(struct prefilter_text *pt, size_t n_literals);
void prefilter_text_release(struct prefilter_text *pt);
/* Indexes text (len bytes, kept by the caller while pt is used). */
void prefilter_text_load(struct prefilter_text *pt, const char *text, size_t len);
/* Where l next occurs in the text, at or after offset from, or
 * PREFILTER_NONE. */
#define PREFILTER_NONE ((size_t)-1)
size_t prefilter_next(struct prefilter_text *pt, const struct rule_literal *l, size_t from);
/* Does l occur in the text at or after offset from? */
int prefilter_has(struct prefilter_text *pt, const struct rule_literal *l, size_t from);
/* Can p match in the text at or after from?  0 when one of its clauses
 * fails; 1 means run it. */
int prefilter_may_match(struct prefilter_text *pt, const struct rule_pattern *p,
			size_t from);

#endif
