import { SignetError } from '../../errors/index.ts';
import { leftPadded } from './batch-inputs.ts';
import { type BatchRow, prepareRow } from './batch-row.ts';
import { decodeRows } from './decode-loop.ts';
import { planDecoding } from './decoding-plan.ts';
import { generateWithTransformers } from './generate-with-transformers.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, OnnxGenerateResult, TokenConstraint } from './onnx-generate-request.ts';
import { eosTokenIds } from './render-prompt.ts';
import { createTokenSampler } from './sample-token.ts';
import { MIN_SHARED_PREFIX, prefillSharedPrefix, sharedPrefixLength } from './shared-prefix.ts';

/** The outcome of one request of a batch. */
export type BatchOutcome = { ok: true; value: OnnxGenerateResult } | { ok: false; error: unknown };

/** Extra inputs of {@link generateBatch}. */
export interface GenerateBatchOptions {
  /** Compiles a JSON Schema into a fresh typed-decoding constraint (required for `jsonSchema` requests). */
  readonly constraintFor?: (schema: Readonly<Record<string, unknown>>) => TokenConstraint;
  /** Uniform random numbers in [0, 1) for sampling; default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Generates for several requests in one batch: prompts are left-padded to one length (or laid out after
 * a shared prefix prefilled once), each row has its own stop strings, token limit, abort signal,
 * streaming callback and (optionally) a typed-decoding constraint. The batch runs until every row is
 * finished. Requests must share sampling settings (the engine groups them). One forward pass serves
 * every row, which is where concurrent requests gain throughput.
 */
export async function generateBatch(
  lm: LoadedTextGenerator,
  requests: readonly OnnxGenerateRequest[],
  contextLength: number | undefined,
  options: GenerateBatchOptions = {},
): Promise<BatchOutcome[]> {
  const outcomes: (BatchOutcome | undefined)[] = requests.map(() => undefined);
  const rows: BatchRow[] = [];
  const rowIndex: number[] = [];
  requests.forEach((request, index) => {
    try {
      rows.push(prepareRow(lm, request, contextLength, options.constraintFor));
      rowIndex.push(index);
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  });
  if (rows.length > 0) await runRows(lm, rows, contextLength, options);
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

async function runRows(
  lm: LoadedTextGenerator,
  rows: BatchRow[],
  contextLength: number | undefined,
  options: GenerateBatchOptions,
): Promise<void> {
  const eos = eosTokenIds(lm);
  const pad = BigInt(lm.tokenizer.pad_token_id ?? [...eos][0] ?? 0);
  const first = rows[0]?.request;
  try {
    const prompts = rows.map((r) => r.promptIds);
    const shared = sharedPrefixLength(prompts);
    const inputs =
      (shared >= MIN_SHARED_PREFIX ? await prefillSharedPrefix(lm, prompts, shared, pad) : undefined) ??
      leftPadded(prompts, pad);
    const plan = planDecoding(lm.model);
    if (plan.loop === 'owned') {
      const sampler = createTokenSampler({
        temperature: first?.temperature ?? 0,
        topK: plan.topK,
        topP: first?.topP ?? 1,
        random: options.random ?? Math.random,
      });
      await decodeRows(lm, rows, inputs, { plan, sampler, eos, pad });
    } else if (
      contextLength !== undefined &&
      inputs.width + Math.max(...rows.map((r) => r.maxNewTokens)) > contextLength
    ) {
      // generate() keeps advancing finished rows, so the padded batch would run past the context
      // (learned position tables end there): one row at a time instead.
      for (const row of rows)
        await generateWithTransformers(lm, [row], leftPadded([row.promptIds], pad), eos);
    } else {
      await generateWithTransformers(lm, rows, inputs, eos);
    }
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
