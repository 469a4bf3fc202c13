import { Tensor } from '@huggingface/transformers';
import { SignetError } from '../../errors/index.ts';
import type { BatchInputs } from './batch-inputs.ts';
import { leftPadded } from './batch-inputs.ts';
import { acceptRowToken, type BatchRow } from './batch-row.ts';
import { dropLeading, keepRows, padSequence, repeatRowColumns, stack } from './cache-tensors.ts';
import type { DecodingPlan } from './decoding-plan.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { TokenSampler } from './sample-token.ts';
import { afterCachedPrefix, MIN_SHARED_PREFIX } from './shared-prefix.ts';

/** What {@link decodeRows} needs besides the rows. */
export interface DecodeLoopOptions {
  readonly plan: Extract<DecodingPlan, { loop: 'owned' }>;
  readonly sampler: TokenSampler;
  readonly eos: ReadonlySet<bigint>;
  /** Token that fills the left padding of prompts. */
  readonly pad: bigint;
  /** Called once per row, as soon as it finishes (its stream is flushed by then, unless it was aborted). */
  readonly onRowDone?: (row: BatchRow) => void;
  /** Called instead of `onRowDone` for a row that failed on its own (a joiner's prefill, no allowed token). */
  readonly onRowFailed?: (row: BatchRow, error: unknown) => void;
  /**
   * Continuous batching: called between steps with the number of rows still generating; the rows it
   * returns are prefilled and join the running batch. Only a live batch takes rows (once every row is
   * done the call returns, so the model's queue moves on). Only for models that take `position_ids`
   * and whose input metadata names the cache's sequence axis: joining realigns caches, which would
   * shift positions a model derives from the cache length.
   */
  readonly admit?: (generating: number) => readonly BatchRow[];
}

/** A batch between two steps: its rows and everything the next forward pass needs. */
interface Running {
  readonly rows: readonly BatchRow[];
  /** The cache, `past_key_values.*`, batch-major. */
  readonly past: Record<string, Tensor>;
  /** `[rows, width]` attention mask over the cached positions. */
  readonly mask: BigInt64Array;
  readonly width: number;
  /** Per row: the token to feed next and its position. */
  readonly tokens: readonly bigint[];
  readonly positions: readonly number[];
}

/**
 * signet's own decoding loop: one `forward()` per step, then per row the typed-decoding mask, the
 * sampler, the stop checks and the stream. It keeps per row only what the next step needs (the next
 * position, one attention-mask column, the token): none of the per-step re-tokenising of
 * `all_input_ids`, BigInt cumulative sums over the whole mask and async top-k that transformers.js'
 * `generate()` spends, which made its per-row cost grow with the batch and its garbage trigger a major
 * GC per request at batch 8. A row that finishes leaves the batch with its slice of the cache, and
 * requests that arrive meanwhile join it between steps (`admit`). The model is called through
 * transformers.js' `forward()`, which still turns the cache into inputs and fills model-specific ones
 * (`use_cache_branch`, empty caches).
 */
export async function decodeRows(
  lm: LoadedTextGenerator,
  rows: readonly BatchRow[],
  inputs: BatchInputs,
  options: DecodeLoopOptions,
): Promise<void> {
  // Joining and trimming realign the cache, which only models told their positions can follow.
  const axis = options.plan.positionIds ? options.plan.cacheSequenceAxis : undefined;
  let running = await prefill(lm, rows, inputs, options);
  while (running !== undefined) {
    const joining = axis === undefined ? [] : (options.admit?.(running.rows.length) ?? []);
    if (axis !== undefined && joining.length > 0) running = await join(lm, running, joining, axis, options);
    running = await step(lm, running, options);
    if (running !== undefined && axis !== undefined) running = trimmed(running, axis);
  }
}

/**
 * Prefills `joining` (after the prefix they share with the batch, when they do) and stacks them onto
 * `running`. A failure there fails the joiners alone; the running rows go on.
 */
async function join(
  lm: LoadedTextGenerator,
  running: Running,
  joining: readonly BatchRow[],
  axis: number,
  options: DecodeLoopOptions,
): Promise<Running> {
  try {
    const prompts = joining.map((r) => r.promptIds);
    const donated = donatedPrefix(running, prompts, axis);
    const inputs =
      donated === undefined
        ? leftPadded(prompts, options.pad)
        : afterCachedPrefix(prompts, donated.length, options.pad, donated.cache);
    const fresh = await prefill(lm, joining, inputs, options);
    return fresh === undefined ? running : merge(running, fresh, axis);
  } catch (error) {
    for (const row of joining) {
      row.finished = true;
      options.onRowFailed?.(row, error);
    }
    return running;
  }
}

