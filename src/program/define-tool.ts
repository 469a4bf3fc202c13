import type { z } from 'zod';
import type { FieldValues } from '../signature/signature-types.ts';

/** Context a tool handler receives. */
export interface ToolContext {
  /** Aborts when the run is aborted; pass it on to anything the tool waits for. */
  readonly signal: AbortSignal | undefined;
}

/** A typed tool a ReAct program may call. Arguments are validated before the handler runs. */
export interface Tool<A extends FieldValues = FieldValues, R = unknown> {
  /** Name the model calls the tool by (camelCase, descriptive). */
  readonly name: string;
  /** What the tool does and when to use it; the model reads this. */
  readonly description: string;
  /** Argument schema; also sent to the model as JSON Schema. */
  readonly parameters: z.ZodObject;
  /**
   * True when calling the tool twice with the same arguments is harmless (reads, searches). In a
   * checkpointed run, a call of a tool that is not idempotent (the default: it sends, pays, writes)
   * that started but was never recorded fails the resumed run with SIGNET_RUN_STEP_UNCERTAIN instead
   * of running again.
   */
  readonly idempotent?: boolean | undefined;
  /**
   * Does the work. Its return value (JSON-serialized) is shown to the model. Declared as a method so a
   * list of tools with different argument types is still a `Tool[]`.
   */
  handler(args: A, context: ToolContext): R | Promise<R>;
}

/** Defines a tool with arguments typed from its zod schema. */
export function defineTool<S extends z.ZodObject, R>(definition: {
  readonly name: string;
  readonly description: string;
  readonly parameters: S;
  readonly idempotent?: boolean;
  readonly handler: (args: z.output<S>, context: ToolContext) => R | Promise<R>;
}): Tool<z.output<S>, R> {
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(definition.name)) {
    throw new TypeError(`tool name "${definition.name}" must be an identifier such as "searchDocs"`);
  }
  return Object.freeze({ ...definition });
}
