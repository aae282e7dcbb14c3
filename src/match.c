/*
 * match.c: identifying licenses in a text with the rule catalog (match.h).
 *
 * Owns: normalising the text (normalize.h), asking the literal prefilter
 * (prefilter.h) which patterns can match, running the rules' PCRE2 patterns under match and depth limits, coverage, line
 * ranges, mentions, modified-text detection, and the sentence classifier
 * that judges restrictions of commercial use by meaning.  Hands on a
 * match_list and the restricting sentences (match_restriction_last);
 * never reads files, never decides a verdict, never prints.
 *
 * How a text is read, in order:
 *  0. the literal prefilter: a pattern runs only when every clause of its
 *     literals (rules.h) holds in the text (prefilter.h); with
 *     matcher_set_prefilter(m, 0) every pattern runs, which is how the
 *     tests prove the prefilter changes no result.
 *  1. full texts: for each rule whose prefilter literal occurs and whose
 *     literals leave a full match possible (rule_possible), every `all`
 *     pattern, at least `any.min` of `any`, coverage >= threshold, and no
 *     `none` pattern inside the lines the phrases span.  After a full match
 *     the rule is tried again after it (a NOTICE with two MIT copies gives
 *     two matches), at most MAX_REPEATS times.
 *  2. the line range of a full match starts at its first phrase, widened
 *     to the whole sentence (at most WIDEN_MAX lines back) and to a short
 *     title line just before it (blank and copyright lines between are
 *     skipped; a line with a restriction phrase or inside another match is
 *     no title).  It ends at the sentence of the rule's `end` pattern when
 *     the rule has one and it matches; else it runs on to the line before
 *     the next full match (of any rule) or to the end of the text, because
 *     the rules' phrases rarely reach a long license's last section.
 *     An `end` counts only where it reaches the sentence of the last
 *     phrase (a notice of the license before its text ends nothing).  A
 *     filled-in notice of the same license right after the `end` belongs
 *     to the range (notice_after): a mention, then the rule's `end` again
 *     within NOTICE_MAX bytes (Apache's "Licensed under ... limitations
 *     under the License" without the appendix heading), or the end of the
 *     mention's sentence at the end of its line; a restricting sentence in
 *     it still counts (own_le).
 *  3. mentions: a rule without a full match whose `mentions` pattern hits
 *     outside every full match's lines (a license naming itself or another
 *     is not a separate finding).  One mention per rule, its first hit.
 *  4. modified: lines outside every full match that are text (not blank,
 *     not copyright) are grouped into blocks (runs of such lines); each
 *     block belongs to the nearest full match (the one before it on a tie).
 *     Blocks of SHORT_BLOCK bytes or less never count (a title, a one-line
 *     notice).  A full match becomes `modified` when the blocks after its
 *     `end` add EXTRA_MIN bytes or more, when all its blocks add at least
 *     EXTRA_MIN bytes and EXTRA_RATIO of its own text (a long preamble), or
 *     when a restriction phrase (restrictions.yaml) belongs to it: outside
 *     its lines, or inside them unless the rule says `own_restrictions:
 *     true`; or a sentence the classifier (below, scan_restrictions) says
 *     restricts, outside its own text (in_own_text).  Rules that are
 *     not-allowed already are never marked restricted (it could not make
 *     them stricter).
 *
 * A struct matcher is per thread: match data, match context and scratch.
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "modelcensus/match.h"
#include "modelcensus/derive.h"
#include "modelcensus/normalize.h"
#include "modelcensus/prefilter.h"
#include "modelcensus/banned.h"

#define MAX_REPEATS 16		/* copies of one license in one file */
#define MAX_HITS 256		/* restriction hits and mention tries per text */
#define WIDEN_MAX 10		/* lines a range grows to finish a sentence */
#define TITLE_MAX 80		/* bytes of a title line taken into a range */
#define TITLE_GAP 4		/* blank/copyright lines skipped to reach it */
#define SHORT_BLOCK 80		/* outside blocks this small never count */
#define EXTRA_MIN 100		/* added text below this many bytes is noise */
#define EXTRA_RATIO 0.5		/* a preamble as a share of the license's own text */
#define NOTICE_MAX 600		/* a notice after an `end`: Apache's is 517 bytes */

struct cand {
	const struct rule *rule;
	size_t order;		/* catalog index, for a stable sort */
	enum match_kind kind;
	double coverage;
	size_t ls, le;		/* original lines, inclusive */
	size_t s_off;		/* normalised offset of the first phrase */
	size_t e_off;		/* normalised end of the last phrase */
	int has_end;		/* the range ends at the rule's `end` pattern */
	size_t own_le;		/* with has_end: the license's last line (no notice) */
	size_t phrase_le;	/* the last line of its phrases' sentences */
	size_t added_s, added_e;
	int restricts;
	size_t extra, own;	/* bytes added / bytes of the license text */
	size_t extra_after;	/* bytes added after an `end` */
	size_t first_block;	/* first counted block's line, 0 when none */
	size_t first_block_end;
};

struct hit {
	size_t ls, le;
	enum restrict_class cls;
	int sentence;		/* from the sentence classifier, not a phrase */
	size_t qs, qe;		/* normalised span of its sentence, for quoting */
};

struct matcher {
	const struct rules *rules;
	int no_prefilter;	/* matcher_set_prefilter(m, 0): run every pattern */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct normalized norm;
	struct prefilter_text pf;	/* the prefilter's view of norm */
	struct cand *c;
	size_t nc, ac;
	struct hit *hits;
	size_t nh, ah;
	int *owner;		/* per original line: full candidate index or -1 */
	size_t owner_alloc;
	const char *orig;	/* the text being matched (during match_text) */
	size_t orig_len;
	int hits_ready;		/* m->hits describe the text loaded */
	int no_sentences;	/* match_restriction_sentences(m, 0) */
	char *scratch;		/* a sentence with its permitted spans blanked */
	size_t scratch_alloc;
	size_t *gate;		/* classifier_offsets() */
	size_t ngate, agate;
};

