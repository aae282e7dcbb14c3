/*
 * cmd_scan.c: `modelcensus scan`: runs the pipeline
 *   walk -> read -> parse -> identify -> decide -> store
 * and prints the summary.
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
 * When every root is walked, the lineage pass computes final verdicts over
 * the whole inventory, so scanning a base model after its fine-tune still
 * fixes the fine-tune.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "modelcensus/cmd.h"
#include "modelcensus/identify.h"
#include "modelcensus/lineage.h"
#include "modelcensus/queue.h"
#include "modelcensus/repo.h"
#include "modelcensus/rules.h"
#include "modelcensus/store.h"
#include "modelcensus/strmap.h"
#include "modelcensus/verdict.h"
#include "modelcensus/walk.h"
#include "modelcensus/banned.h"

#define SCAN_BATCH 16		/* models to read handed between threads at once */
#define SCAN_SETTLED_BATCH 1024	/* settled models, the same (>= SCAN_BATCH) */
#define SCAN_QUEUE_PER_JOB 4	/* batches waiting per worker, each queue */
#define SCAN_MAX_JOBS 256
#define SCAN_SETTLE_PER_THREAD 256	/* rescan checks worth a thread */
#define SCAN_SETTLE_CHUNK 32	/* taken at a time by a settle thread */

static const char scan_usage[] =
"usage: modelcensus scan [options] PATH...\n"
"\n"
"Finds every model under each PATH (git work trees, bare repositories,\n"
"Hugging Face cache folders, checkpoint folders, GGUF files) and records it\n"
"in the inventory database.  A PATH inside another PATH, or given twice, is\n"
"walked once, as part of the other.\n"
"\n"
"  --db FILE      the inventory database (default: inventory.db)\n"
"  --jobs N       worker threads (default: the number of cores)\n"
"  --rules DIR    load rules from DIR too; a rule with an existing id\n"
"                 replaces it (repeatable)\n"
"  --shard K/N    scan only the K-th (0 <= K < N) of N partitions of the\n"
"                 models, by a stable hash of each model's path below PATH\n"
"  --full         re-read every model, even unchanged ones\n"
"  --quiet        no progress line\n"
"  -h, --help     this help\n"
"\n"
"A model that cannot be read gets a row with its error; the scan goes on\n"
"and exits 0.  Exit 2: usage error; 3: database or rules unusable.\n";

struct item {
	struct model m;
	struct verdict own;
	const char *root;
	int is_dataset;
	int plain;		/* a plain folder (walk.h), to remember as such */
	/* not NULL: unchanged since the store last read it, so not re-read */
	const struct known_model *known;
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

struct counts {
	size_t done, unchanged, errors, datasets, spaces;
	size_t by_layout[LAYOUT_FILE + 1];
	size_t by_commercial[CU_NOT_ALLOWED + 1];
};

struct scan {
	/* set before the threads start, read-only afterwards */
	struct rules *rules;	/* read; compiled by rules_ready() */
	struct store *store;
	const char *roots_joined, *shard;	/* for the scans row */
	unsigned shard_k, shard_n;
	size_t jobs;
	int progress;
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
	size_t root_len;
	struct batch *filling;	/* models found, not yet queued */
	struct batch *settled;	/* unchanged ones: straight to the writer */

	/* written by the walker, read for the progress line */
	atomic_size_t found;

