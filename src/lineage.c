/*
 * lineage.c: resolves lineage over the whole inventory (lineage.h).  An
 * strmap maps model ids, case-insensitively, to rows (the first row wins
 * when two models share an id, e.g. a clone and a cache copy).
 * lineage_update() is the pass end to end: rows from the store, final
 * verdicts back to it.
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
	own->body_restriction = r->own.body_restriction;
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

struct update {
	struct store *st;
	int64_t scan_id;
	size_t *by_commercial;
	struct mc_error *err;
};

static int write_final(void *ctx, const struct lineage_row *row,
		       const struct verdict *final)
{
	struct update *u = ctx;

	if (u->by_commercial && (!u->scan_id || row->last_scan == u->scan_id))
		u->by_commercial[final->commercial]++;
	return store_set_final(u->st, row->rowid, final, u->err) < 0;
}

int lineage_update(struct store *st, const struct rules *rules,
		   int64_t scan_id, size_t *by_commercial, struct mc_error *err)
{
	struct lineage_rows rows = { 0 };
	struct update u = { st, scan_id, by_commercial, err };
	int rc;

	rc = store_lineage_rows(st, &rows, err);
	if (!rc)
		rc = lineage_resolve(rules, &rows, write_final, &u) ? -1 : 0;
	if (!rc)
		rc = store_flush(st, err);
	lineage_rows_clear(&rows);
	return rc;
}
