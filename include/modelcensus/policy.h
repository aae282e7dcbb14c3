/*
 * policy.h: the CI policy that `check` enforces.  policy.c owns loading
 * the policy file (YAML, parsed with libyaml's document API: the file is
 * the user's own and small), the --deny/--allow lists, and judging one
 * inventory row against it.  It never reads the database and never prints.
 *
 * Every value is checked against what the project knows (so a typo never
 * weakens a gate): the commercial_use values, the review reasons of
 * docs/verdicts.md, the condition codes the loaded rules declare, and the
 * catalog's license ids and aliases (an alias stands for its rule's id)
 * plus `other` and `unknown`.  An unknown value is an error that suggests
 * the nearest known one (edit distance, or a value it begins).
 *
 * A policy has, per field (license ids, commercial_use values, condition
 * codes, review reasons), a deny list (a model showing any listed value
 * violates it) and an allow list (when not empty, a model showing any
 * value outside it violates it), plus exceptions by model id or path.
 */
#ifndef MODELCENSUS_POLICY_H
#define MODELCENSUS_POLICY_H

#include "util.h"
#include "rules.h"

enum policy_field {
	PF_LICENSE,
	PF_COMMERCIAL,
	PF_CONDITION,
	PF_REVIEW,
	PF__COUNT,
};

struct policy_exception {
	char *model;	/* model id (any case) or path */
	char *note;
	char *where;	/* "FILE:LINE" of the exception in its policy file */
};

struct policy {
	const struct rules *rules;	/* the catalog: license ids; not owned */
	struct strlist conditions;	/* every condition code of the rules, sorted */
	struct strlist deny[PF__COUNT], allow[PF__COUNT];
	struct policy_exception *exceptions;
	size_t nexceptions, exceptions_alloc;
};

/* An empty policy whose values are checked against rules (which must
 * outlive p). */
void policy_init(struct policy *p, const struct rules *rules);
void policy_release(struct policy *p);

/* Adds the policy file at path; -1 with err naming the file, the line and
 * the problem. */
int policy_load(struct policy *p, const char *path, struct mc_error *err);

/*
 * Adds a comma-separated --deny or --allow list.  Each item is classified:
 * `license:X`, `commercial:X` (or `commercial_use:X`), `condition:X` and
 * `review:X` say so explicitly; otherwise the item is looked up in every
 * vocabulary and must be found in exactly one (`unknown` alone is the
 * commercial_use value; `license:unknown` is the license).  -1 with err
 * saying what is wrong: an unknown value (with "did you mean 'X'?" when one
 * is near), or a value of several kinds (naming the prefixed forms).
 */
int policy_add_list(struct policy *p, int deny, const char *list,
		    struct mc_error *err);

int policy_is_empty(const struct policy *p);

/* Does exception e name the model (its id, in any case, or its path)? */
int policy_exception_matches(const struct policy_exception *e,
			     const char *model_id, const char *path);

/* The exception that covers the model (by id or path), or NULL. */
const struct policy_exception *policy_exception_for(const struct policy *p,
						    const char *model_id,
						    const char *path);

/*
 * Judges one model: appends to out one line per rule broken, e.g.
 * "commercial_use 'not-allowed' is denied (deny commercial_use)", and,
 * when rule_ids is not NULL, the id of that rule (policy_rule_id()) to
 * rule_ids at the same position.  license is the ` AND ` expression;
 * conditions and review are comma-separated (NULL when empty).
 */
void policy_judge(const struct policy *p, const char *license,
		  const char *commercial_use, const char *conditions,
		  const char *review, struct strlist *out,
		  struct strlist *rule_ids);

/* The field's name in a policy file: "licenses", "commercial_use",
 * "conditions", "review". */
const char *policy_field_name(enum policy_field f);
/* The id of the deny or allow rule of field f: "deny-commercial_use",
 * "allow-licenses", ... (a static string). */
const char *policy_rule_id(enum policy_field f, int deny);

#endif
