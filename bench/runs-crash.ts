/**
 * `npm run bench:crash [-- --runs 100 --latency-ms 20 --seed 1 --out file.json]`: the durable-runs crash
 * test (docs/runs.md). Exits 1 unless every run completed with the outputs of an uninterrupted run and
 * no recorded step was asked of the model again.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCrashTest } from './crash/run-crash-test.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    'latency-ms': { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const report = await runCrashTest({
  runs: Number(values.runs),
  latencyMs: Number(values['latency-ms']),
  seed: Number(values.seed),
  signal: AbortSignal.timeout(30 * 60_000),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
const ok =
  report.completed === report.runs && report.outputsEqual === report.runs && report.repeatedSteps === 0;
process.stdout.write(
  `${report.completed}/${report.runs} runs completed after SIGKILL, ${report.outputsEqual}/${report.runs} with the outputs of an uninterrupted run, ${report.repeatedSteps} completed steps repeated\n`,
);
process.exitCode = ok ? 0 : 1;
