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
  const next = new BigInt64Array(batch);
  for (;;) {
    const outputs = (await lm.model.forward(feeds)) as Record<string, Tensor>;
    const logits = lastLogits(outputs.logits);
    const vocab = logits.vocab;
    let open = 0;
    rows.forEach((row, r) => {
      if (!row.finished && row.request.signal?.aborted === true) row.finished = true;
      if (row.finished) {
        next[r] = pad;
        return;
      }
      const offset = r * vocab;
      row.constraint?.mask().applyToLogits(logits.data, offset, vocab);
      const token = sampler(logits.data, offset, vocab);
      row.constraint?.accept(token);
      next[r] = BigInt(token);
      acceptRowToken(row, next[r] as bigint, eos);
      if (!row.finished) open++;
    });
    if (open === 0) break;
    const past: Record<string, Tensor> = {};
    for (const name in outputs) {
      if (name.startsWith('present'))
        past[name.replace('present', 'past_key_values')] = outputs[name] as Tensor;
    }
    // A finished row keeps riding along until the batch ends: it gets a masked-out pad at its last
    // position, so it never walks past its own context (learned position tables end there).
    mask = appendColumn(mask, batch, width, rows);
    width++;
    const positions = new BigInt64Array(batch);
    for (let r = 0; r < batch; r++) {
      const position = nextPosition[r] as number;
      if (rows[r]?.finished === true) {
        positions[r] = BigInt(Math.max(plan.positionStart, position - 1));
      } else {
        positions[r] = BigInt(position);
        nextPosition[r] = position + 1;
      }
    }
    feeds = {
      input_ids: new Tensor('int64', next.slice(), [batch, 1]),
      attention_mask: new Tensor('int64', mask, [batch, width]),
      ...(plan.positionIds ? { position_ids: new Tensor('int64', positions, [batch, 1]) } : {}),
      ...(plan.logitsToKeep ? { num_logits_to_keep: new Tensor('int64', [1n], []) } : {}),
      past_key_values: past,
    };
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

/** A `[batch, width]` attention mask with one more column: 1 for rows still generating, 0 for finished ones. */
function appendColumn(
  mask: BigInt64Array,
  batch: number,
  width: number,
  rows: readonly BatchRow[],
): BigInt64Array {
  const out = new BigInt64Array(batch * (width + 1));
  for (let r = 0; r < batch; r++) {
    out.set(mask.subarray(r * width, (r + 1) * width), r * (width + 1));
    out[r * (width + 1) + width] = rows[r]?.finished === true ? 0n : 1n;
  }
  return out;
}
