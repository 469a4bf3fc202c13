/**
 * The semantic cache through `npm start`'s server over a real socket: a generated tiny encoder as
 * SIGNET_SEMANTIC_CACHE_MODEL (the path real users point at a downloaded all-MiniLM-L6-v2), the
 * embedded store, and a fake OpenAI upstream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../server/start.ts';
import { generateTinyEncoder } from '../../../src/testing/tiny-models/index.ts';
import { postJson, type ServedUpstream, servedKinds, serveUpstream } from './served-upstreams.ts';

const openai = servedKinds[0];
if (openai === undefined) throw new Error('no openai kind');
const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'What is the capital city of France?';
const UNRELATED = 'How do I bake sourdough bread at home?';
const body = (question: string, config: Record<string, unknown> = {}) => ({
  signature: 'answer-question',
  inputs: { question },
  config: { temperature: 0, ...config },
});

let encoderDir: string;
let served: ServedUpstream | undefined;
beforeAll(async () => {
  encoderDir = mkdtempSync(join(tmpdir(), 'signet-encoder-'));
  await generateTinyEncoder({ dir: encoderDir });
});
afterAll(() => rmSync(encoderDir, { recursive: true, force: true }));
afterEach(async () => {
  await served?.close();
  served = undefined;
});

describe('semantic response cache over HTTP', () => {
  it('answers a paraphrase from the cache when the request asks, with its similarity and source', async () => {
    served = await serveUpstream(openai, {}, { SIGNET_SEMANTIC_CACHE_MODEL: encoderDir });
    const url = `${served.origin}/api/v1/dspy/execute`;
    const first = await postJson(url, body(QUESTION, { semanticCache: true }));
    const close = await postJson(url, body(PARAPHRASE, { semanticCache: true }));
    expect(close.status).toBe(200);
    expect(close.headers.get('x-signet-cache')).toBe('semantic-hit');
    const firstBody = JSON.parse(first.text) as { requestId: string; cached?: unknown };
    expect(firstBody.cached).toBeUndefined();
    const closeBody = JSON.parse(close.text) as { cached: { similarity: number; inputsHash: string } };
    expect(closeBody).toMatchObject({
      outputs: { answer: 'Paris' },
      usage: { totalTokens: 0 },
      cached: { kind: 'semantic', requestId: firstBody.requestId },
    });
    expect(closeBody.cached.similarity).toBeGreaterThanOrEqual(0.92);
    expect(closeBody.cached.similarity).toBeLessThan(1);
    // The exact repeat of the first question names the same inputs hash as the semantic hit's source.
    const repeat = JSON.parse((await postJson(url, body(QUESTION))).text) as {
      cached: { inputsHash: string };
    };
    expect(repeat.cached).toMatchObject({ kind: 'exact', inputsHash: closeBody.cached.inputsHash });
    expect(served.fake.stats().chatRequests).toBe(1);

    // Unrelated inputs, and a request that does not ask, go to the model.
    const unrelated = await postJson(url, body(UNRELATED, { semanticCache: true }));
    expect(unrelated.headers.get('x-signet-cache')).toBe('miss');
    const notAsked = await postJson(url, body('What is the capital city of France, please?'));
    expect(notAsked.headers.get('x-signet-cache')).toBe('miss');
    expect(served.fake.stats().chatRequests).toBe(3);

    const metrics = await (await fetch(`${served.origin}/metrics`)).text();
    expect(metrics).toContain('signet_cache_requests_total{kind="semantic",result="hit"} 1');
    expect(metrics).toContain('signet_cache_requests_total{kind="semantic",result="miss"} 2');
    expect(metrics).toMatch(/signet_cache_lookup_duration_seconds_count\{kind="semantic"\} 3/);
  });

  it('never answers across a different model or parameters', async () => {
    served = await serveUpstream(openai, {}, { SIGNET_SEMANTIC_CACHE_MODEL: encoderDir });
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body(QUESTION, { semanticCache: true }));
    const longer = await postJson(url, body(PARAPHRASE, { semanticCache: true, maxTokens: 77 }));
    expect(longer.headers.get('x-signet-cache')).toBe('miss');
    expect(served.fake.stats().chatRequests).toBe(2);
  });

  it('uses it by default for the signatures SIGNET_SEMANTIC_CACHE_SIGNATURES names, unless a request says no', async () => {
    served = await serveUpstream(
      openai,
      {},
      { SIGNET_SEMANTIC_CACHE_MODEL: encoderDir, SIGNET_SEMANTIC_CACHE_SIGNATURES: 'answer-question' },
    );
    const url = `${served.origin}/api/v1/dspy/execute`;
    await postJson(url, body(QUESTION));
    expect((await postJson(url, body(PARAPHRASE))).headers.get('x-signet-cache')).toBe('semantic-hit');
    const refused = await postJson(url, body(PARAPHRASE, { semanticCache: false }));
    expect(refused.headers.get('x-signet-cache')).toBe('miss');
  });

  it('stops start-up with the fix when the model or the settings are wrong', async () => {
    const root = mkdtempSync(join(tmpdir(), 'signet-semantic-start-'));
    const start = (env: Record<string, string>) =>
      startServer(
        { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SIGNET_OLLAMA: 'off', ...env },
        { handleSignals: false, root },
      );
    try {
      await expect(start({ SIGNET_SEMANTIC_CACHE_MODEL: join(root, 'no-such-model') })).rejects.toThrow(
        /SIGNET_SEMANTIC_CACHE_MODEL=.*no-such-model: no encoder could be loaded .*all-MiniLM-L6-v2/,
      );
      await expect(
        start({ SIGNET_SEMANTIC_CACHE_MODEL: encoderDir, SIGNET_SEMANTIC_CACHE_THRESHOLD: '92' }),
      ).rejects.toThrow(/SIGNET_SEMANTIC_CACHE_THRESHOLD must be a similarity in \(0, 1\]/);
      await expect(
        start({
          SIGNET_SEMANTIC_CACHE_MODEL: encoderDir,
          SIGNET_SEMANTIC_CACHE_SIGNATURES: 'answer-questoin',
        }),
      ).rejects.toThrow(/unknown signatures: answer-questoin/);
      await expect(start({ SIGNET_SEMANTIC_CACHE_SIGNATURES: '*' })).rejects.toThrow(
        /SIGNET_SEMANTIC_CACHE_MODEL is not/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
