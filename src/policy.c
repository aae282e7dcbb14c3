/*
 * policy.c: loading and applying the CI policy of `check` (policy.h).
 *
 * File format (YAML):
 *   deny:
 *     commercial_use: [not-allowed, unknown]
 *     licenses: [agpl-3.0]
 *     conditions: [network-copyleft]
 *     review: [conflict, modified-text]
 *   allow:
 *     licenses: [apache-2.0, mit]
 *   exceptions:
 *     - model: org/name          # or a path
 *       note: approved by legal, TICKET-123
 * Unknown keys are errors, so a typo never weakens a gate silently; so is
 * a second YAML document in the file, and so is a value no vocabulary
 * knows (policy.h): the error names the file and the value's line and
 * suggests the nearest known value.  The file is read up to
 * POLICY_FILE_MAX bytes (larger is an error, not a silent cut); the YAML
 * walking is yaml_doc.h's.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/policy.h"
#include "modelcensus/yaml_doc.h"
#include "modelcensus/banned.h"

#define POLICY_FILE_MAX (4u * 1024 * 1024)	/* as a rule file: far above any policy */

static const char *const field_names[PF__COUNT] = {
	[PF_LICENSE] = "licenses",
	[PF_COMMERCIAL] = "commercial_use",
	[PF_CONDITION] = "conditions",
	[PF_REVIEW] = "review",
};

static const char *const commercial_values[] = {
	"allowed", "conditional", "not-allowed", "unknown", NULL,
};
static const char *const review_reasons[] = {
	"conflict", "inherited", "unrecognized-text", "custom-license",
	"no-license", "card-body-restriction", "gated", "modified-text", NULL,
};
/* The kinds of value, as messages name them, and as prefixes spell them. */
static const char *const kind_names[PF__COUNT] = {
	[PF_LICENSE] = "license id",
	[PF_COMMERCIAL] = "commercial_use value",
	[PF_CONDITION] = "condition code",
	[PF_REVIEW] = "review reason",
};
static const char *const kind_prefix[PF__COUNT] = {
	[PF_LICENSE] = "license:",
	[PF_COMMERCIAL] = "commercial:",
	[PF_CONDITION] = "condition:",
	[PF_REVIEW] = "review:",
};

const char *policy_field_name(enum policy_field f)
{
	return field_names[f];
}

const char *policy_rule_id(enum policy_field f, int deny)
{
	static const char *const ids[2][PF__COUNT] = {
		{ "allow-licenses", "allow-commercial_use", "allow-conditions", "allow-review" },
		{ "deny-licenses", "deny-commercial_use", "deny-conditions", "deny-review" },
	};

	return ids[!!deny][f];
}

void policy_init(struct policy *p, const struct rules *rules)
{
	memset(p, 0, sizeof(*p));
	p->rules = rules;
	/* the codes the rules declare; verdict.c adds only use-restrictions,
	 * which rules declare too, but the vocabulary must not depend on it */
	strlist_add(&p->conditions, "use-restrictions");
	for (size_t i = 0; rules && i < rules_count(rules); i++) {
		struct rule_info ri;

		rule_info(rules_at(rules, i), &ri);
		for (size_t k = 0; ri.conditions && k < ri.conditions->n; k++)
			strlist_add_unique(&p->conditions, ri.conditions->v[k]);
	}
	strlist_sort_unique(&p->conditions);
}

void policy_release(struct policy *p)
{
	strlist_clear(&p->conditions);
	for (int f = 0; f < PF__COUNT; f++) {
		strlist_clear(&p->deny[f]);
		strlist_clear(&p->allow[f]);
	}
	for (size_t i = 0; i < p->nexceptions; i++) {
		free(p->exceptions[i].model);
		free(p->exceptions[i].note);
		free(p->exceptions[i].where);
	}
	free(p->exceptions);
	memset(p, 0, sizeof(*p));
}

int policy_is_empty(const struct policy *p)
{
	for (int f = 0; f < PF__COUNT; f++)
		if (p->deny[f].n || p->allow[f].n)
			return 0;
	return 1;
}

