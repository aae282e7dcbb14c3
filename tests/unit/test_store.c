/*
 * test_store.c: the inventory database through store.h, as a user of scan,
 * report, explain and merge would notice it.  A new database gets today's
 * schema and the public `inventory` view; older schemas migrate in place
 * and keep their models, a newer one is refused untouched; what a scan
 * writes reads back column by column; a rescan keeps unchanged rows and
 * marks the models it no longer finds gone (only under the roots it
 * scanned); a second writer is refused while readers go on, and a run
 * leaves the WAL emptied into the file and no lock file; a
 * reader never writes (an older schema is refused with what to run); a
 * path that is not UTF-8 is stored escaped with its exact bytes beside; a
 * merge keeps the newer row of a path; a scan records what it changed
 * (new, gone, another final verdict; nothing on the database's first scan),
 * a killed scan's changes go to the next, a merge carries them; bad input (a file that is no
 * database, a missing database or folder, a bad --where) is an error
 * naming what was wrong and what to do, and damages nothing.  Each test works in its own temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "modelcensus/store.h"
#include "../../src/store_sql.h"

#define N_MIGRATIONS (sizeof(store_migrations) / sizeof(*store_migrations))

/* ---- helpers: a temporary folder per test, sqlite3 as another program -- */

/* No file db + suffix (SQLite's -wal, the writer's .lock) exists. */
static void expect_no_file(const char *db, const char *suffix)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s", db, suffix);
	if (stat(path, &sb) == 0)
		fail_msg("'%s' was left", path);
}

struct tmp {
	char dir[64];
	char db[128];
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/mc-store-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->db, sizeof(t->db), "%s/inv.db", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];
	int rc;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	rc = system(cmd);
	free(t);
	return rc == 0 ? 0 : -1;
}

/* The first column of the first row of sql on db, or NULL. */
static char *query(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char *out = NULL;

	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return out;
}

static void expect_query(const char *db, const char *sql, const char *want)
{
	char *got = query(db, sql);

	if (!want)
		assert_null(got);
	else
		assert_string_equal(got ? got : "(null)", want);
	free(got);
}

/* Runs script on db directly, as another program (or an older release)
 * would. */
static void exec_sql(const char *db, const char *script)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, script, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Rows a store callback saw: "name=value|name=value\n" per row, NULL as
 * "NULL". */
static int collect(void *ctx, int ncols, const char *const *names,
		   const char *const *values)
{
	struct strbuf *sb = ctx;

	for (int i = 0; i < ncols; i++)
		strbuf_addf(sb, "%s%s=%s", i ? "|" : "", names[i],
			    values[i] ? values[i] : "NULL");
	strbuf_addch(sb, '\n');
	return 0;
}

static void expect_inventory(struct store *st, const char *where, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct mc_error err;

	assert_int_equal(store_inventory(st, where, collect, &sb, &err), 0);
	assert_string_equal(strbuf_str(&sb), want);
	strbuf_release(&sb);
}

/* A model with its own verdict, as the pipeline hands them to the store. */
struct fixture {
	struct model m;
	struct verdict v;
};

static void split_add(struct strlist *l, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, ",");

		strlist_add_nodup(l, xstrndup(list, n));
		list += n + (list[n] == ',');
	}
}

/* path under a plain-folder layout with license lic (a "," list, "" for
 * none) and commercial use cu; signature sig (0: none) */
static void fixture_init(struct fixture *f, const char *path, const char *lic,
			 enum commercial cu, uint64_t sig)
{
	model_init(&f->m, path, LAYOUT_DIR);
	verdict_init(&f->v);
	split_add(&f->v.declared, lic);
	split_add(&f->v.licenses, lic);
	f->v.commercial = cu;
	f->m.signature = sig;
	if (sig)
		strbuf_adds(&f->m.watch.paths, "README.md\n");
	f->m.retry = 1;
}

static void fixture_release(struct fixture *f)
{
	model_release(&f->m);
	verdict_release(&f->v);
}

static void put(struct store *st, int64_t scan, const char *root,
		const char *path, const char *lic, enum commercial cu, uint64_t sig)
{
	struct fixture f;
	struct mc_error err;
	enum commercial final;

	fixture_init(&f, path, lic, cu, sig);
	assert_int_equal(store_put_model(st, scan, root, &f.m, &f.v, "digest-1", &final, &err), 0);
	assert_int_equal(final, cu);
	fixture_release(&f);
}

static int64_t begin_scan(struct store *st, const char *root)
{
	struct mc_error err;
	int64_t scan = 0;

	assert_int_equal(store_scan_begin(st, root, "0.1.0", "digest-1", NULL, &scan, &err), 0);
	assert_true(scan > 0);
	return scan;
}

static void end_scan(struct store *st, int64_t scan, const char *root, size_t want_gone)
{
	struct scan_counts c = { 0 };
	struct mc_error err;

	assert_int_equal(store_mark_gone(st, scan, root, 0, 0, &c.gone, &err), 0);
	assert_int_equal(c.gone, want_gone);
	assert_int_equal(store_scan_end(st, scan, &c, &err), 0);
}

static struct store *open_writer(const char *db)
{
	struct store *st = NULL;
	struct mc_error err;

	if (store_open(&st, db, STORE_WRITER, &err) < 0)
		fail_msg("store_open: %s", err.msg);
	return st;
}

static void close_store(struct store *st)
{
	struct mc_error err;

	if (store_close(st, &err) < 0)
		fail_msg("store_close: %s", err.msg);
}

/* ---- schema ------------------------------------------------------------- */

/* A writer creates the database with today's schema: the version the
 * migrations count, the tables, and the public view with its columns in
 * their documented order (docs/inventory.md). */
static void test_new_database(void **state)
{
	struct tmp *t = *state;
	char want[16];
	struct stat sb;
	struct store *st;

	assert_int_not_equal(stat(t->db, &sb), 0);
	st = open_writer(t->db);
	close_store(st);
	assert_int_equal(stat(t->db, &sb), 0);

	snprintf(want, sizeof(want), "%zu", N_MIGRATIONS);
	expect_query(t->db, "PRAGMA user_version", want);
	expect_query(t->db, "SELECT group_concat(name, ',') FROM (SELECT name FROM"
		     " sqlite_master WHERE type = 'table' ORDER BY name)",
		     "card_fields,evidence,history,history_walks,license_texts,meta,models,"
		     "plain_folders,scans,seen,verdict_before,verdict_changes,weights");
	expect_query(t->db, "SELECT group_concat(name, ',') FROM pragma_table_info('license_history')",
		     "path,model_id,revision,committed_at,license,commercial_use,review,error,note");
	expect_query(t->db, "SELECT count(*) FROM license_history", "0");
	expect_query(t->db, "SELECT group_concat(name, ',') FROM pragma_table_info('changes')",
		     "scan_id,path,model_id,change,old_license,new_license,old_commercial_use,"
		     "new_commercial_use,old_conditions,new_conditions,old_review,new_review");
	expect_query(t->db, "SELECT group_concat(name, ',') FROM pragma_table_info('inventory')",
		     "path,layout,model_id,revision,declared_license,detected_license,"
		     "license,commercial_use,conditions,review,base_models,error,"
		     "weight_bytes,path_bytes");
	expect_query(t->db, "SELECT count(*) FROM inventory", "0");
	/* closed: in WAL mode (readers never wait for a mode switch), the
	 * WAL emptied into the file, no lock file left */
	expect_query(t->db, "PRAGMA journal_mode", "wal");
	expect_no_file(t->db, ".lock");

	/* opened again: nothing to migrate, nothing changes */
	st = open_writer(t->db);
	close_store(st);
	expect_query(t->db, "PRAGMA user_version", want);
	expect_query(t->db, "PRAGMA integrity_check", "ok");
}

