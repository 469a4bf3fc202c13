import {
  createCache,
  createSemanticMatcher,
  type Embedder,
  type EntryToSet,
  executionCacheKeys,
  type FieldValues,
  inputsText,
  type Store,
  storedVectors,
} from '../../src/index.ts';
import type { Metric } from '../lib/metric.ts';
import { summarize } from '../lib/stats.ts';
import type { SuiteContext } from '../lib/suite.ts';

/** Dimensions of all-MiniLM-L6-v2, the embedder docs/cache.md suggests. */
const DIMENSIONS = 384;
/** Cosine similarity of a planted near-duplicate to its original (a paraphrase scores ~0.95). */
const NEAR = 0.97;
/** Answers remembered one by one (after the bulk), to time `remember()` on a full index. */
const REMEMBERED = 500;
const PARTS = {
  signature: 'c'.repeat(64),
  program: 'predict',
  programState: 'd'.repeat(64),
  provider: 'openai',
  model: 'gpt-4o-mini',
  temperature: 0,
  maxTokens: 256,
  constrained: true,
};

/** What the semantic part of the cache suite measured. */
export interface SemanticReading {
  readonly entries: number;
  readonly lookupP99Ms: number;
  readonly exactP99Ms: number;
  readonly recall: number;
  readonly insertUs: number;
  readonly rebuildS: number;
}

/**
 * The semantic cache at `entries` answers (100,000 in a full run): random unit vectors of 384
 * dimensions, a table embedder (so the numbers are the index's and the store's, not a model's), and
 * planted near-duplicates of some entries at cosine 0.97. The answers and vectors are written to the
 * store in bulk; the time a matcher takes to rebuild its index from there (as after a restart) is one
 * number, the time `remember()` takes on the full index another. Lookups go through `cache.lookup()` (exact
 * miss, then the matcher, then the answer read); recall is the share of planted queries answered from
 * their own original. Baseline: brute-force exact search over the same vectors (usearch's SIMD kernel,
 * one thread) in the same run.
 */
export async function measureSemantic(
  store: Store,
  context: SuiteContext,
  entries = context.quick ? 10_000 : 100_000,
): Promise<SemanticReading> {
  const planted = context.quick ? 200 : 1_000;
  const random = seeded(7);
  const vectors = new Map<string, Float32Array>();
  const embedder: Embedder = {
    id: 'bench-table',
    embed: async (texts) =>
      texts.map((text) => {
        const vector = vectors.get(text);
        if (vector === undefined) throw new Error(`no vector for ${text}`);
        return vector;
      }),
  };
  const queryOf = (inputs: FieldValues) => ({
    keys: executionCacheKeys({ ...PARTS, inputs }),
    inputs,
    semantic: true,
  });
  const matrix = new Float32Array(entries * DIMENSIONS);
  const originals: FieldValues[] = [];
  for (let i = 0; i < entries; i++) {
    const inputs = { question: `document ${i}` };
    const vector = unitVector(random);
    matrix.set(vector, i * DIMENSIONS);
    vectors.set(inputsText(inputs), vector);
    originals.push(inputs);
  }
  const nearQueries: { inputs: FieldValues; of: number }[] = [];
  for (let j = 0; j < planted; j++) {
    const of = Math.floor((j * entries) / planted);
    const inputs = { question: `paraphrase of document ${of}` };
    vectors.set(
      inputsText(inputs),
      nearDuplicate(matrix.subarray(of * DIMENSIONS, (of + 1) * DIMENSIONS), random),
    );
    nearQueries.push({ inputs, of });
  }

  // The store as a long-running server leaves it: answers and their vectors (written in bulk here, as
  // remembering 100,000 one by one would take minutes), all but the last few.
  const bulk = entries - REMEMBERED;
  const cache = createCache({ store, namespace: 'bench-semantic-answers' });
  const answer = { provider: 'openai', model: 'gpt-4o-mini', savedAt: Date.now() };
  const usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };
  const vectorNamespace = storedVectors.namespace('bench-semantic', embedder.id);
  for (let start = 0; start < bulk; start += 1000) {
    const page: EntryToSet[] = [];
    for (let i = start; i < Math.min(bulk, start + 1000); i++) {
      const { keys } = queryOf(originals[i] as FieldValues);
      cache.save(
        { keys, inputs: originals[i] as FieldValues },
        { ...answer, usage, outputs: { answer: `answer ${i}` } },
      );
      const vector = matrix.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS);
      page.push(storedVectors.entry(keys.partition, keys.inputsHash, keys.key, vector, 24 * 3600_000));
    }
    await store.setMany(vectorNamespace, page);
    context.signal.throwIfAborted();
    context.progress((0.2 * start) / bulk, `semantic: ${start} of ${entries} entries stored`);
  }
  await cache.flush();

  context.progress(0.2, 'semantic: rebuild from the store');
  const matcher = createSemanticMatcher({
    embedder,
    store,
    namespace: 'bench-semantic',
    loadWaitMs: 10 * 60 * 1000,
  });
  const semanticCache = createCache({ store, namespace: 'bench-semantic-answers', semantic: matcher });
  const rebuildStarted = performance.now();
  const first = nearQueries[0] as { inputs: FieldValues; of: number };
  const rebuilt = await matcher.match(queryOf(first.inputs));
  const rebuildS = (performance.now() - rebuildStarted) / 1000;
  if (rebuilt === undefined) throw new Error('the rebuilt index lost a planted near-duplicate');

  context.progress(0.8, 'semantic: remember');
  const insertStarted = performance.now();
  for (let i = bulk; i < entries; i++) {
    const query = queryOf(originals[i] as FieldValues);
    semanticCache.save(
      { ...query, semantic: false },
      { ...answer, usage, outputs: { answer: `answer ${i}` } },
    );
    await matcher.remember(query);
  }
  const insertUs = ((performance.now() - insertStarted) * 1000) / REMEMBERED;
  await semanticCache.flush();

  context.progress(0.9, 'semantic: lookups');
  const lookups: number[] = [];
  let found = 0;
  for (const { inputs, of } of nearQueries) {
    const query = queryOf(inputs);
    const started = performance.now();
    const hit = await semanticCache.lookup(query);
    lookups.push(performance.now() - started);
    if (hit?.inputsHash === queryOf(originals[of] as FieldValues).keys.inputsHash) found++;
  }
  const usearch = await import('usearch');
  const exact: number[] = [];
  for (const { inputs } of nearQueries) {
    const vector = vectors.get(inputsText(inputs)) as Float32Array;
    const started = performance.now();
    usearch.exactSearch(matrix, vector, DIMENSIONS, 1, usearch.MetricKind.Cos, 1);
    exact.push(performance.now() - started);
  }
  return {
    entries,
    lookupP99Ms: summarize(lookups).p99,
    exactP99Ms: summarize(exact).p99,
    recall: found / planted,
    insertUs,
    rebuildS,
  };
}

