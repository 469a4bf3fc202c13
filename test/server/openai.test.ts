import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { SignetError } from '../../src/index.ts';
import { keysFor, listen, resolverFor, scripted, streamingProvider, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function clientFor(options: Parameters<typeof testApp>[0] = {}, apiKey = 'unused') {
  app = await testApp(options);
  const base = await listen(app);
  return new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0 });
}

describe('OpenAI-compatible API with the official openai client', () => {
  it('creates a chat completion, passing messages and sampling settings to the provider', async () => {
    const ai = scripted({
      replies: [{ content: 'Bonjour!', usage: { promptTokens: 9, completionTokens: 2 } }],
    });
    const client = await clientFor({ ai });
    const completion = await client.chat.completions.create({
      model: 'scripted-model',
      messages: [
        { role: 'system', content: 'Translate to French.' },
        { role: 'user', content: 'Hello!' },
      ],
      temperature: 0.1,
      max_tokens: 20,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Bonjour!' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
    expect(completion.model).toBe('scripted-model');
    expect(ai.calls[0]?.system).toBe('Translate to French.');
    expect(ai.calls[0]?.messages).toEqual([{ role: 'user', content: 'Hello!' }]);
    expect(ai.calls[0]?.modelConfig).toMatchObject({ temperature: 0.1, maxTokens: 20 });
  });

  it('streams chunks ending in [DONE], with a usage-only chunk when include_usage is set', async () => {
    const client = await clientFor({
      providers: resolverFor({
        provider: 'streamer',
        model: 'stream-model',
        ai: streamingProvider(['Bon', 'jour', '!']),
      }),
    });
    const stream = await client.chat.completions.create({
      model: 'stream-model',
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Bonjour!');
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.filter((c) => c.choices.length > 0).every((c) => c.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const metrics = (await app?.inject({ url: '/metrics' }))?.body ?? '';
    expect(metrics).toContain(
      'signet_provider_time_to_first_token_seconds_count{provider="streamer",model="stream-model"} 1',
    );
    expect(metrics).toContain(
      'signet_provider_tokens_total{provider="streamer",model="stream-model",type="output"} 3',
    );
    expect(metrics).toContain('signet_gateway_overhead_seconds_count{route="/v1/chat/completions"} 1');
  });

  it('streams a non-streaming provider as one content chunk, without usage unless asked', async () => {
    const client = await clientFor();
    const stream = await client.chat.completions.create({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toContain('Answer: Paris');
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
  });

  it('surfaces a mid-stream provider failure as an error in the stream, not a clean end', async () => {
    const client = await clientFor({
      providers: resolverFor({
        provider: 'streamer',
        model: 'stream-model',
        ai: streamingProvider(['Bon', 'jour'], 1),
      }),
    });
    const stream = await client.chat.completions.create({
      model: 'stream-model',
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
    });
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    }).rejects.toThrow(/upstream connection reset/);
    expect(seen.join('')).toBe('Bon');
  });

  it('answers 504 at the server deadline when the provider never answers, plain or streamed', async () => {
    const hung = scripted({ fallback: { content: 'late', delayMs: 60_000 } });
    app = await testApp({ ai: hung, executionTimeoutMs: 300 });
    const base = await listen(app);
    const post = (stream: boolean) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'scripted-model',
          stream,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    const started = performance.now();
    const plain = await post(false);
    expect(plain.status).toBe(504);
    expect(await plain.json()).toMatchObject({ error: { code: 'SIGNET_PROVIDER_TIMEOUT' } });
    const streamed = await post(true);
    expect(await streamed.text()).toContain('SIGNET_PROVIDER_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('lists models in the OpenAI shape', async () => {
    const client = await clientFor();
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual([
      expect.objectContaining({ id: 'scripted-model', object: 'model', owned_by: 'scripted' }),
    ]);
  });

  it('answers errors in the OpenAI shape that the client turns into typed errors', async () => {
    const client = await clientFor({
      ai: scripted({
        fallback: { error: new SignetError('SIGNET_PROVIDER_QUOTA', 'openai: insufficient_quota') },
      }),
    });
    const unknownModel = client.chat.completions.create({
      model: 'gpt-9',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(unknownModel).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(unknownModel).rejects.toMatchObject({
      code: 'SIGNET_MODEL_UNKNOWN',
      type: 'not_found_error',
    });
    const invalid = client.chat.completions.create({ model: 'scripted-model', messages: [] });
    await expect(invalid).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(invalid).rejects.toMatchObject({ param: 'messages', type: 'invalid_request_error' });
    const quota = client.chat.completions.create({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(quota).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    const tools = client.chat.completions.create({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }],
    });
    await expect(tools).rejects.toMatchObject({ status: 400, param: 'tools' });
  });

  it('authenticates the client with its bearer key when auth is on', async () => {
    const { store, keys } = await keysFor({ name: 'app', scopes: ['execute'] });
    const client = await clientFor({ auth: { mode: 'on', keys: store } }, keys.app);
    const completion = await client.chat.completions.create({
      model: 'scripted-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices).toHaveLength(1);
    const anonymous = new OpenAI({ baseURL: client.baseURL, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