/* A database written by the first schema version is opened by today's
 * store: it migrates in place, keeps its models, moves "which scan found
 * it" into the seen table, owes a lineage pass, and re-reads every model
 * once (the old signatures meant something else). */
static void test_migrate_from_version_1(void **state)
{
	struct tmp *t = *state;
	char want[16];
	struct known_models known;
	struct store *st;
	struct mc_error err;
	int pending;

	/* what the first release wrote */
	exec_sql(t->db, store_migrations[0]);
	exec_sql(t->db, "PRAGMA user_version = 1;"
		 "INSERT INTO scans(id, started, roots, tool_version, complete)"
		 " VALUES(1, '2026-01-01', '/m', '0.1.0', 1), (2, '2026-01-02', '/m', '0.1.0', 1);"
		 "INSERT INTO models(id, path, root, layout, signature, rules_digest,"
		 " license, commercial_use, first_scan, last_scan)"
		 " VALUES(7, '/m/a', '/m', 'dir', '00000000000000ff', 'd1', 'mit', 'allowed', 1, 2),"
		 " (8, '/m/b', '/m', 'dir', '00000000000000fe', 'd1', 'mit', 'allowed', 1, 1);");

	st = open_writer(t->db);
	snprintf(want, sizeof(want), "%zu", N_MIGRATIONS);
	expect_query(t->db, "PRAGMA user_version", want);
	expect_query(t->db, "SELECT group_concat(path || ':' || license || ':' || commercial_use)"
		     " FROM (SELECT * FROM inventory ORDER BY path)", "/m/a:mit:allowed,/m/b:mit:allowed");
	expect_query(t->db, "SELECT group_concat(model || ':' || scan) FROM"
		     " (SELECT * FROM seen ORDER BY model)", "7:2,8:1");
	expect_query(t->db, "SELECT count(*) FROM models WHERE signature IS NOT NULL", "0");
	assert_int_equal(store_lineage_pending(st, &pending, &err), 0);
	assert_true(pending);

	/* nothing to skip: every model is read once more */
	known_models_init(&known);
	assert_int_equal(store_known_models(st, &known, &err), 0);
	assert_int_equal(known.n, 0);
	known_models_clear(&known);
	close_store(st);

	/* opening again changes nothing */
	st = open_writer(t->db);
	close_store(st);
	expect_query(t->db, "PRAGMA user_version", want);
	expect_query(t->db, "SELECT count(*) FROM seen", "2");
	expect_query(t->db, "PRAGMA integrity_check", "ok");
}

/* From the version before the last: the seen rows and plain folders stay,
 * and a model with a signature is known to the next rescan (through the
 * index the last migration adds). */
static void test_migrate_from_previous_version(void **state)
{
	struct tmp *t = *state;
	char script[64];
	struct known_models known;
	const struct known_model *k;
	struct store *st;
	struct mc_error err;

	for (size_t i = 0; i + 1 < N_MIGRATIONS; i++)
		exec_sql(t->db, store_migrations[i]);
	snprintf(script, sizeof(script), "PRAGMA user_version = %zu;", N_MIGRATIONS - 1);
	exec_sql(t->db, script);
	exec_sql(t->db, "INSERT INTO scans(id, started, roots, tool_version, complete)"
		 " VALUES(3, '2026-02-01', '/m', '0.1.0', 1);"
		 "INSERT INTO models(id, path, root, layout, signature, watch, rules_digest,"
		 " license, commercial_use, first_scan, last_scan, error_retry)"
		 " VALUES(5, '/m/a', '/m', 'git', '0123456789abcdef', 'README.md', 'd1',"
		 " 'apache-2.0', 'allowed', 3, 3, 1);"
		 "INSERT INTO seen VALUES(5, 3);"
		 "INSERT INTO plain_folders VALUES('/m/docs', '00000000000000aa', 'docs');");

	st = open_writer(t->db);
	known_models_init(&known);
	assert_int_equal(store_known_models(st, &known, &err), 0);
	assert_int_equal(known.n, 2);
	k = known_models_find(&known, "/m/a");
	assert_non_null(k);
	assert_false(k->plain);
	assert_int_equal(k->id, 5);
	assert_int_equal(k->signature, 0x0123456789abcdefULL);
	assert_int_equal(k->layout, LAYOUT_GIT);
	assert_string_equal(k->root, "/m");
	assert_string_equal(k->rules_digest, "d1");
	assert_int_equal(k->commercial, CU_ALLOWED);
	k = known_models_find(&known, "/m/docs");
	assert_non_null(k);
	assert_true(k->plain);
	assert_int_equal(k->signature, 0xaa);
	known_models_clear(&known);
	close_store(st);

	snprintf(script, sizeof(script), "%zu", N_MIGRATIONS);
	expect_query(t->db, "PRAGMA user_version", script);
	expect_query(t->db, "SELECT model || ':' || scan FROM seen", "5:3");
	expect_query(t->db, "SELECT count(*) FROM sqlite_master WHERE name = 'models_known'", "1");
}

/* A database of a newer schema (a newer modelcensus wrote it) is refused,
 * by writers and readers alike, and left as it was. */
static void test_newer_version_refused(void **state)
{
	struct tmp *t = *state;
	char script[64], want[16];
	struct store *st = NULL;
	struct mc_error err;

	st = open_writer(t->db);
	close_store(st);
	snprintf(script, sizeof(script), "PRAGMA user_version = %zu;", N_MIGRATIONS + 1);
	exec_sql(t->db, script);

	assert_int_equal(store_open(&st, t->db, STORE_WRITER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->db));
	assert_non_null(strstr(err.msg, "newer than this modelcensus knows"));
	assert_int_equal(store_open(&st, t->db, STORE_READER, &err), -1);
	assert_non_null(strstr(err.msg, "newer"));

	snprintf(want, sizeof(want), "%zu", N_MIGRATIONS + 1);
	expect_query(t->db, "PRAGMA user_version", want);
}

/* A reader never writes, not even a migration: a database of an older
 * schema is refused with what to run, and left as it was; a writer then
 * migrates it and the reader reads it. */
static void test_reader_refuses_older(void **state)
{
	struct tmp *t = *state;
	char script[64], want[16];
	struct store *st = NULL;
	struct mc_error err;

	for (size_t i = 0; i + 1 < N_MIGRATIONS; i++)
		exec_sql(t->db, store_migrations[i]);
	snprintf(script, sizeof(script), "PRAGMA user_version = %zu;", N_MIGRATIONS - 1);
	exec_sql(t->db, script);

	assert_int_equal(store_open(&st, t->db, STORE_READER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->db));
	assert_non_null(strstr(err.msg, "older"));
	assert_non_null(strstr(err.msg, "modelcensus scan"));
	snprintf(want, sizeof(want), "%zu", N_MIGRATIONS - 1);
	expect_query(t->db, "PRAGMA user_version", want);
	expect_no_file(t->db, ".lock");

	st = open_writer(t->db);
	close_store(st);
	if (store_open(&st, t->db, STORE_READER, &err) < 0)
		fail_msg("reader: %s", err.msg);
	expect_inventory(st, NULL, "");
	close_store(st);
}

/* ---- writing and reading back ------------------------------------------- */

/* Every column of the inventory view (and weight_bytes) reads back as the
 * scan wrote it; explain's queries find the model by path and by model id
 * (any case) with its card fields, evidence and weights. */
