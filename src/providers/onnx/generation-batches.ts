import type { OnnxGenerateRequest, OnnxGenerateResult } from './onnx-generate-request.ts';

/** A generate request waiting to join a batch, with the promise its caller awaits. */
export interface PendingGeneration {
  readonly request: OnnxGenerateRequest;
  /** Settles when a batch containing this request finishes (or it fails on its own). */
  readonly result: Promise<OnnxGenerateResult>;
  settled: boolean;
}

/** Per-engine bookkeeping of requests waiting to be batched, keyed by model reference. */
export interface GenerationBatches {
  /** Registers a request as waiting for its model. */
  enqueue(request: OnnxGenerateRequest): PendingGeneration;
  /** `first` plus every other waiting request it can share a pass with (same sampling), removed from waiting. */
  take(first: PendingGeneration): PendingGeneration[];
  /**
   * Up to `room` waiting requests that may join the running batch `first` started, removed from waiting.
   * None while a request that samples differently waits for the model: the batch then drains, so the
   * queue reaches that request instead of a stream of joiners starving it.
   */
  join(first: PendingGeneration, room: number): PendingGeneration[];
  /** Resolves or rejects a request (once). */
  settle(
    item: PendingGeneration,
    outcome: { ok: true; value: OnnxGenerateResult } | { ok: false; error: unknown },
  ): void;
  /** Drops a request from the waiting list (after it settled or failed to queue). */
  forget(item: PendingGeneration): void;
}

/** Two requests can share a batched pass when they sample the same way. */
function compatible(a: OnnxGenerateRequest, b: OnnxGenerateRequest): boolean {
  const greedy = (r: OnnxGenerateRequest) => (r.temperature ?? 0) === 0;
  if (greedy(a) && greedy(b)) return true;
  return a.temperature === b.temperature && (a.topP ?? 1) === (b.topP ?? 1);
}

/** Creates the waiting lists of one engine; `maxBatchSize` caps a batch. */
export function createGenerationBatches(maxBatchSize: number): GenerationBatches {
  const waiting = new Map<string, PendingGeneration[]>();
  const settlers = new WeakMap<
    PendingGeneration,
    { resolve: (v: OnnxGenerateResult) => void; reject: (e: unknown) => void }
  >();

  const forget = (item: PendingGeneration): void => {
    const list = waiting.get(item.request.model);
    if (list === undefined) return;
    const index = list.indexOf(item);
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) waiting.delete(item.request.model);
  };

  /** Up to `room` waiting requests compatible with `first`, removed from waiting. */
  const pick = (first: PendingGeneration, room: number): PendingGeneration[] => {
    const picked: PendingGeneration[] = [];
    for (const item of [...(waiting.get(first.request.model) ?? [])]) {
      if (picked.length >= room) break;
      if (item.settled || item.request.signal?.aborted === true || !compatible(first.request, item.request))
        continue;
      picked.push(item);
      forget(item);
    }
    return picked;
  };

  return {
    enqueue(request) {
      let resolve!: (v: OnnxGenerateResult) => void;
      let reject!: (e: unknown) => void;
      const result = new Promise<OnnxGenerateResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // The caller awaits `result` only after its queue turn; never let an early rejection go unhandled.
      result.catch(() => {});
      const item: PendingGeneration = { request, result, settled: false };
      settlers.set(item, { resolve, reject });
      const list = waiting.get(request.model) ?? [];
      list.push(item);
      waiting.set(request.model, list);
      return item;
    },
    take(first) {
      forget(first);
      return [first, ...pick(first, maxBatchSize - 1)];
    },
    join(first, room) {
      const list = waiting.get(first.request.model) ?? [];
      const live = list.filter((item) => !item.settled && item.request.signal?.aborted !== true);
      if (live.some((item) => !compatible(first.request, item.request))) return [];
      return pick(first, room);
    },
    settle(item, outcome) {
      if (item.settled) return;
      item.settled = true;
      const settler = settlers.get(item);
      if (outcome.ok) settler?.resolve(outcome.value);
      else settler?.reject(outcome.error);
    },
    forget,
  };
}
