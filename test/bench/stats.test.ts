import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../bench/lib/stats.ts';

describe('percentile', () => {
  it('interpolates linearly between the closest ranks', () => {
    const sorted = [10, 20, 30, 40];
    expect(percentile(sorted, 0)).toBe(10);
    expect(percentile(sorted, 50)).toBe(25);
    expect(percentile(sorted, 100)).toBe(40);
    expect(percentile(sorted, 95)).toBeCloseTo(38.5, 10);
  });

  it('returns the only sample of a single-sample series for every p', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('rejects an empty series and p outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1, 2], 101)).toThrow(/0..100/);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(/0..100/);
  });
});

describe('summarize', () => {
  it('computes n, mean, percentiles, min and max whatever the sample order', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, descending
    expect(summarize(samples)).toEqual({
      n: 100,
      mean: 50.5,
      p50: 50.5,
      p95: 95.05,
      p99: 99.01,
      min: 1,
      max: 100,
    });
  });

  it('sorts numerically, not as strings', () => {
    const summary = summarize([9, 10, 100]);
    expect(summary.min).toBe(9);
    expect(summary.max).toBe(100);
    expect(summary.p50).toBe(10);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty series', () => {
    expect(() => summarize([])).toThrow(/empty/);
  });
});
