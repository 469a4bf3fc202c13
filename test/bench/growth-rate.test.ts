import { describe, expect, it } from 'vitest';
import { medianGrowthPerStep } from '../../bench/lib/growth-rate.ts';

describe('medianGrowthPerStep', () => {
  it('reports a steady leak in full', () => {
    const readings = Array.from({ length: 11 }, (_, i) => 50_000_000 + i * 200 * 1024); // 1 KiB per run
    expect(medianGrowthPerStep(readings, 200)).toBe(1024);
  });

  it('ignores a one-off jump that lands in a single interval', () => {
    const readings = [100, 110, 90, 2_000_100, 2_000_120, 2_000_090, 2_000_110];
    expect(Math.abs(medianGrowthPerStep(readings, 10))).toBeLessThan(2);
  });

  it('can be negative when memory was released', () => {
    expect(medianGrowthPerStep([300, 200, 100], 1)).toBe(-100);
  });

  it('needs two readings and a positive step', () => {
    expect(() => medianGrowthPerStep([1], 1)).toThrow(/two readings/);
    expect(() => medianGrowthPerStep([1, 2], 0)).toThrow(/positive/);
  });
});
