import type { AxFunction, AxFunctionJSONSchema } from '@ax-llm/ax';
import { z } from 'zod';
import { formatIssues } from '../errors/issue.ts';
import { SignetError } from '../errors/signet-error.ts';
import type { Signature } from '../signature/signature.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import { validateWith } from '../signature/validation-result.ts';
import { hashCanonical } from '../util/canonical-json.ts';
import { AxProgram } from './ax-program.ts';
import type { Tool } from './define-tool.ts';
import type { PredictOptions } from './predict.ts';
import type { Program } from './program-types.ts';
import { checkpointed, type StepCheckpoints } from './step-checkpoints.ts';
import type { TraceRecorder } from './trace-recorder.ts';

/** Options of a ReAct program. */
export interface ReactOptions<I extends FieldValues, O extends FieldValues> extends PredictOptions<I, O> {
  /** Tools the model may call. */
  readonly tools: readonly Tool[];
  /** Most model turns before the run fails with SIGNET_STEP_LIMIT (default 5). */
  readonly maxSteps?: number;
}

/**
 * Reason + act: the model may call tools (arguments validated against each tool's schema; invalid
 * arguments and tool errors are fed back so it can correct itself) until it fills the outputs or
 * reaches `maxSteps`.
 */
export function react<I extends FieldValues, O extends FieldValues>(
  signature: Signature<I, O>,
  options: ReactOptions<I, O>,
): Program<I, O> {
  const maxSteps = options.maxSteps ?? 5;
  const names = new Set<string>();
  for (const tool of options.tools) {
    if (names.has(tool.name)) throw new TypeError(`react: two tools are named "${tool.name}"`);
    names.add(tool.name);
  }
  const schemas = new Map(options.tools.map((tool) => [tool.name, toolJsonSchema(tool)]));
  return new AxProgram({
    kind: 'react',
    signature,
    settings: { maxSteps },
    maxSteps,
    instructions: options.instructions,
    demos: options.demos ?? [],
    tools: (recorder, signal, checkpoints) =>
      options.tools.map((tool) =>
        toAxFunction(tool, schemas.get(tool.name) as AxFunctionJSONSchema, recorder, signal, checkpoints),
      ),
  });
}

function toolJsonSchema(tool: Tool): AxFunctionJSONSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return schema as unknown as AxFunctionJSONSchema;
}

/** What a tool call came to, as it is checkpointed: its result, or the failure the model is told. */
type ToolOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

function toAxFunction(
  tool: Tool,
  parameters: AxFunctionJSONSchema,
  recorder: TraceRecorder,
  signal: AbortSignal | undefined,
  checkpoints: StepCheckpoints | undefined,
): AxFunction {
  return {
    name: tool.name,
    description: tool.description,
    parameters,
    func: async (args: unknown) => {
      const started = performance.now();
      const valid = validateWith<FieldValues>(tool.parameters, args ?? {});
      if (!valid.ok) {
        const problem = formatIssues(valid.issues);
        recorder.add({
          type: 'tool',
          name: tool.name,
          latencyMs: performance.now() - started,
          ok: false,
          error: problem,
        });
        return `Invalid arguments for ${tool.name}: ${problem}. Call it again with arguments that match its schema.`;
      }
      // Checkpointed per call, failures included (what the model was told): a resumed run reads the
      // outcome back instead of calling the tool again, so the conversation replays as it went.
      const key = checkpoints?.key(`tool:${tool.name}:${hashCanonical(valid.value).slice(0, 16)}`) ?? '';
      const outcome = await checkpointed<ToolOutcome>(
        checkpoints,
        key,
        async () => {
          try {
            return { ok: true, value: (await tool.handler(valid.value, { signal })) as unknown };
          } catch (error) {
            signal?.throwIfAborted();
            // Not the tool's failure but the run's: an unrecorded side effect, or a checkpoint not written.
            if (
              SignetError.is(error) &&
              (error.code === 'SIGNET_RUN_STEP_UNCERTAIN' || error.code.startsWith('SIGNET_STORE_'))
            ) {
              throw error;
            }
            return { ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        },
        { idempotent: tool.idempotent === true, what: `tool ${tool.name}` },
      );
      const latencyMs = performance.now() - started;
      if (outcome.ok) {
        recorder.add({ type: 'tool', name: tool.name, latencyMs, ok: true });
        return outcome.value;
      }
      recorder.add({ type: 'tool', name: tool.name, latencyMs, ok: false, error: outcome.error });
      return `Tool ${tool.name} failed: ${outcome.error}`;
    },
  };
}