/**
 * `running` without the leading columns that are padding for every row (left by a long row that
 * finished, or by joins), so the cache is as long as its longest live row instead of growing with every
 * step for as long as joiners keep the batch alive.
 */
function trimmed(running: Running, axis: number): Running {
  let lead = running.width;
  for (let r = 0; r < running.rows.length && lead > 0; r++) {
    let c = 0;
    while (c < lead && running.mask[r * running.width + c] === 0n) c++;
    lead = c;
  }
  if (lead === 0) return running;
  const width = running.width - lead;
  const mask = new BigInt64Array(running.rows.length * width);
  for (let r = 0; r < running.rows.length; r++) {
    mask.set(running.mask.subarray(r * running.width + lead, (r + 1) * running.width), r * width);
  }
  const past: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(running.past)) past[name] = dropLeading(tensor, axis, lead);
  return { ...running, mask, width, past };
}

/** Runs the prompts of `rows` (after any cached prefix) and samples each row's first token. */
async function prefill(
  lm: LoadedTextGenerator,
  rows: readonly BatchRow[],
  inputs: BatchInputs,
  options: DecodeLoopOptions,
): Promise<Running | undefined> {
  const { plan } = options;
  const batch = rows.length;
  const cached = 'cached' in inputs ? inputs.cached : 0;
  const width = inputs.width;
  const mask = inputs.attentionMask.data as BigInt64Array;
  const next = new Array<number>(batch).fill(plan.positionStart);
  const promptPositions = new BigInt64Array(batch * (width - cached));
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < width; c++) {
      const real = mask[r * width + c] === 1n;
      // As transformers.js: cumulative count of real tokens, and 1 under padding.
      if (c >= cached)
        promptPositions[r * (width - cached) + c - cached] = real ? BigInt(next[r] as number) : 1n;
      if (real) next[r] = (next[r] as number) + 1;
    }
  }
  const outputs = (await lm.model.forward({
    input_ids:
      cached === 0 ? inputs.inputIds : columns(inputs.inputIds.data as BigInt64Array, batch, width, cached),
    attention_mask: inputs.attentionMask,
    ...(plan.positionIds
      ? { position_ids: new Tensor('int64', promptPositions, [batch, width - cached]) }
      : {}),
    ...(plan.logitsToKeep ? { num_logits_to_keep: new Tensor('int64', [1n], []) } : {}),
    ...('cache' in inputs ? { past_key_values: inputs.cache } : {}),
  })) as Record<string, Tensor>;
  return advance(outputs, { rows, mask, width, positions: next }, options);
}

/** Feeds every row its next token and samples the one after. */
async function step(
  lm: LoadedTextGenerator,
  running: Running,
  options: DecodeLoopOptions,
): Promise<Running | undefined> {
  const { plan } = options;
  const batch = running.rows.length;
  const mask = appendOnes(running.mask, batch, running.width);
  const outputs = (await lm.model.forward({
    input_ids: new Tensor('int64', BigInt64Array.from(running.tokens), [batch, 1]),
    attention_mask: new Tensor('int64', mask, [batch, running.width + 1]),
    ...(plan.positionIds
      ? { position_ids: new Tensor('int64', BigInt64Array.from(running.positions, BigInt), [batch, 1]) }
      : {}),
    ...(plan.logitsToKeep ? { num_logits_to_keep: new Tensor('int64', [1n], []) } : {}),
    past_key_values: running.past,
  })) as Record<string, Tensor>;
  return advance(
    outputs,
    {
      rows: running.rows,
      mask,
      width: running.width + 1,
      positions: running.positions.map((p) => p + 1),
    },
    options,
  );
}

/**
 * Samples each row's next token from `outputs`, finishes the rows that are done and drops them (cache
 * slices included); undefined when no row goes on.
 */
