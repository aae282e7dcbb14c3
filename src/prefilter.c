/*
 * prefilter.c: the literal prefilter (prefilter.h): deriving each text
 * pattern's literals when the catalog is compiled, and looking literals up
 * in one normalised text.
 *
 * Derivation.  Every match of a pattern contains each plain run of its
 * top-level sequence (and of any group that must match once); for a
 * required group of alternatives, it contains one of the alternatives'
 * runs.  These conditions ("clauses") let match.c skip a pattern without
 * running it.  Conservative: a run ends at anything that is not a plain
 * character (classes, '.', escapes other than escaped punctuation,
 * quantified characters); optional or repeated-{n} groups and lookarounds
 * give nothing; syntax this reader does not know (option settings, \Q,
 * verbs, escapes with arguments) gives no clause at all for the pattern.
 * Patterns are compiled caseless and texts are normalised to lower case,
 * so literals are lower case.
 *
 * Look-up.  A text's 3-byte sequences are hashed (trigram()) into a bitset;
 * a literal whose sequences are not all there cannot occur, which answers
 * most look-ups without reading the text; the others are memmem().  Each
 * literal's first offset is kept per text, since many patterns share one.
 *
 * The proof that this skips nothing is in `modelcensus rules test` and
 * tests/unit/test_match.c (prefilter.h).
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/prefilter.h"
#include "modelcensus/strmap.h"
#include "modelcensus/banned.h"

#define LITERAL_MIN 3		/* shorter runs are too common to help */

/* Clauses under construction: each a list of literals, one of which every
 * match contains. */
struct clause_list {
	struct strlist *v;
	size_t n, alloc;
};

struct lit_parser {
	const char *p;
	size_t i, n;
	int bad;		/* syntax not understood: no clause at all */
};

static void clauses_clear(struct clause_list *cl)
{
	for (size_t i = 0; i < cl->n; i++)
		strlist_clear(&cl->v[i]);
	free(cl->v);
	memset(cl, 0, sizeof(*cl));
}

static void clauses_push(struct clause_list *cl, struct strlist *lits)
{
	ALLOC_GROW(cl->v, cl->n + 1, cl->alloc);
	cl->v[cl->n++] = *lits;
	memset(lits, 0, sizeof(*lits));
}

/* Ends the current run: a run of LITERAL_MIN bytes or more is a clause. */
static void end_run(struct clause_list *cl, struct strbuf *run)
{
	if (run->len >= LITERAL_MIN) {
		struct strlist one = STRLIST_INIT;

		strlist_add(&one, strbuf_str(run));
		clauses_push(cl, &one);
	}
	strbuf_reset(run);
}

/* The longest one-literal clause of cl (the first on a tie), or NULL. */
static const char *longest_run(const struct clause_list *cl)
{
	const char *best = NULL;

	for (size_t i = 0; i < cl->n; i++)
		if (cl->v[i].n == 1 && (!best || strlen(cl->v[i].v[0]) > strlen(best)))
			best = cl->v[i].v[0];
	return best;
}

/* Is p at i a counted quantifier {n}, {n,}, {n,m} or {,m}?  Returns the
 * index just after its '}', else 0 (then '{' is a plain character). */
static size_t quantifier_end(const char *p, size_t i, size_t n)
{
	size_t j = i + 1, digits = 0;

	while (j < n && p[j] >= '0' && p[j] <= '9')
		j++, digits++;
	if (j < n && p[j] == ',') {
		j++;
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++, digits++;
	}
	return j < n && p[j] == '}' && digits ? j + 1 : 0;
}

/* Skips a character class starting at p[i] == '['; returns the index just
 * after its ']' (n when unterminated). */
static size_t class_end(const char *p, size_t i, size_t n)
{
	i++;
	if (i < n && p[i] == '^')
		i++;
	if (i < n && p[i] == ']')	/* a leading ']' is a member */
		i++;
	for (; i < n && p[i] != ']'; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < n && p[i + 1] == ':')	/* [:alpha:] */
			for (i += 2; i + 1 < n && !(p[i] == ':' && p[i + 1] == ']'); i++)
				;
	}
	return i < n ? i + 1 : n;
}

