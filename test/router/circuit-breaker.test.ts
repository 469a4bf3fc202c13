import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { type BreakerEvent, createRouter } from '../../src/router/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { collectEvents, failure, hello, textOf } from '../helpers/router-fakes.ts';

function setup() {
  const state = { healthy: false };
  const primary = createScriptedProvider({
    name: 'primary',
    rules: [{ when: () => state.healthy, reply: 'from primary' }],
    fallback: { error: failure('SIGNET_PROVIDER_UNAVAILABLE') },
  });
  const backup = createScriptedProvider({ name: 'backup', fallback: 'from backup' });
  const router = createRouter({
    deployments: [
      {
        id: 'primary',
        ai: primary,
        policy: { retry: { maxRetries: 0 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 5_000 } },
      },
      { id: 'backup', ai: backup },
    ],
  });
  const events = collectEvents(router);
  const breaker = () =>
    events.filter((e): e is BreakerEvent => e.type === 'breaker').map((e) => `${e.previous}->${e.state}`);
  return { state, primary, backup, router, events, breaker };
}

describe('circuit breaker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after the configured consecutive failures and then rejects fast, failing over', async () => {
    const { primary, backup, router, breaker } = setup();
    for (let i = 0; i < 2; i++) expect(textOf(await router.chat(hello))).toBe('from backup');
    expect(router.health()[0]).toMatchObject({ breaker: 'closed', consecutiveFailures: 2 });
    expect(textOf(await router.chat(hello))).toBe('from backup');
    expect(breaker()).toEqual(['closed->open']);
    expect(router.health()[0]).toMatchObject({
      id: 'primary',
      breaker: 'open',
      lastErrorCode: 'SIGNET_PROVIDER_UNAVAILABLE',
    });

    const response = await router.chat(hello);
    expect(textOf(response)).toBe('from backup');
    expect(primary.calls).toHaveLength(3);
    expect(backup.calls).toHaveLength(4);
    if (response instanceof ReadableStream) throw new Error('unexpected stream');
    expect(response.providerMetadata?.signetRouter?.route).toBe('primary:breaker-open → backup:ok');
  });

  it('half-opens after the cooldown and closes on a successful probe', async () => {
    const { state, primary, router, breaker } = setup();
    for (let i = 0; i < 3; i++) await router.chat(hello);
    expect(router.health()[0]?.breaker).toBe('open');

    await vi.advanceTimersByTimeAsync(4_999);
    await router.chat(hello);
    expect(primary.calls).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(1);
    state.healthy = true;
    expect(textOf(await router.chat(hello))).toBe('from primary');
    expect(breaker()).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    expect(router.health()[0]).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
  });

  it('re-opens when the half-open probe fails', async () => {
    const { primary, router, breaker } = setup();
    for (let i = 0; i < 3; i++) await router.chat(hello);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(textOf(await router.chat(hello))).toBe('from backup');
    expect(primary.calls).toHaveLength(4);
    expect(breaker()).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
    await router.chat(hello);
    expect(primary.calls).toHaveLength(4);
  });

  it('fails over while a half-open probe is in flight instead of queueing behind it', async () => {
    const { state, primary, router } = setup();
    for (let i = 0; i < 3; i++) await router.chat(hello);
    await vi.advanceTimersByTimeAsync(5_000);
    state.healthy = true;
    const probe = router.chat(hello);
    const other = await router.chat(hello);
    expect(textOf(other)).toBe('from backup');
    expect(other instanceof ReadableStream ? undefined : other.providerMetadata?.signetRouter?.route).toBe(
      'primary:breaker-open → backup:ok',
    );
    expect(textOf(await probe)).toBe('from primary');
    expect(primary.calls).toHaveLength(4);
  });

  it('opens on a failure rate over a sampling window', async () => {
    const primary = createScriptedProvider({
      name: 'primary',
      fallback: { error: failure('SIGNET_PROVIDER_ERROR') },
    });
    const router = createRouter({
      deployments: [
        {
          id: 'primary',
          ai: primary,
          policy: {
            retry: { maxRetries: 0 },
            breaker: {
              failureRate: { threshold: 0.5, windowMs: 10_000, minimumRps: 0.1 },
              halfOpenAfterMs: 1_000,
            },
          },
        },
        { id: 'backup', ai: createScriptedProvider({ name: 'backup', fallback: 'ok' }) },
      ],
    });
    for (let i = 0; i < 3; i++) await router.chat(hello);
    expect(router.health()[0]?.breaker).toBe('open');
  });
});

