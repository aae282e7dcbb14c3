/*
 * cmd_report.c: `modelcensus report`: the inventory for people (an aligned
 * table, or one HTML page written by report_html.c) and for scripts (JSON
 * through jansson, or CSV per RFC 4180).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/cmd.h"
#include "modelcensus/report_html.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char report_usage[] =
"usage: modelcensus report [--db FILE] [--format table|json|csv|html] [--where EXPR]\n"
"\n"
"Prints the inventory: one row per model present at its last scan.\n"
"\n"
"  --db FILE        the inventory database (default: inventory.db)\n"
"  --format F       table (default, for people), json (an array of objects),\n"
"                   csv (with a header line) or html (one self-contained page:\n"
"                   charts, review queue, a table to sort and filter, each\n"
"                   model's explanation; e.g. > report.html)\n"
"  --where EXPR     an SQL expression over the inventory's columns, e.g.\n"
"                   \"commercial_use = 'allowed'\" or \"review LIKE '%conflict%'\"\n"
"  -h, --help       this help\n"
"\n"
"Columns: path, layout, model_id, revision, declared_license,\n"
"detected_license, license, commercial_use, conditions, review, base_models,\n"
"error, weight_bytes.  Exit 2: usage error; 3: the database cannot be read.\n";

/* the values of --format, in the order of formats[] */
enum format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_HTML };

static void human_size(char *buf, size_t n, const char *bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = strtod(bytes, NULL);
	int u = 0;

	if (v <= 0) {
		snprintf(buf, n, "-");
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void print_table(const struct table *r)
{
	static const char *const head[] = { "MODEL", "LAYOUT", "LICENSE",
		"COMMERCIAL USE", "CONDITIONS", "REVIEW", "WEIGHTS" };
	enum { NCOL = sizeof(head) / sizeof(*head) };
	size_t width[NCOL];
	char size[32];

	for (size_t c = 0; c < NCOL; c++)
		width[c] = strlen(head[c]);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			printf("%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n",
			       (int)width[0], head[0], (int)width[1], head[1],
			       (int)width[2], head[2], (int)width[3], head[3],
			       (int)width[4], head[4], (int)width[5], head[5], head[6]);
		for (size_t i = 0; i < r->nrows; i++) {
			const char *v[NCOL];
			const char *id = table_str(r, i, "model_id");

			v[0] = *id ? id : table_str(r, i, "path");
			v[1] = table_str(r, i, "layout");
			v[2] = table_str(r, i, "license");
			v[3] = table_str(r, i, "commercial_use");
			v[4] = *table_str(r, i, "conditions") ? table_str(r, i, "conditions") : "-";
			v[5] = *table_str(r, i, "review") ? table_str(r, i, "review") : "-";
			human_size(size, sizeof(size), table_str(r, i, "weight_bytes"));
			v[6] = size;
			if (!pass) {
				for (size_t c = 0; c < NCOL; c++)
					if (strlen(v[c]) > width[c])
						width[c] = strlen(v[c]);
				continue;
			}
			printf("%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n",
			       (int)width[0], v[0], (int)width[1], v[1],
			       (int)width[2], v[2], (int)width[3], v[3],
			       (int)width[4], v[4], (int)width[5], v[5], v[6]);
			if (*table_str(r, i, "error"))
				printf("    error: %s\n", table_str(r, i, "error"));
		}
	}
	printf("%zu models\n", r->nrows);
}

static int print_json(const struct table *r)
{
	json_t *arr = json_array();
	char *out;

	for (size_t i = 0; i < r->nrows; i++) {
		json_t *obj = json_object();

		for (int c = 0; c < r->ncols; c++) {
			size_t k = i * (size_t)r->ncols + (size_t)c;
			json_t *v;

			if (r->is_null[k])
				v = json_null();
			else if (!strcmp(r->names[c], "weight_bytes"))
				v = json_integer(strtoll(r->cells.v[k], NULL, 10));
			else
				v = json_text(r->cells.v[k]);
			json_object_set_new(obj, r->names[c], v);
		}
		json_array_append_new(arr, obj);
	}
	out = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(arr);
	if (!out)
		return -1;
	puts(out);
	free(out);
	return 0;
}

static void print_csv(const struct table *r)
{
	for (int c = 0; c < r->ncols; c++) {
		if (c)
			putchar(',');
		cmd_csv_field(r->names[c]);
	}
	fputs("\r\n", stdout);
	for (size_t i = 0; i < r->nrows; i++) {
		for (int c = 0; c < r->ncols; c++) {
			if (c)
				putchar(',');
			cmd_csv_field(r->cells.v[i * (size_t)r->ncols + (size_t)c]);
		}
		fputs("\r\n", stdout);
	}
}

static int stop(void *ctx, int ncols, const char *const *names,
		const char *const *values)
{
	return 1;
}

static int print_html(struct store *st, const char *db, const char *where)
{
	const struct report_html_source src = { db, where, "modelcensus " MC_VERSION };
	struct mc_error err;

	/* a bad --where is a usage error, said before any of the page */
	if (where && store_inventory(st, where, stop, NULL, &err) < 0)
		return cmd_fail(EXIT_USAGE, "%s", err.msg);
	if (report_html_write(stdout, st, &src, &err) < 0)
		/* stdout that cannot be written is said once, by main() */
		return ferror(stdout) ? EXIT_CANNOT_RUN : cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	return EXIT_DONE;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "where", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "report", report_usage, "", longopts };
	static const char *const formats[] = { "table", "json", "csv", "html", NULL };
	const char *db = "inventory.db", *where = NULL;
	int fmt = FMT_TABLE;
	struct table r = TABLE_INIT;
	struct store *st = NULL;
	struct mc_error err;
	int opt, rc = EXIT_DONE;

	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'w': where = optarg; break;
		case 'f':
			if (cmd_choice("report", "--format", optarg, formats, &fmt))
				return EXIT_USAGE;
			break;
		default: return rc;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind < argc)
		return cmd_usage_error("report", "takes no arguments, not '%s'", argv[optind]);
	if (store_open(&st, db, STORE_READER, &err) < 0)
		return cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	if (fmt == FMT_HTML) {
		rc = print_html(st, db, where);
	} else if (store_inventory(st, where, table_collect, &r, &err) < 0) {
		rc = cmd_fail(where ? EXIT_USAGE : EXIT_CANNOT_RUN, "%s", err.msg);
	} else if (fmt == FMT_TABLE) {
		print_table(&r);
	} else if (fmt == FMT_CSV) {
		print_csv(&r);
	} else if (print_json(&r) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "cannot format the inventory as JSON");
	}
	store_close(st, NULL);
	table_clear(&r);
	return rc;
}
