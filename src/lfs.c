/*
 * lfs.c: Git LFS pointer files (checkpoint.h: lfs_pointer_parse), the small
 * text files a repository holds in place of weights it has not fetched.
 *
 * Owns: the pointer format (git-lfs docs/spec.md: a version line, then
 * sorted "key value" lines with one oid and one size).  Caps: a pointer is
 * shorter than LFS_POINTER_MAX bytes; longer data is never a pointer.
 */
#include <stdint.h>
#include <string.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/banned.h"

static int is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int lfs_pointer_parse(const char *data, size_t len, char **oid,
		      uint64_t *size)
{
	static const char *const versions[] = {
		"version https://git-lfs.github.com/spec/v1",
		"version https://hawser.github.com/spec/v1",	/* pre-release */
	};
	const char *p = data, *end = data + len, *oid_at = NULL;
	uint64_t n = 0;
	int have_size = 0, first = 1;

	if (!data || !len || len >= LFS_POINTER_MAX || memchr(data, '\0', len))
		return 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		size_t ll = (size_t)(line_end - p);

		if (ll && p[ll - 1] == '\r')
			ll--;
		if (first) {
			int ok = 0;

			for (size_t i = 0; i < 2; i++)
				if (ll == strlen(versions[i]) &&
				    !memcmp(p, versions[i], ll))
					ok = 1;
			if (!ok)
				return 0;
			first = 0;
		} else if (ll >= 4 && !memcmp(p, "oid ", 4)) {
			if (oid_at || ll != 4 + 7 + 64 ||
			    memcmp(p + 4, "sha256:", 7))
				return 0;
			for (size_t i = 0; i < 64; i++)
				if (!is_lower_hex(p[11 + i]))
					return 0;
			oid_at = p + 11;
		} else if (ll >= 5 && !memcmp(p, "size ", 5)) {
			if (have_size || ll == 5 || ll > 5 + 20)
				return 0;
			n = 0;
			for (size_t i = 5; i < ll; i++) {
				unsigned d = (unsigned)(p[i] - '0');

				if (d > 9 || n > (UINT64_MAX - d) / 10)
					return 0;
				n = n * 10 + d;
			}
			have_size = 1;
		} else if (ll) {
			/* other keys (ext-0-...): "key value", key in [a-z0-9.-] */
			size_t k = 0;

			while (k < ll && ((p[k] >= 'a' && p[k] <= 'z') ||
					  (p[k] >= '0' && p[k] <= '9') ||
					  p[k] == '.' || p[k] == '-'))
				k++;
			if (!k || k >= ll || p[k] != ' ')
				return 0;
		}
		p = eol ? eol + 1 : end;
	}
	if (!oid_at || !have_size)
		return 0;
	if (oid)
		*oid = xstrndup(oid_at, 64);
	if (size)
		*size = n;
	return 1;
}
