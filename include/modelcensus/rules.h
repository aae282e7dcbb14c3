/*
 * rules.h: the license rule catalog, loaded at run time from YAML files in
 * rules directories (format: rules/README.md) and compiled once per process
 * with PCRE2 (JIT where available).
 *
 * rules.c owns building it: finding the rule directories in force, reading
 * and validating rule files (yaml_doc.h), compiling their patterns (their
 * prefilter literals come from prefilter.h).  catalog.c owns reading it:
 * the look-ups (by id, by alias, by base-model id), what match.c reads of
 * a rule, the digest and the lint.  Matching text against the catalog is
 * match.h's job.  A loaded catalog is read-only and may be shared by any
 * number of threads.
 */
#ifndef MODELCENSUS_RULES_H
#define MODELCENSUS_RULES_H

#include <stdatomic.h>
#include <stddef.h>
#include "util.h"

/* commercial_use, ordered from least to most restrictive except unknown */
enum commercial {
	CU_UNKNOWN = 0,
	CU_ALLOWED,
	CU_CONDITIONAL,
	CU_NOT_ALLOWED,
};

const char *commercial_name(enum commercial c);
/* Parses "allowed", "conditional", "not-allowed", "unknown"; -1 otherwise. */
int commercial_parse(const char *s, enum commercial *out);

struct rule;		/* opaque: see rules.c */
struct rules;		/* the catalog */

/* What callers may read of a rule. */
struct rule_info {
	const char *id;		/* canonical id: Hub id, else a slug */
	const char *name;	/* display name */
	const char *spdx;	/* SPDX id or LicenseRef-... */
	enum commercial commercial;
	const struct strlist *conditions;	/* condition codes */
	const char *family;	/* family id this rule refines (e.g. "bsd"), or NULL */
	const char *policy_of;	/* for a use policy: the license id it belongs to, else NULL */
	const struct strlist *incorporates;	/* ids whose whole text this license
						 * includes (lgpl-3.0: gpl-3.0) */
	const char *file;	/* the rule file it came from */
	size_t line;		/* 1-based line of the rule in that file */
};

void rule_info(const struct rule *r, struct rule_info *out);
const char *rule_id(const struct rule *r);

/*
 * Loads every rule from the directories in force: the base catalog
 * ($MODELCENSUS_RULES when set and not empty, else the installed rules
 * directory when it exists, else the source tree's rules/), then each of
 * user_dirs in order on top of it (a rule whose id already exists replaces
 * it in place; restriction phrases are added).  On failure (unreadable
 * file, YAML error, a bad field, a pattern that does not compile) returns
 * -1 with err naming the file, the line and the problem (PCRE2's message
 * for patterns).  The caller owns *out.
 */
int rules_load(struct rules **out, const char *const *user_dirs,
	       size_t n_user_dirs, struct mc_error *err);
/*
 * rules_load() in two steps, so that a caller may have the digest (which
 * depends only on the files read) before the slow part: rules_read() reads
 * the files and sets the digest; rules_compile() parses and compiles them
 * (then the catalog is whole; before, only rules_digest() and rules_free()
 * may be called).  Each fails as rules_load() does; after a failed
 * rules_compile() the caller still frees the catalog.
 */
int rules_read(struct rules **out, const char *const *user_dirs,
	       size_t n_user_dirs, struct mc_error *err);
int rules_compile(struct rules *rules, struct mc_error *err);
void rules_free(struct rules *rules);

/* A hex digest of every rule in force, for the scans table and for deciding
 * that models must be re-evaluated. */
const char *rules_digest(const struct rules *rules);

size_t rules_count(const struct rules *rules);
const struct rule *rules_at(const struct rules *rules, size_t i);

/* Exact canonical id (case-insensitive), or NULL. */
const struct rule *rules_by_id(const struct rules *rules, const char *id);
/* A card value or license_name: canonical id or any alias (case-insensitive,
 * trimmed), or NULL. */
const struct rule *rules_by_alias(const struct rules *rules, const char *value);
/* The rule whose base-model patterns claim model_id ("org/name"), or NULL. */
const struct rule *rules_by_base_model(const struct rules *rules,
				       const char *model_id);

/*
 * What match.c and `modelcensus rules` need beyond rule_info.  Everything
 * returned points into the catalog and lives as long as it.
 */

/* PCRE2 limits for every match against the catalog (match.c sets them in
 * its pcre2_match_context): a pattern that backtracks catastrophically
 * fails fast with PCRE2_ERROR_MATCHLIMIT / DEPTHLIMIT instead of hanging a
 * scan.  Normal phrase patterns stay orders of magnitude below them. */
#define RULES_MATCH_LIMIT 2000000u
#define RULES_DEPTH_LIMIT 20000u

/* A lower-case ASCII literal of 3 bytes or more, with its length.  id
 * numbers the catalog's distinct literals (below rules_literal_count()):
 * a matcher looks each one up once per text. */
struct rule_literal {
	const char *s;
	size_t len;
	size_t id;
};

/* A condition every match of a pattern meets: at least one of its
 * literals occurs in the match (one literal: a plain run of the pattern;
 * several: one per alternative of a group, as in `(?:gnu gpl|lgpl)`). */
struct rule_clause {
	const struct rule_literal *v;
	size_t n;
};

/* One compiled pattern.  code is a pcre2_code (8-bit code units), compiled
 * with PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS and JIT-compiled by
 * rules_jit_pattern() before its first match, where the platform allows.  literal, when not NULL, is the longest lower-case ASCII
 * string that every match of the pattern contains; clauses are every such
 * condition found (the prefilter: a text failing one cannot match). */
