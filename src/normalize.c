/*
 * normalize.c: text normalisation for matching (normalize.h).
 *
 * Owns turning any bytes into the normalised text that rule patterns are
 * written against (rules/README.md), with a map from each normalised byte
 * back to its original line.  The text is handled one original line at a
 * time: decode (invalid UTF-8 and NUL become U+FFFD), fold characters
 * (case, quotes, dashes, spaces), strip line-start markup (quotes,
 * headings, bullets), then strip inline markup (emphasis, escapes, HTML
 * tags, links) while collapsing white space.  Lines are joined with one
 * space, except a word hyphenated across a hard wrap ("non-\ntransferable"),
 * which is joined without one.  Copyright lines are rolled back out.
 * Speed: printable ASCII skips decoding and fold(), and emit_inline()
 * copies runs of plain words in one go (emit_plain_run()); each fast path
 * must give exactly what the general one would.  Room for a line's output
 * is made once, before the line is emitted.
 * Guarantees: the output is valid UTF-8, NUL-terminated, never contains two
 * spaces in a row, and never starts or ends with a space.  No state, no
 * printing, never fails.
 */
#include <stdlib.h>
#include <string.h>

#include "modelcensus/normalize.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

/*
 * Scratch for one line's folded code points.  do_line() makes room for as
 * many code points as the line has bytes before folding it: every decoded
 * code point takes at least one byte and folds to at most one code point,
 * except the ellipsis, three bytes that fold to "...".  So pushing needs
 * no check.
 */
struct cpbuf {
	uint32_t *v;
	size_t n, alloc;
};

static inline void cp_push(struct cpbuf *b, uint32_t cp)
{
	b->v[b->n++] = cp;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Converts UTF-16 (after its BOM) to UTF-8; unpaired surrogates become
 * U+FFFD.  The caller owns the result. */
static char *utf16_to_utf8(const unsigned char *s, size_t n, int big_endian,
			   size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	char enc[4];
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1])
					: (uint32_t)(s[i + 1] << 8 | s[i]);

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
						 : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else {
				u = 0xFFFD;
			}
		} else if (u >= 0xD800 && u <= 0xDFFF) {
			u = 0xFFFD;
		}
		if (!u)
			u = 0xFFFD;
		strbuf_add(&sb, enc, utf8_encode(u, enc));
	}
	*out_len = sb.len;
	return strbuf_detach(&sb);
}

/* Folds one code point into b: ASCII lower case, quotes, dashes, spaces,
 * zero-width characters dropped, the ellipsis spelled out. */
static void fold(struct cpbuf *b, uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z') {
		cp_push(b, cp + 32);
		return;
	}
	switch (cp) {
	case '\t': case '\r': case '\v': case '\f':
	case 0xA0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
		cp_push(b, ' ');
		return;
	case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
	case 0xAD:	/* soft hyphen */
		return;
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
	case 0x2039: case 0x203A:
		cp_push(b, '\'');
		return;
	case '`':	/* backticks (inline code) are dropped */
		return;
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0xAB: case 0xBB:
		cp_push(b, '"');
		return;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		cp_push(b, '-');
		return;
	case 0x2026:
		cp_push(b, '.'); cp_push(b, '.'); cp_push(b, '.');
		return;
	case 0x2022: case 0x25CF: case 0x25E6: case 0x2023: case 0x2043:
		cp_push(b, '*');	/* bullets: handled as markdown bullets */
		return;
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200A) {
		cp_push(b, ' ');
		return;
	}
	if (cp < 0x20 && cp != '\n')
		cp = ' ';
	cp_push(b, cp);
}

