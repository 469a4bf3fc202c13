import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createCache,
  createOnnxEmbedder,
  createOnnxEngine,
  createSemanticMatcher,
  defineSignature,
  type Embedder,
  executionCacheKeys,
  inputsText,
  type OnnxEngine,
  openSqliteStore,
  predict,
  type Store,
} from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';
import { generateTinyEncoder } from '../../src/testing/tiny-models/index.ts';

const ask = defineSignature({
  name: 'ask',
  version: '1.0.0',
  signature: 'question:string -> answer:string',
});

// The tiny encoder has random weights, but inputs that share most of their tokens still land close:
// these two score ~0.95 with it, the unrelated question ~0.78.
const QUESTION = 'What is the capital of France?';
const PARAPHRASE = 'What is the capital city of France?';
const UNRELATED = 'How do I bake sourdough bread at home?';

let modelsDir: string;
let engine: OnnxEngine;
let encoder: Embedder;
let dir: string;
let store: Store;

beforeAll(async () => {
  modelsDir = mkdtempSync(join(tmpdir(), 'signet-encoder-'));
  const model = await generateTinyEncoder({ dir: modelsDir });
  engine = createOnnxEngine();
  encoder = createOnnxEmbedder(engine, model.dir);
});
afterAll(async () => {
  await engine.dispose();
  rmSync(modelsDir, { recursive: true, force: true });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-semantic-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** An embedder that counts its calls. */
function counting(inner: Embedder): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    id: inner.id,
    texts,
    embed(batch, signal) {
      texts.push(...batch);
      return inner.embed(batch, signal);
    },
  };
}

const query = (question: string, model = 'm1') => ({
  keys: executionCacheKeys({
    signature: 'sig',
    program: 'predict',
    programState: 'state',
    provider: 'p',
    model,
    temperature: 0,
    maxTokens: undefined,
    constrained: true,
    inputs: { question },
  }),
  inputs: { question },
  semantic: true,
});

describe('semantic matcher', () => {
  it('matches inputs that mean the same in one partition, and reports the similarity and source', async () => {
    const matcher = createSemanticMatcher({ embedder: encoder, store });
    const original = query(QUESTION);
    expect(await matcher.match(original)).toBeUndefined(); // nothing remembered yet
    await matcher.remember(original);
    const match = await matcher.match(query(PARAPHRASE));
    expect(match).toMatchObject({ key: original.keys.key, inputsHash: original.keys.inputsHash });
    expect(match?.similarity).toBeGreaterThanOrEqual(0.92);
    expect(match?.similarity).toBeLessThan(1);
    expect(await matcher.match(query(UNRELATED))).toBeUndefined();
  });

  it('never matches across partitions, even for the same text', async () => {
    const matcher = createSemanticMatcher({ embedder: encoder, store });
    await matcher.remember(query(QUESTION, 'm1'));
    expect(await matcher.match(query(QUESTION, 'm2'))).toBeUndefined();
    expect(await matcher.match(query(QUESTION, 'm1'))).toMatchObject({ similarity: expect.closeTo(1, 5) });
  });

  it('honours the threshold', async () => {
    const strict = createSemanticMatcher({ embedder: encoder, store, threshold: 0.999 });
    await strict.remember(query(QUESTION));
    expect(await strict.match(query(PARAPHRASE))).toBeUndefined();
    expect(() => createSemanticMatcher({ embedder: encoder, store, threshold: 1.5 })).toThrow(RangeError);
    expect(() => createSemanticMatcher({ embedder: encoder, store, threshold: 0 })).toThrow(RangeError);
  });

  it('embeds a query once when a miss is then remembered', async () => {
    const embedder = counting(encoder);
    const matcher = createSemanticMatcher({ embedder, store });
    const q = query(QUESTION);
    await matcher.match(q);
    await matcher.remember(q);
    expect(embedder.texts).toEqual([inputsText(q.inputs)]);
    expect(inputsText(q.inputs)).toBe(`question: ${QUESTION}`);
  });

  it('rebuilds its index from the store after a restart (a new process on the same file)', async () => {
    const first = createSemanticMatcher({ embedder: encoder, store });
    const original = query(QUESTION);
    for (let i = 0; i < 300; i++)
      await first.remember(query(`filler question number ${i} about topic ${i * 7}`));
    await first.remember(original);
    await store.close();
    store = openSqliteStore({ dataDir: dir });
    const second = createSemanticMatcher({ embedder: encoder, store, loadWaitMs: 10_000 });
    expect(await second.match(query(PARAPHRASE))).toMatchObject({ inputsHash: original.keys.inputsHash });
  });

  it('keeps the vectors of different embedders apart', async () => {
    await createSemanticMatcher({ embedder: encoder, store }).remember(query(QUESTION));
    const renamed: Embedder = { id: 'another-model', embed: (texts, signal) => encoder.embed(texts, signal) };
    expect(await createSemanticMatcher({ embedder: renamed, store }).match(query(QUESTION))).toBeUndefined();
  });

  it('forgets inputs, and everything on clear', async () => {
    const matcher = createSemanticMatcher({ embedder: encoder, store });
    const a = query(QUESTION);
    await matcher.remember(a);
    await matcher.forget(a.keys.partition, a.keys.inputsHash);
    expect(await matcher.match(query(QUESTION))).toBeUndefined();
    await matcher.remember(a);
    await matcher.clear();
    expect(await matcher.match(query(QUESTION))).toBeUndefined();
    expect(await createSemanticMatcher({ embedder: encoder, store }).match(query(QUESTION))).toBeUndefined();
  });
});

