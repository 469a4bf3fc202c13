import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPreviousReport } from '../../bench/lib/previous-report.ts';
import { latencyMetric, makeReport } from './report-fixture.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'signet-bench-previous-'));
});

describe('readPreviousReport', () => {
  it('reads metric values and run info from a report', async () => {
    const file = path.join(dir, 'ok.json');
    await writeFile(file, JSON.stringify(makeReport({ core: [latencyMetric] })));
    const previous = await readPreviousReport(file);
    expect(previous.found).toBe(true);
    if (!previous.found) return;
    expect(previous.info).toEqual({
      startedAt: '2026-11-05T09:14:03.120Z',
      quick: true,
      gitCommit: '0123456789abcdef',
    });
    expect([...previous.values]).toEqual([['core.predict.mean_us', 60]]);
  });

  it('treats a missing file as a first run', async () => {
    const previous = await readPreviousReport(path.join(dir, 'absent.json'));
    expect(previous).toMatchObject({ found: false, note: expect.stringMatching(/no previous run/) });
  });

  it('does not compare with a file that is not JSON or not a bench report', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{');
    await writeFile(path.join(dir, 'other.json'), JSON.stringify({ format: 'something/v9' }));
    expect(await readPreviousReport(path.join(dir, 'broken.json'))).toMatchObject({ found: false });
    expect(await readPreviousReport(path.join(dir, 'other.json'))).toMatchObject({
      found: false,
      note: expect.stringMatching(/not a signet\.bench\/v1 report/),
    });
  });
});
