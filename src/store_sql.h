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
	 * version 7: license history (scan --history, history.h).  history
	 * holds a model's own verdict at each revision that changed its card
	 * or license files (and at the oldest one walked), by path: scan is
	 * the scan that recorded it and depth its first-parent distance from
	 * that scan's HEAD, so (scan DESC, depth) is newest first; note says
	 * where the history ends early (a shallow clone).  history_walks
	 * remembers, per model, the newest commit walked (head): a rescan
	 * walks only the commits above it.  The view license_history is the
	 * public face (docs/inventory.md).
	 */
	"CREATE TABLE history ("
	"  path TEXT NOT NULL,"
	"  revision TEXT NOT NULL,"
	"  scan INTEGER NOT NULL,"
	"  depth INTEGER NOT NULL,"
	"  committed_at TEXT,"
	"  license TEXT,"
	"  commercial_use TEXT,"
	"  conditions TEXT,"
	"  review TEXT,"
	"  error TEXT,"
	"  note TEXT,"
	"  PRIMARY KEY(path, revision)"
	") WITHOUT ROWID;"
	"CREATE TABLE history_walks ("
	"  path TEXT PRIMARY KEY,"
	"  head TEXT,"
	"  commits INTEGER NOT NULL DEFAULT 0,"
	"  shallow INTEGER NOT NULL DEFAULT 0,"
	"  ended TEXT,"
	"  scan INTEGER"
	") WITHOUT ROWID;"
	"CREATE VIEW license_history AS SELECT h.path, m.model_id, h.revision,"
	"  h.committed_at, h.license, h.commercial_use, h.review, h.error, h.note"
	"  FROM history h LEFT JOIN models m ON m.path = h.path;",
	/*
	 * version 8: what changed between scans.  A scan (but the database's
	 * first, scans.changes = 0: everything in it is new, nothing is
	 * listed; NULL: a scan from before this version) keeps in
	 * verdict_before the final verdict each model had before the scan
	 * first changed it, or that it was absent (present = 0), through
	 * temporary triggers (SQL_CHANGES_TRIGGERS); at its end
	 * (SQL_CHANGES_RECORD) it writes to verdict_changes each model that
	 * is new, gone, or whose final verdict differs, and empties
	 * verdict_before.  Rows left there by a scan that did not finish are
	 * the next scan's, so it compares with the last finished state.
	 * verdict_changes names models by path (rows of models may be
	 * replaced by a merge); the view `changes` is the public face.
	 */
	"ALTER TABLE scans ADD COLUMN changes INTEGER;"
	"CREATE TABLE verdict_before ("
	"  model INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,"
	"  present INTEGER NOT NULL,"
	"  license TEXT,"
	"  commercial_use TEXT,"
	"  conditions TEXT,"
	"  review TEXT"
	");"
	"CREATE TABLE verdict_changes ("
	"  scan INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  model_id TEXT,"
	"  change TEXT NOT NULL,"	/* new, gone, changed */
	"  old_license TEXT,"
	"  new_license TEXT,"
	"  old_commercial_use TEXT,"
	"  new_commercial_use TEXT,"
	"  old_conditions TEXT,"
	"  new_conditions TEXT,"
	"  old_review TEXT,"
	"  new_review TEXT"
	");"
	"CREATE INDEX verdict_changes_scan ON verdict_changes(scan, path);"
	"CREATE VIEW changes AS SELECT scan AS scan_id, path, model_id, change,"
	"  old_license, new_license, old_commercial_use, new_commercial_use,"
	"  old_conditions, new_conditions, old_review, new_review"
	"  FROM verdict_changes;",
	/*
	 * version 9: the texts of license files, for `export`: a file whose
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
	"INSERT INTO scans(started, roots, tool_version, rules_digest, shard, changes)" \
	" VALUES(strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3, ?4, ?5)"

/* a scan records changes unless it is the database's first (no scan
 * finished before it: everything is new) */
#define SQL_HAS_FINISHED_SCAN "SELECT EXISTS (SELECT 1 FROM scans WHERE complete = 1)"

/*
 * A recording scan's connection (and only it) keeps, for each model whose
 * final verdict or presence it changes, what it was before the first such
 * write (INSERT OR IGNORE: the first wins), or that a model is new.  An
 * upsert that updates fires only the update trigger.  Temporary: a merge
 * or a reader never records.
 */
