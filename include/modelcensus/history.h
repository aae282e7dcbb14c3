/*
 * history.h: a model's revisions (history.c), for `scan --history` and
 * `explain --revision`.
 *
 * history.c owns walking a git repository's first-parent history of HEAD
 * through libgit2 and telling which commits changed a model's own
 * licensing sources (its card and license files, by name as repo.c
 * chooses them), and listing a Hugging Face cache folder's snapshots.  It
 * compares tree entries' ids only: a commit that touched neither is
 * passed by without reading a blob, and a commit whose root tree (or
 * model folder) id did not change is passed by without reading a tree.
 * It reads no blob, decides nothing and writes nothing: scan.c reads each
 * revision it names through repo_read() (model.at_revision) and the store
 * records it.  Memory is bounded: one commit and its trees at a time,
 * whatever the length of the history.
 */
#ifndef MODELCENSUS_HISTORY_H
#define MODELCENSUS_HISTORY_H
#include <stddef.h>
#include <stdint.h>
#include "util.h"

/* A revision that changed the model's sources (or the oldest one there is). */
struct history_rev {
	const char *rev;	/* commit id (40 hex digits), or snapshot folder name */
	int64_t time;		/* committer time (git) or folder time, Unix seconds */
	size_t depth;		/* first-parent steps from the walk's head (0: HEAD) */
};

/* How a walk went. */
struct history_result {
	char head[48];		/* the commit walked from: HEAD */
	size_t commits;		/* commits looked at (the stop commit aside) */
	int reached_stop;	/* met the stop commit: only newer ones were looked at */
	int shallow;		/* the history ends early: a shallow clone's boundary */
	char *ended;		/* NULL, or why the walk ended early (owned) */
};
void history_result_release(struct history_result *r);

/* Called with each change point, newest first; a negative return stops the walk and is returned. */
typedef int (*history_fn)(void *ctx, const struct history_rev *rev);
/* Called every HISTORY_PROGRESS_COMMITS commits while a walk runs, then
 * once with final set when a walk that long ends. */
typedef void (*history_progress_fn)(void *ctx, const char *path, size_t commits,
				    int final);
#define HISTORY_PROGRESS_COMMITS 5000

/*
 * The repository a git or bare model at path belongs to: path itself, or
 * for a model inside a repository the nearest folder above it (no higher
 * than root) that opens as one.  *repo and *sub (the folder or file
 * inside, NULL for the whole repository) are the caller's.  -1 when none.
 */
int history_repo_of(const char *path, const char *root, char **repo, char **sub,
		    struct mc_error *err);

/*
 * Walks the first-parent history of HEAD of the repository at repo, for
 * the model at sub (NULL: the repository), from HEAD down to the commit
 * stop (its hex id, or NULL: to the first commit).  Calls cb with every
 * commit whose card or license files (their names and blob ids) differ
 * from its first parent's, and with the oldest commit reached; when stop
 * is reached, with the commit just above it only if the files differ from
 * stop's.  A commit that cannot be read ends the walk: out->shallow when
 * the repository is a shallow clone (the history ends there), else
 * out->ended says why.  Merges are followed by their first parent only.
 * Returns -1 when HEAD cannot be read (err says why), or cb's negative
 * value.  The caller releases *out either way.
 */
int history_walk(const char *repo, const char *sub, const char *stop,
		 history_fn cb, void *ctx, history_progress_fn progress,
		 void *progress_ctx, struct history_result *out,
		 struct mc_error *err);

/*
 * A Hugging Face cache folder's snapshots (each a revision), newest first
 * by the folder's modification time: cb gets each with that time.
 */
int history_snapshots(const char *path, history_fn cb, void *ctx,
		      struct mc_error *err);

/*
 * explain --revision: the commit rev names in the repository at repo (a
 * full or abbreviated id, or any revision git understands), into
 * resolved (41 bytes).  Then the newest recorded commit at or below it
 * on the first-parent history walked from head (recorded(ctx, hex) says
 * which are), into at (41 bytes).  Returns 0, 1 when rev is not on that
 * history (or is newer than head), -1 when rev is unknown or ambiguous or
 * the repository cannot be read (err says which).
 */
int history_locate(const char *repo, const char *head, const char *rev,
		   int (*recorded)(void *ctx, const char *hex), void *ctx,
		   char *resolved, char *at, struct mc_error *err);

#endif
