import type Database from 'better-sqlite3';
import type { EntryToSet } from './store.ts';

/** Entries read per step when trimming past a byte budget. */
const TRIM_PAGE = 256;

/**
 * One write to the store, as the store's connection or its writer thread runs it. Times come with the
 * write (`at`, in ms since the epoch), so the store's clock decides them wherever the write runs.
 */
export type SqliteWrite =
  | {
      readonly op: 'setMany';
      readonly namespace: string;
      readonly entries: readonly EntryToSet[];
      readonly at: number;
    }
  | {
      readonly op: 'setIf';
      readonly namespace: string;
      readonly entry: EntryToSet;
      readonly expected: string | undefined;
      readonly at: number;
    }
  | { readonly op: 'delete'; readonly namespace: string; readonly key: string }
  | {
      readonly op: 'trim';
      readonly namespace: string;
      readonly maxBytes: number | undefined;
      readonly at: number;
    }
  | { readonly op: 'clear'; readonly namespace: string }
  | { readonly op: 'append'; readonly stream: string; readonly record: string; readonly at: number }
  | { readonly op: 'removeStream'; readonly stream: string };

/** What each write returns: nothing, whether a row was there, rows removed, or a record's sequence number. */
export interface SqliteWriteResults {
  setMany: WrittenIds;
  /** The ids handed out when the value was written; undefined when the key held something else. */
  setIf: WrittenIds | undefined;
  delete: boolean;
  trim: number;
  clear: number;
  append: number;
  removeStream: number;
}

/**
 * The kv ids a `setMany` handed out: every id above `before` up to `after` is a row it inserted (it held
 * the write lock throughout), so a reader following new ids can skip them.
 */
export interface WrittenIds {
  readonly before: number;
  readonly after: number;
}

/** Runs writes on one connection, each in its own immediate transaction. */
export type SqliteWriteRunner = <W extends SqliteWrite>(write: W) => SqliteWriteResults[W['op']];

/** Prepares the store's writes on a connection whose schema is current. */
export function prepareSqliteWrites(db: Database.Database): SqliteWriteRunner {
  const statements = {
    set: db.prepare(
      // An upsert, not INSERT OR REPLACE: the replaced row's delete would not fire kv_usage's trigger.
      `INSERT INTO kv (namespace, key, value, bytes, written_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes,
         written_at = excluded.written_at, expires_at = excluded.expires_at`,
    ),
    delete: db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?'),
    size: db.prepare<[string], { bytes: number }>('SELECT bytes FROM kv_usage WHERE namespace = ?'),
    expire: db.prepare('DELETE FROM kv WHERE namespace = ? AND expires_at IS NOT NULL AND expires_at <= ?'),
    oldest: db.prepare<[string, number], { key: string; bytes: number }>(
      'SELECT key, bytes FROM kv WHERE namespace = ? ORDER BY written_at, key LIMIT ?',
    ),
    clear: db.prepare('DELETE FROM kv WHERE namespace = ?'),
    lastSeq: db.prepare<[string], { seq: number | null }>(
      'SELECT max(seq) AS seq FROM records WHERE stream = ?',
    ),
    append: db.prepare('INSERT INTO records (stream, seq, record, at) VALUES (?, ?, ?, ?)'),
    current: db.prepare<[string, string], { value: string; expires_at: number | null }>(
      'SELECT value, expires_at FROM kv WHERE namespace = ? AND key = ?',
    ),
    removeStream: db.prepare('DELETE FROM records WHERE stream = ?'),
    lastId: db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").pluck(),
  };
  const setMany = db.transaction((namespace: string, entries: readonly EntryToSet[], at: number) => {
    const before = statements.lastId.get() ?? 0;
    for (const { key, value, ttlMs } of entries) {
      const bytes = Buffer.byteLength(key) + Buffer.byteLength(value);
      statements.set.run(namespace, key, value, bytes, at, ttlMs === undefined ? null : at + ttlMs);
    }
    return { before, after: statements.lastId.get() ?? 0 };
  });
  const setIf = db.transaction(
    (namespace: string, entry: EntryToSet, expected: string | undefined, at: number) => {
      const row = statements.current.get(namespace, entry.key);
      const live = row === undefined || (row.expires_at !== null && row.expires_at <= at) ? undefined : row;
      if (live?.value !== expected) return undefined;
      return setMany(namespace, [entry], at);
    },
  );
  const trim = db.transaction((namespace: string, maxBytes: number | undefined, at: number): number => {
    let removed = statements.expire.run(namespace, at).changes;
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
  const append = db.transaction((stream: string, record: string, at: number): number => {
    const seq = (statements.lastSeq.get(stream)?.seq ?? 0) + 1;
    statements.append.run(stream, seq, record, at);
    return seq;
  });

  const run = (write: SqliteWrite): SqliteWriteResults[SqliteWrite['op']] => {
    switch (write.op) {
      case 'setMany':
        return setMany.immediate(write.namespace, write.entries, write.at);
      case 'setIf':
        return setIf.immediate(write.namespace, write.entry, write.expected, write.at);
      case 'delete':
        return statements.delete.run(write.namespace, write.key).changes > 0;
      case 'trim':
        return trim.immediate(write.namespace, write.maxBytes, write.at);
      case 'clear':
        return statements.clear.run(write.namespace).changes;
      case 'append':
        return append.immediate(write.stream, write.record, write.at);
      case 'removeStream':
        return statements.removeStream.run(write.stream).changes;
    }
  };
  return run as SqliteWriteRunner;
}
