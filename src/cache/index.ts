export { type CacheOptions, createCache } from './create-cache.ts';
export {
  createSemanticMatcher,
  type SemanticMatcherOptions,
} from './create-semantic-matcher.ts';
export type { Embedder } from './embedder.ts';
export { embedderFromProvider, type ProviderEmbedderOptions } from './embedder-from-provider.ts';
export { type CacheKeys, type ExecutionKeyParts, executionCacheKeys } from './execution-cache-key.ts';
export { inputsText } from './inputs-text.ts';
export { createOnnxEmbedder } from './onnx-embedder.ts';
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
export { storedVectors } from './stored-vector.ts';
export { createUsearchIndex, type UsearchIndexOptions } from './usearch-vector-index.ts';
export type { VectorIndex, VectorNeighbor } from './vector-index.ts';
