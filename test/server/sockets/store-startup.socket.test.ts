/**
 * `npm start` and its store: a file it cannot use stops start-up with an error naming the file and the
 * fix, and an API key file of an older signet moves into the store, then authenticates over a socket.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../../server/app.ts';
import { generateApiKey } from '../../../server/auth/api-key.ts';
import { startServer } from '../../../server/start.ts';
import { SignetError } from '../../../src/index.ts';
import { openSqliteStore, STORE_FILE } from '../../../src/store/index.ts';

let root: string;
let app: SignetApp | undefined;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) cleanup();
  rmSync(root, { recursive: true, force: true });
});

const start = (env: Record<string, string> = {}) => {
  root = mkdtempSync(join(tmpdir(), 'signet-startup-'));
  return startServer(
    { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SIGNET_OLLAMA: 'off', ...env },
    { handleSignals: false, root },
  );
};
/** A data directory with a store file in it, inside `root` once `start` made it. */
const dataDirWith = (write: (file: string) => void) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-startup-data-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  write(join(dataDir, STORE_FILE));
  return dataDir;
};
const startupError = async (env: Record<string, string>): Promise<SignetError> => {
  const failure = await start(env).then(
    (started) => {
      app = started;
      throw new Error('start-up should have failed');
    },
    (error: unknown) => error,
  );
  if (!SignetError.is(failure)) throw failure;
  return failure;
};

/** Makes a file unwritable even for root (`chattr +i`), or says why it cannot here. */
function makeImmutable(file: string): string | undefined {
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    cleanups.unshift(() => execFileSync('chattr', ['-i', file], { stdio: 'ignore' }));
    return undefined;
  } catch (error) {
    return `chattr +i is not available here (${String(error)})`;
  }
}

describe('npm start and its store', () => {
  it('refuses a data file that is not a database, naming it and the fix', async () => {
    const dataDir = dataDirWith((file) => writeFileSync(file, 'this is not sqlite, just text '.repeat(200)));
    const error = await startupError({ SIGNET_DATA_DIR: dataDir });
    expect(error.code).toBe('SIGNET_STORE_CORRUPT');
    expect(error.message).toContain(join(dataDir, STORE_FILE));
    expect(error.message).toMatch(/SIGNET_DATA_DIR|move the file aside/);
  });

  it('refuses a read-only data file at start-up, not on the first write', async (context) => {
    const dataDir = dataDirWith((file) => {
      const store = new Database(file);
      store.close();
    });
    await openSqliteStore({ dataDir }).close(); // a valid, current store
    const file = join(dataDir, STORE_FILE);
    for (const side of ['-wal', '-shm']) rmSync(`${file}${side}`, { force: true });
    if (process.getuid?.() === 0) {
      const why = makeImmutable(file);
      if (why !== undefined) context.skip(why);
    } else {
      execFileSync('chmod', ['0444', file]);
      execFileSync('chmod', ['0555', dataDir]);
      cleanups.unshift(() => execFileSync('chmod', ['0755', dataDir]));
    }
    const error = await startupError({ SIGNET_DATA_DIR: dataDir });
    expect(error.code).toBe('SIGNET_STORE_CORRUPT');
    expect(error.message).toContain(`${file} is read-only`);
    expect(error.message).toContain('point SIGNET_DATA_DIR at a writable folder');
  });

  it('gives up on a store another process keeps locked, saying so, after SIGNET_STORE_BUSY_TIMEOUT_MS', async () => {
    const dataDir = dataDirWith(() => undefined);
    await openSqliteStore({ dataDir }).close();
    const holder = new Database(join(dataDir, STORE_FILE));
    holder.exec('BEGIN EXCLUSIVE');
    cleanups.unshift(() => holder.close());
    const error = await startupError({ SIGNET_DATA_DIR: dataDir, SIGNET_STORE_BUSY_TIMEOUT_MS: '200' });
    expect(error.code).toBe('SIGNET_STORE_UNAVAILABLE');
    expect(error.message).toContain(join(dataDir, STORE_FILE));
    expect(error.message).toContain('stop the process holding it');
  });

  it('moves an old API key file into the store once; the moved key authenticates over a socket', async () => {
    const legacyRoot = mkdtempSync(join(tmpdir(), 'signet-startup-keys-'));
    cleanups.push(() => rmSync(legacyRoot, { recursive: true, force: true }));
    const keysFile = join(legacyRoot, '.signet', 'keys.json');
    mkdirSync(join(legacyRoot, '.signet'));
    const { key, prefix, secretHash } = generateApiKey();
    writeFileSync(
      keysFile,
      JSON.stringify({
        format: 'signet.keys/v1',
        keys: [
          { prefix, name: 'ci', scopes: ['execute'], createdAt: '2026-01-01T00:00:00.000Z', secretHash },
        ],
      }),
    );
    app = await start({ SIGNET_AUTH: 'on', SIGNET_KEYS_FILE: keysFile });
    expect(existsSync(keysFile)).toBe(false);
    expect(existsSync(`${keysFile}.migrated`)).toBe(true);
    const address = app.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const url = `${origin}/api/v1/dspy/signatures`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await app.close();
    // Started again: the keys come from the store, the moved file is not read again.
    app = await startServer(
      {
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        SIGNET_OLLAMA: 'off',
        SIGNET_AUTH: 'on',
        SIGNET_KEYS_FILE: keysFile,
      },
      { handleSignals: false, root },
    );
    const again = app.server.address();
    const port = typeof again === 'object' && again !== null ? again.port : 0;
    const authed = await fetch(`http://127.0.0.1:${port}/api/v1/dspy/signatures`, {
      headers: { 'x-api-key': key },
    });
    expect(authed.status).toBe(200);
  });
});
