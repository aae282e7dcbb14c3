/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz share: the invariant
 * check that turns a broken promise of a header into a crash, and an
 * in-memory reader for the checkpoint readers (checkpoint.h's ckpt_read_fn).
 *
 * Each target file (fuzz_<name>.c) defines two static functions,
 * fuzz_<name>_init() and fuzz_<name>_one(), and, unless FUZZ_NO_MAIN is
 * defined, the libFuzzer entry points that call them.  The regression test
 * (tests/unit/test_fuzz_regressions.c) defines FUZZ_NO_MAIN and includes
 * every target file, so that `make check` replays tests/fuzz/regressions
 * through exactly the code the fuzzer ran.  Everything here is static:
 * the targets are compiled into one translation unit there.
 */
#ifndef MC_FUZZ_H
#define MC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MC_RULES_SRC
#error "MC_RULES_SRC must name the source tree's rules directory (the Makefile defines it)"
#endif

/*
 * FUZZ_CHECK: a promise of a header that the result breaks is a finding,
 * like a crash: say which and abort, so that libFuzzer keeps the input
 * (and the regression test fails on it).
 */
#define FUZZ_CHECK(cond)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: broken invariant: %s\n",    \
				__FILE__, __LINE__, #cond);                 \
			abort();                                            \
		}                                                           \
	} while (0)

/*
 * A file served from memory.  fail_at, when not 0, makes the fail_at-th
 * call (1-based) and every later one return -1 (an I/O error); calls counts
 * the calls made, failed whether one failed.
 */
struct fuzz_mem {
	const uint8_t *data;
	size_t size;
	unsigned long calls, fail_at;
	int failed;
};

static inline long fuzz_mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct fuzz_mem *m = ctx;
	size_t n;

	m->calls++;
	if (m->fail_at && m->calls >= m->fail_at) {
		m->failed = 1;
		return -1;
	}
	if (off >= m->size)
		return 0;
	n = m->size - (size_t)off;
	if (n > len)
		n = len;
	/* a reader returns a long: never more than that in one call */
	if (n > (size_t)LONG_MAX)
		n = (size_t)LONG_MAX;
	if (n)
		memcpy(buf, m->data + off, n);
	return (long)n;
}

/* Is s (n bytes) valid UTF-8 (no overlong forms, no surrogates)? */
static inline int fuzz_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i <= k)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* Has s an ASCII upper-case letter? */
static inline int fuzz_has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	return 0;
}

/* Does s start or end with ASCII white space (what str_trim() removes)? */
static inline int fuzz_untrimmed(const char *s)
{
	size_t n = strlen(s);

	return n && (strchr(" \t\n\r\f\v", s[0]) || strchr(" \t\n\r\f\v", s[n - 1]));
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

#endif
