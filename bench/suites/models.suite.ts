import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createModelCatalog,
  createModelRegistry,
  type ModelRegistry,
  type ModelsConfig,
  parseConfigLayer,
  resolveModelsConfig,
} from '../../src/models/index.ts';
import { sampleInterleaved } from '../lib/interleaved-sampler.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { BenchSuite } from '../lib/suite.ts';
import { createNaiveSelector } from './naive-role-select.ts';
import { staticModelSource, syntheticModels } from './synthetic-models.ts';

const CONFIG_FILE = fileURLToPath(new URL('../../config/models.json', import.meta.url));
const MODEL_COUNT = 200;
const ROLE = 'executor';
const PROFILE = 'coding';
const COLD_CALLS = 20;
const SIGNET = `registry.role('${ROLE}')`;
const NAIVE = 'naive filter + sort';

/**
 * Model selection with a warm registry: `registry.role('executor')` under the shipped
 * `config/models.json` with the `coding` profile active (so the role has preferred-model patterns,
 * a 16K context floor and tool calling to check), over a catalog of 200 synthetic models that has
 * already listed once (the cache is warm, so no discovery runs). Each call resolves the role through
 * the config layers, reads the cached listing and ranks every model with reasons.
 *
 * Baseline: the same decision made the naive way over the same 200 models (one filter over the role's
 * requirements, one sort, first element; role resolved once beforehand, no explanations), checked to
 * pick the same model. The ratio is the price of explanations, layering and the catalog; the absolute
 * time is what the target judges. The cold first call (fresh catalog and registry, instant source) is
 * reported too, without a baseline.
 */
export const modelsSuite: BenchSuite = {
  name: 'models',
  description: `model selection: ${SIGNET} over ${MODEL_COUNT} models, warm catalog, vs a naive filter + sort`,
  async run(context) {
    const config = resolveModelsConfig(
      [
        {
          where: 'config/models.json',
          data: parseConfigLayer(JSON.parse(await readFile(CONFIG_FILE, 'utf8')), CONFIG_FILE),
        },
      ],
      { env: { SIGNET_PROFILE: PROFILE } },
    );
    const models = syntheticModels(MODEL_COUNT);
    const registry = openRegistry(config, models);
    const naive = createNaiveSelector(registry.roleSpec(ROLE));
    const warm = await registry.role(ROLE);
    const expected = naive(models);
    if (warm.chosen === undefined || warm.chosen.id !== expected?.id) {
      throw new Error(
        `the naive baseline picks ${expected?.id}, the registry ${warm.chosen?.id}: not the same job`,
      );
    }

    const cold: number[] = [];
    for (let i = 0; i < COLD_CALLS; i++) {
      const fresh = openRegistry(config, models);
      const started = performance.now();
      await fresh.role(ROLE);
      cold.push((performance.now() - started) * 1000);
    }
    const [ours, theirs] = await sampleInterleaved({
      variants: [
        { name: SIGNET, prepareBatch: () => () => registry.role(ROLE) },
        { name: NAIVE, prepareBatch: () => async () => naive(models) },
      ],
      warmupMs: Math.min(1000, Math.max(300, context.durationMs * 0.1)),
      durationMs: context.durationMs,
      batchSize: 50,
      signal: context.signal,
      onProgress: (fraction, phase) => context.progress(fraction, phase),
    });
    if (ours === undefined || theirs === undefined) throw new Error('the sampler lost a variant');
    const signet = summarize(ours.samplesUs);
    const baseline = summarize(theirs.samplesUs);
    const stat = (key: 'p50' | 'p99', name: string): Metric => ({
      id: `models.role.${key}_us`,
      label: `${SIGNET}, ${name}, warm catalog of ${MODEL_COUNT} models, profile ${PROFILE}`,
      series: SIGNET,
      unit: 'µs',
      better: 'lower',
      value: signet[key],
      baseline: { label: NAIVE, value: baseline[key] },
      noiseFloor: 50,
    });
    return [
      {
        ...stat('p50', 'median'),
        summary: signet,
        baseline: { label: NAIVE, value: baseline.p50, summary: baseline },
        chart: 'percentiles',
      },
      stat('p99', 'p99'),
      {
        id: 'models.role.cold_us',
        label: `first ${SIGNET} on a fresh catalog and registry (median of ${COLD_CALLS}, instant source)`,
        unit: 'µs',
        better: 'lower',
        value: summarize(cold).p50,
        noiseFloor: 200,
      },
    ];
  },
};

function openRegistry(config: ModelsConfig, models: ReturnType<typeof syntheticModels>): ModelRegistry {
  return createModelRegistry({
    catalog: createModelCatalog({ sources: [staticModelSource(models)] }),
    config,
  });
}
