import { Tensor } from '@huggingface/transformers';
import type { PrefixedBatch } from './shared-prefix.ts';

/** The first model inputs of a batch: left-padded prompts, or prompts after a prefilled shared prefix. */
export type BatchInputs = PaddedBatch | PrefixedBatch;

/** Prompts left-padded to one width, the ordinary batch layout. */
export interface PaddedBatch {
  readonly inputIds: Tensor;
  readonly attentionMask: Tensor;
  /** Width of each row. */
  readonly width: number;
}

/** Lays `prompts` out left-padded with `pad`, masked out. */
export function leftPadded(prompts: readonly (readonly bigint[])[], pad: bigint): PaddedBatch {
  const width = Math.max(...prompts.map((p) => p.length));
  const ids = new BigInt64Array(prompts.length * width).fill(pad);
  const mask = new BigInt64Array(prompts.length * width);
  prompts.forEach((prompt, r) => {
    const offset = r * width + (width - prompt.length);
    prompt.forEach((id, i) => {
      ids[offset + i] = id;
      mask[offset + i] = 1n;
    });
  });
  return {
    inputIds: new Tensor('int64', ids, [prompts.length, width]),
    attentionMask: new Tensor('int64', mask, [prompts.length, width]),
    width,
  };
}
