import { z } from 'zod';
import { SignetError } from '../errors/signet-error.ts';
import type { Signature } from '../signature/signature.ts';
import type { SignatureExample } from '../signature/signature-types.ts';
import { validateWith } from '../signature/validation-result.ts';
import type { ProgramKind } from './program-types.ts';

/** A program's learnable state as saved to `programs/*.json` by optimizers and loaded back. */
export interface ProgramState {
  /** Format marker so later versions can migrate saved files. */
  readonly format: 'signet.program/v1';
  /** Program kind the state belongs to. */
  readonly kind: ProgramKind;
  /** The signature the state was learned for; loading checks it still matches. */
  readonly signature: { readonly name: string; readonly version: string; readonly hash: string };
  /** Instructions that replace the signature's own, when set (optimizers rewrite them). */
  readonly instructions?: string | undefined;
  /** Few-shot demos shown to the model. */
  readonly demos: readonly SignatureExample[];
  /** Kind-specific settings (e.g. `maxSteps` for react, `maxIterations` for refine). */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
}

const stateSchema = z.strictObject({
  format: z.literal('signet.program/v1'),
  kind: z.enum(['predict', 'chain-of-thought', 'react', 'refine']),
  signature: z.strictObject({ name: z.string(), version: z.string(), hash: z.string() }),
  instructions: z.string().optional(),
  demos: z.array(
    z.strictObject({
      inputs: z.record(z.string(), z.unknown()),
      outputs: z.record(z.string(), z.unknown()),
      note: z.string().optional(),
    }),
  ),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/**
 * Parses saved state for a program of `kind` over `signature`. A different kind or signature name is an
 * error; so is a changed signature (hash), because demos learned for one contract can mislead another.
 */
export function parseProgramState(json: unknown, kind: ProgramKind, signature: Signature): ProgramState {
  const value = typeof json === 'string' ? safeJsonParse(json) : json;
  const parsed = validateWith<ProgramState>(stateSchema, value);
  if (!parsed.ok) {
    throw new SignetError(
      'SIGNET_PROGRAM_STATE_INVALID',
      'program state does not have the signet.program/v1 shape',
      {
        issues: parsed.issues,
      },
    );
  }
  const state = parsed.value;
  const saved = `${state.signature.name}@${state.signature.version}`;
  if (state.kind !== kind || state.signature.name !== signature.name) {
    throw new SignetError(
      'SIGNET_PROGRAM_STATE_INVALID',
      `state was saved for a ${state.kind} program over ${saved}; this is a ${kind} program over ${signature.id}`,
    );
  }
  if (state.signature.hash !== signature.hash()) {
    throw new SignetError(
      'SIGNET_PROGRAM_STATE_INVALID',
      `state was saved for ${saved} (hash ${state.signature.hash.slice(0, 12)}), but ${signature.id} has changed ` +
        `(hash ${signature.hash().slice(0, 12)}); re-run the optimizer to produce state for the new signature`,
    );
  }
  state.demos.forEach((demo, index) => {
    const inputs = signature.validateInput(demo.inputs);
    const outputs = signature.parseOutput(demo.outputs);
    if (!inputs.ok || !outputs.ok) {
      throw new SignetError('SIGNET_PROGRAM_STATE_INVALID', `demo ${index} does not match ${signature.id}`, {
        issues: [...(inputs.ok ? [] : inputs.issues), ...(outputs.ok ? [] : outputs.issues)],
      });
    }
  });
  return state;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SignetError('SIGNET_PROGRAM_STATE_INVALID', 'program state is not valid JSON', {
      cause: error,
    });
  }
}
