/*
 * repo.h: reading one model found by the walker (the "read" stage).
 *
 * repo.c owns what every layout shares: which root files are read for
 * licensing and in what role, choosing the card, the size cap, the file a
 * relative license_link names, weight files and their LFS pointers and
 * headers, and the model id.  It reads through one backend a layout
 * (below), which only lists and reads: repo_git.c reads git work trees and
 * bare repositories through libgit2 from the tree of HEAD (no checkout); repo_fs.c reads plain
 * folders, HF cache folders (only through symlinks into the folder's own
 * blobs/), local_dir downloads and single GGUF files.  Reading never
 * fails as a whole: problems go into model->error or a file's error, and
 * whatever could be read is kept.
 */
#ifndef MODELCENSUS_REPO_H
#define MODELCENSUS_REPO_H

#include <sys/stat.h>
#include "model.h"

/* Releases libgit2 (initialised by the first repository read) once every
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

/*
 * The layout backends (repo_git.c, repo_fs.c), which repo_read() drives:
 * a backend lists a model's tree and says what it read; repo.c alone
 * chooses, from that listing, the card, the licensing files and the
 * weights.  A backend never calls back into repo.c.
 */
struct repo_entry {
	char *path;		/* relative to the model root */
	uint64_t size;
	char *oid;		/* git blob id, or NULL */
	char *local;		/* a path on disk holding the content, or NULL */
	struct stat st;		/* as listed, when has_st: watched if used */
	int has_st;
	/* a model inside a repository: a licensing file of the repository's
	 * root, read only when the model's folder has none of its own */
	int outer;
};

/* A model's tree as a backend lists it. */
struct repo_tree {
	struct repo_entry *v;	/* in the backend's order */
	size_t n, alloc;
	char *remote_url;	/* git: the URL the model id comes from, or NULL */
};

struct repo_backend {
	/*
	 * Lists m's tree into *tree and sets what the layout alone knows of
	 * m: revision, model id, snapshots, known-missing files, incomplete
	 * downloads, errors, and in m->watch the files and folders the
	 * listing depended on.  *ctx is what read and close get.  Returns -1
	 * when nothing can be listed (m->error says why; close is still
	 * called).
	 */
	int (*open)(struct model *m, struct repo_tree *tree, void **ctx);
	/* reads at most cap bytes of e; *truncated when there was more */
	int (*read)(void *ctx, const struct repo_entry *e, size_t cap,
		    char **data, size_t *len, int *truncated,
		    struct mc_error *err);
	/* releases ctx (NULL is harmless) */
	void (*close)(void *ctx);
};

extern const struct repo_backend repo_git_backend;	/* git, bare */
extern const struct repo_backend repo_dir_backend;	/* dir */
extern const struct repo_backend repo_hf_cache_backend;	/* hf-cache */
extern const struct repo_backend repo_file_backend;	/* file */

void repo_tree_add(struct repo_tree *t, const char *path, uint64_t size,
		   const char *oid, const char *local);
void repo_tree_clear(struct repo_tree *t);

/*
 * The search for models inside a git repository (work tree or bare) that
 * is not one model as a whole (repo_git.c), in its tree of HEAD, so a work
 * tree and its bare mirror give the same answer.  *whole = 1 when the
 * root is a model folder by the `dir` rules (walk_is_model_folder()) or
 * holds a .gguf file that is a model: the repository is one model.  Else
 * found gets, in name order, the folders that are model folders by the
 * same rules (not descended into) and the .gguf files that are models in
 * folders that are not, relative to the root.  A .gguf file is a model
 * unless its header, read from the blob when it is at most
 * REPO_GGUF_PEEK_MAX bytes, says it holds no tensor (a vocabulary file);
 * an LFS pointer is one.  .git and .cache folders
 * are not descended into, nor submodules.  Caps: at most
 * REPO_SEARCH_MAX_DEPTH folders deep and REPO_SEARCH_MAX_ENTRIES tree
 * entries looked at; past either, *capped = 1 and what was found is kept.
 * Returns -1 (err says why) when the tree of HEAD cannot be read, and
 * *whole = 1 when an object below it cannot (reading the repository as
 * one model then records the error).
 */
#define REPO_SEARCH_MAX_DEPTH 32
#define REPO_SEARCH_MAX_ENTRIES 200000
/* adapter_config.json larger than this is not read (a problem noted) */
#define ADAPTER_CONFIG_MAX (64u << 10)
/* .gguf blobs up to this size are read to see whether they hold tensors */
#define REPO_GGUF_PEEK_MAX (64u << 20)
int repo_git_search(const char *path, int *whole, struct strlist *found,
		    int *capped, struct mc_error *err);

#endif
