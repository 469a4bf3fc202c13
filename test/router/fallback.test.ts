import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { createRouter, describeRoute, type RouterEvent } from '../../src/router/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { collectEvents, createStreamingProvider, failure, hello, textOf } from '../helpers/router-fakes.ts';

const noRetry = { retry: { maxRetries: 0 } };

describe('fallback chain', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times out a hanging primary, aborts it and falls back; events and metadata say so', async () => {
    const primary = createStreamingProvider({
      name: 'primary',
      openDelayMs: 3_600_000,
      steps: [{ text: 'never' }],
    });
    const backup = createScriptedProvider({ name: 'backup', fallback: 'from backup' });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary, policy: { ...noRetry, timeoutMs: 1_000 } },
        { id: 'backup', ai: backup },
      ],
    });
    const events = collectEvents(router);
    const pending = router.chat(hello);
    await vi.advanceTimersByTimeAsync(1_000);
    const response = await pending;
    if (response instanceof ReadableStream) throw new Error('unexpected stream');
    expect(textOf(response)).toBe('from backup');
    expect(primary.signals[0]?.aborted).toBe(true);
    expect(response.modelUsage?.ai).toBe('backup');
    expect(response.providerMetadata?.signetRouter).toMatchObject({
      deployment: 'backup',
      route: 'primary:timeout → backup:ok',
    });
    expect(events.map(summary)).toEqual([
      'attempt primary',
      'failure primary timeout failover',
      'fallback primary->backup timeout',
      'attempt backup',
      'success backup',
    ]);
  });

  it('throws the last failure with the whole route when every deployment fails', async () => {
    const router = createRouter({
      deployments: [
        { id: 'a', ai: createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_QUOTA') } }) },
        { id: 'b', ai: createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_AUTH') } }) },
      ],
    });
    const error = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(error.message).toContain('a:quota → b:auth');
    expect(error.details?.route).toBe('a:quota → b:auth');
  });

  it('after a prompt is too long, tries only deployments with a larger context window', async () => {
    const small = createScriptedProvider({
      name: 'small',
      fallback: { error: failure('SIGNET_CONTEXT_TOO_LONG') },
    });
    const same = createScriptedProvider({ name: 'same', fallback: 'should be skipped' });
    const large = createScriptedProvider({ name: 'large', fallback: 'from large' });
    const router = createRouter({
      deployments: [
        { id: 'small', ai: small, contextWindow: 4_096 },
        { id: 'same', ai: same, contextWindow: 4_096 },
        { id: 'large', ai: large, contextWindow: 32_768 },
      ],
    });
    const response = await router.chat(hello);
    expect(textOf(response)).toBe('from large');
    expect(same.calls).toHaveLength(0);
    expect(
      response instanceof ReadableStream ? undefined : response.providerMetadata?.signetRouter?.route,
    ).toBe('small:context-too-long → same:skipped(context-window-too-small) → large:ok');
  });

  it('stops on a prompt that is too long when no larger context window follows', async () => {
    const later = createScriptedProvider({ name: 'later', fallback: 'never' });
    const router = createRouter({
      deployments: [
        {
          id: 'big',
          ai: createScriptedProvider({ fallback: { error: failure('SIGNET_CONTEXT_TOO_LONG') } }),
          contextWindow: 8_192,
        },
        { id: 'later', ai: later, contextWindow: 8_192 },
      ],
    });
    const error = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_CONTEXT_TOO_LONG');
    expect(later.calls).toHaveLength(0);
  });

  it('propagates the caller abort to the deployment and does not fail over', async () => {
    const primary = createStreamingProvider({
      name: 'primary',
      openDelayMs: 10_000,
      steps: [{ text: 'slow' }],
    });
    const backup = createScriptedProvider({ name: 'backup', fallback: 'never' });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary },
        { id: 'backup', ai: backup },
      ],
    });
    const controller = new AbortController();
    const pending = router.chat(hello, { abortSignal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    const error = (await pending) as SignetError;
    expect(error.code).toBe('SIGNET_ABORTED');
    expect(primary.signals[0]?.aborted).toBe(true);
    expect(backup.calls).toHaveLength(0);
    expect(router.health()[0]?.consecutiveFailures).toBe(0);
  });

  it('keeps a route record per call in a recording view, and listeners stop with their signal', async () => {
    const router = createRouter({
      deployments: [
        { id: 'a', ai: createScriptedProvider({ fallback: { error: failure('SIGNET_MODEL_NOT_FOUND') } }) },
        { id: 'b', ai: createScriptedProvider({ fallback: 'ok' }) },
      ],
    });
    const controller = new AbortController();
    const seen: RouterEvent[] = [];
    router.on((event) => seen.push(event), { signal: controller.signal });
    const recording = router.recording();
    await recording.chat(hello);
    controller.abort();
    await recording.chat(hello);
    await router.chat(hello);
    expect(recording.routes.map(describeRoute)).toEqual([
      'a:model-not-found → b:ok',
      'a:model-not-found → b:ok',
    ]);
    expect(recording.routes[0]?.attempts[0]).toMatchObject({
      deployment: 'a',
      outcome: 'failover',
      code: 'SIGNET_MODEL_NOT_FOUND',
    });
    expect(new Set(seen.map((e) => ('callId' in e ? e.callId : 0)))).toEqual(
      new Set([recording.routes[0]?.callId]),
    );
  });

  it('only() pins one deployment with no fallback', async () => {
    const a = createScriptedProvider({ fallback: { error: failure('SIGNET_PROVIDER_AUTH') } });
    const b = createScriptedProvider({ fallback: 'b' });
    const router = createRouter({
      deployments: [
        { id: 'a', ai: a },
        { id: 'b', ai: b },
      ],
    });
    expect(textOf(await router.only('b').chat(hello))).toBe('b');
    const error = (await router
      .only('a')
      .chat(hello)
      .catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_AUTH');
    expect(b.calls).toHaveLength(1);
    expect(() => router.only('c')).toThrow(/no deployment "c".*"a", "b"/);
  });

  it('embeds on the deployments that support embeddings', async () => {
    const router = createRouter({
      deployments: [
        { id: 'chat-only', ai: createScriptedProvider(), embeddings: false },
        { id: 'embedder', ai: createScriptedProvider({ embedding: () => [1, 0] }) },
      ],
    });
    const response = await router.embed({ texts: ['a', 'b'] });
    expect(response.embeddings).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(response.modelUsage?.ai).toBe('embedder');
    expect(response.providerMetadata?.signetRouter?.route).toBe(
      'chat-only:skipped(no-embeddings) → embedder:ok',
    );
  });

  it('rejects a bad configuration', () => {
    expect(() => createRouter({ deployments: [] })).toThrow(TypeError);
    const ai = createScriptedProvider();
    expect(() =>
      createRouter({
        deployments: [
          { id: 'x', ai },
          { id: 'x', ai },
        ],
      }),
    ).toThrow(/two deployments/);
    expect(() => createRouter({ deployments: [{ id: 'x', ai, policy: { timeoutMs: 0 } }] })).toThrow(
      RangeError,
    );
  });
});

function summary(event: RouterEvent): string {
  switch (event.type) {
    case 'attempt':
    case 'success':
      return `${event.type} ${event.deployment}`;
    case 'failure':
      return `failure ${event.deployment} ${event.reason} ${event.decision}`;
    case 'fallback':
      return `fallback ${event.from}->${event.to} ${event.reason}`;
    case 'retry':
      return `retry ${event.deployment} ${event.reason}`;
    default:
      return `breaker ${event.deployment} ${event.state}`;
  }
}
