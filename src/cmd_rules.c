/*
 * cmd_rules.c: `modelcensus rules list|test`: the rule catalog as a table
 * or JSON, and the catalog's own tests (every rule's examples, the
 * restriction examples and the catalog lint of rules.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelcensus/cmd.h"
#include "modelcensus/match.h"
#include "modelcensus/rules.h"
#include "modelcensus/banned.h"

static const char rules_usage[] =
"usage: modelcensus rules list [--rules DIR]... [--format text|json] [--verbose]\n"
"       modelcensus rules test [--rules DIR]... [--verbose]\n"
"\n"
"list   the rules in force: id, name, commercial_use and conditions, one\n"
"       rule per line; --verbose adds each rule's file, SPDX id, family,\n"
"       policy_of and aliases, and the catalog's directories, digest and\n"
"       PCRE2 JIT use\n"
"test   runs every rule's examples (a positive must be identified as the\n"
"       rule with its kind, a negative must not be identified as the rule),\n"
"       the restriction examples and the catalog checks (aliases claimed by\n"
"       two rules, policy_of naming no rule); prints each failure with its\n"
"       file and line, then \"N passed, N failed\"\n"
"\n"
"  --rules DIR           load rules from DIR on top of the catalog; a rule\n"
"                        with an existing id replaces it (repeatable)\n"
"  --format text|json    list's output format (default: text)\n"
"  -v, --verbose         list: more columns; test: a line per passed example\n"
"  -h, --help            this help\n"
"\n"
"The catalog is $MODELCENSUS_RULES when set, else the installed rules,\n"
"else the source tree's rules/.  Rule format: rules/README.md.\n"
"Exit status: 0 done; 1 a test failed; 2 usage error; 3 the rules do not\n"
"load.\n";

static char *conditions_str(const struct rule_info *ri)
{
	char *s = strlist_join(ri->conditions, ",");

	return s ? s : xstrdup("-");
}

static int list_text(const struct rules *rules, int verbose)
{
	size_t n = rules_count(rules), w_id = 2, w_name = 4, w_cu = 14, i;

	for (i = 0; i < n; i++) {
		struct rule_info ri;

		rule_info(rules_at(rules, i), &ri);
		if (strlen(ri.id) > w_id)
			w_id = strlen(ri.id);
		if (strlen(ri.name) > w_name)
			w_name = strlen(ri.name);
	}
	printf("%-*s  %-*s  %-*s  %s\n", (int)w_id, "ID", (int)w_name, "NAME", (int)w_cu,
	       "COMMERCIAL_USE", "CONDITIONS");
	for (i = 0; i < n; i++) {
		struct rule_info ri;
		char *cond;

		rule_info(rules_at(rules, i), &ri);
		cond = conditions_str(&ri);
		printf("%-*s  %-*s  %-*s  %s\n", (int)w_id, ri.id, (int)w_name, ri.name, (int)w_cu,
		       commercial_name(ri.commercial), cond);
		free(cond);
		if (verbose) {
			const struct strlist *al = rule_aliases(rules_at(rules, i));
			char *aliases = strlist_join(al, ", ");

			printf("    file %s:%zu  spdx %s", ri.file, ri.line, ri.spdx);
			if (ri.family)
				printf("  family %s", ri.family);
			if (ri.policy_of)
				printf("  policy_of %s", ri.policy_of);
			if (aliases)
				printf("  aliases %s", aliases);
			putchar('\n');
			free(aliases);
		}
	}
	if (verbose) {
		const struct strlist *dirs = rules_dirs(rules);
		size_t pats, jitted, bytes;

		rules_jit_stats(rules, &pats, &jitted, &bytes);
		for (i = 0; i < dirs->n; i++)
			printf("directory %s\n", dirs->v[i]);
		printf("%zu rules, digest %s\n", n, rules_digest(rules));
		printf("%zu patterns, %zu JIT-compiled (%zu bytes of JIT code)%s\n", pats, jitted,
		       bytes, pats && !jitted ? ": JIT unavailable, using the interpreter" : "");
	}
	return EXIT_DONE;
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static int list_json(const struct rules *rules)
{
	json_t *arr = json_array(), *root;
	size_t pats, jitted, bytes;
	char *s;

	for (size_t i = 0; i < rules_count(rules); i++) {
		const struct rule *r = rules_at(rules, i);
		struct rule_info ri;

		rule_info(r, &ri);
		json_array_append_new(arr, json_pack(
			"{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I}",
			"id", ri.id, "name", ri.name, "spdx", ri.spdx,
			"commercial_use", commercial_name(ri.commercial),
			"conditions", strlist_json(ri.conditions),
			"family", ri.family ? json_string(ri.family) : json_null(),
			"policy_of", ri.policy_of ? json_string(ri.policy_of) : json_null(),
			"aliases", strlist_json(rule_aliases(r)),
			"file", ri.file, "line", (json_int_t)ri.line));
	}
	rules_jit_stats(rules, &pats, &jitted, &bytes);
	root = json_pack("{s:s, s:o, s:I, s:I, s:o}", "digest", rules_digest(rules), "dirs",
			 strlist_json(rules_dirs(rules)), "patterns", (json_int_t)pats,
			 "jit_compiled", (json_int_t)jitted, "rules", arr);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(root);
	return EXIT_DONE;
}

/* What identify says about a text, for failure messages. */
static char *describe(const struct match_list *ml)
{
	struct strbuf sb = STRBUF_INIT;

	if (!ml->n)
		return xstrdup("nothing");
	for (size_t i = 0; i < ml->n; i++) {
		const struct match *m = &ml->v[i];

		strbuf_addf(&sb, "%s%s %s (lines %zu-%zu, coverage %.2f", i ? ", " : "",
			    rule_id(m->rule), match_kind_name(m->kind), m->line_start, m->line_end,
			    m->coverage);
		if (m->kind == MATCH_MODIFIED)
			strbuf_addf(&sb, "; added lines %zu-%zu%s", m->added_start, m->added_end,
				    m->restricts_commercial
					    ? " hold a restriction phrase (own_restrictions: true if the license says it itself)"
					    : "");
		strbuf_addch(&sb, ')');
	}
	return strbuf_detach(&sb);
}

