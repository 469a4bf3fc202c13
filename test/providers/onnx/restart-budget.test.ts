import { describe, expect, it } from 'vitest';
import { createRestartBudget } from '../../../src/providers/onnx/restart-budget.ts';

describe('restart budget', () => {
  it('allows max restarts per sliding window, then again once the oldest leaves it', () => {
    let now = 0;
    const budget = createRestartBudget({ max: 3, windowMs: 60_000, now: () => now });
    const at = (ms: number) => {
      now = ms;
      return budget.take();
    };
    expect([at(0), at(10_000), at(20_000)]).toEqual([true, true, true]);
    expect(at(59_999)).toBe(false);
    // The restart at 0 leaves the window: one more is allowed, then the window is full again.
    expect(at(60_000)).toBe(true);
    expect(at(60_001)).toBe(false);
    expect(at(70_000)).toBe(true);
  });
});
