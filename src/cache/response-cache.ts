import type { FieldValues } from '../signature/signature-types.ts';

/**
 * How a run uses the cache: `read` takes a stored answer but stores nothing, `write` always calls the
 * model and stores its answer, `on` does both, `off` neither. Default: `on` at temperature 0 (the same
 * request gives the same answer), `off` otherwise.
 */
export type CacheMode = 'off' | 'read' | 'write' | 'on';

/** An answer as the cache keeps it: what a run returned, and where it came from. */
export interface CachedAnswer {
  /** The validated outputs. */
  readonly outputs: FieldValues;
  /** Provider (deployment) that answered. */
  readonly provider: string;
  /** Model that answered. */
  readonly model: string;
  /** Tokens the original run used (a hit uses none). */
  readonly usage: {
    readonly promptTokens: number;
    readonly completionTokens: number;
    readonly totalTokens: number;
  };
  /** Request id of the run that produced the answer, when it had one. */
  readonly requestId?: string | undefined;
  /** When it was stored, in ms since the epoch. */
  readonly savedAt: number;
}

/** Counters of one cache since it was created. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly writes: number;
  /** Lookups or writes that failed (each counted as a miss or a skipped write, never a failed run). */
  readonly errors: number;
}

/**
 * An exact response cache: answers by key (see `executionCacheKey`). A failing backend never fails a
 * run: a lookup that fails is a miss and a write that fails is skipped, both counted in `errors`.
 */
export interface ResponseCache {
  /** The stored answer for `key`, or undefined (a miss). */
  lookup(key: string): Promise<CachedAnswer | undefined>;
  /** Stores an answer under `key`. */
  save(key: string, answer: CachedAnswer): Promise<void>;
  /** Counters so far. */
  stats(): CacheStats;
}
