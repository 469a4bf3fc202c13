import { Tensor } from '@huggingface/transformers';
import type { BatchInputs } from './batch-inputs.ts';
import { acceptRowToken, type BatchRow } from './batch-row.ts';
import type { DecodingPlan } from './decoding-plan.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { TokenSampler } from './sample-token.ts';

/** What {@link decodeRows} needs besides the rows. */
export interface DecodeLoopOptions {
  readonly plan: Extract<DecodingPlan, { loop: 'owned' }>;
  readonly sampler: TokenSampler;
  readonly eos: ReadonlySet<bigint>;
  /** Token fed to rows that already finished while the rest of the batch goes on. */
  readonly pad: bigint;
}

/**
 * signet's own decoding loop over a batch: one `forward()` per step, then per row the typed-decoding
 * mask, the sampler, the stop checks and the stream. It keeps per row only what the next step needs
 * (the next position, one attention-mask column, the token): none of the per-step re-tokenising of
 * `all_input_ids`, BigInt cumulative sums over the whole mask and async top-k that transformers.js'
 * `generate()` spends, which made its per-row cost grow with the batch and its garbage trigger a major
 * GC per request at batch 8. The model is called through transformers.js' `forward()`, which still
 * turns the cache into inputs and fills model-specific ones (`use_cache_branch`, empty caches).
 */
export async function decodeRows(
  lm: LoadedTextGenerator,
  rows: readonly BatchRow[],
  inputs: BatchInputs,
  options: DecodeLoopOptions,
): Promise<void> {
  const { plan, sampler, eos, pad } = options;
  const batch = rows.length;
  const cached = 'cached' in inputs ? inputs.cached : 0;
  let width = inputs.width;
  let mask = inputs.attentionMask.data as BigInt64Array;
  const nextPosition = new Array<number>(batch).fill(plan.positionStart);
  const promptPositions = new BigInt64Array(batch * (width - cached));
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < width; c++) {
      const real = mask[r * width + c] === 1n;
      // As transformers.js: cumulative count of real tokens, and 1 under padding.
      if (c >= cached)
        promptPositions[r * (width - cached) + c - cached] = real ? BigInt(nextPosition[r] as number) : 1n;
      if (real) nextPosition[r] = (nextPosition[r] as number) + 1;
    }
  }
  let feeds: Record<string, unknown> = {
    input_ids:
      cached === 0 ? inputs.inputIds : columns(inputs.inputIds.data as BigInt64Array, batch, width, cached),
    attention_mask: inputs.attentionMask,
    ...(plan.positionIds
      ? { position_ids: new Tensor('int64', promptPositions, [batch, width - cached]) }
      : {}),
    ...(plan.logitsToKeep ? { num_logits_to_keep: new Tensor('int64', [1n], []) } : {}),
    ...('cache' in inputs ? { past_key_values: inputs.cache } : {}),
  };
  // Batch position -> index in `rows`. A row that finishes leaves the batch at once (its slice of the
  // cache is dropped), so later steps cost only what the rows still generating need, and no row ever
  // walks past its own context.
  let active = rows.map((_, r) => r);
  let positions = nextPosition;
  let tokens: bigint[] = [];
  for (;;) {
    const outputs = (await lm.model.forward(feeds)) as Record<string, Tensor>;
    const logits = lastLogits(outputs.logits);
    const vocab = logits.vocab;
    const keep: number[] = [];
    tokens = active.map((r, b) => {
      const row = rows[r] as BatchRow;
      if (!row.finished && row.request.signal?.aborted === true) row.finished = true;
      if (row.finished) return pad;
      const offset = b * vocab;
      row.constraint?.mask().applyToLogits(logits.data, offset, vocab);
      const token = sampler(logits.data, offset, vocab);
      row.constraint?.accept(token);
      acceptRowToken(row, BigInt(token), eos);
      if (!row.finished) keep.push(b);
      return BigInt(token);
    });
    if (keep.length === 0) break;
    let past: Record<string, Tensor> = {};
    for (const name in outputs) {
      if (name.startsWith('present'))
        past[name.replace('present', 'past_key_values')] = outputs[name] as Tensor;
    }
    if (keep.length < active.length) {
      const batch = active.length;
      past = Object.fromEntries(Object.entries(past).map(([name, t]) => [name, keepRows(t, batch, keep)]));
      mask = keepMaskRows(mask, width, keep);
      tokens = keep.map((b) => tokens[b] as bigint);
      positions = keep.map((b) => positions[b] as number);
      active = keep.map((b) => active[b] as number);
    }
    const batch = active.length;
    mask = appendOnes(mask, batch, width);
    width++;
    feeds = {
      input_ids: new Tensor('int64', BigInt64Array.from(tokens), [batch, 1]),
      attention_mask: new Tensor('int64', mask, [batch, width]),
      ...(plan.positionIds
        ? { position_ids: new Tensor('int64', BigInt64Array.from(positions, BigInt), [batch, 1]) }
        : {}),
      ...(plan.logitsToKeep ? { num_logits_to_keep: new Tensor('int64', [1n], []) } : {}),
      past_key_values: past,
    };
    positions = positions.map((p) => p + 1);
  }
  for (const row of rows) row.tracker.end();
}

