import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { keysFor, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('request limits', () => {
  it('rate limits per API key with 429, Retry-After and x-ratelimit headers', async () => {
    const { store, keys } = await keysFor(
      { name: 'a', scopes: ['execute'] },
      { name: 'b', scopes: ['execute'] },
    );
    app = await testApp({ auth: { mode: 'on', keys: store }, rateLimit: { max: 2, timeWindowMs: 60_000 } });
    const get = (key: string) =>
      app?.inject({ url: '/api/v1/dspy/signatures', headers: { 'x-api-key': key } });
    expect((await get(keys.a as string))?.headers['x-ratelimit-limit']).toBe('2');
    expect((await get(keys.a as string))?.statusCode).toBe(200);
    const limited = await get(keys.a as string);
    expect(limited?.statusCode).toBe(429);
    expect(limited?.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited?.headers['x-ratelimit-remaining']).toBe('0');
    expect(limited?.json().error).toMatchObject({
      code: 'SIGNET_RATE_LIMITED',
      retryable: true,
      details: { limit: 2 },
    });
    expect((await get(keys.b as string))?.statusCode).toBe(200); // another key has its own budget
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200); // operations are never limited
  });

  it('rate limits anonymous clients by address when auth is off', async () => {
    app = await testApp({ rateLimit: { max: 1, timeWindowMs: 60_000 } });
    expect((await app.inject({ url: '/api/v1/models' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/models' })).statusCode).toBe(429);
  });

  it('rejects bodies over the limit with 413', async () => {
    app = await testApp({ bodyLimit: 1_024 });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { signature: 'answer-question', inputs: { question: 'x'.repeat(2_000) } },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('SIGNET_REQUEST_TOO_LARGE');
  });

  it('sheds load with 503 and Retry-After under memory pressure, while /health still answers', async () => {
    app = await testApp({
      loadShedding: { maxHeapUsedBytes: 1, sampleIntervalMs: 10, retryAfterSeconds: 7 },
    });
    await expect
      .poll(async () => (await app?.inject({ url: '/api/v1/models' }))?.statusCode, { timeout: 5_000 })
      .toBe(503);
    const shed = await app.inject({ url: '/api/v1/models' });
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.json().error).toMatchObject({ code: 'SIGNET_OVERLOADED', retryable: true });
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
