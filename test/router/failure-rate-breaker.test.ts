import { CircuitState } from 'cockatiel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailureRateBreaker } from '../../src/router/failure-rate-breaker.ts';

const options = { threshold: 0.5, windowMs: 10_000, minimumRps: 1 };

/** Settles `count` tries begun now with `outcome`; returns the breaker's verdict after the last failure. */
function run(breaker: FailureRateBreaker, outcomes: readonly ('success' | 'failure')[]): boolean {
  const tokens = outcomes.map(() => breaker.begin());
  let verdict = false;
  outcomes.forEach((outcome, index) => {
    breaker.settle(tokens[index] as object, outcome);
    if (outcome === 'failure') verdict = breaker.failure(CircuitState.Closed);
    else breaker.success(CircuitState.Closed);
  });
  return verdict;
}

describe('FailureRateBreaker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not judge while tries of the same start are in flight: fast failures cannot open it alone', () => {
    const breaker = new FailureRateBreaker(options);
    const slow = Array.from({ length: 70 }, () => breaker.begin());
    const fast = Array.from({ length: 30 }, () => breaker.begin());
    for (const token of fast) {
      breaker.settle(token, 'failure');
      expect(breaker.failure(CircuitState.Closed)).toBe(false);
    }
    for (const token of slow) breaker.settle(token, 'success');
    vi.advanceTimersByTime(1_000);
    // The first cohort is complete now: 30% failed, under the threshold.
    expect(run(breaker, ['failure'])).toBe(false);
  });

  it('opens once a complete cohort failed above the threshold', () => {
    const breaker = new FailureRateBreaker(options);
    expect(run(breaker, Array(12).fill('failure'))).toBe(true);
  });

  it('needs the minimum throughput before a rate counts', () => {
    const breaker = new FailureRateBreaker(options);
    expect(run(breaker, Array(9).fill('failure'))).toBe(false);
    expect(run(breaker, ['failure'])).toBe(true);
  });

  it('forgets tries older than the window', () => {
    const breaker = new FailureRateBreaker(options);
    run(breaker, Array(9).fill('failure'));
    vi.advanceTimersByTime(10_000);
    expect(run(breaker, ['failure'])).toBe(false);
  });

  it('stops waiting for a try in flight once it is older than the window', () => {
    const breaker = new FailureRateBreaker(options);
    breaker.begin(); // hangs
    vi.advanceTimersByTime(1_000);
    expect(run(breaker, Array(12).fill('failure'))).toBe(false);
    vi.advanceTimersByTime(9_500);
    expect(run(breaker, Array(12).fill('failure'))).toBe(true);
  });

  it('does not count neutral outcomes (aborts, rejected requests)', () => {
    const breaker = new FailureRateBreaker(options);
    const tokens = Array.from({ length: 20 }, () => breaker.begin());
    for (const token of tokens) breaker.settle(token, 'neutral');
    expect(run(breaker, Array(5).fill('failure'))).toBe(false);
  });

  it('starts over after a successful half-open probe, and reopens on a failed one', () => {
    const breaker = new FailureRateBreaker(options);
    run(breaker, Array(9).fill('failure'));
    breaker.success(CircuitState.HalfOpen);
    expect(run(breaker, ['failure'])).toBe(false);
    expect(breaker.failure(CircuitState.HalfOpen)).toBe(true);
  });
});
