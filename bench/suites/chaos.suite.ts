import { startFakeUpstream } from '../../src/testing/index.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { watchBreaker } from './breaker-watch.ts';
import { type ChaosLoadResult, runChaosLoad } from './chaos-load.ts';
import { startServerProcess } from './started-server.ts';

/** Latency of every upstream answer, faults included: a cloud API's typical time to a short reply. */
const UPSTREAM_MS = 200;
const CLIENTS = [16, 64, 256] as const;
const FAULT_RATES = [0, 0.1, 0.3] as const;
/**
 * Clients while the upstream is down, and for how long: the default breaker judges a 10 s window, and a
 * deployment alone opens once 95% of it failed, so the outage lasts longer than that window. Then one
 * probe request every `PROBE_MS` until one is answered.
 */
const DOWN_CLIENTS = 64;
const DOWN_MS = 14_000;
const PROBE_MS = 100;
const DEPLOYMENT = 'cloud-openai';
const MESSAGES = [{ role: 'user', content: 'What is the capital of France?' }];
const GATEWAY_BODY = JSON.stringify({ model: DEPLOYMENT, messages: MESSAGES });
const DIRECT_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES });

/**
 * `npm start` in front of a fake OpenAI upstream (200 ms per answer) that fails a share of its calls
 * with 500s: answered share, latency and breaker transitions of `POST /v1/chat/completions` at 0%, 10%
 * and 30% faults and 16/64/256 concurrent clients, each cell's latency beside the same clients calling
 * the upstream directly (no faults) in the same run; then the upstream fully down (how fast the 503s
 * come, whether they carry Retry-After) and how long until answers return once it is back.
 */
export const chaosSuite: BenchSuite = {
  name: 'chaos',
  description:
    'npm start before a faulty upstream (200 ms, 500s at 0/10/30/100%): answered %, p50/p99 vs direct, breaker transitions, recovery',
  async run(context) {
    context.progress(0, 'starting the fake upstream and the server');
    const fake = await startFakeUpstream({ kind: 'openai', latencyMs: UPSTREAM_MS });
    // The per-client rate limit is off: one bench client is hundreds of users here.
    const server = await startServerProcess({ ...fake.env, SIGNET_RATE_LIMIT: 'off' }, context.signal);
    const gateway = `${server.origin}/v1/chat/completions`;
    const direct = `${fake.baseUrl}/chat/completions`;
    const load = (url: string, body: string, concurrency: number, requests: number) =>
      runChaosLoad({ url, body, concurrency, requests, signal: context.signal });
    const requestsFor = (clients: number) => Math.max(context.quick ? 300 : 1_000, 2 * clients);
    const metrics: Metric[] = [];
    const cells = CLIENTS.length * FAULT_RATES.length + 1;
    let done = 0;
    try {
      await load(gateway, GATEWAY_BODY, 16, 64);
      for (const clients of CLIENTS) {
        fake.setFaults(undefined);
        const baseline = await load(direct, DIRECT_BODY, clients, requestsFor(clients));
        for (const rate of FAULT_RATES) {
          context.progress(done++ / cells, `${clients} clients, ${rate * 100}% faults`);
          fake.setFaults(
            rate === 0
              ? undefined
              : { rate, fault: { type: 'status', status: 500 }, seed: clients + rate * 1000 },
          );
          const watch = watchBreaker(server.origin, DEPLOYMENT);
          const result = await load(gateway, GATEWAY_BODY, clients, requestsFor(clients));
          const transitions = await watch.stop();
          metrics.push(...cellMetrics(clients, rate, result, baseline, transitions));
        }
      }
      context.progress(done / cells, 'upstream down, then back');
      fake.setFaults({ rate: 1, fault: { type: 'status', status: 500 } });
      const watch = watchBreaker(server.origin, DEPLOYMENT);
      const down = await runChaosLoad({
        url: gateway,
        body: GATEWAY_BODY,
        concurrency: DOWN_CLIENTS,
        durationMs: DOWN_MS,
        signal: context.signal,
      });
      fake.setFaults(undefined);
      const recoveryMs = await timeToAnswer(gateway, context.signal);
      const downTransitions = await watch.stop();
      metrics.push(...downMetrics(down, recoveryMs, downTransitions));
      return metrics;
    } finally {
      fake.setFaults(undefined);
      await server.stop();
      await fake.close();
    }
  },
};

