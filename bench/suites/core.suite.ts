import { AxGen } from '@ax-llm/ax';
import { defineSignature, predict } from '../../src/index.ts';
import { sampleInterleaved } from '../lib/interleaved-sampler.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { createQaProvider, QA_SIGNATURE, QA_SIGNATURE_META, qaInputs } from './qa-workload.ts';

const BATCH_SIZE = 200;
const SIGNET = 'signet predict.run';
const RAW = 'AxGen.forward';

/**
 * signet's per-call overhead: `predict(sig).run()` against Ax's own `AxGen.forward()` with the same
 * zero-latency scripted provider, sampled in interleaved batches in one process.
 */
export const coreSuite: BenchSuite = {
  name: 'core',
  description: 'predict.run overhead vs raw AxGen.forward, same scripted provider, same process',
  async run(context) {
    const signature = defineSignature({ ...QA_SIGNATURE_META, signature: QA_SIGNATURE });
    const program = predict(signature);
    const gen = new AxGen(signature.toAxSignature());
    const [signet, raw] = await sampleInterleaved({
      variants: [
        {
          name: SIGNET,
          prepareBatch: () => {
            const ai = createQaProvider();
            return () => program.run(qaInputs, { ai });
          },
        },
        {
          name: RAW,
          prepareBatch: () => {
            const ai = createQaProvider();
            return () => gen.forward(ai, qaInputs);
          },
        },
      ],
      warmupMs: Math.min(2000, Math.max(500, context.durationMs * 0.25)),
      durationMs: context.durationMs,
      batchSize: BATCH_SIZE,
      signal: context.signal,
      onProgress: (fraction, phase) => context.progress(fraction, phase),
    });
    if (signet === undefined || raw === undefined) throw new Error('the sampler lost a variant');
    const ours = summarize(signet.samplesUs);
    const theirs = summarize(raw.samplesUs);
    const stat = (key: 'mean' | 'p50' | 'p99', name: string): Metric => ({
      id: `core.predict.${key}_us`,
      label: `${SIGNET}, ${name}`,
      series: SIGNET,
      unit: 'µs',
      better: 'lower',
      value: ours[key],
      baseline: { label: RAW, value: theirs[key] },
    });
    return [
      {
        ...stat('mean', 'mean per call'),
        summary: ours,
        baseline: { label: RAW, value: theirs.mean, summary: theirs },
        chart: 'percentiles',
      },
      stat('p50', 'median per call'),
      stat('p99', 'p99 per call'),
      {
        id: 'core.predict.added_us',
        label: `time ${SIGNET} adds to each call (mean)`,
        unit: 'µs',
        better: 'lower',
        value: ours.mean - theirs.mean,
        noiseFloor: 2,
      },
      {
        id: 'core.predict.throughput',
        label: `${SIGNET}, sequential calls`,
        series: SIGNET,
        unit: 'calls/s',
        better: 'higher',
        value: throughput(signet.samplesUs.length, signet.wallMs),
        baseline: { label: RAW, value: throughput(raw.samplesUs.length, raw.wallMs) },
        chart: 'bars',
      },
    ];
  },
};

function throughput(calls: number, wallMs: number): number {
  return wallMs > 0 ? (calls * 1000) / wallMs : 0;
}
