import { CircuitState, type IBreaker } from 'cockatiel';

/** Options of `FailureRateBreaker`. */
export interface FailureRateBreakerOptions {
  /** Failure proportion, 0 < threshold < 1, above which the breaker opens. */
  readonly threshold: number;
  /** Length of the sliding window, in ms. */
  readonly windowMs: number;
  /** Settled tries per second the judged part of the window must average before its rate counts. */
  readonly minimumRps: number;
}

/** How a try ended, as the breaker counts it. */
export type TryOutcome = 'success' | 'failure' | 'neutral';

/** Tries started within one slice of the window. */
interface Bucket {
  startedAt: number;
  successes: number;
  failures: number;
  inFlight: number;
}

/** Most buckets a window is cut into (a finer cut judges sooner; each bucket is at least 100 ms). */
const MAX_BUCKETS = 20;

/**
 * A failure-rate breaker over a sliding window, with tries counted by when they *started*. Failures often
 * come back faster than answers (a 500 in 5 ms, an answer in 500 ms), so the rate among tries that have
 * settled so far over-counts failures: under load, the first moments of a partial fault read as a total
 * one. Here the rate is judged only over tries that started before the oldest try still in flight, a
 * cohort whose every outcome is known. A try in flight for longer than the window stops holding the
 * judgement back. The router calls `begin()` when a try starts and `settle()` when it ends; cockatiel
 * calls `success()`/`failure()` and opens the circuit when `failure()` says so.
 */
export class FailureRateBreaker implements IBreaker {
  readonly #options: FailureRateBreakerOptions;
  readonly #bucketMs: number;
  readonly #minimumTotal: number;
  readonly #buckets: Bucket[] = [];

  constructor(options: FailureRateBreakerOptions) {
    this.#options = options;
    this.#bucketMs = Math.max(100, options.windowMs / MAX_BUCKETS);
    this.#minimumTotal = (options.windowMs / 1000) * options.minimumRps;
  }

  /** Counts are not worth persisting: they describe the last few seconds. */
  get state(): unknown {
    return undefined;
  }

  set state(_value: unknown) {}

  /** A try starts; pass what it returns to `settle()` when the try ends. */
  begin(): object {
    const now = Date.now();
    this.#expire(now);
    let bucket = this.#buckets.at(-1);
    if (bucket === undefined || now - bucket.startedAt >= this.#bucketMs) {
      bucket = { startedAt: now, successes: 0, failures: 0, inFlight: 0 };
      this.#buckets.push(bucket);
    }
    bucket.inFlight++;
    return bucket;
  }

  /** A try that `begin()` returned `token` for ended. */
  settle(token: object, outcome: TryOutcome): void {
    const bucket = token as Bucket;
    // A bucket that left the window is no longer counted.
    if (!this.#buckets.includes(bucket)) return;
    bucket.inFlight--;
    if (outcome === 'success') bucket.successes++;
    else if (outcome === 'failure') bucket.failures++;
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) this.#reset();
  }

  failure(state: CircuitState): boolean {
    // A failed half-open probe opens the breaker again.
    if (state !== CircuitState.Closed) return true;
    this.#expire(Date.now());
    let failures = 0;
    let total = 0;
    for (const bucket of this.#buckets) {
      if (bucket.inFlight > 0) break;
      failures += bucket.failures;
      total += bucket.failures + bucket.successes;
    }
    return total >= this.#minimumTotal && total > 0 && failures > this.#options.threshold * total;
  }

  #expire(now: number): void {
    while (
      this.#buckets.length > 0 &&
      now - (this.#buckets[0] as Bucket).startedAt >= this.#options.windowMs
    ) {
      this.#buckets.shift();
    }
  }

  #reset(): void {
    for (const bucket of this.#buckets) {
      bucket.failures = 0;
      bucket.successes = 0;
    }
  }
}
