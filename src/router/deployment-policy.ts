/** How long to wait between retries of one deployment. */
export interface RetryOptions {
  /** Retries after the first try, on retryable failures only (default 2). */
  readonly maxRetries: number;
  /** Base of the exponential backoff, in ms (default 200). */
  readonly initialDelayMs: number;
  /** Cap on one backoff delay, in ms (default 8000). */
  readonly maxDelayMs: number;
  /** Jitter of the backoff (default `decorrelated`, cockatiel's default; `none` for exact doubling). */
  readonly jitter: 'decorrelated' | 'full' | 'half' | 'none';
  /** Longest `Retry-After` the router waits for; a longer one fails over instead (default 20000). */
  readonly maxRetryAfterMs: number;
}

/** When a deployment's circuit breaker opens and when it is probed again. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker (default 5); ignored when `failureRate` is set. */
  readonly consecutiveFailures: number;
  /** Open on a failure rate over a sliding window instead (cockatiel's SamplingBreaker). */
  readonly failureRate?: {
    /** Failure proportion (0..1) that opens the breaker. */
    readonly threshold: number;
    /** Length of the sampling window, in ms. */
    readonly windowMs: number;
    /** Requests per second needed before the rate counts (cockatiel default: enough for 5 failures/s). */
    readonly minimumRps?: number;
  };
  /** Cooldown before one half-open probe call is let through, in ms (default 10000). */
  readonly halfOpenAfterMs: number;
}

/** How many calls a deployment serves at once and how many may wait. */
export interface BulkheadOptions {
  /** Calls in flight at once (default: the provider's `capabilities.maxConcurrency`, else 8). */
  readonly maxConcurrent: number;
  /** Calls waiting for a slot; one more is rejected with SIGNET_PROVIDER_UNAVAILABLE (default 16). */
  readonly maxQueued: number;
}

/** Every resilience setting of one deployment. */
export interface DeploymentPolicy {
  /** Longest one attempt may take, in ms; for a stream, from the request to its last chunk (default 60000). */
  readonly timeoutMs: number;
  /** Longest a stream may wait for its first chunk, in ms (default 20000). */
  readonly firstTokenTimeoutMs: number;
  /** Longest gap between two chunks of a stream, in ms (default 15000). */
  readonly idleTimeoutMs: number;
  /** Retries with exponential backoff and jitter. */
  readonly retry: RetryOptions;
  /** Circuit breaker. */
  readonly breaker: BreakerOptions;
  /** Concurrency limit with a bounded queue. */
  readonly bulkhead: BulkheadOptions;
}

/** A policy as written in configuration: every field optional, nested groups merged over the defaults. */
export interface DeploymentPolicyOptions {
  /** See `DeploymentPolicy.timeoutMs`. */
  readonly timeoutMs?: number;
  /** See `DeploymentPolicy.firstTokenTimeoutMs`. */
  readonly firstTokenTimeoutMs?: number;
  /** See `DeploymentPolicy.idleTimeoutMs`. */
  readonly idleTimeoutMs?: number;
  /** Overrides of the retry defaults. */
  readonly retry?: Partial<RetryOptions>;
  /** Overrides of the breaker defaults. */
  readonly breaker?: Partial<BreakerOptions>;
  /** Overrides of the bulkhead defaults. */
  readonly bulkhead?: Partial<BulkheadOptions>;
}

/** The defaults, for documentation and tests. */
export const defaultDeploymentPolicy: DeploymentPolicy = {
  timeoutMs: 60_000,
  firstTokenTimeoutMs: 20_000,
  idleTimeoutMs: 15_000,
  retry: {
    maxRetries: 2,
    initialDelayMs: 200,
    maxDelayMs: 8_000,
    jitter: 'decorrelated',
    maxRetryAfterMs: 20_000,
  },
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
  bulkhead: { maxConcurrent: 8, maxQueued: 16 },
};

/** Merges options over the defaults; `maxConcurrency` (from provider capabilities) sets the bulkhead default. */
export function resolveDeploymentPolicy(
  options: DeploymentPolicyOptions = {},
  maxConcurrency?: number,
): DeploymentPolicy {
  const base = defaultDeploymentPolicy;
  const policy: DeploymentPolicy = {
    timeoutMs: options.timeoutMs ?? base.timeoutMs,
    firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? base.firstTokenTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? base.idleTimeoutMs,
    retry: { ...base.retry, ...options.retry },
    breaker: { ...base.breaker, ...options.breaker },
    bulkhead: {
      maxConcurrent: options.bulkhead?.maxConcurrent ?? maxConcurrency ?? base.bulkhead.maxConcurrent,
      maxQueued: options.bulkhead?.maxQueued ?? base.bulkhead.maxQueued,
    },
  };
  check(policy);
  return policy;
}

function check(policy: DeploymentPolicy): void {
  const positive = {
    timeoutMs: policy.timeoutMs,
    firstTokenTimeoutMs: policy.firstTokenTimeoutMs,
    idleTimeoutMs: policy.idleTimeoutMs,
    'breaker.consecutiveFailures': policy.breaker.consecutiveFailures,
    'bulkhead.maxConcurrent': policy.bulkhead.maxConcurrent,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!(value > 0)) throw new RangeError(`deployment policy: ${name} must be positive, got ${value}`);
  }
  const nonNegative = {
    'retry.maxRetries': policy.retry.maxRetries,
    'retry.initialDelayMs': policy.retry.initialDelayMs,
    'retry.maxDelayMs': policy.retry.maxDelayMs,
    'retry.maxRetryAfterMs': policy.retry.maxRetryAfterMs,
    'breaker.halfOpenAfterMs': policy.breaker.halfOpenAfterMs,
    'bulkhead.maxQueued': policy.bulkhead.maxQueued,
  };
  for (const [name, value] of Object.entries(nonNegative)) {
    if (!(value >= 0)) throw new RangeError(`deployment policy: ${name} must be zero or more, got ${value}`);
  }
  const rate = policy.breaker.failureRate;
  if (rate !== undefined && !(rate.threshold > 0 && rate.threshold <= 1 && rate.windowMs > 0)) {
    throw new RangeError(
      'deployment policy: breaker.failureRate needs 0 < threshold <= 1 and a positive windowMs',
    );
  }
}