struct rule_pattern {
	const char *source;
	const char *literal;
	size_t literal_len;
	const struct rule_clause *clauses;
	size_t n_clauses;
	size_t line;		/* 1-based line in the rule file */
	const void *code;
	atomic_int jit_done;	/* rules_jit_pattern() has run for it */
};

struct rule_patterns {
	const struct rule_pattern *v;
	size_t n;
};

struct rule_match_spec {
	struct rule_patterns all, any, none, mentions;
	/* match.end: the license's last sentence; text after it is added text
	 * (without it a full text runs on to the next license or the end) */
	struct rule_patterns end;
	size_t any_min;		/* of any.patterns, at least this many */
	double threshold;	/* coverage needed for a full match */
	/* a literal every full text contains: `prefilter:` of the rule, else
	 * the longest literal of its `all` patterns; NULL when none.  match.c
	 * also checks every clause of the `all` and `any` patterns before
	 * running any of them. */
	const char *prefilter;
	struct rule_literal prefilter_lit;	/* the same, with its id */
	/* `own_restrictions: true`: the license's own text uses restriction
	 * phrases; only those outside its lines mark it modified */
	int own_restrictions;
};

void rule_match_spec(const struct rule *r, struct rule_match_spec *out);
const struct strlist *rule_aliases(const struct rule *r);
struct rule_patterns rule_base_models(const struct rule *r);

/* An example of a rule file (or of restrictions.yaml). */
struct rule_example {
	const char *text;
	int positive;
	const char *kind;	/* positive: "full", "mention" or "modified" */
	const char *file;	/* the file it is written in */
	size_t line;		/* 1-based line in the file */
};

size_t rule_examples(const struct rule *r, const struct rule_example **out);

/* The restriction phrases of every restrictions.yaml in force, and their
 * examples (positive: must hit; negative: must not). */
struct rule_patterns rules_restrictions(const struct rules *rules);
size_t rules_restriction_examples(const struct rules *rules,
				  const struct rule_example **out);

/*
 * families.yaml (weaker lineage evidence, docs/verdicts.md, "Lineage").  A family
 * is a pattern over a normalised model name or sentence and the rule ids
 * it maps to.  rules_family_of() finds the first family, in file order,
 * whose pattern matches text[0..len) (lower-cased by the caller or not:
 * the patterns are caseless): 1 with *out filled (its match span, offsets
 * into text), 0 when none does.  pf, when text lies in a normalised text
 * the prefilter has indexed, skips the families that cannot occur in it.
 */
struct rule_family {
	const char *pattern;		/* its source, as written */
	const struct strlist *rules;	/* rule ids, each in the catalog */
	const struct strlist *unless;	/* dropped when one of these binds the model */
	size_t line;			/* 1-based line in families.yaml */
	size_t start, end;		/* the match in the text */
};
struct prefilter_text;
int rules_family_of(const struct rules *rules, const char *text, size_t len,
		    struct prefilter_text *pf, struct rule_family *out);
/* The derivation phrases: derives_from precede the base they name
 * ("fine-tuned from"), derived_by follow it ("... fine-tune"). */
struct rule_patterns rules_derives_from(const struct rules *rules);
struct rule_patterns rules_derived_by(const struct rules *rules);

/*
 * The vocabularies of restrictions.yaml that judge a sentence by meaning
 * (match.c's sentence classifier; rules/README.md):
 */
enum restrict_vocab {
	RV_TOPICS,		/* what is restricted: commercial use, sale, revenue... */
	RV_PROHIBITIONS,	/* it is forbidden: not, no, prohibited, may not... */
	RV_LIMITS,		/* use limited to research, non-commercial... purposes */
	RV_PERMISSION,		/* it needs permission, an agreement, a fee, contact */
	RV_PERMITTED,		/* spans that grant, not restrict: blanked first */
	RV_IGNORE,		/* sentences never read: warranty, liability, marks */
	RV_COUNT
};
struct rule_patterns rules_restriction_vocab(const struct rules *rules,
					     enum restrict_vocab which);
/* The literals a sentence must hold for a `topics` or `limits` pattern to
 * match it (prefilter.h): the classifier reads only the sentences around
 * them. */
struct prefilter_cover;
const struct prefilter_cover *rules_classifier_cover(const struct rules *rules);

/* How many distinct literals the patterns' clauses and prefilters use:
 * every rule_literal id is below it. */
size_t rules_literal_count(const struct rules *rules);

/* The largest capture count of any pattern (for sizing match data). */
unsigned rules_max_captures(const struct rules *rules);

/* The directories in force, base catalog first. */
const struct strlist *rules_dirs(const struct rules *rules);

/*
 * JIT-compiles text pattern p of the catalog, once, on the first call from
 * any thread; the matcher calls it before every match of a text pattern
 * (after the first, one atomic load).  Only the patterns a scan runs are
 * compiled (most never run: the prefilter skips them), and none is
 * JIT-compiled while another thread matches it, since every match waits
 * for its pattern's first call to end.
 */
void rules_jit_pattern(const struct rules *rules, const struct rule_pattern *p);

/* Pattern statistics: how many, how many JIT-compiled, JIT code bytes. */
void rules_jit_stats(const struct rules *rules, size_t *patterns,
		     size_t *jitted, size_t *jit_bytes);

/* Catalog checks that do not stop loading (`rules test` reports them): an
 * alias claimed by two rules, a policy_of or family naming no rule.  Adds
 * one message per problem ("FILE:LINE: ...") to problems. */
void rules_lint(const struct rules *rules, struct strlist *problems);

/* The key rules_by_alias compares: trimmed, lower case, runs of '_', white
 * space and '-' folded to one '-'.  The caller owns the result. */
char *rules_alias_key(const char *value);

#endif
