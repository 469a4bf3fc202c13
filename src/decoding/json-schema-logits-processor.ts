import { SignetError } from '../errors/signet-error.ts';
import type { ConstrainedDecoder } from './constrained-decoder.ts';

/** The part of a transformers.js `Tensor` of logits this processor touches: `[batch, vocab]` float data. */
export interface LogitsTensorLike {
  /** Shape; the last dimension is the model's vocabulary size. */
  readonly dims: readonly number[];
  /** Row-major data. */
  readonly data: unknown;
}

/**
 * A transformers.js logits processor as a plain function: `generate()` calls every entry of its
 * `logits_processor` list as `processor(inputIds, logits)` before sampling, with the prompt plus the
 * tokens generated so far.
 */
export type JsonLogitsProcessor = <T extends LogitsTensorLike>(
  inputIds: readonly (readonly bigint[])[],
  logits: T,
) => T;

/**
 * Wraps a constrained decoder as a logits processor for `model.generate({ logits_processor: [p] })`.
 * The first call records the prompt length; each later call feeds the newly sampled token to the
 * decoder, then sets the logits of every disallowed token to -Infinity (EOS stays only when the JSON
 * document is complete, and is the only choice once nothing else can follow). Batch size must be 1;
 * one processor serves one generation.
 */
export function createJsonSchemaLogitsProcessor(decoder: ConstrainedDecoder): JsonLogitsProcessor {
  let seen: number | undefined;
  return (inputIds, logits) => {
    const row = inputIds[0];
    if (inputIds.length !== 1 || row === undefined) {
      throw new SignetError(
        'SIGNET_INPUT_INVALID',
        'Typed decoding supports one sequence per generate() call; send requests one at a time',
      );
    }
    if (seen === undefined) seen = row.length;
    for (; seen < row.length; seen++) decoder.accept(Number(row[seen]));
    const data = logits.data;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new SignetError('SIGNET_INTERNAL', 'Typed decoding expects float32 or float64 logits');
    }
    const vocab = logits.dims.at(-1) ?? data.length;
    decoder.mask().applyToLogits(data, data.length - vocab, vocab);
    return logits;
  };
}
