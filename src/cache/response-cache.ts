import type { FieldValues } from '../signature/signature-types.ts';
import type { NamespaceSize } from '../store/store.ts';
import type { CacheKeys } from './execution-cache-key.ts';

/**
 * How a run uses the cache: `read` takes a stored answer but stores nothing, `write` always calls the
 * model and stores its answer, `on` does both, `off` neither. Default: `on` at temperature 0 (the same
 * request gives the same answer), `off` otherwise.
 */
export type CacheMode = 'off' | 'read' | 'write' | 'on';

/** Which lookup answered: the same inputs, or inputs close enough in meaning. */
export type CacheKind = 'exact' | 'semantic';

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

/** What a run asks the cache: its keys and inputs. */
export interface CacheQuery {
  /** The hashes it is cached under (`executionCacheKeys()`). */
  readonly keys: CacheKeys;
  /** The validated inputs (the semantic cache embeds them). */
  readonly inputs: FieldValues;
  /** Also look for a stored answer to near-identical inputs (needs a cache built with `semantic`). */
  readonly semantic?: boolean | undefined;
  /** Aborts an embedding in flight. */
  readonly signal?: AbortSignal | undefined;
}

/** A stored answer found for a query. */
export interface CacheLookup {
  readonly answer: CachedAnswer;
  readonly kind: CacheKind;
  /** Hash of the inputs the answer was stored for (not the query's, on a semantic hit). */
  readonly inputsHash: string;
  /** Cosine similarity of the query's inputs to those, on a semantic hit. */
  readonly similarity?: number | undefined;
}

/** Counters of one cache since it was created. */
export interface CacheStats {
  readonly hits: number;
  readonly semanticHits: number;
  readonly misses: number;
  /** Runs that had the cache but did not read it (mode `off` or `write`). */
  readonly bypasses: number;
  readonly writes: number;
  /** Entries removed past the byte budget or their TTL. */
  readonly evictions: number;
  /** Lookups, writes or embeddings that failed (a miss or a skipped write, never a failed run). */
  readonly errors: number;
}

/** What the cache reports as it works, for metrics. */
export type CacheEvent =
  | {
      readonly type: 'lookup';
      readonly kind: CacheKind;
      readonly result: 'hit' | 'miss' | 'bypass';
      /** Seconds the lookup took (0 for a bypass). */
      readonly seconds: number;
    }
  | { readonly type: 'evict'; readonly count: number }
  | { readonly type: 'error'; readonly during: 'lookup' | 'write' | 'embed'; readonly error: unknown };

/**
 * A response cache: answers by exact key, and optionally by meaning. A failing backend never fails a
 * run: a lookup that fails is a miss and a write that fails is skipped, both counted in `errors`.
 * Writes are queued and written in batches off the request path (`flush()` waits for them).
 */
export interface ResponseCache {
  /** The stored answer for the query, or undefined (a miss). */
  lookup(query: CacheQuery): Promise<CacheLookup | undefined>;
  /** Queues an answer to store under the query's key. */
  save(query: CacheQuery, answer: CachedAnswer): void;
  /** Counts a run that had the cache but did not read it. */
  bypass(): void;
  /** Resolves once every queued write is stored (or has failed and been counted). */
  flush(): Promise<void>;
  /** Entries and bytes the cache holds in its store. */
  size(): Promise<NamespaceSize>;
  /** Removes every stored answer; returns how many there were. */
  clear(): Promise<number>;
  /** Counters so far. */
  stats(): CacheStats;
  /** Adds a listener of lookups, evictions and failures (for metrics and logs); returns its removal. */
  observe(listener: (event: CacheEvent) => void): () => void;
}
