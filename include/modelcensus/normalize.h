/*
 * normalize.h: the text normalisation that every rule pattern is written
 * against (rules/README.md, "Text is normalised before matching").
 *
 * normalize.c owns: turning a license text (any bytes: invalid UTF-8, NUL
 * bytes, CRLF, UTF-16 with a BOM) into lower-case, single-spaced, valid
 * UTF-8 without markdown, HTML tags or copyright lines, and keeping a map
 * from every normalised byte back to the original line.  It never matches
 * anything and never reads files.
 */
#ifndef MODELCENSUS_NORMALIZE_H
#define MODELCENSUS_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* What an original line turned into. */
enum norm_line_kind {
	NL_BLANK = 0,	/* nothing left: white space, markup only, rules (---) */
	NL_COPYRIGHT,	/* a copyright line, dropped from the text */
	NL_TEXT,	/* contributed text */
};

struct norm_line {
	size_t off;	/* normalised offset of the line's first byte */
	size_t len;	/* normalised bytes the line contributed (no joining space) */
	enum norm_line_kind kind;
};

/*
 * A normalised text.  text is NUL-terminated valid UTF-8 of len bytes;
 * line_of[i] is the 1-based original line of text[i] (a joining space
 * belongs to the line before it); lines[k] describes original line k + 1.
 * NORMALIZED_INIT owns nothing; normalize_text() reuses the buffers of a
 * struct it is given again, so a matcher keeps one per thread.
 */
struct normalized {
	char *text;
	size_t len, alloc;
	uint32_t *line_of;	/* len + 1 entries */
	size_t line_of_alloc;
	struct norm_line *lines;
	size_t n_lines, lines_alloc;
};
#define NORMALIZED_INIT { NULL, 0, 0, NULL, 0, NULL, 0, 0 }

/* Longest input normalised: longer input is cut there (line numbers stay
 * right for what is kept).  Bounded because line_of costs 4 bytes per
 * byte; license files are far smaller. */
#define NORMALIZE_MAX_INPUT (16u * 1024 * 1024)

/* Normalises in[0..len) into out (previous contents are replaced).  Never
 * fails: bytes that are not valid UTF-8 become U+FFFD. */
void normalize_text(struct normalized *out, const char *in, size_t len);
void normalized_release(struct normalized *n);

/* The original 1-based line of normalised offset off (clamped to the
 * text; 1 for an empty text). */
size_t normalized_line(const struct normalized *n, size_t off);

#endif
