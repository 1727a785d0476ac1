CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles_text',  content_rowid='id', tokenize='snowball english unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS 'articles_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE IF NOT EXISTS 'articles_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS 'articles_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE IF NOT EXISTS 'articles_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE input_files(  path TEXT PRIMARY KEY,  size INTEGER NOT NULL,  mtime_ns INTEGER NOT NULL,  offset INTEGER NOT NULL,  lines INTEGER NOT NULL,  window_hash INTEGER NOT NULL,  n_skipped INTEGER NOT NULL,  indexed_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rule_hits(  rule_id INTEGER NOT NULL,  article_id INTEGER NOT NULL,  reported_at TEXT NOT NULL,  PRIMARY KEY(rule_id, article_id)) WITHOUT ROWID;
CREATE TABLE rule_terms(  rule_id INTEGER NOT NULL,  term TEXT NOT NULL,  kind INTEGER NOT NULL,  seq INTEGER NOT NULL,  reported_at TEXT NOT NULL,  PRIMARY KEY(rule_id, term, kind)) WITHOUT ROWID;
CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE docinfo(chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE term_docs(bucket INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE batches(first_seq INTEGER PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE term_origins(seq INTEGER PRIMARY KEY, article INTEGER NOT NULL,  first_when INTEGER, terms TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS "articles"(  id INTEGER PRIMARY KEY,  key TEXT NOT NULL,  path TEXT,  content_hash INTEGER NOT NULL,  dup_of INTEGER,  date TEXT,  title TEXT,  body TEXT NOT NULL,  source TEXT,  url TEXT,  author TEXT,  lang TEXT,  tags TEXT,  file_size INTEGER NOT NULL DEFAULT -1,  file_mtime INTEGER NOT NULL DEFAULT -1,  seq INTEGER NOT NULL,  file_id INTEGER,  folder_id INTEGER);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_seq ON articles(seq);
CREATE INDEX articles_dup ON articles(dup_of) WHERE dup_of IS NOT NULL;
CREATE VIEW articles_text AS SELECT id, title, body FROM articles  WHERE dup_of IS NULL
/* articles_text(id,title,body) */;
CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN  INSERT INTO meta(key, value) VALUES('seq_floor', old.seq)    ON CONFLICT(key) DO UPDATE    SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER));  DELETE FROM rule_hits WHERE rule_id IN (SELECT id FROM rules) AND article_id = old.id;END;
CREATE INDEX articles_file ON articles(file_id) WHERE file_id IS NOT NULL;
CREATE UNIQUE INDEX articles_key ON articles(key) WHERE folder_id IS NULL;
CREATE UNIQUE INDEX articles_folder ON articles(folder_id, key)  WHERE folder_id IS NOT NULL;
CREATE VIEW terms(term, kind, surface, first_article, first_when, first_indexed, n_docs,  seq) AS SELECT CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[0]') END, instr(CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[0]') END, ' ') > 0, CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[1]') END, o.article, o.first_when, (SELECT b.at FROM batches b  WHERE b.first_seq <= o.seq ORDER BY b.first_seq DESC LIMIT 1), CASE j.type WHEN 'text' THEN 1 ELSE coalesce(json_extract(j.value, '$[2]'), 1) END,  o.seq FROM term_origins o, json_each(o.terms) j
/* terms(term,kind,surface,first_article,first_when,first_indexed,n_docs,seq) */;
CREATE VIEW article_keys(id, key, path) AS SELECT id, CASE WHEN folder_id IS NOT NULL THEN ((SELECT f.path FROM files f WHERE f.id = folder_id) || key) ELSE key END, CASE WHEN folder_id IS NOT NULL THEN ((SELECT f.path FROM files f WHERE f.id = folder_id) || key) WHEN file_id IS NOT NULL THEN (SELECT f.path FROM files f WHERE f.id = file_id) ELSE path END FROM articles
/* article_keys(id,"key",path) */;
CREATE TABLE IF NOT EXISTS "rules"(  id INTEGER PRIMARY KEY AUTOINCREMENT,  name TEXT NOT NULL UNIQUE,  kind INTEGER NOT NULL,  query TEXT NOT NULL,  options TEXT NOT NULL,  cursor INTEGER NOT NULL DEFAULT 0,  created_at TEXT NOT NULL,  last_run_at TEXT);
CREATE TABLE sqlite_sequence(name,seq);
CREATE TABLE fetched(  url TEXT PRIMARY KEY,  etag TEXT,  last_modified TEXT,  fetched_at TEXT NOT NULL,  http_status INTEGER NOT NULL,  final_url TEXT,  redirects INTEGER NOT NULL DEFAULT 0,  items INTEGER NOT NULL DEFAULT 0,  error TEXT);
