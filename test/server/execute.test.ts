import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { SignetError } from '../../src/index.ts';
import { PARIS, resolverFor, scripted, testApp } from './helpers.ts';

const url = '/api/v1/dspy/execute';
let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('POST /api/v1/dspy/execute', () => {
  it('gives each request without a usable x-request-id its own req_ id', async () => {
    app = await testApp({ ai: scripted({ fallback: PARIS }) });
    const ids = new Set<string>();
    for (const headers of [{}, {}, { 'x-request-id': 'has spaces, not a token' }]) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers,
        payload: { signature: 'answer-question', inputs: { question: 'Capital of France?' } },
      });
      const id = response.json().requestId;
      expect(id).toMatch(/^req_[0-9a-f]{24}$/);
      expect(response.headers['x-request-id']).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(3);
  });

  it('runs the signature on the resolved provider and returns outputs, usage and provenance', async () => {
    const ai = scripted({ replies: [{ content: PARIS, usage: { promptTokens: 12, completionTokens: 4 } }] });
    app = await testApp({ ai });
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'x-request-id': 'trace-123' },
      payload: {
        signature: 'answer-question',
        inputs: { question: 'Capital of France?' },
        config: { temperature: 0.2, maxTokens: 64 },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-123');
    const body = response.json();
    expect(body).toMatchObject({
      outputs: { answer: 'Paris', confidence: 0.9 },
      usage: { promptTokens: 12, completionTokens: 4, totalTokens: 16 },
      model: 'scripted-model',
      provider: 'scripted',
      attempts: 1,
      requestId: 'trace-123',
    });
    expect(body.latencyMs).toBeTypeOf('number');
    expect(body.warnings).toBeUndefined();
    expect(ai.calls[0]?.lastUserMessage).toContain('Capital of France?');
    expect(ai.calls[0]?.modelConfig).toMatchObject({ temperature: 0.2, maxTokens: 64 });
  });

  it('returns the reasoning for chain-of-thought', async () => {
    app = await testApp({ ai: scripted({ fallback: `Reasoning: It is well known.\n${PARIS}` }) });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: {
        signature: 'answer-question',
        program: 'chain-of-thought',
        inputs: { question: 'Capital?' },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().outputs).toEqual({
      reasoning: 'It is well known.',
      answer: 'Paris',
      confidence: 0.9,
    });
  });

  it('says how react and refine behave over HTTP instead of pretending', async () => {
    app = await testApp();
    for (const program of ['react', 'refine']) {
      const response = await app.inject({
        method: 'POST',
        url,
        payload: { signature: 'answer-question', program, inputs: { question: 'Capital?' } },
      });
      expect(response.statusCode, program).toBe(200);
      expect(response.json().outputs.answer).toBe('Paris');
      expect(response.json().warnings?.[0], program).toMatch(
        program === 'react' ? /no tools/ : /no validators/,
      );
    }
  });

  it('rejects inputs that do not match the signature with 400 and issues, before any model call', async () => {
    const ai = scripted();
    app = await testApp({ ai });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 42, extra: true } },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error).toMatchObject({ code: 'SIGNET_INPUT_INVALID', retryable: false });
    expect(error.requestId).toBe(response.headers['x-request-id']);
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['question'], code: 'invalid_type' }),
        expect.objectContaining({ code: 'unrecognized_keys' }),
      ]),
    );
    expect(ai.calls).toHaveLength(0);
  });

  it('answers 404 with suggestions for an unknown signature', async () => {
    app = await testApp();
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-questoin', inputs: { question: 'x' } },
    });
    expect(response.statusCode).toBe(404);
    const { error } = response.json();
    expect(error.code).toBe('SIGNET_SIGNATURE_NOT_FOUND');
    expect(error.message).toContain('Did you mean "answer-question"');
    expect(error.details.suggestions).toEqual(['answer-question']);
  });

  it('resolves versions and semver ranges, and 404s on a range nothing satisfies', async () => {
    app = await testApp();
    const ok = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', version: '^1', inputs: { question: 'x' } },
    });
    expect(ok.statusCode).toBe(200);
    const missing = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', version: '2.0.0', inputs: { question: 'x' } },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('available: 1.0.0');
  });

  it('answers 503 with how to add a provider when none is configured', async () => {
    app = await testApp({ providers: resolverFor() });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' } },
    });
    expect(response.statusCode).toBe(503);
    const { error } = response.json();
    expect(error).toMatchObject({ code: 'SIGNET_PROVIDER_UNAVAILABLE', retryable: true });
    expect(error.message).toContain('npm run demo');
    expect(error.message).toContain('Ollama');
    expect(error.message).toContain('OPENAI_API_KEY');
  });

  it('answers 404 for a model or role no provider serves, listing what exists', async () => {
    app = await testApp();
    const model = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' }, config: { model: 'gpt-9' } },
    });
    expect(model.statusCode).toBe(404);
    expect(model.json().error).toMatchObject({
      code: 'SIGNET_MODEL_UNKNOWN',
      details: { available: ['scripted-model'] },
    });
    const role = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' }, config: { role: 'smart' } },
    });
    expect(role.statusCode).toBe(404);
    expect(role.json().error.details.roles).toEqual(['fast']);
  });

  it('fails with 504 when the execution passes config.timeoutMs, aborting the provider call', async () => {
    const ai = scripted({ fallback: { content: PARIS, delayMs: 5_000 } });
    app = await testApp({ ai });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' }, config: { timeoutMs: 50 } },
    });
    expect(response.statusCode).toBe(504);
    expect(response.json().error).toMatchObject({
      code: 'SIGNET_PROVIDER_TIMEOUT',
      details: { timeoutMs: 50 },
    });
  });

  it('maps provider failures to their signet codes without leaking internals', async () => {
    const ai = scripted({
      fallback: {
        error: new SignetError('SIGNET_PROVIDER_RATE_LIMITED', 'upstream: slow down', {
          details: { retryAfterMs: 3_000 },
        }),
      },
    });
    app = await testApp({ ai });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' } },
    });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.json().error).toMatchObject({ code: 'SIGNET_PROVIDER_RATE_LIMITED', retryable: true });
  });

  it('hides the message of unexpected errors behind SIGNET_INTERNAL', async () => {
    app = await testApp({
      providers: {
        resolve: () => {
          throw new Error('secret connection string postgres://user:pw@db');
        },
        list: () => [],
        health: async () => [],
      },
    });
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' } },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('SIGNET_INTERNAL');
    expect(response.body).not.toContain('postgres');
  });

  it('rejects a body that does not match the endpoint schema with SIGNET_REQUEST_INVALID', async () => {
    app = await testApp();
    const response = await app.inject({
      method: 'POST',
      url,
      payload: { signature: 'answer-question', inputs: { question: 'x' }, program: 'magic', extra: 1 },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('SIGNET_REQUEST_INVALID');
    expect(error.issues.map((i: { path: unknown[] }) => i.path)).toEqual(
      expect.arrayContaining([['program']]),
    );
  });
});
