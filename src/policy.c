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
 * a second YAML document in the file.  The file is read up to
 * POLICY_FILE_MAX bytes (larger is an error, not a silent cut); the YAML
 * walking is yaml_doc.h's.
 */
#include <stdio.h>
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
static const char *const condition_codes[] = {
	"mau-700m", "mau-100m", "revenue-1m-usd", "attribution", "name-prefix",
	"use-restrictions", "share-alike", "copyleft", "network-copyleft",
	"no-derivatives", "hosting-restricted", "no-training-other-llms",
	"eu-multimodal-excluded", NULL,
};

const char *policy_field_name(enum policy_field f)
{
	return field_names[f];
}

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
}

void policy_release(struct policy *p)
{
	for (int f = 0; f < PF__COUNT; f++) {
		strlist_clear(&p->deny[f]);
		strlist_clear(&p->allow[f]);
	}
	for (size_t i = 0; i < p->nexceptions; i++) {
		free(p->exceptions[i].model);
		free(p->exceptions[i].note);
	}
	free(p->exceptions);
	policy_init(p);
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
	if (in_list(commercial_values, v))
		return PF_COMMERCIAL;
	if (in_list(review_reasons, v))
		return PF_REVIEW;
	if (in_list(condition_codes, v))
		return PF_CONDITION;
	return PF_LICENSE;
}

static int add_value(struct policy *p, int deny, int field, const char *v,
		     const char *where, struct mc_error *err)
{
	char *val = str_trim(xstrdup(v));

	str_lower(val);
	if (!*val) {
		free(val);
		return mc_error_set(err, "%s: empty value", where);
	}
	if (field == PF_COMMERCIAL && !in_list(commercial_values, val)) {
		mc_error_set(err, "%s: '%s' is not a commercial_use value (allowed, conditional, not-allowed, unknown)",
			     where, val);
		free(val);
		return -1;
	}
	if (field == PF_REVIEW && !in_list(review_reasons, val)) {
		mc_error_set(err, "%s: '%s' is not a review reason", where, val);
		free(val);
		return -1;
	}
	strlist_add_unique(deny ? &p->deny[field] : &p->allow[field], val);
	free(val);
	return 0;
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

const struct policy_exception *policy_exception_for(const struct policy *p,
						    const char *model_id,
						    const char *path)
{
	for (size_t i = 0; i < p->nexceptions; i++) {
		const char *m = p->exceptions[i].model;

		if ((model_id && str_iequal(m, model_id)) || (path && !strcmp(m, path)))
			return &p->exceptions[i];
	}
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
		  const char *review, struct strlist *out)
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

			if (strlist_has(&p->deny[f], v))
				strlist_add_nodup(out, xstrfmt("%s '%s' is denied (deny %s)",
							       label[f], v, field_names[f]));
			else if (p->allow[f].n && !strlist_has(&p->allow[f], v))
				strlist_add_nodup(out, xstrfmt("%s '%s' is not in the allow list (allow %s)",
							       label[f], v, field_names[f]));
		}
		strlist_clear(&have[f]);
	}
}
