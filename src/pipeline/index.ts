export { definePipeline, PipelineBuilder, type StepMaker } from './define-pipeline.ts';
export type {
  Pipeline,
  PipelineResult,
  PipelineRunOptions,
  PipelineState,
  PipelineStep,
  PipelineStepReport,
} from './pipeline-types.ts';
export { runStream } from './run-journal.ts';
