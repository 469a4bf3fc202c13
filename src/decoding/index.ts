/** Typed (grammar-constrained) decoding: JSON Schema -> byte-level grammar -> per-step token masks. */

export { boundSchemaToBudget, type SchemaBudgetOptions } from './bound-schema-to-budget.ts';
export { type ConstrainedDecoder, createConstrainedDecoder } from './constrained-decoder.ts';
export { createJsonDecoding, type JsonDecoding, type JsonDecodingOptions } from './json-decoding.ts';
export {
  advanceBytes,
  compileJsonSchemaGrammar,
  createGrammarCache,
  type GrammarCache,
  type GrammarState,
  type GrammarWarning,
  grammarAccepts,
  type JsonGrammar,
  type JsonGrammarOptions,
} from './json-schema-grammar.ts';
export {
  createJsonSchemaLogitsProcessor,
  type JsonLogitsProcessor,
  type LogitsTensorLike,
} from './json-schema-logits-processor.ts';
export { grammarForSignature, type SignatureGrammarOptions } from './signature-grammar.ts';
export { computeContentMask, TokenMask } from './token-mask.ts';
export {
  createTokenMasker,
  type MaskCacheStats,
  type TokenMasker,
  type TokenMaskerOptions,
} from './token-masker.ts';
export { buildTokenTrie, type TokenTrie } from './token-trie.ts';
export {
  type TokenizerFamily,
  type TokenVocabulary,
  type VocabularyOptions,
  vocabularyFromTokenizer,
  vocabularyFromTokenizerJson,
  vocabularyFromTokens,
} from './token-vocabulary.ts';
