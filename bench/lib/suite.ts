import type { Metric } from './metric.ts';

/** What the harness gives a suite when it runs it. */
export interface SuiteContext {
  /** How long the suite should spend measuring (warm-up not included), in ms. */
  readonly durationMs: number;
  /** Whether this is a `--quick` run (CI smoke): suites keep fixed costs small too. */
  readonly quick: boolean;
  /** Aborted on Ctrl-C: stop between batches and kill child processes. */
  readonly signal: AbortSignal;
  /** Reports progress within the suite (0..1) with a short note of the current phase. */
  progress(fraction: number, detail: string): void;
}

/** A named group of measurements. Add one by writing `<name>.suite.ts` and listing it in `index.ts`. */
export interface BenchSuite {
  /** Name used by `--suite` and as the prefix of metric ids. */
  readonly name: string;
  /** One line on what the suite measures, shown in reports and `--help`. */
  readonly description: string;
  /** Measures and returns metrics; ratios, verdicts and comparisons are the harness's job. */
  run(context: SuiteContext): Promise<readonly Metric[]>;
}
