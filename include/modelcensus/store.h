/*
 * store.h: the inventory database.  store.c is the only code that talks to
 * SQLite: schema and migrations (store_sql.h), batched writes from one
 * thread, the lineage pass's reads and writes, and the queries behind
 * report and explain.  Writes happen in transactions of STORE_BATCH
 * models in WAL mode, so a crash loses at most the open batch and never
 * leaves the database half-written; a writer that closes checkpoints the
 * WAL into the file, which stays in WAL mode (readers that wait for no
 * lock are never locked out).  Readers open it read-only and never write.
 */
#ifndef MODELCENSUS_STORE_H
#define MODELCENSUS_STORE_H

#include <stdint.h>
#include "model.h"
#include "verdict.h"
#include "strmap.h"

#define STORE_BATCH 500		/* models per write transaction */
#define STORE_TOUCH_BATCH 10000	/* or unchanged models marked seen */
#define STORE_BUSY_MS 10000	/* how long to wait for another writer */

struct store;

enum store_mode {
	STORE_READER,	/* an existing database of the latest schema, opened
			 * read-only, for report, explain, check */
	STORE_WRITER,	/* created when missing, under the writer lock */
};

/*
 * Opens the database.  A writer (scan, merge) first takes the writer lock
 * (flock on "<db>.lock", removed by store_close()), so that two writers
 * never interleave on one database: a second fails at once, naming the
 * database and the holder's pid; then it migrates an older schema.  A
 * reader never writes: it refuses an older schema (saying to run scan or
 * merge) and reads a file in a folder it may not write (a WAL-mode file
 * with no -wal beside it, as immutable).  A missing database (reader) or
 * folder (writer) is said so.  Readers are never blocked.  store_close()
 * releases all.
 * A store is used by one thread at a time (the connection takes no locks of
 * its own); handing it to another thread needs a join or a lock between.
 */
int store_open(struct store **out, const char *path, enum store_mode mode,
	       struct mc_error *err);
/* Commits what is pending and closes; NULL is harmless. */
int store_close(struct store *st, struct mc_error *err);
/* Drops the open batch (rolls it back): for a run that cannot finish. */
void store_discard(struct store *st);

struct scan_counts {
	size_t models, errors, datasets, spaces, gone;
};

int store_scan_begin(struct store *st, const char *roots, const char *version,
		     const char *rules_digest, const char *shard,
		     int64_t *scan_id, struct mc_error *err);
/*
 * A scan records what changed (docs/inventory.md, `changes`): from
 * store_scan_begin() on, each model whose final verdict or presence the
 * scan changes keeps what it was before, in the database (so a scan that
 * does not finish leaves it to the next); store_scan_end(), after the
 * lineage pass, writes each model new, gone or with another final verdict
 * as a change of the scan.  The database's first scan (no scan finished
 * before it) is the baseline: everything in it is new, nothing is listed.
 */
int store_scan_end(struct store *st, int64_t scan_id,
		   const struct scan_counts *c, struct mc_error *err);

/* What a finished scan recorded, for its summary: counts, and the first
 * STORE_CHANGE_NAMES paths (by path) whose commercial_use changed (with
 * the old and new value) and that are gone. */
#define STORE_CHANGE_NAMES 5
struct change_summary {
	int recorded;		/* 0: the baseline (or a scan from before) */
	size_t added, changed, gone;
	size_t commercial;	/* of changed, those whose commercial_use did */
	struct strlist commercial_paths, gone_paths;
	enum commercial commercial_from[STORE_CHANGE_NAMES];
	enum commercial commercial_to[STORE_CHANGE_NAMES];
};
int store_scan_changes(struct store *st, int64_t scan_id, struct change_summary *out,
		       struct mc_error *err);
void change_summary_release(struct change_summary *c);

/* Records one model and its evidence; commits every STORE_BATCH models.
 * Sets *final to the commercial use of its final verdict as stored: its
 * own, or, when its own is as before, the one the last lineage pass gave. */
int store_put_model(struct store *st, int64_t scan_id, const char *root,
		    const struct model *m, const struct verdict *own,
		    const char *rules_digest, enum commercial *final,
		    struct mc_error *err);
/* Commits the open batch. */
int store_flush(struct store *st, struct mc_error *err);

/* Unchanged models (the ids of rows of known_models; sorted in place) were
 * found again by scan_id: only the narrow `seen` table is written, a run
 * of consecutive ids with one statement (a rescan's ids mostly run, since
 * models are inserted in the order the walk finds them). */
int store_touch(struct store *st, int64_t scan_id, int64_t *models, size_t n,
		struct mc_error *err);
/* An unchanged model was found under another root than before (a wide
 * row: written only then). */
int store_set_root(struct store *st, int64_t model, const char *root,
		   struct mc_error *err);

