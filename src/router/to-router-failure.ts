import {
  AxAIServiceAuthenticationError,
  AxAIServiceNetworkError,
  AxAIServiceStatusError,
  AxAIServiceTimeoutError,
} from '@ax-llm/ax';
import { isBrokenCircuitError, isBulkheadRejectedError } from 'cockatiel';
import { SignetError } from '../errors/signet-error.ts';
import { providerError } from '../providers/shared/provider-error.ts';
import { ROUTER_REASON } from './route-reason.ts';

/** Where a failure happened, to name it and to tell a caller's abort from a timeout. */
export interface FailureSite {
  /** Deployment id. */
  readonly deployment: string;
  /** The caller's signal: when it is aborted, every failure is an abort. */
  readonly signal?: AbortSignal | undefined;
  /** The total timeout that applied, for the message of a timeout. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Turns whatever an attempt threw into a signet error: signet errors pass through, cockatiel's breaker,
 * bulkhead and timeout errors become the router's own, Ax transport errors go through `providerError`,
 * anything else counts as SIGNET_PROVIDER_ERROR.
 */
export function toRouterFailure(error: unknown, site: FailureSite): SignetError {
  if (site.signal?.aborted) {
    if (SignetError.is(error) && error.code === 'SIGNET_ABORTED') return error;
    return new SignetError(
      'SIGNET_ABORTED',
      `the call to deployment "${site.deployment}" was aborted by its caller`,
      {
        cause: error,
        details: { deployment: site.deployment },
      },
    );
  }
  if (SignetError.is(error)) return error;
  if (isBrokenCircuitError(error)) return breakerOpenError(site.deployment);
  if (isBulkheadRejectedError(error)) return bulkheadFullError(site.deployment);
  if (isTaskCancelled(error) || error instanceof AxAIServiceTimeoutError) {
    const after = site.timeoutMs === undefined ? '' : ` within ${site.timeoutMs} ms`;
    return new SignetError(
      'SIGNET_PROVIDER_TIMEOUT',
      `deployment "${site.deployment}" did not answer${after}`,
      {
        cause: error,
        details: {
          deployment: site.deployment,
          timer: 'total',
          ...(site.timeoutMs === undefined ? {} : { timeoutMs: site.timeoutMs }),
        },
      },
    );
  }
  if (error instanceof AxAIServiceStatusError) {
    return providerError({
      provider: site.deployment,
      status: error.status,
      message: error.message,
      cause: error,
    });
  }
  if (error instanceof AxAIServiceAuthenticationError) {
    return providerError({ provider: site.deployment, status: 401, message: error.message, cause: error });
  }
  if (error instanceof AxAIServiceNetworkError) {
    return providerError({ provider: site.deployment, message: error.message, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SignetError('SIGNET_PROVIDER_ERROR', `deployment "${site.deployment}" failed: ${message}`, {
    cause: error,
    details: { deployment: site.deployment },
  });
}

/**
 * The error for a call refused because the deployment's breaker is open (or probing); `retryAfterMs`
 * (when known) is how long until it is probed again, and becomes the HTTP `Retry-After`.
 */
export function breakerOpenError(deployment: string, retryAfterMs?: number): SignetError {
  return new SignetError(
    'SIGNET_PROVIDER_UNAVAILABLE',
    `deployment "${deployment}" is cooling down after repeated failures (circuit breaker open); it is probed again after its cooldown`,
    {
      details: {
        deployment,
        [ROUTER_REASON]: 'breaker-open',
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    },
  );
}

/** How long a caller refused by a full bulkhead should wait before trying again. */
const BULKHEAD_RETRY_AFTER_MS = 1_000;

/** The error for a call refused because the deployment's concurrency limit and queue are full. */
export function bulkheadFullError(deployment: string): SignetError {
  return new SignetError(
    'SIGNET_PROVIDER_UNAVAILABLE',
    `deployment "${deployment}" is at its concurrency limit and its queue is full; raise policy.bulkhead or add a fallback deployment`,
    { details: { deployment, [ROUTER_REASON]: 'bulkhead-full', retryAfterMs: BULKHEAD_RETRY_AFTER_MS } },
  );
}

/**
 * cockatiel 3.2.1's `isTaskCancelledError` tests the bulkhead flag by mistake (so does
 * `isIsolatedCircuitError`); this checks the flag TaskCancelledError really carries.
 */
function isTaskCancelled(error: unknown): boolean {
  return error instanceof Error && 'isTaskCancelledError' in error;
}
