/*
 * store.c: the only code that talks to SQLite (store.h).  Every SQL string
 * lives in store_sql.h; each statement is prepared once per connection and
 * used bind -> step -> reset.  Writes come from one thread (the caller's)
 * in transactions of STORE_BATCH models; the database is in WAL mode, so
 * readers (sqlite3, report) work while a scan runs and are never locked
 * out, and a crash leaves the last committed batch.  A writer that closes
 * empties the WAL into the file (store_close()), so the file alone is the
 * whole inventory, readable from read-only storage (as immutable).
 * Readers open it read-only and never write, not even a migration.  Every TEXT value is
 * valid UTF-8: bind_text() escapes what is not (utf8_escape()).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "modelcensus/store.h"
#include "modelcensus/strmap.h"
#include "store_sql.h"
#include "modelcensus/banned.h"

enum {
	ST_SCAN_BEGIN, ST_SCAN_END, ST_MODEL_UPSERT, ST_DEL_CARD, ST_DEL_EVIDENCE,
	ST_DEL_WEIGHTS, ST_INS_CARD, ST_INS_EVIDENCE, ST_INS_WEIGHT, ST_MARK_GONE,
	ST_SET_FINAL, ST_SEEN, ST_TOUCH, ST_TOUCH_RUN, ST_SET_ROOT, ST_SET_PENDING,
	ST_SAME_OWN, ST_LINEAGE_PAGE, ST_LINEAGE_LOOKUP, ST_PUT_PLAIN,
	ST_HISTORY_PUT, ST_HISTORY_HAS, ST_HISTORY_DROP, ST_HISTORY_NOTE,
	ST_HISTORY_WALKED, ST_CARD_FIELDS, ST_EVIDENCE, ST_WEIGHTS,
	ST_PUT_LICENSE_TEXT, ST_EXPORT_WEIGHTS, ST_EXPORT_TEXTS,
	ST_LICENSE_TEXT, ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_SCAN_BEGIN] = SQL_SCAN_BEGIN,
	[ST_SCAN_END] = SQL_SCAN_END,
	[ST_MODEL_UPSERT] = SQL_MODEL_UPSERT,
	[ST_DEL_CARD] = SQL_DELETE_CARD_FIELDS,
	[ST_DEL_EVIDENCE] = SQL_DELETE_EVIDENCE,
	[ST_DEL_WEIGHTS] = SQL_DELETE_WEIGHTS,
	[ST_INS_CARD] = SQL_INSERT_CARD_FIELD,
	[ST_INS_EVIDENCE] = SQL_INSERT_EVIDENCE,
	[ST_INS_WEIGHT] = SQL_INSERT_WEIGHT,
	[ST_MARK_GONE] = SQL_MARK_GONE,
	[ST_SET_FINAL] = SQL_SET_FINAL,
	[ST_SEEN] = SQL_SEEN,
	[ST_TOUCH] = SQL_TOUCH,
	[ST_TOUCH_RUN] = SQL_TOUCH_RUN,
	[ST_SET_ROOT] = SQL_SET_ROOT,
	[ST_SET_PENDING] = SQL_SET_LINEAGE_PENDING,
	[ST_SAME_OWN] = SQL_SAME_OWN,
	[ST_LINEAGE_PAGE] = SQL_LINEAGE_PAGE,
	[ST_LINEAGE_LOOKUP] = SQL_LINEAGE_LOOKUP,
	[ST_PUT_PLAIN] = SQL_PUT_PLAIN,
	[ST_HISTORY_PUT] = SQL_HISTORY_PUT,
	[ST_HISTORY_HAS] = SQL_HISTORY_HAS,
	[ST_HISTORY_DROP] = SQL_HISTORY_DROP,
	[ST_HISTORY_NOTE] = SQL_HISTORY_NOTE,
	[ST_HISTORY_WALKED] = SQL_HISTORY_WALKED,
	/* explain's details, read once per model by report --format html */
	[ST_CARD_FIELDS] = SQL_CARD_FIELDS,
	[ST_EVIDENCE] = SQL_EVIDENCE,
	[ST_WEIGHTS] = SQL_WEIGHTS,
	/* export */
	[ST_PUT_LICENSE_TEXT] = SQL_PUT_LICENSE_TEXT,
	[ST_EXPORT_WEIGHTS] = SQL_EXPORT_WEIGHTS,
	[ST_EXPORT_TEXTS] = SQL_EXPORT_TEXTS,
	[ST_LICENSE_TEXT] = SQL_LICENSE_TEXT,
};

struct store {
	sqlite3 *db;
	char *path;
	int lock_fd;			/* the writer lock file, -1 when not held */
	sqlite3_stmt *stmt[ST__COUNT];	/* prepared lazily, kept until close */
	int in_txn;
	size_t pending;			/* models written in the open transaction */
	size_t touched;			/* models marked seen in it (much cheaper) */
	int lineage_marked;		/* this connection set lineage_pending */
	int recording;			/* the open scan records its changes */
};

static int db_error(struct store *st, struct mc_error *err, const char *what)
{
	return mc_error_set(err, "database '%s': %s: %s", st->path, what,
			    sqlite3_errmsg(st->db));
}

