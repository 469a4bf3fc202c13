/** What one closed-loop run of a chaos cell saw. */
export interface ChaosLoadResult {
  /** Requests sent. */
  readonly requests: number;
  /** Requests answered 2xx. */
  readonly answered: number;
  /** Latency of every request, ms (answered or not). */
  readonly latenciesMs: readonly number[];
  /** Latency of the answered requests, ms. */
  readonly answeredMs: readonly number[];
  /** Latency of the 503s, ms. */
  readonly refusedMs: readonly number[];
  /** How many 503s carried a `Retry-After` header. */
  readonly refusedWithRetryAfter: number;
  /** Count of each status (0: the connection failed). */
  readonly statuses: Readonly<Record<number, number>>;
  /** When the first 503 was answered, in ms from the start of the run (undefined: none). */
  readonly firstRefusalMs: number | undefined;
}

/** Options of `runChaosLoad`. */
export interface ChaosLoadOptions {
  readonly url: string;
  readonly body: string;
  /** Clients sending at once; each sends its next request when the last one ended. */
  readonly concurrency: number;
  /** Requests in all; or run for `durationMs` instead. */
  readonly requests?: number;
  /** How long to keep sending, in ms (when `requests` is absent). */
  readonly durationMs?: number;
  readonly signal: AbortSignal;
}

/**
 * A closed loop of `concurrency` clients over keep-alive connections (Node's fetch). Unlike the http
 * suite's autocannon runs, error answers are the point here: every status is counted, not refused.
 */
export async function runChaosLoad(options: ChaosLoadOptions): Promise<ChaosLoadResult> {
  let next = 0;
  const begun = performance.now();
  const more = () =>
    options.requests === undefined
      ? performance.now() - begun < (options.durationMs ?? 1_000)
      : next < options.requests;
  let firstRefusalMs: number | undefined;
  let answered = 0;
  let refusedWithRetryAfter = 0;
  const latenciesMs: number[] = [];
  const answeredMs: number[] = [];
  const refusedMs: number[] = [];
  const statuses: Record<number, number> = {};
  const client = async () => {
    while (more() && !options.signal.aborted) {
      next++;
      const started = performance.now();
      let status = 0;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: options.body,
        });
        await response.arrayBuffer();
        status = response.status;
        retryAfter = response.headers.get('retry-after');
      } catch {
        // A connection that failed counts as status 0.
      }
      const ms = performance.now() - started;
      latenciesMs.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        answered++;
        answeredMs.push(ms);
      } else if (status === 503) {
        refusedMs.push(ms);
        firstRefusalMs ??= performance.now() - begun;
        if (retryAfter !== null) refusedWithRetryAfter++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  options.signal.throwIfAborted();
  return {
    requests: latenciesMs.length,
    answered,
    latenciesMs,
    answeredMs,
    refusedMs,
    refusedWithRetryAfter,
    statuses,
    firstRefusalMs,
  };
}
