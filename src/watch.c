/*
 * watch.c: the record of what a model's reading depended on, and its
 * fingerprint (watch.h).  Every recorded path contributes its name and,
 * from stat(), device, inode, type, size, modification and change times,
 * in the order recorded; an absent path contributes a fixed marker.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/watch.h"
#include "modelcensus/banned.h"

#define ABSENT_MARK 0x9e3779b97f4a7c15ull

void watch_init(struct watch *w)
{
	struct watch blank = WATCH_INIT;

	*w = blank;
}

void watch_release(struct watch *w)
{
	strbuf_release(&w->paths);
	watch_init(w);
}

static uint64_t fold(uint64_t h, const char *rel, size_t n, const struct stat *st)
{
	h = hash_bytes(h, rel, n);
	if (!st)
		return hash_word(h, ABSENT_MARK);
	h = hash_word(h, (uint64_t)st->st_dev);
	h = hash_word(h, (uint64_t)st->st_ino);
	h = hash_word(h, (uint64_t)st->st_mode);
	h = hash_word(h, (uint64_t)st->st_size);
	h = hash_word(h, (uint64_t)st->st_mtim.tv_sec);
	h = hash_word(h, (uint64_t)st->st_mtim.tv_nsec);
	h = hash_word(h, (uint64_t)st->st_ctim.tv_sec);
	return hash_word(h, (uint64_t)st->st_ctim.tv_nsec);
}

/* path below model_path, as stored: relative, or absolute when outside */
static const char *relative(const char *model_path, const char *path)
{
	size_t n = strlen(model_path);

	if (!strncmp(path, model_path, n)) {
		if (path[n] == '\0')
			return ".";
		if (path[n] == '/')
			return path + n + 1;
	}
	return path;
}

void watch_add(struct watch *w, const char *model_path, const char *path,
	       const struct stat *st)
{
	const char *rel = relative(model_path, path);

	if (strchr(rel, '\n') || !*rel) {
		w->broken = 1;	/* cannot be stored one per line */
		return;
	}
	strbuf_adds(&w->paths, rel);
	strbuf_addch(&w->paths, '\n');
	w->hash = fold(w->hash, rel, strlen(rel), st);
}

void watch_stat(struct watch *w, const char *model_path, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		watch_add(w, model_path, path, &st);
	else if (errno == ENOENT || errno == ENOTDIR)
		watch_add(w, model_path, path, NULL);
	else
		w->broken = 1;
}

uint64_t watch_signature(const struct watch *w)
{
	return w->broken || !w->paths.len ? 0 : w->hash | 1;
}

/* the path to stat for a stored (relative or absolute) path of n bytes;
 * NULL when it does not fit (a rescan's hot path: no formatting) */
static const char *on_disk(char *buf, size_t size, const char *model_path,
			   const char *rel, size_t n)
{
	size_t m = 0;

	if (*rel != '/') {
		m = strlen(model_path);
		if (n == 1 && *rel == '.')
			n = 0;	/* the model itself */
		if (m + 1 + n >= size)
			return NULL;
		memcpy(buf, model_path, m);
		if (n)
			buf[m++] = '/';
	} else if (n >= size) {
		return NULL;
	}
	memcpy(buf + m, rel, n);
	buf[m + n] = '\0';
	return buf;
}

uint64_t watch_recheck(int dirfd, const char *model_path, const char *paths)
{
	char full[PATH_MAX];
	uint64_t h = HASH_SEED;
	const char *p = paths;

	if (!p || !*p)
		return 0;
	while (*p && h) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct stat st;

		if (!on_disk(full, sizeof(full), model_path, p, n))
			return 0;
		if (fstatat(dirfd, full, &st, 0) == 0)
			h = fold(h, p, n, &st);
		else if (errno == ENOENT || errno == ENOTDIR)
			h = fold(h, p, n, NULL);
		else
			h = 0;
		p += n + (nl ? 1 : 0);
	}
	return h ? h | 1 : 0;
}
