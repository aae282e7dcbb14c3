/*
 * util.h: the small utilities every module uses: checked allocation, a
 * growable string buffer, string lists and error reporting.
 *
 * Error convention (after libgit2): functions return 0 on success and a
 * negative value on failure; a failing function writes a message naming the
 * subject and the problem into the caller's struct mc_error.  Messages start
 * lower-case and have no final full stop.  Nothing here prints.
 */
#ifndef MODELCENSUS_UTIL_H
#define MODELCENSUS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define MC_ERROR_MAX 1024

struct mc_error {
	char msg[MC_ERROR_MAX];
};

/* Formats a message into err (when err is not NULL); always returns -1. */
int mc_error_set(struct mc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: out of memory aborts the process. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows an array so that it holds at least n elements of *alloc. */
#define ALLOC_GROW(ptr, n, alloc)                                           \
	do {                                                                \
		if ((n) > (alloc)) {                                        \
			(alloc) = (alloc) ? (alloc) * 2 : 8;                \
			if ((alloc) < (n))                                  \
				(alloc) = (n);                              \
			(ptr) = xrealloc((ptr), (alloc) * sizeof(*(ptr)));  \
		}                                                           \
	} while (0)

/*
 * A 64-bit change detector, a word at a time (the rules digest, the watch
 * records' fingerprints).  hash_word() is one step: FNV-1a's multiply, then
 * the high half folded into the low; for a given v it is a bijection of h,
 * so two inputs that differ in one word never hash alike.  hash_bytes()
 * runs it over data of any length (the tail word carries the length).
 */
#define HASH_SEED 1469598103934665603ull
uint64_t hash_word(uint64_t h, uint64_t v);
uint64_t hash_bytes(uint64_t h, const void *data, size_t len);

/*
 * A growable NUL-terminated string.  STRBUF_INIT is an empty buffer that
 * owns nothing; strbuf_release() frees and re-initialises it.
 */
struct strbuf {
	char *buf;
	size_t len, alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Hands the buffer to the caller (never NULL) and re-initialises sb. */
char *strbuf_detach(struct strbuf *sb);
/* The contents, "" when empty: never NULL. */
const char *strbuf_str(const struct strbuf *sb);

/* A list of owned strings. */
struct strlist {
	char **v;
	size_t n, alloc;
};
#define STRLIST_INIT { NULL, 0, 0 }

void strlist_add(struct strlist *l, const char *s);	/* copies s */
void strlist_add_nodup(struct strlist *l, char *s);	/* takes s */
int strlist_has(const struct strlist *l, const char *s);
/* Adds s unless already present; returns 1 when added. */
int strlist_add_unique(struct strlist *l, const char *s);
void strlist_sort(struct strlist *l);
/* Sorts and drops duplicates. */
void strlist_sort_unique(struct strlist *l);
/* Joins with sep into a new string; NULL when the list is empty. */
char *strlist_join(const struct strlist *l, const char *sep);
void strlist_clear(struct strlist *l);
/* Is path dir itself or below it?  (Both absolute and normalised; dir "/"
 * holds everything.) */
int path_within(const char *path, const char *dir);

/* ASCII helpers (locale-independent). */
void str_lower(char *s);
int str_iequal(const char *a, const char *b);
int str_has_suffix(const char *s, const char *suffix);
/*
 * path made absolute against the current directory without resolving
 * links: "." components, empty ones and a trailing '/' are dropped, ".."
 * kept (a link may stand before it).  "t/./m/" in /w gives "/w/t/m".
 * The caller frees the result; NULL when the current directory is unknown.
 */
char *path_absolute(const char *path);
int str_has_isuffix(const char *s, const char *suffix);
int str_has_prefix(const char *s, const char *prefix);
/* Trims ASCII white space at both ends in place; returns s. */
char *str_trim(char *s);

/* The one UTF-8 decoder: decodes the sequence at s (n > 0 bytes left);
 * returns its length (1..4) and its code point in *cp.  A byte that does
 * not start a valid, shortest-form sequence of a scalar value within n
 * bytes gives length 1 and UTF8_INVALID (U+FFFD); a valid U+FFFD is 3 long.
 * NUL is a valid code point here (0). */
#define UTF8_INVALID 0xFFFDu
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* A copy of s in which every byte that is not part of valid UTF-8 is
 * replaced by U+FFFD, so JSON writers never see invalid text. */
char *utf8_repair(const char *s);
/* A JSON string of s (NULL: JSON null) through jansson, which takes only
 * UTF-8: s repaired first.  For every JSON output (commands, the report). */
struct json_t;
struct json_t *json_text(const char *s);

/* Reads at most cap bytes of a file.  *truncated is set when the file was
 * larger.  The buffer is NUL-terminated and owned by the caller. */
int read_file_capped(const char *path, size_t cap, char **out, size_t *len,
		     int *truncated, struct mc_error *err);

#endif