static int exec(struct store *st, const char *sql, struct mc_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		mc_error_set(err, "database '%s': %s", st->path,
			     msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *stmt(struct store *st, int which, struct mc_error *err)
{
	if (!st->stmt[which] &&
	    sqlite3_prepare_v3(st->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
			       &st->stmt[which], NULL) != SQLITE_OK) {
		db_error(st, err, "cannot prepare a statement");
		return NULL;
	}
	return st->stmt[which];
}

/* Steps a statement that returns no row (or one we ignore) and resets it. */
static int run(struct store *st, sqlite3_stmt *s, struct mc_error *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(st, err, "write failed");
	return 0;
}

/*
 * NULL when s is valid UTF-8 (stored as it is); else s with each byte that
 * is not part of a valid sequence written as \xNN (lower-case hex, as git
 * quotes paths), which the caller frees.  Backslashes stay as they are, so
 * a valid string never changes; the exact bytes of a path go to
 * models.path_bytes (docs/inventory.md).
 */
static char *utf8_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t left = strlen(s), n;
	const char *p = s;
	uint32_t cp;
	int bad = 0;

	while (left) {
		if ((unsigned char)*p < 0x80) {		/* most of every text */
			n = 1;
		} else if ((n = utf8_decode((const unsigned char *)p, left, &cp)) == 1 &&
			   cp == UTF8_INVALID) {
			if (!bad++)
				strbuf_add(&sb, s, (size_t)(p - s));
			strbuf_addf(&sb, "\\x%02x", (unsigned char)*p);
			p++;
			left--;
			continue;
		}
		if (bad)
			strbuf_add(&sb, p, n);
		p += n;
		left -= n;
	}
	if (!bad)
		return NULL;
	return strbuf_detach(&sb);
}

/* Binds a string the statement takes over (freed by SQLite), escaped
 * when it is not valid UTF-8. */
static void bind_owned(sqlite3_stmt *s, int i, char *v)
{
	char *esc = v ? utf8_escape(v) : NULL;

	if (esc) {
		free(v);
		v = esc;
	}
	if (v)
		sqlite3_bind_text(s, i, v, -1, free);
	else
		sqlite3_bind_null(s, i);
}

/* Binds a string, escaped when it is not valid UTF-8. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	char *esc = v ? utf8_escape(v) : NULL;

	if (esc)
		sqlite3_bind_text(s, i, esc, -1, free);
	else if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Binds a path's exact bytes when it is not valid UTF-8 (its TEXT is
 * escaped), else NULL. */
static void bind_path_bytes(sqlite3_stmt *s, int i, const char *path)
{
	char *esc = utf8_escape(path);

	if (esc)
		sqlite3_bind_blob(s, i, path, (int)strlen(path), SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
	free(esc);
}

#define LATEST_VERSION ((int)(sizeof(store_migrations) / sizeof(*store_migrations)))

/* The schema version (PRAGMA user_version) into *version. */
static int schema_version(struct store *st, int *version, struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	*version = 0;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot read the schema version");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read the schema version");
	return 0;
}

/*
 * Brings the schema to the latest version, a migration a transaction.
 * Only a writer migrates (under the writer lock); a reader of an older
 * database is refused with what to run, since it may not write.
 */
static int migrate(struct store *st, int version, enum store_mode mode,
		   struct mc_error *err)
{
	if (version > LATEST_VERSION)
		return mc_error_set(err, "database '%s' has schema version %d, newer than this modelcensus knows (%d)",
				    st->path, version, LATEST_VERSION);
	if (mode == STORE_READER && version < LATEST_VERSION)
		return mc_error_set(err, "database '%s' has schema version %d, older than this modelcensus reads (%d); "
				    "run 'modelcensus scan' or 'modelcensus merge' on it once to upgrade it",
				    st->path, version, LATEST_VERSION);
	for (; version < LATEST_VERSION; version++) {
		char pragma[64];

		if (exec(st, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		if (exec(st, store_migrations[version], err) < 0 ||
		    exec(st, pragma, err) < 0) {
			exec(st, "ROLLBACK", NULL);
			return -1;
		}
		if (exec(st, "COMMIT", err) < 0)
			return -1;
	}
	return 0;
}

static int lock_writer(struct store *st, struct mc_error *err);
static enum commercial column_commercial(sqlite3_stmt *s, int col);

uint64_t store_shard_hash(const void *path, size_t len)
{
	return hash_bytes(HASH_SEED, path, len) & INT64_MAX;
}

/* SQL shard_of(path): store_shard_hash() of its bytes, for gone-marking */
static void sql_shard_of(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const void *p = sqlite3_value_blob(argv[0]);

	(void)argc;
	sqlite3_result_int64(ctx, (sqlite3_int64)store_shard_hash(p ? p : "",
				 (size_t)sqlite3_value_bytes(argv[0])));
}

/* path as an SQLite URI that opens it immutable (nothing written, no
 * locks): '%', '?' and '#' are escaped */
static char *immutable_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_adds(&sb, "?immutable=1");
	return strbuf_detach(&sb);
}

/*
 * Whether a reader that cannot open path (in a folder it may not write,
 * a database left in WAL mode: SQLite would create its -shm) may read the
 * file as immutable: only when no -wal file beside it holds commits the
 * file lacks.
 */
static int may_read_immutable(const char *path)
{
	char *wal = xstrfmt("%s-wal", path);
	struct stat sb;
	int ok = stat(wal, &sb) < 0 && errno == ENOENT;

	free(wal);
	return ok;
}

/* Opens st->db as name with flags and reads its schema version; 0, or -1
 * with *code SQLite's primary result code. */
static int open_db(struct store *st, const char *name, int flags, int *version,
		   int *code, struct mc_error *err)
{
	*code = SQLITE_OK;
	if (sqlite3_open_v2(name, &st->db, flags, NULL) != SQLITE_OK) {
		*code = st->db ? sqlite3_errcode(st->db) & 0xff : SQLITE_NOMEM;
		if (st->db)
			return db_error(st, err, "cannot open");
		return mc_error_set(err, "database '%s': cannot open", st->path);
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_create_function(st->db, "shard_of", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				NULL, sql_shard_of, NULL, NULL);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (schema_version(st, version, err) < 0) {
		*code = sqlite3_errcode(st->db) & 0xff;
		return -1;
	}
	return 0;
}

/*
 * A writer's first step: the database in WAL mode, so that readers work
 * while it writes.  From rollback-journal mode (a new database, or one a
 * user switched) that is a commit under the exclusive lock, and a reader that
 * comes in while it is held or waited for gets "database is locked" (the
 * sqlite3 shell waits for no lock).  So it is tried without waiting, and
 * again a millisecond later while readers hold the database, for up to
 * STORE_BUSY_MS, and without syncing (synchronous = OFF: it rewrites only
 * the header's journal mode; power lost then leaves either mode, and the
 * first checkpoint syncs it): the lock is held only for an instant.
 */
static int to_wal(struct store *st, struct mc_error *err)
{
	sqlite3_stmt *s;
	const char *mode;
	int step;

	sqlite3_busy_timeout(st->db, 0);
	for (int ms = 0;; ms++) {
		if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) != SQLITE_OK)
			break;
		step = sqlite3_step(s);
		mode = step == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
		if (mode && !strcmp(mode, "wal")) {
			sqlite3_finalize(s);
			sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
			return 0;
		}
		sqlite3_finalize(s);
		/* busy: readers hold it; anything else will not change */
		if ((step & 0xff) != SQLITE_BUSY || ms >= STORE_BUSY_MS)
			break;
		usleep(1000);
	}
	return db_error(st, err, "cannot switch to WAL mode");
}

/* A missing database (reader) or folder (writer): said so, with what to do. */
static int check_exists(const char *path, enum store_mode mode, struct mc_error *err)
{
	struct stat sb;
	char *dir;
	const char *slash;
	int rc = 0;

	if (mode == STORE_READER) {
		if (stat(path, &sb) < 0 && errno == ENOENT)
			return mc_error_set(err, "database '%s' does not exist; run 'modelcensus scan' first to create it (or give --db)",
					    path);
		return 0;
	}
	slash = strrchr(path, '/');
	if (!slash)
		return 0;
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &sb) < 0) {
		if (errno == ENOENT)
			rc = mc_error_set(err, "cannot create database '%s': folder '%s' does not exist",
					  path, dir);
	} else if (!S_ISDIR(sb.st_mode)) {
		rc = mc_error_set(err, "cannot create database '%s': '%s' is not a folder",
				  path, dir);
	}
	free(dir);
	return rc;
}

