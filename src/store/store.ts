/**
 * signet's storage contract: one small interface that the embedded SQLite store implements by default
 * and a Redis store implements when instances are scaled out. Everything is async so either can serve
 * it; values are JSON text, so what one backend writes another can read.
 */
export interface Store {
  /** Which backend this is (`sqlite`, `redis`...), for logs and `/metrics`. */
  readonly kind: string;
  /** Where it lives (a file path, a URL without credentials), for logs and errors. */
  readonly location: string;

  /** The value under `key` in `namespace`, or undefined when absent or expired. */
  get(namespace: string, key: string): Promise<StoredEntry | undefined>;
  /** Writes (or replaces) a value; with `ttlMs` it expires that long from now. */
  set(namespace: string, key: string, value: string, options?: SetOptions): Promise<void>;
  /** Writes several values in one transaction: all of them or, on failure, none. */
  setMany(namespace: string, entries: readonly EntryToSet[]): Promise<void>;
  /**
   * Writes a value only while the key still holds `expected` (undefined: only while it is absent or
   * expired); true when written. The check and the write are one transaction, so of two writers that
   * read the same value only one wins: claims, leases and idempotency keys build on it.
   */
  setIf(
    namespace: string,
    key: string,
    value: string,
    expected: string | undefined,
    options?: SetOptions,
  ): Promise<boolean>;
  /** Entries of a namespace in key order after `after` (exclusive), at most `limit`; expired ones skipped. */
  scan(namespace: string, options?: ScanOptions): Promise<ScannedEntry[]>;
  /** Removes a value; true when one was there. */
  delete(namespace: string, key: string): Promise<boolean>;
  /** Entries and bytes a namespace holds (expired entries not yet swept included). */
  size(namespace: string): Promise<NamespaceSize>;
  /**
   * Removes expired entries of a namespace, then the least recently written until it holds at most
   * `maxBytes`; returns how many were removed.
   */
  trim(namespace: string, maxBytes?: number): Promise<number>;
  /** Removes every entry of a namespace; returns how many there were. */
  clear(namespace: string): Promise<number>;

  /** Appends a record to a stream (a run's steps, an audit log); returns its sequence number (from 1). */
  append(stream: string, record: string): Promise<number>;
  /** Records of a stream after sequence number `after` (default 0), oldest first, at most `limit`. */
  read(stream: string, options?: ReadOptions): Promise<StoredRecord[]>;

  /** Removes every record of a stream (a finished run past retention); returns how many there were. */
  removeStream(stream: string): Promise<number>;

  /** Closes the store; later calls fail. */
  close(): Promise<void>;
}

/** Options of `Store.set`. */
export interface SetOptions {
  /** Time to live in ms; absent: kept until deleted or trimmed. */
  readonly ttlMs?: number | undefined;
}

/** One value of `Store.setMany`. */
export interface EntryToSet extends SetOptions {
  readonly key: string;
  readonly value: string;
}

/** Options of `Store.scan`. */
export interface ScanOptions {
  /** Key to continue after (exclusive); absent: from the first key. */
  readonly after?: string | undefined;
  /** Only keys that start with this. */
  readonly prefix?: string | undefined;
  /** Most entries to return (default 1000). */
  readonly limit?: number | undefined;
}

/** An entry returned by `Store.scan`. */
export interface ScannedEntry extends StoredEntry {
  readonly key: string;
}

/** Options of `Store.read`. */
export interface ReadOptions {
  /** Sequence number to read after (default 0: from the first record). */
  readonly after?: number | undefined;
  /** Most records to return (default 1000). */
  readonly limit?: number | undefined;
}

/** A stored value. */
export interface StoredEntry {
  /** The value as written. */
  readonly value: string;
  /** When it was written, in ms since the epoch. */
  readonly writtenAt: number;
  /** When it expires, in ms since the epoch; undefined when it does not. */
  readonly expiresAt: number | undefined;
}

/** A record of a stream. */
export interface StoredRecord {
  /** Sequence number within its stream, from 1. */
  readonly seq: number;
  /** The record as appended. */
  readonly record: string;
  /** When it was appended, in ms since the epoch. */
  readonly at: number;
}

/** How much a namespace holds. */
export interface NamespaceSize {
  /** Entries. */
  readonly entries: number;
  /** Bytes of keys and values (UTF-8). */
  readonly bytes: number;
}
