import { formatIssues } from '../errors/issue.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { Program, RunOptions, RunResult } from '../program/program-types.ts';
import { sumUsage } from '../program/sum-usage.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import { validateWith } from '../signature/validation-result.ts';
import { hashCanonical } from '../util/canonical-json.ts';
import type {
  Pipeline,
  PipelineMeta,
  PipelineResult,
  PipelineRunOptions,
  PipelineState,
  PipelineStep,
  PipelineStepEvent,
  PipelineStepReport,
} from './pipeline-types.ts';
import { openRunJournal, type RunJournal } from './run-journal.ts';

/** A step of some program, as the pipeline keeps it (inputs and outputs checked by the program itself). */
interface StepSpec {
  readonly name: string;
  readonly program: Program<FieldValues, FieldValues>;
  readonly inputs: (state: Readonly<Record<string, unknown>>) => FieldValues;
  /** `name@version#<state hash>` of the program, hashed on first use (programs are immutable). */
  readonly identity: () => string;
}

/** Steps that run together: one for a `step`, several for a `parallel` group. */
type Group = readonly StepSpec[];

/** The outputs type of a step built by `parallel`'s `step` helper. */
type OutputsOf<T> = T extends {
  readonly program: { run(inputs: never, options: RunOptions): Promise<RunResult<infer SO>> };
}
  ? SO
  : never;

/** Makes a step inside `parallel`, with its input mapping typed against the state so far. */
export type StepMaker<I extends FieldValues, S> = <SI extends FieldValues, SO extends FieldValues>(
  program: Program<SI, SO>,
  inputs: (state: PipelineState<I, S>) => SI,
) => PipelineStep<I, S, SI, SO>;

const RESERVED = new Set(['input']);

/** Builds a pipeline step by step; every step adds its outputs to the state, typed, under its name. */
export class PipelineBuilder<I extends FieldValues, S> {
  readonly #meta: PipelineMeta<I>;
  readonly #id: string;
  readonly #groups: readonly Group[];

  constructor(meta: PipelineMeta<I>, groups: readonly Group[]) {
    this.#meta = meta;
    this.#id = `${meta.name}@${meta.version}`;
    this.#groups = groups;
  }

  /** Adds a step that runs after everything before it; its outputs become `state[name]`. */
  step<N extends string, SI extends FieldValues, SO extends FieldValues>(
    name: N extends keyof S | 'input' ? never : N,
    program: Program<SI, SO>,
    inputs: (state: PipelineState<I, S>) => SI,
  ): PipelineBuilder<I, S & { readonly [K in N]: SO }> {
    return new PipelineBuilder(this.#meta, [...this.#groups, [this.#spec(name, program, inputs)]]);
  }

  /**
   * Adds steps that run at the same time, each from the state so far; each is checkpointed on its own,
   * so a crash keeps the ones that finished. `build` gets a helper that types each step's mapping.
   */
  parallel<B extends Record<string, PipelineStep<I, S, FieldValues, FieldValues>>>(
    build: (step: StepMaker<I, S>) => B,
  ): PipelineBuilder<I, S & { readonly [K in keyof B]: OutputsOf<B[K]> }> {
    const branches = build((program, inputs) => ({ program, inputs }));
    const group = Object.entries(branches).map(([name, branch]) =>
      this.#spec(name, branch.program, branch.inputs),
    );
    if (group.length === 0) {
      throw new SignetError(
        'SIGNET_PROGRAM_CONFIG_INVALID',
        `pipeline ${this.#id}: a parallel group needs a step`,
      );
    }
    return new PipelineBuilder(this.#meta, [...this.#groups, group]);
  }

  /** Ends the pipeline: its outputs, selected from the final state. */
  returns<O extends FieldValues>(select: (state: PipelineState<I, S>) => O): Pipeline<I, O> {
    if (this.#groups.length === 0) {
      throw new SignetError('SIGNET_PROGRAM_CONFIG_INVALID', `pipeline ${this.#id} has no step`);
    }
    return createPipeline(
      this.#meta,
      this.#groups,
      select as (state: Readonly<Record<string, unknown>>) => O,
    );
  }

  #spec<SI extends FieldValues, SO extends FieldValues>(
    name: string,
    program: Program<SI, SO>,
    inputs: (state: PipelineState<I, S>) => SI,
  ): StepSpec {
    const taken = this.#groups.some((group) => group.some((spec) => spec.name === name));
    if (RESERVED.has(name) || taken || name === '') {
      throw new SignetError(
        'SIGNET_PROGRAM_CONFIG_INVALID',
        `pipeline ${this.#id}: step name "${name}" is ${taken ? 'already used' : 'reserved'}; give each step its own name`,
      );
    }
    let identity: string | undefined;
    return {
      name,
      program: program as unknown as Program<FieldValues, FieldValues>,
      inputs: inputs as unknown as StepSpec['inputs'],
      identity: () => {
        identity ??= `${program.signature.id}#${hashCanonical(program.state())}`;
        return identity;
      },
    };
  }
}

/**
 * Starts a pipeline: a typed composition of programs. Each step's inputs are mapped from the pipeline's
 * inputs (`state.input`) and the outputs of earlier steps (`state.<step>`); `parallel` runs a group of
 * steps at once. With a `store` and `runId`, every completed step is checkpointed, and running again
 * with the same `runId` resumes: recorded steps are not run again.
 *
 * @example
 * const reply = definePipeline<{ ticket: string }>({ name: 'support-reply', version: '1.0.0' })
 *   .step('triage', predict(triage), (s) => ({ ticket: s.input.ticket }))
 *   .step('draft', predict(draft), (s) => ({ ticket: s.input.ticket, category: s.triage.category }))
 *   .returns((s) => ({ reply: s.draft.reply }));
 */
export function definePipeline<I extends FieldValues>(meta: PipelineMeta<I>): PipelineBuilder<I, unknown> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(meta.name) || meta.version.trim() === '') {
    throw new SignetError(
      'SIGNET_PROGRAM_CONFIG_INVALID',
      `pipeline "${meta.name}@${meta.version}": give it a kebab-case name and a version, e.g. { name: 'support-reply', version: '1.0.0' }`,
    );
  }
  return new PipelineBuilder<I, unknown>(meta, []);
}

