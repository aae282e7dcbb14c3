/*
 * cmd_explain.c: `modelcensus explain MODEL`: everything the inventory
 * knows about one model, in the order a compliance reviewer reads it:
 * identity, card fields, each license file with the rule, kind, coverage
 * and lines that matched (and what was ignored and why), checkpoint
 * headers, lineage, then the verdict and its reasoning step by step.
 * Text for tickets (explain.c writes it, report --format html embeds
 * the same), or --format json (jansson) for tools.  --history and
 * --revision print the license history scan --history recorded; to place
 * a revision on the first-parent history, --revision opens the repository
 * read-only (history_locate()), so the store need keep only the changes.
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
#include "modelcensus/history.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char explain_usage[] =
"usage: modelcensus explain [--db FILE] [--format text|json] MODEL...\n"
"   or: modelcensus explain [--db FILE] [--format F] --history MODEL...\n"
"   or: modelcensus explain [--db FILE] [--format F] --revision REV MODEL...\n"
"\n"
"Explains the verdict of each MODEL, a path (as scanned) or a model id\n"
"(org/name, any case): the card fields read, each license file with the\n"
"rule, coverage and line range that matched, checkpoint metadata, the\n"
"lineage, then the verdict and the reasoning step by step.\n"
"\n"
"  --db FILE      the inventory database (default: inventory.db)\n"
"  --format F     text (default) or json\n"
"  --history      the model's license history (scan --history records\n"
"                 it): each change of its own verdict, oldest first\n"
"  --revision REV its own verdict at revision REV: a commit (full or\n"
"                 abbreviated id, or any name git understands) on the\n"
"                 first-parent history of HEAD, or a cache snapshot\n"
"  -h, --help     this help\n"
"\n"
"Exit 2 when a MODEL is not in the inventory, has no recorded history\n"
"(--history, --revision), or REV is unknown or ambiguous; 3 when the\n"
"database cannot be read.\n";

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
	return json_text(v);
}

/* A table's row as an object. */
static json_t *table_json_row(const struct table *t, size_t r)
{
	json_t *o = json_object();

	for (int c = 0; c < t->ncols; c++)
		json_object_set_new(o, t->names[c],
				    jcell(t->names[c], table_get(t, r, t->names[c])));
	return o;
}

/* A table's rows as an array of objects. */
static json_t *table_json(const struct table *t)
{
	json_t *arr = json_array();

	for (size_t r = 0; r < t->nrows; r++)
		json_array_append_new(arr, table_json_row(t, r));
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
				    json_text(table_get(&d->card, r, "value")));
	json_object_set_new(o, "card", card);
	json_object_set_new(o, "evidence", table_json(&d->evidence));
	json_object_set_new(o, "weights", table_json(&d->weights));
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		if (n)
		{
			char *line = xstrndup(text, n);

			json_array_append_new(steps, json_text(line));
			free(line);
		}
		text += n + (nl != NULL);
	}
	json_object_set_new(o, "reasoning", steps);
	free(all);
	return o;
}

/* ---- --history and --revision: from license_history rows (store) ---- */

/* "license, commercial use X" of history row r */
static char *verdict_words(const struct table *h, size_t r)
{
	return xstrfmt("%s, commercial use %s", table_str(h, r, "license"),
		       table_str(h, r, "commercial_use"));
}

static int same_verdict(const struct table *h, size_t a, size_t b)
{
	static const char *const cols[] = { "license", "commercial_use", "review" };

	for (size_t c = 0; c < 3; c++)
		if (strcmp(table_str(h, a, cols[c]), table_str(h, b, cols[c])))
			return 0;
	return 1;
}

/* The rows of history rows h (newest first), printed oldest first: the
 * first, then each that changed the verdict or has an error. */
