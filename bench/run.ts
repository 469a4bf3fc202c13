/**
 * `npm run bench -- [--suite core,memory] [--quick] [--duration 5] [--out dir] [--check]`
 * Runs the suites, writes report.json, report.md and chart.svg, prints the table and any regressions.
 */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatShare, formatValue } from './lib/format.ts';
import { createProgress } from './lib/progress-bar.ts';
import type { BenchReport } from './lib/report.ts';
import { renderResultsTable } from './lib/report-markdown.ts';
import { runBench } from './lib/run-bench.ts';
import { selectSuites } from './lib/select-suites.ts';
import { loadTargets } from './lib/targets.ts';
import { suites } from './suites/index.ts';

const QUICK_DURATION_S = 2;
const DEFAULT_DURATION_S = 10;

interface CliOptions {
  readonly suite: string[];
  readonly quick: boolean;
  readonly duration?: number;
  readonly out: string;
  readonly targets: string;
  readonly check: boolean;
  readonly regressionThreshold: number;
}

const program = new Command('bench')
  .description(`Benchmarks signet. Suites: ${suites.map((s) => `${s.name} (${s.description})`).join('; ')}`)
  .addOption(
    new Option('--suite <names>', 'suite(s) to run, repeatable or comma-separated')
      .argParser(collect)
      .default([], 'all'),
  )
  .option('--quick', `short run for CI smoke tests (${QUICK_DURATION_S}s per suite)`, false)
  .addOption(
    new Option(
      '--duration <seconds>',
      `measuring time per suite (default: ${DEFAULT_DURATION_S}, ${QUICK_DURATION_S} with --quick)`,
    ).argParser(positiveNumber),
  )
  .addOption(
    new Option('--out <dir>', 'results folder (runs go to <dir>/<timestamp>/ and <dir>/latest/)').default(
      fileURLToPath(new URL('./results', import.meta.url)),
      'bench/results',
    ),
  )
  .addOption(
    new Option('--targets <file>', 'targets file').default(
      fileURLToPath(new URL('./targets.json', import.meta.url)),
      'bench/targets.json',
    ),
  )
  .option('--check', 'exit 1 when a metric misses its target', false)
  .addOption(
    new Option('--regression-threshold <share>', 'flag metrics worse than the previous run by this share')
      .argParser(positiveNumber)
      .default(0.1),
  )
  .showHelpAfterError()
  .exitOverride(); // usage errors exit 2 like the rest (commander has printed them already)

/** Aborted on the first Ctrl-C: suites stop between batches and child processes are killed. */
const controller = new AbortController();

async function main(): Promise<number> {
  const options = program.parse().opts<CliOptions>();
  const selected = selectSuites(options.suite, suites);
  const targets = await loadTargets(options.targets);
  process.once('SIGINT', () => controller.abort(new Error('interrupted; no report written')));
  const { report, written } = await runBench({
    suites: selected,
    targets,
    quick: options.quick,
    durationS: options.duration ?? (options.quick ? QUICK_DURATION_S : DEFAULT_DURATION_S),
    out: options.out,
    regressionThreshold: options.regressionThreshold,
    progress: createProgress(process.stderr),
    signal: controller.signal,
  });
  process.stdout.write(`\n${renderResultsTable(report)}\n\n${summaryLines(report).join('\n')}\n`);
  process.stdout.write(`\nReport: ${written.runDir}/report.md (also in ${written.latestDir})\n`);
  if (report.summary.errors > 0) return 1;
  return options.check && report.summary.fail > 0 ? 1 : 0;
}

function summaryLines(report: BenchReport): string[] {
  const s = report.summary;
  const lines = [`Targets: ${s.pass} pass, ${s.fail} fail, ${s.none} without a target.`];
  const units = new Map(report.suites.flatMap((suite) => suite.metrics.map((m) => [m.id, m.unit] as const)));
  for (const c of report.comparison.metrics.filter((m) => m.regression)) {
    const unit = units.get(c.id) ?? '';
    const by = c.worseBy === undefined ? '' : ` (${formatShare(c.worseBy)} worse)`;
    lines.push(
      `REGRESSION ${c.id}: ${formatValue(c.previous, unit)} -> ${formatValue(c.current, unit)}${by}`,
    );
  }
  if (report.comparison.previous === undefined) lines.push(report.comparison.note ?? 'No previous run.');
  else if (s.regressions === 0)
    lines.push(`No regressions against the run of ${report.comparison.previous.startedAt}.`);
  for (const suite of report.suites.filter((x) => x.error !== undefined)) {
    lines.push(`ERROR in suite ${suite.name}: ${suite.error}`);
  }
  return lines;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0)) throw new InvalidArgumentError('expected a positive number');
  return parsed;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2; // 0 for --help
      return;
    }
    const cause: unknown = controller.signal.aborted ? controller.signal.reason : error;
    process.stderr.write(`\nbench: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    process.exitCode = controller.signal.aborted ? 130 : process.exitCode || 2;
  },
);
