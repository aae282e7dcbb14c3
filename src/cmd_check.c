/*
 * cmd_check.c: `modelcensus check`: the policy gate for CI.  Judges every
 * model of the inventory against the policy file and the --deny/--allow
 * lists (their values checked against the rules in force: policy.h), and
 * prints each violation with the model, the rule broken and the evidence,
 * as text, JSON, SARIF 2.1.0 (GitHub code scanning) or JUnit XML (GitLab,
 * Jenkins).  Exits 1 when there is any violation, in every format.
 * --changed judges only what the last scan found new or changed (store.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "modelcensus/cmd.h"
#include "modelcensus/policy.h"
#include "modelcensus/rules.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char check_usage[] =
"usage: modelcensus check [--db FILE] [--policy FILE] [--deny LIST] [--allow LIST]\n"
"                         [--where EXPR] [--changed] [--rules DIR] [--strict]\n"
"                         [--format text|json|sarif|junit]\n"
"\n"
"Judges every model in the inventory against a policy and prints each\n"
"violation: the model, the rule broken, and the evidence.\n"
"\n"
"  --db FILE       the inventory database (default: inventory.db)\n"
"  --policy FILE   a YAML policy (deny, allow, exceptions; see the README)\n"
"  --deny LIST     comma-separated values no model may show, e.g.\n"
"                  not-allowed,unknown or agpl-3.0,conflict (repeatable)\n"
"  --allow LIST    comma-separated values models must stay within, per kind,\n"
"                  e.g. allowed,conditional or apache-2.0,mit (repeatable)\n"
"  --where EXPR    judge only the models this SQL expression selects\n"
"  --changed       judge only the models the last scan found new or whose\n"
"                  verdict it found changed (modelcensus diff lists them);\n"
"                  after the database's first scan, every model\n"
"  --rules DIR     rules added to the catalog, as given to scan (repeatable):\n"
"                  their license ids and condition codes become known values\n"
"  --format F      text (default), json, sarif (SARIF 2.1.0) or junit (JUnit XML)\n"
"  --strict        an exception that names no model of the inventory is an\n"
"                  error (exit 2), not a warning\n"
"  -h, --help      this help\n"
"\n"
"A value is a commercial_use (allowed, conditional, not-allowed, unknown),\n"
"a review reason, a condition code of the rules, or a license id or alias\n"
"of the rules (or other, unknown); prefix it with license:, commercial:,\n"
"condition: or review: to say which.  An unknown or ambiguous value is an\n"
"error.  Exit 0: no violation; 1: violations; 2: usage error or bad policy;\n"
"3: the database or the rules cannot be read.\n";

enum check_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_JUNIT };

/* One model judged: the rules it breaks (messages and rule ids, in step)
 * and the exception that covers it, if any. */
struct verdict_row {
	size_t row;
	struct strlist broken, rule_ids;
	const struct policy_exception *ex;
};

struct check_result {
	const struct table *t;
	struct verdict_row *v;		/* violating or excepted models only */
	size_t n, alloc;
	size_t violations, excepted;
};

/* The model's name: its id, else its path. */
static const char *model_name(const struct table *t, size_t i)
{
	const char *id = table_get(t, i, "model_id");

	return id ? id : table_str(t, i, "path");
}

/* "license X, commercial_use Y[, conditions C][, review R]" */
static void verdict_text(struct strbuf *sb, const struct table *t, size_t i)
{
	const char *v;

	strbuf_addf(sb, "license %s, commercial_use %s", table_str(t, i, "license"),
		    table_str(t, i, "commercial_use"));
	if ((v = table_get(t, i, "conditions")))
		strbuf_addf(sb, ", conditions %s", v);
	if ((v = table_get(t, i, "review")))
		strbuf_addf(sb, ", review %s", v);
}

/* "declared X; detected Y[; base models B][; read error: E]" */
static void evidence_text(struct strbuf *sb, const struct table *t, size_t i)
{
	const char *v;

	strbuf_addf(sb, "declared %s; detected %s",
		    table_get(t, i, "declared_license") ? table_str(t, i, "declared_license") : "nothing",
		    table_get(t, i, "detected_license") ? table_str(t, i, "detected_license") : "nothing");
	if ((v = table_get(t, i, "base_models")))
		strbuf_addf(sb, "; base models %s", v);
	if ((v = table_get(t, i, "error")))
		strbuf_addf(sb, "; read error: %s", v);
}

/* ---- text ---------------------------------------------------------------- */

