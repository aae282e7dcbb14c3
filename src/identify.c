/*
 * identify.c: the identify stage (identify.h): every licensing file read,
 * then the card body, through the thread's matcher, with a per-thread
 * cache of the results for file contents seen before; and the card body's
 * sentences that name the model's base (derive.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/identify.h"
#include "modelcensus/banned.h"

void identify_cache_init(struct identify_cache *c)
{
	memset(c, 0, sizeof(*c));
	strmap_init(&c->index, 0);
	c->slots = xcalloc(IDENTIFY_CACHE_MAX, sizeof(*c->slots));
}

static void cache_empty(struct identify_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		match_list_clear(&c->slots[i].matches);
		free(c->slots[i].error);
		free(c->slots[i].restriction_quote);
	}
	c->n = 0;
	strmap_clear(&c->index);
}

void identify_cache_clear(struct identify_cache *c)
{
	cache_empty(c);
	free(c->slots);
	c->slots = NULL;
}

/* The content key of a file: its blob id, else two hashes and the size. */
static void content_key(const struct model_file *f, char *key, size_t n)
{
	uint64_t a = 1469598103934665603ull, b = 0x9e3779b97f4a7c15ull;

	if (f->oid) {
		snprintf(key, n, "%s", f->oid);
		return;
	}
	for (size_t i = 0; i < f->len; i++) {
		unsigned char c = (unsigned char)f->data[i];

		a = (a ^ c) * 1099511628211ull;
		b = (b + c + 1) * 0xff51afd7ed558ccdull;
		b ^= b >> 29;
	}
	snprintf(key, n, "%016llx%016llx:%zu", (unsigned long long)a,
		 (unsigned long long)b, f->len);
}

static void copy_matches(struct match_list *dst, const struct match_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		ALLOC_GROW(dst->v, dst->n + 1, dst->alloc);
		dst->v[dst->n++] = src->v[i];
	}
}

/* Gives f (and m) what r says of f's text. */
static void apply(struct model *m, struct model_file *f,
		  const struct identify_result *r)
{
	copy_matches(&f->matches, &r->matches);
	f->restriction_line = r->restriction_line;
	free(f->restriction_quote);
	f->restriction_quote = r->restriction_quote ? xstrdup(r->restriction_quote) : NULL;
	if (r->error) {
		if (!f->error)
			f->error = xstrdup(r->error);
		model_set_error(m, "'%s': %s", f->name, r->error);
	}
}

/* Matches f's text, through the cache when there is one. */
static void identify_file(struct matcher *mt, struct identify_cache *cache,
			  struct model *m, struct model_file *f)
{
	struct identify_result fresh = { MATCH_LIST_INIT, 0, NULL, NULL };
	struct mc_error err;
	char key[80];
	uint64_t slot;

	if (cache) {
		content_key(f, key, sizeof(key));
		if (strmap_get(&cache->index, key, &slot)) {
			apply(m, f, &cache->slots[slot]);
			return;
		}
	}
	if (match_text(mt, f->data, f->len, &fresh.matches, &err) < 0)
		fresh.error = xstrdup(err.msg);
	/* sentences count beside an identified license (rules/README.md) */
	match_restriction_sentences(mt, fresh.matches.n > 0);
	if (!match_restriction_last(mt, &fresh.restriction_line))
		fresh.restriction_line = 0;
	else
		fresh.restriction_quote = match_restriction_quotes(mt, 0);
	apply(m, f, &fresh);
	if (!cache) {
		match_list_clear(&fresh.matches);
		free(fresh.error);
		free(fresh.restriction_quote);
		return;
	}
	if (cache->n == IDENTIFY_CACHE_MAX)
		cache_empty(cache);
	strmap_put(&cache->index, key, cache->n, 0);
	cache->slots[cache->n++] = fresh;
}

void identify_model(struct matcher *mt, struct identify_cache *cache,
		    struct model *m)
{
	struct mc_error err;

	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].data)
			identify_file(mt, cache, m, &m->files[i]);
	if (m->has_card && m->card.body_len) {
		size_t line;

		if (match_text(mt, m->card.body, m->card.body_len,
			       &m->body_matches, &err) < 0)
			model_set_error(m, "card body: %s", err.msg);
		/* lines of the body are counted from the file's first line */
		for (size_t i = 0; i < m->body_matches.n; i++) {
			struct match *x = &m->body_matches.v[i];
			size_t off = m->card.body_line - 1;

			x->line_start += off;
			x->line_end += off;
			if (x->added_start) {
				x->added_start += off;
				x->added_end += off;
			}
		}
		m->body_restriction = match_restriction_last(mt, &line);
		if (m->body_restriction) {
			m->body_restriction_line = line + m->card.body_line - 1;
			m->body_restriction_quote =
				match_restriction_quotes(mt, m->card.body_line - 1);
		}
		/* sentences naming the model's base (weaker lineage evidence) */
		match_derivations(mt, m->card.body_line, &m->derived);
	}
}
