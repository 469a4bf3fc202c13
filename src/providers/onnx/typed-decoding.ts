import { createJsonDecoding, type JsonDecoding, vocabularyFromTokenizer } from '../../decoding/index.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { TokenConstraint } from './onnx-generate-request.ts';
import { eosTokenIds } from './render-prompt.ts';

/**
 * Typed decoding for the models of one engine: the vocabulary, token trie, grammars and mask caches
 * are built once per loaded model (on its first constrained request) and reused by later requests.
 */
export interface TypedDecodingCache {
  /** A fresh constraint for one generation of `lm` following `schema`. */
  constraint(lm: LoadedTextGenerator, schema: Readonly<Record<string, unknown>>): TokenConstraint;
}

/** Creates an engine's cache; entries disappear with their models. */
export function createTypedDecodingCache(): TypedDecodingCache {
  const decodings = new WeakMap<LoadedTextGenerator, JsonDecoding>();
  return {
    constraint(lm, schema) {
      let decoding = decodings.get(lm);
      if (decoding === undefined) {
        const vocabulary = vocabularyFromTokenizer(lm.tokenizer, {
          eosTokenIds: [...eosTokenIds(lm)].map((id) => Number(id)),
        });
        decoding = createJsonDecoding({ vocabulary, grammar: { plainBoundedNumbers: true } });
        decodings.set(lm, decoding);
      }
      return decoding.decoder(schema);
    },
  };
}
