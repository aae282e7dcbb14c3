/*
 * store_sql.h: every SQL string modelcensus runs, in one place: the schema
 * with its migrations (PRAGMA user_version counts them) and the statements
 * store.c prepares once per connection.  Only store.c includes this file.
 *
 * Schema, version 1:
 *   scans        one row per run: roots, times, tool and rules version,
 *                counts, and whether it finished (complete = 1)
 *   models       one row per model path ever seen; `gone` = 1 once a scan
 *                of its root no longer finds it; own_* hold the verdict
 *                from the model's own sources, the inventory columns the
 *                final one (with lineage); reasoning holds the lineage
 *                steps that follow own_reasoning
 *   card_fields  the card keys read, as written (and the base model of an
 *                adapter_config.json)
 *   evidence     each source: files read (role, blob, size, error) and
 *                every license match (rule, kind, coverage, lines)
 *   weights      every weight file: format, size, LFS oid, presence,
 *                header license
 *   inventory    the public view (docs/inventory.md): present models only
 * (later versions add to these, each said at its migration below).
 */
#ifndef MODELCENSUS_STORE_SQL_H
#define MODELCENSUS_STORE_SQL_H

static const char *const store_migrations[] = {
	/* version 1 */
	"CREATE TABLE scans ("
	"  id INTEGER PRIMARY KEY,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  roots TEXT NOT NULL,"
	"  tool_version TEXT NOT NULL,"
	"  rules_digest TEXT,"
	"  shard TEXT,"
	"  models INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  datasets INTEGER NOT NULL DEFAULT 0,"
	"  spaces INTEGER NOT NULL DEFAULT 0,"
	"  gone INTEGER NOT NULL DEFAULT 0,"
	"  complete INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE models ("
	"  id INTEGER PRIMARY KEY,"
	"  path TEXT NOT NULL UNIQUE,"
	"  root TEXT NOT NULL,"
	"  shard_hash INTEGER NOT NULL DEFAULT 0,"	/* store_shard_hash(path) */
	"  layout TEXT NOT NULL,"
	"  model_id TEXT,"
	"  revision TEXT,"
	"  signature TEXT,"
	"  card_file TEXT,"
	"  declared_license TEXT,"
	"  detected_license TEXT,"
	"  license TEXT NOT NULL DEFAULT 'unknown',"
	"  commercial_use TEXT NOT NULL DEFAULT 'unknown',"
	"  conditions TEXT,"
	"  review TEXT,"
	"  base_models TEXT,"
	"  error TEXT,"
	"  own_license TEXT,"
	"  own_commercial_use TEXT NOT NULL DEFAULT 'unknown',"
	"  own_conditions TEXT,"
	"  own_review TEXT,"
	"  own_reasoning TEXT,"
	"  own_body_restriction INTEGER NOT NULL DEFAULT 0,"
	"  reasoning TEXT,"
	"  snapshots TEXT,"
	"  weight_bytes INTEGER NOT NULL DEFAULT 0,"
	"  rules_digest TEXT,"
	"  first_scan INTEGER REFERENCES scans(id),"
	"  last_scan INTEGER REFERENCES scans(id),"
	"  gone INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX models_model_id ON models(model_id COLLATE NOCASE);"
	"CREATE INDEX models_root ON models(root);"
	"CREATE TABLE card_fields ("
	"  model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT"
	");"
	"CREATE INDEX card_fields_model ON card_fields(model);"
	"CREATE TABLE evidence ("
	"  model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  source TEXT NOT NULL,"	/* card, file, card-text, checkpoint */
	"  name TEXT,"			/* file or weight path */
	"  role TEXT,"
	"  blob TEXT,"
	"  size INTEGER,"
	"  rule TEXT,"
	"  kind TEXT,"			/* full, mention, modified */
	"  coverage REAL,"
	"  line_start INTEGER,"
	"  line_end INTEGER,"
	"  added_start INTEGER,"
	"  added_end INTEGER,"
	"  note TEXT"
	");"
	"CREATE INDEX evidence_model ON evidence(model);"
	"CREATE TABLE weights ("
	"  model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  path TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  size INTEGER,"
	"  lfs_oid TEXT,"
	"  present INTEGER NOT NULL,"
	"  incomplete INTEGER NOT NULL DEFAULT 0,"
	"  license TEXT,"
	"  error TEXT"
	");"
	"CREATE INDEX weights_model ON weights(model);"
	"CREATE VIEW inventory AS SELECT path, layout, model_id, revision,"
	"  declared_license, detected_license, license, commercial_use,"
	"  conditions, review, base_models, error"
	"  FROM models WHERE gone = 0;",
	/*
	 * version 2: signatures come from a watch record (watch.h); the old
	 * ones meant something else, so every model is read once more.  Which
	 * scan last found a model moves to the narrow table `seen`, so that a
	 * rescan marks an unchanged model seen without rewriting its wide row;
	 * models.last_scan stays the scan that last read it.
	 */
	"ALTER TABLE models ADD COLUMN watch TEXT;"
	"UPDATE models SET signature = NULL;"
	"CREATE TABLE seen ("
	"  model INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,"
	"  scan INTEGER NOT NULL REFERENCES scans(id)"
	");"
		"INSERT INTO seen SELECT id, last_scan FROM models WHERE last_scan IS NOT NULL;"
	/* lineage_pending: 1 from the first write that can change a final
	 * verdict (a model read, gone or merged) until a lineage pass ends */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value);"
	"INSERT INTO meta VALUES('lineage_pending', 1);",
	/*
	 * version 3: plain folders (not models, nothing below them) a scan
	 * looked into, with the watch record of what made them so, so that a
	 * rescan passes them by while it still holds.  A cache: a row whose
	 * folder changed or vanished no longer matches, and merge leaves it.
	 * And whether a model's error is worth reading it again for (a read
	 * that failed) or not (a problem in what was read, such as a card
	 * that does not parse); rows from before are read again.
	 */
	"ALTER TABLE models ADD COLUMN error_retry INTEGER NOT NULL DEFAULT 1;"
	"CREATE TABLE plain_folders ("
	"  path TEXT PRIMARY KEY,"
	"  signature TEXT NOT NULL,"
	"  watch TEXT NOT NULL"
	") WITHOUT ROWID;",
	/*
	 * version 4: what a rescan loads of every model (SQL_SIGNATURES), in
	 * an index of its own: its entries are a third of the pages the wide
	 * rows take, and a rescan that reads nothing is mostly this load and
	 * the stat() calls.  And seen.scan loses its foreign key: a rescan
	 * sets it for every model found unchanged, always to its own scan,
	 * and looking that scan up again for each row took four fifths of
	 * the update.
	 */
	"CREATE INDEX models_known ON models(path, signature, watch, layout, root,"
	"  rules_digest, commercial_use, error, error_retry, gone)"
	"  WHERE signature IS NOT NULL AND (error IS NULL OR error_retry = 0) AND gone = 0;"
	"CREATE TABLE seen_v4 ("
	"  model INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,"
	"  scan INTEGER NOT NULL"
	");"
	"INSERT INTO seen_v4 SELECT model, scan FROM seen;"
	"DROP TABLE seen;"
	"ALTER TABLE seen_v4 RENAME TO seen;",
	/*
	 * version 5: the bases a card's text says the model derives from
	 * (derive.h), comma-separated like base_models: weaker lineage
	 * evidence, kept out of the inventory's base_models.  Models are read
	 * again when the rules change (families.yaml came with this version),
	 * so no row needs filling here.
	 */
	"ALTER TABLE models ADD COLUMN text_bases TEXT;",
	/*
	 * version 6: every TEXT value is valid UTF-8 (store.c escapes the
	 * bytes that are not as \xNN); a path that is not keeps its exact
	 * bytes in path_bytes (NULL otherwise), which a rescan matches the
	 * walk's paths by (so models_known holds it).  The inventory view
	 * gains weight_bytes and path_bytes.  Rows written before keep what
	 * they hold until read again.
	 */
	"ALTER TABLE models ADD COLUMN path_bytes BLOB;"
	"DROP INDEX models_known;"
	"CREATE INDEX models_known ON models(path, signature, watch, layout, root,"
	"  rules_digest, commercial_use, error, error_retry, gone, path_bytes)"
	"  WHERE signature IS NOT NULL AND (error IS NULL OR error_retry = 0) AND gone = 0;"
	"DROP VIEW inventory;"
	"CREATE VIEW inventory AS SELECT path, layout, model_id, revision,"
	"  declared_license, detected_license, license, commercial_use,"
	"  conditions, review, base_models, error, weight_bytes, path_bytes"
	"  FROM models WHERE gone = 0;",
	/*
	 * version 7: the texts of license files, for `export`: a file whose
	 * license has no SPDX list id (an AI license, an unrecognised text)
	 * keeps its text in license_texts, once per distinct text (keyed by
	 * its hash: a mirror of Llama fine-tunes holds the Llama text once),
	 * and its evidence row names it in text_hash.  Texts no evidence
	 * names any more stay until a later version prunes them; rows
	 * written before hold none until read again.
	 */
	"CREATE TABLE license_texts ("
	"  hash TEXT PRIMARY KEY,"
	"  text TEXT NOT NULL"
	") WITHOUT ROWID;"
	"ALTER TABLE evidence ADD COLUMN text_hash TEXT;",
};

