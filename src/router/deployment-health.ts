import type { ErrorCode } from '../errors/error-catalog.ts';
import { countsAgainstDeployment, failureCode } from './classify-failure.ts';
import type { BreakerState } from './router-events.ts';

/** A deployment's health as the router sees it, for `router.health()`, readiness checks and metrics. */
export interface DeploymentHealth {
  /** Deployment id. */
  readonly id: string;
  /** Circuit breaker state (`open` and `half-open` mean calls fail over). */
  readonly breaker: BreakerState;
  /** Latency of the last successful try, in ms (to the first chunk for a stream). */
  readonly lastLatencyMs: number | undefined;
  /** Message of the last failure that counted against the deployment. */
  readonly lastError: string | undefined;
  /** Code of that failure. */
  readonly lastErrorCode: ErrorCode | undefined;
  /** Router clock when the last failure happened. */
  readonly lastErrorAt: number | undefined;
  /** Failures in a row since the last success (breaker-independent: counts every call). */
  readonly consecutiveFailures: number;
  /** Calls running on the deployment now. */
  readonly inFlight: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
}

/** What a tracker needs from the live policies. */
export interface LiveState {
  /** Current breaker state. */
  breaker(): BreakerState;
  /** Calls running now. */
  inFlight(): number;
  /** Calls waiting now. */
  queued(): number;
}

/** Collects a deployment's outcomes. */
export interface HealthTracker {
  /** Records a successful try. */
  success(latencyMs: number): void;
  /** Records a failed try (ignored unless it says the deployment is unhealthy). */
  failure(error: unknown, at: number): void;
  /** The current picture. */
  snapshot(): DeploymentHealth;
}

/** Creates the tracker of one deployment. */
export function createHealthTracker(id: string, live: LiveState): HealthTracker {
  let lastLatencyMs: number | undefined;
  let lastError: string | undefined;
  let lastErrorCode: ErrorCode | undefined;
  let lastErrorAt: number | undefined;
  let consecutiveFailures = 0;
  return {
    success(latencyMs) {
      lastLatencyMs = latencyMs;
      consecutiveFailures = 0;
    },
    failure(error, at) {
      if (!countsAgainstDeployment(error)) return;
      consecutiveFailures++;
      lastError = error instanceof Error ? error.message : String(error);
      lastErrorCode = failureCode(error);
      lastErrorAt = at;
    },
    snapshot: () => ({
      id,
      breaker: live.breaker(),
      lastLatencyMs,
      lastError,
      lastErrorCode,
      lastErrorAt,
      consecutiveFailures,
      inFlight: live.inFlight(),
      queued: live.queued(),
    }),
  };
}
