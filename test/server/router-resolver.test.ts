import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { createRouterResolver } from '../../server/providers/create-router-resolver.ts';
import { defineProvider, SignetError } from '../../src/index.ts';
import { createRouter } from '../../src/router/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { answerQuestion, PARIS, testApp } from './helpers.ts';

let app: SignetApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function localProvider(name: string, reply: () => Promise<string>) {
  return defineProvider({
    name,
    model: `${name}-model`,
    capabilities: {
      runtime: 'scripted',
      device: 'cpu',
      streaming: false,
      structuredOutput: false,
      tools: false,
      embeddings: false,
      contextWindow: 8192,
      maxConcurrency: 4,
      local: name === 'local',
    },
    chat: async () => ({ results: [{ index: 0, content: await reply() }] }),
    health: async () => ({ ok: true }),
  });
}

describe('router-backed provider resolver', () => {
  it('falls back from a failing local deployment to the next, and the response names who answered', async () => {
    const local = localProvider('local', () =>
      Promise.reject(new SignetError('SIGNET_PROVIDER_UNAVAILABLE', 'down')),
    );
    const cloud = localProvider('cloud', async () => PARIS);
    const deployments = [
      { id: 'local-onnx', ai: local, policy: { retry: { maxRetries: 0 } } },
      { id: 'cloud-openai', ai: cloud },
    ];
    const router = createRouter({ deployments });
    app = await testApp({ providers: createRouterResolver(router, deployments) });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { signature: answerQuestion.name, inputs: { question: 'Capital of France?' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outputs: { answer: 'Paris' }, provider: 'cloud-openai' });
    const models = (await app.inject({ url: '/api/v1/models' })).json() as {
      models?: { id: string; roles: string[] }[];
    };
    expect(JSON.stringify(models)).toContain('local-onnx');
  });

  it('pins a named model to its deployment (no fallback) and reports breaker state in health', async () => {
    const local = localProvider('local', () =>
      Promise.reject(new SignetError('SIGNET_PROVIDER_ERROR', 'broken')),
    );
    const cloud = localProvider('cloud', async () => PARIS);
    const deployments = [
      {
        id: 'local-onnx',
        ai: local,
        policy: { retry: { maxRetries: 0 }, breaker: { consecutiveFailures: 1 } },
      },
      { id: 'cloud-openai', ai: cloud },
    ];
    const resolver = createRouterResolver(createRouter({ deployments }), deployments);
    app = await testApp({ providers: resolver });
    const pinned = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { signature: answerQuestion.name, inputs: { question: 'q' }, config: { model: 'local-onnx' } },
    });
    expect(pinned.statusCode).toBe(502);
    const health = (await app.inject({ url: '/api/v1/providers/health' })).json() as {
      deployments: { id: string; breaker: string; ok: boolean }[];
    };
    expect(health.deployments.find((d) => d.id === 'local-onnx')).toMatchObject({
      breaker: 'open',
      ok: false,
    });
    expect(health.deployments.find((d) => d.id === 'cloud-openai')).toMatchObject({
      breaker: 'closed',
      ok: true,
    });
    expect(resolver.resolve({ role: 'local' })?.provider).toBe('local');
    expect(resolver.resolve({ model: 'nope' })).toBeUndefined();
  });

  it('resolves nothing when there are no deployments', () => {
    const scripted = createScriptedProvider();
    const router = createRouter({ deployments: [{ id: 'only', ai: scripted }] });
    expect(createRouterResolver(router, []).resolve({})).toBeUndefined();
  });
});
