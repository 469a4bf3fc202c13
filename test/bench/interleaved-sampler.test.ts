import { describe, expect, it } from 'vitest';
import { orderOf, sampleInterleaved } from '../../bench/lib/interleaved-sampler.ts';

describe('orderOf', () => {
  it('flips the variant order every round', () => {
    expect([0, 1, 2, 3].map((round) => orderOf(round, 2))).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
  });
});

describe('sampleInterleaved', () => {
  it('alternates batches, discards warm-up, and times each call on the given clock', async () => {
    let clock = 0;
    const log: string[] = [];
    const variant = (name: string, costMs: number) => ({
      name,
      prepareBatch: () => {
        log.push(name);
        return async () => {
          clock += costMs;
        };
      },
    });
    const phases: string[] = [];
    const [a, b] = await sampleInterleaved({
      variants: [variant('a', 1), variant('b', 3)],
      warmupMs: 8, // one round of 2 calls each = 8 ms
      durationMs: 16, // two rounds
      batchSize: 2,
      now: () => clock,
      onProgress: (_fraction, phase) => phases.push(phase),
    });
    expect(log).toEqual(['a', 'b', 'a', 'b', 'b', 'a']);
    expect(phases).toEqual(['warm-up', 'measure', 'measure']);
    expect(a?.samplesUs).toEqual([1000, 1000, 1000, 1000]);
    expect(b?.samplesUs).toEqual([3000, 3000, 3000, 3000]);
    expect(a?.wallMs).toBe(4);
    expect(b?.wallMs).toBe(12);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = sampleInterleaved({
      variants: [
        {
          name: 'a',
          prepareBatch: () => async () => {
            if (++calls === 3) controller.abort(new Error('stop'));
          },
        },
      ],
      warmupMs: 0,
      durationMs: 60_000,
      batchSize: 2,
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow('stop');
    expect(calls).toBe(4);
  });
});
