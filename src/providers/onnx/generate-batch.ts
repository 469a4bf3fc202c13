import {
  BaseStreamer,
  LogitsProcessor,
  LogitsProcessorList,
  StoppingCriteria,
  Tensor,
  type TextStreamer,
} from '@huggingface/transformers';
import { boundSchemaToBudget } from '../../decoding/bound-schema-to-budget.ts';
import { SignetError } from '../../errors/index.ts';
import { GenerationTracker } from './generation-tracker.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult, TokenConstraint } from './onnx-generate-request.ts';
import { eosTokenIds, renderPrompt } from './render-prompt.ts';
import { MIN_SHARED_PREFIX, prefillSharedPrefix, sharedPrefixLength } from './shared-prefix.ts';

/** The outcome of one request of a batch. */
export type BatchOutcome = { ok: true; value: OnnxGenerateResult } | { ok: false; error: unknown };

/** One sequence of a batch while it generates. */
interface Row {
  readonly request: OnnxGenerateRequest;
  readonly promptIds: readonly bigint[];
  readonly maxNewTokens: number;
  readonly tracker: GenerationTracker;
  readonly constraint: TokenConstraint | undefined;
  /** Tokens of this row already fed to its constraint (counted from the end of the padded prompt). */
  fed: number;
  finished: boolean;
  endedByEos: boolean;
}

/**
 * Generates for several requests in one batched `generate()` call: prompts are left-padded to one
 * length, each row has its own stop strings, token limit, abort signal, streaming callback and
 * (optionally) a typed-decoding constraint. The batch runs until every row is finished; tokens a
 * finished row keeps receiving are ignored. Requests must share sampling settings (the engine groups
 * them). One forward pass serves every row, which is where concurrent requests gain throughput.
 */
