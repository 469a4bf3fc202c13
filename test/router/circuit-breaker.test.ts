import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
