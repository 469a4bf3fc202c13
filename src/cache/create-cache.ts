import type { Store } from '../store/store.ts';
import type { CachedAnswer, CacheStats, ResponseCache } from './response-cache.ts';

/** Options of `createCache`. */
export interface CacheOptions {
  /** Where entries live (e.g. `openSqliteStore()`). */
  readonly store: Store;
  /** Namespace of the entries in the store (default `responses`). */
  readonly namespace?: string | undefined;
  /** How long an answer stays valid, in ms (default 24 h). */
  readonly ttlMs?: number | undefined;
  /** Size bound of the namespace in bytes (default 256 MiB); the oldest entries are evicted past it. */
  readonly maxBytes?: number | undefined;
  /** Trim (evict expired and past-budget entries) after this many writes (default 1000). */
  readonly trimEvery?: number | undefined;
  /** Receives backend failures (the run goes on without the cache); default: none. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Creates an exact response cache over a store. */
export function createCache(options: CacheOptions): ResponseCache {
  const { store } = options;
  const namespace = options.namespace ?? 'responses';
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const trimEvery = options.trimEvery ?? 1_000;
  const counts = { hits: 0, misses: 0, writes: 0, errors: 0 };
  const failed = (error: unknown) => {
    counts.errors++;
    options.onError?.(error);
  };
  return {
    async lookup(key) {
      try {
        const entry = await store.get(namespace, key);
        if (entry === undefined) {
          counts.misses++;
          return undefined;
        }
        counts.hits++;
        return JSON.parse(entry.value) as CachedAnswer;
      } catch (error) {
        counts.misses++;
        failed(error);
        return undefined;
      }
    },
    async save(key, answer) {
      try {
        await store.set(namespace, key, JSON.stringify(answer), { ttlMs });
        counts.writes++;
        if (counts.writes % trimEvery === 0) await store.trim(namespace, maxBytes);
      } catch (error) {
        failed(error);
      }
    },
    stats: (): CacheStats => ({ ...counts }),
  };
}
