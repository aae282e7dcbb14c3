/*
 * test_match.c: identifying licenses in texts (match.h) with the fixture
 * rules (tests/fixtures/rules: MIT with an `end`, Apache-2.0 without) and
 * rules written per test: full texts, mentions, hard-wrapped and markdown
 * texts, several licenses in one file with their own line ranges, `none`,
 * modified texts (added restriction inside or after the license, added
 * paragraph, long preamble) against plain copies (long copyright header,
 * short trailing notice), own_restrictions, catastrophic backtracking, time
 * bounds and bad bytes.  Texts are short excerpts written for the tests,
 * but for the benign variations of the real Apache-2.0 text (a filled-in
 * notice without the appendix, a trailing notice, headers, re-wrapping, a
 * copy cut after section 4) against the same text with added terms, and
 * the proof that the literal prefilter hides no match, which runs every
 * rule example and every reference text of ../shared/licenses (when
 * present) with and without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <dirent.h>

#include "modelcensus/match.h"
#include "modelcensus/banned.h"

#define FIXTURES MC_RULES_SRC "/../tests/fixtures/rules"
#define FAST_SECONDS 5.0

/* MIT phrases, lines 1-12 (the fixture's `end` is line 12). */
#define MIT_TEXT \
	"MIT License\n" \
	"\n" \
	"Permission is hereby granted, free of charge, to any person obtaining a copy\n" \
	"of this software and associated documentation files (the \"Software\"), to deal\n" \
	"in the Software without restriction, subject to the following conditions:\n" \
	"\n" \
	"The above copyright notice and this permission notice shall be included in all\n" \
	"copies or substantial portions of the Software.\n" \
	"\n" \
	"THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND. IN NO EVENT\n" \
	"SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, ARISING FROM\n" \
	"THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"
#define MIT_LINES 12

/* Apache-2.0 phrases, 14 lines. */
#define APACHE_TEXT \
	"                                 Apache License\n" \
	"                           Version 2.0, January 2004\n" \
	"\n" \
	"   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n" \
	"\n" \
	"   3. Grant of Patent License. Subject to the terms and conditions of\n" \
	"      this License, each Contributor hereby grants to You a patent license.\n" \
	"\n" \
	"   4. Redistribution. You must give any other recipients of the Work or\n" \
	"      Derivative Works a copy of this License; and\n" \
	"\n" \
	"   5. Submission of Contributions. Unless You explicitly state otherwise.\n" \
	"\n" \
	"   END OF TERMS AND CONDITIONS\n"
#define APACHE_LINES 14

static struct rules *rules;
static struct matcher *mt;
static struct match_list ml = MATCH_LIST_INIT;
static struct mc_error err;
static char tmpdir[64];
static struct strlist tmpfiles = STRLIST_INIT;

/* Loads the fixtures plus, when extra is not NULL, a directory holding the
 * one rule file extra. */
static void load(const char *extra)
{
	const char *dirs[1] = { tmpdir };

	matcher_free(mt);
	rules_free(rules);
	mt = NULL;
	setenv("MODELCENSUS_RULES", FIXTURES, 1);
	if (extra) {
		char *path;
		FILE *f;

		if (!tmpdir[0]) {
			snprintf(tmpdir, sizeof(tmpdir), "/tmp/mc-test-match-XXXXXX");
			assert_non_null(mkdtemp(tmpdir));
		}
		path = xstrfmt("%s/extra.yaml", tmpdir);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(extra, f);
		assert_int_equal(fclose(f), 0);
		strlist_add_unique(&tmpfiles, path);
		free(path);
	}
	if (rules_load(&rules, dirs, extra ? 1 : 0, &err) < 0)
		print_error("%s\n", err.msg);
	assert_non_null(rules);
	assert_int_equal(matcher_new(&mt, rules, &err), 0);
}

/* The shipped catalog (rules/), for the classifier's vocabularies. */
static void load_shipped(void)
{
	matcher_free(mt);
	rules_free(rules);
	mt = NULL;
	setenv("MODELCENSUS_RULES", MC_RULES_SRC, 1);
	if (rules_load(&rules, NULL, 0, &err) < 0)
		print_error("%s\n", err.msg);
	assert_non_null(rules);
	assert_int_equal(matcher_new(&mt, rules, &err), 0);
}

static int setup(void **state)
{
	(void)state;
	load(NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	match_list_clear(&ml);
	matcher_free(mt);
	rules_free(rules);
	mt = NULL;
	rules = NULL;
	for (size_t i = 0; i < tmpfiles.n; i++)
		unlink(tmpfiles.v[i]);
	strlist_clear(&tmpfiles);
	if (tmpdir[0])
		rmdir(tmpdir);
	tmpdir[0] = '\0';
	return 0;
}

/* Runs the matcher; returns match_text's result. */
static int run(const char *text)
{
	match_list_clear(&ml);
	err.msg[0] = '\0';
	return match_text(mt, text, strlen(text), &ml, &err);
}

/* All matches as "id kind ls-le[ +as-ae][ R]" joined with "; ". */
static char *summary(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < ml.n; i++) {
		const struct match *m = &ml.v[i];

		strbuf_addf(&sb, "%s%s %s %zu-%zu", i ? "; " : "", rule_id(m->rule),
			    match_kind_name(m->kind), m->line_start, m->line_end);
		if (m->added_start)
			strbuf_addf(&sb, " +%zu-%zu", m->added_start, m->added_end);
		if (m->restricts_commercial)
			strbuf_adds(&sb, " R");
	}
	return strbuf_detach(&sb);
}

