/*
 * repo.h: reading one model found by the walker (the "read" stage).
 *
 * repo.c owns what every layout shares: which root files are read for
 * licensing and in what role, choosing the card, the size cap, the file a
 * relative license_link names, weight files and their LFS pointers and
 * headers.  repo_git.c reads git work trees and bare repositories through
 * libgit2 from the tree of HEAD (no checkout); repo_fs.c reads plain
 * folders, HF cache folders (only through symlinks into the folder's own
 * blobs/), local_dir downloads and single GGUF files.  Reading never
 * fails as a whole: problems go into model->error or a file's error, and
 * whatever could be read is kept.
 */
#ifndef MODELCENSUS_REPO_H
#define MODELCENSUS_REPO_H

#include <sys/stat.h>
#include "model.h"

/* Releases libgit2 (set up by the first repository read) once every
 * reading thread is done. */
void repo_global_shutdown(void);

/* Fills identity, card text, license files, weights and errors of m (whose
 * path and layout the walker set).  Parses the card.  Records in m->watch
 * what the reading depended on and sets m->signature from it (watch.h). */
void repo_read(struct model *m);
/* For a plain folder (walk_ops.plain: not a model, nothing below it; m has
 * the walker's listing): records in m->watch what made it so, the listing
 * and its card files, and sets m->signature.  Reads nothing. */
void repo_watch_plain(struct model *m);

/* A model's id from its remote URL and from its cache folder name: the
 * same as hub_id_from_remote() and hub_id_from_cache() (hub_id.h). */
char *repo_model_id_from_url(const char *url);
char *repo_model_id_from_cache(const char *folder);

/*
 * For the layout readers (repo_git.c, repo_fs.c): one entry of a model's
 * tree, and a way to read an entry's content up to a cap.
 */
struct repo_entry {
	char *path;		/* relative to the model root */
	uint64_t size;
	char *oid;		/* git blob id, or NULL */
	char *local;		/* a path on disk holding the content, or NULL */
	struct stat st;		/* repo_fs.c: as listed (watched), when has_st */
	int has_st;
};

struct repo_entries {
	struct repo_entry *v;
	size_t n, alloc;
};

struct repo_reader {
	void *ctx;
	/* reads at most cap bytes of e; *truncated when there was more */
	int (*read)(void *ctx, const struct repo_entry *e, size_t cap,
		    char **data, size_t *len, int *truncated,
		    struct mc_error *err);
	/* optional: told of each entry whose content or size goes into the
	 * model, before it is read (the files a rescan must watch) */
	void (*used)(void *ctx, const struct repo_entry *e);
};

void repo_entries_add(struct repo_entries *l, const char *path, uint64_t size,
		      const char *oid, const char *local);
void repo_entries_clear(struct repo_entries *l);

/* Shared by the layout readers: turns the entries into files, card and
 * weights of m. */
void repo_collect(struct model *m, const struct repo_entries *entries,
		  const struct repo_reader *rd);

/* Layout readers. */
void repo_read_git(struct model *m);
void repo_read_dir(struct model *m);
void repo_read_hf_cache(struct model *m);
void repo_read_file(struct model *m);

#endif
