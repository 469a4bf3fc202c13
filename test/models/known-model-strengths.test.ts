import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STRENGTH,
  knownModelStrengths,
  matchKnownFamily,
} from '../../src/models/known-model-strengths.ts';

describe('known model strengths', () => {
  it('matches the most specific family first', () => {
    expect(matchKnownFamily('gpt-4o-mini')?.family).toBe('gpt-4o-mini');
    expect(matchKnownFamily('gpt-4o-2024-08-06')?.family).toBe('gpt-4o');
    expect(matchKnownFamily('qwen2.5-coder:7b')?.family).toBe('qwen-coder');
    expect(matchKnownFamily('claude-3-5-haiku-latest')?.family).toBe('claude-haiku');
    expect(matchKnownFamily('x', 'gemma3')?.family).toBe('gemma');
  });

  it('gives unknown models the default strength', () => {
    expect(knownModelStrengths('totally-new-model')).toEqual({
      reasoning: DEFAULT_STRENGTH,
      coding: DEFAULT_STRENGTH,
      writing: DEFAULT_STRENGTH,
    });
  });

  it('shifts by size, at most 0.15, and stays within 0-1', () => {
    const base = knownModelStrengths('llama3');
    expect(knownModelStrengths('llama3', undefined, 7e9)).toEqual(base);
    expect(knownModelStrengths('llama3', undefined, 70e9).reasoning).toBeCloseTo(base.reasoning + 0.1, 5);
    expect(knownModelStrengths('llama3', undefined, 1e15).reasoning).toBeCloseTo(base.reasoning + 0.15, 5);
    expect(knownModelStrengths('llama3', undefined, 1e3).reasoning).toBeCloseTo(base.reasoning - 0.15, 5);
    const top = knownModelStrengths('claude-sonnet-4', undefined, 1e15);
    expect(Math.max(top.reasoning, top.coding, top.writing)).toBeLessThanOrEqual(1);
  });
});
