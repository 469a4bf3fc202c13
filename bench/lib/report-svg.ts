import { formatNumber } from './format.ts';
import type { BenchReport, JudgedMetric } from './report.ts';
import type { SampleSummary } from './stats.ts';

const WIDTH = 760;
const PANEL_HEIGHT = 250;
const PLOT = { left: 70, right: 20, top: 56, bottom: 36 };
const COLORS = { value: '#2563eb', baseline: '#9ca3af' } as const;
const PERCENTILES = ['mean', 'p50', 'p95', 'p99'] as const satisfies readonly (keyof SampleSummary)[];

/** One bar: a metric's value or its baseline, for one statistic. */
interface Bar {
  readonly series: 'value' | 'baseline';
  readonly value: number;
}

/** A group of bars under one x label (a percentile, or the metric itself). */
interface Group {
  readonly label: string;
  readonly stat: string;
  readonly bars: readonly Bar[];
}

/**
 * `chart.svg`: one panel per charted metric, the metric's bars next to its baseline's. Latency metrics
 * show mean/p50/p95/p99 groups; `bars` metrics (throughput, memory) show the two values. Hand-written SVG.
 */
export function renderSvg(report: BenchReport): string {
  const charted = report.suites.flatMap((suite) => suite.metrics).filter((m) => m.chart !== undefined);
  const height = Math.max(1, charted.length) * PANEL_HEIGHT + 40;
  const body =
    charted.length === 0
      ? `<text x="${WIDTH / 2}" y="80" text-anchor="middle">No charted metrics in this run.</text>`
      : charted.map((metric, index) => renderPanel(metric, 40 + index * PANEL_HEIGHT)).join('\n');
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="bold">signet bench, ${escapeXml(report.startedAt)}</text>`,
    body,
    `</svg>`,
    '',
  ].join('\n');
}

function groupsOf(metric: JudgedMetric): Group[] {
  if (metric.chart === 'percentiles' && metric.summary !== undefined) {
    const { summary } = metric;
    const baseline = metric.baseline?.summary;
    return PERCENTILES.map((stat) => ({
      label: stat,
      stat,
      bars: [
        { series: 'value', value: summary[stat] },
        ...(baseline === undefined ? [] : [{ series: 'baseline' as const, value: baseline[stat] }]),
      ],
    }));
  }
  return [
    {
      label: metric.unit,
      stat: 'value',
      bars: [
        { series: 'value', value: metric.value },
        ...(metric.baseline === undefined
          ? []
          : [{ series: 'baseline' as const, value: metric.baseline.value }]),
      ],
    },
  ];
}

function renderPanel(metric: JudgedMetric, top: number): string {
  const groups = groupsOf(metric);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = PANEL_HEIGHT - PLOT.top - PLOT.bottom;
  const baseY = top + PLOT.top + plotHeight;
  const highest = Math.max(...groups.flatMap((g) => g.bars.map((b) => b.value)), 0) * 1.1;
  const step = niceCeiling(highest / 4);
  const ticks = Math.max(1, Math.ceil(highest / step));
  const max = step * ticks;
  const y = (value: number) => baseY - (Math.max(0, value) / max) * plotHeight;
  const groupWidth = plotWidth / groups.length;
  const barWidth = Math.min(56, (groupWidth * 0.7) / 2);
  const parts: string[] = [
    `<g class="panel" data-metric="${escapeXml(metric.id)}">`,
    `<text x="16" y="${top + 20}" font-size="14" font-weight="bold">${escapeXml(panelTitle(metric))}</text>`,
    legend(metric, top + 38),
  ];
  for (let tick = 0; tick <= ticks; tick++) {
    const value = step * tick;
    const ty = y(value);
    parts.push(
      `<line x1="${PLOT.left}" y1="${fmt(ty)}" x2="${WIDTH - PLOT.right}" y2="${fmt(ty)}" stroke="#e5e7eb"/>`,
      `<text x="${PLOT.left - 6}" y="${fmt(ty + 4)}" text-anchor="end" fill="#6b7280">${formatNumber(value)}</text>`,
    );
  }
  groups.forEach((group, gi) => {
    const center = PLOT.left + groupWidth * (gi + 0.5);
    const start = center - (barWidth * group.bars.length) / 2;
    group.bars.forEach((bar, bi) => {
      const x = start + bi * barWidth;
      const barTop = y(bar.value);
      parts.push(
        `<rect class="bar ${bar.series}" data-metric="${escapeXml(metric.id)}" data-stat="${group.stat}" data-value="${bar.value}" x="${fmt(x + 2)}" y="${fmt(barTop)}" width="${fmt(barWidth - 4)}" height="${fmt(baseY - barTop)}" fill="${COLORS[bar.series]}"/>`,
        `<text x="${fmt(x + barWidth / 2)}" y="${fmt(barTop - 4)}" text-anchor="middle" font-size="11">${formatNumber(bar.value)}</text>`,
      );
    });
    parts.push(
      `<text x="${fmt(center)}" y="${baseY + 18}" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${PLOT.left}" y1="${baseY}" x2="${WIDTH - PLOT.right}" y2="${baseY}" stroke="#374151"/>`,
  );
  parts.push('</g>');
  return parts.join('\n');
}

function panelTitle(metric: JudgedMetric): string {
  if (metric.chart === 'percentiles')
    return `${metric.series ?? metric.label}: mean and percentiles (${metric.unit})`;
  return `${metric.label} (${metric.unit})`;
}

function legend(metric: JudgedMetric, y: number): string {
  const entries: { name: string; color: string }[] = [
    { name: metric.series ?? metric.label, color: COLORS.value },
  ];
  if (metric.baseline !== undefined) entries.push({ name: metric.baseline.label, color: COLORS.baseline });
  let x = 16;
  return entries
    .map((entry) => {
      const item = `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${entry.color}"/><text x="${x + 18}" y="${y}">${escapeXml(entry.name)}</text>`;
      x += 30 + entry.name.length * 7;
      return item;
    })
    .join('');
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten that is >= value (1 for nothing to show). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function fmt(n: number): string {
  return Number(n.toFixed(1)).toString();
}
