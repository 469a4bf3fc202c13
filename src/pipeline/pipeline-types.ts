import type { z } from 'zod';
import type { Program, RunOptions, Usage } from '../program/program-types.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import type { ValidationResult } from '../signature/validation-result.ts';
import type { Store } from '../store/store.ts';

/** What a step's input mapping sees: the pipeline's inputs, and the outputs of every earlier step by name. */
export type PipelineState<I extends FieldValues, S> = { readonly input: I } & S;

/** One step: a program, and how its inputs are built from the state so far. */
export interface PipelineStep<I extends FieldValues, S, SI extends FieldValues, SO extends FieldValues> {
  readonly program: Program<SI, SO>;
  readonly inputs: (state: PipelineState<I, S>) => SI;
}

/** What `definePipeline` is told about the pipeline. */
export interface PipelineMeta<I extends FieldValues> {
  /** Catalog name (kebab-case). */
  readonly name: string;
  /** Semver; bump it when steps change, so runs recorded by the old steps are not mixed with the new. */
  readonly version: string;
  /** What the pipeline does, for catalogs and docs. */
  readonly description?: string | undefined;
  /** Schema of the inputs: checked before a run starts (and served as the pipeline's input schema). */
  readonly inputs?: z.ZodType<I> | undefined;
}

/** A step that completed (or was read back from a checkpoint) in a run, as `onStep` reports it. */
export interface PipelineStepEvent extends PipelineStepReport {
  /** The step's outputs. */
  readonly outputs: FieldValues;
  /** How long its checkpoint write took, in ms; absent when replayed or when the run has no store. */
  readonly checkpointMs?: number | undefined;
}

/** Options of a pipeline run: a program's, plus where its checkpoints go. */
export interface PipelineRunOptions extends RunOptions {
  /**
   * The run's id. With `store`, every completed step is recorded under it, and a run with the same id
   * resumes: recorded steps are not run again (no model call), their outputs are read back.
   */
  readonly runId?: string | undefined;
  /** Where checkpoints are kept (`openSqliteStore()`); needs `runId`. */
  readonly store?: Store | undefined;
  /**
   * Run again, on resume, a call that must not run twice (a tool that is not idempotent) which started
   * in an earlier attempt but was never recorded. Default false: the run fails with
   * SIGNET_RUN_STEP_UNCERTAIN, so a side effect is never repeated silently.
   */
  readonly allowUncertainSteps?: boolean | undefined;
  /** Called as each step completes or is replayed (after its checkpoint is stored). */
  readonly onStep?: ((event: PipelineStepEvent) => void) | undefined;
}

/** How one step went in a run. */
export interface PipelineStepReport {
  /** The step's name. */
  readonly step: string;
  /** `name@version` of the step's signature. */
  readonly signature: string;
  /** True when its outputs came from a checkpoint of an earlier attempt (no model call now). */
  readonly replayed: boolean;
  /** Tokens the step used when it ran (also when replayed: what it cost then). */
  readonly usage: Usage;
}

/** The result of a pipeline run. */
export interface PipelineResult<O extends FieldValues> {
  readonly outputs: O;
  /** Tokens used by the steps that ran in this call (replayed steps cost nothing now). */
  readonly usage: Usage;
  /** Every step, in pipeline order. */
  readonly steps: readonly PipelineStepReport[];
  /** The run's id, when it had one. */
  readonly runId?: string | undefined;
}

/** A typed composition of programs: each step's inputs map from the pipeline's inputs and earlier outputs. */
export interface Pipeline<I extends FieldValues, O extends FieldValues> {
  /** `name@version`. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  /** The inputs schema given to `definePipeline`, when one was. */
  readonly inputsSchema: z.ZodType<I> | undefined;
  /** Checks inputs against the inputs schema (any value passes when there is none). */
  validateInputs(inputs: unknown): ValidationResult<I>;
  /** Step names in order (a parallel group's steps in the order they were declared). */
  readonly stepNames: readonly string[];
  run(inputs: I, options: PipelineRunOptions): Promise<PipelineResult<O>>;
}