/** The last position's logits of every row as float32, `vocab` per row. */
function lastLogits(logits: Tensor | undefined): { data: Float32Array; vocab: number } {
  if (logits === undefined) throw new Error('the model returned no logits');
  const [batch = 1, seq = 1, vocab = 0] = logits.dims;
  const data = logits.data;
  if (data instanceof Float32Array && seq === 1) return { data, vocab };
  if (data instanceof Float32Array) {
    const out = new Float32Array(batch * vocab);
    for (let r = 0; r < batch; r++)
      out.set(data.subarray((r * seq + seq - 1) * vocab, (r * seq + seq) * vocab), r * vocab);
    return { data: out, vocab };
  }
  // float16 logits: let transformers.js slice and convert.
  return { data: logits.slice(null, -1, null).to('float32').data as Float32Array, vocab };
}

/** Columns `[from, width)` of a `[batch, width]` int64 matrix. */
function columns(data: BigInt64Array, batch: number, width: number, from: number): Tensor {
  const out = new BigInt64Array(batch * (width - from));
  for (let r = 0; r < batch; r++)
    out.set(data.subarray(r * width + from, (r + 1) * width), r * (width - from));
  return new Tensor('int64', out, [batch, width - from]);
}

/** A `[batch, width]` attention mask with one more column of ones. */
function appendOnes(mask: BigInt64Array, batch: number, width: number): BigInt64Array {
  const out = new BigInt64Array(batch * (width + 1));
  for (let r = 0; r < batch; r++) {
    out.set(mask.subarray(r * width, (r + 1) * width), r * (width + 1));
    out[r * (width + 1) + width] = 1n;
  }
  return out;
}

/** The rows `keep` of a `[batch, width]` mask. */
function keepMaskRows(mask: BigInt64Array, width: number, keep: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(keep.length * width);
  keep.forEach((b, i) => {
    out.set(mask.subarray(b * width, (b + 1) * width), i * width);
  });
  return out;
}

/**
 * The rows `keep` of a cache tensor whose outermost dimension is the batch (or batch x heads, batch
 * outermost, as some exports lay it out): each batch entry is one contiguous block of the data.
 */
function keepRows(tensor: Tensor, batch: number, keep: readonly number[]): Tensor {
  // Float32Array, or the 16-bit array transformers.js keeps float16 in: any typed array of numbers.
  const data = tensor.data as Float32Array;
  const size = data.length / batch;
  const out = new (data.constructor as Float32ArrayConstructor)(keep.length * size);
  keep.forEach((b, i) => {
    out.set(data.subarray(b * size, (b + 1) * size), i * size);
  });
  const [outer = batch, ...rest] = tensor.dims;
  return new Tensor(tensor.type, out, [(outer / batch) * keep.length, ...rest]);
}
