export { generateByteLevelBpeTokenizer } from './generate-byte-level-bpe-tokenizer.ts';
export {
  generateSentencePieceTokenizer,
  type SentencePieceTokenizerOptions,
} from './generate-sentencepiece-tokenizer.ts';
export type {
  GeneratedTokenizer,
  GeneratedTokenizerFamily,
  GenerateTokenizerOptions,
} from './generated-tokenizer.ts';
export { createFragmentSource, type FragmentSource, type FragmentSourceOptions } from './json-fragments.ts';
