import { SignetError } from '../../errors/index.ts';

/** Options of {@link createRequestQueue}. */
export interface RequestQueueOptions {
  /** Most requests that may wait behind the running one; more are rejected. */
  readonly maxPending: number;
  /** Name used in error messages (the model reference). */
  readonly name: string;
}

/** Runs tasks one at a time, in arrival order, with a bounded number waiting. */
export interface RequestQueue {
  /**
   * Runs `task` once every earlier task has settled. Rejects with `SIGNET_PROVIDER_UNAVAILABLE` when
   * `maxPending` tasks already wait, and with `SIGNET_ABORTED` when `signal` aborts before it starts.
   * `internal` tasks (disposal) skip the bound.
   */
  run<T>(task: () => Promise<T>, options?: { signal?: AbortSignal; internal?: boolean }): Promise<T>;
  /** Tasks waiting to start (not counting the running one). */
  readonly pending: number;
  /** Whether a task is running now. */
  readonly busy: boolean;
}

/** Creates a FIFO queue with concurrency 1 (one ONNX session never runs two generations at once). */
export function createRequestQueue(options: RequestQueueOptions): RequestQueue {
  const waiting: (() => void)[] = [];
  let busy = false;

  const next = (): void => {
    const start = waiting.shift();
    if (start === undefined) {
      busy = false;
      return;
    }
    start();
  };

  return {
    get pending() {
      return waiting.length;
    },
    get busy() {
      return busy;
    },
    run(task, { signal, internal = false } = {}) {
      if (signal?.aborted === true) {
        return Promise.reject(
          new SignetError('SIGNET_ABORTED', 'Request aborted before it started', { cause: signal.reason }),
        );
      }
      if (!internal && waiting.length >= options.maxPending) {
        return Promise.reject(
          new SignetError(
            'SIGNET_PROVIDER_UNAVAILABLE',
            `Model "${options.name}" already has ${waiting.length} requests waiting; retry later or raise maxQueueLength`,
            { details: { pending: waiting.length } },
          ),
        );
      }
      return new Promise((resolve, reject) => {
        const execute = (): void => {
          signal?.removeEventListener('abort', onAbort);
          Promise.resolve().then(task).then(resolve, reject).finally(next);
        };
        const onAbort = (): void => {
          const index = waiting.indexOf(execute);
          if (index === -1) return;
          waiting.splice(index, 1);
          reject(
            new SignetError('SIGNET_ABORTED', 'Request aborted while waiting for the model', {
              cause: signal?.reason,
            }),
          );
        };
        if (!busy) {
          busy = true;
          execute();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(execute);
      });
    },
  };
}
