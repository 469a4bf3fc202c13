import { buildEncoderOnnx } from './encoder-graph.ts';
import { createSeededRandom } from './seeded-random.ts';
import {
  buildWordPieceVocab,
  wordPieceTokenizerConfig,
  wordPieceTokenizerJson,
} from './wordpiece-tokenizer.ts';
import { type WrittenModelFolder, writeModelFolder } from './write-model-folder.ts';

/** Options of {@link generateTinyEncoder}. */
export interface TinyEncoderOptions {
  /** Folder to write the model into (created if missing). */
  readonly dir: string;
  /** PRNG seed for the weights; the same seed always writes the same model. Default 7. */
  readonly seed?: number;
  /** Encoder blocks. Default 2. */
  readonly layers?: number;
  /** Hidden width, which is also the embedding dimension. Default 32. */
  readonly hidden?: number;
  /** Attention heads; must divide `hidden`. Default 2. */
  readonly heads?: number;
  /** Longest input in tokens (learned positions). Default 128. */
  readonly maxPositions?: number;
}

/** A tiny encoder on disk, ready for `pipeline('feature-extraction', dir)`. */
export interface TinyEncoder extends WrittenModelFolder {
  /** Dimension of each embedding vector (the hidden width). */
  readonly dimension: number;
  /** Vocabulary size written to config.json. */
  readonly vocabSize: number;
  /** Milliseconds spent (near 0 when the folder was already up to date). */
  readonly durationMs: number;
}

/**
 * Writes a BERT-style encoder with random weights and a lowercase WordPiece tokenizer: config.json,
 * tokenizer.json, tokenizer_config.json and onnx/model.onnx. Works with transformers.js'
 * `feature-extraction` pipeline (`{ pooling: 'mean', normalize: true }`). Skips the work when `dir`
 * already holds a model built from the same parameters.
 */
export async function generateTinyEncoder(options: TinyEncoderOptions): Promise<TinyEncoder> {
  const started = performance.now();
  const params = {
    kind: 'encoder',
    version: 1,
    seed: options.seed ?? 7,
    layers: options.layers ?? 2,
    hidden: options.hidden ?? 32,
    heads: options.heads ?? 2,
    maxPositions: options.maxPositions ?? 128,
  };
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number' && name !== 'seed' && (!Number.isInteger(value) || value <= 0)) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  if (params.hidden % params.heads !== 0) {
    throw new RangeError(`hidden (${params.hidden}) must be divisible by heads (${params.heads})`);
  }
  const tokens = buildWordPieceVocab();
  const written = await writeModelFolder(options.dir, params, () => {
    const onnx = buildEncoderOnnx({ ...params, vocabSize: tokens.length }, createSeededRandom(params.seed));
    const config = {
      model_type: 'bert',
      architectures: ['BertModel'],
      vocab_size: tokens.length,
      hidden_size: params.hidden,
      num_attention_heads: params.heads,
      num_hidden_layers: params.layers,
      intermediate_size: 4 * params.hidden,
      max_position_embeddings: params.maxPositions,
      type_vocab_size: 2,
      hidden_act: 'gelu',
      layer_norm_eps: 1e-5,
      pad_token_id: 0,
    };
    const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
    return {
      'config.json': json(config),
      'tokenizer.json': JSON.stringify(wordPieceTokenizerJson(tokens)),
      'tokenizer_config.json': json(wordPieceTokenizerConfig(params.maxPositions)),
      'onnx/model.onnx': onnx,
    };
  });
  return {
    ...written,
    dimension: params.hidden,
    vocabSize: tokens.length,
    durationMs: performance.now() - started,
  };
}
