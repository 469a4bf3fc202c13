import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { createRouter, resolveDeploymentPolicy } from '../../src/router/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { hello, textOf } from '../helpers/router-fakes.ts';

const slow = { content: 'slow answer', delayMs: 1_000 };

describe('bulkhead', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('queues up to the bound and rejects the next call with SIGNET_PROVIDER_UNAVAILABLE', async () => {
    const ai = createScriptedProvider({ name: 'local', fallback: slow });
    const router = createRouter({
      deployments: [{ id: 'local', ai, policy: { bulkhead: { maxConcurrent: 1, maxQueued: 1 } } }],
    });
    const running = router.chat(hello);
    const queued = router.chat(hello);
    await vi.advanceTimersByTimeAsync(0);
    expect(router.health()[0]).toMatchObject({ inFlight: 1, queued: 1 });

    const error = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_UNAVAILABLE');
    expect(error.details?.routerReason).toBe('bulkhead-full');
    expect(ai.calls).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(textOf(await running)).toBe('slow answer');
    expect(textOf(await queued)).toBe('slow answer');
    expect(ai.calls).toHaveLength(2);
    expect(router.health()[0]).toMatchObject({ inFlight: 0, queued: 0, breaker: 'closed' });
  });

  it('fails over when the queue is full, without opening the breaker', async () => {
    const ai = createScriptedProvider({ name: 'local', fallback: slow });
    const backup = createScriptedProvider({ name: 'backup', fallback: 'from backup' });
    const router = createRouter({
      deployments: [
        {
          id: 'local',
          ai,
          policy: { bulkhead: { maxConcurrent: 1, maxQueued: 0 }, breaker: { consecutiveFailures: 1 } },
        },
        { id: 'backup', ai: backup },
      ],
    });
    const running = router.chat(hello);
    const overflow = await router.chat(hello);
    expect(textOf(overflow)).toBe('from backup');
    expect(
      overflow instanceof ReadableStream ? undefined : overflow.providerMetadata?.signetRouter?.route,
    ).toBe('local:bulkhead-full → backup:ok');
    expect(router.health()[0]?.breaker).toBe('closed');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(textOf(await running)).toBe('slow answer');
  });
});

describe('bulkhead defaults by where a deployment runs', () => {
  it('gives a deployment over HTTP a gateway-sized limit and keeps a local engine at its own capacity', () => {
    expect(resolveDeploymentPolicy({}, { overHttp: true, maxConcurrency: 4 }).bulkhead).toEqual({
      maxConcurrent: 512,
      maxQueued: 512,
    });
    expect(resolveDeploymentPolicy({}, { overHttp: false, maxConcurrency: 16 }).bulkhead).toEqual({
      maxConcurrent: 16,
      maxQueued: 16,
    });
    expect(resolveDeploymentPolicy({ bulkhead: { maxConcurrent: 64 } }, { overHttp: true }).bulkhead).toEqual(
      {
        maxConcurrent: 64,
        maxQueued: 512,
      },
    );
  });

  it('says when to come back when the queue is full', async () => {
    const ai = createScriptedProvider({ name: 'local', fallback: { content: 'ok', delayMs: 50 } });
    const router = createRouter({
      deployments: [{ id: 'local', ai, policy: { bulkhead: { maxConcurrent: 1, maxQueued: 0 } } }],
    });
    const running = router.chat(hello);
    const error = (await router.chat(hello).catch((e: unknown) => e)) as SignetError;
    expect(error.details?.retryAfterMs).toBe(1_000);
    await running;
  });
});