static void expect(const char *text, const char *want)
{
	char *got;

	assert_int_equal(run(text), 0);
	got = summary();
	if (strcmp(got, want))
		print_error("text:\n%s\nwant: '%s'\ngot:  '%s'\n", text, want, got);
	assert_string_equal(got, want);
	free(got);
}

static void test_full(void **state)
{
	(void)state;
	expect(MIT_TEXT, "mit full 1-12");
	assert_true(ml.v[0].coverage > 0.99);
	assert_int_equal(ml.v[0].added_start, 0);
	assert_false(ml.v[0].restricts_commercial);
	expect(APACHE_TEXT, "apache-2.0 full 1-14");
	assert_true(ml.v[0].coverage > 0.99);
	expect("", "");
	expect("nothing to see here\n", "");
}

static void test_mention(void **state)
{
	(void)state;
	expect("# My model\n\nSome words.\nThis model is released under the MIT License.\n",
	       "mit mention 4-4");
	/* one mention per rule, its first hit */
	expect("Licensed under the Apache License, Version 2.0.\n\nlicensed under\nthe Apache License,\nversion 2.0\n",
	       "apache-2.0 mention 1-1");
	/* several licenses mentioned in one NOTICE, each with its line */
	expect("NOTICE\nfoo: licensed under the MIT License\nbar: licensed under the Apache License, Version 2.0\n",
	       "mit mention 2-2; apache-2.0 mention 3-3");
	/* a hard-wrapped mention reports both lines */
	expect("Released under\nthe MIT license.\n", "mit mention 1-2");
}

/* Re-wraps MIT_TEXT at width columns (paragraphs kept). */
static char *rewrap(const char *text, size_t width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t col = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n' && p[1] == '\n') {
			strbuf_adds(&sb, "\n\n");
			col = 0;
			p++;
		} else if ((*p == ' ' || *p == '\n') && col >= width) {
			strbuf_addch(&sb, '\n');
			col = 0;
		} else {
			strbuf_addch(&sb, *p == '\n' ? ' ' : *p);
			col++;
		}
	}
	return strbuf_detach(&sb);
}

static void test_wrapped(void **state)
{
	char *text = rewrap(MIT_TEXT, 20);
	size_t lines = 0;

	(void)state;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(run(text), 0);
	assert_int_equal(ml.n, 1);
	assert_string_equal(rule_id(ml.v[0].rule), "mit");
	assert_int_equal(ml.v[0].kind, MATCH_FULL);
	assert_int_equal(ml.v[0].line_start, 1);
	assert_true(ml.v[0].line_end >= lines - 1);
	assert_true(lines > 25);
	free(text);
}

static void test_markdown(void **state)
{
	(void)state;
	expect("# MIT License\n"
	       "\n"
	       "**Permission** is hereby granted, *free of charge*, to any person obtaining a\n"
	       "copy of this software and associated documentation files, to deal in the\n"
	       "Software without restriction, subject to the following conditions:\n"
	       "\n"
	       "> The above copyright notice and this permission notice shall be included in\n"
	       "> all copies or substantial portions of the Software.\n"
	       "\n"
	       "- THE SOFTWARE IS PROVIDED \xe2\x80\x9c" "AS IS\xe2\x80\x9d, WITHOUT WARRANTY OF ANY\n"
	       "  KIND. <br> OTHER DEALINGS IN THE SOFTWARE.\n",
	       "mit full 1-11");
}

static void test_two_licenses(void **state)
{
	(void)state;
	expect(MIT_TEXT "\n" APACHE_TEXT, "mit full 1-12; apache-2.0 full 14-27");
	/* Apache has no `end`: it runs on to the line before MIT's title */
	expect(APACHE_TEXT "\n\n" MIT_TEXT, "apache-2.0 full 1-14; mit full 17-28");
	/* two copies of one license are two matches */
	expect(MIT_TEXT "\n" MIT_TEXT, "mit full 1-12; mit full 14-25");
}

static void test_mentions_inside_full_dropped(void **state)
{
	(void)state;
	/* the license text naming itself */
	expect(APACHE_TEXT "\nLicensed under the Apache License, Version 2.0 (the \"License\");\n",
	       "apache-2.0 full 1-16");
	/* a mention of another license inside the full text */
	expect("Permission is hereby granted, free of charge, to any person obtaining a copy\n"
	       "of this software (parts are licensed under the Apache License, Version 2.0).\n"
	       "The above copyright notice and this permission notice shall be included in all\n"
	       "copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED \"AS\n"
	       "IS\", WITHOUT WARRANTY OF ANY KIND. OTHER DEALINGS IN THE SOFTWARE.\n",
	       "mit full 1-5");
	/* ... but a mention after a license's `end` is its own finding */
	expect(MIT_TEXT "\nThe logo is licensed under the Apache License, Version 2.0.\n",
	       "mit full 1-12; apache-2.0 mention 14-14");
}

static void test_none_excludes(void **state)
{
	(void)state;
	expect("                                 Apache License\n"
	       "                           Version 2.0, January 2004\n"
	       "   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n"
	       "   This is NOT the Apache License, despite the words.\n"
	       "   3. Grant of Patent License. 5. Submission of Contributions.\n"
	       "   END OF TERMS AND CONDITIONS\n",
	       "");
	/* `none` far away from the phrases (another part of a NOTICE) does not */
	expect("This is not the Apache License: it is a notice.\n\n\n\n\n\n" APACHE_TEXT,
	       "apache-2.0 full 7-20");
}