/* Normalises text into the matcher and indexes it for the prefilter. */
static void load_text(struct matcher *m, const char *text, size_t len)
{
	m->orig = text;
	m->orig_len = len;
	m->hits_ready = 0;
	m->no_sentences = 0;
	normalize_text(&m->norm, text, len);
	prefilter_text_load(&m->pf, m->norm.text, m->norm.len);
}

/* Can p match in the normalised text at or after from?  0 when the
 * prefilter says it cannot; 1 means run it. */
static int may_match(struct matcher *m, const struct rule_pattern *p, size_t from)
{
	return m->no_prefilter || prefilter_may_match(&m->pf, p, from);
}

const char *match_kind_name(enum match_kind k)
{
	switch (k) {
	case MATCH_FULL: return "full";
	case MATCH_MENTION: return "mention";
	case MATCH_MODIFIED: return "modified";
	}
	return "unknown";
}

void match_list_clear(struct match_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

int matcher_new(struct matcher **out, const struct rules *rules, struct mc_error *err)
{
	struct matcher *m = xcalloc(1, sizeof(*m));

	m->rules = rules;
	m->md = pcre2_match_data_create(rules_max_captures(rules) + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	if (!m->md || !m->mctx) {
		matcher_free(m);
		*out = NULL;
		return mc_error_set(err, "cannot allocate PCRE2 match data");
	}
	prefilter_text_init(&m->pf, rules_literal_count(rules));
	pcre2_set_match_limit(m->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, RULES_DEPTH_LIMIT);
	*out = m;
	return 0;
}

void matcher_set_prefilter(struct matcher *m, int on)
{
	m->no_prefilter = !on;
}

const struct rules *matcher_rules(const struct matcher *m)
{
	return m->rules;
}

void matcher_free(struct matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	normalized_release(&m->norm);
	free(m->c);
	free(m->hits);
	free(m->owner);
	free(m->scratch);
	free(m->gate);
	prefilter_text_release(&m->pf);
	free(m);
}

/*
 * Finds the first match of p in the normalised text at or after from.
 * Returns 1 with [*s, *e) set, 0 when there is none, -1 when PCRE2 failed
 * (a limit): err names the rule (or "restriction") and the pattern.
 */
static int find(struct matcher *m, const struct rule *r, const struct rule_pattern *p,
		size_t from, size_t *s, size_t *e, struct mc_error *err)
{
	const char *text = m->norm.text;
	size_t len = m->norm.len;
	PCRE2_SIZE *ov;
	int rc;

	if (from > len)
		return 0;
	if (!may_match(m, p, from))
		return 0;
	rules_jit_pattern(m->rules, p);
	rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, from, PCRE2_NO_UTF_CHECK, m->md,
			 m->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];
		const char *why;

		pcre2_get_error_message(rc, msg, sizeof(msg));
		why = (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
			      ? " (it backtracks too much: bound its repeats, e.g. .{0,40})"
			      : "";
		if (r) {
			struct rule_info ri;

			rule_info(r, &ri);
			return mc_error_set(err, "rule '%s' (%s:%zu): pattern '%s' failed: %s%s",
					    ri.id, ri.file, p->line, p->source, (const char *)msg, why);
		}
		return mc_error_set(err, "restriction pattern '%s' (line %zu) failed: %s%s",
				    p->source, p->line, (const char *)msg, why);
	}
	ov = pcre2_get_ovector_pointer(m->md);
	*s = ov[0];
	*e = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	if (*e > len)
		*e = len;
	return 1;
}

static int ends_sentence(const struct normalized *n, size_t line)
{
	const struct norm_line *nl = &n->lines[line - 1];
	char c;

	if (nl->kind != NL_TEXT || !nl->len)
		return 1;
	c = n->text[nl->off + nl->len - 1];
	return c == '.' || c == ':' || c == ';' || c == '!' || c == '?';
}

static int is_text(const struct normalized *n, size_t line)
{
	return line >= 1 && line <= n->n_lines && n->lines[line - 1].kind == NL_TEXT;
}

/* Widens [*ls, *le] to whole sentences. */
static void widen_sentence(const struct normalized *n, size_t *ls, size_t *le)
{
	size_t k;

	for (k = 0; k < WIDEN_MAX && *ls > 1 && is_text(n, *ls - 1) &&
		    !ends_sentence(n, *ls - 1); k++)
		(*ls)--;
	for (k = 0; k < WIDEN_MAX && *le < n->n_lines && is_text(n, *le + 1) &&
		    !ends_sentence(n, *le); k++)
		(*le)++;
}

/* True when a restriction phrase was found on line l. */
static int has_hit(const struct matcher *m, size_t l)
{
	for (size_t h = 0; h < m->nh; h++)
		if (m->hits[h].ls <= l && l <= m->hits[h].le)
			return 1;
	return 0;
}

/* Moves *ls to a short title line just before it (over blank and
 * copyright lines), unless that line holds a restriction phrase or lies in
 * another full match's phrases (the first nfull candidates). */
static void take_title(const struct matcher *m, size_t nfull, size_t *ls)
{
	const struct normalized *n = &m->norm;
	size_t k, l, i;

	for (l = *ls - 1, k = 0; l >= 1 && k <= TITLE_GAP; l--, k++) {
		if (n->lines[l - 1].kind != NL_TEXT)
			continue;
		if (n->lines[l - 1].len > TITLE_MAX || (l > 1 && is_text(n, l - 1)) ||
		    has_hit(m, l))
			break;
		for (i = 0; i < nfull; i++)
			if (m->c[i].ls <= l && l <= m->c[i].le)
				return;
		*ls = l;
		break;
	}
}

static struct cand *add_cand(struct matcher *m, const struct rule *r, size_t order,
			     enum match_kind kind)
{
	struct cand *c;

	ALLOC_GROW(m->c, m->nc + 1, m->ac);
	c = &m->c[m->nc++];
	memset(c, 0, sizeof(*c));
	c->rule = r;
	c->order = order;
	c->kind = kind;
	return c;
}

/*
 * Can r have a full match at or after from?  Its prefilter literal occurs
 * in the text, and the literals of its patterns leave enough of them
 * possible for try_full's counts: every `all` pattern, `any.min` of `any`
 * and the coverage threshold.  0 means try_full would find no match.
 */
static int rule_possible(struct matcher *m, const struct rule_match_spec *sp, size_t from)
{
	size_t i, any = 0, found;

	if (m->no_prefilter)
		return 1;
	if (sp->prefilter && !prefilter_has(&m->pf, &sp->prefilter_lit, 0))
		return 0;
	for (i = 0; i < sp->all.n; i++)
		if (!may_match(m, &sp->all.v[i], from))
			return 0;
	for (i = 0; i < sp->any.n; i++)
		any += (size_t)may_match(m, &sp->any.v[i], from);
	found = sp->all.n + any;
	if (any < sp->any_min || !found)
		return 0;
	return !((double)found / (double)(sp->all.n + sp->any.n) + 1e-9 < sp->threshold);
}

/*
 * Tries a full match of r at or after from.  Returns 1 with the phrases'
 * span [*s, *e) and coverage, 0 when it is not a full text, -1 on a PCRE2
 * failure.
 */
static int try_full(struct matcher *m, const struct rule *r, const struct rule_match_spec *sp,
		    size_t from, size_t *s, size_t *e, double *coverage, struct mc_error *err)
{
	size_t found = 0, any_found = 0, smin = (size_t)-1, emax = 0, ps, pe, i;
	size_t total = sp->all.n + sp->any.n, ls, le, lo, hi;
	int rc;

	if (!rule_possible(m, sp, from))
		return 0;
	for (i = 0; i < sp->all.n; i++) {
		rc = find(m, r, &sp->all.v[i], from, &ps, &pe, err);
		if (rc <= 0)
			return rc;
		found++;
		smin = ps < smin ? ps : smin;
		emax = pe > emax ? pe : emax;
	}
	for (i = 0; i < sp->any.n; i++) {
		/* stop early when the minimum cannot be reached any more */
		if (any_found + (sp->any.n - i) < sp->any_min)
			return 0;
		rc = find(m, r, &sp->any.v[i], from, &ps, &pe, err);
		if (rc < 0)
			return rc;
		if (!rc)
			continue;
		any_found++;
		found++;
		smin = ps < smin ? ps : smin;
		emax = pe > emax ? pe : emax;
	}
	if (any_found < sp->any_min || !found)
		return 0;
	*coverage = (double)found / (double)total;
	if (*coverage + 1e-9 < sp->threshold)
		return 0;
	/* none: inside the lines the phrases span, and a few title lines before */
	ls = normalized_line(&m->norm, smin);
	le = normalized_line(&m->norm, emax - 1);
	ls = ls > 3 ? ls - 3 : 1;
	lo = m->norm.lines[ls - 1].off;
	hi = m->norm.lines[le - 1].off + m->norm.lines[le - 1].len;
	for (i = 0; i < sp->none.n; i++) {
		rc = find(m, r, &sp->none.v[i], lo, &ps, &pe, err);
		if (rc < 0)
			return rc;
		if (rc && ps < hi)
			return 0;
	}
	*s = smin;
	*e = emax;
	return 1;
}

/* Does a notice of candidate c's own license follow its `end` at
 * normalised offset *end_e?  One of its `mentions` starts after nothing but
 * blank or copyright lines, and the notice ends within NOTICE_MAX bytes: at
 * one of the rule's `end` patterns ("Copyright 2024 X" then "Licensed under
 * the Apache License, Version 2.0 ... limitations under the License": the
 * boilerplate notice filled in, without the appendix heading), else at the
 * end of the mention's sentence when that ends its line ("Licensed under
 * the MIT License.").  Then *end_e moves to the notice's end and 1 is
 * returned; 0 when there is none.  The notice is no added text, but is not
 * the license's own text either (own_le): a restricting sentence in it
 * still counts. */
static int notice_after(struct matcher *m, const struct cand *c,
			const struct rule_match_spec *sp, size_t *end_e, struct mc_error *err)
{
	const struct normalized *n = &m->norm;
	size_t best = (size_t)-1, best_e = 0, s, e, l, el, ne = 0;
	int rc;

	for (size_t j = 0; j < sp->mentions.n; j++) {
		rc = find(m, c->rule, &sp->mentions.v[j], *end_e, &s, &e, err);
		if (rc < 0)
			return rc;
		if (rc && s < best) {
			best = s;
			best_e = e;
		}
	}
	if (best == (size_t)-1)
		return 0;
	while (best < n->len && n->text[best] && strchr(".:;!?) ", n->text[best]))
		best++;		/* a mention may start at the sentence before */
	el = normalized_line(n, *end_e - 1);
	for (l = el + 1; l < normalized_line(n, best); l++)
		if (is_text(n, l))
			return 0;
	for (size_t j = 0; j < sp->end.n; j++) {
		rc = find(m, c->rule, &sp->end.v[j], best, &s, &e, err);
		if (rc < 0)
			return rc;
		if (rc && e - best <= NOTICE_MAX && (!ne || e < ne))
			ne = e;
	}
	if (!ne) {
		const char *dot;

		dot = memchr(n->text + best_e, '.', n->len - best_e);
		for (; dot && dot[1] && dot[1] != ' ';
		     dot = memchr(dot + 1, '.', n->len - (size_t)(dot + 1 - n->text)))
			;
		if (!dot)
			return 0;
		ne = (size_t)(dot - n->text) + 1;
		l = normalized_line(n, ne - 1);
		if (ne - best > NOTICE_MAX || n->lines[l - 1].off + n->lines[l - 1].len != ne)
			return 0;
	}
	*end_e = ne;
	return 1;
}

/* Step 2's title and end of each full candidate's range (the restriction
 * hits, m->hits, are collected before, for titles and step 4). */
static int extend_ranges(struct matcher *m, size_t nfull, struct mc_error *err)
{
	const struct normalized *n = &m->norm;
	size_t i, j, s, e, next, le;
	int rc;

	for (i = 0; i < nfull; i++)
		take_title(m, nfull, &m->c[i].ls);
	for (i = 0; i < nfull; i++) {
		struct cand *c = &m->c[i];
		struct rule_match_spec sp;
		size_t best = (size_t)-1, best_e = 0, ls0, from, last, tries;

		/* the last sentence reaches the last phrase's sentence (a
		 * notice of the license before its text ends nothing) */
		last = ls0 = normalized_line(n, c->e_off - 1);
		widen_sentence(n, &last, &ls0);
		rule_match_spec(c->rule, &sp);
		for (j = 0; j < sp.end.n; j++) {
			for (from = c->s_off, tries = 0; tries < MAX_HITS; tries++) {
				rc = find(m, c->rule, &sp.end.v[j], from, &s, &e, err);
				if (rc <= 0 || normalized_line(n, e - 1) >= last)
					break;
				from = e > from ? e : from + 1;
			}
			if (rc < 0)
				return rc;
			if (rc && tries < MAX_HITS && s < best) {
				best = s;
				best_e = e;
			}
		}
		if (best != (size_t)-1) {
			le = normalized_line(n, best_e - 1);
			if (le > c->le)
				c->le = le;
			ls0 = c->le;
			widen_sentence(n, &ls0, &c->le);
			c->has_end = 1;
			c->own_le = c->le;
			rc = notice_after(m, c, &sp, &best_e, err);
			if (rc < 0)
				return rc;
			le = normalized_line(n, best_e - 1);
			if (rc && le > c->le)
				c->le = le;
			continue;
		}
		next = n->n_lines + 1;
		for (j = 0; j < nfull; j++)
			if (j != i && m->c[j].ls > c->le && m->c[j].ls < next)
				next = m->c[j].ls;
		le = next - 1;
		while (le > c->le && !is_text(n, le))
			le--;
		c->le = le;
	}
	return 0;
}

/* The full candidate owning original line l, or -1. */
static int owner_of(const struct matcher *m, size_t l)
{
	return l >= 1 && l <= m->norm.n_lines ? m->owner[l - 1] : -1;
}

/* The full candidate nearest to lines [bs, be] (none of them owned): the
 * one before on a tie.  -1 when there is no full candidate. */
static int nearest(const struct matcher *m, size_t nfull, size_t bs, size_t be)
{
	size_t best_d = (size_t)-1, d;
	int best = -1;

	for (size_t i = 0; i < nfull; i++) {
		const struct cand *c = &m->c[i];

		if (c->kind == MATCH_MENTION)
			continue;
		d = be < c->ls ? c->ls - be : bs > c->le ? bs - c->le : 0;
		if (d < best_d || (d == best_d && bs > c->le)) {
			best_d = d;
			best = (int)i;
		}
	}
	return best;
}

/*
 * The sentence classifier (rules/README.md, "restrictions.yaml").  A
 * sentence restricts commercial use when, after the spans that grant
 * rather than restrict (`permitted`: "without restriction", "commercial use
 * is permitted", "not limited to") are blanked, it limits use to research,
 * non-commercial... purposes (`limits`), or it speaks of a commercial topic
 * (`topics`) and forbids it (`prohibitions`: RESTRICT_FORBIDS) or makes it
 * need permission, an agreement, a fee or contact (`permission`:
 * RESTRICT_NEEDS_PERMISSION).  Sentences about warranties, liability and
 * trademarks (`ignore`) are never read, nor sentences longer than
 * SENTENCE_MAX (a table or a list run together, not a sentence).  A PCRE2
 * limit in a vocabulary pattern counts as no match: the classifier can miss
 * a sentence, never fail a scan.
 */
#define SENTENCE_MIN 8
#define SENTENCE_MAX 800
#define QUOTE_MAX 160		/* bytes of a sentence quoted in a reason */
#define QUOTES_MAX 4		/* sentences quoted for one text */

/* Does a pattern of vocabulary w match s[0..len)? */
static int vocab_hit(struct matcher *m, enum restrict_vocab w, const char *s, size_t len,
		     size_t from, size_t *ms, size_t *me)
{
	struct rule_patterns rp = rules_restriction_vocab(m->rules, w);

	for (size_t i = 0; i < rp.n; i++) {
		int rc;

		rules_jit_pattern(m->rules, &rp.v[i]);
		rc = pcre2_match(rp.v[i].code, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK,
				 m->md, m->mctx);

		if (rc >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

			if (ms) {
				*ms = ov[0];
				*me = ov[1];
			}
			return 1;
		}
	}
	return 0;
}

/*
 * Does a topic of t[0..len) stand near a prohibition (RESTRICT_FORBIDS) or
 * a need for permission (RESTRICT_NEEDS_PERMISSION)?  Near: within
 * NEAR_BYTES either side of the topic, so that "has not
 * been tuned for ... such as commercial chatbots" (a long way apart) is
 * not read as a prohibition.
 */
#define NEAR_BYTES 80
static enum restrict_class near_topic(struct matcher *m, const char *t, size_t len)
{
	struct rule_patterns rp = rules_restriction_vocab(m->rules, RV_TOPICS);
	enum restrict_class best = RESTRICT_NONE;

	for (size_t i = 0; i < rp.n && best != RESTRICT_FORBIDS; i++) {
		size_t from = 0;

		rules_jit_pattern(m->rules, &rp.v[i]);
		while (from < len && best != RESTRICT_FORBIDS &&
		       pcre2_match(rp.v[i].code, (PCRE2_SPTR)t, len, from, PCRE2_NO_UTF_CHECK,
				   m->md, m->mctx) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
			size_t ts = ov[0], te = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			size_t lo = ts > NEAR_BYTES ? ts - NEAR_BYTES : 0;
			size_t hi = te + NEAR_BYTES < len ? te + NEAR_BYTES : len;

			if (vocab_hit(m, RV_PROHIBITIONS, t, hi, lo, NULL, NULL))
				best = RESTRICT_FORBIDS;
			else if (vocab_hit(m, RV_PERMISSION, t, hi, lo, NULL, NULL))
				best = RESTRICT_NEEDS_PERMISSION;
			from = te;
		}
	}
	return best;
}

static enum restrict_class classify(struct matcher *m, const char *s, size_t len)
{
	struct rule_patterns rp = rules_restriction_vocab(m->rules, RV_PERMITTED);
	size_t ms, me;
	char *t;

	if (len < SENTENCE_MIN || len > SENTENCE_MAX)
		return RESTRICT_NONE;
	if (!vocab_hit(m, RV_TOPICS, s, len, 0, NULL, NULL) &&
	    !vocab_hit(m, RV_LIMITS, s, len, 0, NULL, NULL))
		return RESTRICT_NONE;
	if (vocab_hit(m, RV_IGNORE, s, len, 0, NULL, NULL))
		return RESTRICT_NONE;
	ALLOC_GROW(m->scratch, len + 1, m->scratch_alloc);
	t = m->scratch;
	memcpy(t, s, len);
	t[len] = '\0';
	for (size_t i = 0; i < rp.n; i++) {
		size_t from = 0;

		rules_jit_pattern(m->rules, &rp.v[i]);
		while (from < len &&
		       pcre2_match(rp.v[i].code, (PCRE2_SPTR)t, len, from, PCRE2_NO_UTF_CHECK,
				   m->md, m->mctx) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

			ms = ov[0];
			me = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			memset(t + ms, ' ', me - ms);
			from = me;
		}
	}
	if (vocab_hit(m, RV_LIMITS, t, len, 0, NULL, NULL))
		return RESTRICT_FORBIDS;
	return near_topic(m, t, len);
}

/* Does original line l (1-based) open with a list, heading or table mark,
 * so that the line before it ends a sentence?  line_start holds the
 * original offset of each line (NULL when the lines are not known). */
static int opens_item(const struct matcher *m, const size_t *line_start, size_t l)
{
	const char *p, *end;

	if (!line_start || l > m->norm.n_lines)
		return 0;
	p = m->orig + line_start[l - 1];
	end = m->orig + m->orig_len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end)
		return 0;
	if (*p == '-' || *p == '*' || *p == '+' || *p == '#' || *p == '|' || *p == '>')
		return 1;
	if (end - p >= 3 && !memcmp(p, "\xe2\x80\xa2", 3))	/* a bullet */
		return 1;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > m->orig + line_start[l - 1] && p < end && (*p == '.' || *p == ')') &&
	       p[-1] >= '0' && p[-1] <= '9';
}

