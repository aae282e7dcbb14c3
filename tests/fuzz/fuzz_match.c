/*
 * fuzz_match.c: libFuzzer target for the text normaliser (normalize.h) and
 * the license matcher (match.h) over the real rule catalog: the input is a
 * LICENSE file (any bytes), normalised with normalize_text() into a struct
 * that is reused from one input to the next (as a matcher does), then
 * identified with match_text(), searched with match_restriction(), and (one
 * input in eight) explained against one rule picked by the input with
 * match_explain_rule().  One input in four is also identified by a second
 * matcher that runs every pattern (matcher_set_prefilter(m, 0)): the two
 * must agree, match for match, or the literal prefilter hid a match.
 * The catalog is the source tree's rules/ (MODELCENSUS_RULES is set to it
 * unless it is set already), loaded once.
 *
 * Besides what the sanitizers catch, it checks what the headers promise:
 * the normalised text is NUL-terminated, valid UTF-8, lower-case and
 * single-spaced, every byte maps to an original line that exists and the
 * map never goes back, each line's record agrees with the map; matches come
 * in line order, with line ranges inside the text and coverage in 0..1.
 * A PCRE2 limit hit (match_text() returning -1) is documented behaviour, not
 * a crash: the first few are logged to stderr; FUZZ_MATCH_LIMIT_FATAL=1 in
 * the environment makes them abort instead, to collect such inputs.
 */
#include "fuzz.h"

#include "modelcensus/match.h"
#include "modelcensus/normalize.h"
#include "modelcensus/rules.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static struct rules *fuzz_match_rules;
static struct matcher *fuzz_match_matcher;
static struct matcher *fuzz_match_slow;	/* without the prefilter */
static struct normalized fuzz_match_norm = NORMALIZED_INIT;
static unsigned long fuzz_match_limit_hits;

/* Loads the source catalog once; -1 (and a message) when it does not load. */
static int fuzz_match_init(void)
{
	struct mc_error err;

	if (fuzz_match_matcher)
		return 0;
	/* the source catalog, unless the environment names another one */
	if (setenv("MODELCENSUS_RULES", MC_RULES_SRC, 0)) {
		fprintf(stderr, "fuzz_match: setenv failed\n");
		return -1;
	}
	if (rules_load(&fuzz_match_rules, NULL, 0, &err) ||
	    matcher_new(&fuzz_match_matcher, fuzz_match_rules, &err) ||
	    matcher_new(&fuzz_match_slow, fuzz_match_rules, &err)) {
		fprintf(stderr, "fuzz_match: rules from '%s': %s\n",
			getenv("MODELCENSUS_RULES"), err.msg);
		return -1;
	}
	matcher_set_prefilter(fuzz_match_slow, 0);
	return 0;
}

/* The same matches in a and b, field by field. */
static int fuzz_match_same(const struct match_list *a, const struct match_list *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct match *x = &a->v[i], *y = &b->v[i];

		if (x->rule != y->rule || x->kind != y->kind || x->coverage != y->coverage ||
		    x->line_start != y->line_start || x->line_end != y->line_end ||
		    x->added_start != y->added_start || x->added_end != y->added_end ||
		    x->restricts_commercial != y->restricts_commercial)
			return 0;
	}
	return 1;
}

/* Original lines of in[0..len) as normalize_text() counts them (no empty
 * last line after a final newline), for input that is not UTF-16. */
static size_t fuzz_match_count_lines(const uint8_t *in, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '\n')
			n++;
	if (len && in[len - 1] != '\n')
		n++;
	return n;
}

