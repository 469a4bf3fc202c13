import type { AxAIService } from '@ax-llm/ax';
import { z } from 'zod';
import { SignetError } from '../errors/signet-error.ts';
import type { Signature } from '../signature/signature.ts';
import type { FieldValues, SignatureExample } from '../signature/signature-types.ts';
import { predict } from './predict.ts';
import { parseProgramState } from './program-state.ts';
import type {
  CheckStep,
  LlmStep,
  Program,
  ProgramStreamEvent,
  RunOptions,
  RunResult,
  ToolStep,
  Usage,
} from './program-types.ts';
import { checkpointed } from './step-checkpoints.ts';

/** Checks outputs deterministically; returns the problems found (nothing, or an empty list, means pass). */
export type Validator<I extends FieldValues, O extends FieldValues> = (
  outputs: O,
  inputs: I,
) => string | readonly string[] | undefined | Promise<string | readonly string[] | undefined>;

/** Reviews outputs that failed validation and says how to improve them (often another program). */
export type Critic<I extends FieldValues, O extends FieldValues> = (context: {
  readonly inputs: I;
  readonly outputs: O;
  readonly problems: readonly string[];
  readonly ai: AxAIService;
  readonly signal: AbortSignal | undefined;
}) => string | undefined | Promise<string | undefined>;

/** Options of a refine program. */
export interface RefineOptions<I extends FieldValues, O extends FieldValues> {
  /** Every validator must pass for the run to succeed. */
  readonly validators: readonly Validator<I, O>[];
  /** Consulted when validation fails; their feedback goes into the revision. */
  readonly critics?: readonly Critic<I, O>[];
  /** Generate + revisions before failing with SIGNET_REFINE_EXHAUSTED (default 3). */
  readonly maxIterations?: number;
  /** Instructions that replace the signature's own. */
  readonly instructions?: string;
  /** Few-shot demos for the first attempt. */
  readonly demos?: readonly SignatureExample<I, O>[];
}

/**
 * Generate -> validate -> critique -> revise, until the validators pass or `maxIterations` is reached.
 * A revision sees the previous answer and every problem and critique, as extra inputs.
 */
