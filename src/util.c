/*
 * util.c: checked allocation, strbuf, strlist, ASCII string helpers and
 * capped file reading (util.h).  No state, no printing.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>
#include <unistd.h>

#include "modelcensus/util.h"
#include "modelcensus/banned.h"

int mc_error_set(struct mc_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void die_oom(size_t n)
{
	fprintf(stderr, "modelcensus: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrfmt(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;

	if (want < sb->len)
		die_oom(SIZE_MAX);
	if (want > sb->alloc) {
		size_t a = sb->alloc ? sb->alloc : 64;

		while (a < want)
			a *= 2;
		sb->buf = xrealloc(sb->buf, a);
		sb->alloc = a;
	}
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	strbuf_add(sb, &ch, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void strlist_add_nodup(struct strlist *l, char *s)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = s;
}

void strlist_add(struct strlist *l, const char *s)
{
	strlist_add_nodup(l, xstrdup(s));
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

int strlist_add_unique(struct strlist *l, const char *s)
{
	if (strlist_has(l, s))
		return 0;
	strlist_add(l, s);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

void strlist_sort_unique(struct strlist *l)
{
	size_t out = 0;

	strlist_sort(l);
	for (size_t i = 0; i < l->n; i++) {
		if (out && !strcmp(l->v[out - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[out++] = l->v[i];
	}
	l->n = out;
}

char *strlist_join(const struct strlist *l, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	if (!l->n)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strbuf_adds(&sb, sep);
		strbuf_adds(&sb, l->v[i]);
	}
	return strbuf_detach(&sb);
}

void strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

void str_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int str_iequal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int str_has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

int str_has_isuffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && str_iequal(s + n - m, suffix);
}

int path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) &&
	       (path[n] == '\0' || path[n] == '/' || (n == 1 && *dir == '/'));
}

char *path_absolute(const char *path)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = path;

	if (*path != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		strbuf_adds(&out, cwd);
	}
	/* component by component: empty ones and "." are dropped */
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n && !(n == 1 && *p == '.')) {
			strbuf_addch(&out, '/');
			strbuf_add(&out, p, n);
		}
		p += n + (slash ? 1 : 0);
	}
	if (!out.len)
		strbuf_addch(&out, '/');
	return strbuf_detach(&out);
}

char *str_trim(char *s)
{
	char *start = s, *end;

	while (*start && isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	memmove(s, start, (size_t)(end - start));
	s[end - start] = '\0';
	return s;
}

uint64_t hash_word(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 1099511628211ull;
	return h ^ (h >> 32);
}

uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = hash_word(h, w);
	}
	w = 0;
	memcpy(&w, p, len);
	return hash_word(h, w | (uint64_t)(len + 1) << 56);
}

int read_file_capped(const char *path, size_t cap, char **out, size_t *len,
		     int *truncated, struct mc_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	*out = NULL;
	*len = 0;
	*truncated = 0;
	if (fd < 0)
		return mc_error_set(err, "cannot open '%s': %s", path,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mc_error_set(err, "'%s' is not a regular file", path);
	}
	/* room for the size stat() gave and a byte more, so the read that
	 * sees the end needs no more: a buffer grown by 64 KB for it would
	 * be a 128 KB mmap() for every small file */
	strbuf_grow(&sb, st.st_size > 0 && (uint64_t)st.st_size < cap ?
			 (size_t)st.st_size + 1 : 4096);
	sb.buf[0] = '\0';	/* an empty file is an empty string */
	while (sb.len < cap) {
		size_t want = sb.alloc - sb.len - 1;
		ssize_t n;

		if (!want) {
			want = cap - sb.len < 65536 ? cap - sb.len : 65536;
			strbuf_grow(&sb, want);
		}
		if (want > cap - sb.len)
			want = cap - sb.len;
		n = read(fd, sb.buf + sb.len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			mc_error_set(err, "cannot read '%s': %s", path,
				     strerror(errno));
			close(fd);
			strbuf_release(&sb);
			return -1;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
	}
	if (sb.len >= cap) {
		char c;

		*truncated = read(fd, &c, 1) == 1;
	}
	close(fd);
	*len = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; c &= 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; c &= 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; c &= 0x07; min = 0x10000;
	} else {
		goto invalid;
	}
	if (n < len)
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto invalid;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto invalid;
	*cp = c;
	return len;
invalid:
	*cp = UTF8_INVALID;
	return 1;
}

char *utf8_repair(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	size_t left = strlen(s);
	uint32_t cp;

	while (left) {
		size_t n = utf8_decode((const unsigned char *)s, left, &cp);

		if (n == 1 && cp == UTF8_INVALID)
			strbuf_adds(&sb, "\xEF\xBF\xBD");
		else
			strbuf_add(&sb, s, n);
		s += n;
		left -= n;
	}
	return strbuf_detach(&sb);
}

struct json_t *json_text(const char *s)
{
	char *valid;
	json_t *j;

	if (!s)
		return json_null();
	valid = utf8_repair(s);
	j = json_string(valid);
	free(valid);
	return j;
}