static void fuzz_match_check_norm(const struct normalized *n, const uint8_t *data,
				  size_t size)
{
	size_t prev = 1;

	FUZZ_CHECK(n->text != NULL && n->line_of != NULL);
	FUZZ_CHECK(n->text[n->len] == '\0' && strlen(n->text) == n->len);
	FUZZ_CHECK(fuzz_valid_utf8(n->text, n->len));
	FUZZ_CHECK(!fuzz_has_upper(n->text));
	FUZZ_CHECK(!strchr(n->text, '\n') && !strchr(n->text, '\t') &&
		   !strchr(n->text, '\r'));
	FUZZ_CHECK(!strstr(n->text, "  "));
	if (n->len)
		FUZZ_CHECK(n->text[0] != ' ' && n->text[n->len - 1] != ' ');

	/* line_of: an existing line, never going back */
	for (size_t i = 0; i < n->len; i++) {
		FUZZ_CHECK(n->line_of[i] >= 1 && n->line_of[i] <= n->n_lines);
		FUZZ_CHECK(n->line_of[i] >= prev);
		prev = n->line_of[i];
	}
	/* lines[k] is line k + 1: its bytes map back to it */
	prev = 0;
	for (size_t k = 0; k < n->n_lines; k++) {
		const struct norm_line *l = &n->lines[k];

		FUZZ_CHECK(l->off <= n->len && l->len <= n->len - l->off);
		FUZZ_CHECK(l->off >= prev);
		prev = l->off + l->len;
		if (l->kind != NL_TEXT) {
			FUZZ_CHECK(l->len == 0);
			continue;
		}
		FUZZ_CHECK(l->len > 0);
		for (size_t i = l->off; i < l->off + l->len; i++)
			FUZZ_CHECK(n->line_of[i] == k + 1);
	}
	if (!(size >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
			    (data[0] == 0xfe && data[1] == 0xff))))
		FUZZ_CHECK(n->n_lines == fuzz_match_count_lines(data, size));

	/* normalized_line() clamps to the text */
	for (size_t off = 0; off < n->len + 3; off += n->len / 7 + 1) {
		size_t line = normalized_line(n, off);

		FUZZ_CHECK(line >= 1 && line <= (n->n_lines ? n->n_lines : 1));
	}
}

static int fuzz_match_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct match_list list = MATCH_LIST_INIT, slow = MATCH_LIST_INIT;
	struct strbuf explain = STRBUF_INIT;
	struct mc_error err;
	size_t n_lines, line = 0, prev = 1, pick = 0;
	const char *fatal = getenv("FUZZ_MATCH_LIMIT_FATAL");

	FUZZ_CHECK(fuzz_match_init() == 0);
	normalize_text(&fuzz_match_norm, text, size);
	fuzz_match_check_norm(&fuzz_match_norm, data, size);
	n_lines = fuzz_match_norm.n_lines;

	for (size_t i = 0; i < size; i++)
		pick = pick * 31 + data[i];
	err.msg[0] = '\0';
	if (match_text(fuzz_match_matcher, text, size, &list, &err)) {
		FUZZ_CHECK(err.msg[0]);
		if (fatal && !strcmp(fatal, "1")) {
			fprintf(stderr, "fuzz_match: %s\n", err.msg);
			abort();
		}
		if (fuzz_match_limit_hits++ < 5)
			fprintf(stderr, "fuzz_match: match_text failed: %s\n", err.msg);
	} else if (pick % 4 == 1) {
		/* a PCRE2 limit may fall differently without the prefilter:
		 * only runs that both finish are compared */
		if (!match_text(fuzz_match_slow, text, size, &slow, &err))
			FUZZ_CHECK(fuzz_match_same(&list, &slow));
		match_list_clear(&slow);
	}
	for (size_t i = 0; i < list.n; i++) {
		const struct match *mt = &list.v[i];

		FUZZ_CHECK(mt->rule != NULL);
		FUZZ_CHECK(mt->kind == MATCH_FULL || mt->kind == MATCH_MENTION ||
			   mt->kind == MATCH_MODIFIED);
		FUZZ_CHECK(mt->coverage >= 0.0 && mt->coverage <= 1.0);
		FUZZ_CHECK(mt->line_start >= 1 && mt->line_start <= mt->line_end);
		FUZZ_CHECK(mt->line_end <= n_lines);
		FUZZ_CHECK(mt->line_start >= prev);
		prev = mt->line_start;
		if (mt->added_start)
			FUZZ_CHECK(mt->added_start <= mt->added_end &&
				   mt->added_end <= n_lines);
		(void)match_kind_name(mt->kind);
	}
	match_list_clear(&list);

	if (match_restriction(fuzz_match_matcher, text, size, &line))
		FUZZ_CHECK(line >= 1 && line <= n_lines);

	/* one input in eight is explained, against a rule it picks: each
	 * call normalises the text again, which is most of the time spent */
	if (pick % 8 == 0) {
		pick /= 8;
		match_explain_rule(fuzz_match_matcher,
				   rules_at(fuzz_match_rules,
					    pick % rules_count(fuzz_match_rules)),
				   text, size, &explain);
		FUZZ_CHECK(explain.len == 0 || strlen(explain.buf) == explain.len);
		strbuf_release(&explain);
	}
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (fuzz_match_init())
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_match_one(data, size);
}
#endif
