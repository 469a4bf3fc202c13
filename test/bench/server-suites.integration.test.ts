import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bench, type Outcome, read, rowOf } from './run-bench-cli.ts';

describe('npm run bench, the server, local-model and model-selection suites', { timeout: 120_000 }, () => {
  let out = '';
  let outcome: Outcome;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'signet-bench-it-'));
    outcome = await bench(['--suite', 'local,models,http,overhead', '--duration', '0.3', '--out', out]);
  }, 120_000);

  it('runs every suite without errors and writes the report', async () => {
    expect(outcome.stderr).not.toMatch(/^bench:/m);
    expect(outcome.stdout).not.toContain('ERROR in suite');
    expect(outcome.code).toBe(0);
    const report = JSON.parse(await read(out, 'report.json'));
    expect(report.suites.map((s: { name: string }) => s.name)).toEqual([
      'local',
      'models',
      'http',
      'overhead',
    ]);
  });

  it('judges each new target and shows its baseline', async () => {
    const md = await read(out, 'report.md');
    const expectations: [string, RegExp, string][] = [
      ['local.generate.tokens_per_s', /\(raw transformers\.js generate\)/, 'ratio >= 0.95'],
      ['local.concurrency.x8_tokens_per_s', /\(same 8 in sequence\)/, 'ratio >= 3'],
      ['models.role.p99_us', /\(naive filter \+ sort\)/, 'value <= 10000'],
      ['http.execute.throughput', /\(bare Fastify route\)/, 'value >= 10000'],
      ['http.server.rss_after_load_mb', /\(bare Fastify route child\)/, 'value <= 150'],
      ['overhead.client.p50_ms', /\(bare Fastify route waiting 50 ms\)/, '—'],
    ];
    for (const [id, baseline, target] of expectations) {
      const cells = rowOf(md, id);
      expect(cells, id).toHaveLength(6);
      expect(cells?.[2], `${id} baseline`).toMatch(baseline);
      expect(cells?.[4], `${id} target`).toBe(target);
      expect(cells?.[5], `${id} verdict`).toMatch(/^(pass|\*\*FAIL\*\*|—) \|$/);
    }
    for (const id of ['overhead.server.p50_ms', 'overhead.server.p99_ms']) {
      expect(rowOf(md, id)?.[1], id).toMatch(/^[\d.]+ ms$/);
      expect(rowOf(md, id)?.[5], id).toMatch(/^(pass|\*\*FAIL\*\*) \|$/);
    }
  });
});
