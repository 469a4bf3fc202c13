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
      try {
        // Checkpointed per call: a resumed run reads the result back instead of calling the tool again.
        const key = checkpoints?.key(`tool:${tool.name}:${hashCanonical(valid.value).slice(0, 16)}`) ?? '';
        const result = await checkpointed(
          checkpoints,
          key,
          async () => (await tool.handler(valid.value, { signal })) as unknown,
          { idempotent: tool.idempotent === true, what: `tool ${tool.name}` },
        );
        recorder.add({ type: 'tool', name: tool.name, latencyMs: performance.now() - started, ok: true });
        return result;
      } catch (error) {
        signal?.throwIfAborted();
        // Not the tool's failure but the run's: an unrecorded side effect, or a checkpoint not written.
        if (
          SignetError.is(error) &&
          (error.code === 'SIGNET_RUN_STEP_UNCERTAIN' || error.code.startsWith('SIGNET_STORE_'))
        ) {
          throw error;
        }
        const message = error instanceof Error ? error.message : String(error);
        recorder.add({
          type: 'tool',
          name: tool.name,
          latencyMs: performance.now() - started,
          ok: false,
          error: message,
        });
        return `Tool ${tool.name} failed: ${message}`;
      }
    },
  };
}