static void test_modified_added_restriction(void **state)
{
	(void)state;
	/* after the license's end */
	expect(MIT_TEXT "\nThe Software may not be used for commercial purposes.\n",
	       "mit modified 1-12 +14-14 R");
	/* before it */
	expect("For non-commercial use.\n\n" MIT_TEXT, "mit modified 3-14 +1-1 R");
	/* inside the license's own sentence */
	expect("Permission is hereby granted, free of charge, to any person obtaining a copy\n"
	       "of this software, for research purposes only, to deal in the Software,\n"
	       "subject to the following conditions:\n"
	       "The above copyright notice and this permission notice shall be included in all\n"
	       "copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED \"AS\n"
	       "IS\", WITHOUT WARRANTY OF ANY KIND. OTHER DEALINGS IN THE SOFTWARE.\n",
	       "mit modified 1-6 +1-3 R");
	/* the OpenRAIL case: an Apache-like text (no `end`) plus a revenue clause */
	expect(APACHE_TEXT "\nYou may not use the Model on platforms that generate revenue.\n",
	       "apache-2.0 modified 1-16 +16-16 R");
}

static void test_modified_added_terms(void **state)
{
	(void)state;
	/* an added paragraph after the end, no restriction phrase */
	expect(MIT_TEXT "\nAdditionally, every product that includes the Software must show the\n"
	       "author's logo on its start screen and the author must be sent a copy of\n"
	       "every release before it is published.\n",
	       "mit modified 1-12 +14-16");
	assert_false(ml.v[0].restricts_commercial);
	/* a long preamble */
	expect("This repository holds the weights of a model trained by us on a private\n"
	       "corpus that we describe in detail in the paper that accompanies it. Users\n"
	       "agree to report every deployment to the authors, to keep a log of every\n"
	       "prompt sent to the model, and to delete the weights within a year of the\n"
	       "download unless the authors agree in writing that they may keep them.\n"
	       "Whoever breaks these terms must pay the authors a fee that the authors\n"
	       "set, and must publish an apology on the front page of their website.\n"
	       "\n" MIT_TEXT,
	       "mit modified 9-20 +1-7");
	/* an introduction of a few lines is not enough */
	expect("This repository holds the weights of a model trained by us on a private\n"
	       "corpus. If you use it in a paper, please cite us: see the README file.\n"
	       "\n" MIT_TEXT,
	       "mit full 4-15");
}

static void test_plain_copies_not_modified(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* a long copyright header and a short trailing notice */
	for (int i = 0; i < 30; i++)
		strbuf_addf(&sb, "Copyright (c) %d Contributor Number %d <c%d@example.com>\n",
			    1990 + i, i, i);
	strbuf_adds(&sb, "All rights reserved.\n\n" MIT_TEXT "\nSee AUTHORS for the contributors.\n");
	expect(sb.buf, "mit full 33-44");
	strbuf_release(&sb);
	/* blank lines, a short preamble, a header with the model name */
	expect("\n\n\nThe model is released under the following license:\n\n" MIT_TEXT "\n\n\n",
	       "mit full 6-17");
}

