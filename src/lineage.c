/*
 * lineage.c: resolves lineage over the whole inventory (lineage.h).  An
 * strmap maps model ids, case-insensitively, to rows (the first row wins
 * when two models share an id, e.g. a clone and a cache copy).
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/lineage.h"
#include "modelcensus/strmap.h"
#include "modelcensus/banned.h"

struct index {
	const struct lineage_rows *rows;
	struct strmap ids;	/* model id -> row */
};

static const struct lineage_row *index_get(const struct index *ix, const char *id)
{
	uint64_t i;

	return strmap_get(&ix->ids, id, &i) ? &ix->rows->v[i] : NULL;
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

	ix.rows = rows;
	strmap_init(&ix.ids, 1);
	for (size_t i = 0; i < rows->n; i++)
		if (rows->v[i].model_id)
			strmap_put(&ix.ids, rows->v[i].model_id, i, 1);
	for (size_t i = 0; i < rows->n && !rc; i++) {
		const struct lineage_row *r = &rows->v[i];
		struct verdict final;

		verdict_init(&final);
		verdict_final(rules, r->model_id, &r->own, &r->base_models,
			      lookup, &ix, &final);
		rc = out(ctx, r, &final);
		verdict_release(&final);
	}
	strmap_clear(&ix.ids);
	return rc;
}
