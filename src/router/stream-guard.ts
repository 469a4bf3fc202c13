import { SignetError } from '../errors/signet-error.ts';
import { ROUTER_REASON } from './route-reason.ts';

/** The three timers of a streamed upstream call, in ms. */
export interface StreamTimers {
  /** From the request to the first chunk. */
  readonly firstTokenMs: number;
  /** Longest gap between two chunks. */
  readonly idleMs: number;
  /** From the request to the last chunk. */
  readonly totalMs: number;
}

/** Timers around one streamed upstream call. */
export interface StreamGuard {
  /** Signal for the upstream call: aborted when a timer fires or the caller aborts. */
  readonly signal: AbortSignal;
  /** Waits for a pending upstream call, failing when the first-token or total timer fires first. */
  race<T>(pending: Promise<T>): Promise<T>;
  /**
   * The upstream stream with the timers applied: when one fires, the stream ends with a
   * SIGNET_PROVIDER_TIMEOUT error (`details.timer`: `first-token`, `idle` or `total`) and the upstream is
   * aborted and cancelled. Cancelling the returned stream cancels the upstream too.
   */
  wrap<T>(stream: ReadableStream<T>): ReadableStream<T>;
  /** Clears the timers (the stream ended or was handed back). */
  dispose(): void;
}

/** Options of `createStreamGuard`. */
export interface StreamGuardOptions extends StreamTimers {
  /** Deployment id, for error messages. */
  readonly deployment: string;
  /** The caller's signal; its abort ends the stream with SIGNET_ABORTED and aborts the upstream. */
  readonly signal?: AbortSignal | undefined;
}

/** Starts the first-token and total timers now; the idle timer runs while waiting for each later chunk. */
export function createStreamGuard(options: StreamGuardOptions): StreamGuard {
  const controller = new AbortController();
  let rejectFailed: (error: SignetError) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {}); // observed by race() and wrap() only when they are waiting
  let failure: SignetError | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let firstToken: ReturnType<typeof setTimeout> | undefined;
  let total: ReturnType<typeof setTimeout> | undefined;

  const clear = () => {
    clearTimeout(firstToken);
    clearTimeout(idle);
    clearTimeout(total);
    options.signal?.removeEventListener('abort', onAbort);
  };
  const fail = (error: SignetError) => {
    if (failure !== undefined) return;
    failure = error;
    clear();
    controller.abort(error);
    rejectFailed(error);
  };
  const timeout = (timer: 'first-token' | 'idle' | 'total', ms: number) =>
    fail(
      new SignetError('SIGNET_PROVIDER_TIMEOUT', timeoutMessage(options.deployment, timer, ms), {
        details: {
          deployment: options.deployment,
          timer,
          timeoutMs: ms,
          ...(timer === 'total' ? {} : { [ROUTER_REASON]: `${timer}-timeout` }),
        },
      }),
    );
  const onAbort = () =>
    fail(
      new SignetError(
        'SIGNET_ABORTED',
        `the stream from deployment "${options.deployment}" was aborted by its caller`,
        {
          cause: options.signal?.reason,
          details: { deployment: options.deployment },
        },
      ),
    );

  if (options.signal?.aborted) onAbort();
  else {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    firstToken = setTimeout(() => timeout('first-token', options.firstTokenMs), options.firstTokenMs);
    total = setTimeout(() => timeout('total', options.totalMs), options.totalMs);
  }

  let seenFirst = false;

  return {
    signal: controller.signal,
    race: (pending) => Promise.race([pending, failed]),
    wrap<T>(stream: ReadableStream<T>): ReadableStream<T> {
      const reader = stream.getReader();
      const stop = (reason: unknown) => {
        clear();
        reader.cancel(reason).catch(() => {});
      };
      return new ReadableStream<T>(
        {
          async pull(out) {
            // The idle timer runs only while a reader waits on the upstream, so a slow consumer is not
            // mistaken for a stalled provider.
            if (seenFirst && failure === undefined) {
              idle = setTimeout(() => timeout('idle', options.idleMs), options.idleMs);
            }
            try {
              const next = await Promise.race([reader.read(), failed]);
              clearTimeout(idle);
              if (next.done) {
                clear();
                out.close();
                return;
              }
              if (!seenFirst) clearTimeout(firstToken);
              seenFirst = true;
              out.enqueue(next.value);
            } catch (error) {
              stop(error);
              out.error(failure ?? error);
            }
          },
          cancel(reason) {
            if (!controller.signal.aborted) controller.abort(reason);
            stop(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
    dispose: clear,
  };
}

function timeoutMessage(deployment: string, timer: 'first-token' | 'idle' | 'total', ms: number): string {
  switch (timer) {
    case 'first-token':
      return `deployment "${deployment}" sent no output within ${ms} ms (first-token timeout)`;
    case 'idle':
      return `deployment "${deployment}" stalled for ${ms} ms in the middle of its stream (idle timeout)`;
    default:
      return `deployment "${deployment}" did not finish its stream within ${ms} ms (total timeout)`;
  }
}