int store_open(struct store **out, const char *path, enum store_mode mode,
	       struct mc_error *err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	/* NOMUTEX: one thread at a time (store.h), so SQLite need not lock
	 * the connection on every call; a reader never writes */
	int flags = SQLITE_OPEN_NOMUTEX | (mode == STORE_WRITER ?
		    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
	int version = 0, code;

	*out = NULL;
	st->lock_fd = -1;
	st->path = xstrdup(path);
	if (check_exists(path, mode, err) < 0)
		goto fail;
	/* the writer lock comes first, so two writers never migrate at once */
	if (mode == STORE_WRITER && lock_writer(st, err) < 0)
		goto fail;
	if (open_db(st, path, flags, &version, &code, err) < 0) {
		char *uri;

		/* a database left in WAL mode in a folder this reader may not
		 * write: read the file alone, as it is */
		if (mode != STORE_READER || code != SQLITE_CANTOPEN ||
		    !may_read_immutable(path))
			goto fail;
		sqlite3_close(st->db);
		st->db = NULL;
		uri = immutable_uri(path);
		if (open_db(st, uri, flags | SQLITE_OPEN_URI, &version, &code, err) < 0) {
			free(uri);
			goto fail;
		}
		free(uri);
	}
	/* synchronous OFF for the switch to WAL only (to_wal()) */
	if (mode == STORE_WRITER &&
	    (exec(st, "PRAGMA synchronous = OFF", err) < 0 ||
	     to_wal(st, err) < 0 ||
	     exec(st, "PRAGMA synchronous = NORMAL", err) < 0))
		goto fail;
	if (exec(st, "PRAGMA foreign_keys = ON", err) < 0 ||
	    migrate(st, version, mode, err) < 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st, NULL);
	return -1;
}

int store_flush(struct store *st, struct mc_error *err)
{
	if (!st->in_txn)
		return 0;
	st->in_txn = 0;
	st->pending = 0;
	st->touched = 0;
	return exec(st, "COMMIT", err);
}

void store_discard(struct store *st)
{
	if (!st || !st->in_txn)
		return;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = 0;
	st->pending = 0;
	st->touched = 0;
	st->lineage_marked = 0;	/* rolled back with the rest */
}


int store_close(struct store *st, struct mc_error *err)
{
	int rc = 0, log = 0, done = 0;

	if (!st)
		return 0;
	if (st->db) {
		if (st->in_txn)
			rc = store_flush(st, err);
		for (int i = 0; i < ST__COUNT; i++)
			sqlite3_finalize(st->stmt[i]);
		/*
		 * The file stays in WAL mode: switching a database's journal
		 * mode takes the exclusive lock, and a reader coming in then
		 * (the sqlite3 shell waits for no lock) would get "database is
		 * locked".  Closing does not take it either (no checkpoint on
		 * close): a passive checkpoint copies what it can into the
		 * file, and when that copied everything and no reader is in
		 * the WAL (no waiting), the writer empties it, so the file
		 * alone holds the whole inventory.
		 */
		if (st->lock_fd >= 0) {
			sqlite3_busy_timeout(st->db, 0);
			sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
			if (log > 0 && done == log) {
				sqlite3_busy_timeout(st->db, 0);
				sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
							  NULL, NULL);
			}
		}
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		if (sqlite3_close(st->db) != SQLITE_OK && !rc)
			rc = mc_error_set(err, "database '%s': cannot close", st->path);
	}
	if (st->lock_fd >= 0) {
		/* removed while still held, so no file is left beside the
		 * database; lock_writer() sees a writer that opened it just
		 * before and retries on the new one */
		char *lock = xstrfmt("%s.lock", st->path);

		unlink(lock);
		free(lock);
		close(st->lock_fd);	/* releases the flock */
	}
	free(st->path);
	free(st);
	return rc;
}

/*
 * The writer lock: flock on "<db>.lock", created when missing and removed
 * by store_close() while still held.  A writer that locked a file another
 * has just removed holds nothing: it checks that the file it locked is
 * still the one at that path, and tries again if not.
 */
static int lock_writer(struct store *st, struct mc_error *err)
{
	char *lock = xstrfmt("%s.lock", st->path);
	char pid[32];
	ssize_t n;
	struct stat held, now;
	int fd = -1;

	for (int tries = 0;; tries++) {
		fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			mc_error_set(err, "database '%s': cannot create its lock file '%s': %s",
				     st->path, lock, strerror(errno));
			free(lock);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			n = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			str_trim(pid);
			mc_error_set(err, "database '%s' is being written by another scan or merge (pid %s); "
				     "wait for it to finish or use another --db",
				     st->path, *pid ? pid : "unknown");
			close(fd);
			free(lock);
			return -1;
		}
		if (fstat(fd, &held) == 0 && stat(lock, &now) == 0 &&
		    held.st_dev == now.st_dev && held.st_ino == now.st_ino)
			break;
		close(fd);
		if (tries == 100) {
			mc_error_set(err, "database '%s': its lock file '%s' keeps changing",
				     st->path, lock);
			free(lock);
			return -1;
		}
	}
	/* the pid only serves the message above: failing to write it is
	 * harmless */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) < 0)
		pid[0] = '\0';
	st->lock_fd = fd;
	free(lock);
	return 0;
}

static int begin(struct store *st, struct mc_error *err)
{
	if (st->in_txn)
		return 0;
	if (exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	st->in_txn = 1;
	return 0;
}

/* The one integer a query gives into *out (0 when it gives no row). */
static int query_int(struct store *st, const char *sql, int *out,
		     struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot prepare a query");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "query failed");
	return 0;
}

int store_scan_begin(struct store *st, const char *roots, const char *version,
		     const char *rules_digest, const char *shard,
		     int64_t *scan_id, struct mc_error *err)
{
	sqlite3_stmt *s;
	int finished;

	/* in the first batch's transaction: a run that stops before its
	 * first commit leaves no trace */
	if (begin(st, err) < 0 ||
	    query_int(st, SQL_HAS_FINISHED_SCAN, &finished, err) < 0)
		return -1;
	/* the database's first scan is the baseline: nothing to compare with */
	st->recording = finished;
	if (exec(st, finished ? SQL_CHANGES_TRIGGERS : SQL_CHANGES_NO_TRIGGERS, err) < 0 ||
	    !(s = stmt(st, ST_SCAN_BEGIN, err)))
		return -1;
	bind_text(s, 1, roots);
	bind_text(s, 2, version);
	bind_text(s, 3, rules_digest);
	bind_text(s, 4, shard);
	sqlite3_bind_int(s, 5, finished);
	if (run(st, s, err) < 0)
		return -1;
	*scan_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* A recording scan's end: its changes into verdict_changes, from what
 * verdict_before kept, which is emptied (store_sql.h, version 8). */
static int record_changes(struct store *st, int64_t scan_id, struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!st->recording)
		return 0;
	if (sqlite3_prepare_v2(st->db, SQL_CHANGES_RECORD, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot record the changes");
	sqlite3_bind_int64(s, 1, scan_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot record the changes");
	if (exec(st, SQL_CHANGES_CLEAR, err) < 0 ||
	    exec(st, SQL_CHANGES_NO_TRIGGERS, err) < 0)
		return -1;
	st->recording = 0;
	return 0;
}

int store_scan_end(struct store *st, int64_t scan_id,
		   const struct scan_counts *c, struct mc_error *err)
{
	sqlite3_stmt *s;

	/* in the transaction of the scan's last writes: it is complete
	 * exactly when they are committed, in one commit */
	if (begin(st, err) < 0 || !(s = stmt(st, ST_SCAN_END, err)))
		return -1;
	sqlite3_bind_int64(s, 1, scan_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)c->models);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)c->errors);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)c->datasets);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)c->spaces);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)c->gone);
	if (run(st, s, err) < 0 || record_changes(st, scan_id, err) < 0)
		return -1;
	return store_flush(st, err);
}

void change_summary_release(struct change_summary *c)
{
	strlist_clear(&c->commercial_paths);
	strlist_clear(&c->gone_paths);
	memset(c, 0, sizeof(*c));
}