/*
 * What a rescan knows of each model it may skip: present, read without an
 * error worth retrying (error: it has one of the other kind), with a
 * signature and the watch record it came from (watch.h), and the rules
 * digest it was decided under (a model decided under other rules is
 * decided again).  And of each plain folder it may pass by (plain: only
 * signature and watch are set).  index maps a path to its position in v.
 */
struct known_model {
	int plain;
	uint64_t signature;
	char *watch;
	enum layout layout;
	int64_t id;		/* its row */
	const char *root;	/* the root it was found under (in roots) */
	const char *rules_digest;	/* (in digests) */
	enum commercial commercial;	/* of its final verdict */
	int error;
};
struct known_models {
	struct strmap index;
	struct strlist roots, digests;	/* kept once for many models */
	struct known_model *v;
	size_t n, alloc;
};
void known_models_init(struct known_models *k);
void known_models_clear(struct known_models *k);
/* The entry of path, or NULL. */
const struct known_model *known_models_find(const struct known_models *k,
					    const char *path);
int store_known_models(struct store *st, struct known_models *out,
		       struct mc_error *err);
/* Remembers a plain folder (walk.h) with its watch record's signature. */
int store_put_plain(struct store *st, const char *path, uint64_t signature,
		    const char *watch, struct mc_error *err);

/*
 * The stable hash `scan --shard K/N` partitions by: of a model's absolute
 * path (len bytes), so one-model roots spread too; models.shard_hash holds
 * it.  Stored in databases and compared across machines: it must never
 * change.
 */
uint64_t store_shard_hash(const void *path, size_t len);

/* Marks models under root (and in shard shard_k of shard_n, when
 * shard_n > 0: store_shard_hash() of their path, computed afresh, so rows
 * an older version hashed otherwise are judged right) that scan_id did not
 * see as gone; adds the count to *gone. */
int store_mark_gone(struct store *st, int64_t scan_id, const char *root,
		    unsigned shard_k, unsigned shard_n, size_t *gone,
		    struct mc_error *err);

/* The lineage pass reads models that name base models a page at a time,
 * each with its own verdict. */
struct lineage_row {
	int64_t rowid;
	char *model_id;			/* NULL when unknown */
	struct strlist base_models;
	struct strlist text_bases;	/* the bases its card's text names */
	struct verdict own;		/* without reasoning */
};
struct lineage_rows {
	struct lineage_row *v;
	size_t n, alloc;
};
/* Rows with id > after_id, at most limit, in id order (appended to out). */
/*
 * Whether a lineage pass is owed: set by every write that can change a
 * final verdict (a model read, marked gone or merged), in the same
 * transaction, and cleared by store_lineage_done() when a pass ends, so a
 * process killed in between leaves it set.
 */
int store_lineage_pending(struct store *st, int *pending, struct mc_error *err);
int store_lineage_done(struct store *st, struct mc_error *err);

int store_lineage_page(struct store *st, int64_t after_id, size_t limit,
		       struct lineage_rows *out, struct mc_error *err);
void lineage_rows_clear(struct lineage_rows *rows);
/* A present model by id (any case): 1 with its own verdict, base
 * models and text bases, 0 when the inventory has none, -1 on a database error. */
int store_lineage_lookup(struct store *st, const char *model_id,
			 struct verdict *own, struct strlist *bases,
			 struct strlist *text_bases, struct mc_error *err);
/* Counts the final commercial_use (CU_NOT_ALLOWED + 1 counters) of the
 * models scan_id saw, or of every present model when scan_id is 0. */
int store_count_commercial(struct store *st, int64_t scan_id, size_t *by,
			   struct mc_error *err);
/* Writes the final verdict of a row that names base models; the
 * reasoning written is v's (the lineage steps). */
int store_set_final(struct store *st, int64_t rowid, const struct verdict *v,
		    struct mc_error *err);

/*
 * Read-only queries for the commands that print.  cb gets each row's
 * column names and values (NULL for SQL NULL) and may return non-zero to
 * stop.  Every text value is valid UTF-8: a path that is not is escaped
 * (\xNN).  store_inventory: the inventory view (but path_bytes), filtered
 * by where (an SQL expression over its columns, or NULL), ordered by path.
 */
typedef int (*store_row_fn)(void *ctx, int ncols, const char *const *names,
			    const char *const *values);
int store_inventory(struct store *st, const char *where, store_row_fn cb,
		    void *ctx, struct mc_error *err);
/* check --changed: the same, only the models the last finished scan found
 * new or changed (every model it found, when it recorded no changes: the
 * database's first scan). */
int store_inventory_changed(struct store *st, const char *where, store_row_fn cb,
			    void *ctx, struct mc_error *err);

/* diff: every scan (id, started, finished, roots, shard, complete,
 * changes, models, gone), oldest first; changes is 1 when the scan
 * recorded its changes, 0 for the database's first scan, NULL for a scan
 * from before changes were recorded. */