describe('semantic response cache', () => {
  const provider = () => createScriptedProvider({ name: 'scripted', fallback: 'Answer: Paris' });

  it('answers a paraphrase from the cache when the run asks for it, saying how close it was', async () => {
    const ai = provider();
    const cache = createCache({ store, semantic: createSemanticMatcher({ embedder: encoder, store }) });
    const program = predict(ask);
    const options = { ai, cache, temperature: 0, semanticCache: true } as const;
    const first = await program.run({ question: QUESTION }, { ...options, requestId: 'r1' });
    await cache.flush();
    const close = await program.run({ question: PARAPHRASE }, options);
    expect(ai.calls).toHaveLength(1);
    expect(close.outputs).toEqual(first.outputs);
    expect(close.cached).toMatchObject({ kind: 'semantic', requestId: 'r1' });
    expect(close.cached?.similarity).toBeGreaterThanOrEqual(0.92);
    expect(close.cached?.inputsHash).toBe(
      executionCacheKeys({
        signature: ask.hash(),
        program: 'predict',
        programState: 'x',
        provider: 'x',
        model: undefined,
        temperature: 0,
        maxTokens: undefined,
        constrained: true,
        inputs: { question: QUESTION },
      }).inputsHash,
    );
    // Unrelated inputs, or a run that did not ask for it, still call the model.
    await program.run({ question: UNRELATED }, options);
    await program.run({ question: PARAPHRASE }, { ai, cache, temperature: 0 });
    expect(ai.calls).toHaveLength(3);
    expect(cache.stats()).toMatchObject({ hits: 0, semanticHits: 1, errors: 0 });
  });

  it('treats a match whose answer has expired as a miss, and forgets it', async () => {
    const ai = provider();
    const matcher = createSemanticMatcher({ embedder: encoder, store });
    const cache = createCache({ store, ttlMs: 1, semantic: matcher });
    const program = predict(ask);
    const options = { ai, cache, temperature: 0, semanticCache: true } as const;
    await program.run({ question: QUESTION }, options);
    await cache.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await program.run({ question: PARAPHRASE }, options);
    expect(after.cached).toBeUndefined();
    expect(ai.calls).toHaveLength(2);
  });

  it('goes on without the semantic cache when embedding fails, counting the failure', async () => {
    const broken: Embedder = { id: 'broken', embed: () => Promise.reject(new Error('encoder crashed')) };
    const ai = provider();
    const cache = createCache({ store, semantic: createSemanticMatcher({ embedder: broken, store }) });
    const errors: string[] = [];
    cache.observe((event) => {
      if (event.type === 'error') errors.push(event.during);
    });
    const result = await predict(ask).run(
      { question: QUESTION },
      { ai, cache, temperature: 0, semanticCache: true },
    );
    expect(result.outputs).toEqual({ answer: 'Paris' });
    await cache.flush();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors).toContain('embed');
    expect(cache.stats().errors).toBeGreaterThanOrEqual(1);
  });
});