#define SQL_CHANGES_TRIGGERS \
	"CREATE TEMP TRIGGER IF NOT EXISTS verdict_new AFTER INSERT ON main.models" \
	" BEGIN INSERT OR IGNORE INTO verdict_before(model, present) VALUES(new.id, 0); END;" \
	"CREATE TEMP TRIGGER IF NOT EXISTS verdict_update" \
	" AFTER UPDATE OF license, commercial_use, conditions, review, gone ON main.models" \
	" WHEN old.license IS NOT new.license OR old.commercial_use IS NOT new.commercial_use" \
	" OR old.conditions IS NOT new.conditions OR old.review IS NOT new.review" \
	" OR old.gone IS NOT new.gone" \
	" BEGIN INSERT OR IGNORE INTO verdict_before(model, present, license," \
	" commercial_use, conditions, review) VALUES(old.id, old.gone = 0, old.license," \
	" old.commercial_use, old.conditions, old.review); END;"
#define SQL_CHANGES_NO_TRIGGERS \
	"DROP TRIGGER IF EXISTS temp.verdict_new; DROP TRIGGER IF EXISTS temp.verdict_update;"

/*
 * At a recording scan's end (after the lineage pass, in the commit that
 * marks it complete): each model kept in verdict_before that is new, gone
 * or whose final verdict differs now, as a change of scan ?1.  A model
 * changed and changed back, or new and gone again, is no change.
 */
#define SQL_CHANGES_RECORD \
	"INSERT INTO verdict_changes(scan, path, model_id, change, old_license, new_license," \
	" old_commercial_use, new_commercial_use, old_conditions, new_conditions," \
	" old_review, new_review)" \
	" SELECT ?1, m.path, m.model_id," \
	" CASE WHEN NOT b.present THEN 'new' WHEN m.gone THEN 'gone' ELSE 'changed' END," \
	" b.license, CASE WHEN NOT m.gone THEN m.license END," \
	" b.commercial_use, CASE WHEN NOT m.gone THEN m.commercial_use END," \
	" b.conditions, CASE WHEN NOT m.gone THEN m.conditions END," \
	" b.review, CASE WHEN NOT m.gone THEN m.review END" \
	" FROM verdict_before b JOIN models m ON m.id = b.model" \
	" WHERE (b.present AND NOT m.gone AND (b.license IS NOT m.license" \
	" OR b.commercial_use IS NOT m.commercial_use OR b.conditions IS NOT m.conditions" \
	" OR b.review IS NOT m.review)) OR (b.present AND m.gone)" \
	" OR (NOT b.present AND NOT m.gone)" \
	" ORDER BY m.path"
#define SQL_CHANGES_CLEAR "DELETE FROM verdict_before"

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

/* scan --history: the git, bare and cache models the scan ?1 found, with
 * the newest commit walked for each */
#define SQL_HISTORY_MODELS \
	"SELECT m.path, m.root, m.layout, m.revision, w.head FROM seen z" \
	" JOIN models m ON m.id = z.model LEFT JOIN history_walks w ON w.path = m.path" \
	" WHERE z.scan = ?1 AND m.gone = 0 AND m.layout IN ('git', 'bare', 'hf-cache')" \
	" ORDER BY m.path"
#define SQL_HISTORY_PUT \
	"INSERT OR REPLACE INTO history(path, revision, scan, depth, committed_at," \
	" license, commercial_use, conditions, review, error)" \
	" VALUES(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', ?5, 'unixepoch')," \
	" ?6, ?7, ?8, ?9, ?10)"
#define SQL_HISTORY_HAS "SELECT 1 FROM history WHERE path = ?1 AND revision = ?2"
/* a walk that did not meet the head walked before (history rewritten):
 * what the earlier scans recorded is dropped */
#define SQL_HISTORY_DROP "DELETE FROM history WHERE path = ?1 AND scan <> ?2"
#define SQL_HISTORY_NOTE "UPDATE history SET note = ?3 WHERE path = ?1 AND revision = ?2"
#define SQL_HISTORY_WALKED \
	"INSERT INTO history_walks(path, head, commits, shallow, ended, scan)" \
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(path) DO UPDATE SET" \
	" head = excluded.head," \
	" commits = CASE WHEN ?7 THEN commits + excluded.commits ELSE excluded.commits END," \
	" shallow = excluded.shallow OR (shallow AND ?7)," \
	" ended = coalesce(excluded.ended, CASE WHEN ?7 THEN ended END)," \
	" scan = excluded.scan"

