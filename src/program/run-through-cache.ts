import { executionCacheKey } from '../cache/execution-cache-key.ts';
import type { CacheMode, ResponseCache } from '../cache/response-cache.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import type { ProgramKind, RunOptions, RunResult } from './program-types.ts';

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

const ZERO = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/** The mode a run uses: the caller's, else `on` at temperature 0 and `off` otherwise. */
export function cacheModeOf(options: RunOptions): CacheMode {
  if (options.cache === undefined) return 'off';
  return options.cacheMode ?? (options.temperature === 0 ? 'on' : 'off');
}

/**
 * Runs through `cache` in `mode` (anything but `off`): a hit returns the stored outputs (no model call, zero usage, `cached`
 * naming the original); a miss runs and stores the validated answer. Failed runs throw before anything
 * is stored, so failures and invalid outputs are never cached.
 */
export async function runThroughCache<O extends FieldValues>(
  program: CachedProgramIdentity,
  inputs: FieldValues,
  options: RunOptions,
  use: { readonly cache: ResponseCache; readonly mode: Exclude<CacheMode, 'off'> },
  run: () => Promise<RunResult<O>>,
): Promise<RunResult<O>> {
  const { cache, mode } = use;
  const started = performance.now();
  const key = executionCacheKey({
    signature: program.signatureHash,
    program: program.kind,
    programState: program.stateHash,
    provider: providerIdentity(options.ai),
    model: options.model,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    constrained: options.constrain !== false,
    inputs,
  });
  if (mode === 'on' || mode === 'read') {
    const hit = await cache.lookup(key);
    if (hit !== undefined) {
      return {
        outputs: hit.outputs as O,
        usage: ZERO,
        trace: {
          program: program.kind,
          signature: program.signatureId,
          provider: hit.provider,
          model: hit.model,
          latencyMs: performance.now() - started,
          attempts: 0,
          retries: 0,
          steps: [],
        },
        cached: {
          key,
          savedAt: hit.savedAt,
          ...(hit.requestId === undefined ? {} : { requestId: hit.requestId }),
          originalUsage: hit.usage,
        },
      };
    }
  }
  const result = await run();
  if (mode === 'on' || mode === 'write') {
    await cache.save(key, {
      outputs: result.outputs,
      provider: result.trace.provider,
      model: result.trace.model,
      usage: result.usage,
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
      savedAt: Date.now(),
    });
  }
  return result;
}

/** A provider's name, plus a router's deployments (the same chain answers the same). */
function providerIdentity(ai: RunOptions['ai']): string {
  const deployments = (ai as { deployments?: unknown }).deployments;
  return Array.isArray(deployments) ? `${ai.getName()}[${deployments.join(',')}]` : ai.getName();
}
