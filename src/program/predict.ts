import type { Signature } from '../signature/signature.ts';
import type { FieldValues, SignatureExample } from '../signature/signature-types.ts';
import { AxProgram } from './ax-program.ts';
import type { Program } from './program-types.ts';

/** Options shared by the simple program kinds. */
export interface PredictOptions<I extends FieldValues, O extends FieldValues> {
  /** Instructions that replace the signature's own. */
  readonly instructions?: string;
  /** Few-shot demos. */
  readonly demos?: readonly SignatureExample<I, O>[];
}

/** The simplest program: one model call that fills the signature's outputs (re-asked when invalid). */
export function predict<I extends FieldValues, O extends FieldValues>(
  signature: Signature<I, O>,
  options: PredictOptions<I, O> = {},
): Program<I, O> {
  return new AxProgram({
    kind: 'predict',
    signature,
    settings: {},
    instructions: options.instructions,
    demos: options.demos ?? [],
  });
}
