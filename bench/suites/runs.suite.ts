import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePipeline, defineSignature, openSqliteStore, predict } from '../../src/index.ts';
import { openRunJournal } from '../../src/pipeline/run-journal.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { sampleInterleaved } from '../lib/interleaved-sampler.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';

const STEP_MS = 20;
const RECORDS = 2_000;

/**
 * Durable runs on the embedded SQLite store (a fresh file): the cost of one step checkpoint (a record
 * appended in its own transaction, as a pipeline writes it), and a 5-step pipeline on a 20 ms provider
 * with checkpoints (a new run id each time) against the same pipeline without.
 */
export const runsSuite: BenchSuite = {
  name: 'runs',
  description: 'pipeline checkpoints on SQLite: cost per step, 5-step run with checkpoints vs without',
  async run(context) {
    const dir = mkdtempSync(join(tmpdir(), 'signet-bench-runs-'));
    const store = openSqliteStore({ dataDir: dir });
    try {
      context.progress(0, 'checkpoint writes');
      const outputs = { note: 'x'.repeat(200) };
      const usage = { promptTokens: 120, completionTokens: 40, totalTokens: 160 };
      const writes: number[] = [];
      for (let i = 0; i < RECORDS; i++) {
        const journal = await openRunJournal(store, `bench-${i}`, 'bench@1.0.0', { subject: i });
        const started = performance.now();
        await journal.record({
          step: 'a',
          program: 'p@1#h',
          inputsHash: 'h'.repeat(64),
          inputs: { topic: 'y'.repeat(200) },
          outputs,
          usage,
        });
        writes.push((performance.now() - started) * 1000);
      }
      context.progress(0.3, '5-step pipeline with and without checkpoints');
      const step = predict(
        defineSignature({ name: 'bench-step', version: '1.0.0', signature: 'topic:string -> note:string' }),
      );
      const pipeline = definePipeline<{ subject: string }>({ name: 'bench-5', version: '1.0.0' })
        .step('s1', step, (s) => ({ topic: s.input.subject }))
        .step('s2', step, (s) => ({ topic: `${s.s1.note} 2` }))
        .step('s3', step, (s) => ({ topic: `${s.s2.note} 3` }))
        .step('s4', step, (s) => ({ topic: `${s.s3.note} 4` }))
        .step('s5', step, (s) => ({ topic: `${s.s4.note} 5` }))
        .returns((s) => s.s5);
      let n = 0;
      const ai = () => createScriptedProvider({ fallback: { content: 'Note: done', delayMs: STEP_MS } });
      const [checkpointed, plain] = await sampleInterleaved({
        variants: [
          {
            name: 'with checkpoints',
            prepareBatch: () => {
              const provider = ai();
              return () => pipeline.run({ subject: `q${n}` }, { ai: provider, store, runId: `run-${n++}` });
            },
          },
          {
            name: 'without',
            prepareBatch: () => {
              const provider = ai();
              return () => pipeline.run({ subject: `q${n++}` }, { ai: provider });
            },
          },
        ],
        warmupMs: context.quick ? 300 : 1_000,
        durationMs: context.durationMs,
        batchSize: 5,
        signal: context.signal,
        onProgress: (fraction) =>
          context.progress(0.3 + 0.7 * fraction, '5-step pipeline with and without checkpoints'),
      });
      if (checkpointed === undefined || plain === undefined) throw new Error('the sampler lost a variant');
      const metrics: Metric[] = [
        {
          id: 'runs.checkpoint.write_p50_ms',
          label: 'one step checkpoint (record appended in its own SQLite transaction), p50',
          unit: 'ms',
          better: 'lower',
          value: summarize(writes).p50 / 1000,
        },
        {
          id: 'runs.pipeline.checkpointed_p50_ms',
          label: `5-step pipeline on a ${STEP_MS} ms provider with a checkpoint after every step, p50`,
          unit: 'ms',
          better: 'lower',
          value: summarize(checkpointed.samplesUs).p50 / 1000,
          baseline: {
            label: 'the same pipeline without checkpoints',
            value: summarize(plain.samplesUs).p50 / 1000,
          },
          noiseFloor: 1,
        },
      ];
      return metrics;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
