/*
 * test_normalize.c: text normalisation (normalize.h), one case per
 * transformation of rules/README.md, the map back to original lines, and
 * bad input (invalid UTF-8, NUL bytes, UTF-16, random bytes).  The Llama 2
 * (hard-wrapped) and Llama 3.3 (markdown) texts from $MC_SHARED must
 * normalise so that plain phrases are found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "modelcensus/normalize.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static struct normalized norm = NORMALIZED_INIT;

static int teardown(void **state)
{
	(void)state;
	normalized_release(&norm);
	return 0;
}

static const char *nz(const char *s)
{
	normalize_text(&norm, s, strlen(s));
	return norm.text;
}

static void check(const char *in, const char *want)
{
	const char *got = nz(in);

	if (strcmp(got, want))
		print_error("input: '%s'\nwant:  '%s'\ngot:   '%s'\n", in, want, got);
	assert_string_equal(got, want);
	assert_int_equal(strlen(got), norm.len);
}

/* The original line of the first occurrence of needle in the output. */
static size_t line_of(const char *needle)
{
	const char *p = strstr(norm.text, needle);

	if (!p)
		print_error("'%s' not in '%s'\n", needle, norm.text);
	assert_non_null(p);
	return normalized_line(&norm, (size_t)(p - norm.text));
}

static void test_case_and_space(void **state)
{
	(void)state;
	check("Hello   World\t\tFOO", "hello world foo");
	check("  leading and trailing  \n\n", "leading and trailing");
	check("a\r\nb\r\n", "a b");
	check("non\xc2\xa0" "breaking", "non breaking");
	check("", "");
	assert_int_equal(norm.n_lines, 0);
	assert_int_equal(normalized_line(&norm, 0), 1);
}

static void test_hard_wraps(void **state)
{
	(void)state;
	check("permission is hereby\ngranted, free\n   of charge", "permission is hereby granted, free of charge");
	/* a word hyphenated at the line end is joined without a space */
	check("a non-\ntransferable license", "a non-transferable license");
	check("models-and-\nlibraries/llama", "models-and-libraries/llama");
	/* a dash after a space is no hyphenation, and a blank line ends it */
	check("foo -\nbar", "foo - bar");
	check("foo-\n\nbar", "foo- bar");
}

static void test_markdown(void **state)
{
	(void)state;
	check("**Bold** and *em* and __strong__ and _em_", "bold and em and strong and em");
	check("snake_case stays", "snake_case stays");
	check("1\\. **License Rights**\\_x \\[y\\]", "license rights_x [y]");
	check("# Title\n## Sub title\n#hashtag", "title sub title #hashtag");
	check("- one\n* two\n+ three\n\xe2\x80\xa2 four", "one two three four");
	check("1. first\n2) second\n10. tenth\n2024. year", "first second tenth 2024. year");
	check("> quoted\n> > twice", "quoted twice");
	check("text\n---\n***\n| --- | :-: |\n```\nmore", "text more");
	check("use `code` here", "use code here");
	check("[the text](https://example.com/x) and ![alt](img.png)", "the text and alt");
	check("see <https://example.com/terms>.", "see https://example.com/terms.");
}

static void test_html(void **state)
{
	(void)state;
	check("<b>bold</b> and <span class=\"x\">span</span>", "bold and span");
	check("one<br>two<br/>three<p>four</p>", "one two three four");
	check("a <!-- comment --> b", "a b");
	check("x < y and y > z", "x < y and y > z");
}

static void test_quotes_dashes(void **state)
{
	(void)state;
	check("\xe2\x80\x9c" "Agreement\xe2\x80\x9d means Meta\xe2\x80\x99s", "\"agreement\" means meta's");
	check("a\xe2\x80\x93" "b c\xe2\x80\x94" "d e\xe2\x80\x90" "f", "a-b c-d e-f");
	check("wait\xe2\x80\xa6", "wait...");
	check("zero\xe2\x80\x8bwidth", "zerowidth");
}

static void test_licence(void **state)
{
	(void)state;
	check("Licence, licences, licenced, LICENCING, licencor",
	      "license, licenses, licensed, licensing, licensor");
	check("licensee license", "licensee license");
}

static void test_copyright_lines(void **state)
{
	(void)state;
	check("MIT License\n\nCopyright (c) 2024 Someone\nCopyright 2019-2023 Other Ltd.\n"
	      "\xc2\xa9 2020 X\n(c) 2021 Y\nAll rights reserved.\nCopyright (c) <year> <copyright holders>\n"
	      "Permission is hereby granted",
	      "mit license permission is hereby granted");
	assert_int_equal(norm.n_lines, 9);
	assert_int_equal(norm.lines[2].kind, NL_COPYRIGHT);
	assert_int_equal(norm.lines[1].kind, NL_BLANK);
	assert_int_equal(norm.lines[8].kind, NL_TEXT);
	assert_int_equal(line_of("permission"), 9);
	/* clause labels and sentences that merely start with the word stay */
	check("(c) You must retain all notices", "(c) you must retain all notices");
	check("The above\ncopyright notice and this permission notice",
	      "the above copyright notice and this permission notice");
	check("Copyright and Related Rights", "copyright and related rights");
}