int store_scan_changes(struct store *st, int64_t scan_id, struct change_summary *out,
		       struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc, changes;

	memset(out, 0, sizeof(*out));
	if (store_flush(st, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, SQL_SCAN_RECORDED, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot read the changes");
	sqlite3_bind_int64(s, 1, scan_id);
	rc = sqlite3_step(s);
	changes = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read the changes");
	out->recorded = changes != 0;
	if (sqlite3_prepare_v2(st->db, SQL_SCAN_CHANGES, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot read the changes");
	sqlite3_bind_int64(s, 1, scan_id);
	/* streamed: only the first STORE_CHANGE_NAMES of each kind are kept */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *change = (const char *)sqlite3_column_text(s, 0);
		const char *path = (const char *)sqlite3_column_text(s, 1);

		if (!change || !path)
			continue;
		if (!strcmp(change, "new")) {
			out->added++;
		} else if (!strcmp(change, "gone")) {
			if (out->gone++ < STORE_CHANGE_NAMES)
				strlist_add(&out->gone_paths, path);
		} else {
			enum commercial from = column_commercial(s, 2), to = column_commercial(s, 3);

			out->changed++;
			if (from == to)
				continue;
			if (out->commercial < STORE_CHANGE_NAMES) {
				out->commercial_from[out->commercial] = from;
				out->commercial_to[out->commercial] = to;
				strlist_add(&out->commercial_paths, path);
			}
			out->commercial++;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot read the changes");
	return 0;
}

static int put_card_fields(struct store *st, int64_t id, const struct model *m,
			   struct mc_error *err)
{
	const struct card *c = &m->card;
	sqlite3_stmt *s = stmt(st, ST_INS_CARD, err);
	struct { const char *key; char *value; } f[16];
	size_t n = 0;
	int rc = 0;

	if (!s)
		return -1;
	if (m->has_card) {
		f[n].key = "license"; f[n++].value = strlist_join(&c->licenses, ", ");
		f[n].key = "license_name"; f[n++].value = c->license_name ? xstrdup(c->license_name) : NULL;
		f[n].key = "license_link"; f[n++].value = c->license_link ? xstrdup(c->license_link) : NULL;
		f[n].key = "license tags"; f[n++].value = strlist_join(&c->license_tags, ", ");
		f[n].key = "base_model"; f[n++].value = strlist_join(&c->base_models, ", ");
		f[n].key = "base_model_relation"; f[n++].value = c->base_model_relation ? xstrdup(c->base_model_relation) : NULL;
		f[n].key = "gated"; f[n++].value = c->gated ? xstrdup(c->gated) : NULL;
		f[n].key = "extra_gated_prompt"; f[n++].value = c->has_extra_gated_prompt ? xstrdup("present") : NULL;
		f[n].key = "extra_gated_fields"; f[n++].value = c->has_extra_gated_fields ? xstrdup("present") : NULL;
		f[n].key = "pipeline_tag"; f[n++].value = c->pipeline_tag ? xstrdup(c->pipeline_tag) : NULL;
		f[n].key = "datasets"; f[n++].value = strlist_join(&c->datasets, ", ");
		f[n].key = "front matter error"; f[n++].value = c->error ? xstrdup(c->error) : NULL;
	}
	/* not the card's, but where explain shows the base models declared */
	f[n].key = "base model from adapter_config.json";
	f[n++].value = strlist_join(&m->adapter_bases, ", ");
	for (size_t i = 0; i < n; i++) {
		if (!f[i].value)
			continue;
		if (!rc) {
			sqlite3_bind_int64(s, 1, id);
			bind_text(s, 2, f[i].key);
			bind_text(s, 3, f[i].value);
			rc = run(st, s, err);
		}
		free(f[i].value);
	}
	return rc;
}

static int put_match(struct store *st, sqlite3_stmt *s, int64_t id,
		     const char *source, const char *name, const struct match *mt,
		     struct mc_error *err)
{
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, source);
	bind_text(s, 3, name);
	bind_text(s, 7, rule_id(mt->rule));
	bind_text(s, 8, match_kind_name(mt->kind));
	sqlite3_bind_double(s, 9, mt->coverage);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)mt->line_start);
	sqlite3_bind_int64(s, 11, (sqlite3_int64)mt->line_end);
	if (mt->kind == MATCH_MODIFIED && mt->added_start) {
		sqlite3_bind_int64(s, 12, (sqlite3_int64)mt->added_start);
		sqlite3_bind_int64(s, 13, (sqlite3_int64)mt->added_end);
	}
	if (mt->restricts_commercial)
		bind_text(s, 14, "added text restricts commercial use");
	return run(st, s, err);
}

/*
 * Whether export needs the text of a license file read: a governing
 * file, a linked one or a use policy whose license has no SPDX list id
 * (an AI license: a LicenseRef must carry its text), or whose text is
 * modified or not identified at all.  A text whose every match is a
 * full text of an SPDX-listed license is known to every consumer by its
 * id, and is not kept (an MIT file per model would fill the database).
 * Text with a NUL byte (UTF-16, binary) is not kept either.
 */
static int keeps_text(const struct model_file *f)
{
	struct rule_info ri;

	if (!f->data || !f->len || memchr(f->data, '\0', f->len))
		return 0;
	if (f->role != ROLE_LICENSE && f->role != ROLE_WEIGHTS_LICENSE &&
	    f->role != ROLE_LINKED && f->role != ROLE_USE_POLICY)
		return 0;
	if (!f->matches.n)
		return 1;
	for (size_t j = 0; j < f->matches.n; j++) {
		rule_info(f->matches.v[j].rule, &ri);
		if (f->matches.v[j].kind == MATCH_MODIFIED ||
		    !ri.spdx || !strncmp(ri.spdx, "LicenseRef-", 11))
			return 1;
	}
	return 0;
}

/* Keeps a license file's text once (license_texts, keyed by two hashes of
 * its bytes and its length) and binds its key to parameter i of s. */
static int put_license_text(struct store *st, sqlite3_stmt *s, int i,
			    const struct model_file *f, struct mc_error *err)
{
	sqlite3_stmt *t = stmt(st, ST_PUT_LICENSE_TEXT, err);
	char *key;

	if (!t)
		return -1;
	key = xstrfmt("%016llx%016llx-%zu",
		      (unsigned long long)hash_bytes(HASH_SEED, f->data, f->len),
		      (unsigned long long)hash_bytes(~HASH_SEED, f->data, f->len),
		      f->len);
	bind_text(t, 1, key);
	bind_text(t, 2, f->data);
	if (run(st, t, err) < 0) {
		free(key);
		return -1;
	}
	bind_owned(s, i, key);
	return 0;
}

static int put_evidence(struct store *st, int64_t id, const struct model *m,
			struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_INS_EVIDENCE, err);

	if (!s)
		return -1;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct model_file *f = &m->files[i];

		if (keeps_text(f) && put_license_text(st, s, 15, f, err) < 0)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, "file");
		bind_text(s, 3, f->name);
		bind_text(s, 4, file_role_name(f->role));
		bind_text(s, 5, f->oid);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)f->size);
		if (f->note && !f->error)
			bind_owned(s, 14, f->matches.n ? xstrdup(f->note) :
				   xstrfmt("%s; no license identified", f->note));
		else
			bind_text(s, 14, f->error ? f->error :
				  f->matches.n ? NULL : "no license identified");
		if (run(st, s, err) < 0)
			return -1;
		for (size_t j = 0; j < f->matches.n; j++)
			if (put_match(st, s, id, "file", f->name, &f->matches.v[j], err) < 0)
				return -1;
	}
	if (m->card_name) {
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, "card");
		bind_text(s, 3, m->card_name);
		bind_text(s, 4, "card");
		sqlite3_bind_int64(s, 6, (sqlite3_int64)m->card_len);
		if (m->body_restriction)
			bind_owned(s, 14, xstrfmt("body line %zu restricts use",
						  m->body_restriction_line));
		if (run(st, s, err) < 0)
			return -1;
	}
	for (size_t j = 0; j < m->body_matches.n; j++)
		if (put_match(st, s, id, "card-text", m->card_name,
			      &m->body_matches.v[j], err) < 0)
			return -1;
	/* the sentences that name a base (role "derivation", no rule): the
	 * base in blob, the sentence in note */
	for (size_t j = 0; j < m->derived.n; j++) {
		const struct derivation *d = &m->derived.v[j];

		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, "card-text");
		bind_text(s, 3, m->card_name);
		bind_text(s, 4, "derivation");
		bind_text(s, 5, d->base);
		sqlite3_bind_int64(s, 10, (sqlite3_int64)d->line);
		sqlite3_bind_int64(s, 11, (sqlite3_int64)d->line);
		bind_text(s, 14, d->sentence);
		if (run(st, s, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < m->known_missing.n; i++) {
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, "file");
		bind_text(s, 3, m->known_missing.v[i]);
		bind_text(s, 4, "known-missing");
		bind_text(s, 14, "the Hub records this file as absent (.no_exist)");
		if (run(st, s, err) < 0)
			return -1;
	}
	return 0;
}

