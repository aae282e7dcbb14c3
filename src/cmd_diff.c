/*
 * cmd_diff.c: `modelcensus diff`: what changed in the last scan, or since
 * scan SCAN (each model's net change over every scan after it), from the
 * changes the scans recorded (store.h, the view `changes`): verdicts that
 * became more permissive, more restrictive or otherwise changed, new
 * models, gone ones; a table for people, JSON or CSV for scripts.  Reads
 * only; says plainly when a scan in the range recorded no changes (the
 * database's first scan, where everything is new).
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/cmd.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char diff_usage[] =
"usage: modelcensus diff [--db FILE] [--since SCAN] [--format table|json|csv]\n"
"\n"
"What changed in the last scan: each model whose verdict (license,\n"
"commercial_use, conditions or review) became more permissive, more\n"
"restrictive or otherwise changed, each new model and each gone one.\n"
"\n"
"  --db FILE      the inventory database (default: inventory.db)\n"
"  --since SCAN   each model's net change over every scan after scan SCAN\n"
"                 (a scan's id: diff's heading names it, the table scans\n"
"                 lists them all)\n"
"  --format F     table (default, for people), json (an object of groups)\n"
"                 or csv (a header line, a group column)\n"
"  -h, --help     this help\n"
"\n"
"From the most permissive commercial_use to the most restrictive: allowed,\n"
"conditional, unknown, not-allowed.  The database's first scan lists no\n"
"change: every model in it is new (report lists them).  Exit 0, changes or\n"
"not; 2: usage error or no scan SCAN; 3: the database cannot be read.\n";

enum diff_format { FMT_TABLE, FMT_JSON, FMT_CSV };

/* the groups, in the order store_changes() gives them */
static const struct {
	const char *name;	/* the group column's value */
	const char *key;	/* the JSON key */
	const char *title;	/* the table's heading */
} groups[] = {
	{ "more-permissive", "more_permissive", "more permissive" },
	{ "more-restrictive", "more_restrictive", "more restrictive" },
	{ "changed", "changed", "otherwise changed" },
	{ "new", "new", "new" },
	{ "gone", "gone", "gone" },
};
#define NGROUPS (sizeof(groups) / sizeof(*groups))

/* commercial_use first: what the groups go by */
static const char *const fields[] = { "commercial_use", "license", "conditions", "review" };
#define NFIELDS (sizeof(fields) / sizeof(*fields))

/* What is compared, from the scans table: the scans after `after` up to
 * `upto`, the ids of the finished ones, and what to say of those that
 * recorded no changes. */
struct range {
	long long after, upto;
	struct strlist scans;	/* ids of the finished scans counted */
	struct strlist notes;
	const char *started;	/* of upto */
};

static void range_clear(struct range *r)
{
	strlist_clear(&r->scans);
	strlist_clear(&r->notes);
}

static long long cell_id(const struct table *t, size_t i, const char *col)
{
	return strtoll(table_str(t, i, col), NULL, 10);
}

/*
 * Finds the range in the scans table: the last finished scan alone, or
 * every scan after since (when since > 0, which must be a scan).  0, or
 * EXIT_USAGE after saying that there is no scan since.
 */
static int find_range(const struct table *scans, long long since, const char *db,
		      struct range *r)
{
	int found = since <= 0;

	r->upto = 0;
	for (size_t i = 0; i < scans->nrows; i++) {
		long long id = cell_id(scans, i, "id");

		found |= id == since;
		if (!strcmp(table_str(scans, i, "complete"), "1") && id > r->upto) {
			r->upto = id;
			r->started = table_str(scans, i, "started");
		}
	}
	if (!found)
		return cmd_fail(EXIT_USAGE, "database '%s' has no scan %lld; its scans are numbered %s to %s",
				db, since, scans->nrows ? table_str(scans, 0, "id") : "0",
				scans->nrows ? table_str(scans, scans->nrows - 1, "id") : "0");
	r->after = since > 0 ? since : r->upto - 1;
	for (size_t i = 0; i < scans->nrows; i++) {
		long long id = cell_id(scans, i, "id");
		const char *changes = table_get(scans, i, "changes");

		if (id <= r->after || id > r->upto || strcmp(table_str(scans, i, "complete"), "1"))
			continue;
		strlist_add(&r->scans, table_str(scans, i, "id"));
		if (!changes)
			strlist_add_nodup(&r->notes, xstrfmt("scan %lld was made by an older modelcensus, which recorded no changes: its changes are not listed",
							     id));
		else if (!strcmp(changes, "0"))
			strlist_add_nodup(&r->notes, xstrfmt("scan %lld was the database's first scan: every model in it is new, and none is listed (modelcensus report lists them)",
							     id));
	}
	return 0;
}

