/*
 * rules.c: building the rule catalog (rules.h).
 *
 * Owns: choosing the rule directories in force, reading their *.yaml files
 * in name order (the digest is of those bytes), validating every field of
 * a rule file through yaml_doc.h (unknown keys are errors, messages name
 * the file and line), compiling every pattern once with PCRE2 (UTF, UCP,
 * caseless; each JIT-compiled before its first match, rules_jit_pattern),
 * asking prefilter.c for each text pattern's literals, and freeing the
 * catalog.  Reading a built catalog
 * (look-ups, lint) is catalog.c's.  A loaded catalog is never modified
 * again but for its JIT state (own lock), so threads share it freely.
 * Nothing here prints.
 *
 * Caps: a rule file is read up to RULE_FILE_MAX bytes (larger is an error,
 * not a silent cut); patterns are limited at match time (RULES_MATCH_LIMIT,
 * RULES_DEPTH_LIMIT in rules.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules_int.h"
#include "modelcensus/prefilter.h"
#include "modelcensus/yaml_doc.h"
#include "modelcensus/banned.h"

#define RULE_FILE_MAX (4u * 1024 * 1024)
#define RULE_COMPILE_FLAGS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)
#define BASE_MODEL_FLAGS (PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)
#define DEFAULT_THRESHOLD 0.8

/* ---- freeing ------------------------------------------------------------ */

static void patterns_free(struct pattern_vec *pv)
{
	for (size_t i = 0; i < pv->n; i++) {
		free((char *)pv->v[i].source);
		prefilter_clear(&pv->v[i]);
		pcre2_code_free((pcre2_code *)pv->v[i].code);
	}
	free(pv->v);
	memset(pv, 0, sizeof(*pv));
}

static void examples_free(struct example_vec *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		free((char *)ev->v[i].text);
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

static void rule_free(struct rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->name);
	free(r->spdx);
	free(r->family);
	free(r->policy_of);
	free(r->file);
	free(r->prefilter);
	strlist_clear(&r->conditions);
	strlist_clear(&r->aliases);
	strlist_clear(&r->incorporates);
	free(r->id_key);
	strlist_clear(&r->alias_keys);
	patterns_free(&r->base_models);
	patterns_free(&r->all);
	patterns_free(&r->any);
	patterns_free(&r->none);
	patterns_free(&r->mentions);
	patterns_free(&r->end);
	examples_free(&r->examples);
	free(r);
}

static void free_to_compile(struct rules *rules)
{
	for (size_t i = 0; i < rules->n_to_compile; i++) {
		struct rule_dir *rd = &rules->to_compile[i];

		for (size_t j = 0; j < rd->n; j++) {
			free(rd->files[j].path);
			free(rd->files[j].buf);
		}
		free(rd->files);
	}
	free(rules->to_compile);
	rules->to_compile = NULL;
	rules->n_to_compile = rules->alloc_to_compile = 0;
}

void rules_free(struct rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++)
		rule_free(rules->v[i]);
	free(rules->v);
	patterns_free(&rules->restrictions);
	for (size_t i = 0; i < RV_COUNT; i++)
		patterns_free(&rules->vocab[i]);
	prefilter_cover_clear(&rules->classifier_cover);
	examples_free(&rules->restriction_examples);
	strlist_clear(&rules->restriction_files);
	for (size_t i = 0; i < rules->families.n; i++) {
		strlist_clear(&rules->family_rules[i].ids);
		strlist_clear(&rules->family_rules[i].unless);
	}
	free(rules->family_rules);
	patterns_free(&rules->families);
	patterns_free(&rules->derives_from);
	patterns_free(&rules->derived_by);
	strlist_clear(&rules->family_files);
	strlist_clear(&rules->dirs);
	free_to_compile(rules);
	strmap_clear(&rules->literal_ids);
	pthread_mutex_destroy(&rules->jit_lock);
	free(rules);
}

/* ---- YAML --------------------------------------------------------------- */

struct ctx {
	struct yaml_doc *d;	/* the file being read: its name, its error */
	unsigned max_captures;
	struct strmap *literal_ids;	/* the catalog's: literal -> id */
};

/* A non-empty string scalar (no NUL inside); the caller owns *out. */
static int get_string(struct ctx *c, const yaml_node_t *node, const char *key, char **out)
{
	if (node->type != YAML_SCALAR_NODE || yaml_doc_is_null(node))
		return yaml_doc_fail(c->d, node, "'%s' must be a string", key);
	if (strlen(yaml_doc_scalar(node)) != node->data.scalar.length)
		return yaml_doc_fail(c->d, node, "'%s' contains a NUL byte", key);
	if (!node->data.scalar.length)
		return yaml_doc_fail(c->d, node, "'%s' is empty", key);
	*out = xstrdup(yaml_doc_scalar(node));
	return 0;
}

