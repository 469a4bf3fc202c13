import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerKeysCommands } from '../../cli/commands/keys.ts';
import { generateApiKey, parseApiKey } from '../../server/auth/api-key.ts';
import type { ApiKeyStore } from '../../server/auth/api-key-store.ts';
import { createStoreApiKeyStore } from '../../server/auth/store-api-key-store.ts';
import { verifyApiKey } from '../../server/auth/verify-api-key.ts';
import { openSqliteStore, STORE_FILE } from '../../src/store/index.ts';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function setup() {
  const folder = await mkdtemp(join(tmpdir(), 'signet-cli-keys-'));
  folders.push(folder);
  const dataDir = join(folder, '.signet');
  const legacyFile = join(dataDir, 'keys.json');
  /** Runs `work` on the keys in the store, as a server on that data directory would see them. */
  const withKeys = async <T>(work: (keys: ApiKeyStore) => Promise<T>, dir = dataDir): Promise<T> => {
    const store = openSqliteStore({ dataDir: dir });
    try {
      return await work(createStoreApiKeyStore(store));
    } finally {
      await store.close();
    }
  };
  const out: string[] = [];
  const err: string[] = [];
  const run = async (...args: string[]) => {
    const program = new Command('signet')
      .exitOverride()
      .configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
    registerKeysCommands(program, {
      io: { out: (line) => out.push(line), err: (line) => err.push(line) },
      defaultDataDir: dataDir,
      legacyFile,
      now: () => new Date('2026-11-01T12:00:00.000Z'),
    });
    await program.parseAsync(['node', 'signet', 'keys', ...args]);
  };
  return { dataDir, legacyFile, withKeys, out, err, run };
}

describe('signet keys', () => {
  it('creates a key, prints it once on stdout, and stores only its hash in the store', async () => {
    const { dataDir, withKeys, out, err, run } = await setup();
    await run('create', '--name', 'ci', '--scopes', 'execute,admin');
    expect(out).toHaveLength(1);
    const key = out[0] as string;
    const parsed = parseApiKey(key);
    expect(parsed).toBeDefined();
    expect(err.join('\n')).toContain('cannot be shown again');
    const text = await readFile(join(dataDir, STORE_FILE));
    expect(text.includes(parsed?.secret as string)).toBe(false);
    const verdict = await withKeys((keys) => verifyApiKey(keys, key));
    expect(verdict).toEqual({
      ok: true,
      identity: { prefix: parsed?.prefix, name: 'ci', scopes: ['execute', 'admin'] },
    });
  });

  it('lists keys without secrets and revokes them by prefix', async () => {
    const { withKeys, out, run } = await setup();
    await run('create', '--name', 'reader');
    const key = out.pop() as string;
    const prefix = parseApiKey(key)?.prefix as string;
    await run('list');
    expect(out.join('\n')).toMatch(
      new RegExp(`${prefix}\\s+reader\\s+execute\\s+2026-11-01T12:00:00.000Z\\s+active`),
    );
    await run('revoke', prefix);
    expect(out.at(-1)).toBe(`revoked key ${prefix}`);
    await run('list', '--json');
    const listed = JSON.parse(out.at(-1) as string);
    expect(listed).toEqual([
      {
        prefix,
        name: 'reader',
        scopes: ['execute'],
        createdAt: '2026-11-01T12:00:00.000Z',
        revokedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('secretHash');
    expect((await withKeys((keys) => verifyApiKey(keys, key))).ok).toBe(false);
  });

  it('refuses unknown scopes, an empty name, and revoking a prefix that does not exist', async () => {
    const { run } = await setup();
    await expect(run('create', '--name', 'x', '--scopes', 'root')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('create', '--name', '  ')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('create')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('revoke', 'abcdefabcdef')).rejects.toMatchObject({ exitCode: 1 });
  });

  it('uses --data-dir over the default location', async () => {
    const { dataDir, withKeys, out, run } = await setup();
    const other = join(dataDir, '..', 'other');
    await run('--data-dir', other, 'create', '--name', 'elsewhere');
    expect(out).toHaveLength(1);
    expect((await withKeys((keys) => keys.list(), other)).map((r) => r.name)).toEqual(['elsewhere']);
    expect(existsSync(join(dataDir, STORE_FILE))).toBe(false);
  });

  it('moves the keys of an old keys file into the store once, saying so', async () => {
    const { legacyFile, withKeys, err, out, run } = await setup();
    const { key, prefix, secretHash } = generateApiKey();
    await mkdir(join(legacyFile, '..'), { recursive: true });
    const record = {
      prefix,
      name: 'old',
      scopes: ['execute'],
      createdAt: '2026-01-01T00:00:00.000Z',
      secretHash,
    };
    await writeFile(legacyFile, JSON.stringify({ format: 'signet.keys/v1', keys: [record] }));
    await run('list', '--json');
    expect(JSON.parse(out.at(-1) as string)).toEqual([
      { prefix, name: 'old', scopes: ['execute'], createdAt: record.createdAt },
    ]);
    expect(err.join('\n')).toContain(`moved 1 of 1 API key(s) from ${legacyFile}`);
    expect(existsSync(legacyFile)).toBe(false);
    expect(existsSync(`${legacyFile}.migrated`)).toBe(true);
    expect((await withKeys((keys) => verifyApiKey(keys, key))).ok).toBe(true);
    err.length = 0;
    await run('list');
    expect(err).toEqual([]);
  });

  it('refuses an old keys file it cannot read, saying what to do', async () => {
    const { legacyFile, run } = await setup();
    await mkdir(join(legacyFile, '..'), { recursive: true });
    await writeFile(legacyFile, '{not json');
    await expect(run('list')).rejects.toThrow(/not valid JSON.*signet keys create/);
  });
});
