import type { SampleSummary } from './stats.ts';

/** Which direction of a metric is an improvement. */
export type Better = 'lower' | 'higher';

/** The same quantity measured on the reference implementation, in the same run. */
export interface MetricBaseline {
  /** What the baseline is (e.g. `AxGen.forward`). */
  readonly label: string;
  /** The baseline's value, in the metric's unit. */
  readonly value: number;
  /** The baseline's samples, when the value summarizes a series. */
  readonly summary?: SampleSummary;
}

/** One number a suite measured. The harness adds the ratio, the target verdict and the comparison. */
export interface Metric {
  /** Stable id `<suite>.<name>`: targets and run-to-run comparison refer to it. */
  readonly id: string;
  /** Human description shown in reports. */
  readonly label: string;
  /** Name of the measured series in charts and sample tables (e.g. `signet predict.run`); defaults to `label`. */
  readonly series?: string;
  /** Unit of `value` (`µs`, `calls/s`, `MB`, `B/run`). */
  readonly unit: string;
  /** Whether lower or higher is better; decides what counts as a regression. */
  readonly better: Better;
  /** The measured value. */
  readonly value: number;
  /** The samples behind `value`, when it summarizes a series. */
  readonly summary?: SampleSummary;
  /** The reference measured in the same run; `ratio = value / baseline.value`. */
  readonly baseline?: MetricBaseline;
  /** How the SVG chart shows the metric: percentile groups, a value-vs-baseline pair, or not at all. */
  readonly chart?: 'percentiles' | 'bars';
  /** Smallest absolute change (in `unit`) worth flagging as a regression: the metric's noise floor. */
  readonly noiseFloor?: number;
}

/** `value / baseline`, or undefined when there is no baseline or the quotient means nothing (<= 0). */
export function ratioOf(metric: Pick<Metric, 'value' | 'baseline'>): number | undefined {
  const baseline = metric.baseline?.value;
  if (baseline === undefined || !(baseline > 0) || !(metric.value >= 0)) return undefined;
  return metric.value / baseline;
}
