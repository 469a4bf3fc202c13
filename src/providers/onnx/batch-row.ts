import type { Tensor } from '@huggingface/transformers';
import { boundSchemaToBudget } from '../../decoding/bound-schema-to-budget.ts';
import { SignetError } from '../../errors/index.ts';
import { GenerationTracker } from './generation-tracker.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult, TokenConstraint } from './onnx-generate-request.ts';
import { renderPrompt } from './render-prompt.ts';

/** The outcome of one request of a batch. */
export type BatchOutcome = { ok: true; value: OnnxGenerateResult } | { ok: false; error: unknown };

/** One sequence of a batch while it generates. */
export interface BatchRow {
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

/** Renders and tokenizes a request, checks it fits the context and builds its tracker and constraint. */
export function prepareRow(
  lm: LoadedTextGenerator,
  request: OnnxGenerateRequest,
  contextLength: number | undefined,
  constraintFor: ((schema: Readonly<Record<string, unknown>>) => TokenConstraint) | undefined,
): BatchRow {
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

/** Hands a row its next generated token and decides whether the row is finished. */
export function acceptRowToken(row: BatchRow, token: bigint, eos: ReadonlySet<bigint>): void {
  row.tracker.accept([token]);
  if (eos.has(token)) row.endedByEos = true;
  row.finished =
    row.endedByEos ||
    row.tracker.stopIndex !== undefined ||
    row.tracker.tokens.length >= row.maxNewTokens ||
    row.request.signal?.aborted === true;
}

/** What a finished row's caller gets: its text and counts, or `SIGNET_ABORTED` when its signal fired. */
export function rowOutcome(row: BatchRow): BatchOutcome {
  const { signal } = row.request;
  if (signal?.aborted === true) {
    return {
      ok: false,
      error: new SignetError('SIGNET_ABORTED', 'Generation aborted by the caller', { cause: signal.reason }),
    };
  }
  return {
    ok: true,
    value: {
      text: row.tracker.text(),
      finishReason: row.tracker.stopIndex !== undefined || row.endedByEos ? 'stop' : 'length',
      usage: { promptTokens: row.promptIds.length, completionTokens: row.tracker.tokens.length },
    },
  };
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
