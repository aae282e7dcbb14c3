/*
 * report_html.c: `report --format html` (report_html.h): the page of
 * src/report.html with the inventory embedded once as JSON.  Each model is
 * read, explained (explain.c, the same text `explain` prints) and written
 * out before the next is read, so memory stays flat however many models
 * the inventory holds; the page draws its table a page of rows at a time.
 * Writes only to the stream it is handed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "modelcensus/explain.h"
#include "modelcensus/report_html.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

/* the columns of each model the page shows, filters and sorts on */
static const char *const model_cols[] = { "path", "layout", "model_id",
	"revision", "declared_license", "detected_license", "license",
	"commercial_use", "conditions", "review", "base_models", "text_bases",
	"error" };

struct page {
	FILE *out;
	struct store *st;
	struct mc_error *err;
	size_t models;
	int failed;		/* a model could not be read or written */
};

/* json_dump_callback()'s writer: "<" as \u003c (it only occurs inside JSON
 * strings), so no "</script" or "<!--" reaches the HTML parser. */
static int put_escaped(const char *buf, size_t size, void *data)
{
	FILE *out = data;
	const char *lt;

	while ((lt = memchr(buf, '<', size))) {
		fwrite(buf, 1, (size_t)(lt - buf), out);
		fputs("\\u003c", out);
		size -= (size_t)(lt - buf) + 1;
		buf = lt + 1;
	}
	fwrite(buf, 1, size, out);
	return ferror(out) ? -1 : 0;
}

/* Writes j (consumed) as compact JSON. */
static int put_json(FILE *out, json_t *j)
{
	int rc = j ? json_dump_callback(j, put_escaped, out,
					JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY) : -1;

	json_decref(j);
	return rc;
}

static int put_model(void *ctx, int ncols, const char *const *names,
		     const char *const *values)
{
	struct page *p = ctx;
	struct table m = TABLE_INIT;
	struct explain_details d = EXPLAIN_DETAILS_INIT;
	struct strbuf text = STRBUF_INIT;
	const char *bytes;
	json_t *o;

	table_collect(&m, ncols, names, values);
	if (explain_load(p->st, table_str(&m, 0, "id"), &d, p->err) < 0) {
		p->failed = 1;
		goto done;
	}
	explain_text(&text, &m, 0, &d);
	o = json_object();
	for (size_t c = 0; c < sizeof(model_cols) / sizeof(*model_cols); c++)
		json_object_set_new(o, model_cols[c], json_text(table_get(&m, 0, model_cols[c])));
	bytes = table_get(&m, 0, "weight_bytes");
	json_object_set_new(o, "weight_bytes",
			    bytes ? json_integer(strtoll(bytes, NULL, 10)) : json_null());
	json_object_set_new(o, "explain", json_text(strbuf_str(&text)));
	if ((p->models++ && fputc(',', p->out) == EOF) || put_json(p->out, o) < 0) {
		mc_error_set(p->err, "cannot write the report");
		p->failed = 1;
	}
done:
	strbuf_release(&text);
	explain_details_clear(&d);
	table_clear(&m);
	return p->failed;
}

/* changes rows: an object of each row's columns, as text */
static int add_change(void *ctx, int ncols, const char *const *names,
		      const char *const *values)
{
	json_t *o = json_object();

	for (int c = 0; c < ncols; c++)
		json_object_set_new(o, names[c], json_text(values[c]));
	json_array_append_new(ctx, o);
	return 0;
}

int report_html_write(FILE *out, struct store *st,
		      const struct report_html_source *src, struct mc_error *err)
{
	const char *mark = strstr(report_template, REPORT_HTML_DATA);
	struct page p = { out, st, err, 0, 0 };
	json_t *meta, *changes = json_array();
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	int has_changes, rc = -1;

	if (!mark)
		return mc_error_set(err, "the report template has no place for the data (src/report.html needs %s)",
				    REPORT_HTML_DATA);
	if (store_last_changes(st, &has_changes, add_change, changes, err) < 0)
		goto done;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	meta = json_object();
	json_object_set_new(meta, "tool", json_text(src->tool));
	json_object_set_new(meta, "database", json_text(src->database));
	json_object_set_new(meta, "where", json_text(src->where));
	json_object_set_new(meta, "generated", json_string(when));

	fwrite(report_template, 1, (size_t)(mark - report_template), out);
	fputs("{\"meta\":", out);
	if (put_json(out, meta) < 0)
		goto write_error;
	fputs(",\"models\":[", out);
	if (store_inventory_models(st, src->where, put_model, &p, err) < 0 || p.failed)
		goto done;
	fputs("],\"changes\":", out);
	if (has_changes ? put_json(out, json_incref(changes)) < 0 : fputs("null", out) == EOF)
		goto write_error;
	fputc('}', out);
	fputs(mark + strlen(REPORT_HTML_DATA), out);
	if (fflush(out) || ferror(out))
		goto write_error;
	rc = 0;
	goto done;
write_error:
	rc = mc_error_set(err, "cannot write the report");
done:
	json_decref(changes);
	return rc;
}
