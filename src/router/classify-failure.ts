import type { ErrorCode } from '../errors/error-catalog.ts';
import { SignetError } from '../errors/signet-error.ts';
import { ROUTER_REASON } from './route-reason.ts';

/** What the router does after a failed attempt. */
export type FailureDecision = 'retry' | 'failover' | 'terminal';

/** What `classifyFailure` needs to know beyond the error itself. */
export interface FailureContext {
  /** Context window (tokens) of the deployment that failed, when known. */
  readonly contextWindow?: number | undefined;
  /** Largest context window among the deployments still to try; `SIGNET_CONTEXT_TOO_LONG` fails over only below it. */
  readonly largestRemainingContextWindow?: number | undefined;
  /** Longest `Retry-After` worth waiting for; a longer one fails over instead (default: no limit). */
  readonly maxRetryAfterMs?: number | undefined;
}

/** The signet code of any failure: errors that are not signet errors count as `SIGNET_PROVIDER_ERROR`. */
export function failureCode(error: unknown): ErrorCode {
  return SignetError.is(error) ? error.code : 'SIGNET_PROVIDER_ERROR';
}

/**
 * The one place that decides retry vs fail over vs stop. Retryable provider failures (errors, timeouts,
 * rate limits, unavailability) are retried on the same deployment; failures that another deployment may
 * not have (credentials, quota, missing model, open breaker, full queue, a Retry-After longer than the
 * policy waits) fail over; a rejected request or an abort stops. A prompt that is too long fails over
 * only when a deployment with a larger context window is still to come.
 */
export function classifyFailure(error: unknown, context: FailureContext = {}): FailureDecision {
  const code = failureCode(error);
  const details = SignetError.is(error) ? error.details : undefined;
  const marker = details?.[ROUTER_REASON];
  if (marker === 'breaker-open' || marker === 'bulkhead-full') return 'failover';
  switch (code) {
    case 'SIGNET_PROVIDER_ERROR':
    case 'SIGNET_PROVIDER_TIMEOUT':
    case 'SIGNET_PROVIDER_UNAVAILABLE':
    case 'SIGNET_PROVIDER_RATE_LIMITED': {
      const retryAfterMs = details?.retryAfterMs;
      const limit = context.maxRetryAfterMs;
      if (typeof retryAfterMs === 'number' && limit !== undefined && retryAfterMs > limit) return 'failover';
      return 'retry';
    }
    case 'SIGNET_PROVIDER_AUTH':
    case 'SIGNET_PROVIDER_QUOTA':
    case 'SIGNET_MODEL_NOT_FOUND':
    case 'SIGNET_MODEL_INVALID':
      return 'failover';
    case 'SIGNET_CONTEXT_TOO_LONG': {
      const own = context.contextWindow ?? 0;
      const larger = context.largestRemainingContextWindow ?? 0;
      return larger > own ? 'failover' : 'terminal';
    }
    default:
      // SIGNET_PROVIDER_REJECTED, SIGNET_ABORTED, test-double and program errors: another deployment won't help.
      return 'terminal';
  }
}

/**
 * Whether a failure says the deployment itself is unhealthy, and so counts against its circuit breaker.
 * Rejected requests, aborts, prompts that are too long and the router's own rejections (open breaker,
 * full queue) do not.
 */
export function countsAgainstDeployment(error: unknown): boolean {
  const details = SignetError.is(error) ? error.details : undefined;
  const marker = details?.[ROUTER_REASON];
  if (marker === 'breaker-open' || marker === 'bulkhead-full') return false;
  switch (failureCode(error)) {
    case 'SIGNET_PROVIDER_ERROR':
    case 'SIGNET_PROVIDER_TIMEOUT':
    case 'SIGNET_PROVIDER_UNAVAILABLE':
    case 'SIGNET_PROVIDER_RATE_LIMITED':
    case 'SIGNET_PROVIDER_AUTH':
    case 'SIGNET_PROVIDER_QUOTA':
    case 'SIGNET_MODEL_NOT_FOUND':
    case 'SIGNET_MODEL_INVALID':
      return true;
    default:
      return false;
  }
}
