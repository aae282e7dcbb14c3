/*
 * table.h: query results held in memory for the commands that print them
 * (report, explain, check).  table_collect() is a store_row_fn; the table
 * keeps every cell as a copy and remembers which were NULL.
 */
#ifndef MODELCENSUS_TABLE_H
#define MODELCENSUS_TABLE_H

#include <stddef.h>
#include "util.h"

struct table {
	int ncols;
	char **names;
	struct strlist cells;	/* row-major; "" for NULL */
	unsigned char *is_null;
	size_t nrows, null_alloc;
};
#define TABLE_INIT { 0, NULL, STRLIST_INIT, NULL, 0, 0 }

int table_collect(void *ctx, int ncols, const char *const *names,
		  const char *const *values);
/* The cell of column name in row, NULL when SQL NULL or no such column. */
const char *table_get(const struct table *t, size_t row, const char *name);
/* Like table_get() but "" for NULL: for printing. */
const char *table_str(const struct table *t, size_t row, const char *name);
void table_clear(struct table *t);

#endif
