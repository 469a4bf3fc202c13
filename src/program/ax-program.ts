import { type AxFunction, AxGen } from '@ax-llm/ax';
import { formatIssues } from '../errors/issue.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { FieldSpec } from '../signature/field-spec.ts';
import type { Signature } from '../signature/signature.ts';
import type { FieldValues, SignatureExample } from '../signature/signature-types.ts';
import { hashCanonical } from '../util/canonical-json.ts';
import { CheckpointingService } from './checkpointing-service.ts';
import { mapRunError } from './map-run-error.ts';
import { createMemoizedPromptTemplate } from './memoized-prompt-template.ts';
import { type ProgramState, parseProgramState } from './program-state.ts';
import type {
  LlmStep,
  Program,
  ProgramKind,
  ProgramStreamEvent,
  RunOptions,
  RunResult,
} from './program-types.ts';
import {
  type CachedProgramIdentity,
  type CacheUse,
  cacheModeOf,
  runThroughCache,
  streamThroughCache,
} from './run-through-cache.ts';
import type { StepCheckpoints } from './step-checkpoints.ts';
import { createTraceRecorder, type TraceRecorder } from './trace-recorder.ts';

/** How a kind of program is built on one AxGen. */
export interface AxProgramSpec<I extends FieldValues, O extends FieldValues> {
  readonly kind: ProgramKind;
  /** The signature callers see. */
  readonly signature: Signature<I, O>;
  /** The signature the model answers (e.g. with a leading `reasoning` field); defaults to `signature`. */
  readonly runSignature?: Signature;
  /** Tools offered on each run, bound to that run's recorder and signal. */
  readonly tools?: (
    recorder: TraceRecorder,
    signal: AbortSignal | undefined,
    checkpoints: StepCheckpoints | undefined,
  ) => AxFunction[];
  /** Kind-specific settings saved with the state. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Step limit for multi-step (tool-using) programs. */
  readonly maxSteps?: number;
  readonly instructions?: string | undefined;
  readonly demos: readonly SignatureExample<I, O>[];
}

const DEFAULT_RETRIES = 2;

/**
 * A program that runs on one Ax generator. The generator is built once and shared by concurrent runs;
 * everything specific to a run (trace, usage, tools) lives in a per-run recorder around the provider.
 */
export class AxProgram<I extends FieldValues, O extends FieldValues> implements Program<I, O> {
  readonly kind: ProgramKind;
  readonly signature: Signature<I, O>;
  readonly #spec: AxProgramSpec<I, O>;
  readonly #runSignature: Signature;
  readonly #gen: AxGen;
  /** Hash of `state()`, for cache keys (the program is immutable, so it is computed once). */
  #stateHash: string | undefined;