/* A string or null (NULL in *out). */
static int get_opt_string(struct ctx *c, const yaml_node_t *node, const char *key, char **out)
{
	if (yaml_doc_is_null(node)) {
		*out = NULL;
		return 0;
	}
	return get_string(c, node, key, out);
}

static int get_bool(struct ctx *c, const yaml_node_t *node, const char *key, int *out)
{
	const char *s;

	if (node->type != YAML_SCALAR_NODE)
		return yaml_doc_fail(c->d, node, "'%s' must be true or false", key);
	s = yaml_doc_scalar(node);
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no"))
		*out = 0;
	else
		return yaml_doc_fail(c->d, node, "'%s' must be true or false, not '%s'", key, s);
	return 0;
}

/* A list or null (no items: yaml_doc_item() gives NULL at once). */
static int check_list(struct ctx *c, const yaml_node_t *node, const char *key)
{
	if (yaml_doc_is_null(node) || node->type == YAML_SEQUENCE_NODE)
		return 0;
	return yaml_doc_fail(c->d, node, "'%s' must be a list", key);
}

static int get_string_list(struct ctx *c, const yaml_node_t *node, const char *key,
			   struct strlist *out)
{
	const yaml_node_t *it;
	char *s;

	if (node->type == YAML_SCALAR_NODE && !yaml_doc_is_null(node)) {
		if (get_string(c, node, key, &s))
			return -1;
		strlist_add_nodup(out, s);
		return 0;
	}
	if (check_list(c, node, key))
		return -1;
	for (size_t i = 0; (it = yaml_doc_item(c->d, node, i)); i++) {
		if (get_string(c, it, key, &s))
			return -1;
		strlist_add_nodup(out, s);
	}
	return 0;
}

/* Compiles one pattern (flags: RULE_COMPILE_FLAGS or BASE_MODEL_FLAGS). */
static int jit_disabled(void)
{
	const char *v = getenv("MODELCENSUS_NO_JIT");

	return v && *v && strcmp(v, "0");
}

static int compile_pattern(struct ctx *c, const yaml_node_t *node, const char *key,
			   uint32_t flags, struct pattern_vec *out)
{
	struct rule_pattern *rp;
	pcre2_code *code;
	pcre2_match_data *md;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	uint32_t captures = 0;
	int errcode, rc;
	char *src;

	if (get_string(c, node, key, &src))
		return -1;
	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, flags, &errcode,
			     &erroff, NULL);
	if (!code) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		yaml_doc_fail(c->d, node, "pattern '%s' does not compile at offset %zu: %s", src,
			      (size_t)erroff, (const char *)msg);
		free(src);
		return -1;
	}
	/* JIT-compiled before its first match (rules_jit_pattern()) */
	/* a pattern that matches empty text would match every file */
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0) {
		yaml_doc_fail(c->d, node, "pattern '%s' matches empty text", src);
		pcre2_code_free(code);
		free(src);
		return -1;
	}
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
	if (captures > c->max_captures)
		c->max_captures = captures;
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	rp = &out->v[out->n++];
	rp->source = src;
	rp->line = yaml_doc_line(node);
	rp->code = code;
	rp->literal = NULL;
	rp->literal_len = 0;
	rp->clauses = NULL;
	rp->n_clauses = 0;
	atomic_init(&rp->jit_done, 0);
	if (flags == RULE_COMPILE_FLAGS)
		prefilter_derive(rp, c->literal_ids);
	return 0;
}

static int get_patterns(struct ctx *c, const yaml_node_t *node, const char *key,
			uint32_t flags, struct pattern_vec *out)
{
	const yaml_node_t *it;

	if (node->type == YAML_SCALAR_NODE && !yaml_doc_is_null(node))
		return compile_pattern(c, node, key, flags, out);
	if (check_list(c, node, key))
		return -1;
	for (size_t i = 0; (it = yaml_doc_item(c->d, node, i)); i++)
		if (compile_pattern(c, it, key, flags, out))
			return -1;
	return 0;
}