export function semanticMetrics(reading: SemanticReading): Metric[] {
  const at = `${reading.entries.toLocaleString('en')} entries`;
  return [
    {
      id: 'cache.semantic.lookup_p99_ms',
      label: `semantic lookup through cache.lookup() at ${at} (384 dims, HNSW), p99`,
      unit: 'ms',
      better: 'lower',
      value: reading.lookupP99Ms,
      baseline: {
        label: 'brute-force exact search (usearch SIMD, 1 thread), p99',
        value: reading.exactP99Ms,
      },
      noiseFloor: 0.5,
    },
    {
      id: 'cache.semantic.recall',
      label: `planted near-duplicates (cosine ${NEAR}) answered from their original at ${at}`,
      unit: 'share',
      better: 'higher',
      value: reading.recall,
      noiseFloor: 0.01,
    },
    {
      id: 'cache.semantic.insert_us',
      label: `remembering one answer's vector (index add and store write) up to ${at}, mean`,
      unit: 'µs',
      better: 'lower',
      value: reading.insertUs,
      noiseFloor: 100,
    },
    {
      id: 'cache.semantic.rebuild_s',
      label: `rebuilding the index of ${at} from the store after a restart`,
      unit: 's',
      better: 'lower',
      value: reading.rebuildS,
      noiseFloor: 1,
    },
  ];
}

/** A small deterministic generator (mulberry32), so every run plants the same vectors. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

function unitVector(random: () => number): Float32Array {
  return normalize(Float32Array.from({ length: DIMENSIONS }, () => gaussian(random)));
}

/** A unit vector at cosine {@link NEAR} to `of`: `of` plus orthogonal noise of the right size. */
function nearDuplicate(of: Float32Array, random: () => number): Float32Array {
  const noise = unitVector(random);
  let dot = 0;
  for (let i = 0; i < DIMENSIONS; i++) dot += (noise[i] as number) * (of[i] as number);
  for (let i = 0; i < DIMENSIONS; i++) noise[i] = (noise[i] as number) - dot * (of[i] as number);
  normalize(noise);
  const side = Math.sqrt(1 - NEAR * NEAR);
  return normalize(Float32Array.from(of, (x, i) => NEAR * x + side * (noise[i] as number)));
}
