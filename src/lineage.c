/*
 * lineage.c: the lineage pass (lineage.h).  It reads and writes only
 * through the store's API, and holds at most LINEAGE_PAGE rows.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/lineage.h"
#include "modelcensus/banned.h"

struct lookup_ctx {
	struct store *st;
	struct mc_error *err;
	int failed;
};

/* verdict_lookup_fn over the store. */
static int lookup(void *ctx, const char *model_id, struct verdict *own,
		  struct strlist *bases)
{
	struct lookup_ctx *c = ctx;
	int rc = store_lineage_lookup(c->st, model_id, own, bases, c->err);

	if (rc < 0)
		c->failed = 1;
	return rc > 0;
}

int lineage_update(struct store *st, const struct rules *rules,
		   struct mc_error *err)
{
	struct lookup_ctx ctx = { st, err, 0 };
	int64_t after = 0;
	int rc = 0, done = 0, pending;

	if (store_lineage_pending(st, &pending, err) < 0)
		return -1;
	if (!pending)
		return 0;	/* nothing changed since the last pass */
	while (!rc && !done) {
		struct lineage_rows rows = { 0 };

		rc = store_lineage_page(st, after, LINEAGE_PAGE, &rows, err);
		done = !rows.n;
		for (size_t i = 0; i < rows.n && !rc; i++) {
			const struct lineage_row *r = &rows.v[i];
			struct verdict final;

			verdict_init(&final);
			verdict_final(rules, r->model_id, &r->own, &r->base_models,
				      lookup, &ctx, &final);
			rc = ctx.failed ? -1 : store_set_final(st, r->rowid, &final, err);
			verdict_release(&final);
			after = r->rowid;
		}
		lineage_rows_clear(&rows);
	}
	if (rc < 0 || store_lineage_done(st, err) < 0)
		return -1;
	return 1;
}