/* The original offset of every line of m->orig, or NULL when the text was
 * decoded (UTF-16) and its lines cannot be found in the bytes. */
static size_t *line_starts(const struct matcher *m)
{
	size_t *v, n = 1;

	if (!m->orig || memchr(m->orig, '\0', m->orig_len))
		return NULL;
	v = xcalloc(m->norm.n_lines + 1, sizeof(*v));
	for (size_t i = 0; i < m->orig_len && n < m->norm.n_lines; i++)
		if (m->orig[i] == '\n')
			v[n++] = i + 1;
	if (n != m->norm.n_lines) {
		free(v);
		return NULL;
	}
	return v;
}

/* Does a sentence end after normalised offset i? */
static int sentence_ends(const struct matcher *m, const size_t *starts, size_t i)
{
	const struct normalized *n = &m->norm;
	char c = n->text[i];
	size_t l;

	if (i + 1 >= n->len || c == '|')
		return 1;
	if ((c == '.' || c == '!' || c == '?') && n->text[i + 1] == ' ')
		return 1;
	l = n->line_of[i];
	if (l < 1 || l > n->n_lines || i + 1 != n->lines[l - 1].off + n->lines[l - 1].len)
		return 0;
	/* the last byte of line l: a paragraph or a list item ends there */
	return l == n->n_lines || n->lines[l].kind != NL_TEXT || opens_item(m, starts, l + 1);
}