static int in_list(const char *const *list, const char *v)
{
	for (; *list; list++)
		if (!strcmp(*list, v))
			return 1;
	return 0;
}

/* ---- vocabularies ------------------------------------------------------ */

/*
 * Optimal string alignment distance (Levenshtein with adjacent
 * transpositions) between a and b, or SIZE_MAX when it exceeds cap or
 * either is longer than WORD_MAX (no value worth suggesting is).
 */
#define WORD_MAX 64
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[WORD_MAX + 1][WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX || (la > lb ? la - lb : lb - la) > cap)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb] <= cap ? d[la][lb] : SIZE_MAX;
}

/* The nearest known value to a typo: the smallest edit distance (at most 1
 * for a value of up to 4 characters, else 2), else the first known value
 * that the typo begins (3 characters or more: "apache" -> "apache-2.0"). */
struct suggestion {
	const char *value;	/* the typo, normalised */
	size_t cap;
	size_t best;
	char *word;		/* owned */
	int prefix;		/* word was found as a prefix match */
};

static void suggest_init(struct suggestion *s, const char *value)
{
	memset(s, 0, sizeof(*s));
	s->value = value;
	s->cap = strlen(value) <= 4 ? 1 : 2;
	s->best = SIZE_MAX;
}

/* Considers candidate (compared as key; suggested as shown). */
static void suggest_consider(struct suggestion *s, const char *key, const char *shown)
{
	size_t dist = edit_distance(s->value, key, s->cap);

	if (dist < s->best) {
		s->best = dist;
		free(s->word);
		s->word = xstrdup(shown);
		s->prefix = 0;
	} else if (s->best == SIZE_MAX && !s->word && strlen(s->value) >= 3 &&
		   str_has_prefix(key, s->value) && strcmp(key, s->value)) {
		s->word = xstrdup(shown);
		s->prefix = 1;
	}
}

static void suggest_list(struct suggestion *s, const char *const *list)
{
	for (; *list; list++)
		suggest_consider(s, *list, *list);
}

static void suggest_licenses(struct suggestion *s, const struct rules *rules)
{
	char *key = rules_alias_key(s->value);
	const char *value = s->value;

	s->value = key;
	for (size_t i = 0; rules && i < rules_count(rules); i++) {
		const struct rule *r = rules_at(rules, i);
		const struct strlist *aliases = rule_aliases(r);
		char *k = rules_alias_key(rule_id(r));

		suggest_consider(s, k, rule_id(r));
		free(k);
		for (size_t a = 0; aliases && a < aliases->n; a++) {
			k = rules_alias_key(aliases->v[a]);
			suggest_consider(s, k, rule_id(r));
			free(k);
		}
	}
	suggest_consider(s, "other", "other");
	suggest_consider(s, "unknown", "unknown");
	s->value = value;
	free(key);
}

static void suggest_field(struct suggestion *s, const struct policy *p, int field)
{
	switch (field) {
	case PF_COMMERCIAL: suggest_list(s, commercial_values); break;
	case PF_REVIEW: suggest_list(s, review_reasons); break;
	case PF_CONDITION:
		for (size_t i = 0; i < p->conditions.n; i++)
			suggest_consider(s, p->conditions.v[i], p->conditions.v[i]);
		break;
	default: suggest_licenses(s, p->rules); break;
	}
}

/*
 * Is v (normalised) a value of field?  For a license, *canon is set to the
 * id it stands for (an alias gives its rule's id; the caller frees it).
 */
static int known(const struct policy *p, int field, const char *v, char **canon)
{
	const struct rule *r;

	switch (field) {
	case PF_COMMERCIAL: return in_list(commercial_values, v);
	case PF_REVIEW: return in_list(review_reasons, v);
	case PF_CONDITION: return strlist_has(&p->conditions, v);
	default:
		if (!strcmp(v, "other") || !strcmp(v, "unknown")) {
			*canon = xstrdup(v);
			return 1;
		}
		r = p->rules ? rules_by_id(p->rules, v) : NULL;
		if (!r && p->rules)
			r = rules_by_alias(p->rules, v);
		if (!r)
			return 0;
		*canon = xstrdup(rule_id(r));
		str_lower(*canon);
		return 1;
	}
}

