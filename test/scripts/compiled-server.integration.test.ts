import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_OUT_DIR, buildCompiled } from '../../bench/lib/compiled-script.ts';
import { SERVER_NODE_FLAGS } from '../../bench/suites/server-pair.ts';
import { createCatalogRegistry } from '../../signatures/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = path.join(ROOT, BUILD_OUT_DIR, 'server', 'start.js');

/** Starts the compiled server as `npm start` does, in `cwd`; resolves with its origin once it listens. */
function startCompiled(cwd: string, logs: string[]): { child: ChildProcess; origin: Promise<string> } {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, START], {
    cwd,
    // No provider keys, and an Ollama address that refuses at once: the server starts with no model.
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', OLLAMA_HOST: 'http://127.0.0.1:9' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.push(chunk));
  const origin = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code}: ${logs.join('').slice(-800)}`)),
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      logs.push(line);
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (listening?.[1] !== undefined) resolve(listening[1]);
    });
  });
  return { child, origin };
}

describe('the compiled server npm start runs', { timeout: 120_000 }, () => {
  let cwd = '';

  beforeAll(async () => {
    await buildCompiled({ signal: AbortSignal.timeout(110_000) });
    cwd = await mkdtemp(path.join(tmpdir(), 'signet-start-'));
  }, 120_000);
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  it('serves the catalog from any working directory and drains on SIGTERM', async () => {
    const logs: string[] = [];
    const { child, origin } = startCompiled(cwd, logs);
    try {
      const base = await origin;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const listed = (await (await fetch(`${base}/api/v1/dspy/signatures`)).json()) as {
        signatures: unknown[];
      };
      expect(listed.signatures).toHaveLength(createCatalogRegistry().size);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(logs.join('\n')).toContain('shutdown complete');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
