import { setTimeout as delay } from 'node:timers/promises';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';

/** Requests per round and the gap between their arrivals. */
const ARRIVALS = 8;
const GAP_MS = 2;

/**
 * Continuous batching under staggered arrivals: 8 requests arrive 2 ms apart (each alone takes about
 * 9 ms here), so most arrive while a batch is already running. The same requests go to an engine that
 * lets them join the running batch and to one built with `continuousBatching: false`, where they wait
 * for it to finish; rounds alternate between the two. The metric is the time from a request's
 * arrival to its answer, over every request of every round.
 */
export async function measureStaggered(
  joining: () => Promise<number>,
  waiting: () => Promise<number>,
  budgetMs: number,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<Metric> {
  const round = async (chat: () => Promise<number>): Promise<number[]> =>
    Promise.all(
      Array.from({ length: ARRIVALS }, async (_, i) => {
        await delay(i * GAP_MS);
        const start = performance.now();
        await chat();
        return performance.now() - start;
      }),
    );
  await round(joining);
  await round(waiting);
  const latencies = { joining: [] as number[], waiting: [] as number[] };
  const started = performance.now();
  let rounds = 0;
  do {
    const order = rounds % 2 === 0 ? (['joining', 'waiting'] as const) : (['waiting', 'joining'] as const);
    for (const side of order) latencies[side].push(...(await round(side === 'joining' ? joining : waiting)));
    signal.throwIfAborted();
    rounds++;
    progress(Math.min(1, (performance.now() - started) / budgetMs));
  } while (rounds < 3 || performance.now() - started < budgetMs);
  const ours = summarize(latencies.joining);
  const theirs = summarize(latencies.waiting);
  return {
    id: 'local.staggered.mean_ms',
    label: `${ARRIVALS} requests arriving ${GAP_MS} ms apart, time to answer (mean of ${rounds} rounds x ${ARRIVALS})`,
    series: 'continuous batching',
    unit: 'ms',
    better: 'lower',
    value: ours.mean,
    summary: ours,
    baseline: {
      label: 'continuousBatching: false (wait for the running batch)',
      value: theirs.mean,
      summary: theirs,
    },
    chart: 'percentiles',
  };
}
