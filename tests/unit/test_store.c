/*
 * test_store.c: schema migrations and what a rescan reads back.  A
 * database written by the first schema version is opened by today's store:
 * it must migrate in place, keep its models, move "which scan found it"
 * into the seen table, owe a lineage pass, and re-read every model once
 * (the old signatures meant something else).  And touching: a rescan marks
 * unchanged models seen without rewriting their rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "modelcensus/store.h"
#include "../../src/store_sql.h"

#define N_MIGRATIONS (sizeof(store_migrations) / sizeof(*store_migrations))

static char *query(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char *out = NULL;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
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

static void test_migrate_from_version_1(void **state)
{
	char dir_tmpl[] = "/tmp/mc-store-XXXXXX";
	char *dir = mkdtemp(dir_tmpl), db[256], want[16], cmd[300];
	struct known_models known;
	struct store *st;
	struct mc_error err;
	int pending;

	(void)state;
	assert_non_null(dir);
	snprintf(db, sizeof(db), "%s/v1.db", dir);

	/* what the first release wrote */
	exec_sql(db, store_migrations[0]);
	exec_sql(db, "PRAGMA user_version = 1;"
		"INSERT INTO scans(id, started, roots, tool_version, complete)"
		" VALUES(1, '2026-01-01', '/m', '0.1.0', 1), (2, '2026-01-02', '/m', '0.1.0', 1);"
		"INSERT INTO models(id, path, root, layout, signature, rules_digest,"
		" license, commercial_use, first_scan, last_scan)"
		" VALUES(7, '/m/a', '/m', 'dir', '00000000000000ff', 'd1', 'mit', 'allowed', 1, 2),"
		" (8, '/m/b', '/m', 'dir', '00000000000000fe', 'd1', 'mit', 'allowed', 1, 1);");

	assert_int_equal(store_open(&st, db, STORE_WRITER, &err), 0);
	snprintf(want, sizeof(want), "%zu", N_MIGRATIONS);
	expect_query(db, "PRAGMA user_version", want);
	expect_query(db, "SELECT count(*) FROM inventory", "2");
	expect_query(db, "SELECT group_concat(model || ':' || scan) FROM"
		     " (SELECT * FROM seen ORDER BY model)", "7:2,8:1");
	expect_query(db, "SELECT count(*) FROM models WHERE signature IS NOT NULL", "0");
	assert_int_equal(store_lineage_pending(st, &pending, &err), 0);
	assert_true(pending);

	/* nothing to skip: every model is read once more */
	known_models_init(&known);
	assert_int_equal(store_known_models(st, &known, &err), 0);
	assert_int_equal(known.n, 0);
	known_models_clear(&known);
	assert_int_equal(store_close(st, &err), 0);

	/* opening again changes nothing */
	assert_int_equal(store_open(&st, db, STORE_WRITER, &err), 0);
	assert_int_equal(store_close(st, &err), 0);
	expect_query(db, "PRAGMA user_version", want);
	expect_query(db, "SELECT count(*) FROM seen", "2");
	expect_query(db, "PRAGMA integrity_check", "ok");

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Touching marks exactly the ids given as seen by the scan, whether they
 * run (one statement a run) or not, in any order, duplicates and all. */
static void test_touch(void **state)
{
	char dir_tmpl[] = "/tmp/mc-store-XXXXXX";
	char *dir = mkdtemp(dir_tmpl), db[256], cmd[300];
	int64_t ids[] = { 9, 3, 4, 5, 6, 7, 30, 12, 31, 20, 7, 40, 41, 42, 43, 44, 45 };
	struct store *st;
	struct mc_error err;
	int64_t scan;

	(void)state;
	assert_non_null(dir);
	snprintf(db, sizeof(db), "%s/t.db", dir);
	assert_int_equal(store_open(&st, db, STORE_WRITER, &err), 0);
	assert_int_equal(store_close(st, &err), 0);
	/* models 1..50, all seen by scan 1 */
	exec_sql(db, "INSERT INTO scans(id, started, roots, tool_version, complete)"
		" VALUES(1, '2026-01-01', '/m', '0.1.0', 1);"
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
		" INSERT INTO models(id, path, root, layout) SELECT i, '/m/' || i, '/m', 'dir' FROM n;"
		"INSERT INTO seen SELECT id, 1 FROM models;");

	assert_int_equal(store_open(&st, db, STORE_WRITER, &err), 0);
	assert_int_equal(store_scan_begin(st, "/m", "0.1.0", "d", NULL, &scan, &err), 0);
	assert_int_equal(store_touch(st, scan, ids, sizeof(ids) / sizeof(*ids), &err), 0);
	assert_int_equal(store_flush(st, &err), 0);
	assert_int_equal(store_close(st, &err), 0);
	expect_query(db, "SELECT group_concat(model) FROM"
		     " (SELECT model FROM seen WHERE scan = 2 ORDER BY model)",
		     "3,4,5,6,7,9,12,20,30,31,40,41,42,43,44,45");
	expect_query(db, "SELECT count(*) FROM seen WHERE scan = 1", "34");

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_from_version_1),
		cmocka_unit_test(test_touch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
