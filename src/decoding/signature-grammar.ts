import type { Signature } from '../signature/signature.ts';
import {
  compileJsonSchemaGrammar,
  type GrammarCache,
  type JsonGrammar,
  type JsonGrammarOptions,
} from './json-schema-grammar.ts';

/** Options of {@link grammarForSignature}. */
export interface SignatureGrammarOptions extends JsonGrammarOptions {
  /** Cache to compile through (equal output schemas then share one grammar). */
  readonly cache?: GrammarCache;
}

/**
 * The grammar of a signature's outputs: one JSON object with the output fields in declared order
 * (internal fields included, as optional properties), following `signature.jsonSchema().output`.
 */
export function grammarForSignature(
  signature: Signature,
  options: SignatureGrammarOptions = {},
): JsonGrammar {
  const { cache, ...grammarOptions } = options;
  const schema = signature.jsonSchema().output;
  return cache === undefined
    ? compileJsonSchemaGrammar(schema, grammarOptions)
    : cache.get(schema, grammarOptions);
}
