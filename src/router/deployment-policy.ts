/** How long to wait between retries of one deployment. */
export interface RetryOptions {
  /** Retries after the first try, on retryable failures only (default 2; 3 for a deployment alone). */
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

/** The failure rate that opens a breaker, measured over a sliding window. */
export interface FailureRateOptions {
  /** Failure proportion of tries, 0 < threshold < 1, above which the breaker opens (default 0.5; 0.95 alone). */
  readonly threshold: number;
  /** Length of the sampling window, in ms (default 10000). */
  readonly windowMs: number;
  /** Tries per second the window must average before its rate counts (default 1: 10 tries in 10 s). */
  readonly minimumRps: number;
}

/** When a deployment's circuit breaker opens and when it is probed again. */
export interface BreakerOptions {
  /**
   * Open after this many failures in a row instead (cockatiel's ConsecutiveBreaker). Unset by default:
   * under concurrency, failures of calls in flight together read as one run.
   */
  readonly consecutiveFailures?: number | undefined;
  /** The failure rate over a sliding window that opens the breaker (the default rule; see `FailureRateBreaker`). */
  readonly failureRate: FailureRateOptions;
  /** Cooldown before one half-open probe call is let through, in ms (default 10000). */
  readonly halfOpenAfterMs: number;
}

/** How many calls a deployment serves at once and how many may wait. */
export interface BulkheadOptions {
  /**
   * Calls in flight at once. Default: a local engine's `capabilities.maxConcurrency` (its batch capacity),
   * else 8; 512 for a deployment over HTTP (cloud APIs, Ollama), whose server queues on its side.
   */
  readonly maxConcurrent: number;
  /** Calls waiting for a slot; one more is rejected with SIGNET_PROVIDER_UNAVAILABLE (default 16; 512 over HTTP). */
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
  readonly breaker?: {
    readonly consecutiveFailures?: number | undefined;
    readonly failureRate?: Partial<FailureRateOptions>;
    readonly halfOpenAfterMs?: number;
  };
  /** Overrides of the bulkhead defaults. */
  readonly bulkhead?: Partial<BulkheadOptions>;
}

/** What a deployment's defaults depend on. */
export interface PolicyDefaultsContext {
  /** The provider's `capabilities.maxConcurrency`, when it declares one. */
  readonly maxConcurrency?: number | undefined;
  /** True for a provider reached over HTTP, whose server queues on its side (cloud APIs, Ollama). */
  readonly overHttp?: boolean | undefined;
  /** True when the deployment is the router's only one: there is nowhere to fail over to. */
  readonly alone?: boolean | undefined;
}

/** The defaults, for documentation and tests (a local deployment with a fallback). */
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
  breaker: { failureRate: { threshold: 0.5, windowMs: 10_000, minimumRps: 1 }, halfOpenAfterMs: 10_000 },
  bulkhead: { maxConcurrent: 8, maxQueued: 16 },
};

/** Bulkhead of a deployment over HTTP: sized for a gateway, since the upstream queues (and rate-limits) itself. */
export const httpBulkhead: BulkheadOptions = { maxConcurrent: 512, maxQueued: 512 };

/**
 * Failure-rate threshold of a deployment with nowhere to fail over to: only an upstream that is (nearly)
 * down opens its breaker, so a partial fault is answered by retries instead of refusing everyone.
 */
export const ALONE_FAILURE_THRESHOLD = 0.95;

/**
 * Retries of a deployment with nowhere to fail over to: one more than with a fallback, since retrying is
 * its only way to answer (a 30% fault then loses 0.8% of calls instead of 2.7%).
 */
export const ALONE_MAX_RETRIES = 3;

/** Merges options over the defaults that fit the deployment (see `PolicyDefaultsContext`). */
export function resolveDeploymentPolicy(
  options: DeploymentPolicyOptions = {},
  context: PolicyDefaultsContext = {},
): DeploymentPolicy {
  const base = defaultDeploymentPolicy;
  const bulkhead =
    context.overHttp === true
      ? httpBulkhead
      : { ...base.bulkhead, maxConcurrent: context.maxConcurrency ?? base.bulkhead.maxConcurrent };
  const alone = context.alone === true;
  const threshold = alone ? ALONE_FAILURE_THRESHOLD : base.breaker.failureRate.threshold;
  const consecutiveFailures = options.breaker?.consecutiveFailures;
  const policy: DeploymentPolicy = {
    timeoutMs: options.timeoutMs ?? base.timeoutMs,
    firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? base.firstTokenTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? base.idleTimeoutMs,
    retry: { ...base.retry, ...(alone ? { maxRetries: ALONE_MAX_RETRIES } : {}), ...options.retry },
    breaker: {
      ...(consecutiveFailures === undefined ? {} : { consecutiveFailures }),
      failureRate: { ...base.breaker.failureRate, threshold, ...options.breaker?.failureRate },
      halfOpenAfterMs: options.breaker?.halfOpenAfterMs ?? base.breaker.halfOpenAfterMs,
    },
    bulkhead: { ...bulkhead, ...options.bulkhead },
  };
  check(policy);
  return policy;
}

function check(policy: DeploymentPolicy): void {
  const positive = {
    timeoutMs: policy.timeoutMs,
    firstTokenTimeoutMs: policy.firstTokenTimeoutMs,
    idleTimeoutMs: policy.idleTimeoutMs,
    'breaker.consecutiveFailures': policy.breaker.consecutiveFailures ?? 1,
    'breaker.failureRate.windowMs': policy.breaker.failureRate.windowMs,
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
    'breaker.failureRate.minimumRps': policy.breaker.failureRate.minimumRps,
    'bulkhead.maxQueued': policy.bulkhead.maxQueued,
  };
  for (const [name, value] of Object.entries(nonNegative)) {
    if (!(value >= 0)) throw new RangeError(`deployment policy: ${name} must be zero or more, got ${value}`);
  }
  const { threshold } = policy.breaker.failureRate;
  if (!(threshold > 0 && threshold < 1)) {
    throw new RangeError(
      `deployment policy: breaker.failureRate.threshold must be between 0 and 1 (exclusive), got ${threshold}`,
    );
  }
}
