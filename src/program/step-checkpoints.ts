import { SignetError } from '../errors/signet-error.ts';

/**
 * Where a program records the steps inside one run (model calls, tool calls, refine critiques), so a
 * resumed run reads them back instead of doing them again. A pipeline gives each of its steps one
 * (`definePipeline` with a `store` and `runId`); keys are made by the program, unique within the scope.
 */
export interface StepCheckpoints {
  /** The value recorded under `key` by an earlier attempt, boxed (undefined: none). */
  recorded(key: string): { readonly value: unknown } | undefined;
  /** Whether an earlier attempt started `key` (a step that must not run twice) and never recorded it. */
  started(key: string): boolean;
  /** Records that `key` is starting (for steps that must not run twice). */
  start(key: string): Promise<void>;
  /** Records the value of a completed step; a failed write fails the step. */
  record(key: string, value: unknown): Promise<void>;
  /** Run again a non-idempotent step that started but was never recorded (default false: it fails). */
  readonly allowUncertainSteps: boolean;
  /** The next key for `base`: `base#1`, `base#2`... (calls repeat, e.g. one tool with the same arguments). */
  key(base: string): string;
}

/**
 * Runs `work` once per key across attempts: answers what an earlier attempt recorded, else runs it and
 * records its value. With `idempotent: false`, a step that started in an earlier attempt but was never
 * recorded (the process died during it) fails with SIGNET_RUN_STEP_UNCERTAIN rather than running twice.
 */
export async function checkpointed<T>(
  checkpoints: StepCheckpoints | undefined,
  key: string,
  work: () => Promise<T>,
  options: { readonly idempotent: boolean; readonly what: string },
): Promise<T> {
  if (checkpoints === undefined) return work();
  const recorded = checkpoints.recorded(key);
  if (recorded !== undefined) return recorded.value as T;
  if (!options.idempotent) {
    if (checkpoints.started(key) && !checkpoints.allowUncertainSteps) {
      throw new SignetError(
        'SIGNET_RUN_STEP_UNCERTAIN',
        `${options.what} started in an earlier attempt of this run and was never recorded, so whether it took effect is unknown; check, then resume with allowUncertainSteps: true to run it again`,
        { details: { step: key } },
      );
    }
    await checkpoints.start(key);
  }
  const value = await work();
  await checkpoints.record(key, value);
  return value;
}
