/*
 * main.c: the command table, the global help, --version and `help
 * COMMAND`, the one option style every command parses with (cmd.h:
 * cmd_getopt, cmd_choice and the usage error they print), and the final
 * check that everything written to stdout reached it (a full disk is an
 * error, not silence), and the JSON string and CSV field every command's
 * output is written with.  Each command lives in src/cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/cmd.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "scan", cmd_scan, "find every model under each PATH and record it in the inventory" },
	{ "report", cmd_report, "print the inventory for people (table, html) or scripts (json, csv)" },
	{ "explain", cmd_explain, "every piece of evidence for MODEL's verdict, and why" },
	{ "check", cmd_check, "policy gate for CI: print each violation, exit 1 when any" },
	{ "diff", cmd_diff, "what changed in the last scan, or since scan SCAN" },
	{ "export", cmd_export, "the inventory as a CycloneDX 1.6 or SPDX 2.3 bill of materials" },
	{ "merge", cmd_merge, "combine inventories scanned apart (shards, machines)" },
	{ "identify", cmd_identify, "which license(s) a text is, with rule, coverage and line ranges" },
	{ "rules", cmd_rules, "list the rule catalog, or run every rule's own examples" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: modelcensus <command> [options] [args]\n"
		"       modelcensus help [<command>]\n"
		"       modelcensus --version | --help\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n'modelcensus <command> --help' or 'modelcensus help <command>'\n"
		"describes a command; 'man modelcensus' all of them.\n"
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

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "modelcensus: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'modelcensus %s --help'\n", cmd);
	return EXIT_USAGE;
}

/* The long option whose val is val and whose argument is has_arg, if any. */
static const struct option *long_option(const struct option *o, int val, int has_arg)
{
	for (; o->name; o++)
		if (o->val == val && o->has_arg == has_arg)
			return o;
	return NULL;
}

/* What getopt_long's '?' was about (opterr is 0, so it said nothing). */
static int bad_option(int argc, char **argv, const struct cmd_options *o)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	size_t len = strcspn(arg, "=");
	const struct option *lo;
	int matches = 0;

	if (optopt && !strncmp(arg, "--", 2) && arg[len] == '=' &&
	    (lo = long_option(o->longopts, optopt, no_argument)))
		return cmd_usage_error(o->cmd, "option '--%s' takes no argument", lo->name);
	if (optopt)
		return cmd_usage_error(o->cmd, "unknown option '-%c'", optopt);
	if (strncmp(arg, "--", 2))	/* not where getopt leaves it: be vague */
		return cmd_usage_error(o->cmd, "unknown option");
	for (lo = o->longopts; lo->name; lo++)
		matches += !strncmp(lo->name, arg + 2, len - 2);
	if (matches > 1)
		return cmd_usage_error(o->cmd, "ambiguous option '%.*s'", (int)len, arg);
	return cmd_usage_error(o->cmd, "unknown option '%.*s'", (int)len, arg);
}

int cmd_getopt(int argc, char **argv, const struct cmd_options *o, int *rc)
{
	char shortopts[32];
	const struct option *lo;
	int c;

	/* ':' first: a missing argument is told apart from an unknown option */
	snprintf(shortopts, sizeof(shortopts), ":h%s", o->shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, o->longopts, NULL);
	switch (c) {
	case 'h':
		fputs(o->help, stdout);
		*rc = EXIT_DONE;
		return CMD_OPT_STOP;
	case ':':
		lo = long_option(o->longopts, optopt, required_argument);
		if (lo)
			*rc = cmd_usage_error(o->cmd, "option '--%s' needs an argument", lo->name);
		else
			*rc = cmd_usage_error(o->cmd, "option '-%c' needs an argument", optopt);
		return CMD_OPT_STOP;
	case '?':
		*rc = bad_option(argc, argv, o);
		return CMD_OPT_STOP;
	default:
		return c;
	}
}

int cmd_choice(const char *cmd, const char *option, const char *arg,
	       const char *const *names, int *index)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (; names[n]; n++) {
		if (!strcmp(arg, names[n])) {
			*index = (int)n;
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
	cmd_usage_error(cmd, "%s takes %s, not '%s'", option, sb.buf, arg);
	strbuf_release(&sb);
	return EXIT_USAGE;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int not_a_command(const char *name)
{
	if (name[0] == '-')
		return cmd_fail(EXIT_USAGE, "unknown option '%s'; see 'modelcensus --help'", name);
	return cmd_fail(EXIT_USAGE, "'%s' is not a command; see 'modelcensus --help'", name);
}

/* `modelcensus help [COMMAND]`: the command's own --help, or the global one. */
static int help(int argc, char **argv)
{
	const struct command *c;
	char *args[] = { NULL, (char *)"--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return EXIT_DONE;
	}
	if (argc > 2)
		return cmd_fail(EXIT_USAGE, "help takes one command, not '%s'; see 'modelcensus --help'",
				argv[2]);
	if (!(c = find_command(argv[1])))
		return not_a_command(argv[1]);
	args[0] = argv[1];
	optind = 0;
	return c->fn(2, args);
}

int main(int argc, char **argv)
{
	const struct command *c;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("modelcensus %s\n", MC_VERSION);
		return EXIT_DONE;
	}
	if (!strcmp(argv[1], "help"))
		rc = help(argc - 1, argv + 1);
	else if ((c = find_command(argv[1]))) {
		optind = 0;	/* getopt starts afresh (glibc: all its state) */
		rc = c->fn(argc - 1, argv + 1);
	} else
		return not_a_command(argv[1]);
	if (fflush(stdout) || ferror(stdout))
		return cmd_fail(EXIT_CANNOT_RUN, "cannot write to standard output");
	return rc;
}

void cmd_csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}
