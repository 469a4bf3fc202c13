import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCache,
  createScriptedProvider,
  defineSignature,
  executionCacheKey,
  openSqliteStore,
  predict,
  SignetError,
  type Store,
} from '../../src/index.ts';

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
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1, errors: 0 });
  });

  it('keeps a new store file answering after a reopen', async () => {
    const ai = provider();
    await predict(capital).run({ country: 'France' }, { ai, cache: createCache({ store }), temperature: 0 });
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
    await predict(capital).run({ country: 'France' }, { ...base, constrain: false });
    await predict(capital).withInstructions('Answer in French.').run({ country: 'France' }, base);
    expect(ai.calls).toHaveLength(6);
    await predict(capital).run({ region: 'Europe', country: 'France' }, base);
    await predict(capital).run({ country: 'France', region: 'Europe' }, base);
    expect(ai.calls).toHaveLength(7);
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
    expect(cache.stats().writes).toBe(0);
    expect(await store.size('responses')).toEqual({ entries: 0, bytes: 0 });
  });

  it('runs on when the store fails, counting the failure', async () => {
    const ai = provider();
    const errors: unknown[] = [];
    const cache = createCache({ store, onError: (error) => errors.push(error) });
    await store.close();
    const result = await predict(capital).run({ country: 'France' }, { ai, cache, temperature: 0 });
    expect(result.outputs).toEqual({ city: 'Paris' });
    expect(cache.stats()).toMatchObject({ errors: 2, writes: 0 });
    expect(errors).toHaveLength(2);
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

describe('executionCacheKey', () => {
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
    expect(executionCacheKey({ ...parts, inputs: { a: 1, b: { c: 2, d: 3 } } })).toBe(
      executionCacheKey({ ...parts, inputs: { b: { d: 3, c: 2 }, a: 1 } }),
    );
    expect(executionCacheKey({ ...parts, inputs: { a: 1 } })).not.toBe(
      executionCacheKey({ ...parts, inputs: { a: 2 } }),
    );
  });
});
