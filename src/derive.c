/*
 * derive.c: the sentences of a card body that name the model's base
 * (derive.h).  The phrases and family names are data (rules/families.yaml,
 * read by rules.c, looked up through catalog.c); this file owns the
 * sentences, the windows around a phrase and the Hub ids in them.
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "modelcensus/derive.h"
#include "modelcensus/normalize.h"
#include "modelcensus/prefilter.h"
#include "modelcensus/banned.h"

void derivations_clear(struct derivations *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].base);
		free(d->v[i].sentence);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static void add(struct derivations *out, char *base, const char *s, size_t len,
		size_t line)
{
	struct derivation *d;

	for (size_t i = 0; i < out->n; i++) {
		if (!strcmp(out->v[i].base, base)) {
			free(base);
			return;
		}
	}
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	d = &out->v[out->n++];
	d->base = base;
	d->sentence = xstrndup(s, len > DERIVE_SENTENCE_MAX ? DERIVE_SENTENCE_MAX : len);
	d->line = line;
}

static int id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* Is w[a..slash) the host of a Hub URL (huggingface.co/org/name)? */
static int hub_host(const char *w, size_t a, size_t slash)
{
	return (slash - a == 14 && !memcmp(w + a, "huggingface.co", 14)) ||
	       (slash - a == 5 && !memcmp(w + a, "hf.co", 5));
}

/*
 * The first Hub id "org/name" in w[0..n): an org without a dot and a name
 * with a digit or a '-' ("and/or", "input/output" are not ids), not both
 * of five bytes or less ("v100/a100"), not part of another site's URL
 * (github.com/org/name), not followed by "dataset".  Returns its start or
 * -1.
 */
static long find_id(const char *w, size_t n, size_t *id_len)
{
	for (size_t slash = 0; slash < n; slash++) {
		size_t a = slash, b = slash + 1;
		int name_ok = 0;

		if (w[slash] != '/')
			continue;
		while (a > 0 && id_char(w[a - 1]))
			a--;
		while (b < n && id_char(w[b])) {
			if (w[b] == '-' || (w[b] >= '0' && w[b] <= '9'))
				name_ok = 1;
			b++;
		}
		while (b > slash + 1 && w[b - 1] == '.')	/* a full stop */
			b--;
		if (slash - a < 2 || b - slash - 1 < 2 || !name_ok ||
		    memchr(w + a, '.', slash - a) ||
		    (slash - a <= 5 && b - slash - 1 <= 5) ||
		    (n - b >= 8 && !memcmp(w + b, " dataset", 8)))
			continue;
		if (a > 0 && w[a - 1] == '/') {
			size_t h = a - 1;

			while (h > 0 && id_char(w[h - 1]))
				h--;
			if (!hub_host(w, h, a - 1))
				continue;
		}
		*id_len = b - a;
		return (long)a;
	}
	return -1;
}

/* Where a window after a phrase ends: at ',' or ';', at most max bytes. */
static size_t cut_after(const char *w, size_t n, size_t max)
{
	size_t i;

	if (n > max)
		n = max;
	for (i = 0; i < n && w[i] != ',' && w[i] != ';'; i++)
		;
	return i;
}

/* A family name as written: the match, on to the end of its word
 * ("llama-2" of "llama-2-13b"), without a final full stop. */
static char *family_name(const char *s, size_t start, size_t end, size_t limit)
{
	while (end < limit && id_char(s[end]))
		end++;
	while (end > start + 1 && s[end - 1] == '.')
		end--;
	return xstrndup(s + start, end - start);
}

/* The base a phrase ending at text[p] names: a Hub id, else a family. */
static char *base_after(const struct rules *rules, struct prefilter_text *pf,
			const char *s, size_t e, size_t p)
{
	struct rule_family f;
	size_t n = e - p, id_len;
	long at;

	n = cut_after(s + p, n, DERIVE_AFTER + 100);
	at = find_id(s + p, n, &id_len);
	if (at >= 0 && (size_t)at <= DERIVE_AFTER)
		return xstrndup(s + p + at, id_len);
	if (rules_family_of(rules, s + p, n, pf, &f) && f.start <= DERIVE_AFTER)
		return family_name(s, p + f.start, p + f.end, e);
	return NULL;
}