static size_t group_of(const struct table *t, size_t i)
{
	const char *g = table_str(t, i, "group");

	for (size_t k = 0; k < NGROUPS; k++)
		if (!strcmp(g, groups[k].name))
			return k;
	return NGROUPS - 1;
}

/* "model_id (path)", or the path */
static void model_name(struct strbuf *sb, const struct table *t, size_t i)
{
	const char *id = table_get(t, i, "model_id");

	if (id)
		strbuf_addf(sb, "%s (%s)", id, table_str(t, i, "path"));
	else
		strbuf_adds(sb, table_str(t, i, "path"));
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

/* a model's line: what changed (old -> new), or a new model's verdict, or
 * a gone one's last */
static void change_line(struct strbuf *sb, const struct table *t, size_t i)
{
	const char *change = table_str(t, i, "change");
	const char *prefix = !strcmp(change, "new") ? "new_" : "old_";
	int first = 1;

	strbuf_adds(sb, "  ");
	model_name(sb, t, i);
	strbuf_adds(sb, ": ");
	if (!strcmp(change, "gone"))
		strbuf_adds(sb, "was ");
	for (size_t k = 0; k < NFIELDS; k++) {
		char old_col[32], new_col[32];
		const char *o, *n;

		snprintf(old_col, sizeof(old_col), "old_%s", fields[k]);
		snprintf(new_col, sizeof(new_col), "new_%s", fields[k]);
		o = table_get(t, i, old_col);
		n = table_get(t, i, new_col);
		if (strcmp(change, "changed")) {
			char col[32];
			const char *v;

			snprintf(col, sizeof(col), "%s%s", prefix, fields[k]);
			v = table_get(t, i, col);
			if (v || k < 2)
				strbuf_addf(sb, "%s%s %s", first ? "" : ", ", fields[k], or_dash(v));
			first = 0;
			continue;
		}
		if ((o && n && !strcmp(o, n)) || (!o && !n))
			continue;
		strbuf_addf(sb, "%s%s %s -> %s", first ? "" : "; ", fields[k], or_dash(o),
			    or_dash(n));
		first = 0;
	}
}

static void print_table(const struct table *t, const struct range *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t count[NGROUPS] = { 0 };
	int any = 0;

	for (size_t i = 0; i < t->nrows; i++)
		count[group_of(t, i)]++;
	if (r->after == r->upto - 1)
		strbuf_addf(&sb, "changes in scan %lld (%s)", r->upto, r->started);
	else if (r->scans.n)
		strbuf_addf(&sb, "changes since scan %lld (scans %s to %lld)", r->after,
			    r->scans.v[0], r->upto);
	else
		strbuf_addf(&sb, "no scan finished after scan %lld", r->after);
	for (size_t k = 0; k < NGROUPS; k++) {
		if (!count[k])
			continue;
		strbuf_addf(&sb, "%s%zu %s", any ? ", " : ": ", count[k], groups[k].title);
		any = 1;
	}
	if (!any && r->scans.n)
		strbuf_adds(&sb, ": none");
	printf("%s\n", strbuf_str(&sb));
	for (size_t k = 0, i = 0; k < NGROUPS; k++) {
		if (!count[k])
			continue;
		printf("\n%s (%zu):\n", groups[k].title, count[k]);
		for (; i < t->nrows && group_of(t, i) == k; i++) {
			strbuf_reset(&sb);
			change_line(&sb, t, i);
			printf("%s\n", strbuf_str(&sb));
		}
	}
	if (r->notes.n)
		putchar('\n');
	for (size_t n = 0; n < r->notes.n; n++)
		printf("note: %s\n", r->notes.v[n]);
	strbuf_release(&sb);
}

static int print_json(const struct table *t, const struct range *r, long long since)
{
	json_t *root = json_object(), *scans = json_array(), *notes = json_array();
	json_t *lists[NGROUPS];
	char *out;

	for (size_t s = 0; s < r->scans.n; s++)
		json_array_append_new(scans, json_integer(strtoll(r->scans.v[s], NULL, 10)));
	for (size_t n = 0; n < r->notes.n; n++)
		json_array_append_new(notes, json_string(r->notes.v[n]));
	json_object_set_new(root, "since", since > 0 ? json_integer(since) : json_null());
	json_object_set_new(root, "scans", scans);
	json_object_set_new(root, "notes", notes);
	for (size_t k = 0; k < NGROUPS; k++)
		lists[k] = json_array();
	for (size_t i = 0; i < t->nrows; i++) {
		json_t *o = json_object();

		for (int c = 0; c < t->ncols; c++) {
			const char *v = table_get(t, i, t->names[c]);

			if (!strcmp(t->names[c], "group"))
				continue;
			json_object_set_new(o, t->names[c], !strcmp(t->names[c], "scan_id") && v ?
					    json_integer(strtoll(v, NULL, 10)) : json_text(v));
		}
		json_array_append_new(lists[group_of(t, i)], o);
	}
	for (size_t k = 0; k < NGROUPS; k++)
		json_object_set_new(root, groups[k].key, lists[k]);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(root);
	if (!out)
		return cmd_fail(EXIT_CANNOT_RUN, "cannot format the changes as JSON");
	puts(out);
	free(out);
	return EXIT_DONE;
}

static void print_csv(const struct table *t, const struct range *r)
{
	static const char *const head[] = {
		"group", "scan_id", "path", "model_id", "change", "old_license", "new_license",
		"old_commercial_use", "new_commercial_use", "old_conditions", "new_conditions",
		"old_review", "new_review",
	};

	/* the header even when nothing changed (the query gave no names) */
	for (size_t c = 0; c < sizeof(head) / sizeof(*head); c++) {
		if (c)
			putchar(',');
		cmd_csv_field(head[c]);
	}
	fputs("\r\n", stdout);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < sizeof(head) / sizeof(*head); c++) {
			if (c)
				putchar(',');
			cmd_csv_field(table_str(t, i, head[c]));
		}
		fputs("\r\n", stdout);
	}
	/* notes are for people: on stderr, out of the data */
	for (size_t n = 0; n < r->notes.n; n++)
		fprintf(stderr, "modelcensus: note: %s\n", r->notes.v[n]);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "diff", diff_usage, "", longopts };
	static const char *const formats[] = { "table", "json", "csv", NULL };
	const char *db = "inventory.db";
	struct table scans = TABLE_INIT, t = TABLE_INIT;
	struct range r;
	struct store *st = NULL;
	struct mc_error err;
	long long since = 0;
	int opt, fmt = FMT_TABLE, rc = EXIT_DONE;

	memset(&r, 0, sizeof(r));
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 's': {
			char *end;

			errno = 0;
			since = strtoll(optarg, &end, 10);
			if (end == optarg || *end || errno || since <= 0)
				return cmd_usage_error("diff", "--since takes a scan's id (a number from 1), not '%s'",
						       optarg);
			break;
		}
		case 'f':
			if (cmd_choice("diff", "--format", optarg, formats, &fmt))
				return EXIT_USAGE;
			break;
		default: return rc;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind < argc)
		return cmd_usage_error("diff", "takes no arguments, not '%s'", argv[optind]);
	if (store_open(&st, db, STORE_READER, &err) < 0)
		return cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	if (store_scans(st, table_collect, &scans, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if ((rc = find_range(&scans, since, db, &r)))
		goto out;
	if (!r.upto) {
		rc = cmd_fail(EXIT_DONE, "no scan of '%s' has finished yet: nothing to compare; run 'modelcensus scan' first",
			      db);
		goto out;
	}
	if (r.after < r.upto && store_changes(st, r.after, r.upto, table_collect, &t, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	switch (fmt) {
	case FMT_JSON: rc = print_json(&t, &r, since); break;
	case FMT_CSV: print_csv(&t, &r); break;
	default: print_table(&t, &r); break;
	}
out:
	range_clear(&r);
	table_clear(&scans);
	table_clear(&t);
	store_close(st, NULL);
	return rc;
}