static void test_line_map(void **state)
{
	(void)state;
	nz("first line\n\nsecond\nthird line here\n\n\n**fifth**\n");
	assert_int_equal(norm.n_lines, 7);
	assert_int_equal(line_of("first"), 1);
	assert_int_equal(line_of("second"), 3);
	assert_int_equal(line_of("third"), 4);
	assert_int_equal(line_of("here"), 4);
	assert_int_equal(line_of("fifth"), 7);
	/* the joining space belongs to the line before it */
	assert_int_equal(normalized_line(&norm, (size_t)(strstr(norm.text, " second") - norm.text)), 1);
	/* every byte maps to a line, in order */
	for (size_t i = 1; i < norm.len; i++)
		assert_true(norm.line_of[i] >= norm.line_of[i - 1]);
	assert_int_equal(norm.lines[3].off, (size_t)(strstr(norm.text, "third") - norm.text));
	assert_int_equal(norm.lines[3].len, strlen("third line here"));
}

static void test_bad_bytes(void **state)
{
	static const char in[] = "a\xff" "b\0c\xc3(d\xed\xa0\x80" "e\xf0\x9f\x98\x80";
	const char *want = "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd(d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			   "e\xf0\x9f\x98\x80";

	(void)state;
	normalize_text(&norm, in, sizeof(in) - 1);
	assert_string_equal(norm.text, want);
}

/* The one UTF-8 decoder (util.h), which normalize_text() and utf8_repair()
 * share: lengths and code points of valid sequences, one invalid byte at a
 * time for everything else. */
static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		size_t n, len;
		uint32_t cp;
	} cases[] = {
		{ "a", 1, 1, 'a' },
		{ "\0", 1, 1, 0 },
		{ "\xc3\xa9", 2, 2, 0xE9 },
		{ "\xe2\x80\x99", 3, 3, 0x2019 },
		{ "\xef\xbf\xbd", 3, 3, 0xFFFD },		/* a real U+FFFD: 3 bytes */
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF },
		{ "\xc0\x80", 2, 1, UTF8_INVALID },		/* overlong NUL */
		{ "\xe0\x80\xaf", 3, 1, UTF8_INVALID },	/* overlong '/' */
		{ "\xed\xa0\x80", 3, 1, UTF8_INVALID },	/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, UTF8_INVALID },	/* above U+10FFFF */
		{ "\xe2\x80\x99", 2, 1, UTF8_INVALID },	/* cut by n */
		{ "\xe2\x41\x99", 3, 1, UTF8_INVALID },	/* not a continuation */
		{ "\x80", 1, 1, UTF8_INVALID },
		{ "\xff", 1, 1, UTF8_INVALID },
	};
	char *fixed;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint32_t cp = 12345;

		assert_int_equal(utf8_decode((const unsigned char *)cases[i].s, cases[i].n, &cp),
				 cases[i].len);
		assert_int_equal(cp, cases[i].cp);
	}
	fixed = utf8_repair("ok \xc3\xa9 \xed\xa0\x80 \xe2\x80");
	assert_string_equal(fixed, "ok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
	free(fixed);
}

static void test_utf16(void **state)
{
	static const char le[] = "\xff\xfeM\0I\0T\0\n\0L\0i\0c\0e\0n\0c\0e\0";
	static const char be[] = "\xfe\xff\0M\0I\0T";

	(void)state;
	normalize_text(&norm, le, sizeof(le) - 1);
	assert_string_equal(norm.text, "mit license");
	assert_int_equal(line_of("license"), 2);
	normalize_text(&norm, be, sizeof(be) - 1);
	assert_string_equal(norm.text, "mit");
}

/* The line map byte by byte: a space between words belongs to its line,
 * a joining space to the line before; case, markup and white space inside
 * a run of words. */
static void test_word_runs(void **state)
{
	static const uint32_t want[] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* "one two three " */
		3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,		/* "four 5 six " */
		4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5,		/* "seven-eight" */
	};

	(void)state;
	check("One two\tTHREE\n\n  four **5** six\nseven-\neight", "one two three four 5 six seven-eight");
	assert_int_equal(norm.len, sizeof(want) / sizeof(*want));
	assert_memory_equal(norm.line_of, want, sizeof(want));
	assert_int_equal(norm.lines[2].off, strlen("one two three "));
	assert_int_equal(norm.lines[2].len, strlen("four 5 six"));
	check("a b  c\xc2\xa0" "d e\xe2\x80\x83" "f", "a b c d e f");
	check("licencing  licence-free licence", "licensing license-free license");
}