static void test_put_and_read_back(void **state)
{
	struct tmp *t = *state;
	struct fixture f;
	struct model_file *file;
	struct weight_file *w;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	struct mc_error err;
	enum commercial final;
	int64_t scan;
	char *id;

	st = open_writer(t->db);
	scan = begin_scan(st, "/models");

	model_init(&f.m, "/models/acme/llama-ft", LAYOUT_GIT);
	verdict_init(&f.v);
	f.m.model_id = xstrdup("acme/llama-ft");
	f.m.revision = xstrdup("0123456789abcdef0123456789abcdef01234567");
	f.m.card_name = xstrdup("README.md");
	f.m.card_len = 321;
	f.m.has_card = 1;
	strlist_add(&f.m.card.licenses, "apache-2.0");
	strlist_add(&f.m.card.base_models, "meta-llama/Llama-2-7b");
	f.m.card.gated = xstrdup("auto");
	strlist_add(&f.m.base_models, "meta-llama/Llama-2-7b");
	strlist_add(&f.m.base_models, "acme/other-base");
	file = model_add_file(&f.m, "LICENSE", ROLE_LICENSE);
	file->size = 11357;
	file->oid = xstrdup("261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64");
	w = model_add_weight(&f.m, "model-00001.safetensors", "safetensors");
	w->size = 4000000000ULL;
	w->present = 1;
	w = model_add_weight(&f.m, "model-00002.safetensors", "safetensors");
	w->size = 1000;
	w->lfs_oid = xstrdup("aa");
	model_set_problem(&f.m, "card front matter: bad indentation");
	split_add(&f.v.declared, "apache-2.0");
	split_add(&f.v.detected, "llama2,mit");
	split_add(&f.v.licenses, "apache-2.0,llama2,mit");
	f.v.commercial = CU_CONDITIONAL;
	split_add(&f.v.conditions, "attribution,mau-700m");
	split_add(&f.v.review, "conflict");
	strbuf_adds(&f.v.reasoning, "card declares apache-2.0\n");

	assert_int_equal(store_put_model(st, scan, "/models", &f.m, &f.v, "digest-1", &final, &err), 0);
	assert_int_equal(final, CU_CONDITIONAL);
	fixture_release(&f);
	end_scan(st, scan, "/models", 0);

	expect_inventory(st, NULL,
		"path=/models/acme/llama-ft|layout=git|model_id=acme/llama-ft"
		"|revision=0123456789abcdef0123456789abcdef01234567"
		"|declared_license=apache-2.0|detected_license=llama2 AND mit"
		"|license=apache-2.0 AND llama2 AND mit|commercial_use=conditional"
		"|conditions=attribution,mau-700m|review=conflict"
		"|base_models=meta-llama/Llama-2-7b,acme/other-base"
		"|error=card front matter: bad indentation|weight_bytes=4000001000\n");
	/* the view other programs read holds the same */
	expect_query(t->db, "SELECT path || '|' || license || '|' || commercial_use FROM inventory",
		     "/models/acme/llama-ft|apache-2.0 AND llama2 AND mit|conditional");
	expect_query(t->db, "SELECT models || ',' || complete FROM scans", "0,1");

	/* explain: by model id in another case, then its details */
	assert_int_equal(store_find_models(st, "ACME/Llama-FT", collect, &sb, &err), 0);
	assert_non_null(strstr(sb.buf, "|path=/models/acme/llama-ft|"));
	assert_non_null(strstr(sb.buf, "|own_reasoning=card declares apache-2.0\n|"));
	assert_non_null(strstr(sb.buf, "|gone=0|"));
	assert_null(strstr(sb.buf, "last_seen=NULL"));
	id = xstrndup(sb.buf + 3, strcspn(sb.buf + 3, "|"));	/* "id=N|..." */
	strbuf_release(&sb);

	assert_int_equal(store_model_details(st, id, DETAIL_CARD_FIELDS, collect, &sb, &err), 0);
	assert_string_equal(strbuf_str(&sb),
		"key=license|value=apache-2.0\n"
		"key=base_model|value=meta-llama/Llama-2-7b\n"
		"key=gated|value=auto\n");
	strbuf_release(&sb);
	assert_int_equal(store_model_details(st, id, DETAIL_EVIDENCE, collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "source=file|name=LICENSE|role=license"
			       "|blob=261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64|size=11357|"));
	assert_non_null(strstr(strbuf_str(&sb), "note=no license identified\n"));
	assert_non_null(strstr(strbuf_str(&sb), "source=card|name=README.md|role=card|"));
	strbuf_release(&sb);
	assert_int_equal(store_model_details(st, id, DETAIL_WEIGHTS, collect, &sb, &err), 0);
	assert_string_equal(strbuf_str(&sb),
		"path=model-00001.safetensors|format=safetensors|size=4000000000|lfs_oid=NULL"
		"|present=1|incomplete=0|license=NULL|error=NULL\n"
		"path=model-00002.safetensors|format=safetensors|size=1000|lfs_oid=aa"
		"|present=0|incomplete=0|license=NULL|error=NULL\n");
	strbuf_release(&sb);
	free(id);

	/* a model no source says anything about is `unknown`, not empty */
	scan = begin_scan(st, "/other");
	put(st, scan, "/other", "/other/m", "", CU_UNKNOWN, 0);
	end_scan(st, scan, "/other", 0);
	expect_inventory(st, "path = '/other/m'",
		"path=/other/m|layout=dir|model_id=NULL|revision=NULL|declared_license=NULL"
		"|detected_license=NULL|license=unknown|commercial_use=unknown|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	close_store(st);
}

/* A run stopped before its first commit leaves no trace: neither its scan
 * nor its models. */
static void test_discard(void **state)
{
	struct tmp *t = *state;
	struct store *st = open_writer(t->db);
	int64_t scan = begin_scan(st, "/m");

	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	store_discard(st);
	close_store(st);
	expect_query(t->db, "SELECT count(*) FROM scans", "0");
	expect_query(t->db, "SELECT count(*) FROM inventory", "0");
}

/* ---- rescans ------------------------------------------------------------ */

/* A rescan knows each model it may skip; an unchanged model is marked
 * seen without its row being rewritten; a model read again keeps its row
 * (id, first scan) with the new values. */
static void test_rescan_keeps_unchanged_rows(void **state)
{
	struct tmp *t = *state;
	struct known_models known;
	const struct known_model *ka, *kb;
	struct store *st;
	struct mc_error err;
	int64_t scan1, scan2, ids[2];
	size_t by[CU_NOT_ALLOWED + 1] = { 0 };

	st = open_writer(t->db);
	scan1 = begin_scan(st, "/m");
	put(st, scan1, "/m", "/m/a", "mit", CU_ALLOWED, 0xa1);
	put(st, scan1, "/m", "/m/b", "cc-by-nc-4.0", CU_NOT_ALLOWED, 0xb1);
	put(st, scan1, "/m", "/m/c", "apache-2.0", CU_ALLOWED, 0xc1);
	put(st, scan1, "/m", "/m/nosig", "mit", CU_ALLOWED, 0);
	end_scan(st, scan1, "/m", 0);
	close_store(st);
	exec_sql(t->db, "UPDATE models SET reasoning = 'marker' WHERE path = '/m/a'");

	st = open_writer(t->db);
	known_models_init(&known);
	assert_int_equal(store_known_models(st, &known, &err), 0);
	assert_int_equal(known.n, 3);	/* not the model without a signature */
	assert_null(known_models_find(&known, "/m/nosig"));
	ka = known_models_find(&known, "/m/a");
	kb = known_models_find(&known, "/m/b");
	assert_non_null(ka);
	assert_non_null(kb);
	assert_int_equal(ka->signature, 0xa1);
	assert_string_equal(ka->root, "/m");
	assert_string_equal(ka->rules_digest, "digest-1");
	assert_int_equal(kb->commercial, CU_NOT_ALLOWED);

	scan2 = begin_scan(st, "/m");
	ids[0] = kb->id;
	ids[1] = ka->id;
	assert_int_equal(store_touch(st, scan2, ids, 2, &err), 0);
	put(st, scan2, "/m", "/m/c", "apache-2.0,llama2", CU_CONDITIONAL, 0xc2);
	put(st, scan2, "/m", "/m/nosig", "mit", CU_ALLOWED, 0);
	known_models_clear(&known);
	end_scan(st, scan2, "/m", 0);

	/* every model is present; only c changed; a's row was not rewritten */
	expect_inventory(st, NULL,
		"path=/m/a|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n"
		"path=/m/b|layout=dir|model_id=NULL|revision=NULL|declared_license=cc-by-nc-4.0"
		"|detected_license=NULL|license=cc-by-nc-4.0|commercial_use=not-allowed"
		"|conditions=NULL|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n"
		"path=/m/c|layout=dir|model_id=NULL|revision=NULL"
		"|declared_license=apache-2.0 AND llama2|detected_license=NULL"
		"|license=apache-2.0 AND llama2|commercial_use=conditional|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n"
		"path=/m/nosig|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	expect_query(t->db, "SELECT reasoning || ',' || last_scan FROM models WHERE path = '/m/a'", "marker,1");
	expect_query(t->db, "SELECT id || ',' || first_scan || ',' || last_scan FROM models"
		     " WHERE path = '/m/c'", "3,1,2");
	expect_query(t->db, "SELECT group_concat(scan) FROM (SELECT scan FROM seen ORDER BY model)",
		     "2,2,2,2");
	expect_query(t->db, "SELECT count(*) FROM models", "4");

	/* what scan prints at its end: the models this scan saw, by class */
	assert_int_equal(store_count_commercial(st, scan2, by, &err), 0);
	assert_int_equal(by[CU_ALLOWED], 2);
	assert_int_equal(by[CU_CONDITIONAL], 1);
	assert_int_equal(by[CU_NOT_ALLOWED], 1);
	assert_int_equal(by[CU_UNKNOWN], 0);
	close_store(st);
}

/* A model a later scan of the same root no longer finds is gone: out of
 * the inventory, still there for explain.  Models under other roots (even
 * one whose path starts the same) stay; a model found again comes back. */
static void test_gone(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	struct mc_error err;
	int64_t scan;
	int pending;

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	put(st, scan, "/m", "/m/b", "mit", CU_ALLOWED, 2);
	end_scan(st, scan, "/m", 0);
	scan = begin_scan(st, "/m2");
	put(st, scan, "/m2", "/m2/x", "mit", CU_ALLOWED, 3);
	end_scan(st, scan, "/m2", 0);
	assert_int_equal(store_lineage_done(st, &err), 0);

	/* /m again, without b */
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	end_scan(st, scan, "/m", 1);
	assert_int_equal(store_lineage_pending(st, &pending, &err), 0);
	assert_true(pending);	/* b may have been a base model */
	expect_query(t->db, "SELECT group_concat(path) FROM (SELECT path FROM inventory ORDER BY path)",
		     "/m/a,/m2/x");
	expect_query(t->db, "SELECT gone FROM models WHERE path = '/m/b'", "1");
	expect_query(t->db, "SELECT gone FROM scans ORDER BY id DESC LIMIT 1", "1");
	assert_int_equal(store_find_models(st, "/m/b", collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "|gone=1|"));
	strbuf_release(&sb);

	/* scanning a folder below a root marks only what is below it */
	scan = begin_scan(st, "/m/a");
	end_scan(st, scan, "/m/a", 1);
	expect_query(t->db, "SELECT group_concat(path) FROM inventory", "/m2/x");

	/* found again: present again, the same row */
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	put(st, scan, "/m", "/m/b", "mit", CU_ALLOWED, 2);
	end_scan(st, scan, "/m", 0);
	expect_query(t->db, "SELECT group_concat(id || ':' || path) FROM"
		     " (SELECT m.id, i.path FROM inventory i JOIN models m USING (path) ORDER BY path)",
		     "1:/m/a,2:/m/b,3:/m2/x");
	close_store(st);
}

/* Only one shard's models are marked gone by a sharded scan: the shard of
 * each path's store_shard_hash(), computed afresh (what is stored may be
 * an older version's hash). */
static void test_gone_in_shard(void **state)
{
	struct tmp *t = *state;
	struct store *st = open_writer(t->db);
	int64_t scan = begin_scan(st, "/m");
	struct scan_counts c = { 0 };
	struct mc_error err;
	char mine[16] = "", other[16] = "";

	/* two paths of different shards of 2 */
	for (char x = 'a'; x <= 'z' && (!*mine || !*other); x++) {
		char path[16];

		snprintf(path, sizeof(path), "/m/%c", x);
		snprintf(store_shard_hash(path, strlen(path)) % 2 ? other : mine, 16, "%s", path);
	}
	assert_true(*mine && *other);
	put(st, scan, "/m", mine, "mit", CU_ALLOWED, 1);
	put(st, scan, "/m", other, "mit", CU_ALLOWED, 2);
	end_scan(st, scan, "/m", 0);
	close_store(st);
	/* stored hashes that say the opposite are not believed */
	exec_sql(t->db, "UPDATE models SET shard_hash = 5");

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	/* shard 0 of 2 saw nothing: mine is gone, other is another shard's */
	assert_int_equal(store_mark_gone(st, scan, "/m", 0, 2, &c.gone, &err), 0);
	assert_int_equal(c.gone, 1);
	assert_int_equal(store_scan_end(st, scan, &c, &err), 0);
	close_store(st);
	expect_query(t->db, "SELECT group_concat(path) FROM inventory", other);
}

/* Touching marks exactly the ids given as seen by the scan, whether they
 * run (one statement a run) or not, in any order, duplicates and all. */
static void test_touch(void **state)
{
	struct tmp *t = *state;
	int64_t ids[] = { 9, 3, 4, 5, 6, 7, 30, 12, 31, 20, 7, 40, 41, 42, 43, 44, 45 };
	struct store *st;
	struct mc_error err;
	int64_t scan;

	st = open_writer(t->db);
	close_store(st);
	/* models 1..50, all seen by scan 1 */
	exec_sql(t->db, "INSERT INTO scans(id, started, roots, tool_version, complete)"
		 " VALUES(1, '2026-01-01', '/m', '0.1.0', 1);"
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
		 " INSERT INTO models(id, path, root, layout) SELECT i, '/m/' || i, '/m', 'dir' FROM n;"
		 "INSERT INTO seen SELECT id, 1 FROM models;");

	st = open_writer(t->db);
	assert_int_equal(store_scan_begin(st, "/m", "0.1.0", "d", NULL, &scan, &err), 0);
	assert_int_equal(store_touch(st, scan, ids, sizeof(ids) / sizeof(*ids), &err), 0);
	assert_int_equal(store_flush(st, &err), 0);
	close_store(st);
	expect_query(t->db, "SELECT group_concat(model) FROM"
		     " (SELECT model FROM seen WHERE scan = 2 ORDER BY model)",
		     "3,4,5,6,7,9,12,20,30,31,40,41,42,43,44,45");
	expect_query(t->db, "SELECT count(*) FROM seen WHERE scan = 1", "34");
}

/* ---- lineage ------------------------------------------------------------ */

/* The lineage pass reads models that name a base, finds the base by id in
 * any case, and writes a final verdict the inventory shows while the own
 * verdict stays; a rescan with the same result keeps that final verdict
 * and owes no new pass. */
static void test_lineage_final_kept(void **state)
{
	struct tmp *t = *state;
	struct lineage_rows rows = { 0 };
	struct verdict base, final_v;
	struct strlist bases = { 0 }, tbases = { 0 };
	struct fixture f;
	struct store *st;
	struct mc_error err;
	enum commercial final;
	int64_t scan;
	int pending;

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	fixture_init(&f, "/m/base", "cc-by-nc-4.0", CU_NOT_ALLOWED, 1);
	f.m.model_id = xstrdup("Org/Base");
	assert_int_equal(store_put_model(st, scan, "/m", &f.m, &f.v, "d", &final, &err), 0);
	fixture_release(&f);
	fixture_init(&f, "/m/ft", "mit", CU_ALLOWED, 2);
	strlist_add(&f.m.base_models, "org/base");
	assert_int_equal(store_put_model(st, scan, "/m", &f.m, &f.v, "d", &final, &err), 0);
	fixture_release(&f);
	end_scan(st, scan, "/m", 0);

	assert_int_equal(store_lineage_page(st, 0, 100, &rows, &err), 0);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.v[0].base_models.v[0], "org/base");
	assert_int_equal(rows.v[0].own.commercial, CU_ALLOWED);

	verdict_init(&base);
	assert_int_equal(store_lineage_lookup(st, "ORG/BASE", &base, &bases, &tbases, &err), 1);
	assert_int_equal(base.commercial, CU_NOT_ALLOWED);
	assert_string_equal(base.licenses.v[0], "cc-by-nc-4.0");
	assert_int_equal(store_lineage_lookup(st, "org/absent", &base, &bases, &tbases, &err), 0);

	verdict_init(&final_v);
	split_add(&final_v.licenses, "cc-by-nc-4.0,mit");
	final_v.commercial = CU_NOT_ALLOWED;
	strbuf_adds(&final_v.reasoning, "base org/base is not-allowed\n");
	assert_int_equal(store_set_final(st, rows.v[0].rowid, &final_v, &err), 0);
	assert_int_equal(store_lineage_done(st, &err), 0);
	lineage_rows_clear(&rows);
	verdict_release(&base);
	verdict_release(&final_v);
	strlist_clear(&bases);
	strlist_clear(&tbases);

	expect_query(t->db, "SELECT license || '|' || commercial_use FROM inventory WHERE path = '/m/ft'",
		     "cc-by-nc-4.0 AND mit|not-allowed");
	expect_query(t->db, "SELECT own_license || '|' || own_commercial_use FROM models"
		     " WHERE path = '/m/ft'", "mit|allowed");

	/* read again, same own verdict: the final one stays, no pass owed */
	scan = begin_scan(st, "/m");
	fixture_init(&f, "/m/ft", "mit", CU_ALLOWED, 2);
	strlist_add(&f.m.base_models, "org/base");
	assert_int_equal(store_put_model(st, scan, "/m", &f.m, &f.v, "d", &final, &err), 0);
	assert_int_equal(final, CU_NOT_ALLOWED);
	fixture_release(&f);
	assert_int_equal(store_flush(st, &err), 0);
	assert_int_equal(store_lineage_pending(st, &pending, &err), 0);
	assert_false(pending);
	expect_query(t->db, "SELECT license FROM inventory WHERE path = '/m/ft'", "cc-by-nc-4.0 AND mit");
	close_store(st);
}

/* ---- changes between scans ---------------------------------------------- */

/* "change:path" of each change scan recorded, by path */
static void expect_changes(const char *db, int64_t scan, const char *want)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT group_concat(change || ':' || path, ' ') FROM"
		 " (SELECT * FROM changes WHERE scan_id = %lld ORDER BY path)", (long long)scan);
	expect_query(db, sql, want);
}

