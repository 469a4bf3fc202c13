/** The exact response cache through `npm start`'s server, on its embedded store, over a real socket. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSse } from '../helpers.ts';
import { postJson, type ServedUpstream, servedKinds, serveUpstream } from './served-upstreams.ts';

const openai = servedKinds[0];
if (openai === undefined) throw new Error('no openai kind');
const body = (config: Record<string, unknown>) => ({
  signature: 'answer-question',
  inputs: { question: 'What is the capital of France?' },
  config,
});

let served: ServedUpstream | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('exact response cache over HTTP', () => {
  it('answers a repeated temperature-0 execute from the cache, saying so', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    const first = await postJson(url, body({ temperature: 0 }));
    const again = await postJson(url, body({ temperature: 0 }));
    expect(first.headers.get('x-signet-cache')).toBe('miss');
    expect(again.headers.get('x-signet-cache')).toBe('hit');
    const firstBody = JSON.parse(first.text) as { requestId: string };
    expect(JSON.parse(again.text)).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      provider: 'cloud-openai',
      usage: { totalTokens: 0 },
      attempts: 0,
      cached: { requestId: firstBody.requestId },
    });
    expect(served.fake.stats().chatRequests).toBe(1);
  });

  it('bypasses the cache when the request says off, or the temperature is not 0', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    const off = await postJson(url, body({ temperature: 0, cache: 'off' }));
    const warm = await postJson(url, body({ temperature: 0.7 }));
    expect(JSON.parse(off.text).cached).toBeUndefined();
    expect(JSON.parse(warm.text).cached).toBeUndefined();
    expect(served.fake.stats().chatRequests).toBe(3);
  });

  it('sends config.topP upstream as top_p, and a different topP is a different cache entry', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    const first = await postJson(url, body({ temperature: 0, topP: 0.5 }));
    expect(first.headers.get('x-signet-cache')).toBe('miss');
    expect(served.fake.requests.at(-1)?.json).toMatchObject({ top_p: 0.5 });
    expect((await postJson(url, body({ temperature: 0, topP: 0.5 }))).headers.get('x-signet-cache')).toBe(
      'hit',
    );
    expect((await postJson(url, body({ temperature: 0, topP: 0.9 }))).headers.get('x-signet-cache')).toBe(
      'miss',
    );
    expect((await postJson(url, body({ temperature: 0, topP: 0 }))).status).toBe(400);
    expect(served.fake.stats().chatRequests).toBe(2);
  });

  it('has no cache with SIGNET_CACHE=off', async () => {
    served = await serveUpstream(openai, {}, { SIGNET_CACHE: 'off' });
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    const again = await postJson(url, body({ temperature: 0, cache: 'on' }));
    expect(JSON.parse(again.text).cached).toBeUndefined();
    expect(served.fake.stats().chatRequests).toBe(2);
  });

  it('keeps answers SIGNET_CACHE_TTL_MS long, and refuses bad bounds at start-up', async () => {
    served = await serveUpstream(openai, {}, { SIGNET_CACHE_TTL_MS: '1500', SIGNET_CACHE_MAX_MB: '64' });
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    expect((await postJson(url, body({ temperature: 0 }))).headers.get('x-signet-cache')).toBe('hit');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await postJson(url, body({ temperature: 0 }))).headers.get('x-signet-cache')).toBe('miss');
    expect(served.fake.stats().chatRequests).toBe(2);
    await served.close();
    served = undefined;
    await expect(serveUpstream(openai, {}, { SIGNET_CACHE_TTL_MS: '1h' })).rejects.toThrow(
      /SIGNET_CACHE_TTL_MS must be a whole number of milliseconds/,
    );
    await expect(serveUpstream(openai, {}, { SIGNET_CACHE_MAX_MB: '-1' })).rejects.toThrow(
      /SIGNET_CACHE_MAX_MB must be a positive number of megabytes/,
    );
  });

  it('stores a streamed answer and replays it as a stream, and the plain route reads it too', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute/stream`;
    const events = async () =>
      parseSse((await postJson(url, body({ temperature: 0 }))).text).map((e) => ({
        event: e.event,
        data: JSON.parse(e.data) as Record<string, unknown>,
      }));
    const first = await events();
    expect(first.at(-1)?.event).toBe('final');
    expect(first.at(-1)?.data.cached).toBeUndefined();
    const replay = await events();
    expect(replay.map((e) => e.event)).toEqual(['start', 'partial', 'partial', 'final']);
    expect(replay[1]?.data).toEqual({ delta: { answer: 'Paris' } });
    expect(replay.at(-1)?.data).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      usage: { totalTokens: 0 },
      cached: { kind: 'exact', requestId: first[0]?.data.requestId },
    });
    const plain = await postJson(`${served.origin}/api/v1/dspy/execute`, body({ temperature: 0 }));
    expect(plain.headers.get('x-signet-cache')).toBe('hit');
    expect(served.fake.stats().chatRequests).toBe(1);
  });

  it('counts hits, misses and bypasses and reports the size on /metrics', async () => {
    served = await serveUpstream(openai);
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body({ temperature: 0 }));
    await postJson(url, body({ temperature: 0 }));
    await postJson(url, body({ temperature: 0.5 }));
    const metrics = await (await fetch(`${served.origin}/metrics`)).text();
    expect(metrics).toContain('signet_cache_requests_total{kind="exact",result="miss"} 1');
    expect(metrics).toContain('signet_cache_requests_total{kind="exact",result="hit"} 1');
    expect(metrics).toContain('signet_cache_requests_total{kind="exact",result="bypass"} 1');
    expect(metrics).toMatch(/signet_cache_lookup_duration_seconds_count\{kind="exact"\} 2/);
    expect(metrics).toContain('signet_cache_entries 1');
    expect(metrics).toMatch(/signet_cache_bytes [1-9]\d*/);
  });

  it('keeps answers across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-cache-restart-'));
    try {
      served = await serveUpstream(openai, {}, { SIGNET_DATA_DIR: dataDir });
      await postJson(`${served.origin}/api/v1/dspy/execute`, body({ temperature: 0 }));
      await served.close();
      served = await serveUpstream(openai, {}, { SIGNET_DATA_DIR: dataDir });
      const again = await postJson(`${served.origin}/api/v1/dspy/execute`, body({ temperature: 0 }));
      expect(again.headers.get('x-signet-cache')).toBe('hit');
      expect(served.fake.stats().chatRequests).toBe(0);
    } finally {
      await served?.close();
      served = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('writes on a writer thread with SIGNET_STORE_WRITES=thread, and its answers survive a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-cache-thread-'));
    const env = { SIGNET_DATA_DIR: dataDir, SIGNET_STORE_WRITES: 'thread' };
    try {
      served = await serveUpstream(openai, {}, env);
      const url = `${served.origin}/api/v1/dspy/execute`;
      expect((await postJson(url, body({ temperature: 0 }))).headers.get('x-signet-cache')).toBe('miss');
      expect((await postJson(url, body({ temperature: 0 }))).headers.get('x-signet-cache')).toBe('hit');
      await served.close(); // waits for the writer thread's last commit
      served = await serveUpstream(openai, {}, env);
      const again = await postJson(`${served.origin}/api/v1/dspy/execute`, body({ temperature: 0 }));
      expect(again.headers.get('x-signet-cache')).toBe('hit');
      expect(served.fake.stats().chatRequests).toBe(0);
      await served.close();
      served = undefined;
      await expect(serveUpstream(openai, {}, { SIGNET_STORE_WRITES: 'later' })).rejects.toThrow(
        /SIGNET_STORE_WRITES must be "inline" or "thread"/,
      );
    } finally {
      await served?.close();
      served = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown cache mode with a 400', async () => {
    served = await serveUpstream(openai);
    const response = await postJson(`${served.origin}/api/v1/dspy/execute`, body({ cache: 'sometimes' }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'SIGNET_REQUEST_INVALID' } });
  });
});