#define SQL_SCAN_BEGIN \
	"INSERT INTO scans(started, roots, tool_version, rules_digest, shard)" \
	" VALUES(strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3, ?4)"

#define SQL_SCAN_END \
	"UPDATE scans SET finished = strftime('%Y-%m-%dT%H:%M:%fZ','now')," \
	" models = ?2, errors = ?3, datasets = ?4, spaces = ?5, gone = ?6," \
	" complete = 1 WHERE id = ?1"

/*
 * What the lineage pass reads of a model (its id, own verdict and base
 * models) is the same in the stored row as in the upsert's parameters: a
 * model read again with the same result keeps the final verdict the last
 * lineage pass gave it, and owes no new pass.
 */
#define SQL_SAME_FOR_LINEAGE(row, new) \
	"(" row "gone = 0 AND " row "model_id IS " new "model_id" \
	" AND " row "base_models IS " new "base_models" \
	" AND " row "text_bases IS " new "text_bases" \
	" AND " row "own_license IS " new "own_license" \
	" AND " row "own_commercial_use IS " new "own_commercial_use" \
	" AND " row "own_conditions IS " new "own_conditions" \
	" AND " row "own_review IS " new "own_review" \
	" AND " row "own_body_restriction IS " new "own_body_restriction)"
#define SAME_OWN SQL_SAME_FOR_LINEAGE("models.", "excluded.")
#define KEEP_FINAL(col, fresh) \
	" " col " = CASE WHEN " SAME_OWN " THEN models." col " ELSE " fresh " END"

