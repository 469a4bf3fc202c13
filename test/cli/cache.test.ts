import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCacheCommands } from '../../cli/commands/cache.ts';
import { createCache, defineSignature, openSqliteStore, predict } from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const capital = defineSignature({
  name: 'capital-of',
  version: '1.0.0',
  signature: 'country:string -> city:string',
});

describe('signet cache', () => {
  it('reports what the cache holds, and clears it without touching other state', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'signet-cli-cache-'));
    folders.push(dataDir);
    const store = openSqliteStore({ dataDir });
    const cache = createCache({ store });
    const ai = createScriptedProvider({ fallback: 'City: Paris' });
    for (const country of ['France', 'Spain'])
      await predict(capital).run({ country }, { ai, cache, temperature: 0 });
    await cache.flush();
    await store.set('api-keys', 'k', '{}');
    await store.close();

    const out: string[] = [];
    const run = async (...args: string[]) => {
      const program = new Command('signet').exitOverride();
      registerCacheCommands(program, {
        io: { out: (l) => out.push(l), err: () => undefined },
        defaultDataDir: dataDir,
      });
      await program.parseAsync(['node', 'signet', 'cache', ...args]);
    };
    await run('stats', '--json');
    const stats = JSON.parse(out.at(-1) as string);
    expect(stats).toMatchObject({ store: join(dataDir, 'signet.db'), entries: 2 });
    expect(stats.bytes).toBeGreaterThan(100);
    await run('stats');
    expect(out.at(-1)).toMatch(/entries\s+2/);
    await run('clear');
    expect(out.at(-1)).toBe('removed 2 cached answers');
    await run('stats', '--json');
    expect(JSON.parse(out.at(-1) as string)).toMatchObject({ entries: 0, bytes: 0 });
    const reopened = openSqliteStore({ dataDir });
    expect(await reopened.get('api-keys', 'k')).toBeDefined();
    await reopened.close();
  });
});