/* The base a phrase starting at text[q] follows: a family just before it. */
static char *base_before(const struct rules *rules, struct prefilter_text *pf,
			 const char *s, size_t b, size_t q)
{
	struct rule_family f;
	size_t from = q > b + DERIVE_BEFORE + 40 ? q - DERIVE_BEFORE - 40 : b;

	for (size_t i = q; i > from; i--) {
		if (s[i - 1] == ',' || s[i - 1] == ';') {
			from = i;
			break;
		}
	}
	if (rules_family_of(rules, s + from, q - from, pf, &f) &&
	    q - from - f.end <= DERIVE_BEFORE)
		return family_name(s, from + f.start, from + f.end, q);
	return NULL;
}

/* A base found, with where: sentence start, phrase order, match start. */
struct found {
	size_t b, e, phrase, at;
	char *base;
};
struct founds {
	struct found *v;
	size_t n, alloc;
};

struct search {
	const struct rules *rules;
	const struct normalized *nt;
	struct prefilter_text *pf;	/* nt's, or NULL */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct founds found;
};

/* Runs one phrase (before 0: the base follows it; 1: precedes it) on one
 * sentence text[b..e): the subject ends at the sentence's end. */
static void phrase_in_sentence(struct search *sr, const pcre2_code *code, int before,
			       size_t phrase, size_t b, size_t e)
{
	const char *s = sr->nt->text;
	size_t at = b;

	while (at < e) {
		PCRE2_SIZE *ov;
		struct found *f;
		char *base;

		if (pcre2_match(code, (PCRE2_SPTR)s, e, at, 0, sr->md, sr->mctx) < 0)
			break;
		ov = pcre2_get_ovector_pointer(sr->md);
		base = before ? base_before(sr->rules, sr->pf, s, b, ov[0])
			      : base_after(sr->rules, sr->pf, s, e, ov[1]);
		if (base) {
			ALLOC_GROW(sr->found.v, sr->found.n + 1, sr->found.alloc);
			f = &sr->found.v[sr->found.n++];
			f->b = b;
			f->e = e;
			f->phrase = phrase;
			f->at = ov[0];
			f->base = base;
		}
		at = ov[1] > at ? ov[1] : at + 1;
	}
}

/* Does a sentence end at text[i] (a byte after which a new one begins)? */
static size_t sentence_end(const char *s, size_t i, size_t len)
{
	if (s[i] == '|')
		return 1;
	if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && (i + 1 == len || s[i + 1] == ' '))
		return 1;
	/* 。！？ */
	if (i + 2 < len && (unsigned char)s[i] == 0xe3 && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0x82)
		return 3;
	if (i + 2 < len && (unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbc &&
	    ((unsigned char)s[i + 2] == 0x81 || (unsigned char)s[i + 2] == 0x9f))
		return 3;
	return 0;
}

/* Does a paragraph end at text[i]: the end of a text line followed by a
 * blank one, or of the last line? */
static int para_end(const struct normalized *nt, size_t i)
{
	const struct norm_line *l;
	size_t k;

	if (!i)
		return 0;
	k = nt->line_of[i - 1];		/* 1-based */
	if (k < 1 || k > nt->n_lines)
		return 0;
	l = &nt->lines[k - 1];
	return l->kind == NL_TEXT && l->len && l->off + l->len == i &&
	       (k == nt->n_lines || nt->lines[k].kind == NL_BLANK);
}

/*
 * The sentence holding text[p], as [*b, *e) without its leading blanks; 0
 * when p is in none (a blank or a sentence's final mark).  Sentences end
 * at . ! ? before a space or the end (and their full-width forms), at a
 * table's '|' and at the end of a paragraph; the mark belongs to neither
 * side.  Found by looking only around p, so that a text whose phrases
 * match nowhere is never split.
 */
