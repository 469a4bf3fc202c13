import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../../server/start-test-fixture.ts', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts the fixture and returns a function that waits for its next stdout event of a kind. */
function startFixture() {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  const seen: { event: string; port?: number }[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    seen.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (event: string) => {
    for (;;) {
      const found = seen.find((e) => e.event === event);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, next, exited };
}

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the in-flight request with 200, then exits 0', async () => {
    const { proc, next, exited } = startFixture();
    const { port } = await next('listening');
    const pending = fetch(`http://127.0.0.1:${port}/api/v1/dspy/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: 'answer-question', inputs: { question: 'Capital of France?' } }),
    });
    await next('provider-call'); // the request is in flight, waiting on the 500 ms provider
    proc.kill('SIGTERM');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { outputs: unknown }).outputs).toEqual({ answer: 'Paris' });
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow(); // no longer accepting
  });
});
