import type { AxChatResponse } from '@ax-llm/ax';
import type { SignetError } from '../errors/signet-error.ts';
import {
  classifyFailure,
  type FailureContext,
  type FailureDecision,
  failureCode,
} from './classify-failure.ts';
import type { Deployment } from './deployment.ts';
import { createHealthTracker, type DeploymentHealth } from './deployment-health.ts';
import { openStream, type StreamOpener } from './open-stream.ts';
import { reasonOf } from './route-reason.ts';
import type { RouteAttempt } from './route-record.ts';
import type { RouterEvents, RouterOperation } from './router-events.ts';
import { breakerStateName, createPolicyStack, type PolicyStack } from './router-policy.ts';
import { toRouterFailure } from './to-router-failure.ts';

/** One router call as a deployment runner sees it. */
export interface CallContext {
  /** Number of the call. */
  readonly callId: number;
  /** Service method. */
  readonly operation: RouterOperation;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** What the final decision needs beyond the error (context windows still to come). */
  readonly failureContext: FailureContext;
  /** Appends a try to the call's route record. */
  record(attempt: RouteAttempt): void;
  /** Notes that a stream broke after its first chunk. */
  streamFailed(error: SignetError): void;
}

/** The result of running a call on one deployment: a value, or the failure and what to do about it. */
export type RunOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SignetError; readonly decision: Exclude<FailureDecision, 'retry'> };

/** One deployment with its policies, health and events. */
export interface DeploymentRunner {
  /** The deployment. */
  readonly deployment: Deployment;
  /** Its cockatiel policies. */
  readonly stack: PolicyStack;
  /** Its current health. */
  health(): DeploymentHealth;
  /** Runs a non-streamed operation: timeout per try, retries on retryable failures. */
  call<T>(context: CallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<RunOutcome<T>>;
  /** Opens a streamed chat: retries and failures happen before the first chunk; after it, the stream ends with an error. */
  stream(
    context: CallContext,
    open: StreamOpener,
    decorate: (chunk: AxChatResponse, index: number) => AxChatResponse,
  ): Promise<RunOutcome<AxChatResponse | ReadableStream<AxChatResponse>>>;
}

/** Creates the runner of one deployment; breaker state changes are reported on `events`. */
export function createDeploymentRunner(
  deployment: Deployment,
  events: RouterEvents,
  now: () => number,
): DeploymentRunner {
  const { id, policy } = deployment;
  const stack = createPolicyStack(id, policy);
  const tracker = createHealthTracker(id, {
    breaker: () => stack.breakerState(),
    inFlight: () => policy.bulkhead.maxConcurrent - stack.bulkhead.executionSlots,
    queued: () => policy.bulkhead.maxQueued - stack.bulkhead.queueSlots,
  });
  let breakerState = stack.breakerState();
  stack.breaker.onStateChange((state) => {
    const previous = breakerState;
    breakerState = breakerStateName(state);
    events.emit({ type: 'breaker', deployment: id, state: breakerState, previous, at: now() });
  });

  async function withRetries<T>(context: CallContext, once: () => Promise<T>): Promise<RunOutcome<T>> {
    const base = { callId: context.callId, operation: context.operation };
    let attempt = 0;
    let latencyMs = 0;
    const retryPolicy = stack.retryPolicy(({ attempt: failed, delayMs, error }) => {
      const reason = reasonOf(error);
      const code = failureCode(error);
      const message = error instanceof Error ? error.message : String(error);
      context.record({
        deployment: id,
        attempt: failed,
        outcome: 'retry',
        reason,
        code,
        message,
        latencyMs,
        delayMs,
      });
      events.emit({
        type: 'retry',
        ...base,
        deployment: id,
        attempt: failed,
        delayMs,
        reason,
        code,
        at: now(),
      });
    });
    const tries = retryPolicy.execute(async () => {
      attempt++;
      events.emit({ type: 'attempt', ...base, deployment: id, attempt, at: now() });
      const started = now();
      try {
        context.signal?.throwIfAborted();
        const value = await once();
        latencyMs = now() - started;
        tracker.success(latencyMs);
        context.record({ deployment: id, attempt, outcome: 'ok', reason: 'ok', latencyMs });
        events.emit({ type: 'success', ...base, deployment: id, attempt, latencyMs, at: now() });
        return value;
      } catch (error) {
        latencyMs = now() - started;
        const failure = toRouterFailure(error, { deployment: id, signal: context.signal });
        tracker.failure(failure, now());
        throw failure;
      }
    }, context.signal);
    try {
      return { ok: true, value: await untilAborted(tries, context.signal, id) };
    } catch (error) {
      const failure = toRouterFailure(error, { deployment: id, signal: context.signal });
      const classified = classifyFailure(failure, {
        ...context.failureContext,
        contextWindow: deployment.contextWindow,
        maxRetryAfterMs: policy.retry.maxRetryAfterMs,
      });
      // Retries are used up (or were not allowed) here: a retryable failure now fails over.
      const decision = classified === 'terminal' ? 'terminal' : 'failover';
      const reason = reasonOf(failure);
      const failed = { reason, code: failure.code, message: failure.message };
      context.record({
        deployment: id,
        attempt: Math.max(attempt, 1),
        outcome: decision,
        ...failed,
        latencyMs,
      });
      events.emit({
        type: 'failure',
        ...base,
        deployment: id,
        ...failed,
        phase: 'request',
        decision,
        at: now(),
      });
      return { ok: false, error: failure, decision };
    }
  }

  return {
    deployment,
    stack,
    health: () => tracker.snapshot(),
    call: (context, fn) =>
      withRetries(context, () => stack.attempt(fn, { signal: context.signal, timed: true })),
    stream: (context, open, decorate) =>
      withRetries(context, () =>
        openStream(stack, {
          deployment: id,
          timers: {
            firstTokenMs: policy.firstTokenTimeoutMs,
            idleMs: policy.idleTimeoutMs,
            totalMs: policy.timeoutMs,
          },
          signal: context.signal,
          open,
          decorate,
          onBroken(error) {
            tracker.failure(error, now());
            context.streamFailed(error);
            const failed = { reason: reasonOf(error), code: error.code, message: error.message };
            events.emit({
              type: 'failure',
              callId: context.callId,
              operation: context.operation,
              deployment: id,
              ...failed,
              phase: 'stream',
              decision: 'terminal',
              at: now(),
            });
          },
        }),
      ),
  };
}

/** Cockatiel's retry delay does not listen to the signal; this settles the call as soon as it is aborted. */
function untilAborted<T>(
  pending: Promise<T>,
  signal: AbortSignal | undefined,
  deployment: string,
): Promise<T> {
  if (signal === undefined) return pending;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toRouterFailure(signal.reason, { deployment, signal }));
    if (signal.aborted) {
      onAbort();
      pending.catch(() => {});
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
