import { describe, expect, it } from 'vitest';
import { escapeXml, niceCeiling, renderSvg } from '../../bench/lib/report-svg.ts';
import { latencyMetric, makeReport, plainMetric, throughputMetric } from './report-fixture.ts';
import { parseXml } from './xml-well-formed.ts';

const bars = (svg: string) =>
  parseXml(svg).filter((e) => e.name === 'rect' && e.attributes.class?.startsWith('bar'));

describe('renderSvg', () => {
  it('is well-formed XML with an svg root', () => {
    const elements = parseXml(
      renderSvg(makeReport({ core: [latencyMetric, throughputMetric, plainMetric] })),
    );
    expect(elements[0]?.name).toBe('svg');
    expect(elements[0]?.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
  });

  it('draws mean/p50/p95/p99 bars next to the baseline’s for a latency metric', () => {
    const drawn = bars(renderSvg(makeReport({ core: [latencyMetric] })));
    const of = (series: string) =>
      drawn
        .filter((b) => b.attributes.class === `bar ${series}`)
        .map((b) => [b.attributes['data-stat'], Number(b.attributes['data-value'])]);
    expect(of('value')).toEqual([
      ['mean', 60],
      ['p50', 60],
      ['p95', 78],
      ['p99', 79.6],
    ]);
    expect(of('baseline').map(([stat]) => stat)).toEqual(['mean', 'p50', 'p95', 'p99']);
  });

  it('draws a throughput metric as its value and its baseline, taller bar for the larger value', () => {
    const drawn = bars(renderSvg(makeReport({ core: [throughputMetric] })));
    expect(drawn.map((b) => b.attributes.class)).toEqual(['bar value', 'bar baseline']);
    const [ours, theirs] = drawn.map((b) => Number(b.attributes.height));
    expect(theirs).toBeGreaterThan(ours as number);
  });

  it('leaves out metrics that are not charted, and says so when nothing is', () => {
    const svg = renderSvg(makeReport({ memory: [plainMetric] }));
    expect(bars(svg)).toEqual([]);
    expect(svg).toContain('No charted metrics');
    parseXml(svg);
  });

  it('escapes labels so they cannot break the document', () => {
    const tricky = { ...throughputMetric, label: 'a < b & "c"', baseline: { label: "Ax's <raw>", value: 1 } };
    const svg = renderSvg(makeReport({ core: [tricky] }));
    expect(() => parseXml(svg)).not.toThrow();
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
  });
});

describe('svg helpers', () => {
  it('rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.7, 1, 1.2, 2.2, 3, 7, 130, 0].map(niceCeiling)).toEqual([1, 1, 2, 2.5, 5, 10, 200, 1]);
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('parseXml (the test helper itself)', () => {
  it('rejects mismatched tags, bare ampersands and two roots', () => {
    expect(() => parseXml('<svg><g></svg></g>')).toThrow(/closes/);
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(/unescaped &/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/second root/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
  });
});