/* Skips a group whose '(' is at p[i - 1]; returns the index just after
 * its ')' (n when unterminated). */
static size_t group_end(const char *p, size_t i, size_t n)
{
	int depth = 1;

	while (i < n) {
		if (p[i] == '\\') {
			i += 2;
		} else if (p[i] == '[') {
			i = class_end(p, i, n);
		} else {
			if (p[i] == '(')
				depth++;
			else if (p[i] == ')' && !--depth)
				return i + 1;
			i++;
		}
	}
	return n;
}

static int quantified(const char *p, size_t i, size_t n)
{
	return i < n && (p[i] == '?' || p[i] == '*' || p[i] == '{');
}

static void parse_alt(struct lit_parser *lp, struct clause_list *out);

/* A group whose '(' is at p[i - 1]: adds its clauses to out when it must
 * match at least once. */
static void parse_group(struct lit_parser *lp, struct clause_list *out)
{
	const char *p = lp->p;
	size_t n = lp->n;
	struct clause_list sub = { NULL, 0, 0 };

	if (lp->i < n && p[lp->i] == '*') {	/* (*VERB) */
		lp->bad = 1;
		return;
	}
	if (lp->i < n && p[lp->i] == '?') {
		char t = lp->i + 1 < n ? p[lp->i + 1] : 0;
		char t2 = lp->i + 2 < n ? p[lp->i + 2] : 0;

		if (t == ':' || t == '>' || t == '|') {
			lp->i += 2;
		} else if (t == '=' || t == '!' || (t == '<' && (t2 == '=' || t2 == '!'))) {
			lp->i = group_end(p, lp->i, n);	/* lookaround: nothing */
			return;
		} else if (t == '<' || t == '\'' || (t == 'P' && t2 == '<')) {
			char close = t == '\'' ? '\'' : '>';

			for (lp->i += 2; lp->i < n && p[lp->i] != close; lp->i++)
				;
			lp->i++;
		} else {		/* option settings, comments, calls... */
			lp->bad = 1;
			return;
		}
	}
	parse_alt(lp, &sub);
	if (lp->bad || lp->i >= n || p[lp->i] != ')') {
		lp->bad = 1;
		clauses_clear(&sub);
		return;
	}
	lp->i++;
	if (!quantified(p, lp->i, n))
		for (size_t k = 0; k < sub.n; k++)
			clauses_push(out, &sub.v[k]);
	else
		for (size_t k = 0; k < sub.n; k++)
			strlist_clear(&sub.v[k]);
	free(sub.v);
}

/* One alternative: up to '|', ')' or the end. */
static void parse_seq(struct lit_parser *lp, struct clause_list *out)
{
	const char *p = lp->p;
	size_t n = lp->n, q;
	struct strbuf run = STRBUF_INIT;

	while (!lp->bad && lp->i < n && p[lp->i] != '|' && p[lp->i] != ')') {
		unsigned char c = (unsigned char)p[lp->i];
		unsigned char e = lp->i + 1 < n ? (unsigned char)p[lp->i + 1] : 0;

		if (c == '\\') {
			if (e == 'b' || e == 'B') {	/* zero-width: the run goes on */
				lp->i += 2;
			} else if (e && strchr("dDsSwWhHvVRXAzZGKntrfea", e) &&
				   !(e == 'N' && lp->i + 2 < n && p[lp->i + 2] == '{')) {
				end_run(out, &run);
				lp->i += 2;
			} else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
				   (e >= '0' && e <= '9') || e >= 0x80 || !e) {
				lp->bad = 1;	/* \x.., \p{..}, \1, \Q...: not read */
			} else {		/* escaped punctuation is itself */
				if (quantified(p, lp->i + 2, n)) {
					end_run(out, &run);
				} else {
					strbuf_addch(&run, e);
					if (lp->i + 2 < n && p[lp->i + 2] == '+')
						end_run(out, &run);
				}
				lp->i += 2;
			}
		} else if (c == '[') {
			end_run(out, &run);
			lp->i = class_end(p, lp->i, n);
		} else if (c == '(') {
			end_run(out, &run);
			lp->i++;
			parse_group(lp, out);
		} else if (c == '{' && (q = quantifier_end(p, lp->i, n))) {
			end_run(out, &run);
			lp->i = q;
		} else if (c == '.' || c == '^' || c == '$' || c == '?' || c == '*' ||
			   c == '+' || c == '{' || c >= 0x80 || quantified(p, lp->i + 1, n)) {
			end_run(out, &run);
			lp->i++;
		} else {
			strbuf_addch(&run, (c >= 'A' && c <= 'Z') ? c + 32 : c);
			if (e == '+')
				end_run(out, &run);
			lp->i++;
		}
	}
	end_run(out, &run);
	strbuf_release(&run);
}

