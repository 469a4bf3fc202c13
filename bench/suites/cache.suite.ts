import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCache,
  defineSignature,
  executionCacheKeys,
  openSqliteStore,
  predict,
} from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { orderOf, sampleInterleaved } from '../lib/interleaved-sampler.ts';
import { createJsonPoster, type JsonPoster } from '../lib/json-poster.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite, SuiteContext } from '../lib/suite.ts';
import { EXECUTE_PATH } from './http-workload.ts';
import { createQaProvider, QA_SIGNATURE, QA_SIGNATURE_META } from './qa-workload.ts';
import { measureSemantic, semanticMetrics } from './semantic-lookup.ts';
import { type StartedServerChild, startServerChild } from './server-pair.ts';

/** Latency of each model call of the chain: a fast hosted model. */
const STEP_MS = 50;
const CHAIN_STEPS = 5;
const MISS_LOOKUPS = 20_000;
/** Requests per server per turn of the execute comparison. */
const EXECUTE_BATCH = 200;
/** A typical execution's key parts, beside the inputs (which change on every miss). */
const MISS_PARTS = {
  signature: 'a'.repeat(64),
  program: 'predict',
  programState: 'b'.repeat(64),
  provider: 'router[onnx,ollama,openai]',
  model: undefined,
  temperature: 0,
  maxTokens: 256,
  constrained: true,
};

/**
 * The exact response cache on the embedded SQLite store (a fresh file in a temp folder): a 5-step chain
 * on a 50 ms provider run twice (the second from the cache) against its first run; the cost of a lookup
 * that misses; and `predict.run` with the cache on (every run a miss, then a write) against no cache,
 * with a zero-latency provider: the worst case for the cache's share of a run.
 */
