import { SignetError } from '../errors/signet-error.ts';
import type { CallContext, DeploymentRunner, RunOutcome } from './deployment-runner.ts';
import { type RouteReason, reasonOf } from './route-reason.ts';
import { describeRoute, type RouteAttempt, type RouteRecord } from './route-record.ts';
import type { RouterEvents, RouterOperation } from './router-events.ts';

/** A route record while its call is running. */
export interface LiveRouteRecord extends RouteRecord {
  deployment: string | undefined;
  readonly attempts: RouteAttempt[];
  streamError?: {
    readonly reason: RouteReason;
    readonly code: SignetError['code'];
    readonly message: string;
  };
}

/** Options of `routeCall`. */
export interface RouteCallOptions<T> {
  /** Deployments in fallback order. */
  readonly runners: readonly DeploymentRunner[];
  /** Record of the call, filled in as it goes. */
  readonly record: LiveRouteRecord;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** Where fallback events go. */
  readonly events: RouterEvents;
  /** Router clock. */
  readonly now: () => number;
  /** Runs the call on one deployment. */
  readonly run: (runner: DeploymentRunner, context: CallContext) => Promise<RunOutcome<T>>;
  /** Why a deployment cannot serve this call at all (e.g. `no-embeddings`), or undefined. */
  readonly skip?: ((runner: DeploymentRunner) => RouteReason | undefined) | undefined;
}

/**
 * The fallback chain: tries deployments in order until one answers. Each deployment retries on its own
 * (see the runner); a deployment that fails for good passes the call on unless the failure is terminal.
 * After SIGNET_CONTEXT_TOO_LONG only deployments with a larger context window are tried.
 */
export async function routeCall<T>(options: RouteCallOptions<T>): Promise<T> {
  const { runners, record } = options;
  let contextFloor: number | undefined;
  let left: { readonly id: string; readonly reason: RouteReason } | undefined;
  let lastError: SignetError | undefined;
  const skipReason = (runner: DeploymentRunner): RouteReason | undefined => {
    const own = options.skip?.(runner);
    if (own !== undefined) return own;
    const window = runner.deployment.contextWindow ?? 0;
    return contextFloor !== undefined && window <= contextFloor ? 'context-window-too-small' : undefined;
  };

  for (const [index, runner] of runners.entries()) {
    const id = runner.deployment.id;
    const skipped = skipReason(runner);
    if (skipped !== undefined) {
      record.attempts.push({ deployment: id, attempt: 0, outcome: 'skipped', reason: skipped, latencyMs: 0 });
      left = { id, reason: skipped };
      continue;
    }
    if (left !== undefined) {
      options.events.emit({
        type: 'fallback',
        ...callOf(record),
        from: left.id,
        to: id,
        reason: left.reason,
        at: options.now(),
      });
    }
    const later = runners.slice(index + 1).filter((r) => options.skip?.(r) === undefined);
    const context: CallContext = {
      ...callOf(record),
      signal: options.signal,
      failureContext: {
        largestRemainingContextWindow: Math.max(0, ...later.map((r) => r.deployment.contextWindow ?? 0)),
      },
      record: (attempt) => record.attempts.push(attempt),
      streamFailed: (error) => {
        record.streamError = { reason: reasonOf(error), code: error.code, message: error.message };
      },
    };
    const outcome = await options.run(runner, context);
    if (outcome.ok) {
      record.deployment = id;
      return outcome.value;
    }
    if (outcome.decision === 'terminal') throw outcome.error;
    if (outcome.error.code === 'SIGNET_CONTEXT_TOO_LONG') contextFloor = runner.deployment.contextWindow ?? 0;
    lastError = outcome.error;
    left = { id, reason: reasonOf(outcome.error) };
  }
  throw exhausted(record, lastError);
}

function callOf(record: RouteRecord): { callId: number; operation: RouterOperation } {
  return { callId: record.callId, operation: record.operation };
}

function exhausted(record: RouteRecord, last: SignetError | undefined): SignetError {
  const route = describeRoute(record);
  if (last === undefined) {
    return new SignetError(
      'SIGNET_PROVIDER_UNAVAILABLE',
      `no deployment can serve ${record.operation} (${route}); add a deployment that supports it`,
      { details: { route } },
    );
  }
  return new SignetError(last.code, `every deployment failed (${route}); last: ${last.message}`, {
    cause: last,
    details: { ...last.details, route },
    ...(last.issues === undefined ? {} : { issues: last.issues }),
  });
}