#define SQL_MODEL_UPSERT \
	"INSERT INTO models(path, root, shard_hash, layout, model_id, revision, signature," \
	" card_file, declared_license, detected_license, license, commercial_use," \
	" conditions, review, base_models, error, own_license, own_commercial_use," \
	" own_conditions, own_review, own_reasoning, reasoning, snapshots," \
	" weight_bytes, rules_digest, first_scan, last_scan, gone, own_body_restriction," \
	" watch, error_retry, text_bases, path_bytes)" \
	" VALUES(?1, ?2, ?21, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14," \
	" ?15, ?10, ?11, ?12, ?13, ?16, NULL, ?17, ?18, ?19, ?20, ?20, 0, ?22, ?23, ?24, ?25," \
	" ?26)" \
	" ON CONFLICT(path) DO UPDATE SET" \
	KEEP_FINAL("license", "excluded.license") "," \
	KEEP_FINAL("commercial_use", "excluded.commercial_use") "," \
	KEEP_FINAL("conditions", "excluded.conditions") "," \
	KEEP_FINAL("review", "excluded.review") "," \
	KEEP_FINAL("reasoning", "NULL") "," \
	" root = excluded.root," \
	" shard_hash = excluded.shard_hash," \
	" layout = excluded.layout, model_id = excluded.model_id," \
	" revision = excluded.revision, signature = excluded.signature," \
	" watch = excluded.watch, error_retry = excluded.error_retry," \
	" card_file = excluded.card_file," \
	" declared_license = excluded.declared_license," \
	" detected_license = excluded.detected_license," \
	" base_models = excluded.base_models, error = excluded.error," \
	" text_bases = excluded.text_bases, path_bytes = excluded.path_bytes," \
	" own_license = excluded.own_license," \
	" own_commercial_use = excluded.own_commercial_use," \
	" own_conditions = excluded.own_conditions," \
	" own_review = excluded.own_review, own_reasoning = excluded.own_reasoning," \
	" own_body_restriction = excluded.own_body_restriction," \
	" snapshots = excluded.snapshots," \
	" weight_bytes = excluded.weight_bytes, rules_digest = excluded.rules_digest," \
	" last_scan = excluded.last_scan, gone = 0" \
	" RETURNING id, commercial_use"