export const cacheSuite: BenchSuite = {
  name: 'cache',
  description:
    'cache on SQLite: repeated 5-step chain vs its first run, miss lookup cost, run and execute with cache vs without, semantic lookup at 100k entries',
  async run(context) {
    const dir = mkdtempSync(join(tmpdir(), 'signet-bench-cache-'));
    const store = openSqliteStore({ dataDir: dir });
    try {
      const cache = createCache({ store });
      context.progress(0, 'chain');
      const chain = await measureChain(cache);
      context.progress(0.2, 'miss lookups');
      const misses: number[] = [];
      for (let i = 0; i < MISS_LOOKUPS; i++) {
        const inputs = { question: randomUUID() };
        const started = performance.now();
        await cache.lookup({ keys: executionCacheKeys({ ...MISS_PARTS, inputs }), inputs });
        misses.push((performance.now() - started) * 1000);
      }
      context.progress(0.3, 'run with and without the cache');
      const signature = defineSignature({ ...QA_SIGNATURE_META, signature: QA_SIGNATURE });
      const program = predict(signature);
      let n = 0;
      const [cached, plain] = await sampleInterleaved({
        variants: [
          {
            name: 'predict.run, cache on (misses)',
            prepareBatch: () => {
              const ai = createQaProvider();
              return () => program.run({ question: `q${n++}` }, { ai, cache, cacheMode: 'on' });
            },
          },
          {
            name: 'predict.run, no cache',
            prepareBatch: () => {
              const ai = createQaProvider();
              return () => program.run({ question: `q${n++}` }, { ai });
            },
          },
        ],
        warmupMs: Math.min(1000, Math.max(300, context.durationMs * 0.2)),
        batchSize: 200,
        signal: context.signal,
        durationMs: context.durationMs / 2,
        onProgress: (fraction) => context.progress(0.3 + 0.3 * fraction, 'run with and without the cache'),
      });
      if (cached === undefined || plain === undefined) throw new Error('the sampler lost a variant');
      context.progress(0.6, 'execute over HTTP with and without the cache');
      const http = await measureExecute(context);
      context.progress(0.8, 'semantic lookups');
      const semantic = await measureSemantic(store, {
        ...context,
        progress: (fraction, detail) => context.progress(0.8 + 0.2 * fraction, detail),
      });
      return [
        ...metricsOf(
          chain,
          summarize(misses).p50,
          summarize(cached.samplesUs).p50,
          summarize(plain.samplesUs).p50,
          http,
        ),
        ...semanticMetrics(semantic),
      ];
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * `POST /execute` on two server children as `npm start` builds them (scripted zero-latency model), one
 * with the response cache on an embedded store and one without; every request has new inputs at
 * temperature 0, so each is a cache miss and a write. One request at a time, in batches that alternate
 * between the servers (AB, BA...). Two readings: the p50 latency, and the server's CPU time per request
 * (read from the child before and after each batch), which scheduling noise on a small machine moves far
 * less than latency.
 */
async function measureExecute(context: SuiteContext): Promise<ExecuteReading> {
  const start = (variant: 'signet' | 'signet-cached') =>
    startServerChild({ variant, providerDelayMs: 0, signal: context.signal });
  const servers = await Promise.all([start('signet-cached'), start('signet')]);
  let n = 0;
  const body = () =>
    JSON.stringify({
      signature: 'answer-question',
      inputs: { question: `What is the capital of country ${n++}?` },
      config: { temperature: 0 },
    });
  const posters = servers.map((server) => createJsonPoster(`${server.origin}${EXECUTE_PATH}`, body, 1));
  const latencies: number[][] = [[], []];
  const cpu = [0, 0];
  const count = [0, 0];
  try {
    const batch = async (index: number, measured: boolean) => {
      const server = servers[index] as StartedServerChild;
      const poster = posters[index] as JsonPoster;
      const before = (await server.memory(false)).cpuUs;
      for (let i = 0; i < EXECUTE_BATCH; i++) {
        const ms = await poster.post();
        if (measured) latencies[index]?.push(ms * 1000);
      }
      const after = (await server.memory(false)).cpuUs;
      if (measured) {
        cpu[index] = (cpu[index] ?? 0) + after - before;
        count[index] = (count[index] ?? 0) + EXECUTE_BATCH;
      }
    };
    const warmupRounds = Math.max(2, Math.round(context.durationMs / 2000));
    const rounds = Math.max(4, Math.round(context.durationMs / 250));
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const index of orderOf(round, 2)) await batch(index, round >= warmupRounds);
      context.signal.throwIfAborted();
      context.progress(0.6 + (0.2 * round) / (warmupRounds + rounds), 'execute with and without the cache');
    }
    const perRequest = (index: number) => (cpu[index] ?? 0) / (count[index] ?? 1);
    return {
      cachedP50Us: summarize(latencies[0] ?? []).p50,
      plainP50Us: summarize(latencies[1] ?? []).p50,
      cachedCpuUs: perRequest(0),
      plainCpuUs: perRequest(1),
    };
  } finally {
    for (const poster of posters) poster.close();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

interface ExecuteReading {
  readonly cachedP50Us: number;
  readonly plainP50Us: number;
  readonly cachedCpuUs: number;
  readonly plainCpuUs: number;
}

async function measureChain(cache: ReturnType<typeof createCache>): Promise<{ cold: number; warm: number }> {
  const step = defineSignature({
    name: 'bench-step',
    version: '1.0.0',
    signature: 'topic:string -> note:string',
  });
  const ai = createScriptedProvider({ fallback: { content: 'Note: done', delayMs: STEP_MS } });
  const program = predict(step);
  const once = async () => {
    const started = performance.now();
    for (let i = 0; i < CHAIN_STEPS; i++) {
      await program.run({ topic: `step ${i}` }, { ai, cache, temperature: 0 });
    }
    return performance.now() - started;
  };
  const cold = await once();
  const warm = await once();
  return { cold, warm };
}

function metricsOf(
  chain: { cold: number; warm: number },
  missP50Us: number,
  cachedP50Us: number,
  plainP50Us: number,
  http: ExecuteReading,
): Metric[] {
  return [
    {
      id: 'cache.chain.repeat_ms',
      label: `${CHAIN_STEPS}-step chain on a ${STEP_MS} ms provider, run again (every step from the cache)`,
      unit: 'ms',
      better: 'lower',
      value: chain.warm,
      baseline: { label: 'the same chain, first run', value: chain.cold },
    },
    {
      id: 'cache.lookup.miss_p50_us',
      label: 'exact lookup that misses (SQLite, warm), p50',
      unit: 'µs',
      better: 'lower',
      value: missP50Us,
      noiseFloor: 5,
    },
    {
      id: 'cache.run.miss_p50_us',
      label: 'predict.run with the cache on, every run a miss then a write (zero-latency provider), p50',
      unit: 'µs',
      better: 'lower',
      value: cachedP50Us,
      baseline: { label: 'predict.run without a cache', value: plainP50Us },
      noiseFloor: 10,
    },
    {
      id: 'cache.execute.miss_p50_us',
      label: 'POST /execute with the cache on, every request a miss then a write (zero-latency model), p50',
      unit: 'µs',
      better: 'lower',
      value: http.cachedP50Us,
      baseline: { label: 'the same server without a cache', value: http.plainP50Us },
      noiseFloor: 50,
    },
    {
      id: 'cache.execute.miss_cpu_us',
      label: 'server CPU time per POST /execute with the cache on, every request a miss then a write',
      unit: 'µs',
      better: 'lower',
      value: http.cachedCpuUs,
      baseline: { label: 'the same server without a cache', value: http.plainCpuUs },
      noiseFloor: 20,
    },
  ];
}