static void print_text(const struct check_result *r)
{
	const struct table *t = r->t;
	struct strbuf sb = STRBUF_INIT;

	for (size_t k = 0; k < r->n; k++) {
		const struct verdict_row *v = &r->v[k];
		size_t i = v->row;
		const char *id = table_get(t, i, "model_id");

		if (v->ex) {
			printf("EXCEPTED  %s: %s\n", v->ex->model, v->ex->note);
			continue;
		}
		if (id)
			printf("VIOLATION %s (%s)\n", id, table_str(t, i, "path"));
		else
			printf("VIOLATION %s\n", table_str(t, i, "path"));
		for (size_t b = 0; b < v->broken.n; b++)
			printf("  rule:     %s\n", v->broken.v[b]);
		strbuf_reset(&sb);
		verdict_text(&sb, t, i);
		printf("  verdict:  %s\n", strbuf_str(&sb));
		strbuf_reset(&sb);
		evidence_text(&sb, t, i);
		printf("  evidence: %s\n", strbuf_str(&sb));
		printf("  explain:  modelcensus explain '%s'\n", model_name(t, i));
	}
	printf("%zu models checked: %zu violate the policy, %zu excepted\n", t->nrows,
	       r->violations, r->excepted);
	strbuf_release(&sb);
}

/* ---- JSON and SARIF (jansson) ------------------------------------------- */


static json_t *jstr_sb(struct strbuf *sb)
{
	json_t *j = json_text(strbuf_str(sb));

	strbuf_reset(sb);
	return j;
}

static int print_json_value(json_t *root)
{
	char *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);

	json_decref(root);
	if (!out)
		return cmd_fail(EXIT_CANNOT_RUN, "cannot format the results as JSON");
	puts(out);
	free(out);
	return 0;
}

static int print_json(const struct check_result *r)
{
	const struct table *t = r->t;
	json_t *models = json_array();
	static const char *const cols[] = {
		"license", "commercial_use", "conditions", "review", "declared_license",
		"detected_license", "base_models", "error",
	};

	for (size_t k = 0; k < r->n; k++) {
		const struct verdict_row *v = &r->v[k];
		json_t *o = json_object(), *broken = json_array();

		json_object_set_new(o, "model_id", json_text(table_get(t, v->row, "model_id")));
		json_object_set_new(o, "path", json_text(table_get(t, v->row, "path")));
		json_object_set_new(o, "status", json_string(v->ex ? "excepted" : "violation"));
		for (size_t b = 0; b < v->broken.n; b++)
			json_array_append_new(broken, json_pack("{s:s, s:o}", "rule",
								v->rule_ids.v[b], "message",
								json_text(v->broken.v[b])));
		json_object_set_new(o, "broken", broken);
		for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++)
			json_object_set_new(o, cols[c], json_text(table_get(t, v->row, cols[c])));
		if (v->ex)
			json_object_set_new(o, "exception",
					    json_pack("{s:o, s:o}", "model", json_text(v->ex->model),
						      "note", json_text(v->ex->note)));
		json_array_append_new(models, o);
	}
	return print_json_value(json_pack("{s:I, s:I, s:I, s:o}",
					  "checked", (json_int_t)t->nrows,
					  "violations", (json_int_t)r->violations,
					  "excepted", (json_int_t)r->excepted,
					  "models", models));
}

/* A URI reference for a path: bytes outside RFC 3986's unreserved set and
 * '/' are percent-encoded (an ordinary path stays as it is). */
static char *path_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			strbuf_addch(&sb, *p);
		else
			strbuf_addf(&sb, "%%%02X", *p);
	}
	return strbuf_detach(&sb);
}

static int print_sarif(const struct check_result *r, const struct policy *pol)
{
	const struct table *t = r->t;
	json_t *rules = json_array(), *results = json_array(), *driver, *run;
	struct strbuf sb = STRBUF_INIT;

	/* the rules in force: each deny or allow list that is not empty */
	for (int deny = 1; deny >= 0; deny--) {
		for (int f = 0; f < PF__COUNT; f++) {
			const struct strlist *l = deny ? &pol->deny[f] : &pol->allow[f];
			char *vals;

			if (!l->n)
				continue;
			vals = strlist_join(l, ", ");
			strbuf_addf(&sb, deny ? "Denied %s: %s"
					      : "Allowed %s (any other is a violation): %s",
				    policy_field_name(f), vals);
			free(vals);
			json_array_append_new(rules, json_pack("{s:s, s:{s:o}}",
							       "id", policy_rule_id(f, deny),
							       "shortDescription", "text",
							       jstr_sb(&sb)));
		}
	}
	for (size_t k = 0; k < r->n; k++) {
		const struct verdict_row *v = &r->v[k];
		char *uri;

		if (v->ex)
			continue;
		uri = path_uri(table_str(t, v->row, "path"));
		for (size_t b = 0; b < v->broken.n; b++) {
			strbuf_addf(&sb, "%s: %s. Verdict: ", model_name(t, v->row), v->broken.v[b]);
			verdict_text(&sb, t, v->row);
			strbuf_adds(&sb, ". Evidence: ");
			evidence_text(&sb, t, v->row);
			json_array_append_new(results, json_pack(
				"{s:s, s:s, s:{s:o}, s:[{s:{s:{s:s}}}]}",
				"ruleId", v->rule_ids.v[b], "level", "error",
				"message", "text", jstr_sb(&sb),
				"locations", "physicalLocation", "artifactLocation", "uri", uri));
		}
		free(uri);
	}
	strbuf_release(&sb);
	driver = json_pack("{s:s, s:s, s:o}", "name", "modelcensus",
			   "version", MC_VERSION, "rules", rules);
	run = json_pack("{s:{s:o}, s:o}", "tool", "driver", driver, "results", results);
	return print_json_value(json_pack("{s:s, s:s, s:[o]}",
					  "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
					  "version", "2.1.0", "runs", run));
}