static int parse_any(struct ctx *c, const yaml_node_t *node, struct rule *r)
{
	struct yaml_pair p;
	const yaml_node_t *min_node = NULL;

	r->any_min = 1;
	if (node->type != YAML_MAPPING_NODE)	/* a plain list: min 1 */
		return get_patterns(c, node, "match.any", RULE_COMPILE_FLAGS, &r->any);
	if (yaml_doc_unique_keys(c->d, node))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, node, i, &p); i++) {
		const yaml_node_t *v = p.value;

		if (!strcmp(p.key, "min")) {
			char *end;
			long m;

			if (v->type != YAML_SCALAR_NODE)
				return yaml_doc_fail(c->d, v, "match.any.min must be a number");
			errno = 0;
			m = strtol(yaml_doc_scalar(v), &end, 10);
			if (errno || *end || end == yaml_doc_scalar(v) || m < 1)
				return yaml_doc_fail(c->d, v, "match.any.min must be a whole number of 1 or more, not '%s'",
						     yaml_doc_scalar(v));
			r->any_min = (size_t)m;
			min_node = v;
		} else if (!strcmp(p.key, "patterns")) {
			if (get_patterns(c, v, "match.any.patterns", RULE_COMPILE_FLAGS, &r->any))
				return -1;
		} else {
			return yaml_doc_fail(c->d, p.key_node,
					     "unknown key 'match.any.%s' (expected min, patterns)", p.key);
		}
	}
	if (r->any_min > r->any.n)
		return yaml_doc_fail(c->d, min_node ? min_node : node,
				     "match.any.min is %zu but there are only %zu patterns", r->any_min,
				     r->any.n);
	return 0;
}

static int parse_match(struct ctx *c, const yaml_node_t *node, struct rule *r)
{
	struct yaml_pair p;

	if (yaml_doc_is_null(node))
		return 0;
	if (node->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(c->d, node, "'match' must be a mapping (all, any, none, mentions, end)");
	if (yaml_doc_unique_keys(c->d, node))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, node, i, &p); i++) {
		const yaml_node_t *k = p.key_node, *v = p.value;
		const char *key = p.key;
		int rc;

		if (!strcmp(key, "all"))
			rc = get_patterns(c, v, "match.all", RULE_COMPILE_FLAGS, &r->all);
		else if (!strcmp(key, "any"))
			rc = parse_any(c, v, r);
		else if (!strcmp(key, "none"))
			rc = get_patterns(c, v, "match.none", RULE_COMPILE_FLAGS, &r->none);
		else if (!strcmp(key, "mentions"))
			rc = get_patterns(c, v, "match.mentions", RULE_COMPILE_FLAGS, &r->mentions);
		else if (!strcmp(key, "end"))
			rc = get_patterns(c, v, "match.end", RULE_COMPILE_FLAGS, &r->end);
		else
			rc = yaml_doc_fail(c->d, k, "unknown key 'match.%s' (expected all, any, none, mentions, end)",
					   key);
		if (rc)
			return -1;
	}
	return 0;
}

/* One example: a mapping {text, kind} or, as a shorthand, the text alone. */
static int parse_example(struct ctx *c, const yaml_node_t *node, int positive,
			 int allow_kind, struct example_vec *out)
{
	struct rule_example ex = { NULL, positive, positive ? "full" : NULL, c->d->file,
				   yaml_doc_line(node) };
	struct yaml_pair p;
	char *text = NULL;

	if (node->type == YAML_SCALAR_NODE) {
		if (get_string(c, node, "examples", &text))
			return -1;
	} else if (node->type == YAML_MAPPING_NODE) {
		if (yaml_doc_unique_keys(c->d, node))
			return -1;
		for (size_t i = 0; yaml_doc_pair(c->d, node, i, &p); i++) {
			const yaml_node_t *k = p.key_node, *v = p.value;
			const char *key = p.key;

			if (!strcmp(key, "text")) {
				free(text);
				text = NULL;
				if (get_string(c, v, "examples.text", &text))
					return -1;
			} else if (!strcmp(key, "kind") && positive && allow_kind) {
				const char *kind = v->type == YAML_SCALAR_NODE ? yaml_doc_scalar(v) : "";

				if (!strcmp(kind, "full"))
					ex.kind = "full";
				else if (!strcmp(kind, "mention"))
					ex.kind = "mention";
				else if (!strcmp(kind, "modified"))
					ex.kind = "modified";
				else {
					free(text);
					return yaml_doc_fail(c->d, v, "example kind '%s' is not full, mention or modified",
							     kind);
				}
			} else {
				free(text);
				return yaml_doc_fail(c->d, k, "unknown key 'examples.%s.%s' (expected %s)",
						     positive ? "positive" : "negative", key,
						     positive && allow_kind ? "kind, text" : "text");
			}
		}
		if (!text)
			return yaml_doc_fail(c->d, node, "example has no 'text'");
	} else {
		return yaml_doc_fail(c->d, node, "an example must be a mapping with 'text' or a string");
	}
	ex.text = text;
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	out->v[out->n++] = ex;
	return 0;
}

static int parse_examples(struct ctx *c, const yaml_node_t *node, int allow_kind,
			  struct example_vec *out)
{
	struct yaml_pair p;

