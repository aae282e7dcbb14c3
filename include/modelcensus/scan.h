/*
 * scan.h: the scan pipeline (scan.c), walk -> read -> parse -> identify ->
 * decide -> store, run over a list of roots into one inventory database.
 * cmd_scan.c parses the options, calls scan_run() and prints what it
 * returns; nothing here prints.
 */
#ifndef MODELCENSUS_SCAN_H
#define MODELCENSUS_SCAN_H

#include <stddef.h>

#include "model.h"
#include "store.h"
#include "util.h"

struct scan_options {
	const char *db;			/* the inventory database */
	const char *const *roots;	/* absolute, none inside another */
	size_t nroots;
	const char *const *rule_dirs;	/* rules_read()'s extra folders */
	size_t nrule_dirs;
	unsigned shard_k, shard_n;	/* shard_n 0: every model */
	size_t jobs;			/* worker threads, >= 1 */
	int full;			/* re-read unchanged models too */
	/* a git repository without a remote takes its model id from its
	 * path's last two components (scan --model-id-from-path) */
	int model_id_from_path;
	/*
	 * Optional: called from the writer thread at most every 0.2 s while
	 * the scan runs, then once with final set when every model is
	 * written: models found by the walker, models written, seconds.
	 */
	void (*progress)(void *ctx, size_t found, size_t done, double secs,
			 int final);
	void *progress_ctx;
	/* scan --history: record each git, bare and cache model's license
	 * history (history.h) after the scan; history_progress (optional)
	 * is called while a long walk runs (history.h) */
	int history;
	void (*history_progress)(void *ctx, const char *path, size_t commits,
				 int final);
};

struct scan_summary {
	size_t done;		/* models scanned (datasets aside) */
	size_t unchanged;	/* of them, not re-read */
	size_t errors;		/* of them, with an error */
	size_t datasets, spaces;	/* skipped */
	size_t gone;		/* models of the roots no longer found */
	size_t repos_without_model;	/* git repositories with no model anywhere */
	size_t by_layout[LAYOUT_FILE + 1];
	size_t by_commercial[CU_NOT_ALLOWED + 1];	/* final verdicts */
	/* scan --history: models whose history was walked (HEAD moved, or
	 * never walked), commits looked at, revisions read and recorded
	 * (with an error: history_errors), shallow clones met */
	size_t history_models, history_commits, history_revisions;
	size_t history_errors, history_shallow;
	struct change_summary changes;	/* what the scan changed (store.h) */
	double secs;		/* from the start of the walk to the end */
	struct strlist walk_errors;	/* roots that could not be walked: why */
	struct strlist problems;	/* the walker's warnings */
};

/*
 * Scans opt->roots into opt->db.  Returns 0 when the scan finished (a
 * root that could not be walked is in walk_errors and marks nothing gone),
 * -1 when the database or the rules are unusable or a write failed (err
 * says why; what was not committed is dropped).  The caller releases *out
 * either way.
 */
int scan_run(const struct scan_options *opt, struct scan_summary *out,
	     struct mc_error *err);
void scan_summary_release(struct scan_summary *sum);

#endif