static int put_weights(struct store *st, int64_t id, const struct model *m,
		       struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_INS_WEIGHT, err);

	if (!s)
		return -1;
	for (size_t i = 0; i < m->nweights; i++) {
		const struct weight_file *w = &m->weights[i];

		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, w->path);
		bind_text(s, 3, w->format);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)w->size);
		bind_text(s, 5, w->lfs_oid);
		sqlite3_bind_int(s, 6, w->present);
		sqlite3_bind_int(s, 7, w->incomplete);
		bind_text(s, 8, w->meta.license_name && w->meta.license &&
			  !strcmp(w->meta.license, "other") ?
			  w->meta.license_name : w->meta.license);
		bind_text(s, 9, w->error);
		if (run(st, s, err) < 0)
			return -1;
	}
	return 0;
}

static int clear_children(struct store *st, int64_t id, struct mc_error *err)
{
	static const int which[] = { ST_DEL_CARD, ST_DEL_EVIDENCE, ST_DEL_WEIGHTS };

	for (size_t i = 0; i < sizeof(which) / sizeof(*which); i++) {
		sqlite3_stmt *s = stmt(st, which[i], err);

		if (!s)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (run(st, s, err) < 0)
			return -1;
	}
	return 0;
}

static int set_lineage_pending(struct store *st, int value, struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_SET_PENDING, err);

	if (!s)
		return -1;
	sqlite3_bind_int(s, 1, value);
	if (run(st, s, err) < 0)
		return -1;
	st->lineage_marked = value;
	return 0;
}

/* A write that can change a final verdict: a lineage pass is owed, even
 * if this process dies before it runs (set in the same transaction). */
static int lineage_owed(struct store *st, struct mc_error *err)
{
	return st->lineage_marked ? 0 : set_lineage_pending(st, 1, err);
}

int store_lineage_pending(struct store *st, int *pending, struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, SQL_LINEAGE_PENDING, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot read the lineage state");
	rc = sqlite3_step(s);
	*pending = rc != SQLITE_ROW || sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read the lineage state");
	return 0;
}

int store_lineage_done(struct store *st, struct mc_error *err)
{
	if (begin(st, err) < 0 || set_lineage_pending(st, 0, err) < 0)
		return -1;
	return store_flush(st, err);
}

static int mark_seen(struct store *st, int64_t scan_id, int64_t model,
		     struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_SEEN, err);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, model);
	sqlite3_bind_int64(s, 2, scan_id);
	return run(st, s, err);
}

/* A signature as stored: 16 hex digits (parse_signature() reads it back). */
static void bind_signature(sqlite3_stmt *s, int i, uint64_t signature)
{
	bind_owned(s, i, signature ? xstrfmt("%016llx", (unsigned long long)signature) : NULL);
}

/* a commercial_use column's value (unknown when unreadable) */
static enum commercial column_commercial(sqlite3_stmt *s, int col)
{
	const char *text = (const char *)sqlite3_column_text(s, col);
	enum commercial cu = CU_UNKNOWN;

	if (text)
		commercial_parse(text, &cu);
	return cu;
}

/* Binds a model's values to the numbered parameters of SQL_MODEL_UPSERT
 * (SQL_SAME_OWN uses some of the same numbers). */
static void bind_model(sqlite3_stmt *s, int64_t scan_id, const char *root,
		       const struct model *m, const struct verdict *own,
		       const char *rules_digest)
{
	uint64_t weight_bytes = 0;

	for (size_t i = 0; i < m->nweights; i++)
		weight_bytes += m->weights[i].size;
	bind_text(s, 1, m->path);
	bind_text(s, 2, root);
	bind_text(s, 3, layout_name(m->layout));
	bind_text(s, 4, m->model_id);
	bind_text(s, 5, m->revision);
	bind_signature(s, 6, m->signature);
	bind_text(s, 7, m->card_name);
	bind_owned(s, 8, strlist_join(&own->declared, " AND "));
	bind_owned(s, 9, strlist_join(&own->detected, " AND "));
	bind_owned(s, 10, own->licenses.n ? strlist_join(&own->licenses, " AND ") : xstrdup("unknown"));
	bind_text(s, 11, commercial_name(own->commercial));
	bind_owned(s, 12, strlist_join(&own->conditions, ","));
	bind_owned(s, 13, strlist_join(&own->review, ","));
	bind_owned(s, 14, strlist_join(&m->base_models, ","));
	bind_text(s, 15, m->error);
	bind_text(s, 16, strbuf_str(&own->reasoning));
	bind_owned(s, 17, strlist_join(&m->snapshots, ","));
	sqlite3_bind_int64(s, 18, (sqlite3_int64)weight_bytes);
	bind_text(s, 19, rules_digest);
	sqlite3_bind_int64(s, 20, scan_id);
	sqlite3_bind_int64(s, 21, (sqlite3_int64)(m->shard_hash & INT64_MAX));
	sqlite3_bind_int(s, 22, own->body_restriction);
	if (m->signature)
		bind_text(s, 23, m->watch.paths.buf);
	sqlite3_bind_int(s, 24, m->retry);
	if (m->derived.n) {
		struct strlist tb = STRLIST_INIT;

		for (size_t i = 0; i < m->derived.n; i++)
			strlist_add_unique(&tb, m->derived.v[i].base);
		bind_owned(s, 25, strlist_join(&tb, ","));
		strlist_clear(&tb);
	}
	bind_path_bytes(s, 26, m->path);
}

int store_put_model(struct store *st, int64_t scan_id, const char *root,
		    const struct model *m, const struct verdict *own,
		    const char *rules_digest, enum commercial *final,
		    struct mc_error *err)
{
	sqlite3_stmt *s, *same;
	int64_t id;
	int rc, owed;

	if (begin(st, err) < 0 || !(s = stmt(st, ST_MODEL_UPSERT, err)) ||
	    !(same = stmt(st, ST_SAME_OWN, err)))
		return -1;
	/* read again with the same result: no lineage pass owed for it */
	bind_model(same, scan_id, root, m, own, rules_digest);
	rc = sqlite3_step(same);
	owed = rc != SQLITE_ROW;
	sqlite3_reset(same);
	sqlite3_clear_bindings(same);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "cannot record a model");

	bind_model(s, scan_id, root, m, own, rules_digest);
	rc = sqlite3_step(s);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*final = CU_UNKNOWN;
	if (rc == SQLITE_ROW) {
		*final = column_commercial(s, 1);
		rc = sqlite3_step(s);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE || !id)
		return db_error(st, err, "cannot record a model");
	if ((owed && lineage_owed(st, err) < 0) ||
	    mark_seen(st, scan_id, id, err) < 0 ||
	    clear_children(st, id, err) < 0 || put_card_fields(st, id, m, err) < 0 ||
	    put_evidence(st, id, m, err) < 0 || put_weights(st, id, m, err) < 0)
		return -1;
	if (++st->pending >= STORE_BATCH)
		return store_flush(st, err);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* seen.scan = scan_id for the ids from..to, or (run NULL) for up to
 * TOUCH_IDS ids of v */
static int touch(struct store *st, int64_t scan_id, int64_t from, int64_t to,
		 const int64_t *v, size_t n, struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, v ? ST_TOUCH : ST_TOUCH_RUN, err);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, scan_id);
	if (!v) {
		sqlite3_bind_int64(s, 2, from);
		sqlite3_bind_int64(s, 3, to);
	}
	for (size_t i = 0; v && i < TOUCH_IDS; i++) {
		if (i < n)
			sqlite3_bind_int64(s, (int)i + 2, v[i]);
		else
			sqlite3_bind_null(s, (int)i + 2);
	}
	return run(st, s, err);
}

