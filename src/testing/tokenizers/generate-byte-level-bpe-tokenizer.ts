import { byteLevelBpeJson } from '../tiny-models/byte-level-bpe-tokenizer.ts';
import { byteToUnicode } from '../tiny-models/byte-level-bpe-vocab.ts';
import { createSeededRandom } from '../tiny-models/seeded-random.ts';
import {
  addWithPrefixes,
  type GeneratedTokenizer,
  type GenerateTokenizerOptions,
} from './generated-tokenizer.ts';
import { createFragmentSource } from './json-fragments.ts';

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];

/**
 * Generates a GPT-2/Qwen/Llama-3 style byte-level BPE tokenizer: the 256 byte tokens (through GPT-2's
 * byte -> unicode table), merges learned from a seeded stream of JSON-ish fragments (so many tokens cross
 * JSON structure: `":"`, `"}`, `],`, `e+`, and pieces of multi-byte characters), then ChatML specials.
 * `tokenizer.json` loads in transformers.js; sizes scale to 150k tokens in about a second.
 */
export function generateByteLevelBpeTokenizer(options: GenerateTokenizerOptions): GeneratedTokenizer {
  const { vocabSize } = options;
  const limit = vocabSize - SPECIALS.length;
  if (!Number.isInteger(vocabSize) || limit < 256) {
    throw new RangeError(`vocabSize must be an integer >= ${256 + SPECIALS.length}`);
  }
  const table = byteToUnicode();
  const known = new Map<string, number>();
  for (const ch of table) known.set(ch, known.size);
  const merges: [string, string][] = [];
  const source = createFragmentSource(createSeededRandom(options.seed ?? 1), { partialUtf8: true });
  while (known.size < limit) {
    const symbols = [...source.next()].map((byte) => table[byte] as string);
    addWithPrefixes(symbols, known, merges, limit);
  }
  const vocab: Record<string, number> = Object.fromEntries(known);
  const specials = SPECIALS.map((content, i) => ({ id: limit + i, content }));
  for (const token of specials) vocab[token.content] = token.id;
  const eosTokenId = limit;
  return {
    family: 'byte-level-bpe',
    vocabSize,
    eosTokenId,
    tokenizerJson: byteLevelBpeJson({ vocab, merges, specials }),
    tokenizerConfig: {
      tokenizer_class: 'GPT2Tokenizer',
      add_bos_token: false,
      add_eos_token: false,
      bos_token: '<|endoftext|>',
      eos_token: '<|endoftext|>',
      pad_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      clean_up_tokenization_spaces: false,
      model_max_length: 4096,
    },
  };
}