/* The database's first scan lists nothing; the next one lists each model
 * new, gone, or whose final verdict differs (read again or set by the
 * lineage pass), with old and new verdicts, and nothing else: a model
 * read again the same, or changed and changed back within the scan, is no
 * change.  The summary, diff's query and check --changed read them. */
static void test_changes(void **state)
{
	struct tmp *t = *state;
	struct change_summary ch;
	struct strbuf sb = STRBUF_INIT;
	struct verdict v;
	struct store *st;
	struct mc_error err;
	int64_t scan, e_id;

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	put(st, scan, "/m", "/m/b", "mit", CU_ALLOWED, 2);
	put(st, scan, "/m", "/m/c", "apache-2.0", CU_ALLOWED, 3);
	put(st, scan, "/m", "/m/e", "mit", CU_ALLOWED, 4);
	end_scan(st, scan, "/m", 0);
	expect_query(t->db, "SELECT count(*) FROM changes", "0");
	expect_query(t->db, "SELECT changes FROM scans", "0");
	assert_int_equal(store_scan_changes(st, scan, &ch, &err), 0);
	assert_false(ch.recorded);
	change_summary_release(&ch);
	/* check --changed after the first scan: every model is new */
	assert_int_equal(store_inventory_changed(st, NULL, collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "path=/m/a|"));
	assert_non_null(strstr(strbuf_str(&sb), "path=/m/e|"));
	strbuf_reset(&sb);
	e_id = 4;	/* the fourth row */

	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "cc-by-nc-4.0", CU_NOT_ALLOWED, 11);
	put(st, scan, "/m", "/m/c", "apache-2.0", CU_ALLOWED, 3);	/* the same */
	put(st, scan, "/m", "/m/d", "mit", CU_ALLOWED, 12);
	put(st, scan, "/m", "/m/e", "mit", CU_ALLOWED, 4);
	/* e changed by a lineage pass, then back: no change */
	verdict_init(&v);
	split_add(&v.licenses, "gpl-3.0");
	v.commercial = CU_CONDITIONAL;
	assert_int_equal(store_set_final(st, e_id, &v, &err), 0);
	verdict_release(&v);
	verdict_init(&v);
	split_add(&v.licenses, "mit");
	v.commercial = CU_ALLOWED;
	assert_int_equal(store_set_final(st, e_id, &v, &err), 0);
	verdict_release(&v);
	end_scan(st, scan, "/m", 1);
	expect_changes(t->db, scan, "changed:/m/a gone:/m/b new:/m/d");
	expect_query(t->db, "SELECT old_license || '>' || new_license || ' ' || old_commercial_use"
		     " || '>' || new_commercial_use FROM changes WHERE change = 'changed'",
		     "mit>cc-by-nc-4.0 allowed>not-allowed");
	expect_query(t->db, "SELECT count(*) FROM changes WHERE change = 'new'"
		     " AND old_license IS NULL AND new_license = 'mit'", "1");
	expect_query(t->db, "SELECT count(*) FROM changes WHERE change = 'gone'"
		     " AND old_license = 'mit' AND new_license IS NULL", "1");
	expect_query(t->db, "SELECT count(*) FROM verdict_before", "0");

	assert_int_equal(store_scan_changes(st, scan, &ch, &err), 0);
	assert_true(ch.recorded);
	assert_int_equal(ch.added, 1);
	assert_int_equal(ch.changed, 1);
	assert_int_equal(ch.gone, 1);
	assert_int_equal(ch.commercial, 1);
	assert_string_equal(ch.commercial_paths.v[0], "/m/a");
	assert_int_equal(ch.commercial_from[0], CU_ALLOWED);
	assert_int_equal(ch.commercial_to[0], CU_NOT_ALLOWED);
	assert_string_equal(ch.gone_paths.v[0], "/m/b");
	change_summary_release(&ch);

	/* diff's query: grouped, in order */
	assert_int_equal(store_changes(st, scan - 1, scan, collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "group=more-restrictive|scan_id=2|path=/m/a|"));
	assert_non_null(strstr(strbuf_str(&sb), "group=new|scan_id=2|path=/m/d|"));
	assert_non_null(strstr(strbuf_str(&sb), "group=gone|scan_id=2|path=/m/b|"));
	assert_true(strstr(strbuf_str(&sb), "/m/a") < strstr(strbuf_str(&sb), "/m/d"));
	assert_true(strstr(strbuf_str(&sb), "/m/d") < strstr(strbuf_str(&sb), "/m/b"));
	strbuf_reset(&sb);
	/* check --changed: the new and the changed model only */
	assert_int_equal(store_inventory_changed(st, NULL, collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "path=/m/a|"));
	assert_non_null(strstr(strbuf_str(&sb), "path=/m/d|"));
	assert_null(strstr(strbuf_str(&sb), "path=/m/c|"));
	assert_null(strstr(strbuf_str(&sb), "path=/m/e|"));
	strbuf_reset(&sb);
	assert_int_equal(store_inventory_changed(st, "path = '/m/d'", collect, &sb, &err), 0);
	assert_null(strstr(strbuf_str(&sb), "path=/m/a|"));
	strbuf_release(&sb);

	/* b found again: new; a as it is: nothing */
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/b", "mit", CU_ALLOWED, 2);
	put(st, scan, "/m", "/m/a", "cc-by-nc-4.0", CU_NOT_ALLOWED, 11);
	put(st, scan, "/m", "/m/c", "apache-2.0", CU_ALLOWED, 3);
	put(st, scan, "/m", "/m/d", "mit", CU_ALLOWED, 12);
	put(st, scan, "/m", "/m/e", "mit", CU_ALLOWED, 4);
	end_scan(st, scan, "/m", 0);
	expect_changes(t->db, scan, "new:/m/b");
	close_store(st);
	expect_query(t->db, "PRAGMA integrity_check", "ok");
}

