import { SignetError } from '../errors/signet-error.ts';

/**
 * Why a deployment attempt ended the way it did, in a word a trace or a metric label can carry.
 * Derived from the signet error code (plus the router's own markers), so it is stable.
 */
export type RouteReason =
  | 'ok'
  | 'timeout'
  | 'first-token-timeout'
  | 'idle-timeout'
  | 'provider-error'
  | 'rate-limited'
  | 'unavailable'
  | 'breaker-open'
  | 'bulkhead-full'
  | 'auth'
  | 'quota'
  | 'model-not-found'
  | 'model-invalid'
  | 'context-too-long'
  | 'context-window-too-small'
  | 'no-embeddings'
  | 'rejected'
  | 'aborted'
  | 'output-invalid'
  | 'other';

/** Key in `SignetError.details` where the router marks failures it raised itself (breaker, bulkhead, timers). */
export const ROUTER_REASON = 'routerReason';

/** The reason code for a failure; errors that are not signet errors count as `provider-error`. */
export function reasonOf(error: unknown): RouteReason {
  if (!SignetError.is(error)) return 'provider-error';
  const marked = error.details?.[ROUTER_REASON];
  if (typeof marked === 'string' && isMarker(marked)) return marked;
  switch (error.code) {
    case 'SIGNET_PROVIDER_TIMEOUT':
      return 'timeout';
    case 'SIGNET_PROVIDER_ERROR':
      return 'provider-error';
    case 'SIGNET_PROVIDER_RATE_LIMITED':
      return 'rate-limited';
    case 'SIGNET_PROVIDER_UNAVAILABLE':
      return 'unavailable';
    case 'SIGNET_PROVIDER_AUTH':
      return 'auth';
    case 'SIGNET_PROVIDER_QUOTA':
      return 'quota';
    case 'SIGNET_MODEL_NOT_FOUND':
      return 'model-not-found';
    case 'SIGNET_MODEL_INVALID':
      return 'model-invalid';
    case 'SIGNET_CONTEXT_TOO_LONG':
      return 'context-too-long';
    case 'SIGNET_PROVIDER_REJECTED':
      return 'rejected';
    case 'SIGNET_ABORTED':
      return 'aborted';
    case 'SIGNET_OUTPUT_INVALID':
      return 'output-invalid';
    default:
      return 'other';
  }
}

const MARKERS = new Set<string>(['breaker-open', 'bulkhead-full', 'first-token-timeout', 'idle-timeout']);

function isMarker(value: string): value is RouteReason {
  return MARKERS.has(value);
}
