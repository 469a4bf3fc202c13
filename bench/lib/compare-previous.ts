import type { Better } from './metric.ts';

/** Default share by which a metric must get worse to be flagged. */
export const DEFAULT_REGRESSION_THRESHOLD = 0.1;

/** What the comparison needs of a current metric. */
export interface ComparableMetric {
  readonly id: string;
  readonly value: number;
  readonly better: Better;
  /** Changes smaller than this (absolute, in the metric's unit) are noise, never regressions. */
  readonly noiseFloor?: number | undefined;
}

/** One metric next to its value in the previous run. */
export interface Comparison {
  readonly id: string;
  readonly previous: number;
  readonly current: number;
  /** How much worse, as a share of the previous value (negative: better); undefined when previous is 0. */
  readonly worseBy: number | undefined;
  /** Worse by more than the threshold and by more than the metric's noise floor. */
  readonly regression: boolean;
}

/**
 * Compares metrics with the previous run's values. Metrics that are new (or gone) are not compared:
 * a suite that did not run before has nothing to regress from.
 */
export function compareWithPrevious(
  current: readonly ComparableMetric[],
  previous: ReadonlyMap<string, number>,
  threshold = DEFAULT_REGRESSION_THRESHOLD,
): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const metric of current) {
    const before = previous.get(metric.id);
    if (before === undefined) continue;
    const delta = metric.better === 'lower' ? metric.value - before : before - metric.value;
    const worseBy = before === 0 ? undefined : delta / Math.abs(before);
    const beyondNoise = delta > (metric.noiseFloor ?? 0);
    const regression = beyondNoise && (worseBy === undefined ? delta > 0 : worseBy > threshold);
    comparisons.push({ id: metric.id, previous: before, current: metric.value, worseBy, regression });
  }
  return comparisons;
}