export function refine<I extends FieldValues, O extends FieldValues>(
  signature: Signature<I, O>,
  options: RefineOptions<I, O>,
): Program<I, O> {
  const maxIterations = options.maxIterations ?? 3;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new SignetError(
      'SIGNET_PROGRAM_CONFIG_INVALID',
      'refine: maxIterations must be a whole number >= 1',
    );
  }
  const generator = predict(signature, {
    ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
    demos: options.demos ?? [],
  });
  const reviser = predict(
    signature
      .withInputField('previousAnswer', z.string().describe('Your previous answer, as JSON'))
      .withInputField(
        'revisionFeedback',
        z.array(z.string()).describe('Problems to fix in the previous answer'),
      )
      .withInstructions(
        `${options.instructions ?? signature.instructions ?? ''}\nRevise the previous answer so that every problem in the feedback is fixed.`.trim(),
      ),
  );

  async function* stream(
    inputs: I,
    runOptions: RunOptions,
  ): AsyncGenerator<ProgramStreamEvent<O>, void, undefined> {
    const started = performance.now();
    const steps: (LlmStep | ToolStep | CheckStep)[] = [];
    const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    let feedback: string[] = [];
    let last: RunResult<O> | undefined;
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      if (iteration > 1) yield { type: 'reset', reason: 'revise' };
      const attempt =
        iteration === 1
          ? generator.stream(inputs, runOptions)
          : (reviser.stream(
              { ...inputs, previousAnswer: JSON.stringify(last?.outputs), revisionFeedback: feedback },
              runOptions,
            ) as unknown as AsyncGenerator<ProgramStreamEvent<O>, void, undefined>);
      for await (const event of attempt) {
        if (event.type === 'final') last = event.result;
        else yield event;
      }
      if (last === undefined) throw new Error('unreachable: a program stream ends with a final event');
      steps.push(...last.trace.steps);
      addUsage(usage, last.usage);
      const problems = await validate(options.validators, last.outputs, inputs);
      steps.push({ type: 'validate', iteration, passed: problems.length === 0, messages: problems });
      if (problems.length === 0) {
        const trace = {
          ...last.trace,
          program: 'refine' as const,
          latencyMs: performance.now() - started,
          steps,
        };
        yield {
          type: 'final',
          result: { outputs: last.outputs, usage, trace: { ...trace, ...counts(steps) } },
        };
        return;
      }
      const critiques: string[] = [];
      for (const [index, critic] of (options.critics ?? []).entries()) {
        runOptions.signal?.throwIfAborted();
        const { checkpoints } = runOptions;
        const current = last;
        // A critique is a step of its own: a resumed run reads it back (a critic may be a model call).
        const said = await checkpointed(
          checkpoints,
          checkpoints?.key(`refine:critique:${iteration}:${index}`) ?? '',
          async () =>
            (await critic({
              inputs,
              outputs: current.outputs,
              problems,
              ai: runOptions.ai,
              signal: runOptions.signal,
            })) ?? null,
          { idempotent: true, what: `critic ${index} of iteration ${iteration}` },
        );
        if (typeof said === 'string' && said.trim().length > 0) critiques.push(said.trim());
      }
      if ((options.critics ?? []).length > 0) {
        steps.push({ type: 'critique', iteration, passed: critiques.length === 0, messages: critiques });
      }
      feedback = [...problems, ...critiques];
    }
    throw new SignetError(
      'SIGNET_REFINE_EXHAUSTED',
      `${signature.id}: validators still failed after ${maxIterations} iteration(s): ${feedback.join('; ')}`,
      { details: { iterations: maxIterations, problems: feedback } },
    );
  }

  const run = async (inputs: I, runOptions: RunOptions): Promise<RunResult<O>> => {
    for await (const event of stream(inputs, runOptions)) if (event.type === 'final') return event.result;
    throw new Error('unreachable: a refine stream ends with a final event or an error');
  };

  return {
    kind: 'refine',
    signature,
    run,
    stream,
    state: () => ({ ...generator.state(), kind: 'refine', settings: { maxIterations } }),
    withState: (state: unknown) => {
      const parsed = parseProgramState(state, 'refine', signature);
      const maxFromState = parsed.settings.maxIterations;
      return refine(signature, {
        ...options,
        ...(parsed.instructions === undefined ? {} : { instructions: parsed.instructions }),
        demos: parsed.demos as readonly SignatureExample<I, O>[],
        ...(typeof maxFromState === 'number' ? { maxIterations: maxFromState } : {}),
      });
    },
    withDemos: (demos) => refine(signature, { ...options, demos }),
    withInstructions: (instructions) => refine(signature, { ...options, instructions }),
  };
}

async function validate<I extends FieldValues, O extends FieldValues>(
  validators: readonly Validator<I, O>[],
  outputs: O,
  inputs: I,
): Promise<string[]> {
  const problems: string[] = [];
  for (const validator of validators) {
    const found = await validator(outputs, inputs);
    if (typeof found === 'string') problems.push(found);
    else if (found !== undefined) problems.push(...found);
  }
  return problems;
}

function addUsage(
  total: { promptTokens: number; completionTokens: number; totalTokens: number },
  add: Usage,
): void {
  total.promptTokens += add.promptTokens;
  total.completionTokens += add.completionTokens;
  total.totalTokens += add.totalTokens;
}

function counts(steps: readonly (LlmStep | ToolStep | CheckStep)[]): { attempts: number; retries: number } {
  const attempts = steps.filter((s) => s.type === 'llm').length;
  return { attempts, retries: Math.max(0, attempts - 1) };
}
