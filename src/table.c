/*
 * table.c: in-memory query results (table.h).
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/table.h"
#include "modelcensus/banned.h"

int table_collect(void *ctx, int ncols, const char *const *names,
		  const char *const *values)
{
	struct table *t = ctx;

	if (!t->names) {
		t->ncols = ncols;
		t->names = xcalloc((size_t)ncols, sizeof(*t->names));
		for (int i = 0; i < ncols; i++)
			t->names[i] = xstrdup(names[i]);
	}
	ALLOC_GROW(t->is_null, t->cells.n + (size_t)ncols, t->null_alloc);
	for (int i = 0; i < ncols; i++) {
		t->is_null[t->cells.n] = !values[i];
		strlist_add(&t->cells, values[i] ? values[i] : "");
	}
	t->nrows++;
	return 0;
}

const char *table_get(const struct table *t, size_t row, const char *name)
{
	for (int i = 0; i < t->ncols; i++) {
		size_t k = row * (size_t)t->ncols + (size_t)i;

		if (!strcmp(t->names[i], name))
			return t->is_null[k] ? NULL : t->cells.v[k];
	}
	return NULL;
}

const char *table_str(const struct table *t, size_t row, const char *name)
{
	const char *v = table_get(t, row, name);

	return v ? v : "";
}

void table_clear(struct table *t)
{
	for (int i = 0; i < t->ncols; i++)
		free(t->names[i]);
	free(t->names);
	free(t->is_null);
	strlist_clear(&t->cells);
	memset(t, 0, sizeof(*t));
}
