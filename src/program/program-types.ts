import type { AxAIService } from '@ax-llm/ax';
import type { CacheKind, CacheMode, ResponseCache } from '../cache/response-cache.ts';
import type { Signature } from '../signature/signature.ts';
import type { FieldValues, SignatureExample } from '../signature/signature-types.ts';
import type { ProgramState } from './program-state.ts';
import type { StepCheckpoints } from './step-checkpoints.ts';

/** The kinds of program signet compiles signatures into. */
export type ProgramKind = 'predict' | 'chain-of-thought' | 'react' | 'refine';

/** Per-run options. `ai` is any Ax provider (a signet provider, the router, or a scripted provider). */
export interface RunOptions {
  /** The model provider to run on. */
  readonly ai: AxAIService;
  /** Cancels the run, including the in-flight provider call. */
  readonly signal?: AbortSignal | undefined;
  /** Model name or key to ask the provider for. */
  readonly model?: string | undefined;
  /** Sampling temperature. */
  readonly temperature?: number | undefined;
  /** Cap on generated tokens per model call. */
  readonly maxTokens?: number | undefined;
  /** Nucleus sampling: sample from the most likely tokens whose probabilities add up to `topP`, in (0, 1]. */
  readonly topP?: number | undefined;
  /** How many times output that fails the signature is re-asked with the error fed back (default 2). */
  readonly maxRetries?: number | undefined;
  /**
   * Typed decoding (default true): providers that own their decoding loop (local ONNX) constrain the
   * output to the signature's schema. `false` samples freely, e.g. to measure what the constraint saves.
   */
  readonly constrain?: boolean | undefined;
  /** A response cache (`createCache()`): a run with the same key is answered from it, no model call. */
  readonly cache?: ResponseCache | undefined;
  /** How this run uses `cache` (default `on` at temperature 0, else `off`). */
  readonly cacheMode?: CacheMode | undefined;
  /**
   * Also answer from a stored run whose inputs mean the same (similarity at or above the threshold of
   * the cache's semantic matcher), in the same signature, program state, model and parameters only.
   * Needs a cache created with `semantic`. Default false.
   */
  readonly semanticCache?: boolean | undefined;
  /** Id of the request the run serves, stored with a cached answer so a hit can name where it came from. */
  readonly requestId?: string | undefined;
  /**
   * Checkpoints of the steps inside this run (model calls, tool calls, refine critiques): what an
   * earlier attempt recorded is read back instead of done again. A pipeline run with a store passes
   * one to each of its steps; see `StepCheckpoints`.
   */
  readonly checkpoints?: StepCheckpoints | undefined;
}

/** Token counts summed over every model call of a run. */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** One model call made during a run. */
export interface LlmStep {
  readonly type: 'llm';
  /** Provider name (e.g. `openai`, `onnx`, `scripted`). */
  readonly provider: string;
  /** Model that answered. */
  readonly model: string;
  /** Wall time of the call in ms. */
  readonly latencyMs: number;
  /** Tokens of this call. */
  readonly usage: Usage;
  /** Whether the call returned (its output may still have failed validation). */
  readonly ok: boolean;
  /** Error message when the call failed. */
  readonly error?: string;
  /** How a router reached the answer, e.g. `primary:timeout → backup:ok` (only through a router). */
  readonly route?: string;
}

/** One tool call made by a ReAct program. */
export interface ToolStep {
  readonly type: 'tool';
  /** Tool name. */
  readonly name: string;
  /** Wall time of the tool in ms. */
  readonly latencyMs: number;
  /** Whether the arguments validated and the tool returned. */
  readonly ok: boolean;
  /** Argument issues or the tool's error message. */
  readonly error?: string;
}

/** One validation or critique pass of a refine program. */
export interface CheckStep {
  readonly type: 'validate' | 'critique';
  /** Iteration number, from 1. */
  readonly iteration: number;
  /** Whether the outputs passed (validate) or the critic had nothing to say (critique). */
  readonly passed: boolean;
  /** Problems found or feedback given. */
  readonly messages: readonly string[];
}

/** What happened during a run, for debugging, metrics and billing. */
export interface Trace {
  /** Program kind. */
  readonly program: ProgramKind;
  /** `name@version` of the signature. */
  readonly signature: string;
  /** Provider of the last model call. */
  readonly provider: string;
  /** Model of the last model call. */
  readonly model: string;
  /** Wall time of the whole run in ms. */
  readonly latencyMs: number;
  /** Number of model calls. */
  readonly attempts: number;
  /** Model calls beyond the first that re-asked after invalid output. */
  readonly retries: number;
  /** Every step, in order. */
  readonly steps: readonly (LlmStep | ToolStep | CheckStep)[];
}

/** The result of `program.run()`: typed outputs, token usage and a trace. */
export interface RunResult<O extends FieldValues> {
  readonly outputs: O;
  /** Tokens this run used: zero when it was answered from the cache. */
  readonly usage: Usage;
  readonly trace: Trace;
  /** Present when the answer came from the cache. */
  readonly cached?: CacheHit | undefined;
}

/** Where a cached answer came from. */
export interface CacheHit {
  /** `exact`: the same inputs; `semantic`: inputs that mean the same (see `similarity`). */
  readonly kind: CacheKind;
  /** The cache key the answer is stored under (SHA-256 hex). */
  readonly key: string;
  /** Hash of the inputs the answer was produced for (the run's own, on an exact hit). */
  readonly inputsHash: string;
  /** Cosine similarity of this run's inputs to those, on a semantic hit. */
  readonly similarity?: number | undefined;
  /** When the answer was stored, in ms since the epoch. */
  readonly savedAt: number;
  /** Request id of the run that produced it, when it had one. */
  readonly requestId?: string | undefined;
  /** Tokens the original run used. */
  readonly originalUsage: Usage;
}

/** One event of a streamed run: field deltas as they arrive, a reset when a re-ask restarts, the final result. */
export type ProgramStreamEvent<O extends FieldValues> =
  | {
      readonly type: 'partial';
      /** What this chunk added: text appended to string fields, replaced values for others. */
      readonly delta: Partial<O>;
      /** Every field received so far in the current attempt. */
      readonly outputs: Partial<O>;
    }
  | { readonly type: 'reset'; readonly reason: 'retry' | 'revise' }
  | { readonly type: 'final'; readonly result: RunResult<O> };

/** A runnable program compiled from a signature. Immutable: `with*` methods return new programs. */
export interface Program<I extends FieldValues, O extends FieldValues> {
  /** What kind of program this is. */
  readonly kind: ProgramKind;
  /** The signature the program answers (its outputs type is `O`). */
  readonly signature: Signature<I, O>;
  /** Validates inputs (SIGNET_INPUT_INVALID with issues), runs, validates outputs, returns them typed. */
  run(inputs: I, options: RunOptions): Promise<RunResult<O>>;
  /**
   * Like `run`, but yields typed partial fields as the model produces them, then the final result.
   * A `reset` event means a re-ask started over: discard the partial fields received so far.
   */
  stream(inputs: I, options: RunOptions): AsyncGenerator<ProgramStreamEvent<O>, void, undefined>;
  /** Learnable state (instructions, demos, settings) as JSON. */
  state(): ProgramState;
  /** A copy with state loaded (from `state()` output, possibly read back from a file). */
  withState(state: unknown): Program<I, O>;
  /** A copy with few-shot demos. */
  withDemos(demos: readonly SignatureExample<I, O>[]): Program<I, O>;
  /** A copy with other instructions for the model. */
  withInstructions(instructions: string): Program<I, O>;
}
