import { executionCacheKeys } from '../cache/execution-cache-key.ts';
import type { CacheLookup, CacheMode, CacheQuery, ResponseCache } from '../cache/response-cache.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import type { ProgramKind, ProgramStreamEvent, RunOptions, RunResult } from './program-types.ts';

/** What identifies a program in a cache key. */
export interface CachedProgramIdentity {
  readonly kind: ProgramKind;
  /** `name@version`, for the trace of a hit. */
  readonly signatureId: string;
  /** `signature.hash()`. */
  readonly signatureHash: string;
  /** Hash of the program's state. */
  readonly stateHash: string;
}

/** The cache a run uses, and how. */
export interface CacheUse {
  readonly cache: ResponseCache;
  readonly mode: Exclude<CacheMode, 'off'>;
}

const ZERO = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/** The mode a run uses: the caller's, else `on` at temperature 0 and `off` otherwise. */
export function cacheModeOf(options: RunOptions): CacheMode {
  if (options.cache === undefined) return 'off';
  return options.cacheMode ?? (options.temperature === 0 ? 'on' : 'off');
}

/**
 * Runs through the cache: a hit returns the stored outputs (no model call, zero usage, `cached` naming
 * the original); a miss runs and queues the validated answer for storing. Failed runs throw before
 * anything is stored, so failures and invalid outputs are never cached.
 */
export async function runThroughCache<O extends FieldValues>(
  program: CachedProgramIdentity,
  inputs: FieldValues,
  options: RunOptions,
  use: CacheUse,
  run: () => Promise<RunResult<O>>,
): Promise<RunResult<O>> {
  const started = performance.now();
  const query = cacheQuery(program, inputs, options);
  const found = await lookup(use, query);
  if (found !== undefined) return fromCache<O>(program, query, found, started);
  const result = await run();
  if (writesCache(use)) save(use.cache, query, result, options);
  return result;
}

/**
 * The streaming twin of `runThroughCache`: a hit is replayed as a stream (one `partial` per output
 * field, in order, then `final`); a miss streams from the model and stores the final answer.
 */
export async function* streamThroughCache<O extends FieldValues>(
  program: CachedProgramIdentity,
  inputs: FieldValues,
  options: RunOptions,
  use: CacheUse,
  stream: () => AsyncGenerator<ProgramStreamEvent<O>, void, undefined>,
): AsyncGenerator<ProgramStreamEvent<O>, void, undefined> {
  const started = performance.now();
  const query = cacheQuery(program, inputs, options);
  const found = await lookup(use, query);
  if (found !== undefined) {
    const result = fromCache<O>(program, query, found, started);
    const outputs: Partial<O> = {};
    for (const [field, value] of Object.entries(result.outputs)) {
      (outputs as FieldValues)[field] = value;
      yield { type: 'partial', delta: { [field]: value } as Partial<O>, outputs: { ...outputs } };
    }
    yield { type: 'final', result };
    return;
  }
  for await (const event of stream()) {
    if (event.type === 'final' && writesCache(use)) save(use.cache, query, event.result, options);
    yield event;
  }
}

const writesCache = (use: CacheUse) => use.mode === 'on' || use.mode === 'write';

async function lookup(use: CacheUse, query: CacheQuery): Promise<CacheLookup | undefined> {
  if (use.mode === 'on' || use.mode === 'read') return use.cache.lookup(query);
  use.cache.bypass();
  return undefined;
}

function cacheQuery(program: CachedProgramIdentity, inputs: FieldValues, options: RunOptions): CacheQuery {
  const keys = executionCacheKeys({
    signature: program.signatureHash,
    program: program.kind,
    programState: program.stateHash,
    provider: providerIdentity(options.ai),
    model: options.model,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    topP: options.topP,
    constrained: options.constrain !== false,
    inputs,
  });
  return {
    keys,
    inputs,
    ...(options.semanticCache === true ? { semantic: true } : {}),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

function fromCache<O extends FieldValues>(
  program: CachedProgramIdentity,
  query: CacheQuery,
  found: CacheLookup,
  started: number,
): RunResult<O> {
  const { answer } = found;
  return {
    outputs: answer.outputs as O,
    usage: ZERO,
    trace: {
      program: program.kind,
      signature: program.signatureId,
      provider: answer.provider,
      model: answer.model,
      latencyMs: performance.now() - started,
      attempts: 0,
      retries: 0,
      steps: [],
    },
    cached: {
      kind: found.kind,
      key: query.keys.key,
      inputsHash: found.inputsHash,
      ...(found.similarity === undefined ? {} : { similarity: found.similarity }),
      savedAt: answer.savedAt,
      ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
      originalUsage: answer.usage,
    },
  };
}

function save(cache: ResponseCache, query: CacheQuery, result: RunResult<FieldValues>, options: RunOptions) {
  cache.save(query, {
    outputs: result.outputs,
    provider: result.trace.provider,
    model: result.trace.model,
    usage: result.usage,
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    savedAt: Date.now(),
  });
}

/** A provider's name, plus a router's deployments (the same chain answers the same). */
function providerIdentity(ai: RunOptions['ai']): string {
  const deployments = (ai as { deployments?: unknown }).deployments;
  return Array.isArray(deployments) ? `${ai.getName()}[${deployments.join(',')}]` : ai.getName();
}