int store_touch(struct store *st, int64_t scan_id, int64_t *models, size_t n,
		struct mc_error *err)
{
	int64_t loose[TOUCH_IDS];
	size_t nloose = 0;

	if (!n)
		return 0;
	if (begin(st, err) < 0)
		return -1;
	qsort(models, n, sizeof(*models), cmp_id);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && models[j] <= models[j - 1] + 1; j++)
			;
		if (j - i >= TOUCH_RUN_MIN) {
			if (touch(st, scan_id, models[i], models[j - 1], NULL, 0, err) < 0)
				return -1;
			continue;
		}
		for (size_t k = i; k < j; k++) {
			loose[nloose++] = models[k];
			if (nloose == TOUCH_IDS) {
				if (touch(st, scan_id, 0, 0, loose, nloose, err) < 0)
					return -1;
				nloose = 0;
			}
		}
	}
	if (nloose && touch(st, scan_id, 0, 0, loose, nloose, err) < 0)
		return -1;
	st->touched += n;
	if (st->touched >= STORE_TOUCH_BATCH)
		return store_flush(st, err);
	return 0;
}

int store_set_root(struct store *st, int64_t model, const char *root,
		   struct mc_error *err)
{
	sqlite3_stmt *s;

	if (begin(st, err) < 0 || !(s = stmt(st, ST_SET_ROOT, err)))
		return -1;
	sqlite3_bind_int64(s, 1, model);
	bind_text(s, 2, root);
	return run(st, s, err);
}

void known_models_init(struct known_models *k)
{
	memset(k, 0, sizeof(*k));
	strmap_init(&k->index, 0);
}

void known_models_clear(struct known_models *k)
{
	strlist_clear(&k->roots);
	strlist_clear(&k->digests);
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].watch);
	free(k->v);
	strmap_clear(&k->index);
	known_models_init(k);
}

const struct known_model *known_models_find(const struct known_models *k,
					    const char *path)
{
	uint64_t i;

	return k->n && strmap_get(&k->index, path, &i) ? &k->v[i] : NULL;
}

static int layout_named(const char *name, enum layout *out)
{
	for (enum layout l = LAYOUT_GIT; l <= LAYOUT_FILE; l++) {
		if (!strcmp(name, layout_name(l))) {
			*out = l;
			return 0;
		}
	}
	return -1;
}

/* A signature as stored (bind_signature()); 0, which never matches, if
 * it is not 16 hex digits. */
static uint64_t parse_signature(const char *hex)
{
	size_t i;

	for (i = 0; i < 16 && isxdigit((unsigned char)hex[i]); i++)
		;
	return i == 16 && !hex[i] ? (uint64_t)strtoull(hex, NULL, 16) : 0;
}

/* s, as kept in list: once for a run of models that share it (a root or
 * a digest is shared by many, which mostly come in a row) */
static const char *kept_once(struct strlist *list, const char *s)
{
	if (!list->n || strcmp(list->v[list->n - 1], s))
		strlist_add(list, s);
	return list->v[list->n - 1];
}

/* Adds the rows of one of the queries behind store_known_models(): models
 * (SQL_SIGNATURES) or plain folders (SQL_PLAIN_SIGNATURES, plain). */
static int add_known(struct store *st, const char *sql, int plain,
		     struct known_models *out, struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot read signatures");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(s, 0);
		const char *sig = (const char *)sqlite3_column_text(s, 1);
		const char *watch = (const char *)sqlite3_column_text(s, 2);
		struct known_model k = { 0 };

		if (!path || !sig || !watch)
			continue;
		k.plain = plain;
		k.layout = LAYOUT_DIR;
		if (!plain) {
			const char *layout = (const char *)sqlite3_column_text(s, 3);
			const char *root = (const char *)sqlite3_column_text(s, 5);
			const char *digest = (const char *)sqlite3_column_text(s, 6);

			if (!layout || !root || !digest || layout_named(layout, &k.layout) < 0)
				continue;
			k.id = sqlite3_column_int64(s, 4);
			k.root = kept_once(&out->roots, root);
			k.rules_digest = kept_once(&out->digests, digest);
			k.commercial = column_commercial(s, 7);
			k.error = sqlite3_column_int(s, 8);
		}
		/* a path both a model and a plain folder (it changed since): the
		 * model's row is kept; either way its watch no longer matches */
		if (strmap_put(&out->index, path, out->n, 1))
			continue;
		k.signature = parse_signature(sig);
		k.watch = xstrdup(watch);
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = k;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot read signatures");
	return 0;
}

int store_known_models(struct store *st, struct known_models *out,
		       struct mc_error *err)
{
	if (add_known(st, SQL_SIGNATURES, 0, out, err) < 0 ||
	    add_known(st, SQL_PLAIN_SIGNATURES, 1, out, err) < 0)
		return -1;
	return 0;
}

int store_put_plain(struct store *st, const char *path, uint64_t signature,
		    const char *watch, struct mc_error *err)
{
	sqlite3_stmt *s;
	char *esc = utf8_escape(path);

	/* a cache: a folder whose path is not UTF-8 is looked into again */
	if (esc) {
		free(esc);
		return 0;
	}
	if (begin(st, err) < 0 || !(s = stmt(st, ST_PUT_PLAIN, err)))
		return -1;
	bind_text(s, 1, path);
	bind_signature(s, 2, signature);
	bind_text(s, 3, watch);
	return run(st, s, err);
}

int store_mark_gone(struct store *st, int64_t scan_id, const char *root,
		    unsigned shard_k, unsigned shard_n, size_t *gone,
		    struct mc_error *err)
{
	int changed;
	sqlite3_stmt *s;

	if (begin(st, err) < 0 || !(s = stmt(st, ST_MARK_GONE, err)))
		return -1;
	sqlite3_bind_int64(s, 1, scan_id);
	bind_text(s, 2, root);
	sqlite3_bind_int64(s, 3, shard_n ? shard_n : 1);
	sqlite3_bind_int64(s, 4, shard_n ? shard_k : 0);
	if (run(st, s, err) < 0)
		return -1;
	changed = sqlite3_changes(st->db);
	if (changed > 0 && lineage_owed(st, err) < 0)
		return -1;
	*gone += (size_t)changed;
	return 0;
}

static void split_into(struct strlist *l, const unsigned char *s, const char *sep)
{
	const char *p = (const char *)s;
	size_t seplen = strlen(sep);

	while (p && *p) {
		const char *q = strstr(p, sep);
		size_t n = q ? (size_t)(q - p) : strlen(p);

		if (n)
			strlist_add_nodup(l, xstrndup(p, n));
		p = q ? q + seplen : NULL;
	}
}

void lineage_rows_clear(struct lineage_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free(rows->v[i].model_id);
		strlist_clear(&rows->v[i].base_models);
		strlist_clear(&rows->v[i].text_bases);
		verdict_release(&rows->v[i].own);
	}
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

/* Fills a lineage row from a statement of SQL_LINEAGE_PAGE's columns. */
static void read_lineage_row(sqlite3_stmt *s, struct lineage_row *r)
{
	const unsigned char *id = sqlite3_column_text(s, 1);
	const unsigned char *lic = sqlite3_column_text(s, 3);

	memset(r, 0, sizeof(*r));
	verdict_init(&r->own);
	r->rowid = sqlite3_column_int64(s, 0);
	r->model_id = id ? xstrdup((const char *)id) : NULL;
	split_into(&r->base_models, sqlite3_column_text(s, 2), ",");
	if (lic && strcmp((const char *)lic, "unknown"))
		split_into(&r->own.licenses, lic, " AND ");
	r->own.commercial = column_commercial(s, 4);
	split_into(&r->own.conditions, sqlite3_column_text(s, 5), ",");
	split_into(&r->own.review, sqlite3_column_text(s, 6), ",");
	r->own.body_restriction = sqlite3_column_int(s, 7);
	split_into(&r->text_bases, sqlite3_column_text(s, 8), ",");
}

