import type { ErrorCode } from '../errors/error-catalog.ts';
import type { FailureDecision } from './classify-failure.ts';
import type { RouteReason } from './route-reason.ts';

/** State of a deployment's circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Which service method a call came through. */
export type RouterOperation = 'chat' | 'embed' | 'transcribe' | 'speak';

/** Fields every per-call event carries. */
interface CallEventBase {
  /** Number of the router call, unique per router; ties the events of one call together. */
  readonly callId: number;
  /** Service method of the call. */
  readonly operation: RouterOperation;
  /** Router clock (`now()`) when the event was emitted. */
  readonly at: number;
}

/** An attempt on a deployment starts (the first try or a retry). */
export interface AttemptEvent extends CallEventBase {
  readonly type: 'attempt';
  /** Deployment tried. */
  readonly deployment: string;
  /** Try number on this deployment within the call, from 1. */
  readonly attempt: number;
}

/** An attempt failed with a retryable error and will be repeated after a delay. */
export interface RetryEvent extends CallEventBase {
  readonly type: 'retry';
  /** Deployment retried. */
  readonly deployment: string;
  /** Number of the failed try, from 1. */
  readonly attempt: number;
  /** Wait before the next try, in ms (at least the upstream's Retry-After). */
  readonly delayMs: number;
  /** Why the try failed. */
  readonly reason: RouteReason;
  /** Signet code of the failure. */
  readonly code: ErrorCode;
}

/** The call moves on to the next deployment in the chain. */
export interface FallbackEvent extends CallEventBase {
  readonly type: 'fallback';
  /** Deployment that failed or was skipped. */
  readonly from: string;
  /** Deployment tried next. */
  readonly to: string;
  /** Why `from` was left. */
  readonly reason: RouteReason;
}

/** A deployment answered. For a stream this is the first chunk; a later failure emits `failure` with phase `stream`. */
export interface SuccessEvent extends CallEventBase {
  readonly type: 'success';
  /** Deployment that answered. */
  readonly deployment: string;
  /** Tries on that deployment, from 1. */
  readonly attempt: number;
  /** Latency of the successful try, in ms (to the first chunk for a stream). */
  readonly latencyMs: number;
}

/** A deployment failed for good within this call (after its retries), or its stream broke after the first chunk. */
export interface FailureEvent extends CallEventBase {
  readonly type: 'failure';
  /** Deployment that failed. */
  readonly deployment: string;
  /** Why. */
  readonly reason: RouteReason;
  /** Signet code of the failure. */
  readonly code: ErrorCode;
  /** Error message (never prompt text). */
  readonly message: string;
  /** `request`: before any output, so the router may fail over; `stream`: after the first chunk, the stream ended with this error. */
  readonly phase: 'request' | 'stream';
  /** What the router did next (`terminal` for stream failures: no failover after the first chunk). */
  readonly decision: FailureDecision;
}

/** A deployment's circuit breaker changed state (not tied to one call). */
export interface BreakerEvent {
  readonly type: 'breaker';
  /** Deployment whose breaker changed. */
  readonly deployment: string;
  /** New state. */
  readonly state: BreakerState;
  /** Previous state. */
  readonly previous: BreakerState;
  /** Router clock when it changed. */
  readonly at: number;
}

/** Everything the router reports. */
export type RouterEvent =
  | AttemptEvent
  | RetryEvent
  | FallbackEvent
  | SuccessEvent
  | FailureEvent
  | BreakerEvent;

/** A subscriber; exceptions it throws are ignored so metrics can never break routing. */
export type RouterListener = (event: RouterEvent) => void;

/** Options of `router.on`. */
export interface ListenOptions {
  /** Unsubscribes when aborted, e.g. the signal of the run whose events are being collected. */
  readonly signal?: AbortSignal | undefined;
}

/** A tiny typed event hub. */
export interface RouterEvents {
  /** Subscribes; returns the unsubscribe function. */
  on(listener: RouterListener, options?: ListenOptions): () => void;
  /** Sends an event to every subscriber. */
  emit(event: RouterEvent): void;
}

/** Creates an event hub (one per router). */
export function createRouterEvents(): RouterEvents {
  const listeners = new Set<RouterListener>();
  return {
    on(listener, options = {}) {
      const { signal } = options;
      if (signal?.aborted) return () => {};
      // Wrapped so the same function can subscribe twice and unsubscribe each subscription on its own.
      const entry: RouterListener = (event) => listener(event);
      const off = () => {
        listeners.delete(entry);
        signal?.removeEventListener('abort', off);
      };
      listeners.add(entry);
      signal?.addEventListener('abort', off, { once: true });
      return off;
    },
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // A failing subscriber (metrics, logging) must not change the outcome of a call.
        }
      }
    },
  };
}
