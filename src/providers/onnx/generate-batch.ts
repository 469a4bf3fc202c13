import { SignetError } from '../../errors/index.ts';
import type { OnnxDevice } from '../hardware/onnx-device.ts';
import { leftPadded } from './batch-inputs.ts';
import { type BatchOutcome, type BatchRow, prepareRow, rowOutcome } from './batch-row.ts';
import { decodeRows } from './decode-loop.ts';
import { planDecoding } from './decoding-plan.ts';
import { generateWithTransformers } from './generate-with-transformers.ts';
import type { LoadedTextGenerator } from './load-onnx-model.ts';
import type { OnnxGenerateRequest, TokenConstraint } from './onnx-generate-request.ts';
import { eosTokenIds } from './render-prompt.ts';
import { createTokenSampler } from './sample-token.ts';
import { MIN_SHARED_PREFIX, prefillSharedPrefix, sharedPrefixLength } from './shared-prefix.ts';

export type { BatchOutcome } from './batch-row.ts';

/** A request of a batch and where its outcome goes. */
export interface BatchEntry {
  readonly request: OnnxGenerateRequest;
  /** Receives the request's outcome once: as soon as its row finishes, or when the batch fails. */
  settle(outcome: BatchOutcome): void;
}

/** Extra inputs of {@link runBatch} and {@link generateBatch}. */
export interface GenerateBatchOptions {
  /** Compiles a JSON Schema into a fresh typed-decoding constraint (required for `jsonSchema` requests). */
  readonly constraintFor?: (schema: Readonly<Record<string, unknown>>) => TokenConstraint;
  /** Uniform random numbers in [0, 1) for sampling; default `Math.random`. */
  readonly random?: () => number;
  /** Device the model runs on (WebGPU models decode through transformers.js' `generate()`). */
  readonly device?: OnnxDevice;
  /**
   * Continuous batching: between steps, requests that may join the running batch, given how many rows
   * are still generating (they must sample like the batch). Only signet's own loop calls it.
   */
  readonly admit?: (generating: number) => readonly BatchEntry[];
}

/**
 * Generates for several requests in one batch: prompts are left-padded to one length (or laid out after
 * a shared prefix prefilled once), each row has its own stop strings, token limit, abort signal,
 * streaming callback and (optionally) a typed-decoding constraint. Each entry is settled when its row
 * finishes. Requests must share sampling settings (the engine groups them). One forward pass serves
 * every row, which is where concurrent requests gain throughput.
 */
export async function runBatch(
  lm: LoadedTextGenerator,
  entries: readonly BatchEntry[],
  contextLength: number | undefined,
  options: GenerateBatchOptions = {},
): Promise<void> {
  const owners = new Map<BatchRow, BatchEntry>();
  const prepare = (batch: readonly BatchEntry[]): BatchRow[] =>
    batch.flatMap((entry) => {
      try {
        const row = prepareRow(lm, entry.request, contextLength, options.constraintFor);
        owners.set(row, entry);
        return [row];
      } catch (error) {
        entry.settle({ ok: false, error });
        return [];
      }
    });
  const rows = prepare(entries);
  if (rows.length === 0) return;
  const settle = (row: BatchRow, outcome: BatchOutcome): void => {
    owners.get(row)?.settle(outcome);
    owners.delete(row);
  };
  const done = (row: BatchRow): void => settle(row, rowOutcome(row));
  const failed = (row: BatchRow, cause: unknown): void =>
    settle(row, { ok: false, error: providerError(row.request.model, cause) });
  const admit = options.admit;
  try {
    await runRows(lm, rows, contextLength, options, {
      done,
      failed,
      ...(admit === undefined ? {} : { admit: (generating: number) => prepare(admit(generating)) }),
    });
  } catch (cause) {
    const error = providerError(rows[0]?.request.model, cause);
    // An aborted row gets SIGNET_ABORTED whatever the pass it was in did.
    for (const [row, entry] of owners) {
      entry.settle(row.request.signal?.aborted === true ? rowOutcome(row) : { ok: false, error });
    }
    owners.clear();
    return;
  }
  // Rows the loop did not report (the generate() path reports none): settle them now.
  for (const row of [...owners.keys()]) done(row);
}

/** {@link runBatch} for a fixed list of requests, resolving with their outcomes in order. */
export async function generateBatch(
  lm: LoadedTextGenerator,
  requests: readonly OnnxGenerateRequest[],
  contextLength: number | undefined,
  options: Omit<GenerateBatchOptions, 'admit'> = {},
): Promise<BatchOutcome[]> {
  const outcomes: (BatchOutcome | undefined)[] = requests.map(() => undefined);
  await runBatch(
    lm,
    requests.map((request, i) => ({
      request,
      settle: (outcome: BatchOutcome) => {
        outcomes[i] ??= outcome;
      },
    })),
    contextLength,
    options,
  );
  return outcomes.map((o) => o ?? { ok: false, error: new Error('unreachable: every row has an outcome') });
}

async function runRows(
  lm: LoadedTextGenerator,
  rows: BatchRow[],
  contextLength: number | undefined,
  options: GenerateBatchOptions,
  hooks: {
    done: (row: BatchRow) => void;
    failed: (row: BatchRow, error: unknown) => void;
    admit?: (generating: number) => readonly BatchRow[];
  },
): Promise<void> {
  const eos = eosTokenIds(lm);
  const pad = BigInt(lm.tokenizer.pad_token_id ?? [...eos][0] ?? 0);
  const first = rows[0]?.request;
  const prompts = rows.map((r) => r.promptIds);
  const shared = sharedPrefixLength(prompts);
  const inputs =
    (shared >= MIN_SHARED_PREFIX ? await prefillSharedPrefix(lm, prompts, shared, pad) : undefined) ??
    leftPadded(prompts, pad);
  const plan = planDecoding(lm.model, options.device);
  if (plan.loop === 'owned') {
    const sampler = createTokenSampler({
      temperature: first?.temperature ?? 0,
      topK: plan.topK,
      topP: first?.topP ?? 1,
      random: options.random ?? Math.random,
    });
    await decodeRows(lm, rows, inputs, {
      plan,
      sampler,
      eos,
      pad,
      onRowDone: hooks.done,
      onRowFailed: hooks.failed,
      ...(hooks.admit === undefined ? {} : { admit: hooks.admit }),
    });
  } else if (
    contextLength !== undefined &&
    inputs.width + Math.max(...rows.map((r) => r.maxNewTokens)) > contextLength
  ) {
    // generate() keeps advancing finished rows, so the padded batch would run past the context
    // (learned position tables end there): one row at a time instead.
    for (const row of rows) {
      await generateWithTransformers(lm, [row], leftPadded([row.promptIds], pad), eos);
      hooks.done(row);
    }
  } else {
    await generateWithTransformers(lm, rows, inputs, eos);
  }
}

/** A failure of the model run, as callers see it. */
function providerError(model: string | undefined, cause: unknown): SignetError {
  if (SignetError.is(cause)) return cause;
  return new SignetError('SIGNET_PROVIDER_ERROR', `Generation with "${model}" failed: ${String(cause)}`, {
    cause,
  });
}
