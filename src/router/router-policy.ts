import {
  type BulkheadPolicy,
  bulkhead,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  fullJitterGenerator,
  halfJitterGenerator,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  isBrokenCircuitError,
  noJitterGenerator,
  type RetryPolicy,
  retry,
  TimeoutStrategy,
  timeout,
} from 'cockatiel';
import { SignetError } from '../errors/signet-error.ts';
import { classifyFailure, countsAgainstDeployment } from './classify-failure.ts';
import type { DeploymentPolicy, RetryOptions } from './deployment-policy.ts';
import { FailureRateBreaker } from './failure-rate-breaker.ts';
import type { BreakerState } from './router-events.ts';
import { breakerOpenError, toRouterFailure } from './to-router-failure.ts';

/** A failed try that the retry policy will repeat. */
export interface RetryNotice {
  /** Number of the failed try, from 1. */
  readonly attempt: number;
  /** Wait before the next try, in ms. */
  readonly delayMs: number;
  /** The failure (already a signet error). */
  readonly error: unknown;
}

/**
 * The cockatiel policies of one deployment. The breaker and bulkhead are shared by every call (that is
 * what makes them work); a retry policy is made per call so its events belong to that call.
 * Order of one try: breaker → bulkhead (bounded queue) → timeout → provider.
 */
export interface PolicyStack {
  /** The deployment's circuit breaker. */
  readonly breaker: CircuitBreakerPolicy;
  /** The deployment's concurrency limit. */
  readonly bulkhead: BulkheadPolicy;
  /** The breaker's state in the router's vocabulary. */
  breakerState(): BreakerState;
  /**
   * Runs one try. With `timed`, the policy's total timeout applies (non-streamed calls; streams time
   * themselves). Everything thrown comes out as a signet error.
   */
  attempt<T>(fn: (signal: AbortSignal) => Promise<T>, options: AttemptOptions): Promise<T>;
  /** A retry policy for one call: retries only what `classifyFailure` calls `retry`, honouring `retryAfterMs`. */
  retryPolicy(onRetry: (notice: RetryNotice) => void): RetryPolicy;
}

/** Options of one try. */
export interface AttemptOptions {
  /** The caller's signal. */
  readonly signal?: AbortSignal | undefined;
  /** Whether the total timeout applies. */
  readonly timed: boolean;
}

/** Builds the policy stack of one deployment. */
export function createPolicyStack(deployment: string, policy: DeploymentPolicy): PolicyStack {
  // The failure-rate breaker counts each try from its start (queued in the bulkhead or running).
  const rate =
    policy.breaker.consecutiveFailures === undefined
      ? new FailureRateBreaker(policy.breaker.failureRate)
      : undefined;
  const breakerPolicy = circuitBreaker(handleWhen(countsAgainstDeployment), {
    halfOpenAfter: policy.breaker.halfOpenAfterMs,
    breaker: rate ?? new ConsecutiveBreaker(policy.breaker.consecutiveFailures ?? 1),
  });
  // When the open breaker lets a probe through again, for the Retry-After of the calls it refuses.
  let probeAt = 0;
  breakerPolicy.onBreak(() => {
    probeAt = Date.now() + policy.breaker.halfOpenAfterMs;
  });
  const refused = () => breakerOpenError(deployment, Math.max(probeAt - Date.now(), 1_000));
  const limit = bulkhead(policy.bulkhead.maxConcurrent, policy.bulkhead.maxQueued);
  const total = timeout(policy.timeoutMs, TimeoutStrategy.Aggressive);
  const site = (signal: AbortSignal | undefined) => ({ deployment, signal, timeoutMs: policy.timeoutMs });

  return {
    breaker: breakerPolicy,
    bulkhead: limit,
    breakerState: () => breakerStateName(breakerPolicy.state),
    async attempt(fn, { signal, timed }) {
      // Cockatiel makes calls wait for a half-open probe; the router fails over instead.
      if (breakerPolicy.state === CircuitState.HalfOpen) throw refused();
      try {
        return await breakerPolicy.execute(async () => {
          const token = rate?.begin();
          try {
            const value = await limit.execute(
              ({ signal: slot }) =>
                timed ? total.execute(({ signal: timer }) => fn(timer), slot) : fn(slot),
              signal,
            );
            if (token !== undefined) rate?.settle(token, 'success');
            return value;
          } catch (error) {
            // Normalized inside the breaker, so it can tell a provider failure from a caller's abort,
            // a timeout or the bulkhead's own rejection.
            const failure = toRouterFailure(error, site(signal));
            if (token !== undefined) {
              rate?.settle(token, countsAgainstDeployment(failure) ? 'failure' : 'neutral');
            }
            throw failure;
          }
        }, signal);
      } catch (error) {
        if (isBrokenCircuitError(error) && !signal?.aborted) throw refused();
        throw toRouterFailure(error, site(signal));
      }
    },
    retryPolicy(onRetry) {
      const retryable = (error: Error) =>
        classifyFailure(error, { maxRetryAfterMs: policy.retry.maxRetryAfterMs }) === 'retry';
      const policyForCall = retry(handleWhen(retryable), {
        maxAttempts: policy.retry.maxRetries,
        backoff: honouringRetryAfter(exponential(policy.retry)),
      });
      policyForCall.onRetry((event) => {
        if ('error' in event) onRetry({ attempt: event.attempt, delayMs: event.delay, error: event.error });
      });
      return policyForCall;
    },
  };
}

function exponential(options: RetryOptions): IBackoffFactory<unknown> {
  const base = { initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs };
  switch (options.jitter) {
    case 'none':
      return new ExponentialBackoff({ ...base, generator: noJitterGenerator });
    case 'full':
      return new ExponentialBackoff({ ...base, generator: fullJitterGenerator });
    case 'half':
      return new ExponentialBackoff({ ...base, generator: halfJitterGenerator });
    default:
      return new ExponentialBackoff({ ...base, generator: decorrelatedJitterGenerator });
  }
}

/** The exponential delay, or the upstream's `retryAfterMs` when that is longer. */
function honouringRetryAfter(
  factory: IBackoffFactory<unknown>,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>>((context, previous) => {
    const backoff = previous === undefined ? factory.next(context) : previous.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfter = SignetError.is(error) ? error.details?.retryAfterMs : undefined;
    const delay = typeof retryAfter === 'number' ? Math.max(retryAfter, backoff.duration) : backoff.duration;
    return { delay, state: backoff };
  });
}

/** Maps a cockatiel circuit state to the router's name for it. */
export function breakerStateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
    default:
      return 'closed';
  }
}