/* Is m in l (the same rule, kind and lines)? */
static int has_match(const struct match_list *l, const struct match *m)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].rule == m->rule && l->v[i].kind == m->kind &&
		    l->v[i].line_start == m->line_start && l->v[i].line_end == m->line_end)
			return 1;
	return 0;
}

/*
 * Does the literal prefilter change what text gives?  got is what mt (with
 * the prefilter) identified; slow runs every pattern.  When they differ,
 * prints a failure naming the example of rule r, explains each rule found
 * only without the prefilter (its prefilter literal, its patterns) and
 * returns 1.
 */
static int prefilter_differs(struct matcher *slow, const struct rule *r,
			     const struct rule_example *ex, const struct match_list *got)
{
	struct match_list all = MATCH_LIST_INIT;
	struct rule_info ri;
	struct mc_error err;
	char *with, *without;
	int differs;

	match_text(slow, ex->text, strlen(ex->text), &all, &err);
	with = describe(got);
	without = describe(&all);
	differs = strcmp(with, without) != 0;
	if (differs) {
		struct strbuf why = STRBUF_INIT;

		rule_info(r, &ri);
		printf("FAIL %s:%zu: rule '%s' %s example: the literal prefilter hides a match: identified %s with it, %s without it\n",
		       ri.file, ex->line, ri.id, ex->positive ? "positive" : "negative", with,
		       without);
		for (size_t i = 0; i < all.n; i++) {
			if (has_match(got, &all.v[i]))
				continue;
			strbuf_addf(&why, "#   rule '%s':\n", rule_id(all.v[i].rule));
			match_explain_rule(slow, all.v[i].rule, ex->text, strlen(ex->text), &why);
		}
		fputs(strbuf_str(&why), stdout);
		strbuf_release(&why);
	}
	free(with);
	free(without);
	match_list_clear(&all);
	return differs;
}

