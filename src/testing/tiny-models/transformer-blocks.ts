import type { GraphBuilder } from './onnx-graph-builder.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Sizes shared by every block of one tiny transformer. */
export interface BlockShape {
  /** Width of the hidden state. */
  readonly hidden: number;
  /** Number of attention heads; `hidden` must divide evenly by it. */
  readonly heads: number;
  /** Standard deviation of the random weight matrices. */
  readonly std: number;
}

/** Tensor names one attention call produces. */
export interface AttentionResult {
  /** The attention output, [batch, seq, hidden]. */
  readonly out: string;
  /** Keys over past and current positions, [batch, heads, total, headDim]. */
  readonly keys: string;
  /** Values over past and current positions, [batch, heads, total, headDim]. */
  readonly values: string;
}

/** Adds a LayerNormalization (opset 17) with gamma 1 and beta 0 over the last axis. */
export function layerNorm(g: GraphBuilder, x: string, prefix: string, hidden: number): string {
  const gamma = g.weight(`${prefix}.weight`, [hidden], new Float32Array(hidden).fill(1));
  const beta = g.weight(`${prefix}.bias`, [hidden], new Float32Array(hidden));
  return g.op('LayerNormalization', [x, gamma, beta], { axis: { int: -1 }, epsilon: { float: 1e-5 } });
}

/** Adds `x @ W + b` with a random W of shape [inDim, outDim] and zero bias. */
export function linear(
  g: GraphBuilder,
  rng: SeededRandom,
  x: string,
  prefix: string,
  inDim: number,
  outDim: number,
  std: number,
): string {
  const w = g.weight(`${prefix}.weight`, [inDim, outDim], rng.normalArray(inDim * outDim, std));
  const b = g.weight(`${prefix}.bias`, [outDim], new Float32Array(outDim));
  return g.op('Add', [g.op('MatMul', [x, w]), b]);
}

/** Splits [batch, seq, hidden] into heads: [batch, heads, seq, headDim]. */
function toHeads(g: GraphBuilder, x: string, headShape: string): string {
  return g.op('Transpose', [g.op('Reshape', [x, headShape])], { perm: { ints: [0, 2, 1, 3] } });
}

/**
 * Multi-head self-attention. `bias` is an additive mask broadcastable to [batch, heads, seq, total];
 * with `past`, the new keys/values are appended to the cached ones along the sequence axis.
 */
export function attention(
  g: GraphBuilder,
  rng: SeededRandom,
  x: string,
  prefix: string,
  shape: BlockShape,
  bias: string,
  past?: { key: string; value: string; presentKey: string; presentValue: string },
): AttentionResult {
  const { hidden, heads, std } = shape;
  const headDim = hidden / heads;
  const qkv = linear(g, rng, x, `${prefix}.c_attn`, hidden, 3 * hidden, std);
  const splitSizes = g.int64(`${prefix}.split_sizes`, [3], [hidden, hidden, hidden]);
  const [q, k, v] = g.opMulti('Split', [qkv, splitSizes], [`${prefix}.q`, `${prefix}.k`, `${prefix}.v`], {
    axis: { int: 2 },
  });
  const headShape = g.int64(`${prefix}.head_shape`, [4], [0, 0, heads, headDim]);
  const qh = toHeads(g, q ?? '', headShape);
  let kh = toHeads(g, k ?? '', headShape);
  let vh = toHeads(g, v ?? '', headShape);
  if (past) {
    kh = g.op('Concat', [past.key, kh], { axis: { int: 2 } }, past.presentKey);
    vh = g.op('Concat', [past.value, vh], { axis: { int: 2 } }, past.presentValue);
  }
  const scale = g.weight(`${prefix}.scale`, [], Float32Array.of(1 / Math.sqrt(headDim)));
  const kt = g.op('Transpose', [kh], { perm: { ints: [0, 1, 3, 2] } });
  const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [qh, kt]), scale]), bias]);
  const probs = g.op('Softmax', [scores], { axis: { int: -1 } });
  const context = g.op('Transpose', [g.op('MatMul', [probs, vh])], { perm: { ints: [0, 2, 1, 3] } });
  const merged = g.op('Reshape', [context, g.int64(`${prefix}.merge_shape`, [3], [0, 0, hidden])]);
  return { out: linear(g, rng, merged, `${prefix}.c_proj`, hidden, hidden, std), keys: kh, values: vh };
}

/** Feed-forward block: linear to 4x width, quick-GELU (x * sigmoid(1.702x)), linear back. */
export function mlp(
  g: GraphBuilder,
  rng: SeededRandom,
  x: string,
  prefix: string,
  shape: BlockShape,
): string {
  const inner = 4 * shape.hidden;
  const up = linear(g, rng, x, `${prefix}.c_fc`, shape.hidden, inner, shape.std);
  const k = g.weight(`${prefix}.gelu_k`, [], Float32Array.of(1.702));
  const act = g.op('Mul', [up, g.op('Sigmoid', [g.op('Mul', [up, k])])]);
  return linear(g, rng, act, `${prefix}.c_proj`, inner, shape.hidden, shape.std);
}

/** Turns an int64 [batch, total] attention mask into a bool [batch, 1, 1, total] tensor. */
export function paddingMask(g: GraphBuilder, attentionMask: string): string {
  const asBool = g.op('Cast', [attentionMask], { to: { int: 9 } });
  return g.op('Unsqueeze', [asBool, g.int64('mask_unsqueeze_axes', [2], [1, 2])]);
}

/** Converts a bool "may attend" tensor into an additive float bias (0 or -1e9). */
export function maskToBias(g: GraphBuilder, allowed: string): string {
  const zero = g.weight('mask_zero', [], Float32Array.of(0));
  const negative = g.weight('mask_negative', [], Float32Array.of(-1e9));
  return g.op('Where', [allowed, zero, negative]);
}