static void test_own_restrictions(void **state)
{
	static const char text[] =
		"THE NC THING LICENSE\n"
		"Non-commercial use is free of charge.\n"
		"Commercial use needs a separate agreement with us.\n";
	char *rule;

	(void)state;
	rule = xstrfmt("id: nc-thing\nname: NC Thing\nspdx: LicenseRef-nc-thing\n"
		       "commercial: conditional\nown_restrictions: true\n"
		       "match:\n  all: ['the nc thing license', 'separate agreement']\n"
		       "examples: {positive: [x]}\n");
	load(rule);
	expect(text, "nc-thing full 1-3");
	/* phrases outside the license still count */
	expect("Research purposes only.\n\n" "THE NC THING LICENSE\nA separate agreement.\n",
	       "nc-thing modified 3-4 +1-1 R");
	free(rule);
	/* without it, the license's own phrase reads as added */
	load("id: nc-thing\nname: NC Thing\nspdx: LicenseRef-nc-thing\n"
	     "commercial: conditional\nmatch:\n  all: ['the nc thing license', 'separate agreement']\n"
	     "examples: {positive: [x]}\n");
	/* (the title line has no full stop: the sentence starts there) */
	expect(text, "nc-thing modified 1-3 +1-2 R");
	/* a not-allowed license is never made "more restricted" */
	load("id: nc-thing\nname: NC Thing\nspdx: LicenseRef-nc-thing\n"
	     "commercial: not-allowed\nmatch:\n  all: ['the nc thing license', 'separate agreement']\n"
	     "examples: {positive: [x]}\n");
	expect(text, "nc-thing full 1-3");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The literal prefilter (clauses of alternatives, the rule gate, the
 * per-text cache) skips only what could not match. */
static void test_literal_prefilter(void **state)
{
	(void)state;
	load("id: alt\nname: Alt\nspdx: LicenseRef-alt\ncommercial: allowed\n"
	     "match:\n  all: ['(?:alpha one|beta two) here']\n"
	     "  any: {min: 1, patterns: ['gamma words', 'delta words']}\n"
	     "  mentions: ['(?:licensed|released) under the zeta license']\n"
	     "threshold: 0.6\nexamples: {positive: [beta two here gamma words]}\n");
	expect("Beta two here, gamma words.\n", "alt full 1-1");
	expect("Beta two here only.\n", "");
	expect("Alpha one there, gamma words.\n", "");
	/* a second copy after the first: the cached literals are found again */
	expect("Beta two here, gamma words.\n\nBeta two here, gamma words.\n",
	       "alt full 1-1; alt full 3-3");
	expect("It is licensed under the Zeta Licence.\n", "alt mention 1-1");
	expect("It is shared under the zeta license.\n", "");
}

static void test_catastrophic_rule(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	double t0;

	(void)state;
	load("id: boom\nname: Boom\nspdx: LicenseRef-boom\ncommercial: allowed\n"
	     "match:\n  all: ['(?:x+)+y']\nexamples: {positive: [xy]}\n");
	strbuf_adds(&sb, MIT_TEXT "\n");
	for (int i = 0; i < 64; i++)
		strbuf_addch(&sb, 'x');
	strbuf_adds(&sb, "c y\n");
	t0 = now();
	assert_int_equal(run(sb.buf), -1);
	assert_true(now() - t0 < FAST_SECONDS);
	assert_non_null(strstr(err.msg, "rule 'boom'"));
	assert_non_null(strstr(err.msg, "extra.yaml:6"));
	assert_non_null(strstr(err.msg, "'(?:x+)+y'"));
	assert_non_null(strstr(err.msg, "match limit"));
	/* what was found is kept */
	assert_int_equal(ml.n, 1);
	assert_string_equal(rule_id(ml.v[0].rule), "mit");
	strbuf_release(&sb);
}

static void test_bounded_time(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct rules *real = NULL;
	struct matcher *rm = NULL;
	unsigned seed = 7;
	double t0;

	(void)state;
	/* 4 MB of words, then a license */
	while (sb.len < 4u * 1024 * 1024) {
		seed = seed * 1103515245u + 12345u;
		strbuf_addf(&sb, "word%u the software any person %s", (seed >> 16) % 1000,
			    (seed >> 8) % 9 ? "" : "\n");
	}
	strbuf_adds(&sb, "\n\n" MIT_TEXT);
	t0 = now();
	assert_int_equal(run(sb.buf), 0);
	assert_true(now() - t0 < FAST_SECONDS);
	{
		char *got = summary();

		if (ml.n != 1)
			print_error("%s\n", got);
		free(got);
	}
	assert_int_equal(ml.n, 1);
	assert_string_equal(rule_id(ml.v[0].rule), "mit");
	/* 4 MB of other text before it: a preamble, so modified */
	assert_int_equal(ml.v[0].kind, MATCH_MODIFIED);

	/* the shipped catalog, when it loads, on a 1 MB text */
	setenv("MODELCENSUS_RULES", MC_RULES_SRC, 1);
	if (rules_load(&real, NULL, 0, &err) < 0) {
		printf("note: shipped rules do not load: %s\n", err.msg);
	} else {
		struct match_list rl = MATCH_LIST_INIT;

		assert_int_equal(matcher_new(&rm, real, &err), 0);
		sb.len = 1024 * 1024;
		sb.buf[sb.len] = '\0';
		t0 = now();
		if (match_text(rm, sb.buf, sb.len, &rl, &err) < 0)
			print_error("%s\n", err.msg);
		assert_true(now() - t0 < FAST_SECONDS);
		match_list_clear(&rl);
	}
	matcher_free(rm);
	rules_free(real);
	strbuf_release(&sb);
}

static void test_bad_bytes(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned seed = 99;
	char buf[2048];

	(void)state;
	strbuf_add(&sb, "\xff\xfe\x00garbage\x00\xc3\n", 13);
	strbuf_adds(&sb, MIT_TEXT);
	strbuf_add(&sb, "\x80\x00\n", 3);
	assert_int_equal(match_text(mt, sb.buf, sb.len, &ml, &err), 0);
	assert_int_equal(ml.n, 0);	/* \xff\xfe is a UTF-16 mark: nonsense text */
	match_list_clear(&ml);
	strbuf_reset(&sb);
	strbuf_add(&sb, "x\x00y\xc3\n", 5);
	strbuf_adds(&sb, MIT_TEXT);
	strbuf_add(&sb, "\x80\x00\n", 3);
	assert_int_equal(match_text(mt, sb.buf, sb.len, &ml, &err), 0);
	{
		char *got = summary();

		if (ml.n != 1)
			print_error("%s\n", got);
		free(got);
	}
	assert_int_equal(ml.n, 1);
	/* line 1 is text: "MIT License" is no title line then */
	assert_int_equal(ml.v[0].line_start, 4);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
		}
		match_list_clear(&ml);
		assert_int_equal(match_text(mt, buf, sizeof(buf), &ml, &err), 0);
	}
	strbuf_release(&sb);
}

static void test_restriction_in_card(void **state)
{
	size_t line = 0;
	static const char body[] = "# Model\n\nA model.\n\nThis model is for research\npurposes only.\n";

	(void)state;
	assert_int_equal(match_restriction(mt, body, strlen(body), &line), 1);
	assert_int_equal(line, 5);
	assert_int_equal(match_restriction(mt, MIT_TEXT, strlen(MIT_TEXT), &line), 0);
	assert_int_equal(match_restriction(mt, "", 0, &line), 0);
	assert_int_equal(match_restriction(mt, "commercial or non-commercial", 28, &line), 0);
}

