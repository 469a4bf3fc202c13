/**
 * The embedded store's schema, one migration per version, applied in order inside a transaction and
 * recorded in `PRAGMA user_version`. Never edit a released migration: add the next one.
 */
export const sqliteMigrations: readonly string[] = [
  // 1: key/value entries with expiry, and append-only record streams.
  `CREATE TABLE kv (
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     written_at INTEGER NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (namespace, key)
   ) WITHOUT ROWID;
   CREATE INDEX kv_expiry ON kv (namespace, expires_at) WHERE expires_at IS NOT NULL;
   CREATE INDEX kv_age ON kv (namespace, written_at);
   CREATE TABLE records (
     stream TEXT NOT NULL,
     seq INTEGER NOT NULL,
     record TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (stream, seq)
   ) WITHOUT ROWID;`,
  // 2: kv as a rowid table with a unique key index. Cache keys are random hashes: in a WITHOUT ROWID
  // table every insert rewrote a random leaf holding whole values; here it appends the row and touches
  // one small index page, half the pages per write.
  `CREATE TABLE kv_rowid (
     id INTEGER PRIMARY KEY,
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     written_at INTEGER NOT NULL,
     expires_at INTEGER
   );
   INSERT INTO kv_rowid (namespace, key, value, bytes, written_at, expires_at)
     SELECT namespace, key, value, bytes, written_at, expires_at FROM kv ORDER BY written_at;
   DROP TABLE kv;
   ALTER TABLE kv_rowid RENAME TO kv;
   CREATE UNIQUE INDEX kv_key ON kv (namespace, key);
   CREATE INDEX kv_expiry ON kv (namespace, expires_at) WHERE expires_at IS NOT NULL;
   CREATE INDEX kv_age ON kv (namespace, written_at);`,
  // 3: entries and bytes per namespace, kept by triggers, so a size check is one row instead of a scan of
  // the namespace (trim ran one every 1,000 writes: ~80 ms at 240,000 cached answers).
  `CREATE TABLE kv_usage (
     namespace TEXT PRIMARY KEY,
     entries INTEGER NOT NULL,
     bytes INTEGER NOT NULL
   ) WITHOUT ROWID;
   INSERT INTO kv_usage (namespace, entries, bytes)
     SELECT namespace, count(*), sum(bytes) FROM kv GROUP BY namespace;
   CREATE TRIGGER kv_usage_insert AFTER INSERT ON kv BEGIN
     INSERT INTO kv_usage (namespace, entries, bytes) VALUES (new.namespace, 1, new.bytes)
       ON CONFLICT (namespace) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
   END;
   CREATE TRIGGER kv_usage_delete AFTER DELETE ON kv BEGIN
     UPDATE kv_usage SET entries = entries - 1, bytes = bytes - old.bytes WHERE namespace = old.namespace;
   END;
   CREATE TRIGGER kv_usage_update AFTER UPDATE OF bytes ON kv BEGIN
     UPDATE kv_usage SET bytes = bytes - old.bytes + new.bytes WHERE namespace = new.namespace;
   END;`,
  // 4: kv ids from AUTOINCREMENT, so an id is never handed out twice (after a clear, or when the newest
  // row is deleted). A store follows other processes' writes by reading rows above the last id it saw.
  `CREATE TABLE kv_v4 (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     namespace TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     written_at INTEGER NOT NULL,
     expires_at INTEGER
   );
   INSERT INTO kv_v4 (id, namespace, key, value, bytes, written_at, expires_at)
     SELECT id, namespace, key, value, bytes, written_at, expires_at FROM kv;
   DROP TABLE kv;
   ALTER TABLE kv_v4 RENAME TO kv;
   CREATE UNIQUE INDEX kv_key ON kv (namespace, key);
   CREATE INDEX kv_expiry ON kv (namespace, expires_at) WHERE expires_at IS NOT NULL;
   CREATE INDEX kv_age ON kv (namespace, written_at);
   CREATE TRIGGER kv_usage_insert AFTER INSERT ON kv BEGIN
     INSERT INTO kv_usage (namespace, entries, bytes) VALUES (new.namespace, 1, new.bytes)
       ON CONFLICT (namespace) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
   END;
   CREATE TRIGGER kv_usage_delete AFTER DELETE ON kv BEGIN
     UPDATE kv_usage SET entries = entries - 1, bytes = bytes - old.bytes WHERE namespace = old.namespace;
   END;
   CREATE TRIGGER kv_usage_update AFTER UPDATE OF bytes ON kv BEGIN
     UPDATE kv_usage SET bytes = bytes - old.bytes + new.bytes WHERE namespace = new.namespace;
   END;`,
];
