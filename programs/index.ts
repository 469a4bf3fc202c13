/**
 * Built-in programs, listed once. A program's optimized state, when an optimizer has produced one, is
 * saved as `programs/state/<name>.json` and applied by `createBuiltinProgram`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SignetError } from '../src/index.ts';
import { answerQuestionProgram } from './answer-question.program.ts';
import { boundedSummaryProgram } from './bounded-summary.program.ts';
import { groundedAnswerProgram } from './grounded-answer.program.ts';
import { readOnlySqlProgram } from './read-only-sql.program.ts';
import { researchAnswerPipeline } from './research-answer.pipeline.ts';
import { supportReplyPipeline } from './support-reply.pipeline.ts';

export {
  answerQuestionProgram,
  boundedSummaryProgram,
  groundedAnswerProgram,
  readOnlySqlProgram,
  researchAnswerPipeline,
  supportReplyPipeline,
};

/** Every built-in pipeline (served by the runs API: `POST /api/v1/dspy/runs { pipeline }`). */
export const builtinPipelines = [researchAnswerPipeline, supportReplyPipeline] as const;

/** Every built-in program. */
export const builtinPrograms = [
  answerQuestionProgram,
  groundedAnswerProgram,
  boundedSummaryProgram,
  readOnlySqlProgram,
] as const;

/** Where the saved state of a built-in program lives. */
export function programStatePath(name: string): URL {
  return new URL(`./state/${name}.json`, import.meta.url);
}

/** Builds a built-in program by name, with its saved state applied when a state file exists. */
export function createBuiltinProgram(name: string) {
  const definition = builtinPrograms.find((p) => p.name === name);
  if (definition === undefined) {
    throw new SignetError(
      'SIGNET_SIGNATURE_NOT_FOUND',
      `no built-in program named "${name}"; available: ${builtinPrograms.map((p) => p.name).join(', ')}`,
    );
  }
  const path = programStatePath(name);
  return existsSync(path) ? definition.create(readFileSync(path, 'utf8')) : definition.create();
}
