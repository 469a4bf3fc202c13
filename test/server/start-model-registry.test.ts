import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { startServer } from '../../server/start.ts';

let app: SignetApp | undefined;
let root: string | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

/** A project root whose config/models.json holds `config`. */
async function projectWith(config: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-start-'));
  await mkdir(join(dir, 'config'));
  await writeFile(join(dir, 'config', 'models.json'), JSON.stringify(config));
  return dir;
}

const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SIGNET_OLLAMA: 'off' };

describe('startServer with the model registry', () => {
  it('fails start-up on a bad config file, naming the file and the key', async () => {
    root = await projectWith({ roles: { planner: { minContxt: 8192 } } });
    await expect(startServer(env, { handleSignals: false, root })).rejects.toThrow(
      /config\/models\.json: roles\.planner\.minContxt: unknown key \(did you mean "minContext"\?\)/,
    );
  });

  it('fails start-up on a role pin for a role the config does not define', async () => {
    root = await projectWith({});
    await expect(
      startServer({ ...env, SIGNET_MODEL_PLANER: 'ollama:qwen3:8b' }, { handleSignals: false, root }),
    ).rejects.toThrow(/SIGNET_MODEL_PLANER/);
  });

  it('starts with a valid config file', async () => {
    root = await projectWith({ activeProfile: 'fast', profiles: { fast: { roles: {} } } });
    app = await startServer(env, { handleSignals: false, root });
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
  });
});