	if (node->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(c->d, node, "'examples' must be a mapping (positive, negative)");
	if (yaml_doc_unique_keys(c->d, node))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, node, i, &p); i++) {
		const yaml_node_t *k = p.key_node, *v = p.value;
		const char *key = p.key;
		const yaml_node_t *it;
		int positive;

		if (!strcmp(key, "positive"))
			positive = 1;
		else if (!strcmp(key, "negative"))
			positive = 0;
		else
			return yaml_doc_fail(c->d, k, "unknown key 'examples.%s' (expected positive, negative)",
					     key);
		if (check_list(c, v, key))
			return -1;
		for (size_t j = 0; (it = yaml_doc_item(c->d, v, j)); j++)
			if (parse_example(c, it, positive, allow_kind, out))
				return -1;
	}
	return 0;
}

static int valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-' || *s == '_' || *s == '+'))
			return 0;
	return 1;
}

static int valid_condition(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* Parses one rule mapping; the caller owns *out. */
static int parse_rule(struct ctx *c, const yaml_node_t *node, struct rule **out)
{
	struct rule *r = xcalloc(1, sizeof(*r));
	const yaml_node_t *examples = NULL, *commercial = NULL;
	struct yaml_pair p;
	int rc = -1;

	r->threshold = DEFAULT_THRESHOLD;
	r->file = xstrdup(c->d->file);
	r->line = yaml_doc_line(node);
	if (node->type != YAML_MAPPING_NODE) {
		yaml_doc_fail(c->d, node, "a rule must be a mapping (id, name, spdx, ...)");
		goto done;
	}
	if (yaml_doc_unique_keys(c->d, node))
		goto done;
	for (size_t pi = 0; yaml_doc_pair(c->d, node, pi, &p); pi++) {
		const yaml_node_t *k = p.key_node, *v = p.value;
		const char *key = p.key;
		int bad = 0;

		if (!strcmp(key, "id")) {
			free(r->id);
			r->id = NULL;
			if (get_string(c, v, key, &r->id))
				bad = 1;
			else if (!valid_id(r->id))
				bad = yaml_doc_fail(c->d, v, "id '%s' must be lower case letters, digits and . - _ +",
						    r->id);
		} else if (!strcmp(key, "name")) {
			free(r->name);
			bad = get_string(c, v, key, &r->name);
		} else if (!strcmp(key, "spdx")) {
			free(r->spdx);
			bad = get_string(c, v, key, &r->spdx);
		} else if (!strcmp(key, "commercial")) {
			commercial = v;
			if (v->type != YAML_SCALAR_NODE ||
			    commercial_parse(yaml_doc_scalar(v), &r->commercial))
				bad = yaml_doc_fail(c->d, v, "commercial must be allowed, conditional, not-allowed or unknown, not '%s'",
						    v->type == YAML_SCALAR_NODE ? yaml_doc_scalar(v) : "(not a string)");
		} else if (!strcmp(key, "conditions")) {
			bad = get_string_list(c, v, key, &r->conditions);
			for (size_t i = 0; !bad && i < r->conditions.n; i++)
				if (!valid_condition(r->conditions.v[i]))
					bad = yaml_doc_fail(c->d, v, "condition '%s' must be lower case letters, digits and -",
							    r->conditions.v[i]);
		} else if (!strcmp(key, "family")) {
			free(r->family);
			bad = get_opt_string(c, v, key, &r->family);
		} else if (!strcmp(key, "policy_of")) {
			free(r->policy_of);
			bad = get_opt_string(c, v, key, &r->policy_of);
		} else if (!strcmp(key, "aliases")) {
			bad = get_string_list(c, v, key, &r->aliases);
		} else if (!strcmp(key, "incorporates")) {
			bad = get_string_list(c, v, key, &r->incorporates);
		} else if (!strcmp(key, "base_models")) {
			bad = get_patterns(c, v, key, BASE_MODEL_FLAGS, &r->base_models);
		} else if (!strcmp(key, "match")) {
			bad = parse_match(c, v, r);
		} else if (!strcmp(key, "threshold")) {
			char *end;

			if (v->type != YAML_SCALAR_NODE) {
				bad = yaml_doc_fail(c->d, v, "threshold must be a number");
			} else {
				errno = 0;
				r->threshold = strtod(yaml_doc_scalar(v), &end);
				if (errno || *end || end == yaml_doc_scalar(v) || !(r->threshold > 0) ||
				    r->threshold > 1)
					bad = yaml_doc_fail(c->d, v, "threshold must be a number above 0 and at most 1, not '%s'",
							    yaml_doc_scalar(v));
			}
		} else if (!strcmp(key, "prefilter")) {
			free(r->prefilter);
			bad = get_string(c, v, key, &r->prefilter);
			if (!bad)
				str_lower(r->prefilter);
		} else if (!strcmp(key, "own_restrictions")) {
			bad = get_bool(c, v, key, &r->own_restrictions);
		} else if (!strcmp(key, "examples")) {
			examples = v;
			bad = parse_examples(c, v, 1, &r->examples);
		} else {
			bad = yaml_doc_fail(c->d, k, "unknown key '%s'", key);
		}
		if (bad)
			goto done;
	}
	if (!r->id) {
		yaml_doc_fail(c->d, node, "rule has no 'id'");
		goto done;
	}
	if (!r->name || !r->spdx || !commercial || !examples) {
		yaml_doc_fail(c->d, node, "rule '%s' has no '%s'", r->id,
			      !r->name ? "name" : !r->spdx ? "spdx" : !commercial ? "commercial" : "examples");
		goto done;
	}
	if ((r->all.n || r->any.n || r->mentions.n)) {
		size_t pos = 0;

		for (size_t i = 0; i < r->examples.n; i++)
			pos += r->examples.v[i].positive;
		if (!pos) {
			yaml_doc_fail(c->d, examples, "rule '%s' has patterns but no positive example", r->id);
			goto done;
		}
	}
	for (size_t i = 0; i < r->examples.n; i++)
		r->examples.v[i].file = r->file;
	r->id_key = rules_alias_key(r->id);
	for (size_t i = 0; i < r->aliases.n; i++)
		strlist_add_nodup(&r->alias_keys, rules_alias_key(r->aliases.v[i]));
	if (!r->prefilter) {
		/* the longest literal of any `all` pattern: each must match */
		const char *best = NULL;
		size_t best_len = 0;

		for (size_t i = 0; i < r->all.n; i++)
			if (r->all.v[i].literal && r->all.v[i].literal_len > best_len) {
				best = r->all.v[i].literal;
				best_len = r->all.v[i].literal_len;
			}
		if (best)
			r->prefilter = xstrdup(best);
	}
	if (r->prefilter) {
		r->prefilter_len = strlen(r->prefilter);
		r->prefilter_id = prefilter_literal_id(c->literal_ids, r->prefilter);
	}
	rc = 0;
done:
	if (rc) {
		rule_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

/* restrictions.yaml's keys for enum restrict_vocab, in its order */
static const char *const vocab_keys[RV_COUNT] = {
	"topics", "prohibitions", "limits", "permission", "permitted", "ignore",
};

static int parse_restrictions(struct ctx *c, const yaml_node_t *root, struct rules *rules)
{
	struct yaml_pair p;

	if (root->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(c->d, root, "restrictions.yaml must be a mapping with 'restrictions'");
	if (yaml_doc_unique_keys(c->d, root))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, root, i, &p); i++) {
		const yaml_node_t *k = p.key_node, *v = p.value;
		const char *key = p.key;

		size_t w;

		for (w = 0; w < RV_COUNT && strcmp(key, vocab_keys[w]); w++)
			;
		if (w < RV_COUNT) {
			if (get_patterns(c, v, key, RULE_COMPILE_FLAGS, &rules->vocab[w]))
				return -1;
		} else if (!strcmp(key, "restrictions")) {
			if (get_patterns(c, v, key, RULE_COMPILE_FLAGS, &rules->restrictions))
				return -1;
		} else if (!strcmp(key, "examples")) {
			if (parse_examples(c, v, 0, &rules->restriction_examples))
				return -1;
		} else {
			return yaml_doc_fail(c->d, k, "unknown key '%s' (expected restrictions, topics, prohibitions, limits, permission, permitted, ignore, examples)", key);
		}
	}
	return 0;
}

/* One family of families.yaml: {match: PATTERN, rule: ID or [IDs],
 * unless: [IDs]}; the ids are checked against the catalog once every
 * directory is loaded. */
static int parse_family(struct ctx *c, const yaml_node_t *node, struct rules *rules)
{
	struct strlist ids = STRLIST_INIT, unless = STRLIST_INIT;
	const yaml_node_t *match = NULL, *rule = NULL, *unless_node = NULL;
	struct yaml_pair p;

	if (node->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(c->d, node, "a family must be a mapping with 'match' and 'rule'");
	if (yaml_doc_unique_keys(c->d, node))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, node, i, &p); i++) {
		if (!strcmp(p.key, "match"))
			match = p.value;
		else if (!strcmp(p.key, "rule"))
			rule = p.value;
		else if (!strcmp(p.key, "unless"))
			unless_node = p.value;
		else
			return yaml_doc_fail(c->d, p.key_node, "unknown key '%s' (expected match, rule, unless)", p.key);
	}
	if (!match || !rule)
		return yaml_doc_fail(c->d, node, "a family needs 'match' and 'rule'");
	if (get_string_list(c, rule, "rule", &ids) ||
	    (unless_node && get_string_list(c, unless_node, "unless", &unless)))
		goto fail;
	if (!ids.n) {
		yaml_doc_fail(c->d, rule, "'rule' is empty");
		goto fail;
	}
	if (compile_pattern(c, match, "match", BASE_MODEL_FLAGS, &rules->families))
		goto fail;
	/* matched in card sentences too, where the prefilter may skip it */
	prefilter_derive(&rules->families.v[rules->families.n - 1], c->literal_ids);
	ALLOC_GROW(rules->family_rules, rules->families.n, rules->family_rules_alloc);
	rules->family_rules[rules->families.n - 1].ids = ids;
	rules->family_rules[rules->families.n - 1].unless = unless;
	rules->family_rules[rules->families.n - 1].file =
		rules->family_files.v[rules->family_files.n - 1];
	return 0;
fail:
	strlist_clear(&ids);
	strlist_clear(&unless);
	return -1;
}

/* Derivation phrases: run over a card's normalised body like text
 * patterns, so they get the prefilter's literals too (derive.c asks it
 * before running one). */
static int get_phrases(struct ctx *c, const yaml_node_t *node, const char *key,
		       struct pattern_vec *out)
{
	size_t from = out->n;

	if (get_patterns(c, node, key, BASE_MODEL_FLAGS, out))
		return -1;
	for (size_t i = from; i < out->n; i++)
		prefilter_derive(&out->v[i], c->literal_ids);
	return 0;
}

static int parse_families(struct ctx *c, const yaml_node_t *root, struct rules *rules)
{
	const yaml_node_t *it;
	struct yaml_pair p;

	if (root->type != YAML_MAPPING_NODE)
		return yaml_doc_fail(c->d, root, "families.yaml must be a mapping with 'families'");
	if (yaml_doc_unique_keys(c->d, root))
		return -1;
	for (size_t i = 0; yaml_doc_pair(c->d, root, i, &p); i++) {
		const yaml_node_t *v = p.value;

		if (!strcmp(p.key, "families")) {
			if (check_list(c, v, p.key))
				return -1;
			for (size_t j = 0; (it = yaml_doc_item(c->d, v, j)); j++)
				if (parse_family(c, it, rules))
					return -1;
		} else if (!strcmp(p.key, "derives_from")) {
			if (get_phrases(c, v, p.key, &rules->derives_from))
				return -1;
		} else if (!strcmp(p.key, "derived_by")) {
			if (get_phrases(c, v, p.key, &rules->derived_by))
				return -1;
		} else {
			return yaml_doc_fail(c->d, p.key_node,
					     "unknown key '%s' (expected families, derives_from, derived_by)", p.key);
		}
	}
	return 0;
}

/* Every family names rules of the catalog, in 'rule' and 'unless'. */
static int check_family_ids(struct rules *rules, size_t i, const struct strlist *ids,
			    struct mc_error *err)
{
	for (size_t j = 0; j < ids->n; j++)
		if (!rules_find_id(rules, ids->v[j], NULL))
			return mc_error_set(err, "%s:%zu: family '%s' names rule '%s', which is not in the catalog",
					    rules->family_rules[i].file,
					    rules->families.v[i].line, rules->families.v[i].source,
					    ids->v[j]);
	return 0;
}

static int check_families(struct rules *rules, struct mc_error *err)
{
	for (size_t i = 0; i < rules->families.n; i++)
		if (check_family_ids(rules, i, &rules->family_rules[i].ids, err) ||
		    check_family_ids(rules, i, &rules->family_rules[i].unless, err))
			return -1;
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

/*
 * Parses one file's text into rules (added to *dir_rules) or, for
 * restrictions.yaml, into the catalog's restriction phrases.
 */
static int load_file(struct rules *rules, const char *path, int is_restrictions,
		     int is_families, const char *buf, size_t len, struct rule ***dir_rules,
		     size_t *n_dir, size_t *alloc_dir, struct mc_error *err)
{
	struct yaml_doc d;
	struct ctx c = { &d, rules->max_captures, &rules->literal_ids };
	const yaml_node_t *root, *it;
	struct rule *r;
	int rc = -1;

	/* restriction examples keep pointing at the file name */
	if (is_restrictions) {
		strlist_add(&rules->restriction_files, path);
		path = rules->restriction_files.v[rules->restriction_files.n - 1];
	}
	if (yaml_doc_load(&d, path, buf, len, err))
		goto done;
	root = yaml_doc_root(&d);
	if (!root) {
		mc_error_set(err, "%s: no rule in file", path);
		goto done;
	}
	if (is_restrictions) {
		rc = parse_restrictions(&c, root, rules);
	} else if (is_families) {
		strlist_add(&rules->family_files, path);
		rc = parse_families(&c, root, rules);
	} else if (root->type == YAML_SEQUENCE_NODE) {
		if (!yaml_doc_item(&d, root, 0)) {
			yaml_doc_fail(&d, root, "empty list: no rule in file");
			goto done;
		}
		rc = 0;
		for (size_t i = 0; !rc && (it = yaml_doc_item(&d, root, i)); i++) {
			rc = parse_rule(&c, it, &r);
			if (!rc) {
				ALLOC_GROW(*dir_rules, *n_dir + 1, *alloc_dir);
				(*dir_rules)[(*n_dir)++] = r;
			}
		}
	} else {
		rc = parse_rule(&c, root, &r);
		if (!rc) {
			ALLOC_GROW(*dir_rules, *n_dir + 1, *alloc_dir);
			(*dir_rules)[(*n_dir)++] = r;
		}
	}
	rules->max_captures = c.max_captures;
done:
	yaml_doc_release(&d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every *.yaml of dir, in name order, into the catalog's files to
 * compile, adding each to the digest. */
static int read_dir(struct rules *rules, const char *dir, struct mc_error *err)
{
	struct strlist names = STRLIST_INIT;
	struct rule_dir *rd;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(dir);
	if (!d)
		return mc_error_set(err, "rules directory '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_has_suffix(de->d_name, ".yaml"))
			continue;
		strlist_add(&names, de->d_name);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	strlist_add(&rules->dirs, dir);
	ALLOC_GROW(rules->to_compile, rules->n_to_compile + 1, rules->alloc_to_compile);
	rd = &rules->to_compile[rules->n_to_compile++];
	memset(rd, 0, sizeof(*rd));
	rd->files = xcalloc(names.n ? names.n : 1, sizeof(*rd->files));
	for (size_t i = 0; i < names.n && !rc; i++) {
		struct rule_file *f = &rd->files[rd->n];
		int truncated = 0;

		f->path = xstrfmt("%s/%s", dir, names.v[i]);
		f->restrictions = !strcmp(names.v[i], "restrictions.yaml");
		f->families = !strcmp(names.v[i], "families.yaml");
		rd->n++;
		rc = read_file_capped(f->path, RULE_FILE_MAX, &f->buf, &f->len, &truncated, err);
		if (!rc && truncated)
			rc = mc_error_set(err, "%s: rule file larger than %u bytes", f->path,
					  RULE_FILE_MAX);
		if (!rc) {
			rules->digest_hash = hash_bytes(rules->digest_hash, names.v[i],
							strlen(names.v[i]));
			rules->digest_hash = hash_bytes(rules->digest_hash, f->buf, f->len);
		}
	}
	strlist_clear(&names);
	return rc;
}


/* Parses and compiles one directory's files on top of the catalog. */
static int compile_dir(struct rules *rules, const struct rule_dir *rd,
		       struct mc_error *err)
{
	struct rule **dir_rules = NULL;
	size_t n_dir = 0, alloc_dir = 0, i, j;
	int rc = -1;

	for (i = 0; i < rd->n; i++) {
		const struct rule_file *f = &rd->files[i];

		if (load_file(rules, f->path, f->restrictions, f->families, f->buf, f->len,
			      &dir_rules, &n_dir, &alloc_dir, err))
			goto done;
	}

	/* one directory defines an id once; a later directory replaces it */
	for (i = 0; i < n_dir; i++) {
		for (j = 0; j < i; j++) {
			if (str_iequal(dir_rules[i]->id, dir_rules[j]->id)) {
				mc_error_set(err, "%s:%zu: rule '%s' is already defined at %s:%zu",
					     dir_rules[i]->file, dir_rules[i]->line, dir_rules[i]->id,
					     dir_rules[j]->file, dir_rules[j]->line);
				goto done;
			}
		}
	}
	for (i = 0; i < n_dir; i++) {
		size_t pos;

		if (rules_find_id(rules, dir_rules[i]->id, &pos)) {
			rule_free(rules->v[pos]);
			rules->v[pos] = dir_rules[i];
		} else {
			ALLOC_GROW(rules->v, rules->n + 1, rules->alloc);
			rules->v[rules->n++] = dir_rules[i];
		}
		dir_rules[i] = NULL;
	}
	rc = 0;
done:
	for (i = 0; i < n_dir; i++)
		rule_free(dir_rules[i]);
	free(dir_rules);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int rules_read(struct rules **out, const char *const *user_dirs, size_t n_user_dirs,
	       struct mc_error *err)
{
	struct rules *rules = xcalloc(1, sizeof(*rules));
	const char *base = getenv("MODELCENSUS_RULES");
	int rc = -1;

	pthread_mutex_init(&rules->jit_lock, NULL);
	rules->digest_hash = HASH_SEED;
	strmap_init(&rules->literal_ids, 0);
	if (!base || !*base)
		base = is_dir(MC_RULES_INSTALLED) ? MC_RULES_INSTALLED : MC_RULES_SRC;
	if (read_dir(rules, base, err))
		goto done;
	for (size_t i = 0; i < n_user_dirs; i++)
		if (read_dir(rules, user_dirs[i], err))
			goto done;
	snprintf(rules->digest, sizeof(rules->digest), "%016llx",
		 (unsigned long long)rules->digest_hash);
	rc = 0;
done:
	if (rc) {
		rules_free(rules);
		rules = NULL;
	}
	*out = rules;
	return rc;
}

int rules_compile(struct rules *rules, struct mc_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < rules->n_to_compile && !rc; i++)
		rc = compile_dir(rules, &rules->to_compile[i], err);
	free_to_compile(rules);
	if (!rc)
		rc = check_families(rules, err);
	if (!rc && !prefilter_cover(rules->vocab[RV_TOPICS].v, rules->vocab[RV_TOPICS].n,
				    &rules->classifier_cover))
		prefilter_cover(rules->vocab[RV_LIMITS].v, rules->vocab[RV_LIMITS].n,
				&rules->classifier_cover);
	return rc ? -1 : 0;
}

int rules_load(struct rules **out, const char *const *user_dirs, size_t n_user_dirs,
	       struct mc_error *err)
{
	if (rules_read(out, user_dirs, n_user_dirs, err) < 0)
		return -1;
	if (rules_compile(*out, err) < 0) {
		rules_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ---- JIT ---------------------------------------------------------------- */

static void jit_stats_add(const struct pattern_vec *pv, size_t *patterns, size_t *jitted,
			  size_t *bytes)
{
	for (size_t i = 0; i < pv->n; i++) {
		size_t size = 0;

		pcre2_pattern_info(pv->v[i].code, PCRE2_INFO_JITSIZE, &size);
		(*patterns)++;
		if (size) {
			(*jitted)++;
			*bytes += size;
		}
	}
}

void rules_jit_pattern(const struct rules *rules, const struct rule_pattern *p)
{
	/* the JIT state is the one mutable part of loaded rules; it has its
	 * own lock, so the rules stay shareable between threads */
	struct rules *r = (struct rules *)rules;
	struct rule_pattern *q = (struct rule_pattern *)p;

	if (atomic_load_explicit(&q->jit_done, memory_order_acquire))
		return;
	pthread_mutex_lock(&r->jit_lock);
	if (!atomic_load_explicit(&q->jit_done, memory_order_relaxed)) {
		if (!jit_disabled())
			pcre2_jit_compile((pcre2_code *)q->code, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&q->jit_done, 1, memory_order_release);
	}
	pthread_mutex_unlock(&r->jit_lock);
}

static void jit_patterns(const struct rules *rules, const struct pattern_vec *pv)
{
	for (size_t i = 0; i < pv->n; i++)
		rules_jit_pattern(rules, &pv->v[i]);
}

/* Every pattern, for the statistics. */
static void jit_all(const struct rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		jit_patterns(r, &r->v[i]->base_models);
		jit_patterns(r, &r->v[i]->all);
		jit_patterns(r, &r->v[i]->any);
		jit_patterns(r, &r->v[i]->none);
		jit_patterns(r, &r->v[i]->mentions);
		jit_patterns(r, &r->v[i]->end);
	}
	jit_patterns(r, &r->restrictions);
	for (size_t w = 0; w < RV_COUNT; w++)
		jit_patterns(r, &r->vocab[w]);
}

void rules_jit_stats(const struct rules *rules, size_t *patterns, size_t *jitted,
		     size_t *jit_bytes)
{
	jit_all(rules);
	*patterns = *jitted = *jit_bytes = 0;
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *r = rules->v[i];

		jit_stats_add(&r->base_models, patterns, jitted, jit_bytes);
		jit_stats_add(&r->all, patterns, jitted, jit_bytes);
		jit_stats_add(&r->any, patterns, jitted, jit_bytes);
		jit_stats_add(&r->none, patterns, jitted, jit_bytes);
		jit_stats_add(&r->mentions, patterns, jitted, jit_bytes);
		jit_stats_add(&r->end, patterns, jitted, jit_bytes);
	}
	jit_stats_add(&rules->restrictions, patterns, jitted, jit_bytes);
	for (size_t w = 0; w < RV_COUNT; w++)
		jit_stats_add(&rules->vocab[w], patterns, jitted, jit_bytes);
}