static void print_history(const struct table *m, size_t i, const struct table *h,
			  const struct table *walk)
{
	size_t quiet = 0;

	printf("license history of %s%s%s%s, oldest first:\n", table_str(m, i, "path"),
	       table_get(m, i, "model_id") ? " (" : "", table_str(m, i, "model_id"),
	       table_get(m, i, "model_id") ? ")" : "");
	for (size_t k = h->nrows; k-- > 0;) {
		const char *err = table_get(h, k, "error"), *note = table_get(h, k, "note");
		int first = k == h->nrows - 1;

		if (!first && !err && !note && same_verdict(h, k, k + 1)) {
			quiet++;
			continue;
		}
		printf("%.10s %.7s: ", table_str(h, k, "committed_at"), table_str(h, k, "revision"));
		if (first || !strcmp(table_str(h, k, "license"), table_str(h, k + 1, "license")))
			printf("%s", table_str(h, k, "license"));
		else
			printf("%s -> %s", table_str(h, k + 1, "license"), table_str(h, k, "license"));
		if (first || !strcmp(table_str(h, k, "commercial_use"), table_str(h, k + 1, "commercial_use")))
			printf(" (commercial use: %s)", table_str(h, k, "commercial_use"));
		else
			printf(" (commercial use: %s -> %s)", table_str(h, k + 1, "commercial_use"),
			       table_str(h, k, "commercial_use"));
		if (table_get(h, k, "review"))
			printf(" review: %s", table_str(h, k, "review"));
		printf("\n");
		if (err)
			printf("    error: %s\n", err);
		if (note)
			printf("    %s\n", note);
	}
	if (quiet)
		printf("  (%zu more revisions changed the card or license files, not the verdict: the license_history view lists them)\n",
		       quiet);
	if (walk->nrows)
		printf("  %s commits walked, up to %.12s\n", table_str(walk, 0, "commits"),
		       table_str(walk, 0, "head"));
}

static json_t *history_json(const struct table *m, size_t i, const struct table *h,
			    const struct table *walk)
{
	json_t *o = json_object(), *rows = json_array();

	json_object_set_new(o, "path", json_text(table_get(m, i, "path")));
	json_object_set_new(o, "model_id", json_text(table_get(m, i, "model_id")));
	if (walk->nrows) {
		json_object_set_new(o, "head", json_text(table_get(walk, 0, "head")));
		json_object_set_new(o, "commits", json_integer(atoll(table_str(walk, 0, "commits"))));
		json_object_set_new(o, "shallow", json_boolean(!strcmp(table_str(walk, 0, "shallow"), "1")));
	}
	for (size_t k = h->nrows; k-- > 0;)
		json_array_append_new(rows, table_json_row(h, k));
	json_object_set_new(o, "history", rows);
	return o;
}

struct recorded {
	const struct table *h;
	size_t row;
};

/* history_locate()'s question: is hex a recorded revision? (its row) */
static int is_recorded(void *ctx, const char *hex)
{
	struct recorded *r = ctx;

	for (size_t k = 0; k < r->h->nrows; k++)
		if (!strcmp(table_str(r->h, k, "revision"), hex)) {
			r->row = k;
			return 1;
		}
	return 0;
}

/*
 * The row of h that gives the verdict at rev: for a git model, rev as the
 * repository resolves it, then the newest recorded commit at or below it
 * on the first-parent history walked (history_locate(); read-only
 * libgit2); for a cache model (or a repository no longer there) the one
 * recorded revision rev is a prefix of.  Says why not and returns -1.
 */
static int revision_row(const struct table *m, size_t i, const struct table *h,
			const struct table *walk, const char *rev, size_t *row,
			char *resolved)
{
	const char *layout = table_str(m, i, "layout");
	const char *path = table_str(m, i, "path");
	struct mc_error err;
	size_t hits = 0;

	if ((!strcmp(layout, "git") || !strcmp(layout, "bare")) && walk->nrows) {
		struct recorded r = { h, 0 };
		char *repo = NULL, *sub = NULL, at[48];
		int rc = history_repo_of(path, NULL, &repo, &sub, &err);

		if (rc == 0)
			rc = history_locate(repo, table_str(walk, 0, "head"), rev,
					    is_recorded, &r, resolved, at, &err);
		free(repo);
		free(sub);
		if (rc == 0) {
			*row = r.row;
			return 0;
		}
		if (rc == 1)
			return cmd_fail(-1, "revision '%s' (%.12s) is not on the first-parent history of '%s' walked by scan --history (up to %.12s): a commit of a merged branch, or newer (scan --history again)",
					rev, resolved, path, table_str(walk, 0, "head"));
		return cmd_fail(-1, "%s", err.msg);
	}
	*resolved = '\0';
	for (size_t k = 0; k < h->nrows; k++)
		if (str_has_prefix(table_str(h, k, "revision"), rev)) {
			*row = k;
			hits++;
		}
	if (!*rev || hits > 1)
		return cmd_fail(-1, "revision '%s' is ambiguous among the %zu recorded for '%s': give more of it",
				rev, hits, path);
	if (!hits)
		return cmd_fail(-1, "unknown revision '%s' of '%s' (explain --history lists those recorded)",
				rev, path);
	snprintf(resolved, 48, "%s", table_str(h, *row, "revision"));
	return 0;
}

