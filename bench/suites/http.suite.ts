import { type ClosedLoopLoadResult, runClosedLoopLoad } from '../lib/closed-loop-load.ts';
import { orderOf } from '../lib/interleaved-sampler.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { EXECUTE_BODY, EXECUTE_PATH, LOAD_CONNECTIONS, serverWarmupRequests } from './http-workload.ts';
import { type ServerHandle, type ServerMemory, startServerPair } from './server-pair.ts';

const SIGNET = `signet ${EXECUTE_PATH}`;
const BARE = 'bare Fastify route';
/** Length of one side's turn in a round of the interleaved measurement. */
const TURN_MS = 1000;
const MB = 1024 * 1024;

/**
 * Maximum throughput and latency of `POST /api/v1/dspy/execute` with a zero-latency scripted provider,
 * against a bare Fastify route answering the same JSON. Each server runs in its own child process
 * (`http-server.child.ts`); autocannon drives 64 keep-alive connections, pipelining 1, from this process.
 * Both sides warm up (3,000 requests each; fewer in runs under 2 s), then take turns of about a second (AB, BA, ...) for the suite's duration, so drift
 * lands on both alike. The signet child's RSS is read at idle (listening, no request yet) and right after
 * the load, without forcing a GC: what `ps` would show. Client and servers share the machine's cores, so
 * only the ratio travels between machines.
 */
export const httpSuite: BenchSuite = {
  name: 'http',
  description:
    'POST /api/v1/dspy/execute max req/s + latency (autocannon, 64 conns) vs bare Fastify; server RSS',
  async run(context) {
    context.progress(0, 'starting servers');
    const pair = await startServerPair({ providerDelayMs: 0, signal: context.signal });
    try {
      const sides = [pair.signet, pair.bare] as const;
      const rounds = Math.max(1, Math.round(context.durationMs / (2 * TURN_MS)));
      const turnMs = context.durationMs / (2 * rounds);
      const load = (side: ServerHandle, amount: { durationMs: number } | { amount: number }) =>
        runClosedLoopLoad({
          url: `${side.origin}${EXECUTE_PATH}`,
          body: EXECUTE_BODY,
          connections: LOAD_CONNECTIONS,
          ...amount,
          signal: context.signal,
        });
      for (const side of sides) {
        await load(side, { amount: serverWarmupRequests(context.durationMs) });
        context.progress(side === pair.signet ? 0.15 : 0.2, 'warm-up');
      }
      const runs: ClosedLoopLoadResult[][] = [[], []];
      let turns = 0;
      for (let round = 0; round < rounds; round++) {
        for (const index of orderOf(round, 2)) {
          runs[index]?.push(await load(sides[index] as ServerHandle, { durationMs: turnMs }));
          context.progress(0.2 + (0.8 * ++turns) / (2 * rounds), 'measure');
        }
      }
      const afterLoad = { signet: await pair.signet.memory(false), bare: await pair.bare.memory(false) };
      return metricsOf(runs[0] ?? [], runs[1] ?? [], pair.idle, afterLoad);
    } finally {
      await pair.stop();
    }
  },
};

function metricsOf(
  signet: readonly ClosedLoopLoadResult[],
  bare: readonly ClosedLoopLoadResult[],
  idle: { readonly signet: ServerMemory; readonly bare: ServerMemory },
  afterLoad: { readonly signet: ServerMemory; readonly bare: ServerMemory },
): Metric[] {
  const ours = summarize(signet.flatMap((run) => run.latenciesMs));
  const theirs = summarize(bare.flatMap((run) => run.latenciesMs));
  const latency = (key: 'mean' | 'p50' | 'p99', name: string): Metric => ({
    id: `http.execute.${key}_ms`,
    label: `${SIGNET}, ${name} latency at max load (${LOAD_CONNECTIONS} connections)`,
    series: SIGNET,
    unit: 'ms',
    better: 'lower',
    value: ours[key],
    baseline: { label: BARE, value: theirs[key] },
  });
  const rss = (key: 'idle' | 'after', name: string): Metric => ({
    id: key === 'idle' ? 'http.server.idle_rss_mb' : 'http.server.rss_after_load_mb',
    label: `signet server child RSS ${name} (compiled, as npm start runs it)`,
    series: 'signet server',
    unit: 'MB',
    better: 'lower',
    value: (key === 'idle' ? idle : afterLoad).signet.rss / MB,
    baseline: { label: `${BARE} child`, value: (key === 'idle' ? idle : afterLoad).bare.rss / MB },
    noiseFloor: 8,
    ...(key === 'after' ? { chart: 'bars' as const } : {}),
  });
  return [
    {
      id: 'http.execute.throughput',
      label: `${SIGNET}, max throughput (${LOAD_CONNECTIONS} connections, zero-latency provider)`,
      series: SIGNET,
      unit: 'req/s',
      better: 'higher',
      value: throughput(signet),
      baseline: { label: BARE, value: throughput(bare) },
      chart: 'bars',
    },
    {
      ...latency('mean', 'mean'),
      summary: ours,
      baseline: { label: BARE, value: theirs.mean, summary: theirs },
      chart: 'percentiles',
    },
    latency('p50', 'median'),
    latency('p99', 'p99'),
    rss('idle', 'at idle (listening, no request yet)'),
    rss('after', 'right after the load'),
  ];
}

function throughput(runs: readonly ClosedLoopLoadResult[]): number {
  const responses = runs.reduce((sum, run) => sum + run.responses, 0);
  const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
  return wallMs > 0 ? (responses * 1000) / wallMs : 0;
}
