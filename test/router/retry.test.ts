import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { createRouter, type DeploymentPolicyOptions, type RetryEvent } from '../../src/router/index.ts';
import { createScriptedProvider, type ScriptedReply } from '../../src/testing/index.ts';
import { collectEvents, failure, hello, textOf } from '../helpers/router-fakes.ts';

/** A scripted provider answering `replies` in order and noting the (fake) time of each call. */
function timedProvider(name: string, replies: readonly ScriptedReply[]) {
  const times: number[] = [];
  const ai = createScriptedProvider({
    name,
    fallback: (call) => {
      times.push(Date.now());
      return replies[call.index] ?? 'out of script';
    },
  });
  return { ai, times };
}

const exact: DeploymentPolicyOptions = { retry: { maxRetries: 2, initialDelayMs: 100, jitter: 'none' } };

describe('retries', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries retryable failures with exponential backoff', async () => {
    const { ai, times } = timedProvider('p', [
      { error: failure('SIGNET_PROVIDER_ERROR') },
      { error: new Error('socket hang up') },
      'third time lucky',
    ]);
    const router = createRouter({ deployments: [{ id: 'p', ai, policy: exact }] });
    const events = collectEvents(router);
    const pending = router.chat(hello);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(textOf(await pending)).toBe('third time lucky');
    expect(times).toEqual([0, 100, 300]);
    const retries = events.filter((e): e is RetryEvent => e.type === 'retry');
    expect(retries.map((e) => [e.attempt, e.delayMs, e.reason])).toEqual([
      [1, 100, 'provider-error'],
      [2, 200, 'provider-error'],
    ]);
  });

  it('honours retryAfterMs from a rate-limited provider', async () => {
    const limited = { error: failure('SIGNET_PROVIDER_RATE_LIMITED', { retryAfterMs: 2_000 }) };
    const { ai, times } = timedProvider('p', [limited, limited, 'finally']);
    const router = createRouter({ deployments: [{ id: 'p', ai, policy: exact }] });
    const pending = router.chat(hello);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 2_000]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(times).toEqual([0, 2_000, 4_000]);
    expect(textOf(await pending)).toBe('finally');
  });

  it('fails over instead of waiting for a Retry-After longer than the policy allows', async () => {
    const { ai, times } = timedProvider('p', [
      { error: failure('SIGNET_PROVIDER_RATE_LIMITED', { retryAfterMs: 60_000 }) },
    ]);
    const backup = createScriptedProvider({ name: 'backup', fallback: 'backup answer' });
    const router = createRouter({
      deployments: [
        { id: 'p', ai, policy: { retry: { maxRetryAfterMs: 30_000 } } },
        { id: 'backup', ai: backup },
      ],
    });
    expect(textOf(await router.chat(hello))).toBe('backup answer');
    expect(times).toEqual([0]);
  });

  it('gives up after maxRetries and fails over with the reason', async () => {
    const { ai, times } = timedProvider('p', Array(5).fill({ error: failure('SIGNET_PROVIDER_TIMEOUT') }));
    const backup = createScriptedProvider({ name: 'backup', fallback: 'backup answer' });
    const router = createRouter({
      deployments: [
        { id: 'p', ai, policy: exact },
        { id: 'backup', ai: backup },
      ],
    });
    const pending = router.chat(hello);
    await vi.advanceTimersByTimeAsync(1_000);
    const response = await pending;
    expect(times).toHaveLength(3);
    expect(
      response instanceof ReadableStream ? undefined : response.providerMetadata?.signetRouter?.route,
    ).toBe('p:timeout → p:timeout → p:timeout → backup:ok');
  });

  it('does not retry or fail over a rejected request', async () => {
    const { ai, times } = timedProvider('p', [{ error: failure('SIGNET_PROVIDER_REJECTED') }]);
    const backup = createScriptedProvider({ name: 'backup', fallback: 'never' });
    const router = createRouter({
      deployments: [
        { id: 'p', ai, policy: exact },
        { id: 'backup', ai: backup },
      ],
    });
    const error = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_REJECTED');
    expect(times).toEqual([0]);
    expect(backup.calls).toHaveLength(0);
  });

  it('fails over on an auth error at once, without retrying', async () => {
    const { ai, times } = timedProvider('p', [{ error: failure('SIGNET_PROVIDER_AUTH') }]);
    const backup = createScriptedProvider({ name: 'backup', fallback: 'backup answer' });
    const router = createRouter({
      deployments: [
        { id: 'p', ai, policy: exact },
        { id: 'backup', ai: backup },
      ],
    });
    const events = collectEvents(router);
    expect(textOf(await router.chat(hello))).toBe('backup answer');
    expect(times).toEqual([0]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
    expect(events.find((e) => e.type === 'fallback')).toMatchObject({
      from: 'p',
      to: 'backup',
      reason: 'auth',
    });
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    const { ai, times } = timedProvider('p', [{ error: failure('SIGNET_PROVIDER_ERROR') }, 'late']);
    const router = createRouter({
      deployments: [{ id: 'p', ai, policy: { retry: { initialDelayMs: 10_000, jitter: 'none' } } }],
    });
    const controller = new AbortController();
    const pending = router.chat(hello, { abortSignal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(((await pending) as SignetError).code).toBe('SIGNET_ABORTED');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(times).toEqual([0]);
  });
});
