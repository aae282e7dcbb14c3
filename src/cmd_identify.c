/*
 * cmd_identify.c: `modelcensus identify`: which license(s) each text is,
 * with rule, kind, coverage and original line ranges (match.h), as text or
 * JSON.  A FILE that is missing or unreadable is a usage error before any
 * work (exit 2, as for scan's PATHs); one that fails while being read (a
 * folder, an I/O error) is named on stderr, the others are still reported
 * and the command exits 3 at the end.
 */
#include <getopt.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "modelcensus/cmd.h"
#include "modelcensus/match.h"
#include "modelcensus/normalize.h"
#include "modelcensus/rules.h"
#include "modelcensus/banned.h"

/* Longest text read: what normalisation keeps (normalize.h). */
#define IDENTIFY_MAX NORMALIZE_MAX_INPUT

static const char identify_usage[] =
"usage: modelcensus identify [options] FILE...\n"
"\n"
"Says which license(s) each FILE holds ('-' reads standard input): for\n"
"each match the rule id, the kind (full: the license text; mention: a\n"
"reference to it; modified: the text plus added terms), the coverage (share\n"
"of the rule's phrases found) and the lines in FILE; for a modified text\n"
"also the added lines and whether they restrict commercial use.\n"
"\n"
"Text output, one line per match (scripts may rely on it):\n"
"  FILE: ID KIND [coverage C] lines A-B [added X-Y] [restricts-commercial]\n"
"  FILE: no license identified\n"
"JSON output: an array of {file, matches: [{id, name, spdx, kind, coverage,\n"
"lines: [A, B], added_lines, restricts_commercial}]} ({file, error} for a\n"
"file that cannot be read).\n"
"\n"
"  --rules DIR           load rules from DIR on top of the catalog; a rule\n"
"                        with an existing id replaces it (repeatable)\n"
"  --format text|json    output format (default: text)\n"
"  -h, --help            this help\n"
"\n"
"The catalog is $MODELCENSUS_RULES when set, else the installed rules,\n"
"else the source tree's rules/.\n"
"Exit status: 0 done (also when nothing is identified); 2 usage error;\n"
"3 the rules do not load, a rule failed on a text, or a FILE cannot be\n"
"read (the other files are still reported).\n";

static int read_stdin(char **out, size_t *len, int *truncated)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	*truncated = 0;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		if (sb.len + n > IDENTIFY_MAX) {
			strbuf_add(&sb, buf, IDENTIFY_MAX - sb.len);
			*truncated = 1;
			break;
		}
		strbuf_add(&sb, buf, n);
	}
	if (ferror(stdin)) {
		strbuf_release(&sb);
		return -1;
	}
	*len = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}

static void print_text(const char *file, const struct match_list *ml, size_t from)
{
	if (ml->n == from) {
		printf("%s: no license identified\n", file);
		return;
	}
	for (size_t i = from; i < ml->n; i++) {
		const struct match *m = &ml->v[i];

		printf("%s: %s %s", file, rule_id(m->rule), match_kind_name(m->kind));
		if (m->kind != MATCH_MENTION)
			printf(" coverage %.2f", m->coverage);
		printf(" lines %zu-%zu", m->line_start, m->line_end);
		if (m->kind == MATCH_MODIFIED && m->added_start)
			printf(" added %zu-%zu", m->added_start, m->added_end);
		if (m->restricts_commercial)
			printf(" restricts-commercial");
		putchar('\n');
	}
}

static json_t *lines_json(size_t a, size_t b)
{
	return json_pack("[II]", (json_int_t)a, (json_int_t)b);
}

static json_t *file_json(const char *file, const struct match_list *ml, size_t from)
{
	json_t *arr = json_array();

	for (size_t i = from; i < ml->n; i++) {
		const struct match *m = &ml->v[i];
		struct rule_info ri;
		json_t *o;

		rule_info(m->rule, &ri);
		o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:o}", "id", ri.id, "name", ri.name,
			      "spdx", ri.spdx, "kind", match_kind_name(m->kind), "coverage",
			      m->coverage, "lines", lines_json(m->line_start, m->line_end));
		if (m->kind == MATCH_MODIFIED) {
			json_object_set_new(o, "added_lines",
					    m->added_start ? lines_json(m->added_start, m->added_end)
							   : json_null());
			json_object_set_new(o, "restricts_commercial",
					    json_boolean(m->restricts_commercial));
		}
		json_array_append_new(arr, o);
	}
	return json_pack("{s:s, s:o}", "file", file, "matches", arr);
}

int cmd_identify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "identify", identify_usage, "", longopts };
	static const char *const formats[] = { "text", "json", NULL };
	struct strlist dirs = STRLIST_INIT;
	struct match_list ml = MATCH_LIST_INIT;
	struct rules *rules = NULL;
	struct matcher *mt = NULL;
	struct mc_error err;
	json_t *out = NULL;
	int json = 0, c, rc = EXIT_DONE;

	while ((c = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (c) {
		case 'r':
			strlist_add(&dirs, optarg);
			break;
		case 'f':
			if ((rc = cmd_choice("identify", "--format", optarg, formats, &json)))
				goto done;
			break;
		default:	/* CMD_OPT_STOP: help printed or usage error said */
			goto done;
		}
	}
	if (optind >= argc) {
		rc = cmd_usage_error("identify", "needs a FILE ('-' for standard input)");
		goto done;
	}
	/* every FILE is checked before any work, as scan checks its PATHs: a
	 * missing or unreadable one is a usage error (exit 2) */
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") && access(argv[i], R_OK) < 0) {
			rc = cmd_fail(EXIT_USAGE, "cannot read '%s': %s", argv[i], strerror(errno));
			goto done;
		}
	}
	if (rules_load(&rules, (const char *const *)dirs.v, dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto done;
	}
	if (matcher_new(&mt, rules, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto done;
	}
	if (json)
		out = json_array();
	for (int i = optind; i < argc; i++) {
		const char *file = argv[i];
		char *buf = NULL;
		size_t len = 0, from = ml.n;
		int truncated = 0;

		if (!strcmp(file, "-")) {
			if (read_stdin(&buf, &len, &truncated) < 0) {
				cmd_fail(EXIT_CANNOT_RUN, "cannot read standard input");
				rc = EXIT_CANNOT_RUN;
				continue;
			}
		} else if (read_file_capped(file, IDENTIFY_MAX, &buf, &len, &truncated, &err) < 0) {
			cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			if (json)
				json_array_append_new(out, json_pack("{s:s, s:s}", "file", file,
								     "error", err.msg));
			rc = EXIT_CANNOT_RUN;
			continue;
		}
		if (truncated)
			cmd_fail(0, "'%s': only the first %u bytes were read", file,
				 (unsigned)IDENTIFY_MAX);
		if (match_text(mt, buf, len, &ml, &err) < 0) {
			cmd_fail(EXIT_CANNOT_RUN, "'%s': %s", file, err.msg);
			rc = EXIT_CANNOT_RUN;
		}
		free(buf);
		if (json)
			json_array_append_new(out, file_json(file, &ml, from));
		else
			print_text(file, &ml, from);
	}
	if (json) {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));

		if (s)
			puts(s);
		free(s);
	}
done:
	json_decref(out);
	match_list_clear(&ml);
	matcher_free(mt);
	rules_free(rules);
	strlist_clear(&dirs);
	return rc;
}
