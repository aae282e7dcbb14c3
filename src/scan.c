/*
 * scan.c: the scan pipeline (scan.h)
 *   walk -> read -> parse -> identify -> decide -> store
 * over a list of roots, counted into a struct scan_summary.  Prints
 * nothing: cmd_scan.c does, through the progress callback and the summary.
 *
 * Threads (after git grep): the calling thread walks and feeds a bounded
 * work queue; --jobs workers each own a matcher (their PCRE2 match data)
 * and turn a path into a model with its own verdict; one writer thread owns
 * the database connection and commits in batches.  A model the walker
 * finds settled (known, nothing it was read from changed) has nothing to
 * read and goes straight to the writer.  Models to read travel in batches
 * of SCAN_BATCH, settled ones of SCAN_SETTLED_BATCH, so threads hand over
 * work once per batch, not once per model.  Memory is bounded by the
 * queues (SCAN_QUEUE_PER_JOB batches per worker), not by the tree.
 *
 * Start-up overlaps the walk: once the store is open, it loads what it
 * knows (the known models and plain folders) in the background while the
 * rules are read (their digest) and the walk begins; the settle checks,
 * the workers and the writer wait for it.  The rules compile when first
 * needed, by the first worker with a model to read (or for the lineage
 * pass), so a rescan that reads nothing never compiles them; if they do
 * not compile, the scan stops and what was not committed is dropped.
 *
 * A git repository the walker finds is one model only when its root is a
 * model folder: otherwise a worker searches its tree of HEAD
 * (repo_git_search()) and reads the models inside it, each an item of its
 * own hung on the repository's (subs), checked for "unchanged" and for the
 * shard one by one; a repository with none is counted, never written.  So
 * the walker cannot drop a repository of another shard: models inside it
 * may be this shard's.
 *
 * When every root is walked, the lineage pass computes final verdicts over
 * the whole inventory, so scanning a base model after its fine-tune still
 * fixes the fine-tune.  Then, with --history, the history pass: for each
 * git, bare and cache model the scan found, the revisions history.c names
 * (those above the commit walked last time) are read -> identified ->
 * decided in this thread, one at a time, and stored as they come.
 * Last, the store records what the scan changed (new, gone and changed
 * final verdicts, store.h) and the summary gets it.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "modelcensus/history.h"
#include "modelcensus/identify.h"
#include "modelcensus/lineage.h"
#include "modelcensus/queue.h"
#include "modelcensus/repo.h"
#include "modelcensus/rules.h"
#include "modelcensus/scan.h"
#include "modelcensus/store.h"
#include "modelcensus/strmap.h"
#include "modelcensus/verdict.h"
#include "modelcensus/walk.h"
#include "modelcensus/banned.h"

#define SCAN_BATCH 16		/* models to read handed between threads at once */
#define SCAN_SETTLED_BATCH 1024	/* settled models, the same (>= SCAN_BATCH) */
#define SCAN_QUEUE_PER_JOB 4	/* batches waiting per worker, each queue */
#define SCAN_SETTLE_PER_THREAD 256	/* rescan checks worth a thread */
#define SCAN_SETTLE_CHUNK 32	/* taken at a time by a settle thread */

struct item {
	struct model m;
	struct verdict own;
	const char *root;
	int is_dataset;
	int plain;		/* a plain folder (walk.h), to remember as such */
	/* not NULL: unchanged since the store last read it, so not re-read */
	const struct known_model *known;
	/* a git repository that is not one model as a whole: the models
	 * inside it (this shard's), and whether it has none at all */
	int container, no_model, capped;
	struct item **subs;
	size_t nsubs;
	int skip;		/* another shard's: nothing to write */
};

/* Models handed between threads: ones to read (v), or settled ones, which
 * are only what the store knows of them (known: nothing to read, and many
 * to a batch, since a rescan's are most). */
struct batch {
	size_t n;
	struct item *v[SCAN_BATCH];
	const struct known_model **known;	/* settled: SCAN_SETTLED_BATCH */
	const char *root;	/* settled: the root they were found under */
};

struct scan {
	/* set before the threads start, read-only afterwards */
	struct rules *rules;	/* read; compiled by rules_ready() */
	struct store *store;
	const struct scan_options *opt;
	const char *roots_joined, *shard;	/* for the scans row */
	unsigned shard_k, shard_n;
	size_t jobs;
	struct timespec start;

