import { describe, expect, it } from 'vitest';
import { compareWithPrevious } from '../../bench/lib/compare-previous.ts';

const previous = new Map([
  ['core.latency', 100],
  ['core.throughput', 10_000],
  ['memory.growth', 0],
]);

describe('compareWithPrevious', () => {
  it('flags a lower-is-better metric that rose by more than 10%', () => {
    const [c] = compareWithPrevious([{ id: 'core.latency', value: 111, better: 'lower' }], previous);
    expect(c).toMatchObject({ previous: 100, current: 111, regression: true });
    expect(c?.worseBy).toBeCloseTo(0.11, 10);
  });

  it('does not flag a change within the threshold, or an improvement', () => {
    const comparisons = compareWithPrevious(
      [
        { id: 'core.latency', value: 109, better: 'lower' },
        { id: 'core.throughput', value: 13_000, better: 'higher' },
      ],
      previous,
    );
    expect(comparisons.map((c) => c.regression)).toEqual([false, false]);
    expect(comparisons[1]?.worseBy).toBeCloseTo(-0.3, 10);
  });

  it('flags a higher-is-better metric that fell by more than the threshold', () => {
    const [c] = compareWithPrevious([{ id: 'core.throughput', value: 8_500, better: 'higher' }], previous);
    expect(c?.regression).toBe(true);
    expect(c?.worseBy).toBeCloseTo(0.15, 10);
  });

  it('honours a custom threshold', () => {
    const current = [{ id: 'core.latency', value: 115, better: 'lower' as const }];
    expect(compareWithPrevious(current, previous, 0.2)[0]?.regression).toBe(false);
    expect(compareWithPrevious(current, previous, 0.05)[0]?.regression).toBe(true);
  });

  it('ignores changes inside the metric’s noise floor', () => {
    const [c] = compareWithPrevious(
      [{ id: 'core.latency', value: 150, better: 'lower', noiseFloor: 60 }],
      previous,
    );
    expect(c?.regression).toBe(false);
  });

  it('flags growth from a zero previous value by the noise floor alone', () => {
    const grew = compareWithPrevious(
      [{ id: 'memory.growth', value: 300, better: 'lower', noiseFloor: 256 }],
      previous,
    );
    expect(grew[0]).toMatchObject({ worseBy: undefined, regression: true });
    const noise = compareWithPrevious(
      [{ id: 'memory.growth', value: 200, better: 'lower', noiseFloor: 256 }],
      previous,
    );
    expect(noise[0]?.regression).toBe(false);
  });

  it('skips metrics the previous run did not have', () => {
    expect(compareWithPrevious([{ id: 'http.rps', value: 1, better: 'higher' }], previous)).toEqual([]);
  });
});