function advance(
  outputs: Record<string, Tensor>,
  batch: Pick<Running, 'rows' | 'mask' | 'width' | 'positions'>,
  options: DecodeLoopOptions,
): Running | undefined {
  const { sampler, eos, pad } = options;
  const logits = lastLogits(outputs.logits);
  const vocab = logits.vocab;
  const keep: number[] = [];
  const tokens = batch.rows.map((row, b) => {
    const aborted = row.request.signal?.aborted === true;
    if (aborted) row.finished = true;
    if (!row.finished) {
      const offset = b * vocab;
      row.constraint?.mask().applyToLogits(logits.data, offset, vocab);
      const token = sampler(logits.data, offset, vocab);
      if (token < 0) {
        row.finished = true;
        options.onRowFailed?.(
          row,
          new SignetError(
            'SIGNET_INTERNAL',
            `No token was allowed after ${row.tracker.tokens.length} generated tokens (every logit was masked out or not a number)`,
          ),
        );
        return pad;
      }
      row.constraint?.accept(token);
      acceptRowToken(row, BigInt(token), eos);
      if (!row.finished) {
        keep.push(b);
        return BigInt(token);
      }
    }
    // An aborted row's caller is gone: its held-back text is not streamed any more.
    if (!aborted) row.tracker.end();
    options.onRowDone?.(row);
    return pad;
  });
  if (keep.length === 0) return undefined;
  const past: Record<string, Tensor> = {};
  for (const name in outputs) {
    if (!name.startsWith('present')) continue;
    const tensor = outputs[name] as Tensor;
    past[name.replace('present', 'past_key_values')] =
      keep.length === batch.rows.length ? tensor : keepRows(tensor, batch.rows.length, keep);
  }
  const all = keep.length === batch.rows.length;
  return {
    rows: all ? batch.rows : keep.map((b) => batch.rows[b] as BatchRow),
    past,
    mask: all ? batch.mask : keepMaskRows(batch.mask, batch.width, keep),
    width: batch.width,
    tokens: all ? tokens : keep.map((b) => tokens[b] as bigint),
    positions: all ? batch.positions : keep.map((b) => batch.positions[b] as number),
  };
}

/**
 * The prompt prefix the joining rows share with the batch's first row, with that row's cached keys and
 * values for it repeated once per joiner: requests of one signature share Ax's system prompt, so a
 * joiner then prefills only the rest of its prompt. Undefined below `MIN_SHARED_PREFIX` tokens.
 */
function donatedPrefix(
  running: Running,
  prompts: readonly (readonly bigint[])[],
  axis: number,
): { length: number; cache: Record<string, Tensor> } | undefined {
  const donor = running.rows[0]?.promptIds ?? [];
  let length = donor.length;
  for (const prompt of prompts) {
    // At least one token of each prompt is left to prefill: its logits give the first new token.
    let shared = 0;
    const limit = Math.min(length, prompt.length - 1);
    while (shared < limit && prompt[shared] === donor[shared]) shared++;
    length = shared;
  }
  if (length < MIN_SHARED_PREFIX) return undefined;
  // The donor's first `length` real tokens, wherever padding put them in its row of the cache.
  const columns: number[] = [];
  for (let c = 0; c < running.width && columns.length < length; c++) {
    if (running.mask[c] === 1n) columns.push(c);
  }
  const cache: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(running.past)) {
    cache[name] = repeatRowColumns(tensor, running.rows.length, 0, axis, columns, prompts.length);
  }
  return { length, cache };
}

/**
 * One batch out of two: both are left-padded to the longer cache (padding masked out, zeros in the
 * cache along `axis`), then stacked, `a`'s rows first.
 */
function merge(a: Running, b: Running, axis: number): Running {
  const width = Math.max(a.width, b.width);
  const past: Record<string, Tensor> = {};
  for (const [name, ta] of Object.entries(a.past)) {
    const tb = b.past[name];
    if (tb === undefined) throw new Error(`the joining rows have no cache entry ${name}`);
    past[name] = stack(padSequence(ta, axis, width), padSequence(tb, axis, width));
  }
  const mask = new BigInt64Array((a.rows.length + b.rows.length) * width);
  const place = (from: Running, firstRow: number): void => {
    for (let r = 0; r < from.rows.length; r++) {
      const row = from.mask.subarray(r * from.width, (r + 1) * from.width);
      mask.set(row, (firstRow + r) * width + (width - from.width));
    }
  };
  place(a, 0);
  place(b, a.rows.length);
  return {
    rows: [...a.rows, ...b.rows],
    past,
    mask,
    width,
    tokens: [...a.tokens, ...b.tokens],
    positions: [...a.positions, ...b.positions],
  };
}

/** The last position's logits of every row as float32, `vocab` per row. */
function lastLogits(logits: Tensor | undefined): { data: Float32Array; vocab: number } {
  if (logits === undefined) throw new Error('the model returned no logits');
  // [batch, seq, vocab], or [batch, vocab] from exports that keep only the last position.
  const [batch = 1, seq = 1, vocab = 0] =
    logits.dims.length === 2 ? [logits.dims[0], 1, logits.dims[1]] : logits.dims;
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
