import type { Comparison } from './compare-previous.ts';
import type { MachineInfo } from './machine-info.ts';
import { type Metric, ratioOf } from './metric.ts';
import { judge, type Target, targetsFor, type Verdict } from './targets.ts';

/** Format marker of `report.json`, bumped when its shape changes incompatibly. */
export const REPORT_FORMAT = 'signet.bench/v1';

/** A metric with what the harness derived from it. */
export interface JudgedMetric extends Metric {
  /** `value / baseline.value`, both measured in this run. */
  readonly ratio?: number;
  /** Targets from `targets.json` that name this metric. */
  readonly targets: readonly Target[];
  /** Pass/fail against those targets (`none` without one). */
  readonly verdict: Verdict;
}

/** One suite's part of the report. */
export interface SuiteReport {
  readonly name: string;
  readonly description: string;
  /** Wall time of the suite, in ms. */
  readonly durationMs: number;
  readonly metrics: readonly JudgedMetric[];
  /** Set when the suite crashed; its metrics are then empty. */
  readonly error?: string;
}

/** The run this one was compared with (`latest/report.json` before it was replaced). */
export interface PreviousRunInfo {
  readonly startedAt: string;
  readonly quick: boolean;
  readonly gitCommit?: string;
}

/** Everything `report.json` holds. `report.md` and `chart.svg` are rendered from it alone. */
export interface BenchReport {
  readonly format: typeof REPORT_FORMAT;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: {
    readonly suites: readonly string[];
    readonly quick: boolean;
    /** Measuring time per suite, in seconds. */
    readonly durationS: number;
  };
  readonly machine: MachineInfo;
  readonly suites: readonly SuiteReport[];
  readonly comparison: {
    /** Absent on a first run or when the previous report could not be read. */
    readonly previous?: PreviousRunInfo;
    /** Share by which a metric must worsen to be flagged. */
    readonly threshold: number;
    readonly metrics: readonly Comparison[];
    /** Why there is no comparison, when there is none. */
    readonly note?: string;
  };
  readonly summary: {
    readonly pass: number;
    readonly fail: number;
    readonly none: number;
    readonly regressions: number;
    readonly errors: number;
  };
}

/** Adds the ratio and the verdict to a measured metric. */
export function judgeMetric(metric: Metric, targets: readonly Target[]): JudgedMetric {
  const ratio = ratioOf(metric);
  const applicable = targetsFor(metric.id, targets);
  return {
    ...metric,
    ...(ratio === undefined ? {} : { ratio }),
    targets: applicable,
    verdict: judge({ value: metric.value, ratio }, applicable),
  };
}

/** Counts verdicts, regressions and crashed suites. */
export function summarizeReport(
  suites: readonly SuiteReport[],
  comparisons: readonly Comparison[],
): BenchReport['summary'] {
  const metrics = suites.flatMap((suite) => suite.metrics);
  const count = (status: Verdict['status']) => metrics.filter((m) => m.verdict.status === status).length;
  return {
    pass: count('pass'),
    fail: count('fail'),
    none: count('none'),
    regressions: comparisons.filter((c) => c.regression).length,
    errors: suites.filter((suite) => suite.error !== undefined).length,
  };
}
