import type { AxChatResponse } from '@ax-llm/ax';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignetError } from '../../src/errors/signet-error.ts';
import { createRouter, type FailureEvent } from '../../src/router/index.ts';
import { collectEvents, createStreamingProvider, hello, readAll } from '../helpers/router-fakes.ts';

const noRetry = { retry: { maxRetries: 0 } };

describe('streamed calls', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('relays the chunks and names the deployment', async () => {
    const primary = createStreamingProvider({
      name: 'p',
      steps: [{ text: 'Hel' }, { text: 'lo', delayMs: 100 }],
    });
    const router = createRouter({ deployments: [{ id: 'primary', ai: primary }] });
    const stream = await router.chat(hello, { stream: true });
    if (!(stream instanceof ReadableStream)) throw new Error('expected a stream');
    const chunks: AxChatResponse[] = [];
    const reading = (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })();
    await vi.advanceTimersByTimeAsync(100);
    await reading;
    expect(chunks.map((c) => c.results[0]?.content)).toEqual(['Hel', 'lo']);
    expect(chunks[0]?.providerMetadata?.signetRouter).toMatchObject({
      deployment: 'primary',
      route: 'primary:ok',
    });
    expect(chunks[1]?.modelUsage?.ai).toBe('primary');
  });

  it('falls back before any byte when the first token is late', async () => {
    const primary = createStreamingProvider({ name: 'p', steps: [{ text: 'late', delayMs: 60_000 }] });
    const backup = createStreamingProvider({ name: 'b', steps: [{ text: 'from ' }, { text: 'backup' }] });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary, policy: { ...noRetry, firstTokenTimeoutMs: 1_000 } },
        { id: 'backup', ai: backup },
      ],
    });
    const events = collectEvents(router);
    const pending = router.chat(hello, { stream: true });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await readAll(await pending)).toBe('from backup');
    expect(primary.signals[0]?.aborted).toBe(true);
    expect(events.find((e) => e.type === 'fallback')).toMatchObject({
      from: 'primary',
      to: 'backup',
      reason: 'first-token-timeout',
    });
  });

  it('ends the stream with an error on an idle gap after the first token, without failing over', async () => {
    const primary = createStreamingProvider({
      name: 'p',
      steps: [{ text: 'first' }, { text: 'stalled', delayMs: 60_000 }],
    });
    const backup = createStreamingProvider({ name: 'b', steps: [{ text: 'never' }] });
    const router = createRouter({
      deployments: [
        { id: 'primary', ai: primary, policy: { idleTimeoutMs: 2_000 } },
        { id: 'backup', ai: backup },
      ],
    });
    const recording = router.recording();
    const events = collectEvents(router);
    const stream = await recording.chat(hello, { stream: true });
    if (!(stream instanceof ReadableStream)) throw new Error('expected a stream');
    const reader = stream.getReader();
    expect((await reader.read()).value?.results[0]?.content).toBe('first');
    const next = reader.read().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    const error = (await next) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_TIMEOUT');
    expect(error.details).toMatchObject({ timer: 'idle', timeoutMs: 2_000 });
    expect(primary.signals[0]?.aborted).toBe(true);
    expect(backup.signals).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    const failure = events.find((e): e is FailureEvent => e.type === 'failure');
    expect(failure).toMatchObject({
      deployment: 'primary',
      phase: 'stream',
      reason: 'idle-timeout',
      decision: 'terminal',
    });
    expect(recording.routes[0]?.streamError).toMatchObject({ reason: 'idle-timeout' });
    expect(router.health()[0]?.consecutiveFailures).toBe(1);
  });

  it('ends a stream that outlives the total timeout with an error', async () => {
    const primary = createStreamingProvider({
      name: 'p',
      steps: [{ text: 'a' }, { text: 'b', delayMs: 800 }, { text: 'c', delayMs: 800 }],
    });
    const router = createRouter({
      deployments: [{ id: 'primary', ai: primary, policy: { timeoutMs: 1_500 } }],
    });
    const stream = await router.chat(hello, { stream: true });
    const reading = readAll(stream).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_500);
    const error = (await reading) as SignetError;
    expect(error.code).toBe('SIGNET_PROVIDER_TIMEOUT');
    expect(error.details?.timer).toBe('total');
  });

  it('propagates an abort to the deployment before and after the first token', async () => {
    const slowStart = createStreamingProvider({ name: 's', steps: [{ text: 'x', delayMs: 5_000 }] });
    const backup = createStreamingProvider({ name: 'b', steps: [{ text: 'never' }] });
    const router = createRouter({
      deployments: [
        { id: 'slow', ai: slowStart },
        { id: 'backup', ai: backup },
      ],
    });
    const before = new AbortController();
    const pending = router.chat(hello, { stream: true, abortSignal: before.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    before.abort();
    expect(((await pending) as SignetError).code).toBe('SIGNET_ABORTED');
    expect(slowStart.signals[0]?.aborted).toBe(true);
    expect(backup.signals).toHaveLength(0);

    const midway = createStreamingProvider({
      name: 'm',
      steps: [{ text: 'one' }, { text: 'two', delayMs: 5_000 }],
    });
    const second = createRouter({ deployments: [{ id: 'midway', ai: midway }] });
    const after = new AbortController();
    const stream = await second.chat(hello, { stream: true, abortSignal: after.signal });
    const reading = readAll(stream).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    after.abort();
    expect(((await reading) as SignetError).code).toBe('SIGNET_ABORTED');
    expect(midway.signals[0]?.aborted).toBe(true);
  });

  it('releases the bulkhead slot when the reader cancels the stream', async () => {
    const primary = createStreamingProvider({
      name: 'p',
      steps: [{ text: 'one' }, { text: 'two', delayMs: 5_000 }],
    });
    const router = createRouter({ deployments: [{ id: 'primary', ai: primary }] });
    const stream = await router.chat(hello, { stream: true });
    if (!(stream instanceof ReadableStream)) throw new Error('expected a stream');
    const reader = stream.getReader();
    await reader.read();
    expect(router.health()[0]?.inFlight).toBe(1);
    await reader.cancel('enough');
    await vi.advanceTimersByTimeAsync(0);
    expect(router.health()[0]).toMatchObject({ inFlight: 0, consecutiveFailures: 0 });
    expect(primary.signals[0]?.aborted).toBe(true);
  });

  it('frees the slot of a stream nobody reads when its total timeout fires', async () => {
    const primary = createStreamingProvider({ name: 'p', steps: [{ text: 'one' }, { text: 'two' }] });
    const router = createRouter({
      deployments: [{ id: 'primary', ai: primary, policy: { timeoutMs: 3_000 } }],
    });
    const stream = await router.chat(hello, { stream: true });
    expect(router.health()[0]?.inFlight).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(router.health()[0]).toMatchObject({ inFlight: 0, lastErrorCode: 'SIGNET_PROVIDER_TIMEOUT' });
    expect(primary.signals[0]?.aborted).toBe(true);
    const error = (await readAll(stream).catch((e: unknown) => e)) as SignetError;
    expect(error.details?.timer).toBe('total');
  });
});

