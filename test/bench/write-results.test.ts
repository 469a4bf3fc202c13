import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDirName, writeResults } from '../../bench/lib/write-results.ts';

describe('writeResults', () => {
  it('names run folders after the start time, safely for every file system', () => {
    expect(runDirName('2026-11-05T09:14:03.120Z')).toBe('2026-11-05T09-14-03Z');
  });

  it('writes a timestamped folder and replaces latest/ with the same files', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'signet-bench-out-'));
    await writeResults(out, '2026-11-05T09:14:03.120Z', { 'report.md': 'one', 'old.txt': 'stale' });
    const second = await writeResults(out, '2026-11-05T09:14:03.900Z', { 'report.md': 'two' });
    expect(path.basename(second.runDir)).toBe('2026-11-05T09-14-03Z-2');
    expect((await readdir(out)).sort()).toEqual(['2026-11-05T09-14-03Z', '2026-11-05T09-14-03Z-2', 'latest']);
    expect(await readdir(second.latestDir)).toEqual(['report.md']);
    expect(await readFile(path.join(second.latestDir, 'report.md'), 'utf8')).toBe('two');
    expect(await readFile(path.join(out, '2026-11-05T09-14-03Z', 'report.md'), 'utf8')).toBe('one');
  });
});
