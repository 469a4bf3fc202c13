import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../bench/lib/histogram-quantile.ts';
import type { PromHistogram } from '../../bench/lib/prometheus-histogram.ts';

const BOUNDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01];

/** The histogram prom-client would expose after observing `values`. */
function histogramOf(values: readonly number[], bounds: readonly number[] = BOUNDS): PromHistogram {
  const les = [...bounds, Number.POSITIVE_INFINITY];
  return {
    buckets: les.map((le) => ({ le, count: values.filter((v) => v <= le).length })),
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
  };
}

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank, like histogram_quantile()', () => {
    // 10 observations in (0.001, 0.0025]: the median sits halfway through that bucket.
    const histogram = histogramOf(Array.from({ length: 10 }, () => 0.002));
    expect(histogramQuantile(histogram, 0.5)).toBeCloseTo(0.00175, 12);
    expect(histogramQuantile(histogram, 1)).toBeCloseTo(0.0025, 12);
  });

  it('starts the lowest bucket at zero', () => {
    expect(histogramQuantile(histogramOf([0.00005, 0.00005]), 0.5)).toBeCloseTo(0.00005, 12);
  });

  it('answers the highest finite bound when the rank falls in the +Inf bucket', () => {
    expect(histogramQuantile(histogramOf([0.5, 0.5, 0.5]), 0.99)).toBe(0.01);
  });

  it('skips empty buckets below the rank', () => {
    const histogram = histogramOf([0.00005, 0.004, 0.004, 0.004]);
    expect(histogramQuantile(histogram, 0.75)).toBeGreaterThan(0.0025);
    expect(histogramQuantile(histogram, 0.75)).toBeLessThanOrEqual(0.005);
  });

  it('rejects an empty histogram and quantiles outside 0..1', () => {
    expect(() => histogramQuantile(histogramOf([]), 0.5)).toThrow(/no observations/);
    expect(() => histogramQuantile(histogramOf([0.001]), 1.5)).toThrow(/0..1/);
  });

  it('always lands in the bucket holding the observation of rank q * count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.009, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.95, 0.99),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
          const estimate = histogramQuantile(histogramOf(values), q);
          const upper = BOUNDS.find((le) => le >= exact) ?? Number.POSITIVE_INFINITY;
          const lower = [0, ...BOUNDS].filter((le) => le < upper).at(-1) ?? 0;
          expect(estimate).toBeGreaterThanOrEqual(lower - 1e-12);
          expect(estimate).toBeLessThanOrEqual(upper + 1e-12);
        },
      ),
    );
  });
});