/* Alternatives up to ')' or the end: one alternative gives its clauses;
 * several give one clause of each one's longest run, when each has one. */
static void parse_alt(struct lit_parser *lp, struct clause_list *out)
{
	struct clause_list alt = { NULL, 0, 0 };
	struct strlist either = STRLIST_INIT;
	int n_alts = 0, each = 1;

	for (;;) {
		const char *best;

		parse_seq(lp, &alt);
		if (lp->bad)
			break;
		if (!n_alts++ && (lp->i >= lp->n || lp->p[lp->i] != '|')) {
			for (size_t k = 0; k < alt.n; k++)
				clauses_push(out, &alt.v[k]);
			alt.n = 0;
			break;
		}
		best = longest_run(&alt);
		if (best)
			strlist_add_unique(&either, best);
		else
			each = 0;
		for (size_t k = 0; k < alt.n; k++)
			strlist_clear(&alt.v[k]);
		alt.n = 0;
		if (lp->i >= lp->n || lp->p[lp->i] != '|')
			break;
		lp->i++;
	}
	if (!lp->bad && n_alts > 1 && each && either.n)
		clauses_push(out, &either);
	strlist_clear(&either);
	clauses_clear(&alt);
}

size_t prefilter_literal_id(struct strmap *ids, const char *s)
{
	uint64_t id;

	if (!strmap_get(ids, s, &id)) {
		id = ids->n;
		strmap_put(ids, s, id, 1);
	}
	return (size_t)id;
}