	/* writer thread only (then the main thread's, once it is joined) */
	int64_t scan_id;
	struct counts counts;
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

static uint64_t shard_hash(const struct scan *s, const char *path)
{
	const char *rel = path + (strlen(path) >= s->root_len ? s->root_len : 0);

	return fnv1a64(rel, 0) & INT64_MAX;
}

static int other_shard(const struct scan *s, const char *path)
{
	return s->shard_n && shard_hash(s, path) % s->shard_n != s->shard_k;
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
 * threads at once when there are many (a rescan's stat() calls) */
static void on_settle(void *ctx, const struct walk_settle *q)
{
	struct scan *s = ctx;
	size_t threads = q->n / SCAN_SETTLE_PER_THREAD, started = 0;
	struct settle_work w = { .s = s, .q = q };
	pthread_t t[SCAN_MAX_JOBS];

	if (known_ready(s) < 0 || !s->known.n)
		return;	/* nothing to vouch for */
	if (threads > s->jobs)
		threads = s->jobs;
	atomic_init(&w.next, 0);
	/* this thread is one of them */
	while (started + 1 < threads &&
	       !pthread_create(&t[started], NULL, settle_chunks, &w))
		started++;
	settle_chunks(&w);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
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
	if (other_shard(s, wm->path))
		return 0;
	atomic_fetch_add_explicit(&s->found, 1, memory_order_relaxed);
	if (wm->vouch)
		return settle_one(s, wm->vouch);
	it = new_item(s, wm, wm->layout);
	it->m.shard_hash = shard_hash(s, wm->path);
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

/* read -> parse -> identify -> decide, for one model */
static void process(struct scan *s, struct worker *w, struct item *it)
{
	const struct known_model *k = known_models_find(&s->known, it->m.path);

	if (it->plain) {
		repo_watch_plain(&it->m);
		return;
	}

	if (unchanged(s, AT_FDCWD, it->m.path, it->m.layout, k)) {
		it->known = k;
		return;
	}
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

static void show_progress(struct scan *s, int final)
{
	double t = elapsed(s);
	size_t done = s->counts.done;

	if (!s->progress || (!final && t - s->last_progress < 0.2))
		return;
	s->last_progress = t;
	fprintf(stderr, "\rscan: %zu found, %zu scanned, %.0f models/s, %.1fs%s",
		atomic_load_explicit(&s->found, memory_order_relaxed), done,
		t > 0 ? (double)done / t : 0.0, t, final ? "\n" : "");
}

/* Writes a batch: models read in full, unchanged ones touched at once. */
static int store_batch(struct scan *s, const struct batch *b)
{
	int64_t touched[SCAN_SETTLED_BATCH];
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct known_model *k = b->known ? b->known[i] : b->v[i]->known;
		const char *root = b->known ? b->root : b->v[i]->root;

		if (!k) {
			const struct item *it = b->v[i];
			enum commercial cu;

			if (it->plain && it->m.signature &&
			    store_put_plain(s->store, it->m.path, it->m.signature,
					    it->m.watch.paths.buf, &s->write_err) < 0)
				return -1;
			if (it->is_dataset || it->plain)
				continue;
			if (store_put_model(s->store, s->scan_id, root, &it->m,
					    &it->own, rules_digest(s->rules), &cu,
					    &s->write_err) < 0)
				return -1;
			s->counts.by_commercial[cu]++;
			continue;
		}
		s->counts.by_commercial[k->commercial]++;
		if (strcmp(k->root, root) &&
		    store_set_root(s->store, k->id, root, &s->write_err) < 0)
			return -1;
		touched[n++] = k->id;
	}
	return store_touch(s->store, s->scan_id, touched, n, &s->write_err);
}

static void count_batch(struct scan *s, const struct batch *b)
{
	struct counts *c = &s->counts;

	for (size_t i = 0; i < b->n; i++) {
		const struct item *it = b->known ? NULL : b->v[i];

		if (!it) {
			c->done++;
			c->unchanged++;
			c->by_layout[b->known[i]->layout]++;
			c->errors += b->known[i]->error;
		} else if (it->plain) {
			continue;
		} else if (it->is_dataset) {
			c->datasets++;
		} else {
			c->done++;
			c->unchanged += it->known != NULL;
			c->by_layout[it->m.layout]++;
			c->errors += it->known ? it->known->error : it->m.error != NULL;
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

/*
 * A root inside another given root, or given twice, is walked once, as
 * part of the other (the first of equal ones): walked again, its models
 * would be found, and counted, twice.  Roots are compared as the file
 * system resolves them.
 */
static void drop_nested_roots(struct strlist *roots)
{
	char **real = xcalloc(roots->n, sizeof(*real));
	size_t kept = 0;

	for (size_t i = 0; i < roots->n; i++)
		real[i] = realpath(roots->v[i], NULL);
	for (size_t i = 0; i < roots->n; i++) {
		size_t j;

		for (j = 0; j < roots->n; j++)
			if (j != i && real[i] && real[j] && path_within(real[i], real[j]) &&
			    (strcmp(real[i], real[j]) || j < i))
				break;
		if (j < roots->n) {
			if (strcmp(real[i], real[j]))
				fprintf(stderr, "modelcensus: warning: '%s' is inside '%s': walked once, as part of it\n",
					roots->v[i], roots->v[j]);
			else
				fprintf(stderr, "modelcensus: warning: '%s' is given twice: walked once\n",
					roots->v[i]);
			free(roots->v[i]);
		} else {
			roots->v[kept++] = roots->v[i];
		}
	}
	for (size_t i = 0; i < roots->n; i++)
		free(real[i]);
	free(real);
	roots->n = kept;
}

static int parse_shard(const char *arg, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	errno = 0;
	a = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || errno)
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || errno || b == 0 || b > 1000000 || a >= b)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

static void print_summary(const struct scan *s, double secs, size_t gone,
			  const char *db, const struct walk_stats *ws)
{
	const struct counts *c = &s->counts;

	printf("scanned %zu models in %.2fs (%.0f models/s)\n", c->done, secs,
	       secs > 0 ? (double)c->done / secs : 0.0);
	if (c->unchanged)
		printf("  unchanged:      %zu models not re-read (--full re-reads them)\n",
		       c->unchanged);
	printf("  by layout:      git %zu, bare %zu, hf-cache %zu, dir %zu, file %zu\n",
	       c->by_layout[LAYOUT_GIT], c->by_layout[LAYOUT_BARE],
	       c->by_layout[LAYOUT_HF_CACHE], c->by_layout[LAYOUT_DIR],
	       c->by_layout[LAYOUT_FILE]);
	printf("  commercial use: allowed %zu, conditional %zu, not-allowed %zu, unknown %zu\n",
	       c->by_commercial[CU_ALLOWED], c->by_commercial[CU_CONDITIONAL],
	       c->by_commercial[CU_NOT_ALLOWED], c->by_commercial[CU_UNKNOWN]);
	printf("  skipped:        %zu datasets, %zu spaces\n", c->datasets + ws->datasets,
	       ws->spaces);
	printf("  errors:         %zu models%s\n", c->errors,
	       c->errors ? " (modelcensus report --where 'error IS NOT NULL')" : "");
	if (gone)
		printf("  gone:           %zu models no longer found\n", gone);
	printf("inventory: %s\n", db);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "shard", required_argument, NULL, 's' },
		{ "full", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "scan", scan_usage, "", longopts };
	const char *db = "inventory.db";
	struct strlist rule_dirs = STRLIST_INIT, roots = STRLIST_INIT;
	struct walk_stats ws;
	struct rules *rules = NULL;
	struct scan s;
	struct walk_ops ops = { on_model, NULL, on_plain, &s };
	struct mc_error err;
	pthread_t *workers = NULL, writer;
	unsigned long jobs = 0;
	int quiet = 0, full = 0, opt, rc = EXIT_DONE, walk_failed = 0, lineage;
	int started = 0, pending = 0;
	size_t gone = 0;
	char *roots_joined = NULL;
	char shard[64] = "";

	memset(&s, 0, sizeof(s));
	atomic_init(&s.found, 0);
	atomic_init(&s.abandon, 0);
	memset(&ws, 0, sizeof(ws));
	known_models_init(&s.known);
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'j': {
			char *end;

			jobs = strtoul(optarg, &end, 10);
			if (*end || !jobs || jobs > SCAN_MAX_JOBS) {
				rc = cmd_usage_error("scan", "--jobs takes a number from 1 to %d, not '%s'",
						     SCAN_MAX_JOBS, optarg);
				goto out;
			}
			break;
		}
		case 'r': strlist_add(&rule_dirs, optarg); break;
		case 's':
			if (parse_shard(optarg, &s.shard_k, &s.shard_n) < 0) {
				rc = cmd_usage_error("scan", "--shard takes K/N with 0 <= K < N, not '%s'",
						     optarg);
				goto out;
			}
			snprintf(shard, sizeof(shard), "%u/%u", s.shard_k, s.shard_n);
			break;
		case 'f': full = 1; break;
		case 'q': quiet = 1; break;
		default: goto out;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind >= argc) {
		rc = cmd_usage_error("scan", "needs at least one PATH");
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		/* roots are recorded absolute, as model paths are: a model
		 * is under its root, whatever the directory the scan ran in */
		char *abs = path_absolute(argv[i]);

		if (!abs || access(argv[i], R_OK) < 0) {
			int e = errno;

			free(abs);
			strlist_clear(&rule_dirs);
			strlist_clear(&roots);
			return cmd_fail(EXIT_USAGE, "cannot read '%s': %s", argv[i], strerror(e));
		}
		strlist_add_nodup(&roots, abs);
	}
	drop_nested_roots(&roots);
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = n > 0 ? (unsigned long)(n < SCAN_MAX_JOBS ? n : SCAN_MAX_JOBS) : 1;
	}

	/* start-up overlaps the walk: see the top of this file */
	if (store_open(&s.store, db, STORE_WRITER, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	pthread_mutex_init(&s.rules_lock, NULL);
	pthread_mutex_init(&s.load_lock, NULL);
	if (!full) {
		s.loading = !pthread_create(&s.loader, NULL, load_known, &s);
		if (!s.loading)
			load_known(&s);	/* no thread to be had: here */
	}
	started = 1;
	if (rules_read(&rules, (const char *const *)rule_dirs.v, rule_dirs.n, &err) < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	s.rules = rules;
	roots_joined = strlist_join(&roots, "\n");
	s.roots_joined = roots_joined;
	s.shard = *shard ? shard : NULL;

	s.jobs = jobs;
	if (!full)
		ops.settle = on_settle;	/* a rescan, if the store knows models */
	s.progress = !quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &s.start);
	queue_init(&s.work, jobs * SCAN_QUEUE_PER_JOB);
	queue_init(&s.results, jobs * SCAN_QUEUE_PER_JOB);
	workers = xcalloc(jobs, sizeof(*workers));
	for (unsigned long i = 0; i < jobs; i++)
		pthread_create(&workers[i], NULL, worker_main, &s);
	pthread_create(&writer, NULL, writer_main, &s);

	for (size_t i = 0; i < roots.n; i++) {
		s.root = roots.v[i];
		s.root_len = strlen(roots.v[i]);
		if (walk_root(roots.v[i], &ops, &ws, &err) < 0) {
			cmd_fail(0, "%s", err.msg);
			walk_failed = 1;
		}
	}
	queue_batch(&s.filling, &s.work);
	queue_batch(&s.settled, &s.results);
	queue_close(&s.work);
	for (unsigned long i = 0; i < jobs; i++)
		pthread_join(workers[i], NULL);
	queue_close(&s.results);
	pthread_join(writer, NULL);
	show_progress(&s, 1);

	if (s.write_failed > 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s; the scan did not finish", s.write_err.msg);
		goto out_threads;
	}
	if (!s.write_failed) {
		if (store_lineage_pending(s.store, &pending, &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			goto out_threads;
		}
		if (pending)
			rules_ready(&s);	/* the lineage pass needs them */
	}
	if (s.write_failed || s.compile_failed) {
		/* what the writer has not committed is dropped: the scan
		 * stops as a killed one would */
		store_discard(s.store);
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", s.load_failed ? s.load_err.msg :
			      s.compile_err.msg);
		goto out_threads;
	}
	/* a root that could not be walked must not mark its models gone */
	for (size_t i = 0; i < roots.n && !walk_failed; i++) {
		if (store_mark_gone(s.store, s.scan_id, roots.v[i], s.shard_k,
				    s.shard_n, &gone, &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			goto out_threads;
		}
	}
	/* the writer counted the final verdicts it wrote or found; a lineage
	 * pass may have changed them since: then the inventory is counted */
	lineage = lineage_update(s.store, rules, &err);
	if (lineage > 0)
		memset(s.counts.by_commercial, 0, sizeof(s.counts.by_commercial));
	if (lineage < 0 || (lineage > 0 &&
	    store_count_commercial(s.store, s.scan_id, s.counts.by_commercial, &err) < 0)) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out_threads;
	}
	{
		struct scan_counts sc = { s.counts.done, s.counts.errors,
					  s.counts.datasets + ws.datasets, ws.spaces, gone };

		if (store_scan_end(s.store, s.scan_id, &sc, &err) < 0) {
			rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
			goto out_threads;
		}
	}
	for (size_t i = 0; i < ws.problems.n; i++)
		fprintf(stderr, "modelcensus: warning: %s\n", ws.problems.v[i]);
	if (s.counts.errors)
		fprintf(stderr, "modelcensus: %zu models could not be read completely; their rows say why\n",
			s.counts.errors);
	print_summary(&s, elapsed(&s), gone, db, &ws);
	if (walk_failed)
		rc = EXIT_USAGE;

out_threads:
	queue_destroy(&s.work);
	queue_destroy(&s.results);
	free(workers);
out:
	if (started) {
		known_ready(&s);
		pthread_mutex_destroy(&s.load_lock);
		pthread_mutex_destroy(&s.rules_lock);
	}
	if (store_close(s.store, &err) < 0 && rc == EXIT_DONE)
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
	repo_global_shutdown();
	rules_free(rules);
	walk_stats_release(&ws);
	known_models_clear(&s.known);
	strlist_clear(&rule_dirs);
	strlist_clear(&roots);
	free(roots_joined);
	return rc;
}