/* explain --history, --revision: a model's recorded revisions, newest
 * first, and how its history was walked */
#define SQL_HISTORY_ROWS \
	"SELECT revision, committed_at, license, commercial_use, conditions, review," \
	" error, note FROM history WHERE path = ?1 ORDER BY scan DESC, depth, committed_at DESC"
#define SQL_HISTORY_WALK \
	"SELECT head, commits, shallow, ended FROM history_walks WHERE path = ?1"

/* explain: what it reads of a model's row */
#define SQL_MODEL_COLUMNS \
	"SELECT id, path, layout, model_id, revision, card_file, declared_license," \
	" detected_license, license, commercial_use, conditions, review," \
	" base_models, error, own_license, own_commercial_use, own_conditions," \
	" own_review, own_reasoning, reasoning, snapshots, weight_bytes, gone, text_bases," \
	" (SELECT started FROM scans WHERE scans.id =" \
	"  (SELECT scan FROM seen WHERE model = models.id)) AS last_seen" \
	" FROM models"
/* explain: the models a path or model id names */
#define SQL_FIND_MODELS SQL_MODEL_COLUMNS \
	" WHERE path = ?1 OR model_id = ?1 COLLATE NOCASE" \
	" ORDER BY gone, path"
/* report --format html: the inventory's models that --where selects (the
 * expression is put between the two halves, as in report's other formats) */
#define SQL_INVENTORY_MODELS_HEAD SQL_MODEL_COLUMNS \
	" WHERE gone = 0 AND path IN (SELECT path FROM (" SQL_INVENTORY ") WHERE ("
#define SQL_INVENTORY_MODELS_TAIL ")) ORDER BY path"
/* report --format html: whether the last finished scan recorded its
 * changes (not the database's first), and those changes */
#define SQL_HAS_CHANGES \
	"SELECT 1 FROM scans WHERE id = " SQL_LAST_SCAN " AND changes = 1"
#define SQL_LAST_CHANGES \
	"SELECT * FROM changes WHERE scan_id = " SQL_LAST_SCAN " ORDER BY path"
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
 * them; a model path present in both is taken from the newer scan.  The
 * changes its scans recorded come with them; a merge records none.
 */
#define SQL_MERGE \
	"CREATE TEMP TABLE IF NOT EXISTS merge_off AS SELECT 0 AS scans, 0 AS models;" \
	"DELETE FROM temp.merge_off;" \
	"INSERT INTO temp.merge_off SELECT coalesce((SELECT max(id) FROM main.scans), 0)," \
	" coalesce((SELECT max(id) FROM main.models), 0);" \
	"INSERT INTO main.scans SELECT id + (SELECT scans FROM temp.merge_off)," \
	" started, finished, roots, tool_version, rules_digest, shard, models, errors," \
	" datasets, spaces, gone, complete, changes FROM src.scans;" \
	"INSERT INTO main.verdict_changes SELECT scan + (SELECT scans FROM temp.merge_off)," \
	" path, model_id, change, old_license, new_license, old_commercial_use," \
	" new_commercial_use, old_conditions, new_conditions, old_review, new_review" \
	" FROM src.verdict_changes;" \
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

/* the scan summary: whether scan ?1 recorded changes, and which */
#define SQL_SCAN_RECORDED "SELECT coalesce(changes, 0) FROM scans WHERE id = ?1"
#define SQL_SCAN_CHANGES \
	"SELECT change, path, old_commercial_use, new_commercial_use FROM verdict_changes" \
	" WHERE scan = ?1 ORDER BY path"

/* diff: every scan, oldest first */
#define SQL_SCANS \
	"SELECT id, started, finished, roots, shard, complete, changes, models, gone" \
	" FROM scans ORDER BY id"

/* how restrictive a commercial_use is, for diff: allowed is the most
 * permissive, not-allowed the most restrictive, unknown between
 * conditional and not-allowed (nobody may rely on it) */