function cellMetrics(
  clients: number,
  rate: number,
  result: ChaosLoadResult,
  baseline: ChaosLoadResult,
  transitions: number,
): Metric[] {
  const cell = `c${clients}_f${Math.round(rate * 100)}`;
  const where = `${clients} clients, upstream failing ${Math.round(rate * 100)}%`;
  const ours = summarize(result.latenciesMs);
  const theirs = summarize(baseline.latenciesMs);
  const latency = (key: 'p50' | 'p99'): Metric => ({
    id: `chaos.${cell}.${key}_ms`,
    label: `${key} latency through signet, ${where}`,
    series: `signet ${cell}`,
    unit: 'ms',
    better: 'lower',
    value: ours[key],
    baseline: { label: `direct to the upstream, ${clients} clients, no faults`, value: theirs[key] },
    noiseFloor: 50,
  });
  return [
    {
      id: `chaos.${cell}.answered_pct`,
      label: `answered (2xx) share of ${result.requests} requests, ${where}`,
      unit: '%',
      better: 'higher',
      value: (100 * result.answered) / Math.max(1, result.requests),
      noiseFloor: 0.5,
    },
    latency('p50'),
    latency('p99'),
    {
      id: `chaos.${cell}.breaker_transitions`,
      label: `breaker state changes seen, ${where}`,
      unit: 'changes',
      better: 'lower',
      value: transitions,
    },
  ];
}

function downMetrics(down: ChaosLoadResult, recoveryMs: number, transitions: number): Metric[] {
  // No 503 at all (the breaker never opened) reads as the slowest possible: the whole outage.
  const refused = summarize(down.refusedMs.length === 0 ? [DOWN_MS] : down.refusedMs);
  return [
    {
      id: 'chaos.down.first_refusal_ms',
      label: `time from the upstream going down to the first fast 503 (${DOWN_CLIENTS} clients)`,
      unit: 'ms',
      better: 'lower',
      value: down.firstRefusalMs ?? DOWN_MS,
      noiseFloor: 1_000,
    },
    {
      id: 'chaos.down.refused_pct',
      label: `503 share of ${down.requests} requests in ${DOWN_MS / 1000} s of outage`,
      unit: '%',
      better: 'higher',
      value: (100 * down.refusedMs.length) / Math.max(1, down.requests),
    },
    {
      id: 'chaos.down.refused_p50_ms',
      label: `p50 latency of the 503s while the upstream is down (its answers take ${UPSTREAM_MS} ms)`,
      unit: 'ms',
      better: 'lower',
      value: refused.p50,
      noiseFloor: 5,
    },
    {
      id: 'chaos.down.retry_after_pct',
      label: 'share of those 503s that carry Retry-After',
      unit: '%',
      better: 'higher',
      value: (100 * down.refusedWithRetryAfter) / Math.max(1, down.refusedMs.length),
    },
    {
      id: 'chaos.down.breaker_transitions',
      label: 'breaker state changes seen from the outage to the first answer after it',
      unit: 'changes',
      better: 'lower',
      value: transitions,
    },
    {
      id: 'chaos.down.recovery_ms',
      label: `time from the upstream coming back to the first answer (a request every ${PROBE_MS} ms)`,
      unit: 'ms',
      better: 'lower',
      value: recoveryMs,
      noiseFloor: 500,
    },
  ];
}

/** Sends one request every `PROBE_MS` until one is answered; the time that took. */
async function timeToAnswer(url: string, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  for (;;) {
    const probe = await runChaosLoad({ url, body: GATEWAY_BODY, concurrency: 1, requests: 1, signal });
    if (probe.answered === 1) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
  }
}