  constructor(spec: AxProgramSpec<I, O>) {
    this.kind = spec.kind;
    this.signature = spec.signature;
    this.#spec = spec;
    const base = spec.runSignature ?? spec.signature;
    this.#runSignature = spec.instructions === undefined ? base : base.withInstructions(spec.instructions);
    this.#gen = new AxGen(this.#runSignature.toAxSignature(), {
      promptTemplate: createMemoizedPromptTemplate(),
    });
    if (spec.demos.length > 0) {
      this.#gen.setExamples(spec.demos.map((demo) => ({ ...demo.inputs, ...demo.outputs })));
    }
    // Ax checks types and declared constraints; this adds the rest of the zod schema (refinements,
    // formats) to the same re-ask loop, so the error is fed back to the model.
    if (this.#runSignature.customValidation) {
      // Ax checks types and declared constraints; a user's zod schema may hold more (refinements,
      // transforms). Those join the same re-ask loop, so the model is told what was wrong.
      const required = this.#runSignature.visibleOutputs.filter((f) => !f.optional).map((f) => f.name);
      this.#gen.addAssert((values: Record<string, unknown>) => {
        // Intermediate tool-calling turns have no outputs yet; missing fields are Ax's to report.
        if (required.some((name) => values[name] === undefined)) return undefined;
        const result = this.#runSignature.parseOutput(
          withoutNullOptionals(values, this.#runSignature.outputs),
        );
        return result.ok ? true : `Output does not match the signature: ${formatIssues(result.issues)}`;
      });
    }
  }

  async run(inputs: I, options: RunOptions): Promise<RunResult<O>> {
    const started = performance.now();
    const values = this.#validInputs(inputs);
    const use = this.#cacheUse(options);
    if (use === undefined) return this.#forward(values, options, started);
    return runThroughCache(this.#cacheIdentity(), values, options, use, () =>
      this.#forward(values, options, started),
    );
  }

  async *stream(inputs: I, options: RunOptions): AsyncGenerator<ProgramStreamEvent<O>, void, undefined> {
    const use = this.#cacheUse(options);
    if (use === undefined) {
      yield* this.#stream(inputs, options);
      return;
    }
    // Validated here as well as in #stream: the key is built from valid inputs only.
    const values = this.#validInputs(inputs);
    yield* streamThroughCache(this.#cacheIdentity(), values, options, use, () =>
      this.#stream(values, options),
    );
  }

  /** The cache and mode a run uses, or undefined for none (a cache there but off counts a bypass). */
  #cacheUse(options: RunOptions): CacheUse | undefined {
    const { cache } = options;
    if (cache === undefined) return undefined;
    const mode = cacheModeOf(options);
    if (mode !== 'off') return { cache, mode };
    cache.bypass();
    return undefined;
  }

  #cacheIdentity(): CachedProgramIdentity {
    this.#stateHash ??= hashCanonical(this.state());
    return {
      kind: this.kind,
      signatureId: this.signature.id,
      signatureHash: this.signature.hash(),
      stateHash: this.#stateHash,
    };
  }

  /** One model run on inputs already validated. */
  async #forward(values: I, options: RunOptions, started: number): Promise<RunResult<O>> {
    const recorder = createTraceRecorder(
      options.constrain === false ? 'free' : 'constrained',
      this.#runSignature.jsonSchema().output,
    );
    let raw: Record<string, unknown>;
    try {
      raw = await this.#gen.forward(
        recorder.wrap(providerOf(options)),
        values,
        this.#forwardOptions(recorder, options),
      );
    } catch (error) {
      throw mapRunError(error, { recorder, signature: this.#runSignature, signal: options.signal });
    } finally {
      // Usage is counted per run by the recorder; Ax's own tally on the shared generator would grow forever.
      this.#gen.resetUsage();
    }
    return this.#result(raw, recorder, options, started);
  }

  async *#stream(inputs: I, options: RunOptions): AsyncGenerator<ProgramStreamEvent<O>, void, undefined> {
    const started = performance.now();
    const values = this.#validInputs(inputs);
    const recorder = createTraceRecorder(
      options.constrain === false ? 'free' : 'constrained',
      this.#runSignature.jsonSchema().output,
    );
    let outputs: Record<string, unknown> = {};
    let version: number | undefined;
    try {
      const chunks = this.#gen.streamingForward(
        recorder.wrap(providerOf(options)),
        values,
        this.#forwardOptions(recorder, options),
      );
      for await (const chunk of chunks) {
        if (version !== undefined && chunk.version !== version) {
          outputs = {};
          yield { type: 'reset', reason: 'retry' };
        }
        version = chunk.version;
        const delta = chunk.delta as Record<string, unknown>;
        for (const [field, value] of Object.entries(delta)) {
          const previous = outputs[field];
          outputs[field] =
            typeof value === 'string' && typeof previous === 'string' ? previous + value : value;
        }
        if (Object.keys(delta).length > 0) {
          yield { type: 'partial', delta: delta as Partial<O>, outputs: { ...outputs } as Partial<O> };
        }
      }
    } catch (error) {
      throw mapRunError(error, { recorder, signature: this.#runSignature, signal: options.signal });
    } finally {
      this.#gen.resetUsage();
    }
    yield { type: 'final', result: this.#result(outputs, recorder, options, started) };
  }

  #validInputs(inputs: I): I {
    const valid = this.signature.validateInput(inputs);
    if (valid.ok) return valid.value;
    throw new SignetError(
      'SIGNET_INPUT_INVALID',
      `inputs do not match ${this.signature.id}: ${formatIssues(valid.issues)}`,
      {
        issues: valid.issues,
      },
    );
  }

  #forwardOptions(recorder: TraceRecorder, options: RunOptions) {
    const tools = this.#spec.tools?.(recorder, options.signal, options.checkpoints) ?? [];
    return {
      maxRetries: options.maxRetries ?? DEFAULT_RETRIES,
      ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.temperature === undefined && options.maxTokens === undefined && options.topP === undefined
        ? {}
        : {
            modelConfig: {
              ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
              ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
              ...(options.topP === undefined ? {} : { topP: options.topP }),
            },
          }),
      ...(tools.length > 0 ? { functions: tools, maxSteps: this.#spec.maxSteps ?? 5 } : {}),
    };
  }

  #result(
    raw: Record<string, unknown>,
    recorder: TraceRecorder,
    options: RunOptions,
    started: number,
  ): RunResult<O> {
    const parsed = this.#runSignature.parseOutput(withoutNullOptionals(raw, this.#runSignature.outputs));
    if (!parsed.ok) {
      throw mapRunError(new Error(formatIssues(parsed.issues)), {
        recorder,
        signature: this.#runSignature,
        signal: options.signal,
        issues: parsed.issues,
      });
    }
    // One pass, no per-call closures: this runs on every call and is part of signet's measured overhead.
    let attempts = 0;
    let tools = 0;
    let last: LlmStep | undefined;
    for (const step of recorder.steps) {
      if (step.type === 'llm') {
        attempts++;
        last = step;
      } else if (step.type === 'tool') tools++;
    }
    return {
      outputs: parsed.value as O,
      usage: recorder.usage(),
      trace: {
        program: this.kind,
        signature: this.signature.id,
        provider: last?.provider ?? options.ai.getName(),
        model: last?.model ?? 'unknown',
        latencyMs: performance.now() - started,
        attempts,
        retries: Math.max(0, attempts - 1 - tools),
        steps: recorder.steps,
      },
    };
  }

  state(): ProgramState {
    return {
      format: 'signet.program/v1',
      kind: this.kind,
      signature: { name: this.signature.name, version: this.signature.version, hash: this.signature.hash() },
      ...(this.#spec.instructions === undefined ? {} : { instructions: this.#spec.instructions }),
      demos: this.#spec.demos,
      settings: this.#spec.settings,
    };
  }

  withState(state: unknown): AxProgram<I, O> {
    const parsed = parseProgramState(state, this.kind, this.signature);
    return new AxProgram({
      ...this.#spec,
      instructions: parsed.instructions,
      demos: parsed.demos as readonly SignatureExample<I, O>[],
      settings: { ...this.#spec.settings, ...parsed.settings },
      ...(typeof parsed.settings.maxSteps === 'number' ? { maxSteps: parsed.settings.maxSteps } : {}),
    });
  }

  withDemos(demos: readonly SignatureExample<I, O>[]): AxProgram<I, O> {
    return new AxProgram({ ...this.#spec, demos });
  }

  withInstructions(instructions: string): AxProgram<I, O> {
    return new AxProgram({ ...this.#spec, instructions });
  }
}

/**
 * Ax's structured-output protocol sends an absent optional field as `null`; the signature's contract
 * is that the field is missing. Drop those nulls, at every depth, before validating.
 */
function withoutNullOptionals(
  value: Record<string, unknown>,
  fields: readonly FieldSpec[],
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const field of fields) {
    const current = value[field.name];
    let next: unknown = current;
    if (current === null && (field.optional || field.internal)) next = undefined;
    else if (field.type.fields !== undefined && current !== null && typeof current === 'object') {
      const nested = field.type.fields;
      next = Array.isArray(current)
        ? current.map((item: unknown) => (isRecord(item) ? withoutNullOptionals(item, nested) : item))
        : isRecord(current)
          ? withoutNullOptionals(current, nested)
          : current;
    }
    if (next !== current) {
      out ??= { ...value };
      if (next === undefined) delete out[field.name];
      else out[field.name] = next;
    }
  }
  return out ?? value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The run's provider; with checkpoints, one whose replies are recorded and replayed on resume. */
function providerOf(options: RunOptions): RunOptions['ai'] {
  return options.checkpoints === undefined
    ? options.ai
    : new CheckpointingService(options.ai, options.checkpoints);
}
