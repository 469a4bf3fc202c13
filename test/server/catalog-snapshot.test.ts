import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCatalogSnapshot } from '../../server/providers/catalog-snapshot.ts';
import { createModelCatalog } from '../../src/models/model-catalog.ts';
import { countingSource, fakeModel } from '../models/model-fixtures.ts';

const TTL_MS = 60_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createCatalogSnapshot', () => {
  it('serves the first listing, then picks up a model added while serving after the next interval', async () => {
    const pulled: string[] = ['ollama:llama3.2:1b'];
    const source = countingSource('ollama', async () => pulled.map((id) => fakeModel(id)));
    const catalog = createModelCatalog({ sources: [source], ttlMs: TTL_MS, now: () => Date.now() });
    const snapshot = createCatalogSnapshot(catalog, {
      intervalMs: TTL_MS,
      timeoutMs: 1_000,
      onProblem: () => {},
    });
    try {
      expect(snapshot.models()).toEqual([]);
      await snapshot.refresh();
      expect(snapshot.models().map((m) => m.id)).toEqual(['ollama:llama3.2:1b']);

      pulled.push('ollama:qwen2.5:7b'); // `ollama pull` while the server runs
      await vi.advanceTimersByTimeAsync(TTL_MS - 1);
      expect(snapshot.models()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(snapshot.models().map((m) => m.id)).toEqual(['ollama:llama3.2:1b', 'ollama:qwen2.5:7b']);
    } finally {
      snapshot.close();
    }
  });

  it('keeps the previous models and reports the problem when a listing fails', async () => {
    let fail = false;
    const source = countingSource('ollama', async () => {
      if (fail) throw new Error('connection refused');
      return [fakeModel('ollama:llama3.2:1b')];
    });
    const catalog = createModelCatalog({ sources: [source], ttlMs: TTL_MS, now: () => Date.now() });
    const problems: string[] = [];
    const snapshot = createCatalogSnapshot(catalog, {
      intervalMs: TTL_MS,
      timeoutMs: 1_000,
      onProblem: (message) => problems.push(message),
    });
    try {
      await snapshot.refresh();
      fail = true;
      await vi.advanceTimersByTimeAsync(TTL_MS);
      expect(problems.join('\n')).toContain('connection refused');
      expect(snapshot.models().map((m) => m.id)).toEqual(['ollama:llama3.2:1b']);
    } finally {
      snapshot.close();
    }
  });

  it('stops listing once closed', async () => {
    const source = countingSource('ollama', async () => [fakeModel('ollama:llama3.2:1b')]);
    const catalog = createModelCatalog({ sources: [source], ttlMs: 0, now: () => Date.now() });
    const snapshot = createCatalogSnapshot(catalog, {
      intervalMs: TTL_MS,
      timeoutMs: 1_000,
      onProblem: () => {},
    });
    await snapshot.refresh();
    snapshot.close();
    await vi.advanceTimersByTimeAsync(5 * TTL_MS);
    expect(source.calls()).toBe(1);
  });
});
