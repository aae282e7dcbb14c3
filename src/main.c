/*
 * main.c: the command table, --help and --version, and the final check
 * that everything written to stdout reached it (a full disk is an error,
 * not silence).  Each command lives in src/cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "modelcensus/cmd.h"
#include "modelcensus/banned.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "find every model under each PATH and record it in the inventory" },
	{ "report", cmd_report, "print the inventory for people (table) or scripts (json, csv)" },
	{ "explain", cmd_explain, "every piece of evidence for MODEL's verdict, and why" },
	{ "check", cmd_check, "policy gate for CI: print each violation, exit 1 when any" },
	{ "merge", cmd_merge, "combine inventories scanned apart (shards, machines)" },
	{ "identify", cmd_identify, "which license(s) a text is, with rule, coverage and line ranges" },
	{ "rules", cmd_rules, "list the rule catalog, or run every rule's own examples" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: modelcensus <command> [options] [args]\n"
		"       modelcensus --version | --help\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n'modelcensus <command> --help' describes a command.\n"
		"exit status: 0 done, 1 check found violations, 2 usage error,\n"
		"3 could not run (database or rules unusable)\n");
}

int cmd_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("modelcensus: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cmd_text_or_json(const char *arg, int *json)
{
	if (!strcmp(arg, "json") || !strcmp(arg, "text")) {
		*json = !strcmp(arg, "json");
		return 0;
	}
	return cmd_fail(EXIT_USAGE, "--format takes text or json, not '%s'", arg);
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("modelcensus %s\n", MC_VERSION);
		return EXIT_DONE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		rc = commands[i].fn(argc - 1, argv + 1);
		if (fflush(stdout) || ferror(stdout))
			return cmd_fail(EXIT_CANNOT_RUN, "cannot write to standard output");
		return rc;
	}
	cmd_fail(EXIT_USAGE, "'%s' is not a command; see 'modelcensus --help'", argv[1]);
	return EXIT_USAGE;
}
