import { DynamicCache, Tensor } from '@huggingface/transformers';
import type { LoadedTextGenerator } from './load-onnx-model.ts';

/** Rows sharing fewer leading prompt tokens than this are prefilled the ordinary way. */
export const MIN_SHARED_PREFIX = 16;

/** Length of the prompt prefix every row shares, kept one token short of the shortest prompt. */
export function sharedPrefixLength(prompts: readonly (readonly bigint[])[]): number {
  const [first, ...rest] = prompts;
  if (first === undefined || rest.length === 0) return 0;
  const shortest = Math.min(...prompts.map((p) => p.length));
  let length = 0;
  while (length < shortest - 1 && rest.every((p) => p[length] === first[length])) length++;
  return length;
}

/** The batch inputs once a shared prefix is in the cache: `[prefix][pads][suffix]` per row. */
export interface PrefixedBatch {
  readonly inputIds: Tensor;
  readonly attentionMask: Tensor;
  /** The prefix's keys and values, repeated for every row. */
  readonly cache: DynamicCache;
  /** Width of each row of `inputIds` (prefix included). */
  readonly width: number;
  /** Leading columns of `inputIds` already in `cache`. */
  readonly cached: number;
}

/**
 * Prefills the prefix the rows share once (batch of one), repeats its keys and values for every row,
 * and lays each row out as `[prefix][pads][rest of its prompt]` with the pads masked out (undefined
 * when the model's cache is not plain float32 keys and values; the caller then prefills normally). Concurrent
 * requests of one signature share Ax's whole system prompt, so most of their prefill is done once.
 */
export async function prefillSharedPrefix(
  lm: LoadedTextGenerator,
  prompts: readonly (readonly bigint[])[],
  prefixLength: number,
  pad: bigint,
): Promise<PrefixedBatch | undefined> {
  const first = prompts[0] ?? [];
  const prefix = BigInt64Array.from(first.slice(0, prefixLength));
  const outputs = (await lm.model.forward({
    input_ids: new Tensor('int64', prefix, [1, prefixLength]),
    attention_mask: new Tensor('int64', new BigInt64Array(prefixLength).fill(1n), [1, prefixLength]),
  })) as Record<string, unknown>;
  const entries: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (!name.startsWith('present') || !(value instanceof Tensor)) continue;
    // Plain float32 key/value caches only; other cache layouts (fp16, recurrent state) prefill normally.
    if (value.type !== 'float32' || !/^present\.\d+\.(key|value)$/.test(name)) return undefined;
    entries[name.replace('present', 'past_key_values')] = repeatRows(value, prompts.length);
  }
  if (Object.keys(entries).length === 0) return undefined;
  return afterCachedPrefix(prompts, prefixLength, pad, entries);
}

/**
 * Lays each row out as `[prefix][pads][rest of its prompt]`, the pads masked out, over `cache`: the
 * prefix's keys and values already repeated for every row. Positions count real tokens, so the rest
 * of each prompt continues at `prefixLength` whatever padding precedes it.
 */
export function afterCachedPrefix(
  prompts: readonly (readonly bigint[])[],
  prefixLength: number,
  pad: bigint,
  cache: Record<string, Tensor>,
): PrefixedBatch {
  const suffix = Math.max(...prompts.map((p) => p.length - prefixLength));
  const width = prefixLength + suffix;
  const ids = new BigInt64Array(prompts.length * width).fill(pad);
  const mask = new BigInt64Array(prompts.length * width);
  prompts.forEach((prompt, r) => {
    const row = r * width;
    for (let i = 0; i < prefixLength; i++) {
      ids[row + i] = prompt[i] as bigint;
      mask[row + i] = 1n;
    }
    const rest = prompt.length - prefixLength;
    for (let i = 0; i < rest; i++) {
      ids[row + width - rest + i] = prompt[prefixLength + i] as bigint;
      mask[row + width - rest + i] = 1n;
    }
  });
  return {
    inputIds: new Tensor('int64', ids, [prompts.length, width]),
    attentionMask: new Tensor('int64', mask, [prompts.length, width]),
    cache: new DynamicCache(cache),
    width,
    cached: prefixLength,
  };
}

/** A `[1, ...]` tensor repeated `times` along the batch dimension. */
function repeatRows(tensor: Tensor, times: number): Tensor {
  const data = tensor.data as Float32Array;
  const out = new Float32Array(data.length * times);
  for (let r = 0; r < times; r++) out.set(data, r * data.length);
  return new Tensor('float32', out, [times, ...tensor.dims.slice(1)]);
}
