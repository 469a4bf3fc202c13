import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SignetError } from '../errors/signet-error.ts';
import { sqliteMigrations } from './sqlite-migrations.ts';
import type {
  EntryToSet,
  NamespaceSize,
  ReadOptions,
  ScannedEntry,
  ScanOptions,
  SetOptions,
  Store,
  StoredEntry,
  StoredRecord,
} from './store.ts';
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

/** Entries read per step when trimming past a byte budget. */
const TRIM_PAGE = 256;

/** Name of the store file in its data directory. */
export const STORE_FILE = 'signet.db';
/** Data directory when neither the options nor `SIGNET_DATA_DIR` name one. */
export const DEFAULT_DATA_DIR = '.signet';

interface ScanParams {
  namespace: string;
  after: string | null;
  prefix: string;
  now: number;
  limit: number;
}

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
      // An upsert, not INSERT OR REPLACE: the replaced row's delete would not fire kv_usage's trigger.
      `INSERT INTO kv (namespace, key, value, bytes, written_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes,
         written_at = excluded.written_at, expires_at = excluded.expires_at`,
    ),
    delete: db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?'),
    scan: db.prepare<[ScanParams], EntryRow & { key: string }>(
      `SELECT key, value, written_at, expires_at FROM kv
       WHERE namespace = @namespace AND (@after IS NULL OR key > @after) AND key >= @prefix
         AND substr(key, 1, length(@prefix)) = @prefix
         AND (expires_at IS NULL OR expires_at > @now)
       ORDER BY key LIMIT @limit`,
    ),
    size: db.prepare<[string], { entries: number; bytes: number }>(
      'SELECT entries, bytes FROM kv_usage WHERE namespace = ?',
    ),
    expire: db.prepare('DELETE FROM kv WHERE namespace = ? AND expires_at IS NOT NULL AND expires_at <= ?'),
    oldest: db.prepare<[string, number], { key: string; bytes: number }>(
      'SELECT key, bytes FROM kv WHERE namespace = ? ORDER BY written_at, key LIMIT ?',
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
  const setMany = db.transaction((namespace: string, entries: readonly EntryToSet[]): void => {
    const at = now();
    for (const entry of entries) writeEntry(namespace, entry.key, entry.value, at, entry.ttlMs);
  });
  const writeEntry = (namespace: string, key: string, value: string, at: number, ttlMs?: number) => {
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
    statements.set.run(namespace, key, value, bytes, at, ttlMs === undefined ? null : at + ttlMs);
  };
  const trim = db.transaction((namespace: string, maxBytes: number | undefined): number => {
    let removed = statements.expire.run(namespace, now()).changes;
    if (maxBytes === undefined) return removed;
    let excess = (statements.size.get(namespace)?.bytes ?? 0) - maxBytes;
    // Oldest first, a page at a time: a namespace within budget costs one sum, not a scan of every row.
    while (excess > 0) {
      // Read the page first: better-sqlite3 cannot write while a statement of the same connection iterates.
      const page = statements.oldest.all(namespace, TRIM_PAGE);
      if (page.length === 0) break;
      for (const row of page) {
        if (excess <= 0) break;
        statements.delete.run(namespace, row.key);
        excess -= row.bytes;
        removed++;
      }
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
      guard('writing', () => writeEntry(namespace, key, value, now(), setOptions.ttlMs)),
    setMany: (namespace, entries) => guard('writing', () => setMany.immediate(namespace, entries)),
    scan: (namespace, scanOptions: ScanOptions = {}) =>
      guard('scanning', (): ScannedEntry[] =>
        statements.scan
          .all({
            namespace,
            after: scanOptions.after ?? null,
            prefix: scanOptions.prefix ?? '',
            now: now(),
            limit: scanOptions.limit ?? 1_000,
          })
          .map((row) => ({
            key: row.key,
            value: row.value,
            writtenAt: row.written_at,
            expiresAt: row.expires_at ?? undefined,
          })),
      ),
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
    // Cached answers hold prompts and API key hashes live here: only the owner may read them.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const created = !existsSync(file);
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    if (created) chmodSync(file, 0o600); // SQLite gives the -wal and -shm files the same mode
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~40 MB instead of ~4 MB: copying pages back is most of a write's cost
    // (per cached answer ~75 µs -> ~28 µs here); the WAL file grows to that size between checkpoints.
    db.pragma('wal_autocheckpoint = 10000');
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
    // Written even when current: the write fails now, at open, on a read-only file or folder.
    db.pragma(`user_version = ${target}`);
  }).immediate();
}
