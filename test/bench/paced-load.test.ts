import { describe, expect, it } from 'vitest';
import { requestsDue, runPaced } from '../../bench/lib/paced-load.ts';

describe('requestsDue', () => {
  it('schedules one request at time 0, then one every 1000 / rate ms, never ahead of time', () => {
    expect(requestsDue(0, 1000)).toBe(1);
    expect(requestsDue(0.999, 1000)).toBe(1);
    expect(requestsDue(1, 1000)).toBe(2);
    expect(requestsDue(999.5, 1000)).toBe(1000);
    expect(requestsDue(250, 10)).toBe(3);
    expect(requestsDue(-5, 1000)).toBe(0);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => requestsDue(10, 0)).toThrow(/positive/);
  });
});

/** A clock the test moves by hand: every tick advances it by `stepMs`. */
function fakeTime(stepMs: (tick: number) => number) {
  let now = 0;
  let ticks = 0;
  return {
    now: () => now,
    tick: async () => {
      now += stepMs(ticks++);
    },
  };
}

describe('runPaced', () => {
  it('starts rate x duration requests, each only once it is due', async () => {
    const time = fakeTime(() => 0.7);
    const startedAt: number[] = [];
    const result = await runPaced({
      ratePerSecond: 1000,
      durationMs: 100,
      now: time.now,
      tick: time.tick,
      send: async () => {
        startedAt.push(time.now());
      },
    });
    expect(result.sent).toBe(100);
    expect(startedAt).toHaveLength(100);
    startedAt.forEach((at, i) => {
      expect(i, `request ${i} started at ${at} ms`).toBeLessThan(requestsDue(at, 1000));
    });
    expect(result.scheduleMs).toBeGreaterThanOrEqual(99);
  });

  it('catches up in one burst after a stalled tick, without waiting for responses', async () => {
    const time = fakeTime((tick) => (tick === 0 ? 30 : 1));
    const bursts = new Map<number, number>();
    let release: () => void = () => {};
    const never = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = runPaced({
      ratePerSecond: 1000,
      durationMs: 40,
      now: time.now,
      tick: time.tick,
      send: () => {
        bursts.set(time.now(), (bursts.get(time.now()) ?? 0) + 1);
        return never; // responses never come while the load runs: an open loop keeps sending
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bursts.get(0)).toBe(1);
    expect(bursts.get(30)).toBe(30); // 30 requests came due during the stall
    release();
    expect((await run).sent).toBe(40);
  });

  it('waits for requests still in flight, then rejects naming how many failed', async () => {
    const time = fakeTime(() => 1);
    let calls = 0;
    let settled = 0;
    const run = runPaced({
      ratePerSecond: 1000,
      durationMs: 10,
      now: time.now,
      tick: time.tick,
      send: async () => {
        const n = ++calls;
        await new Promise((resolve) => setTimeout(resolve, 5));
        settled++;
        if (n % 5 === 0) throw new Error(`boom ${n}`);
      },
    });
    await expect(run).rejects.toThrow('2 of 10 paced requests failed; first: boom 5');
    expect(settled).toBe(10);
  });

  it('stops starting requests when the signal aborts and rejects with its reason', async () => {
    const time = fakeTime(() => 1);
    const controller = new AbortController();
    let sent = 0;
    const run = runPaced({
      ratePerSecond: 1000,
      durationMs: 1000,
      now: time.now,
      tick: time.tick,
      signal: controller.signal,
      send: async () => {
        if (++sent === 20) controller.abort(new Error('interrupted'));
      },
    });
    await expect(run).rejects.toThrow('interrupted');
    expect(sent).toBe(20);
  });
});
