import {
  type CacheKind,
  type CacheMode,
  type FieldValues,
  formatIssues,
  type Program,
  type ProgramKind,
  type ProgramStreamEvent,
  type ResponseCache,
  type RunResult,
  type Signature,
  type SignatureRegistry,
  SignetError,
  type Usage,
} from '../../src/index.ts';
import { instrumentProvider } from '../metrics/instrument-provider.ts';
import { recordRunTrace } from '../metrics/record-run-trace.ts';
import type { ServerMetrics } from '../metrics/server-metrics.ts';
import type { ProviderResolver, ResolvedProvider } from '../provider-resolver.ts';
import type { ProgramCache } from './program-cache.ts';
import { resolveProviderOrThrow } from './resolve-provider.ts';

/** Per-request settings of an execution. */
export interface ExecuteConfig {
  /** Model id to run on (see `GET /api/v1/models`). */
  readonly model?: string | undefined;
  /** Role to pick a model by, when no model is named. */
  readonly role?: string | undefined;
  /** Sampling temperature. */
  readonly temperature?: number | undefined;
  /** Cap on generated tokens per model call. */
  readonly maxTokens?: number | undefined;
  /** Nucleus sampling share, in (0, 1]. */
  readonly topP?: number | undefined;
  /** Deadline for the whole execution in ms (capped by the server's maximum). */
  readonly timeoutMs?: number | undefined;
  /** Response cache mode (default: on at temperature 0, when the server has a cache). */
  readonly cache?: CacheMode | undefined;
  /** Also answer from cached runs whose inputs mean the same (needs the semantic cache). */
  readonly semanticCache?: boolean | undefined;
}

/** What to run: a signature reference, a program kind and settings. */
export interface ExecuteTarget {
  /** Signature name. */
  readonly signature: string;
  /** Version or semver range (latest when absent). */
  readonly version?: string | undefined;
  /** Program kind (default `predict`). */
  readonly program: ProgramKind;
  /** Settings. */
  readonly config?: ExecuteConfig | undefined;
}

/** An execution whose signature and program are resolved; provider and inputs not yet checked. */
export interface PreparedExecution {
  readonly signature: Signature;
  readonly kind: ProgramKind;
  readonly program: Program<FieldValues, FieldValues>;
  readonly config: ExecuteConfig;
  /** Things the caller should know about how the request was served (e.g. react without tools). */
  readonly warnings: readonly string[];
}

/** The outcome of one execution, as the HTTP API returns it (minus the request id). */
export interface ExecutionResult {
  readonly outputs: FieldValues;
  readonly usage: Usage;
  readonly model: string;
  readonly provider: string;
  readonly latencyMs: number;
  readonly attempts: number;
  readonly warnings?: readonly string[];
  /** Where a cached answer came from. */
  readonly cached?: {
    readonly kind: CacheKind;
    readonly requestId?: string;
    readonly savedAt: string;
    readonly inputsHash: string;
    readonly similarity?: number;
  };
}

/** A streamed piece of an execution: new output text, or a restart after a re-ask. */
export type ExecutionStreamEvent =
  | { readonly type: 'partial'; readonly delta: Readonly<FieldValues> }
  | { readonly type: 'reset'; readonly reason: 'retry' | 'revise' };

/** Per-run options. */
export interface RunContext {
  /** Aborts the run (client disconnect). */
  readonly signal: AbortSignal;
  /**
   * Receives output fields as the model produces them. When set, the program runs in streaming mode
   * (`program.stream()`); a `reset` means a re-ask started over and earlier deltas are void.
   */
  readonly onEvent?: (event: ExecutionStreamEvent) => void;
  /** Receives the time spent waiting for providers, success or not. */
  readonly onProviderTime?: (ms: number) => void;
  /** Id of the HTTP request, stored with a cached answer. */
  readonly requestId?: string | undefined;
}

/** Resolves and runs executions; shared by the single, streaming and batch endpoints. */
export interface ExecutionService {
  /** Resolves the signature (SIGNET_SIGNATURE_NOT_FOUND with suggestions) and its compiled program. */
  prepare(target: ExecuteTarget): PreparedExecution;
  /** Checks inputs against the signature; SIGNET_INPUT_INVALID with issues when they do not match. */
  checkInputs(prepared: PreparedExecution, inputs: unknown): FieldValues;
  /** Picks the provider (503 with how to add one, or 404 for an unknown model or role). */
  resolveProvider(prepared: PreparedExecution): ResolvedProvider;
  /** Runs with the deadline and abort signal applied, recording metrics. */
  run(
    prepared: PreparedExecution,
    provider: ResolvedProvider,
    inputs: FieldValues,
    context: RunContext,
  ): Promise<ExecutionResult>;
}

/** Options of `createExecutionService`. */
export interface ExecutionServiceOptions {
  readonly signatures: SignatureRegistry;
  readonly providers: ProviderResolver;
  readonly programs: ProgramCache;
  /** Upper bound (and default) for `config.timeoutMs`. */
  readonly maxTimeoutMs: number;
  readonly metrics?: ServerMetrics | undefined;
  /** Response cache of executions, when the server has one. */
  readonly cache?: ResponseCache | undefined;
  /** Signatures (by name, `*`: all) whose executions use the semantic cache unless a request says otherwise. */
  readonly semanticSignatures?: ReadonlySet<string> | '*' | undefined;
}

