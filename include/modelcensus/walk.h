/*
 * walk.h: finding models under a root (the producer of the pipeline).
 *
 * walk.c owns: the five layouts of interface.md ("What counts as a
 * model"), skipping dataset and Space cache folders, never descending into
 * a model once found, and the symlink rules: a symlink is followed only
 * when it resolves inside the scanned root and does not lead back into a
 * directory already on the way down (no loops).  It hands each model found
 * to a callback as (path, layout) and reads nothing but directory entries
 * and the first bytes of README.md.  It never prints.
 */
#ifndef MODELCENSUS_WALK_H
#define MODELCENSUS_WALK_H

#include <stddef.h>
#include "model.h"

/* Deeper trees are not descended further; the place is reported. */
#define WALK_MAX_DEPTH 256

struct walk_stats {
	size_t dirs;		/* directories read */
	size_t models;		/* models handed to the callback */
	size_t datasets;	/* datasets--* cache folders skipped */
	size_t spaces;		/* spaces--* cache folders skipped */
	size_t symlinks_skipped;	/* links out of the root or into a loop */
	struct strlist problems;	/* "path: problem", unreadable dirs etc. */
};

void walk_stats_release(struct walk_stats *st);

/* Called for each model; a non-zero return stops the walk with that value. */
typedef int (*walk_fn)(void *ctx, const char *path, enum layout layout);

/*
 * Walks root (a directory or a single file) and calls fn for every model,
 * in a deterministic order (entries sorted by name).  Returns 0, the
 * callback's non-zero value, or -1 with err when root itself cannot be
 * read.  Problems below the root are counted in st->problems and the walk
 * goes on.
 */
int walk_root(const char *root, walk_fn fn, void *ctx, struct walk_stats *st,
	      struct mc_error *err);

/*
 * Classifies one directory from its entry names (helper exposed for unit
 * tests): sets *layout and returns 1 when dir is a model by itself, 0 when
 * it is not (its .gguf files and subdirectories are then walked), -1 when
 * it is a dataset or Space cache folder to skip.
 */
struct walk_entry {
	char *name;
	int is_dir;	/* directory (or link to one inside the root) */
	int is_file;	/* regular file (or link to one) */
};
int walk_classify(const char *dir, const struct walk_entry *entries, size_t n,
		  enum layout *layout);

#endif
