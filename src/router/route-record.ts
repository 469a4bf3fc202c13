import type { ErrorCode } from '../errors/error-catalog.ts';
import type { RouteReason } from './route-reason.ts';
import type { RouterOperation } from './router-events.ts';

/** What became of one try on one deployment. */
export type AttemptOutcome = 'ok' | 'retry' | 'failover' | 'terminal' | 'skipped';

/** One try on one deployment (or a deployment skipped without a try). */
export interface RouteAttempt {
  /** Deployment id. */
  readonly deployment: string;
  /** Try number on that deployment within the call, from 1 (0 when skipped). */
  readonly attempt: number;
  /** What happened next: answered, retried, failed over, stopped, or skipped. */
  readonly outcome: AttemptOutcome;
  /** Why, as a stable reason code (`ok` on success). */
  readonly reason: RouteReason;
  /** Signet code of the failure, when it failed. */
  readonly code?: ErrorCode;
  /** Error message, when it failed (never prompt text). */
  readonly message?: string;
  /** Time the try took, in ms (to the first chunk for a stream). */
  readonly latencyMs: number;
  /** Wait before the retry, in ms, when retried. */
  readonly delayMs?: number;
}

/** How one router call was routed: which deployments were tried, why each was left, which one answered. */
export interface RouteRecord {
  /** Number of the call, matching the `callId` of its events. */
  readonly callId: number;
  /** Service method of the call. */
  readonly operation: RouterOperation;
  /** Deployment that answered, if any. */
  readonly deployment: string | undefined;
  /** Every try, in order. */
  readonly attempts: readonly RouteAttempt[];
  /** For a stream that broke after its first chunk: why it ended with an error. */
  readonly streamError?: { readonly reason: RouteReason; readonly code: ErrorCode; readonly message: string };
}

/**
 * A one-line summary for traces and logs, e.g. `primary:timeout → primary:timeout → backup:ok`
 * (each try as `deployment:reason`; a broken stream adds `✗ stream:idle-timeout`).
 */
export function describeRoute(record: Pick<RouteRecord, 'attempts' | 'streamError'>): string {
  const steps = record.attempts.map(
    (a) => `${a.deployment}:${a.outcome === 'skipped' ? `skipped(${a.reason})` : a.reason}`,
  );
  const line = steps.join(' → ');
  return record.streamError === undefined ? line : `${line} ✗ stream:${record.streamError.reason}`;
}
