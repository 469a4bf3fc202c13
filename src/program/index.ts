export { chainOfThought, type WithReasoning } from './chain-of-thought.ts';
export { defineProgram, type ProgramDefinition } from './define-program.ts';
export { defineTool, type Tool, type ToolContext } from './define-tool.ts';
export { type PredictOptions, predict } from './predict.ts';
export type { ProgramState } from './program-state.ts';
export type {
  CacheHit,
  CheckStep,
  LlmStep,
  Program,
  ProgramKind,
  ProgramStreamEvent,
  RunOptions,
  RunResult,
  ToolStep,
  Trace,
  Usage,
} from './program-types.ts';
export { type ReactOptions, react } from './react.ts';
export { type Critic, type RefineOptions, refine, type Validator } from './refine.ts';
export { checkpointed, type StepCheckpoints } from './step-checkpoints.ts';
export { sumUsage } from './sum-usage.ts';
