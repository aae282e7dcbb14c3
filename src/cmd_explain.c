/*
 * cmd_explain.c: `modelcensus explain MODEL`: everything the inventory
 * knows about one model, in the order a compliance reviewer reads it:
 * identity, card fields, each license file with the rule, kind, coverage
 * and lines that matched (and what was ignored and why), checkpoint
 * headers, lineage, then the verdict and its reasoning step by step.
 * Text for tickets (explain.c writes it, report --format html embeds
 * the same), or --format json (jansson) for tools.
 */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modelcensus/cmd.h"
#include "modelcensus/explain.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char explain_usage[] =
"usage: modelcensus explain [--db FILE] [--format text|json] MODEL...\n"
"\n"
"Explains the verdict of each MODEL, a path (as scanned) or a model id\n"
"(org/name, any case): the card fields read, each license file with the\n"
"rule, coverage and line range that matched, checkpoint metadata, the\n"
"lineage, then the verdict and the reasoning step by step.\n"
"\n"
"  --db FILE      the inventory database (default: inventory.db)\n"
"  --format F     text (default) or json\n"
"  -h, --help     this help\n"
"\n"
"Exit 2 when a MODEL is not in the inventory; 3 when the database cannot\n"
"be read.\n";

/* The models MODEL names: as given, as an absolute path, resolved. */
static int find(struct store *st, const char *arg, struct table *out,
		struct mc_error *err)
{
	char cwd[PATH_MAX], *abs = NULL, *real;

	if (store_find_models(st, arg, table_collect, out, err) < 0)
		return -1;
	if (!out->nrows && arg[0] != '/' && getcwd(cwd, sizeof(cwd))) {
		abs = xstrfmt("%s/%s", cwd, arg);
		while (strlen(abs) > 1 && str_has_suffix(abs, "/"))
			abs[strlen(abs) - 1] = '\0';
		if (store_find_models(st, abs, table_collect, out, err) < 0) {
			free(abs);
			return -1;
		}
	}
	if (!out->nrows && (real = realpath(arg, NULL))) {
		int rc = store_find_models(st, real, table_collect, out, err);

		free(real);
		if (rc < 0) {
			free(abs);
			return -1;
		}
	}
	free(abs);
	return 0;
}

/* A cell as JSON: numbers for the numeric columns, null for NULL. */
static json_t *jcell(const char *name, const char *v)
{
	static const char *const ints[] = { "size", "line_start", "line_end",
		"added_start", "added_end", "weight_bytes", NULL };
	static const char *const bools[] = { "present", "incomplete", NULL };

	if (!v)
		return json_null();
	if (!strcmp(name, "coverage"))
		return json_real(strtod(v, NULL));
	for (size_t i = 0; ints[i]; i++)
		if (!strcmp(name, ints[i]))
			return json_integer(strtoll(v, NULL, 10));
	for (size_t i = 0; bools[i]; i++)
		if (!strcmp(name, bools[i]))
			return json_boolean(!strcmp(v, "1"));
	return cmd_json_str(v);
}

/* A table's rows as an array of objects. */
static json_t *table_json(const struct table *t)
{
	json_t *arr = json_array();

	for (size_t r = 0; r < t->nrows; r++) {
		json_t *o = json_object();

		for (int c = 0; c < t->ncols; c++)
			json_object_set_new(o, t->names[c],
					    jcell(t->names[c], table_get(t, r, t->names[c])));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *model_json(const struct table *m, size_t i, const struct explain_details *d)
{
	static const char *const cols[] = { "path", "layout", "model_id", "revision",
		"card_file", "declared_license", "detected_license", "license",
		"commercial_use", "conditions", "review", "base_models", "error",
		"last_seen" };
	json_t *o = json_object(), *card = json_object(), *steps = json_array();
	char *all = xstrfmt("%s\n%s", table_str(m, i, "own_reasoning"),
			    table_str(m, i, "reasoning"));
	const char *text = all;

	for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++)
		json_object_set_new(o, cols[c], jcell(cols[c], table_get(m, i, cols[c])));
	if (table_get(m, i, "text_bases"))
		json_object_set_new(o, "text_bases", jcell("text_bases", table_get(m, i, "text_bases")));
	json_object_set_new(o, "weight_bytes", jcell("weight_bytes", table_get(m, i, "weight_bytes")));
	json_object_set_new(o, "gone", json_boolean(!strcmp(table_str(m, i, "gone"), "1")));
	for (size_t r = 0; r < d->card.nrows; r++)
		json_object_set_new(card, table_str(&d->card, r, "key"),
				    cmd_json_str(table_get(&d->card, r, "value")));
	json_object_set_new(o, "card", card);
	json_object_set_new(o, "evidence", table_json(&d->evidence));
	json_object_set_new(o, "weights", table_json(&d->weights));
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		if (n)
		{
			char *line = xstrndup(text, n);

			json_array_append_new(steps, cmd_json_str(line));
			free(line);
		}
		text += n + (nl != NULL);
	}
	json_object_set_new(o, "reasoning", steps);
	free(all);
	return o;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "explain", explain_usage, "", longopts };
	static const char *const formats[] = { "text", "json", NULL };
	const char *db = "inventory.db";
	struct store *st = NULL;
	struct mc_error err;
	json_t *all = NULL;
	int opt, json = 0, rc = EXIT_DONE, printed = 0;

	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'f':
			if (cmd_choice("explain", "--format", optarg, formats, &json))
				return EXIT_USAGE;
			break;
		default: return rc;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("explain", "needs a MODEL (a path or a model id)");
	if (store_open(&st, db, STORE_READER, &err) < 0)
		return cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	if (json)
		all = json_array();
	for (int a = optind; a < argc && rc != EXIT_CANNOT_RUN; a++) {
		struct table m = TABLE_INIT;

		if (find(st, argv[a], &m, &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		} else if (!m.nrows) {
			rc = cmd_fail(EXIT_USAGE, "no model '%s' in '%s' (give a scanned path or an org/name model id)",
				      argv[a], db);
		}
		for (size_t i = 0; i < m.nrows && rc != EXIT_CANNOT_RUN; i++) {
			struct explain_details d = EXPLAIN_DETAILS_INIT;
			struct strbuf text = STRBUF_INIT;

			if (explain_load(st, table_str(&m, i, "id"), &d, &err) < 0) {
				rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			} else if (json) {
				json_array_append_new(all, model_json(&m, i, &d));
			} else {
				if (printed++)
					printf("\n%s\n\n", "----------------------------------------------------------------");
				explain_text(&text, &m, i, &d);
				fputs(strbuf_str(&text), stdout);
			}
			strbuf_release(&text);
			explain_details_clear(&d);
		}
		table_clear(&m);
	}
	if (json) {
		char *out = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);

		if (out)
			puts(out);
		free(out);
		json_decref(all);
	}
	store_close(st, NULL);
	return rc;
}
