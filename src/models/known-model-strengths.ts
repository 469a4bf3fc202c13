import type { ModelStrengths } from './model-info.ts';

/** A well-known model family and the strengths assumed for it. */
export interface KnownModelFamily {
  /** Short family name shown in explanations. */
  readonly family: string;
  /** Matched against the lowercased `<family> <name>` of a model; the first matching entry wins. */
  readonly pattern: RegExp;
  /** Strengths of a typical (~7B for open models) member of the family. */
  readonly strengths: ModelStrengths;
}

/** Strength used for every dimension of an unknown model. */
export const DEFAULT_STRENGTH = 0.5;

/**
 * HEURISTICS, not measurements: rough relative standing of well-known families, used only to rank
 * candidates when nothing better is configured. Override per model with `cloudModels.<id>.strengths` or
 * `modelOverrides.<id>.strengths` in the config. More specific patterns come first.
 */
export const knownModelFamilies: readonly KnownModelFamily[] = [
  {
    family: 'gpt-4o-mini',
    pattern: /gpt-4o-mini/,
    strengths: { reasoning: 0.72, coding: 0.72, writing: 0.75 },
  },
  { family: 'gpt-4o', pattern: /gpt-4o/, strengths: { reasoning: 0.85, coding: 0.85, writing: 0.88 } },
  {
    family: 'claude-haiku',
    pattern: /claude.*haiku/,
    strengths: { reasoning: 0.72, coding: 0.75, writing: 0.78 },
  },
  {
    family: 'claude-sonnet',
    pattern: /claude.*(sonnet|opus)/,
    strengths: { reasoning: 0.9, coding: 0.92, writing: 0.9 },
  },
  { family: 'claude', pattern: /claude/, strengths: { reasoning: 0.85, coding: 0.85, writing: 0.88 } },
  {
    family: 'gemini-flash',
    pattern: /gemini.*flash/,
    strengths: { reasoning: 0.75, coding: 0.75, writing: 0.75 },
  },
  {
    family: 'gemini-pro',
    pattern: /gemini.*pro/,
    strengths: { reasoning: 0.88, coding: 0.85, writing: 0.85 },
  },
  { family: 'gemini', pattern: /gemini/, strengths: { reasoning: 0.8, coding: 0.8, writing: 0.8 } },
  { family: 'qwen-coder', pattern: /qwen.*coder/, strengths: { reasoning: 0.6, coding: 0.8, writing: 0.5 } },
  { family: 'qwen', pattern: /qwen/, strengths: { reasoning: 0.62, coding: 0.62, writing: 0.58 } },
  { family: 'llama', pattern: /llama/, strengths: { reasoning: 0.55, coding: 0.5, writing: 0.6 } },
  {
    family: 'mistral',
    pattern: /m[iy]stral|ministral/,
    strengths: { reasoning: 0.55, coding: 0.5, writing: 0.6 },
  },
  { family: 'phi', pattern: /\bphi/, strengths: { reasoning: 0.6, coding: 0.55, writing: 0.45 } },
  { family: 'gemma', pattern: /gemma/, strengths: { reasoning: 0.55, coding: 0.45, writing: 0.6 } },
];

const REFERENCE_PARAMETERS = 7e9;
const MAX_SIZE_ADJUSTMENT = 0.15;

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The known family a model name (optionally with its architecture family) belongs to, if any. */
export function matchKnownFamily(name: string, family?: string): KnownModelFamily | undefined {
  const haystack = `${family ?? ''} ${name}`.toLowerCase();
  return knownModelFamilies.find((entry) => entry.pattern.test(haystack));
}

/**
 * Heuristic strengths of a model: its family's (or {@link DEFAULT_STRENGTH}), shifted by size when the
 * parameter count is known: +0.1 per tenfold above 7B, -0.1 per tenfold below, at most ±0.15.
 */
export function knownModelStrengths(name: string, family?: string, parameterCount?: number): ModelStrengths {
  const base = matchKnownFamily(name, family)?.strengths ?? {
    reasoning: DEFAULT_STRENGTH,
    coding: DEFAULT_STRENGTH,
    writing: DEFAULT_STRENGTH,
  };
  if (parameterCount === undefined || parameterCount <= 0) return base;
  const shift = clamp(
    0.1 * Math.log10(parameterCount / REFERENCE_PARAMETERS),
    -MAX_SIZE_ADJUSTMENT,
    MAX_SIZE_ADJUSTMENT,
  );
  const adjust = (value: number): number => Math.round(clamp(value + shift, 0, 1) * 100) / 100;
  return { reasoning: adjust(base.reasoning), coding: adjust(base.coding), writing: adjust(base.writing) };
}