static int run_tests(const struct rules *rules, int verbose)
{
	struct strlist problems = STRLIST_INIT;
	struct match_list ml = MATCH_LIST_INIT;
	const struct rule_example *ex;
	struct matcher *mt = NULL, *slow = NULL;
	struct mc_error err;
	size_t passed = 0, failed = 0, n, i, j;

	if (matcher_new(&mt, rules, &err) < 0 || matcher_new(&slow, rules, &err) < 0) {
		matcher_free(mt);
		return cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	}
	matcher_set_prefilter(slow, 0);
	for (i = 0; i < rules_count(rules); i++) {
		const struct rule *r = rules_at(rules, i);
		struct rule_info ri;
		size_t npos = 0, nneg = 0;

		rule_info(r, &ri);
		n = rule_examples(r, &ex);
		for (j = 0; j < n; j++) {
			size_t idx = ex[j].positive ? ++npos : ++nneg, k;
			int ok = 0, failed_run;

			match_list_clear(&ml);
			failed_run = match_text(mt, ex[j].text, strlen(ex[j].text), &ml, &err) < 0;
			for (k = 0; k < ml.n; k++) {
				if (ml.v[k].rule != r)
					continue;
				if (!ex[j].positive || !strcmp(match_kind_name(ml.v[k].kind), ex[j].kind))
					ok = 1;
			}
			if (!ex[j].positive)
				ok = !ok;
			if (failed_run)
				ok = 0;
			if (!failed_run && prefilter_differs(slow, r, &ex[j], &ml)) {
				failed++;
				continue;
			}
			if (ok) {
				passed++;
				if (verbose)
					printf("ok %s:%zu: rule '%s' %s example %zu\n", ri.file,
					       ex[j].line, ri.id, ex[j].positive ? "positive" : "negative",
					       idx);
				continue;
			}
			failed++;
			if (failed_run) {
				printf("FAIL %s:%zu: rule '%s' %s example %zu: %s\n", ri.file, ex[j].line,
				       ri.id, ex[j].positive ? "positive" : "negative", idx, err.msg);
			} else {
				char *got = describe(&ml);

				if (ex[j].positive) {
					struct strbuf why = STRBUF_INIT;

					printf("FAIL %s:%zu: rule '%s' positive example %zu: expected %s %s, identified %s\n",
					       ri.file, ex[j].line, ri.id, idx, ri.id, ex[j].kind, got);
					match_explain_rule(mt, r, ex[j].text, strlen(ex[j].text), &why);
					fputs(strbuf_str(&why), stdout);
					strbuf_release(&why);
				}
				else
					printf("FAIL %s:%zu: rule '%s' negative example %zu: identified as '%s': %s\n",
					       ri.file, ex[j].line, ri.id, idx, ri.id, got);
				free(got);
			}
		}
	}

	n = rules_restriction_examples(rules, &ex);
	for (j = 0; j < n; j++) {
		size_t line, slow_line;
		int hit = match_restriction(mt, ex[j].text, strlen(ex[j].text), &line);
		int slow_hit = match_restriction(slow, ex[j].text, strlen(ex[j].text), &slow_line);

		if (hit != slow_hit || (hit && line != slow_line)) {
			failed++;
			printf("FAIL %s:%zu: restriction %s example: the literal prefilter hides a restriction phrase\n",
			       ex[j].file, ex[j].line, ex[j].positive ? "positive" : "negative");
			continue;
		}
		if (!!hit == ex[j].positive) {
			passed++;
			if (verbose)
				printf("ok %s:%zu: restriction %s example\n", ex[j].file, ex[j].line,
				       ex[j].positive ? "positive" : "negative");
			continue;
		}
		failed++;
		printf("FAIL %s:%zu: restriction %s example: %s\n", ex[j].file, ex[j].line,
		       ex[j].positive ? "positive" : "negative",
		       ex[j].positive ? "no restriction phrase found"
				      : "a restriction phrase was found");
	}

	rules_lint(rules, &problems);
	for (i = 0; i < problems.n; i++) {
		failed++;
		printf("FAIL %s\n", problems.v[i]);
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	strlist_clear(&problems);
	match_list_clear(&ml);
	matcher_free(mt);
	matcher_free(slow);
	return failed ? EXIT_VIOLATIONS : EXIT_DONE;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "rules", rules_usage, "v", longopts };
	static const char *const formats[] = { "text", "json", NULL };
	struct strlist dirs = STRLIST_INIT;
	struct rules *rules = NULL;
	struct mc_error err;
	const char *sub;
	int json = 0, verbose = 0, c, rc = EXIT_DONE;

	while ((c = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (c) {
		case 'r':
			strlist_add(&dirs, optarg);
			break;
		case 'f':
			if ((rc = cmd_choice("rules", "--format", optarg, formats, &json)))
				goto done;
			break;
		case 'v':
			verbose = 1;
			break;
		default:	/* CMD_OPT_STOP: help printed or usage error said */
			goto done;
		}
	}
	if (optind >= argc) {
		rc = cmd_usage_error("rules", "needs list or test");
		goto done;
	}
	sub = argv[optind];
	if (strcmp(sub, "list") && strcmp(sub, "test")) {
		rc = cmd_usage_error("rules", "'%s' is not list or test", sub);
		goto done;
	}
	if (optind + 1 < argc) {
		rc = cmd_usage_error("rules", "%s takes no arguments, not '%s'", sub, argv[optind + 1]);
		goto done;
	}
	if (json && !strcmp(sub, "test")) {
		rc = cmd_usage_error("rules", "--format is for rules list, not rules test");
		goto done;
	}
	if (rules_load(&rules, (const char *const *)dirs.v, dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto done;
	}
	if (!strcmp(sub, "test"))
		rc = run_tests(rules, verbose);
	else if (json)
		rc = list_json(rules);
	else
		rc = list_text(rules, verbose);
done:
	rules_free(rules);
	strlist_clear(&dirs);
	return rc;
}
