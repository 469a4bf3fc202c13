import { z } from 'zod';
import type { Signature } from '../signature/signature.ts';
import type { FieldValues, Simplify } from '../signature/signature-types.ts';
import { AxProgram } from './ax-program.ts';
import type { PredictOptions } from './predict.ts';
import type { Program } from './program-types.ts';

/** Outputs of a chain-of-thought program: the signature's outputs plus the model's reasoning. */
export type WithReasoning<O extends FieldValues> = Simplify<O & { reasoning: string }>;

/**
 * Asks the model to reason step by step before answering. The reasoning is a real output field, so it
 * is returned to the caller (`outputs.reasoning`) and checked like any other field.
 */
export function chainOfThought<I extends FieldValues, O extends FieldValues>(
  signature: Signature<I, O>,
  options: PredictOptions<I, WithReasoning<O>> = {},
): Program<I, WithReasoning<O>> {
  const withReasoning = signature.withOutputField(
    'reasoning',
    z.string().describe('Think step by step: the reasoning that leads to the answer'),
    { position: 'start' },
  ) as unknown as Signature<I, WithReasoning<O>>;
  return new AxProgram({
    kind: 'chain-of-thought',
    signature: withReasoning,
    settings: {},
    instructions: options.instructions,
    demos: options.demos ?? [],
  });
}
