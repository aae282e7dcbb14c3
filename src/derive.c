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
static char *base_after(const struct rules *rules, const char *s, size_t e, size_t p)
{
	struct rule_family f;
	size_t n = e - p, id_len;
	long at;

	n = cut_after(s + p, n, DERIVE_AFTER + 100);
	at = find_id(s + p, n, &id_len);
	if (at >= 0 && (size_t)at <= DERIVE_AFTER)
		return xstrndup(s + p + at, id_len);
	if (rules_family_of(rules, s + p, n, &f) && f.start <= DERIVE_AFTER)
		return family_name(s, p + f.start, p + f.end, e);
	return NULL;
}

/* The base a phrase starting at text[q] follows: a family just before it. */
static char *base_before(const struct rules *rules, const char *s, size_t b, size_t q)
{
	struct rule_family f;
	size_t from = q > b + DERIVE_BEFORE + 40 ? q - DERIVE_BEFORE - 40 : b;

	for (size_t i = q; i > from; i--) {
		if (s[i - 1] == ',' || s[i - 1] == ';') {
			from = i;
			break;
		}
	}
	if (rules_family_of(rules, s + from, q - from, &f) &&
	    q - from - f.end <= DERIVE_BEFORE)
		return family_name(s, from + f.start, from + f.end, q);
	return NULL;
}

/* Runs the phrases on one sentence text[b..e). */
static void sentence(const struct rules *rules, const struct normalized *nt,
		     size_t b, size_t e, size_t first_line,
		     pcre2_match_data *md, pcre2_match_context *mctx,
		     struct derivations *out)
{
	const char *s = nt->text;
	struct rule_patterns ph[2];

	ph[0] = rules_derives_from(rules);
	ph[1] = rules_derived_by(rules);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < ph[k].n; i++) {
			size_t at = b;

			while (at < e) {
				PCRE2_SIZE *ov;
				char *base;

				if (pcre2_match(ph[k].v[i].code, (PCRE2_SPTR)s, e, at, 0, md, mctx) < 0)
					break;
				ov = pcre2_get_ovector_pointer(md);
				base = k == 0 ? base_after(rules, s, e, ov[1]) :
						base_before(rules, s, b, ov[0]);
				if (base)
					add(out, base, s + b, e - b,
					    normalized_line(nt, b) + first_line - 1);
				at = ov[1] > at ? ov[1] : at + 1;
			}
		}
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

void derive_find(const struct rules *rules, const char *text, size_t len,
		 size_t first_line, struct derivations *out)
{
	struct normalized nt = NORMALIZED_INIT;
	pcre2_match_data *md = NULL;
	pcre2_match_context *mctx = NULL;
	unsigned char *para_end = NULL;
	size_t b = 0;

	if (!text || !len || (!rules_derives_from(rules).n && !rules_derived_by(rules).n))
		return;
	normalize_text(&nt, text, len);
	md = pcre2_match_data_create(rules_max_captures(rules) + 1, NULL);
	mctx = pcre2_match_context_create(NULL);
	if (!md || !mctx)
		goto done;
	pcre2_set_match_limit(mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, RULES_DEPTH_LIMIT);
	/* a paragraph (a line before a blank one, a heading) ends a sentence */
	para_end = xcalloc(nt.len + 1, 1);
	for (size_t k = 0; k < nt.n_lines; k++) {
		const struct norm_line *l = &nt.lines[k];

		if (l->kind == NL_TEXT && l->len &&
		    (k + 1 == nt.n_lines || nt.lines[k + 1].kind == NL_BLANK))
			para_end[l->off + l->len] = 1;
	}
	for (size_t i = 0; i <= nt.len; i++) {
		size_t n = i < nt.len ? sentence_end(nt.text, i, nt.len) : 1;

		if (!n && !para_end[i])
			continue;
		while (b < i && nt.text[b] == ' ')
			b++;
		if (i > b)
			sentence(rules, &nt, b, i, first_line, md, mctx, out);
		b = i + (n ? n : 0);
		if (n > 1)
			i += n - 1;
	}
done:
	free(para_end);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	normalized_release(&nt);
}