/* err = "WHERE: MESSAGE; did you mean 'X'?" (the suggestion when any). */
static int fail_unknown(struct mc_error *err, const char *where, struct suggestion *s,
			const char *msg)
{
	if (s->word)
		mc_error_set(err, "%s: %s; did you mean '%s'?", where, msg, s->word);
	else
		mc_error_set(err, "%s: %s", where, msg);
	free(s->word);
	return -1;
}

/*
 * Adds value v to the deny or allow list of field (-1: no prefix said which;
 * v is looked up in every vocabulary).  where names the flag or FILE:LINE.
 */
static int add_value(struct policy *p, int deny, int field, const char *v,
		     const char *where, struct mc_error *err)
{
	char *val = str_trim(xstrdup(v)), *canon = NULL, *msg = NULL;
	struct suggestion sg;
	int found[PF__COUNT], nfound = 0, rc = -1;

	str_lower(val);
	if (!*val) {
		free(val);
		return mc_error_set(err, "%s: empty value", where);
	}
	suggest_init(&sg, val);
	if (field >= 0) {
		if (!known(p, field, val, &canon)) {
			suggest_field(&sg, p, field);
			if (field == PF_COMMERCIAL)
				msg = xstrfmt("'%s' is not a commercial_use value (allowed, conditional, not-allowed, unknown)", val);
			else if (field == PF_LICENSE)
				msg = xstrfmt("'%s' is not a license id or alias of the rules in force (see 'modelcensus rules list')", val);
			else
				msg = xstrfmt("'%s' is not a %s", val, kind_names[field]);
			fail_unknown(err, where, &sg, msg);
			goto done;
		}
	} else {
		for (int f = 0; f < PF__COUNT; f++) {
			char *c = NULL;

			/* `unknown` alone is the commercial_use value (the common gate) */
			if (f == PF_LICENSE && !strcmp(val, "unknown"))
				continue;
			if (known(p, f, val, &c)) {
				found[nfound++] = f;
				if (c) {
					free(canon);
					canon = c;
				}
			}
		}
		if (nfound > 1) {
			struct strbuf sb = STRBUF_INIT;

			for (int i = 0; i < nfound; i++)
				strbuf_addf(&sb, "%sa %s", i ? (i + 1 < nfound ? ", " : " and ") : "",
					    kind_names[found[i]]);
			strbuf_addf(&sb, "; write ");
			for (int i = 0; i < nfound; i++)
				strbuf_addf(&sb, "%s'%s%s'", i ? (i + 1 < nfound ? ", " : " or ") : "",
					    kind_prefix[found[i]], val);
			mc_error_set(err, "%s: '%s' is ambiguous: %s", where, val, strbuf_str(&sb));
			strbuf_release(&sb);
			goto done;
		}
		if (!nfound) {
			for (int f = 0; f < PF__COUNT; f++)
				suggest_field(&sg, p, (f + 1) % PF__COUNT);	/* licenses last */
			msg = xstrfmt("unknown value '%s' (not a commercial_use value, review reason, condition code or license id)", val);
			fail_unknown(err, where, &sg, msg);
			goto done;
		}
		field = found[0];
	}
	strlist_add_unique(deny ? &p->deny[field] : &p->allow[field],
			   field == PF_LICENSE ? canon : val);
	rc = 0;
done:
	free(msg);
	free(canon);
	free(val);
	return rc;
}

/* The field a `kind:` prefix of v names (*value past it), or -1. */
static int field_of(const char *v, const char **value)
{
	static const struct { const char *prefix; enum policy_field f; } explicit[] = {
		{ "license:", PF_LICENSE }, { "commercial:", PF_COMMERCIAL },
		{ "commercial_use:", PF_COMMERCIAL }, { "condition:", PF_CONDITION },
		{ "review:", PF_REVIEW },
	};

	for (size_t i = 0; i < sizeof(explicit) / sizeof(*explicit); i++) {
		if (str_has_prefix(v, explicit[i].prefix)) {
			*value = v + strlen(explicit[i].prefix);
			return explicit[i].f;
		}
	}
	*value = v;
	return -1;
}

