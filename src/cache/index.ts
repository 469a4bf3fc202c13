export { type CacheOptions, createCache } from './create-cache.ts';
export { type ExecutionKeyParts, executionCacheKey } from './execution-cache-key.ts';
export type { CachedAnswer, CacheMode, CacheStats, ResponseCache } from './response-cache.ts';
