import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { startServer } from '../../server/start.ts';
import { keysFor, resolverFor, scripted, testApp } from './helpers.ts';

let app: SignetApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('health and readiness', () => {
  it('answers /health while alive and /ready only when the resolver is ready and not shutting down', async () => {
    let ready = false;
    const base = resolverFor({ provider: 'scripted', model: 'scripted-model', ai: scripted() });
    app = await testApp({ providers: { ...base, ready: () => ready } });
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    const starting = await app.inject({ url: '/ready' });
    expect(starting.statusCode).toBe(503);
    expect(starting.headers['retry-after']).toBe('5');
    expect(starting.json().error).toMatchObject({
      code: 'SIGNET_NOT_READY',
      message: 'not ready: providers are still being detected',
    });
    ready = true;
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    app.signet.readiness.markShuttingDown();
    const draining = await app.inject({ url: '/ready' });
    expect(draining.statusCode).toBe(503);
    expect(draining.json().error.message).toContain('shutting down');
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});

describe('API description', () => {
  it('publishes OpenAPI at /openapi.json and a docs page at /docs, both public when auth is on', async () => {
    const { store } = await keysFor();
    app = await testApp({ docs: true, auth: { mode: 'on', keys: store } });
    const spec = await app.inject({ url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const { paths, openapi, components } = spec.json();
    expect(openapi).toBe('3.1.0');
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/dspy/execute',
        '/api/v1/dspy/execute/stream',
        '/api/v1/dspy/execute/batch',
        '/api/v1/dspy/signatures/{name}',
        '/api/v1/models',
        '/v1/chat/completions',
        '/v1/models',
      ]),
    );
    const execute = paths['/api/v1/dspy/execute'].post;
    expect(execute.requestBody.content['application/json'].schema.required).toEqual(['signature', 'inputs']);
    expect(Object.keys(components.securitySchemes)).toEqual(['bearerAuth', 'apiKeyHeader']);
    const docs = await app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect((await app.inject({ url: '/api/v1/models' })).statusCode).toBe(401);
  });
});

describe('startServer (npm start)', () => {
  it('serves the catalog with no providers: ready, and executions answer 503 with how to add one', async () => {
    app = await startServer({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' }, { handleSignals: false });
    const signatures = (await app.inject({ url: '/api/v1/dspy/signatures' })).json().signatures;
    expect(signatures.length).toBeGreaterThan(0);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { signature: 'answer-question', inputs: {} },
    });
    expect(invalid.json().error.code).toBe('SIGNET_INPUT_INVALID'); // inputs are checked before providers
    const run = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { signature: 'answer-question', inputs: { question: 'Capital of France?' } },
    });
    expect(run.statusCode).toBe(503);
    expect(run.json().error.message).toContain('npm run demo');
  });

  it('rejects a bad PORT and an unknown SIGNET_AUTH value at start-up', async () => {
    await expect(startServer({ PORT: 'eighty' }, { handleSignals: false })).rejects.toThrow(
      /PORT must be a port number/,
    );
    await expect(
      startServer({ PORT: '0', SIGNET_AUTH: 'sometimes' }, { handleSignals: false }),
    ).rejects.toThrow(/SIGNET_AUTH/);
  });
});
