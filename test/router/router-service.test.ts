import { AxMockAIService } from '@ax-llm/ax';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/router/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { failure, hello } from '../helpers/router-fakes.ts';

describe('the router as an Ax service', () => {
  it('offers only the features every deployment has', () => {
    const tools = new AxMockAIService<string>({
      name: 'tools',
      features: { functions: true, streaming: true },
    });
    const plain = new AxMockAIService<string>({
      name: 'plain',
      features: { functions: false, streaming: true },
    });
    const router = createRouter({
      name: 'edge',
      deployments: [
        { id: 'tools', ai: tools },
        { id: 'plain', ai: plain },
      ],
    });
    expect(router.getName()).toBe('edge');
    expect(router.getFeatures()).toMatchObject({ functions: false, streaming: true });
    expect(router.only('tools').getFeatures()).toMatchObject({ functions: true });
    expect(router.deployments).toEqual(['tools', 'plain']);
  });

  it('reports its own latency and error counts and the model last used', async () => {
    const router = createRouter({
      deployments: [
        {
          id: 'a',
          ai: createScriptedProvider({ replies: ['one', { error: failure('SIGNET_PROVIDER_REJECTED') }] }),
          model: 'm-1',
        },
      ],
    });
    await router.chat(hello);
    await router.chat(hello).catch(() => undefined);
    const metrics = router.getMetrics();
    expect(metrics.errors.chat).toEqual({ count: 1, total: 2, rate: 0.5 });
    expect(metrics.latency.chat.samples).toHaveLength(2);
    expect(router.getLastUsedChatModel()).toBe('m-1');
  });

  it('sends calls to providers with their own retries switched off', async () => {
    const seen: unknown[] = [];
    const ai = new AxMockAIService<string>({
      name: 'spy',
      chatResponse: async (_req, options) => {
        seen.push(options?.retry);
        return { results: [{ index: 0, content: 'ok', finishReason: 'stop' }] };
      },
    });
    const router = createRouter({ deployments: [{ id: 'spy', ai }] });
    await router.chat(hello, { retry: { maxRetries: 5, initialDelayMs: 10 } });
    expect(seen).toEqual([{ maxRetries: 0, initialDelayMs: 10 }]);
  });
});