/* A scan that does not finish leaves what it changed in verdict_before;
 * the next scan takes it over, so its changes are against the last
 * finished state (here: a changed by the killed scan and not read again). */
static void test_changes_after_a_killed_scan(void **state)
{
	struct tmp *t = *state;
	struct store *st;
	struct mc_error err;
	int64_t scan, ids[] = { 1 };

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	end_scan(st, scan, "/m", 0);
	scan = begin_scan(st, "/m");
	put(st, scan, "/m", "/m/a", "cc-by-nc-4.0", CU_NOT_ALLOWED, 2);
	assert_int_equal(store_flush(st, &err), 0);	/* committed, then killed */
	close_store(st);
	expect_query(t->db, "SELECT count(*) FROM verdict_before", "1");
	expect_query(t->db, "SELECT count(*) FROM changes", "0");

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	assert_int_equal(store_touch(st, scan, ids, 1, &err), 0);	/* unchanged */
	end_scan(st, scan, "/m", 0);
	close_store(st);
	expect_changes(t->db, scan, "changed:/m/a");
	expect_query(t->db, "SELECT old_commercial_use || '>' || new_commercial_use FROM changes",
		     "allowed>not-allowed");
	expect_query(t->db, "SELECT count(*) FROM verdict_before", "0");
}

