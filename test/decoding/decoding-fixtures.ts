import { PreTrainedTokenizer } from '@huggingface/transformers';
import {
  advanceBytes,
  buildTokenTrie,
  createConstrainedDecoder,
  type JsonGrammar,
  type TokenMask,
  type TokenMasker,
  type TokenTrie,
  type TokenVocabulary,
  vocabularyFromTokenizerJson,
} from '../../src/decoding/index.ts';
import { createSeededRandom } from '../../src/testing/tiny-models/seeded-random.ts';
import {
  type GeneratedTokenizer,
  generateByteLevelBpeTokenizer,
  generateSentencePieceTokenizer,
} from '../../src/testing/tokenizers/index.ts';

/** A generated tokenizer with everything the tests need built from it. */
export interface TokenizerFixture {
  readonly name: string;
  readonly generated: GeneratedTokenizer;
  readonly vocabulary: TokenVocabulary;
  readonly trie: TokenTrie;
  /** The real transformers.js tokenizer over the same files. */
  readonly tokenizer: PreTrainedTokenizer;
}

function fixture(name: string, generated: GeneratedTokenizer): TokenizerFixture {
  const vocabulary = vocabularyFromTokenizerJson(generated.tokenizerJson, {
    tokenizerConfig: generated.tokenizerConfig,
  });
  return {
    name,
    generated,
    vocabulary,
    trie: buildTokenTrie(vocabulary),
    tokenizer: new PreTrainedTokenizer(generated.tokenizerJson, generated.tokenizerConfig),
  };
}

/** One tokenizer of each family (byte-level BPE; SentencePiece BPE with byte fallback). */
export function tokenizerFixtures(vocabSize = 6000): TokenizerFixture[] {
  return [
    fixture('byte-level BPE', generateByteLevelBpeTokenizer({ vocabSize, seed: 7 })),
    fixture('SentencePiece + byte fallback', generateSentencePieceTokenizer({ vocabSize, seed: 7 })),
  ];
}

/** The id of the content token whose bytes are exactly `text` (throws when the vocabulary has none). */
export function tokenId(vocabulary: TokenVocabulary, text: string | Uint8Array): number {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const id = vocabulary.tokenBytes.findIndex(
    (candidate) =>
      candidate !== undefined &&
      candidate.length === bytes.length &&
      candidate.every((b, i) => b === bytes[i]),
  );
  if (id < 0) throw new Error(`no token for ${JSON.stringify(new TextDecoder().decode(bytes))}`);
  return id;
}

/** Every token the grammar accepts from `state`, by feeding each token's bytes (the slow reference). */
export function bruteForceAllowed(
  grammar: JsonGrammar,
  state: JsonGrammar['initial'],
  vocabulary: TokenVocabulary,
): number[] {
  const allowed: number[] = [];
  vocabulary.tokenBytes.forEach((bytes, id) => {
    if (bytes !== undefined && advanceBytes(grammar, state, bytes) !== undefined) allowed.push(id);
  });
  if (grammar.isComplete(state)) allowed.push(...vocabulary.eosTokenIds);
  return allowed.sort((a, b) => a - b);
}

/** What a random-model generation produced. */
export interface RandomRun {
  readonly text: string;
  readonly tokens: readonly number[];
  readonly finished: boolean;
  /** Steps where EOS was allowed although the text was not complete (must stay 0). */
  readonly eosTooEarly: number;
  /** Steps where the text was complete but a content token was still allowed (objects: must stay 0). */
  readonly contentAfterComplete: number;
}

function containsAny(bytes: Uint8Array | undefined, wanted: readonly number[]): boolean {
  return bytes?.some((b) => wanted.includes(b)) === true;
}

/**
 * Decodes with a seeded random "model": each step picks a random allowed token, preferring (with
 * probability `closeBias`) tokens that close strings, arrays or objects, so generations end, and
 * otherwise often single-byte tokens, so patterned strings get completed.
 */
export function runRandomModel(
  masker: TokenMasker,
  seed: number,
  options: { maxSteps?: number; closeBias?: number; onMask?: (mask: TokenMask) => void } = {},
): RandomRun {
  const random = createSeededRandom(seed);
  const decoder = createConstrainedDecoder(masker);
  const { vocabulary } = masker.trie;
  const eos = new Set(vocabulary.eosTokenIds);
  let eosTooEarly = 0;
  let contentAfterComplete = 0;
  for (let step = 0; step < (options.maxSteps ?? 2000) && !decoder.isFinished; step++) {
    const mask = decoder.mask();
    options.onMask?.(mask);
    const allowed = mask.toArray();
    const eosAllowed = allowed.filter((id) => eos.has(id));
    if (eosAllowed.length > 0 && !decoder.isComplete) eosTooEarly++;
    if (decoder.isComplete && allowed.length > eosAllowed.length) contentAfterComplete++;
    let pool = allowed;
    if (eosAllowed.length > 0) pool = eosAllowed;
    else if (random.next() < (options.closeBias ?? 0.35)) {
      const closers = allowed.filter((id) => containsAny(vocabulary.tokenBytes[id], [0x22, 0x5d, 0x7d]));
      if (closers.length > 0) pool = closers;
    } else if (random.next() < 0.5) {
      // Single bytes explore patterns (an email's "@", a date's "-") as often as any other character.
      const single = allowed.filter((id) => vocabulary.tokenBytes[id]?.length === 1);
      if (single.length > 0) pool = single;
    }
    decoder.accept(pool[Math.floor(random.next() * pool.length)] as number);
  }
  return {
    text: decoder.text,
    tokens: decoder.tokens,
    finished: decoder.isFinished,
    eosTooEarly,
    contentAfterComplete,
  };
}