/* Output longer than the input (every bad byte becomes three), into a
 * struct that held a short text before: the buffers grow to fit. */
static void test_output_room(void **state)
{
	size_t n = 10000;
	char *in = xmalloc(n);

	(void)state;
	check("short", "short");
	for (size_t i = 0; i < n; i++)
		in[i] = i % 100 == 99 ? '\n' : i % 3 ? '\xff' : '\0';
	normalize_text(&norm, in, n);
	assert_int_equal(norm.len, 3 * (n - n / 100) + n / 100 - 1);
	assert_int_equal(strlen(norm.text), norm.len);
	assert_memory_equal(norm.text, "\xef\xbf\xbd\xef\xbf\xbd", 6);
	assert_int_equal(norm.line_of[norm.len - 1], n / 100);
	assert_int_equal(norm.n_lines, n / 100);
	free(in);
}

/* Valid UTF-8 (without NUL) of n bytes, or returns 0. */
static int valid_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t len = u[i] < 0x80 ? 1 : (u[i] >> 5) == 6 ? 2 : (u[i] >> 4) == 14 ? 3
				: (u[i] >> 3) == 30 ? 4 : 0;

		if (!len || i + len > n || !u[i])
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((u[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void test_random_bytes(void **state)
{
	static const char alphabet[] = "aZ \n\t*_#>-<>[]()\\`\xe2\x80\x9c\xff\xc3\x00" "1.c";
	unsigned seed = 12345;
	char buf[512];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % 500) + 1, lines = 1;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			lines += buf[i] == '\n';
		}
		normalize_text(&norm, buf, n);
		assert_true(valid_utf8(norm.text, norm.len));
		assert_int_equal(strlen(norm.text), norm.len);
		assert_null(strstr(norm.text, "  "));
		if (norm.len) {
			assert_true(norm.text[0] != ' ');
			assert_true(norm.text[norm.len - 1] != ' ');
		}
		assert_true(norm.n_lines <= lines);
		for (size_t i = 0; i < norm.len; i++)
			assert_true(norm.line_of[i] >= 1 && norm.line_of[i] <= norm.n_lines);
	}
}

/* A file of tests/data, else of $MC_SHARED (else ../shared next to the
 * project); NULL and a skip when it is absent. */
static char *shared_file(const char *rel, size_t *len)
{
	const char *shared = getenv("MC_SHARED");
	char *path, *buf = NULL;
	struct mc_error err;
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
static size_t raw_line(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	size_t line = 1;

	assert_non_null(p);
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

static void test_llama_texts(void **state)
{
	static const char *const phrases[] = {
		"you are granted a non-exclusive, worldwide, non-transferable and royalty-free limited license under meta's intellectual property",
		"\"agreement\" means the terms and conditions for use, reproduction, distribution and modification of the llama materials set forth herein.",
		"by clicking \"i accept\" below or by using or distributing any portion or element of the llama materials, you agree to be bound by this agreement.",
		"license rights and redistribution.",
	};
	static const char *const files[] = { "licenses/ai/llama2.txt", "licenses/ai/llama3.3.txt" };
	size_t len;

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		char *text = shared_file(files[f], &len);

		if (!text) {
			skip();
			return;
		}
		normalize_text(&norm, text, len);
		for (size_t i = 0; i < sizeof(phrases) / sizeof(*phrases); i++) {
			if (!strstr(norm.text, phrases[i]))
				print_error("%s: '%s' not found\n", files[f], phrases[i]);
			assert_non_null(strstr(norm.text, phrases[i]));
		}
		assert_null(strstr(norm.text, "**"));
		assert_null(strstr(norm.text, "\\"));
		/* matches report original lines */
		assert_int_equal(line_of("by clicking"), raw_line(text, "By clicking"));
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_case_and_space, teardown),
		cmocka_unit_test_teardown(test_utf8_decode, teardown),
		cmocka_unit_test_teardown(test_hard_wraps, teardown),
		cmocka_unit_test_teardown(test_markdown, teardown),
		cmocka_unit_test_teardown(test_html, teardown),
		cmocka_unit_test_teardown(test_quotes_dashes, teardown),
		cmocka_unit_test_teardown(test_licence, teardown),
		cmocka_unit_test_teardown(test_copyright_lines, teardown),
		cmocka_unit_test_teardown(test_line_map, teardown),
		cmocka_unit_test_teardown(test_word_runs, teardown),
		cmocka_unit_test_teardown(test_output_room, teardown),
		cmocka_unit_test_teardown(test_bad_bytes, teardown),
		cmocka_unit_test_teardown(test_utf16, teardown),
		cmocka_unit_test_teardown(test_random_bytes, teardown),
		cmocka_unit_test_teardown(test_llama_texts, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
