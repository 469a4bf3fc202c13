import { CircuitState, type IBreaker } from 'cockatiel';

/** Options of `FailureRateBreaker`. */
export interface FailureRateBreakerOptions {
  /** Failure proportion, 0 < threshold < 1, above which the breaker opens. */
  readonly threshold: number;
  /** Length of the sliding window, in ms. */
  readonly windowMs: number;
  /** Completed tries per second the window must average before its rate counts. */
  readonly minimumRps: number;
  /** Tries in flight now (started, not yet settled): they count as calls that have not failed. */
  readonly inFlight: () => number;
}

interface Bucket {
  startedAt: number;
  failures: number;
  successes: number;
}

/**
 * A failure-rate breaker over a sliding window (buckets of at most a second), like cockatiel's
 * SamplingBreaker, with one difference: tries still in flight count in the denominator. Failures often
 * come back faster than answers (a 500 in 5 ms, an answer in 500 ms), so among completed tries alone
 * the first moments of a partial fault under load read as a total one and would open the breaker.
 */
export class FailureRateBreaker implements IBreaker {
  readonly #options: FailureRateBreakerOptions;
  readonly #bucketMs: number;
  readonly #minimumTotal: number;
  #buckets: Bucket[];
  #current = 0;

  constructor(options: FailureRateBreakerOptions) {
    this.#options = options;
    const count = Math.max(5, Math.ceil(options.windowMs / 1000));
    this.#bucketMs = options.windowMs / count;
    this.#minimumTotal = (options.windowMs / 1000) * options.minimumRps;
    this.#buckets = Array.from({ length: count }, () => ({ startedAt: 0, failures: 0, successes: 0 }));
  }

  get state(): unknown {
    return { buckets: this.#buckets.map((b) => ({ ...b })), current: this.#current };
  }

  set state(value: unknown) {
    const saved = value as { buckets?: Bucket[]; current?: number } | undefined;
    if (saved?.buckets?.length === this.#buckets.length && typeof saved.current === 'number') {
      this.#buckets = saved.buckets.map((b) => ({ ...b }));
      this.#current = saved.current;
    }
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) this.#reset();
    this.#bucket().successes++;
  }

  failure(state: CircuitState): boolean {
    this.#bucket().failures++;
    // A failed half-open probe opens the breaker again.
    if (state !== CircuitState.Closed) return true;
    const { failures, successes } = this.#totals();
    const completed = failures + successes;
    if (completed < this.#minimumTotal) return false;
    return failures > this.#options.threshold * (completed + this.#options.inFlight());
  }

  #bucket(): Bucket {
    const now = Date.now();
    const current = this.#buckets[this.#current] as Bucket;
    if (now - current.startedAt < this.#bucketMs) return current;
    this.#current = (this.#current + 1) % this.#buckets.length;
    const next = { startedAt: now, failures: 0, successes: 0 };
    this.#buckets[this.#current] = next;
    return next;
  }

  #totals(): { failures: number; successes: number } {
    const now = Date.now();
    let failures = 0;
    let successes = 0;
    for (const bucket of this.#buckets) {
      if (now - bucket.startedAt >= this.#options.windowMs) continue;
      failures += bucket.failures;
      successes += bucket.successes;
    }
    return { failures, successes };
  }

  #reset(): void {
    for (const bucket of this.#buckets) Object.assign(bucket, { startedAt: 0, failures: 0, successes: 0 });
  }
}
