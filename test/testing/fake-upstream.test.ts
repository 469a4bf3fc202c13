import type { AxChatResponse } from '@ax-llm/ax';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloudProvider } from '../../src/providers/cloud/create-cloud-provider.ts';
import { createOllamaProvider } from '../../src/providers/ollama/create-ollama-provider.ts';
import { openOllamaProvider } from '../../src/providers/ollama/open-ollama-provider.ts';
import { discoverDeployments } from '../../src/runtime/discover-deployments.ts';
import {
  type FakeUpstream,
  type FakeUpstreamOptions,
  type FaultPlan,
  startFakeUpstream,
} from '../../src/testing/index.ts';

const REPLY = 'Answer: Paris\nConfidence: 0.9';
const PROMPT = { chatPrompt: [{ role: 'user' as const, content: 'What is the capital of France?' }] };
const USAGE = { promptTokens: 42, completionTokens: 7, totalTokens: 49 };

let fakes: FakeUpstream[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
  vi.restoreAllMocks();
});

async function start(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(options);
  fakes.push(fake);
  return fake;
}

function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** Text and last usage of an Ax chat answer, plain or streamed. */
async function collect(answer: AxChatResponse | ReadableStream<AxChatResponse>) {
  const parts: AxChatResponse[] = [];
  if (answer instanceof ReadableStream) for await (const part of answer) parts.push(part);
  else parts.push(answer);
  return {
    parts: parts.length,
    text: parts.map((part) => part.results.map((result) => result.content ?? '').join('')).join(''),
    tokens: parts.findLast((part) => part.modelUsage?.tokens !== undefined)?.modelUsage?.tokens,
  };
}

/** SSE events of a body: `{ event, data }` per blank-line-separated block. */
function sseEvents(body: string, separator = '\n\n') {
  return body
    .split(separator)
    .filter((block) => block !== '')
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1],
      data: /^data: (.*)$/m.exec(block)?.[1] ?? '',
    }));
}

const cloudKinds = ['openai', 'anthropic', 'gemini'] as const;

describe.each(cloudKinds)('fake %s upstream through the real Ax-based provider', (kind) => {
  const provider = (fake: FakeUpstream) =>
    createCloudProvider({ kind, model: fake.model, apiKey: 'test-key', baseUrl: fake.baseUrl, env: {} });

  it('answers a plain chat with the text and usage Ax parses', async () => {
    const fake = await start({ kind });
    const answer = await collect(await provider(fake).chat(PROMPT, { stream: false }));
    expect(answer).toMatchObject({ parts: 1, text: REPLY, tokens: USAGE });
    expect(fake.requests.at(-1)?.streamed).toBe(false);
  });

  it('streams a chat in pieces, with usage at the end', async () => {
    const fake = await start({ kind, usage: { promptTokens: 5, completionTokens: 3 } });
    const answer = await collect(await provider(fake).chat(PROMPT, { stream: true }));
    expect(answer.text).toBe(REPLY);
    expect(answer.parts).toBeGreaterThan(5);
    expect(answer.tokens).toMatchObject({ promptTokens: 5, completionTokens: 3, totalTokens: 8 });
    expect(fake.requests.at(-1)?.streamed).toBe(true);
  });

  it('passes the health check (model listing) even when every chat fails', async () => {
    const fake = await start({ kind, faults: { rate: 1, fault: { type: 'status', status: 500 } } });
    await expect(provider(fake).health()).resolves.toMatchObject({ ok: true });
    await expect(provider(fake).chat(PROMPT, { stream: false })).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_ERROR',
    });
    expect(fake.stats()).toMatchObject({ requests: 2, chatRequests: 1, faulted: 1 });
  });
});

