import type Database from 'better-sqlite3';
import { keyFingerprint } from './key-fingerprint.ts';
import type { WrittenIds } from './sqlite-writes.ts';

/** Fingerprints removed (deleted, trimmed) past which a namespace's set is rebuilt, beside half its size. */
const REBUILD_AFTER = 1_024;
/** Keys read per step of a build (~1 ms), between which the event loop serves requests. */
const BUILD_PAGE = 1_024;

/** Which keys a store may hold, per namespace, kept in memory so a `get` of an absent key reads nothing. */
export interface KeyFilters {
  /** False when the namespace surely lacks the key; true when it may hold it (then read the row). */
  mayHold(namespace: string, key: string): boolean;
  /** Keys this store has just written (committed), and the kv ids that write handed out. */
  written(namespace: string, entries: readonly { readonly key: string }[], ids: WrittenIds): void;
  /** Rows this store has just removed from a namespace (their fingerprints go stale, not wrong). */
  removed(namespace: string, count: number): void;
  /** The namespace was cleared by this store. */
  cleared(namespace: string): void;
  /** Stops any build in progress. */
  close(): void;
}

interface NamespaceKeys {
  /** Undefined until the first build ends: until then the namespace may hold any key. */
  fingerprints: Set<number> | undefined;
  /** Fingerprints whose rows were removed since the set was built. */
  stale: number;
  /** A build in progress: the set it fills, and the key its next page starts after. */
  build: { readonly next: Set<number>; after: string; step: NodeJS.Immediate } | undefined;
}

/**
 * Key fingerprints per namespace over one connection. A namespace's set is built on its first question,
 * in the background, a page of keys at a time (until it is ready, every key "may" be there: `get` reads
 * the row, as it would without a filter), so a large store never stalls a request. Deletes
 * only make a set answer "may hold" for a key that is gone (the row is read, and is not there), so
 * they are seen at once; keys written by other connections are read from the rows above the highest id
 * seen (kv ids are never reused), at most every `lagMs`, and only when `PRAGMA data_version` says
 * another connection committed. A set grown stale with removed keys is rebuilt the same way, the old
 * one serving meanwhile.
 */
export function createKeyFilters(db: Database.Database, lagMs: number): KeyFilters {
  const statements = {
    // From the key index alone (it holds namespace and key): a dense walk, no row read.
    page: db
      .prepare<[string, string, number], string>(
        'SELECT key FROM kv WHERE namespace = ? AND key > ? ORDER BY key LIMIT ?',
      )
      .pluck(),
    lastId: db.prepare<[], number | null>("SELECT seq FROM sqlite_sequence WHERE name = 'kv'").pluck(),
    newer: db.prepare<[number], { id: number; namespace: string; key: string }>(
      'SELECT id, namespace, key FROM kv WHERE id > ? ORDER BY id',
    ),
    entries: db.prepare<[string], number>('SELECT entries FROM kv_usage WHERE namespace = ?').pluck(),
    version: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
  const sets = new Map<string, NamespaceKeys>();
  /** Highest kv id the sets have seen (undefined: not looked yet), and `data_version` when last looked. */
  let seenId: number | undefined;
  let version = 0;
  let checkedAt = Number.NEGATIVE_INFINITY;

  const startFollowing = db.transaction(() => {
    // One snapshot: rows up to seenId are those committed when version was read.
    seenId = statements.lastId.get() ?? 0;
    version = statements.version.get() ?? 0;
    checkedAt = performance.now();
  });

  const add = (keys: NamespaceKeys | undefined, key: string) => {
    if (keys === undefined) return;
    const fingerprint = keyFingerprint(key);
    keys.fingerprints?.add(fingerprint);
    keys.build?.next.add(fingerprint);
  };

  const build = (namespace: string, keys: NamespaceKeys) => {
    if (keys.build !== undefined) return;
    const step = () => {
      const current = keys.build;
      if (current === undefined) return;
      try {
        // Each page its own snapshot. A key written meanwhile, behind the page, is not lost: this
        // store's writes and the peers' it follows go into the set being built too.
        const page = statements.page.all(namespace, current.after, BUILD_PAGE);
        for (const key of page) current.next.add(keyFingerprint(key));
        if (page.length === BUILD_PAGE) {
          current.after = page.at(-1) as string;
          current.step = setImmediate(step);
          return;
        }
        keys.fingerprints = current.next;
        keys.stale = 0;
      } catch {
        // The connection closed (or failed): the old set, or none, keeps answering; both are safe.
      }
      keys.build = undefined;
    };
    keys.build = { next: new Set(), after: '', step: setImmediate(step) };
  };

  const followPeers = () => {
    const at = performance.now();
    if (seenId === undefined || at - checkedAt < lagMs) return;
    checkedAt = at;
    const current = statements.version.get() ?? 0;
    if (current === version) return;
    version = current;
    for (const row of statements.newer.iterate(seenId)) {
      seenId = row.id;
      add(sets.get(row.namespace), row.key);
    }
    // Other connections trim and delete unseen: rebuild a set that has grown past twice its namespace.
    for (const [namespace, keys] of sets) {
      const size = keys.fingerprints?.size ?? 0;
      if (size > 2 * (statements.entries.get(namespace) ?? 0) + REBUILD_AFTER) build(namespace, keys);
    }
  };

  return {
    mayHold(namespace, key) {
      let keys = sets.get(namespace);
      if (keys === undefined) {
        if (seenId === undefined) startFollowing.deferred();
        keys = { fingerprints: undefined, stale: 0, build: undefined };
        sets.set(namespace, keys);
        build(namespace, keys);
      } else {
        followPeers();
      }
      return keys.fingerprints === undefined || keys.fingerprints.has(keyFingerprint(key));
    },
    written(namespace, entries, ids) {
      const keys = sets.get(namespace);
      for (const { key } of entries) add(keys, key);
      // Nobody wrote between the last row seen and this write's: its rows need no reading back.
      if (ids.before === seenId) seenId = ids.after;
    },
    removed(namespace, count) {
      const keys = sets.get(namespace);
      if (keys?.fingerprints === undefined || count === 0) return;
      keys.stale += count;
      if (keys.stale > keys.fingerprints.size / 2 + REBUILD_AFTER) build(namespace, keys);
    },
    cleared(namespace) {
      const keys = sets.get(namespace);
      if (keys === undefined) return;
      if (keys.build !== undefined) clearImmediate(keys.build.step);
      // Every row of the namespace is gone; whatever is written next is added or followed.
      keys.build = undefined;
      keys.fingerprints = new Set();
      keys.stale = 0;
    },
    close() {
      for (const keys of sets.values()) {
        if (keys.build !== undefined) clearImmediate(keys.build.step);
        keys.build = undefined;
      }
    },
  };
}
