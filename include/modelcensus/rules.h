/*
 * rules.h: the license rule catalog, loaded at run time from YAML files in
 * rules directories (format: rules/README.md) and compiled once per process
 * with PCRE2 (JIT where available).
 *
 * rules.c owns: finding the rule directories in force, parsing rule files
 * with libyaml, compiling their patterns, the catalog look-ups (by id, by
 * alias, by base-model id) and the catalog digest.  Matching text against
 * the catalog is match.h's job.  A loaded catalog is read-only and may be
 * shared by any number of threads.
 */
#ifndef MODELCENSUS_RULES_H
#define MODELCENSUS_RULES_H

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
	const char *file;	/* the rule file it came from */
};

void rule_info(const struct rule *r, struct rule_info *out);
const char *rule_id(const struct rule *r);

/*
 * Loads every rule from the directories in force: each of user_dirs in
 * order (a later rule with an existing id replaces it), then
 * $MODELCENSUS_RULES, then the installed rules directory, else the source
 * tree's rules/.  On failure (unreadable file, YAML error, a pattern that
 * does not compile) returns -1 with err naming the file, the line and the
 * problem (PCRE2's message for patterns).  The caller owns *out.
 */
int rules_load(struct rules **out, const char *const *user_dirs,
	       size_t n_user_dirs, struct mc_error *err);
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

#endif
