export { CHATML_TEMPLATE } from './byte-level-bpe-tokenizer.ts';
export {
  type ByteLevelBpeVocab,
  buildByteLevelBpeVocab,
  TINY_SPECIAL_TOKENS,
} from './byte-level-bpe-vocab.ts';
export {
  generateTinyCausalLM,
  type TinyCausalLm,
  type TinyCausalLmOptions,
} from './generate-tiny-causal-lm.ts';
export { generateTinyEncoder, type TinyEncoder, type TinyEncoderOptions } from './generate-tiny-encoder.ts';
export { createSeededRandom, type SeededRandom } from './seeded-random.ts';
export { TINY_MODEL_MARKER, type WrittenModelFolder } from './write-model-folder.ts';
