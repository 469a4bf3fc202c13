import type { Metric } from '../../bench/lib/metric.ts';
import { type BenchReport, judgeMetric, REPORT_FORMAT, type SuiteReport } from '../../bench/lib/report.ts';
import { summarize } from '../../bench/lib/stats.ts';
import type { Target } from '../../bench/lib/targets.ts';

/** A latency metric with samples on both sides, as the core suite produces. */
export const latencyMetric: Metric = {
  id: 'core.predict.mean_us',
  label: 'signet predict.run, mean per call',
  series: 'signet predict.run',
  unit: 'µs',
  better: 'lower',
  value: 60,
  summary: summarize([40, 50, 60, 70, 80]),
  baseline: { label: 'AxGen.forward', value: 50, summary: summarize([30, 40, 50, 60, 70]) },
  chart: 'percentiles',
};

/** A throughput metric charted as two bars. */
export const throughputMetric: Metric = {
  id: 'core.predict.throughput',
  label: 'signet predict.run, sequential calls',
  unit: 'calls/s',
  better: 'higher',
  value: 16_000,
  baseline: { label: 'AxGen.forward', value: 20_000 },
  chart: 'bars',
};

/** A metric without baseline or chart. */
export const plainMetric: Metric = {
  id: 'memory.idle_heap_mb',
  label: 'signet heap at idle',
  unit: 'MB',
  better: 'lower',
  value: 27.3,
};

/** A report over the given suites' metrics, judged against the given targets. */
export function makeReport(
  suites: Readonly<Record<string, readonly Metric[]>>,
  targets: readonly Target[] = [],
  extra: Partial<Pick<BenchReport, 'comparison'>> & { readonly errors?: Record<string, string> } = {},
): BenchReport {
  const suiteReports: SuiteReport[] = Object.entries(suites).map(([name, metrics]) => ({
    name,
    description: `${name} suite`,
    durationMs: 1000,
    metrics: metrics.map((m) => judgeMetric(m, targets)),
    ...(extra.errors?.[name] === undefined ? {} : { error: extra.errors[name] }),
  }));
  const metrics = suiteReports.flatMap((s) => s.metrics);
  return {
    format: REPORT_FORMAT,
    startedAt: '2026-11-05T09:14:03.120Z',
    finishedAt: '2026-11-05T09:14:13.120Z',
    options: { suites: Object.keys(suites), quick: true, durationS: 2 },
    machine: {
      os: 'Linux 6.1.0',
      platform: 'linux-x64',
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 24 * 1024 ** 3,
      node: 'v20.20.2',
      gitCommit: '0123456789abcdef',
      gitDirty: false,
    },
    suites: suiteReports,
    comparison: extra.comparison ?? { threshold: 0.1, metrics: [], note: 'no previous run' },
    summary: {
      pass: metrics.filter((m) => m.verdict.status === 'pass').length,
      fail: metrics.filter((m) => m.verdict.status === 'fail').length,
      none: metrics.filter((m) => m.verdict.status === 'none').length,
      regressions: (extra.comparison?.metrics ?? []).filter((c) => c.regression).length,
      errors: Object.keys(extra.errors ?? {}).length,
    },
  };
}
