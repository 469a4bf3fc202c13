import { describe, expect, it } from 'vitest';
import { SignetError } from '../../src/errors/signet-error.ts';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { countingSource, fakeModel } from './model-fixtures.ts';

function clock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('model catalog', () => {
  it('reuses a listing within the TTL and asks the source again after it', async () => {
    const time = clock();
    const source = countingSource('ollama', async (call) => [fakeModel(`ollama:m${call}:latest`)]);
    const catalog = createModelCatalog({ sources: [source], ttlMs: 60_000, now: time.now });

    expect((await catalog.list()).models.map((m) => m.id)).toEqual(['ollama:m1:latest']);
    time.advance(59_999);
    expect((await catalog.list()).models.map((m) => m.id)).toEqual(['ollama:m1:latest']);
    expect(source.calls()).toBe(1);

    time.advance(1);
    expect((await catalog.list()).models.map((m) => m.id)).toEqual(['ollama:m2:latest']);
    expect(source.calls()).toBe(2);
  });

  it('defaults to a five minute TTL', async () => {
    const time = clock();
    const source = countingSource('onnx', async () => [fakeModel('onnx:/m')]);
    const catalog = createModelCatalog({ sources: [source], now: time.now });
    await catalog.list();
    time.advance(299_999);
    await catalog.list();
    expect(source.calls()).toBe(1);
    time.advance(1);
    await catalog.list();
    expect(source.calls()).toBe(2);
  });

  it('refresh() asks every source even when the cache is fresh', async () => {
    const time = clock();
    const source = countingSource('cloud', async (call) => [fakeModel(`openai:gpt-${call}`)]);
    const catalog = createModelCatalog({ sources: [source], now: time.now });
    await catalog.list();
    const refreshed = await catalog.refresh();
    expect(source.calls()).toBe(2);
    expect(refreshed.models.map((m) => m.id)).toEqual(['openai:gpt-2']);
    await catalog.list();
    expect(source.calls()).toBe(2);
  });

  it('lets concurrent callers share one discovery', async () => {
    const gate = deferred<readonly ReturnType<typeof fakeModel>[]>();
    const source = countingSource('ollama', () => gate.promise);
    const catalog = createModelCatalog({ sources: [source] });
    const first = catalog.list();
    const second = catalog.list();
    const third = catalog.get('ollama:a:latest');
    gate.resolve([fakeModel('ollama:a:latest')]);
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(source.calls()).toBe(1);
    expect(a.models).toEqual(b.models);
    expect(c?.id).toBe('ollama:a:latest');
  });

  it('keeps listing the other sources when one fails, and reports the failure', async () => {
    const down = countingSource('ollama', async () => {
      throw new SignetError('SIGNET_PROVIDER_UNAVAILABLE', 'ollama: connect ECONNREFUSED 127.0.0.1:11434');
    });
    const up = countingSource('onnx', async () => [fakeModel('onnx:/models/tiny')]);
    const catalog = createModelCatalog({ sources: [down, up] });
    const listing = await catalog.list();
    expect(listing.models.map((m) => m.id)).toEqual(['onnx:/models/tiny']);
    expect(listing.errors).toEqual([
      {
        source: 'ollama',
        message: 'ollama: connect ECONNREFUSED 127.0.0.1:11434',
        code: 'SIGNET_PROVIDER_UNAVAILABLE',
        stale: false,
      },
    ]);
  });

  it('keeps the last good models of a source that starts failing, marked stale', async () => {
    const time = clock();
    const source = countingSource('ollama', async (call) => {
      if (call === 2) throw new Error('daemon restarting');
      return [fakeModel('ollama:a:latest')];
    });
    const catalog = createModelCatalog({ sources: [source], ttlMs: 10, now: time.now });
    await catalog.list();
    time.advance(10);
    const listing = await catalog.list();
    expect(listing.models.map((m) => m.id)).toEqual(['ollama:a:latest']);
    expect(listing.errors[0]).toMatchObject({ source: 'ollama', message: 'daemon restarting', stale: true });
  });

  it('remembers a failure only for errorTtlMs, then asks again', async () => {
    const time = clock();
    const source = countingSource('ollama', async (call) => {
      if (call === 1) throw new Error('down');
      return [fakeModel('ollama:a:latest')];
    });
    const catalog = createModelCatalog({
      sources: [source],
      ttlMs: 300_000,
      errorTtlMs: 5_000,
      now: time.now,
    });
    expect((await catalog.list()).errors).toHaveLength(1);
    time.advance(4_999);
    expect((await catalog.list()).errors).toHaveLength(1);
    expect(source.calls()).toBe(1);
    time.advance(1);
    const listing = await catalog.list();
    expect(listing.errors).toEqual([]);
    expect(listing.models).toHaveLength(1);
  });

  it('lists each id once, from the first source that has it', async () => {
    const a = countingSource('a', async () => [fakeModel('ollama:x:latest', { source: 'a' })]);
    const b = countingSource('b', async () => [
      fakeModel('ollama:x:latest', { source: 'b' }),
      fakeModel('ollama:y:1b'),
    ]);
    const listing = await createModelCatalog({ sources: [a, b] }).list();
    expect(listing.models.map((m) => `${m.id}@${m.source}`)).toEqual([
      'ollama:x:latest@a',
      'ollama:y:1b@test',
    ]);
  });

  it('stops waiting on abort and cancels the discovery once no caller waits', async () => {
    let seen: AbortSignal | undefined;
    const source = countingSource('ollama', (_call, signal) => {
      seen = signal;
      return new Promise(() => {});
    });
    const catalog = createModelCatalog({ sources: [source] });
    const controller = new AbortController();
    const pending = catalog.list({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    expect(seen?.aborted).toBe(true);
  });

  it('keeps a shared discovery running while another caller still waits', async () => {
    const gate = deferred<readonly ReturnType<typeof fakeModel>[]>();
    let seen: AbortSignal | undefined;
    const source = countingSource('ollama', (_call, signal) => {
      seen = signal;
      return gate.promise;
    });
    const catalog = createModelCatalog({ sources: [source] });
    const impatient = new AbortController();
    const first = catalog.list({ signal: impatient.signal });
    const second = catalog.list({ signal: new AbortController().signal });
    impatient.abort();
    await expect(first).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    expect(seen?.aborted).toBe(false);
    gate.resolve([fakeModel('ollama:a:latest')]);
    expect((await second).models).toHaveLength(1);
  });

  it('searches the cached listing by text and filters', async () => {
    const source = countingSource('mixed', async () => [
      fakeModel('ollama:qwen2.5-coder:7b', { family: 'qwen2' }),
      fakeModel('ollama:nomic-embed-text:latest', { chat: false, embeddings: true, tools: false }),
      fakeModel('openai:gpt-4o-mini', { local: false, memoryBytes: undefined, contextLength: 128000 }),
    ]);
    const catalog = createModelCatalog({ sources: [source] });
    expect((await catalog.search({ text: 'QWEN coder' })).map((m) => m.id)).toEqual([
      'ollama:qwen2.5-coder:7b',
    ]);
    expect((await catalog.search({ embeddings: true })).map((m) => m.id)).toEqual([
      'ollama:nomic-embed-text:latest',
    ]);
    expect((await catalog.search({ local: false, minContext: 100_000 })).map((m) => m.id)).toEqual([
      'openai:gpt-4o-mini',
    ]);
    expect((await catalog.search({ maxMemoryBytes: 1e9 })).map((m) => m.id)).toEqual(['openai:gpt-4o-mini']);
    expect(source.calls()).toBe(1);
  });

  it('rejects a negative TTL', () => {
    expect(() => createModelCatalog({ sources: [], ttlMs: -1 })).toThrow(/ttlMs/);
  });
});