/* The sentence classifier: each sentence alone, and what it says. */
static void test_restriction_sentences(void **state)
{
	static const struct {
		const char *text;
		int cls;	/* enum restrict_class */
	} table[] = {
		/* the real LICENSE.md of issue 16 */
		{ "Redistribution or commercial use of these files, in whole or in part, requires explicit written permission from Example Labs.", RESTRICT_NEEDS_PERMISSION },
		{ "The checkpoint files are proprietary and may not be redistributed.", RESTRICT_FORBIDS },
		{ "This model is for research purposes only.", RESTRICT_FORBIDS },
		{ "The weights are released solely for non-commercial use.", RESTRICT_FORBIDS },
		{ "Use of the model is limited to academic research.", RESTRICT_FORBIDS },
		{ "The checkpoints are provided exclusively for evaluation.", RESTRICT_FORBIDS },
		{ "You must not sell the outputs of this model.", RESTRICT_FORBIDS },
		{ "Commercial use is strictly prohibited.", RESTRICT_FORBIDS },
		{ "Commercial use is not permitted.", RESTRICT_FORBIDS },
		{ "This model cannot be used in for-profit settings.", RESTRICT_FORBIDS },
		{ "No commercial use.", RESTRICT_FORBIDS },
		{ "Please contact us for a commercial license.", RESTRICT_NEEDS_PERMISSION },
		{ "Commercial deployment is subject to a separate agreement.", RESTRICT_NEEDS_PERMISSION },
		{ "For commercial use, please reach out to sales@example.com.", RESTRICT_NEEDS_PERMISSION },
		{ "Commercial use requires a paid subscription.", RESTRICT_NEEDS_PERMISSION },
		{ "Please report any unauthorized commercial use.", RESTRICT_NEEDS_PERMISSION },
		{ "Commercial use is permitted, but redistribution of the weights is not allowed.", RESTRICT_FORBIDS },
		/* permissive, and standard license sentences */
		{ "Commercial use is permitted.", RESTRICT_NONE },
		{ "There is no restriction on commercial use.", RESTRICT_NONE },
		{ "There are no restrictions on commercial use.", RESTRICT_NONE },
		{ "You may use it for commercial purposes.", RESTRICT_NONE },
		{ "The model can be used commercially without restrictions.", RESTRICT_NONE },
		{ "You may use the model for any purpose, including but not limited to commercial applications.", RESTRICT_NONE },
		{ "This license does not restrict commercial use.", RESTRICT_NONE },
		{ "Free for commercial use.", RESTRICT_NONE },
		{ "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:", RESTRICT_NONE },
		{ "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.", RESTRICT_NONE },
		{ "IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.", RESTRICT_NONE },
		{ "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:", RESTRICT_NONE },
		{ "Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.", RESTRICT_NONE },
		{ "Trademarks. This License does not grant permission to use the trade names, trademarks, service marks, or product names of the Licensor, except as required for reasonable and customary use in describing the origin of the Work and reproducing the content of the NOTICE file.", RESTRICT_NONE },
		{ "While redistributing the Work or Derivative Works thereof, You may choose to offer, and charge a fee for, acceptance of support, warranty, indemnity, or other liability obligations and/or rights consistent with this License.", RESTRICT_NONE },
		{ "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in compliance with the License.", RESTRICT_NONE },
		{ "The model is intended for commercial and research use in English.", RESTRICT_NONE },
		{ "for any purpose, commercial or non-commercial, and by any means.", RESTRICT_NONE },
		{ "The model was trained on 8 GPUs and does not use any proprietary data.", RESTRICT_NONE },
		/* seen in real cards and SPDX texts: no restriction */
		{ "Pythia-70M-deduped has not been fine-tuned for downstream contexts in which language models are commonly deployed, such as writing genre prose, or commercial chatbots.", RESTRICT_NONE },
		{ "For commercial enquiries and scientific consulting, please contact me.", RESTRICT_NONE },
		{ "Except as contained in this notice, the name of Digital Equipment Corporation shall not be used in advertising or otherwise to promote the sale, use or other dealings in this Software without prior written authorization.", RESTRICT_NONE },
		{ "The application of the United Nations Convention on Contracts for the International Sale of Goods is expressly excluded.", RESTRICT_NONE },
		{ "In the event of termination, all end user license agreements (excluding licenses to distributors and resellers) that have been validly granted shall survive.", RESTRICT_NONE },
		{ "Commercial redistribution is permitted and encouraged, but you may not redistribute, in whole or in part, under terms more restrictive than those under which you received it.", RESTRICT_NONE },
		{ "You cannot claim the text of the code as your own and resell it.", RESTRICT_FORBIDS },
		{ "Each Contributor hereby grants to You a perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable license to make, have made, use, offer to sell, sell, import, and otherwise transfer the Work.", RESTRICT_NONE },
	};
	size_t line;

	(void)state;
	load_shipped();
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		int got = match_restriction(mt, table[i].text, strlen(table[i].text), &line);

		if (got != table[i].cls)
			print_error("sentence %zu: got %d, expected %d: %s\n", i, got,
				    table[i].cls, table[i].text);
		assert_int_equal(got, table[i].cls);
	}
}

/* A sentence inside an identified license text never restricts; the same
 * sentence after it, outside, does (issue 16's LICENSE.md). */
