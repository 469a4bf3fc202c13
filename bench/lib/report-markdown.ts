import { formatGiB, formatNumber, formatRatio, formatShare, formatValue } from './format.ts';
import type { BenchReport, JudgedMetric } from './report.ts';
import { describeTarget } from './targets.ts';

const VERDICT_TEXT = { pass: 'pass', fail: '**FAIL**', none: '—' } as const;

/** `report.md`: the results table, sample summaries, the comparison with the previous run, errors. */
export function renderMarkdown(report: BenchReport): string {
  const sections = [
    `# signet bench report\n\n${runLine(report)}`,
    `## Results\n\n${renderResultsTable(report)}\n\n${verdictLine(report)}`,
    renderSamples(report),
    renderComparison(report),
    renderErrors(report),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

/** The main table: one row per metric of every suite that ran. */
export function renderResultsTable(report: BenchReport): string {
  const rows = report.suites.flatMap((suite) => suite.metrics.map(resultRow));
  return table(['Metric', 'Value', 'Baseline', 'Ratio', 'Target', 'Verdict'], rows);
}

function resultRow(metric: JudgedMetric): string[] {
  return [
    `${metric.label} (\`${metric.id}\`)`,
    formatValue(metric.value, metric.unit),
    metric.baseline === undefined
      ? '—'
      : `${formatValue(metric.baseline.value, metric.unit)} (${metric.baseline.label})`,
    metric.ratio === undefined ? '—' : formatRatio(metric.ratio),
    metric.targets.length === 0 ? '—' : metric.targets.map(describeTarget).join('; '),
    VERDICT_TEXT[metric.verdict.status],
  ];
}

function renderSamples(report: BenchReport): string {
  const rows: string[][] = [];
  for (const metric of report.suites.flatMap((suite) => suite.metrics)) {
    const series = [
      { name: metric.series ?? metric.label, summary: metric.summary },
      { name: metric.baseline?.label ?? '', summary: metric.baseline?.summary },
    ];
    for (const { name, summary } of series) {
      if (summary === undefined) continue;
      const stats = [summary.mean, summary.p50, summary.p95, summary.p99, summary.min, summary.max];
      rows.push([`${name} (${metric.unit})`, String(summary.n), ...stats.map(formatNumber)]);
    }
  }
  if (rows.length === 0) return '';
  return `## Samples\n\n${table(['Series', 'n', 'mean', 'p50', 'p95', 'p99', 'min', 'max'], rows)}`;
}

function renderComparison(report: BenchReport): string {
  const { previous, metrics, threshold, note } = report.comparison;
  if (previous === undefined) return `## Compared with the previous run\n\n${note ?? 'No previous run.'}`;
  const commit = previous.gitCommit === undefined ? '' : `, commit ${previous.gitCommit.slice(0, 7)}`;
  const mode = previous.quick === report.options.quick ? '' : ' (a run of the other mode: expect noise)';
  const rows = metrics.map((c) => [
    `\`${c.id}\``,
    formatNumber(c.previous),
    formatNumber(c.current),
    c.worseBy === undefined ? '—' : formatShare(c.worseBy),
    c.regression ? '**REGRESSION**' : '',
  ]);
  const flagged = metrics.filter((c) => c.regression).length;
  return [
    `## Compared with the previous run\n`,
    `Previous run: ${previous.startedAt}${commit}${mode}. "Worse by" is positive when the metric got worse;`,
    `more than ${formatShare(threshold)} (and beyond the metric's noise floor) is flagged.\n`,
    table(['Metric', 'Previous', 'Now', 'Worse by', 'Flag'], rows),
    `\n${flagged === 0 ? 'No regressions.' : `${flagged} regression(s) flagged.`}`,
  ].join('\n');
}

function renderErrors(report: BenchReport): string {
  const failed = report.suites.filter((suite) => suite.error !== undefined);
  if (failed.length === 0) return '';
  return `## Errors\n\n${failed.map((suite) => `- \`${suite.name}\`: ${suite.error}`).join('\n')}`;
}

function runLine(report: BenchReport): string {
  const m = report.machine;
  const commit =
    m.gitCommit === undefined
      ? 'no git commit'
      : `commit ${m.gitCommit.slice(0, 7)}${m.gitDirty ? ' (dirty)' : ''}`;
  return [
    `Run ${report.startedAt}, ${report.options.quick ? 'quick' : 'full'}, ${report.options.durationS} s per suite,`,
    `suites: ${report.options.suites.join(', ')}.`,
    `Machine: ${m.os} (${m.platform}), ${m.cpuModel}, ${m.cores} cores, ${formatGiB(m.memoryBytes)},`,
    `Node ${m.node}, ${commit}.`,
  ].join('\n');
}

function verdictLine(report: BenchReport): string {
  const s = report.summary;
  return `Targets: ${s.pass} pass, ${s.fail} fail, ${s.none} metric(s) without a target.`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
