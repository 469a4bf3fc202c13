import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { createStreamGuard } from '../../src/router/index.ts';

const timers = { firstTokenMs: 1_000, idleMs: 500, totalMs: 10_000 };

describe('createStreamGuard', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails a pending upstream call at the first-token timeout and aborts it', async () => {
    const guard = createStreamGuard({ ...timers, deployment: 'd' });
    const pending = guard.race(new Promise(() => {})).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = (await pending) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_TIMEOUT');
    expect(error.details).toMatchObject({ timer: 'first-token', routerReason: 'first-token-timeout' });
    expect(guard.signal.aborted).toBe(true);
  });

  it('does not count a slow reader against the idle timer', async () => {
    const guard = createStreamGuard({ ...timers, deployment: 'd' });
    const upstream = new ReadableStream<string>({
      start(out) {
        out.enqueue('a');
        out.enqueue('b');
        out.close();
      },
    });
    const reader = guard.wrap(upstream).getReader();
    expect((await reader.read()).value).toBe('a');
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await reader.read()).value).toBe('b');
    expect((await reader.read()).done).toBe(true);
    expect(guard.signal.aborted).toBe(false);
  });

  it('cancels the upstream when the guarded stream is cancelled', async () => {
    const guard = createStreamGuard({ ...timers, deployment: 'd' });
    const cancelled: unknown[] = [];
    const upstream = new ReadableStream<string>({ cancel: (reason) => void cancelled.push(reason) });
    await guard.wrap(upstream).cancel('stop');
    expect(cancelled).toEqual(['stop']);
    expect(guard.signal.aborted).toBe(true);
  });
});