int store_lineage_page(struct store *st, int64_t after_id, size_t limit,
		       struct lineage_rows *out, struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_LINEAGE_PAGE, err);
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, after_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		read_lineage_row(s, &out->v[out->n++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot read models");
	return 0;
}

int store_lineage_lookup(struct store *st, const char *model_id,
			 struct verdict *own, struct strlist *bases,
			 struct strlist *text_bases, struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_LINEAGE_LOOKUP, err);
	int rc, found = 0;

	if (!s)
		return -1;
	bind_text(s, 1, model_id);
	/* several copies (a clone and a cache folder, two revisions): the
	 * base binds by all of them, the most restrictive counting */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct lineage_row r;

		read_lineage_row(s, &r);
		if (!found++) {
			verdict_release(own);
			verdict_init(own);
			strlist_clear(bases);
			strlist_clear(text_bases);
		}
		for (size_t i = 0; i < r.own.licenses.n; i++)
			strlist_add_unique(&own->licenses, r.own.licenses.v[i]);
		for (size_t i = 0; i < r.own.conditions.n; i++)
			strlist_add_unique(&own->conditions, r.own.conditions.v[i]);
		for (size_t i = 0; i < r.own.review.n; i++)
			strlist_add_unique(&own->review, r.own.review.v[i]);
		for (size_t i = 0; i < r.base_models.n; i++)
			strlist_add_unique(bases, r.base_models.v[i]);
		for (size_t i = 0; i < r.text_bases.n; i++)
			strlist_add_unique(text_bases, r.text_bases.v[i]);
		if (r.own.commercial > own->commercial)	/* enum order = restrictiveness */
			own->commercial = r.own.commercial;
		own->body_restriction |= r.own.body_restriction;
		free(r.model_id);
		strlist_clear(&r.base_models);
		strlist_clear(&r.text_bases);
		verdict_release(&r.own);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot read a base model");
	strlist_sort(&own->licenses);
	strlist_sort(&own->conditions);
	strlist_sort(&own->review);
	return found > 0;
}

int store_count_commercial(struct store *st, int64_t scan_id, size_t *by,
			   struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (store_flush(st, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, SQL_COUNT_COMMERCIAL, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot count models");
	sqlite3_bind_int64(s, 1, scan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		by[column_commercial(s, 0)] += (size_t)sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot count models");
	return 0;
}

int store_set_final(struct store *st, int64_t rowid, const struct verdict *v,
		    struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (begin(st, err) < 0 || !(s = stmt(st, ST_SET_FINAL, err)))
		return -1;
	sqlite3_bind_int64(s, 1, rowid);
	bind_owned(s, 2, v->licenses.n ? strlist_join(&v->licenses, " AND ") : xstrdup("unknown"));
	bind_text(s, 3, commercial_name(v->commercial));
	bind_owned(s, 4, strlist_join(&v->conditions, ","));
	bind_owned(s, 5, strlist_join(&v->review, ","));
	bind_text(s, 6, strbuf_str(&v->reasoning));
	rc = run(st, s, err);
	if (!rc && ++st->pending >= STORE_BATCH)
		rc = store_flush(st, err);
	return rc;
}

/* Steps a prepared read-only statement, hands each row to cb, and
 * finalizes it, or, when it is one of st's kept statements (keep), resets
 * it for the next use. */
static int each_row(struct store *st, sqlite3_stmt *s, int keep, store_row_fn cb,
		    void *ctx, struct mc_error *err)
{
	const char *names[64], *values[64];
	int rc, n = sqlite3_column_count(s);

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(s, i);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			values[i] = (const char *)sqlite3_column_text(s, i);
		if (cb(ctx, n, names, values)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (keep) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	} else {
		sqlite3_finalize(s);
	}
	if (rc != SQLITE_DONE)
		return db_error(st, err, "query failed");
	return 0;
}

/* Runs one read-only statement with text parameters through each_row(). */
static int query(struct store *st, const char *sql, const char *const *args,
		 size_t nargs, store_row_fn cb, void *ctx, struct mc_error *err)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot prepare a query");
	for (size_t i = 0; i < nargs; i++)
		bind_text(s, (int)i + 1, args[i]);
	return each_row(st, s, 0, cb, ctx, err);
}

int store_find_models(struct store *st, const char *key, store_row_fn cb,
		      void *ctx, struct mc_error *err)
{
	return query(st, SQL_FIND_MODELS, &key, 1, cb, ctx, err);
}

int store_model_details(struct store *st, const char *rowid, enum store_detail what,
			store_row_fn cb, void *ctx, struct mc_error *err)
{
	static const int which[] = {
		[DETAIL_CARD_FIELDS] = ST_CARD_FIELDS,
		[DETAIL_EVIDENCE] = ST_EVIDENCE,
		[DETAIL_WEIGHTS] = ST_WEIGHTS,
	};
	sqlite3_stmt *s = stmt(st, which[what], err);

	if (!s)
		return -1;
	bind_text(s, 1, rowid);
	return each_row(st, s, 1, cb, ctx, err);
}

void history_models_free(struct history_model *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].root);
		free(v[i].revision);
		free(v[i].walked);
	}
	free(v);
}

static char *column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? xstrdup((const char *)t) : NULL;
}

int store_history_models(struct store *st, int64_t scan_id,
			 struct history_model **out, size_t *n,
			 struct mc_error *err)
{
	struct history_model *v = NULL;
	size_t alloc = 0;
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, SQL_HISTORY_MODELS, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot prepare a query");
	sqlite3_bind_int64(s, 1, scan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct history_model *h;
		const char *layout = (const char *)sqlite3_column_text(s, 2);

		ALLOC_GROW(v, *n + 1, alloc);
		h = &v[(*n)++];
		h->path = column_dup(s, 0);
		h->root = column_dup(s, 1);
		if (!layout || layout_named(layout, &h->layout) < 0)
			h->layout = LAYOUT_DIR;
		h->revision = column_dup(s, 3);
		h->walked = column_dup(s, 4);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		history_models_free(v, *n);
		*n = 0;
		return db_error(st, err, "query failed");
	}
	*out = v;
	return 0;
}

int store_history_put(struct store *st, int64_t scan_id, const char *path,
		      const char *revision, int64_t time, size_t depth,
		      const struct verdict *v, const char *error,
		      struct mc_error *err)
{
	sqlite3_stmt *s;

	if (begin(st, err) < 0 || !(s = stmt(st, ST_HISTORY_PUT, err)))
		return -1;
	bind_text(s, 1, path);
	bind_text(s, 2, revision);
	sqlite3_bind_int64(s, 3, scan_id);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)depth);
	sqlite3_bind_int64(s, 5, time);
	bind_owned(s, 6, v->licenses.n ? strlist_join(&v->licenses, " AND ") : xstrdup("unknown"));
	bind_text(s, 7, commercial_name(v->commercial));
	bind_owned(s, 8, strlist_join(&v->conditions, ","));
	bind_owned(s, 9, strlist_join(&v->review, ","));
	bind_text(s, 10, error);
	if (run(st, s, err) < 0)
		return -1;
	if (++st->pending >= STORE_BATCH)
		return store_flush(st, err);
	return 0;
}