	/* what the store knows, loaded by the thread loader (joined, under
	 * load_lock, by whichever thread needs it first): known_ready() */
	pthread_t loader;
	int loading;		/* the loader is still to be joined */
	pthread_mutex_t load_lock;
	int load_failed;
	struct mc_error load_err;
	struct known_models known;	/* models a rescan may skip if unchanged */

	/* the rules compile when first needed (rules_ready()) */
	pthread_mutex_t rules_lock;
	int compiled, compile_failed;
	struct mc_error compile_err;

	/* set when the scan cannot go on: the walk stops */
	atomic_int abandon;

	struct queue work, results;

	/* walker thread only */
	const char *root;
	struct batch *filling;	/* models found, not yet queued */
	struct batch *settled;	/* unchanged ones: straight to the writer */

	/* written by the walker, read for the progress line */
	atomic_size_t found;

	/* writer thread only (then the main thread's, once it is joined) */
	int64_t scan_id;
	struct scan_summary *counts;
	struct mc_error write_err;
	int write_failed;	/* 1: write_err says why; -1: start-up failed */
	double last_progress;
};

static void *load_known(void *arg)
{
	struct scan *s = arg;

	s->load_failed = store_known_models(s->store, &s->known, &s->load_err) < 0;
	return NULL;
}

/* Waits for what the store knows; -1 (and the walk stops) if it failed.
 * Any thread may call it, any number of times. */
static int known_ready(struct scan *s)
{
	pthread_mutex_lock(&s->load_lock);
	if (s->loading) {
		pthread_join(s->loader, NULL);
		s->loading = 0;
	}
	pthread_mutex_unlock(&s->load_lock);
	if (s->load_failed)
		atomic_store(&s->abandon, 1);
	return s->load_failed ? -1 : 0;
}

/*
 * The rules, compiled by the first thread that needs them (a model to
 * read, or a lineage pass); -1 (and the walk stops) if they do not
 * compile.  A rescan that reads nothing never compiles them: they are the
 * rules (same digest) the store's models were decided under.
 */
static int rules_ready(struct scan *s)
{
	pthread_mutex_lock(&s->rules_lock);
	if (!s->compiled) {
		s->compiled = 1;
		s->compile_failed = rules_compile(s->rules, &s->compile_err) < 0;
		if (s->compile_failed)
			atomic_store(&s->abandon, 1);
	}
	pthread_mutex_unlock(&s->rules_lock);
	return s->compile_failed ? -1 : 0;
}

static int abandoned(struct scan *s)
{
	return atomic_load_explicit(&s->abandon, memory_order_relaxed);
}

static double elapsed(const struct scan *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - s->start.tv_sec) +
	       (double)(now.tv_nsec - s->start.tv_nsec) / 1e9;
}

static void free_item(struct item *it)
{
	for (size_t i = 0; i < it->nsubs; i++)
		free_item(it->subs[i]);
	free(it->subs);
	model_release(&it->m);
	verdict_release(&it->own);
	free(it);
}

static void free_batch(struct batch *b)
{
	for (size_t i = 0; !b->known && i < b->n; i++)
		free_item(b->v[i]);
	free(b->known);
	free(b);
}

/* Hands a batch of the walker's to q (the workers', or the writer's for
 * settled models: nothing to read).  Returns -1 once the queue is closed
 * (the batch is freed). */
static int queue_batch(struct batch **slot, struct queue *q)
{
	struct batch *b = *slot;
	size_t n = b ? b->n : 0;

	*slot = NULL;
	if (n && queue_push(q, b) == 0)
		return 0;	/* its consumer owns it now */
	if (b)
		free_batch(b);
	return n ? -1 : 0;	/* -1: the queue was closed */
}

/* A model's shard goes by store_shard_hash() of its absolute path, not of
 * the path below its root: one-model roots spread over the shards too. */
static uint64_t shard_hash(const char *path)
{
	return store_shard_hash(path, strlen(path));
}

/* 1 when another shard owns the model at path */
static int other_shard(const struct scan *s, const char *path)
{
	return s->shard_n && shard_hash(path) % s->shard_n != s->shard_k;
}

/* Has a known model not changed since it was read?  (watch.h; path may be
 * relative to dirfd) */
static int unchanged(const struct scan *s, int dirfd, const char *path,
		     enum layout layout, const struct known_model *k)
{
	return k && !k->plain && k->layout == layout &&
	       !strcmp(k->rules_digest, rules_digest(s->rules)) &&
	       watch_recheck(dirfd, path, k->watch) == k->signature;
}

