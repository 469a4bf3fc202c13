import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCache,
  createScriptedProvider,
  defineSignature,
  openSqliteStore,
  predict,
} from '../../src/index.ts';
import { sampleInterleaved } from '../lib/interleaved-sampler.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { createQaProvider, QA_SIGNATURE, QA_SIGNATURE_META } from './qa-workload.ts';

/** Latency of each model call of the chain: a fast hosted model. */
const STEP_MS = 50;
const CHAIN_STEPS = 5;
const MISS_LOOKUPS = 20_000;

/**
 * The exact response cache on the embedded SQLite store (a fresh file in a temp folder): a 5-step chain
 * on a 50 ms provider run twice (the second from the cache) against its first run; the cost of a lookup
 * that misses; and `predict.run` with the cache on (every run a miss, then a write) against no cache,
 * with a zero-latency provider: the worst case for the cache's share of a run.
 */
export const cacheSuite: BenchSuite = {
  name: 'cache',
  description:
    'exact cache on SQLite: repeated 5-step chain vs its first run, miss lookup cost, run with cache vs without',
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
        const key = randomUUID();
        const started = performance.now();
        await cache.lookup(key);
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
        durationMs: context.durationMs,
        batchSize: 200,
        signal: context.signal,
        onProgress: (fraction) => context.progress(0.3 + 0.7 * fraction, 'run with and without the cache'),
      });
      if (cached === undefined || plain === undefined) throw new Error('the sampler lost a variant');
      return metricsOf(
        chain,
        summarize(misses).p50,
        summarize(cached.samplesUs).p50,
        summarize(plain.samplesUs).p50,
      );
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

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
  ];
}
