/*
 * watch.c: the record of what a model's reading depended on, and its
 * fingerprint (watch.h).  Every recorded path contributes its name and,
 * from stat(), device, inode, type, size, modification and change times,
 * in the order recorded; an absent path contributes a fixed marker.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/watch.h"
#include "modelcensus/strmap.h"
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

static uint64_t mix(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * 1099511628211ull;
	return h;
}

static uint64_t fold(uint64_t h, const char *rel, const struct stat *st)
{
	h = mix(h, fnv1a64(rel, 0));
	if (!st)
		return mix(h, ABSENT_MARK);
	h = mix(h, (uint64_t)st->st_dev);
	h = mix(h, (uint64_t)st->st_ino);
	h = mix(h, (uint64_t)st->st_mode);
	h = mix(h, (uint64_t)st->st_size);
	h = mix(h, (uint64_t)st->st_mtim.tv_sec);
	h = mix(h, (uint64_t)st->st_mtim.tv_nsec);
	h = mix(h, (uint64_t)st->st_ctim.tv_sec);
	return mix(h, (uint64_t)st->st_ctim.tv_nsec);
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
	w->hash = fold(w->hash, rel, st);
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

/* the path on disk of a stored (relative or absolute) path */
static void absolute(struct strbuf *out, const char *model_path, const char *rel)
{
	strbuf_reset(out);
	if (!strcmp(rel, "."))
		strbuf_adds(out, model_path);
	else if (*rel == '/')
		strbuf_adds(out, rel);
	else {
		strbuf_adds(out, model_path);
		strbuf_addch(out, '/');
		strbuf_adds(out, rel);
	}
}

uint64_t watch_recheck(const char *model_path, const char *paths)
{
	struct strbuf rel = STRBUF_INIT, full = STRBUF_INIT;
	uint64_t h = 1469598103934665603ull;
	const char *p = paths;

	if (!p || !*p)
		return 0;
	while (*p && h) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct stat st;

		strbuf_reset(&rel);
		strbuf_add(&rel, p, n);
		absolute(&full, model_path, rel.buf);
		if (stat(full.buf, &st) == 0)
			h = fold(h, rel.buf, &st);
		else if (errno == ENOENT || errno == ENOTDIR)
			h = fold(h, rel.buf, NULL);
		else
			h = 0;
		p += n + (nl ? 1 : 0);
	}
	strbuf_release(&rel);
	strbuf_release(&full);
	return h ? h | 1 : 0;
}
