import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderResultsTable } from '../../bench/lib/report-markdown.ts';
import type { Target } from '../../bench/lib/targets.ts';
import { latencyMetric, makeReport, plainMetric, throughputMetric } from './report-fixture.ts';

const ratioTarget: Target = {
  metric: 'core.predict.mean_us',
  on: 'ratio',
  comparison: '<=',
  threshold: 1.1,
  why: 'test',
};

describe('renderResultsTable', () => {
  it('has a row per metric with value, baseline, ratio, target and verdict', () => {
    const table = renderResultsTable(makeReport({ core: [latencyMetric, throughputMetric] }, [ratioTarget]));
    expect(table.split('\n')).toEqual([
      '| Metric | Value | Baseline | Ratio | Target | Verdict |',
      '|---|---|---|---|---|---|',
      '| signet predict.run, mean per call (`core.predict.mean_us`) | 60.0 µs | 50.0 µs (AxGen.forward) | 1.20x | ratio <= 1.1 | **FAIL** |',
      '| signet predict.run, sequential calls (`core.predict.throughput`) | 16,000 calls/s | 20,000 calls/s (AxGen.forward) | 0.80x | — | — |',
    ]);
  });

  it('shows a dash for a metric without baseline, and "pass" when the target is met', () => {
    const met: Target = {
      metric: 'memory.idle_heap_mb',
      on: 'value',
      comparison: '<=',
      threshold: 30,
      why: 'x',
    };
    const table = renderResultsTable(makeReport({ memory: [plainMetric] }, [met]));
    expect(table).toContain(
      '| signet heap at idle (`memory.idle_heap_mb`) | 27.3 MB | — | — | value <= 30 | pass |',
    );
  });

  it('shows only the suites that ran', () => {
    const table = renderResultsTable(makeReport({ core: [latencyMetric] }));
    expect(table).toContain('core.predict.mean_us');
    expect(table).not.toMatch(/memory\.|http\./);
  });

  it('escapes pipes in labels so the table keeps its columns', () => {
    const table = renderResultsTable(makeReport({ core: [{ ...plainMetric, label: 'a | b' }] }));
    expect(table).toContain('a \\| b');
  });
});

describe('renderMarkdown', () => {
  it('describes the machine and run, and sums up the verdicts', () => {
    const md = renderMarkdown(makeReport({ core: [latencyMetric, plainMetric] }, [ratioTarget]));
    expect(md).toMatch(/^# signet bench report/);
    expect(md).toContain('Test CPU, 2 cores, 24.0 GiB');
    expect(md).toContain('commit 0123456');
    expect(md).toContain('Targets: 0 pass, 1 fail, 1 metric(s) without a target.');
  });

  it('lists sample summaries of both sides', () => {
    const md = renderMarkdown(makeReport({ core: [latencyMetric] }));
    expect(md).toContain('| signet predict.run (µs) | 5 | 60.0 | 60.0 | 78.0 | 79.6 | 40.0 | 80.0 |');
    expect(md).toContain('| AxGen.forward (µs) | 5 |');
  });

  it('flags regressions against the previous run', () => {
    const md = renderMarkdown(
      makeReport({ core: [latencyMetric] }, [], {
        comparison: {
          previous: { startedAt: '2026-11-04T08:00:00.000Z', quick: true, gitCommit: 'fedcba9876543210' },
          threshold: 0.1,
          metrics: [
            { id: 'core.predict.mean_us', previous: 50, current: 60, worseBy: 0.2, regression: true },
          ],
        },
      }),
    );
    expect(md).toContain('Previous run: 2026-11-04T08:00:00.000Z, commit fedcba9');
    expect(md).toContain('| `core.predict.mean_us` | 50.0 | 60.0 | +20.0% | **REGRESSION** |');
    expect(md).toContain('1 regression(s) flagged.');
  });

  it('says why there is no comparison on a first run', () => {
    expect(renderMarkdown(makeReport({ core: [latencyMetric] }))).toContain(
      '## Compared with the previous run\n\nno previous run',
    );
  });

  it('reports a crashed suite', () => {
    const md = renderMarkdown(makeReport({ core: [], memory: [] }, [], { errors: { memory: 'child died' } }));
    expect(md).toContain('## Errors\n\n- `memory`: child died');
  });
});