/* A merge takes the changes of the scans it takes, with their new ids,
 * and records none of its own. */
static void test_merge_changes(void **state)
{
	struct tmp *t = *state;
	char b[160];
	struct store *st;
	struct mc_error err;
	int64_t scan;

	snprintf(b, sizeof(b), "%s/b.db", t->dir);
	st = open_writer(b);
	scan = begin_scan(st, "/b");
	put(st, scan, "/b", "/b/1", "mit", CU_ALLOWED, 1);
	end_scan(st, scan, "/b", 0);
	scan = begin_scan(st, "/b");
	put(st, scan, "/b", "/b/1", "cc-by-nc-4.0", CU_NOT_ALLOWED, 2);
	end_scan(st, scan, "/b", 0);
	close_store(st);

	st = open_writer(t->db);
	scan = begin_scan(st, "/a");
	put(st, scan, "/a", "/a/1", "mit", CU_ALLOWED, 1);
	end_scan(st, scan, "/a", 0);
	if (store_merge(st, b, &err) < 0)
		fail_msg("merge: %s", err.msg);
	close_store(st);
	expect_changes(t->db, 3, "changed:/b/1");
	expect_query(t->db, "SELECT count(*) FROM changes", "1");
	expect_query(t->db, "SELECT group_concat(coalesce(changes, 'NULL')) FROM (SELECT changes FROM scans ORDER BY id)",
		     "0,0,1");
	expect_query(t->db, "SELECT count(*) FROM verdict_before", "0");
}

/* ---- the writer lock ---------------------------------------------------- */

/* While a writer holds the database, a second writer is refused at once,
 * naming the database and the holder's pid; readers go on and see what
 * was committed; once the first closes, a writer gets in. */