static int cmp_len_desc(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

	return x > y ? -1 : x < y ? 1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* A one-literal clause that another one contains is dropped, and so is a
 * clause of alternatives one of which a one-literal clause contains: they
 * add no condition. */
void prefilter_derive(struct rule_pattern *rp, struct strmap *ids)
{
	struct lit_parser lp = { rp->source, 0, strlen(rp->source), 0 };
	struct clause_list cl = { NULL, 0, 0 };
	struct strlist singles = STRLIST_INIT;
	struct rule_clause *cv;
	const char *best;
	size_t i, j, k, nc = 0;

	rp->literal = NULL;
	rp->literal_len = 0;
	rp->clauses = NULL;
	rp->n_clauses = 0;
	parse_alt(&lp, &cl);
	if (lp.bad || lp.i < lp.n)
		goto done;
	best = longest_run(&cl);
	if (best) {
		rp->literal = xstrdup(best);
		rp->literal_len = strlen(best);
	}
	for (i = 0; i < cl.n; i++)
		if (cl.v[i].n == 1)
			strlist_add_unique(&singles, cl.v[i].v[0]);
	if (singles.n)
		qsort(singles.v, singles.n, sizeof(*singles.v), cmp_len_desc);
	/* longest first: drop a run a longer one contains */
	for (i = 0, k = 0; i < singles.n; i++) {
		for (j = 0; j < k && !strstr(singles.v[j], singles.v[i]); j++)
			;
		if (j < k)
			free(singles.v[i]);
		else
			singles.v[k++] = singles.v[i];
	}
	singles.n = k;
	cv = xcalloc(cl.n + 1, sizeof(*cv));
	for (i = 0; i < singles.n; i++) {
		struct rule_literal *lv = xcalloc(1, sizeof(*lv));

		lv->s = xstrdup(singles.v[i]);
		lv->len = strlen(lv->s);
		lv->id = prefilter_literal_id(ids, lv->s);
		cv[nc].v = lv;
		cv[nc++].n = 1;
	}
	for (i = 0; i < cl.n; i++) {
		struct rule_literal *lv;
		int implied = 0;

		if (cl.v[i].n < 2)
			continue;
		for (j = 0; j < cl.v[i].n && !implied; j++)
			for (k = 0; k < singles.n && !implied; k++)
				implied = strstr(singles.v[k], cl.v[i].v[j]) != NULL;
		if (implied)
			continue;
		lv = xcalloc(cl.v[i].n, sizeof(*lv));
		for (j = 0; j < cl.v[i].n; j++) {
			lv[j].s = xstrdup(cl.v[i].v[j]);
			lv[j].len = strlen(lv[j].s);
			lv[j].id = prefilter_literal_id(ids, lv[j].s);
		}
		cv[nc].v = lv;
		cv[nc++].n = cl.v[i].n;
	}
	if (nc) {
		rp->clauses = cv;
		rp->n_clauses = nc;
	} else {
		free(cv);
	}
done:
	strlist_clear(&singles);
	clauses_clear(&cl);
}

void prefilter_clear(struct rule_pattern *rp)
{
	free((char *)rp->literal);
	for (size_t j = 0; j < rp->n_clauses; j++) {
		const struct rule_clause *cl = &rp->clauses[j];

		for (size_t k = 0; k < cl->n; k++)
			free((char *)cl->v[k].s);
		free((void *)cl->v);
	}
	free((void *)rp->clauses);
	rp->literal = NULL;
	rp->literal_len = 0;
	rp->clauses = NULL;
	rp->n_clauses = 0;
}

/* Letters and digits in a literal: " to " says less than "limited". */
static size_t alnum_len(const struct rule_literal *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->len; i++)
		n += (l->s[i] >= 'a' && l->s[i] <= 'z') || (l->s[i] >= '0' && l->s[i] <= '9');
	return n;
}

/* The clause of p to look for: among those whose literals all have at
 * least 4 letters or digits, the one with the fewest literals (then the
 * first); else the one with the fewest. */
static const struct rule_clause *cover_clause(const struct rule_pattern *p)
{
	const struct rule_clause *best = NULL;
	int best_good = 0;

	for (size_t i = 0; i < p->n_clauses; i++) {
		const struct rule_clause *c = &p->clauses[i];
		int good = 1;

		for (size_t j = 0; j < c->n; j++)
			if (alnum_len(&c->v[j]) < 4)
				good = 0;
		if (!best || good > best_good || (good == best_good && c->n < best->n)) {
			best = c;
			best_good = good;
		}
	}
	return best;
}

int prefilter_cover(const struct rule_pattern *v, size_t n, struct prefilter_cover *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule_clause *c = cover_clause(&v[i]);

		if (!c) {
			prefilter_cover_clear(out);
			out->all = 1;
			return -1;
		}
		for (size_t j = 0; j < c->n; j++) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n++] = &c->v[j];
		}
	}
	/* a literal that holds another occurs only where the other does */
	for (size_t i = 0; i < out->n; i++) {
		for (size_t j = 0; j < out->n; j++) {
			if (i != j && out->v[j]->len <= out->v[i]->len &&
			    (out->v[j]->len < out->v[i]->len || j < i) &&
			    memmem(out->v[i]->s, out->v[i]->len, out->v[j]->s, out->v[j]->len)) {
				out->v[i--] = out->v[--out->n];
				break;
			}
		}
	}
	return 0;
}

