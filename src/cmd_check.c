/*
 * cmd_check.c: `modelcensus check`: the policy gate for CI.  Judges every
 * model of the inventory against the policy file and the --deny/--allow
 * lists, prints each violation with the model, the rule broken and the
 * evidence, and exits 1 when there is any.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/cmd.h"
#include "modelcensus/policy.h"
#include "modelcensus/store.h"
#include "modelcensus/table.h"
#include "modelcensus/banned.h"

static const char check_usage[] =
"usage: modelcensus check [--db FILE] [--policy FILE] [--deny LIST] [--allow LIST]\n"
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
"  -h, --help      this help\n"
"\n"
"A value is a commercial_use (allowed, conditional, not-allowed, unknown),\n"
"a review reason, a condition code, or else a license id; prefix it with\n"
"license:, commercial:, condition: or review: to say which.\n"
"Exit 0: no violation; 1: violations; 2: usage error or bad policy;\n"
"3: the database cannot be read.\n";

static void print_violation(const struct table *t, size_t i,
			    const struct strlist *broken)
{
	const char *id = table_get(t, i, "model_id");
	const char *v;

	printf("VIOLATION %s (%s)\n", id ? id : table_str(t, i, "path"),
	       table_str(t, i, "path"));
	for (size_t k = 0; k < broken->n; k++)
		printf("  rule:     %s\n", broken->v[k]);
	printf("  verdict:  license %s, commercial_use %s", table_str(t, i, "license"),
	       table_str(t, i, "commercial_use"));
	if ((v = table_get(t, i, "conditions")))
		printf(", conditions %s", v);
	if ((v = table_get(t, i, "review")))
		printf(", review %s", v);
	printf("\n  evidence: declared %s; detected %s",
	       table_get(t, i, "declared_license") ? table_str(t, i, "declared_license") : "nothing",
	       table_get(t, i, "detected_license") ? table_str(t, i, "detected_license") : "nothing");
	if ((v = table_get(t, i, "base_models")))
		printf("; base models %s", v);
	if ((v = table_get(t, i, "error")))
		printf("; read error: %s", v);
	printf("\n  explain:  modelcensus explain '%s'\n",
	       id ? id : table_str(t, i, "path"));
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "policy", required_argument, NULL, 'p' },
		{ "deny", required_argument, NULL, 'D' },
		{ "allow", required_argument, NULL, 'A' },
		{ "where", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "check", check_usage, "", longopts };
	const char *db = "inventory.db", *where = NULL;
	struct policy pol;
	struct table t = TABLE_INIT;
	struct store *st = NULL;
	struct mc_error err;
	size_t violations = 0, excepted = 0;
	int opt, rc = EXIT_DONE;

	policy_init(&pol);
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'w': where = optarg; break;
		case 'p':
			if (policy_load(&pol, optarg, &err) < 0) {
				rc = cmd_fail(EXIT_USAGE, "%s", err.msg);
				goto out;
			}
			break;
		case 'D':
		case 'A':
			if (policy_add_list(&pol, opt == 'D', optarg, &err) < 0) {
				rc = cmd_fail(EXIT_USAGE, "%s", err.msg);
				goto out;
			}
			break;
		default:	/* CMD_OPT_STOP: help printed or usage error said */
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error("check", "takes no arguments, not '%s'", argv[optind]);
		goto out;
	}
	if (policy_is_empty(&pol)) {
		rc = cmd_usage_error("check", "needs a rule: --policy FILE, --deny or --allow");
		goto out;
	}
	if (store_open(&st, db, STORE_READER, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if (store_inventory(st, where, table_collect, &t, &err) < 0) {
		rc = cmd_fail(where ? EXIT_USAGE : EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < t.nrows; i++) {
		struct strlist broken = STRLIST_INIT;
		const struct policy_exception *ex;

		policy_judge(&pol, table_get(&t, i, "license"),
			     table_get(&t, i, "commercial_use"),
			     table_get(&t, i, "conditions"), table_get(&t, i, "review"),
			     &broken);
		if (broken.n && (ex = policy_exception_for(&pol, table_get(&t, i, "model_id"),
							   table_get(&t, i, "path")))) {
			printf("EXCEPTED  %s: %s\n", ex->model, ex->note);
			excepted++;
		} else if (broken.n) {
			print_violation(&t, i, &broken);
			violations++;
		}
		strlist_clear(&broken);
	}
	printf("%zu models checked: %zu violate the policy, %zu excepted\n", t.nrows,
	       violations, excepted);
	if (violations)
		rc = EXIT_VIOLATIONS;
out:
	table_clear(&t);
	store_close(st, NULL);
	policy_release(&pol);
	return rc;
}