describe('the stream mode of a call', () => {
  const steps = [{ text: 'Hel' }, { text: 'lo', delayMs: 5 }];

  it('asks a provider that streams by default for a plain answer when the caller names no mode', async () => {
    const provider = createStreamingProvider({ name: 'cloud', steps, streams: 'by-default' });
    const router = createRouter({ deployments: [{ id: 'cloud', ai: provider }] });
    const answer = await router.chat(hello, {});
    expect(answer).not.toBeInstanceOf(ReadableStream);
    expect(await readAll(answer)).toBe('Hello');
    expect(provider.streamOptions).toEqual([false]);
  });

  it('reads a stream that a provider returns to a plain call inside the try, so its timeout cannot cancel it', async () => {
    const provider = createStreamingProvider({ name: 'cloud', steps, streams: 'always' });
    const router = createRouter({ deployments: [{ id: 'cloud', ai: provider }] });
    const answer = await router.chat(hello, { stream: false });
    expect(provider.signals[0]?.aborted).toBe(true);
    const chunks: AxChatResponse[] = [];
    if (!(answer instanceof ReadableStream)) throw new Error('expected the replayed stream');
    for await (const chunk of answer) chunks.push(chunk);
    expect(chunks.map((c) => c.results[0]?.content)).toEqual(['Hel', 'lo']);
    expect(chunks[0]?.providerMetadata?.signetRouter).toMatchObject({ deployment: 'cloud' });
    expect(chunks[1]?.modelUsage?.ai).toBe('cloud');
  });

  it("streams when the router's own options ask for it", async () => {
    const provider = createStreamingProvider({ name: 'cloud', steps });
    const router = createRouter({ deployments: [{ id: 'cloud', ai: provider }] });
    router.setOptions({ stream: true });
    const answer = await router.chat(hello);
    expect(answer).toBeInstanceOf(ReadableStream);
    expect(await readAll(answer)).toBe('Hello');
    expect(provider.streamOptions).toEqual([true]);
  });
});
