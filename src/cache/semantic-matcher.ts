import type { CacheQuery } from './response-cache.ts';

/** Inputs remembered by a semantic matcher that are close to a query's. */
export interface SemanticMatch {
  /** Exact key the close inputs were answered under. */
  readonly key: string;
  /** Hash of those inputs. */
  readonly inputsHash: string;
  /** Cosine similarity to the query's inputs, at least the matcher's threshold. */
  readonly similarity: number;
}

/** Finds answered inputs that mean the same as a query's, within the query's partition only. */
export interface SemanticMatcher {
  /** The closest remembered inputs in the query's partition at or above the threshold, if any. */
  match(query: CacheQuery): Promise<SemanticMatch | undefined>;
  /** Remembers the query's inputs as answered under its key. */
  remember(query: CacheQuery): Promise<void>;
  /** Forgets remembered inputs whose answer is gone (expired or evicted from the cache). */
  forget(partition: string, inputsHash: string): Promise<void>;
  /** Forgets everything (with the cache's `clear()`). */
  clear(): Promise<void>;
}