void prefilter_cover_clear(struct prefilter_cover *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* ---- look-up ------------------------------------------------------------ */

#define TRIGRAM_BITS (1u << PREFILTER_TRIGRAM_LOG2)
#define ABSENT ((size_t)-1)	/* first[].pos: does not occur */

/*
 * The bit of the 3 bytes at p: their 24 bits times a 32-bit odd constant,
 * top PREFILTER_TRIGRAM_LOG2 bits (Fibonacci hashing).  Not hash_word():
 * this runs for every byte of every text and every literal, and a call
 * into util.c per byte made `identify` 40% slower (measured on the SPDX
 * texts); an index into a bitset is not a hash anything else shares.
 */
static unsigned trigram(const char *p)
{
	uint32_t v = ((uint32_t)(unsigned char)p[0] << 16) |
		     ((uint32_t)(unsigned char)p[1] << 8) | (unsigned char)p[2];

	return (unsigned)((v * 2654435761u) >> (32 - PREFILTER_TRIGRAM_LOG2));
}

void prefilter_text_init(struct prefilter_text *pt, size_t n_literals)
{
	memset(pt, 0, sizeof(*pt));
	pt->n_literals = n_literals;
	pt->first = xcalloc(n_literals ? n_literals : 1, sizeof(*pt->first));
}

void prefilter_text_release(struct prefilter_text *pt)
{
	free(pt->first);
	pt->first = NULL;
}

void prefilter_text_load(struct prefilter_text *pt, const char *text, size_t len)
{
	pt->text = text;
	pt->len = len;
	memset(pt->trigrams, 0, sizeof(pt->trigrams));
	for (size_t i = 0; i + 3 <= len; i++) {
		unsigned h = trigram(text + i);

		pt->trigrams[h / 64] |= (uint64_t)1 << (h % 64);
	}
	if (!++pt->gen) {	/* wrapped: no entry may look current */
		memset(pt->first, 0, pt->n_literals * sizeof(*pt->first));
		pt->gen = 1;
	}
}

/* 0 when s[0..n) certainly does not occur in the text (one of its 3-byte
 * sequences is missing), else where memmem finds it at or after from. */
static const char *find_literal(const struct prefilter_text *pt, size_t from,
				const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		unsigned h = trigram(s + i);

		if (!(pt->trigrams[h / 64] & ((uint64_t)1 << (h % 64))))
			return NULL;
	}
	return memmem(pt->text + from, pt->len - from, s, n);
}

size_t prefilter_next(struct prefilter_text *pt, const struct rule_literal *l, size_t from)
{
	struct prefilter_first *first = &pt->first[l->id];
	const char *hit;

	if (first->gen != pt->gen) {
		hit = find_literal(pt, 0, l->s, l->len);
		first->pos = hit ? (size_t)(hit - pt->text) : ABSENT;
		first->gen = pt->gen;
	}
	if (first->pos == ABSENT)
		return PREFILTER_NONE;
	if (first->pos >= from)
		return first->pos;
	if (from > pt->len)
		return PREFILTER_NONE;
	hit = find_literal(pt, from, l->s, l->len);
	return hit ? (size_t)(hit - pt->text) : PREFILTER_NONE;
}

int prefilter_has(struct prefilter_text *pt, const struct rule_literal *l, size_t from)
{
	return prefilter_next(pt, l, from) != PREFILTER_NONE;
}

int prefilter_may_match(struct prefilter_text *pt, const struct rule_pattern *p, size_t from)
{
	for (size_t i = 0; i < p->n_clauses; i++) {
		const struct rule_clause *c = &p->clauses[i];
		size_t j;

		for (j = 0; j < c->n && !prefilter_has(pt, &c->v[j], from); j++)
			;
		if (j == c->n)
			return 0;
	}
	return 1;
}