int policy_add_list(struct policy *p, int deny, const char *list,
		    struct mc_error *err)
{
	char *copy = xstrdup(list), *item = copy, *next;
	int rc = 0;

	for (; item && !rc; item = next) {
		const char *value;
		int field;

		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		str_trim(item);
		if (!*item)
			continue;
		str_lower(item);	/* "License:MIT" too */
		field = field_of(item, &value);
		rc = add_value(p, deny, field, value, deny ? "--deny" : "--allow", err);
	}
	free(copy);
	return rc;
}

/* ---- the policy file ------------------------------------------------- */

/* A scalar or a list of scalars, each added to field. */
static int load_values(struct yaml_doc *d, struct policy *p, int deny, int field,
		       const yaml_node_t *n)
{
	const yaml_node_t *v;
	char where[128];

	snprintf(where, sizeof(where), "%s:%zu", d->file, yaml_doc_line(n));
	if (yaml_doc_scalar(n))
		return add_value(p, deny, field, yaml_doc_scalar(n), where, d->err);
	if (n->type != YAML_SEQUENCE_NODE)
		return yaml_doc_fail(d, n, "expected a value or a list of values");
	for (size_t i = 0; (v = yaml_doc_item(d, n, i)); i++) {
		if (!yaml_doc_scalar(v))
			return yaml_doc_fail(d, v, "expected a plain value in the list");
		snprintf(where, sizeof(where), "%s:%zu", d->file, yaml_doc_line(v));
		if (add_value(p, deny, field, yaml_doc_scalar(v), where, d->err) < 0)
			return -1;
	}
	return 0;
}

static int load_section(struct yaml_doc *d, struct policy *p, int deny, const yaml_node_t *n)
{
	struct yaml_pair pr;

	if (n->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(d, n, "expected a mapping of licenses, commercial_use, conditions, review");
	for (size_t i = 0; yaml_doc_pair(d, n, i, &pr); i++) {
		int field = -1;

		for (int f = 0; pr.key && f < PF__COUNT; f++)
			if (!strcmp(pr.key, field_names[f]) ||
			    (f == PF_LICENSE && !strcmp(pr.key, "license")) ||
			    (f == PF_CONDITION && !strcmp(pr.key, "condition")))
				field = f;
		if (field < 0)
			return yaml_doc_fail(d, pr.key_node,
					     "unknown key '%s' (expected licenses, commercial_use, conditions or review)",
					     pr.key ? pr.key : "?");
		if (load_values(d, p, deny, field, pr.value) < 0)
			return -1;
	}
	return 0;
}

static int load_exceptions(struct yaml_doc *d, struct policy *p, const yaml_node_t *n)
{
	const yaml_node_t *e;

	if (n->type != YAML_SEQUENCE_NODE)
		return yaml_doc_fail(d, n, "exceptions must be a list of {model, note}");
	for (size_t i = 0; (e = yaml_doc_item(d, n, i)); i++) {
		const char *model = NULL, *note = NULL;
		struct yaml_pair pr;

		if (e->type != YAML_MAPPING_NODE)
			return yaml_doc_fail(d, e, "an exception must be a mapping with model and note");
		for (size_t j = 0; yaml_doc_pair(d, e, j, &pr); j++) {
			if (pr.key && !strcmp(pr.key, "model"))
				model = yaml_doc_scalar(pr.value);
			else if (pr.key && !strcmp(pr.key, "note"))
				note = yaml_doc_scalar(pr.value);
			else
				return yaml_doc_fail(d, e, "an exception takes only model and note");
		}
		if (!model || !*model)
			return yaml_doc_fail(d, e, "an exception needs a model (model id or path)");
		if (!note || !*note)
			return yaml_doc_fail(d, e, "an exception needs a note saying why");
		ALLOC_GROW(p->exceptions, p->nexceptions + 1, p->exceptions_alloc);
		p->exceptions[p->nexceptions].model = xstrdup(model);
		p->exceptions[p->nexceptions].note = xstrdup(note);
		p->exceptions[p->nexceptions].where = xstrfmt("%s:%zu", d->file, yaml_doc_line(e));
		p->nexceptions++;
	}
	return 0;
}

int policy_load(struct policy *p, const char *path, struct mc_error *err)
{
	struct yaml_doc d;
	struct yaml_pair pr;
	const yaml_node_t *root;
	char *buf = NULL;
	size_t len;
	int truncated, rc;

	if (read_file_capped(path, POLICY_FILE_MAX, &buf, &len, &truncated, err) < 0)
		return -1;	/* err names the file and why */
	if (truncated) {
		free(buf);
		return mc_error_set(err, "%s: policy larger than %u bytes", path, POLICY_FILE_MAX);
	}
	rc = yaml_doc_load(&d, path, buf, len, err);
	if (rc)
		goto done;
	root = yaml_doc_root(&d);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = mc_error_set(err, "%s: a policy is a mapping with deny, allow and exceptions", path);
		goto done;
	}
	for (size_t i = 0; !rc && yaml_doc_pair(&d, root, i, &pr); i++) {
		if (pr.key && !strcmp(pr.key, "deny"))
			rc = load_section(&d, p, 1, pr.value);
		else if (pr.key && !strcmp(pr.key, "allow"))
			rc = load_section(&d, p, 0, pr.value);
		else if (pr.key && !strcmp(pr.key, "exceptions"))
			rc = load_exceptions(&d, p, pr.value);
		else
			rc = yaml_doc_fail(&d, pr.key_node,
					   "unknown key (expected deny, allow or exceptions)");
	}
done:
	yaml_doc_release(&d);
	free(buf);
	return rc;
}

