import { createSeededRandom } from '../tiny-models/seeded-random.ts';
import type { UpstreamRequest } from './fake-upstream-types.ts';

/** How one generation call fails. */
export type UpstreamFault =
  /** The kind's error body with this status; `retry-after` (seconds) when given; 429s get rate-limit headers. */
  | { readonly type: 'status'; readonly status: number; readonly retryAfterS?: number }
  /** Reads the request and never answers, until the client or `close()` ends the connection. */
  | { readonly type: 'hang' }
  /**
   * Destroys the connection: with a TCP reset before any byte (default), or after `afterChunks` stream
   * events were written (a plain answer then stops half way through its body).
   */
  | { readonly type: 'reset'; readonly afterChunks?: number }
  /**
   * 200 with a body that is not valid JSON; for a stream, the middle event is cut short (Ax's SSE parser
   * and the `ollama` client log and skip such an event, so the streamed text loses one piece).
   */
  | { readonly type: 'malformed' }
  /** A normal answer with stream events `chunkDelayMs` apart (a plain answer waits as long in total). */
  | { readonly type: 'slow'; readonly chunkDelayMs: number };

/**
 * Which generation calls fail: a share of them drawn from a seeded generator (`seed` default 1, so a
 * run is repeatable), or a function of the call number (1-based, counting generation calls) and request.
 */
export type FaultPlan =
  | { readonly rate: number; readonly fault: UpstreamFault; readonly seed?: number }
  | ((call: number, request: UpstreamRequest) => UpstreamFault | undefined);

/** Decides the fault of each generation call; a fresh generator per plan. */
export type FaultPicker = (call: number, request: UpstreamRequest) => UpstreamFault | undefined;

/** The picker of a plan (`undefined`: no call fails). */
export function createFaultPicker(plan: FaultPlan | undefined): FaultPicker {
  if (plan === undefined) return () => undefined;
  if (typeof plan === 'function') return plan;
  const random = createSeededRandom(plan.seed ?? 1);
  return () => (random.next() < plan.rate ? plan.fault : undefined);
}