static void print_revision(const struct table *m, size_t i, const struct table *h,
			   size_t row, const char *rev, const char *resolved)
{
	char *words = verdict_words(h, row);

	printf("%s at %s", table_str(m, i, "path"), rev);
	if (strcmp(rev, resolved))
		printf(" (%s)", resolved);
	printf(": %s\n", words);
	if (strcmp(resolved, table_str(h, row, "revision")))
		printf("  as recorded at %.12s (%.10s), the newest change at or before it\n",
		       table_str(h, row, "revision"), table_str(h, row, "committed_at"));
	else
		printf("  recorded at %s (%.10s)\n", table_str(h, row, "revision"),
		       table_str(h, row, "committed_at"));
	if (table_get(h, row, "conditions"))
		printf("  conditions: %s\n", table_str(h, row, "conditions"));
	if (table_get(h, row, "review"))
		printf("  review: %s\n", table_str(h, row, "review"));
	if (table_get(h, row, "error"))
		printf("  error: %s\n", table_str(h, row, "error"));
	free(words);
}

/* --history or --revision for row i of m; EXIT_USAGE when there is nothing to say */
static int explain_history(struct store *st, const struct table *m, size_t i,
			   const char *rev, json_t *all)
{
	struct table h = TABLE_INIT, walk = TABLE_INIT;
	const char *path = table_str(m, i, "path");
	struct mc_error err;
	char resolved[48];
	size_t row = 0;
	int rc = EXIT_DONE;

	if (store_history(st, path, HISTORY_ROWS, table_collect, &h, &err) < 0 ||
	    store_history(st, path, HISTORY_WALK, table_collect, &walk, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto done;
	}
	if (!h.nrows) {
		rc = cmd_fail(EXIT_USAGE, "no license history recorded for '%s': scan --history records it for git, bare and hf-cache models",
			      path);
		goto done;
	}
	if (!rev) {
		if (all)
			json_array_append_new(all, history_json(m, i, &h, &walk));
		else
			print_history(m, i, &h, &walk);
		goto done;
	}
	if (revision_row(m, i, &h, &walk, rev, &row, resolved) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (all) {
		json_t *o = table_json_row(&h, row);

		json_object_set_new(o, "path", json_text(path));
		json_object_set_new(o, "asked", json_text(rev));
		json_object_set_new(o, "resolved", json_text(resolved));
		json_array_append_new(all, o);
	} else {
		print_revision(m, i, &h, row, rev, resolved);
	}
done:
	table_clear(&h);
	table_clear(&walk);
	return rc;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "history", no_argument, NULL, 'H' },
		{ "revision", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "explain", explain_usage, "", longopts };
	static const char *const formats[] = { "text", "json", NULL };
	const char *db = "inventory.db", *rev = NULL;
	struct store *st = NULL;
	struct mc_error err;
	json_t *all = NULL;
	int opt, json = 0, rc = EXIT_DONE, printed = 0, history = 0;

	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'f':
			if (cmd_choice("explain", "--format", optarg, formats, &json))
				return EXIT_USAGE;
			break;
		case 'H': history = 1; break;
		case 'r': rev = optarg; break;
		default: return rc;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind >= argc)
		return cmd_usage_error("explain", "needs a MODEL (a path or a model id)");
	if (history && rev)
		return cmd_usage_error("explain", "--history and --revision go one at a time");
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
		for (size_t i = 0; (history || rev) && i < m.nrows && rc != EXIT_CANNOT_RUN; i++) {
			int hrc;

			if (!json && printed++)
				printf("\n");
			hrc = explain_history(st, &m, i, rev, all);
			if (hrc != EXIT_DONE)
				rc = hrc;
		}
		for (size_t i = 0; !history && !rev && i < m.nrows && rc != EXIT_CANNOT_RUN; i++) {
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
