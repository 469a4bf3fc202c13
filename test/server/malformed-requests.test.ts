import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { testApp } from './helpers.ts';

let app: SignetApp;

beforeAll(async () => {
  // No script: a malformed request that reached the model would fail with a 500 and the test with it.
  app = await testApp({ ai: createScriptedProvider(), rateLimit: false });
});

afterAll(async () => {
  await app.close();
});

const routes = [
  '/api/v1/dspy/execute',
  '/api/v1/dspy/execute/stream',
  '/api/v1/dspy/execute/batch',
  '/api/v1/dspy/signatures',
  '/v1/chat/completions',
];

const anyValue = fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true });
const almostExecute = fc.record(
  {
    signature: fc.oneof(fc.string(), anyValue),
    version: fc.oneof(fc.string(), anyValue),
    program: fc.oneof(fc.constantFrom('predict', 'refine', 'magic'), anyValue),
    inputs: fc.oneof(fc.dictionary(fc.string(), anyValue), anyValue),
    items: fc.oneof(fc.array(fc.record({ inputs: anyValue })), anyValue),
    config: fc.oneof(fc.record({ timeoutMs: fc.integer(), model: anyValue }), anyValue),
    model: anyValue,
    messages: fc.oneof(fc.array(fc.record({ role: fc.string(), content: anyValue })), anyValue),
    name: anyValue,
  },
  { requiredKeys: [] },
);
const jsonBody = fc
  .oneof(anyValue, almostExecute, fc.constant({ ['__proto__']: { polluted: true } }))
  .map((value) => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      return '{}';
    }
  });
const rawBody = fc.oneof(
  jsonBody,
  fc.string(),
  fc.constantFrom(
    '{',
    '{"signature":',
    '[1,2',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '',
  ),
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'multipart/form-data',
  ),
);

describe('malformed requests', () => {
  it('answers 500 random malformed bodies with 4xx JSON errors and stays healthy', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), rawBody, contentType, async (url, payload, type) => {
        const response = await app.inject({
          method: 'POST',
          url,
          payload,
          headers: { 'content-type': type },
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `${url} ${payload.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${url} ${payload.slice(0, 200)}`).toBeLessThan(500);
        const body = response.json();
        const error = body.error;
        expect(typeof error?.message).toBe('string');
        expect(typeof error?.code).toBe('string');
        if (!url.startsWith('/v1/')) expect(error.requestId).toBe(response.headers['x-request-id']);
      }),
      { numRuns: 500, ...(process.env.FUZZ_SEED === undefined ? { seed: 20_261_122 } : {}) },
    );
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
