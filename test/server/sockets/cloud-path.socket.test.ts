/**
 * The serving routes over real sockets, with the server started as `npm start` starts it and each
 * upstream kind it discovers played by a fake that speaks that API's wire format (streaming when asked,
 * as the real APIs do) and injects the faults real upstreams have.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_REPLY, type FaultPlan, type UpstreamFault } from '../../../src/testing/index.ts';
import { parseSse } from '../helpers.ts';
import { postJson, type ServedUpstream, servedKinds, serveUpstream } from './served-upstreams.ts';

const question = { question: 'What is the capital of France?' };
const execute = { signature: 'answer-question', inputs: question };
const paris = { answer: 'Paris', confidence: 0.9 };
const usage = { promptTokens: 42, completionTokens: 7, totalTokens: 49 };

describe.each(servedKinds)('serving on $name', (kind) => {
  let served: ServedUpstream;
  const url = (path: string) => `${served.origin}${path}`;
  const chat = (stream: boolean) => ({
    model: kind.deployment,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
  });

  beforeAll(async () => {
    served = await serveUpstream(kind, { chunkDelayMs: 2 });
  });
  afterEach(() => {
    served.fake.setFaults(undefined);
  });
  afterAll(async () => {
    await served?.close();
  });

  it('execute answers with the deployment, its model and the upstream usage, and sends the real model', async () => {
    const response = await postJson(url('/api/v1/dspy/execute'), execute);
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({
      outputs: paris,
      provider: kind.deployment,
      model: kind.model,
      usage,
    });
    const sent = served.fake.requests.at(-1);
    expect(JSON.stringify(sent?.json ?? {})).not.toContain('"auto"');
    expect(sent?.path ?? '').not.toContain('auto');
  });

  it('execute/stream streams partials and a final that names the deployment, model and usage', async () => {
    const response = await postJson(url('/api/v1/dspy/execute/stream'), execute);
    expect(response.status).toBe(200);
    const events = parseSse(response.text);
    expect(events.map((e) => e.event)).toContain('partial');
    const final = events.find((e) => e.event === 'final');
    expect(final, response.text).toBeDefined();
    expect(JSON.parse(final?.data ?? '{}')).toMatchObject({
      outputs: paris,
      provider: kind.deployment,
      model: kind.model,
      usage,
    });
    expect(served.fake.requests.at(-1)?.streamed).toBe(true);
  });

  it('execute/batch answers every item', async () => {
    const items = Array.from({ length: 3 }, () => ({ inputs: question }));
    const response = await postJson(url('/api/v1/dspy/execute/batch'), {
      signature: 'answer-question',
      items,
    });
    expect(response.status, response.text).toBe(200);
    const body = JSON.parse(response.text) as { succeeded: number; results: { provider: string }[] };
    expect(body.succeeded).toBe(3);
    expect(body.results.map((r) => r.provider)).toEqual(Array(3).fill(kind.deployment));
  });

  it('/v1/chat/completions answers plain JSON with the upstream usage', async () => {
    const response = await postJson(url('/v1/chat/completions'), chat(false));
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: DEFAULT_FAKE_REPLY }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    });
  });

  it('/v1/chat/completions streams the text, the usage and [DONE]', async () => {
    const response = await postJson(url('/v1/chat/completions'), chat(true));
    expect(response.status).toBe(200);
    const events = parseSse(response.text).map((e) => e.data);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as ChatChunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(DEFAULT_FAKE_REPLY);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 42, completion_tokens: 7 });
  });

  it('retries a 500 and answers', async () => {
    served.fake.setFaults(first({ type: 'status', status: 500 }));
    const before = served.fake.stats().chatRequests;
    const response = await postJson(url('/api/v1/dspy/execute'), execute);
    expect(response.status, response.text).toBe(200);
    expect(served.fake.stats().chatRequests - before).toBe(2);
  });

  it('waits out a 429 Retry-After, then answers', async () => {
    served.fake.setFaults(first({ type: 'status', status: 429, retryAfterS: 1 }));
    const response = await postJson(url('/v1/chat/completions'), chat(false));
    expect(response.status, response.text).toBe(200);
    // Ollama's API sends no Retry-After (its "server busy" answer is retried on the usual backoff).
    if (kind.dialect !== 'ollama') expect(response.ms).toBeGreaterThanOrEqual(950);
  });

  it('retries a connection reset before any byte', async () => {
    served.fake.setFaults(first({ type: 'reset' }));
    const response = await postJson(url('/api/v1/dspy/execute'), execute);
    expect(response.status, response.text).toBe(200);
  });

  it('answers 504 within config.timeoutMs when the upstream hangs (not timeout x retries)', async () => {
    served.fake.setFaults(() => ({ type: 'hang' }));
    const response = await postJson(url('/api/v1/dspy/execute'), { ...execute, config: { timeoutMs: 800 } });
    expect(response.status).toBe(504);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'SIGNET_PROVIDER_TIMEOUT' } });
    expect(response.ms).toBeGreaterThanOrEqual(790);
    expect(response.ms).toBeLessThan(1_800);
  });

  it('ends execute/stream with a timeout error event when the upstream hangs', async () => {
    served.fake.setFaults(() => ({ type: 'hang' }));
    const response = await postJson(url('/api/v1/dspy/execute/stream'), {
      ...execute,
      config: { timeoutMs: 800 },
    });
    const error = parseSse(response.text).find((e) => e.event === 'error');
    expect(JSON.parse(error?.data ?? '{}')).toMatchObject({ error: { code: 'SIGNET_PROVIDER_TIMEOUT' } });
    expect(response.ms).toBeLessThan(1_800);
  });

  it('ends a /v1 stream with an error, never [DONE], when the upstream resets mid-stream', async () => {
    served.fake.setFaults(() => ({ type: 'reset', afterChunks: 3 }));
    const response = await postJson(url('/v1/chat/completions'), chat(true));
    const events = parseSse(response.text).map((e) => e.data);
    expect(events).not.toContain('[DONE]');
    expect(JSON.parse(events.at(-1) ?? '{}')).toMatchObject({
      error: { code: 'SIGNET_PROVIDER_UNAVAILABLE' },
    });
  });

  it('answers 502 SIGNET_PROVIDER_ERROR when the upstream keeps sending a body that is not JSON', async () => {
    served.fake.setFaults(() => ({ type: 'malformed' }));
    const response = await postJson(url('/api/v1/dspy/execute'), execute);
    expect(response.status, response.text).toBe(502);
    expect(JSON.parse(response.text)).toMatchObject({
      error: { code: 'SIGNET_PROVIDER_ERROR', retryable: true },
    });
  });

  it('relays a slow stream as it comes', async () => {
    served.fake.setFaults(() => ({ type: 'slow', chunkDelayMs: 40 }));
    const response = await postJson(url('/api/v1/dspy/execute/stream'), execute);
    const final = parseSse(response.text).find((e) => e.event === 'final');
    expect(JSON.parse(final?.data ?? '{}')).toMatchObject({ outputs: paris, provider: kind.deployment });
    expect(response.ms).toBeGreaterThanOrEqual(100);
  });

  it('closes the upstream request when the client goes away mid-stream', async () => {
    served.fake.setFaults(() => ({ type: 'slow', chunkDelayMs: 200 }));
    const aborts = served.fake.stats().clientAborts;
    const client = new AbortController();
    const response = await fetch(url('/v1/chat/completions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat(true)),
      signal: client.signal,
    });
    const reader = response.body?.getReader();
    await reader?.read();
    client.abort();
    await served.fake.clientAborts(aborts + 1);
    expect(served.fake.stats().clientAborts).toBe(aborts + 1);
  });
});

/** A plan that fails the first generation call after it is set, and no other. */
function first(fault: UpstreamFault): FaultPlan {
  let calls = 0;
  return () => (++calls === 1 ? fault : undefined);
}

interface ChatChunk {
  readonly choices: readonly { readonly delta?: { readonly content?: string } }[];
  readonly usage?: Record<string, number>;
}