describe('fake openai wire format', () => {
  it('answers chat.completion JSON and SSE chunks with the usage chunk only when asked', async () => {
    const fake = await start({ kind: 'openai', reply: 'Hi there' });
    const plain = await post(`${fake.baseUrl}/chat/completions`, { model: 'gpt-4o', messages: [] });
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    });

    const body = { messages: [], stream: true, stream_options: { include_usage: true } };
    const streamed = await post(`${fake.baseUrl}/chat/completions`, body);
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await streamed.text());
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data));
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 49 } });
    expect(chunks[0]).toMatchObject({
      usage: null,
      choices: [{ delta: { role: 'assistant', content: '' } }],
    });

    const withoutUsage = await post(`${fake.baseUrl}/chat/completions`, { messages: [], stream: true });
    const last = sseEvents(await withoutUsage.text()).at(-2)?.data ?? '';
    expect(JSON.parse(last)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(last).not.toContain('usage');
  });

  it('lists the model and embeds deterministically in 8 dimensions', async () => {
    const fake = await start({ kind: 'openai', model: 'gpt-test' });
    const models = await (await fetch(`${fake.baseUrl}/models`)).json();
    expect(models).toEqual({
      object: 'list',
      data: [{ id: 'gpt-test', object: 'model', created: 1721172741, owned_by: 'system' }],
    });
    const embed = () =>
      post(`${fake.baseUrl}/embeddings`, { model: 'e', input: ['a', 'b'] }).then(
        (r) => r.json() as Promise<{ data: { embedding: number[] }[]; usage: unknown }>,
      );
    const first = await embed();
    expect(first.data).toHaveLength(2);
    expect(first.data[0]?.embedding).toHaveLength(8);
    expect(first.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(await embed()).toEqual(first);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'gpt-test',
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      env: {},
    });
    const viaAx = await ai.embed({ texts: ['a', 'b'] });
    expect(viaAx.embeddings).toEqual(first.data.map((d) => d.embedding));
  });

  it('answers unknown routes like OpenAI and never faults them', async () => {
    const fake = await start({ kind: 'openai', faults: { rate: 1, fault: { type: 'hang' } } });
    const response = await fetch(`${fake.baseUrl}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null } });
    expect(fake.stats()).toMatchObject({ requests: 1, chatRequests: 0, faulted: 0 });
  });
});

describe('fake anthropic wire format', () => {
  it('streams the Messages event sequence with named events', async () => {
    const fake = await start({ kind: 'anthropic', reply: 'Hi' });
    const response = await post(`${fake.baseUrl}/messages`, {
      model: 'claude-x',
      stream: true,
      messages: [],
    });
    const events = sseEvents(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) expect(JSON.parse(event.data).type).toBe(event.event);
    expect(JSON.parse(events[3]?.data ?? '')).toMatchObject({ delta: { type: 'text_delta', text: 'Hi' } });
    expect(JSON.parse(events[5]?.data ?? '')).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 7 },
    });
  });

  it('answers 529 Overloaded with an overloaded_error body', async () => {
    const fake = await start({ kind: 'anthropic', faults: () => ({ type: 'status', status: 529 }) });
    const response = await post(`${fake.baseUrl}/messages`, { messages: [] });
    expect(response.status).toBe(529);
    expect(response.statusText).toBe('Overloaded');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });
});

describe('fake gemini wire format', () => {
  it('separates stream events with CRLF CRLF and matches the model in the path', async () => {
    const fake = await start({ kind: 'gemini', reply: 'a b' });
    const response = await post(`${fake.baseUrl}/models/gemini-x:streamGenerateContent?alt=sse`, {});
    const body = await response.text();
    expect(body.endsWith('\r\n\r\n')).toBe(true);
    const events = sseEvents(body, '\r\n\r\n').map((event) => JSON.parse(event.data));
    expect(events.map((event) => event.candidates[0].content.parts[0].text)).toEqual(['a', ' b']);
    expect(events.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 42, candidatesTokenCount: 7, totalTokenCount: 49 },
      modelVersion: 'gemini-x',
    });
    const error = await start({ kind: 'gemini', faults: () => ({ type: 'status', status: 429 }) });
    const limited = await post(`${error.baseUrl}/models/gemini-x:generateContent`, {});
    expect(await limited.json()).toEqual({
      error: { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' },
    });
  });
});

describe('fake ollama upstream', () => {
  it('streams NDJSON by default and answers one object for stream:false', async () => {
    const fake = await start({ kind: 'ollama', reply: 'Hi there' });
    const streamed = await post(`${fake.origin}/api/chat`, { model: 'llama3.2:3b', messages: [] });
    expect(streamed.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await streamed.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.message.content)).toEqual(['Hi', ' there', '']);
    expect(lines.at(-1)).toMatchObject({
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 42,
      eval_count: 7,
    });
    const plain = await (await post(`${fake.origin}/api/chat`, { messages: [], stream: false })).json();
    expect(plain).toMatchObject({ model: 'llama3.2:3b', message: { content: 'Hi there' }, done: true });
    expect(fake.requests.map((request) => request.streamed)).toEqual([true, false]);
  });

  it('is discovered like a real server: tags, show, version, health', async () => {
    const fake = await start({ kind: 'ollama', model: 'qwen2.5:7b' });
    expect(fake.env).toEqual({ OLLAMA_HOST: fake.origin });
    const tags = (await (await fetch(`${fake.origin}/api/tags`)).json()) as { models: { name: string }[] };
    expect(tags.models.map((model) => model.name)).toEqual(['qwen2.5:7b']);
    expect(await (await fetch(`${fake.origin}/api/version`)).json()).toEqual({ version: expect.any(String) });
    const missing = await post(`${fake.origin}/api/show`, { model: 'mistral:7b' });
    expect(missing.status).toBe(404);
    const ai = await openOllamaProvider({ model: 'qwen2.5:7b', env: fake.env });
    expect(ai.capabilities).toMatchObject({ tools: true, contextWindow: 4096 });
    await expect(ai.health()).resolves.toMatchObject({ ok: true });
  });

  it('answers through the real ollama-client provider, plain and streamed', async () => {
    const fake = await start({ kind: 'ollama' });
    const ai = createOllamaProvider({ model: fake.model, host: fake.origin, env: {} });
    expect(await collect(await ai.chat(PROMPT, { stream: false }))).toMatchObject({
      parts: 1,
      text: REPLY,
      tokens: USAGE,
    });
    const streamed = await collect(await ai.chat(PROMPT, { stream: true }));
    expect(streamed).toMatchObject({ text: REPLY, tokens: USAGE });
    expect(streamed.parts).toBeGreaterThan(5);
    const embedded = await ai.embed({ texts: ['x'] });
    expect(embedded.embeddings[0]).toHaveLength(8);
  });

  it('turns a status fault and a malformed stream into provider errors', async () => {
    const fake = await start({ kind: 'ollama', faults: () => ({ type: 'status', status: 500 }) });
    const ai = createOllamaProvider({ model: fake.model, host: fake.origin, env: {} });
    await expect(ai.chat(PROMPT, { stream: false })).rejects.toMatchObject({
      message: expect.stringContaining('llama runner process has terminated'),
    });
    fake.setFaults(() => ({ type: 'malformed' }));
    await expect(ai.chat(PROMPT, { stream: false })).rejects.toThrow();
    // The ollama client warns about and skips an NDJSON line it cannot parse.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const streamed = await collect(await ai.chat(PROMPT, { stream: true }));
    expect(streamed.text.length).toBeLessThan(REPLY.length);
    expect(warn).toHaveBeenCalled();
  });
});

describe('upstream faults', () => {
  it('answers a status fault with the retry-after and rate-limit headers, honoured by the provider', async () => {
    const fake = await start({
      kind: 'openai',
      faults: () => ({ type: 'status', status: 429, retryAfterS: 3 }),
    });
    const response = await post(`${fake.baseUrl}/chat/completions`, { messages: [] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await response.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'm',
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      env: {},
    });
    await expect(ai.chat(PROMPT, { stream: true })).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_RATE_LIMITED',
      details: { upstreamStatus: 429, retryAfterMs: 3000 },
    });
  });

  it('hangs until the client aborts, and counts the abort', async () => {
    const fake = await start({ kind: 'anthropic', faults: () => ({ type: 'hang' }) });
    const controller = new AbortController();
    const pending = post(`${fake.baseUrl}/messages`, { messages: [] }, { signal: controller.signal });
    await vi.waitFor(() => expect(fake.stats().inFlight).toBe(1));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await fake.clientAborts(1);
    expect(fake.stats()).toMatchObject({ clientAborts: 1, inFlight: 0, faulted: 1 });
  });

  it('closes hung connections on close()', async () => {
    const fake = await startFakeUpstream({ kind: 'ollama', faults: () => ({ type: 'hang' }) });
    const pending = post(`${fake.origin}/api/chat`, { messages: [] });
    await vi.waitFor(() => expect(fake.stats().inFlight).toBe(1));
    await fake.close();
    await expect(pending).rejects.toThrow();
    expect(fake.stats().clientAborts).toBe(0);
  });

  it('resets the connection before any byte, or a stream after N chunks', async () => {
    const fake = await start({ kind: 'openai', faults: () => ({ type: 'reset' }) });
    await expect(post(`${fake.baseUrl}/chat/completions`, { messages: [] })).rejects.toMatchObject({
      cause: { code: 'ECONNRESET' },
    });
    fake.setFaults(() => ({ type: 'reset', afterChunks: 2 }));
    const response = await post(`${fake.baseUrl}/chat/completions`, { messages: [], stream: true });
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readAll = async () => {
      for (;;) {
        const next = await reader?.read();
        if (next === undefined || next.done) return;
        received += next.value;
      }
    };
    await expect(readAll()).rejects.toThrow();
    expect(sseEvents(received)).toHaveLength(2);
    const ai = createCloudProvider({
      kind: 'openai',
      model: 'm',
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      env: {},
    });
    await expect(collect(await ai.chat(PROMPT, { stream: true }))).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_UNAVAILABLE',
    });
    expect(fake.stats()).toMatchObject({ faulted: 3, clientAborts: 0, inFlight: 0 });
  });

  it('sends a body that is not JSON, or a stream with one broken event', async () => {
    const fake = await start({ kind: 'gemini', faults: () => ({ type: 'malformed' }) });
    const plain = await post(`${fake.baseUrl}/models/g:generateContent`, {});
    expect(plain.status).toBe(200);
    await expect(plain.json()).rejects.toThrow(SyntaxError);
    const streamed = await post(`${fake.baseUrl}/models/g:streamGenerateContent?alt=sse`, {});
    const events = sseEvents(await streamed.text(), '\r\n\r\n');
    const broken = events.filter((event) => {
      try {
        JSON.parse(event.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
    expect(events.length).toBeGreaterThan(2);
    // Ax's SSE parser logs and skips an event it cannot parse: the streamed text loses that piece.
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ai = createCloudProvider({
      kind: 'gemini',
      model: 'g',
      apiKey: 'k',
      baseUrl: fake.baseUrl,
      env: {},
    });
    const text = (await collect(await ai.chat(PROMPT, { stream: true }))).text;
    expect(text.length).toBeLessThan(REPLY.length);
    expect(REPLY.startsWith(text.slice(0, 6))).toBe(true);
    expect(logged).toHaveBeenCalled();
  });

  it('spaces stream chunks by chunkDelayMs when slow', async () => {
    const fake = await start({
      kind: 'openai',
      reply: 'a b c',
      faults: () => ({ type: 'slow', chunkDelayMs: 25 }),
    });
    const started = performance.now();
    const response = await post(`${fake.baseUrl}/chat/completions`, { messages: [], stream: true });
    const events = sseEvents(await response.text());
    // role chunk, three pieces, finish chunk, [DONE]: five gaps.
    expect(events).toHaveLength(6);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * 25 - 5);
  });

  it('draws a seeded rate plan the same way every time, and setFaults heals the upstream', async () => {
    const plan: FaultPlan = { rate: 0.5, fault: { type: 'status', status: 503 }, seed: 7 };
    const statuses = async () => {
      const fake = await start({ kind: 'openai', faults: plan });
      const run: number[] = [];
      for (let i = 0; i < 16; i++)
        run.push((await post(`${fake.baseUrl}/chat/completions`, { messages: [] })).status);
      fake.setFaults(undefined);
      run.push((await post(`${fake.baseUrl}/chat/completions`, { messages: [] })).status);
      return { run, stats: fake.stats() };
    };
    const first = await statuses();
    const second = await statuses();
    expect(second.run).toEqual(first.run);
    expect(new Set(first.run.slice(0, 16))).toEqual(new Set([200, 503]));
    expect(first.run.at(-1)).toBe(200);
    expect(first.stats.faulted).toBe(first.run.filter((status) => status === 503).length);
  });

  it('passes the call number and request to a function plan', async () => {
    const seen: [number, boolean][] = [];
    const fake = await start({
      kind: 'ollama',
      faults: (call, request) => {
        seen.push([call, request.streamed]);
        return call === 2 ? { type: 'status', status: 503 } : undefined;
      },
    });
    const statuses: number[] = [];
    for (const stream of [false, true, false]) {
      const response = await post(`${fake.origin}/api/chat`, { messages: [], stream });
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 503, 200]);
    expect(seen).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });
});

describe('fake upstream server', () => {
  it('serves many concurrent streamed clients and tracks the peak in flight', async () => {
    const fake = await start({ kind: 'openai', latencyMs: 30 });
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        post(`${fake.baseUrl}/chat/completions`, { messages: [], stream: true }).then((r) => r.text()),
      ),
    );
    expect(responses.every((body) => body.endsWith('data: [DONE]\n\n'))).toBe(true);
    expect(fake.stats()).toMatchObject({ requests: 200, chatRequests: 200, inFlight: 0, clientAborts: 0 });
    expect(fake.stats().maxInFlight).toBeGreaterThan(50);
  });

  it('gives env that points signet at it for each kind', async () => {
    const [openai, anthropic, gemini] = await Promise.all(cloudKinds.map((kind) => start({ kind })));
    expect(openai?.env).toEqual({
      OPENAI_API_KEY: expect.any(String),
      OPENAI_BASE_URL: `${openai?.origin}/v1`,
    });
    expect(anthropic?.env).toMatchObject({ ANTHROPIC_BASE_URL: `${anthropic?.origin}/v1` });
    expect(gemini?.env).toMatchObject({ GEMINI_BASE_URL: `${gemini?.origin}/v1beta` });
    expect(gemini?.baseUrl).toBe(`${gemini?.origin}/v1beta`);
  });

  it("is what signet's discovery finds from its env, and every deployment answers through it", async () => {
    const [ollama, openai, anthropic] = await Promise.all([
      start({ kind: 'ollama' }),
      start({ kind: 'openai' }),
      start({ kind: 'anthropic' }),
    ]);
    const env = { ...ollama?.env, ...openai?.env, ...anthropic?.env };
    const found = await discoverDeployments({ env, onnxDirs: [], root: '/nonexistent' });
    try {
      expect(found.deployments.map((d) => d.id)).toEqual(['ollama', 'cloud-openai', 'cloud-anthropic']);
      for (const { ai } of found.deployments) {
        expect(await collect(await ai.chat(PROMPT, { stream: true }))).toMatchObject({ text: REPLY });
      }
      expect([ollama, openai, anthropic].map((fake) => fake?.stats().chatRequests)).toEqual([1, 1, 1]);
    } finally {
      await found.close();
    }
  });
});
