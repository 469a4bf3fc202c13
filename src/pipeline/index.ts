export { definePipeline, PipelineBuilder, type StepMaker } from './define-pipeline.ts';
export { durable } from './durable.ts';
export type {
  Pipeline,
  PipelineMeta,
  PipelineResult,
  PipelineRunOptions,
  PipelineState,
  PipelineStep,
  PipelineStepEvent,
  PipelineStepReport,
} from './pipeline-types.ts';
export { runStream } from './run-journal.ts';