static void test_restriction_outside_license(void **state)
{
	static const char notice[] =
		"Licensed under the Apache License, Version 2.0 (the \"License\");\n"
		"you may not use this file except in compliance with the License.\n"
		"You may obtain a copy of the License at\n\n"
		"    http://www.apache.org/licenses/LICENSE-2.0\n\n"
		"## Model checkpoints\n\n"
		"The checkpoint files are proprietary to Example Labs. Redistribution or\n"
		"commercial use of these files requires explicit written permission.\n";
	size_t line = 0;

	(void)state;
	load_shipped();
	assert_int_equal(run(APACHE_TEXT), 0);
	assert_int_equal(match_restriction_last(mt, &line), RESTRICT_NONE);
	assert_int_equal(run(notice), 0);
	assert_int_equal(match_restriction_last(mt, &line), RESTRICT_NEEDS_PERMISSION);
	assert_int_equal(line, 9);
	/* in a text that identifies no license, only phrases count */
	assert_int_equal(run("Redistribution of the fonts requires written permission.\n"), 0);
	assert_int_equal(match_restriction_last(mt, &line), RESTRICT_NEEDS_PERMISSION);
	match_restriction_sentences(mt, 0);
	assert_int_equal(match_restriction_last(mt, &line), RESTRICT_NONE);
	assert_null(match_restriction_quotes(mt, 0));
	assert_int_equal(run("For research purposes only.\n"), 0);
	match_restriction_sentences(mt, 0);
	assert_int_equal(match_restriction_last(mt, &line), RESTRICT_FORBIDS);
	/* after a full text, the added paragraph marks it modified, restricted */
	load(NULL);
	expect(APACHE_TEXT "\nThe weights are proprietary. Redistribution or commercial use of the\n"
	       "weights requires explicit written permission from the authors.\n",
	       "apache-2.0 modified 1-17 +16-17 R");
}

/* A file of tests/data, else of $MC_SHARED (else ../shared next to the
 * project), or NULL. */
static char *shared_file(const char *rel, size_t *len)
{
	const char *shared = getenv("MC_SHARED");
	char *path, *buf = NULL;
	int truncated;

	path = xstrfmt("%s/../tests/data/%s", MC_RULES_SRC, rel);
	if (access(path, R_OK) < 0) {
		free(path);
		path = shared && *shared ? xstrfmt("%s/%s", shared, rel)
					 : xstrfmt("%s/../../shared/%s", MC_RULES_SRC, rel);
	}
	if (read_file_capped(path, 1 << 22, &buf, len, &truncated, &err) < 0) {
		printf("skip: %s\n", err.msg);
		buf = NULL;
	}
	free(path);
	return buf;
}

/* Line (1-based) of the first occurrence of needle in raw text. */
__attribute__((noinline)) static size_t raw_line(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	size_t line = 1, off;

	if (!p)
		fail_msg("'%s' not in the text", needle);
	off = (size_t)(p - text);
	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* The last line of text holding something other than white space. */
static size_t last_text_line(const char *text)
{
	size_t line = 1, last = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		else if (*p != ' ' && *p != '\t' && *p != '\r')
			last = line;
	}
	return last;
}

static void test_llama_texts(void **state)
{
	static const char *const files[] = {
		"licenses/ai/llama2.txt", "licenses/ai/llama3.3.txt",
	};

	(void)state;
	load("id: llama-any\nname: Llama (test)\nspdx: LicenseRef-llama-any\ncommercial: conditional\n"
	     "match:\n  all:\n"
	     "    - 'you are granted a non-exclusive, worldwide, non-transferable and royalty-free limited license'\n"
	     "    - '\"llama materials\" means, collectively, meta''s proprietary llama'\n"
	     "    - 'by clicking \"i accept\" below or by using or distributing any portion'\n"
	     "examples: {positive: [x]}\n");
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		char *text = shared_file(files[f], &len);

		if (!text) {
			skip();
			return;
		}
		match_list_clear(&ml);
		assert_int_equal(match_text(mt, text, len, &ml, &err), 0);
		if (ml.n != 1) {
			char *got = summary();

			print_error("%s: %s\n", files[f], got);
			free(got);
		}
		assert_int_equal(ml.n, 1);
		assert_int_equal(ml.v[0].kind, MATCH_FULL);
		/* from the first phrase to the end: the rule has no `end` */
		assert_int_equal(ml.v[0].line_start, raw_line(text, "means, collectively"));
		assert_int_equal(ml.v[0].line_end, last_text_line(text));
		free(text);
	}
}

/* ---- benign variations of a real Apache-2.0 copy (issue 16) ------------ */

/* text with the first (last when last) `from` replaced by `to`. */
static char *replaced(const char *text, const char *from, const char *to, int last)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = strstr(text, from), *q;

	assert_non_null(p);
	while (last && (q = strstr(p + 1, from)))
		p = q;
	strbuf_add(&sb, text, (size_t)(p - text));
	strbuf_adds(&sb, to);
	strbuf_adds(&sb, p + strlen(from));
	return strbuf_detach(&sb);
}

/* The text with the lines of each paragraph joined into one line. */
static char *rewrapped(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = text; *p; p++)
		strbuf_addch(&sb, *p == '\n' && p > text && p[-1] != '\n' && p[1] && p[1] != '\n'
					  ? ' ' : *p);
	return strbuf_detach(&sb);
}

/* Identifies text with the shipped catalog: one apache-2.0 match of kind
 * want, restricting commercial use or not. */
static void expect_apache(const char *what, const char *text, enum match_kind want, int restricts)
{
	assert_int_equal(run(text), 0);
	if (ml.n != 1 || ml.v[0].kind != want || !!ml.v[0].restricts_commercial != restricts) {
		char *got = summary();

		print_error("%s: got '%s'\n", what, got);
		free(got);
	}
	assert_int_equal(ml.n, 1);
	assert_string_equal(rule_id(ml.v[0].rule), "apache-2.0");
	assert_int_equal(ml.v[0].kind, want);
	assert_int_equal(!!ml.v[0].restricts_commercial, restricts);
}

