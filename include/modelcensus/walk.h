/*
 * walk.h: finding models under a root (the producer of the pipeline).
 *
 * walk.c owns: the five layouts of docs/inventory.md ("What counts as a
 * model"), skipping dataset and Space cache folders, never descending into
 * a model once found, and the symlink rules: a symlink is followed only
 * when it resolves inside the scanned root and does not lead back into a
 * directory already on the way down (no loops).  It hands each model found
 * to a callback with its layout and, for a folder, the listing it made, and
 * reads nothing but directory entries and the first bytes of README.md.
 * A git repository is handed on as a model of layout git or bare; whether
 * it is one model or holds several is the read stage's question
 * (repo_git_search()), asked with walk.c's `dir` rules.
 * On a rescan the caller may vouch for known folders (walk_ops.settle),
 * which are then handed on without being listed, and for plain folders it
 * was told of (walk_ops.plain), which are then passed by.  It never prints.
 */
#ifndef MODELCENSUS_WALK_H
#define MODELCENSUS_WALK_H

#include <stddef.h>
#include <sys/stat.h>
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

/* One entry of a listed directory. */
struct walk_entry {
	char *name;
	int is_dir;	/* directory (or link to one inside the root) */
	int is_file;	/* regular file (or link to one) */
};

/* A model found, as handed to the caller. */
struct walk_model {
	const char *path;	/* absolute, as reached (links not resolved) */
	enum layout layout;
	/* not NULL: the settle callback vouched for it, and this is the token
	 * it gave; the walker did not list it */
	const void *vouch;
	/* a folder model's entries, sorted by name, and the folder's stat()
	 * (NULL and 0 for settled models and single files) */
	const struct walk_entry *entries;
	size_t nentries;
	const struct stat *st;
};

/* The subdirectories and GGUF files of one folder, asked about at once
 * (walk_ops.settle). */
struct walk_settle {
	const char *const *paths;	/* absolute, as walk_model.path */
	size_t n;
	int dirfd;		/* the folder, open (AT_FDCWD when it could not be) */
	size_t name_at;		/* paths[i] + name_at: the name within dirfd */
	/* the answers: vouch[i] a token of the caller's (not NULL) and
	 * layouts[i] its layout, for each path it vouches for */
	enum layout *layouts;
	const void **vouch;
	/* and inert[i] = 1 when that is a plain folder, unchanged (see
	 * walk_ops.plain), which the walker then passes by altogether */
	unsigned char *inert;
};

struct walk_ops {
	/* called for each model; a non-zero return stops the walk with it */
	int (*found)(void *ctx, const struct walk_model *m);
	/*
	 * Optional, asked about the subdirectories and GGUF files of a folder
	 * before any is listed, all at once (so the caller may spread the
	 * work over threads): vouches for each it knows to be a model, of
	 * that layout, with nothing in it changed since it last looked.  The
	 * walker then hands it on as settled, with the caller's token,
	 * without reading it, so a rescan of an unchanged tree lists only the
	 * folders that hold models, never the models.
	 */
	void (*settle)(void *ctx, const struct walk_settle *q);
	/*
	 * Optional, called for each plain folder: not a model, with no
	 * subdirectory to descend into and no GGUF file.  What made it so is
	 * its listing (m->entries, m->st) and the first bytes of its card
	 * files, so a caller that remembers them may vouch for it as inert on
	 * the next walk.  m->layout means nothing.  Non-zero stops the walk.
	 */
	int (*plain)(void *ctx, const struct walk_model *m);
	void *ctx;
};

/*
 * Walks root (a directory or a single file) and hands every model to
 * ops->found, in a deterministic order (entries sorted by name).  Returns
 * 0, the callback's non-zero value, or -1 with err when root itself cannot
 * be read.  Problems below the root are counted in st->problems and the
 * walk goes on.
 */
int walk_root(const char *root, const struct walk_ops *ops,
	      struct walk_stats *st, struct mc_error *err);

/*
 * Classifies one directory from its entry names, sorted by strcmp() as the
 * walker lists them (helper exposed for unit tests): sets *layout and
 * returns 1 when dir is a model by itself, 0 when it is not (its .gguf
 * files and subdirectories are then walked), -1 when it is a dataset or
 * Space cache folder to skip.
 */
int walk_classify(const char *dir, const struct walk_entry *entries, size_t n,
		  enum layout *layout);

/*
 * The `dir` rules alone, shared by the walker and the search for models in
 * a git repository's tree of HEAD (repo_git.c), so they are written once:
 * returns 1 when a folder named base with these entries (sorted by
 * strcmp()) is a model folder (a card with front matter, config.json,
 * adapter_config.json, model_index.json, or non-GGUF weights), 0 when it
 * is not, -1 when it is a dataset or Space cache folder.  front_matter(ctx,
 * name) says whether the card file name opens with front matter.
 */
int walk_is_model_folder(const char *base, const struct walk_entry *entries,
			 size_t n, int (*front_matter)(void *ctx, const char *name),
			 void *ctx);
/* Is base a datasets--* or spaces--* cache folder (skipped)? */
int walk_skipped_name(const char *base);
/* Is a subfolder of this name descended into (not .git, not .cache)? */
int walk_descends(const char *name);

#endif
