import { createGraphBuilder } from './onnx-graph-builder.ts';
import type { SeededRandom } from './seeded-random.ts';
import { attention, type BlockShape, layerNorm, maskToBias, mlp, paddingMask } from './transformer-blocks.ts';

/** Sizes of a tiny BERT-style encoder. */
export interface EncoderShape {
  /** Number of encoder blocks. */
  readonly layers: number;
  /** Hidden width (`hidden_size`), also the embedding dimension. */
  readonly hidden: number;
  /** Attention heads; must divide `hidden`. */
  readonly heads: number;
  /** Number of learned positions (`max_position_embeddings`). */
  readonly maxPositions: number;
  /** Vocabulary size. */
  readonly vocabSize: number;
}

/**
 * Builds a post-LayerNorm BERT encoder as an ONNX model (opset 17): inputs `input_ids`, `attention_mask`,
 * `token_type_ids` (int64 [batch_size, sequence_length]); output `last_hidden_state`.
 */
export function buildEncoderOnnx(shape: EncoderShape, rng: SeededRandom): Uint8Array {
  const { layers, hidden, heads, maxPositions, vocabSize } = shape;
  const block: BlockShape = { hidden, heads, std: 0.3 };
  const g = createGraphBuilder();
  const dims = ['batch_size', 'sequence_length'];
  const inputIds = g.input('input_ids', 'int64', dims);
  const mask = g.input('attention_mask', 'int64', dims);
  const tokenTypes = g.input('token_type_ids', 'int64', dims);

  const words = g.weight('embeddings.word', [vocabSize, hidden], rng.normalArray(vocabSize * hidden, 0.5));
  const positions = g.weight(
    'embeddings.position',
    [maxPositions, hidden],
    rng.normalArray(maxPositions * hidden, 0.1),
  );
  const types = g.weight('embeddings.token_type', [2, hidden], rng.normalArray(2 * hidden, 0.1));
  const seq = g.op('Squeeze', [
    g.op('Shape', [inputIds], { start: { int: 1 }, end: { int: 2 } }),
    g.int64('squeeze_axes', [1], [0]),
  ]);
  const positionIds = g.op('Range', [g.int64('range_zero', [], [0]), seq, g.int64('range_one', [], [1])]);
  const summed = g.op('Add', [
    g.op('Add', [g.op('Gather', [words, inputIds]), g.op('Gather', [positions, positionIds])]),
    g.op('Gather', [types, tokenTypes]),
  ]);
  let x = layerNorm(g, summed, 'embeddings.ln', hidden);
  const bias = maskToBias(g, paddingMask(g, mask));

  for (let i = 0; i < layers; i++) {
    const attn = attention(g, rng, x, `layer.${i}.attn`, block, bias);
    x = layerNorm(g, g.op('Add', [x, attn.out]), `layer.${i}.ln_attn`, hidden);
    x = layerNorm(g, g.op('Add', [x, mlp(g, rng, x, `layer.${i}.mlp`, block)]), `layer.${i}.ln_out`, hidden);
  }
  g.op('Identity', [x], {}, 'last_hidden_state');
  g.output('last_hidden_state', 'float32', ['batch_size', 'sequence_length', hidden]);
  return g.encode({ graphName: 'tiny-bert' });
}
