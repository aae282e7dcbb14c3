/*
 * watch.h: the files a model's reading depended on, and a cheap test of
 * whether any of them changed (the "unchanged" decision of a rescan).
 *
 * While reading a model, the reader records each folder it listed and each
 * file whose content or presence it used: for git repositories the files
 * that fix what HEAD is (HEAD, the branch ref, packed-refs, config), for
 * cache folders refs/main and the snapshot, for plain folders every folder
 * listed and every file whose content or size was used (not, say, a
 * config.json that was only seen: its folder's time covers that).  A
 * folder's modification time changes when an entry is added, removed or
 * renamed in it; a file's when its content is written.  So when every
 * recorded path stats the same as before, what the reader would read is
 * the same, and a rescan need not read it: the check costs one stat() per
 * recorded path, no listing and no open.
 *
 * watch.c owns the record (newline-separated paths, relative to the model
 * path unless they start with '/') and the fingerprint of the stats.  It
 * reads nothing but stat().
 */
#ifndef MODELCENSUS_WATCH_H
#define MODELCENSUS_WATCH_H

#include <stdint.h>
#include <sys/stat.h>
#include "util.h"

struct watch {
	struct strbuf paths;	/* "rel\nrel\n/abs\n" in the order recorded */
	uint64_t hash;		/* fingerprint of the stats so far */
	int broken;		/* a stat failed oddly: never "unchanged" */
};

#define WATCH_INIT { STRBUF_INIT, HASH_SEED, 0 }

void watch_init(struct watch *w);
void watch_release(struct watch *w);

/*
 * Records path (absolute, or relative to model_path) with the stat the
 * reader got for it (stat(), links followed), or st NULL when the reader
 * found it absent (ENOENT): its later appearance then counts as a change.
 */
void watch_add(struct watch *w, const char *model_path, const char *path,
	       const struct stat *st);
/* Stats path itself (links followed) and records the result. */
void watch_stat(struct watch *w, const char *model_path, const char *path);

/* The fingerprint to store, 0 when there is none (nothing recorded, or a
 * stat failed other than with ENOENT). */
uint64_t watch_signature(const struct watch *w);

/*
 * Stats again every path of a stored record (paths as watch->paths.buf
 * held them) and returns the fingerprint now; equal to the stored one
 * exactly when no recorded path changed.  0 when the record is empty or a
 * path does not fit PATH_MAX.  A relative model_path is taken from the
 * folder dirfd is open on (AT_FDCWD: the working directory), which spares
 * the kernel looking up the folders above it again for every stat.
 */
uint64_t watch_recheck(int dirfd, const char *model_path, const char *paths);

#endif