const WARNINGS: Partial<Record<ProgramKind, string>> = {
  react: 'react over HTTP has no tools, so it answers in one step like predict',
  refine:
    "refine over HTTP has no validators beyond the signature's own output checks, so the first valid answer is returned",
};

/** Creates the execution service. */
export function createExecutionService(options: ExecutionServiceOptions): ExecutionService {
  const { metrics } = options;
  return {
    prepare(target) {
      const ref = target.version === undefined ? target.signature : `${target.signature}@${target.version}`;
      const signature = options.signatures.get(ref);
      const config = target.config ?? {};
      const warning = WARNINGS[target.program];
      return {
        signature,
        kind: target.program,
        program: options.programs.get(signature, target.program),
        config,
        warnings: warning === undefined ? [] : [warning],
      };
    },

    checkInputs(prepared, inputs) {
      const valid = prepared.signature.validateInput(inputs);
      if (valid.ok) return valid.value;
      throw new SignetError(
        'SIGNET_INPUT_INVALID',
        `inputs do not match ${prepared.signature.id}: ${formatIssues(valid.issues)}`,
        { issues: valid.issues },
      );
    },

    resolveProvider: (prepared) =>
      resolveProviderOrThrow(options.providers, { model: prepared.config.model, role: prepared.config.role }),

    async run(prepared, provider, inputs, context) {
      const { config } = prepared;
      const timeoutMs = Math.min(config.timeoutMs ?? options.maxTimeoutMs, options.maxTimeoutMs);
      // One controller for the run, aborted by the client or the deadline: AbortSignal.any() costs tens
      // of microseconds per request on Node 20 (weak refs and a finalizer per composed signal).
      const run = new AbortController();
      let timedOut = false;
      const onClientAbort = () => run.abort(context.signal.reason);
      const timer = setTimeout(() => {
        timedOut = true;
        run.abort(new Error('deadline'));
      }, timeoutMs);
      if (context.signal.aborted) onClientAbort();
      else context.signal.addEventListener('abort', onClientAbort, { once: true });
      const { signal } = run;
      const labels = { provider: provider.provider, model: provider.model };
      const instrumented =
        metrics === undefined ? undefined : instrumentProvider(provider.ai, labels, metrics);
      const executionLabels = { signature: prepared.signature.name, program: prepared.kind };
      try {
        const runOptions = {
          ai: instrumented?.ai ?? provider.ai,
          signal,
          // A routed call sends no model: each deployment answers with its own.
          model: provider.routed === true ? undefined : provider.model,
          temperature: config.temperature,
          maxTokens: config.maxTokens,
          topP: config.topP,
          ...(options.cache === undefined
            ? {}
            : {
                cache: options.cache,
                cacheMode: config.cache,
                requestId: context.requestId,
                semanticCache:
                  config.semanticCache ?? usesSemantic(options.semanticSignatures, prepared.signature.name),
              }),
        };
        const result =
          context.onEvent === undefined
            ? await prepared.program.run(inputs, runOptions)
            : await consumeStream(prepared.program.stream(inputs, runOptions), context.onEvent);
        metrics?.executions.inc({ ...executionLabels, outcome: 'success' });
        if (metrics !== undefined) recordRunTrace(metrics, result.trace, labels);
        return toResult(result, prepared.warnings);
      } catch (error) {
        const failure =
          timedOut && !context.signal.aborted
            ? new SignetError(
                'SIGNET_PROVIDER_TIMEOUT',
                `${prepared.signature.id} did not finish within ${timeoutMs} ms; raise config.timeoutMs or use a faster model`,
                { cause: error, details: { timeoutMs } },
              )
            : error;
        const code = SignetError.is(failure) ? failure.code : 'SIGNET_INTERNAL';
        metrics?.executions.inc({ ...executionLabels, outcome: code });
        throw failure;
      } finally {
        clearTimeout(timer);
        context.signal.removeEventListener('abort', onClientAbort);
        if (instrumented !== undefined) context.onProviderTime?.(instrumented.timer.totalMs);
      }
    },
  };
}

async function consumeStream(
  events: AsyncIterable<ProgramStreamEvent<FieldValues>>,
  onEvent: (event: ExecutionStreamEvent) => void,
): Promise<RunResult<FieldValues>> {
  for await (const event of events) {
    if (event.type === 'final') return event.result;
    onEvent(event.type === 'partial' ? { type: 'partial', delta: event.delta } : event);
  }
  throw new Error('unreachable: a program stream ends with a final event or an error');
}

function toResult(result: RunResult<FieldValues>, warnings: readonly string[]): ExecutionResult {
  return {
    outputs: result.outputs,
    usage: result.usage,
    model: result.trace.model,
    provider: result.trace.provider,
    latencyMs: Math.round(result.trace.latencyMs * 10) / 10,
    attempts: result.trace.attempts,
    ...(warnings.length === 0 ? {} : { warnings }),
    ...(result.cached === undefined
      ? {}
      : {
          cached: {
            kind: result.cached.kind,
            ...(result.cached.requestId === undefined ? {} : { requestId: result.cached.requestId }),
            savedAt: new Date(result.cached.savedAt).toISOString(),
            inputsHash: result.cached.inputsHash,
            ...(result.cached.similarity === undefined ? {} : { similarity: result.cached.similarity }),
          },
        }),
  };
}

function usesSemantic(signatures: ReadonlySet<string> | '*' | undefined, name: string): boolean {
  return signatures === '*' || (signatures?.has(name) ?? false);
}
