import { describe, expect, it } from 'vitest';
import { createProgress } from '../../bench/lib/progress-bar.ts';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) } };
}

describe('createProgress', () => {
  it('prints plain lines, one per quarter, when not on a terminal', () => {
    const { writes, stream } = recorder(false);
    let clock = 0;
    const progress = createProgress(stream, { now: () => clock });
    progress.start('core', 1, 2);
    for (let step = 1; step <= 20; step++) {
      clock = step * 100;
      progress.update(step / 20, 'measure');
    }
    progress.finish('5 metrics');
    expect(writes).toEqual([
      '[1/2] core: started\n',
      '[1/2] core: 25% measure (0.5s)\n',
      '[1/2] core: 50% measure (1.0s)\n',
      '[1/2] core: 75% measure (1.5s)\n',
      '[1/2] core: 100% measure (2.0s)\n',
      '[1/2] core: 5 metrics (2.0s)\n',
    ]);
    expect(writes.join('')).not.toContain('\x1b');
  });

  it('skips the quarters a big jump passes over, printing one line', () => {
    const { writes, stream } = recorder(false);
    const progress = createProgress(stream, { now: () => 0 });
    progress.start('memory', 2, 2);
    progress.update(0.8, 'soak');
    progress.update(0.9, 'soak');
    expect(writes.slice(1)).toEqual(['[2/2] memory: 80% soak (0.0s)\n']);
  });

  it('redraws one bar in place on a terminal and clears it before the final line', () => {
    const { writes, stream } = recorder(true);
    let clock = 0;
    const progress = createProgress(stream, { now: () => clock, width: 10 });
    progress.start('core', 1, 1);
    progress.update(0.5, 'measure');
    clock = 10; // too soon to redraw
    progress.update(0.6, 'measure');
    clock = 200;
    progress.update(0.7, 'measure');
    progress.finish('done');
    expect(writes).toEqual([
      '\r\x1b[2K[1/1] core █████░░░░░  50% 0.0s measure',
      '\r\x1b[2K[1/1] core ███████░░░  70% 0.2s measure',
      '\r\x1b[2K',
      '[1/1] core: done (0.2s)\n',
    ]);
  });

  it('keeps log lines from mixing with the bar', () => {
    const { writes, stream } = recorder(true);
    const progress = createProgress(stream, { now: () => 0 });
    progress.start('core', 1, 1);
    progress.update(0.1, 'warm-up');
    progress.log('hello');
    expect(writes.slice(-2)).toEqual(['\r\x1b[2K', 'hello\n']);
  });
});
