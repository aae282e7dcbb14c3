/*
 * policy.h: the CI policy that `check` enforces.  policy.c owns loading
 * the policy file (YAML, parsed with libyaml's document API: the file is
 * the user's own and small), the --deny/--allow lists, and judging one
 * inventory row against it.  It never reads the database and never prints.
 *
 * A policy has, per field (license ids, commercial_use values, condition
 * codes, review reasons), a deny list (a model showing any listed value
 * violates it) and an allow list (when not empty, a model showing any
 * value outside it violates it), plus exceptions by model id or path.
 */
#ifndef MODELCENSUS_POLICY_H
#define MODELCENSUS_POLICY_H

#include "util.h"

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
};

struct policy {
	struct strlist deny[PF__COUNT], allow[PF__COUNT];
	struct policy_exception *exceptions;
	size_t nexceptions, exceptions_alloc;
};

void policy_init(struct policy *p);
void policy_release(struct policy *p);

/* Adds the policy file at path; -1 with err naming the file, the line and
 * the problem. */
int policy_load(struct policy *p, const char *path, struct mc_error *err);

/*
 * Adds a comma-separated --deny or --allow list.  Each item is classified:
 * `license:X`, `commercial:X`, `condition:X` and `review:X` say so
 * explicitly; otherwise allowed/conditional/not-allowed/unknown are
 * commercial_use values, the review reasons and condition codes of
 * docs/verdicts.md are those, and anything else is a license id.
 */
int policy_add_list(struct policy *p, int deny, const char *list,
		    struct mc_error *err);

int policy_is_empty(const struct policy *p);

/* The exception that covers the model (by id or path), or NULL. */
const struct policy_exception *policy_exception_for(const struct policy *p,
						    const char *model_id,
						    const char *path);

/*
 * Judges one model: appends to out one line per rule broken, e.g.
 * "commercial_use 'not-allowed' is denied (deny commercial_use)".
 * license is the ` AND ` expression; conditions and review are
 * comma-separated (NULL when empty).
 */
void policy_judge(const struct policy *p, const char *license,
		  const char *commercial_use, const char *conditions,
		  const char *review, struct strlist *out);

const char *policy_field_name(enum policy_field f);

#endif
