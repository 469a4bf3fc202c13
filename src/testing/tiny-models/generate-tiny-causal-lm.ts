import { byteLevelBpeTokenizerConfig, byteLevelBpeTokenizerJson } from './byte-level-bpe-tokenizer.ts';
import { buildByteLevelBpeVocab, TINY_SPECIAL_TOKENS } from './byte-level-bpe-vocab.ts';
import { buildCausalLmOnnx } from './causal-lm-graph.ts';
import { createSeededRandom } from './seeded-random.ts';
import { type WrittenModelFolder, writeModelFolder } from './write-model-folder.ts';

/** Options of {@link generateTinyCausalLM}. */
export interface TinyCausalLmOptions {
  /** Folder to write the model into (created if missing). */
  readonly dir: string;
  /** PRNG seed for the weights; the same seed always writes the same model. Default 42. */
  readonly seed?: number;
  /** Tokenizer kind. Only `byte-bpe` (GPT-2 style byte-level BPE) exists. */
  readonly vocab?: 'byte-bpe';
  /** Total vocabulary size including specials; extra tokens are synthetic merges. Default 320. */
  readonly vocabSize?: number;
  /** Decoder blocks. Default 2. */
  readonly layers?: number;
  /** Hidden width. Default 32. */
  readonly hidden?: number;
  /** Attention heads; must divide `hidden`. Default 2. */
  readonly heads?: number;
  /** Context length (learned positions). Default 256. */
  readonly maxPositions?: number;
}

/** A tiny causal LM on disk, ready for `AutoModelForCausalLM.from_pretrained(dir)`. */
export interface TinyCausalLm extends WrittenModelFolder {
  /** Vocabulary size written to config.json. */
  readonly vocabSize: number;
  /** Ids of the special tokens (`<|endoftext|>`, `<|im_start|>`, `<|im_end|>`). */
  readonly specialTokenIds: Readonly<Record<string, number>>;
  /** Milliseconds spent (near 0 when the folder was already up to date). */
  readonly durationMs: number;
}

const ASCII_TEXT = (b: number): boolean => b === 0x0a || (b >= 0x20 && b <= 0x7e);

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Writes a GPT-2 style decoder with random weights, a byte-level BPE tokenizer and a ChatML chat template:
 * config.json, tokenizer.json, tokenizer_config.json, generation_config.json and onnx/model.onnx.
 * The model never emits special tokens or non-ASCII bytes (their logits are suppressed), so generation
 * always runs to `max_new_tokens` unless a stop condition ends it, and decoded text is plain ASCII.
 * Skips the work when `dir` already holds a model built from the same parameters.
 */
export async function generateTinyCausalLM(options: TinyCausalLmOptions): Promise<TinyCausalLm> {
  const started = performance.now();
  const params = {
    kind: 'causal-lm',
    version: 1,
    seed: options.seed ?? 42,
    vocab: options.vocab ?? 'byte-bpe',
    vocabSize: positiveInt('vocabSize', options.vocabSize ?? 320),
    layers: positiveInt('layers', options.layers ?? 2),
    hidden: positiveInt('hidden', options.hidden ?? 32),
    heads: positiveInt('heads', options.heads ?? 2),
    maxPositions: positiveInt('maxPositions', options.maxPositions ?? 256),
  };
  if (params.hidden % params.heads !== 0) {
    throw new RangeError(`hidden (${params.hidden}) must be divisible by heads (${params.heads})`);
  }
  // Specials take the last ids (see buildByteLevelBpeVocab), so they are known without building the vocab.
  const specialTokenIds: Record<string, number> = {};
  TINY_SPECIAL_TOKENS.forEach((token, i) => {
    specialTokenIds[token] = params.vocabSize - TINY_SPECIAL_TOKENS.length + i;
  });
  const eos = specialTokenIds['<|endoftext|>'] ?? 0;
  const imEnd = specialTokenIds['<|im_end|>'] ?? eos;

  const written = await writeModelFolder(options.dir, params, () => {
    const vocab = buildByteLevelBpeVocab(params.vocabSize);
    const suppressed = Object.values(vocab.specials);
    for (let b = 0; b < 256; b++) if (!ASCII_TEXT(b)) suppressed.push(b);
    const rng = createSeededRandom(params.seed);
    const onnx = buildCausalLmOnnx({ ...params, suppressedTokenIds: suppressed }, rng);
    const config = {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: params.vocabSize,
      n_embd: params.hidden,
      n_head: params.heads,
      n_layer: params.layers,
      n_positions: params.maxPositions,
      n_ctx: params.maxPositions,
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      bos_token_id: eos,
      eos_token_id: eos,
      pad_token_id: eos,
      use_cache: true,
    };
    const generation = { bos_token_id: eos, eos_token_id: [eos, imEnd], pad_token_id: eos, do_sample: false };
    const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
    return {
      'config.json': json(config),
      'generation_config.json': json(generation),
      'tokenizer.json': JSON.stringify(byteLevelBpeTokenizerJson(vocab)),
      'tokenizer_config.json': json(byteLevelBpeTokenizerConfig(vocab, params.maxPositions)),
      'onnx/model.onnx': onnx,
    };
  });
  return {
    ...written,
    vocabSize: params.vocabSize,
    specialTokenIds,
    durationMs: performance.now() - started,
  };
}
