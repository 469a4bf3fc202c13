import path from 'node:path';
import { compareWithPrevious, DEFAULT_REGRESSION_THRESHOLD } from './compare-previous.ts';
import { machineInfo } from './machine-info.ts';
import type { Metric } from './metric.ts';
import { readPreviousReport } from './previous-report.ts';
import type { Progress } from './progress-bar.ts';
import { type BenchReport, judgeMetric, REPORT_FORMAT, type SuiteReport, summarizeReport } from './report.ts';
import { renderMarkdown } from './report-markdown.ts';
import { renderSvg } from './report-svg.ts';
import type { BenchSuite } from './suite.ts';
import type { Target } from './targets.ts';
import { type WrittenResults, writeResults } from './write-results.ts';

/** Everything a bench run needs, decided by the CLI (or a test). */
export interface BenchRunOptions {
  /** Suites to run, in order. */
  readonly suites: readonly BenchSuite[];
  readonly targets: readonly Target[];
  readonly quick: boolean;
  /** Measuring time per suite, in seconds. */
  readonly durationS: number;
  /** Results folder: the run goes to `<out>/<timestamp>/` and `<out>/latest/`. */
  readonly out: string;
  /** Share by which a metric must worsen to be flagged (default 0.1). */
  readonly regressionThreshold?: number;
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

/** The report and where its files were written. */
export interface BenchRunResult {
  readonly report: BenchReport;
  readonly written: WrittenResults;
}

/** Runs the suites, judges and compares their metrics, and writes report.json, report.md and chart.svg. */
export async function runBench(options: BenchRunOptions): Promise<BenchRunResult> {
  const startedAt = new Date().toISOString();
  const previous = await readPreviousReport(path.join(options.out, 'latest', 'report.json'));
  const suites: SuiteReport[] = [];
  for (const [index, suite] of options.suites.entries()) {
    options.progress.start(suite.name, index + 1, options.suites.length);
    suites.push(await runSuite(suite, options));
  }
  const threshold = options.regressionThreshold ?? DEFAULT_REGRESSION_THRESHOLD;
  const metrics = suites.flatMap((suite) => suite.metrics);
  const comparisons = previous.found ? compareWithPrevious(metrics, previous.values, threshold) : [];
  const report: BenchReport = {
    format: REPORT_FORMAT,
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      suites: options.suites.map((s) => s.name),
      quick: options.quick,
      durationS: options.durationS,
    },
    machine: machineInfo(),
    suites,
    comparison: previous.found
      ? { previous: previous.info, threshold, metrics: comparisons }
      : { threshold, metrics: [], note: previous.note },
    summary: summarizeReport(suites, comparisons),
  };
  const written = await writeResults(options.out, startedAt, {
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': renderMarkdown(report),
    'chart.svg': renderSvg(report),
  });
  return { report, written };
}

async function runSuite(suite: BenchSuite, options: BenchRunOptions): Promise<SuiteReport> {
  const started = performance.now();
  const base = { name: suite.name, description: suite.description };
  try {
    const metrics = await suite.run({
      durationMs: options.durationS * 1000,
      quick: options.quick,
      signal: options.signal,
      progress: (fraction, detail) => options.progress.update(fraction, detail),
    });
    for (const metric of metrics) checkMetric(suite.name, metric);
    options.progress.finish(`${metrics.length} metrics`);
    const judged = metrics.map((metric) => judgeMetric(metric, options.targets));
    return { ...base, durationMs: performance.now() - started, metrics: judged };
  } catch (error) {
    if (options.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    options.progress.finish(`failed: ${message}`);
    return { ...base, durationMs: performance.now() - started, metrics: [], error: message };
  }
}

/** A suite's metrics must be named after it and be real numbers, or reports stop being comparable. */
function checkMetric(suite: string, metric: Metric): void {
  if (!metric.id.startsWith(`${suite}.`)) {
    throw new Error(`metric ${metric.id} of suite ${suite} must be named "${suite}.<name>"`);
  }
  const values = [metric.value, metric.baseline?.value ?? 0];
  if (values.some((value) => !Number.isFinite(value))) {
    throw new Error(`metric ${metric.id} is not a finite number (${values.join(', ')})`);
  }
}
