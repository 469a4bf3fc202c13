import type { AxChatResponse } from '@ax-llm/ax';
import { SignetError } from '../errors/signet-error.ts';
import type { PolicyStack } from './router-policy.ts';
import { createStreamGuard, type StreamTimers } from './stream-guard.ts';
import { toRouterFailure } from './to-router-failure.ts';

/** Starts the upstream call; a deployment may answer a stream request with a whole response. */
export type StreamOpener = (signal: AbortSignal) => Promise<AxChatResponse | ReadableStream<AxChatResponse>>;

/** Options of `openStream`. */
export interface OpenStreamOptions {
  /** Deployment id. */
  readonly deployment: string;
  /** First-token, idle and total timers. */
  readonly timers: StreamTimers;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** Starts the upstream call. */
  readonly open: StreamOpener;
  /** Rewrites each streamed chunk when it is read (names the deployment, adds route metadata to the first). */
  readonly decorate: (chunk: AxChatResponse, index: number) => AxChatResponse;
  /** Called when the stream breaks after its first chunk (the consumer gets the same error from the stream). */
  readonly onBroken: (error: SignetError) => void;
}

/**
 * One streamed try through the deployment's breaker and bulkhead. Resolves once the first chunk has
 * arrived, with a stream that replays it and relays the rest; a failure before that rejects (so the
 * router can retry or fail over). After it, no failover: the stream ends with the error. The bulkhead
 * slot and the breaker's verdict last until the stream ends, so a stream that breaks counts as a failure.
 */
export function openStream(
  stack: PolicyStack,
  options: OpenStreamOptions,
): Promise<AxChatResponse | ReadableStream<AxChatResponse>> {
  const { deployment, signal } = options;
  return new Promise((resolve, reject) => {
    let delivered = false;
    const run = stack.attempt(
      async (slot) => {
        const guard = createStreamGuard({ ...options.timers, deployment, signal: slot });
        let upstream: AxChatResponse | ReadableStream<AxChatResponse>;
        try {
          upstream = await guard.race(options.open(guard.signal));
        } catch (error) {
          guard.dispose();
          throw error;
        }
        if (!(upstream instanceof ReadableStream)) {
          guard.dispose();
          delivered = true;
          resolve(upstream);
          return;
        }
        const reader = guard.wrap(upstream).getReader();
        const first = await reader.read();
        if (first.done) {
          throw new SignetError(
            'SIGNET_PROVIDER_ERROR',
            `deployment "${deployment}" ended its stream without output`,
            {
              details: { deployment },
            },
          );
        }
        const { stream, finished } = relay(reader, first.value, options, signal);
        delivered = true;
        resolve(stream);
        // Raced with the guard so that a stream nobody reads still ends (and frees its slot) on a timer.
        await guard.race(finished);
      },
      { signal, timed: false },
    );
    run.catch((error: unknown) => {
      if (!delivered) reject(error);
      else options.onBroken(toRouterFailure(error, { deployment, signal }));
    });
  });
}

/** A stream that replays the first chunk, then relays the rest; `finished` settles when it ends. */
function relay(
  reader: ReadableStreamDefaultReader<AxChatResponse>,
  first: AxChatResponse,
  options: OpenStreamOptions,
  signal: AbortSignal | undefined,
): { stream: ReadableStream<AxChatResponse>; finished: Promise<void> } {
  let settle: (error?: SignetError) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  let index = 0;
  const stream = new ReadableStream<AxChatResponse>(
    {
      async pull(out) {
        // Chunks are decorated when read, after the router has finished its record of the call.
        if (index === 0) {
          out.enqueue(options.decorate(first, index++));
          return;
        }
        try {
          const next = await reader.read();
          if (next.done) {
            out.close();
            settle();
            return;
          }
          out.enqueue(options.decorate(next.value, index++));
        } catch (error) {
          const failure = toRouterFailure(error, { deployment: options.deployment, signal });
          out.error(failure);
          settle(failure);
        }
      },
      cancel(reason) {
        // The consumer stopped reading: not the deployment's fault.
        settle();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, finished };
}
