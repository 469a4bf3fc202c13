import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { keysFor, resolverFor, resolverWithHealth, scripted, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('signature catalog endpoints', () => {
  it('lists the registry', async () => {
    app = await testApp();
    const response = await app.inject({ url: '/api/v1/dspy/signatures' });
    expect(response.statusCode).toBe(200);
    const { signatures } = response.json();
    expect(signatures.map((s: { name: string }) => s.name)).toEqual(['answer-question', 'summarize-ticket']);
    expect(signatures[1]).toMatchObject({
      version: '1.0.0',
      inputs: ['ticketBody'],
      outputs: ['summary'],
      tags: ['support'],
    });
  });

  it('describes one signature with JSON Schemas, fields and examples', async () => {
    app = await testApp();
    const response = await app.inject({ url: '/api/v1/dspy/signatures/answer-question' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ name: 'answer-question', latest: '1.0.0' });
    const [version] = body.versions;
    expect(version.jsonSchema.input).toMatchObject({
      type: 'object',
      properties: { question: { type: 'string' } },
    });
    expect(version.jsonSchema.output.properties.confidence).toMatchObject({ minimum: 0, maximum: 1 });
    expect(version.outputs.map((f: { name: string }) => f.name)).toEqual(['answer', 'confidence']);
    expect(version.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('404s an unknown signature with suggestions', async () => {
    app = await testApp();
    const response = await app.inject({ url: '/api/v1/dspy/signatures/summarize-tiket' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details.suggestions).toContain('summarize-ticket');
  });
});

describe('POST /api/v1/dspy/signatures (runtime registration)', () => {
  const definition = {
    name: 'classify-mood',
    version: '1.0.0',
    signature: 'diaryEntry:string -> mood:class "happy, sad, neutral"',
    description: 'Classify the mood of a diary entry',
    examples: [{ inputs: { diaryEntry: 'Great day!' }, outputs: { mood: 'happy' } }],
  };

  it('registers a DSL signature that can then be listed and executed', async () => {
    const { store, keys } = await keysFor({ name: 'ops', scopes: ['admin'] });
    app = await testApp({ auth: { mode: 'on', keys: store }, ai: scripted({ fallback: 'Mood: happy' }) });
    const headers = { authorization: `Bearer ${keys.ops}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/signatures',
      headers,
      payload: definition,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().versions[0].jsonSchema.output.properties.mood.enum).toEqual([
      'happy',
      'sad',
      'neutral',
    ]);
    const run = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      headers,
      payload: { signature: 'classify-mood', inputs: { diaryEntry: 'Sunshine and friends' } },
    });
    expect(run.statusCode).toBe(200);
    expect(run.json().outputs).toEqual({ mood: 'happy' });
  });

  it('requires the admin scope', async () => {
    const { store, keys } = await keysFor({ name: 'app', scopes: ['execute'] });
    app = await testApp({ auth: { mode: 'on', keys: store } });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/signatures',
      headers: { 'x-api-key': keys.app },
      payload: definition,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'SIGNET_FORBIDDEN', details: { required: 'admin' } });
  });

  it('answers 400 with the line and column of a DSL error', async () => {
    app = await testApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/signatures',
      payload: { ...definition, signature: 'diaryEntry:string ->\n  mood:class "happy, sad' },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('SIGNET_SIGNATURE_INVALID');
    expect(error.details).toMatchObject({ line: 2, column: 14 });
    expect(error.message).toContain('line 2, column 14');
  });

  it('answers 409 when the name and version already exist', async () => {
    app = await testApp();
    const first = await app.inject({ method: 'POST', url: '/api/v1/dspy/signatures', payload: definition });
    expect(first.statusCode).toBe(201);
    const second = await app.inject({ method: 'POST', url: '/api/v1/dspy/signatures', payload: definition });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('SIGNET_SIGNATURE_DUPLICATE');
    const bumped = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/signatures',
      payload: { ...definition, version: '1.1.0' },
    });
    expect(bumped.statusCode).toBe(201);
    expect(bumped.json().latest).toBe('1.1.0');
  });
});

describe('model and provider endpoints', () => {
  const two = () =>
    resolverFor(
      {
        provider: 'onnx',
        model: 'tiny-gpt2',
        ai: scripted(),
        roles: ['local'],
        local: true,
        description: 'tiny local model',
      },
      { id: 'gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini', ai: scripted(), roles: ['fast'] },
      { id: 'llama', provider: 'ollama', model: 'meta/llama3.2:1b', ai: scripted(), roles: ['local'] },
    );

  it('lists models, filters by provider and model, and searches', async () => {
    app = await testApp({ providers: two() });
    const all = (await app.inject({ url: '/api/v1/models' })).json().models;
    expect(all.map((m: { id: string }) => m.id)).toEqual(['tiny-gpt2', 'gpt-4o-mini', 'llama']);
    const onnx = await app.inject({ url: '/api/v1/models/onnx' });
    expect(onnx.json().models).toHaveLength(1);
    const one = await app.inject({ url: '/api/v1/models/ollama/meta/llama3.2:1b' });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'llama', roles: ['local'] });
    const search = await app.inject({ url: '/api/v1/models/search?q=LOCAL' });
    expect(search.json().models.map((m: { id: string }) => m.id)).toEqual(['llama', 'tiny-gpt2']);
    const missing = await app.inject({ url: '/api/v1/models/anthropic' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('SIGNET_MODEL_UNKNOWN');
    const noQuery = await app.inject({ url: '/api/v1/models/search' });
    expect(noQuery.statusCode).toBe(400);
  });

  it('groups models by provider', async () => {
    app = await testApp({ providers: two() });
    const { providers } = (await app.inject({ url: '/api/v1/providers' })).json();
    expect(providers).toEqual([
      { name: 'onnx', models: ['tiny-gpt2'], local: true },
      { name: 'openai', models: ['gpt-4o-mini'], local: false },
      { name: 'ollama', models: ['llama'], local: false },
    ]);
  });

  it("shows a failing provider's open breaker, latency and last error in /providers/health", async () => {
    const providers = resolverWithHealth(two(), [
      { id: 'tiny-gpt2', provider: 'onnx', model: 'tiny-gpt2', ok: true, breaker: 'closed', latencyMs: 3 },
      {
        id: 'gpt-4o-mini',
        provider: 'openai',
        model: 'gpt-4o-mini',
        ok: false,
        breaker: 'open',
        latencyMs: 30_000,
        lastError: 'openai: 503 Service Unavailable',
      },
    ]);
    app = await testApp({ providers });
    const response = await app.inject({ url: '/api/v1/providers/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json().deployments[1]).toMatchObject({
      id: 'gpt-4o-mini',
      ok: false,
      breaker: 'open',
      lastError: 'openai: 503 Service Unavailable',
    });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain(
      'signet_deployment_breaker_state{deployment="gpt-4o-mini",provider="openai",model="gpt-4o-mini"} 2',
    );
    expect(metrics.body).toContain(
      'signet_deployment_healthy{deployment="gpt-4o-mini",provider="openai",model="gpt-4o-mini"} 0',
    );
  });

  it("reports a SignetProvider's own health check in the default resolver", async () => {
    const ai = Object.assign(scripted(), {
      health: async () => ({ ok: false, latencyMs: 12, message: 'ollama is not running on 127.0.0.1:11434' }),
    });
    app = await testApp({ providers: resolverFor({ provider: 'ollama', model: 'llama3.2', ai }) });
    const [deployment] = (await app.inject({ url: '/api/v1/providers/health' })).json().deployments;
    expect(deployment).toMatchObject({
      ok: false,
      breaker: 'closed',
      latencyMs: 12,
      lastError: 'ollama is not running on 127.0.0.1:11434',
    });
  });
});