#define SQL_CU_RANK(col) \
	"(CASE " col " WHEN 'allowed' THEN 0 WHEN 'conditional' THEN 1" \
	" WHEN 'unknown' THEN 2 ELSE 3 END)"

/*
 * diff: each model's net change over the scans after ?1 up to ?2: its
 * verdict before the first of them that changed it, and after the last;
 * grouped (more-permissive, more-restrictive, changed, new, gone) and
 * ordered by group, then path.  New and gone again, or changed back, is
 * no change.
 */
#define SQL_CHANGES_BETWEEN \
	"WITH c AS (SELECT * FROM verdict_changes WHERE scan > ?1 AND scan <= ?2)," \
	" ends AS (SELECT path, min(scan) AS s0, max(scan) AS s1 FROM c GROUP BY path)," \
	" net AS (SELECT l.scan AS scan_id, e.path, l.model_id," \
	"  CASE WHEN f.change = 'new' AND l.change = 'gone' THEN NULL" \
	"  WHEN f.change = 'new' THEN 'new' WHEN l.change = 'gone' THEN 'gone'" \
	"  ELSE 'changed' END AS change," \
	"  f.old_license, l.new_license, f.old_commercial_use, l.new_commercial_use," \
	"  f.old_conditions, l.new_conditions, f.old_review, l.new_review" \
	"  FROM ends e JOIN c f ON f.path = e.path AND f.scan = e.s0" \
	"  JOIN c l ON l.path = e.path AND l.scan = e.s1)," \
	" grouped AS (SELECT CASE WHEN change <> 'changed' THEN change" \
	"  WHEN " SQL_CU_RANK("new_commercial_use") " < " SQL_CU_RANK("old_commercial_use") \
	"  THEN 'more-permissive'" \
	"  WHEN " SQL_CU_RANK("new_commercial_use") " > " SQL_CU_RANK("old_commercial_use") \
	"  THEN 'more-restrictive' ELSE 'changed' END AS \"group\", * FROM net" \
	"  WHERE change IS NOT NULL AND NOT (change = 'changed'" \
	"  AND old_license IS new_license AND old_commercial_use IS new_commercial_use" \
	"  AND old_conditions IS new_conditions AND old_review IS new_review))" \
	" SELECT * FROM grouped ORDER BY CASE \"group\" WHEN 'more-permissive' THEN 0" \
	" WHEN 'more-restrictive' THEN 1 WHEN 'changed' THEN 2 WHEN 'new' THEN 3 ELSE 4 END," \
	" path"

/*
 * check --changed, a condition on the inventory's path: the models the
 * last finished scan found new or changed; every model it found when it
 * recorded no changes (the database's first scan, where everything is
 * new, or one from before version 8: then only is `seen` looked at)
 */
#define SQL_LAST_SCAN "(SELECT max(id) FROM scans WHERE complete = 1)"
#define SQL_CHANGED_FILTER \
	"(path IN (SELECT path FROM verdict_changes WHERE scan = " SQL_LAST_SCAN \
	" AND change <> 'gone')" \
	" OR ((SELECT coalesce(changes, 0) FROM scans WHERE id = " SQL_LAST_SCAN ") = 0" \
	" AND path IN (SELECT m.path FROM seen z JOIN models m ON m.id = z.model" \
	" WHERE z.scan = " SQL_LAST_SCAN ")))"

/* report and check: the view's text columns (path_bytes is for programs) */
#define SQL_INVENTORY \
	"SELECT path, layout, model_id, revision, declared_license," \
	" detected_license, license, commercial_use, conditions," \
	" review, base_models, error, weight_bytes FROM inventory"

/*
 * export: the inventory's models (filtered by a --where over the view's
 * columns, spliced in by store.c) with their row id, ordered by path
 */
#define SQL_EXPORT_MODELS_HEAD \
	"SELECT (SELECT id FROM models WHERE models.path = inv.path) AS id, inv.*" \
	" FROM (SELECT * FROM (" SQL_INVENTORY ") WHERE ("
#define SQL_EXPORT_MODELS_TAIL ")) inv ORDER BY inv.path"
/* export: a model's weights with an LFS oid, and license files that kept
 * their text, with each rule identified in them (its card fields are
 * explain's SQL_CARD_FIELDS) */
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
