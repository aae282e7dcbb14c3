/*
 * identify.h: the identify stage of the pipeline.  identify.c runs a
 * thread's matcher over every licensing file a model's reader read and
 * over the card body (pasted license texts and restriction phrases), and
 * stores the matches in the model.  It reads nothing from disk.
 *
 * The same license file recurs across a mirror (thousands of identical
 * Apache-2.0 texts), so each thread keeps a cache of results by content:
 * the git blob id, else two independent 64-bit hashes of the bytes.  The
 * cache holds at most IDENTIFY_CACHE_MAX texts and is emptied when full.
 */
#ifndef MODELCENSUS_IDENTIFY_H
#define MODELCENSUS_IDENTIFY_H

#include "model.h"
#include "match.h"
#include "strmap.h"

#define IDENTIFY_CACHE_MAX 4096

struct identify_cache {
	struct strmap index;	/* content key -> slot */
	struct identify_result {
		struct match_list matches;
		size_t restriction_line;
		char *restriction_quote;
		char *error;	/* a rule that failed on this text, or NULL */
	} *slots;
	size_t n;
};

void identify_cache_init(struct identify_cache *c);
void identify_cache_clear(struct identify_cache *c);

/* Fills each file's matches and restriction line, m->body_matches and
 * m->body_restriction.  A rule that fails on a file (a PCRE2 limit) is
 * recorded as that file's error and the model's; the other rules'
 * matches are kept.  cache may be NULL. */
void identify_model(struct matcher *mt, struct identify_cache *cache,
		    struct model *m);

#endif
