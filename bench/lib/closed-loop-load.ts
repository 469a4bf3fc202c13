import autocannon from 'autocannon';

/** A closed-loop HTTP load: every connection sends its next request as soon as the last one answered. */
export interface ClosedLoopLoadOptions {
  /** Target URL (loopback). */
  readonly url: string;
  /** JSON request body, sent as `POST`. */
  readonly body: string;
  /** Concurrent keep-alive connections. */
  readonly connections: number;
  /** How long to run, in ms (used when `amount` is absent). */
  readonly durationMs?: number;
  /** Requests to complete instead of a duration. */
  readonly amount?: number;
  /** Stops the run and rejects. */
  readonly signal: AbortSignal;
}

/** What a closed-loop run measured. */
export interface ClosedLoopLoadResult {
  /** Responses received (all 2xx, or the run throws). */
  readonly responses: number;
  /** Latency of every response, ms, from request written to response read (autocannon's clock). */
  readonly latenciesMs: readonly number[];
  /** Wall time from autocannon's start to its end, ms: throughput = responses / wallMs. */
  readonly wallMs: number;
}

/**
 * Runs autocannon (programmatic API, pipelining 1) and keeps every response's latency, so several runs
 * can be summarized together. Any non-2xx answer or connection error fails the run: a benchmark of
 * error responses (a rate limit, a 503) would measure the wrong thing.
 */
export function runClosedLoopLoad(options: ClosedLoopLoadOptions): Promise<ClosedLoopLoadResult> {
  options.signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const latenciesMs: number[] = [];
    let firstBadStatus: number | undefined;
    let started = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.body,
        connections: options.connections,
        pipelining: 1,
        // Sample every 50 ms so a timed run ends within 50 ms of its duration (it ends on a sample).
        sampleInt: 50,
        ...(options.amount === undefined
          ? { duration: (options.durationMs ?? 1000) / 1000 }
          : { amount: options.amount }),
      },
      (error, result) => {
        const wallMs = performance.now() - started;
        options.signal.removeEventListener('abort', onAbort);
        if (options.signal.aborted) return reject(options.signal.reason);
        if (error !== null) return reject(error);
        if (result.non2xx > 0 || result.errors > 0) {
          const status = firstBadStatus === undefined ? '' : ` (first status ${firstBadStatus})`;
          return reject(
            new Error(
              `${options.url}: ${result.non2xx} non-2xx responses${status} and ${result.errors} connection errors (${result.timeouts} timeouts)`,
            ),
          );
        }
        resolve({ responses: latenciesMs.length, latenciesMs, wallMs });
      },
    );
    const onAbort = (): void => instance.stop();
    options.signal.addEventListener('abort', onAbort, { once: true });
    instance.once('start', () => {
      started = performance.now();
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(ms);
      else firstBadStatus ??= statusCode;
    });
  });
}