/* run before the upsert with its parameters: a row when the stored model
 * is the same for lineage (the columns of SQL_SAME_FOR_LINEAGE, with the
 * parameters the upsert gives them) */
#define SQL_SAME_OWN \
	"SELECT 1 FROM models WHERE path = ?1 AND gone = 0 AND model_id IS ?4" \
	" AND base_models IS ?14 AND text_bases IS ?25 AND own_license IS ?10" \
	" AND own_commercial_use IS ?11 AND own_conditions IS ?12" \
	" AND own_review IS ?13 AND own_body_restriction IS ?22"

/* a model found by a scan (read or unchanged) */
#define SQL_SEEN \
	"INSERT INTO seen(model, scan) VALUES(?1, ?2)" \
	" ON CONFLICT(model) DO UPDATE SET scan = excluded.scan"

/* unchanged models found again (their seen rows exist): a run of ids, or
 * up to TOUCH_IDS of them that do not run */
#define TOUCH_RUN_MIN 4
#define TOUCH_IDS 16
#define SQL_TOUCH_RUN "UPDATE seen SET scan = ?1 WHERE model BETWEEN ?2 AND ?3"
#define SQL_TOUCH \
	"UPDATE seen SET scan = ?1 WHERE model IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9," \
	" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"	/* TOUCH_IDS */
/* found again under another root (a wide row: written only then) */
#define SQL_SET_ROOT "UPDATE models SET root = ?2 WHERE id = ?1"

#define SQL_LINEAGE_PENDING "SELECT value FROM meta WHERE key = 'lineage_pending'"
#define SQL_SET_LINEAGE_PENDING \
	"UPDATE meta SET value = ?1 WHERE key = 'lineage_pending'"

#define SQL_DELETE_CARD_FIELDS "DELETE FROM card_fields WHERE model = ?1"
#define SQL_DELETE_EVIDENCE "DELETE FROM evidence WHERE model = ?1"
#define SQL_DELETE_WEIGHTS "DELETE FROM weights WHERE model = ?1"

#define SQL_INSERT_CARD_FIELD \
	"INSERT INTO card_fields(model, key, value) VALUES(?1, ?2, ?3)"

#define SQL_INSERT_EVIDENCE \
	"INSERT INTO evidence(model, source, name, role, blob, size, rule, kind," \
	" coverage, line_start, line_end, added_start, added_end, note, text_hash)" \
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"

/* a license file's text, once per distinct text (schema version 7) */
#define SQL_PUT_LICENSE_TEXT \
	"INSERT OR IGNORE INTO license_texts(hash, text) VALUES(?1, ?2)"

#define SQL_INSERT_WEIGHT \
	"INSERT INTO weights(model, path, format, size, lfs_oid, present," \
	" incomplete, license, error) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"

/* a model of a scanned root (and shard ?4 of ?3) that this scan did not
 * see is gone (driven by the narrow seen table: most were seen) */
#define SQL_MARK_GONE \
	"UPDATE models SET gone = 1 WHERE id IN (SELECT model FROM seen WHERE scan <> ?1)" \
	" AND gone = 0" \
	" AND (path = ?2 OR substr(path, 1, length(?2) + 1) = ?2 || '/')" \
	" AND shard_of(coalesce(path_bytes, path)) % ?3 = ?4"

/* the lineage pass: present models that name base models (in the card or
 * its text), a page at a time */
#define SQL_LINEAGE_PAGE \
	"SELECT id, model_id, base_models, own_license, own_commercial_use," \
	" own_conditions, own_review, own_body_restriction, text_bases FROM models" \
	" WHERE gone = 0 AND (base_models IS NOT NULL OR text_bases IS NOT NULL)" \
	" AND id > ?1 ORDER BY id LIMIT ?2"

