import {
  BaseStreamer,
  LogitsProcessor,
  LogitsProcessorList,
  StoppingCriteria,
  type Tensor,
  type TextStreamer,
} from '@huggingface/transformers';
import { SignetError } from '../../errors/index.ts';
import type { BatchInputs } from './batch-inputs.ts';
import { acceptRowToken, type BatchRow } from './batch-row.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';

/**
 * Decodes a batch with transformers.js' own `generate()`: the path for models signet's loop does not
 * drive (see `planDecoding`). Rows, stops, streams and typed decoding behave as in the owned loop,
 * through a streamer, a stopping criterion and a logits processor.
 */
export async function generateWithTransformers(
  lm: LoadedTextGenerator,
  rows: BatchRow[],
  inputs: BatchInputs,
  eos: ReadonlySet<bigint>,
): Promise<void> {
  const first = rows[0]?.request;
  const processors = new LogitsProcessorList();
  if (rows.some((r) => r.constraint !== undefined)) processors.push(new RowConstraints(rows, inputs.width));
  const temperature = first?.temperature ?? 0;
  await lm.model.generate({
    input_ids: inputs.inputIds,
    attention_mask: inputs.attentionMask,
    ...('cache' in inputs ? { past_key_values: inputs.cache } : {}),
    max_new_tokens: Math.max(...rows.map((r) => r.maxNewTokens)),
    do_sample: temperature > 0,
    ...(temperature > 0 ? { temperature, top_p: first?.topP ?? 1 } : {}),
    // transformers.js types the streamer as a TextStreamer; any BaseStreamer works (put/end only).
    streamer: new BatchStreamer(rows, eos) as unknown as TextStreamer,
    stopping_criteria: new RowsFinished(rows),
    logits_processor: processors,
  });
}

/** Hands each generated token to its row's tracker until that row is finished. */
class BatchStreamer extends BaseStreamer {
  #promptSeen = false;

  constructor(
    private readonly rows: BatchRow[],
    private readonly eos: ReadonlySet<bigint>,
  ) {
    super();
  }

  override put(value: bigint[][]): void {
    if (!this.#promptSeen) {
      this.#promptSeen = true;
      return;
    }
    this.rows.forEach((row, r) => {
      const token = value[r]?.[0];
      if (!row.finished && token !== undefined) acceptRowToken(row, token, this.eos);
    });
  }

  override end(): void {
    for (const row of this.rows) row.tracker.end();
  }
}

/** Stops a row once it finished; the batch ends when all have. Also notices aborts between steps. */
class RowsFinished extends StoppingCriteria {
  constructor(private readonly rows: BatchRow[]) {
    super();
  }

  override _call(inputIds: number[][]): boolean[] {
    return inputIds.map((_, r) => {
      const row = this.rows[r];
      if (row === undefined) return true;
      if (row.request.signal?.aborted === true) row.finished = true;
      return row.finished;
    });
  }
}

/** Applies each row's typed-decoding constraint to its logits row before sampling. */
class RowConstraints extends LogitsProcessor {
  constructor(
    private readonly rows: BatchRow[],
    private readonly promptWidth: number,
  ) {
    super();
  }

  override _call(inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new SignetError('SIGNET_INTERNAL', 'Typed decoding expects float32 or float64 logits');
    }
    const vocab = logits.dims.at(-1) ?? data.length;
    const rowLength = data.length / this.rows.length;
    this.rows.forEach((row, r) => {
      const constraint = row.constraint;
      const ids = inputIds[r];
      if (constraint === undefined || ids === undefined || row.finished) return;
      for (; row.fed < ids.length - this.promptWidth; row.fed++) {
        constraint.accept(Number(ids[this.promptWidth + row.fed]));
      }
      constraint.mask().applyToLogits(data, r * rowLength + (rowLength - vocab), vocab);
    });
    return logits;
  }
}