export async function generateBatch(
  lm: LoadedTextGenerator,
  requests: readonly OnnxGenerateRequest[],
  contextLength: number | undefined,
  constraintFor?: (schema: Readonly<Record<string, unknown>>) => TokenConstraint,
): Promise<BatchOutcome[]> {
  const outcomes: (BatchOutcome | undefined)[] = requests.map(() => undefined);
  const rows: Row[] = [];
  const rowIndex: number[] = [];
  const eos = eosTokenIds(lm);
  requests.forEach((request, index) => {
    try {
      rows.push(prepareRow(lm, request, contextLength, constraintFor));
      rowIndex.push(index);
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  });
  if (rows.length > 0) await runRows(lm, rows, eos);
  rows.forEach((row, i) => {
    const index = rowIndex[i] as number;
    const { signal } = row.request;
    if (signal?.aborted === true) {
      outcomes[index] = {
        ok: false,
        error: new SignetError('SIGNET_ABORTED', 'Generation aborted by the caller', {
          cause: signal.reason,
        }),
      };
      return;
    }
    outcomes[index] ??= {
      ok: true,
      value: {
        text: row.tracker.text(),
        finishReason: row.tracker.stopIndex !== undefined || row.endedByEos ? 'stop' : 'length',
        usage: { promptTokens: row.promptIds.length, completionTokens: row.tracker.tokens.length },
      },
    };
  });
  return outcomes.map((o) => o ?? { ok: false, error: new Error('unreachable: every row has an outcome') });
}

function prepareRow(
  lm: LoadedTextGenerator,
  request: OnnxGenerateRequest,
  contextLength: number | undefined,
  constraintFor: ((schema: Readonly<Record<string, unknown>>) => TokenConstraint) | undefined,
): Row {
  const prompt = renderPrompt(lm, request);
  const encoded = lm.tokenizer(prompt.text, { add_special_tokens: prompt.addSpecialTokens }) as {
    input_ids: Tensor;
  };
  const promptIds = Array.from(encoded.input_ids.data as BigInt64Array);
  let maxNewTokens = request.maxTokens;
  if (contextLength !== undefined) {
    if (promptIds.length >= contextLength) {
      throw new SignetError(
        'SIGNET_CONTEXT_TOO_LONG',
        `Prompt is ${promptIds.length} tokens but "${request.model}" has a ${contextLength}-token context; shorten the prompt or use a model with a longer context`,
        { details: { promptTokens: promptIds.length, contextLength } },
      );
    }
    maxNewTokens = Math.min(maxNewTokens, contextLength - promptIds.length);
  }
  if (request.signal?.aborted === true) {
    throw new SignetError('SIGNET_ABORTED', 'Generation aborted by the caller', {
      cause: request.signal.reason,
    });
  }
  return {
    request,
    promptIds,
    maxNewTokens,
    tracker: new GenerationTracker({
      decode: (ids) => (ids.length === 0 ? '' : lm.tokenizer.decode([...ids], { skip_special_tokens: true })),
      stop: request.stop ?? [],
      onDelta: request.onToken,
    }),
    constraint:
      request.constraint ??
      (request.jsonSchema === undefined
        ? undefined
        : // Bounded so the document always ends within the token budget instead of being cut mid-string.
          requireFactory(constraintFor)(
            boundSchemaToBudget({ ...request.jsonSchema }, { maxBytes: maxNewTokens }),
          )),
    fed: 0,
    finished: false,
    endedByEos: false,
  };
}

async function runRows(lm: LoadedTextGenerator, rows: Row[], eos: ReadonlySet<bigint>): Promise<void> {
  const pad = BigInt(lm.tokenizer.pad_token_id ?? [...eos][0] ?? 0);
  const prompts = rows.map((r) => r.promptIds);
  const shared = sharedPrefixLength(prompts);
  const inputs =
    (shared >= MIN_SHARED_PREFIX ? await prefillSharedPrefix(lm, prompts, shared, pad) : undefined) ??
    leftPadded(prompts, pad);
  const width = inputs.width;
  const first = rows[0]?.request;
  const processors = new LogitsProcessorList();
  if (rows.some((r) => r.constraint !== undefined)) processors.push(new RowConstraints(rows, width));
  const temperature = first?.temperature ?? 0;
  try {
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
  } catch (error) {
    if (rows.every((r) => r.request.signal?.aborted === true)) return;
    throw new SignetError(
      'SIGNET_PROVIDER_ERROR',
      `Generation with "${first?.model}" failed: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Prompts left-padded to one width, the ordinary batch layout. */
function leftPadded(
  prompts: readonly (readonly bigint[])[],
  pad: bigint,
): { inputIds: Tensor; attentionMask: Tensor; width: number } {
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

/** Hands each generated token to its row's tracker until that row is finished. */
class BatchStreamer extends BaseStreamer {
  #promptSeen = false;

  constructor(
    private readonly rows: Row[],
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
      if (row.finished || token === undefined) return;
      row.tracker.accept([token]);
      if (this.eos.has(token)) row.endedByEos = true;
      row.finished =
        row.endedByEos ||
        row.tracker.stopIndex !== undefined ||
        row.tracker.tokens.length >= row.maxNewTokens ||
        row.request.signal?.aborted === true;
    });
  }

  override end(): void {
    for (const row of this.rows) row.tracker.end();
  }
}

/** Stops a row once it finished; the batch ends when all have. Also notices aborts between steps. */
class RowsFinished extends StoppingCriteria {
  constructor(private readonly rows: Row[]) {
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
    private readonly rows: Row[],
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

function requireFactory(
  constraintFor: ((schema: Readonly<Record<string, unknown>>) => TokenConstraint) | undefined,
): (schema: Readonly<Record<string, unknown>>) => TokenConstraint {
  if (constraintFor === undefined) {
    throw new SignetError(
      'SIGNET_INTERNAL',
      'typed decoding was requested but no grammar compiler was given',
    );
  }
  return constraintFor;
}
