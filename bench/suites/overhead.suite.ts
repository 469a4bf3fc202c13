import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoopLoad } from '../lib/closed-loop-load.ts';
import { histogramQuantile } from '../lib/histogram-quantile.ts';
import { orderOf } from '../lib/interleaved-sampler.ts';
import { createJsonPoster, type JsonPoster } from '../lib/json-poster.ts';
import type { Metric } from '../lib/metric.ts';
import { runPaced } from '../lib/paced-load.ts';
import { type PromHistogram, parsePromHistogram, subtractHistograms } from '../lib/prometheus-histogram.ts';
import { type SampleSummary, summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { EXECUTE_BODY, EXECUTE_PATH, LOAD_CONNECTIONS, serverWarmupRequests } from './http-workload.ts';
import { type ServerHandle, startServerPair } from './server-pair.ts';

/** The fake provider's latency; client-side overhead is latency minus this. */
const PROVIDER_DELAY_MS = 50;
/** The fixed request rate. */
const RATE_PER_S = 1000;
const HISTOGRAM = 'signet_gateway_overhead_seconds';
const TURN_MS = 1000;
/** Paced warm-up per side after the closed-loop one (less in runs under 1 s). */
const PACED_WARMUP_MS = 500;
const SIGNET = `signet ${EXECUTE_PATH}`;
const CLIENT_SERIES = `signet, client latency - ${PROVIDER_DELAY_MS} ms`;
const BARE = `bare Fastify route waiting ${PROVIDER_DELAY_MS} ms`;

/**
 * What the gateway adds to a request when the model takes 50 ms: a fixed, open-loop load of 1,000
 * requests/s against signet with a scripted provider whose replies wait 50 ms, and the same load against
 * a bare Fastify route that waits 50 ms and answers the same JSON. Sides take turns of about a second.
 *
 * Two readings of the overhead:
 * - **server**: signet's own `signet_gateway_overhead_seconds` histogram (server time minus time spent
 *   in the provider), scraped from `/metrics` before and after the measured turns and subtracted, so
 *   only measured requests count. Percentiles are estimated like Prometheus' `histogram_quantile()`
 *   (linear inside the bucket), so they are as coarse as the buckets (0.1, 0.25, 0.5, 1, 2.5 ms...);
 *   the mean (sum / count) is exact. No baseline: bare Fastify has no such histogram.
 * - **client**: each response's latency minus 50 ms, next to the same for bare Fastify. It includes the
 *   client, loopback and the timer's own lateness, which both sides share: compare with the baseline.
 */
export const overheadSuite: BenchSuite = {
  name: 'overhead',
  description: `gateway overhead at ${RATE_PER_S.toLocaleString('en-US')} req/s with a ${PROVIDER_DELAY_MS} ms provider: server histogram and client latency - ${PROVIDER_DELAY_MS} ms, vs bare Fastify`,
  async run(context) {
    context.progress(0, 'starting servers');
    const pair = await startServerPair({ providerDelayMs: PROVIDER_DELAY_MS, signal: context.signal });
    const sides = [pair.signet, pair.bare] as const;
    const posters = sides.map((side) => createJsonPoster(`${side.origin}${EXECUTE_PATH}`, EXECUTE_BODY));
    try {
      const paced = async (index: number, durationMs: number, into: number[] | undefined) => {
        const poster = posters[index] as JsonPoster;
        return runPaced({
          ratePerSecond: RATE_PER_S,
          durationMs,
          signal: context.signal,
          send: async () => {
            const ms = await poster.post();
            into?.push(ms);
          },
        });
      };
      for (const [index, side] of sides.entries()) {
        await runClosedLoopLoad({
          url: `${side.origin}${EXECUTE_PATH}`,
          body: EXECUTE_BODY,
          connections: LOAD_CONNECTIONS,
          amount: serverWarmupRequests(context.durationMs),
          signal: context.signal,
        });
        await paced(index, Math.min(PACED_WARMUP_MS, context.durationMs / 2), undefined);
        context.progress(0.1 * (index + 1), 'warm-up');
      }
      const before = await scrapeOverhead(pair.signet);
      const rounds = Math.max(1, Math.round(context.durationMs / (2 * TURN_MS)));
      const latencies: number[][] = [[], []];
      const gaps = [0, 0];
      const scheduleMs = [0, 0];
      let turns = 0;
      for (let round = 0; round < rounds; round++) {
        for (const index of orderOf(round, 2)) {
          const result = await paced(index, context.durationMs / (2 * rounds), latencies[index]);
          gaps[index] = (gaps[index] ?? 0) + result.sent - 1; // requests after the first of the turn
          scheduleMs[index] = (scheduleMs[index] ?? 0) + result.scheduleMs;
          context.progress(0.2 + (0.8 * ++turns) / (2 * rounds), 'measure');
        }
      }
      const server = await measuredOverhead(pair.signet, before, latencies[0]?.length ?? 0);
      const rate = (index: number) => ((gaps[index] ?? 0) * 1000) / (scheduleMs[index] || 1);
      const client = latencies.map((series) => summarize(series.map((ms) => ms - PROVIDER_DELAY_MS)));
      return metricsOf(server, client[0] as SampleSummary, client[1] as SampleSummary, rate(0), rate(1));
    } finally {
      for (const poster of posters) poster.close();
      await pair.stop();
    }
  },
};

/**
 * The histogram of the measured requests: the scrape after minus the one before. The server observes a
 * request when its response has been handed to the socket, which may be just after the client read it,
 * so a short wait and a second look are allowed before a count that differs from the client's fails.
 */
async function measuredOverhead(
  server: ServerHandle,
  before: PromHistogram,
  sent: number,
): Promise<PromHistogram> {
  let measured = subtractHistograms(await scrapeOverhead(server), before);
  for (let attempt = 1; attempt < 3 && measured.count < sent; attempt++) {
    await sleep(50);
    measured = subtractHistograms(await scrapeOverhead(server), before);
  }
  if (measured.count !== sent) {
    throw new Error(`${HISTOGRAM} counted ${measured.count} measured requests, the client sent ${sent}`);
  }
  return measured;
}

async function scrapeOverhead(server: ServerHandle): Promise<PromHistogram> {
  const response = await fetch(`${server.origin}/metrics`);
  if (!response.ok) throw new Error(`${server.origin}/metrics answered ${response.status}`);
  const histogram = parsePromHistogram(await response.text(), HISTOGRAM, { route: EXECUTE_PATH });
  if (histogram === undefined) throw new Error(`/metrics has no ${HISTOGRAM}{route="${EXECUTE_PATH}"}`);
  return histogram;
}

function metricsOf(
  server: PromHistogram,
  ours: SampleSummary,
  theirs: SampleSummary,
  ourRate: number,
  theirRate: number,
): Metric[] {
  const serverMetric = (key: 'p50' | 'p95' | 'p99', q: number): Metric => ({
    id: `overhead.server.${key}_ms`,
    label: `gateway overhead ${key}, signet's own histogram (bucket-interpolated)`,
    unit: 'ms',
    better: 'lower',
    value: histogramQuantile(server, q) * 1000,
    noiseFloor: 0.1,
  });
  const clientMetric = (key: 'p50' | 'p95' | 'p99'): Metric => ({
    id: `overhead.client.${key}_ms`,
    label: `client latency - ${PROVIDER_DELAY_MS} ms, ${key}`,
    series: CLIENT_SERIES,
    unit: 'ms',
    better: 'lower',
    value: ours[key],
    baseline: { label: BARE, value: theirs[key] },
    noiseFloor: 0.2,
  });
  return [
    {
      id: 'overhead.server.mean_ms',
      label: `gateway overhead mean, signet's own histogram (sum / count, ${server.count.toLocaleString('en-US')} requests)`,
      unit: 'ms',
      better: 'lower',
      value: (server.sum / server.count) * 1000,
      noiseFloor: 0.05,
    },
    serverMetric('p50', 0.5),
    serverMetric('p95', 0.95),
    serverMetric('p99', 0.99),
    {
      ...clientMetric('p50'),
      summary: ours,
      baseline: { label: BARE, value: theirs.p50, summary: theirs },
      chart: 'percentiles',
    },
    clientMetric('p95'),
    clientMetric('p99'),
    {
      id: 'overhead.load.rate',
      label: 'request rate the paced load achieved',
      series: SIGNET,
      unit: 'req/s',
      better: 'higher',
      value: ourRate,
      baseline: { label: BARE, value: theirRate },
    },
  ];
}
