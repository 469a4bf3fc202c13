import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CacheEvent,
  createCache,
  defineSignature,
  executionCacheKeys,
  openSqliteStore,
  predict,
  SignetError,
  type Store,
} from '../../src/index.ts';
import { createScriptedProvider } from '../../src/testing/index.ts';

const capital = defineSignature({
  name: 'capital-of',
  version: '1.0.0',
  signature: 'country:string, region?:string -> city:string',
});

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-cache-'));
  store = openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const provider = () => createScriptedProvider({ name: 'scripted', fallback: 'City: Paris' });

describe('exact response cache', () => {
  it('answers a repeated temperature-0 run from the cache, naming the original request', async () => {
    const ai = provider();
    const cache = createCache({ store });
    const program = predict(capital);
    const first = await program.run({ country: 'France' }, { ai, cache, temperature: 0, requestId: 'req-1' });
    const again = await program.run({ country: 'France' }, { ai, cache, temperature: 0, requestId: 'req-2' });
    expect(ai.calls).toHaveLength(1);
    expect(first.cached).toBeUndefined();
    expect(again.outputs).toEqual({ city: 'Paris' });
    expect(again.cached).toMatchObject({ requestId: 'req-1', originalUsage: first.usage });
    expect(again.usage.totalTokens).toBe(0);
    expect(again.trace).toMatchObject({
      provider: first.trace.provider,
      model: first.trace.model,
      attempts: 0,
    });
    await cache.flush();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1, errors: 0 });
    expect(again.cached).toMatchObject({
      kind: 'exact',
      inputsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('keeps a new store file answering after a reopen', async () => {
    const ai = provider();
    const cache = createCache({ store });
    await predict(capital).run({ country: 'France' }, { ai, cache, temperature: 0 });
    await cache.flush();
    await store.close();
    store = openSqliteStore({ dataDir: dir });
    const again = await predict(capital).run(
      { country: 'France' },
      { ai, cache: createCache({ store }), temperature: 0 },
    );
    expect(again.cached).toBeDefined();
    expect(ai.calls).toHaveLength(1);
  });

  it('is off by default when the temperature is not 0, and follows cacheMode otherwise', async () => {
    const ai = provider();
    const cache = createCache({ store });
    const program = predict(capital);
    await program.run({ country: 'France' }, { ai, cache });
    await program.run({ country: 'France' }, { ai, cache });
    expect(ai.calls).toHaveLength(2);
    await program.run({ country: 'France' }, { ai, cache, cacheMode: 'read' });
    expect(ai.calls).toHaveLength(3);
    await program.run({ country: 'France' }, { ai, cache, cacheMode: 'write' });
    await program.run({ country: 'France' }, { ai, cache, cacheMode: 'write' });
    expect(ai.calls).toHaveLength(5);
    expect(cache.stats()).toMatchObject({ bypasses: 4, misses: 1 });
    const read = await program.run({ country: 'France' }, { ai, cache, cacheMode: 'read' });
    expect(read.cached).toBeDefined();
    expect(ai.calls).toHaveLength(5);
  });

  it('misses when anything that changes the answer changes', async () => {
    const ai = provider();
    const cache = createCache({ store });
    const base = { ai, cache, temperature: 0 };
    await predict(capital).run({ country: 'France' }, base);
    await predict(capital).run({ country: 'Spain' }, base);
    await predict(capital).run({ country: 'France' }, { ...base, model: 'other-model' });
    await predict(capital).run({ country: 'France' }, { ...base, maxTokens: 10 });
    await predict(capital).run({ country: 'France' }, { ...base, topP: 0.5 });
    await predict(capital).run({ country: 'France' }, { ...base, constrain: false });
    await predict(capital).withInstructions('Answer in French.').run({ country: 'France' }, base);
    expect(ai.calls).toHaveLength(7);
    expect(ai.calls[4]?.modelConfig.topP).toBe(0.5);
    await predict(capital).run({ region: 'Europe', country: 'France' }, base);
    await predict(capital).run({ country: 'France', region: 'Europe' }, base);
    expect(ai.calls).toHaveLength(8);
  });

  it('never stores a failed or invalid answer', async () => {
    const population = defineSignature({
      name: 'population-of',
      version: '1.0.0',
      signature: 'country:string -> population:number',
    });
    const invalid = createScriptedProvider({ name: 'scripted', fallback: 'Population: a lot' });
    const failing = createScriptedProvider({
      name: 'scripted',
      fallback: { error: new SignetError('SIGNET_PROVIDER_ERROR', 'upstream failed') },
    });
    const cache = createCache({ store });
    for (const ai of [invalid, failing, invalid]) {
      const run = predict(population).run(
        { country: 'France' },
        { ai, cache, temperature: 0, maxRetries: 0 },
      );
      await expect(run).rejects.toBeInstanceOf(SignetError);
    }
    expect(invalid.calls).toHaveLength(2);
    await cache.flush();
    expect(cache.stats().writes).toBe(0);
    expect(await store.size('responses')).toEqual({ entries: 0, bytes: 0 });
  });

  it('runs on when the store fails, counting the failure', async () => {
    const ai = provider();
    const errors: CacheEvent[] = [];
    const cache = createCache({
      store,
      observe: (event) => {
        if (event.type === 'error') errors.push(event);
      },
    });
    await store.close();
    const result = await predict(capital).run({ country: 'France' }, { ai, cache, temperature: 0 });
    expect(result.outputs).toEqual({ city: 'Paris' });
    await cache.flush();
    expect(cache.stats()).toMatchObject({ errors: 2, writes: 0 });
    expect(errors.map((e) => e.type === 'error' && e.during)).toEqual(['lookup', 'write']);
  });

  it('serves the repeated steps of a multi-step chain from the cache', async () => {
    const ai = createScriptedProvider({ name: 'scripted', fallback: { content: 'City: Paris', delayMs: 5 } });
    const cache = createCache({ store });
    const chain = async () => {
      const program = predict(capital);
      for (const country of ['France', 'Spain', 'Italy', 'Chile', 'Japan']) {
        await program.run({ country }, { ai, cache, temperature: 0 });
      }
    };
    await chain();
    expect(ai.calls).toHaveLength(5);
    await chain();
    expect(ai.calls).toHaveLength(5);
  });
});

describe('write-behind', () => {
  it('answers from a queued write before it reaches the store, and stores batches in one go', async () => {
    const ai = provider();
    const cache = createCache({ store });
    const program = predict(capital);
    await Promise.all(
      ['France', 'Spain', 'Italy'].map((country) => program.run({ country }, { ai, cache, temperature: 0 })),
    );
    const again = await program.run({ country: 'France' }, { ai, cache, temperature: 0 });
    expect(again.cached).toBeDefined();
    await cache.flush();
    expect(await store.size('responses')).toMatchObject({ entries: 3 });
    expect(cache.stats().writes).toBe(3);
  });

  it('evicts past the byte budget as it writes, and reports it', async () => {
    const events: CacheEvent[] = [];
    const cache = createCache({ store, maxBytes: 1_000, trimEvery: 1, observe: (e) => events.push(e) });
    const ai = provider();
    for (let i = 0; i < 12; i++) {
      await predict(capital).run({ country: `country-${i}` }, { ai, cache, temperature: 0 });
      await cache.flush();
    }
    expect((await cache.size()).bytes).toBeLessThanOrEqual(1_000);
    expect(cache.stats().evictions).toBeGreaterThan(0);
    expect(
      events.filter((e) => e.type === 'evict').reduce((n, e) => n + (e.type === 'evict' ? e.count : 0), 0),
    ).toBe(cache.stats().evictions);
    const { entries } = await cache.size();
    expect(await cache.clear()).toBe(entries);
    expect((await cache.size()).entries).toBe(0);
  });
});

describe('streamed runs', () => {
  it('stores a streamed answer and replays it as a stream, field by field', async () => {
    const ai = createScriptedProvider({ name: 'scripted', fallback: 'City: Paris\nRegion: Europe' });
    const both = defineSignature({
      name: 'city-and-region',
      version: '1.0.0',
      signature: 'country:string -> city:string, region:string',
    });
    const cache = createCache({ store });
    const collect = async () => {
      const events = [];
      for await (const event of predict(both).stream({ country: 'France' }, { ai, cache, temperature: 0 })) {
        events.push(event);
      }
      return events;
    };
    const first = await collect();
    expect(first.at(-1)).toMatchObject({
      type: 'final',
      result: { outputs: { city: 'Paris', region: 'Europe' } },
    });
    const replay = await collect();
    expect(ai.calls).toHaveLength(1);
    expect(replay.map((e) => e.type)).toEqual(['partial', 'partial', 'final']);
    expect(replay[0]).toMatchObject({ delta: { city: 'Paris' } });
    expect(replay[1]).toMatchObject({
      delta: { region: 'Europe' },
      outputs: { city: 'Paris', region: 'Europe' },
    });
    expect(replay[2]).toMatchObject({
      type: 'final',
      result: { cached: { kind: 'exact' }, usage: { totalTokens: 0 } },
    });
    // A plain run reads what the stream stored, and the other way round.
    expect(
      (await predict(both).run({ country: 'France' }, { ai, cache, temperature: 0 })).cached,
    ).toBeDefined();
  });
});

describe('executionCacheKeys', () => {
  const parts = {
    signature: 'sig',
    program: 'predict',
    programState: 'state',
    provider: 'p',
    model: undefined,
    temperature: 0,
    maxTokens: undefined,
    constrained: true,
  };

  it('does not depend on the key order of the inputs', () => {
    expect(executionCacheKeys({ ...parts, inputs: { a: 1, b: { c: 2, d: 3 } } })).toEqual(
      executionCacheKeys({ ...parts, inputs: { b: { d: 3, c: 2 }, a: 1 } }),
    );
    expect(executionCacheKeys({ ...parts, inputs: { a: 1 } }).key).not.toBe(
      executionCacheKeys({ ...parts, inputs: { a: 2 } }).key,
    );
  });

  it('keeps one partition for everything but the inputs', () => {
    const one = executionCacheKeys({ ...parts, inputs: { a: 1 } });
    const two = executionCacheKeys({ ...parts, inputs: { a: 2 } });
    expect(one.partition).toBe(two.partition);
    expect(one.inputsHash).not.toBe(two.inputsHash);
    expect(executionCacheKeys({ ...parts, model: 'm', inputs: { a: 1 } }).partition).not.toBe(one.partition);
    expect(executionCacheKeys({ ...parts, temperature: 0.5, inputs: { a: 1 } }).partition).not.toBe(
      one.partition,
    );
  });

  it('changes the key with every part that can change the answer', () => {
    const base = { ...parts, inputs: { a: 1 } };
    const variants = [
      { signature: 'sig2' },
      { program: 'chain-of-thought' },
      { programState: 'optimized' },
      { provider: 'router[a,b]' },
      { model: 'gpt-4o' },
      { temperature: 0.7 },
      { maxTokens: 256 },
      { topP: 0.9 },
      { constrained: false },
      { inputs: { a: '1' } },
    ];
    const keys = new Set(
      [base, ...variants.map((change) => ({ ...base, ...change }))].map((p) => executionCacheKeys(p).key),
    );
    expect(keys.size).toBe(variants.length + 1);
    expect(() => executionCacheKeys({ ...base, temperature: Number.NaN })).toThrow(
      /temperature is not finite/,
    );
  });
});
