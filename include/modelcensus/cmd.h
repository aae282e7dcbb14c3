/*
 * cmd.h: what main.c shares with the command files: the exit codes of
 * docs/inventory.md, the entry point of each command (src/cmd_<name>.c) and the
 * one option style they all parse with (getopt_long through cmd_getopt, the
 * same messages for every usage error).  Only command files print.
 */
#ifndef MODELCENSUS_CMD_H
#define MODELCENSUS_CMD_H

#include <getopt.h>
#include <jansson.h>

enum {
	EXIT_DONE = 0,		/* done; a scan that met broken models too */
	EXIT_VIOLATIONS = 1,	/* check found violations */
	EXIT_USAGE = 2,		/* usage error */
	EXIT_CANNOT_RUN = 3,	/* database or rules unusable */
};

int cmd_scan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Prints "modelcensus: <message>" on stderr; returns code. */
int cmd_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Prints the one line every usage error of a command gets on stderr,
 * "modelcensus: CMD: <message>; see 'modelcensus CMD --help'", and returns
 * EXIT_USAGE.
 */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A command's options, as every command declares them. */
struct cmd_options {
	const char *cmd;		/* the command's name: "scan" */
	const char *help;		/* its complete help, printed by --help */
	const char *shortopts;		/* short options besides -h ("" or e.g. "v") */
	const struct option *longopts;	/* getopt_long's table, ending in zeros */
};

/* What cmd_getopt returns when the command must return *rc at once. */
#define CMD_OPT_STOP (-2)

/*
 * The next option of argv (argv[0] is the command's name), as getopt_long
 * gives it: the option's val, or -1 after the last option (optind is then
 * the first operand; operands may come between options).  -h and --help
 * print the complete help on stdout; an unknown option, a missing or
 * unwanted argument prints one line (cmd_usage_error).  Both return
 * CMD_OPT_STOP with *rc set to the exit status (EXIT_DONE after the help,
 * EXIT_USAGE after an error).  main.c resets getopt before it runs a
 * command, so the first call starts at argv[1].
 */
int cmd_getopt(int argc, char **argv, const struct cmd_options *o, int *rc);

/*
 * An option's value that must be one of names (a NULL-terminated list),
 * e.g. --format: sets *index to its position in names and returns 0, or
 * says which values the option takes (cmd_usage_error) and returns
 * EXIT_USAGE.
 */
int cmd_choice(const char *cmd, const char *option, const char *arg,
	       const char *const *names, int *index);


/* Prints s on stdout as one CSV field (RFC 4180: quoted when it holds a
 * comma, a quote or a line end), for every command's CSV output. */
void cmd_csv_field(const char *s);

#endif
