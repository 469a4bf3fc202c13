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
];