static void test_apache_variants(void **state)
{
	static const char end[] = "END OF TERMS AND CONDITIONS";
	static const char terms[] =
		"Additional terms: you must cite the Example paper in any publication that\n"
		"uses these weights, and notify us by email within thirty days of any deployment.\n";
	static const char proprietary[] =
		"The checkpoint files are proprietary to Example Labs. Redistribution or\n"
		"commercial use of these files requires explicit written permission.\n";
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *text = shared_file("licenses/spdx/Apache-2.0.txt", &len), *v, *body, *notice;
	char *noappendix;

	(void)state;
	if (!text) {
		skip();
		return;
	}
	load_shipped();
	body = xstrndup(text, (size_t)(strstr(text, end) - text));
	notice = xstrdup(strstr(strstr(text, end), "Licensed under the Apache License"));

	/* stays a plain copy */
	expect_apache("plain", text, MATCH_FULL, 0);
	v = replaced(text, "[yyyy] [name of copyright owner]", "2024 Example AI Inc.", 0);
	expect_apache("template filled in", v, MATCH_FULL, 0);
	free(v);
	/* the filled-in notice after the end, without the appendix heading */
	strbuf_addf(&sb, "%s%s\n\n   Copyright 2026 Example AI\n\n%s", body, end, notice);
	noappendix = strbuf_detach(&sb);
	expect_apache("notice without appendix", noappendix, MATCH_FULL, 0);
	assert_int_equal(ml.v[0].line_end, last_text_line(noappendix));
	/* a short "Copyright ... Licensed under ..." notice after the appendix */
	strbuf_addf(&sb, "%s\nCopyright 2024 Example AI\n\nLicensed under the Apache License, "
		    "Version 2.0 (the \"License\"); you may not use this file except in\n"
		    "compliance with the License.\n", text);
	expect_apache("trailing notice", sb.buf, MATCH_FULL, 0);
	strbuf_reset(&sb);
	/* the notice before the text: the `end` is looked for after the phrases */
	strbuf_addf(&sb, "Copyright 2024 Example AI\n\n%s\n\n%s", notice, text);
	expect_apache("notice first", sb.buf, MATCH_FULL, 0);
	strbuf_reset(&sb);
	/* a title, a copyright and attribution header, markdown */
	strbuf_addf(&sb, "# License\n\nCopyright (c) 2024 Example AI Inc. All rights reserved.\n\n"
		    "This model is a fine-tune of Mistral-7B by Mistral AI.\n\n%s", text);
	expect_apache("title and header", sb.buf, MATCH_FULL, 0);
	strbuf_reset(&sb);
	v = rewrapped(text);
	expect_apache("one line per paragraph", v, MATCH_FULL, 0);
	free(v);
	/* a copy cut after section 4 (threshold 0.7 in apache-2.0.yaml) */
	strbuf_add(&sb, text, (size_t)(strstr(text, "5. Submission of Contributions") - text));
	strbuf_addf(&sb, "%s%s", end, strstr(text, end) + strlen(end));
	expect_apache("sections 1-4 only", sb.buf, MATCH_FULL, 0);
	strbuf_reset(&sb);

	/* added terms are still seen */
	strbuf_addf(&sb, "%s\n%s", noappendix, proprietary);
	expect_apache("proprietary paragraph after the notice", sb.buf, MATCH_MODIFIED, 1);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s\n%s", noappendix, terms);
	expect_apache("terms after the notice", sb.buf, MATCH_MODIFIED, 0);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s%s\n\n%s\nCopyright 2026 Example AI\n\n%s", body, end, terms, notice);
	expect_apache("terms between the end and the notice", sb.buf, MATCH_MODIFIED, 0);
	strbuf_reset(&sb);
	v = replaced(noappendix, "Unless required", "You must also send us a copy of every product built "
		     "on this model before you ship it to customers.\n\nUnless required", 1);
	expect_apache("terms inside the notice", v, MATCH_MODIFIED, 0);
	free(v);
	v = replaced(noappendix, "Unless required", "The weights may not be used for commercial "
		     "purposes.\n\nUnless required", 1);
	expect_apache("restriction inside the notice", v, MATCH_MODIFIED, 1);
	free(v);
	strbuf_addf(&sb, "%s\nCopyright 2024 Example AI\n\nLicensed under the Apache License, "
		    "Version 2.0, for non-commercial use only.\n", text);
	expect_apache("restricting trailing notice", sb.buf, MATCH_MODIFIED, 1);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s\nLicensed under the Apache License, Version 2.0. You must also send\n"
		    "us a copy of every product built on this model before you ship it.\n", text);
	expect_apache("terms after a trailing notice", sb.buf, MATCH_MODIFIED, 0);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s\nAdditional restriction: the model weights may not be used for "
		    "commercial purposes.\n", text);
	expect_apache("non-commercial clause", sb.buf, MATCH_MODIFIED, 1);
	strbuf_release(&sb);
	free(noappendix);
	free(notice);
	free(body);
	free(text);
}

/* ---- the prefilter hides nothing ------------------------------------- */

/* One match as text, for comparing two runs. */
static void describe_matches(const struct match_list *l, struct strbuf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct match *m = &l->v[i];

		strbuf_addf(out, "%s %s %zu-%zu cov %.4f added %zu-%zu%s; ", rule_id(m->rule),
			    match_kind_name(m->kind), m->line_start, m->line_end, m->coverage,
			    m->added_start, m->added_end, m->restricts_commercial ? " restricts" : "");
	}
}

/* Identifies text with fast (the prefilter) and slow (every pattern run);
 * returns 1 and prints name and both results when they differ. */
