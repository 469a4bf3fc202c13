import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SignetError } from '../errors/signet-error.ts';
import { configureConnection } from './configure-connection.ts';
import { createKeyFilters } from './key-filters.ts';
import { sqliteMigrations } from './sqlite-migrations.ts';
import { inlineSqliteWriter, threadSqliteWriter } from './sqlite-writer.ts';
import type { SqliteWrite } from './sqlite-writes.ts';
import type {
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
  /**
   * Where writes run: `thread` (a writer thread with its own connection, so commits never block the
   * event loop; what the server uses) or `inline` (this thread, no extra thread; the default).
   */
  readonly writes?: 'inline' | 'thread' | undefined;
  /**
   * How long a key written by another process (or connection) may stay unseen by `get`, in ms
   * (default 50). `get` answers a key this store never saw written from memory, and looks for other
   * writers' new keys at most this often; 0 looks on every `get`. Deletes are seen at once.
   */
  readonly peerWriteLagMs?: number | undefined;
  /** Clock, in ms since the epoch (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

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
 *
 * Reads run on the calling thread. A `get` of a key the store has never seen is answered from memory
 * (a set of key fingerprints per namespace, built in the background after the namespace's first `get`):
 * most cache lookups miss, and a SQLite read costs ~5 µs even for nothing.
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): Store {
  const dataDir = resolve(options.dataDir ?? process.env.SIGNET_DATA_DIR ?? DEFAULT_DATA_DIR);
  const file = options.file === undefined ? join(dataDir, STORE_FILE) : resolve(options.file);
  const now = options.now ?? Date.now;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const db = openDatabase(file, dataDir, busyTimeoutMs);
  const writer =
    options.writes === 'thread' ? threadSqliteWriter({ file, busyTimeoutMs }) : inlineSqliteWriter(db);
  let closed = false;
  const guard = <T>(doing: string, work: () => T): Promise<T> => {
    try {
      if (closed) throw new TypeError('The database connection is not open');
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeError(error, file, doing));
    }
  };
  const write = async <W extends SqliteWrite>(doing: string, change: W) => {
    if (closed) throw storeError(new TypeError('The database connection is not open'), file, doing);
    try {
      return await writer.run(change);
    } catch (error) {
      throw storeError(error, file, doing);
    }
  };

  const statements = {
    get: db.prepare<[string, string], EntryRow>(
      'SELECT value, written_at, expires_at FROM kv WHERE namespace = ? AND key = ?',
    ),
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
    read: db.prepare<[string, number, number], { seq: number; record: string; at: number }>(
      'SELECT seq, record, at FROM records WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };
  const keys = createKeyFilters(db, options.peerWriteLagMs ?? 50);

  return {
    kind: 'sqlite',
    location: file,
    get: (namespace, key) =>
      guard('reading', (): StoredEntry | undefined => {
        if (!keys.mayHold(namespace, key)) return undefined;
        const row = statements.get.get(namespace, key);
        if (row === undefined || (row.expires_at !== null && row.expires_at <= now())) return undefined;
        return { value: row.value, writtenAt: row.written_at, expiresAt: row.expires_at ?? undefined };
      }),
    set: async (namespace, key, value, setOptions: SetOptions = {}) => {
      const entries = [{ key, value, ...setOptions }];
      keys.written(
        namespace,
        entries,
        await write('writing', { op: 'setMany', namespace, entries, at: now() }),
      );
    },
    setMany: async (namespace, entries) => {
      keys.written(
        namespace,
        entries,
        await write('writing', { op: 'setMany', namespace, entries, at: now() }),
      );
    },
    setIf: async (namespace, key, value, expected, setOptions: SetOptions = {}) => {
      const entry = { key, value, ...setOptions };
      const ids = await write('writing', { op: 'setIf', namespace, entry, expected, at: now() });
      if (ids === undefined) return false;
      keys.written(namespace, [entry], ids);
      return true;
    },
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
    delete: async (namespace, key) => {
      const removed = await write('deleting', { op: 'delete', namespace, key });
      keys.removed(namespace, removed ? 1 : 0);
      return removed;
    },
    size: (namespace) =>
      guard('measuring', (): NamespaceSize => statements.size.get(namespace) ?? { entries: 0, bytes: 0 }),
    trim: async (namespace, maxBytes) => {
      const removed = await write('trimming', { op: 'trim', namespace, maxBytes, at: now() });
      keys.removed(namespace, removed);
      return removed;
    },
    clear: async (namespace) => {
      const removed = await write('clearing', { op: 'clear', namespace });
      keys.cleared(namespace);
      return removed;
    },
    append: (stream, record) => write('appending', { op: 'append', stream, record, at: now() }),
    removeStream: (stream) => write('removing records', { op: 'removeStream', stream }),
    read: (stream, readOptions: ReadOptions = {}) =>
      guard('reading records', (): StoredRecord[] =>
        statements.read.all(stream, readOptions.after ?? 0, readOptions.limit ?? 1_000),
      ),
    close: async () => {
      if (closed) return;
      closed = true;
      keys.close();
      await writer.close();
      try {
        db.close();
      } catch (error) {
        throw storeError(error, file, 'closing');
      }
    },
  };
}

function openDatabase(file: string, dataDir: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    // Cached answers hold prompts and API key hashes live here: only the owner may read them.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const created = !existsSync(file);
    db = new Database(file, { timeout: busyTimeoutMs });
    if (created) chmodSync(file, 0o600); // SQLite gives the -wal and -shm files the same mode
    db.pragma('journal_mode = WAL');
    configureConnection(db);
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
