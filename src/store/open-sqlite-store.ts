import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SignetError } from '../errors/signet-error.ts';
import { sqliteMigrations } from './sqlite-migrations.ts';
import type { NamespaceSize, ReadOptions, SetOptions, Store, StoredEntry, StoredRecord } from './store.ts';
import { storeError } from './store-error.ts';

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Folder of the store file (default `SIGNET_DATA_DIR`, else `./.signet`); created when missing. */
  readonly dataDir?: string | undefined;
  /** The file itself, instead of `<dataDir>/signet.db`. */
  readonly file?: string | undefined;
  /** How long a write waits for another connection's lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number | undefined;
  /** Clock, in ms since the epoch (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/** Name of the store file in its data directory. */
export const STORE_FILE = 'signet.db';
/** Data directory when neither the options nor `SIGNET_DATA_DIR` name one. */
export const DEFAULT_DATA_DIR = '.signet';

interface EntryRow {
  value: string;
  written_at: number;
  expires_at: number | null;
}

/**
 * Opens (creating if needed) the embedded store: one SQLite file in WAL mode, so readers never wait for
 * the writer and several processes can share it; its schema is migrated to the current version first.
 * A file that cannot be used fails here with a coded error that names it and the fix.
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): Store {
  const dataDir = resolve(options.dataDir ?? process.env.SIGNET_DATA_DIR ?? DEFAULT_DATA_DIR);
  const file = options.file === undefined ? join(dataDir, STORE_FILE) : resolve(options.file);
  const now = options.now ?? Date.now;
  const db = openDatabase(file, dataDir, options);
  const guard = <T>(doing: string, work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeError(error, file, doing));
    }
  };

  const statements = {
    get: db.prepare<[string, string], EntryRow>(
      'SELECT value, written_at, expires_at FROM kv WHERE namespace = ? AND key = ?',
    ),
    set: db.prepare(
      'INSERT OR REPLACE INTO kv (namespace, key, value, bytes, written_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    delete: db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?'),
    size: db.prepare<[string], { entries: number; bytes: number }>(
      'SELECT count(*) AS entries, coalesce(sum(bytes), 0) AS bytes FROM kv WHERE namespace = ?',
    ),
    expire: db.prepare('DELETE FROM kv WHERE namespace = ? AND expires_at IS NOT NULL AND expires_at <= ?'),
    oldest: db.prepare<[string], { key: string; bytes: number }>(
      'SELECT key, bytes FROM kv WHERE namespace = ? ORDER BY written_at, key',
    ),
    clear: db.prepare('DELETE FROM kv WHERE namespace = ?'),
    lastSeq: db.prepare<[string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM records WHERE stream = ?',
    ),
    append: db.prepare('INSERT INTO records (stream, seq, record, at) VALUES (?, ?, ?, ?)'),
    read: db.prepare<[string, number, number], { seq: number; record: string; at: number }>(
      'SELECT seq, record, at FROM records WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };
  const append = db.transaction((stream: string, record: string): number => {
    const seq = (statements.lastSeq.get(stream)?.seq ?? 0) + 1;
    statements.append.run(stream, seq, record, now());
    return seq;
  });
  const trim = db.transaction((namespace: string, maxBytes: number | undefined): number => {
    let removed = statements.expire.run(namespace, now()).changes;
    if (maxBytes === undefined) return removed;
    let excess = (statements.size.get(namespace)?.bytes ?? 0) - maxBytes;
    // Read first: better-sqlite3 cannot write while a statement of the same connection iterates.
    for (const row of statements.oldest.all(namespace)) {
      if (excess <= 0) break;
      statements.delete.run(namespace, row.key);
      excess -= row.bytes;
      removed++;
    }
    return removed;
  });

  return {
    kind: 'sqlite',
    location: file,
    get: (namespace, key) =>
      guard('reading', (): StoredEntry | undefined => {
        const row = statements.get.get(namespace, key);
        if (row === undefined || (row.expires_at !== null && row.expires_at <= now())) return undefined;
        return { value: row.value, writtenAt: row.written_at, expiresAt: row.expires_at ?? undefined };
      }),
    set: (namespace, key, value, setOptions: SetOptions = {}) =>
      guard('writing', () => {
        const at = now();
        const bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
        const expires = setOptions.ttlMs === undefined ? null : at + setOptions.ttlMs;
        statements.set.run(namespace, key, value, bytes, at, expires);
      }),
    delete: (namespace, key) => guard('deleting', () => statements.delete.run(namespace, key).changes > 0),
    size: (namespace) =>
      guard('measuring', (): NamespaceSize => statements.size.get(namespace) ?? { entries: 0, bytes: 0 }),
    trim: (namespace, maxBytes) => guard('trimming', () => trim.immediate(namespace, maxBytes)),
    clear: (namespace) => guard('clearing', () => statements.clear.run(namespace).changes),
    append: (stream, record) => guard('appending', () => append.immediate(stream, record)),
    read: (stream, readOptions: ReadOptions = {}) =>
      guard('reading records', (): StoredRecord[] =>
        statements.read.all(stream, readOptions.after ?? 0, readOptions.limit ?? 1_000),
      ),
    close: () => guard('closing', () => void db.close()),
  };
}

function openDatabase(file: string, dataDir: string, options: SqliteStoreOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw storeError(error, file, 'opening');
  }
}

/** Applies the migrations the file lacks, in one write transaction (a second process waits, then sees them). */
function migrate(db: Database.Database, file: string): void {
  const version = () => Number(db.pragma('user_version', { simple: true }));
  const target = sqliteMigrations.length;
  db.transaction(() => {
    const current = version();
    if (current > target) {
      throw new SignetError(
        'SIGNET_STORE_CORRUPT',
        `the store ${file} has schema version ${current}, newer than this signet's ${target}; run the newer signet or point SIGNET_DATA_DIR elsewhere`,
        { details: { file, version: current, supported: target } },
      );
    }
    for (const migration of sqliteMigrations.slice(current)) db.exec(migration);
    if (current < target) db.pragma(`user_version = ${target}`);
  }).immediate();
}