/* a base model by id (the Hub's ids ignore case): every present copy,
 * since which one a fine-tune came from is not known */
#define SQL_LINEAGE_LOOKUP \
	"SELECT id, model_id, base_models, own_license, own_commercial_use," \
	" own_conditions, own_review, own_body_restriction, text_bases FROM models" \
	" WHERE model_id = ?1 COLLATE NOCASE AND gone = 0 ORDER BY id"

/* final commercial_use of the models a scan saw (0: of every present model) */
#define SQL_COUNT_COMMERCIAL \
	"SELECT commercial_use, count(*) FROM models WHERE gone = 0 AND ?1 = 0" \
	" GROUP BY commercial_use" \
	" UNION ALL SELECT m.commercial_use, count(*) FROM seen z" \
	" JOIN models m ON m.id = z.model WHERE ?1 <> 0 AND z.scan = ?1" \
	" AND m.gone = 0 GROUP BY m.commercial_use"

/* the final verdict; reasoning holds only the lineage steps (explain
 * prints own_reasoning first).  Rows that would not change are not written. */
#define SQL_SET_FINAL \
	"UPDATE models SET license = ?2, commercial_use = ?3, conditions = ?4," \
	" review = ?5, reasoning = ?6 WHERE id = ?1 AND (license IS NOT ?2" \
	" OR commercial_use IS NOT ?3 OR conditions IS NOT ?4 OR review IS NOT ?5" \
	" OR reasoning IS NOT ?6)"

#define SQL_PUT_PLAIN \
	"INSERT OR REPLACE INTO plain_folders(path, signature, watch) VALUES(?1, ?2, ?3)"
#define SQL_PLAIN_SIGNATURES "SELECT path, signature, watch FROM plain_folders"

/* models a rescan may skip (present, read without an error worth reading
 * them again for), from their own index (schema version 4; 6 added
 * path_bytes): by the path's exact bytes */
#define SQL_SIGNATURES \
	"SELECT coalesce(path_bytes, path), signature, watch, layout, id, root, rules_digest, commercial_use," \
	" error IS NOT NULL FROM models INDEXED BY models_known" \
	" WHERE signature IS NOT NULL AND (error IS NULL OR error_retry = 0) AND gone = 0"

/* explain: the models a path or model id names */
#define SQL_FIND_MODELS \
	"SELECT id, path, layout, model_id, revision, card_file, declared_license," \
	" detected_license, license, commercial_use, conditions, review," \
	" base_models, error, own_license, own_commercial_use, own_conditions," \
	" own_review, own_reasoning, reasoning, snapshots, weight_bytes, gone, text_bases," \
	" (SELECT started FROM scans WHERE scans.id =" \
	"  (SELECT scan FROM seen WHERE model = models.id)) AS last_seen" \
	" FROM models WHERE path = ?1 OR model_id = ?1 COLLATE NOCASE" \
	" ORDER BY gone, path"
#define SQL_CARD_FIELDS \
	"SELECT key, value FROM card_fields WHERE model = ?1 ORDER BY rowid"
#define SQL_EVIDENCE \
	"SELECT source, name, role, blob, size, rule, kind, coverage, line_start," \
	" line_end, added_start, added_end, note FROM evidence WHERE model = ?1" \
	" ORDER BY rowid"
#define SQL_WEIGHTS \
	"SELECT path, format, size, lfs_oid, present, incomplete, license, error" \
	" FROM weights WHERE model = ?1 ORDER BY path"

/*
 * merge: another inventory (attached as `src`) into this one.  Its scans
 * and models get ids past this database's, so every reference moves with
 * them; a model path present in both is taken from the newer scan.
 */
