import type { Program } from '../program/program-types.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import { definePipeline } from './define-pipeline.ts';
import type { Pipeline } from './pipeline-types.ts';

/**
 * One program as a durable run: a one-step pipeline named after its signature, whose run with a
 * `store` and `runId` checkpoints every model call, tool call and refine critique inside it, and
 * resumes from them. `durable(react(sig, { tools })).run(inputs, { ai, store, runId })`.
 */
export function durable<I extends FieldValues, O extends FieldValues>(
  program: Program<I, O>,
  meta: { readonly name?: string; readonly version?: string } = {},
): Pipeline<I, O> {
  return definePipeline<I>({
    // Signature names may hold `_`, `.` or `/`; a pipeline name is kebab-case.
    name:
      meta.name ??
      program.signature.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    version: meta.version ?? program.signature.version,
  })
    .step('program', program, (s) => s.input as I)
    .returns((s) => s.program as O);
}
