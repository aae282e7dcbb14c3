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
 * Unknown keys are errors, so a typo never weakens a gate silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "modelcensus/policy.h"
#include "modelcensus/banned.h"

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

struct loader {
	yaml_document_t doc;
	const char *path;
	struct mc_error *err;
};

static int fail_at(struct loader *l, yaml_node_t *n, const char *what)
{
	return mc_error_set(l->err, "%s:%zu: %s", l->path,
			    n ? n->start_mark.line + 1 : 0, what);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A scalar or a sequence of scalars, each added to field. */
static int load_values(struct loader *l, struct policy *p, int deny, int field,
		       yaml_node_t *n)
{
	char where[128];

	snprintf(where, sizeof(where), "%s:%zu", l->path, n->start_mark.line + 1);
	if (scalar(n))
		return add_value(p, deny, field, scalar(n), where, l->err);
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(l, n, "expected a value or a list of values");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = yaml_document_get_node(&l->doc, *it);

		if (!scalar(v))
			return fail_at(l, v, "expected a plain value in the list");
		snprintf(where, sizeof(where), "%s:%zu", l->path, v->start_mark.line + 1);
		if (add_value(p, deny, field, scalar(v), where, l->err) < 0)
			return -1;
	}
	return 0;
}

static int load_section(struct loader *l, struct policy *p, int deny, yaml_node_t *n)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(l, n, "expected a mapping of licenses, commercial_use, conditions, review");
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	     pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, pr->value);
		const char *key = scalar(k);
		int field = -1;

		for (int f = 0; key && f < PF__COUNT; f++)
			if (!strcmp(key, field_names[f]) ||
			    (f == PF_LICENSE && !strcmp(key, "license")) ||
			    (f == PF_CONDITION && !strcmp(key, "condition")))
				field = f;
		if (field < 0) {
			char msg[256];

			snprintf(msg, sizeof(msg), "unknown key '%s' (expected licenses, commercial_use, conditions or review)",
				 key ? key : "?");
			return fail_at(l, k, msg);
		}
		if (load_values(l, p, deny, field, v) < 0)
			return -1;
	}
	return 0;
}

static int load_exceptions(struct loader *l, struct policy *p, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(l, n, "exceptions must be a list of {model, note}");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(&l->doc, *it);
		const char *model = NULL, *note = NULL;

		if (!e || e->type != YAML_MAPPING_NODE)
			return fail_at(l, e, "an exception must be a mapping with model and note");
		for (yaml_node_pair_t *pr = e->data.mapping.pairs.start;
		     pr < e->data.mapping.pairs.top; pr++) {
			const char *key = scalar(yaml_document_get_node(&l->doc, pr->key));
			const char *val = scalar(yaml_document_get_node(&l->doc, pr->value));

			if (key && !strcmp(key, "model"))
				model = val;
			else if (key && !strcmp(key, "note"))
				note = val;
			else
				return fail_at(l, e, "an exception takes only model and note");
		}
		if (!model || !*model)
			return fail_at(l, e, "an exception needs a model (model id or path)");
		if (!note || !*note)
			return fail_at(l, e, "an exception needs a note saying why");
		ALLOC_GROW(p->exceptions, p->nexceptions + 1, p->exceptions_alloc);
		p->exceptions[p->nexceptions].model = xstrdup(model);
		p->exceptions[p->nexceptions].note = xstrdup(note);
		p->nexceptions++;
	}
	return 0;
}

int policy_load(struct policy *p, const char *path, struct mc_error *err)
{
	struct loader l = { .path = path, .err = err };
	yaml_parser_t parser;
	yaml_node_t *root;
	FILE *fp = fopen(path, "rb");
	int rc = 0;

	if (!fp)
		return mc_error_set(err, "cannot open policy '%s'", path);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &l.doc)) {
		rc = mc_error_set(err, "%s:%zu: %s", path, parser.problem_mark.line + 1,
				  parser.problem ? parser.problem : "cannot parse");
		yaml_parser_delete(&parser);
		fclose(fp);
		return rc;
	}
	root = yaml_document_get_root_node(&l.doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = mc_error_set(err, "%s: a policy is a mapping with deny, allow and exceptions", path);
		goto done;
	}
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top && !rc; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l.doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&l.doc, pr->value);
		const char *key = scalar(k);

		if (key && !strcmp(key, "deny"))
			rc = load_section(&l, p, 1, v);
		else if (key && !strcmp(key, "allow"))
			rc = load_section(&l, p, 0, v);
		else if (key && !strcmp(key, "exceptions"))
			rc = load_exceptions(&l, p, v);
		else
			rc = fail_at(&l, k, "unknown key (expected deny, allow or exceptions)");
	}
done:
	yaml_document_delete(&l.doc);
	yaml_parser_delete(&parser);
	fclose(fp);
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