static int compare_prefilter(struct matcher *fast, struct matcher *slow, const char *name,
			     const char *text, size_t len)
{
	struct match_list a = MATCH_LIST_INIT, b = MATCH_LIST_INIT;
	struct strbuf sa = STRBUF_INIT, sb = STRBUF_INIT;
	size_t la = 0, lb = 0;
	int ra, rb, differs;
	char *qa, *qb;

	ra = match_text(fast, text, len, &a, &err);
	rb = match_text(slow, text, len, &b, &err);
	describe_matches(&a, &sa);
	describe_matches(&b, &sb);
	strbuf_addf(&sa, "rc %d restriction %d", ra, match_restriction_last(fast, &la));
	strbuf_addf(&sa, " line %zu", la);
	strbuf_addf(&sb, "rc %d restriction %d", rb, match_restriction_last(slow, &lb));
	strbuf_addf(&sb, " line %zu", lb);
	/* the sentences quoted: the classifier reads only some with it */
	qa = match_restriction_quotes(fast, 0);
	qb = match_restriction_quotes(slow, 0);
	strbuf_addf(&sa, " quotes %s", qa ? qa : "-");
	strbuf_addf(&sb, " quotes %s", qb ? qb : "-");
	free(qa);
	free(qb);
	differs = strcmp(strbuf_str(&sa), strbuf_str(&sb)) != 0;
	if (differs)
		print_error("%s: with the prefilter: %s\n%s: without it:      %s\n", name,
			    strbuf_str(&sa), name, strbuf_str(&sb));
	match_list_clear(&a);
	match_list_clear(&b);
	strbuf_release(&sa);
	strbuf_release(&sb);
	return differs;
}

/* Every file of dir whose name ends in suffix through
 * compare_prefilter(); counts texts and differences.  A missing dir counts
 * nothing. */
static void compare_dir(struct matcher *fast, struct matcher *slow, const char *dir,
			const char *suffix, size_t *texts, size_t *diffs)
{
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		printf("note: %s: not compared (absent)\n", dir);
		return;
	}
	while ((de = readdir(d)))
		if (str_has_suffix(de->d_name, suffix))
			strlist_add(&names, de->d_name);
	closedir(d);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xstrfmt("%s/%s", dir, names.v[i]), *buf = NULL;
		size_t len;
		int truncated;

		assert_int_equal(read_file_capped(path, 1 << 22, &buf, &len, &truncated, &err), 0);
		*diffs += (size_t)compare_prefilter(fast, slow, path, buf, len);
		(*texts)++;
		free(buf);
		free(path);
	}
	strlist_clear(&names);
}

/*
 * The literal prefilter (prefilter.h) only skips patterns that cannot
 * match: with the shipped catalog and the fixture rules, every rule
 * example, restriction example, reference license text of
 * ../shared/licenses and real card of ../shared/corpus/cards-dev (when
 * present) is identified alike with and without it, the restricting
 * sentences quoted included.  `modelcensus rules test` does the same for the examples of any
 * catalog in force.
 */
static void test_prefilter_hides_nothing(void **state)
{
	const char *catalogs[] = { MC_RULES_SRC, FIXTURES };
	const char *shared = getenv("MC_SHARED");
	size_t texts = 0, diffs = 0;

	(void)state;
	for (size_t c = 0; c < 2; c++) {
		struct rules *cat = NULL;
		struct matcher *fast = NULL, *slow = NULL;
		const struct rule_example *ex;
		size_t n;

		setenv("MODELCENSUS_RULES", catalogs[c], 1);
		assert_int_equal(rules_load(&cat, NULL, 0, &err), 0);
		assert_int_equal(matcher_new(&fast, cat, &err), 0);
		assert_int_equal(matcher_new(&slow, cat, &err), 0);
		matcher_set_prefilter(slow, 0);
		for (size_t i = 0; i < rules_count(cat); i++) {
			n = rule_examples(rules_at(cat, i), &ex);
			for (size_t j = 0; j < n; j++, texts++) {
				char *name = xstrfmt("%s:%zu", ex[j].file, ex[j].line);

				diffs += (size_t)compare_prefilter(fast, slow, name, ex[j].text,
								   strlen(ex[j].text));
				free(name);
			}
		}
		n = rules_restriction_examples(cat, &ex);
		for (size_t j = 0; j < n; j++, texts++) {
			char *name = xstrfmt("%s:%zu", ex[j].file, ex[j].line);

			diffs += (size_t)compare_prefilter(fast, slow, name, ex[j].text,
							   strlen(ex[j].text));
			free(name);
		}
		if (!c) {
			char *root = shared && *shared ? xstrdup(shared)
					: xstrfmt("%s/../../shared", MC_RULES_SRC);
			char *spdx = xstrfmt("%s/licenses/spdx", root);
			char *ai = xstrfmt("%s/licenses/ai", root);
			char *cards = xstrfmt("%s/corpus/cards-dev", root);

			compare_dir(fast, slow, spdx, ".txt", &texts, &diffs);
			compare_dir(fast, slow, ai, ".txt", &texts, &diffs);
			/* real card bodies: the sentence classifier's reading */
			compare_dir(fast, slow, cards, ".md", &texts, &diffs);
			free(spdx);
			free(ai);
			free(cards);
			free(root);
		}
		matcher_free(fast);
		matcher_free(slow);
		rules_free(cat);
	}
	printf("note: %zu texts compared with and without the prefilter\n", texts);
	assert_true(texts > 0);
	assert_int_equal(diffs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mention, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_licenses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mentions_inside_full_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none_excludes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_added_restriction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_added_terms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_copies_not_modified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_restrictions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_literal_prefilter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catastrophic_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restriction_in_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restriction_sentences, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restriction_outside_license, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llama_texts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apache_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefilter_hides_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
