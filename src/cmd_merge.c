/*
 * cmd_merge.c: `modelcensus merge OUT.db IN.db...`: combines inventories
 * scanned apart (shards of one tree, or machines) into OUT.db, then runs
 * the lineage pass over the whole, so lineage resolves across shards.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modelcensus/cmd.h"
#include "modelcensus/lineage.h"
#include "modelcensus/rules.h"
#include "modelcensus/store.h"
#include "modelcensus/banned.h"

static const char merge_usage[] =
"usage: modelcensus merge [--rules DIR] OUT.db IN.db...\n"
"\n"
"Merges the inventories IN.db... into OUT.db (created when missing).  A\n"
"model path present in several keeps the row of the newest scan.  Lineage\n"
"is resolved again over the merged inventory.  Merging the shards of a\n"
"tree (scan --shard K/N) gives the inventory of one full scan.  The changes\n"
"the inputs' scans recorded come along; the merge records none.\n"
"\n"
"  --rules DIR   rules for lineage patterns, as for scan (repeatable)\n"
"  -h, --help    this help\n"
"\n"
"Exit 2: usage error; 3: a database cannot be read or written.\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "merge", merge_usage, "", longopts };
	struct strlist rule_dirs = STRLIST_INIT;
	struct rules *rules = NULL;
	struct store *st = NULL;
	struct mc_error err;
	int opt, rc = EXIT_DONE;

	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'r': strlist_add(&rule_dirs, optarg); break;
		default: goto out;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (argc - optind < 2) {
		rc = cmd_usage_error("merge", "needs OUT.db and at least one IN.db");
		goto out;
	}
	for (int i = optind + 1; i < argc; i++) {
		if (access(argv[i], R_OK) < 0) {
			rc = cmd_fail(EXIT_USAGE, "cannot read '%s'", argv[i]);
			goto out;
		}
	}
	if (rules_load(&rules, (const char *const *)rule_dirs.v, rule_dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	if (store_open(&st, argv[optind], STORE_WRITER, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	for (int i = optind + 1; i < argc; i++) {
		if (store_merge(st, argv[i], &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			goto out;
		}
	}
	{
		size_t by[CU_NOT_ALLOWED + 1] = { 0 };

		if (lineage_update(st, rules, &err) < 0 ||
		    store_count_commercial(st, 0, by, &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			goto out;
		}
		printf("merged %d inventories into %s: %zu models present "
		       "(allowed %zu, conditional %zu, not-allowed %zu, unknown %zu)\n",
		       argc - optind - 1, argv[optind],
		       by[CU_ALLOWED] + by[CU_CONDITIONAL] + by[CU_NOT_ALLOWED] + by[CU_UNKNOWN],
		       by[CU_ALLOWED], by[CU_CONDITIONAL], by[CU_NOT_ALLOWED], by[CU_UNKNOWN]);
	}
out:
	if (store_close(st, &err) < 0 && rc == EXIT_DONE)
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	rules_free(rules);
	strlist_clear(&rule_dirs);
	return rc;
}
