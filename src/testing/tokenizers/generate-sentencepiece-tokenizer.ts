import { createSeededRandom } from '../tiny-models/seeded-random.ts';
import {
  addWithPrefixes,
  type GeneratedTokenizer,
  type GenerateTokenizerOptions,
} from './generated-tokenizer.ts';
import { createFragmentSource } from './json-fragments.ts';

/** Options of {@link generateSentencePieceTokenizer}. */
export interface SentencePieceTokenizerOptions extends GenerateTokenizerOptions {
  /** `bpe` (Llama 2 / Mistral: BPE with byte fallback) or `unigram` (Unigram with byte fallback). Default bpe. */
  readonly model?: 'bpe' | 'unigram';
}

const SPACE = '▁';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i).replace(' ', SPACE));

/**
 * Generates a Llama-2/Mistral style SentencePiece tokenizer: `<unk> <s> </s>`, the 256 byte-fallback
 * tokens `<0x00>`..`<0xFF>`, then whole-character pieces where `▁` stands for a space (`▁"`, `":`,
 * `▁answer`, `é`), from a seeded stream of JSON-ish fragments. Characters without a piece (most
 * non-ASCII ones) are encoded as their UTF-8 bytes through the byte-fallback tokens.
 */
export function generateSentencePieceTokenizer(options: SentencePieceTokenizerOptions): GeneratedTokenizer {
  const { vocabSize } = options;
  const base = 3 + 256;
  if (!Number.isInteger(vocabSize) || vocabSize < base + PRINTABLE.length) {
    throw new RangeError(`vocabSize must be an integer >= ${base + PRINTABLE.length}`);
  }
  const known = new Map<string, number>([
    ['<unk>', 0],
    ['<s>', 1],
    ['</s>', 2],
  ]);
  for (let b = 0; b < 256; b++) known.set(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, known.size);
  for (const ch of PRINTABLE) known.set(ch, known.size);
  const merges: [string, string][] = [];
  const source = createFragmentSource(createSeededRandom(options.seed ?? 1), { partialUtf8: false });
  const decoder = new TextDecoder();
  while (known.size < vocabSize) {
    const symbols = [...decoder.decode(source.next()).replaceAll(' ', SPACE)];
    for (const ch of symbols) if (!known.has(ch) && known.size < vocabSize) known.set(ch, known.size);
    addWithPrefixes(symbols, known, merges, vocabSize);
  }
  const unigram = options.model === 'unigram';
  const pieces = [...known.keys()];
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const model = unigram
    ? {
        type: 'Unigram',
        unk_id: 0,
        byte_fallback: true,
        // Longer pieces score higher, so the Viterbi segmentation prefers them.
        vocab: pieces.map((piece, id) => [piece, id < base ? 0 : -10 + Math.min(piece.length, 9)]),
      }
    : {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab: Object.fromEntries(known),
        merges,
      };
  return {
    family: unigram ? 'sentencepiece-unigram' : 'sentencepiece-bpe',
    vocabSize,
    eosTokenId: 2,
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Prepend', prepend: SPACE },
          { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
        ],
      },
      pre_tokenizer: null,
      post_processor: null,
      decoder: {
        type: 'Sequence',
        decoders: [
          { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
          { type: 'ByteFallback' },
          { type: 'Fuse' },
          { type: 'Strip', content: ' ', start: 1, stop: 0 },
        ],
      },
      model,
    },
    tokenizerConfig: {
      tokenizer_class: 'LlamaTokenizer',
      add_bos_token: true,
      add_eos_token: false,
      bos_token: '<s>',
      eos_token: '</s>',
      unk_token: '<unk>',
      pad_token: null,
      clean_up_tokenization_spaces: false,
      legacy: false,
      model_max_length: 4096,
    },
  };
}