static int is_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_alnum(uint32_t c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static int is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static int is_ascii_punct(uint32_t c)
{
	return c > 0x20 && c < 0x7F && !is_alnum(c);
}

/* Skips spaces from i; returns the new index. */
static size_t skip_spaces(const struct cpbuf *b, size_t i)
{
	while (i < b->n && b->v[i] == ' ')
		i++;
	return i;
}

/* Strips line-start markup: blockquote marks, a heading mark, one bullet
 * ("-", "*", "+", a folded bullet character, or 1 to 3 digits and "." or
 * ")", a backslash escape allowed before the dot); returns where the
 * content starts. */
static size_t strip_line_start(const struct cpbuf *b)
{
	size_t i = skip_spaces(b, 0), j;

	while (i < b->n && b->v[i] == '>')
		i = skip_spaces(b, i + 1);
	j = i;
	while (j < b->n && b->v[j] == '#' && j - i < 6)
		j++;
	if (j > i && (j == b->n || b->v[j] == ' '))
		i = skip_spaces(b, j);
	if (i + 1 < b->n && (b->v[i] == '-' || b->v[i] == '*' || b->v[i] == '+') &&
	    b->v[i + 1] == ' ')
		return skip_spaces(b, i + 1);
	j = i;
	while (j < b->n && is_digit(b->v[j]) && j - i < 3)
		j++;
	if (j > i && j < b->n && b->v[j] == '\\' && j + 1 < b->n)
		j++;
	if (j > i && j < b->n && (b->v[j] == '.' || b->v[j] == ')') &&
	    (j + 1 == b->n || b->v[j + 1] == ' '))
		return skip_spaces(b, j + 1);
	return i;
}

/* A line of only rule characters (---, ***, ===, |---|:--|, ```): a
 * horizontal rule, a setext underline, a table rule or a code fence. */
static int is_rule_line(const struct cpbuf *b)
{
	size_t marks = 0;

	for (size_t i = 0; i < b->n; i++) {
		uint32_t c = b->v[i];

		if (c == '-' || c == '*' || c == '_' || c == '=' || c == '~' ||
		    c == '#' || c == '`')
			marks++;
		else if (c != ' ' && c != '|' && c != ':')
			return 0;
	}
	return marks >= 3;
}

static const char *const block_tags[] = {
	"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "hr",
	"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", NULL,
};

/* If an HTML tag or comment starts at i, returns the index after it and
 * sets *block when the tag separates words; else returns i. */
static size_t html_tag_end(const struct cpbuf *b, size_t i, int *block)
{
	size_t j = i + 1, name_start, name_len;
	char name[16];

	*block = 0;
	if (j + 2 < b->n && b->v[j] == '!' && b->v[j + 1] == '-' && b->v[j + 2] == '-') {
		for (j += 3; j + 2 < b->n; j++)
			if (b->v[j] == '-' && b->v[j + 1] == '-' && b->v[j + 2] == '>')
				return j + 3;
		return i;
	}
	if (j < b->n && (b->v[j] == '/' || b->v[j] == '!'))
		j++;
	name_start = j;
	if (j >= b->n || !(b->v[j] >= 'a' && b->v[j] <= 'z'))
		return i;
	while (j < b->n && ((b->v[j] >= 'a' && b->v[j] <= 'z') || is_digit(b->v[j]) ||
			    b->v[j] == '-'))
		j++;
	if (j >= b->n || !(b->v[j] == ' ' || b->v[j] == '>' || b->v[j] == '/'))
		return i;
	name_len = j - name_start;
	for (; j < b->n && b->v[j] != '>'; j++)
		if (b->v[j] == '<')
			return i;
	if (j >= b->n)
		return i;
	if (name_len < sizeof(name)) {
		for (size_t k = 0; k < name_len; k++)
			name[k] = (char)b->v[name_start + k];
		name[name_len] = '\0';
		for (size_t k = 0; block_tags[k]; k++)
			if (!strcmp(name, block_tags[k]))
				*block = 1;
	}
	return j + 1;
}

/*
 * Output state shared by the line passes.  do_line() makes room in text
 * and line_of for the most a line can emit before emitting it, so the
 * helpers below append without checks.
 */
struct emitter {
	struct normalized *n;
	uint32_t line;		/* 1-based original line being emitted */
	int pending_space;	/* a space is owed before the next byte */
	int pending_hyphen;	/* the last line ended "word-": join without space */
	size_t line_bytes;	/* bytes the current line has emitted */
};

static inline void out_byte(struct normalized *n, char c, uint32_t line)
{
	n->text[n->len] = c;
	n->line_of[n->len] = line;
	n->len++;
}

/* Pays what is owed before the non-space code point cp: the hyphen join
 * ("non-" + "t") and the pending space. */
static inline void emit_pending(struct emitter *e, uint32_t cp)
{
	struct normalized *n = e->n;

	if (e->pending_hyphen) {
		if (!(cp >= 'a' && cp <= 'z'))
			e->pending_space = 1;
		e->pending_hyphen = 0;
	}
	if (e->pending_space && n->len) {
		/* a space inside the line is the line's; one before it joins lines */
		out_byte(n, ' ', e->line_bytes ? e->line : n->line_of[n->len - 1]);
		if (e->line_bytes)
			e->line_bytes++;
	}
	e->pending_space = 0;
}

/* Emits one folded code point of text (a space only marks a pending one). */
static inline void emit(struct emitter *e, uint32_t cp)
{
	struct normalized *n = e->n;
	char enc[4];
	size_t k, len;

	if (cp == ' ') {
		if (n->len)
			e->pending_space = 1;
		return;
	}
	if (e->pending_space || e->pending_hyphen)
		emit_pending(e, cp);
	if (cp < 0x80) {
		out_byte(n, (char)cp, e->line);
		e->line_bytes++;
		return;
	}
	len = utf8_encode(cp, enc);
	for (k = 0; k < len; k++)
		out_byte(n, enc[k], e->line);
	e->line_bytes += len;
}

/* True when the line's emitted text ends "licen" and the code point to come
 * is the c of "licence" (also licences, licenced, licencing, licencor). */
static int at_licence(const struct emitter *e, const struct cpbuf *b, size_t i)
{
	const struct normalized *n = e->n;

	if (b->v[i] != 'c' || i + 1 >= b->n || e->line_bytes < 5)
		return 0;
	if (b->v[i + 1] != 'e' && b->v[i + 1] != 'i' && b->v[i + 1] != 'o')
		return 0;
	return !memcmp(n->text + n->len - 5, "licen", 5);
}

/* ASCII characters where emit_inline() may do more than copy: those that
 * can start markup, and the c of "licence". */
static const unsigned char inline_special[128] = {
	['\\'] = 1, ['*'] = 1, ['_'] = 1, ['<'] = 1, ['!'] = 1, ['['] = 1,
	['c'] = 1,
};

/* A code point emit_inline() copies as it is, in runs: printable ASCII
 * but the space and inline_special. */
static inline int is_plain(uint32_t c)
{
	return c > ' ' && c < 0x7F && !inline_special[c];
}

/* Emits the run of plain code points that starts at i, words with single
 * spaces between them (the common case), in one go; returns the index
 * after it. */
static size_t emit_plain_run(struct emitter *e, const struct cpbuf *b, size_t i)
{
	struct normalized *n = e->n;
	char *text;
	uint32_t *line_of, line = e->line;
	size_t start = i;

	if (e->pending_space || e->pending_hyphen)
		emit_pending(e, b->v[i]);
	/* through locals: a store to text[] could alias n->len for the compiler */
	text = n->text + n->len;
	line_of = n->line_of + n->len;
	for (;;) {
		for (; i < b->n && is_plain(b->v[i]); i++) {
			*text++ = (char)b->v[i];
			*line_of++ = line;
		}
		if (i + 1 >= b->n || b->v[i] != ' ' || !is_plain(b->v[i + 1]))
			break;
		/* one space between words: emit() would owe it, then pay it */
		*text++ = ' ';
		*line_of++ = line;
		i++;
	}
	n->len += i - start;
	e->line_bytes += i - start;
	return i;
}

/* Emits the inline content of a line from index i: emphasis, escapes,
 * HTML tags and link syntax removed. */
static void emit_inline(struct emitter *e, const struct cpbuf *b, size_t i)
{
	while (i < b->n) {
		uint32_t c = b->v[i];
		int block;
		size_t j;

		if (is_plain(c)) {
			i = emit_plain_run(e, b, i);
			continue;
		}
		if (c == ' ') {
			emit(e, ' ');
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < b->n && is_ascii_punct(b->v[i + 1])) {
			if (b->v[i + 1] != '*')	/* a star never matters in a phrase */
				emit(e, b->v[i + 1]);
			i += 2;
			continue;
		}
		if (c == '*') {
			i++;
			continue;
		}
		if (c == '_') {
			size_t run = i;

			while (run < b->n && b->v[run] == '_')
				run++;
			if (i > 0 && run < b->n && is_alnum(b->v[i - 1]) && is_alnum(b->v[run])) {
				for (; i < run; i++)
					emit(e, '_');
			} else {
				i = run;
			}
			continue;
		}
		if (c == '<') {
			if (i + 1 < b->n && (b->v[i + 1] == 'h' || b->v[i + 1] == 'm')) {
				/* autolink <https://...> or <mailto:...>: keep the target */
				for (j = i + 1; j < b->n && b->v[j] != '>' && b->v[j] != ' '; j++)
					;
				if (j < b->n && b->v[j] == '>' && j > i + 6 &&
				    (b->v[i + 1] == 'm' || b->v[i + 2] == 't')) {
					size_t k;
					int url = 0;

					for (k = i + 1; k < j; k++)
						if (b->v[k] == ':')
							url = 1;
					if (url) {
						for (k = i + 1; k < j; k++)
							emit(e, b->v[k]);
						i = j + 1;
						continue;
					}
				}
			}
			j = html_tag_end(b, i, &block);
			if (j != i) {
				if (block)
					emit(e, ' ');
				i = j;
				continue;
			}
		}
		if (c == '!' && i + 1 < b->n && b->v[i + 1] == '[') {
			i++;
			continue;
		}
		if (c == '[') {
			/* [text](url) -> text */
			for (j = i + 1; j < b->n && b->v[j] != ']'; j++)
				;
			if (j + 1 < b->n && b->v[j + 1] == '(') {
				size_t k;

				for (k = j + 2; k < b->n && b->v[k] != ')' && b->v[k] != ' '; k++)
					;
				if (k < b->n && b->v[k] == ')') {
					size_t t;

					for (t = i + 1; t < j; t++) {
						if (b->v[t] != '*' && b->v[t] != '\\')
							emit(e, b->v[t]);
					}
					i = k + 1;
					continue;
				}
			}
		}
		if (at_licence(e, b, i)) {
			emit(e, 's');
			i++;
			continue;
		}
		emit(e, c);
		i++;
	}
}

static int starts_with(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !memcmp(s, p, k);
}

/* A copyright line: "copyright" with "(c)", "©", a year or a year
 * placeholder in its first 80 bytes; "©" or "(c) <digit>" at its start; or
 * "all rights reserved" alone. */
static int is_copyright(const char *s, size_t n)
{
	size_t lim = n < 80 ? n : 80, i;

	if (starts_with(s, n, "\xc2\xa9") ||
	    (starts_with(s, n, "(c) ") && n > 4 && s[4] >= '0' && s[4] <= '9'))
		return 1;
	if (starts_with(s, n, "all rights reserved") && n <= 21)
		return 1;
	if (!starts_with(s, n, "copyright") && !starts_with(s, n, "portions copyright"))
		return 0;
	for (i = 0; i < lim; i++) {
		if (starts_with(s + i, lim - i, "(c)") ||
		    starts_with(s + i, lim - i, "\xc2\xa9") ||
		    starts_with(s + i, lim - i, "<year>") ||
		    starts_with(s + i, lim - i, "[yyyy]") ||
		    starts_with(s + i, lim - i, "[year]") ||
		    starts_with(s + i, lim - i, "{yyyy}"))
			return 1;
		if (i + 4 <= lim && (s[i] == '1' || s[i] == '2') &&
		    (s[i + 1] == '9' || s[i + 1] == '0') &&
		    s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9' &&
		    (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9')) &&
		    (i + 4 == lim || !(s[i + 4] >= '0' && s[i + 4] <= '9')))
			return 1;
	}
	return 0;
}

/* Normalises one original line (bytes s[0..len), no newline). */
static void do_line(struct emitter *e, struct cpbuf *b, const char *s, size_t len)
{
	struct normalized *n = e->n;
	struct norm_line *nl;
	size_t i = 0, start_len = n->len, bad_bytes = 0;
	int saved_space = e->pending_space, saved_hyphen = e->pending_hyphen;

	ALLOC_GROW(n->lines, n->n_lines + 1, n->lines_alloc);
	nl = &n->lines[n->n_lines++];
	nl->off = n->len;
	nl->len = 0;
	nl->kind = NL_BLANK;
	e->line = (uint32_t)n->n_lines;
	e->line_bytes = 0;

	ALLOC_GROW(b->v, len, b->alloc);
	b->n = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t step;

		if (c >= ' ' && c < 0x7F && c != '`') {
			/* printable ASCII: fold() would only lower its case */
			cp_push(b, c >= 'A' && c <= 'Z' ? c + 32u : c);
			i++;
			continue;
		}
		step = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (!cp)
			cp = UTF8_INVALID;	/* NUL is no text */
		if (step == 1 && cp == UTF8_INVALID)
			bad_bytes++;
		i += step;
		fold(b, cp);
	}
	/*
	 * Room for all the line can emit.  A code point folds to no more
	 * UTF-8 bytes than it was decoded from, but for a bad byte, which
	 * becomes the three of U+FFFD.  Markup only removes, and a space is
	 * emitted only before text, for white space or a tag that emitted
	 * nothing itself, or once to join this line to the last.
	 */
	ALLOC_GROW(n->text, n->len + len + 2 * bad_bytes + 1, n->alloc);
	ALLOC_GROW(n->line_of, n->len + len + 2 * bad_bytes + 1, n->line_of_alloc);
	if (is_rule_line(b)) {
		e->pending_space = 1;
		return;
	}
	emit_inline(e, b, strip_line_start(b));
	nl = &n->lines[n->n_lines - 1];
	if (!e->line_bytes) {
		/* a blank line ends a paragraph: no hyphen join across it */
		if (e->pending_hyphen) {
			e->pending_hyphen = 0;
			e->pending_space = 1;
		}
		nl->off = n->len;
		return;
	}
	nl->len = e->line_bytes;
	if (is_copyright(n->text + n->len - nl->len, nl->len)) {
		n->len = start_len;
		nl->off = n->len;
		nl->len = 0;
		nl->kind = NL_COPYRIGHT;
		e->pending_space = saved_space;
		e->pending_hyphen = saved_hyphen;
		return;
	}
	nl->off = n->len - nl->len;
	nl->kind = NL_TEXT;
	if (nl->len >= 2 && n->text[n->len - 1] == '-' &&
	    n->text[n->len - 2] >= 'a' && n->text[n->len - 2] <= 'z')
		e->pending_hyphen = 1;
	else
		e->pending_space = 1;
}

void normalize_text(struct normalized *out, const char *in, size_t len)
{
	struct emitter e = { out, 0, 0, 0, 0 };
	struct cpbuf b = { NULL, 0, 0 };
	char *converted = NULL;
	const unsigned char *u = (const unsigned char *)in;
	size_t i, start;

	out->len = 0;
	out->n_lines = 0;
	if (len > NORMALIZE_MAX_INPUT)
		len = NORMALIZE_MAX_INPUT;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		converted = utf16_to_utf8(u + 2, len - 2, u[0] == 0xFE, &len);
		in = converted;
	}
	/* plain text shrinks: this is usually all the room it needs */
	ALLOC_GROW(out->text, len + 1, out->alloc);
	ALLOC_GROW(out->line_of, len + 1, out->line_of_alloc);
	for (start = 0; start < len; start = i + 1) {
		const char *nl = memchr(in + start, '\n', len - start);

		i = nl ? (size_t)(nl - in) : len;
		do_line(&e, &b, in + start, i - start);
	}
	ALLOC_GROW(out->text, out->len + 1, out->alloc);
	ALLOC_GROW(out->line_of, out->len + 1, out->line_of_alloc);
	out->text[out->len] = '\0';
	out->line_of[out->len] = out->len ? out->line_of[out->len - 1] : 1;
	free(b.v);
	free(converted);
}

void normalized_release(struct normalized *n)
{
	free(n->text);
	free(n->line_of);
	free(n->lines);
	memset(n, 0, sizeof(*n));
}

size_t normalized_line(const struct normalized *n, size_t off)
{
	if (!n->len)
		return 1;
	if (off >= n->len)
		off = n->len - 1;
	return n->line_of[off];
}