int store_history_has(struct store *st, const char *path, const char *revision,
		      int *yes, struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_HISTORY_HAS, err);
	int rc;

	if (!s)
		return -1;
	bind_text(s, 1, path);
	bind_text(s, 2, revision);
	rc = sqlite3_step(s);
	*yes = rc == SQLITE_ROW;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "query failed");
	return 0;
}

int store_history_walked(struct store *st, int64_t scan_id, const char *path,
			 const char *head, size_t commits, int continued,
			 int shallow, const char *ended, const char *oldest,
			 struct mc_error *err)
{
	sqlite3_stmt *s;

	if (begin(st, err) < 0)
		return -1;
	if (!continued) {
		if (!(s = stmt(st, ST_HISTORY_DROP, err)))
			return -1;
		bind_text(s, 1, path);
		sqlite3_bind_int64(s, 2, scan_id);
		if (run(st, s, err) < 0)
			return -1;
	}
	if (oldest && (shallow || ended)) {
		if (!(s = stmt(st, ST_HISTORY_NOTE, err)))
			return -1;
		bind_text(s, 1, path);
		bind_text(s, 2, oldest);
		bind_owned(s, 3, shallow ?
			   xstrdup("the history ends here: a shallow clone holds no older commit") :
			   xstrfmt("the history ends here: %s", ended));
		if (run(st, s, err) < 0)
			return -1;
	}
	if (!(s = stmt(st, ST_HISTORY_WALKED, err)))
		return -1;
	bind_text(s, 1, path);
	bind_text(s, 2, head);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)commits);
	sqlite3_bind_int(s, 4, shallow);
	bind_text(s, 5, ended);
	sqlite3_bind_int64(s, 6, scan_id);
	sqlite3_bind_int(s, 7, continued);
	return run(st, s, err);
}

int store_history(struct store *st, const char *path, enum store_history what,
		  store_row_fn cb, void *ctx, struct mc_error *err)
{
	return query(st, what == HISTORY_ROWS ? SQL_HISTORY_ROWS : SQL_HISTORY_WALK,
		     &path, 1, cb, ctx, err);
}

int store_merge(struct store *st, const char *src, struct mc_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (store_flush(st, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS src", -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot attach");
	bind_text(s, 1, src);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mc_error_set(err, "cannot open '%s': %s", src, sqlite3_errmsg(st->db));
	rc = exec(st, "BEGIN IMMEDIATE", err);
	if (!rc) {
		/* the source must be an inventory of this schema version */
		sqlite3_stmt *v;
		int version = -1;

		if (sqlite3_prepare_v2(st->db, "PRAGMA src.user_version", -1, &v, NULL) == SQLITE_OK &&
		    sqlite3_step(v) == SQLITE_ROW)
			version = sqlite3_column_int(v, 0);
		sqlite3_finalize(v);
		if (version != (int)(sizeof(store_migrations) / sizeof(*store_migrations)))
			rc = mc_error_set(err, "'%s' is not a modelcensus inventory of schema version %d (it has %d)",
					  src, (int)(sizeof(store_migrations) / sizeof(*store_migrations)), version);
	}
	if (!rc)
		rc = exec(st, SQL_MERGE, err);
	if (!rc)
		rc = exec(st, "COMMIT", err);
	else
		exec(st, "ROLLBACK", NULL);
	exec(st, "DETACH DATABASE src", NULL);
	return rc;
}

int store_scans(struct store *st, store_row_fn cb, void *ctx, struct mc_error *err)
{
	return query(st, SQL_SCANS, NULL, 0, cb, ctx, err);
}

int store_changes(struct store *st, int64_t after, int64_t upto, store_row_fn cb,
		  void *ctx, struct mc_error *err)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, SQL_CHANGES_BETWEEN, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot prepare a query");
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, upto);
	return each_row(st, s, 0, cb, ctx, err);
}

/* Runs head, where (an SQL expression from the user, "1" when none) and
 * tail as one read-only statement: where must be one expression, so
 * nothing can follow it. */
static int query_where(struct store *st, const char *head, const char *where,
		       const char *tail_sql, store_row_fn cb, void *ctx,
		       struct mc_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *s;
	const char *tail = NULL;
	int rc;

	strbuf_adds(&sql, head);
	strbuf_adds(&sql, where && *where ? where : "1");
	strbuf_adds(&sql, tail_sql);
	rc = sqlite3_prepare_v2(st->db, sql.buf, -1, &s, &tail);
	if (rc == SQLITE_OK && tail && *tail) {	/* tail points into sql */
		sqlite3_finalize(s);
		rc = SQLITE_MISUSE;
	}
	strbuf_release(&sql);
	if (rc == SQLITE_MISUSE)
		return mc_error_set(err, "bad query: --where must be one expression");
	if (rc != SQLITE_OK)
		return mc_error_set(err, "bad query: %s", sqlite3_errmsg(st->db));
	return each_row(st, s, 0, cb, ctx, err);
}

int store_inventory(struct store *st, const char *where, store_row_fn cb,
		    void *ctx, struct mc_error *err)
{
	return query_where(st, "SELECT * FROM (" SQL_INVENTORY ") WHERE (", where,
			   ") ORDER BY path", cb, ctx, err);
}

int store_inventory_models(struct store *st, const char *where, store_row_fn cb,
			   void *ctx, struct mc_error *err)
{
	return query_where(st, SQL_INVENTORY_MODELS_HEAD, where,
			   SQL_INVENTORY_MODELS_TAIL, cb, ctx, err);
}

static int count_row(void *ctx, int ncols, const char *const *names,
		     const char *const *values)
{
	++*(size_t *)ctx;
	return 0;
}

int store_last_changes(struct store *st, int *exists, store_row_fn cb,
		       void *ctx, struct mc_error *err)
{
	size_t n = 0;

	*exists = 0;
	if (query(st, SQL_HAS_CHANGES, NULL, 0, count_row, &n, err) < 0)
		return -1;
	*exists = n > 0;
	if (!*exists)
		return 0;
	return query(st, SQL_LAST_CHANGES, NULL, 0, cb, ctx, err);
}

/* The user's expression in a query of its own: no parenthesis in it can
 * reach the filter around it. */
int store_inventory_changed(struct store *st, const char *where, store_row_fn cb,
			    void *ctx, struct mc_error *err)
{
	return query_where(st, "SELECT * FROM (SELECT * FROM (" SQL_INVENTORY ") WHERE (", where,
			   ")) WHERE " SQL_CHANGED_FILTER " ORDER BY path", cb, ctx, err);
}

int store_export_models(struct store *st, const char *where, store_row_fn cb,
			void *ctx, struct mc_error *err)
{
	return query_where(st, SQL_EXPORT_MODELS_HEAD, where, SQL_EXPORT_MODELS_TAIL,
			   cb, ctx, err);
}

int store_export_details(struct store *st, int64_t model, enum store_export what,
			 store_row_fn cb, void *ctx, struct mc_error *err)
{
	static const int which[] = {
		[EXPORT_CARD_FIELDS] = ST_CARD_FIELDS,	/* explain's */
		[EXPORT_WEIGHTS] = ST_EXPORT_WEIGHTS,
		[EXPORT_LICENSE_FILES] = ST_EXPORT_TEXTS,
	};
	sqlite3_stmt *s = stmt(st, which[what], err);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, model);
	return each_row(st, s, 1, cb, ctx, err);
}

int store_license_text(struct store *st, const char *hash, char **out,
		       struct mc_error *err)
{
	sqlite3_stmt *s = stmt(st, ST_LICENSE_TEXT, err);
	int rc;

	*out = NULL;
	if (!s)
		return -1;
	bind_text(s, 1, hash);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
		*out = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read a license text");
	return *out != NULL;
}
