import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignetError } from '../../src/errors/signet-error.ts';
import { openSqliteStore, STORE_FILE, type Store } from '../../src/store/index.ts';
import { sqliteMigrations } from '../../src/store/sqlite-migrations.ts';

const run = promisify(execFile);
const WRITER = fileURLToPath(new URL('./fixtures/store-writer.ts', import.meta.url));

let dir: string;
const open: Store[] = [];
let writes: 'inline' | 'thread' = 'inline';
const openStore = (options: Parameters<typeof openSqliteStore>[0] = {}) => {
  const store = openSqliteStore({ dataDir: dir, writes, ...options });
  open.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-store-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** Lets a store finish building a namespace's key set (a background step per event-loop turn). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<SignetError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (SignetError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe.each(['inline', 'thread'] as const)('openSqliteStore, writes %s', (mode) => {
  beforeEach(() => {
    writes = mode;
  });

  it('creates <dataDir>/signet.db (owner-only) in WAL mode at the current schema version', () => {
    const store = openStore();
    expect(store.location).toBe(join(dir, STORE_FILE));
    expect(statSync(store.location).mode & 0o777).toBe(0o600);
    const raw = new Database(store.location, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
    raw.close();
  });

  it('keeps values per namespace, replaces them, and deletes them', async () => {
    const store = openStore();
    await store.set('cache', 'a', '{"x":1}');
    await store.set('other', 'a', 'elsewhere');
    await store.set('cache', 'a', '{"x":2}');
    expect((await store.get('cache', 'a'))?.value).toBe('{"x":2}');
    expect((await store.get('other', 'a'))?.value).toBe('elsewhere');
    expect(await store.delete('cache', 'a')).toBe(true);
    expect(await store.delete('cache', 'a')).toBe(false);
    expect(await store.get('cache', 'a')).toBeUndefined();
  });

  it('expires entries after their TTL and sweeps them on trim', async () => {
    let now = 1_000;
    const store = openStore({ now: () => now });
    await store.set('cache', 'short', 'v', { ttlMs: 100 });
    await store.set('cache', 'forever', 'v');
    expect(await store.get('cache', 'short')).toMatchObject({ expiresAt: 1_100, writtenAt: 1_000 });
    now = 1_100;
    expect(await store.get('cache', 'short')).toBeUndefined();
    expect(await store.trim('cache')).toBe(1);
    expect(await store.size('cache')).toEqual({ entries: 1, bytes: 'forever'.length + 1 });
  });

  it('keeps the size of each namespace right through overwrites, deletes, trims and clears', async () => {
    const store = openStore();
    const truth = (namespace: string) => {
      const raw = new Database(join(dir, STORE_FILE), { readonly: true });
      try {
        return raw
          .prepare('SELECT count(*) AS entries, coalesce(sum(bytes), 0) AS bytes FROM kv WHERE namespace = ?')
          .get(namespace);
      } finally {
        raw.close();
      }
    };
    await store.setMany('a', [
      { key: 'k1', value: 'one' },
      { key: 'k2', value: 'two!' },
    ]);
    await store.set('a', 'k1', 'a longer one');
    await store.set('b', 'k1', 'other namespace');
    await store.delete('a', 'k2');
    expect(await store.size('a')).toEqual(truth('a'));
    expect(await store.size('a')).toEqual({ entries: 1, bytes: 2 + 'a longer one'.length });
    for (let i = 0; i < 50; i++) await store.set('a', `n${i}`, 'x'.repeat(i));
    await store.trim('a', 300);
    expect(await store.size('a')).toEqual(truth('a'));
    expect((await store.size('a')).bytes).toBeLessThanOrEqual(300);
    await store.clear('a');
    expect(await store.size('a')).toEqual({ entries: 0, bytes: 0 });
    expect(await store.size('b')).toEqual(truth('b'));
  });

  it('counts the entries of a file written at schema version 2 when it migrates it', async () => {
    const file = join(dir, STORE_FILE);
    const raw = new Database(file);
    raw.exec(sqliteMigrations[0] as string);
    raw.exec(sqliteMigrations[1] as string);
    raw.pragma('user_version = 2');
    raw
      .prepare('INSERT INTO kv (namespace, key, value, bytes, written_at) VALUES (?, ?, ?, ?, ?)')
      .run('cache', 'old', 'value', 8, 1);
    raw.close();
    const store = openStore();
    expect(await store.size('cache')).toEqual({ entries: 1, bytes: 8 });
    await store.set('cache', 'new', 'v');
    expect(await store.size('cache')).toEqual({ entries: 2, bytes: 12 });
  });

  it('trims a namespace to a byte budget, oldest writes first', async () => {
    let now = 0;
    const store = openStore({ now: () => now });
    for (const key of ['k1', 'k2', 'k3', 'k4']) {
      now += 10;
      await store.set('cache', key, 'x'.repeat(98));
    }
    expect((await store.size('cache')).bytes).toBe(400);
    expect(await store.trim('cache', 250)).toBe(2);
    expect(await store.get('cache', 'k1')).toBeUndefined();
    expect(await store.get('cache', 'k2')).toBeUndefined();
    expect((await store.get('cache', 'k3'))?.value).toHaveLength(98);
    expect(await store.clear('cache')).toBe(2);
  });

  it('writes many values in one transaction and scans them in key order, by prefix and page', async () => {
    let now = 0;
    const store = openStore({ now: () => now });
    await store.setMany('keys', [
      { key: 'b:2', value: '2' },
      { key: 'a:1', value: '1' },
      { key: 'b:1', value: '3', ttlMs: 5 },
      { key: 'b:3', value: '4' },
    ]);
    expect((await store.scan('keys')).map((e) => e.key)).toEqual(['a:1', 'b:1', 'b:2', 'b:3']);
    expect((await store.scan('keys', { prefix: 'b:', limit: 2 })).map((e) => e.key)).toEqual(['b:1', 'b:2']);
    expect((await store.scan('keys', { prefix: 'b:', after: 'b:2' })).map((e) => e.value)).toEqual(['4']);
    now = 5;
    expect((await store.scan('keys', { prefix: 'b:' })).map((e) => e.key)).toEqual(['b:2', 'b:3']);
    expect(await store.scan('other')).toEqual([]);
  });

  it('writes none of a setMany whose transaction fails', async () => {
    const store = openStore();
    const raw = new Database(store.location);
    raw.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'no'); END",
    );
    raw.close();
    const many = store.setMany('keys', [
      { key: 'good', value: '1' },
      { key: 'bad', value: '2' },
    ]);
    await expect(many).rejects.toBeInstanceOf(SignetError);
    expect(await store.get('keys', 'good')).toBeUndefined();
  });

  it('numbers records per stream and keeps them across a reopen', async () => {
    const first = openStore();
    expect(await first.append('run-1', 'step a')).toBe(1);
    expect(await first.append('run-1', 'step b')).toBe(2);
    expect(await first.append('run-2', 'other')).toBe(1);
    await first.close();
    const again = openStore();
    expect((await again.read('run-1')).map((r) => [r.seq, r.record])).toEqual([
      [1, 'step a'],
      [2, 'step b'],
    ]);
    expect((await again.read('run-1', { after: 1 })).map((r) => r.record)).toEqual(['step b']);
    expect(await again.append('run-1', 'step c')).toBe(3);
  });

  it('removes a stream whole, leaving the others', async () => {
    const store = openStore();
    await store.append('run-1', 'a');
    await store.append('run-1', 'b');
    await store.append('run-2', 'c');
    expect(await store.removeStream('run-1')).toBe(2);
    expect(await store.read('run-1')).toEqual([]);
    expect((await store.read('run-2')).map((r) => r.record)).toEqual(['c']);
    expect(await store.append('run-1', 'again')).toBe(1);
  });

  it('writes with setIf only while the key holds the expected value, absent or expired counting as none', async () => {
    let clock = 1_000;
    const store = openStore({ now: () => clock });
    expect(await store.setIf('runs', 'r1', 'queued', undefined)).toBe(true);
    expect(await store.setIf('runs', 'r1', 'other', undefined)).toBe(false);
    expect(await store.setIf('runs', 'r1', 'running', 'stale')).toBe(false);
    expect(await store.setIf('runs', 'r1', 'running', 'queued', { ttlMs: 10 })).toBe(true);
    expect((await store.get('runs', 'r1'))?.value).toBe('running');
    clock += 10;
    expect(await store.get('runs', 'r1')).toBeUndefined();
    expect(await store.setIf('runs', 'r1', 'running', 'running')).toBe(false);
    expect(await store.setIf('runs', 'r1', 'fresh', undefined)).toBe(true);
    expect((await store.get('runs', 'r1'))?.value).toBe('fresh');
    expect(await store.size('runs')).toMatchObject({ entries: 1 });
  });

  it('lets exactly one of two connections win a setIf race', async () => {
    const a = openStore();
    const b = openStore();
    await a.set('runs', 'r1', 'queued');
    const wins = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).setIf('runs', 'r1', `owner-${i}`, 'queued')),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('lets two processes write one store at once without a busy error reaching either', async () => {
    const store = openStore();
    const child = run(process.execPath, ['--import', 'tsx', WRITER, store.location, '300']);
    for (let i = 0; i < 300; i++) {
      await store.append('shared', `parent-${i}`);
      await store.set('parent', `k${i}`, `v${i}`);
    }
    expect((await child).stdout).toContain('done');
    const records = await store.read('shared', { limit: 10_000 });
    expect(records).toHaveLength(600);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    expect((await store.size('child')).entries).toBe(300);
  }, 60_000);

  it('fails with SIGNET_STORE_UNAVAILABLE, naming the file, when another connection holds the lock too long', async () => {
    const store = openStore({ busyTimeoutMs: 50 });
    const holder = new Database(store.location);
    holder.exec('BEGIN EXCLUSIVE');
    const error = await failure(store.set('cache', 'k', 'v'));
    holder.exec('ROLLBACK');
    holder.close();
    expect(error.code).toBe('SIGNET_STORE_UNAVAILABLE');
    expect(error.message).toContain(store.location);
    await store.set('cache', 'k', 'v');
  });

  it('refuses a file that is not a database with SIGNET_STORE_CORRUPT naming it and the fix', async () => {
    const file = join(dir, STORE_FILE);
    writeFileSync(file, 'this is not sqlite, just text that fills a page '.repeat(100));
    const error = await failure(() => openSqliteStore({ dataDir: dir }));
    expect(error.code).toBe('SIGNET_STORE_CORRUPT');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/move the file aside/);
  });

  it('refuses a store written by a newer signet', async () => {
    const file = join(dir, STORE_FILE);
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const error = await failure(() => openSqliteStore({ dataDir: dir }));
    expect(error.code).toBe('SIGNET_STORE_CORRUPT');
    expect(error.message).toMatch(
      new RegExp(`schema version 99, newer than this signet's ${sqliteMigrations.length}`),
    );
  });

  it('fails after close', async () => {
    const store = openStore();
    await store.close();
    await expect(store.get('cache', 'k')).rejects.toThrow(/store/);
    await expect(store.set('cache', 'k', 'v')).rejects.toThrow(/store/);
  });

  it('finishes the writes in flight before it closes', async () => {
    const store = openStore();
    const writing = store.setMany(
      'cache',
      Array.from({ length: 500 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    await store.close();
    await writing;
    const again = openStore();
    expect((await again.size('cache')).entries).toBe(500);
  });

  it('sees keys another connection writes, and at once the ones it deletes', async () => {
    const store = openStore({ peerWriteLagMs: 0 });
    const peer = openSqliteStore({ dataDir: dir });
    open.push(peer);
    await store.set('cache', 'mine', 'v');
    expect(await store.get('cache', 'theirs')).toBeUndefined(); // builds the namespace's key set
    await settle();
    await peer.set('cache', 'theirs', 'from the peer');
    expect((await store.get('cache', 'theirs'))?.value).toBe('from the peer');
    await peer.delete('cache', 'mine');
    expect(await store.get('cache', 'mine')).toBeUndefined();
    // A peer that empties the namespace and writes again: its new rows have new ids, and are seen.
    await peer.clear('cache');
    await peer.set('cache', 'after-clear', 'v2');
    expect((await store.get('cache', 'after-clear'))?.value).toBe('v2');
  });

  it("sees a peer's new key within peerWriteLagMs", async () => {
    const store = openStore({ peerWriteLagMs: 30 });
    const peer = openSqliteStore({ dataDir: dir });
    open.push(peer);
    expect(await store.get('cache', 'k')).toBeUndefined();
    await settle();
    await peer.set('cache', 'k', 'v');
    const written = performance.now();
    while ((await store.get('cache', 'k')) === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Generous bound for a loaded machine; without the lag it would never be seen.
    expect(performance.now() - written).toBeLessThan(2_000);
  });

  it('answers a miss from memory once the key set is built: a peer write stays unseen for the lag', async () => {
    const store = openStore({ peerWriteLagMs: 60_000 });
    const peer = openSqliteStore({ dataDir: dir });
    open.push(peer);
    await store.set('cache', 'mine', 'v');
    expect(await store.get('cache', 'theirs')).toBeUndefined();
    await settle();
    await peer.set('cache', 'theirs', 'v');
    // No read of the file: the set says absent, and the peer is looked at only every 60 s.
    expect(await store.get('cache', 'theirs')).toBeUndefined();
    expect((await store.get('cache', 'mine'))?.value).toBe('v');
    await peer.delete('cache', 'mine'); // a delete is seen at once: the row is read, and is gone
    expect(await store.get('cache', 'mine')).toBeUndefined();
    const fresh = openStore({ peerWriteLagMs: 60_000 }); // a new store builds its set from the file
    expect((await fresh.get('cache', 'theirs'))?.value).toBe('v');
  });

  it('builds the key set of a large namespace in steps, answering right meanwhile', async () => {
    const store = openStore({ peerWriteLagMs: 0 });
    const entries = Array.from({ length: 30_000 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await store.setMany('big', entries);
    await store.set('small', 'only', 'v');
    expect((await store.get('small', 'only'))?.value).toBe('v');
    expect((await store.get('big', 'k29999'))?.value).toBe('v');
    for (let i = 0; i < 40; i++) await new Promise((resolve) => setImmediate(resolve));
    await settle();
    for (const key of ['k0', 'k12345', 'k29999']) expect((await store.get('big', key))?.value).toBe('v');
    expect(await store.get('big', 'k30000')).toBeUndefined();
    expect((await store.get('small', 'only'))?.value).toBe('v');
    expect(await store.get('small', 'k0')).toBeUndefined();
  });

  it('keeps answering right as trims and deletes leave stale fingerprints, and after a rebuild', async () => {
    let now = 0;
    const store = openStore({ now: () => now });
    for (let round = 0; round < 3; round++) {
      now += 1;
      const keys = Array.from({ length: 1_500 }, (_, i) => ({
        key: `r${round}-${String(i).padStart(4, '0')}`,
        value: 'x'.repeat(10),
      }));
      await store.setMany('cache', keys);
      expect((await store.get('cache', `r${round}-0007`))?.value).toBe('x'.repeat(10));
      await settle();
      await store.trim('cache', 1_000 * 17); // 17 bytes a row: keeps the newest 1,000
      expect(await store.get('cache', `r${round}-0000`)).toBeUndefined();
      expect((await store.get('cache', `r${round}-1499`))?.value).toBe('x'.repeat(10));
    }
    expect((await store.size('cache')).entries).toBe(1_000);
  });
});

describe('openSqliteStore migrations', () => {
  it('moves a schema-3 file to ids that are never reused, keeping its rows, ids and sizes', async () => {
    const file = join(dir, STORE_FILE);
    const raw = new Database(file);
    for (const migration of sqliteMigrations.slice(0, 3)) raw.exec(migration);
    raw.pragma('user_version = 3');
    const insert = raw.prepare(
      'INSERT INTO kv (id, namespace, key, value, bytes, written_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run(7, 'cache', 'a', 'one', 4, 1);
    insert.run(9, 'cache', 'b', 'two', 4, 2);
    raw.close();
    const store = openSqliteStore({ dataDir: dir });
    open.push(store);
    expect(await store.size('cache')).toEqual({ entries: 2, bytes: 8 });
    await store.delete('cache', 'b'); // the highest id: a rowid table would hand 9 out again
    await store.set('cache', 'c', 'three');
    await store.close();
    const check = new Database(file, { readonly: true });
    const rows = check.prepare('SELECT id, key FROM kv ORDER BY id').all();
    check.close();
    expect(rows).toEqual([
      { id: 7, key: 'a' },
      { id: 10, key: 'c' },
    ]);
  });
});
