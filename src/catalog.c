/*
 * catalog.c: reading a loaded rule catalog (rules.h): the look-ups by id,
 * alias and base model, what match.c and `modelcensus rules` read of a
 * rule, the digest, and the catalog lint.  The catalog is built by rules.c
 * (rules_int.h holds the structures both see) and never changes here, so
 * every function is safe from any number of threads.  Nothing here prints.
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules_int.h"
#include "modelcensus/prefilter.h"
#include "modelcensus/banned.h"

const char *commercial_name(enum commercial c)
{
	switch (c) {
	case CU_ALLOWED: return "allowed";
	case CU_CONDITIONAL: return "conditional";
	case CU_NOT_ALLOWED: return "not-allowed";
	case CU_UNKNOWN: break;
	}
	return "unknown";
}

int commercial_parse(const char *s, enum commercial *out)
{
	static const enum commercial all[] = {
		CU_UNKNOWN, CU_ALLOWED, CU_CONDITIONAL, CU_NOT_ALLOWED,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		if (!strcmp(s, commercial_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

struct rule *rules_find_id(const struct rules *rules, const char *id, size_t *pos)
{
	for (size_t i = 0; i < rules->n; i++) {
		if (str_iequal(rules->v[i]->id, id)) {
			if (pos)
				*pos = i;
			return rules->v[i];
		}
	}
	return NULL;
}

/* ---- look-ups ----------------------------------------------------------- */

const char *rules_digest(const struct rules *rules)
{
	return rules->digest;
}

size_t rules_count(const struct rules *rules)
{
	return rules->n;
}

const struct rule *rules_at(const struct rules *rules, size_t i)
{
	return i < rules->n ? rules->v[i] : NULL;
}

const char *rule_id(const struct rule *r)
{
	return r->id;
}

void rule_info(const struct rule *r, struct rule_info *out)
{
	out->id = r->id;
	out->name = r->name;
	out->spdx = r->spdx;
	out->commercial = r->commercial;
	out->conditions = &r->conditions;
	out->incorporates = &r->incorporates;
	out->family = r->family;
	out->policy_of = r->policy_of;
	out->file = r->file;
	out->line = r->line;
}

const struct rule *rules_by_id(const struct rules *rules, const char *id)
{
	return id ? rules_find_id(rules, id, NULL) : NULL;
}