/*
 * Is q->paths[i] a folder the last scan found to be a model, that the
 * walker need not list because nothing it was read from has changed, or a
 * plain folder as before (*inert)?  Returns what the store knows of it, or
 * NULL.  A model of another shard is vouched for without a look: it is
 * dropped anyway, and must not be descended into.  Thread-safe: reads only
 * what is set before the threads start, and stat()s.
 */
static const struct known_model *settled(const struct scan *s,
					 const struct walk_settle *q, size_t i,
					 unsigned char *inert)
{
	const char *path = q->paths[i];
	const struct known_model *k = known_models_find(&s->known, path);

	if (!k)
		return NULL;
	if (k->plain) {
		*inert = watch_recheck(q->dirfd, path + q->name_at, k->watch) == k->signature;
		return *inert ? k : NULL;
	}
	if (!other_shard(s, path) &&
	    !unchanged(s, q->dirfd, path + q->name_at, k->layout, k))
		return NULL;
	return k;
}

/* One on_settle() call's entries, taken SCAN_SETTLE_CHUNK at a time by
 * whichever of its threads is free: a thread that starts late or is
 * preempted leaves its share to the others instead of finishing last. */
struct settle_work {
	const struct scan *s;
	const struct walk_settle *q;
	atomic_size_t next;
};

static void *settle_chunks(void *arg)
{
	struct settle_work *w = arg;
	size_t from;

	while ((from = atomic_fetch_add(&w->next, SCAN_SETTLE_CHUNK)) < w->q->n) {
		size_t to = from + SCAN_SETTLE_CHUNK < w->q->n ? from + SCAN_SETTLE_CHUNK : w->q->n;

		for (size_t i = from; i < to; i++) {
			const struct known_model *k = settled(w->s, w->q, i, &w->q->inert[i]);

			w->q->vouch[i] = k;
			if (k)
				w->q->layouts[i] = k->layout;
		}
	}
	return NULL;
}

/* walk_ops.settle: a folder's subdirectories, checked by up to --jobs
 * threads at once when there are many: a rescan's stat() calls are most
 * of its time at scale (docs/performance.md: 50,000 of them for 25,000
 * cards), and its target is a tenth of a full scan */
