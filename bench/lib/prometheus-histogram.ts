/** One cumulative bucket of a Prometheus histogram: observations `<= le`. */
export interface HistogramBucket {
  /** Upper bound in the metric's unit (`Infinity` for `+Inf`). */
  readonly le: number;
  /** Observations at or below `le` (cumulative, as exposed). */
  readonly count: number;
}

/** A histogram read from a text exposition, summed over every series that matched. */
export interface PromHistogram {
  /** Cumulative buckets, ascending by `le`, ending with `+Inf`. */
  readonly buckets: readonly HistogramBucket[];
  /** Number of observations (`_count`). */
  readonly count: number;
  /** Sum of observations (`_sum`). */
  readonly sum: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/y;

/**
 * Reads histogram `name` from a Prometheus text exposition (what `/metrics` serves). Only series whose
 * labels include every pair in `labels` count; several matching series are summed bucket by bucket, the
 * way `sum by (le)` would. Returns undefined when no series matches.
 */
export function parsePromHistogram(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): PromHistogram | undefined {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  let matched = false;
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sample = SAMPLE_LINE.exec(line.trim());
    if (sample === null) continue;
    const [, metric = '', labelText = '', valueText = ''] = sample;
    if (metric !== `${name}_bucket` && metric !== `${name}_count` && metric !== `${name}_sum`) continue;
    const seriesLabels = parseLabels(labelText, line);
    if (!Object.entries(labels).every(([key, value]) => seriesLabels.get(key) === value)) continue;
    const value = parseSampleValue(valueText, line);
    matched = true;
    if (metric.endsWith('_count')) count += value;
    else if (metric.endsWith('_sum')) sum += value;
    else {
      const le = parseSampleValue(seriesLabels.get('le') ?? '', line);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  if (!matched) return undefined;
  const sorted = [...buckets.entries()].sort(([a], [b]) => a - b).map(([le, n]) => ({ le, count: n }));
  if (sorted.at(-1)?.le !== Number.POSITIVE_INFINITY) {
    throw new Error(`histogram ${name} has no +Inf bucket; is it a histogram?`);
  }
  return { buckets: sorted, count, sum };
}

/**
 * The observations made between two scrapes of the same histogram: `after - before`, bucket by bucket.
 * Throws when the buckets differ or a count went down (the process restarted in between).
 */
export function subtractHistograms(after: PromHistogram, before: PromHistogram): PromHistogram {
  if (
    after.buckets.length !== before.buckets.length ||
    after.buckets.some((bucket, i) => bucket.le !== before.buckets[i]?.le)
  ) {
    throw new Error('cannot subtract histograms with different buckets');
  }
  const buckets = after.buckets.map((bucket, i) => ({
    le: bucket.le,
    count: bucket.count - (before.buckets[i]?.count ?? 0),
  }));
  if (after.count < before.count || buckets.some((bucket) => bucket.count < 0)) {
    throw new Error('histogram counts went down between scrapes (did the process restart?)');
  }
  return { buckets, count: after.count - before.count, sum: after.sum - before.sum };
}

function parseLabels(text: string, line: string): Map<string, string> {
  const labels = new Map<string, string>();
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (match === null || LABEL.lastIndex === start) throw new Error(`unreadable labels in: ${line}`);
    labels.set(match[1] ?? '', unescapeLabel(match[2] ?? ''));
  }
  return labels;
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function parseSampleValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`unreadable sample value in: ${line}`);
  return value;
}