char *rules_alias_key(const char *value)
{
	struct strbuf sb = STRBUF_INIT;
	int sep = 0;

	for (const char *p = value; *p; p++) {
		char ch = *p;

		if (ch == '_' || ch == '-' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			sep = 1;
			continue;
		}
		if (sep && sb.len)
			strbuf_addch(&sb, '-');
		sep = 0;
		strbuf_addch(&sb, (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
	}
	return strbuf_detach(&sb);
}

const struct rule *rules_by_alias(const struct rules *rules, const char *value)
{
	const struct rule *found = NULL;
	char *key;
	size_t i, j;

	if (!value)
		return NULL;
	key = rules_alias_key(value);
	if (!*key)
		goto done;
	for (i = 0; i < rules->n && !found; i++)
		if (!strcmp(rules->v[i]->id_key, key))
			found = rules->v[i];
	/* later rules (overlays) win over earlier ones */
	for (i = rules->n; i-- > 0 && !found;)
		for (j = 0; j < rules->v[i]->alias_keys.n && !found; j++)
			if (!strcmp(rules->v[i]->alias_keys.v[j], key))
				found = rules->v[i];
done:
	free(key);
	return found;
}

/* Match data and a context under the catalog's match and depth limits,
 * for a look-up that runs patterns; -1 when out of memory (what was made
 * is still set, for the caller to free). */
static int match_begin(const struct rules *rules, pcre2_match_data **md,
		       pcre2_match_context **mctx)
{
	*mctx = pcre2_match_context_create(NULL);
	*md = pcre2_match_data_create(rules->max_captures + 1, NULL);
	if (!*mctx || !*md)
		return -1;
	pcre2_set_match_limit(*mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(*mctx, RULES_DEPTH_LIMIT);
	return 0;
}

const struct rule *rules_by_base_model(const struct rules *rules, const char *model_id)
{
	pcre2_match_context *mctx = NULL;
	pcre2_match_data *md = NULL;
	const struct rule *found = NULL;
	size_t len;

	if (!model_id)
		return NULL;
	len = strlen(model_id);
	if (match_begin(rules, &md, &mctx) < 0)
		goto done;
	for (size_t i = 0; i < rules->n && !found; i++) {
		const struct pattern_vec *pv = &rules->v[i]->base_models;

		for (size_t j = 0; j < pv->n && !found; j++) {
			rules_jit_pattern(rules, &pv->v[j]);
			if (pcre2_match(pv->v[j].code, (PCRE2_SPTR)model_id, len, 0, 0, md, mctx) >= 0)
				found = rules->v[i];
		}
	}
done:
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	return found;
}

/* ---- what match.c and the rules command read ----------------------------- */

static struct rule_patterns as_patterns(const struct pattern_vec *pv)
{
	struct rule_patterns p = { pv->v, pv->n };

	return p;
}

void rule_match_spec(const struct rule *r, struct rule_match_spec *out)
{
	out->all = as_patterns(&r->all);
	out->any = as_patterns(&r->any);
	out->none = as_patterns(&r->none);
	out->mentions = as_patterns(&r->mentions);
	out->end = as_patterns(&r->end);
	out->any_min = r->any.n ? r->any_min : 0;
	out->threshold = r->threshold;
	out->prefilter = r->prefilter;
	out->prefilter_lit.s = r->prefilter;
	out->prefilter_lit.len = r->prefilter_len;
	out->prefilter_lit.id = r->prefilter_id;
	out->own_restrictions = r->own_restrictions;
}

const struct strlist *rule_aliases(const struct rule *r)
{
	return &r->aliases;
}

struct rule_patterns rule_base_models(const struct rule *r)
{
	return as_patterns(&r->base_models);
}

size_t rule_examples(const struct rule *r, const struct rule_example **out)
{
	*out = r->examples.v;
	return r->examples.n;
}

int rules_family_of(const struct rules *rules, const char *text, size_t len,
		    struct prefilter_text *pf, struct rule_family *out)
{
	pcre2_match_context *mctx = NULL;
	pcre2_match_data *md = NULL;
	int found = 0;

	if (!text || !rules->families.n)
		return 0;
	if (match_begin(rules, &md, &mctx) < 0)
		goto done;
	for (size_t i = 0; i < rules->families.n && !found; i++) {
		const struct rule_pattern *p = &rules->families.v[i];
		PCRE2_SIZE *ov;

		if (pf && !prefilter_may_match(pf, p, 0))
			continue;
		rules_jit_pattern(rules, p);
		if (pcre2_match(p->code, (PCRE2_SPTR)text, len, 0, 0, md, mctx) < 0)
			continue;
		ov = pcre2_get_ovector_pointer(md);
		out->pattern = p->source;
		out->rules = &rules->family_rules[i].ids;
		out->unless = &rules->family_rules[i].unless;
		out->line = p->line;
		out->start = ov[0];
		out->end = ov[1];
		found = 1;
	}
done:
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	return found;
}

struct rule_patterns rules_derives_from(const struct rules *rules)
{
	return as_patterns(&rules->derives_from);
}

struct rule_patterns rules_derived_by(const struct rules *rules)
{
	return as_patterns(&rules->derived_by);
}

struct rule_patterns rules_restrictions(const struct rules *rules)
{
	return as_patterns(&rules->restrictions);
}

struct rule_patterns rules_restriction_vocab(const struct rules *rules,
					     enum restrict_vocab which)
{
	return as_patterns(&rules->vocab[which]);
}

const struct prefilter_cover *rules_classifier_cover(const struct rules *rules)
{
	return &rules->classifier_cover;
}

size_t rules_restriction_examples(const struct rules *rules, const struct rule_example **out)
{
	*out = rules->restriction_examples.v;
	return rules->restriction_examples.n;
}

size_t rules_literal_count(const struct rules *rules)
{
	return rules->literal_ids.n;
}

unsigned rules_max_captures(const struct rules *rules)
{
	return rules->max_captures;
}

const struct strlist *rules_dirs(const struct rules *rules)
{
	return &rules->dirs;
}

/*
 * Is s an id SPDX documents take for a license: an SPDX license list id
 * or LicenseRef-<idstring>, an idstring being letters, digits, '.' and
 * '-' (SPDX 2.3, annex D)?  export writes it into license expressions.
 */
static int spdx_id_ok(const char *s)
{
	if (!strncmp(s, "LicenseRef-", 11))
		s += 11;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

void rules_lint(const struct rules *rules, struct strlist *problems)
{
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *r = rules->v[i];

		if (!spdx_id_ok(r->spdx))
			strlist_add_nodup(problems,
					  xstrfmt("%s:%zu: rule '%s': spdx '%s' is not an SPDX id or LicenseRef-<letters, digits, '.', '-'>",
						  r->file, r->line, r->id, r->spdx));

		if (r->policy_of && !rules_find_id(rules, r->policy_of, NULL))
			strlist_add_nodup(problems,
					  xstrfmt("%s:%zu: rule '%s': policy_of '%s' names no rule",
						  r->file, r->line, r->id, r->policy_of));
		for (size_t j = 0; j < r->aliases.n; j++) {
			const char *key = r->alias_keys.v[j];

			for (size_t k = 0; k < rules->n; k++) {
				const struct rule *o = rules->v[k];
				int clash;

				if (k == i)
					continue;
				clash = !strcmp(o->id_key, key);
				for (size_t a = 0; !clash && k < i && a < o->alias_keys.n; a++)
					clash = !strcmp(o->alias_keys.v[a], key);
				if (clash)
					strlist_add_nodup(problems,
							  xstrfmt("%s:%zu: rule '%s': alias '%s' also names rule '%s' (%s:%zu)",
								  r->file, r->line, r->id, r->aliases.v[j],
								  o->id, o->file, o->line));
			}
		}
	}
}