static int sentence_around(const struct normalized *nt, size_t p, size_t *b, size_t *e)
{
	const char *s = nt->text;
	size_t start = 0, i;

	for (i = p + 1; i-- > 0;) {
		size_t n = i < p ? sentence_end(s, i, nt->len) : 0;

		if (n) {
			if (i + n > p)
				return 0;	/* p is inside the mark */
			start = i + n;
			break;
		}
		if (para_end(nt, i)) {
			start = i;
			break;
		}
	}
	for (i = p; i < nt->len; i++)
		if (sentence_end(s, i, nt->len) || (i != start && para_end(nt, i)))
			break;
	while (start < i && s[start] == ' ')
		start++;
	if (p < start || p >= i)
		return 0;
	*b = start;
	*e = i;
	return 1;
}

/*
 * Runs one phrase over the whole text, once, and over each sentence it
 * is found in as a sentence of its own: the same answers as running it on
 * every sentence, for a fraction of the calls (most sentences hold no
 * phrase).  After a sentence is done the search goes on at its end, so a
 * match that straddles two sentences hides nothing.
 */
static void phrase(struct search *sr, const pcre2_code *code, int before, size_t order)
{
	const struct normalized *nt = sr->nt;
	size_t at = 0, b, e;

	while (at < nt->len) {
		PCRE2_SIZE *ov;

		if (pcre2_match(code, (PCRE2_SPTR)nt->text, nt->len, at, 0, sr->md, sr->mctx) < 0)
			break;
		ov = pcre2_get_ovector_pointer(sr->md);
		if (!sentence_around(nt, ov[0], &b, &e)) {	/* between sentences */
			at = ov[1] > at ? ov[1] : at + 1;
			continue;
		}
		phrase_in_sentence(sr, code, before, order, b, e);
		at = e > at ? e : at + 1;
	}
}

/* In text order: sentence, then phrase (file order), then position. */
static int cmp_found(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	if (x->phrase != y->phrase)
		return x->phrase < y->phrase ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

void derive_find_normalized(const struct rules *rules, const struct normalized *nt,
			    struct prefilter_text *pf, size_t first_line,
			    struct derivations *out)
{
	struct rule_patterns ph[2] = { rules_derives_from(rules), rules_derived_by(rules) };
	struct search sr = { rules, nt, pf, NULL, NULL, { NULL, 0, 0 } };

	if (!nt->len || (!ph[0].n && !ph[1].n))
		return;
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < ph[k].n; i++) {
			if (pf && !prefilter_may_match(pf, &ph[k].v[i], 0))
				continue;	/* cannot match: most cards, most phrases */
			if (!sr.md) {
				sr.md = pcre2_match_data_create(rules_max_captures(rules) + 1, NULL);
				sr.mctx = pcre2_match_context_create(NULL);
				if (!sr.md || !sr.mctx)
					goto done;
				pcre2_set_match_limit(sr.mctx, RULES_MATCH_LIMIT);
				pcre2_set_depth_limit(sr.mctx, RULES_DEPTH_LIMIT);
			}
			rules_jit_pattern(rules, &ph[k].v[i]);
			phrase(&sr, ph[k].v[i].code, k, k * ph[0].n + i);
		}
	}
	if (sr.found.n)
		qsort(sr.found.v, sr.found.n, sizeof(*sr.found.v), cmp_found);
	for (size_t i = 0; i < sr.found.n; i++) {
		struct found *f = &sr.found.v[i];

		add(out, f->base, nt->text + f->b, f->e - f->b,
		    normalized_line(nt, f->b) + first_line - 1);
		f->base = NULL;
	}
done:
	for (size_t i = 0; i < sr.found.n; i++)
		free(sr.found.v[i].base);
	free(sr.found.v);
	pcre2_match_data_free(sr.md);
	pcre2_match_context_free(sr.mctx);
}

void derive_find(const struct rules *rules, const char *text, size_t len,
		 size_t first_line, struct derivations *out)
{
	struct normalized nt = NORMALIZED_INIT;

	if (!text || !len)
		return;
	normalize_text(&nt, text, len);
	derive_find_normalized(rules, &nt, NULL, first_line, out);
	normalized_release(&nt);
}