#define SQL_MERGE \
	"CREATE TEMP TABLE IF NOT EXISTS merge_off AS SELECT 0 AS scans, 0 AS models;" \
	"DELETE FROM temp.merge_off;" \
	"INSERT INTO temp.merge_off SELECT coalesce((SELECT max(id) FROM main.scans), 0)," \
	" coalesce((SELECT max(id) FROM main.models), 0);" \
	"INSERT INTO main.scans SELECT id + (SELECT scans FROM temp.merge_off)," \
	" started, finished, roots, tool_version, rules_digest, shard, models, errors," \
	" datasets, spaces, gone, complete FROM src.scans;" \
	"DELETE FROM main.models WHERE id IN (SELECT o.id FROM main.models o" \
	" JOIN main.seen oz ON oz.model = o.id JOIN main.scans os ON os.id = oz.scan" \
	" JOIN src.models m ON m.path = o.path JOIN src.seen mz ON mz.model = m.id" \
	" JOIN src.scans s ON s.id = mz.scan WHERE os.started <= s.started);" \
	"INSERT INTO main.models SELECT id + (SELECT models FROM temp.merge_off), path," \
	" root, shard_hash, layout, model_id, revision, signature, card_file," \
	" declared_license, detected_license, license, commercial_use, conditions," \
	" review, base_models, error, own_license, own_commercial_use, own_conditions," \
	" own_review, own_reasoning, own_body_restriction, reasoning, snapshots," \
	" weight_bytes, rules_digest, first_scan + (SELECT scans FROM temp.merge_off)," \
	" last_scan + (SELECT scans FROM temp.merge_off), gone, watch, error_retry," \
	" text_bases, path_bytes FROM src.models" \
	" WHERE path NOT IN (SELECT path FROM main.models);" \
	"INSERT INTO main.seen SELECT model + (SELECT models FROM temp.merge_off)," \
	" scan + (SELECT scans FROM temp.merge_off) FROM src.seen" \
	" WHERE model + (SELECT models FROM temp.merge_off) IN (SELECT id FROM main.models);" \
	"INSERT INTO main.card_fields SELECT model + (SELECT models FROM temp.merge_off), key, value" \
	" FROM src.card_fields WHERE model + (SELECT models FROM temp.merge_off) IN (SELECT id FROM main.models);" \
	"INSERT INTO main.evidence SELECT model + (SELECT models FROM temp.merge_off), source," \
	" name, role, blob, size, rule, kind, coverage, line_start, line_end, added_start," \
	" added_end, note, text_hash FROM src.evidence" \
	" WHERE model + (SELECT models FROM temp.merge_off) IN (SELECT id FROM main.models);" \
	"INSERT OR IGNORE INTO main.license_texts SELECT hash, text FROM src.license_texts;" \
	"INSERT INTO main.weights SELECT model + (SELECT models FROM temp.merge_off), path," \
	" format, size, lfs_oid, present, incomplete, license, error FROM src.weights" \
	" WHERE model + (SELECT models FROM temp.merge_off) IN (SELECT id FROM main.models);" \
	"UPDATE main.meta SET value = 1 WHERE key = 'lineage_pending';"

/* report and check: the view's text columns (path_bytes is for programs) */
#define SQL_INVENTORY \
	"SELECT path, layout, model_id, revision, declared_license," \
	" detected_license, license, commercial_use, conditions," \
	" review, base_models, error, weight_bytes FROM inventory"

/*
 * export: the inventory's models (filtered by a --where over the view's
 * columns, spliced in by store.c) with their row id, ordered by path
 */
#define SQL_EXPORT_MODELS \
	"SELECT (SELECT id FROM models WHERE models.path = inv.path) AS id, inv.*" \
	" FROM (SELECT * FROM (" SQL_INVENTORY ") WHERE (%s)) inv ORDER BY inv.path"
/* export: a model's card fields, weights with an LFS oid, and license
 * files that kept their text, with each rule identified in them */
#define SQL_EXPORT_CARD \
	"SELECT key, value FROM card_fields WHERE model = ?1 ORDER BY rowid"
#define SQL_EXPORT_WEIGHTS \
	"SELECT path, format, size, lfs_oid FROM weights WHERE model = ?1" \
	" AND lfs_oid IS NOT NULL ORDER BY path"
#define SQL_EXPORT_TEXTS \
	"SELECT f.name, f.role, f.text_hash, m.rule, m.kind FROM evidence f" \
	" LEFT JOIN evidence m ON m.model = f.model AND m.source = 'file'" \
	" AND m.name = f.name AND m.rule IS NOT NULL" \
	" WHERE f.model = ?1 AND f.source = 'file' AND f.rule IS NULL" \
	" AND f.text_hash IS NOT NULL ORDER BY f.rowid, m.rowid"
#define SQL_LICENSE_TEXT "SELECT text FROM license_texts WHERE hash = ?1"

#endif
