/**
 * Writes the tiny test models: `tsx scripts/generate-tiny-models.ts [--out dir] [--vocab-sizes 32000,150000]`.
 * Default out is `.cache/tiny-models`; it creates `causal-lm/`, `encoder/` and one `causal-lm-<n>/` folder
 * per extra vocabulary size (for masking benchmarks). Folders already up to date are skipped.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTinyCausalLM, generateTinyEncoder } from '../src/testing/tiny-models/index.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.cache/tiny-models' },
    'vocab-sizes': { type: 'string', default: '' },
  },
});
const out = resolve(values.out);
const vocabSizes = values['vocab-sizes']
  .split(',')
  .filter((s) => s.trim() !== '')
  .map((s) => Number(s));
if (vocabSizes.some((n) => !Number.isInteger(n))) {
  console.error(`--vocab-sizes must be a comma-separated list of integers, got "${values['vocab-sizes']}"`);
  process.exit(2);
}

const report = (name: string, m: { dir: string; skipped: boolean; durationMs: number }): void => {
  console.log(
    `${name.padEnd(18)} ${m.skipped ? 'up to date' : `written in ${m.durationMs.toFixed(0)} ms`}  ${m.dir}`,
  );
};
report('causal-lm', await generateTinyCausalLM({ dir: join(out, 'causal-lm') }));
report('encoder', await generateTinyEncoder({ dir: join(out, 'encoder') }));
for (const vocabSize of vocabSizes) {
  report(
    `causal-lm-${vocabSize}`,
    await generateTinyCausalLM({ dir: join(out, `causal-lm-${vocabSize}`), vocabSize }),
  );
}