static void test_lock(void **state)
{
	struct tmp *t = *state;
	struct store *w1, *w2 = NULL, *r;
	struct mc_error err;
	char pid[32], lock[160], held[32];
	int64_t scan;
	size_t n;
	FILE *f;

	/* the lock file names the holder's pid alone, whatever was left */
	snprintf(lock, sizeof(lock), "%s.lock", t->db);
	write_file(lock, "1234567890\n");
	w1 = open_writer(t->db);
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	f = fopen(lock, "r");
	assert_non_null(f);
	n = fread(held, 1, sizeof(held) - 1, f);
	fclose(f);
	held[n] = '\0';
	assert_string_equal(held, pid);

	scan = begin_scan(w1, "/m");
	put(w1, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	end_scan(w1, scan, "/m", 0);

	assert_int_equal(store_open(&w2, t->db, STORE_WRITER, &err), -1);
	assert_null(w2);
	assert_non_null(strstr(err.msg, t->db));
	snprintf(pid, sizeof(pid), "pid %ld", (long)getpid());
	assert_non_null(strstr(err.msg, pid));

	/* an uncommitted batch: a reader sees the last commit, without waiting */
	scan = begin_scan(w1, "/m");
	put(w1, scan, "/m", "/m/b", "mit", CU_ALLOWED, 2);
	if (store_open(&r, t->db, STORE_READER, &err) < 0)
		fail_msg("reader: %s", err.msg);
	expect_inventory(r, NULL,
		"path=/m/a|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	assert_int_equal(store_flush(w1, &err), 0);
	expect_inventory(r, "path = '/m/b'",
		"path=/m/b|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");

	/* a reader open while the writer closes keeps the WAL (the writer
	 * does not wait for it long) and reads on; the lock file goes */
	close_store(w1);
	expect_no_file(t->db, ".lock");
	expect_inventory(r, "path = '/m/b'",
		"path=/m/b|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	close_store(r);

	/* the next writer gets in; a reader opened before it reads what it
	 * wrote, and after */
	if (store_open(&r, t->db, STORE_READER, &err) < 0)
		fail_msg("reader: %s", err.msg);
	w2 = open_writer(t->db);
	scan = begin_scan(w2, "/m");
	put(w2, scan, "/m", "/m/c", "mit", CU_ALLOWED, 3);
	assert_int_equal(store_flush(w2, &err), 0);
	expect_inventory(r, "path = '/m/c'",
		"path=/m/c|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	close_store(r);
	close_store(w2);
	expect_query(t->db, "PRAGMA journal_mode", "wal");
	expect_no_file(t->db, ".lock");
}

/* ---- merge -------------------------------------------------------------- */

static void make_inventory(const char *db, const char *root, const char *started,
			   const char *const *paths, const char *lic)
{
	struct store *st = open_writer(db);
	int64_t scan = begin_scan(st, root);
	char sql[128];

	for (size_t i = 0; paths[i]; i++)
		put(st, scan, root, paths[i], lic, CU_ALLOWED, i + 1);
	end_scan(st, scan, root, 0);
	close_store(st);
	snprintf(sql, sizeof(sql), "UPDATE scans SET started = '%s'", started);
	exec_sql(db, sql);
}

/* Another machine's inventory joins this one: its scans and models come
 * along; a path in both keeps the row of the newer scan; a lineage pass
 * is owed. */
static void test_merge(void **state)
{
	struct tmp *t = *state;
	static const char *const a_paths[] = { "/a/1", "/s/x", "/s/y", NULL };
	static const char *const b_paths[] = { "/b/1", "/s/x", "/s/y", NULL };
	char b[160];
	struct store *st;
	struct mc_error err;
	int pending;

	snprintf(b, sizeof(b), "%s/b.db", t->dir);
	make_inventory(t->db, "/a", "2026-03-01T00:00:00.000Z", a_paths, "mit");
	make_inventory(b, "/b", "2026-03-02T00:00:00.000Z", b_paths, "apache-2.0");
	/* y was scanned later on this side */
	exec_sql(t->db, "INSERT INTO scans(id, started, roots, tool_version, complete)"
		 " VALUES(9, '2026-03-03T00:00:00.000Z', '/s', '0.1.0', 1);"
		 "UPDATE seen SET scan = 9 WHERE model = (SELECT id FROM models WHERE path = '/s/y')");

	st = open_writer(t->db);
	assert_int_equal(store_lineage_done(st, &err), 0);
	if (store_merge(st, b, &err) < 0)
		fail_msg("merge: %s", err.msg);
	assert_int_equal(store_lineage_pending(st, &pending, &err), 0);
	assert_true(pending);
	close_store(st);

	expect_query(t->db, "SELECT group_concat(path || ':' || license) FROM"
		     " (SELECT * FROM inventory ORDER BY path)",
		     "/a/1:mit,/b/1:apache-2.0,/s/x:apache-2.0,/s/y:mit");
	expect_query(t->db, "SELECT count(*) FROM scans", "3");
	expect_query(t->db, "SELECT count(*) FROM models", "4");
	expect_query(t->db, "SELECT count(*) FROM seen", "4");
	expect_query(t->db, "PRAGMA foreign_key_check", NULL);
	/* the source is left as it was */
	expect_query(b, "SELECT count(*) FROM inventory", "3");
}

/* Merging what is not an inventory of this schema is refused and changes
 * nothing. */
static void test_merge_refused(void **state)
{
	struct tmp *t = *state;
	static const char *const a_paths[] = { "/a/1", NULL };
	char other[160], text[160], missing[160];
	struct store *st;
	struct mc_error err;

	snprintf(other, sizeof(other), "%s/other.db", t->dir);
	snprintf(text, sizeof(text), "%s/notes.txt", t->dir);
	snprintf(missing, sizeof(missing), "%s/no/such.db", t->dir);
	make_inventory(t->db, "/a", "2026-03-01T00:00:00.000Z", a_paths, "mit");
	exec_sql(other, "CREATE TABLE scans(id); PRAGMA user_version = 1;");
	write_file(text, "not a database, only some notes about models\n");

	st = open_writer(t->db);
	assert_int_equal(store_merge(st, other, &err), -1);
	assert_non_null(strstr(err.msg, other));
	assert_non_null(strstr(err.msg, "not a modelcensus inventory"));
	assert_int_equal(store_merge(st, text, &err), -1);
	assert_non_null(strstr(err.msg, text));
	assert_int_equal(store_merge(st, missing, &err), -1);
	assert_non_null(strstr(err.msg, missing));
	close_store(st);

	expect_query(t->db, "SELECT group_concat(path) FROM inventory", "/a/1");
	expect_query(t->db, "SELECT count(*) FROM scans", "1");
}

/* ---- bad input ---------------------------------------------------------- */

/* A file that is not a database is an error naming it, for readers and
 * writers, and is not overwritten. */
static void test_not_a_database(void **state)
{
	struct tmp *t = *state;
	static const char text[] = "name,license\nacme/x,mit\n";
	struct store *st = NULL;
	struct mc_error err;
	char buf[sizeof(text) + 8] = "";
	FILE *f;
	size_t n;

	write_file(t->db, text);
	assert_int_equal(store_open(&st, t->db, STORE_READER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->db));
	assert_int_equal(store_open(&st, t->db, STORE_WRITER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->db));

	f = fopen(t->db, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, text);
}

/* A reader of a database that does not exist fails and creates nothing
 * (a mistyped --db is no empty inventory); a writer in a folder that does
 * not exist fails naming the path. */
static void test_missing(void **state)
{
	struct tmp *t = *state;
	char path[160];
	struct store *st = NULL;
	struct stat sb;
	struct mc_error err;

	assert_int_equal(store_open(&st, t->db, STORE_READER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, t->db));
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_non_null(strstr(err.msg, "run 'modelcensus scan' first"));
	assert_int_not_equal(stat(t->db, &sb), 0);

	snprintf(path, sizeof(path), "%s/no/such/folder/inv.db", t->dir);
	assert_int_equal(store_open(&st, path, STORE_WRITER, &err), -1);
	assert_null(st);
	assert_non_null(strstr(err.msg, path));
	/* it names the folder, not the lock file it could not create */
	snprintf(path, sizeof(path), "folder '%s/no/such/folder' does not exist", t->dir);
	assert_non_null(strstr(err.msg, path));
	assert_null(strstr(err.msg, ".lock"));
	snprintf(path, sizeof(path), "%s/no", t->dir);
	assert_int_not_equal(stat(path, &sb), 0);

	assert_int_equal(store_close(NULL, &err), 0);
	store_discard(NULL);
}

/* A path that is not UTF-8 (and a model id read from such a file) is
 * stored with its bad bytes as \\xNN, valid text as it is, backslashes
 * too; path_bytes keeps the exact bytes (NULL for a valid path), a rescan
 * knows the model by them, explain finds it by either, and the view
 * carries path_bytes and weight_bytes. */
static void test_not_utf8(void **state)
{
	struct tmp *t = *state;
	struct fixture f;
	struct weight_file *w;
	struct known_models known;
	const struct known_model *k;
	struct strbuf sb = STRBUF_INIT;
	struct store *st = open_writer(t->db);
	struct mc_error err;
	enum commercial final;
	int64_t scan = begin_scan(st, "/m");

	fixture_init(&f, "/m/caf\xe9/x\xff\xfe", "mit", CU_ALLOWED, 7);
	f.m.model_id = xstrdup("acme/caf\xe9");
	w = model_add_weight(&f.m, "w\xff.safetensors", "safetensors");
	w->size = 42;
	w->present = 1;
	assert_int_equal(store_put_model(st, scan, "/m", &f.m, &f.v, "digest-1", &final, &err), 0);
	fixture_release(&f);
	put(st, scan, "/m", "/m/ok\\x41\xc3\xa9", "mit", CU_ALLOWED, 8);
	end_scan(st, scan, "/m", 0);
	close_store(st);

	expect_query(t->db, "SELECT group_concat(path || '|' || CASE WHEN path_bytes IS NULL THEN 'NULL' ELSE hex(path_bytes) END"
		     " || '|' || coalesce(model_id, 'NULL') || '|' || weight_bytes, ';')"
		     " FROM (SELECT * FROM inventory ORDER BY path)",
		     "/m/caf\\xe9/x\\xff\\xfe|2F6D2F636166E92F78FFFE|acme/caf\\xe9|42;"
		     "/m/ok\\x41\xc3\xa9|NULL|NULL|0");
	expect_query(t->db, "SELECT path FROM weights", "w\\xff.safetensors");

	st = open_writer(t->db);
	known_models_init(&known);
	assert_int_equal(store_known_models(st, &known, &err), 0);
	k = known_models_find(&known, "/m/caf\xe9/x\xff\xfe");
	assert_non_null(k);
	assert_int_equal(k->signature, 7);
	known_models_clear(&known);
	close_store(st);

	if (store_open(&st, t->db, STORE_READER, &err) < 0)
		fail_msg("reader: %s", err.msg);
	assert_int_equal(store_find_models(st, "/m/caf\xe9/x\xff\xfe", collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "path=/m/caf\\xe9/x\\xff\\xfe|"));
	strbuf_release(&sb);
	assert_int_equal(store_find_models(st, "/m/caf\\xe9/x\\xff\\xfe", collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "model_id=acme/caf\\xe9|"));
	strbuf_release(&sb);
	close_store(st);
}

/* report --where: one SQL expression over the view's columns; anything
 * else is refused with a message, and reads nothing. */
static void test_bad_where(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	struct store *st = open_writer(t->db);
	struct mc_error err;
	int64_t scan = begin_scan(st, "/m");

	put(st, scan, "/m", "/m/a", "mit", CU_ALLOWED, 1);
	end_scan(st, scan, "/m", 0);

	assert_int_equal(store_inventory(st, "no_such_column = 1", collect, &sb, &err), -1);
	assert_non_null(strstr(err.msg, "bad query"));
	assert_int_equal(store_inventory(st, "1); DELETE FROM models; SELECT (1", collect, &sb, &err), -1);
	assert_non_null(strstr(err.msg, "one expression"));
	assert_int_equal(sb.len, 0);
	expect_inventory(st, "commercial_use = 'allowed' AND weight_bytes = 0",
		"path=/m/a|layout=dir|model_id=NULL|revision=NULL|declared_license=mit"
		"|detected_license=NULL|license=mit|commercial_use=allowed|conditions=NULL"
		"|review=NULL|base_models=NULL|error=NULL|weight_bytes=0\n");
	close_store(st);
}

/* License history rows: written with their time as ISO 8601 UTC, read
 * back newest first; a walk that did not continue the last one drops the
 * rows earlier scans recorded; the note goes on the oldest row. */
static void test_history(void **state)
{
	struct tmp *t = *state;
	struct store *st = open_writer(t->db);
	struct fixture f;
	struct mc_error err;
	int64_t scan;
	int yes = -1;

	fixture_init(&f, "/r/m", "mit", CU_ALLOWED, 1);
	assert_int_equal(store_scan_begin(st, "/r", "t", "d", NULL, &scan, &err), 0);
	assert_int_equal(store_history_put(st, scan, "/r/m", "bbbb", 1709294400, 0, &f.v, NULL, &err), 0);
	assert_int_equal(store_history_put(st, scan, "/r/m", "aaaa", 1704456000, 5, &f.v, "cannot read blob", &err), 0);
	assert_int_equal(store_history_has(st, "/r/m", "aaaa", &yes, &err), 0);
	assert_int_equal(yes, 1);
	assert_int_equal(store_history_has(st, "/r/m", "cccc", &yes, &err), 0);
	assert_int_equal(yes, 0);
	assert_int_equal(store_history_walked(st, scan, "/r/m", "dddd", 6, 1, 1, NULL, "aaaa", &err), 0);
	assert_int_equal(store_flush(st, &err), 0);
	expect_query(t->db, "SELECT group_concat(revision || '@' || committed_at, ' ') FROM"
		     " (SELECT * FROM history ORDER BY scan DESC, depth)",
		     "bbbb@2024-03-01T12:00:00Z aaaa@2024-01-05T12:00:00Z");
	expect_query(t->db, "SELECT error || '|' || note FROM license_history WHERE revision = 'aaaa'",
		     "cannot read blob|the history ends here: a shallow clone holds no older commit");
	expect_query(t->db, "SELECT head || '|' || commits || '|' || shallow FROM history_walks", "dddd|6|1");

	/* a later walk that continues: commits add up, shallow stays */
	assert_int_equal(store_history_walked(st, scan + 1, "/r/m", "eeee", 2, 1, 0, NULL, NULL, &err), 0);
	assert_int_equal(store_flush(st, &err), 0);
	expect_query(t->db, "SELECT head || '|' || commits || '|' || shallow FROM history_walks", "eeee|8|1");
	/* one that does not (history rewritten): earlier rows go */
	assert_int_equal(store_history_put(st, scan + 2, "/r/m", "ffff", 1717243200, 0, &f.v, NULL, &err), 0);
	assert_int_equal(store_history_walked(st, scan + 2, "/r/m", "ffff", 1, 0, 0, NULL, "ffff", &err), 0);
	assert_int_equal(store_flush(st, &err), 0);
	expect_query(t->db, "SELECT group_concat(revision) FROM history", "ffff");
	expect_query(t->db, "SELECT head || '|' || commits || '|' || shallow FROM history_walks", "ffff|1|0");
	fixture_release(&f);
	close_store(st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

/* A license file of a model, read with text (unrecognised: no match). */
static void add_text_file(struct fixture *f, const char *name, enum file_role role,
			  const char *text, size_t len)
{
	struct model_file *file = model_add_file(&f->m, name, role);

	file->data = xmalloc(len + 1);
	memcpy(file->data, text, len);
	file->data[len] = '\0';
	file->len = len;
	file->size = len;
}

/* export: texts of license files kept once per distinct text, named by
 * their evidence rows; not a NOTICE's, nor a text with a NUL byte. */
static void test_license_texts(void **state)
{
	struct tmp *t = *state;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	struct mc_error err;
	enum commercial final;
	int64_t scan;
	char *text, *hash;
	const char *h;

	st = open_writer(t->db);
	scan = begin_scan(st, "/m");
	for (int i = 0; i < 3; i++) {
		struct fixture f;
		char path[32];

		snprintf(path, sizeof(path), "/m/%d", i);
		fixture_init(&f, path, "", CU_UNKNOWN, 0);
		add_text_file(&f, "LICENSE", ROLE_LICENSE, i < 2 ? "ACME LICENSE\nbe nice\n" : "OTHER\n",
			      i < 2 ? 21 : 6);
		add_text_file(&f, "NOTICE", ROLE_NOTICE, "a notice\n", 9);
		add_text_file(&f, "LICENSE.txt", ROLE_LICENSE, "UTF\0-16", 7);
		assert_int_equal(store_put_model(st, scan, "/m", &f.m, &f.v, "digest-1", &final, &err), 0);
		fixture_release(&f);
	}
	end_scan(st, scan, "/m", 0);
	expect_query(t->db, "SELECT group_concat(text, '|') FROM (SELECT text FROM license_texts ORDER BY text)",
		     "ACME LICENSE\nbe nice\n|OTHER\n");
	expect_query(t->db, "SELECT count(*) || ',' || count(DISTINCT text_hash) FROM evidence WHERE text_hash IS NOT NULL",
		     "3,2");
	/* the export's queries: the models --where selects, with their ids */
	assert_int_equal(store_export_models(st, "path <> '/m/0'", collect, &sb, &err), 0);
	assert_non_null(strstr(strbuf_str(&sb), "|path=/m/1|"));
	assert_null(strstr(strbuf_str(&sb), "|path=/m/0|"));
	assert_int_equal(strncmp(strbuf_str(&sb), "id=2|path=/m/1|layout=dir|", 26), 0);
	strbuf_release(&sb);
	assert_int_equal(store_export_models(st, "1; DROP TABLE models", collect, &sb, &err), -1);
	strbuf_release(&sb);
	assert_int_equal(store_export_details(st, 2, EXPORT_LICENSE_FILES, collect, &sb, &err), 0);
	assert_int_equal(strncmp(strbuf_str(&sb), "name=LICENSE|role=license|text_hash=", 36), 0);
	assert_non_null(strstr(strbuf_str(&sb), "|rule=NULL|kind=NULL\n"));
	h = strbuf_str(&sb) + 36;
	hash = xstrndup(h, strcspn(h, "|"));
	strbuf_release(&sb);
	assert_int_equal(store_license_text(st, hash, &text, &err), 1);
	assert_string_equal(text, "ACME LICENSE\nbe nice\n");
	free(text);
	free(hash);
	assert_int_equal(store_license_text(st, "nothing", &text, &err), 0);
	assert_null(text);
	close_store(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_new_database),
		T(test_migrate_from_version_1),
		T(test_migrate_from_previous_version),
		T(test_newer_version_refused),
		T(test_reader_refuses_older),
		T(test_put_and_read_back),
		T(test_discard),
		T(test_rescan_keeps_unchanged_rows),
		T(test_gone),
		T(test_gone_in_shard),
		T(test_touch),
		T(test_lineage_final_kept),
		T(test_changes),
		T(test_changes_after_a_killed_scan),
		T(test_merge_changes),
		T(test_lock),
		T(test_merge),
		T(test_merge_refused),
		T(test_not_a_database),
		T(test_missing),
		T(test_not_utf8),
		T(test_bad_where),
		T(test_history),
		T(test_license_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