function createPipeline<I extends FieldValues, O extends FieldValues>(
  meta: PipelineMeta<I>,
  groups: readonly Group[],
  select: (state: Readonly<Record<string, unknown>>) => O,
): Pipeline<I, O> {
  const id = `${meta.name}@${meta.version}`;
  const stepNames = groups.flatMap((group) => group.map((spec) => spec.name));
  const validateInputs = (inputs: unknown) =>
    meta.inputs === undefined
      ? { ok: true as const, value: inputs as I }
      : validateWith<I>(meta.inputs, inputs);
  return {
    id,
    name: meta.name,
    version: meta.version,
    description: meta.description,
    inputsSchema: meta.inputs,
    stepNames,
    validateInputs,
    async run(given: I, options: PipelineRunOptions): Promise<PipelineResult<O>> {
      const { runId, store, onStep, allowUncertainSteps, ...runOptions } = options;
      const valid = validateInputs(given);
      if (!valid.ok) {
        throw new SignetError(
          'SIGNET_INPUT_INVALID',
          `inputs do not match pipeline ${id}: ${formatIssues(valid.issues)}`,
          { issues: valid.issues },
        );
      }
      const inputs = valid.value;
      if (store !== undefined && runId === undefined) {
        throw new SignetError(
          'SIGNET_PROGRAM_CONFIG_INVALID',
          `pipeline ${id}: a store needs a runId to record the run under`,
        );
      }
      const journal =
        store === undefined || runId === undefined
          ? undefined
          : await openRunJournal(store, runId, id, inputs);
      const state: Record<string, unknown> = { input: inputs };
      const reports = new Map<string, PipelineStepReport>();
      for (const group of groups) {
        // Every step of a group settles (and is recorded) before a failure of one fails the run.
        const settled = await Promise.allSettled(
          group.map((spec) =>
            runStep(id, spec, state, runOptions, journal, onStep, allowUncertainSteps === true),
          ),
        );
        for (const [i, outcome] of settled.entries()) {
          if (outcome.status === 'rejected') throw outcome.reason;
          const spec = group[i] as StepSpec;
          state[spec.name] = outcome.value.outputs;
          reports.set(spec.name, outcome.value.report);
        }
      }
      const outputs = journal?.ended === undefined ? select(state) : (journal.ended as O);
      if (journal !== undefined && journal.ended === undefined) await journal.end(outputs);
      const steps = stepNames.map((name) => reports.get(name) as PipelineStepReport);
      return { outputs, usage: sumUsage(steps.filter((s) => !s.replayed).map((s) => s.usage)), steps, runId };
    },
  };
}

async function runStep(
  pipeline: string,
  spec: StepSpec,
  state: Readonly<Record<string, unknown>>,
  options: RunOptions,
  journal: RunJournal | undefined,
  onStep: ((event: PipelineStepEvent) => void) | undefined,
  allowUncertainSteps: boolean,
): Promise<{ outputs: FieldValues; report: PipelineStepReport }> {
  const done = (outputs: FieldValues, report: PipelineStepReport, checkpointMs?: number) => {
    onStep?.({ ...report, outputs, ...(checkpointMs === undefined ? {} : { checkpointMs }) });
    return { outputs, report };
  };
  const inputs = spec.inputs(state);
  const signature = spec.program.signature.id;
  if (journal === undefined) {
    const result = await spec.program.run(inputs, options);
    return done(result.outputs, { step: spec.name, signature, replayed: false, usage: result.usage });
  }
  // Only a checkpointed run needs the hashes that tie a record to its step.
  const program = spec.identity();
  const inputsHash = hashCanonical(inputs);
  const recorded = journal.recorded(spec.name);
  if (recorded !== undefined) {
    if (recorded.program !== program || recorded.inputsHash !== inputsHash) {
      throw new SignetError(
        'SIGNET_RUN_CONFLICT',
        `step ${spec.name} of ${pipeline} was recorded with ${recorded.program !== program ? `another program (${recorded.program})` : 'other inputs'}: the pipeline changed under the same version; bump its version, or use a new run id`,
        { details: { step: spec.name, recorded: recorded.program, now: program } },
      );
    }
    return done(recorded.outputs, { step: spec.name, signature, replayed: true, usage: recorded.usage });
  }
  // Calls inside the step (model replies, tool results) are checkpointed too: a step interrupted
  // halfway resumes from its last recorded call.
  const result = await spec.program.run(inputs, {
    ...options,
    checkpoints: journal.checkpoints(spec.name, allowUncertainSteps),
  });
  const writing = performance.now();
  await journal.record({
    step: spec.name,
    program,
    inputsHash,
    inputs,
    outputs: result.outputs,
    usage: result.usage,
  });
  return done(
    result.outputs,
    { step: spec.name, signature, replayed: false, usage: result.usage },
    performance.now() - writing,
  );
}
