import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxEngine, type OnnxEngineWarning } from '../../../src/providers/onnx/index.ts';
import { createTinyModelFixtures, type TinyModelFixtures } from './tiny-model-fixtures.ts';

let models: TinyModelFixtures;

beforeAll(async () => {
  models = await createTinyModelFixtures();
});
afterAll(async () => {
  await models?.cleanup();
});

describe('OnnxEngine loading', () => {
  it('falls back to cpu with a warning when cuda cannot load here', async () => {
    const warnings: OnnxEngineWarning[] = [];
    const engine = createOnnxEngine({ onWarning: (w) => warnings.push(w) });
    const info = await engine.load(models.lm.dir, { device: 'cuda' });
    const cudaWorks = info.device === 'cuda';
    if (!cudaWorks) {
      expect(info).toMatchObject({ device: 'cpu', requestedDevice: 'cuda', dtype: 'fp32' });
      expect(warnings).toEqual([expect.objectContaining({ code: 'device-fallback', model: models.lm.dir })]);
      expect(engine.warnings()).toEqual(warnings);
    }
    const result = await engine.generate({ model: models.lm.dir, prompt: 'hi', maxTokens: 4 });
    expect(result.usage.completionTokens).toBe(4);
    await engine.dispose();
  });

  it('reuses a loaded model for the same ref, device and dtype', async () => {
    const engine = createOnnxEngine();
    const [a, b] = await Promise.all([engine.load(models.lm.dir), engine.load(models.lm.dir)]);
    expect(a).toBe(b);
    expect(engine.models()).toHaveLength(1);
    expect(a.sizeBytes).toBeGreaterThan(50_000);
    expect(a.contextLength).toBe(256);
    await engine.dispose();
  });

  it('evicts the least recently used model when the memory budget is exceeded', async () => {
    const engine = createOnnxEngine({ memoryBudgetBytes: 1.5 * 190_000 });
    const first = await engine.load(models.lm.dir);
    expect(first.sizeBytes).toBeLessThan(190_000);
    await engine.load(models.otherLm.dir);
    expect(engine.models().map((m) => m.ref)).toEqual([models.otherLm.dir]);
    // The evicted model loads again on demand, evicting the other one.
    const again = await engine.generate({ model: models.lm.dir, prompt: 'hi', maxTokens: 3 });
    expect(again.usage.completionTokens).toBe(3);
    expect(engine.models().map((m) => m.ref)).toEqual([models.lm.dir]);
    await engine.dispose();
  });

  it('keeps both models when the budget allows, ordered by last use', async () => {
    const engine = createOnnxEngine({ memoryBudgetBytes: 10_000_000 });
    await engine.load(models.lm.dir);
    await engine.load(models.otherLm.dir);
    await engine.generate({ model: models.lm.dir, prompt: 'hi', maxTokens: 1 });
    expect(engine.models().map((m) => m.ref)).toEqual([models.otherLm.dir, models.lm.dir]);
    await engine.dispose();
  });

  it('fails with SIGNET_MODEL_NOT_FOUND for a missing folder or an undownloaded hub id, offline', async () => {
    const engine = createOnnxEngine();
    await expect(engine.load(join(models.root, 'nope'))).rejects.toMatchObject({
      code: 'SIGNET_MODEL_NOT_FOUND',
    });
    await expect(engine.load('onnx-community/not-downloaded-model')).rejects.toMatchObject({
      code: 'SIGNET_MODEL_NOT_FOUND',
      message: expect.stringContaining('allowDownloads'),
    });
    await expect(engine.load(models.lm.dir, { dtype: 'q8' })).rejects.toMatchObject({
      code: 'SIGNET_MODEL_NOT_FOUND',
      details: expect.objectContaining({ availableDtypes: ['fp32'] }),
    });
    await engine.dispose();
  });

  it('rejects chat messages for a model without a chat template, with SIGNET_MODEL_INVALID', async () => {
    const dir = join(models.root, 'no-template');
    await cp(models.lm.dir, dir, { recursive: true });
    const configPath = join(dir, 'tokenizer_config.json');
    const { chat_template: _dropped, ...config } = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify(config));
    const engine = createOnnxEngine();
    await expect(
      engine.generate({ model: dir, messages: [{ role: 'user', content: 'hi' }], maxTokens: 2 }),
    ).rejects.toMatchObject({
      code: 'SIGNET_MODEL_INVALID',
      message: expect.stringContaining('chat_template'),
    });
    expect((await engine.generate({ model: dir, prompt: 'hi', maxTokens: 2 })).usage.completionTokens).toBe(
      2,
    );
    await engine.dispose();
  });

  it('rejects requests beyond the queue bound with SIGNET_PROVIDER_UNAVAILABLE, serving the rest', async () => {
    const engine = createOnnxEngine({ maxQueueLength: 2 });
    await engine.load(models.lm.dir);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        engine.generate({ model: models.lm.dir, prompt: 'queue', maxTokens: 4 }),
      ),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
      'SIGNET_PROVIDER_UNAVAILABLE',
      'SIGNET_PROVIDER_UNAVAILABLE',
      'SIGNET_PROVIDER_UNAVAILABLE',
    ]);
    await engine.dispose();
  });

  it('rejects calls after dispose', async () => {
    const engine = createOnnxEngine();
    await engine.load(models.lm.dir);
    await engine.dispose();
    expect(engine.models()).toEqual([]);
    await expect(engine.generate({ model: models.lm.dir, prompt: 'x', maxTokens: 1 })).rejects.toMatchObject({
      code: 'SIGNET_PROVIDER_UNAVAILABLE',
    });
  });
});

describe('OnnxEngine.embed', () => {
  it('returns one unit vector of the hidden size per text', async () => {
    const engine = createOnnxEngine({ embedBatchSize: 2 });
    const texts = ['the cat', 'paris is the capital of france', 'blue sky', 'the cat'];
    const vectors = await engine.embed({ model: models.encoder.dir, texts });
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v).toHaveLength(models.encoder.dimension);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(vectors[3]).toEqual(vectors[0]);
    expect(vectors[1]).not.toEqual(vectors[0]);
    expect(await engine.embed({ model: models.encoder.dir, texts: [] })).toEqual([]);
    await engine.dispose();
  });

  it('aborts with SIGNET_ABORTED', async () => {
    const engine = createOnnxEngine();
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine.embed({ model: models.encoder.dir, texts: ['x'], signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'SIGNET_ABORTED' });
    await engine.dispose();
  });
});
