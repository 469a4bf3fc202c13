/**
 * The compiled server in its own process, as `npm start` runs it (the bench's chaos suite starts it the
 * same way), against a fake OpenAI upstream: the cloud path end to end, with nothing in-process shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServerProcess } from '../../../bench/suites/started-server.ts';
import { type FakeUpstream, startFakeUpstream } from '../../../src/testing/index.ts';
import { parseSse } from '../helpers.ts';
import { postJson } from './served-upstreams.ts';

describe('npm start in front of a cloud API', () => {
  let fake: FakeUpstream;
  let server: StartedServer;

  beforeAll(async () => {
    fake = await startFakeUpstream({ kind: 'openai', chunkDelayMs: 2 });
    server = await startServerProcess({ ...fake.env }, AbortSignal.timeout(110_000));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('answers execute and names the deployment that answered', async () => {
    const response = await postJson(`${server.origin}/api/v1/dspy/execute`, {
      signature: 'answer-question',
      inputs: { question: 'What is the capital of France?' },
    });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      provider: 'cloud-openai',
      model: 'gpt-4o-mini',
      usage: { promptTokens: 42, completionTokens: 7, totalTokens: 49 },
    });
  });

  it('streams /v1/chat/completions', async () => {
    const response = await postJson(`${server.origin}/v1/chat/completions`, {
      model: 'cloud-openai',
      stream: true,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    expect(response.status).toBe(200);
    expect(parseSse(response.text).at(-1)?.data).toBe('[DONE]');
    expect(fake.requests.at(-1)?.streamed).toBe(true);
  });
});

describe('two npm start processes on one data directory', () => {
  let fake: FakeUpstream;
  let servers: StartedServer[] = [];
  let dataDir: string;

  beforeAll(async () => {
    fake = await startFakeUpstream({ kind: 'openai' });
    dataDir = mkdtempSync(join(tmpdir(), 'signet-two-servers-'));
    const env = { ...fake.env, SIGNET_DATA_DIR: dataDir };
    servers = await Promise.all([0, 1].map(() => startServerProcess(env, AbortSignal.timeout(110_000))));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('share the cache under concurrent writes from both, and no busy error reaches a caller', async () => {
    const ask = (server: StartedServer, question: string) =>
      postJson(`${server.origin}/api/v1/dspy/execute`, {
        signature: 'answer-question',
        inputs: { question },
        config: { temperature: 0 },
      });
    // 160 misses (each one a store write) from both processes at once, 16 in flight per process.
    const questions = Array.from({ length: 80 }, (_, i) => `question ${i}?`);
    const results = await Promise.all(
      servers.map(async (server, s) => {
        const statuses: number[] = [];
        for (let i = 0; i < questions.length; i += 16) {
          const slice = questions.slice(i, i + 16).map((q) => `${q} (server ${s})`);
          for (const response of await Promise.all(slice.map((q) => ask(server, q)))) {
            statuses.push(response.status);
            expect(response.text).not.toMatch(/SQLITE_BUSY|SIGNET_STORE/);
          }
        }
        return statuses;
      }),
    );
    expect(results.flat().filter((status) => status !== 200)).toEqual([]);
    expect(fake.stats().chatRequests).toBe(160);
    // What one process stored, the other answers from the store.
    const [first, second] = servers as [StartedServer, StartedServer];
    const crossed = await Promise.all([
      ask(second, 'question 7? (server 0)'),
      ask(first, 'question 7? (server 1)'),
    ]);
    for (const response of crossed) expect(response.headers.get('x-signet-cache')).toBe('hit');
    expect(fake.stats().chatRequests).toBe(160);
  });
});
