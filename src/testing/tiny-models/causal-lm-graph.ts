import { createGraphBuilder } from './onnx-graph-builder.ts';
import type { SeededRandom } from './seeded-random.ts';
import { attention, type BlockShape, layerNorm, maskToBias, mlp, paddingMask } from './transformer-blocks.ts';

/** Sizes of a tiny GPT-2 style decoder. */
export interface CausalLmShape {
  /** Number of decoder blocks. */
  readonly layers: number;
  /** Hidden width (`n_embd`). */
  readonly hidden: number;
  /** Attention heads (`n_head`); must divide `hidden`. */
  readonly heads: number;
  /** Number of learned positions (`n_positions`). */
  readonly maxPositions: number;
  /** Vocabulary size, including special tokens. */
  readonly vocabSize: number;
  /** Token ids whose logits are pushed to -1e4 so greedy and sampled decoding never pick them. */
  readonly suppressedTokenIds: readonly number[];
}

/**
 * Builds a GPT-2 style decoder with a KV cache as an ONNX model (opset 17). Inputs: `input_ids`,
 * `attention_mask`, `position_ids`, `past_key_values.{i}.key|value`; outputs: `logits` and
 * `present.{i}.key|value`, exactly the names transformers.js expects for `model_type: gpt2`.
 */
export function buildCausalLmOnnx(shape: CausalLmShape, rng: SeededRandom): Uint8Array {
  const { layers, hidden, heads, maxPositions, vocabSize } = shape;
  const headDim = hidden / heads;
  const block: BlockShape = { hidden, heads, std: 0.5 };
  const g = createGraphBuilder();

  const inputIds = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const cacheShape = ['batch_size', heads, 'past_sequence_length', headDim];
  const presentShape = ['batch_size', heads, 'total_sequence_length', headDim];

  const wte = g.weight('wte', [vocabSize, hidden], rng.normalArray(vocabSize * hidden, 0.5));
  const wpe = g.weight('wpe', [maxPositions, hidden], rng.normalArray(maxPositions * hidden, 0.3));
  let x = g.op('Add', [g.op('Gather', [wte, inputIds]), g.op('Gather', [wpe, positionIds])]);

  // Causal + padding mask, computed once: query i (absolute position total-seq+i) sees keys 0..that position.
  const lengthOf = (tensor: string): string =>
    g.op('Squeeze', [
      g.op('Shape', [tensor], { start: { int: 1 }, end: { int: 2 } }),
      g.int64(`squeeze0_${tensor}`, [1], [0]),
    ]);
  const total = lengthOf(mask);
  const seq = lengthOf(inputIds);
  const zero = g.int64('range_zero', [], [0]);
  const one = g.int64('range_one', [], [1]);
  const keyPositions = g.op('Range', [zero, total, one]);
  const queryPositions = g.op('Range', [g.op('Sub', [total, seq]), total, one]);
  const queryColumn = g.op('Unsqueeze', [queryPositions, g.int64('query_axes', [1], [1])]);
  const causal = g.op('LessOrEqual', [keyPositions, queryColumn]);
  const bias = maskToBias(g, g.op('And', [causal, paddingMask(g, mask)]));

  for (let i = 0; i < layers; i++) {
    const pastKey = g.input(`past_key_values.${i}.key`, 'float32', cacheShape);
    const pastValue = g.input(`past_key_values.${i}.value`, 'float32', cacheShape);
    const attn = attention(g, rng, layerNorm(g, x, `h.${i}.ln_1`, hidden), `h.${i}.attn`, block, bias, {
      key: pastKey,
      value: pastValue,
      presentKey: `present.${i}.key`,
      presentValue: `present.${i}.value`,
    });
    x = g.op('Add', [x, attn.out]);
    x = g.op('Add', [x, mlp(g, rng, layerNorm(g, x, `h.${i}.ln_2`, hidden), `h.${i}.mlp`, block)]);
  }

  const final = layerNorm(g, x, 'ln_f', hidden);
  const logitBias = new Float32Array(vocabSize);
  for (const id of shape.suppressedTokenIds) logitBias[id] = -1e4;
  const lmHead = g.op('Transpose', [wte], { perm: { ints: [1, 0] } });
  g.op('Add', [g.op('MatMul', [final, lmHead]), g.weight('lm_bias', [vocabSize], logitBias)], {}, 'logits');

  g.output('logits', 'float32', ['batch_size', 'sequence_length', vocabSize]);
  for (let i = 0; i < layers; i++) {
    g.output(`present.${i}.key`, 'float32', presentShape);
    g.output(`present.${i}.value`, 'float32', presentShape);
  }
  return g.encode({ graphName: 'tiny-gpt2' });
}
