import type { Signature } from '../signature/signature.ts';
import type { FieldValues } from '../signature/signature-types.ts';
import type { Program, ProgramKind } from './program-types.ts';

/** A named, ready-made program: which signature it answers and how it is built. */
export interface ProgramDefinition<I extends FieldValues = FieldValues, O extends FieldValues = FieldValues> {
  /** Catalog name of the program (kebab-case). */
  readonly name: string;
  /** What the program does and why it is built the way it is. */
  readonly description: string;
  /** The kind of program `create()` returns. */
  readonly kind: ProgramKind;
  /** The signature whose inputs the program takes. */
  readonly signature: Signature<I, FieldValues>;
  /** Builds the program; `state` (from `program.state()`, e.g. an optimizer's saved JSON) is applied when given. */
  create(state?: unknown): Program<I, O>;
}

/** Declares a built-in program. `build` must return the same kind every time. */
export function defineProgram<I extends FieldValues, O extends FieldValues>(definition: {
  readonly name: string;
  readonly description: string;
  readonly build: () => Program<I, O>;
}): ProgramDefinition<I, O> {
  const sample = definition.build();
  return Object.freeze({
    name: definition.name,
    description: definition.description,
    kind: sample.kind,
    signature: sample.signature as Signature<I, FieldValues>,
    create: (state?: unknown) =>
      state === undefined ? definition.build() : definition.build().withState(state),
  });
}
