/*
 * match.h: identifying licenses in a text with the rule catalog.
 *
 * match.c owns: normalising a text (normalize.h), asking the literal
 * prefilter (prefilter.h) which patterns can apply, running the rules' PCRE2 patterns with
 * match and depth limits, coverage, line ranges, and detecting modified
 * texts (a known license plus added terms).  It never reads files, never
 * decides a verdict.  A struct matcher is per thread: it holds the thread's
 * pcre2_match_data and scratch buffers.
 */
#ifndef MODELCENSUS_MATCH_H
#define MODELCENSUS_MATCH_H

#include <stddef.h>
#include "rules.h"

enum match_kind {
	MATCH_FULL,	/* the license text itself */
	MATCH_MENTION,	/* a reference ("licensed under the MIT License") */
	MATCH_MODIFIED,	/* the license text plus added or altered terms */
};

const char *match_kind_name(enum match_kind k);

struct match {
	const struct rule *rule;
	enum match_kind kind;
	double coverage;	/* share of the rule's phrases found, 0..1 */
	size_t line_start, line_end;	/* 1-based, inclusive, in the original text */
	/* for MATCH_MODIFIED: the first added lines found (0 when none) */
	size_t added_start, added_end;
	/* the added text restricts commercial use ("non-commercial", ...) */
	int restricts_commercial;
};

struct match_list {
	struct match *v;
	size_t n, alloc;
};
#define MATCH_LIST_INIT { NULL, 0, 0 }
void match_list_clear(struct match_list *l);

struct matcher;

int matcher_new(struct matcher **out, const struct rules *rules,
		struct mc_error *err);
void matcher_free(struct matcher *m);
/* The catalog the matcher was made with. */
const struct rules *matcher_rules(const struct matcher *m);
/* on = 0 runs every pattern on every text, skipping nothing: slow, for
 * checking that the prefilter changes no result (on = 1, the default). */
void matcher_set_prefilter(struct matcher *m, int on);

/*
 * Identifies every license in text (len bytes, any encoding; invalid UTF-8
 * is tolerated).  Appends matches to out in order of their first line.
 * Below a rule's threshold nothing is reported.  Returns -1 only when a
 * rule hit a PCRE2 limit or failed, with err naming the rule; the matches
 * found before are kept.
 */
int match_text(struct matcher *m, const char *text, size_t len,
	       struct match_list *out, struct mc_error *err);

/* The bases the text of the last match_text() says the model derives
 * from (derive.h), read from the matcher's normalised copy of it. */
struct derivations;
void match_derivations(struct matcher *m, size_t first_line, struct derivations *out);

/* What a text or sentence says of commercial use (ordered: stronger later
 * is not implied; FORBIDS is the stronger). */
enum restrict_class {
	RESTRICT_NONE = 0,
	RESTRICT_FORBIDS,		/* forbids it or limits use to research... */
	RESTRICT_NEEDS_PERMISSION,	/* needs permission, an agreement, a fee */
};

/*
 * Looks for restrictions of commercial use in text: restriction phrases
 * ("non-commercial", "research purposes only", ...) and sentences the
 * classifier judges by meaning (match.c).  Returns RESTRICT_NONE (0), or
 * the strongest class found (RESTRICT_FORBIDS over _NEEDS_PERMISSION) with
 * the 1-based line of its first sentence in *line.
 */
int match_restriction(struct matcher *m, const char *text, size_t len,
		      size_t *line);
/* The same over the text last given to match_text() or
 * match_restriction(), without normalising it again.  After match_text(),
 * a sentence inside a full license text does not count (the standard
 * body never restricts); a restriction phrase always does. */
int match_restriction_last(struct matcher *m, size_t *line);
/* on = 0: match_restriction_last() and _quotes() count restriction
 * phrases only, not the classifier's sentences, until the next text is
 * loaded.  For a license file in which no license is identified: the
 * classifier reads text beside a license, and an unknown legal text is
 * full of sentences about sale and redistribution that restrict nothing. */
void match_restriction_sentences(struct matcher *m, int on);
/* The restricting sentences match_restriction_last() counts, quoted with
 * their lines (+ line_off) and why, "; "-separated, at most a few; NULL
 * when none.  The caller frees it. */
char *match_restriction_quotes(struct matcher *m, size_t line_off);

/*
 * Explains how rule r fares on text (for `modelcensus rules test`
 * failures): the prefilter, which all/any/none patterns are found, the
 * coverage against the threshold.  Appends "#   ..." lines to out.
 */
void match_explain_rule(struct matcher *m, const struct rule *r, const char *text,
			size_t len, struct strbuf *out);

#endif
