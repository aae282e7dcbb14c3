/*
 * rules_int.h: the rule catalog's structures, private to the two files that
 * see inside them: rules.c builds a catalog (reading and compiling rule
 * files) and catalog.c reads it (look-ups, lint).  Everyone else uses
 * rules.h.
 */
#ifndef MODELCENSUS_RULES_INT_H
#define MODELCENSUS_RULES_INT_H

#include <pthread.h>

#include "modelcensus/rules.h"
#include "modelcensus/prefilter.h"
#include "modelcensus/strmap.h"

struct pattern_vec {
	struct rule_pattern *v;
	size_t n, alloc;
};

struct example_vec {
	struct rule_example *v;
	size_t n, alloc;
};

struct rule {
	char *id, *name, *spdx, *family, *policy_of, *file, *prefilter;
	size_t prefilter_len, prefilter_id;
	size_t line;
	enum commercial commercial;
	struct strlist conditions, aliases;
	struct strlist incorporates;	/* ids whose text this license includes */
	char *id_key;			/* rules_alias_key(id) */
	struct strlist alias_keys;	/* rules_alias_key() of each alias */
	struct pattern_vec base_models, all, any, none, mentions, end;
	size_t any_min;
	double threshold;
	int own_restrictions;
	struct example_vec examples;
};

struct rules {
	struct rule **v;
	size_t n, alloc;
	struct pattern_vec restrictions;
	struct pattern_vec vocab[RV_COUNT];	/* the sentence classifier's */
	struct prefilter_cover classifier_cover;	/* of topics and limits */
	struct example_vec restriction_examples;
	struct strlist restriction_files;	/* owns the examples' file names */
	/* families.yaml: name patterns (each with the rule ids it maps to, in
	 * family_rules, one per pattern, with the file it came from) and
	 * derivation phrases */
	struct pattern_vec families;
	struct family_rules {
		struct strlist ids, unless;
		const char *file;	/* in family_files */
	} *family_rules;
	size_t family_rules_alloc;
	struct pattern_vec derives_from, derived_by;
	struct strlist family_files;	/* owns the families' file names */
	struct strlist dirs;
	/* read, not yet compiled (rules_read() to rules_compile()) */
	struct rule_dir {
		struct rule_file {
			char *path, *buf;
			size_t len;
			int restrictions;	/* restrictions.yaml */
			int families;		/* families.yaml */
		} *files;
		size_t n;
	} *to_compile;
	size_t n_to_compile, alloc_to_compile;
	unsigned max_captures;
	struct strmap literal_ids;	/* literal -> rule_literal id */
	uint64_t digest_hash;	/* of the files read, in order (hash_bytes) */
	char digest[17];
	/* each pattern is JIT-compiled before its first match
	 * (rules_jit_pattern()): a pattern the prefilter always skips, or a
	 * rescan that reads nothing, never pays for it */
	pthread_mutex_t jit_lock;	/* rules_jit_pattern()'s first calls */
};

/* The rule with canonical id (case-insensitive) and its index in *pos
 * (when pos is not NULL), or NULL. */
struct rule *rules_find_id(const struct rules *rules, const char *id, size_t *pos);

#endif