/**
 * A provider whose calls fail in runs: in every `period` calls, the first `failing` fail. Failures come
 * back in 5 ms and answers in 20 ms, as a failing upstream answers faster than a working one.
 */
function flaky(failing: number, period: number) {
  let call = 0;
  const state = { down: false };
  const ai = createScriptedProvider({
    name: 'flaky',
    rules: [
      {
        when: () => state.down || call++ % period < failing,
        reply: { error: failure('SIGNET_PROVIDER_ERROR'), delayMs: 5 },
      },
    ],
    fallback: { content: 'ok', delayMs: 20 },
  });
  return { ai, state };
}

/** No retries, and room for every call of a burst (the bulkhead is not under test here). */
const roomy = { retry: { maxRetries: 0 }, bulkhead: { maxConcurrent: 200 } };

describe('default breaker: a failure rate over a window', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function burst(router: ReturnType<typeof createRouter>, calls: number) {
    const settled = Promise.allSettled(Array.from({ length: calls }, () => router.chat(hello)));
    await vi.advanceTimersByTimeAsync(100);
    const results = await settled;
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  it('stays closed when 30% of concurrent calls fail in runs (a consecutive-failures breaker would open)', async () => {
    const { ai } = flaky(6, 20);
    const backup = createScriptedProvider({ name: 'backup', fallback: 'from backup' });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai, policy: roomy },
        { id: 'backup', ai: backup },
      ],
    });
    await burst(router, 100);
    expect(router.health()[0]?.breaker).toBe('closed');
    expect(backup.calls).toHaveLength(30);
  });

  it('opens at a 60% failure rate when a fallback can take the calls', async () => {
    const { ai } = flaky(12, 20);
    const router = createRouter({
      deployments: [
        { id: 'primary', ai, policy: roomy },
        { id: 'backup', ai: createScriptedProvider({ name: 'backup', fallback: 'from backup' }) },
      ],
    });
    // Judged on tries whose outcomes are all known: the first burst, once a later one fails.
    await burst(router, 100);
    expect(router.health()[0]?.breaker).toBe('closed');
    await vi.advanceTimersByTimeAsync(1_000);
    await burst(router, 100);
    expect(router.health()[0]?.breaker).toBe('open');
  });

  it('keeps a deployment with no fallback serving at a 60% failure rate', async () => {
    const { ai } = flaky(12, 20);
    const router = createRouter({ deployments: [{ id: 'only', ai, policy: roomy }] });
    expect(await burst(router, 100)).toBe(40);
    expect(router.health()[0]?.breaker).toBe('closed');
    expect(await burst(router, 100)).toBe(40);
  });

  it('opens when every call fails, refuses fast with the time to the probe, and closes once the upstream is back', async () => {
    const { ai, state } = flaky(0, 1);
    state.down = true;
    const router = createRouter({ deployments: [{ id: 'only', ai, policy: roomy }] });
    expect(await burst(router, 20)).toBe(0);
    expect(router.health()[0]?.breaker).toBe('open');
    const callsWhenOpened = ai.calls.length;

    await vi.advanceTimersByTimeAsync(4_000);
    const refused = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(refused.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
    expect(refused.details?.routerReason).toBe('breaker-open');
    expect(refused.details?.retryAfterMs).toBeGreaterThan(5_000);
    expect(refused.details?.retryAfterMs).toBeLessThanOrEqual(6_000);
    expect(ai.calls).toHaveLength(callsWhenOpened);

    state.down = false;
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await burst(router, 1)).toBe(1);
    expect(router.health()[0]?.breaker).toBe('closed');
    expect(await burst(router, 10)).toBe(10);
  });
});
