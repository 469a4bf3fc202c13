import type { z } from 'zod';
import { sumUsage } from '../../src/program/sum-usage.ts';
import type { runSchema } from '../schemas/run-schemas.ts';
import type { RecordedStep } from './read-run-stream.ts';
import type { RunRecord } from './run-record.ts';

/** A run as the API answers it. */
export type RunView = z.infer<typeof runSchema>;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The API's view of a run, from its record and its recorded steps (listed when `listSteps`). */
export function runView(run: RunRecord, steps: readonly RecordedStep[], listSteps: boolean): RunView {
  const usage = run.usage ?? sumUsage(steps.map((s) => s.usage));
  return {
    id: run.id,
    status: run.status,
    pipeline: run.pipeline,
    createdAt: iso(run.createdAt) as string,
    updatedAt: iso(run.updatedAt) as string,
    ...(run.startedAt === undefined ? {} : { startedAt: iso(run.startedAt) }),
    ...(run.finishedAt === undefined ? {} : { finishedAt: iso(run.finishedAt) }),
    attempts: run.attempts,
    resumes: run.resumes,
    stepsTotal: run.steps,
    stepsDone: steps.length,
    ...(!listSteps
      ? {}
      : {
          steps: steps.map((s) => ({
            step: s.step,
            signature: s.program.split('#')[0] ?? s.program,
            outputs: s.outputs,
            usage: s.usage,
            recordedAt: iso(s.at) as string,
          })),
        }),
    ...(run.outputs === undefined ? {} : { outputs: run.outputs }),
    usage,
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.idempotencyKey === undefined ? {} : { idempotencyKey: run.idempotencyKey }),
  };
}