/* ---- JUnit XML ------------------------------------------------------------ */

/* s as XML character data or (attr) an attribute value: valid UTF-8
 * (repaired), markup characters escaped, line ends kept in an attribute
 * as references, control characters XML 1.0 forbids dropped. */
static void xml_escape(struct strbuf *sb, const char *s, int attr)
{
	char *valid = utf8_repair(s ? s : "");

	for (const unsigned char *p = (const unsigned char *)valid; *p; p++) {
		switch (*p) {
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '\'': strbuf_adds(sb, "&apos;"); break;
		case '\n': strbuf_adds(sb, attr ? "&#10;" : "\n"); break;
		case '\t': strbuf_adds(sb, attr ? "&#9;" : "\t"); break;
		default:
			if (*p >= 0x20)
				strbuf_addch(sb, *p);
		}
	}
	free(valid);
}

static void print_junit(const struct check_result *r)
{
	const struct table *t = r->t;
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	size_t k = 0;

	strbuf_addf(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<testsuites name=\"modelcensus\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n"
		    "  <testsuite name=\"modelcensus check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		    t->nrows, r->violations, r->excepted, t->nrows, r->violations, r->excepted);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct verdict_row *v = k < r->n && r->v[k].row == i ? &r->v[k++] : NULL;
		const char *layout = table_get(t, i, "layout");

		strbuf_adds(&sb, "    <testcase name=\"");
		xml_escape(&sb, model_name(t, i), 1);
		strbuf_adds(&sb, "\" classname=\"");
		xml_escape(&sb, layout ? layout : "modelcensus", 1);
		strbuf_adds(&sb, "\"");
		if (!v) {
			strbuf_adds(&sb, "/>\n");
			continue;
		}
		strbuf_adds(&sb, ">\n");
		if (v->ex) {
			strbuf_adds(&sb, "      <skipped message=\"excepted: ");
			xml_escape(&sb, v->ex->note, 1);
			strbuf_adds(&sb, "\"/>\n");
		} else {
			char *rules = strlist_join(&v->broken, "; ");

			strbuf_adds(&sb, "      <failure type=\"policy violation\" message=\"");
			xml_escape(&sb, rules, 1);
			strbuf_adds(&sb, "\">");
			free(rules);
			strbuf_reset(&tmp);
			strbuf_addf(&tmp, "path: %s\n", table_str(t, i, "path"));
			for (size_t b = 0; b < v->broken.n; b++)
				strbuf_addf(&tmp, "rule: %s\n", v->broken.v[b]);
			strbuf_adds(&tmp, "verdict: ");
			verdict_text(&tmp, t, i);
			strbuf_adds(&tmp, "\nevidence: ");
			evidence_text(&tmp, t, i);
			strbuf_addf(&tmp, "\nexplain: modelcensus explain '%s'\n", model_name(t, i));
			xml_escape(&sb, strbuf_str(&tmp), 0);
			strbuf_adds(&sb, "</failure>\n");
		}
		strbuf_adds(&sb, "    </testcase>\n");
	}
	strbuf_adds(&sb, "  </testsuite>\n</testsuites>\n");
	fputs(strbuf_str(&sb), stdout);
	strbuf_release(&tmp);
	strbuf_release(&sb);
}

/* ---- the command ------------------------------------------------------------ */

/*
 * Reports the exceptions that name no model of the inventory (all is the
 * whole inventory): a warning each, or with strict an error each and
 * EXIT_USAGE.
 */
static int check_exceptions(const struct policy *pol, const struct table *all, int strict)
{
	int rc = EXIT_DONE;

	for (size_t e = 0; e < pol->nexceptions; e++) {
		const struct policy_exception *ex = &pol->exceptions[e];
		size_t i;

		for (i = 0; i < all->nrows; i++)
			if (policy_exception_matches(ex, table_get(all, i, "model_id"),
						     table_get(all, i, "path")))
				break;
		if (i < all->nrows)
			continue;
		if (strict)
			rc = cmd_fail(EXIT_USAGE, "%s: exception '%s' names no model of the inventory",
				      ex->where, ex->model);
		else
			fprintf(stderr, "modelcensus: warning: %s: exception '%s' names no model of the inventory\n",
				ex->where, ex->model);
	}
	return rc;
}

