/*
 * report_html.h: `report --format html`, the inventory as one page for
 * people: self-contained (inline CSS, JavaScript and SVG; nothing is loaded
 * from anywhere), with totals and charts, the review queue, a sortable and
 * filterable table of every model, each model's explanation as explain
 * gives it, lineage as links between rows, and the last scan's changes
 * when the database records them.
 *
 * report_html.c owns filling the page: it reads the store (read-only
 * queries), writes the page to the stream the command hands it, and never
 * prints anywhere else.  The page itself (HTML, CSS and JavaScript) is
 * src/report.html, compiled in by the Makefile as report_template[].
 */
#ifndef MODELCENSUS_REPORT_HTML_H
#define MODELCENSUS_REPORT_HTML_H

#include <stdio.h>
#include "store.h"

/* The page, with REPORT_HTML_DATA where the data goes. */
extern const char report_template[];
#define REPORT_HTML_DATA "@MODELCENSUS_DATA@"

/* What the page says it was made from. */
struct report_html_source {
	const char *database;	/* the database file as given */
	const char *where;	/* --where, or NULL */
	const char *tool;	/* "modelcensus VERSION" */
};

/*
 * Writes the page for the inventory's models that where selects (as
 * store_inventory) to out.  The data is embedded once, as JSON in a
 * <script type="application/json"> block, with every "<" written \u003c
 * so that no text from a model can end the block.  Returns 0, or -1 with
 * err set (a bad --where, a database error, or out that cannot be
 * written).
 */
int report_html_write(FILE *out, struct store *st,
		      const struct report_html_source *src, struct mc_error *err);

#endif