int policy_exception_matches(const struct policy_exception *e,
			     const char *model_id, const char *path)
{
	return (model_id && str_iequal(e->model, model_id)) ||
	       (path && !strcmp(e->model, path));
}

const struct policy_exception *policy_exception_for(const struct policy *p,
						    const char *model_id,
						    const char *path)
{
	for (size_t i = 0; i < p->nexceptions; i++)
		if (policy_exception_matches(&p->exceptions[i], model_id, path))
			return &p->exceptions[i];
	return NULL;
}

static void split(struct strlist *out, const char *s, const char *sep)
{
	size_t seplen = strlen(sep);

	while (s && *s) {
		const char *q = strstr(s, sep);
		size_t n = q ? (size_t)(q - s) : strlen(s);

		if (n)
			strlist_add_nodup(out, xstrndup(s, n));
		s = q ? q + seplen : NULL;
	}
}

void policy_judge(const struct policy *p, const char *license,
		  const char *commercial_use, const char *conditions,
		  const char *review, struct strlist *out,
		  struct strlist *rule_ids)
{
	static const char *const label[PF__COUNT] = {
		"license", "commercial_use", "condition", "review reason",
	};
	struct strlist have[PF__COUNT];

	memset(have, 0, sizeof(have));
	split(&have[PF_LICENSE], license ? license : "unknown", " AND ");
	strlist_add(&have[PF_COMMERCIAL], commercial_use ? commercial_use : "unknown");
	split(&have[PF_CONDITION], conditions, ",");
	split(&have[PF_REVIEW], review, ",");
	for (int f = 0; f < PF__COUNT; f++) {
		for (size_t i = 0; i < have[f].n; i++) {
			const char *v = have[f].v[i];

			int deny = strlist_has(&p->deny[f], v);

			if (!deny && (!p->allow[f].n || strlist_has(&p->allow[f], v)))
				continue;
			if (deny)
				strlist_add_nodup(out, xstrfmt("%s '%s' is denied (deny %s)",
							       label[f], v, field_names[f]));
			else
				strlist_add_nodup(out, xstrfmt("%s '%s' is not in the allow list (allow %s)",
							       label[f], v, field_names[f]));
			if (rule_ids)
				strlist_add(rule_ids, policy_rule_id(f, deny));
		}
		strlist_clear(&have[f]);
	}
}