int store_scans(struct store *st, store_row_fn cb, void *ctx, struct mc_error *err);
/* diff: each model's net change over the scans after `after` up to
 * `upto`: columns group (more-permissive, more-restrictive, changed, new,
 * gone), scan_id (the last scan that changed it), then those of the view
 * `changes`; ordered by group, then path. */
int store_changes(struct store *st, int64_t after, int64_t upto, store_row_fn cb,
		  void *ctx, struct mc_error *err);

/* report --format html: the inventory's models that where selects (as
 * store_inventory), with store_find_models' columns, ordered by path. */
int store_inventory_models(struct store *st, const char *where, store_row_fn cb,
			   void *ctx, struct mc_error *err);
/* The rows of the changes view for the last finished scan; *exists says
 * whether that scan recorded its changes (0, for a database's first scan:
 * cb is not called). */
int store_last_changes(struct store *st, int *exists, store_row_fn cb,
		       void *ctx, struct mc_error *err);

/*
 * export: the models store_inventory() gives for where, in the same
 * order, each row with its models.id first (column "id"), then the
 * details of one model by that id: its card fields (key, value), its
 * weights with an LFS oid (path, format, size, lfs_oid), and its license
 * files whose text was kept (name, role, text_hash, then rule and kind
 * of each license identified in it: one row per match, NULL for none).
 */
int store_export_models(struct store *st, const char *where, store_row_fn cb,
			void *ctx, struct mc_error *err);
enum store_export {
	EXPORT_CARD_FIELDS,
	EXPORT_WEIGHTS,
	EXPORT_LICENSE_FILES,
};
int store_export_details(struct store *st, int64_t model, enum store_export what,
			 store_row_fn cb, void *ctx, struct mc_error *err);
/* The license text kept under hash: 1 with *out (the caller frees it),
 * 0 when there is none, -1 on a database error. */
int store_license_text(struct store *st, const char *hash, char **out,
		       struct mc_error *err);

/* explain: every model (present first) whose path or model id is key;
 * columns of the models table plus last_seen. */
int store_find_models(struct store *st, const char *key, store_row_fn cb,
		      void *ctx, struct mc_error *err);

enum store_detail {
	DETAIL_CARD_FIELDS,	/* key, value */
	DETAIL_EVIDENCE,	/* source, name, role, blob, size, rule, kind, ... */
	DETAIL_WEIGHTS,		/* path, format, size, lfs_oid, present, ... */
};
/* One kind of detail of the model with the given id (store_find_models). */
int store_model_details(struct store *st, const char *rowid, enum store_detail what,
			store_row_fn cb, void *ctx, struct mc_error *err);

/* ---- license history (scan --history; history.h) ------------------------ */

/* A model whose history a scan walks. */
struct history_model {
	char *path, *root;
	enum layout layout;
	char *revision;		/* HEAD as the scan read it, or NULL */
	char *walked;		/* the newest commit walked before, or NULL */
};
/* The git, bare and hf-cache models scan_id found (present), in path order. */
int store_history_models(struct store *st, int64_t scan_id,
			 struct history_model **out, size_t *n,
			 struct mc_error *err);
void history_models_free(struct history_model *v, size_t n);
/* Records the model's own verdict v at one revision (time: Unix seconds,
 * depth: first-parent steps from the walk's head); error as read. */
int store_history_put(struct store *st, int64_t scan_id, const char *path,
		      const char *revision, int64_t time, size_t depth,
		      const struct verdict *v, const char *error,
		      struct mc_error *err);
/* *yes = 1 when a row for path at revision is recorded. */
int store_history_has(struct store *st, const char *path, const char *revision,
		      int *yes, struct mc_error *err);
/*
 * After a walk of path from head: commits looked at, whether it met the
 * head walked before (continued: else the rows earlier scans recorded
 * are dropped), whether the history ends early (shallow, or ended says
 * why), noted on the oldest row recorded (oldest, NULL for none).
 */
int store_history_walked(struct store *st, int64_t scan_id, const char *path,
			 const char *head, size_t commits, int continued,
			 int shallow, const char *ended, const char *oldest,
			 struct mc_error *err);
enum store_history {
	HISTORY_ROWS,	/* revision, committed_at, license, commercial_use,
			 * conditions, review, error, note: newest first */
	HISTORY_WALK,	/* head, commits, shallow, ended: one row or none */
};
int store_history(struct store *st, const char *path, enum store_history what,
		  store_row_fn cb, void *ctx, struct mc_error *err);

/* Merges the inventory at src into st in one transaction: its scans and
 * models join; a path present in both keeps the row of the newer scan.
 * The caller runs the lineage pass afterwards. */
int store_merge(struct store *st, const char *src, struct mc_error *err);

#endif
