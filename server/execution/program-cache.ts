import {
  chainOfThought,
  type FieldValues,
  type Program,
  type ProgramKind,
  predict,
  react,
  refine,
  type Signature,
} from '../../src/index.ts';

/** Compiled programs, one per signature hash and program kind, reused across requests. */
export interface ProgramCache {
  /** The program of `kind` for `signature`, compiled on first use. */
  get(signature: Signature, kind: ProgramKind): Program<FieldValues, FieldValues>;
  /** Number of compiled programs held. */
  readonly size: number;
}

/**
 * A least-recently-used cache of compiled programs (programs are immutable and safe to share between
 * concurrent runs). Over HTTP there are no tools or validators, so `react` runs without tools (like
 * `predict`) and `refine` has only the signature's own output checks (its first valid answer wins).
 */
export function createProgramCache(maxEntries = 256): ProgramCache {
  const entries = new Map<string, Program<FieldValues, FieldValues>>();
  return {
    get(signature, kind) {
      const key = `${signature.id}#${signature.hash()}#${kind}`;
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const program = compile(signature, kind);
      entries.set(key, program);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return program;
    },
    get size() {
      return entries.size;
    },
  };
}

function compile(signature: Signature, kind: ProgramKind): Program<FieldValues, FieldValues> {
  switch (kind) {
    case 'predict':
      return predict(signature);
    case 'chain-of-thought':
      return chainOfThought(signature) as unknown as Program<FieldValues, FieldValues>;
    case 'react':
      return react(signature, { tools: [] });
    case 'refine':
      return refine(signature, { validators: [] });
  }
}
