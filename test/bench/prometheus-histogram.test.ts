import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePromHistogram, subtractHistograms } from '../../bench/lib/prometheus-histogram.ts';

const NAME = 'signet_gateway_overhead_seconds';

/** A real prom-client exposition: the same text the server's /metrics serves. */
async function exposition(observe: (histogram: Histogram<'route'>) => void): Promise<string> {
  const registry = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: 'test',
    labelNames: ['route'],
    buckets: [0.001, 0.01, 0.1],
    registers: [registry],
  });
  new Histogram({
    name: `${NAME}_other`,
    help: 'same prefix, other metric',
    buckets: [1],
    registers: [registry],
  }).observe(0.5);
  observe(histogram);
  return registry.metrics();
}

describe('parsePromHistogram', () => {
  it('reads the cumulative buckets, count and sum of the series with the given labels', async () => {
    const text = await exposition((h) => {
      h.observe({ route: '/a' }, 0.0005);
      h.observe({ route: '/a' }, 0.05);
      h.observe({ route: '/a' }, 5);
      h.observe({ route: '/b' }, 0.0005);
    });
    expect(parsePromHistogram(text, NAME, { route: '/a' })).toEqual({
      buckets: [
        { le: 0.001, count: 1 },
        { le: 0.01, count: 1 },
        { le: 0.1, count: 2 },
        { le: Number.POSITIVE_INFINITY, count: 3 },
      ],
      count: 3,
      sum: 5.0505,
    });
  });

  it('sums every matching series bucket by bucket when no label narrows it', async () => {
    const text = await exposition((h) => {
      h.observe({ route: '/a' }, 0.0005);
      h.observe({ route: '/b' }, 0.05);
    });
    const histogram = parsePromHistogram(text, NAME);
    expect(histogram?.count).toBe(2);
    expect(histogram?.buckets.map((b) => b.count)).toEqual([1, 1, 2, 2]);
  });

  it('matches label values with quotes, backslashes and newlines escaped', async () => {
    const route = 'a "quoted" \\ path\nline';
    const text = await exposition((h) => h.observe({ route }, 0.0005));
    expect(text).toContain('\\"quoted\\"');
    expect(parsePromHistogram(text, NAME, { route })?.count).toBe(1);
  });

  it('returns undefined when no series matches, and rejects a metric without a +Inf bucket', async () => {
    const text = await exposition((h) => h.observe({ route: '/a' }, 0.0005));
    expect(parsePromHistogram(text, NAME, { route: '/missing' })).toBeUndefined();
    expect(parsePromHistogram(text, 'no_such_metric')).toBeUndefined();
    expect(() => parsePromHistogram('x_bucket{le="1"} 3\nx_count 3\n', 'x')).toThrow(/\+Inf/);
  });

  it('rejects an unreadable sample value', () => {
    expect(() => parsePromHistogram('x_bucket{le="+Inf"} many\n', 'x')).toThrow(/unreadable/);
  });
});

describe('subtractHistograms', () => {
  it('keeps only the observations made between two scrapes', async () => {
    const registry = new Registry();
    const histogram = new Histogram({
      name: NAME,
      help: 't',
      labelNames: ['route'],
      buckets: [0.01],
      registers: [registry],
    });
    histogram.observe({ route: '/a' }, 0.005);
    const before = parsePromHistogram(await registry.metrics(), NAME);
    histogram.observe({ route: '/a' }, 0.5);
    histogram.observe({ route: '/a' }, 0.5);
    const after = parsePromHistogram(await registry.metrics(), NAME);
    if (before === undefined || after === undefined) throw new Error('histogram not found');
    const delta = subtractHistograms(after, before);
    expect(delta.count).toBe(2);
    expect(delta.sum).toBeCloseTo(1, 10);
    expect(delta.buckets).toEqual([
      { le: 0.01, count: 0 },
      { le: Number.POSITIVE_INFINITY, count: 2 },
    ]);
  });

  it('refuses histograms with different buckets or counts that went down', () => {
    const a = { buckets: [{ le: Number.POSITIVE_INFINITY, count: 5 }], count: 5, sum: 1 };
    const b = {
      buckets: [
        { le: 1, count: 1 },
        { le: Number.POSITIVE_INFINITY, count: 1 },
      ],
      count: 1,
      sum: 1,
    };
    expect(() => subtractHistograms(a, b)).toThrow(/different buckets/);
    expect(() => subtractHistograms({ ...a, count: 1, buckets: [{ le: Infinity, count: 1 }] }, a)).toThrow(
      /went down/,
    );
  });
});