static void add_hit(struct matcher *m, size_t s, size_t e, enum restrict_class cls,
		    int sentence, size_t qs, size_t qe)
{
	struct hit *h;

	ALLOC_GROW(m->hits, m->nh + 1, m->ah);
	h = &m->hits[m->nh++];
	h->ls = normalized_line(&m->norm, s);
	h->le = normalized_line(&m->norm, e - 1);
	h->cls = cls;
	h->sentence = sentence;
	h->qs = qs;
	h->qe = qe;
}

/* The sentence holding normalised offset p: [*qa, *b), its leading blanks
 * left out (*qa == *b for a blank one).  Sentences are what sentence_ends()
 * cuts, so this is the same sentence a walk from the start would find. */
static void sentence_around(const struct matcher *m, const size_t *starts, size_t p,
			    size_t *qa, size_t *b)
{
	size_t a = p, e = p;

	while (a > 0 && !sentence_ends(m, starts, a - 1))
		a--;
	while (!sentence_ends(m, starts, e))
		e++;
	while (a <= e && m->norm.text[a] == ' ')
		a++;
	*qa = a;
	*b = e + 1;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Where the classifier must look: the offsets, in order, of the literals
 * that every match of a `topics` or `limits` pattern holds
 * (rules_classifier_cover()).  A sentence with none of them inside cannot
 * be classified as restricting (classify() reads only sentences one of
 * those patterns matches), so only the sentences around these offsets are
 * read.  Returns 0 when some pattern has no literal to look for (or the
 * prefilter is off): then every sentence is read.
 */
static int classifier_offsets(struct matcher *m)
{
	const struct prefilter_cover *cv = rules_classifier_cover(m->rules);

	m->ngate = 0;
	if (m->no_prefilter || cv->all)
		return 0;
	for (size_t i = 0; i < cv->n; i++) {
		size_t o = 0;

		while ((o = prefilter_next(&m->pf, cv->v[i], o)) != PREFILTER_NONE) {
			ALLOC_GROW(m->gate, m->ngate + 1, m->agate);
			m->gate[m->ngate++] = o++;
		}
	}
	if (m->ngate)
		qsort(m->gate, m->ngate, sizeof(*m->gate), cmp_size);
	return 1;
}

/* Collects restriction hits over the whole normalised text into m->hits:
 * every restriction phrase, then every sentence the classifier says
 * restricts.  A phrase is quoted with its sentence. */
static int scan_restrictions(struct matcher *m, struct mc_error *err)
{
	struct rule_patterns rp = rules_restrictions(m->rules);
	const struct normalized *n = &m->norm;
	size_t s, e, from, qa, b, i, nphrase, *starts;
	int rc, gated;

	m->nh = 0;
	m->hits_ready = 1;
	for (i = 0; i < rp.n; i++) {
		for (from = 0; m->nh < MAX_HITS;) {
			rc = find(m, NULL, &rp.v[i], from, &s, &e, err);
			if (rc < 0)
				return rc;
			if (!rc)
				break;
			add_hit(m, s, e, RESTRICT_FORBIDS, 0, s, e);
			from = e;
		}
	}
	nphrase = m->nh;
	gated = classifier_offsets(m);
	if (!nphrase && gated && !m->ngate)
		return 0;
	starts = line_starts(m);
	for (size_t h = 0; h < nphrase; h++) {
		sentence_around(m, starts, m->hits[h].qs, &qa, &b);
		if (m->hits[h].qs >= qa) {
			m->hits[h].qs = qa;
			m->hits[h].qe = b;
		}
	}
	/* every sentence in order, or (gated) those around m->gate's offsets */
	for (size_t k = 0, p = 0, done = 0; m->nh < MAX_HITS; ) {
		if (gated) {
			if (k == m->ngate)
				break;
			if ((p = m->gate[k++]) < done)
				continue;
		} else if (p >= n->len) {
			break;
		}
		sentence_around(m, starts, p, &qa, &b);
		p = done = b;
		if (qa < b) {
			enum restrict_class cls = classify(m, n->text + qa, b - qa);

			if (cls != RESTRICT_NONE)
				add_hit(m, qa, b, cls, 1, qa, b);
		}
	}
	free(starts);
	return 0;
}

/* Is a restricting sentence at lines [ls, le] part of candidate c's own
 * text?  Its lines up to its `end` (not a notice after it), or, for a rule
 * without one (its range runs on to the next license or the end of the
 * file), up to the sentence of its last phrase: text after that is read as
 * possibly added. */
static int in_own_text(const struct cand *c, size_t ls, size_t le)
{
	if (c->kind == MATCH_MENTION || ls < c->ls || le > c->le)
		return 0;
	return c->has_end ? le <= c->own_le : ls <= c->phrase_le;
}

/* Does hit h count for the text as a whole?  A phrase always does; a
 * sentence only outside every full license's own text (the standard body
 * itself never restricts). */
static int hit_counts(const struct matcher *m, const struct hit *h)
{
	if (!h->sentence)
		return 1;
	if (m->no_sentences)
		return 0;
	for (size_t i = 0; i < m->nc; i++)
		if (in_own_text(&m->c[i], h->ls, h->le))
			return 0;
	return 1;
}

/* Marks what a restriction hit or added block means for candidate c. */
static void note_added(struct cand *c, size_t s, size_t e, int restricts)
{
	if (restricts) {
		if (!c->restricts || s < c->added_s) {
			c->added_s = s;
			c->added_e = e;
		}
		c->restricts = 1;
	} else if (!c->first_block || s < c->first_block) {
		c->first_block = s;
		c->first_block_end = e;
	}
}

/* Step 4 of the file comment over the first nfull candidates (all full). */
static void detect_modified(struct matcher *m, size_t nfull)
{
	const struct normalized *n = &m->norm;
	size_t l, i, bs;

	ALLOC_GROW(m->owner, n->n_lines + 1, m->owner_alloc);
	for (l = 0; l < n->n_lines; l++)
		m->owner[l] = -1;
	for (i = 0; i < nfull; i++)
		for (l = m->c[i].ls; l <= m->c[i].le; l++)
			if (m->owner[l - 1] < 0)
				m->owner[l - 1] = (int)i;
	for (i = 0; i < nfull; i++)
		for (l = m->c[i].ls; l <= m->c[i].le; l++)
			if (n->lines[l - 1].kind == NL_TEXT)
				m->c[i].own += n->lines[l - 1].len;

	/* blocks of text lines that no full match owns */
	for (l = 1; l <= n->n_lines;) {
		size_t bytes = 0;
		int who;

		if (!is_text(n, l) || owner_of(m, l) >= 0) {
			l++;
			continue;
		}
		for (bs = l; l <= n->n_lines && is_text(n, l) && owner_of(m, l) < 0; l++)
			bytes += n->lines[l - 1].len;
		who = nearest(m, nfull, bs, l - 1);
		if (who >= 0 && bytes > SHORT_BLOCK) {
			m->c[who].extra += bytes;
			if (m->c[who].has_end && bs > m->c[who].le)
				m->c[who].extra_after += bytes;
			note_added(&m->c[who], bs, l - 1, 0);
		}
	}

	for (size_t h = 0; h < m->nh; h++) {
		const struct hit *hit = &m->hits[h];
		int who = owner_of(m, hit->ls);
		size_t s = hit->ls, e = hit->le;
		struct rule_match_spec sp;
		struct rule_info ri;

		if (who < 0)
			who = owner_of(m, hit->le);
		if (who >= 0) {
			rule_match_spec(m->c[who].rule, &sp);
			if (hit->sentence ? in_own_text(&m->c[who], s, e) : sp.own_restrictions)
				continue;
			widen_sentence(n, &s, &e);
		} else {
			who = nearest(m, nfull, hit->ls, hit->le);
			if (who < 0)
				continue;
			/* report the whole block the phrase sits in */
			while (is_text(n, s - 1) && owner_of(m, s - 1) < 0 && s > 1)
				s--;
			while (is_text(n, e + 1) && owner_of(m, e + 1) < 0)
				e++;
		}
		rule_info(m->c[who].rule, &ri);
		if (ri.commercial == CU_NOT_ALLOWED)
			continue;
		note_added(&m->c[who], s, e, 1);
	}

	for (i = 0; i < nfull; i++) {
		struct cand *c = &m->c[i];
		int extra = c->extra_after >= EXTRA_MIN ||
			    (c->extra >= EXTRA_MIN && (double)c->extra >= EXTRA_RATIO * (double)c->own);

		if (!c->restricts && !extra)
			continue;
		c->kind = MATCH_MODIFIED;
		if (!c->restricts) {
			c->added_s = c->first_block;
			c->added_e = c->first_block_end;
		}
	}
}

/* Step 3: the first mention hit of r outside every full match's lines. */
static int find_mention(struct matcher *m, const struct rule *r,
			const struct rule_match_spec *sp, size_t nfull, size_t order,
			struct mc_error *err)
{
	size_t best_s = (size_t)-1, best_e = 0, s, e, from, tries;
	int rc;

	for (size_t i = 0; i < sp->mentions.n; i++) {
		for (from = 0, tries = 0; tries < MAX_HITS; tries++) {
			size_t ls, le, k;
			int inside = 0;

			rc = find(m, r, &sp->mentions.v[i], from, &s, &e, err);
			if (rc < 0)
				return rc;
			if (!rc || s >= best_s)
				break;
			ls = normalized_line(&m->norm, s);
			le = normalized_line(&m->norm, e - 1);
			for (k = 0; k < nfull && !inside; k++)
				inside = ls >= m->c[k].ls && le <= m->c[k].le;
			if (!inside) {
				best_s = s;
				best_e = e;
				break;
			}
			from = e;
		}
	}
	if (best_s != (size_t)-1) {
		struct cand *c = add_cand(m, r, order, MATCH_MENTION);

		c->ls = normalized_line(&m->norm, best_s);
		c->le = normalized_line(&m->norm, best_e - 1);
	}
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->ls != y->ls)
		return x->ls < y->ls ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

void match_derivations(struct matcher *m, size_t first_line, struct derivations *out)
{
	derive_find_normalized(m->rules, &m->norm, m->no_prefilter ? NULL : &m->pf,
			       first_line, out);
}

int match_text(struct matcher *m, const char *text, size_t len, struct match_list *out,
	       struct mc_error *err)
{
	const struct rules *rules = m->rules;
	size_t n_rules = rules_count(rules), i, nfull, first_err_set = 0;
	struct mc_error local;
	int rc = 0, ext_failed = 0;

	load_text(m, text, len);
	m->nc = 0;
	m->nh = 0;
	if (!m->norm.len)
		return 0;

	/* 1, 2: full texts */
	for (i = 0; i < n_rules; i++) {
		const struct rule *r = rules_at(rules, i);
		struct rule_match_spec sp;
		size_t from = 0, s, e, reps;
		double cov;

		rule_match_spec(r, &sp);
		if (!sp.all.n && !sp.any.n)
			continue;
		for (reps = 0; reps < MAX_REPEATS; reps++) {
			struct cand *c;
			int frc = try_full(m, r, &sp, from, &s, &e, &cov, &local);

			if (frc < 0 && !first_err_set++) {
				*err = local;
				rc = -1;
			}
			if (frc <= 0)
				break;
			c = add_cand(m, r, i, MATCH_FULL);
			c->coverage = cov;
			c->s_off = s;
			c->e_off = e;
			c->ls = normalized_line(&m->norm, s);
			c->le = normalized_line(&m->norm, e - 1);
			widen_sentence(&m->norm, &c->ls, &c->le);
			c->phrase_le = c->le;
			from = m->norm.lines[c->le - 1].off + m->norm.lines[c->le - 1].len;
		}
	}
	nfull = m->nc;
	/* the restriction hits: without a full text a failure only loses
	 * them, as match_restriction_last() always did */
	if (scan_restrictions(m, &local) < 0) {
		if (nfull) {
			ext_failed = 1;
			if (!first_err_set++) {
				*err = local;
				rc = -1;
			}
		}
	} else if (nfull && extend_ranges(m, nfull, &local) < 0) {
		ext_failed = 1;
		if (!first_err_set++) {
			*err = local;
			rc = -1;
		}
	}

	/* 3: mentions */
	for (i = 0; i < n_rules; i++) {
		const struct rule *r = rules_at(rules, i);
		struct rule_match_spec sp;
		int has_full = 0;

		rule_match_spec(r, &sp);
		if (!sp.mentions.n)
			continue;
		for (size_t k = 0; k < nfull && !has_full; k++)
			has_full = m->c[k].rule == r;
		if (has_full)
			continue;
		if (find_mention(m, r, &sp, nfull, i, &local) < 0 && !first_err_set++) {
			*err = local;
			rc = -1;
		}
	}

	/* 4: modified (the restriction hits come from extend_ranges) */
	if (nfull && !ext_failed)
		detect_modified(m, nfull);

	if (m->nc)
		qsort(m->c, m->nc, sizeof(*m->c), cmp_cand);
	for (i = 0; i < m->nc; i++) {
		const struct cand *c = &m->c[i];
		struct match *mt;

		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		mt = &out->v[out->n++];
		mt->rule = c->rule;
		mt->kind = c->kind;
		mt->coverage = c->coverage;
		mt->line_start = c->ls;
		mt->line_end = c->le;
		mt->added_start = c->kind == MATCH_MODIFIED ? c->added_s : 0;
		mt->added_end = c->kind == MATCH_MODIFIED ? c->added_e : 0;
		mt->restricts_commercial = c->kind == MATCH_MODIFIED && c->restricts;
	}
	return rc;
}

int match_restriction(struct matcher *m, const char *text, size_t len, size_t *line)
{
	load_text(m, text, len);
	m->nc = 0;
	return match_restriction_last(m, line);
}

int match_restriction_last(struct matcher *m, size_t *line)
{
	enum restrict_class best = RESTRICT_NONE;
	size_t off = (size_t)-1, h;

	if (!m->norm.len)
		return RESTRICT_NONE;
	if (!m->hits_ready) {
		struct mc_error err;

		if (scan_restrictions(m, &err) < 0)
			m->nh = 0;
	}
	for (h = 0; h < m->nh; h++)
		if (hit_counts(m, &m->hits[h]) &&
		    (best == RESTRICT_NONE || m->hits[h].cls == RESTRICT_FORBIDS))
			best = m->hits[h].cls;
	for (h = 0; h < m->nh; h++)
		if (m->hits[h].cls == best && hit_counts(m, &m->hits[h]) &&
		    m->hits[h].qs < off) {
			off = m->hits[h].qs;
			*line = m->hits[h].ls;
		}
	return best;
}

void match_restriction_sentences(struct matcher *m, int on)
{
	m->no_sentences = !on;
}

char *match_restriction_quotes(struct matcher *m, size_t line_off)
{
	struct strbuf sb = STRBUF_INIT;
	size_t done = 0, last_qs = (size_t)-1;

	for (size_t h = 0; h < m->nh && done < QUOTES_MAX; h++) {
		const struct hit *x = &m->hits[h];
		size_t len = x->qe - x->qs;

		if (!hit_counts(m, x) || x->qs == last_qs)
			continue;
		for (size_t k = 0; k < h; k++)
			if (m->hits[k].qs == x->qs && hit_counts(m, &m->hits[k]))
				goto next;
		if (done++)
			strbuf_adds(&sb, "; ");
		strbuf_addf(&sb, "line %zu \"%.*s%s\"", x->ls + line_off,
			    (int)(len > QUOTE_MAX ? QUOTE_MAX : len), m->norm.text + x->qs,
			    len > QUOTE_MAX ? "..." : "");
		strbuf_addf(&sb, " (%s)", x->cls == RESTRICT_NEEDS_PERMISSION ?
			    "commercial use needs permission" :
			    x->sentence ? "forbids or limits commercial use" :
			    "restriction phrase");
		last_qs = x->qs;
next:		;
	}
	if (!done) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static void explain_set(struct matcher *m, const struct rule *r, const char *set,
			const struct rule_patterns *p, size_t *found, struct strbuf *out)
{
	struct mc_error err;
	size_t s, e;

	for (size_t i = 0; i < p->n; i++) {
		int rc = find(m, r, &p->v[i], 0, &s, &e, &err);

		if (rc > 0)
			(*found)++;
		strbuf_addf(out, "#   %-8s %s line %zu: '%s'%s%s\n", set,
			    rc > 0 ? "found  " : rc < 0 ? "FAILED " : "missing", p->v[i].line,
			    p->v[i].source, rc < 0 ? ": " : "", rc < 0 ? err.msg : "");
	}
}

void match_explain_rule(struct matcher *m, const struct rule *r, const char *text, size_t len,
			struct strbuf *out)
{
	struct rule_match_spec sp;
	size_t all = 0, any = 0, none = 0, mentions = 0, total;

	load_text(m, text, len);
	rule_match_spec(r, &sp);
	total = sp.all.n + sp.any.n;
	if (sp.prefilter)
		strbuf_addf(out, "#   prefilter '%s' %s\n", sp.prefilter,
			    memmem(m->norm.text, m->norm.len, sp.prefilter, sp.prefilter_lit.len)
				    ? "present" : "ABSENT (full match impossible)");
	explain_set(m, r, "all", &sp.all, &all, out);
	explain_set(m, r, "any", &sp.any, &any, out);
	explain_set(m, r, "none", &sp.none, &none, out);
	explain_set(m, r, "mentions", &sp.mentions, &mentions, out);
	if (total)
		strbuf_addf(out, "#   all %zu/%zu, any %zu/%zu (min %zu), coverage %.2f (threshold %.2f)%s\n",
			    all, sp.all.n, any, sp.any.n, sp.any_min, (double)(all + any) / (double)total,
			    sp.threshold, none ? ", excluded by none" : "");
}
