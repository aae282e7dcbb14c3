/*
 * lineage.c: resolves lineage over the whole inventory (lineage.h).  An
 * open-addressing hash table maps lower-cased model ids to rows (the first
 * row wins when two models share an id, e.g. a clone and a cache copy).
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/lineage.h"
#include "modelcensus/banned.h"

struct index {
	const struct lineage_row **slots;
	size_t cap;
};

static uint64_t hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211ull;
	}
	return h;
}

static void index_build(struct index *ix, const struct lineage_rows *rows)
{
	ix->cap = 16;
	while (ix->cap < rows->n * 2)
		ix->cap *= 2;
	ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
	for (size_t i = 0; i < rows->n; i++) {
		const struct lineage_row *r = &rows->v[i];
		size_t j;

		if (!r->model_id)
			continue;
		for (j = hash_id(r->model_id) & (ix->cap - 1); ix->slots[j];
		     j = (j + 1) & (ix->cap - 1))
			if (str_iequal(ix->slots[j]->model_id, r->model_id))
				break;
		if (!ix->slots[j])
			ix->slots[j] = r;
	}
}

static const struct lineage_row *index_get(const struct index *ix, const char *id)
{
	for (size_t j = hash_id(id) & (ix->cap - 1); ix->slots[j];
	     j = (j + 1) & (ix->cap - 1))
		if (str_iequal(ix->slots[j]->model_id, id))
			return ix->slots[j];
	return NULL;
}

static void copy_list(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
}

/* verdict_lookup_fn over the index: copies the base's own verdict. */
static int lookup(void *ctx, const char *model_id, struct verdict *own,
		  struct strlist *bases)
{
	const struct lineage_row *r = index_get(ctx, model_id);

	if (!r)
		return 0;
	copy_list(&own->declared, &r->own.declared);
	copy_list(&own->detected, &r->own.detected);
	copy_list(&own->licenses, &r->own.licenses);
	own->commercial = r->own.commercial;
	copy_list(&own->conditions, &r->own.conditions);
	copy_list(&own->review, &r->own.review);
	copy_list(bases, &r->base_models);
	return 1;
}

int lineage_resolve(const struct rules *rules, const struct lineage_rows *rows,
		    lineage_out_fn out, void *ctx)
{
	struct index ix;
	int rc = 0;

	index_build(&ix, rows);
	for (size_t i = 0; i < rows->n && !rc; i++) {
		const struct lineage_row *r = &rows->v[i];
		struct verdict final;

		verdict_init(&final);
		verdict_final(rules, r->model_id, &r->own, &r->base_models,
			      lookup, &ix, &final);
		rc = out(ctx, r, &final);
		verdict_release(&final);
	}
	free(ix.slots);
	return rc;
}
