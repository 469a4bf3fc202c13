/**
 * The durable-runs crash test at a small size: the server as `npm start` runs it, killed with SIGKILL
 * during each run and restarted on the same SQLite file (`npm run bench:crash` runs 100).
 */
import { describe, expect, it } from 'vitest';
import { runCrashTest } from '../../bench/crash/run-crash-test.ts';

describe('runs survive SIGKILL of the server', () => {
  it('finishes every killed run with the outputs of an uninterrupted one, repeating no recorded step', async () => {
    const report = await runCrashTest({
      runs: 4,
      latencyMs: 20,
      seed: 7,
      signal: AbortSignal.timeout(170_000),
    });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ completed: 4, outputsEqual: 4, repeatedSteps: 0 });
    // 5 model calls per uninterrupted run (3 warm-ups, 4 baselines); a killed run's only extra calls
    // are for steps that were in flight at the kill, never recorded.
    expect(report.calls.baseline).toBe((3 + 4) * 5);
    expect(report.calls.crashed).toBe(4 * 5 + report.rerunInFlight);
  }, 180_000);
});
