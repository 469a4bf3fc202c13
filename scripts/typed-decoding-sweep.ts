/**
 * The typed-decoding acceptance sweep: N generations (default 1,000) across every catalog signature on
 * a generated random-weight model, sampled (temperature 1) so outputs differ, with the constraint on;
 * then the same with the constraint off. Prints how many parsed and validated on the first attempt.
 *
 *   npx tsx scripts/typed-decoding-sweep.ts [--count 1000] [--max-tokens 320]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalog } from '../signatures/index.ts';
import { createOnnxEngine, createOnnxProvider, predict, type Signature } from '../src/index.ts';
import { generateTinyCausalLM } from '../src/testing/index.ts';

const { values } = parseArgs({ options: { count: { type: 'string' }, 'max-tokens': { type: 'string' } } });
const count = Number(values.count ?? 1000);
const maxTokens = Number(values['max-tokens'] ?? 320);
const dir = await mkdtemp(join(tmpdir(), 'signet-sweep-'));
const lm = await generateTinyCausalLM({ dir: join(dir, 'lm'), maxPositions: 4096 });
const engine = createOnnxEngine({ maxBatchSize: 8 });
const ai = await createOnnxProvider({ engine, model: lm.dir });

async function sweep(constrain: boolean, total: number) {
  const started = performance.now();
  const failures = new Map<string, number>();
  let ok = 0;
  const jobs = Array.from({ length: total }, (_, i) => catalog[i % catalog.length] as Signature);
  for (let i = 0; i < jobs.length; i += 32) {
    const batch = jobs.slice(i, i + 32).map(async (signature) => {
      try {
        const result = await predict(signature).run(signature.examples[0]?.inputs ?? {}, {
          ai,
          temperature: 1,
          maxTokens,
          maxRetries: 0,
          constrain,
        });
        if (result.trace.attempts === 1 && signature.parseOutput(result.outputs).ok) ok++;
        else failures.set(signature.name, (failures.get(signature.name) ?? 0) + 1);
      } catch {
        failures.set(signature.name, (failures.get(signature.name) ?? 0) + 1);
      }
    });
    await Promise.all(batch);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `constraint ${constrain ? 'on ' : 'off'}: ${ok}/${total} parsed and validated on the first attempt ` +
      `(${total - ok} failed) in ${seconds.toFixed(1)} s` +
      (failures.size > 0 ? `; failures by signature: ${JSON.stringify(Object.fromEntries(failures))}` : ''),
  );
  return ok;
}

const on = await sweep(true, count);
await sweep(false, Math.min(count, 160));
await engine.dispose();
await rm(dir, { recursive: true, force: true });
process.exitCode = on === count ? 0 : 1;