static void on_settle(void *ctx, const struct walk_settle *q)
{
	struct scan *s = ctx;
	size_t threads = q->n / SCAN_SETTLE_PER_THREAD, started = 0;
	struct settle_work w = { .s = s, .q = q };
	pthread_t *t;

	if (known_ready(s) < 0 || !s->known.n)
		return;	/* nothing to vouch for */
	if (threads > s->jobs)
		threads = s->jobs;
	atomic_init(&w.next, 0);
	t = threads > 1 ? xcalloc(threads - 1, sizeof(*t)) : NULL;
	/* this thread is one of them */
	while (started + 1 < threads &&
	       !pthread_create(&t[started], NULL, settle_chunks, &w))
		started++;
	settle_chunks(&w);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* A settled model (k, the token settled() gave) goes straight to the
 * writer: nothing to read, so no item to make. */
static int settle_one(struct scan *s, const struct known_model *k)
{
	struct batch *b = s->settled;

	if (b && (b->n == SCAN_SETTLED_BATCH || b->root != s->root) &&
	    queue_batch(&s->settled, &s->results) < 0)
		return -1;
	if (!s->settled) {
		s->settled = xcalloc(1, sizeof(*s->settled));
		s->settled->known = xcalloc(SCAN_SETTLED_BATCH, sizeof(*s->settled->known));
		s->settled->root = s->root;
	}
	s->settled->known[s->settled->n++] = k;
	return 0;
}

/* Hands it to the workers, SCAN_BATCH at a time. */
static int queue_item(struct scan *s, struct item *it)
{
	if (!s->filling)
		s->filling = xcalloc(1, sizeof(*s->filling));
	s->filling->v[s->filling->n++] = it;
	return s->filling->n == SCAN_BATCH && queue_batch(&s->filling, &s->work) < 0;
}

/* A folder or file the walker found, as an item for the workers; a folder
 * comes with the walker's listing, not to be listed again. */
static struct item *new_item(const struct scan *s, const struct walk_model *wm,
			     enum layout layout)
{
	struct item *it = xcalloc(1, sizeof(*it));

	model_init(&it->m, wm->path, layout);
	it->m.id_from_path = s->opt->model_id_from_path;
	it->root = s->root;
	if (wm->entries && layout == LAYOUT_DIR) {
		it->m.listed = 1;
		it->m.folder_st = *wm->st;
		for (size_t i = 0; i < wm->nentries; i++)
			strlist_add(&it->m.listing, wm->entries[i].name);
	}
	verdict_init(&it->own);
	return it;
}

/* walk_ops.found: a model found; queue it unless another shard owns it. */
static int on_model(void *ctx, const struct walk_model *wm)
{
	struct scan *s = ctx;
	struct item *it;

	if (abandoned(s))
		return 1;
	/* a repository may hold models of this shard under other paths: the
	 * worker sees (process()) */
	if (other_shard(s, wm->path) &&
	    (wm->vouch || (wm->layout != LAYOUT_GIT && wm->layout != LAYOUT_BARE)))
		return 0;
	atomic_fetch_add_explicit(&s->found, 1, memory_order_relaxed);
	if (wm->vouch)
		return settle_one(s, wm->vouch);
	it = new_item(s, wm, wm->layout);
	it->m.shard_hash = shard_hash(wm->path);
	return queue_item(s, it);
}

/* walk_ops.plain: a plain folder, to remember (a worker records what made
 * it so: repo_watch_plain) */
static int on_plain(void *ctx, const struct walk_model *wm)
{
	struct scan *s = ctx;
	struct item *it;

	if (abandoned(s))
		return 1;
	it = new_item(s, wm, LAYOUT_DIR);
	it->plain = 1;
	return queue_item(s, it);
}

/* A worker's own: its matcher (made at its first model to read) */
struct worker {
	struct matcher *mt;
	int tried;		/* to make mt */
	struct mc_error err;	/* why there is none */
	struct identify_cache cache;
};

/* read -> parse -> identify -> decide, for one model to read */
static void read_model(struct scan *s, struct worker *w, struct item *it)
{
	if (!w->tried) {
		w->tried = 1;
		if (rules_ready(s) < 0)
			return;	/* the scan is abandoned: nothing is written */
		if (matcher_new(&w->mt, s->rules, &w->err) < 0)
			w->mt = NULL;
	}
	if (s->compile_failed)
		return;
	repo_read(&it->m);
	if (it->m.has_card && it->m.card.is_dataset) {
		it->is_dataset = 1;
		return;
	}
	if (w->mt)
		identify_model(w->mt, &w->cache, &it->m);
	else
		model_set_error(&it->m, "license rules unavailable: %s", w->err.msg);
	verdict_own(s->rules, &it->m, &it->own);
}

/*
 * A git repository whose root is not a model folder: its models are the
 * ones repo_git_search() finds in the tree of HEAD, each read (unless
 * unchanged) as an item of its own under "<repository>/<folder>".
 * Returns 0 when the repository is one model after all (or its tree
 * cannot be read: reading it whole then says why).
 */
static int search_repo(struct scan *s, struct worker *w, struct item *it)
{
	struct strlist found = STRLIST_INIT;
	struct mc_error err;
	size_t repo_len = strlen(it->m.path);
	int whole, capped;

	if (repo_git_search(it->m.path, &whole, &found, &capped, &err) < 0 || whole) {
		strlist_clear(&found);
		return 0;
	}
	it->container = 1;
	it->capped = capped;
	it->no_model = !found.n && !other_shard(s, it->m.path);
	it->subs = found.n ? xcalloc(found.n, sizeof(*it->subs)) : NULL;
	for (size_t i = 0; i < found.n; i++) {
		char *path = xstrfmt("%s/%s", it->m.path, found.v[i]);
		const struct known_model *k;
		struct item *sub;

		if (other_shard(s, path)) {
			free(path);
			continue;
		}
		sub = xcalloc(1, sizeof(*sub));
		model_init(&sub->m, path, it->m.layout);
		sub->m.repo_len = repo_len;
		sub->m.shard_hash = shard_hash(path);
		sub->root = it->root;
		verdict_init(&sub->own);
		it->subs[it->nsubs++] = sub;
		k = known_models_find(&s->known, path);
		if (unchanged(s, AT_FDCWD, path, sub->m.layout, k))
			sub->known = k;
		else
			read_model(s, w, sub);
		free(path);
	}
	if (it->nsubs)
		atomic_fetch_add_explicit(&s->found, it->nsubs - 1, memory_order_relaxed);
	else
		atomic_fetch_sub_explicit(&s->found, 1, memory_order_relaxed);
	strlist_clear(&found);
	return 1;
}

/* read -> parse -> identify -> decide, for what the walker found */
static void process(struct scan *s, struct worker *w, struct item *it)
{
	const struct known_model *k = known_models_find(&s->known, it->m.path);
	int repo = it->m.layout == LAYOUT_GIT || it->m.layout == LAYOUT_BARE;

	if (it->plain) {
		repo_watch_plain(&it->m);
		return;
	}

	if (unchanged(s, AT_FDCWD, it->m.path, it->m.layout, k)) {
		it->known = k;
		it->skip = other_shard(s, it->m.path);
		return;
	}
	if (repo && search_repo(s, w, it))
		return;
	if (other_shard(s, it->m.path)) {
		it->skip = 1;
		return;
	}
	read_model(s, w, it);
}

static void *worker_main(void *arg)
{
	struct scan *s = arg;
	struct worker w;
	struct batch *b;

	memset(&w, 0, sizeof(w));
	if (known_ready(s) < 0) {
		/* the scan cannot go on: the writer drops what comes */
		while ((b = queue_pop(&s->work)))
			queue_push(&s->results, b);
		return NULL;
	}
	identify_cache_init(&w.cache);
	while ((b = queue_pop(&s->work))) {
		for (size_t i = 0; i < b->n; i++)
			process(s, &w, b->v[i]);
		queue_push(&s->results, b);
	}
	identify_cache_clear(&w.cache);
	matcher_free(w.mt);
	return NULL;
}

/* The progress callback, at most every 0.2 s (writer thread), or final. */
static void show_progress(struct scan *s, int final)
{
	double t = elapsed(s);

	if (!s->opt->progress || (!final && t - s->last_progress < 0.2))
		return;
	s->last_progress = t;
	s->opt->progress(s->opt->progress_ctx,
			 atomic_load_explicit(&s->found, memory_order_relaxed),
			 s->counts->done, t, final);
}

/* The ids of unchanged models, written SCAN_SETTLED_BATCH at a time */
struct touched {
	int64_t ids[SCAN_SETTLED_BATCH];
	size_t n;
};

static int touch(struct scan *s, struct touched *t, int64_t id)
{
	t->ids[t->n++] = id;
	if (t->n < SCAN_SETTLED_BATCH)
		return 0;
	t->n = 0;
	return store_touch(s->store, s->scan_id, t->ids, SCAN_SETTLED_BATCH,
			   &s->write_err);
}

/* Writes one model: read in full (it), or unchanged (k) */
static int store_one(struct scan *s, const struct known_model *k,
		     const struct item *it, const char *root, struct touched *t)
{
	if (!k) {
		enum commercial cu;

		if (it->container) {
			for (size_t i = 0; i < it->nsubs; i++)
				if (store_one(s, it->subs[i]->known, it->subs[i], root, t) < 0)
					return -1;
			return 0;
		}
		if (it->plain && it->m.signature &&
		    store_put_plain(s->store, it->m.path, it->m.signature,
				    it->m.watch.paths.buf, &s->write_err) < 0)
			return -1;
		if (it->is_dataset || it->plain || it->skip)
			return 0;
		if (store_put_model(s->store, s->scan_id, root, &it->m,
				    &it->own, rules_digest(s->rules), &cu,
				    &s->write_err) < 0)
			return -1;
		s->counts->by_commercial[cu]++;
		return 0;
	}
	if (it && it->skip)
		return 0;
	s->counts->by_commercial[k->commercial]++;
	if (strcmp(k->root, root) &&
	    store_set_root(s->store, k->id, root, &s->write_err) < 0)
		return -1;
	return touch(s, t, k->id);
}

/* Writes a batch: models read in full, unchanged ones touched at once. */
static int store_batch(struct scan *s, const struct batch *b)
{
	struct touched *t = xmalloc(sizeof(*t));
	int rc = 0;

	t->n = 0;
	for (size_t i = 0; i < b->n && !rc; i++) {
		const struct known_model *k = b->known ? b->known[i] : b->v[i]->known;
		const char *root = b->known ? b->root : b->v[i]->root;

		rc = store_one(s, k, b->known ? NULL : b->v[i], root, t);
	}
	if (!rc)
		rc = store_touch(s->store, s->scan_id, t->ids, t->n, &s->write_err);
	free(t);
	return rc;
}

static void count_item(struct scan_summary *c, const struct item *it)
{
	if (it->container) {
		c->repos_without_model += it->no_model;
		if (it->capped)
			strlist_add_nodup(&c->problems, xstrfmt("%s: search for models inside the repository stopped at its caps (%d folders deep, %d tree entries)",
								 it->m.path, REPO_SEARCH_MAX_DEPTH,
								 REPO_SEARCH_MAX_ENTRIES));
		for (size_t i = 0; i < it->nsubs; i++)
			count_item(c, it->subs[i]);
	} else if (it->plain || it->skip) {
		return;
	} else if (it->is_dataset) {
		c->datasets++;
	} else {
		c->done++;
		c->unchanged += it->known != NULL;
		c->by_layout[it->m.layout]++;
		c->errors += it->known ? it->known->error : it->m.error != NULL;
	}
}

static void count_batch(struct scan *s, const struct batch *b)
{
	struct scan_summary *c = s->counts;

	for (size_t i = 0; i < b->n; i++) {
		if (b->known) {
			c->done++;
			c->unchanged++;
			c->by_layout[b->known[i]->layout]++;
			c->errors += b->known[i]->error;
		} else {
			count_item(c, b->v[i]);
		}
	}
}

static void *writer_main(void *arg)
{
	struct scan *s = arg;
	struct batch *b;

	/* the connection is the loader's until it is joined */
	if (known_ready(s) < 0)
		s->write_failed = -1;	/* main says why */
	else if (store_scan_begin(s->store, s->roots_joined, MC_VERSION,
				  rules_digest(s->rules), s->shard, &s->scan_id,
				  &s->write_err) < 0)
		s->write_failed = 1;
	while ((b = queue_pop(&s->results))) {
		count_batch(s, b);
		/* a batch that comes after the rules failed to compile holds
		 * models not read: nothing more is written (main discards) */
		if (!s->write_failed && abandoned(s))
			s->write_failed = -1;
		if (!s->write_failed && store_batch(s, b) < 0)
			s->write_failed = 1;
		if (s->write_failed)
			atomic_store(&s->abandon, 1);
		free_batch(b);
		show_progress(s, 0);
	}
	return NULL;
}

void scan_summary_release(struct scan_summary *sum)
{
	strlist_clear(&sum->walk_errors);
	strlist_clear(&sum->problems);
	change_summary_release(&sum->changes);
}

/* Starts the workers and the writer, walks every root, waits for them. */
static void run_pipeline(struct scan *s, struct walk_stats *ws)
{
	struct walk_ops ops = { on_model, NULL, on_plain, s };
	pthread_t *workers = xcalloc(s->jobs, sizeof(*workers)), writer;
	struct mc_error err;

	if (!s->opt->full)
		ops.settle = on_settle;	/* a rescan, if the store knows models */
	queue_init(&s->work, s->jobs * SCAN_QUEUE_PER_JOB);
	queue_init(&s->results, s->jobs * SCAN_QUEUE_PER_JOB);
	for (size_t i = 0; i < s->jobs; i++)
		pthread_create(&workers[i], NULL, worker_main, s);
	pthread_create(&writer, NULL, writer_main, s);

	for (size_t i = 0; i < s->opt->nroots; i++) {
		s->root = s->opt->roots[i];
		if (walk_root(s->root, &ops, ws, &err) < 0)
			strlist_add(&s->counts->walk_errors, err.msg);
	}
	queue_batch(&s->filling, &s->work);
	queue_batch(&s->settled, &s->results);
	queue_close(&s->work);
	for (size_t i = 0; i < s->jobs; i++)
		pthread_join(workers[i], NULL);
	queue_close(&s->results);
	pthread_join(writer, NULL);
	show_progress(s, 1);
	queue_destroy(&s->work);
	queue_destroy(&s->results);
	free(workers);
}

/* ---- scan --history: each model's revisions (history.h) ---- */

struct hist {
	struct scan *s;
	struct matcher *mt;
	struct identify_cache cache;
	const struct history_model *hm;
	size_t repo_len;	/* a model inside a repository: the repository's */
	int skip_recorded;	/* cache snapshots: one recorded is not read again */
	char *oldest;		/* the last revision recorded by this walk */
	struct mc_error err;	/* why a write failed */
	int failed;
};

/* history_fn: the model's own verdict at one revision, recorded */
static int history_rev(void *ctx, const struct history_rev *r)
{
	struct hist *h = ctx;
	struct scan *s = h->s;
	struct model m;
	struct verdict v;
	int yes = 0, rc;

	if (h->skip_recorded) {
		if (store_history_has(s->store, h->hm->path, r->rev, &yes, &h->err) < 0)
			goto failed;
		if (yes)
			return 0;
	}
	model_init(&m, h->hm->path, h->hm->layout);
	m.at_revision = xstrdup(r->rev);
	m.repo_len = h->repo_len;
	repo_read(&m);
	identify_model(h->mt, &h->cache, &m);
	verdict_init(&v);
	verdict_own(s->rules, &m, &v);
	rc = store_history_put(s->store, s->scan_id, m.path, r->rev, r->time,
			       r->depth, &v, m.error, &h->err);
	s->counts->history_revisions++;
	s->counts->history_errors += m.error != NULL;
	verdict_release(&v);
	model_release(&m);
	if (rc < 0)
		goto failed;
	free(h->oldest);
	h->oldest = xstrdup(r->rev);
	return 0;
failed:
	h->failed = 1;
	return -1;
}

/* One git or bare model: the commits above the one walked before. */
static int history_git(struct hist *h, const struct history_model *hm)
{
	struct scan_summary *sum = h->s->counts;
	struct history_result res;
	struct mc_error err;
	char *repo = NULL, *sub = NULL;
	int rc, continued;

	if (hm->walked && hm->revision && !strcmp(hm->walked, hm->revision))
		return 0;	/* HEAD is the commit walked last time */
	if (history_repo_of(hm->path, hm->root, &repo, &sub, &err) < 0) {
		strlist_add_nodup(&sum->problems, xstrfmt("history of '%s': %s", hm->path, err.msg));
		sum->history_errors++;
		return 0;
	}
	h->repo_len = sub ? strlen(repo) : 0;
	sum->history_models++;
	rc = history_walk(repo, sub, hm->walked, history_rev, h,
			  h->s->opt->history_progress, h->s->opt->progress_ctx,
			  &res, &err);
	sum->history_commits += res.commits;
	if (rc < 0 && h->failed) {
		history_result_release(&res);
		free(repo);
		free(sub);
		return -1;
	}
	if (rc < 0) {
		strlist_add_nodup(&sum->problems, xstrfmt("history of '%s': %s", hm->path, err.msg));
		sum->history_errors++;
	} else {
		if (res.shallow) {
			sum->history_shallow++;
			strlist_add_nodup(&sum->problems,
					  xstrfmt("history of '%s': a shallow clone: its history ends at %.12s; older revisions are not recorded",
						  hm->path, h->oldest ? h->oldest : "?"));
		}
		if (res.ended) {
			sum->history_errors++;
			strlist_add_nodup(&sum->problems, xstrfmt("history of '%s' ends early: %s",
								 hm->path, res.ended));
		}
		continued = hm->walked ? res.reached_stop : 1;
		if (store_history_walked(h->s->store, h->s->scan_id, hm->path, res.head,
					 res.commits, continued, res.shallow, res.ended,
					 res.reached_stop ? NULL : h->oldest, &h->err) < 0)
			h->failed = 1;
	}
	history_result_release(&res);
	free(repo);
	free(sub);
	return h->failed ? -1 : 0;
}

/*
 * After the scan: the license history of every git, bare and cache model
 * it found, walked in this thread with a matcher of its own; rows are
 * written as each revision is read (the store's batches), so memory does
 * not grow with a history's length.
 */
static int history_pass(struct scan *s, struct mc_error *err)
{
	struct history_model *v = NULL;
	struct hist h;
	size_t n = 0;
	int ret = -1;

	memset(&h, 0, sizeof(h));
	h.s = s;
	if (store_history_models(s->store, s->scan_id, &v, &n, err) < 0)
		return -1;
	if (!n)
		return 0;
	if (rules_ready(s) < 0) {
		mc_error_set(err, "%s", s->compile_err.msg);
		goto done;
	}
	if (matcher_new(&h.mt, s->rules, err) < 0)
		goto done;
	identify_cache_init(&h.cache);
	for (size_t i = 0; i < n; i++) {
		h.hm = &v[i];
		free(h.oldest);
		h.oldest = NULL;
		if (v[i].layout == LAYOUT_HF_CACHE) {
			struct mc_error e;

			h.repo_len = 0;
			h.skip_recorded = 1;
			s->counts->history_models++;
			if (history_snapshots(v[i].path, history_rev, &h, &e) < 0 && !h.failed)
				strlist_add_nodup(&s->counts->problems,
						  xstrfmt("history of '%s': %s", v[i].path, e.msg));
			h.skip_recorded = 0;
		} else {
			history_git(&h, &v[i]);
		}
		if (h.failed) {
			mc_error_set(err, "%s", h.err.msg);
			goto done;
		}
	}
	ret = 0;
done:
	if (h.mt)
		identify_cache_clear(&h.cache);
	matcher_free(h.mt);
	free(h.oldest);
	history_models_free(v, n);
	return ret;
}

/* After the walk: models gone, the lineage pass, the scans row. */
static int finish(struct scan *s, const struct walk_stats *ws,
		  struct mc_error *err)
{
	struct scan_summary *sum = s->counts;
	int pending = 0, lineage;

	if (s->write_failed > 0)
		return mc_error_set(err, "%s; the scan did not finish", s->write_err.msg);
	if (!s->write_failed && !s->compile_failed) {
		/* a root that could not be walked must not mark its models gone */
		for (size_t i = 0; i < s->opt->nroots && !sum->walk_errors.n; i++)
			if (store_mark_gone(s->store, s->scan_id, s->opt->roots[i], s->shard_k,
					    s->shard_n, &sum->gone, err) < 0)
				return -1;
		/* after the gone-marking, which owes a pass too: a rescan that
		 * read nothing has not compiled the rules the pass needs */
		if (store_lineage_pending(s->store, &pending, err) < 0)
			return -1;
		if (pending)
			rules_ready(s);
	}
	if (s->write_failed || s->compile_failed) {
		/* what the writer has not committed is dropped: the scan
		 * stops as a killed one would */
		store_discard(s->store);
		return mc_error_set(err, "%s", s->load_failed ? s->load_err.msg :
				    s->compile_err.msg);
	}
	/* the writer counted the final verdicts it wrote or found; a lineage
	 * pass may have changed them since: then the inventory is counted */
	lineage = lineage_update(s->store, s->rules, err);
	if (lineage > 0)
		memset(sum->by_commercial, 0, sizeof(sum->by_commercial));
	if (lineage < 0 || (lineage > 0 &&
	    store_count_commercial(s->store, s->scan_id, sum->by_commercial, err) < 0))
		return -1;
	if (s->opt->history && history_pass(s, err) < 0)
		return -1;
	sum->datasets += ws->datasets;
	sum->spaces = ws->spaces;
	{
		struct scan_counts sc = { sum->done, sum->errors, sum->datasets,
					  sum->spaces, sum->gone };

		if (store_scan_end(s->store, s->scan_id, &sc, err) < 0 ||
		    store_scan_changes(s->store, s->scan_id, &sum->changes, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < ws->problems.n; i++)
		strlist_add(&sum->problems, ws->problems.v[i]);
	sum->secs = elapsed(s);
	return 0;
}

int scan_run(const struct scan_options *opt, struct scan_summary *out,
	     struct mc_error *err)
{
	struct scan s;
	struct walk_stats ws;
	struct mc_error close_err;
	char *roots_joined = NULL;
	char shard[64] = "";
	int rc = -1, started = 0;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	memset(&ws, 0, sizeof(ws));
	atomic_init(&s.found, 0);
	atomic_init(&s.abandon, 0);
	known_models_init(&s.known);
	s.opt = opt;
	s.counts = out;
	s.jobs = opt->jobs ? opt->jobs : 1;
	s.shard_k = opt->shard_k;
	s.shard_n = opt->shard_n;
	if (s.shard_n)
		snprintf(shard, sizeof(shard), "%u/%u", s.shard_k, s.shard_n);
	s.shard = *shard ? shard : NULL;

	/* start-up overlaps the walk: see the top of this file */
	if (store_open(&s.store, opt->db, STORE_WRITER, err) < 0)
		goto out;
	pthread_mutex_init(&s.rules_lock, NULL);
	pthread_mutex_init(&s.load_lock, NULL);
	if (!opt->full) {
		s.loading = !pthread_create(&s.loader, NULL, load_known, &s);
		if (!s.loading)
			load_known(&s);	/* no thread to be had: here */
	}
	started = 1;
	if (rules_read(&s.rules, opt->rule_dirs, opt->nrule_dirs, err) < 0)
		goto out;
	{
		struct strlist roots = STRLIST_INIT;

		for (size_t i = 0; i < opt->nroots; i++)
			strlist_add(&roots, opt->roots[i]);
		roots_joined = strlist_join(&roots, "\n");
		strlist_clear(&roots);
	}
	s.roots_joined = roots_joined;
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	run_pipeline(&s, &ws);
	rc = finish(&s, &ws, err);

out:
	if (started) {
		known_ready(&s);
		pthread_mutex_destroy(&s.load_lock);
		pthread_mutex_destroy(&s.rules_lock);
	}
	if (store_close(s.store, &close_err) < 0 && rc == 0)
		rc = mc_error_set(err, "%s", close_err.msg);
	repo_global_shutdown();
	rules_free(s.rules);
	walk_stats_release(&ws);
	known_models_clear(&s.known);
	free(roots_joined);
	return rc;
}
