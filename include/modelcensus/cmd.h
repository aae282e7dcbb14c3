/*
 * cmd.h: what main.c shares with the command files: the exit codes of
 * interface.md and the entry point of each command (src/cmd_<name>.c).
 * Only command files print.
 */
#ifndef MODELCENSUS_CMD_H
#define MODELCENSUS_CMD_H

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

/* Prints "modelcensus: <message>" on stderr; returns code. */
int cmd_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --format text|json: sets *json and returns 0, or says what is wrong and
 * returns EXIT_USAGE. */
int cmd_text_or_json(const char *arg, int *json);

#endif
