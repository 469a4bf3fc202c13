import type { ErrorCode } from '../errors/error-catalog.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { Program, RunOptions, RunResult } from '../program/program-types.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import { classifyFailure, failureCode } from './classify-failure.ts';
import { type RouteReason, reasonOf } from './route-reason.ts';
import type { RouteRecord } from './route-record.ts';
import type { Router } from './router.ts';

/** Options of `runWithEscalation`: the run options, with a router instead of `ai`. */
export interface EscalationOptions extends Omit<RunOptions, 'ai'> {
  /** The router whose deployments are tried one at a time. */
  readonly router: Router;
  /** Deployment ids to try, in order (default: all of the router's, in its order). */
  readonly deployments?: readonly string[] | undefined;
  /** Program error codes that move the run to the next deployment (default `SIGNET_OUTPUT_INVALID`). */
  readonly escalateOn?: readonly ErrorCode[] | undefined;
}

/** The run moved from one deployment to the next. */
export interface Escalation {
  /** Deployment whose run failed. */
  readonly from: string;
  /** Deployment tried next. */
  readonly to: string;
  /** Why: `output-invalid` when the output failed the signature after the re-asks, else the provider failure. */
  readonly reason: RouteReason;
  /** Signet code of the failure. */
  readonly code: ErrorCode;
  /** Its message. */
  readonly message: string;
}

/** A run result plus where it ran and how it got there. */
export interface EscalationResult<O extends FieldValues> extends RunResult<O> {
  /** Deployment whose output was accepted. */
  readonly deployment: string;
  /** Every move to a next deployment, in order (empty when the first one answered). */
  readonly escalations: readonly Escalation[];
  /** Route records of every model call of every run, in order. */
  readonly routes: readonly RouteRecord[];
}

/**
 * Runs a program on the router's deployments one at a time (each pinned with `router.only(id)`, so it
 * keeps its breaker, limits and retries) and escalates to the next deployment when the output still fails
 * the signature after the program's re-asks, or when the deployment fails in a way another may not
 * (retries exhausted, credentials, open breaker...). Terminal failures (rejected request, abort, invalid
 * inputs) are thrown at once; when every deployment fails, the last error is thrown.
 */
export async function runWithEscalation<I extends FieldValues, O extends FieldValues>(
  program: Program<I, O>,
  inputs: I,
  options: EscalationOptions,
): Promise<EscalationResult<O>> {
  const {
    router,
    deployments = router.deployments,
    escalateOn = ['SIGNET_OUTPUT_INVALID'],
    ...run
  } = options;
  if (deployments.length === 0) throw new TypeError('runWithEscalation: give at least one deployment');
  const escalations: Escalation[] = [];
  const routes: RouteRecord[] = [];
  let lastError: unknown;
  for (const [index, id] of deployments.entries()) {
    const ai = router.only(id).recording();
    try {
      const result = await program.run(inputs, { ...run, ai });
      routes.push(...ai.routes);
      return { ...result, deployment: id, escalations, routes };
    } catch (error) {
      routes.push(...ai.routes);
      if (!escalates(error, escalateOn, options.signal)) throw error;
      lastError = error;
      const next = deployments[index + 1];
      if (next === undefined) break;
      escalations.push({
        from: id,
        to: next,
        reason: reasonOf(error),
        code: failureCode(error),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  throw lastError;
}

function escalates(
  error: unknown,
  escalateOn: readonly ErrorCode[],
  signal: AbortSignal | undefined,
): boolean {
  if (signal?.aborted) return false;
  if (SignetError.is(error) && escalateOn.includes(error.code)) return true;
  return classifyFailure(error) !== 'terminal';
}