static void result_clear(struct check_result *r)
{
	for (size_t k = 0; k < r->n; k++) {
		strlist_clear(&r->v[k].broken);
		strlist_clear(&r->v[k].rule_ids);
	}
	free(r->v);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "policy", required_argument, NULL, 'p' },
		{ "deny", required_argument, NULL, 'D' },
		{ "allow", required_argument, NULL, 'A' },
		{ "where", required_argument, NULL, 'w' },
		{ "changed", no_argument, NULL, 'c' },
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "check", check_usage, "", longopts };
	static const char *const formats[] = { "text", "json", "sarif", "junit", NULL };
	const char *db = "inventory.db", *where = NULL;
	struct strlist dirs = STRLIST_INIT, given = STRLIST_INIT;
	struct rules *rules = NULL;
	struct policy pol;
	struct table t = TABLE_INIT, all = TABLE_INIT;
	struct check_result res;
	struct store *st = NULL;
	struct mc_error err;
	int opt, format = FMT_TEXT, strict = 0, changed = 0, rc = EXIT_DONE;

	memset(&res, 0, sizeof(res));
	policy_init(&pol, NULL);
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'w': where = optarg; break;
		case 'r': strlist_add(&dirs, optarg); break;
		case 's': strict = 1; break;
		case 'c': changed = 1; break;
		case 'f':
			if ((rc = cmd_choice("check", "--format", optarg, formats, &format)))
				goto out;
			break;
		case 'p':
		case 'D':
		case 'A':
			/* applied in order once the rules (the vocabulary) are loaded */
			strlist_add_nodup(&given, xstrfmt("%c%s", opt, optarg));
			break;
		default:	/* CMD_OPT_STOP: help printed or usage error said */
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error("check", "takes no arguments, not '%s'", argv[optind]);
		goto out;
	}
	if (!given.n) {
		rc = cmd_usage_error("check", "needs a rule: --policy FILE, --deny or --allow");
		goto out;
	}
	if (rules_load(&rules, (const char *const *)dirs.v, dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	policy_release(&pol);
	policy_init(&pol, rules);
	for (size_t g = 0; g < given.n; g++) {
		const char *arg = given.v[g] + 1;
		int r = given.v[g][0] == 'p' ? policy_load(&pol, arg, &err)
					     : policy_add_list(&pol, given.v[g][0] == 'D', arg, &err);

		if (r < 0) {
			rc = cmd_fail(EXIT_USAGE, "%s", err.msg);
			goto out;
		}
	}
	if (policy_is_empty(&pol)) {
		rc = cmd_usage_error("check", "needs a rule: --policy FILE, --deny or --allow");
		goto out;
	}
	if (store_open(&st, db, STORE_READER, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if ((changed ? store_inventory_changed : store_inventory)(st, where, table_collect,
								   &t, &err) < 0) {
		rc = cmd_fail(where ? EXIT_USAGE : EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if (pol.nexceptions && (where || changed) &&
	    store_inventory(st, NULL, table_collect, &all, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if ((rc = check_exceptions(&pol, where || changed ? &all : &t, strict)))
		goto out;
	res.t = &t;
	for (size_t i = 0; i < t.nrows; i++) {
		struct verdict_row v = { i, STRLIST_INIT, STRLIST_INIT, NULL };

		policy_judge(&pol, table_get(&t, i, "license"),
			     table_get(&t, i, "commercial_use"),
			     table_get(&t, i, "conditions"), table_get(&t, i, "review"),
			     &v.broken, &v.rule_ids);
		if (!v.broken.n)
			continue;
		v.ex = policy_exception_for(&pol, table_get(&t, i, "model_id"),
					    table_get(&t, i, "path"));
		if (v.ex)
			res.excepted++;
		else
			res.violations++;
		ALLOC_GROW(res.v, res.n + 1, res.alloc);
		res.v[res.n++] = v;
	}
	switch (format) {
	case FMT_JSON: rc = print_json(&res); break;
	case FMT_SARIF: rc = print_sarif(&res, &pol); break;
	case FMT_JUNIT: print_junit(&res); break;
	default: print_text(&res); break;
	}
	if (!rc && res.violations)
		rc = EXIT_VIOLATIONS;
out:
	result_clear(&res);
	table_clear(&t);
	table_clear(&all);
	store_close(st, NULL);
	policy_release(&pol);
	rules_free(rules);
	strlist_clear(&given);
	strlist_clear(&dirs);
	return rc;
}
