import type { SqliteWrite, SqliteWriteResults } from './sqlite-writes.ts';

/** What a store tells its writer thread when starting it. */
export interface SqliteWriterData {
  /** The store file (its schema already migrated by the store). */
  readonly file: string;
  /** How long a write waits for another connection's lock, in ms. */
  readonly busyTimeoutMs: number;
}

/** A message to the writer thread: a write to run, answered by its id. */
export interface ToSqliteWriter {
  readonly id: number;
  readonly write: SqliteWrite;
}

/** A failed write as it crosses the thread boundary (SQLite's error code kept for `storeError`). */
export interface SqliteWriterError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | undefined;
}

/** The writer thread's answer to one write. */
export type FromSqliteWriter =
  | { readonly id: number; readonly ok: true; readonly value: SqliteWriteResults[keyof SqliteWriteResults] }
  | { readonly id: number; readonly ok: false; readonly error: SqliteWriterError };
