import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bench, type Outcome, read } from './run-bench-cli.ts';

describe('npm run bench', { timeout: 120_000 }, () => {
  let out = '';
  let first: Outcome;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'signet-bench-it-'));
    first = await bench(['--suite', 'core', '--suite', 'memory', '--duration', '0.3', '--out', out]);
  }, 120_000);

  it('writes report.json, report.md and chart.svg into a run folder and latest/', async () => {
    expect(first.stderr).not.toMatch(/^bench:/m);
    expect(first.code).toBe(0);
    for (const file of ['report.json', 'report.md', 'chart.svg']) {
      await access(path.join(out, 'latest', file));
    }
    const runDir = /Report: (.+)\/report\.md/.exec(first.stdout)?.[1];
    expect(runDir).toBeDefined();
    await access(path.join(runDir as string, 'report.json'));
  });

  it('shows every core and memory metric with baseline, ratio and verdict', async () => {
    const md = await read(out, 'report.md');
    const row = (id: string) =>
      md.split('\n').find((line) => line.includes(`\`${id}\``) && line.includes(' | '));
    for (const id of [
      'core.predict.mean_us',
      'core.predict.p50_us',
      'core.predict.p99_us',
      'memory.idle_rss_mb',
    ]) {
      const cells = row(id)?.split(' | ');
      expect(cells, id).toHaveLength(6);
      expect(cells?.[2], `${id} baseline`).toMatch(/\((AxGen\.forward|raw Ax.*)\)/);
      expect(cells?.[3], `${id} ratio`).toMatch(/^\d+\.\d\dx$/);
      expect(cells?.[5], `${id} verdict`).toMatch(/^(pass|\*\*FAIL\*\*|—) \|$/);
    }
    expect(row('core.predict.p50_us')).toMatch(/ratio <= 1\.2 \| (pass|\*\*FAIL\*\*) \|$/);
    expect(first.stdout).toContain('`core.predict.p50_us`'); // the table goes to stdout too
  });

  it('records the machine and a full sample summary in report.json', async () => {
    const report = JSON.parse(await read(out, 'report.json'));
    expect(report.machine).toMatchObject({ node: process.version, cores: expect.any(Number) });
    const mean = report.suites[0].metrics.find((m: { id: string }) => m.id === 'core.predict.mean_us');
    for (const summary of [mean.summary, mean.baseline.summary]) {
      expect(Object.keys(summary).sort()).toEqual(['max', 'mean', 'min', 'n', 'p50', 'p95', 'p99']);
      expect(summary.n).toBeGreaterThan(0);
    }
    expect(mean.ratio).toBeCloseTo(mean.value / mean.baseline.value, 10);
  });

  it('charts the core latency percentiles next to the baseline', async () => {
    const svg = await read(out, 'chart.svg');
    expect(svg).toMatch(/class="bar value" data-metric="core\.predict\.mean_us" data-stat="p99"/);
    expect(svg).toMatch(/class="bar baseline" data-metric="core\.predict\.mean_us" data-stat="p99"/);
  });

  it('compares the next run with the previous one and exits 1 under --check on a missed target', async () => {
    const targets = path.join(out, 'impossible.json');
    await writeFile(
      targets,
      JSON.stringify({
        targets: [
          { metric: 'core.predict.throughput', comparison: '>=', threshold: 1e12, why: 'cannot be met' },
        ],
      }),
    );
    const second = await bench([
      '--suite',
      'core',
      '--duration',
      '0.3',
      '--out',
      out,
      '--targets',
      targets,
      '--check',
    ]);
    expect(second.code).toBe(1);
    const md = await read(out, 'report.md');
    expect(md).toContain('Previous run: ');
    expect(md).toMatch(/\| `core\.predict\.p50_us` \| [\d.,]+ \| [\d.,]+ \| [+-]\d+\.\d%/);
    expect(md).not.toContain('`memory.'); // memory did not run this time, so it does not appear
    expect(md).toMatch(/`core\.predict\.throughput`\) \|.*\| value >= 1000000000000 \| \*\*FAIL\*\* \|/);
  });

  it('refuses an unknown suite, naming the available ones', async () => {
    const result = await bench(['--suite', 'nope', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'unknown suite(s): nope; available: core, local, typed, models, http, chaos, cache, runs, overhead, memory',
    );
  });
});
