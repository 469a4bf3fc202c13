export { type CacheOptions, createCache } from './create-cache.ts';
export { type CacheKeys, type ExecutionKeyParts, executionCacheKeys } from './execution-cache-key.ts';
export type {
  CachedAnswer,
  CacheEvent,
  CacheKind,
  CacheLookup,
  CacheMode,
  CacheQuery,
  CacheStats,
  ResponseCache,
} from './response-cache.ts';
export type { SemanticMatch, SemanticMatcher } from './semantic-matcher.ts';
