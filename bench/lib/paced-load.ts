import { setTimeout as sleep } from 'node:timers/promises';

/** How to drive a fixed request rate. */
export interface PacedLoadOptions {
  /** Requests per second to start, whatever the responses do (an open loop). */
  readonly ratePerSecond: number;
  /** How long to keep starting requests, in ms; requests still in flight are then awaited. */
  readonly durationMs: number;
  /** Starts one request; its promise settles when the response has been read. A rejection fails the load. */
  readonly send: () => Promise<void>;
  /** Stops starting requests (in-flight ones are still awaited), then rejects with the reason. */
  readonly signal?: AbortSignal;
  /** Clock in ms (default `performance.now`); injectable for tests. */
  readonly now?: () => number;
  /** Waits between scheduling ticks (default a 1 ms timer); injectable for tests. */
  readonly tick?: () => Promise<void>;
}

/** What a paced load did. */
export interface PacedLoadResult {
  /** Requests started. */
  readonly sent: number;
  /** Time from the first request to the last one, in ms (not counting the drain): rate = (sent - 1) / scheduleMs. */
  readonly scheduleMs: number;
}

/**
 * Requests due by `elapsedMs` on a fixed schedule: one at time 0, then one every `1000 / rate` ms.
 * Rounded down, so the load is never ahead of schedule.
 */
export function requestsDue(elapsedMs: number, ratePerSecond: number): number {
  if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
  if (elapsedMs < 0) return 0;
  return Math.floor((elapsedMs * ratePerSecond) / 1000) + 1;
}

/**
 * Starts requests at a fixed rate for a fixed time, without waiting for responses (an open loop, so a
 * slow server cannot slow the load down and hide its own latency). Timers are coarse, so every tick
 * starts all requests that have come due since the last one: the schedule is kept on average, in bursts
 * of at most a tick's worth (1-2 requests at 1,000/s).
 */
export async function runPaced(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const now = options.now ?? (() => performance.now());
  const tick = options.tick ?? (() => sleep(1));
  const total = Math.ceil((options.durationMs * options.ratePerSecond) / 1000);
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  let firstError: unknown;
  let sent = 0;
  const start = now();
  while (sent < total && !options.signal?.aborted) {
    const due = Math.min(total, requestsDue(now() - start, options.ratePerSecond));
    for (; sent < due; sent++) {
      const request = options.send().catch((error: unknown) => {
        failed++;
        firstError ??= error;
      });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    if (sent < total) await tick();
  }
  const scheduleMs = now() - start;
  await Promise.all(inFlight);
  options.signal?.throwIfAborted();
  if (firstError !== undefined) {
    throw new Error(`${failed} of ${sent} paced requests failed; first: ${describe(firstError)}`, {
      cause: firstError,
    });
  }
  return { sent, scheduleMs };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
